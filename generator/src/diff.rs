//! `apigen diff`: what a spec change does to the generated Rust API.
//!
//! Both specs are lowered to the IR and the *Rust* surface is compared:
//! operations are matched by their SDK path (`user.edit`), falling back to
//! their route (`PATCH /user`, path parameter names ignored) to detect renames.
//! Types are compared by walking both type graphs in parallel from each matched
//! operation (fields by Rust name, union variants by variant name), so a
//! renamed component schema is a rename, not a removal plus an addition.
//!
//! Every change is classified for Rust users of the generated crate:
//!
//! * a change is **breaking** when code that compiled against the old client
//!   may no longer compile, or when a value the old client accepted is now
//!   rejected by client-side validation;
//! * the supported ways to build request values are `Params::new(..)` plus the
//!   setters for parameters structs, and struct literals for nested request
//!   types (with `..Default::default()` when every field is optional);
//! * generated enums are exhaustive (no `#[non_exhaustive]`), so adding a value
//!   is breaking: a `match` without a wildcard arm stops compiling, and the
//!   value stops decoding as `Unknown(..)`;
//! * responses are never validated, so constraints reached only from
//!   responses do not break anything.
//!
//! A named type reached from several operations is compared once; its changes
//! are listed under the first operation (in sorted order) that reaches it, with
//! the others in `also_reached_from`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cut::{self, Selector};
use crate::error::{Error, Result};
use crate::ir::{
    self, Api, ArrayShape, Decode, Field, Location, Module, NumberShape, Operation, Shape,
    StringRepr, StringShape, TypeId, TypeKind,
};

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A method appeared.
    OperationAdded,
    /// A method disappeared.
    OperationRemoved,
    /// The same route is now reached through another method name.
    OperationRenamed,
    /// The method now sends another HTTP method or path.
    RouteChanged,
    /// The method is now `#[deprecated]`.
    OperationDeprecated,
    /// The method takes a new argument (positional path parameter or `params`).
    ArgumentAdded,
    /// The method lost an argument.
    ArgumentRemoved,
    /// The method returns another type.
    ReturnTypeChanged,
    /// A struct field appeared.
    FieldAdded,
    /// A struct field disappeared.
    FieldRemoved,
    /// A field became required.
    MadeRequired,
    /// A field became optional.
    MadeOptional,
    /// A field now accepts `null`.
    MadeNullable,
    /// A field no longer accepts `null`.
    MadeNonNullable,
    /// A path parameter at the same place in the route has another name.
    ParameterRenamed,
    /// A parameter travels elsewhere (query → header...); the Rust API is unchanged.
    ParameterMoved,
    /// A value's Rust type changed.
    TypeChanged,
    /// A named Rust type has another name or module.
    TypeRenamed,
    /// A struct no longer implements `Default` (a required field appeared).
    DefaultRemoved,
    /// A string enum gained a value.
    EnumValueAdded,
    /// A string enum lost a value.
    EnumValueRemoved,
    /// A string enum value has another Rust variant name.
    EnumVariantRenamed,
    /// A union gained an alternative.
    VariantAdded,
    /// A union lost an alternative.
    VariantRemoved,
    /// A union alternative has another Rust variant name.
    VariantRenamed,
    /// A validated constraint rejects values it used to accept.
    ConstraintTightened,
    /// A validated constraint accepts values it used to reject.
    ConstraintLoosened,
}

impl ChangeKind {
    /// Whether the change adds API surface (for the minor/patch decision).
    pub fn is_addition(self) -> bool {
        matches!(
            self,
            ChangeKind::OperationAdded
                | ChangeKind::ArgumentAdded
                | ChangeKind::FieldAdded
                | ChangeKind::EnumValueAdded
                | ChangeKind::VariantAdded
        )
    }
}

/// One change of the generated Rust API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Code written against the old client may stop compiling, or values it
    /// accepted may now fail client-side validation.
    pub breaking: bool,
    /// What kind of change.
    pub kind: ChangeKind,
    /// SDK path of the operation (`user.edit`); for renames, the new one.
    pub operation: String,
    /// Where in the operation (`params.body.first_name`, `result.organizations[].id`);
    /// empty for the operation itself.
    pub location: String,
    /// The named Rust type holding the changed member, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_type: Option<String>,
    /// What changed, in words (`maxLength lowered`).
    pub what: String,
    /// The old value or Rust type.
    pub old: Option<String>,
    /// The new value or Rust type.
    pub new: Option<String>,
    /// Why it is (or is not) breaking.
    pub reason: String,
    /// Other operations reaching the same named type (the change affects them too).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_reached_from: Vec<String>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct SpecSummary {
    /// The spec file.
    pub spec: PathBuf,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Operations compared.
    pub operations: usize,
}

/// The suggested version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Something breaks.
    Major,
    /// Something was added, nothing breaks.
    Minor,
    /// Nothing added, nothing breaks.
    Patch,
}

impl Bump {
    /// The bump for a crate at 1.0 or later.
    pub fn describe(self) -> &'static str {
        match self {
            Bump::Major => "major (x.y.z → (x+1).0.0)",
            Bump::Minor => "minor (x.y.z → x.(y+1).0)",
            Bump::Patch => "patch (x.y.z → x.y.(z+1))",
        }
    }

    /// This bump for a 0.x crate (Cargo treats 0.x → 0.(x+1) as breaking).
    pub fn describe_0x(self) -> &'static str {
        match self {
            Bump::Major => "major (0.x.y → 1.0.0)",
            Bump::Minor => "minor (0.x.y → 0.(x+1).0)",
            Bump::Patch => "patch (0.x.y → 0.x.(y+1))",
        }
    }
}

/// Counts and the suggested bump.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Non-breaking changes.
    pub non_breaking: usize,
    /// Suggested bump for a crate at 1.0 or later.
    pub bump: Bump,
    /// The equivalent bump for a 0.x crate (breaking → minor, anything else → patch).
    pub bump_0x: Bump,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The old spec.
    pub old: SpecSummary,
    /// The new spec.
    pub new: SpecSummary,
    /// Selectors both specs were cut to (empty: everything).
    pub only: Vec<String>,
    /// Every change, breaking first, then by operation and location.
    pub changes: Vec<Change>,
    /// Counts and the suggested bump.
    pub summary: Summary,
}

impl Report {
    /// Whether anything breaks.
    pub fn has_breaking(&self) -> bool {
        self.summary.breaking > 0
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report is plain data") + "\n"
    }

    /// The one-line summary that ends the Markdown report.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "Summary: {} breaking, {} non-breaking. Suggested bump: {}; for a 0.x crate: {}.",
            s.breaking,
            s.non_breaking,
            s.bump.describe(),
            s.bump_0x.describe_0x()
        )
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "# API diff: `{}` → `{}`\n\n",
            self.old.spec.display(),
            self.new.spec.display()
        ));
        out.push_str(&format!(
            "{} {} → {} {}: {} → {} operations",
            self.old.title,
            self.old.version,
            self.new.title,
            self.new.version,
            self.old.operations,
            self.new.operations
        ));
        if !self.only.is_empty() {
            let only: Vec<String> = self.only.iter().map(|s| format!("`{s}`")).collect();
            out.push_str(&format!(" (only {})", only.join(", ")));
        }
        out.push_str(".\n");
        for (breaking, title) in [(true, "Breaking changes"), (false, "Non-breaking changes")] {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {title} ({})\n", changes.len()));
            let mut current: Option<&str> = None;
            for change in changes {
                if current != Some(change.operation.as_str()) {
                    out.push_str(&format!("\n### `{}`\n\n", change.operation));
                    current = Some(&change.operation);
                }
                out.push_str(&markdown_line(change));
                out.push('\n');
            }
        }
        if self.changes.is_empty() {
            out.push_str("\nNo changes to the generated Rust API.\n");
        }
        out.push('\n');
        out.push_str(&self.summary_line());
        out.push('\n');
        out
    }
}

