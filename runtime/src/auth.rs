//! Credentials: checked once when the client is built, chosen per operation
//! from its security alternatives, and attached as headers, query parameters
//! or cookies. Secret values never reach `Debug` output or error messages.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

use super::error::Error;
use super::spec::{ApiSpec, AuthKind, Operation, SecurityScheme};

/// A secret string whose `Debug` output is redacted. It has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret itself. Never log the result.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A credential in the form it is sent in.
pub(super) enum Credential {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Cookie(&'static str, Secret),
}

/// The credentials of a client, by security scheme name.
pub(super) struct Credentials(HashMap<&'static str, Credential>);

impl Credentials {
    /// Checks the configured `(scheme name, secret)` pairs against the API's
    /// schemes and prepares each for sending.
    pub(super) fn resolve(
        spec: &'static ApiSpec,
        configured: &[(String, Secret)],
    ) -> Result<Credentials, Error> {
        let mut credentials = HashMap::new();
        for (name, secret) in configured {
            let Some(scheme) = spec.scheme(name) else {
                let known: Vec<&str> = spec.security_schemes.iter().map(|s| s.name).collect();
                return Err(Error::Config {
                    message: format!(
                        "unknown security scheme `{name}` (known: {})",
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                });
            };
            if secret.0.is_empty() {
                return Err(Error::Config {
                    message: format!("the credential for security scheme `{name}` is empty"),
                });
            }
            credentials.insert(scheme.name, resolve_credential(scheme, secret)?);
        }
        Ok(Credentials(credentials))
    }

    /// Whether a credential is configured for the named scheme.
    pub(super) fn contains(&self, scheme_name: &str) -> bool {
        self.0.contains_key(scheme_name)
    }

    /// The names of the configured schemes, sorted.
    pub(super) fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.0.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// The credentials of the first of `op`'s security alternatives whose
    /// schemes are all configured; none when `op` needs no auth.
    pub(super) fn select(
        &self,
        spec: &'static ApiSpec,
        op: &'static Operation,
    ) -> Result<Vec<&Credential>, Error> {
        if op.security.is_empty() {
            return Ok(Vec::new());
        }
        for alternative in op.security {
            if alternative.iter().all(|s| self.0.contains_key(s)) {
                return Ok(alternative.iter().filter_map(|s| self.0.get(s)).collect());
            }
        }
        Err(Error::MissingCredentials {
            operation: op.id,
            accepted: op.security,
            configured: self.names(),
            schemes: spec.security_schemes,
        })
    }
}

/// The query parameters among `selected` credentials, as `(name, value)` pairs.
pub(super) fn query_pairs<'a>(selected: &[&'a Credential]) -> Vec<(&'static str, &'a str)> {
    selected
        .iter()
        .filter_map(|credential| match credential {
            Credential::Query(name, secret) => Some((*name, secret.expose())),
            _ => None,
        })
        .collect()
}

/// Inserts the header and cookie credentials among `selected` into `headers`
/// (replacing headers of the same name); cookies are joined into one
/// `Cookie` header, marked sensitive.
pub(super) fn insert_headers(selected: &[&Credential], headers: &mut HeaderMap) {
    let mut cookies = Vec::new();
    for credential in selected {
        match credential {
            Credential::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Credential::Cookie(name, secret) => cookies.push(format!("{name}={}", secret.expose())),
            Credential::Query(..) => {}
        }
    }
    if !cookies.is_empty() {
        if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
            value.set_sensitive(true);
            headers.insert(header::COOKIE, value);
        }
    }
}

