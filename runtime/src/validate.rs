//! Client-side validation: the [`Rule`] a value broke, the [`Violation`]
//! reported for it, and the [`Validate`] trait that generated types
//! implement and containers forward.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value;

use super::format::Format;
use super::nullable::Nullable;

/// The rule a value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// Fewer characters (Unicode code points) than `minLength`.
    MinLength(u64),
    /// More characters (Unicode code points) than `maxLength`.
    MaxLength(u64),
    /// No match for `pattern` (the regular expression's source).
    Pattern(String),
    /// Not a valid value of the `format`.
    Format(Format),
    /// Below `minimum` (or equal, when exclusive).
    Minimum {
        /// The limit, as written in the specification.
        limit: String,
        /// Whether the limit itself is excluded.
        exclusive: bool,
    },
    /// Above `maximum` (or equal, when exclusive).
    Maximum {
        /// The limit, as written in the specification.
        limit: String,
        /// Whether the limit itself is excluded.
        exclusive: bool,
    },
    /// Not a multiple of `multipleOf`.
    MultipleOf(String),
    /// Fewer items than `minItems`.
    MinItems(u64),
    /// More items than `maxItems`.
    MaxItems(u64),
    /// Duplicate items despite `uniqueItems`.
    UniqueItems,
    /// Fewer properties than `minProperties`.
    MinProperties(u64),
    /// More properties than `maxProperties`.
    MaxProperties(u64),
    /// Not one of the allowed values.
    Enum(&'static [&'static str]),
    /// A required value is missing.
    Required,
    /// Any other rule, described in words.
    Custom(String),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: &u64| if *n == 1 { "" } else { "s" };
        match self {
            Rule::MinLength(n) => write!(f, "must be at least {n} character{} long", plural(n)),
            Rule::MaxLength(n) => write!(f, "must be at most {n} character{} long", plural(n)),
            Rule::Pattern(p) => write!(f, "must match the pattern `{p}`"),
            Rule::Format(format) => write!(f, "must be a valid {}", format.name()),
            Rule::Minimum {
                limit,
                exclusive: false,
            } => write!(f, "must be >= {limit}"),
            Rule::Minimum {
                limit,
                exclusive: true,
            } => write!(f, "must be > {limit}"),
            Rule::Maximum {
                limit,
                exclusive: false,
            } => write!(f, "must be <= {limit}"),
            Rule::Maximum {
                limit,
                exclusive: true,
            } => write!(f, "must be < {limit}"),
            Rule::MultipleOf(m) => write!(f, "must be a multiple of {m}"),
            Rule::MinItems(n) => write!(f, "must have at least {n} item{}", plural(n)),
            Rule::MaxItems(n) => write!(f, "must have at most {n} item{}", plural(n)),
            Rule::UniqueItems => f.write_str("must not contain duplicate items"),
            Rule::MinProperties(n) => write!(
                f,
                "must have at least {n} propert{}",
                if *n == 1 { "y" } else { "ies" }
            ),
            Rule::MaxProperties(n) => write!(
                f,
                "must have at most {n} propert{}",
                if *n == 1 { "y" } else { "ies" }
            ),
            Rule::Enum(allowed) => write!(f, "must be one of: {}", allowed.join(", ")),
            Rule::Required => f.write_str("is required"),
            Rule::Custom(text) => f.write_str(text),
        }
    }
}

/// One client-side validation failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where: `body.organizations[2].id`, `path.account_id`, `query.per_page`, …
    pub field: String,
    /// What rule was broken.
    pub rule: Rule,
    /// The offending value (shortened), or `None` when it may be secret.
    pub value: Option<String>,
}

const MAX_VALUE_CHARS: usize = 64;

impl Violation {
    /// A violation. The value is shortened, and dropped when the field's name
    /// suggests a secret (password, token, secret, key, …).
    pub fn new(field: impl Into<String>, rule: Rule, value: Option<String>) -> Self {
        let field = field.into();
        let value = if looks_secret(&field) {
            None
        } else {
            value.map(|v| {
                if v.chars().count() > MAX_VALUE_CHARS {
                    let mut short: String = v.chars().take(MAX_VALUE_CHARS).collect();
                    short.push('…');
                    short
                } else {
                    v
                }
            })
        };
        Violation { field, rule, value }
    }

    /// The same violation without its value (for `format: password` fields).
    pub fn redacted(mut self) -> Self {
        self.value = None;
        self
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.rule)?;
        if let Some(value) = &self.value {
            write!(f, " (got {value:?})")?;
        }
        Ok(())
    }
}

fn looks_secret(field: &str) -> bool {
    const WORDS: [&str; 10] = [
        "password",
        "passwd",
        "secret",
        "token",
        "key",
        "private",
        "credential",
        "signature",
        "cookie",
        "authorization",
    ];
    let last = field
        .rsplit(['.', '['])
        .next()
        .unwrap_or(field)
        .to_ascii_lowercase();
    WORDS.iter().any(|w| last.contains(w))
}

/// `prefix.name`, or `name` when the prefix is empty.
pub fn field_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `prefix[index]`.
pub fn index_path(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}

