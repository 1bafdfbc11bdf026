//! A fast, non-cryptographic hasher for the parser's and validator's lookup tables (SipHash,
//! the standard library's default, is several times slower, and more so in wasm).

/// A fast, non-cryptographic hasher (the FxHash mixing step) for lookup tables keyed by names and pointers.
#[derive(Clone, Copy, Default)]
pub struct FastHash;

/// The hasher state of [`FastHash`].
#[derive(Default)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
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
