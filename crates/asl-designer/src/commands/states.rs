//! State commands: add (on an edge, at the start or end of a block, detached), delete with
//! reconnection, duplicate, rename, link (Next/End, any transition) and move.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::catalogue::{Palette, QueryLanguage};
use crate::commands::{Edge, Position, ScopeRef};
use crate::edit::{Anchor, Buffer, EditError, quote};
use crate::outline::{Outline, StateEntry, Transition, Via};
use crate::syntax::{Node, push_token};
use crate::text::TextEdit;

/// What a command did besides editing the text, for the layout and the selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Effects {
    /// States to select afterwards.
    pub select: Option<Vec<String>>,
    /// A rename, so layout overrides and the selection follow it.
    pub renamed: Option<(String, String)>,
    /// Something the user should know about the edit (a Choice `Default` left to fix).
    pub notice: Option<String>,
}

pub(crate) fn outline(buf: &Buffer) -> Outline {
    Outline::new(buf.tree())
}

pub(crate) fn find<'a>(o: &'a Outline, name: &str) -> Result<(usize, &'a StateEntry), EditError> {
    o.states
        .iter()
        .enumerate()
        .find(|(_, s)| s.name == name)
        .ok_or_else(|| format!("There is no state named {name:?}."))
}

/// Checks a state name against the service's rules.
pub fn validate_name(name: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return Err("A state name cannot be empty.".to_owned());
    }
    if name.chars().count() > 80 {
        return Err("A state name can have at most 80 characters.".to_owned());
    }
    if name.chars().any(char::is_control) {
        return Err("A state name cannot contain control characters.".to_owned());
    }
    Ok(())
}

pub(crate) fn resolve_scope(o: &Outline, scope: &ScopeRef) -> Result<usize, EditError> {
    match scope {
        ScopeRef::Top => {
            if o.scopes.is_empty() {
                Err("The document is not a JSON object.".to_owned())
            } else {
                Ok(0)
            }
        }
        ScopeRef::Branch { state, index } => {
            let (_, st) = find(o, state)?;
            let suffix = format!("/Branches/{index}");
            st.children
                .iter()
                .copied()
                .find(|&c| o.scopes[c].pointer.ends_with(&suffix))
                .ok_or_else(|| format!("{state:?} has no branch {index}."))
        }
        ScopeRef::Processor { state } => {
            let (_, st) = find(o, state)?;
            st.children
                .iter()
                .copied()
                .find(|&c| {
                    let p = &o.scopes[c].pointer;
                    p.ends_with("/ItemProcessor") || p.ends_with("/Iterator")
                })
                .ok_or_else(|| format!("{state:?} has no item processor."))
        }
    }
}

/// The query language in effect for new states of a scope.
pub(crate) fn scope_ql(buf: &Buffer, o: &Outline, scope: usize) -> QueryLanguage {
    let read = |ptr: &str| {
        buf.get(&push_token(ptr, "QueryLanguage"))
            .and_then(Node::as_str)
            .and_then(QueryLanguage::parse)
    };
    let mut s = scope;
    for _ in 0..128 {
        if let Some(ql) = read(&o.scopes[s].pointer) {
            return ql;
        }
        match o.scopes[s].parent {
            Some(st) => {
                if let Some(ql) = read(&o.states[st].pointer) {
                    return ql;
                }
                s = o.states[st].scope;
            }
            None => break,
        }
    }
    QueryLanguage::JsonPath
}

/// Hands out state names that are unique in the whole machine.
pub(crate) struct Names {
    used: HashSet<String>,
}

impl Names {
    pub(crate) fn new(o: &Outline) -> Names {
        Names {
            used: o.states.iter().map(|s| s.name.clone()).collect(),
        }
    }

    pub(crate) fn fresh(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "State" } else { base };
        let mut candidate = base.to_owned();
        let mut n = 1;
        while self.used.contains(&candidate) {
            candidate = format!("{base} ({n})");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }

    fn take(&mut self, name: &str) -> bool {
        self.used.insert(name.to_owned())
    }
}

/// A Choice rule that always matches, as a starting point for the inspector.
pub(crate) fn placeholder_rule(ql: QueryLanguage, target: &str) -> Value {
    match ql {
        QueryLanguage::JsonPath => json!({ "Variable": "$", "IsPresent": true, "Next": target }),
        QueryLanguage::Jsonata => json!({ "Condition": "{% true %}", "Next": target }),
    }
}

pub(crate) fn placeholder_block(names: &mut Names) -> Value {
    let p = names.fresh("Pass");
    let mut states = Map::new();
    states.insert(p.clone(), json!({ "Type": "Pass", "End": true }));
    json!({ "StartAt": p, "States": states })
}

fn link(body: &mut Map<String, Value>, successor: Option<&str>) {
    match successor {
        Some(s) => body.insert("Next".into(), json!(s)),
        None => body.insert("End".into(), json!(true)),
    };
}

/// Builds a new state and the extra states it needs (a Choice without a successor gets a
/// placeholder Pass state as its target).
fn build_state(
    palette: &Palette,
    ql: QueryLanguage,
    successor: Option<&str>,
    names: &mut Names,
) -> (Value, Vec<(String, Value)>) {
    let mut body = match palette.body(ql) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut extras = Vec::new();
    match palette {
        Palette::Choice => {
            let target = match successor {
                Some(s) => s.to_owned(),
                None => {
                    let p = names.fresh("Pass");
                    extras.push((p.clone(), json!({ "Type": "Pass", "End": true })));
                    p
                }
            };
            body.insert("Choices".into(), json!([placeholder_rule(ql, &target)]));
            body.insert("Default".into(), json!(target));
        }
        Palette::Succeed | Palette::Fail => {}
        Palette::Parallel => {
            body.insert("Branches".into(), json!([placeholder_block(names)]));
            link(&mut body, successor);
        }
        Palette::Map => {
            let mut processor = Map::new();
            processor.insert("ProcessorConfig".into(), json!({ "Mode": "INLINE" }));
            if let Value::Object(block) = placeholder_block(names) {
                processor.extend(block);
            }
            body.insert("ItemProcessor".into(), Value::Object(processor));
            link(&mut body, successor);
        }
        _ => link(&mut body, successor),
    }
    (Value::Object(body), extras)
}

fn is_terminal_type(ty: &str) -> bool {
    matches!(ty, "Choice" | "Succeed" | "Fail")
}

/// Sets `Next` and removes `End`.
pub(crate) fn set_next_ptr(
    buf: &mut Buffer,
    state_ptr: &str,
    target: &str,
) -> Result<(), EditError> {
    buf.set(&format!("{state_ptr}/Next"), &json!(target))?;
    buf.remove(&format!("{state_ptr}/End"))?;
    Ok(())
}

/// Sets `End: true` and removes `Next`.
pub(crate) fn set_end_ptr(buf: &mut Buffer, state_ptr: &str) -> Result<(), EditError> {
    buf.set(&format!("{state_ptr}/End"), &json!(true))?;
    buf.remove(&format!("{state_ptr}/Next"))?;
    Ok(())
}

pub(crate) fn set_start_at(buf: &mut Buffer, scope_ptr: &str, name: &str) -> Result<(), EditError> {
    let ptr = push_token(scope_ptr, "StartAt");
    if buf.get(&ptr).is_some() {
        buf.set(&ptr, &json!(name))
    } else {
        buf.insert_member(scope_ptr, Anchor::Start, "StartAt", &json!(name))
    }
}

pub(crate) fn ensure_states(buf: &mut Buffer, scope_ptr: &str) -> Result<String, EditError> {
    let ptr = push_token(scope_ptr, "States");
    if buf.get(&ptr).and_then(Node::members).is_none() {
        buf.set(&ptr, &json!({}))?;
    }
    Ok(ptr)
}

