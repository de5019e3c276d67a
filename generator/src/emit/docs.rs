//! Spec text → rustdoc. Every piece of text that comes from the spec goes through one of
//! three functions here before it reaches a `#[doc = "..."]` string (never code):
//!
//! - [`sanitize`]: prose (descriptions, summaries), kept as Markdown but defused;
//! - [`inline`]: prose inside a sentence (a title), on one line;
//! - [`code`]: a name shown verbatim as inline code (paths, operationIds, enum values,
//!   property, header and scheme names, formats, patterns, examples).
//!
//! Defused means rustdoc neither runs any of it as a doctest nor warns about it
//! (`cargo doc` must stay clean): fences of either kind (```` ``` ````, `~~~`) become
//! `text` blocks, indentation that would make a code block (measured in columns, tabs to
//! the next multiple of 4, as CommonMark does) is removed, and brackets, HTML and bare
//! URLs are escaped. The result is then parsed with `pulldown-cmark` (the Markdown parser
//! rustdoc uses); if that finds a code block other than a `text` one anyway (say, a list
//! item whose content is indented code), the text is flattened, and if even that fails,
//! every punctuation character is escaped. [`doc_attrs`] checks whole doc blocks the same way.

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::quote;

/// Rustdoc-safe Markdown for a spec description.
pub fn sanitize(text: &str) -> String {
    let structured = structured(text);
    if !has_code_block(&structured) {
        return structured;
    }
    let flat = flat(text);
    if !has_code_block(&flat) {
        return flat;
    }
    escape_all(text)
}

/// Spec prose for use inside a sentence: one line, defused.
pub fn inline(text: &str) -> String {
    let line = collapse_whitespace(text);
    let escaped = escape_line(&line);
    if has_code_block(&escaped) {
        escape_all(&line)
    } else {
        escaped
    }
}

