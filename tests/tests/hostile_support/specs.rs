//! A structural generator of OpenAPI documents for the fuzz: random specs built from
//! recursive schemas (references between components, nullable `allOf` wrappers, `allOf`
//! of repeated members, unions with discriminators, maps, arrays) with hostile names and
//! text everywhere; and mutations of seed specs (the fragment in `spec/`, the features
//! fixture and the hostile fixtures) that make them recursive or `allOf`-heavy.
//! Specs are JSON values; what the generator must do with them is the tests' business.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::repo_root;

/// Component names: collisions with what generated code names (`Option`, `Into`,
/// `Client`, `Self`), resource and crate names, symbols, backticks.
const NAMES: &[&str] = &[
    "Node",
    "Pet",
    "lib",
    "default",
    "serde",
    "Option",
    "Into",
    "Self",
    "type",
    "a b",
    "X`y",
    "Client",
    "Value",
    "ThingsResource",
    "String",
    "Box",
    "Result",
    "clear_foo",
    "Thing",
    "std",
];

/// Property names: keywords, symbols, case collisions, `clear_` prefixes, line breaks.
const PROPS: &[&str] = &[
    "foo",
    "clear_foo",
    "type",
    "self",
    "Self",
    "a-b",
    "a_b",
    "new",
    "",
    "`x`",
    "1st",
    "kind",
    "value",
    "next",
    "parent",
    "additional_properties",
    "body",
    "crate",
    "super",
    "é",
    "foo\n\n    panic!(\"property\");",
    "id",
];

/// Prose that would be code if it reached rustdoc as is.
const TEXTS: &[&str] = &[
    "Plain text.",
    "```\npanic!(\"fence\");\n```",
    "~~~\npanic!(\"tilde\");\n~~~",
    "Tab:\n\n\tpanic!(\"tab\");",
    "x\n\n    panic!(\"indented\");",
    "-     panic!(\"list\");",
    "<script>alert(1)</script> [link] https://example.com",
    "odd ` tick",
    "````\n```\npanic!(\"nested\");\n````",
    "1.\t\tpanic!(\"ordered\");",
];

const OPERATION_IDS: &[&str] = &[
    "op",
    "edit\n\n    panic!(\"operationId\");\n",
    "get-things",
    "Op`x",
    "",
    "x y z",
];

const PATHS: &[&str] = &[
    "/things",
    "/things/{id}",
    "/lib",
    "/default",
    "/serde/items",
    "/a/b/c",
    "/runtime",
    "/main",
    "/x`y",
    "/{id}",
    "/std/chrono/{id}",
];

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

const GROUPS: &[&[&str]] = &[
    &["lib"],
    &["a", "serde"],
    &["default"],
    &["std", "chrono"],
    &["things"],
    &["bin"],
    &["things", "serde_json"],
];

const FORMATS: &[&str] = &[
    "date-time",
    "email",
    "uuid",
    "binary",
    "int32",
    "date\n\n    x",
];

const PATTERNS: &[&str] = &["^[a-z]+$", "^(?!admin).*$", "^(a)\\1$", "a`b\n\n    c"];

/// A component reference, resolved to a name once the names are known.
fn reference(index: usize) -> Value {
    json!({ "$ref": format!("#C{index}") })
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            proptest::option::of(0..FORMATS.len()),
            proptest::option::of(0..PATTERNS.len()),
            proptest::option::of(0u64..5),
            any::<bool>()
        )
            .prop_map(|(format, pattern, max, enumerated)| {
                let mut s = json!({"type": "string"});
                if let Some(f) = format {
                    s["format"] = json!(FORMATS[f]);
                }
                if let Some(p) = pattern {
                    s["pattern"] = json!(PATTERNS[p]);
                }
                if let Some(m) = max {
                    s["maxLength"] = json!(m);
                }
                if enumerated {
                    s["enum"] = json!(["a", "A", "a b", "", "x\n\n    panic!(\"enum\");", "`"]);
                }
                s
            }),
        (any::<bool>(), proptest::option::of(-5i64..5)).prop_map(|(integer, min)| {
            let mut s = json!({"type": if integer { "integer" } else { "number" }});
            if let Some(m) = min {
                s["minimum"] = json!(m);
            }
            s
        }),
        Just(json!({"type": "boolean"})),
        Just(json!({})),
        Just(json!({"enum": [null]})),
        (0usize..8).prop_map(reference),
        (0usize..8).prop_map(reference),
    ]
}

fn described(schema: Value, text: Option<usize>) -> Value {
    match (schema, text) {
        (Value::Object(mut m), Some(t)) if !m.contains_key("$ref") => {
            m.insert("description".into(), json!(TEXTS[t]));
            Value::Object(m)
        }
        (s, _) => s,
    }
}

