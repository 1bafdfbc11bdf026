//! The JSONata function library and the AWS Step Functions extension functions.

use crate::Error;
use crate::eval::{Ev, append, cmp_str, merge_sort, terr, truthy};
use crate::regex::Re;
use crate::signature::Signature;
use crate::value::{Func, ObjMap, Val, deep_equal, js_number, to_precision_15};
use serde_json::Value;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

/// A built-in function: its name and type signature.
#[derive(Debug)]
pub(crate) struct Builtin {
    pub name: &'static str,
    sig_text: &'static str,
    sig: OnceLock<Signature>,
}

impl Builtin {
    const fn new(name: &'static str, sig_text: &'static str) -> Builtin {
        Builtin {
            name,
            sig_text,
            sig: OnceLock::new(),
        }
    }

    /// The parsed signature.
    pub fn signature(&self) -> &Signature {
        self.sig.get_or_init(|| {
            Signature::parse(self.sig_text).unwrap_or(Signature { params: Vec::new() })
        })
    }

    /// The number of required parameters, used when calling it from higher-order functions.
    pub fn arity(&self) -> usize {
        self.signature()
            .params
            .iter()
            .filter(|p| !p.optional)
            .count()
    }
}

static BUILTINS: [Builtin; 78] = [
    Builtin::new("sum", "<a<n>:n>"),
    Builtin::new("count", "<a:n>"),
    Builtin::new("max", "<a<n>:n>"),
    Builtin::new("min", "<a<n>:n>"),
    Builtin::new("average", "<a<n>:n>"),
    Builtin::new("string", "<x-b?:s>"),
    Builtin::new("substring", "<s-nn?:s>"),
    Builtin::new("substringBefore", "<s-s:s>"),
    Builtin::new("substringAfter", "<s-s:s>"),
    Builtin::new("lowercase", "<s-:s>"),
    Builtin::new("uppercase", "<s-:s>"),
    Builtin::new("length", "<s-:n>"),
    Builtin::new("trim", "<s-:s>"),
    Builtin::new("pad", "<s-ns?:s>"),
    Builtin::new("match", "<s-f<s:o>n?:a<o>>"),
    Builtin::new("contains", "<s-(sf):b>"),
    Builtin::new("replace", "<s-(sf)(sf)n?:s>"),
    Builtin::new("split", "<s-(sf)n?:a<s>>"),
    Builtin::new("join", "<a<s>s?:s>"),
    Builtin::new("formatNumber", "<n-so?:s>"),
    Builtin::new("formatBase", "<n-n?:s>"),
    Builtin::new("formatInteger", "<n-s:s>"),
    Builtin::new("parseInteger", "<s-s:n>"),
    Builtin::new("number", "<(nsb)-:n>"),
    Builtin::new("floor", "<n-:n>"),
    Builtin::new("ceil", "<n-:n>"),
    Builtin::new("round", "<n-n?:n>"),
    Builtin::new("abs", "<n-:n>"),
    Builtin::new("sqrt", "<n-:n>"),
    Builtin::new("power", "<n-n:n>"),
    Builtin::new("random", "<n?:n>"),
    Builtin::new("boolean", "<x-:b>"),
    Builtin::new("not", "<x-:b>"),
    Builtin::new("map", "<af>"),
    Builtin::new("zip", "<a+>"),
    Builtin::new("filter", "<af>"),
    Builtin::new("single", "<af?>"),
    Builtin::new("reduce", "<afj?:j>"),
    Builtin::new("sift", "<o-f?:o>"),
    Builtin::new("keys", "<x-:a<s>>"),
    Builtin::new("lookup", "<x-s:x>"),
    Builtin::new("append", "<xx:a>"),
    Builtin::new("exists", "<x:b>"),
    Builtin::new("spread", "<x-:a<o>>"),
    Builtin::new("merge", "<a<o>:o>"),
    Builtin::new("reverse", "<a:a>"),
    Builtin::new("each", "<o-f:a>"),
    Builtin::new("error", "<s?:x>"),
    Builtin::new("assert", "<bs?:x>"),
    Builtin::new("type", "<x:s>"),
    Builtin::new("sort", "<af?:a>"),
    Builtin::new("shuffle", "<a:a>"),
    Builtin::new("distinct", "<x:x>"),
    Builtin::new("base64encode", "<s-:s>"),
    Builtin::new("base64decode", "<s-:s>"),
    Builtin::new("encodeUrlComponent", "<s-:s>"),
    Builtin::new("encodeUrl", "<s-:s>"),
    Builtin::new("decodeUrlComponent", "<s-:s>"),
    Builtin::new("decodeUrl", "<s-:s>"),
    Builtin::new("eval", "<sx?:x>"),
    Builtin::new("toMillis", "<s-s?:n>"),
    Builtin::new("fromMillis", "<n-s?s?:s>"),
    Builtin::new("now", "<s?s?:s>"),
    Builtin::new("millis", "<:n>"),
    Builtin::new("clone", "<(oa)-:o>"),
    Builtin::new("partition", "<an:a>"),
    Builtin::new("range", "<nnn?:a>"),
    Builtin::new("hash", "<s-s?:s>"),
    Builtin::new("uuid", "<:s>"),
    Builtin::new("parse", "<s-:x>"),
    Builtin::new("formatDateTime", "<n-s?s?:s>"),
    Builtin::new("zipWith", "<a+>"),
    Builtin::new("isString", "<x:b>"),
    Builtin::new("isNumber", "<x:b>"),
    Builtin::new("isArray", "<x:b>"),
    Builtin::new("isObject", "<x:b>"),
    Builtin::new("isBoolean", "<x:b>"),
    Builtin::new("isNull", "<x:b>"),
];

