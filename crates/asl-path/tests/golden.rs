//! Data-driven golden tests: each `test_data/<area>/<name>.txt` input is run and the output
//! compared with `<name>.expected`. Regenerate with `UPDATE_EXPECT=1 cargo test -p asl-path`.

use std::fmt::Write as _;
use std::path::Path as FsPath;

use asl_path::intrinsic::{self, SeededEnv};
use asl_path::{Path, ReferencePath, Template, check_template, eval_template};
use serde_json::Value;

/// Runs `f` over the input file and compares its output with the `.expected` file.
fn check(name: &str, f: impl Fn(&str) -> String) {
    let dir = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let input = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap_or_default();
    let actual = f(&input);
    let expected_path = dir.join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).ok();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name}: output differs from {}; rerun with UPDATE_EXPECT=1 to update.\n--- actual ---\n{actual}",
        expected_path.display()
    );
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| Value::String(format!("BAD TEST JSON: {e}")))
}

fn show(r: Result<Value, asl_path::EvalError>) -> String {
    match r {
        Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
        Err(e) => format!("ERROR {}: {} [{:?}]", e.error, e.cause, e.kind),
    }
}

/// Lines `input <json>`, `context <json>`, `vars <json object>` set the documents; `#`
/// starts a comment; every other line is evaluated with `eval_line`.
fn run_lines(
    input: &str,
    eval_line: impl Fn(&str, &Value, &Value, &dyn Fn(&str) -> Option<Value>) -> String,
) -> String {
    let mut out = String::new();
    let mut doc = Value::Null;
    let mut ctx = Value::Null;
    let mut vars = Value::Null;
    for line in input.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(rest) = line.strip_prefix("input ") {
            doc = json(rest);
        } else if let Some(rest) = line.strip_prefix("context ") {
            ctx = json(rest);
        } else if let Some(rest) = line.strip_prefix("vars ") {
            vars = json(rest);
        } else {
            let lookup = |name: &str| vars.get(name).cloned();
            let _ = writeln!(out, "{line}\n  -> {}", eval_line(line, &doc, &ctx, &lookup));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn path_eval() {
    check("path/eval", |input| {
        run_lines(input, |line, doc, ctx, vars| match Path::parse(line) {
            Ok(p) => {
                let exists = if p.exists(doc, ctx, vars) {
                    ""
                } else {
                    " (not present)"
                };
                format!("{}{exists}", show(p.eval(doc, ctx, vars)))
            }
            Err(e) => format!("SYNTAX at {}: {}", e.offset, e.message),
        })
    });
}

#[test]
fn path_regex() {
    check("path/regex", |input| {
        run_lines(input, |line, doc, ctx, vars| match Path::parse(line) {
            Ok(p) => show(p.eval(doc, ctx, vars)),
            Err(e) => format!("SYNTAX at {}: {}", e.offset, e.message),
        })
    });
}

#[test]
fn path_syntax() {
    check("path/syntax", |input| {
        let mut out = String::new();
        for line in input.lines() {
            if line.is_empty() || line.starts_with('#') {
                let _ = writeln!(out, "{line}");
                continue;
            }
            let _ = match Path::parse(line) {
                Ok(p) => writeln!(
                    out,
                    "{line}\n  -> ok root={:?} definite={} normalized={}",
                    p.root(),
                    p.is_definite(),
                    p.normalized()
                ),
                Err(e) => writeln!(out, "{line}\n  -> error at {}: {}", e.offset, e.message),
            };
        }
        out
    });
}

/// Lines are `<reference path> <TAB> <target json> <TAB> <value json>`.
#[test]
fn reference_set() {
    check("reference/set", |input| {
        let mut out = String::new();
        for line in input.lines() {
            if line.is_empty() || line.starts_with('#') {
                let _ = writeln!(out, "{line}");
                continue;
            }
            let parts: Vec<&str> = line.split('\t').collect();
            let result = match ReferencePath::parse(parts[0]) {
                Err(e) => format!("SYNTAX at {}: {}", e.offset, e.message),
                Ok(p) if parts.len() == 3 => {
                    let mut target = json(parts[1]);
                    let shown = show(p.set(&mut target, json(parts[2])).map(|()| target));
                    // `set_recorded` writes the same and reports what it replaced.
                    let mut again = json(parts[1]);
                    let recorded = p.set_recorded(&mut again, json(parts[2]));
                    let written = match &recorded {
                        Ok(Some(w)) => format!("written at {:?}, old {:?}", w.at, w.old),
                        Ok(None) => "written nothing".to_string(),
                        Err(_) => "written nothing (error)".to_string(),
                    };
                    assert_eq!(
                        show(recorded.map(|_| again)),
                        shown,
                        "set_recorded differs from set on {line}"
                    );
                    format!("{shown}\n     {written}")
                }
                Ok(_) => "ok".to_string(),
            };
            let _ = writeln!(out, "{line}\n  -> {result}");
        }
        out
    });
}

#[test]
fn intrinsic_eval() {
    check("intrinsic/eval", |input| {
        run_lines(input, |line, doc, ctx, vars| match intrinsic::parse(line) {
            Ok(call) => {
                let result = show(intrinsic::eval(
                    &call,
                    doc,
                    ctx,
                    vars,
                    &mut SeededEnv::new(1),
                ));
                match call.depth() {
                    1 => result,
                    d => format!("{result} (depth {d}, {} calls)", call.count()),
                }
            }
            Err(e) => format!("SYNTAX at {}: {}", e.offset, e.message),
        })
    });
}

/// Each line is a JSON template: `check_template` errors, then the evaluated result (the
/// same evaluated directly and compiled once).
#[test]
fn template() {
    check("template/eval", |input| {
        run_lines(input, |line, doc, ctx, vars| {
            let t = json(line);
            let mut s = String::new();
            for (ptr, e) in check_template(&t) {
                let _ = write!(s, "CHECK {ptr} at {}: {}\n     ", e.offset, e.message);
            }
            let direct = show(eval_template(&t, doc, ctx, vars, &mut SeededEnv::new(1)));
            let compiled = show(Template::compile(&t).eval(doc, ctx, vars, &mut SeededEnv::new(1)));
            s.push_str(&direct);
            if compiled != direct {
                let _ = write!(s, "\n     COMPILED DIFFERS: {compiled}");
            }
            s
        })
    });
}

/// Pathologically nested or long input yields errors, never a stack overflow or a panic.
#[test]
fn limits() {
    check("limits", |_| {
        let mut out = String::new();
        let deep_filter = format!("$[?({}@.x{})]", "(".repeat(10_000), ")".repeat(10_000));
        let deep_brackets = format!("${}", "[?(@".repeat(10_000));
        let long_path = format!("${}", ".a".repeat(10_000));
        let deep_call = format!("{}1{}", "States.Array(".repeat(10_000), ")".repeat(10_000));
        let deep_unary = format!("$[?({}@.x)]", "!".repeat(10_000));
        for (name, s) in [
            ("deep filter", &deep_filter),
            ("deep brackets", &deep_brackets),
            ("deep unary", &deep_unary),
        ] {
            let r = Path::parse(s).map(|_| ());
            let _ = writeln!(out, "{name}: {:?}", r.map_err(|e| (e.offset, e.message)));
        }
        let p = Path::parse(&long_path);
        let _ = writeln!(out, "long path parses: {}", p.is_ok());
        if let Ok(p) = p {
            let r = p.eval_on(&serde_json::json!({}));
            let _ = writeln!(
                out,
                "long path on {{}}: {:?}",
                r.map_err(|e| e.cause[e.cause.len().saturating_sub(40)..].to_string())
            );
        }
        let r = intrinsic::parse(&deep_call).map(|_| ());
        let _ = writeln!(out, "deep call: {:?}", r.map_err(|e| (e.offset, e.message)));
        let mut deep = Value::Null;
        for _ in 0..2000 {
            let mut m = serde_json::Map::new();
            m.insert("k".into(), deep);
            deep = Value::Object(m);
        }
        let checks = check_template(&deep);
        let _ = writeln!(
            out,
            "deep template check: {:?}",
            checks.first().map(|(p, e)| (p.len(), &e.message))
        );
        let r = eval_template(
            &deep,
            &Value::Null,
            &Value::Null,
            &|_| None,
            &mut SeededEnv::new(1),
        );
        let _ = writeln!(out, "deep template eval ok: {}", r.is_ok());
        let d = Path::parse("$..[?(@.zz)]")
            .map(|p| p.eval_on(&deep).map(|v| v.as_array().map(Vec::len)));
        let _ = writeln!(
            out,
            "filtered descendants of deep value: {:?}",
            d.map(|r| r.ok())
        );
        // Leak the deep value: serde_json drops values recursively, which is not under test here.
        std::mem::forget(deep);
        out
    });
}
