//! Geometry checks shared by the golden and corpus tests.

use asl_graph::{NodeKind, Rect, Scene};

fn is_leaf(kind: NodeKind) -> bool {
    !kind.is_cluster()
}

/// True when the interiors of two rectangles overlap (touching edges do not count).
fn overlaps(a: Rect, b: Rect) -> bool {
    const EPS: f64 = 0.5;
    a.x + EPS < b.x + b.width
        && b.x + EPS < a.x + a.width
        && a.y + EPS < b.y + b.height
        && b.y + EPS < a.y + a.height
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.x >= outer.x - 0.5
        && inner.y >= outer.y - 0.5
        && inner.x + inner.width <= outer.x + outer.width + 0.5
        && inner.y + inner.height <= outer.y + outer.height + 0.5
}

/// True when the segment p-q passes through the interior of `r` (shrunk by a pixel).
fn segment_hits(p: (f64, f64), q: (f64, f64), r: Rect) -> bool {
    let (x0, y0, x1, y1) = (
        r.x + 1.0,
        r.y + 1.0,
        r.x + r.width - 1.0,
        r.y + r.height - 1.0,
    );
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    // Liang-Barsky clipping of the segment against the rectangle.
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (pk, qk) in [
        (-dx, p.0 - x0),
        (dx, x1 - p.0),
        (-dy, p.1 - y0),
        (dy, y1 - p.1),
    ] {
        if pk.abs() < 1e-12 {
            if qk < 0.0 {
                return false;
            }
        } else {
            let t = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-6
}

fn ancestors(scene: &Scene, mut id: usize) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(p) = scene.nodes.get(id).and_then(|n| n.parent) {
        if out.contains(&p) || out.len() > scene.nodes.len() {
            break;
        }
        out.push(p);
        id = p;
    }
    out
}

fn point_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let orient = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        ((q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)).signum()
    };
    orient(a, b, c) * orient(a, b, d) < 0.0 && orient(c, d, a) * orient(c, d, b) < 0.0
}

/// The smallest distance between two polylines.
pub fn polyline_distance(p: &[asl_graph::Point], q: &[asl_graph::Point]) -> f64 {
    let xy = |p: &asl_graph::Point| (p.x, p.y);
    let mut best = f64::INFINITY;
    for s in p.windows(2) {
        for t in q.windows(2) {
            let (a, b, c, d) = (xy(&s[0]), xy(&s[1]), xy(&t[0]), xy(&t[1]));
            if segments_cross(a, b, c, d) {
                return 0.0;
            }
            best = best
                .min(point_to_segment(a, c, d))
                .min(point_to_segment(b, c, d))
                .min(point_to_segment(c, a, b))
                .min(point_to_segment(d, a, b));
        }
    }
    best
}

/// How far apart the two lines of a two-state loop (`A -> B` and `B -> A`) must stay.
const LOOP_GAP: f64 = 12.0;

/// Checks the drawing's geometry; returns the problems found.
pub fn geometry_problems(scene: &Scene) -> Vec<String> {
    let mut problems = Vec::new();
    let name = |i: usize| {
        let n = &scene.nodes[i];
        format!("#{i} {:?} {:?}", n.kind, n.name)
    };
    for (i, a) in scene.nodes.iter().enumerate() {
        let anc_a = ancestors(scene, i);
        // Branch end points sit on the exit of their Parallel or Map box (the join), half out.
        let join = a.kind == NodeKind::BranchEnd;
        for p in anc_a.iter().filter(|_| !join) {
            if !inside(a.rect, scene.nodes[*p].rect) {
                problems.push(format!(
                    "{} sticks out of its cluster {}",
                    name(i),
                    name(*p)
                ));
            }
        }
        for (j, b) in scene.nodes.iter().enumerate().skip(i + 1) {
            let related = anc_a.contains(&j) || ancestors(scene, j).contains(&i);
            let joins = join && b.kind == NodeKind::BranchEnd;
            if joins {
                continue;
            }
            if !related && overlaps(a.rect, b.rect) {
                problems.push(format!("{} overlaps {}", name(i), name(j)));
            }
        }
    }
    for e in &scene.edges {
        let mut near = vec![e.from, e.to];
        near.extend(ancestors(scene, e.from));
        near.extend(ancestors(scene, e.to));
        for (k, n) in scene.nodes.iter().enumerate() {
            // Clusters count too, unless the edge starts or ends inside them.
            if near.contains(&k) || n.kind == NodeKind::BranchEnd {
                continue;
            }
            for w in e.points.windows(2) {
                if segment_hits((w[0].x, w[0].y), (w[1].x, w[1].y), n.rect) {
                    problems.push(format!(
                        "edge {}->{} crosses {}",
                        e.from_ref,
                        e.to_ref,
                        name(k)
                    ));
                    break;
                }
            }
        }
    }
    // The two lines of a two-state loop stay apart, and neither runs through the other's label.
    for (i, e) in scene.edges.iter().enumerate() {
        for (j, f) in scene.edges.iter().enumerate() {
            if i == j || e.from != f.to || e.to != f.from || e.from == e.to {
                continue;
            }
            if i < j {
                let gap = polyline_distance(&e.points, &f.points);
                if gap < LOOP_GAP {
                    problems.push(format!(
                        "edges {}->{} and back run {gap:.1}px apart",
                        e.from_ref, e.to_ref
                    ));
                }
            }
            if let Some(l) = &f.label
                && e.points
                    .windows(2)
                    .any(|w| segment_hits((w[0].x, w[0].y), (w[1].x, w[1].y), l.rect))
            {
                problems.push(format!(
                    "edge {}->{} runs through the label of {}->{}",
                    e.from_ref, e.to_ref, f.from_ref, f.to_ref
                ));
            }
        }
    }
    let labels: Vec<(usize, Rect)> = scene
        .edges
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.label.as_ref().map(|l| (i, l.rect)))
        .collect();
    for (a, (i, ra)) in labels.iter().enumerate() {
        for (j, rb) in labels.iter().skip(a + 1) {
            if overlaps(*ra, *rb) {
                problems.push(format!("label of edge {i} overlaps label of edge {j}"));
            }
        }
        for (k, n) in scene.nodes.iter().enumerate() {
            if is_leaf(n.kind) && overlaps(*ra, n.rect) {
                problems.push(format!("label of edge {i} overlaps {}", name(k)));
            }
        }
    }
    problems
}
