//! One Schema Object, 3.1 → 3.0. Exact translations are silent; anything
//! approximated is noted with the pointer of the original construct.
//!
//! | 3.1 | 3.0 model |
//! | --- | --- |
//! | `true` / `false` schema | `{}` / `{not: {}}` (a `false` property is dropped; `items: false` caps `maxItems`) |
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B, ...]` | `oneOf` of one schema per type, each with its type's keywords |
//! | `const: v` | `enum: [v]` |
//! | `oneOf`/`anyOf` of `const`s (with titles) | `enum`, the titles listed in the description |
//! | `examples: [a, ...]` | `example: a` |
//! | numeric `exclusiveMinimum`/`exclusiveMaximum` | `minimum`/`maximum` + boolean flag (the stricter bound) |
//! | `$ref` with sibling keywords | `allOf: [{$ref}, {constraints}]` with the annotations beside it |
//! | `contentEncoding: base64` / `binary`, `contentMediaType` (non-text) | `format: byte` / `format: binary` |
//! | `$defs` | hoisted into `components.schemas` (see `document.rs`) |
//! | `prefixItems` | `items: anyOf` of the tuple's schemas (noted unless they are all the same) |
//! | `patternProperties` | `additionalProperties` of their schemas (noted) |
//! | `if`/`then`/`else`, `dependentSchemas`, `dependentRequired`, `contains`, `propertyNames`, `unevaluated*` (schemas), `$dynamicRef` | dropped (noted) |

use serde_json::{json, Map, Value};

use super::Normalizer;
use crate::error::pointer_token;

/// Keywords beside a `$ref` that describe the position (or restate the type)
/// rather than constrain the value.
const ANNOTATIONS: [&str; 14] = [
    "type",
    "format",
    "description",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "externalDocs",
    "$comment",
    "nullable",
    "xml",
];

/// Keywords of one JSON type, moved into that type's member when a `type` list
/// becomes a `oneOf`.
const STRING_KEYWORDS: [&str; 3] = ["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYWORDS: [&str; 4] = ["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYWORDS: [&str; 5] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];

/// Keywords whose constraint the generator does not model: dropped, and noted.
const UNSUPPORTED: [(&str, &str); 8] = [
    ("if", "`if`/`then`/`else`"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("dependentRequired", "`dependentRequired`"),
    ("contains", "`contains`"),
    ("propertyNames", "`propertyNames`"),
    ("unevaluatedProperties", "`unevaluatedProperties`"),
    ("unevaluatedItems", "`unevaluatedItems`"),
    ("$dynamicRef", "`$dynamicRef`"),
];

/// Identifiers and annotations that change nothing the generator reads.
const DROPPED_SILENTLY: [&str; 8] = [
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$vocabulary",
    "contentSchema",
    "minContains",
    "maxContains",
];

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", pointer_token(key))
}

impl Normalizer {
    /// Normalises the schema at `value` (and everything inside it) in place.
    pub(super) fn schema(&mut self, value: &mut Value, pointer: &str) {
        match value {
            Value::Bool(true) => *value = json!({}),
            Value::Bool(false) => *value = json!({"not": {}}),
            Value::Object(map) => {
                if map.contains_key("$ref") && map.len() > 1 {
                    self.ref_siblings(map, pointer);
                }
                if let Some(Value::Object(defs)) = map.shift_remove("$defs") {
                    for (name, mut def) in defs {
                        let def_pointer = child(&child(pointer, "$defs"), &name);
                        self.schema(&mut def, &def_pointer);
                        self.hoisted.push((def_pointer, name, def));
                    }
                }
                self.children(map, pointer);
                self.keywords(map, pointer);
            }
            // Not a schema: typing the document reports it.
            _ => {}
        }
    }

    /// `{$ref: X, description: d, maxLength: 3}` → `{allOf: [{$ref: X}, {maxLength: 3}],
    /// description: d}`: 3.1 applies keywords beside `$ref`, the 3.0 model would drop them.
    fn ref_siblings(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(reference) = map.shift_remove("$ref") else {
            return;
        };
        let mut outer = Map::new();
        let mut rest = Map::new();
        for (k, v) in std::mem::take(map) {
            if ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-") {
                outer.insert(k, v);
            } else {
                rest.insert(k, v);
            }
        }
        let mut members = vec![json!({ "$ref": reference })];
        if !rest.is_empty() {
            let mut rest = Value::Object(rest);
            self.schema(&mut rest, pointer);
            if let Value::Object(r) = &mut rest {
                if r.shift_remove("nullable") == Some(Value::Bool(true)) {
                    outer.insert("nullable".into(), Value::Bool(true));
                }
                if !r.is_empty() {
                    members.push(rest);
                }
            }
        }
        outer.insert("allOf".into(), Value::Array(members));
        *map = outer;
    }

    fn children(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            // A `false` property may not appear: a client never sends it, and decoding ignores it.
            let forbidden: Vec<String> = props
                .iter()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| k.clone())
                .collect();
            for name in &forbidden {
                props.shift_remove(name);
            }
            for (name, prop) in props.iter_mut() {
                self.schema(prop, &child(&child(pointer, "properties"), name));
            }
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.retain(|r| !r.as_str().is_some_and(|r| forbidden.iter().any(|f| f == r)));
            }
        }
        for key in ["patternProperties", "dependentSchemas"] {
            if let Some(Value::Object(schemas)) = map.get_mut(key) {
                for (name, s) in schemas.iter_mut() {
                    self.schema(s, &child(&child(pointer, key), name));
                }
            }
        }
        if map.get("items") == Some(&Value::Bool(true)) {
            map.shift_remove("items");
        }
        for key in [
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedItems",
            "unevaluatedProperties",
        ] {
            if let Some(s) = map.get_mut(key) {
                // Boolean `additionalProperties`/`unevaluated*`/`items: false` are read as such.
                if s.is_object() {
                    self.schema(s, &child(pointer, key));
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                for (i, m) in members.iter_mut().enumerate() {
                    self.schema(m, &format!("{pointer}/{key}/{i}"));
                }
            }
        }
    }

    fn keywords(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(c) = map.shift_remove("const") {
            map.insert("enum".into(), Value::Array(vec![c]));
        }
        if let Some(examples) = map.shift_remove("examples") {
            if let Some(first) = examples.as_array().and_then(|e| e.first()) {
                if !map.contains_key("example") {
                    map.insert("example".into(), first.clone());
                }
            }
        }
        exclusive_bound(map, "exclusiveMinimum", "minimum", |bound, min| {
            bound >= min
        });
        exclusive_bound(map, "exclusiveMaximum", "maximum", |bound, max| {
            bound <= max
        });
        content_encoding(map);
        for key in DROPPED_SILENTLY {
            map.shift_remove(key);
        }
        if let Some(dialect) = map.shift_remove("$schema") {
            let known = dialect.as_str().is_some_and(|d| {
                d.contains("json-schema.org/draft/2020-12")
                    || d.contains("spec.openapis.org/oas/3.1")
            });
            if !known {
                self.note(
                    pointer,
                    format!("`$schema` {dialect}: read as JSON Schema 2020-12"),
                );
            }
        }
        self.prefix_items(map, pointer);
        if map.get("items") == Some(&Value::Bool(false)) {
            // No items at all.
            map.insert("items".into(), json!({}));
            map.insert("maxItems".into(), json!(0));
        }
        self.pattern_properties(map, pointer);
        self.unsupported(map, pointer);
        const_alternatives(map);
        self.type_list(map, pointer);
    }

    fn unsupported(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        for (key, name) in UNSUPPORTED {
            let Some(value) = map.get(key) else { continue };
            match key {
                // Closing a schema to unknown members: structs ignore unknown members when
                // decoding and never send any, exactly as for `additionalProperties: false`.
                "unevaluatedProperties" | "unevaluatedItems" if value.is_boolean() => {
                    map.shift_remove(key);
                }
                "if" => {
                    for k in ["if", "then", "else"] {
                        map.shift_remove(k);
                    }
                    self.note(
                        pointer,
                        format!(
                            "{name} is not supported; ignored (values are not checked against it)"
                        ),
                    );
                }
                _ => {
                    map.shift_remove(key);
                    self.note(
                        pointer,
                        format!(
                            "{name} is not supported; ignored (values are not checked against it)"
                        ),
                    );
                }
            }
        }
        for orphan in ["then", "else"] {
            map.shift_remove(orphan);
        }
    }

    /// `prefixItems` (a tuple) → `items` that may be any of the tuple's schemas.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(prefix) = map.shift_remove("prefixItems") else {
            return;
        };
        let prefix = match prefix {
            Value::Array(p) => p,
            _ => return,
        };
        let rest = map.shift_remove("items");
        let closed = rest == Some(Value::Bool(false));
        let mut alternatives: Vec<Value> = Vec::new();
        for s in prefix.iter().chain(rest.iter().filter(|r| r.is_object())) {
            if !alternatives.contains(s) {
                alternatives.push(s.clone());
            }
        }
        let items = match alternatives.len() {
            0 => json!({}),
            1 => alternatives.remove(0),
            _ => {
                self.note(
                    pointer,
                    "`prefixItems` (a tuple) is generated as an array whose items may be any of the tuple's schemas; positions are not checked",
                );
                json!({ "anyOf": alternatives })
            }
        };
        map.insert("items".into(), items);
        if closed {
            let len = prefix.len() as u64;
            let max = map
                .get("maxItems")
                .and_then(Value::as_u64)
                .map_or(len, |m| m.min(len));
            map.insert("maxItems".into(), json!(max));
        }
        if !map.contains_key("type") {
            map.insert("type".into(), json!("array"));
        }
    }

    /// `patternProperties` → `additionalProperties` of the patterns' schemas: the
    /// values are typed, the keys are not checked against the patterns.
    fn pattern_properties(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(patterns) = map.shift_remove("patternProperties") else {
            return;
        };
        let Value::Object(patterns) = patterns else {
            return;
        };
        if patterns.is_empty() {
            return;
        }
        let open = matches!(
            map.get("additionalProperties"),
            None | Some(Value::Bool(true))
        );
        if !open {
            self.note(
                pointer,
                "`patternProperties` beside `additionalProperties` is not supported; ignored",
            );
            return;
        }
        let mut alternatives: Vec<Value> = Vec::new();
        for s in patterns.values() {
            if !alternatives.contains(s) {
                alternatives.push(s.clone());
            }
        }
        let values = if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            json!({ "anyOf": alternatives })
        };
        map.insert("additionalProperties".into(), values);
        if !map.contains_key("type") && !map.contains_key("properties") {
            map.insert("type".into(), json!("object"));
        }
        self.note(
            pointer,
            "`patternProperties`: generated a map of their schemas; keys are not checked against the patterns",
        );
    }

    /// `type: [..]` → one `type` (+ `nullable`), or a `oneOf` with one member per type.
    fn type_list(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(list)) = map.get("type") else {
            return;
        };
        let mut types: Vec<String> = Vec::new();
        let mut null = false;
        let mut unknown = Vec::new();
        for t in list {
            match t.as_str() {
                Some("null") => null = true,
                Some(t @ ("string" | "number" | "integer" | "boolean" | "object" | "array")) => {
                    if !types.iter().any(|x| x == t) {
                        types.push(t.to_string());
                    }
                }
                _ => unknown.push(t.to_string()),
            }
        }
        if !unknown.is_empty() {
            self.note(
                pointer,
                format!("unknown types {} in `type`; ignored", unknown.join(", ")),
            );
        }
        // Every integer is a number.
        if types.iter().any(|t| t == "number") {
            types.retain(|t| t != "integer");
        }
        map.shift_remove("type");
        match types.len() {
            0 if null => {
                map.insert("type".into(), json!("null"));
            }
            0 => {}
            1 => {
                map.insert("type".into(), json!(types[0]));
                if null {
                    map.insert("nullable".into(), json!(true));
                }
            }
            _ => {
                if null {
                    map.insert("nullable".into(), json!(true));
                }
                if map.contains_key("oneOf") || map.contains_key("anyOf") {
                    self.note(
                        pointer,
                        "a list of types beside `oneOf`/`anyOf`: kept the `oneOf`/`anyOf`, ignored the types",
                    );
                    return;
                }
                let members = split_by_type(map, &types);
                map.insert("oneOf".into(), Value::Array(members));
            }
        }
    }
}

