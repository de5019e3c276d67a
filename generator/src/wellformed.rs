//! Checks of spec text that the parsers make too late, too slowly, or not at all:
//! where a non-UTF-8 byte is, YAML flow collections nested so deeply that libyaml takes
//! quadratic time to reject them, where the first YAML alias is (for errors libyaml
//! reports without a position), and duplicate keys (which both parsers resolve silently,
//! last one wins, so an operation can vanish).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::pointer_token;

/// 1-based line and column (in characters) of byte offset `at` in `bytes`.
pub fn position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// What [`scan_yaml`] found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct YamlScan {
    /// Where flow collections first nest deeper than the limit (line, column).
    pub too_deep: Option<(usize, usize)>,
    /// Where the first alias (`*name`) is (line, column).
    pub first_alias: Option<(usize, usize)>,
}

/// Scans YAML text for flow collections (`[...]`, `{...}`) nested deeper than `limit`
/// and for the first alias, without parsing it. It follows just enough of YAML to tell
/// a flow indicator from text (quoted and block scalars, comments, node positions);
/// flow collections can only start where a node starts, so brackets inside plain
/// text of block scalars or descriptions are not counted.
pub fn scan_yaml(text: &str, limit: usize) -> YamlScan {
    let mut scan = YamlScan::default();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // Inside a block scalar (`|`, `>`): the indentation of the line that started it.
    let mut block_scalar: Option<usize> = None;
    let mut at_node_start = true;
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if depth == 0 && quote.is_none() {
            at_node_start = true;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let spaced = |i: usize| i == 0 || chars[i - 1].is_whitespace();
        // An indicator (`-`, `?`, `:`) is one when what follows ends it.
        let ends_token = |i: usize, depth: usize| {
            chars.get(i + 1).map_or(true, |c| {
                c.is_whitespace() || (depth > 0 && ",[]{}".contains(*c))
            })
        };
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                if c == q && q == '\'' && chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                    continue;
                }
                if c == '\\' && q == '"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    quote = None;
                    at_node_start = false;
                }
                i += 1;
                continue;
            }
            if c == '#' && spaced(i) {
                break;
            }
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if at_node_start {
                match c {
                    '[' | '{' => {
                        depth += 1;
                        if depth > limit && scan.too_deep.is_none() {
                            scan.too_deep = Some((line_no, i + 1));
                            return scan;
                        }
                        i += 1;
                        continue;
                    }
                    '\'' | '"' => {
                        quote = Some(c);
                        i += 1;
                        continue;
                    }
                    '*' => {
                        if scan.first_alias.is_none() {
                            scan.first_alias = Some((line_no, i + 1));
                        }
                        at_node_start = false;
                        i += 1;
                        continue;
                    }
                    '&' | '!' => {
                        while i < chars.len() && !chars[i].is_whitespace() {
                            i += 1;
                        }
                        continue;
                    }
                    '-' | '?' | ':' if ends_token(i, depth) => {
                        i += 1;
                        continue;
                    }
                    '|' | '>' if depth == 0 => {
                        block_scalar = Some(indent);
                        break;
                    }
                    _ => {}
                }
            }
            if depth > 0 {
                match c {
                    '[' | '{' => {
                        depth += 1;
                        if depth > limit && scan.too_deep.is_none() {
                            scan.too_deep = Some((line_no, i + 1));
                            return scan;
                        }
                        at_node_start = true;
                    }
                    ']' | '}' => {
                        depth -= 1;
                        at_node_start = false;
                    }
                    ',' => at_node_start = true,
                    ':' if ends_token(i, depth) => at_node_start = true,
                    _ => at_node_start = false,
                }
            } else {
                at_node_start = c == ':' && ends_token(i, depth);
            }
            i += 1;
        }
    }
    scan
}

/// A duplicate key, with the JSON pointer of the object holding it.
fn duplicate(pointer: &[String], key: &str) -> String {
    let mut at = String::from("#");
    for token in pointer {
        at.push('/');
        at.push_str(&pointer_token(token));
    }
    format!(
        "duplicate key {key:?} in the object at {at} (a later value would silently replace the earlier one)"
    )
}

