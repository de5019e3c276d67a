//! `allOf`: gathering and merging the properties of object members.

use super::super::view::{component_pointer, Resolver, SchemaRef, Target, View};
use super::schema::{annotation_only, is_null_only};
use super::{Hint, Lowerer, ObjectParts, Prop};
use crate::error::pointer_token;
use crate::ir::*;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_all_of(
        &mut self,
        view: &View<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        let key = view.data as *const openapiv3::SchemaData as usize;
        let parts = self.object_parts(view, &hint.pointer);
        if parts.props.is_empty() && parts.additional.is_none() {
            // `allOf: [$ref, {type: string, deprecated: true}]`: the second member only annotates.
            let mut members = parts.non_objects.clone();
            if members.len() > 1 {
                members.retain(|m| {
                    !self
                        .resolver
                        .deref(*m)
                        .is_some_and(|s| annotation_only(&View::of(s)))
                });
            }
            return match members.as_slice() {
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
            };
        }
        if !parts.non_objects.is_empty() {
            self.fallback(
                &hint.pointer,
                "allOf mixes objects and non-objects; kept the object members",
            );
        }
        self.make_struct(parts, hint, slot, view.data, Some(key))
    }

    /// Gathers properties of an object schema, merging `allOf` members (recursively).
    pub(super) fn object_parts(&mut self, view: &View<'a>, pointer: &str) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        self.gather(view, pointer, &mut parts, 0);
        parts
    }

    pub(super) fn gather(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        depth: usize,
    ) {
        if depth > 16 {
            self.fallback(
                pointer,
                "allOf nests too deeply; ignored the deeper members",
            );
            return;
        }
        if let Some(props) = view.properties {
            for (name, prop) in props {
                let incoming = Prop {
                    schema: prop.into(),
                    force_nullable: false,
                    pointer: format!("{pointer}/properties/{}", pointer_token(name)),
                };
                self.merge_prop(parts, name, incoming);
            }
        }
        parts.required.extend(view.required.iter().cloned());
        if view.additional.is_some() {
            parts.additional = view.additional;
        }
        for (i, member) in view.all_of.iter().enumerate() {
            let r = SchemaRef::from(member);
            let member_pointer = match r {
                SchemaRef::Ref(reference) => Resolver::ref_name(reference, "schemas")
                    .map(|name| component_pointer(&name))
                    .unwrap_or_else(|| format!("{pointer}/allOf/{i}")),
                SchemaRef::Inline(_) => format!("{pointer}/allOf/{i}"),
            };
            if let SchemaRef::Ref(reference) = r {
                if let Target::Found(name, _) = self.resolver.schema(reference) {
                    if !parts.merged.insert(name) {
                        // Merged already (a cycle, or the same member again): once is enough.
                        continue;
                    }
                }
            }
            let Some(schema) = self.resolver.deref(r) else {
                self.fallback(&member_pointer, "unresolvable allOf member; ignored");
                continue;
            };
            let member_view = View::of(schema);
            let objectish = member_view.properties.is_some()
                || !member_view.all_of.is_empty()
                || member_view.typ == Some("object");
            if objectish && member_view.one_of.is_empty() && member_view.any_of.is_empty() {
                self.gather(&member_view, &member_pointer, parts, depth + 1);
            } else if member_view.is_unconstrained() {
                // A description-only member.
            } else {
                parts.non_objects.push(r);
            }
        }
    }

    pub(super) fn merge_prop(
        &mut self,
        parts: &mut ObjectParts<'a>,
        name: &str,
        incoming: Prop<'a>,
    ) {
        let Some(existing) = parts.props.get(name).cloned() else {
            parts.props.insert(name.to_string(), incoming);
            return;
        };
        let null_only = |l: &Self, p: &Prop<'a>| {
            l.resolver
                .deref(p.schema)
                .is_some_and(|s| is_null_only(&View::of(s)))
        };
        let merged = if null_only(self, &incoming) {
            Prop {
                force_nullable: true,
                ..existing
            }
        } else if null_only(self, &existing) {
            Prop {
                force_nullable: true,
                ..incoming
            }
        } else {
            if !same_ref(existing.schema, incoming.schema)
                && !is_trivial(self, existing.schema)
                && !same_scalar_type(self, existing.schema, incoming.schema)
            {
                self.fallback(
                    incoming.pointer.clone(),
                    "allOf members declare this property differently; the later declaration wins",
                );
            }
            Prop {
                force_nullable: existing.force_nullable || incoming.force_nullable,
                ..incoming
            }
        };
        parts.props.insert(name.to_string(), merged);
    }
}

pub(super) fn same_ref(a: SchemaRef, b: SchemaRef) -> bool {
    match (a, b) {
        (SchemaRef::Ref(x), SchemaRef::Ref(y)) => x == y,
        (SchemaRef::Inline(x), SchemaRef::Inline(y)) => x == y,
        _ => false,
    }
}

/// A placeholder declaration such as `result: {}` that a later member refines.
pub(super) fn is_trivial(l: &Lowerer, s: SchemaRef) -> bool {
    l.resolver.deref(s).is_some_and(|s| {
        let v = View::of(s);
        v.is_unconstrained() || (!v.any_of.is_empty() || !v.one_of.is_empty())
    })
}

/// Two declarations of the same non-object type (`success: {enum: [true]}` and
/// `success: {enum: [false]}` in Cloudflare's envelopes): the later one is taken,
/// and the Rust type is the same either way, so nothing is degraded.
pub(super) fn same_scalar_type<'a>(l: &Lowerer<'a>, a: SchemaRef<'a>, b: SchemaRef<'a>) -> bool {
    let (a, b) = (unwrap_single_all_of(a), unwrap_single_all_of(b));
    if same_ref(a, b) {
        return true;
    }
    match (l.resolver.deref(a), l.resolver.deref(b)) {
        (Some(a), Some(b)) => {
            let (a, b) = (View::of(a), View::of(b));
            let arrays_agree = || match (a.items, b.items) {
                (Some(x), Some(y)) => {
                    same_ref(x.into(), y.into())
                        || is_trivial(l, x.into())
                        || is_trivial(l, y.into())
                }
                _ => true,
            };
            a.typ.is_some()
                && a.typ == b.typ
                && a.typ != Some("object")
                && (a.typ != Some("array") || arrays_agree())
        }
        _ => false,
    }
}

/// `{allOf: [X], example: ...}` declares the same type as `X`.
pub(super) fn unwrap_single_all_of(s: SchemaRef) -> SchemaRef {
    match s {
        SchemaRef::Inline(schema) => {
            let view = View::of(schema);
            match view.all_of {
                [only] if view.properties.map_or(true, |p| p.is_empty()) && view.typ.is_none() => {
                    only.into()
                }
                _ => s,
            }
        }
        other => other,
    }
}
