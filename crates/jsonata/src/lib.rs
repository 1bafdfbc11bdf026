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
/// borrowed JSON value. For Step Functions, bind `states` to
/// `{"input": .., "result": .., "errorOutput": .., "context": ..}` plus user variables.
///
/// Build it from pairs with [`Bindings::from_pairs`], from a map with
/// [`Bindings::from_map`], or incrementally with [`Bindings::insert`].
#[derive(Debug, Clone, Default)]
pub struct Bindings<'a> {
    vars: Vec<(String, &'a Value)>,
}

impl<'a> Bindings<'a> {
    /// Creates an empty set of bindings.
    pub fn new() -> Self {
        Bindings { vars: Vec::new() }
    }

    /// Builds bindings from `(name, value)` pairs; names are given without the `$`.
    pub fn from_pairs(pairs: &[(&str, &'a Value)]) -> Self {
        let mut b = Bindings::new();
        for (k, v) in pairs {
            b.insert(k, v);
        }
        b
    }

    /// Builds bindings from a JSON object map: each key becomes a variable.
    pub fn from_map(map: &'a serde_json::Map<String, Value>) -> Self {
        let mut b = Bindings::new();
        for (k, v) in map {
            b.insert(k, v);
        }
        b
    }

    /// Adds or replaces a binding; a leading `$` in the name is ignored.
    pub fn insert(&mut self, name: &str, value: &'a Value) {
        let name = name.strip_prefix('$').unwrap_or(name);
        if let Some(slot) = self.vars.iter_mut().find(|(k, _)| k == name) {
            slot.1 = value;
        } else {
            self.vars.push((name.to_string(), value));
        }
    }

    /// Adds a binding and returns `self`, for chaining.
    pub fn with(mut self, name: &str, value: &'a Value) -> Self {
        self.insert(name, value);
        self
    }

    /// Looks a binding up by name (without the `$`).
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.vars.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// Iterates over the bindings in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a Value)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

impl<'a> From<&[(&str, &'a Value)]> for Bindings<'a> {
    fn from(pairs: &[(&str, &'a Value)]) -> Self {
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
    /// undefined.
    pub fn evaluate(
        &self,
        input: Option<&Value>,
        bindings: &Bindings,
        env: &mut dyn Env,
    ) -> Result<Option<Value>, Error> {
        let mut ev = eval::Ev {
            bound: Vec::new(),
            env,
            depth: 0,
            max_depth: self.limits.max_depth,
            steps: 0,
            max_steps: self.limits.max_steps,
            call_scope: None,
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
        let mut vars: Vec<(Arc<str>, value::Val)> = Vec::new();
        vars.push((Arc::from("$"), root_input.clone()));
        for (k, v) in bindings.iter() {
            vars.push((Arc::from(k), value::Val::from_json(v)));
        }
        let root = std::rc::Rc::new(eval::Scope {
            parent: None,
            vars: std::cell::RefCell::new(vars),
        });
        let scope = ev.new_scope(&root);
        let result = ev.eval(&self.root, &root_input, &scope);
        // Break reference cycles between closures and the scopes that hold them.
        ev.call_scope = None;
        for w in std::mem::take(&mut ev.bound) {
            if let Some(sc) = w.upgrade() {
                let vars = std::mem::take(&mut *sc.vars.borrow_mut());
                drop(vars);
            }
        }
        result?.to_json(0)
    }
}
