//! `apigen`: OpenAPI 3.0 and 3.1 → typed, validated Rust API clients.
//!
//! The pipeline is spec → [`parse`] → [`ir`] → [`emit`] → [`format`] → [`write`];
//! [`Config`] and [`generate`] run it end to end.

mod builder;
pub mod cut;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod lock;
pub mod normalize;
pub mod parse;
pub mod settings;
mod stack;
mod wellformed;
pub mod write;

use std::path::{Path, PathBuf};

pub use builder::Builder;
pub use emit::Runtime;
pub use error::{Error, Result};
pub use format::RenderedFile;
pub use ir::Fallback;
pub use lock::NameLock;
pub use settings::Settings;
pub use stack::{with_large_stack, STACK_SIZE};

/// The spec `apigen` reads when run with no arguments.
pub const DEFAULT_SPEC: &str = "spec/openapi.yaml";
/// The directory `apigen` writes when run with no arguments.
pub const DEFAULT_OUT: &str = "generated";
/// The command that regenerates the checked-in client.
pub const DEFAULT_COMMAND: &str = "cargo run -p apigen";

/// One generation job.
#[derive(Debug, Clone)]
pub struct Config {
    /// The OpenAPI document (YAML or JSON).
    pub spec: PathBuf,
    /// Package name of the generated crate; derived from `info.title` when `None`.
    pub crate_name: Option<String>,
    /// Package version of the generated crate.
    pub crate_version: String,
    /// The command quoted in each file's "regenerate with" header.
    pub command: String,
    /// Generate only the operations these selectors name (all when empty); see [`cut`].
    pub only: Vec<cut::Selector>,
    /// Where the generated client gets its runtime from (vendored by default).
    pub runtime: Runtime,
    /// The maintainer's settings (`apigen.toml`).
    pub settings: Settings,
    /// The names lock of the previous generation: the names it holds are kept
    /// (see [`lock`]). The new lock is written with the crate unless the settings
    /// turn it off (`[names] lock = false`).
    pub lock: Option<NameLock>,
}

impl Config {
    /// The job `apigen` runs with no arguments: `spec/openapi.yaml` → `generated/`.
    pub fn default_job() -> Config {
        Config {
            spec: PathBuf::from(DEFAULT_SPEC),
            crate_name: Some("cloudflare".into()),
            crate_version: "0.1.0".into(),
            command: DEFAULT_COMMAND.into(),
            only: Vec::new(),
            runtime: Runtime::Vendored,
            settings: Settings::default(),
            lock: None,
        }
    }

    /// The same job holding the names of the lock in the output directory `out`
    /// (`out/apigen.lock`), if there is one and the settings use a lock.
    pub fn with_lock_in(mut self, out: &Path) -> Result<Config> {
        self.lock = if self.settings.names.lock {
            NameLock::read(&out.join(lock::FILE_NAME))?
        } else {
            None
        };
        Ok(self)
    }

    /// The same job with the settings of the `apigen.toml` beside its spec, if there is one.
    pub fn with_settings_beside_spec(mut self) -> Result<Config> {
        if let Some(path) = Settings::beside(&self.spec) {
            self.settings = Settings::from_file(&path)?;
        }
        Ok(self)
    }

    /// A job for any spec; the header names the `apigen generate` command.
    pub fn for_spec(spec: impl Into<PathBuf>, out: &Path) -> Config {
        let spec = spec.into();
        let command = format!(
            "apigen generate --spec {} --out {}",
            spec.display(),
            out.display()
        );
        Config {
            spec,
            crate_name: None,
            crate_version: "0.1.0".into(),
            command,
            only: Vec::new(),
            runtime: Runtime::Vendored,
            settings: Settings::default(),
            lock: None,
        }
    }

    /// The `--only` selection as the lock records it: sorted, each selector as written.
    pub fn selection(&self) -> Vec<String> {
        let mut selection: Vec<String> = self.only.iter().map(|s| s.to_string()).collect();
        selection.sort();
        selection.dedup();
        selection
    }
}

/// The result of a generation: the files to write and what was degraded.
#[derive(Debug)]
pub struct Generated {
    /// Every file of the crate, rendered.
    pub files: Vec<RenderedFile>,
    /// The generation report: every fallback with its JSON pointer.
    pub report: Vec<Fallback>,
    /// How each list operation pages, and the list-like ones that fit no style.
    pub pagination: PaginationReport,
    /// Number of operations generated.
    pub operations: usize,
}

/// The pagination part of the generation report (`--report`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PaginationReport {
    /// Paged operations per style (`page_array`, `cursor`, ...; every style listed).
    pub counts: std::collections::BTreeMap<&'static str, usize>,
    /// Every paged operation, by SDK name.
    pub operations: Vec<PagedOperation>,
    /// Operations that look like lists but fit no style, with the reason.
    pub unpaged_lists: Vec<ir::UnpagedList>,
}

