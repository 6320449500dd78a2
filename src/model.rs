//! The fitted model: a multinomial logistic regression over hashed features.
//! Weights are stored only for features seen in training, as a sorted hash
//! list plus a dense `features x classes` matrix, which keeps the shipped
//! model a few MB where a full hash space would take tens.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::features::{to_row, Feature, N_FAMILIES};
use crate::features::encoder::Standardizer;
use crate::hash::IdentityBuild;

#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub labels: Vec<String>,
    /// Feature hash of each column, sorted ascending.
    pub hashes: Vec<u64>,
    /// Weight (IDF) of each column's feature.
    pub idf: Vec<f32>,
    /// Row-major `hashes.len() x labels.len()`.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    /// Hash -> column, for explanations only: built on first use, so that
    /// loading a model for scoring does not pay for it.
    index: OnceLock<HashMap<u64, u32, IdentityBuild>>,
    table: ScoringTable,
    /// The dense `encoder` block's columns, after the hashed ones (`None`
    /// for a sparse model).
    pub dense: Option<DenseBlock>,
}

/// The weights of the `encoder` family's block (see
/// [`crate::features::encoder`]): how a raw block becomes the model's
/// columns, and their class weights.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DenseBlock {
    pub standardizer: Standardizer,
    /// Row-major `(1 + targets.len()) * width x classes`: the shared block,
    /// then one block per target in `targets`.
    pub weights: Vec<f32>,
    /// With `conjoin_target`: the training targets (lower-cased, sorted)
    /// that have their own copy of the block, as the sparse families have
    /// conjoined copies. Stance towards a topic is worded differently per
    /// topic, which one shared block cannot express (TweetEval test F_avg
    /// with MiniLM: 0.664 shared only, 0.683 with per-target copies). Empty
    /// otherwise, and then absent from bundle.json, so models without it
    /// keep their bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// A target's raw `encoder` block and the target's name (for a block
/// conjoined with targets).
#[derive(Debug, Clone, Copy)]
pub struct DenseInput<'a> {
    pub raw: &'a [f32],
    pub target: &'a str,
}

impl DenseBlock {
    /// The column blocks a row of target `target` fills: the shared one,
    /// and the target's own when it has one.
    pub fn blocks(&self, target: &str) -> impl Iterator<Item = usize> {
        let own = if self.targets.is_empty() { None } else { self.targets.binary_search(&target.to_lowercase()).ok() };
        std::iter::once(0).chain(own.map(|t| t + 1))
    }

    /// Add the block's contribution to per-class logits.
    fn add(&self, input: DenseInput, z: &mut [f64]) {
        let k = z.len();
        let width = self.standardizer.width();
        let mut acc = [0f32; LinearModel::MAX_CLASSES];
        for b in self.blocks(input.target) {
            let weights = &self.weights[b * width * k..(b + 1) * width * k];
            for (j, x) in self.standardizer.apply(input.raw).enumerate() {
                let w = &weights[j * k..(j + 1) * k];
                for q in 0..k {
                    acc[q] += x * w[q];
                }
            }
        }
        for q in 0..k {
            z[q] += acc[q] as f64;
        }
    }
}

/// The scoring path's view of the model: an open-addressing table whose
/// slot holds a feature's hash, IDF and class weights side by side, so a
/// feature costs one cache miss rather than one each for the hash index,
/// the IDF and the weights (`to_row` + `predict_row`: 3-4 misses).
#[derive(Debug, Clone, PartialEq)]
struct ScoringTable {
    /// `stride` words a slot: hash (2 words), idf, k weights.
    slots: Vec<u32>,
    stride: usize,
    mask: usize,
}

const EMPTY: u64 = 0;

impl ScoringTable {
    fn new(hashes: &[u64], idf: &[f32], weights: &[f32], k: usize) -> Self {
        let cap = (hashes.len() * 2).next_power_of_two().max(16);
        let stride = 3 + k;
        let mut slots = vec![0u32; cap * stride];
        for (i, &h) in hashes.iter().enumerate() {
            // 0 marks an empty slot; a feature whose hash is 0 (odds 1 in
            // 2^64) is left out of scoring.
            if h == EMPTY {
                continue;
            }
            let mut at = (h as usize) & (cap - 1);
            loop {
                let s = &mut slots[at * stride..(at + 1) * stride];
                if s[0] == 0 && s[1] == 0 {
                    s[0] = h as u32;
                    s[1] = (h >> 32) as u32;
                    s[2] = idf[i].to_bits();
                    for q in 0..k {
                        s[3 + q] = weights[i * k + q].to_bits();
                    }
                    break;
                }
                at = (at + 1) & (cap - 1);
            }
        }
        ScoringTable { slots, stride, mask: cap - 1 }
    }

    #[inline]
    fn at(&self, slot: u32) -> &[u32] {
        let at = slot as usize;
        &self.slots[at * self.stride..(at + 1) * self.stride]
    }

