//! `apigen diff` from the command line: exit codes, `--fail-on`, ignore files,
//! version checks, every output format (the JSON one against its published
//! schema), `--only`, the help, and a snapshot on a cut of the real Cloudflare
//! specs. The classification of each kind of change is unit-tested in
//! `src/diff/`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A small API: list/create pets, get one; `Pet` is shared by every response.
const BASE: &str = r##"openapi: 3.0.3
info:
  title: Pets API
  version: 1.0.0
servers:
  - url: https://api.example.com
paths:
  /pets:
    get:
      operationId: pets-list
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
    post:
      operationId: pets-create
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  maxLength: 60
                tag:
                  type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
  /pets/{pet_id}:
    get:
      operationId: pets-get
      parameters:
        - name: pet_id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: string
        name:
          type: string
        status:
          $ref: '#/components/schemas/Status'
        owner:
          $ref: '#/components/schemas/Owner'
    Status:
      type: string
      enum: [available, sold]
    Owner:
      type: object
      properties:
        email:
          type: string
"##;

/// `BASE` with each `(from, to)` replaced once; panics if `from` is missing.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "BASE has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn apigen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("apigen runs")
}

/// Runs `apigen diff old.yaml new.yaml ARGS...` on the two texts.
fn diff(old: &str, new: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), new).unwrap();
    let mut all = vec!["diff", "old.yaml", "new.yaml"];
    all.extend_from_slice(args);
    apigen(&all, dir.path())
}

/// The JSON report and the exit code.
fn report(old: &str, new: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = diff(old, new, &all);
    let code = out.status.code().expect("exited");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

fn changes(report: &Value) -> &Vec<Value> {
    report["changes"].as_array().expect("changes")
}

/// The one change of `rule` at `operation` → `location`.
fn find<'a>(report: &'a Value, rule: &str, operation: &str, location: &str) -> &'a Value {
    let found: Vec<&Value> = changes(report)
        .iter()
        .filter(|c| c["rule"] == rule && c["operation"] == operation && c["location"] == location)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {rule} at {operation} → {location:?} in {:#}",
        report["changes"]
    );
    found[0]
}

fn rules(report: &Value) -> Vec<String> {
    changes(report)
        .iter()
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Removes `pets.create` (breaking), tightens `limit` (behavioural), adds an enum value (non-breaking).
fn three_levels() -> String {
    edit(&[
        (
            "    post:\n      operationId: pets-create",
            "    x-post:\n      operationId: pets-create",
        ),
        ("            minimum: 1\n", "            minimum: 5\n"),
        (
            "enum: [available, sold]",
            "enum: [available, sold, pending]",
        ),
    ])
}

/// Runs `apigen diff` with extra files in the temporary directory.
fn diff_with(old: &str, new: &str, files: &[(&str, &str)], args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("old.yaml"), old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), new).unwrap();
    let mut all = vec!["diff", "old.yaml", "new.yaml"];
    all.extend_from_slice(args);
    apigen(&all, dir.path())
}

#[test]
fn identical_specs_have_no_changes_and_exit_0() {
    let out = diff(BASE, BASE, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("No changes to the generated Rust API."),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with(
            "Summary: 0 breaking, 0 behavioural, 0 non-breaking. Required bump: none; for a 0.x crate: none."
        ),
        "{text}"
    );
}

