//! The evaluator's value type: JSON values borrowed from the input or built during
//! evaluation, plus sequences, functions and tuples.

use crate::Error;
use crate::ast::{LambdaDef, Node};
use indexmap::IndexMap;
use serde_json::Value;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

/// A deterministic hasher for object maps (see [`KeyHasher`]).
pub(crate) type Hasher = BuildHasherDefault<KeyHasher>;

/// A small multiply-rotate hasher (the Fx scheme) for object keys: much cheaper than SipHash
/// for short strings, which matters most in wasm32, and deterministic on every platform.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
/// An insertion-ordered object map.
pub(crate) type ObjMap<'a> = IndexMap<Rc<str>, Val<'a>, Hasher>;

/// Array flag: the array is a sequence (a path result), not a JSON array.
pub(crate) const SEQ: u8 = 1;
/// Array flag: a singleton sequence must be kept as an array.
pub(crate) const KEEP: u8 = 2;
/// Array flag: the array came from an array constructor and must not be flattened.
pub(crate) const CONS: u8 = 4;
/// Array flag: the array wraps an input array at the top level.
pub(crate) const OUTER: u8 = 8;
/// Array flag: the array is a stream of tuples.
pub(crate) const TUPLES: u8 = 16;

/// A shared reference to a variable scope.
pub(crate) type ScopeId<'a> = Rc<crate::eval::Scope<'a>>;

/// A function value.
#[derive(Debug)]
pub(crate) enum Func<'a> {
    Lambda {
        def: Arc<LambdaDef>,
        scope: ScopeId<'a>,
        input: Val<'a>,
    },
    Builtin(&'static crate::functions::Builtin),
    Partial {
        f: Val<'a>,
        args: Vec<Option<Val<'a>>>,
    },
    Regex(Arc<crate::regex::Re>),
    Transform {
        node: Arc<TransformNodes>,
        scope: ScopeId<'a>,
    },
    Compose(Val<'a>, Val<'a>),
}

/// The parts of a transform expression, shared with the function value it creates.
#[derive(Debug)]
pub(crate) struct TransformNodes {
    pub pattern: Node,
    pub update: Node,
    pub delete: Option<Node>,
}

/// A string value: borrowed from the input, shared with the expression, or built at run time.
#[derive(Clone)]
pub(crate) enum Text<'a> {
    Owned(Rc<str>),
    Shared(Arc<str>),
    Borrowed(&'a str),
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Shared(s) => s,
            Text::Borrowed(s) => s,
        }
    }
}

impl std::fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl From<&str> for Text<'_> {
    fn from(s: &str) -> Self {
        Text::Owned(Rc::from(s))
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text::Owned(Rc::from(s))
    }
}

impl From<Rc<str>> for Text<'_> {
    fn from(s: Rc<str>) -> Self {
        Text::Owned(s)
    }
}

impl From<Arc<str>> for Text<'_> {
    fn from(s: Arc<str>) -> Self {
        Text::Shared(s)
    }
}

