//! The canvas: a native Leptos SVG rendering of the `asl_graph::Scene` with pan, zoom, fit,
//! selection and drop targets. It keeps the SVG contract of `asl_graph::to_svg` (groups, classes,
//! `data-*` attributes, no transforms: pan and zoom move the root `viewBox`).

mod edge;
mod node;

use asl_designer::{Command, Selection};
use asl_graph::{Theme, stylesheet};
use leptos::html::Section;
use leptos::prelude::*;

use crate::contexts::{DragItem, use_studio};
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

    let graph = move || {
        studio.scene_rev.track();
        let scene = studio.scene();
        let clusters = scene
            .nodes
            .iter()
            .filter(|n| n.kind.is_cluster())
            .map(|n| node::node_view(studio, n))
            .collect_view();
        let edges = scene
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| edge::edge_view(studio, i, e))
            .collect_view();
        let labels = scene
            .edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| edge::label_view(studio, i, e))
            .collect_view();
        let nodes = scene
            .nodes
            .iter()
            .filter(|n| !n.kind.is_cluster())
            .map(|n| node::node_view(studio, n))
            .collect_view();
        view! {
            <g class="clusters">{clusters}</g>
            <g class="edges">{edges}</g>
            <g class="edge-labels">{labels}</g>
            <g class="nodes">{nodes}</g>
        }
    };

    let empty = move || {
        studio.rev.track();
        studio.with(|d| d.document().outline().states.is_empty())
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
                <div class="stale" data-testid="stale-graph" role="status">
                    "The definition does not parse: showing the last good graph"
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
