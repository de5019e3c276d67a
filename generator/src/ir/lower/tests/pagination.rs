//! Which operations page, and how: each style, the marks, settings, and what is reported.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

use crate::ir::*;
use crate::settings::PaginationSetting;

/// A spec with one operation `things-list` (`things.list`) at `/things`.
fn spec(method: &str, params: Value, response: Value) -> openapiv3::OpenAPI {
    parse(&spec_doc(method, params, response))
}

fn parse(doc: &Value) -> openapiv3::OpenAPI {
    crate::parse::parse_str(&doc.to_string(), Path::new("t.json")).expect("the test spec parses")
}

/// The document of [`spec`].
fn spec_doc(method: &str, params: Value, response: Value) -> Value {
    let params: Vec<Value> = params
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| json!({"name": name, "in": "query", "schema": schema}))
        .collect();
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things": {method: {
            "operationId": "things-list",
            "x-fern-sdk-group-name": "things",
            "x-fern-sdk-method-name": "list",
            "parameters": params,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
        }}},
    });
    doc
}

/// A `{success, errors, messages, result, ...}` envelope.
fn envelope(result: Value, extra: Value) -> Value {
    let mut properties = json!({
        "success": {"type": "boolean"},
        "errors": {"type": "array", "items": {}},
        "messages": {"type": "array", "items": {}},
        "result": result,
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        properties[k] = v.clone();
    }
    json!({"type": "object", "properties": properties})
}

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

fn things() -> Value {
    json!({"type": "array", "items": object(json!({"id": {"type": "string"}}))})
}

fn page_info() -> Value {
    object(json!({
        "page": {"type": "number"}, "per_page": {"type": "number"},
        "count": {"type": "number"}, "total_count": {"type": "number"},
        "total_pages": {"type": "number"},
    }))
}

fn build_with(spec: &openapiv3::OpenAPI, settings: &[(&str, PaginationSetting)]) -> Api {
    let mut options = BuildOptions::with_prefix("T");
    options.pagination = settings
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect::<BTreeMap<_, _>>();
    build(spec, &options).expect("lowers")
}

fn paged(api: &Api) -> Option<&Pagination> {
    api.operations[0].pagination.as_ref()
}

fn path(p: &[&str]) -> Option<Vec<String>> {
    Some(p.iter().map(|s| s.to_string()).collect())
}

fn query_shape<'a>(api: &'a Api, name: &str) -> &'a Shape {
    let id = api.operations[0].params_type.expect("a params struct");
    let TypeKind::Struct(s) = &api.types.get(id).kind else {
        panic!("params are a struct");
    };
    &s.fields
        .iter()
        .find(|f| f.name == name)
        .expect("the field")
        .shape
}

fn unpaged_reason(api: &Api) -> &str {
    assert!(paged(api).is_none());
    &api.unpaged_lists
        .first()
        .expect("reported as unpaged")
        .reason
}

#[test]
fn page_numbers_with_the_array_as_result_and_integer_parameters() {
    let api = build_with(
        &spec(
            "get",
            json!({"page": {"type": "number", "minimum": 1}, "per_page": {"type": "number"}, "name": {"type": "string"}}),
            envelope(things(), json!({"result_info": page_info()})),
        ),
        &[],
    );
    let p = paged(&api).expect("paged");
    assert_eq!(p.style, PageStyle::PageArray);
    assert_eq!(p.source, PaginationSource::Detected);
    assert_eq!(p.items, ["result"]);
    assert_eq!(
        p.page_param,
        Some(PageParam {
            name: "page".into(),
            declared: true
        })
    );
    assert_eq!(p.size_param.as_deref(), Some("per_page"));
    assert_eq!(p.page, path(&["result_info", "page"]));
    assert_eq!(p.total_pages, path(&["result_info", "total_pages"]));
    assert_eq!(p.total_count, path(&["result_info", "total_count"]));
    assert!(
        matches!(query_shape(&api, "page"), Shape::Integer(n) if n.minimum == Some(1.0)),
        "page keeps its constraints as an integer"
    );
    assert!(matches!(query_shape(&api, "per_page"), Shape::Integer(_)));
    assert!(matches!(query_shape(&api, "name"), Shape::String(_)));
}

