//! The layout sidecar: user overrides of the automatic layout (collapsed boxes, dragged
//! positions), stored as versioned JSON next to the definition, with migrations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The sidecar format version this code writes.
pub const LAYOUT_VERSION: u64 = 1;

/// User overrides for one state's box.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeOverride {
    /// True when a Parallel or Map box is collapsed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collapsed: bool,
    /// Where the user dragged the box: its offset `[dx, dy]` from the automatic place, in scene
    /// units (an offset, so that the box keeps its place relative to the drawing when other
    /// edits move the automatic layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[f64; 2]>,
}

impl NodeOverride {
    /// Returns true when the override changes nothing.
    pub fn is_empty(&self) -> bool {
        !self.collapsed && self.position.is_none()
    }
}

/// The layout sidecar.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The format version; see [`LAYOUT_VERSION`].
    pub version: u64,
    /// Overrides by state name.
    #[serde(default)]
    pub states: BTreeMap<String, NodeOverride>,
}

impl Layout {
    /// Creates an empty sidecar of the current version.
    pub fn new() -> Layout {
        Layout {
            version: LAYOUT_VERSION,
            states: BTreeMap::new(),
        }
    }

    /// Reads a sidecar of any known version, migrating it to the current one.
    pub fn from_json(text: &str) -> Result<Layout, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("The layout is not valid JSON: {e}"))?;
        Layout::from_value(value)
    }

    /// Reads a sidecar value of any known version, migrating it to the current one.
    pub fn from_value(mut value: Value) -> Result<Layout, String> {
        let mut version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version > LAYOUT_VERSION {
            return Err(format!(
                "The layout was written by a newer version (format {version}, this build reads up to {LAYOUT_VERSION})."
            ));
        }
        while version < LAYOUT_VERSION {
            value = MIGRATIONS[usize::try_from(version).unwrap_or(0)](value);
            version += 1;
        }
        serde_json::from_value(value).map_err(|e| format!("The layout is malformed: {e}"))
    }

    /// Writes the sidecar as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Sets or clears the collapsed flag of a state.
    pub fn set_collapsed(&mut self, state: &str, collapsed: bool) {
        self.update(state, |o| o.collapsed = collapsed);
    }

    /// Sets or clears the dragged position of a state.
    pub fn set_position(&mut self, state: &str, position: Option<[f64; 2]>) {
        self.update(state, |o| o.position = position);
    }

    fn update(&mut self, state: &str, f: impl FnOnce(&mut NodeOverride)) {
        let entry = self.states.entry(state.to_owned()).or_default();
        f(entry);
        if entry.is_empty() {
            self.states.remove(state);
        }
    }

    /// Moves a state's overrides to its new name.
    pub fn rename(&mut self, from: &str, to: &str) {
        if let Some(o) = self.states.remove(from) {
            self.states.insert(to.to_owned(), o);
        }
    }

    /// Drops overrides of states that no longer exist.
    pub fn retain_states(&mut self, exists: impl Fn(&str) -> bool) {
        self.states.retain(|name, _| exists(name));
    }
}

/// Migration `i` turns format `i` into format `i + 1`.
const MIGRATIONS: [fn(Value) -> Value; 1] = [migrate_0_to_1];

/// Format 0 (unversioned) was `{"collapsed": ["A", …], "positions": {"A": [x, y]}}`.
fn migrate_0_to_1(value: Value) -> Value {
    let mut states = serde_json::Map::new();
    if let Some(list) = value.get("collapsed").and_then(Value::as_array) {
        for name in list.iter().filter_map(Value::as_str) {
            states.insert(name.to_owned(), serde_json::json!({ "collapsed": true }));
        }
    }
    if let Some(map) = value.get("positions").and_then(Value::as_object) {
        for (name, pos) in map {
            let entry = states
                .entry(name.clone())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Some(obj) = entry.as_object_mut() {
                obj.insert("position".to_owned(), pos.clone());
            }
        }
    }
    serde_json::json!({ "version": 1, "states": states })
}
