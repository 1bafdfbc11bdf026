//! Idempotent installation of everything beyond the Rust toolchain that builds and tests need.
//!
//! Each step checks first and skips what is present at the right version:
//! the wasm32 target, trunk 0.21.14, the wasm-bindgen CLI matching Cargo.lock,
//! Debian Chromium + ChromeDriver (browser tests), and the npm packages (`npm ci`).

use std::path::Path;
use std::process::Command;

use crate::{Result, capture, run};

const TRUNK_VERSION: &str = "0.21.14";

pub(crate) fn all(root: &Path) -> Result {
    println!("==> setup (skips what is already installed)");
    wasm_target()?;
    trunk()?;
    wasm_bindgen(root)?;
    chromium()?;
    npm(root)?;
    front_end(root)?;
    println!("==> setup: ready");
    Ok(())
}

fn wasm_target() -> Result {
    let (_, out) = capture(Command::new("rustup").args(["target", "list", "--installed"]));
    if out.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        println!("  wasm32-unknown-unknown target: present");
        return Ok(());
    }
    println!("  adding the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn installed_version(bin: &str) -> Option<String> {
    let (ok, out) = capture(Command::new(bin).arg("--version"));
    if !ok {
        return None;
    }
    out.split_whitespace()
        .nth(1)
        .map(|v| v.trim_start_matches('v').to_string())
}

fn trunk() -> Result {
    match installed_version("trunk") {
        Some(v) if v == TRUNK_VERSION => {
            println!("  trunk {v}: present");
            return Ok(());
        }
        Some(v) => println!("  trunk {v} found, {TRUNK_VERSION} needed"),
        None => println!("  trunk not found"),
    }
    println!(
        "  installing trunk {TRUNK_VERSION} from source (first time only: 15-25 minutes on 2 cores; cargo prints each crate as it compiles)"
    );
    run(Command::new("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate in Cargo.lock exactly.
fn wasm_bindgen(root: &Path) -> Result {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let want = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .ok_or("no wasm-bindgen in Cargo.lock")?;
    match installed_version("wasm-bindgen") {
        Some(v) if v == want => {
            println!("  wasm-bindgen CLI {v}: present");
            return Ok(());
        }
        Some(v) => println!("  wasm-bindgen CLI {v} found, {want} needed"),
        None => println!("  wasm-bindgen CLI not found"),
    }
    println!("  installing wasm-bindgen-cli {want} (first time only: about 8 minutes)");
    // Not `--locked`: the CLI's own lockfile pins a yanked crate.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

fn chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        println!("  chromium + chromium-driver: present");
        return Ok(());
    }
    println!("  installing Debian chromium + chromium-driver (apt-get)");
    let sudo = |args: &[&str]| {
        let is_root = capture(Command::new("id").arg("-u")).1.trim() == "0";
        let mut c = if is_root {
            Command::new(args[0])
        } else {
            Command::new("sudo")
        };
        if is_root {
            c.args(&args[1..]);
        } else {
            c.args(args);
        }
        c.env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut sudo(&["apt-get", "update", "-q"]))?;
    run(&mut sudo(&[
        "apt-get",
        "install",
        "-y",
        "-q",
        "chromium",
        "chromium-driver",
    ]))
}

fn npm(root: &Path) -> Result {
    // A node_modules that links to another checkout's (a git worktree sharing one install) is
    // left alone: `npm ci` would empty the folder it links to before replacing the link.
    let modules = root.join("node_modules");
    if std::fs::symlink_metadata(&modules).is_ok_and(|m| m.file_type().is_symlink()) {
        let to = std::fs::read_link(&modules).unwrap_or_default();
        println!(
            "  npm packages: node_modules links to {}, left as it is",
            to.display()
        );
        return Ok(());
    }
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        println!("  npm packages: present");
        return Ok(());
    }
    println!("  installing npm packages (npm ci)");
    run(Command::new("npm")
        .current_dir(root)
        .args(["ci", "--no-audit", "--no-fund"]))
}

/// Bundles the front-end JavaScript (the CodeMirror editor) with esbuild, when the app has any.
/// The bundle is generated, never committed; trunk also runs the same script as a pre-build hook.
fn front_end(root: &Path) -> Result {
    let script = root.join("www/build-editor.mjs");
    if !script.exists() {
        return Ok(());
    }
    println!("  bundling the front-end JavaScript (esbuild)");
    run(Command::new("node").current_dir(root).arg(script))
}
