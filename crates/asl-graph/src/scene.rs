//! The drawable scene: positioned boxes, texts, edge paths and labels, plain data for any renderer.

use std::rc::Rc;

pub use graph_layout::{Point, Rect};

use crate::build::{AslGraph, EdgeKind, GraphNode, NodeKind};
use crate::labels::LABEL_MAX_CHARS;
use crate::text::{EstimatedMeasure, TextMeasure, truncate_chars, truncate_to_width};

/// Font size of state titles and edge labels, in pixels.
pub const FONT_SIZE: f64 = 13.0;
/// Font size of subtitles (integration, type) and badges.
pub const SMALL_FONT_SIZE: f64 = 11.5;
/// Space around the drawing.
pub(crate) const MARGIN: f64 = 16.0;
/// Narrowest and widest state box.
const MIN_NODE_WIDTH: f64 = 150.0;
const MAX_NODE_WIDTH: f64 = 260.0;
/// Left inset of text, leaving room for the icon.
const TEXT_LEFT: f64 = 36.0;
const TEXT_RIGHT: f64 = 12.0;
const RETRY_SPACE: f64 = 16.0;
/// Height of a two-line and a three-line state box.
const NODE_HEIGHT_2: f64 = 46.0;
const NODE_HEIGHT_3: f64 = 60.0;
/// Top padding of Parallel and Map boxes (room for their title).
const CLUSTER_TOP: f64 = 46.0;
const CLUSTER_SIDE: f64 = 16.0;
const BRANCH_PAD: f64 = 12.0;
/// Size of the Start and End pills.
const TERMINAL_SIZE: (f64, f64) = (64.0, 28.0);
/// Size of the point where a branch's terminal states end.
const BRANCH_END_SIZE: f64 = 10.0;
/// Bottom padding of a Parallel box: room for its branches to join at its exit.
const PARALLEL_BOTTOM: f64 = 30.0;
/// How far below the lowest branch box the branches' lines meet.
const JOIN_DROP: f64 = 12.0;
/// Edge label box padding and height.
const LABEL_PAD_X: f64 = 6.0;
const LABEL_HEIGHT: f64 = 20.0;
/// Arrowhead length and half width.
const ARROW_LEN: f64 = 8.0;
const ARROW_HALF: f64 = 4.5;

/// Options of [`layout`](crate::layout).
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// Real text measurements (the app's canvas); `None` uses the built-in estimate.
    pub measure: Option<Rc<dyn TextMeasure>>,
    /// Spacing overrides for the layout; `None` uses the defaults.
    pub spacing: Option<graph_layout::Options>,
}

impl std::fmt::Debug for RenderOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderOptions")
            .field("measure", &self.measure.as_ref().map(|_| "custom"))
            .field("spacing", &self.spacing)
            .finish()
    }
}

/// A positioned line of text.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// The text as drawn (possibly cut, ending with "…").
    pub text: String,
    /// The full text (for a tooltip when `text` was cut).
    pub full: String,
    /// Start of the baseline (or its centre when `centered`).
    pub x: f64,
    pub y: f64,
    /// Style class: `title`, `subtitle`, `suffix`, `label`.
    pub class: &'static str,
    /// The text is centred on `x`.
    pub centered: bool,
}

/// A small pill in a box's corner ("Distributed", "Unreachable", execution counts).
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub text: String,
    pub rect: Rect,
    /// Style class, for example `badge-distributed`.
    pub class: String,
}

