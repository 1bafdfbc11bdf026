//! Runs the shared conformance corpus (if present) and reports result/history matches per topic.
//!
//! This is development feedback only: the official comparison (full normalisation) is
//! `asl conformance`. Set `ASL_CORPUS_FILTER=substring` to run a subset and
//! `ASL_CORPUS_REPORT=path` to write the list of mismatches.

use std::collections::BTreeMap;
use std::path::PathBuf;

use asl_interp::{RunOptions, TaskAnswer, TaskHandler, TaskRequest};
use serde_json::Value;

struct CaseMocks {
    entries: BTreeMap<String, Vec<(Value, bool)>>,
}

fn answer_of(entry: &Value) -> TaskAnswer {
    let base = if let Some(r) = entry.get("Return") {
        TaskAnswer::Return(r.clone())
    } else if let Some(t) = entry.get("Throw") {
        let error = t.get("Error").and_then(Value::as_str).map(str::to_string);
        let cause = t.get("Cause").map(|c| match c {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        if t.get("TimedOut") == Some(&Value::Bool(true))
            || entry.get("TimedOut") == Some(&Value::Bool(true))
        {
            TaskAnswer::TimedOut { error, cause }
        } else {
            TaskAnswer::Throw { error, cause }
        }
    } else {
        TaskAnswer::Return(Value::Null)
    };
    match entry.get("Submitted") {
        Some(s) => TaskAnswer::Submitted {
            submitted: s.clone(),
            then: Box::new(base),
        },
        None => base,
    }
}

impl TaskHandler for CaseMocks {
    fn invoke(&mut self, req: &TaskRequest) -> TaskAnswer {
        let Some(list) = self.entries.get_mut(&*req.state_name) else {
            return TaskAnswer::Throw {
                error: Some("Mock.Missing".into()),
                cause: Some(format!("no mock for {}", req.state_name)),
            };
        };
        let want: Vec<Value> = req
            .map_path
            .iter()
            .map(|(m, i)| serde_json::json!({"Map": &**m, "Index": i}))
            .collect();
        let pos = list
            .iter()
            .position(|(e, used)| {
                !used
                    && (want.is_empty()
                        || e.get("MapIterations").and_then(Value::as_array) == Some(&want))
            })
            .or_else(|| list.iter().position(|(_, used)| !used));
        match pos {
            Some(p) => {
                list[p].1 = true;
                answer_of(&list[p].0)
            }
            None => TaskAnswer::Throw {
                error: Some("Mock.Exhausted".into()),
                cause: Some(format!("mocks for {} exhausted", req.state_name)),
            },
        }
    }
}

fn normalise_actual(s: &str) -> String {
    s.replace("arn:aws:", "arn:<partition>:")
        .replace("us-east-1", "<region>")
}

/// Loose equality: expected strings with placeholders or dates match anything.
fn loose_eq(exp: &Value, act: &Value) -> bool {
    match (exp, act) {
        (Value::String(e), _) if e.contains('<') && e.contains('>') => true,
        (Value::String(e), _) if e == "date" || e == "timestamp" => true,
        (Value::String(e), Value::String(a)) => {
            if e == a || *e == normalise_actual(a) {
                return true;
            }
            // A cause that is JSON text on one side and parsed on the other.
            match (
                serde_json::from_str::<Value>(e),
                serde_json::from_str::<Value>(a),
            ) {
                (Ok(ev), Ok(av)) if ev.is_object() || ev.is_array() => loose_eq(&ev, &av),
                _ => false,
            }
        }
        (Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| loose_eq(x, y))
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|av| loose_eq(v, av)))
        }
        (Value::Object(_) | Value::Array(_), Value::String(a)) => serde_json::from_str::<Value>(a)
            .map(|av| loose_eq(exp, &av))
            .unwrap_or(false),
        _ => exp == act,
    }
}

fn reparse(val: &mut Value, objects_only: bool) {
    if let Value::String(s) = val
        && let Ok(p) = serde_json::from_str::<Value>(s)
        && (!objects_only || p.is_object())
    {
        *val = p;
    }
}

