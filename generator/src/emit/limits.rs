//! How deeply the generated types nest, as rustc sees it: checking an auto trait
//! (`Send`, needed by every request future) walks a type's fields, through every
//! `Option`, `Vec` and `Box`, one obligation per level. Past rustc's default
//! `recursion_limit` (128) that fails with E0275, so the crate sets a higher limit
//! when its types need one.

use crate::ir::{Api, Shape, TypeId, TypeKind};

/// rustc's default `recursion_limit`.
pub const DEFAULT_RECURSION_LIMIT: usize = 128;

/// The `recursion_limit` the crate needs: the deepest nesting of its types, counted in
/// the obligations rustc walks (see [`weight`]), with half as much again and some
/// headroom; `None` when rustc's default is enough.
pub fn recursion_limit(api: &Api) -> Option<usize> {
    let needed = deepest_type(api) * 3 / 2 + 64;
    (needed > DEFAULT_RECURSION_LIMIT).then_some(needed)
}

/// Obligations one wrapper adds when rustc proves an auto trait through it: `Vec<T>`
/// goes through `RawVec<T>` and `PhantomData<T>`, a map through its root node's `Box`
/// of `(K, V)`; measured on the hostile fixtures (254 nested arrays need a limit of about
/// 1,088, 254 nested objects under 544).
fn weight(shape: &Shape) -> usize {
    match shape {
        Shape::Array(_) => 4,
        Shape::Map(_) => 6,
        Shape::Nullable(_) => 2,
        _ => 1,
    }
}

/// The longest chain of types nested in one another (named types and the wrappers
/// between them), cycles counted once. Iterative, so deep type graphs cannot overflow.
fn deepest_type(api: &Api) -> usize {
    let defs = &api.types.defs;
    const UNSEEN: usize = usize::MAX;
    const ON_STACK: usize = usize::MAX - 1;
    let mut depth = vec![UNSEEN; defs.len()];
    // Per type: the (wrapper levels, target) of every named type it mentions.
    let edges: Vec<Vec<(usize, TypeId)>> = defs
        .iter()
        .map(|d| {
            let mut out = Vec::new();
            for (shape, extra) in shapes(&d.kind) {
                named_in(shape, 1 + extra, &mut out);
            }
            out
        })
        .collect();
    let own = |i: usize| {
        shapes(&defs[i].kind)
            .map(|(s, extra)| wrappers(s) + extra)
            .max()
            .unwrap_or(0)
            + 1
    };
    let mut deepest = 0;
    for root in 0..defs.len() {
        if depth[root] != UNSEEN {
            continue;
        }
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, 0, own(root))];
        depth[root] = ON_STACK;
        while let Some((node, next, best)) = stack.last_mut() {
            if let Some(&(levels, TypeId(target))) = edges[*node].get(*next) {
                *next += 1;
                match depth[target] {
                    // Descend; the child's depth is folded in when it is popped.
                    UNSEEN => {
                        depth[target] = ON_STACK;
                        stack.push((target, 0, own(target)));
                    }
                    // A cycle: rustc's check is coinductive there, count it once.
                    ON_STACK => {}
                    d => *best = (*best).max(levels + d),
                }
                continue;
            }
            let (node, _, best) = stack.pop().expect("non-empty");
            depth[node] = best;
            deepest = deepest.max(best);
            if let Some((parent, next, parent_best)) = stack.last_mut() {
                let (levels, _) = edges[*parent][*next - 1];
                *parent_best = (*parent_best).max(levels + best);
            }
        }
    }
    deepest
}

/// The shapes a type holds, each with the obligations its field adds (an `Option` for an
/// optional field, a `Box` for a boxed one).
fn shapes(kind: &TypeKind) -> Box<dyn Iterator<Item = (&Shape, usize)> + '_> {
    match kind {
        TypeKind::Struct(s) => Box::new(
            s.fields
                .iter()
                .map(|f| {
                    (
                        &f.shape,
                        2 * usize::from(!f.required) + 2 * usize::from(f.boxed),
                    )
                })
                .chain(
                    s.additional
                        .iter()
                        .map(|a| (a, weight(&Shape::Map(Box::new(Shape::Any))))),
                ),
        ),
        TypeKind::Union(u) => Box::new(
            u.variants
                .iter()
                .map(|v| (&v.shape, 2 * usize::from(v.boxed))),
        ),
        TypeKind::Alias(shape) => Box::new(std::iter::once((shape, 0))),
        TypeKind::Enum(_) | TypeKind::External(_) => Box::new(std::iter::empty()),
    }
}

/// Obligations of a shape's wrappers down to its deepest leaf.
fn wrappers(shape: &Shape) -> usize {
    let mut levels = 0;
    let mut s = shape;
    loop {
        levels += weight(s);
        s = match s {
            Shape::Nullable(inner) | Shape::Map(inner) => inner,
            Shape::Array(a) => &a.items,
            _ => return levels,
        };
    }
}

/// Named types in a shape, each with the obligations above it (`levels` so far).
fn named_in(shape: &Shape, levels: usize, out: &mut Vec<(usize, TypeId)>) {
    let mut s = shape;
    let mut levels = levels;
    loop {
        let inner = match s {
            Shape::Named(id) => {
                out.push((levels, *id));
                return;
            }
            Shape::Nullable(inner) | Shape::Map(inner) => inner,
            Shape::Array(a) => &a.items,
            _ => return,
        };
        levels += weight(s);
        s = inner;
    }
}

/// The longest file name file systems allow (ext4, APFS, NTFS: 255 bytes or units).
pub const MAX_FILE_NAME: usize = 255;

/// Checks that every file of the planned crate has a name file systems accept; a
/// resource name too long for one fails here, naming an operation of that resource
/// (whose `x-fern-sdk-group-name` or path segment gave the name), rather than when
/// the file is written, naming a staging path.
pub fn check_file_names(
    api: &Api,
    plan: &[(std::path::PathBuf, super::FileKind)],
) -> Result<(), (String, String)> {
    for (path, kind) in plan {
        let Some(long) = path
            .iter()
            .map(|c| c.to_string_lossy())
            .find(|c| c.len() > MAX_FILE_NAME)
        else {
            continue;
        };
        let super::FileKind::Resource(index) = kind else {
            continue;
        };
        let pointer = first_operation(api, *index)
            .map(|op| api.operations[op].pointer.clone())
            .unwrap_or_else(|| "#/paths".to_string());
        let shown: String = long.chars().take(40).collect();
        return Err((
            pointer,
            format!(
                "the SDK resource name `{shown}…` ({} bytes) makes the file name of its module longer than the {MAX_FILE_NAME} bytes file systems allow; shorten x-fern-sdk-group-name (or the path segment it comes from)",
                long.len()
            ),
        ));
    }
    Ok(())
}

/// An operation of resource `index` or of one below it.
fn first_operation(api: &Api, index: usize) -> Option<usize> {
    let mut todo = vec![index];
    while let Some(r) = todo.pop() {
        let resource = &api.resources[r];
        if let Some(op) = resource.operations.first() {
            return Some(*op);
        }
        todo.extend(resource.children.iter().map(|(_, child)| *child));
    }
    None
}