/// A node of the scene: a state box, a cluster box, a Start/End pill, a missing-target marker,
/// or the end point of a branch.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneNode {
    /// Index of the node in [`AslGraph::nodes`].
    pub id: usize,
    pub kind: NodeKind,
    /// The enclosing cluster's index in [`AslGraph::nodes`].
    pub parent: Option<usize>,
    /// The box, in scene coordinates.
    pub rect: Rect,
    /// State name (missing markers: the missing name; other markers: empty).
    pub name: String,
    /// `Type` as written, or empty for markers.
    pub state_type: String,
    pub lines: Vec<TextLine>,
    /// Icon identifier and the top-left corner of its 16×16 square.
    pub icon: &'static str,
    pub icon_at: Point,
    pub badges: Vec<Badge>,
    /// Centre of the retry mark, when the state has `Retry`.
    pub retry_at: Option<Point>,
    /// Hover text of the retry mark.
    pub retry_info: String,
    /// CSS classes besides the group's own (`type-task`, `unreachable`, …).
    pub classes: Vec<String>,
    /// JSON Pointer of the state in the definition.
    pub pointer: String,
    /// Hover text: the full title and subtitle.
    pub tooltip: String,
}

/// An edge label with its box.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLabel {
    pub rect: Rect,
    pub line: TextLine,
}

/// A routed edge.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneEdge {
    /// Indexes in [`AslGraph::nodes`].
    pub from: usize,
    pub to: usize,
    /// `data-from` / `data-to`: state names, or `__start`, `__end`, `__branch_end`.
    pub from_ref: String,
    pub to_ref: String,
    pub kind: EdgeKind,
    /// The polyline, from the source's border to the arrowhead's tip.
    pub points: Vec<Point>,
    /// SVG path data of the line (it stops at the arrowhead's base).
    pub path: String,
    /// The arrowhead triangle: tip, then the two base corners.
    pub arrow: [Point; 3],
    pub label: Option<EdgeLabel>,
    /// The edge goes back up (a loop).
    pub back: bool,
    /// CSS classes besides `edge` (`kind-catch`, `back`).
    pub classes: Vec<String>,
}

/// Everything needed to draw a machine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Size of the drawing; the view box is `0 0 width height`.
    pub width: f64,
    pub height: f64,
    /// Every node, in [`AslGraph::nodes`] order (clusters before their contents).
    pub nodes: Vec<SceneNode>,
    pub edges: Vec<SceneEdge>,
}

impl Scene {
    /// The node of the state with this name (the first one, should names repeat).
    pub fn node_by_name(&self, name: &str) -> Option<&SceneNode> {
        self.nodes
            .iter()
            .find(|n| n.kind.is_state() && n.name == name)
    }

    /// The innermost node whose box contains the point (for hit-testing clicks), skipping
    /// branch boxes and branch end points.
    pub fn node_at(&self, x: f64, y: f64) -> Option<&SceneNode> {
        self.nodes
            .iter()
            .filter(|n| !matches!(n.kind, NodeKind::Branch | NodeKind::BranchEnd))
            .filter(|n| {
                x >= n.rect.x
                    && x <= n.rect.x + n.rect.width
                    && y >= n.rect.y
                    && y <= n.rect.y + n.rect.height
            })
            .min_by(|a, b| {
                (a.rect.width * a.rect.height).total_cmp(&(b.rect.width * b.rect.height))
            })
    }
}

/// Measured sizes of one node before layout.
struct Sized {
    width: f64,
    height: f64,
    lines: Vec<(String, String, &'static str)>,
}

/// Lays a graph out and produces the scene.
pub fn layout(g: &AslGraph, opts: &RenderOptions) -> Scene {
    layout_cached(g, opts, &mut LayoutCache::default())
}

/// The last layout's input and result. The layout sees only box sizes, nesting and edges (with
/// their label sizes), so an edit that changes none of them (a state renamed within its box's
/// width, a longer name of a missing target, a changed comment in a tooltip) reuses it, and only
/// the scene's texts are rebuilt.
#[derive(Default)]
pub struct LayoutCache {
    last: Option<(
        graph_layout::Graph,
        graph_layout::Options,
        graph_layout::Layout,
    )>,
    reused: u64,
}

impl LayoutCache {
    /// How many times a layout was reused.
    pub fn reused(&self) -> u64 {
        self.reused
    }
}

impl std::fmt::Debug for LayoutCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutCache")
            .field("nodes", &self.last.as_ref().map(|(g, _, _)| g.nodes.len()))
            .finish()
    }
}

