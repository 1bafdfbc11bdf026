//! Benchmark entry point: lays out a corpus graph N times and prints one JSON line.
//!
//! Usage: `cargo run --release -p graph-layout --example layout_bench -- GRAPH.json [RUNS]
//! [COORDS_OUT.json]`. Prints `{"graph", "runs", "median_ms", "crossings", "bends", "area", ...}`.
//! When `COORDS_OUT.json` is given, writes the leaf centres as `{id: [x, y]}` so that the shared
//! `crossings.mjs` can count the same layout. A fourth argument `PICTURE.svg` writes a picture.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: layout_bench GRAPH.json [RUNS] [COORDS_OUT.json]");
        std::process::exit(2);
    };
    let runs: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(21)
        .max(1);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let c = match corpus::parse(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot parse {path}: {e}");
            std::process::exit(1);
        }
    };
    let options = graph_layout::Options::default();
    // One cold run, then the timed runs.
    let mut layout = graph_layout::layout(&c.graph, &options);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        layout = graph_layout::layout(&c.graph, &options);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    // `LAYOUT_BENCH_NO_METRICS=1` skips the quality numbers (they are quadratic on huge graphs).
    let m = if std::env::var_os("LAYOUT_BENCH_NO_METRICS").is_some() {
        graph_layout::metrics::Metrics::default()
    } else {
        graph_layout::metrics::metrics(&c.graph, &layout)
    };
    let name = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("?");
    println!(
        "{{\"graph\":\"{name}\",\"runs\":{runs},\"median_ms\":{:.3},\"crossings\":{},\"route_crossings\":{},\"bends\":{},\"area\":{:.0},\"width\":{:.0},\"height\":{:.0},\"node_overlaps\":{},\"edges_through_nodes\":{},\"label_overlaps\":{},\"cluster_violations\":{}}}",
        times[times.len() / 2],
        m.crossings,
        m.route_crossings,
        m.bends,
        m.area,
        layout.width,
        layout.height,
        m.node_overlaps,
        m.edges_through_nodes,
        m.label_overlaps,
        m.cluster_violations
    );
    if let Some(out) = args.get(3)
        && let Err(e) = std::fs::write(out, corpus::centres_json(&c, &layout))
    {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    if let Some(out) = args.get(4)
        && let Err(e) = std::fs::write(out, corpus::svg(&c, &layout))
    {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
}
