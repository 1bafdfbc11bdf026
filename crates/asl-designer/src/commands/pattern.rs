//! Inserting a pattern (retry with back-off, callback, map over items, error fallback) into the
//! current workflow at a drop target: its states get names unique in the machine, the
//! predecessor points at the pattern's first state, and the pattern's normal ends continue to
//! the successor (a `Succeed` that only marks the pattern's success is replaced by the successor).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::states::{
    Effects, Names, ensure_states, exists_in_scope, find, find_edge, last_end_state, outline,
    resolve_after, resolve_scope, scope_ql, set_next_ptr, set_start_at,
};
use crate::catalogue::QueryLanguage;
use crate::commands::Position;
use crate::edit::{Anchor, Buffer, EditError};
use crate::syntax::push_token;

/// Every state name of a block and its nested blocks, in document order.
fn collect_names(states: &Map<String, Value>, out: &mut Vec<String>) {
    for (name, state) in states {
        out.push(name.clone());
        for block in nested_blocks(state) {
            if let Some(Value::Object(inner)) = block.get("States") {
                collect_names(inner, out);
            }
        }
    }
}

fn nested_blocks(state: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    if let Some(Value::Array(branches)) = state.get("Branches") {
        out.extend(branches.iter());
    }
    for key in ["ItemProcessor", "Iterator"] {
        if let Some(p) = state.get(key) {
            out.push(p);
        }
    }
    out
}

fn nested_blocks_mut(state: &mut Value) -> Vec<&mut Value> {
    let mut out = Vec::new();
    let Some(obj) = state.as_object_mut() else {
        return out;
    };
    for (key, value) in obj.iter_mut() {
        match (key.as_str(), value) {
            ("Branches", Value::Array(branches)) => out.extend(branches.iter_mut()),
            ("ItemProcessor" | "Iterator", p) => out.push(p),
            _ => {}
        }
    }
    out
}

/// Renames the transitions of one state (`Next`, `Default`, Choice rules, catchers).
fn rename_targets(state: &mut Value, map: &dyn Fn(&str) -> Option<String>) {
    let retarget = |v: &mut Value| {
        if let Some(new) = v.as_str().and_then(map) {
            *v = json!(new);
        }
    };
    if let Some(obj) = state.as_object_mut() {
        for key in ["Next", "Default"] {
            if let Some(v) = obj.get_mut(key) {
                retarget(v);
            }
        }
        for key in ["Choices", "Catch"] {
            if let Some(Value::Array(items)) = obj.get_mut(key) {
                for item in items {
                    if let Some(v) = item.get_mut("Next") {
                        retarget(v);
                    }
                }
            }
        }
    }
}

/// Applies a renaming to a block: its state keys, `StartAt` and every transition, recursively.
fn rename_block(block: &mut Value, names: &HashMap<String, String>) {
    let map = |s: &str| names.get(s).cloned();
    if let Some(start) = block.get_mut("StartAt")
        && let Some(new) = start.as_str().and_then(map)
    {
        *start = json!(new);
    }
    let Some(Value::Object(states)) = block.get_mut("States") else {
        return;
    };
    let old = std::mem::take(states);
    for (name, mut state) in old {
        rename_targets(&mut state, &map);
        for inner in nested_blocks_mut(&mut state) {
            rename_block(inner, names);
        }
        states.insert(map(&name).unwrap_or(name), state);
    }
}

