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
        after_help = "Exit status: 0 on success (or fresh with --check), 1 when --check finds differences, 2 when the input is unusable, 3 on an internal error (a bug in apigen).\n\nExamples:\n  apigen generate --spec ../shared/specs/cloudflare-2026-08.json --out /tmp/cf --report /tmp/cf-report.json\n  apigen generate --check"
    )]
    Generate(GenerateArgs),
    /// Write a smaller spec holding only the selected operations and every component they reach.
    #[command(
        after_help = "Selectors: an SDK name (`user.edit`, `zero_trust.access.users.update`), a whole resource (`zero_trust.access`), an operationId (`user-edit-user`), or `METHOD /path` (`'PATCH /user'`).\n\nExample (how spec/ is refreshed from upstream):\n  apigen cut --spec ../shared/specs/cloudflare-2026-08.json --only user.edit zero_trust.access.users.update --out spec/openapi.yaml"
    )]
    Cut(CutArgs),
    /// Report what a spec change does to the generated Rust API, and the version bump it needs.
    #[command(after_help = diff_help())]
    Diff(DiffArgs),
}

/// `apigen diff --help`: the classification, built from the rule table itself.
fn diff_help() -> String {
    use apigen::diff::{Level, Rule};
    let mut help = String::from(
        "\
Operations are matched by their SDK path (`user.edit`), then by route (`PATCH /user`,
path parameter names ignored) to detect renames. Types are compared by walking both
type graphs in parallel from each operation, so renamed component schemas are
followed rather than reported as removed and added; each pair of types is compared
once, and its changes are listed under the first operation (by name) that reaches it.

Every change has a stable rule ID and one of three levels, for users of the generated
crate (which makes enums and unions #[non_exhaustive] with an `Unknown` variant, and
gives every request-side type a constructor of its required fields plus setters):
  breaking      code that compiled no longer compiles, or fails at run time
  behavioural   code compiles, but behaves differently (a tightened request
                constraint that client validation now rejects, a new required
                response field, a changed default)
  non-breaking  nothing existing changes
",
    );
    for level in Level::ALL {
        help.push_str(&format!("\nRules that are {level}:\n"));
        for rule in Rule::ALL.iter().filter(|r| r.level() == level) {
            help.push_str(&format!("  {:<32} {}\n", rule.id(), rule.description()));
        }
    }
    help.push_str(
        "\
Version bump: major if anything breaks; minor if something was added or behaves
differently; patch for any other change. For 0.x crates each moves down one place
(0.x.y -> 0.(x+1).0 for breaking changes), and 0.0.z always needs 0.0.(z+1). With
--crate-version (or --crate) the report gives the version the crate needs next; with
--next-version it also checks the version you intend to release.

Ignore file (--ignore): one `RULE OPERATION [LOCATION]` per line, as every report
prints them; `*` matches anything (`enum-value-added zero_trust.*`); `#` comments.

Output formats: markdown (default; grouped by level and resource, for a CHANGELOG),
json (schema: generator/schemas/diff-report.v1.json, also printed by --json-schema),
junit (one test case per change; failures at --fail-on or above), github (GitHub
Actions annotations).

Exit status: 0 when no change is at --fail-on or above (default: breaking) and the
--next-version (if given) is enough; 1 otherwise; 2 when an input is unusable.

Examples:
  apigen diff tests/specs/cloudflare-2024-01.json.gz tests/specs/cloudflare-2026-08.json.gz
  apigen diff old.yaml new.yaml --format json > diff.json
  apigen diff old.yaml new.yaml --crate generated/ --next-version 0.3.0 --fail-on behavioural
  apigen diff old.yaml new.yaml --ignore .apigen-diff-ignore --format github
  apigen diff old.json new.json --only user zero_trust.access.users

`--only` takes every argument after it: give OLD and NEW first.",
    );
    help
}

