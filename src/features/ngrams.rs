//! Word unigrams, bigrams (and trigrams) of the masked sentence.

use super::{Emitter, FeatureFamily, Masked};
use crate::hash::mix;

const TAG_UNI: u64 = 1;
const TAG_BI: u64 = 2;
const TAG_TRI: u64 = 10;

pub(super) struct Ngrams;

impl FeatureFamily for Ngrams {
    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        let (bos, eos) = (v.marks.bos, v.marks.eos);
        let mut prev = bos;
        for &h in v.ngrams {
            out.emit(mix(TAG_UNI, h), || v.word(h).to_string());
            out.emit(mix(mix(TAG_BI, prev), h), || format!("{} {}", v.word(prev), v.word(h)));
            prev = h;
        }
        out.emit(mix(mix(TAG_BI, prev), eos), || format!("{} </s>", v.word(prev)));
        if v.params.word_ngrams >= 3 {
            let (mut a, mut b) = (bos, bos);
            for &h in v.ngrams {
                out.emit(mix(mix(mix(TAG_TRI, a), b), h), || format!("{} {} {}", v.word(a), v.word(b), v.word(h)));
                a = b;
                b = h;
            }
        }
    }
}
