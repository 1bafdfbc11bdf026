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
    if !parsed.value().is_object() {
        eprintln!(
            "asl render: warning: {} does not contain a state machine object",
            args.machine
        );
    }
    let svg = render_svg(
        parsed.value(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn unusable_arguments_exit_with_2() {
        for bad in [
            &[][..],
            &["--theme", "blue", "m.json"][..],
            &["m.json", "-o"][..],
            &["a.json", "b.json"][..],
            &["--frobnicate", "m.json"][..],
        ] {
            assert_eq!(parse_args(args(bad)).err(), Some(2), "{bad:?}");
        }
        let ok = parse_args(args(&["m.yaml", "--theme=dark", "-o", "out.svg"]))
            .expect("valid arguments");
        assert_eq!(ok.machine, "m.yaml");
        assert_eq!(ok.output.as_deref(), Some("out.svg"));
        assert_eq!(ok.theme, Theme::Dark);
    }

    #[test]
    fn renders_yaml_to_a_file() {
        let dir = std::env::temp_dir().join(format!("asl-render-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let machine = dir.join("m.asl.yaml");
        let out = dir.join("m.svg");
        std::fs::write(&machine, "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    End: true\n")
            .expect("machine written");
        let code = run(args(&[
            machine.to_str().unwrap_or_default(),
            "-o",
            out.to_str().unwrap_or_default(),
        ]));
        let svg = std::fs::read_to_string(&out).unwrap_or_default();
        let missing = run(args(&[dir
            .join("absent.json")
            .to_str()
            .unwrap_or_default()]));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(code, 0);
        assert!(svg.contains(r#"data-state="A" data-type="Task""#), "{svg}");
        assert!(svg.contains("Lambda: Invoke"));
        assert_eq!(missing, 2);
    }
}
