//! Training: corpus -> [`Vectorizer`] (tokenizer, features, IDF) -> solver
//! -> bundle. Hyper-parameters live in [`TrainParams`], checked once up
//! front; how the L2 strength is chosen and on what the final model is
//! fitted is one [`Selection`].

mod cross_validate;
mod fit;
mod vectorizer;

use std::path::Path;

pub use vectorizer::Vectorizer;

use crate::bundle::{Bundle, TrainingRecord};
use crate::corpus::{self, Example, Format, ReadOptions, Target};
use crate::error::{Error, Result};
use crate::features::encoder::DenseCache;
use crate::features::{CheckedFeatureParams, FeatureParams};
use crate::label::label_order;
use crate::metrics::Meter;
use crate::model::LinearModel;
use crate::solver::SolverSettings;
use crate::topics::Topics;

use cross_validate::{best_of, cross_validate, CrossValidated};
use fit::{fit_grid, Fit};

/// How the L2 strength is chosen among `TrainParams::l2`, and what the
/// final model learns from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Choose on dev (when there are several strengths); fit on train.
    Dev,
    /// Choose on dev, then fit again on train + dev (train alone without dev).
    Refit,
    /// Choose by K-fold cross-validation over train + dev (folds stratified
    /// by label and target), then fit on train + dev.
    CrossValidate(usize),
}

#[derive(Debug, Clone)]
pub struct TrainParams {
    pub format: Format,
    pub features: FeatureParams,
    /// Everything about the solver but the L2 strength.
    pub solver: SolverSettings,
    /// L2 strengths to try, the only source of the strength; with several,
    /// the best by `selection` is kept.
    pub l2: Vec<f64>,
    /// Keep features seen in at least this many training targets.
    pub min_count: u32,
    pub selection: Selection,
    pub read: ReadOptions,
    /// Scales of the `encoder` block to try (with `features.encoder`); with
    /// several, the best on dev is kept, as for `l2`.
    pub encoder_scales: Vec<f32>,
}

impl TrainParams {
    pub fn check(&self, has_dev: bool) -> Result<()> {
        self.features.check()?;
        self.read.check()?;
        if self.l2.is_empty() {
            return Err(Error::Params("--l2 needs at least one value".into()));
        }
        for &a in &self.l2 {
            self.solver.with_alpha(a).check()?;
        }
        match self.selection {
            Selection::Dev | Selection::Refit => {
                if self.l2.len() > 1 && !has_dev {
                    return Err(Error::Params("several --l2 values are chosen between on dev data: give --dev or --cv".into()));
                }
            }
            Selection::CrossValidate(k) => {
                if !(2..=20).contains(&k) {
                    return Err(Error::Params(format!("--cv {k}: the number of folds must be 2..=20")));
                }
            }
        }
        if self.features.encoder.is_some() {
            if self.encoder_scales.is_empty() || self.encoder_scales.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
                return Err(Error::Params("--encoder-scale takes positive numbers".into()));
            }
            if self.encoder_scales.len() > 1 {
                match self.selection {
                    Selection::CrossValidate(_) => {
                        return Err(Error::Params("--cv chooses --l2 only: give one --encoder-scale".into()));
                    }
                    _ if !has_dev => {
                        return Err(Error::Params("several --encoder-scale values are chosen between on dev data: give --dev".into()));
                    }
                    _ => {}
                }
            }
        }
        if self.min_count == 0 {
            return Err(Error::Params("--min-count must be at least 1".into()));
        }
        Ok(())
    }
}

/// Something to tell the user how far training got.
pub trait Progress: Sync {
    fn stage(&self, what: &str);
    fn solver_step(&self, evals: u64);
    /// How many model fits the run will make (grid points, folds, refit).
    fn fits(&self, _total: u64) {}
    /// One fit is done.
    fn fit_done(&self) {}
    /// Something about the data the user should know; training goes on.
    fn warn(&self, _what: &str) {}
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn stage(&self, _: &str) {}
    fn solver_step(&self, _: u64) {}
}

pub struct Trained {
    pub model: LinearModel,
    pub tokenizer_json: String,
    pub features: CheckedFeatureParams,
    /// How it was trained, as the bundle records it.
    pub record: TrainingRecord,
    pub dev: Option<Meter>,
    /// With cross-validation: every example's held-out prediction.
    pub held_out: Option<HeldOut>,
    /// Accuracy of the final model on the targets it was fitted on.
    pub train_accuracy: f64,
    /// The stance topics among the targets the final model learned from.
    pub topics: Topics,
}

