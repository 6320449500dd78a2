//! `stance eval`: score a labelled corpus with a bundle and measure it.
//! Examples stream through in batches scored on all cores; the counts do
//! not depend on the thread count.

use std::path::Path;

use rayon::prelude::*;

use crate::bundle::Bundle;
use crate::corpus::{self, Example, Format, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::metrics::Meter;
use crate::model::argmax;
use crate::pipeline::{example_targets, Featurizer, PerThread};

const BATCH: usize = 2048;

/// Class probabilities of every target of `ex`, in order.
pub fn score_example(bundle: &Bundle, fz: &mut Featurizer, ex: &Example) -> Vec<Vec<f64>> {
    let model = &bundle.model;
    let mut feats = Vec::new();
    fz.set_text(&ex.text);
    let targets = example_targets(ex);
    (0..targets.len()).map(|i| fz.score(model, &ex.text, &targets, i, &mut feats)).collect()
}

/// Stream the files through the model and count right and wrong.
pub fn evaluate(bundle: &Bundle, format: Format, files: &[impl AsRef<Path>], read: ReadOptions) -> Result<Meter> {
    let model = &bundle.model;
    let mut meter = Meter::new(&model.labels);
    let mut batch: Vec<(Example, Vec<usize>)> = Vec::with_capacity(BATCH);
    let featurizers = PerThread::new(|| Featurizer::new(&bundle.meta.features, &bundle.tokenizer));
    let flush = |batch: &mut Vec<(Example, Vec<usize>)>, meter: &mut Meter| {
        let preds: Vec<Vec<usize>> = batch
            .par_iter()
            .map(|(ex, _)| featurizers.with(|fz| score_example(bundle, fz, ex).iter().map(|p| argmax(p)).collect()))
            .collect();
        for ((_, truth), pred) in batch.iter().zip(preds) {
            for (&t, p) in truth.iter().zip(pred) {
                meter.add(t, p);
            }
        }
        batch.clear();
    };
    for path in files {
        let path = path.as_ref();
        let mut any = false;
        for ex in corpus::read(format, path, read)? {
            let ex = ex?;
            let truth = ex
                .targets
                .iter()
                .map(|t| {
                    model.labels.iter().position(|l| *l == t.label).ok_or_else(|| {
                        Error::input(
                            Location::line(path, t.line),
                            format!("label {:?} is not one the model knows ({})", t.label, model.labels.join(", ")),
                        )
                    })
                })
                .collect::<Result<Vec<usize>>>()?;
            any |= !truth.is_empty();
            batch.push((ex, truth));
            if batch.len() >= BATCH {
                flush(&mut batch, &mut meter);
            }
        }
        if !any {
            return Err(Error::input(Location::file(path), "no examples in file (empty or blank)"));
        }
    }
    flush(&mut batch, &mut meter);
    Ok(meter)
}
