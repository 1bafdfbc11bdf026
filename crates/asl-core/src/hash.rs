//! A fast, non-cryptographic hasher for the parser's and validator's lookup tables (SipHash,
//! the standard library's default, is several times slower, and more so in wasm).

/// A fast, non-cryptographic hasher (the FxHash mixing step) for lookup tables keyed by names and pointers.
#[derive(Clone, Copy, Default)]
pub struct FastHash;

/// The hasher state of [`FastHash`].
#[derive(Default)]
pub struct FastHasher(u64);

impl FastHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Whole words, then the zero-padded rest, read without a slice copy (which the size
        // optimised wasm build calls out of line for every word).
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            let mut word = 0u64;
            for (i, b) in chunk.iter().enumerate() {
                word |= u64::from(*b) << (8 * i);
            }
            self.mix(word);
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = 0u64;
            for (i, b) in rest.iter().enumerate() {
                word |= u64::from(*b) << (8 * i);
            }
            self.mix(word);
        }
    }
}

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;

    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

/// A `HashMap` with [`FastHash`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastHash>;

/// A `HashSet` with [`FastHash`].
pub type FastSet<T> = std::collections::HashSet<T, FastHash>;

#[cfg(test)]
mod tests {
    use std::hash::Hasher;

    use super::FastHasher;

    /// The word-by-word reading gives the same hash as zero-padded 8-byte chunks.
    #[test]
    fn same_as_padded_chunks() {
        let text = "/States/Branch 3/Branches/0/States/Step 12/Parameters/x.$";
        for len in 0..text.len() {
            let bytes = &text.as_bytes()[..len];
            let mut expected = FastHasher(0);
            for chunk in bytes.chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                expected.mix(u64::from_le_bytes(word));
            }
            let mut h = FastHasher(0);
            h.write(bytes);
            assert_eq!(h.finish(), expected.finish());
        }
    }
}
