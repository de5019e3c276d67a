//! `apigen diff`: what a spec change does to the generated Rust API.
//!
//! Both specs are lowered to the IR and the *Rust* surface is compared, in stages
//! of one job each:
//!
//! | stage | module | job |
//! | --- | --- | --- |
//! | selection | [`select`] | read both specs, cut them to `--only`, lower them |
//! | matching | [`matching`] | pair operations (by SDK name, then route), fields, variants, enum values |
//! | walk | [`walk`] | from each operation pair, find the named type pairs and which way each travels |
//! | compare | [`compare`] | compare each operation pair and each type pair once, stating [`Rule`]s |
//! | policy | [`policy`] | the level of every rule: the one place the classification lives |
//! | report | [`report`] | counts, the version bump, ignore files, Markdown/JSON/JUnit/GitHub output |
//!
//! [`surface`] is the only module that reads IR details (names, formats,
//! routes, how types are spelled), so IR changes are absorbed there.

mod change;
mod compare;
mod matching;
pub mod policy;
pub mod report;
mod select;
mod surface;
mod walk;

#[cfg(test)]
pub(crate) mod testing;

use std::path::Path;

pub use change::Change;
pub use compare::{compare, Lowered};
pub use policy::{Level, Rule};
pub use report::{read_crate_version, Bump, IgnoreList, Report, SpecSummary, VersionCheck};
pub use select::lower;
pub use surface::{operation_name, type_path};

use crate::error::Result;

/// Loads both specs (cut to `only` when given), lowers them (holding the names of `lock`,
/// the names lock of the crate generated from OLD) and compares them.
pub fn diff_files(
    old: &Path,
    new: &Path,
    only: &[String],
    lock: Option<&crate::lock::NameLock>,
) -> Result<Report> {
    let (old_side, new_side) = select::load(old, new, only, lock)?;
    let changes = compare(&old_side, &new_side);
    Ok(Report::new(
        spec_summary(old, &old_side),
        spec_summary(new, &new_side),
        only.to_vec(),
        changes,
    ))
}

fn spec_summary(path: &Path, side: &Lowered) -> SpecSummary {
    SpecSummary {
        spec: path.to_path_buf(),
        title: side.api.title.clone(),
        version: side.api.version.clone(),
        operations: side.api.operations.len(),
    }
}
