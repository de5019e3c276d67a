//! Comparing: every matched operation, then every pair the walk found, each once.
//!
//! The comparison states facts by choosing a [`Rule`]; the level of each rule is
//! the policy's ([`super::policy`]), never decided here.

mod constraints;
mod operation;
mod renames;
mod types;

use std::collections::{HashMap, HashSet};

use super::change::{Change, Sides};
use super::matching;
use super::policy::Rule;
use super::surface;
use super::walk::{self, Correspond};
use crate::ir::{Api, Operation, Shape};

/// What the diff knows of an operation from the spec itself (not the IR).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpFacts {
    /// `operationId`, when the spec gives one.
    pub operation_id: Option<String>,
    /// The SDK name the spec asks for (`x-fern-sdk-group-name` and
    /// `x-fern-sdk-method-name`, else derived from the route), before our clash resolution.
    pub sdk_name: String,
}

/// One side of the comparison: the IR plus spec facts, by operation pointer.
pub struct Lowered {
    /// The IR.
    pub api: Api,
    /// Spec facts of each operation, by its JSON pointer.
    pub facts: HashMap<String, OpFacts>,
}

impl Lowered {
    fn facts_of(&self, op: &Operation) -> OpFacts {
        self.facts
            .get(surface::operation_pointer(op))
            .cloned()
            .unwrap_or_default()
    }
}

/// Where changes are collected, with the context every change carries.
struct Out<'a> {
    c: Correspond<'a>,
    operation: String,
    resource: String,
    in_type: Option<String>,
    also: Vec<String>,
    changes: Vec<Change>,
}

impl<'a> Out<'a> {
    fn new(c: Correspond<'a>) -> Self {
        Out {
            c,
            operation: String::new(),
            resource: String::new(),
            in_type: None,
            also: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn old(&self) -> &'a Api {
        self.c.old
    }

    fn new_api(&self) -> &'a Api {
        self.c.new
    }

    fn push(
        &mut self,
        rule: Rule,
        at: &str,
        what: impl Into<String>,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.changes.push(Change {
            rule,
            level: rule.level(),
            operation: self.operation.clone(),
            resource: self.resource.clone(),
            location: at.to_string(),
            in_type: self.in_type.clone(),
            what: what.into(),
            old,
            new,
            reason: rule.reason().to_string(),
            also_reached_from: self.also.clone(),
        });
    }

    /// `type-mapping-changed` when both sides are the same JSON kind, else `type-changed`.
    fn type_rule(&self, a: &Shape, b: &Shape) -> Rule {
        if surface::wire_kind(self.old(), a) == surface::wire_kind(self.new_api(), b) {
            Rule::TypeMappingChanged
        } else {
            Rule::TypeChanged
        }
    }
}

