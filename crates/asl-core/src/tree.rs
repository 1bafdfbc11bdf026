//! The spanned JSON tree shared by the JSON and YAML readers, and JSON Pointer helpers.

use serde_json::{Map, Number, Value};

use crate::text::Span;

/// The value of a tree node.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object; key order is kept and duplicate keys are kept.
    Object(Vec<Member>),
}

/// A value with its position in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where the value is in the text.
    pub span: Span,
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

impl Node {
    /// Creates a node.
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Node { kind, span }
    }

    /// Returns the members if this node is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Returns the items if this node is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Returns the string if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// Returns the number as f64 if this node is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            NodeKind::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// Returns the value of the member with this key if this node is an object (the last one wins
    /// when a key is duplicated, like `serde_json`).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// Returns the member with this key if this node is an object (the last one wins).
    pub fn member(&self, key: &str) -> Option<&Member> {
        // The length test first: inline, and it settles most mismatches (the size-optimised wasm
        // build calls string equality out of line).
        self.as_object()?
            .iter()
            .rev()
            .find(|m| m.key.len() == key.len() && m.key == key)
    }

    /// Names the JSON type of the node, as used in messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
        }
    }

    /// Converts the tree into a `serde_json::Value`; for duplicate keys the last one wins.
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::String(s) => Value::String(s.clone()),
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

    /// Finds the node a JSON Pointer designates.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        self.pointer_with_key(pointer).map(|(n, _)| n)
    }

    /// Finds the node a JSON Pointer designates and, when it is an object member, its key span.
    pub fn pointer_with_key(&self, pointer: &str) -> Option<(&Node, Option<Span>)> {
        if pointer.is_empty() {
            return Some((self, None));
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = self;
        let mut key_span = None;
        for raw in rest.split('/') {
            let token: std::borrow::Cow<str> = if raw.contains('~') {
                unescape_pointer_token(raw).into()
            } else {
                raw.into()
            };
            match &node.kind {
                NodeKind::Object(members) => {
                    let m = members.iter().rev().find(|m| m.key == *token)?;
                    key_span = Some(m.key_span);
                    node = &m.value;
                }
                NodeKind::Array(items) => {
                    let i: usize = token.parse().ok()?;
                    node = items.get(i)?;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some((node, key_span))
    }
}

/// Escapes one JSON Pointer reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Appends an escaped pointer token to `out` (no allocation when nothing needs escaping).
fn push_escaped(out: &mut String, token: &str) {
    if token.contains(['~', '/']) {
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        out.push_str(token);
    }
}

/// Reverses [`escape_pointer_token`].
pub fn unescape_pointer_token(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_owned()
    }
}

/// Appends an escaped object key to a pointer.
pub fn push_key(pointer: &str, key: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + key.len() + 1);
    p.push_str(pointer);
    p.push('/');
    push_escaped(&mut p, key);
    p
}

/// Appends an array index to a pointer.
pub fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// One step of a JSON Pointer kept in a [`PointerArena`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Seg<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Builds JSON Pointers lazily during tree walks: steps are stored as parent links and a
/// pointer string is only made for the few nodes that get reported.
pub(crate) struct PointerArena<'a> {
    base: &'a str,
    segs: Vec<(usize, Seg<'a>)>,
}

impl<'a> PointerArena<'a> {
    /// Creates an arena whose root (id 0) is the pointer `base`.
    pub(crate) fn new(base: &'a str) -> Self {
        PointerArena {
            base,
            segs: Vec::new(),
        }
    }

    /// Adds a step under `parent` and returns its id.
    pub(crate) fn push(&mut self, parent: usize, seg: Seg<'a>) -> usize {
        self.segs.push((parent, seg));
        self.segs.len()
    }

    /// Builds the pointer of an id.
    pub(crate) fn pointer(&self, mut id: usize) -> String {
        let mut parts = Vec::new();
        while id != 0 {
            let (parent, seg) = self.segs[id - 1];
            parts.push(seg);
            id = parent;
        }
        let mut out = self.base.to_owned();
        for seg in parts.iter().rev() {
            out.push('/');
            match seg {
                Seg::Key(k) => push_escaped(&mut out, k),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}
