//! Times evaluation of the workspace benchmark's ASL-style expressions (`bench/jsonata.json`,
//! also read by `cargo xtask bench`): `cargo run --release -p jsonata --example bench [NAME..]`.
//!
//! The input is bound as `$states.input`, borrowed, as the interpreter binds it. With names,
//! only those expressions run; `BENCH_ITERS=N` sets the evaluations per expression (for a
//! profiler) and `BENCH_PRINT=1` prints each result.

use jsonata::{Bindings, FixedEnv};
use serde_json::Value;
use std::time::Instant;

fn main() {
    let data: Value =
        serde_json::from_str(include_str!("../../../bench/jsonata.json")).expect("bench data");
    let input = &data["input"];
    let only: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let mut bindings = Bindings::new();
    bindings.insert_object("states", &[("input", input)]);
    let mut env = FixedEnv::default();
    for case in data["expressions"].as_array().into_iter().flatten() {
        let name = case["name"].as_str().unwrap_or("?");
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let c = jsonata::compile(case["expr"].as_str().unwrap_or("")).expect("compile");
        let mut eval = || c.evaluate(None, &bindings, &mut env).expect("evaluate");
        if std::env::var("BENCH_PRINT").is_ok() {
            println!("RESULT {name} {}", eval().unwrap_or(Value::Null));
        }
        for _ in 0..100 {
            std::hint::black_box(eval());
        }
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(eval());
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!("{name:10} {us:9.2} µs");
    }
}
