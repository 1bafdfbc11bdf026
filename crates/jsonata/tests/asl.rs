//! Step Functions style expressions through the public API: bindings, navigation fast
//! paths and the host environment.

use jsonata::{Bindings, FixedEnv, Outcome};
use serde_json::{Value, json};

fn eval(expr: &str, input: Option<&Value>, states: &Value) -> Result<Option<Value>, String> {
    let compiled = jsonata::compile(expr).map_err(|e| e.code.clone())?;
    let bindings = Bindings::from_pairs(&[("states", states)]);
    compiled
        .evaluate(input, &bindings, &mut FixedEnv::default())
        .map_err(|e| e.code)
}

#[test]
fn variable_paths_navigate_objects_and_arrays() {
    let states = json!({
        "input": {
            "order": {"id": "o-1", "items": [{"sku": "a", "n": 1}, {"sku": "b", "n": 2}], "none": null},
            "list": [{"x": {"y": 1}}, {"x": {"y": 2}}],
            "single": [{"x": 5}]
        }
    });
    let cases: Vec<(&str, Option<Value>)> = vec![
        ("$states.input.order.id", Some(json!("o-1"))),
        ("$states.input.order.missing", None),
        ("$states.input.order.id.deeper", None),
        ("$states.input.order.none", Some(Value::Null)),
        ("$states.input.order.none.x", None),
        (
            "$states.input.order.items",
            Some(json!([{"sku": "a", "n": 1}, {"sku": "b", "n": 2}])),
        ),
        ("$states.input.order.items.sku", Some(json!(["a", "b"]))),
        ("$states.input.list.x.y", Some(json!([1, 2]))),
        ("$states.input.single.x", Some(json!(5))),
        ("$states.input.single", Some(json!([{"x": 5}]))),
        (
            "$states.input.order",
            Some(states["input"]["order"].clone()),
        ),
        ("$nothing.a.b", None),
        ("($v := {'a': {'b': [1]}}; $v.a.b)", Some(json!([1]))),
        ("($v := {'a': {'b': 3}}; $v.a.b + 1)", Some(json!(4))),
        ("$sum($states.input.order.items.n)", Some(json!(3))),
    ];
    for (expr, want) in cases {
        assert_eq!(eval(expr, None, &states), Ok(want), "{expr}");
    }
}

#[test]
fn context_and_host_services() {
    let input = json!([{"a": 1}, {"a": 2}]);
    let states = json!({});
    assert_eq!(eval("$.a", Some(&input), &states), Ok(Some(json!([1, 2]))));
    assert_eq!(eval("$$.a", Some(&input), &states), Ok(Some(json!([1, 2]))));
    let obj = json!({"b": {"c": true}});
    assert_eq!(eval("$.b.c", Some(&obj), &states), Ok(Some(json!(true))));
    assert_eq!(eval("$$.b.c", Some(&obj), &states), Ok(Some(json!(true))));
    assert_eq!(eval("$millis()", None, &states), Ok(Some(json!(0))));
    let a = eval("$uuid()", None, &states);
    assert_eq!(
        a,
        eval("$uuid()", None, &states),
        "the same seed gives the same UUID"
    );
    assert_eq!(
        eval("$partition([1,2,3,4,5], 2)", None, &states),
        Ok(Some(json!([[1, 2], [3, 4], [5]])))
    );
}

