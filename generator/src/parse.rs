//! Spec → `openapiv3::OpenAPI`. Format is decided by content (JSON starts with `{`),
//! so a `.yaml` file holding JSON, or a file with no extension, both work.

use std::path::Path;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;

use crate::error::{pointer_token, Error, Result};
use crate::normalize::Dialect;

/// Reads and parses an OpenAPI 3.0 document from `path`.
pub fn parse_file(path: &Path) -> Result<OpenAPI> {
    let text = read_spec_text(path)?;
    parse_str(&text, path)
}

/// Reads a spec file as text; gzip-compressed files (such as the vendored specs
/// under `tests/specs/`) are decompressed transparently.
pub fn read_spec_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| Error::io(path, e))?;
        out
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) =
            crate::wellformed::position(e.as_bytes(), e.utf8_error().valid_up_to());
        Error::Syntax {
            file: path.to_path_buf(),
            line,
            column,
            message: format!("not UTF-8 text: {}", e.utf8_error()),
        }
    })
}

/// Parses an OpenAPI 3.0 or 3.1 document (3.1 is normalised into the 3.0 model,
/// see [`crate::normalize`]); `origin` names the input in errors.
pub fn parse_str(text: &str, origin: &Path) -> Result<OpenAPI> {
    let body = text.trim_start_matches('\u{feff}');
    let declared = crate::normalize::version::declared_in_text(body);
    if crate::normalize::version::dialect(declared.as_ref(), origin)? == Dialect::V31 {
        let mut tree: serde_json::Value = if looks_like_json(body) {
            parse_json(body, origin)?
        } else {
            parse_yaml(body, origin)?
        };
        crate::normalize::normalize_31(&mut tree);
        return from_tree(&tree, origin);
    }
    let spec: OpenAPI = if looks_like_json(body) {
        parse_json(body, origin)?
    } else {
        parse_yaml(body, origin)?
    };
    check_version(&spec, origin)?;
    Ok(spec)
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn parse_json<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    // serde_json keeps the last of duplicate keys silently; a first pass refuses them.
    crate::wellformed::check_json_keys(text).map_err(|e| Error::Syntax {
        file: origin.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let pointer = pointer_of(err.path());
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Error::Syntax {
                file: origin.to_path_buf(),
                line: inner.line(),
                column: inner.column(),
                message: strip_position(&inner.to_string()),
            }
        } else {
            let tree: Option<serde_json::Value> = serde_json::from_str(text).ok();
            let (pointer, message) = match tree.as_ref().and_then(locate) {
                Some(found) => found,
                None => (pointer, inner.to_string()),
            };
            semantic_error(origin, pointer, &message)
        }
    })?;
    de.end().map_err(|e| Error::Syntax {
        file: origin.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// Flow collections nested deeper than this are refused before libyaml sees them (it
/// takes time quadratic in the depth to refuse them itself; serde_yaml stops at 128).
const MAX_YAML_FLOW_DEPTH: usize = 256;

fn parse_yaml<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T> {
    use serde::de::DeserializeSeed;
    let syntax = |line, column, message: String| Error::Syntax {
        file: origin.to_path_buf(),
        line,
        column,
        message,
    };
    let scan = crate::wellformed::scan_yaml(text, MAX_YAML_FLOW_DEPTH);
    if let Some((line, column)) = scan.too_deep {
        return Err(syntax(
            line,
            column,
            format!("flow collections nested more than {MAX_YAML_FLOW_DEPTH} levels deep"),
        ));
    }
    // Two steps, so syntax errors keep their line:column and schema errors get a pointer.
    // The tree is built by a seed that refuses duplicate keys (serde_yaml keeps the last).
    let mut path = Vec::new();
    let tree = crate::wellformed::Checked {
        path: &mut path,
        build: true,
    }
    .deserialize(serde_yaml::Deserializer::from_str(text))
    .map_err(|e| {
        let mut message = strip_position(&e.to_string());
        // serde_yaml prefixes the dotted path; the duplicate-key message names its pointer.
        if let Some(i) = message.find("duplicate key ") {
            message.drain(..i);
        }
        match (e.location(), scan.first_alias) {
            (Some(l), _) => syntax(l.line(), l.column(), message),
            // libyaml gives no position when aliases expand too far (an alias bomb).
            (None, Some((line, column))) => syntax(
                line,
                column,
                format!("{message} (aliases expand too far; the first alias is here)"),
            ),
            (None, None) => syntax(1, 1, message),
        }
    })?;
    from_tree(&tree, origin)
}

/// Types a parsed tree; schema errors get the pointer of the deepest invalid node.
fn from_tree<T: DeserializeOwned>(tree: &serde_json::Value, origin: &Path) -> Result<T> {
    serde_path_to_error::deserialize(tree).map_err(|err| {
        let (pointer, message) =
            locate(tree).unwrap_or_else(|| (pointer_of(err.path()), err.into_inner().to_string()));
        semantic_error(origin, pointer, &message)
    })
}

/// Finds the deepest invalid node. `openapiv3` deserializes `$ref`-or-item
/// positions as untagged enums, which buffer their input and so lose the path
/// below them; this walks the tree with the type each position must have.
fn locate(root: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::*;
    use serde_json::Value;

    type Check = fn(&Value) -> Option<(String, String)>;

    fn check<T: DeserializeOwned>(value: &Value) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value.clone())
            .err()
            .map(|e| (pointer_of(e.path()), e.into_inner().to_string()))
    }
    fn join(prefix: &str, key: &str, rest: (String, String)) -> (String, String) {
        (
            format!(
                "{prefix}/{}{}",
                pointer_token(key),
                rest.0.trim_start_matches('#')
            ),
            rest.1,
        )
    }
    fn in_map(value: Option<&Value>, prefix: &str, each: Check) -> Option<(String, String)> {
        let map = value?.as_object()?;
        map.iter()
            .find_map(|(k, v)| each(v).map(|found| join(prefix, k, found)))
    }
    fn in_list(value: Option<&Value>, prefix: &str, each: Check) -> Option<(String, String)> {
        let list = value?.as_array()?;
        list.iter()
            .enumerate()
            .find_map(|(i, v)| each(v).map(|found| join(prefix, &i.to_string(), found)))
    }
    fn schema(v: &Value) -> Option<(String, String)> {
        check::<ReferenceOr<Schema>>(v)?;
        let deeper = in_map(v.get("properties"), "#/properties", schema)
            .or_else(|| {
                v.get("items")
                    .and_then(schema)
                    .map(|f| join("#", "items", f))
            })
            .or_else(|| {
                v.get("additionalProperties")
                    .filter(|a| a.is_object())
                    .and_then(schema)
                    .map(|f| join("#", "additionalProperties", f))
            })
            .or_else(|| in_list(v.get("allOf"), "#/allOf", schema))
            .or_else(|| in_list(v.get("oneOf"), "#/oneOf", schema))
            .or_else(|| in_list(v.get("anyOf"), "#/anyOf", schema));
        deeper.or_else(|| check::<ReferenceOr<Schema>>(v))
    }
    fn media(v: &Value) -> Option<(String, String)> {
        v.get("schema")
            .and_then(schema)
            .map(|f| join("#", "schema", f))
            .or_else(|| check::<MediaType>(v))
    }
    fn response(v: &Value) -> Option<(String, String)> {
        check::<ReferenceOr<Response>>(v)?;
        in_map(v.get("content"), "#/content", media).or_else(|| check::<ReferenceOr<Response>>(v))
    }
    fn parameter(v: &Value) -> Option<(String, String)> {
        check::<ReferenceOr<Parameter>>(v)?;
        v.get("schema")
            .and_then(schema)
            .map(|f| join("#", "schema", f))
            .or_else(|| check::<ReferenceOr<Parameter>>(v))
    }
    fn request_body(v: &Value) -> Option<(String, String)> {
        check::<ReferenceOr<RequestBody>>(v)?;
        in_map(v.get("content"), "#/content", media)
            .or_else(|| check::<ReferenceOr<RequestBody>>(v))
    }
    fn operation(v: &Value) -> Option<(String, String)> {
        check::<Operation>(v)?;
        in_list(v.get("parameters"), "#/parameters", parameter)
            .or_else(|| {
                v.get("requestBody")
                    .and_then(request_body)
                    .map(|f| join("#", "requestBody", f))
            })
            .or_else(|| in_map(v.get("responses"), "#/responses", response))
            .or_else(|| check::<Operation>(v))
    }
    fn path_item(v: &Value) -> Option<(String, String)> {
        check::<ReferenceOr<PathItem>>(v)?;
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        methods
            .iter()
            .find_map(|m| v.get(*m).and_then(operation).map(|f| join("#", m, f)))
            .or_else(|| in_list(v.get("parameters"), "#/parameters", parameter))
            .or_else(|| check::<ReferenceOr<PathItem>>(v))
    }

    let components = root.get("components");
    in_map(root.get("paths"), "#/paths", path_item)
        .or_else(|| {
            in_map(
                components.and_then(|c| c.get("schemas")),
                "#/components/schemas",
                schema,
            )
        })
        .or_else(|| {
            in_map(
                components.and_then(|c| c.get("responses")),
                "#/components/responses",
                response,
            )
        })
        .or_else(|| {
            in_map(
                components.and_then(|c| c.get("parameters")),
                "#/components/parameters",
                parameter,
            )
        })
        .or_else(|| {
            in_map(
                components.and_then(|c| c.get("requestBodies")),
                "#/components/requestBodies",
                request_body,
            )
        })
}