fn markdown_line(c: &Change) -> String {
    let mut line = String::from("- ");
    if c.location.is_empty() {
        let mut chars = c.what.chars();
        if let Some(first) = chars.next() {
            line.extend(first.to_uppercase());
            line.push_str(chars.as_str());
        }
    } else {
        line.push_str(&format!("`{}`", c.location));
        if let Some(t) = &c.in_type {
            line.push_str(&format!(" (in `{t}`)"));
        }
        line.push_str(": ");
        line.push_str(&c.what);
    }
    match (&c.old, &c.new) {
        (Some(old), Some(new)) => line.push_str(&format!(": `{old}` → `{new}`")),
        (Some(old), None) => line.push_str(&format!(" (was `{old}`)")),
        (None, Some(new)) => line.push_str(&format!(" (`{new}`)")),
        (None, None) => {}
    }
    line.push_str(" — ");
    line.push_str(&c.reason);
    if !c.also_reached_from.is_empty() {
        let shown: Vec<String> = c
            .also_reached_from
            .iter()
            .take(3)
            .map(|o| format!("`{o}`"))
            .collect();
        let more = c.also_reached_from.len().saturating_sub(3);
        line.push_str(&format!("; also reached from {}", shown.join(", ")));
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
    }
    line.push('.');
    line
}

/// Loads both specs (cut to `only` when given), builds their IR and compares them.
pub fn diff_files(old: &Path, new: &Path, only: &[String]) -> Result<Report> {
    let selectors: Vec<Selector> = only.iter().map(|s| Selector::parse(s)).collect();
    let (old_spec, new_spec) = if selectors.is_empty() {
        let (a, b) = rayon::join(
            || crate::parse::parse_file(old),
            || crate::parse::parse_file(new),
        );
        (a?, b?)
    } else {
        let (a, b) = rayon::join(|| cut::read_tree(old), || cut::read_tree(new));
        let (old_side, new_side) = (
            Side::select(a?, &selectors, old)?,
            Side::select(b?, &selectors, new)?,
        );
        if let Some(i) = (0..selectors.len()).find(|&i| !old_side.used[i] && !new_side.used[i]) {
            return Err(Error::Usage(format!(
                "selector `{}` matches no operation in {} nor in {} (use an SDK name like `user.edit`, a resource like `zero_trust.access`, an operationId, or `PATCH /user`)",
                only[i],
                old.display(),
                new.display()
            )));
        }
        // An operation selected on one side is compared with the operation at the
        // same route on the other, even when its SDK name changed.
        let (old_routes, new_routes) = (old_side.routes(), new_side.routes());
        let (a, b) = rayon::join(
            || old_side.finish(&new_routes, old),
            || new_side.finish(&old_routes, new),
        );
        (a?, b?)
    };
    let (old_api, new_api) = rayon::join(|| lower(&old_spec, old), || lower(&new_spec, new));
    let (old_api, new_api) = (old_api?, new_api?);
    drop((old_spec, new_spec));
    let changes = compare(&old_api, &new_api);
    let summary = summarize(&changes);
    Ok(Report {
        old: spec_summary(old, &old_api),
        new: spec_summary(new, &new_api),
        only: only.to_vec(),
        changes,
        summary,
    })
}

fn spec_summary(path: &Path, api: &Api) -> SpecSummary {
    SpecSummary {
        spec: path.to_path_buf(),
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.len(),
    }
}

fn lower(spec: &openapiv3::OpenAPI, file: &Path) -> Result<Api> {
    let env_prefix = crate::crate_name_from_title(&spec.info.title)
        .to_uppercase()
        .replace('-', "_");
    ir::build(spec, &ir::BuildOptions { env_prefix }).map_err(|e| Error::Spec {
        file: file.to_path_buf(),
        pointer: e.pointer,
        message: e.message,
    })
}

/// One spec being cut to `--only`.
struct Side {
    tree: serde_json::Value,
    spec: openapiv3::OpenAPI,
    /// Which selectors match something here (a resource may exist in one spec only).
    used: Vec<bool>,
    /// The selectors that do.
    matching: Vec<Selector>,
    /// `(method, path)` of every operation they select.
    selected: Vec<(String, String)>,
}

impl Side {
    fn select(
        (tree, spec): (serde_json::Value, openapiv3::OpenAPI),
        selectors: &[Selector],
        path: &Path,
    ) -> Result<Side> {
        let (used, kept) = match cut::cut(tree.clone(), &spec, selectors, path) {
            Ok(kept) => (vec![true; selectors.len()], kept),
            Err(Error::Usage(_)) => {
                let used: Vec<bool> = selectors
                    .iter()
                    .map(|s| cut::cut(tree.clone(), &spec, std::slice::from_ref(s), path).is_ok())
                    .collect();
                let matching: Vec<Selector> = selectors
                    .iter()
                    .zip(&used)
                    .filter(|(_, u)| **u)
                    .map(|(s, _)| s.clone())
                    .collect();
                let kept = cut::cut(tree.clone(), &spec, &matching, path)?;
                (used, kept)
            }
            Err(e) => return Err(e),
        };
        let matching: Vec<Selector> = selectors
            .iter()
            .zip(&used)
            .filter(|(_, u)| **u)
            .map(|(s, _)| s.clone())
            .collect();
        let selected = operations_of(&kept);
        Ok(Side {
            tree,
            spec,
            used,
            matching,
            selected,
        })
    }

    /// Route keys of the selected operations.
    fn routes(&self) -> BTreeSet<(String, String)> {
        self.selected
            .iter()
            .map(|(m, p)| (m.to_ascii_uppercase(), erase_params(p)))
            .collect()
    }

    /// The cut spec: the selected operations, plus those at the other side's routes.
    fn finish(
        mut self,
        other: &BTreeSet<(String, String)>,
        path: &Path,
    ) -> Result<openapiv3::OpenAPI> {
        for (method, route) in operations_of(&self.tree) {
            if other.contains(&(method.to_ascii_uppercase(), erase_params(&route))) {
                self.matching.push(Selector::Route {
                    method,
                    path: route,
                });
            }
        }
        let kept = cut::cut(self.tree, &self.spec, &self.matching, path)?;
        cut::into_spec(kept, path)
    }
}

/// `(method, path)` of every operation in a spec tree.
fn operations_of(tree: &serde_json::Value) -> Vec<(String, String)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut out = Vec::new();
    if let Some(paths) = tree.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(method).is_some_and(|o| o.is_object()) {
                    out.push((method.to_string(), path.clone()));
                }
            }
        }
    }
    out
}

