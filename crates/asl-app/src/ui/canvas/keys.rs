//! Content keys for the canvas's keyed lists: a node or edge whose drawing did not change keeps
//! its DOM, so a keystroke that changes one transition patches a few groups instead of redrawing
//! a 200-state graph.

use std::hash::{Hash, Hasher};

use asl_core::hash::{FastHasher, FastMap};

use asl_graph::{Point, Rect, Scene, SceneEdge, SceneNode, TextLine};

fn point(h: &mut FastHasher, p: Point) {
    p.x.to_bits().hash(h);
    p.y.to_bits().hash(h);
}

fn rect(h: &mut FastHasher, r: Rect) {
    for v in [r.x, r.y, r.width, r.height] {
        v.to_bits().hash(h);
    }
}

fn line(h: &mut FastHasher, l: &TextLine) {
    l.text.hash(h);
    l.full.hash(h);
    point(h, Point { x: l.x, y: l.y });
    l.class.hash(h);
    l.centered.hash(h);
}

/// A hash of everything a node's drawing shows.
fn node_hash(n: &SceneNode) -> u64 {
    let mut h = FastHasher::default();
    n.kind.hash(&mut h);
    rect(&mut h, n.rect);
    n.name.hash(&mut h);
    n.state_type.hash(&mut h);
    for l in &n.lines {
        line(&mut h, l);
    }
    n.icon.hash(&mut h);
    point(&mut h, n.icon_at);
    for b in &n.badges {
        b.text.hash(&mut h);
        rect(&mut h, b.rect);
        b.class.hash(&mut h);
    }
    if let Some(p) = n.retry_at {
        point(&mut h, p);
    }
    n.retry_info.hash(&mut h);
    n.classes.hash(&mut h);
    n.pointer.hash(&mut h);
    n.tooltip.hash(&mut h);
    h.finish()
}

/// A hash of everything an edge's drawing (and its label) shows, including its index
/// (`data-edge`).
fn edge_hash(index: usize, e: &SceneEdge) -> u64 {
    let mut h = FastHasher::default();
    index.hash(&mut h);
    e.from_ref.hash(&mut h);
    e.to_ref.hash(&mut h);
    e.kind.hash(&mut h);
    e.path.hash(&mut h);
    for p in e.arrow {
        point(&mut h, p);
    }
    if let Some(l) = &e.label {
        rect(&mut h, l.rect);
        line(&mut h, &l.line);
    }
    e.back.hash(&mut h);
    e.classes.hash(&mut h);
    h.finish()
}

/// Makes keys unique: identical drawings (the join points of one Parallel) get an occurrence number.
fn unique(hashes: impl Iterator<Item = u64>) -> Vec<Key> {
    let mut seen: FastMap<u64, u32> = FastMap::default();
    hashes
        .map(|k| {
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            (k, *n)
        })
        .collect()
}

/// A content key: the drawing's hash and its occurrence number.
pub type Key = (u64, u32);

/// The canvas's four keyed layers of one scene, as indexes into its nodes and edges. Computed
/// once per scene (each layer's list reads it) and without copying any node or edge.
pub struct Layers {
    /// Parallel and Map boxes, drawn first.
    pub clusters: Vec<(Key, usize)>,
    /// Every other node.
    pub leaves: Vec<(Key, usize)>,
    /// Every edge (the index is also its `data-edge`).
    pub edges: Vec<(Key, usize)>,
    /// The edges that have a label.
    pub labels: Vec<(Key, usize)>,
}

impl Layers {
    /// Keys the nodes and edges of a scene.
    pub fn new(scene: &Scene) -> Layers {
        let node_keys = unique(scene.nodes.iter().map(node_hash));
        let (clusters, leaves) = node_keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .partition(|(_, i)| scene.nodes[*i].kind.is_cluster());
        let edges: Vec<(Key, usize)> =
            unique(scene.edges.iter().enumerate().map(|(i, e)| edge_hash(i, e)))
                .into_iter()
                .enumerate()
                .map(|(i, k)| (k, i))
                .collect();
        let labels = edges
            .iter()
            .filter(|(_, i)| scene.edges[*i].label.is_some())
            .copied()
            .collect();
        Layers {
            clusters,
            leaves,
            edges,
            labels,
        }
    }
}
