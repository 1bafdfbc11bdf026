//! A JSONata engine written from the JSONata documentation, deterministic and wasm32-safe.
//!
//! Compile an expression once with [`compile`], then evaluate it many times with
//! [`Expression::evaluate`]. Host services (randomness, UUIDs and the current time) come
//! from the caller through the [`Env`] trait, so the engine never reads the real clock.
//!
//! ```
//! use serde_json::json;
//! let expr = jsonata::compile("$states.input.a + 1").unwrap();
//! let states = json!({"input": {"a": 41}});
//! let bindings = jsonata::Bindings::from_pairs(&[("states", &states)]);
//! let mut env = jsonata::FixedEnv::default();
//! let out = expr.evaluate(None, &bindings, &mut env).unwrap();
//! assert_eq!(out, Some(json!(42)));
//! ```

mod ast;
mod datetime;
mod eval;
mod format;
mod functions;
mod numfmt;
mod parser;
mod picture;
mod regex;
mod signature;
mod value;

use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// A JSONata error: a compile (syntax) error or an evaluation error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The JSONata error code, for example `S0201`, `T2001` or `D3030`.
    pub code: String,
    /// A human-readable message.
    pub message: String,
    /// The character offset in the expression where the error was detected, if known.
    pub position: Option<usize>,
}

impl Error {
    /// Builds an error from a code and a message, without a position.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Error {
            code: code.to_string(),
            message: message.into(),
            position: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{} at position {}: {}", self.code, p, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Host services: seeded randomness, UUIDs and "now" come from the caller (a virtual clock).
pub trait Env {
    /// Returns a pseudo-random number in `[0, 1)`.
    fn random_f64(&mut self) -> f64;
    /// Returns a new UUID string (version 4 format).
    fn uuid(&mut self) -> String;
    /// Returns the current time in milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
}

/// A simple deterministic [`Env`]: a fixed clock and a seeded xorshift generator.
#[derive(Debug, Clone)]
pub struct FixedEnv {
    /// The value returned by `now_millis`.
    pub now: i64,
    /// The generator state; it must not be zero.
    pub state: u64,
}

impl Default for FixedEnv {
    fn default() -> Self {
        FixedEnv {
            now: 0,
            state: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

impl FixedEnv {
    /// Builds an environment with a given clock value and seed.
    pub fn new(now_millis: i64, seed: u64) -> Self {
        FixedEnv {
            now: now_millis,
            state: seed | 1,
        }
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }
}

impl Env for FixedEnv {
    fn random_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format_uuid(a, b)
    }
    fn now_millis(&self) -> i64 {
        self.now
    }
}

/// Formats 128 random bits as a version 4 UUID string.
pub fn format_uuid(a: u64, b: u64) -> String {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Variable bindings visible to an expression: a name (without the `$`) mapped to a
/// borrowed JSON value, or to an object whose fields are borrowed JSON values. Nothing is
/// copied: evaluation navigates the caller's values, so the cost of an evaluation does not
/// depend on the size of data it does not touch.
///
/// For Step Functions, bind `states` with [`Bindings::insert_object`] to the fields
/// `input`, `context` and, where they exist, `result` and `errorOutput`, plus one binding
/// per user variable.
///
/// Build it from pairs with [`Bindings::from_pairs`], from a map with
/// [`Bindings::from_map`], or incrementally with [`Bindings::insert`].
#[derive(Debug, Clone, Default)]
pub struct Bindings<'a> {
    vars: Vec<(&'a str, Bound<'a>)>,
}

/// What a name is bound to.
#[derive(Debug, Clone)]
pub enum Bound<'a> {
    /// A borrowed JSON value.
    Value(&'a Value),
    /// An object made of borrowed fields, in order.
    Object(Vec<(&'a str, &'a Value)>),
}

impl<'a> Bindings<'a> {
    /// Creates an empty set of bindings.
    pub fn new() -> Self {
        Bindings { vars: Vec::new() }
    }

    /// Builds bindings from `(name, value)` pairs; names are given without the `$`.
    pub fn from_pairs(pairs: &[(&'a str, &'a Value)]) -> Self {
        let mut b = Bindings::new();
        for (k, v) in pairs {
            b.insert(k, v);
        }
        b
    }

    /// Builds bindings from a JSON object map: each key becomes a variable.
    pub fn from_map(map: &'a serde_json::Map<String, Value>) -> Self {
        let mut b = Bindings::new();
        b.extend_from_map(map);
        b
    }

    /// Adds (or replaces) one binding per key of a JSON object map.
    pub fn extend_from_map(&mut self, map: &'a serde_json::Map<String, Value>) {
        for (k, v) in map {
            self.insert(k, v);
        }
    }

    fn put(&mut self, name: &'a str, bound: Bound<'a>) {
        let name = name.strip_prefix('$').unwrap_or(name);
        if let Some(slot) = self.vars.iter_mut().find(|(k, _)| *k == name) {
            slot.1 = bound;
        } else {
            self.vars.push((name, bound));
        }
    }

    /// Adds or replaces a binding; a leading `$` in the name is ignored.
    pub fn insert(&mut self, name: &'a str, value: &'a Value) {
        self.put(name, Bound::Value(value));
    }

    /// Binds a name to an object made of borrowed fields (in the given order; a repeated
    /// key keeps its first position and its last value), without copying them. This is how
    /// `$states` is bound: `[("input", &input), ("context", &context)]`.
    pub fn insert_object(&mut self, name: &'a str, fields: &[(&'a str, &'a Value)]) {
        let mut out: Vec<(&'a str, &'a Value)> = Vec::with_capacity(fields.len());
        for (k, v) in fields {
            if let Some(slot) = out.iter_mut().find(|(x, _)| x == k) {
                slot.1 = v;
            } else {
                out.push((k, v));
            }
        }
        self.put(name, Bound::Object(out));
    }

    /// Adds a binding and returns `self`, for chaining.
    pub fn with(mut self, name: &'a str, value: &'a Value) -> Self {
        self.insert(name, value);
        self
    }

    /// Looks a binding up by name (without the `$`).
    pub fn get(&self, name: &str) -> Option<&Bound<'a>> {
        self.vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Iterates over the bindings in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &Bound<'a>)> {
        self.vars.iter().map(|(k, v)| (*k, v))
    }
}

impl<'a> From<&[(&'a str, &'a Value)]> for Bindings<'a> {
    fn from(pairs: &[(&'a str, &'a Value)]) -> Self {
        Bindings::from_pairs(pairs)
    }
}

/// Evaluation limits: the maximum evaluation depth (nested evaluations, which bounds
/// recursion) and the maximum number of evaluation steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Nested evaluation depth; beyond it evaluation fails with `U1001` (stack overflow).
    pub max_depth: usize,
    /// Evaluation steps; beyond it evaluation fails with `U1001` too.
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 500,
            max_steps: 50_000_000,
        }
    }
}