    #[inline]
    fn find(&self, h: u64) -> Option<u32> {
        let mut at = (h as usize) & self.mask;
        loop {
            let s = &self.slots[at * self.stride..(at + 1) * self.stride];
            let key = s[0] as u64 | (s[1] as u64) << 32;
            if key == h && h != EMPTY {
                return Some(at as u32);
            }
            if key == EMPTY {
                return None;
            }
            at = (at + 1) & self.mask;
        }
    }
}

impl LinearModel {
    /// Most classes a model may have (the scoring path keeps per-class sums on the stack).
    pub const MAX_CLASSES: usize = 8;

    pub fn new(labels: Vec<String>, hashes: Vec<u64>, idf: Vec<f32>, weights: Vec<f32>, bias: Vec<f32>) -> Self {
        debug_assert_eq!(weights.len(), hashes.len() * labels.len());
        debug_assert_eq!(idf.len(), hashes.len());
        let table = ScoringTable::new(&hashes, &idf, &weights, labels.len());
        LinearModel { labels, hashes, idf, weights, bias, index: OnceLock::new(), table, dense: None }
    }

    /// Largest magnitude of a weight or bias a model may hold. Trained
    /// weights are a few units (the shipped model's largest is about 2, an
    /// L2 of 1e-12 gives about 10); the bound keeps every sum of a score far
    /// from overflow, so probabilities are always finite.
    pub const MAX_WEIGHT: f32 = 1e6;
    /// Largest IDF: ln(1 + n) + 1 stays below 50 for any corpus that fits.
    pub const MAX_IDF: f32 = 1e3;

    /// Every weight, bias and IDF finite and within bounds.
    pub fn check_range(&self) -> Result<(), String> {
        let out = |what: &str, i: usize, v: f32, max: f32| format!("{what} {i} is {v:e}, out of range (a trained model stays within ±{max:e})");
        if let Some((i, &v)) = self.idf.iter().enumerate().find(|(_, v)| !(0.0..=Self::MAX_IDF).contains(*v)) {
            return Err(out("IDF of feature", i, v, Self::MAX_IDF));
        }
        let ok = |v: &f32| v.abs() <= Self::MAX_WEIGHT;
        if let Some((i, &v)) = self.weights.iter().enumerate().find(|(_, v)| !ok(v)) {
            return Err(out("weight", i, v, Self::MAX_WEIGHT));
        }
        if let Some((i, &v)) = self.bias.iter().enumerate().find(|(_, v)| !ok(v)) {
            return Err(out("bias", i, v, Self::MAX_WEIGHT));
        }
        Ok(())
    }

    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }

    pub fn n_features(&self) -> usize {
        self.hashes.len()
    }

    /// The column of a feature hash and the feature's weight.
    pub fn column(&self, h: u64) -> Option<(u32, f32)> {
        let index = self.index.get_or_init(|| self.hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect());
        index.get(&h).map(|&c| (c, self.idf[c as usize]))
    }

    /// Class probabilities for a sparse row.
    pub fn predict_row(&self, cols: &[u32], vals: &[f32]) -> Vec<f64> {
        let k = self.n_classes();
        let mut z: Vec<f64> = self.bias.iter().map(|&b| b as f64).collect();
        for (&c, &v) in cols.iter().zip(vals) {
            let w = &self.weights[c as usize * k..(c as usize + 1) * k];
            for j in 0..k {
                z[j] += (v * w[j]) as f64;
            }
        }
        softmax(&mut z);
        z
    }

    /// Class probabilities for hashed features in one pass: per family, sum
    /// `idf * w` and `idf^2`, then scale each family's sum to unit norm.
    /// The same function as `to_row` followed by `predict_row`, fused.
    pub fn score_features(&self, feats: &[Feature]) -> Vec<f64> {
        self.score_features_dense(feats, None)
    }

    /// [`Self::score_features`] with the raw `encoder` block of the target
    /// (required when the model has one).
    pub fn score_features_dense(&self, feats: &[Feature], dense: Option<DenseInput>) -> Vec<f64> {
        self.finish(feats, [[0.0; LinearModel::MAX_CLASSES]; N_FAMILIES], [0.0; N_FAMILIES], dense)
    }

    /// Whether scoring needs an `encoder` block per target.
    pub fn needs_dense(&self) -> bool {
        self.dense.is_some()
    }

    /// The slot of a feature in the scoring table, for callers that look a
    /// feature up once and use it many times (a word's character n-grams,
    /// summed once per word by `Featurizer::score`).
    pub fn slot(&self, h: u64) -> Option<u32> {
        self.table.find(h)
    }

    /// Add the feature in `slot` to per-class sums and a squared norm.
    #[inline]
    pub fn accumulate(&self, slot: u32, sums: &mut [f32], norm: &mut f32) {
        let s = self.table.at(slot);
        let idf = f32::from_bits(s[2]);
        *norm += idf * idf;
        for (q, z) in sums.iter_mut().enumerate() {
            *z += idf * f32::from_bits(s[3 + q]);
        }
    }

    /// [`Self::score_features`] for `feats`, with family `family` given
    /// instead as precomputed sums of `idf * w` per class and of `idf^2`.
    pub fn score_with_family(&self, feats: &[Feature], family: u8, sums: &[f32], norm: f32, dense: Option<DenseInput>) -> Vec<f64> {
        const MAX_K: usize = LinearModel::MAX_CLASSES;
        let k = self.n_classes();
        let mut zf = [[0f32; MAX_K]; N_FAMILIES];
        let mut norms = [0f32; N_FAMILIES];
        // Every feature adds idf^2 >= 1 to a norm: below 0.5 the family is
        // empty (all its words masked, or none known to the model).
        if norm >= 0.5 {
            zf[family as usize][..k].copy_from_slice(&sums[..k]);
            norms[family as usize] = norm;
        }
        self.finish(feats, zf, norms, dense)
    }

    /// Add `feats` to the per-family sums, normalise each family, softmax.
    fn finish(&self, feats: &[Feature], mut zf: [[f32; LinearModel::MAX_CLASSES]; N_FAMILIES], mut norm: [f32; N_FAMILIES], dense: Option<DenseInput>) -> Vec<f64> {
        let k = self.n_classes();
        for &(h, f) in feats {
            if let Some(slot) = self.table.find(h) {
                let f = f as usize;
                self.accumulate(slot, &mut zf[f][..k], &mut norm[f]);
            }
        }
        let mut z: Vec<f64> = self.bias.iter().map(|&b| b as f64).collect();
        for f in 0..N_FAMILIES {
            if norm[f] > 0.0 {
                let scale = 1.0 / norm[f].sqrt();
                for q in 0..k {
                    z[q] += (zf[f][q] * scale) as f64;
                }
            }
        }
        debug_assert_eq!(self.dense.is_some(), dense.is_some(), "a model with an encoder block is scored with one");
        if let (Some(block), Some(input)) = (&self.dense, dense) {
            block.add(input, &mut z);
        }
        softmax(&mut z);
        z
    }

    /// The sparse row of hashed features (for explanations).
    pub fn row(&self, feats: &[Feature], cols: &mut Vec<u32>, vals: &mut Vec<f32>) {
        to_row(feats, |h| self.column(h), cols, vals);
    }

    /// The features that moved class `class` most for this row: (hash, value x weight).
    pub fn contributions(&self, cols: &[u32], vals: &[f32], class: usize) -> Vec<(u64, f32)> {
        let k = self.n_classes();
        let mut out: Vec<(u64, f32)> = cols
            .iter()
            .zip(vals)
            .map(|(&c, &v)| {
                let w = &self.weights[c as usize * k..(c as usize + 1) * k];
                // Relative to the mean over classes: what pushes this class up.
                let mean = w.iter().sum::<f32>() / k as f32;
                (self.hashes[c as usize], v * (w[class] - mean))
            })
            .collect();
        // A feature that occurs twice (term frequency 2) is one line.
        out.sort_by_key(|x| x.0);
        merge_runs(&mut out);
        out.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        out
    }
}