/// A schema: leaves, and objects, arrays, maps, `allOf`s, unions and nullable
/// references nested a few levels.
pub fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            3 => (
                proptest::collection::vec((0..PROPS.len(), inner.clone()), 1..4),
                any::<u8>(),
                any::<bool>(),
                proptest::option::of(0..TEXTS.len()),
            )
                .prop_map(|(props, required, nullable, text)| {
                    let mut properties = Map::new();
                    let mut names = Vec::new();
                    for (i, (name, s)) in props.into_iter().enumerate() {
                        properties.insert(PROPS[name].to_string(), s);
                        if required & (1 << i) != 0 {
                            names.push(PROPS[name]);
                        }
                    }
                    let mut s = json!({"type": "object", "properties": properties, "required": names});
                    if nullable {
                        s["nullable"] = json!(true);
                    }
                    described(s, text)
                }),
            1 => (inner.clone(), any::<bool>()).prop_map(|(items, nullable)| {
                json!({"type": "array", "items": items, "nullable": nullable})
            }),
            1 => inner.clone().prop_map(|values| json!({"type": "object", "additionalProperties": values})),
            2 => (proptest::collection::vec(inner.clone(), 1..4), any::<bool>(), 0usize..8)
                .prop_map(|(mut members, nullable, again)| {
                    // allOf-heavy: the same member repeated, and a reference.
                    members.push(reference(again));
                    members.push(reference(again));
                    json!({"allOf": members, "nullable": nullable})
                }),
            2 => (proptest::collection::vec(inner.clone(), 2..4), any::<bool>(), proptest::option::of(0..PROPS.len()))
                .prop_map(|(members, one, discriminator)| {
                    let mut s = json!({ if one { "oneOf" } else { "anyOf" }: members });
                    if let Some(d) = discriminator {
                        s["discriminator"] = json!({"propertyName": PROPS[d]});
                    }
                    s
                }),
            // The OpenAPI 3.0 idiom for a nullable reference, recursive when it points up.
            2 => (0usize..8).prop_map(|c| json!({"nullable": true, "allOf": [reference(c)]})),
        ]
    })
}

fn operation() -> impl Strategy<Value = (usize, usize, Value)> {
    (
        0..PATHS.len(),
        0..METHODS.len(),
        proptest::option::of(0..OPERATION_IDS.len()),
        proptest::option::of(0..GROUPS.len()),
        proptest::option::of(schema()),
        proptest::option::of(schema()),
        proptest::option::of((0..PROPS.len(), leaf(), any::<bool>())),
        proptest::option::of(0..TEXTS.len()),
    )
        .prop_map(|(path, method, id, group, body, response, param, text)| {
            let mut op = json!({"responses": {"204": {"description": "no content"}}});
            if let Some(id) = id {
                op["operationId"] = json!(OPERATION_IDS[id]);
            }
            if let Some(g) = group {
                op["x-fern-sdk-group-name"] = json!(GROUPS[g]);
            }
            if let Some(t) = text {
                op["summary"] = json!(TEXTS[t]);
                op["description"] = json!(TEXTS[(t + 1) % TEXTS.len()]);
            }
            let mut parameters = Vec::new();
            if PATHS[path].contains("{id}") {
                parameters.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
            }
            if let Some((name, schema, header)) = param {
                parameters.push(json!({"name": PROPS[name], "in": if header { "header" } else { "query" }, "schema": schema}));
            }
            op["parameters"] = json!(parameters);
            if let Some(body) = body {
                op["requestBody"] = json!({"content": {"application/json": {"schema": body}}});
            }
            if let Some(response) = response {
                op["responses"] = json!({"200": {"description": "ok", "content": {"application/json": {"schema": response}}}});
            }
            (path, method, op)
        })
}

/// A random spec with 1 to 7 components and 1 to 4 operations.
pub fn random_spec() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((0..NAMES.len(), schema()), 1..8),
        proptest::collection::vec(operation(), 1..5),
        proptest::option::of(0..TEXTS.len()),
    )
        .prop_map(|(components, operations, text)| {
            let mut names: Vec<String> = Vec::new();
            let mut schemas = Map::new();
            for (name, schema) in components {
                let mut name = NAMES[name].to_string();
                if names.contains(&name) {
                    name = format!("{name}{}", names.len());
                }
                names.push(name.clone());
                schemas.insert(name, schema);
            }
            let mut paths = Map::new();
            for (path, method, op) in operations {
                let item = paths
                    .entry(PATHS[path].to_string())
                    .or_insert_with(|| json!({}));
                item[METHODS[method]] = op;
            }
            let mut spec = json!({
                "openapi": "3.0.3",
                "info": {"title": "Fuzz", "version": "1.0.0", "description": text.map(|t| TEXTS[t])},
                "servers": [{"url": "https://api.example.com"}],
                "paths": paths,
                "components": {"schemas": schemas},
            });
            resolve_refs(&mut spec, &names);
            spec
        })
}

