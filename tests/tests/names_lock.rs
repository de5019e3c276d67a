//! The names lock across a real spec update: two consecutive Cloudflare snapshots
//! (2024-02-01 → 2024-03-01, cut to `accounts.access.apps` and
//! `radar.attacks.layer3.summary.bitrate`; see `tests/specs/README.md`). The
//! update renames the `3sYrmmvX_*` components to `access_*` and inserts a query
//! parameter before others, which moves every later parameter's JSON pointer.
//!
//! The old snapshot is generated afresh, the new one with the old crate's
//! `apigen.lock`, as a maintainer regenerating does. Then every old type name
//! must still name a type in the new crate (held, or a `#[deprecated]` alias),
//! except those `apigen diff --lock` reports as breaking renames; and code
//! naming every old type compiles against the new crate (`#[ignore]`d: a crate
//! build; `./test.sh` runs it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::NameLock;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn snapshot(date: &str) -> PathBuf {
    repo_root().join(format!("tests/specs/history/cloudflare-{date}.cut.json.gz"))
}

/// Generates `spec` into `out` as `apigen generate --spec SPEC --out OUT` does (reading
/// `OUT/apigen.lock` if there is one), and returns the lock it wrote.
fn generate(spec: &Path, out: &Path) -> NameLock {
    let config = apigen::Config::for_spec(spec, out)
        .with_lock_in(out)
        .expect("the lock reads");
    let generated = apigen::generate(&config).expect("the snapshot generates");
    apigen::write::write(out, &generated.files).expect("the crate writes");
    NameLock::read(&out.join(apigen::lock::FILE_NAME))
        .expect("the lock reads")
        .expect("generate writes a lock")
}

struct Update {
    _dir: tempfile::TempDir,
    old: NameLock,
    new: NameLock,
    new_crate: PathBuf,
}

fn regenerate() -> Update {
    let dir = tempfile::Builder::new()
        .prefix("apigen-names-lock-")
        .tempdir()
        .unwrap();
    let (old_crate, new_crate) = (dir.path().join("old"), dir.path().join("new"));
    let old = generate(&snapshot("2024-02-01"), &old_crate);
    std::fs::create_dir_all(&new_crate).unwrap();
    std::fs::copy(
        old_crate.join(apigen::lock::FILE_NAME),
        new_crate.join(apigen::lock::FILE_NAME),
    )
    .unwrap();
    let new = generate(&snapshot("2024-03-01"), &new_crate);
    Update {
        _dir: dir,
        old,
        new,
        new_crate,
    }
}

#[test]
fn old_names_are_held_or_aliased_unless_the_diff_says_they_break() {
    let update = regenerate();
    let (old, new) = (&update.old, &update.new);
    assert!(old.aliases.is_empty());

    // Renamed components keep their old names as aliases of the new types.
    assert_eq!(
        new.aliases.get("types::V3sYrmmvXApps").map(String::as_str),
        Some("types::AccessApps")
    );
    assert!(
        new.aliases.len() >= 40,
        "most of the 52 renamed types are aliased: {:?}",
        new.aliases
    );
    for target in new.aliases.values() {
        assert!(new.types.contains_key(target), "{target} is generated");
    }
    // The inserted parameter moved the later ones' pointers; their types keep their names.
    let format = "radar::attacks::layer3::summary::bitrate::BitrateListFormat";
    assert_ne!(old.types[format].from, new.types[format].from);
    assert!(
        new.types.keys().all(|p| !p.ends_with("Format2")),
        "{:?}",
        new.types.keys()
    );

    // What is neither held nor aliased is exactly what `apigen diff --lock` calls a
    // breaking rename.
    let lost: BTreeSet<&str> = old
        .types
        .keys()
        .filter(|p| !new.types.contains_key(*p) && !new.aliases.contains_key(*p))
        .map(String::as_str)
        .collect();
    let report = apigen::diff::diff_files(
        &snapshot("2024-02-01"),
        &snapshot("2024-03-01"),
        &[],
        Some(old),
    )
    .expect("the snapshots compare");
    let rules = |rule: &str| -> BTreeSet<String> {
        report
            .changes
            .iter()
            .filter(|c| c.rule.id() == rule)
            .filter_map(|c| c.old.clone())
            .collect()
    };
    assert!(rules("type-renamed-by-naming").is_empty());
    let breaking_renames = rules("type-renamed-by-spec");
    assert!(!breaking_renames.is_empty());
    for renamed in &breaking_renames {
        assert!(
            lost.contains(renamed.as_str()),
            "{renamed} was reported renamed but kept"
        );
    }
    let aliased = rules("type-renamed-with-alias");
    for a in &aliased {
        assert!(new.aliases.contains_key(a), "{a}");
    }
    // Any other lost name belongs to a type the update replaced (not renamed): the diff
    // reports a breaking change naming it.
    for path in lost.iter().filter(|p| !breaking_renames.contains(**p)) {
        assert!(
            report
                .changes
                .iter()
                .any(|c| c.level == apigen::diff::Level::Breaking
                    && c.old.as_deref().is_some_and(|o| o.contains(path))),
            "{path} is lost without a breaking change naming it"
        );
    }
}

#[test]
#[ignore = "builds the regenerated crate; ./test.sh runs it"]
fn code_naming_the_old_types_compiles_against_the_regenerated_crate() {
    let update = regenerate();
    let (old, new) = (&update.old, &update.new);
    let kept: Vec<&String> = old
        .types
        .keys()
        .filter(|p| new.types.contains_key(*p) || new.aliases.contains_key(*p))
        .collect();
    let mut code = String::from(
        "//! Names every type of the crate generated from the previous snapshot.\n\n#[test]\nfn old_names_still_name_types() {\n",
    );
    for path in &kept {
        code.push_str(&format!("    let _: Option<cloudflare::{path}> = None;\n"));
    }
    code.push_str("}\n");
    let tests = update.new_crate.join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    std::fs::write(tests.join("old_names.rs"), code).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--test", "old_names"])
        .current_dir(&update.new_crate)
        .env("CARGO_TARGET_DIR", repo_root().join("target/whole-spec"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "code naming the old types does not compile:\n{stderr}"
    );
    // Each old name that is now an alias says so where it is used.
    let warnings = stderr.matches("use of deprecated type alias").count();
    assert_eq!(warnings, new.aliases.len(), "{stderr}");
}
