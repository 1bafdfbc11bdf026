//! Date and time conversion for `$fromMillis`, `$toMillis` and `$now`, with no clock access.

use crate::Error;

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) for days since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats milliseconds since the epoch, as ISO 8601 by default or with a picture string.
pub(crate) fn from_millis(
    ms: f64,
    picture: Option<&str>,
    tz: Option<&str>,
) -> Result<String, Error> {
    match (picture, tz) {
        (Some(p), _) => crate::picture::format_datetime(ms, p, tz),
        (None, Some(_)) => crate::picture::format_datetime(
            ms,
            "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
            tz,
        ),
        (None, None) => Ok(iso(ms.floor() as i64)),
    }
}

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    } else {
        let sign = if y < 0 { '-' } else { '+' };
        format!(
            "{sign}{:06}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z",
            y.abs()
        )
    }
}

/// Parses an ISO 8601 timestamp (or one matching a picture) into milliseconds.
pub(crate) fn to_millis(
    text: &str,
    picture: Option<&str>,
    now_ms: i64,
) -> Result<Option<f64>, Error> {
    if let Some(p) = picture {
        return crate::picture::parse_datetime(text, p, now_ms);
    }
    match parse_iso(text) {
        Some(ms) => Ok(Some(ms as f64)),
        None => Err(Error::new(
            "D3110",
            format!("The timestamp string {text} does not match the ISO 8601 format"),
        )),
    }
}

fn parse_iso(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, n: usize| -> Option<i64> {
        let s = t.get(*i..*i + n)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *i += n;
        s.parse().ok()
    };
    let y = num(&mut i, 4)?;
    let (mut mo, mut d) = (1, 1);
    if b.get(i) == Some(&b'-') {
        i += 1;
        mo = num(&mut i, 2)?;
        if b.get(i) == Some(&b'-') {
            i += 1;
            d = num(&mut i, 2)?;
        }
    }
    let (mut h, mut mi, mut s, mut ms) = (0, 0, 0, 0i64);
    let mut offset = 0i64;
    if b.get(i) == Some(&b'T') {
        i += 1;
        h = num(&mut i, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
        mi = num(&mut i, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
            s = num(&mut i, 2)?;
            if b.get(i) == Some(&b'.') {
                i += 1;
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let frac = &t[start..i];
                let frac3: String = frac.chars().chain("000".chars()).take(3).collect();
                ms = frac3.parse().ok()?;
            }
        }
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(b'+') | Some(b'-') => {
                let sign = if b[i] == b'-' { -1 } else { 1 };
                i += 1;
                let oh = num(&mut i, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let om = num(&mut i, 2).unwrap_or(0);
                offset = sign * (oh * 60 + om);
            }
            _ => {}
        }
    }
    if i != b.len()
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 24
        || mi > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms - offset * 60_000)
}
