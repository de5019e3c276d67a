//! Tests of the runtime's value types and helpers that need no server:
//! `Nullable`, validation primitives, retry-delay arithmetic.

use std::sync::LazyLock;
use std::time::Duration;

use cloudflare::runtime::{
    backoff_delay, check_enum, check_exclusive_maximum, check_exclusive_minimum, check_format,
    check_max_items, check_max_length, check_max_properties, check_maximum, check_min_items,
    check_min_length, check_min_properties, check_minimum, check_multiple_of, check_pattern,
    check_regex, check_unique_items, retry_after, should_retry, Format, HeaderMap, Nullable,
    Pattern, Regex, Rule, StatusCode, Validate, Violation,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

// ---------------------------------------------------------------------------
// Nullable
// ---------------------------------------------------------------------------

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    ttl: Nullable<u32>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    tags: Nullable<Vec<String>>,
}

#[test]
fn nullable_serializes_absent_null_and_value() {
    let patch = Patch {
        name: Nullable::Null,
        ttl: Nullable::Value(300),
        tags: Nullable::Absent,
    };
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"name": null, "ttl": 300})
    );
    assert_eq!(serde_json::to_string(&Patch::default()).unwrap(), "{}");
}

#[test]
fn nullable_deserializes_missing_null_and_value() {
    let patch: Patch = serde_json::from_value(json!({"name": null, "tags": ["a"]})).unwrap();
    assert_eq!(patch.name, Nullable::Null);
    assert_eq!(patch.ttl, Nullable::Absent);
    assert_eq!(patch.tags, Nullable::Value(vec!["a".to_owned()]));
    assert!(serde_json::from_value::<Patch>(json!({"ttl": "x"})).is_err());
}

#[test]
fn nullable_round_trips() {
    for patch in [
        Patch::default(),
        Patch {
            name: Nullable::Null,
            ttl: Nullable::Null,
            tags: Nullable::Null,
        },
        Patch {
            name: "n".to_owned().into(),
            ttl: 1.into(),
            tags: Nullable::Value(vec![]),
        },
    ] {
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(
            serde_json::from_str::<Patch>(&text).unwrap(),
            patch,
            "{text}"
        );
    }
}

#[test]
fn nullable_helpers() {
    let v: Nullable<i32> = 5.into();
    assert!(v.is_value() && !v.is_null() && !v.is_absent());
    assert_eq!(v.value(), Some(&5));
    assert_eq!(v.as_ref(), Nullable::Value(&5));
    assert_eq!(v.clone().map(|x| x * 2), Nullable::Value(10));
    assert_eq!(v.into_option(), Some(5));
    let n: Nullable<i32> = Nullable::Null;
    assert!(n.is_null());
    assert_eq!(n.value(), None);
    assert_eq!(n.into_option(), None);
    assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
    assert_eq!(Nullable::from_option(None::<i32>), Nullable::Null);
    assert_eq!(Nullable::from_option(Some(1)), Nullable::Value(1));
    let mut set = std::collections::HashSet::new();
    set.insert(Nullable::Value(1));
    set.insert(Nullable::Null);
    set.insert(Nullable::Absent);
    assert_eq!(set.len(), 3);
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

#[test]
fn lengths_count_code_points() {
    let mut v = Vec::new();
    check_max_length(&mut v, "body.name", "ééé", 3);
    check_min_length(&mut v, "body.name", "ééé", 3);
    check_max_length(&mut v, "body.name", "😀😀", 2);
    assert!(v.is_empty(), "{v:?}");
    check_max_length(&mut v, "body.name", "abcd", 3);
    check_min_length(&mut v, "body.name", "", 1);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].rule, Rule::MaxLength(3));
    assert_eq!(v[0].value.as_deref(), Some("abcd"));
    assert_eq!(v[1].rule, Rule::MinLength(1));
    assert_eq!(
        v[0].to_string(),
        r#"body.name must be at most 3 characters long (got "abcd")"#
    );
}

static ACCOUNT_ID: Pattern = Pattern::new("^[a-f0-9]{32}$");
static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a$");
static NAME_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new("^[a-z]+$").unwrap());

