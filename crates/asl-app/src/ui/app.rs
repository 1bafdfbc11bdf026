//! The studio shell: header, then the panels of the current mode around the canvas, the drag ghost
//! and the window-level handlers (drag and drop, keyboard shortcuts, autosave on leave).

use asl_designer::keymap::chord_from_parts;
use leptos::prelude::*;

use crate::contexts::{DragItem, Mode, Studio};
use crate::platform::dom;
use crate::ui::canvas::Canvas;
use crate::ui::code::CodePanel;
use crate::ui::drop::drop_on;
use crate::ui::header::Header;
use crate::ui::inspector::Inspector;
use crate::ui::palette::PalettePanel;
use crate::ui::run::RunPanel;

fn install_window_handlers(studio: Studio) {
    dom::on_window("pointermove", move |ev: web_sys::PointerEvent| {
        if studio.drag.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let over = dom::drop_target_at(x, y);
        studio.drag.update(|d| {
            if let Some(d) = d {
                d.x = x;
                d.y = y;
                if (x - d.start.0).abs() + (y - d.start.1).abs() > 6.0 {
                    d.moved = true;
                }
                if d.over != over {
                    d.over = over;
                }
            }
        });
    });
    dom::on_window("pointerup", move |_: web_sys::PointerEvent| {
        let Some(drag) = studio.drag.get_untracked() else {
            return;
        };
        studio.drag.set(None);
        if drag.moved
            && let Some(hit) = &drag.over
        {
            drop_on(&studio, &drag.item, hit);
        } else if drag.moved
            && let DragItem::State(name) = &drag.item
            && dom::point_in_test_id(drag.x, drag.y, "graph")
        {
            // Dropped on the canvas but not on an arrow: the box moves there (free positioning).
            crate::ui::drop::place_state(
                &studio,
                name,
                (drag.x - drag.start.0, drag.y - drag.start.1),
            );
        }
    });
    dom::on_window("keydown", move |ev: web_sys::KeyboardEvent| {
        if dom::focus_in_text_field() || studio.mode.get_untracked() == Mode::Run {
            return;
        }
        if ev.key() == "Escape" && studio.drag.get_untracked().is_some() {
            studio.drag.set(None);
            return;
        }
        let chord = chord_from_parts(
            &ev.key(),
            ev.ctrl_key() || ev.meta_key(),
            ev.alt_key(),
            ev.shift_key(),
        );
        if studio.press(&chord) {
            ev.prevent_default();
        }
    });
    dom::on_window("pagehide", move |_: web_sys::Event| studio.save_now());
}

/// The whole studio.
#[component]
pub fn App() -> impl IntoView {
    let fresh_profile = !Studio::had_saved_documents();
    let studio = Studio::new();
    provide_context(studio);
    crate::platform::js_api::install();
    install_window_handlers(studio);
    crate::ui::share::install(studio, fresh_profile);
    Effect::new(move |_| {
        let dark = studio.dark.get();
        dom::set_theme(dark);
        studio.editor_theme(dark);
        crate::platform::storage::set("asl-studio.theme", if dark { "dark" } else { "light" });
    });

    let mode = move || studio.mode.get();
    let ghost = move || {
        studio.drag.get().filter(|d| d.moved).map(|d| {
            let label = match &d.item {
                DragItem::Palette(_, label) | DragItem::Pattern(_, label) => label.clone(),
                DragItem::State(name) => name.clone(),
            };
            let style = format!("left: {}px; top: {}px", d.x + 8.0, d.y + 8.0);
            view! {
                <div class="drag-ghost" class:can-drop=d.over.is_some() style=style data-testid="drag-ghost">
                    {label}
                </div>
            }
        })
    };

    view! {
        <div class="app" data-testid="studio" class:is-dragging=move || studio.drag.with(|d| d.is_some())>
            <Header />
            <div class="notice-bar" role="status" data-testid="notice">
                {move || studio.notice.get()}
            </div>
            <div class=move || {
                format!(
                    "main mode-{}",
                    match mode() {
                        Mode::Design => "design",
                        Mode::Code => "code",
                        Mode::Run => "run",
                    },
                )
            }>
                <Show when=move || mode() == Mode::Design>
                    <PalettePanel />
                </Show>
                <div class="code-slot" class:hidden=move || mode() != Mode::Code>
                    <CodePanel />
                </div>
                <Show when=move || mode() == Mode::Run>
                    <RunPanel />
                </Show>
                <Canvas />
                <Show when=move || mode() != Mode::Run>
                    <Inspector />
                </Show>
            </div>
            {ghost}
        </div>
    }
}
