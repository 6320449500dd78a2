//! Tokenization. The tokenizer is a `tokenizers` crate pipeline (lower-casing
//! normaliser, BERT pre-tokenizer, word-level vocabulary of the training
//! corpus), saved as `tokenizer.json` in the bundle. [`build`] counts the
//! vocabulary on all cores and hands it to the crate's `WordLevel` model;
//! a test checks the result equals what the crate's own trainer ([`train`])
//! makes, byte for byte.
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

/// Build the word-level tokenizer of `texts`: the vocabulary the `tokenizers`
/// crate's `WordLevelTrainer` learns (every word seen at least
/// `min_frequency` times, most frequent first, ties by word, `[UNK]` first),
/// counted on all cores with our own pre-tokenizer. The crate's trainer runs
/// its normaliser on one core: 0.14 s on NewsMTSC, 1.7 s on 16 times that.
/// A test checks both give the same `tokenizer.json`.
pub fn build(texts: &[&str], min_frequency: u64) -> Result<Tokenizer, String> {
    let counts: HashMap<String, u64, FastBuild> = crate::count::in_blocks(texts, |chunk, counts: &mut HashMap<String, u64, FastBuild>| {
        let mut lower = String::new();
        for text in chunk {
            split(text, |_, _, b0, b1| {
                lower_into(&text[b0 as usize..b1 as usize], &mut lower);
                match counts.get_mut(lower.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(lower.clone(), 1);
                    }
                }
            });
        }
    });
    let mut ordered: Vec<(String, u64)> = counts.into_iter().filter(|&(_, n)| n >= min_frequency).collect();
    ordered.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let vocab: serde_json::Map<String, serde_json::Value> =
        std::iter::once(UNK.to_string()).chain(ordered.into_iter().map(|(w, _)| w)).enumerate().map(|(i, w)| (w, i.into())).collect();
    // WordLevel's builder wants an ahash map; its JSON form needs no extra crate.
    let model_json = serde_json::json!({ "type": "WordLevel", "vocab": vocab, "unk_token": UNK }).to_string();
    let model: WordLevel = serde_json::from_str(&model_json).map_err(|e| e.to_string())?;
    let mut tk = pipeline(model)?;
    tk.add_special_tokens([AddedToken::from(UNK, true)]).map_err(|e| e.to_string())?;
    general(&tk)
}

type WordLevelPipeline = TokenizerImpl<WordLevel, NormalizerWrapper, PreTokenizerWrapper, PostProcessorWrapper, DecoderWrapper>;

/// The one pipeline `stance` uses (and [`WordTokenizer`] reproduces):
/// lower-casing, BERT's pre-tokenizer, a word-level model.
fn pipeline(model: WordLevel) -> Result<WordLevelPipeline, String> {
    TokenizerBuilder::new()
        .with_model(model)
        .with_normalizer(Some(NormalizerWrapper::Lowercase(Lowercase)))
        .with_pre_tokenizer(Some(PreTokenizerWrapper::BertPreTokenizer(BertPreTokenizer)))
        .build()
        .map_err(|e| e.to_string())
}

/// Convert to the general `Tokenizer` so it saves and loads like any other.
fn general(tk: &WordLevelPipeline) -> Result<Tokenizer, String> {
    let json = tk.to_string(false).map_err(|e| e.to_string())?;
    json.parse::<Tokenizer>().map_err(|e| e.to_string())
}

/// Lower-case `w` into `out` as the `Lowercase` normaliser does.
pub(crate) fn lower_into(w: &str, out: &mut String) {
    out.clear();
    if w.is_ascii() {
        out.push_str(w);
        out.make_ascii_lowercase();
    } else {
        for ch in w.chars() {
            out.extend(ch.to_lowercase());
        }
    }
}

