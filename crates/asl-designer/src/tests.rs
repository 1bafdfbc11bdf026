//! Data-driven tests: command scripts under `test_data/commands/`, templates, and the
//! history, keymap, layout and document behaviour driven through the harness.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::catalogue::Palette;
use crate::commands::Command;
use crate::document::{Document, Format, MachineType};
use crate::harness::DesignerHarness;
use crate::keymap::{self, Shortcut};
use crate::layout::Layout;
use crate::selection::Direction;
use crate::templates::TEMPLATES;
use crate::text::Span;

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data")
}

/// Compares `actual` with a golden file; `UPDATE_EXPECT=1` rewrites it.
fn check_file(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (run with UPDATE_EXPECT=1 to accept):\n--- actual ---\n{actual}",
        path.display()
    );
}

fn errors(text: &str) -> Vec<String> {
    let format = match Format::detect(text) {
        Format::Json => asl_core::Format::Json,
        Format::Yaml => asl_core::Format::Yaml,
    };
    let (_, diags) = asl_core::check(text, format);
    diags
        .iter()
        .filter(|d| d.severity == asl_core::Severity::Error)
        .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
        .collect()
}

#[test]
fn command_scripts() {
    let dir = test_data().join("commands");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let before_json = case.join("before.asl.json");
        let before_yaml = case.join("before.asl.yaml");
        let (mut h, ext) = if before_json.exists() {
            (
                DesignerHarness::new(&std::fs::read_to_string(&before_json).unwrap()),
                "json",
            )
        } else if before_yaml.exists() {
            (
                DesignerHarness::new(&std::fs::read_to_string(&before_yaml).unwrap()),
                "yaml",
            )
        } else {
            (DesignerHarness::empty(), "json")
        };
        let script = std::fs::read_to_string(case.join("commands.txt")).unwrap();
        let log = h.run_script(&script);
        check_file(&case.join(format!("after.asl.{ext}")), h.text());
        if script.contains("# expect: valid") {
            assert_eq!(
                errors(h.text()),
                Vec::<String>::new(),
                "{name}: validation errors"
            );
        }
        insta::with_settings!({ snapshot_suffix => name.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("log", log);
        });
    }
}

#[test]
fn templates_validate_without_errors() {
    for t in TEMPLATES {
        assert_eq!(
            errors(t.definition),
            Vec::<String>::new(),
            "template {}",
            t.id
        );
        // No warnings either (the tutorial's "Credit applied >= 5000?" is a valid name).
        let (_, diags) = asl_core::check(t.definition, asl_core::Format::Json);
        let warnings: Vec<String> = diags
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.pointer, d.message))
            .collect();
        assert_eq!(warnings, Vec::<String>::new(), "template {}", t.id);
        let input: serde_json::Value = serde_json::from_str(t.input).unwrap();
        assert!(input.is_object(), "template {} input", t.id);
        let mocks: serde_json::Value = serde_json::from_str(t.mocks).unwrap();
        assert!(
            mocks["StateMachines"][t.machine_name]["TestCases"].is_object(),
            "template {} mocks",
            t.id
        );
        let doc = t.document();
        let o = doc.outline();
        // Every mocked state exists in the definition.
        for case in mocks["StateMachines"][t.machine_name]["TestCases"]
            .as_object()
            .unwrap()
            .values()
        {
            for state in case.as_object().unwrap().keys() {
                assert!(
                    o.contains(state),
                    "template {} mocks unknown state {state}",
                    t.id
                );
            }
        }
    }
}

#[test]
fn credit_limit_built_by_commands_matches_the_template() {
    let built =
        std::fs::read_to_string(test_data().join("commands/build_credit_limit/after.asl.json"))
            .unwrap();
    let template = crate::templates::template("credit-limit").unwrap();
    let a: serde_json::Value = serde_json::from_str(&built).unwrap();
    let b: serde_json::Value = serde_json::from_str(template.definition).unwrap();
    let names = |v: &serde_json::Value| {
        let mut n: Vec<String> = crate::document::Document::new(&v.to_string())
            .outline()
            .names()
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&a), names(&b));
    // The same transitions, state by state.
    for (name, state) in b["States"].as_object().unwrap() {
        for key in ["Next", "Default", "End", "Type", "Resource"] {
            assert_eq!(a["States"][name][key], state[key], "{name} {key}");
        }
    }
}

