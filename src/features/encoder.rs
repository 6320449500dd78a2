//! The `encoder` family: what a frozen transformer says about a target, as
//! a dense block of the same logistic model's row.
//!
//! Unlike the sparse families it does not run per target: a sentence goes
//! through the encoder once (never once per target), in batches of
//! sentences of similar length, and every target of the sentence is pooled
//! from the same hidden states. Per target the block holds
//!
//! 1. the mean over the target's word pieces of the last layer,
//! 2. the mean over all of the sentence's pieces of the last layer,
//! 3. the first piece (`[CLS]` / `<s>`) of the last layer,
//! 4. the mean over the target's pieces of the mean of layers `layers`
//!    (middle layers keep more of who does what to whom than the last one,
//!    which sentence-transformers tuned for similarity).
//!
//! This is the set chosen in the probe of issue 13 on NewsMTSC dev-mt
//! (the layer range 3-6 for MiniLM, 6-12 for mpnet). A target with no piece
//! of its own (a stance topic the text never names, or a mention cut off
//! by truncation) takes the sentence's means in 1 and 4.
//!
//! The model standardises the block with the training rows' mean and
//! standard deviation and multiplies it by `scale / sqrt(width)`, so that
//! at scale 1 its norm is about that of one unit-normalised sparse family
//! (see [`Standardizer`]; the statistics live in the bundle).

use std::collections::HashMap;

use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::encoder::{Encoder, TextIds};
use crate::corpus::Example;
use crate::error::{Error, Result};
use crate::text::Span;

/// How the encoder family pools, stored in the bundle's feature settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncoderParams {
    /// The encoder's name, as `--encoder` takes it.
    pub name: String,
    /// sha256 of the encoder's published weights: a bundle refuses another.
    pub sha256: String,
    /// First and last layer (1-based, inclusive) of the layer-mean block.
    pub layers: [usize; 2],
    /// The block's weight against the sparse families.
    pub scale: f32,
}

impl EncoderParams {
    /// The layer range issue 13's probe chose for a known encoder.
    pub fn default_layers(name: &str) -> [usize; 2] {
        match name {
            "all-mpnet-base-v2" => [6, 12],
            _ => [3, 6],
        }
    }

    pub fn check(&self, num_layers: usize) -> Result<()> {
        let [lo, hi] = self.layers;
        if lo == 0 || lo > hi || hi > num_layers {
            return Err(Error::Params(format!("--encoder-layers {lo}-{hi}: {} has layers 1 to {num_layers}", self.name)));
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(Error::Params(format!("--encoder-scale {}: must be a positive number", self.scale)));
        }
        Ok(())
    }
}

/// Number of pooled vectors in a target's block.
pub const BLOCKS: usize = 4;

/// The most word pieces a forward pass holds, padding included, and the
/// most sequences. Batches are cut from texts sorted by length, and a batch
/// also ends where a sequence is over 10% longer than its first, so padding
/// stays small (on NewsMTSC test-mt 3% of the pieces at 1,024 a batch,
/// against 13% with 32 sequences a batch and 6% without the 10% rule).
/// 2,048 rather than 1,024: fewer, larger matrix products, whose fixed cost
/// per call (gemm's packing and set-up) was 7% of an mpnet run; mpnet 7%
/// faster and MiniLM no slower (`examples/encoder_speed`, 2026-12-03), at
/// about 100 MB more memory per thread for mpnet.
const BATCH_PIECES: usize = 2048;
const BATCH_MAX: usize = 128;

/// Cut `lens` (sorted ascending) into consecutive batches as
/// [`BATCH_PIECES`] describes (a sequence longer than it gets a batch of
/// its own).
pub fn batches(lens: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &len) in lens.iter().enumerate() {
        let count = i - start + 1;
        if i > start && (count > BATCH_MAX || count * len > BATCH_PIECES || len * 10 > lens[start] * 11) {
            out.push(start..i);
            start = i;
        }
    }
    if start < lens.len() {
        out.push(start..lens.len());
    }
    out
}

/// One text and the spans (code points) of each of its targets: a target's
/// mentions, or none for a topic the text does not name.
pub struct PoolRequest<'a> {
    pub text: &'a str,
    pub targets: Vec<Vec<Span>>,
}

impl<'a> PoolRequest<'a> {
    /// A labelled example's text and its targets' mentions.
    pub fn of(ex: &'a Example) -> Self {
        PoolRequest { text: &ex.text, targets: ex.targets.iter().map(|t| t.spans()).collect() }
    }
}

