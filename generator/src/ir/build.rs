//! Lowering: `openapiv3::OpenAPI` → [`Api`].
//!
//! Order matters for determinism: paths, methods, properties and components are
//! always visited sorted, so reordering object keys in the spec changes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{AdditionalProperties, OpenAPI, Parameter, ReferenceOr, Schema, StatusCode};
use serde_json::Value;

use super::names::{
    assign_unique, escape_module_ident, escape_value_ident, pascal, singular, snake, Namespace,
    RustIdent, RESERVED_TYPE_NAMES,
};
use super::schema::{component_pointer, Resolver, SchemaRef, Target, View};
use super::*;
use crate::error::pointer_token;

/// Options that shape the IR but are not in the spec.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Prefix of the environment variables the client reads (`CLOUDFLARE`).
    pub env_prefix: String,
}

/// Builds the IR of a parsed spec. Never fails: what cannot be modelled is
/// generated in a fallback form and listed in [`Api::report`].
pub fn build(spec: &OpenAPI, options: &BuildOptions) -> Api {
    let mut lowerer = Lowerer::new(spec);
    let security_schemes = lowerer.security_schemes(&options.env_prefix);
    let seeds = lowerer.collect_operations();
    let (resources, named) = lowerer.plan_resources(seeds);
    let operations: Vec<Operation> = named
        .into_iter()
        .map(|(seed, resource, method_name)| {
            lowerer.operation(seed, resource, method_name, &resources)
        })
        .collect();
    lowerer.finish(spec, security_schemes, operations, resources)
}

/// Where a type created while lowering a schema goes, and what it is called.
#[derive(Clone)]
struct Hint {
    module: Module,
    name: String,
    pointer: String,
}

impl Hint {
    fn child(&self, suffix: &str, pointer_suffix: &str) -> Hint {
        Hint {
            module: self.module.clone(),
            name: format!("{}{}", self.name, pascal(suffix, false)),
            pointer: format!("{}/{}", self.pointer, pointer_suffix),
        }
    }
}

/// A property gathered from an object or an `allOf`.
#[derive(Clone)]
struct Prop<'a> {
    schema: SchemaRef<'a>,
    /// An `allOf` member declared this property as only `null`.
    force_nullable: bool,
    /// Where the (winning) declaration is, for the report.
    pointer: String,
}

/// The properties of an object schema, `allOf` members merged.
#[derive(Default)]
struct ObjectParts<'a> {
    props: BTreeMap<String, Prop<'a>>,
    required: BTreeSet<String>,
    additional: Option<&'a AdditionalProperties>,
    /// Members that are not objects (e.g. a `$ref` to a string), in order.
    non_objects: Vec<SchemaRef<'a>>,
}

/// One operation before names are assigned.
struct OpSeed<'a> {
    pointer: String,
    path: String,
    http_method: &'static str,
    op: &'a openapiv3::Operation,
    path_item_params: &'a [ReferenceOr<Parameter>],
    group: Vec<String>,
    wanted_method: String,
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    resolver: Resolver<'a>,
    defs: Vec<TypeDef>,
    /// Component name → its type id (placeholder until lowered).
    component_ids: HashMap<&'a str, TypeId>,
    /// How a reference to each lowered component is typed (`Named`, possibly
    /// `Nullable`, or the inline shape of a primitive/array component).
    component_shapes: HashMap<&'a str, Shape>,
    /// Components being lowered right now or already lowered to a named type.
    started: BTreeSet<&'a str>,
    namespaces: BTreeMap<Module, Namespace>,
    /// Inline types already emitted, by module and structure, so identical inline
    /// schemas (common: an enum repeated in every operation of a resource) share one type.
    interned: HashMap<(Module, String), TypeId>,
    report: Vec<Fallback>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operation_of<'a>(
    item: &'a openapiv3::PathItem,
    method: &str,
) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

