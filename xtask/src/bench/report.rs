//! Renders the measurements as `docs/performance.md` and as a short console summary.
//!
//! Every number in the document comes from the raw results of one `cargo xtask bench` run;
//! ratios are always between numbers taken in that same run, minutes apart.

use std::fmt::Write as _;

use serde_json::Value;

use super::Results;

/// The targets from the issues.
const INTERP_TARGET: f64 = 50.0;
const VALIDATE_TARGET: f64 = 20.0;
const LAYOUT_TARGET: f64 = 10.0;
const EDITOR_TARGET_MS: f64 = 16.0;
const ELK_SYNTH_CROSSINGS: u64 = 5149;
const SUGIYAMA_SYNTH_CROSSINGS: u64 = 4143;
/// aws-local-stepfunctions on map-10k in `shared/design/perf-baselines.md` (transitions/s).
const PEER_MAP_BASELINE: &str = "4,330";

const RUNTIMES: [(&str, &str); 3] = [
    ("native", "native (release)"),
    ("node", "wasm in Node"),
    ("chromium", "wasm in Chromium"),
];

fn runtime<'a>(r: &'a Results, key: &str) -> &'a Value {
    match key {
        "native" => &r.native,
        "node" => &r.node,
        _ => &r.chromium,
    }
}

fn item<'a>(res: &'a Value, section: &str, name: &str) -> Option<&'a Value> {
    res.get(section)?
        .as_array()?
        .iter()
        .find(|i| i["name"] == name)
}

fn median(v: Option<&Value>, key: &str) -> Option<f64> {
    v?.get(key)?.get("median")?.as_f64()
}

/// The median CPU time of a measurement, where the runtime has a CPU clock.
fn cpu(v: Option<&Value>, key: &str) -> Option<f64> {
    median(v, &format!("{key}_cpu"))
}

/// Peer ÷ ours by wall time and by CPU time, for the native build, Node and Chromium.
struct Ratios {
    native: (Option<f64>, Option<f64>),
    node: (Option<f64>, Option<f64>),
    chromium: Option<f64>,
}

impl Ratios {
    /// Ratios of a peer's (wall, CPU) medians over ours, for measurement `key` of `section/name`.
    fn of(
        r: &Results,
        peer: (Option<f64>, Option<f64>),
        section: &str,
        name: &str,
        key: &str,
    ) -> Ratios {
        let get = |rt: &str| item(runtime(r, rt), section, name);
        Ratios {
            native: (
                ratio(peer.0, median(get("native"), key)),
                ratio(peer.1, cpu(get("native"), key)),
            ),
            node: (
                ratio(peer.0, median(get("node"), key)),
                ratio(peer.1, cpu(get("node"), key)),
            ),
            chromium: ratio(peer.0, median(get("chromium"), key)),
        }
    }

    /// One table row: the three runtimes, then the status: native judged on CPU time (wall
    /// time if there is no CPU measurement), wasm judged in Chromium, where the studio runs.
    fn row(&self, d: &mut String, what: &str, target: f64) {
        let pair = |p: (Option<f64>, Option<f64>)| format!("{} · CPU {}", times(p.0), times(p.1));
        let judge = |p: (Option<f64>, Option<f64>)| p.1.or(p.0).map(|x| x >= target);
        let _ = writeln!(
            d,
            "| {what} | {} | {} | {} | native {}; wasm {} |",
            pair(self.native),
            pair(self.node),
            times(self.chromium),
            met(judge(self.native)),
            met(self.chromium.map(|x| x >= target).or(judge(self.node))),
        );
    }
}

/// Milliseconds with a precision that suits the magnitude.
fn ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn opt_ms(x: Option<f64>) -> String {
    x.map_or("–".into(), ms)
}

/// `median (min–max)` of a stats object.
fn spread(v: Option<&Value>, key: &str) -> String {
    let Some(t) = v.and_then(|v| v.get(key)) else {
        return match v.and_then(|v| v.get("error")).and_then(Value::as_str) {
            Some(e) => format!("error: {}", e.replace('|', "/")),
            None => "–".into(),
        };
    };
    let g = |k: &str| t.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    format!("{} ({}–{})", ms(g("median")), ms(g("min")), ms(g("max")))
}

fn ratio(peer: Option<f64>, ours: Option<f64>) -> Option<f64> {
    match (peer, ours) {
        (Some(p), Some(o)) if o > 0.0 => Some(p / o),
        _ => None,
    }
}

fn times(x: Option<f64>) -> String {
    match x {
        Some(x) if x >= 100.0 => format!("{x:.0}×"),
        Some(x) if x >= 10.0 => format!("{x:.0}×"),
        Some(x) => format!("{x:.2}×"),
        None => "–".into(),
    }
}

fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M/s", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.0} k/s", per_second / 1e3)
    } else {
        format!("{per_second:.0}/s")
    }
}

fn met(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "**met**",
        Some(false) => "**not met**",
        None => "not measured",
    }
}

fn peer_row<'a>(r: &'a Results, peer: &str, case: &str) -> Option<&'a Value> {
    r.peers.get("rows")?.as_array()?.iter().find(|row| {
        row["case"] == case && row["peer"].as_str().is_some_and(|p| p.starts_with(peer))
    })
}

fn peer_median(r: &Results, peer: &str, case: &str) -> Option<f64> {
    let row = peer_row(r, peer, case)?;
    if row.get("wrong").is_some_and(|w| !w.is_null()) {
        return None;
    }
    row.get("median")?.as_f64()
}

fn peer_cpu(r: &Results, peer: &str, case: &str) -> Option<f64> {
    let row = peer_row(r, peer, case)?;
    if row.get("wrong").is_some_and(|w| !w.is_null()) {
        return None;
    }
    row.get("cpu")?.as_f64()
}

fn peer_spread(r: &Results, peer: &str, case: &str) -> String {
    match peer_row(r, peer, case) {
        None => "–".into(),
        Some(row) if row.get("error").is_some() => {
            format!("FAILED: {}", row["error"].as_str().unwrap_or("?"))
        }
        Some(row) => {
            let g = |k: &str| row.get(k).and_then(Value::as_f64).unwrap_or(0.0);
            let wrong = row
                .get("wrong")
                .and_then(Value::as_str)
                .map_or(String::new(), |w| format!(" **wrong output: {w}**"));
            format!(
                "{} ({}–{}){wrong}",
                ms(g("median")),
                ms(g("min")),
                ms(g("max"))
            )
        }
    }
}

