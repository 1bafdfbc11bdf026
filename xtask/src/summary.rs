//! Step timing, output capture and the pass/fail totals printed at the end of `xtask test`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::Result;

static PASSED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// Gzip budget for the studio in `dist/` (wasm, JS, CSS, HTML), `embed/` excluded.
const STUDIO_BUDGET_GZ: u64 = 1536 * 1024;
/// Gzip budget for the embeddable viewer in `dist/embed/`. It carries the whole validator,
/// interpreter and layout; since their hot paths are built at opt-level 3 for speed (2-3x in
/// the browser, see the root Cargo.toml) it weighs about 650 KiB gz, so the budget leaves
/// room for growth at 768 KiB rather than failing on the next rule or integration.
const EMBED_BUDGET_GZ: u64 = 768 * 1024;

#[derive(Default)]
pub(crate) struct Summary;

impl Summary {
    pub(crate) fn step(&mut self, name: &str, f: impl FnOnce() -> Result) -> Result {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let secs = t.elapsed().as_secs_f64();
        match &r {
            Ok(()) => println!("==> {name}: ok ({secs:.0} s)"),
            Err(e) => println!("==> {name}: FAILED ({secs:.0} s): {e}"),
        }
        r.map_err(|e| format!("{name}: {e}"))
    }
}

pub(crate) fn add(passed: u64, failed: u64) {
    PASSED.fetch_add(passed, Ordering::Relaxed);
    FAILED.fetch_add(failed, Ordering::Relaxed);
}

pub(crate) fn totals() -> (u64, u64) {
    (
        PASSED.load(Ordering::Relaxed),
        FAILED.load(Ordering::Relaxed),
    )
}

/// Runs a command, streaming its stdout and stderr through while keeping a copy.
pub(crate) fn tee(cmd: &mut Command) -> (bool, String) {
    println!("$ {}", format!("{cmd:?}").replace('"', ""));
    let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => return (false, e.to_string()),
    };
    let stderr = child.stderr.take().expect("piped stderr");
    let err_thread = std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            eprintln!("{line}");
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    });
    let mut kept = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
        println!("{line}");
        kept.push_str(&line);
        kept.push('\n');
    }
    kept.push_str(&err_thread.join().unwrap_or_default());
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    let _ = std::io::stdout().flush();
    (ok, kept)
}

/// Checks the gzip sizes of `dist/` against the budgets and prints the breakdown.
/// The studio (everything but `embed/`) and the embeddable viewer (`embed/`) are shipped
/// separately, so each has its own budget.
pub(crate) fn size_budget(root: &Path) -> Result {
    let dist = root.join("dist");
    let mut files = Vec::new();
    collect(&dist, &mut files);
    if files.is_empty() {
        return Err("dist/ is empty".into());
    }
    let mut totals = [(0u64, 0u64); 2];
    for f in &files {
        let raw = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(f)?;
        let rel = f.strip_prefix(&dist).unwrap_or(f);
        let part = usize::from(rel.starts_with("embed"));
        totals[part].0 += raw;
        totals[part].1 += gz;
        println!("  {:<60} {:>9} B  {:>8} B gz", rel.display(), raw, gz);
    }
    let mut over = Vec::new();
    for ((name, budget), (raw, gz)) in [("studio", STUDIO_BUDGET_GZ), ("embed/", EMBED_BUDGET_GZ)]
        .into_iter()
        .zip(totals)
    {
        println!(
            "  {name}: {raw} B, {gz} B gz (budget {budget} B gz, {:.0} % used)",
            gz as f64 * 100.0 / budget as f64
        );
        if gz > budget {
            over.push(format!(
                "{name} is {gz} B gzipped, over its {budget} B budget"
            ));
        }
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("; "))
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn gzip_size(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}
