//! Filter expressions inside `[?( ... )]`: parsing and evaluation with Jayway's semantics.
//!
//! Supported: `@`/`$` paths, literals (numbers, quoted strings, `true`, `false`, `null`,
//! arrays), `==`, `!=`, `<`, `<=`, `>`, `>=`, `=~ /regex/i`, `in`, `nin`, `subsetof`,
//! `anyof`, `noneof`, `size`, `empty`, `contains`, `&&`, `||`, `!` and parentheses.
//! A bare path tests existence (a present `null` counts as existing, as in Jayway).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use crate::SyntaxError;
use crate::path::{Parser, Segment, select_segments};
use crate::regex::Regex;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Compare(Operand, Op, Operand),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// `@...`: relative to the element being tested.
    Current(Vec<Segment>),
    /// `$...`: relative to the document root.
    Root(Vec<Segment>),
    Literal(Value),
    Regex(Regex),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Matches,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
    Contains,
}

/// Parses `a || b`.
pub(crate) fn parse_or(p: &mut Parser<'_>) -> Result<Filter, SyntaxError> {
    p.enter()?;
    let mut items = vec![parse_and(p)?];
    loop {
        p.skip_ws();
        if !p.eat_str("||") {
            break;
        }
        items.push(parse_and(p)?);
    }
    p.leave();
    Ok(if items.len() == 1 {
        items.pop().unwrap_or(Filter::Or(Vec::new()))
    } else {
        Filter::Or(items)
    })
}

fn parse_and(p: &mut Parser<'_>) -> Result<Filter, SyntaxError> {
    let mut items = vec![parse_unary(p)?];
    loop {
        p.skip_ws();
        if !p.eat_str("&&") {
            break;
        }
        items.push(parse_unary(p)?);
    }
    Ok(if items.len() == 1 {
        items.pop().unwrap_or(Filter::And(Vec::new()))
    } else {
        Filter::And(items)
    })
}

fn parse_unary(p: &mut Parser<'_>) -> Result<Filter, SyntaxError> {
    p.skip_ws();
    if p.peek() == Some('!') && p.peek_at(1) != Some('=') {
        p.pos += 1;
        p.enter()?;
        let inner = parse_unary(p)?;
        p.leave();
        return Ok(Filter::Not(Box::new(inner)));
    }
    if p.peek() == Some('(') {
        p.pos += 1;
        let inner = parse_or(p)?;
        p.skip_ws();
        if !p.eat(')') {
            return Err(p.err("expected ')'"));
        }
        return Ok(inner);
    }
    let left = parse_operand(p)?;
    p.skip_ws();
    let Some(op) = parse_op(p) else {
        return match left {
            Operand::Current(_) | Operand::Root(_) | Operand::Literal(_) => {
                Ok(Filter::Exists(left))
            }
            Operand::Regex(_) => Err(p.err("a regular expression needs '=~'")),
        };
    };
    p.skip_ws();
    let right = parse_operand(p)?;
    if op == Op::Matches && !matches!(right, Operand::Regex(_)) {
        return Err(p.err("'=~' needs a regular expression such as /abc/i"));
    }
    Ok(Filter::Compare(left, op, right))
}

fn parse_op(p: &mut Parser<'_>) -> Option<Op> {
    const SYMBOLS: &[(&str, Op)] = &[
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("=~", Op::Matches),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    for (s, op) in SYMBOLS {
        if p.eat_str(s) {
            return Some(*op);
        }
    }
    const WORDS: &[(&str, Op)] = &[
        ("in", Op::In),
        ("nin", Op::Nin),
        ("subsetof", Op::SubsetOf),
        ("anyof", Op::AnyOf),
        ("noneof", Op::NoneOf),
        ("size", Op::Size),
        ("empty", Op::Empty),
        ("contains", Op::Contains),
    ];
    let rest = &p.src[p.pos..];
    let word_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    for (s, op) in WORDS {
        if word == *s {
            p.pos += word_len;
            return Some(*op);
        }
    }
    None
}

fn parse_operand(p: &mut Parser<'_>) -> Result<Operand, SyntaxError> {
    p.skip_ws();
    match p.peek() {
        Some('@') => {
            p.pos += 1;
            Ok(Operand::Current(p.parse_segments()?))
        }
        Some('$') => {
            p.pos += 1;
            Ok(Operand::Root(p.parse_segments()?))
        }
        Some('/') => {
            let start = p.pos;
            p.pos += 1;
            let mut pattern = String::new();
            loop {
                match p.peek() {
                    None => return Err(SyntaxError::new(start, "unterminated regular expression")),
                    Some('\\') if p.peek_at(1) == Some('/') => {
                        pattern.push('/');
                        p.pos += 2;
                    }
                    Some('/') => {
                        p.pos += 1;
                        break;
                    }
                    Some(c) => {
                        pattern.push(c);
                        p.pos += c.len_utf8();
                    }
                }
            }
            let mut ignore_case = false;
            while let Some(c) = p.peek().filter(char::is_ascii_alphabetic) {
                if c == 'i' {
                    ignore_case = true;
                }
                p.pos += 1;
            }
            Regex::new(&pattern, ignore_case)
                .map(Operand::Regex)
                .map_err(|m| SyntaxError::new(start, m))
        }
        _ => Ok(Operand::Literal(parse_literal(p)?)),
    }
}

fn parse_literal(p: &mut Parser<'_>) -> Result<Value, SyntaxError> {
    p.skip_ws();
    match p.peek() {
        Some('\'') | Some('"') => Ok(Value::String(p.parse_quoted(false)?)),
        Some('[') => {
            p.enter()?;
            p.pos += 1;
            let mut items = Vec::new();
            p.skip_ws();
            if !p.eat(']') {
                loop {
                    items.push(parse_literal(p)?);
                    p.skip_ws();
                    if p.eat(']') {
                        break;
                    }
                    if !p.eat(',') {
                        return Err(p.err("expected ',' or ']'"));
                    }
                }
            }
            p.leave();
            Ok(Value::Array(items))
        }
        Some(c) if c == '-' || c.is_ascii_digit() => {
            let begin = p.pos;
            p.pos += 1;
            while p
                .peek()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
            {
                p.pos += 1;
            }
            serde_json::from_str::<Value>(&p.src[begin..p.pos])
                .ok()
                .filter(Value::is_number)
                .ok_or_else(|| SyntaxError::new(begin, "invalid number"))
        }
        _ => {
            for (word, v) in [
                ("true", Value::Bool(true)),
                ("false", Value::Bool(false)),
                ("null", Value::Null),
            ] {
                if p.eat_str(word) {
                    return Ok(v);
                }
            }
            Err(p.err("expected a path, a literal or '('"))
        }
    }
}

/// Evaluates an operand; `None` means "undefined" (a path that found nothing).
fn operand<'a>(o: &'a Operand, current: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
    let (segments, start) = match o {
        Operand::Current(s) => (s, current),
        Operand::Root(s) => (s, root),
        Operand::Literal(v) => return Some(Cow::Borrowed(v)),
        Operand::Regex(_) => return None,
    };
    if segments
        .iter()
        .all(|s| matches!(s, Segment::Child(_) | Segment::Index(_)))
    {
        select_segments(segments, start, root)
            .pop()
            .map(Cow::Borrowed)
    } else {
        let all = select_segments(segments, start, root);
        Some(Cow::Owned(Value::Array(all.into_iter().cloned().collect())))
    }
}

