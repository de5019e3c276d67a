//! `tests/fixtures/features.yaml` packs the spec features real APIs throw at a
//! generator (discriminated and untagged unions, recursion, maps, `allOf`
//! conflicts, keywords and symbols as names, colliding names, binary, text,
//! multipart and form bodies, header/cookie/array/date-time parameters, `4XX`
//! and `default` responses, hostile descriptions). This generates a crate from
//! it, adds a test file that exercises the generated types, and runs
//! `cargo test` there: it must compile without warnings and pass.
//!
//! Slow-ish (a separate crate to build), so `#[ignore]`d; `./test.sh` runs it.

mod crate_harness;

use std::process::Command;

use crate_harness::repo_root;

const CRATE_TEST: &str = r#####"
use features::types::*;
use serde_json::json;

#[test]
fn discriminator_picks_the_variant() {
    // Untagged decoding would take `Cat` (it accepts any object with `kind`).
    let dog: Pet = serde_json::from_value(json!({"kind": "dog", "lives": 3, "good": true})).unwrap();
    assert!(matches!(dog, Pet::Dog(ref d) if d.good == Some(true)), "{dog:?}");
    let cat: Pet = serde_json::from_value(json!({"kind": "cat", "lives": 9})).unwrap();
    assert!(matches!(cat, Pet::Cat(_)));
    // An unknown tag falls back to the first variant that fits.
    let other: Pet = serde_json::from_value(json!({"kind": "ferret"})).unwrap();
    assert!(matches!(other, Pet::Cat(_)));
    assert_eq!(serde_json::to_value(&dog).unwrap()["kind"], "dog");
}

#[test]
fn untagged_unions_and_recursion() {
    assert_eq!(serde_json::from_value::<Scalar>(json!(3)).unwrap(), Scalar::Integer(3));
    assert_eq!(serde_json::from_value::<Scalar>(json!("x")).unwrap(), Scalar::String("x".into()));
    let node: Node = serde_json::from_value(json!({"value": "leaf", "parent": {"value": "root"}, "children": [{"value": "c"}]})).unwrap();
    assert_eq!(node.parent.unwrap().value.as_deref(), Some("root"));
    assert_eq!(node.children.unwrap()[0].value.as_deref(), Some("c"));
}

#[test]
fn the_maintainers_type_hooks_apply() {
    fn eq_and_hash<T: Eq + std::hash::Hash>() {}
    eq_and_hash::<Keywords>();
    // `Cat` denies unknown fields: a dog's `good` does not fit it.
    assert!(serde_json::from_value::<Cat>(json!({"kind": "cat", "good": true})).is_err());
    // `Opaque` is the maintainer's type (`serde_json::Value`): nothing was generated for it.
    let item: features::things::ThingListResponseItem = serde_json::from_value(json!({"opaque": {"x": "y", "z": 1}})).unwrap();
    let opaque: serde_json::Value = item.opaque.unwrap();
    assert_eq!(opaque["z"], 1);
}

#[test]
fn maps_and_extra_properties() {
    // `Labels` (a map of strings) is inlined where it is used.
    let item: features::things::ThingListResponseItem = serde_json::from_value(json!({"labels": {"a": "x", "b": "y"}})).unwrap();
    assert_eq!(item.labels.unwrap().get("b").map(String::as_str), Some("y"));
    let ext: Extensible = serde_json::from_value(json!({"name": "n", "extra": 1})).unwrap();
    assert_eq!(ext.additional_properties.get("extra"), Some(&json!(1)));
    assert_eq!(serde_json::to_value(&ext).unwrap(), json!({"name": "n", "extra": 1}));
}

#[test]
fn names_from_keywords_and_symbols_keep_their_wire_names() {
    // Generated types are `#[non_exhaustive]`: built from `Default`, field by field.
    let mut k = Keywords::default();
    k.r#type = Some("t".into());
    k.self_ = Some("s".into());
    k._1st = Some("1".into());
    k.a_minus_b = Some("ab".into());
    k.a_b = Some("a_b".into());
    k.lt = Some("<".into());
    k.gt_eq = Some(">=".into());
    k.r#async = Some(1);
    let v = serde_json::to_value(&k).unwrap();
    for key in ["type", "self", "1st", "a-b", "a_b", "<", ">=", "async"] {
        assert!(v.get(key).is_some(), "{key} in {v}");
    }
    assert_eq!(serde_json::to_value(Levels::Lt1y).unwrap(), json!("<1y"));
    assert_eq!(serde_json::to_value(Levels::Gt1y).unwrap(), json!(">1y"));
    assert_eq!(serde_json::to_value(Levels::SelfValue).unwrap(), json!("Self"));
    assert_eq!(serde_json::from_value::<Levels>(json!("new")).unwrap(), Levels::Unknown("new".into()));
}

#[test]
fn conflicting_all_of_envelopes_unwrap_to_an_optional_result() {
    // `Merged` is an envelope (success + result) whose failure member makes `result`
    // nullable: the method returns the result, optional.
    fn _returns_the_result(client: &features::Client) -> features::ApiRequest<Option<Node>> {
        client.trees().update(features::trees::TreeUpdateParams::new())
    }
}

