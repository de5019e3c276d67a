//! Pairing the old API's parts with the new API's: operations, struct fields,
//! union variants and enum values. Pure functions of names (and, for union
//! variants, of a type-equality predicate), so each is tested on its own.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::ir::{EnumVariant, Field, Location, UnionVariant};

/// An old operation paired with a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpPair {
    /// Index into the old operations.
    pub old: usize,
    /// Index into the new operations.
    pub new: usize,
    /// Matched by route because the SDK name differs.
    pub renamed: bool,
}

/// How the operations of two APIs correspond.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OpMatching {
    /// Pairs, sorted by new SDK name.
    pub pairs: Vec<OpPair>,
    /// Old operations with no counterpart, sorted by name.
    pub removed: Vec<usize>,
    /// New operations with no counterpart, sorted by name.
    pub added: Vec<usize>,
}

/// Pairs operations by SDK name, then the rest by route (`(METHOD, path with
/// parameter names erased)`), first come first served in name order.
pub fn operations(
    old_names: &[String],
    old_routes: &[(String, String)],
    new_names: &[String],
    new_routes: &[(String, String)],
) -> OpMatching {
    let new_by_name: HashMap<&str, usize> = new_names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut pairs = Vec::new();
    let mut new_taken = vec![false; new_names.len()];
    let mut old_left = Vec::new();
    for (i, name) in old_names.iter().enumerate() {
        match new_by_name.get(name.as_str()) {
            Some(&j) if !new_taken[j] => {
                pairs.push(OpPair {
                    old: i,
                    new: j,
                    renamed: false,
                });
                new_taken[j] = true;
            }
            _ => old_left.push(i),
        }
    }
    let mut new_left: Vec<usize> = (0..new_names.len()).filter(|&j| !new_taken[j]).collect();
    new_left.sort_by(|a, b| new_names[*a].cmp(&new_names[*b]));
    let mut new_by_route: BTreeMap<&(String, String), VecDeque<usize>> = BTreeMap::new();
    for &j in &new_left {
        new_by_route.entry(&new_routes[j]).or_default().push_back(j);
    }
    old_left.sort_by(|a, b| old_names[*a].cmp(&old_names[*b]));
    let mut removed = Vec::new();
    for i in old_left {
        match new_by_route
            .get_mut(&old_routes[i])
            .and_then(|q| q.pop_front())
        {
            Some(j) => {
                pairs.push(OpPair {
                    old: i,
                    new: j,
                    renamed: true,
                });
                new_taken[j] = true;
            }
            None => removed.push(i),
        }
    }
    let added = new_left.into_iter().filter(|&j| !new_taken[j]).collect();
    pairs.sort_by(|a, b| new_names[a.new].cmp(&new_names[b.new]));
    OpMatching {
        pairs,
        removed,
        added,
    }
}

/// How the fields of two structs correspond.
#[derive(Debug, Default)]
pub struct FieldMatching<'a> {
    /// Path parameters renamed in the route template, at the same place (old, new).
    pub renamed: Vec<(&'a Field, &'a Field)>,
    /// Fields with the same Rust name on both sides, by name.
    pub paired: Vec<(&'a Field, &'a Field)>,
    /// Old fields with no counterpart, by name.
    pub removed: Vec<&'a Field>,
    /// New fields with no counterpart, by name.
    pub added: Vec<&'a Field>,
}

/// Pairs struct fields by Rust name. In a parameters struct, a path parameter
/// renamed in the template (`{identifier}` → `{zone_id}`) keeps its place in the
/// route: such fields are paired by position rather than reported removed + added.
pub fn fields<'a>(old: &'a [Field], new: &'a [Field], is_params: bool) -> FieldMatching<'a> {
    let key = |f: &'a Field| f.ident.bare();
    let olds: BTreeMap<&str, &Field> = old.iter().map(|f| (key(f), f)).collect();
    let news: BTreeMap<&str, &Field> = new.iter().map(|f| (key(f), f)).collect();
    let mut m = FieldMatching::default();
    let mut renamed_names: BTreeSet<&str> = BTreeSet::new();
    if is_params {
        let path = |fields: &'a [Field]| -> Vec<&'a Field> {
            fields
                .iter()
                .filter(|f| f.location == Location::Path)
                .collect()
        };
        for (f, g) in path(old).into_iter().zip(path(new)) {
            if !news.contains_key(key(f)) && !olds.contains_key(key(g)) {
                m.renamed.push((f, g));
                renamed_names.insert(key(f));
                renamed_names.insert(key(g));
            }
        }
    }
    let names: BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
    for name in names.into_iter().filter(|n| !renamed_names.contains(n)) {
        match (olds.get(name), news.get(name)) {
            (Some(f), Some(g)) => m.paired.push((f, g)),
            (Some(f), None) => m.removed.push(f),
            (None, Some(g)) => m.added.push(g),
            (None, None) => {}
        }
    }
    m
}

