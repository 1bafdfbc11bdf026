//! XPath-style picture strings for numbers: `$formatNumber`, `$formatInteger` and
//! `$parseInteger`, also used for date/time components.

use crate::Error;
use crate::value::Val;

fn ferr(code: &str, msg: &str) -> Error {
    Error::new(code, msg)
}

/// The decimal-format properties used by `$formatNumber`.
struct DecimalFormat {
    decimal: char,
    grouping: char,
    exponent: char,
    infinity: String,
    nan: String,
    minus: char,
    percent: String,
    per_mille: String,
    zero: char,
    digit: char,
    pattern: char,
}

fn first_char(v: &Val, key: &str, default: char) -> char {
    v.field(key)
        .as_str()
        .and_then(|s| s.chars().next())
        .unwrap_or(default)
}

impl DecimalFormat {
    fn from_options(v: &Val) -> DecimalFormat {
        let string =
            |key: &str, default: &str| v.field(key).as_str().unwrap_or(default).to_string();
        DecimalFormat {
            decimal: first_char(v, "decimal-separator", '.'),
            grouping: first_char(v, "grouping-separator", ','),
            exponent: first_char(v, "exponent-separator", 'e'),
            infinity: string("infinity", "Infinity"),
            nan: string("NaN", "NaN"),
            minus: first_char(v, "minus-sign", '-'),
            percent: string("percent", "%"),
            per_mille: string("per-mille", "\u{2030}"),
            zero: first_char(v, "zero-digit", '0'),
            digit: first_char(v, "digit", '#'),
            pattern: first_char(v, "pattern-separator", ';'),
        }
    }

    fn digit_value(&self, c: char) -> Option<u32> {
        let d = (c as u32).wrapping_sub(self.zero as u32);
        if d < 10 { Some(d) } else { None }
    }

    fn to_family(&self, d: char) -> char {
        char::from_u32(self.zero as u32 + d.to_digit(10).unwrap_or(0)).unwrap_or(d)
    }
}

struct SubPicture {
    prefix: String,
    suffix: String,
    integer: Vec<char>,
    fraction: Vec<char>,
    exponent: Option<Vec<char>>,
    percent: bool,
    per_mille: bool,
}

fn parse_sub_picture(pic: &str, f: &DecimalFormat) -> Result<SubPicture, Error> {
    let chars: Vec<char> = pic.chars().collect();
    let is_digitish = |c: char| f.digit_value(c).is_some() || c == f.digit;
    let is_active =
        |c: char| is_digitish(c) || c == f.decimal || c == f.grouping || c == f.exponent;
    if !chars.iter().any(|c| is_digitish(*c)) {
        return Err(ferr(
            "D3086",
            "A sub-picture must contain at least one digit",
        ));
    }
    let start = chars.iter().position(|c| is_active(*c)).unwrap_or(0);
    let end = chars
        .iter()
        .rposition(|c| is_digitish(*c) || *c == f.decimal || *c == f.grouping)
        .map(|i| i + 1)
        .unwrap_or(chars.len())
        .max(start);
    let prefix: String = chars[..start].iter().collect();
    let suffix: String = chars[end..].iter().collect();
    let active: Vec<char> = chars[start..end].to_vec();
    let mut error: Option<&str> = None;
    if chars.iter().filter(|x| **x == f.decimal).count() > 1 {
        error = Some("D3081");
    }
    let percent = pic.matches(f.percent.as_str()).count();
    let per_mille = pic.matches(f.per_mille.as_str()).count();
    if percent > 1 {
        error = Some("D3082");
    }
    if per_mille > 1 {
        error = Some("D3083");
    }
    if percent > 0 && per_mille > 0 {
        error = Some("D3084");
    }
    let exp_pos = active.iter().position(|c| *c == f.exponent);
    let (mantissa, exponent) = match exp_pos {
        Some(p) => (active[..p].to_vec(), Some(active[p + 1..].to_vec())),
        None => (active.clone(), None),
    };
    if !mantissa.iter().any(|c| is_digitish(*c)) {
        error = Some("D3085");
    }
    if active.iter().any(|c| !is_active(*c)) {
        error = Some("D3086");
    }
    let dec_pos = mantissa.iter().position(|c| *c == f.decimal);
    let (integer, fraction) = match dec_pos {
        Some(p) => (mantissa[..p].to_vec(), mantissa[p + 1..].to_vec()),
        None => (mantissa.clone(), Vec::new()),
    };
    if let Some(p) = dec_pos {
        if (p > 0 && mantissa[p - 1] == f.grouping) || mantissa.get(p + 1) == Some(&f.grouping) {
            error = Some("D3087");
        }
    } else if integer.last() == Some(&f.grouping) {
        error = Some("D3088");
    }
    if chars
        .windows(2)
        .any(|w| w[0] == f.grouping && w[1] == f.grouping)
    {
        error = Some("D3089");
    }
    if let Some(p) = integer.iter().position(|c| *c == f.digit)
        && integer[..p].iter().any(|c| f.digit_value(*c).is_some())
    {
        error = Some("D3090");
    }
    if let Some(p) = fraction.iter().rposition(|c| *c == f.digit)
        && fraction[p..].iter().any(|c| f.digit_value(*c).is_some())
    {
        error = Some("D3091");
    }
    if let Some(e) = &exponent {
        if !e.is_empty() && (percent > 0 || per_mille > 0) {
            error = Some("D3092");
        }
        if e.is_empty() || e.iter().any(|c| f.digit_value(*c).is_none()) {
            error = Some("D3093");
        }
    }
    if let Some(code) = error {
        return Err(ferr(code, "Invalid picture string for $formatNumber"));
    }
    Ok(SubPicture {
        prefix,
        suffix,
        integer,
        fraction,
        exponent,
        percent: percent > 0,
        per_mille: per_mille > 0,
    })
}

