//! Behaviour tests of the HTTP runtime (`cloudflare::runtime`) against a tiny
//! in-process server: auth, retries, timeouts, error decoding, encoding.
//!
//! Tests that measure retry delays run with tokio's paused clock; they use a
//! client without timeouts or pool timers so that the clock only moves while
//! the runtime sleeps between attempts.

mod runtime_support;

use std::future::IntoFuture;
use std::time::Duration;

use cloudflare::runtime::{
    reqwest, ApiRequest, ApiResponse, ApiSpec, AuthKind, Client, ClientBuilder, Error, Method,
    Multipart, Operation, RequestOptions, Rule, SecurityScheme, Violation,
};
use runtime_support::{closed_port_url, MockServer, Reply};
use serde::Deserialize;
use serde_json::json;

const TOKEN: &str = "tok-SECRET-0123456789abcdef";
const API_KEY: &str = "key-SECRET-fedcba9876543210";
const SERVICE_KEY: &str = "v1.0-SECRET-service-key";

static SCHEMES: &[SecurityScheme] = &[
    SecurityScheme {
        name: "api_email",
        kind: AuthKind::Header("X-Auth-Email"),
        env_var: Some("RT_TEST_EMAIL"),
    },
    SecurityScheme {
        name: "api_key",
        kind: AuthKind::Header("X-Auth-Key"),
        env_var: Some("RT_TEST_KEY"),
    },
    SecurityScheme {
        name: "api_token",
        kind: AuthKind::Bearer,
        env_var: Some("RT_TEST_TOKEN"),
    },
    SecurityScheme {
        name: "user_service_key",
        kind: AuthKind::Header("X-Auth-User-Service-Key"),
        env_var: None,
    },
    SecurityScheme {
        name: "basic",
        kind: AuthKind::Basic,
        env_var: None,
    },
    SecurityScheme {
        name: "query_key",
        kind: AuthKind::Query("api_key"),
        env_var: None,
    },
    SecurityScheme {
        name: "session",
        kind: AuthKind::Cookie("session"),
        env_var: None,
    },
];

static SPEC: ApiSpec = ApiSpec {
    default_base_url: "https://api.cloudflare.com/client/v4",
    base_url_env: "RT_TEST_BASE_URL",
    user_agent: "cloudflare-rust/test",
    security_schemes: SCHEMES,
};

static GET_USER: Operation = Operation {
    id: "access-users-get",
    method: Method::GET,
    path: "/accounts/{account_id}/access/users/{user_id}",
    security: &[&["api_email", "api_key"], &["api_token"]],
};

static UPDATE_USER: Operation = Operation {
    id: "access-users-update",
    method: Method::PUT,
    path: "/accounts/{account_id}/access/users/{user_id}",
    security: &[&["api_email", "api_key"], &["api_token"]],
};

static CREATE_CERT: Operation = Operation {
    id: "origin-ca-create",
    method: Method::POST,
    path: "/certificates",
    security: &[&["user_service_key"]],
};

static LIST_IPS: Operation = Operation {
    id: "ips-list",
    method: Method::GET,
    path: "/ips",
    security: &[],
};

static BASIC_OP: Operation = Operation {
    id: "basic-op",
    method: Method::GET,
    path: "/basic",
    security: &[&["basic"]],
};

static QUERY_COOKIE_OP: Operation = Operation {
    id: "query-cookie-op",
    method: Method::GET,
    path: "/qc",
    security: &[&["query_key", "session"]],
};

static SEARCH: Operation = Operation {
    id: "search",
    method: Method::POST,
    path: "/zones/{zone_id}/search",
    security: &[&["api_token"]],
};

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
    email: String,
}

/// A client for `server` with a token and tiny retry delays.
fn builder(server: &MockServer) -> ClientBuilder {
    ClientBuilder::new(&SPEC)
        .base_url(format!("{}/client/v4", server.url()))
        .credential("api_token", TOKEN)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
}

/// For paused-clock tests: default retry delays, no timers while waiting for I/O.
fn paused_builder(server: &MockServer) -> ClientBuilder {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    ClientBuilder::new(&SPEC)
        .base_url(format!("{}/client/v4", server.url()))
        .credential("api_token", TOKEN)
        .timeout(None)
        .http_client(http)
}

fn get_user(client: &Client, user_id: &str) -> ApiRequest<User> {
    ApiRequest::new(client, &GET_USER)
        .path_param("account_id", "acc1")
        .path_param("user_id", user_id)
        .envelope()
}

fn user_json() -> serde_json::Value {
    json!({"id": "u1", "email": "a@example.com"})
}

