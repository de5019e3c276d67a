//! The report: changes, counts, the version bump they need, and its renderings
//! (Markdown, JSON, JUnit XML, GitHub Actions annotations).

mod github;
mod ignore;
mod junit;
mod markdown;
mod version;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

pub use ignore::IgnoreList;
pub use version::{read_crate_version, Bump, VersionCheck};

use super::change::Change;
use super::policy::Level;

/// The JSON Schema of [`Report::to_json`]'s output (`generator/schemas/diff-report.v1.json`).
pub const JSON_SCHEMA: &str = include_str!("../../../schemas/diff-report.v1.json");

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct SpecSummary {
    /// The spec file.
    pub spec: PathBuf,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Operations compared.
    pub operations: usize,
}

/// Counts and the bump they need.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Behavioural changes.
    pub behavioural: usize,
    /// Non-breaking changes.
    pub non_breaking: usize,
    /// Changes silenced by the ignore file.
    pub ignored: usize,
    /// Changes per rule ID.
    pub by_rule: BTreeMap<String, usize>,
    /// The bump a crate at 1.0 or later needs.
    pub bump: Bump,
    /// The bump a 0.x crate needs (Cargo treats 0.x → 0.(x+1) as breaking).
    pub bump_0x: Bump,
    /// The crate's version, the one it needs next, and whether the proposed one suffices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionCheck>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of this JSON format (see [`JSON_SCHEMA`]).
    pub format_version: u32,
    /// The old spec.
    pub old: SpecSummary,
    /// The new spec.
    pub new: SpecSummary,
    /// Selectors both specs were cut to (empty: everything).
    pub only: Vec<String>,
    /// Every change not ignored, most severe first, then by operation and location.
    pub changes: Vec<Change>,
    /// Counts and the bump they need.
    pub summary: Summary,
}

impl Report {
    /// A report of `changes` (already sorted).
    pub fn new(
        old: SpecSummary,
        new: SpecSummary,
        only: Vec<String>,
        changes: Vec<Change>,
    ) -> Self {
        let mut report = Report {
            format_version: 1,
            old,
            new,
            only,
            changes,
            summary: Summary {
                breaking: 0,
                behavioural: 0,
                non_breaking: 0,
                ignored: 0,
                by_rule: BTreeMap::new(),
                bump: Bump::None,
                bump_0x: Bump::None,
                version: None,
            },
        };
        report.recount();
        report
    }

    fn recount(&mut self) {
        let s = &mut self.summary;
        let count = |l: Level| self.changes.iter().filter(|c| c.level == l).count();
        s.breaking = count(Level::Breaking);
        s.behavioural = count(Level::Behavioural);
        s.non_breaking = count(Level::NonBreaking);
        s.by_rule.clear();
        for c in &self.changes {
            *s.by_rule.entry(c.rule.id().to_string()).or_default() += 1;
        }
        s.bump = Bump::needed(&self.changes);
        s.bump_0x = s.bump.for_0x();
        if let Some(v) = &s.version {
            s.version = Some(VersionCheck::new(&v.current, v.proposed.as_ref(), s.bump));
        }
    }

    /// Drops the changes the ignore list matches (counted in `summary.ignored`).
    pub fn apply_ignore(&mut self, ignore: &IgnoreList) {
        let before = self.changes.len();
        self.changes.retain(|c| !ignore.matches(c));
        self.summary.ignored += before - self.changes.len();
        self.recount();
    }

    /// Computes the version the crate needs next from `current` (the version built
    /// from the old spec), and checks `proposed` against it.
    pub fn check_version(&mut self, current: &semver::Version, proposed: Option<&semver::Version>) {
        self.summary.version = Some(VersionCheck::new(current, proposed, self.summary.bump));
    }

    /// Whether any change is at least as severe as `level`.
    pub fn has_at_least(&self, level: Level) -> bool {
        self.changes.iter().any(|c| c.level >= level)
    }

    /// Whether the proposed version is too small for the changes.
    pub fn version_insufficient(&self) -> bool {
        self.summary
            .version
            .as_ref()
            .is_some_and(|v| v.sufficient == Some(false))
    }

