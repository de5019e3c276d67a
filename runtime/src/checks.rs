//! The `check_*` functions generated `Validate` impls call, one per JSON
//! Schema keyword, and [`Pattern`], a lazily compiled `pattern`.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

use super::format::Format;
use super::validate::{Rule, Violation};

/// A regular expression from the specification, compiled on first use.
///
/// ```text
/// static ACCOUNT_ID: Pattern = Pattern::new("^[a-f0-9]{32}$");
/// ```
///
/// A pattern the `regex` crate cannot compile (e.g. with look-around) is
/// skipped: it never reports a violation.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern; nothing is compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the specification.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The compiled expression, or `None` if it does not compile.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| match Regex::new(self.source) {
                Ok(re) => Some(re),
                Err(e) => {
                    tracing::warn!(pattern = self.source, error = %e, "pattern not supported; not validated");
                    None
                }
            })
            .as_ref()
    }

    /// Whether `value` matches (`None` when the pattern is not supported).
    pub fn is_match(&self, value: &str) -> Option<bool> {
        self.regex().map(|re| re.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

fn push(out: &mut Vec<Violation>, field: &str, rule: Rule, value: Option<String>) {
    out.push(Violation::new(field, rule, value));
}

/// `minLength`, counted in Unicode code points.
pub fn check_min_length(out: &mut Vec<Violation>, field: &str, value: &str, min: u64) {
    if (value.chars().count() as u64) < min {
        push(out, field, Rule::MinLength(min), Some(value.to_owned()));
    }
}

/// `maxLength`, counted in Unicode code points.
pub fn check_max_length(out: &mut Vec<Violation>, field: &str, value: &str, max: u64) {
    if value.chars().count() as u64 > max {
        push(out, field, Rule::MaxLength(max), Some(value.to_owned()));
    }
}

/// `pattern` (unanchored search, as in JSON Schema) with a lazily compiled [`Pattern`].
pub fn check_pattern(out: &mut Vec<Violation>, field: &str, value: &str, pattern: &Pattern) {
    if pattern.is_match(value) == Some(false) {
        push(
            out,
            field,
            Rule::Pattern(pattern.source().to_owned()),
            Some(value.to_owned()),
        );
    }
}

/// `pattern` with an already compiled expression (a `&LazyLock<Regex>` works).
pub fn check_regex(out: &mut Vec<Violation>, field: &str, value: &str, regex: &Regex) {
    if !regex.is_match(value) {
        push(
            out,
            field,
            Rule::Pattern(regex.as_str().to_owned()),
            Some(value.to_owned()),
        );
    }
}

/// `format`.
pub fn check_format(out: &mut Vec<Violation>, field: &str, value: &str, format: Format) {
    if !format.is_valid(value) {
        push(out, field, Rule::Format(format), Some(value.to_owned()));
    }
}

/// `enum` for string values kept as strings.
pub fn check_enum(
    out: &mut Vec<Violation>,
    field: &str,
    value: &str,
    allowed: &'static [&'static str],
) {
    if !allowed.contains(&value) {
        push(out, field, Rule::Enum(allowed), Some(value.to_owned()));
    }
}

/// A number that numeric checks accept (all primitive integers and floats).
pub trait NumericValue: Copy + PartialOrd + fmt::Display {
    /// Whether `self` is a whole multiple of `divisor` (floats: within 1e-9 relative).
    fn divisible_by(self, divisor: Self) -> bool;
}

macro_rules! numeric_int {
    ($($t:ty),*) => {
        $(impl NumericValue for $t {
            fn divisible_by(self, divisor: Self) -> bool {
                divisor != 0 && self.checked_rem(divisor) == Some(0)
            }
        })*
    };
}

numeric_int!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! numeric_float {
    ($($t:ty),*) => {
        $(impl NumericValue for $t {
            fn divisible_by(self, divisor: Self) -> bool {
                if divisor == 0.0 || !self.is_finite() || !divisor.is_finite() {
                    return false;
                }
                let quotient = f64::from(self) / f64::from(divisor);
                (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
            }
        })*
    };
}

numeric_float!(f32, f64);

/// `minimum` (inclusive).
pub fn check_minimum<N: NumericValue>(out: &mut Vec<Violation>, field: &str, value: N, min: N) {
    if value < min {
        push(
            out,
            field,
            Rule::Minimum {
                limit: min.to_string(),
                exclusive: false,
            },
            Some(value.to_string()),
        );
    }
}

/// `exclusiveMinimum`.
pub fn check_exclusive_minimum<N: NumericValue>(
    out: &mut Vec<Violation>,
    field: &str,
    value: N,
    min: N,
) {
    if value <= min {
        push(
            out,
            field,
            Rule::Minimum {
                limit: min.to_string(),
                exclusive: true,
            },
            Some(value.to_string()),
        );
    }
}

/// `maximum` (inclusive).
pub fn check_maximum<N: NumericValue>(out: &mut Vec<Violation>, field: &str, value: N, max: N) {
    if value > max {
        push(
            out,
            field,
            Rule::Maximum {
                limit: max.to_string(),
                exclusive: false,
            },
            Some(value.to_string()),
        );
    }
}

/// `exclusiveMaximum`.
pub fn check_exclusive_maximum<N: NumericValue>(
    out: &mut Vec<Violation>,
    field: &str,
    value: N,
    max: N,
) {
    if value >= max {
        push(
            out,
            field,
            Rule::Maximum {
                limit: max.to_string(),
                exclusive: true,
            },
            Some(value.to_string()),
        );
    }
}

/// `multipleOf`.
pub fn check_multiple_of<N: NumericValue>(
    out: &mut Vec<Violation>,
    field: &str,
    value: N,
    divisor: N,
) {
    if !value.divisible_by(divisor) {
        push(
            out,
            field,
            Rule::MultipleOf(divisor.to_string()),
            Some(value.to_string()),
        );
    }
}

/// `minItems`.
pub fn check_min_items(out: &mut Vec<Violation>, field: &str, len: usize, min: u64) {
    if (len as u64) < min {
        push(
            out,
            field,
            Rule::MinItems(min),
            Some(format!("{len} items")),
        );
    }
}

/// `maxItems`.
pub fn check_max_items(out: &mut Vec<Violation>, field: &str, len: usize, max: u64) {
    if len as u64 > max {
        push(
            out,
            field,
            Rule::MaxItems(max),
            Some(format!("{len} items")),
        );
    }
}

/// `uniqueItems`; reports the first duplicate's index.
pub fn check_unique_items<T: PartialEq>(out: &mut Vec<Violation>, field: &str, items: &[T]) {
    let duplicate = (1..items.len()).find(|&i| items[..i].contains(&items[i]));
    if let Some(i) = duplicate {
        push(
            out,
            field,
            Rule::UniqueItems,
            Some(format!("item {i} repeats an earlier item")),
        );
    }
}

/// `minProperties`.
pub fn check_min_properties(out: &mut Vec<Violation>, field: &str, count: usize, min: u64) {
    if (count as u64) < min {
        push(
            out,
            field,
            Rule::MinProperties(min),
            Some(format!("{count} properties")),
        );
    }
}

/// `maxProperties`.
pub fn check_max_properties(out: &mut Vec<Violation>, field: &str, count: usize, max: u64) {
    if count as u64 > max {
        push(
            out,
            field,
            Rule::MaxProperties(max),
            Some(format!("{count} properties")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    #[test]
    fn lengths_count_code_points() {
        let mut v = Vec::new();
        check_max_length(&mut v, "body.name", "ééé", 3);
        check_min_length(&mut v, "body.name", "ééé", 3);
        check_max_length(&mut v, "body.name", "😀😀", 2);
        assert!(v.is_empty(), "{v:?}");
        check_max_length(&mut v, "body.name", "abcd", 3);
        check_min_length(&mut v, "body.name", "", 1);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].rule, Rule::MaxLength(3));
        assert_eq!(v[0].value.as_deref(), Some("abcd"));
        assert_eq!(v[1].rule, Rule::MinLength(1));
        assert_eq!(
            v[0].to_string(),
            r#"body.name must be at most 3 characters long (got "abcd")"#
        );
    }

    static ACCOUNT_ID: Pattern = Pattern::new("^[a-f0-9]{32}$");
    static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a$");
    static NAME_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new("^[a-z]+$").unwrap());

    #[test]
    fn patterns() {
        let mut v = Vec::new();
        check_pattern(
            &mut v,
            "path.account_id",
            "023e105f4ecef8ad9ca31a8372d0c353",
            &ACCOUNT_ID,
        );
        check_regex(&mut v, "body.name", "abc", &NAME_RE);
        assert!(v.is_empty());
        check_pattern(&mut v, "path.account_id", "not-an-id", &ACCOUNT_ID);
        check_regex(&mut v, "body.name", "ABC", &NAME_RE);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].rule, Rule::Pattern("^[a-f0-9]{32}$".to_owned()));
        assert_eq!(v[1].rule, Rule::Pattern("^[a-z]+$".to_owned()));
        // Unanchored patterns search, as in JSON Schema.
        let mut v = Vec::new();
        check_pattern(&mut v, "x", "xxabcxx", &Pattern::new("abc"));
        assert!(v.is_empty());
        // Patterns the regex crate cannot compile are skipped, not fatal.
        check_pattern(&mut v, "x", "b", &LOOKAHEAD);
        assert!(v.is_empty());
        assert_eq!(LOOKAHEAD.is_match("b"), None);
        assert!(LOOKAHEAD.regex().is_none());
        assert_eq!(ACCOUNT_ID.source(), "^[a-f0-9]{32}$");
        assert_eq!(format!("{ACCOUNT_ID:?}"), "Pattern(\"^[a-f0-9]{32}$\")");
    }

    #[test]
    fn formats_report_their_rule() {
        let mut v = Vec::new();
        check_format(
            &mut v,
            "body.id",
            "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
            Format::Uuid,
        );
        assert!(v.is_empty());
        check_format(&mut v, "body.email", "nope", Format::Email);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, Rule::Format(Format::Email));
        assert_eq!(
            v[0].to_string(),
            r#"body.email must be a valid email (got "nope")"#
        );
    }

    #[test]
    fn numeric_bounds() {
        let mut v = Vec::new();
        check_minimum(&mut v, "q.per_page", 5, 5);
        check_maximum(&mut v, "q.per_page", 50, 50);
        check_exclusive_minimum(&mut v, "x", 0.1, 0.0);
        check_exclusive_maximum(&mut v, "x", 9.99, 10.0);
        assert!(v.is_empty(), "{v:?}");
        check_minimum(&mut v, "q.per_page", 4, 5);
        check_maximum(&mut v, "q.per_page", 51u64, 50);
        check_exclusive_minimum(&mut v, "x", 0.0, 0.0);
        check_exclusive_maximum(&mut v, "x", 10.0, 10.0);
        let rules: Vec<Rule> = v.iter().map(|x| x.rule.clone()).collect();
        assert_eq!(
            rules,
            [
                Rule::Minimum {
                    limit: "5".into(),
                    exclusive: false
                },
                Rule::Maximum {
                    limit: "50".into(),
                    exclusive: false
                },
                Rule::Minimum {
                    limit: "0".into(),
                    exclusive: true
                },
                Rule::Maximum {
                    limit: "10".into(),
                    exclusive: true
                },
            ]
        );
        assert_eq!(v[0].to_string(), r#"q.per_page must be >= 5 (got "4")"#);
        assert_eq!(v[2].to_string(), r#"x must be > 0 (got "0")"#);
    }

    #[test]
    fn multiple_of() {
        let mut v = Vec::new();
        check_multiple_of(&mut v, "a", 10, 5);
        check_multiple_of(&mut v, "a", -10i64, 5);
        check_multiple_of(&mut v, "b", 0.3, 0.1);
        check_multiple_of(&mut v, "b", 1.5, 0.5);
        check_multiple_of(&mut v, "b", 1e12f32, 0.5);
        assert!(v.is_empty(), "{v:?}");
        check_multiple_of(&mut v, "a", 11, 5);
        check_multiple_of(&mut v, "b", 0.35, 0.1);
        check_multiple_of(&mut v, "c", 3u32, 0);
        check_multiple_of(&mut v, "e", f64::NAN, 1.0);
        check_multiple_of(&mut v, "f", 1.0, f64::INFINITY);
        let fields: Vec<&str> = v.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c", "e", "f"]);
        assert_eq!(v[0].rule, Rule::MultipleOf("5".into()));
    }

    #[test]
    fn items_properties_and_enums() {
        let mut v = Vec::new();
        check_min_items(&mut v, "body.ids", 1, 1);
        check_max_items(&mut v, "body.ids", 3, 3);
        check_unique_items(&mut v, "body.ids", &["a", "b", "c"]);
        check_unique_items::<u8>(&mut v, "body.ids", &[]);
        check_min_properties(&mut v, "body.m", 1, 1);
        check_max_properties(&mut v, "body.m", 2, 2);
        check_enum(&mut v, "body.mode", "on", &["on", "off"]);
        assert!(v.is_empty(), "{v:?}");
        check_min_items(&mut v, "body.ids", 0, 1);
        check_max_items(&mut v, "body.ids", 4, 3);
        check_unique_items(&mut v, "body.ids", &[1.5, 2.0, 1.5]);
        check_min_properties(&mut v, "body.m", 0, 1);
        check_max_properties(&mut v, "body.m", 3, 2);
        check_enum(&mut v, "body.mode", "auto", &["on", "off"]);
        let rules: Vec<Rule> = v.iter().map(|x| x.rule.clone()).collect();
        assert_eq!(
            rules,
            vec![
                Rule::MinItems(1),
                Rule::MaxItems(3),
                Rule::UniqueItems,
                Rule::MinProperties(1),
                Rule::MaxProperties(2),
                Rule::Enum(&["on", "off"]),
            ]
        );
        let values: Vec<&str> = v.iter().map(|x| x.value.as_deref().unwrap()).collect();
        assert_eq!(
            values,
            [
                "0 items",
                "4 items",
                "item 2 repeats an earlier item",
                "0 properties",
                "3 properties",
                "auto"
            ]
        );
        assert_eq!(
            v[5].to_string(),
            r#"body.mode must be one of: on, off (got "auto")"#
        );
    }
}
