//! A stable-toolchain "poor man's fuzz": thousands of seeded mutations of corpus and golden
//! definitions go through parse + validate, which must never panic.

use std::path::PathBuf;

use asl_core::{Format, ValidateOptions, check, parse, validate};

/// A small xorshift generator, so runs are reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\\u",
    "\\ud83d",
    "null",
    "true",
    "-",
    "1e999",
    "0.5",
    " ",
    "\n",
    "\t",
    "{%",
    "%}",
    "$.",
    "$$",
    "States.Format(",
    ".$",
    "\"Type\"",
    "\"Next\"",
    "\"End\": true",
    "é",
    "😀",
    "- ",
    ": ",
    "&a",
    "*a",
    "---",
];

fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../../../shared/conformance/cases");
    if let Ok(rd) = std::fs::read_dir(&corpus) {
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        // Every seventh case keeps the run fast while covering every topic.
        for p in paths.iter().step_by(7) {
            if let Ok(v) =
                serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(p).unwrap())
            {
                out.push(serde_json::to_string_pretty(&v["definition"]).unwrap());
            }
        }
    }
    for dir in [
        "test_data/parse/ok",
        "test_data/validate/choice_rule",
        "test_data/validate/undefined_variable",
    ] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            for e in rd.filter_map(Result::ok) {
                if e.path().is_file() {
                    out.push(std::fs::read_to_string(e.path()).unwrap());
                }
            }
        }
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(4) {
        let a = floor_boundary(&s, rng.below(s.len() + 1));
        let b = floor_boundary(&s, a + rng.below(16));
        match rng.below(5) {
            0 => s.truncate(a),
            1 => s.replace_range(a..b, ""),
            2 => s.insert_str(a, PIECES[rng.below(PIECES.len())]),
            3 => {
                let chunk = s[a..b].to_owned();
                s.insert_str(b, &chunk);
            }
            _ => s.replace_range(a..b, PIECES[rng.below(PIECES.len())]),
        }
    }
    s
}

#[test]
fn mutated_definitions_never_panic() {
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let opts = ValidateOptions::default();
    for i in 0..3000 {
        let seed = &seeds[rng.below(seeds.len())];
        let text = mutate(&mut rng, seed);
        let format = if i % 5 == 0 {
            Format::Yaml
        } else {
            Format::Json
        };
        let p = parse(&text, format);
        let v = validate(&p, &opts);
        let _ = asl_core::state_spans(&p);
        for d in p.diagnostics.iter().chain(v.iter()) {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "bad span {d:?}"
            );
            assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "span not on char boundary {d:?}"
            );
        }
    }
}

#[test]
fn every_prefix_of_a_definition_parses() {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("test_data/validate/unknown_field/ok_all_task_fields.asl.json"),
    )
    .unwrap();
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let _ = check(&text[..end], Format::Json);
        let _ = check(&text[..end], Format::Yaml);
    }
}

#[test]
fn pathological_shapes_stay_fast() {
    let wide: Vec<String> = (0..50_000)
        .map(|i| format!("\"k{i}.$\": \"$.v{}\"", i % 7))
        .collect();
    let expr: String = (0..20_000)
        .map(|i| format!("$v{} + ", i % 13))
        .collect::<String>()
        + "1";
    let cases = [
        format!(
            "{{\"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Parameters\": {{{}}}, \"End\": true}}}}}}",
            wide.join(",")
        ),
        format!(
            "{{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Output\": \"{{% {expr} %}}\", \"End\": true}}}}}}"
        ),
        format!(
            "{{\"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Result\": [{}], \"End\": true}}}}}}",
            vec!["1"; 200_000].join(",")
        ),
    ];
    for text in cases {
        let (p, _) = check(&text, Format::Json);
        assert!(p.tree.is_some());
    }
}
