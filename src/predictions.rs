//! The predictions CSV of `stance eval --predictions FILE` and `train --cv
//! K --predictions FILE`: one row per scored target, for error analysis and
//! paired comparisons with other tools.

use std::path::{Path, PathBuf};

use crate::atomic::AtomicFile;
use crate::corpus::{Example, Format};
use crate::error::{Error, Result};
use crate::label::LabelIndex;
use crate::model::argmax;
use crate::safety;
use crate::train::HeldOut;

/// One scored target, in corpus order, for [`evaluate`]'s `each`.
pub struct Scored<'a> {
    pub example: &'a Example,
    /// Index into `example.targets`.
    pub target: usize,
    pub truth: usize,
    pub probabilities: &'a [f64],
}

/// Before a run: refuse a predictions `path` that is one of the `inputs`
/// of `format` (with their companion files) or lies inside one of the
/// model folders `models`, and fail now, not after hours of work, on one
/// that cannot be written.
pub fn check_path(path: &Path, format: Format, inputs: &[&[PathBuf]], models: &[&Path]) -> Result<()> {
    let inputs: Vec<PathBuf> = inputs.iter().flat_map(|s| s.iter()).flat_map(|p| safety::corpus_inputs(format, p)).collect();
    safety::check_output_file("--predictions", path, &inputs, models)?;
    drop(AtomicFile::create(path)?);
    Ok(())
}

/// One CSV row per scored target. Written through an [`AtomicFile`], so a
/// failed run leaves no half file (and an older one in place).
pub struct PredictionsFile {
    out: csv::Writer<AtomicFile>,
    labels: Vec<String>,
    folds: bool,
    row: Vec<String>,
}

impl PredictionsFile {
    /// `folds`: add a `fold` column (cross-validation's held-out predictions).
    pub fn create(path: &Path, labels: &[String], folds: bool) -> Result<Self> {
        let out = csv::Writer::from_writer(AtomicFile::create(path)?);
        let mut header: Vec<String> = ["file", "line", "target", "label"].iter().map(|s| s.to_string()).collect();
        if folds {
            header.push("fold".into());
        }
        header.push("predicted".into());
        header.extend(labels.iter().map(|l| format!("p_{l}")));
        header.push("text".into());
        let mut p = PredictionsFile { out, labels: labels.to_vec(), folds, row: Vec::new() };
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
        let r = self.out.write_record(row);
        r.map_err(|e| Error::io(self.out.get_ref().temp_path(), "write", e.into()))
    }

    /// Flush and move the file into place.
    pub fn finish(self) -> Result<()> {
        match self.out.into_inner() {
            Ok(file) => file.commit(),
            Err(e) => {
                let source = std::io::Error::new(e.error().kind(), e.error().to_string());
                // Dropping the writer removes the temporary file.
                Err(Error::io(e.into_inner().get_ref().temp_path(), "write", source))
            }
        }
    }
}

/// `train --cv K --predictions FILE`: every example's held-out prediction,
/// with the fold that held it out.
pub fn write_held_out(path: &Path, labels: &[String], held: &HeldOut) -> Result<()> {
    let index = LabelIndex::new(labels);
    let mut file = PredictionsFile::create(path, labels, true)?;
    let mut rows = held.probabilities.iter();
    for (example, &fold) in held.examples.iter().zip(&held.fold) {
        for (target, t) in example.targets.iter().enumerate() {
            let truth = index.get(&t.label).expect("training checked every label");
            let probabilities = rows.next().expect("one row per target");
            file.write(&Scored { example, target, truth, probabilities }, Some(fold))?;
        }
    }
    file.finish()
}
