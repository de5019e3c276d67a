//! Ignore files: changes a maintainer has reviewed and accepted.
//!
//! One entry per line: `RULE OPERATION [LOCATION]`, the same three words every
//! report prints as a change's ignore key; `*` in any word matches any run of
//! characters (`enum-value-added zero_trust.*`, `* user.edit params.body.*`).
//! Without a location an entry matches every location. `#` starts a comment.

use std::path::Path;

use crate::diff::change::Change;
use crate::diff::policy::Rule;
use crate::error::{Error, Result};

/// Parsed ignore entries.
#[derive(Debug, Default, Clone)]
pub struct IgnoreList {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    rule: String,
    operation: String,
    location: Option<String>,
}

impl IgnoreList {
    /// Reads an ignore file.
    pub fn read(path: &Path) -> Result<IgnoreList> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        IgnoreList::parse(&text, &path.display().to_string())
    }

    /// Parses ignore entries; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<IgnoreList> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let bad = |why: String| Error::Usage(format!("{origin}:{}: {why}", n + 1));
            if !(2..=3).contains(&words.len()) {
                return Err(bad(format!(
                    "expected `RULE OPERATION [LOCATION]`, found {line:?}"
                )));
            }
            if !words[0].contains('*') {
                words[0].parse::<Rule>().map_err(bad)?;
            }
            entries.push(Entry {
                rule: words[0].to_string(),
                operation: words[1].to_string(),
                location: words.get(2).map(|s| s.to_string()),
            });
        }
        Ok(IgnoreList { entries })
    }

    /// Whether an entry matches the change.
    pub fn matches(&self, c: &Change) -> bool {
        self.entries.iter().any(|e| {
            glob(&e.rule, c.rule.id())
                && glob(&e.operation, &c.operation)
                && e.location.as_deref().map_or(true, |l| glob(l, &c.location))
        })
    }

    /// Entries (as written) that match none of `changes`, to flag stale ones.
    pub fn unused(&self, changes: &[Change]) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| {
                let one = IgnoreList {
                    entries: vec![(*e).clone()],
                };
                !changes.iter().any(|c| one.matches(c))
            })
            .map(|e| {
                let mut s = format!("{} {}", e.rule, e.operation);
                if let Some(l) = &e.location {
                    s.push(' ');
                    s.push_str(l);
                }
                s
            })
            .collect()
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::report::tests::change;

    #[test]
    fn globs() {
        assert!(glob("*", ""));
        assert!(glob("zero_trust.*", "zero_trust.access.users.get"));
        assert!(!glob("zero_trust.*", "zero_trust"));
        assert!(glob("*.get", "user.get"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXcYb"));
        assert!(!glob("ab*ba", "aba"));
        assert!(glob("exact", "exact") && !glob("exact", "exactly"));
    }

    #[test]
    fn entries_match_rule_operation_and_location() {
        let list = IgnoreList::parse(
            "# reviewed\n\nenum-value-added zero_trust.*   # all of them\nfield-removed user.edit params.body.*\n",
            "ignore.txt",
        )
        .unwrap();
        assert!(list.matches(&change(
            Rule::EnumValueAdded,
            "zero_trust.access.get",
            "result.kind"
        )));
        assert!(!list.matches(&change(
            Rule::EnumValueRemoved,
            "zero_trust.access.get",
            "result.kind"
        )));
        assert!(list.matches(&change(Rule::FieldRemoved, "user.edit", "params.body.name")));
        assert!(!list.matches(&change(Rule::FieldRemoved, "user.edit", "result.name")));
        let c = change(Rule::FieldRemoved, "user.edit", "params.body.name");
        assert!(IgnoreList::parse(&c.ignore_key(), "k").unwrap().matches(&c));
        assert_eq!(
            list.unused(&[c]),
            ["enum-value-added zero_trust.*".to_string()]
        );
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        let err = IgnoreList::parse("operation-added a\nno-such-rule a.b\n", "ig.txt")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ig.txt:2") && err.contains("no-such-rule"),
            "{err}"
        );
        let err = IgnoreList::parse("just-one-word\n", "ig.txt")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ig.txt:1") && err.contains("RULE OPERATION"),
            "{err}"
        );
    }
}
