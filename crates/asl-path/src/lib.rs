//! ASL paths (JSONPath flavour), reference paths, intrinsic functions and payload templates.
//!
//! This crate is shared by the validator (`asl-core`, which needs syntax errors with byte
//! offsets) and the interpreter (`asl-interp`, which needs evaluation with AWS's exact error
//! names and cause texts). It has no workspace dependencies and never reads the clock or
//! randomness: the two non-deterministic intrinsics get their values from [`intrinsic::Env`].
//!
//! Error causes produced here are the tail of AWS's text; the interpreter prepends
//! `An error occurred while executing the state '<name>' (entered at the event id #<n>). `.
//! Which call gives which AWS cause (all verified against the conformance corpus):
//!
//! - InputPath, OutputPath, ItemsPath, `*SecondsPath` and other plain path fields:
//!   [`Path::eval`] fails with `States.Runtime` and
//!   `Invalid path '$.x' : No results for path: $['x']` (leaf missing) or
//!   `Invalid path '$.a.b' : Missing property in path $['a']` (intermediate missing).
//! - Payload templates (Parameters, ResultSelector, ItemSelector, Assign, ...):
//!   [`eval_template`] / [`Template::eval`] fail with `States.Runtime` and
//!   `The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{...}'`
//!   (compact JSON of the template's input).
//! - ErrorPath and CausePath (path or intrinsic): [`Expr::eval_field`] with the field name,
//!   giving `The JSONPath '$.x' specified for the field 'ErrorPath' could not be found in the input '{...}'`.
//! - ResultPath: [`ReferencePath::set`] fails with `States.ResultPathMatchFailure` and
//!   `Unable to apply ReferencePath $.a.b to input {...}`.
//! - Intrinsic functions: `States.IntrinsicFailure` with `Invalid arguments in States.X: ...`
//!   (the corpus has no failing intrinsic, so these texts are not verified).

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
pub use reference::{Location, ReferencePath, Written};
pub use template::{
    Expr, Template, check_template, eval_template, expr_roots, field_not_found_cause,
};
