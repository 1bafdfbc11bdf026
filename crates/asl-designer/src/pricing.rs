//! What a run would cost on AWS Step Functions, from its history: Standard workflows pay per
//! state transition, Express workflows per request and per GB-second of duration.
//!
//! Prices are AWS's published us-east-1 list prices (<https://aws.amazon.com/step-functions/pricing/>),
//! kept in [`PRICES`] so the UI can state them:
//!
//! * Standard: $0.025 per 1,000 state transitions, after 4,000 free transitions a month.
//!   A transition is counted for every state entered, and for every retry.
//! * Express: $1.00 per million requests (one per execution) plus duration, billed in 100 ms
//!   steps (rounded up) times memory billed in 64 MB chunks, at $0.06 per GB-hour for the
//!   first 1,000 GB-hours a month, $0.03 for the next 4,000 and $0.01642 beyond.
//!   Memory is estimated as AWS does: 50 MB + definition size + execution data size (one
//!   iteration's or branch's largest payload, see [`Usage::data_bytes`]) × the
//!   number of Map iterations and Parallel states (at least 1), in decimal megabytes as in
//!   AWS's worked example (50 KB + 400 × 32 KB → 62.85 MB).
//!
//! A simulated run's duration is its virtual time: mocked tasks take no time unless a delay
//! is mocked, so the Express duration is a lower bound.

use serde_json::Value;

/// The list prices used by the estimate (US East, N. Virginia).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prices {
    /// Dollars per Standard state transition.
    pub per_transition: f64,
    /// Free Standard state transitions per month.
    pub free_transitions: u64,
    /// Dollars per Express request.
    pub per_request: f64,
    /// Express duration tiers: (GB-hours in the tier, or `None` for the rest; dollars per GB-hour).
    pub gb_hour_tiers: [(Option<f64>, f64); 3],
    /// The fixed part of an Express execution's memory, in MB.
    pub base_memory_mb: f64,
    /// Express memory is billed in chunks of this many MB.
    pub memory_chunk_mb: f64,
    /// Express duration is billed in steps of this many milliseconds.
    pub duration_step_ms: i64,
}

/// AWS's published us-east-1 prices.
pub const PRICES: Prices = Prices {
    per_transition: 0.025 / 1000.0,
    free_transitions: 4000,
    per_request: 1.0 / 1_000_000.0,
    gb_hour_tiers: [(Some(1000.0), 0.06), (Some(4000.0), 0.03), (None, 0.01642)],
    base_memory_mb: 50.0,
    memory_chunk_mb: 64.0,
    duration_step_ms: 100,
};

/// What a run used, as read from its history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    /// State transitions: states entered plus retries.
    pub transitions: u64,
    /// From the start to the end of the execution (virtual time), in milliseconds.
    pub duration_ms: i64,
    /// The definition's size in bytes.
    pub definition_bytes: usize,
    /// The execution data size, in bytes: the largest state input or output inside a Map
    /// iteration or a Parallel branch when there are any (the payload of one step), else the
    /// largest of the run.
    pub data_bytes: usize,
    /// Map iterations and Parallel states started.
    pub map_parallel_steps: u64,
}

impl Usage {
    /// Reads a history given as `(event type, details)` pairs, where payloads are JSON text
    /// as in `GetExecutionHistory`, and their times in milliseconds.
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = (&'a str, &'a Value, i64)>,
        definition_bytes: usize,
    ) -> Usage {
        let mut u = Usage {
            definition_bytes,
            ..Usage::default()
        };
        let (mut first, mut last) = (None, 0);
        let mut scheduled_in_state = 0u64;
        let (mut depth, mut inner, mut outer) = (0usize, 0usize, 0usize);
        for (kind, details, at) in events {
            first.get_or_insert(at);
            last = at;
            if kind.ends_with("StateEntered") {
                u.transitions += 1;
                scheduled_in_state = 0;
            } else if kind.ends_with("Scheduled") || kind == "ActivityScheduled" {
                scheduled_in_state += 1;
                if scheduled_in_state > 1 {
                    u.transitions += 1;
                }
            }
            let opens = kind == "MapIterationStarted" || kind == "ParallelStateStarted";
            let closes = ["MapIteration", "ParallelState"].iter().any(|p| {
                kind.strip_prefix(p)
                    .is_some_and(|k| matches!(k, "Succeeded" | "Failed" | "Aborted"))
            });
            if opens {
                u.map_parallel_steps += 1;
                depth += 1;
            } else if closes {
                depth = depth.saturating_sub(1);
            }
            for key in ["input", "output"] {
                if let Some(v) = details.get(key) {
                    let n = match v {
                        Value::String(s) => s.len(),
                        other => other.to_string().len(),
                    };
                    if depth > 0 {
                        inner = inner.max(n);
                    } else {
                        outer = outer.max(n);
                    }
                }
            }
        }
        u.data_bytes = if u.map_parallel_steps > 0 {
            inner
        } else {
            outer
        };
        u.duration_ms = last - first.unwrap_or(last);
        u
    }
}

