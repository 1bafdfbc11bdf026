//! Shared helpers for the variable rules: where variables are assigned and where they are read.

use crate::model::build::is_jsonata;
use crate::model::{QueryLanguage, StateKind};
use crate::text::Span;
use crate::tree::{Node, NodeKind, PointerArena, Seg, push_key};
use crate::validate::Ctx;

/// One variable assignment (a key of an `Assign` object).
pub(crate) struct AssignSite {
    /// The scope (`States` block index) whose variables the assignment writes.
    pub(crate) scope: usize,
    /// The variable name (without `.$`).
    pub(crate) name: String,
    /// The key as written.
    pub(crate) key: String,
    /// Pointer to the key's value.
    pub(crate) pointer: String,
    /// Span of the key.
    pub(crate) key_span: Span,
    /// Pointer of the state the assignment belongs to.
    pub(crate) owner: String,
    /// True when the assignment is in a catcher.
    pub(crate) from_catch: bool,
}

fn push_sites(
    node: Option<&Node>,
    scope: usize,
    ptr: &str,
    owner: &str,
    out: &mut Vec<AssignSite>,
) {
    let Some(members) = node.and_then(Node::as_object) else {
        return;
    };
    for m in members {
        out.push(AssignSite {
            scope,
            name: m.key.strip_suffix(".$").unwrap_or(&m.key).to_owned(),
            key: m.key.clone(),
            pointer: push_key(ptr, &m.key),
            key_span: m.key_span,
            owner: owner.to_owned(),
            from_catch: ptr.contains("/Catch/") && ptr.starts_with(&format!("{owner}/Catch/")),
        });
    }
}

/// Lists every `Assign` key in the machine: states, catchers and Choice rules.
pub(crate) fn assign_sites(ctx: &Ctx) -> Vec<AssignSite> {
    let mut out = Vec::new();
    for s in &ctx.states {
        let st = s.state;
        // Pointers are built only for the few states that assign something.
        if let Some(assign) = &st.common.assign {
            let ptr = push_key(&st.pointer, "Assign");
            push_sites(Some(assign), s.scope, &ptr, &st.pointer, &mut out);
        }
        for c in st.catchers() {
            if let Some(assign) = &c.assign {
                let ptr = push_key(&c.pointer, "Assign");
                push_sites(Some(assign), s.scope, &ptr, &st.pointer, &mut out);
            }
        }
        if let StateKind::Choice(c) = &st.kind {
            for r in &c.choices {
                if let Some(assign) = &r.assign {
                    let ptr = push_key(&r.pointer, "Assign");
                    push_sites(Some(assign), s.scope, &ptr, &st.pointer, &mut out);
                }
            }
        }
    }
    out
}

/// A string found in a state, with the field it sits in.
pub(crate) struct StringSite<'a> {
    /// The text.
    pub(crate) text: &'a str,
    /// Id of the string's pointer in the arena returned alongside.
    pub(crate) id: usize,
    /// Span of the string.
    pub(crate) span: Span,
    /// The top-level field of the state it belongs to (e.g. `Output`, `Catch`).
    pub(crate) field: &'a str,
    /// For strings inside `Catch`, the catcher's field (e.g. `Output`).
    pub(crate) catch_field: Option<&'a str>,
    /// True when the string is the value of a `.$` key or a path-like field in a JSONPath state.
    pub(crate) is_path: bool,
}

fn is_path_field(key: &str) -> bool {
    key.ends_with(".$") || key.ends_with("Path") || key == "Variable"
}

/// Lists every string containing `$` in a state's own fields (nested branches and processors excluded).
pub(crate) fn state_strings<'a>(
    node: &'a Node,
    ptr: &'a str,
) -> (Vec<StringSite<'a>>, PointerArena<'a>) {
    strings_where(node, ptr, |s| s.contains('$'))
}

/// Tells whether a string may name a variable: a `$` followed by a letter or `_` (what
/// [`jsonata_refs`] and [`jsonpath_refs`] look for), so the others need no closer look.
pub(crate) fn may_reference_variable(s: &str) -> bool {
    s.match_indices('$')
        .any(|(i, _)| s[i + 1..].chars().next().is_some_and(is_ident_start))
}

