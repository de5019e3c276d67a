//! What the diff reads from the IR, in one place.
//!
//! Everything here answers a question about the *generated Rust API* of an
//! [`Api`]: an operation's SDK name and route, a type's path, how a shape is
//! spelled in Rust, which string formats the client validates. The rest of the
//! diff matches on [`Shape`] and [`TypeKind`] and calls these functions, so an
//! IR change (typed formats, an HTTP method enum, another union representation)
//! is absorbed here.

use crate::ir::{
    Api, Field, Location, Module, NumberShape, Operation, Shape, StringRepr, StringShape, TypeId,
    TypeKind,
};

/// SDK path of an operation: resource module path, then method name (`zero_trust.access.users.update`).
pub fn operation_name(api: &Api, op: &Operation) -> String {
    let mut name = resource_name(api, op);
    if !name.is_empty() {
        name.push('.');
    }
    name.push_str(op.method_name.bare());
    name
}

/// The SDK path of the resource an operation hangs from (`zero_trust.access.users`; empty for the root).
pub fn resource_name(api: &Api, op: &Operation) -> String {
    let parts: Vec<&str> = api.resources[op.resource]
        .path
        .iter()
        .map(|i| i.bare())
        .collect();
    parts.join(".")
}

/// `PATCH /user`.
pub fn route(op: &Operation) -> String {
    format!("{} {}", op.http_method, op.path)
}

/// `(METHOD, path with parameter names erased)`: renaming `{zone_id}` to
/// `{zone_identifier}` keeps the route.
pub fn route_key(op: &Operation) -> (String, String) {
    (op.http_method.to_ascii_uppercase(), erase_params(&op.path))
}

/// `/zones/{zone_id}/dns` → `/zones/{}/dns`.
pub fn erase_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The operation's JSON pointer in its spec (`#/paths/~1user/patch`).
pub fn operation_pointer(op: &Operation) -> &str {
    &op.pointer
}

/// The style of pagination the generated method offers (`page_array`, `cursor`, ...),
/// if it pages: its `.pages()`/`.items()` helpers and their item type follow from it.
pub fn pagination(op: &Operation) -> Option<&str> {
    op.pagination.as_ref().map(|p| p.style.name())
}

/// The Rust path of a named type, from the crate root (`types::IamOrganization`).
pub fn type_path(api: &Api, id: TypeId) -> String {
    let def = api.types.get(id);
    match &def.module {
        Module::Types => format!("types::{}", def.name),
        Module::Resource(i) => {
            let mut parts: Vec<&str> = api.resources[*i].path.iter().map(|p| p.bare()).collect();
            parts.push(&def.name);
            parts.join("::")
        }
    }
}

/// The type a deprecated alias at `path` (`types::Old`) names, if the API keeps one there.
pub fn alias_target(api: &Api, path: &str) -> Option<TypeId> {
    api.aliases.iter().find_map(|alias| {
        let module = match &alias.module {
            Module::Types => "types".to_string(),
            Module::Resource(i) => api.resources[*i]
                .path
                .iter()
                .map(|p| p.bare())
                .collect::<Vec<_>>()
                .join("::"),
        };
        let at = if module.is_empty() {
            alias.name.clone()
        } else {
            format!("{module}::{}", alias.name)
        };
        (at == path).then_some(alias.target)
    })
}

/// Where a named type comes from in its spec (a JSON pointer).
pub fn type_pointer(api: &Api, id: TypeId) -> &str {
    &api.types.get(id).pointer
}

/// What a named type stands for: itself, or (for aliases) the shape it names.
pub enum Resolved {
    /// A struct, enum or union.
    Def(TypeId),
    /// An alias, followed to what it names.
    Shape(Shape),
}

/// Follows aliases from `id`.
pub fn resolve(api: &Api, id: TypeId) -> Resolved {
    let mut id = id;
    for _ in 0..32 {
        match &api.types.get(id).kind {
            TypeKind::Alias(Shape::Named(next)) => id = *next,
            TypeKind::Alias(shape) => return Resolved::Shape(shape.clone()),
            _ => return Resolved::Def(id),
        }
    }
    Resolved::Shape(Shape::Any)
}

/// Whether two named definitions are the same kind of Rust item (struct, enum, union).
pub fn same_kind(old: &Api, a: TypeId, new: &Api, b: TypeId) -> bool {
    std::mem::discriminant(&old.types.get(a).kind) == std::mem::discriminant(&new.types.get(b).kind)
}

/// The Rust integer type of an integer shape.
pub fn int_type(n: &NumberShape) -> &'static str {
    match n.format.as_deref() {
        Some("int32") => "i32",
        _ => "i64",
    }
}

/// Whether a string is a plain `String` in Rust (not a `DateTime`...).
pub fn is_plain_string(s: &StringShape) -> bool {
    s.repr() == StringRepr::Plain
}

/// The string format the client validates, if any.
pub fn validated_format(s: &StringShape) -> Option<&str> {
    /// String formats the generated client checks.
    const VALIDATED_FORMATS: &[&str] = &[
        "email", "uuid", "date", "time", "uri", "url", "hostname", "ipv4", "ipv6",
    ];
    s.format
        .as_deref()
        .filter(|f| VALIDATED_FORMATS.contains(f))
}

/// The format as written in the spec, for messages.
pub fn format_name(s: &StringShape) -> Option<&str> {
    s.format.as_deref()
}

/// A field's base shape and whether it is `Nullable`.
pub fn field_wrap(f: &Field) -> (bool, &Shape) {
    match &f.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    }
}

