//! The Succeed state (it has only shared fields).

/// Succeed-specific fields (none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Succeed {}
