//! Offsets between Rust strings (bytes) and the code editor (UTF-16 code units).

/// Converts a UTF-16 offset into a byte offset of `text` (clamped to its length).
pub fn utf16_to_byte(text: &str, offset: usize) -> usize {
    if text.is_ascii() {
        return offset.min(text.len());
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= offset {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Converts a byte offset of `text` into a UTF-16 offset.
pub fn byte_to_utf16(text: &str, offset: usize) -> usize {
    if text.is_ascii() {
        return offset.min(text.len());
    }
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip_over_non_ascii_text() {
        let text = "a€😀b";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 2), 4);
        assert_eq!(utf16_to_byte(text, 4), 8);
        assert_eq!(byte_to_utf16(text, 8), 4);
        assert_eq!(byte_to_utf16(text, 4), 2);
    }
}