/// [`layout`], reusing the cache's layout when the graph to lay out is the same (the layout is
/// deterministic, so the scene is the one a fresh layout would give).
pub fn layout_cached(g: &AslGraph, opts: &RenderOptions, cache: &mut LayoutCache) -> Scene {
    let estimated = EstimatedMeasure;
    let measure: &dyn TextMeasure = match &opts.measure {
        Some(m) => m.as_ref(),
        None => &estimated,
    };
    let sane = Sane(measure);
    let measure: &dyn TextMeasure = &sane;
    let sized: Vec<Sized> = g.nodes.iter().map(|n| size_node(n, measure)).collect();
    let mut lg = graph_layout::Graph::new();
    for (n, s) in g.nodes.iter().zip(&sized) {
        let parent = n.parent.filter(|p| *p < g.nodes.len());
        let mut node = match n.kind {
            NodeKind::Parallel => graph_layout::Node::cluster([
                CLUSTER_TOP,
                CLUSTER_SIDE,
                PARALLEL_BOTTOM,
                CLUSTER_SIDE,
            ])
            .with_size(s.width, s.height),
            NodeKind::Map => {
                graph_layout::Node::cluster([CLUSTER_TOP, CLUSTER_SIDE, CLUSTER_SIDE, CLUSTER_SIDE])
                    .with_size(s.width, s.height)
            }
            NodeKind::Branch => graph_layout::Node::cluster([BRANCH_PAD; 4]),
            _ => graph_layout::Node::leaf(s.width, s.height),
        };
        if n.kind == NodeKind::Parallel {
            node = node.with_columns();
        }
        if let Some(p) = parent {
            node = node.with_parent(p);
        }
        lg.add_node(node);
    }
    let labels: Vec<Option<(String, String, f64)>> = g
        .edges
        .iter()
        .map(|e| {
            e.label.as_ref().map(|full| {
                let text = truncate_chars(full, LABEL_MAX_CHARS);
                let w = measure.width(&text, SMALL_FONT_SIZE, false) + 2.0 * LABEL_PAD_X;
                (text, full.clone(), w.ceil())
            })
        })
        .collect();
    for (e, label) in g.edges.iter().zip(&labels) {
        let mut edge = graph_layout::Edge::new(e.from, e.to);
        if let Some((_, _, w)) = label {
            edge = edge.with_label(*w, LABEL_HEIGHT);
        }
        let weight = match e.kind {
            EdgeKind::Next => 2.0,
            EdgeKind::Choice | EdgeKind::Default => 1.0,
            EdgeKind::Catch => 0.5,
        };
        lg.add_edge(edge.with_weight(weight));
    }
    let options = opts.spacing.clone().unwrap_or_default();
    match &cache.last {
        Some((last_g, last_o, laid)) if *last_g == lg && *last_o == options => {
            cache.reused += 1;
            assemble(g, &sized, &labels, laid)
        }
        _ => {
            let laid = graph_layout::layout(&lg, &options);
            let scene = assemble(g, &sized, &labels, &laid);
            cache.last = Some((lg, options, laid));
            scene
        }
    }
}

/// Guards against a host measurer that returns NaN, infinite or negative widths.
struct Sane<'a>(&'a dyn TextMeasure);

impl TextMeasure for Sane<'_> {
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64 {
        let w = self.0.width(text, font_size, bold);
        if w.is_finite() && w >= 0.0 {
            w.min(100_000.0)
        } else {
            0.0
        }
    }
}

