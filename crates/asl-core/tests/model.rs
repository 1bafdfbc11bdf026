//! Snapshot tests of the typed model: `test_data/model/*.asl.json` rendered as a state outline.

use std::fmt::Write;
use std::path::PathBuf;

use asl_core::model::{NumOrExpr, StateKind};
use asl_core::{Format, parse};

fn num(n: &Option<asl_core::Spanned<NumOrExpr>>) -> String {
    match n.as_ref().map(|s| &s.value) {
        Some(NumOrExpr::Number(v)) => v.to_string(),
        Some(NumOrExpr::Expr(e)) => e.clone(),
        None => "-".into(),
    }
}

/// Renders the model of one definition as an outline.
fn check(text: &str) -> String {
    let p = parse(text, Format::Json);
    let mut out = String::new();
    let m = &p.machine;
    writeln!(
        out,
        "machine: start={:?} timeout={:?} ql={:?} version={:?}",
        m.start_at.as_ref().map(|s| &s.value),
        m.timeout_seconds.as_ref().map(|s| s.value),
        m.query_language.as_ref().map(|q| q.value),
        m.version.as_ref().map(|s| &s.value)
    )
    .unwrap();
    for s in m.states() {
        let st = s.state;
        let indent = "  ".repeat(s.depth + 1);
        let transitions: Vec<String> = st
            .transitions()
            .iter()
            .map(|t| format!("{:?}->{}", t.kind, t.target))
            .collect();
        write!(
            out,
            "{indent}{} [{}] ql={:?} scope={} parent={:?} {}",
            st.name,
            st.kind_name(),
            s.query_language,
            s.scope,
            s.parent.map(|p| &p.name),
            transitions.join(" ")
        )
        .unwrap();
        match &st.kind {
            StateKind::Task(t) => write!(out, " resource={:?} timeout={} heartbeat={} retry={} catch={}", t.resource.as_ref().map(|r| &r.value), num(&t.timeout_seconds), num(&t.heartbeat_seconds), t.retry.len(), t.catch.len()).unwrap(),
            StateKind::Choice(c) => write!(out, " rules={} ops={:?}", c.choices.len(), c.choices.iter().map(|r| r.operator_count()).collect::<Vec<_>>()).unwrap(),
            StateKind::Wait(w) => write!(out, " seconds_path={:?}", w.seconds_path.as_ref().map(|s| &s.value)).unwrap(),
            StateKind::Map(mp) => write!(out, " distributed={} iterator={} items_path={:?} max_concurrency={} reader={:?} writer={:?} label={:?}", mp.is_distributed(), mp.uses_iterator, mp.items_path.as_ref().map(|s| &s.value), num(&mp.max_concurrency), mp.item_reader.as_ref().and_then(|r| r.resource.as_ref()).map(|r| &r.value), mp.result_writer.as_ref().and_then(|r| r.resource.as_ref()).map(|r| &r.value), mp.label.as_ref().map(|s| &s.value)).unwrap(),
            StateKind::Parallel(pl) => write!(out, " branches={}", pl.branches.len()).unwrap(),
            StateKind::Fail(f) => write!(out, " error_path={:?} cause={:?}", f.error_path.as_ref().map(|s| &s.value), f.cause.as_ref().map(|s| &s.value)).unwrap(),
            _ => {}
        }
        out.push('\n');
    }
    for d in &p.diagnostics {
        writeln!(out, "{} {} {}", d.code, d.pointer, d.message).unwrap();
    }
    out
}

#[test]
fn model_outlines() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/model");
    for name in ["full", "broken"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.asl.json"))).unwrap();
        insta::with_settings!({snapshot_path => dir.join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, check(&text));
        });
    }
}
