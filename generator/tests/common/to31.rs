//! Rewrites an OpenAPI 3.0 document tree into the OpenAPI 3.1 document that means
//! the same, using 3.1's spellings wherever 3.1 has one: `type: [T, "null"]` for
//! `nullable`, numeric exclusive bounds, `const`, `examples`, `contentMediaType`
//! and `contentEncoding` for `format: binary`/`byte`. Keywords beside `$ref`,
//! which 3.0 ignores and 3.1 applies, are removed so the meaning is kept.
//!
//! Tests use it to check that a document generates the same crate (and `apigen
//! diff` sees no change) whichever version it is written in. It is written
//! independently of the generator's normaliser, walking schema positions itself.

use serde_json::{json, Map, Value};

/// Translates `tree` (OpenAPI 3.0) to OpenAPI 3.1 in place.
pub fn to_31(tree: &mut Value) {
    tree["openapi"] = json!("3.1.0");
    walk_document(tree);
}

/// Visits the document outside schemas; every `schema` value and every
/// `components.schemas` entry is a schema. Example payloads are left alone.
fn walk_document(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(v),
                    "schemas" => {
                        if let Value::Object(schemas) = v {
                            schemas.values_mut().for_each(schema);
                        }
                    }
                    "example" | "examples" => {}
                    k if k.starts_with("x-") => {}
                    _ => walk_document(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(walk_document),
        _ => {}
    }
}

fn schema(value: &mut Value) {
    let Value::Object(map) = value else { return };
    if map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
        return;
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        props.values_mut().for_each(schema);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(v) = map.get_mut(key) {
            schema(v);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(schema);
        }
    }
    keywords(map);
}

fn keywords(map: &mut Map<String, Value>) {
    if let Some(Value::Bool(true)) = map.remove("nullable") {
        match map.get("type").and_then(Value::as_str) {
            Some(t) => {
                let t = t.to_string();
                map.insert("type".into(), json!([t, "null"]));
            }
            // No type to list `null` beside: the 3.0 idiom is valid 3.1 input too.
            None => {
                map.insert("nullable".into(), json!(true));
            }
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.remove(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(bound) = map.remove(inclusive) {
                    map.insert(exclusive.into(), bound);
                }
            }
            Some(Value::Bool(false)) | None => {}
            Some(other) => {
                map.insert(exclusive.into(), other);
            }
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if let [only] = values.as_slice() {
            if !only.is_null() {
                let only = only.clone();
                map.remove("enum");
                map.insert("const".into(), only);
            }
        }
    }
    match map.get("format").and_then(Value::as_str) {
        Some("binary") => {
            map.remove("format");
            map.insert("contentMediaType".into(), json!("application/octet-stream"));
        }
        Some("byte") => {
            map.remove("format");
            map.insert("contentEncoding".into(), json!("base64"));
        }
        _ => {}
    }
}
