//! The meter: accuracy, macro-F1, per-class scores, confusion matrix and, for
//! stance labels, SemEval's F_avg = mean(F1 favor, F1 against).

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Meter {
    pub labels: Vec<String>,
    /// `confusion[true][predicted]`.
    pub confusion: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: u64,
}

impl Meter {
    pub fn new(labels: &[String]) -> Self {
        let k = labels.len();
        Meter { labels: labels.to_vec(), confusion: vec![vec![0; k]; k] }
    }

    pub fn add(&mut self, truth: usize, predicted: usize) {
        self.confusion[truth][predicted] += 1;
    }

    /// Add another meter's counts (same labels), e.g. one per fold.
    pub fn absorb(&mut self, other: &Meter) {
        debug_assert_eq!(self.labels, other.labels);
        for (row, o) in self.confusion.iter_mut().zip(&other.confusion) {
            for (c, x) in row.iter_mut().zip(o) {
                *c += x;
            }
        }
    }

    pub fn n(&self) -> u64 {
        self.confusion.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let right: u64 = (0..self.labels.len()).map(|i| self.confusion[i][i]).sum();
        ratio(right, self.n())
    }

    pub fn class(&self, c: usize) -> ClassScores {
        let tp = self.confusion[c][c];
        let predicted: u64 = self.confusion.iter().map(|r| r[c]).sum();
        let support: u64 = self.confusion[c].iter().sum();
        let (p, r) = (ratio(tp, predicted), ratio(tp, support));
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        ClassScores { precision: p, recall: r, f1, support }
    }

    /// Mean F1 over all classes of the label set (scikit-learn's macro
    /// average over the model's labels).
    pub fn macro_f1(&self) -> f64 {
        let k = self.labels.len();
        (0..k).map(|c| self.class(c).f1).sum::<f64>() / k as f64
    }

    /// Mean of F1(favor) and F1(against), when both labels exist.
    pub fn f_avg(&self) -> Option<f64> {
        let f = self.labels.iter().position(|l| l == "favor")?;
        let a = self.labels.iter().position(|l| l == "against")?;
        Some((self.class(f).f1 + self.class(a).f1) / 2.0)
    }

    /// The figure model selection optimises: F_avg for stance, else macro-F1.
    pub fn headline(&self) -> f64 {
        self.f_avg().unwrap_or_else(|| self.macro_f1())
    }

    pub fn to_json(&self) -> Value {
        let mut per = Map::new();
        for (c, l) in self.labels.iter().enumerate() {
            let s = self.class(c);
            per.insert(
                l.clone(),
                json!({"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}),
            );
        }
        let mut v = json!({
            "n": self.n(),
            "accuracy": self.accuracy(),
            "macro_f1": self.macro_f1(),
            "per_class": per,
            "confusion": {"labels": self.labels, "matrix": self.confusion},
        });
        if let Some(f) = self.f_avg() {
            v["f_avg"] = json!(f);
        }
        v
    }

    /// A human-readable report.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let w = self.labels.iter().map(|l| l.len()).max().unwrap_or(5).max(9);
        let _ = write!(s, "n {}  accuracy {:.4}  macro-F1 {:.4}", self.n(), self.accuracy(), self.macro_f1());
        if let Some(f) = self.f_avg() {
            let _ = write!(s, "  F_avg {f:.4}");
        }
        let _ = writeln!(s, "\n\n{:w$}  precision  recall      f1  support", "class");
        for (c, l) in self.labels.iter().enumerate() {
            let x = self.class(c);
            let _ = writeln!(s, "{l:w$}  {:9.4}  {:6.4}  {:6.4}  {:7}", x.precision, x.recall, x.f1, x.support);
        }
        let _ = writeln!(s, "\nconfusion (rows: true, columns: predicted)");
        let _ = write!(s, "{:w$}", "");
        for l in &self.labels {
            let _ = write!(s, "  {l:>w$}");
        }
        let _ = writeln!(s);
        for (c, l) in self.labels.iter().enumerate() {
            let _ = write!(s, "{l:w$}");
            for v in &self.confusion[c] {
                let _ = write!(s, "  {v:>w$}");
            }
            let _ = writeln!(s);
        }
        s
    }
}

/// Percentile bootstrap intervals of a meter's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    pub resamples: usize,
    /// The central 95 % of the resampled figures: (2.5th, 97.5th percentile).
    pub accuracy: (f64, f64),
    pub macro_f1: (f64, f64),
    pub f_avg: Option<(f64, f64)>,
}

