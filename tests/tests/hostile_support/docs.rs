//! Finding doc comments rustdoc could run as doctests in generated source. Shared by
//! `generator/tests/hostile.rs` (included by path) and the fuzz.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Doc blocks (runs of `///` or `//!` lines) of a source file, as rustdoc reads them.
pub fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut kind = "";
    for line in source.lines() {
        let trimmed = line.trim_start();
        let this = ["///", "//!"]
            .into_iter()
            .find(|p| trimmed.starts_with(p) && !trimmed.starts_with("////"));
        match this {
            Some(p) if p == kind || current.is_empty() => {
                kind = p;
                current.push(&trimmed[3..]);
            }
            _ => {
                if !current.is_empty() {
                    blocks.push(unindent(&current));
                    current.clear();
                }
                if let Some(p) = this {
                    kind = p;
                    current.push(&trimmed[3..]);
                }
            }
        }
    }
    if !current.is_empty() {
        blocks.push(unindent(&current));
    }
    blocks
}

/// Removes the indentation common to all non-blank lines, as rustdoc does.
fn unindent(lines: &[&str]) -> String {
    let min = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| if l.len() >= min { &l[min..] } else { "" })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Code blocks in Markdown that rustdoc could run (all but those labelled `text`),
/// found with the parser rustdoc uses.
pub fn runnable_code_blocks(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some("indented".to_string()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.as_ref() != "text" =>
            {
                Some(format!("fenced {:?}", info.as_ref()))
            }
            _ => None,
        })
        .collect()
}

/// Every doc block with a runnable code block in the `.rs` files under `dir/src`
/// written from the spec (the runtime is hand-written), as `(file, block)`.
pub fn doctest_candidates(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.join("src")];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("src/runtime.rs") {
                let source = std::fs::read_to_string(&p).unwrap();
                for block in doc_blocks(&source) {
                    if !runnable_code_blocks(&block).is_empty() {
                        out.push((p.clone(), block));
                    }
                }
            }
        }
    }
    out
}

/// The same for sources in memory (`(path, text)`).
pub fn doctest_candidates_in<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for (path, source) in files {
        if path.extension().and_then(|x| x.to_str()) != Some("rs")
            || path.ends_with("src/runtime.rs")
        {
            continue;
        }
        for block in doc_blocks(source) {
            if !runnable_code_blocks(&block).is_empty() {
                out.push((path.to_path_buf(), block));
            }
        }
    }
    out
}

#[test]
fn the_doc_scanner_finds_doctests() {
    // The checks built on this must be able to fail.
    let source = "/// Text.\n///\n///     panic!();\nfn f() {}\n//! ```\n//! x\n//! ```\n/// ```text\n/// y\n/// ```\n";
    let found: Vec<Vec<String>> = doc_blocks(source)
        .iter()
        .map(|b| runnable_code_blocks(b))
        .collect();
    assert_eq!(
        found,
        [
            vec!["indented".to_string()],
            vec!["fenced \"\"".into()],
            vec![]
        ]
    );
}
