//! Builds the embeddable viewer into `dist/embed/`: the `asl-embed` wasm library, its
//! wasm-bindgen glue and the files of `www/embed/` (script, iframe viewer, example page).
//!
//! trunk replaces `dist/` on every build, so the studio's `Trunk.toml` runs this as a
//! `post_build` hook (`cargo xtask embed`): it then writes into trunk's staging directory
//! (`TRUNK_STAGING_DIR`), and every `trunk build` or `trunk serve` build, and so
//! `cargo xtask dist`, carries the embed. Run on its own, it writes `dist/embed/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Builds `asl-embed` for `wasm32-unknown-unknown` (`--profile wasm-release`, offline, a no-op
/// when nothing changed), runs `wasm-bindgen --target web --no-typescript` (dropping the name
/// section, a third of the file) into a cache in the target directory when the wasm is newer
/// than the cache, and copies the cache and `www/embed/*` into `<out>/embed/`, where `out` is
/// trunk's staging directory in a hook and `dist/` otherwise.
pub(crate) fn build(root: &Path) -> crate::Result {
    let out = match std::env::var_os("TRUNK_STAGING_DIR") {
        Some(staging) => PathBuf::from(staging).join("embed"),
        None => root.join("dist/embed"),
    };
    crate::run(Command::new("cargo").current_dir(root).args([
        "build",
        "--quiet",
        "--offline",
        "-p",
        "asl-embed",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    let wasm = target_dir.join("wasm32-unknown-unknown/wasm-release/asl_embed.wasm");
    let cache = target_dir.join("embed-bindgen");
    let stamp = cache.join("asl_embed_bg.wasm");
    if modified(&stamp).is_none() || modified(&stamp) < modified(&wasm) {
        std::fs::create_dir_all(&cache)
            .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
        crate::run(
            Command::new("wasm-bindgen")
                .current_dir(root)
                .args([
                    "--target",
                    "web",
                    "--no-typescript",
                    "--remove-name-section",
                    "--remove-producers-section",
                    "--out-dir",
                ])
                .arg(&cache)
                .arg(&wasm),
        )?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    copy_files(&cache, &out)?;
    copy_files(&root.join("www/embed"), &out)?;
    println!("embed: {} ready", out.display());
    Ok(())
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Copies the files (not the folders) of `from` into `to`.
fn copy_files(from: &Path, to: &Path) -> crate::Result {
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let source = entry.path();
        if source.is_file() {
            let dest = to.join(entry.file_name());
            std::fs::copy(&source, &dest).map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    source.display(),
                    dest.display()
                )
            })?;
        }
    }
    Ok(())
}