#[test]
fn typing_burst_is_one_undo_step() {
    let mut h = DesignerHarness::new(
        "{\"Comment\": \"\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
    );
    let start = h.text().find("\"\"").unwrap() + 1;
    for (i, c) in "hello".chars().enumerate() {
        h.type_text(Span::new(start + i, start + i), &c.to_string());
    }
    assert!(h.text().contains("\"hello\""));
    h.type_text(Span::new(start + 4, start + 5), "");
    assert!(h.text().contains("\"hell\""));
    h.press("Mod+Z");
    assert!(h.text().contains("\"Comment\": \"\""), "{}", h.text());
    h.press("Mod+Shift+Z");
    assert!(h.text().contains("\"hell\""));
    // A checkpoint (for example after a pause) starts a new step.
    h.run(Command::Checkpoint);
    h.type_text(Span::new(start + 4, start + 4), "o");
    h.press("Mod+Z");
    assert!(h.text().contains("\"hell\""));
    assert!(h.designer.has_unsaved_changes());
}

#[test]
fn a_drag_is_one_transaction_and_escape_aborts_it() {
    let mut h = DesignerHarness::new(
        crate::templates::template("hello-world")
            .unwrap()
            .definition,
    );
    let original = h.designer.document().clone();
    h.run(Command::BeginTransaction);
    for i in 0..5 {
        h.run(Command::SetPosition {
            state: "Wait for X seconds".into(),
            position: Some([f64::from(i), 2.0]),
        });
    }
    h.run(Command::CommitTransaction);
    assert_eq!(
        h.designer.document().layout().states["Wait for X seconds"].position,
        Some([4.0, 2.0])
    );
    h.press("Mod+Z");
    assert_eq!(**h.designer.document(), *original);
    assert!(!h.designer.has_unsaved_changes());
    h.press("Mod+Y");
    assert!(h.designer.has_unsaved_changes());
    h.designer.mark_saved();
    assert!(!h.designer.has_unsaved_changes());
    let saved = h.designer.document().clone();
    h.run(Command::BeginTransaction);
    h.run(Command::SetPosition {
        state: "Wait for X seconds".into(),
        position: Some([9.0, 9.0]),
    });
    h.press("Escape");
    assert_eq!(**h.designer.document(), *saved);
    assert!(!h.designer.can_redo());
}

#[test]
fn stale_machine_value_while_text_is_broken() {
    let mut h = DesignerHarness::new(
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
    );
    let (v, stale) = h.designer.document().machine_value();
    assert!(v.is_some() && !stale);
    h.type_text(Span::new(0, 1), "");
    let doc = h.designer.document().clone();
    let (v, stale) = doc.machine_value();
    assert!(stale);
    assert_eq!(v.unwrap()["StartAt"], json!("A"));
    assert_eq!(doc.outline().names(), vec!["A"]);
    // Visual edits refuse to run on broken text instead of guessing.
    let out = h.add_state_on_edge("A", "B", Palette::Pass);
    assert!(out.error.is_some());
}

#[test]
fn selection_maps_to_text_and_back() {
    let text = crate::templates::template("credit-limit")
        .unwrap()
        .definition;
    let mut h = DesignerHarness::new(text);
    let range = h.designer.state_range("Verify address").unwrap();
    assert!(text[range.start..range.end].starts_with("\"Verify address\": {"));
    h.run(Command::SelectAtOffset(range.start + 30));
    assert_eq!(
        h.designer.selection().states,
        vec!["Verify address".to_owned()]
    );
    let outer = h
        .designer
        .state_range("Verify applicant's identity and address")
        .unwrap();
    h.run(Command::SelectAtOffset(outer.start + 5));
    assert_eq!(
        h.designer.selection().primary(),
        Some("Verify applicant's identity and address")
    );
    assert_eq!(h.designer.selection_range(), Some(outer));
    h.press("ArrowDown");
    assert_eq!(
        h.designer.selection().primary(),
        Some("Get list of credit bureaus")
    );
    h.press("ArrowUp");
    assert_eq!(
        h.designer.selection().primary(),
        Some("Verify applicant's identity and address")
    );
    h.run(Command::Select(crate::selection::Selection::state(
        "Wait for human approval",
    )));
    h.press("ArrowRight");
    assert_eq!(h.designer.selection().primary(), Some("Auto-approve limit"));
    h.press("ArrowLeft");
    assert_eq!(
        h.designer.selection().primary(),
        Some("Wait for human approval")
    );
    let out = h.press("F2");
    assert_eq!(
        out.action,
        Some(crate::designer::AppAction::BeginRename(
            "Wait for human approval".into()
        ))
    );
    h.press("Delete");
    assert!(
        !h.designer
            .document()
            .outline()
            .contains("Wait for human approval")
    );
    assert!(h.designer.selection().is_empty());
}

