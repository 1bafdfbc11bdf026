//! Comparison of normalised interpreter results with a recording.
//!
//! Placeholders `<name:N>` in the expected value match any non-empty text, consistently:
//! once bound to a value, the same placeholder must match the same value everywhere in
//! the case. Numbers compare by value; JSON texts compare as JSON.

use serde_json::Value;
use std::collections::BTreeMap;

/// A difference: where it is (a JSON-pointer-like path) and what each side holds.
#[derive(Debug, Clone)]
pub(crate) struct Diff {
    pub path: String,
    pub expected: String,
    pub actual: String,
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "at {}:\n  expected: {}\n  actual:   {}",
            if self.path.is_empty() {
                "/"
            } else {
                &self.path
            },
            self.expected,
            self.actual
        )
    }
}

/// Comparison state shared by all fields of one case.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    /// Placeholder bindings made so far.
    bindings: BTreeMap<String, String>,
    /// Texts of `expected` that match anything (unknown values, `other` rules).
    wildcards: Vec<String>,
    /// Whether un-numbered `<...>` placeholders of `expected` are wildcards.
    loose_placeholders: bool,
}

/// Whether `inner` (the text between `<` and `>`) is a numbered placeholder: the README's
/// `name:N`, or the `name_Nidx` form some recordings kept (e.g. `MapRunArnPart0_0idx`).
fn is_numbered_placeholder(inner: &str) -> bool {
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    inner
        .rsplit_once(':')
        .is_some_and(|(n, d)| !n.is_empty() && digits(d))
        || inner
            .strip_suffix("idx")
            .and_then(|r| r.rsplit_once('_'))
            .is_some_and(|(n, d)| !n.is_empty() && digits(d))
}

/// Whether a path designates a cause (`.../cause` or `.../Cause`).
fn is_cause(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.eq_ignore_ascii_case("cause"))
}

#[derive(Debug, Clone)]
enum Seg {
    Lit(String),
    Hole(String),
    Wild,
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        let cut: String = s.chars().take(300).collect();
        format!("{cut}…")
    } else {
        s
    }
}

impl Matcher {
    pub(crate) fn new(wildcards: Vec<String>, loose_placeholders: bool) -> Matcher {
        Matcher {
            bindings: BTreeMap::new(),
            wildcards,
            loose_placeholders,
        }
    }

    /// Compares `expected` with `actual`; on a mismatch the bindings are left unchanged.
    pub(crate) fn compare(
        &mut self,
        expected: &Value,
        actual: &Value,
        path: &str,
    ) -> Result<(), Diff> {
        let saved = self.bindings.clone();
        let r = self.cmp(expected, actual, path);
        if r.is_err() {
            self.bindings = saved;
        }
        r
    }

    fn diff(path: &str, expected: &Value, actual: &Value) -> Diff {
        Diff {
            path: path.to_string(),
            expected: short(expected),
            actual: short(actual),
        }
    }

