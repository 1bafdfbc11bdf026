//! Content keys for the canvas's keyed lists: a node or edge whose drawing did not change keeps
//! its DOM, so a keystroke that changes one transition patches a few groups instead of redrawing
//! a 200-state graph.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use asl_graph::{Point, Rect, SceneEdge, SceneNode, TextLine};

fn point(h: &mut DefaultHasher, p: Point) {
    p.x.to_bits().hash(h);
    p.y.to_bits().hash(h);
}

fn rect(h: &mut DefaultHasher, r: Rect) {
    for v in [r.x, r.y, r.width, r.height] {
        v.to_bits().hash(h);
    }
}

fn line(h: &mut DefaultHasher, l: &TextLine) {
    l.text.hash(h);
    l.full.hash(h);
    point(h, Point { x: l.x, y: l.y });
    l.class.hash(h);
    l.centered.hash(h);
}

/// A hash of everything a node's drawing shows.
fn node_hash(n: &SceneNode) -> u64 {
    let mut h = DefaultHasher::new();
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
    let mut h = DefaultHasher::new();
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
fn unique(hashes: impl Iterator<Item = u64>) -> Vec<(u64, u32)> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    hashes
        .map(|k| {
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            (k, *n)
        })
        .collect()
}

/// Keyed nodes.
pub fn nodes<'a>(items: impl Iterator<Item = &'a SceneNode>) -> Vec<((u64, u32), SceneNode)> {
    let items: Vec<&SceneNode> = items.collect();
    unique(items.iter().map(|n| node_hash(n)))
        .into_iter()
        .zip(items)
        .map(|(k, n)| (k, n.clone()))
        .collect()
}

/// Keyed edges with their index.
pub fn edges(items: &[SceneEdge]) -> Vec<((u64, u32), usize, SceneEdge)> {
    unique(items.iter().enumerate().map(|(i, e)| edge_hash(i, e)))
        .into_iter()
        .zip(items.iter().enumerate())
        .map(|(k, (i, e))| (k, i, e.clone()))
        .collect()
}