/// The raw (not yet standardised) block of every target of every text:
/// `[text][target]`, each `BLOCKS * hidden` values. One forward pass per
/// text; `progress` gets the number of texts done.
pub fn pool_all(enc: &dyn Encoder, params: &EncoderParams, texts: &[PoolRequest], progress: &(dyn Fn(usize) + Sync)) -> Result<Vec<Vec<Vec<f32>>>> {
    params.check(enc.num_layers())?;
    let ids: Vec<TextIds> = texts.par_iter().map(|t| enc.encode_text(t.text)).collect::<Result<_>>()?;
    let mut order: Vec<usize> = (0..texts.len()).filter(|&i| !texts[i].targets.is_empty()).collect();
    order.sort_by_key(|&i| (ids[i].ids.len(), i));
    // Batches run side by side, one per thread of the current rayon pool:
    // on a few cores that uses them far better than splitting each batch's
    // (small) matrix products across threads, and attention's many tiny
    // per-head products are not split at all. A batch's values do not
    // depend on which thread ran it.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let lens: Vec<usize> = order.iter().map(|&i| ids[i].ids.len()).collect();
    let cuts = batches(&lens);
    let pooled: Vec<Vec<Vec<Vec<f32>>>> = cuts
        .par_iter()
        .map(|range| -> Result<Vec<Vec<Vec<f32>>>> {
            let chunk = &order[range.clone()];
            let batch: Vec<Vec<u32>> = chunk.iter().map(|&i| ids[i].ids.clone()).collect();
            let states = enc.forward(&batch)?;
            let blocks = chunk
                .iter()
                .zip(&states)
                .map(|(&i, st)| {
                    let pooled = Pooled::new(st, params.layers);
                    texts[i].targets.iter().map(|spans| pooled.target(&ids[i], spans)).collect()
                })
                .collect();
            progress(done.fetch_add(chunk.len(), std::sync::atomic::Ordering::Relaxed) + chunk.len());
            Ok(blocks)
        })
        .collect::<Result<_>>()?;
    let mut out: Vec<Vec<Vec<f32>>> = vec![Vec::new(); texts.len()];
    for (range, blocks) in cuts.into_iter().zip(pooled) {
        for (&i, b) in order[range].iter().zip(blocks) {
            out[i] = b;
        }
    }
    Ok(out)
}

/// The raw block of every target of a corpus, pooled once and looked up by
/// text and spans: training fits several models (an L2 grid, folds, a
/// refit) on subsets of the same examples, and the encoder, by far the
/// slowest stage, runs once for all of them.
pub struct DenseCache {
    map: HashMap<(String, Vec<Span>), Vec<f32>>,
    width: usize,
}

impl DenseCache {
    pub fn build(enc: &dyn Encoder, params: &EncoderParams, examples: &[&Example], progress: &(dyn Fn(usize) + Sync)) -> Result<Self> {
        let pooled = pool_examples(enc, params, examples, progress)?;
        let mut map = HashMap::new();
        for (ex, blocks) in examples.iter().zip(pooled) {
            for (t, block) in ex.targets.iter().zip(blocks) {
                map.insert((ex.text.clone(), t.spans()), block);
            }
        }
        Ok(DenseCache { map, width: BLOCKS * enc.hidden_size() })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// The blocks of every target of `examples`, in order.
    pub fn rows<'a>(&'a self, examples: &[Example]) -> Vec<&'a [f32]> {
        examples
            .iter()
            .flat_map(|ex| {
                ex.targets.iter().map(move |t| {
                    self.map.get(&(ex.text.clone(), t.spans())).map(|v| v.as_slice()).expect("every example was pooled")
                })
            })
            .collect()
    }
}

/// The raw block of every target of each example: `[example][target]`.
pub fn pool_examples(enc: &dyn Encoder, params: &EncoderParams, examples: &[&Example], progress: &(dyn Fn(usize) + Sync)) -> Result<Vec<Vec<Vec<f32>>>> {
    let requests: Vec<PoolRequest> = examples.iter().map(|ex| PoolRequest::of(ex)).collect();
    pool_all(enc, params, &requests, progress)
}

/// The two per-token matrices a sentence's targets are pooled from.
struct Pooled<'a> {
    last: &'a Array2<f32>,
    middle: Array2<f32>,
}

impl<'a> Pooled<'a> {
    fn new(states: &'a [Array2<f32>], [lo, hi]: [usize; 2]) -> Self {
        let mut middle = states[lo].clone();
        for s in &states[lo + 1..=hi] {
            middle += s;
        }
        middle /= (hi - lo + 1) as f32;
        Pooled { last: &states[states.len() - 1], middle }
    }

    fn target(&self, ids: &TextIds, spans: &[Span]) -> Vec<f32> {
        let mut rows: Vec<usize> = spans.iter().filter_map(|s| ids.span(s.start, s.end)).flat_map(|t| t.tokens).collect();
        rows.sort_unstable();
        rows.dedup();
        let h = self.last.ncols();
        let mut block = Vec::with_capacity(BLOCKS * h);
        block.extend(mean_rows(self.last, &rows));
        block.extend(mean_rows(self.last, &[]));
        block.extend(self.last.row(0).iter());
        block.extend(mean_rows(&self.middle, &rows));
        block
    }
}

/// Mean of the given rows, or of all rows when none are given.
fn mean_rows(m: &Array2<f32>, rows: &[usize]) -> Vec<f32> {
    if rows.is_empty() {
        return m.mean_axis(Axis(0)).expect("a sequence has tokens").to_vec();
    }
    let mut v = vec![0f32; m.ncols()];
    for &r in rows {
        for (a, b) in v.iter_mut().zip(m.row(r)) {
            *a += b;
        }
    }
    v.iter_mut().for_each(|a| *a /= rows.len() as f32);
    v
}

