//! Object schemas → structs and their fields.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::super::names::{assign_unique, escape_value_ident, snake, Namespace};
use super::super::view::SchemaRef;
use super::{first_line, Hint, Lowerer, ObjectParts};
use crate::ir::*;

impl<'a> Lowerer<'a> {
    pub(super) fn make_struct(
        &mut self,
        parts: ObjectParts<'a>,
        hint: &Hint,
        slot: Option<TypeId>,
        data: &'a openapiv3::SchemaData,
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
}
