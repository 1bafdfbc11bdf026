//! ASL definition to drawing: graph model, layout into a scene, and SVG output.
//!
//! The pipeline is [`build`] (definition to [`AslGraph`]), [`layout`] (graph to [`Scene`], plain
//! positioned shapes the app can draw itself) and [`to_svg`] (scene to a standalone SVG).
//! [`render_svg`] runs all three. Nothing here panics on odd input: half-typed machines,
//! wrong types, dangling targets and very deep nesting all produce a drawing.

mod build;
mod labels;
mod offsets;
mod scene;
mod svg_out;
mod text;

use serde_json::Value;

pub use build::{AslGraph, EdgeKind, GraphEdge, GraphNode, MAX_NESTING, NodeKind, build};
pub use labels::{Integration, LABEL_MAX_CHARS, catch_label, choice_rule_summary, integration};
pub use offsets::apply_offsets;
pub use scene::{
    Badge, EdgeLabel, FONT_SIZE, LayoutCache, Point, Rect, RenderOptions, SMALL_FONT_SIZE, Scene,
    SceneEdge, SceneNode, TextLine, layout, layout_cached,
};
pub use svg_out::{FONT_FAMILY, Overlay, Status, SvgOptions, Theme, icon_svg, stylesheet, to_svg};
pub use text::{EstimatedMeasure, TextMeasure};

/// Builds, lays out and writes a definition as SVG in one call.
pub fn render_svg(def: &Value, opts: &SvgOptions) -> String {
    let graph = build(def);
    let scene = layout(&graph, &RenderOptions::default());
    to_svg(&scene, opts)
}
