//! Prior sentiment of the words around the target (the VADER lexicon, see
//! [`crate::lexicon`]) by side, distance and clause: generalises to
//! sentiment words that training never saw next to a target.

use super::masked::Slot;
use super::{Emitter, FeatureFamily, Masked, TextView};
use crate::hash::mix;

const TAG_LEX: u64 = 11;

/// `vocab_polarity` of a word not looked up yet.
const UNSEEN: i8 = i8::MIN;

pub(super) struct Lexicon {
    /// Lexicon polarity of each vocabulary id ([`UNSEEN`] until first
    /// needed): looking the whole vocabulary up at start cost each
    /// featurizer about 0.5 ms.
    vocab_polarity: Vec<i8>,
    /// The current text's tokens that are in the lexicon, with polarity.
    polarity: Vec<(u32, i8)>,
    lower: String,
}

impl Lexicon {
    pub(super) fn new(vocab_size: usize) -> Self {
        Lexicon { vocab_polarity: vec![UNSEEN; vocab_size], polarity: Vec::new(), lower: String::new() }
    }
}

const SIGN: [&str; 5] = ["strongly-negative", "negative", "", "positive", "strongly-positive"];

impl FeatureFamily for Lexicon {
    fn prepare(&mut self, t: &TextView) {
        self.polarity.clear();
        let (unk, words) = (t.tokenizer.unk(), t.tokenizer.words());
        for (i, tok) in t.tokens.iter().enumerate() {
            let v = match self.vocab_polarity.get_mut(tok.id as usize) {
                Some(v) if tok.id != unk => {
                    if *v == UNSEEN {
                        *v = crate::lexicon::polarity(&words[tok.id as usize]);
                    }
                    *v
                }
                _ => {
                    crate::tokenize::lower_into(&t.text[tok.byte_start as usize..tok.byte_end as usize], &mut self.lower);
                    crate::lexicon::polarity(&self.lower)
                }
            };
            if v != 0 {
                self.polarity.push((i as u32, v));
            }
        }
    }

    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        let (Some(m), Some((lo, hi))) = (v.main, v.clause) else { return };
        for &(i, pol) in &self.polarity {
            let k = v.slot_of[i as usize] as usize;
            // The target's own words are masked: not a word here.
            if !matches!(v.slots[k], Slot::Word(_)) {
                continue;
            }
            // Where the word stands: side and distance, and whether it is
            // in the target's own clause.
            let side = (k > m) as u64;
            let near = match k.abs_diff(m) {
                0..=3 => 0,
                4..=6 => 1,
                _ => 2,
            };
            let in_clause = (lo <= k && k < hi) as u64;
            let sign = SIGN[(pol + 2) as usize];
            let h = pol as i64 as u64;
            out.emit(mix(mix(TAG_LEX, 1 + side * 4 + near), h), || {
                format!("lexicon:{}{}={sign}", ["left", "right"][side as usize], ["-near", "-mid", "-far"][near as usize])
            });
            out.emit(mix(mix(TAG_LEX, 16 + in_clause), h), || format!("lexicon:{}={sign}", ["other-clause", "own-clause"][in_clause as usize]));
        }
    }
}