/// One paged operation in the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PagedOperation {
    /// SDK name (`zones.list`).
    pub operation: String,
    /// `operationId`.
    pub operation_id: String,
    /// The style (`page_array`).
    pub style: &'static str,
    /// How it was chosen: `Detected`, `SpecExtension` or `Setting`.
    pub source: ir::PaginationSource,
    /// Where the items are (`result.items`).
    pub items: String,
    /// The parameter selecting the page, if any.
    pub page_param: Option<String>,
    /// Whether the spec declares that parameter.
    pub page_param_declared: bool,
    /// The page-size parameter, if declared.
    pub size_param: Option<String>,
    /// Where the next cursor is read (`result_info.cursors.after`).
    pub next_cursor: Option<String>,
    /// Where the number of pages is read.
    pub total_pages: Option<String>,
    /// Where the number of items is read.
    pub total_count: Option<String>,
}

impl PaginationReport {
    /// The report of an API's pagination.
    pub fn of(api: &ir::Api) -> PaginationReport {
        let dotted = |p: &Option<Vec<String>>| p.as_ref().map(|p| p.join("."));
        let mut counts: std::collections::BTreeMap<&'static str, usize> =
            ir::PageStyle::ALL.iter().map(|s| (s.name(), 0)).collect();
        let mut operations = Vec::new();
        for op in &api.operations {
            let Some(p) = &op.pagination else {
                continue;
            };
            *counts.entry(p.style.name()).or_default() += 1;
            operations.push(PagedOperation {
                operation: api.sdk_name(op),
                operation_id: op.id.clone(),
                style: p.style.name(),
                source: p.source,
                items: p.items.join("."),
                page_param: p.page_param.as_ref().map(|q| q.name.clone()),
                page_param_declared: p.page_param.as_ref().is_some_and(|q| q.declared),
                size_param: p.size_param.clone(),
                next_cursor: dotted(&p.next_cursor),
                total_pages: dotted(&p.total_pages),
                total_count: dotted(&p.total_count),
            });
        }
        operations.sort_by(|a, b| a.operation.cmp(&b.operation));
        PaginationReport {
            counts,
            operations,
            unpaged_lists: api.unpaged_lists.clone(),
        }
    }
}

/// Runs parse → IR → emit → format, in memory (on apigen's large-stack threads).
pub fn generate(config: &Config) -> Result<Generated> {
    with_large_stack(|| {
        let spec = load_spec(config)?;
        let (api, crate_name) = lower(&spec, config)?;
        // The parsed spec is as large as the IR; free it before emitting.
        drop(spec);
        emit_api(&api, crate_name, config)
    })?
}

/// Parses the configured spec, cut down to `config.only` when set.
pub fn load_spec(config: &Config) -> Result<openapiv3::OpenAPI> {
    if config.only.is_empty() {
        parse::parse_file(&config.spec)
    } else {
        let (tree, spec) = cut::read_tree(&config.spec)?;
        let tree = cut::cut(tree, &spec, &config.only, &config.spec)?;
        cut::into_spec(tree, &config.spec)
    }
}

/// The whole client as one Rust file, for `include!` at `module_path`.
pub fn single_file(
    spec: &openapiv3::OpenAPI,
    config: &Config,
    module_path: &str,
) -> Result<String> {
    single_file_with(spec, config, module_path, true)
}

/// [`single_file`], laid out by `prettyplease` or, with `formatted` false, written as the
/// token stream prints (the same Rust on long lines; see [`Builder::formatted`]).
pub fn single_file_with(
    spec: &openapiv3::OpenAPI,
    config: &Config,
    module_path: &str,
    formatted: bool,
) -> Result<String> {
    with_large_stack(|| single_file_here(spec, config, module_path, formatted))?
}

fn single_file_here(
    spec: &openapiv3::OpenAPI,
    config: &Config,
    module_path: &str,
    formatted: bool,
) -> Result<String> {
    let (api, crate_name) = lower(spec, config)?;
    let emit_options = emit_options(crate_name, config);
    let analysis = emit::Analysis::new(&api);
    let tokens = emit::emit_single_file(&api, &analysis, &emit_options, module_path)
        .map_err(Error::Usage)?;
    let file = emit::OutputFile {
        path: "generated.rs".into(),
        content: emit::FileContent::Rust(tokens),
    };
    let mut text = if formatted {
        format::render_included(file, &config.command)?
    } else {
        format::render_included_unformatted(file, &config.command)?
    };
    if config.runtime.is_vendored() {
        // The runtime documents itself with inner `//!` docs; an outer doc here would mix styles.
        text.push_str("\npub mod runtime {\n");
        text.push_str(&emit::inlined_runtime());
        text.push_str("}\n");
    }
    Ok(text)
}

/// Like [`generate`], from an already parsed spec.
pub fn generate_from(spec: &openapiv3::OpenAPI, config: &Config) -> Result<Generated> {
    with_large_stack(|| {
        let (api, crate_name) = lower(spec, config)?;
        emit_api(&api, crate_name, config)
    })?
}

