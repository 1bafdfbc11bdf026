//! Structural edits on JSON text: each operation becomes the smallest text replacement that
//! keeps the formatting and key order of everything it does not touch.

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{PrettyFormatter, Serializer};

use crate::syntax::{self, Node, NodeKind, pointer_tokens, split_pointer};
use crate::text::{Span, TextEdit, apply_edit, detect_indent_unit, detect_newline, line_indent};

/// Renders a value as pretty JSON whose continuation lines start with `indent`.
pub fn render_pretty(value: &Value, unit: &str, indent: &str, newline: &str) -> String {
    let mut out = Vec::new();
    let fmt = PrettyFormatter::with_indent(unit.as_bytes());
    let mut ser = Serializer::with_formatter(&mut out, fmt);
    if value.serialize(&mut ser).is_err() {
        return "null".to_owned();
    }
    let s = String::from_utf8(out).unwrap_or_else(|_| "null".to_owned());
    let mut sep = String::with_capacity(newline.len() + indent.len());
    sep.push_str(newline);
    sep.push_str(indent);
    s.replace('\n', &sep)
}

/// Renders a value on one line, with a space after `:` and `,` as hand-written JSON has.
pub fn render_compact(value: &Value) -> String {
    match value {
        Value::Array(items) if !items.is_empty() => {
            let inner: Vec<String> = items.iter().map(render_compact).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) if !map.is_empty() => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), render_compact(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        other => serde_json::to_string(other).unwrap_or_else(|_| "null".to_owned()),
    }
}

/// Quotes a string as a JSON string literal.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Where a new object member goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor<'a> {
    /// Before the first member.
    Start,
    /// After the member with this key (at the end when it is missing).
    After(&'a str),
    /// After the last member.
    End,
}

/// A JSON document being edited: the text, its tree and the edits made so far.
#[derive(Clone, Debug)]
pub struct Buffer {
    text: String,
    tree: Node,
    edits: Vec<TextEdit>,
    unit: String,
    newline: &'static str,
}

/// Why an edit could not be made.
pub type EditError = String;

impl Buffer {
    /// Starts editing a JSON text; fails when the text is not well-formed JSON.
    pub fn new(text: &str) -> Result<Buffer, EditError> {
        let tree = syntax::parse(text)
            .map_err(|e| format!("The document is not valid JSON: {}", e.message))?;
        Ok(Buffer {
            unit: detect_indent_unit(text),
            newline: detect_newline(text),
            text: text.to_owned(),
            tree,
            edits: Vec::new(),
        })
    }

    /// Returns the current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the current tree.
    pub fn tree(&self) -> &Node {
        &self.tree
    }

    /// Returns the edits made so far, in application order.
    pub fn into_edits(self) -> (String, Vec<TextEdit>) {
        (self.text, self.edits)
    }

    /// Returns the node at a pointer.
    pub fn get(&self, pointer: &str) -> Option<&Node> {
        self.tree.pointer(pointer)
    }

    /// Returns the value at a pointer.
    pub fn value(&self, pointer: &str) -> Option<Value> {
        self.get(pointer).map(Node::to_value)
    }

