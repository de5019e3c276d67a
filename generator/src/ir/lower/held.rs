//! Names the lock holds, handed out while types are created.
//!
//! A type is identified across generations by its module, the name it wants (its
//! parent's name plus a word from the spec, or its component's name) and the
//! spec position it comes from (a JSON pointer). A type whose identity is in the
//! lock gets the locked name, whatever else now wants that name; every other
//! locked name is reserved, so no new type takes a name a user may already be
//! using. On a second run (see [`super::build`]) a type also takes the locked name
//! of a type that wanted the same name in the same module from a position that no
//! longer exists: the spec moved it, and its name stays.

use std::collections::BTreeMap;

use crate::lock::{split_path, NameLock};

/// Module path, wanted name, pointer.
type Key = (String, String, String);

#[derive(Debug, Clone, Default)]
pub(super) struct Held {
    /// Locked names by the identity they were given to; several only when one identity
    /// was given more than one name (taken in order).
    exact: BTreeMap<Key, Vec<String>>,
    /// Locked names whose position no longer exists, by module and wanted name.
    moved: BTreeMap<(String, String), Vec<String>>,
    /// Names no new type may take, by module path: every locked type and alias name.
    reserved: BTreeMap<String, Vec<String>>,
}

impl Held {
    pub(super) fn new(lock: Option<&NameLock>) -> Held {
        let mut held = Held::default();
        let Some(lock) = lock else { return held };
        for (path, entry) in &lock.types {
            let (module, name) = split_path(path);
            held.exact
                .entry((
                    module.to_string(),
                    entry.wanted_or(name).to_string(),
                    entry.from.clone(),
                ))
                .or_default()
                .push(name.to_string());
            held.reserve(module, name);
        }
        for old in lock.aliases.keys() {
            let (module, name) = split_path(old);
            held.reserve(module, name);
        }
        held
    }

    fn reserve(&mut self, module: &str, name: &str) {
        self.reserved
            .entry(module.to_string())
            .or_default()
            .push(name.to_string());
    }

    /// The same names, where types from these positions that no longer exist
    /// (`(module, wanted) → names`) give their names to the first new type wanting them.
    pub(super) fn with_moved(mut self, moved: BTreeMap<(String, String), Vec<String>>) -> Held {
        self.moved = moved;
        self
    }

    /// Names reserved in a module.
    pub(super) fn reserved(&self, module: &str) -> &[String] {
        self.reserved.get(module).map_or(&[], Vec::as_slice)
    }

    /// The locked name of the type at this identity, if the lock has one left, and where
    /// it was found.
    pub(super) fn take(
        &mut self,
        module: &str,
        wanted: &str,
        pointer: &str,
    ) -> Option<(String, HeldBy)> {
        let key = (module.to_string(), wanted.to_string(), pointer.to_string());
        if let Some(names) = self.exact.get_mut(&key) {
            if !names.is_empty() {
                return Some((names.remove(0), HeldBy::Position));
            }
        }
        let names = self
            .moved
            .get_mut(&(module.to_string(), wanted.to_string()))?;
        (!names.is_empty()).then(|| (names.remove(0), HeldBy::Move))
    }

    /// Returns a name taken by a type that turned out to duplicate another: the next type
    /// of the same identity gets it.
    pub(super) fn give_back(
        &mut self,
        by: HeldBy,
        module: &str,
        wanted: &str,
        pointer: &str,
        name: String,
    ) {
        let names = match by {
            HeldBy::Position => self
                .exact
                .entry((module.to_string(), wanted.to_string(), pointer.to_string()))
                .or_default(),
            HeldBy::Move => self
                .moved
                .entry((module.to_string(), wanted.to_string()))
                .or_default(),
        };
        names.insert(0, name);
    }
}

/// How a type got a locked name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBy {
    /// Its identity (module, wanted name, spec position) is in the lock.
    Position,
    /// The locked type's position is gone, and this is the first type wanting its name
    /// in the same module.
    Move,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::LockedType;

    fn entry(from: &str, wanted: Option<&str>) -> LockedType {
        LockedType {
            from: from.into(),
            shape: "0".into(),
            wanted: wanted.map(String::from),
        }
    }

    #[test]
    fn locked_names_go_to_their_identity_and_are_reserved() {
        let mut lock = NameLock::default();
        lock.types
            .insert("types::Foo".into(), entry("#/components/schemas/foo", None));
        lock.types.insert(
            "types::Foo2".into(),
            entry("#/components/schemas/FOO", Some("Foo")),
        );
        lock.aliases
            .insert("types::Old".into(), "types::Foo".into());
        let mut held = Held::new(Some(&lock));
        assert_eq!(held.reserved("types"), ["Foo", "Foo2", "Old"]);
        assert_eq!(held.take("types", "Foo", "#/components/schemas/x"), None);
        let taken = held.take("types", "Foo", "#/components/schemas/FOO");
        assert_eq!(taken, Some(("Foo2".to_string(), HeldBy::Position)));
        assert_eq!(held.take("types", "Foo", "#/components/schemas/FOO"), None);
        // A duplicate gives it back to the next type of its identity.
        held.give_back(
            HeldBy::Position,
            "types",
            "Foo",
            "#/components/schemas/FOO",
            "Foo2".into(),
        );
        assert!(held
            .take("types", "Foo", "#/components/schemas/FOO")
            .is_some());
    }

    #[test]
    fn moved_names_go_to_the_first_type_wanting_them() {
        let mut moved = BTreeMap::new();
        moved.insert(
            ("user".to_string(), "Item".to_string()),
            vec!["Item2".to_string()],
        );
        let mut held = Held::new(None).with_moved(moved);
        assert_eq!(
            held.take("user", "Item", "#/new"),
            Some(("Item2".to_string(), HeldBy::Move))
        );
        assert_eq!(held.take("user", "Item", "#/other"), None);
    }
}
