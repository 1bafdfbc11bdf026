//! ASL paths (JSONPath flavour), reference paths, intrinsic functions and payload templates.
//!
//! This crate is shared by the validator (`asl-core`, which needs syntax errors with byte
//! offsets) and the interpreter (`asl-interp`, which needs evaluation with AWS's exact error
//! names and cause texts). It has no workspace dependencies and never reads the clock or
//! randomness: the two non-deterministic intrinsics get their values from [`intrinsic::Env`].
//!
//! Error causes produced here are the tail of AWS's text; the interpreter prepends
//! `An error occurred while executing the state '<name>' (entered at the event id #<n>). `.

mod error;
mod filter;
pub mod intrinsic;
pub mod json;
mod path;
mod reference;
mod regex;
mod template;

pub use error::{EvalError, EvalErrorKind, SyntaxError};
pub use path::{Path, PathRoot};
pub use reference::ReferencePath;
pub use template::{
    Expr, Template, check_template, eval_template, expr_roots, field_not_found_cause,
};
