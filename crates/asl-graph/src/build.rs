//! ASL definition to graph model: states, clusters for Parallel and Map, and typed edges.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map as JsonMap, Value};

use crate::labels::{catch_label, choice_rule_summary, integration};

/// Nesting deeper than this many Parallel/Map levels is drawn as a plain, marked state.
pub const MAX_NESTING: usize = 24;

/// What a graph node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// The machine's start marker.
    Start,
    /// The machine's end marker.
    End,
    /// A state drawn as a box (every type except Parallel and Map with their contents).
    State,
    /// A Parallel state: a cluster whose children are its branches.
    Parallel,
    /// A Map state: a cluster holding its item processor's states.
    Map,
    /// One branch of a Parallel state: a cluster of states.
    Branch,
    /// The point at the bottom of a branch or item processor where its terminal states end.
    BranchEnd,
    /// A transition target that names no existing state.
    Missing,
}

impl NodeKind {
    /// True for nodes drawn as boxes around other nodes.
    pub fn is_cluster(self) -> bool {
        matches!(self, NodeKind::Parallel | NodeKind::Map | NodeKind::Branch)
    }

    /// True for nodes that stand for a state of the definition.
    pub fn is_state(self) -> bool {
        matches!(self, NodeKind::State | NodeKind::Parallel | NodeKind::Map)
    }
}

/// One node of the graph model.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    pub kind: NodeKind,
    /// The enclosing cluster (Map, Parallel branch), if any.
    pub parent: Option<usize>,
    /// The state name (for `Missing`, the name that was not found; empty for other markers).
    pub name: String,
    /// The `Type` field as written; `"Unknown"` when it is missing or not a string.
    pub state_type: String,
    /// The title shown in the box: the state name, or a Map's `Label`.
    pub title: String,
    /// The second line: the integration ("Lambda: Invoke") or the state type.
    pub subtitle: String,
    /// An integration pattern such as "(wait for callback)".
    pub suffix: Option<String>,
    /// The icon identifier (see the crate README for the list).
    pub icon: &'static str,
    /// The state has a non-empty `Retry`.
    pub retry: bool,
    /// Hover text of the retry mark, one line per retrier ("States.Timeout: up to 2 retries").
    pub retry_info: String,
    /// The state has a non-empty `Catch`.
    pub catch: bool,
    /// No transition leads to this state from its scope's `StartAt`.
    pub unreachable: bool,
    /// A Map whose `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub distributed: bool,
    /// A Parallel or Map nested too deeply: its contents are not drawn.
    pub truncated: bool,
    /// JSON Pointer of the state in the definition (`/States/A/Branches/0/States/B`).
    pub pointer: String,
}

/// The meaning of an edge (the `data-kind` attribute in SVG).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// `StartAt`, `Next`, or the implicit edge from a terminal state to the end.
    Next,
    /// A Choice rule.
    Choice,
    /// A Choice's `Default`.
    Default,
    /// A `Catch` handler.
    Catch,
}

impl EdgeKind {
    /// The `data-kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Choice => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch => "catch",
        }
    }
}

/// One edge of the graph model.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The full label text (rule summary, "Default", error names).
    pub label: Option<String>,
}

/// The graph model of a state machine.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AslGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

impl AslGraph {
    /// The name used in `data-from`/`data-to` for a node: the state name, `__start`, `__end`,
    /// or `__branch_end` for the bottom of a branch.
    pub fn node_ref(&self, id: usize) -> &str {
        match self.nodes.get(id) {
            Some(n) => match n.kind {
                NodeKind::Start => "__start",
                NodeKind::End => "__end",
                NodeKind::BranchEnd => "__branch_end",
                NodeKind::Branch => "__branch",
                _ => &n.name,
            },
            None => "",
        }
    }
}

/// Builds the graph model of a definition. Never fails: anything unexpected is drawn as best it can.
pub fn build(def: &Value) -> AslGraph {
    let mut b = Builder {
        g: AslGraph::default(),
    };
    let start = b.marker(NodeKind::Start, None);
    b.scope(def, None, Some(start), Exit::End, "", 0);
    let end = b.marker(NodeKind::End, None);
    // Edges built before the End node existed use a placeholder index.
    for e in &mut b.g.edges {
        if e.to == usize::MAX {
            e.to = end;
        }
    }
    b.g
}

struct Builder {
    g: AslGraph,
}

/// Where the terminal states of a scope lead.
#[derive(Clone, Copy)]
enum Exit {
    /// The machine's End node (its index is only known at the end).
    End,
    /// A branch-end node inside a cluster.
    Node(usize),
}

