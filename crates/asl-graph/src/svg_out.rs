//! Standalone SVG output of a scene, with light and dark themes and execution overlays.

use std::collections::{BTreeMap, BTreeSet};

use svg::Node as _;
use svg::node::Text as TextNode;
use svg::node::element::{Circle, Element, Group, Path, Polygon, Rectangle, SVG, Style, Title};

use crate::build::{EdgeKind, NodeKind};
use crate::scene::{
    Badge, Point, Rect, Scene, SceneEdge, SceneNode, TextLine, css_token, num, push_num,
};

/// The colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    /// The class set on the root `<svg>` (`theme-light` or `theme-dark`).
    pub fn class(self) -> &'static str {
        match self {
            Theme::Light => "theme-light",
            Theme::Dark => "theme-dark",
        }
    }
}

/// The execution status of a state, shown as a `status-*` class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    NotRun,
    Running,
    Succeeded,
    Failed,
    Caught,
    Cancelled,
}

impl Status {
    /// The class added to the state's group, for example `status-succeeded`.
    pub fn class(self) -> &'static str {
        match self {
            Status::NotRun => "status-not-run",
            Status::Running => "status-running",
            Status::Succeeded => "status-succeeded",
            Status::Failed => "status-failed",
            Status::Caught => "status-caught",
            Status::Cancelled => "status-cancelled",
        }
    }
}

/// Execution data drawn over the graph. Keys are state names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// The status of each state that has one.
    pub node_status: BTreeMap<String, Status>,
    /// Per state: (retries, iterations). Zero counts draw no badge.
    pub badges: BTreeMap<String, (u32, u32)>,
    /// For the coverage view: the `(data-from, data-to)` pairs of the edges that were taken.
    /// `None` turns coverage classes off; `Some` marks every edge `taken` or `not-taken`.
    pub edge_taken: Option<BTreeSet<(String, String)>>,
}

/// Options of [`to_svg`](crate::to_svg).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SvgOptions {
    pub theme: Theme,
    pub overlay: Option<Overlay>,
    /// Embed the `<style>` sheet and a background (for files); `false` leaves styling to the
    /// host page, which can use [`stylesheet`].
    pub standalone: bool,
}

/// The font stack used for all text (no font is downloaded).
pub const FONT_FAMILY: &str =
    "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    node_fill: &'static str,
    node_stroke: &'static str,
    terminal_fill: &'static str,
    cluster_fill: &'static str,
    cluster_stroke: &'static str,
    branch_stroke: &'static str,
    edge: &'static str,
    catch_edge: &'static str,
    label_fill: &'static str,
    label_stroke: &'static str,
    missing: &'static str,
    missing_fill: &'static str,
    badge_fill: &'static str,
    distributed: &'static str,
    succeeded: (&'static str, &'static str),
    failed: (&'static str, &'static str),
    running: (&'static str, &'static str),
    caught: (&'static str, &'static str),
    cancelled: (&'static str, &'static str),
    taken: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#16191f",
    muted: "#5f6b7a",
    node_fill: "#ffffff",
    node_stroke: "#8d99a8",
    terminal_fill: "#f2f3f3",
    cluster_fill: "#f8f9fa",
    cluster_stroke: "#8d99a8",
    branch_stroke: "#c6ccd2",
    edge: "#5f6b7a",
    catch_edge: "#b0620a",
    label_fill: "#ffffff",
    label_stroke: "#d1d5db",
    missing: "#d91515",
    missing_fill: "#fff7f7",
    badge_fill: "#e9ebed",
    distributed: "#7d2105",
    succeeded: ("#037f0c", "#f2fcf3"),
    failed: ("#d91515", "#fff7f7"),
    running: ("#0972d3", "#f2f8fd"),
    caught: ("#c26200", "#fffaf0"),
    cancelled: ("#5f6b7a", "#f2f3f3"),
    taken: "#037f0c",
};

const DARK: Palette = Palette {
    background: "#0f1b2a",
    text: "#e9ebed",
    muted: "#a4abb3",
    node_fill: "#192534",
    node_stroke: "#7d8998",
    terminal_fill: "#232f3e",
    cluster_fill: "#131f2e",
    cluster_stroke: "#7d8998",
    branch_stroke: "#414d5c",
    edge: "#a4abb3",
    catch_edge: "#ffae4f",
    label_fill: "#0f1b2a",
    label_stroke: "#414d5c",
    missing: "#ff5d64",
    missing_fill: "#2a1115",
    badge_fill: "#354150",
    distributed: "#ffc28a",
    succeeded: ("#29ad32", "#0f2a14"),
    failed: ("#ff5d64", "#2a1115"),
    running: ("#539fe5", "#0f2238"),
    caught: ("#ffae4f", "#2e2110"),
    cancelled: ("#a4abb3", "#232f3e"),
    taken: "#29ad32",
};