/// Turns the `#C{n}` placeholders into references to the `n % len`-th component.
fn resolve_refs(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(n) = r.strip_prefix("#C").and_then(|n| n.parse::<usize>().ok()) {
                    let name = &names[n % names.len()];
                    *r = format!(
                        "#/components/schemas/{}",
                        apigen::error::pointer_token(name)
                    );
                }
            }
            map.values_mut().for_each(|v| resolve_refs(v, names));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_refs(v, names)),
        _ => {}
    }
}

/// The seeds the mutations start from.
pub fn seeds() -> Vec<Value> {
    let root = repo_root();
    let mut paths = vec![
        root.join("spec/openapi.yaml"),
        root.join("tests/fixtures/features.yaml"),
    ];
    for name in [
        "recursive-nullable-allof.yaml",
        "allof-fan-out.yaml",
        "clear-collision.yaml",
        "reserved-resources.yaml",
        "shadowing-crates.yaml",
        "hostile-docs.yaml",
        "unsupported-pattern.yaml",
    ] {
        paths.push(root.join("tests/fixtures/hostile").join(name));
    }
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("seed readable");
            serde_yaml::from_str(&text).expect("seed is YAML")
        })
        .collect()
}

/// One structural change to a seed spec.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// The schema at a position becomes a reference to a component.
    Reference(usize, usize),
    /// ... a nullable `allOf` of a reference (recursive when it names its own component).
    NullableReference(usize, usize),
    /// A component becomes `allOf: [itself, itself, what it was]`.
    FanOut(usize),
    /// The schema at a position is merged with an object holding a hostile property.
    MergeWith(usize, usize),
    /// The schema at a position becomes nullable.
    Nullable(usize),
    /// ... gets a hostile description.
    Describe(usize, usize),
    /// ... becomes an array of itself.
    ArrayOf(usize),
    /// ... becomes a union of itself and a component.
    OneOfWith(usize, usize),
    /// An operation gets a hostile operationId.
    OperationId(usize, usize),
    /// An operation moves to another SDK resource.
    Group(usize, usize),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0usize..1000;
    prop_oneof![
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::Reference(a, b)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::NullableReference(a, b)),
        n.clone().prop_map(Mutation::FanOut),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::MergeWith(a, b)),
        n.clone().prop_map(Mutation::Nullable),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::Describe(a, b)),
        n.clone().prop_map(Mutation::ArrayOf),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::OneOfWith(a, b)),
        (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::OperationId(a, b)),
        (n.clone(), n).prop_map(|(a, b)| Mutation::Group(a, b)),
    ]
}

