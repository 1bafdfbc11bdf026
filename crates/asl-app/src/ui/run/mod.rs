//! Run mode: input and mocks, run / step / continue / stop, breakpoints, callback cards, the
//! failure banner, the step table, the event list, step details, the output, and history export
//! and import. The graph overlay shows the statuses on the canvas.

mod cases;
mod cost;
mod engine;
mod mocks;

use std::collections::BTreeSet;

use asl_designer::{Command, MachineType, Selection};
use leptos::prelude::*;
use serde_json::Value;

use crate::contexts::{Studio, use_studio};
use crate::platform::{files, js_api};
use crate::ui::file_button::FileButton;
use engine::{EventView, Halt, Run, RunSetup, StepRow};

#[derive(Clone, Copy)]
struct RunUi {
    run: StoredValue<Option<Run>, LocalStorage>,
    events: RwSignal<Vec<EventView>>,
    rows: RwSignal<Vec<StepRow>>,
    failing: RwSignal<Option<usize>>,
    status: RwSignal<String>,
    waiting: RwSignal<Vec<engine::Waiting>>,
    output: RwSignal<Option<String>>,
    error: RwSignal<Option<(String, String)>>,
    input: RwSignal<String>,
    mocks: RwSignal<String>,
    test_case: RwSignal<String>,
    echo: RwSignal<bool>,
    answer_callbacks: RwSignal<bool>,
    breakpoints: RwSignal<BTreeSet<String>>,
    view: RwSignal<&'static str>,
    detail: RwSignal<Option<usize>>,
    filter: RwSignal<String>,
    page: RwSignal<usize>,
    /// 0 for instant virtual time, else how many virtual seconds pass per real second.
    speed: RwSignal<f64>,
    /// Bumped to cancel a pending real-time sleep.
    generation: RwSignal<u64>,
    /// The Map or Parallel state whose iteration or branch the table shows ("" for all).
    scope_owner: RwSignal<String>,
    /// The picked iteration (`#3`) or branch (its first state).
    scope_label: RwSignal<String>,
    /// When the views were last brought up to date (`performance.now()`).
    last_refresh: StoredValue<f64>,
    /// The page of the step table.
    table_page: RwSignal<usize>,
    /// The overlay and step table built so far from `events`.
    summary: StoredValue<engine::Summary, LocalStorage>,
    /// A continuation of the run is scheduled (page mocks that settle then leave it to it).
    scheduled: StoredValue<bool>,
}

const PAGE: usize = 50;
/// Step details list at most this many events of the step.
const MAX_STAGES: usize = 50;
/// How long the interpreter works before the browser gets a turn, in milliseconds (reading
/// its new events into the views' summary comes on top).
const SLICE_MS: f64 = 8.0;
/// While a long run goes on, the views are brought up to date this often (milliseconds).
const REFRESH_MS: f64 = 1000.0;
/// The step table shows this many rows per page; large runs are also read by picking a Map
/// iteration or a Parallel branch.
const ROWS_PAGE: usize = 100;

/// Brings the views up to date with the run: new events are appended, then the overlay and
/// the step table are recomputed.
fn refresh(ui: RunUi, studio: Studio) {
    ui.last_refresh.set_value(crate::platform::dom::now_ms());
    let snapshot = ui
        .run
        .try_update_value(|r| {
            r.as_mut().map(|r| {
                let exec = r.execution();
                let output = exec
                    .output()
                    .map(|o| serde_json::to_string_pretty(o).unwrap_or_default());
                (r.new_events(), r.waiting.clone(), output, r.error())
            })
        })
        .flatten();
    if let Some((new, waiting, output, error)) = snapshot {
        // Always notifies: events may have been appended untracked while the run went on.
        ui.events.update(|v| v.extend(new));
        summarise_events(ui, studio);
        ui.waiting.set(waiting);
        ui.output.set(output);
        ui.error.set(error);
    }
}

/// Reads the new events into the summary, then shows its overlay and step table.
fn summarise_events(ui: RunUi, studio: Studio) {
    let (overlay, rows, failing) = ui
        .summary
        .try_update_value(|s| {
            ui.events.with_untracked(|e| s.feed(e));
            (s.overlay(), s.rows.clone(), s.failing_event)
        })
        .unwrap_or_default();
    studio.overlay.set(Some(overlay));
    ui.rows.set(rows);
    ui.failing.set(failing);
}

fn show_events(ui: RunUi, studio: Studio, events: Vec<EventView>) {
    ui.summary.set_value(engine::Summary::default());
    ui.events.set(events);
    summarise_events(ui, studio);
}

/// Puts the run's overlay back on the graph (after the coverage view).
fn refresh_overlay(ui: RunUi, studio: Studio) {
    if ui.events.with_untracked(Vec::is_empty) {
        studio.overlay.set(None);
    } else {
        studio
            .overlay
            .set(Some(ui.summary.with_value(engine::Summary::overlay)));
    }
}