/// True when other work was running as the bench started. Only the start counts: by the end,
/// the bench's own processes (Chromium, Node, the peers) load the machine themselves.
fn heavy_load(r: &Results) -> bool {
    let nproc = r.env.get("nproc").and_then(Value::as_f64).unwrap_or(1.0);
    r.env
        .get("loadavg_start")
        .and_then(Value::as_str)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|x| x.parse::<f64>().ok())
        .is_some_and(|l| l > nproc / 2.0)
}

/// Per-case floor operation of the raw Rust program and the reason a real interpreter costs more.
fn floor_of(case: &str) -> (&'static str, &'static str) {
    match case {
        "loop-counter" => (
            "loop model: lookup + clone + build Parameters object (std)",
            "the floor hard-codes the loop; here the Choice rule and `States.MathAdd` go through the JSONPath and intrinsic evaluators, every changed output is walked for AWS's size and depth limits, and each transition records two history events (with shared payload snapshots)",
        ),
        "map-10k" => (
            "map-10k model: per item lookup + build Parameters object",
            "close to the floor: per item the same Parameters object, plus an iteration frame with its `$$.Map.Item` context and four history events; the 10,000 results are then shaped by the ResultSelector",
        ),
        "payload-heavy" => (
            "~200 KiB: read section + write audit in place, no clone (x100)",
            "the floor edits one document in place and records nothing; here each state also records two history events whose snapshots share the payload: an in-place change keeps only what it replaced (an undo record), the older payload is rebuilt when the history is read, and the 256 KiB and depth checks measure only the changed part",
        ),
        "task-heavy" => (
            "loop model: lookup + clone + build Parameters object (std)",
            "the floor models a bare Pass; here 103 of the 109 transitions are Task calls answered by the host (`Mocks`: a table lookup, a clone of the mocked result) with Scheduled/Started/Succeeded events and Retry bookkeeping, Parameters and ResultSelector, 736 events in all",
        ),
        _ => (
            "loop model: lookup + clone + build Parameters object (std)",
            "the floor models a bare Pass on a 2-key object; here each state builds a 4-field Parameters object from paths, Parallel branches start as frames and are joined, and every state records entered/exited events",
        ),
    }
}

