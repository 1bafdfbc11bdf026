//! The Choice rule builder: variable, operator, value and next state per rule, plus Default.

use asl_designer::Command;
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use super::fields::{target_options, value_at};
use crate::contexts::Studio;

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringMatches",
    "NumericEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "IsPresent",
    "IsNull",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// A rule simple enough for the form: `Variable`, one operator, `Next`.
struct Simple {
    variable: String,
    operator: String,
    value: String,
    next: String,
}

fn simple(rule: &Value) -> Option<Simple> {
    let obj = rule.as_object()?;
    let variable = obj.get("Variable")?.as_str()?.to_owned();
    let next = obj
        .get("Next")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut ops = obj.iter().filter(|(k, _)| {
        !matches!(
            k.as_str(),
            "Variable" | "Next" | "Comment" | "Assign" | "Output"
        )
    });
    let (operator, value) = ops.next()?;
    if ops.next().is_some() {
        return None;
    }
    let value = match value {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    Some(Simple {
        variable,
        operator: operator.clone(),
        value,
        next,
    })
}

fn typed_value(operator: &str, text: &str) -> Value {
    if operator.ends_with("Path")
        || operator.starts_with("String")
        || operator.starts_with("Timestamp")
    {
        return Value::String(text.to_owned());
    }
    if operator.starts_with("Numeric") {
        return serde_json::from_str::<Value>(text.trim())
            .ok()
            .filter(Value::is_number)
            .unwrap_or_else(|| Value::String(text.to_owned()));
    }
    Value::Bool(text.trim() != "false")
}

fn rebuild(s: &Simple, original: &Value) -> Value {
    let mut out = Map::new();
    out.insert("Variable".into(), Value::String(s.variable.clone()));
    out.insert(s.operator.clone(), typed_value(&s.operator, &s.value));
    if let Some(obj) = original.as_object() {
        for key in ["Comment", "Assign", "Output"] {
            if let Some(v) = obj.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    out.insert("Next".into(), Value::String(s.next.clone()));
    Value::Object(out)
}

/// The rule builder of a Choice state.
pub fn choice_rules(studio: Studio, state: String) -> impl IntoView + use<> {
    let rules = {
        let state = state.clone();
        Memo::new(move |_| value_at(studio, &state, "/Choices").unwrap_or(Value::Array(Vec::new())))
    };
    let state_for_list = state.clone();
    let list = move || {
        let state = state_for_list.clone();
        let targets = target_options(studio, &state);
        let items = rules.get().as_array().cloned().unwrap_or_default();
        items
            .into_iter()
            .enumerate()
            .map(|(i, rule)| rule_view(studio, state.clone(), i, rule, targets.clone()))
            .collect_view()
    };
    let add_state = state.clone();
    let default_state = state.clone();
    let default_value = {
        let state = state.clone();
        move || {
            value_at(studio, &state, "/Default")
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }
    };
    let default_value_attr = default_value.clone();
    let default_value_opts = default_value;
    let default_targets = {
        let state = state.clone();
        move || target_options(studio, &state)
    };
    view! {
        <div class="choice-rules" data-testid="choice-rules">
            <h4>"Choice rules"</h4>
            {list}
            <button
                data-testid="choice-add-rule"
                on:click=move |_| {
                    studio
                        .apply(Command::AddChoiceRule {
                            state: add_state.clone(),
                            rule: None,
                        });
                }
            >
                "Add new choice rule"
            </button>
            <div class="field">
                <label for="choice-default">"Default rule: go to"</label>
                <select
                    id="choice-default"
                    data-testid="choice-default"
                    prop:value=default_value_attr
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        studio
                            .apply(Command::SetField {
                                state: Some(default_state.clone()),
                                pointer: "/Default".into(),
                                value: (!v.is_empty()).then(|| Value::String(v)),
                            });
                    }
                >
                    <option value="">"(no default)"</option>
                    {move || {
                        let current = default_value_opts();
                        let targets = default_targets();
                        // A Default naming a state that was deleted or moved away is shown, flagged.
                        let missing = (!current.is_empty() && !targets.contains(&current))
                            .then(|| {
                                view! {
                                    <option value=current.clone() selected=true data-testid="choice-default-missing">
                                        {format!("{current} (missing: choose another state)")}
                                    </option>
                                }
                            });
                        let options = targets
                            .into_iter()
                            .map(|n| {
                                let selected = n == current;
                                view! {
                                    <option value=n.clone() selected=selected>
                                        {n.clone()}
                                    </option>
                                }
                            })
                            .collect_view();
                        (missing, options)
                    }}
                </select>
            </div>
        </div>
    }
}

fn rule_view(
    studio: Studio,
    state: String,
    index: usize,
    rule: Value,
    targets: Vec<String>,
) -> AnyView {
    let remove_state = state.clone();
    let remove = move |_| {
        studio.apply(Command::RemoveChoiceRule {
            state: remove_state.clone(),
            index,
        });
    };
    let Some(s) = simple(&rule) else {
        // Compound rules (And, Or, Not, JSONata Condition) are edited as JSON.
        let text = serde_json::to_string_pretty(&rule).unwrap_or_default();
        return view! {
            <div class="rule" data-testid=format!("choice-rule-{index}")>
                <div class="rule-title">{format!("Rule #{}", index + 1)}</div>
                <textarea
                    rows="5"
                    spellcheck="false"
                    data-testid=format!("choice-rule-{index}-json")
                    prop:value=text
                    on:change=move |ev| {
                        match serde_json::from_str::<Value>(&event_target_value(&ev)) {
                            Ok(rule) => {
                                studio.apply(Command::SetChoiceRule { state: state.clone(), index, rule });
                            }
                            Err(e) => studio.notice.set(Some(format!("Rule: not valid JSON: {e}"))),
                        }
                    }
                ></textarea>
                <button on:click=remove>"Remove"</button>
            </div>
        }
        .into_any();
    };
    let current = std::rc::Rc::new(std::cell::RefCell::new(s));
    let original = rule.clone();
    let make_update = move |what: &'static str| {
        let current = current.clone();
        let state = state.clone();
        let original = original.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            {
                let mut c = current.borrow_mut();
                match what {
                    "variable" => c.variable = v,
                    "operator" => c.operator = v,
                    "value" => c.value = v,
                    _ => c.next = v,
                }
            }
            let rule = rebuild(&current.borrow(), &original);
            studio.apply(Command::SetChoiceRule {
                state: state.clone(),
                index,
                rule,
            });
        }
    };
    let s = simple(&rule).unwrap_or(Simple {
        variable: String::new(),
        operator: String::new(),
        value: String::new(),
        next: String::new(),
    });
    let mut operators: Vec<String> = OPERATORS.iter().map(|s| (*s).to_owned()).collect();
    if !operators.contains(&s.operator) {
        operators.push(s.operator.clone());
    }
    let id = |part: &str| format!("choice-rule-{index}-{part}");
    let _ = json!(null);
    view! {
        <div class="rule" data-testid=id("box")>
            <div class="rule-title">{format!("Rule #{}", index + 1)}</div>
            <label>"Variable"</label>
            <input data-testid=id("variable") prop:value=s.variable.clone() on:change=make_update("variable") />
            <label>"Operator"</label>
            <select data-testid=id("operator") on:change=make_update("operator")>
                {operators
                    .into_iter()
                    .map(|o| {
                        let selected = o == s.operator;
                        view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <label>"Value"</label>
            <input data-testid=id("value") prop:value=s.value.clone() on:change=make_update("value") />
            <label>"Then next state is"</label>
            <select data-testid=id("next") on:change=make_update("next")>
                {targets
                    .into_iter()
                    .map(|n| {
                        let selected = n == s.next;
                        view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <button data-testid=id("remove") on:click=remove>"Remove rule"</button>
        </div>
    }
    .into_any()
}
