//! Edge routing: polylines through the bend points (dummy nodes) of each level, vertical inside
//! a layer's band and straight between bands, so they never cross a node; self-loops on the
//! right side of their node; label centres. A back edge running against a forward edge between
//! the same two items attaches right of their ports ([`Item::back_port`]).

use crate::{EdgeRoute, Point, Rect};

/// Space between an edge line and its label.
pub(crate) const LABEL_GAP: f64 = 6.0;
/// How far a self-loop reaches out to the right of its node.
pub(crate) const LOOP_OUT: f64 = 18.0;

/// An item of a level as the router and the placement see it.
pub(crate) struct Item {
    /// Width including room for self-loops on the right.
    pub width: f64,
    pub height: f64,
    /// X offsets of the entry (top) and exit (bottom) ports from the item's centre.
    pub top_off: f64,
    pub bottom_off: f64,
    /// How far right of its ports a back edge attaches when it runs against a forward edge
    /// between the same two items (a quarter of the drawn width).
    pub back_port: f64,
    /// A column of a `columns` cluster: same rank and top, fixed left-to-right order.
    pub pinned: bool,
}

/// The vertical bands of a level: every layer has a top and a height.
pub(crate) struct Band<'a> {
    pub top: &'a [f64],
    pub height: &'a [f64],
}

/// The geometry of one level after placement.
pub(crate) struct LevelGeo<'a> {
    pub items: &'a [Item],
    pub x: &'a [f64],
    pub top: &'a [f64],
    pub layer: &'a [usize],
    pub port_off: &'a [f64],
    pub entry: usize,
    pub exit: usize,
    pub box_height: f64,
    pub bands: Band<'a>,
}

impl LevelGeo<'_> {
    fn band(&self, v: usize) -> (f64, f64) {
        let r = self.layer.get(v).copied().unwrap_or(0);
        let t = self.bands.top.get(r).copied().unwrap_or(0.0);
        (t, t + self.bands.height.get(r).copied().unwrap_or(0.0))
    }
}

/// The polyline of one level edge: from the first node's bottom port (or the entry port),
/// through the dummies, to the last node's top port (or the exit port). `shift` moves the
/// first and the last port to the right (see [`Item::back_port`]).
pub(crate) fn chain_points(g: &LevelGeo, chain: &[usize], shift: (f64, f64)) -> Vec<Point> {
    let k = g.items.len();
    let mut pts = Vec::with_capacity(chain.len() * 2 + 2);
    let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
        return pts;
    };
    if a == g.entry {
        pts.push(Point { x: g.x[a], y: 0.0 });
    } else if a < k {
        let px = g.x[a] + g.items[a].bottom_off + shift.0;
        let py = g.top[a] + g.items[a].height;
        pts.push(Point { x: px, y: py });
        let (_, bb) = g.band(a);
        if bb > py + 0.5 {
            pts.push(Point { x: px, y: bb });
        }
    }
    for &d in &chain[1..chain.len() - 1] {
        let px = g.x[d] + g.port_off[d];
        let (t, bb) = g.band(d);
        pts.push(Point { x: px, y: t });
        if bb > t + 0.5 {
            pts.push(Point { x: px, y: bb });
        }
    }
    if b == g.exit {
        pts.push(Point {
            x: g.x[b],
            y: g.box_height,
        });
    } else if b < k {
        let px = g.x[b] + g.items[b].top_off + shift.1;
        let py = g.top[b];
        let (bt, _) = g.band(b);
        if py > bt + 0.5 {
            pts.push(Point { x: px, y: bt });
        }
        pts.push(Point { x: px, y: py });
    }
    pts
}

/// The route of an edge between two items that are not in consecutive layers downwards: down
/// into the gap below `a`, right to the lane, up or down to the gap above `b`, then into `b`.
pub(crate) fn lane_points(
    g: &LevelGeo,
    a: usize,
    b: usize,
    lane: f64,
    below_a: f64,
    above_b: f64,
) -> Vec<Point> {
    let ax = g.x[a] + g.items[a].bottom_off;
    let bx = g.x[b] + g.items[b].top_off;
    vec![
        Point {
            x: ax,
            y: g.top[a] + g.items[a].height,
        },
        Point { x: ax, y: below_a },
        Point {
            x: lane,
            y: below_a,
        },
        Point {
            x: lane,
            y: above_b,
        },
        Point { x: bx, y: above_b },
        Point { x: bx, y: g.top[b] },
    ]
}

/// A loop on the right side of a node, with its label further right.
pub(crate) fn self_loop(r: Rect, label: Option<(f64, f64)>) -> EdgeRoute {
    let right = r.x + r.width;
    let cy = r.y + r.height / 2.0;
    let dy = r.height / 4.0;
    let out = right + LOOP_OUT - 4.0;
    EdgeRoute {
        points: vec![
            Point {
                x: right,
                y: cy - dy,
            },
            Point { x: out, y: cy - dy },
            Point { x: out, y: cy + dy },
            Point {
                x: right,
                y: cy + dy,
            },
        ],
        label: label.map(|(w, _)| Point {
            x: out + LABEL_GAP + w.max(0.0) / 2.0,
            y: cy,
        }),
        back: true,
    }
}

/// The middle of a polyline's longest segment (a fallback label place).
pub(crate) fn midpoint(pts: &[Point]) -> Point {
    let mut best = (f64::NEG_INFINITY, Point::default());
    for p in pts.windows(2) {
        let len = (p[1].x - p[0].x).hypot(p[1].y - p[0].y);
        if len > best.0 {
            best = (
                len,
                Point {
                    x: (p[0].x + p[1].x) / 2.0,
                    y: (p[0].y + p[1].y) / 2.0,
                },
            );
        }
    }
    if best.0.is_finite() {
        best.1
    } else {
        pts.first().copied().unwrap_or_default()
    }
}
