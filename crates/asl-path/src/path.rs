//! JSONPath parsing and evaluation (the ASL flavour, following Jayway JsonPath as AWS does).
//!
//! The parser produces a list of [`Segment`]s; evaluation walks borrowed values and clones
//! only what it returns. Definite paths report Jayway's messages when they find nothing
//! (`No results for path: $['a']`, `Missing property in path $['a']`), because AWS copies
//! those messages into its `States.Runtime` causes.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use crate::filter::{self, Filter};
use crate::json::{self, compact};
use crate::{EvalError, EvalErrorKind, SyntaxError};

/// The deepest nesting of brackets, parentheses and filters a path may have.
pub(crate) const MAX_NESTING: usize = 64;

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

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// `.name` or `['name']`.
    Child(String),
    /// `['a','b']`.
    Children(Vec<String>),
    /// `[3]` or `[-1]` (negative counts from the end).
    Index(i64),
    /// `[0,2]`.
    Indexes(Vec<i64>),
    /// `[start:end:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `.*` or `[*]`.
    Wildcard,
    /// `[?(...)]`.
    Filter(Box<Filter>),
    /// `..x`: apply the inner segment to every descendant (and the node itself).
    Descendant(Box<Segment>),
    /// `.name()`: a Jayway function such as `length()`. AWS accepts the syntax but finds
    /// nothing at run time (`The JSONPath '$.Jobs.sum()' specified for the field 'Jobs.$'
    /// could not be found in the input ...`), so evaluation always reports "not found".
    Function(String),
}

impl Segment {
    fn is_definite(&self) -> bool {
        matches!(
            self,
            Segment::Child(_) | Segment::Index(_) | Segment::Function(_)
        )
    }
}

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    root: PathRoot,
    segments: Vec<Segment>,
    definite: bool,
}

impl Path {
    /// Parses a path such as `$.a.b`, `$$.Execution.Id`, `$var.x` or `$..book[?(@.price < 10)]`.
    pub fn parse(s: &str) -> Result<Path, SyntaxError> {
        let mut p = Parser::new(s, 0, false);
        let path = p.parse_path()?;
        if p.pos < s.len() {
            return Err(p.err("unexpected character"));
        }
        Ok(path)
    }

    /// Parses a path that starts at byte `start` of `s` and ends before the first top-level
    /// `,`, `)` or whitespace (used for arguments of intrinsic calls). Returns the path and
    /// the byte offset where it ended; error offsets are relative to `s`.
    pub(crate) fn parse_embedded(s: &str, start: usize) -> Result<(Path, usize), SyntaxError> {
        let mut p = Parser::new(s, start, true);
        let path = p.parse_path()?;
        Ok((path, p.pos))
    }

    /// The root this path starts from.
    pub fn root(&self) -> &PathRoot {
        &self.root
    }

    /// Whether the path selects at most one value (no wildcards, filters, slices, index unions
    /// or `..`). As in Jayway, a name union as the last token (`$.a['b','c']`) is definite: it
    /// yields one object holding the names that exist.
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// The path text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path in Jayway's normalised form, e.g. `$['a'][0]` (used in AWS's error messages).
    pub fn normalized(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.segments {
            write_segment(&mut out, seg);
        }
        out
    }

