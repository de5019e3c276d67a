//! The names lock, after lowering: which locked types were renamed and get a
//! deprecated alias under their old name, and the lock the generation writes.
//!
//! A locked type that is no longer generated under its name was either renamed at
//! the same spec position (what its name derives from changed: an operation's SDK
//! name, its parent's name) or its position is gone (a component renamed, a path
//! moved). The first is mapped by position. The second is mapped to a new type of
//! the same Rust shape (same fields, variants or values, with the same types; names
//! of the types they refer to left out) whose name shares words with the old one,
//! when exactly one such pairing is best on both sides. A mapped old name becomes
//! `#[deprecated] pub type Old = New;` in its old module, and stays in the lock
//! until the maintainer deletes it (at a major release).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;

pub use crate::ir::lower::HeldBy;
use crate::ir::*;
use crate::lock::{split_path, LockedType, NameLock};

/// How a type got its name (parallel to the type space).
#[derive(Debug, Clone)]
pub struct Naming {
    /// Module path (`types`, `zero_trust::access`).
    pub module: String,
    /// The name it wanted before it was made unique.
    pub wanted: String,
    /// The name came from the lock, and how.
    pub held: Option<HeldBy>,
    /// An identical type already existed: this one was merged into it and is not emitted.
    pub duplicate: bool,
}