#[test]
fn keymap_normalises_chords() {
    assert_eq!(keymap::lookup("ctrl+z"), Some(Shortcut::Undo));
    assert_eq!(keymap::lookup("Cmd+Shift+z"), Some(Shortcut::Redo));
    assert_eq!(keymap::lookup("Mod+Y"), Some(Shortcut::Redo));
    assert_eq!(keymap::lookup("Backspace"), Some(Shortcut::Delete));
    assert_eq!(keymap::lookup("esc"), Some(Shortcut::Escape));
    assert_eq!(keymap::lookup("Mod++"), Some(Shortcut::ZoomIn));
    assert_eq!(
        keymap::lookup("down"),
        Some(Shortcut::Move(Direction::Down))
    );
    assert_eq!(keymap::lookup("Mod+Q"), None);
    assert_eq!(keymap::chord_for(Shortcut::Duplicate), Some("Mod+D"));
    for (chord, s) in keymap::KEYMAP {
        assert_eq!(keymap::normalise(chord), *chord);
        assert!(
            keymap::lookup(chord)
                .is_some_and(|found| found == *s || keymap::chord_for(found).is_some())
        );
    }
}

#[test]
fn layout_sidecar_migrates_and_round_trips() {
    let old = r#"{"collapsed": ["Map"], "positions": {"Map": [10, 20], "A": [1, 2]}}"#;
    let layout = Layout::from_json(old).unwrap();
    assert_eq!(layout.version, crate::layout::LAYOUT_VERSION);
    assert!(layout.states["Map"].collapsed);
    assert_eq!(layout.states["A"].position, Some([1.0, 2.0]));
    let again = Layout::from_json(&layout.to_json()).unwrap();
    assert_eq!(again, layout);
    assert!(Layout::from_json(r#"{"version": 99}"#).is_err());
    assert!(Layout::from_json("not json").is_err());
}

#[test]
fn layout_follows_renames_and_deletions() {
    let mut h = DesignerHarness::new(crate::templates::template("map-items").unwrap().definition);
    h.run(Command::SetCollapsed {
        state: "Process each order".into(),
        collapsed: true,
    });
    h.rename("Process each order", "Each order");
    assert!(h.designer.document().layout().states["Each order"].collapsed);
    h.run(Command::DeleteStates(vec!["Each order".into()]));
    assert!(h.designer.document().layout().states.is_empty());
    assert_eq!(
        h.designer.document().outline().names(),
        vec!["All orders processed"]
    );
}

#[test]
fn dragged_boxes_move_in_the_scene_undo_in_one_step_and_reset() {
    let t = crate::templates::template("credit-limit").unwrap();
    let mut h = DesignerHarness::new(t.definition);
    let opts = asl_graph::RenderOptions::default();
    let auto = h.designer.scene(&opts);
    let rect = |s: &asl_graph::Scene, name: &str| s.node_by_name(name).unwrap().rect;
    let parallel = "Verify applicant's identity and address";
    // Dragging a box to the right moves it and everything inside it, nothing else.
    h.run(Command::SetPosition {
        state: parallel.into(),
        position: Some([400.0, 0.0]),
    });
    let moved = h.designer.scene(&opts);
    let (a, b) = (rect(&auto, parallel), rect(&moved, parallel));
    let (c, d) = (
        rect(&auto, "Get credit limit"),
        rect(&moved, "Get credit limit"),
    );
    // The drawing may be re-framed; compare positions relative to an unmoved box.
    assert!(((b.x - d.x) - (a.x - c.x) - 400.0).abs() < 0.01);
    assert!(((b.y - d.y) - (a.y - c.y)).abs() < 0.01);
    let inner = |s: &asl_graph::Scene| rect(s, "Verify identity").x - rect(s, parallel).x;
    assert!((inner(&auto) - inner(&moved)).abs() < 0.01);
    // The edges into and out of the moved box end on its border.
    let e = moved
        .edges
        .iter()
        .find(|e| e.to_ref == parallel && e.from_ref == "Auto-approve limit")
        .unwrap();
    let tip = *e.points.last().unwrap();
    assert!(tip.x >= b.x - 0.01 && tip.x <= b.x + b.width + 0.01);
    assert!(tip.y >= b.y - 0.01 && tip.y <= b.y + b.height + 0.01);
    // The sidecar keeps it (saved with the document); undo is one step; reset puts it back.
    assert!(
        h.designer.document().layout().states[parallel]
            .position
            .is_some()
    );
    h.run(Command::Undo);
    assert!(h.designer.document().layout().states.is_empty());
    assert_eq!(*h.designer.scene(&opts), *auto);
    h.run(Command::Redo);
    h.run(Command::SetPosition {
        state: "Get credit limit".into(),
        position: Some([-50.0, 10.0]),
    });
    h.run(Command::ResetLayout);
    assert!(h.designer.document().layout().states.is_empty());
    assert_eq!(*h.designer.scene(&opts), *auto);
    assert!(h.run(Command::ResetLayout).error.is_some());
}

#[test]
fn rename_follows_into_mock_test_cases() {
    let t = crate::templates::template("error-fallback").unwrap();
    let mut h = DesignerHarness::new("");
    h.designer.load(t.document());
    h.rename("Charge card", "Charge the card");
    let cases =
        &h.designer.document().settings().test_cases["StateMachines"]["ErrorFallback"]["TestCases"];
    assert_eq!(
        cases["Declined"]["Charge the card"],
        json!("ChargeDeclined")
    );
    assert!(cases["Declined"].get("Charge card").is_none());
    let keys: Vec<&String> = cases["Declined"].as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["Charge the card", "Notify support"]);
    h.press("Mod+Z");
    let cases =
        &h.designer.document().settings().test_cases["StateMachines"]["ErrorFallback"]["TestCases"];
    assert_eq!(cases["Declined"]["Charge card"], json!("ChargeDeclined"));
}

/// A small deterministic generator for command sequences.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.next() % items.len()].clone())
        }
    }
}

