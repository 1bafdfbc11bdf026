//! The tree-walking evaluator: paths, predicates, grouping, operators and function calls.

use crate::ast::{BinOp, Group, Kind, Node, PathExpr, Stage, Step};
use crate::value::{CONS, Func, KEEP, OUTER, ObjMap, SEQ, ScopeId, TUPLES, Val, deep_equal};
use crate::{Env, Error};
use serde_json::Value;
use std::rc::Rc;
use std::sync::Arc;

/// One variable scope; closures keep their defining scope alive.
#[derive(Debug)]
pub(crate) struct Scope<'a> {
    pub parent: Option<ScopeId<'a>>,
    pub vars: std::cell::RefCell<Vec<(Arc<str>, Val<'a>)>>,
}

/// A tuple of bindings in a tuple stream; `@` is the context value.
pub(crate) type Tuple<'a> = Vec<(Arc<str>, Val<'a>)>;

/// The evaluation state for one call of `Expression::evaluate`.
pub(crate) struct Ev<'a, 'e> {
    /// Scopes that received `:=` bindings; cleared at the end to break reference cycles.
    pub bound: Vec<std::rc::Weak<Scope<'a>>>,
    pub env: &'e mut dyn Env,
    pub depth: usize,
    pub max_depth: usize,
    pub steps: u64,
    pub max_steps: u64,
    /// The scope of the innermost function call, for `$eval`.
    pub call_scope: Option<ScopeId<'a>>,
    /// The input (`$$`, named `$`) and the caller's bindings, outside every scope.
    pub globals: Vec<(&'a str, Val<'a>)>,
}

pub(crate) fn terr(code: &str, msg: impl Into<String>, pos: usize) -> Error {
    Error {
        code: code.to_string(),
        message: msg.into(),
        position: Some(pos),
    }
}

fn at_key() -> Arc<str> {
    Arc::from("@")
}

/// JSONata truthiness (`$boolean`), with undefined as false.
pub(crate) fn truthy(v: &Val) -> bool {
    match v {
        Val::Undef | Val::Null => false,
        Val::Bool(b) => *b,
        Val::Num(n) => *n != 0.0,
        Val::Str(s) => !s.is_empty(),
        Val::Func(_) => false,
        Val::Tuple(_) => true,
        _ if v.is_array() => match v.len() {
            0 => false,
            1 => truthy(&v.get(0)),
            _ => v.items().any(|x| truthy(&x)),
        },
        _ => !v.entries().is_empty(),
    }
}

/// Appends two values as `$append` does (undefined is the identity).
pub(crate) fn append<'a>(a: Val<'a>, b: Val<'a>) -> Val<'a> {
    if a.is_undef() {
        return b;
    }
    if b.is_undef() {
        return a;
    }
    let mut v = a.to_vec();
    v.extend(b.items());
    Val::array(v)
}

/// Normalises a sequence: empty becomes undefined and a singleton its only item.
pub(crate) fn normalize(v: Val) -> Val {
    match v {
        Val::Arr(items, f) if f & SEQ != 0 && f & TUPLES == 0 => {
            if items.is_empty() {
                Val::Undef
            } else if items.len() == 1 && f & KEEP == 0 {
                items[0].clone()
            } else {
                Val::Arr(items, f)
            }
        }
        other => other,
    }
}

fn tuple_get<'a>(t: &Tuple<'a>, key: &str) -> Val<'a> {
    t.iter()
        .find(|(k, _)| &**k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or(Val::Undef)
}

fn tuple_set<'a>(t: &mut Tuple<'a>, key: Arc<str>, v: Val<'a>) {
    if let Some(slot) = t.iter_mut().find(|(k, _)| *k == key) {
        slot.1 = v;
    } else {
        t.push((key, v));
    }
}

fn as_tuple<'a>(v: &Val<'a>) -> Tuple<'a> {
    match v {
        Val::Tuple(t) => (**t).clone(),
        other => vec![(at_key(), other.clone())],
    }
}

