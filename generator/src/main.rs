//! The `apigen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

// Generation allocates millions of small token trees; mimalloc is much faster at that than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate a typed, validated Rust client crate from an OpenAPI 3.0 document.
///
/// With no arguments, run from the repository root: regenerates `generated/`
/// from `spec/openapi.yaml`.
#[derive(Parser)]
#[command(
    name = "apigen",
    version,
    after_help = "Examples:\n  apigen                                  regenerate generated/ from spec/openapi.yaml\n  apigen generate --check                 exit 1 and print a diff if generated/ is stale\n  apigen generate --spec api.json --out client/   generate a crate for any spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Generate (or check) a client crate.
    #[command(
        after_help = "Exit status: 0 on success (or fresh with --check), 1 when --check finds differences, 2 when the input is unusable.\n\nExamples:\n  apigen generate --spec ../shared/specs/cloudflare-2026-08.json --out /tmp/cf --report /tmp/cf-report.json\n  apigen generate --check"
    )]
    Generate(GenerateArgs),
    /// Write a smaller spec holding only the selected operations and every component they reach.
    #[command(
        after_help = "Selectors: an SDK name (`user.edit`, `zero_trust.access.users.update`), a whole resource (`zero_trust.access`), an operationId (`user-edit-user`), or `METHOD /path` (`'PATCH /user'`).\n\nExample (how spec/ is refreshed from upstream):\n  apigen cut --spec ../shared/specs/cloudflare-2026-08.json --only user.edit zero_trust.access.users.update --out spec/openapi.yaml"
    )]
    Cut(CutArgs),
    /// Report what a spec change does to the generated Rust API, and the semver bump it needs.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
}

const DIFF_HELP: &str = "\
Operations are matched by their SDK path (`user.edit`), then by route (`PATCH /user`,
path parameter names ignored) to detect renames. Types are compared by walking both
type graphs in parallel from each operation, so renamed component schemas are
followed rather than reported as removed and added. Each change is classified for
Rust users of the generated crate:

  breaking      method removed or renamed; argument added or removed; parameter or
                field removed; required parameter added (`new(...)` gains an
                argument); parameter made required or optional (`new(...)` changes);
                field added to a nested request type with required fields (no
                builder: struct literals list every field); struct loses `Default`;
                field or return type changed (including T <-> Option<T>); type
                renamed; enum value or union variant added or removed (generated
                enums are exhaustive, so `match`es without a wildcard stop compiling);
                request constraint tightened (maxLength lowered, pattern added,
                minimum raised...: values that passed client validation may fail)
  non-breaking  method added; optional parameter added (a new setter); field added
                to a response type; request constraint loosened; constraints on
                responses (never validated); route changed; method deprecated

Output: Markdown (default) or JSON, sorted, ending with the counts and the suggested
version bump (major if anything breaks, minor if something was added, patch
otherwise; for 0.x crates: minor for breaking changes, patch otherwise).

Exit status: 0 when nothing breaks, 1 when something does, 2 when an input is unusable.

Examples:
  apigen diff tests/specs/cloudflare-2024-01.json.gz tests/specs/cloudflare-2026-08.json.gz
  apigen diff old.yaml new.yaml --format json > diff.json
  apigen diff old.json new.json --only user zero_trust.access.users

`--only` takes every argument after it: give OLD and NEW first.";

#[derive(Args)]
struct DiffArgs {
    /// The old OpenAPI 3.0 document (YAML or JSON, optionally gzip-compressed).
    old: PathBuf,
    /// The new OpenAPI 3.0 document.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: DiffFormat,
    /// Compare only these operations, in both specs (selectors as for `apigen cut`;
    /// a selector may match in only one of them).
    #[arg(long, num_args = 1.., value_name = "SELECTOR")]
    only: Vec<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Args)]