fn insert_states(
    buf: &mut Buffer,
    states_ptr: &str,
    anchor: Anchor<'_>,
    first: (&str, &Value),
    extras: &[(String, Value)],
) -> Result<(), EditError> {
    buf.insert_member(states_ptr, anchor, first.0, first.1)?;
    let mut prev = first.0.to_owned();
    for (name, value) in extras {
        buf.insert_member(states_ptr, Anchor::After(&prev), name, value)?;
        prev.clone_from(name);
    }
    Ok(())
}

pub(crate) fn find_edge(o: &Outline, e: &Edge) -> Result<(usize, Transition), EditError> {
    let (i, from) = find(o, &e.from)?;
    let t = from
        .transitions
        .iter()
        .find(|t| t.target == e.to && e.via.is_none_or(|v| v == t.via))
        .ok_or_else(|| format!("There is no transition from {:?} to {:?}.", e.from, e.to))?;
    Ok((i, t.clone()))
}

pub(crate) fn last_end_state(o: &Outline, scope: usize, except: Option<usize>) -> Option<usize> {
    o.scopes[scope]
        .states
        .iter()
        .copied()
        .rev()
        .find(|&s| Some(s) != except && o.states[s].end)
}

pub(crate) fn exists_in_scope(o: &Outline, scope: usize, name: &str) -> bool {
    o.scopes[scope]
        .states
        .iter()
        .any(|&s| o.states[s].name == name)
}

/// Turns `After(x)` into the edge leaving `x` when it has a `Next`; keeps it when `x` ends its
/// block.
pub(crate) fn resolve_after(o: &Outline, at: &Position) -> Result<Position, EditError> {
    let Position::After(x) = at else {
        return Ok(at.clone());
    };
    let (_, st) = find(o, x)?;
    if let Some(t) = st.transitions.iter().find(|t| t.via == Via::Next) {
        return Ok(Position::Edge(Edge {
            from: x.clone(),
            to: t.target.clone(),
            via: Some(Via::Next),
        }));
    }
    if is_terminal_type(&st.ty) {
        return Err(format!("Nothing can follow a {} state.", st.ty));
    }
    Ok(at.clone())
}

/// Adds a state from the palette.
pub(crate) fn add_state(
    buf: &mut Buffer,
    palette: &Palette,
    at: &Position,
    name: Option<&str>,
) -> Result<Effects, EditError> {
    let o = outline(buf);
    let at = &resolve_after(&o, at)?;
    let mut names = Names::new(&o);
    let name = match name {
        Some(n) => {
            validate_name(n)?;
            if !names.take(n) {
                return Err(format!("A state named {n:?} already exists."));
            }
            n.to_owned()
        }
        None => names.fresh(&palette.default_name()),
    };
    match at {
        Position::Edge(e) => {
            let (fi, t) = find_edge(&o, e)?;
            let scope = o.states[fi].scope;
            let ql = scope_ql(buf, &o, scope);
            let (value, extras) = build_state(palette, ql, Some(&e.to), &mut names);
            let states_ptr = push_token(&o.scopes[scope].pointer, "States");
            insert_states(
                buf,
                &states_ptr,
                Anchor::After(&e.from),
                (&name, &value),
                &extras,
            )?;
            buf.set(&t.pointer, &json!(name))?;
        }
        Position::Start(scope_ref) => {
            let scope = resolve_scope(&o, scope_ref)?;
            let scope_ptr = o.scopes[scope].pointer.clone();
            let old = o.scopes[scope]
                .start_at
                .clone()
                .filter(|s| exists_in_scope(&o, scope, s));
            let ql = scope_ql(buf, &o, scope);
            let (value, extras) = build_state(palette, ql, old.as_deref(), &mut names);
            let states_ptr = ensure_states(buf, &scope_ptr)?;
            insert_states(buf, &states_ptr, Anchor::Start, (&name, &value), &extras)?;
            set_start_at(buf, &scope_ptr, &name)?;
        }
        Position::After(x) => {
            let (_, st) = find(&o, x)?;
            let ql = scope_ql(buf, &o, st.scope);
            let (value, extras) = build_state(palette, ql, None, &mut names);
            let states_ptr = push_token(&o.scopes[st.scope].pointer, "States");
            insert_states(buf, &states_ptr, Anchor::After(x), (&name, &value), &extras)?;
            set_next_ptr(buf, &st.pointer, &name)?;
        }
        Position::End(scope_ref) | Position::Detached(scope_ref) => {
            let scope = resolve_scope(&o, scope_ref)?;
            let scope_ptr = o.scopes[scope].pointer.clone();
            let ql = scope_ql(buf, &o, scope);
            let (value, extras) = build_state(palette, ql, None, &mut names);
            let states_ptr = ensure_states(buf, &scope_ptr)?;
            insert_states(buf, &states_ptr, Anchor::End, (&name, &value), &extras)?;
            let start_ok = o.scopes[scope]
                .start_at
                .as_deref()
                .is_some_and(|s| exists_in_scope(&o, scope, s));
            if matches!(at, Position::End(_))
                && let Some(last) = last_end_state(&o, scope, None)
            {
                set_next_ptr(buf, &o.states[last].pointer, &name)?;
            }
            if !start_ok {
                set_start_at(buf, &scope_ptr, &name)?;
            }
        }
    }
    Ok(Effects {
        select: Some(vec![name]),
        ..Effects::default()
    })
}

