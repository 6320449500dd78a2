//! Training: corpus -> tokenizer -> features -> dictionary -> solver ->
//! bundle. Hyper-parameters live in [`TrainParams`], checked once up front.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::bundle::{FileSum, Meta, TrainingRecord};
use crate::corpus::{self, Example, Format, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::features::{to_row, Feature, FeatureParams};
use crate::hash::IdentityBuild;
use crate::metrics::Meter;
use crate::model::{argmax, LinearModel};
use crate::pipeline::{Featurizer, PerThread};
use crate::solver::{self, Csr, SolverParams};
use crate::tokenize::{self, WordTokenizer};

#[derive(Debug, Clone)]
pub struct TrainParams {
    pub format: Format,
    pub features: FeatureParams,
    pub solver: SolverParams,
    /// L2 strengths to try; with several, the best on dev is kept.
    pub l2_grid: Vec<f64>,
    /// Keep features seen in at least this many training targets.
    pub min_count: u32,
    /// After choosing on dev, fit again on train + dev.
    pub refit: bool,
    /// Choose the L2 strength by K-fold cross-validation over train + dev
    /// instead of on dev alone, then fit on train + dev.
    pub cv_folds: Option<usize>,
    pub read: ReadOptions,
}

impl TrainParams {
    pub fn check(&self, has_dev: bool) -> Result<()> {
        self.features.check()?;
        if self.l2_grid.is_empty() {
            return Err(Error::Params("--l2 needs at least one value".into()));
        }
        for &a in &self.l2_grid {
            SolverParams { alpha: a, ..self.solver.clone() }.check()?;
        }
        if self.l2_grid.len() > 1 && !has_dev && self.cv_folds.is_none() {
            return Err(Error::Params("several --l2 values are chosen between on dev data: give --dev or --cv".into()));
        }
        if let Some(k) = self.cv_folds
            && !(2..=20).contains(&k)
        {
            return Err(Error::Params(format!("--cv {k}: the number of folds must be 2..=20")));
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
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn stage(&self, _: &str) {}
    fn solver_step(&self, _: u64) {}
}

pub struct Trained {
    pub meta: Meta,
    pub model: LinearModel,
    pub tokenizer_json: String,
    pub dev: Option<Meter>,
    /// With `--cv`: every example's held-out prediction.
    pub held_out: Option<HeldOut>,
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

/// Labels in a conventional order where the set is a known one.
pub fn label_order(format: Format, seen: &[String]) -> Vec<String> {
    let known: &[&str] = match format {
        Format::Newsmtsc => &corpus::newsmtsc::LABELS,
        Format::Tweeteval => &corpus::tweeteval::LABELS,
        Format::Csv => &[],
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    if !known.is_empty() {
        return s(known);
    }
    for order in [&["negative", "neutral", "positive"][..], &["against", "none", "favor"][..]] {
        if seen.iter().all(|l| order.contains(&l.as_str())) {
            return order.iter().filter(|o| seen.iter().any(|l| l == *o)).map(|o| o.to_string()).collect();
        }
    }
    let mut v = seen.to_vec();
    v.sort();
    v.dedup();
    v
}

/// Map every target's label to its class index; unknown labels are errors.
pub fn label_ids(examples: &[Example], labels: &[String]) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for ex in examples {
        for t in &ex.targets {
            let c = labels.iter().position(|l| *l == t.label).ok_or_else(|| {
                Error::input(
                    Location::line(&ex.at.file, t.line),
                    format!("unknown label {:?} (the model knows: {})", t.label, labels.join(", ")),
                )
            })?;
            out.push(c);
        }
    }
    Ok(out)
}

/// Features of every target of every example, in order, on all cores.
pub fn featurize(examples: &[Example], featurizers: &PerThread<Featurizer>) -> Vec<Vec<Feature>> {
    let per: Vec<Vec<Vec<Feature>>> = examples.par_iter().map(|ex| featurizers.with(|fz| fz.example(ex))).collect();
    per.into_iter().flatten().collect()
}

/// Examples per wave of the row-building pass: enough to keep every core
/// busy, few enough that one wave's unmerged rows stay small.
const WAVE: usize = 4096;

/// Document frequency of every feature of `examples` (a feature counts
/// once per target even when it occurs several times, as character
/// n-grams do). The features are extracted and dropped block by block: kept
/// for the row pass, they were the largest thing training held (16 bytes an
/// occurrence, 1.5 GB for 140,000 targets); extracting them twice was no
/// slower than allocating and keeping them.
fn document_frequencies(examples: &[Example], featurizers: &PerThread<Featurizer>) -> HashMap<u64, u32, IdentityBuild> {
    crate::count::in_blocks(examples, |exs, df: &mut HashMap<u64, u32, IdentityBuild>| {
        let mut d: Vec<u64> = Vec::new();
        for ex in exs {
            for f in featurizers.with(|fz| fz.example(ex)) {
                d.clear();
                d.extend(f.iter().map(|&(h, _)| h));
                d.sort_unstable();
                d.dedup();
                for &h in &d {
                    *df.entry(h).or_insert(0) += 1;
                }
            }
        }
    })
}

/// The training matrix: every target's features extracted again, weighted
/// and normalised (`to_row`), one wave of examples at a time on all cores,
/// appended in order.
fn rows(examples: &[Example], featurizers: &PerThread<Featurizer>, lookup: &(dyn Fn(u64) -> Option<(u32, f32)> + Sync), n_cols: usize) -> Csr {
    let mut x = Csr::new(n_cols);
    for wave in examples.chunks(WAVE) {
        let built: Vec<Vec<(Vec<u32>, Vec<f32>)>> = wave
            .par_iter()
            .map(|ex| {
                let feats = featurizers.with(|fz| fz.example(ex));
                feats
                    .iter()
                    .map(|f| {
                        let (mut c, mut v) = (Vec::new(), Vec::new());
                        to_row(f, lookup, &mut c, &mut v);
                        // A feature that occurs several times (a character
                        // n-gram in several words) becomes one entry holding
                        // the sum: the same products, and a third fewer
                        // non-zeros for the solver to visit.
                        let mut merged: Vec<(u32, f32)> = c.into_iter().zip(v).collect();
                        merged.sort_unstable_by_key(|e| e.0);
                        crate::model::merge_runs(&mut merged);
                        merged.into_iter().unzip()
                    })
                    .collect()
            })
            .collect();
        for (c, v) in built.iter().flatten() {
            x.push(c, v);
        }
    }
    x
}

fn score_rows(model: &LinearModel, feats: &[Vec<Feature>]) -> Vec<Vec<f64>> {
    feats.iter().map(|f| model.score_features(f)).collect()
}

fn meter_of(labels: &[String], probabilities: &[Vec<f64>], truth: &[usize]) -> Meter {
    let mut m = Meter::new(labels);
    for (p, &t) in probabilities.iter().zip(truth) {
        m.add(t, argmax(p));
    }
    m
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
    let labels = label_order(params.format, &seen);
    if labels.len() > LinearModel::MAX_CLASSES {
        return Err(Error::Train(format!(
            "the training data has {} labels; stance supports at most {}",
            labels.len(),
            LinearModel::MAX_CLASSES
        )));
    }
    let mut held_out = None;
    let (fit, search, dev_meter, refit) = match params.cv_folds {
        Some(k) => {
            // Every grid point is scored on each fold by a model fitted on
            // the other folds; the final model learns from all of it.
            let pool: Vec<Example> = train.iter().chain(dev.iter()).cloned().collect();
            if pool.len() < 2 * k {
                return Err(Error::Params(format!("--cv {k} needs at least {} examples (two per fold); the data has {}", 2 * k, pool.len())));
            }
            let CrossValidated { scores, fold, probabilities } = cross_validate(&pool, &labels, params, k, progress)?;
            let best = best_of(&scores);
            let (alpha, meter) = (scores[best].0, scores[best].1.clone());
            progress.stage(&format!("fitting on all {} examples (l2 {alpha})", pool.len()));
            let fit = fit_grid(&pool, &[], &labels, params, &[alpha], progress)?;
            let search = scores.iter().map(|(a, m)| (*a, m.headline())).collect();
            held_out = Some(HeldOut { examples: pool, fold, probabilities: probabilities.into_iter().nth(best).expect("grid point") });
            (fit, search, Some(meter), !dev.is_empty())
        }
        None => {
            let mut fit = fit_grid(&train, &dev, &labels, params, &params.l2_grid, progress)?;
            let dev_meter = fit.dev.take();
            let search = std::mem::take(&mut fit.search);
            let refit = params.refit && !dev.is_empty();
            if refit {
                // Hyper-parameters were chosen on dev; now learn from dev too.
                progress.stage("refitting on train + dev");
                let all: Vec<Example> = train.iter().chain(dev.iter()).cloned().collect();
                fit = fit_grid(&all, &[], &labels, params, &[fit.alpha], progress)?;
            }
            (fit, search, dev_meter, refit)
        }
    };
    let Fit { model, tokenizer_json, fitted, alpha, n_rows, .. } = fit;
    let name = |p: &[_]| p.iter().map(|f: &&Path| f.display().to_string()).collect::<Vec<_>>();
    let tf: Vec<&Path> = train_files.iter().map(|p| p.as_ref()).collect();
    let dv: Vec<&Path> = dev_files.iter().map(|p| p.as_ref()).collect();
    let meta = Meta {
        format: String::new(),
        version: 0,
        labels,
        features: params.features.clone(),
        training: TrainingRecord {
            corpus_format: params.format,
            train_files: name(&tf),
            dev_files: name(&dv),
            n_train_targets: n_rows,
            min_count: params.min_count,
            solver: SolverParams { alpha, ..params.solver.clone() },
            iterations: fitted.iterations,
            objective: fitted.objective,
            dev: dev_meter.as_ref().map(|m| m.to_json()),
            l2_search: if params.l2_grid.len() > 1 { search } else { vec![] },
            refit_on_dev: refit,
            cv_folds: params.cv_folds,
        },
        weights: FileSum { sha256: String::new(), bytes: 0 },
        tokenizer: FileSum { sha256: String::new(), bytes: 0 },
    };
    Ok(Trained { meta, model, tokenizer_json, dev: dev_meter, held_out })
}

struct CrossValidated {
    /// Each grid point's predictions on every held-out fold, pooled into one meter.
    scores: Vec<(f64, Meter)>,
    fold: Vec<usize>,
    /// Per grid point: every target's held-out probabilities, in pool order.
    probabilities: Vec<Vec<Vec<f64>>>,
}

/// K-fold cross-validation of the L2 grid over `pool`.
fn cross_validate(pool: &[Example], labels: &[String], params: &TrainParams, k: usize, progress: &dyn Progress) -> Result<CrossValidated> {
    let fold = crate::folds::assign(pool, k, params.features.seed);
    let mut pooled: Vec<(f64, Meter)> = params.l2_grid.iter().map(|&a| (a, Meter::new(labels))).collect();
    // Where each example's targets start among all targets of the pool.
    let first_row: Vec<usize> = pool.iter().scan(0, |n, e| {
        let at = *n;
        *n += e.targets.len();
        Some(at)
    }).collect();
    let n_rows = pool.iter().map(|e| e.targets.len()).sum();
    let mut probabilities = vec![vec![Vec::new(); n_rows]; params.l2_grid.len()];
    for f in 0..k {
        progress.stage(&format!("cross-validation fold {} of {k}", f + 1));
        let (held, rest): (Vec<_>, Vec<_>) = (0..pool.len()).partition(|&i| fold[i] == f);
        let rest: Vec<Example> = rest.into_iter().map(|i| pool[i].clone()).collect();
        let held_examples: Vec<Example> = held.iter().map(|&i| pool[i].clone()).collect();
        let fit = fit_grid(&rest, &held_examples, labels, params, &params.l2_grid, progress)?;
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
fn best_of(scores: &[(f64, Meter)]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if s.1.headline() > scores[best].1.headline() {
            best = i;
        }
    }
    best
}

struct Fit {
    model: LinearModel,
    tokenizer_json: String,
    dev: Option<Meter>,
    fitted: solver::Fitted,
    alpha: f64,
    search: Vec<(f64, f64)>,
    /// Every grid point's dev meter, in grid order (empty without dev).
    meters: Vec<Meter>,
    /// Every grid point's probabilities of each dev target, in order.
    dev_probabilities: Vec<Vec<Vec<f64>>>,
    n_rows: usize,
}

/// Tokenizer, features and one fit per L2 strength; the best on `dev` wins.
fn fit_grid(train: &[Example], dev: &[Example], labels: &[String], params: &TrainParams, grid: &[f64], progress: &dyn Progress) -> Result<Fit> {
    let labels = labels.to_vec();
    let y = label_ids(train, &labels)?;
    let y_dev = label_ids(dev, &labels)?;
    let k = labels.len();

    progress.stage("training tokenizer");
    let texts: Vec<&str> = train.iter().map(|e| e.text.as_str()).collect();
    let tk = tokenize::build(&texts, 1).map_err(Error::Train)?;
    let tokenizer_json = tk.to_string(false).map_err(|e| Error::Train(e.to_string()))?;
    let wt = WordTokenizer::from_tokenizer(&tk).map_err(Error::Train)?;

    progress.stage("counting document frequencies");
    let featurizers = PerThread::new(|| Featurizer::new(&params.features, &wt));
    let df = document_frequencies(train, &featurizers);
    let dev_feats = featurize(dev, &featurizers);
    // Training columns go most frequent first: the hot weights then share
    // cache lines, which makes a solver pass about twice as fast. The saved
    // model is re-sorted by hash.
    let mut by_freq: Vec<(u32, u64)> = df.into_iter().filter(|&(_, c)| c >= params.min_count).map(|(h, c)| (c, h)).collect();
    by_freq.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let train_hashes: Vec<u64> = by_freq.iter().map(|&(_, h)| h).collect();
    // Smoothed IDF, as scikit-learn's TfidfVectorizer: ln((1+n)/(1+df)) + 1.
    let n_docs = y.len() as f64;
    let train_idf: Vec<f32> = by_freq
        .iter()
        .map(|&(df, _)| if params.features.idf { (((1.0 + n_docs) / (1.0 + df as f64)).ln() + 1.0) as f32 } else { 1.0 })
        .collect();
    let index: HashMap<u64, u32, IdentityBuild> = train_hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    progress.stage("building rows");
    let x = rows(train, &featurizers, &|h| index.get(&h).map(|&c| (c, train_idf[c as usize])), train_hashes.len());
    let mut order: Vec<usize> = (0..train_hashes.len()).collect();
    order.sort_unstable_by_key(|&i| train_hashes[i]);
    let hashes: Vec<u64> = order.iter().map(|&i| train_hashes[i]).collect();
    let idf: Vec<f32> = order.iter().map(|&i| train_idf[i]).collect();
    progress.stage(&format!("{} rows, {} non-zeros, {} columns", x.n_rows(), x.cols.len(), x.n_cols));

    let mut best: Option<(f64, LinearModel, Option<Meter>, solver::Fitted, f64)> = None;
    let mut search = Vec::new();
    let mut meters = Vec::new();
    let mut dev_probabilities = Vec::new();
    for &alpha in grid {
        progress.stage(&format!("fitting (l2 {alpha})"));
        let sp = SolverParams { alpha, ..params.solver.clone() };
        let fitted = solver::fit(&x, &y, k, &sp, &|e| progress.solver_step(e))?;
        let weights = order.iter().flat_map(|&i| &fitted.weights[i * k..(i + 1) * k]).map(|&w| w as f32).collect();
        let model = LinearModel::new(labels.clone(), hashes.clone(), idf.clone(), weights, fitted.bias.iter().map(|&w| w as f32).collect());
        progress.stage(&format!("fitted in {} iterations, {} evaluations", fitted.iterations, fitted.evaluations));
        let probabilities = score_rows(&model, &dev_feats);
        let meter = (!dev.is_empty()).then(|| meter_of(&labels, &probabilities, &y_dev));
        dev_probabilities.push(probabilities);
        let score = meter.as_ref().map(|m| m.headline()).unwrap_or(0.0);
        search.push((alpha, score));
        meters.extend(meter.clone());
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, model, meter, fitted, alpha));
        }
    }
    let (_, model, dev, fitted, alpha) = best.expect("l2 grid is not empty");
    Ok(Fit { model, tokenizer_json, dev, fitted, alpha, search, meters, dev_probabilities, n_rows: y.len() })
}
