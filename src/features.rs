//! Target-aware features: the stage between tokens and the model.
//!
//! For one target in one text we build a *masked* token sequence: the
//! target's tokens become `<T>`, other targets' tokens `<O>`. From it come
//! several families of hashed features; each family is L2-normalised on its
//! own (as scikit-learn's stacked TF-IDF blocks are), so that the hundreds
//! of character n-grams do not drown the few context words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::hash;
use crate::text::Span;
use crate::tokenize::{Token, WordTokenizer};

/// The feature families; each can be switched off for ablations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Word unigrams and bigrams of the masked sentence.
    Ngrams,
    /// Words left and right of the target, with side and distance.
    Context,
    /// Character 2-5-grams of the masked sentence's words, counted per
    /// occurrence (term frequency, as scikit-learn's `char_wb`). The
    /// family's norm is the sum over occurrences of idf^2, so a text's
    /// value is a sum of per-word values, which the scoring path caches
    /// per word (`Featurizer::score`).
    Chars,
    /// The words of the target mention itself (an actor's prior).
    Mention,
    /// Words of the target's own clause (up to punctuation or another
    /// target), with side: which sentiment words belong to this target.
    Clause,
    /// Prior sentiment of the words around the target (the VADER lexicon,
    /// see [`crate::lexicon`]) by side, distance and clause: generalises to
    /// sentiment words that training never saw next to a target. Chosen on
    /// NewsMTSC dev-mt + dev-rw (macro-F1 sum 1.406 -> 1.430); a
    /// sentence-wide count and turning polarity around after "not"/"no"
    /// both scored lower there.
    Lexicon,
}

pub const FAMILIES: [Family; 6] = [Family::Ngrams, Family::Context, Family::Chars, Family::Mention, Family::Clause, Family::Lexicon];

/// Feature settings, stored in the model bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    pub families: Vec<Family>,
    /// Replace the target by `<T>` (off: its words stay as they are).
    pub mask_target: bool,
    /// Show other targets of the same text to the context and clause
    /// families as `<O>`. Off by default: chosen on NewsMTSC dev-mt + dev-rw
    /// (macro-F1 0.705 without, 0.701 with, 0.685 when `<O>` also replaced
    /// their words in the n-gram and character families).
    pub mark_others: bool,
    /// Words on each side used as context.
    pub context_window: usize,
    /// Longest word n-gram (2 or 3).
    #[serde(default = "two")]
    pub word_ngrams: usize,
    pub char_min: usize,
    pub char_max: usize,
    /// Add a copy of every feature conjoined with the target's name, so one
    /// model can serve several stance topics.
    pub conjoin_target: bool,
    /// Weight features by inverse document frequency (as TF-IDF does).
    pub idf: bool,
    /// Seed of the feature hash.
    pub seed: u64,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            families: FAMILIES.to_vec(),
            mask_target: true,
            mark_others: false,
            context_window: 6,
            word_ngrams: 2,
            char_min: 2,
            char_max: 5,
            conjoin_target: false,
            idf: true,
            seed: 0,
        }
    }
}

impl FeatureParams {
    /// Checked once, before any work, like linfa's `ParamGuard`.
    pub fn check(&self) -> Result<()> {
        if self.families.is_empty() {
            return Err(Error::Params("every feature family is switched off".into()));
        }
        if self.char_min == 0 || self.char_min > self.char_max || self.char_max > 16 {
            return Err(Error::Params(format!(
                "character n-gram range {}..{} must satisfy 1 <= min <= max <= 16",
                self.char_min, self.char_max
            )));
        }
        if !(2..=3).contains(&self.word_ngrams) {
            return Err(Error::Params("--word-ngrams must be 2 or 3".into()));
        }
        if self.context_window == 0 || self.context_window > 50 {
            return Err(Error::Params("context window must be 1..=50".into()));
        }
        Ok(())
    }

    pub fn has(&self, f: Family) -> bool {
        self.families.contains(&f)
    }
}

fn two() -> usize {
    2
}

/// What to extract features for: one target in one tokenized text.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// The target's mention (first) and its further mentions.
    pub target: &'a [Span],
    /// Mentions of other targets in the same text.
    pub others: &'a [Span],
    /// The target's name, for conjoined features.
    pub name: &'a str,
    /// Whether [`Extractor::prepare`] already ran on this text and tokens.
    pub prepared: bool,
    /// Leave the character n-grams out of `out`; the caller scores them
    /// itself from [`Extractor::token_chars`] (see `Featurizer::score`).
    pub skip_chars: bool,
}

