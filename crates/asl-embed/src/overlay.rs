//! Execution overlays from history events: which states ran, failed or caught, how often.
//!
//! The input is a list of `GetExecutionHistory` events, as the interpreter emits them or as
//! real AWS returns them (`aws stepfunctions get-execution-history`, whose `input`/`output`
//! fields are JSON strings, and whose `previousEventId` links are not always reliable). Only
//! event types, ids and state names are read, so payloads never matter.
//!
//! The overlay JSON is `{"status": "SUCCEEDED"|..., "states": {NAME: {"status", "retries",
//! "iterations"}}, "edges": [[from, to], ...]}` with statuses `running`, `succeeded`,
//! `failed`, `caught` and `cancelled`, and edge ends as in the SVG's `data-from`/`data-to`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use asl_graph::{Overlay, Status};
use serde_json::{Map, Value, json};

#[derive(Default)]
struct StateRun {
    status: &'static str,
    entered_type: String,
    entries: u32,
    retries: u32,
    scheduled_in_entry: u32,
    failed_in_entry: bool,
    last_entered: u64,
}

/// The event list of a history: a bare array, or an object with `events` (the AWS CLI answer).
fn event_list(history: &Value) -> &[Value] {
    match history {
        Value::Array(a) => a,
        Value::Object(o) => o.get("events").and_then(Value::as_array).map_or(&[], |a| a),
        _ => &[],
    }
}

/// The details object of an event (the field ending in `EventDetails`).
fn details(ev: &Value) -> Option<&Map<String, Value>> {
    ev.as_object()?
        .iter()
        .find(|(k, _)| k.ends_with("EventDetails"))
        .and_then(|(_, v)| v.as_object())
}