/// Points every transition into state `index` (and `StartAt`) at `successor`; without a
/// successor, `Next` becomes `End`, Choice rules and catchers are removed, and a Choice's
/// `Default` is left as it is: a Choice without a `Default` fails at run time when no rule
/// matches, so it is never dropped silently. The names of those Choices are returned; when the
/// state is deleted, their `Default` now names a missing state, which the validator and the
/// graph flag until the user picks a new one.
fn reconnect_incoming(
    buf: &mut Buffer,
    o: &Outline,
    index: usize,
    successor: Option<&str>,
) -> Result<Vec<String>, EditError> {
    let mut kept_defaults = Vec::new();
    let st = &o.states[index];
    let scope = st.scope;
    let incoming: Vec<(usize, Transition)> = o
        .incoming(scope, &st.name)
        .into_iter()
        .filter(|(s, _)| *s != index)
        .collect();
    match successor {
        Some(s) => {
            let pointers: Vec<String> = incoming.iter().map(|(_, t)| t.pointer.clone()).collect();
            buf.replace_strings(&pointers, s)?;
        }
        None => {
            let mut list = incoming;
            // Remove array items from the highest index down so earlier indexes stay valid.
            list.sort_by_key(|(s, t)| {
                let (rank, k) = match t.via {
                    Via::Next => (0, 0),
                    Via::Default => (1, 0),
                    Via::Choice(k) => (2, usize::MAX - k),
                    Via::Catch(k) => (3, usize::MAX - k),
                };
                (*s, rank, k)
            });
            for (s, t) in list {
                let ptr = &o.states[s].pointer;
                match t.via {
                    Via::Next => set_end_ptr(buf, ptr)?,
                    Via::Default => kept_defaults.push(o.states[s].name.clone()),
                    Via::Choice(k) => {
                        buf.remove(&format!("{ptr}/Choices/{k}"))?;
                    }
                    Via::Catch(k) => {
                        buf.remove(&format!("{ptr}/Catch/{k}"))?;
                        remove_if_empty(buf, &format!("{ptr}/Catch"))?;
                    }
                }
            }
        }
    }
    if o.scopes[scope].start_at.as_deref() == Some(st.name.as_str()) {
        let next = successor.map(str::to_owned).or_else(|| {
            o.scopes[scope]
                .states
                .iter()
                .find(|&&s| s != index)
                .map(|&s| o.states[s].name.clone())
        });
        set_start_at(buf, &o.scopes[scope].pointer, next.as_deref().unwrap_or(""))?;
    }
    Ok(kept_defaults)
}

