//! The raw syntax tree from the parser and the processed tree that the evaluator runs.

use crate::Error;
use crate::signature::Signature;
use std::sync::Arc;

/// A raw syntax node, as parsed.
#[derive(Debug)]
pub(crate) struct Raw {
    pub kind: RawKind,
    pub pos: usize,
}

/// The kinds of raw syntax nodes.
#[derive(Debug)]
pub(crate) enum RawKind {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Regex(String, String),
    Name(String),
    Var(String),
    Wildcard,
    Descendant,
    Parent,
    Placeholder,
    Neg(Box<Raw>),
    Block(Vec<Raw>),
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    Transform(Box<Raw>, Box<Raw>, Option<Box<Raw>>),
    Lambda(Vec<String>, Option<(String, usize)>, Box<Raw>),
    Dot(Box<Raw>, Box<Raw>),
    KeepArray(Box<Raw>),
    Pred(Box<Raw>, Box<Raw>),
    Group(Box<Raw>, Vec<(Raw, Raw)>),
    Call(Box<Raw>, Vec<Raw>),
    Focus(Box<Raw>, String),
    Index(Box<Raw>, String),
    Sort(Box<Raw>, Vec<(Raw, bool)>),
    Bind(String, Box<Raw>),
    Cond(Box<Raw>, Box<Raw>, Option<Box<Raw>>),
    Binary(&'static str, Box<Raw>, Box<Raw>),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
    Coalesce,
    Elvis,
}

/// A stage applied to a path step's results: a filter or an index binding.
#[derive(Debug)]
pub(crate) enum Stage {
    Filter(Node),
    Index(Arc<str>),
}

/// One step of a path.
#[derive(Debug)]
pub(crate) struct Step {
    pub node: Node,
    pub stages: Vec<Stage>,
    pub focus: Option<Arc<str>>,
    pub index: Option<Arc<str>>,
    pub tuple: bool,
    pub cons: bool,
    /// Labels bound to this step's input, for the parent operator `%`.
    pub ancestors: Vec<Arc<str>>,
}

/// A location path.
#[derive(Debug)]
pub(crate) struct PathExpr {
    pub steps: Vec<Step>,
    pub keep_singleton: bool,
    pub group: Option<Group>,
    pub tuple: bool,
    /// The path returns its tuple stream, so an enclosing step can bind ancestors.
    pub carry: bool,
    /// The path only wraps a non-path expression to carry a focus or index binding; on its
    /// own it evaluates to that expression.
    pub bare: bool,
}

/// A grouping object constructor.
#[derive(Debug)]
pub(crate) struct Group {
    pub pairs: Vec<(Node, Node)>,
    pub pos: usize,
}

/// A lambda definition.
#[derive(Debug)]
pub(crate) struct LambdaDef {
    pub params: Vec<Arc<str>>,
    pub signature: Option<Signature>,
    pub body: Node,
    pub thunk: bool,
}

/// A processed syntax node.
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: usize,
}

/// The kinds of processed nodes.
#[derive(Debug)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Num(f64),
    Str(Arc<str>),
    Regex(Arc<crate::regex::Re>),
    Name(Arc<str>),
    Var(Arc<str>),
    Wildcard,
    Descendant,
    Placeholder,
    /// The parent operator, reading the ancestor bound under this label.
    Parent(Arc<str>),
    Neg(Box<Node>),
    Block(Vec<Node>),
    Array(Vec<Node>, bool),
    Object(Group),
    Transform(Arc<crate::value::TransformNodes>),
    Lambda(Arc<LambdaDef>),
    Path(Box<PathExpr>),
    /// A non-path expression with predicates, a grouping or the keep-array flag.
    Filtered(Box<Node>, Vec<Node>, Option<Group>, bool),
    Call(Box<Node>, Vec<Node>),
    Partial(Box<Node>, Vec<Node>),
    Sort(Vec<(Node, bool)>),
    Bind(Arc<str>, Box<Node>),
    Cond(Box<Node>, Box<Node>, Option<Box<Node>>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Chain(Box<Node>, Box<Node>),
}

