//! The names lock (`apigen.lock`): the Rust name of every generated type, read and
//! updated by each generation so that names stay put between regenerations.
//!
//! The file sits beside the code it names (in the output directory) and is
//! committed with it. Each entry says which spec position a name was given to
//! (`from`, a JSON pointer), the name wanted before it was made unique
//! (`wanted`, only when it differs) and a fingerprint of the type's Rust shape
//! (`shape`). Aliases are the deprecated old names of renamed types:
//!
//! ```toml
//! version = 1
//!
//! [types]
//! "types::AccessUsers" = { from = "#/components/schemas/access_users", shape = "4c1f0e2b9a7d3e55" }
//! "types::StreamLiveInput2" = { from = "#/components/schemas/stream_live_input", shape = "…", wanted = "StreamLiveInput" }
//!
//! [aliases]
//! "types::AccessApps" = "types::AccessAppRequest"
//! ```
//!
//! How the generator applies it is in `ir/lower/held.rs` and `ir/passes/lock.rs`;
//! the design is in ARCHITECTURE.md ("Stable names").

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The lock's file name, in the output directory.
pub const FILE_NAME: &str = "apigen.lock";

/// The version of the format written and read.
const VERSION: u32 = 1;

/// The names of a generated crate's types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameLock {
    /// The `--only` selection the crate was generated from (empty: the whole spec).
    pub only: Vec<String>,
    /// Every generated type, by its path from the crate root (`types::AccessUsers`,
    /// `zero_trust::access::users::UserUpdateParams`).
    pub types: BTreeMap<String, LockedType>,
    /// Deprecated aliases kept for renamed types: old path → the path of the type it names now.
    pub aliases: BTreeMap<String, String>,
}

/// Where a locked name came from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedType {
    /// JSON pointer of the schema the type was generated from.
    pub from: String,
    /// Fingerprint of the type's Rust shape (its fields, variants or values and their
    /// types; names of the types it refers to left out), to recognise it after a rename.
    pub shape: String,
    /// The name the generator wanted before making it unique, when that differs from the
    /// locked name (`StreamLiveInput` for `StreamLiveInput2`).
    #[serde(default)]
    pub wanted: Option<String>,
}

