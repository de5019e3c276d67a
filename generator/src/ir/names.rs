//! Turning spec names into Rust names: case conversion (via `heck`), keyword
//! escaping, symbol spelling and deterministic collision resolution.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

/// A valid Rust identifier, possibly raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RustIdent(pub String);

impl RustIdent {
    /// The identifier as written in code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier without a raw prefix (for file names and derived names).
    pub fn bare(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["Self", "crate", "self", "super", "_"];

/// Whether `word` is a Rust keyword (strict or reserved, any edition).
pub fn is_rust_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Spells out characters that case conversion would drop, so `<1y` and `>1y`
/// stay distinct (`lt_1y`, `gt_1y`).
fn spell_symbols(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let word = match c {
            '<' => "lt",
            '>' => "gt",
            '=' => "eq",
            '!' => "not",
            '+' => "plus",
            '-' => "minus",
            '*' => "star",
            '/' => "slash",
            '.' => "dot",
            '@' => "at",
            '#' => "hash",
            '%' => "percent",
            '&' => "and",
            '|' => "or",
            '~' => "tilde",
            '^' => "caret",
            '$' => "dollar",
            '?' => "question",
            ':' => "colon",
            ',' => "comma",
            ' ' => "_",
            c if c.is_alphanumeric() || c == '_' => {
                out.push(c);
                continue;
            }
            _ => "x",
        };
        out.push('_');
        out.push_str(word);
        out.push('_');
    }
    out
}

/// Keeps ASCII letters, digits and underscores (case converters keep other
/// alphanumerics, which are valid identifiers but unreadable to most users).
fn ascii_only(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// snake_case identifier for a field, parameter, method or module.
/// `spell` spells out symbols instead of dropping them.
pub fn snake(name: &str, spell: bool) -> String {
    let source = if spell {
        spell_symbols(name)
    } else {
        name.to_string()
    };
    let mut s = ascii_only(&source.to_snake_case());
    s = s.trim_matches('_').to_string();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// A selector word as the generator names it (`zero-trust` → `zero_trust`).
pub fn snake_word(word: &str) -> String {
    snake(word, false)
}

/// UpperCamelCase identifier for a type or variant.
pub fn pascal(name: &str, spell: bool) -> String {
    let source = if spell {
        spell_symbols(name)
    } else {
        name.to_string()
    };
    let mut s = ascii_only(&source.to_upper_camel_case()).replace('_', "");
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    // `Self` is the one keyword in UpperCamelCase, and cannot be a raw identifier.
    if s == "Self" {
        s.push_str("Value");
    }
    s
}

/// Makes a snake_case word a usable identifier: raw when it is a keyword,
/// suffixed with `_` when it cannot be raw.
pub fn escape_value_ident(s: String) -> RustIdent {
    if NOT_RAW.contains(&s.as_str()) {
        RustIdent(format!("{s}_"))
    } else if is_rust_keyword(&s) {
        RustIdent(format!("r#{s}"))
    } else {
        RustIdent(s)
    }
}

/// Module names are file names too, so keywords get a `_` suffix instead of `r#`.
pub fn escape_module_ident(s: String) -> RustIdent {
    if is_rust_keyword(&s) || NOT_RAW.contains(&s.as_str()) {
        RustIdent(format!("{s}_"))
    } else {
        RustIdent(s)
    }
}

/// Names generated code already uses; a spec type with one of these names gets a suffix.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "ApiRequest",
    "BTreeMap",
    "Box",
    "Client",
    "DateTime",
    "Default",
    "Deserialize",
    "Err",
    "Error",
    "None",
    "Nullable",
    "Ok",
    "Operation",
    "Option",
    "Result",
    "Self",
    "Serialize",
    "Some",
    "String",
    "Utc",
    "Value",
    "Vec",
    "Violation",
];

/// Names of `Client`'s methods, which top-level resource accessors must not take:
/// the runtime's (`emit::newtypes` tests keep this in step with it) and the ones the
/// generated crate adds (`builder`, `from_env`) or derives (`clone`).
pub const CLIENT_METHOD_NAMES: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "from_env",
    "has_credential",
    "http_client",
    "new",
    "spec",
    "with_options",
];

/// Names of `ClientBuilder`'s methods, which credential setters must not take (the
/// runtime's; `emit::newtypes` tests keep this in step with it).
pub const BUILDER_METHOD_NAMES: &[&str] = &[
    "base_url",
    "build",
    "connect_timeout",
    "credential",
    "default_header",
    "from_env",
    "http_client",
    "max_retries",
    "new",
    "retry_delays",
    "timeout",
    "validation",
];

/// Whether generated code uses `name` itself, so no spec type may have it.
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name)
}

