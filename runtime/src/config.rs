//! Configuration: [`ClientBuilder`] (checked once, when the client is built)
//! and [`RequestOptions`] (overrides per client copy or per request).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Url;

use super::auth::{Credentials, Secret};
use super::client::{Client, ClientInner};
use super::encoding::parse_header;
use super::error::Error;
use super::retry::{DEFAULT_INITIAL_RETRY_DELAY, DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_DELAY};
use super::spec::ApiSpec;

/// Default timeout for one attempt of a request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Overrides for requests: per client copy ([`Client::with_options`]) or per
/// request ([`ApiRequest::options`](super::ApiRequest::options)). Unset values inherit.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Option<Duration>>,
    pub(super) max_retries: Option<u32>,
    pub(super) retry_delays: Option<(Duration, Duration)>,
    pub(super) validation: Option<bool>,
    pub(super) headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// Options that override nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Timeout of each attempt; `None` disables the timeout.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// Number of retries after the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Initial and maximum delay between attempts.
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.retry_delays = Some((initial, max));
        self
    }

    /// Turns client-side validation on or off.
    pub fn validation(mut self, enabled: bool) -> Self {
        self.validation = Some(enabled);
        self
    }

    /// Adds a header, replacing any header of that name set by the client or
    /// the generated code. An invalid name or value fails the request with
    /// [`Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Applies `other` over `self`: its set values win, its headers come after.
    pub(super) fn merge(&mut self, other: &RequestOptions) {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        if other.max_retries.is_some() {
            self.max_retries = other.max_retries;
        }
        if other.retry_delays.is_some() {
            self.retry_delays = other.retry_delays;
        }
        if other.validation.is_some() {
            self.validation = other.validation;
        }
        self.headers.extend(other.headers.iter().cloned());
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_delays", &self.retry_delays)
            .field("validation", &self.validation)
            .field("headers", &HeaderNames(&self.headers))
            .finish()
    }
}

/// Prints only the names of header pairs (values may hold secrets).
struct HeaderNames<'a>(&'a [(String, String)]);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(n, _)| n))
            .finish()
    }
}

/// Configures and builds a [`Client`].
pub struct ClientBuilder {
    spec: &'static ApiSpec,
    credentials: Vec<(String, Secret)>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_retries: u32,
    initial_retry_delay: Duration,
    max_retry_delay: Duration,
    default_headers: Vec<(String, String)>,
    validation: bool,
    http_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// A builder with the defaults: the spec's base URL, 60 s timeout, 5 s
    /// connect timeout, 2 retries with delays from 0.5 s up to 8 s,
    /// validation on, no credentials.
    pub fn new(spec: &'static ApiSpec) -> Self {
        ClientBuilder {
            spec,
            credentials: Vec::new(),
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            initial_retry_delay: DEFAULT_INITIAL_RETRY_DELAY,
            max_retry_delay: DEFAULT_MAX_RETRY_DELAY,
            default_headers: Vec::new(),
            validation: true,
            http_client: None,
        }
    }

    /// Sets the credential of the security scheme named `scheme_name`
    /// (replacing an earlier one). [`build`](Self::build) fails if the API has
    /// no such scheme or the secret cannot be sent in a header.
    pub fn credential(mut self, scheme_name: &str, secret: impl Into<String>) -> Self {
        let secret = Secret::new(secret);
        match self.credentials.iter_mut().find(|(n, _)| n == scheme_name) {
            Some(entry) => entry.1 = secret,
            None => self.credentials.push((scheme_name.to_owned(), secret)),
        }
        self
    }

    /// Reads each scheme's `env_var` and the spec's `base_url_env`. Values
    /// already set on the builder are kept; empty variables are ignored.
    pub fn from_env(mut self) -> Self {
        for scheme in self.spec.security_schemes {
            let Some(var) = scheme.env_var else { continue };
            if self.credentials.iter().any(|(n, _)| n == scheme.name) {
                continue;
            }
            if let Some(value) = env_value(var) {
                self.credentials
                    .push((scheme.name.to_owned(), Secret::new(value)));
            }
        }
        if self.base_url.is_none() && !self.spec.base_url_env.is_empty() {
            self.base_url = env_value(self.spec.base_url_env);
        }
        self
    }

