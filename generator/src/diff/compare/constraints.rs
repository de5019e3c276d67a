//! Constraints of two shapes with the same Rust type: lengths, patterns,
//! validated formats, ranges, items, allowed values.
//!
//! The shapes are walked in parallel down to the named definitions (which are
//! pairs of their own); aliases of plain shapes are followed.

use std::collections::BTreeSet;

use super::Out;
use crate::diff::change::Sides;
use crate::diff::policy::Rule;
use crate::diff::surface::{self, Resolved};
use crate::ir::{ArrayShape, NumberShape, Shape, StringShape};

/// Records every constraint that differs between `a` (old) and `b` (new).
pub(super) fn compare(out: &mut Out, a: &Shape, b: &Shape, at: &str, sides: Sides) {
    compare_depth(out, a, b, at, sides, 0)
}

fn compare_depth(out: &mut Out, a: &Shape, b: &Shape, at: &str, sides: Sides, depth: usize) {
    if depth > 16 {
        return;
    }
    let rec = |out: &mut Out, a: &Shape, b: &Shape, at: &str| {
        compare_depth(out, a, b, at, sides, depth + 1)
    };
    let alias = |api, id| match surface::resolve(api, id) {
        Resolved::Shape(s) => Some(s),
        Resolved::Def(_) => None,
    };
    match (a, b) {
        (Shape::Named(x), _) => {
            if let Some(s) = alias(out.old(), *x) {
                rec(out, &s, b, at)
            }
        }
        (_, Shape::Named(y)) => {
            if let Some(s) = alias(out.new_api(), *y) {
                rec(out, a, &s, at)
            }
        }
        (Shape::String(x), Shape::String(y)) => strings(&mut Sink { out, at, sides }, x, y),
        (Shape::Integer(x), Shape::Integer(y)) | (Shape::Number(x), Shape::Number(y)) => {
            numbers(&mut Sink { out, at, sides }, x, y)
        }
        (Shape::Array(x), Shape::Array(y)) => {
            arrays(&mut Sink { out, at, sides }, x, y);
            rec(out, &x.items, &y.items, &format!("{at}[]"));
        }
        (Shape::Map(x), Shape::Map(y)) => rec(out, x, y, &format!("{at}{{}}")),
        (Shape::Nullable(x), Shape::Nullable(y)) => rec(out, x, y, at),
        _ => {}
    }
}

/// Where constraint changes of one value go.
struct Sink<'o, 'a, 's> {
    out: &'o mut Out<'a>,
    at: &'s str,
    sides: Sides,
}

impl Sink<'_, '_, '_> {
    /// A constraint change: the rule depends on its direction and on which way the value travels.
    fn push(&mut self, tightened: bool, what: impl Into<String>, old: String, new: String) {
        let rule = match (self.sides.request, tightened) {
            (true, true) => Rule::RequestConstraintTightened,
            (true, false) => Rule::RequestConstraintLoosened,
            (false, _) => Rule::ResponseConstraintChanged,
        };
        self.out.push(rule, self.at, what, Some(old), Some(new));
    }

    /// An upper bound (`maxLength`, `maxItems`, `maximum`): lower is tighter.
    fn upper<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        name: &str,
        old: Option<T>,
        new: Option<T>,
    ) {
        self.bound(name, old, new, true)
    }

    /// A lower bound (`minLength`, `minItems`, `minimum`): higher is tighter.
    fn lower<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        name: &str,
        old: Option<T>,
        new: Option<T>,
    ) {
        self.bound(name, old, new, false)
    }

    fn bound<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        name: &str,
        old: Option<T>,
        new: Option<T>,
        upper: bool,
    ) {
        let none = || "none".to_string();
        match (old, new) {
            (None, Some(n)) => self.push(true, format!("{name} added"), none(), n.to_string()),
            (Some(o), None) => self.push(false, format!("{name} removed"), o.to_string(), none()),
            (Some(o), Some(n)) if n < o => {
                let what = format!("{name} lowered");
                self.push(upper, what, o.to_string(), n.to_string())
            }
            (Some(o), Some(n)) if n > o => {
                let what = format!("{name} raised");
                self.push(!upper, what, o.to_string(), n.to_string())
            }
            _ => {}
        }
    }
}