fn assert_no_secret(text: &str) {
    for secret in [TOKEN, API_KEY, SERVICE_KEY, "SECRET"] {
        assert!(!text.contains(secret), "secret leaked into: {text}");
    }
}

fn gaps(server: &MockServer) -> Vec<Duration> {
    let requests = server.requests();
    requests.windows(2).map(|w| w[1].at - w[0].at).collect()
}

fn assert_between(d: Duration, low_ms: u64, high_ms: u64) {
    assert!(
        d >= Duration::from_millis(low_ms) && d <= Duration::from_millis(high_ms),
        "{d:?} not within [{low_ms} ms, {high_ms} ms]"
    );
}

// ---------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bearer_token_is_sent_with_standard_headers() {
    let server = MockServer::start().await;
    server.enqueue(Reply::ok(user_json()));
    let client = builder(&server).build().unwrap();

    let user = get_user(&client, "u1").await.unwrap();
    assert_eq!(
        user,
        User {
            id: "u1".into(),
            email: "a@example.com".into()
        }
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.target, "/client/v4/accounts/acc1/access/users/u1");
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(r.header("x-auth-email"), None);
    assert_eq!(r.header("x-auth-key"), None);
    assert_eq!(r.header("user-agent"), Some("cloudflare-rust/test"));
    assert_eq!(r.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn email_and_key_are_sent_when_their_alternative_comes_first() {
    let server = MockServer::start().await;
    server.enqueue(Reply::ok(user_json()));
    let client = builder(&server)
        .credential("api_email", "me@example.com")
        .credential("api_key", API_KEY)
        .build()
        .unwrap();

    get_user(&client, "u1").await.unwrap();

    let r = &server.requests()[0];
    assert_eq!(r.header("x-auth-email"), Some("me@example.com"));
    assert_eq!(r.header("x-auth-key"), Some(API_KEY));
    assert_eq!(
        r.header("authorization"),
        None,
        "only the first satisfiable alternative is used"
    );
}

#[tokio::test]
async fn service_key_is_sent_in_its_header() {
    let server = MockServer::start().await;
    server.enqueue(Reply::ok(json!({"id": "c1"})));
    let client = builder(&server)
        .credential("user_service_key", SERVICE_KEY)
        .build()
        .unwrap();

    let cert: serde_json::Value = ApiRequest::new(&client, &CREATE_CERT)
        .json(&json!({"csr": "x"}))
        .envelope()
        .await
        .unwrap();
    assert_eq!(cert["id"], "c1");

    let r = &server.requests()[0];
    assert_eq!(r.header("x-auth-user-service-key"), Some(SERVICE_KEY));
    assert_eq!(r.header("authorization"), None);
}

#[tokio::test]
async fn basic_query_and_cookie_credentials() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .credential("basic", "aladdin:opensesame")
        .credential("query_key", "q k&1")
        .credential("session", "s3ss")
        .build()
        .unwrap();

    let () = ApiRequest::new(&client, &BASIC_OP)
        .envelope()
        .await
        .unwrap();
    let () = ApiRequest::new(&client, &QUERY_COOKIE_OP)
        .query("page", 2)
        .envelope()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some("Basic YWxhZGRpbjpvcGVuc2VzYW1l")
    );
    assert_eq!(requests[1].target, "/client/v4/qc?page=2&api_key=q%20k%261");
    assert_eq!(requests[1].header("cookie"), Some("session=s3ss"));
    assert_eq!(requests[1].header("authorization"), None);
}

#[tokio::test]
async fn missing_credentials_fail_before_any_request() {
    let server = MockServer::start().await;
    // Only half of the email+key alternative, and no token.
    let client = ClientBuilder::new(&SPEC)
        .base_url(server.url())
        .credential("api_email", "me@example.com")
        .build()
        .unwrap();

    let err = get_user(&client, "u1").await.unwrap_err();
    match &err {
        Error::MissingCredentials {
            operation,
            accepted,
            configured,
            ..
        } => {
            assert_eq!(*operation, "access-users-get");
            assert_eq!(accepted.len(), 2);
            assert_eq!(configured, &vec!["api_email"]);
        }
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("access-users-get"), "{text}");
    assert!(
        text.contains("api_email ($RT_TEST_EMAIL) + api_key ($RT_TEST_KEY)"),
        "{text}"
    );
    assert!(text.contains("api_token ($RT_TEST_TOKEN)"), "{text}");

    let err = ApiRequest::<serde_json::Value>::new(&client, &CREATE_CERT)
        .envelope()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingCredentials {
                operation: "origin-ca-create",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        server.request_count(),
        0,
        "no request may be made without credentials"
    );
}