    /// Overrides the base URL (`http` or `https`, without query or fragment).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeout of each attempt, from connecting to reading the whole body
    /// (default 60 s); `None` disables it.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Connect timeout (default 5 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Number of retries after the first attempt (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Delay before retry `n` (from 0) is `min(initial * 2^n, max)`, reduced by
    /// up to 25 % jitter (defaults 0.5 s and 8 s).
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_retry_delay = initial;
        self.max_retry_delay = max;
        self
    }

    /// Adds a header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Turns client-side validation of parameters on (default) or off.
    pub fn validation(mut self, enabled: bool) -> Self {
        self.validation = enabled;
        self
    }

    /// Uses this `reqwest` client for the transport (its own connect timeout,
    /// proxy and TLS settings apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let spec = self.spec;
        let base_url =
            normalize_base_url(self.base_url.as_deref().unwrap_or(spec.default_base_url))?;
        let credentials = Credentials::resolve(spec, &self.credentials)?;

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) =
                parse_header(name, value).map_err(|message| Error::Config { message })?;
            default_headers.insert(name, value);
        }

        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| Error::Config {
                    message: format!("cannot build the HTTP client: {}", e.without_url()),
                })?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                spec,
                http,
                base_url,
                credentials,
                default_headers,
                timeout: self.timeout,
                max_retries: self.max_retries,
                initial_retry_delay: self.initial_retry_delay,
                max_retry_delay: self.max_retry_delay,
                validation: self.validation,
            }),
            options: Arc::new(RequestOptions::default()),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials: Vec<&str> = self.credentials.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self
                    .base_url
                    .as_deref()
                    .unwrap_or(self.spec.default_base_url),
            )
            .field("credentials", &credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "retry_delays",
                &(self.initial_retry_delay, self.max_retry_delay),
            )
            .field("default_headers", &HeaderNames(&self.default_headers))
            .field("validation", &self.validation)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

fn env_value(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.trim().is_empty())
}

fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::Config {
        message: format!("invalid base URL `{raw}`: {why}"),
    };
    let url = Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(bad("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not contain credentials"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Follows up to 10 redirects within the original origin only: custom auth
/// headers must never reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let next = attempt.url();
        let same_origin = match attempt.previous().first() {
            Some(first) => {
                first.scheme() == next.scheme()
                    && first.host_str() == next.host_str()
                    && first.port_or_known_default() == next.port_or_known_default()
            }
            None => true,
        };
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::SPEC;

    fn config_error(builder: ClientBuilder) -> String {
        match builder.build() {
            Err(Error::Config { message }) => message,
            Err(other) => panic!("expected a configuration error, got {other}"),
            Ok(_) => panic!("expected a configuration error, got a client"),
        }
    }

    #[test]
    fn base_urls_are_normalized_or_rejected() {
        let ok = |raw: &str| normalize_base_url(raw).unwrap();
        assert_eq!(
            ok("https://api.example.com/v4/"),
            "https://api.example.com/v4"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("HTTPS://Example.COM/a//"), "https://example.com/a");
        for (raw, why) in [
            ("ftp://example.com", "the scheme must be http or https"),
            (
                "https://example.com/?a=1",
                "it must not have a query or fragment",
            ),
            (
                "https://example.com/#top",
                "it must not have a query or fragment",
            ),
            (
                "https://user:pw@example.com",
                "it must not contain credentials",
            ),
            (
                "https://user@example.com",
                "it must not contain credentials",
            ),
        ] {
            let Err(Error::Config { message }) = normalize_base_url(raw) else {
                panic!("{raw} must be rejected");
            };
            assert_eq!(message, format!("invalid base URL `{raw}`: {why}"));
        }
        assert!(normalize_base_url("not a url").is_err());
    }

    #[test]
    fn build_checks_every_setting() {
        let client = ClientBuilder::new(&SPEC).build().unwrap();
        assert_eq!(client.base_url(), "https://api.example.com/v4");
        assert!(config_error(ClientBuilder::new(&SPEC).base_url("ftp://x")).contains("scheme"));
        assert!(
            config_error(ClientBuilder::new(&SPEC).credential("nope", "x"))
                .starts_with("unknown security scheme `nope`")
        );
        assert_eq!(
            config_error(ClientBuilder::new(&SPEC).default_header("X-Bad", "a\r\nb")),
            "the value of header `X-Bad` contains forbidden characters (CR, LF or controls)"
        );
        assert_eq!(
            config_error(ClientBuilder::new(&SPEC).default_header("bad name", "v")),
            "invalid header name `bad name`"
        );
    }

    #[test]
    fn a_later_credential_replaces_an_earlier_one() {
        let builder = ClientBuilder::new(&SPEC)
            .credential("api_token", "first")
            .credential("api_key", "k")
            .credential("api_token", "second");
        assert_eq!(builder.credentials.len(), 2);
        assert_eq!(builder.credentials[0].1.expose(), "second");
    }

    #[test]
    fn from_env_fills_only_what_is_unset() {
        // Variables only this test reads (SPEC's token and base URL variables).
        std::env::set_var("APIGEN_RUNTIME_TEST_TOKEN", "env-token");
        std::env::set_var("APIGEN_RUNTIME_TEST_KEY", "  ");
        std::env::set_var("APIGEN_RUNTIME_TEST_BASE_URL", "http://env.example");
        let builder = ClientBuilder::new(&SPEC).from_env();
        assert_eq!(builder.credentials.len(), 1, "blank variables are ignored");
        assert_eq!(builder.credentials[0].0, "api_token");
        assert_eq!(builder.credentials[0].1.expose(), "env-token");
        assert_eq!(builder.base_url.as_deref(), Some("http://env.example"));

        let builder = ClientBuilder::new(&SPEC)
            .credential("api_token", "explicit")
            .base_url("http://explicit.example")
            .from_env();
        assert_eq!(builder.credentials[0].1.expose(), "explicit");
        assert_eq!(builder.base_url.as_deref(), Some("http://explicit.example"));
    }

    #[test]
    fn debug_output_names_headers_and_credentials_but_not_their_values() {
        let builder = ClientBuilder::new(&SPEC)
            .credential("api_token", "SECRET-token")
            .default_header("X-Custom", "SECRET-header");
        let text = format!("{builder:?}");
        assert!(
            text.contains("api_token") && text.contains("X-Custom"),
            "{text}"
        );
        assert!(!text.contains("SECRET"), "{text}");
        let options = RequestOptions::new().header("X-Other", "SECRET-value");
        let text = format!("{options:?}");
        assert!(
            text.contains("X-Other") && !text.contains("SECRET"),
            "{text}"
        );
    }

    #[test]
    fn later_options_win_and_headers_accumulate() {
        let mut base = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .max_retries(5)
            .header("A", "1");
        base.merge(
            &RequestOptions::new()
                .timeout(None)
                .validation(false)
                .header("B", "2"),
        );
        assert_eq!(base.timeout, Some(None));
        assert_eq!(base.max_retries, Some(5), "unset values inherit");
        assert_eq!(base.validation, Some(false));
        assert_eq!(base.retry_delays, None);
        assert_eq!(
            base.headers,
            [
                ("A".to_owned(), "1".to_owned()),
                ("B".to_owned(), "2".to_owned())
            ]
        );
        let delays = (Duration::from_millis(1), Duration::from_millis(2));
        base.merge(&RequestOptions::new().retry_delays(delays.0, delays.1));
        assert_eq!(base.retry_delays, Some(delays));
    }
}