/// A numeric `exclusiveMinimum` (3.1) becomes `minimum` + `exclusiveMinimum: true`,
/// unless an inclusive `minimum` beside it is already the stricter bound. Boolean
/// forms (3.0 idiom) are left alone.
fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    exclusive_is_stricter: fn(f64, f64) -> bool,
) {
    let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let stricter = match (bound.as_f64(), map.get(inclusive).and_then(Value::as_f64)) {
        (Some(b), Some(i)) => exclusive_is_stricter(b, i),
        _ => true,
    };
    if stricter {
        map.insert(inclusive.into(), bound);
        map.insert(exclusive.into(), Value::Bool(true));
    } else {
        map.shift_remove(exclusive);
    }
}

/// `contentEncoding`/`contentMediaType` → the 3.0 `format` that means the same:
/// base64 text is `byte`, raw or non-text media is `binary`.
fn content_encoding(map: &mut Map<String, Value>) {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match encoding.as_ref().and_then(Value::as_str) {
        Some("base64" | "base64url") => Some("byte"),
        Some("binary") => Some("binary"),
        Some(_) => None,
        None => media.as_ref().and_then(Value::as_str).and_then(|m| {
            let m = m.to_ascii_lowercase();
            let textual = m.starts_with("text/")
                || m.contains("json")
                || m.contains("xml")
                || m.starts_with("application/x-www-form-urlencoded");
            (!textual).then_some("binary")
        }),
    };
    if let Some(format) = format {
        map.insert("format".into(), json!(format));
        if !map.contains_key("type") {
            map.insert("type".into(), json!("string"));
        }
    }
}

