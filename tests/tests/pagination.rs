//! Paged lists end to end: the client generated from the 2026-08 spec (one list operation
//! per pagination style, see `tests/build.rs`) against an in-process server that serves
//! each style over several pages. Every request's query is checked, and so are the stop
//! rules, errors and retries in the middle of a list.

mod runtime_support;

#[allow(clippy::all, unused_imports)]
mod paged {
    include!(concat!(env!("OUT_DIR"), "/paged.rs"));
}

use std::time::Duration;

use apigen_runtime::{Error, TryStreamExt};
use paged::{Client, ClientBuilder};
use runtime_support::{MockServer, Reply};
use serde_json::{json, Value};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// A list id of the 32 hex digits `lists_list_id` requires.
const LIST: &str = "2c0fc9fa937b11eaa1b71c4d701ab86e";
const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/client/v4", server.url()))
        .api_token(TOKEN)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(server: &MockServer) -> Client {
    builder(server).build().expect("the client builds")
}

/// A success envelope.
fn page(result: Value, result_info: Value) -> Reply {
    Reply::json(
        200,
        json!({"success": true, "errors": [], "messages": [], "result": result, "result_info": result_info}),
    )
}

/// A zone with every field `zones_zone` requires.
fn zone(id: u32) -> Value {
    json!({
        "id": format!("zone-{id}"),
        "name": format!("example-{id}.com"),
        "account": {},
        "meta": {},
        "owner": {},
        "plan": {},
        "created_on": "2014-01-01T05:20:00.12345Z",
        "modified_on": "2014-01-01T05:20:00.12345Z",
        "development_mode": 0,
        "name_servers": [],
    })
}

fn zones(ids: std::ops::RangeInclusive<u32>) -> Value {
    Value::Array(ids.map(zone).collect())
}

/// `result_info` of page-number pages.
fn pages_info(page: u32, per_page: u32, total_pages: u32, total_count: u32) -> Value {
    json!({"page": page, "per_page": per_page, "count": per_page, "total_pages": total_pages, "total_count": total_count})
}

/// The query of every request the server saw, in order; each request must carry the
/// token and go to `path`.
fn queries(server: &MockServer, path: &str) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            assert_eq!(r.method, "GET");
            assert_eq!(r.path(), format!("/client/v4{path}"));
            assert_eq!(
                r.header("authorization"),
                Some(format!("Bearer {TOKEN}").as_str()),
                "every page request is authenticated"
            );
            r.query().unwrap_or("").to_owned()
        })
        .collect()
}

fn zone_names(items: &[paged::types::ZonesZone]) -> Vec<String> {
    items.iter().map(|z| z.name.clone()).collect()
}

// ---------------------------------------------------------------------------
// The styles, each over three pages
// ---------------------------------------------------------------------------

#[tokio::test]
async fn listing_every_zone_is_a_three_line_loop() -> Result<(), Error> {
    let server = MockServer::start().await;
    server.enqueue(page(zones(1..=2), pages_info(1, 2, 3, 6)));
    server.enqueue(page(zones(3..=4), pages_info(2, 2, 3, 6)));
    server.enqueue(page(zones(5..=6), pages_info(3, 2, 3, 6)));
    let client = client(&server);
    let mut names = Vec::new();

    // The README's loop.
    let mut zones = client
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .items();
    while let Some(zone) = zones.try_next().await? {
        names.push(zone.name);
    }

    assert_eq!(
        names,
        (1..=6)
            .map(|i| format!("example-{i}.com"))
            .collect::<Vec<_>>()
    );
    assert_eq!(queries(&server, "/zones"), ["", "page=2", "page=3"]);
    Ok(())
}

