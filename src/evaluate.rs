//! `stance eval`: score a labelled corpus with a bundle and measure it.
//! Examples stream through in batches (read ahead on a thread of their
//! own) scored on all cores; the counts do not depend on the thread count.

use std::path::Path;

use rayon::prelude::*;

use crate::bootstrap::Paired;
use crate::bundle::Bundle;
use crate::corpus::{self, Example, Format, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::metrics::Meter;
use crate::model::argmax;
use crate::pipeline::{example_targets, Featurizer, PerThread};
use crate::read_ahead::read_ahead;

const BATCH: usize = 2048;

/// Class probabilities of every target of `ex`, in order.
pub fn score_example(bundle: &Bundle, fz: &mut Featurizer, ex: &Example) -> Vec<Vec<f64>> {
    let model = &bundle.model;
    let mut feats = Vec::new();
    fz.set_text(&ex.text);
    let targets = example_targets(ex);
    (0..targets.len()).map(|i| fz.score(model, &ex.text, &targets, i, &mut feats)).collect()
}

/// One scored target, in corpus order, for [`evaluate`]'s `each`.
pub struct Scored<'a> {
    pub example: &'a Example,
    /// Index into `example.targets`.
    pub target: usize,
    pub truth: usize,
    pub probabilities: &'a [f64],
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
    let model = &bundle.model;
    let mut meter = Meter::new(&model.labels);
    let featurizers = PerThread::new(|| Featurizer::new(&bundle.meta.features, &bundle.tokenizer));
    let produce = |push: &mut dyn FnMut((Example, Vec<usize>)) -> bool| -> Result<()> {
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
        let probs: Vec<Vec<Vec<f64>>> = batch.par_iter().map(|(ex, _)| featurizers.with(|fz| score_example(bundle, fz, ex))).collect();
        for ((ex, truth), probs) in batch.iter().zip(probs) {
            for (i, (&t, p)) in truth.iter().zip(&probs).enumerate() {
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

/// `stance eval --predictions FILE` (and `train --cv K --predictions
/// FILE`): one CSV row per scored target, for error analysis and paired
/// comparisons with other tools. Written beside `FILE` and renamed over it
/// at the end, so a failed run leaves no half file (and an older one in
/// place).
pub struct PredictionsFile {
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    out: Option<csv::Writer<std::io::BufWriter<std::fs::File>>>,
    labels: Vec<String>,
    folds: bool,
    row: Vec<String>,
}

impl PredictionsFile {
    /// `folds`: add a `fold` column (cross-validation's held-out predictions).
    pub fn create(path: &Path, labels: &[String], folds: bool) -> Result<Self> {
        let name = path.file_name().ok_or_else(|| Error::input(Location::file(path), "--predictions needs a file name"))?;
        let tmp = path.with_file_name(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, "create", e))?;
        let out = Some(csv::Writer::from_writer(std::io::BufWriter::new(file)));
        let mut header: Vec<String> = ["file", "line", "target", "label"].iter().map(|s| s.to_string()).collect();
        if folds {
            header.push("fold".into());
        }
        header.push("predicted".into());
        header.extend(labels.iter().map(|l| format!("p_{l}")));
        header.push("text".into());
        let mut p = PredictionsFile { path: path.to_path_buf(), tmp, out, labels: labels.to_vec(), folds, row: Vec::new() };
        p.record(&header)?;
        Ok(p)
    }

    /// One target's row; `fold` is given exactly when the file has folds.
    pub fn write(&mut self, s: &Scored, fold: Option<usize>) -> Result<()> {
        assert_eq!(fold.is_some(), self.folds, "a fold for every row of a file with folds, none otherwise");
        let t = &s.example.targets[s.target];
        self.row.clear();
        self.row.push(s.example.at.file.display().to_string());
        self.row.push(t.line.to_string());
        self.row.push(t.name.clone());
        self.row.push(self.labels[s.truth].clone());
        if let Some(f) = fold {
            self.row.push(f.to_string());
        }
        self.row.push(self.labels[argmax(s.probabilities)].clone());
        self.row.extend(s.probabilities.iter().map(|p| format!("{p:.6}")));
        self.row.push(s.example.text.clone());
        let row = std::mem::take(&mut self.row);
        let r = self.record(&row);
        self.row = row;
        r
    }

    fn record(&mut self, row: &[String]) -> Result<()> {
        let out = self.out.as_mut().expect("open until finish");
        out.write_record(row).map_err(|e| Error::io(&self.tmp, "write", e.into()))
    }

    /// Flush and move the file into place.
    pub fn finish(mut self) -> Result<()> {
        let tmp = &self.tmp;
        let out = self.out.take().expect("open until finish");
        let r = (|| {
            let file = out.into_inner().map_err(|e| Error::io(tmp, "write", e.into_error()))?;
            let file = file.into_inner().map_err(|e| Error::io(tmp, "write", e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(tmp, "sync", e))?;
            std::fs::rename(tmp, &self.path).map_err(|e| Error::io(&self.path, "rename predictions into place", e))
        })();
        if r.is_err() {
            let _ = std::fs::remove_file(tmp);
        }
        r
    }
}

impl Drop for PredictionsFile {
    fn drop(&mut self) {
        // Not finished (an error stopped eval): leave no half file behind.
        if self.out.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
