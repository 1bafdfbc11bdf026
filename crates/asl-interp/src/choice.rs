//! Choice rules: compilation of data-test expressions and their evaluation.

use asl_path::Path;
use chrono::DateTime;
use serde_json::Value;

/// A comparison operator family and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
}

/// What a data-test expression checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    String(Cmp),
    Numeric(Cmp),
    Timestamp(Cmp),
    Boolean,
    StringMatches,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    Literal(Value),
    Path(Path),
}

/// A compiled Choice rule.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Test {
        variable: Path,
        op: Op,
        operand: Operand,
    },
    /// A JSONata `Condition` (the raw field value).
    Condition(Value),
}

fn op_from_key(key: &str) -> Option<(Op, bool)> {
    let (base, path) = match key.strip_suffix("Path") {
        Some(b) if b != "Is" && !b.is_empty() => (b, true),
        _ => (key, false),
    };
    let cmp = |s: &str| -> Option<Cmp> {
        Some(match s {
            "Equals" => Cmp::Eq,
            "LessThan" => Cmp::Lt,
            "GreaterThan" => Cmp::Gt,
            "LessThanEquals" => Cmp::Le,
            "GreaterThanEquals" => Cmp::Ge,
            _ => return None,
        })
    };
    let op = if let Some(r) = base.strip_prefix("String") {
        if r == "Matches" {
            Op::StringMatches
        } else {
            Op::String(cmp(r)?)
        }
    } else if let Some(r) = base.strip_prefix("Numeric") {
        Op::Numeric(cmp(r)?)
    } else if let Some(r) = base.strip_prefix("Timestamp") {
        Op::Timestamp(cmp(r)?)
    } else if base == "BooleanEquals" {
        Op::Boolean
    } else {
        match key {
            "IsNull" => Op::IsNull,
            "IsPresent" => Op::IsPresent,
            "IsNumeric" => Op::IsNumeric,
            "IsString" => Op::IsString,
            "IsBoolean" => Op::IsBoolean,
            "IsTimestamp" => Op::IsTimestamp,
            _ => return None,
        }
    };
    Some((op, path))
}

/// Compiles one rule object (a Choices entry or a nested rule).
pub(crate) fn compile_rule(v: &Value, _jsonata: bool) -> Result<Rule, String> {
    let Some(o) = v.as_object() else {
        return Err("a Choice rule must be an object".to_string());
    };
    if let Some(c) = o.get("Condition") {
        return Ok(Rule::Condition(c.clone()));
    }
    if let Some(a) = o.get("And").and_then(Value::as_array) {
        return a
            .iter()
            .map(|r| compile_rule(r, _jsonata))
            .collect::<Result<_, _>>()
            .map(Rule::And);
    }
    if let Some(a) = o.get("Or").and_then(Value::as_array) {
        return a
            .iter()
            .map(|r| compile_rule(r, _jsonata))
            .collect::<Result<_, _>>()
            .map(Rule::Or);
    }
    if let Some(n) = o.get("Not") {
        return Ok(Rule::Not(Box::new(compile_rule(n, _jsonata)?)));
    }
    let var = o
        .get("Variable")
        .and_then(Value::as_str)
        .ok_or_else(|| "a Choice rule needs a Variable".to_string())?;
    let variable = Path::parse(var).map_err(|e| e.message)?;
    for (k, val) in o {
        if let Some((op, is_path)) = op_from_key(k) {
            let operand = if is_path {
                let p = val
                    .as_str()
                    .ok_or_else(|| format!("{k} must be a path string"))?;
                Operand::Path(Path::parse(p).map_err(|e| e.message)?)
            } else {
                Operand::Literal(val.clone())
            };
            return Ok(Rule::Test {
                variable,
                op,
                operand,
            });
        }
    }
    Err("a Choice rule needs a comparison operator".to_string())
}

