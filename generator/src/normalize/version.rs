//! Which OpenAPI version a document declares, read before the document is typed,
//! so that Swagger 2.0 and unsupported versions fail with a message naming the
//! version instead of a schema error somewhere deep inside the document.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x: typed as is.
    V30,
    /// OpenAPI 3.1.x: normalised into the 3.0 model first ([`super::normalize`]).
    V31,
}

/// What the document says about its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// `openapi: X`.
    OpenApi(String),
    /// `swagger: X` (OpenAPI 2.0).
    Swagger(String),
}

/// Reads the declared version from the text, cheaply: JSON is scanned by a
/// deserializer that skips everything but the two keys; YAML by its top-level
/// lines. `None` when neither key is found or the text is not well-formed (the
/// full parse then reports what is wrong, with its position).
pub fn declared_in_text(body: &str) -> Option<Declared> {
    if body.trim_start().starts_with('{') {
        #[derive(Deserialize)]
        struct Probe {
            openapi: Option<Value>,
            swagger: Option<Value>,
        }
        let probe: Probe = serde_json::from_str(body).ok()?;
        from_values(probe.openapi.as_ref(), probe.swagger.as_ref())
    } else {
        body.lines().find_map(yaml_top_level_version)
    }
}

/// The declared version of an already parsed document tree.
pub fn declared_in_tree(tree: &Value) -> Option<Declared> {
    from_values(tree.get("openapi"), tree.get("swagger"))
}

fn from_values(openapi: Option<&Value>, swagger: Option<&Value>) -> Option<Declared> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (openapi, swagger) {
        (Some(v), _) => Some(Declared::OpenApi(text(v))),
        (None, Some(v)) => Some(Declared::Swagger(text(v))),
        (None, None) => None,
    }
}

/// `openapi: 3.1.0`, `"swagger": "2.0"` and the like, at column 0 (a top-level key
/// of a block mapping).
fn yaml_top_level_version(line: &str) -> Option<Declared> {
    for key in ["openapi", "swagger"] {
        let rest = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .find_map(|k| line.strip_prefix(k.as_str()))
            .and_then(|r| r.trim_start().strip_prefix(':'));
        let Some(rest) = rest else { continue };
        let value = match rest.find(" #") {
            Some(i) => &rest[..i],
            None => rest,
        };
        let value = value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string();
        return Some(if key == "openapi" {
            Declared::OpenApi(value)
        } else {
            Declared::Swagger(value)
        });
    }
    None
}

/// Decides how the document is read, or fails naming the version.
/// A document that declares nothing is read as 3.0 (typing it reports the missing field).
pub fn dialect(declared: Option<&Declared>, origin: &Path) -> Result<Dialect> {
    match declared {
        None => Ok(Dialect::V30),
        Some(Declared::OpenApi(v)) if v == "3.0" || v.starts_with("3.0.") => Ok(Dialect::V30),
        Some(Declared::OpenApi(v)) if v == "3.1" || v.starts_with("3.1.") => Ok(Dialect::V31),
        Some(Declared::OpenApi(v)) => Err(Error::Spec {
            file: origin.to_path_buf(),
            pointer: "#/openapi".into(),
            message: format!(
                "unsupported OpenAPI version {v:?}: this generator reads OpenAPI 3.0.x and 3.1.x"
            ),
        }),
        Some(Declared::Swagger(v)) => Err(Error::Spec {
            file: origin.to_path_buf(),
            pointer: "#/swagger".into(),
            message: format!(
                "Swagger {v:?} (OpenAPI 2.0) is not supported: this generator reads OpenAPI 3.0.x and 3.1.x; convert the document to OpenAPI 3 first"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Declared> {
        declared_in_text(text)
    }

    #[test]
    fn reads_json_and_yaml_declarations() {
        assert_eq!(
            of(r#"{"info": {"openapi": "x"}, "openapi": "3.1.0"}"#),
            Some(Declared::OpenApi("3.1.0".into()))
        );
        assert_eq!(
            of("info:\n  openapi: 9\nopenapi: '3.0.3' # comment\n"),
            Some(Declared::OpenApi("3.0.3".into()))
        );
        assert_eq!(
            of("\"swagger\": \"2.0\"\n"),
            Some(Declared::Swagger("2.0".into()))
        );
        assert_eq!(of("{not json"), None);
        assert_eq!(of("paths: {}\n"), None);
    }

    #[test]
    fn decides_the_dialect_or_names_the_version() {
        let p = Path::new("s.yaml");
        let v = |s: &str| Declared::OpenApi(s.into());
        assert_eq!(dialect(Some(&v("3.0.3")), p).unwrap(), Dialect::V30);
        assert_eq!(dialect(Some(&v("3.1.1")), p).unwrap(), Dialect::V31);
        assert_eq!(dialect(None, p).unwrap(), Dialect::V30);
        let err = dialect(Some(&v("3.2.0")), p).unwrap_err().to_string();
        assert!(
            err.contains("#/openapi") && err.contains("\"3.2.0\""),
            "{err}"
        );
        let err = dialect(Some(&Declared::Swagger("2.0".into())), p)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("#/swagger") && err.contains("Swagger \"2.0\""),
            "{err}"
        );
        // `3.10` is not `3.1`.
        assert!(dialect(Some(&v("3.10.0")), p).is_err());
    }
}
