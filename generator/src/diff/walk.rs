//! Finding what to compare: which old named type corresponds to which new one.
//!
//! Starting from each matched operation (its positional argument, its
//! parameters struct, its result), both type graphs are walked in parallel:
//! fields by Rust name, union variants by name (or by type), array items and map
//! values by position. Two named types met at the same place whose Rust types
//! agree form a [`Pair`]. Each pair is expanded once, where it is first met (in
//! operation-name order, breadth first), then every operation's reach is
//! propagated to learn which way each pair travels (request, response) and
//! which operations reach it. Nothing is compared here: [`super::compare`] then
//! visits each pair once.

use std::collections::HashMap;

use super::change::Sides;
use super::matching;
use super::surface::{self, Resolved};
use crate::ir::{Api, Field, Location, Operation, Shape, TypeId, TypeKind};

/// A pair of named definitions (old, new) of the same kind, met at the same place.
pub type Pair = (TypeId, TypeId);

/// A named type met on both sides at the same place.
#[derive(Debug, Clone)]
pub struct Met {
    /// The ids as written at that place (an alias is not followed), for renames.
    pub written: Pair,
    /// The struct, enum or union pair they stand for; `None` for aliases of other shapes.
    pub def: Option<Pair>,
    /// Where (`params.body.user`).
    pub at: String,
}

/// Decides whether two shapes have the same Rust type, pairing the named types in them.
#[derive(Clone, Copy)]
pub struct Correspond<'a> {
    /// The old API.
    pub old: &'a Api,
    /// The new API.
    pub new: &'a Api,
}

impl<'a> Correspond<'a> {
    /// Whether `a` (old) and `b` (new) have the same Rust type, once named types met
    /// at the same place are taken as the same; the named types met go to `met`
    /// (nothing is added when the answer is no).
    pub fn shapes(&self, a: &Shape, b: &Shape, at: &str, met: &mut Vec<Met>) -> bool {
        let mark = met.len();
        let same = self.shapes_inner(a, b, at, met);
        if !same {
            met.truncate(mark);
        }
        same
    }

    fn shapes_inner(&self, a: &Shape, b: &Shape, at: &str, met: &mut Vec<Met>) -> bool {
        use Shape::*;
        match (a, b) {
            (Named(x), Named(y)) => self.named(*x, *y, at, met),
            (Named(x), _) => match surface::resolve(self.old, *x) {
                Resolved::Shape(s) => self.shapes(&s, b, at, met),
                Resolved::Def(_) => false,
            },
            (_, Named(y)) => match surface::resolve(self.new, *y) {
                Resolved::Shape(s) => self.shapes(a, &s, at, met),
                Resolved::Def(_) => false,
            },
            (String(x), String(y)) => surface::is_plain_string(x) == surface::is_plain_string(y),
            (String(x), Bytes) | (Bytes, String(x)) => surface::is_plain_string(x),
            (Integer(x), Integer(y)) => surface::int_type(x) == surface::int_type(y),
            (Number(_), Number(_)) => true,
            (Array(x), Array(y)) => self.shapes(&x.items, &y.items, &format!("{at}[]"), met),
            (Map(x), Map(y)) => self.map_values(x, y, at, met),
            (Nullable(x), Nullable(y)) => self.shapes(x, y, at, met),
            (Boolean, Boolean) | (Any, Any) | (Bytes, Bytes) | (Null, Null) => true,
            _ => false,
        }
    }

    /// Map values: `serde_json::Map` (any values) only matches itself.
    pub fn map_values(&self, x: &Shape, y: &Shape, at: &str, met: &mut Vec<Met>) -> bool {
        match (x, y) {
            (Shape::Any, Shape::Any) => true,
            (Shape::Any, _) | (_, Shape::Any) => false,
            _ => self.shapes(x, y, &format!("{at}{{}}"), met),
        }
    }

