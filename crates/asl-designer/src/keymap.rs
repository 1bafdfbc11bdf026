//! Keyboard shortcuts as data: a table from key chord to a shortcut the designer or the app
//! runs. `Mod` is Ctrl on Windows/Linux and Cmd on macOS; the app normalises events with
//! [`chord_from_parts`] and looks them up with [`lookup`].

use crate::selection::Direction;

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shortcut {
    /// Undo one step.
    Undo,
    /// Redo one step.
    Redo,
    /// Delete the selected states.
    Delete,
    /// Duplicate the selected state.
    Duplicate,
    /// Start renaming the selected state (the app shows the inline editor).
    Rename,
    /// Abort the current gesture, or clear the selection.
    Escape,
    /// Save (the app persists the document).
    Save,
    /// Pretty-print the document.
    Format,
    /// Move the selection along edges.
    Move(Direction),
    /// Fit the graph in the view (app).
    FitView,
    /// Zoom in (app).
    ZoomIn,
    /// Zoom out (app).
    ZoomOut,
    /// Select every state.
    SelectAll,
}

/// The shortcut table; the first entry for a shortcut is the one menus display.
pub const KEYMAP: &[(&str, Shortcut)] = &[
    ("Mod+Z", Shortcut::Undo),
    ("Mod+Shift+Z", Shortcut::Redo),
    ("Mod+Y", Shortcut::Redo),
    ("Delete", Shortcut::Delete),
    ("Backspace", Shortcut::Delete),
    ("Mod+D", Shortcut::Duplicate),
    ("F2", Shortcut::Rename),
    ("Escape", Shortcut::Escape),
    ("Mod+S", Shortcut::Save),
    ("Mod+Shift+F", Shortcut::Format),
    ("Alt+Shift+F", Shortcut::Format),
    ("ArrowUp", Shortcut::Move(Direction::Up)),
    ("ArrowDown", Shortcut::Move(Direction::Down)),
    ("ArrowLeft", Shortcut::Move(Direction::Left)),
    ("ArrowRight", Shortcut::Move(Direction::Right)),
    ("Mod+F", Shortcut::FitView),
    ("Mod+=", Shortcut::ZoomIn),
    ("Mod++", Shortcut::ZoomIn),
    ("Mod+-", Shortcut::ZoomOut),
    ("Mod+A", Shortcut::SelectAll),
];

/// Builds a normalised chord from a key event's parts.
pub fn chord_from_parts(key: &str, mod_key: bool, alt: bool, shift: bool) -> String {
    let mut s = String::new();
    if mod_key {
        s.push_str("Mod+");
    }
    if alt {
        s.push_str("Alt+");
    }
    if shift {
        s.push_str("Shift+");
    }
    s.push_str(&normalise_key(key));
    s
}

fn normalise_key(key: &str) -> String {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.to_uppercase().collect(),
        _ => match key.to_ascii_lowercase().as_str() {
            "esc" | "escape" => "Escape".to_owned(),
            "del" | "delete" => "Delete".to_owned(),
            "backspace" => "Backspace".to_owned(),
            "up" | "arrowup" => "ArrowUp".to_owned(),
            "down" | "arrowdown" => "ArrowDown".to_owned(),
            "left" | "arrowleft" => "ArrowLeft".to_owned(),
            "right" | "arrowright" => "ArrowRight".to_owned(),
            _ => key.to_owned(),
        },
    }
}

/// Normalises a written chord such as `ctrl+shift+z` or `Cmd+Z` to the table's form.
pub fn normalise(chord: &str) -> String {
    let parts: Vec<&str> = if let Some(mods) = chord.strip_suffix("++") {
        let mut p: Vec<&str> = mods.split('+').filter(|s| !s.is_empty()).collect();
        p.push("+");
        p
    } else {
        chord.split('+').collect()
    };
    let Some((key, mods)) = parts.split_last() else {
        return String::new();
    };
    let mut m = false;
    let mut alt = false;
    let mut shift = false;
    for part in mods {
        match part.to_ascii_lowercase().as_str() {
            "mod" | "ctrl" | "control" | "cmd" | "meta" | "command" => m = true,
            "alt" | "option" => alt = true,
            "shift" => shift = true,
            _ => {}
        }
    }
    chord_from_parts(key, m, alt, shift)
}

/// Looks a chord up in the table.
pub fn lookup(chord: &str) -> Option<Shortcut> {
    let chord = normalise(chord);
    KEYMAP.iter().find(|(c, _)| *c == chord).map(|(_, s)| *s)
}

/// Returns the chord menus display for a shortcut.
pub fn chord_for(shortcut: Shortcut) -> Option<&'static str> {
    KEYMAP.iter().find(|(_, s)| *s == shortcut).map(|(c, _)| *c)
}
