//! Fuzz target: any bytes, read as JSON and as YAML, must parse and validate without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for format in [asl_core::Format::Json, asl_core::Format::Yaml] {
        let (parse, diags) = asl_core::check(&text, format);
        for d in diags.iter().chain(parse.diagnostics.iter()) {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        }
        let _ = asl_core::state_spans(&parse);
    }
});
