//! Fuzz target: any bytes, read as JSON and as YAML, must parse, validate (Standard and Express)
//! and draw (graph build, layout, SVG) without panicking, and every diagnostic span must lie
//! inside the text.

#![no_main]

use asl_core::{Format, MachineType, ValidateOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first byte picks the validation options, so both machine types get covered.
    let opts = ValidateOptions {
        machine_type: match data.first().map(|b| b % 3) {
            Some(1) => Some(MachineType::Standard),
            Some(2) => Some(MachineType::Express),
            _ => None,
        },
    };
    for format in [Format::Json, Format::Yaml, asl_core::detect_format(&text)] {
        let parse = asl_core::parse(&text, format);
        let diags = asl_core::validate(&parse, &opts);
        for d in diags.iter().chain(parse.diagnostics.iter()) {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "diagnostic span {:?} outside the text ({} bytes): {:?}",
                d.span,
                text.len(),
                d
            );
        }
        for (_, name_span, span) in asl_core::state_spans(&parse) {
            assert!(name_span.end <= text.len() && span.end <= text.len());
        }
        // The drawing pipeline on the best-effort value.
        let graph = asl_graph::build(parse.value());
        let scene = asl_graph::layout(&graph, &asl_graph::RenderOptions::default());
        let _ = asl_graph::to_svg(&scene, &asl_graph::SvgOptions::default());
    }
});
