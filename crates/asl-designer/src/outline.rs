//! The outline of a machine read from the spanned tree: its `States` blocks (scopes), every
//! state with its text span, and every transition with the pointer of the string naming
//! its target.

use crate::commands::ScopeRef;
use crate::syntax::{Node, push_token};
use crate::text::{Span, span_contains};

/// Which field of a state makes a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// `Next`.
    Next,
    /// `Default` of a Choice state.
    Default,
    /// `Choices[i].Next`.
    Choice(usize),
    /// `Catch[i].Next`.
    Catch(usize),
}

impl Via {
    /// Returns the pointer of the target string, relative to the state object.
    pub fn relative_pointer(self) -> String {
        match self {
            Via::Next => "/Next".to_owned(),
            Via::Default => "/Default".to_owned(),
            Via::Choice(i) => format!("/Choices/{i}/Next"),
            Via::Catch(i) => format!("/Catch/{i}/Next"),
        }
    }
}

/// One transition out of a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// The field that makes it.
    pub via: Via,
    /// The target state name.
    pub target: String,
    /// Absolute pointer of the target string.
    pub pointer: String,
}

/// A `StartAt` + `States` block: the top level, a Parallel branch or a Map item processor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// Pointer of the block object ("" for the top level).
    pub pointer: String,
    /// Index of the Parallel or Map state that holds the block.
    pub parent: Option<usize>,
    /// `StartAt`, if it is a string.
    pub start_at: Option<String>,
    /// Indexes into [`Outline::states`], in document order.
    pub states: Vec<usize>,
}

/// One state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateEntry {
    /// The state name.
    pub name: String,
    /// Absolute pointer of the state object.
    pub pointer: String,
    /// Index of the scope that holds it.
    pub scope: usize,
    /// `Type`, or an empty string.
    pub ty: String,
    /// From the start of the name to the end of the state object.
    pub span: Span,
    /// The name's key span (quotes included).
    pub key_span: Span,
    /// Transitions in display order: Next, Choice rules, Default, catchers.
    pub transitions: Vec<Transition>,
    /// True when `End` is `true`.
    pub end: bool,
    /// Scopes nested in this state (branches, item processor).
    pub children: Vec<usize>,
}

/// The outline of a whole document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every scope; index 0 is the top level when the document has one.
    pub scopes: Vec<Scope>,
    /// Every state, parents before children.
    pub states: Vec<StateEntry>,
}

impl Outline {
    /// Reads the outline of a document tree.
    pub fn new(root: &Node) -> Outline {
        let mut o = Outline::default();
        if root.members().is_some() {
            o.read_scope(root, String::new(), None, 0);
        }
        o
    }

    fn read_scope(
        &mut self,
        block: &Node,
        pointer: String,
        parent: Option<usize>,
        depth: usize,
    ) -> usize {
        let scope = self.scopes.len();
        self.scopes.push(Scope {
            pointer: pointer.clone(),
            parent,
            start_at: block
                .get("StartAt")
                .and_then(Node::as_str)
                .map(str::to_owned),
            states: Vec::new(),
        });
        if depth > 64 {
            return scope;
        }
        let states_ptr = push_token(&pointer, "States");
        let Some(members) = block.get("States").and_then(Node::members) else {
            return scope;
        };
        for m in members {
            let state_ptr = push_token(&states_ptr, &m.key);
            let node = &m.value;
            let mut transitions = Vec::new();
            let mut add = |via: Via, n: Option<&Node>| {
                if let Some(t) = n.and_then(Node::as_str) {
                    transitions.push(Transition {
                        via,
                        target: t.to_owned(),
                        pointer: format!("{state_ptr}{}", via.relative_pointer()),
                    });
                }
            };
            add(Via::Next, node.get("Next"));
            for (i, rule) in node
                .get("Choices")
                .and_then(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                add(Via::Choice(i), rule.get("Next"));
            }
            add(Via::Default, node.get("Default"));
            for (i, c) in node
                .get("Catch")
                .and_then(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                add(Via::Catch(i), c.get("Next"));
            }
            let index = self.states.len();
            self.states.push(StateEntry {
                name: m.key.clone(),
                pointer: state_ptr.clone(),
                scope,
                ty: node
                    .get("Type")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                span: m.span(),
                key_span: m.key_span,
                transitions,
                end: matches!(
                    node.get("End").map(Node::to_value),
                    Some(serde_json::Value::Bool(true))
                ),
                children: Vec::new(),
            });
            self.scopes[scope].states.push(index);
            let mut children = Vec::new();
            if let Some(branches) = node.get("Branches").and_then(Node::items) {
                let bp = push_token(&state_ptr, "Branches");
                for (i, b) in branches.iter().enumerate() {
                    if b.members().is_some() {
                        children.push(self.read_scope(
                            b,
                            format!("{bp}/{i}"),
                            Some(index),
                            depth + 1,
                        ));
                    }
                }
            }
            for key in ["ItemProcessor", "Iterator"] {
                if let Some(p) = node.get(key).filter(|p| p.members().is_some()) {
                    children.push(self.read_scope(
                        p,
                        push_token(&state_ptr, key),
                        Some(index),
                        depth + 1,
                    ));
                }
            }
            self.states[index].children = children;
        }
        scope
    }

