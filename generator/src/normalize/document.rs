//! The document level of a 3.1 → 3.0 normalisation: `info`, `webhooks`,
//! `jsonSchemaDialect`, `components.pathItems`, security schemes, Reference
//! Objects with `summary`/`description` beside `$ref`, and the walk that finds
//! every Schema Object (handed to [`super::schema`]).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Normalizer;
use crate::error::pointer_token;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The dialects whose schemas mean what this normaliser reads them as.
const KNOWN_DIALECTS: [&str; 4] = [
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.1/dialect/2024-11-10",
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2020-12/schema#",
];

/// How many `$ref` hops a Reference Object may take before it is left alone.
const MAX_REF_CHAIN: usize = 32;

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", pointer_token(key))
}

impl Normalizer {
    pub(super) fn document(&mut self, tree: &mut Value) {
        self.inline_path_items(tree);
        let components = tree.get("components").cloned().unwrap_or(Value::Null);
        let Value::Object(root) = tree else { return };

        if let Some(dialect) = root.shift_remove("jsonSchemaDialect") {
            let known = dialect
                .as_str()
                .is_some_and(|d| KNOWN_DIALECTS.contains(&d));
            if !known {
                self.note(
                    "#/jsonSchemaDialect",
                    format!("schemas are read as OpenAPI 3.1's dialect (JSON Schema 2020-12), not {dialect}"),
                );
            }
        }
        if let Some(webhooks) = root.shift_remove("webhooks") {
            self.webhooks(&webhooks);
        }
        if !root.contains_key("paths") {
            // 3.1 makes `paths` optional (a document may hold only webhooks or components).
            root.insert("paths".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info_summary(info);
            if let Some(Value::Object(license)) = info.get_mut("license") {
                license_identifier(license);
            }
        }
        self.mutual_tls(root);

        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = child("#/paths", path);
                self.path_item(item, &pointer, &components);
            }
        }
        if let Some(Value::Object(sections)) = root.get_mut("components") {
            sections.shift_remove("pathItems");
            for (section, entries) in sections.iter_mut() {
                let Value::Object(entries) = entries else {
                    continue;
                };
                let base = child("#/components", section);
                for (name, entry) in entries.iter_mut() {
                    let pointer = child(&base, name);
                    match section.as_str() {
                        "schemas" => self.schema(entry, &pointer),
                        "parameters" | "headers" => self.parameter(entry, &pointer, &components),
                        "responses" => self.response(entry, &pointer, &components),
                        "requestBodies" => self.request_body(entry, &pointer, &components),
                        "callbacks" => self.callback(entry, &pointer, &components),
                        _ => {}
                    }
                }
            }
        }
        self.place_hoisted(tree);
    }

    /// `webhooks` describe requests the API sends, not calls a client makes: each
    /// one is listed in the report and none is generated.
    fn webhooks(&mut self, webhooks: &Value) {
        let Some(webhooks) = webhooks.as_object() else {
            return;
        };
        for (name, item) in webhooks {
            let pointer = child("#/webhooks", name);
            let methods: Vec<&str> = METHODS
                .iter()
                .copied()
                .filter(|m| item.get(*m).is_some())
                .collect();
            if methods.is_empty() {
                self.note(&pointer, "webhook: not generated (webhooks are requests the API sends, not calls a client makes)");
            }
            for method in methods {
                self.note(
                    &child(&pointer, method),
                    "webhook: not generated (webhooks are requests the API sends, not calls a client makes)",
                );
            }
        }
    }

    /// `mutualTLS` (new in 3.1) is a client certificate, configured on the HTTP
    /// client rather than sent per request: the scheme is dropped (reported), and
    /// requirements naming it need no credential from the generated client.
    fn mutual_tls(&mut self, root: &mut Map<String, Value>) {
        let mut dropped = Vec::new();
        if let Some(Value::Object(schemes)) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
        {
            let names: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(n, _)| n.clone())
                .collect();
            for name in names {
                schemes.shift_remove(&name);
                dropped.push(name);
            }
        }
        for name in &dropped {
            self.note(
                &child("#/components/securitySchemes", name),
                "mutualTLS security scheme: not generated (configure the client certificate on the HTTP client); requirements naming it need no credential here",
            );
        }
        if dropped.is_empty() {
            return;
        }
        let strip = |security: &mut Value| {
            if let Value::Array(requirements) = security {
                for requirement in requirements {
                    if let Value::Object(r) = requirement {
                        r.retain(|name, _| !dropped.contains(name));
                    }
                }
            }
        };
        if let Some(security) = root.get_mut("security") {
            strip(security);
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for item in paths.values_mut() {
                for method in METHODS {
                    if let Some(security) =
                        item.get_mut(method).and_then(|op| op.get_mut("security"))
                    {
                        strip(security);
                    }
                }
            }
        }
    }

    /// Replaces every path item that is a local `$ref` (3.1's `components.pathItems`)
    /// with a copy of its target, keeping `summary`/`description` given beside the `$ref`.
    pub(super) fn inline_path_items(&mut self, tree: &mut Value) {
        let Some(Value::Object(paths)) = tree.get("paths") else {
            return;
        };
        let mut resolved: Vec<(String, Value, String)> = Vec::new();
        for (path, item) in paths {
            let Some((target, reference)) = follow(tree, item) else {
                continue;
            };
            let mut copy = target.clone();
            if let (Value::Object(copy), Value::Object(siblings)) = (&mut copy, item) {
                for (k, v) in siblings {
                    if k != "$ref" {
                        copy.insert(k.clone(), v.clone());
                    }
                }
            }
            resolved.push((path.clone(), copy, reference.to_string()));
        }
        let Some(Value::Object(paths)) = tree.get_mut("paths") else {
            return;
        };
        for (path, copy, reference) in resolved {
            self.aliases.push((child("#/paths", &path), reference));
            paths.insert(path, copy);
        }
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str, components: &Value) {
        let Value::Object(map) = item else { return };
        if let Some(Value::Array(params)) = map.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &format!("{pointer}/parameters/{i}"), components);
            }
        }
        for method in METHODS {
            if let Some(op) = map.get_mut(method) {
                self.operation(op, &child(pointer, method), components);
            }
        }
    }

    fn operation(&mut self, op: &mut Value, pointer: &str, components: &Value) {
        let Value::Object(map) = op else { return };
        if let Some(Value::Array(params)) = map.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &format!("{pointer}/parameters/{i}"), components);
            }
        }
        if let Some(body) = map.get_mut("requestBody") {
            self.request_body(body, &child(pointer, "requestBody"), components);
        }
        if let Some(Value::Object(responses)) = map.get_mut("responses") {
            for (status, r) in responses.iter_mut() {
                self.response(r, &child(&child(pointer, "responses"), status), components);
            }
        }
        if let Some(Value::Object(callbacks)) = map.get_mut("callbacks") {
            for (name, c) in callbacks.iter_mut() {
                self.callback(c, &child(&child(pointer, "callbacks"), name), components);
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, pointer: &str, components: &Value) {
        if let Value::Object(map) = callback {
            for (expression, item) in map.iter_mut() {
                if item.get("$ref").is_none() {
                    self.path_item(item, &child(pointer, expression), components);
                }
            }
        }
    }

    /// A Parameter or Header Object (they share `schema` and `content`).
    fn parameter(&mut self, p: &mut Value, pointer: &str, components: &Value) {
        reference_siblings(p, components);
        if let Some(schema) = p.get_mut("schema") {
            self.schema(schema, &child(pointer, "schema"));
        }
        self.content(p, pointer, components);
    }

    fn request_body(&mut self, body: &mut Value, pointer: &str, components: &Value) {
        reference_siblings(body, components);
        self.content(body, pointer, components);
    }

    fn response(&mut self, r: &mut Value, pointer: &str, components: &Value) {
        reference_siblings(r, components);
        if let Some(Value::Object(headers)) = r.get_mut("headers") {
            for (name, h) in headers.iter_mut() {
                self.parameter(h, &child(&child(pointer, "headers"), name), components);
            }
        }
        self.content(r, pointer, components);
    }

    fn content(&mut self, holder: &mut Value, pointer: &str, components: &Value) {
        let Some(Value::Object(content)) = holder.get_mut("content") else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            let media_pointer = child(&child(pointer, "content"), media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &child(&media_pointer, "schema"));
            }
            if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
                for (prop, encoding) in encodings.iter_mut() {
                    if let Some(Value::Object(headers)) = encoding.get_mut("headers") {
                        for (name, h) in headers.iter_mut() {
                            let at = format!(
                                "{media_pointer}/encoding/{}/headers/{}",
                                pointer_token(prop),
                                pointer_token(name)
                            );
                            self.parameter(h, &at, components);
                        }
                    }
                }
            }
        }
    }

    /// Moves the `$defs` taken out of schemas into `components.schemas`, under
    /// names that depend only on where they were (not on key order), and points
    /// every `$ref` (and discriminator mapping) at their new place.
    fn place_hoisted(&mut self, tree: &mut Value) {
        if self.hoisted.is_empty() {
            return;
        }
        let mut hoisted = std::mem::take(&mut self.hoisted);
        hoisted.sort_by(|a, b| a.0.cmp(&b.0));
        let Value::Object(root) = tree else { return };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            return;
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else {
            return;
        };
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for (_, name, _) in &hoisted {
            *uses.entry(name.clone()).or_default() += 1;
        }
        let mut renames: Vec<(String, String)> = Vec::new();
        for (pointer, name, schema) in hoisted {
            let parent = pointer
                .strip_prefix("#/components/schemas/")
                .and_then(|rest| rest.split('/').next())
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .unwrap_or_else(|| "Inline".to_string());
            let base = if uses[name.as_str()] == 1 && !schemas.contains_key(&name) {
                name.clone()
            } else {
                format!("{parent}_{name}")
            };
            let mut wanted = base.clone();
            let mut n = 2;
            while schemas.contains_key(&wanted) {
                wanted = format!("{base}_{n}");
                n += 1;
            }
            let new_pointer = child("#/components/schemas", &wanted);
            schemas.insert(wanted, schema);
            self.aliases.push((new_pointer.clone(), pointer.clone()));
            renames.push((pointer, new_pointer));
        }
        // Longest first, so a def nested in a def is renamed before its parent.
        renames.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        rewrite_refs(tree, &renames);
    }
}