#[tokio::test]
async fn page_array_keeps_every_filter_on_every_page_and_stops_at_total_pages() {
    let server = MockServer::start().await;
    for p in 1..=3 {
        server.enqueue(page(zones(p * 5 - 4..=p * 5), pages_info(p, 5, 3, 15)));
    }
    let params = paged::zones::ZoneListParams::new()
        .name("example.com")
        .per_page(5)
        .status(paged::zones::ZoneListStatus::Active)
        .account_id(ACCOUNT);
    let items: Vec<_> = client(&server)
        .zones()
        .list(params)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 15);
    let filters = format!("account.id={ACCOUNT}&name=example.com&per_page=5&status=active");
    assert_eq!(
        queries(&server, "/zones"),
        [
            filters.clone(),
            format!("{filters}&page=2"),
            format!("{filters}&page=3"),
        ],
        "no request after page 3 of 3"
    );
}

#[tokio::test]
async fn page_with_items_in_a_result_field_starts_at_the_page_asked_for() {
    let server = MockServer::start().await;
    let commands = |from: u32| json!({"commands": [{"id": format!("c{from}")}, {"id": format!("c{}", from + 1)}]});
    for p in 2..=4 {
        server.enqueue(page(commands(p * 10), pages_info(p, 2, 4, 8)));
    }
    let params = paged::zero_trust::dex::commands::CommandListParams::new(ACCOUNT, 2, 2)
        .user_email("jdoe@example.com");
    let pages: Vec<_> = client(&server)
        .zero_trust()
        .dex()
        .commands()
        .list(params)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.items.iter().map(|c| c.id.clone().unwrap()).collect())
        .collect();
    assert_eq!(ids, [["c20", "c21"], ["c30", "c31"], ["c40", "c41"]]);
    let info = pages[2].result_info.as_ref().expect("typed result_info");
    assert_eq!((info.page, info.total_pages), (Some(4.0), Some(4.0)));
    let q = "page=2&per_page=2&user_email=jdoe%40example.com";
    assert_eq!(
        queries(&server, &format!("/accounts/{ACCOUNT}/dex/commands")),
        [
            q.to_owned(),
            "per_page=2&user_email=jdoe%40example.com&page=3".to_owned(),
            "per_page=2&user_email=jdoe%40example.com&page=4".to_owned(),
        ]
    );
}

#[tokio::test]
async fn cursor_follows_result_info_cursor_until_it_is_empty() {
    let server = MockServer::start().await;
    let device = |id: &str| json!({"id": id, "name": id, "active_registrations": 1, "created_at": "2024-01-01", "updated_at": "2024-01-01"});
    server.enqueue(page(
        json!([device("d1"), device("d2")]),
        json!({"count": 2, "per_page": 2, "cursor": "c1"}),
    ));
    server.enqueue(page(
        json!([device("d3"), device("d4")]),
        json!({"count": 2, "per_page": 2, "cursor": "c2"}),
    ));
    server.enqueue(page(
        json!([device("d5")]),
        json!({"count": 1, "per_page": 2, "cursor": ""}),
    ));
    let params = paged::zero_trust::devices::devices::DeviceListParams::new(ACCOUNT)
        .per_page(2)
        .search("laptop");
    let ids: Vec<String> = client(&server)
        .zero_trust()
        .devices()
        .devices()
        .list(params)
        .items()
        .map_ok(|d| d.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["d1", "d2", "d3", "d4", "d5"]);
    assert_eq!(
        queries(
            &server,
            &format!("/accounts/{ACCOUNT}/devices/physical-devices")
        ),
        [
            "per_page=2&search=laptop",
            "per_page=2&search=laptop&cursor=c1",
            "per_page=2&search=laptop&cursor=c2",
        ]
    );
}