/// Finds a built-in function by name (without the `$`).
pub(crate) fn builtin(name: &str) -> Option<&'static Builtin> {
    match name {
        "zipWith" | "isString" | "isNumber" | "isArray" | "isObject" | "isBoolean" | "isNull"
        | "formatDateTime" => None,
        _ => BUILTINS.iter().find(|b| b.name == name),
    }
}

fn num(v: &Val) -> Option<f64> {
    v.as_num()
}

fn str_arg<'v>(v: &'v Val) -> Option<&'v str> {
    v.as_str()
}

fn s<'a>(text: impl Into<crate::value::Text<'a>>) -> Val<'a> {
    Val::Str(text.into())
}

fn derr(code: &str, msg: impl Into<String>, pos: usize) -> Error {
    terr(code, msg, pos)
}

/// Converts a value to a string as `$string` does.
pub(crate) fn to_string(ev: &mut Ev, v: &Val, pretty: bool) -> Result<String, Error> {
    let _ = ev;
    match v {
        Val::Str(s) => Ok(s.to_string()),
        Val::Num(n) => {
            if !n.is_finite() {
                return Err(Error::new(
                    "D3001",
                    "Attempting to invoke string function on Infinity or NaN",
                ));
            }
            Ok(js_number(precise(*n)))
        }
        Val::Func(_) => Ok(String::new()),
        Val::Undef => Ok(String::new()),
        other => {
            let mut out = String::new();
            stringify(other, pretty, 0, &mut out)?;
            Ok(out)
        }
    }
}

/// Rounds non-integers to 15 significant digits, as `$string` does.
fn precise(n: f64) -> f64 {
    if n.fract() == 0.0 {
        n
    } else {
        to_precision_15(n)
    }
}

/// Serialises a value as JSON.stringify would, with 15 significant digits for numbers.
pub(crate) fn stringify(
    v: &Val,
    pretty: bool,
    indent: usize,
    out: &mut String,
) -> Result<(), Error> {
    if indent > 2000 {
        return Err(Error::new(
            "U1001",
            "The value is nested too deeply to stringify",
        ));
    }
    match v {
        Val::Undef => out.push_str("null"),
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => {
            if !n.is_finite() {
                return Err(Error::new(
                    "D1001",
                    "Attempting to invoke string function on Infinity or NaN",
                ));
            }
            out.push_str(&js_number(precise(*n)))
        }
        Val::Str(s) => out.push_str(&serde_json::to_string(&**s).unwrap_or_default()),
        Val::Func(_) => out.push_str("\"\""),
        _ if v.is_array() => {
            let items = v.to_vec();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    newline(out, indent + 1);
                }
                if it.is_undef() {
                    out.push_str("null");
                } else {
                    stringify(it, pretty, indent + 1, out)?;
                }
            }
            if pretty {
                newline(out, indent);
            }
            out.push(']');
        }
        _ => {
            let entries: Vec<_> = v
                .entries()
                .into_iter()
                .filter(|(_, x)| !x.is_undef())
                .collect();
            if entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, it)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    newline(out, indent + 1);
                }
                out.push_str(&serde_json::to_string(&**k).unwrap_or_default());
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                stringify(it, pretty, indent + 1, out)?;
            }
            if pretty {
                newline(out, indent);
            }
            out.push('}');
        }
    }
    Ok(())
}

fn newline(out: &mut String, indent: usize) {
    out.push('\n');
    for _ in 0..indent {
        out.push_str("  ");
    }
}

