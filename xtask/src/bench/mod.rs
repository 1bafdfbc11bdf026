//! `cargo xtask bench [--quick] [--only SECTIONS] [--keep-dist] [--render]`: every performance
//! claim measured in one run (`--keep-dist` measures an existing `dist/` instead of rebuilding
//! it; `--render` only rewrites the document from the last run's raw results).
//!
//! It builds `asl-wasm` natively (release) and for wasm32 (the shipped `wasm-release` profile),
//! writes one benchmark plan, runs it natively, in Node and in headless Chromium, runs the peers
//! (aws-local-stepfunctions and asl-validator through the shared harness, the jsonata npm
//! package, dagre-js and elkjs) next to it, measures the studio's keystroke latency, a
//! 10,000-item Map run in the studio (`runmap`) and the shipped size, runs the raw Rust floor program, and writes `docs/performance.md`.

mod plan;
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use crate::Result;

/// The sections `--only` accepts.
const SECTIONS: [&str; 7] = [
    "interp", "validate", "layout", "jsonata", "editor", "size", "runmap",
];

/// Everything measured in one invocation; each field is the raw JSON of one tool.
#[derive(Default)]
pub(crate) struct Results {
    pub quick: bool,
    pub keep_dist: bool,
    pub only: Vec<String>,
    pub env: Map<String, Value>,
    pub counts: Vec<(String, u64)>,
    pub native: Value,
    pub node: Value,
    pub chromium: Value,
    pub peers: Value,
    pub jsonata_js: Value,
    pub layout_js: Value,
    pub crossings: Map<String, Value>,
    pub editor_dom: Value,
    pub runmap: Value,
    pub size: Value,
    pub floor: Value,
    pub notes: Vec<String>,
}

