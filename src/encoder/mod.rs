//! Frozen pretrained sentence encoders (BERT, MPNet) on the CPU, as feature
//! extractors: word-piece ids in, the hidden states of every layer out.
//!
//! ```no_run
//! let enc = stance::encoder::load("all-minilm-l6-v2")?;
//! let text = enc.encode_text("Cruz came in third behind Walker.")?;
//! let states = enc.forward(&[text.ids.clone()])?; // [sequence][layer] -> len x hidden
//! let cruz = text.span(0, 4).expect("not cut off");  // chars 0..4 -> tokens
//! let last = &states[0][enc.num_layers()];
//! # Ok::<(), stance::Error>(())
//! ```
//!
//! Built on candle (`candle-core`, `candle-nn`): pure Rust, CPU matrix
//! products through the `gemm` crate on all cores, safetensors loading, and
//! no Python or C++ runtime. The networks themselves are written here (a few
//! hundred lines) because we need the output of every layer, which
//! `candle-transformers`' models do not return.
//!
//! Weights are found and checked by [`store`]; all-MiniLM-L6-v2 ships in the
//! repository, all-mpnet-base-v2 is fetched by `scripts/fetch-encoder.sh`.

mod bert;
mod gelu;
mod layers;
mod mpnet;
mod network;
mod ops;
pub mod store;
mod text;
mod weights;

use ndarray::Array2;

pub use text::{TextIds, TokenSpan};

use crate::error::{Error, Result};

/// Hidden states of one sequence: `[layer]` (0 = embedding output, then each
/// layer's output up to `num_layers`), each `tokens x hidden_size`.
pub type HiddenStates = Vec<Array2<f32>>;

/// A frozen encoder. Thread-safe: one instance serves all threads; each
/// `forward` uses candle's own thread pool for its matrix products.
pub trait Encoder: Send + Sync {
    /// The name in [`store::KNOWN`], e.g. "all-minilm-l6-v2".
    fn name(&self) -> &str;
    /// sha256 of the published `model.safetensors`: what a bundle pins.
    fn sha256(&self) -> &str;
    fn hidden_size(&self) -> usize;
    fn num_layers(&self) -> usize;
    /// The most tokens per sequence, special tokens included.
    fn max_tokens(&self) -> usize;
    /// The model's tokenizer, with the fixed padding of its tokenizer.json
    /// switched off and truncation at [`Encoder::max_tokens`].
    fn tokenizer(&self) -> &tokenizers::Tokenizer;
    /// Run a batch of id sequences (with special tokens, at most
    /// `max_tokens` each, none empty); padding and the attention mask are
    /// handled inside, so a sequence's states do not depend on its batch.
    /// Returns, per sequence, the hidden states of layers `0..=num_layers`.
    fn forward(&self, batch: &[Vec<u32>]) -> Result<Vec<HiddenStates>>;

    /// Tokenize `text` (special tokens added), keeping char offsets; see
    /// [`TextIds`] for what truncation does to the tail of a long text.
    fn encode_text(&self, text: &str) -> Result<TextIds> {
        text::encode(self.tokenizer(), text).map_err(|e| Error::encoder(self.name(), e))
    }
}

/// Load a known encoder by name (see [`store::KNOWN`]) from the first folder
/// that has it (see [`store`]), checking every file's sha256.
pub fn load(name: &str) -> Result<Box<dyn Encoder>> {
    let known = store::known(name)?;
    load_from(known, &store::find(known)?)
}

/// Load the known encoder `known` from `dir`, checking every file's sha256.
pub fn load_from(known: &'static store::Known, dir: &std::path::Path) -> Result<Box<dyn Encoder>> {
    let bytes = store::read_verified(known.name, dir, &known.tokenizer)?;
    let tokenizer = text::tokenizer(&bytes, known.max_tokens).map_err(|e| Error::encoder(known.name, e))?;
    Ok(match known.arch {
        store::Arch::Bert => Box::new(bert::load(known, dir, tokenizer)?),
        store::Arch::MPNet => Box::new(mpnet::load(known, dir, tokenizer)?),
    })
}
