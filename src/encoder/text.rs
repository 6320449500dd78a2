//! From text to ids and back: char offsets of each token, and which tokens
//! a target's char span covers, including what truncation cut off.

use std::ops::Range;

use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// The model's tokenizer.json with its fixed padding (to 128) switched off and
/// truncation set to `max_tokens`, special tokens included.
pub fn tokenizer(json: &[u8], max_tokens: usize) -> Result<Tokenizer, String> {
    let mut t = Tokenizer::from_bytes(json).map_err(|e| format!("tokenizer.json: {e}"))?;
    t.with_padding(None);
    t.with_truncation(Some(TruncationParams {
        direction: TruncationDirection::Right,
        max_length: max_tokens,
        strategy: TruncationStrategy::LongestFirst,
        stride: 0,
    }))
    .map_err(|e| format!("tokenizer.json: {e}"))?;
    Ok(t)
}

/// A text as the encoder sees it.
///
/// Truncation: a text longer than `max_tokens` word pieces keeps its first
/// `max_tokens - 2` pieces between [CLS] and [SEP] (`<s>`, `</s>`); the rest
/// is not encoded. [`TextIds::truncated`] says so, and [`TextIds::span`]
/// returns `None` for a target wholly in the cut tail and `complete: false`
/// for one cut in the middle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextIds {
    /// Word-piece ids, special tokens included.
    pub ids: Vec<u32>,
    /// Per token, its char range in the text; `(0, 0)` for special tokens.
    pub offsets: Vec<(usize, usize)>,
    /// Per token, whether it is a special token ([CLS], [SEP], `<s>`, `</s>`).
    pub special: Vec<bool>,
    /// Whether word pieces were cut off at `max_tokens`.
    pub truncated: bool,
}

/// The tokens that cover a char span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSpan {
    /// Token positions (indices into `ids`), special tokens excluded.
    pub tokens: Range<usize>,
    /// False when truncation cut off part of the span.
    pub complete: bool,
}

pub fn encode(tokenizer: &Tokenizer, text: &str) -> Result<TextIds, String> {
    let e = tokenizer.encode_char_offsets(text, true).map_err(|e| format!("tokenizing: {e}"))?;
    Ok(TextIds {
        ids: e.get_ids().to_vec(),
        offsets: e.get_offsets().to_vec(),
        special: e.get_special_tokens_mask().iter().map(|&m| m != 0).collect(),
        truncated: !e.get_overflowing().is_empty(),
    })
}

impl TextIds {
    /// The tokens overlapping chars `start..end` of the text, or `None` when
    /// no encoded token does (an empty span, only whitespace, or cut off by
    /// truncation).
    pub fn span(&self, start: usize, end: usize) -> Option<TokenSpan> {
        let hits = |i: &usize| !self.special[*i] && self.offsets[*i].0 < end && self.offsets[*i].1 > start;
        let first = (0..self.ids.len()).find(hits)?;
        let last = (0..self.ids.len()).rev().find(hits)?;
        let encoded_end = self.offsets.iter().zip(&self.special).filter(|(_, s)| !**s).map(|(o, _)| o.1).max().unwrap_or(0);
        Some(TokenSpan { tokens: first..last + 1, complete: !self.truncated || end <= encoded_end })
    }
}