#[derive(Args)]
struct DiffArgs {
    /// The old OpenAPI 3.0 document (YAML or JSON, optionally gzip-compressed).
    #[arg(required_unless_present = "json_schema")]
    old: Option<PathBuf>,
    /// The new OpenAPI 3.0 document.
    #[arg(required_unless_present = "json_schema")]
    new: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: DiffFormat,
    /// Exit 1 when a change is at this level or above: breaking, behavioural or non-breaking.
    #[arg(long, value_name = "LEVEL", default_value = "breaking", value_parser = parse_level)]
    fail_on: apigen::diff::Level,
    /// Leave out the changes an ignore file lists (`RULE OPERATION [LOCATION]` per line).
    #[arg(long, value_name = "FILE")]
    ignore: Option<PathBuf>,
    /// The version of the crate generated from OLD: report the version it needs next.
    #[arg(long, value_name = "X.Y.Z", conflicts_with = "crate_dir", value_parser = parse_version)]
    crate_version: Option<semver::Version>,
    /// Read that version from this generated crate's Cargo.toml (a directory or the file).
    #[arg(long = "crate", value_name = "PATH")]
    crate_dir: Option<PathBuf>,
    /// The version you intend to release from NEW: exit 1 if the changes need more.
    #[arg(long, value_name = "X.Y.Z", value_parser = parse_version)]
    next_version: Option<semver::Version>,
    /// Name types as a crate generated from OLD with this names lock (its `apigen.lock`)
    /// does, and NEW as regenerating it would: held names, deprecated aliases.
    #[arg(long, value_name = "FILE")]
    lock: Option<PathBuf>,
    /// Compare only these operations, in both specs (selectors as for `apigen cut`;
    /// a selector may match in only one of them).
    #[arg(long, num_args = 1.., value_name = "SELECTOR")]
    only: Vec<String>,
    /// Print the JSON Schema of `--format json` and exit.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    json_schema: bool,
}

fn parse_level(s: &str) -> Result<apigen::diff::Level, String> {
    s.parse()
}