impl Results {
    fn has(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}

pub(crate) fn run(root: &Path, args: &[String]) -> Result {
    let mut r = Results {
        quick: args.iter().any(|a| a == "--quick"),
        keep_dist: args.iter().any(|a| a == "--keep-dist"),
        ..Results::default()
    };
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let list = args
            .get(i + 1)
            .ok_or("--only needs a list, e.g. interp,layout")?;
        r.only = list.split(',').map(str::to_string).collect();
        if let Some(bad) = r.only.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
            return Err(format!(
                "unknown section {bad}; choose from {}",
                SECTIONS.join(",")
            ));
        }
    }
    let work = work_dir(root);
    if args.iter().any(|a| a == "--render") {
        return render_saved(root, &work);
    }
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    println!("==> bench (work files in {})", work.display());
    r.env = environment();

    let engine = ["interp", "validate", "layout", "jsonata", "editor"]
        .iter()
        .any(|s| r.has(s));
    if engine {
        let native_bin = build_native(root)?;
        let pkgs = build_wasm(root, &work)?;
        npm_ci(&root.join("bench"))?;
        let plan = build_plan(root, &r)?;
        let counts = plan.1;
        r.counts = counts;
        let plan_file = work.join("plan.json");
        write(&plan_file, &plan.0.to_string())?;
        let only = r.only.join(",");

        println!("==> native");
        r.native = json_of(Command::new(&native_bin).arg(&plan_file).arg(&only))?;
        println!("==> wasm in Node");
        r.node = json_of(
            Command::new("node")
                .arg(root.join("bench/wasm-node.mjs"))
                .arg(pkgs.join("node"))
                .arg(&plan_file)
                .arg(&only),
        )?;
        println!("==> wasm in Chromium");
        r.chromium = json_of(
            Command::new("node")
                .arg(root.join("bench/chromium.mjs"))
                .arg("plan")
                .arg(pkgs.join("web"))
                .arg(&plan_file)
                .arg(&only),
        )
        .unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("interp") || r.has("validate") {
        r.peers = run_peers(&work, &r).unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("jsonata") {
        r.jsonata_js =
            run_jsonata_js(root, &work, r.quick).unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("layout") {
        run_layout_peers(root, &work, &mut r);
    }
    if r.has("size") || r.has("editor") || r.has("runmap") {
        ensure_dist(root, &mut r);
    }
    if r.has("runmap") {
        r.runmap = run_runmap(root, &work).unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("editor") {
        r.editor_dom =
            run_editor_dom(root, &work, r.quick).unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("size") {
        r.size = dist_size(&root.join("dist")).unwrap_or_else(|e| json!({ "error": e }));
    }
    if r.has("interp") {
        r.floor = run_floor(&work).unwrap_or_else(|e| json!({ "error": e }));
    }
    r.env.insert("loadavg_end".into(), json!(loadavg()));
    write(&work.join("results.json"), &raw_json(&r).to_string())?;
    let doc = report::render(&r);
    write(&root.join("docs/performance.md"), &doc)?;
    println!("\n{}", report::summary(&r));
    println!(
        "wrote docs/performance.md (raw results: {})",
        work.join("results.json").display()
    );
    Ok(())
}

fn raw_json(r: &Results) -> Value {
    json!({
        "quick": r.quick, "only": r.only, "notes": r.notes,
        "env": r.env, "native": r.native, "node": r.node, "chromium": r.chromium,
        "peers": r.peers, "jsonata_js": r.jsonata_js, "layout_js": r.layout_js,
        "crossings": r.crossings, "editor_dom": r.editor_dom, "runmap": r.runmap, "size": r.size, "floor": r.floor,
    })
}

/// `--render`: rewrites `docs/performance.md` from the raw results of the last run, without
/// measuring anything (for changes to the report's wording).
fn render_saved(root: &Path, work: &Path) -> Result {
    let path = work.join("results.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {} (run the benchmark first): {e}",
            path.display()
        )
    })?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let strings = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut r = Results {
        quick: v["quick"].as_bool().unwrap_or(false),
        only: strings("only"),
        notes: strings("notes"),
        env: v["env"].as_object().cloned().unwrap_or_default(),
        native: v["native"].clone(),
        node: v["node"].clone(),
        chromium: v["chromium"].clone(),
        peers: v["peers"].clone(),
        jsonata_js: v["jsonata_js"].clone(),
        layout_js: v["layout_js"].clone(),
        crossings: v["crossings"].as_object().cloned().unwrap_or_default(),
        editor_dom: v["editor_dom"].clone(),
        runmap: v["runmap"].clone(),
        size: v["size"].clone(),
        floor: v["floor"].clone(),
        ..Results::default()
    };
    if r.has("interp") {
        r.counts = plan::interp_items(r.quick)?.1;
    }
    if v.get("notes").is_none() && root.join("dist/index.html").exists() {
        r.notes.push(kept_dist_note(root));
    }
    write(&root.join("docs/performance.md"), &report::render(&r))?;
    println!("{}", report::summary(&r));
    println!("wrote docs/performance.md from {}", path.display());
    Ok(())
}

fn work_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("xtask-bench")
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs a command, showing its stderr, and parses its stdout as JSON.
fn json_of(cmd: &mut Command) -> Result<Value> {
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{shown}` failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or("");
    serde_json::from_str(last).map_err(|e| format!("`{shown}` printed no JSON result: {e}"))
}

/// Runs a command and returns its trimmed stdout, or an empty string.
fn stdout_of(cmd: &mut Command) -> String {
    cmd.output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

fn environment() -> Map<String, Value> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    let mut env = Map::new();
    env.insert(
        "date".into(),
        json!(stdout_of(
            Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])
        )),
    );
    env.insert(
        "nproc".into(),
        json!(std::thread::available_parallelism().map_or(0, |n| n.get())),
    );
    env.insert("cpu".into(), json!(cpu));
    env.insert("memory".into(), json!(mem));
    env.insert(
        "kernel".into(),
        json!(stdout_of(Command::new("uname").arg("-r"))),
    );
    env.insert("loadavg_start".into(), json!(loadavg()));
    env.insert(
        "rustc".into(),
        json!(stdout_of(Command::new("rustc").arg("-V"))),
    );
    env.insert(
        "node".into(),
        json!(stdout_of(Command::new("node").arg("--version"))),
    );
    env.insert(
        "chromium".into(),
        json!(stdout_of(
            Command::new("/usr/bin/chromium").arg("--version")
        )),
    );
    env.insert(
        "wasm_bindgen".into(),
        json!(stdout_of(Command::new("wasm-bindgen").arg("--version"))),
    );
    env
}

fn build_native(root: &Path) -> Result<PathBuf> {
    println!("==> building the native benchmark (release)");
    crate::run(Command::new("cargo").current_dir(root).args([
        "build",
        "--release",
        "-p",
        "asl-wasm",
        "--example",
        "native_bench",
    ]))?;
    Ok(target_dir(root).join("release/examples/native_bench"))
}

/// Builds the wasm library with the shipped profile and binds it for Node and for the web.
fn build_wasm(root: &Path, work: &Path) -> Result<PathBuf> {
    println!("==> building asl-wasm for wasm32 (profile wasm-release, as shipped)");
    crate::run(Command::new("cargo").current_dir(root).args([
        "build",
        "--profile",
        "wasm-release",
        "-p",
        "asl-wasm",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let wasm = target_dir(root).join("wasm32-unknown-unknown/wasm-release/asl_wasm.wasm");
    let pkgs = work.join("pkg");
    for (target, dir) in [("nodejs", "node"), ("web", "web")] {
        crate::run(
            Command::new("wasm-bindgen")
                .arg(&wasm)
                .args(["--target", target, "--out-dir"])
                .arg(pkgs.join(dir)),
        )?;
    }
    // The Node binding is CommonJS; the project's package.json says "type": "module", which
    // would make Node read it as ES module when the target dir is inside the project.
    write(
        &pkgs.join("node/package.json"),
        "{\"type\": \"commonjs\"}\n",
    )?;
    Ok(pkgs)
}

fn npm_ci(dir: &Path) -> Result {
    if dir.join("node_modules/.package-lock.json").exists() {
        return Ok(());
    }
    println!("==> npm ci in {}", dir.display());
    crate::run(Command::new("npm").current_dir(dir).args([
        "ci",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))
}

fn build_plan(root: &Path, r: &Results) -> Result<(Value, plan::Counts)> {
    let mut plan = Map::new();
    let mut counts = Vec::new();
    if r.has("interp") {
        let (items, c) = plan::interp_items(r.quick)?;
        plan.insert("interp".into(), Value::Array(items));
        counts = c;
    }
    if r.has("validate") {
        plan.insert(
            "validate".into(),
            Value::Array(plan::validate_items(r.quick)?),
        );
    }
    if r.has("layout") {
        plan.insert(
            "layout".into(),
            Value::Array(plan::layout_items(root, r.quick)?),
        );
    }
    if r.has("jsonata") {
        plan.insert("jsonata".into(), Value::Array(plan::jsonata_items(r.quick)));
    }
    if r.has("editor") {
        plan.insert("editor".into(), Value::Array(plan::editor_items(r.quick)));
    }
    Ok((Value::Object(plan), counts))
}

/// Copies the shared peer harness and machines to the work directory (the shared folder is
/// read-only), installs it from its own lock file and runs aws-local-stepfunctions and
/// asl-validator.
fn run_peers(work: &Path, r: &Results) -> Result<Value> {
    println!("==> peers (aws-local-stepfunctions, asl-validator)");
    let dir = work.join("peers-run");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for sub in ["peers", "machines"] {
        crate::run(
            Command::new("cp")
                .arg("-rT")
                .arg(format!("/work/shared/bench/{sub}"))
                .arg(dir.join(sub)),
        )?;
    }
    let peers = dir.join("peers");
    crate::run(Command::new("chmod").arg("-R").arg("u+w").arg(&dir))?;
    if !peers.join("node_modules/.package-lock.json").exists() {
        crate::run(Command::new("npm").current_dir(&peers).args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--engine-strict=false",
        ]))?;
    }
    let out = peers.join("results-xtask.json");
    let mut cases: Vec<&str> = Vec::new();
    if r.has("interp") {
        cases.extend(plan::CASES.iter().map(|c| c.name));
    } else {
        cases.push("big-definition");
    }
    let mut cmd = Command::new("node");
    cmd.current_dir(&peers)
        .args([
            "--expose-gc",
            "bench.js",
            "--peers",
            "aws-local-stepfunctions",
            "--cases",
        ])
        .arg(cases.join(","))
        .arg("--json")
        .arg(&out);
    if r.quick {
        cmd.arg("--quick");
    }
    crate::run(&mut cmd)?;
    let text = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

fn run_jsonata_js(root: &Path, work: &Path, quick: bool) -> Result<Value> {
    println!("==> jsonata (npm)");
    let cases = work.join("jsonata-cases.json");
    write(
        &cases,
        &Value::Array(plan::jsonata_items(quick)).to_string(),
    )?;
    json_of(
        Command::new("node")
            .arg(root.join("bench/jsonata-js.mjs"))
            .arg(&cases),
    )
}

const CROSSINGS_MJS: &str = "/work/shared/bench/layout/crossings.mjs";

fn run_layout_peers(root: &Path, work: &Path, r: &mut Results) {
    println!("==> layout peers (dagre-js, elkjs) and crossings");
    let graphs = root.join("crates/graph-layout/test_data");
    let (small, big, dagre_big) = if r.quick {
        ("3", "1", "0")
    } else {
        ("21", "5", "2")
    };
    r.layout_js = json_of(
        Command::new("node")
            .arg(root.join("bench/layout-js.mjs"))
            .arg(CROSSINGS_MJS)
            .arg(&graphs)
            .args([small, big, dagre_big]),
    )
    .unwrap_or_else(|e| json!({ "error": e }));
    // Count our crossings with the shared counter, for each runtime's centres.
    for (runtime, res) in [
        ("native", &r.native),
        ("node", &r.node),
        ("chromium", &r.chromium),
    ] {
        let Some(items) = res.get("layout").and_then(Value::as_array) else {
            continue;
        };
        for item in items {
            let name = item["name"].as_str().unwrap_or("?");
            let file = match name {
                "asl60" => "asl60.json",
                "asl60c" => "asl60_compound.json",
                _ => "synth1000.json",
            };
            let centres = work.join(format!("centres-{runtime}-{name}.json"));
            if write(&centres, &item["centres"].to_string()).is_err() {
                continue;
            }
            let n = stdout_of(
                Command::new("node")
                    .arg(root.join("bench/layout-js.mjs"))
                    .arg(CROSSINGS_MJS)
                    .arg("--count")
                    .arg(graphs.join(file))
                    .arg(&centres),
            );
            r.crossings
                .insert(format!("{runtime}/{name}"), json!(n.parse::<u64>().ok()));
        }
    }
}

/// Makes sure `dist/` exists; in a full run it is rebuilt (trunk, release) so sizes are current.
fn ensure_dist(root: &Path, r: &mut Results) {
    let have = root.join("dist/index.html").exists();
    let trunk = Command::new("trunk")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let keep = have && (r.quick || r.keep_dist);
    if !keep && trunk {
        println!("==> building dist/ (trunk build --release)");
        if let Err(e) = crate::dist(root) {
            r.notes.push(format!("dist/ could not be rebuilt: {e}"));
        }
    } else if !have {
        r.notes.push("dist/ is missing and trunk is not installed (`cargo xtask setup`), so the size and the in-app latency were not measured".into());
    } else {
        r.notes.push(kept_dist_note(root));
    }
}

/// The note that says which `dist/` build was measured.
fn kept_dist_note(root: &Path) -> String {
    let built = stdout_of(
        Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC", "-r"])
            .arg(root.join("dist/index.html")),
    );
    format!(
        "dist/ was not rebuilt by this run (`--quick` or `--keep-dist`): it is the `trunk build --release` of the working tree from {built}; the size and the in-app latency are those of that build"
    )
}

fn run_editor_dom(root: &Path, work: &Path, quick: bool) -> Result<Value> {
    let dist = built_dist(&root.join("dist"))?;
    println!("==> keystroke latency in the studio (Chromium)");
    let machine = work.join("editor-200.json");
    write(&machine, &plan::editor_machine())?;
    json_of(
        Command::new("node")
            .arg(root.join("bench/chromium.mjs"))
            .arg("editor")
            .arg(&dist)
            .arg(&machine)
            .arg("\"Finish")
            .arg(if quick { "10" } else { "40" }),
    )
}

/// A 10,000-item Map run in the studio (Chromium): whether the page keeps painting during the
/// run, and how long the views take to open afterwards.
fn run_runmap(root: &Path, work: &Path) -> Result<Value> {
    let dist = built_dist(&root.join("dist"))?;
    println!(
        "==> a {}-item Map run in the studio (Chromium)",
        plan::RUNMAP_ITEMS
    );
    let machine = work.join("runmap.asl.json");
    let input = work.join("runmap-input.json");
    write(&machine, &plan::runmap_machine())?;
    write(&input, &plan::runmap_input())?;
    json_of(
        Command::new("node")
            .arg(root.join("bench/chromium.mjs"))
            .arg("runmap")
            .arg(&dist)
            .arg(&machine)
            .arg(&input),
    )
}

/// `dist`, if the studio is built there (it has an `index.html`).
fn built_dist(dist: &Path) -> Result<PathBuf> {
    if dist.join("index.html").exists() {
        Ok(dist.to_path_buf())
    } else {
        Err("dist/ is not built".into())
    }
}

/// Every file under `dir`, recursively (hidden entries such as trunk's `.stage` skipped).
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            files_under(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

/// Sizes of `dist/` by kind, raw and gzip -9.
fn dist_size(dist: &Path) -> Result<Value> {
    built_dist(dist)?;
    let mut paths = Vec::new();
    files_under(dist, &mut paths);
    paths.sort();
    let mut kinds: Map<String, Value> = Map::new();
    let mut files = Vec::new();
    for path in paths {
        let raw = std::fs::metadata(&path).map_or(0, |m| m.len());
        let gz = Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&path)
            .output()
            .map_or(0, |o| o.stdout.len() as u64);
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        let kind = match ext {
            "wasm" => "wasm",
            "js" | "mjs" => "js",
            "css" => "css",
            "html" => "html",
            _ => "other",
        };
        for k in [kind, "total"] {
            let entry = kinds
                .entry(k)
                .or_insert_with(|| json!({"raw": 0, "gzip": 0}));
            entry["raw"] = json!(entry["raw"].as_u64().unwrap_or(0) + raw);
            entry["gzip"] = json!(entry["gzip"].as_u64().unwrap_or(0) + gz);
        }
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .display()
            .to_string();
        files.push(json!({"file": name, "raw": raw, "gzip": gz}));
    }
    Ok(json!({"kinds": kinds, "files": files}))
}

/// Builds and runs the shared raw-floor program from a copy in the work directory.
fn run_floor(work: &Path) -> Result<Value> {
    println!("==> raw Rust floor (shared/bench/limit)");
    let dir = work.join("limit");
    crate::run(
        Command::new("cp")
            .arg("-rT")
            .arg("/work/shared/bench/limit")
            .arg(&dir),
    )?;
    crate::run(Command::new("chmod").arg("-R").arg("u+w").arg(&dir))?;
    // The copy may sit inside this project's target dir, hence inside our workspace: an empty
    // `[workspace]` table keeps cargo from treating it as an unlisted member.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        write(&manifest, &format!("{text}\n[workspace]\n"))?;
    }
    crate::run(
        Command::new("cargo")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", work.join("limit-target"))
            .args(["build", "--release", "--quiet"]),
    )?;
    let bin = work.join("limit-target/release/rustlimit");
    let out = Command::new(bin)
        .arg("10000")
        .arg(Path::new(plan::MACHINES).join("big-definition.asl.json"))
        .output()
        .map_err(|e| format!("cannot run rustlimit: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut ops = Map::new();
    for line in text.lines().filter(|l| l.contains("ns/op:")) {
        let label = line.split("  ").next().unwrap_or("").trim().to_string();
        let field = |key: &str| -> Option<f64> {
            let rest = line.split(key).nth(1)?;
            rest.split_whitespace().next()?.parse().ok()
        };
        ops.insert(
            label,
            json!({"wall_ns": field("wall median"), "cpu_ns": field("cpu median")}),
        );
    }
    Ok(json!({"ops": ops, "raw": text}))
}
