//! One matched operation: its name, route, arguments, return type and pagination.
//! The types it reaches are compared as pairs ([`super::types`]).

use super::{OpFacts, Out};
use crate::diff::policy::Rule;
use crate::diff::surface;
use crate::ir::{Operation, Shape};

/// Compares the method itself (not the types it reaches).
pub(super) fn compare(
    out: &mut Out,
    o: &Operation,
    n: &Operation,
    of: &OpFacts,
    nf: &OpFacts,
    renamed_from: Option<&str>,
) {
    let (old, new) = (out.old(), out.new_api());
    if let Some(old_name) = renamed_from {
        let rule = if of.sdk_name != nf.sdk_name {
            Rule::OperationRenamedBySpec
        } else {
            Rule::OperationRenamedByNaming
        };
        let new_name = out.operation.clone();
        out.push(
            rule,
            "",
            format!("method renamed (same route, `{}`)", surface::route(n)),
            Some(old_name.to_string()),
            Some(new_name),
        );
    }
    if of.operation_id != nf.operation_id {
        let show = |id: &Option<String>| id.clone().unwrap_or_else(|| "none".into());
        out.push(
            Rule::OperationIdChanged,
            "",
            "operationId changed",
            Some(show(&of.operation_id)),
            Some(show(&nf.operation_id)),
        );
    }
    if surface::route_key(o) != surface::route_key(n) {
        out.push(
            Rule::RouteChanged,
            "",
            "route changed",
            Some(surface::route(o)),
            Some(surface::route(n)),
        );
    }
    if !o.docs.deprecated && n.docs.deprecated {
        out.push(
            Rule::OperationDeprecated,
            "",
            "method deprecated",
            None,
            None,
        );
    }
    let (po, pn) = (surface::pagination(o), surface::pagination(n));
    if let Some(rule) = pagination_rule(po, pn) {
        out.push(
            rule,
            "",
            "pagination",
            po.map(str::to_string),
            pn.map(str::to_string),
        );
    }

    // The positional argument.
    match (&o.positional, &n.positional) {
        (None, Some(p)) => out.push(
            Rule::ArgumentAdded,
            &format!("args.{}", p.ident.bare()),
            "positional argument added",
            None,
            Some(surface::arg_type(new, &p.shape)),
        ),
        (Some(p), None) => out.push(
            Rule::ArgumentRemoved,
            &format!("args.{}", p.ident.bare()),
            "positional argument removed",
            Some(surface::arg_type(old, &p.shape)),
            None,
        ),
        (Some(a), Some(b)) => {
            let at = format!("args.{}", b.ident.bare());
            let (ta, tb) = (
                surface::arg_type(old, &a.shape),
                surface::arg_type(new, &b.shape),
            );
            if ta != tb || !out.c.shapes(&a.shape, &b.shape, &at, &mut Vec::new()) {
                let rule = out.type_rule(&a.shape, &b.shape);
                out.push(rule, &at, "argument type changed", Some(ta), Some(tb));
            } else {
                super::constraints::compare(
                    out,
                    &a.shape,
                    &b.shape,
                    &at,
                    crate::diff::change::Sides::REQUEST,
                );
            }
        }
        (None, None) => {}
    }

    // The parameters struct (its contents are a pair of their own).
    match (o.params_type, n.params_type) {
        (None, Some(id)) => out.push(
            Rule::ArgumentAdded,
            "params",
            "`params` argument added",
            None,
            Some(surface::type_path(new, id)),
        ),
        (Some(id), None) => out.push(
            Rule::ArgumentRemoved,
            "params",
            "`params` argument removed",
            Some(surface::type_path(old, id)),
            None,
        ),
        _ => {}
    }

    // The return type.
    let (ret_old, ret_new) = (surface::return_type(old, o), surface::return_type(new, n));
    match (surface::typed_result(o), surface::typed_result(n)) {
        (Some(a), Some(b)) => {
            let (sa, sb) = (Shape::Named(a), Shape::Named(b));
            if !out.c.named(a, b, "result", &mut Vec::new()) {
                let rule = out.type_rule(&sa, &sb);
                out.push(
                    rule,
                    "result",
                    "return type changed",
                    Some(ret_old),
                    Some(ret_new),
                );
            } else if surface::result_optional(o) != surface::result_optional(n) {
                let what = if surface::result_optional(n) {
                    "result made optional"
                } else {
                    "result made non-optional"
                };
                out.push(
                    Rule::ResultOptionalityChanged,
                    "result",
                    what,
                    Some(ret_old),
                    Some(ret_new),
                );
            }
        }
        _ if ret_old != ret_new => out.push(
            Rule::ReturnTypeChanged,
            "result",
            "return type changed",
            Some(ret_old),
            Some(ret_new),
        ),
        _ => {}
    }
}