/// Chooses a node's size and its lines of text.
fn size_node(n: &GraphNode, measure: &dyn TextMeasure) -> Sized {
    match n.kind {
        NodeKind::Start | NodeKind::End => Sized {
            width: TERMINAL_SIZE.0,
            height: TERMINAL_SIZE.1,
            lines: vec![(n.title.clone(), n.title.clone(), "title")],
        },
        NodeKind::BranchEnd => Sized {
            width: BRANCH_END_SIZE,
            height: BRANCH_END_SIZE,
            lines: Vec::new(),
        },
        NodeKind::Branch => Sized {
            width: 0.0,
            height: 0.0,
            lines: Vec::new(),
        },
        NodeKind::Parallel | NodeKind::Map => {
            let max_text = 2.0 * MAX_NODE_WIDTH - TEXT_LEFT - TEXT_RIGHT;
            let title = truncate_to_width(measure, &n.title, FONT_SIZE, true, max_text);
            let tw = measure.width(&title, FONT_SIZE, true);
            let mut sub = n.subtitle.clone();
            if n.truncated {
                sub.push_str(" (nested too deeply)");
            }
            let sw = measure.width(&sub, SMALL_FONT_SIZE, false)
                + if n.distributed { 84.0 } else { 0.0 }
                + if n.unreachable { 84.0 } else { 0.0 };
            let retry = if n.retry { RETRY_SPACE } else { 0.0 };
            Sized {
                width: (tw.max(sw) + TEXT_LEFT + TEXT_RIGHT + retry).ceil(),
                height: CLUSTER_TOP + CLUSTER_SIDE,
                lines: vec![
                    (title, n.title.clone(), "title"),
                    (sub.clone(), sub, "subtitle"),
                ],
            }
        }
        NodeKind::State | NodeKind::Missing => {
            let retry = if n.retry { RETRY_SPACE } else { 0.0 };
            let max_text = MAX_NODE_WIDTH - TEXT_LEFT - TEXT_RIGHT - retry;
            let mut lines = Vec::new();
            let mut widest: f64 = 0.0;
            let title = truncate_to_width(measure, &n.title, FONT_SIZE, true, max_text);
            widest = widest.max(measure.width(&title, FONT_SIZE, true));
            lines.push((title, n.title.clone(), "title"));
            let mut sub = n.subtitle.clone();
            if n.truncated {
                sub.push_str(" (nested too deeply)");
            }
            let badge_room = if n.unreachable { 84.0 } else { 0.0 };
            let subtitle =
                truncate_to_width(measure, &sub, SMALL_FONT_SIZE, false, max_text - badge_room);
            widest = widest.max(measure.width(&subtitle, SMALL_FONT_SIZE, false) + badge_room);
            lines.push((subtitle, sub, "subtitle"));
            if let Some(suffix) = &n.suffix {
                let cut = truncate_to_width(measure, suffix, SMALL_FONT_SIZE, false, max_text);
                widest = widest.max(measure.width(&cut, SMALL_FONT_SIZE, false));
                lines.push((cut, suffix.clone(), "suffix"));
            }
            let height = if lines.len() > 2 {
                NODE_HEIGHT_3
            } else {
                NODE_HEIGHT_2
            };
            Sized {
                width: (widest + TEXT_LEFT + TEXT_RIGHT + retry)
                    .clamp(MIN_NODE_WIDTH, MAX_NODE_WIDTH)
                    .ceil(),
                height,
                lines,
            }
        }
    }
}