impl Meter {
    /// How much the figures could move on another sample of the same size:
    /// `resamples` test sets drawn with replacement from the items counted
    /// (a draw picks a confusion cell with probability count / n, which is
    /// the same as drawing an item), each measured. Seeded, so the same
    /// meter, count and seed give the same intervals on any machine.
    pub fn bootstrap(&self, resamples: usize, seed: u64) -> Intervals {
        use rayon::prelude::*;
        let k = self.labels.len();
        let n = self.n();
        // Cumulative counts over the cells, row-major.
        let mut upto = Vec::with_capacity(k * k);
        let mut total = 0u64;
        for row in &self.confusion {
            for &c in row {
                total += c;
                upto.push(total);
            }
        }
        let figures: Vec<(f64, f64, Option<f64>)> = (0..resamples)
            .into_par_iter()
            .map(|r| {
                let mut rng = crate::hash::mix(seed ^ 0xB007, r as u64);
                let mut m = Meter::new(&self.labels);
                for _ in 0..n {
                    rng = crate::hash::finish(rng.wrapping_add(0x9E37_79B9_7F4A_7C15));
                    // A uniform draw in 0..n, then the cell it falls in.
                    let u = ((rng as u128 * n as u128) >> 64) as u64;
                    let cell = upto.partition_point(|&c| c <= u);
                    m.confusion[cell / k][cell % k] += 1;
                }
                (m.accuracy(), m.macro_f1(), m.f_avg())
            })
            .collect();
        let interval = |mut v: Vec<f64>| -> (f64, f64) {
            if v.is_empty() {
                return (f64::NAN, f64::NAN);
            }
            v.sort_by(f64::total_cmp);
            let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
            (at(0.025), at(0.975))
        };
        Intervals {
            resamples,
            accuracy: interval(figures.iter().map(|f| f.0).collect()),
            macro_f1: interval(figures.iter().map(|f| f.1).collect()),
            f_avg: self.f_avg().map(|_| interval(figures.iter().filter_map(|f| f.2).collect())),
        }
    }
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

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
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
    fn bootstrap_intervals_hold_the_estimate_and_narrow_with_more_data() {
        let small = stance_meter(1);
        let ci = small.bootstrap(500, 3);
        assert_eq!(ci, small.bootstrap(500, 3), "seeded");
        assert_ne!(ci, small.bootstrap(500, 4), "the seed matters");
        for (lo_hi, point) in [(ci.accuracy, small.accuracy()), (ci.macro_f1, small.macro_f1()), (ci.f_avg.unwrap(), small.f_avg().unwrap())] {
            assert!(lo_hi.0 < point && point < lo_hi.1, "{lo_hi:?} around {point}");
        }
        // 123 items: the accuracy's standard error is about 0.043, so the
        // interval is about 0.17 wide; with 100 times the items, a tenth.
        let width = |c: (f64, f64)| c.1 - c.0;
        assert!((0.12..0.22).contains(&width(ci.accuracy)), "{ci:?}");
        let big = stance_meter(100).bootstrap(200, 3);
        assert!((0.012..0.022).contains(&width(big.accuracy)), "{big:?}");
        // A perfect meter cannot move.
        let mut perfect = Meter::new(&small.labels);
        for c in 0..3 {
            perfect.confusion[c][c] = 5;
        }
        let p = perfect.bootstrap(50, 0);
        assert_eq!((p.accuracy, p.macro_f1, p.f_avg), ((1.0, 1.0), (1.0, 1.0), Some((1.0, 1.0))));
        // Sentiment labels have no F_avg.
        let mut sent = Meter::new(&["negative".to_string(), "neutral".to_string(), "positive".to_string()]);
        sent.confusion = small.confusion.clone();
        assert!(sent.bootstrap(20, 0).f_avg.is_none());
    }

    #[test]
    fn scores_match_hand_computation() {
        let labels: Vec<String> = ["none", "against", "favor"].iter().map(|s| s.to_string()).collect();
        let mut m = Meter::new(&labels);
        // truth, predicted
        for (t, p) in [(0, 0), (1, 1), (1, 1), (1, 2), (2, 2), (2, 0), (2, 2)] {
            m.add(t, p);
        }
        assert_eq!(m.n(), 7);
        assert!((m.accuracy() - 5.0 / 7.0).abs() < 1e-12);
        // against: p = 2/2, r = 2/3, f1 = 0.8; favor: p = 2/3, r = 2/3; none: p = 1/2, r = 1
        assert!((m.class(1).f1 - 0.8).abs() < 1e-12);
        assert!((m.class(2).f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.class(0).f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.f_avg().unwrap() - (0.8 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        let j = m.to_json();
        for key in ["n", "accuracy", "macro_f1", "per_class", "confusion", "f_avg"] {
            assert!(j.get(key).is_some(), "{key}");
        }
        let sentiment: Vec<String> = ["negative", "positive"].iter().map(|s| s.to_string()).collect();
        assert!(Meter::new(&sentiment).f_avg().is_none());
    }
}
