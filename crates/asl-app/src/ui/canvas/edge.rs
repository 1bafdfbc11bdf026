//! One edge of the canvas and its label; both are drop targets and can be clicked to choose
//! where click-to-insert puts the next state.

use asl_graph::{EdgeKind, SceneEdge};
use leptos::prelude::*;

use crate::contexts::Studio;
use crate::platform::dom::DropHit;

fn hit(e: &SceneEdge) -> DropHit {
    DropHit {
        kind: "edge".into(),
        a: e.from_ref.clone(),
        b: e.to_ref.clone(),
        edge_kind: e.kind.as_str().into(),
    }
}

fn points(p: &[asl_graph::Point]) -> String {
    p.iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}

fn class_fn(
    studio: Studio,
    base: String,
    me: DropHit,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || {
        let mut c = base.clone();
        let over = studio.drag.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.moved && d.over.as_ref() == Some(&me))
        });
        if over {
            c.push_str(" drop-target");
        }
        if let Some(coverage) = studio.edge_coverage(&me.a, &me.b) {
            c.push(' ');
            c.push_str(coverage);
        }
        if studio.target.with(|t| t.as_ref() == Some(&me)) {
            c.push_str(" selected");
        }
        c
    }
}

/// Draws one edge: `<g class="edge kind-…" data-from data-to data-kind>` with its line and arrow.
pub fn edge_view(studio: Studio, index: usize, e: &SceneEdge) -> impl IntoView + use<> {
    let me = hit(e);
    let mut base = String::from("edge");
    for c in &e.classes {
        base.push(' ');
        base.push_str(c);
    }
    let click = me.clone();
    let label = format!("Insert between {} and {}", e.from_ref, e.to_ref);
    view! {
        <g
            class=class_fn(studio, base, me)
            data-edge=index
            data-from=e.from_ref.clone()
            data-to=e.to_ref.clone()
            data-kind=e.kind.as_str()
            data-drop="edge"
            data-a=e.from_ref.clone()
            data-b=e.to_ref.clone()
            tabindex="0"
            role="button"
            aria-label=label
            on:pointerdown=|ev| ev.stop_propagation()
            on:click=move |_| studio.target.set(Some(click.clone()))
            on:keydown={
                let click = hit_clone(&studio, e);
                move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        studio.target.set(Some(click.clone()));
                    }
                }
            }
        >
            <path
                class="line"
                d=e.path.clone()
                stroke-dasharray=(e.kind == EdgeKind::Catch).then_some("5 4")
            ></path>
            <polygon class="arrow" points=points(&e.arrow)></polygon>
            <path class="hit" d=e.path.clone()></path>
        </g>
    }
}

fn hit_clone(_studio: &Studio, e: &SceneEdge) -> DropHit {
    hit(e)
}

/// Draws an edge's label, if it has one.
pub fn label_view(studio: Studio, index: usize, e: &SceneEdge) -> Option<impl IntoView + use<>> {
    let label = e.label.as_ref()?;
    let me = hit(e);
    let mut base = String::from("edge-label");
    for c in &e.classes {
        base.push(' ');
        base.push_str(c);
    }
    let click = me.clone();
    let full = (label.line.text != label.line.full).then(|| label.line.full.clone());
    let r = label.rect;
    Some(view! {
        <g
            class=class_fn(studio, base, me)
            data-edge=index
            data-from=e.from_ref.clone()
            data-to=e.to_ref.clone()
            data-kind=e.kind.as_str()
            data-drop="edge"
            data-a=e.from_ref.clone()
            data-b=e.to_ref.clone()
            on:pointerdown=|ev| ev.stop_propagation()
            on:click=move |_| studio.target.set(Some(click.clone()))
        >
            {full.map(|f| view! { <title>{f}</title> })}
            <rect class="box" x=r.x y=r.y width=r.width height=r.height rx="4"></rect>
            <text
                class=label.line.class
                x=label.line.x
                y=label.line.y
                text-anchor=label.line.centered.then_some("middle")
            >
                {label.line.text.clone()}
            </text>
        </g>
    })
}