#[tokio::test]
async fn cursor_limit_sends_the_cursor_with_the_same_limit() {
    let server = MockServer::start().await;
    let keys = |names: &[&str]| Value::Array(names.iter().map(|n| json!({"name": n})).collect());
    server.enqueue(page(keys(&["a", "b"]), json!({"count": 2, "cursor": "k1"})));
    server.enqueue(page(keys(&["c", "d"]), json!({"count": 2, "cursor": "k2"})));
    server.enqueue(page(keys(&["e"]), json!({"count": 1, "cursor": null})));
    let params = paged::keys::KeyListParams::new(ACCOUNT)
        .limit(10)
        .prefix("user:");
    let names: Vec<String> = client(&server)
        .keys()
        .list("ns-1", params)
        .items()
        .map_ok(|k| k.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        queries(
            &server,
            &format!("/accounts/{ACCOUNT}/storage/kv/namespaces/ns-1/keys")
        ),
        [
            "limit=10&prefix=user%3A",
            "limit=10&prefix=user%3A&cursor=k1",
            "limit=10&prefix=user%3A&cursor=k2",
        ]
    );
}

#[tokio::test]
async fn cursor_after_reads_result_info_cursors_after() {
    let server = MockServer::start().await;
    let items =
        |ips: &[&str]| Value::Array(ips.iter().map(|ip| json!({"id": ip, "ip": ip})).collect());
    server.enqueue(page(
        items(&["10.0.0.1", "10.0.0.2"]),
        json!({"cursors": {"after": "a1", "before": "b0"}}),
    ));
    server.enqueue(page(
        items(&["10.0.0.3", "10.0.0.4"]),
        json!({"cursors": {"after": "a2", "before": "b1"}}),
    ));
    server.enqueue(page(
        items(&["10.0.0.5"]),
        json!({"cursors": {"before": "b2"}}),
    ));
    let params = paged::rules::lists::items::ItemListParams::new(ACCOUNT).per_page(2);
    let items = client(&server)
        .rules()
        .lists()
        .items()
        .list(LIST, params)
        .collect_all(100)
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(
        queries(
            &server,
            &format!("/accounts/{ACCOUNT}/rules/lists/{LIST}/items")
        ),
        ["per_page=2", "per_page=2&cursor=a1", "per_page=2&cursor=a2"]
    );
}

#[tokio::test]
async fn page_token_reads_next_page_token() {
    let server = MockServer::start().await;
    let orgs = |ids: &[&str]| {
        Value::Array(
            ids.iter()
                .map(|id| json!({"id": id, "name": id, "create_time": "2024-01-01T00:00:00Z", "meta": {}}))
                .collect(),
        )
    };
    server.enqueue(page(
        orgs(&["o1", "o2"]),
        json!({"next_page_token": "t1", "page_size": 2}),
    ));
    server.enqueue(page(
        orgs(&["o3", "o4"]),
        json!({"next_page_token": "t2", "page_size": 2}),
    ));
    server.enqueue(page(orgs(&["o5"]), json!({"page_size": 2})));
    let params = paged::organization::OrganizationListParams::new()
        .page_size(2)
        .name_contains("acme");
    let ids: Vec<String> = client(&server)
        .organization()
        .list(params)
        .items()
        .map_ok(|o| o.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["o1", "o2", "o3", "o4", "o5"]);
    assert_eq!(
        queries(&server, "/organizations"),
        [
            "name.contains=acme&page_size=2",
            "name.contains=acme&page_size=2&page_token=t1",
            "name.contains=acme&page_size=2&page_token=t2",
        ]
    );
}

#[tokio::test]
async fn a_single_page_is_never_fetched_twice() {
    let server = MockServer::start().await;
    // Paging state in the response changes nothing: the list is not paged.
    server.enqueue(page(
        json!([{"id": "r1", "pattern": "example.com/*"}]),
        json!({"page": 1, "total_pages": 5, "cursor": "more"}),
    ));
    server.set_fallback(page(json!([{"id": "r2", "pattern": "x"}]), Value::Null));
    let pages: Vec<_> = client(&server)
        .workers()
        .routes()
        .list(paged::workers::routes::RouteListParams::new("zone-1"))
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items[0].id, "r1");
    assert_eq!(queries(&server, "/zones/zone-1/workers/routes"), [""]);
}

// ---------------------------------------------------------------------------
// Stop rules
// ---------------------------------------------------------------------------