/// Where a parameter travels, as a word (`path`, `query`, `header`, `cookie`, `body`).
pub fn location_label(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body | Location::WholeBody => "body",
    }
}

/// The JSON kind of a value, ignoring formats and names: two shapes with the same
/// kind and different Rust types differ only in how we map them.
pub fn wire_kind(api: &Api, shape: &Shape) -> String {
    wire_kind_depth(api, shape, 0)
}

fn wire_kind_depth(api: &Api, shape: &Shape, depth: usize) -> String {
    if depth > 16 {
        return "…".into();
    }
    match shape {
        Shape::String(_) | Shape::Bytes => "string".into(),
        Shape::Integer(_) => "integer".into(),
        Shape::Number(_) => "number".into(),
        Shape::Boolean => "boolean".into(),
        Shape::Named(id) => match resolve(api, *id) {
            Resolved::Shape(s) => wire_kind_depth(api, &s, depth + 1),
            Resolved::Def(id) => match &api.types.get(id).kind {
                TypeKind::Struct(_) => "object".into(),
                TypeKind::Enum(_) => "string".into(),
                TypeKind::Union(_) => "union".into(),
                TypeKind::Alias(s) => wire_kind_depth(api, s, depth + 1),
                TypeKind::External(path) => format!("external {path}"),
            },
        },
        Shape::Array(a) => format!("array<{}>", wire_kind_depth(api, &a.items, depth + 1)),
        Shape::Map(v) => format!("map<{}>", wire_kind_depth(api, v, depth + 1)),
        Shape::Any => "any".into(),
        Shape::Null => "null".into(),
        Shape::Nullable(inner) => format!("{}|null", wire_kind_depth(api, inner, depth + 1)),
    }
}

/// The Rust type of a shape as the generated code spells it (aliases expanded).
pub fn render(api: &Api, shape: &Shape) -> String {
    render_depth(api, shape, 0)
}

fn render_depth(api: &Api, shape: &Shape, depth: usize) -> String {
    if depth > 16 {
        return "…".into();
    }
    match shape {
        Shape::String(s) => match s.repr() {
            StringRepr::Plain => "String".into(),
            StringRepr::DateTime => "DateTime<Utc>".into(),
        },
        Shape::Integer(n) => int_type(n).into(),
        Shape::Number(_) => "f64".into(),
        Shape::Boolean => "bool".into(),
        Shape::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Alias(inner) => render_depth(api, inner, depth + 1),
            _ => type_path(api, *id),
        },
        Shape::Array(a) => format!("Vec<{}>", render_depth(api, &a.items, depth + 1)),
        Shape::Map(v) => match v.as_ref() {
            Shape::Any => "serde_json::Map<String, Value>".into(),
            other => format!("BTreeMap<String, {}>", render_depth(api, other, depth + 1)),
        },
        Shape::Any => "serde_json::Value".into(),
        Shape::Bytes => "String".into(),
        Shape::Null => "()".into(),
        Shape::Nullable(inner) => format!("Option<{}>", render_depth(api, inner, depth + 1)),
    }
}

/// `Box<T>` when boxed.
pub fn boxed(ty: String, boxed: bool) -> String {
    if boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

/// A field's declared Rust type: `T`, `Option<T>` or `Nullable<T>`.
pub fn field_type(api: &Api, f: &Field) -> String {
    let (nullable, base) = field_wrap(f);
    let ty = boxed(render(api, base), f.boxed);
    match (f.required, nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => format!("Option<{ty}>"),
        (false, true) => format!("Nullable<{ty}>"),
    }
}

/// The Rust type of a positional argument.
pub fn arg_type(api: &Api, shape: &Shape) -> String {
    match shape {
        Shape::String(s) if is_plain_string(s) => "&str".into(),
        other => render(api, other),
    }
}

/// What the method's request resolves to.
pub fn return_type(api: &Api, op: &Operation) -> String {
    use crate::ir::Decode;
    let base = match op.response.decode {
        Decode::Envelope | Decode::Json => match op.response.result_type {
            Some(id) => render(api, &Shape::Named(id)),
            None => "serde_json::Value".into(),
        },
        Decode::Text => "String".into(),
        Decode::Bytes => "Vec<u8>".into(),
        Decode::Empty => "()".into(),
    };
    if op.response.optional {
        format!("Option<{base}>")
    } else {
        base
    }
}

/// The named type a method returns, when it decodes JSON into one.
pub fn typed_result(op: &Operation) -> Option<TypeId> {
    use crate::ir::Decode;
    match op.response.decode {
        Decode::Envelope | Decode::Json => op.response.result_type,
        _ => None,
    }
}

/// Whether the method returns an `Option`.
pub fn result_optional(op: &Operation) -> bool {
    op.response.optional
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erase_params_keeps_literals() {
        assert_eq!(
            erase_params("/zones/{zone_id}/dns/{id}"),
            "/zones/{}/dns/{}"
        );
        assert_eq!(erase_params("/user"), "/user");
    }

    #[test]
    fn int_widths_and_validated_formats() {
        let n = |f: Option<&str>| NumberShape {
            format: f.map(String::from),
            ..Default::default()
        };
        assert_eq!(int_type(&n(Some("int32"))), "i32");
        assert_eq!(int_type(&n(Some("int64"))), "i64");
        assert_eq!(int_type(&n(None)), "i64");
        let s = |f: &str| StringShape {
            format: Some(f.into()),
            ..Default::default()
        };
        assert_eq!(validated_format(&s("email")), Some("email"));
        assert_eq!(validated_format(&s("password")), None);
        assert!(!is_plain_string(&s("date-time")));
        assert!(is_plain_string(&s("date")));
    }
}
