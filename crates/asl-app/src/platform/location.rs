//! The page address: the fragment a share link carries, and the address to build links on.

/// The fragment of the page address, with its `#` (empty when there is none).
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page address without its fragment (where a share link points).
pub fn base_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_owned(),
        None => href,
    }
}

/// Removes the fragment from the address bar without reloading or adding a history entry.
pub fn clear_hash() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base_url()));
    }
}