impl<'a, 'e> Ev<'a, 'e> {
    pub fn new_scope(&mut self, parent: &ScopeId<'a>) -> ScopeId<'a> {
        Rc::new(Scope {
            parent: Some(parent.clone()),
            vars: Default::default(),
        })
    }

    pub fn bind(&mut self, scope: &ScopeId<'a>, name: Arc<str>, v: Val<'a>) {
        let mut vars = scope.vars.borrow_mut();
        if vars.is_empty() {
            if self.bound.len() >= 64 && self.bound.len().is_power_of_two() {
                self.bound.retain(|w| w.strong_count() > 0);
            }
            self.bound.push(Rc::downgrade(scope));
        }
        if let Some(slot) = vars.iter_mut().find(|(k, _)| *k == name) {
            slot.1 = v;
        } else {
            vars.push((name, v));
        }
    }

    pub fn lookup(&self, scope: &ScopeId<'a>, name: &str) -> Option<Val<'a>> {
        let mut s = Some(scope);
        while let Some(sc) = s {
            if let Some((_, v)) = sc.vars.borrow().iter().rev().find(|(k, _)| &**k == name) {
                return Some(v.clone());
            }
            s = sc.parent.as_ref();
        }
        self.globals
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }

    fn frame_from_tuple(&mut self, scope: &ScopeId<'a>, t: &Tuple<'a>) -> ScopeId<'a> {
        let vars = t.iter().filter(|(k, _)| &**k != "@").cloned().collect();
        Rc::new(Scope {
            parent: Some(scope.clone()),
            vars: std::cell::RefCell::new(vars),
        })
    }

    fn post_filter(
        &mut self,
        mut v: Val<'a>,
        preds: &[Node],
        group: Option<&Group>,
        keep: bool,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        for p in preds {
            v = self.filter(v, p, scope)?;
        }
        if let Some(g) = group {
            v = self.eval_group(g, v, scope)?;
        }
        if keep && v.has_flag(SEQ) {
            v = v.with_flags(KEEP);
        }
        Ok(v)
    }

    /// Evaluates a node, counting depth and steps, and normalises sequences.
    pub fn eval(
        &mut self,
        node: &Node,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        Ok(normalize(self.eval_raw(node, input, scope)?))
    }

    /// Evaluates a node without normalising a resulting sequence.
    fn eval_raw(
        &mut self,
        node: &Node,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        self.depth += 1;
        self.steps += 1;
        if self.depth > self.max_depth || self.steps > self.max_steps {
            self.depth -= 1;
            return Err(limit_error(self.steps > self.max_steps, node.pos));
        }
        let r = self.eval_inner(node, input, scope);
        self.depth -= 1;
        r
    }

    fn eval_inner(
        &mut self,
        node: &Node,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        match &node.kind {
            Kind::Null => Ok(Val::Null),
            Kind::Bool(b) => Ok(Val::Bool(*b)),
            Kind::Num(n) => Ok(Val::Num(*n)),
            Kind::Str(s) => Ok(Val::Str(s.clone().into())),
            Kind::Name(n) => Ok(lookup_field(input, n, 0)),
            Kind::Path(p) => self.eval_path(p, input, scope),
            Kind::Call(f, args) => self.eval_call(f, args, input, scope, None),
            Kind::Cond(c, t, e) => self.eval_cond(c, t, e.as_deref(), input, scope),
            Kind::Binary(op, l, r) => self.eval_binary(*op, l, r, input, scope, node.pos),
            _ => self.eval_other(node, input, scope),
        }
    }

    #[inline(never)]
    fn eval_cond(
        &mut self,
        c: &Node,
        t: &Node,
        e: Option<&Node>,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        let cv = self.eval(c, input, scope)?;
        if truthy(&cv) {
            self.eval(t, input, scope)
        } else if let Some(e) = e {
            self.eval(e, input, scope)
        } else {
            Ok(Val::Undef)
        }
    }

    #[inline(never)]
    fn eval_other(
        &mut self,
        node: &Node,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        Ok(match &node.kind {
            Kind::Null => Val::Null,
            Kind::Bool(b) => Val::Bool(*b),
            Kind::Num(n) => Val::Num(*n),
            Kind::Str(s) => Val::Str(s.clone().into()),
            Kind::Regex(re) => Val::Func(Rc::new(Func::Regex(re.clone()))),
            Kind::Name(n) => lookup_field(input, n, 0),
            Kind::Var(name) => {
                if name.is_empty() {
                    if input.has_flag(OUTER) {
                        input.get(0)
                    } else {
                        input.clone()
                    }
                } else if let Some(v) = self.lookup(scope, name) {
                    v
                } else if let Some(b) = crate::functions::builtin(name) {
                    Val::Func(Rc::new(Func::Builtin(b)))
                } else {
                    Val::Undef
                }
            }
            Kind::Wildcard => {
                let mut out = Vec::new();
                let inp = if input.has_flag(OUTER) && input.len() > 0 {
                    input.get(0)
                } else {
                    input.clone()
                };
                if inp.is_array() {
                    flatten_into(&inp, &mut out, 0);
                } else if inp.is_object() {
                    for (_, v) in inp.entries() {
                        if v.is_array() {
                            flatten_into(&v, &mut out, 0);
                        } else {
                            out.push(v);
                        }
                    }
                }
                Val::seq(out)
            }
            Kind::Descendant => {
                if input.is_undef() {
                    Val::Undef
                } else {
                    let mut out = Vec::new();
                    descendants(input, &mut out, 0);
                    if out.len() == 1 {
                        out.pop().unwrap_or(Val::Undef)
                    } else {
                        Val::seq(out)
                    }
                }
            }
            Kind::Placeholder => Val::Undef,
            Kind::Parent(label) => self.lookup(scope, label).unwrap_or(Val::Undef),
            Kind::Neg(inner) => match self.eval(inner, input, scope)? {
                Val::Undef => Val::Undef,
                Val::Num(n) => Val::Num(-n),
                _ => return Err(terr("D1002", "Cannot negate a non-numeric value", node.pos)),
            },
            Kind::Block(items) => {
                let s = self.new_scope(scope);
                let mut last = Val::Undef;
                for it in items {
                    last = self.eval(it, input, &s)?;
                }
                last
            }
            Kind::Array(items, cons) => {
                let mut out = Vec::new();
                for it in items {
                    let v = self.eval(it, input, scope)?;
                    if v.is_undef() {
                        continue;
                    }
                    if matches!(it.kind, Kind::Array(..)) {
                        out.push(v);
                    } else if v.is_array() {
                        out.extend(v.items());
                    } else {
                        out.push(v);
                    }
                }
                Val::Arr(Rc::new(out), if *cons { CONS } else { 0 })
            }
            Kind::Object(group) => self.eval_group(group, input.clone(), scope)?,
            Kind::Transform(t) => Val::Func(Rc::new(Func::Transform {
                node: t.clone(),
                scope: scope.clone(),
            })),
            Kind::Lambda(def) => Val::Func(Rc::new(Func::Lambda {
                def: def.clone(),
                scope: scope.clone(),
                input: input.clone(),
            })),
            Kind::Path(p) => self.eval_path(p, input, scope)?,
            Kind::Filtered(inner, preds, group, keep) => {
                let v = if *keep {
                    self.eval_raw(inner, input, scope)?
                } else {
                    self.eval(inner, input, scope)?
                };
                self.post_filter(v, preds, group.as_ref(), *keep, scope)?
            }
            Kind::Call(f, args) => self.eval_call(f, args, input, scope, None)?,
            Kind::Partial(f, args) => {
                let fv = self.eval(f, input, scope)?;
                if !fv.is_func() {
                    let code = if is_named_function(f) {
                        "T1007"
                    } else {
                        "T1008"
                    };
                    return Err(terr(
                        code,
                        "Attempted to partially apply a non-function",
                        node.pos,
                    ));
                }
                let mut pargs = Vec::new();
                for a in args {
                    if matches!(a.kind, Kind::Placeholder) {
                        pargs.push(None);
                    } else {
                        pargs.push(Some(self.eval(a, input, scope)?));
                    }
                }
                Val::Func(Rc::new(Func::Partial { f: fv, args: pargs }))
            }
            Kind::Sort(terms) => {
                let items = input.to_vec();
                let sorted = self.sort_items(items, terms, scope, false)?;
                Val::seq(sorted)
            }
            Kind::Bind(name, value) => {
                let v = self.eval(value, input, scope)?;
                self.bind(scope, name.clone(), v.clone());
                v
            }
            Kind::Cond(c, t, e) => {
                let cv = self.eval(c, input, scope)?;
                if truthy(&cv) {
                    self.eval(t, input, scope)?
                } else if let Some(e) = e {
                    self.eval(e, input, scope)?
                } else {
                    Val::Undef
                }
            }
            Kind::Binary(op, l, r) => self.eval_binary(*op, l, r, input, scope, node.pos)?,
            Kind::Chain(l, r) => {
                let lhs = self.eval(l, input, scope)?;
                if let Kind::Filtered(inner, preds, group, keep) = &r.kind
                    && let Kind::Call(f, args) = &inner.kind
                {
                    let v = self.eval_call(f, args, input, scope, Some(lhs))?;
                    let v = if *keep { v } else { normalize(v) };
                    return self.post_filter(v, preds, group.as_ref(), *keep, scope);
                }
                if let Kind::Call(f, args) = &r.kind {
                    self.eval_call(f, args, input, scope, Some(lhs))?
                } else {
                    let f = self.eval(r, input, scope)?;
                    if !f.is_func() {
                        return Err(terr(
                            "T2006",
                            "The right side of the function application operator ~> must be a function",
                            r.pos,
                        ));
                    }
                    if lhs.is_func() {
                        Val::Func(Rc::new(Func::Compose(lhs, f)))
                    } else {
                        self.apply(&f, vec![lhs], input, r.pos)?
                    }
                }
            }
        })
    }

    fn eval_binary(
        &mut self,
        op: BinOp,
        l: &Node,
        r: &Node,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
        pos: usize,
    ) -> Result<Val<'a>, Error> {
        match op {
            BinOp::And => {
                let a = self.eval(l, input, scope)?;
                if !truthy(&a) {
                    return Ok(Val::Bool(false));
                }
                let b = self.eval(r, input, scope)?;
                return Ok(Val::Bool(truthy(&b)));
            }
            BinOp::Or => {
                let a = self.eval(l, input, scope)?;
                if truthy(&a) {
                    return Ok(Val::Bool(true));
                }
                let b = self.eval(r, input, scope)?;
                return Ok(Val::Bool(truthy(&b)));
            }
            BinOp::Coalesce => {
                let a = self.eval(l, input, scope)?;
                return if a.is_undef() {
                    self.eval(r, input, scope)
                } else {
                    Ok(a)
                };
            }
            BinOp::Elvis => {
                let a = self.eval(l, input, scope)?;
                return if truthy(&a) {
                    Ok(a)
                } else {
                    self.eval(r, input, scope)
                };
            }
            _ => {}
        }
        let a = self.eval(l, input, scope)?;
        let b = self.eval(r, input, scope)?;
        self.combine(op, a, b, l, r, pos)
    }