#[tokio::test]
async fn operations_without_security_send_no_credentials() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .credential("api_email", "me@example.com")
        .credential("api_key", API_KEY)
        .build()
        .unwrap();
    let () = ApiRequest::new(&client, &LIST_IPS)
        .envelope()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("x-auth-key"), None);
    assert_eq!(r.header("x-auth-email"), None);
}

#[tokio::test]
async fn build_rejects_bad_configuration() {
    let err = ClientBuilder::new(&SPEC)
        .credential("api_tokn", TOKEN)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("api_tokn"));
    assert_no_secret(&err.to_string());

    let err = ClientBuilder::new(&SPEC)
        .credential("api_token", "SECRET\r\nx: y")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?}"));

    for url in [
        "not a url",
        "ftp://example.com",
        "https://example.com/v4?x=1",
    ] {
        let err = ClientBuilder::new(&SPEC).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{url}: {err:?}");
    }
    let err = ClientBuilder::new(&SPEC)
        .default_header("x-bad", "a\nb")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[tokio::test]
async fn from_env_reads_credentials_and_base_url_without_overriding() {
    let server = MockServer::start().await;
    std::env::set_var("RT_TEST_TOKEN", "env-token");
    std::env::set_var("RT_TEST_EMAIL", "env@example.com");
    std::env::set_var("RT_TEST_BASE_URL", format!("{}/client/v4", server.url()));
    let client = ClientBuilder::new(&SPEC)
        .credential("api_email", "explicit@example.com")
        .from_env()
        .build()
        .unwrap();
    std::env::remove_var("RT_TEST_TOKEN");
    std::env::remove_var("RT_TEST_EMAIL");
    std::env::remove_var("RT_TEST_BASE_URL");

    assert!(client.has_credential("api_token"));
    assert_eq!(client.base_url(), format!("{}/client/v4", server.url()));
    let () = ApiRequest::new(&client, &LIST_IPS)
        .envelope()
        .await
        .unwrap();
    let _ = get_user(&client, "u1").await;
    let r = &server.requests()[1];
    assert_eq!(r.header("authorization"), Some("Bearer env-token"));
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_errors() {
    let server = MockServer::start().await;
    let make = |base: String| {
        ClientBuilder::new(&SPEC)
            .base_url(base)
            .credential("api_token", TOKEN)
            .credential("api_key", API_KEY)
            .credential("user_service_key", SERVICE_KEY)
            .credential("query_key", "SECRET-in-query")
            .credential("session", "SECRET-cookie")
            .default_header("x-custom-auth", "SECRET-default-header")
            .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
    };
    let b = make(server.url());
    assert_no_secret(&format!("{b:?}"));
    let client = b.build().unwrap();
    assert_no_secret(&format!("{client:?}"));
    let copy =
        client.with_options(RequestOptions::new().header("authorization", "Bearer SECRET-opt"));
    assert_no_secret(&format!("{copy:?}"));
    let request = get_user(&copy, "u1").extra_header("x-other", "SECRET-extra");
    assert_no_secret(&format!("{request:?}"));

    // API error responses.
    server.enqueue(Reply::json(
        401,
        json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]}),
    ));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::Authentication(_)));
    assert_no_secret(&format!("{err} {err:?}"));

    // Transport errors, with the secret in the query string too.
    let closed = make(closed_port_url().await)
        .max_retries(1)
        .build()
        .unwrap();
    let err = ApiRequest::<()>::new(&closed, &QUERY_COOKIE_OP)
        .envelope()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    let mut texts = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        texts.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert_no_secret(&texts);

    // Timeouts.
    server.enqueue(Reply::ok(json!(null)).delay(Duration::from_secs(5)));
    let err = ApiRequest::<()>::new(&client, &QUERY_COOKIE_OP)
        .envelope()
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?}"));
}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn retries_server_errors_with_exponential_backoff() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        500,
        json!({"success": false, "errors": [{"code": 1, "message": "boom"}]}),
    ));
    server.enqueue(Reply::status(503));
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();

    let user = get_user(&client, "u1").await.unwrap();
    assert_eq!(user.id, "u1");
    assert_eq!(server.request_count(), 3);
    let gaps = gaps(&server);
    // Default delays: 0.5 s then 1 s, each minus up to 25 % jitter.
    assert_between(gaps[0], 375, 500);
    assert_between(gaps[1], 750, 1000);
}

