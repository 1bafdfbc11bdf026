//! XPath-style date/time picture strings for `$fromMillis` and `$toMillis`.

use crate::Error;
use crate::datetime::{civil_from_days, days_from_civil};
use crate::numfmt::{IntPicture, format_int_with, parse_int_picture, parse_int_with};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn derr(code: &str, msg: &str) -> Error {
    Error::new(code, msg)
}

/// One part of a picture: literal text or a component marker.
enum Part {
    Literal(String),
    Marker(Marker),
}

struct Marker {
    component: char,
    /// The primary presentation modifier, such as `01`, `Nn`, `w` or `I`.
    presentation: String,
    /// The secondary modifier: `o` (ordinal), `t` (traditional) or `c`.
    secondary: Option<char>,
    min_width: Option<usize>,
    max_width: Option<usize>,
}

fn parse_picture(picture: &str) -> Result<Vec<Part>, Error> {
    let chars: Vec<char> = picture.chars().collect();
    // Check that every marker is closed before interpreting any of them.
    let mut j = 0;
    while j < chars.len() {
        if chars[j] == '[' && chars.get(j + 1) == Some(&'[') {
            j += 2;
            continue;
        }
        if chars[j] == '[' && !chars[j..].contains(&']') {
            return Err(derr(
                "D3135",
                "No matching closing bracket ']' in date/time picture string",
            ));
        }
        j += 1;
    }
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if chars.get(i + 1) == Some(&'[') {
                lit.push('[');
                i += 2;
                continue;
            }
            let Some(close) = chars[i..].iter().position(|x| *x == ']') else {
                return Err(derr(
                    "D3135",
                    "No matching closing bracket ']' in date/time picture string",
                ));
            };
            let body: String = chars[i + 1..i + close]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !lit.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut lit)));
            }
            parts.push(Part::Marker(parse_marker(&body)?));
            i += close + 1;
            continue;
        }
        if c == ']' && chars.get(i + 1) == Some(&']') {
            lit.push(']');
            i += 2;
            continue;
        }
        lit.push(c);
        i += 1;
    }
    if !lit.is_empty() {
        parts.push(Part::Literal(lit));
    }
    Ok(parts)
}

fn parse_marker(body: &str) -> Result<Marker, Error> {
    let mut chars = body.chars();
    let component = chars.next().unwrap_or(' ');
    if !"YMDdFWwXxHhPmsfZzCE".contains(component) {
        return Err(derr(
            "D3132",
            "Unknown component specifier in date/time picture string",
        ));
    }
    let rest: String = chars.collect();
    let (pres, width) = match rest.rfind(',') {
        Some(i) => (rest[..i].to_string(), Some(rest[i + 1..].to_string())),
        None => (rest, None),
    };
    let (mut min_width, mut max_width) = (None, None);
    if let Some(w) = width {
        let (a, b) = match w.split_once('-') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (w.clone(), None),
        };
        min_width = a.parse().ok();
        max_width = b.and_then(|b| b.parse().ok());
    }
    let mut presentation = pres;
    let mut secondary = None;
    if (presentation.len() > 1
        || (component != 'P' && (presentation == "o" || presentation == "t")))
        && let Some(last) = presentation.chars().last()
        && matches!(last, 'o' | 't' | 'c')
        && !(presentation == "Nn" || presentation == "Ww")
    {
        let keep = presentation.len() - 1;
        // Only strip a trailing modifier that follows a primary modifier.
        if keep > 0 || component == 'Z' {
            secondary = Some(last);
            presentation.truncate(keep);
        }
    }
    if presentation.is_empty() {
        presentation = match component {
            'F' | 'P' | 'C' | 'E' => "n".into(),
            'm' | 's' => "01".into(),
            'Z' | 'z' => "01:01".into(),
            _ => "1".into(),
        };
    }
    let is_name = matches!(presentation.as_str(), "N" | "n" | "Nn");
    if is_name && !matches!(component, 'M' | 'F' | 'P' | 'x' | 'C' | 'E') {
        return Err(derr(
            "D3133",
            "The name modifier is not supported for this component",
        ));
    }
    Ok(Marker {
        component,
        presentation,
        secondary,
        min_width,
        max_width,
    })
}

