//! Choosing the L2 strength by K-fold cross-validation over train + dev.

use crate::corpus::Example;
use crate::error::Result;
use crate::features::encoder::DenseCache;
use crate::metrics::Meter;

use super::fit::fit_grid;
use super::{Progress, TrainParams};

pub(super) struct CrossValidated {
    /// Each grid point's predictions on every held-out fold, pooled into one meter.
    pub scores: Vec<(f64, Meter)>,
    pub fold: Vec<usize>,
    /// Per grid point: every target's held-out probabilities, in pool order.
    pub probabilities: Vec<Vec<Vec<f64>>>,
}

/// K-fold cross-validation of the L2 grid over `pool`.
pub(super) fn cross_validate(
    pool: &[Example],
    labels: &[String],
    params: &TrainParams,
    k: usize,
    dense: Option<(&DenseCache, &[f32])>,
    progress: &dyn Progress,
) -> Result<CrossValidated> {
    let fold = crate::folds::assign(pool, k, params.features.seed);
    let mut pooled: Vec<(f64, Meter)> = params.l2.iter().map(|&a| (a, Meter::new(labels))).collect();
    // Where each example's targets start among all targets of the pool.
    let first_row: Vec<usize> = pool
        .iter()
        .scan(0, |n, e| {
            let at = *n;
            *n += e.targets.len();
            Some(at)
        })
        .collect();
    let n_rows = pool.iter().map(|e| e.targets.len()).sum();
    let mut probabilities = vec![vec![Vec::new(); n_rows]; params.l2.len()];
    for f in 0..k {
        progress.stage(&format!("cross-validation fold {} of {k}", f + 1));
        let (held, rest): (Vec<_>, Vec<_>) = (0..pool.len()).partition(|&i| fold[i] == f);
        let rest: Vec<Example> = rest.into_iter().map(|i| pool[i].clone()).collect();
        let held_examples: Vec<Example> = held.iter().map(|&i| pool[i].clone()).collect();
        let fit = fit_grid(&rest, &held_examples, labels, params, &params.l2, dense, progress)?;
        for (g, ((_, total), m)) in pooled.iter_mut().zip(&fit.meters).enumerate() {
            total.absorb(m);
            // `fit_grid` scores the held-out targets in order.
            let mut rows = fit.dev_probabilities[g].iter();
            for &i in &held {
                for slot in &mut probabilities[g][first_row[i]..first_row[i] + pool[i].targets.len()] {
                    *slot = rows.next().expect("one row per held-out target").clone();
                }
            }
        }
    }
    Ok(CrossValidated { scores: pooled, fold, probabilities })
}

/// Index of the grid point with the best headline score; the first of equals.
pub(super) fn best_of(scores: &[(f64, Meter)]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if s.1.headline() > scores[best].1.headline() {
            best = i;
        }
    }
    best
}
