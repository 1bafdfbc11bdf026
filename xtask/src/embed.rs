//! Builds the embeddable viewer into `dist/embed/`: the `asl-embed` wasm library, its
//! wasm-bindgen glue and the files of `www/embed/` (script, iframe viewer, example page).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `asl-embed` for `wasm32-unknown-unknown` (`--profile wasm-release`), runs
/// `wasm-bindgen --target web --no-typescript` into `dist/embed/` (dropping the name section,
/// a third of the file) and copies `www/embed/*` there. Run it after trunk, which empties `dist/`.
pub(crate) fn build(root: &Path) -> crate::Result {
    crate::run(Command::new("cargo").current_dir(root).args([
        "build",
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
    let out = root.join("dist/embed");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
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
            .arg(&out)
            .arg(&wasm),
    )?;
    let www = root.join("www/embed");
    let entries =
        std::fs::read_dir(&www).map_err(|e| format!("cannot read {}: {e}", www.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", www.display()))?;
        let from = entry.path();
        if from.is_file() {
            let to = out.join(entry.file_name());
            std::fs::copy(&from, &to)
                .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
        }
    }
    println!("embed: {} ready", out.display());
    Ok(())
}
