//! A small regular-expression engine for the `=~` filter operator (no third-party crate).
//!
//! Supports literals, `.`, classes (`[a-z]`, `[^0-9]`), escapes (`\d \w \s \D \W \S` and
//! escaped punctuation), anchors `^ $`, groups `( )` / `(?: )`, alternation `|` and the
//! greedy quantifiers `* + ? {n} {n,} {n,m}`. Patterns compile to a Thompson NFA that is
//! simulated without backtracking, so matching is linear and cannot overflow the stack.
//! Like Java's `Matcher.matches()` (which Jayway uses), a match must cover the whole input.

const MAX_GROUP_DEPTH: usize = 32;
const MAX_PROGRAM: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
enum Inst {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    Match,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, u32, Option<u32>),
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    ignore_case: bool,
}

impl Regex {
    /// Compiles `pattern`; the error is a message for a syntax error.
    pub(crate) fn new(pattern: &str, ignore_case: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let alts = parse_alts(&chars, &mut pos, 0)?;
        if pos < chars.len() {
            return Err("unbalanced ')' in regular expression".into());
        }
        let mut prog = Vec::new();
        compile_alts(&alts, &mut prog)?;
        prog.push(Inst::Match);
        Ok(Regex { prog, ignore_case })
    }

    /// Whether the whole of `text` matches.
    pub(crate) fn is_full_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let n = self.prog.len();
        let mut current = Vec::new();
        let mut seen = vec![usize::MAX; n];
        self.add(&mut current, &mut seen, 0, 0, chars.len());
        for (i, &c) in chars.iter().enumerate() {
            let mut next = Vec::new();
            for &pc in &current {
                let ok = match &self.prog[pc] {
                    Inst::Char(x) => self.eq(*x, c),
                    Inst::Any => c != '\n',
                    Inst::Class(ranges, neg) => self.in_class(ranges, c) != *neg,
                    _ => false,
                };
                if ok {
                    self.add(&mut next, &mut seen, pc + 1, i + 1, chars.len());
                }
            }
            if next.is_empty() {
                return false;
            }
            current = next;
        }
        current.iter().any(|&pc| self.prog[pc] == Inst::Match)
    }

    /// Adds `pc` and everything reachable through epsilon moves at input position `at`.
    fn add(&self, list: &mut Vec<usize>, seen: &mut [usize], pc: usize, at: usize, len: usize) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen[pc] == at {
                continue;
            }
            seen[pc] = at;
            match &self.prog[pc] {
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Jmp(a) => stack.push(*a),
                Inst::Start => {
                    if at == 0 {
                        stack.push(pc + 1);
                    }
                }
                Inst::End => {
                    if at == len {
                        stack.push(pc + 1);
                    }
                }
                _ => list.push(pc),
            }
        }
    }

    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn in_class(&self, ranges: &[(char, char)], c: char) -> bool {
        let hit = |c: char| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
        hit(c) || (self.ignore_case && (c.to_lowercase().any(hit) || c.to_uppercase().any(hit)))
    }
}

fn parse_alts(chars: &[char], pos: &mut usize, depth: usize) -> Result<Vec<Vec<Node>>, String> {
    if depth > MAX_GROUP_DEPTH {
        return Err("regular expression nested too deeply".into());
    }
    let mut alts = vec![Vec::new()];
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            ')' => break,
            '|' => {
                *pos += 1;
                alts.push(Vec::new());
                continue;
            }
            _ => {}
        }
        let atom = parse_atom(chars, pos, depth)?;
        let atom = parse_quantifier(chars, pos, atom)?;
        if let Some(seq) = alts.last_mut() {
            seq.push(atom);
        }
    }
    Ok(alts)
}

fn parse_atom(chars: &[char], pos: &mut usize, depth: usize) -> Result<Node, String> {
    let c = chars[*pos];
    *pos += 1;
    Ok(match c {
        '.' => Node::Any,
        '^' => Node::Start,
        '$' => Node::End,
        '(' => {
            if chars.get(*pos) == Some(&'?') && chars.get(*pos + 1) == Some(&':') {
                *pos += 2;
            }
            let alts = parse_alts(chars, pos, depth + 1)?;
            if chars.get(*pos) != Some(&')') {
                return Err("missing ')' in regular expression".into());
            }
            *pos += 1;
            Node::Group(alts)
        }
        '[' => parse_class(chars, pos)?,
        '\\' => parse_escape(chars, pos)?,
        '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before '{c}'")),
        c => Node::Char(c),
    })
}

