//! Times evaluation of ASL-style expressions: `cargo run --release --example bench [CASES.json]`.
//! With a path, the cases are also written there in the format of `bench/jsonata-js.mjs`.

use jsonata::{Bindings, FixedEnv};
use serde_json::{Value, json};
use std::time::Instant;

/// The order document used by the workspace benchmark.
fn order_input() -> Value {
    let cats = ["books", "garden", "kitchen", "toys", "tools"];
    let items: Vec<Value> = (0..60)
        .map(|i| {
            json!({
                "sku": format!("SKU-{:05}", 1000 + i * 37),
                "name": format!("Item number {i}"),
                "category": cats[i % cats.len()],
                "price": ((i * 7919) % 400) as f64 * 0.25 + 1.0,
                "quantity": 1 + (i * 13) % 5,
                "discountable": i % 3 == 0,
                "tags": [format!("t{}", i % 7), format!("g{}", i % 4)],
            })
        })
        .collect();
    json!({"order": {
        "id": "ORD-2026-000421", "createdAt": "2026-11-21T09:15:00.000Z", "status": "PENDING",
        "customer": {"id": "C-88213", "name": "Ada Lovelace", "email": "ada.lovelace@example.com", "tier": "gold",
            "address": {"street": "12 Analytical Way", "city": "London", "zip": "N1 9GU", "country": "GB"}},
        "items": items,
        "shipping": {"method": "express", "cost": 12.5, "insured": true},
        "total": 1873.25,
        "tags": ["priority", "gift", "eu"],
        "metadata": {"channel": "web", "campaign": "autumn", "abTest": "B", "retries": 0}
    }})
}

const EXPRESSIONS: [(&str, &str); 14] = [
    ("field", "$states.input.order.customer.email"),
    (
        "condition",
        "$states.input.order.total > 1000 and $states.input.order.customer.tier = 'gold'",
    ),
    ("sum", "$sum($states.input.order.items.(price * quantity))"),
    (
        "filter",
        "$states.input.order.items[price > 50 and discountable].sku",
    ),
    (
        "object",
        "{\"orderId\": $states.input.order.id, \"customer\": $states.input.order.customer.id, \"count\": $count($states.input.order.items), \"express\": $states.input.order.shipping.method = 'express'}",
    ),
    (
        "string",
        "$uppercase($states.input.order.customer.name) & ' <' & $states.input.order.customer.email & '>'",
    ),
    (
        "ternary",
        "$states.input.order.total > 1000 ? 'manual-review' : 'auto-approve'",
    ),
    (
        "sort",
        "$sort($states.input.order.items, function($a, $b) { $a.price > $b.price }).sku[[0..4]]",
    ),
    ("group", "$states.input.order.items{category: $sum(price)}"),
    (
        "map",
        "$map($states.input.order.items, function($i) { {\"sku\": $i.sku, \"line\": $i.price * $i.quantity} })",
    ),
    (
        "join",
        "$join($states.input.order.items[category = 'books'].sku, ',')",
    ),
    (
        "reduce",
        "$reduce($states.input.order.items, function($acc, $i) { $acc + $i.quantity }, 0)",
    ),
    (
        "keys-in",
        "'gift' in $states.input.order.tags and $count($keys($states.input.order.metadata)) = 4",
    ),
    (
        "regex",
        "$contains($states.input.order.customer.email, /@example\\.com$/)",
    ),
];

fn main() {
    let input = order_input();
    if let Some(path) = std::env::args().nth(1) {
        let cases: Vec<Value> = EXPRESSIONS
            .iter()
            .map(|(name, expr)| json!({"name": name, "expr": expr, "input": input, "iters": 200, "runs": 11, "warmup": 2}))
            .collect();
        std::fs::write(&path, Value::Array(cases).to_string()).expect("write cases");
    }
    let states = json!({"input": input});
    let bindings = Bindings::from_pairs(&[("states", &states)]);
    let mut env = FixedEnv::default();
    let n = 2000;
    for (name, e) in EXPRESSIONS {
        let c = jsonata::compile(e).expect("compile");
        if std::env::var("BENCH_PRINT").is_ok() {
            let r = c
                .evaluate(Some(&input), &bindings, &mut env)
                .expect("evaluate");
            println!("RESULT {name} {}", r.unwrap_or(Value::Null));
        }
        for _ in 0..100 {
            let _ = c
                .evaluate(Some(&input), &bindings, &mut env)
                .expect("evaluate");
        }
        let t1 = Instant::now();
        for _ in 0..n {
            let _ = c
                .evaluate(Some(&input), &bindings, &mut env)
                .expect("evaluate");
        }
        let eval_only = t1.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!("{name:10} {eval_only:9.2} µs");
    }
}
