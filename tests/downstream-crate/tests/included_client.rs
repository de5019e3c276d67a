//! The client this crate generated in `build.rs` against the `apigen-runtime`
//! crate, against a local server.

#[path = "../../tests/runtime_support/mod.rs"]
mod runtime_support;

use downstream_crate_example::cloudflare::{self, user::UserEditParams, Client, Error};
use runtime_support::{MockServer, Reply};
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_token("downstream-token")
        .base_url(server.url())
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_included_client_sends_and_decodes() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        200,
        json!({"success": true, "errors": [], "messages": [], "result": {"first_name": "Ada"}}),
    ));
    let name = downstream_crate_example::rename(&client(&server), "Ada")
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Ada"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path(), "/user");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer downstream-token")
    );
    assert_eq!(request.body_json(), json!({"first_name": "Ada"}));
}

#[tokio::test]
async fn the_included_client_validates() {
    let server = MockServer::start().await;
    let err = client(&server)
        .user()
        .edit(UserEditParams::new().zipcode("9".repeat(21)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(err.violations()[0].field, "body.zipcode");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn the_runtime_is_the_crate_not_a_copy() {
    // The generated code's `runtime` module is the apigen-runtime crate itself.
    let error: apigen_runtime::Error = apigen_runtime::Error::Config {
        message: "x".into(),
    };
    let _: cloudflare::Error = error;
    let generated = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/cloudflare.rs")).unwrap();
    assert!(generated.contains("pub use ::apigen_runtime as runtime;"));
    assert!(
        !generated.contains("pub mod runtime"),
        "no vendored runtime in the file"
    );
    assert!(
        generated.contains("pub fn update("),
        "both operations were generated"
    );
}