fn parse_escape(chars: &[char], pos: &mut usize) -> Result<Node, String> {
    let Some(&e) = chars.get(*pos) else {
        return Err("trailing '\\' in regular expression".into());
    };
    *pos += 1;
    Ok(match shorthand(e) {
        Some((ranges, neg)) => Node::Class(ranges, neg),
        None => Node::Char(escaped_char(e)),
    })
}

fn escaped_char(e: char) -> char {
    match e {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

fn shorthand(e: char) -> Option<(Vec<(char, char)>, bool)> {
    let digit = vec![('0', '9')];
    let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
    let space = vec![(' ', ' '), ('\t', '\r')];
    Some(match e {
        'd' => (digit, false),
        'D' => (digit, true),
        'w' => (word, false),
        'W' => (word, true),
        's' => (space, false),
        'S' => (space, true),
        _ => return None,
    })
}

fn parse_class(chars: &[char], pos: &mut usize) -> Result<Node, String> {
    let mut neg = false;
    if chars.get(*pos) == Some(&'^') {
        neg = true;
        *pos += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(*pos) else {
            return Err("missing ']' in regular expression".into());
        };
        *pos += 1;
        if c == ']' && !first {
            break;
        }
        first = false;
        let lo = if c == '\\' {
            let Some(&e) = chars.get(*pos) else {
                return Err("trailing '\\' in regular expression".into());
            };
            *pos += 1;
            if let Some((r, false)) = shorthand(e) {
                ranges.extend(r);
                continue;
            }
            escaped_char(e)
        } else {
            c
        };
        if chars.get(*pos) == Some(&'-') && chars.get(*pos + 1).is_some_and(|&c| c != ']') {
            let hi = chars[*pos + 1];
            *pos += 2;
            if hi < lo {
                return Err("invalid range in character class".into());
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
    Ok(Node::Class(ranges, neg))
}

fn parse_quantifier(chars: &[char], pos: &mut usize, atom: Node) -> Result<Node, String> {
    let Some(&c) = chars.get(*pos) else {
        return Ok(atom);
    };
    let (min, max) = match c {
        '*' => (0, None),
        '+' => (1, None),
        '?' => (0, Some(1)),
        '{' => {
            let close = chars[*pos..]
                .iter()
                .position(|&c| c == '}')
                .map(|i| *pos + i);
            let Some(close) = close else {
                return Ok(atom);
            };
            let body: String = chars[*pos + 1..close].iter().collect();
            let parse = |s: &str| {
                s.trim()
                    .parse::<u32>()
                    .map_err(|_| "invalid repetition".to_string())
            };
            let (min, max) = match body.split_once(',') {
                None => {
                    let n = parse(&body)?;
                    (n, Some(n))
                }
                Some((a, "")) => (parse(a)?, None),
                Some((a, b)) => (parse(a)?, Some(parse(b)?)),
            };
            if min > 100 || max.is_some_and(|m| m > 100 || m < min) {
                return Err("invalid or too large repetition".into());
            }
            *pos = close;
            (min, max)
        }
        _ => return Ok(atom),
    };
    *pos += 1;
    // A trailing `?` (lazy) or `+` (possessive) makes no difference for a full match.
    if matches!(chars.get(*pos), Some('?') | Some('+')) {
        *pos += 1;
    }
    Ok(Node::Repeat(Box::new(atom), min, max))
}

fn compile_alts(alts: &[Vec<Node>], prog: &mut Vec<Inst>) -> Result<(), String> {
    if alts.len() == 1 {
        return compile_seq(&alts[0], prog);
    }
    let mut jumps = Vec::new();
    for (i, seq) in alts.iter().enumerate() {
        if i + 1 < alts.len() {
            let split = prog.len();
            prog.push(Inst::Split(split + 1, 0));
            compile_seq(seq, prog)?;
            jumps.push(prog.len());
            prog.push(Inst::Jmp(0));
            let next = prog.len();
            prog[split] = Inst::Split(split + 1, next);
        } else {
            compile_seq(seq, prog)?;
        }
    }
    let end = prog.len();
    for j in jumps {
        prog[j] = Inst::Jmp(end);
    }
    Ok(())
}

fn compile_seq(seq: &[Node], prog: &mut Vec<Inst>) -> Result<(), String> {
    for node in seq {
        compile_node(node, prog)?;
    }
    Ok(())
}

fn compile_node(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
    if prog.len() > MAX_PROGRAM {
        return Err("regular expression too large".into());
    }
    match node {
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(r, n) => prog.push(Inst::Class(r.clone(), *n)),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::Group(alts) => compile_alts(alts, prog)?,
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                compile_node(inner, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile_node(inner, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        compile_node(inner, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}