fn resolve_credential(
    scheme: &'static SecurityScheme,
    secret: &Secret,
) -> Result<Credential, Error> {
    let invalid = || Error::Config {
        message: format!(
            "the credential for security scheme `{}` cannot be sent in an HTTP header",
            scheme.name
        ),
    };
    let sensitive = |text: String| {
        HeaderValue::from_str(&text).map(|mut v| {
            v.set_sensitive(true);
            v
        })
    };
    Ok(match scheme.kind {
        AuthKind::Bearer => {
            let value = sensitive(format!("Bearer {}", secret.0)).map_err(|_| invalid())?;
            Credential::Header(header::AUTHORIZATION, value)
        }
        AuthKind::Basic => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(secret.0.as_bytes());
            let value = sensitive(format!("Basic {encoded}")).map_err(|_| invalid())?;
            Credential::Header(header::AUTHORIZATION, value)
        }
        AuthKind::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
                message: format!(
                    "security scheme `{}` has an invalid header name",
                    scheme.name
                ),
            })?;
            let value = sensitive(secret.0.clone()).map_err(|_| invalid())?;
            Credential::Header(name, value)
        }
        AuthKind::Query(name) => Credential::Query(name, secret.clone()),
        AuthKind::Cookie(name) => {
            HeaderValue::from_str(&format!("{name}={}", secret.0)).map_err(|_| invalid())?;
            Credential::Cookie(name, secret.clone())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::{GET_USER, LIST_IPS, SEARCH, SPEC};

    fn credentials(pairs: &[(&str, &str)]) -> Result<Credentials, Error> {
        let configured: Vec<(String, Secret)> = pairs
            .iter()
            .map(|(n, s)| (n.to_string(), Secret::new(*s)))
            .collect();
        Credentials::resolve(&SPEC, &configured)
    }

    fn headers_of(credentials: &Credentials, op: &'static Operation) -> HeaderMap {
        let selected = credentials.select(&SPEC, op).unwrap();
        let mut headers = HeaderMap::new();
        insert_headers(&selected, &mut headers);
        headers
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(Secret::from("a"), Secret::from("a".to_owned()));
    }

    #[test]
    fn each_kind_is_sent_its_way() {
        let all = credentials(&[
            ("api_token", "tok"),
            ("basic", "user:pass"),
            ("api_key", "k1"),
            ("query_key", "q1"),
            ("session", "s1"),
        ])
        .unwrap();
        let token = &all.0["api_token"];
        let basic = &all.0["basic"];
        let key = &all.0["api_key"];
        assert!(
            matches!(token, Credential::Header(n, v) if n == header::AUTHORIZATION && v == "Bearer tok" && v.is_sensitive())
        );
        // base64("user:pass")
        assert!(
            matches!(basic, Credential::Header(n, v) if n == header::AUTHORIZATION && v == "Basic dXNlcjpwYXNz")
        );
        assert!(
            matches!(key, Credential::Header(n, v) if n == "x-auth-key" && v == "k1" && v.is_sensitive())
        );

        let selected = vec![&all.0["query_key"], &all.0["session"], key];
        assert_eq!(query_pairs(&selected), vec![("api_key", "q1")]);
        let mut headers = HeaderMap::new();
        insert_headers(&selected, &mut headers);
        assert_eq!(headers["cookie"], "session=s1");
        assert!(headers["cookie"].is_sensitive());
        assert_eq!(headers["x-auth-key"], "k1");
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn the_first_complete_alternative_is_used() {
        let both = credentials(&[
            ("api_token", "tok"),
            ("api_email", "a@b.c"),
            ("api_key", "k"),
        ])
        .unwrap();
        let headers = headers_of(&both, &GET_USER);
        assert_eq!(headers["x-auth-email"], "a@b.c");
        assert_eq!(headers["x-auth-key"], "k");
        assert!(headers.get("authorization").is_none());

        let half = credentials(&[("api_token", "tok"), ("api_email", "a@b.c")]).unwrap();
        let headers = headers_of(&half, &GET_USER);
        assert_eq!(headers["authorization"], "Bearer tok");
        assert_eq!(headers.len(), 1, "a partial alternative sends nothing");

        assert!(half.select(&SPEC, &LIST_IPS).unwrap().is_empty());
    }

    #[test]
    fn missing_credentials_name_what_is_accepted_and_configured() {
        let creds = credentials(&[("session", "s"), ("api_email", "a@b.c")]).unwrap();
        let Err(Error::MissingCredentials {
            operation,
            accepted,
            configured,
            schemes,
        }) = creds.select(&SPEC, &SEARCH)
        else {
            panic!("SEARCH needs a token");
        };
        assert_eq!(operation, "search");
        assert_eq!(accepted, SEARCH.security);
        assert_eq!(configured, ["api_email", "session"], "sorted");
        assert_eq!(schemes.len(), SPEC.security_schemes.len());
        assert!(creds.contains("session") && !creds.contains("api_token"));
    }

    #[test]
    fn bad_credentials_fail_the_build_without_showing_the_secret() {
        let message = |pairs: &[(&str, &str)]| match credentials(pairs) {
            Err(Error::Config { message }) => message,
            other => panic!("expected a configuration error, got {:?}", other.is_ok()),
        };
        assert_eq!(
            message(&[("nope", "x")]),
            "unknown security scheme `nope` (known: api_email, api_key, api_token, basic, query_key, session)"
        );
        assert_eq!(
            message(&[("api_token", "")]),
            "the credential for security scheme `api_token` is empty"
        );
        for (scheme, secret) in [
            ("api_token", "SECRET\r\nx: y"),
            ("api_key", "SECRET\n"),
            ("session", "SECRET\x01"),
        ] {
            let text = message(&[(scheme, secret)]);
            assert_eq!(
                text,
                format!("the credential for security scheme `{scheme}` cannot be sent in an HTTP header")
            );
        }
    }

    #[test]
    fn an_invalid_header_name_in_the_spec_is_a_configuration_error() {
        static BAD: SecurityScheme = SecurityScheme {
            name: "bad",
            kind: AuthKind::Header("X Bad"),
            env_var: None,
        };
        let Err(Error::Config { message }) = resolve_credential(&BAD, &Secret::new("x")) else {
            panic!("a header name with a space is invalid");
        };
        assert_eq!(message, "security scheme `bad` has an invalid header name");
    }
}
