//! What the comparison produces: one [`Change`] per difference of the Rust API.

use serde::Serialize;

use super::policy::{Level, Rule};

/// One change of the generated Rust API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule (its stable ID in JSON).
    pub rule: Rule,
    /// How severe it is (from the rule: see [`Rule::level`]).
    pub level: Level,
    /// SDK path of the operation (`user.edit`); for renames, the new one.
    pub operation: String,
    /// The SDK resource the operation hangs from (`user`; empty for the root).
    pub resource: String,
    /// Where in the operation (`params.body.first_name`, `result.organizations[].id`);
    /// empty for the operation itself.
    pub location: String,
    /// The named Rust type holding the changed member, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_type: Option<String>,
    /// What changed, in words (`maxLength lowered`).
    pub what: String,
    /// The old value or Rust type.
    pub old: Option<String>,
    /// The new value or Rust type.
    pub new: Option<String>,
    /// Why it has its level.
    pub reason: String,
    /// Other operations reaching the same named type (the change affects them too).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_reached_from: Vec<String>,
}

impl Change {
    /// The line of an ignore file that silences exactly this change.
    pub fn ignore_key(&self) -> String {
        let mut key = format!("{} {}", self.rule.id(), self.operation);
        if !self.location.is_empty() {
            key.push(' ');
            key.push_str(&self.location);
        }
        key
    }

    /// The sort key of reports: most severe first, then operation, location, rule and values.
    pub(super) fn sort_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.level),
            &self.operation,
            &self.location,
            self.rule,
            &self.what,
            &self.old,
            &self.new,
        )
    }
}

/// Which ways values of a type travel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    /// Sent in requests (validated, built by users).
    pub request: bool,
    /// Received in responses (decoded, read by users).
    pub response: bool,
}

impl Sides {
    /// Only sent.
    pub const REQUEST: Sides = Sides {
        request: true,
        response: false,
    };
    /// Only received.
    pub const RESPONSE: Sides = Sides {
        request: false,
        response: true,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(rule: Rule, operation: &str, location: &str) -> Change {
        Change {
            rule,
            level: rule.level(),
            operation: operation.into(),
            resource: String::new(),
            location: location.into(),
            in_type: None,
            what: String::new(),
            old: None,
            new: None,
            reason: String::new(),
            also_reached_from: Vec::new(),
        }
    }

    #[test]
    fn ignore_keys_name_rule_operation_and_location() {
        assert_eq!(
            change(Rule::OperationAdded, "user.edit", "").ignore_key(),
            "operation-added user.edit"
        );
        assert_eq!(
            change(Rule::FieldRemoved, "user.edit", "result.id").ignore_key(),
            "field-removed user.edit result.id"
        );
    }

    #[test]
    fn most_severe_first_then_operation_and_location() {
        let mut v = [
            change(Rule::EnumValueAdded, "a.get", "result.x"),
            change(Rule::RequestConstraintTightened, "b.get", "params.query.y"),
            change(Rule::FieldRemoved, "b.get", "result.z"),
            change(Rule::FieldRemoved, "a.get", "result.z"),
        ];
        v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let order: Vec<(&str, &str)> = v
            .iter()
            .map(|c| (c.rule.id(), c.operation.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("field-removed", "a.get"),
                ("field-removed", "b.get"),
                ("request-constraint-tightened", "b.get"),
                ("enum-value-added", "a.get"),
            ]
        );
    }
}
