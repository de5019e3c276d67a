//! Files in parts: the big files (`types.rs`, resource modules) are emitted as a head and
//! runs of their types, so that emitting and formatting one file is spread over threads and
//! no whole-file token stream or syntax tree is ever held.
//!
//! A part is plain data (token streams are not `Send`): each is emitted and formatted on the
//! thread that takes it, and the formatted texts are joined in order. prettyplease prints a
//! file as its inner attributes, then item after item, each ending in a forced line break
//! with nothing carried over; so the joined text is byte for byte the whole file's
//! (`format::tests`, and every file `generate` writes, compared with [`super::emit_file`] in
//! this module's tests).

use std::ops::Range;
use std::path::PathBuf;

use proc_macro2::TokenStream;

use super::{resources, types, Analysis, Ctx, EmitOptions, FileKind, OutputFile};
use crate::ir::{Api, Module};

/// Types per part: a few hundred lines of output, enough that a task's cost is noise.
pub const TYPES_PER_PART: usize = 16;

/// One piece of a planned file, emitted and formatted apart from the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The whole file (files that are not split: Cargo.toml, lib.rs, the runtime's).
    Whole,
    /// What comes before the types: inner docs, child modules, the resource's handle.
    Head,
    /// A run of the file's types, by position in its list of types.
    Types(Range<usize>),
    /// What comes after the types: deprecated aliases of renamed types (present only
    /// when the module has some).
    Aliases,
}

/// The parts of a planned file, in order.
pub fn parts(api: &Api, analysis: &Analysis, kind: &FileKind) -> Vec<Part> {
    parts_of(api, analysis, kind, TYPES_PER_PART)
}

fn parts_of(api: &Api, analysis: &Analysis, kind: &FileKind, per_part: usize) -> Vec<Part> {
    let per_part = per_part.max(1);
    let count = match kind {
        FileKind::Types => analysis.types_order.len(),
        FileKind::Resource(index) => api.resources[*index].types.len(),
        FileKind::Manifest | FileKind::Lib | FileKind::Lock | FileKind::Runtime(_) => {
            return vec![Part::Whole]
        }
    };
    let module = match kind {
        FileKind::Types => Module::Types,
        FileKind::Resource(index) => Module::Resource(*index),
        FileKind::Manifest | FileKind::Lib | FileKind::Lock | FileKind::Runtime(_) => {
            return vec![Part::Whole]
        }
    };
    let runs = (0..count)
        .step_by(per_part)
        .map(|start| Part::Types(start..count.min(start + per_part)));
    let aliases = api
        .aliases
        .iter()
        .any(|a| a.module == module)
        .then_some(Part::Aliases);
    std::iter::once(Part::Head)
        .chain(runs)
        .chain(aliases)
        .collect()
}

/// Emits one part of a planned file; [`Part::Whole`] is [`super::emit_file`].
pub fn emit_part(
    api: &Api,
    analysis: &Analysis,
    options: &EmitOptions,
    path: PathBuf,
    kind: &FileKind,
    part: &Part,
) -> OutputFile {
    let ctx = Ctx::for_crate(api, analysis);
    let tokens: TokenStream = match (kind, part) {
        (_, Part::Whole) => return super::emit_file(api, analysis, options, path, kind),
        (FileKind::Types, Part::Head) => types::types_head(),
        (FileKind::Types, Part::Types(run)) => {
            types::types_run(&ctx, slice(&analysis.types_order, run))
        }
        (FileKind::Resource(index), Part::Head) => resources::resource_head(&ctx, *index),
        (FileKind::Resource(index), Part::Types(run)) => {
            resources::resource_types(&ctx, slice(&api.resources[*index].types, run))
        }
        (FileKind::Types, Part::Aliases) => types::aliases(&ctx, &Module::Types),
        (FileKind::Resource(index), Part::Aliases) => {
            types::aliases(&ctx, &Module::Resource(*index))
        }
        // `parts` gives these kinds only `Whole`.
        (FileKind::Manifest | FileKind::Lib | FileKind::Lock | FileKind::Runtime(_), _) => {
            return super::emit_file(api, analysis, options, path, kind)
        }
    };
    OutputFile {
        path,
        content: super::FileContent::Rust(tokens),
    }
}

/// `items[run]`, or what of it exists (a run comes from `parts` on the same list).
fn slice<'a, T>(items: &'a [T], run: &Range<usize>) -> &'a [T] {
    let end = run.end.min(items.len());
    &items[run.start.min(end)..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{plan_crate, Runtime};
    use crate::format::{render, render_part, render_parts};

    fn lowered(relative: &str) -> Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        let spec = crate::parse::parse_file(&path).unwrap();
        crate::ir::build(&spec, &crate::ir::BuildOptions::with_prefix("X")).unwrap()
    }

    fn options() -> EmitOptions {
        EmitOptions {
            crate_name: "x".into(),
            crate_version: "0.1.0".into(),
            command: "apigen".into(),
            runtime: Runtime::Vendored,
        }
    }

    #[test]
    fn parts_cover_every_type_once_in_order() {
        let api = lowered("../tests/fixtures/features.yaml");
        let analysis = Analysis::new(&api);
        let plan = plan_crate(&api, &Runtime::Vendored, false);
        for per_part in [1, 2, TYPES_PER_PART] {
            let mut split = 0;
            for (_, kind) in &plan {
                let parts = parts_of(&api, &analysis, kind, per_part);
                let count = match kind {
                    FileKind::Types => analysis.types_order.len(),
                    FileKind::Resource(index) => api.resources[*index].types.len(),
                    _ => {
                        assert_eq!(parts, [Part::Whole]);
                        continue;
                    }
                };
                assert_eq!(parts[0], Part::Head);
                let mut next = 0;
                for part in &parts[1..] {
                    let Part::Types(run) = part else {
                        panic!("{part:?} after the head")
                    };
                    assert_eq!(run.start, next);
                    assert!(!run.is_empty() && run.len() <= per_part);
                    next = run.end;
                }
                assert_eq!(next, count);
                split += usize::from(parts.len() > 2);
            }
            if per_part < 3 {
                assert!(split > 0, "some file has more than one run of {per_part}");
            }
        }
    }

    /// Every file of a crate, rendered whole and in parts, is the same text.
    fn parts_join_to_the_whole_file(relative: &str, per_part: usize) {
        let api = lowered(relative);
        let analysis = Analysis::new(&api);
        let options = options();
        for (path, kind) in plan_crate(&api, &options.runtime, false) {
            let whole = render(
                super::super::emit_file(&api, &analysis, &options, path.clone(), &kind),
                "apigen",
            )
            .unwrap();
            let parts = parts_of(&api, &analysis, &kind, per_part);
            if parts == [Part::Whole] {
                continue;
            }
            let texts: Vec<String> = parts
                .iter()
                .map(|part| {
                    let emitted = emit_part(&api, &analysis, &options, path.clone(), &kind, part);
                    render_part(emitted).unwrap()
                })
                .collect();
            let joined = render_parts(path.clone(), &texts, "apigen");
            assert_eq!(joined, whole, "{}", path.display());
        }
    }

    #[test]
    fn parts_join_to_the_whole_file_for_the_fixtures() {
        // Runs of one type: every boundary between types is a boundary between parts.
        for per_part in [1, 3, TYPES_PER_PART] {
            parts_join_to_the_whole_file("../spec/openapi.yaml", per_part);
            parts_join_to_the_whole_file("../tests/fixtures/features.yaml", per_part);
            parts_join_to_the_whole_file("../tests/fixtures/features-3.1.yaml", per_part);
        }
    }
}
