//! Intrinsic functions (`States.Format(...)` and friends): parsing and evaluation.
//!
//! [`parse`] checks the syntax, the function name and the number of arguments; [`eval`]
//! evaluates a parsed call with AWS's semantics (Java-style number and collection formatting
//! in `States.Format`, `Math.round` for `States.MathAdd`, `java.util.Random` for a seeded
//! `States.MathRandom`). Failures are `States.IntrinsicFailure` errors.

mod functions;
mod parse;

use serde_json::Value;

use crate::EvalError;

pub use parse::{is_call, parse};

/// Static facts about one intrinsic function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The full name, e.g. `States.Format`.
    pub name: &'static str,
    /// The minimum number of arguments.
    pub min_args: usize,
    /// The maximum number of arguments (`None` = unbounded).
    pub max_args: Option<usize>,
    /// Whether the function may be used where a string is required (string `*Path` fields
    /// such as `ErrorPath` and `CausePath`). This follows the AWS language service, which
    /// also admits `States.ArrayGetItem` there.
    pub returns_string: bool,
}

const fn info(
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    returns_string: bool,
) -> FunctionInfo {
    FunctionInfo {
        name,
        min_args,
        max_args,
        returns_string,
    }
}

/// All 18 `States.*` intrinsic functions.
pub static FUNCTIONS: &[FunctionInfo] = &[
    info("States.Array", 0, None, false),
    info("States.ArrayPartition", 2, Some(2), false),
    info("States.ArrayContains", 2, Some(2), false),
    info("States.ArrayRange", 3, Some(3), false),
    info("States.ArrayGetItem", 2, Some(2), true),
    info("States.ArrayLength", 1, Some(1), false),
    info("States.ArrayUnique", 1, Some(1), false),
    info("States.Base64Encode", 1, Some(1), true),
    info("States.Base64Decode", 1, Some(1), true),
    info("States.Hash", 2, Some(2), true),
    info("States.JsonMerge", 3, Some(3), false),
    info("States.StringToJson", 1, Some(1), false),
    info("States.JsonToString", 1, Some(1), true),
    info("States.MathRandom", 2, Some(3), false),
    info("States.MathAdd", 2, Some(2), false),
    info("States.StringSplit", 2, Some(2), false),
    info("States.UUID", 0, Some(0), true),
    info("States.Format", 1, None, true),
];

/// Looks up a function by its full name (e.g. `States.Format`).
pub fn function(name: &str) -> Option<&'static FunctionInfo> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// One argument of an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A quoted string literal (escapes already resolved).
    String(String),
    /// A number literal.
    Number(serde_json::Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path (`$.x`, `$$.x`, `$var.x`).
    Path(crate::Path),
    /// A nested call.
    Call(Call),
}

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The full function name, e.g. `States.Format`.
    pub name: String,
    /// The arguments in order.
    pub args: Vec<Arg>,
    /// Byte range `(start, end)` of the call in the parsed string.
    pub span: (usize, usize),
    /// For `States.Format` with a literal template: the template split at its `{}`
    /// placeholders (escaped braces `\{` and `\}` are literal text, not placeholders).
    pub(crate) format_pieces: Option<Vec<String>>,
}

impl Call {
    /// How deeply calls nest: 1 for a call without nested calls. AWS documents that up to
    /// 10 intrinsic functions can be nested in one field; the validator can check this.
    pub fn depth(&self) -> usize {
        1 + self
            .args
            .iter()
            .map(|a| if let Arg::Call(c) = a { c.depth() } else { 0 })
            .max()
            .unwrap_or(0)
    }

    /// How many calls this expression contains, itself included.
    pub fn count(&self) -> usize {
        1 + self
            .args
            .iter()
            .map(|a| if let Arg::Call(c) = a { c.count() } else { 0 })
            .sum::<usize>()
    }
}

/// Host services for the two non-deterministic functions.
pub trait Env {
    /// A random 64-bit value (seeded by the caller for reproducible runs).
    fn random_u64(&mut self) -> u64;
    /// A fresh UUID string (version 4 format, lower-case, with dashes).
    fn uuid(&mut self) -> String;
}

/// A deterministic [`Env`] for tests and reproducible runs: a splitmix64 generator.
#[derive(Debug, Clone)]
pub struct SeededEnv {
    state: u64,
}

impl SeededEnv {
    /// Creates a generator from a seed.
    pub fn new(seed: u64) -> SeededEnv {
        SeededEnv { state: seed }
    }
}

impl Env for SeededEnv {
    fn random_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uuid(&mut self) -> String {
        uuid_v4(self.random_u64(), self.random_u64())
    }
}

/// Formats 128 random bits as a version-4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub fn uuid_v4(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Evaluates a parsed call. Paths in arguments are resolved against `input` (`$`),
/// `context` (`$$`) and `vars` (`$name`); a path that finds nothing fails with the path's
/// own `States.Runtime` error (kind `PathNotFound`), everything else with
/// `States.IntrinsicFailure`.
pub fn eval(
    call: &Call,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn Env,
) -> Result<Value, EvalError> {
    functions::eval_call(call, input, context, vars, env)
}
