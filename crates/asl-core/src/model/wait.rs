//! The Wait state.

use crate::model::build::Builder;
use crate::model::{NumOrExpr, Spanned};
use crate::tree::Node;

/// Wait-specific fields: exactly one of the four should be present.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wait {
    /// `Seconds` (a number, or a JSONata expression).
    pub seconds: Option<Spanned<NumOrExpr>>,
    /// `SecondsPath`.
    pub seconds_path: Option<Spanned<String>>,
    /// `Timestamp` (RFC 3339, or a JSONata expression).
    pub timestamp: Option<Spanned<String>>,
    /// `TimestampPath`.
    pub timestamp_path: Option<Spanned<String>>,
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Wait {
    Wait {
        seconds: b.number(node, ptr, "Seconds"),
        seconds_path: b.string(node, ptr, "SecondsPath"),
        timestamp: b.string(node, ptr, "Timestamp"),
        timestamp_path: b.string(node, ptr, "TimestampPath"),
    }
}
