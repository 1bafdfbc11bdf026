//! Typed field readers used while building the model; wrong types and missing fields become diagnostics.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{NumOrExpr, Spanned};
use crate::tree::{Node, NodeKind, push_key};

/// Code for a missing required field.
pub const MISSING_FIELD: &str = "ASL101";
/// Code for a field of the wrong JSON type.
pub const WRONG_TYPE: &str = "ASL102";
/// Code for a value outside the allowed set of values.
pub const INVALID_VALUE: &str = "ASL104";

/// Collects model diagnostics while fields are read.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) diags: Vec<Diagnostic>,
}

impl Builder {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        pointer: String,
        span: crate::text::Span,
        message: String,
    ) {
        self.diags.push(Diagnostic {
            code,
            severity: Severity::Error,
            message,
            pointer,
            span,
        });
    }

    fn wrong_type(&mut self, node: &Node, ptr: &str, key: &str, expected: &str) {
        self.error(
            WRONG_TYPE,
            push_key(ptr, key),
            node.span,
            format!(
                "Field \"{key}\" must be {expected}, found {}.",
                node.type_name()
            ),
        );
    }

    /// Reports a missing required field on the object at `ptr`.
    pub(crate) fn missing(&mut self, obj: &Node, ptr: &str, key: &str) {
        let span = crate::text::Span::new(
            obj.span.start,
            (obj.span.start + 1).min(obj.span.end.max(obj.span.start + 1)),
        );
        self.error(
            MISSING_FIELD,
            ptr.to_owned(),
            span,
            format!("Missing required field \"{key}\"."),
        );
    }

    /// Reads an optional string field.
    pub(crate) fn string(&mut self, obj: &Node, ptr: &str, key: &str) -> Option<Spanned<String>> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::String(s) => Some(Spanned::new(s.clone(), node.span)),
            _ => {
                self.wrong_type(node, ptr, key, "a string");
                None
            }
        }
    }

    /// Reads a required string field.
    pub(crate) fn req_string(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
    ) -> Option<Spanned<String>> {
        if obj.get(key).is_none() {
            self.missing(obj, ptr, key);
        }
        self.string(obj, ptr, key)
    }

    /// Reads a path field: a string or `null`.
    pub(crate) fn path(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
    ) -> Option<Spanned<Option<String>>> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::String(s) => Some(Spanned::new(Some(s.clone()), node.span)),
            NodeKind::Null => Some(Spanned::new(None, node.span)),
            _ => {
                self.wrong_type(node, ptr, key, "a string or null");
                None
            }
        }
    }

    /// Reads a boolean field.
    pub(crate) fn boolean(&mut self, obj: &Node, ptr: &str, key: &str) -> Option<Spanned<bool>> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::Bool(b) => Some(Spanned::new(*b, node.span)),
            _ => {
                self.wrong_type(node, ptr, key, "a boolean");
                None
            }
        }
    }

    /// Reads a number field that may also be a JSONata expression string.
    pub(crate) fn number(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
    ) -> Option<Spanned<NumOrExpr>> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::Number(n) => Some(Spanned::new(
                NumOrExpr::Number(n.as_f64().unwrap_or(0.0)),
                node.span,
            )),
            NodeKind::String(s) if is_jsonata(s) => {
                Some(Spanned::new(NumOrExpr::Expr(s.clone()), node.span))
            }
            _ => {
                self.wrong_type(node, ptr, key, "a number");
                None
            }
        }
    }

    /// Reads a number field that must be a plain number.
    pub(crate) fn plain_number(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
    ) -> Option<Spanned<f64>> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::Number(n) => Some(Spanned::new(n.as_f64().unwrap_or(0.0), node.span)),
            _ => {
                self.wrong_type(node, ptr, key, "a number");
                None
            }
        }
    }

    /// Reads an object field (or a JSONata string when `expr_ok`), cloned.
    pub(crate) fn object(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
        expr_ok: bool,
    ) -> Option<Node> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::Object(_) => Some(node.clone()),
            NodeKind::String(s) if expr_ok && is_jsonata(s) => Some(node.clone()),
            _ => {
                self.wrong_type(node, ptr, key, "an object");
                None
            }
        }
    }

    /// Reads an array field.
    pub(crate) fn array<'n>(&mut self, obj: &'n Node, ptr: &str, key: &str) -> Option<&'n [Node]> {
        let node = obj.get(key)?;
        match &node.kind {
            NodeKind::Array(items) => Some(items),
            _ => {
                self.wrong_type(node, ptr, key, "an array");
                None
            }
        }
    }

    /// Reads an enumerated string field.
    pub(crate) fn enumerated(
        &mut self,
        obj: &Node,
        ptr: &str,
        key: &str,
        allowed: &[&str],
    ) -> Option<Spanned<String>> {
        let s = self.string(obj, ptr, key)?;
        if !allowed.contains(&s.value.as_str()) && !is_jsonata(&s.value) {
            self.error(
                INVALID_VALUE,
                push_key(ptr, key),
                s.span,
                format!(
                    "Field \"{key}\" must be one of {}, found \"{}\".",
                    quote_list(allowed),
                    s.value
                ),
            );
        }
        Some(s)
    }
}

/// Formats a list of allowed values as `"A", "B" or "C"`.
pub(crate) fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// Tells whether a string is a JSONata expression `{% … %}`.
pub fn is_jsonata(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}
