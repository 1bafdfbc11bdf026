//! The problems list under the code editor; clicking a problem selects its text.

use asl_core::{LineIndex, Severity};
use leptos::prelude::*;

use crate::contexts::use_studio;

/// One diagnostic as the panel shows it.
#[derive(Clone, PartialEq)]
struct Row {
    error: bool,
    code: &'static str,
    message: String,
    line: u32,
    col: u32,
    start: usize,
    end: usize,
}

/// The problems list.
#[component]
pub fn Diagnostics() -> impl IntoView {
    let studio = use_studio();
    let rows = move || {
        studio.rev.track();
        studio.with(|d| {
            let text = d.text();
            let index = LineIndex::new(text);
            d.document()
                .diagnostics()
                .iter()
                .take(200)
                .map(|diag| {
                    let lc = index.line_col(diag.span.start);
                    Row {
                        error: diag.severity == Severity::Error,
                        code: diag.code,
                        message: diag.message.clone(),
                        line: lc.line,
                        col: lc.col,
                        start: diag.span.start,
                        end: diag.span.end,
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="diagnostics" data-testid="diagnostics" role="list" aria-label="Problems">
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    view! { <div class="empty">"No problems"</div> }.into_any()
                } else {
                    rows.into_iter()
                        .map(|d| {
                            let class = if d.error { "diag error" } else { "diag warning" };
                            let (start, end) = (d.start, d.end);
                            view! {
                                <button
                                    class=class
                                    role="listitem"
                                    data-code=d.code
                                    on:click=move |_| studio.reveal_range(start, end)
                                >
                                    <span class="sev">{if d.error { "error" } else { "warning" }}</span>
                                    " "
                                    {format!("{}:{} [{}] ", d.line, d.col, d.code)}
                                    {d.message}
                                </button>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </div>
    }
}
