//! Saved test cases: the list kept with the document (`Settings::tests`, the `testCases` of a
//! studio document), saving the current run as a test case, "Run all" with pass/fail and the
//! reason of each failure, the state and transition coverage on the graph, and the export of
//! the studio document that `asl test` runs in CI.

use std::collections::BTreeSet;

use asl_designer::Command;
use asl_designer::simulation::tests::{TestReport, expect_of, run_test_cases, studio_document};
use asl_graph::{Overlay, Status as NodeStatus};
use leptos::prelude::*;
use serde_json::{Value, json};

use super::RunUi;
use crate::contexts::Studio;
use crate::platform::files;

/// The saved test cases of the document.
fn saved(studio: Studio) -> Vec<Value> {
    studio.with(|d| {
        d.document()
            .settings()
            .tests
            .as_array()
            .cloned()
            .unwrap_or_default()
    })
}

fn save(studio: Studio, tests: Vec<Value>) {
    let mut settings = studio.with(|d| d.document().settings().clone());
    settings.tests = if tests.is_empty() {
        Value::Null
    } else {
        Value::Array(tests)
    };
    studio.apply(Command::SetSettings(settings));
}

/// The graph overlay of a report: covered states green, the others dimmed; taken edges green.
pub fn coverage_overlay(studio: Studio, report: &TestReport) -> Overlay {
    let names: Vec<String> = studio.with(|d| {
        d.document()
            .analysis()
            .outline
            .states
            .iter()
            .map(|s| s.name.clone())
            .collect()
    });
    let node_status = names
        .into_iter()
        .map(|n| {
            let s = if report.states.contains(&n) {
                NodeStatus::Succeeded
            } else {
                NodeStatus::NotRun
            };
            (n, s)
        })
        .collect();
    Overlay {
        node_status,
        badges: Default::default(),
        edge_taken: Some(report.edges.clone()),
    }
}

/// `(covered, total)` states and transitions of the graph.
fn coverage_counts(studio: Studio, report: &TestReport) -> ((usize, usize), (usize, usize)) {
    let scene = studio.scene();
    let states: BTreeSet<&str> = scene
        .nodes
        .iter()
        .filter(|n| !n.state_type.is_empty())
        .map(|n| n.name.as_str())
        .collect();
    let covered_states = states
        .iter()
        .filter(|s| report.states.contains(**s))
        .count();
    let edges: BTreeSet<(&str, &str)> = scene
        .edges
        .iter()
        .map(|e| (e.from_ref.as_str(), e.to_ref.as_str()))
        .collect();
    let covered_edges = edges
        .iter()
        .filter(|(a, b)| report.edges.contains(&((*a).to_owned(), (*b).to_owned())))
        .count();
    ((covered_states, states.len()), (covered_edges, edges.len()))
}

