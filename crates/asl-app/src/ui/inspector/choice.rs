//! The Choice rule builder: variable, operator, value and next state per rule, plus Default.

use asl_designer::Command;
use leptos::prelude::*;
use serde_json::{Map, Value};

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

/// What a select shows when the document's value is not among its options.
enum Unlisted {
    /// A valid value the list does not offer (an operator such as `StringEqualsPath`): shown as it is.
    Valid,
    /// A state name that names no state here (deleted, moved away or mistyped in the code):
    /// shown flagged, with this `data-testid`, so the user sees it needs another state.
    Missing(String),
}

/// The `<option>`s of a Choice select: `items`, with the document's `current` value selected.
/// `empty` labels the option for no value (`""`), when the field may be left out. A current
/// value that is not among the items stays selected as an extra option (see [`Unlisted`]), so
/// the select never shows a value the document does not hold.
fn options_view(
    items: Vec<String>,
    current: &str,
    empty: Option<&'static str>,
    unlisted: Unlisted,
) -> impl IntoView + use<> {
    let none =
        empty.map(|label| view! { <option value="" selected=current.is_empty()>{label}</option> });
    let listed = current.is_empty() && empty.is_some() || items.iter().any(|i| i == current);
    let extra = (!listed).then(|| match unlisted {
        Unlisted::Missing(_) if current.is_empty() => view! {
            <option value="" selected=true disabled=true>"(choose a state)"</option>
        }
        .into_any(),
        Unlisted::Missing(test_id) => view! {
            <option value=current.to_owned() selected=true data-testid=test_id>
                {format!("{current} (missing: choose another state)")}
            </option>
        }
        .into_any(),
        Unlisted::Valid => view! {
            <option value=current.to_owned() selected=true>{current.to_owned()}</option>
        }
        .into_any(),
    });
    let options = items
        .into_iter()
        .map(|item| {
            let selected = item == current;
            view! { <option value=item.clone() selected=selected>{item.clone()}</option> }
        })
        .collect_view();
    (none, extra, options)
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
    let default_value_title = default_value.clone();
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
                    title=default_value_title
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
                    {move || {
                        options_view(
                            default_targets(),
                            &default_value_opts(),
                            Some("(no default)"),
                            Unlisted::Missing("choice-default-missing".into()),
                        )
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
    let operators: Vec<String> = OPERATORS.iter().map(|s| (*s).to_owned()).collect();
    let id = |part: &str| format!("choice-rule-{index}-{part}");
    view! {
        <div class="rule" data-testid=id("box")>
            <div class="rule-title">{format!("Rule #{}", index + 1)}</div>
            <label>"Variable"</label>
            <input data-testid=id("variable") prop:value=s.variable.clone() on:change=make_update("variable") />
            <label>"Operator"</label>
            <select data-testid=id("operator") title=s.operator.clone() on:change=make_update("operator")>
                {options_view(operators, &s.operator, None, Unlisted::Valid)}
            </select>
            <label>"Value"</label>
            <input data-testid=id("value") prop:value=s.value.clone() on:change=make_update("value") />
            <label>"Then next state is"</label>
            <select data-testid=id("next") title=s.next.clone() on:change=make_update("next")>
                {options_view(targets, &s.next, None, Unlisted::Missing(id("next-missing")))}
            </select>
            <button data-testid=id("remove") on:click=remove>"Remove rule"</button>
        </div>
    }
    .into_any()
}