/// Finds grouping separator positions (digits counted from one end) and whether they repeat.
fn grouping(
    chars: &[char],
    is_digit: &dyn Fn(char) -> bool,
    sep: &dyn Fn(char) -> bool,
) -> Vec<(usize, char)> {
    let mut positions = Vec::new();
    let mut digits = 0;
    for c in chars {
        if sep(*c) {
            positions.push((digits, *c));
        } else if is_digit(*c) {
            digits += 1;
        }
    }
    positions
}

fn regular(positions: &[(usize, char)]) -> Option<(usize, char)> {
    let first = *positions.first()?;
    if first.0 > 0
        && positions
            .iter()
            .enumerate()
            .all(|(i, (p, c))| *p == first.0 * (i + 1) && *c == first.1)
    {
        Some(first)
    } else {
        None
    }
}

fn group_digits(
    digits: &[char],
    positions: &[(usize, char)],
    map: &dyn Fn(char) -> char,
) -> String {
    let reg = regular(positions);
    let len = digits.len();
    let mut out = String::new();
    for (i, d) in digits.iter().enumerate() {
        let from_right = len - i;
        if i > 0 {
            match reg {
                Some((g, c)) => {
                    if from_right.is_multiple_of(g) {
                        out.push(c);
                    }
                }
                None => {
                    if let Some((_, c)) = positions.iter().find(|(p, _)| *p == from_right) {
                        out.push(*c);
                    }
                }
            }
        }
        out.push(map(*d));
    }
    out
}

