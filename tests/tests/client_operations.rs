//! The generated client (`generated/`) for the two seed operations, against a
//! local server: the request on the wire (method, path, headers, JSON body),
//! decoding of the seed pages' example responses into typed values, and
//! validation that keeps bad values on this machine.

mod runtime_support;

use cloudflare::types::IamComponentsSchemasStatus;
use cloudflare::user::UserEditParams;
use cloudflare::zero_trust::access::users::UserUpdateParams;
use cloudflare::{Client, Error};
use runtime_support::{MockServer, Reply};
use serde_json::json;

const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const USER: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_token(TOKEN)
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// The envelope of the "Update a user" page's example response.
fn update_example() -> serde_json::Value {
    json!({
        "errors": [{"code": 1000, "message": "message", "documentation_url": "documentation_url", "source": {"pointer": "pointer"}}],
        "messages": [{"code": 1000, "message": "message", "documentation_url": "documentation_url", "source": {"pointer": "pointer"}}],
        "success": true,
        "result": {
            "id": USER,
            "access_seat": false,
            "active_device_count": 2,
            "created_at": "2014-01-01T05:20:00.12345Z",
            "email": "jdoe@example.com",
            "gateway_seat": false,
            "last_successful_login": "2020-07-01T05:20:00Z",
            "name": "Jane Doe",
            "seat_uid": "seat_uid",
            "uid": "uid",
            "updated_at": "2014-01-01T05:20:00.12345Z"
        }
    })
}

/// The envelope of the "Edit User" page's example response.
fn edit_example() -> serde_json::Value {
    json!({
        "errors": [], "messages": [], "success": true,
        "result": {
            "id": "6d7f2f5f5b1d4a0e9081fdc98d432fd1",
            "betas": ["zone_level_access_beta"],
            "country": "US",
            "first_name": "John",
            "has_business_zones": true,
            "has_enterprise_zones": true,
            "has_pro_zones": true,
            "last_name": "Appleseed",
            "organizations": [{
                "id": ACCOUNT,
                "name": "Cloudflare, Inc.",
                "permissions": ["#zones:read"],
                "roles": ["All Privileges - Super Administrator"],
                "status": "member"
            }],
            "suspended": true,
            "telephone": "+1 123-123-1234",
            "two_factor_authentication_enabled": true,
            "two_factor_authentication_locked": true,
            "zipcode": "12345"
        }
    })
}

#[tokio::test]
async fn update_sends_put_with_path_auth_and_body_and_decodes_the_example() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(200, update_example()));
    let user = client(&server)
        .zero_trust()
        .access()
        .users()
        .update(
            USER,
            UserUpdateParams::new(ACCOUNT, "jdoe@example.com", "Jane Doe"),
        )
        .await
        .expect("update succeeds")
        .expect("the example has a result");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.path(),
        format!("/accounts/{ACCOUNT}/access/users/{USER}")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body_json(),
        json!({"email": "jdoe@example.com", "name": "Jane Doe"}),
        "path parameters stay out of the body"
    );

    assert_eq!(user.id.as_deref(), Some(USER));
    assert_eq!(user.active_device_count, Some(2.0_f64));
    let created = user.created_at.expect("created_at decodes");
    assert_eq!(created.to_rfc3339(), "2014-01-01T05:20:00.123450+00:00");
    assert_eq!(
        user.last_successful_login.map(|t| t.timestamp()),
        Some(1_593_580_800)
    );
    assert_eq!(user.access_seat, Some(false));
    assert_eq!(user.name.as_deref(), Some("Jane Doe"));
}