#[tokio::test(start_paused = true)]
async fn backoff_is_capped_by_the_maximum_delay() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::status(502));
    let client = paused_builder(&server)
        .max_retries(4)
        .retry_delays(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .unwrap();

    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(server.request_count(), 5);
    let gaps = gaps(&server);
    // 2 s, 4 s, then capped at 5 s; each minus up to 25 % jitter.
    assert_between(gaps[0], 1500, 2000);
    assert_between(gaps[1], 3000, 4000);
    assert_between(gaps[2], 3750, 5000);
    assert_between(gaps[3], 3750, 5000);
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_retries() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::status(500));
    let client = paused_builder(&server).build().unwrap();
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(
        server.request_count(),
        3,
        "1 attempt + 2 retries by default"
    );

    let err = get_user(&client, "u1").max_retries(0).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)));
    assert_eq!(server.request_count(), 4);

    let fewer = client.with_options(RequestOptions::new().max_retries(1));
    let _ = get_user(&fewer, "u1").await.unwrap_err();
    assert_eq!(server.request_count(), 6);
}

#[tokio::test(start_paused = true)]
async fn retries_408_409_and_429() {
    let server = MockServer::start().await;
    server.enqueue(Reply::status(408));
    server.enqueue(Reply::status(409));
    server.enqueue(Reply::status(429));
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).max_retries(3).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    assert_eq!(server.request_count(), 4);
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured() {
    let server = MockServer::start().await;
    server.enqueue(Reply::status(429).header("retry-after", "3"));
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    assert_eq!(gaps(&server), vec![Duration::from_secs(3)]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_ms_takes_precedence() {
    let server = MockServer::start().await;
    server.enqueue(
        Reply::status(503)
            .header("retry-after-ms", "1500")
            .header("retry-after", "10"),
    );
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    assert_eq!(gaps(&server), vec![Duration::from_millis(1500)]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = chrono::Utc::now() + chrono::Duration::seconds(6);
    let date = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    server.enqueue(Reply::status(429).header("retry-after", &date));
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    // The date has whole seconds: the wait is in (5 s, 6 s].
    assert_between(gaps(&server)[0], 4900, 6000);
}

#[tokio::test(start_paused = true)]
async fn retry_after_outside_0_to_60_seconds_falls_back_to_backoff() {
    let server = MockServer::start().await;
    server.enqueue(Reply::status(429).header("retry-after", "120"));
    server.enqueue(Reply::status(429).header("retry-after", "0"));
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    let gaps = gaps(&server);
    assert_between(gaps[0], 375, 500);
    assert_between(gaps[1], 750, 1000);
}

#[tokio::test(start_paused = true)]
async fn x_should_retry_header_overrides_the_status() {
    let server = MockServer::start().await;
    server.enqueue(
        Reply::json(400, json!({"success": false, "errors": []})).header("x-should-retry", "true"),
    );
    server.enqueue(Reply::ok(user_json()));
    let client = paused_builder(&server).build().unwrap();
    get_user(&client, "u1").await.unwrap();
    assert_eq!(
        server.request_count(),
        2,
        "x-should-retry: true retries a 400"
    );

    server.enqueue(Reply::status(503).header("x-should-retry", "false"));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(
        server.request_count(),
        3,
        "x-should-retry: false stops retries of a 503"
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    for status in [400u16, 401, 403, 404, 422] {
        let before = server.request_count();
        server.enqueue(Reply::json(
            status,
            json!({"success": false, "errors": [{"code": 1000, "message": "no"}]}),
        ));
        let err = get_user(&client, "u1").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.request_count(),
            before + 1,
            "status {status} must not be retried"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn connection_errors_are_retried_with_backoff() {
    let url = closed_port_url().await;
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    let client = ClientBuilder::new(&SPEC)
        .base_url(url)
        .credential("api_token", TOKEN)
        .timeout(None)
        .http_client(http)
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Connection {
                operation: "access-users-get",
                ..
            }
        ),
        "{err:?}"
    );
    // Two retries: 0.5 s and 1 s, each minus up to 25 %.
    assert_between(start.elapsed(), 1125, 1500);
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::ok(user_json()).delay(Duration::from_secs(30)));
    let client = builder(&server)
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "access-users-get",
                after: Some(_)
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.request_count(), 2, "a timed-out attempt is retried");

    // A per-request override shortens the client's timeout.
    let patient = builder(&server).build().unwrap();
    let err = get_user(&patient, "u1")
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"));
}

// ---------------------------------------------------------------------------
// Error and response decoding
// ---------------------------------------------------------------------------

#[tokio::test]
async fn error_envelopes_map_to_status_kinds() {
    let server = MockServer::start().await;
    let client = builder(&server).max_retries(0).build().unwrap();
    type IsKind = fn(&Error) -> bool;
    let cases: [(u16, IsKind); 10] = [
        (400, |e| matches!(e, Error::BadRequest(_))),
        (401, |e| matches!(e, Error::Authentication(_))),
        (403, |e| matches!(e, Error::PermissionDenied(_))),
        (404, |e| matches!(e, Error::NotFound(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (422, |e| matches!(e, Error::UnprocessableEntity(_))),
        (429, |e| matches!(e, Error::RateLimit(_))),
        (500, |e| matches!(e, Error::InternalServer(_))),
        (503, |e| matches!(e, Error::InternalServer(_))),
        (418, |e| matches!(e, Error::Status(_))),
    ];
    for (status, is_kind) in cases {
        server.enqueue(
            Reply::json(
                status,
                json!({
                    "success": false,
                    "errors": [{
                        "code": 1_000_007,
                        "message": format!("failure {status}"),
                        "documentation_url": "https://developers.cloudflare.com/x",
                        "source": {"pointer": "/name"}
                    }],
                    "messages": [{"code": 10001, "message": "note"}],
                    "result": null
                }),
            )
            .header("cf-ray", "8a1b2c3d4e5f-SJC"),
        );
        let err = get_user(&client, "u1").await.unwrap_err();
        assert!(is_kind(&err), "status {status} gave {err:?}");
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert_eq!(err.operation(), Some("access-users-get"));
        let api = err.api_error().unwrap();
        assert_eq!(api.errors.len(), 1);
        assert_eq!(
            api.errors[0].code,
            Some(1_000_007),
            "codes beyond u16 are kept"
        );
        assert_eq!(api.errors[0].message, format!("failure {status}"));
        assert_eq!(
            api.errors[0].documentation_url.as_deref(),
            Some("https://developers.cloudflare.com/x")
        );
        assert_eq!(api.errors[0].pointer.as_deref(), Some("/name"));
        assert_eq!(api.messages[0].code, Some(10001));
        assert_eq!(api.request_id(), Some("8a1b2c3d4e5f-SJC"));
        assert!(api.has_code(1_000_007));
        assert!(api.body_text().contains("failure"));
        assert_eq!(api.headers.get("cf-ray").unwrap(), "8a1b2c3d4e5f-SJC");
        let text = err.to_string();
        assert!(
            text.contains(&format!("[1000007] failure {status}")),
            "{text}"
        );
        assert!(text.contains(&status.to_string()), "{text}");
    }
}

#[tokio::test]
async fn error_bodies_are_parsed_leniently() {
    let server = MockServer::start().await;
    let client = builder(&server).max_retries(0).build().unwrap();

    server.enqueue(Reply::json(400, json!({"success": false, "errors": [{"code": "9109", "message": 5}, "plain text", {"code": 1.0}]})));
    let err = get_user(&client, "u1").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.errors.len(), 3);
    assert_eq!(api.errors[0].code, Some(9109));
    assert_eq!(api.errors[0].message, "5");
    assert_eq!(api.errors[1].message, "plain text");
    assert_eq!(api.errors[1].code, None);
    assert_eq!(api.errors[2].code, Some(1));

    server.enqueue(Reply::json(
        403,
        json!({"success": false, "errors": {"code": 9999999999u64, "message": "single"}}),
    ));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert_eq!(err.api_error().unwrap().errors[0].code, Some(9_999_999_999));

    server.enqueue(Reply::json(429, json!({"message": "slow down"})));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::RateLimit(_)));
    assert_eq!(err.api_error().unwrap().errors[0].message, "slow down");

    // `errors` that is not a message (a map of field errors, as Discord sends):
    // the top-level code and message are the error.
    server.enqueue(Reply::json(
        400,
        json!({"code": 50035, "message": "Invalid Form Body", "errors": {"name": {"_errors": [{"code": "BASE_TYPE_REQUIRED"}]}}}),
    ));
    let err = get_user(&client, "u1").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.errors.len(), 1);
    assert_eq!(api.errors[0].code, Some(50035));
    assert_eq!(api.errors[0].message, "Invalid Form Body");

    server.enqueue(
        Reply::status(502)
            .header("content-type", "text/html")
            .body("<html>Bad gateway</html>"),
    );
    let err = get_user(&client, "u1").await.unwrap_err();
    let api = err.api_error().unwrap();
    assert!(api.errors.is_empty());
    assert_eq!(api.body_text(), "<html>Bad gateway</html>");
    assert!(err.to_string().contains("Bad gateway"), "{err}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    server
        .enqueue(Reply::status(200).body(r#"{"success": true, "result": {"id": "u1", "email": "#));
    let err = get_user(&client, "u1").await.unwrap_err();
    match &err {
        Error::Decode {
            operation,
            status,
            excerpt,
            ..
        } => {
            assert_eq!(*operation, "access-users-get");
            assert_eq!(status.as_u16(), 200);
            assert!(
                excerpt.starts_with(r#"{"success": true, "result""#),
                "{excerpt}"
            );
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1, "decode errors are not retried");

    // Valid JSON of the wrong shape.
    server.enqueue(Reply::ok(json!({"id": "u1"})));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("email")),
        "{err:?}"
    );

    // A long body is cut.
    let long = format!("{{\"success\": true, \"result\": \"{}", "x".repeat(5000));
    server.enqueue(Reply::status(200).body(long));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { excerpt, .. } if excerpt.chars().count() <= 513 && excerpt.ends_with('…')),
        "{err:?}"
    );
}

#[tokio::test]
async fn success_false_in_a_2xx_is_an_error() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    server.enqueue(Reply::json(200, json!({"success": false, "errors": [{"code": 7003, "message": "Could not route"}], "messages": [], "result": null})));
    let err = get_user(&client, "u1").await.unwrap_err();
    match &err {
        Error::Unsuccessful(api) => {
            assert_eq!(api.status.as_u16(), 200);
            assert_eq!(api.errors[0].code, Some(7003));
        }
        other => panic!("expected Unsuccessful, got {other:?}"),
    }
    assert!(err.to_string().contains("Could not route"));
    assert_eq!(server.request_count(), 1);

    // Also when `result` does not fit the expected type.
    server.enqueue(Reply::json(
        200,
        json!({"success": false, "errors": [{"code": 1, "message": "bad"}], "result": 42}),
    ));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");

    // And for requests that ignore the body.
    server.enqueue(Reply::json(200, json!({"success": false, "errors": []})));
    let err = ApiRequest::<()>::new(&client, &LIST_IPS)
        .no_content()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsuccessful(_)), "{err:?}");
}

