//! `asl conformance`: runs the AWS-recorded corpus and scores results and exact histories.
//!
//! Each case is run with its definition, input, mocks and context; the interpreter's
//! result and history are normalised as the corpus README prescribes and compared with
//! the recording. A panic or a hang in one case counts as that case's failure only.

mod compare;
mod normalise;
mod report;

use asl_interp::mock::{Mocks, Unmocked};
use asl_interp::{RunOptions, compile};
use compare::{Diff, Matcher, compare_events};
use report::{TopicCounts, Verdict, table, topic_of};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const HELP: &str = "\
asl conformance [PATH...] [--json] [--diff ID] [--failures]

Runs the conformance corpus (cases recorded on AWS) and prints per-topic pass rates for
the execution result (status, output, error, cause) and the exact history.

    PATH         case files or folders (default: ../shared/conformance/cases/, searched
                 from the current folder and the repository upwards)
    --json       one JSON object per case: {\"id\",\"topic\",\"result\",\"history\",\"reason\"}
                 (history is \"n/a\" for cases recorded without history)
    --diff ID    run one case and show its differences (first differing field with path)
    --failures   after the table, list the failing cases with their first difference";

/// How long one case may run before it counts as a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(20);

/// The outcome of one case.
pub(crate) struct Outcome {
    pub id: String,
    pub result: Verdict,
    pub history: Verdict,
    /// Why the result comparison failed (or the case could not run).
    pub result_reason: Option<String>,
    /// Why the history comparison failed.
    pub history_reason: Option<String>,
    /// The normalised actual document (for `--diff`).
    pub actual: Option<Value>,
}

impl Outcome {
    fn broken(id: String, reason: String) -> Outcome {
        Outcome {
            id,
            result: Verdict::Fail,
            history: Verdict::Fail,
            result_reason: Some(reason.clone()),
            history_reason: Some(reason),
            actual: None,
        }
    }
}

pub(crate) fn run(args: Vec<String>) -> u8 {
    let mut paths = Vec::new();
    let mut json_out = false;
    let mut failures = false;
    let mut diff_id: Option<String> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json_out = true,
            "--failures" => failures = true,
            "--diff" => match it.next() {
                Some(id) => diff_id = Some(id),
                None => {
                    eprintln!("asl conformance: --diff needs a case id\n\n{HELP}");
                    return 2;
                }
            },
            "-h" | "--help" => {
                println!("{HELP}");
                return 0;
            }
            s if s.starts_with('-') => {
                eprintln!("asl conformance: unknown option `{s}`\n\n{HELP}");
                return 2;
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        match default_corpus() {
            Some(p) => paths.push(p),
            None => {
                eprintln!(
                    "asl conformance: no corpus found (looked for shared/conformance/cases/ next to the current folder and the repository); give a PATH"
                );
                return 2;
            }
        }
    }
    let files = match collect_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("asl conformance: {e}");
            return 2;
        }
    };
    if let Some(id) = diff_id {
        return show_diff(&files, &id);
    }
    if files.is_empty() {
        eprintln!("asl conformance: no case files (*.json) found");
        return 2;
    }
    quiet_panics();
    let mut topics: BTreeMap<String, TopicCounts> = BTreeMap::new();
    let mut failing = Vec::new();
    // Writes ignore errors: a closed pipe (`| head`) must not panic.
    let mut out = std::io::stdout().lock();
    for file in &files {
        let o = run_file_guarded(file);
        topics
            .entry(topic_of(&o.id).to_string())
            .or_default()
            .add(o.result, o.history);
        if json_out {
            let reason = o.result_reason.as_ref().or(o.history_reason.as_ref());
            let mut line = json!({
                "id": o.id,
                "topic": topic_of(&o.id),
                "result": o.result.as_str(),
                "history": o.history.as_str(),
            });
            if let Some(r) = reason {
                line["reason"] = Value::String(first_line(r));
            }
            let _ = writeln!(out, "{line}");
        } else if failures && (o.result == Verdict::Fail || o.history == Verdict::Fail) {
            let reason = o
                .result_reason
                .as_ref()
                .or(o.history_reason.as_ref())
                .map(|r| first_line(r))
                .unwrap_or_default();
            failing.push(format!(
                "{} (result {}, history {}): {reason}",
                o.id,
                o.result.as_str(),
                o.history.as_str()
            ));
        }
    }
    if !json_out {
        let _ = write!(out, "{}", table(&topics));
        if failures {
            let _ = writeln!(out, "\nFailing cases:");
            for f in failing {
                let _ = writeln!(out, "  {f}");
            }
        } else {
            let _ = writeln!(
                out,
                "\n(--failures lists failing cases; --diff ID shows one case's differences)"
            );
        }
    }
    0
}

fn first_line(s: &str) -> String {
    let line: String = s.lines().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 240 {
        let cut: String = line.chars().take(240).collect();
        format!("{cut}…")
    } else {
        line
    }
}

/// Silences the default panic message; panics are reported per case instead.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

