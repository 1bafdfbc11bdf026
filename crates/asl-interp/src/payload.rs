//! JSONPath-mode payload processing: InputPath/OutputPath, templates, ResultPath and sizes.

use std::io::Write;
use std::sync::Arc;

use serde_json::Value;

use crate::exec::Failure;
use crate::program::{PathField, ResultPathField};

/// Counts bytes written, without storing them.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of a value's compact JSON text in bytes.
pub(crate) fn size_of(v: &Value) -> usize {
    let mut c = Counter(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

/// Converts an asl-path evaluation error into a failure (without the state prefix).
pub(crate) fn eval_failure(e: asl_path::EvalError) -> Failure {
    Failure {
        error: e.error,
        cause: Some(e.cause),
    }
}

/// Applies InputPath or OutputPath.
pub(crate) fn select(
    field: &PathField,
    input: &Arc<Value>,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
) -> Result<Arc<Value>, Failure> {
    match field {
        PathField::Dollar => Ok(input.clone()),
        PathField::Null => Ok(Arc::new(Value::Object(Default::default()))),
        PathField::Path(p) => p.eval(input, ctx, vars).map(Arc::new).map_err(eval_failure),
    }
}

/// Applies ResultPath: combines the raw state input with the result.
pub(crate) fn apply_result_path(
    field: &ResultPathField,
    raw_input: &Arc<Value>,
    result: Value,
) -> Result<Arc<Value>, Failure> {
    match field {
        ResultPathField::Dollar => Ok(Arc::new(result)),
        ResultPathField::Null => Ok(raw_input.clone()),
        ResultPathField::Path(p) => {
            let mut target: Value = (**raw_input).clone();
            p.set(&mut target, result).map_err(eval_failure)?;
            Ok(Arc::new(target))
        }
    }
}

/// Evaluates a compiled payload template.
pub(crate) fn template(
    tpl: &asl_path::Template,
    input: &Value,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn asl_path::intrinsic::Env,
) -> Result<Value, Failure> {
    tpl.eval(input, ctx, vars, env).map_err(eval_failure)
}

/// Compiles and evaluates a payload template given as JSON (for rarely used fields).
pub(crate) fn template_value(
    tpl: &Value,
    input: &Value,
    ctx: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn asl_path::intrinsic::Env,
) -> Result<Value, Failure> {
    asl_path::Template::compile(tpl)
        .eval(input, ctx, vars, env)
        .map_err(eval_failure)
}

/// The deepest nesting a payload may have; deeper values fail the state instead of
/// risking the stack in serialisation or drop.
pub(crate) const MAX_DEPTH: usize = 512;

/// Walks a value without recursion, subtracting a lower bound of each part's JSON size
/// ([`own_lb`], as [`measure`] counts) from `budget`; stops early (returns true) once the budget is exhausted.
fn walk_budget(v: &Value, budget: &mut isize) -> bool {
    let mut stack: Vec<&Value> = vec![v];
    while let Some(v) = stack.pop() {
        *budget -= own_lb(v) as isize;
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
        if *budget < 0 {
            return true;
        }
    }
    false
}

/// Whether a value nests deeper than `max` levels (without recursion).
pub(crate) fn too_deep(v: &Value, max: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = vec![(v, 0)];
    while let Some((v, d)) = stack.pop() {
        if d > max {
            return true;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    false
}

/// What is wrong with a state's output, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputProblem {
    TooDeep,
    TooLarge,
}

/// Checks depth and size of a state output in one walk without recursion.
pub(crate) fn check_output(v: &Value, limit: usize) -> Option<OutputProblem> {
    let sized = limit < isize::MAX as usize / 2;
    let mut budget = if sized {
        (limit / 4 * 3) as isize
    } else {
        isize::MAX
    };
    let mut over = false;
    let mut stack: Vec<(&Value, usize)> = vec![(v, 0)];
    while let Some((v, d)) = stack.pop() {
        if d > MAX_DEPTH {
            return Some(OutputProblem::TooDeep);
        }
        match v {
            Value::Null | Value::Bool(_) => budget -= 4,
            Value::Number(_) => budget -= 1,
            Value::String(s) => budget -= s.len() as isize + 2,
            Value::Array(a) => {
                budget -= 1 + a.len() as isize;
                stack.extend(a.iter().map(|x| (x, d + 1)));
            }
            Value::Object(m) => {
                budget -= 1 + m.len() as isize * 2;
                for (k, x) in m {
                    budget -= k.len() as isize + 2;
                    stack.push((x, d + 1));
                }
            }
        }
        if budget < 0 {
            over = true;
        }
    }
    if over && size_of(v) > limit {
        return Some(OutputProblem::TooLarge);
    }
    None
}

/// Whether a value's JSON text is longer than `limit` bytes (no allocation; exact only near the limit).
pub(crate) fn exceeds(v: &Value, limit: usize) -> bool {
    if limit >= isize::MAX as usize / 2 {
        return false;
    }
    // Under three quarters of the limit by the lower bound: assume it fits (numbers and
    // escapes would have to add a third); past that, measure exactly.
    let mut budget = (limit / 4 * 3) as isize;
    if !walk_budget(v, &mut budget) {
        return false;
    }
    size_of(v) > limit
}

/// Whether a value's JSON text has at least `n` bytes (a quick lower-bound walk).
pub(crate) fn at_least(v: &Value, n: usize) -> bool {
    let mut budget = n as isize;
    walk_budget(v, &mut budget)
}

/// One step of a simple path.
enum Step<'a> {
    Key(std::borrow::Cow<'a, str>),
    Index(usize),
}

/// Parses `$.a.b[0]['c']` style paths (names, quoted names, non-negative indexes only).
fn simple_steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = &r[..end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return None;
            }
            out.push(Step::Key(std::borrow::Cow::Borrowed(name)));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']")?;
            let name = &r[..end];
            if name.contains('\\') || name.contains('\'') {
                return None;
            }
            out.push(Step::Key(std::borrow::Cow::Borrowed(name)));
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let idx: usize = r[..end].parse().ok()?;
            out.push(Step::Index(idx));
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// What [`take_simple`] moved out: the member, the rest of the document (with `null` where
/// the member was), and where it was.
pub(crate) struct Taken {
    pub value: Value,
    pub rest: Value,
    pub at: Vec<asl_path::Location>,
}

/// Moves the value at a simple path out of an owned value; gives the value back when the
/// path is not simple or selects nothing (the caller then falls back to the general evaluator).
pub(crate) fn take_simple(mut v: Value, path: &str) -> Result<Taken, Value> {
    let Some(steps) = simple_steps(path) else {
        return Err(v);
    };
    // Check first, so that a failed lookup leaves the value intact.
    {
        let mut cur = &v;
        for s in &steps {
            cur = match (s, cur) {
                (Step::Key(k), Value::Object(m)) => match m.get(k.as_ref()) {
                    Some(x) => x,
                    None => return Err(v),
                },
                (Step::Index(i), Value::Array(a)) => match a.get(*i) {
                    Some(x) => x,
                    None => return Err(v),
                },
                _ => return Err(v),
            };
        }
    }
    let at: Vec<asl_path::Location> = steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => asl_path::Location::Key(k.to_string()),
            Step::Index(i) => asl_path::Location::Index(*i),
        })
        .collect();
    let value = match crate::snap::member_mut(&mut v, &at) {
        Some(x) => std::mem::take(x),
        None => Value::Null,
    };
    Ok(Taken { value, rest: v, at })
}

/// Size and depth bookkeeping of a payload, kept up to date through in-place changes so
/// that a state which changes a small part of a large payload checks only that part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Meta {
    /// The lower bound of the JSON size that [`check_output`]'s walk computes.
    pub lb: usize,
    /// An upper bound of the nesting depth (the root is 0).
    pub depth: usize,
}

