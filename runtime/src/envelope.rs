//! Cloudflare's response conventions, kept out of the generic HTTP code:
//! the envelope `{success, errors, messages, result, result_info}` around
//! results and errors, its lenient `errors`/`messages` entries, and the
//! `cf-ray` request identifier.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::error::{ApiError, Error};
use super::response::{decode_error, from_null, is_blank, Decoded, RawResponse};

/// The response header that identifies a request (`cf-ray`).
pub(super) const REQUEST_ID_HEADER: &str = "cf-ray";

/// One entry of an envelope's `errors` or `messages` array. Every field is
/// optional on the wire and parsed leniently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiMessage {
    /// Numeric code (Cloudflare codes exceed `u16`); string codes are parsed.
    pub code: Option<i64>,
    /// Human-readable message.
    pub message: String,
    /// Link to documentation about this message.
    pub documentation_url: Option<String>,
    /// `source.pointer`: JSON pointer to the offending input.
    pub pointer: Option<String>,
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = self.code {
            write!(f, "[{code}] ")?;
        }
        f.write_str(&self.message)?;
        if let Some(pointer) = &self.pointer {
            write!(f, " (at {pointer})")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Envelope<T> {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    messages: Option<Value>,
    #[serde(default)]
    result: Option<T>,
    #[serde(default)]
    result_info: Option<Value>,
}

/// Decodes an envelope and yields its `result` (a missing or `null` result is
/// decoded from `null`); `success: false` is [`Error::Unsuccessful`].
pub(super) fn decode_envelope<T: DeserializeOwned>(raw: &RawResponse) -> Result<Decoded<T>, Error> {
    if is_blank(&raw.body) {
        return Ok(Decoded::bare(from_null(raw)?));
    }
    match serde_json::from_slice::<Envelope<T>>(&raw.body) {
        Ok(envelope) => {
            if envelope.success == Some(false) {
                let mut error =
                    ApiError::new(raw.op, raw.status, raw.headers.clone(), raw.body.clone());
                error.errors = parse_messages(envelope.errors.as_ref());
                error.messages = parse_messages(envelope.messages.as_ref());
                return Err(Error::Unsuccessful(Box::new(error)));
            }
            let value = match envelope.result {
                Some(value) => value,
                None => from_null(raw)?,
            };
            Ok(Decoded {
                value,
                result_info: envelope.result_info.filter(|v| !v.is_null()),
                messages: parse_messages(envelope.messages.as_ref()),
            })
        }
        Err(typed_error) => {
            // A `success: false` envelope whose result does not fit `T` is
            // still reported as the API's error, not as a decoding problem.
            unsuccessful(raw)?;
            Err(decode_error(raw, typed_error.to_string()))
        }
    }
}

/// Ignores the body and yields `T::default()`, unless it is a JSON envelope
/// with `success: false`.
pub(super) fn decode_no_content<T: Default>(raw: &RawResponse) -> Result<Decoded<T>, Error> {
    unsuccessful(raw)?;
    Ok(Decoded::bare(T::default()))
}

/// [`Error::Unsuccessful`] when the body is JSON with `success: false`.
fn unsuccessful(raw: &RawResponse) -> Result<(), Error> {
    if let Ok(value) = serde_json::from_slice::<Value>(&raw.body) {
        if value.get("success") == Some(&Value::Bool(false)) {
            return Err(Error::Unsuccessful(Box::new(ApiError::new(
                raw.op,
                raw.status,
                raw.headers.clone(),
                raw.body.clone(),
            ))));
        }
    }
    Ok(())
}

/// The `errors` and `messages` of an error response's body. Without
/// envelope errors, a bare `{"message": ..}` or `{"error": ..}` gives one entry.
pub(super) fn error_details(body: &[u8]) -> (Vec<ApiMessage>, Vec<ApiMessage>) {
    let json = serde_json::from_slice::<Value>(body).ok();
    let mut errors = parse_messages(json.as_ref().and_then(|v| v.get("errors")));
    if errors.is_empty() {
        if let Some(Value::String(message)) = json
            .as_ref()
            .and_then(|v| v.get("message").or_else(|| v.get("error")))
        {
            errors.push(ApiMessage {
                code: json
                    .as_ref()
                    .and_then(|v| v.get("code"))
                    .and_then(parse_code),
                message: message.clone(),
                ..ApiMessage::default()
            });
        }
    }
    let messages = parse_messages(json.as_ref().and_then(|v| v.get("messages")));
    (errors, messages)
}

fn parse_messages(value: Option<&Value>) -> Vec<ApiMessage> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(parse_message).collect(),
        Some(other) => parse_message(other).into_iter().collect(),
    }
}

fn parse_message(value: &Value) -> Option<ApiMessage> {
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    match value {
        Value::Null => None,
        // Not a message but, say, a map of field errors (Discord's `errors`): the
        // top-level `message` is used instead, and the detail stays in the body.
        Value::Object(map) if !map.contains_key("message") && !map.contains_key("code") => None,
        Value::Object(map) => Some(ApiMessage {
            code: map.get("code").and_then(parse_code),
            message: text(map.get("message")).unwrap_or_default(),
            documentation_url: text(map.get("documentation_url")),
            pointer: text(map.get("source").and_then(|s| s.get("pointer"))),
        }),
        Value::String(s) => Some(ApiMessage {
            message: s.clone(),
            ..ApiMessage::default()
        }),
        other => Some(ApiMessage {
            message: other.to_string(),
            ..ApiMessage::default()
        }),
    }
}

