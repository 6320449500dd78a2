//! One training split fitted at every L2 strength of a grid: vectorizer,
//! matrix, one solver run per strength, each scored on the held-out
//! examples; the best on them wins.

use std::borrow::Cow;

use crate::corpus::Example;
use crate::error::Result;
use crate::features::encoder::{DenseCache, Standardizer};
use crate::label::label_ids;
use crate::metrics::Meter;
use crate::model::{argmax, DenseBlock, DenseInput, LinearModel};
use crate::solver::{self, Csr, SolverSettings};

use super::vectorizer::{featurize, Vectorizer};
use super::{Progress, TrainParams};

pub(super) struct Fit {
    pub model: LinearModel,
    /// The winner's `encoder` block scale (none for a sparse model).
    pub scale: Option<f32>,
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
    /// The winner's accuracy on the rows it was fitted on.
    pub train_accuracy: f64,
}

fn meter_of(labels: &[String], probabilities: &[Vec<f64>], truth: &[usize]) -> Meter {
    let mut m = Meter::new(labels);
    for (p, &t) in probabilities.iter().zip(truth) {
        m.add(t, argmax(p));
    }
    m
}

/// Vectorizer, features and one fit per L2 strength of `grid` (and, with
/// the `encoder` family, per block scale of `scales`); the best on `dev`
/// wins (the first, without `dev`).
#[allow(clippy::too_many_arguments)]
pub(super) fn fit_grid(
    train: &[Example],
    dev: &[Example],
    labels: &[String],
    params: &TrainParams,
    grid: &[f64],
    dense: Option<(&DenseCache, &[f32])>,
    progress: &dyn Progress,
) -> Result<Fit> {
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
    let n = vectorizer.n_cols();
    let train_dense = dense.map(|(cache, _)| cache.rows(train)).unwrap_or_default();
    let dev_dense = dense.map(|(cache, _)| cache.rows(dev)).unwrap_or_default();
    let (train_names, dev_names) = (target_names(train), target_names(dev));
    // With conjoined features, every training target also gets its own copy
    // of the encoder block (see `DenseBlock::targets`).
    let mut conjoined: Vec<String> = Vec::new();
    if params.features.conjoin_target {
        conjoined = train_names.iter().map(|n| n.to_lowercase()).collect();
        conjoined.sort();
        conjoined.dedup();
    }
    let scales: Vec<Option<f32>> = match dense {
        Some((_, scales)) => scales.iter().map(|&s| Some(s)).collect(),
        None => vec![None],
    };

    let solver: &SolverSettings = &params.solver;
    let mut best: Option<Candidate> = None;
    let mut search = Vec::new();
    let mut meters = Vec::new();
    let mut dev_probabilities = Vec::new();
    for scale in scales {
        // The encoder block joins the sparse row as fixed columns after the
        // vocabulary's, standardised on the training rows.
        let (xs, layout) = match scale {
            Some(s) => {
                let st = Standardizer::fit(&train_dense, s);
                let layout = DenseBlock { standardizer: st, weights: Vec::new(), targets: conjoined.clone() };
                (Cow::Owned(with_dense(&x, &train_dense, &train_names, &layout)), Some(layout))
            }
            None => (Cow::Borrowed(&x), None),
        };
        for &alpha in grid {
            let at = match scale {
                Some(s) => format!("l2 {alpha}, encoder scale {s}"),
                None => format!("l2 {alpha}"),
            };
            progress.stage(&format!("fitting ({at})"));
            let fitted = solver::fit(&xs, &y, k, &solver.with_alpha(alpha), &|e| progress.solver_step(e))?;
            progress.fit_done();
            let train_accuracy = accuracy(&xs, &y, &fitted, k);
            let mut model = vectorizer.model(labels, &fitted.weights[..n * k], &fitted.bias);
            model.dense = layout.as_ref().map(|l| DenseBlock { weights: fitted.weights[n * k..].iter().map(|&w| w as f32).collect(), ..l.clone() });
            progress.stage(&format!("fitted in {} iterations, {} evaluations", fitted.iterations, fitted.evaluations));
            let probabilities: Vec<Vec<f64>> = dev_feats
                .iter()
                .enumerate()
                .map(|(i, f)| model.score_features_dense(f, dev_dense.get(i).map(|&raw| DenseInput { raw, target: dev_names[i] })))
                .collect();
            let meter = (!dev.is_empty()).then(|| meter_of(labels, &probabilities, &y_dev));
            dev_probabilities.push(probabilities);
            let score = meter.as_ref().map(|m| m.headline()).unwrap_or(0.0);
            if !dev.is_empty() {
                progress.stage(&format!("dev score {score:.4} ({at})"));
            }
            search.push((alpha, score));
            meters.extend(meter.clone());
            if best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Candidate { score, model, meter, fitted, alpha, scale, train_accuracy });
            }
        }
    }
    let Candidate { model, meter: dev, fitted, alpha, scale, train_accuracy, .. } = best.expect("l2 grid is not empty");
    let tokenizer_json = vectorizer.tokenizer_json.clone();
    Ok(Fit { model, scale, tokenizer_json, dev, fitted, alpha, search, meters, dev_probabilities, n_rows: y.len(), train_accuracy })
}

/// The best fit of the grid so far.
struct Candidate {
    score: f64,
    model: LinearModel,
    meter: Option<Meter>,
    fitted: solver::Fitted,
    alpha: f64,
    scale: Option<f32>,
    train_accuracy: f64,
}

/// Share of the rows of `x` whose label `fitted` predicts (weights laid
/// out `[column * k + class]`): how well the model fits its own data.
fn accuracy(x: &Csr, y: &[usize], fitted: &solver::Fitted, k: usize) -> f64 {
    let mut z = vec![0f64; k];
    let right = (0..x.n_rows())
        .filter(|&i| {
            z.copy_from_slice(&fitted.bias[..k]);
            let (cols, vals) = x.row(i);
            for (&c, &v) in cols.iter().zip(vals) {
                for (zc, w) in z.iter_mut().zip(&fitted.weights[c as usize * k..(c as usize + 1) * k]) {
                    *zc += v as f64 * *w;
                }
            }
            argmax(&z) == y[i]
        })
        .count();
    right as f64 / y.len().max(1) as f64
}

/// The name of every target of `examples`, in order (as `DenseCache::rows`).
fn target_names(examples: &[Example]) -> Vec<&str> {
    examples.iter().flat_map(|ex| ex.targets.iter().map(|t| t.name.as_str())).collect()
}

/// `x` with each row's standardised encoder block appended as columns
/// `x.n_cols ..`: in the shared block, and in its target's own block when
/// `layout` has one (row `i` has target `names[i]`).
fn with_dense(x: &Csr, rows: &[&[f32]], names: &[&str], layout: &DenseBlock) -> Csr {
    let width = layout.standardizer.width();
    let base = x.n_cols;
    let mut out = Csr::new(base + (1 + layout.targets.len()) * width);
    let (mut cols, mut vals) = (Vec::new(), Vec::new());
    for (i, raw) in rows.iter().enumerate() {
        let (c, v) = x.row(i);
        cols.clear();
        vals.clear();
        cols.extend_from_slice(c);
        vals.extend_from_slice(v);
        for b in layout.blocks(names[i]) {
            cols.extend((0..width).map(|j| (base + b * width + j) as u32));
            vals.extend(layout.standardizer.apply(raw));
        }
        out.push(&cols, &vals);
    }
    out
}
