//! Building and testing a generated crate outside the workspace: a test file
//! from `tests/crate_tests/` runs inside it, with the runtime tests' local HTTP
//! server (`runtime_support/mod.rs`) as its `support` module.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Runs `cargo test --test NAME` in the generated crate at `dir`, with
/// `test_source` as that test. The crate and the test must build without
/// warnings (`-D warnings`) and pass. The target directory is shared by every
/// generated crate, so dependencies build once.
pub fn run_crate_test(dir: &Path, name: &str, test_source: &str) {
    let manifest = dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("manifest");
    if !toml.contains("[dev-dependencies]") {
        toml.push_str(
            "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\", \"time\"] }\n",
        );
        std::fs::write(&manifest, toml).expect("manifest written");
    }
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::write(
        dir.join("tests/support.rs"),
        include_str!("../runtime_support/mod.rs"),
    )
    .expect("support written");
    std::fs::write(dir.join(format!("tests/{name}.rs")), test_source).expect("test written");
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--test", name])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo_root().join("target/whole-spec"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "cargo test --test {name}: {:.1?}\n{stdout}",
        started.elapsed()
    );
    assert!(
        out.status.success(),
        "cargo test in the generated crate failed:\n{stdout}\n{stderr}"
    );
}