#[tokio::test]
async fn envelope_results_decode_null_and_missing_results() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();

    server.enqueue(Reply::ok(json!(null)));
    let user: Option<User> = ApiRequest::new(&client, &GET_USER)
        .path_param("account_id", "a")
        .path_param("user_id", "u")
        .envelope()
        .await
        .unwrap();
    assert_eq!(user, None);

    server.enqueue(Reply::json(
        200,
        json!({"success": true, "errors": [], "messages": []}),
    ));
    let () = ApiRequest::new(&client, &LIST_IPS)
        .envelope()
        .await
        .unwrap();

    server.enqueue(Reply::status(204));
    let () = ApiRequest::new(&client, &LIST_IPS)
        .envelope()
        .await
        .unwrap();

    server.enqueue(Reply::ok(json!(null)));
    let err = get_user(&client, "u1").await.unwrap_err();
    assert!(
        matches!(err, Error::Decode { .. }),
        "a required result cannot be null: {err:?}"
    );
}

#[tokio::test]
async fn with_response_exposes_status_headers_and_result_info() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    server.enqueue(
        Reply::json(
            200,
            json!({
                "success": true, "errors": [],
                "messages": [{"code": 1, "message": "hello"}],
                "result": [{"id": "u1", "email": "a@example.com"}],
                "result_info": {"page": 1, "per_page": 20, "count": 1, "total_count": 1}
            }),
        )
        .header("cf-ray", "ray-1"),
    );
    let response: ApiResponse<Vec<User>> = ApiRequest::new(&client, &LIST_IPS)
        .envelope()
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("ray-1"));
    assert_eq!(response.result.len(), 1);
    assert_eq!(response.result_info.as_ref().unwrap()["total_count"], 1);
    assert_eq!(response.messages[0].message, "hello");

    #[derive(Deserialize)]
    struct Info {
        per_page: u32,
    }
    assert_eq!(response.result_info_as::<Info>().unwrap().per_page, 20);
    assert_eq!(response.into_result()[0].id, "u1");
}

