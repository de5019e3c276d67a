//! Object schemas → structs and their fields.
//!
//! An object may carry `oneOf`/`anyOf` beside its properties (directly or through an
//! `allOf` member). Members that only list `required` become a struct-level rule
//! ([`RequiredAlternatives`]); object members become a union flattened into the
//! struct (`#[serde(flatten)]`), so the common fields and the member's fields sit
//! side by side on the wire as in the spec, and nothing is dropped.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::super::names::{assign_unique, escape_value_ident, snake, Namespace};
use super::super::view::{SchemaRef, View};
use super::all_of::is_objectish;
use super::schema::annotation_only;
use super::{first_line, Alternatives, Hint, Lowerer, ObjectParts};
use crate::ir::*;

/// What a struct carries besides its properties.
enum Tail<'a> {
    Nothing,
    Required(RequiredAlternatives),
    /// A union of these alternatives, flattened into the struct, and the declarations of
    /// the properties that moved into its members.
    Flatten(Alternatives<'a>, String, Vec<String>),
}

impl<'a> Lowerer<'a> {
    /// Gathered object parts → a struct, a union (no properties, only alternatives), or the
    /// one non-object member (`allOf: [$ref string, {description}]`).
    /// `merge_key` identifies the schema whose `allOf` is being merged (see
    /// `Lowerer::merged`): a member reaching it again refers to the struct being built.
    pub(super) fn lower_parts(
        &mut self,
        mut parts: ObjectParts<'a>,
        data: &'a openapiv3::SchemaData,
        hint: &Hint,
        slot: Option<TypeId>,
        merge_key: Option<usize>,
    ) -> Shape {
        if parts.alternatives.len() > 1 {
            let pointer = parts.alternatives[1].1.clone();
            self.fallback(
                pointer,
                "several oneOf/anyOf lists in one object (through allOf); only the first is modelled",
            );
            parts.alternatives.truncate(1);
        }
        let alternatives = parts.alternatives.pop();
        if parts.props.is_empty() && parts.additional.is_none() {
            return match (alternatives, parts.non_objects.is_empty()) {
                (Some((alternatives, pointer)), true) => {
                    self.lower_alternatives(alternatives, &pointer, hint, slot)
                }
                (alternatives, _) => {
                    if let Some((_, pointer)) = alternatives {
                        self.fallback(
                            pointer,
                            "oneOf/anyOf beside non-object allOf members; kept the non-object member",
                        );
                    }
                    self.lower_non_objects(parts.non_objects, hint, slot)
                }
            };
        }
        if !parts.non_objects.is_empty() {
            self.fallback(
                &hint.pointer,
                "allOf mixes objects and non-objects; kept the object members",
            );
        }
        let tail = match alternatives {
            None => Tail::Nothing,
            Some((alternatives, pointer)) => self.classify_tail(&mut parts, alternatives, pointer),
        };
        if let Tail::Flatten(alternatives, pointer, folded) = &tail {
            if parts.props.is_empty() && parts.additional.is_none() {
                // Every common property is declared by every member: the union alone.
                let shape = self.lower_alternatives(*alternatives, pointer, hint, slot);
                let named = match &shape {
                    Shape::Named(id) => Some(*id),
                    Shape::Nullable(inner) => match **inner {
                        Shape::Named(id) => Some(id),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(id) = named {
                    self.defs[id.0].sources.extend(folded.iter().cloned());
                }
                return shape;
            }
        }
        self.make_struct(parts, hint, slot, data, tail, merge_key)
    }

    /// The union of an object's alternatives: the component's own type when they are all a
    /// referenced component is.
    fn lower_alternatives(
        &mut self,
        alternatives: Alternatives<'a>,
        list: &str,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        match alternatives.origin {
            Some(SchemaRef::Ref(r)) if slot.is_none() => self.lower_ref(r, &hint.pointer),
            _ => self.lower_union(alternatives, list, None, hint, slot),
        }
    }

    /// `allOf` members that are not objects: one is the type; annotation-only extras are ignored.
    fn lower_non_objects(
        &mut self,
        mut members: Vec<SchemaRef<'a>>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        if members.len() > 1 {
            members.retain(|m| {
                !self
                    .resolver
                    .deref(*m)
                    .is_some_and(|s| annotation_only(&View::of(s)))
            });
        }
        match members.as_slice() {
            [] => Shape::Any,
            [only] => match *only {
                SchemaRef::Inline(s) => self.lower_inline(s, hint, slot),
                SchemaRef::Ref(r) => self.lower_ref(r, &hint.pointer),
            },
            [first, ..] => {
                self.fallback(
                    &hint.pointer,
                    "allOf of several non-object schemas; used the first",
                );
                self.lower(*first, hint)
            }
        }
    }

    /// What to do with alternatives that sit beside properties.
    fn classify_tail(
        &mut self,
        parts: &mut ObjectParts<'a>,
        alternatives: Alternatives<'a>,
        pointer: String,
    ) -> Tail<'a> {
        if let Some(required) = self.requirement_alternatives(parts, alternatives, &pointer) {
            return match required {
                Some(r) => Tail::Required(r),
                None => Tail::Nothing,
            };
        }
        let views: Vec<Option<View<'a>>> = alternatives
            .members
            .iter()
            .map(|m| self.resolver.deref(m.into()).map(View::of))
            .collect();
        if !views.iter().all(|v| v.as_ref().is_some_and(is_objectish)) {
            self.fallback(
                &pointer,
                "oneOf/anyOf members that are not objects beside properties; kept the properties only",
            );
            return Tail::Nothing;
        }
        // A property every member declares lives in the members (the union sees only what
        // the struct does not take); one that some members declare cannot be in both.
        let member_props: Vec<BTreeSet<String>> = alternatives
            .members
            .iter()
            .map(|m| self.property_names(m.into()))
            .collect();
        let names: Vec<String> = parts.props.keys().cloned().collect();
        let mut folded = Vec::new();
        for name in names {
            let declaring = member_props.iter().filter(|p| p.contains(&name)).count();
            if declaring == member_props.len() {
                if let Some(prop) = parts.props.remove(&name) {
                    folded.extend(prop.sources);
                }
                parts.required.remove(&name);
            } else if declaring > 0 {
                let at = parts.props[&name].pointer().to_string();
                self.fallback(
                    at,
                    "property declared by the object and by some of its oneOf/anyOf members; decoded into the object's field only",
                );
            }
        }
        if parts.additional.is_some() && !parts.props.is_empty() {
            self.fallback(
                &pointer,
                "additionalProperties beside a flattened oneOf/anyOf would capture the members' properties; not kept",
            );
            parts.additional = None;
        }
        Tail::Flatten(alternatives, pointer, folded)
    }

