//! Pagination across the whole 2026-08 Cloudflare spec: every style is detected, the
//! counts per style are the ones the README states, and the operations the official SDKs
//! get wrong are paged as their responses say.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use apigen::ir::{Api, PageStyle, PaginationSource};

/// The IR of the vendored 2026-08 spec, lowered once for both tests.
fn api_2026_08() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let path = common::repo_root().join("tests/specs/cloudflare-2026-08.json.gz");
        let spec = apigen::parse::parse_file(&path).expect("the vendored spec parses");
        apigen::ir::build(&spec, &apigen::ir::BuildOptions::with_prefix("CLOUDFLARE"))
            .expect("the vendored spec lowers")
    })
}

/// The pagination of the operation at `GET path`.
fn style_of<'a>(api: &'a Api, path: &str) -> Option<&'a apigen::ir::Pagination> {
    api.operations
        .iter()
        .find(|op| op.http_method == "GET" && op.path == path)
        .unwrap_or_else(|| panic!("GET {path} is in the spec"))
        .pagination
        .as_ref()
}

#[test]
fn every_style_is_detected_across_2026_08_with_the_readme_counts() {
    let api = api_2026_08();
    let report = apigen::PaginationReport::of(api);
    let expected: BTreeMap<&str, usize> = [
        ("page_array", 263),
        ("page", 14),
        ("cursor", 30),
        ("cursor_limit", 13),
        ("cursor_after", 4),
        ("page_token", 4),
        ("single_page", 128),
    ]
    .into_iter()
    .collect();
    assert_eq!(report.counts, expected);
    assert!(report.counts.values().all(|n| *n > 0), "every style occurs");
    assert_eq!(report.unpaged_lists.len(), 84);
    let undeclared = report
        .operations
        .iter()
        .filter(|op| op.page_param.is_some() && !op.page_param_declared)
        .count();
    assert_eq!(undeclared, 89);
    let marked = report
        .operations
        .iter()
        .filter(|op| op.source == PaginationSource::SpecExtension)
        .count();
    assert_eq!(marked, 1);
    assert!(report
        .operations
        .windows(2)
        .all(|w| w[0].operation < w[1].operation));

    // The README states the same figures.
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    for (style, count) in &expected {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{style}` |")))
            .unwrap_or_else(|| panic!("README.md has no row for `{style}`"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[3], count.to_string(), "README.md: {row}");
    }
    for figure in [
        format!(
            "{} list-like operations fit no style",
            report.unpaged_lists.len()
        ),
        format!("{undeclared} of them"),
    ] {
        assert!(
            readme.contains(&figure),
            "README.md does not say `{figure}`"
        );
    }
}

/// Where the official SDKs are wrong, the spec says how the list pages.
#[test]
fn the_sdks_misclassifications_are_paged_as_the_responses_say() {
    let api = api_2026_08();
    // cloudflare-go #4351: Gateway list items, a single page in the Go SDK, report
    // `result_info.page` and `total_count`.
    let gateway = style_of(api, "/accounts/{account_id}/gateway/lists/{list_id}/items")
        .expect("Gateway list items page");
    assert_eq!(gateway.style, PageStyle::PageArray);
    assert!(!gateway.page_param.as_ref().unwrap().declared);
    // cloudflare-python #2667: the next cursor of list items is `result_info.cursors.after`.
    let items = style_of(api, "/accounts/{account_id}/rules/lists/{list_id}/items").unwrap();
    assert_eq!(items.style, PageStyle::CursorAfter);
    assert_eq!(
        items.next_cursor.as_deref().unwrap(),
        ["result_info", "cursors", "after"]
    );
    // The one operation with x-stainless-pagination-property marks.
    let keys = style_of(
        api,
        "/accounts/{account_id}/storage/kv/namespaces/{namespace_id}/keys",
    )
    .unwrap();
    assert_eq!(
        (keys.style, keys.source),
        (PageStyle::CursorLimit, PaginationSource::SpecExtension)
    );
    // Zones: page numbers over the array, stopping at `total_pages`.
    let zones = style_of(api, "/zones").unwrap();
    assert_eq!(zones.style, PageStyle::PageArray);
    assert_eq!(
        zones.total_pages.as_deref().unwrap(),
        ["result_info", "total_pages"]
    );
}