fn first_line(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn is_null_only(view: &View) -> bool {
    !view.enumeration.is_empty() && view.enumeration.iter().all(Value::is_null)
        || view.typ == Some("null")
}

fn is_json_media(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m.ends_with("/json") || m == "*/*"
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        let mut lowerer = Lowerer {
            spec,
            resolver: Resolver::new(spec),
            defs: Vec::new(),
            component_ids: HashMap::new(),
            component_shapes: HashMap::new(),
            started: BTreeSet::new(),
            namespaces: BTreeMap::new(),
            interned: HashMap::new(),
            report: Vec::new(),
        };
        lowerer.preassign_component_names();
        lowerer
    }

    fn fallback(&mut self, pointer: impl Into<String>, reason: impl Into<String>) {
        self.report.push(Fallback {
            pointer: pointer.into(),
            reason: reason.into(),
        });
    }

    fn namespace(&mut self, module: &Module) -> &mut Namespace {
        self.namespaces
            .entry(module.clone())
            .or_insert_with(|| Namespace::with_reserved(RESERVED_TYPE_NAMES))
    }

    /// Every component schema gets its Rust name up front, in sorted order, so a
    /// type's name never depends on which operations happen to reach it.
    fn preassign_component_names(&mut self) {
        let Some(components) = self.spec.components.as_ref() else {
            return;
        };
        let mut names: Vec<&'a str> = components.schemas.keys().map(String::as_str).collect();
        names.sort_unstable();
        for name in names {
            let rust = self.namespace(&Module::Types).claim(&pascal(name, false));
            let id = TypeId(self.defs.len());
            self.defs.push(TypeDef {
                name: rust,
                module: Module::Types,
                pointer: component_pointer(name),
                docs: None,
                kind: TypeKind::Alias(Shape::Any),
                used_by: Vec::new(),
            });
            self.component_ids.insert(name, id);
        }
    }

    fn new_type(&mut self, hint: &Hint) -> TypeId {
        let name = self.namespace(&hint.module).claim(&hint.name);
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            module: hint.module.clone(),
            pointer: hint.pointer.clone(),
            docs: None,
            kind: TypeKind::Alias(Shape::Any),
            used_by: Vec::new(),
        });
        id
    }

    /// Finishes an inline type: if an identical one exists in the same module, use
    /// that instead (the new definition stays unused and is never emitted).
    /// Inline schemas cannot reference themselves (only components can), so a
    /// freshly built inline type is never part of a cycle and is safe to merge.
    fn intern(&mut self, id: TypeId, slot: Option<TypeId>) -> Shape {
        if slot.is_some() {
            return Shape::Named(id);
        }
        let def = &self.defs[id.0];
        let key = serde_json::to_string(&(&def.kind, &def.docs)).expect("IR types serialize");
        match self.interned.entry((def.module.clone(), key)) {
            std::collections::hash_map::Entry::Occupied(e) => Shape::Named(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(id);
                Shape::Named(id)
            }
        }
    }

    // ----- schemas -------------------------------------------------------------------------

    /// Lowers a schema position. Components become `Named` (objects, enums, unions) or
    /// are inlined (primitives, arrays), so constraints of a `$ref`'d string travel along.
    fn lower(&mut self, schema: SchemaRef<'a>, hint: &Hint) -> Shape {
        match schema {
            SchemaRef::Inline(s) => self.lower_inline(s, hint, None),
            SchemaRef::Ref(r) => self.lower_ref(r, &hint.pointer),
        }
    }

    fn lower_ref(&mut self, reference: &'a str, pointer: &str) -> Shape {
        let (name, schema) = match self.resolver.schema(reference) {
            Target::Found(name, schema) => (name, schema),
            Target::Missing(reason) => {
                self.fallback(pointer, format!("{reason}; generated serde_json::Value"));
                return Shape::Any;
            }
        };
        self.lower_component(name, schema)
    }

    fn lower_component(&mut self, name: &'a str, schema: &'a Schema) -> Shape {
        if let Some(shape) = self.component_shapes.get(name) {
            return shape.clone();
        }
        let id = self.component_ids[name];
        if !self.started.insert(name) {
            // Recursion: the component is being lowered further up the stack.
            return Shape::Named(id);
        }
        let hint = Hint {
            module: Module::Types,
            name: self.defs[id.0].name.clone(),
            pointer: component_pointer(name),
        };
        let shape = self.lower_inline(schema, &hint, Some(id));
        let def = &mut self.defs[id.0];
        def.docs = first_line(&schema.schema_data.description)
            .or_else(|| first_line(&schema.schema_data.title))
            .or_else(|| Some(format!("The `{name}` schema.")));
        let named = match &shape {
            Shape::Named(got) => *got == id,
            Shape::Nullable(inner) => **inner == Shape::Named(id),
            _ => false,
        };
        if !named {
            // Inlined (a primitive, array, map...). References made while lowering it
            // point at this alias; an alias cannot refer to itself, so such a
            // recursive non-object schema degrades to a JSON value inside.
            let mut refs = Vec::new();
            shape_refs(&shape, false, &mut refs);
            if refs.contains(&id) {
                def.kind = TypeKind::Alias(Shape::Any);
                let pointer = def.pointer.clone();
                self.fallback(pointer, "recursive schema that is not an object; its recursion is typed serde_json::Value");
            } else {
                def.kind = TypeKind::Alias(shape.clone());
            }
        }
        self.component_shapes.insert(name, shape.clone());
        shape
    }

    fn lower_inline(&mut self, schema: &'a Schema, hint: &Hint, slot: Option<TypeId>) -> Shape {
        let view = View::of(schema);
        let shape = self.lower_view(&view, hint, slot);
        if view.data.nullable && !matches!(shape, Shape::Nullable(_) | Shape::Null | Shape::Any) {
            Shape::Nullable(Box::new(shape))
        } else {
            shape
        }
    }

    fn lower_view(&mut self, view: &View<'a>, hint: &Hint, slot: Option<TypeId>) -> Shape {
        if is_null_only(view) {
            return Shape::Null;
        }
        if view.has_not {
            self.fallback(
                &hint.pointer,
                "`not` is not supported; generated serde_json::Value",
            );
            return Shape::Any;
        }
        if !view.all_of.is_empty() {
            return self.lower_all_of(view, hint, slot);
        }
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !alternatives.is_empty() {
            let constraint_only = alternatives.iter().all(|a| match SchemaRef::from(a) {
                SchemaRef::Inline(s) => {
                    let v = View::of(s);
                    v.typ.is_none()
                        && v.properties.map_or(true, |p| p.is_empty())
                        && v.one_of.is_empty()
                        && v.any_of.is_empty()
                        && v.all_of.is_empty()
                        && v.enumeration.is_empty()
                        && v.items.is_none()
                }
                SchemaRef::Ref(_) => false,
            });
            let has_own_props = view.properties.is_some_and(|p| !p.is_empty());
            if !(constraint_only || has_own_props) {
                return self.lower_union(view, alternatives, hint, slot);
            }
        }
        match view.typ {
            Some("object") | None if view.properties.is_some_and(|p| !p.is_empty()) => {
                let parts = self.object_parts(view, &hint.pointer);
                self.make_struct(parts, hint, slot, view.data)
            }
            Some("object") => self.lower_map(view, hint),
            None if view.additional.is_some() => self.lower_map(view, hint),
            Some("array") => self.lower_array(view, hint),
            Some("string") => self.lower_string(view, hint, slot),
            Some("integer") => Shape::Integer(self.number_shape(view)),
            Some("number") => Shape::Number(self.number_shape(view)),
            Some("boolean") => Shape::Boolean,
            None if view.enumeration.iter().any(Value::is_string) => {
                self.lower_string(view, hint, slot)
            }
            None if view.items.is_some() => self.lower_array(view, hint),
            None => Shape::Any,
            Some(other) => {
                self.fallback(
                    &hint.pointer,
                    format!("unknown type {other:?}; generated serde_json::Value"),
                );
                Shape::Any
            }
        }
    }

    fn number_shape(&mut self, view: &View) -> NumberShape {
        NumberShape {
            format: view.format.clone(),
            minimum: view.minimum,
            maximum: view.maximum,
            exclusive_minimum: view.exclusive_minimum,
            exclusive_maximum: view.exclusive_maximum,
            multiple_of: view.multiple_of,
            allowed: view.enumeration.iter().filter_map(Value::as_f64).collect(),
        }
    }

    fn lower_map(&mut self, view: &View<'a>, hint: &Hint) -> Shape {
        let values = match view.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let s: &'a ReferenceOr<Schema> = s;
                self.lower(s.into(), &hint.child("Value", "additionalProperties"))
            }
            _ => Shape::Any,
        };
        Shape::Map(Box::new(values))
    }

    fn lower_array(&mut self, view: &View<'a>, hint: &Hint) -> Shape {
        let item_hint = Hint {
            module: hint.module.clone(),
            name: singular_pascal(&hint.name),
            pointer: format!("{}/items", hint.pointer),
        };
        let items = match view.items {
            Some(items) => self.lower(items.into(), &item_hint),
            None => Shape::Any,
        };
        Shape::Array(Box::new(ArrayShape {
            items,
            min_items: view.min_items.map(|n| n as u64),
            max_items: view.max_items.map(|n| n as u64),
            unique_items: view.unique_items,
        }))
    }

    fn lower_string(&mut self, view: &View<'a>, hint: &Hint, slot: Option<TypeId>) -> Shape {
        if view.format.as_deref() == Some("binary") {
            return Shape::Bytes;
        }
        let mut values: Vec<String> = Vec::new();
        let mut odd = false;
        for v in &view.enumeration {
            match v {
                Value::String(s) => {
                    if !values.contains(s) {
                        values.push(s.clone());
                    }
                }
                Value::Null => {}
                _ => odd = true,
            }
        }
        let string = StringShape {
            format: view.format.clone(),
            max_length: view.max_length.map(|n| n as u64),
            min_length: view.min_length.map(|n| n as u64),
            pattern: view.pattern.map(str::to_string),
            allowed: Vec::new(),
        };
        if odd {
            self.fallback(
                &hint.pointer,
                "enum of a string schema has non-string values; generated String",
            );
            return Shape::String(string);
        }
        if values.is_empty() {
            return Shape::String(string);
        }
        let id = slot.unwrap_or_else(|| self.new_type(hint));
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        let idents = assign_unique(
            &values.iter().map(String::as_str).collect::<Vec<_>>(),
            &mut ns,
            pascal,
        );
        let variants = values
            .into_iter()
            .zip(idents)
            .map(|(value, ident)| EnumVariant { value, ident })
            .collect();
        let def = &mut self.defs[id.0];
        def.kind = TypeKind::Enum(StringEnum { variants });
        if def.docs.is_none() {
            def.docs = first_line(&view.data.description);
        }
        self.intern(id, slot)
    }

    fn lower_union(
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
            let wanted_name = match member {
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
                .map(|(_, member)| self.discriminator_tags(d, *member))
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
    fn discriminator_tags(
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

    fn lower_all_of(&mut self, view: &View<'a>, hint: &Hint, slot: Option<TypeId>) -> Shape {
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
        self.make_struct(parts, hint, slot, view.data)
    }

    /// Gathers properties of an object schema, merging `allOf` members (recursively).
    fn object_parts(&mut self, view: &View<'a>, pointer: &str) -> ObjectParts<'a> {
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

    fn merge_prop(&mut self, parts: &mut ObjectParts<'a>, name: &str, incoming: Prop<'a>) {
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

    fn make_struct(
        &mut self,
        parts: ObjectParts<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
        data: &'a openapiv3::SchemaData,
    ) -> Shape {
        let id = slot.unwrap_or_else(|| self.new_type(hint));
        // Mark as a struct before lowering fields, so recursion sees a named type.
        self.defs[id.0].kind = TypeKind::Struct(Struct {
            fields: Vec::new(),
            additional: None,
            is_params: false,
        });
        let hint = Hint {
            name: self.defs[id.0].name.clone(),
            ..hint.clone()
        };
        let fields = self.fields_of(&parts, &hint, Location::Body, &mut Namespace::default());
        let additional = match parts.additional {
            // Declared explicitly: keep the extra properties instead of dropping them.
            Some(AdditionalProperties::Any(true)) => Some(Shape::Any),
            Some(AdditionalProperties::Schema(s)) => {
                let s: &'a ReferenceOr<Schema> = s;
                Some(self.lower(s.into(), &hint.child("Value", "additionalProperties")))
            }
            _ => None,
        };
        let def = &mut self.defs[id.0];
        def.kind = TypeKind::Struct(Struct {
            fields,
            additional,
            is_params: false,
        });
        if def.docs.is_none() {
            def.docs = first_line(&data.description).or_else(|| first_line(&data.title));
        }
        self.intern(id, slot)
    }

    fn fields_of(
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
                pointer: prop.pointer.clone(),
                ..hint.child(name, "")
            };
            let mut shape = self.lower(prop.schema, &field_hint);
            if prop.force_nullable && !matches!(shape, Shape::Nullable(_) | Shape::Any) {
                shape = Shape::Nullable(Box::new(shape));
            }
            let data = self.resolver.deref(prop.schema).map(|s| &s.schema_data);
            let own_description = match prop.schema {
                SchemaRef::Inline(s) => first_line(&s.schema_data.description),
                SchemaRef::Ref(_) => None,
            };
            fields.push(Field {
                name: name.clone(),
                ident: escape_value_ident(ident),
                shape,
                required: parts.required.contains(name),
                location,
                boxed: false,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                docs: own_description.or_else(|| data.and_then(|d| first_line(&d.description))),
                example: data.and_then(|d| d.example.as_ref()).map(|e| e.to_string()),
            });
        }
        fields
    }

    // ----- security ------------------------------------------------------------------------

    fn security_schemes(&mut self, env_prefix: &str) -> Vec<SecurityScheme> {
        let Some(components) = self.spec.components.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut names: Vec<&String> = components.security_schemes.keys().collect();
        names.sort();
        let mut setters = Namespace::with_reserved(&[
            "build",
            "new",
            "credential",
            "from_env",
            "base_url",
            "timeout",
            "connect_timeout",
            "max_retries",
            "retry_delays",
            "default_header",
            "validation",
            "http_client",
        ]);
        for name in names {
            let pointer = format!("#/components/securitySchemes/{}", pointer_token(name));
            let scheme = match &components.security_schemes[name] {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.fallback(
                        pointer,
                        "referenced security scheme is not supported; ignored",
                    );
                    continue;
                }
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, description, extensions) = match scheme {
                S::HTTP {
                    scheme,
                    description,
                    extensions,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (AuthKind::Bearer, description, extensions),
                    "basic" => (AuthKind::Basic, description, extensions),
                    other => {
                        self.fallback(
                            pointer,
                            format!("http scheme {other:?} is not supported; ignored"),
                        );
                        continue;
                    }
                },
                S::APIKey {
                    location,
                    name: key,
                    description,
                    extensions,
                } => {
                    let kind = match location {
                        APIKeyLocation::Header => AuthKind::Header(key.clone()),
                        APIKeyLocation::Query => AuthKind::Query(key.clone()),
                        APIKeyLocation::Cookie => AuthKind::Cookie(key.clone()),
                    };
                    (kind, description, extensions)
                }
                S::OAuth2 {
                    description,
                    extensions,
                    ..
                }
                | S::OpenIDConnect {
                    description,
                    extensions,
                    ..
                } => {
                    // The token obtained by the flow is sent as a bearer token.
                    (AuthKind::Bearer, description, extensions)
                }
            };
            let env_var = extensions
                .get("x-apigen-env")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!("{env_prefix}_{}", snake(name, false).to_ascii_uppercase())
                });
            out.push(SecurityScheme {
                name: name.clone(),
                setter: escape_value_ident(setters.claim(&snake(name, false))),
                kind,
                env_var,
                description: first_line(description),
            });
        }
        out
    }

    // ----- operations ----------------------------------------------------------------------

    fn collect_operations(&mut self) -> Vec<OpSeed<'a>> {
        let spec = self.spec;
        let mut paths: Vec<(&'a String, &'a ReferenceOr<openapiv3::PathItem>)> =
            spec.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut seeds = Vec::new();
        for (path, item) in paths {
            let item_pointer = format!("#/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.fallback(item_pointer, format!("path item $ref {reference:?} is not supported; its operations are missing"));
                    continue;
                }
            };
            for method in METHODS {
                let Some(op) = operation_of(item, method) else {
                    continue;
                };
                let (group, wanted_method) = sdk_name(op, path, method);
                seeds.push(OpSeed {
                    pointer: format!("{item_pointer}/{method}"),
                    path: path.clone(),
                    http_method: method,
                    op,
                    path_item_params: &item.parameters,
                    group,
                    wanted_method,
                });
            }
        }
        seeds
    }

    /// Builds the resource tree and gives every operation a unique method name.
    fn plan_resources(
        &mut self,
        mut seeds: Vec<OpSeed<'a>>,
    ) -> (Vec<Resource>, Vec<(OpSeed<'a>, usize, RustIdent)>) {
        seeds.sort_by(|a, b| {
            (&a.group, &a.wanted_method, &a.path, a.http_method).cmp(&(
                &b.group,
                &b.wanted_method,
                &b.path,
                b.http_method,
            ))
        });
        // Module path (as spec words) → resource index. The root is index 0.
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let mut resources = vec![Resource {
            path: Vec::new(),
            handle: "Client".into(),
            operations: Vec::new(),
            children: Vec::new(),
            types: Vec::new(),
        }];
        index.insert(Vec::new(), 0);
        let mut groups: BTreeSet<Vec<String>> = seeds.iter().map(|s| s.group.clone()).collect();
        // Every prefix of a group is a resource too.
        for g in groups.clone() {
            for n in 1..g.len() {
                groups.insert(g[..n].to_vec());
            }
        }
        // BTreeSet order puts parents before children.
        let mut child_names: BTreeMap<usize, Namespace> = BTreeMap::new();
        for g in &groups {
            let parent = index[&g[..g.len() - 1]];
            let ns = child_names.entry(parent).or_insert_with(|| {
                if parent == 0 {
                    Namespace::with_reserved(&[
                        "runtime",
                        "types",
                        "builder",
                        "from_env",
                        "with_options",
                        "clone",
                        "new",
                        "spec",
                        "base_url",
                        "has_credential",
                        "http_client",
                    ])
                } else {
                    Namespace::with_reserved(&["new"])
                }
            });
            let word = snake(g.last().map(String::as_str).unwrap_or("root"), false);
            let wanted = escape_module_ident(word).0;
            let ident = if ns.contains(&wanted) {
                ns.claim(&format!("{wanted}_api"))
            } else {
                ns.claim(&wanted)
            };
            let ident = RustIdent(ident);
            let mut path = resources[parent].path.clone();
            path.push(ident.clone());
            let id = resources.len();
            resources.push(Resource {
                path,
                handle: format!("{}Resource", pascal(ident.bare(), false)),
                operations: Vec::new(),
                children: Vec::new(),
                types: Vec::new(),
            });
            resources[parent].children.push((ident, id));
            index.insert(g.clone(), id);
        }
        // Method names: children accessors come first, then operations in sorted order.
        let mut method_ns: BTreeMap<usize, Namespace> = BTreeMap::new();
        for (id, r) in resources.iter().enumerate() {
            let mut ns = child_names
                .remove(&id)
                .unwrap_or_else(|| Namespace::with_reserved(&["new"]));
            for (c, _) in &r.children {
                ns.claim(c.as_str());
            }
            method_ns.insert(id, ns);
        }
        let mut named = Vec::with_capacity(seeds.len());
        for seed in seeds {
            let resource = index[&seed.group];
            let ns = method_ns
                .get_mut(&resource)
                .expect("every resource has a namespace");
            let wanted = snake(&seed.wanted_method, false);
            let name = if !ns.contains(&wanted) && !super::names::is_rust_keyword(&wanted) {
                ns.claim(&wanted)
            } else {
                let from_id = seed
                    .op
                    .operation_id
                    .as_deref()
                    .map(|id| snake(id, false))
                    .unwrap_or_else(|| format!("{wanted}_{}", seed.http_method));
                ns.claim(&from_id)
            };
            let ident = escape_value_ident(name);
            resources[resource].operations.push(named.len());
            named.push((seed, resource, ident));
        }
        (resources, named)
    }

    fn operation(
        &mut self,
        seed: OpSeed<'a>,
        resource: usize,
        method_name: RustIdent,
        resources: &[Resource],
    ) -> Operation {
        let op = seed.op;
        let module = Module::Resource(resource);
        let noun = resources[resource]
            .path
            .last()
            .map(|i| pascal(&singular(i.bare()), false))
            .unwrap_or_default();
        let base = format!("{noun}{}", pascal(method_name.bare(), false));
        let pointer = seed.pointer.clone();

        // Parameters: path item's, overridden by the operation's (same name and location).
        let mut params: BTreeMap<(Location, String), Param> = BTreeMap::new();
        let sources = seed
            .path_item_params
            .iter()
            .map(|p| (p, "parameters".to_string(), true))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("parameters/{i}"), false)),
            );
        for (p, rel, from_item) in sources {
            let p_pointer = if from_item {
                format!("#/paths/{}/parameters", pointer_token(&seed.path))
            } else {
                format!("{pointer}/{rel}")
            };
            let param = match self.resolver.parameter(p) {
                Target::Found(_, param) => param,
                Target::Missing(reason) => {
                    self.fallback(p_pointer, format!("{reason}; parameter omitted"));
                    continue;
                }
            };
            let (location, data) = match param {
                Parameter::Path { parameter_data, .. } => (Location::Path, parameter_data),
                Parameter::Query { parameter_data, .. } => (Location::Query, parameter_data),
                Parameter::Header { parameter_data, .. } => (Location::Header, parameter_data),
                Parameter::Cookie { parameter_data, .. } => (Location::Cookie, parameter_data),
            };
            let hint = Hint {
                module: module.clone(),
                name: format!("{base}{}", pascal(&data.name, false)),
                pointer: format!("{p_pointer}/schema"),
            };
            let shape = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.lower(s.into(), &hint),
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.fallback(
                        &p_pointer,
                        "parameter with `content` is sent as a JSON string",
                    );
                    Shape::String(StringShape::default())
                }
            };
            let docs = first_line(&data.description).or_else(|| match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self
                    .resolver
                    .deref(s.into())
                    .and_then(|s| first_line(&s.schema_data.description)),
                _ => None,
            });
            // `null` means nothing in a path, query or header: only "absent" or a value.
            let shape = match shape {
                Shape::Nullable(inner) => *inner,
                other => other,
            };
            params.insert(
                (location, data.name.clone()),
                Param {
                    name: data.name.clone(),
                    ident: RustIdent(String::new()),
                    location,
                    shape,
                    required: data.required || location == Location::Path,
                    docs,
                },
            );
        }
        // Path parameters in template order, then the rest sorted by location and name.
        let template_names = path_template_names(&seed.path);
        let mut path_params: Vec<Param> = Vec::new();
        for name in &template_names {
            match params.remove(&(Location::Path, name.clone())) {
                Some(p) => path_params.push(p),
                None => {
                    self.fallback(
                        &pointer,
                        format!(
                            "path parameter {name:?} is not declared; generated a string parameter"
                        ),
                    );
                    path_params.push(Param {
                        name: name.clone(),
                        ident: RustIdent(String::new()),
                        location: Location::Path,
                        shape: Shape::String(StringShape::default()),
                        required: true,
                        docs: None,
                    });
                }
            }
        }
        for ((location, name), _) in params.iter().filter(|((l, _), _)| *l == Location::Path) {
            self.fallback(
                &pointer,
                format!("{location:?} parameter {name:?} is not in the path template; ignored"),
            );
        }
        params.retain(|(l, _), _| *l != Location::Path);
        let positional = if path_params.len() >= 2 {
            path_params.pop()
        } else {
            None
        };

        // Body.
        let mut body = None;
        let mut body_parts: Option<ObjectParts<'a>> = None;
        let mut whole_body: Option<Shape> = None;
        if let Some(rb) = &op.request_body {
            let rb_pointer = format!("{pointer}/requestBody");
            match self.resolver.request_body(rb) {
                Target::Missing(reason) => {
                    self.fallback(&rb_pointer, format!("{reason}; body omitted"))
                }
                Target::Found(_, rb) => {
                    let mut media: Vec<(&String, &openapiv3::MediaType)> =
                        rb.content.iter().collect();
                    media.sort_by_key(|(m, _)| (media_rank(m), (*m).clone()));
                    if let Some((content_type, media_type)) = media.first() {
                        let encoding = body_encoding(content_type);
                        let mt_pointer = format!(
                            "{rb_pointer}/content/{}/schema",
                            pointer_token(content_type)
                        );
                        match (&media_type.schema, encoding) {
                            (
                                Some(schema),
                                BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart,
                            ) => {
                                let r: SchemaRef<'a> = schema.into();
                                let flat = self.resolver.deref(r).map(View::of).filter(|v| {
                                    (v.properties.is_some_and(|p| !p.is_empty())
                                        || !v.all_of.is_empty())
                                        && v.one_of.is_empty()
                                        && v.any_of.is_empty()
                                        && !v.data.nullable
                                });
                                let parts = flat
                                    .map(|v| self.object_parts(&v, &schema_pointer(r, &mt_pointer)))
                                    .filter(|p| p.non_objects.is_empty() && !p.props.is_empty());
                                match parts {
                                    Some(parts) => body_parts = Some(parts),
                                    None => {
                                        let hint = Hint {
                                            module: module.clone(),
                                            name: format!("{base}Body"),
                                            pointer: mt_pointer.clone(),
                                        };
                                        whole_body = Some(self.lower(r, &hint));
                                    }
                                }
                            }
                            (_, BodyEncoding::Text) => {
                                whole_body = Some(Shape::String(StringShape::default()))
                            }
                            (_, _) => whole_body = Some(Shape::Bytes),
                        }
                        if media.len() > 1 {
                            self.fallback(
                                &rb_pointer,
                                format!(
                                    "several request media types; generated {content_type} only"
                                ),
                            );
                        }
                        body = Some(RequestBody {
                            content_type: (*content_type).clone(),
                            encoding,
                            required: rb.required,
                        });
                    }
                }
            }
        }

        // The parameters struct.
        let mut fields: Vec<Field> = Vec::new();
        let mut ns = Namespace::with_reserved(&["new"]);
        let positional = positional.map(|mut p| {
            p.ident = escape_value_ident(ns.claim(&snake(&p.name, false)));
            p
        });
        let flat_params: Vec<Param> = path_params
            .into_iter()
            .chain(params.into_values())
            .collect();
        let param_names: Vec<&str> = flat_params.iter().map(|p| p.name.as_str()).collect();
        let idents = assign_unique(&param_names, &mut ns, snake);
        for (p, ident) in flat_params.into_iter().zip(idents) {
            fields.push(Field {
                name: p.name,
                ident: escape_value_ident(ident),
                shape: p.shape,
                required: p.required,
                location: p.location,
                boxed: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                docs: p.docs,
                example: None,
            });
        }
        let params_name = format!("{base}Params");
        if let Some(parts) = &body_parts {
            let hint = Hint {
                module: module.clone(),
                name: params_name.clone(),
                pointer: format!("{pointer}/requestBody"),
            };
            fields.extend(self.fields_of(parts, &hint, Location::Body, &mut ns));
        }
        if let Some(shape) = whole_body {
            // A `null` body is not a thing a client sends: absent or a value.
            let shape = match shape {
                Shape::Nullable(inner) => *inner,
                other => other,
            };
            let ident = escape_value_ident(ns.claim("body"));
            let required = body.as_ref().is_some_and(|b| b.required);
            fields.push(Field {
                name: "body".into(),
                ident,
                shape,
                required,
                location: Location::WholeBody,
                boxed: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                docs: Some("The request body.".into()),
                example: None,
            });
        }
        let params_type = if fields.is_empty() {
            None
        } else {
            let hint = Hint {
                module: module.clone(),
                name: params_name,
                pointer: pointer.clone(),
            };
            let id = self.new_type(&hint);
            let def = &mut self.defs[id.0];
            def.docs = Some(format!(
                "Parameters of [`{}::{}`].",
                resources[resource].handle,
                method_name.bare()
            ));
            def.kind = TypeKind::Struct(Struct {
                fields,
                additional: None,
                is_params: true,
            });
            Some(id)
        };

        let response = self.success_response(op, &pointer, &module, &base);
        let errors = self.error_responses(op);
        let security = op
            .security
            .as_ref()
            .or(self.spec.security.as_ref())
            .map(|reqs| {
                reqs.iter()
                    .map(|r| {
                        let mut names: Vec<String> = r.keys().cloned().collect();
                        names.sort();
                        names
                    })
                    .collect()
            })
            .unwrap_or_default();
        let permissions = match op.extensions.get("x-api-token-group") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{}-{}", seed.http_method, seed.path));
        Operation {
            id,
            pointer,
            resource,
            method_name,
            http_method: seed.http_method.to_ascii_uppercase(),
            path: seed.path,
            positional,
            params_type,
            body,
            response,
            errors,
            security,
            docs: OperationDocs {
                summary: first_line(&op.summary),
                description: first_line(&op.description),
                permissions,
                deprecated: op.deprecated,
            },
        }
    }

    fn success_response(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        module: &Module,
        base: &str,
    ) -> Response {
        let mut candidates: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((c.to_string(), r)),
                StatusCode::Range(2) => Some(("2XX".to_string(), r)),
                _ => None,
            })
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let chosen = candidates.into_iter().next().or_else(|| {
            op.responses
                .default
                .as_ref()
                .map(|r| ("default".to_string(), r))
        });
        let empty = |status: String, description: Option<String>| Response {
            status,
            content_type: None,
            decode: Decode::Empty,
            result_type: None,
            optional: false,
            description,
        };
        let Some((status, r)) = chosen else {
            return empty("204".into(), None);
        };
        let r_pointer = format!("{pointer}/responses/{}", pointer_token(&status));
        let response = match self.resolver.response(r) {
            Target::Found(_, r) => r,
            Target::Missing(reason) => {
                self.fallback(&r_pointer, format!("{reason}; response body ignored"));
                return empty(status, None);
            }
        };
        let description = first_line(&Some(response.description.clone()));
        let mut media: Vec<(&String, &'a openapiv3::MediaType)> = response.content.iter().collect();
        media.sort_by_key(|(m, _)| (media_rank(m), (*m).clone()));
        let Some((content_type, media_type)) = media.first().copied() else {
            return empty(status, description);
        };
        let result_name = format!("{base}Response");
        let hint = Hint {
            module: module.clone(),
            name: result_name.clone(),
            pointer: format!("{r_pointer}/content/{}/schema", pointer_token(content_type)),
        };
        let (decode, shape, optional) = match (body_encoding(content_type), &media_type.schema) {
            (BodyEncoding::Json, Some(schema)) => {
                let r: SchemaRef<'a> = schema.into();
                let envelope = self
                    .resolver
                    .deref(r)
                    .map(View::of)
                    .map(|v| self.object_parts(&v, &schema_pointer(r, &hint.pointer)))
                    .filter(|p| p.props.contains_key("result") && p.props.contains_key("success"));
                match envelope {
                    Some(parts) => {
                        let result = parts.props["result"].clone();
                        let result_hint = Hint {
                            pointer: result.pointer.clone(),
                            ..hint.clone()
                        };
                        let shape = self.lower(result.schema, &result_hint);
                        let nullable = result.force_nullable || matches!(shape, Shape::Nullable(_));
                        let optional = nullable || !parts.required.contains("result");
                        let shape = match shape {
                            Shape::Nullable(inner) => *inner,
                            s => s,
                        };
                        (Decode::Envelope, shape, optional)
                    }
                    None => (Decode::Json, self.lower(r, &hint), false),
                }
            }
            (BodyEncoding::Json, None) => (Decode::Json, Shape::Any, false),
            (BodyEncoding::Text, _) => (Decode::Text, Shape::String(StringShape::default()), false),
            _ => (Decode::Bytes, Shape::Bytes, false),
        };
        let result_type = match shape {
            Shape::Named(id)
                if self.defs[id.0].module == *module && self.defs[id.0].name == result_name =>
            {
                id
            }
            other => {
                let id = self.new_type(&hint);
                self.defs[id.0].kind = TypeKind::Alias(other);
                id
            }
        };
        Response {
            status,
            content_type: Some(content_type.clone()),
            decode,
            result_type: Some(result_type),
            optional,
            description,
        }
    }

    fn error_responses(&mut self, op: &'a openapiv3::Operation) -> Vec<ErrorResponse> {
        let mut out = Vec::new();
        let declared = op
            .responses
            .responses
            .iter()
            .map(|(c, r)| (c.to_string(), r))
            .filter(|(c, _)| !c.starts_with('2'))
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_string(), r)),
            );
        for (status, r) in declared {
            let Target::Found(_, response) = self.resolver.response(r) else {
                continue;
            };
            let schemas: Vec<&'a Schema> = response
                .content
                .values()
                .filter_map(|m| m.schema.as_ref())
                .filter_map(|s| self.resolver.deref(s.into()))
                .collect();
            let envelope = schemas.into_iter().any(|s| {
                self.object_parts(&View::of(s), "")
                    .props
                    .contains_key("errors")
            });
            out.push(ErrorResponse {
                status,
                description: first_line(&Some(response.description.clone())),
                envelope,
            });
        }
        out.sort_by(|a, b| a.status.cmp(&b.status));
        out
    }

    // ----- finishing -----------------------------------------------------------------------

    fn finish(
        mut self,
        spec: &OpenAPI,
        security_schemes: Vec<SecurityScheme>,
        operations: Vec<Operation>,
        mut resources: Vec<Resource>,
    ) -> Api {
        mark_boxes(&mut self.defs);
        mark_usage(&mut self.defs, &operations, &resources);
        for (id, def) in self.defs.iter().enumerate() {
            if let Module::Resource(r) = def.module {
                if !def.used_by.is_empty() {
                    resources[r].types.push(TypeId(id));
                }
            }
        }
        for r in &mut resources {
            let defs = &self.defs;
            r.types.sort_by(|a, b| defs[a.0].name.cmp(&defs[b.0].name));
        }
        self.report.sort();
        self.report.dedup();
        Api {
            title: spec.info.title.clone(),
            version: spec.info.version.clone(),
            description: first_line(&spec.info.description),
            base_url: spec.servers.first().map(|s| s.url.clone()),
            security_schemes,
            operations,
            resources,
            types: TypeSpace { defs: self.defs },
            report: self.report,
        }
    }
}

