//! One pair of named definitions: struct fields, enum values, union variants.

use super::{effective, Out};
use crate::diff::change::Sides;
use crate::diff::matching;
use crate::diff::policy::{worst, Rule};
use crate::diff::surface;
use crate::diff::walk::{field_at, Pair};
use crate::ir::{Field, Shape, StringEnum, Struct, TypeKind, Union};

/// Compares a pair's own members (the pairs inside it are compared on their own).
pub(super) fn compare_pair(out: &mut Out, (a, b): Pair, at: &str, sides: Sides) {
    let sides = effective(sides);
    out.in_type = Some(surface::type_path(out.new_api(), b));
    match (
        &out.old().types.get(a).kind,
        &out.new_api().types.get(b).kind,
    ) {
        (TypeKind::Struct(s), TypeKind::Struct(t)) => structs(out, s, t, at, sides),
        (TypeKind::Enum(e), TypeKind::Enum(f)) => enums(out, e, f, at),
        (TypeKind::Union(u), TypeKind::Union(v)) => unions(out, u, v, at, sides),
        _ => {}
    }
    out.in_type = None;
}

fn structs(out: &mut Out, s: &Struct, t: &Struct, at: &str, sides: Sides) {
    let is_params = t.is_params;
    let m = matching::fields(&s.fields, &t.fields, is_params);
    for (f, g) in &m.renamed {
        let field_at = field_at(at, g, true);
        out.push(
            Rule::ParameterRenamed,
            &field_at,
            "path parameter renamed",
            Some(f.ident.bare().to_string()),
            Some(g.ident.bare().to_string()),
        );
        field_pair(out, f, g, &field_at, true, sides);
    }
    for (f, g) in &m.paired {
        field_pair(out, f, g, &field_at(at, g, is_params), is_params, sides);
    }
    for f in &m.removed {
        let (rule, what) = if is_params {
            (Rule::ParameterRemoved, "parameter removed")
        } else {
            (Rule::FieldRemoved, "field removed")
        };
        let ty = surface::field_type(out.old(), f);
        out.push(rule, &field_at(at, f, is_params), what, Some(ty), None);
    }
    for g in &m.added {
        let (rule, what) = if is_params {
            let rule = if g.required {
                Rule::ParameterAddedRequired
            } else {
                Rule::ParameterAddedOptional
            };
            (rule, "parameter added")
        } else {
            let request = sides.request.then_some(if g.required {
                Rule::RequestFieldAddedRequired
            } else {
                Rule::RequestFieldAddedOptional
            });
            let response = sides.response.then_some(if g.required {
                Rule::ResponseFieldAddedRequired
            } else {
                Rule::ResponseFieldAddedOptional
            });
            let rule = worst(request, response).unwrap_or(Rule::ResponseFieldAddedOptional);
            (rule, "field added")
        };
        let ty = surface::field_type(out.new_api(), g);
        out.push(rule, &field_at(at, g, is_params), what, None, Some(ty));
    }
    let extra_at = format!("{at}.additional_properties");
    let map = |x: &Shape| Shape::Map(Box::new(x.clone()));
    match (&s.additional, &t.additional) {
        (Some(x), Some(y)) => {
            if out.c.map_values(x, y, &extra_at, &mut Vec::new()) {
                super::constraints::compare(out, x, y, &format!("{extra_at}{{}}"), sides);
            } else {
                let rule = out.type_rule(&map(x), &map(y));
                let old = surface::render(out.old(), &map(x));
                let new = surface::render(out.new_api(), &map(y));
                out.push(rule, &extra_at, "type changed", Some(old), Some(new));
            }
        }
        (Some(x), None) => {
            let old = surface::render(out.old(), &map(x));
            out.push(
                Rule::AdditionalPropertiesRemoved,
                &extra_at,
                "additional properties removed",
                Some(old),
                None,
            );
        }
        (None, Some(y)) => {
            let new = surface::render(out.new_api(), &map(y));
            out.push(
                Rule::AdditionalPropertiesAdded,
                &extra_at,
                "additional properties added",
                None,
                Some(new),
            );
        }
        (None, None) => {}
    }
}

