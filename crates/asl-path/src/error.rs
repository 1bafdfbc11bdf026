//! Error types: syntax errors with byte offsets and evaluation errors with AWS names and causes.

use std::fmt;

/// A syntax error in a path or intrinsic call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the input string where the problem was found.
    pub offset: usize,
    /// A human-readable message.
    pub message: String,
}

impl SyntaxError {
    pub(crate) fn new(offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for SyntaxError {}

/// What went wrong during evaluation, in a structured form the interpreter can re-format.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// A definite path matched nothing (error `States.Runtime`).
    ///
    /// `path` is the path text as written; `detail` is Jayway's message, e.g.
    /// `No results for path: $['a']` or `Missing property in path $['a']`. The cause is
    /// `Invalid path '<path>' : <detail>`, which AWS uses for InputPath, OutputPath,
    /// ItemsPath, TimeoutSecondsPath and the like.
    PathNotFound { path: String, detail: String },
    /// A path in a payload template (or an intrinsic argument inside one) matched nothing
    /// (error `States.Runtime`). `field` is the template key including `.$`. The cause is
    /// `The JSONPath '<path>' specified for the field '<field>' could not be found in the
    /// input '<compact input JSON>'` (see [`field_not_found_cause`](crate::field_not_found_cause)).
    FieldPathNotFound { path: String, field: String },
    /// A `$name` variable is not defined (error `States.Runtime`).
    UndefinedVariable { name: String },
    /// A ResultPath could not be written into the target (error `States.ResultPathMatchFailure`).
    /// The cause is `Unable to apply ReferencePath <path> to input <compact target JSON>`.
    ResultPathMatchFailure { path: String },
    /// An intrinsic function failed (error `States.IntrinsicFailure`).
    Intrinsic,
    /// A template value under a `.$` key is not a valid path or intrinsic call (error
    /// `States.Runtime`); the validator normally reports this first.
    InvalidTemplate { field: String },
}

/// An evaluation error with the AWS error name and the tail of AWS's cause text.
///
/// The interpreter prefixes `cause` with
/// `An error occurred while executing the state '<name>' (entered at the event id #<n>). `
/// where AWS does; this crate never knows state names or event ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// The AWS error name, e.g. `States.Runtime` or `States.IntrinsicFailure`.
    pub error: String,
    /// The cause text (without the state-name prefix).
    pub cause: String,
    /// The structured reason, for callers that need a different wording.
    pub kind: EvalErrorKind,
}

impl EvalError {
    pub(crate) fn new(error: &str, cause: impl Into<String>, kind: EvalErrorKind) -> EvalError {
        EvalError {
            error: error.to_string(),
            cause: cause.into(),
            kind,
        }
    }

    pub(crate) fn intrinsic(cause: impl Into<String>) -> EvalError {
        EvalError::new("States.IntrinsicFailure", cause, EvalErrorKind::Intrinsic)
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for EvalError {}
