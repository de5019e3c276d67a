//! IR → Rust source, as token streams (`quote`), plus the crate's Cargo.toml.
//!
//! The emitter reads only the IR: it never sees the spec. One file per module
//! mirrors the SDK resource tree; component types go to `types.rs`.

mod client;
mod docs;
mod limits;
mod manifest;
mod newtypes;
mod resources;
mod runtime;
mod shapes;
mod types;
mod validate;

use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::ir::{Api, Module};

pub use docs::sanitize as sanitize_docs;
pub use limits::check_file_names;
pub use runtime::{
    dependency_table as runtime_dependency_table, inlined as inlined_runtime, Runtime,
    RUNTIME_CRATE,
};

/// What to emit, beyond the IR.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Package name of the generated crate.
    pub crate_name: String,
    /// Package version of the generated crate.
    pub crate_version: String,
    /// The command that regenerates the output, quoted in each file's header.
    pub command: String,
    /// Where the client gets its runtime from.
    pub runtime: Runtime,
}

/// One output file, before formatting.
pub enum FileContent {
    /// Rust code.
    Rust(TokenStream),
    /// Rust code written by hand (the runtime), copied as is.
    RustVerbatim(&'static str),
    /// Any other text (Cargo.toml).
    Text(String),
}

/// A file of the generated crate, relative to its root.
pub struct OutputFile {
    /// Relative path, e.g. `src/zero_trust/access/users.rs`.
    pub path: PathBuf,
    /// Its content.
    pub content: FileContent,
}

/// Which file to emit. Plans are plain data, so files can be emitted in
/// parallel (token streams themselves are not `Send`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// Cargo.toml.
    Manifest,
    /// src/lib.rs.
    Lib,
    /// A file of the vendored runtime (`src/runtime/`), with its text.
    Runtime(&'static str),
    /// src/types.rs.
    Types,
    /// A resource module, by index into `Api::resources`.
    Resource(usize),
}

/// The files of a complete crate: Cargo.toml, lib.rs, the runtime's files
/// when it is vendored, types.rs and one file per resource.
pub fn plan_crate(api: &Api, runtime: &Runtime) -> Vec<(PathBuf, FileKind)> {
    let mut files = vec![
        (PathBuf::from("Cargo.toml"), FileKind::Manifest),
        (PathBuf::from("src/lib.rs"), FileKind::Lib),
    ];
    if runtime.is_vendored() {
        files.extend(
            runtime::vendored_files()
                .into_iter()
                .map(|(path, text)| (path, FileKind::Runtime(text))),
        );
    }
    files.push((PathBuf::from("src/types.rs"), FileKind::Types));
    for (index, resource) in api.resources.iter().enumerate().skip(1) {
        let mut path = PathBuf::from("src");
        let segments: Vec<&str> = resource.path.iter().map(|s| s.bare()).collect();
        let (last, parents) = segments
            .split_last()
            .expect("non-root resources have a path");
        parents.iter().for_each(|s| path.push(s));
        if resource.children.is_empty() {
            path.push(format!("{last}.rs"));
        } else {
            path.push(last);
            path.push("mod.rs");
        }
        files.push((path, FileKind::Resource(index)));
    }
    files
}

/// What emitting needs besides the IR, computed once for all files.
pub struct Analysis {
    /// Per type: whether it is sent in requests (reachable from a parameters struct) and has
    /// a constraint to validate, in itself or in anything inside it.
    pub needs_validation: Vec<bool>,
    /// Per type: whether it is sent in requests (gets a constructor and setters).
    pub request_side: Vec<bool>,
    /// The `recursion_limit` the crate must set, when rustc's default is too low.
    pub recursion_limit: Option<usize>,
}

impl Analysis {
    /// Analyses the IR.
    pub fn new(api: &Api) -> Analysis {
        let request_side = types::request_side(api);
        Analysis {
            needs_validation: validate::needs_validation(api, &request_side),
            request_side,
            recursion_limit: limits::recursion_limit(api),
        }
    }
}

/// Emits one planned file.
pub fn emit_file(
    api: &Api,
    analysis: &Analysis,
    options: &EmitOptions,
    path: PathBuf,
    kind: &FileKind,
) -> OutputFile {
    let ctx = Ctx {
        api,
        root: quote::quote!(crate),
        needs: &analysis.needs_validation,
        request_side: &analysis.request_side,
        single_file: false,
    };
    let content = match kind {
        FileKind::Manifest => FileContent::Text(manifest::cargo_toml(api, options)),
        FileKind::Lib => FileContent::Rust(client::lib_rs(&ctx, options, analysis)),
        FileKind::Runtime(text) => FileContent::RustVerbatim(text),
        FileKind::Types => FileContent::Rust(types::types_rs(&ctx)),
        FileKind::Resource(index) => FileContent::Rust(resources::resource_rs(&ctx, *index)),
    };
    OutputFile { path, content }
}

/// What every emitting function needs to see.
pub(crate) struct Ctx<'a> {
    pub api: &'a Api,
    /// Path of the generated root module (`crate`, or `crate::cloudflare` when included).
    pub root: TokenStream,
    /// Per type: whether it needs an `impl Validate`.
    pub needs: &'a [bool],
    /// Per type: whether requests carry it (constructor and setters are emitted).
    pub request_side: &'a [bool],
    /// Emitting one file for `include!`: modules inline, no feature gates, no inner attributes at the top.
    pub single_file: bool,
}

/// Emits the whole client as one token stream for `include!`; a vendored
/// runtime is added by the caller as text ([`inlined_runtime`]: it is copied
/// verbatim, comments included).
pub fn emit_single_file(
    api: &Api,
    analysis: &Analysis,
    options: &EmitOptions,
    root: &str,
) -> Result<TokenStream, String> {
    let root: TokenStream = root
        .parse()
        .map_err(|e| format!("invalid module path {root:?}: {e}"))?;
    let ctx = Ctx {
        api,
        root,
        needs: &analysis.needs_validation,
        request_side: &analysis.request_side,
        single_file: true,
    };
    Ok(client::lib_rs(&ctx, options, analysis))
}

impl Ctx<'_> {
    /// Path from the crate root to the module holding `module`.
    pub fn module_path(&self, module: &Module) -> Vec<String> {
        match module {
            Module::Types => vec!["types".to_string()],
            Module::Resource(r) => self.api.resources[*r]
                .path
                .iter()
                .map(|i| i.as_str().to_string())
                .collect(),
        }
    }
}
