//! Share links: the "Share link" dialog, and opening a `#doc=` link as a new document.
//!
//! The format lives in `asl_designer::share`; links carry data only, and a link that cannot be
//! read leaves every saved document as it was.

use asl_designer::share::{self, MAX_LINK_CHARS, WARN_LINK_CHARS};
use leptos::prelude::*;

use crate::contexts::Studio;
use crate::contexts::use_studio;
use crate::platform::{dom, files, location};
use crate::ui::dialogs::{DialogFrame, use_dialogs};

/// Opens the document of a `#doc=` link in the address, then listens for links pasted later.
/// In a fresh profile, the shared document replaces the starter document made for it.
pub fn install(studio: Studio, fresh_profile: bool) {
    let starter = studio.current.get_untracked();
    if open_from_location(studio) && fresh_profile {
        studio.forget(&starter);
    }
    dom::on_window("hashchange", move |_: web_sys::Event| {
        open_from_location(studio);
    });
}

/// Opens the `#doc=` document of the address as a new document; the saved ones are untouched.
/// Returns whether a document was opened.
pub fn open_from_location(studio: Studio) -> bool {
    let hash = location::hash();
    let Some(value) = share::fragment_value(&hash) else {
        return false;
    };
    match share::decode(value) {
        Ok(shared) => {
            let name = shared.name.clone();
            studio.open_new(shared.document, shared.name);
            // Reloading the page must not open a second copy.
            location::clear_hash();
            let mut message = format!(
                "Opened the shared document \u{201c}{name}\u{201d} as a new document; your other documents are unchanged."
            );
            for note in &shared.notes {
                message.push(' ');
                message.push_str(note);
            }
            studio.notice.set(Some(message));
            true
        }
        Err(e) => {
            studio.notice.set(Some(format!(
                "This share link cannot be opened: {e}. Nothing was changed; your documents are as you left them."
            )));
            false
        }
    }
}

/// What the dialog shows.
#[derive(Clone, Debug, PartialEq)]
enum Link {
    Ready(String),
    Refused(String),
}

/// The link, and what the document's saved test cases miss (see [`share::unresolved_note`]).
fn build_link(studio: &Studio) -> (Link, Option<String>) {
    let name = studio.current_name();
    let document = studio.with(|d| d.document().clone());
    let missing = share::unresolved_note(document.settings());
    let link = match share::encode(&document, &name) {
        Ok(value) => Link::Ready(format!(
            "{}#{}={value}",
            location::base_url(),
            share::FRAGMENT_KEY
        )),
        Err(e) => Link::Refused(format!("No link was made: {e}.")),
    };
    (link, missing)
}

/// The "Share link" dialog: the link (already copied), its length, a warning when long.
#[component]
pub fn ShareDialog() -> impl IntoView {
    let studio = use_studio();
    let dialogs = use_dialogs();
    let (link, missing) = build_link(&studio);
    let copied = RwSignal::new(None::<bool>);
    let copy = move |text: String| {
        files::copy_text_then(&text, move |ok| copied.set(Some(ok)));
    };
    if let Link::Ready(url) = &link {
        copy(url.clone());
    }
    let body = match link {
        Link::Refused(message) => view! {
            <p class="dialog-error" role="alert" data-testid="share-error">{message}</p>
            <p class="dialog-hint">
                {format!(
                    "Links hold documents up to {} KB once compressed. Save JSON or YAML and share the file instead.",
                    MAX_LINK_CHARS / 1024
                )}
            </p>
        }
        .into_any(),
        Link::Ready(url) => {
            let chars = url.chars().count();
            let long = chars > WARN_LINK_CHARS;
            let for_copy = url.clone();
            view! {
                <p class="dialog-hint">
                    "Whoever opens this link gets a copy of this document (definition, layout, input, mocks, saved test cases and settings) "
                    "as a new document in their browser. The document travels after the # of the link, which browsers never send to a server."
                </p>
                <textarea
                    class="dialog-text link"
                    readonly
                    rows="4"
                    data-testid="share-url"
                    aria-label="Share link"
                    on:focus=|ev| {
                        let target = event_target::<web_sys::HtmlTextAreaElement>(&ev);
                        target.select();
                    }
                    prop:value=url
                ></textarea>
                <p class="dialog-meta" data-testid="share-length">
                    {format!("{chars} characters")}
                </p>
                {missing
                    .map(|note| {
                        view! {
                            <p class="dialog-warning" role="alert" data-testid="share-missing-mocks">
                                {format!("{note} Add the missing mocks before sharing, or share as it is.")}
                            </p>
                        }
                    })}
                {long
                    .then(|| {
                        view! {
                            <p class="dialog-warning" role="alert" data-testid="share-warning">
                                {format!(
                                    "This link is long ({chars} characters). Chat tools, mail programs and some servers cut links longer than {WARN_LINK_CHARS} characters; if it arrives cut, it will not open. Saving the document as a file is safer."
                                )}
                            </p>
                        }
                    })}
                <div class="dialog-actions">
                    <button data-testid="share-copy" on:click=move |_| copy(for_copy.clone())>
                        "Copy link"
                    </button>
                    <span class="dialog-status" role="status" data-testid="share-copied">
                        {move || match copied.get() {
                            Some(true) => "Copied to the clipboard.",
                            Some(false) => "The browser did not allow copying: select the link and copy it.",
                            None => "",
                        }}
                    </span>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <DialogFrame title="Share link" test_id="share-dialog">
            {body}
            <div class="dialog-actions end">
                <button data-testid="share-close" on:click=move |_| dialogs.close()>
                    "Close"
                </button>
            </div>
        </DialogFrame>
    }
}
