//! Normalisation of interpreter results, as the conformance corpus README prescribes.
//!
//! The recordings replaced run-dependent values (dates, UUIDs, ARN parts, per-case keys)
//! before they were stored; the functions here apply the same replacements to what the
//! interpreter produced so that both sides can be compared.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One normalisation rule of a case (`expected.normalize`).
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    /// Replace every match of a pattern in the serialised JSON.
    Regex {
        pattern: regex_lite::Regex,
        replacement: String,
    },
    /// Replace the values found at a `$..a.b` style path.
    JsonPath {
        groups: Vec<Vec<String>>,
        replacement: String,
        reference: bool,
    },
    /// The resource-name part of ARN values became `<replacement:N>`.
    ArnResourceName { replacement: String },
    /// `replacement` stands for a value that cannot be known: a wildcard in `expected`.
    UnknownValue { replacement: String },
    /// A LocalStack-specific rule: its placeholders are wildcards in `expected`.
    Other,
}

/// Parses the `normalize` array of a case. A rule this harness cannot apply (an unknown
/// type, an unsupported path or pattern, a missing field) degrades to [`Rule::Other`]: its
/// placeholders become wildcards rather than failing the case. Only a `normalize` value
/// that is not an array of objects is an error.
pub(crate) fn parse_rules(value: Option<&Value>) -> Result<Vec<Rule>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if value.is_null() {
        return Ok(Vec::new());
    }
    let items = value
        .as_array()
        .ok_or_else(|| "`expected.normalize` is not an array".to_string())?;
    let mut rules = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(format!("normalize rule {i} is not an object"));
        }
        rules.push(parse_rule(item).unwrap_or(Rule::Other));
    }
    Ok(rules)
}

fn parse_rule(item: &Value) -> Option<Rule> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
    let reference = item
        .get("reference")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Some(match item.get("type").and_then(Value::as_str)? {
        "regex" => Rule::Regex {
            pattern: regex_lite::Regex::new(&text("pattern")?).ok()?,
            replacement: text("replacement")?,
        },
        "jsonpath" => Rule::JsonPath {
            groups: parse_descendant_path(&text("path")?)?,
            replacement: text("replacement")?,
            reference,
        },
        "key" => Rule::JsonPath {
            groups: vec![vec![text("key")?]],
            replacement: text("replacement")?,
            reference,
        },
        "arn-resource-name" => Rule::ArnResourceName {
            replacement: text("replacement")?,
        },
        "unknown-value" => Rule::UnknownValue {
            replacement: text("replacement")?,
        },
        _ => Rule::Other,
    })
}

