//! Retriers (`Retry`) and catchers (`Catch`).

use crate::model::build::{Builder, WRONG_TYPE};
use crate::model::{NumOrExpr, Spanned};
use crate::text::Span;
use crate::tree::{Node, NodeKind, push_index, push_key};

/// One entry of `Retry`.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    /// JSON Pointer to the retrier.
    pub pointer: String,
    /// Span of the retrier object.
    pub span: Span,
    /// `ErrorEquals`.
    pub error_equals: Vec<Spanned<String>>,
    /// Span of the `ErrorEquals` array.
    pub error_equals_span: Option<Span>,
    /// `IntervalSeconds`.
    pub interval_seconds: Option<Spanned<NumOrExpr>>,
    /// `MaxAttempts`.
    pub max_attempts: Option<Spanned<NumOrExpr>>,
    /// `BackoffRate`.
    pub backoff_rate: Option<Spanned<NumOrExpr>>,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<Spanned<NumOrExpr>>,
    /// `JitterStrategy` (`FULL` or `NONE`).
    pub jitter_strategy: Option<Spanned<String>>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
}

/// One entry of `Catch`.
#[derive(Clone, Debug, PartialEq)]
pub struct Catcher {
    /// JSON Pointer to the catcher.
    pub pointer: String,
    /// Span of the catcher object.
    pub span: Span,
    /// `ErrorEquals`.
    pub error_equals: Vec<Spanned<String>>,
    /// Span of the `ErrorEquals` array.
    pub error_equals_span: Option<Span>,
    /// `Next`.
    pub next: Option<Spanned<String>>,
    /// `ResultPath` (JSONPath).
    pub result_path: Option<Spanned<Option<String>>>,
    /// `Output` (JSONata).
    pub output: Option<Node>,
    /// `Assign`.
    pub assign: Option<Node>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
}

fn error_equals(b: &mut Builder, node: &Node, ptr: &str) -> (Vec<Spanned<String>>, Option<Span>) {
    let mut out = Vec::new();
    if node.get("ErrorEquals").is_none() {
        b.missing(node, ptr, "ErrorEquals");
    }
    let span = node.get("ErrorEquals").map(|n| n.span);
    if let Some(items) = b.array(node, ptr, "ErrorEquals") {
        let ep = push_key(ptr, "ErrorEquals");
        for (i, item) in items.iter().enumerate() {
            match &item.kind {
                NodeKind::String(s) => out.push(Spanned::new(s.clone(), item.span)),
                _ => b.error(
                    WRONG_TYPE,
                    push_index(&ep, i),
                    item.span,
                    format!("Error names must be strings, found {}.", item.type_name()),
                ),
            }
        }
    }
    (out, span)
}

fn require_object(b: &mut Builder, node: &Node, ptr: &str, what: &str) -> bool {
    if node.as_object().is_some() {
        return true;
    }
    b.error(
        WRONG_TYPE,
        ptr.to_owned(),
        node.span,
        format!("A {what} must be an object, found {}.", node.type_name()),
    );
    false
}

/// Builds a retrier.
pub(crate) fn build_retrier(b: &mut Builder, node: &Node, ptr: &str) -> Option<Retrier> {
    if !require_object(b, node, ptr, "retrier") {
        return None;
    }
    let (error_equals, error_equals_span) = error_equals(b, node, ptr);
    Some(Retrier {
        pointer: ptr.to_owned(),
        span: node.span,
        error_equals,
        error_equals_span,
        interval_seconds: b.number(node, ptr, "IntervalSeconds"),
        max_attempts: b.number(node, ptr, "MaxAttempts"),
        backoff_rate: b.number(node, ptr, "BackoffRate"),
        max_delay_seconds: b.number(node, ptr, "MaxDelaySeconds"),
        jitter_strategy: b.enumerated(node, ptr, "JitterStrategy", &["FULL", "NONE"]),
        comment: b.string(node, ptr, "Comment"),
    })
}

/// Builds a catcher.
pub(crate) fn build_catcher(b: &mut Builder, node: &Node, ptr: &str) -> Option<Catcher> {
    if !require_object(b, node, ptr, "catcher") {
        return None;
    }
    let (error_equals, error_equals_span) = error_equals(b, node, ptr);
    Some(Catcher {
        pointer: ptr.to_owned(),
        span: node.span,
        error_equals,
        error_equals_span,
        next: b.req_string(node, ptr, "Next"),
        result_path: b.path(node, ptr, "ResultPath"),
        output: node.get("Output").cloned(),
        assign: b.object(node, ptr, "Assign", false),
        comment: b.string(node, ptr, "Comment"),
    })
}