/// A field present on both sides.
fn field_pair(out: &mut Out, f: &Field, g: &Field, at: &str, is_params: bool, sides: Sides) {
    let (old_null, old_base) = surface::field_wrap(f);
    let (new_null, new_base) = surface::field_wrap(g);
    let old_ty = surface::field_type(out.old(), f);
    let new_ty = surface::field_type(out.new_api(), g);
    if is_params && f.location != g.location {
        out.push(
            Rule::ParameterMoved,
            at,
            "parameter moved",
            Some(surface::location_label(f.location).into()),
            Some(surface::location_label(g.location).into()),
        );
    }
    if !out.c.fields(f, g, at, &mut Vec::new()) {
        let rule = out.type_rule(old_base, new_base);
        out.push(rule, at, "type changed", Some(old_ty), Some(new_ty));
        return;
    }
    let type_changes = old_ty != new_ty;
    if f.required != g.required {
        let made_required = g.required;
        let what = if made_required {
            "made required"
        } else {
            "made optional"
        };
        let rule = if is_params {
            if made_required {
                Rule::ParameterMadeRequired
            } else {
                Rule::ParameterMadeOptional
            }
        } else {
            let request = sides.request.then_some(if made_required {
                Rule::RequestFieldMadeRequired
            } else {
                Rule::RequestFieldMadeOptional
            });
            let response = sides
                .response
                .then_some(match (type_changes, made_required) {
                    (false, _) => Rule::ResponseFieldPresenceChanged,
                    (true, true) => Rule::ResponseFieldMadeRequired,
                    (true, false) => Rule::ResponseFieldMadeOptional,
                });
            worst(request, response).unwrap_or(Rule::ResponseFieldPresenceChanged)
        };
        out.push(rule, at, what, Some(old_ty), Some(new_ty));
    } else if old_null != new_null && type_changes {
        let (rule, what) = if new_null {
            (Rule::FieldMadeNullable, "made nullable")
        } else {
            (Rule::FieldMadeNonNullable, "made non-nullable")
        };
        out.push(rule, at, what, Some(old_ty), Some(new_ty));
    }
    super::constraints::compare(out, old_base, new_base, at, sides);
    if sides.request && f.default != g.default {
        let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
        out.push(
            Rule::RequestDefaultChanged,
            at,
            "default changed",
            Some(show(&f.default)),
            Some(show(&g.default)),
        );
    }
}

fn enums(out: &mut Out, e: &StringEnum, f: &StringEnum, at: &str) {
    let m = matching::enum_values(&e.variants, &f.variants);
    for (value, ident) in m.removed {
        out.push(
            Rule::EnumValueRemoved,
            at,
            format!("enum value `{value}` removed"),
            Some(ident.to_string()),
            None,
        );
    }
    for (value, old, new) in m.renamed {
        out.push(
            Rule::EnumVariantRenamed,
            at,
            format!("variant of `{value}` renamed"),
            Some(old.to_string()),
            Some(new.to_string()),
        );
    }
    for (value, ident) in m.added {
        out.push(
            Rule::EnumValueAdded,
            at,
            format!("enum value `{value}` added"),
            None,
            Some(ident.to_string()),
        );
    }
}

