//! Regular expression literals, backed by `regex-lite` after translating JavaScript syntax.

/// A compiled regular expression with its source text.
#[derive(Debug)]
pub(crate) struct Re {
    pub re: regex_lite::Regex,
}

impl Re {
    /// Compiles a JavaScript-style pattern with its flags (`i`, `m`, `s`; `g` is implied).
    pub fn new(pattern: &str, flags: &str) -> Result<Re, String> {
        let mut prefix = String::new();
        for f in flags.chars() {
            match f {
                'i' | 'm' | 's' => prefix.push(f),
                _ => {}
            }
        }
        let translated = translate(pattern);
        let full = if prefix.is_empty() {
            translated
        } else {
            format!("(?{prefix}){translated}")
        };
        let re = regex_lite::Regex::new(&full)
            .map_err(|e| format!("Invalid regular expression: {e}"))?;
        Ok(Re { re })
    }
}

/// Translates the JavaScript-only parts of a pattern into `regex-lite` syntax.
fn translate(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let n = chars[i + 1];
            match n {
                '/' => out.push('/'),
                'u' if i + 6 <= chars.len()
                    && chars[i + 2..i + 6].iter().all(|c| c.is_ascii_hexdigit()) =>
                {
                    let hex: String = chars[i + 2..i + 6].iter().collect();
                    out.push_str(&format!("\\x{{{hex}}}"));
                    i += 6;
                    continue;
                }
                _ => {
                    out.push('\\');
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            } else if c == '[' {
                out.push('\\');
            }
            out.push(c);
        } else {
            if c == '[' {
                in_class = true;
                out.push(c);
                if i + 1 < chars.len() && chars[i + 1] == '^' {
                    out.push('^');
                    i += 1;
                }
                if i + 1 < chars.len() && chars[i + 1] == ']' {
                    out.push_str("\\]");
                    i += 1;
                }
            } else {
                out.push(c);
            }
        }
        i += 1;
    }
    out
}
