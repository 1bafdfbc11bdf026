//! Quality numbers of a layout: crossings, bends, area, overlaps.
//!
//! Crossings use the definition of the shared benchmark script (`crossings.mjs`): straight
//! segments between node centres, skipping self-loops and pairs of edges that share an
//! endpoint; collinear overlapping segments count as one crossing.

use crate::{Graph, Layout, Point, Rect};

/// Quality numbers; lower is better for all of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    /// Crossings of straight centre-to-centre segments (the benchmark's definition).
    pub crossings: usize,
    /// Crossings of the routed polylines.
    pub route_crossings: usize,
    /// Interior points of all routes where the direction changes.
    pub bends: usize,
    /// Width times height of the drawing.
    pub area: f64,
    /// Pairs of nodes whose boxes overlap, where neither contains the other as a cluster.
    pub node_overlaps: usize,
    /// Route segments passing through a leaf node other than the edge's own ends.
    pub edges_through_nodes: usize,
    /// Pairs of overlapping labels, plus labels overlapping a leaf node.
    pub label_overlaps: usize,
    /// Nodes outside their cluster's box, plus nodes inside a cluster box they do not belong to.
    pub cluster_violations: usize,
}

fn centre(r: &Rect) -> Point {
    Point {
        x: r.x + r.width / 2.0,
        y: r.y + r.height / 2.0,
    }
}

fn orient(a: Point, b: Point, c: Point) -> i32 {
    let v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if v.abs() < 1e-9 {
        0
    } else if v > 0.0 {
        1
    } else {
        -1
    }
}

/// Whether segments `p1-p2` and `q1-q2` cross, as `crossings.mjs` decides it.
fn segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool {
    if p1.x.max(p2.x) < q1.x.min(q2.x)
        || q1.x.max(q2.x) < p1.x.min(p2.x)
        || p1.y.max(p2.y) < q1.y.min(q2.y)
        || q1.y.max(q2.y) < p1.y.min(p2.y)
    {
        return false;
    }
    let (o1, o2) = (orient(p1, p2, q1), orient(p1, p2, q2));
    let (o3, o4) = (orient(q1, q2, p1), orient(q1, q2, p2));
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    if o1 == 0 && o2 == 0 {
        let ov = p1.x.max(p2.x).min(q1.x.max(q2.x)) - p1.x.min(p2.x).max(q1.x.min(q2.x));
        let ovy = p1.y.max(p2.y).min(q1.y.max(q2.y)) - p1.y.min(p2.y).max(q1.y.min(q2.y));
        return ov > 1e-6 || ovy > 1e-6;
    }
    false
}

/// True if the open segment passes through the inside of the rectangle shrunk by `eps`.
fn segment_hits_rect(a: Point, b: Point, r: &Rect, eps: f64) -> bool {
    let (x0, y0, x1, y1) = (
        r.x + eps,
        r.y + eps,
        r.x + r.width - eps,
        r.y + r.height - eps,
    );
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    // Liang-Barsky clipping of the segment against the rectangle.
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p.abs() < 1e-12 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-9
}

fn overlap(a: &Rect, b: &Rect, eps: f64) -> bool {
    a.x + eps < b.x + b.width
        && b.x + eps < a.x + a.width
        && a.y + eps < b.y + b.height
        && b.y + eps < a.y + a.height
}

fn contains(outer: &Rect, inner: &Rect) -> bool {
    let e = 1e-6;
    inner.x >= outer.x - e
        && inner.y >= outer.y - e
        && inner.x + inner.width <= outer.x + outer.width + e
        && inner.y + inner.height <= outer.y + outer.height + e
}

/// Counts crossing pairs among segments `(from, to, p, q)`, skipping pairs that share an
/// endpoint node. Segments are swept by their top y, so only vertically overlapping pairs are
/// compared.
fn count_crossings(segs: &[(usize, usize, Point, Point)]) -> usize {
    let mut idx: Vec<usize> = (0..segs.len()).collect();
    let top = |i: usize| segs[i].2.y.min(segs[i].3.y);
    let bottom = |i: usize| segs[i].2.y.max(segs[i].3.y);
    idx.sort_by(|&a, &b| top(a).total_cmp(&top(b)));
    let mut c = 0;
    for (k, &i) in idx.iter().enumerate() {
        let b = bottom(i);
        for &j in &idx[k + 1..] {
            if top(j) > b {
                break;
            }
            let (s, t) = (&segs[i], &segs[j]);
            if s.0 == t.0 || s.0 == t.1 || s.1 == t.0 || s.1 == t.1 {
                continue;
            }
            if segments_cross(s.2, s.3, t.2, t.3) {
                c += 1;
            }
        }
    }
    c
}

