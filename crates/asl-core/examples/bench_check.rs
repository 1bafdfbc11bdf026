//! Times parse + validate of a definition file: `cargo run --release -p asl-core --example bench_check -- FILE`.

use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/bench/machines/big-definition.asl.json".to_owned());
    let text = std::fs::read_to_string(&path).expect("readable file");
    let format = asl_core::detect_format(&text);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (_, diags) = asl_core::check(&text, format);
        best = best.min(t.elapsed().as_secs_f64());
        count = diags.len();
    }
    println!(
        "{path}: {} bytes, {count} diagnostics, best of {runs}: {:.3} ms",
        text.len(),
        best * 1000.0
    );
    let t = Instant::now();
    let p = asl_core::parse(&text, format);
    if std::env::var_os("PER_RULE").is_none() {
        return;
    }
    let opts = asl_core::ValidateOptions::default();
    for rule in asl_core::validate::RULES {
        let t = Instant::now();
        for _ in 0..10 {
            asl_core::validate::validate_codes(&p, &opts, &[rule.code]);
        }
        println!(
            "  {} {}: {:.3} ms",
            rule.code,
            rule.name,
            t.elapsed().as_secs_f64() * 100.0
        );
    }
    println!(
        "parse only: {:.3} ms ({} states)",
        t.elapsed().as_secs_f64() * 1000.0,
        p.machine.states().len()
    );
}