/// Converts an owned JSON value into a runtime value.
pub(crate) fn from_owned<'a>(v: Value) -> Val<'a> {
    match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(b),
        Value::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => Val::Str(s.into()),
        Value::Array(a) => Val::array(a.into_iter().map(from_owned).collect()),
        Value::Object(m) => {
            let mut out = ObjMap::default();
            for (k, v) in m {
                out.insert(k.into(), from_owned(v));
            }
            Val::Obj(Rc::new(out))
        }
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Rounds half to even at a number of decimal places, as `$round` does.
pub(crate) fn round_half_even(n: f64, precision: i32) -> f64 {
    let factor = 10f64.powi(precision);
    let mut x = if precision >= 0 {
        n * factor
    } else {
        n / 10f64.powi(-precision)
    };
    // Use the decimal representation to avoid binary artefacts such as 2.675 * 100.
    let text = format!("{:.10e}", n);
    let _ = text;
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 || ((x - x.trunc()).abs() - 0.5).abs() < 1e-9 * x.abs().max(1.0)
    {
        let fl = x.floor();
        x = if fl % 2.0 == 0.0 { fl } else { fl + 1.0 };
    } else {
        x = r;
    }
    let out = if precision >= 0 {
        x / factor
    } else {
        x * 10f64.powi(-precision)
    };
    if out == 0.0 { 0.0 } else { out }
}

/// Calls a built-in function with validated arguments.
pub(crate) fn call<'a>(
    ev: &mut Ev<'a, '_>,
    b: &Builtin,
    args: Vec<Val<'a>>,
    input: &Val<'a>,
    pos: usize,
) -> Result<Val<'a>, Error> {
    let a0 = args.first().cloned().unwrap_or(Val::Undef);
    let a1 = args.get(1).cloned().unwrap_or(Val::Undef);
    let a2 = args.get(2).cloned().unwrap_or(Val::Undef);
    let a3 = args.get(3).cloned().unwrap_or(Val::Undef);
    let r: Val<'a> = match b.name {
        "sum" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            Val::Num(a0.items().filter_map(|v| num(&v)).sum())
        }
        "count" => Val::Num(a0.len() as f64),
        "max" | "min" => {
            let nums: Vec<f64> = a0.items().filter_map(|v| num(&v)).collect();
            if nums.is_empty() {
                return Ok(Val::Undef);
            }
            let f = if b.name == "max" { f64::max } else { f64::min };
            Val::Num(nums.iter().copied().fold(nums[0], f))
        }
        "average" => {
            let nums: Vec<f64> = a0.items().filter_map(|v| num(&v)).collect();
            if nums.is_empty() {
                return Ok(Val::Undef);
            }
            Val::Num(nums.iter().sum::<f64>() / nums.len() as f64)
        }
        "string" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let pretty = matches!(a1, Val::Bool(true));
            s(to_string(ev, &a0, pretty).map_err(|mut e| {
                e.position = Some(pos);
                e
            })?)
        }
        "substring" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let cs = chars(st);
            let len = cs.len() as i64;
            let mut start = num(&a1).unwrap_or(0.0);
            if start.is_nan() {
                start = 0.0;
            }
            let mut start = start.floor() as i64;
            if start < 0 {
                start = (len + start).max(0);
            }
            let start = start.min(len);
            let end = match num(&a2) {
                Some(l) => {
                    if l <= 0.0 {
                        start
                    } else {
                        (start + l.floor() as i64).min(len)
                    }
                }
                None => len,
            };
            s(cs[start as usize..end.max(start) as usize]
                .iter()
                .collect::<String>())
        }
        "substringBefore" => {
            let (Some(st), Some(c)) = (str_arg(&a0), str_arg(&a1)) else {
                return Ok(if a0.is_undef() { Val::Undef } else { a0 });
            };
            match st.find(c) {
                Some(i) => s(&st[..i]),
                None => s(st),
            }
        }
        "substringAfter" => {
            let (Some(st), Some(c)) = (str_arg(&a0), str_arg(&a1)) else {
                return Ok(if a0.is_undef() { Val::Undef } else { a0 });
            };
            match st.find(c) {
                Some(i) => s(&st[i + c.len()..]),
                None => s(st),
            }
        }
        "lowercase" => match str_arg(&a0) {
            Some(st) => s(st.to_lowercase()),
            None => Val::Undef,
        },
        "uppercase" => match str_arg(&a0) {
            Some(st) => s(st.to_uppercase()),
            None => Val::Undef,
        },
        "length" => match str_arg(&a0) {
            Some(st) => Val::Num(st.chars().count() as f64),
            None => Val::Undef,
        },
        "trim" => match str_arg(&a0) {
            Some(st) => {
                let mut out = String::new();
                let mut ws = false;
                for c in st.chars() {
                    if matches!(c, ' ' | '\t' | '\n' | '\r') {
                        ws = true;
                    } else {
                        if ws && !out.is_empty() {
                            out.push(' ');
                        }
                        ws = false;
                        out.push(c);
                    }
                }
                s(out)
            }
            None => Val::Undef,
        },
        "pad" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let width = num(&a1).unwrap_or(0.0).trunc() as i64;
            let padc = str_arg(&a2)
                .map(|x| x.to_string())
                .unwrap_or_else(|| " ".into());
            let padc = if padc.is_empty() {
                " ".to_string()
            } else {
                padc
            };
            let len = st.chars().count() as i64;
            let need = width.abs() - len;
            if need <= 0 {
                s(st)
            } else {
                let pad: String = padc.chars().cycle().take(need as usize).collect();
                if width < 0 {
                    s(format!("{pad}{st}"))
                } else {
                    s(format!("{st}{pad}"))
                }
            }
        }
        "contains" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            match &a1 {
                Val::Undef => return Ok(Val::Undef),
                Val::Str(p) => Val::Bool(st.contains(&**p)),
                Val::Func(func) if matches!(&**func, Func::Regex(_)) => {
                    // Like jsonata-js, only the first match counts (and no groups are needed).
                    let first = match &**func {
                        Func::Regex(re) => re.re.find(st),
                        _ => None,
                    };
                    if first.is_some_and(|m| m.is_empty()) {
                        return Err(derr(
                            "D1004",
                            "Regular expression matches zero length string",
                            pos,
                        ));
                    }
                    Val::Bool(first.is_some())
                }
                f => {
                    let ms = matches_of(ev, f, st, pos)?;
                    Val::Bool(!ms.is_empty())
                }
            }
        }
        "split" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let limit = match num(&a2) {
                Some(l) if l < 0.0 => {
                    return Err(derr(
                        "D3020",
                        "Third argument of split function must evaluate to a positive number",
                        pos,
                    ));
                }
                Some(l) => Some(l.floor() as usize),
                None => None,
            };
            let mut parts: Vec<Val<'a>> = match &a1 {
                Val::Str(sep) => {
                    if sep.is_empty() {
                        st.chars().map(|c| s(c.to_string())).collect()
                    } else {
                        st.split(&**sep).map(s).collect()
                    }
                }
                f => {
                    let ms = matches_of(ev, f, st, pos)?;
                    let mut out = Vec::new();
                    let mut last = 0;
                    for m in ms {
                        out.push(s(&st[last..m.start]));
                        last = m.end;
                    }
                    out.push(s(&st[last..]));
                    out
                }
            };
            if let Some(l) = limit {
                parts.truncate(l);
            }
            Val::array(parts)
        }
        "join" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let sep = str_arg(&a1).unwrap_or("");
            let parts: Vec<String> = a0
                .items()
                .map(|v| v.as_str().unwrap_or("").to_string())
                .collect();
            s(parts.join(sep))
        }
        "match" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let limit = match num(&a2) {
                Some(l) if l < 0.0 => {
                    return Err(derr(
                        "D3040",
                        "Third argument of match function must evaluate to a positive number",
                        pos,
                    ));
                }
                Some(l) => Some(l.floor() as usize),
                None => None,
            };
            let mut ms = matches_of(ev, &a1, st, pos)?;
            if let Some(l) = limit {
                ms.truncate(l);
            }
            let out: Vec<Val<'a>> = ms
                .into_iter()
                .map(|m| {
                    let mut o = ObjMap::default();
                    o.insert("match".into(), s(m.text.as_str()));
                    o.insert(
                        "index".into(),
                        Val::Num(st[..m.start].chars().count() as f64),
                    );
                    o.insert(
                        "groups".into(),
                        Val::array(m.groups.iter().map(|g| s(g.as_str())).collect()),
                    );
                    Val::Obj(Rc::new(o))
                })
                .collect();
            Val::seq(out)
        }
        "replace" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            if let Val::Str(p) = &a1
                && p.is_empty()
            {
                return Err(derr(
                    "D3010",
                    "Second argument of replace function cannot be an empty string",
                    pos,
                ));
            }
            let limit = match num(&a3) {
                Some(l) if l < 0.0 => {
                    return Err(derr(
                        "D3011",
                        "Fourth argument of replace function must evaluate to a positive number",
                        pos,
                    ));
                }
                Some(l) => Some(l.floor() as usize),
                None => None,
            };
            let ms = match &a1 {
                Val::Str(p) => {
                    let mut out = Vec::new();
                    let mut from = 0;
                    while let Some(i) = st[from..].find(&**p) {
                        out.push(Match {
                            start: from + i,
                            end: from + i + p.len(),
                            text: p.to_string(),
                            groups: vec![],
                        });
                        from += i + p.len();
                    }
                    out
                }
                f => matches_of(ev, f, st, pos)?,
            };
            let mut out = String::new();
            let mut last = 0;
            for (count, m) in ms.into_iter().enumerate() {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&st[last..m.start]);
                match &a2 {
                    Val::Str(rep) => out.push_str(&substitute(rep, &m)),
                    f if f.is_func() => {
                        let mo = match_object(&m, st);
                        let r = ev.apply(f, vec![mo], input, pos)?;
                        match r {
                            Val::Str(t) => out.push_str(&t),
                            _ => {
                                return Err(derr(
                                    "D3012",
                                    "Attempted to replace a matched string with a non-string value",
                                    pos,
                                ));
                            }
                        }
                    }
                    _ => {}
                }
                last = m.end;
            }
            out.push_str(&st[last..]);
            s(out)
        }
        "formatNumber" => {
            let Some(n) = num(&a0) else {
                return Ok(Val::Undef);
            };
            s(
                crate::numfmt::format_number(n, str_arg(&a1).unwrap_or(""), &a2).map_err(
                    |mut e| {
                        e.position = Some(pos);
                        e
                    },
                )?,
            )
        }
        "formatBase" => {
            let Some(n) = num(&a0) else {
                return Ok(Val::Undef);
            };
            let radix = num(&a1).unwrap_or(10.0).floor();
            if !(2.0..=36.0).contains(&radix) {
                return Err(derr(
                    "D3100",
                    format!(
                        "The radix of the formatBase function must be between 2 and 36.  It was given {radix}"
                    ),
                    pos,
                ));
            }
            let n = round_half_even(n, 0);
            s(format_radix(n, radix as u32))
        }
        "formatInteger" => {
            let Some(n) = num(&a0) else {
                return Ok(Val::Undef);
            };
            s(
                crate::numfmt::format_integer(n, str_arg(&a1).unwrap_or("")).map_err(|mut e| {
                    e.position = Some(pos);
                    e
                })?,
            )
        }
        "parseInteger" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            match crate::numfmt::parse_integer(st, str_arg(&a1).unwrap_or("")) {
                Ok(Some(n)) => Val::Num(n),
                Ok(None) => Val::Undef,
                Err(mut e) => {
                    e.position = Some(pos);
                    return Err(e);
                }
            }
        }
        "number" => match &a0 {
            Val::Undef => Val::Undef,
            Val::Num(n) => Val::Num(*n),
            Val::Bool(b) => Val::Num(if *b { 1.0 } else { 0.0 }),
            Val::Str(st) => match parse_number(st) {
                Some(n) => Val::Num(n),
                None => {
                    return Err(derr(
                        "D3030",
                        format!("Unable to cast value to a number: {st}"),
                        pos,
                    ));
                }
            },
            _ => return Err(derr("D3030", "Unable to cast value to a number", pos)),
        },
        "floor" => num(&a0).map(|n| Val::Num(n.floor())).unwrap_or(Val::Undef),
        "ceil" => num(&a0).map(|n| Val::Num(n.ceil())).unwrap_or(Val::Undef),
        "abs" => num(&a0).map(|n| Val::Num(n.abs())).unwrap_or(Val::Undef),
        "round" => {
            let Some(n) = num(&a0) else {
                return Ok(Val::Undef);
            };
            let p = num(&a1).unwrap_or(0.0).floor() as i32;
            Val::Num(round_half_even(n, p))
        }
        "sqrt" => {
            let Some(n) = num(&a0) else {
                return Ok(Val::Undef);
            };
            if n < 0.0 {
                return Err(derr(
                    "D3060",
                    format!("The sqrt function cannot be applied to a negative number: {n}"),
                    pos,
                ));
            }
            Val::Num(n.sqrt())
        }
        "power" => {
            let (Some(x), Some(y)) = (num(&a0), num(&a1)) else {
                return Ok(Val::Undef);
            };
            let r = x.powf(y);
            if !r.is_finite() {
                return Err(derr(
                    "D3061",
                    format!(
                        "The power function has resulted in a value that cannot be represented as a JSON number: base={x}, exponent={y}"
                    ),
                    pos,
                ));
            }
            Val::Num(r)
        }
        "random" => match num(&a0) {
            Some(seed) => Val::Num(seeded_random(seed.floor())),
            None => Val::Num(ev.env.random_f64()),
        },
        "boolean" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            Val::Bool(truthy(&a0))
        }
        "not" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            Val::Bool(!truthy(&a0))
        }
        "exists" => Val::Bool(!a0.is_undef()),
        "type" => match a0.type_name() {
            Some(t) => s(t),
            None => Val::Undef,
        },
        "map" | "filter" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let arity = ev.arity(&a1);
            let items = a0.to_vec();
            let mut out = Vec::new();
            for (i, v) in items.iter().enumerate() {
                let args = hof_args(arity, v.clone(), Val::Num(i as f64), &a0);
                let r = ev.apply(&a1, args, input, pos)?;
                if b.name == "map" {
                    if !r.is_undef() {
                        out.push(r);
                    }
                } else if truthy(&r) {
                    out.push(v.clone());
                }
            }
            Val::seq(out)
        }
        "single" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let arity = ev.arity(&a1);
            let mut found: Option<Val<'a>> = None;
            for (i, v) in a0.to_vec().into_iter().enumerate() {
                let ok = if a1.is_undef() {
                    true
                } else {
                    let args = hof_args(arity, v.clone(), Val::Num(i as f64), &a0);
                    truthy(&ev.apply(&a1, args, input, pos)?)
                };
                if ok {
                    if found.is_some() {
                        return Err(derr(
                            "D3138",
                            "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                            pos,
                        ));
                    }
                    found = Some(v);
                }
            }
            match found {
                Some(v) => v,
                None => {
                    return Err(derr(
                        "D3139",
                        "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
                        pos,
                    ));
                }
            }
        }
        "reduce" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let arity = ev.arity(&a1);
            if arity < 2 {
                return Err(derr(
                    "D3050",
                    "The second argument of reduce function must be a function with at least two arguments",
                    pos,
                ));
            }
            let items = a0.to_vec();
            let (mut acc, start) = if a2.is_undef() {
                (items.first().cloned().unwrap_or(Val::Undef), 1)
            } else {
                (a2.clone(), 0)
            };
            for (i, v) in items.iter().enumerate().skip(start) {
                let mut args = vec![acc, v.clone()];
                if arity >= 3 {
                    args.push(Val::Num(i as f64));
                }
                if arity >= 4 {
                    args.push(a0.clone());
                }
                acc = ev.apply(&a1, args, input, pos)?;
            }
            acc
        }
        "sift" | "each" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let arity = ev.arity(&a1);
            let mut obj = ObjMap::default();
            let mut out = Vec::new();
            for (k, v) in a0.entries() {
                let mut args = vec![v.clone()];
                if arity >= 2 {
                    args.push(Val::Str(k.clone().into()));
                }
                if arity >= 3 {
                    args.push(a0.clone());
                }
                let r = ev.apply(&a1, args, input, pos)?;
                if b.name == "sift" {
                    if truthy(&r) {
                        obj.insert(k, v);
                    }
                } else if !r.is_undef() {
                    out.push(r);
                }
            }
            if b.name == "sift" {
                if obj.is_empty() {
                    return Ok(Val::Undef);
                }
                Val::Obj(Rc::new(obj))
            } else {
                Val::seq(out)
            }
        }
        "zip" => {
            let arrays: Vec<Vec<Val<'a>>> = args.iter().map(|a| a.to_vec()).collect();
            let n = arrays.iter().map(|a| a.len()).min().unwrap_or(0);
            let mut out = Vec::new();
            for i in 0..n {
                out.push(Val::array(arrays.iter().map(|a| a[i].clone()).collect()));
            }
            Val::array(out)
        }
        "keys" => {
            let mut keys: Vec<Rc<str>> = Vec::new();
            for item in a0.items() {
                for (k, _) in item.entries() {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
            Val::seq(keys.into_iter().map(|k| Val::Str(k.into())).collect())
        }
        "lookup" => {
            let Some(k) = str_arg(&a1) else {
                return Ok(Val::Undef);
            };
            crate::eval::lookup_field(&a0, k, 0)
        }
        "append" => append(a0, a1),
        "spread" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let mut out = Vec::new();
            for item in a0.items() {
                if item.is_object() {
                    for (k, v) in item.entries() {
                        let mut o = ObjMap::default();
                        o.insert(k, v);
                        out.push(Val::Obj(Rc::new(o)));
                    }
                } else {
                    out.push(item);
                }
            }
            Val::seq(out)
        }
        "merge" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let mut o = ObjMap::default();
            for item in a0.items() {
                for (k, v) in item.entries() {
                    o.insert(k, v);
                }
            }
            Val::Obj(Rc::new(o))
        }
        "reverse" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let mut v = a0.to_vec();
            v.reverse();
            Val::array(v)
        }
        "shuffle" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let mut v = a0.to_vec();
            for i in (1..v.len()).rev() {
                let j = ((ev.env.random_f64() * (i + 1) as f64) as usize).min(i);
                v.swap(i, j);
            }
            Val::array(v)
        }
        "distinct" => {
            if !a0.is_array() {
                return Ok(a0);
            }
            let mut out: Vec<Val<'a>> = Vec::new();
            for v in a0.items() {
                if !out.iter().any(|x| deep_equal(x, &v)) {
                    out.push(v);
                }
            }
            Val::array(out)
        }
        "sort" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let items = a0.to_vec();
            if a1.is_undef() {
                let all_num = items.iter().all(|v| matches!(v, Val::Num(_)));
                let all_str = items.iter().all(|v| matches!(v, Val::Str(_)));
                if !all_num && !all_str {
                    return Err(derr(
                        "D3070",
                        "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
                        pos,
                    ));
                }
                let sorted = merge_sort(items, &mut |x: &Val, y: &Val| -> Result<bool, Error> {
                    Ok(match (x, y) {
                        (Val::Num(p), Val::Num(q)) => p > q,
                        (Val::Str(p), Val::Str(q)) => cmp_str(p, q) == std::cmp::Ordering::Greater,
                        _ => false,
                    })
                })?;
                Val::array(sorted)
            } else {
                let f = a1.clone();
                let sorted = merge_sort(items, &mut |x: &Val<'a>,
                                                     y: &Val<'a>|
                 -> Result<bool, Error> {
                    let r = ev.apply(&f, vec![x.clone(), y.clone()], input, pos)?;
                    Ok(truthy(&r))
                })?;
                Val::array(sorted)
            }
        }
        "error" => {
            let msg = str_arg(&a0)
                .unwrap_or("$error() function evaluated")
                .to_string();
            return Err(derr("D3137", msg, pos));
        }
        "assert" => {
            if !matches!(a0, Val::Bool(true)) {
                let msg = str_arg(&a1)
                    .unwrap_or("$assert() statement failed")
                    .to_string();
                return Err(derr("D3141", msg, pos));
            }
            Val::Undef
        }
        "base64encode" => match str_arg(&a0) {
            Some(st) => s(base64_encode(st.as_bytes())),
            None => Val::Undef,
        },
        "base64decode" => match str_arg(&a0) {
            Some(st) => s(String::from_utf8_lossy(&base64_decode(st)).to_string()),
            None => Val::Undef,
        },
        "encodeUrlComponent" | "encodeUrl" => match str_arg(&a0) {
            Some(st) => s(crate::format::encode_uri(
                st,
                b.name == "encodeUrlComponent",
            )),
            None => Val::Undef,
        },
        "decodeUrlComponent" | "decodeUrl" => match str_arg(&a0) {
            Some(st) => match crate::format::decode_uri(st, b.name == "decodeUrlComponent") {
                Some(d) => s(d),
                None => {
                    return Err(derr(
                        "D3140",
                        format!("Malformed URL passed to ${}(): \"{st}\"", b.name),
                        pos,
                    ));
                }
            },
            None => Val::Undef,
        },
        "eval" => {
            let Some(src) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let node = crate::compile_node(src).map_err(|e| {
                derr(
                    "D3120",
                    format!(
                        "Syntax error in expression passed to function eval: {}",
                        e.message
                    ),
                    pos,
                )
            })?;
            let ctx = if args.len() > 1 && !a1.is_undef() {
                if a1.is_array() {
                    Val::seq(vec![a1.clone()]).with_flags(crate::value::OUTER)
                } else {
                    a1.clone()
                }
            } else {
                input.clone()
            };
            let Some(scope) = ev.call_scope.clone() else {
                return Ok(Val::Undef);
            };
            match ev.eval(&node, &ctx, &scope) {
                Ok(v) => v,
                Err(e) => {
                    return Err(derr(
                        "D3121",
                        format!(
                            "Dynamic error evaluating the expression passed to function eval: {}",
                            e.message
                        ),
                        pos,
                    ));
                }
            }
        }
        "millis" => Val::Num(ev.env.now_millis() as f64),
        "now" => {
            let ms = ev.env.now_millis() as f64;
            s(
                crate::datetime::from_millis(ms, str_arg(&a0), str_arg(&a1)).map_err(|mut e| {
                    e.position = Some(pos);
                    e
                })?,
            )
        }
        "fromMillis" => {
            let Some(ms) = num(&a0) else {
                return Ok(Val::Undef);
            };
            s(
                crate::datetime::from_millis(ms, str_arg(&a1), str_arg(&a2)).map_err(|mut e| {
                    e.position = Some(pos);
                    e
                })?,
            )
        }
        "toMillis" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            match crate::datetime::to_millis(st, str_arg(&a1), ev.env.now_millis()) {
                Ok(Some(ms)) => Val::Num(ms),
                Ok(None) => Val::Undef,
                Err(mut e) => {
                    e.position = Some(pos);
                    return Err(e);
                }
            }
        }
        "clone" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            a0
        }
        "partition" => {
            if a0.is_undef() {
                return Ok(Val::Undef);
            }
            let size = num(&a1).unwrap_or(0.0).floor();
            if size < 1.0 {
                return Err(derr(
                    "D3500",
                    "The size argument of $partition must be a positive integer",
                    pos,
                ));
            }
            let items = a0.to_vec();
            Val::array(
                items
                    .chunks(size as usize)
                    .map(|c| Val::array(c.to_vec()))
                    .collect(),
            )
        }
        "range" => {
            let (Some(start), Some(end)) = (num(&a0), num(&a1)) else {
                return Ok(Val::Undef);
            };
            let (start, end) = (start.floor(), end.floor());
            let step = num(&a2).map(f64::floor).unwrap_or(1.0);
            if step == 0.0 {
                return Err(derr(
                    "D3501",
                    "The step argument of $range must not be zero",
                    pos,
                ));
            }
            let count = ((end - start) / step).floor() + 1.0;
            if count > 1e7 {
                return Err(derr(
                    "D2014",
                    "The size of the sequence allocated by $range must not exceed 1e7",
                    pos,
                ));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x <= end) || (step < 0.0 && x >= end) {
                out.push(Val::Num(x));
                x += step;
            }
            Val::array(out)
        }
        "hash" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            let alg = str_arg(&a1).unwrap_or("SHA-256");
            match crate::format::hash(st, alg) {
                Some(h) => s(h),
                None => {
                    return Err(derr(
                        "D3502",
                        format!("Unsupported hash algorithm: {alg}"),
                        pos,
                    ));
                }
            }
        }
        "uuid" => s(ev.env.uuid()),
        "parse" => {
            let Some(st) = str_arg(&a0) else {
                return Ok(Val::Undef);
            };
            match serde_json::from_str::<Value>(st) {
                Ok(v) => from_owned(v),
                Err(e) => {
                    return Err(derr(
                        "D3503",
                        format!("The $parse function could not parse its argument as JSON: {e}"),
                        pos,
                    ));
                }
            }
        }
        _ => return Err(derr("T1006", format!("Unknown function ${}", b.name), pos)),
    };
    Ok(r)
}

