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

/// A plain SVG picture of a layout (clusters, nodes with ids, routes, labels), for eyeballing.
pub fn svg(c: &Corpus, l: &graph_layout::Layout) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-20 -20 {} {}\" font-family=\"sans-serif\" font-size=\"11\">\n",
        l.width + 40.0,
        l.height + 40.0
    );
    let is_cluster = |i: usize| c.graph.nodes.iter().any(|n| n.parent == Some(i));
    for (i, r) in l.nodes.iter().enumerate() {
        if is_cluster(i) {
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f6fb\" stroke=\"#8896b8\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                r.x, r.y, r.width, r.height, r.x + 4.0, r.y + 13.0, c.ids[i]
            ));
        }
    }
    for (e, route) in c.graph.edges.iter().zip(&l.edges) {
        let pts: Vec<String> = route
            .points
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect();
        let color = if route.back { "#d04040" } else { "#444" };
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\"/>\n",
            pts.join(" ")
        ));
        if let Some(p) = route.points.last() {
            s.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{color}\"/>\n",
                p.x, p.y
            ));
        }
        if let (Some((w, h)), Some(p)) = (e.label, route.label) {
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{h}\" fill=\"#fff6c0\" stroke=\"#c0a000\"/>\n",
                p.x - w / 2.0,
                p.y - h / 2.0
            ));
        }
    }
    for (i, r) in l.nodes.iter().enumerate() {
        if !is_cluster(i) {
            s.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#dde8ff\" stroke=\"#335\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                r.x, r.y, r.width, r.height, r.x + r.width / 2.0, r.y + r.height / 2.0 + 4.0, c.ids.get(i).map_or("", |s| s)
            ));
        }
    }
    s.push_str("</svg>\n");
    s
}
