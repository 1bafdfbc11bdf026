//! One node of the canvas: a state (clickable, draggable, keyboard focusable), a Parallel or Map
//! box (Map boxes and Parallel branches are drop targets), Start/End, a missing target or a branch end.

use asl_designer::{Command, Selection};
use asl_graph::{NodeKind, SceneNode, TextLine, icon_svg};
use leptos::prelude::*;

use crate::contexts::{Drag, DragItem, Studio};
use crate::platform::dom::DropHit;

fn line_view(line: &TextLine) -> impl IntoView + use<> {
    view! {
        <text class=line.class x=line.x y=line.y text-anchor=line.centered.then_some("middle")>
            {line.text.clone()}
        </text>
    }
}

fn lines(n: &SceneNode) -> impl IntoView + use<> {
    n.lines.iter().map(line_view).collect_view()
}

fn badges(n: &SceneNode) -> impl IntoView + use<> {
    n.badges
        .iter()
        .map(|b| {
            let r = b.rect;
            view! {
                <g class=format!("badge {}", b.class)>
                    <rect
                        class="badge-box"
                        x=r.x
                        y=r.y
                        width=r.width
                        height=r.height
                        rx=r.height / 2.0
                    ></rect>
                    <text x=r.x + r.width / 2.0 y=r.y + r.height / 2.0 + 3.5 text-anchor="middle">
                        {b.text.clone()}
                    </text>
                </g>
            }
        })
        .collect_view()
}

fn retry_mark(n: &SceneNode) -> Option<impl IntoView + use<>> {
    let c = n.retry_at?;
    let d = format!(
        "M{} {} A5 5 0 1 1 {} {} M{} {} L{} {} L{} {}",
        c.x + 5.0,
        c.y,
        c.x,
        c.y - 5.0,
        c.x - 2.5,
        c.y - 7.5,
        c.x,
        c.y - 5.0,
        c.x - 2.5,
        c.y - 2.5
    );
    Some(view! {
        <g class="retry-mark">
            <title>{n.retry_info.clone()}</title>
            <path d=d></path>
        </g>
    })
}

/// The type icon: fixed shapes from `asl_graph::icon_svg` (an icon id and coordinates, no user text).
fn icon(n: &SceneNode) -> impl IntoView + use<> {
    view! { <g class="icon-host" inner_html=icon_svg(n.icon, n.icon_at)></g> }
}

/// Draws one scene node.
pub fn node_view(studio: Studio, n: &SceneNode) -> AnyView {
    let r = n.rect;
    match n.kind {
        NodeKind::State | NodeKind::Parallel | NodeKind::Map => state_view(studio, n),
        NodeKind::Start | NodeKind::End => {
            let which = if n.kind == NodeKind::Start {
                "start"
            } else {
                "end"
            };
            view! {
                <g class="terminal" data-terminal=which>
                    <rect
                        class="box"
                        x=r.x
                        y=r.y
                        width=r.width
                        height=r.height
                        rx=r.height / 2.0
                    ></rect>
                    {lines(n)}
                </g>
            }
            .into_any()
        }
        NodeKind::Missing => view! {
            <g class="missing" data-missing=n.name.clone()>
                <title>{n.tooltip.clone()}</title>
                <rect class="box" x=r.x y=r.y width=r.width height=r.height rx="6"></rect>
                {icon(n)}
                {lines(n)}
            </g>
        }
        .into_any(),
        NodeKind::Branch => {
            let me = DropHit {
                kind: "branch".into(),
                a: n.pointer.clone(),
                b: String::new(),
                edge_kind: String::new(),
            };
            let click = me.clone();
            view! {
                <g
                    class=move || drop_class(studio, "branch".into(), &me)
                    data-pointer=n.pointer.clone()
                    data-drop="branch"
                    data-a=n.pointer.clone()
                    on:pointerdown=|ev| ev.stop_propagation()
                    on:click=move |_| studio.target.set(Some(click.clone()))
                >
                    <rect class="box" x=r.x y=r.y width=r.width height=r.height rx="4"></rect>
                    {lines(n)}
                </g>
            }
            .into_any()
        }
        NodeKind::BranchEnd => view! {
            <g class="branch-end-point">
                <circle
                    class="branch-end"
                    cx=r.x + r.width / 2.0
                    cy=r.y + r.height / 2.0
                    r=r.width / 2.0
                ></circle>
            </g>
        }
        .into_any(),
    }
}

fn drop_class(studio: Studio, base: String, me: &DropHit) -> String {
    let mut c = base;
    if studio.drag.with(|d| {
        d.as_ref()
            .is_some_and(|d| d.moved && d.over.as_ref() == Some(me))
    }) {
        c.push_str(" drop-target");
    }
    if studio.target.with(|t| t.as_ref() == Some(me)) {
        c.push_str(" selected");
    }
    c
}

fn state_view(studio: Studio, n: &SceneNode) -> AnyView {
    let r = n.rect;
    let name = n.name.clone();
    let mut base = String::from("state");
    if n.kind.is_cluster() {
        base.push_str(" cluster");
    }
    for c in &n.classes {
        base.push(' ');
        base.push_str(c);
    }
    let me = (n.kind == NodeKind::Map).then(|| DropHit {
        kind: "map".into(),
        a: name.clone(),
        b: String::new(),
        edge_kind: String::new(),
    });
    let class = {
        let name = name.clone();
        let me = me.clone();
        move || {
            let mut c = match &me {
                Some(me) => drop_class(studio, base.clone(), me),
                None => base.clone(),
            };
            if studio.selection.with(|s| s.states.contains(&name)) {
                c.push_str(" selected");
            }
            if let Some(status) = studio.run_status(&name) {
                c.push(' ');
                c.push_str(status);
            }
            c
        }
    };
    let select = {
        let name = name.clone();
        move || {
            studio.target.set(None);
            studio.apply(Command::Select(Selection::state(name.clone())));
        }
    };
    let select_key = select.clone();
    let drag_name = name.clone();
    let radius = 6.0;
    view! {
        <g
            class=class
            data-state=name.clone()
            data-type=n.state_type.clone()
            data-pointer=n.pointer.clone()
            data-drop=me.as_ref().map(|_| "map")
            data-a=me.as_ref().map(|m| m.a.clone())
            tabindex="0"
            role="button"
            aria-label=format!("{} state {}", n.state_type, name)
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                ev.stop_propagation();
                if let Some(drag) = Drag::start(&ev, DragItem::State(drag_name.clone())) {
                    studio.drag.set(Some(drag));
                }
            }
            on:click=move |ev: web_sys::MouseEvent| {
                ev.stop_propagation();
                select();
            }
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    select_key();
                }
            }
        >
            <title>{n.tooltip.clone()}</title>
            <rect class="box" x=r.x y=r.y width=r.width height=r.height rx=radius></rect>
            {icon(n)}
            {lines(n)}
            {badges(n)}
            {retry_mark(n)}
            {studio.run_badges(&name, n)}
        </g>
    }
    .into_any()
}
