//! `stance eval`: score a labelled corpus with a bundle and measure it.
//! Examples stream through in batches (read ahead on a thread of their
//! own) scored on all cores; the counts do not depend on the thread count.

use std::path::Path;

use rayon::prelude::*;

use crate::bootstrap::Paired;
use crate::bundle::Bundle;
use crate::corpus::{self, Example, Format, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::label::LabelIndex;
use crate::metrics::Meter;
use crate::model::argmax;
use crate::predictions::Scored;
use crate::pipeline::{example_targets, PerThread, Scorer};
use crate::read_ahead::read_ahead;

const BATCH: usize = 2048;

/// Class probabilities of every target of `ex`, in order.
pub fn score_example(scorer: &mut Scorer, ex: &Example) -> Vec<Vec<f64>> {
    score_example_dense(scorer, ex, None)
}

/// [`score_example`] with the raw `encoder` block of each target (see
/// [`Bundle::dense_blocks`]), which a model with that family needs.
pub fn score_example_dense(scorer: &mut Scorer, ex: &Example, dense: Option<&[Vec<f32>]>) -> Vec<Vec<f64>> {
    let mut feats = Vec::new();
    scorer.set_text(&ex.text);
    let targets = example_targets(ex);
    (0..targets.len()).map(|i| scorer.score_dense(&ex.text, &targets, i, &mut feats, dense.map(|d| d[i].as_slice()))).collect()
}

/// Stream the files through the model and count right and wrong. `each`
/// sees every scored target in corpus order (e.g. to write predictions).
pub fn evaluate(
    bundle: &Bundle,
    format: Format,
    files: &[impl AsRef<Path> + Sync],
    read: ReadOptions,
    each: &mut dyn FnMut(Scored) -> Result<()>,
) -> Result<Meter> {
    let mut meter = Meter::new(&bundle.model.labels);
    score_all(&[bundle], format, files, read, &mut |example, target, truth, probabilities| {
        meter.add(truth, argmax(probabilities[0]));
        each(Scored { example, target, truth, probabilities: probabilities[0] })
    })?;
    Ok(meter)
}

/// Score the same files with two models (same labels): every target's
/// truth with both predictions, for a paired comparison. `each` sees the
/// first model's scores, as in [`evaluate`].
pub fn evaluate_pair(
    a: &Bundle,
    b: &Bundle,
    format: Format,
    files: &[impl AsRef<Path> + Sync],
    read: ReadOptions,
    each: &mut dyn FnMut(Scored) -> Result<()>,
) -> Result<Paired> {
    // Checked before the long scoring runs.
    if a.model.labels != b.model.labels {
        return Err(Error::model(
            &b.path,
            format!(
                "labels ({}) differ from {}'s ({}); only models with the same labels can be compared item by item",
                b.model.labels.join(", "),
                a.path.display(),
                a.model.labels.join(", ")
            ),
        ));
    }
    let mut paired = Paired::new(&a.model.labels);
    score_all(&[a, b], format, files, read, &mut |example, target, truth, probabilities| {
        paired.add(truth, argmax(probabilities[0]), argmax(probabilities[1]));
        each(Scored { example, target, truth, probabilities: probabilities[0] })
    })?;
    Ok(paired)
}

/// What [`score_all`] calls per target: example, target index, truth,
/// and each bundle's probabilities.
type EachTarget<'a> = dyn FnMut(&Example, usize, usize, &[&[f64]]) -> Result<()> + 'a;

/// Read the files once (a pipe cannot be read twice) and score every
/// target with each of `bundles`, which share their labels. `each` sees
/// every target in corpus order: its example, index, truth, and each
/// bundle's probabilities.
fn score_all(
    bundles: &[&Bundle],
    format: Format,
    files: &[impl AsRef<Path> + Sync],
    read: ReadOptions,
    each: &mut EachTarget,
) -> Result<()> {
    read.check()?;
    let scorers: Vec<PerThread<Scorer>> = bundles.iter().map(|&b| PerThread::new(|| Scorer::for_bundle(b))).collect();
    let labels = LabelIndex::new(&bundles[0].model.labels);
    let produce = |push: &mut dyn FnMut((Example, Vec<usize>)) -> bool| -> Result<()> {
        for path in files {
            let path = path.as_ref();
            let mut any = false;
            for ex in corpus::read(format, path, read)? {
                let ex = ex?;
                let truth = ex.targets.iter().map(|t| labels.of(&t.label, Location::line(path, t.line))).collect::<Result<Vec<usize>>>()?;
                any |= !truth.is_empty();
                if !push((ex, truth)) {
                    return Ok(());
                }
            }
            if !any {
                return Err(Error::input(Location::file(path), "no examples in file (empty or blank)"));
            }
        }
        Ok(())
    };
    read_ahead(BATCH, produce, |batch| {
        // probs[model][example][target]
        // A model with the `encoder` family runs its encoder over the whole
        // batch, sentences of similar length together.
        let examples: Vec<&Example> = batch.iter().map(|(ex, _)| ex).collect();
        let mut probs: Vec<Vec<Vec<Vec<f64>>>> = Vec::new();
        for (b, sc) in bundles.iter().zip(&scorers) {
            let dense = b.dense_blocks(&examples)?;
            let d = dense.as_ref();
            probs.push(
                batch.par_iter().enumerate().map(|(e, (ex, _))| sc.with(|sc| score_example_dense(sc, ex, d.map(|d| d[e].as_slice())))).collect(),
            );
        }
        for (e, (ex, truth)) in batch.iter().enumerate() {
            for (i, &t) in truth.iter().enumerate() {
                let ps: Vec<&[f64]> = probs.iter().map(|p| p[e][i].as_slice()).collect();
                for (b, p) in bundles.iter().zip(&ps) {
                    b.check_probabilities(p, &Location::line(&ex.at.file, ex.targets[i].line))?;
                }
                each(ex, i, t, &ps)?;
            }
        }
        Ok(true)
    })
}