impl Trained {
    /// Write the bundle to `dir`, atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        Bundle::save(dir, &self.features, &self.record, &self.topics, &self.model, &self.tokenizer_json)
    }
}

/// Cross-validation's out-of-fold predictions: each example of train + dev
/// scored by the model of the fold that did not see it, at the chosen L2
/// strength. For error analysis, and for comparing with other tools on the
/// same folds when a corpus has no test split to spare.
pub struct HeldOut {
    pub examples: Vec<Example>,
    /// The fold each example was held out in.
    pub fold: Vec<usize>,
    /// Class probabilities of every target, examples in order.
    pub probabilities: Vec<Vec<f64>>,
}

/// The encoder cache and block scales to fit with, for a model with the
/// `encoder` family.
fn dense<'a>(cache: &'a Option<DenseCache>, scales: &'a [f32]) -> Option<(&'a DenseCache, &'a [f32])> {
    cache.as_ref().map(|c| (c, scales))
}

fn names(files: &[impl AsRef<Path>]) -> Vec<String> {
    files.iter().map(|f| f.as_ref().display().to_string()).collect()
}

/// The labels of the training data, checked: at least two, at most what a
/// model holds.
fn training_labels(train: &[Example], train_files: &[impl AsRef<Path>], format: Format) -> Result<Vec<String>> {
    let mut seen: Vec<String> = train.iter().flat_map(|e| e.targets.iter().map(|t| t.label.clone())).collect();
    seen.sort();
    seen.dedup();
    if seen.len() < 2 {
        let files: Vec<String> = train_files.iter().map(|f| f.as_ref().display().to_string()).collect();
        return Err(Error::Train(format!(
            "{}: the training data has {} label(s) ({}); at least two are needed",
            files.join(", "),
            seen.len(),
            seen.join(", ")
        )));
    }
    let labels = label_order(format, &seen);
    if labels.len() > LinearModel::MAX_CLASSES {
        return Err(Error::Train(format!(
            "the training data has {} labels; stance supports at most {}",
            labels.len(),
            LinearModel::MAX_CLASSES
        )));
    }
    Ok(labels)
}

/// The fits a run makes: one per grid point (L2 strengths times encoder
/// scales), per fold with cross-validation, plus the final or refitted one.
fn planned_fits(params: &TrainParams, has_dev: bool) -> u64 {
    let scales = if params.features.encoder.is_some() { params.encoder_scales.len().max(1) } else { 1 };
    let grid = (params.l2.len() * scales) as u64;
    match params.selection {
        Selection::CrossValidate(k) => grid * k as u64 + 1,
        Selection::Refit if has_dev => grid + 1,
        _ => grid,
    }
}

/// Fewest examples of a label before training warns that it is too few
/// to learn from, and fewest targets in all.
const FEW_PER_LABEL: usize = 5;
const FEW_IN_ALL: usize = 50;

/// What about the training data makes a model doubtful, as warnings: a
/// label with fewer than [`FEW_PER_LABEL`] targets, fewer than
/// [`FEW_IN_ALL`] targets in all, and CSV targets not found in their text
/// (trained as topics: the text is scored as a whole for them).
pub fn data_warnings(train: &[Example], labels: &[String], format: Format) -> Vec<String> {
    let mut out = Vec::new();
    let targets = || train.iter().flat_map(|e| &e.targets);
    let total = targets().count();
    for l in labels {
        let n = targets().filter(|t| &t.label == l).count();
        if n < FEW_PER_LABEL {
            out.push(format!("label {l:?} has only {n} training example(s); a model learns little about a label from fewer than {FEW_PER_LABEL}"));
        }
    }
    if total < FEW_IN_ALL {
        out.push(format!("only {total} training targets; expect an unreliable model from fewer than {FEW_IN_ALL}"));
    }
    if format == Format::Csv {
        let topics: Vec<&Target> = targets().filter(|t| t.span.is_none()).collect();
        if let Some(first) = topics.first() {
            out.push(format!(
                "{} of {total} targets (first: {:?}, line {}) do not occur in their text; they are trained as topics (the whole text is scored for them)",
                topics.len(),
                first.name,
                first.line
            ));
        }
    }
    out
}