/// A hashed feature and the family it belongs to.
pub type Feature = (u64, u8);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Word(usize), // index into tokens
    Target,
    Other,
}

/// Turns queries into hashed features. Holds scratch buffers, so keep one
/// per thread and reuse it.
pub struct Extractor<'t> {
    params: FeatureParams,
    tokenizer: &'t WordTokenizer,
    token_hash: Vec<u64>,
    slots: Vec<Slot>,
    lower: String,
    ph_target: u64,
    ph_other: u64,
    bos: u64,
    eos: u64,
    unk: u64,
    /// Feature names by hash, kept only when explaining.
    names: Option<HashMap<u64, String>>,
    /// The sequence the n-gram family reads, and its word tokens.
    ng_hash: Vec<u64>,
    ng_words: Vec<usize>,
    /// Word hash of each vocabulary id, computed once.
    vocab_hash: Vec<u64>,
    /// Lexicon polarity of each vocabulary id ([`UNSEEN`] until first
    /// needed; see [`crate::lexicon::polarity`]).
    vocab_polarity: Vec<i8>,
    /// The current text's tokens that are in the lexicon, with polarity.
    polarity: Vec<(u32, i8)>,
    /// Slot of each token of the current query (see `extract`).
    slot_of: Vec<u32>,
    /// Per-text cache (see [`Extractor::prepare`]): each token's word hash,
    /// and its character n-gram hashes at `char_at[i]` in `char_hashes`.
    word_hashes: Vec<u64>,
    char_hashes: Vec<u64>,
    char_at: Vec<(u32, u32)>,
    included: Vec<bool>,
    chars_ready: bool,
    char_buf: Vec<char>,
    /// Scratch hash set for `dedup_in_order`.
    seen: Vec<u64>,
}

/// Push a feature; record its readable name when explaining.
macro_rules! emit {
    ($out:expr, $names:expr, $h:expr, $f:expr, $name:expr) => {{
        let h = $h;
        $out.push((h, $f));
        if let Some(n) = $names.as_mut() {
            n.entry(h).or_insert_with(|| $name);
        }
    }};
}

// Family tags mixed into every hash so that families never collide.
const TAG_UNI: u64 = 1;
const TAG_BI: u64 = 2;
const TAG_CTX_D: u64 = 3;
const TAG_CTX_BAG: u64 = 4;
const TAG_CTX_BI: u64 = 5;
const TAG_CHAR: u64 = 6;
const TAG_MENTION: u64 = 7;
const TAG_EDGE: u64 = 8;
const TAG_CLAUSE: u64 = 9;
const TAG_TRI: u64 = 10;
const TAG_LEX: u64 = 11;

/// `vocab_polarity` of a word not looked up yet.
const UNSEEN: i8 = i8::MIN;

impl<'t> Extractor<'t> {
    pub fn new(params: &FeatureParams, tokenizer: &'t WordTokenizer) -> Self {
        let s = params.seed;
        Extractor {
            params: params.clone(),
            tokenizer,
            token_hash: Vec::new(),
            slots: Vec::new(),
            lower: String::new(),
            ph_target: hash::str(s, "\u{1}<T>"),
            ph_other: hash::str(s, "\u{1}<O>"),
            bos: hash::str(s, "\u{1}<s>"),
            eos: hash::str(s, "\u{1}</s>"),
            unk: hash::str(s, "\u{1}<unk>"),
            names: None,
            vocab_hash: tokenizer.words().iter().map(|w| hash::str(s, w)).collect(),
            // Filled in as words turn up: looking the whole vocabulary up
            // cost each featurizer about 0.5 ms of start-up.
            vocab_polarity: if params.has(Family::Lexicon) { vec![UNSEEN; tokenizer.words().len()] } else { Vec::new() },
            polarity: Vec::new(),
            slot_of: Vec::new(),
            ng_hash: Vec::new(),
            ng_words: Vec::new(),
            word_hashes: Vec::new(),
            char_hashes: Vec::new(),
            char_at: Vec::new(),
            included: Vec::new(),
            chars_ready: false,
            char_buf: Vec::with_capacity(32),
            seen: Vec::new(),
        }
    }