impl LockedType {
    /// The wanted name: `wanted`, or the locked name itself.
    pub fn wanted_or<'a>(&'a self, name: &'a str) -> &'a str {
        self.wanted.as_deref().unwrap_or(name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    version: u32,
    #[serde(default)]
    only: Vec<String>,
    #[serde(default)]
    types: BTreeMap<String, LockedType>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

impl NameLock {
    /// Reads a lock file; `Ok(None)` when there is none.
    pub fn read(path: &Path) -> Result<Option<NameLock>> {
        match std::fs::read_to_string(path) {
            Ok(text) => NameLock::from_toml(&text, path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parses a lock; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<NameLock> {
        let file: LockFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| crate::settings::line_column(text, span.start))
                .unwrap_or((0, 0));
            Error::Syntax {
                file: origin.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let invalid = |pointer: String, message: String| Error::Spec {
            file: origin.to_path_buf(),
            pointer,
            message,
        };
        if file.version != VERSION {
            return Err(invalid(
                "version".into(),
                format!(
                    "lock format version {} is not supported (this apigen reads version {VERSION}); delete the file to start afresh",
                    file.version
                ),
            ));
        }
        for (path, entry) in &file.types {
            let at = format!("types.{}", quoted(path));
            check_path(path).map_err(|m| invalid(at.clone(), m))?;
            if let Some(wanted) = &entry.wanted {
                check_type_name(wanted).map_err(|m| invalid(format!("{at}.wanted"), m))?;
            }
        }
        for (old, target) in &file.aliases {
            let at = format!("aliases.{}", quoted(old));
            check_path(old).map_err(|m| invalid(at.clone(), m))?;
            if file.types.contains_key(old) {
                return Err(invalid(
                    at,
                    "is also a type in [types]: a name is either a type or an alias".into(),
                ));
            }
            if !file.types.contains_key(target) {
                return Err(invalid(
                    at,
                    format!("names `{target}`, which is not a type in [types]"),
                ));
            }
        }
        Ok(NameLock {
            only: file.only,
            types: file.types,
            aliases: file.aliases,
        })
    }

    /// The lock as TOML, one line per type and per alias, sorted by path (the header
    /// comment is added when the file is rendered).
    pub fn to_toml(&self) -> String {
        let mut out = format!("version = {VERSION}\n");
        if !self.only.is_empty() {
            let only: Vec<String> = self.only.iter().map(|s| quoted(s)).collect();
            out.push_str(&format!("only = [{}]\n", only.join(", ")));
        }
        out.push_str("\n[types]\n");
        for (path, entry) in &self.types {
            out.push_str(&format!(
                "{} = {{ from = {}, shape = {}",
                quoted(path),
                quoted(&entry.from),
                quoted(&entry.shape)
            ));
            if let Some(wanted) = &entry.wanted {
                out.push_str(&format!(", wanted = {}", quoted(wanted)));
            }
            out.push_str(" }\n");
        }
        if !self.aliases.is_empty() {
            out.push_str("\n[aliases]\n");
            for (old, target) in &self.aliases {
                out.push_str(&format!("{} = {}\n", quoted(old), quoted(target)));
            }
        }
        out
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Splits a type path into its module path (`""` for the crate root) and the type's name.
pub fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once("::").unwrap_or(("", path))
}

fn check_path(path: &str) -> std::result::Result<(), String> {
    let (module, name) = split_path(path);
    if !module.is_empty() {
        for segment in module.split("::") {
            if !is_identifier(segment) {
                return Err(format!("`{segment}` in `{path}` is not a module name"));
            }
        }
    }
    check_type_name(name)
}

fn check_type_name(name: &str) -> std::result::Result<(), String> {
    if !is_identifier(name) || crate::ir::is_rust_keyword(name) {
        return Err(format!("`{name}` is not a Rust type name"));
    }
    if crate::ir::is_reserved_type_name(name) {
        return Err(format!(
            "`{name}` is a name the generated code uses itself; choose another"
        ));
    }
    Ok(())
}

/// `[A-Za-z_][A-Za-z0-9_]*`, or the same behind `r#`.
fn is_identifier(s: &str) -> bool {
    let s = s.strip_prefix("r#").unwrap_or(s);
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> NameLock {
        let mut lock = NameLock {
            only: vec!["user".into(), "'PATCH /user'".into()],
            ..NameLock::default()
        };
        lock.types.insert(
            "types::StreamLiveInput2".into(),
            LockedType {
                from: "#/components/schemas/stream_live_input".into(),
                shape: "00ff00ff00ff00ff".into(),
                wanted: Some("StreamLiveInput".into()),
            },
        );
        lock.types.insert(
            "user::UserEditParams".into(),
            LockedType {
                from: "#/paths/~1user/patch".into(),
                shape: "0123456789abcdef".into(),
                wanted: None,
            },
        );
        lock.aliases.insert(
            "user::UserChangeParams".into(),
            "user::UserEditParams".into(),
        );
        lock
    }

    #[test]
    fn round_trips_one_line_per_entry() {
        let lock = sample();
        let text = lock.to_toml();
        assert_eq!(
            text.lines().filter(|l| l.contains(" = {")).count(),
            2,
            "{text}"
        );
        assert!(
            text.contains("\"user::UserChangeParams\" = \"user::UserEditParams\"\n"),
            "{text}"
        );
        assert_eq!(
            NameLock::from_toml(&text, Path::new("apigen.lock")).unwrap(),
            lock
        );
    }

    #[test]
    fn missing_file_is_no_lock() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(NameLock::read(&dir.path().join(FILE_NAME)).unwrap(), None);
    }

    #[test]
    fn bad_locks_are_errors_with_a_place() {
        let at = |text: &str| {
            NameLock::from_toml(text, Path::new("a.lock"))
                .unwrap_err()
                .to_string()
        };
        assert!(at("version = 1\n[types]\nx = 3\n").starts_with("a.lock:3:"));
        assert!(at("version = 2\n").contains("version 2 is not supported"));
        let e =
            at("version = 1\n[types]\n\"types::Not A Name\" = { from = \"#\", shape = \"0\" }\n");
        assert!(e.contains("types.\"types::Not A Name\""), "{e}");
        let e = at("version = 1\n[types]\n\"types::Result\" = { from = \"#\", shape = \"0\" }\n");
        assert!(e.contains("generated code uses itself"), "{e}");
        let e = at("version = 1\n[aliases]\n\"types::Old\" = \"types::New\"\n");
        assert!(e.contains("not a type in [types]"), "{e}");
    }
}
