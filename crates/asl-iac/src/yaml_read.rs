//! A YAML reader that keeps CloudFormation short-form tags (`!Sub`, `!Ref`, `!GetAtt`, ...) as long-form intrinsics.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

use crate::MAX_DEPTH;

/// The most values that alias expansion may copy, to stop "billion laughs" documents.
const ALIAS_BUDGET: usize = 100_000;

/// One container being built.
struct Frame {
    /// The intrinsic name the container's tag stands for, if it had one.
    intrinsic: Option<String>,
    anchor: usize,
    map: Option<Map<String, Value>>,
    items: Vec<Value>,
    key: Option<String>,
}

/// Maps a local tag such as `!Sub` to the long-form key (`Fn::Sub`); `None` for core-schema or unknown handles.
fn intrinsic_of(tag: Option<&Cow<'_, Tag>>) -> Option<String> {
    let tag = tag?;
    if tag.handle != "!" || tag.suffix.is_empty() {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" => "Ref".to_owned(),
        "Condition" => "Condition".to_owned(),
        other => format!("Fn::{other}"),
    })
}

/// Wraps a value in its intrinsic, applying the short-form quirks (`!GetAtt A.B` is `["A", "B"]`).
fn wrap(intrinsic: Option<String>, value: Value) -> Value {
    let Some(name) = intrinsic else {
        return value;
    };
    let value = match (name.as_str(), value) {
        ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((resource, attribute)) => Value::Array(vec![
                Value::String(resource.to_owned()),
                Value::String(attribute.to_owned()),
            ]),
            None => Value::String(s),
        },
        (_, v) => v,
    };
    let mut map = Map::new();
    map.insert(name, value);
    Value::Object(map)
}

fn scalar_value(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Value {
    // Local tags are handled by the caller; the scalar itself is resolved as if untagged.
    let core_tag = tag.filter(|t| t.handle != "!");
    match Scalar::parse_from_cow_and_metadata(text.clone(), style, core_tag) {
        Some(Scalar::Null) => Value::Null,
        Some(Scalar::Boolean(b)) => Value::Bool(b),
        Some(Scalar::Integer(i)) => Value::Number(Number::from(i)),
        Some(Scalar::FloatingPoint(f)) => match Number::from_f64(f.into_inner()) {
            Some(n) => Value::Number(n),
            None => Value::String(text.into_owned()),
        },
        Some(Scalar::String(s)) => Value::String(s.into_owned()),
        None => Value::String(text.into_owned()),
    }
}

fn count_values(value: &Value) -> usize {
    let mut n = 0;
    let mut todo = vec![value];
    while let Some(v) = todo.pop() {
        n += 1;
        match v {
            Value::Array(items) => todo.extend(items.iter()),
            Value::Object(map) => todo.extend(map.values()),
            _ => {}
        }
    }
    n
}

/// Reads one YAML document into JSON, keeping CloudFormation tags; returns a message on a syntax error.
pub(crate) fn read_yaml(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut budget = ALIAS_BUDGET;
    let mut docs = 0;
    loop {
        let (event, span) = match parser.next() {
            None => break,
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                let m = e.marker();
                return Err(format!(
                    "YAML syntax error at line {}, column {}: {}",
                    m.line(),
                    m.col() + 1,
                    e.info()
                ));
            }
        };
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(format!(
                        "a template is one YAML document, but a second one starts at line {}",
                        span.start.line()
                    ));
                }
            }
            Event::MappingStart(ref anchor, ref tag)
            | Event::SequenceStart(ref anchor, ref tag)
                if stack.len() < MAX_DEPTH =>
            {
                let is_map = matches!(event, Event::MappingStart(..));
                let anchor = *anchor;
                stack.push(Frame {
                    intrinsic: intrinsic_of(tag.as_ref()),
                    anchor,
                    map: is_map.then(Map::new),
                    items: Vec::new(),
                    key: None,
                });
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                return Err(format!(
                    "the template is nested more than {MAX_DEPTH} levels deep (line {})",
                    span.start.line()
                ));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = stack.pop() else {
                    continue;
                };
                let value = match frame.map {
                    Some(map) => Value::Object(map),
                    None => Value::Array(frame.items),
                };
                let value = wrap(frame.intrinsic, value);
                if frame.anchor > 0 {
                    anchors.insert(frame.anchor, value.clone());
                }
                attach(&mut stack, &mut root, value)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let intrinsic = intrinsic_of(tag.as_ref());
                let value = if intrinsic.is_some() {
                    // A tagged scalar is always a string argument (`!Ref Name`, `!Sub "..."`).
                    Value::String(text.into_owned())
                } else {
                    scalar_value(text, style, tag.as_ref())
                };
                let value = wrap(intrinsic, value);
                if anchor > 0 {
                    anchors.insert(anchor, value.clone());
                }
                attach(&mut stack, &mut root, value)?;
            }
            Event::Alias(id) => {
                let value = match anchors.get(&id) {
                    Some(v) => {
                        let size = count_values(v);
                        if size > budget {
                            return Err("too many YAML alias expansions".to_owned());
                        }
                        budget -= size;
                        v.clone()
                    }
                    None => Value::Null,
                };
                attach(&mut stack, &mut root, value)?;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    root.ok_or_else(|| "the template is empty".to_owned())
}

fn attach(stack: &mut [Frame], root: &mut Option<Value>, value: Value) -> Result<(), String> {
    let Some(top) = stack.last_mut() else {
        if root.is_none() {
            *root = Some(value);
        }
        return Ok(());
    };
    let Some(map) = top.map.as_mut() else {
        top.items.push(value);
        return Ok(());
    };
    match top.key.take() {
        Some(key) => {
            map.insert(key, value);
        }
        None => {
            let key = match value {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err("mapping keys must be scalars".to_owned());
                }
            };
            top.key = Some(key);
        }
    }
    Ok(())
}
