//! The benchmark runner shared by the native build, Node and Chromium: one plan in, samples out.
//!
//! The plan is JSON built by `cargo xtask bench`. Every section is a list of items, each with
//! its own inputs and run counts:
//! - `interp`: `{name, definition, input, mocks?, context?, expected, runs, warmup,
//!   min_batch_ms?}` (with `min_batch_ms` and a coarse clock, a sample is a batch of executions
//!   lasting at least that long, divided by its size: Chromium's `performance.now()` ticks in
//!   0.1 ms steps);
//! - `validate`: `{name, text, runs, warmup}`;
//! - `layout`: `{name, graph, runs, warmup}`;
//! - `jsonata`: `{name, expr, input, iters, runs, warmup, min_batch_ms}` (a batch of `iters`
//!   evaluations is doubled until it lasts `min_batch_ms`);
//! - `editor`: `{name, text, runs, warmup}`.
//!
//! Times come from clocks in milliseconds that the host passes in, because `Instant::now`
//! traps on wasm32: wall time (`Instant` natively, `performance.now()` in JavaScript) and,
//! where the host has one, CPU time (the thread's run time from `/proc/thread-self/schedstat`
//! natively, `process.cpuUsage()` in Node). On a loaded machine CPU time is the steadier
//! measure. Inputs are copied before each timed run, outside the timing, like the peers' harness.

use asl_core::{Format, LineIndex};
use asl_interp::mock::Mocks;
use asl_interp::{Execution, RunOptions, Status};
use serde_json::{Map, Value, json};

use crate::api;

/// A clock in milliseconds.
pub type Now<'a> = &'a dyn Fn() -> f64;

/// The host's clocks: wall time, and CPU time when the host has it.
#[derive(Clone, Copy)]
pub struct Clocks<'a> {
    /// Wall time in milliseconds.
    pub wall: Now<'a>,
    /// CPU time in milliseconds, if available.
    pub cpu: Option<Now<'a>>,
}

/// Runs one item of a section.
type Section = fn(&Value, Clocks) -> Value;

/// Runs every section of the plan (or those named in `only`, when it is non-empty).
pub fn run_plan(plan: &Value, only: &[&str], now: Clocks) -> Value {
    let mut out = Map::new();
    let sections: [(&str, Section); 5] = [
        ("interp", interp),
        ("validate", validate),
        ("layout", layout),
        ("jsonata", jsonata_item),
        ("editor", editor),
    ];
    for (name, f) in sections {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let Some(items) = plan.get(name).and_then(Value::as_array) else {
            continue;
        };
        let results: Vec<Value> = items.iter().map(|item| f(item, now)).collect();
        out.insert(name.to_string(), Value::Array(results));
    }
    Value::Object(out)
}

fn count(item: &Value, key: &str, default: usize) -> usize {
    item.get(key)
        .and_then(Value::as_u64)
        .map_or(default, |n| n as usize)
}

