//! Function type signatures such as `<s-nn?:s>`, and argument validation against them.

use crate::Error;
use crate::value::Val;

/// One parameter of a signature.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    /// The accepted type symbols (`b n s l a o f x j`).
    pub types: String,
    /// For `a<..>`, the accepted element type symbols.
    pub subtype: Option<String>,
    pub optional: bool,
    pub variadic: bool,
    pub context: bool,
}

/// A parsed signature.
#[derive(Debug, Clone)]
pub(crate) struct Signature {
    pub params: Vec<Param>,
}

type SigErr = (&'static str, String, usize);

impl Signature {
    /// Parses a signature such as `<s-nn?:s>`; errors carry a code, a message and an offset.
    pub fn parse(text: &str) -> Result<Signature, SigErr> {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 1;
        let mut params: Vec<Param> = Vec::new();
        let end = chars.len().saturating_sub(1);
        while i < end {
            let c = chars[i];
            match c {
                ':' => break,
                'b' | 'n' | 's' | 'l' | 'a' | 'o' | 'f' | 'x' | 'j' | 'u' => {
                    let types = if c == 'u' {
                        "bnsl".to_string()
                    } else {
                        c.to_string()
                    };
                    params.push(Param {
                        types,
                        subtype: None,
                        optional: false,
                        variadic: false,
                        context: false,
                    });
                    i += 1;
                }
                '(' => {
                    let start = i;
                    let mut types = String::new();
                    i += 1;
                    while i < end && chars[i] != ')' {
                        let t = chars[i];
                        if t == '<' {
                            return Err((
                                "S0402",
                                "Choice groups containing parameterized types are not supported"
                                    .into(),
                                i,
                            ));
                        }
                        if t == '<' {
                            // Skip a nested parameterisation inside a choice.
                            let mut d = 0;
                            while i < end {
                                if chars[i] == '<' {
                                    d += 1;
                                } else if chars[i] == '>' {
                                    d -= 1;
                                    if d == 0 {
                                        break;
                                    }
                                }
                                i += 1;
                            }
                        } else if "bnslaofxju".contains(t) {
                            types.push(t);
                        } else {
                            return Err((
                                "S0401",
                                format!("Type signature contains an invalid symbol {t}"),
                                i,
                            ));
                        }
                        i += 1;
                    }
                    if i >= end {
                        return Err((
                            "S0401",
                            "Unterminated choice group in type signature".into(),
                            start,
                        ));
                    }
                    params.push(Param {
                        types,
                        subtype: None,
                        optional: false,
                        variadic: false,
                        context: false,
                    });
                    i += 1;
                }
                '<' => {
                    let Some(last) = params.last_mut() else {
                        return Err(("S0401", "Type parameter without a type".into(), i));
                    };
                    if last.types != "a" && last.types != "f" {
                        return Err((
                            "S0401",
                            "Type parameters can only be applied to functions and arrays".into(),
                            i,
                        ));
                    }
                    let start = i;
                    let mut d = 0;
                    let mut sub = String::new();
                    while i < end {
                        let t = chars[i];
                        if t == '<' {
                            d += 1;
                        } else if t == '>' {
                            d -= 1;
                            if d == 0 {
                                break;
                            }
                        } else if d == 1 {
                            sub.push(t);
                        }
                        i += 1;
                    }
                    if i >= end {
                        return Err(("S0401", "Unterminated type parameter".into(), start));
                    }
                    if last.types == "a" {
                        let mut set = String::new();
                        for t in sub.chars() {
                            if "bnslaofxj".contains(t) {
                                set.push(t);
                            }
                        }
                        last.subtype = Some(set);
                    }
                    i += 1;
                }
                '?' | '+' | '-' => {
                    let Some(last) = params.last_mut() else {
                        return Err(("S0401", format!("Modifier {c} without a type"), i));
                    };
                    match c {
                        '?' => last.optional = true,
                        '+' => last.variadic = true,
                        _ => last.context = true,
                    }
                    i += 1;
                }
                ')' => return Err(("S0402", "Choice groups cannot be closed here".into(), i)),
                _ => {
                    return Err((
                        "S0401",
                        format!("Type signature contains an invalid symbol {c}"),
                        i,
                    ));
                }
            }
        }
        Ok(Signature { params })
    }

    /// Validates arguments, inserting the context value and wrapping array arguments.
    pub fn validate<'a>(
        &self,
        args: Vec<Val<'a>>,
        context: &Val<'a>,
        name: &str,
    ) -> Result<Vec<Val<'a>>, Error> {
        let symbols: Vec<char> = args.iter().map(|a| a.symbol()).collect();
        let ctx_symbol = context.symbol();
        let mut plan: Vec<Slot> = Vec::new();
        let mut best_fail = 0usize;
        if !self.matches(0, 0, &symbols, &mut plan, &mut best_fail) {
            return Err(Error {
                code: "T0410".into(),
                message: format!(
                    "Argument {} of function {name} does not match function signature",
                    best_fail + 1
                ),
                position: None,
            });
        }
        let mut out = Vec::with_capacity(plan.len());
        let mut arg_iter = args.into_iter();
        for slot in plan {
            let (param, value) = match slot {
                Slot::Arg(pi) => (&self.params[pi], arg_iter.next().unwrap_or(Val::Undef)),
                Slot::Context(pi) => {
                    let p = &self.params[pi];
                    if !type_ok(&p.types, ctx_symbol) {
                        return Err(Error {
                            code: "T0411".into(),
                            message: format!(
                                "Context value is not a compatible type with argument of function {name}"
                            ),
                            position: None,
                        });
                    }
                    (p, context.clone())
                }
                Slot::Missing => {
                    out.push(arg_iter.next().unwrap_or(Val::Undef));
                    continue;
                }
            };
            let value = if param.types.contains('a')
                && !matches!(value, Val::Undef)
                && !param.types.contains('x')
            {
                let wrapped = if value.is_array() {
                    value
                } else {
                    Val::array(vec![value])
                };
                if let Some(sub) = &param.subtype
                    && !sub.is_empty()
                {
                    for item in wrapped.items() {
                        if !type_ok(sub, item.symbol()) {
                            return Err(Error {
                                code: "T0412".into(),
                                message: format!(
                                    "Argument of function {name} must be an array of {sub}"
                                ),
                                position: None,
                            });
                        }
                    }
                }
                wrapped
            } else {
                value
            };
            out.push(value);
        }
        Ok(out)
    }

    fn matches(
        &self,
        pi: usize,
        ai: usize,
        syms: &[char],
        plan: &mut Vec<Slot>,
        best_fail: &mut usize,
    ) -> bool {
        if pi == self.params.len() {
            if ai == syms.len() {
                return true;
            }
            *best_fail = (*best_fail).max(ai);
            return false;
        }
        let p = &self.params[pi];
        let mark = plan.len();
        if ai < syms.len() && (syms[ai] == 'm' || type_ok(&p.types, syms[ai])) {
            plan.push(Slot::Arg(pi));
            if p.variadic {
                let mut k = ai + 1;
                loop {
                    if self.matches(pi + 1, k, syms, plan, best_fail) {
                        return true;
                    }
                    if k < syms.len() && (syms[k] == 'm' || type_ok(&p.types, syms[k])) {
                        plan.push(Slot::Arg(pi));
                        k += 1;
                    } else {
                        break;
                    }
                }
            } else if self.matches(pi + 1, ai + 1, syms, plan, best_fail) {
                return true;
            }
            plan.truncate(mark);
        } else {
            *best_fail = (*best_fail).max(ai);
        }
        if p.context {
            plan.push(Slot::Context(pi));
            if self.matches(pi + 1, ai, syms, plan, best_fail) {
                return true;
            }
            plan.truncate(mark);
        }
        if p.optional {
            plan.push(Slot::Missing);
            if self.matches(pi + 1, ai, syms, plan, best_fail) {
                return true;
            }
            plan.truncate(mark);
        }
        false
    }
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Arg(usize),
    Context(usize),
    Missing,
}

fn type_ok(types: &str, sym: char) -> bool {
    if sym == 'm' {
        return true;
    }
    types
        .chars()
        .any(|t| t == sym || t == 'x' || (t == 'j' && sym != 'f') || (t == 'a' && sym != 'f'))
}
