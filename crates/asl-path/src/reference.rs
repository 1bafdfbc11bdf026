//! Reference paths: the writable subset of JSONPath used by ResultPath.

use serde_json::{Map, Value};

use crate::json::compact;
use crate::path::{Parser, Segment};
use crate::{EvalError, EvalErrorKind, SyntaxError};

/// A reference path: `$`, dot names, `['quoted']` and `[index]` only.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferencePath {
    text: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
}

impl ReferencePath {
    /// Parses a reference path; `$$`, variables, wildcards, filters, slices, unions and `..`
    /// are rejected with the offset of the offending part.
    pub fn parse(s: &str) -> Result<ReferencePath, SyntaxError> {
        if !s.starts_with('$') {
            return Err(SyntaxError::new(0, "a reference path must start with '$'"));
        }
        if s.starts_with("$$") {
            return Err(SyntaxError::new(
                0,
                "a reference path cannot use the context object ('$$')",
            ));
        }
        let mut p = Parser::new(s, 1, false);
        if p.peek().is_some_and(|c| c == '_' || c.is_alphabetic()) {
            return Err(SyntaxError::new(
                0,
                "a reference path cannot use a variable",
            ));
        }
        let mut steps = Vec::new();
        loop {
            let at = p.pos;
            let Some(seg) = p.parse_segment()? else {
                break;
            };
            match seg {
                Segment::Child(k) => steps.push(Step::Key(k)),
                Segment::Index(i) => steps.push(Step::Index(i)),
                _ => {
                    return Err(SyntaxError::new(
                        at,
                        "a reference path can only use names and single indexes (no wildcards, filters, slices, unions or '..')",
                    ));
                }
            }
        }
        if p.pos < s.len() {
            return Err(p.err("unexpected character"));
        }
        Ok(ReferencePath {
            text: s.to_string(),
            steps,
        })
    }

    /// The path text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is `$` (the whole document).
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }

    /// Writes `value` into `target` at this path.
    ///
    /// `$` replaces the whole target. Missing object members on the way are created as empty
    /// objects. Walking through a value that is not an object (for a name) or not an array
    /// with that index (for an index) fails with `States.ResultPathMatchFailure` and the cause
    /// `Unable to apply ReferencePath <path> to input <compact target JSON>`; the target is
    /// left unchanged then.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), EvalError> {
        if !self.applicable(target) {
            return Err(EvalError::new(
                "States.ResultPathMatchFailure",
                format!(
                    "Unable to apply ReferencePath {} to input {}",
                    self.text,
                    compact(target)
                ),
                EvalErrorKind::ResultPathMatchFailure {
                    path: self.text.clone(),
                },
            ));
        }
        let Some((last, init)) = self.steps.split_last() else {
            *target = value;
            return Ok(());
        };
        let mut cur = target;
        for step in init {
            cur = match (step, cur) {
                (Step::Key(k), Value::Object(m)) => m
                    .entry(k.clone())
                    .or_insert_with(|| Value::Object(Map::new())),
                (Step::Index(i), Value::Array(a)) => match index(*i, a.len()) {
                    Some(k) => &mut a[k],
                    None => return Ok(()),
                },
                _ => return Ok(()),
            };
        }
        match (last, cur) {
            (Step::Key(k), Value::Object(m)) => {
                m.insert(k.clone(), value);
            }
            (Step::Index(i), Value::Array(a)) => {
                if let Some(k) = index(*i, a.len()) {
                    a[k] = value;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks, without changing anything, that [`ReferencePath::set`] can succeed.
    fn applicable(&self, target: &Value) -> bool {
        let mut cur = Some(target);
        for step in &self.steps {
            match (step, cur) {
                // A member created on the way is an empty object: names below it work.
                (Step::Key(_), None) => {}
                (Step::Key(k), Some(Value::Object(m))) => cur = m.get(k),
                (Step::Index(i), Some(Value::Array(a))) => match index(*i, a.len()) {
                    Some(k) => cur = Some(&a[k]),
                    None => return false,
                },
                _ => return false,
            }
        }
        true
    }
}

impl std::fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

fn index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let k = if i < 0 { len + i } else { i };
    if (0..len).contains(&k) {
        Some(k as usize)
    } else {
        None
    }
}