/// `oneOf`/`anyOf` whose members are each one constant (`{const: v, title: ...}`,
/// already rewritten to `{enum: [v]}`) is an `enum`; the members' titles and
/// descriptions are listed in the description.
fn const_alternatives(map: &mut Map<String, Value>) {
    if map.contains_key("enum") {
        return;
    }
    let key = match (map.get("oneOf"), map.get("anyOf")) {
        (Some(_), None) => "oneOf",
        (None, Some(_)) => "anyOf",
        _ => return,
    };
    let Some(Value::Array(members)) = map.get(key) else {
        return;
    };
    const ALLOWED: [&str; 6] = [
        "enum",
        "title",
        "description",
        "deprecated",
        "type",
        "format",
    ];
    let mut values = Vec::new();
    let mut docs = Vec::new();
    for m in members {
        let Some(m) = m.as_object() else { return };
        if !m
            .keys()
            .all(|k| ALLOWED.contains(&k.as_str()) || k.starts_with("x-"))
        {
            return;
        }
        let Some(Value::Array(one)) = m.get("enum") else {
            return;
        };
        let [value] = one.as_slice() else { return };
        let title = m.get("title").and_then(Value::as_str);
        let description = m.get("description").and_then(Value::as_str);
        if title.is_some() || description.is_some() {
            let mut line = format!("- `{value}`");
            if let Some(t) = title {
                line.push_str(&format!(" ({t})"));
            }
            if let Some(d) = description {
                line.push_str(&format!(": {}", d.trim()));
            }
            docs.push(line);
        }
        if !values.contains(value) {
            values.push(value.clone());
        }
    }
    // Without titles or descriptions there is nothing to keep: the list is left to
    // the lowering, exactly as the same list of one-value enums is in 3.0.
    if values.is_empty() || docs.is_empty() {
        return;
    }
    let member_types: Vec<Option<&Value>> = members.iter().map(|m| m.get("type")).collect();
    let declared = match member_types.first() {
        Some(Some(t)) if member_types.iter().all(|m| *m == Some(*t)) => Some((*t).clone()),
        _ => None,
    };
    map.shift_remove(key);
    if let (false, Some(t)) = (map.contains_key("type"), declared) {
        map.insert("type".into(), t);
    }
    if !map.contains_key("type") {
        let t = if values.iter().all(|v| v.is_string() || v.is_null()) {
            Some("string")
        } else if values
            .iter()
            .all(|v| v.is_i64() || v.is_u64() || v.is_null())
        {
            Some("integer")
        } else if values.iter().all(|v| v.is_number() || v.is_null()) {
            Some("number")
        } else if values.iter().all(|v| v.is_boolean() || v.is_null()) {
            Some("boolean")
        } else {
            None
        };
        if let Some(t) = t {
            map.insert("type".into(), json!(t));
        }
    }
    if values.iter().any(Value::is_null) {
        map.insert("nullable".into(), json!(true));
    }
    map.insert("enum".into(), Value::Array(values));
    if !docs.is_empty() {
        let list = format!("Values:\n{}", docs.join("\n"));
        let description = match map.get("description").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => format!("{}\n\n{list}", d.trim_end()),
            _ => list,
        };
        map.insert("description".into(), json!(description));
    }
}