fn err(code: &str, msg: impl Into<String>, pos: usize) -> Error {
    Error {
        code: code.to_string(),
        message: msg.into(),
        position: Some(pos),
    }
}

/// Converts the raw tree into the evaluated tree, restructuring paths, predicates and groups.
pub(crate) struct Processor {
    label: usize,
    /// Parent operators still looking for the step that provides their ancestor.
    pub pending: Vec<Slot>,
    /// The position of a parent operator whose ancestor cannot be derived.
    pub invalid: Option<usize>,
}

/// A parent operator's request: its label and how many levels up it looks.
pub(crate) struct Slot {
    label: Arc<str>,
    level: usize,
    pub pos: usize,
}

impl Processor {
    pub fn new() -> Self {
        Processor {
            label: 0,
            pending: Vec::new(),
            invalid: None,
        }
    }

    /// Resolves parent slots against the steps of a path, from step `base` backwards.
    fn resolve(&mut self, steps: &mut [Step], base: usize, slots: Vec<Slot>) {
        for slot in slots {
            if slot.level == 0 {
                // A slot from a predicate on a non-path step binds that step's input.
                match steps.get_mut(base) {
                    Some(step)
                        if matches!(
                            step.node.kind,
                            Kind::Name(_)
                                | Kind::Wildcard
                                | Kind::Descendant
                                | Kind::Path(_)
                                | Kind::Block(_)
                                | Kind::Filtered(..)
                        ) =>
                    {
                        step.ancestors.push(slot.label);
                        step.tuple = true;
                    }
                    Some(_) => {
                        self.invalid.get_or_insert(slot.pos);
                    }
                    None => self.pending.push(Slot { level: 1, ..slot }),
                }
                continue;
            }
            match self.seek_steps(steps, base, slot.level, &slot.label) {
                Ok(0) => {}
                Ok(lvl) => self.pending.push(Slot {
                    label: slot.label,
                    level: lvl,
                    pos: slot.pos,
                }),
                Err(()) => {
                    // The parent of a constructed or variable value cannot be derived.
                    self.invalid.get_or_insert(slot.pos);
                }
            }
        }
    }

    /// Walks the steps before `end` backwards, consuming `level` ancestors; the label goes
    /// on the step whose input is the ancestor. Returns the levels still to be found.
    fn seek_steps(
        &mut self,
        steps: &mut [Step],
        end: usize,
        level: usize,
        label: &Arc<str>,
    ) -> Result<usize, ()> {
        let mut lvl = level;
        let mut j = end.min(steps.len());
        while lvl > 0 && j > 0 {
            j -= 1;
            // Contiguous steps that bind a focus variable count as one step: the first.
            while j > 0 && steps[j].focus.is_some() && steps[j - 1].focus.is_some() {
                j -= 1;
            }
            let step = &mut steps[j];
            match &mut step.node.kind {
                Kind::Parent(_) => lvl += 1,
                Kind::Name(_) | Kind::Wildcard | Kind::Descendant => {
                    lvl -= 1;
                    if lvl == 0 {
                        step.ancestors.push(label.clone());
                        step.tuple = true;
                    }
                }
                Kind::Block(items) => {
                    // The ancestor is found inside the block's last expression.
                    if let Some(last) = items.last_mut() {
                        step.tuple = true;
                        lvl = self.seek_node(last, lvl, label)?;
                    }
                }
                Kind::Path(p) => {
                    step.tuple = true;
                    p.carry = true;
                    let n = p.steps.len();
                    lvl = self.seek_steps(&mut p.steps, n, lvl, label)?;
                    p.tuple = p.steps.iter().any(|s| s.tuple);
                }
                Kind::Filtered(..) => {
                    lvl -= 1;
                    if lvl == 0 {
                        step.ancestors.push(label.clone());
                        step.tuple = true;
                    }
                }
                _ => {
                    lvl -= 1;
                    if lvl == 0 {
                        return Err(());
                    }
                }
            }
        }
        Ok(lvl)
    }

