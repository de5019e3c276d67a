//! Every constrained field of both seed operations, at, just under and just over
//! its limit (property tests over arbitrary Unicode, since limits count code
//! points): at or under the limit the request reaches the server; one past it
//! the client answers with a Validation error naming the field, and sends nothing.

mod runtime_support;

use cloudflare::user::UserEditParams;
use cloudflare::zero_trust::access::users::UserUpdateParams;
use cloudflare::{Client, Error};
use proptest::prelude::*;
use runtime_support::{MockServer, Reply};
use serde_json::json;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const USER: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";

/// What a call did: the violations it reported, or the body the server received.
#[derive(Debug)]
enum Outcome {
    Rejected(Vec<String>),
    Sent(serde_json::Value),
}

fn run(call: impl FnOnce(Client) -> futures_lite::BoxedCall) -> Outcome {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let server = MockServer::start().await;
        server.set_fallback(Reply::json(
            200,
            json!({"success": true, "errors": [], "messages": [], "result": null}),
        ));
        let client = Client::builder()
            .api_token("t")
            .base_url(server.url())
            .max_retries(0)
            .build()
            .unwrap();
        match call(client).await {
            Ok(()) => {
                let requests = server.requests();
                assert_eq!(requests.len(), 1, "exactly one request");
                Outcome::Sent(requests[0].body_json())
            }
            Err(Error::Validation { violations, .. }) => {
                assert_eq!(
                    server.request_count(),
                    0,
                    "a rejected request never reaches the server"
                );
                Outcome::Rejected(violations.iter().map(|v| v.field.clone()).collect())
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    })
}

mod futures_lite {
    /// A boxed client call, so property bodies can pass closures around.
    pub type BoxedCall =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), cloudflare::Error>>>>;
}

fn edit(params: UserEditParams) -> Outcome {
    run(|client| Box::pin(async move { client.user().edit(params).await.map(|_| ()) }))
}

fn update(user_id: String, params: UserUpdateParams) -> Outcome {
    run(|client| {
        Box::pin(async move {
            client
                .zero_trust()
                .access()
                .users()
                .update(&user_id, params)
                .await
                .map(|_| ())
        })
    })
}

/// A string of exactly `len` Unicode scalar values (ASCII, accented, CJK, emoji...).
fn text(len: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        any::<char>().prop_filter("printable", |c| !c.is_control()),
        len,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// The field's value at `limit + delta` code points.
fn around(limit: usize) -> impl Strategy<Value = (i32, String)> {
    (-1i32..=1).prop_flat_map(move |delta| {
        text((limit as i32 + delta) as usize).prop_map(move |s| (delta, s))
    })
}

type Setter = fn(UserEditParams, String) -> UserEditParams;

const EDIT_FIELDS: [(&str, usize, Setter); 5] = [
    ("country", 30, |p, v| p.country(v)),
    ("first_name", 60, |p, v| p.first_name(v)),
    ("last_name", 60, |p, v| p.last_name(v)),
    ("telephone", 20, |p, v| p.telephone(v)),
    ("zipcode", 20, |p, v| p.zipcode(v)),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edit_fields_at_and_around_their_max_length(field in 0usize..EDIT_FIELDS.len(), (delta, value) in around(60)) {
        let (name, limit, set) = EDIT_FIELDS[field];
        // Re-cut the generated value to this field's limit.
        let len = (limit as i32 + delta) as usize;
        let value: String = value.chars().cycle().take(len).collect();
        let outcome = edit(set(UserEditParams::new(), value.clone()));
        match outcome {
            Outcome::Sent(body) => {
                prop_assert!(delta <= 0, "{name} with {len} chars must be rejected");
                prop_assert_eq!(body, json!({ name: value }));
            }
            Outcome::Rejected(fields) => {
                prop_assert!(delta > 0, "{name} with {len} chars must be sent");
                prop_assert_eq!(fields, vec![format!("body.{name}")]);
            }
        }
    }

    #[test]
    fn update_account_id_at_and_around_32((delta, account) in around(32)) {
        let outcome = update(USER.into(), UserUpdateParams::new(account, "jdoe@example.com", "Jane Doe"));
        match outcome {
            Outcome::Sent(_) => prop_assert!(delta <= 0),
            Outcome::Rejected(fields) => {
                prop_assert!(delta > 0);
                prop_assert_eq!(fields, vec!["path.account_id".to_string()]);
            }
        }
    }

    #[test]
    fn update_user_id_at_and_around_36((delta, user_id) in around(36)) {
        let outcome = update(user_id, UserUpdateParams::new(ACCOUNT, "jdoe@example.com", "Jane Doe"));
        match outcome {
            Outcome::Sent(_) => prop_assert!(delta <= 0),
            Outcome::Rejected(fields) => {
                prop_assert!(delta > 0);
                prop_assert_eq!(fields, vec!["path.user_id".to_string()]);
            }
        }
    }

    #[test]
    fn update_email_must_be_an_email(local in "[a-z0-9]([a-z0-9_-]{0,18}[a-z0-9])?", domain in "[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?\\.[a-z]{2,6}", junk in "[^@]{0,30}") {
        let good = format!("{local}@{domain}");
        prop_assert!(matches!(update(USER.into(), UserUpdateParams::new(ACCOUNT, good, "Jane")), Outcome::Sent(_)));
        match update(USER.into(), UserUpdateParams::new(ACCOUNT, junk, "Jane")) {
            Outcome::Rejected(fields) => prop_assert_eq!(fields, vec!["body.email".to_string()]),
            Outcome::Sent(body) => prop_assert!(false, "an address without @ was sent: {body}"),
        }
    }
}

#[test]
fn every_violation_is_reported_at_once() {
    let params = UserEditParams::new()
        .country("c".repeat(31))
        .first_name("f".repeat(61))
        .last_name("l".repeat(61))
        .telephone("t".repeat(21))
        .zipcode("z".repeat(21));
    match edit(params) {
        Outcome::Rejected(fields) => assert_eq!(
            fields,
            [
                "body.country",
                "body.first_name",
                "body.last_name",
                "body.telephone",
                "body.zipcode"
            ]
        ),
        Outcome::Sent(body) => panic!("sent {body}"),
    }
}

#[test]
fn clearing_a_field_sends_null_and_nothing_set_sends_an_empty_object() {
    match edit(UserEditParams::new().clear_telephone()) {
        Outcome::Sent(body) => assert_eq!(body, json!({"telephone": null})),
        Outcome::Rejected(f) => panic!("{f:?}"),
    }
    match edit(UserEditParams::new()) {
        Outcome::Sent(body) => assert_eq!(body, json!({})),
        Outcome::Rejected(f) => panic!("{f:?}"),
    }
}

#[test]
fn validation_can_be_turned_off_per_client() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        server.set_fallback(Reply::json(
            200,
            json!({"success": true, "errors": [], "messages": [], "result": null}),
        ));
        let client = Client::builder()
            .api_token("t")
            .base_url(server.url())
            .validation(false)
            .build()
            .unwrap();
        client
            .user()
            .edit(UserEditParams::new().zipcode("z".repeat(21)))
            .await
            .expect("sent despite the limit");
        assert_eq!(server.request_count(), 1);
    });
}
