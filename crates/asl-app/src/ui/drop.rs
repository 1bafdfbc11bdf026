//! Turning a drop target (an edge, a branch box, a Map box) into a designer position, and dropping.

use asl_designer::{Command, Designer, Edge, Palette, Position, ScopeRef, Via};
use leptos::prelude::*;

use crate::contexts::{DragItem, Studio};
use crate::platform::dom::DropHit;

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The block a JSON Pointer of a `States` block's owner names (`""` is the top level).
pub fn scope_from_pointer(pointer: &str) -> ScopeRef {
    let parts: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let n = parts.len();
    if n >= 3
        && parts[n - 2] == "Branches"
        && let Ok(index) = parts[n - 1].parse::<usize>()
    {
        return ScopeRef::Branch {
            state: parts[n - 3].clone(),
            index,
        };
    }
    if n >= 2 && (parts[n - 1] == "ItemProcessor" || parts[n - 1] == "Iterator") {
        return ScopeRef::Processor {
            state: parts[n - 2].clone(),
        };
    }
    ScopeRef::Top
}

/// The block that holds a state.
pub fn scope_of(d: &Designer, state: &str) -> ScopeRef {
    let outline = d.document().outline();
    outline
        .find(state)
        .and_then(|entry| outline.scopes.get(entry.scope))
        .map(|scope| scope_from_pointer(&scope.pointer))
        .unwrap_or_default()
}

/// The designer position of a drop target.
pub fn position(d: &Designer, hit: &DropHit) -> Option<Position> {
    match hit.kind.as_str() {
        "edge" => {
            let (from, to) = (hit.a.as_str(), hit.b.as_str());
            if from == "__start" {
                if to.starts_with("__") {
                    return Some(Position::Start(ScopeRef::Top));
                }
                return Some(Position::Start(scope_of(d, to)));
            }
            if to == "__end" || to == "__branch_end" {
                return Some(Position::End(scope_of(d, from)));
            }
            let outline = d.document().outline();
            let via = outline.find(from).and_then(|entry| {
                entry
                    .transitions
                    .iter()
                    .find(|t| {
                        t.target == to
                            && match hit.edge_kind.as_str() {
                                "choice" => matches!(t.via, Via::Choice(_)),
                                "default" => t.via == Via::Default,
                                "catch" => matches!(t.via, Via::Catch(_)),
                                _ => t.via == Via::Next,
                            }
                    })
                    .map(|t| t.via)
            });
            Some(Position::Edge(Edge {
                from: from.to_owned(),
                to: to.to_owned(),
                via,
            }))
        }
        "branch" => Some(Position::Start(scope_from_pointer(&hit.a))),
        "map" => Some(Position::Start(ScopeRef::Processor {
            state: hit.a.clone(),
        })),
        _ => None,
    }
}

/// Where click-to-insert puts a new state: the chosen target, after the selected state, or at the end.
pub fn insertion_point(studio: &Studio) -> Position {
    let target = studio.target.get_untracked();
    let selected = studio.selection.get_untracked();
    studio.with(|d| {
        if let Some(hit) = target
            && let Some(p) = position(d, &hit)
        {
            return p;
        }
        if let Some(name) = selected.primary() {
            let outline = d.document().outline();
            if let Some(entry) = outline.find(name) {
                if let Some(next) = entry.transitions.iter().find(|t| t.via == Via::Next) {
                    return Position::Edge(Edge {
                        from: name.to_owned(),
                        to: next.target.clone(),
                        via: Some(Via::Next),
                    });
                }
                return Position::End(scope_of(d, name));
            }
        }
        Position::End(ScopeRef::Top)
    })
}

/// Adds a palette item at a position and selects it.
pub fn add_state(studio: &Studio, palette: Palette, at: Position) {
    studio.target.set(None);
    studio.apply(Command::AddState {
        palette,
        at,
        name: None,
    });
}

/// Inserts a pattern's states at a position and selects its first state.
pub fn insert_pattern(studio: &Studio, id: &str, at: Position) {
    studio.target.set(None);
    studio.apply(Command::InsertPattern {
        id: id.to_owned(),
        at,
    });
}

/// Moves a state's box by a drag of `delta` screen pixels (kept in the layout sidecar, one undo
/// step; the automatic layout is unchanged).
pub fn place_state(studio: &Studio, state: &str, delta: (f64, f64)) {
    let zoom = studio.view.get_untracked().zoom.max(0.01);
    let old = studio.with(|d| {
        d.document()
            .layout()
            .states
            .get(state)
            .and_then(|o| o.position)
            .unwrap_or([0.0, 0.0])
    });
    let position = [
        (old[0] + delta.0 / zoom).round(),
        (old[1] + delta.1 / zoom).round(),
    ];
    // Keep the view still: the graph is not re-fitted after a move.
    studio.auto_fit.set(false);
    studio.apply(Command::SetPosition {
        state: state.to_owned(),
        position: Some(position),
    });
}

/// Completes a drag over a drop target.
pub fn drop_on(studio: &Studio, item: &DragItem, hit: &DropHit) {
    let Some(at) = studio.with(|d| position(d, hit)) else {
        return;
    };
    match item {
        DragItem::Palette(palette, _) => add_state(studio, palette.clone(), at),
        DragItem::Pattern(id, _) => insert_pattern(studio, id, at),
        DragItem::State(state) => {
            studio.apply(Command::MoveState {
                state: state.clone(),
                to: at,
            });
        }
    }
}
