//! Selection: reading both specs, cutting them to `--only`, lowering them.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::compare::{Lowered, OpFacts};
use crate::cut::{self, Selector};
use crate::error::{Error, Result};
use crate::ir;

/// Reads both specs (cut to `only` when given) and lowers them, in parallel.
pub fn load(old: &Path, new: &Path, only: &[String]) -> Result<(Lowered, Lowered)> {
    let selectors: Vec<Selector> = only.iter().map(|s| Selector::parse(s)).collect();
    let (old_spec, new_spec) = if selectors.is_empty() {
        let (a, b) = rayon::join(
            || crate::parse::parse_file(old),
            || crate::parse::parse_file(new),
        );
        (a?, b?)
    } else {
        let (a, b) = rayon::join(|| cut::read_tree(old), || cut::read_tree(new));
        let (old_side, new_side) = (
            Side::select(a?, &selectors, old)?,
            Side::select(b?, &selectors, new)?,
        );
        if let Some(i) = (0..selectors.len()).find(|&i| !old_side.used[i] && !new_side.used[i]) {
            return Err(Error::Usage(format!(
                "selector `{}` matches no operation in {} nor in {} (use an SDK name like `user.edit`, a resource like `zero_trust.access`, an operationId, or `PATCH /user`)",
                only[i],
                old.display(),
                new.display()
            )));
        }
        // An operation selected on one side is compared with the operation at the
        // same route on the other, even when its SDK name changed.
        let (old_routes, new_routes) = (old_side.routes(), new_side.routes());
        let (a, b) = rayon::join(
            || old_side.finish(&new_routes, old),
            || new_side.finish(&old_routes, new),
        );
        (a?, b?)
    };
    let (a, b) = rayon::join(|| lower(&old_spec, old), || lower(&new_spec, new));
    Ok((a?, b?))
}

/// The IR of a spec (read from `file`), and what the diff needs from the spec itself.
pub fn lower(spec: &openapiv3::OpenAPI, file: &Path) -> Result<Lowered> {
    let env_prefix = crate::crate_name_from_title(&spec.info.title)
        .to_uppercase()
        .replace('-', "_");
    let api =
        ir::build(spec, &ir::BuildOptions::with_prefix(env_prefix)).map_err(|e| Error::Spec {
            file: file.to_path_buf(),
            pointer: e.pointer,
            message: e.message,
        })?;
    Ok(Lowered {
        api,
        facts: facts(spec),
    })
}

/// The operationId and the SDK name asked for, of every operation, by pointer.
fn facts(spec: &openapiv3::OpenAPI) -> HashMap<String, OpFacts> {
    let mut facts = HashMap::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in item.iter() {
            let (group, method_name) = ir::sdk_words(op, path, method);
            let mut sdk_name = group.join(".");
            sdk_name.push('.');
            sdk_name.push_str(&method_name);
            facts.insert(
                cut::operation_pointer(path, method),
                OpFacts {
                    operation_id: op.operation_id.clone(),
                    sdk_name,
                },
            );
        }
    }
    facts
}

/// One spec being cut to `--only`.
struct Side {
    tree: serde_json::Value,
    spec: openapiv3::OpenAPI,
    /// Which selectors match something here (a resource may exist in one spec only).
    used: Vec<bool>,
    /// The selectors that do.
    matching: Vec<Selector>,
    /// `(method, path)` of every operation they select.
    selected: Vec<(String, String)>,
}

impl Side {
    fn select(
        (tree, spec): (serde_json::Value, openapiv3::OpenAPI),
        selectors: &[Selector],
        path: &Path,
    ) -> Result<Side> {
        let (used, kept) = match cut::cut(tree.clone(), &spec, selectors, path) {
            Ok(kept) => (vec![true; selectors.len()], kept),
            Err(Error::Usage(_)) => {
                let used: Vec<bool> = selectors
                    .iter()
                    .map(|s| cut::cut(tree.clone(), &spec, std::slice::from_ref(s), path).is_ok())
                    .collect();
                let kept = cut::cut(tree.clone(), &spec, &matching(selectors, &used), path)?;
                (used, kept)
            }
            Err(e) => return Err(e),
        };
        Ok(Side {
            matching: matching(selectors, &used),
            selected: operations_of(&kept),
            tree,
            spec,
            used,
        })
    }

    /// Route keys of the selected operations.
    fn routes(&self) -> BTreeSet<(String, String)> {
        self.selected
            .iter()
            .map(|(m, p)| (m.to_ascii_uppercase(), super::surface::erase_params(p)))
            .collect()
    }

    /// The cut spec: the selected operations, plus those at the other side's routes.
    fn finish(
        mut self,
        other: &BTreeSet<(String, String)>,
        path: &Path,
    ) -> Result<openapiv3::OpenAPI> {
        for (method, route) in operations_of(&self.tree) {
            let key = (
                method.to_ascii_uppercase(),
                super::surface::erase_params(&route),
            );
            if other.contains(&key) {
                self.matching.push(Selector::Route {
                    method,
                    path: route,
                });
            }
        }
        let kept = cut::cut(self.tree, &self.spec, &self.matching, path)?;
        cut::into_spec(kept, path)
    }
}

fn matching(selectors: &[Selector], used: &[bool]) -> Vec<Selector> {
    selectors
        .iter()
        .zip(used)
        .filter(|(_, u)| **u)
        .map(|(s, _)| s.clone())
        .collect()
}

/// `(method, path)` of every operation in a spec tree.
fn operations_of(tree: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = tree.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            for method in cut::METHODS {
                if item.get(method).is_some_and(|o| o.is_object()) {
                    out.push((method.to_string(), path.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::BASE;

    #[test]
    fn facts_name_every_operation_by_pointer() {
        let spec = crate::parse::parse_str(BASE, Path::new("base.yaml")).unwrap();
        let lowered = lower(&spec, Path::new("spec.yaml")).expect("lowers");
        assert_eq!(lowered.facts.len(), 3);
        for op in &lowered.api.operations {
            let f = &lowered.facts[&op.pointer];
            assert_eq!(f.operation_id.as_deref(), Some(op.id.as_str()));
            assert!(f.sdk_name.starts_with("pets."), "{f:?}");
        }
    }

    #[test]
    fn only_selects_on_either_side_and_follows_routes() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
        std::fs::write(&old, BASE).unwrap();
        // On the new side `pets.get` is called `pets.fetch`.
        std::fs::write(
            &new,
            BASE.replace(
                "      operationId: pets-get\n",
                "      operationId: pets-get\n      x-fern-sdk-method-name: fetch\n",
            ),
        )
        .unwrap();
        let (a, b) = load(&old, &new, &["pets.fetch".to_string()]).unwrap();
        assert_eq!(a.api.operations.len(), 1, "the old side follows the route");
        assert_eq!(b.api.operations.len(), 1);
        let err = load(&old, &new, &["nothing.here".to_string()])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("nothing.here"), "{err}");
    }
}