/// The pattern's top-level states, renamed and wired to `successor`, with its first state's name.
fn prepare(
    definition: &Value,
    names: &mut Names,
    successor: Option<&str>,
) -> Result<(String, Vec<(String, Value)>), EditError> {
    let mut block = json!({
        "StartAt": definition.get("StartAt").cloned().unwrap_or(Value::Null),
        "States": definition.get("States").cloned().unwrap_or(Value::Null),
    });
    let mut all = Vec::new();
    if let Some(Value::Object(states)) = block.get("States") {
        collect_names(states, &mut all);
    }
    if all.is_empty() {
        return Err("The pattern has no states.".to_owned());
    }
    let renames: HashMap<String, String> =
        all.iter().map(|n| (n.clone(), names.fresh(n))).collect();
    rename_block(&mut block, &renames);
    let start = block
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or("The pattern has no StartAt.")?
        .to_owned();
    let Some(Value::Object(states)) = block.get_mut("States") else {
        return Err("The pattern has no states.".to_owned());
    };
    if let Some(next) = successor {
        // The pattern's success ends continue to the workflow's next state.
        let succeeds: Vec<String> = states
            .iter()
            .filter(|(n, s)| {
                s.get("Type").and_then(Value::as_str) == Some("Succeed") && **n != start
            })
            .map(|(n, _)| n.clone())
            .collect();
        for name in &succeeds {
            states.remove(name);
        }
        let to_next = |s: &str| succeeds.iter().any(|n| n == s).then(|| next.to_owned());
        for state in states.values_mut() {
            rename_targets(state, &to_next);
            if let Some(obj) = state.as_object_mut()
                && obj.get("End") == Some(&Value::Bool(true))
            {
                obj.remove("End");
                obj.insert("Next".into(), json!(next));
            }
        }
    }
    let mut list: Vec<(String, Value)> =
        states.iter().map(|(n, s)| (n.clone(), s.clone())).collect();
    // The first state goes first, so that the pattern reads top-down in the text.
    if let Some(i) = list.iter().position(|(n, _)| *n == start) {
        let first = list.remove(i);
        list.insert(0, first);
    }
    Ok((start, list))
}

fn insert_all(
    buf: &mut Buffer,
    states_ptr: &str,
    anchor: Anchor<'_>,
    list: &[(String, Value)],
) -> Result<(), EditError> {
    let mut prev: Option<String> = None;
    for (name, value) in list {
        match &prev {
            None => buf.insert_member(states_ptr, anchor, name, value)?,
            Some(p) => buf.insert_member(states_ptr, Anchor::After(p), name, value)?,
        }
        prev = Some(name.clone());
    }
    Ok(())
}

/// Inserts a pattern's states at a position.
pub(crate) fn insert_pattern(
    buf: &mut Buffer,
    title: &str,
    definition: &Value,
    at: &Position,
) -> Result<Effects, EditError> {
    let o = outline(buf);
    let at = &resolve_after(&o, at)?;
    let mut names = Names::new(&o);
    let scope = match at {
        Position::Edge(e) => o.states[find_edge(&o, e)?.0].scope,
        Position::After(x) => find(&o, x)?.1.scope,
        Position::Start(s) | Position::End(s) | Position::Detached(s) => resolve_scope(&o, s)?,
    };
    if scope_ql(buf, &o, scope) == QueryLanguage::Jsonata {
        return Err(format!(
            "The pattern {title:?} is written with JSONPath and this block uses JSONata; open it as a new document instead."
        ));
    }
    let scope_ptr = o.scopes[scope].pointer.clone();
    let start_ok = o.scopes[scope]
        .start_at
        .clone()
        .filter(|s| exists_in_scope(&o, scope, s));
    let successor = match at {
        Position::Edge(e) => Some(e.to.clone()).filter(|t| exists_in_scope(&o, scope, t)),
        Position::Start(_) => start_ok.clone(),
        _ => None,
    };
    let (start, list) = prepare(definition, &mut names, successor.as_deref())?;
    let states_ptr = ensure_states(buf, &scope_ptr)?;
    match at {
        Position::Edge(e) => {
            let (_, t) = find_edge(&o, e)?;
            insert_all(buf, &states_ptr, Anchor::After(&e.from), &list)?;
            buf.set(&t.pointer, &json!(start))?;
        }
        Position::Start(_) => {
            insert_all(buf, &states_ptr, Anchor::Start, &list)?;
            set_start_at(buf, &scope_ptr, &start)?;
        }
        Position::After(x) => {
            let (_, st) = find(&o, x)?;
            let ptr = st.pointer.clone();
            insert_all(
                buf,
                &push_token(&scope_ptr, "States"),
                Anchor::After(x),
                &list,
            )?;
            set_next_ptr(buf, &ptr, &start)?;
        }
        Position::End(_) | Position::Detached(_) => {
            insert_all(buf, &states_ptr, Anchor::End, &list)?;
            if matches!(at, Position::End(_))
                && let Some(last) = last_end_state(&o, scope, None)
            {
                set_next_ptr(buf, &o.states[last].pointer, &start)?;
            }
            if start_ok.is_none() {
                set_start_at(buf, &scope_ptr, &start)?;
            }
        }
    }
    Ok(Effects {
        select: Some(vec![start]),
        ..Effects::default()
    })
}