/// Where a schema position's content is: the component for a `$ref`, else `here`.
fn schema_pointer(schema: SchemaRef, here: &str) -> String {
    match schema {
        SchemaRef::Ref(r) => Resolver::ref_name(r, "schemas")
            .map(|n| component_pointer(&n))
            .unwrap_or_else(|| here.to_string()),
        SchemaRef::Inline(_) => here.to_string(),
    }
}

fn same_ref(a: SchemaRef, b: SchemaRef) -> bool {
    match (a, b) {
        (SchemaRef::Ref(x), SchemaRef::Ref(y)) => x == y,
        (SchemaRef::Inline(x), SchemaRef::Inline(y)) => x == y,
        _ => false,
    }
}

/// A placeholder declaration such as `result: {}` that a later member refines.
fn is_trivial(l: &Lowerer, s: SchemaRef) -> bool {
    l.resolver.deref(s).is_some_and(|s| {
        let v = View::of(s);
        v.is_unconstrained() || (!v.any_of.is_empty() || !v.one_of.is_empty())
    })
}

/// Two declarations of the same non-object type (`success: {enum: [true]}` and
/// `success: {enum: [false]}` in Cloudflare's envelopes): the later one is taken,
/// and the Rust type is the same either way, so nothing is degraded.
fn same_scalar_type<'a>(l: &Lowerer<'a>, a: SchemaRef<'a>, b: SchemaRef<'a>) -> bool {
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
fn unwrap_single_all_of(s: SchemaRef) -> SchemaRef {
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

/// A schema that only names a type and annotates it (no constraint, no structure).
fn annotation_only(view: &View) -> bool {
    view.enumeration.is_empty()
        && view.format.is_none()
        && view.pattern.is_none()
        && view.min_length.is_none()
        && view.max_length.is_none()
        && view.minimum.is_none()
        && view.maximum.is_none()
        && view.multiple_of.is_none()
        && view.properties.map_or(true, |p| p.is_empty())
        && view.items.is_none()
        && view.additional.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
}

fn variant_name_for(view: &View) -> String {
    match view.typ {
        Some("string") if !view.enumeration.is_empty() => "Enum",
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        _ if view.properties.is_some() => "Object",
        _ => "Variant",
    }
    .to_string()
}

fn singular_pascal(name: &str) -> String {
    // Singularize the last word of a PascalCase name: `Organizations` → `Organization`.
    let split = name.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0);
    let (head, last) = name.split_at(split);
    let single = singular(last);
    if single == last {
        format!("{name}Item")
    } else {
        format!("{head}{single}")
    }
}

/// The SDK name of an operation as selector words: resource path and method,
/// snake_case (`["zero_trust", "access", "users"]`, `"update"`).
pub fn sdk_words(op: &openapiv3::Operation, path: &str, method: &str) -> (Vec<String>, String) {
    let (group, method_name) = sdk_name(op, path, method);
    (
        group.iter().map(|g| snake(g, false)).collect(),
        snake(&method_name, false),
    )
}

/// `x-fern-sdk-group-name` / `x-fern-sdk-method-name` when present, else derived from the
/// path's literal segments and the HTTP method.
fn sdk_name(op: &openapiv3::Operation, path: &str, method: &str) -> (Vec<String>, String) {
    let group = op
        .extensions
        .get("x-fern-sdk-group-name")
        .and_then(|v| match v {
            Value::String(s) => Some(s.split('.').map(str::to_string).collect::<Vec<_>>()),
            Value::Array(a) => Some(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            _ => None,
        });
    let method_name = op
        .extensions
        .get("x-fern-sdk-method-name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let derived_group: Vec<String> = segments
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| s.to_string())
        .collect();
    let ends_with_param = segments.last().is_some_and(|s| s.starts_with('{'));
    let derived_method = match method {
        "get" if ends_with_param => "get",
        "get" => "list",
        "post" => "create",
        "put" => "update",
        "patch" => "edit",
        other => other,
    };
    let group = group
        .filter(|g| !g.is_empty() && g.iter().all(|s| !s.is_empty()))
        .unwrap_or(if derived_group.is_empty() {
            vec!["root".to_string()]
        } else {
            derived_group
        });
    (
        group,
        method_name
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| derived_method.to_string()),
    )
}

fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    names
}

