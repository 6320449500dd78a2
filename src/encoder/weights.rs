//! Reading an encoder's verified files: its `config.json` and its tensors.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use serde::Deserialize;

use super::store::{self, Known};
use crate::error::{Error, Result};

/// The fields of a Hugging Face `config.json` we use (BERT and MPNet share them).
#[derive(Debug, Deserialize)]
pub struct Config {
    pub hidden_size: usize,
    pub num_attention_heads: usize,
    pub num_hidden_layers: usize,
    pub intermediate_size: usize,
    pub layer_norm_eps: f64,
    pub vocab_size: usize,
    pub max_position_embeddings: usize,
    pub pad_token_id: u32,
    pub hidden_act: String,
    /// MPNet only.
    #[serde(default)]
    pub relative_attention_num_buckets: usize,
}

impl Config {
    pub fn read(known: &Known, dir: &Path) -> Result<Config> {
        let bytes = store::read_verified(known.name, dir, &known.config)?;
        let cfg: Config = serde_json::from_slice(&bytes)
            .map_err(|e| Error::encoder(known.name, format!("{}: {e}", dir.join(known.config.file).display())))?;
        if cfg.hidden_act != "gelu" {
            return Err(Error::encoder(known.name, format!("hidden_act {:?} is not supported (only gelu)", cfg.hidden_act)));
        }
        if cfg.num_attention_heads == 0 || !cfg.hidden_size.is_multiple_of(cfg.num_attention_heads) {
            return Err(Error::encoder(known.name, "hidden_size is not a multiple of num_attention_heads"));
        }
        Ok(cfg)
    }

    pub fn head_size(&self) -> usize {
        self.hidden_size / self.num_attention_heads
    }
}

/// All tensors of an encoder, by their names in the safetensors files.
pub struct Weights {
    name: &'static str,
    tensors: HashMap<String, Tensor>,
}

impl Weights {
    /// Read every pinned weight file of `known` from `dir`, checking sha256s.
    pub fn read(known: &Known, dir: &Path) -> Result<Weights> {
        let mut tensors = HashMap::new();
        for pin in known.weights {
            let bytes = store::read_unverified(dir, pin)?;
            // The sha256 (a quarter of a second for mpnet) is checked on a
            // thread of its own while the tensors are parsed; nothing parsed
            // is kept unless it matches, and a mismatch is the error reported.
            let (verified, part) = std::thread::scope(|s| {
                let verified = s.spawn(|| store::verify(known.name, dir, pin, &bytes));
                let part = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu);
                (verified.join().unwrap_or_else(|_| Err(Error::encoder(known.name, "checking sha256 failed"))), part)
            });
            verified?;
            let part = part.map_err(|e| Error::encoder(known.name, format!("{}: {e}", dir.join(pin.file).display())))?;
            tensors.extend(part);
        }
        Ok(Weights { name: known.name, tensors })
    }

    /// The encoder's name, for errors.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The tensor `key`, which must have `shape`.
    pub fn get(&self, key: &str, shape: &[usize]) -> Result<Tensor> {
        let t = self
            .tensors
            .get(key)
            .ok_or_else(|| Error::encoder(self.name, format!("the weights lack tensor {key}")))?;
        if t.dims() != shape {
            return Err(Error::encoder(self.name, format!("tensor {key} has shape {:?}, expected {shape:?}", t.dims())));
        }
        if t.dtype() != candle_core::DType::F32 {
            return Err(Error::encoder(self.name, format!("tensor {key} is {:?}, expected f32", t.dtype())));
        }
        Ok(t.clone())
    }
}