#[test]
fn patterns() {
    let mut v = Vec::new();
    check_pattern(
        &mut v,
        "path.account_id",
        "023e105f4ecef8ad9ca31a8372d0c353",
        &ACCOUNT_ID,
    );
    check_regex(&mut v, "body.name", "abc", &NAME_RE);
    assert!(v.is_empty());
    check_pattern(&mut v, "path.account_id", "not-an-id", &ACCOUNT_ID);
    check_regex(&mut v, "body.name", "ABC", &NAME_RE);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].rule, Rule::Pattern("^[a-f0-9]{32}$".to_owned()));
    assert_eq!(v[1].rule, Rule::Pattern("^[a-z]+$".to_owned()));
    // Unanchored patterns search, as in JSON Schema.
    let mut v = Vec::new();
    check_pattern(&mut v, "x", "xxabcxx", &Pattern::new("abc"));
    assert!(v.is_empty());
    // Patterns the regex crate cannot compile are skipped, not fatal.
    check_pattern(&mut v, "x", "b", &LOOKAHEAD);
    assert!(v.is_empty());
    assert_eq!(LOOKAHEAD.is_match("b"), None);
    assert_eq!(ACCOUNT_ID.source(), "^[a-f0-9]{32}$");
}

#[test]
fn formats() {
    let cases: &[(Format, &[&str], &[&str])] = &[
        (
            Format::Email,
            &[
                "user@example.com",
                "first.last+tag@sub.example.co.uk",
                "\"quoted user\"@example.com",
                "a@[192.0.2.1]",
            ],
            &[
                "",
                "plain",
                "@example.com",
                "user@",
                "a..b@example.com",
                "user@exa mple.com",
                "user@-bad.com",
                ".a@example.com",
            ],
        ),
        (
            Format::Uuid,
            &[
                "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
                "F174E90A-FAFE-4643-BBBC-4A0ED4FC8415",
            ],
            &[
                "f174e90afafe4643bbbc4a0ed4fc8415",
                "f174e90a-fafe-4643-bbbc-4a0ed4fc841",
                "g174e90a-fafe-4643-bbbc-4a0ed4fc8415",
            ],
        ),
        (
            Format::DateTime,
            &[
                "2014-01-01T05:20:00.12345Z",
                "2021-12-31T23:59:59+01:00",
                "2020-02-29T00:00:00Z",
            ],
            &[
                "2014-01-01",
                "2014-01-01T05:20:00",
                "2021-02-30T00:00:00Z",
                "yesterday",
            ],
        ),
        (
            Format::Date,
            &["2014-01-01", "2020-02-29"],
            &["2014-1-1", "2021-02-29", "2014-01-01T00:00:00Z", "20140101"],
        ),
        (
            Format::Time,
            &["05:20:00Z", "23:59:59.5+02:00"],
            &["05:20", "25:00:00Z", "5:20:00Z"],
        ),
        (
            Format::Uri,
            &[
                "https://example.com/path?q=1#f",
                "mailto:a@example.com",
                "urn:isbn:0451450523",
                "https://ex.com/%20",
            ],
            &[
                "/relative/path",
                "no scheme",
                "https://exa mple.com",
                "https://example.com/%zz",
                "1http://x",
            ],
        ),
        (
            Format::Hostname,
            &["example.com", "a-b.c", "localhost", "xn--bcher-kva.example"],
            &["-bad.com", "bad-.com", "a..b", "under_score.com", ""],
        ),
        (
            Format::Ipv4,
            &["192.0.2.1", "0.0.0.0"],
            &["256.0.0.1", "1.2.3", "::1"],
        ),
        (
            Format::Ipv6,
            &["::1", "2001:db8::ff00:42:8329"],
            &["192.0.2.1", "2001:db8:::1", "gggg::"],
        ),
    ];
    for (format, valid, invalid) in cases {
        for value in *valid {
            assert!(format.is_valid(value), "{format:?} should accept {value:?}");
        }
        for value in *invalid {
            assert!(
                !format.is_valid(value),
                "{format:?} should reject {value:?}"
            );
            let mut v = Vec::new();
            check_format(&mut v, "body.f", value, *format);
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].rule, Rule::Format(*format));
        }
    }
    assert_eq!(Format::from_name("date-time"), Some(Format::DateTime));
    assert_eq!(Format::from_name("url"), Some(Format::Uri));
    assert_eq!(Format::from_name("int64"), None);
    assert_eq!(Format::Ipv6.name(), "ipv6");
}

