//! Which top-level resources reach each type (for feature gating).

use std::collections::BTreeMap;

use super::shape_refs;
use super::type_refs;
use crate::ir::*;

/// Records, for every named type, the top-level resources whose operations reach it.
pub fn mark_usage(defs: &mut [TypeDef], operations: &[Operation], resources: &[Resource]) {
    let graph: Vec<Vec<TypeId>> = defs.iter().map(|d| type_refs(&d.kind, false)).collect();
    let mut roots_by_top: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for op in operations {
        let top = resources[op.resource]
            .path
            .first()
            .map(|i| i.bare().to_string())
            .unwrap_or_default();
        let roots = roots_by_top.entry(top).or_default();
        roots.extend(op.params_type);
        roots.extend(op.response.result_type);
        if let Some(p) = &op.positional {
            shape_refs(&p.shape, false, roots);
        }
        for extra in op.response.result_info.iter().chain(&op.response.meta) {
            shape_refs(extra, false, roots);
        }
    }
    let mut seen = vec![false; defs.len()];
    for (top, roots) in roots_by_top {
        seen.iter_mut().for_each(|s| *s = false);
        let mut todo = roots;
        while let Some(TypeId(t)) = todo.pop() {
            if std::mem::replace(&mut seen[t], true) {
                continue;
            }
            defs[t].used_by.push(top.clone());
            todo.extend(graph[t].iter().copied());
        }
    }
}