fn random_position(r: &mut Lcg, o: &crate::outline::Outline) -> crate::commands::Position {
    use crate::commands::{Edge, Position, ScopeRef};
    let mut scopes = vec![ScopeRef::Top];
    for s in &o.states {
        if s.ty == "Parallel" {
            scopes.push(ScopeRef::Branch {
                state: s.name.clone(),
                index: r.next() % 2,
            });
        }
        if s.ty == "Map" {
            scopes.push(ScopeRef::Processor {
                state: s.name.clone(),
            });
        }
    }
    let scope = r.pick(&scopes).unwrap_or_default();
    if r.next().is_multiple_of(5)
        && let Some(s) = r.pick(&o.states)
    {
        return Position::After(s.name.clone());
    }
    match r.next() % 4 {
        0 => {
            let edges: Vec<Edge> = o
                .states
                .iter()
                .flat_map(|s| {
                    s.transitions.iter().map(|t| Edge {
                        from: s.name.clone(),
                        to: t.target.clone(),
                        via: Some(t.via),
                    })
                })
                .collect();
            r.pick(&edges).map_or(Position::End(scope), Position::Edge)
        }
        1 => Position::Start(scope),
        2 => Position::End(scope),
        _ => Position::Detached(scope),
    }
}

#[test]
fn random_command_sequences_keep_invariants() {
    let palette: Vec<Palette> = crate::catalogue::catalogue()
        .into_iter()
        .map(|p| p.palette)
        .collect();
    for t in TEMPLATES {
        for seed in 0..3 {
            let mut h = DesignerHarness::new(t.definition);
            let mut r = Lcg(seed);
            for step in 0..60 {
                let o = h.designer.document().outline().clone();
                let names: Vec<String> = o.states.iter().map(|s| s.name.clone()).collect();
                let name = r.pick(&names).unwrap_or_default();
                let other = r.pick(&names).unwrap_or_default();
                let cmd = match r.next() % 17 {
                    0 | 1 => Command::AddState {
                        palette: r.pick(&palette).unwrap_or(Palette::Pass),
                        at: random_position(&mut r, &o),
                        name: None,
                    },
                    2 => Command::DeleteStates(vec![name]),
                    3 => Command::Duplicate(name),
                    4 => Command::Rename {
                        from: name.clone(),
                        to: format!("{name} {step}"),
                    },
                    5 => Command::SetNext {
                        state: name,
                        next: if r.next().is_multiple_of(3) {
                            None
                        } else {
                            Some(other)
                        },
                    },
                    6 => Command::MoveState {
                        state: name,
                        to: random_position(&mut r, &o),
                    },
                    7 => Command::SetField {
                        state: Some(name),
                        pointer: "/Comment".into(),
                        value: Some(json!(format!("step {step}"))),
                    },
                    8 => Command::AddRetry {
                        state: name,
                        retrier: None,
                    },
                    9 => Command::AddCatch {
                        state: name,
                        next: other,
                        catcher: None,
                    },
                    10 => Command::AddChoiceRule {
                        state: name,
                        rule: None,
                    },
                    11 => Command::RemoveChoiceRule {
                        state: name,
                        index: 0,
                    },
                    12 => Command::Undo,
                    13 => Command::Redo,
                    14 => Command::AddBranch { state: name },
                    15 => {
                        let len = h.text().len();
                        let at = r.next() % (len + 1);
                        let at = (0..=at)
                            .rev()
                            .find(|i| h.text().is_char_boundary(*i))
                            .unwrap_or(0);
                        Command::SetText {
                            range: Span::new(at, at),
                            insert: " ".into(),
                        }
                    }
                    _ => Command::RemoveCatch {
                        state: name,
                        index: 0,
                    },
                };
                h.run(cmd);
            }
        }
    }
}