/// A runtime value. `Json` borrows an array or object from the input without copying it.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Text<'a>),
    Json(&'a Value),
    Arr(Rc<Vec<Val<'a>>>, u8),
    Obj(Rc<ObjMap<'a>>),
    /// An object of borrowed fields (a binding such as `$states`), with unique keys.
    Fields(&'a [(&'a str, &'a Value)]),
    Func(Rc<Func<'a>>),
    Tuple(Rc<Vec<(Arc<str>, Val<'a>)>>),
}

/// An iterator over array items (or the single value of a non-array).
pub(crate) enum Items<'v, 'a> {
    Vals(std::slice::Iter<'v, Val<'a>>),
    Json(std::slice::Iter<'a, Value>),
    One(Option<Val<'a>>),
}

impl<'a> Iterator for Items<'_, 'a> {
    type Item = Val<'a>;
    fn next(&mut self) -> Option<Val<'a>> {
        match self {
            Items::Vals(it) => it.next().cloned(),
            Items::Json(it) => it.next().map(Val::from_json),
            Items::One(v) => v.take(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Vals(it) => it.size_hint(),
            Items::Json(it) => it.size_hint(),
            Items::One(v) => (v.is_some() as usize, Some(v.is_some() as usize)),
        }
    }
}

impl<'a> Val<'a> {
    /// Wraps a JSON value: scalars are converted, arrays and objects are borrowed.
    pub fn from_json(v: &'a Value) -> Val<'a> {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => Val::Str(Text::Borrowed(s.as_str())),
            _ => Val::Json(v),
        }
    }

    pub fn array(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Arr(Rc::new(items), 0)
    }

    pub fn seq(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Arr(Rc::new(items), SEQ)
    }

    pub fn is_undef(&self) -> bool {
        matches!(self, Val::Undef)
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Val::Arr(..)) || matches!(self, Val::Json(Value::Array(_)))
    }

    pub fn is_object(&self) -> bool {
        matches!(
            self,
            Val::Obj(_) | Val::Fields(_) | Val::Json(Value::Object(_))
        )
    }

    pub fn is_func(&self) -> bool {
        matches!(self, Val::Func(_))
    }

    pub fn flags(&self) -> u8 {
        match self {
            Val::Arr(_, f) => *f,
            _ => 0,
        }
    }

    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags() & flag != 0
    }

    /// Returns the value with the given array flags added (arrays only).
    pub fn with_flags(self, flag: u8) -> Val<'a> {
        match self {
            Val::Arr(v, f) => Val::Arr(v, f | flag),
            Val::Json(Value::Array(a)) => {
                Val::Arr(Rc::new(a.iter().map(Val::from_json).collect()), flag)
            }
            other => other,
        }
    }

    /// The number of items of an array (1 for other values, 0 for undefined).
    pub fn len(&self) -> usize {
        match self {
            Val::Arr(v, _) => v.len(),
            Val::Json(Value::Array(a)) => a.len(),
            Val::Undef => 0,
            _ => 1,
        }
    }

    /// Iterates over array items, or over the value itself if it is not an array.
    pub fn items(&self) -> Items<'_, 'a> {
        match self {
            Val::Arr(v, _) => Items::Vals(v.iter()),
            Val::Json(Value::Array(a)) => Items::Json(a.iter()),
            Val::Undef => Items::One(None),
            other => Items::One(Some(other.clone())),
        }
    }

    /// Collects the items into a vector (see [`Val::items`]).
    pub fn to_vec(&self) -> Vec<Val<'a>> {
        self.items().collect()
    }

    /// Returns the item at an index of an array.
    pub fn get(&self, i: usize) -> Val<'a> {
        match self {
            Val::Arr(v, _) => v.get(i).cloned().unwrap_or(Val::Undef),
            Val::Json(Value::Array(a)) => a.get(i).map(Val::from_json).unwrap_or(Val::Undef),
            _ => Val::Undef,
        }
    }

    /// Looks a key up in an object (undefined for other values).
    pub fn field(&self, key: &str) -> Val<'a> {
        match self {
            // Small objects are scanned directly, which is faster than hashing the key.
            Val::Obj(m) if m.len() <= 12 => m
                .iter()
                .find(|(k, _)| &***k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(Val::Undef),
            Val::Obj(m) => m.get(key).cloned().unwrap_or(Val::Undef),
            Val::Fields(f) => f
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| Val::from_json(v))
                .unwrap_or(Val::Undef),
            Val::Json(Value::Object(m)) if m.len() <= 12 => m
                .iter()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| Val::from_json(v))
                .unwrap_or(Val::Undef),
            Val::Json(Value::Object(m)) => m.get(key).map(Val::from_json).unwrap_or(Val::Undef),
            Val::Tuple(t) => t
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(Val::Undef),
            _ => Val::Undef,
        }
    }

    /// Returns the entries of an object in order.
    pub fn entries(&self) -> Vec<(Rc<str>, Val<'a>)> {
        match self {
            Val::Obj(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Val::Fields(f) => f
                .iter()
                .map(|(k, v)| (Rc::from(*k), Val::from_json(v)))
                .collect(),
            Val::Json(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (Rc::from(k.as_str()), Val::from_json(v)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The signature symbol of the value's type.
    pub fn symbol(&self) -> char {
        match self {
            Val::Undef => 'm',
            Val::Null => 'l',
            Val::Bool(_) => 'b',
            Val::Num(_) => 'n',
            Val::Str(_) => 's',
            Val::Func(_) => 'f',
            Val::Arr(..) | Val::Json(Value::Array(_)) => 'a',
            _ => 'o',
        }
    }

    /// The JSONata type name, as returned by `$type`.
    pub fn type_name(&self) -> Option<&'static str> {
        Some(match self {
            Val::Undef => return None,
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Func(_) => "function",
            Val::Arr(..) | Val::Json(Value::Array(_)) => "array",
            _ => "object",
        })
    }

    /// Converts to JSON; functions become empty strings, as JSON.stringify would drop them.
    pub fn to_json(&self, depth: usize) -> Result<Option<Value>, Error> {
        if depth > 5000 {
            return Err(Error::new("U1001", "The result is nested too deeply"));
        }
        Ok(Some(match self {
            Val::Undef => return Ok(None),
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => num_to_json(*n)?,
            Val::Str(s) => Value::String(s.to_string()),
            Val::Json(v) => clone_json(v),
            Val::Arr(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items.iter() {
                    if let Some(v) = it.to_json(depth + 1)? {
                        out.push(v);
                    }
                }
                Value::Array(out)
            }
            Val::Obj(m) => {
                let mut out = serde_json::Map::with_capacity(m.len());
                for (k, v) in m.iter() {
                    if let Some(v) = v.to_json(depth + 1)? {
                        out.insert(k.to_string(), v);
                    }
                }
                Value::Object(out)
            }
            Val::Fields(f) => {
                let mut out = serde_json::Map::with_capacity(f.len());
                for (k, v) in f.iter() {
                    out.insert(k.to_string(), clone_json(v));
                }
                Value::Object(out)
            }
            Val::Func(_) => Value::String(String::new()),
            Val::Tuple(t) => {
                let at = t
                    .iter()
                    .find(|(k, _)| &**k == "@")
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Val::Undef);
                return at.to_json(depth + 1);
            }
        }))
    }

    /// Returns the string if the value is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Returns the number if the value is a number.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }
}

/// Converts a number to JSON, keeping integers integral.
pub(crate) fn num_to_json(n: f64) -> Result<Value, Error> {
    if !n.is_finite() {
        return Err(Error::new("D1001", format!("Number out of range: {n}")));
    }
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Ok(Value::from(n as i64));
    }
    Ok(serde_json::Number::from_f64(n)
        .map(Value::Number)
        .unwrap_or(Value::Null))
}

/// Deep equality of two values, as the `=` operator defines it.
pub(crate) fn deep_equal<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    match (a, b) {
        (Val::Undef, Val::Undef) => false,
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Func(x), Val::Func(y)) => Rc::ptr_eq(x, y),
        _ if a.is_array() && b.is_array() => {
            a.len() == b.len() && a.items().zip(b.items()).all(|(x, y)| deep_equal(&x, &y))
        }
        _ if a.is_object() && b.is_object() => {
            let ea = a.entries();
            ea.len() == b.entries().len() && ea.iter().all(|(k, v)| deep_equal(v, &b.field(k)))
        }
        _ => false,
    }
}

