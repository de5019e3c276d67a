//! Wire tests of the client generated from Discord's OpenAPI 3.1 spec, against a
//! local server (`support.rs` is a copy of `tests/tests/runtime_support/mod.rs`).
//! One typical call per auth mode Discord declares: the bot token (an `apiKey`
//! in the `Authorization` header), OAuth2 (a user-supplied bearer token) and
//! the operations whose security allows no credentials; plus Discord's error
//! body, and the absence of any Cloudflare envelope handling.

mod support;

use discord::{Client, Error};
use serde_json::json;
use support::{MockServer, Reply};

fn user() -> serde_json::Value {
    json!({
        "id": "80351110224678912", "username": "nelly", "avatar": null, "discriminator": "0",
        "public_flags": 64, "flags": 64, "global_name": "Nelly", "primary_guild": null
    })
}

#[tokio::test]
async fn a_bot_token_is_sent_as_given_in_the_authorization_header() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        200,
        json!({
            "type": 0, "content": "hello", "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "timestamp": "2026-07-18T10:00:00+00:00", "edited_timestamp": null,
            "flags": 0, "components": [], "id": "1", "channel_id": "42", "author": user(),
            "pinned": false, "mention_everyone": false, "tts": false
        }),
    ));
    let client = Client::builder()
        .bot_token("Bot abc.def")
        .base_url(server.url())
        .build()
        .unwrap();
    let message = client
        .channels()
        .messages()
        .create(discord::channels::messages::MessageCreateParams::new("42").content("hello"))
        .await
        .expect("the call succeeds");
    // The body is the message itself: no `{success, result}` envelope is assumed.
    assert_eq!(message.content, "hello");
    assert_eq!(message.author.username, "nelly");
    assert_eq!(message.edited_timestamp, None);

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/channels/42/messages");
    assert_eq!(request.header("authorization"), Some("Bot abc.def"));
    assert_eq!(request.body_json(), json!({"content": "hello"}));
    // The user agent comes from the crate name.
    assert_eq!(request.header("user-agent"), Some("discord-rust/0.1.0"));
}

#[tokio::test]
async fn an_oauth2_token_supplied_by_the_user_is_a_bearer_token() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        200,
        json!({"platform_name": "Game", "platform_username": "nelly", "metadata": {"level": "3"}}),
    ));
    let client = Client::builder()
        .o_auth2("user-token")
        .base_url(server.url())
        .build()
        .unwrap();
    let connection = client
        .users()
        .me()
        .applications()
        .role_connection()
        .update(
            discord::users::me::applications::role_connection::RoleConnectionUpdateParams::new("7")
                .platform_name("Game"),
        )
        .await
        .expect("the call succeeds");
    assert_eq!(connection.platform_name.as_deref(), Some("Game"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path(), "/users/@me/applications/7/role-connection");
    assert_eq!(request.header("authorization"), Some("Bearer user-token"));
    assert_eq!(request.body_json(), json!({"platform_name": "Game"}));
}

#[tokio::test]
async fn operations_that_allow_no_credentials_send_none_and_others_refuse_without() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(200, json!({"url": "wss://gateway.discord.gg"})));
    let client = Client::builder().base_url(server.url()).build().unwrap();
    // `GET /gateway` declares `security: [{}, {BotToken: []}]`.
    let gateway = client.gateway().list().await.expect("no credentials needed");
    assert_eq!(gateway.url, "wss://gateway.discord.gg");
    assert_eq!(server.requests()[0].header("authorization"), None);
    // `POST /channels/{id}/messages` needs the bot token: nothing is sent without it.
    let err = client
        .channels()
        .messages()
        .create(discord::channels::messages::MessageCreateParams::new("42").content("x"))
        .await
        .expect_err("missing credentials");
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn discord_error_bodies_are_typed_errors() {
    let server = MockServer::start().await;
    server.enqueue(Reply::json(
        400,
        json!({"code": 50035, "message": "Invalid Form Body", "errors": {"content": {"_errors": []}}}),
    ));
    let client = Client::builder()
        .bot_token("Bot t")
        .base_url(server.url())
        .build()
        .unwrap();
    let err = client
        .channels()
        .messages()
        .create(discord::channels::messages::MessageCreateParams::new("42").content("x"))
        .await
        .expect_err("400");
    let Error::BadRequest(api) = &err else {
        panic!("expected BadRequest, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.errors[0].message, "Invalid Form Body");
    assert_eq!(api.errors[0].code, Some(50035));
    assert!(String::from_utf8_lossy(&api.body).contains("50035"));
}

#[tokio::test]
async fn constraints_from_the_3_1_spec_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .bot_token("Bot t")
        .base_url(server.url())
        .build()
        .unwrap();
    // `content` has `maxLength: 4000`.
    let err = client
        .channels()
        .messages()
        .create(discord::channels::messages::MessageCreateParams::new("42").content("x".repeat(4001)))
        .await
        .expect_err("too long");
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(server.request_count(), 0);
}

#[test]
fn credentials_and_base_url_come_from_variables_named_after_the_crate() {
    // The only test of this binary that touches the environment.
    std::env::set_var("DISCORD_BOT_TOKEN", "Bot from-env");
    std::env::set_var("DISCORD_BASE_URL", "http://127.0.0.1:9");
    let client = Client::from_env().expect("configured from the environment");
    assert!(client.has_credential("BotToken"));
    assert!(!client.has_credential("OAuth2"));
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
}
