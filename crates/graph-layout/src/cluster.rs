//! Nesting: the cluster tree, cycle breaking per nesting level, the layout of every cluster's
//! content (bottom-up, so a cluster is a sized box in its parent) and the placement of the
//! results (top-down). Edges that cross cluster borders are split into one part per level:
//! they leave a cluster through its exit port (bottom) and enter through its entry port (top).

use std::collections::{BTreeMap, BTreeSet};

use crate::route::{self, Band};
use crate::{EdgeRoute, Graph, Layout, NodeId, Options, Point, Rect};

/// The sanitised cluster tree: invalid or cyclic parent links are dropped.
pub(crate) struct Tree {
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    /// Nodes in breadth-first order from the top level.
    pub bfs: Vec<usize>,
}

impl Tree {
    pub fn new(graph: &Graph) -> Tree {
        let n = graph.nodes.len();
        let mut parent: Vec<Option<usize>> = (0..n)
            .map(|i| graph.nodes[i].parent.filter(|&p| p < n && p != i))
            .collect();
        // The state is 0 for unknown, 1 for on the current path and 2 for known to be acyclic.
        let mut state = vec![0u8; n];
        let mut path = Vec::new();
        for i in 0..n {
            path.clear();
            let mut v = i;
            loop {
                if state[v] == 2 {
                    break;
                }
                if state[v] == 1 {
                    if let Some(&last) = path.last() {
                        parent[last] = None;
                    }
                    break;
                }
                state[v] = 1;
                path.push(v);
                match parent[v] {
                    Some(p) => v = p,
                    None => break,
                }
            }
            for &u in &path {
                state[u] = 2;
            }
        }
        let mut children = vec![Vec::new(); n];
        let mut top = Vec::new();
        for (v, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(v),
                None => top.push(v),
            }
        }
        let mut bfs = top;
        let mut i = 0;
        while i < bfs.len() {
            let v = bfs[i];
            bfs.extend_from_slice(&children[v]);
            i += 1;
        }
        Tree {
            parent,
            children,
            bfs,
        }
    }

    pub fn is_cluster(&self, v: usize) -> bool {
        !self.children[v].is_empty()
    }

    fn depth(&self, v: usize) -> usize {
        let mut d = 0;
        let mut x = self.parent[v];
        while let Some(p) = x {
            d += 1;
            x = self.parent[p];
        }
        d
    }

    /// The deepest cluster containing both nodes (`None` is the top level), where a cluster
    /// counts as containing itself.
    fn lca(&self, u: usize, v: usize) -> Option<usize> {
        let (mut a, mut b) = (Some(u), Some(v));
        let (mut da, mut db) = (self.depth(u), self.depth(v));
        while da > db {
            a = a.and_then(|x| self.parent[x]);
            da -= 1;
        }
        while db > da {
            b = b.and_then(|x| self.parent[x]);
            db -= 1;
        }
        while a != b {
            a = a.and_then(|x| self.parent[x]);
            b = b.and_then(|x| self.parent[x]);
        }
        a
    }
}

/// A port of a level: an item (direct child), or the entry/exit of the cluster itself.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum End {
    Item(usize),
    Entry,
    Exit,
}

/// An edge inside one level (possibly standing for several graph edges).
pub(crate) struct LevelEdge {
    pub from: End,
    pub to: End,
    pub weight: f64,
    pub label: Option<(f64, f64)>,
    /// The edge was reversed to break a cycle (it is drawn from `to` back up to `from`).
    pub back: bool,
}

/// Everything one level needs: its items and edges.
#[derive(Default)]
struct Level {
    items: Vec<NodeId>,
    edges: Vec<LevelEdge>,
    merge: BTreeMap<(End, End, bool), usize>,
}

