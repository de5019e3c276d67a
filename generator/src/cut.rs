//! `apigen cut`: a smaller, valid spec holding only the selected operations and
//! every component they reach.
//!
//! It works on the raw JSON tree (not on `openapiv3` types) so that whatever the
//! generator does not model (extensions, keywords beside `$ref`, examples)
//! survives the cut unchanged.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use serde_json::Value;

use crate::error::{pointer_token, Error, Result};

pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One way of naming operations to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `METHOD /path`.
    Route { method: String, path: String },
    /// An SDK name: a whole resource (`zero_trust.access`) or one method
    /// (`zero_trust.access.users.update`); also matched against operationIds.
    Name(String),
}

impl Selector {
    /// Parses a selector as written on the command line.
    pub fn parse(text: &str) -> Selector {
        let text = text.trim();
        if let Some((method, path)) = text.split_once(' ') {
            if METHODS.contains(&method.to_ascii_lowercase().as_str())
                && path.trim().starts_with('/')
            {
                return Selector::Route {
                    method: method.to_ascii_lowercase(),
                    path: path.trim().to_string(),
                };
            }
        }
        Selector::Name(text.to_string())
    }

    fn matches(&self, method: &str, path: &str, op: &openapiv3::Operation) -> bool {
        match self {
            Selector::Route { method: m, path: p } => m == method && p == path,
            Selector::Name(name) => {
                if op.operation_id.as_deref() == Some(name.as_str()) {
                    return true;
                }
                let (group, method_name) = crate::ir::sdk_words(op, path, method);
                let mut full = group.clone();
                full.push(method_name);
                let wanted: Vec<String> = name.split('.').map(crate::ir::snake_word).collect();
                full.starts_with(&wanted)
            }
        }
    }
}

/// Reads the spec at `path` as a JSON tree (YAML or JSON), checking it is valid OpenAPI 3.0 or 3.1.
pub fn read_tree(path: &Path) -> Result<(Value, openapiv3::OpenAPI)> {
    let text = crate::parse::read_spec_text(path)?;
    let spec = crate::parse::parse_str(&text, path)?;
    let tree: Value = if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        serde_json::from_str(&text)
    } else {
        serde_yaml::from_str(&text)
            .map_err(|e| serde_json::Error::io(std::io::Error::other(e.to_string())))
    }
    .map_err(|e| Error::Spec {
        file: path.to_path_buf(),
        pointer: "#".into(),
        message: e.to_string(),
    })?;
    Ok((tree, spec))
}

/// Keeps only the operations matching any selector, and the components they reach.
/// Fails, naming the selector, when one matches nothing.
pub fn cut(
    mut tree: Value,
    spec: &openapiv3::OpenAPI,
    selectors: &[Selector],
    origin: &Path,
) -> Result<Value> {
    let mut used = vec![false; selectors.len()];
    let mut keep: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in spec.paths.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in item.iter() {
            for (i, selector) in selectors.iter().enumerate() {
                if selector.matches(method, path, op) {
                    used[i] = true;
                    keep.insert((path.clone(), method.to_string()));
                }
            }
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(Error::Usage(format!(
            "{}: selector {:?} matches no operation (use an SDK name like `user.edit`, a resource like `zero_trust.access`, an operationId, or `PATCH /user`)",
            origin.display(),
            selectors[i]
        )));
    }
    // 3.1: operations of path items kept in `components.pathItems` are cut like
    // any other; webhooks are not operations a client calls, and go.
    crate::normalize::inline_path_item_refs(&mut tree);
    let root = tree.as_object_mut().ok_or_else(|| Error::Spec {
        file: origin.into(),
        pointer: "#".into(),
        message: "not an object".into(),
    })?;
    root.shift_remove("webhooks");
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        paths.retain(|path, item| {
            let Value::Object(item) = item else {
                return false;
            };
            item.retain(|key, _| {
                !METHODS.contains(&key.as_str()) || keep.contains(&(path.clone(), key.clone()))
            });
            item.keys().any(|k| METHODS.contains(&k.as_str()))
        });
    }
    prune_components(root);
    Ok(tree)
}

/// Drops every component no kept operation reaches (through `$ref`s, transitively),
/// and every security scheme no security requirement names.
fn prune_components(root: &mut serde_json::Map<String, Value>) {
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut schemes: BTreeSet<String> = BTreeSet::new();
    collect_refs(root.get("paths").unwrap_or(&Value::Null), &mut queue);
    collect_schemes(root.get("security"), &mut schemes);
    if let Some(Value::Object(paths)) = root.get("paths") {
        for item in paths.values() {
            for method in METHODS {
                collect_schemes(
                    item.get(method).and_then(|op| op.get("security")),
                    &mut schemes,
                );
            }
        }
    }
    let components = root.get("components").cloned().unwrap_or(Value::Null);
    while let Some(reference) = queue.pop_front() {
        let Some(rest) = reference.strip_prefix("#/components/") else {
            continue;
        };
        let Some((section, name)) = rest.split_once('/') else {
            continue;
        };
        // `#/components/schemas/A/$defs/B` (3.1) reaches `A`.
        let name = name.split('/').next().unwrap_or(name);
        let name = name.replace("~1", "/").replace("~0", "~");
        if !reached
            .entry(section.to_string())
            .or_default()
            .insert(name.clone())
        {
            continue;
        }
        if let Some(target) = components.get(section).and_then(|s| s.get(&name)) {
            collect_refs(target, &mut queue);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            if section == "securitySchemes" {
                entries.retain(|name, _| schemes.contains(name));
            } else {
                let keep = reached.get(section);
                entries.retain(|name, _| keep.is_some_and(|k| k.contains(name)));
            }
        }
        components.retain(|_, entries| !matches!(entries.as_object(), Some(e) if e.is_empty()));
    }
}

fn collect_refs(value: &Value, out: &mut VecDeque<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push_back(r.clone());
            }
            // Discriminator mappings name schemas too.
            if let Some(Value::Object(mapping)) = map.get("mapping") {
                out.extend(
                    mapping
                        .values()
                        .filter_map(Value::as_str)
                        .filter(|s| s.starts_with("#/"))
                        .map(str::to_string),
                );
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn collect_schemes(security: Option<&Value>, out: &mut BTreeSet<String>) {
    if let Some(Value::Array(requirements)) = security {
        for requirement in requirements {
            if let Some(map) = requirement.as_object() {
                out.extend(map.keys().cloned());
            }
        }
    }
}

/// Serializes a spec tree as JSON (for `.json` paths) or YAML.
pub fn to_text(tree: &Value, path: &Path) -> Result<String> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        Ok(serde_json::to_string_pretty(tree).expect("a JSON tree serializes") + "\n")
    } else {
        serde_yaml::to_string(tree).map_err(|e| Error::Usage(format!("cannot write YAML: {e}")))
    }
}

/// The JSON pointer of an operation, for messages.
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("#/paths/{}/{method}", pointer_token(path))
}

/// Parses a cut tree back into `openapiv3` form (for `generate --only`); a 3.1
/// tree is normalised on the way.
pub fn into_spec(tree: Value, origin: &Path) -> Result<openapiv3::OpenAPI> {
    crate::normalize::from_tree(tree, origin)
}
