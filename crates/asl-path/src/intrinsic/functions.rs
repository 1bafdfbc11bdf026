//! Evaluation of the 18 intrinsic functions with AWS's semantics.

use std::collections::HashSet;

use base64::Engine as _;
use serde_json::{Map, Number, Value};

use super::{Arg, Call, Env};
use crate::{EvalError, json};

/// The largest input `States.Base64Encode`, `States.Base64Decode` and `States.Hash` accept.
const MAX_STRING_CHARS: usize = 10_000;
/// The most items `States.ArrayRange` may produce.
const MAX_RANGE_ITEMS: i64 = 1000;

pub(super) fn eval_call(
    call: &Call,
    input: &Value,
    context: &Value,
    vars: &dyn Fn(&str) -> Option<Value>,
    env: &mut dyn Env,
) -> Result<Value, EvalError> {
    let mut args = Vec::with_capacity(call.args.len());
    for a in &call.args {
        args.push(match a {
            Arg::String(s) => Value::String(s.clone()),
            Arg::Number(n) => Value::Number(n.clone()),
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Null => Value::Null,
            Arg::Path(p) => p.eval(input, context, vars)?,
            Arg::Call(c) => eval_call(c, input, context, vars, env)?,
        });
    }
    let name = call.name.as_str();
    let f = Check { name };
    match name {
        "States.Array" => Ok(Value::Array(args)),
        "States.ArrayPartition" => {
            let items = f.array(&args[0], 1)?;
            let size = f.int(&args[1], 2)?;
            if size <= 0 {
                return Err(f.fail(format!(
                    "The chunk size must be a positive integer, but was {size}"
                )));
            }
            let chunks = items
                .chunks(size as usize)
                .map(|c| Value::Array(c.to_vec()))
                .collect();
            Ok(Value::Array(chunks))
        }
        "States.ArrayContains" => {
            let items = f.array(&args[0], 1)?;
            Ok(Value::Bool(
                items.iter().any(|x| json::java_eq(x, &args[1])),
            ))
        }
        "States.ArrayRange" => {
            let start = f.int(&args[0], 1)?;
            let end = f.int(&args[1], 2)?;
            let step = f.int(&args[2], 3)?;
            if step == 0 {
                return Err(f.fail("The step value cannot be 0"));
            }
            let count = if (end - start) * step.signum() < 0 {
                0
            } else {
                (end - start) / step + 1
            };
            if count > MAX_RANGE_ITEMS {
                return Err(f.fail(format!(
                    "The array range cannot contain more than {MAX_RANGE_ITEMS} items, but would contain {count}"
                )));
            }
            Ok(Value::Array(
                (0..count).map(|i| Value::from(start + i * step)).collect(),
            ))
        }
        "States.ArrayGetItem" => {
            let items = f.array(&args[0], 1)?;
            let index = f.int(&args[1], 2)?;
            usize::try_from(index)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| {
                    f.fail(format!(
                        "The index {index} is out of bounds for an array of length {}",
                        items.len()
                    ))
                })
        }
        "States.ArrayLength" => Ok(Value::from(f.array(&args[0], 1)?.len())),
        "States.ArrayUnique" => {
            let items = f.array(&args[0], 1)?;
            let mut seen = HashSet::new();
            let out = items
                .iter()
                .filter(|x| seen.insert(json::canonical(x)))
                .cloned()
                .collect();
            Ok(Value::Array(out))
        }
        "States.Base64Encode" => {
            let s = f.string(&args[0], 1)?;
            f.check_len(s)?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
            ))
        }
        "States.Base64Decode" => {
            let s = f.string(&args[0], 1)?;
            f.check_len(s)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|_| f.fail("The input is not valid Base64"))?;
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
        "States.Hash" => {
            // Non-string data is printed the way States.Format prints it (Java's toString).
            let data = match &args[0] {
                Value::String(s) => s.clone(),
                Value::Null => return Err(f.fail("The data to hash cannot be null")),
                other => {
                    let mut s = String::new();
                    json::java_to_string(other, &mut s);
                    s
                }
            };
            f.check_len(&data)?;
            let alg = f.string(&args[1], 2)?;
            Ok(Value::String(hash(alg, data.as_bytes()).ok_or_else(|| {
                f.fail(format!(
                    "The hash algorithm '{alg}' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"
                ))
            })?))
        }
        "States.JsonMerge" => {
            let (Value::Object(a), Value::Object(b)) = (&args[0], &args[1]) else {
                return Err(f.fail("The first two arguments must be JSON objects"));
            };
            match &args[2] {
                Value::Bool(false) => {}
                Value::Bool(true) => {
                    return Err(
                        f.fail("Deep merging is not supported; the third argument must be false")
                    );
                }
                _ => return Err(f.fail("The third argument must be a boolean")),
            }
            let mut out: Map<String, Value> = a.clone();
            for (k, v) in b {
                out.insert(k.clone(), v.clone());
            }
            Ok(Value::Object(out))
        }
        "States.StringToJson" => {
            let s = f.string(&args[0], 1)?;
            if s.trim().is_empty() {
                return Ok(Value::Null);
            }
            serde_json::from_str::<Value>(s)
                .map(json::normalize_negative_zero)
                .map_err(|_| f.fail(format!("The string '{s}' is not valid JSON")))
        }
        "States.JsonToString" => Ok(Value::String(json::java_json(&args[0]))),
        "States.MathRandom" => {
            let start = f.int(&args[0], 1)?;
            let end = f.int(&args[1], 2)?;
            if end <= start {
                return Err(f.fail("The end of the range must be greater than the start"));
            }
            let span = end - start;
            let r = match args.get(2) {
                Some(seed) => {
                    let seed = f.int(seed, 3)?;
                    if let Ok(bound) = i32::try_from(span) {
                        i64::from(JavaRandom::new(seed).next_int(bound))
                    } else {
                        JavaRandom::new(seed).next_long().rem_euclid(span)
                    }
                }
                None => (env.random_u64() % span as u64) as i64,
            };
            Ok(Value::from(start + r))
        }
        "States.MathAdd" => {
            let a = f.int32(&args[0], 1)?;
            let b = f.int32(&args[1], 2)?;
            Ok(Value::from(a + b))
        }
        "States.StringSplit" => {
            let s = f.string(&args[0], 1)?;
            let d = f.string(&args[1], 2)?;
            let parts: Vec<Value> = if d.is_empty() {
                s.chars().map(|c| Value::String(c.to_string())).collect()
            } else {
                s.split(|c: char| d.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_string()))
                    .collect()
            };
            Ok(Value::Array(parts))
        }
        "States.UUID" => Ok(Value::String(env.uuid())),
        "States.Format" => {
            let owned;
            let pieces: &[String] = match &call.format_pieces {
                Some(p) => p,
                None => {
                    let template = f.string(&args[0], 1)?;
                    owned = template.split("{}").map(str::to_string).collect::<Vec<_>>();
                    &owned
                }
            };
            let values = &args[1..];
            if pieces.len() - 1 != values.len() {
                return Err(f.fail(format!(
                    "The number of arguments ({}) does not match the number of placeholders ({}) in the template",
                    values.len(),
                    pieces.len() - 1
                )));
            }
            let mut out = pieces[0].clone();
            for (v, piece) in values.iter().zip(&pieces[1..]) {
                json::java_to_string(v, &mut out);
                out.push_str(piece);
            }
            Ok(Value::String(out))
        }
        other => Err(EvalError::intrinsic(format!(
            "The intrinsic function {other} is not supported"
        ))),
    }
}

