//! The engine calls behind the JavaScript exports: text in, `serde_json::Value` out, usable natively.
//!
//! Every function here is pure and never panics on bad input: problems come back as an
//! `"error"` field in the returned JSON, so a page embedding the library always gets an answer.
//! Validation and runs are the very calls of the embed library (`asl_core::report` and
//! `asl_interp::request`), so both libraries answer in one shape.

use graph_layout::{Edge, Graph, Node};
use serde_json::{Map, Value, json};

pub use asl_interp::request::{json_arg, run};

fn error(message: impl Into<String>) -> Value {
    json!({ "error": message.into() })
}

/// Parses and validates a definition (JSON or YAML) and lists its diagnostics:
/// [`asl_core::report::validation_json`], `{"format", "valid", "states", "diagnostics": [{code,
/// severity, message, pointer, line, column, span: {start, end}}]}`, the shape of `asl
/// validate --format json` and of the embed library.
pub fn validate(text: &str) -> Value {
    asl_core::report::validation_json(text)
}

/// Evaluates a JSONata expression against a JSON input (bound as `$` and as `$states.input`).
///
/// Returns `{"result"}` (absent when the result is undefined) or `{"error"}`.
pub fn jsonata_eval(expr: &str, input: &str) -> Value {
    let input = match json_arg(input, "the input") {
        Ok(v) => v,
        Err(e) => return error(e),
    };
    let compiled = match jsonata::compile(expr) {
        Ok(c) => c,
        Err(e) => return error(e.to_string()),
    };
    let mut bindings = jsonata::Bindings::new();
    bindings.insert_object("states", &[("input", &input)]);
    let mut env = jsonata::FixedEnv::default();
    match compiled.evaluate(Some(&input), &bindings, &mut env) {
        Ok(Some(v)) => json!({ "result": v }),
        Ok(None) => json!({}),
        Err(e) => error(e.to_string()),
    }
}

/// A graph in the layout benchmark's format, with the ids of its nodes.
pub struct BenchGraph {
    /// The graph to lay out.
    pub graph: Graph,
    /// The id of every node, in the order of `graph.nodes`.
    pub ids: Vec<String>,
    /// The number of leaves (they come first).
    pub leaves: usize,
}

/// Reads the shared layout format: `{"nodes": [{"id","w","h","parent"?}], "clusters": [{"id",
/// "parent"?, "padding"?, "columns"?}], "edges": [[from, to, {"label"?, "weight"?}?]]}`.
pub fn bench_graph(v: &Value) -> BenchGraph {
    let empty = Vec::new();
    let list = |k: &str| v.get(k).and_then(Value::as_array).unwrap_or(&empty);
    let (nodes, clusters, edges) = (list("nodes"), list("clusters"), list("edges"));
    let ids: Vec<String> = nodes
        .iter()
        .chain(clusters)
        .map(|n| {
            n.get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let index: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let find = |s: &str| index.get(s).copied().unwrap_or(usize::MAX);
    let parent = |n: &Value| n.get("parent").and_then(Value::as_str).map(find);
    let num = |n: &Value, k: &str, d: f64| n.get(k).and_then(Value::as_f64).unwrap_or(d);
    let mut graph = Graph::new();
    for n in nodes {
        let mut node = Node::leaf(num(n, "w", 100.0), num(n, "h", 30.0));
        node.parent = parent(n);
        graph.add_node(node);
    }
    for c in clusters {
        let p = c.get("padding").and_then(Value::as_array);
        let pad = p.map_or([30.0, 10.0, 10.0, 10.0], |p| {
            let g = |i: usize| p.get(i).and_then(Value::as_f64).unwrap_or(0.0);
            [g(0), g(1), g(2), g(3)]
        });
        let mut node = Node::cluster(pad).with_size(num(c, "w", 0.0), num(c, "h", 0.0));
        node.parent = parent(c);
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
            edge.weight = num(opts, "weight", 1.0);
        }
        graph.add_edge(edge);
    }
    BenchGraph {
        graph,
        ids,
        leaves: nodes.len(),
    }
}

/// The centres of the leaves as `{id: [x, y]}`, the input of the shared crossing counter.
pub fn centres(g: &BenchGraph, layout: &graph_layout::Layout) -> Value {
    let mut out = Map::new();
    for (i, id) in g.ids.iter().enumerate().take(g.leaves) {
        if let Some(r) = layout.nodes.get(i) {
            out.insert(
                id.clone(),
                json!([r.x + r.width / 2.0, r.y + r.height / 2.0]),
            );
        }
    }
    Value::Object(out)
}