/// The whole document.
pub(crate) fn render(r: &Results) -> String {
    let mut d = String::new();
    let e = |k: &str| {
        r.env
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let _ = writeln!(d, "# Performance\n");
    let _ = writeln!(
        d,
        "Generated by `cargo xtask bench{}{}` on {}. Every number below was measured in that one run, on this machine, next to the peers it is compared with; ratios are only ever taken between numbers of the same run.\n",
        if r.quick { " --quick" } else { "" },
        if r.only.is_empty() {
            String::new()
        } else {
            format!(" --only {}", r.only.join(","))
        },
        e("date")
    );
    if heavy_load(r) {
        let _ = writeln!(
            d,
            "> **Measured under load.** The load average was {} at the start and {} at the end on {} cores: other work was running on the same machine when the bench started. Absolute times are inflated and noisy (read them as ±50% or worse); the ratios are more stable because both sides ran minutes apart under similar load.\n",
            e("loadavg_start"),
            e("loadavg_end"),
            r.env.get("nproc").and_then(Value::as_u64).unwrap_or(0)
        );
    }
    if r.quick {
        let _ = writeln!(
            d,
            "> **Quick run:** 3–7 timed runs per case instead of 7–31, and fewer layout runs; use `cargo xtask bench` for the numbers to quote.\n"
        );
    }
    machine_section(&mut d, r);
    targets_section(&mut d, r);
    findings_section(&mut d, r);
    if r.has("interp") {
        interp_section(&mut d, r);
    }
    if r.has("validate") {
        validate_section(&mut d, r);
    }
    if r.has("layout") {
        layout_section(&mut d, r);
    }
    if r.has("jsonata") {
        jsonata_section(&mut d, r);
    }
    if r.has("editor") {
        editor_section(&mut d, r);
    }
    if r.has("runmap") {
        runmap_section(&mut d, r);
    }
    if r.has("size") {
        size_section(&mut d, r);
    }
    if r.has("interp") {
        floor_section(&mut d, r);
    }
    method_section(&mut d, r);
    d
}

fn machine_section(d: &mut String, r: &Results) {
    let e = |k: &str| {
        r.env
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let peer_versions = r
        .peers
        .get("env")
        .and_then(|e| e.get("versions"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !k.contains("statebox"))
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "–".into());
    let jsonata_v = r.jsonata_js["version"].as_str().unwrap_or("–");
    let layout_v = &r.layout_js["versions"];
    let _ = writeln!(d, "## Machine and versions\n");
    let _ = writeln!(
        d,
        "- **Machine:** {} × {} (`nproc`), {}, Linux {}.",
        e("cpu"),
        r.env.get("nproc").and_then(Value::as_u64).unwrap_or(0),
        e("memory"),
        e("kernel")
    );
    let _ = writeln!(
        d,
        "- **Load average** (1, 5, 15 min): {} at the start, {} at the end.",
        e("loadavg_start"),
        e("loadavg_end")
    );
    let _ = writeln!(
        d,
        "- **Toolchain:** {}; {}; Node {}; {}.",
        e("rustc"),
        e("wasm_bindgen"),
        e("node"),
        e("chromium")
    );
    let _ = writeln!(
        d,
        "- **Peers:** {peer_versions} (shared harness `shared/bench/peers`, Node {}); jsonata {jsonata_v}; @dagrejs/dagre {}; elkjs {}.\n",
        e("node"),
        layout_v["dagre"].as_str().unwrap_or("–"),
        layout_v["elkjs"].as_str().unwrap_or("–"),
    );
    for n in &r.notes {
        let _ = writeln!(d, "> {n}\n");
    }
}

fn interp_rate(r: &Results, rt: &str, case: &str) -> Option<f64> {
    median(item(runtime(r, rt), "interp", case), "time")
}

fn targets_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## Targets\n");
    let _ = writeln!(
        d,
        "Ratios are the peer's median over ours (higher is better), by wall time and, where both sides have a CPU clock, by CPU time (`CPU`). On a loaded machine wall time mostly measures how much of a core each process got, so the native status is judged on the CPU-time ratio. The wasm status is judged in Chromium, where the studio runs, on wall time (Chromium has no CPU clock); the Node column (Node 20, an older V8) is shown for reference.\n"
    );
    let _ = writeln!(
        d,
        "| target | native (wall · CPU) | wasm in Node (wall · CPU) | wasm in Chromium (wall) | status |"
    );
    let _ = writeln!(d, "|---|---:|---:|---:|---|");
    if r.has("interp") {
        for case in ["loop-counter", "map-10k", "task-heavy", "payload-heavy"] {
            let pc = format!("{case} (run)");
            let peer = (
                peer_median(r, "aws-local-stepfunctions", &pc),
                peer_cpu(r, "aws-local-stepfunctions", &pc),
            );
            let what = if case == "payload-heavy" {
                "faster"
            } else {
                "the throughput"
            };
            Ratios::of(r, peer, "interp", case, "time").row(
                d,
                &format!("{case}: ≥ 50× {what} of aws-local-stepfunctions"),
                INTERP_TARGET,
            );
        }
    }
    if r.has("validate") {
        let pc = "big-definition validate (default: paths + ARNs)";
        let peer = (
            peer_median(r, "asl-validator", pc),
            peer_cpu(r, "asl-validator", pc),
        );
        Ratios::of(r, peer, "validate", "big-definition", "time").row(
            d,
            "big-definition parse + validate: ≥ 20× faster than asl-validator",
            VALIDATE_TARGET,
        );
    }
    if r.has("layout") {
        let cross = |rt: &str, g: &str| {
            r.crossings
                .get(&format!("{rt}/{g}"))
                .and_then(Value::as_u64)
        };
        let show = |c: Option<u64>| c.map_or("–".into(), |c| c.to_string());
        let c60 = cross("chromium", "asl60").or(cross("node", "asl60"));
        let _ = writeln!(
            d,
            "| asl60: ≤ 1 crossing | {} | {} | {} | {} |",
            show(cross("native", "asl60")),
            show(cross("node", "asl60")),
            show(cross("chromium", "asl60")),
            met(c60.map(|c| c <= 1)),
        );
        Ratios::of(
            r,
            layout_peer(r, "dagre-js", "asl60"),
            "layout",
            "asl60",
            "time",
        )
        .row(d, "asl60: ≥ 10× faster than dagre-js", LAYOUT_TARGET);
        let c1000 = cross("chromium", "synth1000").or(cross("node", "synth1000"));
        let _ = writeln!(
            d,
            "| synth1000: fewer crossings than ELK ({ELK_SYNTH_CROSSINGS}) and rust-sugiyama ({SUGIYAMA_SYNTH_CROSSINGS}) | {} | {} | {} | {} |",
            show(cross("native", "synth1000")),
            show(cross("node", "synth1000")),
            show(cross("chromium", "synth1000")),
            met(c1000.map(|c| c < SUGIYAMA_SYNTH_CROSSINGS.min(ELK_SYNTH_CROSSINGS))),
        );
        Ratios::of(
            r,
            layout_peer(r, "elkjs", "synth1000"),
            "layout",
            "synth1000",
            "time",
        )
        .row(d, "synth1000: ≥ 10× faster than ELK", LAYOUT_TARGET);
    }
    if r.has("jsonata") {
        let g = |rt: &str, cpu_time: bool| jsonata_geomean(r, rt, cpu_time);
        let ratios = Ratios {
            native: (g("native", false), g("native", true)),
            node: (g("node", false), g("node", true)),
            chromium: g("chromium", false),
        };
        ratios.row(
            d,
            "JSONata: at least as fast as the jsonata npm package (geometric mean over the expressions)",
            1.0,
        );
    }
    if r.has("editor") {
        let dom = editor_dom_median(r);
        let pure: Vec<Option<f64>> = RUNTIMES
            .iter()
            .map(|(k, _)| median(item(runtime(r, k), "editor", "editor-200"), "time"))
            .collect();
        let (status, measured) = match dom {
            Some(m) => (
                met(Some(m <= EDITOR_TARGET_MS)),
                format!("{} ms in the studio", ms(m)),
            ),
            None => (
                met(pure[2].map(|m| m <= EDITOR_TARGET_MS)),
                format!("{} ms (pure work)", opt_ms(pure[2])),
            ),
        };
        let _ = writeln!(
            d,
            "| editor keystroke → diagnostics + graph, 200 states: ≤ 16 ms median (wall) | {} ms (pure work) | {} ms (pure work) | {measured} | {status} |",
            opt_ms(pure[0]),
            opt_ms(pure[1]),
        );
    }
    if r.has("runmap") {
        let gap = r.runmap["maxGapMs"].as_f64();
        let _ = writeln!(
            d,
            "| {}-item Map run in the studio: the page keeps painting (longest gap between frames < {RUNMAP_GAP_MS} ms) | – | – | {} | {} |",
            super::plan::RUNMAP_ITEMS,
            gap.map_or("–".into(), |g| format!("{} ms", ms(g))),
            met(gap.map(|g| g < RUNMAP_GAP_MS)),
        );
        let slowest = runmap_slowest_view(r);
        let _ = writeln!(
            d,
            "| … then the views (steps, events, step details, a Map iteration, graph overlay) open in < 1 s each | – | – | {} | {} |",
            slowest
                .as_ref()
                .map_or("–".into(), |(v, t)| format!("slowest: {v} {} ms", ms(*t))),
            met(slowest.map(|(_, t)| t < 1000.0)),
        );
    }
    let _ = writeln!(d);
}

/// The longest gap between animation frames during the `runmap` run that still counts as
/// the page painting throughout.
const RUNMAP_GAP_MS: f64 = 500.0;

/// The views of `runmap`, in the order they are opened, with their labels.
const RUNMAP_VIEWS: [(&str, &str); 5] = [
    ("events", "events"),
    ("table", "steps table"),
    ("details", "step details of the Map state"),
    ("iteration", "the last Map iteration picked in the table"),
    ("overlay", "graph overlay redrawn"),
];

/// The slowest view of `runmap` (`None` when a view was not measured).
fn runmap_slowest_view(r: &Results) -> Option<(&'static str, f64)> {
    let mut slowest: Option<(&'static str, f64)> = None;
    for (k, label) in RUNMAP_VIEWS {
        let t = r.runmap["views"][k].as_f64()?;
        if slowest.is_none_or(|(_, s)| t > s) {
            slowest = Some((label, t));
        }
    }
    slowest
}

fn runmap_section(d: &mut String, r: &Results) {
    let m = &r.runmap;
    let _ = writeln!(
        d,
        "## Run mode: a {}-item Map in the studio
",
        super::plan::RUNMAP_ITEMS
    );
    let _ = writeln!(
        d,
        "The built studio (`dist/`, headless Chromium, `bench/chromium.mjs runmap`) opens a machine whose inline Map runs a Pass and a Lambda Task per item (unmocked tasks echo their input; Express, since the history exceeds Standard's 25,000 events), with {} items as input. The run works in slices of about 8 ms of interpreter time and yields to the browser between them (`Execution::advance_bounded`); the views catch up with the new events slice by slice and redraw once a second. During the run a `requestAnimationFrame` loop records every frame and a `PerformanceObserver` every long task (> 50 ms). Afterwards each view is opened and timed from the click to the next animation frame after it is in the DOM.
",
        super::plan::RUNMAP_ITEMS
    );
    if let Some(e) = m["error"].as_str() {
        let _ = writeln!(
            d,
            "The measurement did not run: {e}
"
        );
        return;
    }
    let f = |k: &str| m[k].as_f64().map_or("–".into(), ms);
    let _ = writeln!(d, "| measure | value |");
    let _ = writeln!(d, "|---|---:|");
    let _ = writeln!(d, "| status | {} |", m["status"].as_str().unwrap_or("–"));
    let _ = writeln!(
        d,
        "| history events | {} |",
        m["events"].as_u64().unwrap_or(0)
    );
    let _ = writeln!(d, "| run, click to final status (ms) | {} |", f("runMs"));
    let _ = writeln!(
        d,
        "| frames painted during the run | {} |",
        m["frames"].as_u64().unwrap_or(0)
    );
    let _ = writeln!(d, "| longest gap between frames (ms) | {} |", f("maxGapMs"));
    let _ = writeln!(
        d,
        "| 95th percentile gap between frames (ms) | {} |",
        f("p95GapMs")
    );
    if m["longTasks"].is_object() {
        let lt = &m["longTasks"];
        let _ = writeln!(
            d,
            "| long tasks: count · longest · total (ms) | {} · {} · {} |",
            lt["count"].as_u64().unwrap_or(0),
            lt["maxMs"].as_f64().map_or("–".into(), ms),
            lt["totalMs"].as_f64().map_or("–".into(), ms),
        );
    }
    for (k, label) in RUNMAP_VIEWS {
        let _ = writeln!(
            d,
            "| open: {label} (ms) | {} |",
            m["views"][k].as_f64().map_or("–".into(), ms)
        );
    }
    let _ = writeln!(
        d,
        "| replay: import of the exported history, overlay and table drawn from scratch (ms) | {} |",
        f("replayMs")
    );
    if let Some(errors) = m["errors"].as_array().filter(|e| !e.is_empty()) {
        let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let _ = writeln!(
            d,
            "
Page errors: {}",
            list.join("; ")
        );
    }
    let _ = writeln!(
        d,
        "
The longest frames are the start (the Map state creates every iteration in one piece of interpreter work) and the once-a-second redraws of the step table and overlay from a summary that already holds every event.\n"
    );
}

/// Where the time goes in the targets that are missed, from the numbers of this run.
fn findings_section(d: &mut String, r: &Results) {
    let native = |section: &str, name: &str, key: &str| median(item(&r.native, section, name), key);
    let _ = writeln!(
        d,
        "### Where the time goes
"
    );
    if r.has("interp") {
        if let Some(c) = cpu(item(&r.native, "interp", "payload-heavy"), "time") {
            let _ = writeln!(
                d,
                "- **payload-heavy** costs {} ms of CPU per run natively, about {:.1} µs per state. The history shares the ~200 KiB payload with the execution; a state that changes it in place turns the snapshots sharing it into undo records (what the change replaced), so no state serialises, copies or walks the whole document, and the size and depth limits are checked on the changed part only. The older payloads are rebuilt only when the history is read; the benchmark times the execution with its history recorded, not rendering that history as JSON.",
                ms(c),
                c * 10.0
            );
        }
        let peer_map = peer_median(r, "aws-local-stepfunctions", "map-10k (run)");
        let ours_map =
            cpu(item(&r.native, "interp", "map-10k"), "time").map(|m| m * 1e6 / 10_001.0);
        let floor_map = r.floor["ops"]["map-10k model: per item lookup + build Parameters object"]
            ["cpu_ns"]
            .as_f64();
        let _ = writeln!(
            d,
            "- **task-heavy** spends its time in the 103 Task calls (host round trips through `Mocks`, three events each), not in transitions. **map-10k** costs {} ns of CPU per iteration natively, {} the floor's per-item cost, so its ratio to the peer is bounded by the peer's own speed here: it ran map-10k at {} transitions/s in this run, against {PEER_MAP_BASELINE} in `shared/design/perf-baselines.md`.",
            ours_map.map_or("–".into(), |x| format!("{x:.0}")),
            times(ratio(ours_map, floor_map)),
            peer_map.map_or("–".into(), |m| format!("{:.0}", 10_001.0 / (m / 1000.0))),
        );
    }
    if r.has("validate") {
        let full = native("validate", "big-definition", "time");
        let parse = native("validate", "big-definition", "parse");
        let v = |rt: &str| median(item(runtime(r, rt), "validate", "big-definition"), "time");
        let _ = writeln!(
            d,
            "- **Validation** natively: parse {} ms, parse + validate {} ms, so the rules take {} of it. wasm takes {} the native time in Node and {} in Chromium.",
            opt_ms(parse),
            opt_ms(full),
            match (parse, full) {
                (Some(p), Some(f)) if f > 0.0 => format!("{:.0}%", (1.0 - p / f) * 100.0),
                _ => "–".into(),
            },
            times(ratio(v("node"), full)),
            times(ratio(v("chromium"), full)),
        );
    }
    if r.has("jsonata") {
        let js = |name: &str, key: &str| median(js_item(r, name), key);
        let chromium = |name: &str| median(item(&r.chromium, "jsonata", name), "time_us");
        // The expressions with the smallest lead in Chromium, where the studio runs.
        let mut margins: Vec<(String, f64)> = super::plan::jsonata_expressions()
            .into_iter()
            .filter_map(|(name, _)| {
                let x = ratio(js(&name, "time_us"), chromium(&name))?;
                Some((name, x))
            })
            .collect();
        margins.sort_by(|a, b| a.1.total_cmp(&b.1));
        let smallest = margins
            .iter()
            .take(3)
            .map(|(n, x)| format!("`{n}` ({})", times(Some(*x))))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            d,
            "- **JSONata**: a simple path (`field`) costs {} µs per evaluation natively and {} µs in Chromium, against {} µs in jsonata-js. Evaluation borrows what it is given: `$states` is bound as an object of borrowed fields (`Bindings::insert_object`; the interpreter binds the state input, the context and the variables the same way, without copying), so the fixed cost of an evaluation does not depend on the size of the input and the time goes into the work each expression does. The smallest leads in Chromium: {}.",
            opt_ms(native("jsonata", "field", "time_us")),
            opt_ms(chromium("field")),
            opt_ms(js("field", "time_us")),
            if smallest.is_empty() {
                "–".to_string()
            } else {
                smallest
            }
        );
    }
    if r.has("editor") {
        let _ = writeln!(
            d,
            "- **Editor latency**: of the pure work, writing the SVG is the largest part ({} ms natively), then layout and validation; the rest of the in-app time is the app's own work (CodeMirror, signals, replacing the SVG in the DOM).",
            opt_ms(native("editor", "editor-200", "svg"))
        );
    }
    let _ = writeln!(d);
}

fn interp_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 1. Interpreter\n");
    let _ = writeln!(
        d,
        "The six machines of `shared/bench/machines`, run to completion with the history recorded. Times are milliseconds per execution, median (min–max); the ratio is the peer's median over ours, which is also the throughput ratio (transitions per second).\n"
    );
    let _ = writeln!(
        d,
        "| case | transitions | history events | native ms | native CPU ms | Node ms | Node CPU ms | Chromium ms | aws-local-stepfunctions ms | peer CPU ms | peer ÷ native (wall · CPU) | peer ÷ Node (wall · CPU) | peer ÷ Chromium |"
    );
    let _ = writeln!(
        d,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (case, n) in &r.counts {
        let pc = format!("{case} (run)");
        let peer = (
            peer_median(r, "aws-local-stepfunctions", &pc),
            peer_cpu(r, "aws-local-stepfunctions", &pc),
        );
        let get = |k: &str| item(runtime(r, k), "interp", case);
        let q = Ratios::of(r, peer, "interp", case, "time");
        let events = get("native")
            .and_then(|i| i.get("events"))
            .and_then(Value::as_u64)
            .map_or("–".into(), |e| e.to_string());
        let _ = writeln!(
            d,
            "| {case} | {n} | {events} | {} | {} | {} | {} | {} | {} | {} | {} · {} | {} · {} | {} |",
            spread(get("native"), "time"),
            opt_ms(cpu(get("native"), "time")),
            spread(get("node"), "time"),
            opt_ms(cpu(get("node"), "time")),
            spread(get("chromium"), "time"),
            peer_spread(r, "aws-local-stepfunctions", &pc),
            opt_ms(peer.1),
            times(q.native.0),
            times(q.native.1),
            times(q.node.0),
            times(q.node.1),
            times(q.chromium),
        );
    }
    let _ = writeln!(d);
    let _ = writeln!(
        d,
        "Throughput (transitions per second, from the medians):\n"
    );
    let _ = writeln!(
        d,
        "| case | native | wasm in Node | wasm in Chromium | aws-local-stepfunctions |"
    );
    let _ = writeln!(d, "|---|---:|---:|---:|---:|");
    for (case, n) in &r.counts {
        let cell = |m: Option<f64>| m.map_or("–".into(), |m| rate(*n as f64 / (m / 1000.0)));
        let peer = peer_median(r, "aws-local-stepfunctions", &format!("{case} (run)"));
        let _ = writeln!(
            d,
            "| {case} | {} | {} | {} | {} |",
            cell(interp_rate(r, "native", case)),
            cell(interp_rate(r, "node", case)),
            cell(interp_rate(r, "chromium", case)),
            cell(peer)
        );
    }
    let _ = writeln!(d);
    let _ = writeln!(
        d,
        "- Each case's output is compared with the exact expected output (built from the input and the mocks, as the peer harness does) before anything is timed; a wrong output would show as an error instead of a time.\n\
         - loop-counter (n = 10,000, 20,003 transitions) runs as an **Express** workflow (context `{{\"stateMachineType\": \"EXPRESS\"}}`): a Standard workflow stops at 25,000 history events, about n = 6,000, as on AWS, and that cap is not weakened. map-10k also runs as Express: its 10,000 iterations write about 40,000 events. map-10k's input (663 KiB) is over AWS's 256 KiB payload quota, so that case lifts the quota (the peer has none).\n\
         - task-heavy answers every Task from its mocks (`task-heavy.mocks.json`, through `asl_interp::mock::Mocks`); its 3,600 s Wait passes on the virtual clock, while the peer overrides it to 0 ms (still at least one 1 ms timer).\n\
         - Not timed: compiling the definition (done once, like the peer's `new StateMachine`), copying the input (done before each run, like the peer's `structuredClone`), and dropping the finished execution.\n\
         - In Chromium, whose `performance.now()` advances in 0.1 ms steps, a case is timed in batches of executions lasting at least 10 ms, and each sample is the batch's time divided by its size; the inputs of a batch are copied before it and its executions dropped after it. Natively and in Node, whose clocks are fine-grained, every execution is timed on its own.\n"
    );
}

fn validate_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 2. Parse + validate\n");
    let _ = writeln!(
        d,
        "`big-definition.asl.json` (1,000 states, 247 KiB pretty-printed). Ours is `asl_core::check`: the spanned parse, the model and every validation rule. Milliseconds, median (min–max).\n"
    );
    let v = |k: &str| item(runtime(r, k), "validate", "big-definition");
    let _ = writeln!(
        d,
        "| tool | what | median ms (min–max) | CPU ms | asl-validator ÷ this (wall · CPU) |"
    );
    let _ = writeln!(d, "|---|---|---:|---:|---:|");
    let avc = peer_cpu(
        r,
        "asl-validator",
        "big-definition validate (default: paths + ARNs)",
    );
    let av = peer_median(
        r,
        "asl-validator",
        "big-definition validate (default: paths + ARNs)",
    );
    for (k, label) in RUNTIMES {
        let m = median(v(k), "time");
        let _ = writeln!(
            d,
            "| ASL Studio, {label} | parse + validate | {} | {} | {} · {} |",
            spread(v(k), "time"),
            opt_ms(cpu(v(k), "time")),
            times(ratio(av, m)),
            times(ratio(avc, cpu(v(k), "time")))
        );
        let _ = writeln!(
            d,
            "| ASL Studio, {label} | parse only (spanned tree + model) | {} | {} | |",
            spread(v(k), "parse"),
            opt_ms(cpu(v(k), "parse"))
        );
        let _ = writeln!(
            d,
            "| serde_json, {label} | `from_str::<Value>` (reference) | {} | {} | |",
            spread(v(k), "serde_json"),
            opt_ms(cpu(v(k), "serde_json"))
        );
    }
    for (peer, case, what) in [
        (
            "asl-validator",
            "big-definition validate (default: paths + ARNs)",
            "validate (default: paths + ARNs)",
        ),
        (
            "asl-validator",
            "big-definition validate (checkPaths: false)",
            "validate (`checkPaths: false`)",
        ),
        (
            "aws-local-stepfunctions",
            "big-definition new StateMachine (validates)",
            "`new StateMachine` (validates)",
        ),
        (
            "node",
            "big-definition JSON.parse only (reference)",
            "`JSON.parse` (reference)",
        ),
    ] {
        let name = peer_row(r, peer, case)
            .and_then(|row| row["peer"].as_str())
            .unwrap_or(peer)
            .to_string();
        let _ = writeln!(
            d,
            "| {name} | {what} | {} | {} | |",
            peer_spread(r, peer, case),
            opt_ms(peer_cpu(r, peer, case))
        );
    }
    if let Some(n) = v("native") {
        let _ = writeln!(
            d,
            "\nOur validator finds {} states and reports {} diagnostics ({} errors) on this file.\n",
            n["states"], n["diagnostics"], n["errors"]
        );
    }
}

