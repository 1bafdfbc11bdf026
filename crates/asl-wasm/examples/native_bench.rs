//! Runs a benchmark plan natively: `native_bench PLAN.json [SECTIONS]`, printing the results as JSON.
//!
//! `cargo xtask bench` builds this in release mode and runs it next to the same plan in Node and
//! Chromium, so all three numbers come from the same code.

use std::time::Instant;

/// The allocator of the native `asl` CLI, so that the native figures are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The calling thread's CPU time in milliseconds (`CLOCK_THREAD_CPUTIME_ID` on Linux).
fn thread_cpu_ms() -> Option<f64> {
    cpu_time::ThreadTime::try_now()
        .ok()
        .map(|t| t.as_duration().as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: native_bench PLAN.json [SECTIONS]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let plan: serde_json::Value = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{path} is not JSON: {e}");
            std::process::exit(1);
        }
    };
    let only: Vec<&str> = args
        .get(2)
        .map(|s| s.split(',').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let start = Instant::now();
    let wall = move || start.elapsed().as_secs_f64() * 1000.0;
    let has_cpu = thread_cpu_ms().is_some();
    let cpu = || thread_cpu_ms().unwrap_or(0.0);
    let clocks = asl_wasm::bench::Clocks {
        wall: &wall,
        cpu: if has_cpu { Some(&cpu) } else { None },
    };
    let out = asl_wasm::bench::run_plan(&plan, &only, clocks);
    println!("{out}");
}
