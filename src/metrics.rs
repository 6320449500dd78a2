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

    /// The name of [`Meter::headline`]'s figure.
    pub fn headline_name(&self) -> &'static str {
        if self.f_avg().is_some() { "F_avg" } else { "macro-F1" }
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

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

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