fn layout_peer(r: &Results, tool: &str, graph: &str) -> (Option<f64>, Option<f64>) {
    let row = r
        .layout_js
        .get("results")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| x["tool"] == tool && x["graph"] == graph));
    (
        row.and_then(|x| x.get("median_ms")?.as_f64()),
        row.and_then(|x| x.get("cpu_ms")?.as_f64()),
    )
}

fn layout_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 3. Layout\n");
    let _ = writeln!(
        d,
        "Graphs from `shared/bench/layout/gen.py` (copies in `crates/graph-layout/test_data`). Crossings are counted for every tool by the shared `crossings.mjs` (straight centre-to-centre segments). Milliseconds per layout, median (min–max), after one cold run.\n"
    );
    let _ = writeln!(
        d,
        "| tool | graph | median ms (min–max) | CPU ms | crossings |"
    );
    let _ = writeln!(d, "|---|---|---:|---:|---:|");
    for g in ["asl60", "asl60c", "synth1000"] {
        for (k, label) in RUNTIMES {
            let it = item(runtime(r, k), "layout", g);
            let c = r
                .crossings
                .get(&format!("{k}/{g}"))
                .and_then(Value::as_u64)
                .map_or("–".into(), |c| c.to_string());
            let _ = writeln!(
                d,
                "| graph-layout, {label} | {g} | {} | {} | {c} |",
                spread(it, "time"),
                opt_ms(cpu(it, "time"))
            );
        }
        if let Some(list) = r.layout_js.get("results").and_then(Value::as_array) {
            for x in list.iter().filter(|x| x["graph"] == g) {
                let f = |k: &str| x.get(k).and_then(Value::as_f64).unwrap_or(0.0);
                let _ = writeln!(
                    d,
                    "| {} (Node) | {g} | {} ({}–{}), cold {} | {} | {} |",
                    x["tool"].as_str().unwrap_or("?"),
                    ms(f("median_ms")),
                    ms(f("min_ms")),
                    ms(f("max_ms")),
                    ms(f("cold_ms")),
                    ms(f("cpu_ms")),
                    x["crossings"]
                );
            }
        }
    }
    let _ = writeln!(d);
    if let Some(n) = item(&r.native, "layout", "asl60c") {
        let _ = writeln!(
            d,
            "asl60c (clusters): {} cluster violations (an outside node inside a cluster box) by the layout's own metric.",
            n["cluster_violations"]
        );
    }
    if r.layout_js.get("results").is_some_and(|l| {
        !l.as_array().is_some_and(|a| {
            a.iter()
                .any(|x| x["tool"] == "dagre-js" && x["graph"] == "synth1000")
        })
    }) {
        let _ = writeln!(
            d,
            "dagre-js on synth1000 is skipped in quick runs (about 22 s per layout on an idle machine, minutes under load, and no target compares with it); `shared/design/libraries.md` §6 has it at 22 s and 5,504 crossings."
        );
    }
    let _ = writeln!(
        d,
        "Reference values from `shared/design/libraries.md` §6: ELK {ELK_SYNTH_CROSSINGS} and rust-sugiyama {SUGIYAMA_SYNTH_CROSSINGS} crossings on synth1000; dagre-js 1 crossing on asl60.\n"
    );
}

