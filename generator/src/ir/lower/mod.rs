//! Lowering: `openapiv3::OpenAPI` → [`Api`].
//!
//! One job per module: [`schema`] (a schema position → a [`Shape`]), [`union`] (`oneOf`/`anyOf`),
//! [`all_of`] (merging object members), [`object`] (structs and their fields), [`operation`]
//! (operations, parameters, request bodies), [`response`], [`pagination`] (which lists page, and
//! how), [`security`], [`resources`] (the SDK resource tree and method names). Graph passes over the finished type space are in
//! [`super::passes`].
//!
//! Order matters for determinism: paths, methods, properties and components are
//! always visited sorted, so reordering object keys in the spec changes nothing.

mod all_of;
mod held;
mod object;
mod operation;
mod pagination;
mod resources;
mod response;
mod schema;
mod security;
#[cfg(test)]
mod tests;
mod union;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{AdditionalProperties, OpenAPI, Parameter, ReferenceOr};

use super::names::{pascal, Namespace, RESERVED_TYPE_NAMES};
use super::passes::{lock as lock_pass, mark_boxes, mark_usage, Naming};
use super::view::{component_pointer, Resolver, SchemaRef, View};
use super::*;
use crate::settings::PaginationSetting;

pub use held::HeldBy;
pub use resources::sdk_words;

/// Options that shape the IR but are not in the spec.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Prefix of the environment variables the client reads (`CLOUDFLARE`).
    pub env_prefix: String,
    /// The environment variable of a security scheme, by scheme name, where the maintainer
    /// chose one (settings `[auth.env]`); others read `<PREFIX>_<SCHEME>`.
    pub env_vars: BTreeMap<String, String>,
    /// The names lock of the previous generation: names it holds are kept.
    pub lock: Option<crate::lock::NameLock>,
    /// The `--only` selection being generated, recorded in the new lock.
    pub selection: Vec<String>,
    /// Hooks on the types of component schemas, by component name (settings `[types]`).
    pub types: BTreeMap<String, crate::settings::TypeSettings>,
    /// The maintainer's pagination styles, by SDK name or operationId (settings `[pagination]`).
    pub pagination: BTreeMap<String, PaginationSetting>,
    /// Whether a `[pagination]` entry that names no operation is an error (not when the
    /// spec was cut to some operations: the entry may name one that was cut away).
    pub require_pagination_targets: bool,
}

impl BuildOptions {
    /// Options with the default environment variable names.
    pub fn with_prefix(env_prefix: impl Into<String>) -> BuildOptions {
        BuildOptions {
            env_prefix: env_prefix.into(),
            env_vars: BTreeMap::new(),
            lock: None,
            selection: Vec::new(),
            types: BTreeMap::new(),
            pagination: BTreeMap::new(),
            require_pagination_targets: true,
        }
    }
}

/// How deeply schemas may nest (through `$ref`s, properties, items, `allOf`/`oneOf`
/// members): lowering recurses once per level, and so does every later stage (emitting,
/// formatting, rustc). Real specs nest a few dozen levels; deeper is refused with a
/// [`BuildError`] naming where, not left to overflow a stack.
pub const MAX_SCHEMA_DEPTH: usize = 256;

/// Why a spec cannot be lowered at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// JSON pointer of the schema where the limit was reached.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

/// Builds the IR of a parsed spec. What cannot be modelled is generated in a fallback
/// form and listed in [`Api::report`]; only schemas nested deeper than
/// [`MAX_SCHEMA_DEPTH`] fail. Recursion is bounded by that depth: run it on a thread
/// with a large stack (as [`crate::generate`] does, see [`crate::with_large_stack`]).
///
/// With a names lock, types keep their locked names. When a locked type's spec
/// position is gone and a new type wants its name in the same module (the spec moved
/// it), the spec is lowered a second time, knowing which positions are gone, so the new
/// type takes the old name (positions do not depend on names, so two runs suffice).
/// Then the lock pass adds deprecated aliases for renamed types and writes the new lock.
pub fn build(spec: &OpenAPI, options: &BuildOptions) -> Result<Api, BuildError> {
    let held = held::Held::new(options.lock.as_ref());
    let (mut api, mut naming) = lower_all(spec, options, held.clone())?;
    if let Some(lock) = &options.lock {
        if let Some(moved) = lock_pass::moved_names(&api, &naming, lock) {
            (api, naming) = lower_all(spec, options, held.with_moved(moved))?;
        }
    }
    lock_pass::settle(&mut api, &naming, options);
    Ok(api)
}