/// Computes all quality numbers. Missing rects or routes count as zero-size boxes.
pub fn metrics(graph: &Graph, layout: &Layout) -> Metrics {
    let n = graph.nodes.len();
    let rect = |i: usize| layout.nodes.get(i).copied().unwrap_or_default();
    let tree = crate::cluster::Tree::new(graph);
    let mut m = Metrics {
        area: layout.width * layout.height,
        ..Metrics::default()
    };
    // Straight centre-to-centre crossings.
    let segs: Vec<(usize, usize, Point, Point)> = graph
        .edges
        .iter()
        .filter(|e| e.from != e.to && e.from < n && e.to < n)
        .map(|e| (e.from, e.to, centre(&rect(e.from)), centre(&rect(e.to))))
        .collect();
    m.crossings = count_crossings(&segs);
    // Route crossings, bends and edges through nodes.
    let mut by_top: Vec<usize> = (0..n).filter(|&v| !tree.is_cluster(v)).collect();
    by_top.sort_by(|&a, &b| rect(a).y.total_cmp(&rect(b).y));
    let max_h = by_top.iter().map(|&v| rect(v).height).fold(0.0, f64::max);
    let mut route_segs: Vec<(usize, usize, Point, Point)> = Vec::new();
    for (e, r) in graph.edges.iter().zip(&layout.edges) {
        let p = &r.points;
        for w in p.windows(3) {
            if orient(w[0], w[1], w[2]) != 0 {
                m.bends += 1;
            }
        }
        for w in p.windows(2) {
            route_segs.push((e.from, e.to, w[0], w[1]));
            if e.from == e.to {
                continue;
            }
            // Only leaves whose top lies in the segment's vertical range (less the tallest
            // leaf's height) can be hit.
            let (y0, y1) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
            let lo = by_top.partition_point(|&v| rect(v).y < y0 - max_h);
            let hi = by_top.partition_point(|&v| rect(v).y <= y1);
            for &v in &by_top[lo..hi.max(lo)] {
                if v == e.from || v == e.to {
                    continue;
                }
                if segment_hits_rect(w[0], w[1], &rect(v), 0.5) {
                    m.edges_through_nodes += 1;
                }
            }
        }
    }
    m.route_crossings = count_crossings(&route_segs);
    // Node overlaps and cluster containment.
    let inside = |a: usize, v: usize| {
        let mut x = tree.parent[v];
        while let Some(p) = x {
            if p == a {
                return true;
            }
            x = tree.parent[p];
        }
        false
    };
    for a in 0..n {
        for b in a + 1..n {
            if inside(a, b) || inside(b, a) {
                continue;
            }
            if overlap(&rect(a), &rect(b), 0.5) {
                if tree.is_cluster(a) || tree.is_cluster(b) {
                    m.cluster_violations += 1;
                } else {
                    m.node_overlaps += 1;
                }
            }
        }
        if let Some(p) = tree.parent[a]
            && !contains(&rect(p), &rect(a))
        {
            m.cluster_violations += 1;
        }
    }
    // Labels.
    let labels: Vec<Rect> = graph
        .edges
        .iter()
        .zip(&layout.edges)
        .filter_map(|(e, r)| {
            let (w, h) = e.label?;
            let c = r.label?;
            Some(Rect {
                x: c.x - w / 2.0,
                y: c.y - h / 2.0,
                width: w,
                height: h,
            })
        })
        .collect();
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            if overlap(&labels[i], &labels[j], 0.5) {
                m.label_overlaps += 1;
            }
        }
        for v in 0..n {
            if !tree.is_cluster(v) && overlap(&labels[i], &rect(v), 0.5) {
                m.label_overlaps += 1;
            }
        }
    }
    m
}