fn js_item<'a>(r: &'a Results, name: &str) -> Option<&'a Value> {
    r.jsonata_js
        .get("results")?
        .as_array()?
        .iter()
        .find(|x| x["name"] == name)
}

fn jsonata_geomean(r: &Results, rt: &str, cpu_time: bool) -> Option<f64> {
    let key = if cpu_time { "time_us_cpu" } else { "time_us" };
    let mut logs = Vec::new();
    for (name, _) in super::plan::jsonata_expressions() {
        let ours = median(item(runtime(r, rt), "jsonata", &name), key);
        let js = median(js_item(r, &name), key);
        logs.push(ratio(js, ours)?.ln());
    }
    if logs.is_empty() {
        return None;
    }
    Some((logs.iter().sum::<f64>() / logs.len() as f64).exp())
}

fn jsonata_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 4. JSONata\n");
    let _ = writeln!(
        d,
        "Fourteen ASL-style expressions over a realistic order document (60 line items, about 8 KiB of JSON), bound only as `$states.input`, as the interpreter binds them in a JSONata state. Each expression is compiled once; a sample is a batch of evaluations, and the table gives microseconds per evaluation, median (min–max). The jsonata npm package runs in Node (its `evaluate` returns a promise, which is awaited). Results are compared between the engines.\n"
    );
    let _ = writeln!(
        d,
        "| expression | native µs | wasm in Node µs | wasm in Chromium µs | jsonata {} (Node) µs | npm ÷ native (wall · CPU) | npm ÷ Node wasm (wall · CPU) | same result |",
        r.jsonata_js["version"].as_str().unwrap_or("?")
    );
    let _ = writeln!(d, "|---|---:|---:|---:|---:|---:|---:|---|");
    for (name, expr) in super::plan::jsonata_expressions() {
        let n = item(&r.native, "jsonata", &name);
        let w = item(&r.node, "jsonata", &name);
        let c = item(&r.chromium, "jsonata", &name);
        let js = js_item(r, &name);
        let same = match (
            n.and_then(|x| x.get("result")),
            js.and_then(|x| x.get("result")),
        ) {
            (Some(a), Some(b)) if a == b => "yes".to_string(),
            (None, _) | (_, None) => "–".to_string(),
            (Some(a), Some(b)) => format!(
                "**no**: {} vs {}",
                a.to_string().chars().take(40).collect::<String>(),
                b.to_string().chars().take(40).collect::<String>()
            ),
        };
        let jsm = median(js, "time_us");
        let jsc = median(js, "time_us_cpu");
        let _ = writeln!(
            d,
            "| `{name}`: `{}` | {} | {} | {} | {} | {} · {} | {} · {} | {same} |",
            expr.replace('|', "\\|"),
            spread(n, "time_us"),
            spread(w, "time_us"),
            spread(c, "time_us"),
            spread(js, "time_us"),
            times(ratio(jsm, median(n, "time_us"))),
            times(ratio(jsc, median(n, "time_us_cpu"))),
            times(ratio(jsm, median(w, "time_us"))),
            times(ratio(jsc, median(w, "time_us_cpu"))),
        );
    }
    let _ = writeln!(
        d,
        "\nGeometric mean of the speed-ups over the npm package (wall time): native {}, wasm in Node {}, wasm in Chromium {}. By CPU time: native {}, wasm in Node {}.\n",
        times(jsonata_geomean(r, "native", false)),
        times(jsonata_geomean(r, "node", false)),
        times(jsonata_geomean(r, "chromium", false)),
        times(jsonata_geomean(r, "native", true)),
        times(jsonata_geomean(r, "node", true))
    );
}

