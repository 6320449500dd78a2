//! Fitting the multinomial logistic regression.
//!
//! Both solvers minimise linfa-logistic's objective,
//! `sum_i w_i * logloss_i + alpha/2 * ||W||^2` (intercept unpenalised):
//! - `sparse` (default): argmin's L-BFGS with More-Thuente line search — the
//!   optimiser linfa-logistic runs inside — over sparse rows, with the loss
//!   and gradient computed in fixed chunks on all cores and summed in a fixed
//!   order, so the result is the same bit for bit on any machine.
//! - `linfa`: linfa-logistic itself on a dense matrix; for small problems
//!   and as a cross-check of the sparse solver.

use std::sync::Mutex;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Rows of hashed features mapped to columns.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub indptr: Vec<usize>,
    pub cols: Vec<u32>,
    pub vals: Vec<f32>,
    pub n_cols: usize,
}

impl Csr {
    pub fn new(n_cols: usize) -> Self {
        Csr { indptr: vec![0], cols: vec![], vals: vec![], n_cols }
    }
    pub fn push(&mut self, cols: &[u32], vals: &[f32]) {
        self.cols.extend_from_slice(cols);
        self.vals.extend_from_slice(vals);
        self.indptr.push(self.cols.len());
    }
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.cols[a..b], &self.vals[a..b])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SolverKind {
    Sparse,
    Linfa,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    None,
    /// n / (k * n_class), as scikit-learn's `balanced`.
    Balanced,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverParams {
    pub solver: SolverKind,
    /// L2 strength (linfa's alpha, 1/C in scikit-learn).
    pub alpha: f64,
    pub class_weight: ClassWeight,
    pub max_iter: u64,
    /// Stop when the objective changes less than this, per training row.
    pub tol: f64,
}

impl Default for SolverParams {
    fn default() -> Self {
        SolverParams { solver: SolverKind::Sparse, alpha: 0.1, class_weight: ClassWeight::Balanced, max_iter: 300, tol: 1e-7 }
    }
}

impl SolverParams {
    pub fn check(&self) -> Result<()> {
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(Error::Params(format!("--l2 must be a positive number, got {}", self.alpha)));
        }
        if self.max_iter == 0 {
            return Err(Error::Params("--max-iter must be at least 1".into()));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::Params("--tol must be a non-negative number".into()));
        }
        if self.solver == SolverKind::Linfa && self.class_weight != ClassWeight::None {
            return Err(Error::Params("--solver linfa supports no class weights: add --class-weight none".into()));
        }
        Ok(())
    }
}

/// A fitted weight matrix (`n_cols x k`, row-major) and intercepts.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub weights: Vec<f64>,
    pub bias: Vec<f64>,
    pub iterations: u64,
    pub objective: f64,
}

pub fn class_weights(y: &[usize], k: usize, cw: ClassWeight) -> Vec<f64> {
    match cw {
        ClassWeight::None => vec![1.0; k],
        ClassWeight::Balanced => {
            let mut n = vec![0usize; k];
            for &c in y {
                n[c] += 1;
            }
            n.iter().map(|&c| if c == 0 { 0.0 } else { y.len() as f64 / (k as f64 * c as f64) }).collect()
        }
    }
}

/// Fit with the chosen solver; `progress` is called after each iteration.
pub fn fit(x: &Csr, y: &[usize], k: usize, params: &SolverParams, progress: &(dyn Fn(u64) + Sync)) -> Result<Fitted> {
    params.check()?;
    if x.n_rows() != y.len() || x.n_rows() == 0 {
        return Err(Error::Train("no training rows".into()));
    }
    match params.solver {
        SolverKind::Sparse => fit_sparse(x, y, k, params, progress),
        SolverKind::Linfa => fit_linfa(x, y, k, params),
    }
}

/// Rows are split into this many chunks whatever the thread count, and the
/// chunk sums added in order: the model does not depend on the machine.
const CHUNKS: usize = 8;

struct Problem<'a> {
    x: &'a Csr,
    y: &'a [usize],
    k: usize,
    alpha: f64,
    sample_w: Vec<f64>,
    cache: Mutex<Option<(Array1<f64>, f64, Array1<f64>)>>,
    progress: &'a (dyn Fn(u64) + Sync),
    evals: Mutex<u64>,
    /// argmin's More-Thuente line search has no iteration limit and can
    /// spin forever on a flat objective near the optimum; past this many
    /// evaluations we stop it and keep the best point seen.
    max_evals: u64,
    best: &'a Mutex<Option<(f64, Array1<f64>)>>,
}

