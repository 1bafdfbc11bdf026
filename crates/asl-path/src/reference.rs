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

/// One concrete step to a member: an object key or an array position.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// An object member.
    Key(String),
    /// An array element (a resolved, non-negative position).
    Index(usize),
}

/// What [`ReferencePath::set_recorded`] replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The member that changed (empty: the whole target).
    pub at: Vec<Location>,
    /// The value it held, or `None` when the write created it (as the object's last member).
    pub old: Option<Value>,
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

    /// Like [`ReferencePath::set`], and reports what it replaced so that the change can be
    /// undone: `Ok(None)` when nothing changed (an index out of range), otherwise where the
    /// write happened (the first member it created, or the written member) and the value
    /// that was there (`None` for a created member, which sits last in its object).
    pub fn set_recorded(
        &self,
        target: &mut Value,
        value: Value,
    ) -> Result<Option<Written>, EvalError> {
        if !self.applicable(target) {
            // The same error as `set`, which leaves the target unchanged.
            return self.set(target, value).map(|()| None);
        }
        let Some((last, init)) = self.steps.split_last() else {
            let old = std::mem::replace(target, value);
            return Ok(Some(Written {
                at: Vec::new(),
                old: Some(old),
            }));
        };
        let mut at = Vec::with_capacity(self.steps.len());
        let mut cur = target;
        for step in init {
            cur = match (step, cur) {
                (Step::Key(k), Value::Object(m)) => {
                    at.push(Location::Key(k.clone()));
                    if !m.contains_key(k) {
                        // Everything from here on is new: one member holds the rest.
                        let mut sub = value;
                        for s in self.steps[at.len()..].iter().rev() {
                            if let Step::Key(k) = s {
                                let mut o = Map::new();
                                o.insert(k.clone(), sub);
                                sub = Value::Object(o);
                            }
                        }
                        m.insert(k.clone(), sub);
                        return Ok(Some(Written { at, old: None }));
                    }
                    m.get_mut(k).expect("present")
                }
                (Step::Index(i), Value::Array(a)) => match index(*i, a.len()) {
                    Some(k) => {
                        at.push(Location::Index(k));
                        &mut a[k]
                    }
                    None => return Ok(None),
                },
                _ => return Ok(None),
            };
        }
        match (last, cur) {
            (Step::Key(k), Value::Object(m)) => {
                at.push(Location::Key(k.clone()));
                let old = m.insert(k.clone(), value);
                Ok(Some(Written { at, old }))
            }
            (Step::Index(i), Value::Array(a)) => match index(*i, a.len()) {
                Some(k) => {
                    at.push(Location::Index(k));
                    let old = std::mem::replace(&mut a[k], value);
                    Ok(Some(Written { at, old: Some(old) }))
                }
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// Where [`ReferencePath::set_recorded`] put the value, given what it reported: the
    /// written member, or below the first member it created (names only, as created).
    pub fn value_location(&self, w: &Written) -> Vec<Location> {
        let mut at = w.at.clone();
        if let Some(rest) = self.steps.get(w.at.len()..) {
            at.extend(rest.iter().filter_map(|s| match s {
                Step::Key(k) => Some(Location::Key(k.clone())),
                Step::Index(_) => None,
            }));
        }
        at
    }

    /// Whether [`ReferencePath::set_recorded`] on `target` writes the value (rather than
    /// failing or dropping it).
    pub fn writes_into(&self, target: &Value) -> bool {
        self.applicable(target)
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
