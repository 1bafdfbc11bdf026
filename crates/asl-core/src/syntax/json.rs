//! A recovering JSON reader that keeps byte spans and duplicate keys.
//!
//! It is iterative (an explicit stack, no recursion), so deeply nested input cannot overflow the
//! call stack; nesting beyond [`MAX_DEPTH`] is skipped with one diagnostic.

use serde_json::Number;

use super::{MAX_DEPTH, SYNTAX_ERROR, TOO_DEEP, TRAILING_COMMA, syntax_diag};
use crate::diagnostic::Diagnostic;
use crate::text::Span;
use crate::tree::{Member, Node, NodeKind};

#[derive(Debug)]
enum Tok {
    LBrace,
    RBrace,
    LBrack,
    RBrack,
    Colon,
    Comma,
    Scalar(NodeKind),
    /// A bare word (already reported); used as a key when one is expected.
    Word(String),
    Bad,
    Eof,
}

struct Token {
    tok: Tok,
    span: Span,
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Lexer<'t> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn next(&mut self, diags: &mut Vec<Diagnostic>) -> Token {
        self.skip_ws();
        // Comments are not JSON, but people write them; report them and read on.
        while self.bytes.get(self.pos) == Some(&b'/')
            && matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*'))
        {
            let start = self.pos;
            let end = if self.bytes[self.pos + 1] == b'/' {
                self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i)
            } else {
                self.text[start + 2..]
                    .find("*/")
                    .map_or(self.text.len(), |i| start + 2 + i + 2)
            };
            self.pos = end;
            diags.push(syntax_diag(
                SYNTAX_ERROR,
                "Comments are not allowed in JSON.",
                Span::new(start, end),
            ));
            self.skip_ws();
        }
        let start = self.pos;
        let Some(&b) = self.bytes.get(self.pos) else {
            return Token {
                tok: Tok::Eof,
                span: Span::new(start, start),
            };
        };
        let simple = match b {
            b'{' => Some(Tok::LBrace),
            b'}' => Some(Tok::RBrace),
            b'[' => Some(Tok::LBrack),
            b']' => Some(Tok::RBrack),
            b':' => Some(Tok::Colon),
            b',' => Some(Tok::Comma),
            _ => None,
        };
        if let Some(tok) = simple {
            self.pos += 1;
            return Token {
                tok,
                span: Span::new(start, start + 1),
            };
        }
        let tok = match b {
            b'"' => Tok::Scalar(NodeKind::String(self.string(diags))),
            b'-' | b'0'..=b'9' => self.number(diags),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while let Some(&c) = self.bytes.get(self.pos) {
                    if c.is_ascii_alphanumeric() || c == b'_' {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                match &self.text[start..self.pos] {
                    "true" => Tok::Scalar(NodeKind::Bool(true)),
                    "false" => Tok::Scalar(NodeKind::Bool(false)),
                    "null" => Tok::Scalar(NodeKind::Null),
                    word => {
                        diags.push(syntax_diag(
                            SYNTAX_ERROR,
                            format!("Unexpected word `{word}`; strings must be in double quotes."),
                            Span::new(start, self.pos),
                        ));
                        Tok::Word(word.to_owned())
                    }
                }
            }
            _ => {
                let ch = self.text[start..].chars().next().unwrap_or('\u{fffd}');
                self.pos += ch.len_utf8().max(1);
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    format!("Unexpected character `{}`.", ch.escape_debug()),
                    Span::new(start, self.pos),
                ));
                Tok::Bad
            }
        };
        Token {
            tok,
            span: Span::new(start, self.pos),
        }
    }

    fn string(&mut self, diags: &mut Vec<Diagnostic>) -> String {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut seg = self.pos;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                out.push_str(&self.text[seg..self.pos]);
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    "Unterminated string: missing closing `\"`.",
                    Span::new(start, self.pos),
                ));
                return out;
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[seg..self.pos]);
                    self.pos += 1;
                    return out;
                }
                b'\n' | b'\r' => {
                    out.push_str(&self.text[seg..self.pos]);
                    diags.push(syntax_diag(
                        SYNTAX_ERROR,
                        "Unterminated string: missing closing `\"` before the end of the line.",
                        Span::new(start, self.pos),
                    ));
                    return out;
                }
                b'\\' => {
                    out.push_str(&self.text[seg..self.pos]);
                    self.escape(&mut out, diags);
                    seg = self.pos;
                }
                0..=0x1f => {
                    diags.push(syntax_diag(
                        SYNTAX_ERROR,
                        "Control characters must be escaped inside strings.",
                        Span::new(self.pos, self.pos + 1),
                    ));
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String, diags: &mut Vec<Diagnostic>) {
        let start = self.pos;
        self.pos += 1;
        let Some(&e) = self.bytes.get(self.pos) else {
            return;
        };
        self.pos += 1;
        let c = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let Some(hi) = self.hex4() else {
                    diags.push(syntax_diag(
                        SYNTAX_ERROR,
                        "Invalid `\\u` escape: expected four hex digits.",
                        Span::new(start, self.pos),
                    ));
                    out.push('\u{fffd}');
                    return;
                };
                if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.pos) == Some(&b'\\')
                        && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        let save = self.pos;
                        self.pos += 2;
                        if let Some(lo) = self.hex4().filter(|lo| (0xDC00..0xE000).contains(lo)) {
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                            return;
                        }
                        self.pos = save;
                    }
                    out.push('\u{fffd}');
                    return;
                }
                char::from_u32(hi).unwrap_or('\u{fffd}')
            }
            _ => {
                // A multi-byte character after a backslash must not be split.
                while self.pos < self.bytes.len() && !self.text.is_char_boundary(self.pos) {
                    self.pos += 1;
                }
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    format!("Invalid escape `{}`.", &self.text[start..self.pos]),
                    Span::new(start, self.pos),
                ));
                return;
            }
        };
        out.push(c);
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(v)
    }

    fn number(&mut self, diags: &mut Vec<Diagnostic>) -> Tok {
        let start = self.pos;
        while let Some(&c) = self.bytes.get(self.pos) {
            if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let raw = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        if !is_json_number(raw) {
            diags.push(syntax_diag(
                SYNTAX_ERROR,
                format!("Invalid number `{raw}`."),
                span,
            ));
            return Tok::Bad;
        }
        let number = if raw.contains(['.', 'e', 'E']) {
            raw.parse::<f64>().ok().and_then(Number::from_f64)
        } else if let Ok(i) = raw.parse::<i64>() {
            Some(Number::from(i))
        } else if let Ok(u) = raw.parse::<u64>() {
            Some(Number::from(u))
        } else {
            raw.parse::<f64>().ok().and_then(Number::from_f64)
        };
        match number {
            Some(n) => Tok::Scalar(NodeKind::Number(n)),
            None => {
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    format!("Number `{raw}` is out of range."),
                    span,
                ));
                Tok::Bad
            }
        }
    }

    /// Skips a nested value whose opening bracket was just read, without building it.
    fn skip_nested(&mut self) -> usize {
        let mut depth = 1usize;
        let mut sink = Vec::new();
        loop {
            let t = self.next(&mut sink);
            sink.clear();
            match t.tok {
                Tok::LBrace | Tok::LBrack => depth += 1,
                Tok::RBrace | Tok::RBrack => {
                    depth -= 1;
                    if depth == 0 {
                        return t.span.end;
                    }
                }
                Tok::Eof => return t.span.end,
                _ => {}
            }
        }
    }
}