    #[inline(never)]
    fn combine(
        &mut self,
        op: BinOp,
        a: Val<'a>,
        b: Val<'a>,
        l: &Node,
        r: &Node,
        pos: usize,
    ) -> Result<Val<'a>, Error> {
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                if !a.is_undef() && a.as_num().is_none() {
                    return Err(terr(
                        "T2001",
                        format!(
                            "The left side of the {} operator must evaluate to a number",
                            op_name(op)
                        ),
                        l.pos,
                    ));
                }
                if !b.is_undef() && b.as_num().is_none() {
                    return Err(terr(
                        "T2002",
                        format!(
                            "The right side of the {} operator must evaluate to a number",
                            op_name(op)
                        ),
                        r.pos,
                    ));
                }
                let (Some(x), Some(y)) = (a.as_num(), b.as_num()) else {
                    return Ok(Val::Undef);
                };
                if !x.is_finite() || !y.is_finite() {
                    return Err(terr("D1001", "Number out of range", pos));
                }
                let v = match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::Div => x / y,
                    _ => x % y,
                };
                Ok(Val::Num(v))
            }
            BinOp::Eq | BinOp::Ne => {
                if a.is_undef() || b.is_undef() {
                    return Ok(Val::Bool(false));
                }
                let eq = deep_equal(&a, &b);
                Ok(Val::Bool(if op == BinOp::Eq { eq } else { !eq }))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let comparable = |v: &Val| matches!(v, Val::Undef | Val::Str(_) | Val::Num(_));
                if !comparable(&a) || !comparable(&b) {
                    return Err(terr(
                        "T2010",
                        format!(
                            "The expressions either side of operator \"{}\" must evaluate to numeric or string values",
                            op_name(op)
                        ),
                        pos,
                    ));
                }
                if a.is_undef() || b.is_undef() {
                    return Ok(Val::Undef);
                }
                let ord = match (&a, &b) {
                    (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
                    (Val::Str(x), Val::Str(y)) => Some(cmp_str(x, y)),
                    _ => {
                        return Err(terr(
                            "T2009",
                            format!(
                                "The values either side of operator \"{}\" must be of the same data type",
                                op_name(op)
                            ),
                            pos,
                        ));
                    }
                };
                let Some(ord) = ord else {
                    return Ok(Val::Bool(false));
                };
                use std::cmp::Ordering::*;
                Ok(Val::Bool(match op {
                    BinOp::Lt => ord == Less,
                    BinOp::Le => ord != Greater,
                    BinOp::Gt => ord == Greater,
                    _ => ord != Less,
                }))
            }
            BinOp::Concat => {
                let mut s = String::new();
                for v in [&a, &b] {
                    if !v.is_undef() {
                        s.push_str(&crate::functions::to_string(self, v, false)?);
                    }
                }
                Ok(Val::Str(s.into()))
            }
            BinOp::In => {
                if a.is_undef() || b.is_undef() {
                    return Ok(Val::Bool(false));
                }
                Ok(Val::Bool(b.items().any(|x| deep_equal(&x, &a))))
            }
            BinOp::Range => {
                let is_int = |v: &Val| matches!(v, Val::Num(n) if n.fract() == 0.0);
                if !a.is_undef() && !is_int(&a) {
                    return Err(terr(
                        "T2003",
                        "The left side of the range operator (..) must evaluate to an integer",
                        l.pos,
                    ));
                }
                if !b.is_undef() && !is_int(&b) {
                    return Err(terr(
                        "T2004",
                        "The right side of the range operator (..) must evaluate to an integer",
                        r.pos,
                    ));
                }
                let (Some(x), Some(y)) = (a.as_num(), b.as_num()) else {
                    return Ok(Val::Undef);
                };
                if x > y {
                    return Ok(Val::Undef);
                }
                let size = y - x + 1.0;
                if size > 1e7 {
                    return Err(terr(
                        "D2014",
                        format!(
                            "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {size}."
                        ),
                        pos,
                    ));
                }
                let (x, y) = (x as i64, y as i64);
                Ok(Val::array((x..=y).map(|i| Val::Num(i as f64)).collect()))
            }
            _ => Ok(Val::Undef),
        }
    }

    fn eval_path(
        &mut self,
        p: &PathExpr,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        if p.bare
            && p.group.is_none()
            && !p.keep_singleton
            && let [step] = p.steps.as_slice()
            && step.stages.is_empty()
        {
            return self.eval(&step.node, input, scope);
        }
        if let Some(v) = self.fast_path(p, input, scope) {
            return Ok(v);
        }
        let first_is_var = matches!(p.steps.first().map(|s| &s.node.kind), Some(Kind::Var(_)));
        let mut inp = if input.is_array() && !first_is_var {
            input.clone()
        } else {
            Val::seq(vec![input.clone()])
        };
        let mut result = Val::Undef;
        let mut tuples: Option<Vec<Tuple<'a>>> = None;
        let mut tuple_mode = false;
        let n = p.steps.len();
        for (i, step) in p.steps.iter().enumerate() {
            if step.tuple {
                tuple_mode = true;
            }
            if i == 0 && step.cons {
                result = self.eval(&step.node, &inp, scope)?;
            } else if tuple_mode {
                tuples = Some(self.eval_tuple_step(step, &inp, tuples.take(), scope)?);
            } else {
                result = self.eval_step(step, &inp, scope, i == n - 1)?;
            }
            if !tuple_mode && (result.is_undef() || (result.is_array() && result.len() == 0)) {
                break;
            }
            if step.focus.is_none() && !tuple_mode {
                inp = result.clone();
            }
        }
        if tuple_mode {
            let ts = tuples.unwrap_or_default();
            if let Some(g) = &p.group {
                let stream = Val::Arr(
                    Rc::new(ts.into_iter().map(|t| Val::Tuple(Rc::new(t))).collect()),
                    SEQ | TUPLES,
                );
                return self.eval_group(g, stream, scope);
            }
            if p.carry {
                // The enclosing step binds ancestors from this tuple stream.
                return Ok(Val::Arr(
                    Rc::new(ts.into_iter().map(|t| Val::Tuple(Rc::new(t))).collect()),
                    SEQ | TUPLES,
                ));
            }
            result = Val::seq(ts.iter().map(|t| tuple_get(t, "@")).collect());
        }
        if p.keep_singleton {
            if result.has_flag(CONS) && !result.has_flag(SEQ) {
                result = Val::seq(vec![result]);
            }
            result = result.with_flags(KEEP);
            if result.is_array() && !result.has_flag(SEQ) {
                result = result.with_flags(SEQ | KEEP);
            }
        }
        if let Some(g) = &p.group {
            result = self.eval_group(g, result, scope)?;
        }
        Ok(result)
    }

    /// Navigates a plain `$var.name.name` or `name.name` path through single objects
    /// without building sequences. Returns `None` when the general evaluation is needed.
    fn fast_path(&mut self, p: &PathExpr, input: &Val<'a>, scope: &ScopeId<'a>) -> Option<Val<'a>> {
        if p.group.is_some() || p.keep_singleton || p.tuple || p.carry {
            return None;
        }
        let plain = |s: &Step| {
            s.stages.is_empty()
                && s.focus.is_none()
                && s.index.is_none()
                && !s.tuple
                && !s.cons
                && s.ancestors.is_empty()
        };
        let first = p.steps.first()?;
        if !plain(first) {
            return None;
        }
        let mut cur = match &first.node.kind {
            Kind::Var(name) if !name.is_empty() && p.steps.len() >= 2 => {
                self.lookup(scope, name)?
            }
            Kind::Name(n) => match input {
                Val::Obj(_) | Val::Fields(_) | Val::Json(Value::Object(_)) => input.field(n),
                _ => return None,
            },
            _ => return None,
        };
        for step in &p.steps[1..] {
            if cur.is_undef() {
                break;
            }
            let Kind::Name(n) = &step.node.kind else {
                return None;
            };
            if !plain(step) {
                return None;
            }
            cur = match &cur {
                Val::Obj(_) | Val::Fields(_) | Val::Json(Value::Object(_)) => cur.field(n),
                _ if cur.is_array() => return None,
                Val::Tuple(_) | Val::Func(_) => return None,
                _ => Val::Undef,
            };
            if cur.is_undef() {
                break;
            }
        }
        // An array found by the last step is the result as it is (as `eval_step` keeps it),
        // unless it is a sequence, which the general path flattens.
        if cur.has_flag(SEQ) || matches!(cur, Val::Tuple(_) | Val::Func(_)) {
            return None;
        }
        self.steps += p.steps.len() as u64;
        Some(cur)
    }

    fn eval_step(
        &mut self,
        step: &Step,
        inp: &Val<'a>,
        scope: &ScopeId<'a>,
        last: bool,
    ) -> Result<Val<'a>, Error> {
        if let Kind::Sort(terms) = &step.node.kind {
            let sorted = self.sort_items(inp.to_vec(), terms, scope, false)?;
            let mut r = Val::seq(sorted);
            for st in &step.stages {
                if let Stage::Filter(p) = st {
                    r = self.filter(r, p, scope)?;
                }
            }
            return Ok(r);
        }
        let mut results = Vec::new();
        for item in inp.items() {
            let mut r = self.eval(&step.node, &item, scope)?;
            for st in &step.stages {
                if let Stage::Filter(p) = st {
                    r = self.filter(r, p, scope)?;
                }
            }
            if !r.is_undef() {
                results.push(r);
            }
        }
        if last && results.len() == 1 && results[0].is_array() && !results[0].has_flag(SEQ) {
            return Ok(results.pop().unwrap_or(Val::Undef));
        }
        let mut out = Vec::new();
        for r in results {
            if !r.is_array() || r.has_flag(CONS) {
                out.push(r);
            } else {
                out.extend(r.items());
            }
        }
        Ok(Val::seq(out))
    }

    fn eval_tuple_step(
        &mut self,
        step: &Step,
        inp: &Val<'a>,
        tuples: Option<Vec<Tuple<'a>>>,
        scope: &ScopeId<'a>,
    ) -> Result<Vec<Tuple<'a>>, Error> {
        let mut result: Vec<Tuple<'a>>;
        if let Kind::Sort(terms) = &step.node.kind {
            result = match tuples {
                Some(ts) => {
                    let items = ts.into_iter().map(|t| Val::Tuple(Rc::new(t))).collect();
                    self.sort_items(items, terms, scope, true)?
                        .iter()
                        .map(as_tuple)
                        .collect()
                }
                None => {
                    let sorted = self.sort_items(inp.to_vec(), terms, scope, false)?;
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = vec![(at_key(), v)];
                            if let Some(ix) = &step.index {
                                t.push((ix.clone(), Val::Num(i as f64)));
                            }
                            t
                        })
                        .collect()
                }
            };
        } else {
            let ts = tuples.unwrap_or_else(|| inp.items().map(|v| vec![(at_key(), v)]).collect());
            result = Vec::new();
            for t in ts {
                let s = self.frame_from_tuple(scope, &t);
                let ctx = tuple_get(&t, "@");
                let res = self.eval(&step.node, &ctx, &s)?;
                if res.is_undef() {
                    continue;
                }
                let is_tuples = res.has_flag(TUPLES);
                let items: Vec<Val<'a>> = if res.is_array() {
                    res.to_vec()
                } else {
                    vec![res]
                };
                for (bb, r) in items.into_iter().enumerate() {
                    let mut nt = t.clone();
                    if is_tuples {
                        for (k, v) in as_tuple(&r) {
                            tuple_set(&mut nt, k, v);
                        }
                    } else {
                        if let Some(f) = &step.focus {
                            tuple_set(&mut nt, f.clone(), r);
                        } else {
                            tuple_set(&mut nt, at_key(), r);
                        }
                        if let Some(ix) = &step.index {
                            tuple_set(&mut nt, ix.clone(), Val::Num(bb as f64));
                        }
                    }
                    for label in &step.ancestors {
                        tuple_set(&mut nt, label.clone(), ctx.clone());
                    }
                    result.push(nt);
                }
            }
        }
        for st in &step.stages {
            match st {
                Stage::Filter(p) => {
                    let stream = Val::Arr(
                        Rc::new(result.into_iter().map(|t| Val::Tuple(Rc::new(t))).collect()),
                        SEQ | TUPLES,
                    );
                    let filtered = self.filter(stream, p, scope)?;
                    result = filtered.items().map(|v| as_tuple(&v)).collect();
                }
                Stage::Index(name) => {
                    for (i, t) in result.iter_mut().enumerate() {
                        tuple_set(t, name.clone(), Val::Num(i as f64));
                    }
                }
            }
        }
        Ok(result)
    }

    /// Applies a predicate to a value, as a filter or an index.
    pub fn filter(
        &mut self,
        input: Val<'a>,
        pred: &Node,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        let tuple = input.has_flag(TUPLES);
        let items: Vec<Val<'a>> = if input.is_undef() {
            Vec::new()
        } else {
            input.to_vec()
        };
        let flags = if tuple { SEQ | TUPLES } else { SEQ };
        if let Kind::Num(n) = pred.kind {
            let len = items.len() as f64;
            let mut idx = n.floor();
            if idx < 0.0 {
                idx += len;
            }
            if idx >= 0.0 && idx < len {
                let item = items[idx as usize].clone();
                if item.is_array() && !tuple {
                    return Ok(item);
                }
                return Ok(Val::Arr(Rc::new(vec![item]), flags));
            }
            return Ok(Val::Arr(Rc::new(Vec::new()), flags));
        }
        let len = items.len();
        let mut out = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let (ctx, s) = if let Val::Tuple(t) = &item {
                let s = self.frame_from_tuple(scope, t);
                (tuple_get(t, "@"), s)
            } else {
                (item.clone(), scope.clone())
            };
            let res = self.eval(pred, &ctx, &s)?;
            let nums: Option<Vec<f64>> = match &res {
                Val::Num(n) => Some(vec![*n]),
                v if v.is_array() && v.items().all(|x| matches!(x, Val::Num(_))) => {
                    Some(v.items().filter_map(|x| x.as_num()).collect())
                }
                _ => None,
            };
            if let Some(nums) = nums {
                for n in nums {
                    let mut ii = n.floor();
                    if ii < 0.0 {
                        ii += len as f64;
                    }
                    if ii == index as f64 {
                        out.push(item.clone());
                    }
                }
            } else if truthy(&res) {
                out.push(item);
            }
        }
        Ok(Val::Arr(Rc::new(out), flags))
    }

    fn sort_items(
        &mut self,
        items: Vec<Val<'a>>,
        terms: &[(Node, bool)],
        scope: &ScopeId<'a>,
        tuples: bool,
    ) -> Result<Vec<Val<'a>>, Error> {
        // Evaluate the sort keys once per item, then merge-sort on them.
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let mut keys = Vec::with_capacity(terms.len());
            for (term, _) in terms {
                let (ctx, s) = if let (true, Val::Tuple(t)) = (tuples, &item) {
                    let s = self.frame_from_tuple(scope, t);
                    (tuple_get(t, "@"), s)
                } else {
                    (item.clone(), scope.clone())
                };
                let k = self.eval(term, &ctx, &s)?;
                if !matches!(k, Val::Undef | Val::Num(_) | Val::Str(_)) {
                    return Err(terr(
                        "T2008",
                        "The expressions within an order-by clause must evaluate to numeric or string values",
                        term.pos,
                    ));
                }
                keys.push(k);
            }
            keyed.push((keys, item));
        }
        // Check that each term's keys share one type.
        for (ti, (term, _)) in terms.iter().enumerate() {
            let mut seen: Option<char> = None;
            for (keys, _) in &keyed {
                let s = keys[ti].symbol();
                if s == 'm' {
                    continue;
                }
                match seen {
                    None => seen = Some(s),
                    Some(t) if t != s => {
                        return Err(terr(
                            "T2007",
                            "Type mismatch when comparing values in order-by clause",
                            term.pos,
                        ));
                    }
                    _ => {}
                }
            }
        }
        let mut err = None;
        let sorted = merge_sort(keyed, &mut |a, b| {
            for (ti, (_, desc)) in terms.iter().enumerate() {
                let (x, y) = (&a.0[ti], &b.0[ti]);
                let ord = match (x, y) {
                    (Val::Undef, Val::Undef) => std::cmp::Ordering::Equal,
                    (Val::Undef, _) => return Ok(true),
                    (_, Val::Undef) => return Ok(false),
                    (Val::Num(p), Val::Num(q)) => {
                        p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal)
                    }
                    (Val::Str(p), Val::Str(q)) => cmp_str(p, q),
                    _ => std::cmp::Ordering::Equal,
                };
                if ord == std::cmp::Ordering::Equal {
                    continue;
                }
                let swap = ord == std::cmp::Ordering::Greater;
                return Ok(if *desc { !swap } else { swap });
            }
            Ok(false)
        });
        let sorted = match sorted {
            Ok(s) => s,
            Err(e) => {
                err = Some(e);
                Vec::new()
            }
        };
        if let Some(e) = err {
            return Err(e);
        }
        Ok(sorted.into_iter().map(|(_, v)| v).collect())
    }

    pub fn eval_group(
        &mut self,
        group: &Group,
        input: Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        let reduce = input.has_flag(TUPLES);
        if !reduce && !input.is_array() {
            return self.eval_object(group, &input, scope);
        }
        let mut items: Vec<Val<'a>> = if input.is_array() {
            input.to_vec()
        } else {
            vec![input]
        };
        if items.is_empty() {
            items.push(Val::Undef);
        }
        let mut groups: indexmap::IndexMap<Rc<str>, (Val<'a>, usize), crate::value::Hasher> =
            Default::default();
        for item in items {
            let (ctx, s) = if let (true, Val::Tuple(t)) = (reduce, &item) {
                let s = self.frame_from_tuple(scope, t);
                (tuple_get(t, "@"), s)
            } else {
                (item.clone(), scope.clone())
            };
            for (pi, (k, _)) in group.pairs.iter().enumerate() {
                let key = self.eval(k, &ctx, &s)?;
                match key {
                    Val::Undef => {}
                    Val::Str(key) => {
                        if let Some(entry) = groups.get_mut(&*key) {
                            if entry.1 != pi {
                                return Err(terr(
                                    "D1009",
                                    format!(
                                        "Multiple key definitions evaluate to same key: {}",
                                        &*key
                                    ),
                                    group.pos,
                                ));
                            }
                            let data = std::mem::replace(&mut entry.0, Val::Undef);
                            entry.0 = if reduce {
                                append_tuple(data, item.clone())
                            } else {
                                append(data, item.clone())
                            };
                        } else {
                            groups.insert(Rc::from(&*key), (item.clone(), pi));
                        }
                    }
                    _ => {
                        return Err(terr(
                            "T1003",
                            "Key in object structure must evaluate to a string",
                            k.pos,
                        ));
                    }
                }
            }
        }
        let mut out = ObjMap::default();
        for (key, (data, pi)) in groups {
            let (ctx, s) = if reduce {
                let t = reduce_tuples(&data);
                let s = self.frame_from_tuple(scope, &t);
                (tuple_get(&t, "@"), s)
            } else {
                (data, scope.clone())
            };
            let v = self.eval(&group.pairs[pi].1, &ctx, &s)?;
            if !v.is_undef() {
                out.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(out)))
    }

    /// An object constructor over a single context value (the common `{"k": v, ..}`): the
    /// grouping of [`Ev::eval_group`] without its maps, in the same order (every key first,
    /// then the values).
    fn eval_object(
        &mut self,
        group: &Group,
        input: &Val<'a>,
        scope: &ScopeId<'a>,
    ) -> Result<Val<'a>, Error> {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(group.pairs.len());
        for (pi, (k, _)) in group.pairs.iter().enumerate() {
            match self.eval(k, input, scope)? {
                Val::Undef => {}
                Val::Str(key) => {
                    if keys.iter().any(|(x, _)| **x == *key) {
                        return Err(terr(
                            "D1009",
                            format!("Multiple key definitions evaluate to same key: {}", &*key),
                            group.pos,
                        ));
                    }
                    let key = match key {
                        crate::value::Text::Owned(rc) => rc,
                        other => Rc::from(&*other),
                    };
                    keys.push((key, pi));
                }
                _ => {
                    return Err(terr(
                        "T1003",
                        "Key in object structure must evaluate to a string",
                        k.pos,
                    ));
                }
            }
        }
        let mut out = ObjMap::with_capacity_and_hasher(keys.len(), Default::default());
        for (key, pi) in keys {
            let v = self.eval(&group.pairs[pi].1, input, scope)?;
            if !v.is_undef() {
                out.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(out)))
    }

    fn eval_call(
        &mut self,
        f: &Node,
        args: &[Node],
        input: &Val<'a>,
        scope: &ScopeId<'a>,
        applyto: Option<Val<'a>>,
    ) -> Result<Val<'a>, Error> {
        self.call_scope = Some(scope.clone());
        let fv = self.eval(f, input, scope)?;
        if !fv.is_func() {
            if is_named_function(f) {
                return Err(terr(
                    "T1005",
                    "Attempted to invoke a non-function. Did you mean to use a $ prefix?",
                    f.pos,
                ));
            }
            return Err(terr("T1006", "Attempted to invoke a non-function", f.pos));
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        if let Some(a) = applyto {
            vals.push(a);
        }
        for a in args {
            vals.push(self.eval(a, input, scope)?);
        }
        self.call_scope = Some(scope.clone());
        self.apply(&fv, vals, input, f.pos)
    }

    /// Applies a function value to arguments; tail calls run in a loop.
    pub fn apply(
        &mut self,
        f: &Val<'a>,
        args: Vec<Val<'a>>,
        input: &Val<'a>,
        pos: usize,
    ) -> Result<Val<'a>, Error> {
        let mut f = f.clone();
        let mut args = args;
        loop {
            self.steps += 1;
            if self.steps > self.max_steps {
                return Err(terr(
                    "U1001",
                    "Expression evaluation exceeded the step budget",
                    pos,
                ));
            }
            let Val::Func(func) = &f else {
                return Err(terr("T1006", "Attempted to invoke a non-function", pos));
            };
            let func = func.clone();
            match &*func {
                Func::Builtin(b) => {
                    return self.call_builtin(b, std::mem::take(&mut args), input, pos);
                }
                Func::Lambda {
                    def,
                    scope,
                    input: cap,
                } => {
                    let taken = std::mem::take(&mut args);
                    let vargs = match &def.signature {
                        Some(sig) => sig.validate(taken, input, "lambda")?,
                        None => taken,
                    };
                    let s = self.new_scope(scope);
                    for (i, p) in def.params.iter().enumerate() {
                        let v = vargs.get(i).cloned().unwrap_or(Val::Undef);
                        s.vars.borrow_mut().push((p.clone(), v));
                    }
                    if def.thunk {
                        let Kind::Call(cf, cargs) = &def.body.kind else {
                            return self.eval(&def.body, cap, &s);
                        };
                        let fv = self.eval(cf, cap, &s)?;
                        if !fv.is_func() {
                            if is_named_function(cf) {
                                return Err(terr(
                                    "T1005",
                                    "Attempted to invoke a non-function. Did you mean to use a $ prefix?",
                                    cf.pos,
                                ));
                            }
                            return Err(terr(
                                "T1006",
                                "Attempted to invoke a non-function",
                                cf.pos,
                            ));
                        }
                        let mut vals = Vec::with_capacity(cargs.len());
                        for a in cargs {
                            vals.push(self.eval(a, cap, &s)?);
                        }
                        f = fv;
                        args = vals;
                        continue;
                    }
                    let r = self.eval(&def.body, cap, &s)?;
                    if let Val::Func(rf) = &r
                        && let Func::Lambda { def, .. } = &**rf
                        && def.thunk
                    {
                        f = r.clone();
                        args = Vec::new();
                        continue;
                    }
                    return Ok(r);
                }
                Func::Partial {
                    f: inner,
                    args: pargs,
                } => {
                    let mut it = std::mem::take(&mut args).into_iter();
                    let full: Vec<Val<'a>> = pargs
                        .iter()
                        .map(|a| match a {
                            Some(v) => v.clone(),
                            None => it.next().unwrap_or(Val::Undef),
                        })
                        .collect();
                    f = inner.clone();
                    args = full;
                    continue;
                }
                Func::Compose(f1, f2) => {
                    let r = self.apply(f1, std::mem::take(&mut args), input, pos)?;
                    f = f2.clone();
                    args = vec![r];
                    continue;
                }
                Func::Regex(re) => {
                    let s = args.first().cloned().unwrap_or(Val::Undef);
                    return crate::functions::regex_match_object(self, re, &s, 0);
                }
                Func::Transform { node, scope } => {
                    let v = std::mem::take(&mut args)
                        .into_iter()
                        .next()
                        .unwrap_or(Val::Undef);
                    return self.transform(node, scope, v, pos);
                }
            }
        }
    }

    #[inline(never)]
    fn call_builtin(
        &mut self,
        b: &'static crate::functions::Builtin,
        args: Vec<Val<'a>>,
        input: &Val<'a>,
        pos: usize,
    ) -> Result<Val<'a>, Error> {
        let ctx;
        let input = if input.has_flag(OUTER) {
            ctx = input.get(0);
            &ctx
        } else {
            input
        };
        let args = b
            .signature()
            .validate(args, input, b.name)
            .map_err(|mut e| {
                e.position = Some(pos);
                e
            })?;
        // Built-in calls count towards the depth: higher-order functions recurse through them.
        self.depth += 1;
        if self.depth > self.max_depth {
            self.depth -= 1;
            return Err(limit_error(false, pos));
        }
        let r = crate::functions::call(self, b, args, input, pos);
        self.depth -= 1;
        r
    }

    /// The number of parameters a function expects, for higher-order functions.
    pub fn arity(&self, f: &Val<'a>) -> usize {
        match f {
            Val::Func(func) => match &**func {
                Func::Lambda { def, .. } => def.params.len(),
                Func::Builtin(b) => b.arity(),
                Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
                Func::Compose(f1, _) => self.arity(f1),
                _ => 1,
            },
            _ => 0,
        }
    }

    fn transform(
        &mut self,
        t: &Arc<crate::value::TransformNodes>,
        scope: &ScopeId<'a>,
        v: Val<'a>,
        pos: usize,
    ) -> Result<Val<'a>, Error> {
        if v.is_undef() {
            return Ok(Val::Undef);
        }
        let cloned = deep_clone(&v, 0)?;
        let matches = self.eval(&t.pattern, &cloned, scope)?;
        let mut edits: Vec<Edit<'a>> = Vec::new();
        for m in matches.items() {
            let Val::Obj(rc) = &m else { continue };
            let ptr = Rc::as_ptr(rc) as *const ();
            let update = self.eval(&t.update, &m, scope)?;
            let update = if update.is_undef() {
                None
            } else if update.is_object() {
                Some(update)
            } else {
                return Err(terr(
                    "T2011",
                    "The insert/update clause of the transform expression must evaluate to an object",
                    t.update.pos,
                ));
            };
            let mut deletes = Vec::new();
            if let Some(d) = &t.delete {
                let dv = self.eval(d, &m, scope)?;
                if !dv.is_undef() {
                    for item in dv.items() {
                        match item {
                            Val::Str(s) => deletes.push(Rc::<str>::from(&*s)),
                            _ => {
                                return Err(terr(
                                    "T2012",
                                    "The delete clause of the transform expression must evaluate to a string or array of strings",
                                    d.pos,
                                ));
                            }
                        }
                    }
                }
            }
            edits.push((ptr, update, deletes));
        }
        let _ = pos;
        if edits.is_empty() {
            return Ok(cloned);
        }
        rebuild(&cloned, &edits, 0)
    }
}