#[test]
fn numeric_bounds() {
    let mut v = Vec::new();
    check_minimum(&mut v, "q.per_page", 5, 5);
    check_maximum(&mut v, "q.per_page", 50, 50);
    check_exclusive_minimum(&mut v, "x", 0.1, 0.0);
    check_exclusive_maximum(&mut v, "x", 9.99, 10.0);
    assert!(v.is_empty(), "{v:?}");
    check_minimum(&mut v, "q.per_page", 4, 5);
    check_maximum(&mut v, "q.per_page", 51u64, 50);
    check_exclusive_minimum(&mut v, "x", 0.0, 0.0);
    check_exclusive_maximum(&mut v, "x", 10.0, 10.0);
    assert_eq!(v.len(), 4);
    assert_eq!(
        v[0].rule,
        Rule::Minimum {
            limit: "5".into(),
            exclusive: false
        }
    );
    assert_eq!(
        v[1].rule,
        Rule::Maximum {
            limit: "50".into(),
            exclusive: false
        }
    );
    assert_eq!(
        v[2].rule,
        Rule::Minimum {
            limit: "0".into(),
            exclusive: true
        }
    );
    assert_eq!(
        v[3].rule,
        Rule::Maximum {
            limit: "10".into(),
            exclusive: true
        }
    );
    assert_eq!(v[0].to_string(), r#"q.per_page must be >= 5 (got "4")"#);
    assert_eq!(v[2].to_string(), r#"x must be > 0 (got "0")"#);
}

#[test]
fn multiple_of() {
    let mut v = Vec::new();
    check_multiple_of(&mut v, "a", 10, 5);
    check_multiple_of(&mut v, "a", -10i64, 5);
    check_multiple_of(&mut v, "b", 0.3, 0.1);
    check_multiple_of(&mut v, "b", 1.5, 0.5);
    assert!(v.is_empty(), "{v:?}");
    check_multiple_of(&mut v, "a", 11, 5);
    check_multiple_of(&mut v, "b", 0.35, 0.1);
    check_multiple_of(&mut v, "c", 3u32, 0);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0].rule, Rule::MultipleOf("5".into()));
}

#[test]
fn items_properties_and_enums() {
    let mut v = Vec::new();
    check_min_items(&mut v, "body.ids", 1, 1);
    check_max_items(&mut v, "body.ids", 3, 3);
    check_unique_items(&mut v, "body.ids", &["a", "b", "c"]);
    check_min_properties(&mut v, "body.m", 1, 1);
    check_max_properties(&mut v, "body.m", 2, 2);
    check_enum(&mut v, "body.mode", "on", &["on", "off"]);
    assert!(v.is_empty(), "{v:?}");
    check_min_items(&mut v, "body.ids", 0, 1);
    check_max_items(&mut v, "body.ids", 4, 3);
    check_unique_items(&mut v, "body.ids", &[1.5, 2.0, 1.5]);
    check_min_properties(&mut v, "body.m", 0, 1);
    check_max_properties(&mut v, "body.m", 3, 2);
    check_enum(&mut v, "body.mode", "auto", &["on", "off"]);
    let rules: Vec<Rule> = v.iter().map(|x| x.rule.clone()).collect();
    assert_eq!(
        rules,
        vec![
            Rule::MinItems(1),
            Rule::MaxItems(3),
            Rule::UniqueItems,
            Rule::MinProperties(1),
            Rule::MaxProperties(2),
            Rule::Enum(&["on", "off"]),
        ]
    );
    assert_eq!(
        v[2].value.as_deref(),
        Some("item 2 repeats an earlier item")
    );
    assert_eq!(
        v[5].to_string(),
        r#"body.mode must be one of: on, off (got "auto")"#
    );
}

