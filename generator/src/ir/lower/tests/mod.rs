//! Unit tests of the lowering, one file per lowering module, each on small specs written
//! for the rule it tests.

mod all_of;
mod object;
mod pagination;
mod response;
mod union;

use crate::ir::*;

/// Lowers a spec given as YAML: `schemas` are the components, and one operation
/// `POST /things` takes `body` (if any) and returns `response` (if any) as JSON.
pub(super) fn lower(schemas: &str, body: Option<&str>, response: Option<&str>) -> Api {
    let indent = |text: &str, by: usize| {
        text.lines()
            .map(|l| format!("{}{l}", " ".repeat(by)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /things:\n    post:\n      operationId: createThing\n");
    if let Some(body) = body {
        spec.push_str("      requestBody:\n        content:\n          application/json:\n            schema:\n");
        spec.push_str(&indent(body, 14));
        spec.push('\n');
    }
    spec.push_str("      responses:\n        '200':\n          description: ok\n");
    if let Some(response) = response {
        spec.push_str("          content:\n            application/json:\n              schema:\n");
        spec.push_str(&indent(response, 16));
        spec.push('\n');
    }
    spec.push_str("components:\n  schemas:\n");
    spec.push_str(&indent(schemas, 4));
    spec.push('\n');
    let parsed = crate::parse::parse_str(&spec, std::path::Path::new("test.yaml"))
        .unwrap_or_else(|e| panic!("{e}\n{spec}"));
    build(&parsed, &BuildOptions::with_prefix("T")).expect("lowers")
}

/// The type named `name` (in any module).
pub(super) fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .defs
        .iter()
        .find(|d| d.name == name && !d.used_by.is_empty())
        .unwrap_or_else(|| {
            let names: Vec<&str> = api
                .types
                .defs
                .iter()
                .filter(|d| !d.used_by.is_empty())
                .map(|d| d.name.as_str())
                .collect();
            panic!("no used type {name}; have {names:?}")
        })
}

pub(super) fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

pub(super) fn field<'a>(def: &'a TypeDef, wire: &str) -> &'a Field {
    fields(def)
        .iter()
        .find(|f| f.name == wire)
        .unwrap_or_else(|| panic!("{} has no field {wire}", def.name))
}

pub(super) fn variants(def: &TypeDef) -> &Union {
    match &def.kind {
        TypeKind::Union(u) => u,
        other => panic!("{} is not a union: {other:?}", def.name),
    }
}

/// The operation's result type, through its alias if it has one.
pub(super) fn result(api: &Api) -> Shape {
    let id = api.operations[0]
        .response
        .result_type
        .expect("a result type");
    match &api.types.get(id).kind {
        TypeKind::Alias(shape) => shape.clone(),
        _ => Shape::Named(id),
    }
}
