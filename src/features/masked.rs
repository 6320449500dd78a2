//! The masked view of one target in one sentence, which every family reads.
//!
//! The target's tokens become `<T>`, other targets' tokens `<O>` (when
//! marked); runs of either collapse into one placeholder. Alongside: the
//! sequence the n-gram and character families read (other targets keep
//! their words there), the slot of the target's main mention, and the
//! target's clause.

use std::collections::HashMap;

use super::{FeatureParams, Query};
use crate::hash;
use crate::text::Span;

/// One position of the masked sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A word: index into the query's tokens.
    Word(usize),
    Target,
    Other,
}

/// The hashes of the placeholders and sentence ends, fixed by the seed.
#[derive(Debug, Clone)]
pub struct Marks {
    pub target: u64,
    pub other: u64,
    pub bos: u64,
    pub eos: u64,
    pub unk: u64,
}

impl Marks {
    pub fn new(seed: u64) -> Self {
        Marks {
            target: hash::str(seed, "\u{1}<T>"),
            other: hash::str(seed, "\u{1}<O>"),
            bos: hash::str(seed, "\u{1}<s>"),
            eos: hash::str(seed, "\u{1}</s>"),
            unk: hash::str(seed, "\u{1}<unk>"),
        }
    }
}

/// What the families see of one target. Built by [`MaskedBuf::build`].
pub struct Masked<'a> {
    pub query: Query<'a>,
    pub params: &'a FeatureParams,
    pub marks: &'a Marks,
    /// Each token's word hash (see `Extractor::prepare`).
    pub word_hashes: &'a [u64],
    /// The masked sequence, and the hash of each slot.
    pub slots: &'a [Slot],
    pub hashes: &'a [u64],
    /// The slot of each token.
    pub slot_of: &'a [u32],
    /// The slot of the target's main mention, and its last slot (later
    /// than `main` only when the target is not masked and spans words).
    pub main: Option<usize>,
    pub main_end: usize,
    /// The target's clause as a slot range `lo..hi`: out from the target to
    /// the nearest clause punctuation or other target on each side.
    pub clause: Option<(usize, usize)>,
    /// The n-gram sequence (the target masked, other targets' words kept),
    /// and the tokens of its words.
    pub ngrams: &'a [u64],
    pub ngram_words: &'a [usize],
    /// Readable names of word hashes, only when explaining.
    words: Option<&'a HashMap<u64, String>>,
}

impl Masked<'_> {
    /// The hash of slot `k`, or of the sentence start or end beyond it.
    pub fn at(&self, k: isize) -> u64 {
        if k < 0 {
            self.marks.bos
        } else if k as usize >= self.hashes.len() {
            self.marks.eos
        } else {
            self.hashes[k as usize]
        }
    }

    /// The readable word of a word or placeholder hash (explaining only;
    /// empty otherwise).
    pub fn word(&self, h: u64) -> &str {
        self.words.and_then(|w| w.get(&h)).map_or("", |s| s.as_str())
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        let t = self.query.tokens[i];
        &self.query.text[t.byte_start as usize..t.byte_end as usize]
    }
}

/// The buffers behind [`Masked`], reused from target to target.
#[derive(Default)]
pub struct MaskedBuf {
    slots: Vec<Slot>,
    hashes: Vec<u64>,
    slot_of: Vec<u32>,
    ngrams: Vec<u64>,
    ngram_words: Vec<usize>,
    words: HashMap<u64, String>,
}

impl MaskedBuf {
    pub fn build<'a>(&'a mut self, q: Query<'a>, params: &'a FeatureParams, marks: &'a Marks, word_hashes: &'a [u64], explain: bool) -> Masked<'a> {
        let (mask, mark) = (params.mask_target, params.mark_others);
        let span = |i: usize| {
            let t = q.tokens[i];
            Span::new(t.start as usize, t.end as usize)
        };
        self.slots.clear();
        self.hashes.clear();
        self.slot_of.clear();
        let mut main = None;
        for i in 0..q.tokens.len() {
            let s = span(i);
            let slot = if mask && q.target.iter().any(|t| t.overlaps(&s)) {
                if main.is_none() && q.target.first().is_some_and(|t| t.overlaps(&s)) {
                    main = Some(self.slots.len());
                }
                Slot::Target
            } else if mark && q.others.iter().any(|o| o.overlaps(&s)) {
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
        self.hashes.extend(self.slots.iter().map(|s| match *s {
            Slot::Word(i) => word_hashes[i],
            Slot::Target => marks.target,
            Slot::Other => marks.other,
        }));
        if !mask {
            // Without masking, still find where the target is for context.
            let first = q.target.first();
            main = self.slots.iter().position(|s| match (s, first) {
                (Slot::Word(i), Some(sp)) => sp.overlaps(&span(*i)),
                _ => false,
            });
        }
        // The main target may span several slots when unmasked.
        let mut main_end = main.unwrap_or(0);
        if !mask && main.is_some() {
            while let Some(Slot::Word(i)) = self.slots.get(main_end + 1) {
                if q.target[0].overlaps(&span(*i)) {
                    main_end += 1;
                } else {
                    break;
                }
            }
        }
        let clause = main.map(|m| {
            let lo = (0..m).rev().find(|&k| ends_clause(&q, &self.slots[k])).map_or(0, |k| k + 1);
            let hi = ((m + 1)..self.slots.len()).find(|&k| ends_clause(&q, &self.slots[k])).unwrap_or(self.slots.len());
            (lo, hi)
        });

        // The n-gram and character families see other targets' own words:
        // marking them hides who they are, which costs accuracy on dev
        // (NewsMTSC dev-mt + dev-rw macro-F1 0.685 -> 0.705 when kept).
        // Context and clause features see them as <O>.
        self.ngrams.clear();
        self.ngram_words.clear();
        for (i, &h) in word_hashes.iter().enumerate() {
            if mask && q.target.iter().any(|t| t.overlaps(&span(i))) {
                if self.ngrams.last() != Some(&marks.target) {
                    self.ngrams.push(marks.target);
                }
                continue;
            }
            self.ngrams.push(h);
            self.ngram_words.push(i);
        }

        self.words.clear();
        if explain {
            let lower = |i: usize| {
                let t = q.tokens[i];
                q.text[t.byte_start as usize..t.byte_end as usize].to_lowercase()
            };
            self.words.insert(marks.bos, "<s>".into());
            self.words.insert(marks.eos, "</s>".into());
            self.words.insert(marks.unk, "<unk>".into());
            for (k, slot) in self.slots.iter().enumerate() {
                let n = match *slot {
                    Slot::Word(i) => lower(i),
                    Slot::Target => "<T>".into(),
                    Slot::Other => "<O>".into(),
                };
                self.words.entry(self.hashes[k]).or_insert(n);
            }
            for &i in &self.ngram_words {
                self.words.entry(word_hashes[i]).or_insert_with(|| lower(i));
            }
        }

        Masked {
            query: q,
            params,
            marks,
            word_hashes,
            slots: &self.slots,
            hashes: &self.hashes,
            slot_of: &self.slot_of,
            main,
            main_end,
            clause,
            ngrams: &self.ngrams,
            ngram_words: &self.ngram_words,
            words: explain.then_some(&self.words),
        }
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
