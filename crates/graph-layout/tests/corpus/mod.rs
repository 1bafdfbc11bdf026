//! Loads corpus graphs from `test_data/*.json` (the format of the shared `gen.py`, extended).
//!
//! Format: `{"nodes": [{"id", "w", "h", "parent"?}], "clusters": [{"id", "parent"?,
//! "padding"?: [t, r, b, l], "columns"?: bool, "w"?, "h"?}], "edges": [[from, to, {"label"?:
//! [w, h], "weight"?: x}?]]}`. Leaves come first in the graph, in file order, then clusters.

#![allow(dead_code)]

use graph_layout::{Edge, Graph, Node};
use serde_json::Value;

/// A loaded graph plus the ids of its nodes (same order as `graph.nodes`).
pub struct Corpus {
    pub graph: Graph,
    pub ids: Vec<String>,
    /// Number of leaves listed in `nodes` (they come first).
    pub leaves: usize,
}

fn num(v: Option<&Value>, d: f64) -> f64 {
    v.and_then(Value::as_f64).unwrap_or(d)
}

/// Parses the corpus JSON text. Unknown ids in edges or parents become out-of-range ids, so
/// the layout's handling of invalid input is exercised too.
pub fn parse(text: &str) -> Result<Corpus, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let empty = Vec::new();
    let nodes = v.get("nodes").and_then(Value::as_array).unwrap_or(&empty);
    let clusters = v
        .get("clusters")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let edges = v.get("edges").and_then(Value::as_array).unwrap_or(&empty);
    let mut ids: Vec<String> = Vec::new();
    for n in nodes.iter().chain(clusters) {
        ids.push(
            n.get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        );
    }
    let find = |s: &str| ids.iter().position(|i| i == s).unwrap_or(usize::MAX);
    let parent_of = |n: &Value| n.get("parent").and_then(Value::as_str).map(find);
    let mut graph = Graph::new();
    for n in nodes {
        let mut node = Node::leaf(num(n.get("w"), 100.0), num(n.get("h"), 30.0));
        node.parent = parent_of(n);
        graph.add_node(node);
    }
    for c in clusters {
        let pad =
            c.get("padding")
                .and_then(Value::as_array)
                .map_or([30.0, 10.0, 10.0, 10.0], |p| {
                    let g = |i: usize| p.get(i).and_then(Value::as_f64).unwrap_or(0.0);
                    [g(0), g(1), g(2), g(3)]
                });
        let mut node = Node::cluster(pad).with_size(num(c.get("w"), 0.0), num(c.get("h"), 0.0));
        node.parent = parent_of(c);
        node.columns = c.get("columns").and_then(Value::as_bool).unwrap_or(false);
        graph.add_node(node);
    }
    for e in edges {
        let Some(a) = e.as_array() else { continue };
        let end = |i: usize| a.get(i).and_then(Value::as_str).map_or(usize::MAX, find);
        let mut edge = Edge::new(end(0), end(1));
        if let Some(opts) = a.get(2) {
            if let Some(l) = opts.get("label").and_then(Value::as_array) {
                let g = |i: usize| l.get(i).and_then(Value::as_f64).unwrap_or(0.0);
                edge = edge.with_label(g(0), g(1));
            }
            edge.weight = num(opts.get("weight"), 1.0);
        }
        graph.add_edge(edge);
    }
    Ok(Corpus {
        graph,
        ids,
        leaves: nodes.len(),
    })
}

/// Node centres of the leaves as `{id: [x, y]}`, the input `crossings.mjs` expects.
pub fn centres_json(c: &Corpus, layout: &graph_layout::Layout) -> String {
    let mut out = String::from("{");
    for i in 0..c.leaves {
        let r = layout.nodes[i];
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{}:[{},{}]",
            serde_json::to_string(&c.ids[i]).unwrap_or_default(),
            r.x + r.width / 2.0,
            r.y + r.height / 2.0
        ));
    }
    out.push('}');
    out
}