impl Problem<'_> {
    /// Loss and gradient at `p` in one pass over the data.
    fn eval(&self, p: &Array1<f64>) -> (f64, Array1<f64>) {
        let (k, n_cols) = (self.k, self.x.n_cols);
        let p = p.as_slice().expect("contiguous params");
        let (w, b) = p.split_at(n_cols * k);
        let n = self.x.n_rows();
        let per = n.div_ceil(CHUNKS);
        let parts: Vec<(f64, Vec<f64>)> = (0..CHUNKS)
            .into_par_iter()
            .map(|c| {
                let mut g = vec![0.0f64; (n_cols + 1) * k];
                let mut loss = 0.0;
                let mut z = vec![0.0f64; k];
                for i in (c * per).min(n)..((c + 1) * per).min(n) {
                    let (cols, vals) = self.x.row(i);
                    z.copy_from_slice(b);
                    for (&j, &v) in cols.iter().zip(vals) {
                        let wj = &w[j as usize * k..(j as usize + 1) * k];
                        for q in 0..k {
                            z[q] += v as f64 * wj[q];
                        }
                    }
                    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                    let s: f64 = z.iter().map(|&v| (v - m).exp()).sum();
                    let lse = m + s.ln();
                    let sw = self.sample_w[self.y[i]];
                    loss += sw * (lse - z[self.y[i]]);
                    for q in 0..k {
                        z[q] = sw * ((z[q] - lse).exp() - if q == self.y[i] { 1.0 } else { 0.0 });
                    }
                    for (&j, &v) in cols.iter().zip(vals) {
                        let gj = &mut g[j as usize * k..(j as usize + 1) * k];
                        for q in 0..k {
                            gj[q] += v as f64 * z[q];
                        }
                    }
                    let gb = &mut g[n_cols * k..];
                    for q in 0..k {
                        gb[q] += z[q];
                    }
                }
                (loss, g)
            })
            .collect();
        let mut loss = 0.0;
        let mut grad = vec![0.0f64; (n_cols + 1) * k];
        for (l, g) in parts {
            loss += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        let mut reg = 0.0;
        for (gi, &wi) in grad[..n_cols * k].iter_mut().zip(w) {
            reg += wi * wi;
            *gi += self.alpha * wi;
        }
        (loss + 0.5 * self.alpha * reg, Array1::from_vec(grad))
    }

    fn cached(&self, p: &Array1<f64>) -> std::result::Result<(f64, Array1<f64>), argmin::core::Error> {
        let mut c = self.cache.lock().unwrap();
        if let Some((cp, cost, grad)) = c.as_ref() {
            if cp == p {
                return Ok((*cost, grad.clone()));
            }
        }
        let evals = {
            let mut e = self.evals.lock().unwrap();
            *e += 1;
            *e
        };
        if evals > self.max_evals {
            return Err(argmin::core::Error::msg(EVAL_BUDGET));
        }
        let (cost, grad) = self.eval(p);
        {
            let mut best = self.best.lock().unwrap();
            if cost.is_finite() && best.as_ref().is_none_or(|(b, _)| cost < *b) {
                *best = Some((cost, p.clone()));
            }
        }
        *c = Some((p.clone(), cost, grad.clone()));
        (self.progress)(evals);
        Ok((cost, grad))
    }
}

const EVAL_BUDGET: &str = "evaluation budget spent";

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.cached(p)?.0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.cached(p)?.1)
    }
}

fn fit_sparse(x: &Csr, y: &[usize], k: usize, params: &SolverParams, progress: &(dyn Fn(u64) + Sync)) -> Result<Fitted> {
    let n_cols = x.n_cols;
    let best = Mutex::new(None);
    let problem = Problem {
        x,
        y,
        k,
        alpha: params.alpha,
        sample_w: class_weights(y, k, params.class_weight),
        cache: Mutex::new(None),
        progress,
        evals: Mutex::new(0),
        max_evals: params.max_iter.saturating_mul(25),
        best: &best,
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-10)
        .and_then(|s| s.with_tolerance_cost(params.tol * x.n_rows() as f64))
        .map_err(|e| Error::Train(e.to_string()))?;
    let init = Array1::<f64>::zeros((n_cols + 1) * k);
    let iterations = match Executor::new(problem, solver).configure(|s| s.param(init).max_iters(params.max_iter)).run() {
        Ok(res) => res.state().get_iter(),
        Err(e) if e.to_string().contains(EVAL_BUDGET) => params.max_iter,
        Err(e) => return Err(Error::Train(format!("L-BFGS: {e}"))),
    };
    let (objective, p) = best
        .into_inner()
        .unwrap()
        .ok_or_else(|| Error::Train("L-BFGS returned no parameters".into()))?;
    let p = p.as_slice().expect("contiguous");
    if p.iter().any(|v| !v.is_finite()) {
        return Err(Error::Train("the solver diverged (non-finite weights); try a larger --l2".into()));
    }
    Ok(Fitted { weights: p[..n_cols * k].to_vec(), bias: p[n_cols * k..].to_vec(), iterations, objective })
}