/// Measures a value completely. Shallow values (the usual state output) are walked by a
/// recursion of bounded depth, which needs no allocation; deeper parts go through an explicit
/// stack, so no document can overflow the call stack.
pub(crate) fn measure(v: &Value) -> Meta {
    let mut m = Meta { lb: 0, depth: 0 };
    measure_into(v, 0, &mut m);
    m
}

/// Depth up to which [`measure`] recurses.
const MEASURE_RECURSION: usize = 32;

/// The bytes a value takes beyond its members' own (which [`measure`] adds as it visits
/// them): a scalar's text, or an array's or object's brackets, commas, keys and colons.
fn own_lb(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) => 4,
        Value::Number(_) => 1,
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 1 + a.len(),
        Value::Object(o) => 1 + o.len() * 2 + o.keys().map(|k| k.len() + 2).sum::<usize>(),
    }
}

fn measure_into(v: &Value, d: usize, m: &mut Meta) {
    if d >= MEASURE_RECURSION {
        let deep = measure_iter(v);
        m.lb += deep.lb;
        m.depth = m.depth.max(d + deep.depth);
        return;
    }
    m.depth = m.depth.max(d);
    m.lb += own_lb(v);
    match v {
        Value::Array(a) => a.iter().for_each(|x| measure_into(x, d + 1, m)),
        Value::Object(o) => o.values().for_each(|x| measure_into(x, d + 1, m)),
        _ => {}
    }
}

