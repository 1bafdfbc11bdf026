//! Undo and redo over whole-document snapshots, with transactions for gestures and typing
//! bursts (style.md §2.9). Only the document (text, layout, settings) is recorded.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::document::Document;

/// How many undo steps are kept by default.
pub const DEFAULT_CAP: usize = 200;

/// The undo and redo stacks.
#[derive(Clone, Debug)]
pub struct History {
    undo: VecDeque<Arc<Document>>,
    redo: Vec<Arc<Document>>,
    cap: usize,
    transaction: Option<Transaction>,
    burst: Option<usize>,
    saved_hash: u64,
}

#[derive(Clone, Debug)]
struct Transaction {
    before: Arc<Document>,
    depth: usize,
}

impl History {
    /// Creates an empty history; `saved` is the document as last saved.
    pub fn new(saved: &Document) -> History {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            cap: DEFAULT_CAP,
            transaction: None,
            burst: None,
            saved_hash: saved.content_hash(),
        }
    }

    /// Changes how many undo steps are kept.
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        while self.undo.len() > self.cap {
            self.undo.pop_front();
        }
    }

    /// Returns true when there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() || self.transaction.is_some()
    }

    /// Returns true when there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Returns the number of undo steps.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Returns true while a gesture is open.
    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    fn push_undo(&mut self, before: Arc<Document>) {
        self.undo.push_back(before);
        while self.undo.len() > self.cap {
            self.undo.pop_front();
        }
        self.redo.clear();
    }

    /// Records a change made by an `Immediately` command.
    pub fn record_immediate(&mut self, before: Arc<Document>) {
        self.burst = None;
        if self.transaction.is_some() {
            self.redo.clear();
        } else {
            self.push_undo(before);
        }
    }

    /// Records a text edit of a typing burst: contiguous edits share one undo step.
    /// `start` is where the edit began and `cursor` where the caret is after it.
    pub fn record_eventually(
        &mut self,
        before: Arc<Document>,
        start: usize,
        replaced_end: usize,
        cursor: usize,
    ) {
        let continues = self.burst.is_some_and(|c| c == start || c == replaced_end);
        if self.transaction.is_some() {
            self.redo.clear();
        } else if !continues {
            self.push_undo(before);
        } else {
            self.redo.clear();
        }
        self.burst = Some(cursor);
    }

    /// Returns the caret position that continues the current typing burst (for tests that
    /// must look at history without disturbing it).
    #[cfg(test)]
    pub(crate) fn burst_state(&self) -> Option<usize> {
        self.burst
    }

    /// Restores a value returned by [`History::burst_state`].
    #[cfg(test)]
    pub(crate) fn set_burst_state(&mut self, burst: Option<usize>) {
        self.burst = burst;
    }

    /// Ends the current typing burst.
    pub fn checkpoint(&mut self) {
        self.burst = None;
    }

    /// Starts a gesture; nested calls are counted.
    pub fn begin(&mut self, current: Arc<Document>) {
        self.burst = None;
        match &mut self.transaction {
            Some(t) => t.depth += 1,
            None => {
                self.transaction = Some(Transaction {
                    before: current,
                    depth: 1,
                })
            }
        }
    }

    /// Ends a gesture, recording one step if the document changed.
    pub fn commit(&mut self, current: &Document) {
        let Some(t) = &mut self.transaction else {
            return;
        };
        if t.depth > 1 {
            t.depth -= 1;
            return;
        }
        let before = t.before.clone();
        self.transaction = None;
        if *before != *current {
            self.push_undo(before);
        }
    }

    /// Cancels a gesture and returns the document to restore.
    pub fn abort(&mut self) -> Option<Arc<Document>> {
        self.burst = None;
        self.transaction.take().map(|t| t.before)
    }

    /// Steps back: returns the document to show; `current` moves to the redo stack.
    pub fn undo(&mut self, current: Arc<Document>) -> Option<Arc<Document>> {
        self.burst = None;
        if let Some(before) = self.abort() {
            return Some(before);
        }
        let prev = self.undo.pop_back()?;
        self.redo.push(current);
        Some(prev)
    }

    /// Steps forward again.
    pub fn redo(&mut self, current: Arc<Document>) -> Option<Arc<Document>> {
        self.burst = None;
        if self.transaction.is_some() {
            return None;
        }
        let next = self.redo.pop()?;
        self.undo.push_back(current);
        Some(next)
    }

    /// Remembers the document as saved.
    pub fn mark_saved(&mut self, doc: &Document) {
        self.saved_hash = doc.content_hash();
    }

    /// Returns true when the document differs from the saved one.
    pub fn is_dirty(&self, doc: &Document) -> bool {
        doc.content_hash() != self.saved_hash
    }
}
