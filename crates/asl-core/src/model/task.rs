//! The Task state.

use crate::model::build::Builder;
use crate::model::state::build_error_handling;
use crate::model::{Catcher, NumOrExpr, Resource, Retrier, Spanned};
use crate::tree::Node;

/// Task-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Task {
    /// `Resource`, classified.
    pub resource: Option<Spanned<Resource>>,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<Spanned<NumOrExpr>>,
    /// `TimeoutSecondsPath`.
    pub timeout_seconds_path: Option<Spanned<String>>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<Spanned<NumOrExpr>>,
    /// `HeartbeatSecondsPath`.
    pub heartbeat_seconds_path: Option<Spanned<String>>,
    /// `Credentials` (`RoleArn` or `RoleArn.$`).
    pub credentials: Option<Node>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Task {
    let (retry, catch) = build_error_handling(b, node, ptr);
    Task {
        resource: b
            .req_string(node, ptr, "Resource")
            .map(|s| Spanned::new(Resource::parse(&s.value), s.span)),
        timeout_seconds: b.number(node, ptr, "TimeoutSeconds"),
        timeout_seconds_path: b.string(node, ptr, "TimeoutSecondsPath"),
        heartbeat_seconds: b.number(node, ptr, "HeartbeatSeconds"),
        heartbeat_seconds_path: b.string(node, ptr, "HeartbeatSecondsPath"),
        credentials: b.object(node, ptr, "Credentials", false),
        retry,
        catch,
    }
}
