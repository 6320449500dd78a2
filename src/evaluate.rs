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
    let mut feats = Vec::new();
    scorer.set_text(&ex.text);
    let targets = example_targets(ex);
    (0..targets.len()).map(|i| scorer.score(&ex.text, &targets, i, &mut feats)).collect()
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
    read.check()?;
    let model = &bundle.model;
    let mut meter = Meter::new(&model.labels);
    let scorers = PerThread::new(|| Scorer::for_bundle(bundle));
    let labels = LabelIndex::new(&model.labels);
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
        let probs: Vec<Vec<Vec<f64>>> = batch.par_iter().map(|(ex, _)| scorers.with(|sc| score_example(sc, ex))).collect();
        for ((ex, truth), probs) in batch.iter().zip(probs) {
            for (i, (&t, p)) in truth.iter().zip(&probs).enumerate() {
                bundle.check_probabilities(p, &Location::line(&ex.at.file, ex.targets[i].line))?;
                meter.add(t, argmax(p));
                each(Scored { example: ex, target: i, truth: t, probabilities: p })?;
            }
        }
        Ok(true)
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
    // The first model's prediction of every target, in corpus order.
    let mut first: Vec<u8> = Vec::new();
    evaluate(a, format, files, read, &mut |s| {
        first.push(argmax(s.probabilities) as u8);
        each(s)
    })?;
    // Same files, same order: the n-th target is the n-th target, unless
    // the files changed between the two passes.
    let changed = |at: Location| Error::input(at, "the data changed while the two models were scored");
    let mut paired = Paired::new(&a.model.labels);
    let mut next = first.iter();
    evaluate(b, format, files, read, &mut |s| {
        let mine = *next.next().ok_or_else(|| changed(s.example.at.clone()))?;
        paired.add(s.truth, mine as usize, argmax(s.probabilities));
        Ok(())
    })?;
    if next.next().is_some() {
        let last = files.last().map(|f| f.as_ref().to_path_buf()).unwrap_or_default();
        return Err(changed(Location::file(&last)));
    }
    Ok(paired)
}