/// [`measure`] without recursion.
fn measure_iter(v: &Value) -> Meta {
    let mut lb: usize = 0;
    let mut depth = 0;
    let mut stack: Vec<(&Value, usize)> = vec![(v, 0)];
    while let Some((v, d)) = stack.pop() {
        depth = depth.max(d);
        lb += own_lb(v);
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(o) => stack.extend(o.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    Meta { lb, depth }
}

/// What is wrong with a state output whose bookkeeping is `meta`, exactly as [`check_output`] decides.
pub(crate) fn problem_with(v: &Value, meta: Meta, limit: usize) -> Option<OutputProblem> {
    if meta.depth > MAX_DEPTH {
        // The bound may be loose: look.
        return check_output(v, limit);
    }
    let sized = limit < isize::MAX as usize / 2;
    if sized && meta.lb > limit / 4 * 3 && size_of(v) > limit {
        return Some(OutputProblem::TooLarge);
    }
    None
}

/// The bookkeeping after [`asl_path::ReferencePath::set_recorded`] wrote into a value whose
/// bookkeeping was `before`; `target` is the value after the write.
pub(crate) fn meta_after_write(
    before: Meta,
    target: &Value,
    written: Option<&asl_path::Written>,
) -> Option<Meta> {
    let Some(w) = written else {
        return Some(before);
    };
    let now = measure(crate::snap::member(target, &w.at)?);
    let lb = match (&w.old, w.at.last()) {
        (Some(old), _) => (before.lb + now.lb).checked_sub(measure(old).lb)?,
        // A new member: its key, colon and comma, then its value.
        (None, Some(asl_path::Location::Key(k))) => before.lb + 4 + k.len() + now.lb,
        (None, _) => return None,
    };
    Some(Meta {
        lb,
        depth: before.depth.max(w.at.len() + now.depth),
    })
}

/// The bookkeeping of a member taken out of a value whose bookkeeping was `before`.
pub(crate) fn meta_after_take(before: Meta, taken: &Taken) -> Option<Meta> {
    // The rest holds `null` (4) where the member was.
    let lb = (before.lb + 4).checked_sub(measure(&taken.rest).lb)?;
    Some(Meta {
        lb,
        depth: before.depth.saturating_sub(taken.at.len()),
    })
}

/// For templates of the form `{"x.$": "$", <constants>...}`: the index of the `"$"` field.
pub(crate) fn single_dollar_field(tpl: &Value) -> bool {
    fn has_dollar_keys(v: &Value) -> bool {
        match v {
            Value::Object(m) => m
                .iter()
                .any(|(k, x)| k.ends_with(".$") || has_dollar_keys(x)),
            Value::Array(a) => a.iter().any(has_dollar_keys),
            _ => false,
        }
    }
    let Some(m) = tpl.as_object() else {
        return false;
    };
    let mut found = 0;
    for (k, x) in m {
        if k.ends_with(".$") {
            if x.as_str() != Some("$") {
                return false;
            }
            found += 1;
        } else if has_dollar_keys(x) {
            return false;
        }
    }
    found == 1
}

/// The output name of a `single_dollar_field` template's `"$"` field.
pub(crate) fn single_dollar_name(tpl: &Value) -> Option<&str> {
    tpl.as_object()?.keys().find_map(|k| k.strip_suffix(".$"))
}

/// Builds the output of a `single_dollar_field` template by moving `input` into it.
pub(crate) fn fill_single_dollar(tpl: &Value, input: Value) -> Value {
    let mut input = Some(input);
    let mut out = serde_json::Map::new();
    if let Some(m) = tpl.as_object() {
        for (k, x) in m {
            match k.strip_suffix(".$") {
                Some(name) => {
                    out.insert(name.to_string(), input.take().unwrap_or(Value::Null));
                }
                None => {
                    out.insert(k.clone(), x.clone());
                }
            }
        }
    }
    Value::Object(out)
}

/// Whether a path is `$.name` (one plain field).
pub(crate) fn is_single_key_path(path: &str) -> bool {
    matches!(simple_steps(path), Some(steps) if steps.len() == 1 && matches!(steps[0], Step::Key(_)))
}

/// Drops a (possibly deeply nested) value without recursion.
pub(crate) fn dismantle(v: std::sync::Arc<Value>) {
    let Ok(v) = std::sync::Arc::try_unwrap(v) else {
        return;
    };
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(a) => stack.extend(a),
            Value::Object(m) => stack.extend(m.into_iter().map(|(_, x)| x)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod measure_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_bounded_recursion_measures_like_the_explicit_stack() {
        let mut deep = json!({"leaf": [1, "two", null, {"k": true}]});
        for i in 0..100 {
            deep = if i % 2 == 0 {
                json!([deep, i])
            } else {
                json!({"n": deep, "s": "x"})
            };
        }
        for v in [
            json!(null),
            json!("text"),
            json!({"a": 1, "b": [1, 2, {"c": "d"}], "e": {}}),
            deep,
        ] {
            let (a, b) = (measure(&v), measure_iter(&v));
            assert_eq!((a.lb, a.depth), (b.lb, b.depth), "{v}");
        }
    }
}