struct CutArgs {
    /// The OpenAPI 3.0 document to cut from, YAML or JSON.
    #[arg(long)]
    spec: PathBuf,
    /// Operations to keep (one or more selectors).
    #[arg(long, required = true, num_args = 1..)]
    only: Vec<String>,
    /// Where to write the cut spec (`.json` for JSON, anything else for YAML).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct GenerateArgs {
    /// The OpenAPI 3.0 document, YAML or JSON.
    #[arg(long, default_value = apigen::DEFAULT_SPEC)]
    spec: PathBuf,
    /// The crate directory to write (Cargo.toml and src/).
    #[arg(long, default_value = apigen::DEFAULT_OUT)]
    out: PathBuf,
    /// Write nothing; exit 1 with a diff when OUT differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Package name of the generated crate (default: from info.title).
    #[arg(long)]
    crate_name: Option<String>,
    /// Package version of the generated crate.
    #[arg(long, default_value = "0.1.0")]
    crate_version: String,
    /// Also write the generation report (every fallback, with its JSON pointer) as JSON here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Generate only these operations (selectors as for `apigen cut`).
    #[arg(long, num_args = 1..)]
    only: Vec<String>,
    /// Replace files at generated paths even if apigen did not write them (their first line
    /// is not the `@generated by apigen` header). Directories are never replaced.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (config, out, check, report, force) = match cli.command {
        None => (
            apigen::Config::default_job(),
            PathBuf::from(apigen::DEFAULT_OUT),
            false,
            None,
            false,
        ),
        Some(Command::Generate(args)) => {
            let is_default = args.spec.as_path() == std::path::Path::new(apigen::DEFAULT_SPEC)
                && args.out.as_path() == std::path::Path::new(apigen::DEFAULT_OUT)
                && args.crate_name.is_none();
            let mut config = if is_default {
                apigen::Config::default_job()
            } else {
                apigen::Config::for_spec(&args.spec, &args.out)
            };
            if let Some(name) = args.crate_name {
                config.crate_name = Some(name);
            }
            config.crate_version = args.crate_version;
            config.only = args
                .only
                .iter()
                .map(|s| apigen::cut::Selector::parse(s))
                .collect();
            (config, args.out, args.check, args.report, args.force)
        }
        // Deep input recurses deeply: every command runs on threads with a known stack.
        Some(Command::Cut(args)) => return finish(apigen::with_large_stack(|| cut(&args))),
        Some(Command::Diff(args)) => return finish(apigen::with_large_stack(|| diff(&args))),
    };
    finish(apigen::with_large_stack(|| {
        run(&config, &out, check, report, force)
    }))
}

fn finish(result: apigen::Result<apigen::Result<ExitCode>>) -> ExitCode {
    result.and_then(|r| r).unwrap_or_else(|e| {
        eprintln!("apigen: error: {e}");
        ExitCode::from(2)
    })
}

fn diff(args: &DiffArgs) -> apigen::Result<ExitCode> {
    let report = apigen::diff::diff_files(&args.old, &args.new, &args.only)?;
    let text = match args.format {
        DiffFormat::Markdown => report.to_markdown(),
        DiffFormat::Json => report.to_json(),
    };
    print!("{text}");
    Ok(if report.has_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cut(args: &CutArgs) -> apigen::Result<ExitCode> {
    let selectors: Vec<apigen::cut::Selector> = args
        .only
        .iter()
        .map(|s| apigen::cut::Selector::parse(s))
        .collect();
    let (tree, spec) = apigen::cut::read_tree(&args.spec)?;
    let tree = apigen::cut::cut(tree, &spec, &selectors, &args.spec)?;
    // The result must itself be a usable spec.
    let kept = apigen::cut::into_spec(tree.clone(), &args.out)?;
    let operations: usize = kept
        .paths
        .paths
        .values()
        .filter_map(|p| p.as_item())
        .map(|p| p.iter().count())
        .sum();
    let text = apigen::cut::to_text(&tree, &args.out)?;
    std::fs::write(&args.out, text).map_err(|e| apigen::Error::Io {
        path: args.out.clone(),
        source: e,
    })?;
    eprintln!(
        "apigen: wrote {} ({operations} operations)",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run(
    config: &apigen::Config,
    out: &std::path::Path,
    check: bool,
    report: Option<PathBuf>,
    force: bool,
) -> apigen::Result<ExitCode> {
    let generated = apigen::generate(config)?;
    summarize(&generated);
    if let Some(path) = report {
        let json =
            serde_json::to_string_pretty(&generated.report).expect("the report is plain data");
        std::fs::write(&path, json + "\n").map_err(|e| apigen::Error::Io {
            path: path.clone(),
            source: e,
        })?;
    }
    if check {
        let staleness = apigen::write::check(out, &generated.files)?;
        if staleness.is_fresh() {
            eprintln!("apigen: {} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        for diff in &staleness.diffs {
            print!("{diff}");
        }
        for stale in &staleness.stale {
            println!("would remove {}", out.join(stale).display());
        }
        eprintln!(
            "apigen: {} is stale: run `{}` to regenerate it",
            out.display(),
            config.command
        );
        return Ok(ExitCode::from(1));
    }
    apigen::write::write_with(
        out,
        &generated.files,
        &apigen::write::WriteOptions { force },
    )?;
    eprintln!(
        "apigen: wrote {} files to {}",
        generated.files.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn summarize(generated: &apigen::Generated) {
    eprintln!(
        "apigen: {} operations, {} fallbacks",
        generated.operations,
        generated.report.len()
    );
    let shown = 10;
    for fallback in generated.report.iter().take(shown) {
        eprintln!("  {}: {}", fallback.pointer, fallback.reason);
    }
    if generated.report.len() > shown {
        eprintln!(
            "  ... and {} more (use --report FILE for all)",
            generated.report.len() - shown
        );
    }
}
