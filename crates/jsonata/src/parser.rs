//! The JSONata lexer and Pratt parser, producing the raw syntax tree of `ast.rs`.

use crate::Error;
use crate::ast::{Raw, RawKind};

/// The deepest nesting the parser accepts before reporting an error.
const MAX_PARSE_DEPTH: usize = 400;

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Op(&'static str),
    Str(String),
    Num(f64),
    Name(String),
    Var(String),
    Regex(String, String),
    True,
    False,
    Null,
    End,
}

const OPS2: [&str; 9] = ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"];
const OPS1: &str = ".[]{}(),@#;:?+-*/%|=<>^&!~";

fn op_str(c: char) -> &'static str {
    match c {
        '.' => ".",
        '[' => "[",
        ']' => "]",
        '{' => "{",
        '}' => "}",
        '(' => "(",
        ')' => ")",
        ',' => ",",
        '@' => "@",
        '#' => "#",
        ';' => ";",
        ':' => ":",
        '?' => "?",
        '+' => "+",
        '-' => "-",
        '*' => "*",
        '/' => "/",
        '%' => "%",
        '|' => "|",
        '=' => "=",
        '<' => "<",
        '>' => ">",
        '^' => "^",
        '&' => "&",
        '!' => "!",
        _ => "~",
    }
}

