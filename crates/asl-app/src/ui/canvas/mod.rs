//! The canvas: a native Leptos SVG rendering of the `asl_graph::Scene` with pan, zoom, fit,
//! selection and drop targets. It keeps the SVG contract of `asl_graph::to_svg` (groups, classes,
//! `data-*` attributes, no transforms: pan and zoom move the root `viewBox`).

mod edge;
mod keys;
mod node;

use asl_designer::{Command, Selection};
use std::rc::Rc;

use asl_graph::{Scene, Theme, stylesheet};
use leptos::html::Section;
use leptos::prelude::*;

use crate::contexts::{DragItem, Mode, use_studio};
use crate::platform::dom;

/// The graph canvas.
#[component]
pub fn Canvas() -> impl IntoView {
    let studio = use_studio();
    let host = NodeRef::<Section>::new();
    let pan = RwSignal::new(None::<(f64, f64, f64, f64)>);

    let measure = move || {
        if let Some(el) = host.get_untracked() {
            let (w, h) = dom::element_size(&el);
            if w > 0.0 && h > 0.0 && studio.host_size.get_untracked() != (w, h) {
                studio.host_size.set((w, h));
                if studio.auto_fit.get_untracked() {
                    studio.fit();
                }
            }
        }
    };
    Effect::new(move |_| {
        studio.mode.track();
        dom::next_tick(measure);
    });
    dom::on_window("resize", move |_: web_sys::Event| measure());

    let view_box = move || {
        let v = studio.view.get();
        let (w, h) = studio.host_size.get();
        format!("{} {} {} {}", v.x, v.y, w / v.zoom, h / v.zoom)
    };
    let theme_css = move || {
        stylesheet(if studio.dark.get() {
            Theme::Dark
        } else {
            Theme::Light
        })
    };
    let stale = move || {
        studio.rev.track();
        studio.with(|d| d.is_stale())
    };

    // The syntax error, with its line, for the banner shown while the text does not parse.
    let syntax_error = move || {
        studio.rev.track();
        studio.with(|d| {
            let text = d.text();
            d.document().analysis().error.as_ref().map(|e| {
                let line = asl_core::LineIndex::new(text).line_col(e.offset).line;
                format!("Line {line}: {}", e.message)
            })
        })
    };
    let show_error = move || {
        let offset = studio.with(|d| d.document().analysis().error.as_ref().map(|e| e.offset));
        if let Some(offset) = offset {
            studio.mode.set(Mode::Code);
            dom::next_tick(move || studio.reveal_range(offset, offset));
        }
    };

    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let v = studio.view.get_untracked();
        pan.set(Some((
            f64::from(ev.client_x()),
            f64::from(ev.client_y()),
            v.x,
            v.y,
        )));
    };
    let on_pointermove = move |ev: web_sys::PointerEvent| {
        if let Some((sx, sy, vx, vy)) = pan.get_untracked() {
            if studio.drag.get_untracked().is_some() {
                pan.set(None);
                return;
            }
            let dx = f64::from(ev.client_x()) - sx;
            let dy = f64::from(ev.client_y()) - sy;
            if dx.abs() + dy.abs() > 3.0 {
                studio.auto_fit.set(false);
                studio.view.update(|v| {
                    v.x = vx - dx / v.zoom;
                    v.y = vy - dy / v.zoom;
                });
            }
        }
    };
    let on_pointerup = move |ev: web_sys::PointerEvent| {
        if let Some((sx, sy, _, _)) = pan.get_untracked() {
            pan.set(None);
            let moved =
                (f64::from(ev.client_x()) - sx).abs() + (f64::from(ev.client_y()) - sy).abs();
            if moved <= 3.0 && studio.drag.get_untracked().is_none() {
                studio.target.set(None);
                studio.apply(Command::Select(Selection::default()));
            }
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(el) = host.get_untracked() else {
            return;
        };
        let (ox, oy) = dom::element_origin(&el);
        if ev.ctrl_key() || ev.meta_key() {
            let factor = if ev.delta_y() < 0.0 { 1.1 } else { 1.0 / 1.1 };
            studio.zoom_by(
                factor,
                Some((f64::from(ev.client_x()) - ox, f64::from(ev.client_y()) - oy)),
            );
        } else {
            studio.auto_fit.set(false);
            studio.view.update(|v| {
                v.x += ev.delta_x() / v.zoom;
                v.y += ev.delta_y() / v.zoom;
            });
        }
    };

    // The scene, re-read when it changed; each layer is a keyed list so that only the nodes and
    // edges whose drawing changed are replaced in the DOM. The four lists share one keying of the
    // scene, and their items are indexes into it (no node or edge is copied).
    let layers = StoredValue::new_local(None::<(Rc<Scene>, Rc<keys::Layers>)>);
    let current = move || {
        studio.scene_rev.track();
        let scene = studio.scene();
        let cached = layers.with_value(|l| {
            l.as_ref()
                .filter(|(s, _)| Rc::ptr_eq(s, &scene))
                .map(|(_, k)| k.clone())
        });
        let keyed = cached.unwrap_or_else(|| {
            let keyed = Rc::new(keys::Layers::new(&scene));
            layers.set_value(Some((scene.clone(), keyed.clone())));
            keyed
        });
        (scene, keyed)
    };
    let items = move |layer: fn(&keys::Layers) -> &Vec<(keys::Key, usize)>| {
        let (_, keyed) = current();
        layer(&keyed).clone()
    };
    // A new item is drawn from the scene its list was just computed from.
    let drawn =
        move |f: &dyn Fn(&Scene) -> AnyView| layers.with_value(|l| l.as_ref().map(|(s, _)| f(s)));
    let clusters = move || items(|l| &l.clusters);
    let leaves = move || items(|l| &l.leaves);
    let edges = move || items(|l| &l.edges);
    let labels = move || items(|l| &l.labels);
    let graph = move || {
        view! {
            <g class="clusters">
                <For
                    each=clusters
                    key=|(k, _)| *k
                    children=move |(_, i)| drawn(&|s| node::node_view(studio, &s.nodes[i]))
                />
            </g>
            <g class="edges">
                <For
                    each=edges
                    key=|(k, _)| *k
                    children=move |(_, i)| {
                        drawn(&|s| edge::edge_view(studio, i, &s.edges[i]).into_any())
                    }
                />
            </g>
            <g class="edge-labels">
                <For
                    each=labels
                    key=|(k, _)| *k
                    children=move |(_, i)| {
                        drawn(&|s| edge::label_view(studio, i, &s.edges[i]).into_any())
                    }
                />
            </g>
            <g class="nodes">
                <For
                    each=leaves
                    key=|(k, _)| *k
                    children=move |(_, i)| drawn(&|s| node::node_view(studio, &s.nodes[i]))
                />
            </g>
        }
    };

    let empty = move || {
        studio.rev.track();
        studio.with(|d| d.document().outline().states.is_empty())
    };
    let moved_boxes = move || {
        studio.rev.track();
        studio.with(|d| {
            d.document()
                .layout()
                .states
                .values()
                .any(|o| o.position.is_some())
        })
    };
    let dragging = move || studio.drag.with(|d| d.as_ref().is_some_and(|d| d.moved));
    let dragging_state = move || {
        studio.drag.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.moved && matches!(d.item, DragItem::State(_)))
        })
    };

    view! {
        <section
            class="canvas"
            class:dragging=dragging
            class:moving-state=dragging_state
            data-testid="graph"
            aria-label="Graph"
            node_ref=host
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=on_pointerup
            on:wheel=on_wheel
        >
            <style>{theme_css}</style>
            <Show when=stale>
                <div
                    class="stale"
                    data-testid="stale-graph"
                    role="alert"
                    on:pointerdown=|ev| ev.stop_propagation()
                >
                    <strong>"Visual editing is paused"</strong>
                    " until the syntax error is fixed ("
                    <span data-testid="stale-reason">{syntax_error}</span>
                    "); the graph shows the last version that parsed. "
                    <button data-testid="show-syntax-error" on:click=move |_| show_error()>
                        "Show in code"
                    </button>
                </div>
            </Show>
            <Show when=empty>
                <div class="empty-hint" data-testid="empty-hint">
                    "Drag a state from the palette onto the arrow below Start, or click the arrow and then a palette item."
                </div>
            </Show>
            <svg
                class=move || {
                    format!(
                        "asl-graph {}",
                        if studio.dark.get() { "theme-dark" } else { "theme-light" },
                    )
                }
                viewBox=view_box
                width="100%"
                height="100%"
                role="img"
                aria-label="State machine graph"
            >
                {graph}
            </svg>
            <div class="zoom-controls" on:pointerdown=|ev| ev.stop_propagation()>
                <button
                    data-testid="zoom-in"
                    title="Zoom in (Ctrl+=)"
                    aria-label="Zoom in"
                    on:click=move |_| studio.zoom_by(1.2, None)
                >
                    "+"
                </button>
                <button
                    data-testid="zoom-out"
                    title="Zoom out (Ctrl+-)"
                    aria-label="Zoom out"
                    on:click=move |_| studio.zoom_by(1.0 / 1.2, None)
                >
                    "−"
                </button>
                <Show when=moved_boxes>
                    <button
                        data-testid="reset-layout"
                        title="Put every moved box back at its automatic place"
                        on:click=move |_| {
                            studio.apply(Command::ResetLayout);
                        }
                    >
                        "Reset layout"
                    </button>
                </Show>
                <button
                    data-testid="fit"
                    title="Fit to screen (Ctrl+F)"
                    on:click=move |_| {
                        studio.auto_fit.set(true);
                        studio.fit();
                    }
                >
                    "Fit"
                </button>
            </div>
        </section>
    }
}