impl Builder {
    fn marker(&mut self, kind: NodeKind, parent: Option<usize>) -> usize {
        self.g.nodes.push(GraphNode {
            kind,
            parent,
            name: String::new(),
            state_type: String::new(),
            title: match kind {
                NodeKind::Start => "Start".into(),
                NodeKind::End => "End".into(),
                _ => String::new(),
            },
            subtitle: String::new(),
            suffix: None,
            icon: match kind {
                NodeKind::Start => "start",
                NodeKind::End => "end",
                _ => "",
            },
            retry: false,
            retry_info: String::new(),
            catch: false,
            unreachable: false,
            distributed: false,
            truncated: false,
            pointer: String::new(),
        });
        self.g.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, kind: EdgeKind, label: Option<String>) {
        self.g.edges.push(GraphEdge {
            from,
            to,
            kind,
            label,
        });
    }

    /// Adds the states of one machine scope (top level, branch or item processor).
    ///
    /// `entry` is the node the `StartAt` edge leaves from (the Start node at the top level);
    /// inside clusters it is `None` and the first state simply sits at the top.
    fn scope(
        &mut self,
        machine: &Value,
        parent: Option<usize>,
        entry: Option<usize>,
        exit: Exit,
        pointer: &str,
        depth: usize,
    ) {
        let empty = JsonMap::new();
        let states = machine
            .get("States")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        let mut order: Vec<(&str, usize)> = Vec::new();
        for (name, state) in states {
            let id = self.state_node(
                name,
                state,
                parent,
                &format!("{pointer}/States/{}", escape_pointer(name)),
                depth,
            );
            ids.insert(name.as_str(), id);
            order.push((name.as_str(), id));
        }
        let mut missing: BTreeMap<String, usize> = BTreeMap::new();
        let start_at = machine.get("StartAt");
        let start_target = start_at.and_then(Value::as_str);
        let mut reach_roots = Vec::new();
        match start_target {
            Some(t) => {
                let to = self.target(t, &ids, &mut missing, parent);
                reach_roots.push(to);
                if let Some(entry) = entry {
                    self.edge(entry, to, EdgeKind::Next, None);
                }
            }
            None => {
                if let (Some(_), Some(entry)) = (start_at, entry) {
                    let to = self.target("?", &ids, &mut missing, parent);
                    self.edge(entry, to, EdgeKind::Next, None);
                }
            }
        }
        let mut adjacency: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (name, id) in &order {
            let state = &states[*name];
            let mut outs: Vec<(String, EdgeKind, Option<String>)> = Vec::new();
            let ty = state.get("Type").and_then(Value::as_str).unwrap_or("");
            if ty == "Choice" {
                if let Some(rules) = state.get("Choices").and_then(Value::as_array) {
                    for rule in rules {
                        if let Some(next) = rule.get("Next").and_then(Value::as_str) {
                            outs.push((
                                next.to_string(),
                                EdgeKind::Choice,
                                Some(choice_rule_summary(rule)),
                            ));
                        }
                    }
                }
                if let Some(default) = state.get("Default").and_then(Value::as_str) {
                    outs.push((
                        default.to_string(),
                        EdgeKind::Default,
                        Some("Default".into()),
                    ));
                }
            } else if let Some(next) = state.get("Next").and_then(Value::as_str) {
                outs.push((next.to_string(), EdgeKind::Next, None));
            }
            if let Some(catchers) = state.get("Catch").and_then(Value::as_array) {
                for catcher in catchers {
                    if let Some(next) = catcher.get("Next").and_then(Value::as_str) {
                        outs.push((
                            next.to_string(),
                            EdgeKind::Catch,
                            Some(catch_label(catcher)),
                        ));
                    }
                }
            }
            for (target, kind, label) in outs {
                let to = self.target(&target, &ids, &mut missing, parent);
                adjacency.entry(*id).or_default().push(to);
                self.edge(*id, to, kind, label);
            }
            let terminal =
                matches!(ty, "Succeed" | "Fail") || state.get("End") == Some(&Value::Bool(true));
            if terminal {
                let to = match exit {
                    Exit::End => usize::MAX,
                    Exit::Node(n) => n,
                };
                self.edge(*id, to, EdgeKind::Next, None);
            }
        }
        // Mark the states that no path from StartAt reaches.
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut stack = reach_roots;
        while let Some(v) = stack.pop() {
            if seen.insert(v)
                && let Some(next) = adjacency.get(&v)
            {
                stack.extend(next.iter().copied());
            }
        }
        for (_, id) in &order {
            if !seen.contains(id) {
                self.g.nodes[*id].unreachable = true;
            }
        }
    }

