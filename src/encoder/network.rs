//! An encoder: a tokenizer, an embedding front end (BERT's or MPNet's) and a
//! stack of [`Layer`]s, run over padded batches.

use candle_core::{Device, Tensor};
use ndarray::Array2;

use super::layers::{self, Layer};
use super::store::Known;
use super::{Encoder, HiddenStates};
use crate::error::{Error, Result};

/// What differs between the architectures: how ids become the first hidden
/// states, and which bias (besides padding) the attention scores get.
pub trait Front: Send + Sync {
    /// `ids`: [batch, len] u32, right-padded; `lens`: each row's tokens.
    /// Returns the embedding output (hidden states of layer 0), [batch, len, hidden].
    fn embed(&self, ids: &Tensor, lens: &[usize]) -> candle_core::Result<Tensor>;
    /// A bias added to every layer's attention scores, [1, heads, len, len].
    fn position_bias(&self, len: usize) -> candle_core::Result<Option<Tensor>>;
}

pub struct Network {
    pub known: &'static Known,
    pub tokenizer: tokenizers::Tokenizer,
    pub front: Box<dyn Front>,
    pub layers: Vec<Layer>,
    pub hidden_size: usize,
    pub vocab_size: usize,
    pub pad_id: u32,
}

impl Network {
    fn check(&self, batch: &[Vec<u32>]) -> Result<()> {
        for (i, seq) in batch.iter().enumerate() {
            if seq.is_empty() {
                return Err(Error::encoder(self.known.name, format!("sequence {i} of the batch is empty")));
            }
            if seq.len() > self.known.max_tokens {
                return Err(Error::encoder(
                    self.known.name,
                    format!("sequence {i} has {} tokens, more than the maximum {}", seq.len(), self.known.max_tokens),
                ));
            }
            if let Some(id) = seq.iter().find(|&&id| id as usize >= self.vocab_size) {
                return Err(Error::encoder(self.known.name, format!("sequence {i} holds id {id}, beyond the vocabulary")));
            }
        }
        Ok(())
    }

    /// Hidden states of every layer for the padded batch, each [batch, len, hidden].
    fn run(&self, batch: &[Vec<u32>]) -> candle_core::Result<Vec<Tensor>> {
        let lens: Vec<usize> = batch.iter().map(Vec::len).collect();
        let len = lens.iter().copied().max().unwrap_or(0);
        let mut ids = vec![self.pad_id; batch.len() * len];
        for (row, seq) in ids.chunks_mut(len).zip(batch) {
            row[..seq.len()].copy_from_slice(seq);
        }
        let ids = Tensor::from_vec(ids, (batch.len(), len), &Device::Cpu)?;
        let mask = layers::padding_mask(&lens, len)?;
        let bias = match (self.front.position_bias(len)?, mask) {
            (Some(p), Some(m)) => Some(p.broadcast_add(&m)?),
            (p, m) => p.or(m),
        };
        // Spelt out for every sequence and head once, for all layers.
        let heads = self.layers.first().map_or(1, Layer::heads);
        let bias = match bias {
            Some(t) => Some(t.broadcast_as((batch.len(), heads, len, len))?.contiguous()?.flatten_all()?.to_vec1::<f32>()?),
            None => None,
        };
        let mut states = vec![self.front.embed(&ids, &lens)?];
        for layer in &self.layers {
            let next = layer.forward(states.last().expect("embedding output"), bias.as_deref())?;
            states.push(next);
        }
        Ok(states)
    }

    /// Cut the padded [batch, len, hidden] states into per-sequence matrices.
    fn split(&self, states: Vec<Tensor>, batch: &[Vec<u32>]) -> candle_core::Result<Vec<HiddenStates>> {
        let h = self.hidden_size;
        let mut out: Vec<HiddenStates> = batch.iter().map(|_| Vec::with_capacity(states.len())).collect();
        for layer in states {
            let (_, len, _) = layer.dims3()?;
            let flat = layer.flatten_all()?.to_vec1::<f32>()?;
            for (b, seq) in batch.iter().enumerate() {
                let start = b * len * h;
                let rows = flat[start..start + seq.len() * h].to_vec();
                out[b].push(Array2::from_shape_vec((seq.len(), h), rows).expect("rows x hidden"));
            }
        }
        Ok(out)
    }
}

impl Encoder for Network {
    fn name(&self) -> &str {
        self.known.name
    }
    fn sha256(&self) -> &str {
        self.known.sha256
    }
    fn hidden_size(&self) -> usize {
        self.hidden_size
    }
    fn num_layers(&self) -> usize {
        self.layers.len()
    }
    fn max_tokens(&self) -> usize {
        self.known.max_tokens
    }
    fn tokenizer(&self) -> &tokenizers::Tokenizer {
        &self.tokenizer
    }
    fn forward(&self, batch: &[Vec<u32>]) -> Result<Vec<HiddenStates>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        self.check(batch)?;
        let states = self.run(batch).map_err(|e| Error::encoder(self.known.name, e.to_string()))?;
        self.split(states, batch).map_err(|e| Error::encoder(self.known.name, e.to_string()))
    }
}
