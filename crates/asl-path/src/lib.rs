//! ASL paths (JSONPath flavour), reference paths, intrinsic functions and payload templates.
//!
//! This crate is shared by the validator (`asl-core`, which needs syntax errors with byte
//! offsets) and the interpreter (`asl-interp`, which needs evaluation with AWS's exact error
//! names and cause texts). It has no workspace dependencies and never reads the clock or
//! randomness: the two non-deterministic intrinsics get their values from [`intrinsic::Env`].

mod error;
pub mod intrinsic;
mod path;
mod reference;
mod template;

pub use error::{EvalError, EvalErrorKind, SyntaxError};
pub use path::{Path, PathRoot};
pub use reference::ReferencePath;
pub use template::{check_template, eval_template};