/// Turns the layout's boxes and routes into scene elements in scene coordinates.
fn assemble(
    g: &AslGraph,
    sized: &[Sized],
    labels: &[Option<(String, String, f64)>],
    laid: &graph_layout::Layout,
) -> Scene {
    let rect_of = |i: usize| -> Rect { laid.nodes.get(i).copied().unwrap_or_default() };
    // Find the drawing's extent so that everything can be moved to start at the margin.
    let mut min_x = f64::INFINITY;
    let mut min_y = f64::INFINITY;
    let mut max_x = f64::NEG_INFINITY;
    let mut max_y = f64::NEG_INFINITY;
    let mut grow = |x0: f64, y0: f64, x1: f64, y1: f64| {
        if x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite() {
            min_x = min_x.min(x0);
            min_y = min_y.min(y0);
            max_x = max_x.max(x1);
            max_y = max_y.max(y1);
        }
    };
    for i in 0..g.nodes.len() {
        let r = rect_of(i);
        grow(r.x, r.y, r.x + r.width, r.y + r.height);
    }
    for (i, route) in laid.edges.iter().enumerate() {
        for p in &route.points {
            grow(p.x, p.y, p.x, p.y);
        }
        if let (Some(c), Some(Some((_, _, w)))) = (route.label, labels.get(i)) {
            grow(
                c.x - w / 2.0,
                c.y - LABEL_HEIGHT / 2.0,
                c.x + w / 2.0,
                c.y + LABEL_HEIGHT / 2.0,
            );
        }
    }
    if !min_x.is_finite() {
        (min_x, min_y, max_x, max_y) = (0.0, 0.0, 0.0, 0.0);
    }
    let dx = MARGIN - min_x;
    let dy = MARGIN - min_y;
    let shift = |p: Point| Point {
        x: finite(p.x + dx),
        y: finite(p.y + dy),
    };
    let mut nodes: Vec<SceneNode> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let r = rect_of(i);
            let rect = Rect {
                x: finite(r.x + dx),
                y: finite(r.y + dy),
                width: finite(r.width),
                height: finite(r.height),
            };
            scene_node(i, n, &sized[i], rect)
        })
        .collect();
    let joins = place_joins(g, &mut nodes);
    let edges = g
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let route = laid.edges.get(i);
            let mut points: Vec<Point> = route
                .map(|r| r.points.iter().map(|p| shift(*p)).collect())
                .unwrap_or_default();
            if points.len() < 2 {
                // A route is always expected; fall back to a straight line between the boxes.
                let a = rect_of(e.from);
                let b = rect_of(e.to);
                points = vec![
                    shift(Point {
                        x: a.x + a.width / 2.0,
                        y: a.y + a.height,
                    }),
                    shift(Point {
                        x: b.x + b.width / 2.0,
                        y: b.y,
                    }),
                ];
            }
            if let Some(join) = joins.get(&e.to) {
                join.reroute(&mut points);
            }
            let back = route.is_some_and(|r| r.back);
            let label = labels.get(i).cloned().flatten().map(|(text, full, w)| {
                let c = route
                    .and_then(|r| r.label)
                    .map(shift)
                    .unwrap_or_else(|| midpoint(&points));
                EdgeLabel {
                    rect: Rect {
                        x: c.x - w / 2.0,
                        y: c.y - LABEL_HEIGHT / 2.0,
                        width: w,
                        height: LABEL_HEIGHT,
                    },
                    line: TextLine {
                        text,
                        full,
                        x: c.x,
                        y: c.y + 4.0,
                        class: "label",
                        centered: true,
                    },
                }
            });
            let (path, arrow) = path_and_arrow(&points);
            let mut classes = vec![format!("kind-{}", e.kind.as_str())];
            if back {
                classes.push("back".into());
            }
            SceneEdge {
                from: e.from,
                to: e.to,
                from_ref: g.node_ref(e.from).to_string(),
                to_ref: g.node_ref(e.to).to_string(),
                kind: e.kind,
                points,
                path,
                arrow,
                label,
                back,
                classes,
            }
        })
        .collect();
    Scene {
        width: finite(max_x - min_x + 2.0 * MARGIN).ceil(),
        height: finite(max_y - min_y + 2.0 * MARGIN).ceil(),
        nodes,
        edges,
    }
}

/// Where the lines into one branch end point meet: the branches of a Parallel (and the item
/// processor of a Map) join at the box's exit, the middle of its bottom side, as in Workflow Studio.
struct Join {
    /// The x of the box's exit.
    exit_x: f64,
    /// The height at which lines turn towards the exit.
    turn_y: f64,
    /// The tip of the arrow: the top of the join point.
    tip_y: f64,
}