/// One lowering of the whole spec, with the names it holds.
fn lower_all(
    spec: &OpenAPI,
    options: &BuildOptions,
    held: held::Held,
) -> Result<(Api, Vec<Naming>), BuildError> {
    let mut lowerer = Lowerer::new(spec, held);
    lowerer.apply_type_hooks(&options.types);
    lowerer.pagination_settings = options.pagination.clone();
    let security_schemes = lowerer.security_schemes(options);
    let seeds = lowerer.collect_operations();
    let (resources, named) = lowerer.plan_resources(seeds);
    lowerer.module_paths = resources.iter().map(module_path).collect();
    let operations: Vec<Operation> = named
        .into_iter()
        .map(|(seed, resource, method_name)| {
            lowerer.operation(seed, resource, method_name, &resources)
        })
        .collect();
    if options.require_pagination_targets {
        lowerer.unused_pagination_settings();
    }
    if let Some(error) = lowerer.too_deep.take() {
        return Err(error);
    }
    Ok(lowerer.finish(spec, security_schemes, operations, resources))
}

/// A resource's module path from the crate root (`zero_trust::access`).
pub(super) fn module_path(resource: &Resource) -> String {
    resource
        .path
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

/// Where a type created while lowering a schema goes, and what it is called.
#[derive(Clone)]
struct Hint {
    module: Module,
    name: String,
    pointer: String,
}

impl Hint {
    fn child(&self, suffix: &str, pointer_suffix: &str) -> Hint {
        Hint {
            module: self.module.clone(),
            name: format!("{}{}", self.name, pascal(suffix, false)),
            pointer: format!("{}/{}", self.pointer, pointer_suffix),
        }
    }
}

/// A property gathered from an object and its `allOf` members: every declaration of it,
/// which lowering intersects (a value must satisfy all of them).
#[derive(Clone)]
struct Prop<'a> {
    /// The declarations, in the order met; identical `$ref`s only once.
    decls: Vec<SchemaRef<'a>>,
    /// Where each declaration is (parallel to `decls`).
    pointers: Vec<String>,
    /// Every place the property is declared, identical `$ref`s included.
    sources: Vec<String>,
}

impl Prop<'_> {
    /// Where the last declaration is, for the report.
    fn pointer(&self) -> &str {
        self.pointers.last().map(String::as_str).unwrap_or("")
    }
}

impl<'a> ObjectParts<'a> {
    /// A copy holding only the properties.
    fn clone_props(&self) -> ObjectParts<'a> {
        ObjectParts {
            props: self.props.clone(),
            ..ObjectParts::default()
        }
    }
}

/// A `oneOf`/`anyOf` list met on an object schema or one of its `allOf` members.
#[derive(Clone, Copy)]
struct Alternatives<'a> {
    members: &'a [ReferenceOr<openapiv3::Schema>],
    /// `oneOf` (exactly one member matches) rather than `anyOf`.
    exclusive: bool,
    discriminator: Option<&'a openapiv3::Discriminator>,
    /// The component that is nothing but this list, when it came from an `allOf` member
    /// `$ref`: its type is used as is, so the union keeps the component's name.
    origin: Option<SchemaRef<'a>>,
}

impl<'a> Alternatives<'a> {
    /// The `oneOf` (preferred) or `anyOf` list of a schema, if any.
    fn of(view: &View<'a>) -> Option<(Alternatives<'a>, &'static str)> {
        let (members, exclusive, keyword) = if !view.one_of.is_empty() {
            (view.one_of, true, "oneOf")
        } else if !view.any_of.is_empty() {
            (view.any_of, false, "anyOf")
        } else {
            return None;
        };
        Some((
            Alternatives {
                members,
                exclusive,
                discriminator: view.data.discriminator.as_ref(),
                origin: None,
            },
            keyword,
        ))
    }
}

