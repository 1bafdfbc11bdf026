//! Payload templates: objects whose `.$` keys are evaluated as paths or intrinsic calls.
//!
//! [`Template::compile`] parses every `.$` value once; [`Template::eval`] then only walks
//! and clones. [`eval_template`] is the one-shot form, and [`check_template`] is the
//! validator's static check.

use serde_json::{Map, Value};

use crate::intrinsic::{self, Call, Env};
use crate::json::compact;
use crate::{EvalError, EvalErrorKind, Path, PathRoot, SyntaxError};

/// Templates nested deeper than this are rejected instead of risking the stack.
const MAX_TEMPLATE_DEPTH: usize = 256;

/// An expression under a `.$` key (or in a field like `ErrorPath`): a path or an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A JSONPath (`$...`, `$$...`, `$var...`).
    Path(Path),
    /// An intrinsic function call.
    Call(Call),
}

impl Expr {
    /// Parses a path or (when it starts with `States.`) an intrinsic call.
    pub fn parse(s: &str) -> Result<Expr, SyntaxError> {
        if s.trim_start().starts_with("States.") || intrinsic::is_call(s) {
            intrinsic::parse(s).map(Expr::Call)
        } else {
            Path::parse(s).map(Expr::Path)
        }
    }

    /// The expression text as written (for calls, the name only).
    pub fn text(&self) -> &str {
        match self {
            Expr::Path(p) => p.as_str(),
            Expr::Call(c) => &c.name,
        }
    }

    /// Evaluates the expression. Paths that find nothing fail with kind
    /// [`EvalErrorKind::PathNotFound`] (cause `Invalid path '...' : ...`).
    pub fn eval(
        &self,
        input: &Value,
        context: &Value,
        vars: &dyn Fn(&str) -> Option<Value>,
        env: &mut dyn Env,
    ) -> Result<Value, EvalError> {
        match self {
            Expr::Path(p) => p.eval(input, context, vars),
            Expr::Call(c) => intrinsic::eval(c, input, context, vars, env),
        }
    }

    /// Evaluates the expression for the field `field` (e.g. `ErrorPath` or `value.$`):
    /// a path that finds nothing fails with kind [`EvalErrorKind::FieldPathNotFound`] and
    /// the cause `The JSONPath '<path>' specified for the field '<field>' could not be found
    /// in the input '<compact JSON>'`.
    pub fn eval_field(
        &self,
        field: &str,
        input: &Value,
        context: &Value,
        vars: &dyn Fn(&str) -> Option<Value>,
        env: &mut dyn Env,
    ) -> Result<Value, EvalError> {
        self.eval(input, context, vars, env)
            .map_err(|e| match e.kind {
                EvalErrorKind::PathNotFound { path, .. } => {
                    let root = if path.starts_with("$$") {
                        context
                    } else {
                        input
                    };
                    field_not_found(&path, field, root)
                }
                _ => e,
            })
    }
}

/// The cause AWS gives when a path for a named field finds nothing:
/// `The JSONPath '<path>' specified for the field '<field>' could not be found in the input '<compact input>'`.
pub fn field_not_found_cause(path: &str, field: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{}'",
        compact(input)
    )
}

fn field_not_found(path: &str, field: &str, input: &Value) -> EvalError {
    EvalError::new(
        "States.Runtime",
        field_not_found_cause(path, field, input),
        EvalErrorKind::FieldPathNotFound {
            path: path.to_string(),
            field: field.to_string(),
        },
    )
}

/// A payload template with every `.$` expression parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    node: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A constant subtree, copied as is.
    Const(Value),
    /// An object with at least one `.$` field below it. `shape` is the output object with
    /// every key in place and null values, when the output keys are distinct: evaluation
    /// clones it (no key hashing) and fills the values in order.
    Object {
        fields: Vec<(String, Node)>,
        shape: Option<Map<String, Value>>,
    },
    Array(Vec<Node>),
    /// A `.$` field: the key with `.$` (for messages) and the expression.
    Expr(String, Expr),
    /// A `.$` field whose value is not a valid expression; fails when evaluated.
    Invalid(String, String),
}