fn editor_dom_samples(r: &Results, key: &str) -> Vec<f64> {
    r.editor_dom
        .get("samples")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.get(key)?.as_f64()).collect())
        .unwrap_or_default()
}

fn stats_of(mut xs: Vec<f64>) -> Option<(f64, f64, f64)> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let m = if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    };
    Some((m, xs[0], xs[n - 1]))
}

/// The judged measure: keydown until the graph, the problems list and the lint markers have all
/// changed (`all`); results from before the three were timed only have the graph (`dom`).
fn editor_dom_key(r: &Results) -> &'static str {
    if editor_dom_samples(r, "all").is_empty() {
        "dom"
    } else {
        "all"
    }
}

fn editor_dom_median(r: &Results) -> Option<f64> {
    stats_of(editor_dom_samples(r, editor_dom_key(r))).map(|s| s.0)
}

fn editor_section(d: &mut String, r: &Results) {
    let machine = super::plan::editor_machine();
    let _ = writeln!(d, "## 5. Editor keystroke latency (200 states)\n");
    let _ = writeln!(
        d,
        "A generated 200-state machine (10 segments of Pass chains, a Choice, a Task with Retry and Catch, a two-branch Parallel and a Map; {} lines, {:.0} KiB pretty-printed).\n",
        machine.lines().count(),
        machine.len() as f64 / 1024.0
    );
    let key = editor_dom_key(r);
    match stats_of(editor_dom_samples(r, key)) {
        Some(_) => {
            let timeouts = r.editor_dom["samples"].as_array().map_or(0, |a| {
                a.iter().filter(|s| s.get("timeout").is_some()).count()
            });
            let _ = writeln!(
                d,
                "**In the studio** (`dist/` served on 127.0.0.1, headless Chromium): the machine is put into the `data-testid=\"code-editor\"` editor ({}), the caret is placed in the last Map's `\"Next\": \"Finish\"`, and one character is typed at a time ({} keystrokes), so every keystroke changes a transition, the diagnostics and the graph. Each is timed in the page from the `keydown` event to the first change of the graph (`data-testid=\"graph\"`), of the problems list (`data-testid=\"diagnostics\"`) and of the editor's lint markers (the editor stamps `data-lint-rev` when it applied them); the target is judged on the last of the three. The studio's own keystroke readout (`data-testid=\"keystroke-ms\"`) showed {} after the last one.\n",
                r.editor_dom["kind"].as_str().unwrap_or("?"),
                editor_dom_samples(r, key).len() + timeouts,
                r.editor_dom["appMs"].as_str().unwrap_or("–"),
            );
            let _ = writeln!(d, "| measure | median ms | min ms | max ms |");
            let _ = writeln!(d, "|---|---:|---:|---:|");
            for (k, what) in [
                ("graph", "keydown → graph updated in the DOM"),
                ("problems", "keydown → problems list updated"),
                ("lint", "keydown → lint markers applied in the editor"),
                ("dom", "keydown → graph updated in the DOM"),
                (
                    "all",
                    "**keydown → diagnostics and graph all updated (judged)**",
                ),
                ("frame", "keydown → next animation frame after that"),
            ] {
                if let Some((m, lo, hi)) = stats_of(editor_dom_samples(r, k)) {
                    let _ = writeln!(d, "| {what} | {} | {} | {} |", ms(m), ms(lo), ms(hi));
                }
            }
            if timeouts > 0 {
                let _ = writeln!(
                    d,
                    "\n{timeouts} keystrokes did not update the graph and the diagnostics within 5 s."
                );
            }
            let _ = writeln!(d);
        }
        None => {
            let why = r.editor_dom["error"].as_str().unwrap_or("no samples");
            let _ = writeln!(
                d,
                "The in-app measurement did not run ({why}), so the target is judged on the equivalent pure work below.\n"
            );
        }
    }
    let _ = writeln!(
        d,
        "**Pure work per keystroke** (what the studio recomputes: parse, validate, line/column of each diagnostic, build the graph, lay it out, write the SVG), run by the same code natively and in wasm:\n"
    );
    let _ = writeln!(
        d,
        "| runtime | whole keystroke | parse + validate | build graph | layout | SVG |"
    );
    let _ = writeln!(d, "|---|---:|---:|---:|---:|---:|");
    for (k, label) in RUNTIMES {
        let it = item(runtime(r, k), "editor", "editor-200");
        let _ = writeln!(
            d,
            "| {label} | {} | {} | {} | {} | {} |",
            spread(it, "time"),
            opt_ms(median(it, "check")),
            opt_ms(median(it, "graph_build")),
            opt_ms(median(it, "graph_layout")),
            opt_ms(median(it, "svg")),
        );
    }
    let _ = writeln!(
        d,
        "\nThe parts are medians (ms) timed separately; the whole keystroke also places each diagnostic on its line.\n"
    );
}

