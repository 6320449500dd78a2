//! Tokenization. The `tokenizers` crate defines and trains the tokenizer
//! (lower-casing normaliser, BERT pre-tokenizer, word-level vocabulary learnt
//! from the training corpus) and saves it as `tokenizer.json` in the bundle.
//!
//! On the hot path we run [`WordTokenizer`], a direct implementation of the
//! same three stages over the vocabulary read from that `tokenizer.json`:
//! the crate encodes about 20,000 lines/s here, ours several times that.
//! A test checks both give the same ids and code-point offsets.

use std::collections::HashMap;

use tokenizers::models::wordlevel::{WordLevel, WordLevelTrainer};
use tokenizers::normalizers::{Lowercase, NormalizerWrapper};
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::{
    AddedToken, DecoderWrapper, ModelWrapper, PostProcessorWrapper, Tokenizer, TokenizerBuilder, TokenizerImpl,
};
use unicode_categories::UnicodeCategories;

use crate::hash::FastBuild;

pub const UNK: &str = "[UNK]";

/// One token: its vocabulary id and its place in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub id: u32,
    /// Code-point span in the original text.
    pub start: u32,
    pub end: u32,
    /// Byte span in the original text.
    pub byte_start: u32,
    pub byte_end: u32,
}

/// Train a word-level tokenizer on the given texts.
pub fn train(texts: impl Iterator<Item = String> + Send, min_frequency: u64) -> Result<Tokenizer, String> {
    let mut trainer = WordLevelTrainer::builder()
        .min_frequency(min_frequency)
        .vocab_size(1_000_000)
        .show_progress(false)
        .special_tokens(vec![AddedToken::from(UNK, true)])
        .build()
        .map_err(|e| e.to_string())?;
    let model = WordLevel::builder().unk_token(UNK.to_string()).build().map_err(|e| e.to_string())?;
    let mut tk: TokenizerImpl<WordLevel, NormalizerWrapper, PreTokenizerWrapper, PostProcessorWrapper, DecoderWrapper> =
        TokenizerBuilder::new()
            .with_model(model)
            .with_normalizer(Some(NormalizerWrapper::Lowercase(Lowercase)))
            .with_pre_tokenizer(Some(PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer)))
            .build()
            .map_err(|e| e.to_string())?;
    tk.train(&mut trainer, texts).map_err(|e| e.to_string())?;
    // Convert to the general `Tokenizer` so it saves and loads like any other.
    let json = tk.to_string(false).map_err(|e| e.to_string())?;
    json.parse::<Tokenizer>().map_err(|e| e.to_string())
}

/// The fast tokenizer used for features; built from a `tokenizer.json`.
#[derive(Debug, Clone)]
pub struct WordTokenizer {
    vocab: HashMap<String, u32, FastBuild>,
    unk: u32,
}

fn is_bert_punc(c: char) -> bool {
    // ASCII first: the Unicode table is a binary search.
    if c.is_ascii() { c.is_ascii_punctuation() } else { c.is_punctuation() }
}

impl WordTokenizer {
    /// Build from a tokenizer made by [`train`]; refuses any other pipeline,
    /// since the fast path only reproduces that one.
    pub fn from_tokenizer(tk: &Tokenizer) -> Result<Self, String> {
        match tk.get_normalizer() {
            Some(NormalizerWrapper::Lowercase(_)) => {}
            _ => return Err("tokenizer.json: expected a Lowercase normalizer".into()),
        }
        match tk.get_pre_tokenizer() {
            Some(PreTokenizerWrapper::BertPreTokenizer(_)) => {}
            _ => return Err("tokenizer.json: expected a BertPreTokenizer".into()),
        }
        if !matches!(tk.get_model(), ModelWrapper::WordLevel(_)) {
            return Err("tokenizer.json: expected a WordLevel model".into());
        }
        let unk = tk.token_to_id(UNK).ok_or("tokenizer.json: no [UNK] token")?;
        let vocab = tk.get_vocab(false).into_iter().collect();
        Ok(WordTokenizer { vocab, unk })
    }

    pub fn unk(&self) -> u32 {
        self.unk
    }

    pub fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    /// Tokenize `text` into `out` (cleared first).
    pub fn tokenize(&self, text: &str, out: &mut Vec<Token>) {
        out.clear();
        let mut lower = String::new();
        let mut word: Option<(u32, u32)> = None; // (char start, byte start)
        let mut ci = 0u32;
        let flush = |word: &mut Option<(u32, u32)>, end_c: u32, end_b: u32, lower: &mut String, out: &mut Vec<Token>| {
            if let Some((sc, sb)) = word.take() {
                lower.clear();
                for ch in text[sb as usize..end_b as usize].chars() {
                    lower.extend(ch.to_lowercase());
                }
                let id = self.vocab.get(lower.as_str()).copied().unwrap_or(self.unk);
                out.push(Token { id, start: sc, end: end_c, byte_start: sb, byte_end: end_b });
            }
        };
        for (b, c) in text.char_indices() {
            let b = b as u32;
            if c.is_whitespace() {
                flush(&mut word, ci, b, &mut lower, out);
            } else if is_bert_punc(c) {
                flush(&mut word, ci, b, &mut lower, out);
                word = Some((ci, b));
                flush(&mut word, ci + 1, b + c.len_utf8() as u32, &mut lower, out);
            } else if word.is_none() {
                word = Some((ci, b));
            }
            ci += 1;
        }
        flush(&mut word, ci, text.len() as u32, &mut lower, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<String> {
        [
            "President Trump’s envoy met Juan Guaidó in Caracas.",
            "“We will not surrender,” Maduro said on state TV!!",
            "The U.S. imposed sanctions; Mr. Bolton called it a ‘turning point’.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn fast_tokenizer_matches_the_tokenizers_crate() {
        let tk = train(texts().into_iter(), 1).unwrap();
        let fast = WordTokenizer::from_tokenizer(&tk).unwrap();
        let mut probe = texts();
        probe.push("Unseen  WORDS\tand İstanbul’s ÉLAN — ok?".into());
        probe.push(String::new());
        let mut toks = Vec::new();
        for t in &probe {
            let enc = tk.encode_char_offsets(t.as_str(), false).unwrap();
            fast.tokenize(t, &mut toks);
            let ids: Vec<u32> = toks.iter().map(|t| t.id).collect();
            let offs: Vec<(usize, usize)> = toks.iter().map(|t| (t.start as usize, t.end as usize)).collect();
            assert_eq!(ids, enc.get_ids(), "{t}");
            assert_eq!(offs, enc.get_offsets(), "{t}");
        }
        fast.tokenize("Guaidó’s", &mut toks);
        assert_eq!(toks.len(), 3);
        assert_ne!(toks[0].id, fast.unk());
        assert_eq!((toks[0].byte_start, toks[0].byte_end), (0, 7));
    }
}