/// A type's path from the crate root.
fn path_of(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

/// Locked names no type asks for by its identity any more (module, wanted name and spec
/// position), by `(module, wanted)`, when a new type in the same module wants one of them:
/// the spec moved those types (a component renamed, a parameter inserted before them), and
/// a second lowering gives their old names to the first new types wanting them. All such
/// names are returned, not only the ones wanted now: in the second run a moved type's
/// inline parts, named after it, want their old names too. `None` when no new type wants one.
pub fn moved_names(
    api: &Api,
    naming: &[Naming],
    lock: &NameLock,
) -> Option<BTreeMap<(String, String), Vec<String>>> {
    let kept: Vec<usize> = (0..naming.len())
        .filter(|&i| !naming[i].duplicate)
        .collect();
    let paths: BTreeSet<String> = kept
        .iter()
        .map(|&i| path_of(&naming[i].module, &api.types.defs[i].name))
        .collect();
    let identities: BTreeSet<(&str, &str, &str)> = kept
        .iter()
        .map(|&i| {
            let n = &naming[i];
            (
                n.module.as_str(),
                n.wanted.as_str(),
                api.types.defs[i].pointer.as_str(),
            )
        })
        .collect();
    let wanted_by_new: BTreeSet<(&str, &str)> = kept
        .iter()
        .filter(|&&i| naming[i].held.is_none())
        .map(|&i| (naming[i].module.as_str(), naming[i].wanted.as_str()))
        .collect();
    let mut moved: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (path, entry) in &lock.types {
        let (module, name) = split_path(path);
        let wanted = entry.wanted_or(name);
        if !paths.contains(path) && !identities.contains(&(module, wanted, entry.from.as_str())) {
            moved
                .entry((module.to_string(), wanted.to_string()))
                .or_default()
                .push(name.to_string());
        }
    }
    // The first run's names only differ from the second's below a type that takes a moved
    // name, which it wants in both runs: no such type, no second run.
    let wanted = moved
        .keys()
        .any(|(m, w)| wanted_by_new.contains(&(m.as_str(), w.as_str())));
    wanted.then_some(moved)
}

/// Adds the deprecated aliases to the IR and writes the lock of this generation.
pub fn settle(api: &mut Api, naming: &[Naming], options: &BuildOptions) {
    let emitted: Vec<usize> = (0..naming.len())
        .filter(|&i| {
            let def = &api.types.defs[i];
            // The maintainer's own types (settings `replace_with`) are not generated.
            !naming[i].duplicate
                && !def.used_by.is_empty()
                && !matches!(def.kind, TypeKind::External(_))
        })
        .collect();
    let shapes: BTreeMap<usize, String> = emitted
        .iter()
        .map(|&i| (i, fingerprint(&api.types, TypeId(i))))
        .collect();
    let mut lock = NameLock {
        only: options.selection.clone(),
        ..NameLock::default()
    };
    let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &emitted {
        let (def, n) = (&api.types.defs[i], &naming[i]);
        let path = path_of(&n.module, &def.name);
        lock.types.insert(
            path.clone(),
            LockedType {
                from: def.pointer.clone(),
                shape: shapes[&i].clone(),
                wanted: (n.wanted != def.name).then(|| n.wanted.clone()),
            },
        );
        by_path.insert(path, i);
    }
    // Aliases only make sense against the lock of the same selection: with another
    // `--only`, types missing from it were not renamed, only left out.
    if let Some(old) = options
        .lock
        .as_ref()
        .filter(|l| l.only == options.selection)
    {
        let modules: BTreeMap<String, Module> =
            std::iter::once(("types".to_string(), Module::Types))
                .chain(
                    api.resources
                        .iter()
                        .enumerate()
                        .map(|(r, res)| (crate::ir::lower::module_path(res), Module::Resource(r))),
                )
                .collect();
        let renamed = map_renamed(api, naming, old, &emitted, &shapes, &by_path);
        let mut aliases: BTreeMap<String, usize> = BTreeMap::new();
        for (old_path, target) in &old.aliases {
            let now = by_path.get(target).or_else(|| renamed.get(target));
            if let Some(&t) = now {
                aliases.insert(old_path.clone(), t);
            }
        }
        for (old_path, &t) in &renamed {
            aliases.insert(old_path.clone(), t);
        }
        for (old_path, target) in aliases {
            let (module, name) = split_path(&old_path);
            let Some(module) = modules.get(module) else {
                continue;
            };
            if by_path.contains_key(&old_path) {
                continue;
            }
            let def = &api.types.defs[target];
            lock.aliases
                .insert(old_path.clone(), path_of(&naming[target].module, &def.name));
            api.aliases.push(TypeAlias {
                module: module.clone(),
                name: name.to_string(),
                target: TypeId(target),
            });
        }
        api.aliases.sort();
    }
    api.lock = lock;
}

/// Old path → the emitted type it was renamed to, for locked types no longer emitted
/// under their name: a new type of the same shape at the same spec position (the spec
/// renamed what its name derives from: an operation's SDK name, a parent), else one whose
/// name shares words with the old name (a component renamed, a type moved).
fn map_renamed(
    api: &Api,
    naming: &[Naming],
    old: &NameLock,
    emitted: &[usize],
    shapes: &BTreeMap<usize, String>,
    by_path: &BTreeMap<String, usize>,
) -> BTreeMap<String, usize> {
    let fresh: Vec<usize> = emitted
        .iter()
        .copied()
        .filter(|&i| naming[i].held.is_none())
        .collect();
    let mut at_position: BTreeMap<(&str, &str, &str), Vec<usize>> = BTreeMap::new();
    for &i in &fresh {
        let key = (
            naming[i].module.as_str(),
            api.types.defs[i].pointer.as_str(),
            shapes[&i].as_str(),
        );
        at_position.entry(key).or_default().push(i);
    }
    let mut renamed = BTreeMap::new();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    let mut elsewhere: Vec<(&String, &LockedType)> = Vec::new();
    for (path, entry) in &old.types {
        if by_path.contains_key(path) {
            continue;
        }
        let key = (
            split_path(path).0,
            entry.from.as_str(),
            entry.shape.as_str(),
        );
        match at_position.get(&key).map(Vec::as_slice) {
            Some([one]) if !taken.contains(one) => {
                renamed.insert(path.clone(), *one);
                taken.insert(*one);
            }
            _ => elsewhere.push((path, entry)),
        }
    }
    let mut new_by_shape: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &fresh {
        if !taken.contains(&i) {
            new_by_shape.entry(shapes[&i].as_str()).or_default().push(i);
        }
    }
    let mut old_by_shape: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for (path, entry) in elsewhere {
        if new_by_shape.contains_key(entry.shape.as_str()) {
            old_by_shape
                .entry(entry.shape.as_str())
                .or_default()
                .push(path);
        }
    }
    for (shape, olds) in old_by_shape {
        let news: Vec<(usize, String)> = new_by_shape[shape]
            .iter()
            .map(|&i| (i, path_of(&naming[i].module, &api.types.defs[i].name)))
            .collect();
        let olds: Vec<&str> = olds.iter().map(|p| p.as_str()).collect();
        let new_paths: Vec<&str> = news.iter().map(|(_, p)| p.as_str()).collect();
        for (o, n) in pair_by_words(&olds, &new_paths) {
            renamed.insert(olds[o].to_string(), news[n].0);
        }
    }
    renamed
}

/// Pairs old and new names (indices) by the words they share, best first: by the number of
/// trailing words in common, then of words in common. A pair is made only when it is the
/// single best remaining choice for both of its names, and they share at least one word.
fn pair_by_words(olds: &[&str], news: &[&str]) -> Vec<(usize, usize)> {
    /// `((trailing words in common, words in common), (old index, new index))`.
    type Scored = ((usize, usize), (usize, usize));
    let words = |path: &str| -> Vec<String> { name_words(split_path(path).1) };
    let old_words: Vec<Vec<String>> = olds.iter().map(|p| words(p)).collect();
    let new_words: Vec<Vec<String>> = news.iter().map(|p| words(p)).collect();
    let mut scores: Vec<Scored> = Vec::new();
    for (o, ow) in old_words.iter().enumerate() {
        for (n, nw) in new_words.iter().enumerate() {
            let common = ow.iter().filter(|w| nw.contains(w)).count();
            if common == 0 {
                continue;
            }
            let trailing = ow
                .iter()
                .rev()
                .zip(nw.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            scores.push(((trailing, common), (o, n)));
        }
    }
    let mut pairs = Vec::new();
    let (mut used_old, mut used_new) = (vec![false; olds.len()], vec![false; news.len()]);
    loop {
        let live: Vec<&Scored> = scores
            .iter()
            .filter(|(_, (o, n))| !used_old[*o] && !used_new[*n])
            .collect();
        let Some(best) = live.iter().map(|(s, _)| *s).max() else {
            break;
        };
        let at_best: Vec<(usize, usize)> = live
            .iter()
            .filter(|(s, _)| *s == best)
            .map(|(_, p)| *p)
            .collect();
        let mut progressed = false;
        for &(o, n) in &at_best {
            let rivals = at_best.iter().filter(|(a, b)| *a == o || *b == n).count();
            if rivals == 1 {
                pairs.push((o, n));
                used_old[o] = true;
                used_new[n] = true;
                progressed = true;
            }
        }
        if !progressed {
            // Ties at the best score are ambiguous: leave those names unpaired.
            for &(o, n) in &at_best {
                used_old[o] = true;
                used_new[n] = true;
            }
        }
    }
    pairs.sort();
    pairs
}

/// The words of an UpperCamelCase name (`AccessAppsV2Rule` → `Access`, `Apps`, `V2`, `Rule`).
fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(w) if !c.is_ascii_uppercase() => w.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}

/// A fingerprint of a type's Rust shape: FNV-1a (64 bits; a fixed, documented function, so
/// the lock reads the same on every machine and Rust version) of a canonical description.
pub fn fingerprint(types: &TypeSpace, id: TypeId) -> String {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(describe(types, id).as_bytes());
    format!("{:016x}", hasher.finish())
}

/// What code using the type sees: field names, requiredness and types; variant names and
/// types; enum values. Referenced types appear by kind only, so a renamed neighbour does
/// not change the description.
fn describe(types: &TypeSpace, id: TypeId) -> String {
    let def = types.get(id);
    let mut out = String::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            out.push_str(if s.is_params { "params{" } else { "struct{" });
            for f in &s.fields {
                out.push_str(&format!(
                    "{}:{}{};",
                    f.ident,
                    if f.required { "" } else { "?" },
                    shape(types, &f.shape)
                ));
            }
            if let Some(extra) = &s.additional {
                out.push_str(&format!("..{}", shape(types, extra)));
            }
            out.push('}');
        }
        TypeKind::Enum(e) => {
            let mut idents: Vec<&str> = e.variants.iter().map(|v| v.ident.as_str()).collect();
            idents.sort_unstable();
            out.push_str(&format!("enum{{{}}}", idents.join(",")));
        }
        TypeKind::Union(u) => {
            let mut variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}({})", v.ident, shape(types, &v.shape)))
                .collect();
            variants.sort_unstable();
            out.push_str(&format!("union{{{}}}", variants.join(",")));
        }
        TypeKind::Alias(s) => out.push_str(&format!("alias({})", shape(types, s))),
        TypeKind::External(path) => out.push_str(&format!("extern({path})")),
    }
    out
}

