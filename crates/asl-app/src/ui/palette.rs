//! The states palette: Flow and Actions items to drag onto the canvas (or click to insert at the
//! chosen arrow), any AWS SDK action, and Patterns that insert their states into the workflow
//! the same way (or open as new documents).

use asl_designer::{Group, Palette, PaletteItem, TEMPLATES, catalogue};
use leptos::prelude::*;

use crate::contexts::{Drag, DragItem, template_document, use_studio};
use crate::ui::drop::{add_state, insert_pattern, insertion_point};

fn test_id(item: &PaletteItem) -> String {
    let mut id = String::from("palette-");
    for c in item.label.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// The palette panel.
#[component]
pub fn PalettePanel() -> impl IntoView {
    let studio = use_studio();
    let filter = RwSignal::new(String::new());
    let tab = RwSignal::new("states");
    let service = RwSignal::new("s3".to_string());
    let action = RwSignal::new("listBuckets".to_string());

    let item_view = move |item: PaletteItem| {
        let label = item.label;
        let palette = item.palette.clone();
        let for_drag = item.palette.clone();
        let lower = format!("{} {}", item.label, item.description).to_lowercase();
        view! {
            <button
                class="palette-item"
                data-testid=test_id(&item)
                title=item.description
                style:display=move || {
                    if lower.contains(&filter.get().to_lowercase()) { "" } else { "none" }
                }
                on:pointerdown=move |ev: web_sys::PointerEvent| {
                    if let Some(drag) = Drag::start(&ev, DragItem::Palette(for_drag.clone(), label.to_string())) {
                        studio.drag.set(Some(drag));
                    }
                }
                on:click=move |_| {
                    let at = insertion_point(&studio);
                    add_state(&studio, palette.clone(), at);
                }
            >
                <span class="palette-label">{label}</span>
            </button>
        }
    };
    let group = move |g: Group| {
        catalogue()
            .into_iter()
            .filter(|i| i.group == g && !matches!(i.palette, Palette::AwsSdk { .. }))
            .map(item_view)
            .collect_view()
    };

    view! {
        <aside class="palette" aria-label="States palette" data-testid="palette">
            <div class="tabs" role="tablist">
                <button
                    role="tab"
                    data-testid="palette-tab-states"
                    aria-selected=move || (tab.get() == "states").to_string()
                    class:active=move || tab.get() == "states"
                    on:click=move |_| tab.set("states")
                >
                    "States"
                </button>
                <button
                    role="tab"
                    data-testid="palette-tab-patterns"
                    aria-selected=move || (tab.get() == "patterns").to_string()
                    class:active=move || tab.get() == "patterns"
                    on:click=move |_| tab.set("patterns")
                >
                    "Patterns"
                </button>
            </div>
            <Show
                when=move || tab.get() == "states"
                fallback=move || {
                    view! {
                        <div class="palette-group">
                            <p class="muted">
                                "Drag a pattern onto an arrow (or choose an arrow, then Insert) to add its states to this workflow, or open it as a new document."
                            </p>
                            {TEMPLATES
                                .iter()
                                .map(|t| {
                                    let id = t.id;
                                    let title = t.title;
                                    view! {
                                        <div class="pattern-item">
                                            <button
                                                class="palette-item"
                                                data-testid=format!("pattern-{id}")
                                                title=format!("{} Drag onto an arrow to insert it.", t.description)
                                                on:pointerdown=move |ev: web_sys::PointerEvent| {
                                                    if let Some(drag) = Drag::start(&ev, DragItem::Pattern(id.to_owned(), title.to_owned())) {
                        studio.drag.set(Some(drag));
                    }
                                                }
                                                on:click=move |_| {
                                                    let at = insertion_point(&studio);
                                                    insert_pattern(&studio, id, at);
                                                }
                                            >
                                                {title}
                                            </button>
                                            <button
                                                class="pattern-open"
                                                data-testid=format!("pattern-open-{id}")
                                                title="Open as a new document"
                                                aria-label=format!("Open {title} as a new document")
                                                on:click=move |_| {
                                                    let (doc, name) = template_document(id);
                                                    studio.open_new(doc, name);
                                                }
                                            >
                                                "Open"
                                            </button>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                }
            >
                <input
                    type="search"
                    placeholder="Search states"
                    aria-label="Search states"
                    data-testid="palette-search"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
                <p class="hint">
                    {move || {
                        if studio.target.get().is_some() {
                            "Click an item to insert it at the chosen arrow."
                        } else {
                            "Drag onto an arrow, or click an arrow then an item."
                        }
                    }}
                </p>
                <h3>"Flow"</h3>
                <div class="palette-group">{group(Group::Flow)}</div>
                <h3>"Actions"</h3>
                <div class="palette-group">{group(Group::Actions)}</div>
                <h3>"Any AWS SDK action"</h3>
                <div class="sdk">
                    <input
                        aria-label="Service"
                        data-testid="sdk-service"
                        prop:value=move || service.get()
                        on:input=move |ev| service.set(event_target_value(&ev))
                    />
                    <input
                        aria-label="Action"
                        data-testid="sdk-action"
                        prop:value=move || action.get()
                        on:input=move |ev| action.set(event_target_value(&ev))
                    />
                    <button
                        data-testid="palette-aws-sdk"
                        on:click=move |_| {
                            let at = insertion_point(&studio);
                            add_state(
                                &studio,
                                Palette::AwsSdk {
                                    service: service.get_untracked(),
                                    action: action.get_untracked(),
                                },
                                at,
                            );
                        }
                    >
                        "Add"
                    </button>
                </div>
            </Show>
        </aside>
    }
}
