//! Local storage: the autosaved documents survive a reload.

/// Reads a value from local storage.
pub fn get(key: &str) -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item(key).ok()?
}

/// Writes a value to local storage; failures (quota, private mode) are reported as `false`.
pub fn set(key: &str, value: &str) -> bool {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return false;
    };
    storage.set_item(key, value).is_ok()
}

/// Removes a value from local storage.
pub fn remove(key: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}
