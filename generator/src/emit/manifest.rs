//! The generated crate's Cargo.toml.

use super::runtime::dependency_table;
use super::EmitOptions;
use crate::ir::Api;

pub fn cargo_toml(api: &Api, options: &EmitOptions) -> String {
    let features: Vec<&str> = api.resources[0]
        .children
        .iter()
        .map(|(name, _)| name.bare())
        .collect();
    let mut out = String::new();
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\n",
        options.crate_name, options.crate_version
    ));
    out.push_str(&format!(
        "description = {}\n",
        toml_string(&format!("Rust client for the {}", api.title))
    ));
    out.push_str("publish = false\n\n");
    out.push_str("# One feature per top-level resource; enable only what you use to compile less.\n[features]\n");
    let quoted: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
    out.push_str(&format!("default = [{}]\n", quoted.join(", ")));
    for f in &features {
        out.push_str(&format!("{f} = []\n"));
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(&dependency_table(&options.runtime));
    out
}

/// A TOML basic string.
pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
