//! Markdown, grouped by level then SDK resource: ready to paste into a CHANGELOG.

use std::collections::BTreeMap;

use super::Report;
use crate::diff::change::Change;
use crate::diff::policy::Level;

pub(super) fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# API changes: `{}` → `{}`\n\n",
        r.old.spec.display(),
        r.new.spec.display()
    ));
    out.push_str(&format!(
        "{} {} → {} {}: {} → {} operations",
        r.old.title, r.old.version, r.new.title, r.new.version, r.old.operations, r.new.operations
    ));
    if !r.only.is_empty() {
        let only: Vec<String> = r.only.iter().map(|s| format!("`{s}`")).collect();
        out.push_str(&format!(" (only {})", only.join(", ")));
    }
    out.push_str(".\n");
    for level in Level::ALL {
        let mut by_resource: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in r.changes.iter().filter(|c| c.level == level) {
            by_resource.entry(&c.resource).or_default().push(c);
        }
        if by_resource.is_empty() {
            continue;
        }
        let n: usize = by_resource.values().map(Vec::len).sum();
        out.push_str(&format!("\n## {} ({n})\n", level.title()));
        for (resource, changes) in by_resource {
            let title = if resource.is_empty() {
                "client root".to_string()
            } else {
                format!("`{resource}`")
            };
            out.push_str(&format!("\n### {title}\n\n"));
            for c in changes {
                out.push_str(&line(c));
                out.push('\n');
            }
        }
    }
    if r.changes.is_empty() {
        out.push_str("\nNo changes to the generated Rust API.\n");
    }
    out.push('\n');
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}

/// `` - `user.edit` `params.body.first_name` (in `T`): maxLength lowered: `60` → `30` — why. `rule` ``
fn line(c: &Change) -> String {
    let mut line = format!("- `{}`", c.operation);
    if !c.location.is_empty() {
        line.push_str(&format!(" `{}`", c.location));
        if let Some(t) = &c.in_type {
            line.push_str(&format!(" (in `{t}`)"));
        }
    }
    line.push_str(": ");
    line.push_str(&c.what);
    match (&c.old, &c.new) {
        (Some(old), Some(new)) => line.push_str(&format!(": `{old}` → `{new}`")),
        (Some(old), None) => line.push_str(&format!(" (was `{old}`)")),
        (None, Some(new)) => line.push_str(&format!(" (`{new}`)")),
        (None, None) => {}
    }
    line.push_str(" — ");
    line.push_str(&c.reason);
    if !c.also_reached_from.is_empty() {
        let shown: Vec<String> = c
            .also_reached_from
            .iter()
            .take(3)
            .map(|o| format!("`{o}`"))
            .collect();
        let more = c.also_reached_from.len().saturating_sub(3);
        line.push_str(&format!("; also reached from {}", shown.join(", ")));
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
    }
    line.push_str(&format!(". `{}`", c.rule.id()));
    // Spec text can hold newlines; a list item is one line.
    line.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use crate::diff::policy::Rule;
    use crate::diff::report::tests::{change, report};

    #[test]
    fn grouped_by_level_then_resource() {
        let r = report(vec![
            change(Rule::OperationRemoved, "zones.get", ""),
            change(Rule::EnumValueAdded, "accounts.list", "result.kind"),
            change(
                Rule::RequestConstraintTightened,
                "accounts.create",
                "params.body.name",
            ),
            change(Rule::FieldRemoved, "accounts.get", "result.id"),
        ]);
        let text = r.to_markdown();
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} in\n{text}"))
        };
        assert!(at("## Breaking changes (2)") < at("## Behavioural changes (1)"));
        assert!(at("## Behavioural changes (1)") < at("## Non-breaking changes (1)"));
        // Within a level, resources are sorted.
        assert!(at("### `accounts`") < at("### `zones`"));
        assert!(text.contains("- `accounts.get` `result.id`: something <changed> & \"quoted\" over lines (was `a`) — code setting or reading it no longer compiles. `field-removed`"), "{text}");
        assert!(
            text.trim_end().ends_with(
                "Required bump: major (x.y.z → (x+1).0.0); for a 0.x crate: 0.x.y → 0.(x+1).0."
            ),
            "{text}"
        );
    }

    #[test]
    fn empty_report_says_so() {
        let text = report(Vec::new()).to_markdown();
        assert!(
            text.contains("No changes to the generated Rust API."),
            "{text}"
        );
        assert!(text.contains("Required bump: none"), "{text}");
    }
}