    /// The report as pretty JSON (see [`JSON_SCHEMA`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report is plain data") + "\n"
    }

    /// The report as Markdown, grouped by level and resource (ready for a CHANGELOG).
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// The report as JUnit XML: one test case per change, failing at `fail_on` or above.
    pub fn to_junit(&self, fail_on: Level) -> String {
        junit::render(self, fail_on)
    }

    /// The report as GitHub Actions workflow commands (one annotation per change).
    pub fn to_github(&self, fail_on: Level) -> String {
        github::render(self, fail_on)
    }

    /// The one-line summary that ends the text reports.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let mut line = format!(
            "Summary: {} breaking, {} behavioural, {} non-breaking",
            s.breaking, s.behavioural, s.non_breaking
        );
        if s.ignored > 0 {
            line.push_str(&format!(" ({} ignored)", s.ignored));
        }
        line.push_str(". ");
        match &s.version {
            Some(v) => line.push_str(&v.describe()),
            None => line.push_str(&format!(
                "Required bump: {}; for a 0.x crate: {}.",
                s.bump.describe(),
                s.bump_0x.describe_0x()
            )),
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Rule;

    pub(super) fn change(rule: Rule, operation: &str, location: &str) -> Change {
        let resource = operation
            .rsplit_once('.')
            .map_or("", |(r, _)| r)
            .to_string();
        Change {
            rule,
            level: rule.level(),
            operation: operation.into(),
            resource,
            location: location.into(),
            in_type: None,
            what: "something <changed> & \"quoted\"\nover lines".into(),
            old: Some("a".into()),
            new: None,
            reason: rule.reason().into(),
            also_reached_from: Vec::new(),
        }
    }

    pub(super) fn report(changes: Vec<Change>) -> Report {
        let side = |name: &str| SpecSummary {
            spec: PathBuf::from(name),
            title: "T".into(),
            version: "1".into(),
            operations: 2,
        };
        Report::new(side("old.yaml"), side("new.yaml"), Vec::new(), changes)
    }

    #[test]
    fn counts_by_level_and_rule_and_ignores() {
        let mut r = report(vec![
            change(Rule::OperationRemoved, "a.get", ""),
            change(Rule::RequestConstraintTightened, "a.list", "params.query.x"),
            change(Rule::EnumValueAdded, "b.get", "result.kind"),
            change(Rule::EnumValueAdded, "b.list", "result.kind"),
        ]);
        assert_eq!(
            (
                r.summary.breaking,
                r.summary.behavioural,
                r.summary.non_breaking
            ),
            (1, 1, 2)
        );
        assert_eq!(r.summary.by_rule["enum-value-added"], 2);
        assert_eq!(r.summary.bump, Bump::Major);
        assert!(r.has_at_least(Level::Breaking));
        let ignore = IgnoreList::parse("operation-removed a.*\n", "x").unwrap();
        r.apply_ignore(&ignore);
        assert_eq!(r.summary.ignored, 1);
        assert_eq!(r.summary.bump, Bump::Minor);
        assert!(!r.has_at_least(Level::Breaking));
        assert!(r.has_at_least(Level::Behavioural));
        assert!(!r.summary.by_rule.contains_key("operation-removed"));
    }

    #[test]
    fn schema_lists_exactly_the_rules_and_levels() {
        let schema: serde_json::Value = serde_json::from_str(JSON_SCHEMA).unwrap();
        let ids = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        let rules: Vec<String> = Rule::ALL.iter().map(|r| r.id().to_string()).collect();
        assert_eq!(
            ids(&schema["$defs"]["change"]["properties"]["rule"]["enum"]),
            rules
        );
        assert_eq!(
            ids(&schema["properties"]["summary"]["properties"]["by_rule"]["propertyNames"]["enum"]),
            rules
        );
        let levels: Vec<String> = Level::ALL.iter().map(|l| l.id().to_string()).collect();
        assert_eq!(ids(&schema["$defs"]["level"]["enum"]), levels);
    }

    #[test]
    fn version_check_follows_ignores() {
        let mut r = report(vec![change(Rule::OperationRemoved, "a.get", "")]);
        let v = |s: &str| semver::Version::parse(s).unwrap();
        r.check_version(&v("1.2.3"), Some(&v("1.3.0")));
        assert!(r.version_insufficient());
        assert_eq!(r.summary.version.as_ref().unwrap().required, v("2.0.0"));
        r.apply_ignore(&IgnoreList::parse("* *\n", "x").unwrap());
        assert!(!r.version_insufficient());
        assert_eq!(r.summary.version.as_ref().unwrap().required, v("1.2.3"));
    }
}
