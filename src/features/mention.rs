//! The words of the target's main mention itself: an actor's prior.

use super::{Emitter, FeatureFamily, Masked};
use crate::hash::mix;
use crate::text::Span;

const TAG_MENTION: u64 = 7;

pub(super) struct Mention;

impl FeatureFamily for Mention {
    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        let Some(sp) = v.query.target.first() else { return };
        for (i, t) in v.query.tokens.iter().enumerate() {
            if sp.overlaps(&Span::new(t.start as usize, t.end as usize)) {
                // Named by the word itself, even when it is unknown (<unk>).
                out.emit(mix(TAG_MENTION, v.word_hashes[i]), || format!("mention={}", v.token_text(i).to_lowercase()));
            }
        }
    }
}