#[test]
fn page_numbers_with_the_items_in_a_field_of_the_result() {
    let result = object(json!({"items": things(), "total": {"type": "integer"}}));
    let api = build_with(
        &spec(
            "get",
            json!({"page": {"type": "integer"}, "page_size": {"type": "integer"}}),
            envelope(result, json!({})),
        ),
        &[],
    );
    let p = paged(&api).expect("paged");
    assert_eq!(p.style, PageStyle::Page);
    assert_eq!(p.items, ["result", "items"]);
    assert_eq!(p.size_param.as_deref(), Some("page_size"));
    assert!(matches!(&p.item, Shape::Named(_)));
}

#[test]
fn result_info_reporting_pages_pages_an_array_without_a_declared_parameter() {
    let api = build_with(
        &spec(
            "get",
            json!({}),
            envelope(things(), json!({"result_info": page_info()})),
        ),
        &[],
    );
    let p = paged(&api).expect("paged although no `page` is declared");
    assert_eq!(p.style, PageStyle::PageArray);
    assert_eq!(
        p.page_param,
        Some(PageParam {
            name: "page".into(),
            declared: false
        })
    );
    // An object holding a list is not followed without a declared parameter.
    let one_thing = object(json!({"name": {"type": "string"}, "steps": things()}));
    let api = build_with(
        &spec(
            "get",
            json!({}),
            envelope(one_thing, json!({"result_info": page_info()})),
        ),
        &[],
    );
    assert!(unpaged_reason(&api).contains("its `steps` field is a list"));
}

#[test]
fn cursor_styles_by_parameter_and_where_the_next_cursor_is() {
    let cases = [
        (
            json!({"cursor": {"type": "string"}, "per_page": {"type": "number"}}),
            json!({"result_info": object(json!({"cursor": {"type": "string"}, "count": {"type": "number"}}))}),
            PageStyle::Cursor,
            vec!["result_info", "cursor"],
        ),
        (
            json!({"cursor": {"type": "string"}, "limit": {"type": "number"}}),
            json!({"result_info": object(json!({"cursor": {"type": "string"}}))}),
            PageStyle::CursorLimit,
            vec!["result_info", "cursor"],
        ),
        (
            json!({"cursor": {"type": "string"}, "per_page": {"type": "number"}}),
            json!({"result_info": object(json!({"cursors": object(json!({"after": {"type": "string"}, "before": {"type": "string"}}))}))}),
            PageStyle::CursorAfter,
            vec!["result_info", "cursors", "after"],
        ),
        (
            json!({"page_token": {"type": "string"}, "page_size": {"type": "integer"}}),
            json!({"result_info": object(json!({"page_token": {"type": "string"}, "next_page_token": {"type": "string"}}))}),
            PageStyle::PageToken,
            vec!["result_info", "next_page_token"],
        ),
        (
            json!({"cursor": {"type": "string"}, "limit": {"type": "number"}}),
            json!({"pagination": object(json!({"cursors": object(json!({"next": {"type": "string"}, "prev": {"type": "string"}}))}))}),
            PageStyle::CursorLimit,
            vec!["pagination", "cursors", "next"],
        ),
        (
            json!({"continuationToken": {"type": "string"}}),
            json!({"result_info": object(json!({"nextContinuationToken": {"type": "string"}}))}),
            PageStyle::Cursor,
            vec!["result_info", "nextContinuationToken"],
        ),
    ];
    for (params, extra, style, next) in cases {
        let api = build_with(&spec("get", params.clone(), envelope(things(), extra)), &[]);
        let p = paged(&api).unwrap_or_else(|| panic!("{params} pages"));
        assert_eq!(p.style, style, "{params}");
        assert_eq!(p.next_cursor, path(&next), "{params}");
        assert!(p.page_param.as_ref().is_some_and(|q| q.declared));
    }
    // The next cursor beside the items in the result.
    let result = object(json!({"records": things(), "cursor": {"type": "string"}}));
    let api = build_with(
        &spec(
            "get",
            json!({"cursor": {"type": "string"}}),
            envelope(result, json!({})),
        ),
        &[],
    );
    let p = paged(&api).expect("paged");
    assert_eq!(
        (p.style, p.items.clone(), p.next_cursor.clone()),
        (
            PageStyle::Cursor,
            vec!["result".to_string(), "records".to_string()],
            path(&["result", "cursor"])
        )
    );
    // An undeclared cursor the response hands out is followed as `cursor`.
    let api = build_with(
        &spec(
            "get",
            json!({}),
            envelope(
                things(),
                json!({"result_info": object(json!({"cursors": object(json!({"after": {"type": "string"}}))}))}),
            ),
        ),
        &[],
    );
    let p = paged(&api).expect("paged");
    assert_eq!(p.style, PageStyle::CursorAfter);
    assert_eq!(
        p.page_param,
        Some(PageParam {
            name: "cursor".into(),
            declared: false
        })
    );
}