    fn cmp(&mut self, expected: &Value, actual: &Value, path: &str) -> Result<(), Diff> {
        match (expected, actual) {
            (Value::Object(e), Value::Object(a)) => {
                for k in e.keys() {
                    if !a.contains_key(k) {
                        return Err(Diff {
                            path: format!("{path}/{k}"),
                            expected: short(&e[k]),
                            actual: "(missing)".into(),
                        });
                    }
                }
                for k in a.keys() {
                    if !e.contains_key(k) {
                        return Err(Diff {
                            path: format!("{path}/{k}"),
                            expected: "(absent)".into(),
                            actual: short(&a[k]),
                        });
                    }
                }
                for (k, ev) in e {
                    self.cmp(ev, &a[k], &format!("{path}/{k}"))?;
                }
                Ok(())
            }
            (Value::Array(e), Value::Array(a)) => {
                if e.len() != a.len() {
                    return Err(Diff {
                        path: path.to_string(),
                        expected: format!("{} items: {}", e.len(), short(expected)),
                        actual: format!("{} items: {}", a.len(), short(actual)),
                    });
                }
                for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                    self.cmp(ev, av, &format!("{path}/{i}"))?;
                }
                Ok(())
            }
            (Value::Number(e), Value::Number(a)) => {
                let same = match (e.as_i64(), a.as_i64()) {
                    (Some(x), Some(y)) => x == y,
                    _ => match (e.as_u64(), a.as_u64()) {
                        (Some(x), Some(y)) => x == y,
                        _ => e.as_f64() == a.as_f64(),
                    },
                };
                if same {
                    Ok(())
                } else {
                    Err(Self::diff(path, expected, actual))
                }
            }
            (Value::String(e), Value::String(a)) => {
                if e == a || self.match_str(e, a) {
                    return Ok(());
                }
                // Causes that are JSON texts compare as JSON (the recorder re-serialised
                // some of them); other strings must match exactly.
                if is_cause(path)
                    && let (Ok(ev), Ok(av)) = (
                        serde_json::from_str::<Value>(e),
                        serde_json::from_str::<Value>(a),
                    )
                    && (ev.is_object() || ev.is_array())
                {
                    return self.cmp(&ev, &av, path);
                }
                Err(Self::diff(path, expected, actual))
            }
            (Value::String(e), _) => {
                // A lone wildcard placeholder may stand for any value.
                let segs = self.segments(e);
                if let [Seg::Wild] = segs.as_slice() {
                    return Ok(());
                }
                if let [Seg::Hole(name)] = segs.as_slice() {
                    let text = actual.to_string();
                    return match self.bindings.get(name) {
                        Some(b) if *b != text => Err(Self::diff(path, expected, actual)),
                        _ => {
                            self.bindings.insert(name.clone(), text);
                            Ok(())
                        }
                    };
                }
                Err(Self::diff(path, expected, actual))
            }
            // The recorder parsed causes that were JSON object texts.
            (_, Value::String(a)) if is_cause(path) => match serde_json::from_str::<Value>(a) {
                Ok(av) if !av.is_string() => self.cmp(expected, &av, path),
                _ => Err(Self::diff(path, expected, actual)),
            },
            (e, a) if e == a => Ok(()),
            _ => Err(Self::diff(path, expected, actual)),
        }
    }

    /// Splits an expected string into literals, bound placeholders and wildcards.
    fn segments(&self, e: &str) -> Vec<Seg> {
        let mut segs = Vec::new();
        let mut lit = String::new();
        let mut rest = e;
        'outer: while !rest.is_empty() {
            for w in &self.wildcards {
                if !w.is_empty() && rest.starts_with(w.as_str()) {
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    segs.push(Seg::Wild);
                    rest = &rest[w.len()..];
                    continue 'outer;
                }
            }
            if rest.starts_with('<')
                && let Some(end) = rest.find('>')
            {
                let inner = &rest[1..end];
                let ok_chars = !inner.is_empty()
                    && inner
                        .chars()
                        .all(|c| !c.is_whitespace() && c != '<' && c != '"');
                if ok_chars {
                    let numbered = is_numbered_placeholder(inner);
                    if numbered || self.loose_placeholders {
                        if !lit.is_empty() {
                            segs.push(Seg::Lit(std::mem::take(&mut lit)));
                        }
                        segs.push(if numbered {
                            Seg::Hole(rest[..=end].to_string())
                        } else {
                            Seg::Wild
                        });
                        rest = &rest[end + 1..];
                        continue;
                    }
                }
            }
            let c = rest.chars().next().unwrap_or_default();
            lit.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(lit));
        }
        segs
    }

    fn match_str(&mut self, e: &str, a: &str) -> bool {
        let segs = self.segments(e);
        if segs.iter().all(|s| matches!(s, Seg::Lit(_))) {
            return false;
        }
        let mut local = self.bindings.clone();
        if match_segs(&segs, a, &mut local) {
            self.bindings = local;
            true
        } else {
            false
        }
    }
}

fn match_segs(segs: &[Seg], a: &str, b: &mut BTreeMap<String, String>) -> bool {
    let Some((first, rest)) = segs.split_first() else {
        return a.is_empty();
    };
    match first {
        Seg::Lit(l) => a
            .strip_prefix(l.as_str())
            .is_some_and(|r| match_segs(rest, r, b)),
        Seg::Hole(name) => {
            if let Some(v) = b.get(name).cloned() {
                return a
                    .strip_prefix(v.as_str())
                    .is_some_and(|r| match_segs(rest, r, b));
            }
            for (i, _) in a.char_indices().skip(1).chain([(a.len(), ' ')]) {
                b.insert(name.clone(), a[..i].to_string());
                if match_segs(rest, &a[i..], b) {
                    return true;
                }
            }
            b.remove(name);
            false
        }
        Seg::Wild => {
            for (i, _) in a.char_indices().chain([(a.len(), ' ')]) {
                if match_segs(rest, &a[i..], b) {
                    return true;
                }
            }
            false
        }
    }
}

