//! BERT (`BertModel`), as in all-MiniLM-L6-v2: word + absolute position +
//! token-type (always type 0) embeddings, LayerNorm, then post-norm layers.

use std::path::Path;

use rayon::prelude::*;

use candle_core::Tensor;

use super::layers::{Layer, LayerNames, Norm};
use super::network::{Front, Network};
use super::store::Known;
use super::weights::{Config, Weights};
use crate::error::{Error, Result};

const NAMES: LayerNames = LayerNames {
    query: "attention.self.query",
    key: "attention.self.key",
    value: "attention.self.value",
    attention_out: "attention.output.dense",
    attention_norm: "attention.output.LayerNorm",
    up: "intermediate.dense",
    down: "output.dense",
    out_norm: "output.LayerNorm",
};

struct BertEmbeddings {
    word: Tensor,
    position: Tensor,
    /// Row 0 of the token-type table: every token of a single sentence is type 0.
    token_type: Tensor,
    norm: Norm,
}

impl Front for BertEmbeddings {
    fn embed(&self, ids: &Tensor, _lens: &[usize]) -> candle_core::Result<Tensor> {
        let (b, l) = ids.dims2()?;
        let words = self.word.embedding(&ids.flatten_all()?)?.reshape((b, l, ()))?;
        let positions = self.position.narrow(0, 0, l)?;
        let x = words.broadcast_add(&positions)?.broadcast_add(&self.token_type)?;
        self.norm.forward(&x)
    }

    fn position_bias(&self, _len: usize) -> candle_core::Result<Option<Tensor>> {
        Ok(None)
    }
}

pub fn load(known: &'static Known, dir: &Path, tokenizer: tokenizers::Tokenizer) -> Result<Network> {
    let cfg = Config::read(known, dir)?;
    if known.max_tokens > cfg.max_position_embeddings {
        return Err(Error::encoder(known.name, "max_tokens exceeds max_position_embeddings"));
    }
    let w = Weights::read(known, dir)?;
    let h = cfg.hidden_size;
    let token_types = w.get("embeddings.token_type_embeddings.weight", &[2, h])?;
    let embeddings = BertEmbeddings {
        word: w.get("embeddings.word_embeddings.weight", &[cfg.vocab_size, h])?,
        position: w.get("embeddings.position_embeddings.weight", &[cfg.max_position_embeddings, h])?,
        token_type: token_types.get(0).and_then(|t| t.unsqueeze(0)).map_err(|e| Error::encoder(known.name, e.to_string()))?,
        norm: Norm::read(&w, "embeddings.LayerNorm", h, cfg.layer_norm_eps)?,
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