/// Tests a filter against one candidate value.
pub(crate) fn test(f: &Filter, current: &Value, root: &Value) -> bool {
    match f {
        Filter::Or(items) => items.iter().any(|f| test(f, current, root)),
        Filter::And(items) => items.iter().all(|f| test(f, current, root)),
        Filter::Not(inner) => !test(inner, current, root),
        Filter::Exists(o) => match o {
            Operand::Literal(v) => v.as_bool().unwrap_or(false),
            _ => match operand(o, current, root) {
                None => false,
                Some(v) => match (o, &*v) {
                    (Operand::Current(s) | Operand::Root(s), Value::Array(a))
                        if !s
                            .iter()
                            .all(|s| matches!(s, Segment::Child(_) | Segment::Index(_))) =>
                    {
                        !a.is_empty()
                    }
                    _ => true,
                },
            },
        },
        Filter::Compare(l, op, r) => {
            if let (Op::Matches, Operand::Regex(re)) = (op, r) {
                return match operand(l, current, root).as_deref() {
                    Some(Value::String(s)) => re.is_full_match(s),
                    _ => false,
                };
            }
            let lv = operand(l, current, root);
            let rv = operand(r, current, root);
            compare(lv.as_deref(), *op, rv.as_deref())
        }
    }
}

fn compare(l: Option<&Value>, op: Op, r: Option<&Value>) -> bool {
    match op {
        Op::Eq => matches!((l, r), (Some(a), Some(b)) if json_eq(a, b)),
        Op::Ne => !matches!((l, r), (Some(a), Some(b)) if json_eq(a, b)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let Some(ord) = l.zip(r).and_then(|(a, b)| order(a, b)) else {
                return false;
            };
            match op {
                Op::Lt => ord == Ordering::Less,
                Op::Le => ord != Ordering::Greater,
                Op::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
        Op::In => {
            matches!((l, r), (Some(a), Some(Value::Array(b))) if b.iter().any(|x| json_eq(a, x)))
        }
        Op::Nin => {
            !matches!((l, r), (Some(a), Some(Value::Array(b))) if b.iter().any(|x| json_eq(a, x)))
        }
        Op::SubsetOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().all(|x| b.iter().any(|y| json_eq(x, y)))
            }
            _ => false,
        },
        Op::AnyOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                a.iter().any(|x| b.iter().any(|y| json_eq(x, y)))
            }
            _ => false,
        },
        Op::NoneOf => match (l, r) {
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                !a.iter().any(|x| b.iter().any(|y| json_eq(x, y)))
            }
            _ => false,
        },
        Op::Size => {
            let len = match l {
                Some(Value::Array(a)) => a.len(),
                Some(Value::String(s)) => s.chars().count(),
                _ => return false,
            };
            r.and_then(Value::as_f64).is_some_and(|n| n == len as f64)
        }
        Op::Empty => {
            let empty = match l {
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::String(s)) => s.is_empty(),
                _ => return false,
            };
            r.and_then(Value::as_bool) == Some(empty)
        }
        Op::Contains => match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(b.as_str()),
            (Some(Value::Array(a)), Some(b)) => a.iter().any(|x| json_eq(x, b)),
            _ => false,
        },
        Op::Matches => false,
    }
}

/// JSON equality where numbers compare by value (`1 == 1.0`).
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y),
        (Value::String(x), Value::String(y)) => Some(java_compare(x, y)),
        _ => None,
    }
}

/// Compares two numbers exactly when both are integers, otherwise as doubles.
pub(crate) fn num_cmp(x: &serde_json::Number, y: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return Some(a.cmp(&b));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

/// Java's `String.compareTo`: compares UTF-16 code units.
fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}
