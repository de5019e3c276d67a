//! [`Error`], every way a request can end without a result, and
//! [`ApiError`], an error response of the API.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::envelope::{error_details, ApiMessage, REQUEST_ID_HEADER};
use super::response::{excerpt, is_blank};
use super::spec::{Operation, SecurityScheme};
use super::validate::Violation;

/// An error response from the API (or a 2xx with `success: false`).
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The `operationId` of the failed operation.
    pub operation: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The envelope's `errors`; a bare `{"message": ..}` or `{"error": ..}`
    /// body gives one entry.
    pub errors: Vec<ApiMessage>,
    /// The envelope's `messages`.
    pub messages: Vec<ApiMessage>,
    /// The raw response body.
    pub body: Bytes,
}

impl ApiError {
    /// The error of `operation`'s response, with the details its body gives.
    pub(super) fn new(
        operation: &'static Operation,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let (errors, messages) = error_details(&body);
        ApiError {
            operation: operation.id,
            status,
            headers,
            errors,
            messages,
            body,
        }
    }

    /// The raw body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `cf-ray` request identifier, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
    }

    /// Whether any error entry has this code.
    pub fn has_code(&self, code: i64) -> bool {
        self.errors.iter().any(|e| e.code == Some(code))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} from `{}`", self.status, self.operation)?;
        if self.errors.is_empty() {
            if !is_blank(&self.body) {
                write!(f, ": {}", excerpt(&self.body, 200))?;
            }
        } else {
            for (i, e) in self.errors.iter().enumerate() {
                f.write_str(if i == 0 { ": " } else { "; " })?;
                fmt::Display::fmt(e, f)?;
            }
        }
        if let Some(ray) = self.request_id() {
            write!(f, " (cf-ray {ray})")?;
        }
        Ok(())
    }
}

