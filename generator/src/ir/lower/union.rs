//! `oneOf` / `anyOf` → a [`Union`], or a simpler shape when the members allow it.
//!
//! * Members that are themselves plain unions are flattened into the outer one
//!   (`anyOf: [without-data, with-data]` of DNS records becomes one union of record types).
//! * A single member (besides `null`) is just that member.
//! * Members of one primitive type become one value with alternative constraints
//!   (`anyOf: [{number, minimum: 30}, {enum: [1]}]` is a number that satisfies either), or a
//!   string enum when an enum is listed beside a free string.
//! * Otherwise a union whose variants are named from discriminator values, titles,
//!   component names (common prefix removed) or the properties that tell the members
//!   apart, never by counting.

use openapiv3::Discriminator;
use serde_json::Value;

use super::super::names::{assign_unique, pascal, Namespace};
use super::super::view::{Resolver, SchemaRef, View};
use super::schema::{annotated_ref, is_null_only, string_shape, string_values, variant_name_for};
use super::{first_line, Alternatives, Hint, Lowerer};
use crate::ir::*;

/// How deep nested plain unions are flattened.
const MAX_FLATTEN_DEPTH: usize = 8;

/// One member of a union after nested unions are flattened.
#[derive(Clone)]
pub(super) struct Member<'a> {
    pub(super) schema: SchemaRef<'a>,
    /// Where it is in the spec (the component for a `$ref`).
    pub(super) pointer: String,
    /// The discriminator of the union that listed it.
    pub(super) declared_by: Option<&'a Discriminator>,
}

impl<'a> Lowerer<'a> {
    /// Lowers a `oneOf`/`anyOf` list found at `list` (a JSON pointer). `base` is the schema
    /// that holds the list, whose `type` and constraints the members inherit.
    pub(super) fn lower_union(
        &mut self,
        alternatives: Alternatives<'a>,
        list: &str,
        base: Option<&View<'a>>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        let mut members = Vec::new();
        let mut nullable = false;
        self.flatten_members(alternatives, list, &mut members, &mut nullable, 0);
        self.lower_members(
            members,
            alternatives.discriminator,
            nullable,
            base,
            hint,
            slot,
        )
    }

