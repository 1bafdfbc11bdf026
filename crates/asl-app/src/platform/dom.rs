//! DOM helpers: the theme attribute, hit testing for drag and drop, element sizes, timers and window events.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Sets `data-theme` on the root element.
pub fn set_theme(dark: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

/// What a drop target under the pointer says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropHit {
    /// `edge`, `branch` or `map`.
    pub kind: String,
    /// `data-from` / `data-pointer` / `data-state` of the target.
    pub a: String,
    /// `data-to` of an edge.
    pub b: String,
    /// The edge kind (`next`, `choice`, `default`, `catch`).
    pub edge_kind: String,
}

/// True when the point of the viewport is over the element with this `data-testid` (or inside it).
pub fn point_in_test_id(x: f64, y: f64, id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.element_from_point(x as f32, y as f32))
        .and_then(|e| e.closest(&format!("[data-testid=\"{id}\"]")).ok().flatten())
        .is_some()
}

/// Finds the drop target (an edge, a branch box or a Map box) under a point of the viewport.
pub fn drop_target_at(x: f64, y: f64) -> Option<DropHit> {
    let document = web_sys::window()?.document()?;
    let element = document.element_from_point(x as f32, y as f32)?;
    let target = element.closest("[data-drop]").ok()??;
    let attr = |name: &str| target.get_attribute(name).unwrap_or_default();
    Some(DropHit {
        kind: attr("data-drop"),
        a: attr("data-a"),
        b: attr("data-b"),
        edge_kind: attr("data-kind"),
    })
}

/// The size of an element in CSS pixels.
pub fn element_size(element: &web_sys::Element) -> (f64, f64) {
    let rect = element.get_bounding_client_rect();
    (rect.width(), rect.height())
}

/// The top-left corner of an element in viewport coordinates.
pub fn element_origin(element: &web_sys::Element) -> (f64, f64) {
    let rect = element.get_bounding_client_rect();
    (rect.left(), rect.top())
}

/// True when keyboard focus is in a text field (so global shortcuts leave typing alone).
pub fn focus_in_text_field() -> bool {
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return false;
    };
    let tag = active.tag_name().to_ascii_lowercase();
    tag == "input"
        || tag == "textarea"
        || tag == "select"
        || active.closest(".cm-editor").ok().flatten().is_some()
}

/// Focuses the element with this `data-testid`, if any.
pub fn focus_test_id(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{id}\"]"))
            .ok()
            .flatten()
    }) && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = el.focus();
    }
}

/// Milliseconds from a monotonic clock (for measuring, never for deciding).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// A cancellable one-shot timer: starting it again cancels the pending call.
#[derive(Default)]
pub struct Debounce {
    handle: Rc<RefCell<Option<i32>>>,
}

impl Debounce {
    /// Calls `f` after `ms` milliseconds unless called again before.
    pub fn run(&self, ms: i32, f: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(id) = self.handle.borrow_mut().take() {
            window.clear_timeout_with_handle(id);
        }
        let handle = self.handle.clone();
        let callback = Closure::once_into_js(move || {
            handle.borrow_mut().take();
            f();
        });
        if let Ok(id) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms)
        {
            *self.handle.borrow_mut() = Some(id);
        }
    }
}

/// Values whose destruction waits for the browser's next idle period: freeing the previous
/// keystroke's document (its syntax tree, JSON value and outline) costs about as much as laying
/// a graph out, and nothing on screen depends on it. Past [`RETIRE_LIMIT`] values the oldest are
/// freed at once, so memory stays bounded when the page is never idle.
#[derive(Default)]
pub struct Retired {
    values: Rc<RefCell<Vec<Box<dyn std::any::Any>>>>,
    pending: Rc<std::cell::Cell<bool>>,
}

/// The most values kept for an idle period.
const RETIRE_LIMIT: usize = 8;

impl Retired {
    /// Keeps `value` alive until the browser is idle.
    pub fn retire(&self, value: impl std::any::Any) {
        let overflow = {
            let mut values = self.values.borrow_mut();
            values.push(Box::new(value));
            let extra = values.len().saturating_sub(RETIRE_LIMIT);
            values.drain(..extra).collect::<Vec<_>>()
        };
        drop(overflow);
        if self.pending.replace(true) {
            return;
        }
        let values = self.values.clone();
        let pending = self.pending.clone();
        let free = move || {
            pending.set(false);
            let freed = std::mem::take(&mut *values.borrow_mut());
            drop(freed);
        };
        let Some(window) = web_sys::window() else {
            free();
            return;
        };
        let callback = Closure::once_into_js(free);
        if window
            .request_idle_callback(callback.unchecked_ref())
            .is_err()
        {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                50,
            );
        }
    }
}

/// Calls `f` once on the next tick.
pub fn next_tick(f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let callback = Closure::once_into_js(f);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0);
    }
}

/// Listens to a window event for the life of the page.
pub fn on_window<E: JsCast + 'static>(name: &str, mut f: impl FnMut(E) + 'static) {
    if let Some(window) = web_sys::window() {
        let closure = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| f(ev.unchecked_into()));
        let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        closure.forget();
    }
}

/// Calls `f` once after `ms` milliseconds.
pub fn after_ms(ms: i32, f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let callback = Closure::once_into_js(f);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
    }
}

/// Focuses the first text field, list or button inside the element matching `selector`.
pub fn focus_first(selector: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let query = format!(
        "{selector} textarea, {selector} input:not([type=file]), {selector} select, {selector} button"
    );
    if let Ok(Some(el)) = document.query_selector(&query)
        && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = el.focus();
    }
}