fn is_json_number(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i == b.len()
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// Object: a key or `}` (right after `{`).
    KeyOrEnd,
    /// Object: a key (after a comma).
    Key,
    /// Object: the colon after a key.
    Colon,
    /// Object: the value after a colon.
    MemberValue,
    /// Array: a value or `]` (right after `[`).
    ItemOrEnd,
    /// Array: a value (after a comma).
    Item,
    /// Either: a comma or the closing bracket.
    CommaOrEnd,
}

struct Frame {
    start: usize,
    is_object: bool,
    members: Vec<Member>,
    items: Vec<Node>,
    key: Option<(String, Span)>,
    expect: Expect,
}

impl Frame {
    fn new(start: usize, is_object: bool) -> Self {
        Frame {
            start,
            is_object,
            members: Vec::new(),
            items: Vec::new(),
            key: None,
            expect: if is_object {
                Expect::KeyOrEnd
            } else {
                Expect::ItemOrEnd
            },
        }
    }

    fn finish(mut self, end: usize) -> Node {
        let span = Span::new(self.start, end);
        if self.is_object {
            if let Some((key, key_span)) = self.key.take() {
                self.members.push(Member {
                    key,
                    key_span,
                    value: Node::new(NodeKind::Null, Span::new(key_span.end, key_span.end)),
                });
            }
            Node::new(NodeKind::Object(self.members), span)
        } else {
            Node::new(NodeKind::Array(self.items), span)
        }
    }
}