fn parse_version(s: &str) -> Result<semver::Version, String> {
    semver::Version::parse(s.trim()).map_err(|e| format!("not a semver version: {e}"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    /// Grouped by level and SDK resource, ready for a CHANGELOG.
    Markdown,
    /// Everything, for tools (see --json-schema).
    Json,
    /// JUnit XML, one test case per change.
    Junit,
    /// GitHub Actions annotations.
    Github,
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
    /// Also write the generation report as JSON here: every fallback with its JSON pointer,
    /// each list operation's pagination style, and the list-like operations no style fits.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Generate only these operations (selectors as for `apigen cut`).
    #[arg(long, num_args = 1..)]
    only: Vec<String>,
    /// The maintainer's settings (TOML; e.g. the environment variable of each security
    /// scheme). Default: `apigen.toml` beside the spec, when there is one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where the client gets its HTTP runtime: `vendored` (copied into src/runtime/),
    /// `path=DIR` (depend on the apigen-runtime crate at DIR, relative to OUT) or
    /// `version=REQ` (depend on apigen-runtime from the registry).
    #[arg(
        long,
        default_value = "vendored",
        value_name = "vendored|path=DIR|version=REQ"
    )]
    runtime: apigen::Runtime,
    /// Replace files at generated paths even if apigen did not write them (their first line
    /// is not the `@generated by apigen` header). Directories are never replaced.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (config, out, check, report, force) = match cli.command {
        None => (
            match default_job() {
                Ok(config) => config,
                Err(e) => return finish(Err(e)),
            },
            PathBuf::from(apigen::DEFAULT_OUT),
            false,
            None,
            false,
        ),
        Some(Command::Generate(args)) => {
            let is_default = args.spec.as_path() == std::path::Path::new(apigen::DEFAULT_SPEC)
                && args.out.as_path() == std::path::Path::new(apigen::DEFAULT_OUT)
                && args.crate_name.is_none()
                && args.runtime.is_vendored();
            let mut config = if is_default {
                match default_job() {
                    Ok(config) => config,
                    Err(e) => return finish(Err(e)),
                }
            } else {
                apigen::Config::for_spec(&args.spec, &args.out)
            };
            if !args.runtime.is_vendored() {
                config
                    .command
                    .push_str(&format!(" --runtime {}", args.runtime));
            }
            if let apigen::Runtime::Path(dir) = &args.runtime {
                if !args.out.join(dir).join("Cargo.toml").is_file() {
                    eprintln!(
                        "apigen: warning: no crate at {} (a runtime path is relative to the output directory)",
                        args.out.join(dir).display()
                    );
                }
            }
            config.runtime = args.runtime;
            let settings_file = args
                .config
                .clone()
                .or_else(|| apigen::Settings::beside(&args.spec));
            if let Some(path) = &settings_file {
                match apigen::Settings::from_file(path) {
                    Ok(settings) => config.settings = settings,
                    Err(e) => return finish(Err(e)),
                }
                if args.config.is_some() {
                    config
                        .command
                        .push_str(&format!(" --config {}", path.display()));
                }
            }
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
    let config = match config.with_lock_in(&out) {
        Ok(config) => config,
        Err(e) => return finish(Ok(Err(e))),
    };
    finish(apigen::with_large_stack(|| {
        run(&config, &out, check, report, force)
    }))
}

/// The job run with no arguments, with the settings beside `spec/openapi.yaml`.
fn default_job() -> apigen::Result<apigen::Config> {
    apigen::Config::default_job().with_settings_beside_spec()
}

fn finish(result: apigen::Result<apigen::Result<ExitCode>>) -> ExitCode {
    result.and_then(|r| r).unwrap_or_else(|e| {
        eprintln!("apigen: error: {e}");
        ExitCode::from(e.exit_code())
    })
}

fn diff(args: &DiffArgs) -> apigen::Result<ExitCode> {
    use apigen::diff;
    if args.json_schema {
        print!("{}", diff::report::JSON_SCHEMA);
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(old), Some(new)) = (&args.old, &args.new) else {
        return Err(apigen::Error::Usage("OLD and NEW are required".into()));
    };
    if args.next_version.is_some() && args.crate_version.is_none() && args.crate_dir.is_none() {
        return Err(apigen::Error::Usage(
            "--next-version needs the current version: give --crate-version or --crate".into(),
        ));
    }
    // Read everything the user named before the (slower) comparison.
    let ignore = args
        .ignore
        .as_deref()
        .map(diff::IgnoreList::read)
        .transpose()?;
    let current = match (&args.crate_version, &args.crate_dir) {
        (Some(v), _) => Some(v.clone()),
        (None, Some(dir)) => Some(diff::read_crate_version(dir)?),
        (None, None) => None,
    };
    let lock =
        match &args.lock {
            Some(path) => Some(apigen::NameLock::read(path)?.ok_or_else(|| {
                apigen::Error::Usage(format!("no names lock at {}", path.display()))
            })?),
            None => None,
        };
    let mut report = diff::diff_files(old, new, &args.only, lock.as_ref())?;
    if let Some(ignore) = &ignore {
        for unused in ignore.unused(&report.changes) {
            eprintln!("apigen: warning: ignore entry `{unused}` matches no change");
        }
        report.apply_ignore(ignore);
    }
    if let Some(current) = &current {
        report.check_version(current, args.next_version.as_ref());
    }
    let text = match args.format {
        DiffFormat::Markdown => report.to_markdown(),
        DiffFormat::Json => report.to_json(),
        DiffFormat::Junit => report.to_junit(args.fail_on),
        DiffFormat::Github => report.to_github(args.fail_on),
    };
    print!("{text}");
    let fails = report.has_at_least(args.fail_on) || report.version_insufficient();
    Ok(if fails {
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
        let json = serde_json::to_string_pretty(&serde_json::json!({
            "fallbacks": generated.report,
            "pagination": generated.pagination,
        }))
        .expect("the report is plain data");
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
    let pagination = &generated.pagination;
    let styles: Vec<String> = pagination
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(style, n)| format!("{n} {style}"))
        .collect();
    if !styles.is_empty() || !pagination.unpaged_lists.is_empty() {
        eprintln!(
            "apigen: paged lists: {}; {} list-like operations fit no style{}",
            if styles.is_empty() {
                "none".to_string()
            } else {
                styles.join(", ")
            },
            pagination.unpaged_lists.len(),
            if pagination.unpaged_lists.is_empty() {
                ""
            } else {
                " (see --report FILE)"
            }
        );
    }
}