fn summarize(changes: &[Change]) -> Summary {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let non_breaking = changes.len() - breaking;
    let added = changes.iter().any(|c| !c.breaking && c.kind.is_addition());
    let bump = if breaking > 0 {
        Bump::Major
    } else if added {
        Bump::Minor
    } else {
        Bump::Patch
    };
    let bump_0x = if bump == Bump::Major {
        Bump::Minor
    } else {
        Bump::Patch
    };
    Summary {
        breaking,
        non_breaking,
        bump,
        bump_0x,
    }
}

/// SDK path of an operation: resource module path, then method name (`zero_trust.access.users.update`).
pub fn operation_name(api: &Api, op: &Operation) -> String {
    let mut parts: Vec<&str> = api.resources[op.resource]
        .path
        .iter()
        .map(|i| i.bare())
        .collect();
    parts.push(op.method_name.bare());
    parts.join(".")
}

fn route(op: &Operation) -> String {
    format!("{} {}", op.http_method, op.path)
}

/// `(METHOD, path with parameter names erased)`: renaming `{zone_id}` to
/// `{zone_identifier}` keeps the route.
fn route_key(op: &Operation) -> (String, String) {
    (op.http_method.clone(), erase_params(&op.path))
}

/// `/zones/{zone_id}/dns` → `/zones/{}/dns`.
fn erase_params(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// Which way values of a type travel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sides {
    request: bool,
    response: bool,
}

const REQUEST: Sides = Sides {
    request: true,
    response: false,
};
const RESPONSE: Sides = Sides {
    request: false,
    response: true,
};

/// A pair of named types (old, new) reached at the same place.
type Pair = (TypeId, TypeId);

/// Where an operation's type graph starts: a pair, which way it travels, and where.
type Root = (Pair, Sides, String);

struct PairInfo {
    /// Operation that first reaches the pair, and where.
    operation: String,
    at: String,
    children: Vec<Pair>,
    sides: Sides,
    operations: BTreeSet<String>,
}

/// Compares two IRs; changes come sorted (breaking first, then operation, location).
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let old_names: Vec<String> = old
        .operations
        .iter()
        .map(|o| operation_name(old, o))
        .collect();
    let new_names: Vec<String> = new
        .operations
        .iter()
        .map(|o| operation_name(new, o))
        .collect();
    let new_by_name: HashMap<&str, usize> = new_names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();

    let mut matched: Vec<(usize, usize, bool)> = Vec::new();
    let mut new_taken = vec![false; new.operations.len()];
    let mut old_left: Vec<usize> = Vec::new();
    for (i, name) in old_names.iter().enumerate() {
        match new_by_name.get(name.as_str()) {
            Some(&j) => {
                matched.push((i, j, false));
                new_taken[j] = true;
            }
            None => old_left.push(i),
        }
    }
    let mut new_by_route: BTreeMap<(String, String), VecDeque<usize>> = BTreeMap::new();
    for (j, op) in new.operations.iter().enumerate() {
        if !new_taken[j] {
            new_by_route.entry(route_key(op)).or_default().push_back(j);
        }
    }
    old_left.sort_by(|a, b| old_names[*a].cmp(&old_names[*b]));
    let mut removed = Vec::new();
    for i in old_left {
        match new_by_route
            .get_mut(&route_key(&old.operations[i]))
            .and_then(|q| q.pop_front())
        {
            Some(j) => {
                matched.push((i, j, true));
                new_taken[j] = true;
            }
            None => removed.push(i),
        }
    }

    let mut changes = Vec::new();
    for i in removed {
        let op = &old.operations[i];
        changes.push(Change {
            breaking: true,
            kind: ChangeKind::OperationRemoved,
            operation: old_names[i].clone(),
            location: String::new(),
            in_type: None,
            what: "method removed".into(),
            old: Some(route(op)),
            new: None,
            reason: "code calling it no longer compiles".into(),
            also_reached_from: Vec::new(),
        });
    }
    for (j, op) in new.operations.iter().enumerate() {
        if !new_taken[j] {
            changes.push(Change {
                breaking: false,
                kind: ChangeKind::OperationAdded,
                operation: new_names[j].clone(),
                location: String::new(),
                in_type: None,
                what: "method added".into(),
                old: None,
                new: Some(route(op)),
                reason: "new API surface; existing code is unaffected".into(),
                also_reached_from: Vec::new(),
            });
        }
    }

    // Operations in the order of their (new) names, so "first reached from" is stable.
    matched.sort_by(|a, b| new_names[a.1].cmp(&new_names[b.1]));
    let mut cmp = Cmp::new(old, new);
    let mut roots: Vec<(String, Vec<Root>)> = Vec::new();
    for &(i, j, renamed) in &matched {
        let name = new_names[j].clone();
        cmp.operation = name.clone();
        cmp.in_type = None;
        let start = cmp.changes.len();
        let op_roots = cmp.operation_pair(
            &old.operations[i],
            &new.operations[j],
            renamed.then(|| old_names[i].clone()),
        );
        if renamed {
            // The params/result types are named after the method; the rename says it all.
            let tail = cmp.changes.split_off(start);
            cmp.changes.extend(tail.into_iter().filter(|c| {
                c.kind != ChangeKind::TypeRenamed
                    || (c.location != "params" && c.location != "result")
            }));
        }
        roots.push((name, op_roots));
    }
    changes.append(&mut cmp.changes);

    // Discover the named type pairs each operation reaches, breadth first.
    let mut pairs: HashMap<Pair, PairInfo> = HashMap::new();
    let mut order: Vec<Pair> = Vec::new();
    for (name, op_roots) in &roots {
        let mut queue: VecDeque<(Pair, String)> =
            op_roots.iter().map(|(p, _, at)| (*p, at.clone())).collect();
        while let Some((pair, at)) = queue.pop_front() {
            if pairs.contains_key(&pair) {
                continue;
            }
            cmp.sides = Sides::default();
            cmp.operation = name.clone();
            let found = cmp.pair_contents(pair, &at);
            cmp.changes.clear();
            let children: Vec<Pair> = found.iter().map(|(p, _)| *p).collect();
            queue.extend(found);
            pairs.insert(
                pair,
                PairInfo {
                    operation: name.clone(),
                    at,
                    children,
                    sides: Sides::default(),
                    operations: BTreeSet::new(),
                },
            );
            order.push(pair);
        }
    }
    // Which operations reach each pair, and from which side.
    for (name, op_roots) in &roots {
        for side in [REQUEST, RESPONSE] {
            let mut seen: HashSet<Pair> = HashSet::new();
            let mut stack: Vec<Pair> = op_roots
                .iter()
                .filter(|(_, s, _)| *s == side)
                .map(|(p, _, _)| *p)
                .collect();
            while let Some(pair) = stack.pop() {
                if !seen.insert(pair) {
                    continue;
                }
                let info = pairs
                    .get_mut(&pair)
                    .expect("every reached pair was discovered");
                info.sides.request |= side.request;
                info.sides.response |= side.response;
                info.operations.insert(name.clone());
                stack.extend(info.children.iter().copied());
            }
        }
    }
    // Compare each pair once.
    for pair in &order {
        let info = &pairs[pair];
        cmp.operation = info.operation.clone();
        cmp.sides = info.sides;
        let start = cmp.changes.len();
        cmp.pair_contents(*pair, &info.at);
        let also: Vec<String> = info
            .operations
            .iter()
            .filter(|o| **o != info.operation)
            .cloned()
            .collect();
        for c in &mut cmp.changes[start..] {
            c.also_reached_from = also.clone();
        }
    }
    changes.append(&mut cmp.changes);

    changes.sort_by(|a, b| {
        (
            !a.breaking,
            &a.operation,
            &a.location,
            a.kind,
            &a.what,
            &a.old,
            &a.new,
        )
            .cmp(&(
                !b.breaking,
                &b.operation,
                &b.location,
                b.kind,
                &b.what,
                &b.old,
                &b.new,
            ))
    });
    // A renamed type is reported once, where it is first met.
    let mut renames: HashSet<(Option<String>, Option<String>)> = HashSet::new();
    changes.retain(|c| {
        c.kind != ChangeKind::TypeRenamed || renames.insert((c.old.clone(), c.new.clone()))
    });
    changes.dedup();
    changes
}

