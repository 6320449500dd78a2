//! Words left and right of the target's main mention, with side and
//! distance; the two words on each side as a pair; where in the sentence
//! the target stands.

use super::{Emitter, FeatureFamily, Masked};
use crate::hash::mix;

const TAG_CTX_D: u64 = 3;
const TAG_CTX_BAG: u64 = 4;
const TAG_CTX_BI: u64 = 5;
const TAG_EDGE: u64 = 8;

pub(super) struct Context;

const SIDE: [&str; 2] = ["left", "right"];

impl FeatureFamily for Context {
    fn emit(&mut self, v: &Masked, out: &mut Emitter) {
        let Some(m) = v.main else { return };
        let (m, end) = (m as isize, v.main_end as isize);
        for d in 1..=v.params.context_window as isize {
            for (side, k) in [(0u64, m - d), (1u64, end + d)] {
                let h = v.at(k);
                let tag = mix(TAG_CTX_D, side * 64 + d.min(4) as u64);
                if d <= 3 {
                    out.emit(mix(tag, h), || format!("{}{}={}", SIDE[side as usize], d.min(4), v.word(h)));
                }
                out.emit(mix(mix(TAG_CTX_BAG, side), h), || format!("{}-context={}", SIDE[side as usize], v.word(h)));
                if h == v.marks.bos || h == v.marks.eos {
                    break;
                }
            }
        }
        let (l2, l1, r1, r2) = (v.at(m - 2), v.at(m - 1), v.at(end + 1), v.at(end + 2));
        out.emit(mix(mix(TAG_CTX_BI, 0), mix(l2, l1)), || format!("left2=\"{} {}\"", v.word(l2), v.word(l1)));
        out.emit(mix(mix(TAG_CTX_BI, 1), mix(r1, r2)), || format!("right2=\"{} {}\"", v.word(r1), v.word(r2)));
        let pos = if m == 0 {
            0
        } else if end as usize + 1 == v.hashes.len() {
            1
        } else {
            2
        };
        out.emit(mix(TAG_EDGE, pos), || ["target-first", "target-last", "target-inside"][pos as usize].to_string());
    }
}