/// The properties of an object schema, `allOf` members merged.
#[derive(Default)]
struct ObjectParts<'a> {
    props: BTreeMap<String, Prop<'a>>,
    required: BTreeSet<String>,
    additional: Option<&'a AdditionalProperties>,
    /// Members that are not objects (e.g. a `$ref` to a string), in order.
    non_objects: Vec<SchemaRef<'a>>,
    /// `oneOf`/`anyOf` lists of the object and its members, with their pointers.
    alternatives: Vec<(Alternatives<'a>, String)>,
    /// Components already merged in: each contributes once, so a cycle (`A: {allOf:
    /// [$ref A]}`) ends and diamonds (`allOf: [$ref A, $ref A, ...]`, repeated at every
    /// level) cost one visit per component instead of growing exponentially.
    merged: BTreeSet<&'a str>,
}

/// One operation before names are assigned.
struct OpSeed<'a> {
    pointer: String,
    path: String,
    http_method: &'static str,
    op: &'a openapiv3::Operation,
    path_item_params: &'a [ReferenceOr<Parameter>],
    group: Vec<String>,
    wanted_method: String,
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    resolver: Resolver<'a>,
    defs: Vec<TypeDef>,
    /// Component name → its type id (placeholder until lowered).
    component_ids: HashMap<&'a str, TypeId>,
    /// How a reference to each lowered component is typed (`Named`, possibly
    /// `Nullable`, or the inline shape of a primitive/array component).
    component_shapes: HashMap<&'a str, Shape>,
    /// Components being lowered right now or already lowered to a named type.
    started: BTreeSet<&'a str>,
    namespaces: BTreeMap<Module, Namespace>,
    /// Inline types already emitted, by module and structure, so identical inline
    /// schemas (common: an enum repeated in every operation of a resource) share one type.
    interned: HashMap<(Module, String), TypeId>,
    /// Structs being merged from an `allOf`, by the address of the schema holding the
    /// `allOf`. Merging inlines the members' properties, so a member that refers back to
    /// the schema being merged (`parent: {allOf: [$ref Node]}` inside `Node`) meets the
    /// same schema again without passing a component's `started` guard: it gets the
    /// struct being built (`lower_inline`).
    merged: HashMap<usize, TypeId>,
    /// Keys of `merged` that were reached again while their struct was being built.
    merge_recursed: BTreeSet<usize>,
    /// Schemas being lowered right now (by address), each with `components_started` when
    /// it was entered, to end recursion that bypasses the `started` guard (`lower_inline`).
    lowering: HashMap<usize, usize>,
    /// How many components have been started so far.
    components_started: usize,
    /// Declaration sets (schema addresses, sorted) whose intersection is being
    /// lowered, nested; see `lower_prop`.
    intersecting: Vec<Vec<usize>>,
    /// Schemas being lowered, nested; see [`MAX_SCHEMA_DEPTH`].
    depth: usize,
    /// Set when [`MAX_SCHEMA_DEPTH`] was exceeded; lowering then stops descending.
    too_deep: Option<BuildError>,
    /// `pattern`s seen, with why the `regex` crate rejects them (`None`: it accepts them).
    patterns: HashMap<String, Option<String>>,
    report: Vec<Fallback>,
    /// Names the lock holds.
    held: held::Held,
    /// What normalising a 3.1 document moved: locked positions are pointers into the
    /// original document.
    carried: crate::normalize::Carried,
    /// How each type got its name (parallel to `defs`).
    naming: Vec<Naming>,
    /// Module path of each resource (set once the resource tree is planned).
    module_paths: Vec<String>,
    /// `[pagination]` settings, and the keys an operation matched.
    pagination_settings: BTreeMap<String, PaginationSetting>,
    used_pagination_settings: BTreeSet<String>,
    unpaged_lists: Vec<UnpagedList>,
    pagination_setting_errors: Vec<SettingError>,
}

