//! Runs the JSONata reference suite from `shared/jsonata-suite` and compares the pass
//! counts per group against the ratchet baseline in `test_data/suite-baseline.json`.
//! Set `UPDATE_BASELINE=1` to rewrite the baseline and `SUITE_VERBOSE=1` (or a group name
//! in `SUITE_GROUP`) to print the failing cases.

use jsonata::{Bindings, FixedEnv, Limits};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Case {
    name: String,
    expr: String,
    data: Option<Value>,
    bindings: Map<String, Value>,
    depth: Option<usize>,
    timelimit: Option<u64>,
    expected: Expected,
}

enum Expected {
    Result(Value),
    Undefined,
    Code(String),
}

/// `shared/jsonata-suite` next to the repository (also from a worktree nested deeper).
fn suite_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("shared").join("jsonata-suite"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| manifest.join("../../../shared/jsonata-suite"))
}

fn load_cases(dir: &Path) -> BTreeMap<String, Vec<Case>> {
    let mut datasets: BTreeMap<String, Value> = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("datasets")).expect("datasets folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("dataset");
        datasets.insert(name, serde_json::from_str(&text).expect("dataset json"));
    }
    let mut groups = BTreeMap::new();
    let mut group_dirs: Vec<_> = std::fs::read_dir(dir.join("groups"))
        .expect("groups")
        .map(|e| e.expect("e").path())
        .collect();
    group_dirs.sort();
    for gdir in group_dirs {
        let gname = gdir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let mut files: Vec<_> = std::fs::read_dir(&gdir)
            .expect("group")
            .map(|e| e.expect("e").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut cases = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("case");
            let fname0 = f.file_stem().expect("stem").to_string_lossy().to_string();
            let v: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    // Some cases hold lone surrogates, which serde_json cannot represent.
                    let reason = format!("case file not loadable: {e}");
                    cases.push(Case {
                        name: fname0,
                        expr: String::new(),
                        data: None,
                        bindings: Map::new(),
                        depth: None,
                        timelimit: None,
                        expected: Expected::Code(reason),
                    });
                    continue;
                }
            };
            let list = match v {
                Value::Array(a) => a,
                other => vec![other],
            };
            let fname = f.file_stem().expect("stem").to_string_lossy().to_string();
            for (i, c) in list.into_iter().enumerate() {
                let expr = match (c.get("expr"), c.get("expr-file")) {
                    (Some(Value::String(e)), _) => e.clone(),
                    (_, Some(Value::String(file))) => {
                        std::fs::read_to_string(gdir.join(file)).expect("expr file")
                    }
                    _ => continue,
                };
                let data = match (c.get("data"), c.get("dataset")) {
                    (Some(d), _) => Some(d.clone()),
                    (None, Some(Value::String(name))) => datasets.get(name).cloned(),
                    _ => None,
                };
                let expected = if let Some(r) = c.get("result") {
                    Expected::Result(r.clone())
                } else if let Some(Value::String(code)) = c.get("code") {
                    Expected::Code(code.clone())
                } else if let Some(Value::String(code)) = c.get("error").and_then(|e| e.get("code"))
                {
                    Expected::Code(code.clone())
                } else {
                    Expected::Undefined
                };
                let bindings = match c.get("bindings") {
                    Some(Value::Object(m)) => m.clone(),
                    _ => Map::new(),
                };
                let depth = c.get("depth").and_then(Value::as_u64).map(|d| d as usize);
                let timelimit = c.get("timelimit").and_then(Value::as_u64);
                let name = if i == 0 && !text.trim_start().starts_with('[') {
                    fname.clone()
                } else {
                    format!("{fname}[{i}]")
                };
                cases.push(Case {
                    name,
                    expr,
                    data,
                    bindings,
                    depth,
                    timelimit,
                    expected,
                });
            }
        }
        groups.insert(gname, cases);
    }
    groups
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-14 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let mut expr = match jsonata::compile(&case.expr) {
        Ok(e) => e,
        Err(e) => {
            return match &case.expected {
                Expected::Code(c) if *c == e.code => Ok(()),
                _ => Err(format!("compile error {e}")),
            };
        }
    };
    // The reference harness stops a case after `timelimit` milliseconds; the engine has no
    // clock, so the time limit becomes a step budget of 10,000 steps per millisecond.
    let mut limits = Limits::default();
    if let Some(d) = case.depth {
        limits.max_depth = d;
    }
    if let Some(t) = case.timelimit {
        limits.max_steps = limits.max_steps.min(t.saturating_mul(10_000));
    }
    expr.set_limits(limits);
    let bindings = Bindings::from_map(&case.bindings);
    let mut env = FixedEnv::default();
    let out = expr.evaluate(case.data.as_ref(), &bindings, &mut env);
    match (&case.expected, out) {
        (Expected::Result(want), Ok(Some(got))) if json_eq(want, &got) => Ok(()),
        (Expected::Undefined, Ok(None)) => Ok(()),
        (Expected::Code(c), Err(e)) if *c == e.code => Ok(()),
        (Expected::Result(want), got) => Err(format!("want {want}, got {got:?}")),
        (Expected::Undefined, got) => Err(format!("want undefined, got {got:?}")),
        (Expected::Code(c), got) => Err(format!("want error {c}, got {got:?}")),
    }
}

#[test]
fn jsonata_suite() {
    let dir = suite_dir();
    if !dir.join("groups").is_dir() {
        println!(
            "notice: the JSONata suite is not at {}; skipping",
            dir.display()
        );
        return;
    }
    let start = std::time::Instant::now();
    let groups = load_cases(&dir);
    let verbose = std::env::var("SUITE_VERBOSE").is_ok();
    let only = std::env::var("SUITE_GROUP").ok();
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    let (mut total, mut total_pass) = (0, 0);
    for (g, cases) in &groups {
        let mut p = 0;
        for c in cases {
            let t0 = std::time::Instant::now();
            let outcome = run_case(c);
            if t0.elapsed().as_millis() > 300 {
                println!("slow case {g}/{}: {:.2?}", c.name, t0.elapsed());
            }
            match outcome {
                Ok(()) => p += 1,
                Err(msg) => {
                    if verbose || only.as_deref() == Some(g.as_str()) {
                        println!(
                            "FAIL {g}/{}: {}\n    {msg}",
                            c.name,
                            c.expr.replace('\n', " ")
                        );
                    }
                }
            }
        }
        println!("{g:40} {p:4} / {:4}", cases.len());
        total += cases.len();
        total_pass += p;
        passed.insert(g.clone(), p);
    }
    println!(
        "overall: {total_pass} / {total} ({:.1}%) in {:.2?}",
        100.0 * total_pass as f64 / total.max(1) as f64,
        start.elapsed()
    );
    let baseline_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/suite-baseline.json");
    if std::env::var("UPDATE_BASELINE").is_ok() {
        let v: Map<String, Value> = passed
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(*v)))
            .collect();
        let text = serde_json::to_string_pretty(&Value::Object(v)).expect("json") + "\n";
        std::fs::write(&baseline_path, text).expect("write baseline");
        return;
    }
    let baseline: Map<String, Value> = std::fs::read_to_string(&baseline_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut regressions = Vec::new();
    for (g, want) in &baseline {
        let want = want.as_u64().unwrap_or(0) as usize;
        let got = passed.get(g).copied().unwrap_or(0);
        if got < want {
            regressions.push(format!("{g}: {got} < baseline {want}"));
        }
    }
    assert!(
        regressions.is_empty(),
        "suite regressions:\n{}",
        regressions.join("\n")
    );
}
