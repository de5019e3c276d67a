//! [`ApiRequest`]: one request being prepared. Parameters, body, validation
//! results and the response decoding are collected first; problems are kept
//! and reported on `.await`, before any I/O, when the request is turned into
//! a [`Prepared`] one (URL, headers and settings resolved) and executed.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::auth;
use super::client::Client;
use super::config::RequestOptions;
use super::encoding::{
    encode_component, encode_pairs, flatten_form, has_placeholder, parse_header, render_path,
};
use super::envelope::{decode_envelope, decode_no_content};
use super::error::Error;
use super::execute::Prepared;
use super::multipart::Multipart;
use super::response::{
    decode_bytes, decode_error, decode_plain_json, decode_text, ApiResponse, DecodeFn, Decoded,
    RawResponse,
};
use super::spec::Operation;
use super::validate::Violation;

/// A request being prepared; awaiting it sends it and yields `Result<T, Error>`.
///
/// `I` is the type of the envelope's `result_info`, which
/// [`with_response`](Self::with_response) decodes (`serde_json::Value` when the
/// spec declares none).
///
/// Problems found while preparing (bad path parameter, unserializable body,
/// validation violations) are reported when it is awaited, before any I/O.
#[must_use = "a request does nothing unless it is awaited"]
pub struct ApiRequest<T, I = Value> {
    client: Client,
    op: &'static Operation,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<(Bytes, HeaderValue)>,
    accept: &'static str,
    violations: Vec<Violation>,
    error: Option<Error>,
    options: RequestOptions,
    decoder: Option<DecodeFn<T>>,
    result_info: PhantomData<fn() -> I>,
}