/// Every error a request can end with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// HTTP 400.
    BadRequest(Box<ApiError>),
    /// HTTP 401.
    Authentication(Box<ApiError>),
    /// HTTP 403.
    PermissionDenied(Box<ApiError>),
    /// HTTP 404.
    NotFound(Box<ApiError>),
    /// HTTP 409.
    Conflict(Box<ApiError>),
    /// HTTP 422.
    UnprocessableEntity(Box<ApiError>),
    /// HTTP 429.
    RateLimit(Box<ApiError>),
    /// HTTP 500 and above.
    InternalServer(Box<ApiError>),
    /// Any other non-2xx status.
    Status(Box<ApiError>),
    /// A 2xx response whose envelope says `success: false`.
    Unsuccessful(Box<ApiError>),
    /// The request could not be sent or the response not received.
    Connection {
        /// The `operationId`.
        operation: &'static str,
        /// The transport error (without the URL).
        source: reqwest::Error,
    },
    /// An attempt took longer than the timeout (and retries were exhausted).
    Timeout {
        /// The `operationId`.
        operation: &'static str,
        /// The timeout that expired, when known.
        after: Option<Duration>,
    },
    /// A 2xx body could not be decoded.
    Decode {
        /// The `operationId`.
        operation: &'static str,
        /// HTTP status of the response.
        status: StatusCode,
        /// What went wrong.
        message: String,
        /// The start of the body.
        excerpt: String,
    },
    /// Client-side validation failed; no request was made.
    Validation {
        /// The `operationId`.
        operation: &'static str,
        /// Every violation found.
        violations: Vec<Violation>,
    },
    /// The configured credentials satisfy none of the operation's security
    /// alternatives; no request was made.
    MissingCredentials {
        /// The `operationId`.
        operation: &'static str,
        /// Accepted alternatives, each a set of scheme names needed together.
        accepted: &'static [&'static [&'static str]],
        /// Names of the schemes that have credentials.
        configured: Vec<&'static str>,
        /// All schemes of the API (for environment variable hints).
        schemes: &'static [SecurityScheme],
    },
    /// The request could not be built (bad path parameter, header value,
    /// body); no request was made.
    InvalidRequest {
        /// The `operationId`.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A paged list handed out a cursor it had handed out before: following it would
    /// fetch the same pages forever. The items before it were delivered.
    RepeatedCursor {
        /// The `operationId`.
        operation: &'static str,
        /// The cursor (or page token) that came back.
        cursor: String,
    },
    /// A paged list has more items than the bound given to
    /// [`Paginated::collect_all`](super::Paginated::collect_all); no further page was fetched.
    TooManyItems {
        /// The `operationId`.
        operation: &'static str,
        /// The bound.
        limit: usize,
    },
    /// The client configuration is invalid.
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The error kind of a non-2xx response, by its status.
    pub(super) fn from_status(error: ApiError) -> Error {
        let error = Box::new(error);
        match error.status.as_u16() {
            400 => Error::BadRequest(error),
            401 => Error::Authentication(error),
            403 => Error::PermissionDenied(error),
            404 => Error::NotFound(error),
            409 => Error::Conflict(error),
            422 => Error::UnprocessableEntity(error),
            429 => Error::RateLimit(error),
            s if s >= 500 => Error::InternalServer(error),
            _ => Error::Status(error),
        }
    }

    /// The API's error response, for the HTTP-status kinds and `Unsuccessful`.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimit(e)
            | Error::InternalServer(e)
            | Error::Status(e)
            | Error::Unsuccessful(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The `operationId` of the operation that failed (not for `Config`).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Connection { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Validation { operation, .. }
            | Error::MissingCredentials { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::RepeatedCursor { operation, .. }
            | Error::TooManyItems { operation, .. } => Some(operation),
            Error::Config { .. } => None,
            other => other.api_error().map(|e| e.operation),
        }
    }

    /// The validation violations, for [`Error::Validation`].
    pub fn violations(&self) -> &[Violation] {
        match self {
            Error::Validation { violations, .. } => violations,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Error::BadRequest(_) => "bad request",
            Error::Authentication(_) => "authentication failed",
            Error::PermissionDenied(_) => "permission denied",
            Error::NotFound(_) => "not found",
            Error::Conflict(_) => "conflict",
            Error::UnprocessableEntity(_) => "unprocessable entity",
            Error::RateLimit(_) => "rate limited",
            Error::InternalServer(_) => "server error",
            Error::Status(_) => "unexpected status",
            Error::Unsuccessful(_) => "request unsuccessful",
            _ => "",
        };
        if let Some(e) = self.api_error() {
            return write!(f, "{kind}: {e}");
        }
        match self {
            Error::Connection { operation, source } => {
                write!(f, "connection error in `{operation}`: {source}")?;
                let mut cause = std::error::Error::source(source);
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Timeout { operation, after: Some(after) } => {
                write!(f, "`{operation}` timed out after {after:?}")
            }
            Error::Timeout { operation, after: None } => write!(f, "`{operation}` timed out"),
            Error::Decode { operation, status, message, excerpt } => write!(
                f,
                "cannot decode the HTTP {status} response of `{operation}`: {message}; body starts with: {excerpt}"
            ),
            Error::Validation { operation, violations } => {
                write!(f, "invalid parameters for `{operation}` ({} problem(s))", violations.len())?;
                for (i, v) in violations.iter().enumerate() {
                    f.write_str(if i == 0 { ": " } else { "; " })?;
                    fmt::Display::fmt(v, f)?;
                }
                Ok(())
            }
            Error::MissingCredentials { operation, accepted, configured, schemes } => {
                write!(f, "`{operation}` needs credentials: ")?;
                for (i, alternative) in accepted.iter().enumerate() {
                    f.write_str(if i == 0 { "" } else { ", or " })?;
                    for (j, name) in alternative.iter().enumerate() {
                        f.write_str(if j == 0 { "" } else { " + " })?;
                        f.write_str(name)?;
                        let env = schemes.iter().find(|s| s.name == *name).and_then(|s| s.env_var);
                        if let Some(var) = env {
                            write!(f, " (${var})")?;
                        }
                    }
                }
                if configured.is_empty() {
                    f.write_str("; none configured")
                } else {
                    write!(f, "; configured: {}", configured.join(", "))
                }
            }
            Error::InvalidRequest { operation, message } => {
                write!(f, "invalid request for `{operation}`: {message}")
            }
            Error::RepeatedCursor { operation, cursor } => write!(
                f,
                "`{operation}` handed out the cursor {cursor:?} a second time; stopped paging rather than loop"
            ),
            Error::TooManyItems { operation, limit } => {
                write!(f, "`{operation}` lists more than {limit} items")
            }
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::{GET_USER, SCHEMES, SEARCH};
    use crate::validate::Rule;

    fn api_error(status: u16, body: &str, ray: Option<&str>) -> ApiError {
        let mut headers = HeaderMap::new();
        if let Some(ray) = ray {
            headers.insert("cf-ray", ray.parse().unwrap());
        }
        ApiError::new(
            &SEARCH,
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::from(body.to_owned()),
        )
    }

    #[test]
    fn statuses_map_to_kinds() {
        let texts: Vec<(u16, String)> = [400u16, 401, 403, 404, 409, 422, 429, 500, 503, 418, 302]
            .into_iter()
            .map(|s| {
                let error = Error::from_status(api_error(s, "", None));
                assert_eq!(error.status().map(|s| s.as_u16()), Some(s));
                assert_eq!(error.operation(), Some("search"));
                assert!(error.api_error().is_some());
                (s, error.to_string())
            })
            .collect();
        let kinds: Vec<(u16, &str)> = texts
            .iter()
            .map(|(s, text)| (*s, text.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                (400, "bad request"),
                (401, "authentication failed"),
                (403, "permission denied"),
                (404, "not found"),
                (409, "conflict"),
                (422, "unprocessable entity"),
                (429, "rate limited"),
                (500, "server error"),
                (503, "server error"),
                (418, "unexpected status"),
                (302, "unexpected status"),
            ]
        );
    }

    #[test]
    fn api_errors_display_their_entries_or_body_and_the_request_id() {
        let error = api_error(
            403,
            r#"{"success": false, "errors": [{"code": 9109, "message": "Invalid access token"}, {"code": 10000, "message": "Authentication error"}]}"#,
            Some("8a1b-AMS"),
        );
        assert!(error.has_code(10000) && !error.has_code(1));
        assert_eq!(
            error.to_string(),
            "HTTP 403 Forbidden from `search`: [9109] Invalid access token; [10000] Authentication error (cf-ray 8a1b-AMS)"
        );
        assert_eq!(error.request_id(), Some("8a1b-AMS"));
        assert_eq!(
            api_error(502, "<html>Bad Gateway</html>", None).to_string(),
            "HTTP 502 Bad Gateway from `search`: <html>Bad Gateway</html>"
        );
        assert_eq!(
            api_error(500, " ", None).to_string(),
            "HTTP 500 Internal Server Error from `search`"
        );
        assert_eq!(api_error(500, "é", None).body_text(), "é");
    }

    #[test]
    fn request_errors_display_what_went_wrong() {
        let validation = Error::Validation {
            operation: "search",
            violations: vec![
                Violation::new("body.name", Rule::MaxLength(3), Some("abcd".into())),
                Violation::new("query.page", Rule::Required, None),
            ],
        };
        assert_eq!(
            validation.to_string(),
            r#"invalid parameters for `search` (2 problem(s)): body.name must be at most 3 characters long (got "abcd"); query.page is required"#
        );
        assert_eq!(validation.violations().len(), 2);
        assert_eq!(validation.status(), None);

        let missing = Error::MissingCredentials {
            operation: "users-get",
            accepted: GET_USER.security,
            configured: vec!["session"],
            schemes: SCHEMES,
        };
        assert_eq!(
            missing.to_string(),
            "`users-get` needs credentials: api_email ($APIGEN_RUNTIME_TEST_EMAIL) + api_key ($APIGEN_RUNTIME_TEST_KEY), or api_token ($APIGEN_RUNTIME_TEST_TOKEN); configured: session"
        );
        let none = Error::MissingCredentials {
            operation: "x",
            accepted: &[&["basic"]],
            configured: Vec::new(),
            schemes: SCHEMES,
        };
        assert_eq!(
            none.to_string(),
            "`x` needs credentials: basic; none configured"
        );

        let timeout = Error::Timeout {
            operation: "x",
            after: Some(Duration::from_millis(1500)),
        };
        assert_eq!(timeout.to_string(), "`x` timed out after 1.5s");
        assert_eq!(
            Error::Timeout {
                operation: "x",
                after: None
            }
            .to_string(),
            "`x` timed out"
        );
        let decode = Error::Decode {
            operation: "x",
            status: StatusCode::OK,
            message: "expected a string".into(),
            excerpt: "{}".into(),
        };
        assert_eq!(
            decode.to_string(),
            "cannot decode the HTTP 200 OK response of `x`: expected a string; body starts with: {}"
        );
        assert_eq!(decode.status(), Some(StatusCode::OK));
        let invalid = Error::InvalidRequest {
            operation: "x",
            message: "bad header".into(),
        };
        assert_eq!(invalid.to_string(), "invalid request for `x`: bad header");
        let repeated = Error::RepeatedCursor {
            operation: "x",
            cursor: "c2".into(),
        };
        assert_eq!(
            repeated.to_string(),
            "`x` handed out the cursor \"c2\" a second time; stopped paging rather than loop"
        );
        assert_eq!(repeated.operation(), Some("x"));
        let many = Error::TooManyItems {
            operation: "x",
            limit: 10,
        };
        assert_eq!(many.to_string(), "`x` lists more than 10 items");
        assert_eq!(many.operation(), Some("x"));
        let config = Error::Config {
            message: "no".into(),
        };
        assert_eq!(config.to_string(), "invalid client configuration: no");
        assert_eq!(config.operation(), None);
        assert!(config.api_error().is_none() && config.violations().is_empty());
    }

    #[tokio::test]
    async fn connection_errors_show_their_causes_and_are_the_source() {
        let url = crate::test_server::closed_port_url().await;
        let source = reqwest::Client::new()
            .get(url)
            .send()
            .await
            .unwrap_err()
            .without_url();
        let error = Error::Connection {
            operation: "x",
            source,
        };
        let text = error.to_string();
        assert!(text.starts_with("connection error in `x`: "), "{text}");
        assert!(
            text.matches(": ").count() >= 2,
            "the causes are listed: {text}"
        );
        assert!(std::error::Error::source(&error).is_some());
        assert_eq!(error.operation(), Some("x"));
    }

    #[test]
    fn errors_are_send_sync_and_std_errors() {
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
        assert_error::<Error>();
        assert_send_sync_clone::<ApiError>();
    }
}
