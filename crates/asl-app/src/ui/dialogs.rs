//! The header's dialogs (share link, infrastructure import and export, image export): which one
//! is open, and the frame they share.

use leptos::prelude::*;

use crate::ui::iac::{ExportDialog, ImportDialog};
use crate::ui::image::ImageDialog;
use crate::ui::share::ShareDialog;

/// A dialog of the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// The share link.
    Share,
    /// Import from a CloudFormation or SAM template.
    Import,
    /// Export as a template or a CLI command.
    Export,
    /// Export the graph as SVG or PNG, with a Markdown snippet.
    Image,
}

/// The open dialog, shared through context.
#[derive(Clone, Copy)]
pub struct Dialogs(pub RwSignal<Option<Dialog>>);

impl Dialogs {
    /// Opens a dialog.
    pub fn open(&self, dialog: Dialog) {
        self.0.set(Some(dialog));
    }

    /// Closes the open dialog.
    pub fn close(&self) {
        self.0.set(None);
    }
}

/// Creates the dialogs' state and provides it to the components below.
pub fn provide() -> Dialogs {
    let dialogs = Dialogs(RwSignal::new(None));
    provide_context(dialogs);
    dialogs
}

/// Returns the dialogs' state from context.
pub fn use_dialogs() -> Dialogs {
    expect_context::<Dialogs>()
}

/// Renders the open dialog.
#[component]
pub fn DialogHost() -> impl IntoView {
    let dialogs = use_dialogs();
    move || match dialogs.0.get() {
        None => ().into_any(),
        Some(Dialog::Share) => view! { <ShareDialog /> }.into_any(),
        Some(Dialog::Import) => view! { <ImportDialog /> }.into_any(),
        Some(Dialog::Export) => view! { <ExportDialog /> }.into_any(),
        Some(Dialog::Image) => view! { <ImageDialog /> }.into_any(),
    }
}

/// The frame of a dialog: a backdrop that closes it on click or Escape, a title and a body.
#[component]
pub fn DialogFrame(
    /// The title, also the dialog's accessible name.
    title: &'static str,
    /// The `data-testid` of the dialog element.
    test_id: &'static str,
    children: Children,
) -> impl IntoView {
    let dialogs = use_dialogs();
    // Keyboard users start inside the dialog (Escape then closes it).
    crate::platform::dom::next_tick(move || {
        crate::platform::dom::focus_first(&format!("[data-testid=\"{test_id}\"]"));
    });
    view! {
        <div class="dialog-backdrop" on:click=move |_| dialogs.close()>
            <div
                class="dialog wide"
                role="dialog"
                aria-modal="true"
                aria-label=title
                data-testid=test_id
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        dialogs.close();
                    }
                }
            >
                <h2>{title}</h2>
                {children()}
            </div>
        </div>
    }
}