    /// Two named types: definitions of the same kind pair up; aliases compare what they name.
    pub fn named(&self, a: TypeId, b: TypeId, at: &str, met: &mut Vec<Met>) -> bool {
        let mark = met.len();
        let (def, same) = match (surface::resolve(self.old, a), surface::resolve(self.new, b)) {
            (Resolved::Def(x), Resolved::Def(y)) => {
                let same = surface::same_kind(self.old, x, self.new, y);
                (Some((x, y)), same)
            }
            (Resolved::Shape(x), Resolved::Shape(y)) => (None, self.shapes(&x, &y, at, met)),
            _ => (None, false),
        };
        if !same {
            met.truncate(mark);
            return false;
        }
        met.insert(
            mark,
            Met {
                written: (a, b),
                def,
                at: at.to_string(),
            },
        );
        true
    }

    /// Two fields: same base type and same boxing.
    pub fn fields(&self, f: &Field, g: &Field, at: &str, met: &mut Vec<Met>) -> bool {
        let (_, a) = surface::field_wrap(f);
        let (_, b) = surface::field_wrap(g);
        f.boxed == g.boxed && self.shapes(a, b, at, met)
    }
}

/// Where a field is, below the location of its struct (`params.query.page`, `result.owner`).
pub fn field_at(at: &str, f: &Field, is_params: bool) -> String {
    let name = f.ident.bare();
    if !is_params {
        format!("{at}.{name}")
    } else if f.location == Location::WholeBody {
        format!("{at}.body")
    } else {
        format!("{at}.{}.{name}", surface::location_label(f.location))
    }
}

/// The named types an operation pair starts from, and which way each travels.
pub fn operation_roots(c: Correspond, o: &Operation, n: &Operation) -> Vec<(Met, Sides)> {
    let mut roots = Vec::new();
    let mut met = Vec::new();
    if let (Some(a), Some(b)) = (&o.positional, &n.positional) {
        let at = format!("args.{}", b.ident.bare());
        if surface::arg_type(c.old, &a.shape) == surface::arg_type(c.new, &b.shape) {
            c.shapes(&a.shape, &b.shape, &at, &mut met);
        }
    }
    if let (Some(a), Some(b)) = (o.params_type, n.params_type) {
        c.named(a, b, "params", &mut met);
    }
    roots.extend(met.drain(..).map(|m| (m, Sides::REQUEST)));
    if let (Some(a), Some(b)) = (surface::typed_result(o), surface::typed_result(n)) {
        c.named(a, b, "result", &mut met);
    }
    roots.extend(met.drain(..).map(|m| (m, Sides::RESPONSE)));
    roots
}

/// The named types met inside a pair's members (below `at`, where the pair was first met).
pub fn pair_children(c: Correspond, (a, b): Pair, at: &str) -> Vec<Met> {
    let mut met = Vec::new();
    match (&c.old.types.get(a).kind, &c.new.types.get(b).kind) {
        (TypeKind::Struct(s), TypeKind::Struct(t)) => {
            let m = matching::fields(&s.fields, &t.fields, t.is_params);
            for (f, g) in m.renamed.iter().chain(&m.paired) {
                c.fields(f, g, &field_at(at, g, t.is_params), &mut met);
            }
            if let (Some(x), Some(y)) = (&s.additional, &t.additional) {
                c.map_values(x, y, &format!("{at}.additional_properties"), &mut met);
            }
        }
        (TypeKind::Union(u), TypeKind::Union(v)) => {
            let m = matching::variants(&u.variants, &v.variants, |x, y| {
                x.boxed == y.boxed && c.shapes(&x.shape, &y.shape, at, &mut Vec::new())
            });
            for (x, y, _) in m.paired {
                if x.boxed == y.boxed {
                    c.shapes(&x.shape, &y.shape, &format!("{at}.{}", y.ident), &mut met);
                }
            }
        }
        _ => {}
    }
    met
}

