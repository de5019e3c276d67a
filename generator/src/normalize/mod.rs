//! OpenAPI 3.1 → the OpenAPI 3.0 model (`openapiv3`) the rest of the generator reads.
//!
//! A 3.1 document is rewritten on its raw JSON tree before it is typed, the way
//! [`crate::cut`] works on the raw tree: every construct 3.1 adds is either
//! translated exactly into its 3.0 equivalent (`type: [T, "null"]` → `nullable`,
//! `const` → a one-value `enum`, numeric exclusive bounds, `$defs` hoisted into
//! `components.schemas`, `components.pathItems` inlined, ...) or approximated and
//! reported with the JSON pointer of the original construct (`prefixItems`,
//! `if`/`then`/`else`, `webhooks`, ...). See [`schema`] and [`document`].
//!
//! What was approximated, and where rewritten parts came from, travel *inside*
//! the typed document, under the extension [`CARRIED`], so every consumer of an
//! `openapiv3::OpenAPI` (generate, `build.rs`, `diff`, `cut --only`) reports
//! them without a second channel; [`Carried::of`] reads them back.
//!
//! 3.0 idioms inside 3.1 documents (`nullable`, boolean `exclusiveMinimum`) are
//! left alone: the 3.0 model reads them as they are.

mod document;
mod schema;
pub mod version;

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::Fallback;

pub use version::Dialect;

/// The root extension a normalised document carries its report and pointer aliases in.
pub const CARRIED: &str = "x-apigen-normalized";

/// What normalisation left in a document: the approximations, and where the
/// rewritten parts were in the original.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Carried {
    /// The version the document declared (`3.1.0`).
    pub from: String,
    /// Everything approximated, with pointers into the original document.
    pub report: Vec<Fallback>,
    /// `(pointer in the normalised document, pointer in the original)`, for parts
    /// that moved (hoisted `$defs`, inlined path items).
    pub aliases: Vec<(String, String)>,
}

impl Carried {
    /// What a typed document carries; empty for a document that was not normalised.
    pub fn of(spec: &openapiv3::OpenAPI) -> Carried {
        spec.extensions
            .get(CARRIED)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// The pointer in the original document of a pointer into the normalised one.
    pub fn original(&self, pointer: &str) -> String {
        original(&self.aliases, pointer)
    }
}

/// Maps a pointer through the longest alias that is a prefix of it (on a `/` boundary).
fn original(aliases: &[(String, String)], pointer: &str) -> String {
    aliases
        .iter()
        .filter(|(from, _)| {
            pointer == from
                || pointer
                    .strip_prefix(from.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|(from, _)| from.len())
        .map(|(from, to)| format!("{to}{}", &pointer[from.len()..]))
        .unwrap_or_else(|| pointer.to_string())
}

/// Rewrites a 3.1 document tree into 3.0 form, in place. The approximations and
/// aliases are stored in the tree under [`CARRIED`].
pub fn normalize_31(tree: &mut Value) {
    let mut n = Normalizer::default();
    let from = version::declared_in_tree(tree)
        .map(|d| match d {
            version::Declared::OpenApi(v) | version::Declared::Swagger(v) => v,
        })
        .unwrap_or_default();
    n.document(tree);
    n.report.sort();
    n.report.dedup();
    n.aliases.sort();
    n.aliases.dedup();
    if let Value::Object(root) = tree {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        let carried = Carried {
            from,
            report: n.report,
            aliases: n.aliases,
        };
        root.insert(
            CARRIED.into(),
            serde_json::to_value(carried).expect("plain data serializes"),
        );
    }
}

/// Types a document tree of either supported version (a 3.1 tree is normalised
/// first). For trees that come from an already checked document, such as a cut.
pub fn from_tree(mut tree: Value, origin: &Path) -> Result<openapiv3::OpenAPI> {
    let declared = version::declared_in_tree(&tree);
    if version::dialect(declared.as_ref(), origin)? == Dialect::V31 {
        normalize_31(&mut tree);
    }
    serde_json::from_value(tree).map_err(|e| Error::Spec {
        file: origin.to_path_buf(),
        pointer: "#".into(),
        message: format!("the document is invalid: {e}"),
    })
}

/// Resolves path items that are `$ref`s to a local pointer (3.1's
/// `components.pathItems`), in `paths`, so that code working on the raw tree
/// (such as [`crate::cut`]) sees their operations.
pub fn inline_path_item_refs(tree: &mut Value) {
    Normalizer::default().inline_path_items(tree);
}

/// The state of one normalisation: what it reported and which parts moved.
#[derive(Default)]
struct Normalizer {
    report: Vec<Fallback>,
    aliases: Vec<(String, String)>,
    /// `$defs` entries taken out of their schemas: (original pointer, name, schema).
    hoisted: Vec<(String, String, Value)>,
}

impl Normalizer {
    fn note(&mut self, pointer: &str, reason: impl Into<String>) {
        let pointer = original(&self.aliases, pointer);
        self.report.push(Fallback {
            pointer,
            reason: reason.into(),
        });
    }
}

#[cfg(test)]
mod tests;
