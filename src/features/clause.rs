//! Words of the target's own clause (up to punctuation or another target),
//! with side: which sentiment words belong to this target.

use super::masked::Slot;
use super::{Emitter, FeatureFamily, Masked};
use crate::hash::mix;

const TAG_CLAUSE: u64 = 9;

pub(super) struct Clause;

impl FeatureFamily for Clause {
    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        let (Some(m), Some((lo, hi))) = (v.main, v.clause) else { return };
        // Nearest first on each side; the boundary slot (lo - 1 or hi) included.
        let left = (lo.saturating_sub(1)..m).rev();
        let right = (m + 1)..(hi + 1).min(v.slots.len());
        for (side, k) in left.map(|k| (0u64, k)).chain(right.map(|k| (1u64, k))) {
            let boundary = (side == 0 && k + 1 == lo) || (side == 1 && k == hi);
            if boundary || matches!(v.slots[k], Slot::Word(_)) {
                let h = v.hashes[k];
                out.emit(mix(mix(TAG_CLAUSE, side), h), || format!("{}-clause={}", ["left", "right"][side as usize], v.word(h)));
            }
        }
    }
}