    /// Resolves a transition target, creating one "missing" marker per unknown name and scope.
    fn target(
        &mut self,
        name: &str,
        ids: &BTreeMap<&str, usize>,
        missing: &mut BTreeMap<String, usize>,
        parent: Option<usize>,
    ) -> usize {
        if let Some(id) = ids.get(name) {
            return *id;
        }
        if let Some(id) = missing.get(name) {
            return *id;
        }
        let id = self.marker(NodeKind::Missing, parent);
        let node = &mut self.g.nodes[id];
        node.name = name.to_string();
        node.title = name.to_string();
        node.subtitle = "Missing state".into();
        node.icon = "missing";
        missing.insert(name.to_string(), id);
        id
    }

    /// Adds the node (and, for Parallel and Map, the nested scopes) of one state.
    fn state_node(
        &mut self,
        name: &str,
        state: &Value,
        parent: Option<usize>,
        pointer: &str,
        depth: usize,
    ) -> usize {
        let ty = state
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("Unknown");
        let retry = state
            .get("Retry")
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty());
        let catch = state
            .get("Catch")
            .and_then(Value::as_array)
            .is_some_and(|c| !c.is_empty());
        let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator"));
        let distributed = processor
            .and_then(|p| p.get("ProcessorConfig"))
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED");
        let too_deep = depth >= MAX_NESTING;
        let kind = match ty {
            "Parallel" if !too_deep => NodeKind::Parallel,
            "Map" if !too_deep => NodeKind::Map,
            _ => NodeKind::State,
        };
        let (subtitle, suffix, icon) = match ty {
            "Task" => {
                let i = integration(state.get("Resource"));
                (i.label, i.suffix, i.icon)
            }
            "Choice" => ("Choice".to_string(), None, "choice"),
            "Pass" => ("Pass".to_string(), None, "pass"),
            "Wait" => ("Wait".to_string(), None, "wait"),
            "Succeed" => ("Succeed".to_string(), None, "succeed"),
            "Fail" => ("Fail".to_string(), None, "fail"),
            "Parallel" => ("Parallel".to_string(), None, "parallel"),
            "Map" => ("Map".to_string(), None, "map"),
            other => (other.to_string(), None, "unknown"),
        };
        let title = match (ty, state.get("Label").and_then(Value::as_str)) {
            ("Map", Some(label)) if !label.is_empty() => label.to_string(),
            _ => name.to_string(),
        };
        self.g.nodes.push(GraphNode {
            kind,
            parent,
            name: name.to_string(),
            state_type: ty.to_string(),
            title,
            subtitle,
            suffix,
            icon,
            retry,
            retry_info: retry_info(state.get("Retry")),
            catch,
            unreachable: false,
            distributed,
            truncated: too_deep && matches!(ty, "Parallel" | "Map"),
            pointer: pointer.to_string(),
        });
        let id = self.g.nodes.len() - 1;
        match kind {
            NodeKind::Parallel => {
                if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
                    for (i, branch) in branches.iter().enumerate() {
                        let b = self.marker(NodeKind::Branch, Some(id));
                        self.g.nodes[b].title = format!("Branch {}", i + 1);
                        self.g.nodes[b].pointer = format!("{pointer}/Branches/{i}");
                        let tail = self.marker(NodeKind::BranchEnd, Some(b));
                        let at = format!("{pointer}/Branches/{i}");
                        self.scope(branch, Some(b), None, Exit::Node(tail), &at, depth + 1);
                    }
                }
            }
            NodeKind::Map => {
                let key = if state.get("ItemProcessor").is_some() {
                    "ItemProcessor"
                } else {
                    "Iterator"
                };
                let tail = self.marker(NodeKind::BranchEnd, Some(id));
                if let Some(p) = processor {
                    let at = format!("{pointer}/{key}");
                    self.scope(p, Some(id), None, Exit::Node(tail), &at, depth + 1);
                }
            }
            _ => {}
        }
        id
    }
}

/// Escapes a JSON Pointer token (`~` and `/`).
fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Describes the retriers of a state for the retry mark's hover text.
fn retry_info(retry: Option<&Value>) -> String {
    let Some(retriers) = retry.and_then(Value::as_array) else {
        return String::new();
    };
    let mut lines = Vec::new();
    for r in retriers.iter().take(20) {
        let errors = crate::labels::catch_label(r);
        let attempts = r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3);
        let interval = r
            .get("IntervalSeconds")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        let backoff = r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0);
        lines.push(format!(
            "{errors}: up to {attempts} retries, {interval}s × {backoff}"
        ));
    }
    if lines.is_empty() {
        String::new()
    } else {
        format!("Retry\n{}", lines.join("\n"))
    }
}