    /// Looks for an ancestor inside an expression used as a path step.
    fn seek_node(&mut self, node: &mut Node, level: usize, label: &Arc<str>) -> Result<usize, ()> {
        match &mut node.kind {
            Kind::Path(p) => {
                p.carry = true;
                let n = p.steps.len();
                let lvl = self.seek_steps(&mut p.steps, n, level, label)?;
                p.tuple = p.steps.iter().any(|s| s.tuple);
                Ok(lvl)
            }
            Kind::Block(items) => match items.last_mut() {
                Some(last) => self.seek_node(last, level, label),
                None => Ok(level),
            },
            Kind::Parent(_) => Ok(level + 1),
            _ => Err(()),
        }
    }

    pub fn process(&mut self, raw: Raw) -> Result<Node, Error> {
        let pos = raw.pos;
        let node = |kind| Ok(Node { kind, pos });
        match raw.kind {
            RawKind::Null => node(Kind::Null),
            RawKind::Bool(b) => node(Kind::Bool(b)),
            RawKind::Num(n) => node(Kind::Num(n)),
            RawKind::Str(s) => node(Kind::Str(s.into())),
            RawKind::Regex(p, f) => {
                let re = crate::regex::Re::new(&p, &f).map_err(|m| err("S0301", m, pos))?;
                node(Kind::Regex(Arc::new(re)))
            }
            RawKind::Name(n) => Ok(self.path_of(Node {
                kind: Kind::Name(n.into()),
                pos,
            })),
            RawKind::Var(v) => node(Kind::Var(v.into())),
            RawKind::Wildcard => Ok(self.path_of(Node {
                kind: Kind::Wildcard,
                pos,
            })),
            RawKind::Descendant => Ok(self.path_of(Node {
                kind: Kind::Descendant,
                pos,
            })),
            RawKind::Parent => {
                let label: Arc<str> = format!("!{}", self.label).into();
                self.label += 1;
                self.pending.push(Slot {
                    label: label.clone(),
                    level: 1,
                    pos,
                });
                node(Kind::Parent(label))
            }
            #[allow(unreachable_patterns)]
            RawKind::Parent => Err(err(
                "S0217",
                "The parent operator % is not supported here",
                pos,
            )),
            RawKind::Placeholder => node(Kind::Placeholder),
            RawKind::Neg(inner) => {
                let inner = self.process(*inner)?;
                if let Kind::Num(n) = inner.kind {
                    return node(Kind::Num(-n));
                }
                node(Kind::Neg(Box::new(inner)))
            }
            RawKind::Block(items) => {
                let items = items
                    .into_iter()
                    .map(|r| self.process(r))
                    .collect::<Result<Vec<_>, _>>()?;
                node(Kind::Block(items))
            }
            RawKind::Array(items) => {
                let items = items
                    .into_iter()
                    .map(|r| self.process(r))
                    .collect::<Result<Vec<_>, _>>()?;
                node(Kind::Array(items, false))
            }
            RawKind::Object(pairs) => node(Kind::Object(Group {
                pairs: self.pairs(pairs)?,
                pos,
            })),
            RawKind::Transform(p, u, d) => {
                let p = self.process(*p)?;
                let u = self.process(*u)?;
                let delete = match d {
                    Some(d) => Some(self.process(*d)?),
                    None => None,
                };
                node(Kind::Transform(Arc::new(crate::value::TransformNodes {
                    pattern: p,
                    update: u,
                    delete,
                })))
            }
            RawKind::Lambda(params, sig, body) => {
                let signature = match sig {
                    Some((text, spos)) => Some(
                        Signature::parse(&text)
                            .map_err(|(code, msg, off)| err(code, msg, spos + off))?,
                    ),
                    None => None,
                };
                let body = self.process(*body)?;
                let body = tail_call_optimize(body);
                node(Kind::Lambda(Arc::new(LambdaDef {
                    params: params.into_iter().map(Into::into).collect(),
                    signature,
                    body,
                    thunk: false,
                })))
            }
            RawKind::Dot(lhs, rhs) => {
                let lhs = self.process(*lhs)?;
                let mark = self.pending.len();
                let rhs = self.process(*rhs)?;
                let slots = self.pending.split_off(mark);
                let mut steps = match lhs.kind {
                    Kind::Path(p) if p.group.is_none() => {
                        let p = *p;
                        (p.steps, p.keep_singleton)
                    }
                    other => (
                        vec![self.step(Node {
                            kind: other,
                            pos: lhs.pos,
                        })?],
                        false,
                    ),
                };
                let mut keep = steps.1;
                let base = steps.0.len();
                match rhs.kind {
                    Kind::Path(p) if p.group.is_none() => {
                        let p = *p;
                        keep |= p.keep_singleton;
                        for s in p.steps {
                            steps.0.push(s);
                        }
                    }
                    other => {
                        if matches!(other, Kind::Num(_) | Kind::Bool(_) | Kind::Null) {
                            return Err(err(
                                "S0213",
                                "The literal value cannot be used as a step within a path expression",
                                rhs.pos,
                            ));
                        }
                        steps.0.push(self.step(Node {
                            kind: other,
                            pos: rhs.pos,
                        })?);
                    }
                }
                let mut steps = steps.0;
                for s in steps.iter_mut() {
                    if let Kind::Filtered(_, preds, group, k) = &mut s.node.kind
                        && *k
                    {
                        *k = false;
                        keep = true;
                        if preds.is_empty() && group.is_none() {
                            let placeholder = Node {
                                kind: Kind::Null,
                                pos: s.node.pos,
                            };
                            let old = std::mem::replace(&mut s.node, placeholder);
                            if let Kind::Filtered(inner, ..) = old.kind {
                                s.node = *inner;
                            }
                        }
                    }
                    if let Kind::Str(name) = &s.node.kind {
                        s.node.kind = Kind::Name(name.clone());
                    }
                }
                if let Some(first) = steps.first_mut()
                    && matches!(first.node.kind, Kind::Array(..))
                {
                    first.cons = true;
                    if let Kind::Array(_, c) = &mut first.node.kind {
                        *c = true;
                    }
                }
                if let Some(last) = steps.last_mut()
                    && let Kind::Array(_, c) = &mut last.node.kind
                {
                    *c = true;
                }
                self.resolve(&mut steps, base, slots);
                let tuple = steps.iter().any(|s| s.tuple);
                node(Kind::Path(Box::new(PathExpr {
                    steps,
                    keep_singleton: keep,
                    group: None,
                    tuple,
                    carry: false,
                    bare: false,
                })))
            }
            RawKind::KeepArray(inner) => {
                let inner = self.process(*inner)?;
                match inner.kind {
                    Kind::Path(mut p) => {
                        p.keep_singleton = true;
                        node(Kind::Path(p))
                    }
                    Kind::Filtered(n, preds, g, _) => node(Kind::Filtered(n, preds, g, true)),
                    other => node(Kind::Filtered(
                        Box::new(Node {
                            kind: other,
                            pos: inner.pos,
                        }),
                        vec![],
                        None,
                        true,
                    )),
                }
            }
            RawKind::Pred(lhs, rhs) => {
                let lhs = self.process(*lhs)?;
                let mark = self.pending.len();
                let pred = self.process(*rhs)?;
                // A predicate's context is the step's output: its slots are resolved from
                // the step itself backwards.
                let mut slots = self.pending.split_off(mark);
                let lhs =
                    if !slots.is_empty() && matches!(lhs.kind, Kind::Block(_) | Kind::Parent(_)) {
                        let p = self.as_path(lhs)?;
                        Node {
                            kind: Kind::Path(p),
                            pos,
                        }
                    } else {
                        lhs
                    };
                let slots = if let Kind::Path(p) = &lhs.kind
                    && p.group.is_none()
                {
                    slots
                } else {
                    for s in slots.iter_mut() {
                        s.level = s.level.saturating_sub(1);
                    }
                    self.pending.extend(slots);
                    Vec::new()
                };
                match lhs.kind {
                    Kind::Path(mut p) => {
                        if p.group.is_some() {
                            return Err(err(
                                "S0209",
                                "A predicate cannot follow a grouping expression in a step",
                                pos,
                            ));
                        }
                        let last = p.steps.last_mut().expect("paths have steps");
                        last.stages.push(Stage::Filter(pred));
                        let end = p.steps.len();
                        self.resolve(&mut p.steps, end, slots);
                        p.tuple = p.steps.iter().any(|s| s.tuple);
                        node(Kind::Path(p))
                    }
                    Kind::Filtered(n, mut preds, g, k) => {
                        if g.is_some() {
                            return Err(err(
                                "S0209",
                                "A predicate cannot follow a grouping expression in a step",
                                pos,
                            ));
                        }
                        preds.push(pred);
                        node(Kind::Filtered(n, preds, g, k))
                    }
                    other => node(Kind::Filtered(
                        Box::new(Node {
                            kind: other,
                            pos: lhs.pos,
                        }),
                        vec![pred],
                        None,
                        false,
                    )),
                }
            }
            RawKind::Group(lhs, pairs) => {
                let lhs = self.process(*lhs)?;
                let group = Group {
                    pairs: self.pairs(pairs)?,
                    pos,
                };
                match lhs.kind {
                    Kind::Path(mut p) => {
                        if p.group.is_some() {
                            return Err(err(
                                "S0210",
                                "Each step can only have one grouping expression",
                                pos,
                            ));
                        }
                        p.group = Some(group);
                        node(Kind::Path(p))
                    }
                    Kind::Filtered(n, preds, g, k) => {
                        if g.is_some() {
                            return Err(err(
                                "S0210",
                                "Each step can only have one grouping expression",
                                pos,
                            ));
                        }
                        node(Kind::Filtered(n, preds, Some(group), k))
                    }
                    other => node(Kind::Filtered(
                        Box::new(Node {
                            kind: other,
                            pos: lhs.pos,
                        }),
                        vec![],
                        Some(group),
                        false,
                    )),
                }
            }
            RawKind::Call(f, args) => {
                let mark = self.pending.len();
                let f = self.process(*f)?;
                if matches!(f.kind, Kind::Parent(_)) {
                    // A parent operator in function position just evaluates to undefined.
                    self.pending.truncate(mark);
                }
                let args = args
                    .into_iter()
                    .map(|r| self.process(r))
                    .collect::<Result<Vec<_>, _>>()?;
                if args.iter().any(|a| matches!(a.kind, Kind::Placeholder)) {
                    node(Kind::Partial(Box::new(f), args))
                } else {
                    node(Kind::Call(Box::new(f), args))
                }
            }
            RawKind::Focus(lhs, var) => {
                let lhs = self.process(*lhs)?;
                let bare = !matches!(lhs.kind, Kind::Path(_));
                let mut p = self.as_path(lhs)?;
                p.bare = bare;
                let last = p.steps.last_mut().expect("paths have steps");
                if !last.stages.is_empty() {
                    return Err(err(
                        "S0215",
                        "A context variable binding must precede any predicates on a step",
                        pos,
                    ));
                }
                if matches!(last.node.kind, Kind::Sort(_)) {
                    return Err(err(
                        "S0216",
                        "A context variable binding must precede the 'order-by' clause on a step",
                        pos,
                    ));
                }
                last.focus = Some(var.into());
                last.tuple = true;
                p.tuple = true;
                node(Kind::Path(p))
            }
            RawKind::Index(lhs, var) => {
                let lhs = self.process(*lhs)?;
                let bare = !matches!(lhs.kind, Kind::Path(_));
                let mut p = self.as_path(lhs)?;
                p.bare = bare;
                let last = p.steps.last_mut().expect("paths have steps");
                if last.stages.is_empty() {
                    last.index = Some(var.into());
                } else {
                    last.stages.push(Stage::Index(var.into()));
                }
                last.tuple = true;
                p.tuple = true;
                node(Kind::Path(p))
            }
            RawKind::Sort(lhs, terms) => {
                let lhs = self.process(*lhs)?;
                let mut p = self.as_path(lhs)?;
                let mark = self.pending.len();
                let terms = terms
                    .into_iter()
                    .map(|(r, d)| Ok((self.process(r)?, d)))
                    .collect::<Result<Vec<_>, Error>>()?;
                p.steps.push(self.step(Node {
                    kind: Kind::Sort(terms),
                    pos,
                })?);
                let slots = self.pending.split_off(mark);
                let idx = p.steps.len() - 1;
                self.resolve(&mut p.steps, idx, slots);
                p.tuple = p.steps.iter().any(|s| s.tuple);
                node(Kind::Path(p))
            }
            RawKind::Bind(name, value) => {
                let v = self.process(*value)?;
                node(Kind::Bind(name.into(), Box::new(v)))
            }
            RawKind::Cond(c, t, e) => {
                let c = self.process(*c)?;
                let t = self.process(*t)?;
                let e = match e {
                    Some(e) => Some(Box::new(self.process(*e)?)),
                    None => None,
                };
                node(Kind::Cond(Box::new(c), Box::new(t), e))
            }
            RawKind::Binary(op, l, r) => {
                let l = self.process(*l)?;
                let r = self.process(*r)?;
                if op == "~>" {
                    return node(Kind::Chain(Box::new(l), Box::new(r)));
                }
                let op = match op {
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    "/" => BinOp::Div,
                    "%" => BinOp::Mod,
                    "=" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<" => BinOp::Lt,
                    "<=" => BinOp::Le,
                    ">" => BinOp::Gt,
                    ">=" => BinOp::Ge,
                    "&" => BinOp::Concat,
                    "and" => BinOp::And,
                    "or" => BinOp::Or,
                    "in" => BinOp::In,
                    ".." => BinOp::Range,
                    "??" => BinOp::Coalesce,
                    _ => BinOp::Elvis,
                };
                node(Kind::Binary(op, Box::new(l), Box::new(r)))
            }
        }
    }

