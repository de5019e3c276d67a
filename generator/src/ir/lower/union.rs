//! `oneOf` / `anyOf` → a [`Union`] (or a simpler shape when the alternatives allow it).

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::super::names::{assign_unique, pascal, Namespace};
use super::super::view::{Resolver, SchemaRef, View};
use super::all_of::unwrap_single_all_of;
use super::schema::{is_null_only, variant_name_for};
use super::{first_line, Hint, Lowerer};
use crate::ir::*;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_union(
        &mut self,
        view: &View<'a>,
        alternatives: &'a [ReferenceOr<Schema>],
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        let mut nullable = false;
        let mut members: Vec<(usize, SchemaRef<'a>)> = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            let r = SchemaRef::from(alt);
            match self.resolver.deref(r) {
                Some(s) if is_null_only(&View::of(s)) => nullable = true,
                _ => members.push((i, r)),
            }
        }
        let wrap = |s: Shape| {
            if nullable {
                Shape::Nullable(Box::new(s))
            } else {
                s
            }
        };
        if members.is_empty() {
            return Shape::Null;
        }
        if members.len() == 1 {
            let (_, only) = members[0];
            let shape = match only {
                SchemaRef::Inline(s) => self.lower_inline(s, hint, slot),
                SchemaRef::Ref(r) => self.lower_ref(r, &hint.pointer),
            };
            return wrap(shape);
        }
        let id = slot.unwrap_or_else(|| self.new_type(hint));
        let kw = if view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let mut shapes = Vec::new();
        let mut wanted = Vec::new();
        for (i, member) in &members {
            // A `$ref` annotated through `allOf` is named (and tagged) as the `$ref`.
            let wanted_name = match unwrap_single_all_of(*member) {
                SchemaRef::Ref(r) => Resolver::ref_name(r, "schemas").map(|n| pascal(&n, false)),
                SchemaRef::Inline(s) => Some(variant_name_for(&View::of(s))),
            }
            .unwrap_or_else(|| format!("Variant{i}"));
            let member_hint = hint.child(&wanted_name, &format!("{kw}/{i}"));
            shapes.push(self.lower(*member, &member_hint));
            wanted.push(wanted_name);
        }
        if shapes.iter().all(|s| matches!(s, Shape::String(_))) {
            // anyOf of strings with different formats: any string goes.
            return wrap(Shape::String(StringShape::default()));
        }
        let mut ns = Namespace::default();
        let idents = assign_unique(
            &wanted.iter().map(String::as_str).collect::<Vec<_>>(),
            &mut ns,
            pascal,
        );
        let discriminator = view
            .data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        let tags: Vec<Vec<String>> = match view.data.discriminator.as_ref() {
            Some(d) => members
                .iter()
                .map(|(_, member)| self.discriminator_tags(d, unwrap_single_all_of(*member)))
                .collect(),
            None => vec![Vec::new(); members.len()],
        };
        let variants = idents
            .into_iter()
            .zip(shapes)
            .zip(tags)
            .map(|((ident, shape), tags)| UnionVariant {
                ident,
                shape,
                boxed: false,
                tags,
            })
            .collect();
        let def = &mut self.defs[id.0];
        def.kind = TypeKind::Union(Union {
            variants,
            discriminator,
        });
        if def.docs.is_none() {
            def.docs = first_line(&view.data.description);
        }
        wrap(self.intern(id, slot))
    }

    /// The discriminator values that select a union member: the explicit
    /// `mapping` entries naming it, else the single `enum` value its schema gives
    /// the property, else (for a `$ref`) the component's name, as OpenAPI defines.
    pub(super) fn discriminator_tags(
        &self,
        d: &openapiv3::Discriminator,
        member: SchemaRef<'a>,
    ) -> Vec<String> {
        let component = match member {
            SchemaRef::Ref(r) => Resolver::ref_name(r, "schemas"),
            SchemaRef::Inline(_) => None,
        };
        if let Some(name) = &component {
            let mapped: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| {
                    Resolver::ref_name(target, "schemas")
                        .as_deref()
                        .unwrap_or(target.as_str())
                        == name
                })
                .map(|(value, _)| value.clone())
                .collect();
            if !mapped.is_empty() {
                return mapped;
            }
        }
        let from_enum = self.resolver.deref(member).and_then(|schema| {
            let parts_view = View::of(schema);
            let prop = parts_view.properties?.get(&d.property_name)?;
            let prop = self.resolver.deref(prop.into())?;
            match View::of(prop).enumeration.as_slice() {
                [Value::String(only)] => Some(vec![only.clone()]),
                _ => None,
            }
        });
        from_enum
            .or_else(|| component.map(|c| vec![c]))
            .unwrap_or_default()
    }
}