fn unions(out: &mut Out, u: &Union, v: &Union, at: &str, sides: Sides) {
    let c = out.c;
    let m = matching::variants(&u.variants, &v.variants, |x, y| {
        x.boxed == y.boxed && c.shapes(&x.shape, &y.shape, at, &mut Vec::new())
    });
    let (old, new) = (out.old(), out.new_api());
    let ty =
        |api, x: &crate::ir::UnionVariant| surface::boxed(surface::render(api, &x.shape), x.boxed);
    for (x, y, renamed) in m.paired {
        let variant_at = format!("{at}.{}", y.ident);
        if renamed {
            out.push(
                Rule::UnionVariantRenamed,
                &variant_at,
                "union variant renamed",
                Some(x.ident.clone()),
                Some(y.ident.clone()),
            );
        }
        if x.boxed == y.boxed && c.shapes(&x.shape, &y.shape, &variant_at, &mut Vec::new()) {
            super::constraints::compare(out, &x.shape, &y.shape, &variant_at, sides);
        } else {
            let rule = out.type_rule(&x.shape, &y.shape);
            out.push(
                rule,
                &variant_at,
                "variant type changed",
                Some(ty(old, x)),
                Some(ty(new, y)),
            );
        }
    }
    for x in m.removed {
        out.push(
            Rule::UnionVariantRemoved,
            &format!("{at}.{}", x.ident),
            "union variant removed",
            Some(ty(old, x)),
            None,
        );
    }
    for y in m.added {
        out.push(
            Rule::UnionVariantAdded,
            &format!("{at}.{}", y.ident),
            "union variant added",
            None,
            Some(ty(new, y)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Level;
    use crate::diff::testing::{diff, edit, find, rules, BASE};

    #[test]
    fn added_fields_by_side_and_requiredness() {
        // Optional request body field, optional response field.
        let new = edit(&[
            (
                "                tag:\n                  type: string\n",
                "                tag:\n                  type: string\n                color:\n                  type: string\n",
            ),
            (
                "        email:\n          type: string\n",
                "        email:\n          type: string\n        phone:\n          type: string\n",
            ),
        ]);
        let changes = diff(BASE, &new);
        assert_eq!(
            find(
                &changes,
                Rule::ParameterAddedOptional,
                "pets.create",
                "params.body.color"
            )
            .level,
            Level::NonBreaking
        );
        let c = find(
            &changes,
            Rule::ResponseFieldAddedOptional,
            "pets.create",
            "result.owner.phone",
        );
        assert_eq!(c.in_type.as_deref(), Some("types::Owner"));
        assert_eq!(c.also_reached_from, ["pets.get", "pets.list"]);
        assert_eq!(changes.len(), 2);

        // A required response field: behavioural.
        let required = edit(&[(
            "      required: [id, name]\n",
            "      required: [id, name, status]\n",
        )]);
        let changes = diff(BASE, &required);
        let c = find(
            &changes,
            Rule::ResponseFieldMadeRequired,
            "pets.create",
            "result.status",
        );
        assert_eq!(c.level, Level::Breaking, "Option<Status> → Status");
    }

    #[test]
    fn nested_request_types_follow_the_builder_policy() {
        // `Owner` sent in a request body too: an optional field is a setter, a
        // required one a constructor argument.
        let with_owner = edit(&[(
            "                tag:\n                  type: string\n",
            "                tag:\n                  type: string\n                owner:\n                  $ref: '#/components/schemas/Owner'\n",
        )]);
        let optional = with_owner.replace(
            "        email:\n          type: string\n",
            "        email:\n          type: string\n        phone:\n          type: string\n",
        );
        let changes = diff(&with_owner, &optional);
        let c = find(
            &changes,
            Rule::RequestFieldAddedOptional,
            "pets.create",
            "params.body.owner.phone",
        );
        assert_eq!(c.level, Level::NonBreaking);
        let required = optional.replace(
            "    Owner:\n      type: object\n",
            "    Owner:\n      type: object\n      required: [phone]\n",
        );
        let changes = diff(&with_owner, &required);
        let c = find(
            &changes,
            Rule::RequestFieldAddedRequired,
            "pets.create",
            "params.body.owner.phone",
        );
        assert_eq!(c.level, Level::Breaking);
    }

    #[test]
    fn enum_and_union_growth_is_non_breaking_and_shrinking_breaks() {
        let grown = edit(&[(
            "enum: [available, sold]",
            "enum: [available, sold, pending]",
        )]);
        let changes = diff(BASE, &grown);
        assert_eq!(rules(&changes), ["enum-value-added"]);
        assert_eq!(changes[0].level, Level::NonBreaking);
        assert_eq!(changes[0].new.as_deref(), Some("Pending"));
        let shrunk = edit(&[("enum: [available, sold]", "enum: [available]")]);
        let changes = diff(BASE, &shrunk);
        assert_eq!(rules(&changes), ["enum-value-removed"]);
        assert_eq!(changes[0].level, Level::Breaking);

        let union = |members: &str| {
            edit(&[(
                "        owner:\n          $ref: '#/components/schemas/Owner'\n",
                &format!("        owner:\n          oneOf:\n{members}"),
            )])
        };
        let two =
            union("            - $ref: '#/components/schemas/Owner'\n            - type: string\n");
        let three = union("            - $ref: '#/components/schemas/Owner'\n            - type: string\n            - type: boolean\n");
        let changes = diff(&two, &three);
        let added: Vec<&crate::diff::Change> = changes
            .iter()
            .filter(|c| c.rule == Rule::UnionVariantAdded)
            .collect();
        assert_eq!(added.len(), 1, "{changes:#?}");
        assert_eq!(added[0].level, Level::NonBreaking);
        let changes = diff(&three, &two);
        assert!(changes
            .iter()
            .any(|c| c.rule == Rule::UnionVariantRemoved && c.level == Level::Breaking));
    }

    #[test]
    fn made_optional_made_nullable_and_defaults() {
        let optional = edit(&[("      required: [id, name]\n", "      required: [id]\n")]);
        let changes = diff(BASE, &optional);
        let c = find(
            &changes,
            Rule::ResponseFieldMadeOptional,
            "pets.create",
            "result.name",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("String"), Some("Option<String>"))
        );

        let nullable = edit(&[(
            "        id:\n          type: string\n",
            "        id:\n          type: string\n          nullable: true\n",
        )]);
        let changes = diff(BASE, &nullable);
        find(
            &changes,
            Rule::FieldMadeNullable,
            "pets.create",
            "result.id",
        );

        let defaulted = edit(&[(
            "            minimum: 1\n",
            "            minimum: 1\n            default: 20\n",
        )]);
        let changes = diff(BASE, &defaulted);
        let c = find(
            &changes,
            Rule::RequestDefaultChanged,
            "pets.list",
            "params.query.limit",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("none"), Some("20"))
        );
        assert_eq!(c.level, Level::Behavioural);
    }

    #[test]
    fn parameters_added_required_optional_removed_and_moved() {
        let required = edit(&[(
            "      parameters:\n        - name: limit",
            "      parameters:\n        - name: owner\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: limit",
        )]);
        let changes = diff(BASE, &required);
        assert_eq!(rules(&changes), ["parameter-added-required"]);
        let moved = edit(&[("          in: query\n", "          in: header\n")]);
        let changes = diff(BASE, &moved);
        let c = find(
            &changes,
            Rule::ParameterMoved,
            "pets.list",
            "params.header.limit",
        );
        assert_eq!(
            (c.old.as_deref(), c.new.as_deref()),
            (Some("query"), Some("header"))
        );
        let removed = edit(&[("                tag:\n                  type: string\n", "")]);
        let changes = diff(BASE, &removed);
        assert_eq!(rules(&changes), ["parameter-removed"]);
    }
}