/// Parses an ASL timestamp (RFC 3339 with uppercase `T` and `Z`) into nanoseconds since the epoch.
pub(crate) fn parse_timestamp(s: &str) -> Option<i128> {
    if s.contains('t') || s.contains('z') || !s.contains('T') {
        return None;
    }
    let t = DateTime::parse_from_rfc3339(s).ok()?;
    Some(t.timestamp() as i128 * 1_000_000_000 + t.timestamp_subsec_nanos() as i128)
}

fn ord_ok(c: Cmp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match c {
        Cmp::Eq => o == Equal,
        Cmp::Lt => o == Less,
        Cmp::Gt => o == Greater,
        Cmp::Le => o != Greater,
        Cmp::Ge => o != Less,
    }
}

/// Matches `s` against a StringMatches pattern (`*` wildcard, `\*` and `\\` escapes).
pub(crate) fn string_matches(s: &str, pattern: &str) -> bool {
    // Tokens: Some(c) is a literal character, None is a wildcard.
    let mut toks: Vec<Option<char>> = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => toks.push(Some(n)),
                None => toks.push(Some('\\')),
            },
            '*' => toks.push(None),
            c => toks.push(Some(c)),
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut si, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < chars.len() {
        if ti < toks.len() && toks[ti] == Some(chars[si]) {
            si += 1;
            ti += 1;
        } else if ti < toks.len() && toks[ti].is_none() {
            star = Some((ti, si));
            ti += 1;
        } else if let Some((st, ss)) = star {
            ti = st + 1;
            si = ss + 1;
            star = Some((st, ss + 1));
        } else {
            return false;
        }
    }
    while ti < toks.len() && toks[ti].is_none() {
        ti += 1;
    }
    ti == toks.len()
}

/// Evaluates a data-test expression against the variable's value (`None` when absent).
pub(crate) fn test(op: &Op, value: Option<&Value>, operand: &Value) -> bool {
    match op {
        Op::IsPresent => value.is_some() == (operand == &Value::Bool(true)),
        Op::IsNull => value.is_some_and(Value::is_null) == (operand == &Value::Bool(true)),
        Op::IsNumeric => value.is_some_and(Value::is_number) == (operand == &Value::Bool(true)),
        Op::IsString => value.is_some_and(Value::is_string) == (operand == &Value::Bool(true)),
        Op::IsBoolean => value.is_some_and(Value::is_boolean) == (operand == &Value::Bool(true)),
        Op::IsTimestamp => {
            value
                .and_then(Value::as_str)
                .and_then(parse_timestamp)
                .is_some()
                == (operand == &Value::Bool(true))
        }
        Op::Boolean => match (value, operand) {
            (Some(Value::Bool(a)), Value::Bool(b)) => a == b,
            _ => false,
        },
        Op::String(c) => match (value, operand) {
            (Some(Value::String(a)), Value::String(b)) => ord_ok(*c, a.as_str().cmp(b.as_str())),
            _ => false,
        },
        Op::StringMatches => match (value, operand) {
            (Some(Value::String(a)), Value::String(b)) => string_matches(a, b),
            _ => false,
        },
        Op::Numeric(c) => match (value, operand) {
            (Some(Value::Number(a)), Value::Number(b)) => {
                let o = match (a.as_i64(), b.as_i64()) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    _ => {
                        let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
                        match x.partial_cmp(&y) {
                            Some(o) => o,
                            None => return false,
                        }
                    }
                };
                ord_ok(*c, o)
            }
            _ => false,
        },
        Op::Timestamp(c) => match (value, operand) {
            (Some(Value::String(a)), Value::String(b)) => {
                match (parse_timestamp(a), parse_timestamp(b)) {
                    (Some(x), Some(y)) => ord_ok(*c, x.cmp(&y)),
                    _ => false,
                }
            }
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_patterns() {
        let cases = [
            ("log-2024.txt", "log-*.txt", true),
            ("log.txt", "log-*.txt", false),
            ("a*b", "a\\*b", true),
            ("axb", "a\\*b", false),
            ("", "*", true),
            ("abc", "*c", true),
            ("abc", "a*", true),
            ("abc", "*x*", false),
        ];
        for (s, p, want) in cases {
            assert_eq!(string_matches(s, p), want, "{s} vs {p}");
        }
    }
}