fn hof_args<'a>(arity: usize, v: Val<'a>, i: Val<'a>, arr: &Val<'a>) -> Vec<Val<'a>> {
    let mut args = vec![v];
    if arity >= 2 {
        args.push(i);
    }
    if arity >= 3 {
        args.push(arr.clone());
    }
    args
}

/// A regular expression match with byte offsets.
pub(crate) struct Match {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub groups: Vec<String>,
}

fn regex_matches(re: &Re, st: &str) -> Vec<Match> {
    let mut out = Vec::new();
    for caps in re.re.captures_iter(st) {
        let Some(m) = caps.get(0) else { continue };
        let groups = (1..caps.len())
            .map(|i| {
                caps.get(i)
                    .map(|g| g.as_str().to_string())
                    .unwrap_or_default()
            })
            .collect();
        out.push(Match {
            start: m.start(),
            end: m.end(),
            text: m.as_str().to_string(),
            groups,
        });
    }
    out
}

/// Finds all matches of a regex or a custom matcher function in a string.
fn matches_of<'a>(
    ev: &mut Ev<'a, '_>,
    f: &Val<'a>,
    st: &str,
    pos: usize,
) -> Result<Vec<Match>, Error> {
    if let Val::Func(func) = f {
        if let Func::Regex(re) = &**func {
            let ms = regex_matches(re, st);
            if ms.iter().any(|m| m.start == m.end) {
                return Err(derr(
                    "D1004",
                    "Regular expression matches zero length string",
                    pos,
                ));
            }
            return Ok(ms);
        }
        // A custom matcher: call it and follow `next` links.
        let mut out = Vec::new();
        let mut r = ev.apply(f, vec![s(st)], &Val::Undef, pos)?;
        let mut guard = 0;
        while !r.is_undef() {
            guard += 1;
            if guard > 100_000 {
                break;
            }
            let (Some(text), Some(start), Some(end)) = (
                r.field("match").as_str().map(str::to_string),
                r.field("start").as_num(),
                r.field("end").as_num(),
            ) else {
                return Err(derr(
                    "T1010",
                    "The matcher function argument passed to function does not return the correct object structure",
                    pos,
                ));
            };
            let to_byte = |ci: f64| {
                st.char_indices()
                    .nth(ci as usize)
                    .map(|(b, _)| b)
                    .unwrap_or(st.len())
            };
            let groups = r
                .field("groups")
                .items()
                .map(|g| g.as_str().unwrap_or("").to_string())
                .collect();
            out.push(Match {
                start: to_byte(start),
                end: to_byte(end),
                text,
                groups,
            });
            let next = r.field("next");
            if !next.is_func() {
                break;
            }
            r = ev.apply(&next, vec![], &Val::Undef, pos)?;
        }
        return Ok(out);
    }
    Ok(Vec::new())
}