#[test]
fn stainless_marks_name_the_cursor_parameter_the_next_cursor_and_the_items() {
    let mark = |purpose: &str| json!({"x-stainless-pagination-property": {"purpose": purpose}});
    let mut start = json!({"type": "string"});
    start["x-stainless-pagination-property"] =
        mark("next_cursor_param")["x-stainless-pagination-property"].clone();
    let mut next = json!({"type": "string"});
    next["x-stainless-pagination-property"] =
        mark("next_cursor_field")["x-stainless-pagination-property"].clone();
    let mut marked = things();
    marked["x-stainless-pagination-property"] =
        mark("items")["x-stainless-pagination-property"].clone();
    let result = object(json!({"things": marked, "other": things()}));
    let api = build_with(
        &spec(
            "get",
            json!({"start_key": start}),
            envelope(
                result,
                json!({"result_info": object(json!({"next_key": next}))}),
            ),
        ),
        &[],
    );
    let p = paged(&api).expect("paged by the marks");
    assert_eq!(p.source, PaginationSource::SpecExtension);
    assert_eq!(p.style, PageStyle::Cursor);
    assert_eq!(p.items, ["result", "things"]);
    assert_eq!(
        p.page_param.as_ref().map(|q| q.name.as_str()),
        Some("start_key")
    );
    assert_eq!(p.next_cursor, path(&["result_info", "next_key"]));

    let mut odd = json!({"type": "string"});
    odd["x-stainless-pagination-property"] =
        mark("page_jump")["x-stainless-pagination-property"].clone();
    let api = build_with(
        &spec(
            "get",
            json!({}),
            envelope(
                things(),
                json!({"result_info": object(json!({"jump": odd}))}),
            ),
        ),
        &[],
    );
    assert!(
        api.report
            .iter()
            .any(|f| f.reason.contains("purpose \"page_jump\" is not understood")),
        "{:?}",
        api.report
    );
}

#[test]
fn single_pages_and_what_is_not_a_list() {
    let api = build_with(&spec("get", json!({}), envelope(things(), json!({}))), &[]);
    assert_eq!(paged(&api).map(|p| p.style), Some(PageStyle::SinglePage));
    assert_eq!(paged(&api).and_then(|p| p.page_param.clone()), None);
    let api = build_with(
        &spec(
            "get",
            json!({"limit": {"type": "integer"}}),
            envelope(things(), json!({})),
        ),
        &[],
    );
    assert_eq!(
        paged(&api).map(|p| p.style),
        Some(PageStyle::SinglePage),
        "a bare `limit` caps a list, it does not page it"
    );
    let api = build_with(&spec("post", json!({}), envelope(things(), json!({}))), &[]);
    assert!(paged(&api).is_none() && api.unpaged_lists.is_empty());
    let api = build_with(
        &spec(
            "get",
            json!({}),
            envelope(object(json!({"id": {"type": "string"}})), json!({})),
        ),
        &[],
    );
    assert!(paged(&api).is_none() && api.unpaged_lists.is_empty());
}

#[test]
fn list_like_operations_that_fit_no_style_are_reported_with_the_reason() {
    let offset = build_with(
        &spec(
            "get",
            json!({"offset": {"type": "integer"}, "limit": {"type": "integer"}}),
            envelope(object(json!({"bots": things()})), json!({})),
        ),
        &[],
    );
    assert_eq!(
        unpaged_reason(&offset),
        "pages by offset (`offset`), a style no SDK has"
    );
    assert_eq!(offset.unpaged_lists[0].operation, "things.list");
    assert_eq!(offset.unpaged_lists[0].pointer, "#/paths/~1things/get");
    let plain = build_with(
        &spec(
            "get",
            json!({"page": {"type": "integer"}}),
            json!({"type": "object", "properties": {"data": things()}}),
        ),
        &[],
    );
    assert_eq!(
        unpaged_reason(&plain),
        "declares `page` over a JSON body without the envelope; not followed: paged lists read \
         their paging state from a `{success, result}` envelope"
    );
    let no_next = build_with(
        &spec(
            "get",
            json!({"cursor": {"type": "string"}}),
            envelope(things(), json!({})),
        ),
        &[],
    );
    assert_eq!(
        unpaged_reason(&no_next),
        "declares `cursor` but its response has no next cursor"
    );
    let several = build_with(
        &spec(
            "get",
            json!({"page": {"type": "integer"}}),
            envelope(object(json!({"a": things(), "b": things()})), json!({})),
        ),
        &[],
    );
    assert!(unpaged_reason(&several).starts_with("its result holds several lists (`a`, `b`)"));
    let post = build_with(
        &spec(
            "post",
            json!({"page": {"type": "integer"}}),
            envelope(things(), json!({})),
        ),
        &[],
    );
    assert!(unpaged_reason(&post).contains("is a POST"));
}

