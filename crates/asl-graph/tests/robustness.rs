//! Odd inputs never panic, text is escaped, and the SVG contract (groups, data attributes,
//! overlay classes) holds.

use std::collections::{BTreeMap, BTreeSet};

use asl_graph::{
    NodeKind, Overlay, RenderOptions, Status, SvgOptions, Theme, build, layout, render_svg, to_svg,
};
use serde_json::{Value, json};

fn draw(def: &Value) -> String {
    let graph = build(def);
    let scene = layout(&graph, &RenderOptions::default());
    to_svg(
        &scene,
        &SvgOptions {
            theme: Theme::Light,
            overlay: None,
            standalone: true,
        },
    )
}

#[test]
fn odd_documents_draw_something() {
    let cases = [
        json!(null),
        json!([]),
        json!("StartAt"),
        json!({}),
        json!({"States": []}),
        json!({"StartAt": 5, "States": {"A": null, "B": 7, "C": []}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": {"x": 1}, "Default": 3}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [1, {"Not": 2, "Next": "A"}, {"And": 3, "Next": "B"}]}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": {"no": "array"}, "End": true}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [null, 1, {}], "End": true}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Map", "ItemProcessor": 5, "Catch": [null, {"Next": 1}, {"ErrorEquals": "x", "Next": "Z"}], "End": true}}}),
        json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": ["x"], "Retry": [], "End": "yes"}}}),
        json!({"StartAt": "", "States": {"": {"Type": "", "End": true}}}),
    ];
    for def in cases {
        let svg = draw(&def);
        assert!(svg.starts_with("<svg"), "{def}");
        assert!(svg.contains("data-terminal=\"start\""), "{def}");
    }
}

#[test]
fn deep_nesting_is_cut_not_crashed() {
    // Build the 10,000-level document and drop it on a thread with a large stack, because
    // serde_json's own recursive drop is not what is under test.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(|| {
            let mut machine =
                json!({"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": true}}});
            for i in 0..10_000 {
                let ty = if i % 2 == 0 { "Parallel" } else { "Map" };
                let inner = std::mem::take(&mut machine);
                // Build by hand: `json!` would copy `inner` on every level.
                let mut state = serde_json::Map::new();
                state.insert("Type".into(), Value::String(ty.into()));
                if ty == "Parallel" {
                    state.insert("Branches".into(), Value::Array(vec![inner]));
                } else {
                    state.insert("ItemProcessor".into(), inner);
                }
                state.insert("End".into(), Value::Bool(true));
                let state = Value::Object(state);
                let mut states = serde_json::Map::new();
                states.insert(format!("Level {i}"), state);
                let mut m = serde_json::Map::new();
                m.insert("StartAt".into(), Value::String(format!("Level {i}")));
                m.insert("States".into(), Value::Object(states));
                machine = Value::Object(m);
            }
            let graph = build(&machine);
            let truncated = graph.nodes.iter().filter(|n| n.truncated).count();
            let svg = to_svg(
                &layout(&graph, &RenderOptions::default()),
                &SvgOptions::default(),
            );
            (truncated, svg.len())
        })
        .expect("thread starts");
    let (truncated, len) = handle.join().expect("no panic");
    assert_eq!(truncated, 1);
    assert!(len > 0);
}

#[test]
fn names_are_escaped() {
    let def = json!({
        "StartAt": "<script>alert(1)</script>",
        "States": {
            "<script>alert(1)</script>": {"Type": "Pass", "Next": "a\"b&c"},
            "a\"b&c": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "</text><script>", "Next": "<script>alert(1)</script>"}], "Default": "<b>"}
        }
    });
    let svg = render_svg(
        &def,
        &SvgOptions {
            standalone: true,
            ..SvgOptions::default()
        },
    );
    assert!(svg.contains("&lt;script&gt;"));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("data-state=\"a\u{FF02}b&amp;c\""));
}

