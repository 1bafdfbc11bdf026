//! The benchmark plan: the shared machines with their expected outputs, the validation text,
//! the layout graphs, the JSONata expressions and the 200-state editor machine.
//!
//! The same plan (one JSON file) is run natively, in Node and in Chromium, so every runtime
//! times exactly the same work.

use std::path::Path;

use serde_json::{Value, json};

use crate::Result;

/// The shared benchmark machines (`shared/bench/machines`).
pub(crate) const MACHINES: &str = "/work/shared/bench/machines";

/// One interpreter case: its name, states entered per execution and run counts.
pub(crate) struct Case {
    pub name: &'static str,
    pub runs: usize,
    pub warmup: usize,
}

/// The six cases with the peers' harness's run counts (`shared/bench/peers/bench.js`).
pub(crate) const CASES: [Case; 6] = [
    Case {
        name: "loop-counter",
        runs: 7,
        warmup: 2,
    },
    Case {
        name: "map-10k",
        runs: 7,
        warmup: 2,
    },
    Case {
        name: "parallel-fanout",
        runs: 21,
        warmup: 5,
    },
    Case {
        name: "task-heavy",
        runs: 21,
        warmup: 5,
    },
    Case {
        name: "big-definition",
        runs: 11,
        warmup: 3,
    },
    Case {
        name: "payload-heavy",
        runs: 11,
        warmup: 3,
    },
];

/// The shortest timed batch of executions where the clock is coarse (Chromium), in
/// milliseconds: a sample there is a batch of executions, reported per execution, so that the
/// clock's 0.1 ms steps stay under 1% of it.
const MIN_BATCH_MS: f64 = 10.0;

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// States entered per execution (see `shared/bench/machines/README.md`).
pub(crate) fn transitions(case: &str, input: &Value) -> u64 {
    let len = |v: &Value| v.as_array().map_or(0, Vec::len) as u64;
    match case {
        "loop-counter" => 2 * input["n"].as_u64().unwrap_or(0) + 3,
        "map-10k" => 1 + len(&input["items"]),
        "parallel-fanout" => 401,
        "task-heavy" => 9 + len(&input["request"]["installments"]),
        "big-definition" => 840,
        "payload-heavy" => 100,
        _ => 0,
    }
}