/// Per-column shift and factor taking a raw block to the model's columns:
/// `x' = (x - mean) * mul`, `mul = scale / (sqrt(width) * sd)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    pub mean: Vec<f32>,
    pub mul: Vec<f32>,
}

impl Standardizer {
    /// Statistics of the training rows, in f64 and in row order, so the
    /// result does not depend on threads.
    pub fn fit(rows: &[&[f32]], scale: f32) -> Self {
        let d = rows.first().map_or(0, |r| r.len());
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0f64; d];
        for r in rows {
            for (m, &x) in mean.iter_mut().zip(r.iter()) {
                *m += x as f64;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0f64; d];
        for r in rows {
            for ((v, &x), m) in var.iter_mut().zip(r.iter()).zip(&mean) {
                *v += (x as f64 - m).powi(2);
            }
        }
        let k = scale as f64 / (d.max(1) as f64).sqrt();
        Standardizer {
            mean: mean.iter().map(|&m| m as f32).collect(),
            // A constant column (sd 0) stays 0 after the shift.
            mul: var.iter().map(|&v| (k / (v / n).sqrt().max(1e-6)) as f32).collect(),
        }
    }

    pub fn width(&self) -> usize {
        self.mean.len()
    }

    /// The model's values of a raw block.
    pub fn apply<'a>(&'a self, x: &'a [f32]) -> impl Iterator<Item = f32> + 'a {
        x.iter().zip(&self.mean).zip(&self.mul).map(|((&x, &m), &k)| (x - m) * k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_sequence_once_and_keep_padding_small() {
        let lens: Vec<usize> = (0..300).map(|i| 5 + i * i / 400).chain([600, 700]).collect();
        let cuts = batches(&lens);
        assert_eq!(cuts.first().map(|r| r.start), Some(0));
        assert_eq!(cuts.last().map(|r| r.end), Some(lens.len()));
        for pair in cuts.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        for r in &cuts {
            let (first, last) = (lens[r.start], lens[r.end - 1]);
            assert!(r.len() == 1 || (r.len() <= BATCH_MAX && r.len() * last <= BATCH_PIECES && last * 10 <= first * 11), "{r:?}");
        }
        // Longer than the budget: a batch each.
        assert_eq!(cuts[cuts.len() - 2..].iter().map(|r| r.len()).collect::<Vec<_>>(), [1, 1]);
        assert!(batches(&[]).is_empty());
    }

    #[test]
    fn standardised_columns_have_zero_mean_and_the_scaled_spread() {
        let rows: Vec<Vec<f32>> = (0..10).map(|i| vec![i as f32, 5.0, -(i as f32) * 3.0 + 1.0, 0.5 * i as f32]).collect();
        let refs: Vec<&[f32]> = rows.iter().map(|r| r.as_slice()).collect();
        let s = Standardizer::fit(&refs, 2.0);
        let out: Vec<Vec<f32>> = rows.iter().map(|r| s.apply(r).collect()).collect();
        for c in 0..4 {
            let col: Vec<f32> = out.iter().map(|r| r[c]).collect();
            let mean = col.iter().sum::<f32>() / 10.0;
            let sd = (col.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / 10.0).sqrt();
            assert!(mean.abs() < 1e-5, "column {c} mean {mean}");
            // 2 / sqrt(4) = 1, except the constant column, which stays 0.
            let want = if c == 1 { 0.0 } else { 1.0 };
            assert!((sd - want).abs() < 1e-4, "column {c} sd {sd}");
        }
    }

    #[test]
    fn a_target_is_pooled_from_its_own_pieces_and_a_topic_from_the_sentence() {
        // Three tokens ([CLS], "ab", [SEP]); two layers plus embeddings.
        let ids = TextIds { ids: vec![1, 2, 3], offsets: vec![(0, 0), (0, 2), (0, 0)], special: vec![true, false, true], truncated: false };
        let layer = |v: f32| Array2::from_shape_fn((3, 2), |(r, c)| v + r as f32 * 10.0 + c as f32);
        let states = vec![layer(0.0), layer(100.0), layer(200.0)];
        let p = Pooled::new(&states, [1, 2]);
        let target = p.target(&ids, &[Span::new(0, 2)]);
        assert_eq!(target.len(), BLOCKS * 2);
        assert_eq!(&target[0..2], &[210.0, 211.0]); // token 1 of the last layer
        assert_eq!(&target[2..4], &[210.0, 211.0]); // mean of the three tokens
        assert_eq!(&target[4..6], &[200.0, 201.0]); // [CLS]
        assert_eq!(&target[6..8], &[160.0, 161.0]); // token 1, mean of layers 1 and 2
        let topic = p.target(&ids, &[]);
        assert_eq!(&topic[0..2], &topic[2..4]);
        assert_eq!(&topic[6..8], &[160.0, 161.0]);
    }
}