#[test]
fn violation_values_are_shortened_and_secrets_dropped() {
    let long = "x".repeat(500);
    let v = Violation::new("body.description", Rule::MaxLength(10), Some(long));
    let value = v.value.clone().unwrap();
    assert_eq!(value.chars().count(), 65);
    assert!(value.ends_with('…'));

    for field in [
        "body.password",
        "body.api_token",
        "body.secret",
        "body.items[0].private_key",
        "header.X-Auth-Key",
    ] {
        let v = Violation::new(field, Rule::MinLength(40), Some("hunter2-SECRET".into()));
        assert_eq!(v.value, None, "{field}");
        assert!(!v.to_string().contains("SECRET"));
    }
    let v = Violation::new("body.name", Rule::MinLength(40), Some("visible".into())).redacted();
    assert_eq!(v.value, None);
}

struct Org {
    id: String,
}

impl Validate for Org {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        check_max_length(
            out,
            &cloudflare::runtime::field_path(path, "id"),
            &self.id,
            3,
        );
    }
}

#[test]
fn validate_trait_builds_paths_through_containers() {
    let orgs = vec![
        Org { id: "ok".into() },
        Org { id: "ok".into() },
        Org {
            id: "too long".into(),
        },
    ];
    let v = orgs.violations_at("body.organizations");
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].field, "body.organizations[2].id");
    let nested: Option<Nullable<Vec<Org>>> = Some(Nullable::Value(orgs));
    assert_eq!(
        nested.violations_at("body.orgs")[0].field,
        "body.orgs[2].id"
    );
}

// ---------------------------------------------------------------------------
// Retry arithmetic
// ---------------------------------------------------------------------------

#[test]
fn backoff_doubles_with_jitter_and_cap() {
    let initial = Duration::from_millis(500);
    let max = Duration::from_secs(8);
    for (retry, full_ms) in [
        (0u32, 500u64),
        (1, 1000),
        (2, 2000),
        (3, 4000),
        (4, 8000),
        (5, 8000),
        (40, 8000),
    ] {
        for _ in 0..50 {
            let d = backoff_delay(initial, max, retry);
            let full = Duration::from_millis(full_ms);
            assert!(d <= full && d >= full.mul_f64(0.75), "retry {retry}: {d:?}");
        }
    }
    let samples: std::collections::HashSet<Duration> =
        (0..20).map(|_| backoff_delay(initial, max, 0)).collect();
    assert!(samples.len() > 1, "jitter must vary");
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().unwrap());
    }
    map
}

#[test]
fn retry_after_parsing() {
    let now = chrono::DateTime::parse_from_rfc3339("2024-05-01T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let check = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);
    assert_eq!(
        check(&[("retry-after-ms", "250")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(
        check(&[("retry-after-ms", "250"), ("retry-after", "5")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(
        check(&[("retry-after-ms", "0"), ("retry-after", "5")]),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        check(&[("retry-after", "1.5")]),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        check(&[("retry-after", "60")]),
        Some(Duration::from_secs(60))
    );
    assert_eq!(check(&[("retry-after", "61")]), None);
    assert_eq!(check(&[("retry-after", "0")]), None);
    assert_eq!(check(&[("retry-after", "-3")]), None);
    assert_eq!(check(&[("retry-after", "soon")]), None);
    assert_eq!(
        check(&[("retry-after", "Wed, 01 May 2024 12:00:30 GMT")]),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        check(&[("retry-after", "Wed, 01 May 2024 11:59:00 GMT")]),
        None
    );
    assert_eq!(
        check(&[("retry-after", "Wed, 01 May 2024 12:05:00 GMT")]),
        None
    );
    assert_eq!(check(&[]), None);
}

#[test]
fn retryable_statuses() {
    let none = HeaderMap::new();
    for status in [408u16, 409, 429, 500, 502, 503, 504, 599] {
        assert!(
            should_retry(StatusCode::from_u16(status).unwrap(), &none),
            "{status}"
        );
    }
    for status in [400u16, 401, 403, 404, 405, 410, 422, 499] {
        assert!(
            !should_retry(StatusCode::from_u16(status).unwrap(), &none),
            "{status}"
        );
    }
    assert!(should_retry(
        StatusCode::BAD_REQUEST,
        &headers(&[("x-should-retry", "true")])
    ));
    assert!(!should_retry(
        StatusCode::SERVICE_UNAVAILABLE,
        &headers(&[("x-should-retry", "false")])
    ));
    assert!(should_retry(
        StatusCode::SERVICE_UNAVAILABLE,
        &headers(&[("x-should-retry", "maybe")])
    ));
}