fn default_corpus() -> Option<PathBuf> {
    let rel = Path::new("shared").join("conformance").join("cases");
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Ok(exe) = std::env::current_exe() {
        starts.push(exe);
    }
    starts.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    for start in starts {
        for dir in start.ancestors() {
            for candidate in [dir.join(&rel), dir.join("..").join(&rel)] {
                if candidate.is_dir() {
                    return Some(candidate);
                }
            }
        }
    }
    None
}

/// Expands folders into their `*.json` files, sorted by name.
pub(crate) fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    Ok(files)
}

fn id_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Runs one case file on a worker thread, turning panics and hangs into failures.
/// A case that could not run still counts for the history rate only if it has a history.
fn run_file_guarded(file: &Path) -> Outcome {
    let mut o = run_file_on_thread(file);
    if o.actual.is_none() && o.history == Verdict::Fail && !has_history(file) {
        o.history = Verdict::NotApplicable;
        o.history_reason = None;
    }
    o
}

/// Whether the case file records a history (`expected.events` is not null); unreadable
/// files count as having one, so that they are not silently left out of the rates.
fn has_history(file: &Path) -> bool {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .is_none_or(|case| !case.pointer("/expected/events").is_some_and(Value::is_null))
}

fn run_file_on_thread(file: &Path) -> Outcome {
    let id = id_of(file);
    let (tx, rx) = mpsc::channel();
    let path = file.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name(format!("case {id}"))
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            let r = std::panic::catch_unwind(|| run_file(&path));
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Outcome::broken(id, format!("could not start a worker thread: {e}"));
    }
    match rx.recv_timeout(CASE_TIMEOUT) {
        Ok(Ok(o)) => o,
        Ok(Err(payload)) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Outcome::broken(id, format!("the interpreter panicked: {msg}"))
        }
        Err(_) => Outcome::broken(
            id,
            format!(
                "the case did not finish within {} s",
                CASE_TIMEOUT.as_secs()
            ),
        ),
    }
}

fn run_file(file: &Path) -> Outcome {
    let id = id_of(file);
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return Outcome::broken(id, format!("cannot read {}: {e}", file.display())),
    };
    let case: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return Outcome::broken(id, format!("the case is not valid JSON: {e}")),
    };
    run_case(&id, &case)
}

/// Runs one parsed case and compares it with its recording.
pub(crate) fn run_case(id: &str, case: &Value) -> Outcome {
    let id = case
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or(id)
        .to_string();
    let Some(expected) = case.get("expected").filter(|e| e.is_object()) else {
        return Outcome::broken(id, "the case has no `expected` object".into());
    };
    let Some(definition) = case.get("definition") else {
        return Outcome::broken(id, "the case has no `definition`".into());
    };
    let rules = match normalise::parse_rules(expected.get("normalize")) {
        Ok(r) => r,
        Err(e) => return Outcome::broken(id, e),
    };
    let program = match compile(definition) {
        Ok(p) => p,
        Err(e) => {
            return Outcome::broken(
                id,
                format!(
                    "the definition does not compile: {} (at {})",
                    e.message, e.pointer
                ),
            );
        }
    };
    let mut mocks = match Mocks::from_corpus(case.get("mocks").unwrap_or(&Value::Null)) {
        Ok(m) => m.with_unmocked(Unmocked::Fail),
        Err(e) => return Outcome::broken(id, format!("bad mocks: {e}")),
    };
    let mut opts = RunOptions::from_corpus_context(case.get("context").unwrap_or(&Value::Null));
    repair_role_arn(&mut opts, expected);
    let input = case.get("input").cloned().unwrap_or(json!({}));
    let result = asl_interp::run(&program, input, &opts, &mut mocks);

    // Steps 1 to 3 of the README: one document, so that references number consistently.
    let events: Vec<Value> = result
        .events
        .iter()
        .map(|e| {
            let mut v = e.to_aws_json();
            if let Some(o) = v.as_object_mut() {
                o.remove("timestamp");
            }
            normalise::parse_event_texts(&mut v);
            v
        })
        .collect();
    let mut doc = json!({
        "status": result.status.as_aws(),
        "output": result.output.clone().unwrap_or(Value::Null),
        "error": result.error.clone().map(Value::String).unwrap_or(Value::Null),
        "cause": result.cause.clone().map(Value::String).unwrap_or(Value::Null),
        "events": events,
    });
    normalise::normalise(&mut doc, &rules);

    let wildcards: Vec<String> = rules
        .iter()
        .filter_map(|r| match r {
            normalise::Rule::UnknownValue { replacement } => Some(replacement.clone()),
            _ => None,
        })
        .collect();
    let loose = rules.iter().any(|r| matches!(r, normalise::Rule::Other));
    let matcher = Matcher::new(wildcards, loose);

    let result_diff = compare_result(&mut matcher.clone(), expected, &doc);
    let (history, history_reason) = match expected.get("events") {
        None | Some(Value::Null) => (Verdict::NotApplicable, None),
        Some(Value::Array(exp_events)) => {
            let act = doc["events"].as_array().cloned().unwrap_or_default();
            let unordered = expected.get("eventsOrder").and_then(Value::as_str)
                == Some("parallel-blocks-unordered");
            match compare_events(&mut matcher.clone(), exp_events, &act, unordered) {
                Ok(()) => (Verdict::Pass, None),
                Err(d) => (Verdict::Fail, Some(format!("history {d}"))),
            }
        }
        Some(_) => (
            Verdict::Fail,
            Some("`expected.events` is neither null nor an array".to_string()),
        ),
    };
    Outcome {
        id,
        result: if result_diff.is_none() {
            Verdict::Pass
        } else {
            Verdict::Fail
        },
        history,
        result_reason: result_diff,
        history_reason,
        actual: Some(doc),
    }
}

