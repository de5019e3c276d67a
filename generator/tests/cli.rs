//! The `apigen` binary: exit codes, messages, and that bad input loses nothing.

mod common;

use std::path::Path;
use std::process::Command;

fn apigen(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("apigen runs")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_passes_on_the_checked_in_client() {
    let out = apigen(&["generate", "--check"], &common::repo_root());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_fails_with_a_diff_after_a_description_changes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    let text = std::fs::read_to_string(common::repo_root().join("spec/openapi.yaml")).unwrap();
    let edited = text.replacen(
        "Edit part of your user details.",
        "Edit some of your user details.",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&spec, edited).unwrap();
    let out_dir = dir.path().join("client");
    let spec_arg = spec.to_str().unwrap();
    let out_arg = out_dir.to_str().unwrap();
    let original = spec_arg.replace("openapi.yaml", "original.yaml");
    std::fs::write(&original, text).unwrap();
    // Generate from the original, then check against the edited spec.
    let first = apigen(
        &["generate", "--spec", &original, "--out", out_arg],
        dir.path(),
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let check = apigen(
        &["generate", "--spec", &original, "--out", out_arg, "--check"],
        dir.path(),
    );
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let check = apigen(
        &["generate", "--spec", spec_arg, "--out", out_arg, "--check"],
        dir.path(),
    );
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(
        diff.contains("-    /// Edit part of your user details."),
        "{diff}"
    );
    assert!(
        diff.contains("+    /// Edit some of your user details."),
        "{diff}"
    );
    assert!(stderr(&check).contains("stale"), "{}", stderr(&check));
}

#[test]
fn unusable_input_exits_2_naming_the_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("client");
    let cases: &[(&str, &str, &str)] = &[
        ("syntax.yaml", "openapi: 3.0.3\ninfo: [oops\n", "syntax.yaml:"),
        ("semantic.json", "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": 5}}}}}", "#/paths/~1a/get/responses"),
        ("swagger.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "at #/swagger: Swagger \"2.0\" (OpenAPI 2.0) is not supported"),
        ("swagger.json", "{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\"}, \"paths\": {\"/a\": {\"get\": 1}}}", "at #/swagger: Swagger \"2.0\""),
        ("v32.yaml", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "at #/openapi: unsupported OpenAPI version \"3.2.0\""),
        ("v31-bad.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': 12\n", "#/paths/~1a/get/responses"),
        ("empty.yaml", "", "empty.yaml"),
    ];
    for (name, text, expected) in cases {
        let spec = dir.path().join(name);
        std::fs::write(&spec, text).unwrap();
        let out = apigen(
            &[
                "generate",
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(!out_dir.exists(), "{name}: nothing is written");
    }
}

#[test]
fn a_failed_generation_leaves_existing_output_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("client");
    let spec = common::repo_root().join("spec/openapi.yaml");
    let ok = apigen(
        &[
            "generate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = snapshot_dir(&out_dir);
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': 7}}}}\n").unwrap();
    let failed = apigen(
        &[
            "generate",
            "--spec",
            bad.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(before, snapshot_dir(&out_dir));
}

#[test]
fn regeneration_removes_stale_owned_files_and_keeps_foreign_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("client");
    let spec = common::repo_root().join("spec/openapi.yaml");
    let args = [
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    assert_eq!(apigen(&args, dir.path()).status.code(), Some(0));
    let stale = out_dir.join("src/old_resource.rs");
    std::fs::write(&stale, "// @generated by apigen. Do not edit.\n").unwrap();
    let mine = out_dir.join("src/handwritten.rs");
    std::fs::write(&mine, "// mine\n").unwrap();
    let notes = out_dir.join("NOTES.md");
    std::fs::write(&notes, "keep me\n").unwrap();
    assert_eq!(apigen(&args, dir.path()).status.code(), Some(0));
    assert!(
        !stale.exists(),
        "a file the generator owned and no longer produces is removed"
    );
    assert!(
        mine.exists() && notes.exists(),
        "files the generator does not own are untouched"
    );
}

fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_runtime_is_vendored_by_default_or_a_dependency_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let spec = common::repo_root().join("spec/openapi.yaml");
    let spec = spec.to_str().unwrap();
    let out = dir.path().join("client");
    let out_arg = out.to_str().unwrap();
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();

    let vendored = apigen(&["generate", "--spec", spec, "--out", out_arg], dir.path());
    assert_eq!(vendored.status.code(), Some(0), "{}", stderr(&vendored));
    assert!(out.join("src/runtime/mod.rs").is_file());
    assert!(out.join("src/runtime/retry.rs").is_file());
    assert!(read("src/lib.rs").contains("pub mod runtime;"));
    assert!(read("Cargo.toml").contains("\nreqwest = "));

    // Switching to the crate removes the vendored copy and declares the dependency;
    // the path is relative to the output directory (and is checked there).
    let to_crate = apigen(
        &[
            "generate",
            "--spec",
            spec,
            "--out",
            out_arg,
            "--runtime",
            "path=../runtime",
        ],
        dir.path(),
    );
    assert_eq!(to_crate.status.code(), Some(0), "{}", stderr(&to_crate));
    assert!(
        stderr(&to_crate).contains("warning: no crate at"),
        "{}",
        stderr(&to_crate)
    );
    // (The directory stays: apigen never removes a directory, only files it wrote.)
    assert!(
        !out.join("src/runtime/mod.rs").exists() && !out.join("src/runtime/retry.rs").exists(),
        "the vendored files are removed"
    );
    let manifest = read("Cargo.toml");
    assert!(
        manifest.contains("\napigen-runtime = { path = \"../runtime\" }\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("\nserde = ") && !manifest.contains("\nreqwest = "),
        "{manifest}"
    );
    let lib = read("src/lib.rs");
    assert!(
        lib.contains("pub use ::apigen_runtime as runtime;"),
        "{lib}"
    );
    assert!(
        lib.contains("pub struct ClientBuilder(runtime::ClientBuilder);"),
        "{lib}"
    );
    assert!(
        lib.contains("--runtime path=../runtime"),
        "the header's command regenerates the same crate"
    );

    let version = apigen(
        &[
            "generate",
            "--spec",
            spec,
            "--out",
            out_arg,
            "--runtime",
            "version=0.1",
        ],
        dir.path(),
    );
    assert_eq!(version.status.code(), Some(0), "{}", stderr(&version));
    assert!(read("Cargo.toml").contains("\napigen-runtime = \"0.1\"\n"));

    let back = apigen(
        &[
            "generate",
            "--spec",
            spec,
            "--out",
            out_arg,
            "--runtime",
            "vendored",
        ],
        dir.path(),
    );
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert!(out.join("src/runtime/mod.rs").is_file());
    assert!(!read("Cargo.toml").contains("apigen-runtime ="));

    let bad = apigen(&["generate", "--runtime", "git=x"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("expected `vendored`, `path=DIR` or `version=REQ`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_bad_names_lock_exits_2_naming_the_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("client");
    let spec = common::repo_root().join("spec/openapi.yaml");
    let args = [
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let ok = apigen(&args, dir.path());
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let lock = out_dir.join("apigen.lock");
    let written = std::fs::read_to_string(&lock).unwrap();
    assert!(
        written.contains("\"user::UserEditParams\" = {"),
        "{written}"
    );
    // Regenerating with its own lock changes nothing.
    assert_eq!(apigen(&args, dir.path()).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), written);

    let cases: &[(&str, &str)] = &[
        ("version = 1\n[types]\n\"types::X\" = 7\n", "apigen.lock:3:"),
        ("version = 9\n", "version 9 is not supported"),
        (
            "version = 1\n[aliases]\n\"types::Old\" = \"types::Gone\"\n",
            "aliases.\"types::Old\"",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&lock, text).unwrap();
        let before = snapshot_dir(&out_dir);
        let failed = apigen(&args, dir.path());
        assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
        assert!(stderr(&failed).contains(expected), "{}", stderr(&failed));
        assert_eq!(before, snapshot_dir(&out_dir), "nothing written");
    }
    // `apigen diff --lock` reads the same file, and says when there is none.
    let missing = dir.path().join("none.lock");
    let spec = spec.to_str().unwrap();
    let out = apigen(
        &["diff", spec, spec, "--lock", missing.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no names lock at"),
        "{}",
        stderr(&out)
    );
}

/// A spec of three lists: paged by page number, by cursor, and by offset (no style).
const LISTS: &str = r#"{"openapi": "3.0.3", "info": {"title": "Lists", "version": "1"}, "paths": {
  "/a": {"get": {"operationId": "a-list", "parameters": [{"name": "page", "in": "query", "schema": {"type": "number"}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
      "success": {"type": "boolean"}, "result": {"type": "array", "items": {"type": "string"}},
      "result_info": {"type": "object", "properties": {"page": {"type": "number"}, "total_pages": {"type": "number"}}}}}}}}}}},
  "/b": {"get": {"operationId": "b-list", "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
      "success": {"type": "boolean"}, "result": {"type": "array", "items": {"type": "string"}},
      "result_info": {"type": "object", "properties": {"cursor": {"type": "string"}}}}}}}}}}},
  "/c": {"get": {"operationId": "c-list", "parameters": [{"name": "offset", "in": "query", "schema": {"type": "integer"}}],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
      "success": {"type": "boolean"}, "result": {"type": "array", "items": {"type": "string"}}}}}}}}}}
}}"#;