fn kib(b: u64) -> String {
    format!("{:.1} KiB", b as f64 / 1024.0)
}

fn size_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 6. Shipped size (`dist/`)\n");
    let Some(kinds) = r.size.get("kinds").and_then(Value::as_object) else {
        let _ = writeln!(
            d,
            "Not measured: {}.\n",
            r.size["error"].as_str().unwrap_or("dist/ is missing")
        );
        return;
    };
    let _ = writeln!(d, "| kind | raw | gzip -9 |");
    let _ = writeln!(d, "|---|---:|---:|");
    for k in ["wasm", "js", "css", "html", "other", "total"] {
        if let Some(v) = kinds.get(k) {
            let _ = writeln!(
                d,
                "| {k} | {} | {} |",
                kib(v["raw"].as_u64().unwrap_or(0)),
                kib(v["gzip"].as_u64().unwrap_or(0))
            );
        }
    }
    let _ = writeln!(d, "\n| file | raw | gzip -9 |\n|---|---:|---:|");
    for f in r.size["files"].as_array().into_iter().flatten() {
        let _ = writeln!(
            d,
            "| `{}` | {} | {} |",
            f["file"].as_str().unwrap_or("?"),
            kib(f["raw"].as_u64().unwrap_or(0)),
            kib(f["gzip"].as_u64().unwrap_or(0))
        );
    }
    let _ = writeln!(
        d,
        "\nBuilt by `cargo xtask dist` (trunk, profile `wasm-release`: opt-level z, and 3 for the engine crates (interpreter, paths, JSONata, validator, layout, serde_json and its maps), fat LTO, one codegen unit, panic = abort).\n"
    );
}