    /// Compute what does not depend on the target: each token's word hash
    /// and character n-grams. A text with several targets pays for it once.
    pub fn prepare(&mut self, text: &str, tokens: &[Token]) {
        let p = &self.params;
        self.word_hashes.clear();
        for t in tokens {
            // A known word's lower-cased text is its vocabulary entry.
            let h = match self.vocab_hash.get(t.id as usize) {
                Some(&h) if t.id != self.tokenizer.unk() => h,
                _ => word_hash(self.tokenizer, p.seed, self.unk, &mut self.lower, text, t),
            };
            self.word_hashes.push(h);
        }
        if p.has(Family::Lexicon) {
            self.polarity.clear();
            for (i, t) in tokens.iter().enumerate() {
                let v = match self.vocab_polarity.get_mut(t.id as usize) {
                    Some(v) if t.id != self.tokenizer.unk() => {
                        if *v == UNSEEN {
                            *v = crate::lexicon::polarity(&self.tokenizer.words()[t.id as usize]);
                        }
                        *v
                    }
                    _ => {
                        crate::tokenize::lower_into(&text[t.byte_start as usize..t.byte_end as usize], &mut self.lower);
                        crate::lexicon::polarity(&self.lower)
                    }
                };
                if v != 0 {
                    self.polarity.push((i as u32, v));
                }
            }
        }
        self.chars_ready = false;
    }