    /// Applies a batch of non-overlapping edits that all refer to the current text, then
    /// re-reads the tree.
    pub fn commit(&mut self, mut batch: Vec<TextEdit>) -> Result<(), EditError> {
        if batch.is_empty() {
            return Ok(());
        }
        batch.sort_by(|a, b| {
            b.range
                .start
                .cmp(&a.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        let mut text = self.text.clone();
        for e in &batch {
            apply_edit(&mut text, e);
        }
        let tree = syntax::parse(&text).map_err(|e| {
            format!(
                "internal error: an edit produced invalid JSON ({})",
                e.message
            )
        })?;
        self.text = text;
        self.tree = tree;
        self.edits.extend(batch);
        Ok(())
    }

    fn render_at(&self, value: &Value, offset: usize, compact: bool) -> String {
        if compact {
            render_compact(value)
        } else {
            render_pretty(
                value,
                &self.unit,
                line_indent(&self.text, offset),
                self.newline,
            )
        }
    }

    /// Sets the value at a pointer: replaces an existing value, inserts a missing object
    /// member (creating missing parent objects) or appends to an array (index = length or `-`).
    pub fn set(&mut self, pointer: &str, value: &Value) -> Result<(), EditError> {
        if let Some(node) = self.get(pointer) {
            if node.to_value() == *value {
                return Ok(());
            }
            let compact = !node.is_multiline(&self.text) && self.parent_is_compact(pointer);
            let insert = self.render_at(value, node.span.start, compact);
            let span = node.span;
            return self.commit(vec![TextEdit::new(span, insert)]);
        }
        let Some((parent, token)) = split_pointer(pointer) else {
            return Err(format!("Invalid pointer {pointer:?}."));
        };
        match self.get(&parent).map(|n| &n.kind) {
            Some(NodeKind::Object(_)) => self.insert_member(&parent, Anchor::End, &token, value),
            Some(NodeKind::Array(items)) => {
                let len = items.len();
                if token == "-" || token.parse::<usize>().ok() == Some(len) {
                    self.insert_item(&parent, len, value)
                } else {
                    Err(format!("No array item at {pointer:?}."))
                }
            }
            Some(NodeKind::Scalar(_)) => Err(format!("{parent:?} is not an object or array.")),
            None => {
                if parent.is_empty() {
                    return Err("The document root is missing.".to_owned());
                }
                let mut wrapped = serde_json::Map::new();
                wrapped.insert(token, value.clone());
                self.set(&parent, &Value::Object(wrapped))
            }
        }
    }

    fn parent_is_compact(&self, pointer: &str) -> bool {
        match split_pointer(pointer) {
            Some((parent, _)) => self
                .get(&parent)
                .is_some_and(|p| !p.is_multiline(&self.text)),
            None => false,
        }
    }

    /// Removes the value at a pointer (an object member or an array item) with its separator.
    /// Returns false when there was nothing to remove.
    pub fn remove(&mut self, pointer: &str) -> Result<bool, EditError> {
        let Some((parent, token)) = split_pointer(pointer) else {
            return Ok(false);
        };
        let Some(p) = self.get(&parent) else {
            return Ok(false);
        };
        let spans: Vec<(Span, Span)> = match &p.kind {
            NodeKind::Object(members) => {
                members.iter().map(|m| (m.key_span, m.value.span)).collect()
            }
            NodeKind::Array(items) => items.iter().map(|n| (n.span, n.span)).collect(),
            NodeKind::Scalar(_) => return Ok(false),
        };
        let index = match &p.kind {
            NodeKind::Object(members) => members.iter().rposition(|m| m.key == token),
            _ => token.parse::<usize>().ok().filter(|i| *i < spans.len()),
        };
        let Some(i) = index else {
            return Ok(false);
        };
        let range = if spans.len() == 1 {
            Span::new(p.span.start + 1, p.span.end - 1)
        } else if i + 1 < spans.len() {
            Span::new(spans[i].0.start, spans[i + 1].0.start)
        } else {
            Span::new(spans[i - 1].1.end, spans[i].1.end)
        };
        self.commit(vec![TextEdit::new(range, "")])?;
        Ok(true)
    }

    /// Inserts `"key": value` into the object at `object` where `anchor` says, with the
    /// indentation of the neighbouring members.
    pub fn insert_member(
        &mut self,
        object: &str,
        anchor: Anchor<'_>,
        key: &str,
        value: &Value,
    ) -> Result<(), EditError> {
        let Some(node) = self.get(object) else {
            return Err(format!("No object at {object:?}."));
        };
        let Some(members) = node.members() else {
            return Err(format!("{object:?} is not an object."));
        };
        let compact = !node.is_multiline(&self.text);
        if members.is_empty() {
            let base = line_indent(&self.text, node.span.start).to_owned();
            let inner = format!("{base}{}", self.unit);
            let rendered = render_pretty(value, &self.unit, &inner, self.newline);
            let insert = format!(
                "{{{nl}{inner}{}: {rendered}{nl}{base}}}",
                quote(key),
                nl = self.newline
            );
            let span = node.span;
            return self.commit(vec![TextEdit::new(span, insert)]);
        }
        if let Anchor::Start = anchor {
            let first = &members[0];
            let at = first.key_span.start;
            let insert = if compact {
                format!("{}: {}, ", quote(key), render_compact(value))
            } else {
                let indent = line_indent(&self.text, at).to_owned();
                let rendered = render_pretty(value, &self.unit, &indent, self.newline);
                format!("{}: {rendered},{}{indent}", quote(key), self.newline)
            };
            return self.commit(vec![TextEdit::new(Span::new(at, at), insert)]);
        }
        let index = match anchor {
            Anchor::After(k) => members.iter().rposition(|m| m.key == k),
            _ => None,
        }
        .unwrap_or(members.len() - 1);
        let m = &members[index];
        let at = m.value.span.end;
        let insert = if compact {
            format!(", {}: {}", quote(key), render_compact(value))
        } else {
            let indent = line_indent(&self.text, m.key_span.start).to_owned();
            let rendered = render_pretty(value, &self.unit, &indent, self.newline);
            format!(",{}{indent}{}: {rendered}", self.newline, quote(key))
        };
        self.commit(vec![TextEdit::new(Span::new(at, at), insert)])
    }

    /// Inserts a value into the array at `array` so that it ends up at `index`.
    pub fn insert_item(
        &mut self,
        array: &str,
        index: usize,
        value: &Value,
    ) -> Result<(), EditError> {
        let Some(node) = self.get(array) else {
            return Err(format!("No array at {array:?}."));
        };
        let Some(items) = node.items() else {
            return Err(format!("{array:?} is not an array."));
        };
        let compact = !node.is_multiline(&self.text);
        if items.is_empty() {
            let base = line_indent(&self.text, node.span.start).to_owned();
            let inner = format!("{base}{}", self.unit);
            let rendered = render_pretty(value, &self.unit, &inner, self.newline);
            let insert = format!("[{nl}{inner}{rendered}{nl}{base}]", nl = self.newline);
            let span = node.span;
            return self.commit(vec![TextEdit::new(span, insert)]);
        }
        let (at, insert) = if index < items.len() {
            let item = &items[index];
            if compact {
                (item.span.start, format!("{}, ", render_compact(value)))
            } else {
                let indent = line_indent(&self.text, item.span.start).to_owned();
                let rendered = render_pretty(value, &self.unit, &indent, self.newline);
                (
                    item.span.start,
                    format!("{rendered},{}{indent}", self.newline),
                )
            }
        } else {
            let last = &items[items.len() - 1];
            if compact {
                (last.span.end, format!(", {}", render_compact(value)))
            } else {
                let indent = line_indent(&self.text, last.span.start).to_owned();
                let rendered = render_pretty(value, &self.unit, &indent, self.newline);
                (
                    last.span.end,
                    format!(",{}{indent}{rendered}", self.newline),
                )
            }
        };
        self.commit(vec![TextEdit::new(Span::new(at, at), insert)])
    }

    /// Renames an object member's key in place.
    pub fn rename_key(&mut self, object: &str, old: &str, new: &str) -> Result<(), EditError> {
        let Some(m) = self.get(object).and_then(|n| n.member(old)) else {
            return Err(format!("No member {old:?} in {object:?}."));
        };
        let span = m.key_span;
        self.commit(vec![TextEdit::new(span, quote(new))])
    }

    /// Replaces several string values at once (used by rename); pointers that do not hold a
    /// string are skipped.
    pub fn replace_strings(&mut self, pointers: &[String], new: &str) -> Result<(), EditError> {
        let mut batch = Vec::new();
        for p in pointers {
            if let Some(n) = self.get(p).filter(|n| n.as_str().is_some()) {
                batch.push(TextEdit::new(n.span, quote(new)));
            }
        }
        batch.sort_by_key(|e| e.range.start);
        batch.dedup_by_key(|e| e.range.start);
        self.commit(batch)
    }

    /// Returns true when the pointer is syntactically valid.
    pub fn is_pointer(pointer: &str) -> bool {
        pointer_tokens(pointer).is_some()
    }
}
