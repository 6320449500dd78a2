//! How far a measured figure could move on another test set of the same
//! size: percentile bootstrap intervals for one model, and for the
//! difference between two models scored on the same items (paired).
//!
//! Drawing items with replacement is the same as drawing the cells they
//! fall in (a confusion cell, or for two models a (truth, model A, model B)
//! cell) with probability count / n, so no per-item storage is needed.
//! Resamples run on all cores, each seeded by its index: the intervals do
//! not depend on the thread count.

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::metrics::Meter;

/// The central 95 % of the resampled values: (2.5th, 97.5th percentile).
pub type Interval = (f64, f64);

/// Intervals of one meter's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    pub resamples: usize,
    pub accuracy: Interval,
    pub macro_f1: Interval,
    pub f_avg: Option<Interval>,
}

/// `resamples` draws of `n = sum(cells)` cells each; `measure` sees each
/// draw's counts per cell.
pub(crate) fn resample<T: Send>(cells: &[u64], resamples: usize, seed: u64, measure: impl Fn(&[u64]) -> T + Sync) -> Vec<T> {
    let mut upto = Vec::with_capacity(cells.len());
    let mut n = 0u64;
    for &c in cells {
        n += c;
        upto.push(n);
    }
    (0..resamples)
        .into_par_iter()
        .map(|r| {
            let mut rng = crate::hash::mix(seed ^ 0xB007, r as u64);
            let mut counts = vec![0u64; cells.len()];
            for _ in 0..n {
                rng = crate::hash::finish(rng.wrapping_add(0x9E37_79B9_7F4A_7C15));
                // A uniform draw in 0..n, then the cell it falls in.
                let u = ((rng as u128 * n as u128) >> 64) as u64;
                counts[upto.partition_point(|&c| c <= u)] += 1;
            }
            measure(&counts)
        })
        .collect()
}

/// A mean score over articles and its 95 % percentile bootstrap interval:
/// `resamples` draws of as many articles as there are, with replacement,
/// each draw's mean pooled over the scored mentions of the articles drawn.
/// Articles, not mentions, are drawn, since the mentions of one article are
/// not independent of each other. `articles` holds each article's (sum of
/// scores, scored mentions); `None` when no mention is scored. The one
/// implementation behind `stance summarize` and `stance report`.
pub fn article_mean(articles: &[(f64, usize)], resamples: usize, seed: u64) -> Option<(f64, Interval)> {
    let all = vec![1u64; articles.len()];
    let mean = pooled_mean(articles, &all)?;
    let draws = resample(&all, resamples, seed, |drawn| pooled_mean(articles, drawn));
    Some((mean, interval(draws.into_iter().flatten().collect())))
}

/// The mean of the scored mentions of the articles drawn `counts[i]` times each.
fn pooled_mean(articles: &[(f64, usize)], counts: &[u64]) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u64);
    for (&(s, k), &c) in articles.iter().zip(counts) {
        sum += s * c as f64;
        n += k as u64 * c;
    }
    (n > 0).then(|| sum / n as f64)
}

pub(crate) fn interval(mut v: Vec<f64>) -> Interval {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    (at(0.025), at(0.975))
}

/// A meter's figures in a fixed order: accuracy, macro-F1, F_avg.
fn figures(m: &Meter) -> [Option<f64>; 3] {
    [Some(m.accuracy()), Some(m.macro_f1()), m.f_avg()]
}

fn meter_of(labels: &[String], cells: &[u64]) -> Meter {
    let k = labels.len();
    let mut m = Meter::new(labels);
    for (i, &c) in cells.iter().enumerate() {
        m.confusion[i / k][i % k] = c;
    }
    m
}

/// Percentile bootstrap intervals of `m`'s figures.
pub fn intervals(m: &Meter, resamples: usize, seed: u64) -> Intervals {
    let cells: Vec<u64> = m.confusion.iter().flatten().copied().collect();
    let figs = resample(&cells, resamples, seed, |c| figures(&meter_of(&m.labels, c)));
    let column = |i: usize| interval(figs.iter().filter_map(|f| f[i]).collect());
    Intervals { resamples, accuracy: column(0), macro_f1: column(1), f_avg: m.f_avg().map(|_| column(2)) }
}

impl Intervals {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "resamples": self.resamples,
            "accuracy": [self.accuracy.0, self.accuracy.1],
            "macro_f1": [self.macro_f1.0, self.macro_f1.1],
        });
        if let Some(f) = self.f_avg {
            v["f_avg"] = json!([f.0, f.1]);
        }
        v
    }

    pub fn to_text(&self) -> String {
        let mut s = format!(
            "95% bootstrap intervals ({} resamples): accuracy {:.4}-{:.4}  macro-F1 {:.4}-{:.4}",
            self.resamples, self.accuracy.0, self.accuracy.1, self.macro_f1.0, self.macro_f1.1
        );
        if let Some(f) = self.f_avg {
            s.push_str(&format!("  F_avg {:.4}-{:.4}", f.0, f.1));
        }
        s.push('\n');
        s
    }
}

