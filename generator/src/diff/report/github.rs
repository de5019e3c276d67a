//! GitHub Actions workflow commands: an annotation per change (`::error` for
//! changes at `--fail-on` or above, `::warning` for other breaking or
//! behavioural ones, `::notice` for the rest), attached to the new spec file,
//! and a closing notice with the summary.

use std::fmt::Write;

use super::Report;
use crate::diff::change::Change;
use crate::diff::policy::Level;

pub(super) fn render(r: &Report, fail_on: Level) -> String {
    let mut out = String::new();
    let file = r.new.spec.display().to_string();
    for c in &r.changes {
        let command = if c.level >= fail_on {
            "error"
        } else if c.level > Level::NonBreaking {
            "warning"
        } else {
            "notice"
        };
        let _ = writeln!(
            out,
            "::{command} file={},title={}::{}",
            property(&file),
            property(&format!("{} ({})", c.rule.id(), c.level)),
            data(&message(c))
        );
    }
    let _ = writeln!(
        out,
        "::notice title={}::{}",
        property("apigen diff"),
        data(&r.summary_line())
    );
    out
}

fn message(c: &Change) -> String {
    let mut m = c.operation.clone();
    if !c.location.is_empty() {
        m.push(' ');
        m.push_str(&c.location);
    }
    if let Some(t) = &c.in_type {
        m.push_str(&format!(" (in {t})"));
    }
    m.push_str(": ");
    m.push_str(&c.what);
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => m.push_str(&format!(": {o} → {n}")),
        (Some(o), None) => m.push_str(&format!(" (was {o})")),
        (None, Some(n)) => m.push_str(&format!(" ({n})")),
        (None, None) => {}
    }
    m.push_str(&format!(". {}. To accept: `{}`", c.reason, c.ignore_key()));
    m
}

/// Escapes a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property's value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Rule;
    use crate::diff::report::tests::{change, report};

    #[test]
    fn escaping() {
        assert_eq!(data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn one_annotation_per_change_then_a_summary() {
        let r = report(vec![
            change(Rule::OperationRemoved, "a.get", ""),
            change(Rule::RequestConstraintTightened, "a.list", "params.query.x"),
            change(Rule::EnumValueAdded, "b.get", "result.kind"),
        ]);
        let text = r.to_github(Level::Breaking);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[0]
                .starts_with("::error file=new.yaml,title=operation-removed (breaking)::a.get: "),
            "{text}"
        );
        assert!(lines[1].starts_with("::warning file=new.yaml,title=request-constraint-tightened (behavioural)::a.list params.query.x: "), "{text}");
        assert!(lines[2].starts_with("::notice "), "{text}");
        assert!(
            lines[2].ends_with("To accept: `enum-value-added b.get result.kind`"),
            "{text}"
        );
        assert!(lines[0].contains("quoted\"%0Aover lines"), "{text}");
        assert!(
            lines[3].starts_with(
                "::notice title=apigen diff::Summary: 1 breaking, 1 behavioural, 1 non-breaking."
            ),
            "{text}"
        );
    }
}
