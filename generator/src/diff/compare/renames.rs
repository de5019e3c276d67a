//! Renamed types, and whether the spec or our naming caused each.
//!
//! A component schema's Rust name comes from its component name: renamed by
//! the spec when the component name differs, by our naming (a clash numbered
//! differently) when it does not. Any other type is named from where it is
//! first met: its parent's name plus a word from the spec (a property, a
//! suffix such as `Response`, an operation's SDK name), numbered on a clash or
//! by position (`Object2` for a union's second member). So when the two names
//! differ only in their digits, our numbering changed; when a word differs, the
//! spec renamed something the name is built from. (A word can also change
//! because an identical inline type is now first met elsewhere; that rare case
//! is counted as the spec's.)

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
        let rule = if surface::alias_target(&new.api, &old_path) == Some(b) {
            Rule::TypeRenamedWithAlias
        } else if caused_by_spec(old, a, new, b) {
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

/// Whether the spec renamed what the type's name derives from.
fn caused_by_spec(old: &Lowered, a: TypeId, new: &Lowered, b: TypeId) -> bool {
    let (pa, pb) = (
        surface::type_pointer(&old.api, a),
        surface::type_pointer(&new.api, b),
    );
    match (component(pa), component(pb)) {
        (Some(x), Some(y)) => x != y,
        _ => {
            let words = |api, id| -> String {
                surface::type_path(api, id)
                    .chars()
                    .filter(|c| !c.is_ascii_digit() && *c != '_')
                    .collect()
            };
            words(&old.api, a) != words(&new.api, b)
        }
    }
}

/// The component a pointer names, when it is a component schema itself.
fn component(pointer: &str) -> Option<&str> {
    pointer
        .strip_prefix("#/components/schemas/")
        .filter(|rest| !rest.contains('/'))
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
    fn components() {
        assert_eq!(component("#/components/schemas/Pet"), Some("Pet"));
        assert_eq!(component("#/components/schemas/Pet/properties/owner"), None);
        assert_eq!(component("#/paths/~1pets/post"), None);
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
    fn a_rename_the_lock_aliases_breaks_nothing() {
        let new = BASE.replace("Owner", "PetOwner");
        let changes = crate::diff::testing::diff_with_lock(BASE, &new);
        let c = find(
            &changes,
            Rule::TypeRenamedWithAlias,
            "pets.create",
            "result.owner",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("types::Owner"), Some("types::PetOwner"))
        );
        assert_eq!(c.level, crate::diff::Level::NonBreaking);
        assert!(changes
            .iter()
            .all(|c| c.level != crate::diff::Level::Breaking));
    }

    #[test]
    fn numbered_name_is_ours() {
        // A new component `OWNER` sorts first and takes the Rust name `Owner`.
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
