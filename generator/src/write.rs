//! Writing the output directory safely, or checking it is fresh.
//!
//! Everything is rendered in memory first, so a bad spec never touches disk.
//! Files are staged in a temporary directory beside the output and moved in;
//! replaced files are kept aside until every move succeeded, and put back if
//! one fails. Files the generator no longer produces are removed, but only
//! those it owns (they start with the generated marker): anything else in
//! the directory is never touched.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::format::{RenderedFile, GENERATED_MARKER};

/// What `check` found.
#[derive(Debug, Default)]
pub struct Staleness {
    /// Unified diffs of files that differ or are missing.
    pub diffs: Vec<String>,
    /// Owned files that would be removed.
    pub stale: Vec<PathBuf>,
}

impl Staleness {
    /// Whether the directory already matches.
    pub fn is_fresh(&self) -> bool {
        self.diffs.is_empty() && self.stale.is_empty()
    }
}

/// Files under `dir` that the generator wrote (skipping `target/` and hidden directories).
fn owned_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    todo.push(path);
                }
            } else if kind.is_file()
                && (name.ends_with(".rs") || name == "Cargo.toml")
                && is_owned(&path)
            {
                let rel = path
                    .strip_prefix(dir)
                    .expect("walked below dir")
                    .to_path_buf();
                out.insert(rel);
            }
        }
    }
    Ok(out)
}

fn is_owned(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let n = fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    String::from_utf8_lossy(&head[..n])
        .lines()
        .next()
        .is_some_and(|l| l.contains(GENERATED_MARKER))
}

/// Compares `dir` with what would be written.
pub fn check(dir: &Path, files: &[RenderedFile]) -> Result<Staleness> {
    let mut result = Staleness::default();
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    for file in files {
        let path = dir.join(&file.path);
        let current = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(path, e)),
        };
        if current != file.text {
            let name = file.path.display().to_string();
            let diff = similar::TextDiff::from_lines(&current, &file.text)
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string();
            result.diffs.push(diff);
        }
    }
    result.stale = owned_files(dir)?
        .into_iter()
        .filter(|p| !wanted.contains(p))
        .collect();
    Ok(result)
}

/// Writes `files` into `dir`, atomically as a whole (see the module docs).
pub fn write(dir: &Path, files: &[RenderedFile]) -> Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".apigen-staging-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let backup = tempfile::Builder::new()
        .prefix(".apigen-backup-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    for file in files {
        let path = staging.path().join(&file.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        fs::write(&path, &file.text).map_err(|e| Error::io(&path, e))?;
    }
    let stale: Vec<PathBuf> = {
        let wanted: BTreeSet<&PathBuf> = files.iter().map(|f| &f.path).collect();
        owned_files(dir)?
            .into_iter()
            .filter(|p| !wanted.contains(p))
            .collect()
    };
    let mut journal = Journal {
        dir,
        backup: backup.path(),
        moved_aside: Vec::new(),
        placed: Vec::new(),
    };
    let outcome = (|| {
        for rel in &stale {
            journal.move_aside(rel)?;
        }
        for file in files {
            let target = dir.join(&file.path);
            let same = fs::read_to_string(&target).is_ok_and(|t| t == file.text);
            if same {
                continue;
            }
            if target.exists() {
                journal.move_aside(&file.path)?;
            }
            if let Some(p) = target.parent() {
                fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
            }
            let staged = staging.path().join(&file.path);
            fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
            journal.placed.push(file.path.clone());
        }
        Ok(())
    })();
    if outcome.is_err() {
        journal.roll_back();
    } else {
        remove_empty_dirs(dir, &stale);
    }
    outcome
}

/// What `write` changed, so a failure can undo it.
struct Journal<'a> {
    dir: &'a Path,
    backup: &'a Path,
    moved_aside: Vec<PathBuf>,
    placed: Vec<PathBuf>,
}

impl Journal<'_> {
    fn move_aside(&mut self, rel: &Path) -> Result<()> {
        let from = self.dir.join(rel);
        let to = self.backup.join(rel);
        if let Some(p) = to.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
        self.moved_aside.push(rel.to_path_buf());
        Ok(())
    }

    fn roll_back(&self) {
        // Best effort: undo in reverse order; the original error is what gets reported.
        for rel in self.placed.iter().rev() {
            let _ = fs::remove_file(self.dir.join(rel));
        }
        for rel in self.moved_aside.iter().rev() {
            let _ = fs::rename(self.backup.join(rel), self.dir.join(rel));
        }
    }
}

fn remove_empty_dirs(dir: &Path, removed: &[PathBuf]) {
    for rel in removed {
        let mut p = dir.join(rel);
        while p.pop() && p.starts_with(dir) && p != dir {
            if fs::remove_dir(&p).is_err() {
                break;
            }
        }
    }
}
