//! Image export: the graph as SVG or PNG, with a Markdown snippet (the picture and the
//! definition folded under it) for documentation that cannot run scripts.

use asl_graph::{SvgOptions, Theme};
use leptos::prelude::*;
use serde_json::Value;

use crate::contexts::{Studio, use_studio};
use crate::platform::files;
use crate::ui::dialogs::{DialogFrame, use_dialogs};
use crate::ui::header::file_stem;

/// Downloads the graph as SVG (`png == false`) or PNG, in the current theme and overlay.
pub fn download_image(studio: &Studio, png: bool) {
    let scene = studio.scene();
    let theme = if studio.dark.get_untracked() {
        Theme::Dark
    } else {
        Theme::Light
    };
    let svg = asl_graph::to_svg(
        &scene,
        &SvgOptions {
            theme,
            overlay: studio.overlay.get_untracked(),
            standalone: true,
        },
    );
    let stem = file_stem(studio);
    if png {
        files::download_svg_as_png(&format!("{stem}.png"), &svg, scene.width, scene.height);
    } else {
        files::download_text(&format!("{stem}.svg"), "image/svg+xml", &svg);
    }
}

/// The "Image" dialog: download buttons and the Markdown snippet for the chosen file.
#[component]
pub fn ImageDialog() -> impl IntoView {
    let studio = use_studio();
    let dialogs = use_dialogs();
    let png = RwSignal::new(false);
    let stem = file_stem(&studio);
    let name = studio.current_name();
    let json = studio.with(|d| {
        let doc = d.document();
        match doc.format() {
            asl_designer::Format::Json if doc.analysis().value.is_some() => doc.text().to_owned(),
            _ => serde_json::to_string_pretty(doc.machine_value().0.unwrap_or(&Value::Null))
                .unwrap_or_default(),
        }
    });
    let snippet = Memo::new(move |_| {
        let file = format!("{stem}.{}", if png.get() { "png" } else { "svg" });
        asl_designer::snippet::markdown(&name, &file, &json)
    });
    let copied = RwSignal::new(None::<bool>);
    view! {
        <DialogFrame title="Export image" test_id="image-dialog">
            <p class="dialog-hint">
                "Download the graph as it is drawn now (theme and run colours included). "
                "For documentation that cannot run scripts, put the file next to your page and paste the snippet."
            </p>
            <div class="dialog-actions">
                <button
                    data-testid="export-svg"
                    on:click=move |_| {
                        png.set(false);
                        download_image(&studio, false);
                    }
                >
                    "Download SVG"
                </button>
                <button
                    data-testid="export-png"
                    on:click=move |_| {
                        png.set(true);
                        download_image(&studio, true);
                    }
                >
                    "Download PNG"
                </button>
                <label>
                    "Snippet for "
                    <select
                        data-testid="image-snippet-format"
                        prop:value=move || if png.get() { "png" } else { "svg" }
                        on:change=move |ev| png.set(event_target_value(&ev) == "png")
                    >
                        <option value="svg">"SVG"</option>
                        <option value="png">"PNG"</option>
                    </select>
                </label>
            </div>
            <h3>"Markdown"</h3>
            <textarea
                class="dialog-text"
                readonly
                rows="12"
                spellcheck="false"
                data-testid="image-markdown"
                aria-label="Markdown snippet"
                prop:value=move || snippet.get()
            ></textarea>
            <div class="dialog-actions end">
                <span class="dialog-status" role="status" data-testid="image-copied">
                    {move || match copied.get() {
                        Some(true) => "Copied to the clipboard.",
                        Some(false) => "The browser did not allow copying: select the text and copy it.",
                        None => "",
                    }}
                </span>
                <button
                    data-testid="image-copy"
                    on:click=move |_| {
                        files::copy_text_then(&snippet.get_untracked(), move |ok| copied.set(Some(ok)))
                    }
                >
                    "Copy Markdown"
                </button>
                <button data-testid="image-close" on:click=move |_| dialogs.close()>
                    "Close"
                </button>
            </div>
        </DialogFrame>
    }
}
