//! A schema position → a [`Shape`]: components, primitives, arrays, maps, string enums.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::super::names::{assign_unique, pascal, singular, Namespace};
use super::super::passes::shape_refs;
use super::super::view::{component_pointer, SchemaRef, Target, View};
use super::object::requirement_only;
use super::{first_line, Alternatives, Hint, Lowerer};
use crate::ir::*;

impl<'a> Lowerer<'a> {
    // ----- schemas -------------------------------------------------------------------------

    /// Lowers a schema position. Components become `Named` (objects, enums, unions) or
    /// are inlined (primitives, arrays), so constraints of a `$ref`'d string travel along.
    pub(super) fn lower(&mut self, schema: SchemaRef<'a>, hint: &Hint) -> Shape {
        match schema {
            SchemaRef::Inline(s) => self.lower_inline(s, hint, None),
            SchemaRef::Ref(r) => self.lower_ref(r, &hint.pointer),
        }
    }

    pub(super) fn lower_ref(&mut self, reference: &'a str, pointer: &str) -> Shape {
        let (name, schema) = match self.resolver.schema(reference) {
            Target::Found(name, schema) => (name, schema),
            Target::Missing(reason) => {
                self.fallback(pointer, format!("{reason}; generated serde_json::Value"));
                return Shape::Any;
            }
        };
        self.lower_component(name, schema)
    }

