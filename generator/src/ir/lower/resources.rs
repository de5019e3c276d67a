//! The SDK resource tree and the method names of operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::names::{
    escape_module_ident, escape_value_ident, pascal, snake, Namespace, RustIdent,
};
use super::{Lowerer, OpSeed};
use crate::ir::*;

impl<'a> Lowerer<'a> {
    /// Builds the resource tree and gives every operation a unique method name.
    pub(super) fn plan_resources(
        &mut self,
        mut seeds: Vec<OpSeed<'a>>,
    ) -> (Vec<Resource>, Vec<(OpSeed<'a>, usize, RustIdent)>) {
        seeds.sort_by(|a, b| {
            (&a.group, &a.wanted_method, &a.path, a.http_method).cmp(&(
                &b.group,
                &b.wanted_method,
                &b.path,
                b.http_method,
            ))
        });
        // Module path (as spec words) → resource index. The root is index 0.
        let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let mut resources = vec![Resource {
            path: Vec::new(),
            handle: "Client".into(),
            operations: Vec::new(),
            children: Vec::new(),
            types: Vec::new(),
        }];
        index.insert(Vec::new(), 0);
        let mut groups: BTreeSet<Vec<String>> = seeds.iter().map(|s| s.group.clone()).collect();
        // Every prefix of a group is a resource too.
        for g in groups.clone() {
            for n in 1..g.len() {
                groups.insert(g[..n].to_vec());
            }
        }
        // BTreeSet order puts parents before children.
        let mut child_names: BTreeMap<usize, Namespace> = BTreeMap::new();
        for g in &groups {
            let parent = index[&g[..g.len() - 1]];
            let ns = child_names.entry(parent).or_insert_with(|| {
                if parent == 0 {
                    // Top-level resources are modules (`src/NAME.rs`, so not `lib`, `main`
                    // or `bin`, which Cargo reads as targets), Cargo features (not `default`)
                    // and methods of `Client`.
                    Namespace::with_reserved(&[
                        "lib",
                        "main",
                        "bin",
                        "default",
                        "runtime",
                        "types",
                        "builder",
                        "from_env",
                        "with_options",
                        "clone",
                        "new",
                        "spec",
                        "base_url",
                        "has_credential",
                        "http_client",
                    ])
                } else {
                    Namespace::with_reserved(&["new"])
                }
            });
            let word = snake(g.last().map(String::as_str).unwrap_or("root"), false);
            let wanted = escape_module_ident(word).0;
            let ident = if ns.contains(&wanted) {
                ns.claim(&format!("{wanted}_api"))
            } else {
                ns.claim(&wanted)
            };
            let ident = RustIdent(ident);
            let mut path = resources[parent].path.clone();
            path.push(ident.clone());
            let id = resources.len();
            resources.push(Resource {
                path,
                handle: format!("{}Resource", pascal(ident.bare(), false)),
                operations: Vec::new(),
                children: Vec::new(),
                types: Vec::new(),
            });
            resources[parent].children.push((ident, id));
            index.insert(g.clone(), id);
        }
        // Method names: children accessors come first, then operations in sorted order.
        let mut method_ns: BTreeMap<usize, Namespace> = BTreeMap::new();
        for (id, r) in resources.iter().enumerate() {
            let mut ns = child_names
                .remove(&id)
                .unwrap_or_else(|| Namespace::with_reserved(&["new"]));
            for (c, _) in &r.children {
                ns.claim(c.as_str());
            }
            method_ns.insert(id, ns);
        }
        let mut named = Vec::with_capacity(seeds.len());
        for seed in seeds {
            let resource = index[&seed.group];
            let ns = method_ns
                .get_mut(&resource)
                .expect("every resource has a namespace");
            let wanted = snake(&seed.wanted_method, false);
            let name = if !ns.contains(&wanted) && !super::names::is_rust_keyword(&wanted) {
                ns.claim(&wanted)
            } else {
                let from_id = seed
                    .op
                    .operation_id
                    .as_deref()
                    .map(|id| snake(id, false))
                    .unwrap_or_else(|| format!("{wanted}_{}", seed.http_method));
                ns.claim(&from_id)
            };
            let ident = escape_value_ident(name);
            resources[resource].operations.push(named.len());
            named.push((seed, resource, ident));
        }
        (resources, named)
    }
}

/// The SDK name of an operation as selector words: resource path and method,
/// snake_case (`["zero_trust", "access", "users"]`, `"update"`).
pub fn sdk_words(op: &openapiv3::Operation, path: &str, method: &str) -> (Vec<String>, String) {
    let (group, method_name) = sdk_name(op, path, method);
    (
        group.iter().map(|g| snake(g, false)).collect(),
        snake(&method_name, false),
    )
}

/// `x-fern-sdk-group-name` / `x-fern-sdk-method-name` when present, else derived from the
/// path's literal segments and the HTTP method.
pub(super) fn sdk_name(
    op: &openapiv3::Operation,
    path: &str,
    method: &str,
) -> (Vec<String>, String) {
    let group = op
        .extensions
        .get("x-fern-sdk-group-name")
        .and_then(|v| match v {
            Value::String(s) => Some(s.split('.').map(str::to_string).collect::<Vec<_>>()),
            Value::Array(a) => Some(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            _ => None,
        });
    let method_name = op
        .extensions
        .get("x-fern-sdk-method-name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let derived_group: Vec<String> = segments
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| s.to_string())
        .collect();
    let ends_with_param = segments.last().is_some_and(|s| s.starts_with('{'));
    let derived_method = match method {
        "get" if ends_with_param => "get",
        "get" => "list",
        "post" => "create",
        "put" => "update",
        "patch" => "edit",
        other => other,
    };
    let group = group
        .filter(|g| !g.is_empty() && g.iter().all(|s| !s.is_empty()))
        .unwrap_or(if derived_group.is_empty() {
            vec!["root".to_string()]
        } else {
            derived_group
        });
    (
        group,
        method_name
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| derived_method.to_string()),
    )
}