#[tokio::test]
async fn edit_sends_patch_with_only_the_fields_set_and_decodes_the_example() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(200, edit_example()));
    let user = client(&server)
        .user()
        .edit(UserEditParams::new().first_name("John").clear_telephone())
        .await
        .expect("edit succeeds")
        .expect("the example has a result");

    let request = &server.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path(), "/user");
    assert_eq!(
        request.body_json(),
        json!({"first_name": "John", "telephone": null})
    );

    assert_eq!(user.first_name.value().map(String::as_str), Some("John"));
    assert_eq!(
        user.telephone.value().map(String::as_str),
        Some("+1 123-123-1234")
    );
    assert_eq!(user.betas, Some(vec!["zone_level_access_beta".to_string()]));
    let organizations = user.organizations.expect("organizations decode");
    assert_eq!(
        organizations[0].status,
        Some(IamComponentsSchemasStatus::Member)
    );
    assert_eq!(organizations[0].name.as_deref(), Some("Cloudflare, Inc."));
    assert_eq!(user.two_factor_authentication_locked, Some(true));
}

#[tokio::test]
async fn edit_with_nothing_set_sends_an_empty_object() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(200, edit_example()));
    client(&server)
        .user()
        .edit(UserEditParams::new())
        .await
        .expect("edit succeeds");
    assert_eq!(server.requests()[0].body_json(), json!({}));
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_decode() {
    let server = MockServer::start().await;
    let mut body = edit_example();
    body["result"]["organizations"][0]["status"] = json!("suspended-by-admin");
    body["result"]["brand_new_field"] = json!({"nested": true});
    server.enqueue(Reply::json(200, body));
    let user = client(&server)
        .user()
        .edit(UserEditParams::new())
        .await
        .unwrap()
        .unwrap();
    let status = user.organizations.unwrap()[0].status.clone().unwrap();
    assert_eq!(
        status,
        IamComponentsSchemasStatus::Unknown("suspended-by-admin".into())
    );
    assert_eq!(status.as_str(), "suspended-by-admin");
}

#[tokio::test]
async fn null_and_missing_nullable_fields_decode() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        200,
        json!({"success": true, "errors": [], "messages": [], "result": {"telephone": null}}),
    ));
    let user = client(&server)
        .user()
        .edit(UserEditParams::new())
        .await
        .unwrap()
        .unwrap();
    assert!(user.telephone.is_null());
    assert!(user.country.is_absent());
}

#[tokio::test]
async fn values_over_a_limit_are_rejected_before_any_request() {
    let server = MockServer::start().await;
    let long_name = "x".repeat(61);
    let err = client(&server)
        .user()
        .edit(
            UserEditParams::new()
                .first_name(long_name)
                .telephone("1".repeat(21)),
        )
        .await
        .expect_err("over-long values are rejected");
    let Error::Validation { violations, .. } = &err else {
        panic!("expected a validation error, got {err:?}")
    };
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        ["body.first_name", "body.telephone"],
        "every violation at once"
    );
    assert!(err.to_string().contains("body.first_name"), "{err}");
    let err = client(&server)
        .zero_trust()
        .access()
        .users()
        .update(
            &"a".repeat(37),
            UserUpdateParams::new("b".repeat(33), "not-an-email", "Jane"),
        )
        .await
        .expect_err("rejected");
    let fields: Vec<String> = err.violations().iter().map(|v| v.field.clone()).collect();
    assert_eq!(fields, ["path.account_id", "body.email", "path.user_id"]);
    assert_eq!(server.request_count(), 0, "no request was made");
}

#[tokio::test]
async fn the_failure_envelope_maps_to_typed_errors() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(403, json!({
        "success": false, "result": null, "messages": [],
        "errors": [{"code": 10000, "message": "Authentication error", "documentation_url": "https://developers.cloudflare.com/", "source": {"pointer": "/name"}}]
    })));
    let err = client(&server)
        .user()
        .edit(UserEditParams::new())
        .await
        .expect_err("403 is an error");
    assert!(matches!(err, Error::PermissionDenied(_)), "{err:?}");
    let api = err.api_error().expect("carries the API error");
    assert_eq!(api.errors[0].code, Some(10000));
    assert_eq!(api.errors[0].pointer.as_deref(), Some("/name"));
    assert!(!err.to_string().contains(TOKEN));
}
