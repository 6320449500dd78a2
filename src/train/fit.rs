//! One training split fitted at every L2 strength of a grid: vectorizer,
//! matrix, one solver run per strength, each scored on the held-out
//! examples; the best on them wins.

use crate::corpus::Example;
use crate::error::Result;
use crate::features::Feature;
use crate::label::label_ids;
use crate::metrics::Meter;
use crate::model::{argmax, LinearModel};
use crate::solver::{self, SolverSettings};

use super::vectorizer::{featurize, Vectorizer};
use super::{Progress, TrainParams};

pub(super) struct Fit {
    pub model: LinearModel,
    pub tokenizer_json: String,
    /// The winner's meter on the held-out examples (none without them).
    pub dev: Option<Meter>,
    pub fitted: solver::Fitted,
    pub alpha: f64,
    /// Every strength and its headline score (0 without held-out examples).
    pub search: Vec<(f64, f64)>,
    /// Every grid point's meter, in grid order (empty without held-out examples).
    pub meters: Vec<Meter>,
    /// Every grid point's probabilities of each held-out target, in order.
    pub dev_probabilities: Vec<Vec<Vec<f64>>>,
    pub n_rows: usize,
}

fn meter_of(labels: &[String], probabilities: &[Vec<f64>], truth: &[usize]) -> Meter {
    let mut m = Meter::new(labels);
    for (p, &t) in probabilities.iter().zip(truth) {
        m.add(t, argmax(p));
    }
    m
}

/// Vectorizer, features and one fit per L2 strength of `grid`; the best
/// on `dev` wins (the first, without `dev`).
pub(super) fn fit_grid(train: &[Example], dev: &[Example], labels: &[String], params: &TrainParams, grid: &[f64], progress: &dyn Progress) -> Result<Fit> {
    let y = label_ids(train, labels)?;
    let y_dev = label_ids(dev, labels)?;
    let k = labels.len();

    let features = params.features.check()?;
    let vectorizer = Vectorizer::fit(train, &features, params.min_count, progress)?;
    let featurizers = vectorizer.featurizers(&features);
    let dev_feats = featurize(dev, &featurizers);
    progress.stage("building rows");
    let x = vectorizer.rows(train, &featurizers);
    progress.stage(&format!("{} rows, {} non-zeros, {} columns", x.n_rows(), x.cols.len(), x.n_cols));

    let solver: &SolverSettings = &params.solver;
    let mut best: Option<(f64, LinearModel, Option<Meter>, solver::Fitted, f64)> = None;
    let mut search = Vec::new();
    let mut meters = Vec::new();
    let mut dev_probabilities = Vec::new();
    for &alpha in grid {
        progress.stage(&format!("fitting (l2 {alpha})"));
        let fitted = solver::fit(&x, &y, k, &solver.with_alpha(alpha), &|e| progress.solver_step(e))?;
        let model = vectorizer.model(labels, &fitted.weights, &fitted.bias);
        progress.stage(&format!("fitted in {} iterations, {} evaluations", fitted.iterations, fitted.evaluations));
        let probabilities = score_rows(&model, &dev_feats);
        let meter = (!dev.is_empty()).then(|| meter_of(labels, &probabilities, &y_dev));
        dev_probabilities.push(probabilities);
        let score = meter.as_ref().map(|m| m.headline()).unwrap_or(0.0);
        search.push((alpha, score));
        meters.extend(meter.clone());
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, model, meter, fitted, alpha));
        }
    }
    let (_, model, dev, fitted, alpha) = best.expect("l2 grid is not empty");
    let tokenizer_json = vectorizer.tokenizer_json.clone();
    Ok(Fit { model, tokenizer_json, dev, fitted, alpha, search, meters, dev_probabilities, n_rows: y.len() })
}

fn score_rows(model: &LinearModel, feats: &[Vec<Feature>]) -> Vec<Vec<f64>> {
    feats.iter().map(|f| model.score_features(f)).collect()
}