/// The comparison state: where we are, and what was found.
struct Cmp<'a> {
    old: &'a Api,
    new: &'a Api,
    operation: String,
    in_type: Option<String>,
    sides: Sides,
    changes: Vec<Change>,
    /// Named type pairs met while comparing, with where.
    pairs: Vec<(Pair, String)>,
}

/// How a field's base type is wrapped.
fn field_wrap(f: &Field) -> (bool, &Shape) {
    match &f.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    }
}

fn all_optional(fields: &[Field]) -> bool {
    fields.iter().all(|f| !f.required)
}

fn location_label(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body | Location::WholeBody => "body",
    }
}

impl<'a> Cmp<'a> {
    fn new(old: &'a Api, new: &'a Api) -> Cmp<'a> {
        Cmp {
            old,
            new,
            operation: String::new(),
            in_type: None,
            sides: Sides::default(),
            changes: Vec::new(),
            pairs: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        breaking: bool,
        at: &str,
        what: impl Into<String>,
        old: Option<String>,
        new: Option<String>,
        reason: impl Into<String>,
    ) {
        self.changes.push(Change {
            breaking,
            kind,
            operation: self.operation.clone(),
            location: at.to_string(),
            in_type: self.in_type.clone(),
            what: what.into(),
            old,
            new,
            reason: reason.into(),
            also_reached_from: Vec::new(),
        });
    }

    /// Compares the method itself; returns the named type pairs it starts from.
    fn operation_pair(
        &mut self,
        o: &Operation,
        n: &Operation,
        renamed_from: Option<String>,
    ) -> Vec<Root> {
        if let Some(old_name) = renamed_from {
            self.push(
                ChangeKind::OperationRenamed,
                true,
                "",
                format!("method renamed (same route, `{}`)", route(n)),
                Some(old_name),
                Some(self.operation.clone()),
                "code calling the old name no longer compiles",
            );
        }
        if route_key(o) != route_key(n) {
            self.push(
                ChangeKind::RouteChanged,
                false,
                "",
                "route changed",
                Some(route(o)),
                Some(route(n)),
                "the Rust signature is unchanged; only the request sent differs",
            );
        }
        if !o.docs.deprecated && n.docs.deprecated {
            self.push(
                ChangeKind::OperationDeprecated,
                false,
                "",
                "method deprecated",
                None,
                None,
                "calls still compile, with a deprecation warning",
            );
        }
        let mut roots = Vec::new();
        self.sides = REQUEST;
        self.pairs.clear();
        match (&o.positional, &n.positional) {
            (None, Some(p)) => self.push(
                ChangeKind::ArgumentAdded,
                true,
                &format!("args.{}", p.ident.bare()),
                "positional argument added",
                None,
                Some(self.arg_type(self.new, &p.shape)),
                "every call must pass one more argument",
            ),
            (Some(p), None) => self.push(
                ChangeKind::ArgumentRemoved,
                true,
                &format!("args.{}", p.ident.bare()),
                "positional argument removed",
                Some(self.arg_type(self.old, &p.shape)),
                None,
                "every call passes one argument too many",
            ),
            (Some(a), Some(b)) => {
                let at = format!("args.{}", b.ident.bare());
                let mark = self.mark();
                let same = self.shape(&a.shape, &b.shape, &at)
                    && self.arg_type(self.old, &a.shape) == self.arg_type(self.new, &b.shape);
                if !same {
                    self.reset(mark);
                    self.push(
                        ChangeKind::TypeChanged,
                        true,
                        &at,
                        "argument type changed",
                        Some(self.arg_type(self.old, &a.shape)),
                        Some(self.arg_type(self.new, &b.shape)),
                        "calls passing the old type no longer compile",
                    );
                }
            }
            (None, None) => {}
        }
        roots.extend(self.pairs.drain(..).map(|(p, at)| (p, REQUEST, at)));
        match (o.params_type, n.params_type) {
            (None, Some(id)) => self.push(
                ChangeKind::ArgumentAdded,
                true,
                "params",
                "`params` argument added",
                None,
                Some(type_path(self.new, id)),
                "every call must pass a parameters struct",
            ),
            (Some(id), None) => self.push(
                ChangeKind::ArgumentRemoved,
                true,
                "params",
                "`params` argument removed",
                Some(type_path(self.old, id)),
                None,
                "calls passing parameters no longer compile",
            ),
            (Some(a), Some(b)) => {
                self.pairs.clear();
                self.named(a, b, "params");
                roots.extend(self.pairs.drain(..).map(|(p, at)| (p, REQUEST, at)));
            }
            (None, None) => {}
        }
        self.sides = RESPONSE;
        let (old_ret, new_ret) = (self.return_type(self.old, o), self.return_type(self.new, n));
        let typed = |d: Decode| matches!(d, Decode::Envelope | Decode::Json);
        match (o.response.result_type, n.response.result_type) {
            (Some(a), Some(b)) if typed(o.response.decode) && typed(n.response.decode) => {
                self.pairs.clear();
                let mark = self.mark();
                if !self.named(a, b, "result") {
                    self.reset(mark);
                    self.push(
                        ChangeKind::ReturnTypeChanged,
                        true,
                        "result",
                        "return type changed",
                        Some(old_ret.clone()),
                        Some(new_ret.clone()),
                        "code using the result as the old type no longer compiles",
                    );
                } else {
                    roots.extend(self.pairs.drain(..).map(|(p, at)| (p, RESPONSE, at)));
                    if o.response.optional != n.response.optional {
                        let reason = if n.response.optional {
                            "the method now returns an `Option`; code using the value directly no longer compiles"
                        } else {
                            "the method no longer returns an `Option`; code matching on `Some`/`None` no longer compiles"
                        };
                        self.push(
                            ChangeKind::ReturnTypeChanged,
                            true,
                            "result",
                            if n.response.optional {
                                "result made optional"
                            } else {
                                "result made non-optional"
                            },
                            Some(old_ret),
                            Some(new_ret),
                            reason,
                        );
                    }
                }
            }
            _ if old_ret != new_ret => self.push(
                ChangeKind::ReturnTypeChanged,
                true,
                "result",
                "return type changed",
                Some(old_ret),
                Some(new_ret),
                "code using the result as the old type no longer compiles",
            ),
            _ => {}
        }
        roots
    }