    /// Evaluates the path.
    ///
    /// `input` is `$`, `context` is `$$`, `vars` resolves `$name` (None = undefined variable).
    /// Definite paths return the single value or fail with `States.Runtime` and a cause such as
    /// `Invalid path '$.a' : No results for path: $['a']` (kind [`EvalErrorKind::PathNotFound`]);
    /// indefinite paths return an array of all matches (possibly empty).
    pub fn eval(
        &self,
        input: &Value,
        context: &Value,
        vars: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Value, EvalError> {
        match &self.root {
            PathRoot::Input => self.eval_on(input),
            PathRoot::Context => self.eval_on(context),
            PathRoot::Variable(name) => match vars(name) {
                Some(v) => self.eval_on(&v),
                None => Err(EvalError::new(
                    "States.Runtime",
                    format!(
                        "Invalid path '{}' : The variable '${}' is not defined",
                        self.text, name
                    ),
                    EvalErrorKind::UndefinedVariable { name: name.clone() },
                )),
            },
        }
    }

    /// Evaluates the path against `root` (whatever the path's own root is).
    pub fn eval_on(&self, root: &Value) -> Result<Value, EvalError> {
        if self.definite {
            match self.select_definite(root) {
                Ok(v) => Ok(v.into_owned()),
                Err(detail) => Err(self.not_found(detail)),
            }
        } else {
            match self.select_indefinite(root) {
                Ok(found) => Ok(Value::Array(
                    found.into_iter().map(Cow::into_owned).collect(),
                )),
                Err(detail) => Err(self.not_found(detail)),
            }
        }
    }

    /// Like [`Path::eval_on`] but returns a borrowed value where possible.
    pub fn eval_ref<'a>(&self, root: &'a Value) -> Result<Cow<'a, Value>, EvalError> {
        if self.definite {
            self.select_definite(root)
                .map_err(|detail| self.not_found(detail))
        } else {
            match self.select_indefinite(root) {
                Ok(found) => Ok(Cow::Owned(Value::Array(
                    found.into_iter().map(Cow::into_owned).collect(),
                ))),
                Err(detail) => Err(self.not_found(detail)),
            }
        }
    }

    /// Whether the path finds a value (Choice `IsPresent`): a definite path must find one,
    /// an indefinite path at least one; an undefined variable finds nothing.
    pub fn exists(
        &self,
        input: &Value,
        context: &Value,
        vars: &dyn Fn(&str) -> Option<Value>,
    ) -> bool {
        let check = |root: &Value| {
            if self.definite {
                self.select_definite(root).is_ok()
            } else {
                self.select_indefinite(root).is_ok_and(|v| !v.is_empty())
            }
        };
        match &self.root {
            PathRoot::Input => check(input),
            PathRoot::Context => check(context),
            PathRoot::Variable(name) => vars(name).is_some_and(|v| check(&v)),
        }
    }

    /// Like [`Path::exists`], against `root` whatever the path's own root is.
    pub fn exists_in(&self, root: &Value) -> bool {
        if self.definite {
            self.select_definite(root).is_ok()
        } else {
            self.select_indefinite(root).is_ok_and(|v| !v.is_empty())
        }
    }

    fn not_found(&self, detail: String) -> EvalError {
        EvalError::new(
            "States.Runtime",
            format!("Invalid path '{}' : {}", self.text, detail),
            EvalErrorKind::PathNotFound {
                path: self.text.clone(),
                detail,
            },
        )
    }

    /// Walks a definite path; on failure returns Jayway's message.
    pub(crate) fn select_definite<'a>(&self, root: &'a Value) -> Result<Cow<'a, Value>, String> {
        if let Some((Segment::Children(names), init)) = self.segments.split_last() {
            return match self.walk(root, init.len(), false)? {
                Some(Value::Object(m)) => Ok(Cow::Owned(merge_properties(m, names))),
                Some(other) => Err(self.not_an_object(init.len(), other)),
                None => Err(format!("No results for path: {}", self.normalized())),
            };
        }
        match self.walk(root, self.segments.len(), true)? {
            Some(v) => Ok(Cow::Borrowed(v)),
            None => Err(format!("No results for path: {}", self.normalized())),
        }
    }

    /// Walks the first `upto` segments, which must be names or indexes, reporting what Jayway
    /// reports while every token so far is definite. With `whole` the walk covers the whole
    /// path (its last segment is the leaf); otherwise more segments follow. `Ok(None)` means
    /// "no result" without an error (an index out of bounds).
    fn walk<'a>(
        &self,
        root: &'a Value,
        upto: usize,
        whole: bool,
    ) -> Result<Option<&'a Value>, String> {
        let mut cur = root;
        for (i, seg) in self.segments[..upto].iter().enumerate() {
            let leaf = whole && i + 1 == upto;
            match seg {
                Segment::Child(name) => match cur {
                    Value::Object(map) => match json::field(map, name) {
                        Some(v) => cur = v,
                        None if leaf => return Ok(None),
                        None => {
                            let mut p = self.normalized_prefix(i);
                            write_segment(&mut p, seg);
                            return Err(format!("Missing property in path {p}"));
                        }
                    },
                    other => return Err(self.not_an_object(i, other)),
                },
                Segment::Index(idx) => match cur {
                    Value::Array(items) => match resolve_index(*idx, items.len()) {
                        Some(k) => cur = &items[k],
                        None => return Ok(None),
                    },
                    other => return Err(self.not_an_array(i, other)),
                },
                _ => return Ok(None),
            }
        }
        Ok(Some(cur))
    }

    fn not_an_object(&self, i: usize, found: &Value) -> String {
        let mut fragment = String::new();
        match &self.segments[i] {
            Segment::Children(names) => {
                write_segment(&mut fragment, &Segment::Children(names.clone()))
            }
            Segment::Child(name) => {
                let _ = write!(fragment, "['{name}']");
            }
            other => write_segment(&mut fragment, other),
        }
        format!(
            "Expected to find an object with property {} in path {} but found '{}'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
            fragment,
            self.normalized_prefix(i),
            java_class(found)
        )
    }

    fn not_an_array(&self, i: usize, found: &Value) -> String {
        if found.is_null() {
            return format!("The path {} is null", self.normalized_prefix(i));
        }
        let mut token = String::new();
        write_segment(&mut token, &self.segments[i]);
        format!(
            "Filter: {token} can only be applied to arrays. Current context is: {}",
            compact(found)
        )
    }

    /// Evaluates an indefinite path: everything that matches, in document order. Unlike
    /// Jayway on its own, AWS never fails an indefinite path: `$.item.items[*]` on `{}` gives
    /// `[]` (corpus cases `base__test_json_path_array_wildcard_or_slice_with_no_input__*`).
    fn select_indefinite<'a>(&self, root: &'a Value) -> Result<Vec<Cow<'a, Value>>, String> {
        if let Some((Segment::Children(names), init)) = self.segments.split_last() {
            let found = select_segments(init, root, root);
            return Ok(found
                .into_iter()
                .filter_map(|v| {
                    v.as_object()
                        .map(|m| Cow::Owned(merge_properties(m, names)))
                })
                .collect());
        }
        Ok(select_segments(&self.segments, root, root)
            .into_iter()
            .map(Cow::Borrowed)
            .collect())
    }

    fn normalized_prefix(&self, upto: usize) -> String {
        let mut out = String::from("$");
        for seg in &self.segments[..upto] {
            write_segment(&mut out, seg);
        }
        out
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Jayway's "multi-property merge": `['a','b']` as the last token gives one object with
/// the properties that exist.
fn merge_properties(m: &serde_json::Map<String, Value>, names: &[String]) -> Value {
    let mut out = serde_json::Map::new();
    for n in names {
        if let Some(v) = m.get(n) {
            out.insert(n.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Applies `segments` to `start`; `root` is what `$` means inside filters.
pub(crate) fn select_segments<'a>(
    segments: &[Segment],
    start: &'a Value,
    root: &'a Value,
) -> Vec<&'a Value> {
    let mut current: Vec<&'a Value> = vec![start];
    for seg in segments {
        let mut next = Vec::new();
        for v in current {
            select_one(seg, v, root, &mut next);
        }
        if next.is_empty() {
            return next;
        }
        current = next;
    }
    current
}

fn select_one<'a>(seg: &Segment, v: &'a Value, root: &'a Value, out: &mut Vec<&'a Value>) {
    match seg {
        Segment::Child(name) => {
            if let Some(x) = v.as_object().and_then(|m| json::field(m, name)) {
                out.push(x);
            }
        }
        Segment::Children(names) => {
            if let Value::Object(m) = v {
                for n in names {
                    if let Some(x) = m.get(n) {
                        out.push(x);
                    }
                }
            }
        }
        Segment::Index(i) => {
            if let Value::Array(items) = v
                && let Some(k) = resolve_index(*i, items.len())
            {
                out.push(&items[k]);
            }
        }
        Segment::Indexes(list) => {
            if let Value::Array(items) = v {
                for i in list {
                    if let Some(k) = resolve_index(*i, items.len()) {
                        out.push(&items[k]);
                    }
                }
            }
        }
        Segment::Slice(start, end, step) => {
            if let Value::Array(items) = v {
                for k in slice_indices(*start, *end, *step, items.len()) {
                    out.push(&items[k]);
                }
            }
        }
        Segment::Wildcard => match v {
            Value::Object(m) => out.extend(m.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        Segment::Filter(f) => match v {
            // Jayway applies a filter on an object to the object itself.
            Value::Object(_) if filter::test(f, v, root) => out.push(v),
            Value::Array(items) => {
                for item in items {
                    if filter::test(f, item, root) {
                        out.push(item);
                    }
                }
            }
            _ => {}
        },
        Segment::Function(_) => {}
        Segment::Descendant(inner) => {
            // Pre-order walk with an explicit stack, so deep documents cannot overflow.
            let mut stack: Vec<&'a Value> = vec![v];
            while let Some(node) = stack.pop() {
                match (&**inner, node) {
                    // Like Jayway, `..[?()]` yields every object (the start included) that
                    // satisfies the filter, in document order.
                    (Segment::Filter(f), Value::Object(_)) => {
                        if filter::test(f, node, root) {
                            out.push(node);
                        }
                    }
                    (Segment::Filter(_), _) => {}
                    (other, _) => select_one(other, node, root, out),
                }
                match node {
                    Value::Object(m) => stack.extend(m.values().rev()),
                    Value::Array(items) => stack.extend(items.iter().rev()),
                    _ => {}
                }
            }
        }
    }
}

fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let k = if i < 0 { len + i } else { i };
    if (0..len).contains(&k) {
        Some(k as usize)
    } else {
        None
    }
}

fn slice_indices(
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    if step == 0 {
        return Vec::new();
    }
    let norm = |x: i64| if x < 0 { len + x } else { x };
    let mut out = Vec::new();
    if step > 0 {
        let lo = norm(start.unwrap_or(0)).clamp(0, len);
        let hi = norm(end.unwrap_or(len)).clamp(0, len);
        let mut k = lo;
        while k < hi {
            out.push(k as usize);
            k += step;
        }
    } else {
        let hi = norm(start.unwrap_or(len - 1)).clamp(-1, len - 1);
        let lo = end.map(norm).unwrap_or(-1).clamp(-1, len - 1);
        let mut k = hi;
        while k > lo {
            out.push(k as usize);
            k += step;
        }
    }
    out
}

fn write_segment(out: &mut String, seg: &Segment) {
    match seg {
        Segment::Child(n) => {
            let _ = write!(out, "['{n}']");
        }
        Segment::Children(ns) => {
            out.push('[');
            for (i, n) in ns.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "'{n}'");
            }
            out.push(']');
        }
        Segment::Index(i) => {
            let _ = write!(out, "[{i}]");
        }
        Segment::Indexes(is) => {
            out.push('[');
            for (k, i) in is.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{i}");
            }
            out.push(']');
        }
        Segment::Slice(a, b, c) => {
            out.push('[');
            if let Some(a) = a {
                let _ = write!(out, "{a}");
            }
            out.push(':');
            if let Some(b) = b {
                let _ = write!(out, "{b}");
            }
            if let Some(c) = c {
                let _ = write!(out, ":{c}");
            }
            out.push(']');
        }
        Segment::Wildcard => out.push_str("[*]"),
        Segment::Filter(_) => out.push_str("[?]"),
        Segment::Descendant(inner) => {
            out.push_str("..");
            write_segment(out, inner);
        }
        Segment::Function(name) => {
            let _ = write!(out, ".{name}()");
        }
    }
}