pub(crate) fn remove_if_empty(buf: &mut Buffer, ptr: &str) -> Result<(), EditError> {
    if buf
        .get(ptr)
        .and_then(Node::items)
        .is_some_and(<[Node]>::is_empty)
    {
        buf.remove(ptr)?;
    }
    Ok(())
}

fn successor_of(o: &Outline, index: usize) -> Option<String> {
    let st = &o.states[index];
    let pick = |via: fn(&Via) -> bool| {
        st.transitions
            .iter()
            .find(|t| via(&t.via))
            .map(|t| t.target.clone())
    };
    let s = match st.ty.as_str() {
        "Succeed" | "Fail" => None,
        "Choice" => pick(|v| *v == Via::Default).or_else(|| pick(|v| matches!(v, Via::Choice(_)))),
        _ => pick(|v| *v == Via::Next),
    };
    s.filter(|s| *s != st.name && exists_in_scope(o, st.scope, s))
}

/// Deletes one state, reconnecting its neighbours. Returns `None` when it did not exist, else
/// the Choices whose `Default` still names it (see [`reconnect_incoming`]).
pub(crate) fn delete_state(buf: &mut Buffer, name: &str) -> Result<Option<Vec<String>>, EditError> {
    let o = outline(buf);
    let Ok((index, st)) = find(&o, name) else {
        return Ok(None);
    };
    let pointer = st.pointer.clone();
    let successor = successor_of(&o, index);
    let kept = reconnect_incoming(buf, &o, index, successor.as_deref())?;
    buf.remove(&pointer)?;
    Ok(Some(kept))
}

/// Deletes several states.
pub(crate) fn delete_states(buf: &mut Buffer, names: &[String]) -> Result<Effects, EditError> {
    let mut any = false;
    let mut flagged: Vec<(String, String)> = Vec::new();
    for n in names {
        if let Some(kept) = delete_state(buf, n)? {
            any = true;
            flagged.extend(kept.into_iter().map(|c| (c, n.clone())));
        }
    }
    if !any {
        return Err("Nothing to delete.".to_owned());
    }
    // A Choice deleted in the same command no longer needs a Default.
    flagged.retain(|(choice, _)| !names.contains(choice));
    let notice = (!flagged.is_empty()).then(|| {
        let list: Vec<String> = flagged
            .iter()
            .map(|(c, t)| format!("{c:?} (was {t:?})"))
            .collect();
        format!(
            "The Default of {} names a deleted state: choose its new Default in the inspector.",
            list.join(", ")
        )
    });
    Ok(Effects {
        select: Some(Vec::new()),
        notice,
        ..Effects::default()
    })
}

/// Renames a state and every reference to it in its block.
pub(crate) fn rename(buf: &mut Buffer, from: &str, to: &str) -> Result<Effects, EditError> {
    validate_name(to)?;
    let o = outline(buf);
    let (_, st) = find(&o, from)?;
    if from == to {
        return Ok(Effects::default());
    }
    if o.contains(to) {
        return Err(format!("A state named {to:?} already exists."));
    }
    let scope = st.scope;
    let mut pointers: Vec<String> = o
        .incoming(scope, from)
        .into_iter()
        .map(|(_, t)| t.pointer)
        .collect();
    if o.scopes[scope].start_at.as_deref() == Some(from) {
        pointers.push(push_token(&o.scopes[scope].pointer, "StartAt"));
    }
    let mut batch = vec![TextEdit::new(st.key_span, quote(to))];
    for p in &pointers {
        if let Some(n) = buf.get(p).filter(|n| n.as_str().is_some()) {
            batch.push(TextEdit::new(n.span, quote(to)));
        }
    }
    batch.sort_by_key(|e| e.range.start);
    batch.dedup_by_key(|e| e.range.start);
    buf.commit(batch)?;
    Ok(Effects {
        select: Some(vec![to.to_owned()]),
        renamed: Some((from.to_owned(), to.to_owned())),
        notice: None,
    })
}