fn lower(spec: &openapiv3::OpenAPI, config: &Config) -> Result<(ir::Api, String)> {
    if config.only.is_empty() {
        // (Under `--only`, a hooked component may simply be outside the selection.)
        let components = spec.components.iter().flat_map(|c| c.schemas.keys());
        config.settings.check_components(components)?;
    }
    let crate_name = config
        .crate_name
        .clone()
        .unwrap_or_else(|| crate_name_from_title(&spec.info.title));
    let env_prefix = crate_name.to_uppercase().replace('-', "_");
    let options = ir::BuildOptions {
        env_prefix,
        env_vars: config.settings.auth.env.clone(),
        lock: config.lock.clone(),
        selection: config.selection(),
        types: config.settings.types.clone(),
        pagination: config.settings.pagination.clone(),
        require_pagination_targets: config.only.is_empty(),
    };
    let api = ir::build(spec, &options).map_err(|e| Error::Spec {
        file: config.spec.clone(),
        pointer: e.pointer,
        message: e.message,
    })?;
    config
        .settings
        .check_pagination(&api.pagination_setting_errors)?;
    Ok((api, crate_name))
}

/// Crate names the generated crate cannot take: Rust keywords (the library target is
/// named after the package) and the crates of the standard distribution.
fn unusable_crate_name(name: &str) -> bool {
    let ident = name.replace('-', "_");
    ir::is_rust_keyword(&ident)
        || ["std", "core", "alloc", "proc_macro", "test"].contains(&ident.as_str())
}

/// Checks the package name and version the generated Cargo.toml will hold.
fn check_package(name: &str, version: &str) -> Result<()> {
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !unusable_crate_name(name);
    if !valid_name {
        return Err(Error::Usage(format!(
            "crate name {name:?} is not usable: a Cargo package name is ASCII letters, digits, `-` and `_`, starts with a letter, and is not a Rust keyword or a standard crate"
        )));
    }
    // MAJOR.MINOR.PATCH, then optional -pre and +build parts of [0-9A-Za-z.-].
    let (core, suffix) = version.split_at(version.find(['-', '+']).unwrap_or(version.len()));
    let numbers: Vec<&str> = core.split('.').collect();
    let valid_version = numbers.len() == 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && suffix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    if !valid_version {
        return Err(Error::Usage(format!(
            "crate version {version:?} is not a semantic version (like 0.1.0 or 1.2.3-beta.1)"
        )));
    }
    Ok(())
}

fn emit_options(crate_name: String, config: &Config) -> emit::EmitOptions {
    emit::EmitOptions {
        crate_name,
        crate_version: config.crate_version.clone(),
        command: config.command.clone(),
        runtime: config.runtime.clone(),
    }
}

fn emit_api(api: &ir::Api, crate_name: String, config: &Config) -> Result<Generated> {
    check_package(&crate_name, &config.crate_version)?;
    let emit_options = emit_options(crate_name, config);
    // Emitting and formatting dominate generation time; files are independent.
    use rayon::prelude::*;
    let analysis = emit::Analysis::new(api);
    let plan = emit::plan_crate(api, &config.runtime, config.settings.names.lock);
    emit::check_file_names(api, &plan).map_err(|(pointer, message)| Error::Spec {
        file: config.spec.clone(),
        pointer,
        message,
    })?;
    // Big files come in parts (a head, runs of types), so the work is spread evenly and no
    // whole-file token stream or syntax tree is held; the parts' texts are joined in order.
    let jobs: Vec<(usize, emit::Part)> = plan
        .iter()
        .enumerate()
        .flat_map(|(file, (_, kind))| {
            emit::parts(api, &analysis, kind)
                .into_iter()
                .map(move |part| (file, part))
        })
        .collect();
    let mut done = jobs
        .into_par_iter()
        .map(|(file, part)| {
            let (path, kind) = &plan[file];
            let emitted = emit::emit_part(api, &analysis, &emit_options, path.clone(), kind, &part);
            let text = match part {
                emit::Part::Whole => Done::File(format::render(emitted, &config.command)?),
                emit::Part::Head | emit::Part::Types(_) | emit::Part::Aliases => {
                    Done::Part(format::render_part(emitted)?)
                }
            };
            Ok((file, text))
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .peekable();
    let mut files = Vec::with_capacity(plan.len());
    for (index, (path, _)) in plan.into_iter().enumerate() {
        let mut parts = Vec::new();
        while let Some((_, text)) = done.next_if(|(file, _)| *file == index) {
            match text {
                Done::File(file) => files.push(file),
                Done::Part(part) => parts.push(part),
            }
        }
        if !parts.is_empty() {
            files.push(format::render_parts(path, &parts, &config.command));
        }
    }
    Ok(Generated {
        files,
        operations: api.operations.len(),
        report: api.report.clone(),
        pagination: PaginationReport::of(api),
    })
}

/// A formatted job of [`emit_api`]: a whole file, or one part of a file.
enum Done {
    File(RenderedFile),
    Part(String),
}

/// `"Cloudflare API"` → `"cloudflare"`: the first word, as a crate name.
pub fn crate_name_from_title(title: &str) -> String {
    let word: String = title
        .split_whitespace()
        .next()
        .unwrap_or("api")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase();
    match word.chars().next() {
        Some(c) if c.is_ascii_alphabetic() && !unusable_crate_name(&word) => word,
        Some(c) if c.is_ascii_alphabetic() => format!("{word}-api"),
        _ => format!("api{word}"),
    }
}