impl<T, I> fmt::Debug for ApiRequest<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("path", &self.op.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T> ApiRequest<T> {
    /// Starts a request for `op`. Choose how the response is decoded with
    /// [`envelope`](Self::envelope), [`plain_json`](Self::plain_json),
    /// [`raw_bytes`](Self::raw_bytes), [`raw_text`](Self::raw_text) or
    /// [`no_content`](Self::no_content).
    pub fn new(client: &Client, op: &'static Operation) -> Self {
        ApiRequest {
            client: client.clone(),
            op,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
            violations: Vec::new(),
            error: None,
            options: RequestOptions::default(),
            decoder: None,
            result_info: PhantomData,
        }
    }
}

impl<T, I> ApiRequest<T, I> {
    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(Error::InvalidRequest {
                operation: self.op.id,
                message,
            });
        }
    }

    /// Fills the path parameter `{name}`. The value is percent-encoded as one
    /// path segment, so it can never change the path or add a query; empty,
    /// `.` and `..` are rejected.
    pub fn path_param(mut self, name: &'static str, value: &str) -> Self {
        if !has_placeholder(self.op, name) {
            self.fail(format!("the path has no parameter `{name}`"));
        } else if value.is_empty() {
            self.fail(format!("path parameter `{name}` must not be empty"));
        } else if value == "." || value == ".." {
            self.fail(format!("path parameter `{name}` must not be `.` or `..`"));
        } else {
            self.path_params.retain(|(n, _)| *n != name);
            self.path_params.push((name, encode_component(value)));
        }
        self
    }

    /// Adds a query parameter; call repeatedly with the same name for arrays.
    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Sets a header parameter; values containing CR, LF or other control
    /// characters are rejected.
    pub fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        match parse_header(name, &value.to_string()) {
            Ok(pair) => self.headers.push(pair),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Sets a JSON body (serialized now; a failure is reported on await).
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((
                    Bytes::from(bytes),
                    HeaderValue::from_static("application/json"),
                ));
            }
            Err(e) => self.fail(format!("cannot serialize the JSON body: {e}")),
        }
        self
    }

    /// Sets a raw body with its content type.
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(ct) => self.body = Some((body.into(), ct)),
            Err(_) => self.fail(format!("invalid content type `{content_type}`")),
        }
        self
    }

    /// Sets a text body with its content type.
    pub fn text(self, body: impl Into<String>, content_type: &'static str) -> Self {
        self.bytes(body.into().into_bytes(), content_type)
    }

    /// Sets an `application/x-www-form-urlencoded` body. Arrays become repeated
    /// keys, nested objects `key[sub]`, `null` fields are left out.
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(Value::Object(map)) => {
                let mut pairs = Vec::new();
                for (key, value) in &map {
                    flatten_form(key, value, &mut pairs);
                }
                let encoded = encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                self.body = Some((
                    Bytes::from(encoded),
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                ));
            }
            Ok(_) => self.fail("a form body must serialize to an object".to_owned()),
            Err(e) => self.fail(format!("cannot serialize the form body: {e}")),
        }
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        match form.encode() {
            Ok((body, content_type)) => self.body = Some((body, content_type)),
            Err(message) => self.fail(message),
        }
        self
    }

    /// Records client-side validation results. If any are given and validation
    /// is on, awaiting yields [`Error::Validation`] listing all of them and no
    /// request is made.
    pub fn validate(mut self, violations: Vec<Violation>) -> Self {
        self.violations.extend(violations);
        self
    }

    /// Overrides the timeout of each attempt; `None` disables it.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.options.timeout = Some(timeout.into());
        self
    }

    /// Overrides the number of retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this request, replacing one of the same name.
    pub fn extra_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Applies several overrides at once.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options.merge(&options);
        self
    }

    /// Decodes a Cloudflare-style envelope `{success, errors, messages, result,
    /// result_info}` and yields `result`. A missing or `null` result is decoded
    /// from `null` (fits `Option<_>` and `()`); `success: false` is an error.
    pub fn envelope(mut self) -> Self
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.accept = "application/json";
        self.decoder = Some(Box::new(decode_envelope::<T>));
        self
    }

    /// Decodes the whole body as JSON (an empty body is decoded from `null`).
    pub fn plain_json(mut self) -> Self
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.accept = "application/json";
        self.decoder = Some(Box::new(decode_plain_json::<T>));
        self
    }

    /// Yields the body as bytes (`T` = `Vec<u8>` or `bytes::Bytes`).
    pub fn raw_bytes(mut self) -> Self
    where
        T: From<Bytes> + Send + 'static,
    {
        self.accept = "*/*";
        self.decoder = Some(Box::new(decode_bytes::<T>));
        self
    }

    /// Yields the body as UTF-8 text (`T` = `String`).
    pub fn raw_text(mut self) -> Self
    where
        T: From<String> + Send + 'static,
    {
        self.accept = "*/*";
        self.decoder = Some(Box::new(decode_text::<T>));
        self
    }

    /// Ignores the body and yields `T::default()` (`T` = `()`), except that a
    /// JSON envelope with `success: false` is still an error.
    pub fn no_content(mut self) -> Self
    where
        T: Default + Send + 'static,
    {
        self.decoder = Some(Box::new(decode_no_content::<T>));
        self
    }

    /// Yields the status, headers, `result_info` (decoded as `I`) and `messages`
    /// along with the decoded result. Call it after the decoding method.
    pub fn with_response(mut self) -> ApiRequest<ApiResponse<T, I>, I>
    where
        T: Send + 'static,
        I: DeserializeOwned + Send + 'static,
    {
        let decoder: Option<DecodeFn<ApiResponse<T, I>>> = self.decoder.take().map(|inner| {
            Box::new(move |raw: &RawResponse| {
                let decoded = inner(raw)?;
                let result_info = decoded
                    .result_info
                    .map(I::deserialize)
                    .transpose()
                    .map_err(|e| decode_error(raw, format!("result_info: {e}")))?;
                Ok(Decoded::bare(ApiResponse {
                    status: raw.status,
                    headers: raw.headers.clone(),
                    result: decoded.value,
                    result_info,
                    messages: decoded.messages,
                }))
            }) as DecodeFn<ApiResponse<T, I>>
        });
        self.convert(decoder)
    }

    /// Makes [`with_response`](Self::with_response) (and the pages of a list) decode the
    /// envelope's `result_info` as `J`, the type the spec declares for it.
    pub fn typed_result_info<J>(mut self) -> ApiRequest<T, J> {
        let decoder = self.decoder.take();
        self.convert(decoder)
    }

    /// The same request, decoded by `decoder`, its `result_info` typed `J`.
    fn convert<U, J>(self, decoder: Option<DecodeFn<U>>) -> ApiRequest<U, J> {
        ApiRequest {
            client: self.client,
            op: self.op,
            path_params: self.path_params,
            query: self.query,
            headers: self.headers,
            body: self.body,
            accept: self.accept,
            violations: self.violations,
            error: self.error,
            options: self.options,
            decoder,
            result_info: PhantomData,
        }
    }

    /// The operation this request is for.
    pub(super) fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The first value of query parameter `name`, if set.
    pub(super) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first problem found while preparing, taken out (the request keeps none).
    pub(super) fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    /// A copy of this request for one page of a list: query parameter `name` set to
    /// `value` (replacing any value it had), decoded by `decoder`, reporting `error`
    /// (the template's own problem, for the first page) when sent. Everything else,
    /// validation results and request options included, is the same.
    pub(super) fn page_request<U>(
        &self,
        set: Option<(&'static str, String)>,
        decoder: DecodeFn<U>,
        error: Option<Error>,
    ) -> ApiRequest<U, I> {
        let mut query = self.query.clone();
        if let Some((name, value)) = set {
            query.retain(|(n, _)| *n != name);
            query.push((name, value));
        }
        ApiRequest {
            client: self.client.clone(),
            op: self.op,
            path_params: self.path_params.clone(),
            query,
            headers: self.headers.clone(),
            body: self.body.clone(),
            accept: self.accept,
            violations: self.violations.clone(),
            error,
            options: self.options.clone(),
            decoder: Some(decoder),
            result_info: PhantomData,
        }
    }

    /// Sends the request (same as `.await`).
    pub async fn send(self) -> Result<T, Error> {
        let prepared = self.prepare()?;
        prepared.execute().await
    }

    /// Checks what was collected (validation first, then the first problem
    /// found while preparing, the decoder, credentials) and resolves the URL,
    /// headers and settings. Does no I/O.
    fn prepare(self) -> Result<Prepared<T>, Error> {
        let ApiRequest {
            result_info: _,
            client,
            op,
            path_params,
            query,
            headers: param_headers,
            body,
            accept,
            violations,
            error,
            options: request_options,
            decoder,
        } = self;
        let inner = &client.inner;
        let mut options = (*client.options).clone();
        options.merge(&request_options);

        if options.validation.unwrap_or(inner.validation) && !violations.is_empty() {
            return Err(Error::Validation {
                operation: op.id,
                violations,
            });
        }
        if let Some(error) = error {
            return Err(error);
        }
        let decoder = decoder.ok_or_else(|| Error::InvalidRequest {
            operation: op.id,
            message: "no response decoding was chosen for this request".to_owned(),
        })?;
        let credentials = inner.credentials.select(inner.spec, op)?;

        // URL: base + filled path template + query.
        let mut url = String::with_capacity(inner.base_url.len() + op.path.len() + 64);
        url.push_str(&inner.base_url);
        if !op.path.starts_with('/') {
            url.push('/');
        }
        render_path(op, &path_params, &mut url)?;
        let mut pairs: Vec<(&str, &str)> = query.iter().map(|(n, v)| (*n, v.as_str())).collect();
        pairs.extend(auth::query_pairs(&credentials));
        if !pairs.is_empty() {
            url.push('?');
            url.push_str(&encode_pairs(pairs.into_iter()));
        }
        let url = Url::parse(&url).map_err(|e| Error::InvalidRequest {
            operation: op.id,
            message: format!("cannot build the request URL: {e}"),
        })?;

        // Headers, later groups overriding earlier ones.
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
        if let Ok(ua) = HeaderValue::from_str(inner.spec.user_agent) {
            headers.insert(header::USER_AGENT, ua);
        }
        for (name, value) in &inner.default_headers {
            headers.insert(name.clone(), value.clone());
        }
        auth::insert_headers(&credentials, &mut headers);
        for (name, value) in param_headers {
            headers.insert(name, value);
        }
        let body = body.map(|(bytes, content_type)| {
            headers.insert(header::CONTENT_TYPE, content_type);
            bytes
        });
        for (name, value) in &options.headers {
            let (name, value) =
                parse_header(name, value).map_err(|message| Error::InvalidRequest {
                    operation: op.id,
                    message,
                })?;
            headers.insert(name, value);
        }

        let (initial_delay, max_delay) = options
            .retry_delays
            .unwrap_or((inner.initial_retry_delay, inner.max_retry_delay));
        Ok(Prepared {
            op,
            url,
            headers,
            body,
            timeout: options.timeout.unwrap_or(inner.timeout),
            max_retries: options.max_retries.unwrap_or(inner.max_retries),
            initial_delay,
            max_delay,
            decoder,
            client: client.clone(),
        })
    }
}

