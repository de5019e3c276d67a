//! Decoding of 2xx responses: the decoders an [`ApiRequest`](super::ApiRequest)
//! chooses from (JSON, bytes, text, nothing; the envelope decoder is in
//! `envelope`), and [`ApiResponse`], a result with the response it came from.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::envelope::{ApiMessage, REQUEST_ID_HEADER};
use super::error::Error;
use super::spec::Operation;

/// Everything about a 2xx response that a decoder may look at.
pub(super) struct RawResponse {
    pub(super) op: &'static Operation,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

/// A decoded value, with the envelope's metadata when there was one.
pub(super) struct Decoded<T> {
    pub(super) value: T,
    pub(super) result_info: Option<Value>,
    pub(super) messages: Vec<ApiMessage>,
}

impl<T> Decoded<T> {
    /// A value that came without metadata.
    pub(super) fn bare(value: T) -> Self {
        Decoded {
            value,
            result_info: None,
            messages: Vec::new(),
        }
    }
}

/// How a request turns its 2xx response into `T`.
pub(super) type DecodeFn<T> = Box<dyn FnOnce(&RawResponse) -> Result<Decoded<T>, Error> + Send>;

/// A decoded result with the response it came from ([`ApiRequest::with_response`](super::ApiRequest::with_response)).
///
/// `I` is the type of the envelope's `result_info`, as the spec declares it
/// (`serde_json::Value` when it declares none).
#[derive(Debug, Clone)]
pub struct ApiResponse<T, I = Value> {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded result.
    pub result: T,
    /// The envelope's `result_info` (paging state and counts), if any.
    pub result_info: Option<I>,
    /// The envelope's `messages`.
    pub messages: Vec<ApiMessage>,
}

impl<T, I> ApiResponse<T, I> {
    /// Drops everything but the result.
    pub fn into_result(self) -> T {
        self.result
    }

    /// The `cf-ray` request identifier, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
    }
}

impl<T> ApiResponse<T> {
    /// Decodes an untyped `result_info` into a typed value.
    pub fn result_info_as<R: DeserializeOwned>(&self) -> Option<R> {
        self.result_info
            .as_ref()
            .and_then(|v| R::deserialize(v).ok())
    }
}

/// The whole body as JSON; an empty body is decoded from `null`.
pub(super) fn decode_plain_json<T: DeserializeOwned>(
    raw: &RawResponse,
) -> Result<Decoded<T>, Error> {
    let value = if is_blank(&raw.body) {
        from_null(raw)?
    } else {
        serde_json::from_slice(&raw.body).map_err(|e| decode_error(raw, e.to_string()))?
    };
    Ok(Decoded::bare(value))
}

/// The body as bytes.
pub(super) fn decode_bytes<T: From<Bytes>>(raw: &RawResponse) -> Result<Decoded<T>, Error> {
    Ok(Decoded::bare(T::from(raw.body.clone())))
}

/// The body as UTF-8 text.
pub(super) fn decode_text<T: From<String>>(raw: &RawResponse) -> Result<Decoded<T>, Error> {
    match std::str::from_utf8(&raw.body) {
        Ok(text) => Ok(Decoded::bare(T::from(text.to_owned()))),
        Err(e) => Err(decode_error(raw, format!("the body is not UTF-8: {e}"))),
    }
}

/// Whether a body is empty or only whitespace.
pub(super) fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// `T` decoded from `null`, for a response that has no result.
pub(super) fn from_null<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    T::deserialize(Value::Null)
        .map_err(|e| decode_error(raw, format!("no result in the response: {e}")))
}

/// [`Error::Decode`] for this response, with the start of its body.
pub(super) fn decode_error(raw: &RawResponse, message: String) -> Error {
    Error::Decode {
        operation: raw.op.id,
        status: raw.status,
        message,
        excerpt: excerpt(&raw.body, 512),
    }
}

/// At most `max_chars` characters of a body, lossily decoded as UTF-8.
pub(super) fn excerpt(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(max_chars * 4)]);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() || body.len() > max_chars * 4 {
        out.push('…');
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::spec::tests::SEARCH;
    use serde::Deserialize;

    /// A 200 response of `SEARCH` with this body and headers.
    pub fn raw(body: &str, headers: &[(&'static str, &str)]) -> RawResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        RawResponse {
            op: &SEARCH,
            status: StatusCode::OK,
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: u32,
    }

    #[test]
    fn plain_json_decodes_the_whole_body_and_blank_as_null() {
        let item: Decoded<Item> = decode_plain_json(&raw(r#"{"id": 7}"#, &[])).unwrap();
        assert_eq!(item.value, Item { id: 7 });
        assert!(item.result_info.is_none() && item.messages.is_empty());
        let none: Decoded<Option<Item>> = decode_plain_json(&raw(" \n", &[])).unwrap();
        assert_eq!(none.value, None);
        let Err(Error::Decode { message, .. }) = decode_plain_json::<Item>(&raw("", &[])) else {
            panic!("a required result cannot come from an empty body");
        };
        assert!(
            message.starts_with("no result in the response: "),
            "{message}"
        );
    }

    #[test]
    fn decode_errors_carry_the_status_and_an_excerpt() {
        let Err(error) = decode_plain_json::<Item>(&raw(r#"{"id": "seven"}"#, &[])) else {
            panic!("a string is not a u32");
        };
        let Error::Decode {
            operation,
            status,
            message,
            excerpt,
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((*operation, *status), ("search", StatusCode::OK));
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(excerpt, r#"{"id": "seven"}"#);
    }

    #[test]
    fn bytes_and_text() {
        let bytes: Decoded<Vec<u8>> = decode_bytes(&raw("\x00ab", &[])).unwrap();
        assert_eq!(bytes.value, b"\x00ab");
        let text: Decoded<String> = decode_text(&raw("héllo", &[])).unwrap();
        assert_eq!(text.value, "héllo");
        let mut invalid = raw("", &[]);
        invalid.body = Bytes::from_static(&[0xff, 0xfe]);
        let Err(Error::Decode {
            message, excerpt, ..
        }) = decode_text::<String>(&invalid)
        else {
            panic!("0xff is not UTF-8");
        };
        assert!(message.starts_with("the body is not UTF-8: "), "{message}");
        assert_eq!(excerpt, "\u{fffd}\u{fffd}");
    }

    #[test]
    fn excerpts_are_cut_at_characters() {
        assert_eq!(excerpt(b"short", 10), "short");
        assert_eq!(excerpt("ééé".as_bytes(), 2), "éé…");
        assert_eq!(excerpt(&[b'a'; 100], 10), "aaaaaaaaaa…");
        assert_eq!(excerpt(b"", 10), "");
        assert!(is_blank(b" \r\n\t") && is_blank(b"") && !is_blank(b" x"));
    }

    #[test]
    fn api_responses_expose_the_request_id_and_typed_result_info() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Page {
            page: u32,
        }
        let response = ApiResponse {
            status: StatusCode::OK,
            headers: raw("", &[("cf-ray", "8a1b2c3d4e5f-AMS")]).headers,
            result: 1,
            result_info: Some(serde_json::json!({"page": 2, "count": 20})),
            messages: Vec::new(),
        };
        assert_eq!(response.request_id(), Some("8a1b2c3d4e5f-AMS"));
        assert_eq!(response.result_info_as::<Page>(), Some(Page { page: 2 }));
        assert_eq!(response.result_info_as::<String>(), None);
        assert_eq!(response.into_result(), 1);
    }
}