fn parse_code(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::tests::raw;
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct User {
        id: String,
    }

    fn message(code: Option<i64>, text: &str) -> ApiMessage {
        ApiMessage {
            code,
            message: text.to_owned(),
            ..ApiMessage::default()
        }
    }

    #[test]
    fn results_and_metadata_are_unwrapped() {
        let body = json!({
            "success": true, "errors": [], "messages": [{"code": 10000, "message": "deprecated"}],
            "result": {"id": "u1"}, "result_info": {"page": 1}
        });
        let decoded: Decoded<User> = decode_envelope(&raw(&body.to_string(), &[])).unwrap();
        assert_eq!(decoded.value, User { id: "u1".into() });
        assert_eq!(decoded.result_info, Some(json!({"page": 1})));
        assert_eq!(decoded.messages, [message(Some(10000), "deprecated")]);
    }

    #[test]
    fn missing_null_and_blank_results_decode_from_null() {
        for body in [
            r#"{"success": true}"#,
            r#"{"success": true, "result": null, "result_info": null}"#,
            "",
            "  ",
        ] {
            let decoded: Decoded<Option<User>> = decode_envelope(&raw(body, &[])).unwrap();
            assert_eq!(decoded.value, None, "{body:?}");
            assert_eq!(decoded.result_info, None, "{body:?}");
            let () = decode_envelope::<()>(&raw(body, &[])).unwrap().value;
        }
        let Err(Error::Decode { message, .. }) = decode_envelope::<User>(&raw("{}", &[])) else {
            panic!("a required result is missing");
        };
        assert!(
            message.starts_with("no result in the response"),
            "{message}"
        );
    }

    #[test]
    fn success_false_is_the_apis_error_even_when_the_result_does_not_fit() {
        let body = json!({
            "success": false,
            "errors": [{"code": "7003", "message": "No route", "source": {"pointer": "/id"}}],
            "messages": ["note"],
            "result": {"unexpected": true}
        });
        for decoded in [
            decode_envelope::<Option<User>>(&raw(&body.to_string(), &[])).map(|_| ()),
            decode_envelope::<u64>(&raw(&body.to_string(), &[])).map(|_| ()),
            decode_no_content::<()>(&raw(&body.to_string(), &[])).map(|_| ()),
        ] {
            let Err(Error::Unsuccessful(error)) = decoded else {
                panic!("success: false is an error");
            };
            assert_eq!(error.status, reqwest::StatusCode::OK);
            assert_eq!(error.operation, "search");
            let mut expected = message(Some(7003), "No route");
            expected.pointer = Some("/id".into());
            assert_eq!(error.errors, [expected]);
            assert_eq!(error.messages, [message(None, "note")]);
        }
    }

    #[test]
    fn bodies_that_do_not_fit_are_decode_errors() {
        let Err(Error::Decode {
            message, excerpt, ..
        }) = decode_envelope::<User>(&raw(r#"{"success": true, "result": {"id": 5}}"#, &[]))
        else {
            panic!("a number is not a string");
        };
        assert!(message.contains("invalid type"), "{message}");
        assert!(excerpt.starts_with("{\"success\""), "{excerpt}");
        assert!(decode_envelope::<User>(&raw("<html>", &[])).is_err());
        let () = decode_no_content::<()>(&raw("<html>", &[])).unwrap().value;
    }

    #[test]
    fn entries_are_parsed_leniently() {
        let entries = parse_messages(Some(&json!([
            {"code": 1003, "message": "Invalid", "documentation_url": "https://d"},
            {"code": "42", "message": 5},
            {"code": 1.0},
            {"code": 18446744073709551615u64},
            {"code": 1.5, "message": null},
            "plain text",
            7,
            null
        ])));
        let codes: Vec<Option<i64>> = entries.iter().map(|m| m.code).collect();
        assert_eq!(
            codes,
            [
                Some(1003),
                Some(42),
                Some(1),
                Some(i64::MAX),
                None,
                None,
                None
            ]
        );
        assert_eq!(entries[0].documentation_url.as_deref(), Some("https://d"));
        assert_eq!(entries[1].message, "5");
        assert_eq!(entries[4].message, "");
        assert_eq!(entries[5].message, "plain text");
        assert_eq!(entries[6].message, "7");
        assert_eq!(
            parse_messages(Some(&json!({"message": "one"}))),
            [message(None, "one")]
        );
        assert!(parse_messages(Some(&Value::Null)).is_empty());
        assert!(parse_messages(None).is_empty());
    }

    #[test]
    fn error_bodies_without_an_envelope_still_give_a_message() {
        let (errors, messages) = error_details(br#"{"message": "Rate limited"}"#);
        assert_eq!(errors, [message(None, "Rate limited")]);
        assert!(messages.is_empty());
        let (errors, _) = error_details(br#"{"error": "bad"}"#);
        assert_eq!(errors, [message(None, "bad")]);
        let (errors, _) =
            error_details(br#"{"errors": [{"code": 9, "message": "x"}], "message": "ignored"}"#);
        assert_eq!(errors, [message(Some(9), "x")]);
        let (errors, messages) = error_details(b"Bad Gateway");
        assert!(errors.is_empty() && messages.is_empty());
    }

    #[test]
    fn messages_display_code_text_and_pointer() {
        let mut entry = message(Some(1003), "Invalid");
        assert_eq!(entry.to_string(), "[1003] Invalid");
        entry.pointer = Some("/name".into());
        assert_eq!(entry.to_string(), "[1003] Invalid (at /name)");
        assert_eq!(message(None, "plain").to_string(), "plain");
    }
}