#[cold]
#[inline(never)]
fn limit_error(steps: bool, pos: usize) -> Error {
    if steps {
        return terr(
            "U1001",
            "Expression evaluation exceeded the step budget",
            pos,
        );
    }
    terr(
        "U1001",
        "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
        pos,
    )
}

fn is_named_function(f: &Node) -> bool {
    if let Kind::Path(p) = &f.kind
        && p.steps.len() == 1
        && let Kind::Name(n) = &p.steps[0].node.kind
    {
        return crate::functions::builtin(n).is_some();
    }
    false
}

fn op_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        _ => "?",
    }
}

/// Compares strings by UTF-16 code units, as JavaScript does.
pub(crate) fn cmp_str(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A stable merge sort with a fallible "should swap" comparator.
pub(crate) fn merge_sort<T: Clone, E>(
    items: Vec<T>,
    swap: &mut dyn FnMut(&T, &T) -> Result<bool, E>,
) -> Result<Vec<T>, E> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut v = items;
    let right = v.split_off(v.len() / 2);
    let left = merge_sort(v, swap)?;
    let right = merge_sort(right, swap)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if swap(&left[i], &right[j])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

fn append_tuple<'a>(a: Val<'a>, b: Val<'a>) -> Val<'a> {
    let mut v = if a.is_array() { a.to_vec() } else { vec![a] };
    v.push(b);
    Val::Arr(Rc::new(v), SEQ | TUPLES)
}

fn reduce_tuples<'a>(data: &Val<'a>) -> Tuple<'a> {
    match data {
        Val::Tuple(t) => (**t).clone(),
        v if v.is_array() => {
            let items = v.to_vec();
            let mut result = items.first().map(as_tuple).unwrap_or_default();
            for it in items.iter().skip(1) {
                for (k, val) in as_tuple(it) {
                    let existing = tuple_get(&result, &k);
                    tuple_set(&mut result, k, append(existing, val));
                }
            }
            result
        }
        other => as_tuple(other),
    }
}

