//! A uniform, read-only view of `openapiv3` schemas and a `$ref` resolver.
//!
//! `openapiv3` splits schemas into typed and untyped variants (`SchemaKind::Type`
//! vs `SchemaKind::Any`), and boxes some references but not others. The lowering
//! code wants one shape, so [`View`] flattens all of them into one struct.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response,
    Schema, SchemaData, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::pointer_token;

/// A schema position: a reference to a component, or an inline schema.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref`.
    Ref(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// Every keyword of a schema the lowering looks at, whatever variant `openapiv3` chose.
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub pattern: Option<&'a str>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub enumeration: Vec<Value>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
}

fn format_name<T: serde::Serialize>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn opt_values<T: Into<Value> + Clone>(values: &[Option<T>]) -> Vec<Value> {
    values
        .iter()
        .map(|v| v.clone().map(Into::into).unwrap_or(Value::Null))
        .collect()
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> View<'a> {
        let mut v = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            pattern: None,
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            multiple_of: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            enumeration: Vec::new(),
            one_of: &[],
            any_of: &[],
            all_of: &[],
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.typ = Some("string");
                v.format = format_name(&s.format);
                v.pattern = s.pattern.as_deref();
                v.min_length = s.min_length;
                v.max_length = s.max_length;
                v.enumeration = opt_values(&s.enumeration);
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.typ = Some("number");
                v.format = format_name(&n.format);
                v.minimum = n.minimum;
                v.maximum = n.maximum;
                v.exclusive_minimum = n.exclusive_minimum;
                v.exclusive_maximum = n.exclusive_maximum;
                v.multiple_of = n.multiple_of;
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|x| {
                        x.and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                            .unwrap_or(Value::Null)
                    })
                    .collect();
            }
            SchemaKind::Type(Type::Integer(n)) => {
                v.typ = Some("integer");
                v.format = format_name(&n.format);
                v.minimum = n.minimum.map(|x| x as f64);
                v.maximum = n.maximum.map(|x| x as f64);
                v.exclusive_minimum = n.exclusive_minimum;
                v.exclusive_maximum = n.exclusive_maximum;
                v.multiple_of = n.multiple_of.map(|x| x as f64);
                v.enumeration = opt_values(&n.enumeration);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.typ = Some("boolean");
                v.enumeration = opt_values(&b.enumeration);
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.typ = Some("object");
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.typ = Some("array");
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.pattern = a.pattern.as_deref();
                v.min_length = a.min_length;
                v.max_length = a.max_length;
                v.minimum = a.minimum;
                v.maximum = a.maximum;
                v.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
                v.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
                v.multiple_of = a.multiple_of;
                if !a.properties.is_empty() || a.typ.as_deref() == Some("object") {
                    v.properties = Some(&a.properties);
                }
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.unique_items = a.unique_items.unwrap_or(false);
                v.enumeration = a.enumeration.clone();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.has_not = a.not.is_some();
            }
        }
        v
    }

    /// Whether the schema says anything at all about its values.
    pub fn is_unconstrained(&self) -> bool {
        self.typ.is_none()
            && self.properties.map_or(true, |p| p.is_empty())
            && self.additional.is_none()
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
    }
}

/// Resolves local `$ref`s against `components`.
pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

/// The component a `$ref` points to.
pub enum Target<'a, T> {
    /// Found: the component's name and value.
    Found(&'a str, &'a T),
    /// Not resolvable; the reason.
    Missing(String),
}

const MAX_REF_CHAIN: usize = 32;

impl<'a> Resolver<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        Resolver {
            components: spec.components.as_ref(),
        }
    }

    /// The component name a `$ref` of the given section names (`#/components/schemas/X` → `X`).
    pub fn ref_name(reference: &str, section: &str) -> Option<String> {
        let prefix = format!("#/components/{section}/");
        let raw = reference.strip_prefix(&prefix)?;
        if raw.contains('/') {
            return None;
        }
        Some(percent_decode(raw).replace("~1", "/").replace("~0", "~"))
    }

    fn chase<T>(
        &self,
        reference: &str,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Target<'a, T> {
        let mut reference = reference.to_string();
        for _ in 0..MAX_REF_CHAIN {
            let Some(name) = Self::ref_name(&reference, section) else {
                return Target::Missing(format!(
                    "unsupported $ref {reference:?}: only local #/components/{section}/ references are resolved"
                ));
            };
            let Some(components) = self.components else {
                return Target::Missing(format!("$ref {reference:?}: the spec has no components"));
            };
            match map(components).get_key_value(&name) {
                Some((key, ReferenceOr::Item(item))) => return Target::Found(key, item),
                Some((_, ReferenceOr::Reference { reference: next })) => reference = next.clone(),
                None => return Target::Missing(format!("$ref {reference:?} points to nothing")),
            }
        }
        Target::Missing(format!(
            "$ref chain from {reference:?} is too long or circular"
        ))
    }

    pub fn schema(&self, reference: &str) -> Target<'a, Schema> {
        self.chase(reference, "schemas", |c| &c.schemas)
    }

    pub fn parameter(&self, r: &'a ReferenceOr<Parameter>) -> Target<'a, Parameter> {
        match r {
            ReferenceOr::Item(p) => Target::Found("", p),
            ReferenceOr::Reference { reference } => {
                self.chase(reference, "parameters", |c| &c.parameters)
            }
        }
    }

    pub fn request_body(&self, r: &'a ReferenceOr<RequestBody>) -> Target<'a, RequestBody> {
        match r {
            ReferenceOr::Item(b) => Target::Found("", b),
            ReferenceOr::Reference { reference } => {
                self.chase(reference, "requestBodies", |c| &c.request_bodies)
            }
        }
    }

    pub fn response(&self, r: &'a ReferenceOr<Response>) -> Target<'a, Response> {
        match r {
            ReferenceOr::Item(b) => Target::Found("", b),
            ReferenceOr::Reference { reference } => {
                self.chase(reference, "responses", |c| &c.responses)
            }
        }
    }

    /// Where the content of a schema position is declared: the component a `$ref` (chain)
    /// ends at, else `here`.
    pub fn declared_at(&self, s: SchemaRef<'a>, here: &str) -> String {
        match s {
            SchemaRef::Ref(r) => match self.schema(r) {
                Target::Found(name, _) => component_pointer(name),
                Target::Missing(_) => here.to_string(),
            },
            SchemaRef::Inline(_) => here.to_string(),
        }
    }

    /// The schema a position denotes, following references. `None` if unresolvable.
    pub fn deref(&self, s: SchemaRef<'a>) -> Option<&'a Schema> {
        match s {
            SchemaRef::Inline(schema) => Some(schema),
            SchemaRef::Ref(r) => match self.schema(r) {
                Target::Found(_, schema) => Some(schema),
                Target::Missing(_) => None,
            },
        }
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// JSON pointer of a component schema.
pub fn component_pointer(name: &str) -> String {
    format!("#/components/schemas/{}", pointer_token(name))
}