/// Broken-down date/time fields.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    days: i64,
}

fn fields(ms: i64) -> Fields {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Fields {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        milli: rem % 1000,
        days,
    }
}

/// The ISO day of week (1 = Monday) for days since the epoch.
fn iso_dow(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The ISO week-numbering year and week for days since the epoch.
fn iso_week(days: i64) -> (i64, i64) {
    let thursday = days - iso_dow(days) + 4;
    let (y, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    (y, (thursday - jan1) / 7 + 1)
}

/// The week of the month (weeks belong to the month holding their Thursday) and that month.
fn month_week(days: i64) -> (i64, i64) {
    let thursday = days - iso_dow(days) + 4;
    let (y, m, _) = civil_from_days(thursday);
    let first = days_from_civil(y, m, 1);
    let first_thursday = first + (4 - iso_dow(first)).rem_euclid(7);
    (m, (thursday - first_thursday) / 7 + 1)
}

fn name_case(name: &str, presentation: &str, max: Option<usize>) -> String {
    let mut n: String = match max {
        Some(m) => name.chars().take(m).collect(),
        None => name.to_string(),
    };
    match presentation {
        "N" => n = n.to_uppercase(),
        "n" => n = n.to_lowercase(),
        _ => {}
    }
    n
}

fn int_picture(m: &Marker) -> Result<IntPicture, Error> {
    let mut p = m.presentation.clone();
    if m.secondary == Some('o') {
        p.push_str(";o");
    }
    parse_int_picture(&p)
}

fn format_number_part(m: &Marker, value: i64) -> Result<String, Error> {
    let pic = int_picture(m)?;
    let mut s = format_int_with(value as f64, &pic);
    let is_decimal = m.presentation.chars().any(|c| c.is_ascii_digit());
    if is_decimal && let Some(min) = m.min_width {
        while s.chars().count() < min {
            s.insert(0, '0');
        }
    }
    if m.component == 'Y' && is_decimal {
        let max = m
            .max_width
            .or(if m.presentation == "1" && m.min_width == Some(2) {
                Some(2)
            } else {
                None
            });
        if let Some(max) = max {
            let n = s.chars().count();
            if n > max {
                s = s.chars().skip(n - max).collect();
            }
        }
    }
    Ok(s)
}

fn parse_offset(tz: &str) -> Option<i64> {
    let t = tz.trim();
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => (1, t),
    };
    let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i64>().ok()?, 0),
        3 => (
            digits[..1].parse::<i64>().ok()?,
            digits[1..].parse::<i64>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 60 + m))
}