    /// The character n-gram hashes of one token, appended to `out`.
    pub fn token_chars(&mut self, text: &str, t: &Token, out: &mut Vec<u64>) {
        let p = &self.params;
        let buf = &mut self.char_buf;
        buf.clear();
        buf.push(' ');
        for c in text[t.byte_start as usize..t.byte_end as usize].chars() {
            buf.extend(c.to_lowercase());
        }
        buf.push(' ');
        for n in p.char_min..=p.char_max {
            if n > buf.len() {
                break;
            }
            for win in buf.windows(n) {
                let mut h = TAG_CHAR ^ (n as u64) << 56;
                for &c in win {
                    h = (h.rotate_left(21) ^ c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                }
                out.push(hash::finish(h ^ p.seed));
            }
        }
    }

    /// The text's character n-grams per token (`char_at[i]` is token i's
    /// range in `char_hashes`). Computed on first use after `prepare`.
    fn ensure_chars(&mut self, text: &str, tokens: &[Token]) {
        if self.chars_ready {
            return;
        }
        let mut hashes = std::mem::take(&mut self.char_hashes);
        hashes.clear();
        self.char_at.clear();
        for t in tokens {
            let start = hashes.len() as u32;
            self.token_chars(text, t, &mut hashes);
            self.char_at.push((start, hashes.len() as u32));
        }
        self.char_hashes = hashes;
        self.chars_ready = true;
    }

    /// Each token's word hash, from the last `prepare`.
    pub fn word_hashes(&self) -> &[u64] {
        &self.word_hashes
    }

    /// After `extract`: whether each token counted for the target's
    /// character n-grams (false for the masked target words).
    pub fn kept_tokens(&self) -> &[bool] {
        &self.included
    }

    /// Index of the character family among the features' family numbers.
    pub fn chars_family(&self) -> Option<u8> {
        self.params.has(Family::Chars).then(|| FAMILIES.iter().position(|f| *f == Family::Chars).unwrap() as u8)
    }

    pub fn conjoins(&self) -> bool {
        self.params.conjoin_target
    }

    /// Keep readable names of the features extracted, for `--explain`.
    pub fn explaining(mut self) -> Self {
        self.names = Some(HashMap::new());
        self
    }

    /// The readable name of a feature extracted since the last `clear_names`.
    pub fn name_of(&self, h: u64) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.get(&h)).map(|s| s.as_str())
    }

    pub fn clear_names(&mut self) {
        if let Some(n) = self.names.as_mut() {
            n.clear();
        }
    }

    pub fn tokenizer(&self) -> &WordTokenizer {
        self.tokenizer
    }

    /// Extract the features of `q` into `out` (cleared first), each once.
    pub fn extract(&mut self, q: &Query, out: &mut Vec<Feature>) {
        out.clear();
        if !q.prepared {
            self.prepare(q.text, q.tokens);
        }
        if self.params.has(Family::Chars) && (!q.skip_chars || self.names.is_some()) {
            self.ensure_chars(q.text, q.tokens);
        }
        let p = &self.params;
        let (mask, mark) = (p.mask_target, p.mark_others);
        // 1. The masked sequence: runs of target / other tokens collapse
        //    into one placeholder each.
        self.slots.clear();
        self.token_hash.clear();
        self.slot_of.clear();
        let mut main_slot = None;
        for (i, t) in q.tokens.iter().enumerate() {
            let span = Span::new(t.start as usize, t.end as usize);
            let slot = if mask && q.target.iter().any(|s| s.overlaps(&span)) {
                if main_slot.is_none() && q.target.first().is_some_and(|s| s.overlaps(&span)) {
                    main_slot = Some(self.slots.len());
                }
                Slot::Target
            } else if mark && q.others.iter().any(|s| s.overlaps(&span)) {
                Slot::Other
            } else {
                Slot::Word(i)
            };
            if slot != Slot::Word(i) && self.slots.last() == Some(&slot) {
                self.slot_of.push(self.slots.len() as u32 - 1);
                continue;
            }
            self.slot_of.push(self.slots.len() as u32);
            self.slots.push(slot);
        }
        let mut hashes = std::mem::take(&mut self.token_hash);
        for k in 0..self.slots.len() {
            let h = match self.slots[k] {
                Slot::Word(i) => self.word_hashes[i],
                Slot::Target => self.ph_target,
                Slot::Other => self.ph_other,
            };
            hashes.push(h);
        }
        if !mask {
            // Without masking, still find where the target is for context.
            let first = q.target.first();
            main_slot = self.slots.iter().position(|s| match (s, first) {
                (Slot::Word(i), Some(sp)) => {
                    let t = q.tokens[*i];
                    sp.overlaps(&Span::new(t.start as usize, t.end as usize))
                }
                _ => false,
            });
        }
        let fam = |f: Family| FAMILIES.iter().position(|x| *x == f).unwrap() as u8;
        // Readable names, only for --explain.
        let mut names = self.names.take();
        let mut word_names: HashMap<u64, String> = HashMap::new();
        if names.is_some() {
            word_names.insert(self.bos, "<s>".into());
            word_names.insert(self.eos, "</s>".into());
            word_names.insert(self.unk, "<unk>".into());
            for (k, slot) in self.slots.iter().enumerate() {
                let n = match *slot {
                    Slot::Word(i) => {
                        let t = q.tokens[i];
                        q.text[t.byte_start as usize..t.byte_end as usize].to_lowercase()
                    }
                    Slot::Target => "<T>".into(),
                    Slot::Other => "<O>".into(),
                };
                word_names.entry(hashes[k]).or_insert(n);
            }
        }
        macro_rules! wn {
            ($h:expr) => {
                word_names.get(&$h).cloned().unwrap_or_default()
            };
        }

        // The n-gram and character families see other targets' own words:
        // marking them hides who they are, which costs accuracy on dev
        // (NewsMTSC dev-mt + dev-rw macro-F1 0.685 -> 0.705 when kept).
        // Context and clause features see them as <O>.
        let mut ng_hashes = std::mem::take(&mut self.ng_hash);
        ng_hashes.clear();
        self.ng_words.clear();
        for (i, t) in q.tokens.iter().enumerate() {
            let span = Span::new(t.start as usize, t.end as usize);
            if mask && q.target.iter().any(|s| s.overlaps(&span)) {
                if ng_hashes.last() != Some(&self.ph_target) {
                    ng_hashes.push(self.ph_target);
                }
                continue;
            }
            let h = self.word_hashes[i];
            ng_hashes.push(h);
            self.ng_words.push(i);
            if names.is_some() {
                word_names.entry(h).or_insert_with(|| q.text[t.byte_start as usize..t.byte_end as usize].to_lowercase());
            }
        }

        // 2. Word n-grams.
        if p.has(Family::Ngrams) {
            let f = fam(Family::Ngrams);
            let mut prev = self.bos;
            for &h in &ng_hashes {
                emit!(out, names, hash::mix(TAG_UNI, h), f, wn!(h));
                emit!(out, names, hash::mix(hash::mix(TAG_BI, prev), h), f, format!("{} {}", wn!(prev), wn!(h)));
                prev = h;
            }
            emit!(out, names, hash::mix(hash::mix(TAG_BI, prev), self.eos), f, format!("{} </s>", wn!(prev)));
            if p.word_ngrams >= 3 {
                let (mut a, mut b) = (self.bos, self.bos);
                for &h in &ng_hashes {
                    emit!(out, names, hash::mix(hash::mix(hash::mix(TAG_TRI, a), b), h), f, format!("{} {} {}", wn!(a), wn!(b), wn!(h)));
                    a = b;
                    b = h;
                }
            }
        }

        // 3. Context around the main target mention.
        if p.has(Family::Context)
            && let Some(m) = main_slot {
                let f = fam(Family::Context);
                let w = p.context_window;
                let at = |k: isize| -> u64 {
                    if k < 0 {
                        self.bos
                    } else if k as usize >= hashes.len() {
                        self.eos
                    } else {
                        hashes[k as usize]
                    }
                };
                let m = m as isize;
                // The main target may span several slots when unmasked.
                let mut end = m;
                if !mask {
                    while let Some(Slot::Word(i)) = self.slots.get(end as usize + 1) {
                        let t = q.tokens[*i];
                        if q.target[0].overlaps(&Span::new(t.start as usize, t.end as usize)) {
                            end += 1;
                        } else {
                            break;
                        }
                    }
                }
                for d in 1..=w as isize {
                    for (side, k) in [(0u64, m - d), (1u64, end + d)] {
                        let h = at(k);
                        let tag = hash::mix(TAG_CTX_D, side * 64 + d.min(4) as u64);
                        if d <= 3 {
                            emit!(out, names, hash::mix(tag, h), f, format!("{}{}={}", if side == 0 { "left" } else { "right" }, d.min(4), wn!(h)));
                        }
                        emit!(out, names, hash::mix(hash::mix(TAG_CTX_BAG, side), h), f, format!("{}-context={}", if side == 0 { "left" } else { "right" }, wn!(h)));
                        if h == self.bos || h == self.eos {
                            break;
                        }
                    }
                }
                emit!(out, names, hash::mix(hash::mix(TAG_CTX_BI, 0), hash::mix(at(m - 2), at(m - 1))), f, format!("left2=\"{} {}\"", wn!(at(m - 2)), wn!(at(m - 1))));
                emit!(out, names, hash::mix(hash::mix(TAG_CTX_BI, 1), hash::mix(at(end + 1), at(end + 2))), f, format!("right2=\"{} {}\"", wn!(at(end + 1)), wn!(at(end + 2))));
                let pos = if m == 0 { 0 } else if end as usize + 1 == hashes.len() { 1 } else { 2 };
                emit!(out, names, hash::mix(TAG_EDGE, pos), f, ["target-first", "target-last", "target-inside"][pos as usize].to_string());
            }

        // 5. The target's clause: walk out from the target to the nearest
        //    clause punctuation or other target on each side (the boundary
        //    itself counts too). `clause` is the slot range inside it.
        let clause = main_slot.map(|m| {
            let lo = (0..m).rev().find(|&k| ends_clause(q, &self.slots[k])).map_or(0, |k| k + 1);
            let hi = ((m + 1)..self.slots.len()).find(|&k| ends_clause(q, &self.slots[k])).unwrap_or(self.slots.len());
            (lo, hi)
        });
        if p.has(Family::Clause)
            && let (Some(m), Some((lo, hi))) = (main_slot, clause) {
                let f = fam(Family::Clause);
                // Nearest first on each side; the boundary slot (lo - 1 or hi) included.
                let left = (lo.saturating_sub(1)..m).rev();
                let right = (m + 1)..(hi + 1).min(self.slots.len());
                for (side, k) in left.map(|k| (0u64, k)).chain(right.map(|k| (1u64, k))) {
                    let boundary = (side == 0 && k + 1 == lo) || (side == 1 && k == hi);
                    if boundary || matches!(self.slots[k], Slot::Word(_)) {
                        emit!(out, names, hash::mix(hash::mix(TAG_CLAUSE, side), hashes[k]), f, format!("{}-clause={}", if side == 0 { "left" } else { "right" }, wn!(hashes[k])));
                    }
                }
            }

        // 6b. Sentiment words by where they stand from the target.
        if p.has(Family::Lexicon)
            && let (Some(m), Some((lo, hi))) = (main_slot, clause) {
                let f = fam(Family::Lexicon);
                for &(i, v) in &self.polarity {
                    let k = self.slot_of[i as usize] as usize;
                    // The target's own words are masked: not a word here.
                    if !matches!(self.slots[k], Slot::Word(_)) {
                        continue;
                    }
                    // Where the word stands: side and distance, and whether
                    // it is in the target's own clause.
                    let side = (k > m) as u64;
                    let near = match k.abs_diff(m) {
                        0..=3 => 0,
                        4..=6 => 1,
                        _ => 2,
                    };
                    let in_clause = (lo <= k && k < hi) as u64;
                    let sign = ["strongly-negative", "negative", "", "positive", "strongly-positive"][(v + 2) as usize];
                    let v = v as i64 as u64;
                    emit!(out, names, hash::mix(hash::mix(TAG_LEX, 1 + side * 4 + near), v), f, format!("lexicon:{}{}={sign}", ["left", "right"][side as usize], ["-near", "-mid", "-far"][near as usize]));
                    emit!(out, names, hash::mix(hash::mix(TAG_LEX, 16 + in_clause), v), f, format!("lexicon:{}={sign}", ["other-clause", "own-clause"][in_clause as usize]));
                }
            }

        // 6. The mention's own words.
        if p.has(Family::Mention)
            && let Some(sp) = q.target.first() {
                let f = fam(Family::Mention);
                for (i, t) in q.tokens.iter().enumerate() {
                    if sp.overlaps(&Span::new(t.start as usize, t.end as usize)) {
                        let h = self.word_hashes[i];
                        if names.is_some() {
                            word_names.insert(h, q.text[t.byte_start as usize..t.byte_end as usize].to_lowercase());
                        }
                        emit!(out, names, hash::mix(TAG_MENTION, h), f, format!("mention={}", wn!(h)));
                    }
                }
            }

        // Every word-level feature counts once (binary features: counting
        // repeats lost 1.4 points of macro-F1 on NewsMTSC dev-mt).
        dedup_in_order(out, &mut self.seen);

        // 4. Character n-grams of each word (not of placeholders), every
        //    occurrence: duplicates stay (see `Family::Chars`).
        if p.has(Family::Chars) {
            let f = fam(Family::Chars);
            self.included.clear();
            self.included.resize(q.tokens.len(), false);
            for &i in &self.ng_words {
                self.included[i] = true;
                if let Some(n) = names.as_mut() {
                    let (a, _) = self.char_at[i];
                    let t = q.tokens[i];
                    let mut buf = vec![' '];
                    buf.extend(q.text[t.byte_start as usize..t.byte_end as usize].chars().flat_map(|c| c.to_lowercase()));
                    buf.push(' ');
                    let mut k = a as usize;
                    for len in p.char_min..=p.char_max.min(buf.len()) {
                        for win in buf.windows(len) {
                            n.entry(self.char_hashes[k]).or_insert_with(|| format!("chars=\"{}\"", win.iter().collect::<String>()));
                            k += 1;
                        }
                    }
                }
            }
            if !q.skip_chars {
                for &i in &self.ng_words {
                    let (a, b) = self.char_at[i];
                    out.extend(self.char_hashes[a as usize..b as usize].iter().map(|&h| (h, f)));
                }
            }
        }

        // 7. Conjoin with the target's name.
        if p.conjoin_target {
            let name = hash::str(p.seed ^ 0xC0, &q.name.to_lowercase());
            let n = out.len();
            for k in 0..n {
                let (h, f) = out[k];
                let base = names.as_ref().and_then(|m| m.get(&h)).cloned();
                emit!(out, names, hash::mix(name, h), f, format!("{}|{}", q.name.to_lowercase(), base.unwrap_or_default()));
            }
        }
        self.token_hash = hashes;
        self.ng_hash = ng_hashes;
        self.names = names;
    }
}