/// The test cases section of the run panel.
pub fn test_cases_view(ui: RunUi, studio: Studio) -> impl IntoView {
    let report: RwSignal<Option<TestReport>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let show_coverage = RwSignal::new(false);
    let tests = move || {
        // Tracks document changes.
        studio.rev.get();
        saved(studio)
    };
    let run_all = move |_| {
        let doc = studio.with(|d| {
            let doc = d.document();
            studio_document(
                doc.machine_value().0.unwrap_or(&Value::Null),
                doc.settings(),
            )
        });
        match run_test_cases(&doc) {
            Ok(r) => {
                error.set(None);
                if show_coverage.get_untracked() {
                    studio.overlay.set(Some(coverage_overlay(studio, &r)));
                }
                report.set(Some(r));
            }
            Err(e) => {
                report.set(None);
                error.set(Some(e));
            }
        }
    };
    let add = move |_| {
        let name = new_name.get_untracked().trim().to_owned();
        let name = if name.is_empty() {
            format!("Test case {}", saved(studio).len() + 1)
        } else {
            name
        };
        let input = match serde_json::from_str::<Value>(&ui.input.get_untracked()) {
            Ok(v) => v,
            Err(e) => {
                error.set(Some(format!("The input is not valid JSON: {e}")));
                return;
            }
        };
        // The expectations are what the current run gave, when it finished.
        let expect = ui
            .run
            .with_value(|r| {
                r.as_ref().and_then(|r| {
                    let result = r.execution().result();
                    (result.status != asl_interp::Status::Running).then(|| expect_of(&result))
                })
            })
            .unwrap_or_else(|| json!({ "status": "SUCCEEDED" }));
        let mut case = serde_json::Map::new();
        case.insert("name".into(), json!(name));
        case.insert("input".into(), input);
        let mock_case = ui.test_case.get_untracked();
        if !mock_case.is_empty() {
            case.insert("mockTestCase".into(), json!(mock_case));
        }
        case.insert(
            "unmocked".into(),
            json!(if ui.echo.get_untracked() {
                "echo"
            } else {
                "fail"
            }),
        );
        case.insert("expect".into(), expect);
        let mut all = saved(studio);
        all.retain(|c| c.get("name").and_then(Value::as_str) != Some(name.as_str()));
        all.push(Value::Object(case));
        save(studio, all);
        new_name.set(String::new());
        error.set(None);
    };
    let export = move |_| {
        let (doc, name) = studio.with(|d| {
            let doc = d.document();
            (
                studio_document(
                    doc.machine_value().0.unwrap_or(&Value::Null),
                    doc.settings(),
                ),
                doc.settings().name.clone(),
            )
        });
        let stem = if name.is_empty() {
            "state-machine".into()
        } else {
            name
        };
        files::download_text(
            &format!("{stem}.studio.json"),
            "application/json",
            &serde_json::to_string_pretty(&doc).unwrap_or_default(),
        );
    };
    let toggle_coverage = move |ev| {
        let on = event_target_checked(&ev);
        show_coverage.set(on);
        if on {
            if let Some(r) = report.get_untracked() {
                studio.overlay.set(Some(coverage_overlay(studio, &r)));
            }
        } else {
            super::refresh_overlay(ui, studio);
        }
    };
    view! {
        // Open when the document has test cases; otherwise one line above the results.
        <details class="test-cases" data-testid="test-cases" open=!saved(studio).is_empty()>
            <summary data-testid="test-cases-summary">
                {move || {
                    let n = tests().len();
                    if n == 0 { "Test cases".to_string() } else { format!("Test cases ({n})") }
                }}
            </summary>
            <p class="muted small">
                "Saved with the document. Each runs its input with the chosen mocks and checks the expected status, output and path; "
                <code>"asl test"</code>
                " runs the exported file in CI."
            </p>
            <div class="row">
                <input
                    type="text"
                    placeholder="Name of a new test case"
                    data-testid="test-case-name"
                    prop:value=move || new_name.get()
                    on:input=move |ev| new_name.set(event_target_value(&ev))
                />
                <button
                    data-testid="test-case-add"
                    title="Save the input, the mocks test case and what the last run gave as a test case"
                    on:click=add
                >
                    "Save run as test case"
                </button>
            </div>
            <ul class="case-list" data-testid="test-case-list">
                {move || {
                    let outcomes = report.get();
                    // Cases naming a test case the mock file lacks say so before they are run.
                    let unresolved = studio.with(|d| {
                        asl_designer::share::unresolved_cases(d.document().settings())
                    });
                    tests()
                        .into_iter()
                        .enumerate()
                        .map(|(i, case)| {
                            let name = case.get("name").and_then(Value::as_str).unwrap_or("(unnamed)").to_owned();
                            let outcome = outcomes
                                .as_ref()
                                .and_then(|r| r.cases.get(i))
                                .filter(|o| o.name == name)
                                .cloned();
                            let result = match &outcome {
                                None => "not-run",
                                Some(o) if o.passed => "pass",
                                Some(_) => "fail",
                            };
                            let summary = summary_of(&case);
                            let missing = unresolved
                                .iter()
                                .find(|(case_name, _)| *case_name == name)
                                .map(|(_, reference)| reference.clone());
                            let load_case = case.clone();
                            let edit_text = serde_json::to_string_pretty(&case).unwrap_or_default();
                            let delete_name = name.clone();
                            view! {
                                <li data-testid="test-case" data-name=name.clone() data-result=result class=format!("case {result}")>
                                    <div class="row">
                                        <span class="badge">{match result { "pass" => "PASS", "fail" => "FAIL", _ => "—" }}</span>
                                        <strong>{name.clone()}</strong>
                                        <span class="muted small">{summary}</span>
                                        <span class="spacer"></span>
                                        <button
                                            data-testid="test-case-load"
                                            title="Put this test case's input and mocks in the run controls"
                                            on:click=move |_| load(ui, &load_case)
                                        >
                                            "Load"
                                        </button>
                                        <button data-testid="test-case-edit" on:click=move |_| editing.set(Some(edit_text.clone()))>"Edit"</button>
                                        <button
                                            data-testid="test-case-delete"
                                            on:click=move |_| {
                                                let mut all = saved(studio);
                                                all.retain(|c| c.get("name").and_then(Value::as_str) != Some(delete_name.as_str()));
                                                save(studio, all);
                                            }
                                        >
                                            "Delete"
                                        </button>
                                    </div>
                                    {missing.map(|m| view! {
                                        <div class="reason" data-testid="test-case-missing-mocks">
                                            {format!("The mock file has no test case \u{201c}{m}\u{201d}: add it to the mocks above, or edit this test case to use other mocks.")}
                                        </div>
                                    })}
                                    {outcome.and_then(|o| o.reason).map(|r| view! {
                                        <div class="reason" data-testid="test-case-reason">{r}</div>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || editing.get().map(|text| {
                let draft = RwSignal::new(text);
                view! {
                    <div class="case-editor">
                        <label>"Test case (JSON: name, input, mockTestCase, mocks, unmocked, expect {status, output, error, cause, path})"</label>
                        <textarea
                            rows="8"
                            spellcheck="false"
                            data-testid="test-case-json"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        ></textarea>
                        <div class="row">
                            <button
                                class="primary"
                                data-testid="test-case-apply"
                                on:click=move |_| match apply_edit(studio, &draft.get_untracked()) {
                                    Ok(()) => {
                                        editing.set(None);
                                        error.set(None);
                                    }
                                    Err(e) => error.set(Some(e)),
                                }
                            >
                                "Apply"
                            </button>
                            <button on:click=move |_| editing.set(None)>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
            <div class="row">
                <button class="primary" data-testid="test-cases-run-all" on:click=run_all>"Run all"</button>
                <button data-testid="test-cases-export" title="Download the definition with its test cases for asl test" on:click=export>
                    "Export for asl test"
                </button>
                <label>
                    <input type="checkbox" data-testid="coverage-toggle" prop:checked=move || show_coverage.get() on:change=toggle_coverage />
                    " Show coverage on the graph"
                </label>
            </div>
            {move || error.get().map(|e| view! { <div class="error-text" role="alert" data-testid="test-cases-error">{e}</div> })}
            {move || report.get().map(|r| {
                let ((cs, ts), (ce, te)) = coverage_counts(studio, &r);
                view! {
                    <div class="test-summary" data-testid="test-summary">
                        <strong>{format!("{} passed, {} failed", r.passed(), r.cases.len() - r.passed())}</strong>
                        <span data-testid="coverage-summary">
                            {format!(" · states covered {cs}/{ts}, transitions covered {ce}/{te}")}
                        </span>
                    </div>
                }
            })}
        </details>
    }
}

/// One line about what a test case runs and expects.
fn summary_of(case: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(m) = case.get("mockTestCase").and_then(Value::as_str) {
        parts.push(format!("mocks: {m}"));
    }
    if let Some(s) = case.pointer("/expect/status").and_then(Value::as_str) {
        parts.push(format!("expects {s}"));
    }
    if case.pointer("/expect/output").is_some() {
        parts.push("output".into());
    }
    if let Some(p) = case.pointer("/expect/path").and_then(Value::as_array) {
        parts.push(format!("path of {} states", p.len()));
    }
    parts.join(" · ")
}

/// Puts a test case's input, mock test case and unmocked policy into the run controls.
fn load(ui: RunUi, case: &Value) {
    let input = case.get("input").cloned().unwrap_or_else(|| json!({}));
    ui.input
        .set(serde_json::to_string_pretty(&input).unwrap_or_else(|_| "{}".into()));
    ui.test_case.set(
        case.get("mockTestCase")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    );
    ui.echo
        .set(case.get("unmocked").and_then(Value::as_str) == Some("echo"));
}

/// Replaces (by name) a test case with edited JSON, checked as `asl test` reads it.
fn apply_edit(studio: Studio, text: &str) -> Result<(), String> {
    let case: Value =
        serde_json::from_str(text).map_err(|e| format!("The test case is not valid JSON: {e}"))?;
    let name = case
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or("A test case needs a \"name\".")?
        .to_owned();
    asl_interp::mock::StudioDocument::parse(&json!({
        "definition": {}, "testCases": [case.clone()]
    }))
    .map_err(|e| e.to_string())?;
    let mut all = saved(studio);
    match all
        .iter_mut()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name.as_str()))
    {
        Some(slot) => *slot = case,
        None => all.push(case),
    }
    save(studio, all);
    Ok(())
}