/// The result of [`Expression::evaluate_outcome`].
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A JSON value.
    Value(Value),
    /// No result (JSONata's `undefined`).
    Undefined,
    /// A function: a lambda, a built-in, a partial application, a regex or a transform.
    Function,
}

/// A compiled, reusable JSONata expression. It is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    root: Arc<ast::Node>,
    limits: Limits,
}

/// Parses and processes an expression into a tree.
pub(crate) fn compile_node(expr: &str) -> Result<ast::Node, Error> {
    let raw = parser::parse(expr)?;
    let mut processor = ast::Processor::new();
    let node = processor.process(raw)?;
    if let Some(pos) = processor
        .invalid
        .or(processor.pending.first().map(|s| s.pos))
    {
        return Err(Error {
            code: "S0217".into(),
            message: "The object representing the 'parent' cannot be derived from this expression"
                .into(),
            position: Some(pos),
        });
    }
    Ok(node)
}

/// Compiles a JSONata expression; syntax errors carry an `S0xxx` code and a position.
pub fn compile(expr: &str) -> Result<Expression, Error> {
    let root = compile_node(expr)?;
    Ok(Expression {
        source: expr.to_string(),
        root: Arc::new(root),
        limits: Limits::default(),
    })
}

impl Expression {
    /// Returns the source text of the expression.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Returns the evaluation limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Sets the evaluation limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Evaluates against `input` (None = undefined input). `Ok(None)` means the result is
    /// undefined; a function result becomes an empty string (see
    /// [`Expression::evaluate_outcome`] to tell functions apart).
    pub fn evaluate(
        &self,
        input: Option<&Value>,
        bindings: &Bindings,
        env: &mut dyn Env,
    ) -> Result<Option<Value>, Error> {
        Ok(match self.evaluate_outcome(input, bindings, env)? {
            Outcome::Value(v) => Some(v),
            Outcome::Undefined => None,
            Outcome::Function => Some(Value::String(String::new())),
        })
    }

    /// Evaluates like [`Expression::evaluate`], and says whether the result is a JSON
    /// value, undefined, or a function (which has no JSON form: Step Functions rejects it
    /// as an unsupported result type).
    pub fn evaluate_outcome(
        &self,
        input: Option<&Value>,
        bindings: &Bindings,
        env: &mut dyn Env,
    ) -> Result<Outcome, Error> {
        let mut ev = eval::Ev {
            bound: Vec::new(),
            env,
            depth: 0,
            max_depth: self.limits.max_depth,
            steps: 0,
            max_steps: self.limits.max_steps,
            call_scope: None,
            globals: Vec::new(),
        };
        let root_input = match input {
            None => value::Val::Undef,
            Some(v) => {
                let v = value::Val::from_json(v);
                if v.is_array() {
                    value::Val::seq(vec![v]).with_flags(value::OUTER)
                } else {
                    v
                }
            }
        };
        // The bindings are the outermost variables: looked up after every scope, borrowed.
        ev.globals.reserve(bindings.vars.len() + 1);
        ev.globals.push(("$", root_input.clone()));
        for (k, b) in &bindings.vars {
            let v = match b {
                Bound::Value(v) => value::Val::from_json(v),
                Bound::Object(fields) => value::Val::Fields(fields),
            };
            ev.globals.push((k, v));
        }
        let scope = std::rc::Rc::new(eval::Scope {
            parent: None,
            vars: Default::default(),
        });
        let result = ev.eval(&self.root, &root_input, &scope);
        // Break reference cycles between closures and the scopes that hold them.
        ev.call_scope = None;
        for w in std::mem::take(&mut ev.bound) {
            if let Some(sc) = w.upgrade() {
                let vars = std::mem::take(&mut *sc.vars.borrow_mut());
                drop(vars);
            }
        }
        let result = result?;
        if result.is_func() {
            return Ok(Outcome::Function);
        }
        Ok(match result.to_json(0)? {
            Some(v) => Outcome::Value(v),
            None => Outcome::Undefined,
        })
    }
}