/// Spec text shown verbatim as inline code. A run of backticks in it is fenced by a
/// longer run; control characters (line breaks, tabs) are shown as escapes, so the span
/// stays on one line and nothing in it can start a block.
pub fn code(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    if shown.is_empty() {
        return "`\"\"`".to_string();
    }
    let longest = longest_run(&shown, '`');
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each end of a span that starts and ends with one;
    // a space also keeps a backtick at either end from joining the fence.
    let pad = if shown.starts_with('`')
        || shown.ends_with('`')
        || (shown.starts_with(' ') && shown.ends_with(' '))
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

fn longest_run(text: &str, of: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == of { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Indentation of a line in columns (a tab advances to the next multiple of 4), and the rest.
fn indentation(line: &str) -> (usize, &str) {
    let mut columns = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4 - columns % 4,
            _ => return (columns, &line[i..]),
        }
    }
    (columns, "")
}

/// `(fence character, length)` of a line opening a fenced code block (after its indentation).
fn opening_fence(rest: &str) -> Option<(char, usize)> {
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string cannot hold a backtick (it would be inline code).
    let info_ok = c == '~' || !rest[len..].contains('`');
    (len >= 3 && info_ok).then_some((c, len))
}

fn closes(rest: &str, (c, len): (char, usize)) -> bool {
    let run = rest.chars().take_while(|x| *x == c).count();
    run >= len && rest[run * c.len_utf8()..].trim().is_empty()
}

/// Keeps the Markdown structure: fences become `text` blocks (long enough that nothing
/// inside closes them early), indentation of 4 columns or more is removed, every other
/// line is escaped.
fn structured(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<((char, usize), Vec<&str>)> = None;
    for line in normalized.split('\n') {
        let (columns, rest) = indentation(line);
        if let Some((open, content)) = &mut fence {
            if columns < 4 && closes(rest, *open) {
                push_block(&mut out, content);
                fence = None;
            } else {
                content.push(line);
            }
            continue;
        }
        if columns < 4 {
            if let Some(open) = opening_fence(rest) {
                fence = Some((open, Vec::new()));
                continue;
            }
        }
        let line = if columns >= 4 { rest } else { line };
        out.push(escape_line(line));
    }
    if let Some((_, content)) = &fence {
        push_block(&mut out, content);
    }
    out.join("\n").trim().to_string()
}

/// A fenced `text` block holding `content` verbatim.
fn push_block(out: &mut Vec<String>, content: &[&str]) {
    let longest = content
        .iter()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    out.push(format!("{fence}text"));
    out.extend(content.iter().map(|l| l.to_string()));
    out.push(fence);
}

fn collapse_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every line on its own, no indentation, whitespace collapsed, fences escaped: nothing
/// can be a code block.
fn flat(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(|line| {
            let line = collapse_whitespace(line);
            let line = if line.starts_with("```") || line.starts_with("~~~") {
                format!("\\{line}")
            } else {
                line
            };
            escape_line(&line)
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The last resort: one line, every ASCII punctuation character backslash-escaped.
fn escape_all(text: &str) -> String {
    let mut out = String::new();
    for c in collapse_whitespace(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether rustdoc would see a code block it might run: an indented block, or a fenced
/// one not labelled `text`. (Only text with a tab, two spaces in a row or a fence can
/// have one, so most text is not parsed at all.)
fn has_code_block(markdown: &str) -> bool {
    if !markdown.contains(['\t', '`', '~']) && !markdown.contains("  ") {
        return false;
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    Parser::new_ext(markdown, options).any(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => true,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.as_ref() != "text",
        _ => false,
    })
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

/// `#[doc = ...]` attributes for a block of Markdown that is already safe (built from
/// [`sanitize`], [`inline`] and [`code`] pieces and the generator's own text); one per line
/// keeps prettyplease output tidy. The block is checked as a whole once more, since pieces
/// that are safe alone could combine into a code block.
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = text.trim();
    if text.is_empty() {
        return TokenStream::new();
    }
    let flattened;
    let text = if has_code_block(text) {
        flattened = flat(text);
        flattened.as_str()
    } else {
        text
    };
    let lines = text.lines().map(|l| {
        // A lone carriage return is an error in a doc comment.
        let l = l.replace('\r', " ");
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc = ...]` attributes, for a module's or the crate's own docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let outer = doc_attrs(text);
    let lines = outer.into_iter().filter_map(|tree| match tree {
        proc_macro2::TokenTree::Group(g) => Some(g.stream()),
        _ => None,
    });
    // Each group is `doc = "..."`.
    quote! { #( #![#lines] )* }
}

#[cfg(test)]
mod tests {
    use super::{code, has_code_block, inline, sanitize};

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

    #[test]
    fn tilde_fences_tabs_and_nested_fences_stay_text() {
        assert_eq!(
            sanitize("a\n\n~~~\npanic!()\n~~~"),
            "a\n\n```text\npanic!()\n```"
        );
        assert_eq!(sanitize("a\n\n\tpanic!()"), "a\n\npanic!()");
        assert_eq!(sanitize("a\n\n  \tpanic!()"), "a\n\npanic!()");
        // A backtick fence inside a tilde block must not close the text block early.
        assert_eq!(
            sanitize("~~~~\n```\npanic!()\n~~~~\n\n    panic!()"),
            "````text\n```\npanic!()\n````\n\npanic!()"
        );
        // A ~~~ line does not close a ``` block.
        assert_eq!(sanitize("```\n~~~\nx\n```"), "```text\n~~~\nx\n```");
    }

    #[test]
    fn whatever_the_structure_no_code_block_survives() {
        let cases = [
            "-     panic!()",
            "1.\tpanic!()\n\n   \tmore",
            "* a\n\n      panic!()",
            "> \n>     panic!()",
            "[^1]: x\n\n        panic!()",
            "- ```\n  panic!()\n  ```",
            "<pre>\npanic!()\n</pre>",
            "a\n\n\t\tpanic!()",
            " ~~~rust\n panic!()\n ~~~",
        ];
        for case in cases {
            let safe = sanitize(case);
            assert!(!has_code_block(&safe), "{case:?} → {safe:?}");
        }
    }

    #[test]
    fn code_spans_show_the_text_verbatim_on_one_line() {
        assert_eq!(code("user-edit"), "`user-edit`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("id\n\n    panic!()"), "`id\\n\\n    panic!()`");
        assert_eq!(code("tab\there"), "`tab\\there`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(inline("Title\n\n    panic!()"), "Title panic!()");
        assert!(!has_code_block(&format!("x\n\n{}", code("\n\n    a"))));
    }
}