/// Renames nested states of a copied Parallel/Map so names stay unique.
fn rename_nested(state: &mut Value, names: &mut Names) {
    let Some(obj) = state.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(branches)) = obj.get_mut("Branches") {
        for b in branches {
            rename_block(b, names);
        }
    }
    for key in ["ItemProcessor", "Iterator"] {
        if let Some(p) = obj.get_mut(key) {
            rename_block(p, names);
        }
    }
}

fn rename_block(block: &mut Value, names: &mut Names) {
    let Some(obj) = block.as_object_mut() else {
        return;
    };
    let Some(Value::Object(states)) = obj.get("States").cloned() else {
        return;
    };
    let map: Vec<(String, String)> = states.keys().map(|k| (k.clone(), names.fresh(k))).collect();
    let lookup = |s: &str| map.iter().find(|(a, _)| a == s).map(|(_, b)| b.clone());
    let retarget = |v: &mut Value| {
        if let Some(new) = v.as_str().and_then(lookup) {
            *v = json!(new);
        }
    };
    if let Some(s) = obj.get_mut("StartAt") {
        retarget(s);
    }
    let mut new_states = Map::new();
    for (k, mut v) in states {
        if let Some(o) = v.as_object_mut() {
            for key in ["Next", "Default"] {
                if let Some(t) = o.get_mut(key) {
                    retarget(t);
                }
            }
            for key in ["Choices", "Catch"] {
                if let Some(Value::Array(items)) = o.get_mut(key) {
                    for item in items {
                        if let Some(t) = item.get_mut("Next") {
                            retarget(t);
                        }
                    }
                }
            }
        }
        rename_nested(&mut v, names);
        new_states.insert(lookup(&k).unwrap_or(k), v);
    }
    obj.insert("States".into(), Value::Object(new_states));
}

/// Duplicates a state next to the original; the copy keeps its transitions but nothing
/// leads to it.
pub(crate) fn duplicate(buf: &mut Buffer, name: &str) -> Result<Effects, EditError> {
    let o = outline(buf);
    let (_, st) = find(&o, name)?;
    let mut value = buf
        .value(&st.pointer)
        .ok_or_else(|| format!("There is no state named {name:?}."))?;
    let mut names = Names::new(&o);
    let new = names.fresh(name);
    rename_nested(&mut value, &mut names);
    let states_ptr = push_token(&o.scopes[st.scope].pointer, "States");
    buf.insert_member(&states_ptr, Anchor::After(name), &new, &value)?;
    Ok(Effects {
        select: Some(vec![new]),
        ..Effects::default()
    })
}

/// Sets `Next`, or `End: true` when `next` is `None`.
pub(crate) fn set_next(
    buf: &mut Buffer,
    state: &str,
    next: Option<&str>,
) -> Result<Effects, EditError> {
    let o = outline(buf);
    let (_, st) = find(&o, state)?;
    if is_terminal_type(&st.ty) {
        return Err(format!("A {} state has no Next or End.", st.ty));
    }
    let ptr = st.pointer.clone();
    match next {
        Some(n) => {
            if !exists_in_scope(&o, st.scope, n) {
                return Err(format!("{n:?} is not a state of the same block."));
            }
            set_next_ptr(buf, &ptr, n)?;
        }
        None => set_end_ptr(buf, &ptr)?,
    }
    Ok(Effects::default())
}

