//! `apigen diff`: each kind of change, its classification, the exit codes, and
//! a snapshot of the report on a cut of the real Cloudflare specs.

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

/// The one change of `kind` at `operation` → `location`.
fn find<'a>(report: &'a Value, kind: &str, operation: &str, location: &str) -> &'a Value {
    let found: Vec<&Value> = changes(report)
        .iter()
        .filter(|c| c["kind"] == kind && c["operation"] == operation && c["location"] == location)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind} at {operation} → {location:?} in {:#}",
        report["changes"]
    );
    found[0]
}

fn assert_breaking(change: &Value, breaking: bool) {
    assert_eq!(change["breaking"], breaking, "{change:#}");
}

fn kinds(report: &Value) -> Vec<String> {
    changes(report)
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn identical_specs_have_no_changes_and_exit_0() {
    let out = diff(BASE, BASE, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("No changes to the generated Rust API."),
        "{text}"
    );
    assert!(text.trim_end().ends_with(
        "Summary: 0 breaking, 0 non-breaking. Suggested bump: patch (x.y.z → x.y.(z+1)); for a 0.x crate: patch (0.x.y → 0.x.(y+1))."
    ), "{text}");
}

#[test]
fn added_operation_is_non_breaking_and_a_minor_bump() {
    let new = edit(&[(
        "  /pets/{pet_id}:\n    get:",
        "  /pets/{pet_id}:\n    delete:\n      operationId: pets-delete\n      parameters:\n        - name: pet_id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: gone\n    get:",
    )]);
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 0);
    let c = find(&r, "operation_added", "pets.delete", "");
    assert_breaking(c, false);
    assert_eq!(c["new"], "DELETE /pets/{pet_id}");
    assert_eq!(kinds(&r), ["operation_added"]);
    assert_eq!(r["summary"]["bump"], "minor");
    assert_eq!(r["summary"]["bump_0x"], "patch");
}

#[test]
fn removed_operation_is_breaking_and_exits_1() {
    // An `x-` key is an extension: the operation is gone.
    let without = edit(&[(
        "    post:\n      operationId: pets-create",
        "    x-post:\n      operationId: pets-create",
    )]);
    let (code, r) = report(BASE, &without, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "operation_removed", "pets.create", "");
    assert_breaking(c, true);
    assert_eq!(c["old"], "POST /pets");
    assert_eq!(kinds(&r), ["operation_removed"]);
    assert_eq!(r["summary"]["bump"], "major");
    assert_eq!(r["summary"]["bump_0x"], "minor");
}

#[test]
fn same_route_under_another_name_is_a_rename_not_a_removal() {
    let new = edit(&[(
        "      operationId: pets-get\n",
        "      operationId: pets-get\n      x-fern-sdk-method-name: fetch\n",
    )]);
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "operation_renamed", "pets.fetch", "");
    assert_breaking(c, true);
    assert_eq!(c["old"], "pets.get");
    assert_eq!(c["new"], "pets.fetch");
    // The params struct is named after the method; the rename line covers it.
    assert_eq!(kinds(&r), ["operation_renamed"]);
}

#[test]
fn renamed_path_parameter_keeps_the_route_and_is_paired() {
    let new = BASE
        .replace("{pet_id}", "{id}")
        .replace("- name: pet_id", "- name: id");
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "parameter_renamed", "pets.get", "params.path.id");
    assert_breaking(c, true);
    assert_eq!(c["old"], "pet_id");
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .contains("`new(...)` calls still compile"),
        "{c:#}"
    );
    assert_eq!(
        kinds(&r),
        ["parameter_renamed"],
        "no route change, no removed/added field"
    );
}

#[test]
fn request_parameters_added_removed_and_required_changes() {
    // A new required query parameter: `new(...)` gains an argument.
    let required = edit(&[(
        "      parameters:\n        - name: limit",
        "      parameters:\n        - name: owner\n          in: query\n          required: true\n          schema:\n            type: string\n        - name: limit",
    )]);
    let (code, r) = report(BASE, &required, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "field_added", "pets.list", "params.query.owner");
    assert_breaking(c, true);
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .contains("`new(...)` gains an argument"),
        "{c:#}"
    );

    // A new optional one: a new setter.
    let optional = required.replacen("          required: true\n          schema:\n            type: string\n        - name: limit", "          schema:\n            type: string\n        - name: limit", 1);
    let (code, r) = report(BASE, &optional, &[]);
    assert_eq!(code, 0);
    assert_breaking(
        find(&r, "field_added", "pets.list", "params.query.owner"),
        false,
    );
    assert_eq!(r["summary"]["bump"], "minor");

    // Removed.
    let removed = edit(&[("                tag:\n                  type: string\n", "")]);
    let (code, r) = report(BASE, &removed, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "field_removed", "pets.create", "params.body.tag");
    assert_breaking(c, true);
    assert_eq!(c["old"], "Option<String>");

    // Made required: `Option<String>` → `String`, and `new(...)` gains it.
    let (code, r) = report(
        BASE,
        &edit(&[("required: [name]\n", "required: [name, tag]\n")]),
        &[],
    );
    assert_eq!(code, 1);
    let c = find(&r, "made_required", "pets.create", "params.body.tag");
    assert_breaking(c, true);
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("Option<String>"), Some("String"))
    );

    // Made optional: also breaking, `new(...)` loses the argument and the type becomes an Option.
    let (code, r) = report(
        BASE,
        &edit(&[("required: [name]\n", "required: []\n")]),
        &[],
    );
    assert_eq!(code, 1);
    let c = find(&r, "made_optional", "pets.create", "params.body.name");
    assert_breaking(c, true);
    let reason = c["reason"].as_str().unwrap();
    assert!(reason.contains("`new(...)` loses the argument"), "{reason}");
    assert!(reason.contains("type changes"), "{reason}");
}

