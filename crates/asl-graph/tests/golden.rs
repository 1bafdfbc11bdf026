//! Golden tests: every machine in `test_data/machines` is drawn and compared with its `.svg`,
//! its graph model is snapshotted, and its geometry is checked for overlaps.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod common;

use std::collections::{BTreeMap, BTreeSet};

use asl_graph::{
    AslGraph, Overlay, RenderOptions, Status, SvgOptions, Theme, build, layout, to_svg,
};
use common::geometry_problems;
use serde_json::Value;

fn machines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/machines")
}

fn machine_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(machines_dir())
        .expect("test_data/machines exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".asl.json"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(machines_dir().join(format!("{name}.asl.json")))
        .expect("machine readable");
    serde_json::from_str(&text).expect("machine is JSON")
}

/// Compares `actual` with a golden file, rewriting it when `UPDATE_EXPECT=1`.
///
/// Numbers are masked before comparing: coordinates belong to `graph-layout`, whose own tests
/// and the geometry checks below judge them, so a layout improvement does not fail this test.
/// The files keep real coordinates so that they can be opened and looked at.
fn check_golden(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).expect("golden file writable");
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if mask_numbers(&expected) == mask_numbers(actual) {
        Ok(())
    } else {
        Err(format!(
            "{} differs (run with UPDATE_EXPECT=1 to accept)",
            path.display()
        ))
    }
}

/// Replaces every number (digits, with an optional sign and decimals) by `#`.
fn mask_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
                in_number = true;
            }
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out.replace("-#", "#")
}

/// A readable dump of the graph model, independent of the layout.
fn dump(g: &AslGraph) -> String {
    let mut out = String::new();
    for (i, n) in g.nodes.iter().enumerate() {
        let parent = n
            .parent
            .map(|p| p.to_string())
            .unwrap_or_else(|| "-".into());
        let mut flags = Vec::new();
        for (on, flag) in [
            (n.retry, "retry"),
            (n.catch, "catch"),
            (n.unreachable, "unreachable"),
            (n.distributed, "distributed"),
            (n.truncated, "truncated"),
        ] {
            if on {
                flags.push(flag);
            }
        }
        let _ = writeln!(
            out,
            "#{i} {:?} in {parent}: {:?} type={:?} title={:?} sub={:?}{} icon={} {}",
            n.kind,
            n.name,
            n.state_type,
            n.title,
            n.subtitle,
            n.suffix
                .as_ref()
                .map(|s| format!(" suffix={s:?}"))
                .unwrap_or_default(),
            n.icon,
            flags.join(",")
        );
    }
    for e in &g.edges {
        let _ = writeln!(
            out,
            "{} -> {} [{}]{}",
            e.from,
            e.to,
            e.kind.as_str(),
            e.label
                .as_ref()
                .map(|l| format!(" {l:?}"))
                .unwrap_or_default()
        );
    }
    out
}

