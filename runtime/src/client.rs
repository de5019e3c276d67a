//! [`Client`]: a built configuration and its connection pool, shared by clones.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::auth::Credentials;
use super::config::RequestOptions;
use super::spec::ApiSpec;

/// What a [`ClientBuilder`](super::ClientBuilder) checked and built; shared by clones.
pub(super) struct ClientInner {
    pub(super) spec: &'static ApiSpec,
    pub(super) http: reqwest::Client,
    /// Without a trailing slash.
    pub(super) base_url: String,
    pub(super) credentials: Credentials,
    pub(super) default_headers: HeaderMap,
    pub(super) timeout: Option<Duration>,
    pub(super) max_retries: u32,
    pub(super) initial_retry_delay: Duration,
    pub(super) max_retry_delay: Duration,
    pub(super) validation: bool,
}

/// A configured API client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<ClientInner>,
    /// Overrides applied to every request of this copy ([`Client::with_options`]).
    pub(super) options: Arc<RequestOptions>,
}

impl Client {
    /// A copy of this client whose requests use these overrides (merged over
    /// the overrides this client already has). Connections are shared.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut merged = (*self.options).clone();
        merged.merge(&options);
        Client {
            inner: Arc::clone(&self.inner),
            options: Arc::new(merged),
        }
    }

    /// The API description this client was built for.
    pub fn spec(&self) -> &'static ApiSpec {
        self.inner.spec
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether a credential is configured for the named security scheme.
    pub fn has_credential(&self, scheme_name: &str) -> bool {
        self.inner.credentials.contains(scheme_name)
    }

    /// The underlying `reqwest` client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let credentials = inner.credentials.names();
        let default_headers: Vec<&str> = inner.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &credentials)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .field(
                "retry_delays",
                &(inner.initial_retry_delay, inner.max_retry_delay),
            )
            .field("default_headers", &default_headers)
            .field("validation", &inner.validation)
            .field("options", &self.options)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::SPEC;
    use crate::ClientBuilder;

    fn client() -> Client {
        ClientBuilder::new(&SPEC)
            .base_url("http://127.0.0.1:9/v4/")
            .credential("api_token", "SECRET-token")
            .credential("session", "SECRET-cookie")
            .default_header("X-Team", "SECRET-team")
            .build()
            .unwrap()
    }

    #[test]
    fn accessors_report_the_built_configuration() {
        let client = client();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v4");
        assert!(std::ptr::eq(client.spec(), &SPEC));
        assert!(client.has_credential("api_token") && client.has_credential("session"));
        assert!(!client.has_credential("api_key"));
    }

    #[test]
    fn with_options_layers_overrides_and_shares_the_configuration() {
        let client = client();
        let first = client.with_options(RequestOptions::new().max_retries(7).header("A", "1"));
        let second = first.with_options(RequestOptions::new().timeout(None).header("B", "2"));
        assert!(Arc::ptr_eq(&client.inner, &second.inner));
        assert_eq!(
            client.options.max_retries, None,
            "the original is unchanged"
        );
        assert_eq!(second.options.max_retries, Some(7));
        assert_eq!(second.options.timeout, Some(None));
        let names: Vec<&str> = second
            .options
            .headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let text = format!("{:?}", client());
        assert!(text.contains("[\"api_token\", \"session\"]"), "{text}");
        assert!(text.contains("x-team"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
}
