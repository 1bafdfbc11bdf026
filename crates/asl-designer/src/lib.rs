//! asl-designer: the headless editor core of ASL Studio.
//!
//! The app creates a [`Designer`] for a [`Document`] (the definition text plus a layout
//! sidecar and settings), sends it [`Command`]s and renders what it returns: [`Outcome`]s
//! with minimal [`TextEdit`]s for the code editor, the selection, and read-only queries.
//! Undo and redo work over whole-document snapshots with transactions. Nothing here touches
//! the browser, a clock or randomness.

pub mod catalogue;
pub mod commands;
pub mod designer;
pub mod document;
pub mod edit;
pub mod history;
pub mod keymap;
pub mod layout;
pub mod outline;
pub mod pricing;
pub mod selection;
pub mod share;
pub mod simulation;
pub mod snippet;
pub mod syntax;
pub mod templates;
pub mod text;
pub mod yaml;

#[cfg(test)]
mod harness;
#[cfg(test)]
mod tests;

pub use catalogue::{Group, Palette, PaletteItem, QueryLanguage, catalogue};
pub use commands::{Capture, Command, Edge, Position, ScopeRef};
pub use designer::{AppAction, Designer, Outcome};
pub use document::{Analysis, Document, Format, MachineType, Settings};
pub use history::History;
pub use keymap::{KEYMAP, Shortcut, lookup};
pub use layout::{LAYOUT_VERSION, Layout, NodeOverride};
pub use outline::{Outline, Scope, StateEntry, Transition, Via};
pub use selection::{Direction, Selection, Viewport};
pub use simulation::SimulationSession;
pub use templates::{TEMPLATES, Template, template};
pub use text::{Span, TextEdit, apply_edits};
