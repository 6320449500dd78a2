//! The transformer layer BERT and MPNet share: post-LayerNorm self-attention
//! and a GELU feed-forward block, each with a residual connection.

use candle_core::{Result, Tensor};

use super::weights::{Config, Weights};
use crate::error::Result as StanceResult;

/// `x W^T + b` over the last dimension, as one matrix product for the whole
/// batch (rows = batch x tokens), so the gemm sees one big matrix.
pub struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    pub fn read(w: &Weights, prefix: &str, inputs: usize, outputs: usize) -> StanceResult<Dense> {
        Ok(Dense { weight: w.get(&format!("{prefix}.weight"), &[outputs, inputs])?, bias: w.get(&format!("{prefix}.bias"), &[outputs])? })
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (b, l, i) = x.dims3()?;
        let y = x.reshape((b * l, i))?.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)?;
        y.reshape((b, l, ()))
    }
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
    head_size: usize,
}

impl Layer {
    pub fn read(w: &Weights, cfg: &Config, prefix: &str, n: &LayerNames) -> StanceResult<Layer> {
        let (h, i, eps) = (cfg.hidden_size, cfg.intermediate_size, cfg.layer_norm_eps);
        let at = |name: &str| format!("{prefix}.{name}");
        Ok(Layer {
            query: Dense::read(w, &at(n.query), h, h)?,
            key: Dense::read(w, &at(n.key), h, h)?,
            value: Dense::read(w, &at(n.value), h, h)?,
            attention_out: Dense::read(w, &at(n.attention_out), h, h)?,
            attention_norm: Norm::read(w, &at(n.attention_norm), h, eps)?,
            up: Dense::read(w, &at(n.up), h, i)?,
            down: Dense::read(w, &at(n.down), i, h)?,
            out_norm: Norm::read(w, &at(n.out_norm), h, eps)?,
            heads: cfg.num_attention_heads,
            head_size: cfg.head_size(),
        })
    }

    /// `x`: [batch, len, hidden]; `bias`: added to the attention scores,
    /// broadcastable to [batch, heads, len, len] (padding mask, position bias).
    pub fn forward(&self, x: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        let (b, l, h) = x.dims3()?;
        let heads = |t: Tensor| t.reshape((b, l, self.heads, self.head_size))?.transpose(1, 2)?.contiguous();
        // Scaling q instead of the scores: same result, fewer multiplications.
        let q = heads((self.query.forward(x)? * (1.0 / (self.head_size as f64).sqrt()))?)?;
        let k = heads(self.key.forward(x)?)?;
        let v = heads(self.value.forward(x)?)?;
        let mut scores = q.matmul(&k.t()?)?;
        if let Some(bias) = bias {
            scores = scores.broadcast_add(bias)?;
        }
        let p = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = p.matmul(&v)?.transpose(1, 2)?.contiguous()?.reshape((b, l, h))?;
        let a = self.attention_norm.forward(&(self.attention_out.forward(&context)? + x)?)?;
        let up = super::gelu::gelu(&self.up.forward(&a)?)?;
        self.out_norm.forward(&(self.down.forward(&up)? + &a)?)
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
