//! MPNet (`MPNetModel`), as in all-mpnet-base-v2: word + absolute position
//! embeddings (positions start at padding_idx + 1), LayerNorm (eps 1e-5),
//! post-norm layers, and a relative-position attention bias (T5-style
//! buckets) computed once and added in every layer.

use std::path::Path;

use rayon::prelude::*;

use candle_core::{Device, Tensor};

use super::layers::{Layer, LayerNames, Norm};
use super::network::{Front, Network};
use super::store::Known;
use super::weights::{Config, Weights};
use crate::error::{Error, Result};

const NAMES: LayerNames = LayerNames {
    query: "attention.attn.q",
    key: "attention.attn.k",
    value: "attention.attn.v",
    attention_out: "attention.attn.o",
    attention_norm: "attention.LayerNorm",
    up: "intermediate.dense",
    down: "output.dense",
    out_norm: "output.LayerNorm",
};

/// The largest distance with its own bucket range, as in `MPNetEncoder`.
const MAX_DISTANCE: i64 = 128;

struct MPNetEmbeddings {
    word: Tensor,
    position: Tensor,
    norm: Norm,
    pad_id: u32,
    /// [buckets, heads]
    relative_bias: Tensor,
    buckets: usize,
}

impl Front for MPNetEmbeddings {
    fn embed(&self, ids: &Tensor, lens: &[usize]) -> candle_core::Result<Tensor> {
        let (b, l) = ids.dims2()?;
        // Tokens count from padding_idx + 1; padding sits at padding_idx.
        let mut positions = vec![self.pad_id; b * l];
        for (row, &n) in positions.chunks_mut(l).zip(lens) {
            for (i, p) in row[..n].iter_mut().enumerate() {
                *p = self.pad_id + 1 + i as u32;
            }
        }
        let positions = Tensor::from_vec(positions, b * l, &Device::Cpu)?;
        let words = self.word.embedding(&ids.flatten_all()?)?;
        let x = (words + self.position.embedding(&positions)?)?.reshape((b, l, ()))?;
        self.norm.forward(&x)
    }

    fn position_bias(&self, len: usize) -> candle_core::Result<Option<Tensor>> {
        let mut index = Vec::with_capacity(len * len);
        for query in 0..len as i64 {
            for key in 0..len as i64 {
                index.push(bucket(key - query, self.buckets as i64, MAX_DISTANCE) as u32);
            }
        }
        let index = Tensor::from_vec(index, len * len, &Device::Cpu)?;
        let bias = self.relative_bias.embedding(&index)?.reshape((len, len, ()))?;
        Ok(Some(bias.permute((2, 0, 1))?.unsqueeze(0)?.contiguous()?))
    }
}

/// `MPNetEncoder.relative_position_bucket`: half the buckets for keys before
/// the query, half after; within each half, exact distances below a quarter
/// of the buckets, then logarithmic up to `max_distance`. Computed in f32 as
/// PyTorch does, so bucket edges agree.
fn bucket(relative: i64, buckets: i64, max_distance: i64) -> usize {
    let half = buckets / 2;
    let n = -relative;
    let side = if n < 0 { half } else { 0 };
    let n = n.abs();
    let max_exact = half / 2;
    let within = if n < max_exact {
        n
    } else {
        let log_ratio = (n as f32 / max_exact as f32).ln() / (max_distance as f32 / max_exact as f32).ln();
        (max_exact + (log_ratio * (half - max_exact) as f32) as i64).min(half - 1)
    };
    (side + within) as usize
}

pub fn load(known: &'static Known, dir: &Path, tokenizer: tokenizers::Tokenizer) -> Result<Network> {
    let cfg = Config::read(known, dir)?;
    if cfg.relative_attention_num_buckets < 4 {
        return Err(Error::encoder(known.name, "config.json lacks relative_attention_num_buckets"));
    }
    if known.max_tokens + cfg.pad_token_id as usize + 1 > cfg.max_position_embeddings {
        return Err(Error::encoder(known.name, "max_tokens exceeds max_position_embeddings"));
    }
    let w = Weights::read(known, dir)?;
    let h = cfg.hidden_size;
    let embeddings = MPNetEmbeddings {
        word: w.get("embeddings.word_embeddings.weight", &[cfg.vocab_size, h])?,
        position: w.get("embeddings.position_embeddings.weight", &[cfg.max_position_embeddings, h])?,
        norm: Norm::read(&w, "embeddings.LayerNorm", h, cfg.layer_norm_eps)?,
        pad_id: cfg.pad_token_id,
        relative_bias: w.get(
            "encoder.relative_attention_bias.weight",
            &[cfg.relative_attention_num_buckets, cfg.num_attention_heads],
        )?,
        buckets: cfg.relative_attention_num_buckets,
    };
    // Layers are read (each weight transposed) side by side.
    let layers = (0..cfg.num_hidden_layers)
        .into_par_iter()
        .map(|i| Layer::read(&w, &cfg, &format!("encoder.layer.{i}"), &NAMES))
        .collect::<Result<Vec<_>>>()?;
    Ok(Network {
        known,
        tokenizer,
        front: Box::new(embeddings),
        layers,
        hidden_size: h,
        vocab_size: cfg.vocab_size,
        pad_id: cfg.pad_token_id,
    })
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn buckets_match_the_reference_formula() {
        // relative = key - query: keys before the query use the lower half, keys after it the upper.
        assert_eq!(bucket(0, 32, 128), 0);
        assert_eq!(bucket(-7, 32, 128), 7);
        assert_eq!(bucket(7, 32, 128), 16 + 7);
        // From 8 on, logarithmic: 8 + floor(ln(n/8)/ln(16) * 8).
        assert_eq!(bucket(-8, 32, 128), 8);
        assert_eq!(bucket(-16, 32, 128), 10);
        assert_eq!(bucket(-32, 32, 128), 12);
        assert_eq!(bucket(-127, 32, 128), 15);
        assert_eq!(bucket(-1000, 32, 128), 15);
        assert_eq!(bucket(1000, 32, 128), 31);
    }
}
