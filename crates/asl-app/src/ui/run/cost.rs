//! The cost estimate of the last run for Standard and Express workflows, with its assumptions
//! (the pricing itself is `asl_designer::pricing`).

use asl_designer::pricing::{PRICES, Usage, dollars, estimate};
use leptos::prelude::*;

use super::RunUi;
use crate::contexts::Studio;

/// The estimate card, shown once a run has events.
pub fn cost_view(ui: RunUi, studio: Studio) -> impl IntoView {
    let executions = RwSignal::new(1_000_000u64);
    move || {
        let events = ui.events.get();
        if events.is_empty() {
            return None;
        }
        let definition_bytes = studio.with(|d| {
            d.document()
                .machine_value()
                .0
                .map(|v| v.to_string().len())
                .unwrap_or(0)
        });
        let express = studio
            .with(|d| d.document().settings().machine_type == asl_designer::MachineType::Express);
        let usage = Usage::from_events(
            events
                .iter()
                .map(|e| (e.kind.as_str(), &e.details, e.at_ms)),
            definition_bytes,
        );
        let n = executions.get();
        let e = estimate(&usage, n, &PRICES);
        let p = &PRICES;
        Some(view! {
            <details class="cost" data-testid="run-cost">
                <summary data-testid="run-cost-summary">
                    {format!(
                        "Cost estimate: Standard {} · Express {} per run",
                        dollars(e.standard_run),
                        dollars(e.express_run)
                    )}
                </summary>
                <table class="cost-table">
                    <thead>
                        <tr><th></th><th>"This run"</th><th>{format!("{} runs a month", thousands(n))}</th></tr>
                    </thead>
                    <tbody>
                        <tr class:chosen=!express data-testid="cost-standard">
                            <td>{format!("Standard: {} state transitions", usage.transitions)}</td>
                            <td>{dollars(e.standard_run)}</td>
                            <td>{dollars(e.standard_month)}</td>
                        </tr>
                        <tr class:chosen=express data-testid="cost-express">
                            <td>{format!(
                                "Express: 1 request, {} ms × {} MB",
                                e.billed_duration_ms, e.billed_memory_mb
                            )}</td>
                            <td>{dollars(e.express_run)}</td>
                            <td>{dollars(e.express_month)}</td>
                        </tr>
                    </tbody>
                </table>
                <label>
                    "Runs a month "
                    <input
                        type="number"
                        min="1"
                        data-testid="cost-executions"
                        prop:value=move || executions.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                                executions.set(v.max(1));
                            }
                        }
                    />
                </label>
                <p class="muted small" data-testid="cost-assumptions">
                    {format!(
                        "AWS list prices, US East (N. Virginia). Standard: ${:.3} per 1,000 state transitions (each state entered and each retry), after {} free transitions a month (not applied to a single run). Express: {} per million requests, plus the duration rounded up to {} ms times memory billed in {} MB chunks, at $0.06 per GB-hour for the first 1,000 GB-hours a month, $0.03 for the next 4,000, $0.01642 beyond. Memory is estimated as AWS does: 50 MB + the definition ({} bytes) + the execution data size (the largest state payload in a Map iteration or Parallel branch, else in the run: {} bytes) × {} Map iterations or Parallel states, ≈ {:.2} MB. The duration is the simulated time: mocked tasks take no time unless a delay is mocked, so real runs cost more.",
                        p.per_transition * 1000.0,
                        thousands(p.free_transitions),
                        dollars(p.per_request * 1_000_000.0),
                        p.duration_step_ms,
                        p.memory_chunk_mb,
                        usage.definition_bytes,
                        usage.data_bytes,
                        usage.map_parallel_steps.max(1),
                        e.memory_mb,
                    )}
                </p>
            </details>
        })
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