fn pump(ui: RunUi, studio: Studio, step: bool) {
    let mut promises = Vec::new();
    let speed = ui.speed.get_untracked();
    // A slice of the run, then the browser gets a turn (it paints, handles input).
    let deadline = crate::platform::dom::now_ms() + SLICE_MS;
    let halt = ui
        .run
        .try_update_value(|r| {
            r.as_mut()
                .map(|r| r.pump(step, speed > 0.0, deadline, &mut promises))
        })
        .flatten();
    if let Some(Halt::Yield) = halt {
        let generation = ui.generation.get_untracked();
        let events = ui
            .run
            .with_value(|r| r.as_ref().map_or(0, |r| r.execution().event_count()));
        ui.status.set(format!("Running… {events} events"));
        // The new events are read into the summary slice by slice (without redrawing), so
        // no single refresh has a long history to catch up with.
        let new = ui
            .run
            .try_update_value(|r| r.as_mut().map(Run::new_events))
            .flatten()
            .unwrap_or_default();
        ui.events.update_untracked(|v| v.extend(new));
        ui.summary
            .update_value(|s| ui.events.with_untracked(|e| s.feed(e)));
        if crate::platform::dom::now_ms() - ui.last_refresh.get_value() > REFRESH_MS {
            refresh(ui, studio);
        }
        await_page_mocks(ui, studio, promises);
        ui.scheduled.set_value(true);
        crate::platform::dom::after_ms(0, move || {
            ui.scheduled.set_value(false);
            if ui.generation.get_untracked() == generation {
                pump(ui, studio, step);
            }
        });
        return;
    }
    ui.status.set(match &halt {
        None => "Not started".into(),
        Some(Halt::Finished(s)) => s.clone(),
        Some(Halt::Blocked) => "Waiting".into(),
        Some(Halt::Paused(Some(state))) => format!("Paused before {state}"),
        Some(Halt::Paused(None)) => "Paused".into(),
        Some(Halt::Sleeping(_)) => "Sleeping".into(),
        Some(Halt::Yield) => "Running…".into(),
    });
    if let Some(Halt::Sleeping(until)) = halt {
        let now = ui
            .run
            .with_value(|r| r.as_ref().map(Run::now_ms).unwrap_or(until));
        let virtual_ms = (until - now).max(0);
        let real_ms = (virtual_ms as f64 / speed).min(600_000.0) as i32;
        let generation = ui.generation.get_untracked();
        countdown(
            ui,
            generation,
            crate::platform::dom::now_ms() + f64::from(real_ms),
            speed,
        );
        crate::platform::dom::after_ms(real_ms, move || {
            if ui.generation.get_untracked() != generation {
                return;
            }
            // Ends this sleep's countdown before the run goes on.
            ui.generation.update(|g| *g += 1);
            ui.run.update_value(|r| {
                if let Some(r) = r {
                    r.advance_clock_to(until);
                }
            });
            pump(ui, studio, step);
        });
    }
    refresh(ui, studio);
    await_page_mocks(ui, studio, promises);
}

/// Completes tasks when the promises of page mocks settle, and goes on with the run.
fn await_page_mocks(ui: RunUi, studio: Studio, promises: Vec<(u64, js_sys::Promise)>) {
    for (task_id, promise) in promises {
        wasm_bindgen_futures::spawn_local(async move {
            let result = js_api::await_promise(promise).await;
            ui.run.update_value(|r| {
                if let Some(r) = r {
                    r.complete_js(task_id, result);
                }
            });
            if !ui.scheduled.get_value() {
                pump(ui, studio, false);
            }
        });
    }
}

/// Shows the virtual time left before a real-time sleep ends, every 100 ms until it ends or is cancelled.
fn countdown(ui: RunUi, generation: u64, end_real_ms: f64, speed: f64) {
    if ui.generation.get_untracked() != generation {
        return;
    }
    let left = (end_real_ms - crate::platform::dom::now_ms()).max(0.0);
    ui.status
        .set(format!("Waiting {:.1} s (virtual)", left * speed / 1000.0));
    if left > 0.0 {
        crate::platform::dom::after_ms(100, move || countdown(ui, generation, end_real_ms, speed));
    }
}