/// Deserializes any JSON or YAML value into a [`Value`] (or only checks it, when `build`
/// is false), failing on the first duplicate key; `path` is the position being read.
pub struct Checked<'p> {
    /// The JSON pointer tokens of the value being read.
    pub path: &'p mut Vec<String>,
    /// Whether to build the value (`false`: only check; the result is `Value::Null`).
    pub build: bool,
}

/// Reads `text` as JSON only to check it has no duplicate keys.
pub fn check_json_keys(text: &str) -> Result<(), serde_json::Error> {
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    Checked {
        path: &mut path,
        build: false,
    }
    .deserialize(&mut de)?;
    Ok(())
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(if self.build {
            Value::String(v.to_string())
        } else {
            Value::Null
        })
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let mut index = 0usize;
        loop {
            self.path.push(index.to_string());
            let item = seq.next_element_seed(Checked {
                path: self.path,
                build: self.build,
            });
            self.path.pop();
            match item? {
                Some(v) if self.build => items.push(v),
                Some(_) => {}
                None => break,
            }
            index += 1;
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut seen: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let key = key.0;
            if seen.contains(&key) {
                return Err(de::Error::custom(duplicate(self.path, &key)));
            }
            self.path.push(key.to_string());
            let value = map.next_value_seed(Checked {
                path: self.path,
                build: self.build,
            });
            self.path.pop();
            let value = value?;
            if self.build {
                out.insert(key.to_string(), value);
            }
            seen.insert(key);
        }
        Ok(Value::Object(out))
    }
}

/// A map key as text, borrowed when the input allows it.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        assert_eq!(position(b"ab\ncd", 4), (2, 2));
        assert_eq!(position("é\nxé!".as_bytes(), 6), (2, 3));
        assert_eq!(position(b"", 0), (1, 1));
    }

    #[test]
    fn flow_depth_counts_only_flow_indicators() {
        let deep = format!("a: {}1{}\n", "[".repeat(50), "]".repeat(50));
        assert_eq!(scan_yaml(&deep, 49).too_deep, Some((1, 53)));
        assert_eq!(scan_yaml(&deep, 50).too_deep, None);
        let deep_map = format!("a:\n  - {}\n", "{b: ".repeat(20));
        assert_eq!(scan_yaml(&deep_map, 10).too_deep, Some((2, 45)));
        // Brackets in text, quotes, comments and block scalars are not flow collections.
        let text = format!(
            "a: see [x and {{y\nb: '[[[' # [[[\nc: |\n  {0}\n  {0}\nd: \"[{{\\\"[\"\ne: it's [\nf: {0}\n",
            "[".repeat(30)
        );
        assert_eq!(scan_yaml(&text, 20).too_deep, Some((8, 24)));
        assert_eq!(
            scan_yaml(&text[..text.find("f:").unwrap()], 2).too_deep,
            None
        );
        let quoted = "a: ['[[[', \"{{{\", b]\nc: [it's, {d: '}}'}]\n";
        assert_eq!(scan_yaml(quoted, 2).too_deep, None);
        assert_eq!(scan_yaml(quoted, 1).too_deep, Some((2, 11)));
    }

    #[test]
    fn first_alias() {
        let text = "a: &x [1]\nb: 'a *b'\nc: [*x, *x]\n";
        assert_eq!(scan_yaml(text, 100).first_alias, Some((3, 5)));
    }

    #[test]
    fn duplicate_keys_name_their_object() {
        let err = check_json_keys(r#"{"paths": {"/a": {}, "/b": [{"x": 1, "x": 2}]}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(r#"duplicate key "x" in the object at #/paths/~1b/0"#),
            "{err}"
        );
        let err = check_json_keys(r#"{"paths": {"/a": {}, "/a": {}}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains(r#""/a" in the object at #/paths"#), "{err}");
        assert!(check_json_keys(r#"{"a": {"a": {"a": 1}}}"#).is_ok());
    }
}