#[test]
fn operations_have_the_expected_signatures() {
    // Compile-time checks of the generated methods and their parameter/return types.
    fn _signatures(client: &features::Client) {
        let _: features::ApiRequest<Pet> = client.pets().get(features::pets::PetGetParams::new("p1").fields(vec!["a".to_string()]).x_trace("t").session("s"));
        let _: features::ApiRequest<Vec<u8>> = client.pets().photo().list(features::pets::photo::PhotoListParams::new("p1"));
        let _: features::ApiRequest<()> = client.pets().photo().update(features::pets::photo::PhotoUpdateParams::new("p1", "bytes".to_string()));
        let _: features::ApiRequest<()> = client.pets().photo().create(features::pets::photo::PhotoCreateParams::new("p1", "file".to_string()).caption("c"));
        let _: features::ApiRequest<String> = client.notes().create(features::notes::NoteCreateParams::new().body("text"));
        let _ = client.things().stream_live_input().list();
        let _ = client.things().stream_live_input_api().list();
    }
}

#[test]
fn hostile_descriptions_stayed_text() {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    // (`cargo test` also ran this crate's doctests: none came from the description.)
    assert!(lib.contains("&lt;script&gt;") && !lib.contains("<script>"), "HTML is escaped");
    assert!(lib.contains("\\[brackets\\]"), "brackets cannot become intra-doc links");
}
"#####;

#[test]
#[ignore = "builds a separate crate: run by ./test.sh"]
fn the_features_fixture_generates_compiles_and_behaves() {
    generate_and_test(apigen::Runtime::Vendored);
}

#[test]
#[ignore = "builds a separate crate: run by ./test.sh"]
fn the_features_fixture_works_against_the_runtime_crate() {
    // The generated crate depends on runtime/ instead of carrying a copy.
    let runtime = repo_root().join("runtime");
    generate_and_test(apigen::Runtime::Path(runtime.display().to_string()));
}

/// Generates the fixture's crate with this runtime, adds `CRATE_TEST`, and
/// runs `cargo test` there with warnings denied.
fn generate_and_test(runtime: apigen::Runtime) {
    let spec = repo_root().join("tests/fixtures/features.yaml");
    let dir = tempfile::Builder::new()
        .prefix("apigen-features-")
        .tempdir()
        .unwrap();
    let mut config = apigen::Config::for_spec(&spec, dir.path());
    config.crate_name = Some("features".into());
    config.runtime = runtime;
    config.settings = apigen::Settings::from_toml(
        r##"
[types.Keywords]
derives = ["Eq", "Hash"]
[types.Cat]
attributes = ["#[serde(deny_unknown_fields)]"]
[types.Opaque]
replace_with = "serde_json::Value"
"##,
        std::path::Path::new("apigen.toml"),
    )
    .expect("the settings read");
    let generated = apigen::generate(&config).expect("the fixture generates");
    assert_eq!(generated.operations, 10);
    let reasons: Vec<&str> = generated
        .report
        .iter()
        .map(|f| f.pointer.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "#/components/schemas/Failure/properties/result",
            "#/components/schemas/Mixed"
        ],
        "exactly the degraded pieces are reported, with their pointers"
    );
    apigen::write::write(dir.path(), &generated.files).unwrap();
    let manifest = dir.path().join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap();
    toml.push_str("\n[dev-dependencies]\nserde_json = \"1\"\n");
    std::fs::write(&manifest, toml).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(dir.path().join("tests/types.rs"), CRATE_TEST).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--quiet"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", repo_root().join("target/whole-spec"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo test in the generated crate failed:\n{stdout}\n{stderr}"
    );
    eprintln!("{stdout}");
}

/// `tests/fixtures/features-3.1.yaml`: one schema or operation per OpenAPI 3.1
/// construct, and every security scheme kind. It generates with exactly the
/// approximations listed (each with the pointer of the original construct), and
/// `tests/crate_tests/features31.rs` runs in the crate: types, validation, and
/// requests against a local server.
#[test]
#[ignore = "builds a separate crate: run by ./test.sh"]
fn the_3_1_fixture_generates_compiles_and_behaves() {
    let spec = repo_root().join("tests/fixtures/features-3.1.yaml");
    let dir = tempfile::Builder::new()
        .prefix("apigen-features31-")
        .tempdir()
        .unwrap();
    let mut config = apigen::Config::for_spec(&spec, dir.path());
    config.crate_name = Some("features31".into());
    let generated = apigen::generate(&config).expect("the fixture generates");
    // 7 paths (one from components.pathItems, with two methods); the webhook is not one.
    assert_eq!(generated.operations, 9);
    let report: Vec<(&str, &str)> = generated
        .report
        .iter()
        .map(|f| (f.pointer.as_str(), f.reason.split(' ').next().unwrap_or("")))
        .collect();
    assert_eq!(
        report,
        [
            ("#/components/schemas/Conditional", "`if`/`then`/`else`"),
            ("#/components/schemas/Pair", "`prefixItems`"),
            ("#/webhooks/thingCreated/post", "webhook:"),
        ],
        "exactly the approximated constructs are reported, at their original pointers"
    );
    apigen::write::write(dir.path(), &generated.files).unwrap();
    crate_harness::run_crate_test(
        dir.path(),
        "features31",
        include_str!("../crate_tests/features31.rs"),
    );
}
