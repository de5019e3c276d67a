//! `allOf`: gathering the properties of an object and its members, and intersecting
//! the declarations of a property that several members declare (a value must
//! satisfy every member, so constraints tighten and `null` is allowed only when
//! every declaration allows it).

use super::super::view::{SchemaRef, Target, View};
use super::schema::is_null_only;
use super::union::is_plain_union;
use super::{Alternatives, Hint, Lowerer, ObjectParts, Prop};
use crate::error::pointer_token;
use crate::ir::*;

impl<'a> Lowerer<'a> {
    /// Gathers the properties of an object schema, merging `allOf` members (recursively)
    /// and collecting the `oneOf`/`anyOf` lists met on the way.
    pub(super) fn object_parts(&mut self, view: &View<'a>, pointer: &str) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        self.gather(view, pointer, &mut parts, 0);
        parts
    }

    fn gather(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        depth: usize,
    ) {
        self.gather_from(view, None, pointer, parts, depth)
    }

    /// [`Lowerer::gather`] of a schema that `origin` refers to.
    fn gather_from(
        &mut self,
        view: &View<'a>,
        origin: Option<SchemaRef<'a>>,
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
                let declared_at = format!("{pointer}/properties/{}", pointer_token(name));
                add_declaration(parts, name, prop.into(), declared_at);
            }
        }
        parts.required.extend(view.required.iter().cloned());
        if view.additional.is_some() {
            parts.additional = view.additional;
        }
        if let Some((mut alternatives, keyword)) = Alternatives::of(view) {
            if matches!(origin, Some(SchemaRef::Ref(_))) && is_plain_union(view) {
                alternatives.origin = origin;
            }
            parts
                .alternatives
                .push((alternatives, format!("{pointer}/{keyword}")));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            let r = SchemaRef::from(member);
            let member_pointer = self
                .resolver
                .declared_at(r, &format!("{pointer}/allOf/{i}"));
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
            if is_objectish(&member_view) {
                self.gather_from(&member_view, Some(r), &member_pointer, parts, depth + 1);
            } else if member_view.is_unconstrained() {
                // A description-only member.
            } else {
                parts.non_objects.push(r);
            }
        }
    }

    /// The shape of a property from all its declarations: one is lowered as is;
    /// several are intersected (objects merged into one struct, constraints tightened).
    pub(super) fn lower_prop(&mut self, prop: &Prop<'a>, hint: &Hint) -> Shape {
        let null_only = prop.decls.iter().any(|d| {
            self.resolver
                .deref(*d)
                .is_some_and(|s| is_null_only(&View::of(s)))
        });
        let owned = self.refined_decls(prop);
        let decls: Vec<(SchemaRef<'a>, &str)> =
            owned.iter().map(|(d, p)| (*d, p.as_str())).collect();
        let views: Vec<Option<View<'a>>> = decls
            .iter()
            .map(|(d, _)| self.resolver.deref(*d).map(View::of))
            .collect();
        let all_arrays = views.iter().all(|v| {
            v.as_ref()
                .is_some_and(|v| v.typ == Some("array") || (v.typ.is_none() && v.items.is_some()))
        });
        let shape = match decls.as_slice() {
            [] => return Shape::Null,
            [(only, at)] => {
                let decl_hint = Hint {
                    pointer: at.to_string(),
                    ..hint.clone()
                };
                self.lower(*only, &decl_hint)
            }
            _ if all_arrays => {
                // Arrays of both: items that satisfy both item schemas.
                let mut items = Prop {
                    decls: Vec::new(),
                    pointers: Vec::new(),
                    sources: Vec::new(),
                };
                let (mut min_items, mut max_items, mut unique_items) = (None, None, false);
                let mut nullable = true;
                for ((decl, pointer), view) in decls.iter().zip(views.iter().flatten()) {
                    let at = self.resolver.declared_at(*decl, pointer);
                    if let Some(item) = view.items {
                        let item_at = self
                            .resolver
                            .declared_at(item.into(), &format!("{at}/items"));
                        if !items.sources.contains(&item_at) {
                            items.sources.push(item_at.clone());
                        }
                        if !items.decls.iter().any(|d| same_ref(*d, item.into())) {
                            items.decls.push(item.into());
                            items.pointers.push(item_at);
                        }
                    }
                    min_items = max_opt(min_items, view.min_items.map(|n| n as u64));
                    max_items = min_opt(max_items, view.max_items.map(|n| n as u64));
                    unique_items |= view.unique_items;
                    nullable &= view.data.nullable;
                }
                let item_hint = Hint {
                    name: super::schema::singular_pascal(&hint.name),
                    pointer: items.pointer().to_string(),
                    ..hint.clone()
                };
                let item_shape = if items.decls.is_empty() {
                    Shape::Any
                } else {
                    self.lower_prop(&items, &item_hint)
                };
                let array = Shape::Array(Box::new(ArrayShape {
                    items: item_shape,
                    min_items,
                    max_items,
                    unique_items,
                }));
                if nullable {
                    Shape::Nullable(Box::new(array))
                } else {
                    array
                }
            }
            _ if decls.iter().any(|(d, _)| {
                self.resolver
                    .deref(*d)
                    .is_some_and(|s| is_objectish(&View::of(s)))
            }) =>
            {
                // Several object declarations: one struct with the properties of all.
                let mut parts = ObjectParts::default();
                for (decl, pointer) in &decls {
                    if let Some(schema) = self.resolver.deref(*decl) {
                        let at = self.resolver.declared_at(*decl, pointer);
                        self.gather_from(&View::of(schema), Some(*decl), &at, &mut parts, 1);
                    }
                }
                let data = self
                    .resolver
                    .deref(decls[0].0)
                    .map(|s| &s.schema_data)
                    .unwrap_or(&EMPTY_DATA);
                self.lower_parts(parts, data, hint, None, None)
            }
            _ => {
                let mut merged: Option<Shape> = None;
                for (decl, pointer) in &decls {
                    let next = self.lower(*decl, hint);
                    merged = Some(match merged {
                        None => next,
                        Some(previous) => match self.intersect(&previous, &next) {
                            Some(both) => both,
                            None => {
                                self.fallback(
                                    *pointer,
                                    "allOf members declare this property with different types; the later declaration wins",
                                );
                                next
                            }
                        },
                    });
                }
                merged.unwrap_or(Shape::Any)
            }
        };
        if null_only && !matches!(shape, Shape::Nullable(_) | Shape::Null | Shape::Any) {
            // Cloudflare's failure envelopes are `allOf` of the success envelope (`result: {...}`)
            // and the failure one (`result: null`): uninhabitable taken literally.
            self.fallback(
                prop.pointer(),
                "allOf members declare this property as a value and as only null; generated a nullable field",
            );
            return Shape::Nullable(Box::new(shape));
        }
        shape
    }

    /// The declarations of a property that say something: not only `null`, and not
    /// placeholders (`result: {}` or `{type: object}`) when another declaration refines them.
    pub(super) fn refined_decls(&self, prop: &Prop<'a>) -> Vec<(SchemaRef<'a>, String)> {
        let mut decls: Vec<(SchemaRef<'a>, String)> = prop
            .decls
            .iter()
            .zip(&prop.pointers)
            .filter(|(d, _)| {
                !self
                    .resolver
                    .deref(**d)
                    .is_some_and(|s| is_null_only(&View::of(s)))
            })
            .map(|(d, p)| (*d, p.clone()))
            .collect();
        if decls.len() > 1 {
            let refined: Vec<(SchemaRef<'a>, String)> = decls
                .iter()
                .filter(|(d, _)| !self.is_placeholder(*d))
                .cloned()
                .collect();
            if !refined.is_empty() {
                decls = refined;
            }
        }
        decls
    }

    /// A declaration that only says "some value" (or "some object") and that another
    /// declaration of the same property refines.
    fn is_placeholder(&self, decl: SchemaRef<'a>) -> bool {
        self.resolver.deref(decl).is_some_and(|s| {
            let v = View::of(s);
            let bare = |v: &View| {
                (v.typ.is_none() || v.typ == Some("object"))
                    && v.properties.map_or(true, |p| p.is_empty())
                    && v.additional.is_none()
                    && v.all_of.is_empty()
                    && v.enumeration.is_empty()
                    && v.items.is_none()
            };
            if !bare(&v) {
                return false;
            }
            // `anyOf: [{type: object}, {type: string}]`: a placeholder of a placeholder.
            v.one_of.iter().chain(v.any_of).all(|m| {
                self.resolver.deref(m.into()).is_some_and(|m| {
                    let m = View::of(m);
                    m.properties.map_or(true, |p| p.is_empty())
                        && m.all_of.is_empty()
                        && m.one_of.is_empty()
                        && m.any_of.is_empty()
                        && m.enumeration.is_empty()
                        && m.items.map_or(true, |items| {
                            self.resolver
                                .deref(items.into())
                                .is_some_and(|i| View::of(i).is_unconstrained())
                        })
                })
            })
        })
    }

    /// The intersection of two shapes of one value, or `None` when they conflict.
    fn intersect(&self, a: &Shape, b: &Shape) -> Option<Shape> {
        use Shape::*;
        Some(match (a, b) {
            (Any, x) | (x, Any) => x.clone(),
            (Nullable(x), Nullable(y)) => Nullable(Box::new(self.intersect(x, y)?)),
            (Nullable(x), y) | (y, Nullable(x)) => self.intersect(x, y)?,
            (String(x), String(y)) => String(x.intersect(y)),
            (Integer(x), Integer(y)) | (Integer(x), Number(y)) | (Number(x), Integer(y)) => {
                Integer(x.intersect(y))
            }
            (Number(x), Number(y)) => Number(x.intersect(y)),
            (Boolean, Boolean) => Boolean,
            (Null, Null) => Null,
            (Bytes, Bytes | String(_)) | (String(_), Bytes) => Bytes,
            (Named(x), Named(y)) if x == y => Named(*x),
            // An enum is the stricter of an enum and a string.
            (Named(x), String(_)) | (String(_), Named(x))
                if matches!(self.defs[x.0].kind, TypeKind::Enum(_)) =>
            {
                Named(*x)
            }
            (Array(x), Array(y)) => Array(Box::new(ArrayShape {
                items: self.intersect(&x.items, &y.items)?,
                min_items: max_opt(x.min_items, y.min_items),
                max_items: min_opt(x.max_items, y.max_items),
                unique_items: x.unique_items || y.unique_items,
            })),
            (Map(x), Map(y)) => Map(Box::new(self.intersect(x, y)?)),
            // `{type: object}` says less than any struct or union.
            (Map(v), Named(x)) | (Named(x), Map(v))
                if **v == Any
                    && matches!(
                        self.defs[x.0].kind,
                        TypeKind::Struct(_) | TypeKind::Union(_)
                    ) =>
            {
                Named(*x)
            }
            _ => return None,
        })
    }
}

/// Adds one declaration of a property (a `$ref` already declared is not repeated).
pub(super) fn add_declaration<'a>(
    parts: &mut ObjectParts<'a>,
    name: &str,
    decl: SchemaRef<'a>,
    pointer: String,
) {
    let prop = parts.props.entry(name.to_string()).or_insert_with(|| Prop {
        decls: Vec::new(),
        pointers: Vec::new(),
        sources: Vec::new(),
    });
    if !prop.sources.contains(&pointer) {
        prop.sources.push(pointer.clone());
    }
    if !prop.decls.iter().any(|d| same_ref(*d, decl)) {
        prop.decls.push(decl);
        prop.pointers.push(pointer);
    }
}

/// Whether a schema describes an object (properties, `allOf`, `type: object`, or alternatives
/// that `object_parts` gathers).
pub(super) fn is_objectish(view: &View) -> bool {
    view.properties.is_some_and(|p| !p.is_empty())
        || !view.all_of.is_empty()
        || view.typ == Some("object")
        || ((!view.one_of.is_empty() || !view.any_of.is_empty()) && view.typ.is_none())
}

fn same_ref(a: SchemaRef, b: SchemaRef) -> bool {
    match (a, b) {
        (SchemaRef::Ref(x), SchemaRef::Ref(y)) => x == y,
        (SchemaRef::Inline(x), SchemaRef::Inline(y)) => std::ptr::eq(x, y) || x == y,
        _ => false,
    }
}

fn max_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Schema data of nothing, for positions that have no schema of their own.
pub(super) static EMPTY_DATA: std::sync::LazyLock<openapiv3::SchemaData> =
    std::sync::LazyLock::new(openapiv3::SchemaData::default);

impl StringShape {
    /// Both sets of constraints at once.
    pub(super) fn intersect(&self, other: &StringShape) -> StringShape {
        let allowed = match (self.allowed.is_empty(), other.allowed.is_empty()) {
            (false, false) => {
                let both: Vec<String> = self
                    .allowed
                    .iter()
                    .filter(|v| other.allowed.contains(v))
                    .cloned()
                    .collect();
                if both.is_empty() {
                    other.allowed.clone()
                } else {
                    both
                }
            }
            (true, _) => other.allowed.clone(),
            (false, true) => self.allowed.clone(),
        };
        StringShape {
            format: self.format.clone().or_else(|| other.format.clone()),
            max_length: min_opt(self.max_length, other.max_length),
            min_length: max_opt(self.min_length, other.min_length),
            pattern: self.pattern.clone().or_else(|| other.pattern.clone()),
            allowed,
            alternatives: if self.alternatives.is_empty() {
                other.alternatives.clone()
            } else {
                self.alternatives.clone()
            },
        }
    }
}

impl NumberShape {
    /// Both sets of constraints at once.
    pub(super) fn intersect(&self, other: &NumberShape) -> NumberShape {
        let (minimum, exclusive_minimum) = match (self.minimum, other.minimum) {
            (Some(a), Some(b)) if b > a => (Some(b), other.exclusive_minimum),
            (Some(a), Some(b)) if a == b => {
                (Some(a), self.exclusive_minimum || other.exclusive_minimum)
            }
            (Some(a), _) => (Some(a), self.exclusive_minimum),
            (None, b) => (b, other.exclusive_minimum),
        };
        let (maximum, exclusive_maximum) = match (self.maximum, other.maximum) {
            (Some(a), Some(b)) if b < a => (Some(b), other.exclusive_maximum),
            (Some(a), Some(b)) if a == b => {
                (Some(a), self.exclusive_maximum || other.exclusive_maximum)
            }
            (Some(a), _) => (Some(a), self.exclusive_maximum),
            (None, b) => (b, other.exclusive_maximum),
        };
        let allowed = match (self.allowed.is_empty(), other.allowed.is_empty()) {
            (false, false) => self
                .allowed
                .iter()
                .copied()
                .filter(|v| other.allowed.contains(v))
                .collect(),
            (true, _) => other.allowed.clone(),
            (false, true) => self.allowed.clone(),
        };
        NumberShape {
            // The narrower integer width wins (`int32` within `int64`).
            format: match (self.format.as_deref(), other.format.as_deref()) {
                (Some("int64"), Some("int32")) => other.format.clone(),
                (a, b) => a.or(b).map(str::to_string),
            },
            minimum,
            maximum,
            exclusive_minimum,
            exclusive_maximum,
            multiple_of: self.multiple_of.or(other.multiple_of),
            allowed,
            alternatives: if self.alternatives.is_empty() {
                other.alternatives.clone()
            } else {
                self.alternatives.clone()
            },
        }
    }
}