fn media_rank(media: &str) -> u8 {
    match body_encoding(media) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Bytes => 4,
    }
}

fn body_encoding(media: &str) -> BodyEncoding {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if is_json_media(&m) {
        BodyEncoding::Json
    } else if m == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if m == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if m.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

/// Named types a shape mentions; `direct` only through fields stored inline
/// (not behind a `Vec` or map, which already allocate).
fn shape_refs(shape: &Shape, direct: bool, out: &mut Vec<TypeId>) {
    match shape {
        Shape::Named(id) => out.push(*id),
        Shape::Nullable(inner) => shape_refs(inner, direct, out),
        Shape::Array(a) if !direct => shape_refs(&a.items, direct, out),
        Shape::Map(v) if !direct => shape_refs(v, direct, out),
        _ => {}
    }
}

fn type_refs(kind: &TypeKind, direct: bool) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                shape_refs(&f.shape, direct, &mut out);
            }
            if let Some(a) = &s.additional {
                shape_refs(a, direct, &mut out);
            }
        }
        TypeKind::Union(u) => u
            .variants
            .iter()
            .for_each(|v| shape_refs(&v.shape, direct, &mut out)),
        TypeKind::Alias(shape) => shape_refs(shape, direct, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Boxes every field or variant whose type is in the same strongly connected
/// component of the "stored inline" graph as its container (Tarjan's algorithm).
fn mark_boxes(defs: &mut [TypeDef]) {
    let graph: Vec<Vec<TypeId>> = defs.iter().map(|d| type_refs(&d.kind, true)).collect();
    let scc = strongly_connected(&graph);
    let in_cycle = |from: usize, to: TypeId| scc[from] == scc[to.0];
    for (i, def) in defs.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    let mut r = Vec::new();
                    shape_refs(&f.shape, true, &mut r);
                    f.boxed = r.iter().any(|t| in_cycle(i, *t));
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    let mut r = Vec::new();
                    shape_refs(&v.shape, true, &mut r);
                    v.boxed = r.iter().any(|t| in_cycle(i, *t));
                }
            }
            _ => {}
        }
    }
}

