//! Layout quality on the corpus in `test_data/`: hard checks plus a snapshot of the numbers.

mod corpus;

use graph_layout::{Layout, Options, layout, metrics::metrics};

fn corpus_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("test_data exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn finite(l: &Layout) -> bool {
    l.nodes
        .iter()
        .all(|r| [r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite()))
        && l.edges.iter().all(|e| {
            e.points.len() >= 2
                && e.points.iter().all(|p| p.x.is_finite() && p.y.is_finite())
                && e.label.is_none_or(|p| p.x.is_finite() && p.y.is_finite())
        })
}

#[test]
fn corpus_quality() {
    let mut report = String::new();
    for path in corpus_files() {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let text = std::fs::read_to_string(&path).expect("readable");
        let c = corpus::parse(&text).expect("valid corpus JSON");
        let options = Options::default();
        let a = layout(&c.graph, &options);
        let b = layout(&c.graph, &options);
        assert_eq!(
            format!("{a:?}"),
            format!("{b:?}"),
            "{name}: layout is deterministic"
        );
        assert_eq!(
            a.nodes.len(),
            c.graph.nodes.len(),
            "{name}: one rect per node"
        );
        assert_eq!(
            a.edges.len(),
            c.graph.edges.len(),
            "{name}: one route per edge"
        );
        assert!(
            finite(&a),
            "{name}: finite coordinates and routes with two points or more"
        );
        let m = metrics(&c.graph, &a);
        assert_eq!(m.node_overlaps, 0, "{name}: node overlaps");
        assert_eq!(m.edges_through_nodes, 0, "{name}: edges through nodes");
        assert_eq!(m.cluster_violations, 0, "{name}: cluster boxes");
        assert_eq!(m.label_overlaps, 0, "{name}: label overlaps");
        // The targets: dagre-js has 1 crossing on asl60, rust-sugiyama 4143 on synth1000.
        let target = match name.as_str() {
            "asl60" | "asl60_compound" => Some(1),
            "synth1000" => Some(4142),
            _ => None,
        };
        if let Some(max) = target {
            assert!(
                m.crossings <= max,
                "{name}: {} crossings, target at most {max}",
                m.crossings
            );
        }
        report.push_str(&format!(
            "{name}: crossings {}, route crossings {}, bends {}, area {:.0} ({:.0} x {:.0})\n",
            m.crossings, m.route_crossings, m.bends, m.area, a.width, a.height
        ));
    }
    insta::assert_snapshot!("quality", report);
}

/// Full coordinates of the small hand-written graphs, so that any change in the drawing shows.
#[test]
fn small_layouts() {
    let mut out = String::new();
    for name in [
        "chain",
        "diamond",
        "loop",
        "catch",
        "parallel3",
        "map_choice",
        "self_loop",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("test_data")
            .join(format!("{name}.json"));
        let c = corpus::parse(&std::fs::read_to_string(path).expect("readable")).expect("valid");
        let l = layout(&c.graph, &Options::default());
        out.push_str(&format!("{name} ({:.1} x {:.1})\n", l.width, l.height));
        for (id, r) in c.ids.iter().zip(&l.nodes) {
            out.push_str(&format!(
                "  {id}: {:.1} {:.1} {:.1} {:.1}\n",
                r.x, r.y, r.width, r.height
            ));
        }
        for (e, r) in c.graph.edges.iter().zip(&l.edges) {
            let from = c.ids.get(e.from).map_or("?", |s| s.as_str());
            let to = c.ids.get(e.to).map_or("?", |s| s.as_str());
            let pts: Vec<String> = r
                .points
                .iter()
                .map(|p| format!("{:.1},{:.1}", p.x, p.y))
                .collect();
            let label = r
                .label
                .map_or(String::new(), |p| format!(" label {:.1},{:.1}", p.x, p.y));
            let back = if r.back { " back" } else { "" };
            out.push_str(&format!(
                "  {from} -> {to}: {}{label}{back}\n",
                pts.join(" ")
            ));
        }
    }
    insta::assert_snapshot!("small_layouts", out);
}
