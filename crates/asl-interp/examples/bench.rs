//! Times the shared benchmark machines (`shared/bench/machines`): `cargo run --release --example bench`.

use std::path::PathBuf;
use std::time::Instant;

use asl_interp::{MachineType, RunOptions, Status, TaskAnswer, TaskRequest};
use serde_json::Value;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/machines");
    let filter = std::env::args().nth(1).unwrap_or_default();
    for case in [
        "loop-counter",
        "map-10k",
        "parallel-fanout",
        "task-heavy",
        "big-definition",
        "payload-heavy",
    ] {
        if !case.contains(&filter) {
            continue;
        }
        let read = |ext: &str| -> Option<Value> {
            let text = std::fs::read_to_string(dir.join(format!("{case}.{ext}"))).ok()?;
            serde_json::from_str(&text).ok()
        };
        let (Some(def), Some(input)) = (read("asl.json"), read("input.json")) else {
            eprintln!("{case}: missing files in {}", dir.display());
            continue;
        };
        let mocks = read("mocks.json").unwrap_or(Value::Null);
        let program = asl_interp::compile(&def).expect("compiles");
        let mut opts = RunOptions {
            max_payload_bytes: Some(usize::MAX),
            max_events: Some(usize::MAX),
            ..RunOptions::default()
        };
        if case == "loop-counter" {
            opts.machine_type = MachineType::Express;
        }
        let mut samples = Vec::new();
        let mut events = 0;
        let mut status = Status::Running;
        for _ in 0..15 {
            let mut handler =
                |req: &TaskRequest| TaskAnswer::Return(mocks[&*req.state_name]["Result"].clone());
            let owned_input = input.clone();
            let t = Instant::now();
            let mut exec = asl_interp::Execution::start(&program, owned_input, &opts);
            asl_interp::drive(&mut exec, &mut handler);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            samples.push(ms);
            events = exec.event_count();
            status = exec.status();
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "{case:16} median {:8.3} ms  min {:8.3} ms  events {events:6}  {}",
            samples[samples.len() / 2],
            samples[0],
            status.as_aws()
        );
    }
}
