//! Spec text → rustdoc. Descriptions are data: they go into `#[doc = "..."]`
//! strings (never into code), and are defused so rustdoc neither compiles them
//! as doctests nor warns about them (`cargo doc` must stay clean).

use proc_macro2::TokenStream;
use quote::quote;

/// Rustdoc-safe Markdown for a spec description.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        // Indented lines would be Rust doctests; fences are re-labelled as text below.
        let trimmed = line.trim_start();
        let line = if line.len() - trimmed.len() >= 4 {
            trimmed
        } else {
            line
        };
        if let Some(rest) = line.trim_start().strip_prefix("```") {
            let _ = rest;
            out.push("```text".to_string());
            continue;
        }
        out.push(escape_line(line));
    }
    // An odd number of fences would swallow the rest of the item's docs.
    if out.iter().filter(|l| l.as_str() == "```text").count() % 2 == 1 {
        out.push("```".to_string());
    }
    // Closing fences must not say `text`.
    let mut open = false;
    for line in out.iter_mut() {
        if line == "```text" {
            if open {
                *line = "```".into();
            }
            open = !open;
        }
    }
    out.join("\n").trim().to_string()
}

fn escape_line(line: &str) -> String {
    // Lines without anything rustdoc interprets are the common case: copy them as is.
    if !line.contains(['[', ']', '<', '>', '`']) && !line.contains("http") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().expect("i is a char boundary below len");
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && (rest.starts_with("http://") || rest.starts_with("https://")) {
            let prev = line[..i].chars().next_back().unwrap_or(' ');
            let len = rest
                .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>' || ch == '"')
                .unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':']);
            if prev == '(' || prev == '<' {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            i += url.len();
            continue;
        } else if !in_code {
            match c {
                '[' if is_markdown_link(rest) => out.push('['),
                '[' => out.push_str("\\["),
                ']' if !out.ends_with("\\[") && rest[1..].starts_with('(') => out.push(']'),
                ']' => out.push_str("\\]"),
                '<' if !rest.starts_with("<http") => out.push_str("&lt;"),
                '>' if !is_autolink_end(&out) => out.push_str("&gt;"),
                _ => out.push(c),
            }
            i += c.len_utf8();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    if in_code {
        // An unbalanced backtick would start inline code across lines.
        out = out.replace('`', "'");
    }
    out
}

fn is_markdown_link(rest: &str) -> bool {
    match rest.find("](") {
        Some(close) => !rest[1..close].contains(['[', ']']),
        None => false,
    }
}

fn is_autolink_end(out: &str) -> bool {
    match out.rfind('<') {
        Some(start) => out[start..].starts_with("<http") && !out[start..].contains(' '),
        None => false,
    }
}

/// `#[doc = ...]` attributes for a block of text (one per line keeps prettyplease output tidy).
pub fn doc_attrs(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn hostile_text_stays_text() {
        assert_eq!(
            sanitize("```\nfn main() { panic!() }\n```"),
            "```text\nfn main() { panic!() }\n```"
        );
        assert_eq!(sanitize("    let x = 1;"), "let x = 1;");
        assert_eq!(sanitize("a [b] c"), "a \\[b\\] c");
        assert_eq!(
            sanitize("see [docs](https://x.io/a)."),
            "see [docs](https://x.io/a)."
        );
        assert_eq!(sanitize("go to https://x.io/a."), "go to <https://x.io/a>.");
        assert_eq!(sanitize("<script>"), "&lt;script&gt;");
        assert_eq!(sanitize("a `<b>` c"), "a `<b>` c");
        assert_eq!(
            sanitize("*/ #[doc = \"x\"] \" \\"),
            "*/ #\\[doc = \"x\"\\] \" \\"
        );
        assert_eq!(sanitize("odd ` tick"), "odd ' tick");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }
}
