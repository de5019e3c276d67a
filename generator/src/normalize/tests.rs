use serde_json::{json, Value};

use super::*;

/// Normalises a 3.1 document with `schema` as component `S`; returns the document
/// and the report.
fn normalized(mut doc: Value) -> (Value, Vec<Fallback>) {
    normalize_31(&mut doc);
    let carried: Carried = serde_json::from_value(doc[CARRIED].clone()).unwrap();
    (doc, carried.report)
}

fn with_schema(schema: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"S": schema}}
    })
}

fn schema_of(schema: Value) -> (Value, Vec<Fallback>) {
    let (doc, report) = normalized(with_schema(schema));
    (doc["components"]["schemas"]["S"].clone(), report)
}

fn pointers(report: &[Fallback]) -> Vec<&str> {
    report.iter().map(|f| f.pointer.as_str()).collect()
}

#[test]
fn type_lists_become_nullable_or_one_of() {
    let (s, report) = schema_of(json!({"type": ["string", "null"], "maxLength": 3}));
    assert_eq!(
        s,
        json!({"type": "string", "maxLength": 3, "nullable": true})
    );
    assert!(report.is_empty());

    let (s, _) = schema_of(json!({"type": ["null"]}));
    assert_eq!(s, json!({"type": "null"}));

    let (s, report) = schema_of(json!({
        "type": ["string", "integer", "null"], "description": "d",
        "maxLength": 3, "minimum": 1, "format": "int64", "enum": ["a", 2, null]
    }));
    assert_eq!(
        s,
        json!({
            "description": "d", "nullable": true,
            "oneOf": [
                {"type": "string", "maxLength": 3, "enum": ["a"]},
                {"type": "integer", "minimum": 1, "format": "int64", "enum": [2]}
            ]
        })
    );
    assert!(report.is_empty(), "exact: {report:?}");

    // Every integer is a number.
    let (s, _) = schema_of(json!({"type": ["integer", "number"]}));
    assert_eq!(s, json!({"type": "number"}));
}

#[test]
fn const_and_const_alternatives_become_enums() {
    let (s, _) = schema_of(json!({"const": "x"}));
    assert_eq!(s, json!({"enum": ["x"]}));
    let (s, report) = schema_of(json!({
        "type": "integer",
        "oneOf": [{"title": "ONE", "const": 1}, {"title": "TWO", "description": "two ", "const": 2}]
    }));
    assert_eq!(s["enum"], json!([1, 2]));
    assert_eq!(s["type"], "integer");
    assert!(s.get("oneOf").is_none());
    assert_eq!(s["description"], "Values:\n- `1` (ONE)\n- `2` (TWO): two");
    assert!(report.is_empty());
    // Untitled constants: nothing to keep, left to the lowering (as 3.0's one-value enums are).
    let (s, _) = schema_of(
        json!({"anyOf": [{"const": 1, "type": "number"}, {"const": 2, "type": "number"}]}),
    );
    assert_eq!(s["anyOf"][1], json!({"enum": [2], "type": "number"}));
    // Members' common type is kept.
    let (s, _) = schema_of(
        json!({"oneOf": [{"const": 1, "type": "number", "title": "A"}, {"const": 2, "type": "number"}]}),
    );
    assert_eq!((&s["type"], &s["enum"]), (&json!("number"), &json!([1, 2])));
    // Not all constants: a real union, left alone.
    let (s, _) = schema_of(json!({"oneOf": [{"const": 1}, {"type": "string"}]}));
    assert_eq!(s["oneOf"][1], json!({"type": "string"}));
}

#[test]
fn examples_bounds_and_content() {
    let (s, _) = schema_of(json!({"type": "string", "examples": ["a", "b"]}));
    assert_eq!(s, json!({"type": "string", "example": "a"}));
    let (s, _) = schema_of(
        json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
    );
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
    );
    // The 3.0 idiom is kept.
    let (s, _) = schema_of(json!({"type": "number", "minimum": 1, "exclusiveMinimum": true}));
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 1, "exclusiveMinimum": true})
    );
    let (s, _) = schema_of(json!({"type": "string", "contentEncoding": "base64"}));
    assert_eq!(s, json!({"type": "string", "format": "byte"}));
    let (s, _) = schema_of(json!({"type": "string", "contentMediaType": "image/png"}));
    assert_eq!(s, json!({"type": "string", "format": "binary"}));
    let (s, _) = schema_of(json!({"type": "string", "contentMediaType": "text/plain"}));
    assert_eq!(s, json!({"type": "string"}));
}

#[test]
fn ref_siblings_are_kept_beside_the_ref() {
    let (s, report) = schema_of(json!({"$ref": "#/components/schemas/T", "description": "d"}));
    assert_eq!(
        s,
        json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    assert!(report.is_empty());
    let (s, _) = schema_of(json!({
        "$ref": "#/components/schemas/T", "type": ["string", "null"], "maxLength": 2
    }));
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true,
               "allOf": [{"$ref": "#/components/schemas/T"}, {"maxLength": 2}]})
    );
}