/// Splits `$..a.b..c` into `[["a", "b"], ["c"]]`; `None` for other path forms.
fn parse_descendant_path(path: &str) -> Option<Vec<Vec<String>>> {
    let rest = path.strip_prefix("$..")?;
    let groups: Vec<Vec<String>> = rest
        .split("..")
        .map(|g| g.split('.').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if groups.iter().flatten().any(String::is_empty) {
        return None;
    }
    Some(groups)
}

/// Keeps the numbering of `<name:N>` references and the values they replaced.
#[derive(Default)]
struct References {
    counters: BTreeMap<String, usize>,
    /// Ordered (original, placeholder) pairs, applied to every string afterwards.
    replacements: Vec<(String, String)>,
}

impl References {
    fn register(&mut self, name: &str, original: &str) -> String {
        if let Some((_, p)) = self.replacements.iter().find(|(o, _)| o == original) {
            return p.clone();
        }
        let n = self.counters.entry(name.to_string()).or_insert(0);
        *n += 1;
        let placeholder = format!("<{name}:{n}>");
        self.replacements
            .push((original.to_string(), placeholder.clone()));
        placeholder
    }
}

/// Step 1: parses the JSON text fields of AWS history events in place.
pub(crate) fn parse_event_texts(event: &mut Value) {
    let Some(obj) = event.as_object_mut() else {
        return;
    };
    for (key, details) in obj.iter_mut() {
        if !key.ends_with("Details") {
            continue;
        }
        let Some(details) = details.as_object_mut() else {
            continue;
        };
        for field in ["input", "output", "parameters"] {
            if let Some(v) = details.get_mut(field) {
                parse_in_place(v);
            }
        }
        if let Some(Value::Object(vars)) = details.get_mut("assignedVariables") {
            for v in vars.values_mut() {
                parse_in_place(v);
            }
        }
    }
}

fn parse_in_place(v: &mut Value) {
    if let Value::String(s) = v
        && let Ok(parsed) = serde_json::from_str::<Value>(s)
    {
        *v = parsed;
    }
}

/// Steps 2 and 3: applies the case's rules, then the global ones, to a whole document.
pub(crate) fn normalise(doc: &mut Value, rules: &[Rule]) {
    let mut refs = References::default();
    for rule in rules {
        match rule {
            Rule::Regex {
                pattern,
                replacement,
            } => {
                if let Ok(text) = serde_json::to_string(doc) {
                    let replaced = pattern
                        .replace_all(&text, regex_lite::NoExpand(replacement))
                        .into_owned();
                    if replaced != text
                        && let Ok(v) = serde_json::from_str(&replaced)
                    {
                        *doc = v;
                    }
                }
            }
            Rule::JsonPath {
                groups,
                replacement,
                reference,
            } => {
                let mut originals = Vec::new();
                apply_path(doc, groups, &mut |v| {
                    if *reference {
                        if let Some(s) = v.as_str() {
                            originals.push(s.to_string());
                        }
                    } else {
                        *v = Value::String(replacement.clone());
                    }
                });
                for o in originals {
                    if !o.is_empty() && !is_placeholder(&o) {
                        refs.register(replacement, &o);
                    }
                }
                apply_references(doc, &refs);
            }
            Rule::ArnResourceName { replacement } => {
                let mut names = Vec::new();
                visit_strings(doc, &mut |s| {
                    if let Some(name) = arn_resource_name(s) {
                        names.push(name);
                    }
                });
                for n in names {
                    refs.register(replacement, &n);
                }
                apply_references(doc, &refs);
            }
            Rule::UnknownValue { .. } | Rule::Other => {}
        }
    }
    global_rules(doc, &mut refs);
}

fn is_placeholder(s: &str) -> bool {
    s.starts_with('<') && s.ends_with('>')
}

/// Calls `f` on every value found at the descendant path `groups`.
fn apply_path(v: &mut Value, groups: &[Vec<String>], f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = groups.split_first() else {
        return;
    };
    // Visit every node; where the key chain matches, descend into the end of the chain.
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if *k == first[0] {
                    if let Some(target) = follow_chain(child, &first[1..]) {
                        if rest.is_empty() {
                            f(target);
                        } else {
                            apply_path(target, rest, f);
                        }
                    }
                    // A matched subtree may hold further matches below it.
                    if first.len() > 1 || !rest.is_empty() {
                        apply_path(child, groups, f);
                    }
                } else {
                    apply_path(child, groups, f);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                apply_path(item, groups, f);
            }
        }
        _ => {}
    }
}

fn follow_chain<'a>(v: &'a mut Value, chain: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for key in chain {
        cur = cur.as_object_mut()?.get_mut(key)?;
    }
    Some(cur)
}

fn visit_strings(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|i| visit_strings(i, f)),
        Value::Object(map) => map.values().for_each(|i| visit_strings(i, f)),
        _ => {}
    }
}

fn map_strings(v: &mut Value, f: &mut dyn FnMut(&str, Option<&str>) -> Option<Value>) {
    map_strings_under(v, None, f);
}