/// `info.summary` (new in 3.1) leads the description.
fn info_summary(info: &mut Map<String, Value>) {
    let Some(Value::String(summary)) = info.shift_remove("summary") else {
        return;
    };
    let description = match info.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
        _ => summary,
    };
    info.insert("description".into(), Value::String(description));
}

/// `license.identifier` (an SPDX expression, new in 3.1) becomes the licence URL
/// when the document gives none.
fn license_identifier(license: &mut Map<String, Value>) {
    let Some(Value::String(id)) = license.shift_remove("identifier") else {
        return;
    };
    if !license.contains_key("url") {
        license.insert(
            "url".into(),
            Value::String(format!("https://spdx.org/licenses/{id}.html")),
        );
    }
}

/// A Reference Object with `summary`/`description` beside its `$ref` (3.1 lets
/// them override the target's): replaced by a copy of the target with them
/// applied. Other keywords beside `$ref` are ignored, as 3.1 prescribes.
fn reference_siblings(value: &mut Value, components: &Value) {
    let Value::Object(map) = value else { return };
    if !map.contains_key("$ref") || !map.contains_key("description") {
        return;
    }
    let root = serde_json::json!({ "components": components });
    let Some((target, _)) = follow(&root, value) else {
        return;
    };
    let mut resolved = target.clone();
    if let (Value::Object(resolved), Some(d)) = (&mut resolved, value.get("description")) {
        resolved.insert("description".into(), d.clone());
    }
    *value = resolved;
}

