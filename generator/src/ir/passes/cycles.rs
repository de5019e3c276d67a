//! Reference cycles between types, found with Tarjan's algorithm and broken with `Box`.

use crate::ir::*;

/// Named types a shape mentions; `direct` only through fields stored inline
/// (not behind a `Vec` or map, which already allocate).
pub fn shape_refs(shape: &Shape, direct: bool, out: &mut Vec<TypeId>) {
    match shape {
        Shape::Named(id) => out.push(*id),
        Shape::Nullable(inner) => shape_refs(inner, direct, out),
        Shape::Array(a) if !direct => shape_refs(&a.items, direct, out),
        Shape::Map(v) if !direct => shape_refs(v, direct, out),
        _ => {}
    }
}

pub fn type_refs(kind: &TypeKind, direct: bool) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                shape_refs(&f.shape, direct, &mut out);
            }
            if let Some(a) = &s.additional {
                shape_refs(a, direct, &mut out);
            }
        }
        TypeKind::Union(u) => u
            .variants
            .iter()
            .for_each(|v| shape_refs(&v.shape, direct, &mut out)),
        TypeKind::Alias(shape) => shape_refs(shape, direct, &mut out),
        TypeKind::Enum(_) | TypeKind::External(_) => {}
    }
    out
}

/// Boxes every field or variant whose type is in the same strongly connected
/// component of the "stored inline" graph as its container (Tarjan's algorithm).
pub fn mark_boxes(defs: &mut [TypeDef]) {
    let graph: Vec<Vec<TypeId>> = defs.iter().map(|d| type_refs(&d.kind, true)).collect();
    let scc = strongly_connected(&graph);
    let in_cycle = |from: usize, to: TypeId| scc[from] == scc[to.0];
    for (i, def) in defs.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    let mut r = Vec::new();
                    shape_refs(&f.shape, true, &mut r);
                    f.boxed = r.iter().any(|t| in_cycle(i, *t));
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    let mut r = Vec::new();
                    shape_refs(&v.shape, true, &mut r);
                    v.boxed = r.iter().any(|t| in_cycle(i, *t));
                }
            }
            _ => {}
        }
    }
}

fn strongly_connected(graph: &[Vec<TypeId>]) -> Vec<usize> {
    // Iterative Tarjan, so deep type graphs can't overflow the stack.
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&TypeId(w)) = graph[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}