fn name(item: &Value) -> String {
    item.get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

/// Summarises samples: `{samples, median, min, max}` (milliseconds).
fn stats(mut samples: Vec<f64>) -> Value {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n == 0 {
        0.0
    } else if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    json!({
        "samples": samples,
        "median": median,
        "min": samples.first().copied().unwrap_or(0.0),
        "max": samples.last().copied().unwrap_or(0.0),
    })
}

/// Wall and CPU samples of one measurement.
struct Samples {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

impl Samples {
    /// Adds `"time"` (wall) and, when measured, `"cpu"` statistics to `out`, scaled by `k`.
    fn put(self, out: &mut Value, key: &str, k: f64) {
        let scale = |v: Vec<f64>| v.into_iter().map(|x| x * k).collect::<Vec<_>>();
        out[key] = stats(scale(self.wall));
        if !self.cpu.is_empty() {
            out[format!("{key}_cpu")] = stats(scale(self.cpu));
        }
    }
}

/// Times `f` `runs` times after `warmup` untimed calls; `setup` runs outside the timing.
fn time<S, T>(
    item: &Value,
    now: Clocks,
    setup: impl FnMut() -> S,
    f: impl FnMut(S) -> T,
) -> Samples {
    let warmup = count(item, "warmup", 2);
    time_k(item, now, warmup, 1, setup, f)
}

/// Like [`time`] (after `warmup` untimed calls), but each sample times a batch of `k` calls
/// and reports the time per call. The `k` setups are made before the batch and its results
/// dropped after it, so the timing holds the calls only.
fn time_k<S, T>(
    item: &Value,
    now: Clocks,
    warmup: usize,
    k: usize,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> Samples {
    let runs = count(item, "runs", 7);
    for _ in 0..warmup {
        drop(f(setup()));
    }
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    for _ in 0..runs {
        let batch: Vec<S> = (0..k).map(|_| setup()).collect();
        let mut outs: Vec<T> = Vec::with_capacity(k);
        let c0 = now.cpu.map(|c| c());
        let t0 = (now.wall)();
        for s in batch {
            outs.push(f(s));
        }
        let t1 = (now.wall)();
        if let (Some(c), Some(c0)) = (now.cpu, c0) {
            cpu.push((c() - c0) / k as f64);
        }
        wall.push((t1 - t0) / k as f64);
        drop(outs);
    }
    Samples { wall, cpu }
}

/// The typical step of the wall clock (the median of a few), in milliseconds: about 0.1 in
/// Chromium, a microsecond or less natively and in Node.
fn clock_tick_ms(now: Clocks) -> f64 {
    let mut steps = Vec::with_capacity(7);
    for _ in 0..7 {
        let t0 = (now.wall)();
        let mut t1 = (now.wall)();
        let mut spins = 0u32;
        while t1 <= t0 && spins < 10_000_000 {
            t1 = (now.wall)();
            spins += 1;
        }
        steps.push(t1 - t0);
    }
    steps.sort_by(f64::total_cmp);
    steps[steps.len() / 2]
}

/// [`time_k`] with the batch size `k` found after the warm-up: doubled until a batch of calls
/// lasts `min_batch_ms`. Returns the samples and `k`.
fn time_batched<S, T>(
    item: &Value,
    now: Clocks,
    min_batch_ms: f64,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> (Samples, usize) {
    for _ in 0..count(item, "warmup", 2) {
        drop(f(setup()));
    }
    let mut k = 1usize;
    while k < 1 << 16 {
        let batch: Vec<S> = (0..k).map(|_| setup()).collect();
        let t0 = (now.wall)();
        let outs: Vec<T> = batch.into_iter().map(&mut f).collect();
        let t1 = (now.wall)();
        drop(outs);
        if t1 - t0 >= min_batch_ms {
            break;
        }
        k *= 2;
    }
    (time_k(item, now, 0, k, setup, f), k)
}

/// Converts the benchmark mocks (`{state: {Resource, Result}}`) into the per-state map of
/// [`Mocks::from_state_map`]: every call of the state returns `Result`.
pub fn bench_mocks(v: &Value) -> Value {
    let Some(states) = v.as_object() else {
        return Value::Null;
    };
    let mut out = Map::new();
    for (state, m) in states {
        let result = m.get("Result").cloned().unwrap_or(Value::Null);
        out.insert(
            state.clone(),
            json!({ "0-1000000000": { "Return": result } }),
        );
    }
    Value::Object(out)
}

fn interp(item: &Value, now: Clocks) -> Value {
    let name = name(item);
    let def = &item["definition"];
    let input = &item["input"];
    let program = match asl_interp::compile(def) {
        Ok(p) => p,
        Err(e) => return json!({"name": name, "error": format!("compile: {e:?}")}),
    };
    let opts = RunOptions::from_corpus_context(item.get("context").unwrap_or(&Value::Null));
    let mocks = bench_mocks(item.get("mocks").unwrap_or(&Value::Null));
    let table = || Mocks::from_state_map(&mocks).unwrap_or_default();
    // The verification run: the output must be exactly the expected one before anything is timed.
    let mut exec = Execution::start(&program, input.clone(), &opts);
    asl_interp::drive(&mut exec, &mut table());
    let status = exec.status();
    let events = exec.event_count();
    let output = exec.output().cloned();
    drop(exec);
    let expected = item.get("expected");
    let check = if status != Status::Succeeded {
        let r = Execution::start(&program, input.clone(), &opts);
        let mut r = r;
        asl_interp::drive(&mut r, &mut table());
        let res = r.result();
        Err(format!(
            "{}: {} {}",
            status.as_aws(),
            res.error.unwrap_or_default(),
            res.cause.unwrap_or_default()
        ))
    } else {
        match (expected, &output) {
            (Some(e), Some(o)) if e == o => Ok(()),
            (None, _) => Ok(()),
            (Some(e), o) => Err(first_difference(o.as_ref().unwrap_or(&Value::Null), e, "$")
                .unwrap_or_else(|| "wrong output".into())),
        }
    };
    if let Err(e) = check {
        return json!({"name": name, "error": e, "events": events});
    }
    let setup = || (input.clone(), table());
    let run = |(inp, mut m): (Value, Mocks)| {
        let mut exec = Execution::start(&program, inp, &opts);
        asl_interp::drive(&mut exec, &mut m);
        exec
    };
    // Batches only where the clock is coarse (Chromium): elsewhere each execution is timed
    // on its own, its input copied just before it, as the peers' harness does.
    let (samples, batch) = match item["min_batch_ms"].as_f64() {
        Some(ms) if ms > 0.0 && clock_tick_ms(now) > 0.01 => {
            time_batched(item, now, ms, setup, run)
        }
        _ => (time(item, now, setup, run), 1),
    };
    let mut out = json!({"name": name, "ok": true, "events": events, "batch": batch});
    samples.put(&mut out, "time", 1.0);
    out
}

/// The first difference between two JSON values (key order ignored), as the peers' harness prints it.
pub fn first_difference(got: &Value, want: &Value, at: &str) -> Option<String> {
    match (got, want) {
        (Value::Object(a), Value::Object(b)) => {
            for k in a.keys() {
                if !b.contains_key(k) {
                    return Some(format!("{at}.{k}: unexpected key"));
                }
            }
            for (k, w) in b {
                match a.get(k) {
                    None => return Some(format!("{at}.{k}: missing")),
                    Some(g) => {
                        if let Some(d) = first_difference(g, w, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{at}: array length {}, expected {}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (g, w))| first_difference(g, w, &format!("{at}[{i}]")))
        }
        (g, w) if g == w => None,
        (g, w) => {
            let short = |v: &Value| v.to_string().chars().take(60).collect::<String>();
            Some(format!("{at}: got {}, expected {}", short(g), short(w)))
        }
    }
}

fn validate(item: &Value, now: Clocks) -> Value {
    let name = name(item);
    let text = item["text"].as_str().unwrap_or("");
    let (parse, diags) = asl_core::check(text, Format::Json);
    let states = parse.machine.states().len();
    let errors = diags
        .iter()
        .filter(|d| d.severity == asl_core::Severity::Error)
        .count();
    drop(parse);
    let full = time(item, now, || (), |()| asl_core::check(text, Format::Json));
    let parse_only = time(item, now, || (), |()| asl_core::parse(text, Format::Json));
    let serde = time(
        item,
        now,
        || (),
        |()| serde_json::from_str::<Value>(text).ok(),
    );
    let mut out = json!({
        "name": name, "ok": true, "states": states, "diagnostics": diags.len(), "errors": errors,
    });
    full.put(&mut out, "time", 1.0);
    parse_only.put(&mut out, "parse", 1.0);
    serde.put(&mut out, "serde_json", 1.0);
    out
}

fn layout(item: &Value, now: Clocks) -> Value {
    let name = name(item);
    let g = api::bench_graph(&item["graph"]);
    let options = graph_layout::Options::default();
    let result = graph_layout::layout(&g.graph, &options);
    let m = graph_layout::metrics::metrics(&g.graph, &result);
    let samples = time(
        item,
        now,
        || (),
        |()| graph_layout::layout(&g.graph, &options),
    );
    let mut out = json!({
        "name": name, "ok": true, "nodes": g.graph.nodes.len(), "edges": g.graph.edges.len(),
        "crossings_internal": m.crossings, "cluster_violations": m.cluster_violations,
        "centres": api::centres(&g, &result),
    });
    samples.put(&mut out, "time", 1.0);
    out
}

fn jsonata_item(item: &Value, now: Clocks) -> Value {
    let name = name(item);
    let expr = item["expr"].as_str().unwrap_or("");
    let input = &item["input"];
    let iters = count(item, "iters", 100).max(1);
    let compiled = match jsonata::compile(expr) {
        Ok(c) => c,
        Err(e) => return json!({"name": name, "error": e.to_string()}),
    };
    let eval = || {
        // Like the interpreter: no `$` input, the state input only under `$states.input`,
        // borrowed (as jsonata-js is given `{states: {input}}` around the same object).
        let mut bindings = jsonata::Bindings::new();
        bindings.insert_object("states", &[("input", input)]);
        let mut env = jsonata::FixedEnv::default();
        compiled.evaluate(None, &bindings, &mut env)
    };
    let result = match eval() {
        Ok(v) => v,
        Err(e) => return json!({"name": name, "error": e.to_string()}),
    };
    // A batch must last `min_batch_ms`, so that a coarse clock (Chromium's performance.now()
    // is rounded to 0.1 ms) still resolves cheap expressions: double it until it does.
    let min_batch = item["min_batch_ms"].as_f64().unwrap_or(0.0);
    let mut iters = iters;
    while iters < 1 << 22 {
        let t0 = (now.wall)();
        for _ in 0..iters {
            drop(eval());
        }
        if (now.wall)() - t0 >= min_batch {
            break;
        }
        iters *= 2;
    }
    let samples = time(
        item,
        now,
        || (),
        |()| {
            for _ in 1..iters {
                drop(eval());
            }
            eval()
        },
    );
    // Per evaluation, in microseconds.
    let mut out = json!({"name": name, "ok": true, "result": result, "iters": iters});
    samples.put(&mut out, "time_us", 1000.0 / iters as f64);
    out
}

/// What the studio does after each keystroke: parse, validate, place the diagnostics on lines,
/// build the graph, lay it out and write the SVG.
pub fn editor_work(text: &str) -> (usize, usize) {
    let (parse, diags) = asl_core::check(text, asl_core::detect_format(text));
    let index = LineIndex::new(text);
    let lines: u32 = diags
        .iter()
        .map(|d| index.line_col(d.span.start).line)
        .sum();
    let svg = asl_graph::render_svg(
        parse.value(),
        &asl_graph::SvgOptions {
            theme: asl_graph::Theme::Light,
            overlay: None,
            standalone: true,
        },
    );
    std::hint::black_box(lines);
    (diags.len(), svg.len())
}

fn editor(item: &Value, now: Clocks) -> Value {
    let name = name(item);
    let text = item["text"].as_str().unwrap_or("");
    let (diags, svg_bytes) = editor_work(text);
    let samples = time(item, now, || (), |()| editor_work(text));
    let mut out = json!({"name": name, "ok": true, "diagnostics": diags, "svg_bytes": svg_bytes});
    samples.put(&mut out, "time", 1.0);
    // The parts, to show where the time goes.
    let check = time(
        item,
        now,
        || (),
        |()| asl_core::check(text, asl_core::detect_format(text)),
    );
    check.put(&mut out, "check", 1.0);
    let value = asl_core::parse(text, asl_core::detect_format(text)).into_value();
    let build = time(item, now, || (), |()| asl_graph::build(&value));
    build.put(&mut out, "graph_build", 1.0);
    let graph = asl_graph::build(&value);
    let layout = time(
        item,
        now,
        || (),
        |()| asl_graph::layout(&graph, &asl_graph::RenderOptions::default()),
    );
    layout.put(&mut out, "graph_layout", 1.0);
    let scene = asl_graph::layout(&graph, &asl_graph::RenderOptions::default());
    let svg = time(
        item,
        now,
        || (),
        |()| asl_graph::to_svg(&scene, &asl_graph::SvgOptions::default()),
    );
    svg.put(&mut out, "svg", 1.0);
    out
}
