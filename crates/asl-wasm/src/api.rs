//! The engine calls behind the JavaScript exports: text in, `serde_json::Value` out, usable natively.
//!
//! Every function here is pure and never panics on bad input: problems come back as an
//! `"error"` field in the returned JSON, so a page embedding the library always gets an answer.

use asl_core::{LineIndex, Severity, detect_format};
use asl_interp::mock::Mocks;
use asl_interp::{Execution, RunOptions};
use graph_layout::{Edge, Graph, Node};
use serde_json::{Map, Value, json};

/// Parses JSON text, naming the argument in the error.
pub(crate) fn parse_arg(text: &str, what: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("{what} is not valid JSON: {e}"))
}

fn error(message: impl Into<String>) -> Value {
    json!({ "error": message.into() })
}

/// Parses and validates a definition (JSON or YAML) and lists its diagnostics.
///
/// Returns `{"format", "valid", "states", "diagnostics": [{code, severity, message, pointer,
/// start, end, line, col}]}`; `valid` is true when no diagnostic is an error.
pub fn validate(text: &str) -> Value {
    let format = detect_format(text);
    let (parse, diags) = asl_core::check(text, format);
    let index = LineIndex::new(text);
    let list: Vec<Value> = diags
        .iter()
        .map(|d| {
            let lc = index.line_col(d.span.start);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "pointer": d.pointer,
                "start": d.span.start,
                "end": d.span.end,
                "line": lc.line,
                "col": lc.col,
            })
        })
        .collect();
    json!({
        "format": match format {
            asl_core::Format::Json => "json",
            asl_core::Format::Yaml => "yaml",
        },
        "valid": !diags.iter().any(|d| d.severity == Severity::Error),
        "states": parse.machine.states().len(),
        "diagnostics": list,
    })
}

/// Builds the run options from a context object (the corpus `context` shape:
/// `Execution`, `StateMachine`, `stateMachineType`, `s3Objects`, `seed`).
///
/// `maxPayloadBytes` (a number, or `null` for no limit) overrides AWS's 256 KiB payload quota.
pub fn run_options(context: &Value) -> RunOptions {
    let mut opts = RunOptions::from_corpus_context(context);
    match context.get("maxPayloadBytes") {
        Some(Value::Null) => opts.max_payload_bytes = Some(usize::MAX),
        Some(v) => {
            if let Some(n) = v.as_u64() {
                opts.max_payload_bytes = Some(usize::try_from(n).unwrap_or(usize::MAX));
            }
        }
        None => {}
    }
    opts
}

/// Runs a state machine to completion with mocked tasks on the virtual clock.
///
/// `mocks_json` is a per-state map (lists of `{"Return"}`/`{"Throw"}` answers, or MockConfig
/// `MockedResponses` objects keyed by invocation); empty text means no mocks. Returns
/// `{"status", "output", "error", "cause", "events": [GetExecutionHistory events]}`.
pub fn run(definition: &str, input: &str, mocks: &str, context: &str) -> Value {
    let parsed = asl_core::parse(definition, detect_format(definition));
    let args = (
        parse_arg(input, "the input"),
        parse_arg(mocks, "the mocks"),
        parse_arg(context, "the context"),
    );
    let (input, mocks, context) = match args {
        (Ok(i), Ok(m), Ok(c)) => (i, m, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return error(e),
    };
    let input = if input.is_null() { json!({}) } else { input };
    let program = match asl_interp::compile(&parsed.value) {
        Ok(p) => p,
        Err(e) => return error(format!("the definition does not compile: {e:?}")),
    };
    let mut table = match Mocks::from_state_map(&mocks) {
        Ok(m) => m,
        Err(e) => return error(format!("the mocks are not valid: {e:?}")),
    };
    let opts = run_options(&context);
    let mut exec = Execution::start(&program, input, &opts);
    asl_interp::drive(&mut exec, &mut table);
    let result = exec.result();
    json!({
        "status": result.status.as_aws(),
        "output": result.output,
        "error": result.error,
        "cause": result.cause,
        "events": result.events.iter().map(|e| e.to_aws_json()).collect::<Vec<_>>(),
    })
}

/// Evaluates a JSONata expression against a JSON input (bound as `$` and as `$states.input`).
///
/// Returns `{"result"}` (absent when the result is undefined) or `{"error"}`.
pub fn jsonata_eval(expr: &str, input: &str) -> Value {
    let input = match parse_arg(input, "the input") {
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
