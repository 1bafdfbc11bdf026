//! A YAML reader (YAML 1.2 core schema, via `saphyr-parser` events) that builds the same spanned tree.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Parser};
use serde_json::Number;

use super::{MAX_DEPTH, TOO_DEEP, YAML_ERROR, syntax_diag};
use crate::diagnostic::Diagnostic;
use crate::text::Span;
use crate::tree::{Member, Node, NodeKind};

/// The most nodes that alias expansion may copy, to stop "billion laughs" documents.
const ALIAS_BUDGET: usize = 100_000;

struct Frame {
    start: usize,
    anchor: usize,
    is_map: bool,
    members: Vec<Member>,
    items: Vec<Node>,
    key: Option<(String, Span)>,
}

/// Converts char indices (what the YAML scanner reports) into byte offsets.
struct Offsets {
    ascii: bool,
    bytes_of_char: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let bytes_of_char = if ascii {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        Offsets {
            ascii,
            bytes_of_char,
            len: text.len(),
        }
    }

    fn byte(&self, m: &Marker) -> usize {
        let i = m.index();
        if self.ascii {
            i.min(self.len)
        } else {
            self.bytes_of_char.get(i).copied().unwrap_or(self.len)
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut n = 0;
    let mut todo = vec![node];
    while let Some(x) = todo.pop() {
        n += 1;
        match &x.kind {
            NodeKind::Array(items) => todo.extend(items.iter()),
            NodeKind::Object(members) => todo.extend(members.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    n
}

fn scalar_kind(
    value: Cow<'_, str>,
    style: saphyr::ScalarStyle,
    tag: Option<&Cow<'_, saphyr::Tag>>,
) -> NodeKind {
    match Scalar::parse_from_cow_and_metadata(value.clone(), style, tag) {
        Some(Scalar::Null) => NodeKind::Null,
        Some(Scalar::Boolean(b)) => NodeKind::Bool(b),
        Some(Scalar::Integer(i)) => NodeKind::Number(Number::from(i)),
        Some(Scalar::FloatingPoint(f)) => match Number::from_f64(f.into_inner()) {
            Some(n) => NodeKind::Number(n),
            None => NodeKind::String(value.into_owned()),
        },
        Some(Scalar::String(s)) => NodeKind::String(s.into_owned()),
        None => NodeKind::String(value.into_owned()),
    }
}

/// Reads YAML text into a spanned tree, reporting problems instead of failing.
pub(crate) fn parse_yaml(text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut budget = ALIAS_BUDGET;
    let mut docs = 0;
    let mut skip_depth = 0usize;
    let mut skip_start = 0usize;
    loop {
        let (event, span) = match parser.next() {
            None => break,
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                let at = offsets.byte(e.marker());
                diags.push(syntax_diag(
                    YAML_ERROR,
                    format!("YAML syntax error: {}.", e.info()),
                    Span::new(at, at),
                ));
                break;
            }
        };
        let start = offsets.byte(&span.start);
        let end = offsets.byte(&span.end).max(start);
        if skip_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => skip_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => {
                    skip_depth -= 1;
                    if skip_depth == 0 {
                        let span = Span::new(skip_start, end);
                        diags.push(syntax_diag(
                            TOO_DEEP,
                            format!("The document is nested more than {MAX_DEPTH} levels deep; the deeper part is ignored."),
                            span,
                        ));
                        attach(
                            &mut stack,
                            &mut root,
                            Node::new(NodeKind::Null, span),
                            diags,
                        );
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    diags.push(syntax_diag(
                        YAML_ERROR,
                        "Only one YAML document is allowed; the others are ignored.",
                        Span::new(start, text.len()),
                    ));
                    break;
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    skip_depth = 1;
                    skip_start = start;
                    continue;
                }
                stack.push(Frame {
                    start,
                    anchor,
                    is_map: matches!(event, Event::MappingStart(..)),
                    members: Vec::new(),
                    items: Vec::new(),
                    key: None,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(mut frame) = stack.pop() else {
                    continue;
                };
                let span = Span::new(frame.start, end.max(frame.start));
                let node = if frame.is_map {
                    if let Some((key, key_span)) = frame.key.take() {
                        frame.members.push(Member {
                            key,
                            key_span,
                            value: Node::new(NodeKind::Null, Span::new(key_span.end, key_span.end)),
                        });
                    }
                    Node::new(NodeKind::Object(frame.members), span)
                } else {
                    Node::new(NodeKind::Array(frame.items), span)
                };
                if frame.anchor > 0 {
                    anchors.insert(frame.anchor, node.clone());
                }
                attach(&mut stack, &mut root, node, diags);
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = Node::new(
                    scalar_kind(value, style, tag.as_ref()),
                    Span::new(start, end),
                );
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                attach(&mut stack, &mut root, node, diags);
            }
            Event::Alias(id) => {
                let node = match anchors.get(&id) {
                    Some(n) => {
                        let size = count_nodes(n);
                        if size > budget {
                            diags.push(syntax_diag(
                                YAML_ERROR,
                                "Too many alias expansions; this alias is read as null.",
                                Span::new(start, end),
                            ));
                            Node::new(NodeKind::Null, Span::new(start, end))
                        } else {
                            budget -= size;
                            let mut n = n.clone();
                            n.span = Span::new(start, end);
                            n
                        }
                    }
                    None => Node::new(NodeKind::Null, Span::new(start, end)),
                };
                attach(&mut stack, &mut root, node, diags);
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    while let Some(frame) = stack.pop() {
        let span = Span::new(frame.start, text.len());
        let node = if frame.is_map {
            Node::new(NodeKind::Object(frame.members), span)
        } else {
            Node::new(NodeKind::Array(frame.items), span)
        };
        attach(&mut stack, &mut root, node, diags);
    }
    if root.is_none() && diags.is_empty() {
        diags.push(syntax_diag(
            YAML_ERROR,
            "The document is empty.",
            Span::new(0, 0),
        ));
    }
    root
}

fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node, diags: &mut Vec<Diagnostic>) {
    let Some(top) = stack.last_mut() else {
        if root.is_none() {
            *root = Some(node);
        }
        return;
    };
    if !top.is_map {
        top.items.push(node);
        return;
    }
    match top.key.take() {
        Some((key, key_span)) => top.members.push(Member {
            key,
            key_span,
            value: node,
        }),
        None => {
            let key = match node.kind {
                NodeKind::String(s) => s,
                NodeKind::Null => "null".to_owned(),
                NodeKind::Bool(b) => b.to_string(),
                NodeKind::Number(n) => n.to_string(),
                NodeKind::Array(_) | NodeKind::Object(_) => {
                    diags.push(syntax_diag(
                        YAML_ERROR,
                        "Mapping keys must be scalars.",
                        node.span,
                    ));
                    String::new()
                }
            };
            top.key = Some((key, node.span));
        }
    }
}
