//! The studio shell: header, code panel with live diagnostics, and the graph canvas.

use asl_core::{Format, LineIndex, Severity, detect_format};
use asl_graph::{SvgOptions, Theme};
use leptos::prelude::*;

const DEFAULT_MACHINE: &str = r#"{
  "Comment": "Hello world: a Choice, a Wait and a Parallel",
  "StartAt": "Pass",
  "States": {
    "Pass": {
      "Type": "Pass",
      "Result": { "IsHelloWorldExample": true },
      "Next": "Hello World example?"
    },
    "Hello World example?": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.IsHelloWorldExample", "BooleanEquals": true, "Next": "Yes" },
        { "Variable": "$.IsHelloWorldExample", "BooleanEquals": false, "Next": "No" }
      ],
      "Default": "Yes"
    },
    "Yes": { "Type": "Pass", "Next": "Wait 3 sec" },
    "No": { "Type": "Fail", "Cause": "Not Hello World" },
    "Wait 3 sec": { "Type": "Wait", "Seconds": 3, "Next": "Parallel State" },
    "Parallel State": {
      "Type": "Parallel",
      "Next": "Hello World",
      "Branches": [
        { "StartAt": "Hello", "States": { "Hello": { "Type": "Pass", "End": true } } },
        { "StartAt": "World", "States": { "World": { "Type": "Pass", "End": true } } }
      ]
    },
    "Hello World": { "Type": "Pass", "End": true }
  }
}
"#;

/// One diagnostic as the panel shows it.
#[derive(Clone, PartialEq)]
struct DiagRow {
    severity: Severity,
    code: &'static str,
    message: String,
    line: u32,
    col: u32,
}

#[component]
pub fn App() -> impl IntoView {
    let (text, set_text) = signal(DEFAULT_MACHINE.to_string());
    let (dark, set_dark) = signal(false);

    let checked = Memo::new(move |_| {
        let text = text.get();
        let format = detect_format(&text);
        let (parse, diags) = asl_core::check(&text, format);
        let index = LineIndex::new(&text);
        let rows: Vec<DiagRow> = diags
            .iter()
            .map(|d| {
                let lc = index.line_col(d.span.start);
                DiagRow {
                    severity: d.severity,
                    code: d.code,
                    message: d.message.clone(),
                    line: lc.line,
                    col: lc.col,
                }
            })
            .collect();
        let syntax_ok = parse.tree.is_some()
            && !diags.iter().any(|d| {
                [
                    asl_core::syntax::SYNTAX_ERROR,
                    asl_core::syntax::YAML_ERROR,
                    asl_core::syntax::TOO_DEEP,
                ]
                .contains(&d.code)
            });
        (parse.value, rows, syntax_ok, format)
    });

    // The graph keeps the last machine that parsed while the text doesn't.
    let last_good = RwSignal::new(serde_json::Value::Null);
    let svg = Memo::new(move |_| {
        let (value, _, ok, _) = checked.get();
        if ok || last_good.get_untracked().is_null() {
            last_good.set(value);
        }
        let theme = if dark.get() {
            Theme::Dark
        } else {
            Theme::Light
        };
        asl_graph::render_svg(
            &last_good.get(),
            &SvgOptions {
                theme,
                overlay: None,
                standalone: true,
            },
        )
    });
    let stale = move || !checked.get().2;

    Effect::new(move |_| {
        let theme = if dark.get() { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme);
        }
    });

    view! {
        <div class="app" data-testid="studio">
            <header class="header">
                <span class="brand">"ASL Studio"</span>
                <span class="muted" data-testid="format">
                    {move || match checked.get().3 {
                        Format::Json => "JSON",
                        Format::Yaml => "YAML",
                    }}
                </span>
                <span class="spacer"></span>
                <button
                    data-testid="theme-toggle"
                    on:click=move |_| set_dark.update(|d| *d = !*d)
                >
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </header>
            <div class="main">
                <section class="code-panel" aria-label="Definition">
                    <textarea
                        data-testid="code-editor"
                        spellcheck="false"
                        aria-label="State machine definition (JSON or YAML)"
                        prop:value=move || text.get()
                        on:input=move |ev| set_text.set(event_target_value(&ev))
                    ></textarea>
                    <div class="diagnostics" data-testid="diagnostics" role="list">
                        {move || {
                            let rows = checked.get().1;
                            if rows.is_empty() {
                                view! { <div class="empty">"No problems"</div> }.into_any()
                            } else {
                                rows.into_iter()
                                    .map(|d| {
                                        let class = match d.severity {
                                            Severity::Error => "diag error",
                                            Severity::Warning => "diag warning",
                                        };
                                        view! {
                                            <div class=class role="listitem" data-code=d.code>
                                                <span class="sev">{d.severity.as_str()}</span>
                                                " "
                                                {format!("{}:{} [{}] ", d.line, d.col, d.code)}
                                                {d.message}
                                            </div>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }
                        }}
                    </div>
                </section>
                <section class="canvas" data-testid="graph" aria-label="Graph">
                    <Show when=stale>
                        <div class="stale" data-testid="stale-graph">
                            "The definition does not parse: showing the last good graph"
                        </div>
                    </Show>
                    <div class="svg-host" inner_html=move || svg.get()></div>
                </section>
            </div>
        </div>
    }
}
