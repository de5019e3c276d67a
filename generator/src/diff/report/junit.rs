//! JUnit XML: one test case per change, so CI test dashboards list API changes.
//! Changes at `--fail-on` or above are failures; the rest pass.

use std::fmt::Write;

use super::Report;
use crate::diff::policy::Level;

pub(super) fn render(r: &Report, fail_on: Level) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = r.changes.iter().filter(|c| c.level >= fail_on).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"apigen diff\" tests=\"{}\" failures=\"{failures}\">",
        r.changes.len()
    );
    for level in Level::ALL {
        let changes: Vec<_> = r.changes.iter().filter(|c| c.level == level).collect();
        let failing = if level >= fail_on { changes.len() } else { 0 };
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failing}\">",
            level.id(),
            changes.len()
        );
        for c in changes {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&c.operation),
                escape(&c.ignore_key())
            );
            let mut detail = c.what.clone();
            match (&c.old, &c.new) {
                (Some(o), Some(n)) => detail.push_str(&format!(": {o} → {n}")),
                (Some(o), None) => detail.push_str(&format!(" (was {o})")),
                (None, Some(n)) => detail.push_str(&format!(" ({n})")),
                (None, None) => {}
            }
            if level >= fail_on {
                let _ = writeln!(
                    out,
                    ">\n      <failure type=\"{}\" message=\"{}\">{}{}</failure>\n    </testcase>",
                    c.rule.id(),
                    escape(&detail),
                    escape(&c.reason),
                    c.in_type
                        .as_ref()
                        .map(|t| escape(&format!(" (in {t})")))
                        .unwrap_or_default()
                );
            } else {
                let _ = writeln!(
                    out,
                    ">\n      <system-out>{}: {}</system-out>\n    </testcase>",
                    escape(&detail),
                    escape(&c.reason)
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for an XML attribute or element; drops characters XML 1.0 cannot hold.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Rule;
    use crate::diff::report::tests::{change, report};

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;"
        );
    }

    #[test]
    fn cases_fail_at_the_fail_on_level() {
        let r = report(vec![
            change(Rule::OperationRemoved, "a.get", ""),
            change(Rule::RequestConstraintTightened, "a.list", "params.query.x"),
            change(Rule::EnumValueAdded, "b.get", "result.kind"),
        ]);
        let xml = r.to_junit(Level::Behavioural);
        assert!(
            xml.contains("<testsuites name=\"apigen diff\" tests=\"3\" failures=\"2\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testsuite name=\"non-breaking\" tests=\"1\" failures=\"0\">"),
            "{xml}"
        );
        assert!(xml.contains("<failure type=\"operation-removed\""), "{xml}");
        assert!(
            xml.contains("name=\"enum-value-added b.get result.kind\">\n      <system-out>"),
            "{xml}"
        );
        assert!(
            xml.contains("something &lt;changed&gt; &amp; &quot;quoted&quot;&#10;over lines"),
            "{xml}"
        );
    }
}
