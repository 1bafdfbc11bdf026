//! Checks numeric fields against their allowed ranges (timeouts, retry settings, Map limits).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{NumOrExpr, Spanned, StateKind};
use crate::tree::push_key;
use crate::validate::{Ctx, Rule, diag};

pub(crate) const RULE: Rule = Rule {
    code: "ASL108",
    name: "numeric_range",
    severity: Severity::Error,
    summary: "A number outside its allowed range, or a fraction where an integer is required.",
    check: Some(check),
};

const MAX: f64 = 99_999_999.0;

struct Limit {
    min: f64,
    max: f64,
    integer: bool,
}

fn check_value(
    value: Option<f64>,
    span: crate::text::Span,
    pointer: String,
    field: &str,
    limit: Limit,
    out: &mut Vec<Diagnostic>,
) {
    let Some(v) = value else { return };
    if limit.integer && v.fract() != 0.0 {
        out.push(diag(
            &RULE,
            pointer,
            span,
            format!("\"{field}\" must be an integer."),
        ));
    } else if v < limit.min || v > limit.max {
        let range = if limit.max.is_infinite() {
            format!("at least {}", limit.min)
        } else {
            format!("between {} and {}", limit.min, limit.max)
        };
        out.push(diag(
            &RULE,
            pointer,
            span,
            format!("\"{field}\" must be {range}, found {v}."),
        ));
    }
}

fn num(
    field: &Option<Spanned<NumOrExpr>>,
    base: &str,
    name: &str,
    limit: Limit,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(f) = field {
        check_value(
            f.value.number(),
            f.span,
            push_key(base, name),
            name,
            limit,
            out,
        );
    }
}

const fn int(min: f64, max: f64) -> Limit {
    Limit {
        min,
        max,
        integer: true,
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let Some(t) = &ctx.parse.machine.timeout_seconds {
        check_value(
            Some(t.value),
            t.span,
            "/TimeoutSeconds".into(),
            "TimeoutSeconds",
            int(1.0, MAX),
            out,
        );
    }
    for s in &ctx.states {
        let st = s.state;
        let p = &st.pointer;
        match &st.kind {
            StateKind::Task(t) => {
                num(&t.timeout_seconds, p, "TimeoutSeconds", int(1.0, MAX), out);
                num(
                    &t.heartbeat_seconds,
                    p,
                    "HeartbeatSeconds",
                    int(1.0, MAX),
                    out,
                );
            }
            StateKind::Wait(w) => num(&w.seconds, p, "Seconds", int(0.0, MAX), out),
            StateKind::Map(m) => {
                num(
                    &m.max_concurrency,
                    p,
                    "MaxConcurrency",
                    int(0.0, f64::INFINITY),
                    out,
                );
                num(
                    &m.tolerated_failure_percentage,
                    p,
                    "ToleratedFailurePercentage",
                    Limit {
                        min: 0.0,
                        max: 100.0,
                        integer: false,
                    },
                    out,
                );
                num(
                    &m.tolerated_failure_count,
                    p,
                    "ToleratedFailureCount",
                    int(0.0, f64::INFINITY),
                    out,
                );
            }
            _ => {}
        }
        for r in st.retriers() {
            let rp = &r.pointer;
            num(
                &r.interval_seconds,
                rp,
                "IntervalSeconds",
                int(1.0, MAX),
                out,
            );
            num(&r.max_attempts, rp, "MaxAttempts", int(0.0, MAX), out);
            num(
                &r.backoff_rate,
                rp,
                "BackoffRate",
                Limit {
                    min: 1.0,
                    max: f64::INFINITY,
                    integer: false,
                },
                out,
            );
            num(
                &r.max_delay_seconds,
                rp,
                "MaxDelaySeconds",
                int(1.0, 31_622_400.0),
                out,
            );
        }
    }
}
