//! Requires literal timestamps (Wait `Timestamp`, Choice `Timestamp…` operands) to be RFC 3339 with uppercase `T` and `Z`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::StateKind;
use crate::model::build::is_jsonata;
use crate::model::choice::ChoiceRule;
use crate::text::Span;
use crate::tree::{NodeKind, push_key};
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL410",
    name: "timestamp_format",
    severity: Severity::Error,
    summary: "A literal timestamp that is not RFC 3339 (`2024-01-31T12:00:00Z`, uppercase `T` and `Z` or a numeric offset).",
    check: Some(check),
};

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    s.iter()
        .all(u8::is_ascii_digit)
        .then(|| s.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
}

/// Tells whether a string is an RFC 3339 date-time with uppercase `T` and `Z`.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let ok = (|| {
        let (_, mo, d) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
        let (h, mi, se) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
        if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
            return None;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        match b.get(i) {
            Some(b'Z') => (i + 1 == b.len()).then_some(()),
            Some(b'+' | b'-') => {
                let (oh, om) = (digits(b, i + 1, 2)?, digits(b, i + 4, 2)?);
                (b[i + 3] == b':' && oh <= 23 && om <= 59 && i + 6 == b.len()).then_some(())
            }
            _ => None,
        }
    })();
    ok.is_some()
}

fn report(ptr: String, span: Span, value: &str, out: &mut Vec<Diagnostic>) {
    out.push(diag(
        &RULE,
        ptr,
        span,
        format!("\"{value}\" is not an RFC 3339 timestamp such as \"2024-01-31T12:00:00Z\"."),
    ));
}

fn check_rule(rule: &ChoiceRule, out: &mut Vec<Diagnostic>) {
    for c in &rule.comparisons {
        if c.operator.starts_with("Timestamp")
            && !c.operator.ends_with("Path")
            && let NodeKind::String(s) = &c.value.kind
            && !is_jsonata(s)
            && !is_rfc3339(s)
        {
            report(push_key(&rule.pointer, &c.operator), c.value.span, s, out);
        }
    }
    for r in rule.and.iter().chain(rule.or.iter()).flatten() {
        check_rule(r, out);
    }
    if let Some(r) = &rule.not {
        check_rule(r, out);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.states {
        match &s.state.kind {
            StateKind::Wait(w) => {
                if let Some(t) = &w.timestamp
                    && !is_jsonata(&t.value)
                    && !is_rfc3339(&t.value)
                {
                    report(
                        push_key(&s.state.pointer, "Timestamp"),
                        t.span,
                        &t.value,
                        out,
                    );
                }
            }
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    check_rule(rule, out);
                }
            }
            _ => {}
        }
    }
}