    /// Lowers the (flattened) members of a union; see [`Lowerer::lower_union`].
    pub(super) fn lower_members(
        &mut self,
        members: Vec<Member<'a>>,
        declared: Option<&'a Discriminator>,
        nullable: bool,
        base: Option<&View<'a>>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        let wrap = |s: Shape| {
            if nullable && !matches!(s, Shape::Nullable(_) | Shape::Any | Shape::Null) {
                Shape::Nullable(Box::new(s))
            } else {
                s
            }
        };
        match members.as_slice() {
            [] => return Shape::Null,
            [only] => {
                let member_hint = Hint {
                    pointer: only.pointer.clone(),
                    ..hint.clone()
                };
                let shape = match only.schema {
                    SchemaRef::Inline(s) => self.lower_inline(s, &member_hint, slot),
                    SchemaRef::Ref(r) => self.lower_ref(r, &hint.pointer),
                };
                return wrap(shape);
            }
            _ => {}
        }
        if let Some(shape) = self.primitive_alternatives(&members, base, hint, slot) {
            return wrap(shape);
        }
        let id = slot.unwrap_or_else(|| self.new_type(hint));
        let discriminator = self.union_discriminator(declared, &members);
        let tags: Vec<Vec<String>> = members
            .iter()
            .map(|m| match &discriminator {
                Some(property) => self.member_tags(m, property),
                None => Vec::new(),
            })
            .collect();
        let names = self.variant_names(&members, &tags);
        let mut variants: Vec<UnionVariant> = Vec::new();
        for ((member, ident), tags) in members.iter().zip(names).zip(tags) {
            let member_hint = Hint {
                module: hint.module.clone(),
                name: format!("{}{ident}", hint.name),
                pointer: member.pointer.clone(),
            };
            let shape = self.lower(member.schema, &member_hint);
            // Two members of the same type are one variant (their tags together).
            if let Some(same) = variants.iter_mut().find(|v| v.shape == shape) {
                for tag in tags {
                    if !same.tags.contains(&tag) {
                        same.tags.push(tag);
                    }
                }
                continue;
            }
            let docs = self.resolver.deref(member.schema).and_then(|s| {
                first_line(&s.schema_data.title).or_else(|| first_line(&s.schema_data.description))
            });
            variants.push(UnionVariant {
                ident,
                shape,
                boxed: false,
                tags,
                docs,
            });
        }
        // A tag that several variants claim selects none of them: those decode by trial.
        let all_tags: Vec<String> = variants.iter().flat_map(|v| v.tags.clone()).collect();
        for v in &mut variants {
            v.tags
                .retain(|t| all_tags.iter().filter(|x| *x == t).count() == 1);
        }
        let discriminator = discriminator.filter(|_| variants.iter().any(|v| !v.tags.is_empty()));
        let docs = base.and_then(|b| first_line(&b.data.description));
        let def = &mut self.defs[id.0];
        def.kind = TypeKind::Union(Union {
            variants,
            discriminator,
        });
        if def.docs.is_none() {
            def.docs = docs;
        }
        wrap(self.intern(id, slot))
    }

    /// The members of a union, with nested plain unions expanded in place.
    fn flatten_members(
        &mut self,
        alternatives: Alternatives<'a>,
        list: &str,
        out: &mut Vec<Member<'a>>,
        nullable: &mut bool,
        depth: usize,
    ) {
        for (i, alternative) in alternatives.members.iter().enumerate() {
            let mut schema = SchemaRef::from(alternative);
            // A `$ref` annotated through `allOf` is a member named and tagged as the `$ref`.
            if let SchemaRef::Inline(wrapper) = schema {
                let view = View::of(wrapper);
                if let Some(r) = annotated_ref(&view) {
                    *nullable |= view.data.nullable;
                    schema = SchemaRef::Ref(r);
                }
            }
            let pointer = self.resolver.declared_at(schema, &format!("{list}/{i}"));
            let view = self.resolver.deref(schema).map(View::of);
            match view {
                Some(view) if is_null_only(&view) => *nullable = true,
                Some(view) if depth < MAX_FLATTEN_DEPTH && is_plain_union(&view) => {
                    if let Some((inner, keyword)) = Alternatives::of(&view) {
                        *nullable |= view.data.nullable;
                        let inner_list = format!("{pointer}/{keyword}");
                        self.flatten_members(inner, &inner_list, out, nullable, depth + 1);
                    }
                }
                _ => {
                    if !out.iter().any(|m| same_schema(m.schema, schema)) {
                        out.push(Member {
                            schema,
                            pointer,
                            declared_by: alternatives.discriminator,
                        });
                    }
                }
            }
        }
    }

    /// Members that are all strings, or all numbers: one value, not a union.
    fn primitive_alternatives(
        &mut self,
        members: &[Member<'a>],
        base: Option<&View<'a>>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Option<Shape> {
        let base_type = base.and_then(|b| b.typ);
        let mut views = Vec::with_capacity(members.len());
        for m in members {
            let view = View::of(self.resolver.deref(m.schema)?);
            let plain = view.properties.map_or(true, |p| p.is_empty())
                && view.items.is_none()
                && view.additional.is_none()
                && view.all_of.is_empty()
                && view.one_of.is_empty()
                && view.any_of.is_empty()
                && view.format.as_deref() != Some("binary");
            if !plain {
                return None;
            }
            let typ = view.typ.or(base_type)?;
            views.push((typ, view));
        }
        if views.iter().all(|(t, _)| *t == "string") {
            return Some(self.string_alternatives(&views, base, hint, slot));
        }
        if views.iter().all(|(t, _)| *t == "integer" || *t == "number") {
            let mut shape = base.map(|b| self.number_shape(b)).unwrap_or_default();
            let alternatives: Vec<NumberShape> =
                views.iter().map(|(_, v)| self.number_shape(v)).collect();
            if !alternatives.iter().any(|a| *a == NumberShape::default()) {
                shape.alternatives = alternatives;
            }
            return Some(if views.iter().all(|(t, _)| *t == "integer") {
                Shape::Integer(shape)
            } else {
                Shape::Number(shape)
            });
        }
        None
    }

    fn string_alternatives(
        &mut self,
        views: &[(&str, View<'a>)],
        base: Option<&View<'a>>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        let mut shape = base.map(string_shape).unwrap_or_default();
        let mut values: Vec<String> = Vec::new();
        let mut free: Vec<StringShape> = Vec::new();
        for (_, view) in views {
            match string_values(view) {
                Ok(v) if !v.is_empty() => {
                    for value in v {
                        if !values.contains(&value) {
                            values.push(value);
                        }
                    }
                }
                _ => free.push(string_shape(view)),
            }
        }
        let any_string = free.iter().any(|f| *f == StringShape::default());
        if !values.is_empty() && (free.is_empty() || any_string) {
            // Known values, and perhaps "any other string": an open enum says both.
            let docs = base.and_then(|b| first_line(&b.data.description));
            return self.string_enum(values, docs, hint, slot);
        }
        if !any_string {
            let mut alternatives = free;
            if !values.is_empty() {
                alternatives.push(StringShape {
                    allowed: values,
                    ..StringShape::default()
                });
            }
            // One format everywhere (`date-time` or `date-time`) is the value's format.
            let first = alternatives[0].format.clone();
            if shape.format.is_none()
                && first.is_some()
                && alternatives.iter().all(|a| {
                    a.format == first
                        && *a
                            == StringShape {
                                format: first.clone(),
                                ..StringShape::default()
                            }
                })
            {
                shape.format = first;
            } else {
                shape.alternatives = alternatives;
            }
        }
        Shape::String(shape)
    }

    /// The property that tells the members apart: the declared discriminator, the one all
    /// flattened inner unions declare, or a property to which every member gives its own
    /// single value.
    fn union_discriminator(
        &self,
        declared: Option<&'a Discriminator>,
        members: &[Member<'a>],
    ) -> Option<String> {
        if let Some(d) = declared {
            return Some(d.property_name.clone());
        }
        if let Some(first) = members[0].declared_by {
            if members.iter().all(|m| {
                m.declared_by
                    .is_some_and(|d| d.property_name == first.property_name)
            }) {
                return Some(first.property_name.clone());
            }
        }
        let mut candidates: Vec<String> =
            self.property_names(members[0].schema).into_iter().collect();
        candidates.retain(|property| {
            let mut seen: Vec<String> = Vec::new();
            members
                .iter()
                .all(|m| match self.single_value(m.schema, property, 0) {
                    Some(value) if !seen.contains(&value) => {
                        seen.push(value);
                        true
                    }
                    _ => false,
                })
        });
        candidates.into_iter().next()
    }

    /// The discriminator values that select a member: the `mapping` entries naming it, else
    /// the single value its schema gives the property, else (for a `$ref` under a declared
    /// discriminator) the component's name, as OpenAPI defines.
    fn member_tags(&self, member: &Member<'a>, property: &str) -> Vec<String> {
        let declared = member.declared_by.filter(|d| d.property_name == property);
        let component = match member.schema {
            SchemaRef::Ref(r) => Resolver::ref_name(r, "schemas"),
            SchemaRef::Inline(_) => None,
        };
        if let (Some(d), Some(name)) = (declared, &component) {
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
        if let Some(value) = self.single_value(member.schema, property, 0) {
            return vec![value];
        }
        match (declared, component) {
            (Some(_), Some(name)) => vec![name],
            _ => Vec::new(),
        }
    }

    /// The one string value a schema allows for `property` (`type: {enum: [A]}`), looking
    /// through `allOf` members.
    fn single_value(&self, schema: SchemaRef<'a>, property: &str, depth: usize) -> Option<String> {
        let view = View::of(self.resolver.deref(schema)?);
        if let Some(prop) = view.properties.and_then(|p| p.get(property)) {
            let prop = View::of(self.resolver.deref(prop.into())?);
            return match prop.enumeration.as_slice() {
                [Value::String(only)] => Some(only.clone()),
                _ => None,
            };
        }
        if depth > 8 {
            return None;
        }
        view.all_of
            .iter()
            .find_map(|m| self.single_value(m.into(), property, depth + 1))
    }

    /// Variant names, each member's best candidate, moving to the next candidate while
    /// names collide.
    fn variant_names(&self, members: &[Member<'a>], tags: &[Vec<String>]) -> Vec<String> {
        let component_names: Vec<Option<String>> = members
            .iter()
            .map(|m| match m.schema {
                SchemaRef::Ref(r) => Resolver::ref_name(r, "schemas").map(|n| pascal(&n, false)),
                SchemaRef::Inline(_) => None,
            })
            .collect();
        let stripped = strip_common_prefix(&component_names);
        let candidates: Vec<Vec<String>> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let view = self.resolver.deref(member.schema).map(View::of);
                let mut c = Vec::new();
                if let [tag] = tags[i].as_slice() {
                    c.push(pascal(tag, false));
                }
                if let Some(title) = view.as_ref().and_then(|v| first_line(&v.data.title)) {
                    c.push(pascal(&title, false));
                }
                if let Some(name) = &stripped[i] {
                    c.push(name.clone());
                }
                if let Some(view) = &view {
                    if let Some(name) = distinguishing_properties(view) {
                        c.push(name);
                    }
                    c.push(variant_name_for(view));
                } else {
                    c.push("Value".into());
                }
                c.retain(|n| n != "Unknown");
                c.dedup();
                c
            })
            .collect();
        let mut chosen = vec![0usize; members.len()];
        loop {
            let names: Vec<&String> = candidates
                .iter()
                .zip(&chosen)
                .map(|(c, i)| &c[(*i).min(c.len() - 1)])
                .collect();
            let mut moved = false;
            for i in 0..members.len() {
                let clash = names
                    .iter()
                    .enumerate()
                    .any(|(j, n)| j != i && *n == names[i]);
                if clash && chosen[i] + 1 < candidates[i].len() {
                    chosen[i] += 1;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let wanted: Vec<&str> = candidates
            .iter()
            .zip(&chosen)
            .map(|(c, i)| c[(*i).min(c.len() - 1)].as_str())
            .collect();
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        assign_unique(&wanted, &mut ns, |name, _| name.to_string())
    }
}

/// A schema that is nothing but a `oneOf`/`anyOf` (its members can join the outer union).
pub(super) fn is_plain_union(view: &View) -> bool {
    Alternatives::of(view).is_some()
        && view.properties.map_or(true, |p| p.is_empty())
        && view.all_of.is_empty()
        && (view.typ.is_none() || view.typ == Some("object"))
        && view.enumeration.is_empty()
        && view.items.is_none()
        && view.additional.is_none()
}

fn same_schema(a: SchemaRef, b: SchemaRef) -> bool {
    match (a, b) {
        (SchemaRef::Ref(x), SchemaRef::Ref(y)) => x == y,
        (SchemaRef::Inline(x), SchemaRef::Inline(y)) => std::ptr::eq(x, y),
        _ => false,
    }
}

/// Component names without the words they all start with (`DnsRecordsARecord`,
/// `DnsRecordsCnameRecord` → `ARecord`, `CnameRecord`), when at least two are named.
fn strip_common_prefix(names: &[Option<String>]) -> Vec<Option<String>> {
    let words: Vec<Vec<&str>> = names.iter().flatten().map(|n| pascal_words(n)).collect();
    if words.len() < 2 {
        return names.to_vec();
    }
    let mut common = words[0].len();
    for w in &words[1..] {
        common = common.min(words[0].iter().zip(w).take_while(|(a, b)| a == b).count());
    }
    // Keep at least one word of every name.
    common = common.min(
        words
            .iter()
            .map(|w| w.len().saturating_sub(1))
            .min()
            .unwrap_or(0),
    );
    if common == 0 {
        return names.to_vec();
    }
    names
        .iter()
        .map(|n| {
            n.as_ref().map(|n| {
                let rest: String = pascal_words(n)[common..].concat();
                if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    rest
                } else {
                    n.clone()
                }
            })
        })
        .collect()
}

/// The words of a PascalCase name (`DnsRecordsARecord` → `Dns`, `Records`, `A`, `Record`).
fn pascal_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// A name from the properties an inline object member requires (`{required: [entry_id]}` →
/// `EntryId`), or declares when it requires none (at most three).
fn distinguishing_properties(view: &View) -> Option<String> {
    let props = view.properties.filter(|p| !p.is_empty())?;
    let mut names: Vec<&str> = if view.required.is_empty() {
        props.keys().map(String::as_str).collect()
    } else {
        view.required.iter().map(String::as_str).collect()
    };
    if names.len() > 3 {
        return None;
    }
    names.sort_unstable();
    Some(pascal(&names.join("_"), false))
}