/// The style sheet for a theme (embedded in standalone SVGs; hosts may use it directly).
pub fn stylesheet(theme: Theme) -> String {
    let p = match theme {
        Theme::Light => &LIGHT,
        Theme::Dark => &DARK,
    };
    let mut css = format!(
        "\
.asl-graph {{ font-family: {FONT_FAMILY}; font-size: 13px; }}
.asl-graph .background {{ fill: {bg}; }}
.asl-graph text {{ fill: {text}; }}
.asl-graph .title {{ font-weight: 600; font-size: 13px; }}
.asl-graph .subtitle, .asl-graph .suffix {{ fill: {muted}; font-size: 11.5px; }}
.asl-graph .state > .box {{ fill: {nf}; stroke: {ns}; stroke-width: 1.2; }}
.asl-graph .cluster > .box {{ fill: {cf}; stroke: {cs}; stroke-dasharray: 6 4; }}
.asl-graph .branch > .box {{ fill: none; stroke: {bs}; stroke-dasharray: 3 3; }}
.asl-graph .terminal > .box {{ fill: {tf}; stroke: {ns}; }}
.asl-graph .branch-end {{ fill: {cs}; }}
.asl-graph .missing > .box {{ fill: {mf}; stroke: {mi}; stroke-dasharray: 4 3; stroke-width: 1.5; }}
.asl-graph .missing .subtitle {{ fill: {mi}; }}
.asl-graph .unreachable > .box {{ stroke-dasharray: 2 3; opacity: 0.75; }}
.asl-graph .edge .line {{ fill: none; stroke: {edge}; stroke-width: 1.4; }}
.asl-graph .edge .arrow {{ fill: {edge}; }}
.asl-graph .edge.kind-catch .line {{ stroke: {ce}; stroke-dasharray: 5 4; }}
.asl-graph .edge.kind-catch .arrow {{ fill: {ce}; }}
.asl-graph .edge-label .box {{ fill: {lf}; stroke: {ls}; }}
.asl-graph .edge-label text {{ fill: {muted}; font-size: 11.5px; }}
.asl-graph .edge-label.kind-catch text {{ fill: {ce}; }}
.asl-graph .badge rect {{ fill: {badge}; }}
.asl-graph .badge text {{ font-size: 10px; fill: {muted}; }}
.asl-graph .badge-distributed text {{ fill: {dist}; font-weight: 600; }}
.asl-graph .badge-unreachable text {{ fill: {mi}; }}
.asl-graph .retry-mark {{ fill: none; stroke: {muted}; stroke-width: 1.4; }}
.asl-graph .icon .glyph {{ fill: none; stroke: #ffffff; stroke-width: 1.4; stroke-linecap: round; stroke-linejoin: round; }}
.asl-graph .icon .outline {{ fill: none; stroke-width: 1.4; stroke-linecap: round; stroke-linejoin: round; }}
.asl-graph .icon .neutral {{ stroke: {muted}; }}
.asl-graph .edge.taken .line {{ stroke: {taken}; stroke-width: 2.2; }}
.asl-graph .edge.taken .arrow {{ fill: {taken}; }}
.asl-graph .edge.not-taken, .asl-graph .edge-label.not-taken {{ opacity: 0.35; }}
.asl-graph .status-not-run {{ opacity: 0.55; }}
.asl-graph .overlay-badge rect {{ fill: {ns}; }}
.asl-graph .overlay-badge text {{ fill: {nf}; font-size: 10px; font-weight: 600; }}
",
        bg = p.background,
        text = p.text,
        muted = p.muted,
        nf = p.node_fill,
        ns = p.node_stroke,
        tf = p.terminal_fill,
        cf = p.cluster_fill,
        cs = p.cluster_stroke,
        bs = p.branch_stroke,
        edge = p.edge,
        ce = p.catch_edge,
        lf = p.label_fill,
        ls = p.label_stroke,
        mi = p.missing,
        mf = p.missing_fill,
        badge = p.badge_fill,
        dist = p.distributed,
        taken = p.taken,
    );
    for (class, (stroke, fill)) in [
        ("status-succeeded", p.succeeded),
        ("status-failed", p.failed),
        ("status-running", p.running),
        ("status-caught", p.caught),
        ("status-cancelled", p.cancelled),
    ] {
        css.push_str(&format!(
            ".asl-graph .{class} > .box {{ fill: {fill}; stroke: {stroke}; stroke-width: 2; stroke-dasharray: none; }}\n"
        ));
    }
    css
}

/// Writes the scene as an SVG document.
pub fn to_svg(scene: &Scene, opts: &SvgOptions) -> String {
    let overlay = opts.overlay.as_ref();
    let mut root_class = format!("asl-graph {}", opts.theme.class());
    if overlay.is_some() {
        root_class.push_str(" has-overlay");
    }
    let mut doc = SVG::new()
        .set(
            "viewBox",
            format!("0 0 {} {}", num(scene.width), num(scene.height)),
        )
        .set("width", num(scene.width))
        .set("height", num(scene.height))
        .set("class", root_class)
        .set("font-family", FONT_FAMILY)
        .set("role", "img");
    if opts.standalone {
        doc.append(Style::new(stylesheet(opts.theme)));
        doc.append(
            Rectangle::new()
                .set("class", "background")
                .set("x", 0)
                .set("y", 0)
                .set("width", num(scene.width))
                .set("height", num(scene.height)),
        );
    }
    let mut clusters = Group::new().set("class", "clusters");
    for n in scene.nodes.iter().filter(|n| n.kind.is_cluster()) {
        clusters.append(node_group(n, overlay));
    }
    let mut edges = Group::new().set("class", "edges");
    let mut labels = Group::new().set("class", "edge-labels");
    for (i, e) in scene.edges.iter().enumerate() {
        let classes = edge_classes(e, overlay);
        edges.append(edge_group(i, e, &classes));
        if let Some(label) = &e.label {
            let mut g = Group::new()
                .set("class", format!("edge-label {}", classes.join(" ")))
                .set("data-edge", i)
                .set("data-from", attr(&e.from_ref))
                .set("data-to", attr(&e.to_ref))
                .set("data-kind", e.kind.as_str());
            if label.line.text != label.line.full {
                g.append(Title::new(clean(&label.line.full)));
            }
            g.append(rect("box", label.rect, 4.0));
            g.append(text_line(&label.line));
            labels.append(g);
        }
    }
    let mut nodes = Group::new().set("class", "nodes");
    for n in scene.nodes.iter().filter(|n| !n.kind.is_cluster()) {
        nodes.append(node_group(n, overlay));
    }
    doc.append(clusters);
    doc.append(edges);
    doc.append(labels);
    doc.append(nodes);
    let mut out = doc.to_string();
    out.push('\n');
    out
}

/// The classes of an edge's groups, without the leading `edge`/`edge-label`.
fn edge_classes(e: &SceneEdge, overlay: Option<&Overlay>) -> Vec<String> {
    let mut classes = e.classes.clone();
    if let Some(taken) = overlay.and_then(|o| o.edge_taken.as_ref()) {
        let key = (e.from_ref.clone(), e.to_ref.clone());
        classes.push(if taken.contains(&key) {
            "taken".into()
        } else {
            "not-taken".into()
        });
    }
    classes
}

fn edge_group(index: usize, e: &SceneEdge, classes: &[String]) -> Group {
    let mut g = Group::new()
        .set("class", format!("edge {}", classes.join(" ")))
        .set("data-edge", index)
        .set("data-from", attr(&e.from_ref))
        .set("data-to", attr(&e.to_ref))
        .set("data-kind", e.kind.as_str());
    if e.kind == EdgeKind::Catch {
        g.append(
            Path::new()
                .set("class", "line")
                .set("d", e.path.clone())
                .set("stroke-dasharray", "5 4"),
        );
    } else {
        g.append(Path::new().set("class", "line").set("d", e.path.clone()));
    }
    g.append(
        Polygon::new()
            .set("class", "arrow")
            .set("points", points_attr(&e.arrow)),
    );
    g
}

/// Draws one node (state, cluster, terminal, missing marker or branch end).
fn node_group(n: &SceneNode, overlay: Option<&Overlay>) -> Group {
    let mut classes: Vec<String> = Vec::new();
    let mut g = Group::new();
    match n.kind {
        NodeKind::State | NodeKind::Parallel | NodeKind::Map => {
            classes.push("state".into());
            if n.kind.is_cluster() {
                classes.push("cluster".into());
            }
            g = g
                .set("data-state", attr(&n.name))
                .set("data-type", attr(&n.state_type))
                .set("data-pointer", attr(&n.pointer));
        }
        NodeKind::Start | NodeKind::End => {
            classes.push("terminal".into());
            g = g.set(
                "data-terminal",
                if n.kind == NodeKind::Start {
                    "start"
                } else {
                    "end"
                },
            );
        }
        NodeKind::Missing => {
            classes.push("missing".into());
            g = g.set("data-missing", attr(&n.name));
        }
        NodeKind::Branch => {
            classes.push("branch".into());
            g = g.set("data-pointer", attr(&n.pointer));
        }
        NodeKind::BranchEnd => {
            return Group::new().set("class", "branch-end-point").add(
                Circle::new()
                    .set("class", "branch-end")
                    .set("cx", num(n.rect.x + n.rect.width / 2.0))
                    .set("cy", num(n.rect.y + n.rect.height / 2.0))
                    .set("r", num(n.rect.width / 2.0)),
            );
        }
    }
    classes.extend(n.classes.iter().cloned());
    let status = if n.kind.is_state() {
        overlay.and_then(|o| o.node_status.get(&n.name))
    } else {
        None
    };
    if let Some(status) = status {
        classes.push(status.class().into());
    }
    g = g.set("class", classes.join(" "));
    if !n.tooltip.is_empty() {
        g.append(Title::new(clean(&n.tooltip)));
    }
    let radius = match n.kind {
        NodeKind::Start | NodeKind::End => n.rect.height / 2.0,
        NodeKind::Branch => 4.0,
        _ => 6.0,
    };
    g.append(rect("box", n.rect, radius));
    if matches!(
        n.kind,
        NodeKind::State | NodeKind::Parallel | NodeKind::Map | NodeKind::Missing
    ) {
        g.append(icon(n.icon, n.icon_at));
    }
    for line in &n.lines {
        g.append(text_line(line));
    }
    for badge in &n.badges {
        g.append(badge_group(badge, "badge"));
    }
    if let Some(c) = n.retry_at {
        g.append(retry_mark(c, &n.retry_info));
    }
    if let Some((retries, iterations)) = overlay
        .filter(|_| n.kind.is_state())
        .and_then(|o| o.badges.get(&n.name))
    {
        let mut x = n.rect.x + n.rect.width;
        for (count, text, class) in [
            (*iterations, format!("×{iterations}"), "badge-iterations"),
            (*retries, format!("↻{retries}"), "badge-retries"),
        ] {
            if count == 0 {
                continue;
            }
            let w = text.chars().count() as f64 * 6.5 + 10.0;
            x -= w + 4.0;
            let b = Badge {
                text,
                rect: Rect {
                    x,
                    y: n.rect.y + n.rect.height - 7.5,
                    width: w,
                    height: 15.0,
                },
                class: class.into(),
            };
            g.append(badge_group(&b, "overlay-badge"));
        }
    }
    g
}

fn badge_group(b: &Badge, kind: &str) -> Group {
    Group::new()
        .set("class", format!("{kind} {}", b.class))
        .add(rect("badge-box", b.rect, b.rect.height / 2.0))
        .add(text_element(
            &b.text,
            &[
                ("x", num(b.rect.x + b.rect.width / 2.0)),
                ("y", num(b.rect.y + b.rect.height / 2.0 + 3.5)),
                ("text-anchor", "middle".into()),
            ],
        ))
}

/// A `<text>` element written on one line, so that its content has no added whitespace.
///
/// The `svg` crate's own `Text` element puts its content on separate lines, which would show
/// up in the DOM's `textContent`.
fn text_element(content: &str, attrs: &[(&str, String)]) -> Element {
    let mut el = Element::new("text");
    for (name, value) in attrs {
        el.assign(*name, value.clone());
    }
    el.append(TextNode::new(clean(content)));
    el
}

fn rect(class: &str, r: Rect, radius: f64) -> Rectangle {
    Rectangle::new()
        .set("class", class)
        .set("x", num(r.x))
        .set("y", num(r.y))
        .set("width", num(r.width))
        .set("height", num(r.height))
        .set("rx", num(radius))
}

fn text_line(line: &TextLine) -> Element {
    let mut attrs = vec![
        ("class", line.class.to_string()),
        ("x", num(line.x)),
        ("y", num(line.y)),
    ];
    if line.centered {
        attrs.push(("text-anchor", "middle".into()));
    }
    text_element(&line.text, &attrs)
}

fn points_attr(points: &[Point]) -> String {
    points
        .iter()
        .map(|p| format!("{},{}", num(p.x), num(p.y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes characters XML cannot carry (control characters other than tab and newline).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\t' || *c == '\n')
        .collect()
}

/// Prepares an attribute value: the `svg` crate escapes `&`, `<` and `>` but not the double
/// quote, so a double quote (which ASL forbids in state names) is replaced by U+FF02.
fn attr(text: &str) -> String {
    clean(text).replace('"', "\u{FF02}")
}

/// A circular arrow drawn at `c`, marking a state that has `Retry`.
fn retry_mark(c: Point, info: &str) -> Group {
    let r = 5.0;
    let d = format!(
        "M{} {} A{r} {r} 0 1 1 {} {}",
        num(c.x + r),
        num(c.y),
        num(c.x),
        num(c.y - r)
    );
    let head = [
        Point {
            x: c.x - 2.5,
            y: c.y - r - 2.5,
        },
        Point {
            x: c.x + 0.8,
            y: c.y - r,
        },
        Point {
            x: c.x - 2.5,
            y: c.y - r + 2.5,
        },
    ];
    Group::new()
        .set("class", "retry-mark")
        .add(Title::new(if info.is_empty() {
            "Retry".to_string()
        } else {
            clean(info)
        }))
        .add(Path::new().set("d", d))
        .add(Path::new().set("d", polyline_d(&head)))
}

fn polyline_d(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        push_num(&mut d, p.x);
        d.push(' ');
        push_num(&mut d, p.y);
    }
    d
}

/// The SVG markup of a 16×16 type icon whose top-left corner is at `at` (for hosts that draw
/// the scene themselves).
pub fn icon_svg(icon_id: &str, at: Point) -> String {
    icon(icon_id, at).to_string()
}

/// The colour of an icon's square, by icon identifier.
fn icon_colour(name: &str) -> Option<&'static str> {
    Some(match name {
        "lambda" => "#ed7100",
        "sns" | "sqs" | "states" => "#e7157b",
        "dynamodb" => "#3b48cc",
        "http" => "#8c4fff",
        "aws-sdk" | "task" => "#01a88d",
        "activity" => "#7d8998",
        _ => return None,
    })
}

/// Draws a 16×16 type icon with its top-left corner at `at`, from simple shapes.
fn icon(name: &str, at: Point) -> Group {
    let x = at.x;
    let y = at.y;
    let p = |dx: f64, dy: f64| format!("{} {}", num(x + dx), num(y + dy));
    let mut g = Group::new().set("class", format!("icon icon-{}", css_token(name)));
    if let Some(colour) = icon_colour(name) {
        g.append(
            Rectangle::new()
                .set("x", num(x))
                .set("y", num(y))
                .set("width", 16)
                .set("height", 16)
                .set("rx", 3)
                .set("fill", colour),
        );
        let glyph = match name {
            "lambda" => format!(
                "M{} L{} L{} M{} L{}",
                p(4.5, 3.5),
                p(7.0, 3.5),
                p(12.0, 12.5),
                p(8.6, 7.5),
                p(4.5, 12.5)
            ),
            "sns" => format!(
                "M{} L{} L{} Z M{} L{}",
                p(4.0, 6.0),
                p(12.0, 3.5),
                p(12.0, 12.5),
                p(4.0, 10.0),
                p(4.0, 6.0)
            ),
            "sqs" => format!(
                "M{} L{} M{} L{} M{} L{}",
                p(3.5, 5.0),
                p(12.5, 5.0),
                p(3.5, 8.0),
                p(12.5, 8.0),
                p(3.5, 11.0),
                p(12.5, 11.0)
            ),
            "dynamodb" => format!(
                "M{} L{} M{} L{} M{} L{} M{} L{}",
                p(4.0, 4.0),
                p(12.0, 4.0),
                p(4.0, 4.0),
                p(4.0, 12.0),
                p(12.0, 4.0),
                p(12.0, 12.0),
                p(4.0, 12.0),
                p(12.0, 12.0)
            ),
            "states" => format!(
                "M{} L{} L{} M{} L{}",
                p(8.0, 3.5),
                p(8.0, 8.0),
                p(4.5, 12.5),
                p(8.0, 8.0),
                p(11.5, 12.5)
            ),
            "http" => format!(
                "M{} L{} M{} L{} M{} L{}",
                p(3.5, 8.0),
                p(12.5, 8.0),
                p(8.0, 3.5),
                p(8.0, 12.5),
                p(5.0, 4.5),
                p(11.0, 11.5)
            ),
            "activity" => format!(
                "M{} L{} L{} L{} Z",
                p(8.0, 3.5),
                p(12.5, 8.0),
                p(8.0, 12.5),
                p(3.5, 8.0)
            ),
            _ => format!(
                "M{} L{} L{} M{} L{} M{} L{}",
                p(4.0, 5.5),
                p(8.0, 3.5),
                p(12.0, 5.5),
                p(4.0, 5.5),
                p(4.0, 11.0),
                p(12.0, 5.5),
                p(12.0, 11.0)
            ),
        };
        g.append(Path::new().set("class", "glyph").set("d", glyph));
        return g;
    }
    let (colour, d) = match name {
        "choice" => (
            "#0972d3",
            format!(
                "M{} L{} L{} L{} Z",
                p(8.0, 1.5),
                p(14.5, 8.0),
                p(8.0, 14.5),
                p(1.5, 8.0)
            ),
        ),
        "pass" => (
            "#5f6b7a",
            format!(
                "M{} L{} M{} L{} L{}",
                p(2.0, 8.0),
                p(13.5, 8.0),
                p(9.5, 4.0),
                p(13.5, 8.0),
                p(9.5, 12.0)
            ),
        ),
        "wait" => (
            "#5f6b7a",
            format!(
                "M{} A6.5 6.5 0 1 1 {} A6.5 6.5 0 1 1 {} M{} L{} L{}",
                p(8.0, 1.5),
                p(8.0, 14.5),
                p(8.0, 1.5),
                p(8.0, 4.5),
                p(8.0, 8.0),
                p(11.0, 10.0)
            ),
        ),
        "succeed" => (
            "#037f0c",
            format!(
                "M{} A6.5 6.5 0 1 1 {} A6.5 6.5 0 1 1 {} M{} L{} L{}",
                p(8.0, 1.5),
                p(8.0, 14.5),
                p(8.0, 1.5),
                p(4.8, 8.2),
                p(7.2, 10.6),
                p(11.4, 5.8)
            ),
        ),
        "fail" => (
            "#d91515",
            format!(
                "M{} A6.5 6.5 0 1 1 {} A6.5 6.5 0 1 1 {} M{} L{} M{} L{}",
                p(8.0, 1.5),
                p(8.0, 14.5),
                p(8.0, 1.5),
                p(5.5, 5.5),
                p(10.5, 10.5),
                p(10.5, 5.5),
                p(5.5, 10.5)
            ),
        ),
        "parallel" => (
            "#5f6b7a",
            format!(
                "M{} L{} M{} L{} M{} L{} M{} L{}",
                p(8.0, 1.5),
                p(8.0, 4.5),
                p(3.5, 4.5),
                p(12.5, 4.5),
                p(3.5, 4.5),
                p(3.5, 14.0),
                p(12.5, 4.5),
                p(12.5, 14.0)
            ),
        ),
        "map" => (
            "#5f6b7a",
            format!(
                "M{} L{} L{} L{} Z M{} L{} L{} M{} L{} L{}",
                p(2.0, 6.5),
                p(10.0, 6.5),
                p(10.0, 14.0),
                p(2.0, 14.0),
                p(4.0, 4.5),
                p(12.0, 4.5),
                p(12.0, 12.0),
                p(6.0, 2.5),
                p(14.0, 2.5),
                p(14.0, 10.0)
            ),
        ),
        "missing" => (
            "#d91515",
            format!(
                "M{} L{} L{} Z M{} L{} M{} L{}",
                p(8.0, 1.5),
                p(15.0, 14.0),
                p(1.0, 14.0),
                p(8.0, 6.0),
                p(8.0, 9.5),
                p(8.0, 11.5),
                p(8.0, 12.0)
            ),
        ),
        _ => (
            "#5f6b7a",
            format!(
                "M{} A6.5 6.5 0 1 1 {} A6.5 6.5 0 1 1 {} M{} L{}",
                p(8.0, 1.5),
                p(8.0, 14.5),
                p(8.0, 1.5),
                p(8.0, 11.0),
                p(8.0, 11.5)
            ),
        ),
    };
    // Neutral icons take their colour from the theme's style sheet.
    if colour == NEUTRAL {
        g.append(Path::new().set("class", "outline neutral").set("d", d));
    } else {
        g.append(
            Path::new()
                .set("class", "outline")
                .set("d", d)
                .set("stroke", colour),
        );
    }
    g
}

/// The marker colour of icons drawn in the theme's muted text colour.
const NEUTRAL: &str = "#5f6b7a";