#[test]
fn prefix_items_and_booleans() {
    let (s, report) = schema_of(json!({
        "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false
    }));
    assert_eq!(
        s,
        json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "maxItems": 2})
    );
    assert_eq!(pointers(&report), ["#/components/schemas/S"]);
    let (s, report) = schema_of(json!({"prefixItems": [{"type": "string"}, {"type": "string"}]}));
    assert_eq!(s, json!({"items": {"type": "string"}, "type": "array"}));
    assert!(report.is_empty(), "same schema twice is exact");
    let (s, _) = schema_of(json!({
        "type": "object", "properties": {"a": true, "b": false}, "required": ["a", "b"]
    }));
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"a": {}}, "required": ["a"]})
    );
}

#[test]
fn unsupported_keywords_are_dropped_and_reported_where_they_are() {
    let (s, report) = schema_of(json!({
        "type": "object",
        "properties": {"p": {"type": "string", "if": {"minLength": 1}, "then": {"maxLength": 2}}},
        "propertyNames": {"pattern": "^a"},
        "unevaluatedProperties": false,
        "$comment": "c"
    }));
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"p": {"type": "string"}}})
    );
    assert_eq!(
        pointers(&report),
        [
            "#/components/schemas/S",
            "#/components/schemas/S/properties/p"
        ]
    );
    let (s, report) = schema_of(json!({"patternProperties": {"^x-": {"type": "integer"}}}));
    assert_eq!(
        s,
        json!({"additionalProperties": {"type": "integer"}, "type": "object"})
    );
    assert_eq!(report.len(), 1);
}

#[test]
fn defs_are_hoisted_and_refs_follow() {
    let (doc, report) = normalized(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {
            "A": {"$defs": {"B": {"type": "string", "const": "b"}},
                  "properties": {"b": {"$ref": "#/components/schemas/A/$defs/B"}}},
            "C": {"$defs": {"B": {"type": "integer"}},
                  "properties": {"b": {"$ref": "#/components/schemas/C/$defs/B"}}}
        }}
    }));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["A_B"], json!({"type": "string", "enum": ["b"]}));
    assert_eq!(schemas["C_B"], json!({"type": "integer"}));
    assert_eq!(
        schemas["A"]["properties"]["b"]["$ref"],
        "#/components/schemas/A_B"
    );
    assert_eq!(
        schemas["C"]["properties"]["b"]["$ref"],
        "#/components/schemas/C_B"
    );
    assert!(schemas["A"].get("$defs").is_none());
    assert!(report.is_empty());
    assert_eq!(doc["paths"], json!({}), "paths is optional in 3.1");
    let carried: Carried = serde_json::from_value(doc[CARRIED].clone()).unwrap();
    assert_eq!(
        carried.original("#/components/schemas/A_B/enum"),
        "#/components/schemas/A/$defs/B/enum"
    );
    assert_eq!(
        carried.original("#/components/schemas/A_Bx"),
        "#/components/schemas/A_Bx"
    );
}

#[test]
fn document_level_constructs() {
    let (doc, report) = normalized(json!({
        "openapi": "3.1.1",
        "jsonSchemaDialect": "https://example.com/dialect",
        "info": {"title": "t", "version": "1", "summary": "S.", "description": "D.",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
        "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "security": [{"mtls": []}, {"key": []}],
        "components": {
            "pathItems": {"A": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P", "description": "here"}],
                "responses": {"200": {"description": "ok"}}}}},
            "parameters": {"P": {"name": "p", "in": "query", "description": "there",
                                 "schema": {"type": ["integer", "null"]}}},
            "securitySchemes": {"mtls": {"type": "mutualTLS"},
                                "key": {"type": "apiKey", "in": "header", "name": "k"}}
        }
    }));
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["description"], "S.\n\nD.");
    assert_eq!(
        doc["info"]["license"]["url"],
        "https://spdx.org/licenses/MIT.html"
    );
    assert!(doc.get("webhooks").is_none() && doc.get("jsonSchemaDialect").is_none());
    let param = &doc["paths"]["/a"]["get"]["parameters"][0];
    assert_eq!(
        param["description"], "here",
        "the description beside $ref applies"
    );
    assert_eq!(
        param["schema"],
        json!({"type": "integer", "nullable": true})
    );
    assert!(doc["components"].get("pathItems").is_none());
    assert_eq!(doc["security"], json!([{}, {"key": []}]));
    assert!(doc["components"]["securitySchemes"].get("mtls").is_none());
    assert_eq!(
        pointers(&report),
        [
            "#/components/securitySchemes/mtls",
            "#/jsonSchemaDialect",
            "#/webhooks/ping/post"
        ]
    );
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc).expect("a valid 3.0 model");
    let carried = Carried::of(&spec);
    assert_eq!(carried.from, "3.1.1");
    assert_eq!(
        carried.original("#/paths/~1a/get"),
        "#/components/pathItems/A/get"
    );
}

#[test]
fn normalising_twice_changes_nothing() {
    let doc = with_schema(json!({
        "type": ["object", "null"],
        "properties": {"a": {"type": ["string", "integer"], "examples": [1]},
                       "b": {"$ref": "#/components/schemas/S", "description": "d"}}
    }));
    let (once, _) = normalized(doc);
    let mut again = once.clone();
    again["openapi"] = json!("3.1.0");
    let (twice, _) = normalized(again);
    assert_eq!(once["components"], twice["components"]);
}