/// JSON pointers of every schema position in a spec, with the component each is in.
fn schema_positions(spec: &Value) -> Vec<(String, Option<String>)> {
    fn walk(
        v: &Value,
        at: String,
        component: &Option<String>,
        out: &mut Vec<(String, Option<String>)>,
    ) {
        let Some(map) = v.as_object() else { return };
        out.push((at.clone(), component.clone()));
        if let Some(Value::Object(props)) = map.get("properties") {
            for (k, p) in props {
                walk(
                    p,
                    format!("{at}/properties/{}", apigen::error::pointer_token(k)),
                    component,
                    out,
                );
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = map.get(key).filter(|i| i.is_object()) {
                walk(inner, format!("{at}/{key}"), component, out);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                for (i, m) in members.iter().enumerate() {
                    walk(m, format!("{at}/{key}/{i}"), component, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(Value::Object(schemas)) = spec.pointer("/components/schemas") {
        for (name, s) in schemas {
            let at = format!("/components/schemas/{}", apigen::error::pointer_token(name));
            walk(s, at, &Some(name.clone()), &mut out);
        }
    }
    for (at, _) in operation_positions(spec) {
        let op = spec.pointer(&at).expect("found above");
        if let Some(Value::Object(content)) = op.pointer("/requestBody/content") {
            for (media, m) in content {
                if let Some(s) = m.get("schema") {
                    walk(
                        s,
                        format!(
                            "{at}/requestBody/content/{}/schema",
                            apigen::error::pointer_token(media)
                        ),
                        &None,
                        &mut out,
                    );
                }
            }
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, r) in responses {
                if let Some(Value::Object(content)) = r.get("content") {
                    for (media, m) in content {
                        if let Some(s) = m.get("schema") {
                            walk(
                                s,
                                format!(
                                    "{at}/responses/{code}/content/{}/schema",
                                    apigen::error::pointer_token(media)
                                ),
                                &None,
                                &mut out,
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

fn operation_positions(spec: &Value) -> Vec<(String, ())> {
    let mut out = Vec::new();
    if let Some(Value::Object(paths)) = spec.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(*method).is_some() {
                    out.push((
                        format!("/paths/{}/{method}", apigen::error::pointer_token(path)),
                        (),
                    ));
                }
            }
        }
    }
    out
}

fn component_names(spec: &Value) -> Vec<String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn component_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", apigen::error::pointer_token(name)) })
}

/// Applies mutations to a seed; a mutation with nothing to act on does nothing.
pub fn mutate(mut spec: Value, mutations: &[Mutation]) -> Value {
    for m in mutations {
        let positions = schema_positions(&spec);
        let names = component_names(&spec);
        let ops = operation_positions(&spec);
        let pick = |i: usize| positions.get(i % positions.len().max(1)).cloned();
        let name = |i: usize| names.get(i % names.len().max(1)).cloned();
        match m {
            Mutation::Reference(at, c) | Mutation::NullableReference(at, c) => {
                let (Some((at, own)), Some(target)) = (pick(*at), name(*c)) else {
                    continue;
                };
                // Half the time, point back at the enclosing component: recursion.
                let target = if c % 2 == 0 {
                    own.unwrap_or(target)
                } else {
                    target
                };
                let new = match m {
                    Mutation::Reference(..) => component_ref(&target),
                    _ => json!({"nullable": true, "allOf": [component_ref(&target)]}),
                };
                if let Some(slot) = spec.pointer_mut(&at) {
                    *slot = new;
                }
            }
            Mutation::FanOut(c) => {
                let Some(target) = name(*c) else { continue };
                let at = format!(
                    "/components/schemas/{}",
                    apigen::error::pointer_token(&target)
                );
                if let Some(slot) = spec.pointer_mut(&at) {
                    let old = slot.take();
                    *slot = json!({"allOf": [component_ref(&target), component_ref(&target), old]});
                }
            }
            Mutation::MergeWith(at, p) => {
                let Some((at, _)) = pick(*at) else { continue };
                if let Some(slot) = spec.pointer_mut(&at) {
                    let old = slot.take();
                    *slot = json!({"allOf": [old, {"type": "object", "properties": {PROPS[p % PROPS.len()]: {"type": "string", "nullable": true}}}]});
                }
            }
            Mutation::Nullable(at) => {
                let Some((at, _)) = pick(*at) else { continue };
                if let Some(Value::Object(slot)) = spec.pointer_mut(&at) {
                    slot.insert("nullable".into(), json!(true));
                }
            }
            Mutation::Describe(at, t) => {
                let Some((at, _)) = pick(*at) else { continue };
                if let Some(Value::Object(slot)) = spec.pointer_mut(&at) {
                    slot.insert("description".into(), json!(TEXTS[t % TEXTS.len()]));
                }
            }
            Mutation::ArrayOf(at) => {
                let Some((at, _)) = pick(*at) else { continue };
                if let Some(slot) = spec.pointer_mut(&at) {
                    let old = slot.take();
                    *slot = json!({"type": "array", "items": old});
                }
            }
            Mutation::OneOfWith(at, c) => {
                let (Some((at, _)), Some(target)) = (pick(*at), name(*c)) else {
                    continue;
                };
                if let Some(slot) = spec.pointer_mut(&at) {
                    let old = slot.take();
                    *slot = json!({"oneOf": [old, component_ref(&target)]});
                }
            }
            Mutation::OperationId(o, i) => {
                let Some((at, ())) = ops.get(o % ops.len().max(1)).cloned() else {
                    continue;
                };
                if let Some(Value::Object(op)) = spec.pointer_mut(&at) {
                    op.insert(
                        "operationId".into(),
                        json!(OPERATION_IDS[i % OPERATION_IDS.len()]),
                    );
                }
            }
            Mutation::Group(o, g) => {
                let Some((at, ())) = ops.get(o % ops.len().max(1)).cloned() else {
                    continue;
                };
                if let Some(Value::Object(op)) = spec.pointer_mut(&at) {
                    op.insert(
                        "x-fern-sdk-group-name".into(),
                        json!(GROUPS[g % GROUPS.len()]),
                    );
                }
            }
        }
    }
    spec
}

/// Specs for the fuzz: random ones, and seeds mutated 1 to 6 times.
pub fn spec() -> impl Strategy<Value = Value> {
    let seeds = seeds();
    let count = seeds.len();
    prop_oneof![
        1 => random_spec(),
        1 => (0..count, proptest::collection::vec(mutation(), 1..7))
            .prop_map(move |(seed, mutations)| mutate(seeds[seed].clone(), &mutations)),
    ]
}
