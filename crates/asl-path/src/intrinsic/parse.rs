//! The intrinsic-call parser: `States.Name(arg, ...)` with string, number, boolean, null,
//! path and nested-call arguments.

use super::{Arg, Call, function};
use crate::path::MAX_NESTING;
use crate::{Path, SyntaxError};

/// Parses an intrinsic call such as `States.Format('Hi {}', $.name)`, checking the name and
/// the number of arguments. Error offsets are byte offsets in `s`.
pub fn parse(s: &str) -> Result<Call, SyntaxError> {
    let mut p = CallParser {
        src: s,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let call = p.call()?;
    p.skip_ws();
    if p.pos < s.len() {
        return Err(SyntaxError::new(
            p.pos,
            "unexpected text after the intrinsic function call",
        ));
    }
    Ok(call)
}

/// A cheap check: does `s` look like `States.X(...)`?
pub fn is_call(s: &str) -> bool {
    let t = s.trim();
    let Some(rest) = t.strip_prefix("States.") else {
        return false;
    };
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    name_len > 0 && rest[name_len..].trim_start().starts_with('(') && t.ends_with(')')
}

struct CallParser<'s> {
    src: &'s str,
    pos: usize,
    depth: usize,
}

impl CallParser<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn err(&self, msg: impl Into<String>) -> SyntaxError {
        SyntaxError::new(self.pos, msg)
    }

    fn call(&mut self) -> Result<Call, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err("intrinsic function calls are nested too deeply"));
        }
        let start = self.pos;
        let name_end = self.src[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .map_or(self.src.len(), |i| start + i);
        let name = &self.src[start..name_end];
        if !name.starts_with("States.") {
            return Err(SyntaxError::new(
                start,
                "an intrinsic function call must start with 'States.'",
            ));
        }
        let Some(info) = function(name) else {
            return Err(SyntaxError::new(
                start,
                format!("unknown intrinsic function '{name}'"),
            ));
        };
        self.pos = name_end;
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(self.err("expected '('"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        let mut raw_first: Option<(usize, usize)> = None;
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                let arg_start = self.pos;
                args.push(self.arg()?);
                if args.len() == 1 && matches!(args[0], Arg::String(_)) {
                    raw_first = Some((arg_start, self.pos));
                }
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    None => return Err(self.err("expected ')'")),
                    Some(_) => return Err(self.err("expected ',' or ')'")),
                }
            }
        }
        let n = args.len();
        if n < info.min_args || info.max_args.is_some_and(|m| n > m) {
            let expected = match info.max_args {
                Some(m) if m == info.min_args => format!("{m}"),
                Some(m) => format!("{} to {}", info.min_args, m),
                None => format!("at least {}", info.min_args),
            };
            return Err(SyntaxError::new(
                start,
                format!(
                    "{} expects {} argument(s) but got {}",
                    info.name, expected, n
                ),
            ));
        }
        let format_pieces = match (info.name, raw_first) {
            ("States.Format", Some((a, b))) => Some(format_pieces(&self.src[a + 1..b - 1])),
            _ => None,
        };
        self.depth -= 1;
        Ok(Call {
            name: info.name.to_string(),
            args,
            span: (start, self.pos),
            format_pieces,
        })
    }

    fn arg(&mut self) -> Result<Arg, SyntaxError> {
        match self.peek() {
            Some('\'') => self.string().map(Arg::String),
            Some('$') => {
                let (path, end) = Path::parse_embedded(self.src, self.pos)?;
                self.pos = end;
                Ok(Arg::Path(path))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some('S') if self.src[self.pos..].starts_with("States.") => self.call().map(Arg::Call),
            _ => {
                for (word, arg) in [
                    ("true", Arg::Bool(true)),
                    ("false", Arg::Bool(false)),
                    ("null", Arg::Null),
                ] {
                    if self.src[self.pos..].starts_with(word) {
                        let after = self.src[self.pos + word.len()..].chars().next();
                        if !after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            self.pos += word.len();
                            return Ok(arg);
                        }
                    }
                }
                Err(self.err("expected a string, a number, true, false, null, a path or an intrinsic function call"))
            }
        }
    }

    /// Parses a single-quoted string; `\` makes the next character literal.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(SyntaxError::new(open, "unterminated string")),
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(SyntaxError::new(open, "unterminated string")),
                        Some(c) => {
                            self.pos += c.len_utf8();
                            match unicode_escape(c, &self.src[self.pos..]) {
                                Some(u) => {
                                    out.push(u);
                                    self.pos += 4;
                                }
                                None => out.push(c),
                            }
                        }
                    }
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(c) => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self) -> Result<Arg, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        {
            self.pos += 1;
        }
        match serde_json::from_str::<serde_json::Value>(&self.src[start..self.pos]) {
            Ok(serde_json::Value::Number(n)) => Ok(Arg::Number(n)),
            _ => Err(SyntaxError::new(start, "invalid number")),
        }
    }
}

/// Splits the raw (still escaped) text of a `States.Format` template at its `{}`
/// placeholders, resolving escapes; the result has one more piece than placeholders.
fn format_pieces(raw: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(last) = pieces.last_mut()
                {
                    let rest: String = chars.clone().take(4).collect();
                    match unicode_escape(n, &rest) {
                        Some(u) => {
                            last.push(u);
                            for _ in 0..4 {
                                chars.next();
                            }
                        }
                        None => last.push(n),
                    }
                }
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push(String::new());
            }
            c => {
                if let Some(last) = pieces.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    pieces
}

/// Decodes `\uXXXX`: `c` is the character after the backslash, `rest` what follows it.
fn unicode_escape(c: char, rest: &str) -> Option<char> {
    if c != 'u' {
        return None;
    }
    let hex = rest.get(..4)?;
    if !hex.chars().all(|h| h.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}
