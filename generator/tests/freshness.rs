//! `generated/` must be exactly what the generator produces from `spec/` now.

mod common;

#[test]
fn generated_crate_is_fresh() {
    let generated = common::generate_default();
    let out = common::repo_root().join(apigen::DEFAULT_OUT);
    let staleness = apigen::write::check(&out, &generated.files).expect("generated/ is readable");
    assert!(
        staleness.is_fresh(),
        "generated/ is stale; run `{}` from the repository root and commit the result.\n{}\nstale files: {:?}",
        apigen::DEFAULT_COMMAND,
        staleness.diffs.join("\n"),
        staleness.stale,
    );
}

/// The lines of a manifest's `[dependencies]` table, without comments.
fn dependency_lines(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_build_rs_example_lists_the_runtime_dependencies() {
    // A build.rs user with the runtime vendored declares what the runtime
    // crate declares; runtime/Cargo.toml is the one list.
    let path = common::repo_root().join("tests/downstream/Cargo.toml");
    let manifest = std::fs::read_to_string(&path).expect("tests/downstream/Cargo.toml");
    let expected = apigen::emit::runtime_dependency_table(&apigen::Runtime::Vendored);
    assert_eq!(
        dependency_lines(&manifest),
        dependency_lines(&format!("[dependencies]\n{expected}")),
        "copy the [dependencies] of runtime/Cargo.toml into {}",
        path.display()
    );
}
