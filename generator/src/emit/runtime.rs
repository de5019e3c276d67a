//! The runtime a generated client uses: the `apigen-runtime` crate
//! (`runtime/` in this repository), embedded at build time, and the ways a
//! client can get it ([`Runtime`]): vendored (its modules copied into the
//! client, minus their unit tests) or as a dependency.
//!
//! `runtime/Cargo.toml` is the one list of the runtime's dependencies: a
//! vendoring client's Cargo.toml copies its `[dependencies]` lines.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::manifest::toml_string;

/// The package name of the runtime crate.
pub const RUNTIME_CRATE: &str = "apigen-runtime";

/// The runtime crate's manifest, whose `[dependencies]` generated crates copy.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The runtime crate's root module (`mod.rs` when vendored).
const LIB: &str = include_str!("../../../runtime/src/lib.rs");

/// A module of the runtime crate: its file stem and source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeModule {
    /// File stem, e.g. `retry` for `runtime/src/retry.rs`.
    pub name: &'static str,
    /// The file's text, unit tests included.
    pub source: &'static str,
}

macro_rules! runtime_modules {
    ($($name:literal),* $(,)?) => {
        &[$(RuntimeModule {
            name: $name,
            source: include_str!(concat!("../../../runtime/src/", $name, ".rs")),
        }),*]
    };
}

/// Every module file of the runtime crate besides `lib.rs`, as `lib.rs`
/// declares them (a test keeps the two lists equal).
pub const MODULES: &[RuntimeModule] = runtime_modules!(
    "auth",
    "checks",
    "client",
    "config",
    "encoding",
    "envelope",
    "error",
    "execute",
    "format",
    "multipart",
    "nullable",
    "pagination",
    "request",
    "response",
    "retry",
    "spec",
    "validate",
);

/// The crates the emitted code (types, methods) names itself, besides the
/// runtime: a client that depends on the runtime crate needs these too.
const NAMED_BY_EMITTED_CODE: [&str; 3] = ["serde", "serde_json", "chrono"];

/// Where a generated client gets its runtime from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Runtime {
    /// The runtime's modules are copied into the client (`src/runtime/`, or
    /// inline in a single file), which lists the runtime's dependencies. The
    /// client carries the exact runtime it was generated with and needs no
    /// unpublished crate.
    #[default]
    Vendored,
    /// The client depends on the `apigen-runtime` crate at this path
    /// (written to Cargo.toml as is: relative to the generated crate's
    /// directory, or absolute).
    Path(String),
    /// The client depends on `apigen-runtime` from a registry, with this
    /// version requirement.
    Version(String),
}

impl Runtime {
    /// Whether the runtime's source is copied into the client.
    pub fn is_vendored(&self) -> bool {
        matches!(self, Runtime::Vendored)
    }
}

impl FromStr for Runtime {
    type Err = String;

    /// `vendored`, `path=DIR` or `version=REQ`.
    fn from_str(text: &str) -> Result<Runtime, String> {
        let non_empty = |kind: &str, value: &str| {
            if value.trim().is_empty() {
                Err(format!("`{kind}=` needs a value"))
            } else {
                Ok(value.to_owned())
            }
        };
        match text.split_once('=') {
            None if text == "vendored" => Ok(Runtime::Vendored),
            Some(("path", dir)) => non_empty("path", dir).map(Runtime::Path),
            Some(("version", req)) => non_empty("version", req).map(Runtime::Version),
            _ => Err(format!(
                "unknown runtime `{text}`: expected `vendored`, `path=DIR` or `version=REQ`"
            )),
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Runtime::Vendored => f.write_str("vendored"),
            Runtime::Path(dir) => write!(f, "path={dir}"),
            Runtime::Version(req) => write!(f, "version={req}"),
        }
    }
}

