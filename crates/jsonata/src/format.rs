//! URL encoding and hashing helpers.

fn hex_upper(b: u8) -> [char; 2] {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    [H[(b >> 4) as usize] as char, H[(b & 15) as usize] as char]
}

/// Percent-encodes a string as JavaScript's `encodeURIComponent` or `encodeURI` does.
pub(crate) fn encode_uri(s: &str, component: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let keep = c.is_ascii_alphanumeric()
            || "-_.!~*'()".contains(c)
            || (!component && ";,/?:@&=+$#".contains(c));
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push('%');
                out.extend(hex_upper(b));
            }
        }
    }
    out
}

/// Decodes percent-escapes as `decodeURIComponent` or `decodeURI` does; None if malformed.
pub(crate) fn decode_uri(s: &str, component: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if !component && b < 0x80 && ";,/?:@&=+$#".contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Hashes a string with a named algorithm and returns lowercase hex.
pub(crate) fn hash(s: &str, alg: &str) -> Option<String> {
    use sha2::Digest;
    let bytes = s.as_bytes();
    let digest: Vec<u8> = match alg.to_ascii_uppercase().replace('-', "").as_str() {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA512" => sha2::Sha512::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}