fn first_line(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI, held: held::Held) -> Self {
        let mut lowerer = Lowerer {
            spec,
            resolver: Resolver::new(spec),
            defs: Vec::new(),
            component_ids: HashMap::new(),
            component_shapes: HashMap::new(),
            started: BTreeSet::new(),
            namespaces: BTreeMap::new(),
            interned: HashMap::new(),
            merged: HashMap::new(),
            merge_recursed: BTreeSet::new(),
            lowering: HashMap::new(),
            components_started: 0,
            intersecting: Vec::new(),
            depth: 0,
            too_deep: None,
            patterns: HashMap::new(),
            report: Vec::new(),
            held,
            carried: crate::normalize::Carried::of(spec),
            naming: Vec::new(),
            module_paths: Vec::new(),
            pagination_settings: BTreeMap::new(),
            used_pagination_settings: BTreeSet::new(),
            unpaged_lists: Vec::new(),
            pagination_setting_errors: Vec::new(),
        };
        lowerer.preassign_component_names();
        lowerer
    }

    fn fallback(&mut self, pointer: impl Into<String>, reason: impl Into<String>) {
        self.report.push(Fallback {
            pointer: pointer.into(),
            reason: reason.into(),
        });
    }

    fn module_path(&self, module: &Module) -> &str {
        match module {
            Module::Types => "types",
            Module::Resource(r) => &self.module_paths[*r],
        }
    }

    fn namespace(&mut self, module: &Module) -> &mut Namespace {
        if !self.namespaces.contains_key(module) {
            let mut reserved: Vec<&str> = RESERVED_TYPE_NAMES.to_vec();
            reserved.extend(
                self.held
                    .reserved(self.module_path(module))
                    .iter()
                    .map(String::as_str),
            );
            let ns = Namespace::with_reserved(&reserved);
            self.namespaces.insert(module.clone(), ns);
        }
        self.namespaces
            .get_mut(module)
            .expect("the namespace was just created")
    }

    /// Every component schema gets its Rust name up front, in sorted order, so a
    /// type's name never depends on which operations happen to reach it.
    fn preassign_component_names(&mut self) {
        let Some(components) = self.spec.components.as_ref() else {
            return;
        };
        let mut names: Vec<&'a str> = components.schemas.keys().map(String::as_str).collect();
        names.sort_unstable();
        for name in names {
            let id = self.new_type(&Hint {
                module: Module::Types,
                name: pascal(name, false),
                pointer: component_pointer(name),
            });
            self.component_ids.insert(name, id);
        }
    }

    /// The maintainer's derives and attributes go on the components' types; a replaced
    /// component is an external type that is never lowered.
    fn apply_type_hooks(&mut self, hooks: &BTreeMap<String, crate::settings::TypeSettings>) {
        for (name, hook) in hooks {
            let Some((&name, &id)) = self.component_ids.get_key_value(name.as_str()) else {
                continue;
            };
            let def = &mut self.defs[id.0];
            def.derives = hook.derives.clone();
            def.attributes = hook.attributes.clone();
            if let Some(path) = &hook.replace_with {
                def.kind = TypeKind::External(path.clone());
                self.started.insert(name);
                self.component_shapes.insert(name, Shape::Named(id));
            }
        }
    }

    /// A type named as the hint wants: the name the lock holds for it, or the wanted
    /// name made unique in its module (never a name the lock holds for another type).
    fn new_type(&mut self, hint: &Hint) -> TypeId {
        let module_path = self.module_path(&hint.module).to_string();
        let position = self.carried.original(&hint.pointer);
        let (name, held) = match self.held.take(&module_path, &hint.name, &position) {
            // Locked names are reserved in the namespace, so no other type has it.
            Some((name, from)) => (name, Some(from)),
            None => (self.namespace(&hint.module).claim(&hint.name), None),
        };
        let id = TypeId(self.defs.len());
        self.defs.push(TypeDef {
            name,
            module: hint.module.clone(),
            pointer: hint.pointer.clone(),
            docs: None,
            kind: TypeKind::Alias(Shape::Any),
            used_by: Vec::new(),
            sources: Vec::new(),
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        self.naming.push(Naming {
            module: module_path,
            wanted: hint.name.clone(),
            held,
            duplicate: false,
        });
        id
    }

    /// Finishes an inline type: if an identical one exists in the same module, use
    /// that instead (the new definition stays unused and is never emitted).
    /// Inline schemas cannot reference themselves (only components can), so a
    /// freshly built inline type is never part of a cycle and is safe to merge.
    fn intern(&mut self, id: TypeId, slot: Option<TypeId>) -> Shape {
        if slot.is_some() {
            return Shape::Named(id);
        }
        let def = &self.defs[id.0];
        // Where the pieces were declared does not make two types different.
        let mut kind = def.kind.clone();
        if let TypeKind::Struct(s) = &mut kind {
            s.fields.iter_mut().for_each(|f| f.sources.clear());
        }
        let key = serde_json::to_string(&(&kind, &def.docs)).expect("IR types serialize");
        match self.interned.entry((def.module.clone(), key)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let kept = *e.get();
                self.merge_sources(id, kept);
                // The duplicate is never emitted: its name is free for the next type
                // (unless the lock holds it: it stays reserved).
                self.naming[id.0].duplicate = true;
                let (module, name) = (self.defs[id.0].module.clone(), self.defs[id.0].name.clone());
                match self.naming[id.0].held {
                    // A locked name goes back to the lock, for the next type of its identity.
                    Some(from) => {
                        let naming = &self.naming[id.0];
                        let pointer = self.carried.original(&self.defs[id.0].pointer);
                        self.held
                            .give_back(from, &naming.module, &naming.wanted, &pointer, name);
                    }
                    None => self.namespace(&module).release(&name),
                }
                Shape::Named(kept)
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(id);
                Shape::Named(id)
            }
        }
    }

    /// Records the declarations of a duplicate type on the type that replaces it.
    fn merge_sources(&mut self, duplicate: TypeId, kept: TypeId) {
        let from = &self.defs[duplicate.0];
        let type_sources = from.sources.clone();
        let field_sources: Vec<Vec<String>> = match &from.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.sources.clone()).collect(),
            _ => Vec::new(),
        };
        let into = &mut self.defs[kept.0];
        extend_unique(&mut into.sources, type_sources);
        if let TypeKind::Struct(s) = &mut into.kind {
            for (field, sources) in s.fields.iter_mut().zip(field_sources) {
                extend_unique(&mut field.sources, sources);
            }
        }
    }

    // ----- finishing -----------------------------------------------------------------------

    fn finish(
        mut self,
        spec: &OpenAPI,
        security_schemes: Vec<SecurityScheme>,
        mut operations: Vec<Operation>,
        mut resources: Vec<Resource>,
    ) -> (Api, Vec<Naming>) {
        // A normalised 3.1 document carries what normalising it approximated, and
        // where its moved parts were: every pointer names the original document.
        self.report.extend(self.carried.report.iter().cloned());
        for f in &mut self.report {
            f.pointer = self.carried.original(&f.pointer);
        }
        for def in &mut self.defs {
            def.pointer = self.carried.original(&def.pointer);
        }
        for op in &mut operations {
            op.pointer = self.carried.original(&op.pointer);
        }
        mark_boxes(&mut self.defs);
        mark_usage(&mut self.defs, &operations, &resources);
        for (id, def) in self.defs.iter().enumerate() {
            if let Module::Resource(r) = def.module {
                if !def.used_by.is_empty() {
                    resources[r].types.push(TypeId(id));
                }
            }
        }
        for r in &mut resources {
            let defs = &self.defs;
            r.types.sort_by(|a, b| defs[a.0].name.cmp(&defs[b.0].name));
        }
        self.report.sort();
        self.report.dedup();
        self.unpaged_lists.sort();
        let api = Api {
            title: spec.info.title.clone(),
            version: spec.info.version.clone(),
            description: first_line(&spec.info.description),
            base_url: spec.servers.first().map(|s| s.url.clone()),
            security_schemes,
            operations,
            resources,
            types: TypeSpace { defs: self.defs },
            report: self.report,
            unpaged_lists: self.unpaged_lists,
            pagination_setting_errors: self.pagination_setting_errors,
            aliases: Vec::new(),
            lock: Default::default(),
        };
        (api, self.naming)
    }
}

fn extend_unique(into: &mut Vec<String>, from: Vec<String>) {
    for s in from {
        if !into.contains(&s) {
            into.push(s);
        }
    }
}
