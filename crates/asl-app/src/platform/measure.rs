//! Real text widths for the graph layout: a canvas `measureText` in the graph's font, cached per
//! string, size and weight, so state boxes fit their names in whatever font the browser picks.

use std::cell::RefCell;
use std::collections::HashMap;

use asl_core::hash::FastMap;
use asl_graph::{EstimatedMeasure, FONT_FAMILY, TextMeasure};
use wasm_bindgen::JsCast;

/// Measures text with an offscreen canvas; falls back to the conservative estimate without one.
pub struct CanvasMeasure {
    context: Option<web_sys::CanvasRenderingContext2d>,
    /// The font the context is set to, to skip needless `font` assignments.
    font: RefCell<String>,
    /// Widths per font (size in hundredths of a pixel, bold) and text: a hit allocates nothing.
    cache: RefCell<HashMap<(u32, bool), FastMap<String, f64>>>,
}

/// The cache is dropped when it grows past this many entries (a long editing session).
const CACHE_LIMIT: usize = 20_000;

impl CanvasMeasure {
    /// Creates the measurer (one canvas for the whole session).
    pub fn new() -> CanvasMeasure {
        let context = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            .and_then(|c| c.get_context("2d").ok().flatten())
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        CanvasMeasure {
            context,
            font: RefCell::new(String::new()),
            cache: RefCell::new(HashMap::new()),
        }
    }
}

impl TextMeasure for CanvasMeasure {
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64 {
        let Some(context) = &self.context else {
            return EstimatedMeasure.width(text, font_size, bold);
        };
        // The size in hundredths of a pixel keys the cache without floats.
        let font_key = ((font_size * 100.0).round() as u32, bold);
        if let Some(w) = self
            .cache
            .borrow()
            .get(&font_key)
            .and_then(|texts| texts.get(text))
        {
            return *w;
        }
        // Titles are drawn at weight 600 (see `asl_graph::stylesheet`).
        let font = format!(
            "{}{}px {}",
            if bold { "600 " } else { "" },
            font_size,
            FONT_FAMILY
        );
        if *self.font.borrow() != font {
            context.set_font(&font);
            *self.font.borrow_mut() = font;
        }
        let width = context
            .measure_text(text)
            .map(|m| m.width())
            .ok()
            .filter(|w| w.is_finite() && *w >= 0.0)
            // A pixel of slack for rounding and sub-pixel positioning.
            .map(|w| (w + 1.0).ceil())
            .unwrap_or_else(|| EstimatedMeasure.width(text, font_size, bold));
        let mut cache = self.cache.borrow_mut();
        let texts = cache.entry(font_key).or_default();
        if texts.len() >= CACHE_LIMIT {
            texts.clear();
        }
        texts.insert(text.to_owned(), width);
        width
    }
}