#[test]
fn every_level_is_reported_and_fail_on_picks_the_exit_code() {
    let new = three_levels();
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 1, "a breaking change fails by default");
    assert_eq!(
        rules(&r),
        [
            "operation-removed",
            "request-constraint-tightened",
            "enum-value-added"
        ]
    );
    assert_eq!(
        find(&r, "operation-removed", "pets.create", "")["level"],
        "breaking"
    );
    assert_eq!(
        find(
            &r,
            "request-constraint-tightened",
            "pets.list",
            "params.query.limit"
        )["level"],
        "behavioural"
    );
    let added = find(&r, "enum-value-added", "pets.get", "result.status");
    assert_eq!(added["level"], "non-breaking");
    assert_eq!(added["also_reached_from"], serde_json::json!(["pets.list"]));
    assert_eq!(
        (
            r["summary"]["breaking"].as_u64(),
            r["summary"]["behavioural"].as_u64(),
            r["summary"]["non_breaking"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(r["summary"]["by_rule"]["enum-value-added"], 1);
    assert_eq!(r["summary"]["bump"], "major");
    assert_eq!(r["summary"]["bump_0x"], "minor");

    // Without the removal: behavioural and non-breaking only.
    let softer = new.replacen("    x-post:", "    post:", 1);
    assert_eq!(diff(BASE, &softer, &[]).status.code(), Some(0));
    assert_eq!(
        diff(BASE, &softer, &["--fail-on", "behavioural"])
            .status
            .code(),
        Some(1)
    );
    let only_additions = edit(&[(
        "enum: [available, sold]",
        "enum: [available, sold, pending]",
    )]);
    assert_eq!(
        diff(BASE, &only_additions, &["--fail-on", "behavioural"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        diff(BASE, &only_additions, &["--fail-on", "non-breaking"])
            .status
            .code(),
        Some(1)
    );
    let out = diff(BASE, &only_additions, &["--fail-on", "error"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown level"), "{}", stderr(&out));
}

#[test]
fn ignore_file_silences_reviewed_changes() {
    let ignore = "# reviewed in #123\noperation-removed pets.*\nenum-value-added pets.get result.status\nfield-removed nothing.matches\n";
    let out = diff_with(
        BASE,
        &three_levels(),
        &[("ignore.txt", ignore)],
        &["--ignore", "ignore.txt", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing breaking is left: {}",
        stderr(&out)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules(&r), ["request-constraint-tightened"]);
    assert_eq!(r["summary"]["ignored"], 2);
    assert_eq!(r["summary"]["bump"], "minor");
    assert!(
        stderr(&out).contains("ignore entry `field-removed nothing.matches` matches no change"),
        "{}",
        stderr(&out)
    );

    // A bad entry names the file and line, and nothing is compared.
    let out = diff_with(
        BASE,
        &three_levels(),
        &[(
            "ignore.txt",
            "operation-removed pets.create\nno-such-rule x\n",
        )],
        &["--ignore", "ignore.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ignore.txt:2") && stderr(&out).contains("no-such-rule"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    let out = diff(BASE, BASE, &["--ignore", "missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.txt"), "{}", stderr(&out));
}

#[test]
fn version_bump_from_a_version_or_a_crate() {
    let additions = edit(&[(
        "enum: [available, sold]",
        "enum: [available, sold, pending]",
    )]);
    // 1.x: an addition needs a minor bump.
    let (code, r) = report(BASE, &additions, &["--crate-version", "1.4.2"]);
    assert_eq!(code, 0);
    assert_eq!(
        r["summary"]["version"],
        serde_json::json!({"current": "1.4.2", "required": "1.5.0"})
    );
    let (code, r) = report(
        BASE,
        &additions,
        &["--crate-version", "1.4.2", "--next-version", "1.4.3"],
    );
    assert_eq!(code, 1, "1.4.3 is not enough for an addition");
    assert_eq!(r["summary"]["version"]["sufficient"], false);
    let (code, _) = report(
        BASE,
        &additions,
        &["--crate-version", "1.4.2", "--next-version", "1.5.0"],
    );
    assert_eq!(code, 0);

    // 0.x, read from a generated crate's Cargo.toml: a breaking change needs 0.(x+1).0.
    let manifest = "[package]\nname = \"pets\"\nversion = \"0.3.1\"\nedition = \"2021\"\n";
    let out = diff_with(
        BASE,
        &three_levels(),
        &[("Cargo.toml", manifest)],
        &["--crate", ".", "--next-version", "0.3.2"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.trim_end().ends_with(
            "Required version: 0.4.0 (from 0.3.1); 0.3.2 is NOT enough: release 0.4.0 or later."
        ),
        "{text}"
    );
    let out = diff_with(
        BASE,
        &three_levels(),
        &[("Cargo.toml", manifest)],
        &[
            "--crate",
            "Cargo.toml",
            "--next-version",
            "0.4.0",
            "--fail-on",
            "non-breaking",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "fails on the changes, not on the version"
    );
    let out = diff_with(
        BASE,
        &three_levels(),
        &[("Cargo.toml", manifest)],
        &["--crate", ".", "--next-version", "0.4.0", "--ignore", "ig"],
    );
    assert_eq!(out.status.code(), Some(2), "missing ignore file");

    // Usage errors.
    let out = diff(BASE, BASE, &["--next-version", "1.0.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--crate-version"), "{}", stderr(&out));
    let out = diff(BASE, BASE, &["--crate-version", "one"]);
    assert_eq!(out.status.code(), Some(2));
    let out = diff(BASE, BASE, &["--crate", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}

#[test]
fn json_output_matches_its_published_schema() {
    let root = common::repo_root();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("generator/schemas/diff-report.v1.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid JSON Schema");
    // `--json-schema` prints the same file.
    let out = apigen(&["diff", "--json-schema"], &root);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        schema
    );

    let renamed = BASE.replace("Owner", "Person").replace(
        "        email:\n          type: string\n",
        "        email:\n          type: string\n          format: email\n",
    );
    let ignore = [("ig.txt", "enum-value-added *\n")];
    let cases: Vec<(String, Vec<&str>)> = vec![
        (BASE.to_string(), vec![]),
        (
            three_levels(),
            vec!["--crate-version", "0.2.0", "--next-version", "0.2.1"],
        ),
        (
            three_levels(),
            vec!["--ignore", "ig.txt", "--crate-version", "2.0.0"],
        ),
        (renamed, vec![]),
    ];
    for (new, args) in cases {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        let out = diff_with(BASE, &new, &ignore, &all);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{json:#}");
    }
    // The schema catches drift: a misspelt rule or an unknown key fails.
    let mut bad: Value =
        serde_json::from_slice(&diff(BASE, &three_levels(), &["--format", "json"]).stdout).unwrap();
    bad["changes"][0]["rule"] = "operation-deleted".into();
    assert!(!validator.is_valid(&bad));
    let mut bad: Value =
        serde_json::from_slice(&diff(BASE, &three_levels(), &["--format", "json"]).stdout).unwrap();
    bad["summary"]["extra"] = 1.into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn junit_xml_is_well_formed_with_a_case_per_change() {
    let out = diff(
        BASE,
        &three_levels(),
        &["--format", "junit", "--fail-on", "behavioural"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        (root.attribute("tests"), root.attribute("failures")),
        (Some("3"), Some("2"))
    );
    let cases: Vec<(String, bool)> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("name").unwrap().to_string(),
                n.children().any(|c| c.has_tag_name("failure")),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("operation-removed pets.create".to_string(), true),
            (
                "request-constraint-tightened pets.list params.query.limit".to_string(),
                true
            ),
            ("enum-value-added pets.get result.status".to_string(), false),
        ]
    );
}

#[test]
fn github_annotations_one_per_change() {
    let out = diff(BASE, &three_levels(), &["--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=new.yaml,title=operation-removed (breaking)::pets.create: method removed"
        ),
        "{text}"
    );
    assert!(lines[1].starts_with("::warning file=new.yaml,title=request-constraint-tightened (behavioural)::pets.list params.query.limit"), "{text}");
    assert!(
        lines[2].starts_with("::notice file=new.yaml,title=enum-value-added (non-breaking)::"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("::notice title=apigen diff::Summary: 1 breaking"),
        "{text}"
    );
}

#[test]
fn markdown_groups_by_level_and_resource_deterministically() {
    let first = diff(BASE, &three_levels(), &[]);
    let second = diff(BASE, &three_levels(), &[]);
    assert_eq!(stdout(&first), stdout(&second));
    let text = stdout(&first);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in\n{text}"))
    };
    assert!(at("## Breaking changes (1)\n\n### `pets`") < at("## Behavioural changes (1)"));
    assert!(at("## Behavioural changes (1)") < at("## Non-breaking changes (1)"));
    assert!(text.contains("- `pets.list` `params.query.limit` (in `pets::PetListParams`): minimum raised: `1` → `5` — compiles, but client-side validation may now reject a value that used to be sent. `request-constraint-tightened`"), "{text}");
}

#[test]
fn renamed_component_is_a_rename_caused_by_the_spec() {
    let new = BASE.replace("Owner", "Person");
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "type-renamed-by-spec", "pets.create", "result.owner");
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("types::Owner"), Some("types::Person"))
    );
    assert_eq!(rules(&r), ["type-renamed-by-spec"]);
}

#[test]
fn only_restricts_both_specs() {
    let new = edit(&[
        ("maxLength: 60", "maxLength: 30"),
        ("            minimum: 1\n", "            minimum: 5\n"),
    ]);
    let (code, r) = report(BASE, &new, &["--only", "pets.list"]);
    assert_eq!(code, 0, "behavioural only");
    assert_eq!(rules(&r), ["request-constraint-tightened"]);
    assert_eq!(r["only"], serde_json::json!(["pets.list"]));
    assert_eq!(
        (
            r["old"]["operations"].as_u64(),
            r["new"]["operations"].as_u64()
        ),
        (Some(1), Some(1))
    );

    // A selector may match in one spec only (a renamed operation)...
    let renamed = edit(&[(
        "      operationId: pets-get\n",
        "      operationId: pets-get\n      x-fern-sdk-method-name: fetch\n",
    )]);
    let (code, r) = report(BASE, &renamed, &["--only", "pets.fetch"]);
    assert_eq!(code, 1);
    // ...and the operation at the same route on the other side is still found.
    assert_eq!(rules(&r), ["operation-renamed-by-spec"]);

    // ...but not in neither.
    let out = diff(BASE, &new, &["--only", "nothing.here"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("nothing.here") && err.contains("matches no operation"),
        "{err}"
    );
}

#[test]
fn unusable_input_exits_2() {
    let out = diff(BASE, "openapi: [", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("new.yaml"));
    let dir = tempfile::tempdir().unwrap();
    let out = apigen(&["diff", "missing.yaml", "also-missing.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.yaml"));
    let out = diff(BASE, BASE, &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = apigen(&["diff", "old.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_lists_every_rule_with_its_level() {
    let out = apigen(&["diff", "--help"], &common::repo_root());
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for needle in [
        "OLD",
        "NEW",
        "--format",
        "--only",
        "--fail-on",
        "--ignore",
        "--crate-version",
        "--crate <PATH>",
        "--next-version",
        "--json-schema",
        "Rules that are breaking:",
        "Rules that are behavioural:",
        "Rules that are non-breaking:",
        "Exit status",
        "Examples:",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from:\n{help}");
    }
    // Every rule ID of the published schema is explained in the help.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("generator/schemas/diff-report.v1.json"))
            .unwrap(),
    )
    .unwrap();
    let ids = schema["$defs"]["change"]["properties"]["rule"]["enum"]
        .as_array()
        .unwrap();
    assert!(ids.len() > 40);
    for id in ids {
        let id = id.as_str().unwrap();
        assert!(
            help.contains(&format!("  {id} ")),
            "{id} missing from the help"
        );
    }
}

#[test]
fn cloudflare_2024_01_to_2026_08_for_a_few_resources() {
    let out = apigen(
        &[
            "diff",
            "tests/specs/cloudflare-2024-01.json.gz",
            "tests/specs/cloudflare-2026-08.json.gz",
            "--only",
            "user.edit",
            "user.get",
            "user.tokens",
            "healthchecks",
        ],
        &common::repo_root(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("cloudflare_2024_01_to_2026_08", stdout(&out));
}