fn floor_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## 7. Cost per transition against the raw floor\n");
    let _ = writeln!(
        d,
        "`shared/bench/limit` (built from a copy with `--release`, fat LTO) times the bare minimum an interpreter on `serde_json::Value` must do per transition. Our cost is the native median (wall, and thread CPU) divided by the transitions of the case; the floor program reports wall and thread-CPU medians too. The CPU columns are the ones to read on a loaded machine.\n"
    );
    let Some(ops) = r.floor.get("ops").and_then(Value::as_object) else {
        let _ = writeln!(
            d,
            "Not measured: {}.\n",
            r.floor["error"].as_str().unwrap_or("?")
        );
        return;
    };
    let _ = writeln!(
        d,
        "| case | ours ns/transition (wall · CPU) | floor operation | floor ns (wall · CPU) | ours ÷ floor (wall · CPU) | why the gap |"
    );
    let _ = writeln!(d, "|---|---:|---|---:|---:|---|");
    let ns = |x: Option<f64>| x.map_or("–".into(), |x| format!("{x:.0}"));
    for (case, n) in &r.counts {
        let per = |m: Option<f64>| m.map(|m| m * 1e6 / *n as f64);
        let it = item(&r.native, "interp", case);
        let (ours, ours_cpu) = (per(median(it, "time")), per(cpu(it, "time")));
        let (op, why) = floor_of(case);
        let floor = ops.get(op).and_then(|o| o["wall_ns"].as_f64());
        let floor_cpu = ops.get(op).and_then(|o| o["cpu_ns"].as_f64());
        let _ = writeln!(
            d,
            "| {case} | {} · {} | {op} | {} · {} | {} · {} | {why} |",
            ns(ours),
            ns(ours_cpu),
            ns(floor),
            ns(floor_cpu),
            times(ratio(ours, floor)),
            times(ratio(ours_cpu, floor_cpu)),
        );
    }
    let _ = writeln!(
        d,
        "\n<details><summary>Raw output of the floor program</summary>\n\n```text\n{}```\n\n</details>\n",
        r.floor["raw"].as_str().unwrap_or("")
    );
}

fn method_section(d: &mut String, r: &Results) {
    let _ = writeln!(d, "## Method\n");
    let _ = writeln!(
        d,
        "- **One plan, three runtimes.** `cargo xtask bench` writes one JSON plan (definitions, inputs, mocks, expected outputs, graphs, expressions, run counts). The crate `asl-wasm` runs it with `bench::run_plan`: natively through `examples/native_bench.rs` (release profile, with the `asl` CLI's allocator, mimalloc), and as wasm (the shipped `wasm-release` profile: opt-level z, the engine crates at 3) through `bench_plan` in Node (`bench/wasm-node.mjs`) and in headless Debian Chromium driven by playwright-core (`bench/chromium.mjs`). Wall time is `Instant` natively and `performance.now()` in wasm (`Instant::now` traps on wasm32); CPU time is the thread's CPU clock natively (`CLOCK_THREAD_CPUTIME_ID`, via the cpu-time crate) and `process.cpuUsage()` in Node, like the peer harness (which also counts V8's helper threads); Chromium has wall time only.\n\
         - **Checks before timing.** Interpreter outputs must equal the expected output exactly; JSONata results are compared between the engines (`same result`); layouts are counted by the shared crossing counter for every tool.\n\
         - **Runs.** Warm-up runs, then timed runs, the same counts as the peer harness ({}); validation 15, layout 21 (asl60, asl60c) and 7 (synth1000; ELK 5), JSONata 11 batches of at least 200 evaluations, doubled until a batch lasts 10 ms (Chromium rounds its clock to 0.1 ms), the editor's pure work 31. Medians with min and max; no mean.\n\
         - **Commands.** `cargo xtask bench` (full), `--quick` (a few runs each), `--only interp,validate,layout,jsonata,editor,size,runmap`, `--keep-dist` (measure the existing `dist/` instead of rebuilding it with trunk), `--render` (rewrite this file from the last raw results).\n\
         - **Peers** run in the same invocation: the shared harness `shared/bench/peers/bench.js` (copied to a scratch folder because the shared folder is read-only, installed with `npm ci` from its own lock) for aws-local-stepfunctions and asl-validator; `bench/jsonata-js.mjs` for the jsonata package; `bench/layout-js.mjs` for dagre-js and elkjs with the options of `shared/bench/layout/bench_js_peers.mjs`. The JavaScript packages are pinned in `bench/package.json` and `bench/package-lock.json` and installed into `bench/node_modules` by the command.\n\
         - **Machine load.** The machine is shared; the load average is recorded at the start and the end. Compare ratios, not absolute times, and only within one run.\n\
         - Raw results (every sample) are written to `$CARGO_TARGET_DIR/xtask-bench/results.json`.\n",
        if r.quick {
            "except in this quick run: 3 timed runs, 1 warm-up"
        } else {
            "7 for loop-counter and map-10k, 21 for parallel-fanout and task-heavy, 11 for big-definition and payload-heavy"
        }
    );
}

/// A short console summary: the targets table.
pub(crate) fn summary(r: &Results) -> String {
    let mut d = String::new();
    targets_section(&mut d, r);
    d
}