/// A set of names in one Rust namespace; claims are resolved deterministically.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace with these names already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace {
            taken: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Gives a name back (its type turned out to be a duplicate and is never emitted).
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
    }

    /// Takes `wanted`, or the first free of `wanted2`, `wanted3`, ...
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

/// Names a list of wire names in one namespace: case-converted, symbols spelled
/// out where plain conversion would collide, numbered where even that collides.
/// `convert(name, spell)` does the case conversion. The result is in input order.
pub fn assign_unique(
    wire_names: &[&str],
    namespace: &mut Namespace,
    convert: impl Fn(&str, bool) -> String,
) -> Vec<String> {
    let plain: Vec<String> = wire_names.iter().map(|n| convert(n, false)).collect();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for p in &plain {
        *counts.entry(p.as_str()).or_default() += 1;
    }
    let wanted: Vec<String> = wire_names
        .iter()
        .zip(&plain)
        .map(|(wire, p)| {
            if counts[p.as_str()] > 1 || namespace.contains(p) {
                convert(wire, true)
            } else {
                p.clone()
            }
        })
        .collect();
    wanted.iter().map(|w| namespace.claim(w)).collect()
}

/// The singular of an English resource noun, as the official SDKs name types
/// (`users` → `user`, `policies` → `policy`).
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix("ies") {
        if !stem.is_empty() {
            return format!("{}y", &word[..stem.len()]);
        }
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes"] {
        if lower.ends_with(suffix) {
            return word[..word.len() - 2].to_string();
        }
    }
    if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") || lower.len() < 4 {
        return word.to_string();
    }
    match lower.strip_suffix('s') {
        Some(_) => word[..word.len() - 1].to_string(),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_pascal() {
        assert_eq!(snake("zero-trust", false), "zero_trust");
        assert_eq!(snake("stream_liveInput", false), "stream_live_input");
        assert_eq!(snake("1y", false), "_1y");
        assert_eq!(pascal("access_name-10", false), "AccessName10");
        assert_eq!(pascal("<1y", false), "V1y");
        assert_eq!(pascal("", false), "Value");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape_value_ident("type".into()).as_str(), "r#type");
        assert_eq!(escape_value_ident("self".into()).as_str(), "self_");
        assert_eq!(escape_module_ident("type".into()).as_str(), "type_");
    }

    #[test]
    fn collisions_spell_symbols_then_number() {
        let mut ns = Namespace::default();
        let names = assign_unique(&["<", "<=", ">", ">=", "=="], &mut ns, pascal);
        assert_eq!(names, ["Lt", "LtEq", "Gt", "GtEq", "EqEq"]);
        let mut ns = Namespace::default();
        let names = assign_unique(&["<1y", ">1y", "1y"], &mut ns, pascal);
        assert_eq!(names, ["Lt1y", "Gt1y", "V1y"]);
        let mut ns = Namespace::default();
        let names = assign_unique(&["stream_liveInput", "stream_live_input"], &mut ns, snake);
        assert_eq!(names, ["stream_live_input", "stream_live_input2"]);
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("users"), "user");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("access"), "access");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("user"), "user");
        assert_eq!(singular("dns"), "dns");
        assert_eq!(singular("status"), "status");
    }
}
