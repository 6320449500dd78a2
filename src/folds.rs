//! Cross-validation folds: which fold each example is held out in.
//!
//! Folds are stratified by the first target's label and name, so that each
//! fold holds about the same share of every class of every stance topic:
//! with a few hundred examples per topic, an unlucky split would otherwise
//! move a fold's score more than the hyper-parameters being compared do.

use crate::corpus::Example;
use crate::hash;

/// Fold (`0..k`) of each example: within each (label, target) group the
/// examples are shuffled by `seed` and dealt round-robin, continuing from
/// one group to the next so fold sizes differ by at most one.
pub fn assign(examples: &[Example], k: usize, seed: u64) -> Vec<usize> {
    let key = |i: usize| {
        let t = examples[i].targets.first();
        (t.map(|t| t.label.as_str()), t.map(|t| t.name.to_lowercase()), hash::mix(seed ^ 0xF01D, i as u64), i)
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by_cached_key(|&i| key(i));
    let mut fold = vec![0; examples.len()];
    for (rank, &i) in order.iter().enumerate() {
        fold[i] = rank % k;
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Target;
    use crate::error::Location;

    fn ex(label: &str, name: &str) -> Example {
        Example {
            at: Location::line("t".as_ref(), 1),
            text: "x".into(),
            targets: vec![Target { name: name.into(), span: None, further: vec![], label: label.into(), line: 1 }],
        }
    }

    #[test]
    fn folds_are_balanced_stratified_and_seeded() {
        let mut data = Vec::new();
        for (label, n) in [("favor", 30), ("against", 61), ("none", 9)] {
            for topic in ["a", "b"] {
                data.extend((0..n).map(|_| ex(label, topic)));
            }
        }
        let f = assign(&data, 5, 0);
        assert_eq!(f.len(), data.len());
        let sizes: Vec<usize> = (0..5).map(|k| f.iter().filter(|&&x| x == k).count()).collect();
        assert!(sizes.iter().all(|&s| s == 40), "{sizes:?}");
        // Each (label, topic) group spreads over the folds within one.
        for (label, topic) in [("favor", "a"), ("against", "b"), ("none", "a")] {
            let per: Vec<usize> = (0..5)
                .map(|k| data.iter().zip(&f).filter(|(e, g)| **g == k && e.targets[0].label == label && e.targets[0].name == topic).count())
                .collect();
            assert!(per.iter().max().unwrap() - per.iter().min().unwrap() <= 1, "{label} {topic}: {per:?}");
        }
        assert_eq!(f, assign(&data, 5, 0));
        assert_ne!(f, assign(&data, 5, 1));
    }
}
