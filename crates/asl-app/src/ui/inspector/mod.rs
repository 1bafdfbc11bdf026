//! The inspector: forms for the selected state (Configuration, Input/Output, Variables, Error
//! handling) or for the machine when nothing is selected. Every change is a designer command.

mod choice;
mod errors;
mod fields;

use asl_designer::{Command, QueryLanguage};
use leptos::prelude::*;
use serde_json::Value;

use crate::contexts::{Studio, use_studio};
use fields::{Kind, field, target_options, value_at};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Config,
    Io,
    Variables,
    Errors,
}

/// The inspector panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let studio = use_studio();
    let tab = RwSignal::new(Tab::Config);
    let selected = Memo::new(move |_| {
        let name = studio.selection.with(|s| s.primary().map(str::to_owned))?;
        let ty = value_at(studio, &name, "/Type")?;
        Some((name, ty.as_str().unwrap_or_default().to_owned()))
    });
    view! {
        <aside class="inspector" data-testid="inspector" aria-label="Inspector">
            {move || match selected.get() {
                None => machine_form(studio).into_any(),
                Some((name, ty)) => state_form(studio, name, ty, tab).into_any(),
            }}
        </aside>
    }
}

fn machine_form(studio: Studio) -> impl IntoView {
    view! {
        <h2>"State machine"</h2>
        <p class="muted">"Select a state on the canvas to edit it."</p>
        {field(studio, String::new(), "/Comment".into(), "Comment", Kind::Str, "")}
        {field(studio, String::new(), "/TimeoutSeconds".into(), "Timeout (seconds)", Kind::Num, "")}
        <div class="field">
            <label for="machine-ql">"Query language"</label>
            <select
                id="machine-ql"
                data-testid="machine-query-language"
                on:change=move |ev| {
                    if let Some(language) = QueryLanguage::parse(&event_target_value(&ev)) {
                        studio.apply(Command::SetQueryLanguage { state: None, language });
                    }
                }
            >
                {move || {
                    let current = value_at(studio, "", "/QueryLanguage")
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_else(|| "JSONPath".into());
                    ["JSONPath", "JSONata"]
                        .into_iter()
                        .map(|q| view! { <option value=q selected=q == current>{q}</option> })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

fn is_jsonata(studio: Studio, name: &str) -> bool {
    let own = value_at(studio, name, "/QueryLanguage").and_then(|v| v.as_str().map(str::to_owned));
    let top = value_at(studio, "", "/QueryLanguage").and_then(|v| v.as_str().map(str::to_owned));
    own.or(top).as_deref() == Some("JSONata")
}

fn tab_button(tab: RwSignal<Tab>, me: Tab, label: &'static str, id: &'static str) -> impl IntoView {
    view! {
        <button
            role="tab"
            data-testid=id
            aria-selected=move || (tab.get() == me).to_string()
            class:active=move || tab.get() == me
            on:click=move |_| tab.set(me)
        >
            {label}
        </button>
    }
}

fn state_form(studio: Studio, name: String, ty: String, tab: RwSignal<Tab>) -> impl IntoView {
    let rename_from = name.clone();
    let delete_name = name.clone();
    let dup_name = name.clone();
    let has_errors = matches!(ty.as_str(), "Task" | "Parallel" | "Map");
    // A memo: the tab is rebuilt when the query language changes, not on every keystroke.
    let jsonata = {
        let name = name.clone();
        Memo::new(move |_| is_jsonata(studio, &name))
    };
    let content = {
        let name = name.clone();
        let ty = ty.clone();
        move || {
            let jsonata = jsonata.get();
            match tab.get() {
                Tab::Config => config_tab(studio, name.clone(), &ty, jsonata).into_any(),
                Tab::Io => io_tab(studio, name.clone(), &ty, jsonata).into_any(),
                Tab::Variables => field(
                    studio,
                    name.clone(),
                    "/Assign".into(),
                    "Assign variables (JSON)",
                    Kind::Json,
                    "An object of variable names and values, e.g. {\"total.$\": \"$.sum\"}",
                )
                .into_any(),
                Tab::Errors if has_errors => {
                    errors::error_handling(studio, name.clone()).into_any()
                }
                Tab::Errors => view! {
                    <p class="muted">"Retry and Catch apply to Task, Parallel and Map states."</p>
                }
                .into_any(),
            }
        }
    };
    view! {
        <div class="state-form">
            <div class="field">
                <label for="inspector-name">"State name"</label>
                <input
                    id="inspector-name"
                    data-testid="inspector-name"
                    title=name.clone()
                    prop:value=name.clone()
                    on:change=move |ev| {
                        let to = event_target_value(&ev);
                        if to != rename_from && !to.is_empty() {
                            let out = studio.apply(Command::Rename { from: rename_from.clone(), to });
                            if out.error.is_some() {
                                event_target::<web_sys::HtmlInputElement>(&ev).set_value(&rename_from);
                            }
                        }
                    }
                />
            </div>
            <div class="type-row">
                <span class="type-chip" data-testid="inspector-type">{ty.clone()}</span>
                <span class="spacer"></span>
                <button
                    data-testid="duplicate-state"
                    on:click=move |_| {
                        studio.apply(Command::Duplicate(dup_name.clone()));
                    }
                >
                    "Duplicate"
                </button>
                <button
                    data-testid="delete-state"
                    class="danger"
                    on:click=move |_| {
                        studio.apply(Command::DeleteStates(vec![delete_name.clone()]));
                    }
                >
                    "Delete"
                </button>
            </div>
            <div class="tabs" role="tablist">
                {tab_button(tab, Tab::Config, "Configuration", "inspector-tab-config")}
                {tab_button(tab, Tab::Io, "Input/Output", "inspector-tab-io")}
                {tab_button(tab, Tab::Variables, "Variables", "inspector-tab-variables")}
                {tab_button(tab, Tab::Errors, "Error handling", "inspector-tab-errors")}
            </div>
            <div class="tab-body">{content}</div>
        </div>
    }
}

fn next_select(studio: Studio, name: String) -> impl IntoView {
    // Memos, so that a keystroke elsewhere in a 200-state document re-renders no option.
    let current = {
        let name = name.clone();
        Memo::new(move |_| {
            value_at(studio, &name, "/Next")
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
    };
    let names = {
        let name = name.clone();
        Memo::new(move |_| target_options(studio, &name))
    };
    let options = move || {
        names
            .get()
            .into_iter()
            .map(|n| {
                let value = n.clone();
                view! {
                    <option value=value.clone() selected=move || current.get() == value>
                        {n}
                    </option>
                }
            })
            .collect_view()
    };
    // A Next that names no state of the block (typed in the code) is shown as such.
    let missing = move || {
        let now = current.get();
        (!now.is_empty() && !names.with(|n| n.contains(&now))).then(|| {
            view! {
                <option value=now.clone() selected=true>
                    {format!("{now} (missing)")}
                </option>
            }
        })
    };
    view! {
        <div class="field">
            <label for="inspector-next">"Next state"</label>
            <select
                id="inspector-next"
                data-testid="inspector-next"
                title=move || current.get()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    studio.apply(Command::SetNext {
                        state: name.clone(),
                        next: (!v.is_empty()).then_some(v),
                    });
                }
            >
                <option value="">"(End of workflow)"</option>
                {options}
                {missing}
            </select>
        </div>
    }
}

fn config_tab(studio: Studio, name: String, ty: &str, jsonata: bool) -> impl IntoView {
    let f = |pointer: &str, label: &'static str, kind: Kind, help: &'static str| {
        field(studio, name.clone(), pointer.to_owned(), label, kind, help)
    };
    let specific = match ty {
        "Task" => view! {
            {f("/Resource", "Resource (API)", Kind::Str, "e.g. arn:aws:states:::lambda:invoke")}
            {if jsonata {
                f("/Arguments", "Arguments (JSON)", Kind::Json, "The API parameters, JSONata expressions in {% %}")
            } else {
                f("/Parameters", "API Parameters (JSON)", Kind::Json, "Keys ending in .$ take a JSONPath or intrinsic")
            }}
            {f("/TimeoutSeconds", "Timeout (seconds)", Kind::Num, "")}
            {f("/HeartbeatSeconds", "Heartbeat (seconds)", Kind::Num, "")}
        }
        .into_any(),
        "Pass" => f("/Result", "Result (JSON)", Kind::Json, "Fixed output of the state").into_any(),
        "Wait" => view! {
            {f("/Seconds", "Seconds", Kind::Num, "Wait a fixed time")}
            {f("/Timestamp", "Timestamp", Kind::Str, "Or until a time, e.g. 2026-01-01T00:00:00Z")}
            {f("/SecondsPath", "SecondsPath", Kind::Str, "Or a path to the seconds in the input")}
        }
        .into_any(),
        "Fail" => view! {
            {f("/Error", "Error", Kind::Str, "")}
            {f("/Cause", "Cause", Kind::Str, "")}
        }
        .into_any(),
        "Map" => view! {
            {if jsonata {
                f("/Items", "Items (JSON)", Kind::Json, "")
            } else {
                f("/ItemsPath", "ItemsPath", Kind::Str, "e.g. $.items")
            }}
            {f("/MaxConcurrency", "Max concurrency", Kind::Num, "0 = no limit")}
            {f("/ItemSelector", "ItemSelector (JSON)", Kind::Json, "")}
        }
        .into_any(),
        "Parallel" => {
            let n = name.clone();
            view! {
                <button
                    data-testid="add-branch"
                    on:click=move |_| {
                        studio.apply(Command::AddBranch { state: n.clone() });
                    }
                >
                    "Add branch"
                </button>
            }
            .into_any()
        }
        "Choice" => choice::choice_rules(studio, name.clone()).into_any(),
        _ => ().into_any(),
    };
    let next =
        (!matches!(ty, "Choice" | "Succeed" | "Fail")).then(|| next_select(studio, name.clone()));
    let ql_name = name.clone();
    view! {
        {specific}
        {next}
        {f("/Comment", "Comment", Kind::Str, "")}
        <div class="field">
            <label for="state-ql">"Query language"</label>
            <select
                id="state-ql"
                data-testid="state-query-language"
                on:change=move |ev| {
                    if let Some(language) = QueryLanguage::parse(&event_target_value(&ev)) {
                        studio.apply(Command::SetQueryLanguage { state: Some(ql_name.clone()), language });
                    }
                }
            >
                <option value="JSONPath" selected=!jsonata>"JSONPath"</option>
                <option value="JSONata" selected=jsonata>"JSONata"</option>
            </select>
        </div>
    }
}

fn io_tab(studio: Studio, name: String, ty: &str, jsonata: bool) -> impl IntoView {
    let f = |pointer: &str, label: &'static str, kind: Kind, help: &'static str| {
        field(studio, name.clone(), pointer.to_owned(), label, kind, help)
    };
    if jsonata {
        return view! {
            {f("/Output", "Output (JSON or JSONata)", Kind::Json, "e.g. \"{% $states.result.Payload %}\"")}
        }
        .into_any();
    }
    let parameters = (ty != "Task").then(|| {
        f(
            "/Parameters",
            "Parameters (JSON)",
            Kind::Json,
            "Transform the input",
        )
    });
    let selector = matches!(ty, "Task" | "Map" | "Parallel").then(|| {
        f(
            "/ResultSelector",
            "ResultSelector (JSON)",
            Kind::Json,
            "Shape the result",
        )
    });
    let result_path = (!matches!(ty, "Choice" | "Succeed" | "Fail" | "Wait")).then(|| {
        f(
            "/ResultPath",
            "ResultPath",
            Kind::Str,
            "Where the result goes in the input, e.g. $.result",
        )
    });
    let _ = Value::Null;
    view! {
        {f("/InputPath", "InputPath", Kind::Str, "Filter the input, e.g. $.detail")}
        {parameters}
        {selector}
        {result_path}
        {f("/OutputPath", "OutputPath", Kind::Str, "Filter the output, e.g. $.Payload")}
    }
    .into_any()
}