#[test]
fn response_fields_added_removed_and_retyped() {
    // Optional field added to a response type: non-breaking.
    let added = edit(&[(
        "        email:\n          type: string\n",
        "        email:\n          type: string\n        phone:\n          type: string\n",
    )]);
    let (code, r) = report(BASE, &added, &[]);
    assert_eq!(code, 0);
    let c = find(&r, "field_added", "pets.create", "result.owner.phone");
    assert_breaking(c, false);
    assert_eq!(c["in_type"], "types::Owner");
    // `Owner` is reached from every operation: reported once, the others named.
    assert_eq!(
        c["also_reached_from"],
        serde_json::json!(["pets.get", "pets.list"])
    );
    assert_eq!(changes(&r).len(), 1);

    // Removed: breaking.
    let removed = edit(&[(
        "        owner:\n          $ref: '#/components/schemas/Owner'\n",
        "",
    )]);
    let (code, r) = report(BASE, &removed, &[]);
    assert_eq!(code, 1);
    assert_breaking(
        find(&r, "field_removed", "pets.create", "result.owner"),
        true,
    );

    // string → integer, and T → Vec<T>: breaking type changes.
    let retyped = edit(&[
        (
            "        id:\n          type: string\n",
            "        id:\n          type: integer\n",
        ),
        (
            "        name:\n          type: string\n",
            "        name:\n          type: array\n          items:\n            type: string\n",
        ),
    ]);
    let (code, r) = report(BASE, &retyped, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "type_changed", "pets.create", "result.id");
    assert_breaking(c, true);
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("String"), Some("i64"))
    );
    let c = find(&r, "type_changed", "pets.create", "result.name");
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("String"), Some("Vec<String>"))
    );

    // Inside an array result: `Vec<Pet>` → `Vec<Pet>` with a changed field.
    assert!(
        changes(&r).iter().all(|c| c["operation"] == "pets.create"),
        "reported once"
    );
}

#[test]
fn renamed_component_is_followed_by_field_name() {
    // `Owner` becomes `Person` and its field gets a constraint: the walk pairs
    // them through `Pet.owner`, so this is a rename plus one change inside.
    let new = BASE.replace("Owner", "Person").replace(
        "        email:\n          type: string\n",
        "        email:\n          type: string\n          format: email\n",
    );
    let (code, r) = report(BASE, &new, &[]);
    assert_eq!(code, 1);
    let c = find(&r, "type_renamed", "pets.create", "result.owner");
    assert_breaking(c, true);
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("types::Owner"), Some("types::Person"))
    );
    // Responses are not validated: a tighter constraint there is not breaking.
    let c = find(
        &r,
        "constraint_tightened",
        "pets.create",
        "result.owner.email",
    );
    assert_breaking(c, false);
    assert_eq!(c["in_type"], "types::Person");
    assert_eq!(kinds(&r), ["type_renamed", "constraint_tightened"]);
}

#[test]
fn enum_values_added_and_removed_are_breaking() {
    let (code, r) = report(
        BASE,
        &edit(&[(
            "enum: [available, sold]",
            "enum: [available, sold, pending]",
        )]),
        &[],
    );
    assert_eq!(code, 1);
    let c = find(&r, "enum_value_added", "pets.create", "result.status");
    assert_breaking(c, true);
    assert_eq!(c["new"], "Pending");
    assert!(
        c["reason"].as_str().unwrap().contains("#[non_exhaustive]"),
        "{c:#}"
    );

    let (code, r) = report(
        BASE,
        &edit(&[("enum: [available, sold]", "enum: [available]")]),
        &[],
    );
    assert_eq!(code, 1);
    let c = find(&r, "enum_value_removed", "pets.create", "result.status");
    assert_breaking(c, true);
    assert_eq!(c["old"], "Sold");
}

