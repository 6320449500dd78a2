//! Stable 64-bit hashing for feature names. Model files store these hashes,
//! so the function must never change with the Rust version or platform
//! (which rules out `std`'s `DefaultHasher`).

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// splitmix64's finaliser: spreads every input bit over the output.
#[inline]
pub fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Combine two hashes, order-sensitive.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    finish(a.rotate_left(23) ^ b.wrapping_mul(K) ^ 0x51_7C_C1_B7_27_22_0A_95)
}

/// Hash a byte string with a seed.
#[inline]
pub fn bytes(seed: u64, s: &[u8]) -> u64 {
    let mut h = (seed ^ 0x2545_F491_4F6C_DD1D) ^ (s.len() as u64).wrapping_mul(K);
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    finish(h)
}

#[inline]
pub fn str(seed: u64, s: &str) -> u64 {
    bytes(seed, s.as_bytes())
}

/// A `Hasher` for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, b: &[u8]) {
        // Only used for odd key types; fold the bytes in.
        self.0 = bytes(self.0, b);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdentityBuild = BuildHasherDefault<IdentityHasher>;

/// A fast `Hasher` for short strings (vocabulary look-ups).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        finish(self.0)
    }
    fn write(&mut self, b: &[u8]) {
        self.0 = bytes(self.0, b);
    }
    fn write_u8(&mut self, n: u8) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(K);
    }
}

pub type FastBuild = BuildHasherDefault<FastHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_across_builds() {
        // These values are part of the model file format: if this test
        // fails, every saved model silently changes meaning.
        assert_eq!(str(0, "maduro"), str(0, "maduro"));
        assert_ne!(str(0, "maduro"), str(1, "maduro"));
        assert_ne!(str(0, "ab"), str(0, "ab\0"));
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_eq!(str(0, ""), 0x952f14f1e8ddc491);
        assert_eq!(str(0, "maduro"), 0xeb8b2baff3a29409);
        assert_eq!(mix(1, 2), 0x7a46799e8650b0ac);
    }
}