impl<T: Send + 'static, I: 'static> IntoFuture for ApiRequest<T, I> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::{GET_USER, LIST_IPS, SEARCH, SPEC};
    use crate::validate::Rule;
    use crate::ClientBuilder;
    use serde_json::json;

    fn client() -> Client {
        ClientBuilder::new(&SPEC)
            .base_url("http://127.0.0.1:9/v4")
            .credential("api_token", "tok")
            .credential("query_key", "qk")
            .default_header("X-Default", "d")
            .default_header("X-Param", "from-default")
            .retry_delays(Duration::from_millis(3), Duration::from_millis(30))
            .build()
            .unwrap()
    }

    fn prepared<T>(request: ApiRequest<T>) -> Prepared<T> {
        request.prepare().map_err(|e| e.to_string()).unwrap()
    }

    fn error<T>(request: ApiRequest<T>) -> Error {
        match request.prepare() {
            Err(e) => e,
            Ok(_) => panic!("expected the request to be refused"),
        }
    }

    fn invalid_request<T>(request: ApiRequest<T>) -> String {
        match error(request) {
            Error::InvalidRequest { message, .. } => message,
            other => panic!("expected an invalid request, got {other}"),
        }
    }

    #[test]
    fn the_url_joins_base_path_query_and_query_credentials() {
        let p = prepared(
            ApiRequest::<()>::new(&client(), &GET_USER)
                .path_param("account_id", "a/1")
                .path_param("user_id", "u 1")
                .path_param("user_id", "u2")
                .query("tag", "x&y")
                .query("tag", 2)
                .query_opt("page", None::<u32>)
                .query_opt("per_page", Some(5))
                .envelope(),
        );
        assert_eq!(
            p.url.as_str(),
            "http://127.0.0.1:9/v4/accounts/a%2F1/users/u2?tag=x%26y&tag=2&per_page=5"
        );
        assert_eq!(p.headers["authorization"], "Bearer tok");
        let p = prepared(ApiRequest::<()>::new(&client(), &LIST_IPS).envelope());
        assert_eq!(p.url.as_str(), "http://127.0.0.1:9/v4/ips");
    }

    #[test]
    fn headers_layer_defaults_credentials_parameters_body_and_options() {
        let client = client().with_options(RequestOptions::new().header("X-Client-Option", "c"));
        let p = prepared(
            ApiRequest::<()>::new(&client, &SEARCH)
                .header("X-Param", "from-param")
                .header("Authorization", "from-param")
                .json(&json!({"a": 1}))
                .extra_header("X-Default", "from-option")
                .envelope(),
        );
        let h = |name: &str| p.headers[name].to_str().unwrap();
        assert_eq!(h("accept"), "application/json");
        assert_eq!(h("user-agent"), "example-rust/test");
        assert_eq!(h("x-param"), "from-param", "parameters override defaults");
        assert_eq!(
            h("authorization"),
            "from-param",
            "parameters override credentials"
        );
        assert_eq!(h("x-default"), "from-option", "options override everything");
        assert_eq!(h("x-client-option"), "c");
        assert_eq!(h("content-type"), "application/json");
        assert_eq!(p.body.as_deref(), Some(&b"{\"a\":1}"[..]));
    }

    #[test]
    fn settings_come_from_the_request_then_the_client_copy_then_the_client() {
        let p = prepared(ApiRequest::<()>::new(&client(), &LIST_IPS).envelope());
        assert_eq!(p.timeout, Some(crate::DEFAULT_TIMEOUT));
        assert_eq!(p.max_retries, crate::DEFAULT_MAX_RETRIES);
        assert_eq!(
            (p.initial_delay, p.max_delay),
            (Duration::from_millis(3), Duration::from_millis(30))
        );
        let copy = client().with_options(
            RequestOptions::new()
                .max_retries(9)
                .timeout(Duration::from_secs(1)),
        );
        let p = prepared(
            ApiRequest::<()>::new(&copy, &LIST_IPS)
                .timeout(None)
                .options(RequestOptions::new().retry_delays(Duration::ZERO, Duration::ZERO))
                .envelope(),
        );
        assert_eq!(p.timeout, None);
        assert_eq!(p.max_retries, 9);
        assert_eq!(p.max_delay, Duration::ZERO);
        let p = prepared(
            ApiRequest::<()>::new(&copy, &LIST_IPS)
                .max_retries(0)
                .envelope(),
        );
        assert_eq!(p.max_retries, 0);
    }

    #[test]
    fn bodies_set_their_content_type() {
        let body = |request: ApiRequest<()>| {
            let p = prepared(request.envelope());
            (
                p.headers["content-type"].to_str().unwrap().to_owned(),
                p.body.unwrap(),
            )
        };
        let new = || ApiRequest::<()>::new(&client(), &SEARCH);
        assert_eq!(
            body(new().form(&json!({"a": "1 2", "b": [1, 2], "c": null}))),
            (
                "application/x-www-form-urlencoded".to_owned(),
                Bytes::from("a=1%202&b=1&b=2")
            )
        );
        assert_eq!(
            body(new().text("x = 1", "text/x-toml")),
            ("text/x-toml".to_owned(), Bytes::from("x = 1"))
        );
        assert_eq!(
            body(new().bytes(vec![0u8, 1], "application/octet-stream")),
            (
                "application/octet-stream".to_owned(),
                Bytes::from(vec![0u8, 1])
            )
        );
        let (content_type, _) = body(new().multipart(Multipart::new().text("a", "1")));
        assert!(content_type.starts_with("multipart/form-data; boundary=apigen-"));
        let p = prepared(ApiRequest::<Vec<u8>>::new(&client(), &SEARCH).raw_bytes());
        assert_eq!(p.headers["accept"], "*/*");
        assert!(p.headers.get("content-type").is_none() && p.body.is_none());
    }

    #[test]
    fn bad_parameters_and_bodies_are_reported_first_come() {
        let new = || ApiRequest::<()>::new(&client(), &GET_USER);
        assert_eq!(
            invalid_request(new().path_param("nope", "x").envelope()),
            "the path has no parameter `nope`"
        );
        assert_eq!(
            invalid_request(new().path_param("user_id", "").envelope()),
            "path parameter `user_id` must not be empty"
        );
        for dots in [".", ".."] {
            assert_eq!(
                invalid_request(new().path_param("user_id", dots).envelope()),
                "path parameter `user_id` must not be `.` or `..`"
            );
        }
        assert_eq!(
            invalid_request(new().path_param("user_id", "u").envelope()),
            "path parameter `account_id` was not given"
        );
        assert_eq!(
            invalid_request(
                new()
                    .header("X-Trace", "a\nb")
                    .path_param("user_id", "")
                    .envelope()
            ),
            "the value of header `X-Trace` contains forbidden characters (CR, LF or controls)",
            "the first problem is reported"
        );
        assert_eq!(
            invalid_request(new().form(&[1, 2]).envelope()),
            "a form body must serialize to an object"
        );
        assert_eq!(
            invalid_request(new().bytes(vec![], "text/plain\n").envelope()),
            "invalid content type `text/plain\n`"
        );
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        assert!(invalid_request(new().json(&map).envelope())
            .starts_with("cannot serialize the JSON body: "));
        assert!(invalid_request(new().form(&map).envelope())
            .starts_with("cannot serialize the form body: "));
        assert_eq!(
            invalid_request(
                ApiRequest::<()>::new(&client(), &LIST_IPS)
                    .extra_header("X Bad", "v")
                    .envelope()
            ),
            "invalid header name `X Bad`"
        );
        assert_eq!(
            invalid_request(ApiRequest::<()>::new(&client(), &LIST_IPS)),
            "no response decoding was chosen for this request"
        );
    }

    #[test]
    fn validation_comes_first_and_can_be_turned_off() {
        let violation = Violation::new("body.name", Rule::MinLength(1), Some(String::new()));
        let request = || {
            ApiRequest::<()>::new(&client(), &GET_USER)
                .path_param("user_id", "")
                .validate(vec![violation.clone()])
                .validate(Vec::new())
                .envelope()
        };
        let Error::Validation {
            operation,
            violations,
        } = error(request())
        else {
            panic!("violations are reported before other problems");
        };
        assert_eq!(
            (operation, violations),
            ("users-get", vec![violation.clone()])
        );
        let lax = request().options(RequestOptions::new().validation(false));
        assert!(
            matches!(error(lax), Error::InvalidRequest { .. }),
            "then the other problems"
        );
    }

    #[test]
    fn missing_credentials_are_found_before_sending() {
        let client = ClientBuilder::new(&SPEC).build().unwrap();
        let err = error(ApiRequest::<()>::new(&client, &SEARCH).envelope());
        assert!(
            matches!(
                err,
                Error::MissingCredentials {
                    operation: "search",
                    ..
                }
            ),
            "{err:?}"
        );
        prepared(ApiRequest::<()>::new(&client, &LIST_IPS).envelope());
    }

    #[test]
    fn requests_are_send_and_debug_shows_no_values() {
        fn assert_send<T: Send>(_: &T) {}
        let request = ApiRequest::<u32>::new(&client(), &SEARCH)
            .extra_header("X-Secret", "SECRET")
            .envelope();
        let text = format!("{request:?}");
        assert!(
            text.contains("search") && text.contains("X-Secret") && !text.contains("SECRET"),
            "{text}"
        );
        assert_send(&request.into_future());
        assert_send(
            &ApiRequest::<u32>::new(&client(), &SEARCH)
                .envelope()
                .with_response()
                .into_future(),
        );
    }
}