/// Lists every string accepted by `want` in a state's own fields (nested branches and processors excluded).
pub(crate) fn strings_where<'a>(
    node: &'a Node,
    ptr: &'a str,
    want: impl Fn(&str) -> bool,
) -> (Vec<StringSite<'a>>, PointerArena<'a>) {
    let mut out = Vec::new();
    let Some(members) = node.as_object() else {
        return (out, PointerArena::new(ptr));
    };
    let own = |key: &str| {
        !matches!(
            key,
            "Branches" | "ItemProcessor" | "Iterator" | "Type" | "Comment" | "Resource"
        )
    };
    // Most states have no string of interest: find out without building pointers.
    if !members
        .iter()
        .any(|m| own(&m.key) && any_string(&m.value, &want, 0))
    {
        return (out, PointerArena::new(ptr));
    }
    let mut arena = PointerArena::new(ptr);
    for m in members {
        if !own(&m.key) {
            continue;
        }
        let field = m.key.as_str();
        let id = arena.push(0, Seg::Key(&m.key));
        let mut todo: Vec<(&Node, usize, Option<&str>, bool)> =
            vec![(&m.value, id, None, is_path_field(&m.key))];
        while let Some((n, id, catch_field, is_path)) = todo.pop() {
            match &n.kind {
                NodeKind::String(s) if want(s) => out.push(StringSite {
                    text: s,
                    id,
                    span: n.span,
                    field,
                    catch_field,
                    is_path,
                }),
                NodeKind::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let child = arena.push(id, Seg::Index(i));
                        todo.push((item, child, catch_field, is_path));
                    }
                }
                NodeKind::Object(ms) => {
                    for mm in ms {
                        if mm.key == "Comment" {
                            continue;
                        }
                        let cf = if field == "Catch" && catch_field.is_none() {
                            Some(mm.key.as_str())
                        } else {
                            catch_field
                        };
                        let child = arena.push(id, Seg::Key(&mm.key));
                        todo.push((&mm.value, child, cf, is_path_field(&mm.key)));
                    }
                }
                _ => {}
            }
        }
    }
    (out, arena)
}

/// Tells whether a value holds a string accepted by `want` (object members named `Comment`
/// skipped, as [`strings_where`] does). Deeper than a few levels it answers `true`, leaving the
/// decision to the walk of [`strings_where`], so it needs neither a stack nor an allocation.
fn any_string(node: &Node, want: &impl Fn(&str) -> bool, depth: usize) -> bool {
    if depth > 32 {
        return true;
    }
    match &node.kind {
        NodeKind::String(s) => want(s),
        NodeKind::Array(items) => items.iter().any(|i| any_string(i, want, depth + 1)),
        NodeKind::Object(ms) => ms
            .iter()
            .any(|m| m.key != "Comment" && any_string(&m.value, want, depth + 1)),
        _ => false,
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Finds `$name` variable references in a JSONata expression, skipping strings, function calls,
/// local bindings (`$x :=`) and function parameters.
pub(crate) fn jsonata_refs(expr: &str) -> Vec<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut refs = Vec::new();
    let mut locals: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c == '$' && chars.get(i + 1).is_some_and(|&d| is_ident_start(d)) {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && is_ident_continue(chars[j]) {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            let mut k = j;
            while k < chars.len() && chars[k].is_whitespace() {
                k += 1;
            }
            let next = chars.get(k).copied();
            let binding = next == Some(':') && chars.get(k + 1) == Some(&'=');
            let in_params = is_function_param(&chars, i);
            if binding || in_params {
                locals.push(name);
            } else if next != Some('(') {
                refs.push(name);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    refs.retain(|r| r != "states" && !locals.contains(r));
    refs
}

/// Tells whether the `$` at `i` is inside the parameter list of `function(…)` or `λ(…)`.
fn is_function_param(chars: &[char], i: usize) -> bool {
    let mut k = i;
    // Parameter lists are short; a bounded look-back keeps long expressions linear.
    let stop = i.saturating_sub(256);
    while k > stop {
        k -= 1;
        match chars[k] {
            '(' => {
                let before: String = chars[k.saturating_sub(16)..k].iter().collect();
                let t = before.trim_end();
                return t.ends_with("function") || t.ends_with('λ');
            }
            ')' | '{' | '}' | ';' | '[' | ']' => return false,
            _ => {}
        }
    }
    false
}

/// Finds `$name` variable references in a JSONPath path or intrinsic call.
pub(crate) fn jsonpath_refs(path: &str) -> Vec<String> {
    let chars: Vec<char> = path.chars().collect();
    let mut refs = Vec::new();
    let mut i = 0;
    let mut in_quote = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            i += 2;
            continue;
        }
        if c == '\'' {
            in_quote = !in_quote;
        }
        if !in_quote
            && c == '$'
            && (i == 0 || chars[i - 1] != '$')
            && chars.get(i + 1).is_some_and(|&d| is_ident_start(d))
        {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && is_ident_continue(chars[j]) {
                j += 1;
            }
            refs.push(chars[start..j].iter().collect());
            i = j;
            continue;
        }
        i += 1;
    }
    refs
}

/// Lists the variables a string reads, given the query language of its state.
pub(crate) fn refs_of(site: &StringSite, ql: QueryLanguage) -> Vec<String> {
    if ql == QueryLanguage::Jsonata && is_jsonata(site.text) {
        jsonata_refs(&site.text[2..site.text.len() - 2])
    } else if ql == QueryLanguage::JsonPath && site.is_path {
        jsonpath_refs(site.text)
    } else {
        Vec::new()
    }
}
