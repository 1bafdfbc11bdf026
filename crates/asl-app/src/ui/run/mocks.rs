//! The per-Task mock editor: for the chosen test case, each Task state's response sequence
//! (invocation ranges answered with `Return` or `Throw`), written back into the MockConfigFile.

use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::contexts::Studio;

/// Reads the mock document (an empty MockConfigFile when the text is empty or not JSON).
fn config(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({ "StateMachines": {}, "MockedResponses": {} }))
}

/// The machine key holding the test case (the first one that has it, else the document's name).
fn machine_key(cfg: &Value, case: &str, fallback: &str) -> String {
    cfg.get("StateMachines")
        .and_then(Value::as_object)
        .and_then(|m| {
            m.iter()
                .find(|(_, v)| v.pointer(&format!("/TestCases/{}", escape(case))).is_some())
                .map(|(k, _)| k.clone())
        })
        .unwrap_or_else(|| {
            if fallback.is_empty() {
                "StateMachine".into()
            } else {
                fallback.to_owned()
            }
        })
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The response sequence of a state in a test case.
pub fn responses(text: &str, case: &str, state: &str) -> Option<Value> {
    let cfg = config(text);
    let machine = machine_key(&cfg, case, "");
    let name = cfg
        .pointer(&format!(
            "/StateMachines/{}/TestCases/{}/{}",
            escape(&machine),
            escape(case),
            escape(state)
        ))?
        .as_str()?
        .to_owned();
    cfg.pointer(&format!("/MockedResponses/{}", escape(&name)))
        .cloned()
}

/// Replaces (or removes, with `None`) a state's response sequence in a test case.
pub fn set_responses(
    text: &str,
    case: &str,
    machine_name: &str,
    state: &str,
    seq: Option<Value>,
) -> String {
    let mut cfg = config(text);
    let machine = machine_key(&cfg, case, machine_name);
    let response_name = format!("{case}.{state}");
    let obj = cfg.as_object_mut().expect("config is an object");
    let machines = obj
        .entry("StateMachines")
        .or_insert_with(|| Value::Object(Map::new()));
    if !machines.is_object() {
        *machines = Value::Object(Map::new());
    }
    let cases = machines
        .as_object_mut()
        .expect("object")
        .entry(machine)
        .or_insert_with(|| json!({ "TestCases": {} }));
    if cases.get("TestCases").is_none_or(|v| !v.is_object()) {
        cases["TestCases"] = json!({});
    }
    let case_map = cases["TestCases"]
        .as_object_mut()
        .expect("object")
        .entry(case.to_owned())
        .or_insert_with(|| json!({}));
    if !case_map.is_object() {
        *case_map = json!({});
    }
    let existing = case_map
        .get(state)
        .and_then(Value::as_str)
        .map(str::to_owned);
    match &seq {
        Some(_) => {
            case_map[state] = Value::String(existing.clone().unwrap_or(response_name.clone()));
        }
        None => {
            case_map.as_object_mut().expect("object").remove(state);
        }
    }
    if let Some(seq) = seq {
        let name = existing.unwrap_or(response_name);
        let responses = obj
            .entry("MockedResponses")
            .or_insert_with(|| Value::Object(Map::new()));
        if !responses.is_object() {
            *responses = Value::Object(Map::new());
        }
        responses[name.as_str()] = seq;
    }
    serde_json::to_string_pretty(&cfg).unwrap_or_default()
}

/// The next free invocation index of a sequence (after the highest range end).
fn next_index(seq: &Value) -> u64 {
    seq.as_object()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()))
                .map(|n| n + 1)
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// The editor.
pub fn task_mock_editor(
    studio: Studio,
    mocks: RwSignal<String>,
    test_case: RwSignal<String>,
) -> impl IntoView {
    let tasks = move || {
        studio.rev.track();
        studio.with(|d| {
            d.document()
                .outline()
                .states
                .iter()
                .filter(|s| s.ty == "Task")
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let task = RwSignal::new(String::new());
    let current = move || {
        let t = task.get();
        let t = if t.is_empty() {
            tasks().into_iter().next().unwrap_or_default()
        } else {
            t
        };
        let seq = responses(&mocks.get(), &test_case.get(), &t);
        (t, seq)
    };
    let machine_name = move || studio.with(|d| d.document().settings().name.clone());
    let write = move |state: String, seq: Option<Value>| {
        let mut case = test_case.get_untracked();
        if case.is_empty() {
            case = "Default".into();
            test_case.set(case.clone());
        }
        mocks.set(set_responses(
            &mocks.get_untracked(),
            &case,
            &machine_name(),
            &state,
            seq,
        ));
    };
    let add = move |throw: bool| {
        let (state, seq) = current();
        if state.is_empty() {
            return;
        }
        let mut seq = seq.unwrap_or_else(|| json!({}));
        let i = next_index(&seq);
        let answer = if throw {
            json!({ "Throw": { "Error": "States.TaskFailed", "Cause": "Mocked failure" } })
        } else {
            json!({ "Return": { "StatusCode": 200, "Payload": {} } })
        };
        if let Some(m) = seq.as_object_mut() {
            m.insert(i.to_string(), answer);
        }
        write(state, Some(seq));
    };
    let has_tasks = move || !tasks().is_empty();
    view! {
        <Show when=has_tasks fallback=|| view! { <p class="muted small">"This machine has no Task states to mock."</p> }>
        <div class="task-mocks" data-testid="task-mocks">
            <label>
                "Task "
                <select
                    data-testid="task-mock-state"
                    title=move || current().0
                    on:change=move |ev| task.set(event_target_value(&ev))
                >
                    {move || {
                        let selected = current().0;
                        tasks()
                            .into_iter()
                            .map(|t| view! { <option value=t.clone() selected=t == selected>{t.clone()}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            <textarea
                rows="5"
                spellcheck="false"
                data-testid="task-mock-sequence"
                aria-label="Responses by invocation: {\"0\": {\"Return\": …}, \"1-2\": {\"Throw\": {\"Error\", \"Cause\"}}}"
                prop:value=move || {
                    current()
                        .1
                        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
                        .unwrap_or_default()
                }
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    let state = current().0;
                    if text.trim().is_empty() {
                        write(state, None);
                    } else if let Ok(v) = serde_json::from_str::<Value>(&text) {
                        write(state, Some(v));
                    } else {
                        studio.notice.set(Some("The responses are not valid JSON.".into()));
                    }
                }
            ></textarea>
            <div class="row">
                <button data-testid="task-mock-add-return" on:click=move |_| add(false)>"Add Return"</button>
                <button data-testid="task-mock-add-throw" on:click=move |_| add(true)>"Add Throw"</button>
                <button data-testid="task-mock-clear" on:click=move |_| write(current().0, None)>"Unmock"</button>
            </div>
        </div>
        </Show>
    }
}
