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

/// The pagination report of a vendored spec that is not Cloudflare's.
fn report_of(file: &str) -> apigen::PaginationReport {
    let path = common::repo_root().join("tests/specs").join(file);
    apigen::with_large_stack(move || {
        let spec = apigen::parse::parse_file(&path).expect("the vendored spec parses");
        let api = apigen::ir::build(&spec, &apigen::ir::BuildOptions::with_prefix("API"))
            .expect("the vendored spec lowers");
        apigen::PaginationReport::of(&api)
    })
    .expect("the large-stack pool starts")
}

/// Unpaged lists by how the reason says they page: the `Link` header, keys, or only the
/// parameters they declare.
fn unpaged_by_kind(report: &apigen::PaginationReport) -> BTreeMap<&'static str, usize> {
    let mut kinds = BTreeMap::new();
    for list in &report.unpaged_lists {
        let kind = if list
            .reason
            .starts_with("pages by the `Link` response header")
        {
            "link"
        } else if list.reason.starts_with("pages by keys") {
            "keys"
        } else if list.reason.starts_with("pages by offset") || list.reason.contains("`offset`") {
            "offset"
        } else {
            "other"
        };
        *kinds.entry(kind).or_default() += 1;
    }
    kinds
}

/// GitHub (Link header over bare arrays) and Discord (`after`/`before` keys) page in
/// styles the envelope-reading runtime does not follow: none is paged, and every list is
/// reported with how it pages; the README states the figures.
#[test]
fn other_apis_lists_are_reported_with_their_style_and_the_readme_counts() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    for (file, name, link, keys, offset, other) in [
        ("github-octokit-23.0.2.json.gz", "GitHub", 190, 16, 0, 74),
        ("discord-2026-07.json.gz", "Discord", 0, 17, 2, 0),
    ] {
        let report = report_of(file);
        assert!(
            report.operations.is_empty(),
            "{name}: no envelope, nothing paged: {:?}",
            report.operations.first()
        );
        let kinds = unpaged_by_kind(&report);
        let count = |k: &str| kinds.get(k).copied().unwrap_or(0);
        assert_eq!(
            [
                count("link"),
                count("keys"),
                count("offset"),
                count("other")
            ],
            [link, keys, offset, other],
            "{name}: {kinds:?}"
        );
        let total = report.unpaged_lists.len();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("README.md has no row for {name}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells[2..7],
            [
                "0".to_string(),
                total.to_string(),
                link.to_string(),
                keys.to_string(),
                (offset + other).to_string()
            ],
            "README.md: {row}"
        );
    }
}
