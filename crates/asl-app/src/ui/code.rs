//! The Code view: CodeMirror 6 (JSON and YAML, lint markers from the Rust validator, completion,
//! folding, search) bound to the designer; the document is this text.

use asl_designer::Command;
use leptos::html::Div;
use leptos::prelude::*;

use crate::contexts::use_studio;
use crate::ui::diagnostics::Diagnostics;

/// The code panel.
#[component]
pub fn CodePanel() -> impl IntoView {
    let studio = use_studio();
    let host = NodeRef::<Div>::new();
    Effect::new(move |mounted: Option<bool>| {
        if mounted == Some(true) {
            return true;
        }
        match host.get() {
            Some(el) => {
                studio.mount_editor(el.into());
                true
            }
            None => false,
        }
    });
    let format = move || {
        studio.rev.track();
        match studio.with(|d| d.document().format()) {
            asl_designer::Format::Json => "JSON",
            asl_designer::Format::Yaml => "YAML",
        }
    };
    view! {
        <section class="code-panel" aria-label="Definition" data-testid="code-panel">
            <div class="code-toolbar">
                <span class="muted" data-testid="format">{format}</span>
                <span class="spacer"></span>
                <span class="muted" data-testid="keystroke-ms" title="Time to process the last keystroke">
                    {move || format!("{:.1} ms", studio.last_keystroke_ms.get())}
                </span>
                <button
                    data-testid="copy-code"
                    on:click=move |_| crate::platform::files::copy_text(&studio.text())
                >
                    "Copy"
                </button>
                <button
                    data-testid="format-document"
                    on:click=move |_| {
                        studio.apply(Command::FormatDocument);
                    }
                >
                    "Format"
                </button>
            </div>
            <div class="code-host" data-testid="code-editor" node_ref=host></div>
            <Diagnostics />
        </section>
    }
}