fn match_object<'a>(m: &Match, st: &str) -> Val<'a> {
    let mut o = ObjMap::default();
    o.insert("match".into(), s(m.text.as_str()));
    o.insert(
        "index".into(),
        Val::Num(st[..m.start].chars().count() as f64),
    );
    o.insert(
        "groups".into(),
        Val::array(m.groups.iter().map(|g| s(g.as_str())).collect()),
    );
    Val::Obj(Rc::new(o))
}

/// Applies a regex value as a function: the first match object with a `next` continuation.
pub(crate) fn regex_match_object<'a>(
    ev: &mut Ev<'a, '_>,
    re: &Arc<Re>,
    v: &Val<'a>,
    from: usize,
) -> Result<Val<'a>, Error> {
    let _ = ev;
    let Some(st) = v.as_str() else {
        return Ok(Val::Undef);
    };
    let ms = regex_matches(re, st);
    let Some(m) = ms.into_iter().find(|m| m.start >= from) else {
        return Ok(Val::Undef);
    };
    let mut o = ObjMap::default();
    o.insert("match".into(), s(m.text.as_str()));
    o.insert(
        "start".into(),
        Val::Num(st[..m.start].chars().count() as f64),
    );
    o.insert("end".into(), Val::Num(st[..m.end].chars().count() as f64));
    o.insert(
        "groups".into(),
        Val::array(m.groups.iter().map(|g| s(g.as_str())).collect()),
    );
    Ok(Val::Obj(Rc::new(o)))
}

