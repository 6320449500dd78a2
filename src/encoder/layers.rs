//! The transformer layer BERT and MPNet share: post-LayerNorm self-attention
//! and a GELU feed-forward block, each with a residual connection.

use candle_core::{Result, Tensor};

use super::ops;
use super::weights::{Config, Weights};
use crate::error::{Error, Result as StanceResult};

/// `x W^T + b` over the last dimension, as one matrix product for the whole
/// batch (rows = batch x tokens), run by [`ops::Linear`] on the calling thread.
pub struct Dense {
    /// `[inputs, outputs]`, row-major: the stored `[outputs, inputs]`
    /// transposed once at load (see [`ops::Linear`] for why).
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl Dense {
    pub fn read(w: &Weights, prefix: &str, inputs: usize, outputs: usize) -> StanceResult<Dense> {
        let flat = |t: Tensor| t.flatten_all().and_then(|t| t.to_vec1::<f32>()).map_err(|e| Error::encoder(w.name(), e.to_string()));
        let stored = w.get(&format!("{prefix}.weight"), &[outputs, inputs])?;
        // Transposed straight from the loaded tensor's values (one copy, not two).
        let weight = match &*stored.storage_and_layout().0 {
            candle_core::Storage::Cpu(values) => ops::values("weights", values, stored.layout()).map(|v| transpose(v, outputs, inputs)),
            _ => Err(candle_core::Error::Msg("weights: expected CPU storage".into())),
        }
        .map_err(|e| Error::encoder(w.name(), e.to_string()))?;
        Ok(Dense {
            weight,
            bias: flat(w.get(&format!("{prefix}.bias"), &[outputs])?)?,
            inputs,
            outputs,
        })
    }

    /// The same layer with weight and bias multiplied by `factor`.
    fn scaled(mut self, factor: f32) -> Dense {
        self.weight.iter_mut().chain(self.bias.iter_mut()).for_each(|v| *v *= factor);
        self
    }

    fn op(&self) -> ops::Linear<'_> {
        ops::Linear { weight: &self.weight, bias: &self.bias, inputs: self.inputs, outputs: self.outputs }
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.op().forward(x)
    }

    /// `forward(x) + residual`, in one pass.
    pub fn forward_add(&self, x: &Tensor, residual: &Tensor) -> Result<Tensor> {
        self.op().forward_add(x, residual)
    }
}

/// The `cols x rows` transpose of a row-major `rows x cols` matrix, in
/// 32 x 32 tiles so that reads and writes both stay in cache (a column-wise
/// copy of mpnet's weights took half a second longer).
fn transpose(m: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    const TILE: usize = 32;
    let mut t = vec![0f32; m.len()];
    for r0 in (0..rows).step_by(TILE) {
        for c0 in (0..cols).step_by(TILE) {
            for r in r0..(r0 + TILE).min(rows) {
                for c in c0..(c0 + TILE).min(cols) {
                    t[c * rows + r] = m[r * cols + c];
                }
            }
        }
    }
    t
}

pub struct Norm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl Norm {
    pub fn read(w: &Weights, prefix: &str, size: usize, eps: f64) -> StanceResult<Norm> {
        Ok(Norm { weight: w.get(&format!("{prefix}.weight"), &[size])?, bias: w.get(&format!("{prefix}.bias"), &[size])?, eps: eps as f32 })
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        candle_nn::ops::layer_norm(&x.contiguous()?, &self.weight, &self.bias, self.eps)
    }
}

/// Tensor names inside one layer (after `PREFIX.`), which differ between BERT and MPNet.
pub struct LayerNames {
    pub query: &'static str,
    pub key: &'static str,
    pub value: &'static str,
    pub attention_out: &'static str,
    pub attention_norm: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    pub out_norm: &'static str,
}

pub struct Layer {
    query: Dense,
    key: Dense,
    value: Dense,
    attention_out: Dense,
    attention_norm: Norm,
    up: Dense,
    down: Dense,
    out_norm: Norm,
    heads: usize,
}

impl Layer {
    pub fn read(w: &Weights, cfg: &Config, prefix: &str, n: &LayerNames) -> StanceResult<Layer> {
        let (h, i, eps) = (cfg.hidden_size, cfg.intermediate_size, cfg.layer_norm_eps);
        let at = |name: &str| format!("{prefix}.{name}");
        Ok(Layer {
            // Scaling q instead of the scores: the same result, with the
            // factor folded into the weights once.
            query: Dense::read(w, &at(n.query), h, h)?.scaled(1.0 / (cfg.head_size() as f32).sqrt()),
            key: Dense::read(w, &at(n.key), h, h)?,
            value: Dense::read(w, &at(n.value), h, h)?,
            attention_out: Dense::read(w, &at(n.attention_out), h, h)?,
            attention_norm: Norm::read(w, &at(n.attention_norm), h, eps)?,
            up: Dense::read(w, &at(n.up), h, i)?,
            down: Dense::read(w, &at(n.down), i, h)?,
            out_norm: Norm::read(w, &at(n.out_norm), h, eps)?,
            heads: cfg.num_attention_heads,
        })
    }

    pub fn heads(&self) -> usize {
        self.heads
    }

    /// `x`: [batch, len, hidden]; `bias`: added to the attention scores,
    /// [batch, heads, len, len] contiguous (padding mask, position bias).
    pub fn forward(&self, x: &Tensor, bias: Option<&[f32]>) -> Result<Tensor> {
        let attention = ops::Attention { heads: self.heads, bias };
        let context = attention.forward(&self.query.forward(x)?, &self.key.forward(x)?, &self.value.forward(x)?)?;
        let a = self.attention_norm.forward(&self.attention_out.forward_add(&context, x)?)?;
        let up = super::gelu::gelu(&self.up.forward(&a)?)?;
        self.out_norm.forward(&self.down.forward_add(&up, &a)?)
    }
}

/// Additive attention mask [batch, 1, 1, len]: 0 for tokens, a large negative
/// number for padding, so padded keys get zero attention weight (-1e30, not
/// f32::MIN, so that adding a position bias cannot overflow to -inf).
pub fn padding_mask(lens: &[usize], len: usize) -> Result<Option<Tensor>> {
    if lens.iter().all(|&n| n == len) {
        return Ok(None);
    }
    let mut m = vec![0f32; lens.len() * len];
    for (row, &n) in m.chunks_mut(len).zip(lens) {
        row[n..].iter_mut().for_each(|v| *v = -1e30);
    }
    Tensor::from_vec(m, (lens.len(), 1, 1, len), &candle_core::Device::Cpu).map(Some)
}

#[cfg(test)]
mod tests {
    #[test]
    fn transpose_swaps_rows_and_columns() {
        // 2 x 3 (and sizes across a tile's edge) transposed twice is itself.
        assert_eq!(super::transpose(&[1., 2., 3., 4., 5., 6.], 2, 3), vec![1., 4., 2., 5., 3., 6.]);
        let m: Vec<f32> = (0..33 * 70).map(|v| v as f32).collect();
        let t = super::transpose(&m, 33, 70);
        assert_eq!(t[69 * 33 + 32], m[32 * 70 + 69]);
        assert_eq!(super::transpose(&t, 70, 33), m);
    }
}
