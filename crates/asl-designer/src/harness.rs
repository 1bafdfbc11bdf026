//! A test harness that drives the designer with gestures and a tiny command script, and
//! checks the document invariants after every command.

use std::collections::HashSet;

use serde_json::Value;

use crate::catalogue::{Palette, QueryLanguage};
use crate::commands::{Capture, Command, Edge, Position, ScopeRef};
use crate::designer::{Designer, Outcome};
use crate::document::Document;
use crate::keymap;
use crate::outline::{Outline, Via};
use crate::selection::Selection;
use crate::text::{Span, apply_edits};

/// Drives a [`Designer`] and checks invariants after every command.
pub(crate) struct DesignerHarness {
    pub(crate) designer: Designer,
    /// One line per command: what it did.
    pub(crate) log: Vec<String>,
}

/// Facts about a document that visual commands must keep once they hold.
#[derive(Debug, Default)]
struct Facts {
    parses: bool,
    no_dangling: bool,
    start_ok: bool,
    unique: bool,
}

fn facts(doc: &Document) -> Facts {
    let a = doc.analysis();
    if !a.is_ok() {
        return Facts::default();
    }
    let o = &a.outline;
    Facts {
        parses: true,
        no_dangling: o.dangling().is_empty(),
        start_ok: start_ok(o),
        unique: {
            let mut seen = HashSet::new();
            o.states.iter().all(|s| seen.insert(s.name.as_str()))
        },
    }
}

fn start_ok(o: &Outline) -> bool {
    o.scopes.iter().all(|sc| {
        sc.states.is_empty()
            || sc
                .start_at
                .as_deref()
                .is_some_and(|s| sc.states.iter().any(|&i| o.states[i].name == s))
    })
}

impl DesignerHarness {
    pub(crate) fn new(text: &str) -> DesignerHarness {
        DesignerHarness {
            designer: Designer::new(Document::new(text)),
            log: Vec::new(),
        }
    }

    pub(crate) fn empty() -> DesignerHarness {
        DesignerHarness {
            designer: Designer::default(),
            log: Vec::new(),
        }
    }

    pub(crate) fn text(&self) -> &str {
        self.designer.text()
    }

    /// Applies a command and checks every invariant.
    pub(crate) fn run(&mut self, command: Command) -> Outcome {
        let before = self.designer.document().clone();
        let before_facts = facts(&before);
        let capture = command.capture();
        let label = format!("{command:?}");
        let visual = capture == Capture::Immediately && !matches!(command, Command::ReplaceText(_));
        let out = self.designer.apply(command);
        let after = self.designer.document().clone();
        // The edits mirror the change exactly, so the code editor stays in sync.
        assert_eq!(
            apply_edits(before.text(), &out.edits),
            after.text(),
            "the outcome's edits do not reproduce the new text"
        );
        if out.error.is_some() {
            assert_eq!(*before, *after, "a failed command changed the document");
        }
        if visual && out.error.is_none() {
            let f = facts(&after);
            assert!(
                !before_facts.parses || f.parses,
                "{label}: a visual command broke the syntax:\n{}",
                after.text()
            );
            // The one allowed exception: a Choice's Default whose target was deleted or moved
            // to another block stays (flagged by the validator), and the outcome says so.
            let unexplained: Vec<(String, String)> = after
                .outline()
                .dangling()
                .into_iter()
                .filter(|(from, to)| {
                    let flagged_default = after.outline().find(from).is_some_and(|st| {
                        st.transitions
                            .iter()
                            .any(|t| t.via == crate::outline::Via::Default && t.target == *to)
                    }) && out
                        .notice
                        .as_deref()
                        .is_some_and(|n| n.contains(&format!("{from:?}")));
                    !flagged_default
                })
                .collect();
            assert!(
                !before_facts.no_dangling || unexplained.is_empty(),
                "{label}: dangling transitions: {unexplained:?}\n{}\nbefore:\n{}",
                after.text(),
                before.text()
            );
            assert!(
                !before_facts.start_ok || f.start_ok,
                "{label}: StartAt names no state of its block:\n{}",
                after.text()
            );
            assert!(
                !before_facts.unique || f.unique,
                "{label}: duplicate state names:\n{}",
                after.text()
            );
            let o = after.outline();
            for name in after.layout().states.keys() {
                assert!(
                    o.contains(name),
                    "layout override for missing state {name:?}"
                );
            }
        }
        if out.document_changed
            && capture == Capture::Immediately
            && !self.designer.history.in_transaction()
        {
            self.check_undo_redo(&before, &after);
        }
        out
    }

