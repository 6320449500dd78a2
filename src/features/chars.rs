//! Character 2-5-grams of the masked sentence's words (not of
//! placeholders), counted per occurrence (term frequency, as
//! scikit-learn's `char_wb`). The family's norm is then the sum over
//! occurrences of idf^2, so a text's value is a sum of per-word values,
//! which the scoring path caches per word (`pipeline::Scorer`).

use super::{Emitter, FeatureFamily, FeatureParams, Masked, TextView};
use crate::hash;
use crate::tokenize::Token;

const TAG_CHAR: u64 = 6;

pub(super) struct Chars {
    grams: CharGrams,
    /// Per-text cache, filled on first use after `prepare`: each token's
    /// n-gram hashes at `at[i]` in `hashes`.
    hashes: Vec<u64>,
    at: Vec<(u32, u32)>,
    ready: bool,
    buf: Vec<char>,
}

impl Chars {
    pub(super) fn new(p: &FeatureParams) -> Self {
        Chars { grams: CharGrams::new(p), hashes: Vec::new(), at: Vec::new(), ready: false, buf: Vec::with_capacity(32) }
    }
}

/// The character n-gram settings: lengths and hash seed.
#[derive(Debug, Clone, Copy)]
pub(super) struct CharGrams {
    min: usize,
    max: usize,
    seed: u64,
}

impl CharGrams {
    pub(super) fn new(p: &FeatureParams) -> Self {
        CharGrams { min: p.char_min, max: p.char_max, seed: p.seed }
    }

    /// Call `each` with the hash and the characters of every n-gram of
    /// token `t`, the word padded with a space on each side, shortest first.
    #[inline]
    pub(super) fn each(&self, text: &str, t: &Token, buf: &mut Vec<char>, mut each: impl FnMut(u64, &[char])) {
        buf.clear();
        buf.push(' ');
        for c in text[t.byte_start as usize..t.byte_end as usize].chars() {
            buf.extend(c.to_lowercase());
        }
        buf.push(' ');
        for n in self.min..=self.max {
            if n > buf.len() {
                break;
            }
            for win in buf.windows(n) {
                let mut h = TAG_CHAR ^ (n as u64) << 56;
                for &c in win {
                    h = (h.rotate_left(21) ^ c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                }
                each(hash::finish(h ^ self.seed), win);
            }
        }
    }
}

impl FeatureFamily for Chars {
    fn counts_repeats(&self) -> bool {
        true
    }

    fn shrink_scratch(&mut self) {
        if self.hashes.capacity() > super::KEEP_SCRATCH {
            self.hashes = Vec::new();
            self.at = Vec::new();
            self.ready = false;
        }
    }

    fn prepare(&mut self, _: &TextView) {
        self.ready = false;
    }

    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        if !self.ready {
            self.hashes.clear();
            self.at.clear();
            for t in v.query.tokens {
                let start = self.hashes.len() as u32;
                let hashes = &mut self.hashes;
                self.grams.each(v.query.text, t, &mut self.buf, |h, _| hashes.push(h));
                self.at.push((start, self.hashes.len() as u32));
            }
            self.ready = true;
        }
        for &i in v.ngram_words {
            let (a, b) = self.at[i];
            if out.explaining() {
                let mut k = a as usize;
                let hashes = &self.hashes;
                self.grams.each(v.query.text, &v.query.tokens[i], &mut self.buf, |_, win| {
                    out.emit(hashes[k], || format!("chars=\"{}\"", win.iter().collect::<String>()));
                    k += 1;
                });
            } else {
                for &h in &self.hashes[a as usize..b as usize] {
                    out.emit(h, String::new);
                }
            }
        }
    }
}
