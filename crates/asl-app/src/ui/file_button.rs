//! A button that opens the browser's file picker and hands the picked file's text to a callback:
//! the one way the studio reads a file the user chose (documents, templates, mocks, histories).

use leptos::html::Input;
use leptos::prelude::*;

use crate::platform::files;

/// A `<button>` paired with a hidden `<input type="file">`.
///
/// The button is the only control keyboard and screen-reader users meet: Tab reaches it, Enter
/// and Space open the picker, and focus stays on it after the file is read. The file input is
/// out of the tab order and the accessibility tree (tests set files on it by its `data-testid`).
/// `on_file(name, text)` runs once per pick; picking the same file again reads it again.
#[component]
pub fn FileButton<F>(
    /// The button's text.
    label: &'static str,
    /// The button's `data-testid`.
    test_id: &'static str,
    /// The hidden file input's `data-testid`.
    input_test_id: &'static str,
    /// The file types offered by the picker (`accept`), e.g. `.json,.yaml`.
    accept: &'static str,
    /// A tooltip, also the button's accessible description.
    #[prop(optional)]
    title: Option<&'static str>,
    /// Called with the picked file's name and text.
    on_file: F,
) -> impl IntoView
where
    F: Fn(String, String) + Clone + 'static,
{
    let input = NodeRef::<Input>::new();
    view! {
        <button
            type="button"
            data-testid=test_id
            title=title
            on:click=move |_| {
                if let Some(input) = input.get_untracked() {
                    input.click();
                }
            }
        >
            {label}
        </button>
        <input
            type="file"
            class="hidden"
            tabindex="-1"
            aria-hidden="true"
            accept=accept
            data-testid=input_test_id
            node_ref=input
            on:change=move |_| {
                if let Some(picked) = input.get_untracked() {
                    files::read_picked_file(&picked, on_file.clone());
                }
            }
        />
    }
}
