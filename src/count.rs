//! Counting on all cores: the vocabulary (words) and the document
//! frequencies (features) are both counted the same way.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::ops::AddAssign;

use rayon::prelude::*;

/// Count over `items` on all cores: `count` tallies one block of items into
/// a map of its own, then the blocks' maps are summed. The sums are of
/// integers, so the result does not depend on the thread count.
pub fn in_blocks<T, K, V, S>(items: &[T], count: impl Fn(&[T], &mut HashMap<K, V, S>) + Sync) -> HashMap<K, V, S>
where
    T: Sync,
    K: Eq + Hash + Send,
    V: AddAssign + Default + Send,
    S: BuildHasher + Default + Send,
{
    // A few blocks per thread, so that one slow block does not hold up the rest.
    let block = items.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(1);
    let parts: Vec<HashMap<K, V, S>> = items
        .par_chunks(block)
        .map(|chunk| {
            let mut m = HashMap::default();
            count(chunk, &mut m);
            m
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut total = parts.next().unwrap_or_default();
    for part in parts {
        for (k, v) in part {
            *total.entry(k).or_default() += v;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_counts_sum_to_the_serial_count() {
        let words: Vec<u32> = (0..10_000u32).map(|i| i.wrapping_mul(2654435761) % 97).collect();
        let mut serial: HashMap<u32, u64> = HashMap::new();
        for &w in &words {
            *serial.entry(w).or_default() += 1;
        }
        let counted: HashMap<u32, u64> = in_blocks(&words, |chunk, m: &mut HashMap<u32, u64>| {
            for &w in chunk {
                *m.entry(w).or_default() += 1;
            }
        });
        assert_eq!(counted, serial);
        let none: HashMap<u32, u64> = in_blocks(&[] as &[u32], |_, _| {});
        assert!(none.is_empty());
    }
}