impl Level {
    /// Adds an edge; unlabelled edges between the same ends in the same direction share one.
    fn add(
        &mut self,
        from: End,
        to: End,
        weight: f64,
        label: Option<(f64, f64)>,
        back: bool,
    ) -> usize {
        if label.is_none()
            && let Some(&i) = self.merge.get(&(from, to, back))
        {
            self.edges[i].weight += weight;
            return i;
        }
        self.edges.push(LevelEdge {
            from,
            to,
            weight,
            label,
            back,
        });
        let i = self.edges.len() - 1;
        if label.is_none() {
            self.merge.insert((from, to, back), i);
        }
        i
    }
}

/// How one graph edge is drawn.
enum Plan {
    /// Parts in drawing order (level, level edge); `rev` means the drawing runs target to source.
    Parts {
        parts: Vec<(usize, usize)>,
        rev: bool,
        lca_part: usize,
    },
    SelfLoop,
    Invalid,
}

/// The layout of one level, relative to the level's box (or the drawing, for the top level).
pub(crate) struct LevelOut {
    pub cx: Vec<f64>,
    pub top: Vec<f64>,
    pub width: f64,
    pub height: f64,
    pub entry_x: f64,
    pub exit_x: f64,
    pub points: Vec<Vec<Point>>,
    pub labels: Vec<Option<Point>>,
}

fn clean(x: f64) -> f64 {
    if x.is_finite() { x.max(0.0) } else { 0.0 }
}

