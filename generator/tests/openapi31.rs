//! OpenAPI 3.1 input keeps the 3.0 invariants: a document generates the same crate
//! (and `apigen diff` sees no change) whether it is written in 3.0 or 3.1; output
//! does not depend on key order; malformed 3.1 keywords never panic; Swagger 2.0
//! and other versions exit 2 naming the version.

mod common;

#[path = "common/to31.rs"]
mod to31;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

fn read_tree(path: &Path) -> Value {
    let text = apigen::parse::read_spec_text(path).expect("spec readable");
    serde_yaml::from_str(&text).expect("YAML or JSON")
}

fn generate_text(text: &str, name: &str) -> apigen::Result<apigen::Generated> {
    let spec = apigen::parse::parse_str(text, Path::new(name))?;
    let mut config = apigen::Config::for_spec(PathBuf::from("spec.yaml"), Path::new("out"));
    config.crate_name = Some("api".into());
    apigen::generate_from(&spec, &config)
}

fn texts(generated: &apigen::Generated) -> Vec<(String, String)> {
    generated
        .files
        .iter()
        .map(|f| (f.path.display().to_string(), f.text.clone()))
        .collect()
}

fn fixtures_30() -> Vec<PathBuf> {
    let root = common::repo_root();
    vec![
        root.join("spec/openapi.yaml"),
        root.join("tests/fixtures/features.yaml"),
    ]
}

#[test]
fn a_3_0_document_and_its_3_1_translation_generate_the_same_crate() {
    for path in fixtures_30() {
        let tree = read_tree(&path);
        let mut translated = tree.clone();
        to31::to_31(&mut translated);
        assert_ne!(
            tree,
            translated,
            "{}: the translation changed something",
            path.display()
        );
        let v30 = generate_text(&serde_json::to_string(&tree).unwrap(), "v30.json").unwrap();
        let v31 = generate_text(&serde_json::to_string(&translated).unwrap(), "v31.json").unwrap();
        assert_eq!(v30.operations, v31.operations);
        assert_eq!(v30.report, v31.report, "{}: same report", path.display());
        let (a, b) = (texts(&v30), texts(&v31));
        assert_eq!(a.len(), b.len());
        for ((pa, ta), (pb, tb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb);
            assert!(
                ta == tb,
                "{}: {pa} differs between 3.0 and 3.1",
                path.display()
            );
        }
    }
}

fn apigen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("apigen runs")
}

#[test]
fn apigen_diff_works_across_3_0_and_3_1_versions_of_one_api() {
    let dir = tempfile::tempdir().unwrap();
    let tree = read_tree(&common::repo_root().join("spec/openapi.yaml"));
    let mut v31 = tree.clone();
    to31::to_31(&mut v31);
    std::fs::write(dir.path().join("v30.json"), tree.to_string()).unwrap();
    std::fs::write(dir.path().join("v31.json"), v31.to_string()).unwrap();
    let out = apigen(
        &["diff", "v30.json", "v31.json", "--format", "json"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["changes"],
        json!([]),
        "the same API in 3.0 and 3.1 spelling"
    );

    // The 3.1 version gains an operation written with 3.1 keywords.
    v31["paths"]["/status"] = json!({"get": {
        "operationId": "status-get",
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": ["object", "null"], "properties": {"up": {"const": true}}}
        }}}}
    }});
    std::fs::write(dir.path().join("v31.json"), v31.to_string()).unwrap();
    let out = apigen(
        &["diff", "v30.json", "v31.json", "--format", "json"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["operation-added"]);
    // And back: removing it from a 3.1 document breaks.
    let out = apigen(&["diff", "v31.json", "v30.json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn reverse_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reverse_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(reverse_keys).collect()),
        other => other,
    }
}

#[test]
fn the_3_1_fixture_generates_identically_whatever_its_key_order() {
    let tree = read_tree(&common::repo_root().join("tests/fixtures/features-3.1.yaml"));
    let a = generate_text(&tree.to_string(), "a.json").unwrap();
    let b = generate_text(&reverse_keys(tree).to_string(), "b.json").unwrap();
    assert_eq!(a.report, b.report);
    assert!(texts(&a) == texts(&b), "output depends on key order");
    assert_eq!(
        texts(&a),
        texts(
            &generate_text(
                &read_tree(&common::repo_root().join("tests/fixtures/features-3.1.yaml"))
                    .to_string(),
                "c.json"
            )
            .unwrap()
        )
    );
}

/// Every 3.1 keyword the normaliser reads, given values of the wrong kind.
#[test]
fn malformed_3_1_keywords_never_panic() {
    let odd = [
        json!(null),
        json!(true),
        json!(false),
        json!(1),
        json!("x"),
        json!([]),
        json!([1, null, "y"]),
        json!({}),
        json!({"$ref": 1}),
        json!({"type": ["null"]}),
    ];
    let keywords = [
        "type",
        "const",
        "examples",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "$ref",
        "prefixItems",
        "items",
        "contentEncoding",
        "contentMediaType",
        "$defs",
        "patternProperties",
        "if",
        "oneOf",
        "anyOf",
        "allOf",
        "properties",
        "required",
        "enum",
        "$schema",
        "$dynamicRef",
        "unevaluatedProperties",
    ];
    let mut outcomes = (0, 0);
    for keyword in keywords {
        for value in &odd {
            for with_ref in [false, true] {
                let mut schema = json!({"description": "d"});
                schema[keyword] = value.clone();
                if with_ref && keyword != "$ref" {
                    schema["$ref"] = json!("#/components/schemas/S");
                }
                let doc = json!({
                    "openapi": "3.1.0",
                    "info": {"title": "t", "version": "1", "summary": value, "license": {"name": "x", "identifier": value}},
                    "jsonSchemaDialect": value,
                    "webhooks": value,
                    "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}},
                              "/b": {"$ref": value}},
                    "components": {"schemas": {"S": schema}, "pathItems": value}
                });
                let result = std::panic::catch_unwind(|| {
                    generate_text(&doc.to_string(), "odd.json").map(|_| ())
                });
                match result {
                    Ok(Ok(())) => outcomes.0 += 1,
                    Ok(Err(apigen::Error::Spec { pointer, .. })) => {
                        assert!(pointer.starts_with('#'), "{pointer}");
                        outcomes.1 += 1
                    }
                    Ok(Err(other)) => panic!("{keyword} = {value}: unexpected error {other}"),
                    Err(_) => panic!("{keyword} = {value} (beside $ref: {with_ref}): panicked"),
                }
            }
        }
    }
    assert!(
        outcomes.0 > 0 && outcomes.1 > 0,
        "both outcomes seen: {outcomes:?}"
    );
}

#[test]
fn swagger_2_and_other_versions_exit_2_naming_the_version() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expected) in [
        (
            "s.json",
            r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            "Swagger \"2.0\" (OpenAPI 2.0) is not supported",
        ),
        (
            "v32.yaml",
            "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "unsupported OpenAPI version \"3.2.0\"",
        ),
        (
            "v4.json",
            r#"{"openapi": 4, "info": {}}"#,
            "unsupported OpenAPI version \"4\"",
        ),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let out = apigen(&["generate", "--spec", name, "--out", "out"], dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!dir.path().join("out").exists());
    }
}