    pub(super) fn lower_component(&mut self, name: &'a str, schema: &'a Schema) -> Shape {
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

    pub(super) fn lower_inline(
        &mut self,
        schema: &'a Schema,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        // Every schema position is lowered through here: the one place to bound nesting.
        if self.too_deep.is_some() {
            return Shape::Any;
        }
        if self.depth >= super::MAX_SCHEMA_DEPTH {
            self.too_deep = Some(super::BuildError {
                pointer: hint.pointer.clone(),
                message: format!(
                    "schemas nest more than {} levels deep here (through $refs, properties, items and allOf/oneOf/anyOf members); apigen refuses nesting this deep",
                    super::MAX_SCHEMA_DEPTH
                ),
            });
            return Shape::Any;
        }
        // `allOf` merging (and flattening bodies) inlines the contents of referenced
        // components, so a schema can be met again inside itself. That is a cycle only
        // when no component was started in between (each starts once, so other repeats
        // are bounded); a cycle bypassed the components' `started` guard and must end here.
        let key = &schema.schema_data as *const openapiv3::SchemaData as usize;
        let outer = self.lowering.insert(key, self.components_started);
        if outer == Some(self.components_started) {
            if let Some(&id) = self.merged.get(&key) {
                // Its struct is being built further up: refer to it.
                self.merge_recursed.insert(key);
                return if schema.schema_data.nullable {
                    Shape::Nullable(Box::new(Shape::Named(id)))
                } else {
                    Shape::Named(id)
                };
            }
            self.fallback(
                &hint.pointer,
                "schema reached again inside itself through allOf members; this occurrence is typed serde_json::Value",
            );
            return Shape::Any;
        }
        self.depth += 1;
        let view = View::of(schema);
        let shape = self.lower_view(&view, hint, slot);
        self.depth -= 1;
        match outer {
            Some(started) => self.lowering.insert(key, started),
            None => self.lowering.remove(&key),
        };
        if view.data.nullable && !matches!(shape, Shape::Nullable(_) | Shape::Null | Shape::Any) {
            Shape::Nullable(Box::new(shape))
        } else {
            shape
        }
    }

    pub(super) fn lower_view(
        &mut self,
        view: &View<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
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
        if let Some(r) = annotated_ref(view) {
            return self.lower_ref(r, &hint.pointer);
        }
        if view.properties.is_some_and(|p| !p.is_empty()) || !view.all_of.is_empty() {
            // Merging `allOf` inlines members, which may lead back here (see `Lowerer::merged`).
            let merge_key = (!view.all_of.is_empty())
                .then_some(view.data as *const openapiv3::SchemaData as usize);
            let parts = self.object_parts(view, &hint.pointer);
            return self.lower_parts(parts, view.data, hint, slot, merge_key);
        }
        if let Some((alternatives, keyword)) = Alternatives::of(view) {
            // Members that only list `required` say nothing without properties to require.
            let only_requirements = alternatives.members.iter().all(|m| {
                self.resolver
                    .deref(m.into())
                    .is_some_and(|s| requirement_only(&View::of(s)))
            });
            if !only_requirements {
                let list = format!("{}/{keyword}", hint.pointer);
                return self.lower_union(alternatives, &list, Some(view), hint, slot);
            }
        }
        if let (Some(typ), Some(_)) = (view.typ, view.items) {
            if typ != "array" {
                self.fallback(
                    format!("{}/items", hint.pointer),
                    format!("`items` on a schema of type {typ:?}; ignored"),
                );
            }
        }
        match view.typ {
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

    pub(super) fn number_shape(&self, view: &View) -> NumberShape {
        NumberShape {
            format: view.format.clone(),
            minimum: view.minimum,
            maximum: view.maximum,
            exclusive_minimum: view.exclusive_minimum,
            exclusive_maximum: view.exclusive_maximum,
            multiple_of: view.multiple_of,
            allowed: view.enumeration.iter().filter_map(Value::as_f64).collect(),
            alternatives: Vec::new(),
        }
    }

    pub(super) fn lower_map(&mut self, view: &View<'a>, hint: &Hint) -> Shape {
        let values = match view.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let s: &'a ReferenceOr<Schema> = s;
                self.lower(s.into(), &hint.child("Value", "additionalProperties"))
            }
            _ => Shape::Any,
        };
        Shape::Map(Box::new(values))
    }

    pub(super) fn lower_array(&mut self, view: &View<'a>, hint: &Hint) -> Shape {
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

    pub(super) fn lower_string(
        &mut self,
        view: &View<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
        if view.format.as_deref() == Some("binary") {
            return Shape::Bytes;
        }
        if let Some(pattern) = view.pattern {
            self.check_pattern(pattern, &hint.pointer);
        }
        let string = string_shape(view);
        match string_values(view) {
            Err(()) => {
                self.fallback(
                    &hint.pointer,
                    "enum of a string schema has non-string values; generated String",
                );
                Shape::String(string)
            }
            Ok(values) if values.is_empty() => Shape::String(string),
            Ok(values) => self.string_enum(values, first_line(&view.data.description), hint, slot),
        }
    }

    /// A string enum type (open: unknown values decode into `Unknown`).
    pub(super) fn string_enum(
        &mut self,
        values: Vec<String>,
        docs: Option<String>,
        hint: &Hint,
        slot: Option<TypeId>,
    ) -> Shape {
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
            def.docs = docs;
        }
        self.intern(id, slot)
    }

    fn check_pattern(&mut self, pattern: &str, pointer: &str) {
        let error = self
            .patterns
            .entry(pattern.to_string())
            .or_insert_with(|| regex::Regex::new(pattern).err().map(|e| regex_reason(&e)))
            .clone();
        if let Some(reason) = error {
            self.fallback(
                format!("{pointer}/pattern"),
                format!(
                    "pattern {pattern:?} is not checked client-side: the regex crate the client validates with rejects it ({reason})"
                ),
            );
        }
    }
}

/// The gist of a `regex` error (its last line; the others draw the pattern).
fn regex_reason(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid")
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

/// The constraints of a string schema.
pub(super) fn string_shape(view: &View) -> StringShape {
    StringShape {
        format: view.format.clone(),
        max_length: view.max_length.map(|n| n as u64),
        min_length: view.min_length.map(|n| n as u64),
        pattern: view.pattern.map(str::to_string),
        allowed: Vec::new(),
        alternatives: Vec::new(),
    }
}

/// The distinct string values of an `enum` (`null` ignored); `Err` when one is not a string.
pub(super) fn string_values(view: &View) -> Result<Vec<String>, ()> {
    let mut values: Vec<String> = Vec::new();
    for v in &view.enumeration {
        match v {
            Value::String(s) => {
                if !values.contains(s) {
                    values.push(s.clone());
                }
            }
            Value::Null => {}
            _ => return Err(()),
        }
    }
    Ok(values)
}

/// `{allOf: [$ref X], description, nullable}`: how a `$ref` gets annotated (3.0), and
/// how 3.1's keywords beside `$ref` are normalised. It is `X` itself (the caller adds
/// `nullable`), not a copy of `X`'s properties. Outer `type`/`enum` restating or
/// narrowing `X` are not modelled, as for any non-object `allOf` member.
pub(super) fn annotated_ref<'a>(view: &View<'a>) -> Option<&'a str> {
    let [only] = view.all_of else {
        return None;
    };
    let adds_nothing = view.properties.map_or(true, |p| p.is_empty())
        && view.additional.is_none()
        && view.items.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty();
    match (adds_nothing, SchemaRef::from(only)) {
        (true, SchemaRef::Ref(r)) => Some(r),
        _ => None,
    }
}

pub(super) fn is_null_only(view: &View) -> bool {
    !view.enumeration.is_empty() && view.enumeration.iter().all(Value::is_null)
        || view.typ == Some("null")
}

/// A schema that only names a type and annotates it (no constraint, no structure).
pub(super) fn annotation_only(view: &View) -> bool {
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

pub(super) fn variant_name_for(view: &View) -> String {
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

pub(super) fn singular_pascal(name: &str) -> String {
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