#[test]
fn object_bindings_borrow_their_fields() {
    let input = json!({"order": {"id": "o-1", "items": [{"n": 1}, {"n": 2}]}});
    let context = json!({"State": {"Name": "Check"}});
    let result = json!([1, 2, 3]);
    let flag = json!(true);
    let mut bindings = Bindings::new();
    bindings.insert_object(
        "states",
        &[
            ("input", &input),
            ("context", &context),
            ("result", &result),
        ],
    );
    bindings.insert("$flag", &flag);
    let cases: Vec<(&str, Option<Value>)> = vec![
        ("$states.input.order.id", Some(json!("o-1"))),
        ("$states.context.State.Name", Some(json!("Check"))),
        ("$sum($states.result)", Some(json!(6))),
        ("$states.errorOutput", None),
        (
            "$keys($states)",
            Some(json!(["input", "context", "result"])),
        ),
        ("$sum($states.input.order.items.n)", Some(json!(3))),
        (
            "$flag and $states.input.order.id = 'o-1'",
            Some(json!(true)),
        ),
        (
            "$states",
            Some(json!({"input": input, "context": context, "result": result})),
        ),
    ];
    for (expr, want) in cases {
        let out =
            jsonata::compile(expr)
                .expect(expr)
                .evaluate(None, &bindings, &mut FixedEnv::default());
        assert_eq!(out, Ok(want), "{expr}");
    }
    // Every operation sees the object of borrowed fields as the same object built as JSON.
    let built = json!({"input": input, "context": context, "result": result});
    let mut as_json = Bindings::new();
    as_json.insert("states", &built);
    as_json.insert("flag", &flag);
    for expr in [
        "$string($states)",
        "$keys($states)",
        "$merge([$states, {'extra': 1}])",
        "$each($states, function($v, $k) { $k })",
        "$spread($states)",
        "$sift($states, function($v, $k) { $k != 'context' })",
        "$lookup($states, 'result')",
        "$type($states)",
        "$exists($states.input)",
        "$states.*",
        "$states.**.n",
        "$states = $states",
        "$states ~> | $ | {'extra': true}, ['context'] |",
        "$states ~> | input.order | {'seen': true} |",
        "[$states, $states].input.order.id",
        "$states.{'k': $keys($)}",
        "$boolean($states)",
        "$count($states)",
        "$states[input.order.id = 'o-1'].context.State.Name",
        "$states.input.order.items[n > 1]",
        "$each($states, function($v) { $type($v) })",
        "($s := $states; $s.input.order.id & $s.context.State.Name)",
        "$eval('$states.input.order.id')",
    ] {
        let compiled = jsonata::compile(expr).expect(expr);
        let want = compiled.evaluate(None, &as_json, &mut FixedEnv::default());
        let got = compiled.evaluate(None, &bindings, &mut FixedEnv::default());
        assert_eq!(got, want, "{expr}");
    }
    // A repeated field keeps its first position and takes the last value.
    let mut b = Bindings::new();
    b.insert_object("s", &[("a", &flag), ("b", &input), ("a", &result)]);
    let out = jsonata::compile("$keys($s) & '|' & $string($s.a)")
        .expect("compiles")
        .evaluate(None, &b, &mut FixedEnv::default());
    assert_eq!(out, Ok(Some(json!("[\"a\",\"b\"]|[1,2,3]"))));
}

#[test]
fn outcome_tells_functions_apart() {
    let states = json!({"input": {"a": 1}});
    let bindings = Bindings::from_pairs(&[("states", &states)]);
    let cases: Vec<(&str, Outcome)> = vec![
        ("$states.input.a", Outcome::Value(json!(1))),
        ("$states.input.b", Outcome::Undefined),
        ("$fn := function($x){$x}", Outcome::Function),
        ("$uppercase", Outcome::Function),
        ("$substring(?, 1)", Outcome::Function),
        ("/a+/", Outcome::Function),
        ("$uppercase ~> $trim", Outcome::Function),
        ("| a | {'b': 1} |", Outcome::Function),
    ];
    for (expr, want) in cases {
        let out = jsonata::compile(expr).expect(expr).evaluate_outcome(
            None,
            &bindings,
            &mut FixedEnv::default(),
        );
        assert_eq!(out, Ok(want), "{expr}");
    }
}

#[test]
fn contains_with_a_regex_looks_at_the_first_match_only() {
    let states = json!({});
    let cases: Vec<(&str, Result<Option<Value>, String>)> = vec![
        ("$contains('abc', /b/)", Ok(Some(json!(true)))),
        ("$contains('abc', /B/i)", Ok(Some(json!(true)))),
        ("$contains('abc', /x/)", Ok(Some(json!(false)))),
        ("$contains('abc', /x*/)", Err("D1004".into())),
        // The first match is "b"; the empty matches after it do not count (as in jsonata-js).
        ("$contains('bac', /b|x*/)", Ok(Some(json!(true)))),
        ("$contains($states.missing, /b/)", Ok(None)),
    ];
    for (expr, want) in cases {
        assert_eq!(eval(expr, None, &states), want, "{expr}");
    }
}
