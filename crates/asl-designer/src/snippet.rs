//! The Markdown snippet offered with an exported image: the picture for pages that cannot run
//! scripts, and the definition folded under it.

/// Markdown for an exported image: `![Name](file)` and a `<details>` block with the definition
/// (`definition_json`) in a fenced code block. Markup in the name is escaped.
pub fn markdown(name: &str, image_file: &str, definition_json: &str) -> String {
    let name = if name.trim().is_empty() {
        "State machine"
    } else {
        name.trim()
    };
    let alt: String = name
        .chars()
        .flat_map(|c| match c {
            '[' | ']' | '\\' => vec!['\\', c],
            '\n' | '\r' => vec![' '],
            c => vec![c],
        })
        .collect();
    let summary = escape_html(name);
    // A fence longer than any run of backticks in the definition.
    let mut longest = 0;
    let mut run = 0;
    for c in definition_json.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let target = image_file.replace(' ', "%20").replace(')', "%29");
    let body = definition_json.trim_end();
    format!(
        "![{alt}]({target})\n\n<details>\n<summary>{summary}: Amazon States Language definition</summary>\n\n{fence}json\n{body}\n{fence}\n\n</details>\n"
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;

    fn check(name: &str, file: &str, json: &str, expected: &str) {
        assert_eq!(markdown(name, file, json), expected, "{name}");
    }

    #[test]
    fn snippets() {
        check(
            "Hello world",
            "Hello-world.svg",
            "{\n  \"StartAt\": \"A\"\n}\n",
            "![Hello world](Hello-world.svg)\n\n<details>\n<summary>Hello world: Amazon States Language definition</summary>\n\n```json\n{\n  \"StartAt\": \"A\"\n}\n```\n\n</details>\n",
        );
        check(
            "<img src=x onerror=alert(1)> [x]",
            "a b).png",
            "{\"Comment\": \"````\"}",
            "![<img src=x onerror=alert(1)> \\[x\\]](a%20b%29.png)\n\n<details>\n<summary>&lt;img src=x onerror=alert(1)&gt; [x]: Amazon States Language definition</summary>\n\n`````json\n{\"Comment\": \"````\"}\n`````\n\n</details>\n",
        );
        check(
            "  ",
            "m.svg",
            "{}",
            "![State machine](m.svg)\n\n<details>\n<summary>State machine: Amazon States Language definition</summary>\n\n```json\n{}\n```\n\n</details>\n",
        );
    }
}
