//! What is retried and after how long: classification of failed attempts
//! (transport errors and response statuses), server-requested delays, and
//! exponential backoff with jitter.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Error;

/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default delay before the first retry (doubled for each further retry).
pub const DEFAULT_INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
/// Default upper bound of the delay between two attempts.
pub const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(8);
/// Longest server-requested delay (`Retry-After`, `retry-after-ms`) that is honoured.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// An attempt that got no response.
pub(super) enum Failure {
    /// The attempt's timeout expired.
    Timeout,
    /// The transport failed.
    Transport(reqwest::Error),
}

/// The error an attempt without a response ends with, and whether it may be
/// retried: timeouts and connection errors are; requests `reqwest` cannot
/// build and redirect failures are not.
pub(super) fn classify_failure(
    failure: Failure,
    operation: &'static str,
    timeout: Option<Duration>,
) -> (Error, bool) {
    match failure {
        Failure::Timeout => (
            Error::Timeout {
                operation,
                after: timeout,
            },
            true,
        ),
        Failure::Transport(e) if e.is_timeout() => (
            Error::Timeout {
                operation,
                after: None,
            },
            true,
        ),
        Failure::Transport(e) if e.is_builder() => (
            Error::InvalidRequest {
                operation,
                message: e.without_url().to_string(),
            },
            false,
        ),
        Failure::Transport(e) => {
            let retryable = !e.is_redirect();
            (
                Error::Connection {
                    operation,
                    source: e.without_url(),
                },
                retryable,
            )
        }
    }
}

/// Whether a non-2xx response is retried: `x-should-retry: true|false` decides
/// when present, otherwise 408, 409, 429 and 5xx are retried.
pub fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers
        .get("x-should-retry")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
    {
        Some(v) if v.eq_ignore_ascii_case("true") => return true,
        Some(v) if v.eq_ignore_ascii_case("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// The delay a response asks for: `retry-after-ms`, else `Retry-After` in
/// seconds, else `Retry-After` as an HTTP date (relative to `now`). Only
/// delays in `(0, 60 s]` are returned.
pub fn retry_after(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let accept = |d: Duration| (!d.is_zero() && d <= MAX_RETRY_AFTER).then_some(d);
    let from_secs = |s: f64| {
        (s.is_finite() && s > 0.0 && s <= MAX_RETRY_AFTER.as_secs_f64())
            .then(|| Duration::from_secs_f64(s))
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if let Some(d) = from_secs(ms / 1000.0).and_then(accept) {
            return Some(d);
        }
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return from_secs(secs).and_then(accept);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = date.with_timezone(&chrono::Utc) - now;
    accept(delta.to_std().ok()?)
}

/// `min(initial * 2^retry, max)` reduced by a random factor in `[0, 25 %)`.
pub fn backoff_delay(initial: Duration, max: Duration, retry: u32) -> Duration {
    let base = initial
        .saturating_mul(2u32.saturating_pow(retry.min(31)))
        .min(max);
    base.mul_f64(1.0 - 0.25 * fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (u32::MAX, 8000),
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
        assert_eq!(backoff_delay(Duration::ZERO, max, 3), Duration::ZERO);
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
        let ms = Duration::from_millis;
        assert_eq!(check(&[("retry-after-ms", "250")]), Some(ms(250)));
        assert_eq!(
            check(&[("retry-after-ms", "250"), ("retry-after", "5")]),
            Some(ms(250))
        );
        assert_eq!(
            check(&[("retry-after-ms", "0"), ("retry-after", "5")]),
            Some(ms(5000))
        );
        assert_eq!(
            check(&[("retry-after-ms", "x"), ("retry-after", "5")]),
            Some(ms(5000))
        );
        assert_eq!(check(&[("retry-after-ms", "61000")]), None);
        assert_eq!(check(&[("retry-after", "1.5")]), Some(ms(1500)));
        assert_eq!(check(&[("retry-after", " 60 ")]), Some(ms(60_000)));
        assert_eq!(check(&[("retry-after", "61")]), None);
        assert_eq!(check(&[("retry-after", "0")]), None);
        assert_eq!(check(&[("retry-after", "-3")]), None);
        assert_eq!(check(&[("retry-after", "NaN")]), None);
        assert_eq!(check(&[("retry-after", "inf")]), None);
        assert_eq!(check(&[("retry-after", "soon")]), None);
        assert_eq!(
            check(&[("retry-after", "Wed, 01 May 2024 12:00:30 GMT")]),
            Some(ms(30_000))
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
        let status = |s: u16| StatusCode::from_u16(s).unwrap();
        for s in [408u16, 409, 429, 500, 502, 503, 504, 599] {
            assert!(should_retry(status(s), &none), "{s}");
        }
        for s in [400u16, 401, 403, 404, 405, 410, 422, 499] {
            assert!(!should_retry(status(s), &none), "{s}");
        }
        let says = |v: &str| headers(&[("x-should-retry", v)]);
        assert!(should_retry(StatusCode::BAD_REQUEST, &says("true")));
        assert!(should_retry(StatusCode::BAD_REQUEST, &says(" TRUE ")));
        assert!(!should_retry(
            StatusCode::SERVICE_UNAVAILABLE,
            &says("false")
        ));
        assert!(should_retry(
            StatusCode::SERVICE_UNAVAILABLE,
            &says("maybe")
        ));
        assert!(!should_retry(StatusCode::NOT_FOUND, &says("maybe")));
    }

    #[test]
    fn timeouts_are_retryable_and_keep_the_limit() {
        let limit = Some(Duration::from_secs(3));
        let (error, retryable) = classify_failure(Failure::Timeout, "op", limit);
        assert!(retryable);
        assert!(matches!(error, Error::Timeout { operation: "op", after } if after == limit));
    }

    #[test]
    fn builder_errors_are_final_and_connection_errors_retryable() {
        // `reqwest` refuses to build a request to a URL without a host.
        let builder_error = reqwest::Client::new().get("http://").build().unwrap_err();
        assert!(builder_error.is_builder());
        let (error, retryable) = classify_failure(Failure::Transport(builder_error), "op", None);
        assert!(!retryable);
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    operation: "op",
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn connection_errors_are_retryable() {
        let url = crate::test_server::closed_port_url().await;
        let refused = reqwest::Client::new().get(url).send().await.unwrap_err();
        let (error, retryable) = classify_failure(Failure::Transport(refused), "op", None);
        assert!(retryable);
        let Error::Connection { operation, source } = &error else {
            panic!("expected a connection error, got {error:?}");
        };
        assert_eq!(*operation, "op");
        assert!(source.url().is_none(), "the URL is stripped from the error");
    }
}