#[test]
fn request_constraints_tightened_break_and_loosened_do_not() {
    let tightened = edit(&[
        ("maxLength: 60", "maxLength: 30"),
        ("            minimum: 1\n", "            minimum: 5\n"),
        ("                tag:\n                  type: string\n", "                tag:\n                  type: string\n                  pattern: '^[a-z]+$'\n"),
    ]);
    let (code, r) = report(BASE, &tightened, &[]);
    assert_eq!(code, 1);
    let c = find(
        &r,
        "constraint_tightened",
        "pets.create",
        "params.body.name",
    );
    assert_breaking(c, true);
    assert_eq!(
        (c["what"].as_str(), c["old"].as_str(), c["new"].as_str()),
        (Some("maxLength lowered"), Some("60"), Some("30"))
    );
    let c = find(
        &r,
        "constraint_tightened",
        "pets.list",
        "params.query.limit",
    );
    assert_breaking(c, true);
    assert_eq!(c["what"], "minimum raised");
    let c = find(&r, "constraint_tightened", "pets.create", "params.body.tag");
    assert_eq!(c["what"], "pattern added");
    assert_breaking(c, true);

    let loosened = edit(&[
        ("maxLength: 60", "maxLength: 100"),
        ("            maximum: 100\n", ""),
    ]);
    let (code, r) = report(BASE, &loosened, &[]);
    assert_eq!(code, 0, "{r:#}");
    let c = find(&r, "constraint_loosened", "pets.create", "params.body.name");
    assert_eq!(c["what"], "maxLength raised");
    assert_breaking(c, false);
    assert_eq!(
        find(&r, "constraint_loosened", "pets.list", "params.query.limit")["what"],
        "maximum removed"
    );
    assert_eq!(r["summary"]["bump"], "patch");
}

#[test]
fn only_restricts_both_specs() {
    let new = edit(&[
        ("maxLength: 60", "maxLength: 30"),
        ("            minimum: 1\n", "            minimum: 5\n"),
    ]);
    let (code, r) = report(BASE, &new, &["--only", "pets.list"]);
    assert_eq!(code, 1);
    assert_eq!(kinds(&r), ["constraint_tightened"]);
    assert_eq!(r["only"], serde_json::json!(["pets.list"]));
    assert_eq!(
        (
            r["old"]["operations"].as_u64(),
            r["new"]["operations"].as_u64()
        ),
        (Some(1), Some(1))
    );

    // A selector may match in one spec only (a new operation)...
    let renamed = edit(&[(
        "      operationId: pets-get\n",
        "      operationId: pets-get\n      x-fern-sdk-method-name: fetch\n",
    )]);
    let (code, r) = report(BASE, &renamed, &["--only", "pets.fetch"]);
    assert_eq!(code, 1);
    // ...and the operation at the same route on the other side is still found.
    assert_eq!(kinds(&r), ["operation_renamed"]);

    // ...but not in neither.
    let out = diff(BASE, &new, &["--only", "nothing.here"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing.here") && err.contains("matches no operation"),
        "{err}"
    );
}

#[test]
fn unusable_input_exits_2() {
    let out = diff(BASE, "openapi: [", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("new.yaml"));
    let dir = tempfile::tempdir().unwrap();
    let out = apigen(&["diff", "missing.yaml", "also-missing.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.yaml"));
    let out = diff(BASE, BASE, &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn markdown_groups_by_classification_and_operation_deterministically() {
    let new = edit(&[
        ("maxLength: 60", "maxLength: 30"),
        (
            "enum: [available, sold]",
            "enum: [available, sold, pending]",
        ),
        (
            "        email:\n          type: string\n",
            "        email:\n          type: string\n        phone:\n          type: string\n",
        ),
    ]);
    let first = diff(BASE, &new, &[]);
    let second = diff(BASE, &new, &[]);
    assert_eq!(first.status.code(), Some(1));
    assert_eq!(stdout(&first), stdout(&second));
    let text = stdout(&first);
    let breaking = text.find("## Breaking changes (2)").expect(&text);
    let non_breaking = text.find("## Non-breaking changes (1)").expect(&text);
    assert!(breaking < non_breaking);
    assert!(text.contains("- `params.body.name` (in `pets::PetCreateParams`): maxLength lowered: `60` → `30` — a value that passed client-side validation may now be rejected."), "{text}");
    assert!(text.trim_end().ends_with(
        "Summary: 2 breaking, 1 non-breaking. Suggested bump: major (x.y.z → (x+1).0.0); for a 0.x crate: minor (0.x.y → 0.(x+1).0)."
    ), "{text}");
    // JSON: breaking first, then by operation and location.
    let (_, r) = report(BASE, &new, &[]);
    let order: Vec<(bool, String, String)> = changes(&r)
        .iter()
        .map(|c| {
            (
                !c["breaking"].as_bool().unwrap(),
                c["operation"].as_str().unwrap().into(),
                c["location"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(r["summary"]["breaking"], 2);
    assert_eq!(r["summary"]["non_breaking"], 1);
}

#[test]
fn help_documents_the_classification_and_has_examples() {
    let out = apigen(&["diff", "--help"], &common::repo_root());
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for needle in [
        "OLD",
        "NEW",
        "--format",
        "--only",
        "breaking",
        "non-breaking",
        "Exit status",
        "Examples:",
        "apigen diff ",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from:\n{help}");
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
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("cloudflare_2024_01_to_2026_08", stdout(&out));
}