/// Whether a slot ends the target's clause: another target, or clause
/// punctuation.
fn ends_clause(q: &Query, slot: &Slot) -> bool {
    match *slot {
        Slot::Other => true,
        Slot::Target => false,
        Slot::Word(i) => {
            let t = q.tokens[i];
            t.end - t.start == 1
                && matches!(
                    q.text[t.byte_start as usize..].chars().next(),
                    Some(',' | ';' | ':' | '.' | '!' | '?' | '"' | '“' | '”' | '(' | ')' | '—' | '–')
                )
        }
    }
}

/// Drop repeated features, keeping the first of each in place. A small
/// open-addressing set over the hashes: about a hundred features per
/// target, where sorting them took an eighth of all scoring time.
fn dedup_in_order(out: &mut Vec<Feature>, seen: &mut Vec<u64>) {
    let cap = (out.len() * 2).next_power_of_two().max(64);
    seen.clear();
    seen.resize(cap, 0);
    let mask = cap - 1;
    let mut w = 0;
    for r in 0..out.len() {
        let h = out[r].0;
        // 0 marks an empty cell; a feature hashed to 0 is simply kept.
        let mut at = (h as usize) & mask;
        let fresh = loop {
            if h == 0 {
                break true;
            }
            match seen[at] {
                0 => {
                    seen[at] = h;
                    break true;
                }
                x if x == h => break false,
                _ => at = (at + 1) & mask,
            }
        };
        if fresh {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// The hash of a token's word. Hashes go through the lower-cased text
/// rather than the vocabulary id: ids are tokenizer-specific, words are not.
fn word_hash(tk: &WordTokenizer, seed: u64, unk: u64, lower: &mut String, text: &str, t: &Token) -> u64 {
    if t.id == tk.unk() {
        return unk;
    }
    lower.clear();
    for c in text[t.byte_start as usize..t.byte_end as usize].chars() {
        lower.extend(c.to_lowercase());
    }
    hash::str(seed, lower)
}

/// Number of families, for per-family normalisation.
pub const N_FAMILIES: usize = FAMILIES.len();

/// Turn hashed features into a sparse row over the model's columns: drop
/// features the model does not know, weight each by its IDF (from
/// `lookup`, with the column), then scale each family by one over the
/// square root of its entries' summed squares: the L2 norm when every
/// feature occurs once; a feature that occurs twice (a character n-gram in
/// two words) is two entries. Training goes through here and the scoring
/// path computes the same sums (a test checks both agree).
pub fn to_row(features: &[Feature], lookup: impl Fn(u64) -> Option<(u32, f32)>, cols: &mut Vec<u32>, vals: &mut Vec<f32>) {
    cols.clear();
    vals.clear();
    let mut norm = [0f32; N_FAMILIES];
    let mut fams: Vec<u8> = Vec::with_capacity(features.len());
    for &(h, f) in features {
        if let Some((c, w)) = lookup(h) {
            cols.push(c);
            vals.push(w);
            fams.push(f);
            norm[f as usize] += w * w;
        }
    }
    let scale: Vec<f32> = norm.iter().map(|&n| if n == 0.0 { 0.0 } else { 1.0 / n.sqrt() }).collect();
    for (v, &f) in vals.iter_mut().zip(&fams) {
        *v *= scale[f as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize;

    fn tok() -> WordTokenizer {
        let t = tokenize::train(["maduro blamed guaido for the crisis".to_string()].into_iter(), 1).unwrap();
        WordTokenizer::from_tokenizer(&t).unwrap()
    }

    fn feats(params: &FeatureParams, text: &str, target: Span, others: &[Span]) -> Vec<Feature> {
        let wt = tok();
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let mut ex = Extractor::new(params, &wt);
        let mut out = Vec::new();
        ex.extract(&Query { text, tokens: &toks, target: &[target], others, name: "x", prepared: false, skip_chars: false }, &mut out);
        out
    }

    #[test]
    fn lexicon_features_place_sentiment_words_around_the_target() {
        let names = |text: &str, target: Span| -> Vec<String> {
            let wt = tok();
            let mut toks = Vec::new();
            wt.tokenize(text, &mut toks);
            let mut ex = Extractor::new(&FeatureParams::default(), &wt).explaining();
            let mut out = Vec::new();
            ex.extract(&Query { text, tokens: &toks, target: &[target], others: &[], name: "x", prepared: false, skip_chars: false }, &mut out);
            let fam = FAMILIES.iter().position(|f| *f == Family::Lexicon).unwrap() as u8;
            let mut v: Vec<String> = out.iter().filter(|f| f.1 == fam).map(|f| ex.name_of(f.0).unwrap().to_string()).collect();
            v.sort();
            v
        };
        // "praised" is not in the tokenizer's vocabulary: looked up by its text.
        assert_eq!(
            names("Maduro praised Guaido for the crisis", Span::new(15, 21)),
            ["lexicon:left-near=strongly-positive", "lexicon:own-clause=strongly-positive", "lexicon:right-near=strongly-negative", "lexicon:own-clause=strongly-negative"]
                .iter()
                .map(|s| s.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        // A comma ends the target's clause ("sadly" -1.8 is outside it);
        // distance is counted in tokens ("crisis" -3.1 is 11 away).
        let far = names("Maduro, sadly, spoke of one two three four five six crisis", Span::new(0, 6));
        assert!(far.contains(&"lexicon:other-clause=negative".to_string()), "{far:?}");
        assert!(far.contains(&"lexicon:right-near=negative".to_string()), "{far:?}");
        assert!(far.contains(&"lexicon:right-far=strongly-negative".to_string()), "{far:?}");
        assert!(!far.iter().any(|f| f.starts_with("lexicon:own-clause")), "{far:?}");
        assert!(names("Maduro spoke to Guaido", Span::new(0, 6)).is_empty());
    }

    #[test]
    fn target_is_masked_and_side_matters() {
        let p = FeatureParams::default();
        let s = "Maduro blamed Guaido for the crisis";
        let a = feats(&p, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let b = feats(&p, s, Span::new(14, 20), &[Span::new(0, 6)]);
        // Same words, different target: the features must differ (context sides swap).
        assert_ne!(a, b);
        // Masking makes the target's identity invisible outside the Mention family.
        let no_mention = FeatureParams { families: vec![Family::Ngrams, Family::Context], ..p.clone() };
        let x = feats(&no_mention, "Maduro blamed the crisis", Span::new(0, 6), &[]);
        let y = feats(&no_mention, "Guaido blamed the crisis", Span::new(0, 6), &[]);
        assert_eq!(x, y);
        let unmasked = FeatureParams { mask_target: false, ..no_mention };
        let x = feats(&unmasked, "Maduro blamed the crisis", Span::new(0, 6), &[]);
        let y = feats(&unmasked, "Guaido blamed the crisis", Span::new(0, 6), &[]);
        assert_ne!(x, y);
    }

    #[test]
    fn other_targets_are_marked_for_context_only() {
        let s = "Maduro blamed Guaido for the crisis";
        let ctx = FeatureParams { families: vec![Family::Context], ..Default::default() };
        let off = feats(&ctx, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let on = feats(&FeatureParams { mark_others: true, ..ctx }, s, Span::new(0, 6), &[Span::new(14, 20)]);
        assert_ne!(off, on);
        let ng = FeatureParams { families: vec![Family::Ngrams], ..Default::default() };
        let off = feats(&ng, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let on = feats(&FeatureParams { mark_others: true, ..ng }, s, Span::new(0, 6), &[Span::new(14, 20)]);
        assert_eq!(off, on);
    }

    #[test]
    fn families_and_conjunction_add_features() {
        let s = "Maduro blamed Guaido for the crisis";
        let all = feats(&FeatureParams::default(), s, Span::new(0, 6), &[]);
        for f in FAMILIES {
            let without = FeatureParams { families: FAMILIES.iter().copied().filter(|x| *x != f).collect(), ..Default::default() };
            let fewer = feats(&without, s, Span::new(0, 6), &[]);
            assert!(fewer.len() < all.len(), "{f:?}");
        }
        let conj = feats(&FeatureParams { conjoin_target: true, ..Default::default() }, s, Span::new(0, 6), &[]);
        assert_eq!(conj.len(), 2 * all.len());
    }

    #[test]
    fn word_hashes_by_vocabulary_id_equal_hashes_of_the_text() {
        let wt = tok();
        let text = "MADURO Blamed an unseen Word";
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let p = FeatureParams { seed: 7, ..Default::default() };
        let mut ex = Extractor::new(&p, &wt);
        ex.prepare(text, &toks);
        for (t, &h) in toks.iter().zip(ex.word_hashes()) {
            let lower = text[t.byte_start as usize..t.byte_end as usize].to_lowercase();
            if t.id == wt.unk() {
                assert_eq!(h, hash::str(7, "\u{1}<unk>"), "{lower}");
            } else {
                assert_eq!(h, hash::str(7, &lower), "{lower}");
            }
        }
        assert!(toks.iter().any(|t| t.id == wt.unk()) && toks.iter().any(|t| t.id != wt.unk()));
    }

    #[test]
    fn rows_have_unit_norm_per_family() {
        let f = feats(&FeatureParams::default(), "Maduro blamed Guaido", Span::new(0, 6), &[]);
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        to_row(&f, |h| Some(((h % 1000) as u32, 1.0 + (h % 3) as f32)), &mut cols, &mut vals);
        let mut norms = [0f32; N_FAMILIES];
        for (k, &(_, fam)) in f.iter().enumerate() {
            norms[fam as usize] += vals[k] * vals[k];
        }
        for n in norms {
            assert!((n - 1.0).abs() < 1e-5, "{n}");
        }
    }
}
