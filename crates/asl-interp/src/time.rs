//! Virtual-clock helpers: ISO-8601 parsing and formatting without reading the real clock.

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDThh:mm:ss.mmmZ`.
pub fn format_iso_millis(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Parses an RFC 3339 timestamp into milliseconds since the Unix epoch (lenient: used for options).
pub fn parse_iso_millis(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}