/// Formats a number with an XPath-style decimal picture string.
pub(crate) fn format_number(n: f64, picture: &str, options: &Val) -> Result<String, Error> {
    let f = DecimalFormat::from_options(options);
    let parts: Vec<&str> = picture.split(f.pattern).collect();
    if parts.len() > 2 {
        return Err(ferr(
            "D3080",
            "The picture string must not contain more than one pattern separator",
        ));
    }
    let mut subs = Vec::new();
    for p in &parts {
        subs.push(parse_sub_picture(p, &f)?);
    }
    if n.is_nan() {
        return Ok(f.nan.clone());
    }
    let negative = n < 0.0;
    let (sp, add_minus) = if negative && subs.len() == 2 {
        (&subs[1], false)
    } else {
        (&subs[0], negative)
    };
    if n.is_infinite() {
        let sign = if add_minus {
            f.minus.to_string()
        } else {
            String::new()
        };
        return Ok(format!("{sign}{}{}{}", sp.prefix, f.infinity, sp.suffix));
    }
    let mut x = n.abs();
    if sp.percent {
        x *= 100.0;
    } else if sp.per_mille {
        x *= 1000.0;
    }
    let is_digit = |c: char| f.digit_value(c).is_some();
    let is_any_digit = |c: char| f.digit_value(c).is_some() || c == f.digit;
    let mut min_int = sp.integer.iter().filter(|c| is_digit(**c)).count();
    let scaling = min_int as i32;
    let mut min_frac = sp.fraction.iter().filter(|c| is_digit(**c)).count();
    let mut max_frac = sp.fraction.iter().filter(|c| is_any_digit(**c)).count();
    let has_exp = sp.exponent.is_some();
    if min_int == 0 && max_frac == 0 {
        if has_exp {
            min_frac = 1;
            max_frac = 1;
        } else {
            min_int = 1;
        }
    }
    if has_exp && min_int == 0 && sp.integer.contains(&f.digit) {
        min_int = 1;
    }
    let mut exp = 0i32;
    if has_exp && x != 0.0 {
        let mag = x.log10().floor() as i32 + 1;
        exp = mag - scaling;
        x /= 10f64.powi(exp);
        let rounded: f64 = format!("{:.*}", max_frac, x).parse().unwrap_or(x);
        if rounded >= 10f64.powi(scaling) {
            exp += 1;
            x /= 10.0;
        }
    }
    let text = format!("{:.*}", max_frac, x);
    let (int_digits, frac_digits) = match text.split_once('.') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut int_digits = int_digits.trim_start_matches('0').to_string();
    while int_digits.len() < min_int {
        int_digits.insert(0, '0');
    }
    let mut frac_digits = frac_digits;
    while frac_digits.len() > min_frac && frac_digits.ends_with('0') {
        frac_digits.pop();
    }
    let rev: Vec<char> = sp.integer.iter().rev().copied().collect();
    let int_positions = grouping(&rev, &is_any_digit, &|c| c == f.grouping);
    let digits: Vec<char> = int_digits.chars().collect();
    let int_out = group_digits(&digits, &int_positions, &|d| f.to_family(d));
    let frac_positions = grouping(&sp.fraction, &is_any_digit, &|c| c == f.grouping);
    let mut frac_out = String::new();
    for (i, d) in frac_digits.chars().enumerate() {
        if i > 0
            && let Some((_, c)) = frac_positions.iter().find(|(p, _)| *p == i)
        {
            frac_out.push(*c);
        }
        frac_out.push(f.to_family(d));
    }
    let mut out = String::new();
    if add_minus {
        out.push(f.minus);
    }
    out.push_str(&sp.prefix);
    out.push_str(&int_out);
    if !frac_out.is_empty() {
        out.push(f.decimal);
        out.push_str(&frac_out);
    }
    if let Some(e) = &sp.exponent {
        out.push(f.exponent);
        if exp < 0 {
            out.push(f.minus);
        }
        let mut ed = exp.unsigned_abs().to_string();
        while ed.len() < e.len() {
            ed.insert(0, '0');
        }
        out.extend(ed.chars().map(|d| f.to_family(d)));
    }
    out.push_str(&sp.suffix);
    Ok(out)
}

/// A parsed integer picture: its primary format and modifiers.
pub(crate) struct IntPicture {
    kind: IntKind,
    ordinal: bool,
}

enum IntKind {
    Decimal {
        zero: char,
        mandatory: usize,
        positions: Vec<(usize, char)>,
    },
    Alpha(bool),
    Roman(bool),
    Words(WordCase),
}

#[derive(Clone, Copy, PartialEq)]
enum WordCase {
    Lower,
    Upper,
    Title,
}

fn zero_of(c: char) -> Option<char> {
    const ZEROS: [u32; 24] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0xFF10, 0x1D7CE,
    ];
    let cp = c as u32;
    ZEROS
        .iter()
        .find(|z| cp >= **z && cp < **z + 10)
        .and_then(|z| char::from_u32(*z))
}

/// Parses an integer picture such as `#,##0`, `w;o` or `I`.
pub(crate) fn parse_int_picture(picture: &str) -> Result<IntPicture, Error> {
    let (primary, modifier) = match picture.rfind(';') {
        Some(i) if i > 0 => (&picture[..i], &picture[i + 1..]),
        _ => (picture, ""),
    };
    let ordinal = modifier.starts_with('o');
    let kind = match primary {
        "A" => IntKind::Alpha(true),
        "a" => IntKind::Alpha(false),
        "I" => IntKind::Roman(true),
        "i" => IntKind::Roman(false),
        "W" => IntKind::Words(WordCase::Upper),
        "w" => IntKind::Words(WordCase::Lower),
        "Ww" => IntKind::Words(WordCase::Title),
        _ => {
            let mut zero: Option<char> = None;
            let mut mandatory = 0;
            let mut positions = Vec::new();
            let mut digits = 0;
            for c in primary.chars().rev() {
                if let Some(z) = zero_of(c) {
                    if zero.is_some_and(|x| x != z) {
                        return Err(ferr(
                            "D3131",
                            "The digits in a decimal-digit pattern must all be from the same decimal group",
                        ));
                    }
                    zero = Some(z);
                    mandatory += 1;
                    digits += 1;
                } else if c == '#' {
                    digits += 1;
                } else if c.is_alphanumeric() {
                    return Err(ferr(
                        "D3130",
                        "Formatting or parsing an integer with this picture is not supported",
                    ));
                } else {
                    positions.push((digits, c));
                }
            }
            let Some(zero) = zero else {
                return Err(ferr(
                    "D3130",
                    "Formatting or parsing an integer with this picture is not supported",
                ));
            };
            IntKind::Decimal {
                zero,
                mandatory,
                positions,
            }
        }
    };
    Ok(IntPicture { kind, ordinal })
}