fn start(ui: RunUi, studio: Studio) -> bool {
    let input = match serde_json::from_str::<Value>(&ui.input.get_untracked()) {
        Ok(v) => v,
        Err(e) => {
            ui.status.set(format!("The input is not valid JSON: {e}"));
            return false;
        }
    };
    let (definition, machine_name, express) = studio.with(|d| {
        let doc = d.document();
        (
            doc.machine_value().0.cloned().unwrap_or(Value::Null),
            doc.settings().name.clone(),
            doc.settings().machine_type == MachineType::Express,
        )
    });
    let case = ui.test_case.get_untracked();
    let setup = RunSetup {
        definition,
        input,
        mock_config: ui.mocks.get_untracked(),
        test_case: (!case.is_empty()).then_some(case),
        echo_unmocked: ui.echo.get_untracked(),
        answer_callbacks: ui.answer_callbacks.get_untracked(),
        breakpoints: ui.breakpoints.get_untracked().into_iter().collect(),
        machine_name,
        express,
    };
    ui.generation.update(|g| *g += 1);
    match Run::start(setup) {
        Ok(run) => {
            ui.run.set_value(Some(run));
            ui.scheduled.set_value(false);
            ui.events.set(Vec::new());
            ui.summary.set_value(engine::Summary::default());
            ui.table_page.set(0);
            ui.scope_owner.set(String::new());
            ui.scope_label.set(String::new());
            ui.detail.set(None);
            ui.page.set(0);
            true
        }
        Err(e) => {
            ui.status.set(format!("Cannot run: {e}"));
            false
        }
    }
}

fn load_settings(ui: RunUi, studio: Studio) {
    let (input, mocks) = studio.with(|d| {
        let s = d.document().settings();
        let input = s
            .sample_inputs
            .get("default")
            .cloned()
            .unwrap_or_else(|| Value::Object(Default::default()));
        let mocks = if s.test_cases.is_null() {
            String::new()
        } else {
            serde_json::to_string_pretty(&s.test_cases).unwrap_or_default()
        };
        (
            serde_json::to_string_pretty(&input).unwrap_or_else(|_| "{}".into()),
            mocks,
        )
    });
    let cases = engine::test_cases(&mocks);
    ui.input.set(input);
    ui.mocks.set(mocks);
    ui.test_case.set(cases.first().cloned().unwrap_or_default());
}