#[test]
fn golden_machines() {
    let mut failures = Vec::new();
    for name in machine_names() {
        let def = load(&name);
        let graph = build(&def);
        insta::with_settings!({ snapshot_path => "../test_data/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("model_{name}"), dump(&graph));
        });
        let scene = layout(&graph, &RenderOptions::default());
        let svg = to_svg(
            &scene,
            &SvgOptions {
                theme: Theme::Light,
                overlay: None,
                standalone: true,
            },
        );
        if let Err(e) = check_golden(&machines_dir().join(format!("{name}.svg")), &svg) {
            failures.push(e);
        }
        // One dark rendering is enough: the themes differ only in the style sheet.
        if name == "credit_limit" {
            let svg = to_svg(
                &scene,
                &SvgOptions {
                    theme: Theme::Dark,
                    overlay: None,
                    standalone: true,
                },
            );
            if let Err(e) = check_golden(&machines_dir().join(format!("{name}.dark.svg")), &svg) {
                failures.push(e);
            }
        }
        for p in geometry_problems(&scene) {
            failures.push(format!("{name}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An execution drawn over the credit-limit machine: statuses, counts and taken edges.
#[test]
fn golden_overlay() {
    let def = load("credit_limit");
    let scene = layout(&build(&def), &RenderOptions::default());
    let status = |s: &str, st: Status| (s.to_string(), st);
    let overlay = Overlay {
        node_status: BTreeMap::from([
            status("Get credit limit", Status::Succeeded),
            status("Credit applied >= 5000?", Status::Succeeded),
            status("Wait for human approval", Status::NotRun),
            status("Auto-approve limit", Status::Succeeded),
            status("Verify applicant's identity and address", Status::Succeeded),
            status("Verify identity", Status::Succeeded),
            status("Verify address", Status::Caught),
            status("Get list of credit bureaus", Status::Failed),
            status("Get scores from all credit bureaus", Status::NotRun),
            status("Get all scores", Status::NotRun),
        ]),
        badges: BTreeMap::from([
            ("Get credit limit".to_string(), (2, 0)),
            ("Get all scores".to_string(), (0, 3)),
        ]),
        edge_taken: Some(BTreeSet::from([
            ("__start".to_string(), "Get credit limit".to_string()),
            (
                "Get credit limit".to_string(),
                "Credit applied >= 5000?".to_string(),
            ),
            (
                "Credit applied >= 5000?".to_string(),
                "Auto-approve limit".to_string(),
            ),
        ])),
    };
    let svg = to_svg(
        &scene,
        &SvgOptions {
            theme: Theme::Light,
            overlay: Some(overlay),
            standalone: true,
        },
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/overlay/credit_limit_run.svg");
    check_golden(&path, &svg).unwrap_or_else(|e| panic!("{e}"));
}

/// The geometry checks themselves notice a box moved onto another and a label moved onto a box.
#[test]
fn geometry_checks_find_problems() {
    let scene = layout(&build(&load("two_lambda_demo")), &RenderOptions::default());
    assert!(geometry_problems(&scene).is_empty());
    let mut moved = scene.clone();
    let (a, b) = (1, 2);
    moved.nodes[b].rect.x = moved.nodes[a].rect.x + 5.0;
    moved.nodes[b].rect.y = moved.nodes[a].rect.y + 5.0;
    let problems = geometry_problems(&moved);
    assert!(
        problems.iter().any(|p| p.contains("overlaps")),
        "{problems:?}"
    );
    let mut labelled = scene.clone();
    let target = labelled.nodes[a].rect;
    let label = labelled
        .edges
        .iter_mut()
        .find_map(|e| e.label.as_mut())
        .expect("a labelled edge");
    label.rect.x = target.x;
    label.rect.y = target.y;
    let problems = geometry_problems(&labelled);
    assert!(problems.iter().any(|p| p.contains("label")), "{problems:?}");
}

/// A two-state loop (`Wait -> Check -> Wait`): the back edge runs apart from the forward edge,
/// its label clear of both; the checks notice the back edge drawn on the forward edge's ports.
#[test]
fn two_state_loop_keeps_its_lines_apart() {
    for name in ["poll_loop", "poll_loop_labelled"] {
        let scene = layout(&build(&load(name)), &RenderOptions::default());
        assert_eq!(geometry_problems(&scene), Vec::<String>::new(), "{name}");
        let back = scene
            .edges
            .iter()
            .position(|e| e.back)
            .expect("a back edge");
        let (from, to) = (scene.edges[back].from, scene.edges[back].to);
        let forward = scene
            .edges
            .iter()
            .position(|e| e.from == to && e.to == from)
            .expect("the forward edge");
        let gap =
            common::polyline_distance(&scene.edges[back].points, &scene.edges[forward].points);
        assert!(gap >= 24.0, "{name}: the lines are {gap}px apart");
        let mut cramped = scene.clone();
        let mut on_top = scene.edges[forward].points.clone();
        on_top.reverse();
        cramped.edges[back].points = on_top;
        let problems = geometry_problems(&cramped);
        assert!(
            problems.iter().any(|p| p.contains("and back run")),
            "{name}: {problems:?}"
        );
    }
}