/// A runtime file without its unit tests: everything before the first line
/// that is exactly `#[cfg(test)]` (by convention, the tests come last),
/// ending with one newline.
pub fn without_tests(source: &'static str) -> &'static str {
    let end = if source.starts_with("#[cfg(test)]\n") {
        0
    } else {
        source
            .find("\n#[cfg(test)]\n")
            .map_or(source.len(), |i| i + 1)
    };
    let content = source[..end].trim_end_matches('\n').len();
    if content == 0 {
        ""
    } else {
        &source[..(content + 1).min(source.len())]
    }
}

/// The files a vendoring crate gets: `src/runtime/mod.rs` and one file per
/// module, each without its tests.
pub fn vendored_files() -> Vec<(PathBuf, &'static str)> {
    let mut files = vec![(PathBuf::from("src/runtime/mod.rs"), without_tests(LIB))];
    for module in MODULES {
        let path = PathBuf::from(format!("src/runtime/{}.rs", module.name));
        files.push((path, without_tests(module.source)));
    }
    files
}

/// The runtime as the body of one inline module, for single-file output:
/// the root module's text with each `mod name;` replaced by
/// `mod name { <the module's text> }`.
pub fn inlined() -> String {
    let mut out = String::new();
    for line in without_tests(LIB).lines() {
        match module_declaration(line).and_then(|(vis, name)| Some((vis, module(name)?))) {
            Some((vis, module)) => {
                out.push_str(&format!("{vis}mod {} {{\n", module.name));
                out.push_str(without_tests(module.source));
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn module(name: &str) -> Option<&'static RuntimeModule> {
    MODULES.iter().find(|m| m.name == name)
}

/// `mod name;` or `pub mod name;` (any visibility): the visibility with its
/// trailing space, and the name.
fn module_declaration(line: &str) -> Option<(&str, &str)> {
    let (vis, rest) = match line.find("mod ") {
        Some(0) => ("", &line[4..]),
        Some(i) if line[..i].starts_with("pub") && line[..i].ends_with(' ') => {
            (&line[..i], &line[i + 4..])
        }
        _ => return None,
    };
    let name = rest.strip_suffix(';')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some((vis, name))
}

/// The runtime crate's dependencies: the lines of its `[dependencies]` table.
pub fn runtime_dependencies() -> Vec<&'static str> {
    let mut lines = MANIFEST
        .lines()
        .skip_while(|l| l.trim() != "[dependencies]");
    lines.next();
    lines
        .take_while(|l| !l.trim_start().starts_with('['))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The body of the generated crate's `[dependencies]` table.
pub fn dependency_table(runtime: &Runtime) -> String {
    let mut out = String::new();
    let named = |line: &&str| {
        let name = line.split(['=', ' ']).next().unwrap_or_default();
        NAMED_BY_EMITTED_CODE.contains(&name.replace('-', "_").as_str())
    };
    let lines: Vec<&str> = match runtime {
        Runtime::Vendored => {
            out.push_str(&format!(
                "# What src/runtime/ needs: the dependencies of {RUNTIME_CRATE}.\n"
            ));
            runtime_dependencies()
        }
        Runtime::Path(dir) => {
            out.push_str(&format!(
                "{RUNTIME_CRATE} = {{ path = {} }}\n",
                toml_string(dir)
            ));
            out.push_str("# Crates the generated types name themselves.\n");
            runtime_dependencies().into_iter().filter(named).collect()
        }
        Runtime::Version(req) => {
            out.push_str(&format!("{RUNTIME_CRATE} = {}\n", toml_string(req)));
            out.push_str("# Crates the generated types name themselves.\n");
            runtime_dependencies().into_iter().filter(named).collect()
        }
    };
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module names `lib.rs` declares, in order.
    fn declared() -> Vec<&'static str> {
        without_tests(LIB)
            .lines()
            .filter_map(module_declaration)
            .map(|(_, name)| name)
            .collect()
    }

    #[test]
    fn every_declared_module_is_embedded_and_every_embedded_one_declared() {
        let embedded: Vec<&str> = MODULES.iter().map(|m| m.name).collect();
        assert_eq!(declared(), embedded);
        let on_disk: std::collections::BTreeSet<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        let expected: std::collections::BTreeSet<String> = embedded
            .iter()
            .map(|n| format!("{n}.rs"))
            .chain(["lib.rs".to_owned()])
            .collect();
        assert_eq!(
            on_disk, expected,
            "runtime/src holds exactly lib.rs and the embedded modules"
        );
    }

    #[test]
    fn vendored_files_parse_hold_no_tests_and_refer_to_siblings_relatively() {
        for (path, text) in vendored_files() {
            let file = syn::parse_file(text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            assert!(!text.contains("cfg(test)"), "{}", path.display());
            // `crate::` would point at the generated crate's root once vendored.
            let tokens = quote::quote!(#file);
            assert!(
                !has_crate_keyword(tokens),
                "{} uses `crate::`",
                path.display()
            );
            assert!(!file.items.is_empty(), "{}", path.display());
        }
        assert!(has_crate_keyword(quote::quote!(
            use crate::x;
        )));
    }

    /// Whether the keyword `crate` occurs in code (not in docs or strings).
    fn has_crate_keyword(tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == "crate",
            proc_macro2::TokenTree::Group(group) => has_crate_keyword(group.stream()),
            _ => false,
        })
    }

    #[test]
    fn only_tests_are_cut() {
        for (name, source) in MODULES
            .iter()
            .map(|m| (m.name, m.source))
            .chain([("lib", LIB)])
        {
            let kept = without_tests(source);
            let cut = &source[kept.len()..];
            let items = syn::parse_file(cut)
                .unwrap_or_else(|e| panic!("the cut part of {name} does not parse: {e}"))
                .items;
            for item in &items {
                let attrs = match item {
                    syn::Item::Mod(m) => &m.attrs,
                    _ => panic!("{name}: only test modules may follow the tests"),
                };
                let is_test = attrs.iter().any(|a| {
                    a.path().is_ident("cfg")
                        && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
                });
                assert!(
                    is_test,
                    "{name}: a module after #[cfg(test)] is not a test module"
                );
            }
            assert!(
                !items.is_empty() || name == "lib",
                "{name} has no unit tests"
            );
        }
        assert_eq!(without_tests("a\n\n#[cfg(test)]\nmod tests {}\n"), "a\n");
        assert_eq!(without_tests("#[cfg(test)]\nmod tests {}\n"), "");
        assert_eq!(without_tests("a\n\n"), "a\n");
        assert_eq!(
            without_tests("a\n#[cfg(test)] fn x() {}\n"),
            "a\n#[cfg(test)] fn x() {}\n"
        );
    }

    #[test]
    fn the_inlined_runtime_parses_and_holds_every_module() {
        let text = inlined();
        let file = syn::parse_file(&text).expect("the inlined runtime parses");
        let inline: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) => {
                    assert!(m.content.is_some(), "mod {} is inline", m.ident);
                    Some(m.ident.to_string())
                }
                _ => None,
            })
            .collect();
        assert_eq!(inline, declared());
        assert!(!text.contains("cfg(test)"));
    }

    #[test]
    fn module_declarations() {
        assert_eq!(module_declaration("mod auth;"), Some(("", "auth")));
        assert_eq!(module_declaration("pub mod auth;"), Some(("pub ", "auth")));
        assert_eq!(
            module_declaration("pub(crate) mod a_b;"),
            Some(("pub(crate) ", "a_b"))
        );
        assert_eq!(module_declaration("mod auth {"), None);
        assert_eq!(module_declaration("//! mod auth;"), None);
        assert_eq!(module_declaration("    mod auth;"), None);
        assert_eq!(module_declaration("use x::mod y;"), None);
    }

    #[test]
    fn dependencies_come_from_the_runtime_manifest() {
        let deps = runtime_dependencies();
        let names: Vec<&str> = deps.iter().map(|l| l.split(' ').next().unwrap()).collect();
        assert!(
            names.contains(&"reqwest") && names.contains(&"serde"),
            "{names:?}"
        );
        for line in &deps {
            assert!(line.contains(" = "), "one dependency per line: {line}");
        }
        let manifest_name = MANIFEST
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .expect("the manifest names the package");
        assert_eq!(manifest_name, toml_string(RUNTIME_CRATE));
    }

    #[test]
    fn the_dependency_table_per_runtime() {
        let vendored = dependency_table(&Runtime::Vendored);
        for line in runtime_dependencies() {
            assert!(vendored.contains(line), "{line}");
        }
        let path = dependency_table(&Runtime::Path("../runtime".into()));
        let lines: Vec<&str> = path.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines[0], "apigen-runtime = { path = \"../runtime\" }");
        let names: Vec<&str> = lines[1..]
            .iter()
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(names, ["serde", "serde_json", "chrono"]);
        let version = dependency_table(&Runtime::Version("0.1".into()));
        assert!(
            version.starts_with("apigen-runtime = \"0.1\"\n"),
            "{version}"
        );
        assert_eq!(
            dependency_table(&Runtime::Path("C:\\x".into()))
                .lines()
                .next(),
            Some("apigen-runtime = { path = \"C:\\\\x\" }")
        );
    }

    #[test]
    fn runtimes_parse_and_print() {
        for text in ["vendored", "path=../runtime", "version=0.1", "path=a=b"] {
            assert_eq!(text.parse::<Runtime>().unwrap().to_string(), text);
        }
        assert_eq!("path=a=b".parse(), Ok(Runtime::Path("a=b".into())));
        for bad in [
            "",
            "crate",
            "path=",
            "version= ",
            "vendored=x",
            "git=https://x",
        ] {
            assert!(bad.parse::<Runtime>().is_err(), "{bad}");
        }
        assert!(Runtime::default().is_vendored());
    }
}
