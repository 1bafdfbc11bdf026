//! Golden tests: every machine in `test_data/machines` is drawn and compared with its `.svg`,
//! its graph model is snapshotted, and its geometry is checked for overlaps.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use asl_graph::{AslGraph, NodeKind, Rect, RenderOptions, Scene, SvgOptions, Theme, build, layout, to_svg};
use serde_json::Value;

fn machines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/machines")
}

fn machine_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(machines_dir())
        .expect("test_data/machines exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".asl.json")).map(str::to_string))
        .collect();
    names.sort();
    names
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(machines_dir().join(format!("{name}.asl.json"))).expect("machine readable");
    serde_json::from_str(&text).expect("machine is JSON")
}

/// Compares `actual` with a golden file, rewriting it when `UPDATE_EXPECT=1`.
fn check_golden(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).expect("golden file writable");
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{} differs (run with UPDATE_EXPECT=1 to accept)", path.display()))
    }
}

/// A readable dump of the graph model, independent of the layout.
fn dump(g: &AslGraph) -> String {
    let mut out = String::new();
    for (i, n) in g.nodes.iter().enumerate() {
        let parent = n.parent.map(|p| p.to_string()).unwrap_or_else(|| "-".into());
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
            n.suffix.as_ref().map(|s| format!(" suffix={s:?}")).unwrap_or_default(),
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
            e.label.as_ref().map(|l| format!(" {l:?}")).unwrap_or_default()
        );
    }
    out
}

fn is_leaf(kind: NodeKind) -> bool {
    !kind.is_cluster()
}

/// True when the interiors of two rectangles overlap (touching edges do not count).
fn overlaps(a: Rect, b: Rect) -> bool {
    const EPS: f64 = 0.5;
    a.x + EPS < b.x + b.width && b.x + EPS < a.x + a.width && a.y + EPS < b.y + b.height && b.y + EPS < a.y + a.height
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.x >= outer.x - 0.5
        && inner.y >= outer.y - 0.5
        && inner.x + inner.width <= outer.x + outer.width + 0.5
        && inner.y + inner.height <= outer.y + outer.height + 0.5
}

/// True when the segment p-q passes through the interior of `r` (shrunk by a pixel).
fn segment_hits(p: (f64, f64), q: (f64, f64), r: Rect) -> bool {
    let (x0, y0, x1, y1) = (r.x + 1.0, r.y + 1.0, r.x + r.width - 1.0, r.y + r.height - 1.0);
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    // Liang-Barsky clipping of the segment against the rectangle.
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (pk, qk) in [(-dx, p.0 - x0), (dx, x1 - p.0), (-dy, p.1 - y0), (dy, y1 - p.1)] {
        if pk.abs() < 1e-12 {
            if qk < 0.0 {
                return false;
            }
        } else {
            let t = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > 1e-6
}

fn ancestors(scene: &Scene, mut id: usize) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(p) = scene.nodes.get(id).and_then(|n| n.parent) {
        if out.contains(&p) || out.len() > scene.nodes.len() {
            break;
        }
        out.push(p);
        id = p;
    }
    out
}

/// Checks the drawing's geometry; returns the problems found.
fn geometry_problems(scene: &Scene) -> Vec<String> {
    let mut problems = Vec::new();
    let name = |i: usize| {
        let n = &scene.nodes[i];
        format!("#{i} {:?} {:?}", n.kind, n.name)
    };
    for (i, a) in scene.nodes.iter().enumerate() {
        let anc_a = ancestors(scene, i);
        for p in &anc_a {
            if !inside(a.rect, scene.nodes[*p].rect) {
                problems.push(format!("{} sticks out of its cluster {}", name(i), name(*p)));
            }
        }
        for (j, b) in scene.nodes.iter().enumerate().skip(i + 1) {
            let related = anc_a.contains(&j) || ancestors(scene, j).contains(&i);
            if !related && overlaps(a.rect, b.rect) {
                problems.push(format!("{} overlaps {}", name(i), name(j)));
            }
        }
    }
    for e in &scene.edges {
        for (k, n) in scene.nodes.iter().enumerate() {
            if k == e.from || k == e.to || !is_leaf(n.kind) || n.kind == NodeKind::BranchEnd {
                continue;
            }
            for w in e.points.windows(2) {
                if segment_hits((w[0].x, w[0].y), (w[1].x, w[1].y), n.rect) {
                    problems.push(format!("edge {}->{} crosses {}", e.from_ref, e.to_ref, name(k)));
                    break;
                }
            }
        }
    }
    let labels: Vec<(usize, Rect)> =
        scene.edges.iter().enumerate().filter_map(|(i, e)| e.label.as_ref().map(|l| (i, l.rect))).collect();
    for (a, (i, ra)) in labels.iter().enumerate() {
        for (j, rb) in labels.iter().skip(a + 1) {
            if overlaps(*ra, *rb) {
                problems.push(format!("label of edge {i} overlaps label of edge {j}"));
            }
        }
        for (k, n) in scene.nodes.iter().enumerate() {
            if is_leaf(n.kind) && overlaps(*ra, n.rect) {
                problems.push(format!("label of edge {i} overlaps {}", name(k)));
            }
        }
    }
    problems
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
        for theme in [Theme::Light, Theme::Dark] {
            let suffix = if theme == Theme::Dark { ".dark" } else { "" };
            let svg = to_svg(&scene, &SvgOptions { theme, overlay: None, standalone: true });
            if let Err(e) = check_golden(&machines_dir().join(format!("{name}{suffix}.svg")), &svg) {
                failures.push(e);
            }
            if theme == Theme::Dark {
                break;
            }
        }
        for p in geometry_problems(&scene) {
            failures.push(format!("{name}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
