//! Runs inside the crate generated from `tests/fixtures/features-3.1.yaml`
//! (`support.rs` is a copy of `tests/tests/runtime_support/mod.rs`): each 3.1
//! construct as a Rust type and on the wire, and every security scheme kind.

mod support;

use features31::things::{ThingGetParams, ThingUpdateParams};
use features31::types::*;
use features31::uploads::UploadCreateParams;
use features31::{Client, ClientBuilder, Error};
use serde_json::json;
use support::{MockServer, Reply};

fn everything() -> serde_json::Value {
    json!({
        "name": "n", "color": "green", "nickname": null, "either": 7, "constant": "fixed",
        "level": 2, "sample": "first", "ratio": 0.5, "legacy": null, "pair": ["a", 1],
        "encoded": "aGk=", "tree": {"leaf": {"value": 3}},
        "parent": {"name": "p", "color": "red", "parent": null}
    })
}

#[test]
fn each_construct_has_the_expected_rust_type() {
    let e: Everything = serde_json::from_value(everything()).unwrap();
    // type: [string, "null"] on an optional field: absent, null or a value.
    assert!(e.nickname.is_null());
    // type: [string, integer]: an untagged union.
    assert_eq!(e.either, Some(StringOrInteger::Integer(7)));
    // const: a one-value enum.
    assert_eq!(e.constant, Some(Constant::Fixed));
    // oneOf of titled consts: an enum, unknown values kept.
    assert_eq!(e.color, Color::Green);
    assert_eq!(serde_json::from_value::<Color>(json!("blue")).unwrap(), Color::Unknown("blue".into()));
    // An integer oneOf of consts: an integer whose values are checked.
    assert_eq!(e.level, Some(2));
    // prefixItems: items that may be any of the tuple's types.
    assert_eq!(e.pair, Some(vec![PairItem::String("a".into()), PairItem::Integer(1)]));
    // $defs: a named type.
    assert_eq!(e.tree.unwrap().leaf, Some(Leaf { value: Some(3) }));
    // contentEncoding: base64 is text.
    assert_eq!(e.encoded.as_deref(), Some("aGk="));
    // oneOf [null, $ref self]: nullable and boxed.
    let parent = e.parent.into_option().expect("a parent");
    assert_eq!(parent.name, "p");
    assert!(parent.parent.is_null());
    // Unknown integers of the type list decode as the other member.
    assert_eq!(serde_json::from_value::<StringOrInteger>(json!("x")).unwrap(), StringOrInteger::String("x".into()));
}

#[test]
fn docs_carry_what_3_1_put_beside_a_ref_and_in_titles() {
    let types = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/types.rs")).unwrap();
    assert!(types.contains("The thing's colour."), "the description beside $ref documents the field");
    assert!(types.contains("- `2` (HIGH)"), "const titles are listed");
    assert!(types.contains("Example: `\"first\"`"), "the first of `examples`");
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    assert!(lib.contains("Every OpenAPI 3.1 construct the generator reads."), "info.summary");
}

#[test]
fn bounds_from_numeric_and_boolean_exclusive_keywords_are_checked() {
    use features31::runtime::Validate;
    let base = || ThingUpdateParams::new("1", Color::Red, "n");
    assert!(base().ratio(0.5).violations_at("").is_empty());
    for bad in [0.0, 1.0, 2.0] {
        let v = base().ratio(bad).violations_at("");
        assert_eq!(v.len(), 1, "{bad}: {v:?}");
    }
    assert_eq!(base().legacy(0).violations_at("").len(), 1, "3.0 boolean exclusiveMinimum");
    assert!(base().legacy(1).violations_at("").is_empty());
    assert_eq!(base().level(3).violations_at("").len(), 1, "values of the const list");
    assert_eq!(base().nickname("toolong").violations_at("").len(), 1, "maxLength beside a type list");
    assert_eq!(base().either(StringOrInteger::Integer(0)).violations_at("").len(), 1, "minimum of the integer member");
}