/// Retargets one transition.
pub(crate) fn set_transition(
    buf: &mut Buffer,
    state: &str,
    via: Via,
    target: &str,
) -> Result<Effects, EditError> {
    let o = outline(buf);
    let (_, st) = find(&o, state)?;
    if !exists_in_scope(&o, st.scope, target) {
        return Err(format!("{target:?} is not a state of the same block."));
    }
    let ptr = format!("{}{}", st.pointer, via.relative_pointer());
    match via {
        Via::Next => set_next_ptr(buf, &st.pointer.clone(), target)?,
        Via::Default => buf.set(&ptr, &json!(target))?,
        Via::Choice(_) | Via::Catch(_) => {
            let (parent, _) = crate::syntax::split_pointer(&ptr).unwrap_or_default();
            if buf.get(&parent).and_then(Node::members).is_none() {
                return Err(format!("{state:?} has no such rule or catcher."));
            }
            buf.set(&ptr, &json!(target))?;
        }
    }
    Ok(Effects::default())
}

/// Detaches a state from its chain and inserts it at another position of the same block.
pub(crate) fn move_state(
    buf: &mut Buffer,
    state: &str,
    to: &Position,
) -> Result<Effects, EditError> {
    let o = outline(buf);
    let to = &resolve_after(&o, to)?;
    let (index, st) = find(&o, state)?;
    let scope = st.scope;
    let target_scope = match to {
        Position::After(x) => {
            if x == state {
                return Err("A state cannot be moved after itself.".to_owned());
            }
            find(&o, x)?.1.scope
        }
        Position::Edge(e) => {
            if e.from == state || e.to == state {
                return Err("A state cannot be moved onto its own edge.".to_owned());
            }
            let (fi, _) = find_edge(&o, e)?;
            o.states[fi].scope
        }
        Position::Start(s) | Position::End(s) | Position::Detached(s) => resolve_scope(&o, s)?,
    };
    if target_scope != scope {
        return move_across(buf, &o, index, target_scope, to);
    }
    let terminal = is_terminal_type(&st.ty);
    let successor = successor_of(&o, index);
    reconnect_incoming(buf, &o, index, successor.as_deref())?;
    let o = outline(buf);
    let (index, st) = find(&o, state)?;
    let ptr = st.pointer.clone();
    match to {
        Position::Edge(e) => {
            let (_, t) = find_edge(&o, e)?;
            if !terminal {
                set_next_ptr(buf, &ptr, &e.to)?;
            }
            buf.set(&t.pointer, &json!(state))?;
        }
        Position::Start(_) => {
            let old = o.scopes[scope]
                .start_at
                .clone()
                .filter(|s| s != state && exists_in_scope(&o, scope, s));
            if let (Some(old), false) = (old, terminal) {
                set_next_ptr(buf, &ptr, &old)?;
            }
            set_start_at(buf, &o.scopes[scope].pointer.clone(), state)?;
        }
        Position::End(_) => {
            if let Some(last) = last_end_state(&o, scope, Some(index)) {
                set_next_ptr(buf, &o.states[last].pointer.clone(), state)?;
            }
            if !terminal {
                set_end_ptr(buf, &ptr)?;
            }
        }
        Position::Detached(_) => {
            if !terminal {
                set_end_ptr(buf, &ptr)?;
            }
        }
        Position::After(x) => {
            let (_, xs) = find(&o, x)?;
            set_next_ptr(buf, &xs.pointer.clone(), state)?;
            if !terminal {
                set_end_ptr(buf, &ptr)?;
            }
        }
    }
    // A block whose only state moved within it still starts with it.
    let o = outline(buf);
    let start_ok = o.scopes[scope]
        .start_at
        .as_deref()
        .is_some_and(|s| exists_in_scope(&o, scope, s));
    if !start_ok {
        set_start_at(buf, &o.scopes[scope].pointer.clone(), state)?;
    }
    Ok(Effects {
        select: Some(vec![state.to_owned()]),
        ..Effects::default()
    })
}