fn fit_linfa(x: &Csr, y: &[usize], k: usize, params: &SolverParams) -> Result<Fitted> {
    use linfa::traits::Fit;
    use linfa::Dataset;
    use linfa_logistic::MultiLogisticRegression;
    let (n, d) = (x.n_rows(), x.n_cols);
    if n.saturating_mul(d) > 200_000_000 {
        return Err(Error::Params(format!(
            "--solver linfa needs a dense {n} x {d} matrix; use the default sparse solver for problems this size"
        )));
    }
    let mut dense = Array2::<f64>::zeros((n, d));
    for i in 0..n {
        let (cols, vals) = x.row(i);
        for (&c, &v) in cols.iter().zip(vals) {
            dense[[i, c as usize]] += v as f64;
        }
    }
    let targets = Array1::from_iter(y.iter().copied());
    let ds = Dataset::new(dense, targets);
    let model = MultiLogisticRegression::default()
        .alpha(params.alpha)
        .max_iterations(params.max_iter)
        .fit(&ds)
        .map_err(|e| Error::Train(format!("linfa-logistic: {e}")))?;
    // linfa's classes are sorted and in column order; map them back to ours.
    let classes: Vec<usize> = model.classes().to_vec();
    let mut weights = vec![0.0; d * k];
    let mut bias = vec![0.0; k];
    let params_m = model.params();
    let icpt = model.intercept();
    for (col, &c) in classes.iter().enumerate() {
        for j in 0..d {
            weights[j * k + c] = params_m[[j, col]];
        }
        bias[c] = icpt[col];
    }
    Ok(Fitted { weights, bias, iterations: params.max_iter, objective: f64::NAN })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small separable-ish problem with a deterministic pseudo-random design.
    fn problem() -> (Csr, Vec<usize>) {
        let mut x = Csr::new(12);
        let mut y = Vec::new();
        let mut s = 7u64;
        for i in 0..90 {
            let c = i % 3;
            let mut cols = vec![c as u32 * 2, 6 + (i % 5) as u32];
            s = crate::hash::finish(s);
            cols.push((s % 12) as u32);
            cols.sort();
            cols.dedup();
            let vals: Vec<f32> = cols.iter().map(|_| 0.7).collect();
            x.push(&cols, &vals);
            y.push(if s % 7 == 0 { (c + 1) % 3 } else { c });
        }
        (x, y)
    }

    fn probs(f: &Fitted, x: &Csr, k: usize) -> Vec<Vec<f64>> {
        (0..x.n_rows())
            .map(|i| {
                let (cols, vals) = x.row(i);
                let mut z = f.bias.clone();
                for (&c, &v) in cols.iter().zip(vals) {
                    for q in 0..k {
                        z[q] += v as f64 * f.weights[c as usize * k + q];
                    }
                }
                crate::model::softmax(&mut z);
                z
            })
            .collect()
    }

    #[test]
    fn sparse_and_linfa_solvers_agree() {
        let (x, y) = problem();
        let base = SolverParams { alpha: 1.0, class_weight: ClassWeight::None, max_iter: 500, tol: 0.0, ..Default::default() };
        // tol 0 also checks that the solver stops on a flat objective.
        let a = fit(&x, &y, 3, &base, &|_| {}).unwrap();
        let b = fit(&x, &y, 3, &SolverParams { solver: SolverKind::Linfa, ..base }, &|_| {}).unwrap();
        let (pa, pb) = (probs(&a, &x, 3), probs(&b, &x, 3));
        let mut worst = 0.0f64;
        for (ra, rb) in pa.iter().zip(&pb) {
            for (u, v) in ra.iter().zip(rb) {
                worst = worst.max((u - v).abs());
            }
        }
        assert!(worst < 1e-3, "max probability difference {worst}");
        // And the model learnt something: most rows get their class.
        let right = pa.iter().zip(&y).filter(|(p, c)| crate::model::argmax(p) == **c).count();
        assert!(right > 60, "{right}/90");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y) = problem();
        let pr = Problem {
            x: &x,
            y: &y,
            k: 3,
            alpha: 0.3,
            sample_w: class_weights(&y, 3, ClassWeight::Balanced),
            cache: Mutex::new(None),
            progress: &|_| {},
            evals: Mutex::new(0),
            max_evals: 100,
            best: &Mutex::new(None),
        };
        let p = Array1::from_iter((0..39).map(|i| ((i * 37 % 11) as f64 - 5.0) / 10.0));
        let (_, g) = pr.eval(&p);
        for i in [0, 5, 17, 36, 38] {
            let mut a = p.clone();
            let mut b = p.clone();
            a[i] += 1e-5;
            b[i] -= 1e-5;
            let num = (pr.eval(&a).0 - pr.eval(&b).0) / 2e-5;
            assert!((num - g[i]).abs() < 1e-4 * (1.0 + num.abs()), "{i}: {num} vs {}", g[i]);
        }
    }

    #[test]
    fn bad_params_are_refused() {
        let (x, y) = problem();
        for p in [
            SolverParams { alpha: 0.0, ..Default::default() },
            SolverParams { alpha: f64::NAN, ..Default::default() },
            SolverParams { max_iter: 0, ..Default::default() },
            SolverParams { solver: SolverKind::Linfa, ..Default::default() },
        ] {
            assert!(fit(&x, &y, 3, &p, &|_| {}).is_err(), "{p:?}");
        }
    }
}