#[test]
fn settings_override_by_sdk_name_or_operation_id() {
    let s = spec(
        "get",
        json!({"page": {"type": "integer"}}),
        envelope(things(), json!({})),
    );
    let api = build_with(&s, &[("things.list", PaginationSetting::CursorAfter)]);
    let p = paged(&api).expect("paged as set");
    assert_eq!(
        (p.style, p.source),
        (PageStyle::CursorAfter, PaginationSource::Setting)
    );
    assert_eq!(p.next_cursor, path(&["result_info", "cursors", "after"]));
    assert_eq!(
        p.page_param,
        Some(PageParam {
            name: "cursor".into(),
            declared: false
        })
    );
    let api = build_with(&s, &[("things-list", PaginationSetting::None)]);
    assert!(paged(&api).is_none() && api.unpaged_lists.is_empty());
    let api = build_with(&s, &[("things-list", PaginationSetting::Page)]);
    assert_eq!(
        paged(&api).map(|p| p.style),
        Some(PageStyle::PageArray),
        "page numbers over an array result are page_array"
    );
    assert!(api.pagination_setting_errors.is_empty());

    let api = build_with(&s, &[("thing.list", PaginationSetting::Cursor)]);
    assert_eq!(
        api.pagination_setting_errors,
        [SettingError {
            key: "thing.list".into(),
            message: "names no operation (give an SDK name such as `zones.list`, or an \
                      operationId)"
                .into()
        }]
    );
    let no_list = spec(
        "get",
        json!({}),
        envelope(object(json!({"id": {"type": "string"}})), json!({})),
    );
    let api = build_with(&no_list, &[("things.list", PaginationSetting::SinglePage)]);
    assert_eq!(
        api.pagination_setting_errors,
        [SettingError {
            key: "things.list".into(),
            message: "GET #/paths/~1things/get cannot page as set: its result holds no list".into()
        }]
    );
}

/// Lists of APIs without the envelope (GitHub, Discord) are reported with how they page.
#[test]
fn lists_without_the_envelope_are_reported_with_how_they_page() {
    let paging = json!({"page": {"type": "integer"}, "per_page": {"type": "integer"}});
    let mut doc = spec_doc("get", paging.clone(), things());
    doc["paths"]["/things"]["get"]["responses"]["200"]["headers"] =
        json!({"Link": {"schema": {"type": "string"}}});
    let link = build_with(&parse(&doc), &[]);
    assert_eq!(
        unpaged_reason(&link),
        "pages by the `Link` response header (RFC 8288, `rel=\"next\"`) over a bare JSON array \
         (`page`, `per_page`); not followed: paged lists read their paging state from a \
         `{success, result}` envelope"
    );
    let no_link = build_with(&spec("get", paging, things()), &[]);
    assert!(
        unpaged_reason(&no_link).starts_with("declares `page`, `per_page` over a bare JSON array")
    );
    let keys = build_with(
        &spec(
            "get",
            json!({"after": {"type": "string"}, "before": {"type": "string"}, "limit": {"type": "integer"}}),
            things(),
        ),
        &[],
    );
    assert!(unpaged_reason(&keys).starts_with(
        "pages by keys (`after`, `before`, `limit`) over a bare JSON array that hands out no next key"
    ));
    // A key without a page size filters by time or id; an array without paging is no list to report.
    for params in [
        json!({"after": {"type": "string"}}),
        json!({"limit": {"type": "integer"}}),
        json!({}),
    ] {
        let api = build_with(&spec("get", params, things()), &[]);
        assert!(paged(&api).is_none());
        assert!(api.unpaged_lists.is_empty(), "{:?}", api.unpaged_lists);
    }
}