/// Formats an integer with an XPath-style integer picture string.
pub(crate) fn format_integer(n: f64, picture: &str) -> Result<String, Error> {
    let pic = parse_int_picture(picture)?;
    Ok(format_int_with(n, &pic))
}

/// Formats an integer with a parsed picture.
pub(crate) fn format_int_with(n: f64, pic: &IntPicture) -> String {
    let neg = n < 0.0;
    let v = n.abs().floor();
    let body = match &pic.kind {
        IntKind::Alpha(upper) => alpha(v as u64, *upper),
        IntKind::Roman(upper) => {
            let r = roman(v as u64);
            if *upper { r } else { r.to_lowercase() }
        }
        IntKind::Words(case) => {
            let w = if pic.ordinal {
                ordinal_words(&words(v))
            } else {
                words(v)
            };
            match case {
                WordCase::Lower => w,
                WordCase::Upper => w.to_uppercase(),
                WordCase::Title => title_case(&w),
            }
        }
        IntKind::Decimal {
            zero,
            mandatory,
            positions,
        } => {
            let mut digits = format!("{v:.0}");
            while digits.len() < *mandatory {
                digits.insert(0, '0');
            }
            let ds: Vec<char> = digits.chars().collect();
            let mut out = group_digits(&ds, positions, &|d| {
                char::from_u32(*zero as u32 + d.to_digit(10).unwrap_or(0)).unwrap_or(d)
            });
            if pic.ordinal {
                let last2 = (v % 100.0) as u64;
                let suffix = match (last2 / 10 == 1, last2 % 10) {
                    (true, _) => "th",
                    (_, 1) => "st",
                    (_, 2) => "nd",
                    (_, 3) => "rd",
                    _ => "th",
                };
                out.push_str(suffix);
            }
            out
        }
    };
    if neg { format!("-{body}") } else { body }
}