async fn call(builder: ClientBuilder, server: &MockServer, path: &str) -> Result<(), Error> {
    let client = builder.base_url(server.url()).max_retries(0).build().unwrap();
    let auth = client.auth();
    match path {
        "basic" => auth.basic().list().await,
        "header" => auth.header().list().await,
        "query" => auth.query().list().await,
        "cookie" => auth.cookie().list().await,
        "oauth" => auth.oauth().list().await,
        "either" => auth.either().list().await,
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn every_security_scheme_kind_is_sent_where_it_belongs() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::status(204));
    call(Client::builder().basic("user:pass"), &server, "basic").await.unwrap();
    call(Client::builder().header_key("hk"), &server, "header").await.unwrap();
    call(Client::builder().query_key("q k"), &server, "query").await.unwrap();
    call(Client::builder().cookie_key("c1"), &server, "cookie").await.unwrap();
    call(Client::builder().oauth("tok"), &server, "oauth").await.unwrap();
    let r = server.requests();
    assert_eq!(r[0].header("authorization"), Some("Basic dXNlcjpwYXNz"));
    assert_eq!(r[1].header("x-api-key"), Some("hk"));
    assert_eq!(r[2].query(), Some("api_key=q%20k"));
    assert_eq!(r[3].header("cookie"), Some("session=c1"));
    assert_eq!(r[4].header("authorization"), Some("Bearer tok"));
    for (i, req) in r.iter().enumerate() {
        let others = ["authorization", "x-api-key", "cookie"]
            .iter()
            .filter(|h| req.header(h).is_some())
            .count();
        assert_eq!(others, usize::from(i != 2), "request {i} carries only its own credential");
    }
}

#[tokio::test]
async fn alternatives_and_missing_credentials() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::status(204));
    // [{header_key, query_key}, {}]: both, or nothing at all.
    call(Client::builder().header_key("h").query_key("q"), &server, "either").await.unwrap();
    call(Client::builder().header_key("h"), &server, "either").await.unwrap();
    let r = server.requests();
    assert_eq!((r[0].header("x-api-key"), r[0].query()), (Some("h"), Some("api_key=q")));
    assert_eq!((r[1].header("x-api-key"), r[1].query()), (None, None));
    // Basic alone is required here: nothing is sent without it.
    let err = call(Client::builder().bearer("t"), &server, "basic").await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_path_item_from_components_and_a_3_1_body_round_trip() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(200, everything()));
    server.enqueue(Reply::json(200, everything()));
    let client = Client::builder().bearer("t").base_url(server.url()).build().unwrap();
    let got = client.things().get(ThingGetParams::new("a/b")).await.unwrap();
    assert_eq!(got.name, "n");
    let sent = client
        .things()
        .update(ThingUpdateParams::new("1", Color::Green, "n").clear_nickname().pair(vec![PairItem::String("a".into())]))
        .await
        .unwrap();
    assert_eq!(sent.color, Color::Green);
    let r = server.requests();
    assert_eq!(r[0].path(), "/things/a%2Fb");
    assert_eq!((r[1].method.as_str(), r[1].path()), ("PUT", "/things/1"));
    assert_eq!(r[1].body_json(), json!({"color": "green", "name": "n", "nickname": null, "pair": ["a"]}));
}

#[tokio::test]
async fn binary_parts_are_files_and_null_parts_are_omitted() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::status(204));
    let client = Client::builder().bearer("t").base_url(server.url()).build().unwrap();
    client.uploads().create(UploadCreateParams::new("BYTES".to_string()).clear_caption()).await.unwrap();
    let r = &server.requests()[0];
    assert!(r.header("content-type").unwrap().starts_with("multipart/form-data"));
    let body = r.body_text();
    assert!(body.contains("name=\"file\"; filename=\"file\"") && body.contains("BYTES"), "{body}");
    assert!(!body.contains("caption"), "a null part is not sent: {body}");
}