#[tokio::test]
async fn other_decoding_modes() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();

    server.enqueue(Reply::json(200, json!({"id": "u1", "email": "e"})));
    let user: User = ApiRequest::new(&client, &LIST_IPS)
        .plain_json()
        .await
        .unwrap();
    assert_eq!(user.id, "u1");

    server.enqueue(Reply::status(200).body(vec![0u8, 159, 146, 150]));
    let bytes: Vec<u8> = ApiRequest::new(&client, &LIST_IPS)
        .raw_bytes()
        .await
        .unwrap();
    assert_eq!(bytes, vec![0u8, 159, 146, 150]);
    assert_eq!(
        server.requests().last().unwrap().header("accept"),
        Some("*/*")
    );

    server.enqueue(Reply::status(200).body("addEventListener('fetch', ...)"));
    let text: String = ApiRequest::new(&client, &LIST_IPS)
        .raw_text()
        .await
        .unwrap();
    assert_eq!(text, "addEventListener('fetch', ...)");

    server.enqueue(Reply::status(200).body(vec![0xff, 0xfe]));
    let err = ApiRequest::<String>::new(&client, &LIST_IPS)
        .raw_text()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    server.enqueue(Reply::status(200).body("whatever"));
    let () = ApiRequest::new(&client, &LIST_IPS)
        .no_content()
        .await
        .unwrap();

    let err = ApiRequest::<User>::new(&client, &LIST_IPS)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest { .. }),
        "no decoder chosen: {err:?}"
    );
}

