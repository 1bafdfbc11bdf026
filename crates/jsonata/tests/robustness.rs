//! Bad input never panics: deeply nested expressions and data, runaway recursion and
//! every prefix of many expressions must give a result or a clean error.

use jsonata::{Bindings, FixedEnv};
use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Evaluates an expression and returns the error code, or "ok".
fn outcome(expr: &str, input: Option<&Value>) -> String {
    let compiled = match jsonata::compile(expr) {
        Ok(c) => c,
        Err(e) => return e.code,
    };
    match compiled.evaluate(input, &Bindings::new(), &mut FixedEnv::default()) {
        Ok(_) => "ok".into(),
        Err(e) => e.code,
    }
}

/// Drops a deeply nested value iteratively (serde_json's own drop recurses).
fn dismantle(mut v: Value) {
    loop {
        let next = match &mut v {
            Value::Object(m) => m.remove("a"),
            _ => None,
        };
        match next {
            Some(child) => v = child,
            None => break,
        }
    }
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{}{}", open.repeat(depth), inner, close.repeat(depth))
}

#[test]
fn deep_and_runaway_inputs_give_clean_errors() {
    let deep_data = {
        let mut v = json!(1);
        for _ in 0..10_000 {
            let mut m = serde_json::Map::new();
            m.insert("a".into(), v);
            v = Value::Object(m);
        }
        v
    };
    let chain = vec!["1"; 10_000].join("+");
    // Each case: a description, the expression, the input and the expected outcome.
    let cases: Vec<(&str, String, Option<&Value>, &str)> = vec![
        (
            "nested parentheses",
            nested("(", "1", ")", 10_000),
            None,
            "U1001",
        ),
        (
            "nested arrays",
            nested("[", "1", "]", 10_000),
            None,
            "U1001",
        ),
        (
            "nested objects",
            nested("{\"a\":", "1", "}", 10_000),
            None,
            "U1001",
        ),
        (
            "nested unary minus",
            format!("{}1", "-".repeat(10_000)),
            None,
            "U1001",
        ),
        ("long operator chain", chain, None, "U1001"),
        ("long path", vec!["a"; 10_000].join("."), None, "U1001"),
        (
            "moderate nesting is fine",
            nested("(", "1", ")", 100),
            None,
            "ok",
        ),
        (
            "unbounded recursion",
            "($f := function($n){$f($n + 1) + 1}; $f(0))".into(),
            None,
            "U1001",
        ),
        (
            "infinite tail recursion",
            "($f := function($n){$f($n + 1)}; $f(0))".into(),
            None,
            "U1001",
        ),
        (
            "mutual recursion",
            "($a := function(){$b()}; $b := function(){$a() + 1}; $a())".into(),
            None,
            "U1001",
        ),
        (
            "recursion through map",
            "($f := function($n){$map([1], function($x){$f($n)})}; $f(0))".into(),
            None,
            "U1001",
        ),
        (
            "recursion through sort",
            "($f := function($n){$sort([2, 1], function($x, $y){$f($n)})}; $f(0))".into(),
            None,
            "U1001",
        ),
        (
            "deep data descendants",
            "$count(**)".into(),
            Some(&deep_data),
            "ok",
        ),
        (
            "deep data string",
            "$string($)".into(),
            Some(&deep_data),
            "U1001",
        ),
        ("deep data output", "$".into(), Some(&deep_data), "ok"),
        (
            "deep data transform",
            "$ ~> |a|{'b': 1}|".into(),
            Some(&deep_data),
            "U1001",
        ),
        ("huge range", "[1..100000000]".into(), None, "D2014"),
        ("unterminated string", "'abc".into(), None, "S0101"),
        ("unterminated comment", "1 /* x".into(), None, "S0106"),
        ("lone operator", "+".into(), None, "S0211"),
        ("bad regex", "/(/".into(), None, "S0301"),
    ];
    let mut failures = Vec::new();
    let only = std::env::var("ROBUST_ONLY").ok();
    for (name, expr, input, want) in &cases {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        eprintln!("case {name}");
        let got = catch_unwind(AssertUnwindSafe(|| outcome(expr, *input)))
            .unwrap_or_else(|_| "panic".into());
        if got != *want {
            failures.push(format!("{name}: want {want}, got {got}"));
        }
    }
    drop(cases);
    dismantle(deep_data);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_prefix_of_many_expressions_is_handled() {
    let mut exprs: Vec<String> = [
        "$states.input.items[price > 10].{\"id\": id, \"total\": price * qty}",
        "Account.Order.Product{`Product Name`: $sum(Price)}",
        "$map([1,2,3], function($v, $i){ $v * $i })[$ > 1] ~> $sum()",
        "( $f := λ($x)<n:n>{ $x < 2 ? $x : $f($x - 1) + $f($x - 2) }; $f(10) )",
        "$replace('abc', /(b)/i, function($m){ $uppercase($m.groups[0]) })",
        "| Account.Order | {'x': 1}, ['OrderID'] |",
        "$fromMillis(0, '[Y0001]-[M01]-[D01] [FNn] [h]:[m][P]', '+0530')",
        "$formatNumber(1234.5, '#,##0.00;(#)') & $formatInteger(42, 'w;o')",
        "Account.Order.Product.Price.%.%.`Account Name`",
        "library.books@$b#$i[$i < 2].{ 'title': $b.title, 'i': $i }^(>title)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Add the reference suite's expressions when it is available.
    let suite = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/jsonata-suite/groups");
    if let Ok(groups) = std::fs::read_dir(&suite) {
        let mut paths: Vec<_> = groups.flatten().map(|g| g.path()).collect();
        paths.sort();
        for g in paths.iter().step_by(3) {
            let Ok(files) = std::fs::read_dir(g) else {
                continue;
            };
            let mut files: Vec<_> = files.flatten().map(|f| f.path()).collect();
            files.sort();
            for f in files.iter().take(4) {
                let Ok(text) = std::fs::read_to_string(f) else {
                    continue;
                };
                let Ok(v) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if let Some(e) = v.get("expr").and_then(Value::as_str) {
                    exprs.push(e.to_string());
                }
            }
        }
    }
    let data = json!({"Account": {"Order": [{"OrderID": "a", "Product": [{"Price": 1}]}]}});
    let mut panics = Vec::new();
    for e in &exprs {
        let chars: Vec<char> = e.chars().collect();
        for end in 0..=chars.len() {
            let prefix: String = chars[..end].iter().collect();
            if catch_unwind(AssertUnwindSafe(|| outcome(&prefix, Some(&data)))).is_err() {
                panics.push(prefix);
            }
        }
    }
    assert!(panics.is_empty(), "panics on: {panics:#?}");
}
