//! Renamed types, and whether the spec or our naming caused each.
//!
//! A type's Rust name comes from its component name (component schemas), or
//! from its position: the component or operation it is part of, plus the
//! property or suffix, numbered on a clash. So a rename is the spec's doing
//! when the component it is (or is part of) has another name, when the schema
//! moved between a component and an operation, or when the operation it is
//! part of has another SDK name in the spec. Otherwise the spec names it as
//! before and our naming changed it (numbering, interning order, position).

use super::{Lowered, Out};
use crate::diff::policy::Rule;
use crate::diff::surface;
use crate::diff::walk::Graph;
use crate::ir::TypeId;

/// Records every renamed type pair the walk met, once, where it was first met.
/// Renames at `params`/`result` of a renamed operation are covered by the
/// operation's rename (those types are named after the method).
pub(super) fn report(
    out: &mut Out,
    graph: &Graph,
    op_names: &[&str],
    op_resources: &[String],
    renamed_ops: &[Option<bool>],
    old: &Lowered,
    new: &Lowered,
) {
    for m in &graph.names {
        let (a, b) = m.written;
        let (old_path, new_path) = (
            surface::type_path(&old.api, a),
            surface::type_path(&new.api, b),
        );
        if old_path == new_path {
            continue;
        }
        if renamed_ops[m.first].is_some() && (m.at == "params" || m.at == "result") {
            continue;
        }
        let rule = if caused_by_spec(old, a, new, b) {
            Rule::TypeRenamedBySpec
        } else {
            Rule::TypeRenamedByNaming
        };
        out.operation = op_names[m.first].to_string();
        out.resource = op_resources[m.first].clone();
        out.also.clear();
        out.push(rule, &m.at, "type renamed", Some(old_path), Some(new_path));
    }
}

/// What a type's name derives from in the spec.
#[derive(Debug, PartialEq, Eq)]
enum Anchor<'a> {
    /// A component schema (the type itself or a part of it), by name token.
    Component(&'a str),
    /// An operation (a type inline in it), by pointer.
    Operation(&'a str),
    /// Anything else (cannot happen for lowered types).
    Other,
}

fn anchor(pointer: &str) -> Anchor<'_> {
    if let Some(rest) = pointer.strip_prefix("#/components/schemas/") {
        return Anchor::Component(rest.split('/').next().unwrap_or(rest));
    }
    if let Some(rest) = pointer.strip_prefix("#/paths/") {
        // `#/paths/{path}/{method}`: the first two tokens.
        let len: usize = rest.split('/').take(2).map(|t| t.len() + 1).sum::<usize>() - 1;
        return Anchor::Operation(&pointer[.."#/paths/".len() + len]);
    }
    Anchor::Other
}

/// Whether the spec renamed what the type's name derives from.
fn caused_by_spec(old: &Lowered, a: TypeId, new: &Lowered, b: TypeId) -> bool {
    let (pa, pb) = (
        surface::type_pointer(&old.api, a),
        surface::type_pointer(&new.api, b),
    );
    match (anchor(pa), anchor(pb)) {
        (Anchor::Component(x), Anchor::Component(y)) => x != y,
        (Anchor::Operation(x), Anchor::Operation(y)) => sdk_name(old, x) != sdk_name(new, y),
        // Extracted into a component, inlined, or moved: the spec did it.
        _ => true,
    }
}

/// The SDK name the spec asks for, of the operation at `pointer`.
fn sdk_name<'a>(side: &'a Lowered, pointer: &str) -> Option<&'a str> {
    side.facts.get(pointer).map(|f| f.sdk_name.as_str())
}

/// For tests: the cause of renaming `old_name` (in `old`) to `new_name` (in `new`).
#[cfg(test)]
fn cause_of(old: &Lowered, old_name: &str, new: &Lowered, new_name: &str) -> Rule {
    let id = |api: &crate::ir::Api, name: &str| {
        TypeId(
            api.types
                .defs
                .iter()
                .position(|d| d.name == name)
                .unwrap_or_else(|| panic!("no type {name}")),
        )
    };
    if caused_by_spec(old, id(&old.api, old_name), new, id(&new.api, new_name)) {
        Rule::TypeRenamedBySpec
    } else {
        Rule::TypeRenamedByNaming
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::{diff, find, lowered, BASE};

    #[test]
    fn anchors() {
        assert_eq!(
            anchor("#/components/schemas/Pet/properties/owner"),
            Anchor::Component("Pet")
        );
        assert_eq!(anchor("#/components/schemas/Pet"), Anchor::Component("Pet"));
        assert_eq!(
            anchor("#/paths/~1pets/post/requestBody/content"),
            Anchor::Operation("#/paths/~1pets/post")
        );
        assert_eq!(
            anchor("#/paths/~1pets/post"),
            Anchor::Operation("#/paths/~1pets/post")
        );
        assert_eq!(anchor("#/x"), Anchor::Other);
    }

    #[test]
    fn component_renamed_by_the_spec() {
        let new = BASE.replace("Owner", "Person");
        let changes = diff(BASE, &new);
        let c = find(
            &changes,
            Rule::TypeRenamedBySpec,
            "pets.create",
            "result.owner",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("types::Owner"), Some("types::Person"))
        );
    }

    #[test]
    fn numbered_name_is_ours() {
        // A new component `Owner_` claims `Owner` first (sorted before... no: after),
        // so add one that sorts first and takes the Rust name `Owner`.
        let new = BASE.replace(
            "    Owner:\n      type: object\n",
            "    OWNER:\n      type: string\n    Owner:\n      type: object\n",
        );
        let (old, new) = (lowered(BASE), lowered(&new));
        assert_eq!(
            cause_of(&old, "Owner", &new, "Owner2"),
            Rule::TypeRenamedByNaming
        );
        assert_eq!(
            cause_of(&old, "Owner", &new, "Pet"),
            Rule::TypeRenamedBySpec
        );
    }
}
