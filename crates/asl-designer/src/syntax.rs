//! A small strict JSON reader that keeps byte spans, used to compute minimal text edits.
//!
//! The reader fails on the first syntax error (visual edits need a well-formed document);
//! diagnostics for half-typed text come from `asl-core`.

use serde_json::{Map, Number, Value};

use crate::text::Span;

/// The deepest nesting the reader accepts.
const MAX_DEPTH: usize = 256;

/// A JSON value with its position in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where the value is in the text.
    pub span: Span,
}

/// The value of a tree node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar (null, boolean, number or string).
    Scalar(Value),
    /// An array.
    Array(Vec<Node>),
    /// An object; key order and duplicate keys are kept.
    Object(Vec<Member>),
}

/// One key/value pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Where the key is in the text (quotes included).
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Member {
    /// Returns the span from the key to the end of the value.
    pub fn span(&self) -> Span {
        Span::new(self.key_span.start, self.value.span.end)
    }
}

/// A syntax error with the offset where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// A plain-words message.
    pub message: String,
    /// Where the problem is.
    pub offset: usize,
}

impl Node {
    /// Returns the members if this node is an object.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Returns the items if this node is an array.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Returns the string if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// Returns the last member with this key (the one that wins in `serde_json`).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members()?.iter().rev().find(|m| m.key == key)
    }

    /// Returns the value of the last member with this key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// Finds the node a JSON Pointer designates.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for token in pointer_tokens(pointer)? {
            node = match &node.kind {
                NodeKind::Object(_) => node.get(&token)?,
                NodeKind::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                NodeKind::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// Converts the tree into a `serde_json::Value`; for duplicate keys the last one wins.
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Scalar(v) => v.clone(),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.clone(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// Returns true when the node's text spans more than one line.
    pub fn is_multiline(&self, text: &str) -> bool {
        text.get(self.span.start..self.span.end)
            .is_some_and(|s| s.contains('\n'))
    }
}

/// Splits a JSON Pointer into unescaped tokens; `None` when it does not start with `/`.
pub fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Appends an escaped key to a JSON Pointer.
pub fn push_token(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Splits a pointer into its parent pointer and last unescaped token.
pub fn split_pointer(pointer: &str) -> Option<(String, String)> {
    let idx = pointer.rfind('/')?;
    let last = &pointer[idx + 1..];
    Some((
        pointer[..idx].to_owned(),
        last.replace("~1", "/").replace("~0", "~"),
    ))
}

/// Reads a JSON document.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut r = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    if text.starts_with('\u{feff}') {
        r.pos = 3;
    }
    r.skip_ws();
    let node = r.value(0)?;
    r.skip_ws();
    if r.pos < r.bytes.len() {
        return Err(r.error("Unexpected content after the end of the document."));
    }
    Ok(node)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_owned(),
            offset: self.pos,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("The document is nested too deeply."));
        }
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node {
                    kind: NodeKind::Scalar(Value::String(s)),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("Expected a value.")),
            None => Err(self.error("Unexpected end of the document.")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, SyntaxError> {
        let start = self.pos;
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(Node {
                kind: NodeKind::Scalar(value),
                span: Span::new(start, self.pos),
            })
        } else {
            Err(self.error("Expected a value."))
        }
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let raw = &self.text[start..self.pos];
        let value: Value = serde_json::from_str(raw).map_err(|_| SyntaxError {
            message: "Invalid number.".to_owned(),
            offset: start,
        })?;
        if !value.is_number() {
            return Err(SyntaxError {
                message: "Invalid number.".to_owned(),
                offset: start,
            });
        }
        let n: Number = match value {
            Value::Number(n) => n,
            _ => Number::from(0),
        };
        Ok(Node {
            kind: NodeKind::Scalar(Value::Number(n)),
            span: Span::new(start, self.pos),
        })
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            match self.peek() {
                None => {
                    return Err(SyntaxError {
                        message: "Unterminated string.".to_owned(),
                        offset: start,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 2;
                }
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b) if b < 0x20 => return Err(self.error("Control character in a string.")),
                Some(_) => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        let raw = &self.text[start..self.pos];
        if !escaped {
            return Ok(raw[1..raw.len() - 1].to_owned());
        }
        serde_json::from_str::<String>(raw).map_err(|_| SyntaxError {
            message: "Invalid escape in a string.".to_owned(),
            offset: start,
        })
    }

    fn object(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                kind: NodeKind::Object(members),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("Expected a quoted key."));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("Expected ':' after the key."));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node {
                        kind: NodeKind::Object(members),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.error("Expected ',' or '}'.")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                kind: NodeKind::Array(items),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node {
                        kind: NodeKind::Array(items),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.error("Expected ',' or ']'.")),
            }
        }
    }
}