// ---------------------------------------------------------------------------
// Encoding of path, query, headers and bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_params_are_encoded_as_one_segment() {
    let server = MockServer::start().await;
    server.set_fallback(Reply::ok(user_json()));
    let client = builder(&server).build().unwrap();
    let cases = [
        ("plain-id_1.2~", "plain-id_1.2~"),
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("?admin=1", "%3Fadmin%3D1"),
        ("#frag", "%23frag"),
        ("%2e%2e", "%252e%252e"),
        ("%2F", "%252F"),
        ("a b", "a%20b"),
        ("...", "..."),
        ("é", "%C3%A9"),
        ("a\\b", "a%5Cb"),
    ];
    for (value, encoded) in cases {
        get_user(&client, value).await.unwrap();
        let r = server.requests().pop().unwrap();
        assert_eq!(
            r.target,
            format!("/client/v4/accounts/acc1/access/users/{encoded}"),
            "value {value:?}"
        );
    }
}

#[tokio::test]
async fn dangerous_or_wrong_path_params_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    for value in ["", ".", ".."] {
        let err = get_user(&client, value).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidRequest {
                    operation: "access-users-get",
                    ..
                }
            ),
            "{value:?}: {err:?}"
        );
    }
    let err = ApiRequest::<User>::new(&client, &GET_USER)
        .path_param("account_id", "a")
        .envelope()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("user_id"),
        "missing parameter: {err}"
    );
    let err = get_user(&client, "u1")
        .path_param("zone_id", "z")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("zone_id"),
        "unknown parameter: {err}"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn query_values_are_encoded_and_arrays_repeat() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let () = ApiRequest::new(&client, &LIST_IPS)
        .query("name", "a&b=c d#e")
        .query("tag", "x")
        .query("tag", "y/z")
        .query("page", 3)
        .query("flag", true)
        .query_opt("absent", None::<String>)
        .query_opt("present", Some("1+1"))
        .envelope()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path(), "/client/v4/ips");
    assert_eq!(
        r.query(),
        Some("name=a%26b%3Dc%20d%23e&tag=x&tag=y%2Fz&page=3&flag=true&present=1%2B1")
    );
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_rejected() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    for value in ["a\r\nx-injected: 1", "a\nb", "a\rb", "a\0b"] {
        let err = ApiRequest::<()>::new(&client, &LIST_IPS)
            .header("X-Thing", value)
            .envelope()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{value:?}: {err:?}"
        );
        let err = ApiRequest::<()>::new(&client, &LIST_IPS)
            .extra_header("x-extra", value)
            .envelope()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{value:?}: {err:?}"
        );
    }
    assert_eq!(server.request_count(), 0);

    let () = ApiRequest::new(&client, &LIST_IPS)
        .header("X-Thing", "fine\tvalue")
        .envelope()
        .await
        .unwrap();
    assert_eq!(server.requests()[0].header("x-thing"), Some("fine\tvalue"));
}

#[tokio::test]
async fn header_precedence_default_then_params_then_options() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .default_header("x-a", "default")
        .default_header("x-b", "default")
        .default_header("x-c", "default")
        .build()
        .unwrap()
        .with_options(
            RequestOptions::new()
                .header("x-c", "client-options")
                .header("x-d", "client-options"),
        );
    let () = ApiRequest::new(&client, &LIST_IPS)
        .header("x-b", "param")
        .extra_header("x-d", "request")
        .envelope()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-a"), Some("default"));
    assert_eq!(r.header("x-b"), Some("param"));
    assert_eq!(r.header("x-c"), Some("client-options"));
    assert_eq!(r.header("x-d"), Some("request"));
}