#[test]
fn svg_contract() {
    let def = json!({
        "StartAt": "Work",
        "States": {
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"]}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}], "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Missing one"},
            "Done": {"Type": "Succeed"},
            "Oops": {"Type": "Fail"},
            "Island": {"Type": "Pass", "End": true}
        }
    });
    let graph = build(&def);
    let scene = layout(&graph, &RenderOptions::default());
    let overlay = Overlay {
        node_status: BTreeMap::from([
            ("Work".to_string(), Status::Succeeded),
            ("Oops".to_string(), Status::NotRun),
        ]),
        badges: BTreeMap::from([("Work".to_string(), (2, 0))]),
        edge_taken: Some(BTreeSet::from([(
            "__start".to_string(),
            "Work".to_string(),
        )])),
    };
    let svg = to_svg(
        &scene,
        &SvgOptions {
            theme: Theme::Dark,
            overlay: Some(overlay),
            standalone: false,
        },
    );
    assert!(!svg.contains("transform"));
    assert!(!svg.contains("<style"));
    assert!(svg.contains("theme-dark"));
    for needle in [
        r#"data-state="Work" data-type="Task""#,
        r#"data-terminal="start""#,
        r#"data-terminal="end""#,
        r#"data-missing="Missing one""#,
        r#"data-from="Work" data-kind="catch" data-to="Oops""#,
        r#"data-from="Check" data-kind="default" data-to="Missing one""#,
        r#"data-from="Check" data-kind="choice" data-to="Done""#,
        r#"data-from="Done" data-kind="next" data-to="__end""#,
        r#"data-from="Oops" data-kind="next" data-to="__end""#,
        "status-succeeded",
        "status-not-run",
        "badge-retries",
        "has-retry",
        "unreachable",
        "edge kind-next taken",
        "not-taken",
        "$.ok == true",
    ] {
        assert!(svg.contains(needle), "missing {needle}");
    }
    // Each state's group starts with its title and then its box, in scene coordinates.
    for n in scene.nodes.iter().filter(|n| n.kind == NodeKind::State) {
        let at = svg
            .find(&format!("data-state=\"{}\"", n.name))
            .expect("state group");
        let rect_at = svg[at..].find("<rect").expect("box") + at;
        let rect = &svg[rect_at..rect_at + svg[rect_at..].find("/>").expect("end")];
        assert!(rect.contains(&format!("x=\"{}\"", fmt(n.rect.x))), "{rect}");
        assert!(rect.contains(&format!("y=\"{}\"", fmt(n.rect.y))), "{rect}");
    }
}

fn fmt(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[test]
fn labels_are_cut_with_full_text_kept() {
    let def = json!({
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.some.rather.long.path", "StringEquals": "a long value", "Next": "D"}]},
            "D": {"Type": "Succeed"}
        }
    });
    let scene = layout(&build(&def), &RenderOptions::default());
    let label = scene
        .edges
        .iter()
        .find_map(|e| e.label.as_ref())
        .expect("label");
    assert_eq!(label.line.text.chars().count(), 28);
    assert!(label.line.text.ends_with('…'));
    assert_eq!(
        label.line.full,
        "$.some.rather.long.path == \"a long value\""
    );
    let svg = to_svg(&scene, &SvgOptions::default());
    assert!(svg.contains("<title>$.some.rather.long.path == \"a long value\"</title>"));
}

#[test]
fn hit_testing_finds_the_innermost_node() {
    let def = json!({
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}], "End": true}}
    });
    let scene = layout(&build(&def), &RenderOptions::default());
    let inner = scene
        .nodes
        .iter()
        .find(|n| n.name == "In")
        .expect("inner state");
    let (cx, cy) = (
        inner.rect.x + inner.rect.width / 2.0,
        inner.rect.y + inner.rect.height / 2.0,
    );
    assert_eq!(scene.node_at(cx, cy).map(|n| n.name.as_str()), Some("In"));
    let outer = scene
        .nodes
        .iter()
        .find(|n| n.name == "P")
        .expect("parallel");
    assert_eq!(
        scene
            .node_at(outer.rect.x + 2.0, outer.rect.y + 2.0)
            .map(|n| n.name.as_str()),
        Some("P")
    );
    assert!(scene.node_at(-5.0, -5.0).is_none());
    assert_eq!(scene.node_by_name("In").map(|n| n.rect), Some(inner.rect));
    assert!(
        asl_graph::icon_svg("lambda", asl_graph::Point { x: 1.0, y: 2.0 })
            .starts_with("<g class=\"icon icon-lambda\"")
    );
}

/// A host measurer that misbehaves.
struct Broken;

impl asl_graph::TextMeasure for Broken {
    fn width(&self, text: &str, _font_size: f64, _bold: bool) -> f64 {
        match text.len() % 3 {
            0 => f64::NAN,
            1 => -5.0,
            _ => f64::INFINITY,
        }
    }
}

#[test]
fn a_broken_measurer_does_not_break_the_layout() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "B"}], "Default": "B"}, "B": {"Type": "Succeed"}}});
    let opts = RenderOptions {
        measure: Some(std::rc::Rc::new(Broken)),
        spacing: None,
    };
    let scene = layout(&build(&def), &opts);
    assert!(scene.width.is_finite() && scene.height.is_finite());
    assert!(
        scene
            .nodes
            .iter()
            .all(|n| n.rect.width.is_finite() && n.rect.x.is_finite())
    );
}