fn strings(sink: &mut Sink, x: &StringShape, y: &StringShape) {
    sink.upper("maxLength", x.max_length, y.max_length);
    sink.lower("minLength", x.min_length, y.min_length);
    let none = || "none".to_string();
    match (&x.pattern, &y.pattern) {
        (None, Some(p)) => sink.push(true, "pattern added", none(), p.clone()),
        (Some(p), None) => sink.push(false, "pattern removed", p.clone(), none()),
        (Some(p), Some(q)) if p != q => sink.push(true, "pattern changed", p.clone(), q.clone()),
        _ => {}
    }
    let shown = |s: &StringShape| surface::format_name(s).map_or_else(none, str::to_string);
    match (surface::validated_format(x), surface::validated_format(y)) {
        (None, Some(f)) => sink.push(true, "format check added", shown(x), f.to_string()),
        (Some(f), None) => sink.push(false, "format check removed", f.to_string(), shown(y)),
        (Some(f), Some(g)) if f != g => {
            sink.push(true, "format changed", f.to_string(), g.to_string())
        }
        _ => {}
    }
    let (old_set, new_set): (BTreeSet<&String>, BTreeSet<&String>) =
        (x.allowed.iter().collect(), y.allowed.iter().collect());
    if old_set != new_set {
        let list = |s: &BTreeSet<&String>| {
            if s.is_empty() {
                "any".to_string()
            } else {
                s.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        };
        let tightened = !new_set.is_empty() && (old_set.is_empty() || !old_set.is_subset(&new_set));
        let what = if tightened {
            "allowed values narrowed"
        } else {
            "allowed values widened"
        };
        sink.push(tightened, what, list(&old_set), list(&new_set));
    }
}

fn numbers(sink: &mut Sink, x: &NumberShape, y: &NumberShape) {
    let bound = |v: Option<f64>, exclusive: bool, upper: bool| {
        v.map(|value| Bound {
            value,
            exclusive,
            upper,
        })
    };
    sink.lower(
        "minimum",
        bound(x.minimum, x.exclusive_minimum, false),
        bound(y.minimum, y.exclusive_minimum, false),
    );
    sink.upper(
        "maximum",
        bound(x.maximum, x.exclusive_maximum, true),
        bound(y.maximum, y.exclusive_maximum, true),
    );
    match (x.multiple_of, y.multiple_of) {
        (None, Some(n)) => sink.push(true, "multipleOf added", "none".into(), n.to_string()),
        (Some(o), None) => sink.push(false, "multipleOf removed", o.to_string(), "none".into()),
        (Some(o), Some(n)) if o != n => {
            // Looser only when every multiple of the old step is a multiple of the new one.
            let loosened = (o / n).fract() == 0.0;
            sink.push(
                !loosened,
                "multipleOf changed",
                o.to_string(),
                n.to_string(),
            )
        }
        _ => {}
    }
    let (old_set, new_set): (Vec<f64>, Vec<f64>) = (x.allowed.clone(), y.allowed.clone());
    if old_set != new_set {
        let list = |s: &[f64]| {
            if s.is_empty() {
                "any".to_string()
            } else {
                s.iter().map(f64::to_string).collect::<Vec<_>>().join(", ")
            }
        };
        let subset = old_set.iter().all(|v| new_set.contains(v));
        let tightened = !new_set.is_empty() && (old_set.is_empty() || !subset);
        let what = if tightened {
            "allowed values narrowed"
        } else {
            "allowed values widened"
        };
        sink.push(tightened, what, list(&old_set), list(&new_set));
    }
}

fn arrays(sink: &mut Sink, x: &ArrayShape, y: &ArrayShape) {
    sink.lower("minItems", x.min_items, y.min_items);
    sink.upper("maxItems", x.max_items, y.max_items);
    match (x.unique_items, y.unique_items) {
        (false, true) => sink.push(true, "uniqueItems added", "false".into(), "true".into()),
        (true, false) => sink.push(false, "uniqueItems removed", "true".into(), "false".into()),
        _ => {}
    }
}

/// A numeric bound; an exclusive bound is tighter than an inclusive one at the same value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
    /// A `maximum` (else a `minimum`).
    upper: bool,
}

