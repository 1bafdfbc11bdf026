//! Field commands: what the inspector forms call (set or remove any field by JSON Pointer),
//! Choice rules, retriers and catchers, Parallel branches, the query language and formatting.

use serde_json::{Value, json};

use crate::catalogue::{QueryLanguage, default_retrier};
use crate::commands::states::{
    Effects, Names, find, outline, placeholder_block, placeholder_rule, remove_if_empty, scope_ql,
};
use crate::edit::{Anchor, Buffer, EditError};
use crate::syntax::{Node, pointer_tokens, push_token};

fn state_pointer(buf: &Buffer, state: Option<&str>) -> Result<String, EditError> {
    match state {
        None => Ok(String::new()),
        Some(name) => {
            let o = outline(buf);
            Ok(find(&o, name)?.1.pointer.clone())
        }
    }
}

/// Inserts a new member of a state before its `Next`/`End` (where Workflow Studio puts
/// fields), a new top-level member before `States`, or at the end.
fn insert_field(buf: &mut Buffer, object: &str, key: &str, value: &Value) -> Result<(), EditError> {
    let before: &[&str] = if object.is_empty() {
        &["States"]
    } else {
        &["Next", "End"]
    };
    let position = buf.get(object).and_then(Node::members).and_then(|members| {
        let k = members
            .iter()
            .position(|m| before.contains(&m.key.as_str()))?;
        Some(if k == 0 {
            None
        } else {
            Some(members[k - 1].key.clone())
        })
    });
    match position {
        Some(Some(prev)) => buf.insert_member(object, Anchor::After(&prev), key, value),
        Some(None) => buf.insert_member(object, Anchor::Start, key, value),
        None => buf.insert_member(object, Anchor::End, key, value),
    }
}

/// Sets or removes a field relative to a state (or the document root).
pub(crate) fn set_field(
    buf: &mut Buffer,
    state: Option<&str>,
    pointer: &str,
    value: Option<&Value>,
) -> Result<Effects, EditError> {
    let tokens =
        pointer_tokens(pointer).ok_or_else(|| format!("{pointer:?} is not a JSON Pointer."))?;
    if tokens.is_empty() {
        return Err("Use a pointer to a field, such as /Comment.".to_owned());
    }
    let base = state_pointer(buf, state)?;
    let abs = format!("{base}{pointer}");
    match value {
        Some(v) => {
            if tokens.len() == 1 && buf.get(&abs).is_none() {
                insert_field(buf, &base, &tokens[0], v)?;
            } else {
                buf.set(&abs, v)?;
            }
        }
        None => {
            if !buf.remove(&abs)? {
                return Err(format!("There is no field at {pointer:?}."));
            }
        }
    }
    Ok(Effects::default())
}

fn require_type(buf: &Buffer, state: &str, types: &[&str]) -> Result<String, EditError> {
    let o = outline(buf);
    let (_, st) = find(&o, state)?;
    if !types.contains(&st.ty.as_str()) {
        return Err(format!(
            "{state:?} is a {} state; this needs {}.",
            st.ty,
            types.join(" or ")
        ));
    }
    Ok(st.pointer.clone())
}

fn append(buf: &mut Buffer, state_ptr: &str, key: &str, item: Value) -> Result<(), EditError> {
    let ptr = push_token(state_ptr, key);
    match buf.get(&ptr).and_then(Node::items).map(<[Node]>::len) {
        Some(len) => buf.insert_item(&ptr, len, &item),
        None => {
            if buf.get(&ptr).is_some() {
                buf.remove(&ptr)?;
            }
            insert_field(buf, state_ptr, key, &json!([item]))
        }
    }
}

fn remove_item(
    buf: &mut Buffer,
    state_ptr: &str,
    key: &str,
    index: usize,
    drop_empty: bool,
) -> Result<Effects, EditError> {
    let ptr = push_token(state_ptr, key);
    if !buf.remove(&format!("{ptr}/{index}"))? {
        return Err(format!("There is no {key} entry {index}."));
    }
    if drop_empty {
        remove_if_empty(buf, &ptr)?;
    }
    Ok(Effects::default())
}

