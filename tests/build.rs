//! Generates, from the vendored 2026-08 Cloudflare spec, the client of the pagination
//! tests (`$OUT_DIR/paged.rs`, one list operation per pagination style, using the
//! `apigen-runtime` crate) and the same operations as a spec of their own
//! (`$OUT_DIR/paged-spec.json`), which Prism serves in the contract tests.

use std::path::Path;

/// One operation per style (by operationId), plus the lists the tests need besides.
const OPERATIONS: &[&str] = &[
    // page_array: `GET /zones`, the README's example.
    "zones-get",
    // page_array, although the spec declares no `page` parameter (cloudflare-go #4351).
    "zero-trust-lists-zero-trust-list-items",
    // page: items in `result.commands`.
    "get-commands",
    // cursor: `cursor` + `per_page`, next in `result_info.cursor`.
    "list-devices",
    // cursor_limit: `cursor` + `limit`, marked with x-stainless-pagination-property.
    "workers-kv-namespace-list-a-namespace'-s-keys",
    // cursor_after: next in `result_info.cursors.after` (cloudflare-python #2667).
    "lists-get-list-items",
    // page_token: `page_token` → `result_info.next_page_token`.
    "Organization_listOrganizations",
    // single_page: a list in one response.
    "worker-routes-list-routes",
];

fn main() -> Result<(), apigen::Error> {
    let spec = Path::new("specs/cloudflare-2026-08.json.gz");
    apigen::Builder::new()
        .spec(spec)
        .only(OPERATIONS)
        .runtime(apigen::Runtime::Path("../runtime".into()))
        .generate_to_out_dir("paged.rs")?;

    let selectors: Vec<apigen::cut::Selector> = OPERATIONS
        .iter()
        .map(|s| apigen::cut::Selector::parse(s))
        .collect();
    let (tree, parsed) = apigen::cut::read_tree(spec)?;
    let tree = apigen::cut::cut(tree, &parsed, &selectors, spec)?;
    let out = Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("paged-spec.json");
    let text = apigen::cut::to_text(&tree, &out)?;
    std::fs::write(&out, text).map_err(|e| apigen::Error::Io {
        path: out.clone(),
        source: e,
    })?;
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}