#[test]
fn the_report_lists_each_operations_pagination_and_the_lists_no_style_fits() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lists.json"), LISTS).unwrap();
    let out = apigen(
        &[
            "generate",
            "--spec",
            "lists.json",
            "--out",
            "client",
            "--report",
            "report.json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "apigen: paged lists: 1 cursor, 1 page_array; 1 list-like operations fit no style (see --report FILE)"
        ),
        "{}",
        stderr(&out)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert!(report["fallbacks"].is_array());
    let pagination = &report["pagination"];
    assert_eq!(pagination["counts"]["page_array"], 1);
    assert_eq!(pagination["counts"]["single_page"], 0);
    let operations = pagination["operations"].as_array().unwrap();
    let styles: Vec<(&str, &str)> = operations
        .iter()
        .map(|o| {
            (
                o["operation_id"].as_str().unwrap(),
                o["style"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(styles, [("a-list", "page_array"), ("b-list", "cursor")]);
    assert_eq!(operations[1]["next_cursor"], "result_info.cursor");
    assert_eq!(operations[0]["total_pages"], "result_info.total_pages");
    let unpaged = &pagination["unpaged_lists"][0];
    assert_eq!(unpaged["pointer"], "#/paths/~1c/get");
    assert_eq!(
        unpaged["reason"],
        "pages by offset (`offset`), a style no SDK has"
    );
}

#[test]
fn pagination_settings_override_and_name_operations_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lists.json"), LISTS).unwrap();
    std::fs::write(
        dir.path().join("apigen.toml"),
        "[pagination]\n\"a-list\" = \"single_page\"\n\"b.list\" = \"none\"\n",
    )
    .unwrap();
    let args = [
        "generate",
        "--spec",
        "lists.json",
        "--out",
        "client",
        "--report",
        "report.json",
    ];
    let out = apigen(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let operations = report["pagination"]["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 1, "b.list is set to none");
    assert_eq!(operations[0]["style"], "single_page");
    assert_eq!(operations[0]["source"], "Setting");

    std::fs::write(
        dir.path().join("apigen.toml"),
        "[pagination]\n\"z.list\" = \"cursor\"\n",
    )
    .unwrap();
    let bad = apigen(&args, dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("apigen.toml: at pagination.\"z.list\": names no operation"),
        "{}",
        stderr(&bad)
    );
    assert!(!dir.path().join("client/src/z.rs").exists());
}
