//! What `stance eval` and `stance train` tell the user: the evaluation
//! (with bootstrap intervals and a paired comparison when asked for) as a
//! table or JSON, and the summary of a training run.

use std::path::{Path, PathBuf};

use crate::bootstrap::{self, Comparison, Intervals};
use crate::bundle::Bundle;
use crate::corpus::{Format, ReadOptions};
use crate::error::Result;
use crate::evaluate::{evaluate, evaluate_pair};
use crate::metrics::Meter;
use crate::predictions::{self, PredictionsFile, Scored};
use crate::train::Trained;

/// What `stance eval` measures and where it writes.
pub struct EvalPlan<'a> {
    pub format: Format,
    pub files: &'a [PathBuf],
    pub read: ReadOptions,
    /// Write one CSV row per scored target here.
    pub predictions: Option<&'a Path>,
    /// Resamples for bootstrap intervals (and, with a comparison, of the
    /// paired differences: 1000 when not given).
    pub bootstrap: Option<u32>,
    pub seed: u64,
    /// Told where each scored target was read (a progress bar).
    pub progress: Option<&'a dyn Fn(&crate::error::Location)>,
}

/// A second model scored on the same data, and the paired differences.
pub struct Compared {
    pub model: PathBuf,
    pub metrics: Meter,
    pub difference: Comparison,
}

pub struct EvalReport {
    pub metrics: Meter,
    pub ci95: Option<Intervals>,
    pub compare: Option<Compared>,
}

/// Score `plan.files` with `bundle` (and `other`), writing predictions
/// if asked, and measure.
pub fn eval(bundle: &Bundle, other: Option<&Bundle>, plan: &EvalPlan) -> Result<EvalReport> {
    if let Some(p) = plan.predictions {
        let models: Vec<&Path> = std::iter::once(bundle).chain(other).map(|b| b.path.as_path()).collect();
        predictions::check_path(p, plan.format, &[plan.files], &models)?;
    }
    let mut file = plan.predictions.map(|p| PredictionsFile::create(p, &bundle.model.labels, false)).transpose()?;
    let mut write = |s: Scored| {
        if let Some(tell) = plan.progress {
            tell(&s.example.at);
        }
        match file.as_mut() {
            Some(f) => f.write(&s, None),
            None => Ok(()),
        }
    };
    // With a second model: its meter and the paired counts.
    let (metrics, paired) = match other {
        Some(o) => {
            let paired = evaluate_pair(bundle, o, plan.format, plan.files, plan.read, &mut write)?;
            let (mine, theirs) = paired.meters();
            (mine, Some((o, theirs, paired)))
        }
        None => (evaluate(bundle, plan.format, plan.files, plan.read, &mut write)?, None),
    };
    if let Some(f) = file {
        f.finish()?;
    }
    let ci95 = plan.bootstrap.map(|n| bootstrap::intervals(&metrics, n as usize, plan.seed));
    let compare = paired.map(|(o, theirs, p)| Compared {
        model: o.path.clone(),
        metrics: theirs,
        difference: p.compare(plan.bootstrap.unwrap_or(1000) as usize, plan.seed),
    });
    Ok(EvalReport { metrics, ci95, compare })
}

impl EvalReport {
    /// One JSON object, on one line.
    pub fn to_json(&self) -> String {
        let mut v = self.metrics.to_json();
        if let Some(ci) = &self.ci95 {
            v["ci95"] = ci.to_json();
        }
        if let Some(c) = &self.compare {
            v["compare"] = serde_json::json!({ "model": c.model.display().to_string(), "metrics": c.metrics.to_json(), "difference": c.difference.to_json() });
        }
        format!("{v}\n")
    }

    /// Tables for people.
    pub fn to_text(&self) -> String {
        let mut s = self.metrics.to_text();
        if let Some(ci) = &self.ci95 {
            s.push('\n');
            s.push_str(&ci.to_text());
        }
        if let Some(c) = &self.compare {
            s.push_str(&format!("\ncompare: {}\n{}\n{}", c.model.display(), c.metrics.to_text(), c.difference.to_text()));
        }
        s
    }
}

/// What `stance train` prints once the bundle is written to `out`: the
/// fit, the training accuracy beside the held-out score (its metric
/// named), the held-out table, and last where the bundle went.
pub fn train_summary(trained: &Trained, out: &Path) -> String {
    let m = &trained.model;
    let t = &trained.record;
    let mut s = format!(
        "trained on {} targets: {} features, {} classes, l2 {}, {} iterations\n",
        t.n_train_targets,
        m.n_features(),
        m.n_classes(),
        t.solver.alpha,
        t.iterations,
    );
    let on = match t.cv_folds {
        Some(k) => format!("{k}-fold cross-validation"),
        None => "dev".to_string(),
    };
    let metric = trained.dev.as_ref().map_or("macro-F1", |d| d.headline_name());
    for (l2, score) in &t.l2_search {
        s.push_str(&format!("  {on} {metric} at l2 {l2}: {score:.4}\n"));
    }
    let fitted_on = if t.refit_on_dev || t.cv_folds.is_some() { "train + dev" } else { "train" };
    s.push_str(&format!("training accuracy ({fitted_on}): {:.4}", trained.train_accuracy));
    if let Some(dev) = &trained.dev {
        s.push_str(&format!("; {on} {metric} at l2 {}: {:.4}\n\n{on}:\n{}", t.solver.alpha, dev.headline(), dev.to_text()));
    } else {
        s.push('\n');
    }
    if let Some(topics) = trained.topics.describe() {
        s.push_str(&topics);
    }
    s.push_str(&format!("wrote {}\n", out.display()));
    s
}