#[tokio::test]
async fn validation_errors_prevent_the_request() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let violations = || {
        vec![
            Violation::new("body.name", Rule::MaxLength(3), Some("abcdef".into())),
            Violation::new(
                "path.account_id",
                Rule::Pattern("^[a-f0-9]{32}$".into()),
                Some("xyz".into()),
            ),
        ]
    };
    let err = ApiRequest::<()>::new(&client, &UPDATE_USER)
        .validate(violations())
        .path_param("account_id", "xyz")
        .path_param("user_id", "u1")
        .json(&json!({"name": "abcdef"}))
        .envelope()
        .await
        .unwrap_err();
    match &err {
        Error::Validation {
            operation,
            violations,
        } => {
            assert_eq!(*operation, "access-users-update");
            assert_eq!(violations.len(), 2);
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    assert_eq!(err.violations().len(), 2);
    let text = err.to_string();
    assert!(
        text.contains("body.name") && text.contains("path.account_id"),
        "{text}"
    );
    assert_eq!(server.request_count(), 0);

    // Validation can be switched off per request or per client.
    let request = |c: &Client| {
        ApiRequest::<()>::new(c, &UPDATE_USER)
            .validate(violations())
            .path_param("account_id", "xyz")
            .path_param("user_id", "u1")
            .envelope()
    };
    request(&client)
        .options(RequestOptions::new().validation(false))
        .await
        .unwrap();
    let lax = builder(&server).validation(false).build().unwrap();
    request(&lax).await.unwrap();
    assert_eq!(server.request_count(), 2);
    // An empty list never blocks.
    let () = ApiRequest::new(&client, &LIST_IPS)
        .validate(Vec::new())
        .envelope()
        .await
        .unwrap();
}

#[tokio::test]
async fn request_bodies_are_sent_with_content_types() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();

    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .json(&json!({"name": "x", "n": [1, 2]}))
        .envelope()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body_json(), json!({"name": "x", "n": [1, 2]}));

    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .form(&json!({"a": "1 2", "b": ["x", "y"], "c": null, "d": {"e": true}}))
        .envelope()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.body_text(), "a=1%202&b=x&b=y&d%5Be%5D=true");

    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .bytes(vec![1u8, 2, 3], "application/octet-stream")
        .envelope()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.body, vec![1u8, 2, 3]);

    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .text("export default {}", "application/javascript")
        .envelope()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    assert_eq!(r.header("content-type"), Some("application/javascript"));
    assert_eq!(r.body_text(), "export default {}");

    let form = Multipart::new()
        .json("metadata", &json!({"main_module": "worker.js"}))
        .text("note", "hi")
        .file(
            "worker.js",
            "worker.js",
            "application/javascript+module",
            b"export default {};".to_vec(),
        );
    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .multipart(form)
        .envelope()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    let content_type = r.header("content-type").unwrap().to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(&content_type);
    let body = r.body_text();
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");
    assert!(body.contains("Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"main_module\":\"worker.js\"}\r\n"), "{body}");
    assert!(body.contains("name=\"note\"\r\n\r\nhi\r\n"), "{body}");
    assert!(body.contains("name=\"worker.js\"; filename=\"worker.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport default {};\r\n"), "{body}");
}

#[tokio::test(start_paused = true)]
async fn bodies_are_resent_on_retry() {
    let server = MockServer::start().await;
    server.enqueue(Reply::status(500));
    let client = paused_builder(&server).build().unwrap();
    let form = Multipart::new().text("a", "1");
    let () = ApiRequest::new(&client, &SEARCH)
        .path_param("zone_id", "z1")
        .multipart(form)
        .envelope()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert!(!requests[1].body.is_empty());
}

#[tokio::test]
async fn unserializable_bodies_fail_on_await() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1); // JSON object keys must be strings
    let err = ApiRequest::<()>::new(&client, &LIST_IPS)
        .json(&bad)
        .envelope()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn request_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = ClientBuilder::new(&SPEC)
        .credential("api_token", TOKEN)
        .build()
        .unwrap();
    let future = ApiRequest::<User>::new(&client, &GET_USER)
        .envelope()
        .into_future();
    assert_send(&future);
    let future = ApiRequest::<User>::new(&client, &GET_USER)
        .envelope()
        .with_response()
        .into_future();
    assert_send(&future);
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<cloudflare::runtime::ApiError>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}