/// BERT's pre-tokenizer: whitespace separates words and every punctuation
/// character is a word of its own. Calls `f(char_start, char_end,
/// byte_start, byte_end)` for each word; ASCII bytes are classified without
/// decoding.
fn split(text: &str, mut f: impl FnMut(u32, u32, u32, u32)) {
    let bytes = text.as_bytes();
    let mut word: Option<(u32, u32)> = None; // (char start, byte start)
    let mut ci = 0u32;
    let mut b = 0usize;
    while b < bytes.len() {
        let x = bytes[b];
        let (space, punc, len) = if x < 0x80 {
            // char::is_whitespace on ASCII: tab, newline, VT, FF, CR, space.
            (x == b' ' || (9..=13).contains(&x), x.is_ascii_punctuation(), 1)
        } else {
            let c = text[b..].chars().next().unwrap_or_default();
            (c.is_whitespace(), is_bert_punc(c), c.len_utf8())
        };
        let bu = b as u32;
        if space || punc {
            if let Some((sc, sb)) = word.take() {
                f(sc, ci, sb, bu);
            }
            if punc {
                f(ci, ci + 1, bu, bu + len as u32);
            }
        } else if word.is_none() {
            word = Some((ci, bu));
        }
        ci += 1;
        b += len;
    }
    if let Some((sc, sb)) = word {
        f(sc, ci, sb, text.len() as u32);
    }
}

/// Train a word-level tokenizer on the given texts with the `tokenizers`
/// crate's trainer (the reference that [`build`] is tested against).
pub fn train(texts: impl Iterator<Item = String> + Send, min_frequency: u64) -> Result<Tokenizer, String> {
    let mut trainer = WordLevelTrainer::builder()
        .min_frequency(min_frequency)
        .vocab_size(1_000_000)
        .show_progress(false)
        .special_tokens(vec![AddedToken::from(UNK, true)])
        .build()
        .map_err(|e| e.to_string())?;
    let model = WordLevel::builder().unk_token(UNK.to_string()).build().map_err(|e| e.to_string())?;
    let mut tk = pipeline(model)?;
    tk.train(&mut trainer, texts).map_err(|e| e.to_string())?;
    general(&tk)
}

/// The fast tokenizer used for features; built from a `tokenizer.json`.
#[derive(Debug, Clone)]
pub struct WordTokenizer {
    vocab: Vocab,
    /// Each id's (lower-cased) word; empty for ids the vocabulary skips.
    words: Vec<String>,
    unk: u32,
}

/// The vocabulary as an open-addressing table whose 32-byte cells hold a
/// short word's bytes beside its hash and id: a look-up costs one cache
/// line, where a `HashMap<String, u32>` costs two (the entry, then the
/// string it points to; measured at a fifth of all `eval` time).
#[derive(Debug, Clone)]
struct Vocab {
    cells: Vec<Cell>,
    mask: usize,
    /// Words too long (or empty) for a cell.
    long: HashMap<Vec<u8>, u32, FastBuild>,
}

const INLINE: usize = 19;

#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct Cell {
    hash: u64,
    id: u32,
    /// 0: empty cell.
    len: u8,
    bytes: [u8; INLINE],
}

impl Vocab {
    fn new(words: &HashMap<String, u32>) -> Self {
        let cap = (words.len() * 2).next_power_of_two().max(16);
        let mut v = Vocab { cells: vec![Cell::default(); cap], mask: cap - 1, long: HashMap::default() };
        // Insert in id order so the table does not depend on map order.
        let mut sorted: Vec<(&String, &u32)> = words.iter().collect();
        sorted.sort_by_key(|(_, id)| **id);
        for (w, &id) in sorted {
            let b = w.as_bytes();
            if b.is_empty() || b.len() > INLINE {
                v.long.insert(b.to_vec(), id);
                continue;
            }
            let h = crate::hash::bytes(0x70C, b);
            let mut at = h as usize & v.mask;
            while v.cells[at].len != 0 {
                at = (at + 1) & v.mask;
            }
            let mut bytes = [0u8; INLINE];
            bytes[..b.len()].copy_from_slice(b);
            v.cells[at] = Cell { hash: h, id, len: b.len() as u8, bytes };
        }
        v
    }