fn map_strings_under(
    v: &mut Value,
    key: Option<&str>,
    f: &mut dyn FnMut(&str, Option<&str>) -> Option<Value>,
) {
    match v {
        Value::String(s) => {
            if let Some(n) = f(s, key) {
                *v = n;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| map_strings_under(i, key, f)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            let mut new = Map::new();
            for (k, mut child) in old {
                map_strings_under(&mut child, Some(&k), f);
                new.insert(k, child);
            }
            *map = new;
        }
        _ => {}
    }
}

/// Replaces every registered original by its placeholder, inside every string.
fn apply_references(doc: &mut Value, refs: &References) {
    if refs.replacements.is_empty() {
        return;
    }
    map_strings(doc, &mut |s, _| {
        let out = replace_references(s, refs);
        (out != s).then_some(Value::String(out))
    });
}

/// Replaces the registered originals in one left-to-right pass (longest first), leaving
/// placeholders that are already there untouched, so replacements never cascade.
fn replace_references(s: &str, refs: &References) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && rest[1..end].contains(':')
            && !rest[1..end].contains('<')
        {
            out.push_str(&rest[..=end]);
            rest = &rest[end + 1..];
            continue;
        }
        let best = refs
            .replacements
            .iter()
            .filter(|(orig, _)| !orig.is_empty() && rest.starts_with(orig.as_str()))
            .max_by_key(|(orig, _)| orig.len());
        match best {
            Some((orig, placeholder)) => {
                out.push_str(placeholder);
                rest = &rest[orig.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The resource-name part of an ARN, the way the recorder extracted it.
pub(crate) fn arn_resource_name(s: &str) -> Option<String> {
    let rest = s.strip_prefix("arn:")?;
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    if parts.len() < 5 {
        return None;
    }
    let (partition, account, res) = (parts[0], parts[3], parts[4]);
    if !(partition.starts_with("aws") || partition == "<partition>") {
        return None;
    }
    if !(account.is_empty() || account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if res.is_empty() || is_placeholder(res) {
        return None;
    }
    let name = if let Some((_, last)) = res.rsplit_once('/') {
        last.to_string()
    } else if let Some(f) = res.strip_prefix("function:") {
        let f = f.split('$').next().unwrap_or(f);
        f.trim_end_matches(':').to_string()
    } else {
        res.rsplit(':').next().unwrap_or(res).to_string()
    };
    (!name.is_empty() && !is_placeholder(&name) && !name.contains('<')).then_some(name)
}

/// Step 3: partition, region, dates, timestamps and UUIDs.
fn global_rules(doc: &mut Value, refs: &mut References) {
    map_strings(doc, &mut |s, _| {
        let mut out = s.replace("arn:aws:", "arn:<partition>:");
        out = out.replace("us-east-1", "<region>");
        out = replace_datetimes(&out);
        (out != s).then_some(Value::String(out))
    });
    timestamp_keys(doc);
    let mut uuids = Vec::new();
    collect_id_uuids(doc, None, &mut uuids);
    for u in uuids {
        refs.register("uuid", &u);
    }
    apply_references(doc, refs);
}

fn timestamp_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k.to_ascii_lowercase().contains("timestamp") {
                    match child {
                        Value::Object(_) | Value::Array(_) => timestamp_keys(child),
                        Value::String(s) if s == "date" => {}
                        _ => *child = Value::String("timestamp".into()),
                    }
                } else {
                    timestamp_keys(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(timestamp_keys),
        _ => {}
    }
}

fn collect_id_uuids(v: &Value, key: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::String(s)
            if key.is_some_and(|k| k.to_ascii_lowercase().ends_with("id"))
                && is_uuid(s)
                && !out.contains(s) =>
        {
            out.push(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|i| collect_id_uuids(i, key, out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, i)| collect_id_uuids(i, Some(k), out)),
        _ => {}
    }
}

/// Whether `s` is a UUID in the 8-4-4-4-12 hexadecimal form.
pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Length of an ISO-8601 date-time starting at `b[0]`, if one starts there. Like the
/// recorder's pattern, it checks the ranges (month 01-12, a day that exists, hour 00-23,
/// minutes and seconds 00-59), allows 1 to 9 fraction digits and needs `Z` or `±hh:mm`.
fn datetime_len(b: &[u8]) -> Option<usize> {
    let num = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let year = num(0, 4)?;
    let (month, day) = (num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let seps = at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':');
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !seps
        || year < 1000
        || day == 0
        || day > days_in_month
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut i = 19;
    if at(i, b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        i += 1 + digits;
    }
    if at(i, b'Z') {
        return Some(i + 1);
    }
    if (at(i, b'+') || at(i, b'-')) && at(i + 3, b':') {
        let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
        if oh <= 19 && om <= 59 {
            return Some(i + 6);
        }
    }
    None
}

/// Replaces every ISO-8601 date-time inside `s` with `date`.
pub(crate) fn replace_datetimes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && let Some(n) = datetime_len(&b[i..])
        {
            out.push_str(&s[last..i]);
            out.push_str("date");
            i += n;
            last = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn regex_rules_replace_in_the_serialised_document() {
        let rules = parse_rules(Some(&json!([
            {"type": "regex", "pattern": "[\\w.-]*test_table_[\\w.-]*", "replacement": "<test-table>"},
            {"type": "regex", "pattern": "111111111111", "replacement": "$1<acct>"}
        ])))
        .expect("rules parse");
        let mut doc = json!({"t": "arn:x:111111111111:table/my.test_table_ab-1"});
        normalise(&mut doc, &rules);
        assert_eq!(doc, json!({"t": "arn:x:$1<acct>:table/<test-table>"}));
    }

    #[test]
    fn datetimes_and_uuids() {
        let cases = [
            ("2024-04-18T06:18:29.000Z", "date"),
            ("at 2024-04-18T06:18:29+01:00 ok", "at date ok"),
            ("2024-04-18T06:18:29", "2024-04-18T06:18:29"),
            ("2016-13-05T21:29:29Z", "2016-13-05T21:29:29Z"),
            ("2016-12-05T25:29:29Z", "2016-12-05T25:29:29Z"),
            ("2023-02-29T00:00:00Z", "2023-02-29T00:00:00Z"),
            ("2024-02-29T00:00:00Z", "date"),
            ("2016-03-05T21:29:29.243167252Z", "date"),
            ("2016-03-05T21:29:29+0100", "2016-03-05T21:29:29+0100"),
            ("no date", "no date"),
        ];
        for (s, want) in cases {
            assert_eq!(replace_datetimes(s), want);
        }
        assert!(is_uuid("f9d8c9f5-3959-41f8-acb9-492c3a678771"));
        assert!(!is_uuid("f9d8c9f5-3959-41f8-acb9-492c3a67877"));
    }

    #[test]
    fn rules_apply_to_a_document() {
        let rules = parse_rules(Some(&json!([
            {"type": "key", "key": "TaskToken", "replacement": "task-token", "reference": true},
            {"type": "jsonpath", "path": "$..output.StartDate", "replacement": "start-date", "reference": false},
            {"type": "arn-resource-name", "replacement": "resource"}
        ])))
        .expect("rules parse");
        let mut doc = json!({
            "output": {"TaskToken": "tok1", "echo": "tok1", "StartDate": 5,
                       "Role": "arn:aws:iam::111111111111:role/my-role",
                       "RequestId": "f9d8c9f5-3959-41f8-acb9-492c3a678771",
                       "Timestamp": 123, "at": "2024-01-01T00:00:00Z"},
            "cause": "my-role failed in us-east-1"
        });
        normalise(&mut doc, &rules);
        assert_eq!(
            doc,
            json!({
                "output": {"TaskToken": "<task-token:1>", "echo": "<task-token:1>", "StartDate": "start-date",
                           "Role": "arn:<partition>:iam::111111111111:role/<resource:1>",
                           "RequestId": "<uuid:1>", "Timestamp": "timestamp", "at": "date"},
                "cause": "<resource:1> failed in <region>"
            })
        );
    }

    #[test]
    fn references_do_not_cascade() {
        let mut refs = References::default();
        refs.register("resource", "abc");
        refs.register("resource", "1");
        assert_eq!(
            replace_references("x:abc:1", &refs),
            "x:<resource:1>:<resource:2>"
        );
        assert_eq!(replace_references("<resource:1>", &refs), "<resource:1>");
    }

    #[test]
    fn arn_names() {
        let cases = [
            (
                "arn:aws:iam::111111111111:role/test-role",
                Some("test-role"),
            ),
            (
                "arn:aws:lambda:us-east-1:111111111111:function:fn:$LATEST",
                Some("fn"),
            ),
            ("arn:aws:states:::lambda:invoke", Some("invoke")),
            (
                "arn:aws:states:us-east-1:111111111111:stateMachine:M",
                Some("M"),
            ),
            ("arn:aws:sqs:us-east-1:111111111111:<queue>", None),
            ("not an arn", None),
        ];
        for (s, want) in cases {
            assert_eq!(arn_resource_name(s).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn unusable_rules_degrade_to_wildcards() {
        for bad in [json!({}), json!([1])] {
            assert!(parse_rules(Some(&bad)).is_err(), "{bad}");
        }
        for odd in [
            json!([{"type": "nope"}]),
            json!([{"type": "key"}]),
            json!([{"type": "jsonpath", "path": "$.a", "replacement": "x"}]),
            json!([{"type": "regex", "pattern": "(?<=a)b", "replacement": "x"}]),
        ] {
            let rules = parse_rules(Some(&odd)).expect("parses");
            assert!(matches!(rules.as_slice(), [Rule::Other]), "{odd}");
        }
    }
}
