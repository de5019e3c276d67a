//! The library API for `build.rs`, in the style of `prost-build`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), apigen::Error> {
//!     apigen::Builder::new()
//!         .spec("openapi.yaml")
//!         .only(["user.edit"])
//!         .generate_to_out_dir("cloudflare.rs")?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod cloudflare {
//!     include!(concat!(env!("OUT_DIR"), "/cloudflare.rs"));
//! }
//! ```
//!
//! With the runtime vendored (the default), the included file carries the
//! runtime's source, and the including crate needs the runtime's
//! dependencies: the `[dependencies]` of `runtime/Cargo.toml` (`reqwest`,
//! `tokio`, `serde`, ...), which `apigen::emit::runtime_dependency_table`
//! returns. With [`Builder::runtime`] set to a [`Runtime::Path`] or
//! [`Runtime::Version`], the file uses the `apigen-runtime` crate instead,
//! and the including crate needs only it and the three crates the generated
//! types name (`serde` with `derive`, `serde_json`, `chrono` with `serde`).

use std::path::{Path, PathBuf};

use crate::cut::Selector;
use crate::emit::Runtime;
use crate::error::{Error, Result};
use crate::settings::Settings;

/// Configures and runs a generation into a single Rust file.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    spec: Option<PathBuf>,
    only: Vec<Selector>,
    module_path: Option<String>,
    runtime: Runtime,
    config: Option<PathBuf>,
    settings: Option<Settings>,
}

impl Builder {
    /// A builder with nothing set; [`Builder::spec`] is required.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// The OpenAPI 3.0 document (YAML, JSON, or either gzip-compressed).
    /// Relative paths are relative to the current directory (the package root in `build.rs`).
    pub fn spec(mut self, path: impl AsRef<Path>) -> Builder {
        self.spec = Some(path.as_ref().to_path_buf());
        self
    }

    /// Generate only these operations: SDK names (`user.edit`), resources
    /// (`zero_trust.access`), operationIds or `METHOD /path`.
    pub fn only<I, S>(mut self, selectors: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.only = selectors
            .into_iter()
            .map(|s| Selector::parse(s.as_ref()))
            .collect();
        self
    }

    /// The module path the generated file is `include!`d at, as seen from the
    /// crate root (`crate::cloudflare`). Defaults to `crate::<file stem>`.
    pub fn module_path(mut self, path: impl Into<String>) -> Builder {
        self.module_path = Some(path.into());
        self
    }

    /// Where the generated code gets its runtime: [`Runtime::Vendored`] (the
    /// default) inlines it as `mod runtime { .. }`; any other choice makes the
    /// file use `::apigen_runtime` (the path or version is for your
    /// Cargo.toml, where you declare the `apigen-runtime` dependency).
    pub fn runtime(mut self, runtime: Runtime) -> Builder {
        self.runtime = runtime;
        self
    }

    /// Read the maintainer's settings from this `apigen.toml` (see [`crate::settings`]);
    /// cargo reruns the build when it changes. Without it, an `apigen.toml` beside the spec
    /// is read if there is one.
    pub fn config(mut self, path: impl AsRef<Path>) -> Builder {
        self.config = Some(path.as_ref().to_path_buf());
        self
    }

    /// Use these settings instead of reading a file.
    pub fn settings(mut self, settings: Settings) -> Builder {
        self.settings = Some(settings);
        self
    }

    /// The settings file read, if any.
    fn config_path(&self) -> Option<PathBuf> {
        if self.settings.is_some() {
            return None;
        }
        self.config
            .clone()
            .or_else(|| self.spec.as_deref().and_then(Settings::beside))
    }

    fn spec_path(&self) -> Result<&Path> {
        self.spec.as_deref().ok_or_else(|| {
            Error::Usage("apigen::Builder: no spec given; call .spec(\"openapi.yaml\")".into())
        })
    }

    /// Generates the client as the text of one Rust file, to be included at `module_path`.
    pub fn generate_to_string(&self, module_path: &str) -> Result<String> {
        let spec_path = self.spec_path()?;
        let config = crate::Config {
            spec: spec_path.to_path_buf(),
            crate_name: None,
            crate_version: "0.1.0".into(),
            command: "cargo build (build.rs)".into(),
            only: self.only.clone(),
            runtime: self.runtime.clone(),
            settings: match (&self.settings, self.config_path()) {
                (Some(settings), _) => settings.clone(),
                (None, Some(path)) => Settings::from_file(&path)?,
                (None, None) => Settings::default(),
            },
        };
        let spec = crate::load_spec(&config)?;
        crate::single_file(&spec, &config, module_path)
    }

    /// Generates into `path`, atomically (a temporary file renamed over it). An existing
    /// file there is only replaced if apigen wrote it (its first line is the generated header).
    pub fn generate_to_file(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
        let module_path = self
            .module_path
            .clone()
            .unwrap_or_else(|| format!("crate::{stem}"));
        let text = self.generate_to_string(&module_path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        crate::write::check_replaceable(path)?;
        let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
        std::io::Write::write_all(&mut temp, text.as_bytes()).map_err(|e| Error::io(path, e))?;
        temp.persist(path).map_err(|e| Error::io(path, e.error))?;
        Ok(())
    }

    /// For `build.rs`: generates `$OUT_DIR/<file_name>` and tells cargo to rerun
    /// when the spec changes. Returns the written path.
    pub fn generate_to_out_dir(&self, file_name: &str) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Usage(
                "apigen::Builder::generate_to_out_dir: OUT_DIR is not set (call it from build.rs)"
                    .into(),
            )
        })?;
        let spec = self.spec_path()?;
        println!("cargo:rerun-if-changed={}", spec.display());
        if let Some(config) = self.config_path() {
            println!("cargo:rerun-if-changed={}", config.display());
        }
        let path = PathBuf::from(out_dir).join(file_name);
        self.generate_to_file(&path)?;
        Ok(path)
    }
}
