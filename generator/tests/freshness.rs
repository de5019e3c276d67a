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