/// The estimate of one run, and of a month of such runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Standard: dollars for this run's transitions (free tier not applied).
    pub standard_run: f64,
    /// Standard: dollars per month for `executions` runs, after the free tier.
    pub standard_month: f64,
    /// Express: estimated memory in MB.
    pub memory_mb: f64,
    /// Express: billed memory in MB (64 MB chunks).
    pub billed_memory_mb: f64,
    /// Express: billed duration in milliseconds (100 ms steps, at least one).
    pub billed_duration_ms: i64,
    /// Express: dollars for this run (request plus first-tier duration).
    pub express_run: f64,
    /// Express: dollars per month for `executions` runs, with the duration tiers.
    pub express_month: f64,
}

/// Estimates a run's cost and a month of `executions` such runs.
pub fn estimate(usage: &Usage, executions: u64, prices: &Prices) -> Estimate {
    let standard_run = usage.transitions as f64 * prices.per_transition;
    let month_transitions = usage.transitions.saturating_mul(executions);
    let standard_month =
        month_transitions.saturating_sub(prices.free_transitions) as f64 * prices.per_transition;
    let memory_mb = prices.base_memory_mb
        + (usage.definition_bytes as f64
            + usage.data_bytes as f64 * usage.map_parallel_steps.max(1) as f64)
            / 1_000_000.0;
    let billed_memory_mb = (memory_mb / prices.memory_chunk_mb).ceil() * prices.memory_chunk_mb;
    let step = prices.duration_step_ms;
    let billed_duration_ms = ((usage.duration_ms.max(1) + step - 1) / step) * step;
    let gb_seconds = billed_duration_ms as f64 / 1000.0 * billed_memory_mb / 1024.0;
    let first_tier = prices.gb_hour_tiers[0].1 / 3600.0;
    let express_run = prices.per_request + gb_seconds * first_tier;
    let mut gb_hours = gb_seconds * executions as f64 / 3600.0;
    let mut duration_month = 0.0;
    for (size, per_gb_hour) in prices.gb_hour_tiers {
        let here = size.map_or(gb_hours, |s| gb_hours.min(s));
        duration_month += here * per_gb_hour;
        gb_hours -= here;
    }
    Estimate {
        standard_run,
        standard_month,
        memory_mb,
        billed_memory_mb,
        billed_duration_ms,
        express_run,
        express_month: executions as f64 * prices.per_request + duration_month,
    }
}

/// Dollars as text: cents for amounts of a cent or more, else enough digits to show the
/// first two significant ones.
pub fn dollars(x: f64) -> String {
    if x == 0.0 {
        return "$0".into();
    }
    if x >= 0.01 {
        return format!("${x:.2}");
    }
    let digits = (-x.log10()).ceil() as usize + 1;
    format!("${x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(case: &Value) -> Value {
        let u = &case["usage"];
        let n = |k: &str| u[k].as_u64().unwrap_or(0);
        let usage = Usage {
            transitions: n("transitions"),
            duration_ms: n("duration_ms") as i64,
            definition_bytes: n("definition_bytes") as usize,
            data_bytes: n("data_bytes") as usize,
            map_parallel_steps: n("map_parallel_steps"),
        };
        let e = estimate(&usage, case["executions"].as_u64().unwrap_or(1), &PRICES);
        json!({
            "standard_run": dollars(e.standard_run),
            "standard_month": dollars(e.standard_month),
            "memory_mb": format!("{:.2}", e.memory_mb),
            "billed_memory_mb": e.billed_memory_mb,
            "billed_duration_ms": e.billed_duration_ms,
            "express_run": dollars(e.express_run),
            "express_month": dollars(e.express_month),
        })
    }

    /// `test_data/pricing/cases.json`: each case's usage and month size, and the estimate
    /// expected (AWS's published examples among them). `UPDATE_EXPECT=1` rewrites it.
    #[test]
    fn estimates() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/pricing/cases.json");
        let text = std::fs::read_to_string(&path).expect("cases.json");
        let mut cases: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");
        let mut failures = Vec::new();
        for case in &mut cases {
            let got = check(case);
            if case["expect"] != got {
                failures.push(format!("{}: {got}", case["name"]));
            }
            case["expect"] = got;
        }
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            let out = serde_json::to_string_pretty(&cases).expect("JSON") + "\n";
            std::fs::write(&path, out).expect("write");
            return;
        }
        assert!(
            failures.is_empty(),
            "estimates differ:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn usage_from_history() {
        let input = json!({"input": "{\"a\":12345}"});
        let none = json!({});
        let item = json!({"input": "{\"id\":1}"});
        let events = [
            ("ExecutionStarted", &input, 1000),
            ("TaskStateEntered", &none, 1000),
            ("TaskScheduled", &none, 1000),
            ("TaskFailed", &none, 1100),
            ("TaskScheduled", &none, 2100),
            ("TaskSucceeded", &none, 2200),
            ("TaskStateExited", &none, 2200),
            ("MapStateEntered", &none, 2200),
            ("MapIterationStarted", &none, 2200),
            ("PassStateEntered", &item, 2200),
            ("MapIterationSucceeded", &none, 2200),
            ("MapIterationStarted", &none, 2200),
            ("MapIterationSucceeded", &none, 2200),
            ("ExecutionSucceeded", &none, 2250),
        ];
        let u = Usage::from_events(events, 300);
        assert_eq!(
            u,
            Usage {
                transitions: 4,
                duration_ms: 1250,
                definition_bytes: 300,
                data_bytes: 8,
                map_parallel_steps: 2,
            }
        );
    }
}