/// Gateway list items: the spec declares no `page`, but the response pages
/// (cloudflare-go #4351, where the Go SDK stops after the first page).
#[tokio::test]
async fn undeclared_page_numbers_stop_on_an_empty_page() {
    let server = MockServer::start().await;
    let items =
        |values: &[&str]| Value::Array(values.iter().map(|v| json!({"value": v})).collect());
    let info = |page: u32| json!({"page": page, "per_page": 2, "count": 2, "total_count": 100});
    server.enqueue(page(items(&["a", "b"]), info(1)));
    server.enqueue(page(items(&["c", "d"]), info(2)));
    server.enqueue(page(items(&[]), info(3)));
    server.set_fallback(page(items(&["never"]), info(4)));
    let values: Vec<String> = client(&server)
        .accounts()
        .gateway()
        .lists()
        .items()
        .list(
            "list-1",
            paged::accounts::gateway::lists::items::ItemListParams::new(ACCOUNT),
        )
        .items()
        .map_ok(|i| i.value.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(values, ["a", "b", "c", "d"]);
    assert_eq!(
        queries(
            &server,
            &format!("/accounts/{ACCOUNT}/gateway/lists/list-1/items")
        ),
        ["", "page=2", "page=3"]
    );
}

#[tokio::test]
async fn page_numbers_stop_once_total_count_items_arrived() {
    let server = MockServer::start().await;
    let items =
        |values: &[&str]| Value::Array(values.iter().map(|v| json!({"value": v})).collect());
    let info = |page: u32| json!({"page": page, "per_page": 2, "total_count": 3});
    server.enqueue(page(items(&["a", "b"]), info(1)));
    server.enqueue(page(items(&["c"]), info(2)));
    server.set_fallback(page(items(&["never"]), info(3)));
    let all = client(&server)
        .accounts()
        .gateway()
        .lists()
        .items()
        .list(
            "list-1",
            paged::accounts::gateway::lists::items::ItemListParams::new(ACCOUNT),
        )
        .collect_all(10)
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn page_numbers_stop_when_the_server_ignores_the_page_parameter() {
    let server = MockServer::start().await;
    // A server that always answers page 1: its second answer repeats the first.
    server.set_fallback(page(zones(1..=2), pages_info(1, 2, 9, 18)));
    let items: Vec<_> = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        zone_names(&items),
        ["example-1.com", "example-2.com"],
        "no duplicates"
    );
    assert_eq!(queries(&server, "/zones"), ["", "page=2"]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    let keys = |names: &[&str]| Value::Array(names.iter().map(|n| json!({"name": n})).collect());
    server.enqueue(page(keys(&["a"]), json!({"cursor": "k1"})));
    server.enqueue(page(keys(&["b"]), json!({"cursor": "k2"})));
    server.enqueue(page(keys(&["c"]), json!({"cursor": "k1"})));
    server.set_fallback(page(keys(&["loop"]), json!({"cursor": "k2"})));
    let mut items = client(&server)
        .keys()
        .list("ns-1", paged::keys::KeyListParams::new(ACCOUNT))
        .items();
    let mut names = Vec::new();
    let error = loop {
        match items.try_next().await {
            Ok(Some(key)) => names.push(key.name),
            Ok(None) => panic!("the stream ended without reporting the repeated cursor"),
            Err(error) => break error,
        }
    };
    assert_eq!(
        names,
        ["a", "b", "c"],
        "the items before the repeat are delivered"
    );
    assert!(
        matches!(&error, Error::RepeatedCursor { cursor, .. } if cursor == "k1"),
        "{error:?}"
    );
    assert!(
        items.try_next().await.unwrap().is_none(),
        "the stream has ended"
    );
    assert_eq!(server.request_count(), 3);
}

// ---------------------------------------------------------------------------
// Errors and retries in the middle of a list
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_error_on_page_2_comes_after_page_1s_items_and_ends_the_stream() {
    let server = MockServer::start().await;
    server.enqueue(page(zones(1..=2), pages_info(1, 2, 3, 6)));
    server.enqueue(Reply::json(
        403,
        json!({"success": false, "errors": [{"code": 9109, "message": "Unauthorized to access requested resource"}], "messages": [], "result": null}),
    ));
    server.set_fallback(page(zones(5..=6), pages_info(3, 2, 3, 6)));
    let mut items = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .items();
    assert_eq!(
        items.try_next().await.unwrap().unwrap().name,
        "example-1.com"
    );
    assert_eq!(
        items.try_next().await.unwrap().unwrap().name,
        "example-2.com"
    );
    let error = items.try_next().await.unwrap_err();
    assert!(
        matches!(&error, Error::PermissionDenied(e) if e.has_code(9109)),
        "{error:?}"
    );
    assert!(items.try_next().await.unwrap().is_none());
    assert_eq!(queries(&server, "/zones"), ["", "page=2"]);
}

#[tokio::test]
async fn a_429_in_the_middle_is_retried_and_the_list_completes() {
    let server = MockServer::start().await;
    server.enqueue(page(zones(1..=2), pages_info(1, 2, 3, 6)));
    server.enqueue(
        Reply::json(
            429,
            json!({"success": false, "errors": [{"code": 10000, "message": "rate limited"}]}),
        )
        .header("retry-after-ms", "1"),
    );
    server.enqueue(page(zones(3..=4), pages_info(2, 2, 3, 6)));
    server.enqueue(page(zones(5..=6), pages_info(3, 2, 3, 6)));
    let items = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .collect_all(100)
        .await
        .unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(
        queries(&server, "/zones"),
        ["", "page=2", "page=2", "page=3"],
        "the retried request is the same page"
    );
}

#[tokio::test]
async fn request_options_apply_to_every_page() {
    let server = MockServer::start().await;
    server.enqueue(page(zones(1..=1), pages_info(1, 1, 2, 2)));
    server.enqueue(Reply::status(503));
    let error = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .max_retries(0)
        .extra_header("X-Trace", "t-1")
        .collect_all(10)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InternalServer(_)), "{error:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "page 2 was not retried: max_retries(0)");
    assert!(requests.iter().all(|r| r.header("x-trace") == Some("t-1")));
}

#[tokio::test]
async fn every_page_is_validated_before_anything_is_sent() {
    let server = MockServer::start().await;
    // `per_page` is at most 50 for zones.
    let mut items = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new().per_page(51))
        .items();
    let error = items.try_next().await.unwrap_err();
    assert!(matches!(error, Error::Validation { .. }), "{error:?}");
    assert!(items.try_next().await.unwrap().is_none());
    assert_eq!(server.request_count(), 0);
}

