//! Project automation: `cargo xtask setup | serve | test | dist | embed | bench`.
//!
//! Every command first runs the idempotent setup (toolchain target, trunk, wasm-bindgen CLI
//! matching Cargo.lock, Debian Chromium, npm packages), skipping whatever is already present
//! at the right version, and prints what it is doing so long installs don't look hung.

mod bench;
mod embed;
mod setup;
mod summary;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use summary::Summary;

const USAGE: &str = "\
cargo xtask <command>

  setup            install what the build and tests need (idempotent)
  serve [--port N] build and serve the studio locally (trunk serve, offline)
  dist             build the static site into dist/ (release), with the embed in dist/embed/
  embed            build the embeddable viewer into dist/embed/ (trunk runs it after each build)
  test             everything CI runs: fmt, clippy, workspace tests, conformance ratchet,
                   release wasm build, size budget, end-to-end browser tests
  bench [--quick] [--only interp,validate,layout,jsonata,editor,size]
                   benchmarks side by side with the peers; writes docs/performance.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root).expect("cannot enter the project root");
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(&root),
        Some("serve") => serve(&root, &args[1..]),
        Some("dist") => setup::all(&root).and_then(|()| dist(&root)),
        // No setup: trunk runs this as its post-build hook (Trunk.toml).
        Some("embed") => embed::build(&root),
        Some("test") => test(&root),
        Some("bench") => bench::run(&root, &args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs a command with inherited stdio, failing with a readable message.
pub(crate) fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command and captures stdout+stderr while echoing nothing; returns (success, output).
pub(crate) fn capture(cmd: &mut Command) -> (bool, String) {
    match cmd.output() {
        Ok(o) => {
            let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
            s.push_str(&String::from_utf8_lossy(&o.stderr));
            (o.status.success(), s)
        }
        Err(e) => (false, e.to_string()),
    }
}

fn trunk() -> Command {
    let mut c = Command::new("trunk");
    c.env("NO_COLOR", "true");
    c
}

/// Builds the studio with trunk, whose post-build hook (`cargo xtask embed`, see Trunk.toml)
/// builds the embeddable viewer into `dist/embed/`.
fn dist(root: &Path) -> Result {
    run(trunk()
        .current_dir(root)
        .args(["build", "--release", "--offline"]))?;
    if root.join("dist/embed/asl_embed_bg.wasm").exists() {
        Ok(())
    } else {
        // A Trunk.toml without the hook: build the embed after trunk, as before.
        embed::build(root)
    }
}

fn serve(root: &Path, args: &[String]) -> Result {
    setup::all(root)?;
    let port = args
        .windows(2)
        .find(|w| w[0] == "--port")
        .map(|w| w[1].clone())
        .unwrap_or_else(|| "8080".into());
    // trunk serve refuses to start when a folder of Trunk.toml's watch-ignore list is missing:
    // `target` is, when CARGO_TARGET_DIR points elsewhere; `dist` before the first build.
    for dir in ["target", "dist"] {
        std::fs::create_dir_all(root.join(dir))
            .map_err(|e| format!("cannot create {dir}/: {e}"))?;
    }
    println!("\nASL Studio will be served at http://127.0.0.1:{port}/ (Ctrl+C to stop)\n");
    run(trunk().current_dir(root).args([
        "serve",
        "--offline",
        "--release",
        "--address",
        "127.0.0.1",
        "--port",
        &port,
    ]))
}

fn test(root: &Path) -> Result {
    let started = Instant::now();
    let mut sum = Summary;
    setup::all(root)?;

    sum.step("cargo fmt --check", || {
        run(Command::new("cargo").args(["fmt", "--all", "--check"]))
    })?;
    sum.step("clippy (native)", || {
        run(Command::new("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--exclude",
            "asl-app",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    sum.step("clippy (wasm app)", || {
        run(Command::new("cargo").args([
            "clippy",
            "-p",
            "asl-app",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    sum.step("workspace tests", || {
        let (ok, out) = summary::tee(Command::new("cargo").args([
            "test",
            "--workspace",
            "--exclude",
            "asl-app",
            "--release",
        ]));
        sum_cargo(&out);
        if ok {
            Ok(())
        } else {
            Err("cargo test failed".into())
        }
    })?;
    sum.step("release wasm build (trunk)", || dist(root))?;
    sum.step("size budget", || summary::size_budget(root))?;
    sum.step("end-to-end browser tests", || {
        let (ok, out) = summary::tee(
            Command::new("node")
                .current_dir(root)
                .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
                .arg("tests/e2e/"),
        );
        sum_node(&out);
        if ok {
            Ok(())
        } else {
            Err("end-to-end tests failed".into())
        }
    })?;
    let (passed, failed) = summary::totals();
    println!(
        "\nall checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("tests: {passed} passed, {failed} failed");
    Ok(())
}

/// Adds up cargo's `test result:` lines.
fn sum_cargo(out: &str) {
    for line in out.lines().filter(|l| l.starts_with("test result:")) {
        let num = |key: &str| -> u64 {
            line.split(';')
                .find(|p| p.trim_end().ends_with(key))
                .and_then(|p| p.split_whitespace().rev().nth(1))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let passed = line
            .split_whitespace()
            .skip_while(|w| !w.ends_with('.'))
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        summary::add(passed, num("failed"));
    }
}

/// Adds up node's test runner `# pass N` / `# fail N` lines (spec reporter prints `ℹ pass N`).
fn sum_node(out: &str) {
    let mut passed = 0;
    let mut failed = 0;
    for line in out.lines() {
        let l = line.trim_start_matches(['ℹ', '#', ' ']);
        if let Some(n) = l.strip_prefix("pass ") {
            passed = n.trim().parse().unwrap_or(0);
        } else if let Some(n) = l.strip_prefix("fail ") {
            failed = n.trim().parse().unwrap_or(0);
        }
    }
    summary::add(passed, failed);
}