/// A pair of definitions to compare, with what the walk learnt about it.
#[derive(Debug)]
pub struct Node {
    /// The definitions.
    pub pair: Pair,
    /// The first operation (index into the matched operations) that reaches it.
    pub first: usize,
    /// Where that operation first meets it.
    pub at: String,
    /// Which ways its values travel, over every operation reaching it.
    pub sides: Sides,
    /// Every operation reaching it (indices into the matched operations), ascending.
    pub reached_from: Vec<usize>,
    children: Vec<usize>,
}

/// A named type pair as written (aliases included), where it is first met.
#[derive(Debug)]
pub struct NameMet {
    /// Old and new ids as written.
    pub written: Pair,
    /// The first operation (index into the matched operations) that meets it.
    pub first: usize,
    /// Where.
    pub at: String,
}

/// Every pair to compare.
#[derive(Debug, Default)]
pub struct Graph {
    /// Definition pairs, in discovery order.
    pub nodes: Vec<Node>,
    /// Named type pairs as written, in discovery order (for renames).
    pub names: Vec<NameMet>,
}

/// Walks both APIs from the matched operations (`ops[k]` = (old, new) operation).
pub fn walk(c: Correspond, ops: &[(&Operation, &Operation)]) -> Graph {
    let mut graph = Graph::default();
    let mut index: HashMap<Pair, usize> = HashMap::new();
    let mut named: std::collections::HashSet<Pair> = std::collections::HashSet::new();
    let mut roots: Vec<Vec<(usize, Sides)>> = Vec::with_capacity(ops.len());
    let mut queue: std::collections::VecDeque<Met> = std::collections::VecDeque::new();
    let mut child_pairs: Vec<Vec<Pair>> = Vec::new();
    for (k, (o, n)) in ops.iter().enumerate() {
        let op_roots = operation_roots(c, o, n);
        let mut root_nodes = Vec::new();
        let mut root_pairs = Vec::new();
        for (m, sides) in op_roots {
            if let Some(pair) = m.def {
                root_pairs.push((pair, sides));
            }
            queue.push_back(m);
        }
        while let Some(m) = queue.pop_front() {
            if named.insert(m.written) {
                graph.names.push(NameMet {
                    written: m.written,
                    first: k,
                    at: m.at.clone(),
                });
            }
            let Some(pair) = m.def else { continue };
            if index.contains_key(&pair) {
                continue;
            }
            index.insert(pair, graph.nodes.len());
            let kids = pair_children(c, pair, &m.at);
            child_pairs.push(kids.iter().filter_map(|kid| kid.def).collect::<Vec<Pair>>());
            queue.extend(kids);
            graph.nodes.push(Node {
                pair,
                first: k,
                at: m.at,
                sides: Sides::default(),
                reached_from: Vec::new(),
                children: Vec::new(),
            });
        }
        for (pair, sides) in root_pairs {
            root_nodes.push((index[&pair], sides));
        }
        roots.push(root_nodes);
    }
    // Children as node indices (every child was discovered when its parent was expanded).
    for (node, pairs) in graph.nodes.iter_mut().zip(child_pairs) {
        node.children = pairs.iter().map(|p| index[p]).collect();
    }
    // Which operations reach each pair, and from which side.
    let mut stamp = vec![usize::MAX; graph.nodes.len()];
    let mut stack = Vec::new();
    for (k, op_roots) in roots.iter().enumerate() {
        for (s, side) in [Sides::REQUEST, Sides::RESPONSE].into_iter().enumerate() {
            let visit = k * 2 + s;
            stack.extend(
                op_roots
                    .iter()
                    .filter(|(_, sides)| *sides == side)
                    .map(|(i, _)| *i),
            );
            while let Some(i) = stack.pop() {
                if stamp[i] == visit {
                    continue;
                }
                stamp[i] = visit;
                let node = &mut graph.nodes[i];
                node.sides.request |= side.request;
                node.sides.response |= side.response;
                if node.reached_from.last() != Some(&k) {
                    node.reached_from.push(k);
                }
                stack.extend(node.children.iter().copied());
            }
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::{api, BASE};

    fn walked(old: &str, new: &str) -> (Api, Api, Graph) {
        let (old, new) = (api(old), api(new));
        let graph = {
            let c = Correspond {
                old: &old,
                new: &new,
            };
            let ops: Vec<(&Operation, &Operation)> =
                old.operations.iter().zip(&new.operations).collect();
            walk(c, &ops)
        };
        (old, new, graph)
    }

    fn node_names(old: &Api, g: &Graph) -> Vec<(String, bool, bool, usize)> {
        g.nodes
            .iter()
            .map(|n| {
                (
                    surface::type_path(old, n.pair.0),
                    n.sides.request,
                    n.sides.response,
                    n.reached_from.len(),
                )
            })
            .collect()
    }

    #[test]
    fn each_pair_once_with_its_sides_and_operations() {
        let (old, _, g) = walked(BASE, BASE);
        let mut nodes = node_names(&old, &g);
        nodes.sort();
        // `Pet`, `Owner` and `Status` are reached from all three operations' results;
        // the params structs from one each, as requests.
        assert_eq!(
            nodes,
            [
                ("pets::PetCreateParams".to_string(), true, false, 1),
                ("pets::PetGetParams".to_string(), true, false, 1),
                ("pets::PetListParams".to_string(), true, false, 1),
                ("types::Owner".to_string(), false, true, 3),
                ("types::Pet".to_string(), false, true, 3),
                ("types::Status".to_string(), false, true, 3),
            ]
        );
    }

    #[test]
    fn renamed_component_is_paired_through_the_field_that_holds_it() {
        let (old, new, g) = walked(BASE, &BASE.replace("Owner", "Person"));
        let renamed: Vec<(String, String, &str)> = g
            .names
            .iter()
            .map(|m| {
                (
                    surface::type_path(&old, m.written.0),
                    surface::type_path(&new, m.written.1),
                    m.at.as_str(),
                )
            })
            .filter(|(a, b, _)| a != b)
            .collect();
        assert_eq!(
            renamed,
            [(
                "types::Owner".to_string(),
                "types::Person".to_string(),
                "result.owner"
            )]
        );
    }

    #[test]
    fn a_type_changed_to_another_kind_is_not_paired() {
        // `owner` becomes a string: no `Owner` pair, so nothing below it is compared.
        let new = BASE.replace(
            "        owner:\n          $ref: '#/components/schemas/Owner'\n",
            "        owner:\n          type: string\n",
        );
        let (old, _, g) = walked(BASE, &new);
        assert!(node_names(&old, &g)
            .iter()
            .all(|(name, ..)| name != "types::Owner"));
    }

    #[test]
    fn shapes_agree_on_rust_types_not_constraints() {
        let (old, new) = (api(BASE), api(BASE));
        let c = Correspond {
            old: &old,
            new: &new,
        };
        use crate::ir::{NumberShape, StringShape};
        let s = |f: Option<&str>, max: Option<u64>| {
            Shape::String(StringShape {
                format: f.map(String::from),
                max_length: max,
                ..Default::default()
            })
        };
        let i = |f: &str| {
            Shape::Integer(NumberShape {
                format: Some(f.into()),
                ..Default::default()
            })
        };
        let mut met = Vec::new();
        assert!(c.shapes(&s(None, Some(3)), &s(Some("email"), None), "x", &mut met));
        assert!(!c.shapes(&s(None, None), &s(Some("date-time"), None), "x", &mut met));
        assert!(c.shapes(&s(None, None), &Shape::Bytes, "x", &mut met));
        assert!(!c.shapes(&i("int32"), &i("int64"), "x", &mut met));
        assert!(!c.shapes(
            &Shape::Map(Box::new(Shape::Any)),
            &Shape::Map(Box::new(Shape::Boolean)),
            "x",
            &mut met
        ));
        assert!(met.is_empty());
    }
}
