//! Error handling: the Retry and Catch editors of a Task, Parallel or Map state.

use asl_designer::Command;
use leptos::prelude::*;
use serde_json::Value;

use super::fields::{Kind, field, target_options, value_at};
use crate::contexts::Studio;

/// The Retry and Catch editors.
pub fn error_handling(studio: Studio, state: String) -> impl IntoView + use<> {
    let retry_count = {
        let state = state.clone();
        Memo::new(move |_| {
            value_at(studio, &state, "/Retry")
                .and_then(|v| v.as_array().map(Vec::len))
                .unwrap_or(0)
        })
    };
    let catch_count = {
        let state = state.clone();
        Memo::new(move |_| {
            value_at(studio, &state, "/Catch")
                .and_then(|v| v.as_array().map(Vec::len))
                .unwrap_or(0)
        })
    };
    let retriers = {
        let state = state.clone();
        move || {
            (0..retry_count.get())
                .map(|i| {
                    let state = state.clone();
                    let remove_state = state.clone();
                    view! {
                        <div class="rule" data-testid=format!("retrier-{i}")>
                            <div class="rule-title">{format!("Retrier #{}", i + 1)}</div>
                            {field(studio, state.clone(), format!("/Retry/{i}/ErrorEquals"), "Errors", Kind::List, "Comma separated, e.g. States.ALL")}
                            {field(studio, state.clone(), format!("/Retry/{i}/IntervalSeconds"), "Interval (seconds)", Kind::Num, "")}
                            {field(studio, state.clone(), format!("/Retry/{i}/MaxAttempts"), "Max attempts", Kind::Num, "")}
                            {field(studio, state.clone(), format!("/Retry/{i}/BackoffRate"), "Backoff rate", Kind::Num, "")}
                            {field(studio, state, format!("/Retry/{i}/MaxDelaySeconds"), "Max delay (seconds)", Kind::Num, "")}
                            <button
                                data-testid=format!("retrier-{i}-remove")
                                on:click=move |_| {
                                    studio.apply(Command::RemoveRetry { state: remove_state.clone(), index: i });
                                }
                            >
                                "Remove retrier"
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let catchers = {
        let state = state.clone();
        move || {
            let targets = target_options(studio, &state);
            (0..catch_count.get())
                .map(|i| {
                    let state = state.clone();
                    let remove_state = state.clone();
                    let next_state = state.clone();
                    let next = value_at(studio, &state, &format!("/Catch/{i}/Next"))
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    view! {
                        <div class="rule" data-testid=format!("catcher-{i}")>
                            <div class="rule-title">{format!("Catcher #{}", i + 1)}</div>
                            {field(studio, state.clone(), format!("/Catch/{i}/ErrorEquals"), "Errors", Kind::List, "Comma separated, e.g. States.ALL")}
                            <label>"Fallback state"</label>
                            <select
                                data-testid=format!("catcher-{i}-next")
                                on:change=move |ev| {
                                    studio.apply(Command::SetField {
                                        state: Some(next_state.clone()),
                                        pointer: format!("/Catch/{i}/Next"),
                                        value: Some(Value::String(event_target_value(&ev))),
                                    });
                                }
                            >
                                {targets
                                    .iter()
                                    .map(|n| {
                                        let selected = *n == next;
                                        view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                                    })
                                    .collect_view()}
                            </select>
                            {field(studio, state, format!("/Catch/{i}/ResultPath"), "ResultPath", Kind::Str, "Where the error output goes, e.g. $.error")}
                            <button
                                data-testid=format!("catcher-{i}-remove")
                                on:click=move |_| {
                                    studio.apply(Command::RemoveCatch { state: remove_state.clone(), index: i });
                                }
                            >
                                "Remove catcher"
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let add_retry_state = state.clone();
    let add_catch_state = state.clone();
    view! {
        <div class="error-handling">
            <h4>"Retry"</h4>
            {retriers}
            <button
                data-testid="add-retrier"
                on:click=move |_| {
                    studio.apply(Command::AddRetry { state: add_retry_state.clone(), retrier: None });
                }
            >
                "Add new retrier"
            </button>
            <h4>"Catch"</h4>
            {catchers}
            <button
                data-testid="add-catcher"
                on:click=move |_| {
                    let state = add_catch_state.clone();
                    match target_options(studio, &state).into_iter().next() {
                        Some(next) => {
                            studio.apply(Command::AddCatch { state, next, catcher: None });
                        }
                        None => studio.notice.set(Some("Add a fallback state first.".into())),
                    }
                }
            >
                "Add new catcher"
            </button>
        </div>
    }
}
