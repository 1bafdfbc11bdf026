//! Session state that never enters history: the selection and the viewport.

use crate::commands::Edge;

/// What is selected on the canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Selected states, in selection order.
    pub states: Vec<String>,
    /// A selected edge, if any.
    pub edge: Option<Edge>,
}

impl Selection {
    /// Selects one state.
    pub fn state(name: impl Into<String>) -> Selection {
        Selection {
            states: vec![name.into()],
            edge: None,
        }
    }

    /// Selects one edge.
    pub fn edge(edge: Edge) -> Selection {
        Selection {
            states: Vec::new(),
            edge: Some(edge),
        }
    }

    /// Returns true when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.edge.is_none()
    }

    /// Returns the first selected state.
    pub fn primary(&self) -> Option<&str> {
        self.states.first().map(String::as_str)
    }
}

/// The visible part of the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Horizontal pan in layout units.
    pub x: f64,
    /// Vertical pan in layout units.
    pub y: f64,
    /// Zoom factor (1 = 100 %).
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// A direction for moving the selection along edges with the arrow keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// To the previous state (first predecessor).
    Up,
    /// To the next state (first successor).
    Down,
    /// To the previous sibling (another successor of the same predecessor).
    Left,
    /// To the next sibling.
    Right,
}
