//! Free positioning: boxes the user dragged away from their automatic place. The layout stays
//! automatic; each moved state (with everything inside it) is shifted by its offset, edges
//! between boxes that moved apart are redrawn as straight lines between their borders, and the
//! drawing is re-framed.

use std::collections::BTreeMap;

use crate::build::NodeKind;
use crate::scene::{MARGIN, Point, Rect, Scene, SceneEdge, SceneNode, midpoint, path_and_arrow};

/// The offset of every node: its own plus its enclosing boxes'.
fn node_offsets(scene: &Scene, offsets: &BTreeMap<String, [f64; 2]>) -> Vec<(f64, f64)> {
    let own: Vec<(f64, f64)> = scene
        .nodes
        .iter()
        .map(|n| {
            if n.kind.is_state() {
                offsets
                    .get(&n.name)
                    .filter(|o| o[0].is_finite() && o[1].is_finite())
                    .map_or((0.0, 0.0), |o| (o[0], o[1]))
            } else {
                (0.0, 0.0)
            }
        })
        .collect();
    (0..scene.nodes.len())
        .map(|i| {
            let (mut x, mut y) = own[i];
            let mut at = scene.nodes[i].parent;
            let mut hops = 0;
            while let Some(p) = at.filter(|p| *p < scene.nodes.len() && hops <= scene.nodes.len()) {
                x += own[p].0;
                y += own[p].1;
                at = scene.nodes[p].parent;
                hops += 1;
            }
            (x, y)
        })
        .collect()
}

fn shift_rect(r: &mut Rect, (dx, dy): (f64, f64)) {
    r.x += dx;
    r.y += dy;
}

fn shift_point(p: &mut Point, (dx, dy): (f64, f64)) {
    p.x += dx;
    p.y += dy;
}

/// Moves everything a node draws (box, icon, text lines, badges, retry mark) by `d`.
fn shift_node(n: &mut SceneNode, d: (f64, f64)) {
    shift_rect(&mut n.rect, d);
    shift_point(&mut n.icon_at, d);
    for l in &mut n.lines {
        l.x += d.0;
        l.y += d.1;
    }
    for b in &mut n.badges {
        shift_rect(&mut b.rect, d);
    }
    if let Some(p) = &mut n.retry_at {
        shift_point(p, d);
    }
}

/// Moves an edge's points and label by `d` (its path is not rewritten).
fn shift_edge(e: &mut SceneEdge, d: (f64, f64)) {
    for p in &mut e.points {
        shift_point(p, d);
    }
    if let Some(l) = &mut e.label {
        shift_rect(&mut l.rect, d);
        l.line.x += d.0;
        l.line.y += d.1;
    }
}

/// Where the line from the centre of `r` towards `to` leaves `r`.
fn border_point(r: Rect, to: Point) -> Point {
    let c = Point {
        x: r.x + r.width / 2.0,
        y: r.y + r.height / 2.0,
    };
    let (dx, dy) = (to.x - c.x, to.y - c.y);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return c;
    }
    let sx = if dx.abs() > 1e-9 {
        (r.width / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy.abs() > 1e-9 {
        (r.height / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    Point {
        x: c.x + dx * s,
        y: c.y + dy * s,
    }
}

/// Applies the user's offsets (by state name, in scene units) to a laid-out scene.
pub fn apply_offsets(scene: &Scene, offsets: &BTreeMap<String, [f64; 2]>) -> Scene {
    let moved = node_offsets(scene, offsets);
    if moved.iter().all(|(x, y)| *x == 0.0 && *y == 0.0) {
        return scene.clone();
    }
    let mut out = scene.clone();
    for (n, d) in out.nodes.iter_mut().zip(&moved) {
        if *d == (0.0, 0.0) {
            continue;
        }
        shift_node(n, *d);
    }
    for e in &mut out.edges {
        let df = moved.get(e.from).copied().unwrap_or_default();
        let dt = moved.get(e.to).copied().unwrap_or_default();
        if df == dt {
            if df == (0.0, 0.0) {
                continue;
            }
            shift_edge(e, df);
        } else {
            // The ends moved apart: a straight line between the two borders.
            let (Some(a), Some(b)) = (out.nodes.get(e.from), out.nodes.get(e.to)) else {
                continue;
            };
            let (ra, rb) = (a.rect, b.rect);
            let ca = Point {
                x: ra.x + ra.width / 2.0,
                y: ra.y + ra.height / 2.0,
            };
            let cb = Point {
                x: rb.x + rb.width / 2.0,
                y: rb.y + rb.height / 2.0,
            };
            // A box inside the other (a state and its own Parallel) leaves from the bottom.
            let start = if b.kind == NodeKind::BranchEnd {
                Point {
                    x: ca.x,
                    y: ra.y + ra.height,
                }
            } else {
                border_point(ra, cb)
            };
            let end = border_point(rb, start);
            e.points = vec![start, end];
            if let Some(l) = &mut e.label {
                let m = midpoint(&e.points);
                l.rect.x = m.x - l.rect.width / 2.0;
                l.rect.y = m.y - l.rect.height / 2.0;
                l.line.x = m.x;
                l.line.y = m.y + 4.0;
            }
        }
        let (path, arrow) = path_and_arrow(&e.points);
        e.path = path;
        e.arrow = arrow;
    }
    reframe(&mut out);
    out
}

/// Moves everything so that the drawing starts at the margin again and fits its size.
fn reframe(scene: &mut Scene) {
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let mut grow = |r: Rect| {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.x + r.width);
        y1 = y1.max(r.y + r.height);
    };
    for n in &scene.nodes {
        grow(n.rect);
    }
    for e in &scene.edges {
        for p in &e.points {
            grow(Rect {
                x: p.x,
                y: p.y,
                width: 0.0,
                height: 0.0,
            });
        }
        if let Some(l) = &e.label {
            grow(l.rect);
        }
    }
    if !x0.is_finite() || !y0.is_finite() {
        return;
    }
    let d = (MARGIN - x0, MARGIN - y0);
    if d.0.abs() > 1e-9 || d.1.abs() > 1e-9 {
        for n in &mut scene.nodes {
            shift_node(n, d);
        }
        for e in &mut scene.edges {
            shift_edge(e, d);
            let (path, arrow) = path_and_arrow(&e.points);
            e.path = path;
            e.arrow = arrow;
        }
    }
    scene.width = (x1 - x0 + 2.0 * MARGIN).ceil();
    scene.height = (y1 - y0 + 2.0 * MARGIN).ceil();
}