fn parse_text_fields(v: &mut Value) {
    if let Value::Object(m) = v {
        for (k, val) in m.iter_mut() {
            match k.as_str() {
                "input" | "output" | "parameters" => reparse(val, false),
                "cause" => reparse(val, true),
                "assignedVariables" => {
                    if let Value::Object(av) = val {
                        for (_, x) in av.iter_mut() {
                            reparse(x, false);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[test]
fn corpus() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/cases");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not found at {}, skipping", dir.display());
        return;
    };
    let filter = std::env::var("ASL_CORPUS_FILTER").unwrap_or_default();
    let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    // topic -> (total, result ok, history total, history ok)
    let mut stats: BTreeMap<String, (u32, u32, u32, u32)> = BTreeMap::new();
    let mut report = String::new();
    for f in files {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if !name.ends_with(".json") || !name.contains(&filter) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(case) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let topic = name.split("__").next().unwrap_or("").to_string();
        let exp = &case["expected"];
        let mut mocks = CaseMocks {
            entries: BTreeMap::new(),
        };
        if let Some(m) = case["mocks"].as_object() {
            for (k, v) in m {
                let list = v.as_array().cloned().unwrap_or_default();
                mocks
                    .entries
                    .insert(k.clone(), list.into_iter().map(|e| (e, false)).collect());
            }
        }
        let opts = RunOptions::from_corpus_context(&case["context"]);
        let res = match asl_interp::compile(&case["definition"]) {
            Ok(p) => asl_interp::run(&p, case["input"].clone(), &opts, &mut mocks),
            Err(e) => {
                report.push_str(&format!("{name}: COMPILE {} at {}\n", e.message, e.pointer));
                stats.entry(topic).or_default().0 += 1;
                continue;
            }
        };
        let entry = stats.entry(topic).or_default();
        entry.0 += 1;
        let status_ok = res.status.as_aws() == exp["status"].as_str().unwrap_or("");
        let out_ok = if res.status.as_aws() == "SUCCEEDED" {
            loose_eq(&exp["output"], res.output.as_ref().unwrap_or(&Value::Null))
        } else {
            let e_ok = exp.get("error").is_none_or(|e| {
                loose_eq(
                    e,
                    &res.error.clone().map(Value::String).unwrap_or(Value::Null),
                )
            });
            let c_ok = exp.get("cause").is_none_or(|c| {
                loose_eq(
                    c,
                    &res.cause.clone().map(Value::String).unwrap_or(Value::Null),
                )
            });
            e_ok && c_ok
        };
        let result_ok = status_ok && out_ok;
        if result_ok {
            entry.1 += 1;
        }
        let mut hist_note = String::new();
        if let Some(evs) = exp["events"].as_array() {
            entry.2 += 1;
            let unordered = exp["eventsOrder"].as_str() == Some("parallel-blocks-unordered");
            let mut ok = evs.len() == res.events.len();
            if ok {
                for (i, (e, a)) in evs.iter().zip(&res.events).enumerate() {
                    let mut aj = a.to_aws_json();
                    if let Some(o) = aj.as_object_mut() {
                        for (_, v) in o.iter_mut() {
                            parse_text_fields(v);
                        }
                        o.remove("timestamp");
                    }
                    let mut ej = e.clone();
                    if let Some(o) = ej.as_object_mut() {
                        if unordered && o.get("id").is_some_and(Value::is_null) {
                            continue;
                        }
                        if aj.get("type") != o.get("type") {
                            ok = false;
                            hist_note = format!("event {i}: type {} vs {}", o["type"], aj["type"]);
                            break;
                        }
                    }
                    if !loose_eq(&ej, &aj) {
                        ok = false;
                        hist_note = format!("event {i}: expected {} got {}", ej, aj);
                        break;
                    }
                }
            } else {
                let et: Vec<&str> = evs.iter().filter_map(|e| e["type"].as_str()).collect();
                let at: Vec<&str> = res.events.iter().map(|e| e.kind).collect();
                hist_note = format!(
                    "len {} vs {}: {:?} vs {:?}",
                    evs.len(),
                    res.events.len(),
                    et,
                    at
                );
            }
            if ok {
                entry.3 += 1;
            }
        }
        if !result_ok {
            report.push_str(&format!(
                "{name}: RESULT status {} (want {}) out {} err {:?} cause {:?} | want out {} err {} cause {}\n",
                res.status.as_aws(),
                exp["status"],
                res.output.as_ref().map(|o| o.to_string()).unwrap_or_default().chars().take(300).collect::<String>(),
                res.error,
                res.cause.as_deref().map(|c| c.chars().take(300).collect::<String>()),
                exp["output"].to_string().chars().take(300).collect::<String>(),
                exp["error"],
                exp["cause"].to_string().chars().take(300).collect::<String>(),
            ));
        } else if !hist_note.is_empty() {
            report.push_str(&format!(
                "{name}: HISTORY {}\n",
                hist_note.chars().take(1200).collect::<String>()
            ));
        }
    }
    let mut summary = String::new();
    let (mut t0, mut t1, mut t2, mut t3) = (0, 0, 0, 0);
    for (topic, (n, r, hn, h)) in &stats {
        summary.push_str(&format!(
            "{topic:20} result {r:4}/{n:<4} history {h:4}/{hn:<4}\n"
        ));
        t0 += n;
        t1 += r;
        t2 += hn;
        t3 += h;
    }
    summary.push_str(&format!(
        "{:20} result {t1:4}/{t0:<4} history {t3:4}/{t2:<4}\n",
        "TOTAL"
    ));
    eprintln!("{summary}");
    if let Ok(p) = std::env::var("ASL_CORPUS_REPORT") {
        let _ = std::fs::write(p, format!("{summary}\n{report}"));
    }
}