/// Computes the overlay JSON of a history (see the module documentation).
pub fn from_history(history: &Value) -> Value {
    let mut events: Vec<&Value> = event_list(history).iter().collect();
    events.sort_by_key(|e| e.get("id").and_then(Value::as_u64).unwrap_or(0));
    let mut states: BTreeMap<String, StateRun> = BTreeMap::new();
    // The state each event belongs to, and the state each `*StateExited` event left.
    let mut owner: HashMap<u64, String> = HashMap::new();
    let mut exited: HashMap<u64, String> = HashMap::new();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    let mut last_exited: Option<String> = None;
    let mut exec_status = "RUNNING";
    let mut any_entered = false;
    for ev in events {
        let id = ev.get("id").and_then(Value::as_u64).unwrap_or(0);
        let prev = ev
            .get("previousEventId")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let kind = ev.get("type").and_then(Value::as_str).unwrap_or("");
        let name = details(ev)
            .and_then(|d| d.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let (Some(prefix), Some(name)) = (kind.strip_suffix("StateEntered"), name.clone()) {
            if let Some(from) = exited.get(&prev) {
                edges.insert((from.clone(), name.clone()));
            } else if !any_entered {
                edges.insert(("__start".into(), name.clone()));
            }
            any_entered = true;
            let st = states.entry(name.clone()).or_default();
            st.status = "running";
            st.entered_type = prefix.to_string();
            st.entries += 1;
            st.scheduled_in_entry = 0;
            st.failed_in_entry = false;
            st.last_entered = id;
            owner.insert(id, name);
            continue;
        }
        if let (Some(_), Some(name)) = (kind.strip_suffix("StateExited"), name.clone()) {
            if let Some(st) = states.get_mut(&name) {
                st.status = if st.failed_in_entry {
                    "caught"
                } else {
                    "succeeded"
                };
            }
            exited.insert(id, name.clone());
            last_exited = Some(name);
            continue;
        }
        match kind {
            "ExecutionSucceeded" => {
                exec_status = "SUCCEEDED";
                if let Some(from) = exited.get(&prev).or(last_exited.as_ref()) {
                    edges.insert((from.clone(), "__end".into()));
                }
                continue;
            }
            "ExecutionFailed" => exec_status = "FAILED",
            "ExecutionTimedOut" => exec_status = "TIMED_OUT",
            "ExecutionAborted" => exec_status = "ABORTED",
            _ => {}
        }
        // Other events belong to the state of their previous event, or else to the most
        // recently entered state that is still running.
        let state = owner.get(&prev).cloned().or_else(|| {
            states
                .iter()
                .filter(|(_, s)| s.status == "running")
                .max_by_key(|(_, s)| s.last_entered)
                .map(|(n, _)| n.clone())
        });
        // `MapStateFailed` and `ParallelStateFailed` name no state: they belong to the
        // innermost running state of that type.
        let block = ["Map", "Parallel"]
            .into_iter()
            .find(|t| kind == format!("{t}StateFailed"));
        let state = match block {
            Some(t) => states
                .iter()
                .filter(|(_, s)| s.status == "running" && s.entered_type == t)
                .max_by_key(|(_, s)| s.last_entered)
                .map(|(n, _)| n.clone()),
            None => state,
        };
        let Some(state) = state else { continue };
        owner.insert(id, state.clone());
        let Some(st) = states.get_mut(&state) else {
            continue;
        };
        let is_exec = kind.starts_with("Execution") || kind.starts_with("MapIteration");
        if kind.ends_with("Scheduled") && !is_exec {
            st.scheduled_in_entry += 1;
            if st.scheduled_in_entry > 1 {
                st.retries += 1;
            }
            st.failed_in_entry = false;
            st.status = "running";
        } else if (kind.ends_with("Failed") || kind.ends_with("TimedOut")) && !is_exec {
            st.failed_in_entry = true;
            st.status = "failed";
        }
    }
    let finished = exec_status != "RUNNING";
    let mut out = Map::new();
    for (name, st) in &states {
        let status = match st.status {
            "running" if st.entered_type == "Fail" => "failed",
            "running" if exec_status == "ABORTED" => "cancelled",
            "running" if finished && exec_status != "SUCCEEDED" => "failed",
            "running" if finished => "cancelled",
            s => s,
        };
        out.insert(
            name.clone(),
            json!({ "status": status, "retries": st.retries, "iterations": st.entries }),
        );
    }
    let edges: Vec<Value> = edges.into_iter().map(|(a, b)| json!([a, b])).collect();
    json!({ "status": exec_status, "states": out, "edges": edges })
}

/// Turns overlay JSON into the graph's overlay. `coverage` marks edges taken or not taken.
///
/// The iteration badge ("×N") is shown when a state ran more than once.
pub fn to_overlay(v: &Value, coverage: bool) -> Overlay {
    let mut overlay = Overlay::default();
    if let Some(states) = v.get("states").and_then(Value::as_object) {
        for (name, s) in states {
            let status = match s.get("status").and_then(Value::as_str) {
                Some("running") => Status::Running,
                Some("succeeded") => Status::Succeeded,
                Some("failed") => Status::Failed,
                Some("caught") => Status::Caught,
                Some("cancelled") => Status::Cancelled,
                Some("not-run") => Status::NotRun,
                _ => continue,
            };
            overlay.node_status.insert(name.clone(), status);
            let count = |k: &str| {
                s.get(k)
                    .and_then(Value::as_u64)
                    .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
            };
            let iterations = count("iterations");
            let (retries, iterations) = (
                count("retries"),
                if iterations > 1 { iterations } else { 0 },
            );
            if retries > 0 || iterations > 0 {
                overlay.badges.insert(name.clone(), (retries, iterations));
            }
        }
    }
    if coverage {
        let taken = v
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let a = e.get(0)?.as_str()?;
                let b = e.get(1)?.as_str()?;
                Some((a.to_string(), b.to_string()))
            })
            .collect();
        overlay.edge_taken = Some(taken);
    }
    overlay
}
