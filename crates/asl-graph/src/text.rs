//! Deterministic text measurement for the UI font, with a hook for real measurements.

/// Measures the width of a line of text, in pixels.
///
/// The app may implement this with a canvas `measureText` call; the default
/// [`EstimatedMeasure`] uses a per-character width table so that layouts are reproducible.
pub trait TextMeasure {
    /// Returns the width of `text` set at `font_size` pixels, bold or regular.
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64;
}

/// A width estimate for the system-ui font stack that errs on the wide side.
///
/// The advance widths are those of DejaVu Sans, which Linux browsers use for `system-ui` and which
/// is wider than Segoe UI, San Francisco, Roboto or Helvetica: text measured with this table fits
/// its box in every browser (with room to spare on the narrower fonts). The app measures the real
/// font instead and passes it as [`RenderOptions::measure`](crate::RenderOptions).
#[derive(Clone, Copy, Debug, Default)]
pub struct EstimatedMeasure;

impl TextMeasure for EstimatedMeasure {
    fn width(&self, text: &str, font_size: f64, bold: bool) -> f64 {
        let thousandths: u32 = text.chars().map(|c| char_width(c, bold)).sum();
        (f64::from(thousandths) * font_size / 10.0).round() / 100.0
    }
}

/// Advance widths of ASCII 32..=126 in thousandths of the font size (DejaVu Sans Book).
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637,
    637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, 1000, 685, 687, 699, 771, 632,
    576, 775, 752, 295, 295, 656, 558, 863, 749, 788, 604, 788, 695, 635, 611, 732, 685, 989, 686,
    611, 686, 391, 337, 391, 838, 500, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580,
    278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
];

/// Advance widths of ASCII 32..=126 in thousandths of the font size (DejaVu Sans Bold).
const BOLD: [u16; 95] = [
    349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, 1000, 774, 763, 734, 831, 684,
    684, 821, 837, 373, 373, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771,
    725, 726, 458, 366, 458, 838, 500, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666,
    343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838,
];

/// Returns the advance width of one character in thousandths of the font size.
fn char_width(c: char, bold: bool) -> u32 {
    let code = c as u32;
    match code {
        32..=126 => {
            let table = if bold { &BOLD } else { &REGULAR };
            u32::from(table[(code - 32) as usize])
        }
        _ if c.is_control() => 0,
        0x2E80.. => 1000,
        _ if c == '…' => 1000,
        _ => {
            if bold {
                800
            } else {
                740
            }
        }
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
    let candidate = |keep: usize| {
        let mut c: String = chars[..keep].iter().collect();
        c.push('…');
        c
    };
    // The longest prefix (plus the ellipsis) that fits, by bisection: widths grow with the
    // prefix. Start near the widest possible fit so that very long texts stay cheap to cut.
    let (mut lo, mut hi) = (
        0,
        chars
            .len()
            .min((max_width / (0.2 * font_size.max(1.0))) as usize + 1),
    );
    // Invariant: a prefix of `lo` characters fits (the bare ellipsis is the fallback) and one
    // of `hi` characters or more does not.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if measure.width(&candidate(mid), font_size, bold) <= max_width {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    candidate(lo)
}

#[cfg(test)]
mod tests {
    use super::{EstimatedMeasure, TextMeasure, truncate_to_width};

    /// The linear search `truncate_to_width` replaced.
    fn linear(measure: &dyn TextMeasure, text: &str, size: f64, bold: bool, max: f64) -> String {
        if measure.width(text, size, bold) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut keep = chars.len().min((max / (0.2 * size.max(1.0))) as usize + 1);
        while keep > 0 {
            keep -= 1;
            let mut candidate: String = chars[..keep].iter().collect();
            candidate.push('…');
            if measure.width(&candidate, size, bold) <= max {
                return candidate;
            }
        }
        "…".to_string()
    }

    #[test]
    fn bisection_cuts_where_the_linear_search_cut() {
        let texts = [
            "",
            "a",
            "Finish",
            "Finishxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "Get scores from all credit bureaus and some more words",
            "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
            "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
            "Ünïcödé ståte nåme with 😀 emoji and 漢字",
        ];
        for text in texts {
            for max in [0.0, 5.0, 12.0, 40.0, 102.0, 176.0, 212.0, 472.0] {
                for (size, bold) in [(13.0, true), (11.5, false)] {
                    assert_eq!(
                        truncate_to_width(&EstimatedMeasure, text, size, bold, max),
                        linear(&EstimatedMeasure, text, size, bold, max),
                        "{text} {max} {size}"
                    );
                }
            }
        }
    }
}
