//! Shared by the hostile-spec tests: building many generated crates at once, and the
//! structural spec generator of the fuzz.
#![allow(dead_code)]

pub mod docs;
pub mod specs;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Generated crates gathered into one Cargo workspace, so one `cargo build` compiles
/// them all (in parallel, sharing the dependencies' builds). It lives at a fixed place,
/// `target/hostile-crates` (emptied first), so the crates' build artifacts replace those
/// of the last run instead of piling up under new package ids.
pub struct Workspace {
    pub dir: PathBuf,
    pub members: Vec<String>,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = repo_root().join("target/hostile-crates");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("workspace directory");
        Workspace {
            dir,
            members: Vec::new(),
        }
    }

    /// Generates `spec` as package `name` into the workspace; returns the generation
    /// (`Err` when apigen refuses the spec).
    pub fn add(&mut self, name: &str, spec: &Path) -> apigen::Result<apigen::Generated> {
        let dir = self.dir.join(name);
        let mut config = apigen::Config::for_spec(spec, &dir);
        config.crate_name = Some(name.to_string());
        let generated = apigen::generate(&config)?;
        apigen::write::write(&dir, &generated.files)?;
        self.members.push(name.to_string());
        Ok(generated)
    }

    /// `cargo ARGS` in the workspace with warnings denied and the target directory the
    /// other generated-crate tests share; returns success, stdout and stderr.
    pub fn cargo(&self, args: &[&str]) -> (bool, String, String) {
        let members: Vec<String> = self.members.iter().map(|m| format!("{m:?}")).collect();
        std::fs::write(
            self.dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
                members.join(", ")
            ),
        )
        .expect("workspace manifest");
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", repo_root().join("target/whole-spec"))
            // Built once: incremental state would only take disk space.
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        eprintln!(
            "cargo {args:?} on {} crates: {:.1?}",
            self.members.len(),
            started.elapsed()
        );
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// The first compiler errors of a cargo run, for a failure message.
pub fn errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.contains("-->"))
        .take(40)
        .collect::<Vec<_>>()
        .join("\n")
}
