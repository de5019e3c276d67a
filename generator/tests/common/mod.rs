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
        .with_lock_in(&repo_root().join(apigen::DEFAULT_OUT))
        .expect("generated/apigen.lock reads")
}

/// Generates the checked-in client in memory.
pub fn generate_default() -> apigen::Generated {
    apigen::generate(&default_job()).expect("spec/openapi.yaml generates")
}