    /// Undo must restore the previous revision and redo the new one, byte for byte.
    fn check_undo_redo(&mut self, before: &Document, after: &Document) {
        let burst = self.designer.history.burst_state();
        let selection = self.designer.selection().clone();
        let u = self.designer.apply(Command::Undo);
        assert_eq!(
            self.designer.text(),
            before.text(),
            "undo did not restore the text"
        );
        assert_eq!(
            **self.designer.document(),
            *before,
            "undo did not restore the document"
        );
        assert_eq!(apply_edits(after.text(), &u.edits), before.text());
        let r = self.designer.apply(Command::Redo);
        assert_eq!(
            self.designer.text(),
            after.text(),
            "redo did not restore the text"
        );
        assert_eq!(
            **self.designer.document(),
            *after,
            "redo did not restore the document"
        );
        assert_eq!(apply_edits(before.text(), &r.edits), after.text());
        self.designer.history.set_burst_state(burst);
        self.designer.apply(Command::Select(selection));
    }

    pub(crate) fn add_state_on_edge(&mut self, from: &str, to: &str, palette: Palette) -> Outcome {
        self.run(Command::AddState {
            palette,
            at: Position::Edge(Edge::new(from, to)),
            name: None,
        })
    }

    pub(crate) fn rename(&mut self, from: &str, to: &str) -> Outcome {
        self.run(Command::Rename {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    pub(crate) fn press(&mut self, chord: &str) -> Outcome {
        let Some(shortcut) = keymap::lookup(chord) else {
            return Outcome {
                error: Some(format!("unbound chord {chord}")),
                ..Outcome::default()
            };
        };
        // Shortcuts become commands; run them through `run` so invariants are checked.
        let before = self.designer.document().clone();
        let out = self.designer.run_shortcut(shortcut);
        assert_eq!(apply_edits(before.text(), &out.edits), self.designer.text());
        out
    }

    pub(crate) fn type_text(&mut self, range: Span, text: &str) -> Outcome {
        self.run(Command::SetText {
            range,
            insert: text.to_owned(),
        })
    }

    /// Runs a command script (see `test_data/commands/README.md`) and returns the log.
    pub(crate) fn run_script(&mut self, script: &str) -> String {
        for (n, raw) in script.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (expect_error, line) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let out = match parse_line(line) {
                Ok(Step::Command(c)) => self.run(*c),
                Ok(Step::Press(chord)) => self.press(&chord),
                Err(e) => panic!("line {}: {e}: {line}", n + 1),
            };
            assert_eq!(
                out.error.is_some(),
                expect_error,
                "line {}: {line}: unexpected outcome {:?}",
                n + 1,
                out.error
            );
            let mut entry = format!("{line}\n");
            match &out.error {
                Some(e) => entry.push_str(&format!("  error: {e}\n")),
                None => {
                    for e in &out.edits {
                        entry.push_str(&format!("  edit {e}\n"));
                    }
                    if let Some(a) = &out.action {
                        entry.push_str(&format!("  action {a:?}\n"));
                    }
                    if let Some(notice) = &out.notice {
                        entry.push_str(&format!("  notice: {notice}\n"));
                    }
                    entry.push_str(&format!(
                        "  selection {:?}\n",
                        self.designer.selection().states
                    ));
                }
            }
            self.log.push(entry);
        }
        self.log.concat()
    }
}

// A short-lived test script step: boxing the command would only add noise.
#[allow(clippy::large_enum_variant)]
enum Step {
    Command(Box<Command>),
    Press(String),
}

fn scope_ref(s: &str) -> Result<ScopeRef, String> {
    if s == "top" {
        return Ok(ScopeRef::Top);
    }
    if let Some(rest) = s.strip_prefix("branch:") {
        let (state, i) = rest.rsplit_once(':').ok_or("branch:<state>:<index>")?;
        return Ok(ScopeRef::Branch {
            state: state.to_owned(),
            index: i.parse().map_err(|_| "bad branch index")?,
        });
    }
    if let Some(state) = s.strip_prefix("processor:") {
        return Ok(ScopeRef::Processor {
            state: state.to_owned(),
        });
    }
    Err(format!("unknown scope {s:?}"))
}

fn position(args: &[&str]) -> Result<(Position, usize), String> {
    match args.first().copied() {
        Some("edge") if args.len() >= 3 => Ok((Position::Edge(Edge::new(args[1], args[2])), 3)),
        Some("start") if args.len() >= 2 => Ok((Position::Start(scope_ref(args[1])?), 2)),
        Some("end") if args.len() >= 2 => Ok((Position::End(scope_ref(args[1])?), 2)),
        Some("detached") if args.len() >= 2 => Ok((Position::Detached(scope_ref(args[1])?), 2)),
        Some("after") if args.len() >= 2 => Ok((Position::After(args[1].to_owned()), 2)),
        _ => Err("expected edge|start|end|detached|after".to_owned()),
    }
}

fn json(s: &str) -> Result<Value, String> {
    serde_json::from_str(s).map_err(|e| format!("bad JSON: {e}"))
}

fn state_arg(s: &str) -> Option<String> {
    if s == "-" { None } else { Some(s.to_owned()) }
}

fn index(s: &str) -> Result<usize, String> {
    s.parse().map_err(|_| format!("bad index {s:?}"))
}

fn via(s: &str) -> Result<Via, String> {
    match s {
        "next" => Ok(Via::Next),
        "default" => Ok(Via::Default),
        _ => {
            if let Some(i) = s.strip_prefix("choice:") {
                Ok(Via::Choice(index(i)?))
            } else if let Some(i) = s.strip_prefix("catch:") {
                Ok(Via::Catch(index(i)?))
            } else {
                Err(format!("bad transition {s:?}"))
            }
        }
    }
}

fn parse_line(line: &str) -> Result<Step, String> {
    let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
    // State names cannot contain `|`, so it separates arguments; a JSON argument is always
    // the last one and takes the rest of the line.
    let args: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('|').map(str::trim).collect()
    };
    let arg = |i: usize| {
        args.get(i)
            .copied()
            .ok_or_else(|| format!("missing argument {}", i + 1))
    };
    let tail = |i: usize| -> Option<String> {
        if i < args.len() {
            Some(args[i..].join("|"))
        } else {
            None
        }
    };
    let json_at = |i: usize| -> Result<Value, String> {
        json(&tail(i).ok_or_else(|| format!("missing argument {}", i + 1))?)
    };
    let opt_json_at =
        |i: usize| -> Result<Option<Value>, String> { tail(i).map(|t| json(&t)).transpose() };
    let cmd = match verb {
        "press" => return Ok(Step::Press(arg(0)?.to_owned())),
        "add" => {
            let palette = Palette::from_script_name(arg(0)?).ok_or("unknown palette entry")?;
            let (at, used) = position(&args[1..])?;
            Command::AddState {
                palette,
                at,
                name: args.get(1 + used).map(|s| (*s).to_owned()),
            }
        }
        "pattern" => {
            let (at, _) = position(&args[1..])?;
            Command::InsertPattern {
                id: arg(0)?.to_owned(),
                at,
            }
        }
        "move" => {
            let (to, _) = position(&args[1..])?;
            Command::MoveState {
                state: arg(0)?.to_owned(),
                to,
            }
        }
        "delete" => Command::DeleteStates(args.iter().map(|s| (*s).to_owned()).collect()),
        "duplicate" => Command::Duplicate(arg(0)?.to_owned()),
        "rename" => Command::Rename {
            from: arg(0)?.to_owned(),
            to: arg(1)?.to_owned(),
        },
        "next" => Command::SetNext {
            state: arg(0)?.to_owned(),
            next: Some(arg(1)?.to_owned()),
        },
        "end" => Command::SetNext {
            state: arg(0)?.to_owned(),
            next: None,
        },
        "transition" => Command::SetTransition {
            state: arg(0)?.to_owned(),
            via: via(arg(1)?)?,
            target: arg(2)?.to_owned(),
        },
        "set" => Command::SetField {
            state: state_arg(arg(0)?),
            pointer: arg(1)?.to_owned(),
            value: Some(json_at(2)?),
        },
        "unset" => Command::SetField {
            state: state_arg(arg(0)?),
            pointer: arg(1)?.to_owned(),
            value: None,
        },
        "add-rule" => Command::AddChoiceRule {
            state: arg(0)?.to_owned(),
            rule: opt_json_at(1)?,
        },
        "set-rule" => Command::SetChoiceRule {
            state: arg(0)?.to_owned(),
            index: index(arg(1)?)?,
            rule: json_at(2)?,
        },
        "remove-rule" => Command::RemoveChoiceRule {
            state: arg(0)?.to_owned(),
            index: index(arg(1)?)?,
        },
        "add-retry" => Command::AddRetry {
            state: arg(0)?.to_owned(),
            retrier: opt_json_at(1)?,
        },
        "remove-retry" => Command::RemoveRetry {
            state: arg(0)?.to_owned(),
            index: index(arg(1)?)?,
        },
        "add-catch" => Command::AddCatch {
            state: arg(0)?.to_owned(),
            next: arg(1)?.to_owned(),
            catcher: opt_json_at(2)?,
        },
        "remove-catch" => Command::RemoveCatch {
            state: arg(0)?.to_owned(),
            index: index(arg(1)?)?,
        },
        "add-branch" => Command::AddBranch {
            state: arg(0)?.to_owned(),
        },
        "query-language" => Command::SetQueryLanguage {
            state: state_arg(arg(0)?),
            language: QueryLanguage::parse(arg(1)?).ok_or("JSONPath or JSONata")?,
        },
        "collapse" => Command::SetCollapsed {
            state: arg(0)?.to_owned(),
            collapsed: true,
        },
        "expand" => Command::SetCollapsed {
            state: arg(0)?.to_owned(),
            collapsed: false,
        },
        "format" => Command::FormatDocument,
        "convert" => Command::ConvertFormat(match arg(0)? {
            "json" => crate::document::Format::Json,
            "yaml" => crate::document::Format::Yaml,
            _ => return Err("convert json|yaml".to_owned()),
        }),
        "select" => Command::Select(Selection {
            states: args.iter().map(|s| (*s).to_owned()).collect(),
            edge: None,
        }),
        "type" => {
            let (s, e) = arg(0)?
                .split_once("..")
                .ok_or("type <start>..<end> | \"text\"")?;
            let text: String = serde_json::from_str(&tail(1).unwrap_or_default())
                .map_err(|e| format!("bad text: {e}"))?;
            Command::SetText {
                range: Span::new(index(s)?, index(e)?),
                insert: text,
            }
        }
        "undo" => Command::Undo,
        "redo" => Command::Redo,
        "begin" => Command::BeginTransaction,
        "commit" => Command::CommitTransaction,
        "abort" => Command::AbortTransaction,
        "checkpoint" => Command::Checkpoint,
        other => return Err(format!("unknown verb {other:?}")),
    };
    Ok(Step::Command(Box::new(cmd)))
}