    fn pairs(&mut self, pairs: Vec<(Raw, Raw)>) -> Result<Vec<(Node, Node)>, Error> {
        pairs
            .into_iter()
            .map(|(k, v)| Ok((self.process(k)?, self.process(v)?)))
            .collect()
    }

    fn step(&mut self, node: Node) -> Result<Step, Error> {
        let _ = &mut self.label;
        Ok(Step {
            node,
            stages: Vec::new(),
            focus: None,
            index: None,
            tuple: false,
            cons: false,
            ancestors: Vec::new(),
        })
    }

    fn path_of(&mut self, node: Node) -> Node {
        let pos = node.pos;
        let step = Step {
            node,
            stages: Vec::new(),
            focus: None,
            index: None,
            tuple: false,
            cons: false,
            ancestors: Vec::new(),
        };
        Node {
            kind: Kind::Path(Box::new(PathExpr {
                steps: vec![step],
                keep_singleton: false,
                group: None,
                tuple: false,
                carry: false,
                bare: false,
            })),
            pos,
        }
    }

    fn as_path(&mut self, node: Node) -> Result<Box<PathExpr>, Error> {
        match node.kind {
            Kind::Path(p) => Ok(p),
            other => {
                let pos = node.pos;
                let step = self.step(Node { kind: other, pos })?;
                Ok(Box::new(PathExpr {
                    steps: vec![step],
                    keep_singleton: false,
                    group: None,
                    tuple: false,
                    carry: false,
                    bare: false,
                }))
            }
        }
    }
}

/// Marks function calls in tail position so the evaluator can run them in a loop.
fn tail_call_optimize(node: Node) -> Node {
    let pos = node.pos;
    match node.kind {
        Kind::Call(..) => Node {
            kind: Kind::Lambda(Arc::new(LambdaDef {
                params: vec![],
                signature: None,
                body: node,
                thunk: true,
            })),
            pos,
        },
        Kind::Cond(c, t, e) => Node {
            kind: Kind::Cond(
                c,
                Box::new(tail_call_optimize(*t)),
                e.map(|e| Box::new(tail_call_optimize(*e))),
            ),
            pos,
        },
        Kind::Block(mut items) => {
            if let Some(last) = items.pop() {
                items.push(tail_call_optimize(last));
            }
            Node {
                kind: Kind::Block(items),
                pos,
            }
        }
        other => Node { kind: other, pos },
    }
}
