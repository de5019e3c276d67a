//! Exit 0 means the crate compiles (issue 12): every hostile fixture expected to
//! generate (`tests/fixtures/hostile/cases.json`, `"compiles": true`) and a fixed,
//! deterministic sample of the fuzz's specs (`hostile_support::specs`) are generated
//! into one Cargo workspace and built at once, warnings denied. Then the hostile-docs
//! crate's doctests run: there must be none (its spec text is written to become some),
//! and its docs build with rustdoc's warnings denied.
//!
//! Slow (crates to build), so `#[ignore]`d; `./test.sh` runs it.

mod hostile_support;

use hostile_support::{errors, repo_root, specs, Workspace};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// How many fuzz specs are compiled (each is a crate with its own copy of the runtime);
/// `APIGEN_FUZZ_CRATES` compiles more (the first ones are always the same).
const FUZZ_CRATES: usize = 16;

#[test]
#[ignore = "builds many generated crates: run by ./test.sh"]
fn every_generated_fixture_and_fuzz_crate_compiles_and_runs_no_spec_text() {
    let fixtures = repo_root().join("tests/fixtures/hostile");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures.join("cases.json")).unwrap())
            .unwrap();
    let mut workspace = Workspace::new();
    let mut doctest_crates = Vec::new();
    for case in manifest["cases"].as_array().unwrap() {
        if case["compiles"] != serde_json::Value::Bool(true) {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let args: Vec<&str> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let spec = args[args.iter().position(|a| *a == "--spec").unwrap() + 1]
            .replace("{fixtures}", fixtures.to_str().unwrap());
        workspace
            .add(name, spec.as_ref())
            .unwrap_or_else(|e| panic!("{name} generates: {e}"));
        if let Some(n) = case["doctests"].as_u64() {
            doctest_crates.push((name.to_string(), n));
        }
    }
    let fixture_crates = workspace.members.len();
    assert!(fixture_crates >= 10, "{fixture_crates} fixture crates");

    // The fuzz's specs, drawn deterministically so a failure reproduces.
    let mut runner = TestRunner::deterministic();
    let strategy = specs::spec();
    // Kept with the crates, for a failure to be looked into.
    let specs_dir = workspace.dir.join("specs");
    std::fs::create_dir_all(&specs_dir).unwrap();
    let mut refused = 0;
    let fuzz_crates = std::env::var("APIGEN_FUZZ_CRATES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(FUZZ_CRATES);
    for i in 0..fuzz_crates {
        let spec = strategy.new_tree(&mut runner).unwrap().current();
        let path = specs_dir.join(format!("fuzz-{i}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
        if workspace.add(&format!("fuzz-{i}"), &path).is_err() {
            refused += 1;
        }
    }
    eprintln!(
        "{fixture_crates} fixture crates, {} fuzz crates ({refused} fuzz specs refused, with a message)",
        workspace.members.len() - fixture_crates
    );

    let (ok, _, stderr) = workspace.cargo(&["build", "--quiet", "--workspace", "--keep-going"]);
    assert!(
        ok,
        "a generated crate does not compile (crates and fuzz specs in {}):\n{}",
        workspace.dir.display(),
        errors(&stderr)
    );

    for (name, expected) in doctest_crates {
        let (ok, stdout, stderr) = workspace.cargo(&["test", "--doc", "-p", &name]);
        assert!(ok, "cargo test --doc -p {name}:\n{stdout}\n{stderr}");
        let ran: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("running "))
            .collect();
        assert_eq!(
            ran,
            [format!("running {expected} tests").as_str()],
            "{name}: doctests:\n{stdout}"
        );
        assert!(
            stderr.contains(&format!("Doc-tests {}", name.replace('-', "_"))),
            "rustdoc ran on {name}:\n{stderr}"
        );
        let (ok, _, stderr) = workspace.cargo(&["doc", "--quiet", "--no-deps", "-p", &name]);
        assert!(
            ok,
            "{name}: rustdoc warns about spec text:\n{}",
            errors(&stderr)
        );
    }
}
