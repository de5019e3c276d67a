//! Whole real specs (vendored under `tests/specs/`): the Cloudflare API (3.0, two
//! versions), Discord's (3.1) and GitHub's (3.0). Every operation is generated,
//! every fallback is reported with its JSON pointer, and the crate compiles
//! without warnings; Discord's crate also runs wire tests against a local server
//! (`tests/crate_tests/discord.rs`).
//!
//! Slow (minutes, several GB of memory for rustc), so `#[ignore]`d in the default
//! run; `./test.sh` (and so CI) runs them with `--ignored`.

mod crate_harness;
#[path = "../../generator/tests/common/to31.rs"]
mod to31;

use std::path::Path;
use std::process::Command;

use crate_harness::repo_root;

/// Counts the operations in a spec independently of the generator.
fn count_operations(spec: &Path) -> usize {
    let text = apigen::parse::read_spec_text(spec).expect("spec readable");
    let tree: serde_json::Value = serde_json::from_str(&text).expect("spec is JSON");
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    tree["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

struct Crate {
    dir: tempfile::TempDir,
}

/// Generates a crate from a vendored spec into a directory outside the workspace.
fn generate(spec_name: &str, expected_operations: usize) -> (Crate, apigen::Generated) {
    generate_named(spec_name, expected_operations, Some("cloudflare"))
}

/// Like [`generate`]; `None` derives the crate name from `info.title`.
fn generate_named(
    spec_name: &str,
    expected_operations: usize,
    crate_name: Option<&str>,
) -> (Crate, apigen::Generated) {
    let spec = repo_root().join("tests/specs").join(spec_name);
    assert_eq!(
        count_operations(&spec),
        expected_operations,
        "the vendored spec is the expected one"
    );
    let dir = tempfile::Builder::new()
        .prefix("apigen-whole-spec-")
        .tempdir()
        .expect("temp dir");
    let mut config = apigen::Config::for_spec(&spec, dir.path());
    config.crate_name = crate_name.map(str::to_string);
    // The settings beside the specs (the SDKs' environment variable names for
    // Cloudflare), as `apigen generate` reads them.
    let config = config
        .with_settings_beside_spec()
        .expect("tests/specs/apigen.toml reads");
    let generated = apigen::generate(&config).expect("the whole spec generates");
    assert_eq!(
        generated.operations, expected_operations,
        "no operation skipped"
    );
    apigen::write::write(dir.path(), &generated.files).expect("written");
    (Crate { dir }, generated)
}

/// `cargo check` with a target directory shared between runs, so dependencies build once.
fn cargo_check(krate: &Crate, args: &[&str]) -> (bool, String) {
    let target = repo_root().join("target/whole-spec");
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO"))
        .arg("check")
        .arg("--quiet")
        .arg("--message-format=short")
        .args(args)
        .current_dir(krate.dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let errors = stderr.lines().filter(|l| l.contains(": error")).count();
    let warnings = stderr.lines().filter(|l| l.contains(": warning")).count();
    eprintln!(
        "cargo check {args:?}: {:.1?}, {errors} errors, {warnings} warnings",
        started.elapsed()
    );
    (out.status.success(), stderr)
}

fn excerpt(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.contains(": error"))
        .take(30)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "slow: run by ./test.sh"]
fn cloudflare_2026_08_generates_every_operation_and_compiles() {
    let (krate, generated) = generate("cloudflare-2026-08.json.gz", 3207);
    for fallback in &generated.report {
        assert!(
            fallback.pointer.starts_with("#/"),
            "every fallback names its JSON pointer: {fallback:?}"
        );
        assert!(!fallback.reason.is_empty());
    }
    eprintln!(
        "{} operations, {} fallbacks",
        generated.operations,
        generated.report.len()
    );
    let (ok, stderr) = cargo_check(&krate, &["--no-default-features", "--features", "user"]);
    assert!(ok, "a one-resource build compiles:\n{}", excerpt(&stderr));
    let (ok, stderr) = cargo_check(&krate, &[]);
    assert!(ok, "the whole crate compiles:\n{}", excerpt(&stderr));
    assert!(
        !stderr.contains(": warning"),
        "the whole crate compiles without warnings:\n{stderr}"
    );
}

#[test]
#[ignore = "slow: run by ./test.sh"]
fn cloudflare_2024_01_generates_every_operation_and_compiles() {
    let (krate, generated) = generate("cloudflare-2024-01.json.gz", 1400);
    eprintln!(
        "{} operations, {} fallbacks",
        generated.operations,
        generated.report.len()
    );
    let (ok, stderr) = cargo_check(&krate, &[]);
    assert!(ok, "the whole crate compiles:\n{}", excerpt(&stderr));
    assert!(
        !stderr.contains(": warning"),
        "the whole crate compiles without warnings:\n{stderr}"
    );
}

fn assert_report_has_pointers(generated: &apigen::Generated) {
    for fallback in &generated.report {
        assert!(
            fallback.pointer.starts_with("#/"),
            "every fallback names its JSON pointer: {fallback:?}"
        );
        assert!(!fallback.reason.is_empty());
    }
}

#[test]
#[ignore = "slow: run by ./test.sh"]
fn discord_3_1_generates_every_operation_compiles_and_talks_to_a_local_server() {
    // No crate name given: it comes from `info.title` ("Discord HTTP API (Preview)"),
    // and the environment variables and user agent from it.
    let (krate, generated) = generate_named("discord-2026-07.json.gz", 242, None);
    assert_report_has_pointers(&generated);
    eprintln!(
        "{} operations, {} fallbacks",
        generated.operations,
        generated.report.len()
    );
    let lib = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("src/lib.rs"))
        .expect("lib.rs");
    assert!(lib.text.contains("base_url_env: \"DISCORD_BASE_URL\""));
    assert!(lib.text.contains("user_agent: \"discord-rust/0.1.0\""));
    assert!(lib.text.contains("env_var: Some(\"DISCORD_BOT_TOKEN\")"));
    // Discord has no `{success, result}` envelope: no method unwraps one.
    let envelopes = generated
        .files
        .iter()
        .filter(|f| f.text.contains(".envelope()"))
        .count();
    assert_eq!(envelopes, 0, "no envelope where the spec declares none");
    let (ok, stderr) = cargo_check(&krate, &[]);
    assert!(ok, "the whole crate compiles:\n{}", excerpt(&stderr));
    assert!(
        !stderr.contains(": warning"),
        "the whole crate compiles without warnings:\n{stderr}"
    );
    crate_harness::run_crate_test(
        krate.dir.path(),
        "wire",
        include_str!("../crate_tests/discord.rs"),
    );
}

#[test]
#[ignore = "slow: run by ./test.sh"]
fn github_generates_every_operation_and_compiles() {
    let (krate, generated) = generate_named("github-octokit-23.0.2.json.gz", 1223, Some("github"));
    assert_report_has_pointers(&generated);
    eprintln!(
        "{} operations, {} fallbacks",
        generated.operations,
        generated.report.len()
    );
    let (ok, stderr) = cargo_check(&krate, &["--no-default-features", "--features", "repos"]);
    assert!(ok, "a one-resource build compiles:\n{}", excerpt(&stderr));
    let (ok, stderr) = cargo_check(&krate, &[]);
    assert!(ok, "the whole crate compiles:\n{}", excerpt(&stderr));
    assert!(
        !stderr.contains(": warning"),
        "the whole crate compiles without warnings:\n{stderr}"
    );
}

/// The whole 2026-08 Cloudflare document rewritten in OpenAPI 3.1's spelling
/// (`type: [T, "null"]`, numeric exclusive bounds, `const`, `examples`, ...)
/// generates byte-identical files and the same report as the 3.0 original.
#[test]
#[ignore = "slow: run by ./test.sh"]
fn cloudflare_2026_08_in_3_1_spelling_generates_the_same_crate() {
    let spec = repo_root().join("tests/specs/cloudflare-2026-08.json.gz");
    let text = apigen::parse::read_spec_text(&spec).expect("spec readable");
    let mut tree: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    drop(text);
    to31::to_31(&mut tree);
    let translated = serde_json::to_string(&tree).expect("serializes");
    drop(tree);
    let mut config = apigen::Config::for_spec(&spec, Path::new("out"));
    config.crate_name = Some("cloudflare".into());
    let v31 = {
        let parsed =
            apigen::parse::parse_str(&translated, Path::new("v31.json")).expect("3.1 parses");
        drop(translated);
        apigen::generate_from(&parsed, &config).expect("3.1 generates")
    };
    let v30 = apigen::generate(&config).expect("3.0 generates");
    assert_eq!(v30.operations, v31.operations);
    assert_eq!(v30.report, v31.report, "the same report");
    assert_eq!(v30.files.len(), v31.files.len());
    let differing: Vec<String> = v30
        .files
        .iter()
        .zip(&v31.files)
        .filter(|(a, b)| a.path != b.path || a.text != b.text)
        .map(|(a, _)| a.path.display().to_string())
        .collect();
    assert!(
        differing.is_empty(),
        "files differ between 3.0 and 3.1: {differing:?}"
    );
}