/// Moves a state into another block (for example into a Parallel branch): it is detached
/// like a deletion, its object moves to the other `States`, and catchers whose target is not
/// in the new block are dropped.
fn move_across(
    buf: &mut Buffer,
    o: &Outline,
    index: usize,
    target_scope: usize,
    to: &Position,
) -> Result<Effects, EditError> {
    let st = &o.states[index];
    let state = st.name.clone();
    if st.ty == "Choice" {
        return Err("A Choice state can only be moved within its block.".to_owned());
    }
    let mut s = target_scope;
    while let Some(p) = o.scopes[s].parent {
        if p == index {
            return Err("A state cannot be moved into itself.".to_owned());
        }
        s = o.states[p].scope;
    }
    let target_ptr = o.scopes[target_scope].pointer.clone();
    let target_names: HashSet<String> = o.scopes[target_scope]
        .states
        .iter()
        .map(|&i| o.states[i].name.clone())
        .collect();
    let mut value = buf
        .value(&st.pointer)
        .ok_or_else(|| format!("There is no state named {state:?}."))?;
    let terminal = is_terminal_type(&st.ty);
    let successor = successor_of(o, index);
    let kept = reconnect_incoming(buf, o, index, successor.as_deref())?;
    buf.remove(&st.pointer)?;
    let Some(obj) = value.as_object_mut() else {
        return Err(format!("{state:?} is not an object."));
    };
    obj.remove("Next");
    obj.remove("End");
    if let Some(Value::Array(catchers)) = obj.get_mut("Catch") {
        catchers.retain(|c| {
            c.get("Next")
                .and_then(Value::as_str)
                .is_some_and(|n| target_names.contains(n))
        });
        if catchers.is_empty() {
            obj.remove("Catch");
        }
    }
    let o = outline(buf);
    let ts = o
        .scopes
        .iter()
        .position(|sc| sc.pointer == target_ptr)
        .ok_or("The target block disappeared.")?;
    let start_ok = o.scopes[ts]
        .start_at
        .as_deref()
        .is_some_and(|s| exists_in_scope(&o, ts, s));
    let states_ptr = ensure_states(buf, &target_ptr)?;
    match to {
        Position::Edge(e) => {
            if !terminal {
                obj.insert("Next".into(), json!(e.to));
            }
            buf.insert_member(&states_ptr, Anchor::After(&e.from), &state, &value)?;
            let (_, t) = find_edge(&outline(buf), e)?;
            buf.set(&t.pointer, &json!(state))?;
        }
        Position::Start(_) => {
            let old = o.scopes[ts].start_at.clone().filter(|_| start_ok);
            if !terminal {
                match old {
                    Some(old) => obj.insert("Next".into(), json!(old)),
                    None => obj.insert("End".into(), json!(true)),
                };
            }
            buf.insert_member(&states_ptr, Anchor::Start, &state, &value)?;
            set_start_at(buf, &target_ptr, &state)?;
        }
        Position::After(x) => {
            if !terminal {
                obj.insert("End".into(), json!(true));
            }
            buf.insert_member(&states_ptr, Anchor::After(x), &state, &value)?;
            let o = outline(buf);
            let x_ptr = find(&o, x)?.1.pointer.clone();
            set_next_ptr(buf, &x_ptr, &state)?;
        }
        Position::End(_) | Position::Detached(_) => {
            if !terminal {
                obj.insert("End".into(), json!(true));
            }
            buf.insert_member(&states_ptr, Anchor::End, &state, &value)?;
            if matches!(to, Position::End(_))
                && let Some(last) = last_end_state(&o, ts, None)
            {
                set_next_ptr(buf, &o.states[last].pointer, &state)?;
            }
            if !start_ok {
                set_start_at(buf, &target_ptr, &state)?;
            }
        }
    }
    // A Choice's Default cannot follow a state into another block: it is flagged, not dropped.
    let notice = (!kept.is_empty()).then(|| {
        let list: Vec<String> = kept.iter().map(|c| format!("{c:?}")).collect();
        format!(
            "The Default of {} named {state:?}, which moved to another block: choose its new Default in the inspector.",
            list.join(", ")
        )
    });
    Ok(Effects {
        select: Some(vec![state]),
        notice,
        ..Effects::default()
    })
}