/// One schema per type of a `type` list, each taking its type's keywords (and
/// enum values) from `map`; annotations stay on `map`.
fn split_by_type(map: &mut Map<String, Value>, types: &[String]) -> Vec<Value> {
    let format_owner = map.get("format").and_then(Value::as_str).map(|f| {
        let wanted = match f {
            "int32" | "int64" => "integer",
            "float" | "double" => "number",
            _ => "string",
        };
        if types.iter().any(|t| t == wanted) {
            wanted.to_string()
        } else {
            types[0].clone()
        }
    });
    let values: Option<Vec<Value>> = match map.shift_remove("enum") {
        Some(Value::Array(v)) => Some(v),
        _ => None,
    };
    let mut members = Vec::new();
    for t in types {
        let mut member = Map::new();
        member.insert("type".into(), json!(t));
        let keywords: &[&str] = match t.as_str() {
            "string" => &STRING_KEYWORDS,
            "number" | "integer" => &NUMBER_KEYWORDS,
            "array" => &ARRAY_KEYWORDS,
            "object" => &OBJECT_KEYWORDS,
            _ => &[],
        };
        for k in keywords {
            if let Some(v) = map.get(*k) {
                member.insert((*k).into(), v.clone());
            }
        }
        if format_owner.as_deref() == Some(t.as_str()) {
            if let Some(f) = map.get("format") {
                member.insert("format".into(), f.clone());
            }
        }
        if let Some(values) = &values {
            let of_type: Vec<Value> = values
                .iter()
                .filter(|v| match t.as_str() {
                    "string" => v.is_string(),
                    "integer" => v.is_i64() || v.is_u64(),
                    "number" => v.is_number(),
                    "boolean" => v.is_boolean(),
                    "object" => v.is_object(),
                    "array" => v.is_array(),
                    _ => false,
                })
                .cloned()
                .collect();
            if of_type.is_empty() {
                // No value of this type is allowed: the member can never match.
                continue;
            }
            member.insert("enum".into(), Value::Array(of_type));
        }
        members.push(Value::Object(member));
    }
    for k in STRING_KEYWORDS
        .iter()
        .chain(&NUMBER_KEYWORDS)
        .chain(&ARRAY_KEYWORDS)
        .chain(&OBJECT_KEYWORDS)
        .chain(&["format"])
    {
        map.shift_remove(*k);
    }
    members
}