impl Template {
    /// Compiles a template. Invalid `.$` values do not stop compilation; they fail at
    /// evaluation with kind [`EvalErrorKind::InvalidTemplate`] (use [`check_template`] to
    /// report them up front).
    pub fn compile(template: &Value) -> Template {
        Template {
            node: compile(template, 0),
        }
    }

    /// Whether the template has no `.$` fields at all.
    pub fn is_constant(&self) -> bool {
        matches!(self.node, Node::Const(_))
    }

    /// Evaluates the template.
    pub fn eval(
        &self,
        input: &Value,
        context: &Value,
        vars: &dyn Fn(&str) -> Option<Value>,
        env: &mut dyn Env,
    ) -> Result<Value, EvalError> {
        eval_node(&self.node, input, context, vars, env)
    }
}

fn compile(v: &Value, depth: usize) -> Node {
    if depth > MAX_TEMPLATE_DEPTH {
        return Node::Invalid(String::new(), "the template is nested too deeply".into());
    }
    match v {
        Value::Object(m) => {
            let mut fields = Vec::with_capacity(m.len());
            let mut constant = true;
            for (k, v) in m {
                let node = match k.strip_suffix(".$") {
                    Some(name) => {
                        let node = match v {
                            Value::String(s) => match Expr::parse(s) {
                                Ok(e) => Node::Expr(k.clone(), e),
                                Err(e) => Node::Invalid(k.clone(), e.message),
                            },
                            _ => Node::Invalid(
                                k.clone(),
                                "the value of a field ending in '.$' must be a string".into(),
                            ),
                        };
                        fields.push((name.to_string(), node));
                        constant = false;
                        continue;
                    }
                    None => compile(v, depth + 1),
                };
                constant &= matches!(node, Node::Const(_));
                fields.push((k.clone(), node));
            }
            if constant {
                Node::Const(v.clone())
            } else {
                let shape: Map<String, Value> = fields
                    .iter()
                    .map(|(k, _)| (k.clone(), Value::Null))
                    .collect();
                let distinct = shape.len() == fields.len();
                Node::Object {
                    fields,
                    shape: distinct.then_some(shape),
                }
            }
        }
        Value::Array(items) => {
            let nodes: Vec<Node> = items.iter().map(|x| compile(x, depth + 1)).collect();
            if nodes.iter().all(|n| matches!(n, Node::Const(_))) {
                Node::Const(v.clone())
            } else {
                Node::Array(nodes)
            }
        }
        other => Node::Const(other.clone()),
    }
}

fn eval_node(
    node: &Node,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn Env,
) -> Result<Value, EvalError> {
    match node {
        Node::Const(v) => Ok(v.clone()),
        Node::Object {
            fields,
            shape: Some(shape),
        } => {
            let mut out = shape.clone();
            for (slot, (_, n)) in out.values_mut().zip(fields) {
                *slot = eval_node(n, input, context, vars, env)?;
            }
            Ok(Value::Object(out))
        }
        Node::Object {
            fields,
            shape: None,
        } => {
            // Repeated output keys ("a" and "a.$"): the later value wins, in the first's place.
            let mut out = Map::with_capacity(fields.len());
            for (k, n) in fields {
                out.insert(k.clone(), eval_node(n, input, context, vars, env)?);
            }
            Ok(Value::Object(out))
        }
        Node::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for n in items {
                out.push(eval_node(n, input, context, vars, env)?);
            }
            Ok(Value::Array(out))
        }
        Node::Expr(field, e) => e.eval_field(field, input, context, vars, env),
        Node::Invalid(field, msg) => Err(EvalError::new(
            "States.Runtime",
            format!(
                "The value for the field '{field}' is not a valid JSONPath or intrinsic function call: {msg}"
            ),
            EvalErrorKind::InvalidTemplate {
                field: field.clone(),
            },
        )),
    }
}

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector, Credentials, ...).
///
/// Keys ending in `.$` are evaluated (path, `$$` path, `$var` path or intrinsic call) and
/// stored without the suffix; everything else is copied; nested objects and arrays recurse.
/// A path that finds nothing fails with `States.Runtime`, kind
/// [`EvalErrorKind::FieldPathNotFound`] and AWS's cause
/// `The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{...}'`
/// (the interpreter adds the `An error occurred while executing the state ...` prefix).
/// For repeated use, compile once with [`Template::compile`].
pub fn eval_template(
    template: &Value,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn intrinsic::Env,
) -> Result<Value, EvalError> {
    eval_direct(template, input, context, vars, env, 0)
}