/// Argument checks for one function, producing `States.IntrinsicFailure` errors.
struct Check<'a> {
    name: &'a str,
}

impl Check<'_> {
    fn fail(&self, msg: impl std::fmt::Display) -> EvalError {
        EvalError::intrinsic(format!("Invalid arguments in {}: {}", self.name, msg))
    }

    fn type_error(&self, pos: usize, expected: &str, got: &Value) -> EvalError {
        self.fail(format!(
            "argument {pos} must be {expected}, but was {} ({})",
            json::type_name(got),
            json::compact(got)
        ))
    }

    fn array<'v>(&self, v: &'v Value, pos: usize) -> Result<&'v Vec<Value>, EvalError> {
        v.as_array()
            .ok_or_else(|| self.type_error(pos, "an array", v))
    }

    fn string<'v>(&self, v: &'v Value, pos: usize) -> Result<&'v str, EvalError> {
        v.as_str()
            .ok_or_else(|| self.type_error(pos, "a string", v))
    }

    /// A number rounded like Java's `Math.round` (half up), as a 64-bit integer.
    fn int(&self, v: &Value, pos: usize) -> Result<i64, EvalError> {
        let Value::Number(n) = v else {
            return Err(self.type_error(pos, "a number", v));
        };
        round_number(n).ok_or_else(|| self.type_error(pos, "a number in the integer range", v))
    }

    /// Like [`Check::int`], limited to Java's `int` range.
    fn int32(&self, v: &Value, pos: usize) -> Result<i64, EvalError> {
        let i = self.int(v, pos)?;
        if i32::try_from(i).is_err() {
            return Err(self.type_error(pos, "an integer between -2147483648 and 2147483647", v));
        }
        Ok(i)
    }

    fn check_len(&self, s: &str) -> Result<(), EvalError> {
        let n = s.chars().count();
        if n > MAX_STRING_CHARS {
            return Err(self.fail(format!(
                "The input is {n} characters long; the maximum is {MAX_STRING_CHARS}"
            )));
        }
        Ok(())
    }
}

fn round_number(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    let r = (f + 0.5).floor();
    if r.is_finite() && r >= i64::MIN as f64 && r <= i64::MAX as f64 {
        Some(r as i64)
    } else {
        None
    }
}

fn hash(alg: &str, data: &[u8]) -> Option<String> {
    use sha2::Digest as _;
    let bytes: Vec<u8> = match alg {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    };
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    Some(out)
}

/// `java.util.Random`, so a seeded `States.MathRandom` gives the numbers Java would.
struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULT: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: i64) -> JavaRandom {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULT) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(Self::MULT).wrapping_add(0xB)) & Self::MASK;
        (self.seed >> (48 - bits)) as i64 as i32
    }

    fn next_int(&mut self, bound: i32) -> i32 {
        if bound & -bound == bound {
            return ((i64::from(bound) * i64::from(self.next(31))) >> 31) as i32;
        }
        loop {
            let bits = self.next(31);
            let val = bits % bound;
            if bits.wrapping_sub(val).wrapping_add(bound - 1) >= 0 {
                return val;
            }
        }
    }

    fn next_long(&mut self) -> i64 {
        (i64::from(self.next(32)) << 32).wrapping_add(i64::from(self.next(32)))
    }
}