/// Formats a number as JavaScript's `String(n)` does.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sci = format!("{:e}", n.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let pt = exp + 1;
    let mut s = String::new();
    if n < 0.0 {
        s.push('-');
    }
    if k <= pt && pt <= 21 {
        s.push_str(&digits);
        for _ in 0..(pt - k) {
            s.push('0');
        }
    } else if 0 < pt && pt <= 21 {
        s.push_str(&digits[..pt as usize]);
        s.push('.');
        s.push_str(&digits[pt as usize..]);
    } else if -6 < pt && pt <= 0 {
        s.push_str("0.");
        for _ in 0..(-pt) {
            s.push('0');
        }
        s.push_str(&digits);
    } else {
        s.push_str(&digits[..1]);
        if k > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if pt > 0 { '+' } else { '-' });
        s.push_str(&(pt - 1).abs().to_string());
    }
    s
}

/// Rounds to 15 significant digits, as `$string` does before formatting.
pub(crate) fn to_precision_15(n: f64) -> f64 {
    if !n.is_finite() || n == 0.0 {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// A container being copied by [`clone_json`]: its remaining children and the copy so far.
enum CloneFrame<'v> {
    Arr(std::slice::Iter<'v, Value>, Vec<Value>),
    Obj(
        serde_json::map::Iter<'v>,
        serde_json::Map<String, Value>,
        Option<String>,
    ),
}

/// Deep-copies a JSON value with an explicit stack, so deeply nested input cannot overflow.
pub(crate) fn clone_json(v: &Value) -> Value {
    fn open(v: &Value) -> Option<CloneFrame<'_>> {
        match v {
            Value::Array(a) => Some(CloneFrame::Arr(a.iter(), Vec::with_capacity(a.len()))),
            Value::Object(m) => Some(CloneFrame::Obj(
                m.iter(),
                serde_json::Map::with_capacity(m.len()),
                None,
            )),
            _ => None,
        }
    }
    let Some(first) = open(v) else {
        return v.clone();
    };
    let mut stack = vec![first];
    loop {
        let Some(top) = stack.last_mut() else {
            return Value::Null;
        };
        // Take the next child of the innermost container, remembering its key.
        let next = match top {
            CloneFrame::Arr(it, _) => it.next(),
            CloneFrame::Obj(it, _, pending) => it.next().map(|(k, c)| {
                *pending = Some(k.clone());
                c
            }),
        };
        let finished = match next {
            Some(child) => match open(child) {
                Some(frame) => {
                    stack.push(frame);
                    continue;
                }
                None => child.clone(),
            },
            None => match stack.pop() {
                Some(CloneFrame::Arr(_, out)) => Value::Array(out),
                Some(CloneFrame::Obj(_, out, _)) => Value::Object(out),
                None => return Value::Null,
            },
        };
        // Attach the finished value to its parent, or return it when it is the root.
        match stack.last_mut() {
            None => return finished,
            Some(CloneFrame::Arr(_, out)) => out.push(finished),
            Some(CloneFrame::Obj(_, out, pending)) => {
                let key = pending.take().unwrap_or_default();
                out.insert(key, finished);
            }
        }
    }
}