/// The whole pipeline.
pub(crate) fn layout(graph: &Graph, options: &Options) -> Layout {
    let n = graph.nodes.len();
    let opt = Options {
        rank_sep: clean(options.rank_sep),
        node_sep: clean(options.node_sep),
        edge_sep: clean(options.edge_sep),
    };
    let tree = Tree::new(graph);
    let root = n;
    let lv_of = |c: Option<usize>| c.unwrap_or(root);
    let mut levels: Vec<Level> = (0..=n).map(|_| Level::default()).collect();
    let mut index_in_level = vec![0usize; n];
    for (v, idx) in index_in_level.iter_mut().enumerate() {
        let lv = lv_of(tree.parent[v]);
        *idx = levels[lv].items.len();
        levels[lv].items.push(v);
    }
    // The child of level `l` that contains `v`.
    let anc_at = |l: Option<usize>, v: usize| -> usize {
        let mut x = v;
        while tree.parent[x] != l {
            match tree.parent[x] {
                Some(p) => x = p,
                None => break,
            }
        }
        x
    };
    // Cycle breaking on the edges lifted to the level of their endpoints' common cluster.
    let mut lifted: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n + 1];
    let mut lifted_of: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    let mut lca_of: Vec<Option<Option<usize>>> = vec![None; graph.edges.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from >= n || e.to >= n || e.from == e.to {
            continue;
        }
        let l = tree.lca(e.from, e.to);
        lca_of[i] = Some(l);
        if l == Some(e.from) || l == Some(e.to) {
            continue;
        }
        let (a, b) = (anc_at(l, e.from), anc_at(l, e.to));
        lifted[lv_of(l)].push((index_in_level[a], index_in_level[b]));
        lifted_of[lv_of(l)].push(i);
    }
    let mut rev = vec![false; graph.edges.len()];
    for lv in 0..=n {
        if lifted[lv].is_empty() {
            continue;
        }
        let back = crate::acyclic::back_edges(levels[lv].items.len(), &lifted[lv]);
        for (k, &i) in lifted_of[lv].iter().enumerate() {
            rev[i] = back[k];
        }
    }
    // Split every edge into per-level parts.
    let mut plans: Vec<Plan> = Vec::with_capacity(graph.edges.len());
    for (i, e) in graph.edges.iter().enumerate() {
        if e.from >= n || e.to >= n {
            plans.push(Plan::Invalid);
            continue;
        }
        if e.from == e.to {
            plans.push(Plan::SelfLoop);
            continue;
        }
        let l = lca_of[i].unwrap_or(None);
        let w = if e.weight.is_finite() && e.weight > 0.0 {
            e.weight
        } else {
            1.0
        };
        let label = e.label.map(|(a, b)| (clean(a), clean(b)));
        let (s, t) = if rev[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        };
        let mut parts = Vec::new();
        // Source side: leave every cluster below the common level through its exit.
        let from = if Some(s) == l {
            End::Entry
        } else {
            let mut x = s;
            while tree.parent[x] != l {
                let Some(a) = tree.parent[x] else { break };
                parts.push((
                    a,
                    levels[a].add(End::Item(index_in_level[x]), End::Exit, w, None, false),
                ));
                x = a;
            }
            End::Item(index_in_level[x])
        };
        let mut down = Vec::new();
        let to = if Some(t) == l {
            End::Exit
        } else {
            let mut x = t;
            while tree.parent[x] != l {
                let Some(b) = tree.parent[x] else { break };
                down.push((b, index_in_level[x]));
                x = b;
            }
            End::Item(index_in_level[x])
        };
        let lvl = lv_of(l);
        let lca_part = parts.len();
        parts.push((lvl, levels[lvl].add(from, to, w, label, rev[i])));
        for &(b, idx) in down.iter().rev() {
            parts.push((b, levels[b].add(End::Entry, End::Item(idx), w, None, false)));
        }
        plans.push(Plan::Parts {
            parts,
            rev: rev[i],
            lca_part,
        });
    }
    // Self-loops widen their node on the right.
    let mut loop_extra = vec![0.0f64; n];
    for e in &graph.edges {
        if e.from < n && e.from == e.to {
            let lw = e.label.map_or(0.0, |l| clean(l.0) + route::LABEL_GAP);
            loop_extra[e.from] = loop_extra[e.from].max(route::LOOP_OUT + lw);
        }
    }
    // Bottom-up layout of the levels.
    let mut outs: Vec<Option<LevelOut>> = (0..=n).map(|_| None).collect();
    let mut size: Vec<(f64, f64)> = graph
        .nodes
        .iter()
        .map(|nd| (clean(nd.width), clean(nd.height)))
        .collect();
    let mut ports = vec![(0.0f64, 0.0f64); n];
    let mut order_levels: Vec<usize> = tree
        .bfs
        .iter()
        .rev()
        .copied()
        .filter(|&v| tree.is_cluster(v))
        .collect();
    order_levels.push(root);
    for lv in order_levels {
        let level = &levels[lv];
        let node = if lv == root {
            None
        } else {
            Some(&graph.nodes[lv])
        };
        let items: Vec<crate::route::Item> = level
            .items
            .iter()
            .map(|&v| {
                let ex = loop_extra[v];
                crate::route::Item {
                    width: size[v].0 + ex,
                    height: size[v].1,
                    top_off: ports[v].0 - ex / 2.0,
                    bottom_off: ports[v].1 - ex / 2.0,
                    back_port: size[v].0 / 4.0,
                    pinned: node.is_some_and(|nd| nd.columns) && tree.is_cluster(v),
                }
            })
            .collect();
        let spec = LevelSpec {
            cluster: node.map(|nd| (pad(nd.padding), clean(nd.width), clean(nd.height))),
        };
        let out = layout_level(&items, &level.edges, &spec, &opt);
        if lv != root {
            size[lv] = (out.width, out.height);
            ports[lv] = (out.entry_x - out.width / 2.0, out.exit_x - out.width / 2.0);
        }
        outs[lv] = Some(out);
    }
    // Top-down placement.
    let mut rects = vec![Rect::default(); n];
    let mut origin = vec![Point::default(); n + 1];
    let mut abs_points: Vec<Vec<Vec<Point>>> = vec![Vec::new(); n + 1];
    let mut abs_labels: Vec<Vec<Option<Point>>> = vec![Vec::new(); n + 1];
    let mut top_down = vec![root];
    top_down.extend(tree.bfs.iter().copied().filter(|&v| tree.is_cluster(v)));
    for lv in top_down {
        let Some(out) = &outs[lv] else { continue };
        let o = origin[lv];
        for (i, &v) in levels[lv].items.iter().enumerate() {
            let full = size[v].0 + loop_extra[v];
            rects[v] = Rect {
                x: o.x + out.cx[i] - full / 2.0,
                y: o.y + out.top[i],
                width: size[v].0,
                height: size[v].1,
            };
            if v < n {
                origin[v] = Point {
                    x: rects[v].x,
                    y: rects[v].y,
                };
            }
        }
        abs_points[lv] = out
            .points
            .iter()
            .map(|ps| {
                ps.iter()
                    .map(|p| Point {
                        x: p.x + o.x,
                        y: p.y + o.y,
                    })
                    .collect()
            })
            .collect();
        abs_labels[lv] = out
            .labels
            .iter()
            .map(|l| {
                l.map(|p| Point {
                    x: p.x + o.x,
                    y: p.y + o.y,
                })
            })
            .collect();
    }
    let edges = graph
        .edges
        .iter()
        .zip(&plans)
        .map(|(e, plan)| match plan {
            Plan::Invalid => EdgeRoute {
                points: vec![Point::default(); 2],
                label: e.label.map(|_| Point::default()),
                back: false,
            },
            Plan::SelfLoop => route::self_loop(rects[e.from], e.label),
            Plan::Parts {
                parts,
                rev,
                lca_part,
            } => {
                let mut pts: Vec<Point> = Vec::new();
                for &(lv, k) in parts {
                    if let Some(ps) = abs_points[lv].get(k) {
                        for &p in ps {
                            if pts.last().is_none_or(|q| {
                                (q.x - p.x).abs() > 1e-6 || (q.y - p.y).abs() > 1e-6
                            }) {
                                pts.push(p);
                            }
                        }
                    }
                }
                while pts.len() < 2 {
                    pts.push(pts.last().copied().unwrap_or_default());
                }
                let (lv, k) = parts[*lca_part];
                let label = match e.label {
                    None => None,
                    Some(_) => abs_labels[lv]
                        .get(k)
                        .copied()
                        .flatten()
                        .or_else(|| Some(route::midpoint(&pts))),
                };
                if *rev {
                    pts.reverse();
                }
                EdgeRoute {
                    points: pts,
                    label,
                    back: *rev,
                }
            }
        })
        .collect();
    let root_out = outs[root].as_ref();
    Layout {
        nodes: rects,
        edges,
        width: root_out.map_or(0.0, |o| o.width),
        height: root_out.map_or(0.0, |o| o.height),
    }
}