fn alpha(mut n: u64, upper: bool) -> String {
    let base = if upper { b'A' } else { b'a' };
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((base + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

const ROMAN: [(u64, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

fn roman(mut n: u64) -> String {
    let mut out = String::new();
    for (v, s) in ROMAN {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

const FEW: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: [&str; 5] = ["", "thousand", "million", "billion", "trillion"];

fn words(n: f64) -> String {
    if n < 20.0 {
        return FEW[n as usize].to_string();
    }
    if n < 100.0 {
        let t = (n / 10.0).floor() as usize;
        let u = (n % 10.0) as usize;
        return if u == 0 {
            TENS[t].to_string()
        } else {
            format!("{}-{}", TENS[t], FEW[u])
        };
    }
    if n < 1000.0 {
        let h = (n / 100.0).floor();
        let rem = n - h * 100.0;
        let head = format!("{} hundred", FEW[h as usize]);
        return if rem > 0.0 {
            format!("{head} and {}", words(rem))
        } else {
            head
        };
    }
    let mag = n.log10().floor() as usize;
    let idx = (mag / 3).min(4);
    let factor = 10f64.powi(idx as i32 * 3);
    let mant = (n / factor).floor();
    let rem = n - mant * factor;
    let head = format!("{} {}", words(mant), SCALES[idx]);
    if rem > 0.0 {
        let sep = if rem < 100.0 { " and " } else { ", " };
        format!("{head}{sep}{}", words(rem))
    } else {
        head
    }
}

fn ordinal_words(w: &str) -> String {
    let cut = w.rfind([' ', '-']).map(|i| i + 1).unwrap_or(0);
    let (head, last) = w.split_at(cut);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        l if l.ends_with('y') => format!("{}ieth", &l[..l.len() - 1]),
        l => format!("{l}th"),
    };
    format!("{head}{last}")
}

fn title_case(w: &str) -> String {
    let mut out = String::new();
    for part in w.split_inclusive([' ', '-']) {
        let word = part.trim_end_matches([' ', '-']);
        if word == "and" {
            out.push_str(part);
            continue;
        }
        let mut cs = part.chars();
        if let Some(c) = cs.next() {
            out.extend(c.to_uppercase());
            out.extend(cs);
        }
    }
    out
}

fn word_value(w: &str) -> Option<f64> {
    if let Some(i) = FEW.iter().position(|x| *x == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|x| !x.is_empty() && *x == w) {
        return Some(i as f64 * 10.0);
    }
    match w {
        "hundred" => Some(100.0),
        "thousand" => Some(1e3),
        "million" => Some(1e6),
        "billion" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

fn unordinal(w: &str) -> String {
    let direct = [
        ("first", "one"),
        ("second", "two"),
        ("third", "three"),
        ("fifth", "five"),
        ("eighth", "eight"),
        ("ninth", "nine"),
        ("twelfth", "twelve"),
    ];
    for (o, c) in direct {
        if w == o {
            return c.to_string();
        }
    }
    if let Some(stem) = w.strip_suffix("ieth") {
        return format!("{stem}y");
    }
    if let Some(stem) = w.strip_suffix("th")
        && word_value(stem).is_some()
    {
        return stem.to_string();
    }
    w.to_string()
}

fn words_value(tokens: &[f64]) -> f64 {
    // Split at the last occurrence of the largest scale word (a hundred and above).
    let max = tokens
        .iter()
        .copied()
        .filter(|v| *v >= 100.0)
        .fold(0.0, f64::max);
    if max == 0.0 {
        return tokens.iter().sum();
    }
    let idx = tokens.iter().rposition(|v| *v == max).unwrap_or(0);
    let left = if idx == 0 {
        1.0
    } else {
        words_value(&tokens[..idx])
    };
    left * max + words_value(&tokens[idx + 1..])
}

/// Parses an integer with an XPath-style integer picture string.
pub(crate) fn parse_integer(text: &str, picture: &str) -> Result<Option<f64>, Error> {
    let pic = parse_int_picture(picture)?;
    Ok(parse_int_with(text, &pic).map(|(v, _)| v))
}

/// Parses an integer at the start of `text`; returns the value and the characters consumed.
pub(crate) fn parse_int_with(text: &str, pic: &IntPicture) -> Option<(f64, usize)> {
    match &pic.kind {
        IntKind::Alpha(_) => {
            let mut v = 0f64;
            let mut n = 0;
            for c in text.chars() {
                if !c.is_ascii_alphabetic() {
                    break;
                }
                v = v * 26.0 + (c.to_ascii_lowercase() as u32 - 'a' as u32 + 1) as f64;
                n += 1;
            }
            Some((v, n))
        }
        IntKind::Roman(_) => {
            let up: Vec<char> = text
                .chars()
                .take_while(|c| "IVXLCDMivxlcdm".contains(*c))
                .collect();
            let val = |c: char| match c.to_ascii_uppercase() {
                'I' => 1.0,
                'V' => 5.0,
                'X' => 10.0,
                'L' => 50.0,
                'C' => 100.0,
                'D' => 500.0,
                _ => 1000.0,
            };
            let mut total = 0.0;
            for (i, c) in up.iter().enumerate() {
                let v = val(*c);
                if up.get(i + 1).is_some_and(|n| val(*n) > v) {
                    total -= v;
                } else {
                    total += v;
                }
            }
            Some((total, up.len()))
        }
        IntKind::Words(_) => {
            let lower = text.to_lowercase();
            let mut tokens = Vec::new();
            for t in lower.split([' ', '-', ',']) {
                if t.is_empty() || t == "and" {
                    continue;
                }
                tokens.push(word_value(&unordinal(t))?);
            }
            Some((words_value(&tokens), text.chars().count()))
        }
        IntKind::Decimal {
            zero, positions, ..
        } => {
            let seps: Vec<char> = positions.iter().map(|(_, c)| *c).collect();
            let mut v = 0f64;
            let mut n = 0;
            let mut any = false;
            let chars: Vec<char> = text.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let d = (c as u32).wrapping_sub(*zero as u32);
                if d < 10 {
                    v = v * 10.0 + d as f64;
                    any = true;
                } else if seps.contains(&c)
                    && chars
                        .get(i + 1)
                        .is_some_and(|n| (*n as u32).wrapping_sub(*zero as u32) < 10)
                {
                    // A grouping separator between digits.
                } else {
                    break;
                }
                i += 1;
                n = i;
            }
            if pic.ordinal && any {
                let rest: String = chars[n..].iter().take(2).collect();
                if ["st", "nd", "rd", "th"].contains(&rest.as_str()) {
                    n += 2;
                }
            }
            if any { Some((v, n)) } else { None }
        }
    }
}