/// Two models' predictions on the same items: counts per (truth, model A,
/// model B) cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub labels: Vec<String>,
    cells: Vec<u64>,
}

/// One figure of model A minus model B.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub name: &'static str,
    pub a: f64,
    pub b: f64,
    /// Interval of the resampled differences A - B.
    pub interval: Interval,
    /// Share of resamples in which A scored higher than B.
    pub a_ahead: f64,
}

impl Paired {
    pub fn new(labels: &[String]) -> Self {
        let k = labels.len();
        Paired { labels: labels.to_vec(), cells: vec![0; k * k * k] }
    }

    pub fn add(&mut self, truth: usize, a: usize, b: usize) {
        let k = self.labels.len();
        self.cells[(truth * k + a) * k + b] += 1;
    }

    /// Each model's own meter.
    pub fn meters(&self) -> (Meter, Meter) {
        self.split(&self.cells)
    }

    fn split(&self, cells: &[u64]) -> (Meter, Meter) {
        let k = self.labels.len();
        let (mut a, mut b) = (Meter::new(&self.labels), Meter::new(&self.labels));
        for (i, &c) in cells.iter().enumerate() {
            let (t, pa, pb) = (i / (k * k), i / k % k, i % k);
            a.confusion[t][pa] += c;
            b.confusion[t][pb] += c;
        }
        (a, b)
    }

    /// Paired bootstrap of every figure's difference A - B: each resample
    /// draws the same items for both models, so what the two share (the
    /// easy and the hard items) cancels out.
    pub fn compare(&self, resamples: usize, seed: u64) -> Comparison {
        let (a, b) = self.meters();
        let diffs = resample(&self.cells, resamples, seed, |c| {
            let (ma, mb) = self.split(c);
            let (fa, fb) = (figures(&ma), figures(&mb));
            [0, 1, 2].map(|i| fa[i].zip(fb[i]).map(|(x, y)| x - y))
        });
        let (fa, fb) = (figures(&a), figures(&b));
        let differences = ["accuracy", "macro_f1", "f_avg"]
            .iter()
            .enumerate()
            .filter_map(|(i, &name)| {
                let (x, y) = (fa[i]?, fb[i]?);
                let d: Vec<f64> = diffs.iter().filter_map(|f| f[i]).collect();
                let a_ahead = d.iter().filter(|&&v| v > 0.0).count() as f64 / d.len().max(1) as f64;
                Some(Difference { name, a: x, b: y, interval: interval(d), a_ahead })
            })
            .collect();
        Comparison { resamples, differences }
    }
}

/// Every figure's paired difference, model A minus model B.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub resamples: usize,
    pub differences: Vec<Difference>,
}

impl Comparison {
    pub fn to_json(&self) -> Value {
        let mut v = json!({ "resamples": self.resamples });
        for d in &self.differences {
            v[d.name] = json!({
                "model": d.a, "compare": d.b, "difference": d.a - d.b,
                "ci95": [d.interval.0, d.interval.1], "model_ahead": d.a_ahead,
            });
        }
        v
    }

