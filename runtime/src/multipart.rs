//! `multipart/form-data` bodies (RFC 7578), encoded in memory so a request
//! carrying one can be sent again on retry.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde::Serialize;

/// A `multipart/form-data` body. Cloneable, so requests carrying it can be retried.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<MultipartPart>,
    error: Option<String>,
}

#[derive(Clone)]
struct MultipartPart {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(MultipartPart {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a field holding `value` serialized as JSON (`application/json`).
    pub fn json<B: Serialize + ?Sized>(mut self, name: impl Into<String>, value: &B) -> Self {
        match serde_json::to_vec(value) {
            Ok(data) => self.parts.push(MultipartPart {
                name: name.into(),
                filename: None,
                content_type: Some("application/json".to_owned()),
                data: Bytes::from(data),
            }),
            Err(e) => {
                let name = name.into();
                self.error.get_or_insert_with(|| {
                    format!("cannot serialize multipart field `{name}`: {e}")
                });
            }
        }
        self
    }

    /// Adds a file field.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(MultipartPart {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The body and its `Content-Type` (with the boundary), or why the form
    /// cannot be sent. The boundary is random and occurs in no part.
    pub(super) fn encode(self) -> Result<(Bytes, HeaderValue), String> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let boundary = loop {
            let candidate = format!(
                "apigen-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            let clash = self.parts.iter().any(|p| {
                p.data
                    .windows(candidate.len())
                    .any(|w| w == candidate.as_bytes())
            });
            if !clash {
                break candidate;
            }
        };
        let quote = |s: &str| {
            s.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"",
                    quote(&part.name)
                )
                .as_bytes(),
            );
            if let Some(filename) = &part.filename {
                out.extend_from_slice(format!("; filename=\"{}\"", quote(filename)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                if content_type.contains(['\r', '\n']) {
                    return Err(format!(
                        "invalid content type for multipart field `{}`",
                        part.name
                    ));
                }
                out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                .map_err(|e| e.to_string())?;
        Ok((Bytes::from(out), content_type))
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.parts
                    .iter()
                    .map(|p| format!("{} ({} bytes)", p.name, p.data.len())),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The body as text and its boundary.
    fn encode(form: Multipart) -> (String, String) {
        let (body, content_type) = form.encode().unwrap();
        let boundary = content_type
            .to_str()
            .unwrap()
            .strip_prefix("multipart/form-data; boundary=")
            .expect("the content type names the boundary")
            .to_owned();
        (String::from_utf8(body.to_vec()).unwrap(), boundary)
    }

    #[test]
    fn parts_are_framed_by_the_boundary_in_order() {
        let (body, b) = encode(
            Multipart::new()
                .json("metadata", &json!({"main_module": "w.js"}))
                .text("note", "hi")
                .file(
                    "script",
                    "w.js",
                    "application/javascript+module",
                    b"export {};".to_vec(),
                ),
        );
        assert!(b.starts_with("apigen-") && b.len() == 39, "{b}");
        assert_eq!(
            body,
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{{\"main_module\":\"w.js\"}}\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"script\"; filename=\"w.js\"\r\nContent-Type: application/javascript+module\r\n\r\nexport {{}};\r\n\
                 --{b}--\r\n"
            )
        );
        let (empty, b) = encode(Multipart::new());
        assert_eq!(empty, format!("--{b}--\r\n"));
    }

    #[test]
    fn boundaries_are_random() {
        let (_, first) = encode(Multipart::new().text("a", "1"));
        let (_, second) = encode(Multipart::new().text("a", "1"));
        assert_ne!(first, second);
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let (body, _) = encode(Multipart::new().file("a\"b\r\nc", "x\".txt", "text/plain", "z"));
        assert!(
            body.contains("name=\"a%22b%0D%0Ac\"; filename=\"x%22.txt\"\r\n"),
            "{body}"
        );
    }

    #[test]
    fn bad_parts_fail_when_encoded() {
        let err = Multipart::new()
            .file("f", "f.txt", "text/plain\r\nX-Injected: 1", "z")
            .encode()
            .unwrap_err();
        assert_eq!(err, "invalid content type for multipart field `f`");

        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1); // JSON object keys must be strings
        let err = Multipart::new()
            .json("first", &map)
            .json("second", &map)
            .encode()
            .unwrap_err();
        assert!(
            err.starts_with("cannot serialize multipart field `first`: "),
            "{err}"
        );
    }

    #[test]
    fn debug_shows_names_and_sizes_only() {
        let form = Multipart::new().text("token", "SECRET").file(
            "f",
            "f.bin",
            "application/octet-stream",
            vec![0u8; 3],
        );
        assert_eq!(
            format!("{form:?}"),
            "[\"token (6 bytes)\", \"f (3 bytes)\"]"
        );
    }
}
