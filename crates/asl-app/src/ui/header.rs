//! The header: documents, new from template, open, save/download, export, undo/redo, modes, theme, help.

use asl_designer::{Command, Document, Format, KEYMAP, TEMPLATES};
use leptos::prelude::*;
use serde_json::Value;

use crate::contexts::{Mode, template_document, use_studio};
use crate::platform::files;
use crate::ui::dialogs::{self, Dialog, DialogHost};
use crate::ui::file_button::FileButton;

/// A file name stem from the open document's name.
pub(crate) fn file_stem(studio: &crate::contexts::Studio) -> String {
    let id = studio.current.get_untracked();
    let name = studio
        .docs
        .get_untracked()
        .into_iter()
        .find(|d| d.id == id)
        .map(|d| d.name)
        .unwrap_or_else(|| "state-machine".into());
    let stem: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    if stem.trim_matches('-').is_empty() {
        "state-machine".into()
    } else {
        stem
    }
}

/// The studio header.
#[component]
pub fn Header() -> impl IntoView {
    let studio = use_studio();
    let dialogs = dialogs::provide();
    let can_undo = move || {
        studio.rev.track();
        studio.selection.track();
        studio.with(|d| d.can_undo())
    };
    let can_redo = move || {
        studio.rev.track();
        studio.with(|d| d.can_redo())
    };
    let errors = move || {
        studio.rev.track();
        studio.with(|d| d.document().error_count())
    };

    let current_name = move || {
        let id = studio.current.get();
        studio
            .docs
            .with(|docs| docs.iter().find(|d| d.id == id).map(|d| d.name.clone()))
            .unwrap_or_default()
    };
    let new_from = move |id: String| {
        if id.is_empty() {
            return;
        }
        let (doc, name) = template_document(&id);
        studio.open_new(doc, name);
    };
    let open_file = move |name: String, text: String| {
        let mut stem = name.as_str();
        for suffix in [".json", ".yaml", ".yml", ".asl"] {
            stem = stem.strip_suffix(suffix).unwrap_or(stem);
        }
        let stem = stem.to_owned();
        // A studio document (as "Export for asl test" writes it) brings its test cases.
        let studio_doc = serde_json::from_str::<Value>(&text)
            .ok()
            .filter(asl_interp::mock::StudioDocument::is_document)
            .and_then(|v| asl_designer::share::from_json(&v).ok());
        match studio_doc {
            Some(shared) => {
                let name = if shared.name.is_empty() {
                    stem
                } else {
                    shared.name
                };
                studio.open_new(shared.document, name);
                if !shared.notes.is_empty() {
                    studio.notice.set(Some(shared.notes.join(" ")));
                }
            }
            None => studio.open_new(Document::new(&text), stem),
        }
    };
    let download = move |yaml: bool| {
        let (text, value, format) = studio.with(|d| {
            let doc = d.document();
            (
                doc.text().to_owned(),
                doc.machine_value().0.cloned().unwrap_or(Value::Null),
                doc.format(),
            )
        });
        let stem = file_stem(&studio);
        if yaml {
            let out = if format == Format::Yaml {
                text
            } else {
                asl_designer::yaml::emit(&value)
            };
            files::download_text(&format!("{stem}.asl.yaml"), "application/yaml", &out);
        } else {
            let out = if format == Format::Json {
                text
            } else {
                serde_json::to_string_pretty(&value).unwrap_or_default()
            };
            files::download_text(&format!("{stem}.asl.json"), "application/json", &out);
        }
        studio.with(|_| ());
    };
    let mode_button = move |mode: Mode, label: &'static str, id: &'static str| {
        view! {
            <button
                role="tab"
                data-testid=id
                aria-selected=move || (studio.mode.get() == mode).to_string()
                class:active=move || studio.mode.get() == mode
                on:click=move |_| studio.mode.set(mode)
            >
                {label}
            </button>
        }
    };

    view! {
        <header class="header">
            <span class="brand">"ASL Studio"</span>
            // Long names end in an ellipsis; the title shows the whole name.
            <select
                data-testid="doc-list"
                aria-label="Open documents"
                title=current_name
                on:change=move |ev| studio.switch_to(&event_target_value(&ev))
                prop:value=move || studio.current.get()
            >
                {move || {
                    studio
                        .docs
                        .get()
                        .into_iter()
                        .map(|d| {
                            view! { <option value=d.id.clone() title=d.name.clone()>{d.name.clone()}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <input
                class="doc-name"
                data-testid="doc-name"
                aria-label="Document name"
                title=current_name
                prop:value=current_name
                on:change=move |ev| studio.rename_current(event_target_value(&ev))
            />
            <button
                data-testid="close-document"
                title="Remove this document from the browser"
                on:click=move |_| studio.delete_current()
            >
                "Close"
            </button>
            <select
                data-testid="new-from-template"
                aria-label="New document from a template"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    new_from(id);
                    event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
                }
            >
                <option value="">"New…"</option>
                <option value="blank">"Blank"</option>
                {TEMPLATES
                    .iter()
                    .map(|t| {
                        view! {
                            <option value=t.id title=t.description>
                                {if t.pattern { "Pattern: " } else { "Template: " }}
                                {t.title}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FileButton
                label="Open"
                test_id="open-file"
                input_test_id="open-file-input"
                accept=".json,.yaml,.yml,.asl"
                title="Open a definition (JSON or YAML) or a studio document as a new document"
                on_file=open_file
            />
            <button data-testid="download-json" on:click=move |_| download(false)>"Save JSON"</button>
            <button data-testid="download-yaml" on:click=move |_| download(true)>"YAML"</button>
            <button data-testid="export-image" title="Export the graph as SVG or PNG, with a Markdown snippet" on:click=move |_| dialogs.open(Dialog::Image)>"Image"</button>
            <button data-testid="share-link" title="Copy a link that opens a copy of this document" on:click=move |_| dialogs.open(Dialog::Share)>"Share"</button>
            <select
                data-testid="iac-menu"
                aria-label="Infrastructure as code"
                title="CloudFormation, SAM and the AWS CLI"
                on:change=move |ev| {
                    match event_target_value(&ev).as_str() {
                        "import" => dialogs.open(Dialog::Import),
                        "export" => dialogs.open(Dialog::Export),
                        _ => {}
                    }
                    event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
                }
            >
                <option value="">"IaC…"</option>
                <option value="import">"Import from a CloudFormation or SAM template…"</option>
                <option value="export">"Export as CloudFormation, SAM or AWS CLI…"</option>
            </select>
            <span class="sep"></span>
            <button
                data-testid="undo"
                title="Undo (Ctrl+Z)"
                prop:disabled=move || !can_undo()
                on:click=move |_| {
                    studio.apply(Command::Undo);
                }
            >
                "Undo"
            </button>
            <button
                data-testid="redo"
                title="Redo (Ctrl+Shift+Z)"
                prop:disabled=move || !can_redo()
                on:click=move |_| {
                    studio.apply(Command::Redo);
                }
            >
                "Redo"
            </button>
            <span class="spacer"></span>
            <span
                class=move || { if errors() > 0 { "status-pill error" } else { "status-pill ok" } }
                data-testid="error-count"
            >
                {move || match errors() {
                    0 => "Valid".to_string(),
                    1 => "1 error".to_string(),
                    n => format!("{n} errors"),
                }}
            </span>
            <div class="modes" role="tablist" aria-label="Mode">
                {mode_button(Mode::Design, "Design", "mode-design")}
                {mode_button(Mode::Code, "Code", "mode-code")}
                {mode_button(Mode::Run, "Run", "mode-run")}
            </div>
            <button
                data-testid="theme-toggle"
                on:click=move |_| studio.dark.update(|d| *d = !*d)
            >
                {move || if studio.dark.get() { "Light" } else { "Dark" }}
            </button>
            <button data-testid="help" on:click=move |_| studio.help.set(true)>"Help"</button>
        </header>
        <DialogHost />
        <Show when=move || studio.help.get()>
            <div class="dialog-backdrop" on:click=move |_| studio.help.set(false)>
                <div
                    class="dialog"
                    role="dialog"
                    aria-label="Help"
                    data-testid="help-dialog"
                    on:click=|ev| ev.stop_propagation()
                >
                    <h2>"ASL Studio"</h2>
                    <p>
                        "Drag a state from the palette onto an arrow, into a Parallel branch or a Map box. "
                        "Or click an arrow, then click a palette item. Select a state to edit it in the inspector; "
                        "the Code mode shows the definition, which is the document."
                    </p>
                    <h3>"Keyboard shortcuts"</h3>
                    <table class="keys">
                        <tbody>
                            {KEYMAP
                                .iter()
                                .map(|(chord, shortcut)| {
                                    view! {
                                        <tr>
                                            <td>
                                                <kbd>{chord.replace("Mod", "Ctrl")}</kbd>
                                            </td>
                                            <td>{format!("{shortcut:?}")}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <button data-testid="help-close" on:click=move |_| studio.help.set(false)>
                        "Close"
                    </button>
                </div>
            </div>
        </Show>
    }
}