fn strongly_connected(graph: &[Vec<TypeId>]) -> Vec<usize> {
    // Iterative Tarjan, so deep type graphs can't overflow the stack.
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&TypeId(w)) = graph[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Records, for every named type, the top-level resources whose operations reach it.
fn mark_usage(defs: &mut [TypeDef], operations: &[Operation], resources: &[Resource]) {
    let graph: Vec<Vec<TypeId>> = defs.iter().map(|d| type_refs(&d.kind, false)).collect();
    let mut roots_by_top: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for op in operations {
        let top = resources[op.resource]
            .path
            .first()
            .map(|i| i.bare().to_string())
            .unwrap_or_default();
        let roots = roots_by_top.entry(top).or_default();
        roots.extend(op.params_type);
        roots.extend(op.response.result_type);
        if let Some(p) = &op.positional {
            shape_refs(&p.shape, false, roots);
        }
    }
    let mut seen = vec![false; defs.len()];
    for (top, roots) in roots_by_top {
        seen.iter_mut().for_each(|s| *s = false);
        let mut todo = roots;
        while let Some(TypeId(t)) = todo.pop() {
            if std::mem::replace(&mut seen[t], true) {
                continue;
            }
            defs[t].used_by.push(top.clone());
            todo.extend(graph[t].iter().copied());
        }
    }
}