/// Looks a field up, mapping over arrays and flattening the results.
pub(crate) fn lookup_field<'a>(v: &Val<'a>, key: &str, depth: usize) -> Val<'a> {
    if v.is_array() {
        let mut out = Vec::new();
        if depth > 1000 {
            return Val::Undef;
        }
        for item in v.items() {
            let r = lookup_field(&item, key, depth + 1);
            if r.is_array() {
                out.extend(r.items());
            } else if !r.is_undef() {
                out.push(r);
            }
        }
        Val::seq(out)
    } else {
        v.field(key)
    }
}

fn flatten_into<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>, depth: usize) {
    if v.is_array() && depth < 1000 {
        for it in v.items() {
            flatten_into(&it, out, depth + 1);
        }
    } else if !v.is_undef() {
        out.push(v.clone());
    }
}

fn descendants<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>, depth: usize) {
    if depth > 1000 {
        return;
    }
    if v.is_array() {
        for it in v.items() {
            descendants(&it, out, depth + 1);
        }
    } else {
        out.push(v.clone());
        if v.is_object() {
            for (_, c) in v.entries() {
                descendants(&c, out, depth + 1);
            }
        }
    }
}

/// Copies a value into fresh objects so that each object has its own identity.
fn deep_clone<'a>(v: &Val<'a>, depth: usize) -> Result<Val<'a>, Error> {
    if depth > 1000 {
        return Err(Error::new(
            "U1001",
            "The value is nested too deeply to transform",
        ));
    }
    Ok(if v.is_array() {
        let mut out = Vec::with_capacity(v.len());
        for it in v.items() {
            out.push(deep_clone(&it, depth + 1)?);
        }
        Val::Arr(Rc::new(out), v.flags() & !(SEQ | TUPLES | OUTER))
    } else if v.is_object() {
        let mut m = ObjMap::default();
        for (k, c) in v.entries() {
            m.insert(k, deep_clone(&c, depth + 1)?);
        }
        Val::Obj(Rc::new(m))
    } else {
        v.clone()
    })
}

type Edit<'a> = (*const (), Option<Val<'a>>, Vec<Rc<str>>);

fn rebuild<'a>(v: &Val<'a>, edits: &[Edit<'a>], depth: usize) -> Result<Val<'a>, Error> {
    if depth > 1000 {
        return Err(Error::new(
            "U1001",
            "The value is nested too deeply to transform",
        ));
    }
    Ok(match v {
        Val::Arr(items, f) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items.iter() {
                out.push(rebuild(it, edits, depth + 1)?);
            }
            Val::Arr(Rc::new(out), *f)
        }
        Val::Obj(rc) => {
            let ptr = Rc::as_ptr(rc) as *const ();
            let mut m = ObjMap::default();
            for (k, c) in rc.iter() {
                m.insert(k.clone(), rebuild(c, edits, depth + 1)?);
            }
            for (p, update, deletes) in edits {
                if *p == ptr {
                    if let Some(u) = update {
                        for (k, val) in u.entries() {
                            m.insert(k, val);
                        }
                    }
                    for d in deletes {
                        m.shift_remove(d);
                    }
                }
            }
            Val::Obj(Rc::new(m))
        }
        other => other.clone(),
    })
}