    pub fn to_text(&self) -> String {
        let mut s = format!("model - compare, paired bootstrap ({} resamples):\n", self.resamples);
        for d in &self.differences {
            s.push_str(&format!(
                "  {:9} {:.4} - {:.4} = {:+.4}  95% {:+.4} to {:+.4}  model ahead in {:.0}% of resamples\n",
                d.name.replace('_', "-"),
                d.a,
                d.b,
                d.a - d.b,
                d.interval.0,
                d.interval.1,
                100.0 * d.a_ahead
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance_meter(scale: u64) -> Meter {
        let labels: Vec<String> = ["none", "against", "favor"].iter().map(|s| s.to_string()).collect();
        let mut m = Meter::new(&labels);
        m.confusion = vec![vec![11 * scale, 8 * scale, 3 * scale], vec![7 * scale, 54 * scale, 10 * scale], vec![3 * scale, 8 * scale, 19 * scale]];
        m
    }

    #[test]
    fn an_article_mean_pools_mentions_and_resamples_whole_articles() {
        // Two articles: mean of the five mentions, not of the two articles.
        let (mean, (low, high)) = article_mean(&[(-2.0, 2), (3.0, 3)], 500, 7).unwrap();
        assert!((mean - 0.2).abs() < 1e-12);
        // A draw holds one article twice or both: -1, 0.2 or 1.
        assert!(low <= mean && mean <= high && low >= -1.0 && high <= 1.0, "{low} {high}");
        assert_eq!(article_mean(&[(-2.0, 2), (3.0, 3)], 500, 7), article_mean(&[(-2.0, 2), (3.0, 3)], 500, 7));
        // One article's mentions move together: no spread at all.
        assert_eq!(article_mean(&[(1.5, 3)], 100, 0), Some((0.5, (0.5, 0.5))));
        // Articles without a scored mention count for nothing.
        assert_eq!(article_mean(&[(0.0, 0)], 100, 0), None);
    }

    #[test]
    fn bootstrap_intervals_hold_the_estimate_and_narrow_with_more_data() {
        let small = stance_meter(1);
        let ci = intervals(&small, 500, 3);
        assert_eq!(ci, intervals(&small, 500, 3), "seeded");
        assert_ne!(ci, intervals(&small, 500, 4), "the seed matters");
        for (lo_hi, point) in [(ci.accuracy, small.accuracy()), (ci.macro_f1, small.macro_f1()), (ci.f_avg.unwrap(), small.f_avg().unwrap())] {
            assert!(lo_hi.0 < point && point < lo_hi.1, "{lo_hi:?} around {point}");
        }
        // 123 items: the accuracy's standard error is about 0.043, so the
        // interval is about 0.17 wide; with 100 times the items, a tenth.
        let width = |c: (f64, f64)| c.1 - c.0;
        assert!((0.12..0.22).contains(&width(ci.accuracy)), "{ci:?}");
        let big = intervals(&stance_meter(100), 200, 3);
        assert!((0.012..0.022).contains(&width(big.accuracy)), "{big:?}");
        // A perfect meter cannot move.
        let mut perfect = Meter::new(&small.labels);
        for c in 0..3 {
            perfect.confusion[c][c] = 5;
        }
        let p = intervals(&perfect, 50, 0);
        assert_eq!((p.accuracy, p.macro_f1, p.f_avg), ((1.0, 1.0), (1.0, 1.0), Some((1.0, 1.0))));
        // Sentiment labels have no F_avg.
        let mut sent = Meter::new(&["negative".to_string(), "neutral".to_string(), "positive".to_string()]);
        sent.confusion = small.confusion.clone();
        assert!(intervals(&sent, 20, 0).f_avg.is_none());
    }

    #[test]
    fn paired_differences_cancel_what_the_models_share() {
        let labels: Vec<String> = ["none", "against", "favor"].iter().map(|s| s.to_string()).collect();
        // 400 items; A and B agree on most, A is right on 24 more.
        let mut p = Paired::new(&labels);
        let mut add = |n: usize, t: usize, a: usize, b: usize| (0..n).for_each(|_| p.add(t, a, b));
        add(150, 1, 1, 1);
        add(60, 2, 2, 2);
        add(40, 0, 0, 0);
        add(80, 1, 2, 2); // both wrong
        add(30, 2, 2, 1); // A right, B wrong
        add(6, 1, 2, 1); // B right, A wrong
        add(34, 0, 1, 1);
        let (a, b) = p.meters();
        assert_eq!(a.n(), 400);
        assert_eq!(b.n(), 400);
        let d = p.compare(1000, 1).differences;
        assert_eq!(d.iter().map(|x| x.name).collect::<Vec<_>>(), ["accuracy", "macro_f1", "f_avg"]);
        let acc = &d[0];
        assert!((acc.a - acc.b - 24.0 / 400.0).abs() < 1e-12);
        // Each model alone: accuracy 0.7 on 400 items, standard error
        // 0.023, an interval about 0.09 wide. The paired difference only
        // varies with the 36 items the models disagree on: standard error
        // sqrt((36/400 - 0.06^2) / 400) = 0.0147, about 0.058 wide. Unpaired,
        // the two models' errors would add up to about 0.13.
        let alone = intervals(&a, 1000, 1).accuracy;
        assert!((0.08..0.10).contains(&(alone.1 - alone.0)), "{alone:?}");
        assert!((0.048..0.068).contains(&(acc.interval.1 - acc.interval.0)), "{acc:?}");
        assert!(acc.interval.0 > 0.0 && acc.a_ahead > 0.99, "{acc:?}");
        assert_eq!(d, p.compare(1000, 1).differences, "seeded");
        // A model against itself: no difference in any resample.
        let mut same = Paired::new(&labels);
        for (t, x) in [(0, 0), (1, 1), (2, 1), (1, 2)] {
            same.add(t, x, x);
        }
        for x in same.compare(100, 0).differences {
            assert_eq!((x.interval, x.a_ahead), ((0.0, 0.0), 0.0));
        }
    }
}