/// The Java class name Jayway (with json-smart) reports for a value in its messages.
fn java_class(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_f64() => "java.lang.Double",
        Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
            "java.lang.Integer"
        }
        Value::Number(_) => "java.lang.Long",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "net.minidev.json.JSONArray",
        Value::Object(_) => "net.minidev.json.JSONObject",
    }
}

/// A hand-written recursive-descent parser for paths and filter expressions.
pub(crate) struct Parser<'s> {
    pub(crate) src: &'s str,
    pub(crate) pos: usize,
    start: usize,
    /// Inside an intrinsic call: `,`, `)` and whitespace end the path.
    embedded: bool,
    pub(crate) depth: usize,
}

impl<'s> Parser<'s> {
    pub(crate) fn new(src: &'s str, start: usize, embedded: bool) -> Parser<'s> {
        Parser {
            src,
            pos: start,
            start,
            embedded,
            depth: 0,
        }
    }

    pub(crate) fn err(&self, msg: &str) -> SyntaxError {
        SyntaxError::new(self.pos, msg)
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(crate) fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        if self.src[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    pub(crate) fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            Err(self.err("the path is nested too deeply"))
        } else {
            Ok(())
        }
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Parses `$`, `$$` or `$name`, then the segments.
    fn parse_path(&mut self) -> Result<Path, SyntaxError> {
        if !self.eat('$') {
            return Err(self.err("a path must start with '$'"));
        }
        let root = if self.eat('$') {
            PathRoot::Context
        } else if self.peek().is_some_and(is_ident_start) {
            let begin = self.pos;
            while self.peek().is_some_and(is_ident_continue) {
                self.pos += self.peek().map_or(1, char::len_utf8);
            }
            PathRoot::Variable(self.src[begin..self.pos].to_string())
        } else {
            PathRoot::Input
        };
        let segments = self.parse_segments()?;
        // Like Jayway, `['a','b']` as the last token is definite: it yields one object.
        let definite = match segments.split_last() {
            Some((Segment::Children(_), init)) => init.iter().all(Segment::is_definite),
            _ => segments.iter().all(Segment::is_definite),
        };
        Ok(Path {
            text: self.src[self.start..self.pos].to_string(),
            root,
            segments,
            definite,
        })
    }

    /// Parses segments until the end of the path.
    pub(crate) fn parse_segments(&mut self) -> Result<Vec<Segment>, SyntaxError> {
        let mut segments = Vec::new();
        while let Some(seg) = self.parse_segment()? {
            segments.push(seg);
        }
        Ok(segments)
    }

    /// Parses one segment, or returns `None` at the end of the path.
    pub(crate) fn parse_segment(&mut self) -> Result<Option<Segment>, SyntaxError> {
        match self.peek() {
            Some('.') => {
                if self.eat_str("..") {
                    let inner = match self.peek() {
                        Some('[') => self.parse_bracket()?,
                        Some('*') => {
                            self.pos += 1;
                            Segment::Wildcard
                        }
                        _ => Segment::Child(self.parse_dot_name()?),
                    };
                    Ok(Some(Segment::Descendant(Box::new(inner))))
                } else {
                    self.pos += 1;
                    if self.eat('*') {
                        Ok(Some(Segment::Wildcard))
                    } else if self.peek() == Some('[') {
                        // Jayway also accepts a bracket after a dot: `$.['a']`, `$.a.[0]`.
                        Ok(Some(self.parse_bracket()?))
                    } else {
                        let name = self.parse_dot_name()?;
                        if self.eat_str("()") {
                            if self.peek().is_some_and(|c| c == '.' || c == '[') {
                                return Err(self.err("a function must be the last part of a path"));
                            }
                            return Ok(Some(Segment::Function(name)));
                        }
                        Ok(Some(Segment::Child(name)))
                    }
                }
            }
            Some('[') => Ok(Some(self.parse_bracket()?)),
            _ => Ok(None),
        }
    }

    fn parse_dot_name(&mut self) -> Result<String, SyntaxError> {
        let begin = self.pos;
        while let Some(c) = self.peek() {
            let stop = match c {
                '.' | '[' => true,
                ',' | ')' if self.embedded => true,
                ']' | '(' | ')' | '\'' | '"' => true,
                c if c.is_whitespace() => true,
                _ => false,
            };
            if stop {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == begin {
            return Err(self.err("expected a property name"));
        }
        Ok(self.src[begin..self.pos].to_string())
    }

    fn parse_bracket(&mut self) -> Result<Segment, SyntaxError> {
        self.enter()?;
        self.pos += 1; // '['
        self.skip_ws();
        let seg = match self.peek() {
            Some('?') => {
                self.pos += 1;
                self.skip_ws();
                let f = filter::parse_or(self)?;
                Segment::Filter(Box::new(f))
            }
            Some('*') => {
                self.pos += 1;
                Segment::Wildcard
            }
            Some('\'') | Some('"') => {
                let mut names = vec![self.parse_quoted(true)?];
                loop {
                    self.skip_ws();
                    if !self.eat(',') {
                        break;
                    }
                    self.skip_ws();
                    names.push(self.parse_quoted(true)?);
                }
                if names.len() == 1 {
                    Segment::Child(names.pop().unwrap_or_default())
                } else {
                    Segment::Children(names)
                }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.parse_index_or_slice()?,
            _ => return Err(self.err("expected an index, a quoted name, '*' or a filter")),
        };
        self.skip_ws();
        if !self.eat(']') {
            return Err(self.err("expected ']'"));
        }
        self.leave();
        Ok(seg)
    }

    /// Parses a single- or double-quoted string; `\` escapes the next character.
    ///
    /// With `keep_backslashes` (bracket names such as `$['a\"b']`) the backslash stays in
    /// the name and only stops the next character from ending the string: AWS looks up the
    /// key `a\"b` literally (corpus case `ESCAPE_SEQUENCES_JSONPATH`). Filter string literals
    /// resolve escapes.
    pub(crate) fn parse_quoted(&mut self, keep_backslashes: bool) -> Result<String, SyntaxError> {
        let quote = match self.peek() {
            Some(q @ ('\'' | '"')) => q,
            _ => return Err(self.err("expected a quoted name")),
        };
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(SyntaxError::new(open, "unterminated string"));
                }
                Some('\\') => {
                    self.pos += 1;
                    if keep_backslashes {
                        out.push('\\');
                    }
                    match self.peek() {
                        Some(c) => {
                            out.push(c);
                            self.pos += c.len_utf8();
                        }
                        None => return Err(SyntaxError::new(open, "unterminated string")),
                    }
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(c) => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn parse_int(&mut self) -> Result<Option<i64>, SyntaxError> {
        self.skip_ws();
        let begin = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            if self.pos != begin {
                return Err(self.err("expected a digit"));
            }
            return Ok(None);
        }
        let text = &self.src[begin..self.pos];
        text.parse::<i64>()
            .map(Some)
            .map_err(|_| SyntaxError::new(begin, "the index is too large"))
    }

    fn parse_index_or_slice(&mut self) -> Result<Segment, SyntaxError> {
        let first = self.parse_int()?;
        self.skip_ws();
        if self.peek() == Some(':') {
            self.pos += 1;
            let end = self.parse_int()?;
            self.skip_ws();
            let step = if self.eat(':') {
                self.parse_int()?
            } else {
                None
            };
            if step == Some(0) {
                return Err(self.err("the slice step cannot be 0"));
            }
            return Ok(Segment::Slice(first, end, step));
        }
        let Some(first) = first else {
            return Err(self.err("expected an index"));
        };
        let mut list = vec![first];
        loop {
            self.skip_ws();
            if !self.eat(',') {
                break;
            }
            match self.parse_int()? {
                Some(i) => list.push(i),
                None => return Err(self.err("expected an index")),
            }
        }
        if list.len() == 1 {
            Ok(Segment::Index(first))
        } else {
            Ok(Segment::Indexes(list))
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}