/// The exact expected output, built from the input and the mocks as the peers' harness does.
pub(crate) fn expected(case: &str, input: &Value, mocks: &Value) -> Value {
    match case {
        "loop-counter" => json!({"i": input["n"], "n": input["n"]}),
        "map-10k" => {
            let items: Vec<Value> = input["items"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|it| {
                            json!({"id": it["id"], "label": it["name"], "score": it["value"],
                                   "firstTag": it["tags"][0], "kind": "bench-item"})
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({"results": items, "source": "map-10k"})
        }
        "parallel-fanout" => {
            let b: Vec<Value> = (0..8)
                .map(|b| json!({"branch": b, "step": 49, "seed": input["seed"], "prev": 48}))
                .collect();
            json!({ "branches": b })
        }
        "task-heavy" => {
            let r = |s: &str| mocks[s]["Result"].clone();
            let mut out = input.as_object().cloned().unwrap_or_default();
            let score = r("ScoreApplicant");
            out.insert(
                "score".into(),
                json!({"value": score["score"], "band": score["band"]}),
            );
            out.insert(
                "checks".into(),
                json!({"fraud": r("FraudCheck"), "income": r("VerifyIncome")}),
            );
            out.insert("approval".into(), r("ApproveCredit"));
            let d = r("Disburse");
            let n = input["request"]["installments"]
                .as_array()
                .map_or(0, Vec::len);
            let list: Vec<Value> = (0..n)
                .map(|_| json!({"txn": d["transactionId"], "status": d["status"]}))
                .collect();
            out.insert("disbursements".into(), Value::Array(list));
            Value::Object(out)
        }
        "big-definition" => json!({"route": input["route"], "n": input["n"], "k": 6}),
        "payload-heavy" => {
            let s = &input["env"]["sections"][1];
            let mut env = input["env"].as_object().cloned().unwrap_or_default();
            env.insert(
                "audit".into(),
                json!({"id": s["id"], "title": s["title"], "rows": s["rowCount"], "step": 98}),
            );
            json!({ "env": env })
        }
        _ => Value::Null,
    }
}

/// Transitions per execution, per case.
pub(crate) type Counts = Vec<(String, u64)>;

/// The interpreter items of the plan.
pub(crate) fn interp_items(quick: bool) -> Result<(Vec<Value>, Counts)> {
    let dir = Path::new(MACHINES);
    let mut items = Vec::new();
    let mut counts = Vec::new();
    for c in &CASES {
        let def = read_json(&dir.join(format!("{}.asl.json", c.name)))?;
        let input = read_json(&dir.join(format!("{}.input.json", c.name)))?;
        let mocks_path = dir.join(format!("{}.mocks.json", c.name));
        let mocks = if mocks_path.exists() {
            read_json(&mocks_path)?
        } else {
            Value::Null
        };
        // loop-counter runs as Express: a Standard workflow stops at 25,000 history events
        // (about n = 6,000), and that cap is never weakened. map-10k's input (663 KiB) is over
        // AWS's 256 KiB payload quota, so that case lifts the quota, as the peer has none.
        let mut context = json!({});
        if c.name == "loop-counter" || c.name == "map-10k" {
            context["stateMachineType"] = json!("EXPRESS");
        }
        if c.name == "map-10k" {
            context["maxPayloadBytes"] = Value::Null;
        }
        let (runs, warmup) = if quick { (3, 1) } else { (c.runs, c.warmup) };
        counts.push((c.name.to_string(), transitions(c.name, &input)));
        items.push(json!({
            "name": c.name,
            "expected": expected(c.name, &input, &mocks),
            "definition": def,
            "input": input,
            "mocks": mocks,
            "context": context,
            "runs": runs,
            "warmup": warmup,
            // Chromium's clock ticks in 0.1 ms: there, the short cases are timed in batches.
            "min_batch_ms": MIN_BATCH_MS,
        }));
    }
    Ok((items, counts))
}

/// The validation item: the big-definition text as written (247 KiB, pretty-printed).
pub(crate) fn validate_items(quick: bool) -> Result<Vec<Value>> {
    let path = Path::new(MACHINES).join("big-definition.asl.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (runs, warmup) = if quick { (5, 1) } else { (15, 3) };
    Ok(vec![
        json!({"name": "big-definition", "text": text, "runs": runs, "warmup": warmup}),
    ])
}

/// The layout graphs (`crates/graph-layout/test_data`, exported from the shared `gen.py`).
pub(crate) fn layout_items(root: &Path, quick: bool) -> Result<Vec<Value>> {
    let dir = root.join("crates/graph-layout/test_data");
    let mut items = Vec::new();
    for (name, file, runs) in [
        ("asl60", "asl60.json", 21),
        ("asl60c", "asl60_compound.json", 21),
        ("synth1000", "synth1000.json", 7),
    ] {
        let runs = if quick { 3 } else { runs };
        items.push(json!({
            "name": name,
            "file": dir.join(file).display().to_string(),
            "graph": read_json(&dir.join(file))?,
            "runs": runs,
            "warmup": 1,
        }));
    }
    Ok(items)
}

/// The JSONata benchmark's data: the expressions and the order document they read (also read
/// by `cargo run --release -p jsonata --example bench`).
const JSONATA_DATA: &str = include_str!("../../../bench/jsonata.json");

fn jsonata_data() -> Value {
    serde_json::from_str(JSONATA_DATA).unwrap_or(Value::Null)
}

/// The ASL-style JSONata expressions (as in `Arguments`, `Output`, `Assign` and Choice
/// `Condition`) of `bench/jsonata.json`, as `(name, expression)` in order.
pub(crate) fn jsonata_expressions() -> Vec<(String, String)> {
    jsonata_data()["expressions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (text("name"), text("expr"))
        })
        .collect()
}

/// The JSONata items of the plan (the same list goes to the jsonata npm package).
pub(crate) fn jsonata_items(quick: bool) -> Vec<Value> {
    let input = jsonata_data()["input"].take();
    // At least `iters` evaluations per batch, and enough that a batch lasts `min_batch_ms`.
    let (iters, min_batch_ms, runs, warmup) = if quick {
        (50, 2, 5, 1)
    } else {
        (200, 10, 11, 2)
    };
    jsonata_expressions()
        .into_iter()
        .map(|(name, expr)| {
            json!({"name": name, "expr": expr, "input": input, "iters": iters,
                   "min_batch_ms": min_batch_ms, "runs": runs, "warmup": warmup})
        })
        .collect()
}

/// A 200-state machine like the ones people edit: 10 segments of Pass chains, a Choice with
/// two paths, a Task with Retry and Catch, a two-branch Parallel and a Map, ending in `Finish`.
pub(crate) fn editor_machine() -> String {
    let mut states = serde_json::Map::new();
    let segments = 10;
    for s in 0..segments {
        let p = |k: &str| format!("S{s:02} {k}");
        let next_segment = if s + 1 == segments {
            "Finish".to_string()
        } else {
            format!("S{:02} Prepare 1", s + 1)
        };
        // A 3-Pass chain in the first segment and 4 elsewhere, so the machine has exactly 200 states.
        let chain = if s == 0 { 3 } else { 4 };
        for k in 1..=chain {
            let next = if k == chain {
                p("Route")
            } else {
                p(&format!("Prepare {}", k + 1))
            };
            states.insert(
                p(&format!("Prepare {k}")),
                json!({"Type": "Pass", "Parameters": {"segment": s, "step": k, "order.$": "$.order"}, "Next": next}),
            );
        }
        states.insert(
            p("Route"),
            json!({"Type": "Choice", "Choices": [
                {"Variable": "$.order.region", "StringEquals": "eu", "Next": p("EU 1")},
                {"And": [{"Variable": "$.order.total", "NumericGreaterThan": 1000},
                         {"Variable": "$.order.tier", "StringEquals": "gold"}], "Next": p("Gold 1")}],
                "Default": p("EU 1")}),
        );
        for (lane, n) in [("EU", 3), ("Gold", 3)] {
            for k in 1..=n {
                let next = if k == n {
                    p("Charge")
                } else {
                    p(&format!("{lane} {}", k + 1))
                };
                states.insert(
                    p(&format!("{lane} {k}")),
                    json!({"Type": "Pass", "Result": {"lane": lane, "k": k}, "ResultPath": "$.lane", "Next": next}),
                );
            }
        }
        states.insert(
            p("Charge"),
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge", "Payload.$": "$"},
                   "ResultSelector": {"receipt.$": "$.Payload.receipt"}, "ResultPath": "$.charge",
                   "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": p("Checks")}],
                   "Next": p("Checks")}),
        );
        let branch = |b: &str| {
            json!({"StartAt": p(&format!("{b} 1")), "States": {
                p(&format!("{b} 1")): {"Type": "Pass", "Next": p(&format!("{b} 2"))},
                p(&format!("{b} 2")): {"Type": "Pass", "End": true}}})
        };
        states.insert(
            p("Checks"),
            json!({"Type": "Parallel", "Branches": [branch("Fraud"), branch("Stock")],
                   "ResultPath": "$.checks", "Next": p("Lines")}),
        );
        states.insert(
            p("Lines"),
            json!({"Type": "Map", "ItemsPath": "$.order.items", "MaxConcurrency": 10,
                   "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": p("Line price"), "States": {
                       p("Line price"): {"Type": "Pass", "Next": p("Line done")},
                       p("Line done"): {"Type": "Succeed"}}},
                   "ResultPath": "$.lines", "Next": next_segment}),
        );
    }
    states.insert("Finish".into(), json!({"Type": "Succeed"}));
    let def = json!({"Comment": "A 200-state order pipeline for the editor latency benchmark",
                     "StartAt": "S00 Prepare 1", "States": states});
    serde_json::to_string_pretty(&def).unwrap_or_default()
}