    /// Finds a state by name (the first one in document order).
    pub fn find(&self, name: &str) -> Option<&StateEntry> {
        self.states.iter().find(|s| s.name == name)
    }

    /// Names a scope the way commands do (`ScopeRef::Top`, a branch or an item processor).
    pub fn scope_ref(&self, scope: usize) -> ScopeRef {
        let Some(sc) = self.scopes.get(scope) else {
            return ScopeRef::Top;
        };
        let Some(parent) = sc.parent.and_then(|p| self.states.get(p)) else {
            return ScopeRef::Top;
        };
        match sc
            .pointer
            .rsplit_once("/Branches/")
            .and_then(|(_, i)| i.parse().ok())
        {
            Some(index) => ScopeRef::Branch {
                state: parent.name.clone(),
                index,
            },
            None => ScopeRef::Processor {
                state: parent.name.clone(),
            },
        }
    }

    /// Returns the block that holds a state.
    pub fn scope_of(&self, name: &str) -> Option<ScopeRef> {
        self.find(name).map(|s| self.scope_ref(s.scope))
    }

    /// Finds a state's index by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    /// Returns the names of every state in document order.
    pub fn names(&self) -> Vec<&str> {
        self.states.iter().map(|s| s.name.as_str()).collect()
    }

    /// Returns true when a state with this name exists anywhere.
    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Returns the innermost state whose text contains the offset.
    pub fn state_at(&self, offset: usize) -> Option<&StateEntry> {
        self.states
            .iter()
            .filter(|s| span_contains(s.span, offset))
            .min_by_key(|s| s.span.end.saturating_sub(s.span.start))
    }

    /// Returns every state index nested (at any depth) inside the state, itself excluded.
    pub fn descendants(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self
            .states
            .get(index)
            .map(|s| s.children.clone())
            .unwrap_or_default();
        while let Some(scope) = stack.pop() {
            for &s in &self.scopes[scope].states {
                out.push(s);
                stack.extend(self.states[s].children.iter().copied());
            }
        }
        out
    }

    /// Returns the transitions of the scope that target `name`, with their source state.
    pub fn incoming(&self, scope: usize, name: &str) -> Vec<(usize, Transition)> {
        let mut out = Vec::new();
        for &s in &self.scopes[scope].states {
            for t in &self.states[s].transitions {
                if t.target == name {
                    out.push((s, t.clone()));
                }
            }
        }
        out
    }

    /// Returns every transition target that names no state of its scope, as (state, target).
    pub fn dangling(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for s in &self.states {
            let scope = &self.scopes[s.scope];
            for t in &s.transitions {
                if !scope
                    .states
                    .iter()
                    .any(|&i| self.states[i].name == t.target)
                {
                    out.push((s.name.clone(), t.target.clone()));
                }
            }
        }
        out
    }
}