/// Some cases give the stand-in `snf_role_arn` as `RoleArn` while their recording shows a
/// normalised role ARN (`arn:<partition>:iam::...:role/<resource:N>`). The harness then
/// runs with a role ARN of that shape whose name is the stand-in, so that normalisation
/// produces the recorded form; the interpreter cannot know the real name anyway.
fn repair_role_arn(opts: &mut RunOptions, expected: &Value) {
    let recorded = expected
        .pointer("/events/0/executionStartedEventDetails/roleArn")
        .and_then(Value::as_str);
    if let Some(recorded) = recorded
        && recorded.starts_with("arn:")
        && !opts.context.role_arn.starts_with("arn:")
        && let Some((prefix, _)) = recorded.rsplit_once('/')
    {
        let prefix = prefix
            .replace("arn:<partition>:", "arn:aws:")
            .replace("<region>", "us-east-1");
        opts.context.role_arn = format!("{prefix}/{}", opts.context.role_arn);
    }
}

/// Compares status, then output (succeeded) or error and cause (failed).
fn compare_result(m: &mut Matcher, expected: &Value, doc: &Value) -> Option<String> {
    let want = expected.get("status").and_then(Value::as_str).unwrap_or("");
    let got = doc["status"].as_str().unwrap_or("");
    if want != got {
        let mut msg = format!("status: expected {want}, actual {got}");
        if got == "FAILED" {
            msg.push_str(&format!(
                " (error {}, cause {})",
                doc["error"],
                first_line(&doc["cause"].to_string())
            ));
        }
        return Some(msg);
    }
    let fields: &[&str] = if want == "SUCCEEDED" {
        &["output"]
    } else {
        &["error", "cause"]
    };
    // The recorder sometimes normalised the result only where it appears in the history
    // (rules such as `$..events..executionSucceededEventDetails.output.X`): the same values,
    // normalised inside the final event, are the second chance.
    let final_details = doc["events"].as_array().and_then(|events| {
        events.iter().rev().find_map(|e| {
            e.get("executionSucceededEventDetails")
                .or_else(|| e.get("executionFailedEventDetails"))
        })
    });
    for f in fields {
        let e = expected.get(*f).unwrap_or(&Value::Null);
        let direct = m.compare(e, &doc[*f], &format!("/{f}"));
        let Err(Diff {
            path,
            expected,
            actual,
        }) = direct
        else {
            continue;
        };
        let in_event = final_details
            .and_then(|d| d.get(*f))
            .is_some_and(|v| m.compare(e, v, &format!("/{f}")).is_ok());
        if !in_event {
            return Some(format!(
                "result at {path}:\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    None
}

fn show_diff(files: &[PathBuf], id: &str) -> u8 {
    let Some(file) = files
        .iter()
        .find(|f| id_of(f) == id)
        .or_else(|| files.iter().find(|f| id_of(f).starts_with(id)))
    else {
        eprintln!("asl conformance: no case `{id}` among the given paths");
        return 2;
    };
    quiet_panics();
    let o = run_file_guarded(file);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "case {}", o.id);
    let _ = writeln!(out, "result:  {}", o.result.as_str());
    if let Some(r) = &o.result_reason {
        let _ = writeln!(out, "  {}", r.replace('\n', "\n  "));
    }
    let _ = writeln!(out, "history: {}", o.history.as_str());
    if let Some(r) = &o.history_reason {
        let _ = writeln!(out, "  {}", r.replace('\n', "\n  "));
    }
    // Show the events around the first difference, side by side.
    let case: Option<Value> = std::fs::read_to_string(file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    if let (Some(case), Some(doc), Some(reason)) = (case, &o.actual, &o.history_reason)
        && let Some(index) = reason
            .split("/events/")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse::<usize>().ok())
    {
        let exp = case["expected"]["events"].get(index);
        let act = doc["events"].get(index);
        let pretty = |v: Option<&Value>| {
            v.map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                .unwrap_or_else(|| "(none)".into())
        };
        let _ = writeln!(out, "\nexpected event {index}:\n{}", pretty(exp));
        let _ = writeln!(out, "\nactual event {index}:\n{}", pretty(act));
        let types = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| e["type"].as_str().unwrap_or("?").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let _ = writeln!(
            out,
            "\nexpected types: {}\nactual types:   {}",
            types(&case["expected"]["events"]).join(" "),
            types(&doc["events"]).join(" ")
        );
    }
    if o.result == Verdict::Pass && o.history != Verdict::Fail {
        0
    } else {
        1
    }
}