fn shape(types: &TypeSpace, s: &Shape) -> String {
    match s {
        Shape::String(st) => match st.repr() {
            StringRepr::Plain => "string".into(),
            StringRepr::DateTime => "datetime".into(),
        },
        Shape::Integer(n) => match n.format.as_deref() {
            Some("int32") => "i32".into(),
            _ => "i64".into(),
        },
        Shape::Number(_) => "f64".into(),
        Shape::Boolean => "bool".into(),
        Shape::Named(id) => match &types.get(*id).kind {
            TypeKind::Struct(_) => "struct".into(),
            TypeKind::Enum(_) => "enum".into(),
            TypeKind::Union(_) => "union".into(),
            TypeKind::Alias(_) => "alias".into(),
            TypeKind::External(path) => path.clone(),
        },
        Shape::Array(a) => format!("[{}]", shape(types, &a.items)),
        Shape::Map(v) => format!("{{{}}}", shape(types, v)),
        Shape::Any => "any".into(),
        Shape::Bytes => "bytes".into(),
        Shape::Null => "null".into(),
        Shape::Nullable(inner) => format!("{}?", shape(types, inner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::{edit, lowered_with_lock, BASE};

    /// The IR of `text` generated with `lock`.
    fn api(text: &str, lock: Option<&NameLock>) -> Api {
        lowered_with_lock(text, lock.cloned()).api
    }

    fn names(api: &Api) -> BTreeSet<String> {
        api.lock.types.keys().cloned().collect()
    }

    /// A component sorting before `Owner` that also wants the name `Owner`.
    const RIVAL: (&str, &str) = (
        "    Owner:\n      type: object\n",
        "    OWNER:\n      type: object\n      properties:\n        id:\n          type: string\n    Owner:\n      type: object\n",
    );
    /// `OWNER` reached from `Pet`, so it is generated.
    const RIVAL_USED: (&str, &str) = (
        "        owner:\n          $ref: '#/components/schemas/Owner'\n",
        "        owner:\n          $ref: '#/components/schemas/Owner'\n        owner2:\n          $ref: '#/components/schemas/OWNER'\n",
    );

    #[test]
    fn a_locked_name_is_held_when_a_new_type_wants_it() {
        let old = api(BASE, None);
        let new_spec = edit(&[RIVAL, RIVAL_USED]);
        // Afresh, the newcomer sorts first and takes `Owner`: the old type is renumbered.
        let afresh = api(&new_spec, None);
        let owner = |api: &Api, wire: &str| {
            let def = api
                .types
                .defs
                .iter()
                .find(|d| d.pointer == format!("#/components/schemas/{wire}"))
                .unwrap();
            def.name.clone()
        };
        assert_eq!(owner(&afresh, "Owner"), "Owner2");
        // With the lock, `Owner` stays; the newcomer is numbered, and the lock says so.
        let held = api(&new_spec, Some(&old.lock));
        assert_eq!(owner(&held, "Owner"), "Owner");
        assert_eq!(owner(&held, "OWNER"), "Owner2");
        assert_eq!(
            held.lock.types["types::Owner2"].wanted.as_deref(),
            Some("Owner")
        );
        assert!(held.aliases.is_empty());
        // Regenerating with that lock changes nothing.
        let again = api(&new_spec, Some(&held.lock));
        assert_eq!(again.lock, held.lock);
    }

    #[test]
    fn generating_with_its_own_lock_changes_nothing() {
        let first = api(BASE, None);
        let second = api(BASE, Some(&first.lock));
        assert_eq!(first.lock, second.lock);
        assert_eq!(names(&first), names(&second));
        assert!(second.aliases.is_empty());
    }

    #[test]
    fn a_renamed_component_of_the_same_shape_gets_a_deprecated_alias() {
        let old = api(BASE, None);
        let renamed = BASE.replace("Owner", "PetOwner");
        let new = api(&renamed, Some(&old.lock));
        assert_eq!(
            new.lock.aliases.get("types::Owner").map(String::as_str),
            Some("types::PetOwner")
        );
        let [alias] = new.aliases.as_slice() else {
            panic!("one alias: {:?}", new.aliases)
        };
        assert_eq!(
            (alias.module.clone(), alias.name.as_str()),
            (Module::Types, "Owner")
        );
        assert_eq!(new.types.get(alias.target).name, "PetOwner");
        // Renamed again: the alias follows, and the second old name joins it.
        let again = api(
            &renamed.replace("PetOwner", "PetKeeperOwner"),
            Some(&new.lock),
        );
        let aliases: Vec<(&str, &str)> = again
            .lock
            .aliases
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            aliases,
            [
                ("types::Owner", "types::PetKeeperOwner"),
                ("types::PetOwner", "types::PetKeeperOwner")
            ]
        );
    }

    #[test]
    fn a_rename_is_mapped_only_to_the_same_shape_and_a_shared_word() {
        let old = api(BASE, None);
        // Same shape, but no word in common: nothing says it is the same type.
        let unrelated = api(&BASE.replace("Owner", "Person"), Some(&old.lock));
        assert!(unrelated.aliases.is_empty(), "{:?}", unrelated.aliases);
        // A word in common, another shape.
        let changed = BASE.replace("Owner", "PetOwner").replace(
            "        email:\n          type: string\n",
            "        email:\n          type: integer\n",
        );
        let new = api(&changed, Some(&old.lock));
        assert!(new.aliases.is_empty(), "{:?}", new.aliases);
        assert!(new.lock.aliases.is_empty());
    }

    #[test]
    fn a_lock_of_another_selection_holds_names_but_makes_no_aliases() {
        let mut old = api(BASE, None).lock;
        old.only = vec!["pets.get".into()];
        let new = api(&BASE.replace("Owner", "Person"), Some(&old));
        assert!(new.aliases.is_empty());
        assert!(names(&new).contains("types::Pet"));
    }

    #[test]
    fn the_fingerprint_function_is_fixed() {
        // Locks in the wild hold these fingerprints: changing how they are computed
        // would orphan every lock's aliases.
        let api = api(BASE, None);
        let status = api
            .types
            .defs
            .iter()
            .position(|d| d.name == "Status")
            .unwrap();
        assert_eq!(describe(&api.types, TypeId(status)), "enum{Available,Sold}");
        // FNV-1a, 64 bits, of those bytes.
        assert_eq!(fingerprint(&api.types, TypeId(status)), "ce64a8d2db122765");
    }

    #[test]
    fn words_of_names() {
        assert_eq!(
            name_words("AccessAppsV2Rule"),
            ["Access", "Apps", "V2", "Rule"]
        );
        assert_eq!(name_words("V3sYrmmvXCa"), ["V3s", "Yrmmv", "X", "Ca"]);
    }

    #[test]
    fn pairs_by_shared_words_and_leaves_ties_alone() {
        // The old prefix became another one; trailing words decide.
        let olds = [
            "types::LegacyAsnConfiguration",
            "types::LegacyIpConfiguration",
        ];
        let news = [
            "types::FirewallIpConfiguration",
            "types::FirewallAsnConfiguration",
        ];
        assert_eq!(pair_by_words(&olds, &news), [(0, 1), (1, 0)]);
        // Nothing in common: no pair.
        assert!(pair_by_words(&["types::Foo"], &["types::Bar"]).is_empty());
        // Two new names equally close to one old name: ambiguous, no pair.
        assert!(pair_by_words(&["types::XMode"], &["types::AMode", "types::BMode"]).is_empty());
    }
}