fn pad(p: [f64; 4]) -> [f64; 4] {
    [clean(p[0]), clean(p[1]), clean(p[2]), clean(p[3])]
}

/// What a level is: the top level, or a cluster with padding and minimum size.
pub(crate) struct LevelSpec {
    pub cluster: Option<([f64; 4], f64, f64)>,
}

/// Dummy nodes a level may create beyond 4 per item and edge.
const DUMMY_BUDGET: usize = 100_000;

/// Lays out one level: ranks, dummies, order, x, y, then the edge polylines.
fn layout_level(
    items: &[route::Item],
    edges: &[LevelEdge],
    spec: &LevelSpec,
    opt: &Options,
) -> LevelOut {
    let k = items.len();
    let is_cluster = spec.cluster.is_some();
    // Ranking; pinned (column) items share one rank.
    let first_pinned = items.iter().position(|it| it.pinned);
    let rep = |i: usize| {
        if items[i].pinned {
            first_pinned.unwrap_or(i)
        } else {
            i
        }
    };
    let mut rank_edges = Vec::new();
    for e in edges {
        if let (End::Item(a), End::Item(b)) = (e.from, e.to)
            && a < k
            && b < k
            && rep(a) != rep(b)
        {
            rank_edges.push((
                rep(a),
                rep(b),
                if e.label.is_some() { 2 } else { 1 },
                e.weight,
            ));
        }
    }
    let r0 = crate::rank::rank(k, &rank_edges);
    // A labelled edge from the entry or to the exit needs a free layer for its label.
    let labelled_entry = edges
        .iter()
        .any(|e| e.from == End::Entry && e.label.is_some());
    let labelled_exit = edges.iter().any(|e| e.to == End::Exit && e.label.is_some());
    let base = if is_cluster {
        1 + usize::from(labelled_entry)
    } else {
        0
    };
    let item_rank: Vec<usize> = (0..k).map(|i| r0[rep(i)].max(0) as usize + base).collect();
    let exit_rank =
        item_rank.iter().copied().max().map_or(base, |m| m + 1) + usize::from(labelled_exit);
    // Virtual nodes: items, entry, exit, then dummies.
    let entry = k;
    let exit = k + 1;
    let mut layer: Vec<usize> = item_rank.clone();
    layer.push(0);
    layer.push(if is_cluster { exit_rank } else { 0 });
    let mut width: Vec<f64> = items.iter().map(|it| it.width).collect();
    width.extend([0.0, 0.0]);
    let mut height: Vec<f64> = items.iter().map(|it| it.height).collect();
    height.extend([0.0, 0.0]);
    let mut dummy = vec![false; k];
    dummy.extend([true, true]);
    let mut port_off = vec![0.0; k + 2];
    let mut pinned: Vec<Option<usize>> = (0..k).map(|i| items[i].pinned.then_some(i)).collect();
    pinned.extend([None, None]);
    let vn = |end: End| match end {
        End::Item(i) => i.min(k.saturating_sub(1)),
        End::Entry => entry,
        End::Exit => exit,
    };
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    let mut label_dummy: Vec<Option<usize>> = vec![None; edges.len()];
    let mut segs = Vec::new();
    let mut pos_segs = Vec::new();
    // Dummy budget: on pathological graphs (very long back edges) the longest edges between
    // items skip the dummies and take a lane on the right instead.
    let span = |e: &LevelEdge| {
        let (a, b) = (vn(e.from), vn(e.to));
        layer[b].saturating_sub(layer[a] + 1)
    };
    let mut skip = vec![false; edges.len()];
    let total: usize = edges.iter().map(span).sum();
    let budget = DUMMY_BUDGET + 4 * (k + edges.len());
    if total > budget {
        let mut by_span: Vec<usize> = (0..edges.len()).collect();
        by_span.sort_by_key(|&i| (span(&edges[i]), i));
        let mut used = 0;
        for i in by_span {
            used += span(&edges[i]);
            let items_only = matches!((edges[i].from, edges[i].to), (End::Item(_), End::Item(_)));
            skip[i] = used > budget && items_only;
        }
    }
    // A back edge that runs against a forward edge between the same two items (a two-state
    // loop such as `Wait -> Check -> Wait`) attaches right of their ports, so that the two
    // lines stay apart over their whole length and the back edge's label has room.
    let forward: BTreeSet<(End, End)> = edges
        .iter()
        .filter(|e| !e.back)
        .map(|e| (e.from, e.to))
        .collect();
    let ends: Vec<(f64, f64)> = edges
        .iter()
        .map(|e| match (e.from, e.to) {
            (End::Item(a), End::Item(b))
                if e.back && a < k && b < k && forward.contains(&(e.from, e.to)) =>
            {
                (items[a].back_port, items[b].back_port)
            }
            _ => (0.0, 0.0),
        })
        .collect();
    for (ei, e) in edges.iter().enumerate() {
        let (a, b) = (vn(e.from), vn(e.to));
        let (ra, rb) = (layer[a], layer[b]);
        let mut chain = vec![a];
        if rb > ra && a < layer.len() && b < layer.len() && !skip[ei] {
            let mid = ra + (rb - ra) / 2;
            for r in ra + 1..rb {
                let d = layer.len();
                layer.push(r);
                let (mut w, mut h, mut off) = (0.0, 0.0, 0.0);
                if let Some((lw, lh)) = e.label
                    && r == mid
                {
                    w = lw + route::LABEL_GAP;
                    h = lh;
                    off = -w / 2.0;
                    label_dummy[ei] = Some(d);
                }
                width.push(w);
                height.push(h);
                dummy.push(true);
                port_off.push(off);
                pinned.push(None);
                chain.push(d);
            }
            chain.push(b);
            for p in chain.windows(2) {
                segs.push((p[0], p[1]));
                let both = dummy[p[0]] as u8 + dummy[p[1]] as u8;
                let real_ends =
                    (p[0] == entry || p[0] == exit) as u8 + (p[1] == entry || p[1] == exit) as u8;
                let factor = match both.saturating_sub(real_ends) {
                    0 => 1.0,
                    1 => 2.0,
                    _ => 8.0,
                };
                let off_u = if p[0] < k {
                    items[p[0]].bottom_off + ends[ei].0
                } else {
                    port_off[p[0]]
                };
                let off_v = if p[1] < k {
                    items[p[1]].top_off + ends[ei].1
                } else {
                    port_off[p[1]]
                };
                pos_segs.push(crate::position::PosSeg {
                    u: p[0],
                    v: p[1],
                    w: e.weight * factor,
                    off_u,
                    off_v,
                });
            }
        } else {
            chain.push(b);
        }
        chains.push(chain);
    }
    // Entry and exit only exist in clusters; at the top level they are left out of the layers.
    let active: Vec<bool> = (0..layer.len())
        .map(|v| is_cluster || (v != entry && v != exit))
        .collect();
    let layer_masked: Vec<usize> = (0..layer.len())
        .map(|v| if active[v] { layer[v] } else { usize::MAX })
        .collect();
    let nl = if is_cluster {
        exit_rank + 1
    } else {
        item_rank.iter().copied().max().map_or(0, |m| m + 1)
    };
    let layers: Vec<Vec<usize>> = {
        let input_layer: Vec<usize> = layer_masked
            .iter()
            .map(|&l| if l == usize::MAX { nl } else { l })
            .collect();
        let mut ls = crate::order::order(&crate::order::OrderInput {
            layer: &input_layer,
            segs: &segs,
            pinned: &pinned,
            max_iter: 24,
        });
        ls.truncate(nl);
        ls
    };
    let x = crate::position::place(&crate::position::PosInput {
        layers: &layers,
        width: &width,
        dummy: &dummy,
        segs: &pos_segs,
        node_sep: opt.node_sep,
        edge_sep: opt.edge_sep,
    });
    // Vertical bands.
    let (padding, min_w, min_h) = spec.cluster.unwrap_or(([0.0; 4], 0.0, 0.0));
    let mut band_h = vec![0.0f64; nl];
    let mut has_item = vec![false; nl];
    for (r, l) in layers.iter().enumerate() {
        for &v in l {
            band_h[r] = band_h[r].max(height[v]);
            has_item[r] |= v < k;
        }
    }
    let mut band_top = vec![0.0f64; nl];
    for r in 1..nl {
        let gap = if is_cluster && r == 1 {
            padding[0].max(opt.edge_sep)
        } else if is_cluster && r == exit_rank {
            padding[2].max(opt.edge_sep)
        } else if !has_item[r] || !has_item[r - 1] {
            opt.rank_sep / 2.0
        } else {
            opt.rank_sep
        };
        band_top[r] = band_top[r - 1] + band_h[r - 1] + gap;
    }
    let mut height_total =
        band_top.last().copied().unwrap_or(0.0) + band_h.last().copied().unwrap_or(0.0);
    if is_cluster && height_total < min_h {
        height_total = min_h;
        if exit_rank < nl {
            band_top[exit_rank] = min_h;
        }
    }
    // Horizontal extent and shift.
    let mut min_x = f64::INFINITY;
    let mut max_x = f64::NEG_INFINITY;
    for l in &layers {
        for &v in l {
            min_x = min_x.min(x[v] - width[v] / 2.0);
            max_x = max_x.max(x[v] + width[v] / 2.0);
        }
    }
    if !min_x.is_finite() {
        min_x = 0.0;
        max_x = 0.0;
    }
    let mut w_total = max_x - min_x + padding[1] + padding[3];
    let mut shift = padding[3] - min_x;
    if w_total < min_w {
        shift += (min_w - w_total) / 2.0;
        w_total = min_w;
    }
    let xs: Vec<f64> = x.iter().map(|v| v + shift).collect();
    // Edges that could not be layered (between columns of a `columns` cluster) get lanes on the
    // right, outside all nodes of this level.
    let lane_start = max_x + shift + opt.node_sep / 2.0;
    let mut lanes = 0usize;
    let lane_of: Vec<Option<f64>> = chains
        .iter()
        .map(|c| {
            let (Some(&a), Some(&b)) = (c.first(), c.last()) else {
                return None;
            };
            if c.len() == 2 && a < k && b < k && layer[b] != layer[a] + 1 {
                lanes += 1;
                Some(lane_start + (lanes - 1) as f64 * opt.edge_sep.max(4.0))
            } else {
                None
            }
        })
        .collect();
    if lanes > 0 {
        let right = lane_start + (lanes - 1) as f64 * opt.edge_sep.max(4.0) + opt.edge_sep.max(4.0);
        w_total = w_total.max(right + padding[1]);
    }
    let top: Vec<f64> = (0..k)
        .map(|i| {
            let r = item_rank[i];
            if items[i].pinned {
                band_top[r]
            } else {
                band_top[r] + (band_h[r] - items[i].height) / 2.0
            }
        })
        .collect();
    let bands = Band {
        top: &band_top,
        height: &band_h,
    };
    let geo = route::LevelGeo {
        items,
        x: &xs,
        top: &top,
        layer: &layer,
        port_off: &port_off,
        entry,
        exit,
        box_height: height_total,
        bands,
    };
    let gap_y = |below: usize| {
        // The middle of the gap between layer `below - 1` and layer `below`.
        if below == 0 {
            band_top[0] - opt.rank_sep / 2.0
        } else if below < nl {
            (band_top[below - 1] + band_h[below - 1] + band_top[below]) / 2.0
        } else {
            band_top[nl - 1] + band_h[nl - 1] + opt.rank_sep / 2.0
        }
    };
    let points: Vec<Vec<Point>> = chains
        .iter()
        .zip(&lane_of)
        .zip(&ends)
        .map(|((c, lane), end)| match (lane, c.first(), c.last()) {
            (Some(lane), Some(&a), Some(&b)) => {
                route::lane_points(&geo, a, b, *lane, gap_y(layer[a] + 1), gap_y(layer[b]))
            }
            _ => route::chain_points(&geo, c, *end),
        })
        .collect();
    let labels: Vec<Option<Point>> = label_dummy
        .iter()
        .zip(edges)
        .map(|(d, e)| {
            let (d, (lw, _)) = ((*d)?, e.label?);
            let r = layer[d];
            Some(Point {
                x: xs[d] + port_off[d] + route::LABEL_GAP + lw / 2.0,
                y: band_top[r] + band_h[r] / 2.0,
            })
        })
        .collect();
    LevelOut {
        cx: xs[..k].to_vec(),
        top,
        width: w_total,
        height: height_total,
        entry_x: xs.get(entry).copied().unwrap_or(0.0),
        exit_x: xs.get(exit).copied().unwrap_or(0.0),
        points,
        labels,
    }
}
