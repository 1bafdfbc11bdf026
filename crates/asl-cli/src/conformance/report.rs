//! Per-topic pass-rate tables for `asl conformance`.

use std::collections::BTreeMap;

/// The verdict of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Pass,
    Fail,
    /// The case has no recorded history (`events: null`): excluded from history rates.
    NotApplicable,
}

impl Verdict {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "n/a",
        }
    }
}

/// Counts of one topic.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TopicCounts {
    pub cases: usize,
    pub result_pass: usize,
    pub history_cases: usize,
    pub history_pass: usize,
}

impl TopicCounts {
    pub(crate) fn add(&mut self, result: Verdict, history: Verdict) {
        self.cases += 1;
        if result == Verdict::Pass {
            self.result_pass += 1;
        }
        if history != Verdict::NotApplicable {
            self.history_cases += 1;
            if history == Verdict::Pass {
                self.history_pass += 1;
            }
        }
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

/// The topic of a case id: the part before the first `__`.
pub(crate) fn topic_of(id: &str) -> &str {
    id.split("__").next().unwrap_or(id)
}

/// Renders the per-topic table as Markdown (readable in a terminal too).
pub(crate) fn table(topics: &BTreeMap<String, TopicCounts>) -> String {
    let mut out = String::new();
    out.push_str(
        "| topic | cases | result pass | result % | history cases | history pass | history % |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let mut total = TopicCounts::default();
    for (topic, c) in topics {
        out.push_str(&format!(
            "| {topic} | {} | {} | {} | {} | {} | {} |\n",
            c.cases,
            c.result_pass,
            pct(c.result_pass, c.cases),
            c.history_cases,
            c.history_pass,
            pct(c.history_pass, c.history_cases)
        ));
        total.cases += c.cases;
        total.result_pass += c.result_pass;
        total.history_cases += c.history_cases;
        total.history_pass += c.history_pass;
    }
    out.push_str(&format!(
        "| **total** | **{}** | **{}** | **{}** | **{}** | **{}** | **{}** |\n",
        total.cases,
        total.result_pass,
        pct(total.result_pass, total.cases),
        total.history_cases,
        total.history_pass,
        pct(total.history_pass, total.history_cases)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_table() {
        let mut topics = BTreeMap::new();
        let t: &mut TopicCounts = topics.entry("base".to_string()).or_default();
        t.add(Verdict::Pass, Verdict::Fail);
        t.add(Verdict::Fail, Verdict::NotApplicable);
        let text = table(&topics);
        assert!(
            text.contains("| base | 2 | 1 | 50.0% | 1 | 0 | 0.0% |"),
            "{text}"
        );
        assert_eq!(topic_of("base__test_x__1"), "base");
    }
}
