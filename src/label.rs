//! Class labels and their indices: the one place a label's name becomes the
//! class number that models, meters and prediction files use.

use std::collections::HashMap;

use crate::corpus::{Example, Format};
use crate::error::{Error, Location, Result};

/// Label name -> class index, for a model's (or a training run's) labels.
#[derive(Debug, Clone)]
pub struct LabelIndex<'a> {
    labels: &'a [String],
    index: HashMap<&'a str, usize>,
}

impl<'a> LabelIndex<'a> {
    pub fn new(labels: &'a [String]) -> Self {
        LabelIndex { labels, index: labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect() }
    }

    /// The class index of `label`, if it is one of the labels.
    pub fn get(&self, label: &str) -> Option<usize> {
        self.index.get(label).copied()
    }

    /// The class index of `label`, read at `at`; a label the model does
    /// not know is an input error there.
    pub fn of(&self, label: &str, at: Location) -> Result<usize> {
        self.get(label).ok_or_else(|| Error::input(at, format!("unknown label {label:?} (the model knows: {})", self.labels.join(", "))))
    }
}

/// The labels of a training run, in a conventional order where the set is
/// a known one (the format's, or a familiar sentiment or stance triple),
/// else sorted.
pub fn label_order(format: Format, seen: &[String]) -> Vec<String> {
    let known = format.labels();
    if !known.is_empty() {
        return known.iter().map(|x| x.to_string()).collect();
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

/// The class index of every target of `examples`, in order; a label not
/// among `labels` is an error naming its line.
pub fn label_ids(examples: &[Example], labels: &[String]) -> Result<Vec<usize>> {
    let index = LabelIndex::new(labels);
    let mut out = Vec::new();
    for ex in examples {
        for t in &ex.targets {
            out.push(index.of(&t.label, Location::line(&ex.at.file, t.line))?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_their_position_and_unknown_ones_are_errors() {
        let labels: Vec<String> = ["negative", "neutral", "positive"].map(String::from).into();
        let ix = LabelIndex::new(&labels);
        assert_eq!((ix.get("negative"), ix.get("positive"), ix.get("Positive")), (Some(0), Some(2), None));
        let e = ix.of("favor", Location::line(std::path::Path::new("d.csv"), 3)).unwrap_err().to_string();
        assert!(e.contains("d.csv:3") && e.contains("\"favor\"") && e.contains("negative, neutral, positive"), "{e}");
    }
}
