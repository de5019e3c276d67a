//! Nothing is lost silently: for every operation of the whole 2026-08 Cloudflare spec,
//! every property declared in a schema reachable from its request body or its success
//! responses (through `$ref`, `allOf`, `oneOf`, `anyOf`, `items`, `additionalProperties`
//! and nested `properties`) is a field of a generated type, or sits below a pointer the
//! generation report lists.
//!
//! The walk here reads the raw JSON, independently of the generator's lowering; the
//! generator's side of the bargain is the `sources` it records on every field.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use apigen::ir::{Api, Decode};
use serde_json::Value;

/// Properties of an envelope's `errors`/`messages` items that the runtime's `ApiMessage` keeps.
const MESSAGE_FIELDS: &[&str] = &["code", "message", "documentation_url", "source", "pointer"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Coverage {
    /// Must be a field.
    Field,
    /// Below a reported pointer.
    Reported,
    /// Envelope metadata (`success`, `errors`, `messages`) that the runtime decodes itself.
    Envelope,
}

struct Walker<'a> {
    root: &'a Value,
    reported: Vec<String>,
    /// (component, coverage, envelope level) already walked.
    seen: HashSet<(String, Coverage, bool)>,
    /// Property declaration pointer → the best coverage any path gave it.
    found: BTreeMap<String, Coverage>,
}

impl<'a> Walker<'a> {
    fn is_reported(&self, pointer: &str) -> bool {
        self.reported.iter().any(|r| {
            pointer == r || (pointer.starts_with(r.as_str()) && pointer[r.len()..].starts_with('/'))
        })
    }

    fn record(&mut self, pointer: String, coverage: Coverage) {
        let entry = self.found.entry(pointer).or_insert(coverage);
        if coverage > *entry {
            *entry = coverage;
        }
    }

    /// Walks a schema at `pointer`. `envelope` is true at the level of a success envelope
    /// (until a property is entered); `messages` inside an envelope's errors/messages.
    fn schema(
        &mut self,
        node: &'a Value,
        pointer: &str,
        mut coverage: Coverage,
        envelope: bool,
        messages: bool,
    ) {
        if self.is_reported(pointer) && coverage == Coverage::Field {
            coverage = Coverage::Reported;
        }
        let Some(object) = node.as_object() else {
            return;
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                let key = (name.to_string(), coverage, envelope || messages);
                if self.seen.insert(key) {
                    let decoded = name.replace("~1", "/").replace("~0", "~");
                    if let Some(target) = self.root["components"]["schemas"].get(&decoded) {
                        self.schema(
                            target,
                            &format!("#/components/schemas/{name}"),
                            coverage,
                            envelope,
                            messages,
                        );
                    }
                }
            }
            return;
        }
        if let Some(props) = object.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let at = format!("{pointer}/properties/{}", token(name));
                let (own, inner_messages) = if messages {
                    // Inside errors/messages items: what the runtime's ApiMessage keeps.
                    let kept = MESSAGE_FIELDS.contains(&name.as_str());
                    (if kept { Coverage::Envelope } else { coverage }, kept)
                } else if envelope && matches!(name.as_str(), "success" | "errors" | "messages") {
                    (Coverage::Envelope, name != "success")
                } else if envelope && matches!(name.as_str(), "result" | "result_info") {
                    // Unwrapped by the client: the property itself is not a field.
                    (Coverage::Envelope, false)
                } else {
                    (coverage, false)
                };
                self.record(at.clone(), own);
                let inner = if inner_messages {
                    Coverage::Envelope
                } else {
                    coverage
                };
                self.schema(prop, &at, inner.max(coverage), false, inner_messages);
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(members) = object.get(keyword).and_then(Value::as_array) {
                for (i, member) in members.iter().enumerate() {
                    self.schema(
                        member,
                        &format!("{pointer}/{keyword}/{i}"),
                        coverage,
                        envelope,
                        messages,
                    );
                }
            }
        }
        if let Some(items) = object.get("items") {
            self.schema(
                items,
                &format!("{pointer}/items"),
                coverage,
                false,
                messages,
            );
        }
        if let Some(additional) = object.get("additionalProperties").filter(|a| a.is_object()) {
            self.schema(
                additional,
                &format!("{pointer}/additionalProperties"),
                coverage,
                false,
                messages,
            );
        }
    }

    /// A requestBody/response object (or a `$ref` to one): every media type's schema.
    fn content(&mut self, node: &'a Value, pointer: &str, envelope: bool) {
        let (node, pointer) = match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match resolve(self.root, r) {
                Some(target) => (target, r.to_string()),
                None => return,
            },
            None => (node, pointer.to_string()),
        };
        let coverage = if self.is_reported(&pointer) {
            Coverage::Reported
        } else {
            Coverage::Field
        };
        if let Some(content) = node.get("content").and_then(Value::as_object) {
            for (media, m) in content {
                if let Some(schema) = m.get("schema") {
                    let at = format!("{pointer}/content/{}/schema", token(media));
                    let json = media.contains("json") || media == "*/*";
                    self.schema(schema, &at, coverage, envelope && json, false);
                }
            }
        }
    }
}

fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn resolve<'v>(root: &'v Value, reference: &str) -> Option<&'v Value> {
    let path = reference.strip_prefix('#')?;
    root.pointer(path)
}

/// Every property declaration the generated types hold as fields (or fold into a type).
fn field_sources(api: &Api) -> HashSet<&str> {
    let mut out = HashSet::new();
    for def in &api.types.defs {
        // Only types some operation reaches are emitted.
        if def.used_by.is_empty() {
            continue;
        }
        out.extend(def.sources.iter().map(String::as_str));
        if let apigen::ir::TypeKind::Struct(s) = &def.kind {
            for f in &s.fields {
                out.extend(f.sources.iter().map(String::as_str));
            }
        }
    }
    out
}

#[test]
fn every_property_of_the_whole_2026_08_spec_is_a_field_or_reported() {
    check_spec("cloudflare-2026-08.json.gz", 3207);
}

#[test]
fn every_property_of_the_2024_01_spec_is_a_field_or_reported() {
    check_spec("cloudflare-2024-01.json.gz", 1400);
}

fn check_spec(file: &str, expected_operations: usize) {
    let spec_path = common::repo_root().join("tests/specs").join(file);
    let (tree, spec) = apigen::cut::read_tree(&spec_path).expect("the vendored spec reads");
    let api = apigen::ir::build(&spec, &apigen::ir::BuildOptions::with_prefix("CLOUDFLARE"))
        .expect("the spec lowers");
    let envelope_ops: HashSet<&str> = api
        .operations
        .iter()
        .filter(|op| op.response.decode == Decode::Envelope)
        .map(|op| op.pointer.as_str())
        .collect();
    let mut walker = Walker {
        root: &tree,
        reported: api.report.iter().map(|f| f.pointer.clone()).collect(),
        seen: HashSet::new(),
        found: BTreeMap::new(),
    };
    let mut operations = 0;
    let paths = tree["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace"
            ) {
                continue;
            }
            operations += 1;
            let op_pointer = format!("#/paths/{}/{method}", token(path));
            if let Some(body) = op.get("requestBody") {
                walker.content(body, &format!("{op_pointer}/requestBody"), false);
            }
            let envelope = envelope_ops.contains(op_pointer.as_str());
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                if status.starts_with('2')
                    || status == "default"
                        && op["responses"]
                            .as_object()
                            .is_some_and(|r| !r.keys().any(|k| k.starts_with('2')))
                {
                    walker.content(
                        response,
                        &format!("{op_pointer}/responses/{}", token(status)),
                        envelope,
                    );
                }
            }
        }
    }
    assert_eq!(
        operations, expected_operations,
        "every operation of {file} is walked"
    );

    let fields = field_sources(&api);
    let mut lost = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (pointer, coverage) in &walker.found {
        let kind = match coverage {
            Coverage::Envelope => "envelope metadata (decoded by the runtime)",
            _ if fields.contains(pointer.as_str()) => "fields",
            Coverage::Reported => "reported",
            Coverage::Field => {
                lost.push(pointer.clone());
                "lost"
            }
        };
        *counts.entry(kind).or_default() += 1;
    }
    println!(
        "property declarations reachable from the 2026-08 operations: {}",
        walker.found.len()
    );
    for (kind, n) in &counts {
        println!("  {kind}: {n}");
    }
    let sample: BTreeSet<&String> = lost.iter().take(200).collect();
    assert!(
        lost.is_empty(),
        "{} property declarations are neither fields nor reported, e.g.:\n{}",
        lost.len(),
        sample.into_iter().cloned().collect::<Vec<_>>().join("\n")
    );
}