    /// The Rust type of a positional argument.
    fn arg_type(&self, api: &Api, shape: &Shape) -> String {
        match shape {
            Shape::String(s) if s.repr() == StringRepr::Plain => "&str".into(),
            other => render(api, other),
        }
    }

    /// What the method's `ApiRequest` resolves to.
    fn return_type(&self, api: &Api, op: &Operation) -> String {
        let base = match op.response.decode {
            Decode::Envelope | Decode::Json => match op.response.result_type {
                Some(id) => render(api, &Shape::Named(id)),
                None => "serde_json::Value".into(),
            },
            Decode::Text => "String".into(),
            Decode::Bytes => "Vec<u8>".into(),
            Decode::Empty => "()".into(),
        };
        if op.response.optional {
            format!("Option<{base}>")
        } else {
            base
        }
    }

    fn mark(&self) -> (usize, usize) {
        (self.changes.len(), self.pairs.len())
    }

    fn reset(&mut self, mark: (usize, usize)) {
        self.changes.truncate(mark.0);
        self.pairs.truncate(mark.1);
    }

    /// Compares a named type pair's own members; returns the pairs it leads to.
    fn pair_contents(&mut self, (a, b): Pair, at: &str) -> Vec<(Pair, String)> {
        let saved = std::mem::take(&mut self.pairs);
        let (old_def, new_def) = (self.old.types.get(a), self.new.types.get(b));
        self.in_type = Some(type_path(self.new, b));
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct(s), TypeKind::Struct(t)) => {
                let is_params = t.is_params;
                if all_optional(&s.fields) && !all_optional(&t.fields) {
                    let required: Vec<&str> = t
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.ident.bare())
                        .collect();
                    self.push(
                        ChangeKind::DefaultRemoved,
                        true,
                        at,
                        "no longer implements `Default`",
                        None,
                        Some(format!("required: {}", required.join(", "))),
                        "a required field appeared; `Default::default()` and `..Default::default()` no longer compile",
                    );
                }
                let key = |f: &'a Field| f.ident.bare();
                let olds: BTreeMap<&str, &Field> = s.fields.iter().map(|f| (key(f), f)).collect();
                let news: BTreeMap<&str, &Field> = t.fields.iter().map(|f| (key(f), f)).collect();
                let names: BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
                let default_before = all_optional(&s.fields);
                let default_after = all_optional(&t.fields);
                // A path parameter renamed in the template (`{identifier}` → `{zone_id}`)
                // keeps its place: pair such fields rather than report removed + added.
                let mut path_renames: Vec<(&Field, &Field)> = Vec::new();
                if is_params {
                    let path_fields = |fields: &'a [Field]| -> Vec<&'a Field> {
                        fields
                            .iter()
                            .filter(|f| f.location == Location::Path)
                            .collect()
                    };
                    for (f, g) in path_fields(&s.fields)
                        .into_iter()
                        .zip(path_fields(&t.fields))
                    {
                        if !news.contains_key(key(f)) && !olds.contains_key(key(g)) {
                            path_renames.push((f, g));
                        }
                    }
                }
                let renamed: BTreeSet<&str> = path_renames
                    .iter()
                    .flat_map(|(f, g)| [key(f), key(g)])
                    .collect();
                let args = |api: &Api, fields: &[Field]| -> Vec<String> {
                    fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| field_type(api, f))
                        .collect()
                };
                let same_args = args(self.old, &s.fields) == args(self.new, &t.fields);
                for (f, g) in path_renames {
                    let field_at = format!("{at}.path.{}", key(g));
                    self.push(
                        ChangeKind::ParameterRenamed,
                        true,
                        &field_at,
                        "path parameter renamed",
                        Some(key(f).to_string()),
                        Some(key(g).to_string()),
                        if same_args {
                            "the struct field is renamed, so code naming it breaks; `new(...)` calls still compile (same argument position and type)"
                        } else {
                            "the struct field is renamed, so code naming it breaks"
                        },
                    );
                    self.field_pair(f, g, &field_at, true);
                }
                for name in names.into_iter().filter(|n| !renamed.contains(n)) {
                    let field_at = |f: &Field| {
                        if !is_params {
                            format!("{at}.{name}")
                        } else if f.location == Location::WholeBody {
                            format!("{at}.body")
                        } else {
                            format!("{at}.{}.{name}", location_label(f.location))
                        }
                    };
                    match (olds.get(name), news.get(name)) {
                        (Some(f), Some(g)) => self.field_pair(f, g, &field_at(g), is_params),
                        (Some(f), None) => {
                            let reason = if is_params {
                                "code passing or setting it no longer compiles"
                            } else if self.sides.request {
                                "code setting or reading it no longer compiles"
                            } else {
                                "code reading it no longer compiles"
                            };
                            self.push(
                                ChangeKind::FieldRemoved,
                                true,
                                &field_at(f),
                                if is_params {
                                    "parameter removed"
                                } else {
                                    "field removed"
                                },
                                Some(field_type(self.old, f)),
                                None,
                                reason,
                            );
                        }
                        (None, Some(g)) => {
                            let (breaking, reason) = if is_params {
                                if g.required {
                                    (true, "required: `new(...)` gains an argument")
                                } else {
                                    (false, "optional: a new setter; existing calls compile")
                                }
                            } else if self.sides.request {
                                if g.required {
                                    (true, "required in a request type: struct literals must now set it")
                                } else if default_before && default_after {
                                    (false, "optional; literals using `..Default::default()` still compile")
                                } else {
                                    (true, "request types have no builder: struct literals must list every field")
                                }
                            } else if g.required {
                                (false, "response type: code reading it is unaffected")
                            } else {
                                (
                                    false,
                                    "optional, in a response type: code reading it is unaffected",
                                )
                            };
                            self.push(
                                ChangeKind::FieldAdded,
                                breaking,
                                &field_at(g),
                                if is_params {
                                    "parameter added"
                                } else {
                                    "field added"
                                },
                                None,
                                Some(field_type(self.new, g)),
                                reason,
                            );
                        }
                        (None, None) => {}
                    }
                }
                let extra_at = format!("{at}.additional_properties");
                match (&s.additional, &t.additional) {
                    (Some(x), Some(y)) => {
                        let mark = self.mark();
                        if !self.map_values(x, y, &extra_at) {
                            self.reset(mark);
                            self.push(
                                ChangeKind::TypeChanged,
                                true,
                                &extra_at,
                                "type changed",
                                Some(render(self.old, &Shape::Map(Box::new(x.clone())))),
                                Some(render(self.new, &Shape::Map(Box::new(y.clone())))),
                                "code using the old type no longer compiles",
                            );
                        }
                    }
                    (Some(x), None) => self.push(
                        ChangeKind::FieldRemoved,
                        true,
                        &extra_at,
                        "additional properties removed",
                        Some(render(self.old, &Shape::Map(Box::new(x.clone())))),
                        None,
                        "code using the flattened map no longer compiles",
                    ),
                    (None, Some(y)) => {
                        let breaking = self.sides.request && !is_params && !default_after;
                        self.push(
                            ChangeKind::FieldAdded,
                            breaking,
                            &extra_at,
                            "additional properties added",
                            None,
                            Some(render(self.new, &Shape::Map(Box::new(y.clone())))),
                            if breaking {
                                "request types have no builder: struct literals must list every field"
                            } else {
                                "a new flattened map field; existing code is unaffected"
                            },
                        );
                    }
                    (None, None) => {}
                }
            }
            (TypeKind::Enum(e), TypeKind::Enum(f)) => {
                let olds: BTreeMap<&str, &str> = e
                    .variants
                    .iter()
                    .map(|v| (v.value.as_str(), v.ident.as_str()))
                    .collect();
                let news: BTreeMap<&str, &str> = f
                    .variants
                    .iter()
                    .map(|v| (v.value.as_str(), v.ident.as_str()))
                    .collect();
                for (value, ident) in &olds {
                    match news.get(value) {
                        None => self.push(
                            ChangeKind::EnumValueRemoved,
                            true,
                            at,
                            format!("enum value `{value}` removed"),
                            Some((*ident).to_string()),
                            None,
                            if self.sides.request {
                                "code naming the variant no longer compiles"
                            } else {
                                "code naming the variant no longer compiles; the value now decodes as `Unknown(..)`"
                            },
                        ),
                        Some(new_ident) if new_ident != ident => self.push(
                            ChangeKind::EnumVariantRenamed,
                            true,
                            at,
                            format!("variant of `{value}` renamed"),
                            Some((*ident).to_string()),
                            Some((*new_ident).to_string()),
                            "code naming the old variant no longer compiles",
                        ),
                        Some(_) => {}
                    }
                }
                for (value, ident) in &news {
                    if !olds.contains_key(value) {
                        self.push(
                            ChangeKind::EnumValueAdded,
                            true,
                            at,
                            format!("enum value `{value}` added"),
                            None,
                            Some((*ident).to_string()),
                            "generated enums are not `#[non_exhaustive]`: a `match` without a wildcard arm stops compiling, and the value no longer decodes as `Unknown(..)`",
                        );
                    }
                }
            }
            (TypeKind::Union(u), TypeKind::Union(v)) => {
                let old_idents: BTreeSet<&str> =
                    u.variants.iter().map(|x| x.ident.as_str()).collect();
                let new_idents: BTreeSet<&str> =
                    v.variants.iter().map(|x| x.ident.as_str()).collect();
                let mut matched: Vec<(&ir::UnionVariant, &ir::UnionVariant, bool)> = Vec::new();
                for x in &u.variants {
                    if let Some(y) = v.variants.iter().find(|y| y.ident == x.ident) {
                        matched.push((x, y, false));
                    }
                }
                // Variants are named after their types: a renamed component renames
                // the variant. Pair the leftovers in order, when their types agree.
                let mut new_left: Vec<&ir::UnionVariant> = v
                    .variants
                    .iter()
                    .filter(|y| !old_idents.contains(y.ident.as_str()))
                    .collect();
                let mut removed = Vec::new();
                for x in u
                    .variants
                    .iter()
                    .filter(|x| !new_idents.contains(x.ident.as_str()))
                {
                    let found = new_left.iter().position(|y| {
                        let mark = self.mark();
                        let same = self.shape(&x.shape, &y.shape, at) && x.boxed == y.boxed;
                        self.reset(mark);
                        same
                    });
                    match found {
                        Some(k) => matched.push((x, new_left.remove(k), true)),
                        None => removed.push(x),
                    }
                }
                for (x, y, renamed) in matched {
                    let variant_at = format!("{at}.{}", y.ident);
                    if renamed {
                        self.push(
                            ChangeKind::VariantRenamed,
                            true,
                            &variant_at,
                            "union variant renamed",
                            Some(x.ident.clone()),
                            Some(y.ident.clone()),
                            "code naming the old variant no longer compiles",
                        );
                    }
                    let mark = self.mark();
                    if !(self.shape(&x.shape, &y.shape, &variant_at) && x.boxed == y.boxed) {
                        self.reset(mark);
                        self.push(
                            ChangeKind::TypeChanged,
                            true,
                            &variant_at,
                            "variant type changed",
                            Some(boxed(render(self.old, &x.shape), x.boxed)),
                            Some(boxed(render(self.new, &y.shape), y.boxed)),
                            "code building or matching the variant with the old type no longer compiles",
                        );
                    }
                }
                for x in removed {
                    self.push(
                        ChangeKind::VariantRemoved,
                        true,
                        &format!("{at}.{}", x.ident),
                        "union variant removed",
                        Some(boxed(render(self.old, &x.shape), x.boxed)),
                        None,
                        "code naming the variant no longer compiles",
                    );
                }
                for y in new_left {
                    self.push(
                        ChangeKind::VariantAdded,
                        true,
                        &format!("{at}.{}", y.ident),
                        "union variant added",
                        None,
                        Some(boxed(render(self.new, &y.shape), y.boxed)),
                        "unions are exhaustive enums: a `match` without a wildcard arm stops compiling, and values may decode into the new variant",
                    );
                }
            }
            _ => {}
        }
        self.in_type = None;
        std::mem::replace(&mut self.pairs, saved)
    }

    /// Compares a struct field present on both sides.
    fn field_pair(&mut self, f: &Field, g: &Field, at: &str, is_params: bool) {
        let (old_null, old_base) = field_wrap(f);
        let (new_null, new_base) = field_wrap(g);
        let (old_ty, new_ty) = (field_type(self.old, f), field_type(self.new, g));
        if is_params && f.location != g.location {
            self.push(
                ChangeKind::ParameterMoved,
                false,
                at,
                "parameter moved",
                Some(location_label(f.location).into()),
                Some(location_label(g.location).into()),
                "the Rust API is unchanged; only the request sent differs",
            );
        }
        let mark = self.mark();
        if !(self.shape(old_base, new_base, at) && f.boxed == g.boxed) {
            self.reset(mark);
            let reason = if is_params && (f.required || g.required) {
                "code passing the old type (to `new(...)` or the setter) no longer compiles"
            } else if is_params {
                "code passing the old type to the setter no longer compiles"
            } else {
                "code using the old type no longer compiles"
            };
            self.push(
                ChangeKind::TypeChanged,
                true,
                at,
                "type changed",
                Some(old_ty),
                Some(new_ty),
                reason,
            );
            return;
        }
        let type_changes = old_ty != new_ty;
        if f.required != g.required {
            let (kind, what) = if g.required {
                (ChangeKind::MadeRequired, "made required")
            } else {
                (ChangeKind::MadeOptional, "made optional")
            };
            let (breaking, reason) = if is_params {
                let mut reason = if g.required {
                    "`new(...)` gains an argument and the setter goes away".to_string()
                } else {
                    "`new(...)` loses the argument, which becomes a setter".to_string()
                };
                if type_changes {
                    reason.push_str("; the field's type changes too");
                }
                (true, reason)
            } else if !type_changes {
                (
                    false,
                    "the Rust type is unchanged (a nullable field is an `Option` either way); only serialization differs".to_string(),
                )
            } else if g.required {
                (
                    true,
                    "the field's type loses its `Option`: code handling `None` or passing `Some(..)` no longer compiles".to_string(),
                )
            } else {
                (
                    true,
                    "the field's type becomes an `Option`: code reading or setting it as a plain value no longer compiles, even if the server still always sends it".to_string(),
                )
            };
            self.push(kind, breaking, at, what, Some(old_ty), Some(new_ty), reason);
        } else if old_null != new_null {
            let (kind, what) = if new_null {
                (ChangeKind::MadeNullable, "made nullable")
            } else {
                (ChangeKind::MadeNonNullable, "made non-nullable")
            };
            let (breaking, reason) = if type_changes {
                (true, "the field's Rust type changes")
            } else {
                (false, "the Rust type is unchanged")
            };
            self.push(kind, breaking, at, what, Some(old_ty), Some(new_ty), reason);
        }
    }

    /// Compares two named types at `at`: records the pair (or compares the
    /// shapes aliases stand for). False when the Rust types differ.
    fn named(&mut self, a: TypeId, b: TypeId, at: &str) -> bool {
        let (ra, rb) = (resolve(self.old, a), resolve(self.new, b));
        let same = match (&ra, &rb) {
            (Resolved::Def(x), Resolved::Def(y)) => {
                let kind = |api: &Api, id: TypeId| std::mem::discriminant(&api.types.get(id).kind);
                if kind(self.old, *x) == kind(self.new, *y) {
                    self.pairs.push(((*x, *y), at.to_string()));
                    true
                } else {
                    false
                }
            }
            (Resolved::Shape(x), Resolved::Shape(y)) => self.shape(x, y, at),
            _ => false,
        };
        if same {
            let (old_path, new_path) = (type_path(self.old, a), type_path(self.new, b));
            if old_path != new_path {
                self.push(
                    ChangeKind::TypeRenamed,
                    true,
                    at,
                    "type renamed",
                    Some(old_path),
                    Some(new_path),
                    "code naming the old type no longer compiles",
                );
            }
        }
        same
    }

    /// Compares two shapes at `at`, recording constraint changes and named
    /// type pairs. False when the Rust types differ.
    fn shape(&mut self, a: &Shape, b: &Shape, at: &str) -> bool {
        use Shape::*;
        match (a, b) {
            (Named(x), Named(y)) => self.named(*x, *y, at),
            (Named(x), _) => match resolve(self.old, *x) {
                Resolved::Shape(s) => self.shape(&s, b, at),
                Resolved::Def(_) => false,
            },
            (_, Named(y)) => match resolve(self.new, *y) {
                Resolved::Shape(s) => self.shape(a, &s, at),
                Resolved::Def(_) => false,
            },
            (String(x), String(y)) => {
                if x.repr() != y.repr() {
                    return false;
                }
                if x.repr() == StringRepr::Plain {
                    self.string_constraints(x, y, at);
                }
                true
            }
            (String(x), Bytes) | (Bytes, String(x)) => x.repr() == StringRepr::Plain,
            (Integer(x), Integer(y)) => {
                if int_type(x) != int_type(y) {
                    return false;
                }
                self.number_constraints(x, y, at);
                true
            }
            (Number(x), Number(y)) => {
                self.number_constraints(x, y, at);
                true
            }
            (Array(x), Array(y)) => {
                if !self.shape(&x.items, &y.items, &format!("{at}[]")) {
                    return false;
                }
                self.array_constraints(x, y, at);
                true
            }
            (Map(x), Map(y)) => self.map_values(x, y, at),
            (Nullable(x), Nullable(y)) => self.shape(x, y, at),
            (Boolean, Boolean) | (Any, Any) | (Bytes, Bytes) | (Null, Null) => true,
            _ => false,
        }
    }

    fn map_values(&mut self, x: &Shape, y: &Shape, at: &str) -> bool {
        match (x, y) {
            (Shape::Any, Shape::Any) => true,
            (Shape::Any, _) | (_, Shape::Any) => false,
            _ => self.shape(x, y, &format!("{at}{{}}")),
        }
    }

    /// Records a constraint change: breaking when tightened on a request value.
    fn constraint(&mut self, at: &str, tightened: bool, what: String, old: String, new: String) {
        let (kind, breaking, reason) = match (tightened, self.sides.request) {
            (true, true) => (
                ChangeKind::ConstraintTightened,
                true,
                "a value that passed client-side validation may now be rejected",
            ),
            (true, false) => (
                ChangeKind::ConstraintTightened,
                false,
                "responses are not validated by the client",
            ),
            (false, true) => (
                ChangeKind::ConstraintLoosened,
                false,
                "every value that passed validation still passes",
            ),
            (false, false) => (
                ChangeKind::ConstraintLoosened,
                false,
                "responses are not validated by the client",
            ),
        };
        self.push(kind, breaking, at, what, Some(old), Some(new), reason);
    }

    /// An upper bound (`maxLength`, `maxItems`, `maximum`): lower is tighter.
    fn upper<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        at: &str,
        name: &str,
        old: Option<T>,
        new: Option<T>,
    ) {
        match (old, new) {
            (None, Some(n)) => self.constraint(
                at,
                true,
                format!("{name} added"),
                "none".into(),
                n.to_string(),
            ),
            (Some(o), None) => self.constraint(
                at,
                false,
                format!("{name} removed"),
                o.to_string(),
                "none".into(),
            ),
            (Some(o), Some(n)) if n < o => self.constraint(
                at,
                true,
                format!("{name} lowered"),
                o.to_string(),
                n.to_string(),
            ),
            (Some(o), Some(n)) if n > o => self.constraint(
                at,
                false,
                format!("{name} raised"),
                o.to_string(),
                n.to_string(),
            ),
            _ => {}
        }
    }

    /// A lower bound (`minLength`, `minItems`, `minimum`): higher is tighter.
    fn lower<T: PartialOrd + std::fmt::Display + Copy>(
        &mut self,
        at: &str,
        name: &str,
        old: Option<T>,
        new: Option<T>,
    ) {
        match (old, new) {
            (None, Some(n)) => self.constraint(
                at,
                true,
                format!("{name} added"),
                "none".into(),
                n.to_string(),
            ),
            (Some(o), None) => self.constraint(
                at,
                false,
                format!("{name} removed"),
                o.to_string(),
                "none".into(),
            ),
            (Some(o), Some(n)) if n > o => self.constraint(
                at,
                true,
                format!("{name} raised"),
                o.to_string(),
                n.to_string(),
            ),
            (Some(o), Some(n)) if n < o => self.constraint(
                at,
                false,
                format!("{name} lowered"),
                o.to_string(),
                n.to_string(),
            ),
            _ => {}
        }
    }

    fn string_constraints(&mut self, x: &StringShape, y: &StringShape, at: &str) {
        self.upper(at, "maxLength", x.max_length, y.max_length);
        self.lower(at, "minLength", x.min_length, y.min_length);
        match (&x.pattern, &y.pattern) {
            (None, Some(p)) => {
                self.constraint(at, true, "pattern added".into(), "none".into(), p.clone())
            }
            (Some(p), None) => self.constraint(
                at,
                false,
                "pattern removed".into(),
                p.clone(),
                "none".into(),
            ),
            (Some(p), Some(q)) if p != q => {
                self.constraint(at, true, "pattern changed".into(), p.clone(), q.clone())
            }
            _ => {}
        }
        let checked = |s: &StringShape| {
            s.format
                .clone()
                .filter(|f| VALIDATED_FORMATS.contains(&f.as_str()))
        };
        match (checked(x), checked(y)) {
            (None, Some(f)) => self.constraint(
                at,
                true,
                "format check added".into(),
                x.format.clone().unwrap_or_else(|| "none".into()),
                f,
            ),
            (Some(f), None) => self.constraint(
                at,
                false,
                "format check removed".into(),
                f,
                y.format.clone().unwrap_or_else(|| "none".into()),
            ),
            (Some(f), Some(g)) if f != g => {
                self.constraint(at, true, "format changed".into(), f, g)
            }
            _ => {}
        }
        let (old_set, new_set): (BTreeSet<&String>, BTreeSet<&String>) =
            (x.allowed.iter().collect(), y.allowed.iter().collect());
        if old_set != new_set {
            let list = |s: &BTreeSet<&String>| {
                if s.is_empty() {
                    "any".to_string()
                } else {
                    s.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            let tightened =
                !new_set.is_empty() && (old_set.is_empty() || !old_set.is_subset(&new_set));
            let what = if tightened {
                "allowed values narrowed"
            } else {
                "allowed values widened"
            };
            self.constraint(at, tightened, what.into(), list(&old_set), list(&new_set));
        }
    }

    fn number_constraints(&mut self, x: &NumberShape, y: &NumberShape, at: &str) {
        let bound = |v: Option<f64>, exclusive: bool, upper: bool| {
            v.map(|value| Bound {
                value,
                exclusive,
                upper,
            })
        };
        self.lower(
            at,
            "minimum",
            bound(x.minimum, x.exclusive_minimum, false),
            bound(y.minimum, y.exclusive_minimum, false),
        );
        self.upper(
            at,
            "maximum",
            bound(x.maximum, x.exclusive_maximum, true),
            bound(y.maximum, y.exclusive_maximum, true),
        );
        match (x.multiple_of, y.multiple_of) {
            (None, Some(n)) => self.constraint(
                at,
                true,
                "multipleOf added".into(),
                "none".into(),
                n.to_string(),
            ),
            (Some(o), None) => self.constraint(
                at,
                false,
                "multipleOf removed".into(),
                o.to_string(),
                "none".into(),
            ),
            (Some(o), Some(n)) if o != n => {
                // Looser only when every multiple of the old step is a multiple of the new one.
                let loosened = (o / n).fract() == 0.0;
                self.constraint(
                    at,
                    !loosened,
                    "multipleOf changed".into(),
                    o.to_string(),
                    n.to_string(),
                )
            }
            _ => {}
        }
    }

    fn array_constraints(&mut self, x: &ArrayShape, y: &ArrayShape, at: &str) {
        self.lower(at, "minItems", x.min_items, y.min_items);
        self.upper(at, "maxItems", x.max_items, y.max_items);
        match (x.unique_items, y.unique_items) {
            (false, true) => self.constraint(
                at,
                true,
                "uniqueItems added".into(),
                "false".into(),
                "true".into(),
            ),
            (true, false) => self.constraint(
                at,
                false,
                "uniqueItems removed".into(),
                "true".into(),
                "false".into(),
            ),
            _ => {}
        }
    }
}

/// String formats the generated client checks.
const VALIDATED_FORMATS: &[&str] = &[
    "email", "uuid", "date", "time", "uri", "url", "hostname", "ipv4", "ipv6",
];

/// A numeric bound; an exclusive bound is tighter than an inclusive one at the same value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
    /// A `maximum` (else a `minimum`).
    upper: bool,
}

