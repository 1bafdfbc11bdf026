//! Deterministic text measurement for the UI font, with a hook for real measurements.

/// Measures the width of a line of text, in pixels.
///
/// The app may implement this with a canvas `measureText` call; the default
/// [`EstimatedMeasure`] uses a per-character width table so that layouts are reproducible.
pub trait TextMeasure {
    /// Returns the width of `text` set at `font_size` pixels, bold or regular.
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64;
}

/// A width estimate for the system-ui font stack, tuned at 13px.
#[derive(Clone, Copy, Debug, Default)]
pub struct EstimatedMeasure;

impl TextMeasure for EstimatedMeasure {
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64 {
        let em: f64 = text.chars().map(char_em).sum();
        let bold_factor = if bold { 1.06 } else { 1.0 };
        (em * font_size * bold_factor * 100.0).round() / 100.0
    }
}

/// Returns the advance width of one character as a fraction of the font size.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '\'' | '.' | ',' | ':' | ';' | '|' | '!' | 'I' => 0.26,
        ' ' => 0.28,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-' | '"' | '`' => 0.36,
        'm' | 'w' => 0.86,
        'M' | 'W' => 0.92,
        'a'..='z' => 0.55,
        'A'..='Z' => 0.68,
        '0'..='9' => 0.58,
        '=' | '<' | '>' | '+' | '~' | '*' | '^' | '_' | '#' | '$' | '&' | '?' => 0.6,
        '%' | '@' => 0.9,
        '…' => 0.8,
        c if c.is_ascii_control() => 0.0,
        c if (c as u32) >= 0x2E80 => 1.0,
        _ => 0.62,
    }
}

/// Shortens `text` to at most `max_chars` characters, ending with an ellipsis when cut.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    let count = text.chars().count();
    if count <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut out: String = text.chars().take(keep).collect();
    out.push('…');
    out
}

/// Shortens `text` so that it fits in `max_width` pixels, ending with an ellipsis when cut.
pub fn truncate_to_width(
    measure: &dyn TextMeasure,
    text: &str,
    font_size: f64,
    bold: bool,
    max_width: f64,
) -> String {
    if measure.width(text, font_size, bold) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Start near the widest possible fit so that very long texts stay cheap to cut.
    let mut keep = chars
        .len()
        .min((max_width / (0.2 * font_size.max(1.0))) as usize + 1);
    while keep > 0 {
        keep -= 1;
        let mut candidate: String = chars[..keep].iter().collect();
        candidate.push('…');
        if measure.width(&candidate, font_size, bold) <= max_width {
            return candidate;
        }
    }
    "…".to_string()
}