fn lbp(tok: &Tok) -> u32 {
    match tok {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" | "^" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "!=" | "<=" | ">=" | "~>" | "?:" | "??" | "in" => 40,
            ".." => 20,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn err(code: &str, msg: impl Into<String>, pos: usize) -> Error {
    Error {
        code: code.to_string(),
        message: msg.into(),
        position: Some(pos),
    }
}

/// The parser state: the source characters, the current token and its position.
pub(crate) struct Parser {
    src: Vec<char>,
    pos: usize,
    tok: Tok,
    tok_pos: usize,
    prev_is_term: bool,
    depth: usize,
}

impl Parser {
    fn new(text: &str) -> Self {
        Parser {
            src: text.chars().collect(),
            pos: 0,
            tok: Tok::End,
            tok_pos: 0,
            prev_is_term: false,
            depth: 0,
        }
    }

    fn skip_ws(&mut self) -> Result<(), Error> {
        loop {
            while self.pos < self.src.len() && self.src[self.pos].is_whitespace() {
                self.pos += 1;
            }
            if self.pos + 1 < self.src.len()
                && self.src[self.pos] == '/'
                && self.src[self.pos + 1] == '*'
            {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos + 1 >= self.src.len() {
                        return Err(err("S0106", "Comment has no closing tag", start));
                    }
                    if self.src[self.pos] == '*' && self.src[self.pos + 1] == '/' {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                return Ok(());
            }
        }
    }

    /// Reads the next token into `self.tok`.
    fn advance(&mut self) -> Result<(), Error> {
        let prefix = !self.prev_is_term;
        self.skip_ws()?;
        self.tok_pos = self.pos;
        let tok = self.lex(prefix)?;
        self.prev_is_term = match &tok {
            Tok::Op(op) => matches!(*op, ")" | "]" | "}"),
            Tok::End => false,
            _ => true,
        };
        self.tok = tok;
        Ok(())
    }

    fn lex(&mut self, prefix: bool) -> Result<Tok, Error> {
        let src = &self.src;
        if self.pos >= src.len() {
            return Ok(Tok::End);
        }
        let c = src[self.pos];
        let start = self.pos;
        if c == '/' && prefix {
            // A regular expression literal.
            let mut i = self.pos + 1;
            let mut depth = 0i32;
            let mut pattern = String::new();
            loop {
                if i >= src.len() {
                    return Err(err(
                        "S0302",
                        "No terminating / in regular expression",
                        start,
                    ));
                }
                let ch = src[i];
                if ch == '\\' {
                    pattern.push(ch);
                    if i + 1 < src.len() {
                        pattern.push(src[i + 1]);
                    }
                    i += 2;
                    continue;
                }
                if ch == '[' {
                    depth += 1;
                } else if ch == ']' && depth > 0 {
                    depth -= 1;
                } else if ch == '/' && depth == 0 {
                    break;
                }
                pattern.push(ch);
                i += 1;
            }
            i += 1;
            let mut flags = String::new();
            while i < src.len() && matches!(src[i], 'i' | 'm' | 'g' | 's' | 'u' | 'y') {
                flags.push(src[i]);
                i += 1;
            }
            if pattern.is_empty() {
                return Err(err(
                    "S0301",
                    "Empty regular expressions are not allowed",
                    start,
                ));
            }
            self.pos = i;
            return Ok(Tok::Regex(pattern, flags));
        }
        if self.pos + 1 < src.len() {
            let two: String = [c, src[self.pos + 1]].iter().collect();
            if let Some(op) = OPS2.iter().find(|o| **o == two) {
                // A `..` followed by a digit is still the range operator.
                self.pos += 2;
                return Ok(Tok::Op(op));
            }
        }
        if c == '!' || c == '~' {
            return Err(err("S0204", format!("Unknown operator: {c}"), start));
        }
        if OPS1.contains(c) {
            self.pos += 1;
            return Ok(Tok::Op(op_str(c)));
        }
        if c == '"' || c == '\'' {
            return self.lex_string(c);
        }
        if c.is_ascii_digit() {
            let mut i = self.pos;
            while i < src.len() && src[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < src.len() && src[i] == '.' && src[i + 1].is_ascii_digit() {
                i += 1;
                while i < src.len() && src[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < src.len() && (src[i] == 'e' || src[i] == 'E') {
                let mut j = i + 1;
                if j < src.len() && (src[j] == '+' || src[j] == '-') {
                    j += 1;
                }
                if j < src.len() && src[j].is_ascii_digit() {
                    while j < src.len() && src[j].is_ascii_digit() {
                        j += 1;
                    }
                    i = j;
                }
            }
            let text: String = src[self.pos..i].iter().collect();
            let n: f64 = text.parse().unwrap_or(f64::INFINITY);
            if !n.is_finite() {
                return Err(err("S0102", format!("Number out of range: {text}"), start));
            }
            self.pos = i;
            return Ok(Tok::Num(n));
        }
        if c == '`' {
            let mut i = self.pos + 1;
            while i < src.len() && src[i] != '`' {
                i += 1;
            }
            if i >= src.len() {
                return Err(err(
                    "S0105",
                    "Quoted property name must be terminated with a backquote (`)",
                    start,
                ));
            }
            let name: String = src[self.pos + 1..i].iter().collect();
            self.pos = i + 1;
            return Ok(Tok::Name(name));
        }
        let is_var = c == '$';
        let mut i = if is_var { self.pos + 1 } else { self.pos };
        while i < src.len() {
            let ch = src[i];
            if ch.is_whitespace() || OPS1.contains(ch) || ch == '"' || ch == '\'' || ch == '`' {
                break;
            }
            i += 1;
        }
        let name: String = src[if is_var { self.pos + 1 } else { self.pos }..i]
            .iter()
            .collect();
        self.pos = i;
        if is_var {
            return Ok(Tok::Var(name));
        }
        Ok(match name.as_str() {
            "and" => Tok::Op("and"),
            "or" => Tok::Op("or"),
            "in" => Tok::Op("in"),
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            _ => Tok::Name(name),
        })
    }

    fn lex_string(&mut self, quote: char) -> Result<Tok, Error> {
        let start = self.pos;
        let src = &self.src;
        let mut i = self.pos + 1;
        let mut out = String::new();
        loop {
            if i >= src.len() {
                return Err(err(
                    "S0101",
                    "String literal must be terminated by a matching quote",
                    start,
                ));
            }
            let ch = src[i];
            if ch == quote {
                i += 1;
                break;
            }
            if ch == '\\' {
                i += 1;
                if i >= src.len() {
                    return Err(err(
                        "S0101",
                        "String literal must be terminated by a matching quote",
                        start,
                    ));
                }
                match src[i] {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    '\'' => out.push('\''),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex = |at: usize| -> Option<u32> {
                            if at + 4 > src.len() {
                                return None;
                            }
                            let s: String = src[at..at + 4].iter().collect();
                            if s.chars().all(|c| c.is_ascii_hexdigit()) {
                                u32::from_str_radix(&s, 16).ok()
                            } else {
                                None
                            }
                        };
                        let Some(code) = hex(i + 1) else {
                            return Err(err(
                                "S0104",
                                "The escape sequence \\u must be followed by 4 hex digits",
                                i,
                            ));
                        };
                        i += 4;
                        if (0xD800..0xDC00).contains(&code)
                            && i + 2 < src.len()
                            && src[i + 1] == '\\'
                            && src[i + 2] == 'u'
                            && let Some(low) = hex(i + 3)
                            && (0xDC00..0xE000).contains(&low)
                        {
                            let c = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            i += 6;
                        } else {
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                    }
                    other => {
                        return Err(err(
                            "S0103",
                            format!("Unsupported escape sequence: \\{other}"),
                            i,
                        ));
                    }
                }
                i += 1;
                continue;
            }
            out.push(ch);
            i += 1;
        }
        self.pos = i;
        Ok(Tok::Str(out))
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn expect(&mut self, op: &str) -> Result<(), Error> {
        if self.is_op(op) {
            return self.advance();
        }
        if self.tok == Tok::End {
            return Err(err(
                "S0203",
                format!("Expected \"{op}\" before end of expression"),
                self.tok_pos,
            ));
        }
        Err(err(
            "S0202",
            format!("Expected \"{op}\", got {}", describe(&self.tok)),
            self.tok_pos,
        ))
    }

    fn expression(&mut self, rbp: u32) -> Result<Raw, Error> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(err("U1001", "Expression nesting is too deep", self.tok_pos));
        }
        let tok = std::mem::replace(&mut self.tok, Tok::End);
        let pos = self.tok_pos;
        self.advance()?;
        let mut left = self.nud(tok, pos)?;
        let mut chain = 0;
        while rbp < lbp(&self.tok) {
            // Each infix application nests the tree one level deeper.
            chain += 1;
            self.depth += 1;
            if self.depth > MAX_PARSE_DEPTH {
                return Err(err("U1001", "Expression nesting is too deep", self.tok_pos));
            }
            let tok = std::mem::replace(&mut self.tok, Tok::End);
            let pos = self.tok_pos;
            self.advance()?;
            left = self.led(tok, pos, left)?;
        }
        self.depth -= 1 + chain;
        Ok(left)
    }

    fn nud(&mut self, tok: Tok, pos: usize) -> Result<Raw, Error> {
        let kind = match tok {
            Tok::Num(n) => RawKind::Num(n),
            Tok::Str(s) => RawKind::Str(s),
            Tok::True => RawKind::Bool(true),
            Tok::False => RawKind::Bool(false),
            Tok::Null => RawKind::Null,
            Tok::Regex(p, f) => RawKind::Regex(p, f),
            Tok::Var(v) => RawKind::Var(v),
            Tok::Name(n) => {
                if (n == "function" || n == "λ") && self.is_op("(") {
                    return self.lambda(pos);
                }
                RawKind::Name(n)
            }
            Tok::End => return Err(err("S0207", "Unexpected end of expression", pos)),
            Tok::Op(op) => match op {
                "and" | "or" | "in" => RawKind::Name(op.to_string()),
                "-" => RawKind::Neg(Box::new(self.expression(70)?)),
                "*" => RawKind::Wildcard,
                "**" => RawKind::Descendant,
                "%" => RawKind::Parent,
                "?" => RawKind::Placeholder,
                "(" => {
                    let mut items = Vec::new();
                    while !self.is_op(")") {
                        items.push(self.expression(0)?);
                        if !self.is_op(";") {
                            break;
                        }
                        self.advance()?;
                    }
                    self.expect(")")?;
                    RawKind::Block(items)
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is_op("]") {
                        loop {
                            items.push(self.expression(0)?);
                            if !self.is_op(",") {
                                break;
                            }
                            self.advance()?;
                        }
                    }
                    self.expect("]")?;
                    RawKind::Array(items)
                }
                "{" => RawKind::Object(self.object_body()?),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.expect("|")?;
                    let update = self.expression(0)?;
                    let delete = if self.is_op(",") {
                        self.advance()?;
                        Some(Box::new(self.expression(0)?))
                    } else {
                        None
                    };
                    self.expect("|")?;
                    RawKind::Transform(Box::new(pattern), Box::new(update), delete)
                }
                _ => {
                    return Err(err(
                        "S0211",
                        format!("The symbol {op} cannot be used as a unary operator"),
                        pos,
                    ));
                }
            },
        };
        Ok(Raw { kind, pos })
    }

    fn object_body(&mut self) -> Result<Vec<(Raw, Raw)>, Error> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let k = self.expression(0)?;
                self.expect(":")?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is_op(",") {
                    break;
                }
                self.advance()?;
            }
        }
        self.expect("}")?;
        Ok(pairs)
    }

    fn lambda(&mut self, pos: usize) -> Result<Raw, Error> {
        self.expect("(")?;
        let mut params = Vec::new();
        if !self.is_op(")") {
            loop {
                match &self.tok {
                    Tok::Var(v) => params.push(v.clone()),
                    _ => {
                        return Err(err(
                            "S0208",
                            format!(
                                "Parameter {} of function definition must be a variable name (start with $)",
                                params.len() + 1
                            ),
                            self.tok_pos,
                        ));
                    }
                }
                self.advance()?;
                if !self.is_op(",") {
                    break;
                }
                self.advance()?;
            }
        }
        // The token after ")" may start a signature, which is read as raw characters.
        if !self.is_op(")") {
            return self.expect(")").map(|_| unreachable_raw(pos));
        }
        self.skip_ws()?;
        let mut signature = None;
        if self.pos < self.src.len() && self.src[self.pos] == '<' {
            let start = self.pos;
            let mut depth = 0;
            let mut i = self.pos;
            loop {
                if i >= self.src.len() {
                    return Err(err("S0401", "Type signature is not terminated", start));
                }
                match self.src[i] {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let text: String = self.src[start..=i].iter().collect();
            // Check the signature now, so that its errors take precedence over later syntax.
            crate::signature::Signature::parse(&text)
                .map_err(|(code, msg, off)| err(code, msg, start + off))?;
            signature = Some((text, start));
            self.pos = i + 1;
        }
        self.prev_is_term = true;
        self.advance()?;
        self.expect("{")?;
        let body = self.expression(0)?;
        self.expect("}")?;
        Ok(Raw {
            kind: RawKind::Lambda(params, signature, Box::new(body)),
            pos,
        })
    }

    fn led(&mut self, tok: Tok, pos: usize, left: Raw) -> Result<Raw, Error> {
        let Tok::Op(op) = tok else {
            return Err(err("S0201", "Syntax error", pos));
        };
        let kind = match op {
            "." => RawKind::Dot(Box::new(left), Box::new(self.expression(75)?)),
            "[" => {
                if self.is_op("]") {
                    self.advance()?;
                    RawKind::KeepArray(Box::new(left))
                } else {
                    let pred = self.expression(0)?;
                    self.expect("]")?;
                    RawKind::Pred(Box::new(left), Box::new(pred))
                }
            }
            "{" => RawKind::Group(Box::new(left), self.object_body()?),
            "(" => {
                let mut args = Vec::new();
                if !self.is_op(")") {
                    loop {
                        args.push(self.expression(0)?);
                        if !self.is_op(",") {
                            break;
                        }
                        self.advance()?;
                    }
                }
                self.expect(")")?;
                RawKind::Call(Box::new(left), args)
            }
            "@" | "#" => {
                let Tok::Var(v) = &self.tok else {
                    return Err(err(
                        "S0214",
                        format!("The right side of {op} must be a variable name (start with $)"),
                        self.tok_pos,
                    ));
                };
                let v = v.clone();
                self.advance()?;
                if op == "@" {
                    RawKind::Focus(Box::new(left), v)
                } else {
                    RawKind::Index(Box::new(left), v)
                }
            }
            "^" => {
                self.expect("(")?;
                let mut terms = Vec::new();
                loop {
                    let mut desc = false;
                    if self.is_op("<") {
                        self.advance()?;
                    } else if self.is_op(">") {
                        desc = true;
                        self.advance()?;
                    }
                    terms.push((self.expression(0)?, desc));
                    if !self.is_op(",") {
                        break;
                    }
                    self.advance()?;
                }
                self.expect(")")?;
                RawKind::Sort(Box::new(left), terms)
            }
            ":=" => {
                let RawKind::Var(name) = &left.kind else {
                    return Err(err(
                        "S0212",
                        "The left side of := must be a variable name (start with $)",
                        left.pos,
                    ));
                };
                let name = name.clone();
                RawKind::Bind(name, Box::new(self.expression(9)?))
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.is_op(":") {
                    self.advance()?;
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                RawKind::Cond(Box::new(left), Box::new(then), otherwise)
            }
            "+" | "-" | "*" | "/" | "%" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "&" | "and"
            | "or" | "in" | ".." | "~>" | "?:" | "??" => {
                let right = self.expression(lbp(&Tok::Op(op)))?;
                RawKind::Binary(op, Box::new(left), Box::new(right))
            }
            _ => return Err(err("S0204", format!("Unknown operator: {op}"), pos)),
        };
        Ok(Raw { kind, pos })
    }
}

fn unreachable_raw(pos: usize) -> Raw {
    Raw {
        kind: RawKind::Null,
        pos,
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Op(o) => format!("\"{o}\""),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Num(n) => n.to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Regex(p, _) => format!("/{p}/"),
        Tok::True => "true".into(),
        Tok::False => "false".into(),
        Tok::Null => "null".into(),
        Tok::End => "end of expression".into(),
    }
}

/// Parses a whole expression into a raw tree.
pub(crate) fn parse(text: &str) -> Result<Raw, Error> {
    let mut p = Parser::new(text);
    p.advance()?;
    let raw = p.expression(0)?;
    if p.tok != Tok::End {
        return Err(err(
            "S0201",
            format!("Syntax error: {}", describe(&p.tok)),
            p.tok_pos,
        ));
    }
    Ok(raw)
}