    /// Alternatives whose members only list `required` (`anyOf: [{required: [url]},
    /// {required: [html]}]`): `Some` with the rule to check (or `None` when there is
    /// nothing checkable), or `None` at the outer level when the members say more.
    pub(super) fn requirement_alternatives(
        &mut self,
        parts: &ObjectParts<'a>,
        alternatives: Alternatives<'a>,
        pointer: &str,
    ) -> Option<Option<RequiredAlternatives>> {
        let mut sets: Vec<Vec<String>> = Vec::new();
        for member in alternatives.members {
            let view = View::of(self.resolver.deref(member.into())?);
            if !requirement_only(&view) {
                return None;
            }
            sets.push(view.required.to_vec());
        }
        let unknown: BTreeSet<&String> = sets
            .iter()
            .flatten()
            .filter(|name| !parts.props.contains_key(*name))
            .collect();
        if !unknown.is_empty() {
            self.fallback(
                pointer,
                format!(
                    "oneOf/anyOf requires properties the object does not declare ({}); the requirement is not checked",
                    unknown.into_iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            return Some(None);
        }
        // A member that requires nothing is always satisfied: nothing to check.
        if sets.is_empty() || sets.iter().any(Vec::is_empty) {
            return Some(None);
        }
        Some(Some(RequiredAlternatives {
            exclusive: alternatives.exclusive,
            sets,
        }))
    }

    /// Every property name a schema can carry: its own, its `allOf` members', and those of
    /// each of its alternatives. Each schema is read once (by address), so members repeated
    /// or shared (`allOf: [$ref A, $ref A]`, diamonds, cycles) cost nothing more.
    pub(super) fn property_names(&self, schema: SchemaRef<'a>) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut seen = std::collections::HashSet::new();
        let mut pending = vec![schema];
        while let Some(next) = pending.pop() {
            let Some(schema) = self.resolver.deref(next) else {
                continue;
            };
            if !seen.insert(&schema.schema_data as *const openapiv3::SchemaData) {
                continue;
            }
            let view = View::of(schema);
            if let Some(props) = view.properties {
                names.extend(props.keys().cloned());
            }
            for member in view.all_of.iter().chain(view.one_of).chain(view.any_of) {
                pending.push(member.into());
            }
        }
        names
    }

    fn make_struct(
        &mut self,
        parts: ObjectParts<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
        data: &'a openapiv3::SchemaData,
        tail: Tail<'a>,
        merge_key: Option<usize>,
    ) -> Shape {
        let id = slot.unwrap_or_else(|| self.new_type(hint));
        if let Some(key) = merge_key {
            self.merged.insert(key, id);
        }
        // Mark as a struct before lowering fields, so recursion sees a named type.
        self.defs[id.0].kind = TypeKind::Struct(Struct {
            fields: Vec::new(),
            additional: None,
            is_params: false,
            required_alternatives: None,
        });
        let hint = Hint {
            name: self.defs[id.0].name.clone(),
            ..hint.clone()
        };
        let mut ns = Namespace::default();
        let mut fields = self.fields_of(&parts, &hint, Location::Body, &mut ns);
        let additional = match parts.additional {
            // Declared explicitly: keep the extra properties instead of dropping them.
            Some(AdditionalProperties::Any(true)) => Some(Shape::Any),
            Some(AdditionalProperties::Schema(s)) => {
                let s: &'a ReferenceOr<Schema> = s;
                Some(self.lower(s.into(), &hint.child("Value", "additionalProperties")))
            }
            _ => None,
        };
        let mut required_alternatives = None;
        match tail {
            Tail::Nothing => {}
            Tail::Required(r) => required_alternatives = Some(r),
            Tail::Flatten(alternatives, pointer, folded) => {
                let union_hint = Hint {
                    pointer: pointer.clone(),
                    ..hint.child("Variant", "")
                };
                let shape = self.lower_alternatives(alternatives, &pointer, &union_hint, None);
                // `null` beside properties means nothing: the object is there.
                let shape = match shape {
                    Shape::Nullable(inner) => *inner,
                    other => other,
                };
                fields.push(Field {
                    name: String::new(),
                    ident: escape_value_ident(ns.claim("variant")),
                    shape,
                    required: true,
                    location: Location::Body,
                    boxed: false,
                    read_only: false,
                    write_only: false,
                    deprecated: false,
                    docs: Some(
                        "The fields of the `oneOf`/`anyOf` member this value matches.".into(),
                    ),
                    example: None,
                    flatten: true,
                    sources: std::iter::once(pointer).chain(folded).collect(),
                    default: None,
                });
            }
        }
        let def = &mut self.defs[id.0];
        def.kind = TypeKind::Struct(Struct {
            fields,
            additional,
            is_params: false,
            required_alternatives,
        });
        if def.docs.is_none() {
            def.docs = first_line(&data.description).or_else(|| first_line(&data.title));
        }
        if let Some(key) = merge_key {
            // Only while it is being built: the same schema reached again from another
            // operation (a shared parameter or body) gets its own type in its own module.
            self.merged.remove(&key);
            if self.merge_recursed.remove(&key) {
                // It refers to itself, so it cannot be merged with an identical twin.
                return Shape::Named(id);
            }
        }
        self.intern(id, slot)
    }

    pub(super) fn fields_of(
        &mut self,
        parts: &ObjectParts<'a>,
        hint: &Hint,
        location: Location,
        ns: &mut Namespace,
    ) -> Vec<Field> {
        let names: Vec<&str> = parts.props.keys().map(String::as_str).collect();
        let idents = assign_unique(&names, ns, snake);
        let mut fields = Vec::with_capacity(names.len());
        for ((name, prop), ident) in parts.props.iter().zip(idents) {
            let field_hint = Hint {
                pointer: prop.pointer().to_string(),
                ..hint.child(name, "")
            };
            let shape = self.lower_prop(prop, &field_hint);
            let datas: Vec<&'a openapiv3::SchemaData> = prop
                .decls
                .iter()
                .filter_map(|d| self.resolver.deref(*d))
                .map(|s| &s.schema_data)
                .collect();
            // A description written at the property wins over the referenced schema's.
            let own_description = prop.decls.iter().rev().find_map(|d| match d {
                SchemaRef::Inline(s) => first_line(&s.schema_data.description),
                SchemaRef::Ref(_) => None,
            });
            fields.push(Field {
                name: name.clone(),
                ident: escape_value_ident(ident),
                shape,
                required: parts.required.contains(name),
                location,
                boxed: false,
                read_only: datas.iter().any(|d| d.read_only),
                write_only: datas.iter().any(|d| d.write_only),
                deprecated: datas.iter().any(|d| d.deprecated),
                docs: own_description
                    .or_else(|| datas.iter().rev().find_map(|d| first_line(&d.description))),
                example: datas
                    .iter()
                    .rev()
                    .find_map(|d| d.example.as_ref())
                    .map(|e| e.to_string()),
                flatten: false,
                sources: prop.sources.clone(),
                default: datas
                    .iter()
                    .rev()
                    .find_map(|d| d.default.as_ref())
                    .map(|e| e.to_string()),
            });
        }
        fields
    }
}

/// A member that only says which properties are required (`{required: [url]}`).
pub(super) fn requirement_only(view: &View) -> bool {
    (view.typ.is_none() || view.typ == Some("object"))
        && view.properties.map_or(true, |p| p.is_empty())
        && view.all_of.is_empty()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.enumeration.is_empty()
        && view.items.is_none()
        && view.additional.is_none()
}