/// A value that can check itself; generated types implement it, containers
/// forward to their items.
pub trait Validate {
    /// Appends the violations of `self`, located at `path`, to `out`.
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>);

    /// All violations of `self`, located at `path`.
    fn violations_at(&self, path: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        self.validate_into(path, &mut out);
        out
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_into(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        if let Nullable::Value(v) = self {
            v.validate_into(path, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (i, item) in self.iter().enumerate() {
            item.validate_into(&index_path(path, i), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        self.as_slice().validate_into(path, out);
    }
}

impl<T: Validate, S> Validate for HashMap<String, T, S> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_into(&field_path(path, key), out);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_into(&field_path(path, key), out);
        }
    }
}

macro_rules! no_constraints {
    ($($t:ty),* $(,)?) => {
        $(impl Validate for $t {
            fn validate_into(&self, _path: &str, _out: &mut Vec<Violation>) {}
        })*
    };
}

no_constraints!(
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    char,
    str,
    String,
    Value,
    chrono::NaiveDate,
    chrono::NaiveDateTime,
    chrono::NaiveTime,
);

impl<Tz: chrono::TimeZone> Validate for chrono::DateTime<Tz> {
    fn validate_into(&self, _path: &str, _out: &mut Vec<Violation>) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::check_max_length;

    #[test]
    fn rules_read_as_sentences() {
        let cases: Vec<(Rule, &str)> = vec![
            (Rule::MinLength(1), "must be at least 1 character long"),
            (Rule::MaxLength(60), "must be at most 60 characters long"),
            (Rule::Pattern("^a$".into()), "must match the pattern `^a$`"),
            (Rule::Format(Format::Email), "must be a valid email"),
            (
                Rule::Minimum {
                    limit: "1".into(),
                    exclusive: false,
                },
                "must be >= 1",
            ),
            (
                Rule::Minimum {
                    limit: "1".into(),
                    exclusive: true,
                },
                "must be > 1",
            ),
            (
                Rule::Maximum {
                    limit: "9.5".into(),
                    exclusive: false,
                },
                "must be <= 9.5",
            ),
            (
                Rule::Maximum {
                    limit: "9.5".into(),
                    exclusive: true,
                },
                "must be < 9.5",
            ),
            (Rule::MultipleOf("5".into()), "must be a multiple of 5"),
            (Rule::MinItems(2), "must have at least 2 items"),
            (Rule::MaxItems(1), "must have at most 1 item"),
            (Rule::UniqueItems, "must not contain duplicate items"),
            (Rule::MinProperties(1), "must have at least 1 property"),
            (Rule::MaxProperties(3), "must have at most 3 properties"),
            (Rule::Enum(&["on", "off"]), "must be one of: on, off"),
            (Rule::Required, "is required"),
            (Rule::Custom("must be even".into()), "must be even"),
        ];
        for (rule, text) in cases {
            assert_eq!(rule.to_string(), text);
        }
    }

    #[test]
    fn violation_values_are_shortened_and_secrets_dropped() {
        let long = "x".repeat(500);
        let v = Violation::new("body.description", Rule::MaxLength(10), Some(long));
        let value = v.value.clone().unwrap();
        assert_eq!(value.chars().count(), 65);
        assert!(value.ends_with('…'));
        let exact = "é".repeat(64);
        let v = Violation::new("body.d", Rule::MaxLength(10), Some(exact.clone()));
        assert_eq!(v.value, Some(exact), "64 characters are kept whole");

        for field in [
            "body.password",
            "body.api_token",
            "body.secret",
            "body.items[0].private_key",
            "header.X-Auth-Key",
            "cookie.session_cookie",
        ] {
            let v = Violation::new(field, Rule::MinLength(40), Some("hunter2-SECRET".into()));
            assert_eq!(v.value, None, "{field}");
            assert!(!v.to_string().contains("SECRET"));
        }
        let v = Violation::new("body.name", Rule::MinLength(40), Some("visible".into()));
        assert_eq!(
            v.to_string(),
            r#"body.name must be at least 40 characters long (got "visible")"#
        );
        assert_eq!(v.redacted().value, None);
        let v = Violation::new("body.keys_count", Rule::Required, None);
        assert_eq!(v.to_string(), "body.keys_count is required");
    }

    #[test]
    fn paths_join_fields_and_indexes() {
        assert_eq!(field_path("", "name"), "name");
        assert_eq!(field_path("body", "name"), "body.name");
        assert_eq!(index_path("body.ids", 3), "body.ids[3]");
    }

    struct Org {
        id: String,
    }

    impl Validate for Org {
        fn validate_into(&self, path: &str, out: &mut Vec<Violation>) {
            check_max_length(out, &field_path(path, "id"), &self.id, 3);
        }
    }

    fn orgs() -> Vec<Org> {
        ["ok", "ok", "too long"]
            .into_iter()
            .map(|id| Org { id: id.into() })
            .collect()
    }

    #[test]
    fn containers_forward_with_their_paths() {
        let v = orgs().violations_at("body.organizations");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "body.organizations[2].id");
        let nested: Option<Nullable<Vec<Org>>> = Some(Nullable::Value(orgs()));
        assert_eq!(
            nested.violations_at("body.orgs")[0].field,
            "body.orgs[2].id"
        );
        let boxed: Box<[Org]> = orgs().into_boxed_slice();
        assert_eq!(boxed.violations_at("b").len(), 1);
        let by_name: BTreeMap<String, Org> = [("x".to_owned(), Org { id: "long".into() })].into();
        assert_eq!(by_name.violations_at("body.m")[0].field, "body.m.x.id");
        let hashed: HashMap<String, Org> = [("y".to_owned(), Org { id: "long".into() })].into();
        assert_eq!(hashed.violations_at("body.m")[0].field, "body.m.y.id");
        assert!(Nullable::<Org>::Null.violations_at("x").is_empty());
        assert!(None::<Org>.violations_at("x").is_empty());
        assert!("any".violations_at("x").is_empty() && 5u8.violations_at("x").is_empty());
        assert!(chrono::Utc::now().violations_at("x").is_empty());
    }
}