/// Reads JSON text into a spanned tree, reporting syntax problems instead of failing.
pub(crate) fn parse_json(text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lx = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: start,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut pending: Option<Token> = None;
    loop {
        let t = match pending.take() {
            Some(t) => t,
            None => lx.next(diags),
        };
        let Some(top) = stack.last_mut() else {
            // At the top level: read the root value, then expect the end of the input.
            if root.is_some() {
                if !matches!(t.tok, Tok::Eof) {
                    diags.push(syntax_diag(
                        SYNTAX_ERROR,
                        "Unexpected content after the end of the document.",
                        Span::new(t.span.start, text.len()),
                    ));
                }
                return root;
            }
            match t.tok {
                Tok::Eof => {
                    diags.push(syntax_diag(SYNTAX_ERROR, "The document is empty.", t.span));
                    return None;
                }
                Tok::LBrace | Tok::LBrack => {
                    stack.push(Frame::new(t.span.start, matches!(t.tok, Tok::LBrace)))
                }
                Tok::Scalar(kind) => root = Some(Node::new(kind, t.span)),
                Tok::Bad | Tok::Word(_) => {}
                _ => diags.push(syntax_diag(SYNTAX_ERROR, "Expected a JSON value.", t.span)),
            }
            continue;
        };
        let wants_value = matches!(
            top.expect,
            Expect::MemberValue | Expect::ItemOrEnd | Expect::Item
        );
        match t.tok {
            Tok::Eof => {
                let what = if top.is_object { "`}`" } else { "`]`" };
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    format!("Unexpected end of input: missing {what}."),
                    Span::new(top.start, (top.start + 1).min(text.len())),
                ));
                while let Some(frame) = stack.pop() {
                    let node = frame.finish(text.len());
                    attach(&mut stack, &mut root, node);
                }
                return root;
            }
            Tok::LBrace | Tok::LBrack if wants_value => {
                if stack.len() >= MAX_DEPTH {
                    let end = lx.skip_nested();
                    diags.push(syntax_diag(
                        TOO_DEEP,
                        format!("The document is nested more than {MAX_DEPTH} levels deep; the deeper part is ignored."),
                        Span::new(t.span.start, end),
                    ));
                    attach(
                        &mut stack,
                        &mut root,
                        Node::new(NodeKind::Null, Span::new(t.span.start, end)),
                    );
                } else {
                    stack.push(Frame::new(t.span.start, matches!(t.tok, Tok::LBrace)));
                }
            }
            Tok::Scalar(kind) if wants_value => {
                attach(&mut stack, &mut root, Node::new(kind, t.span))
            }
            Tok::Bad | Tok::Word(_) if wants_value => {
                // The lexer already reported it; keep a placeholder so the structure stays intact.
                attach(&mut stack, &mut root, Node::new(NodeKind::Null, t.span));
            }
            Tok::Bad => {}
            Tok::Word(key) if matches!(top.expect, Expect::KeyOrEnd | Expect::Key) => {
                top.key = Some((key, t.span));
                top.expect = Expect::Colon;
            }
            Tok::Word(_) => {}
            Tok::Scalar(NodeKind::String(key))
                if matches!(top.expect, Expect::KeyOrEnd | Expect::Key) =>
            {
                top.key = Some((key, t.span));
                top.expect = Expect::Colon;
            }
            Tok::Scalar(NodeKind::String(key))
                if top.is_object && top.expect == Expect::CommaOrEnd =>
            {
                diags.push(syntax_diag(
                    SYNTAX_ERROR,
                    "Missing `,` between object members.",
                    Span::new(t.span.start, t.span.start),
                ));
                top.key = Some((key, t.span));
                top.expect = Expect::Colon;
            }
            Tok::Colon if top.expect == Expect::Colon => top.expect = Expect::MemberValue,
            Tok::Comma if top.expect == Expect::CommaOrEnd => {
                top.expect = if top.is_object {
                    Expect::Key
                } else {
                    Expect::Item
                };
            }
            Tok::RBrace | Tok::RBrack => {
                let closes_top = top.is_object == matches!(t.tok, Tok::RBrace);
                if closes_top {
                    match top.expect {
                        Expect::Key | Expect::Item => diags.push(syntax_diag(
                            TRAILING_COMMA,
                            "Trailing comma before the closing bracket.",
                            t.span,
                        )),
                        Expect::Colon => diags.push(syntax_diag(
                            SYNTAX_ERROR,
                            "Expected `:` after the key.",
                            t.span,
                        )),
                        Expect::MemberValue => diags.push(syntax_diag(
                            SYNTAX_ERROR,
                            "Expected a value after `:`.",
                            t.span,
                        )),
                        _ => {}
                    }
                    let frame = stack.pop().expect("stack is not empty");
                    let node = frame.finish(t.span.end);
                    attach(&mut stack, &mut root, node);
                } else {
                    let what = if top.is_object { "`}`" } else { "`]`" };
                    diags.push(syntax_diag(
                        SYNTAX_ERROR,
                        format!("Mismatched bracket: expected {what}."),
                        t.span,
                    ));
                    let frame = stack.pop().expect("stack is not empty");
                    let node = frame.finish(t.span.start);
                    attach(&mut stack, &mut root, node);
                    pending = Some(t);
                }
            }
            other => {
                let msg = match top.expect {
                    Expect::KeyOrEnd | Expect::Key => "Expected a string key in double quotes.",
                    Expect::Colon => "Expected `:` after the key.",
                    Expect::MemberValue | Expect::ItemOrEnd | Expect::Item => "Expected a value.",
                    Expect::CommaOrEnd if top.is_object => "Expected `,` or `}`.",
                    Expect::CommaOrEnd => "Expected `,` or `]`.",
                };
                diags.push(syntax_diag(SYNTAX_ERROR, msg, t.span));
                match (top.expect, other) {
                    // A missing colon: take the value as the member's value.
                    (Expect::Colon, tok @ (Tok::LBrace | Tok::LBrack | Tok::Scalar(_))) => {
                        top.expect = Expect::MemberValue;
                        pending = Some(Token { tok, span: t.span });
                    }
                    // A missing comma in an array: take the value as the next item.
                    (Expect::CommaOrEnd, tok @ (Tok::LBrace | Tok::LBrack | Tok::Scalar(_)))
                        if !top.is_object =>
                    {
                        top.expect = Expect::Item;
                        pending = Some(Token { tok, span: t.span });
                    }
                    (_, Tok::LBrace | Tok::LBrack) => {
                        // A nested value where none may be: skip it as a whole.
                        lx.skip_nested();
                    }
                    (Expect::Colon, Tok::Comma) => {
                        if let Some((key, key_span)) = top.key.take() {
                            top.members.push(Member {
                                key,
                                key_span,
                                value: Node::new(
                                    NodeKind::Null,
                                    Span::new(key_span.end, key_span.end),
                                ),
                            });
                        }
                        top.expect = Expect::Key;
                    }
                    _ => {}
                }
            }
        }
    }
}

fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    let Some(top) = stack.last_mut() else {
        *root = Some(node);
        return;
    };
    if top.is_object {
        let (key, key_span) = top
            .key
            .take()
            .unwrap_or_else(|| (String::new(), Span::new(node.span.start, node.span.start)));
        top.members.push(Member {
            key,
            key_span,
            value: node,
        });
    } else {
        top.items.push(node);
    }
    top.expect = Expect::CommaOrEnd;
}