/// Compares two lowered specs; changes come sorted (most severe first, then
/// operation, location).
pub fn compare(old: &Lowered, new: &Lowered) -> Vec<Change> {
    let (oa, na) = (&old.api, &new.api);
    let c = Correspond { old: oa, new: na };
    let names = |api: &Api| -> Vec<String> {
        api.operations
            .iter()
            .map(|o| surface::operation_name(api, o))
            .collect()
    };
    let routes = |api: &Api| -> Vec<(String, String)> {
        api.operations.iter().map(surface::route_key).collect()
    };
    let (old_names, new_names) = (names(oa), names(na));
    let m = matching::operations(&old_names, &routes(oa), &new_names, &routes(na));

    let mut out = Out::new(c);
    for &i in &m.removed {
        let op = &oa.operations[i];
        out.operation = old_names[i].clone();
        out.resource = surface::resource_name(oa, op);
        out.push(
            Rule::OperationRemoved,
            "",
            "method removed",
            Some(surface::route(op)),
            None,
        );
    }
    for &j in &m.added {
        let op = &na.operations[j];
        out.operation = new_names[j].clone();
        out.resource = surface::resource_name(na, op);
        out.push(
            Rule::OperationAdded,
            "",
            "method added",
            None,
            Some(surface::route(op)),
        );
    }

    // Operations themselves.
    let mut renamed_by_spec = vec![None; m.pairs.len()];
    let ops: Vec<(&Operation, &Operation)> = m
        .pairs
        .iter()
        .map(|p| (&oa.operations[p.old], &na.operations[p.new]))
        .collect();
    let op_names: Vec<&str> = m.pairs.iter().map(|p| new_names[p.new].as_str()).collect();
    let op_resources: Vec<String> = ops
        .iter()
        .map(|(_, n)| surface::resource_name(na, n))
        .collect();
    for (k, (p, (o, n))) in m.pairs.iter().zip(&ops).enumerate() {
        out.operation = op_names[k].to_string();
        out.resource = op_resources[k].clone();
        let (of, nf) = (old.facts_of(o), new.facts_of(n));
        if p.renamed {
            renamed_by_spec[k] = Some(of.sdk_name != nf.sdk_name);
        }
        operation::compare(
            &mut out,
            o,
            n,
            &of,
            &nf,
            p.renamed.then(|| old_names[p.old].as_str()),
        );
    }

    // Named types: find the pairs, then compare each once.
    let graph = walk::walk(c, &ops);
    renames::report(
        &mut out,
        &graph,
        &op_names,
        &op_resources,
        &renamed_by_spec,
        old,
        new,
    );
    for node in &graph.nodes {
        out.operation = op_names[node.first].to_string();
        out.resource = op_resources[node.first].clone();
        out.also = node
            .reached_from
            .iter()
            .filter(|&&k| k != node.first)
            .map(|&k| op_names[k].to_string())
            .collect();
        types::compare_pair(&mut out, node.pair, &node.at, node.sides);
    }

    let mut changes = out.changes;
    changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    changes.dedup();
    // A renamed type is reported once, where it is first met.
    let mut renames: HashSet<(Option<String>, Option<String>)> = HashSet::new();
    changes.retain(|c| {
        !matches!(
            c.rule,
            Rule::TypeRenamedBySpec | Rule::TypeRenamedByNaming | Rule::TypeRenamedWithAlias
        ) || renames.insert((c.old.clone(), c.new.clone()))
    });
    changes
}

/// Sides a change is judged from: a type reached from neither (cannot happen
/// after the walk) is judged as a response type.
fn effective(sides: Sides) -> Sides {
    if sides.request || sides.response {
        sides
    } else {
        Sides::RESPONSE
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::testing::{diff, edit, rules, BASE};

    #[test]
    fn added_and_removed_operations_with_their_resources() {
        let new = edit(&[(
            "    post:\n      operationId: pets-create",
            "    put:\n      operationId: pets-create",
        )]);
        let changes = diff(BASE, &new);
        // Removed (breaking) sorts before added (non-breaking).
        assert_eq!(rules(&changes), ["operation-removed", "operation-added"]);
        assert_eq!(changes[0].operation, "pets.create");
        assert_eq!(changes[0].old.as_deref(), Some("POST /pets"));
        assert_eq!(changes[1].operation, "pets.update");
        assert!(changes.iter().all(|c| c.resource == "pets"));
    }

    #[test]
    fn a_renamed_operation_does_not_also_report_its_params_and_result_renamed() {
        let new = edit(&[(
            "      operationId: pets-create\n",
            "      operationId: pets-create\n      x-fern-sdk-method-name: add\n",
        )]);
        let changes = diff(BASE, &new);
        // `PetCreateParams` → `PetAddParams` is implied by the method rename.
        assert_eq!(rules(&changes), ["operation-renamed-by-spec"]);
    }

    #[test]
    fn a_shared_type_is_compared_once_and_names_every_operation() {
        let new = edit(&[(
            "        id:\n          type: string\n",
            "        id:\n          type: string\n          maxLength: 10\n",
        )]);
        let changes = diff(BASE, &new);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].operation, "pets.create");
        assert_eq!(changes[0].also_reached_from, ["pets.get", "pets.list"]);
    }
}
