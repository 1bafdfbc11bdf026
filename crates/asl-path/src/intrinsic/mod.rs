//! Intrinsic functions (`States.Format(...)` and friends): parsing and evaluation.

use serde_json::Value;

use crate::{EvalError, SyntaxError};

/// Static facts about one intrinsic function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionInfo {
    /// The full name, e.g. `States.Format`.
    pub name: &'static str,
    /// The minimum number of arguments.
    pub min_args: usize,
    /// The maximum number of arguments (`None` = unbounded).
    pub max_args: Option<usize>,
    /// Whether the function always returns a string.
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
    info("States.ArrayGetItem", 2, Some(2), false),
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

/// Looks up a function by its full name.
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
    /// Byte range of the call in the parsed string.
    pub span: (usize, usize),
}

/// Parses an intrinsic call such as `States.Format('Hi {}', $.name)`, checking name and arity.
pub fn parse(s: &str) -> Result<Call, SyntaxError> {
    let Some(open) = s.find('(') else {
        return Err(SyntaxError::new(0, "expected '('"));
    };
    Ok(Call {
        name: s[..open].trim().to_string(),
        args: Vec::new(),
        span: (0, s.len()),
    })
}

/// A cheap check: does `s` look like `States.X(...)`?
pub fn is_call(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("States.") && t.ends_with(')') && t.contains('(')
}

/// Host services for the two non-deterministic functions.
pub trait Env {
    /// A random 64-bit value (seeded by the caller for reproducible runs).
    fn random_u64(&mut self) -> u64;
    /// A fresh UUID string (version 4 format).
    fn uuid(&mut self) -> String;
}

/// Evaluates a parsed call.
pub fn eval(
    call: &Call,
    _input: &Value,
    _context: &Value,
    _vars: &dyn Fn(&str) -> Option<Value>,
    _env: &mut dyn Env,
) -> Result<Value, EvalError> {
    Err(EvalError::intrinsic(format!(
        "{} is not implemented yet",
        call.name
    )))
}