/// Appends a Choice rule; the placeholder goes where the Default goes.
pub(crate) fn add_choice_rule(
    buf: &mut Buffer,
    state: &str,
    rule: Option<&Value>,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Choice"])?;
    let rule = match rule {
        Some(r) => r.clone(),
        None => {
            let target = buf
                .get(&format!("{ptr}/Default"))
                .or_else(|| buf.get(&format!("{ptr}/Choices/0/Next")))
                .and_then(Node::as_str)
                .map(str::to_owned)
                .ok_or("The Choice state has no Default to point the new rule at.")?;
            let o = outline(buf);
            let scope = find(&o, state)?.1.scope;
            placeholder_rule(scope_ql(buf, &o, scope), &target)
        }
    };
    append(buf, &ptr, "Choices", rule)?;
    Ok(Effects::default())
}

/// Replaces a Choice rule.
pub(crate) fn set_choice_rule(
    buf: &mut Buffer,
    state: &str,
    index: usize,
    rule: &Value,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Choice"])?;
    let rp = format!("{ptr}/Choices/{index}");
    if buf.get(&rp).is_none() {
        return Err(format!("There is no Choice rule {index}."));
    }
    buf.set(&rp, rule)?;
    Ok(Effects::default())
}

/// Removes a Choice rule.
pub(crate) fn remove_choice_rule(
    buf: &mut Buffer,
    state: &str,
    index: usize,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Choice"])?;
    remove_item(buf, &ptr, "Choices", index, false)
}

/// Appends a retrier.
pub(crate) fn add_retry(
    buf: &mut Buffer,
    state: &str,
    retrier: Option<&Value>,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Task", "Parallel", "Map"])?;
    append(
        buf,
        &ptr,
        "Retry",
        retrier.cloned().unwrap_or_else(default_retrier),
    )?;
    Ok(Effects::default())
}

/// Removes a retrier.
pub(crate) fn remove_retry(
    buf: &mut Buffer,
    state: &str,
    index: usize,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Task", "Parallel", "Map"])?;
    remove_item(buf, &ptr, "Retry", index, true)
}

/// Appends a catcher.
pub(crate) fn add_catch(
    buf: &mut Buffer,
    state: &str,
    next: &str,
    catcher: Option<&Value>,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Task", "Parallel", "Map"])?;
    let o = outline(buf);
    let (_, st) = find(&o, state)?;
    let same_scope = o.scopes[st.scope]
        .states
        .iter()
        .any(|&s| o.states[s].name == next);
    if !same_scope {
        return Err(format!("{next:?} is not a state of the same block."));
    }
    let item = match catcher {
        Some(c) => c.clone(),
        None => json!({ "ErrorEquals": ["States.ALL"], "Next": next }),
    };
    append(buf, &ptr, "Catch", item)?;
    Ok(Effects::default())
}

/// Removes a catcher.
pub(crate) fn remove_catch(
    buf: &mut Buffer,
    state: &str,
    index: usize,
) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Task", "Parallel", "Map"])?;
    remove_item(buf, &ptr, "Catch", index, true)
}

/// Appends a branch holding one placeholder Pass state.
pub(crate) fn add_branch(buf: &mut Buffer, state: &str) -> Result<Effects, EditError> {
    let ptr = require_type(buf, state, &["Parallel"])?;
    let o = outline(buf);
    let mut names = Names::new(&o);
    let block = placeholder_block(&mut names);
    let selected = block
        .get("StartAt")
        .and_then(Value::as_str)
        .map(str::to_owned);
    append(buf, &ptr, "Branches", block)?;
    Ok(Effects {
        select: selected.map(|s| vec![s]),
        ..Effects::default()
    })
}

/// Sets the query language of the machine or of one state.
pub(crate) fn set_query_language(
    buf: &mut Buffer,
    state: Option<&str>,
    language: QueryLanguage,
) -> Result<Effects, EditError> {
    let base = state_pointer(buf, state)?;
    let ptr = push_token(&base, "QueryLanguage");
    match (state, language) {
        (None, QueryLanguage::JsonPath) if buf.get(&ptr).is_some() => {
            buf.remove(&ptr)?;
        }
        (None, QueryLanguage::JsonPath) => {}
        (None, QueryLanguage::Jsonata) => {
            if buf.get(&ptr).is_some() {
                buf.set(&ptr, &json!(language.as_str()))?;
            } else {
                buf.insert_member(
                    "",
                    Anchor::Start,
                    "QueryLanguage",
                    &json!(language.as_str()),
                )?;
            }
        }
        (Some(_), _) => {
            if buf.get(&ptr).is_some() {
                buf.set(&ptr, &json!(language.as_str()))?;
            } else {
                insert_field(buf, &base, "QueryLanguage", &json!(language.as_str()))?;
            }
        }
    }
    Ok(Effects::default())
}
