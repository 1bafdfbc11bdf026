//! Form fields bound to one value of a state by JSON Pointer: each change becomes a `SetField`.

use asl_designer::Command;
use leptos::prelude::*;
use serde_json::Value;

use crate::contexts::Studio;

/// How a field shows and parses its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string (empty removes the field).
    Str,
    /// A number.
    Num,
    /// Any JSON value, in a text area.
    Json,
    /// A list of strings, comma separated.
    List,
}

/// The value of a state (or the root when `state` is empty) at a pointer; tracks the revision.
pub fn value_at(studio: Studio, state: &str, pointer: &str) -> Option<Value> {
    studio.rev.track();
    studio.with(|d| {
        let doc = d.document();
        let base = if state.is_empty() {
            doc.machine_value().0
        } else {
            doc.state_value(state)
        };
        base.and_then(|v| v.pointer(pointer)).cloned()
    })
}

fn show(kind: Kind, value: Option<Value>) -> String {
    match (kind, value) {
        (_, None) => String::new(),
        (Kind::Json, Some(v)) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        (Kind::List, Some(Value::Array(items))) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, Some(Value::String(s))) => s,
        (_, Some(v)) => v.to_string(),
    }
}

/// Parses what the user typed; `Err` explains why it is not usable.
pub fn parse(kind: Kind, text: &str) -> Result<Option<Value>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match kind {
        Kind::Str => Ok(Some(Value::String(text.to_owned()))),
        Kind::Num => {
            if let Ok(i) = t.parse::<i64>() {
                Ok(Some(Value::from(i)))
            } else {
                t.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(|n| Some(Value::Number(n)))
                    .ok_or_else(|| format!("\"{t}\" is not a number"))
            }
        }
        Kind::Json => serde_json::from_str::<Value>(t)
            .map(Some)
            .map_err(|e| format!("Not valid JSON: {e}")),
        Kind::List => Ok(Some(Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ))),
    }
}

/// The test id of a field: `field-` and the pointer with slashes as dashes.
pub fn field_id(pointer: &str) -> String {
    format!(
        "field-{}",
        pointer.trim_start_matches('/').replace('/', "-")
    )
}

/// A labelled field editing `pointer` of `state`.
pub fn field(
    studio: Studio,
    state: String,
    pointer: String,
    label: &'static str,
    kind: Kind,
    help: &'static str,
) -> impl IntoView + use<> {
    let id = field_id(&pointer);
    let getter = {
        let state = state.clone();
        let pointer = pointer.clone();
        move || show(kind, value_at(studio, &state, &pointer))
    };
    let commit = move |text: String| match parse(kind, &text) {
        Ok(value) => {
            studio.apply(Command::SetField {
                state: (!state.is_empty()).then(|| state.clone()),
                pointer: pointer.clone(),
                value,
            });
        }
        Err(e) => studio.notice.set(Some(format!("{label}: {e}"))),
    };
    let input = if kind == Kind::Json {
        view! {
            <textarea
                id=id.clone()
                data-testid=id.clone()
                rows="4"
                spellcheck="false"
                prop:value=getter
                on:change=move |ev| commit(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                data-testid=id.clone()
                spellcheck="false"
                inputmode=(kind == Kind::Num).then_some("decimal")
                prop:value=getter
                on:change=move |ev| commit(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {(!help.is_empty()).then(|| view! { <small class="muted">{help}</small> })}
        </div>
    }
}

/// A select of the states a transition of `state` may target (same block), with an optional empty choice.
pub fn target_options(studio: Studio, state: &str) -> Vec<String> {
    studio.rev.track();
    studio.with(|d| {
        let outline = d.document().outline();
        let Some(entry) = outline.find(state) else {
            return Vec::new();
        };
        outline.scopes[entry.scope]
            .states
            .iter()
            .map(|&i| outline.states[i].name.clone())
            .filter(|n| n != state)
            .collect()
    })
}