// ---------------------------------------------------------------------------
// The first page as before, and the bound of collect_all
// ---------------------------------------------------------------------------

#[tokio::test]
async fn awaiting_the_request_still_returns_the_first_page_only() {
    let server = MockServer::start().await;
    server.set_fallback(page(zones(1..=2), pages_info(1, 2, 3, 6)));
    let client = client(&server);
    let first = client
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .await
        .unwrap()
        .expect("a result");
    assert_eq!(zone_names(&first), ["example-1.com", "example-2.com"]);
    let response = client
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .with_response()
        .await
        .unwrap();
    let info = response.result_info.expect("typed result_info");
    assert_eq!((info.page, info.total_pages), (Some(1.0), Some(3.0)));
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn collect_all_fails_past_its_bound_without_fetching_further() {
    let server = MockServer::start().await;
    server.enqueue(page(zones(1..=2), pages_info(1, 2, 3, 6)));
    server.enqueue(page(zones(3..=4), pages_info(2, 2, 3, 6)));
    server.set_fallback(page(zones(5..=6), pages_info(3, 2, 3, 6)));
    let error = client(&server)
        .zones()
        .list(paged::zones::ZoneListParams::new())
        .collect_all(3)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::TooManyItems {
                limit: 3,
                operation: "zones-get"
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 2, "page 3 was not fetched");
}
