//! Draws every definition of the shared conformance corpus: no panic, every state present.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use asl_graph::{
    LayoutCache, MAX_NESTING, RenderOptions, SvgOptions, build, layout, layout_cached, to_svg,
};
use serde_json::Value;

/// Collects the JSON Pointers of every state, as deep as the graph draws nesting.
fn state_pointers(machine: &Value, pointer: &str, depth: usize, out: &mut BTreeSet<String>) {
    let Some(states) = machine.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        let at = format!(
            "{pointer}/States/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        out.insert(at.clone());
        if depth + 1 > MAX_NESTING {
            continue;
        }
        match state.get("Type").and_then(Value::as_str) {
            Some("Parallel") => {
                for (i, b) in state
                    .get("Branches")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    state_pointers(b, &format!("{at}/Branches/{i}"), depth + 1, out);
                }
            }
            Some("Map") => {
                if let Some(p) = state.get("ItemProcessor") {
                    state_pointers(p, &format!("{at}/ItemProcessor"), depth + 1, out);
                } else if let Some(p) = state.get("Iterator") {
                    state_pointers(p, &format!("{at}/Iterator"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

/// The corpus cases (file name, parsed case), every `step`-th file in name order; empty, with a
/// notice, when the shared corpus is absent.
fn corpus_cases(what: &str, step: usize) -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/cases");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "notice: {} is absent, {what} has nothing to draw",
            dir.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .step_by(step)
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let case = serde_json::from_str::<Value>(&text).ok()?;
            let file = path.file_name()?.to_str()?.to_string();
            Some((file, case))
        })
        .collect()
}

#[test]
fn corpus_definitions_render() {
    let mut failures = Vec::new();
    let mut geometry = Vec::new();
    let mut drawn = 0;
    for (file, case) in corpus_cases("the corpus test", 1) {
        let def = match case.get("definition") {
            Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::Null),
            Some(v) => v.clone(),
            None => continue,
        };
        let graph = build(&def);
        let scene = layout(&graph, &RenderOptions::default());
        let svg = to_svg(&scene, &SvgOptions::default());
        drawn += 1;
        let mut expected = BTreeSet::new();
        state_pointers(&def, "", 0, &mut expected);
        let got: BTreeSet<String> = graph
            .nodes
            .iter()
            .filter(|n| n.kind.is_state())
            .map(|n| n.pointer.clone())
            .collect();
        if expected != got {
            failures.push(format!("{file}: states {expected:?} drawn as {got:?}"));
        }
        let groups = svg.matches("<g class=\"state").count();
        if groups != got.len() {
            failures.push(format!(
                "{file}: {groups} state groups for {} states",
                got.len()
            ));
        }
        for p in common::geometry_problems(&scene) {
            geometry.push(format!("{file}: {p}"));
        }
    }
    eprintln!(
        "drew {drawn} corpus definitions; {} geometry notes",
        geometry.len()
    );
    for g in geometry.iter().take(40) {
        eprintln!("  {g}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Replaces the value of every `key` in the document by `with`.
fn mutate(value: &mut Value, key: &str, with: &Value, depth: usize) {
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == key {
                    *v = with.clone();
                } else {
                    mutate(v, key, with, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                mutate(v, key, with, depth + 1);
            }
        }
        _ => {}
    }
}

/// Corpus definitions with fields set to wrong types or odd values still draw.
#[test]
fn mutated_corpus_definitions_render() {
    let mutations = [
        ("Next", serde_json::json!(7)),
        ("Type", serde_json::json!("Parallel")),
        ("Type", serde_json::json!("Map")),
        ("Type", serde_json::json!("Choice")),
        ("Branches", serde_json::json!({})),
        ("States", serde_json::json!([])),
        ("StartAt", serde_json::json!("Nowhere")),
        ("Choices", serde_json::json!("x")),
        (
            "Catch",
            serde_json::json!([{"ErrorEquals": 1, "Next": "Nowhere"}]),
        ),
        ("Resource", Value::Null),
        ("End", serde_json::json!("true")),
        ("Default", serde_json::json!(["a"])),
        (
            "ItemProcessor",
            serde_json::json!({"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "X"}}}),
        ),
    ];
    let mut drawn = 0;
    for (_, case) in corpus_cases("the mutation test", 5) {
        let Some(def) = case.get("definition") else {
            continue;
        };
        for (key, with) in &mutations {
            let mut def = def.clone();
            mutate(&mut def, key, with, 0);
            let svg = asl_graph::render_svg(&def, &SvgOptions::default());
            assert!(svg.starts_with("<svg"));
            drawn += 1;
        }
    }
    eprintln!("drew {drawn} mutated definitions");
}

/// The editor's layout cache: one cache through a sequence of edits of every corpus definition
/// (each machine, a renamed start target typed one letter at a time, changed comments, retyped
/// states) gives exactly the scene a fresh layout gives, and it is reused where boxes and edges
/// stayed the same.
#[test]
fn cached_layouts_equal_fresh_layouts() {
    let opts = RenderOptions::default();
    let mut cache = LayoutCache::default();
    let mut drawn = 0;
    for (file, case) in corpus_cases("the layout cache test", 3) {
        let Some(def) = case.get("definition") else {
            continue;
        };
        let mut edits = vec![def.clone()];
        for typed in ["Nowhere", "Nowherex", "Nowherexy"] {
            let mut d = def.clone();
            d["StartAt"] = Value::String(typed.into());
            edits.push(d);
        }
        for (key, with) in [
            ("Comment", serde_json::json!("changed")),
            ("Comment", serde_json::json!("changed again")),
            ("Type", serde_json::json!("Pass")),
            ("Next", serde_json::json!("Nowhere")),
        ] {
            let mut d = def.clone();
            mutate(&mut d, key, &with, 0);
            edits.push(d);
        }
        for def in &edits {
            let g = build(def);
            assert_eq!(
                layout_cached(&g, &opts, &mut cache),
                layout(&g, &opts),
                "{file}"
            );
            drawn += 1;
        }
    }
    eprintln!(
        "drew {drawn} edits, {} with a reused layout",
        cache.reused()
    );
    if drawn > 0 {
        assert!(cache.reused() > 0);
    }
}
