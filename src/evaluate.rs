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

/// Stream the files through the model and count right and wrong. A reader
/// thread parses batch n+1 while batch n is scored on all cores.
pub fn evaluate(bundle: &Bundle, format: Format, files: &[impl AsRef<Path> + Sync], read: ReadOptions) -> Result<Meter> {
    let model = &bundle.model;
    let mut meter = Meter::new(&model.labels);
    let featurizers = PerThread::new(|| Featurizer::new(&bundle.meta.features, &bundle.tokenizer));
    std::thread::scope(|scope| -> Result<()> {
        let (tx, batches) = std::sync::mpsc::sync_channel::<Vec<(Example, Vec<usize>)>>(2);
        let reader = scope.spawn(move || -> Result<()> {
            let mut batch = Vec::with_capacity(BATCH);
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
                    if batch.len() >= BATCH && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                        return Ok(());
                    }
                }
                if !any {
                    return Err(Error::input(Location::file(path), "no examples in file (empty or blank)"));
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            Ok(())
        });
        for batch in batches {
            let preds: Vec<Vec<usize>> = batch
                .par_iter()
                .map(|(ex, _)| featurizers.with(|fz| score_example(bundle, fz, ex).iter().map(|p| argmax(p)).collect()))
                .collect();
            for ((_, truth), pred) in batch.iter().zip(preds) {
                for (&t, p) in truth.iter().zip(pred) {
                    meter.add(t, p);
                }
            }
        }
        reader.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })?;
    Ok(meter)
}