impl Join {
    /// Replaces the end of a route (which stopped at the branch end's old place) with a turn
    /// below the branches and a short arrow into the join point.
    fn reroute(&self, points: &mut Vec<Point>) {
        let Some(last) = points.pop() else {
            return;
        };
        let x = last.x;
        if (x - self.exit_x).abs() > 0.5 {
            points.push(Point { x, y: self.turn_y });
            points.push(Point {
                x: self.exit_x,
                y: self.turn_y,
            });
        }
        points.push(Point {
            x: self.exit_x,
            y: self.tip_y,
        });
        // Drop points that no longer move the line (a vertical run followed by more of it).
        let mut i = 1;
        while i + 1 < points.len() {
            let (a, b, c) = (points[i - 1], points[i], points[i + 1]);
            let vertical = (a.x - b.x).abs() < 0.01 && (b.x - c.x).abs() < 0.01;
            let horizontal = (a.y - b.y).abs() < 0.01 && (b.y - c.y).abs() < 0.01;
            if (vertical && (b.y - a.y) * (c.y - b.y) >= 0.0)
                || (horizontal && (b.x - a.x) * (c.x - b.x) >= 0.0)
            {
                points.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// Moves every branch end point to the exit of its Parallel or Map box and returns, per branch
/// end node, how lines into it are routed.
fn place_joins(g: &AslGraph, nodes: &mut [SceneNode]) -> std::collections::HashMap<usize, Join> {
    let mut joins = std::collections::HashMap::new();
    for i in 0..nodes.len() {
        if nodes[i].kind != NodeKind::BranchEnd {
            continue;
        }
        let old = nodes[i].rect;
        let Some(parent) = g.nodes.get(i).and_then(|n| n.parent) else {
            continue;
        };
        let (owner, turn_y) = match g.nodes.get(parent).map(|n| n.kind) {
            Some(NodeKind::Branch) => {
                let Some(p) = g.nodes.get(parent).and_then(|n| n.parent) else {
                    continue;
                };
                // Below the lowest branch box of the Parallel.
                let lowest = g
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.kind == NodeKind::Branch && n.parent == Some(p))
                    .map(|(b, _)| nodes[b].rect.y + nodes[b].rect.height)
                    .fold(f64::NEG_INFINITY, f64::max);
                (p, lowest + JOIN_DROP)
            }
            Some(NodeKind::Map) => (parent, old.y + old.height / 2.0),
            _ => continue,
        };
        let Some(box_rect) = nodes.get(owner).map(|n| n.rect) else {
            continue;
        };
        if !turn_y.is_finite() {
            continue;
        }
        let exit_x = box_rect.x + box_rect.width / 2.0;
        let bottom = box_rect.y + box_rect.height;
        nodes[i].rect = Rect {
            x: exit_x - BRANCH_END_SIZE / 2.0,
            y: bottom - BRANCH_END_SIZE / 2.0,
            width: BRANCH_END_SIZE,
            height: BRANCH_END_SIZE,
        };
        nodes[i].icon_at = Point {
            x: nodes[i].rect.x,
            y: nodes[i].rect.y,
        };
        joins.insert(
            i,
            Join {
                exit_x,
                turn_y: turn_y.min(bottom - BRANCH_END_SIZE),
                tip_y: bottom - BRANCH_END_SIZE / 2.0,
            },
        );
    }
    joins
}

/// Places the texts, icon and badges of one node inside its box.
fn scene_node(id: usize, n: &GraphNode, s: &Sized, rect: Rect) -> SceneNode {
    let mut lines = Vec::new();
    let mut badges = Vec::new();
    let mut classes = Vec::new();
    let icon_at;
    let mut retry_at = None;
    match n.kind {
        NodeKind::Start | NodeKind::End => {
            icon_at = Point {
                x: rect.x,
                y: rect.y,
            };
            for (text, full, class) in &s.lines {
                lines.push(TextLine {
                    text: text.clone(),
                    full: full.clone(),
                    x: rect.x + rect.width / 2.0,
                    y: rect.y + rect.height / 2.0 + 4.5,
                    class,
                    centered: true,
                });
            }
        }
        NodeKind::BranchEnd | NodeKind::Branch => {
            icon_at = Point {
                x: rect.x,
                y: rect.y,
            };
        }
        NodeKind::Parallel | NodeKind::Map | NodeKind::State | NodeKind::Missing => {
            let cluster = n.kind.is_cluster();
            let top = if cluster {
                rect.y + 6.0
            } else {
                rect.y + (rect.height - 16.0 - if s.lines.len() > 2 { 14.0 } else { 0.0 }) / 2.0
                    - 6.0
            };
            icon_at = Point {
                x: rect.x + 12.0,
                y: if cluster {
                    rect.y + 12.0
                } else {
                    rect.y + (rect.height - 16.0) / 2.0
                },
            };
            let mut y = top + 14.0;
            for (text, full, class) in &s.lines {
                lines.push(TextLine {
                    text: text.clone(),
                    full: full.clone(),
                    x: rect.x + TEXT_LEFT,
                    y,
                    class,
                    centered: false,
                });
                y += if *class == "title" { 16.0 } else { 14.0 };
            }
            if n.retry {
                retry_at = Some(Point {
                    x: rect.x + rect.width - 12.0,
                    y: rect.y + 12.0,
                });
            }
            let mut badge_x = rect.x + rect.width - 8.0 - if n.retry { RETRY_SPACE } else { 0.0 };
            // Badges sit at the right end of the subtitle row, where room was kept for them.
            let badge_y = lines
                .iter()
                .find(|l| l.class == "subtitle")
                .map(|l| l.y - 11.0)
                .unwrap_or(rect.y + 4.0);
            let mut add_badge = |text: &str, class: &str, badges: &mut Vec<Badge>| {
                let w = text.chars().count() as f64 * 6.2 + 10.0;
                badge_x -= w;
                badges.push(Badge {
                    text: text.to_string(),
                    rect: Rect {
                        x: badge_x,
                        y: badge_y,
                        width: w,
                        height: 15.0,
                    },
                    class: class.to_string(),
                });
                badge_x -= 4.0;
            };
            if n.distributed {
                add_badge("Distributed", "badge-distributed", &mut badges);
            }
            if n.unreachable {
                add_badge("Unreachable", "badge-unreachable", &mut badges);
            }
        }
    }
    classes.push(format!(
        "type-{}",
        css_token(if n.kind == NodeKind::State || n.kind.is_cluster() {
            &n.state_type
        } else {
            ""
        })
    ));
    if n.unreachable {
        classes.push("unreachable".into());
    }
    if n.retry {
        classes.push("has-retry".into());
    }
    if n.catch {
        classes.push("has-catch".into());
    }
    if n.distributed {
        classes.push("distributed".into());
    }
    if n.truncated {
        classes.push("truncated".into());
    }
    classes.retain(|c| c != "type-");
    let mut tooltip = n.title.clone();
    if n.kind.is_state() && n.title != n.name {
        tooltip = format!("{} ({})", n.title, n.name);
    }
    for extra in [Some(&n.subtitle), n.suffix.as_ref()].into_iter().flatten() {
        if !extra.is_empty() {
            tooltip.push('\n');
            tooltip.push_str(extra);
        }
    }
    SceneNode {
        id,
        kind: n.kind,
        parent: n.parent,
        rect,
        name: n.name.clone(),
        state_type: n.state_type.clone(),
        lines,
        icon: n.icon,
        icon_at,
        badges,
        retry_at,
        retry_info: n.retry_info.clone(),
        classes,
        pointer: n.pointer.clone(),
        tooltip,
    }
}

/// A lower-case, class-safe token (`Task` becomes `task`, odd characters become `-`).
pub fn css_token(text: &str) -> String {
    text.chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Replaces NaN and infinities (from a misbehaving layout) with zero.
fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// The middle of the longest segment of a polyline.
pub(crate) fn midpoint(points: &[Point]) -> Point {
    let mut best = (0.0, Point::default());
    for w in points.windows(2) {
        let len = ((w[1].x - w[0].x).powi(2) + (w[1].y - w[0].y).powi(2)).sqrt();
        if len >= best.0 {
            best = (
                len,
                Point {
                    x: (w[0].x + w[1].x) / 2.0,
                    y: (w[0].y + w[1].y) / 2.0,
                },
            );
        }
    }
    best.1
}

/// Builds the path data (stopping at the arrowhead's base) and the arrowhead triangle.
pub(crate) fn path_and_arrow(points: &[Point]) -> (String, [Point; 3]) {
    let tip = points.last().copied().unwrap_or_default();
    // The direction of the last segment with a non-zero length; straight down if none.
    let mut dir = (0.0, 1.0);
    for w in points.windows(2).rev() {
        let (ddx, ddy) = (w[1].x - w[0].x, w[1].y - w[0].y);
        let len = (ddx * ddx + ddy * ddy).sqrt();
        if len > 1e-6 {
            dir = (ddx / len, ddy / len);
            break;
        }
    }
    let base = Point {
        x: tip.x - dir.0 * ARROW_LEN,
        y: tip.y - dir.1 * ARROW_LEN,
    };
    let arrow = [
        tip,
        Point {
            x: base.x - dir.1 * ARROW_HALF,
            y: base.y + dir.0 * ARROW_HALF,
        },
        Point {
            x: base.x + dir.1 * ARROW_HALF,
            y: base.y - dir.0 * ARROW_HALF,
        },
    ];
    let mut d = String::new();
    let count = points.len();
    for (i, p) in points.iter().enumerate() {
        let p = if i + 1 == count && count >= 2 {
            base
        } else {
            *p
        };
        d.push_str(if i == 0 { "M" } else { " L" });
        push_num(&mut d, p.x);
        d.push(' ');
        push_num(&mut d, p.y);
    }
    (d, arrow)
}

/// Formats a coordinate with at most two decimals and no trailing zeros.
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends [`num`]'s text for `v`. Coordinates are written from the hundredths as an integer:
/// float formatting with a precision is the slowest part of writing a path in wasm.
pub(crate) fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write;
    let hundredths = if v.is_finite() {
        (v * 100.0).round()
    } else {
        0.0
    };
    // Below 2^53 hundredths the two decimals of hundredths / 100 are exactly these digits.
    if hundredths.abs() < 1e15 {
        let h = hundredths as i64;
        if h < 0 {
            out.push('-');
        }
        let h = h.unsigned_abs();
        let _ = write!(out, "{}", h / 100);
        let frac = h % 100;
        if frac != 0 {
            let (tenths, hundredths) = (frac / 10, frac % 10);
            out.push('.');
            out.push(char::from(b'0' + tenths as u8));
            if hundredths != 0 {
                out.push(char::from(b'0' + hundredths as u8));
            }
        }
        return;
    }
    let v = hundredths / 100.0;
    let s = format!("{v:.2}");
    out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
}

#[cfg(test)]
mod tests {
    use super::num;

    /// The formatting `num` replaced: round to hundredths, print two decimals, trim zeros.
    fn reference(v: f64) -> String {
        let v = if v.is_finite() {
            (v * 100.0).round() / 100.0
        } else {
            0.0
        };
        let v = if v == 0.0 { 0.0 } else { v };
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }

    #[test]
    fn num_writes_what_float_formatting_wrote() {
        let mut values = vec![
            0.0,
            -0.0,
            0.004,
            -0.004,
            0.005,
            -0.005,
            0.015,
            1.005,
            -1.5,
            12.345,
            99.995,
            1e13,
            -1e13 - 0.25,
            9.999_999_999_999e12,
            1e14,
            1e200,
            -1e200,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        // A deterministic sweep of coordinates like the layout's (thirds, sevenths, halves).
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let magnitude = 10f64.powi((i % 16) as i32 - 3);
            values.push(((x % 2_000_001) as f64 - 1_000_000.0) / 1_000_000.0 * magnitude);
            values.push(f64::from(i) / 3.0 - 5000.0);
            values.push(f64::from(i) / 7.0);
        }
        for v in values {
            assert_eq!(num(v), reference(v), "{v:e}");
        }
    }
}