/// Follows a `$ref` (and the `$ref`s its targets are) within `root`; the final
/// target and the first reference. `None` when `value` is not a reference or
/// the chain does not end in an object.
fn follow<'a>(root: &'a Value, value: &'a Value) -> Option<(&'a Value, &'a str)> {
    let first = value.get("$ref")?.as_str()?;
    let mut current = first;
    for _ in 0..MAX_REF_CHAIN {
        let target = resolve_local(root, current)?;
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next,
            None => return target.is_object().then_some((target, first)),
        }
    }
    None
}

/// A local reference (`#/a/b`) within `root`, percent-decoded.
fn resolve_local<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    root.pointer(&percent_decode(fragment))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Points every `$ref` and discriminator mapping that names a renamed location
/// (or something inside it) at the new location.
fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    let rename = |reference: &str| -> Option<String> {
        let decoded = percent_decode(reference);
        renames.iter().find_map(|(from, to)| {
            [reference, decoded.as_str()].iter().find_map(|r| {
                let rest = r.strip_prefix(from.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
            })
        })
    };
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(new) = rename(r) {
                    *r = new;
                }
            }
            if let Some(Value::Object(mapping)) = map
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
            {
                for target in mapping.values_mut() {
                    if let Value::String(t) = target {
                        if let Some(new) = rename(t) {
                            *t = new;
                        }
                    }
                }
            }
            for v in map.values_mut() {
                rewrite_refs(v, renames);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}
