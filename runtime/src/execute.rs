//! Execution of a prepared request: attempts with a timeout each, retries as
//! `retry` classifies them, decoding of the 2xx response, all in one tracing
//! span per request (operation, method, path template, attempt, status;
//! never the URL, headers or body, which may hold secrets).

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};
use tracing::Instrument;

use super::client::Client;
use super::error::{ApiError, Error};
use super::response::{DecodeFn, RawResponse};
use super::retry::{backoff_delay, classify_failure, retry_after, should_retry, Failure};
use super::spec::Operation;

/// A request ready to send: everything resolved, nothing left to check.
pub(super) struct Prepared<T> {
    pub(super) client: Client,
    pub(super) op: &'static Operation,
    pub(super) url: Url,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Bytes>,
    /// Of each attempt.
    pub(super) timeout: Option<Duration>,
    pub(super) max_retries: u32,
    pub(super) initial_delay: Duration,
    pub(super) max_delay: Duration,
    pub(super) decoder: DecodeFn<T>,
}

/// One attempt: send, then read the whole body.
async fn run_attempt(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<(StatusCode, HeaderMap, Bytes), reqwest::Error> {
    let response = http.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok((status, headers, body))
}

impl<T> Prepared<T> {
    /// Sends the request, retrying as configured, and decodes the response.
    pub(super) async fn execute(self) -> Result<T, Error> {
        let op = self.op;
        let span = tracing::debug_span!(
            "api_request",
            operation = op.id,
            method = %op.method,
            path = op.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.retry_loop(span.clone()).instrument(span).await
    }

    async fn retry_loop(self, span: tracing::Span) -> Result<T, Error> {
        let Prepared {
            client,
            op,
            url,
            headers,
            body,
            timeout,
            max_retries,
            initial_delay,
            max_delay,
            decoder,
        } = self;
        let http = &client.inner.http;
        let mut retries = 0u32;
        loop {
            span.record("attempt", retries + 1);
            let mut request = reqwest::Request::new(op.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            if let Some(body) = &body {
                *request.body_mut() = Some(reqwest::Body::from(body.clone()));
            }
            let outcome = match timeout {
                Some(limit) => {
                    match tokio::time::timeout(limit, run_attempt(http, request)).await {
                        Ok(result) => result.map_err(Failure::Transport),
                        Err(_) => Err(Failure::Timeout),
                    }
                }
                None => run_attempt(http, request).await.map_err(Failure::Transport),
            };
            let can_retry = retries < max_retries;
            match outcome {
                Err(failure) => {
                    let (error, retryable) = classify_failure(failure, op.id, timeout);
                    if !(retryable && can_retry) {
                        tracing::debug!(error = %error, "request failed");
                        return Err(error);
                    }
                    let delay = backoff_delay(initial_delay, max_delay, retries);
                    tracing::debug!(error = %error, delay_ms = delay.as_millis() as u64, "retrying request");
                    tokio::time::sleep(delay).await;
                }
                Ok((status, response_headers, response_body)) => {
                    span.record("status", status.as_u16());
                    if status.is_success() {
                        let raw = RawResponse {
                            op,
                            status,
                            headers: response_headers,
                            body: response_body,
                        };
                        return decoder(&raw).map(|decoded| decoded.value);
                    }
                    if !(can_retry && should_retry(status, &response_headers)) {
                        return Err(Error::from_status(ApiError::new(
                            op,
                            status,
                            response_headers,
                            response_body,
                        )));
                    }
                    let delay = retry_after(&response_headers, chrono::Utc::now())
                        .unwrap_or_else(|| backoff_delay(initial_delay, max_delay, retries));
                    tracing::debug!(
                        status = status.as_u16(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying request"
                    );
                    tokio::time::sleep(delay).await;
                }
            }
            retries += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::tests::{SEARCH, SPEC};
    use crate::test_server::{closed_port_url, MockServer, Reply};
    use crate::{ApiRequest, Client, ClientBuilder, Error, Multipart};
    use serde_json::json;
    use std::time::Duration;

    /// A client for `url` with a token, whose clock only moves while the
    /// runtime sleeps (no timeouts, no pool timers), for paused-time tests.
    fn client(url: &str) -> Client {
        let http = reqwest::Client::builder()
            .pool_idle_timeout(None)
            .build()
            .unwrap();
        ClientBuilder::new(&SPEC)
            .base_url(url)
            .credential("api_token", "tok")
            .timeout(None)
            .http_client(http)
            .build()
            .unwrap()
    }

    fn search(client: &Client) -> ApiRequest<u32> {
        ApiRequest::new(client, &SEARCH).envelope()
    }

    fn gaps(server: &MockServer) -> Vec<Duration> {
        let requests = server.requests();
        requests.windows(2).map(|w| w[1].at - w[0].at).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_is_decoded_after_retried_failures() {
        let server = MockServer::start().await;
        server.enqueue(Reply::status(503));
        server.enqueue(Reply::status(429).header("retry-after", "3"));
        server.enqueue(Reply::ok(json!(42)));
        let client = client(&server.url());
        let multipart = Multipart::new().text("a", "1");
        let value: u32 = ApiRequest::new(&client, &SEARCH)
            .multipart(multipart)
            .envelope()
            .await
            .unwrap();
        assert_eq!(value, 42);
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert!(!requests[0].body.is_empty());
        assert!(
            requests.iter().all(|r| r.body == requests[0].body),
            "the body is sent again"
        );
        let gaps = gaps(&server);
        // Backoff: 0.5 s minus up to 25 % jitter; then the server's 3 s.
        assert!(
            gaps[0] >= Duration::from_millis(375) && gaps[0] <= Duration::from_millis(500),
            "{gaps:?}"
        );
        assert_eq!(gaps[1], Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_at_the_limit_with_the_last_status() {
        let server = MockServer::start().await;
        server.set_fallback(Reply::json(
            500,
            json!({"success": false, "errors": [{"code": 1, "message": "boom"}]}),
        ));
        let client = client(&server.url());
        let err = search(&client).max_retries(3).await.unwrap_err();
        assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
        assert_eq!(err.api_error().unwrap().errors[0].message, "boom");
        assert_eq!(server.request_count(), 4);
        let gaps = gaps(&server);
        for (gap, full_ms) in gaps.iter().zip([500u64, 1000, 2000]) {
            let full = Duration::from_millis(full_ms);
            assert!(*gap <= full && *gap >= full.mul_f64(0.75), "{gaps:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn final_statuses_are_not_retried() {
        let server = MockServer::start().await;
        server.set_fallback(Reply::json(404, json!({"success": false, "errors": []})));
        let err = search(&client(&server.url())).await.unwrap_err();
        assert!(matches!(err, Error::NotFound(_)), "{err:?}");
        assert_eq!(server.request_count(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_time_out_and_are_retried() {
        let server = MockServer::start().await;
        server.enqueue(Reply::ok(json!(1)).delay(Duration::from_secs(10)));
        server.enqueue(Reply::ok(json!(2)));
        let client = client(&server.url());
        let value = search(&client)
            .timeout(Duration::from_secs(2))
            .await
            .unwrap();
        assert_eq!(value, 2);
        assert_eq!(server.request_count(), 2);

        server.set_fallback(Reply::ok(json!(3)).delay(Duration::from_secs(10)));
        let err = search(&client)
            .timeout(Duration::from_secs(2))
            .max_retries(1)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Timeout { operation: "search", after: Some(d) } if d == Duration::from_secs(2)),
            "{err:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn connection_errors_are_retried_then_reported() {
        let url = closed_port_url().await;
        let started = tokio::time::Instant::now();
        let err = search(&client(&url)).max_retries(2).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Connection {
                    operation: "search",
                    ..
                }
            ),
            "{err:?}"
        );
        // Two backoff sleeps: at least 0.375 s + 0.75 s of paused time.
        assert!(
            started.elapsed() >= Duration::from_millis(1125),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn decoding_errors_are_final() {
        let server = MockServer::start().await;
        server.enqueue(Reply::ok(json!("not a number")));
        let err = search(&client(&server.url())).await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_eq!(server.request_count(), 1);
    }
}
