//! JSONPath parsing and evaluation (the ASL flavour, following Jayway JsonPath as AWS does).

use serde_json::Value;

use crate::{EvalError, EvalErrorKind, SyntaxError};

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathRoot {
    /// `$`: the state input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: an ASL `Assign` variable.
    Variable(String),
}

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    root: PathRoot,
}

impl Path {
    /// Parses a path.
    pub fn parse(s: &str) -> Result<Path, SyntaxError> {
        if !s.starts_with('$') {
            return Err(SyntaxError::new(0, "a path must start with '$'"));
        }
        Ok(Path {
            text: s.to_string(),
            root: PathRoot::Input,
        })
    }

    /// The root this path starts from.
    pub fn root(&self) -> &PathRoot {
        &self.root
    }

    /// Whether the path selects at most one value.
    pub fn is_definite(&self) -> bool {
        true
    }

    /// The path text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates the path.
    pub fn eval(
        &self,
        input: &Value,
        _context: &Value,
        _vars: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Value, EvalError> {
        if self.text == "$" {
            return Ok(input.clone());
        }
        Err(EvalError::new(
            "States.Runtime",
            "not implemented yet",
            EvalErrorKind::PathNotFound {
                path: self.text.clone(),
            },
        ))
    }
}
