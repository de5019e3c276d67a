//! The version bump the changes need, in Cargo's semver (0.x included).

use std::path::Path;

use semver::Version;
use serde::Serialize;

use crate::diff::change::Change;
use crate::diff::policy::Level;
use crate::error::{Error, Result};

/// A version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No change at all.
    None,
    /// Nothing added, nothing breaks.
    Patch,
    /// Something was added or behaves differently; nothing stops compiling.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// The bump `changes` need for a crate at 1.0 or later: major if anything
    /// breaks; minor if anything is added or behaves differently; patch for any
    /// other change.
    pub fn needed(changes: &[Change]) -> Bump {
        changes
            .iter()
            .map(|c| match c.level {
                Level::Breaking => Bump::Major,
                Level::Behavioural => Bump::Minor,
                Level::NonBreaking if c.rule.is_addition() => Bump::Minor,
                Level::NonBreaking => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// The same need for a 0.x crate: Cargo treats 0.x → 0.(x+1) as breaking and
    /// 0.x.y → 0.x.(y+1) as compatible, so everything moves down one place.
    pub fn for_0x(self) -> Bump {
        match self {
            Bump::Major => Bump::Minor,
            Bump::Minor | Bump::Patch => Bump::Patch,
            Bump::None => Bump::None,
        }
    }

    /// For a crate at 1.0 or later.
    pub fn describe(self) -> &'static str {
        match self {
            Bump::Major => "major (x.y.z → (x+1).0.0)",
            Bump::Minor => "minor (x.y.z → x.(y+1).0)",
            Bump::Patch => "patch (x.y.z → x.y.(z+1))",
            Bump::None => "none",
        }
    }

    /// For a 0.x crate (this is the result of [`Bump::for_0x`]).
    pub fn describe_0x(self) -> &'static str {
        match self {
            Bump::Minor => "0.x.y → 0.(x+1).0",
            Bump::Patch => "0.x.y → 0.x.(y+1)",
            Bump::Major => "0.x.y → 1.0.0",
            Bump::None => "none",
        }
    }

    /// The smallest version after `current` that this bump allows, in Cargo's
    /// reading of semver: for 0.y.z the bump moves down one place, and 0.0.z is
    /// compatible with nothing but itself.
    pub fn next(self, current: &Version) -> Version {
        let (major, minor, patch) = (current.major, current.minor, current.patch);
        let place = match (self, major, minor) {
            (Bump::None, ..) => return Version::new(major, minor, patch),
            (_, 0, 0) => 2,
            (b, 0, _) => match b.for_0x() {
                Bump::Minor => 1,
                _ => 2,
            },
            (Bump::Major, ..) => 0,
            (Bump::Minor, ..) => 1,
            (Bump::Patch, ..) => 2,
        };
        match place {
            0 => Version::new(major + 1, 0, 0),
            1 => Version::new(major, minor + 1, 0),
            _ => Version::new(major, minor, patch + 1),
        }
    }
}

/// The crate's version, the version it needs next, and whether a proposed one suffices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionCheck {
    /// The version of the crate generated from the old spec.
    pub current: Version,
    /// The smallest version the changes allow.
    pub required: Version,
    /// The version proposed for the crate generated from the new spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed: Option<Version>,
    /// Whether `proposed` is at least `required` (absent when nothing was proposed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sufficient: Option<bool>,
}

impl VersionCheck {
    /// Checks `proposed` (if any) against what `bump` requires after `current`.
    pub fn new(current: &Version, proposed: Option<&Version>, bump: Bump) -> VersionCheck {
        let current = Version::new(current.major, current.minor, current.patch);
        let required = bump.next(&current);
        VersionCheck {
            sufficient: proposed.map(|p| p >= &required),
            proposed: proposed.cloned(),
            current,
            required,
        }
    }

    /// A sentence for text reports.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "Required version: {} (from {})",
            self.required, self.current
        );
        match (&self.proposed, self.sufficient) {
            (Some(p), Some(true)) => s.push_str(&format!("; {p} is enough.")),
            (Some(p), _) => s.push_str(&format!(
                "; {p} is NOT enough: release {} or later.",
                self.required
            )),
            (None, _) => s.push('.'),
        }
        s
    }
}