/// The rule for a change of pagination style (`None`: the method does not page).
pub(super) fn pagination_rule(old: Option<&str>, new: Option<&str>) -> Option<Rule> {
    match (old, new) {
        (None, Some(_)) => Some(Rule::PaginationAdded),
        (Some(_), None) => Some(Rule::PaginationRemoved),
        (Some(a), Some(b)) if a != b => Some(Rule::PaginationChanged),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::{diff, edit, find, rules, BASE};

    #[test]
    fn pagination_rules() {
        assert_eq!(pagination_rule(None, None), None);
        assert_eq!(
            pagination_rule(None, Some("cursor")),
            Some(Rule::PaginationAdded)
        );
        assert_eq!(
            pagination_rule(Some("cursor"), None),
            Some(Rule::PaginationRemoved)
        );
        assert_eq!(
            pagination_rule(Some("cursor"), Some("page")),
            Some(Rule::PaginationChanged)
        );
        assert_eq!(pagination_rule(Some("page"), Some("page")), None);
    }

    #[test]
    fn renamed_by_spec_or_by_naming() {
        // The spec's SDK name changes: by spec.
        let new = edit(&[(
            "      operationId: pets-get\n",
            "      operationId: pets-get\n      x-fern-sdk-method-name: fetch\n",
        )]);
        let changes = diff(BASE, &new);
        assert_eq!(rules(&changes), ["operation-renamed-by-spec"]);
        let c = find(&changes, Rule::OperationRenamedBySpec, "pets.fetch", "");
        assert_eq!(c.old.as_deref(), Some("pets.get"));

        // A new child resource takes the accessor name `get`, so the method falls
        // back to its operationId although the spec still asks for `get`: by naming.
        let clash = edit(&[(
            "  /pets/{pet_id}:\n    get:",
            "  /pets/{pet_id}/x:\n    get:\n      operationId: aaa\n      x-fern-sdk-group-name: pets.get\n      x-fern-sdk-method-name: list\n      responses:\n        '204':\n          description: ok\n  /pets/{pet_id}:\n    get:",
        )]);
        let changes = diff(BASE, &clash);
        let c = find(
            &changes,
            Rule::OperationRenamedByNaming,
            "pets.pets_get",
            "",
        );
        assert_eq!(c.old.as_deref(), Some("pets.get"));
    }

    #[test]
    fn operation_id_and_route_changes() {
        let new = edit(&[("operationId: pets-list", "operationId: list-pets")]);
        let changes = diff(BASE, &new);
        assert_eq!(rules(&changes), ["operation-id-changed"]);
        let moved = edit(&[("  /pets/{pet_id}:", "  /animals/{pet_id}:")]);
        // `pets.get` now derives from `/animals`: another resource, so a removal and
        // an addition; give it its old SDK name to see a route change.
        let moved = moved.replace(
            "      operationId: pets-get\n",
            "      operationId: pets-get\n      x-fern-sdk-group-name: pets\n      x-fern-sdk-method-name: get\n",
        );
        let changes = diff(BASE, &moved);
        let c = find(&changes, Rule::RouteChanged, "pets.get", "");
        assert_eq!(c.new.as_deref(), Some("GET /animals/{pet_id}"));
    }

    #[test]
    fn return_type_changes_and_mapping_changes() {
        let new = edit(&[(
            "              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/Pet'\n",
            "              schema:\n                $ref: '#/components/schemas/Pet'\n",
        )]);
        let changes = diff(BASE, &new);
        let c = find(&changes, Rule::TypeChanged, "pets.list", "result");
        assert_eq!(c.old.as_deref(), Some("Vec<types::Pet>"));
        assert_eq!(c.new.as_deref(), Some("types::Pet"));
        // An integer path parameter from int64 to int32: same JSON, another Rust type.
        let (a, b) = (
            edit(&[(
                "          required: true\n          schema:\n            type: string\n      responses:",
                "          required: true\n          schema:\n            type: integer\n            format: int64\n      responses:",
            )]),
            edit(&[(
                "          required: true\n          schema:\n            type: string\n      responses:",
                "          required: true\n          schema:\n            type: integer\n            format: int32\n      responses:",
            )]),
        );
        let changes = diff(&a, &b);
        let c = find(
            &changes,
            Rule::TypeMappingChanged,
            "pets.get",
            "params.path.pet_id",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("i64"), Some("i32"))
        );
    }
}
