//! Structural fuzz of the generator (issue 12), bounded so `./test.sh` runs it in seconds.
//!
//! Specs come from `hostile_support::specs`: random documents of recursive schemas
//! (references between components, nullable `allOf` wrappers, repeated `allOf` members,
//! unions, maps) with hostile names and text, and the seed specs (the fragment, the
//! features fixture, the hostile fixtures) mutated to be recursive or `allOf`-heavy.
//! Every one must generate or be refused with a message naming a place; never panic or
//! abort (an abort kills this test binary, which fails the run); and no generated doc
//! block may hold code rustdoc could run. A deterministic sample of these crates is
//! compiled by `hostile_crates.rs`.
//!
//! Writing: whatever is in the output directory beforehand (hand-written files,
//! directories, lookalikes of the generated header, owned files), a write either
//! succeeds without losing any user file or directory, or refuses and changes nothing.
//!
//! Case counts: `PROPTEST_CASES` (proptest's default, 256, otherwise).

mod hostile_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hostile_support::{docs, specs};
use proptest::prelude::*;

fn generate(spec: &serde_json::Value) -> (Option<apigen::Result<apigen::Generated>>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.json");
    let text = serde_json::to_string_pretty(spec).unwrap();
    std::fs::write(&path, &text).unwrap();
    let mut config = apigen::Config::for_spec(&path, &dir.path().join("out"));
    config.crate_name = Some("fuzz".into());
    let result = std::panic::catch_unwind(|| apigen::generate(&config)).ok();
    (result, text)
}

proptest! {
    #[test]
    fn generation_never_aborts_and_spec_text_never_becomes_a_doctest(spec in specs::spec()) {
        let (result, text) = generate(&spec);
        let Some(result) = result else {
            return Err(TestCaseError::fail(format!("apigen panicked on:\n{text}")));
        };
        match result {
            Ok(generated) => {
                let found = docs::doctest_candidates_in(
                    generated.files.iter().map(|f| (f.path.as_path(), f.text.as_str())),
                );
                prop_assert!(found.is_empty(), "doc blocks rustdoc could run: {found:#?}\nin the crate of:\n{text}");
                for fallback in &generated.report {
                    prop_assert!(fallback.pointer.starts_with('#'), "{fallback:?}");
                }
            }
            Err(apigen::Error::Spec { pointer, message, .. }) => {
                prop_assert!(pointer.starts_with('#') && !message.is_empty(), "{pointer}: {message}");
                // These specs nest a few dozen levels at most: hitting the depth bound
                // means a recursion the lowering does not end.
                prop_assert!(!message.contains("nest more than"), "{pointer}: {message}\n{text}");
            }
            Err(apigen::Error::Syntax { line, column, .. }) => {
                prop_assert!(line > 0 && column > 0);
            }
            Err(other) => {
                return Err(TestCaseError::fail(format!("refused without a place: {other}\n{text}")));
            }
        }
    }
}

/// What can be at a path before a write.
#[derive(Debug, Clone)]
enum Existing {
    /// A hand-written file.
    User,
    /// A file with the generated header.
    Owned,
    /// A file whose first line merely mentions the marker.
    Lookalike,
    /// A directory holding a user file.
    Directory,
}

fn existing() -> impl Strategy<Value = Existing> {
    prop_oneof![
        Just(Existing::User),
        Just(Existing::Owned),
        Just(Existing::Lookalike),
        Just(Existing::Directory),
    ]
}

/// The files of the crate generated from `spec/`, once.
fn seed_files() -> &'static [apigen::RenderedFile] {
    static FILES: std::sync::OnceLock<Vec<apigen::RenderedFile>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let spec = hostile_support::repo_root().join("spec/openapi.yaml");
        apigen::generate(&apigen::Config::for_spec(&spec, Path::new("out")))
            .expect("the fragment generates")
            .files
    })
}

/// Paths worth putting something at: generated files, their directories, and others.
fn candidate_paths() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in seed_files() {
        let mut p = f.path.clone();
        out.push(p.clone());
        while p.pop() && !p.as_os_str().is_empty() {
            out.push(p.clone());
        }
    }
    for other in [
        "notes.md",
        "src/old.rs",
        "src/zero_trust/old.rs",
        "examples/x.rs",
        "src/.hidden/x.rs",
    ] {
        out.push(PathBuf::from(other));
    }
    out.sort();
    out.dedup();
    out
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            if p.is_dir() {
                out.insert(rel, None);
                todo.push(p);
            } else {
                out.insert(rel, Some(std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn writes_never_lose_user_files(
        setup in proptest::collection::vec((any::<prop::sample::Index>(), existing()), 0..6),
        force in any::<bool>(),
    ) {
        let candidates = candidate_paths();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        for (index, kind) in &setup {
            let rel = index.get(&candidates);
            let path = dir.join(rel);
            // Skip what cannot be made (something already in the way).
            if path.exists() || path.ancestors().skip(1).any(|a| a.is_file()) {
                continue;
            }
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            match kind {
                Existing::User => std::fs::write(&path, "hand-written\n").unwrap(),
                Existing::Owned => std::fs::write(&path, "// @generated by apigen. Do not edit.\nold\n").unwrap(),
                Existing::Lookalike => std::fs::write(&path, "// NOT @generated by apigen\n").unwrap(),
                Existing::Directory => {
                    std::fs::create_dir_all(&path).unwrap();
                    std::fs::write(path.join("keep.txt"), "mine\n").unwrap();
                }
            }
        }
        let before = snapshot(&dir);
        let files = seed_files();
        let generated: Vec<&PathBuf> = files.iter().map(|f| &f.path).collect();
        let needed_dirs: Vec<PathBuf> = generated
            .iter()
            .flat_map(|p| p.ancestors().skip(1).map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let header: &[u8] = b"// @generated by apigen.";
        let is_user_file = |content: &Option<Vec<u8>>| {
            content.as_ref().is_some_and(|c| !c.starts_with(header))
        };
        let result = apigen::write::write_with(&dir, files, &apigen::write::WriteOptions { force });
        let after = snapshot(&dir);
        // A directory at a generated file path always refuses; a file where a directory
        // is needed, or a user file at a generated path, refuses unless forced.
        let dir_conflict = generated.iter().any(|p| before.get(*p).is_some_and(Option::is_none));
        let file_conflict = before.iter().any(|(rel, content)| {
            (needed_dirs.contains(rel) && content.is_some())
                || (generated.contains(&rel) && is_user_file(content))
        });
        prop_assert_eq!(result.is_err(), dir_conflict || (file_conflict && !force), "{:?}", result);
        if result.is_err() {
            prop_assert_eq!(&after, &before, "a refused write changes nothing");
            return Ok(());
        }
        for f in files {
            let text = after.get(&f.path).cloned().flatten();
            prop_assert_eq!(text.as_deref(), Some(f.text.as_bytes()));
        }
        for (rel, content) in &before {
            match content {
                // Directories are never removed.
                None => prop_assert!(after.get(rel).is_some_and(Option::is_none), "{rel:?} removed"),
                // User files are kept, unless forced at a generated path.
                Some(_) if is_user_file(content) => {
                    let replaced = force && (generated.contains(&rel) || needed_dirs.contains(rel));
                    prop_assert!(replaced || after.get(rel) == Some(content), "{rel:?} lost");
                }
                Some(_) => {}
            }
        }
    }
}