#[test]
fn commands_never_panic_on_odd_documents() {
    let docs = [
        "",
        "{",
        "[]",
        "null",
        "{}",
        "{\"States\": 3}",
        "{\"StartAt\": 1, \"States\": {\"A\": 2, \"B\": {\"Type\": \"Choice\", \"Choices\": 5}}}",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"A\"}}}",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n",
        "StartAt: [\n",
    ];
    let names = ["A", "B", "", "Nope"];
    for text in docs {
        let mut h = DesignerHarness::new(text);
        for n in names {
            let cmds = vec![
                Command::AddState {
                    palette: Palette::Choice,
                    at: crate::commands::Position::End(crate::commands::ScopeRef::Top),
                    name: None,
                },
                Command::AddState {
                    palette: Palette::Map,
                    at: crate::commands::Position::Edge(crate::commands::Edge::new(n, "A")),
                    name: None,
                },
                Command::Rename {
                    from: n.into(),
                    to: "Z".into(),
                },
                Command::Duplicate(n.into()),
                Command::MoveState {
                    state: n.into(),
                    to: crate::commands::Position::Start(crate::commands::ScopeRef::Top),
                },
                Command::SetField {
                    state: Some(n.into()),
                    pointer: "/Comment".into(),
                    value: Some(json!("c")),
                },
                Command::SetField {
                    state: None,
                    pointer: "bad".into(),
                    value: None,
                },
                Command::AddChoiceRule {
                    state: n.into(),
                    rule: None,
                },
                Command::AddCatch {
                    state: n.into(),
                    next: "A".into(),
                    catcher: None,
                },
                Command::SetText {
                    range: Span::new(1000, 2),
                    insert: "x".into(),
                },
                Command::FormatDocument,
                Command::DeleteStates(vec![n.into()]),
                Command::Undo,
                Command::Redo,
            ];
            for c in cmds {
                h.run(c);
            }
        }
    }
}

#[test]
fn yaml_documents_are_edited_and_stay_yaml() {
    let mut h = DesignerHarness::new("StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n");
    assert_eq!(h.designer.document().format(), Format::Yaml);
    h.add_state_on_edge("A", "B", Palette::Pass);
    let out = h.run(Command::AddState {
        palette: Palette::Wait,
        at: crate::commands::Position::End(crate::commands::ScopeRef::Top),
        name: Some("Later".into()),
    });
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        h.text(),
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Later\n  Later:\n    Type: Wait\n    Seconds: 5\n    End: true\n"
    );
    assert!(errors(h.text()).is_empty());
    h.rename("Later", "Wait: a bit");
    assert!(h.text().contains("\"Wait: a bit\":"), "{}", h.text());
    assert!(errors(h.text()).is_empty());
}

/// A 200-state machine of Lambda tasks with the default fields and retrier.
fn large_machine() -> String {
    let mut states = serde_json::Map::new();
    for i in 0..200 {
        let mut body = Palette::LambdaInvoke.body(crate::catalogue::QueryLanguage::JsonPath);
        if i + 1 < 200 {
            body["Next"] = json!(format!("Step {}", i + 1));
        } else {
            body["End"] = json!(true);
        }
        states.insert(format!("Step {i}"), body);
    }
    serde_json::to_string_pretty(&json!({"StartAt": "Step 0", "States": states})).unwrap()
}