fn semantic_error(origin: &Path, pointer: String, message: &str) -> Error {
    let message = if message.contains("did not match any variant") {
        format!("{message} (not a valid OpenAPI 3.0 object here)")
    } else {
        message.to_string()
    };
    Error::Spec {
        file: origin.to_path_buf(),
        pointer,
        message,
    }
}

fn check_version(spec: &OpenAPI, origin: &Path) -> Result<()> {
    if spec.openapi.starts_with("3.0") {
        Ok(())
    } else {
        Err(Error::Spec {
            file: origin.to_path_buf(),
            pointer: "#/openapi".into(),
            message: format!(
                "unsupported OpenAPI version {:?}: this generator reads OpenAPI 3.0.x and 3.1.x",
                spec.openapi
            ),
        })
    }
}

/// serde_json and serde_yaml append " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse_str(text, Path::new("spec.yaml"))
            .expect_err("must fail")
            .to_string()
    }

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let msg = err("openapi: 3.0.3\ninfo: [unclosed\n");
        assert!(msg.starts_with("spec.yaml:"), "{msg}");
        assert!(msg.contains("syntax error"), "{msg}");
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let msg = err("{\n  \"openapi\": \"3.0.3\",\n  \"info\": }");
        assert!(msg.starts_with("spec.yaml:3:"), "{msg}");
    }

    #[test]
    fn semantic_error_names_pointer() {
        let msg = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': 12\n");
        assert!(msg.contains("at #/paths/~1a/get/responses"), "{msg}");
    }

    #[test]
    fn rejects_other_versions() {
        let msg = err("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(msg.contains("#/openapi") && msg.contains("3.2.0"), "{msg}");
        let msg = err("{\"swagger\": \"2.0\", \"info\": {}, \"paths\": {}}");
        assert!(
            msg.contains("#/swagger") && msg.contains("Swagger \"2.0\""),
            "{msg}"
        );
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_pointer() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {}\n  /a: {}\n";
        let msg = err(yaml);
        assert!(
            msg.starts_with("spec.yaml:")
                && msg.contains("duplicate key \"/a\" in the object at #/paths"),
            "{msg}"
        );
        let json =
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1","title":"u"},"paths":{}}"#;
        let msg = err(json);
        assert!(
            msg.contains("duplicate key \"title\" in the object at #/info"),
            "{msg}"
        );
        // Keys that differ only in YAML type are the same JSON key.
        let msg = err(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: {200: 1, '200': 2}\n",
        );
        assert!(
            msg.contains("duplicate key \"200\" in the object at #/x-a"),
            "{msg}"
        );
    }

    #[test]
    fn hostile_yaml_is_refused_with_a_position() {
        let deep = format!("openapi: 3.0.3\nx: {}\n", "[{a: ".repeat(20_000));
        let msg = err(&deep);
        assert!(
            msg.starts_with("spec.yaml:2:") && msg.contains("nested more than"),
            "{msg}"
        );
        let mut bomb = String::from("openapi: 3.0.3\nx:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!(
                "  {name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(", ")
            ));
        }
        let msg = err(&bomb);
        assert!(
            msg.starts_with("spec.yaml:4:10:") && msg.contains("alias"),
            "{msg}"
        );
    }

    #[test]
    fn non_utf8_input_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, b"openapi: 3.0.3\ninfo: {title: \"t\xff\"}\n").unwrap();
        let msg = read_spec_text(&path).unwrap_err().to_string();
        assert!(msg.ends_with("spec.yaml:2:17: syntax error: not UTF-8 text: invalid utf-8 sequence of 1 bytes from index 31"), "{msg}");
    }

    #[test]
    fn content_decides_format() {
        let spec = parse_str(
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#,
            Path::new("spec.yaml"),
        )
        .expect("json in a .yaml file parses");
        assert_eq!(spec.info.title, "t");
    }
}