impl PartialOrd for Bound {
    /// Ordered by the edge of the values let through: `> 5` is above `>= 5`,
    /// `< 5` is below `<= 5`.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match self.value.partial_cmp(&other.value)? {
            std::cmp::Ordering::Equal if self.upper => Some(other.exclusive.cmp(&self.exclusive)),
            std::cmp::Ordering::Equal => Some(self.exclusive.cmp(&other.exclusive)),
            o => Some(o),
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.exclusive {
            write!(f, "{} (exclusive)", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::policy::Level;
    use crate::diff::testing::{diff, edit, find, rules, BASE};

    #[test]
    fn exclusive_bounds_order() {
        let b = |value, exclusive, upper| Bound {
            value,
            exclusive,
            upper,
        };
        // `< 5` lets fewer values through than `<= 5`.
        assert!(b(5.0, true, true) < b(5.0, false, true));
        // `> 5` lets fewer values through than `>= 5`.
        assert!(b(5.0, true, false) > b(5.0, false, false));
        assert!(b(4.0, false, true) < b(5.0, true, true));
    }

    #[test]
    fn request_constraints_tightened_are_behavioural_loosened_are_not() {
        let tightened = edit(&[
            ("maxLength: 60", "maxLength: 30"),
            ("            minimum: 1\n", "            minimum: 5\n"),
            (
                "                tag:\n                  type: string\n",
                "                tag:\n                  type: string\n                  pattern: '^[a-z]+$'\n",
            ),
        ]);
        let changes = diff(BASE, &tightened);
        let c = find(
            &changes,
            Rule::RequestConstraintTightened,
            "pets.create",
            "params.body.name",
        );
        assert_eq!(c.level, Level::Behavioural);
        assert_eq!(
            (c.what.as_str(), c.old.as_deref(), c.new.as_deref()),
            ("maxLength lowered", Some("60"), Some("30"))
        );
        assert_eq!(
            find(
                &changes,
                Rule::RequestConstraintTightened,
                "pets.list",
                "params.query.limit"
            )
            .what,
            "minimum raised"
        );
        assert_eq!(
            find(
                &changes,
                Rule::RequestConstraintTightened,
                "pets.create",
                "params.body.tag"
            )
            .what,
            "pattern added"
        );

        let loosened = edit(&[
            ("maxLength: 60", "maxLength: 100"),
            ("            maximum: 100\n", ""),
        ]);
        let changes = diff(BASE, &loosened);
        assert_eq!(
            rules(&changes),
            ["request-constraint-loosened", "request-constraint-loosened"]
        );
        assert!(changes.iter().all(|c| c.level == Level::NonBreaking));
    }

    #[test]
    fn response_constraints_are_reported_but_never_behavioural() {
        let new = edit(&[(
            "        email:\n          type: string\n",
            "        email:\n          type: string\n          format: email\n          maxLength: 5\n",
        )]);
        let changes = diff(BASE, &new);
        assert_eq!(
            rules(&changes),
            ["response-constraint-changed", "response-constraint-changed"]
        );
        assert!(changes.iter().all(|c| c.location == "result.owner.email"
            && c.in_type.as_deref() == Some("types::Owner")
            && c.level == Level::NonBreaking));
    }
}