/// Reads `package.version` from a crate directory's `Cargo.toml` (or a `Cargo.toml` path).
pub fn read_crate_version(path: &Path) -> Result<Version> {
    let manifest = if path.is_dir() {
        path.join("Cargo.toml")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&manifest).map_err(|e| Error::Io {
        path: manifest.clone(),
        source: e,
    })?;
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Error::Usage(format!(
            "{}: not a valid Cargo.toml: {}",
            manifest.display(),
            e.message()
        ))
    })?;
    let version = doc
        .get("package")
        .and_then(|p| p.get("version"))
        .ok_or_else(|| {
            Error::Usage(format!(
                "{}: no `package.version` (a workspace-inherited version is not supported: pass --crate-version)",
                manifest.display()
            ))
        })?;
    let text = version.as_str().ok_or_else(|| {
        Error::Usage(format!(
            "{}: `package.version` is not a string (a workspace-inherited version is not supported: pass --crate-version)",
            manifest.display()
        ))
    })?;
    parse_version(text).map_err(|e| Error::Usage(format!("{}: {e}", manifest.display())))
}

/// Parses a semver version, with a message naming it.
pub fn parse_version(text: &str) -> std::result::Result<Version, String> {
    Version::parse(text.trim()).map_err(|e| format!("{text:?} is not a semver version: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Rule;
    use crate::diff::report::tests::change;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn bump_needed_by_the_worst_change() {
        assert_eq!(Bump::needed(&[]), Bump::None);
        let c = |rule| change(rule, "a.b", "");
        assert_eq!(
            Bump::needed(&[c(Rule::ResponseConstraintChanged)]),
            Bump::Patch
        );
        assert_eq!(Bump::needed(&[c(Rule::OperationAdded)]), Bump::Minor);
        assert_eq!(
            Bump::needed(&[c(Rule::RequestConstraintTightened)]),
            Bump::Minor
        );
        assert_eq!(
            Bump::needed(&[c(Rule::OperationAdded), c(Rule::FieldRemoved)]),
            Bump::Major
        );
    }

    #[test]
    fn next_versions_in_cargo_semver() {
        let cases = [
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
            ("1.2.3", Bump::None, "1.2.3"),
            ("0.4.1", Bump::Major, "0.5.0"),
            ("0.4.1", Bump::Minor, "0.4.2"),
            ("0.4.1", Bump::Patch, "0.4.2"),
            ("0.0.7", Bump::Major, "0.0.8"),
            ("0.0.7", Bump::Patch, "0.0.8"),
            ("2.0.0-rc.1", Bump::Minor, "2.1.0"),
        ];
        for (current, bump, next) in cases {
            assert_eq!(bump.next(&v(current)), v(next), "{current} {bump:?}");
        }
    }

    #[test]
    fn proposed_versions_are_checked() {
        let check = VersionCheck::new(&v("1.2.3"), Some(&v("1.3.0")), Bump::Major);
        assert_eq!(check.sufficient, Some(false));
        assert!(
            check.describe().contains("NOT enough"),
            "{}",
            check.describe()
        );
        let check = VersionCheck::new(&v("0.4.1"), Some(&v("0.5.0")), Bump::Major);
        assert_eq!(check.sufficient, Some(true));
        let check = VersionCheck::new(&v("0.4.1"), None, Bump::Minor);
        assert_eq!(
            (check.required.to_string(), check.sufficient),
            ("0.4.2".into(), None)
        );
    }

    #[test]
    fn crate_version_from_cargo_toml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.3.1\"\n",
        )
        .unwrap();
        assert_eq!(read_crate_version(dir.path()).unwrap(), v("0.3.1"));
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion.workspace = true\n",
        )
        .unwrap();
        let err = read_crate_version(dir.path()).unwrap_err().to_string();
        assert!(err.contains("--crate-version"), "{err}");
        std::fs::write(dir.path().join("Cargo.toml"), "[package\n").unwrap();
        assert!(read_crate_version(dir.path()).is_err());
        assert!(read_crate_version(&dir.path().join("missing")).is_err());
    }
}
