//! Encoding of request parts: path templates, query strings, form bodies and
//! header values. Values are percent-encoded so they can never change the
//! structure of a URL, and header values with CR, LF or controls are refused.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

use super::error::Error;
use super::spec::Operation;

/// Characters left as they are in path segments and query components:
/// RFC 3986 "unreserved". Everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986 "unreserved" characters.
pub(super) fn encode_component(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, COMPONENT).to_string()
}

/// `name=value&...`, each side encoded with [`encode_component`].
pub(super) fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_component(name));
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// Appends `op`'s path template to `out` with each `{name}` replaced by its
/// (already encoded) value from `params`. A parameter without a value is an
/// error; an unclosed `{` is copied as it is.
pub(super) fn render_path(
    op: &'static Operation,
    params: &[(&'static str, String)],
    out: &mut String,
) -> Result<(), Error> {
    let mut rest = op.path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Ok(());
        };
        let name = &after[..close];
        let Some((_, value)) = params.iter().find(|(n, _)| *n == name) else {
            return Err(Error::InvalidRequest {
                operation: op.id,
                message: format!("path parameter `{name}` was not given"),
            });
        };
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// Whether `op`'s path template has the placeholder `{name}`.
pub(super) fn has_placeholder(op: &Operation, name: &str) -> bool {
    op.path.match_indices('{').any(|(i, _)| {
        op.path[i + 1..]
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('}'))
    })
}

/// The `application/x-www-form-urlencoded` pairs of a JSON value: arrays
/// become repeated keys, nested objects `key[sub]`, `null`s are left out.
pub(super) fn flatten_form(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((key.to_owned(), s.clone())),
        Value::Bool(_) | Value::Number(_) => out.push((key.to_owned(), value.to_string())),
        Value::Array(items) => {
            for item in items {
                flatten_form(key, item, out);
            }
        }
        Value::Object(map) => {
            for (sub, item) in map {
                flatten_form(&format!("{key}[{sub}]"), item, out);
            }
        }
    }
}

/// A header pair, or why it cannot be sent.
pub(super) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("invalid header name `{name}`"))?;
    let header_value = HeaderValue::from_str(value).map_err(|_| {
        format!("the value of header `{name}` contains forbidden characters (CR, LF or controls)")
    })?;
    Ok((header_name, header_value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::GET_USER;
    use reqwest::Method;
    use serde_json::json;

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode_component("a b/c?d#e&f=g+h%"),
            "a%20b%2Fc%3Fd%23e%26f%3Dg%2Bh%25"
        );
        assert_eq!(encode_component("é😀"), "%C3%A9%F0%9F%98%80");
        assert_eq!(
            encode_component(".."),
            "..",
            "dot segments are refused earlier"
        );
    }

    #[test]
    fn pairs_are_joined_and_encoded() {
        let pairs = [("a b", "1&2"), ("tag", "x"), ("tag", "y"), ("empty", "")];
        assert_eq!(
            encode_pairs(pairs.into_iter()),
            "a%20b=1%262&tag=x&tag=y&empty="
        );
        assert_eq!(encode_pairs(std::iter::empty()), "");
    }

    #[test]
    fn path_templates_are_filled() {
        let params = [
            ("user_id", "u%2F1".to_owned()),
            ("account_id", "acc".to_owned()),
        ];
        let mut out = String::from("http://h/v4");
        render_path(&GET_USER, &params, &mut out).unwrap();
        assert_eq!(out, "http://h/v4/accounts/acc/users/u%2F1");

        let mut out = String::new();
        let Err(Error::InvalidRequest { operation, message }) =
            render_path(&GET_USER, &params[..1], &mut out)
        else {
            panic!("account_id is missing");
        };
        assert_eq!(operation, "users-get");
        assert_eq!(message, "path parameter `account_id` was not given");

        static UNCLOSED: Operation = Operation {
            id: "unclosed",
            method: Method::GET,
            path: "/a/{b",
            security: &[],
        };
        let mut out = String::new();
        render_path(&UNCLOSED, &[], &mut out).unwrap();
        assert_eq!(out, "/a/{b");
    }

    #[test]
    fn placeholders_match_whole_names() {
        assert!(has_placeholder(&GET_USER, "user_id"));
        assert!(has_placeholder(&GET_USER, "account_id"));
        assert!(!has_placeholder(&GET_USER, "user"));
        assert!(!has_placeholder(&GET_USER, "accounts"));
        assert!(!has_placeholder(&GET_USER, ""));
    }

    #[test]
    fn forms_flatten_arrays_objects_and_skip_nulls() {
        let value =
            json!({"a": "1 2", "b": ["x", "y"], "c": null, "d": {"e": true, "f": [1, 2.5]}});
        let mut pairs = Vec::new();
        for (key, item) in value.as_object().unwrap() {
            flatten_form(key, item, &mut pairs);
        }
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a", "1 2"),
                ("b", "x"),
                ("b", "y"),
                ("d[e]", "true"),
                ("d[f]", "1"),
                ("d[f]", "2.5")
            ]
        );
    }

    #[test]
    fn headers_with_bad_names_or_values_are_refused() {
        let (name, value) = parse_header("X-Trace", "abc 123").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-trace", "abc 123")
        );
        assert_eq!(
            parse_header("X Trace", "v").unwrap_err(),
            "invalid header name `X Trace`"
        );
        for value in ["a\r\nb: c", "a\nb", "a\0b"] {
            assert_eq!(
                parse_header("X-Trace", value).unwrap_err(),
                "the value of header `X-Trace` contains forbidden characters (CR, LF or controls)"
            );
        }
    }
}