pub fn train(
    train_files: &[impl AsRef<Path>],
    dev_files: &[impl AsRef<Path>],
    params: &TrainParams,
    progress: &dyn Progress,
) -> Result<Trained> {
    params.check(!dev_files.is_empty())?;
    progress.stage("reading corpora");
    let train = corpus::read_all(params.format, train_files, params.read)?;
    let dev = corpus::read_all(params.format, dev_files, params.read)?;
    corpus::check_label_spellings(train.iter().chain(&dev))?;
    let labels = training_labels(&train, train_files, params.format)?;
    // A usage error comes alone, before any warning about the data.
    if let Selection::CrossValidate(k) = params.selection
        && train.len() + dev.len() < 2 * k
    {
        return Err(Error::Params(format!("--cv {k} needs at least {} examples (two per fold); the data has {}", 2 * k, train.len() + dev.len())));
    }
    for w in data_warnings(&train, &labels, params.format) {
        progress.warn(&w);
    }
    progress.fits(planned_fits(params, !dev.is_empty()));
    // The encoder family: every sentence of train and dev through the
    // encoder once, before any fit.
    let mut features: FeatureParams = params.features.clone();
    let cache = match &mut features.encoder {
        Some(ep) => {
            progress.stage(&format!("loading encoder {}", ep.name));
            let enc = crate::encoder::load(&ep.name)?;
            ep.sha256 = enc.sha256().to_string();
            ep.check(enc.num_layers())?;
            let all: Vec<&Example> = train.iter().chain(dev.iter()).collect();
            progress.stage(&format!("encoding {} sentences with {}", all.len(), ep.name));
            Some(DenseCache::build(enc.as_ref(), ep, &all, &|_| {})?)
        }
        None => None,
    };
    let mut held_out = None;
    let (fit, search, dev_meter, refit) = match params.selection {
        Selection::CrossValidate(k) => {
            // Every grid point is scored on each fold by a model fitted on
            // the other folds; the final model learns from all of it.
            let pool: Vec<Example> = train.iter().chain(dev.iter()).cloned().collect();
            let CrossValidated { scores, fold, probabilities } = cross_validate(&pool, &labels, params, k, dense(&cache, &params.encoder_scales), progress)?;
            let best = best_of(&scores);
            let (alpha, meter) = (scores[best].0, scores[best].1.clone());
            progress.stage(&format!("fitting on all {} examples (l2 {alpha})", pool.len()));
            let fit = fit_grid(&pool, &[], &labels, params, &[alpha], dense(&cache, &params.encoder_scales), progress)?;
            let search = scores.iter().map(|(a, m)| (*a, m.headline())).collect();
            held_out = Some(HeldOut { examples: pool, fold, probabilities: probabilities.into_iter().nth(best).expect("grid point") });
            (fit, search, Some(meter), !dev.is_empty())
        }
        Selection::Dev | Selection::Refit => {
            let mut fit = fit_grid(&train, &dev, &labels, params, &params.l2, dense(&cache, &params.encoder_scales), progress)?;
            let dev_meter = fit.dev.take();
            let search = std::mem::take(&mut fit.search);
            let refit = params.selection == Selection::Refit && !dev.is_empty();
            if refit {
                // Hyper-parameters were chosen on dev; now learn from dev too.
                progress.stage("refitting on train + dev");
                let all: Vec<Example> = train.iter().chain(dev.iter()).cloned().collect();
                let scale: Vec<f32> = fit.scale.into_iter().collect();
                fit = fit_grid(&all, &[], &labels, params, &[fit.alpha], dense(&cache, &scale), progress)?;
            }
            (fit, search, dev_meter, refit)
        }
    };
    if let (Some(ep), Some(s)) = (&mut features.encoder, fit.scale) {
        ep.scale = s;
    }
    let Fit { model, tokenizer_json, fitted, alpha, n_rows, train_accuracy, .. } = fit;
    // The final model learned from train + dev after a refit or with --cv.
    let learned_from_dev = refit || matches!(params.selection, Selection::CrossValidate(_));
    let topics = Topics::of_training(train.iter().chain(dev.iter().filter(|_| learned_from_dev)));
    let record = TrainingRecord {
        corpus_format: params.format,
        train_files: names(train_files),
        dev_files: names(dev_files),
        n_train_targets: n_rows,
        min_count: params.min_count,
        solver: params.solver.with_alpha(alpha),
        iterations: fitted.iterations,
        objective: fitted.objective,
        dev: dev_meter.as_ref().map(|m| m.to_json()),
        l2_search: if params.l2.len() > 1 { search } else { vec![] },
        refit_on_dev: refit,
        cv_folds: match params.selection {
            Selection::CrossValidate(k) => Some(k),
            _ => None,
        },
    };
    Ok(Trained { model, tokenizer_json, features: features.check()?, record, dev: dev_meter, held_out, train_accuracy, topics })
}