/// The editor item: the pure per-keystroke work on the 200-state machine.
pub(crate) fn editor_items(quick: bool) -> Vec<Value> {
    let (runs, warmup) = if quick { (7, 2) } else { (31, 5) };
    vec![json!({"name": "editor-200", "text": editor_machine(), "runs": runs, "warmup": warmup})]
}

/// The number of items of the Map run in the studio (`runmap`).
pub(crate) const RUNMAP_ITEMS: usize = 10_000;

/// The `runmap` machine: an inline Map whose iterations shape the item (Pass) and store it
/// (a Lambda Task that the studio answers by echoing its input); results are discarded so
/// the output stays under the payload quota.
pub(crate) fn runmap_machine() -> String {
    let machine = json!({
        "Comment": "A Map over 10,000 items: a Pass and a Task per item",
        "StartAt": "Process items",
        "States": {
            "Process items": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ResultPath": null,
                "ItemProcessor": {
                    "ProcessorConfig": { "Mode": "INLINE" },
                    "StartAt": "Shape item",
                    "States": {
                        "Shape item": {
                            "Type": "Pass",
                            "Parameters": { "id.$": "$", "kind": "order" },
                            "Next": "Store item"
                        },
                        "Store item": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": { "FunctionName": "store", "Payload.$": "$" },
                            "End": true
                        }
                    }
                },
                "End": true
            }
        }
    });
    serde_json::to_string_pretty(&machine).unwrap_or_default()
}

/// The `runmap` input: `{"items": [0, 1, ..., 9999]}`.
pub(crate) fn runmap_input() -> String {
    json!({ "items": (0..RUNMAP_ITEMS).collect::<Vec<_>>() }).to_string()
}
