//! Shared helpers for the generator's tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

/// The job `apigen` runs with no arguments, with paths anchored at the repository root.
pub fn default_job() -> apigen::Config {
    let mut config = apigen::Config::default_job();
    config.spec = repo_root().join(apigen::DEFAULT_SPEC);
    config
        .with_settings_beside_spec()
        .expect("spec/apigen.toml reads")
}

/// Generates the checked-in client in memory.
pub fn generate_default() -> apigen::Generated {
    apigen::generate(&default_job()).expect("spec/openapi.yaml generates")
}

/// Runs the `apigen` binary.
pub fn run_apigen(args: &[&str], cwd: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("apigen runs")
}

/// Every file and directory under `dir`, with file contents, sorted.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.push((rel, None));
                todo.push(p);
            } else if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.push((rel, Some(target.to_string_lossy().as_bytes().to_vec())));
            } else {
                out.push((rel, Some(std::fs::read(&p).unwrap())));
            }
        }
    }
    out.sort();
    out
}
