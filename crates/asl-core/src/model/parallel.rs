//! The Parallel state.

use crate::model::build::Builder;
use crate::model::state::build_error_handling;
use crate::model::{Catcher, Machine, Retrier, build_machine};
use crate::tree::{Node, push_index, push_key};

/// Parallel-specific fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parallel {
    /// `Branches`: each a `StartAt`/`States` block.
    pub branches: Vec<Machine>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
}

pub(crate) fn build(b: &mut Builder, node: &Node, ptr: &str) -> Parallel {
    let (retry, catch) = build_error_handling(b, node, ptr);
    let mut branches = Vec::new();
    if node.get("Branches").is_none() {
        b.missing(node, ptr, "Branches");
    }
    if let Some(items) = b.array(node, ptr, "Branches") {
        let bp = push_key(ptr, "Branches");
        for (i, item) in items.iter().enumerate() {
            branches.push(build_machine(b, item, &push_index(&bp, i), false));
        }
    }
    Parallel {
        branches,
        retry,
        catch,
    }
}
