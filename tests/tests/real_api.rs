//! Everyday jobs against the client generated from the whole 2026-08 Cloudflare spec (a
//! selection of its resources, so the build stays small): the jobs in
//! `tests/fixtures/real_api/` are copied into the generated crate and run there, against a
//! local server that records every request.
//!
//! Slow (builds a separate crate), so `#[ignore]`d in the default run; `./test.sh` runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The resources the jobs use.
const RESOURCES: &[&str] = &["dns.records", "zones", "user", "workers.scripts"];

#[test]
#[ignore = "builds a separate crate: run by ./test.sh"]
fn everyday_jobs_work_against_the_whole_api_client() {
    let spec = repo_root().join("tests/specs/cloudflare-2026-08.json.gz");
    let dir = tempfile::Builder::new()
        .prefix("apigen-real-api-")
        .tempdir()
        .unwrap();
    let mut config = apigen::Config::for_spec(&spec, dir.path());
    config.crate_name = Some("cloudflare".into());
    config.only = RESOURCES
        .iter()
        .map(|s| apigen::cut::Selector::parse(s))
        .collect();
    let settings = apigen::Settings::beside(&spec).expect("tests/specs/apigen.toml");
    config.settings = apigen::Settings::from_file(&settings).expect("the settings read");
    let generated = apigen::generate(&config).expect("the selection generates");
    apigen::write::write(dir.path(), &generated.files).unwrap();

    let manifest = dir.path().join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap();
    toml.push_str(
        "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    std::fs::write(&manifest, toml).unwrap();
    let tests = dir.path().join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    let fixtures = repo_root().join("tests/fixtures/real_api");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tests.join(path.file_name().unwrap())).unwrap();
    }
    // `server.rs` is a module of the jobs, not a test of its own.
    std::fs::create_dir_all(tests.join("server")).unwrap();
    std::fs::rename(tests.join("server.rs"), tests.join("server/mod.rs")).unwrap();

    let out = Command::new(env!("CARGO"))
        .args(["test", "--quiet"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", repo_root().join("target/whole-spec"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the jobs failed:\n{stdout}\n{stderr}");
    eprintln!("{stdout}");
}