/// In a vector sorted by key, merge each run of equal keys into one entry
/// holding the sum of their values.
pub fn merge_runs<K: PartialEq, V: std::ops::AddAssign + Copy>(v: &mut Vec<(K, V)>) {
    v.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
}

pub fn softmax(z: &mut [f64]) {
    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    for v in z.iter_mut() {
        *v /= s;
    }
}

/// Index of the largest probability (first on ties, so output is stable).
pub fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

/// P(positive) - P(negative), or P(favor) - P(against); `None` when the
/// label set has neither pair.
pub fn score(labels: &[String], probs: &[f64]) -> Option<f64> {
    let find = |n: &str| labels.iter().position(|l| l == n);
    let (pos, neg) = match (find("positive"), find("negative"), find("favor"), find("against")) {
        (Some(p), Some(n), _, _) => (p, n),
        (_, _, Some(p), Some(n)) => (p, n),
        _ => return None,
    };
    Some(probs[pos] - probs[neg])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2-wide block for 2 classes conjoined with targets "a" and "b": the
    /// shared weights push class 0, "a"'s own push class 1, "b"'s are zero.
    fn block() -> DenseBlock {
        let standardizer = Standardizer { mean: vec![0.0; 2], mul: vec![1.0; 2] };
        let shared = [1.0, 0.0, 1.0, 0.0];
        let a = [0.0, 3.0, 0.0, 3.0];
        let b = [0.0; 4];
        DenseBlock { standardizer, weights: [shared, a, b].concat(), targets: vec!["a".into(), "b".into()] }
    }

    #[test]
    fn a_known_target_adds_its_own_block_and_others_only_the_shared_one() {
        let b = block();
        assert_eq!(b.blocks("A").collect::<Vec<_>>(), vec![0, 1], "names are matched lower-cased");
        assert_eq!(b.blocks("b").collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(b.blocks("unseen").collect::<Vec<_>>(), vec![0]);
        let logits = |target| {
            let mut z = vec![0.0; 2];
            b.add(DenseInput { raw: &[1.0, 1.0], target }, &mut z);
            z
        };
        assert_eq!(logits("a"), vec![2.0, 6.0]);
        assert_eq!(logits("b"), vec![2.0, 0.0]);
        assert_eq!(logits("c"), vec![2.0, 0.0]);
    }
}
