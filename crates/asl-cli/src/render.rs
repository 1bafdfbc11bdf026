//! `asl render`: draws a state machine as a standalone SVG (the look of Workflow Studio).

use std::io::{Read as _, Write as _};

use asl_graph::{SvgOptions, Theme, render_svg};

const USAGE: &str = "\
asl render: draw a state machine as SVG

USAGE:
    asl render MACHINE [-o OUT.svg] [--theme light|dark]

MACHINE is a JSON or YAML definition (`-` reads standard input).
Without -o the SVG is written to standard output.";

/// Options of one `asl render` call.
struct Args {
    machine: String,
    output: Option<String>,
    theme: Theme,
}

/// Reads the arguments; `Err` carries the exit code after a message has been printed.
fn parse_args(args: Vec<String>) -> Result<Args, u8> {
    let mut machine = None;
    let mut output = None;
    let mut theme = Theme::Light;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Err(0);
            }
            "-o" | "--output" => match inline.or_else(|| it.next()) {
                Some(path) => output = Some(path),
                None => return Err(usage_error("-o needs a file name")),
            },
            "--theme" => match inline.or_else(|| it.next()).as_deref() {
                Some("light") => theme = Theme::Light,
                Some("dark") => theme = Theme::Dark,
                Some(other) => {
                    return Err(usage_error(&format!(
                        "unknown theme `{other}` (light or dark)"
                    )));
                }
                None => return Err(usage_error("--theme needs light or dark")),
            },
            _ if arg.starts_with('-') && arg != "-" => {
                return Err(usage_error(&format!("unknown option `{arg}`")));
            }
            _ => {
                if machine.is_some() {
                    return Err(usage_error("only one MACHINE can be rendered at a time"));
                }
                machine = Some(arg);
            }
        }
    }
    match machine {
        Some(machine) => Ok(Args {
            machine,
            output,
            theme,
        }),
        None => Err(usage_error("missing MACHINE")),
    }
}

fn usage_error(message: &str) -> u8 {
    eprintln!("asl render: {message}\n\n{USAGE}");
    2
}

/// Runs `asl render` and returns the exit code.
pub(crate) fn run(args: Vec<String>) -> u8 {
    let args = match parse_args(args) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let text = if args.machine == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("asl render: cannot read standard input: {e}");
            return 2;
        }
        text
    } else {
        match std::fs::read_to_string(&args.machine) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("asl render: cannot read {}: {e}", args.machine);
                return 2;
            }
        }
    };
    let parsed = asl_core::parse(&text, asl_core::detect_format(&text));
    if !parsed.value.is_object() {
        eprintln!(
            "asl render: warning: {} does not contain a state machine object",
            args.machine
        );
    }
    let svg = render_svg(
        &parsed.value,
        &SvgOptions {
            theme: args.theme,
            overlay: None,
            standalone: true,
        },
    );
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, svg) {
                eprintln!("asl render: cannot write {path}: {e}");
                return 2;
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(svg.as_bytes())
                .and_then(|()| stdout.flush())
            {
                eprintln!("asl render: cannot write to standard output: {e}");
                return 2;
            }
        }
    }
    0
}