/// How the variants of two unions correspond.
#[derive(Debug, Default)]
pub struct VariantMatching<'a> {
    /// (old, new, renamed), by old order.
    pub paired: Vec<(&'a UnionVariant, &'a UnionVariant, bool)>,
    /// Old variants with no counterpart.
    pub removed: Vec<&'a UnionVariant>,
    /// New variants with no counterpart.
    pub added: Vec<&'a UnionVariant>,
}

/// Pairs union variants by Rust name. Variants are named after their types, so a
/// renamed component renames its variant: leftovers are paired in order when
/// `same_type` says their Rust types agree.
pub fn variants<'a>(
    old: &'a [UnionVariant],
    new: &'a [UnionVariant],
    mut same_type: impl FnMut(&UnionVariant, &UnionVariant) -> bool,
) -> VariantMatching<'a> {
    let old_idents: BTreeSet<&str> = old.iter().map(|x| x.ident.as_str()).collect();
    let new_idents: BTreeSet<&str> = new.iter().map(|x| x.ident.as_str()).collect();
    let mut m = VariantMatching::default();
    for x in old {
        if let Some(y) = new.iter().find(|y| y.ident == x.ident) {
            m.paired.push((x, y, false));
        }
    }
    let mut new_left: Vec<&UnionVariant> = new
        .iter()
        .filter(|y| !old_idents.contains(y.ident.as_str()))
        .collect();
    for x in old
        .iter()
        .filter(|x| !new_idents.contains(x.ident.as_str()))
    {
        match new_left.iter().position(|y| same_type(x, y)) {
            Some(k) => m.paired.push((x, new_left.remove(k), true)),
            None => m.removed.push(x),
        }
    }
    m.added = new_left;
    m
}

/// How the values of two string enums correspond, by wire value.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ValueMatching<'a> {
    /// (value, old variant) no longer allowed.
    pub removed: Vec<(&'a str, &'a str)>,
    /// (value, old variant, new variant) named differently in Rust.
    pub renamed: Vec<(&'a str, &'a str, &'a str)>,
    /// (value, new variant) newly allowed.
    pub added: Vec<(&'a str, &'a str)>,
}