#[test]
fn a_keystroke_on_a_large_machine_is_fast() {
    let text = large_machine();
    let mut d = crate::designer::Designer::new(Document::new(&text));
    let options = asl_graph::RenderOptions::default();
    let first = d.scene(&options);
    assert_eq!(d.document().error_count(), 0);
    let at = text.find("MyFunction").unwrap();
    let started = std::time::Instant::now();
    let rounds = 20;
    for i in 0..rounds {
        // Type into a Parameters value: parse, validate and graph build, but no relayout.
        d.apply(Command::SetText {
            range: Span::new(at + i, at + i),
            insert: "x".into(),
        });
        assert!(d.document().analysis().is_ok());
        let scene = d.scene(&options);
        assert!(
            std::rc::Rc::ptr_eq(&scene, &first),
            "the scene was laid out again"
        );
    }
    let per_keystroke = started.elapsed() / u32::try_from(rounds).unwrap();
    let validation = std::time::Instant::now();
    assert_eq!(d.document().error_count(), 0);
    println!(
        "200 states, {} bytes: {per_keystroke:?} per keystroke (parse, outline, graph), validation {:?}",
        text.len(),
        validation.elapsed()
    );
    // Generous bound: debug builds are slow; see the README for release numbers.
    assert!(per_keystroke.as_millis() < 500, "{per_keystroke:?}");
    // Renaming a state changes the graph, so the scene is laid out again.
    d.apply(Command::Rename {
        from: "Step 7".into(),
        to: "Seven".into(),
    });
    assert!(!std::rc::Rc::ptr_eq(&d.scene(&options), &first));
}

#[test]
fn query_language_is_inherited() {
    use crate::catalogue::QueryLanguage::{JsonPath, Jsonata};
    let doc = Document::new(
        r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}}]},
            "Q": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}"#,
    );
    assert_eq!(doc.query_language(None), Jsonata);
    assert_eq!(doc.query_language(Some("Inner")), Jsonata);
    assert_eq!(doc.query_language(Some("Q")), JsonPath);
    assert_eq!(
        Document::default().query_language(Some("missing")),
        JsonPath
    );
    assert_eq!(doc.state_value("Inner").unwrap()["Type"], json!("Pass"));
    let o = doc.outline();
    assert_eq!(
        o.scope_of("Inner"),
        Some(crate::commands::ScopeRef::Branch {
            state: "P".into(),
            index: 0
        })
    );
    assert_eq!(o.scope_of("Q"), Some(crate::commands::ScopeRef::Top));
    let map = crate::templates::template("map-items").unwrap().document();
    assert_eq!(
        map.outline().scope_of("Process order"),
        Some(crate::commands::ScopeRef::Processor {
            state: "Process each order".into()
        })
    );
}

/// `test_data/simulation/<name>.tests.json`: saved test cases run against a template (with
/// its MockConfigFile) or `<name>.asl.json`, once as Standard and once as Express; the outcomes and the
/// coverage are compared with `<template>.report.txt`.
#[test]
fn saved_test_cases_run_with_coverage() {
    use crate::simulation::tests::{run_test_cases, studio_document};
    let dir = test_data().join("simulation");
    for id in ["credit-limit", "long-wait"] {
        let doc = match crate::templates::template(id) {
            Some(t) => t.document(),
            None => {
                Document::new(&std::fs::read_to_string(dir.join(format!("{id}.asl.json"))).unwrap())
            }
        };
        let tests: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{id}.tests.json"))).unwrap(),
        )
        .unwrap();
        let mut out = String::new();
        for ty in [MachineType::Standard, MachineType::Express] {
            let mut settings = doc.settings().clone();
            settings.tests = tests.clone();
            settings.machine_type = ty;
            let studio = studio_document(doc.machine_value().0.unwrap(), &settings);
            let report = run_test_cases(&studio).expect("runs");
            out.push_str(&format!(
                "## {ty:?}: {} passed of {}\n",
                report.passed(),
                report.cases.len()
            ));
            for c in &report.cases {
                out.push_str(&format!(
                    "{} {} [{}]{}\n",
                    if c.passed { "PASS" } else { "FAIL" },
                    c.name,
                    c.status,
                    c.reason
                        .as_ref()
                        .map(|r| format!(": {r}"))
                        .unwrap_or_default()
                ));
            }
            out.push_str(&format!(
                "states: {}\n",
                report.states.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            for (a, b) in &report.edges {
                out.push_str(&format!("edge: {a} -> {b}\n"));
            }
        }
        check_file(&dir.join(format!("{id}.report.txt")), &out);
    }
}