impl PartialOrd for Bound {
    /// Ordered by the edge of the values let through: `> 5` is above `>= 5`,
    /// `< 5` is below `<= 5`.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match self.value.partial_cmp(&other.value)? {
            std::cmp::Ordering::Equal if self.upper => Some(other.exclusive.cmp(&self.exclusive)),
            std::cmp::Ordering::Equal => Some(self.exclusive.cmp(&other.exclusive)),
            o => Some(o),
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.exclusive {
            write!(f, "{} (exclusive)", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

/// What a named type stands for: itself, or (for aliases) the shape it names.
enum Resolved {
    Def(TypeId),
    Shape(Shape),
}

fn resolve(api: &Api, id: TypeId) -> Resolved {
    let mut id = id;
    for _ in 0..32 {
        match &api.types.get(id).kind {
            TypeKind::Alias(Shape::Named(next)) => id = *next,
            TypeKind::Alias(shape) => return Resolved::Shape(shape.clone()),
            _ => return Resolved::Def(id),
        }
    }
    Resolved::Shape(Shape::Any)
}

fn int_type(n: &NumberShape) -> &'static str {
    match n.format.as_deref() {
        Some("int32") => "i32",
        _ => "i64",
    }
}

fn boxed(ty: String, boxed: bool) -> String {
    if boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

/// The Rust path of a named type, from the crate root (`types::IamOrganization`).
pub fn type_path(api: &Api, id: TypeId) -> String {
    let def = api.types.get(id);
    match &def.module {
        Module::Types => format!("types::{}", def.name),
        Module::Resource(i) => {
            let mut parts: Vec<&str> = api.resources[*i].path.iter().map(|p| p.bare()).collect();
            parts.push(&def.name);
            parts.join("::")
        }
    }
}

/// The Rust type of a shape as the generated code spells it (aliases expanded).
fn render(api: &Api, shape: &Shape) -> String {
    render_depth(api, shape, 0)
}

fn render_depth(api: &Api, shape: &Shape, depth: usize) -> String {
    if depth > 16 {
        return "…".into();
    }
    match shape {
        Shape::String(s) => match s.repr() {
            StringRepr::Plain => "String".into(),
            StringRepr::DateTime => "DateTime<Utc>".into(),
        },
        Shape::Integer(n) => int_type(n).into(),
        Shape::Number(_) => "f64".into(),
        Shape::Boolean => "bool".into(),
        Shape::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Alias(inner) => render_depth(api, inner, depth + 1),
            _ => type_path(api, *id),
        },
        Shape::Array(a) => format!("Vec<{}>", render_depth(api, &a.items, depth + 1)),
        Shape::Map(v) => match v.as_ref() {
            Shape::Any => "serde_json::Map<String, Value>".into(),
            other => format!("BTreeMap<String, {}>", render_depth(api, other, depth + 1)),
        },
        Shape::Any => "serde_json::Value".into(),
        Shape::Bytes => "String".into(),
        Shape::Null => "()".into(),
        Shape::Nullable(inner) => format!("Option<{}>", render_depth(api, inner, depth + 1)),
    }
}

/// A field's declared Rust type: `T`, `Option<T>` or `Nullable<T>`.
fn field_type(api: &Api, f: &Field) -> String {
    let (nullable, base) = field_wrap(f);
    let ty = boxed(render(api, base), f.boxed);
    match (f.required, nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => format!("Option<{ty}>"),
        (false, true) => format!("Nullable<{ty}>"),
    }
}