/// Expands `$0`, `$1` .. and `$$` in a replacement string.
fn substitute(rep: &str, m: &Match) -> String {
    let cs: Vec<char> = rep.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '$' && i + 1 < cs.len() {
            if cs[i + 1] == '$' {
                out.push('$');
                i += 2;
                continue;
            }
            if cs[i + 1].is_ascii_digit() {
                // Take the longest group number that exists, as JSONata does.
                let mut j = i + 1;
                let mut best: Option<(usize, usize)> = None;
                let mut n = 0usize;
                while j < cs.len() && cs[j].is_ascii_digit() {
                    n = n * 10 + cs[j].to_digit(10).unwrap_or(0) as usize;
                    if n <= m.groups.len() {
                        best = Some((n, j + 1));
                    } else {
                        break;
                    }
                    j += 1;
                }
                match best {
                    Some((0, end)) => {
                        out.push_str(&m.text);
                        i = end;
                    }
                    Some((g, end)) => {
                        out.push_str(&m.groups[g - 1]);
                        i = end;
                    }
                    None => {
                        i += 2;
                    }
                }
                continue;
            }
        }
        out.push(cs[i]);
        i += 1;
    }
    out
}

/// Parses a string as `$number` does.
pub(crate) fn parse_number(st: &str) -> Option<f64> {
    let t = st.trim();
    let bytes = t.as_bytes();
    let valid = {
        let mut i = 0;
        if i < bytes.len() && bytes[i] == b'-' {
            i += 1;
        }
        let ds = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut ok = i > ds;
        if ok && i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let fs = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            ok = i > fs;
        }
        if ok && i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                i += 1;
            }
            let es = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            ok = i > es;
        }
        ok && i == bytes.len()
    };
    if valid {
        let n: f64 = t.parse().ok()?;
        return if n.is_finite() { Some(n) } else { None };
    }
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else {
        return None;
    };
    u64::from_str_radix(digits, radix).ok().map(|n| n as f64)
}

fn format_radix(n: f64, radix: u32) -> String {
    let neg = n < 0.0;
    let mut x = n.abs() as u128;
    if x == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    while x > 0 {
        let d = (x % radix as u128) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        x /= radix as u128;
    }
    if neg {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

fn seeded_random(seed: f64) -> f64 {
    let mut x = (seed as i64 as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let Some(v) = B64.iter().position(|&x| x == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}