/// Compares two event lists; `unordered` compares runs of events without ids as multisets.
pub(crate) fn compare_events(
    m: &mut Matcher,
    expected: &[Value],
    actual: &[Value],
    unordered: bool,
) -> Result<(), Diff> {
    if unordered {
        return compare_unordered(m, expected, actual);
    }
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        m.compare(e, a, &format!("/events/{i}"))
            .map_err(|d| with_event_type(d, e, a))?;
    }
    if expected.len() != actual.len() {
        let i = expected.len().min(actual.len());
        let next = |v: &[Value]| {
            v.get(i)
                .and_then(|v| v.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("(end)")
                .to_string()
        };
        return Err(Diff {
            path: format!("/events/{i}"),
            expected: format!("{} events; here: {}", expected.len(), next(expected)),
            actual: format!("{} events; here: {}", actual.len(), next(actual)),
        });
    }
    Ok(())
}

fn with_event_type(mut d: Diff, e: &Value, a: &Value) -> Diff {
    let t = |v: &Value| {
        v.get("type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    d.path = format!("{} ({} / {})", d.path, t(e), t(a));
    d
}

/// Compares a history whose Parallel blocks were sorted by the recorder, which dropped
/// their ids (and sometimes some of their events). Events that kept their id are anchors:
/// the event with id `k` must match the actual event `k`. The id-less events between two
/// anchors must match distinct actual events between the same anchors, in any order.
fn compare_unordered(m: &mut Matcher, expected: &[Value], actual: &[Value]) -> Result<(), Diff> {
    let id_of = |v: &Value| v.get("id").and_then(Value::as_u64);
    let mut prev_id: u64 = 0;
    let mut pending: Vec<(usize, &Value)> = Vec::new();
    let check_gap = |m: &mut Matcher,
                     pending: &mut Vec<(usize, &Value)>,
                     from_id: u64,
                     to_id: Option<u64>|
     -> Result<(), Diff> {
        // Actual events strictly between the anchors (ids are 1-based).
        let lo = (from_id as usize).min(actual.len());
        let hi = to_id
            .map(|t| (t as usize).saturating_sub(1))
            .unwrap_or(actual.len())
            .clamp(lo, actual.len());
        let window = &actual[lo..hi];
        let mut used = vec![false; window.len()];
        for (k, e) in pending.drain(..) {
            let e_no_ids = strip_ids(e);
            let mut first_diff = None;
            let mut found = false;
            for (u, a) in window.iter().enumerate() {
                if used[u] {
                    continue;
                }
                match m.compare(&e_no_ids, &strip_ids(a), &format!("/events/{k}")) {
                    Ok(()) => {
                        used[u] = true;
                        found = true;
                        break;
                    }
                    Err(d) => {
                        if first_diff.is_none() {
                            first_diff = Some(d);
                        }
                    }
                }
            }
            if !found {
                let mut d = first_diff.unwrap_or(Diff {
                    path: format!("/events/{k}"),
                    expected: short(e),
                    actual: "(no event left in the unordered block)".into(),
                });
                d.path = format!(
                    "{} (unordered block, {})",
                    d.path,
                    e.get("type").and_then(Value::as_str).unwrap_or("?")
                );
                return Err(d);
            }
        }
        Ok(())
    };
    for (k, e) in expected.iter().enumerate() {
        match id_of(e) {
            None => pending.push((k, e)),
            Some(id) => {
                check_gap(m, &mut pending, prev_id, Some(id))?;
                let idx = (id as usize).saturating_sub(1);
                let Some(a) = actual.get(idx) else {
                    return Err(Diff {
                        path: format!("/events/{k}"),
                        expected: format!("event id {id}: {}", short(e)),
                        actual: format!("only {} events", actual.len()),
                    });
                };
                m.compare(e, a, &format!("/events/{k}"))
                    .map_err(|d| with_event_type(d, e, a))?;
                prev_id = id;
            }
        }
    }
    check_gap(m, &mut pending, prev_id, None)?;
    let last_is_anchor = expected.last().and_then(id_of).is_some();
    if last_is_anchor && actual.len() as u64 != prev_id {
        return Err(Diff {
            path: format!("/events/{}", expected.len()),
            expected: format!("{prev_id} events"),
            actual: format!("{} events", actual.len()),
        });
    }
    Ok(())
}

fn strip_ids(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("id");
        o.remove("previousEventId");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_bind_consistently() {
        let mut m = Matcher::default();
        let e = json!({"a": "arn:x:role/<resource:1>", "b": "<resource:1>", "n": 1.0});
        let ok = json!({"a": "arn:x:role/my-role", "b": "my-role", "n": 1});
        let bad = json!({"a": "arn:x:role/my-role", "b": "other", "n": 1});
        assert!(m.clone().compare(&e, &ok, "").is_ok());
        let d = m.compare(&e, &bad, "").expect_err("inconsistent binding");
        assert_eq!(d.path, "/b");
    }

    #[test]
    fn json_texts_and_wildcards() {
        let mut m = Matcher::new(vec!["generated-uuid".into()], false);
        let cases = [
            (json!({"x": 1}), json!("{\"x\": 1}"), false),
            (json!("{\"x\":1}"), json!("{ \"x\": 1 }"), false),
            (json!("id-generated-uuid"), json!("id-1234"), true),
            (json!("<plain>"), json!("other"), false),
            (json!([1, 2]), json!([1]), false),
            (json!({"a": 1}), json!({"a": 1, "b": 2}), false),
        ];
        for (e, a, want) in cases {
            assert_eq!(m.compare(&e, &a, "").is_ok(), want, "{e} vs {a}");
        }
        let cause = |v: Value| json!({ "cause": v });
        let json_cases = [
            (cause(json!({"x": 1})), cause(json!("{\"x\": 1}")), true),
            (
                cause(json!("{\"x\":1}")),
                cause(json!("{ \"x\": 1 }")),
                true,
            ),
            (cause(json!({"x": 1})), cause(json!("{\"x\": 2}")), false),
        ];
        for (e, a, want) in json_cases {
            assert_eq!(m.compare(&e, &a, "").is_ok(), want, "{e} vs {a}");
        }
        let mut idx = Matcher::default();
        let e = json!(["x:<Part0_0idx>/<Part1_0idx>", "<Part0_0idx>"]);
        assert!(idx.compare(&e, &json!(["x:a/b", "a"]), "").is_ok());
        assert!(idx.compare(&e, &json!(["x:a/b", "b"]), "").is_err());
        let mut loose = Matcher::new(vec![], true);
        assert!(
            loose
                .compare(&json!("<plain>"), &json!("other"), "")
                .is_ok()
        );
    }

    #[test]
    fn unordered_blocks() {
        let mut m = Matcher::default();
        let ev = |t: &str, id: Value| json!({"type": t, "id": id, "previousEventId": id});
        let e = vec![
            ev("A", json!(1)),
            ev("B", Value::Null),
            ev("C", Value::Null),
            ev("D", json!(4)),
        ];
        let a = vec![
            ev("A", json!(1)),
            ev("C", json!(2)),
            ev("B", json!(3)),
            ev("D", json!(4)),
        ];
        assert!(compare_events(&mut m, &e, &a, true).is_ok());
        assert!(compare_events(&mut m, &e, &a, false).is_err());
        // The recorder sometimes dropped events of a block; ids still tell where it ends.
        let e_dropped = vec![ev("A", json!(1)), ev("B", Value::Null), ev("D", json!(4))];
        assert!(compare_events(&mut m, &e_dropped, &a, true).is_ok());
        let wrong = vec![ev("A", json!(1)), ev("X", Value::Null), ev("D", json!(4))];
        assert!(compare_events(&mut m, &wrong, &a, true).is_err());
        let short_history = &a[..3];
        assert!(compare_events(&mut m, &e, short_history, true).is_err());
    }
}