/// The run panel.
#[component]
pub fn RunPanel() -> impl IntoView {
    let studio = use_studio();
    let ui = RunUi {
        run: StoredValue::new_local(None),
        events: RwSignal::new(Vec::new()),
        rows: RwSignal::new(Vec::new()),
        failing: RwSignal::new(None),
        status: RwSignal::new("Not started".into()),
        waiting: RwSignal::new(Vec::new()),
        output: RwSignal::new(None),
        error: RwSignal::new(None),
        input: RwSignal::new("{}".into()),
        mocks: RwSignal::new(String::new()),
        test_case: RwSignal::new(String::new()),
        echo: RwSignal::new(false),
        answer_callbacks: RwSignal::new(true),
        breakpoints: RwSignal::new(BTreeSet::new()),
        view: RwSignal::new("table"),
        detail: RwSignal::new(None),
        filter: RwSignal::new(String::new()),
        page: RwSignal::new(0),
        speed: RwSignal::new(0.0),
        generation: RwSignal::new(0),
        scope_owner: RwSignal::new(String::new()),
        scope_label: RwSignal::new(String::new()),
        last_refresh: StoredValue::new(0.0),
        table_page: RwSignal::new(0),
        summary: StoredValue::new_local(engine::Summary::default()),
        scheduled: StoredValue::new(false),
    };
    load_settings(ui, studio);
    on_cleanup(move || studio.overlay.set(None));
    let cases = move || engine::test_cases(&ui.mocks.get());

    let run_all = move |_| {
        if start(ui, studio) {
            pump(ui, studio, false);
        }
    };
    let step = move |_| {
        if ui.run.with_value(Option::is_none) && !start(ui, studio) {
            return;
        }
        pump(ui, studio, true);
    };
    let cont = move |_| pump(ui, studio, false);
    let stop = move |_| {
        ui.generation.update(|g| *g += 1);
        ui.run.update_value(|r| {
            if let Some(r) = r {
                r.stop();
            }
        });
        pump(ui, studio, false);
    };
    let toggle_breakpoint = move |_| {
        if let Some(name) = studio.selection.get_untracked().primary() {
            let name = name.to_owned();
            ui.breakpoints.update(|b| {
                if !b.remove(&name) {
                    b.insert(name);
                }
            });
        }
    };
    let export_history = move |_| {
        if let Some(json) = ui.run.with_value(|r| r.as_ref().map(Run::history_json)) {
            files::download_text(
                "execution-history.json",
                "application/json",
                &serde_json::to_string_pretty(&json).unwrap_or_default(),
            );
        }
    };
    let import_history = move |_: String, text: String| match engine::import_history(&text) {
        Ok(events) => {
            ui.run.set_value(None);
            ui.waiting.set(Vec::new());
            ui.output.set(None);
            ui.error.set(None);
            ui.status.set("Imported history".into());
            show_events(ui, studio, events);
        }
        Err(e) => ui.status.set(format!("Cannot import: {e}")),
    };
    let select_row = move |row: &StepRow, index: usize| {
        ui.detail.set(Some(index));
        studio.apply(Command::Select(Selection::state(row.name.clone())));
    };

    view! {
        <section class="run-panel" data-testid="run-panel" aria-label="Run">
            <div class="run-controls">
                <button class="primary" data-testid="run-start" on:click=run_all>"Run"</button>
                <button data-testid="run-step" on:click=step>"Step"</button>
                <button data-testid="run-continue" on:click=cont>"Continue"</button>
                <button data-testid="run-stop" on:click=stop>"Stop"</button>
                <button
                    data-testid="run-breakpoint"
                    title="Toggle a breakpoint on the selected state"
                    on:click=toggle_breakpoint
                >
                    "Breakpoint"
                </button>
                <span class="run-status" data-testid="run-status">{move || ui.status.get()}</span>
            </div>
            <div class="muted small" data-testid="run-breakpoints">
                {move || {
                    let b = ui.breakpoints.get();
                    if b.is_empty() {
                        String::new()
                    } else {
                        format!("Breakpoints: {}", b.into_iter().collect::<Vec<_>>().join(", "))
                    }
                }}
            </div>
            <details open>
                <summary>"Input and mocks"</summary>
                <label for="run-input">"Execution input (JSON)"</label>
                <textarea
                    id="run-input"
                    data-testid="run-input"
                    rows="5"
                    spellcheck="false"
                    prop:value=move || ui.input.get()
                    on:input=move |ev| ui.input.set(event_target_value(&ev))
                ></textarea>
                <div class="run-options">
                    <label>
                        "Test case "
                        <select
                            data-testid="run-test-case"
                            title=move || ui.test_case.get()
                            on:change=move |ev| ui.test_case.set(event_target_value(&ev))
                        >
                            <option value="">"(no mocks)"</option>
                            {move || {
                                let current = ui.test_case.get();
                                cases()
                                    .into_iter()
                                    .map(|c| view! { <option value=c.clone() selected=c == current>{c.clone()}</option> })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <label>
                        "Unmocked tasks "
                        <select
                            data-testid="run-unmocked"
                            on:change=move |ev| ui.echo.set(event_target_value(&ev) == "echo")
                        >
                            <option value="fail">"fail (Mock.NotFound)"</option>
                            <option value="echo">"echo their input"</option>
                        </select>
                    </label>
                    <label>
                        "Speed "
                        <select
                            data-testid="run-speed"
                            on:change=move |ev| ui.speed.set(event_target_value(&ev).parse().unwrap_or(0.0))
                        >
                            <option value="0">"instant (virtual time)"</option>
                            <option value="1">"real time"</option>
                            <option value="10">"10× real time"</option>
                            <option value="60">"60× real time"</option>
                        </select>
                    </label>
                    <label title="Saved with the document: Express runs stop after 5 minutes and cannot use .sync, .waitForTaskToken or activities">
                        "Workflow type "
                        <select
                            data-testid="run-machine-type"
                            on:change=move |ev| {
                                let express = event_target_value(&ev) == "EXPRESS";
                                let mut settings = studio.with(|d| d.document().settings().clone());
                                settings.machine_type = if express { MachineType::Express } else { MachineType::Standard };
                                studio.apply(Command::SetSettings(settings));
                            }
                        >
                            {move || {
                                studio.rev.get();
                                let express = studio.with(|d| d.document().settings().machine_type == MachineType::Express);
                                view! {
                                    <option value="STANDARD" selected=!express>"Standard"</option>
                                    <option value="EXPRESS" selected=express>"Express"</option>
                                }
                            }}
                        </select>
                    </label>
                    <label>
                        <input
                            type="checkbox"
                            data-testid="run-answer-callbacks"
                            prop:checked=move || ui.answer_callbacks.get()
                            on:change=move |ev| ui.answer_callbacks.set(event_target_checked(&ev))
                        />
                        " I answer callback tasks"
                    </label>
                </div>
                <label for="run-mocks">"Mocks (MockConfigFile JSON)"</label>
                <textarea
                    id="run-mocks"
                    data-testid="run-mocks"
                    rows="6"
                    spellcheck="false"
                    prop:value=move || ui.mocks.get()
                    on:change=move |ev| ui.mocks.set(event_target_value(&ev))
                ></textarea>
                <h4>"Per-Task mocks"</h4>
                {mocks::task_mock_editor(studio, ui.mocks, ui.test_case)}
                <div class="row">
                    <FileButton
                        label="Import mocks"
                        test_id="mocks-import"
                        input_test_id="mocks-import-input"
                        accept=".json"
                        title="Read a Step Functions Local MockConfigFile.json"
                        on_file=move |_, text: String| {
                            let cases = engine::test_cases(&text);
                            if cases.is_empty() {
                                ui.status.set("The file has no test cases (expected a MockConfigFile).".into());
                            }
                            ui.mocks.set(text);
                            ui.test_case.set(cases.first().cloned().unwrap_or_default());
                        }
                    />
                    <button
                        data-testid="mocks-export"
                        on:click=move |_| files::download_text("MockConfigFile.json", "application/json", &ui.mocks.get_untracked())
                    >
                        "Export mocks"
                    </button>
                    <button
                        data-testid="mocks-save"
                        title="Keep the input and mocks with the document"
                        on:click=move |_| {
                            let mut settings = studio.with(|d| d.document().settings().clone());
                            if let Ok(input) = serde_json::from_str::<Value>(&ui.input.get_untracked()) {
                                settings.sample_inputs = serde_json::json!({ "default": input });
                            }
                            if let Ok(mocks) = serde_json::from_str::<Value>(&ui.mocks.get_untracked()) {
                                settings.test_cases = mocks;
                            }
                            studio.apply(Command::SetSettings(settings));
                        }
                    >
                        "Save with document"
                    </button>
                </div>
            </details>
            {cases::test_cases_view(ui, studio)}
            {move || {
                ui.waiting
                    .get()
                    .into_iter()
                    .map(|w| callback_card(ui, studio, w))
                    .collect_view()
            }}
            {move || {
                let (error, cause) = ui.error.get()?;
                let failing = ui.failing.get();
                Some(view! {
                    <div class="failure-banner" role="alert" data-testid="failure-banner">
                        <strong>{format!("Execution failed: {error}")}</strong>
                        <div class="cause">{cause}</div>
                        <button
                            data-testid="failure-view-step"
                            on:click=move |_| {
                                let rows = ui.rows.get_untracked();
                                let at = failing.unwrap_or(usize::MAX);
                                if let Some((i, row)) = rows.iter().enumerate().rev().find(|(_, r)| r.entered_event <= at) {
                                    select_row(row, i);
                                    ui.view.set("details");
                                }
                            }
                        >
                            "View step details"
                        </button>
                    </div>
                })
            }}
            {move || {
                ui.output.get().map(|out| {
                    let copy = out.clone();
                    view! {
                        <div class="output">
                            <div class="row">
                                <strong>"Output"</strong>
                                <button data-testid="output-copy" on:click=move |_| files::copy_text(&copy)>"Copy"</button>
                            </div>
                            <pre data-testid="run-output">{out}</pre>
                        </div>
                    }
                })
            }}
            {cost::cost_view(ui, studio)}
            <div class="tabs" role="tablist">
                {[("table", "Steps"), ("events", "Events"), ("details", "Step details")]
                    .into_iter()
                    .map(|(id, label)| {
                        view! {
                            <button
                                role="tab"
                                data-testid=format!("run-view-{id}")
                                class:active=move || ui.view.get() == id
                                aria-selected=move || (ui.view.get() == id).to_string()
                                on:click=move |_| ui.view.set(id)
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
                <span class="spacer"></span>
                <button data-testid="history-export" on:click=export_history>"Export history"</button>
                <FileButton
                    label="Import"
                    test_id="history-import"
                    input_test_id="history-import-input"
                    accept=".json"
                    title="Show an execution history (GetExecutionHistory JSON) on the graph"
                    on_file=import_history
                />
            </div>
            {move || match ui.view.get() {
                "events" => events_view(ui).into_any(),
                "details" => details_view(ui, studio).into_any(),
                _ => table_view(ui, studio, select_row).into_any(),
            }}
        </section>
    }
}

fn callback_card(ui: RunUi, studio: Studio, w: engine::Waiting) -> impl IntoView {
    let payload = RwSignal::new("{\"approved\": true}".to_string());
    let (t1, t2, t3) = (w.token.clone(), w.token.clone(), w.token.clone());
    let send = move |token: String, outcome: Option<Result<Value, (String, String)>>| {
        ui.run.update_value(|r| {
            if let Some(r) = r {
                r.callback(&token, outcome);
            }
        });
        pump(ui, studio, false);
    };
    view! {
        <div class="callback-card" data-testid="callback-card" role="group" aria-label="Waiting for a callback">
            <strong>{format!("{} is waiting for a callback", w.state)}</strong>
            <div class="muted small">{format!("Task token: {}", w.token)}</div>
            <textarea
                rows="2"
                data-testid="callback-output"
                prop:value=move || payload.get()
                on:input=move |ev| payload.set(event_target_value(&ev))
            ></textarea>
            <div class="row">
                <button
                    class="primary"
                    data-testid="callback-success"
                    on:click=move |_| {
                        match serde_json::from_str::<Value>(&payload.get_untracked()) {
                            Ok(v) => send(t1.clone(), Some(Ok(v))),
                            Err(e) => ui.status.set(format!("The output is not valid JSON: {e}")),
                        }
                    }
                >
                    "Send task success"
                </button>
                <button
                    data-testid="callback-failure"
                    on:click=move |_| send(t2.clone(), Some(Err(("Rejected".into(), "Rejected in ASL Studio".into()))))
                >
                    "Send task failure"
                </button>
                <button data-testid="callback-heartbeat" on:click=move |_| send(t3.clone(), None)>
                    "Send heartbeat"
                </button>
            </div>
        </div>
    }
}

fn table_view(
    ui: RunUi,
    studio: Studio,
    select_row: impl Fn(&StepRow, usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let total = move || {
        ui.rows
            .with(|rows| {
                rows.iter()
                    .map(|r| r.started + r.duration.unwrap_or(0))
                    .max()
                    .unwrap_or(0)
            })
            .max(1)
    };
    // Only the shown page of rows is copied out of the (possibly very long) step list.
    let visible = move || {
        let owner = ui.scope_owner.get();
        let label = ui.scope_label.get();
        let page = ui.table_page.get();
        ui.rows.with(|rows| {
            let mut total = 0;
            let mut shown = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                let keep = owner.is_empty()
                    || r.scope.iter().any(|(o, l)| *o == owner && *l == label)
                    || (r.name == owner && !r.scope.iter().any(|(o, _)| *o == owner));
                if keep {
                    if total >= page * ROWS_PAGE && shown.len() < ROWS_PAGE {
                        shown.push((i, r.clone()));
                    }
                    total += 1;
                }
            }
            (shown, total)
        })
    };
    view! {
        {scope_picker(ui)}
        <table class="steps" data-testid="run-table">
            <thead>
                <tr>
                    <th>"Name"</th>
                    <th>"Type"</th>
                    <th>"Status"</th>
                    <th>"Started after"</th>
                    <th>"Duration"</th>
                    <th>"Timeline"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let total = total() as f64;
                    let (shown, count) = visible();
                    let page = ui.table_page.get_untracked();
                    let first = page * ROWS_PAGE;
                    let rows = shown
                        .into_iter()
                        .map(|(i, row)| {
                            let name = row.name.clone();
                            let selected = move || studio.selection.with(|s| s.primary() == Some(name.as_str()));
                            let r2 = row.clone();
                            let bar = |a: i64, b: i64, class: &'static str| {
                                let left = a as f64 / total * 100.0;
                                let width = ((b - a) as f64 / total * 100.0).max(1.0);
                                view! { <span class=class style=format!("left:{left:.1}%;width:{width:.1}%")></span> }
                            };
                            let end = row.started + row.duration.unwrap_or(0);
                            view! {
                                <tr
                                    class=format!("status-{}", row.status)
                                    class:selected=selected
                                    data-testid="run-row"
                                    data-state=row.name.clone()
                                    data-status=row.status
                                    tabindex="0"
                                    on:click=move |_| select_row(&r2, i)
                                >
                                    <td>
                                        {row.scope.last().map(|(o, l)| view! {
                                            <span class="muted small scope">{format!("{o} {l} › ")}</span>
                                        })}
                                        {row.name.clone()}
                                    </td>
                                    <td>{row.ty.clone()}</td>
                                    <td>{row.status}</td>
                                    <td>{format!("{} ms", row.started)}</td>
                                    <td>{row.duration.map(|d| format!("{d} ms")).unwrap_or_default()}</td>
                                    <td class="timeline" data-testid="run-timeline">
                                        {row.failed_attempts.iter().map(|(a, b)| bar(*a, *b, "attempt failed")).collect_view()}
                                        {bar(row.started, end, "span")}
                                        {(!row.failed_attempts.is_empty()).then(|| view! {
                                            <span class="attempts">{format!("{} failed", row.failed_attempts.len())}</span>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view();
                    let note = (count > ROWS_PAGE).then(|| view! {
                        <tr class="more" data-testid="run-table-more">
                            <td colspan="6" class="muted">
                                <button
                                    data-testid="steps-prev"
                                    disabled={page == 0}
                                    on:click=move |ev| {
                                        ev.stop_propagation();
                                        ui.table_page.update(|p| *p = p.saturating_sub(1));
                                    }
                                >
                                    "‹"
                                </button>
                                {format!(" Steps {}–{} of {count} ", first + 1, (first + ROWS_PAGE).min(count))}
                                <button
                                    data-testid="steps-next"
                                    disabled={first + ROWS_PAGE >= count}
                                    on:click=move |ev| {
                                        ev.stop_propagation();
                                        ui.table_page.update(|p| *p += 1);
                                    }
                                >
                                    "›"
                                </button>
                                " Pick a Map iteration or a Parallel branch above to see only its steps."
                            </td>
                        </tr>
                    });
                    view! { {rows} {note} }
                }}
            </tbody>
        </table>
    }
}

/// Picks a Map iteration or a Parallel branch for the table (and so for step details).
fn scope_picker(ui: RunUi) -> impl IntoView {
    // Per Map or Parallel state: its type and the iterations or branches that ran, in order.
    let groups = Memo::new(move |_| {
        let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
        ui.rows.with(|rows| {
            let mut seen = std::collections::HashSet::new();
            for r in rows {
                if let Some((owner, label)) = r.scope.last()
                    && seen.insert((owner.clone(), label.clone()))
                {
                    match out.iter_mut().find(|g| g.0 == *owner) {
                        Some(g) => g.2.push(label.clone()),
                        None => {
                            let ty = rows
                                .iter()
                                .find(|x| x.name == *owner)
                                .map(|x| x.ty.clone())
                                .unwrap_or_default();
                            out.push((owner.clone(), ty, vec![label.clone()]));
                        }
                    }
                }
            }
        });
        out
    });
    move || {
        let groups = groups.get();
        if groups.is_empty() {
            return None;
        }
        let owner = ui.scope_owner.get();
        let current = groups.iter().find(|g| g.0 == owner).cloned();
        let pick_owner = {
            let groups = groups.clone();
            move |ev| {
                let o = event_target_value(&ev);
                let first = groups
                    .iter()
                    .find(|g| g.0 == o)
                    .and_then(|g| g.2.first().cloned())
                    .unwrap_or_default();
                ui.scope_label.set(first);
                ui.scope_owner.set(o);
                ui.table_page.set(0);
            }
        };
        Some(view! {
            <div class="row scope-picker" data-testid="scope-picker">
                <label>
                    "Show "
                    <select data-testid="scope-owner" on:change=pick_owner>
                        <option value="" selected=owner.is_empty()>"all steps"</option>
                        {groups
                            .iter()
                            .map(|(o, ty, labels)| {
                                let what = if ty == "Map" { "iteration" } else { "branch" };
                                let text = format!("{o}: one {what} ({} ran)", labels.len());
                                view! { <option value=o.clone() selected=*o == owner>{text}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                {current.map(|(_, ty, labels)| {
                    if ty == "Map" {
                        let n = labels.len();
                        let index = ui.scope_label.get().trim_start_matches('#').parse::<usize>().unwrap_or(0);
                        view! {
                            <label>
                                "Iteration "
                                <input
                                    type="number"
                                    min="0"
                                    data-testid="scope-iteration"
                                    prop:value=index.to_string()
                                    on:change=move |ev| {
                                        if let Ok(i) = event_target_value(&ev).trim().parse::<usize>() {
                                            ui.scope_label.set(format!("#{i}"));
                                            ui.table_page.set(0);
                                        }
                                    }
                                />
                                {format!(" of {n} (0 to {})", n.saturating_sub(1))}
                            </label>
                        }
                        .into_any()
                    } else {
                        let label = ui.scope_label.get();
                        view! {
                            <label>
                                "Branch "
                                <select data-testid="scope-branch" on:change=move |ev| { ui.scope_label.set(event_target_value(&ev)); ui.table_page.set(0); }>
                                    {labels
                                        .into_iter()
                                        .map(|l| view! { <option value=l.clone() selected=l == label>{format!("starting at {l}")}</option> })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                        .into_any()
                    }
                })}
            </div>
        })
    }
}

fn events_view(ui: RunUi) -> impl IntoView {
    // Only the shown page is copied out of the (possibly very long) event list.
    let page_of = move |page: usize| {
        let f = ui.filter.get().to_lowercase();
        ui.events.with(|events| {
            events
                .iter()
                .filter(|e| {
                    f.is_empty()
                        || e.kind.to_lowercase().contains(&f)
                        || e.details.to_string().to_lowercase().contains(&f)
                })
                .skip(page * PAGE)
                .take(PAGE)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="events">
            <div class="row">
                <input
                    type="search"
                    placeholder="Filter events"
                    data-testid="events-filter"
                    prop:value=move || ui.filter.get()
                    on:input=move |ev| {
                        ui.filter.set(event_target_value(&ev));
                        ui.page.set(0);
                    }
                />
                <button data-testid="events-prev" on:click=move |_| ui.page.update(|p| *p = p.saturating_sub(1))>"‹"</button>
                <span>{move || format!("page {}", ui.page.get() + 1)}</span>
                <button data-testid="events-next" on:click=move |_| ui.page.update(|p| *p += 1)>"›"</button>
            </div>
            <ol class="event-list" data-testid="event-list">
                {move || {
                    let page = ui.page.get();
                    page_of(page)
                        .into_iter()
                        .map(|e| {
                            let details = serde_json::to_string_pretty(&e.details).unwrap_or_default();
                            view! {
                                <li data-testid="event" data-type=e.kind.clone()>
                                    <details>
                                        <summary>{format!("{} {} (+{} ms)", e.id, e.kind, e.at_ms)}</summary>
                                        <pre>{details}</pre>
                                    </details>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </div>
    }
}

/// Shows at most this many characters of a payload; the rest is copied with a button.
const SHOWN_CHARS: usize = 20_000;

/// A JSON text in a `<pre>`: cut after [`SHOWN_CHARS`] (a 10,000-item payload is a page of
/// its own), with a button that copies all of it.
fn long_json(testid: &'static str, text: String) -> impl IntoView {
    if text.len() <= SHOWN_CHARS {
        return view! { <pre data-testid=testid>{text}</pre> }.into_any();
    }
    let mut cut = SHOWN_CHARS;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let shown = format!("{}\n…", &text[..cut]);
    let rest = text.len() - cut;
    view! {
        <pre data-testid=testid>{shown}</pre>
        <div class="row muted small">
            {format!("{rest} more characters not shown. ")}
            <button on:click=move |_| files::copy_text(&text)>"Copy all"</button>
        </div>
    }
    .into_any()
}

fn parse_payload(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| s.clone()),
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        None => String::new(),
    }
}

fn details_view(ui: RunUi, studio: Studio) -> impl IntoView {
    move || {
        let Some(i) = ui.detail.get() else {
            return view! { <p class="muted">"Select a step in the table."</p> }.into_any();
        };
        let definition = studio.with(|d| {
            d.document()
                .machine_value()
                .0
                .cloned()
                .unwrap_or(Value::Null)
        });
        ui.rows.with(|rows| ui.events.with(|events| {
        let Some(row) = rows.get(i).cloned() else {
            return ().into_any();
        };
        let entered = events.get(row.entered_event).cloned();
        let exited = row.exited_event.and_then(|e| events.get(e).cloned());
        let last = row.exited_event.unwrap_or(events.len());
        let all_stages = events.get(row.entered_event + 1..last).unwrap_or_default();
        let more = all_stages.len().saturating_sub(MAX_STAGES);
        let stages: Vec<EventView> = all_stages.iter().take(MAX_STAGES).cloned().collect();
        view! {
            <div class="step-details" data-testid="step-details">
                <h3>{row.name.clone()}</h3>
                <div>{format!("{} · {}", row.ty, row.status)}</div>
                <h4>"Input"</h4>
                {long_json("step-input", parse_payload(entered.as_ref().and_then(|e| e.details.get("input"))))}
                <h4>"Output"</h4>
                {long_json("step-output", parse_payload(exited.as_ref().and_then(|e| e.details.get("output"))))}
                {(row.status == "failed" || row.status == "caught").then(|| {
                    let error = events
                        .get(row.entered_event..last.min(events.len()))
                        .and_then(|evs| evs.iter().rev().find(|e| e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut")))
                        .map(|e| serde_json::to_string_pretty(&e.details).unwrap_or_default())
                        .unwrap_or_default();
                    view! {
                        <h4>"Error"</h4>
                        <pre data-testid="step-error">{error}</pre>
                    }
                })}
                {
                    let (before, mine) = engine::variables_at(events, rows, &row);
                    let mut context = engine::context_at(events, rows, &row, &definition);
                    // A large execution input is the run's input (shown above the run); the
                    // rest of the context stays readable.
                    if let Some(input) = context.pointer_mut("/Execution/Input") {
                        let size = input.to_string().len();
                        if size > 2_000 {
                            *input = Value::String(format!("({size} characters: the execution input)"));
                        }
                    }
                    let pretty = |m: serde_json::Map<String, Value>| serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default();
                    view! {
                        <h4>"Variables in scope when the step was entered"</h4>
                        <pre data-testid="step-variables">{pretty(before)}</pre>
                        {(!mine.is_empty()).then(|| view! {
                            <h4>"Assigned by this step"</h4>
                            <pre data-testid="step-assigned">{pretty(mine)}</pre>
                        })}
                        <h4>"Context object ($$)"</h4>
                        {long_json("step-context", serde_json::to_string_pretty(&context).unwrap_or_default())}
                    }
                }
                <h4>"Events of this step"</h4>
                <ul>
                    {stages
                        .into_iter()
                        .map(|e| {
                            let details = serde_json::to_string_pretty(&e.details).unwrap_or_default();
                            view! {
                                <li>
                                    <details>
                                        <summary>{e.kind.clone()}</summary>
                                        <pre>{details}</pre>
                                    </details>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {(more > 0).then(|| view! {
                    <p class="muted small" data-testid="step-events-more">
                        {format!("… and {more} more events (Map iterations, Parallel branches): see the Events view, or pick an iteration or a branch in the Steps table.")}
                    </p>
                })}
            </div>
        }
        .into_any()
        }))
    }
}