    #[inline]
    fn get(&self, w: &[u8]) -> Option<u32> {
        if w.is_empty() || w.len() > INLINE {
            return self.long.get(w).copied();
        }
        let h = crate::hash::bytes(0x70C, w);
        let mut at = h as usize & self.mask;
        loop {
            let c = &self.cells[at];
            if c.len == 0 {
                return None;
            }
            if c.hash == h && c.len as usize == w.len() && c.bytes[..w.len()] == *w {
                return Some(c.id);
            }
            at = (at + 1) & self.mask;
        }
    }
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
        let map: HashMap<String, u32> = tk.get_vocab(false);
        // Ids are 0..n, each once: an id is never trusted as a size (one id
        // of 400,000,000 would allocate gigabytes).
        let mut words: Vec<Option<String>> = vec![None; map.len()];
        for (w, &id) in &map {
            match words.get_mut(id as usize) {
                None => return Err(format!("tokenizer.json: vocabulary id {id} of {w:?} is out of range (the vocabulary has {} words, ids 0 to {})", map.len(), map.len().saturating_sub(1))),
                Some(Some(other)) => return Err(format!("tokenizer.json: vocabulary id {id} is given to both {other:?} and {w:?}")),
                Some(slot) => *slot = Some(w.clone()),
            }
        }
        let words: Vec<String> = words.into_iter().map(Option::unwrap_or_default).collect();
        Ok(WordTokenizer { vocab: Vocab::new(&map), words, unk })
    }

    pub fn unk(&self) -> u32 {
        self.unk
    }

    /// The words by id (lower-cased, as the vocabulary holds them), so that
    /// per-word values can be computed once per model rather than per token.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The id of one pre-tokenized word (lower-cased here).
    #[inline]
    fn lookup(&self, word: &str, lower: &mut String) -> u32 {
        // Most words are short and ASCII: lower-case them on the stack.
        if let Some(id) = crate::text::with_ascii_lowercase(word, |l| self.vocab.get(l.as_bytes())) {
            return id.unwrap_or(self.unk);
        }
        lower_into(word, lower);
        self.vocab.get(lower.as_bytes()).unwrap_or(self.unk)
    }

    /// Tokenize `text` into `out` (cleared first).
    pub fn tokenize(&self, text: &str, out: &mut Vec<Token>) {
        out.clear();
        let mut lower = String::new();
        split(text, |start, end, byte_start, byte_end| {
            let id = self.lookup(&text[byte_start as usize..byte_end as usize], &mut lower);
            out.push(Token { id, start, end, byte_start, byte_end });
        });
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
            // Longer than a vocabulary cell holds inline.
            "Antidisestablishmentarianism and Oberstaatsanwaltschaften.",
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
        probe.push("ANTIDISESTABLISHMENTARIANISM antidisestablishmentarianisms\u{b}x\u{c}y\u{1c}z".into());
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
        // Our parallel vocabulary builder learns the same tokenizer.
        let texts: Vec<String> = texts().into_iter().chain(probe.iter().cloned()).collect();
        let refs: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
        let a = train(texts.clone().into_iter(), 1).unwrap().to_string(false).unwrap();
        let b = build(&refs, 1).unwrap().to_string(false).unwrap();
        assert_eq!(a, b);
        let a = train(texts.clone().into_iter(), 2).unwrap().to_string(false).unwrap();
        let b = build(&refs, 2).unwrap().to_string(false).unwrap();
        assert_eq!(a, b);
        fast.tokenize("Guaidó’s", &mut toks);
        assert_eq!(toks.len(), 3);
        assert_ne!(toks[0].id, fast.unk());
        assert_eq!((toks[0].byte_start, toks[0].byte_end), (0, 7));
    }
}