/// Pairs enum values by their wire value; sorted by value.
pub fn enum_values<'a>(old: &'a [EnumVariant], new: &'a [EnumVariant]) -> ValueMatching<'a> {
    let olds: BTreeMap<&str, &str> = old
        .iter()
        .map(|v| (v.value.as_str(), v.ident.as_str()))
        .collect();
    let news: BTreeMap<&str, &str> = new
        .iter()
        .map(|v| (v.value.as_str(), v.ident.as_str()))
        .collect();
    let mut m = ValueMatching::default();
    for (value, ident) in &olds {
        match news.get(value) {
            None => m.removed.push((value, ident)),
            Some(new_ident) if new_ident != ident => m.renamed.push((value, ident, new_ident)),
            Some(_) => {}
        }
    }
    for (value, ident) in &news {
        if !olds.contains_key(value) {
            m.added.push((value, ident));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{RustIdent, Shape};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn routes(list: &[&str]) -> Vec<(String, String)> {
        list.iter()
            .map(|r| {
                let (m, p) = r.split_once(' ').unwrap();
                (m.to_string(), p.to_string())
            })
            .collect()
    }

    #[test]
    fn operations_by_name_then_route() {
        let m = operations(
            &names(&["a.get", "a.list", "b.gone", "old.name"]),
            &routes(&["GET /a/{}", "GET /a", "GET /b", "PUT /x"]),
            &names(&["a.list", "a.get", "new.name", "c.new"]),
            &routes(&["GET /a", "GET /a/{}", "PUT /x", "GET /c"]),
        );
        assert_eq!(
            m.pairs,
            vec![
                OpPair {
                    old: 0,
                    new: 1,
                    renamed: false
                },
                OpPair {
                    old: 1,
                    new: 0,
                    renamed: false
                },
                OpPair {
                    old: 3,
                    new: 2,
                    renamed: true
                },
            ]
        );
        assert_eq!(m.removed, vec![2]);
        assert_eq!(m.added, vec![3]);
    }

    #[test]
    fn operations_same_route_twice_pair_in_name_order() {
        let m = operations(
            &names(&["z.one", "z.two"]),
            &routes(&["GET /r", "GET /r"]),
            &names(&["y.two", "y.one"]),
            &routes(&["GET /r", "GET /r"]),
        );
        // Old `z.one` takes the first new one by name (`y.one`).
        assert_eq!(m.pairs.len(), 2);
        assert!(m.pairs.contains(&OpPair {
            old: 0,
            new: 1,
            renamed: true
        }));
        assert!(m.removed.is_empty() && m.added.is_empty());
    }

    fn field(name: &str, location: Location) -> Field {
        Field {
            name: name.into(),
            ident: RustIdent(name.into()),
            shape: Shape::Boolean,
            required: false,
            location,
            boxed: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            docs: None,
            example: None,
            flatten: false,
            sources: Vec::new(),
            default: None,
        }
    }

    #[test]
    fn fields_pair_by_name_and_renamed_path_parameters_by_place() {
        let old = [
            field("zone_identifier", Location::Path),
            field("id", Location::Path),
            field("a", Location::Query),
            field("b", Location::Body),
        ];
        let new = [
            field("zone_id", Location::Path),
            field("id", Location::Path),
            field("a", Location::Header),
            field("c", Location::Body),
        ];
        let m = fields(&old, &new, true);
        let pair = |v: &[(&Field, &Field)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(f, g)| (f.name.clone(), g.name.clone()))
                .collect()
        };
        assert_eq!(
            pair(&m.renamed),
            [("zone_identifier".into(), "zone_id".into())]
        );
        assert_eq!(
            pair(&m.paired),
            [("a".into(), "a".into()), ("id".into(), "id".into())]
        );
        assert_eq!(m.removed[0].name, "b");
        assert_eq!(m.added[0].name, "c");
        // Outside a parameters struct there is no route: removed + added.
        let m = fields(&old, &new, false);
        assert!(m.renamed.is_empty());
        assert_eq!(m.removed.len(), 2);
    }

    fn variant(ident: &str, shape: Shape) -> UnionVariant {
        UnionVariant {
            ident: ident.into(),
            shape,
            boxed: false,
            tags: Vec::new(),
            docs: None,
        }
    }

    #[test]
    fn variants_pair_by_name_then_by_type() {
        let old = [
            variant("Text", Shape::Boolean),
            variant("OldObj", Shape::Any),
            variant("Gone", Shape::Null),
        ];
        let new = [
            variant("Text", Shape::Boolean),
            variant("NewObj", Shape::Any),
            variant("Fresh", Shape::Bytes),
        ];
        let m = variants(&old, &new, |x, y| x.shape == y.shape);
        let got: Vec<(&str, &str, bool)> = m
            .paired
            .iter()
            .map(|(x, y, r)| (x.ident.as_str(), y.ident.as_str(), *r))
            .collect();
        assert_eq!(got, [("Text", "Text", false), ("OldObj", "NewObj", true)]);
        assert_eq!(m.removed[0].ident, "Gone");
        assert_eq!(m.added[0].ident, "Fresh");
    }

    #[test]
    fn enum_values_by_wire_value() {
        let v = |value: &str, ident: &str| EnumVariant {
            value: value.into(),
            ident: ident.into(),
        };
        let old = [v("a", "A"), v("b", "B"), v("c", "C")];
        let new = [v("a", "A"), v("b", "Bee"), v("d", "D")];
        let m = enum_values(&old, &new);
        assert_eq!(m.removed, [("c", "C")]);
        assert_eq!(m.renamed, [("b", "B", "Bee")]);
        assert_eq!(m.added, [("d", "D")]);
    }
}