/// Evaluates a template without compiling it first (each `.$` value is parsed on the way).
fn eval_direct(
    template: &Value,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn intrinsic::Env,
    depth: usize,
) -> Result<Value, EvalError> {
    if depth > MAX_TEMPLATE_DEPTH {
        return Err(invalid("", "the template is nested too deeply"));
    }
    match template {
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                match k.strip_suffix(".$") {
                    Some(name) => {
                        let Value::String(s) = v else {
                            return Err(invalid(
                                k,
                                "the value of a field ending in '.$' must be a string",
                            ));
                        };
                        let e = Expr::parse(s).map_err(|e| invalid(k, &e.message))?;
                        out.insert(
                            name.to_string(),
                            e.eval_field(k, input, context, vars, env)?,
                        );
                    }
                    None => {
                        out.insert(
                            k.clone(),
                            eval_direct(v, input, context, vars, env, depth + 1)?,
                        );
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for v in items {
                out.push(eval_direct(v, input, context, vars, env, depth + 1)?);
            }
            Ok(Value::Array(out))
        }
        other => Ok(other.clone()),
    }
}

fn invalid(field: &str, msg: &str) -> EvalError {
    EvalError::new(
        "States.Runtime",
        format!(
            "The value for the field '{field}' is not a valid JSONPath or intrinsic function call: {msg}"
        ),
        EvalErrorKind::InvalidTemplate {
            field: field.to_string(),
        },
    )
}

/// Validates a payload template statically: each `.$` value must be a string that parses as
/// a path or intrinsic call, and no two keys may be equal after stripping `.$`.
///
/// Returns `(key path, error)` pairs; the key path is JSON-pointer-like (`/a/0/b.$`,
/// without escaping) and the error offset is a byte offset in that field's value (0 for
/// errors about the key itself).
pub fn check_template(template: &Value) -> Vec<(String, SyntaxError)> {
    let mut out = Vec::new();
    // An explicit stack: (value, pointer, depth).
    let mut stack: Vec<(&Value, String, usize)> = vec![(template, String::new(), 0)];
    while let Some((v, ptr, depth)) = stack.pop() {
        if depth > MAX_TEMPLATE_DEPTH {
            out.push((
                ptr,
                SyntaxError::new(0, "the template is nested too deeply"),
            ));
            continue;
        }
        match v {
            Value::Object(m) => {
                let mut seen = std::collections::HashSet::new();
                for (k, child) in m {
                    let key_ptr = format!("{ptr}/{k}");
                    let bare = k.strip_suffix(".$").unwrap_or(k);
                    if !seen.insert(bare) {
                        out.push((
                            key_ptr.clone(),
                            SyntaxError::new(
                                0,
                                format!("duplicate field '{bare}' (after removing '.$')"),
                            ),
                        ));
                    }
                    if k.ends_with(".$") {
                        match child {
                            Value::String(s) => {
                                if let Err(e) = Expr::parse(s) {
                                    out.push((key_ptr, e));
                                }
                            }
                            _ => out.push((
                                key_ptr,
                                SyntaxError::new(
                                    0,
                                    "the value of a field ending in '.$' must be a string",
                                ),
                            )),
                        }
                    } else {
                        stack.push((child, key_ptr, depth + 1));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    stack.push((child, format!("{ptr}/{i}"), depth + 1));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Which root an expression reads, for callers that want to know whether a template uses
/// the context object or variables.
pub fn expr_roots(e: &Expr, out: &mut Vec<PathRoot>) {
    match e {
        Expr::Path(p) => out.push(p.root().clone()),
        Expr::Call(c) => call_roots(c, out),
    }
}

fn call_roots(c: &Call, out: &mut Vec<PathRoot>) {
    for a in &c.args {
        match a {
            intrinsic::Arg::Path(p) => out.push(p.root().clone()),
            intrinsic::Arg::Call(inner) => call_roots(inner, out),
            _ => {}
        }
    }
}