fn format_tz(m: &Marker, offset: i64) -> Result<String, Error> {
    if m.secondary == Some('t') && offset == 0 {
        return Ok("Z".into());
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let (h, mi) = (offset.abs() / 60, offset.abs() % 60);
    let p: Vec<char> = m.presentation.chars().collect();
    let digits = p.iter().filter(|c| c.is_ascii_digit()).count();
    if digits > 4 {
        return Err(derr(
            "D3134",
            "The timezone integer format specifier cannot have more than four digits",
        ));
    }
    let sep: Option<char> = p.iter().find(|c| !c.is_ascii_digit()).copied();
    let body = if digits <= 2 {
        let hs = if digits == 2 {
            format!("{h:02}")
        } else {
            h.to_string()
        };
        if mi != 0 { format!("{hs}:{mi:02}") } else { hs }
    } else if let Some(sep) = sep {
        let hdigits = p.iter().position(|c| *c == sep).unwrap_or(2);
        let hs = if hdigits >= 2 {
            format!("{h:02}")
        } else {
            h.to_string()
        };
        format!("{hs}{sep}{mi:02}")
    } else {
        format!("{h:02}{mi:02}")
    };
    Ok(format!("{sign}{body}"))
}

/// Formats a timestamp with a picture string.
pub(crate) fn format_datetime(ms: f64, picture: &str, tz: Option<&str>) -> Result<String, Error> {
    let offset = tz.and_then(parse_offset).unwrap_or(0);
    let parts = parse_picture(picture)?;
    let local = ms.floor() as i64 + offset * 60_000;
    let f = fields(local);
    let mut out = String::new();
    for part in parts {
        let m = match part {
            Part::Literal(s) => {
                out.push_str(&s);
                continue;
            }
            Part::Marker(m) => m,
        };
        let text = match m.component {
            'Y' => format_number_part(&m, f.year)?,
            'M' => {
                if matches!(m.presentation.as_str(), "N" | "n" | "Nn") {
                    name_case(MONTHS[(f.month - 1) as usize], &m.presentation, m.max_width)
                } else {
                    format_number_part(&m, f.month)?
                }
            }
            'D' => format_number_part(&m, f.day)?,
            'd' => format_number_part(&m, f.days - days_from_civil(f.year, 1, 1) + 1)?,
            'F' => {
                let dow = iso_dow(f.days);
                if matches!(m.presentation.as_str(), "N" | "n" | "Nn") {
                    name_case(DAYS[(dow - 1) as usize], &m.presentation, m.max_width)
                } else {
                    format_number_part(&m, dow)?
                }
            }
            'W' => format_number_part(&m, iso_week(f.days).1)?,
            'X' => format_number_part(&m, iso_week(f.days).0)?,
            'w' => format_number_part(&m, month_week(f.days).1)?,
            'x' => {
                let month = month_week(f.days).0;
                if matches!(m.presentation.as_str(), "N" | "n" | "Nn") {
                    name_case(MONTHS[(month - 1) as usize], &m.presentation, m.max_width)
                } else {
                    format_number_part(&m, month)?
                }
            }
            'H' => format_number_part(&m, f.hour)?,
            'h' => {
                let h = f.hour % 12;
                format_number_part(&m, if h == 0 { 12 } else { h })?
            }
            'P' => {
                let s = if f.hour < 12 { "am" } else { "pm" };
                if m.presentation == "N" {
                    s.to_uppercase()
                } else {
                    s.to_string()
                }
            }
            'm' => format_number_part(&m, f.minute)?,
            's' => format_number_part(&m, f.second)?,
            'f' => {
                let digits = m
                    .presentation
                    .chars()
                    .filter(|c| c.is_ascii_digit())
                    .count()
                    .max(m.min_width.unwrap_or(0))
                    .max(1);
                let v = if digits <= 3 {
                    f.milli / 10i64.pow(3 - digits as u32)
                } else {
                    f.milli * 10i64.pow(digits as u32 - 3)
                };
                format!("{v:0digits$}")
            }
            'Z' => format_tz(&m, offset)?,
            'z' => {
                let inner = Marker {
                    component: 'Z',
                    presentation: m.presentation.clone(),
                    secondary: None,
                    min_width: None,
                    max_width: None,
                };
                format!("GMT{}", format_tz(&inner, offset)?)
            }
            _ => "ISO".to_string(),
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// Parses a timestamp with a picture string; `None` if the text does not match.
pub(crate) fn parse_datetime(text: &str, picture: &str, now_ms: i64) -> Result<Option<f64>, Error> {
    let parts = parse_picture(picture)?;
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let mut got: std::collections::HashMap<char, i64> = std::collections::HashMap::new();
    let mut pm: Option<bool> = None;
    let mut offset: Option<i64> = None;
    for (pi, part) in parts.iter().enumerate() {
        match part {
            Part::Literal(lit) => {
                let l: Vec<char> = lit.chars().collect();
                if chars.len() < pos + l.len() || chars[pos..pos + l.len()] != l[..] {
                    return Ok(None);
                }
                pos += l.len();
            }
            Part::Marker(m) => {
                let next_is_marker = matches!(parts.get(pi + 1), Some(Part::Marker(_)));
                let rest: String = chars[pos..].iter().collect();
                let (value, used) = match m.component {
                    'P' => {
                        let low = rest.to_lowercase();
                        if low.starts_with("am") {
                            pm = Some(false);
                        } else if low.starts_with("pm") {
                            pm = Some(true);
                        } else {
                            return Ok(None);
                        }
                        pos += 2;
                        continue;
                    }
                    'Z' | 'z' => {
                        let mut r = rest.as_str();
                        let mut used = 0;
                        if m.component == 'z' {
                            let Some(s) = r.strip_prefix("GMT") else {
                                return Ok(None);
                            };
                            r = s;
                            used += 3;
                        }
                        if r.starts_with('Z') {
                            offset = Some(0);
                            pos += used + 1;
                            continue;
                        }
                        let len = r
                            .chars()
                            .take_while(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ':'))
                            .count();
                        let Some(off) = parse_offset(&r[..len].replace(':', "")) else {
                            return Ok(None);
                        };
                        offset = Some(off);
                        pos += used + len;
                        continue;
                    }
                    'M' | 'F' | 'x' if matches!(m.presentation.as_str(), "N" | "n" | "Nn") => {
                        let names: &[&str] = if m.component == 'F' { &DAYS } else { &MONTHS };
                        let low = rest.to_lowercase();
                        let mut found = None;
                        for (i, n) in names.iter().enumerate() {
                            let nl = n.to_lowercase();
                            if low.starts_with(&nl) {
                                found = Some((i as i64 + 1, nl.len()));
                                break;
                            }
                        }
                        if found.is_none() {
                            let w = m.max_width.unwrap_or(3);
                            for (i, n) in names.iter().enumerate() {
                                let nl: String = n.to_lowercase().chars().take(w).collect();
                                if low.starts_with(&nl) {
                                    found = Some((i as i64 + 1, nl.len()));
                                    break;
                                }
                            }
                        }
                        let Some(f) = found else { return Ok(None) };
                        f
                    }
                    _ => {
                        let pic = int_picture(m)?;
                        let is_decimal = m.presentation.chars().any(|c| c.is_ascii_digit());
                        let slice: String = if is_decimal && next_is_marker {
                            let width = m.max_width.unwrap_or_else(|| {
                                m.presentation
                                    .chars()
                                    .filter(|c| c.is_ascii_digit())
                                    .count()
                            });
                            rest.chars().take(width).collect()
                        } else {
                            rest.clone()
                        };
                        let slice = if matches!(m.presentation.as_str(), "w" | "W" | "Ww") {
                            number_words_prefix(&slice)
                        } else {
                            slice
                        };
                        let Some((v, used)) = parse_int_with(&slice, &pic) else {
                            return Ok(None);
                        };
                        if m.component == 'f' {
                            let digits = used as u32;
                            let ms = if digits <= 3 {
                                v as i64 * 10i64.pow(3 - digits)
                            } else {
                                (v / 10f64.powi(digits as i32 - 3)).floor() as i64
                            };
                            (ms, used)
                        } else {
                            (v as i64, used)
                        }
                    }
                };
                got.insert(m.component, value);
                pos += used;
            }
        }
    }
    if pos != chars.len() || got.is_empty() && pm.is_none() && offset.is_none() {
        return Ok(None);
    }
    compose(&got, pm, offset, now_ms)
}

/// Keeps the leading run of number words (with `and`, spaces, commas and hyphens).
fn number_words_prefix(s: &str) -> String {
    const WORDS: [&str; 37] = [
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
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "first",
        "second",
        "third",
        "twelfth",
    ];
    let is_num = |w: &str| {
        let w = w.to_lowercase();
        WORDS.iter().any(|x| {
            w == *x
                || w == format!("{x}th")
                || w.strip_suffix("ieth")
                    .is_some_and(|st| WORDS.contains(&format!("{st}y").as_str()))
        }) || w == "fifth"
            || w == "eighth"
            || w == "ninth"
    };
    let mut end = 0;
    let mut i = 0;
    let bytes: Vec<char> = s.chars().collect();
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_alphabetic() {
            i += 1;
        }
        let word: String = bytes[start..i].iter().collect();
        if word.is_empty() {
            break;
        }
        if is_num(&word) {
            end = i;
        } else if word.to_lowercase() != "and" {
            break;
        }
        while i < bytes.len() && matches!(bytes[i], ' ' | ',' | '-') {
            i += 1;
        }
    }
    bytes[..end].iter().collect()
}

fn compose(
    got: &std::collections::HashMap<char, i64>,
    pm: Option<bool>,
    offset: Option<i64>,
    now_ms: i64,
) -> Result<Option<f64>, Error> {
    if ['X', 'W', 'w', 'x', 'F']
        .iter()
        .any(|c| got.contains_key(c))
        && !got.contains_key(&'D')
        && !got.contains_key(&'d')
    {
        return Err(derr(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    }
    let now = fields(now_ms);
    let has = |c: char| got.contains_key(&c);
    // Date: Y M D, or Y d; more significant parts missing take today's values.
    let date_parts = if has('d') {
        vec!['Y', 'd']
    } else {
        vec!['Y', 'M', 'D']
    };
    let time_parts = ['H', 'm', 's', 'f'];
    let check = |parts: &[char]| -> bool {
        let present: Vec<bool> = parts
            .iter()
            .map(|c| has(*c) || (*c == 'H' && has('h')))
            .collect();
        let first = present.iter().position(|p| *p);
        let last = present.iter().rposition(|p| *p);
        match (first, last) {
            (Some(a), Some(b)) => present[a..=b].iter().all(|p| *p),
            _ => true,
        }
    };
    let any_date = date_parts.iter().any(|c| has(*c));
    let any_time = time_parts.iter().any(|c| has(*c)) || has('h');
    if !check(&date_parts) || !check(&time_parts) {
        return Err(derr(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    }
    if any_date && any_time {
        // The time must start at the hour when a date is given.
        let last_date = date_parts.iter().rposition(|c| has(*c)).unwrap_or(0);
        if last_date + 1 < date_parts.len() || !(has('H') || has('h')) {
            return Err(derr(
                "D3136",
                "The date/time picture string is missing specifiers required to parse the timestamp",
            ));
        }
    }
    let year = got.get(&'Y').copied().unwrap_or(now.year);
    let (month, day) = if any_date {
        let first = date_parts.iter().position(|c| has(*c)).unwrap_or(0);
        let default = |c: char, idx: usize, nowv: i64| {
            got.get(&c)
                .copied()
                .unwrap_or(if idx < first { nowv } else { 1 })
        };
        (default('M', 1, now.month), default('D', 2, now.day))
    } else {
        (now.month, now.day)
    };
    let mut days = days_from_civil(year, month, day);
    if let Some(d) = got.get(&'d') {
        days = days_from_civil(year, 1, 1) + d - 1;
    }
    let mut hour = got.get(&'H').copied().unwrap_or(0);
    if let Some(h) = got.get(&'h') {
        hour = h % 12;
        if pm == Some(true) {
            hour += 12;
        }
    }
    let minute = got.get(&'m').copied().unwrap_or(0);
    let second = got.get(&'s').copied().unwrap_or(0);
    let milli = got.get(&'f').copied().unwrap_or(0);
    let ms = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
        - offset.unwrap_or(0) * 60_000;
    Ok(Some(ms as f64))
}
