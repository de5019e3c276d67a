//! Pagination: which operations return a list, and how the next page of it is asked for.
//!
//! An operation's style (the page classes of the official SDKs, [`PageStyle`]) is read from
//! three things the spec declares: its query parameters (`page`, `per_page`, `cursor`,
//! `limit`, `page_token`, ...), the paging state its success envelope carries (in
//! `result_info`, in other envelope members such as `pagination`, or beside the items in
//! the result), and where its items are (the result itself, or one array field of it).
//! `x-stainless-pagination-property` marks in the spec name the items, the cursor parameter
//! and the next-cursor field where a spec carries them; the maintainer's `[pagination]`
//! settings override everything.
//!
//! Rules, in order:
//! 1. Only `GET` operations with a `{success, result}` envelope page; other methods are
//!    never re-sent for more pages.
//! 2. A cursor parameter and a next cursor in the response: a cursor style (`page_token` →
//!    `next_page_token`; `cursors.after` → cursor-after; a `limit` size → cursor-limit).
//! 3. A page-number parameter: page numbers (`page_array` when the result is the array,
//!    `page` when the items are a field of it). The same when no page parameter is declared
//!    but `result_info` reports a page and a total: the response says it is one page of
//!    several (the Gateway list items the Go SDK pages as a single page).
//! 4. No cursor parameter, but `result_info` hands out a next cursor: that cursor is sent
//!    back as `cursor` (or `page_token`).
//! 5. A list result with no paging parameter or state: a single page.
//!
//! A `GET` answered with JSON but no envelope (GitHub's and Discord's bare arrays) is never
//! paged, since the runtime reads paging state from the envelope; when it declares paging it
//! is reported with how it pages: a `Link` response header (RFC 8288), `after`/`before` keys
//! with a page size, or its paging parameters alone.
//!
//! Operations with paging parameters or state that fit none of these (offset paging, a
//! cursor parameter with no next cursor in the response, a result holding no list or
//! several) are listed in [`Api::unpaged_lists`] with the reason.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ReferenceOr, StatusCode};

use super::super::view::{SchemaRef, Target, View};
use super::operation::{body_encoding, media_rank};
use super::Lowerer;
use crate::error::pointer_token;
use crate::ir::*;
use crate::settings::PaginationSetting;

/// The extension that marks pagination properties in Stainless-generated specs.
const EXTENSION: &str = "x-stainless-pagination-property";

/// Parameter names (normalized: lower case, no `_`/`-`) that select a page by number.
const PAGE_PARAMS: &[&str] = &["page", "pageno", "pagenumber"];
/// Parameter names that carry a cursor or token handed out by the previous page.
const CURSOR_PARAMS: &[&str] = &["cursor", "pagetoken", "continuationtoken", "nextcursor"];
/// Parameter names that set the page size, in order of preference.
const SIZE_PARAMS: &[&str] = &["perpage", "pagesize", "limit"];
/// Parameter names of offset paging, which no SDK style has.
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Parameter names of keyset paging by item: the next page starts after the last item's id.
const KEYSET_PARAMS: &[&str] = &["after", "before", "since", "startingafter", "endingbefore"];
/// The response header of RFC 8288 links (`rel="next"`).
const LINK_HEADER: &str = "link";
/// Response fields holding the number of pages.
const TOTAL_PAGES_FIELDS: &[&str] = &["totalpages", "pagecount"];
/// Response fields holding the number of items across all pages.
const TOTAL_COUNT_FIELDS: &[&str] = &["totalcount", "total", "totalitems", "totalresults"];

/// `per_page`, `perPage` and `per-page` alike.
fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// An operation being lowered, as pagination sees it.
#[derive(Clone, Copy)]
pub(super) struct ListOperation<'a, 'r> {
    pub op: &'a openapiv3::Operation,
    pub path_item_params: &'a [ReferenceOr<Parameter>],
    /// `get`, `post`, ...
    pub method: &'r str,
    /// JSON pointer of the operation.
    pub pointer: &'r str,
    /// Its SDK name (`zones.list`).
    pub sdk_name: &'r str,
    /// Its parameters struct.
    pub params_type: Option<TypeId>,
    /// Its success response, lowered.
    pub response: &'r Response,
}

/// What the spec tells about one operation, as far as paging goes.
struct Facts {
    /// `GET`, `POST`, ...
    method: String,
    /// The success response is a `{success, result}` envelope.
    envelope: bool,
    /// The success response is JSON without the envelope: what it is, for reasons
    /// (`a bare JSON array`).
    bare_body: Option<&'static str>,
    /// The success response declares a `Link` header.
    link_header: bool,
    /// Query parameters, by wire name.
    query: Vec<String>,
    /// Where the items are.
    items: Items,
    /// Objects that may hold paging state: `result_info`, other envelope members, the result.
    containers: Vec<Container>,
    /// `x-stainless-pagination-property` marks.
    marks: Marks,
}

/// Where a list result keeps its items.
#[derive(Clone)]
enum Items {
    /// At this path, with this item type.
    At(Vec<String>, Shape),
    /// The result holds several arrays and none is marked as the items.
    Several(Vec<String>),
    /// The result is one of several types.
    Union,
    /// The result holds no array.
    None,
}

/// An object of the response whose scalar fields may hold paging state.
struct Container {
    /// Its path from the body root (empty: the envelope itself).
    path: Vec<String>,
    /// Its fields: wire name and shape (`null` unwrapped).
    fields: Vec<(String, Shape)>,
    /// `result_info` or another envelope member, rather than the result.
    envelope_level: bool,
}

impl Container {
    /// The path of a scalar field whose normalized name is one of `names`.
    fn scalar(&self, names: &[&str]) -> Option<Vec<String>> {
        self.fields
            .iter()
            .find(|(name, shape)| is_scalar(shape) && names.contains(&norm(name).as_str()))
            .map(|(name, _)| self.child(name))
    }

    fn child(&self, name: &str) -> Vec<String> {
        let mut path = self.path.clone();
        path.push(name.to_string());
        path
    }
}

#[derive(Default)]
struct Marks {
    items: Option<Vec<String>>,
    cursor_param: Option<String>,
    next_cursor: Option<Vec<String>>,
}

fn is_scalar(shape: &Shape) -> bool {
    matches!(
        shape,
        Shape::String(_) | Shape::Integer(_) | Shape::Number(_)
    )
}

fn unwrap_nullable(shape: &Shape) -> &Shape {
    match shape {
        Shape::Nullable(inner) => inner,
        other => other,
    }
}

/// The outcome of classifying one operation.
enum Outcome {
    Paged(Box<Pagination>),
    /// List-like, but no style fits; why.
    Unpaged(String),
    /// Not a list.
    NotAList,
}

impl<'a> Lowerer<'a> {
    /// The pagination of an operation, from its settings entry, its spec marks or its
    /// shape; records list-like operations that fit no style. Detected page and size
    /// parameters declared as `number` become integers in the parameters struct.
    pub(super) fn pagination(&mut self, list: &ListOperation<'a, '_>) -> Option<Pagination> {
        let ListOperation {
            op,
            method,
            pointer,
            sdk_name,
            params_type,
            ..
        } = *list;
        let setting = [sdk_name, op.operation_id.as_deref().unwrap_or("")]
            .into_iter()
            .find(|key| self.pagination_settings.contains_key(*key))
            .map(str::to_string);
        // Only GET lists page by themselves; a setting can page any operation.
        let read_marks = method.eq_ignore_ascii_case("get") || setting.is_some();
        let facts = self.paging_facts(list, read_marks);
        let outcome = match &setting {
            Some(key) => {
                self.used_pagination_settings.insert(key.clone());
                match apply_setting(&facts, self.pagination_settings[key]) {
                    Ok(Some(paged)) => Outcome::Paged(Box::new(paged)),
                    Ok(None) => Outcome::NotAList,
                    Err(problem) => {
                        self.pagination_setting_errors.push(SettingError {
                            key: key.clone(),
                            message: format!(
                                "{} {pointer} cannot page as set: {problem}",
                                method.to_ascii_uppercase()
                            ),
                        });
                        Outcome::NotAList
                    }
                }
            }
            None => classify(&facts),
        };
        match outcome {
            Outcome::Paged(paged) => {
                if let Some(id) = params_type {
                    self.integer_page_params(id, &paged);
                }
                Some(*paged)
            }
            Outcome::Unpaged(reason) => {
                self.unpaged_lists.push(UnpagedList {
                    operation: sdk_name.to_string(),
                    pointer: pointer.to_string(),
                    reason,
                });
                None
            }
            Outcome::NotAList => None,
        }
    }

    /// `[pagination]` entries that matched no operation become setting errors.
    pub(super) fn unused_pagination_settings(&mut self) {
        let unused: Vec<String> = self
            .pagination_settings
            .keys()
            .filter(|k| !self.used_pagination_settings.contains(*k))
            .cloned()
            .collect();
        for key in unused {
            self.pagination_setting_errors.push(SettingError {
                key,
                message: "names no operation (give an SDK name such as `zones.list`, or an \
                          operationId)"
                    .into(),
            });
        }
    }

    /// The page number and page size are counts: `type: number` in a spec means an integer.
    fn integer_page_params(&mut self, params: TypeId, paged: &Pagination) {
        let mut names: Vec<&str> = paged.size_param.iter().map(String::as_str).collect();
        if paged.style.is_page_number() {
            names.extend(paged.page_param.iter().map(|p| p.name.as_str()));
        }
        if let TypeKind::Struct(s) = &mut self.defs[params.0].kind {
            for field in s.fields.iter_mut() {
                if field.location == Location::Query && names.contains(&field.name.as_str()) {
                    if let Shape::Number(n) = &field.shape {
                        field.shape = Shape::Integer(n.clone());
                    }
                }
            }
        }
    }

    fn paging_facts(&mut self, list: &ListOperation<'a, '_>, read_marks: bool) -> Facts {
        let ListOperation {
            op,
            path_item_params,
            method,
            pointer,
            params_type,
            response,
            ..
        } = *list;
        let query: Vec<String> = params_type
            .map(|id| match &self.defs[id.0].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| f.location == Location::Query)
                    .map(|f| f.name.clone())
                    .collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let envelope = response.decode == Decode::Envelope;
        let result = response.result_type.map(Shape::Named);
        let bare_body = match &result {
            Some(r) if response.decode == Decode::Json => Some(if self.array_items(r).is_some() {
                "a bare JSON array"
            } else {
                "a JSON body without the envelope"
            }),
            _ => None,
        };
        let link_header = self.success_spec_response(op).is_some_and(|(_, r)| {
            r.headers
                .keys()
                .any(|h| h.eq_ignore_ascii_case(LINK_HEADER))
        });
        let items = match (&result, envelope) {
            (Some(result), true) => self.items_of(result),
            _ => Items::None,
        };
        let mut containers = Vec::new();
        if envelope {
            let info = response
                .result_info
                .as_ref()
                .and_then(|s| self.struct_fields(s));
            if let Some(fields) = info {
                containers.push(Container {
                    path: vec!["result_info".into()],
                    fields,
                    envelope_level: true,
                });
            }
            if let Some(fields) = response.meta.as_ref().and_then(|s| self.struct_fields(s)) {
                containers.push(Container {
                    path: Vec::new(),
                    fields,
                    envelope_level: true,
                });
            }
            if let (Items::At(path, _), Some(result)) = (&items, &result) {
                if let [_, items_field] = path.as_slice() {
                    if let Some(fields) = self.struct_fields(result) {
                        containers.push(Container {
                            path: vec!["result".into()],
                            fields: fields
                                .into_iter()
                                .filter(|(n, _)| n != items_field)
                                .collect(),
                            envelope_level: false,
                        });
                    }
                }
            }
            // Objects inside them, two levels down (`pagination.cursors.next`).
            let mut i = 0;
            while i < containers.len() {
                if containers[i].path.len() < 3 {
                    let nested: Vec<Container> = containers[i]
                        .fields
                        .iter()
                        .filter_map(|(name, shape)| {
                            self.struct_fields(shape).map(|fields| Container {
                                path: containers[i].child(name),
                                fields,
                                envelope_level: containers[i].envelope_level,
                            })
                        })
                        .collect();
                    containers.extend(nested);
                }
                i += 1;
            }
        }
        let marks = if read_marks {
            self.marks(op, path_item_params, pointer)
        } else {
            Marks::default()
        };
        let items = match (&marks.items, &result) {
            (Some(path), Some(result)) => self.marked_items(result, path).unwrap_or(items),
            _ => items,
        };
        Facts {
            method: method.to_ascii_uppercase(),
            envelope,
            bare_body,
            link_header,
            query,
            items,
            containers,
            marks,
        }
    }

    /// The fields of a struct shape (through aliases; `null` unwrapped), by wire name.
    fn struct_fields(&self, shape: &Shape) -> Option<Vec<(String, Shape)>> {
        let mut shape = unwrap_nullable(shape);
        for _ in 0..8 {
            let Shape::Named(id) = shape else {
                return None;
            };
            match &self.defs[id.0].kind {
                TypeKind::Struct(s) => {
                    return Some(
                        s.fields
                            .iter()
                            .filter(|f| !f.flatten)
                            .map(|f| (f.name.clone(), unwrap_nullable(&f.shape).clone()))
                            .collect(),
                    )
                }
                TypeKind::Alias(inner) => shape = unwrap_nullable(inner),
                _ => return None,
            }
        }
        None
    }

    /// Whether a shape is a union (through aliases).
    fn is_union(&self, shape: &Shape) -> bool {
        let mut shape = unwrap_nullable(shape);
        for _ in 0..8 {
            let Shape::Named(id) = shape else {
                return false;
            };
            match &self.defs[id.0].kind {
                TypeKind::Union(_) => return true,
                TypeKind::Alias(inner) => shape = unwrap_nullable(inner),
                _ => return false,
            }
        }
        false
    }

    /// The items of an array shape (through aliases).
    fn array_items(&self, shape: &Shape) -> Option<Shape> {
        let mut shape = unwrap_nullable(shape);
        for _ in 0..8 {
            match shape {
                Shape::Array(a) => return Some(a.items.clone()),
                Shape::Named(id) => match &self.defs[id.0].kind {
                    TypeKind::Alias(inner) => shape = unwrap_nullable(inner),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// Where the result keeps its items: the result itself, its one array field, or its
    /// field named `items` among several.
    fn items_of(&self, result: &Shape) -> Items {
        if let Some(item) = self.array_items(result) {
            return Items::At(vec!["result".into()], item);
        }
        let Some(fields) = self.struct_fields(result) else {
            return if self.is_union(result) {
                Items::Union
            } else {
                Items::None
            };
        };
        let arrays: Vec<(String, Shape)> = fields
            .into_iter()
            .filter_map(|(name, shape)| self.array_items(&shape).map(|item| (name, item)))
            .collect();
        match arrays.as_slice() {
            [] => Items::None,
            [(name, item)] => Items::At(vec!["result".into(), name.clone()], item.clone()),
            several => match several.iter().find(|(name, _)| norm(name) == "items") {
                Some((name, item)) => Items::At(vec!["result".into(), name.clone()], item.clone()),
                None => Items::Several(several.iter().map(|(n, _)| n.clone()).collect()),
            },
        }
    }

    /// The items at a marked path (`["result"]` or `["result", field]`), if it is an array.
    fn marked_items(&self, result: &Shape, path: &[String]) -> Option<Items> {
        match path {
            [root] if root == "result" => self
                .array_items(result)
                .map(|item| Items::At(path.to_vec(), item)),
            [root, field] if root == "result" => {
                let fields = self.struct_fields(result)?;
                let (_, shape) = fields.iter().find(|(n, _)| n == field)?;
                self.array_items(shape)
                    .map(|item| Items::At(path.to_vec(), item))
            }
            _ => None,
        }
    }

    /// The `x-stainless-pagination-property` marks of an operation: on its query parameters
    /// (or their schemas), and on the properties of its success body down to three levels.
    fn marks(
        &mut self,
        op: &'a openapiv3::Operation,
        path_item_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Marks {
        let mut marks = Marks::default();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(item, _)| item);
        let params = path_item_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{item_pointer}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        for (p, p_pointer) in params {
            let Target::Found(_, Parameter::Query { parameter_data, .. }) =
                self.resolver.parameter(p)
            else {
                continue;
            };
            let on_schema = match &parameter_data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self
                    .resolver
                    .deref(s.into())
                    .and_then(|s| purpose(&s.schema_data.extensions)),
                _ => None,
            };
            match on_schema.or_else(|| purpose(&parameter_data.extensions)) {
                Some(p) if p == "next_cursor_param" => {
                    marks.cursor_param = Some(parameter_data.name.clone())
                }
                Some(other) => self.fallback(
                    p_pointer,
                    format!(
                        "{EXTENSION} purpose {other:?} on a parameter is not understood; ignored"
                    ),
                ),
                None => {}
            }
        }
        if let Some((schema, at)) = self.success_schema(op, pointer) {
            let mut seen = BTreeSet::new();
            self.walk_marks(schema, &at, &mut Vec::new(), 0, &mut marks, &mut seen);
        }
        marks
    }

    /// The success response the client decodes (the lowest 2xx), with its status.
    fn success_spec_response(
        &self,
        op: &'a openapiv3::Operation,
    ) -> Option<(String, &'a openapiv3::Response)> {
        let mut codes: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((c.to_string(), r)),
                StatusCode::Range(2) => Some(("2XX".to_string(), r)),
                _ => None,
            })
            .collect();
        codes.sort_by(|a, b| a.0.cmp(&b.0));
        let (status, r) = codes.into_iter().next()?;
        match self.resolver.response(r) {
            Target::Found(_, response) => Some((status, response)),
            _ => None,
        }
    }

    /// The JSON schema of the success response the client decodes, with its pointer.
    fn success_schema(
        &self,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<(SchemaRef<'a>, String)> {
        let (status, response) = self.success_spec_response(op)?;
        let mut media: Vec<(&String, &'a openapiv3::MediaType)> = response.content.iter().collect();
        media.sort_by_key(|(m, _)| (media_rank(m), (*m).clone()));
        let (content_type, media_type) = media.first()?;
        if body_encoding(content_type) != BodyEncoding::Json {
            return None;
        }
        let schema = media_type.schema.as_ref()?;
        Some((
            schema.into(),
            format!(
                "{pointer}/responses/{}/content/{}/schema",
                pointer_token(&status),
                pointer_token(content_type)
            ),
        ))
    }

    fn walk_marks(
        &mut self,
        schema: SchemaRef<'a>,
        at: &str,
        path: &mut Vec<String>,
        depth: usize,
        marks: &mut Marks,
        seen: &mut BTreeSet<(String, Vec<String>)>,
    ) {
        let Some(resolved) = self.resolver.deref(schema) else {
            return;
        };
        let pointer = self.resolver.declared_at(schema, at);
        if !seen.insert((pointer.clone(), path.clone())) {
            return;
        }
        match purpose(&resolved.schema_data.extensions) {
            Some(p) if p == "items" => marks.items = Some(path.clone()),
            Some(p) if p == "next_cursor_field" => marks.next_cursor = Some(path.clone()),
            Some(other) => self.fallback(
                pointer.clone(),
                format!("{EXTENSION} purpose {other:?} is not understood; ignored"),
            ),
            None => {}
        }
        if depth >= 3 {
            return;
        }
        let view = View::of(resolved);
        let parts = self.object_parts(&view, &pointer);
        for (name, prop) in parts.props {
            for (decl, decl_at) in prop.decls.iter().zip(&prop.pointers) {
                path.push(name.clone());
                self.walk_marks(*decl, decl_at, path, depth + 1, marks, seen);
                path.pop();
            }
        }
    }
}

/// The `purpose` of an `x-stainless-pagination-property` extension.
fn purpose(extensions: &indexmap::IndexMap<String, serde_json::Value>) -> Option<String> {
    let value = extensions.get(EXTENSION)?;
    Some(
        value
            .get("purpose")
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_string(),
    )
}

impl Facts {
    /// The first declared query parameter whose normalized name is one of `names`.
    fn param(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|wanted| {
            self.query
                .iter()
                .find(|q| norm(q) == *wanted)
                .map(String::as_str)
        })
    }

    fn cursor_param(&self) -> Option<&str> {
        self.marks
            .cursor_param
            .as_deref()
            .or_else(|| self.param(CURSOR_PARAMS))
    }

    /// Where the next value for `param` is read: `cursors.after`/`cursors.next`, then
    /// `next_<param>`, `next_cursor`, then a field with the parameter's own name (not for a
    /// page token, which APIs echo as the current one); `result_info` and other envelope
    /// members before the result; only them when `envelope_only`.
    fn next_cursor(&self, param: &str, envelope_only: bool) -> Option<Vec<String>> {
        if let Some(marked) = &self.marks.next_cursor {
            return Some(marked.clone());
        }
        let p = norm(param);
        let next_p = format!("next{p}");
        let containers: Vec<&Container> = self
            .containers
            .iter()
            .filter(|c| c.envelope_level || !envelope_only)
            .collect();
        let cursors = containers
            .iter()
            .filter(|c| c.path.last().is_some_and(|last| norm(last) == "cursors"));
        for c in cursors {
            if let Some(path) = c.scalar(&["after"]).or_else(|| c.scalar(&["next"])) {
                return Some(path);
            }
        }
        let mut names: Vec<&str> = vec![next_p.as_str(), "nextcursor"];
        if p != "pagetoken" {
            names.push(p.as_str());
        }
        names
            .iter()
            .find_map(|name| containers.iter().find_map(|c| c.scalar(&[name])))
    }

    /// Where the page counts are read (page number echoed, total pages, total items):
    /// `result_info` and other envelope members only.
    fn page_counts(&self, page_param: &str) -> [Option<Vec<String>>; 3] {
        let envelope: Vec<&Container> = self
            .containers
            .iter()
            .filter(|c| c.envelope_level)
            .collect();
        let find = |names: &[&str]| envelope.iter().find_map(|c| c.scalar(names));
        let page_param = norm(page_param);
        [
            find(&[page_param.as_str(), "page"]),
            find(TOTAL_PAGES_FIELDS),
            find(TOTAL_COUNT_FIELDS),
        ]
    }

    /// Whether `result_info` says the response is one page of several: a page number and a
    /// total.
    fn reports_pages(&self) -> bool {
        let [page, total_pages, total_count] = self.page_counts("page");
        let in_info = |p: &Option<Vec<String>>| {
            p.as_ref()
                .is_some_and(|p| p.first().map(String::as_str) == Some("result_info"))
        };
        in_info(&page) && (in_info(&total_pages) || in_info(&total_count))
    }

    /// Page numbers through `param`.
    fn page_numbers(
        &self,
        param: &str,
        declared: bool,
        items: &[String],
        item: &Shape,
    ) -> Pagination {
        let [page, total_pages, total_count] = self.page_counts(param);
        Pagination {
            style: if items.len() == 1 {
                PageStyle::PageArray
            } else {
                PageStyle::Page
            },
            source: PaginationSource::Detected,
            items: items.to_vec(),
            item: item.clone(),
            page_param: Some(PageParam {
                name: param.to_string(),
                declared,
            }),
            size_param: self.param(SIZE_PARAMS).map(str::to_string),
            next_cursor: None,
            page,
            total_pages,
            total_count,
        }
    }

    /// A cursor style: `param` is sent with the value read at `next`.
    fn cursor(
        &self,
        param: &str,
        declared: bool,
        next: Vec<String>,
        items: &[String],
        item: &Shape,
    ) -> Pagination {
        let size_param = self.param(SIZE_PARAMS).map(str::to_string);
        let style = if norm(param) == "pagetoken"
            || next.last().is_some_and(|l| norm(l) == "nextpagetoken")
        {
            PageStyle::PageToken
        } else if next.len() >= 2
            && norm(&next[next.len() - 2]) == "cursors"
            && next.last().is_some_and(|l| norm(l) == "after")
        {
            PageStyle::CursorAfter
        } else if size_param.as_deref().is_some_and(|s| norm(s) == "limit") {
            PageStyle::CursorLimit
        } else {
            PageStyle::Cursor
        };
        Pagination {
            style,
            source: PaginationSource::Detected,
            items: items.to_vec(),
            item: item.clone(),
            page_param: Some(PageParam {
                name: param.to_string(),
                declared,
            }),
            size_param,
            next_cursor: Some(next),
            page: None,
            total_pages: None,
            total_count: None,
        }
    }

    fn single_page(items: &[String], item: &Shape) -> Pagination {
        Pagination {
            style: PageStyle::SinglePage,
            source: PaginationSource::Detected,
            items: items.to_vec(),
            item: item.clone(),
            page_param: None,
            size_param: None,
            next_cursor: None,
            page: None,
            total_pages: None,
            total_count: None,
        }
    }

    /// Whether the spec's marks name the cursor parameter or the next cursor.
    fn marked_cursor(&self) -> bool {
        self.marks.cursor_param.is_some() || self.marks.next_cursor.is_some()
    }

    /// The paging parameters the operation declares, for reasons.
    fn paging_params(&self) -> Vec<&str> {
        let all: Vec<&str> = PAGE_PARAMS
            .iter()
            .chain(CURSOR_PARAMS)
            .chain(SIZE_PARAMS)
            .chain(OFFSET_PARAMS)
            .copied()
            .collect();
        self.query
            .iter()
            .filter(|q| all.contains(&norm(q).as_str()))
            .map(String::as_str)
            .collect()
    }
}

fn listed(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The style the spec shows (see the module documentation for the rules).
fn classify(facts: &Facts) -> Outcome {
    let paging_params = facts.paging_params();
    // A bare `limit` caps a list (radar's "top N"); only with a page or cursor does it page.
    let pages_by_params = paging_params.iter().any(|p| norm(p) != "limit");
    if facts.method != "GET" {
        return if pages_by_params && matches!(facts.items, Items::At(..)) {
            Outcome::Unpaged(format!(
                "declares {} but is a {}: only GET lists are fetched again for more pages",
                listed(&paging_params),
                facts.method
            ))
        } else {
            Outcome::NotAList
        };
    }
    if let Some(body) = facts.bare_body {
        return bare_body(facts, body, &paging_params);
    }
    let (items, item) =
        match &facts.items {
            Items::At(items, item) => (items.as_slice(), item),
            _ if !pages_by_params && !facts.reports_pages() => return Outcome::NotAList,
            _ if !facts.envelope => {
                return Outcome::Unpaged(format!(
                    "declares {} but its response is not a `{{success, result}}` envelope",
                    listed(&paging_params)
                ))
            }
            Items::Several(arrays) => {
                let arrays: Vec<&str> = arrays.iter().map(String::as_str).collect();
                return Outcome::Unpaged(format!(
                    "its result holds several lists ({}) and none is marked as the items \
                 (x-stainless-pagination-property `items`, or a [pagination] setting)",
                    listed(&arrays)
                ));
            }
            Items::Union if pages_by_params => return Outcome::Unpaged(
                "its result is one of several types (oneOf/anyOf), so its items have no one type"
                    .into(),
            ),
            Items::None | Items::Union if pages_by_params => {
                return Outcome::Unpaged(format!(
                    "declares {} but its result holds no list",
                    listed(&paging_params)
                ))
            }
            Items::None | Items::Union => return Outcome::NotAList,
        };
    let marked = facts.marked_cursor();
    let source = |mut p: Pagination| {
        if marked {
            p.source = PaginationSource::SpecExtension;
        }
        Outcome::Paged(Box::new(p))
    };
    let cursor_param = facts.cursor_param();
    if let Some(param) = cursor_param {
        if let Some(next) = facts.next_cursor(param, false) {
            return source(facts.cursor(param, true, next, items, item));
        }
    }
    if let Some(param) = facts.param(PAGE_PARAMS) {
        return Outcome::Paged(Box::new(facts.page_numbers(param, true, items, item)));
    }
    if cursor_param.is_none() && !pages_by_params {
        if facts.reports_pages() {
            // The response says it is one page of several, though no page parameter is
            // declared: follow it when the result is the list itself; an object holding a
            // list may be one thing with a list inside (a workflow and its schedules).
            return if items.len() == 1 {
                Outcome::Paged(Box::new(facts.page_numbers("page", false, items, item)))
            } else {
                Outcome::Unpaged(format!(
                    "`result_info` reports pages, but no page parameter is declared and the \
                     result is an object (its `{}` field is a list); set [pagination] if it pages",
                    items[1]
                ))
            };
        }
        if let Some(next) = facts.next_cursor("cursor", true) {
            let param = if next.last().is_some_and(|l| norm(l) == "nextpagetoken") {
                "page_token"
            } else {
                "cursor"
            };
            return source(facts.cursor(param, false, next, items, item));
        }
    }
    if let Some(offset) = facts.param(OFFSET_PARAMS) {
        return Outcome::Unpaged(format!("pages by offset (`{offset}`), a style no SDK has"));
    }
    if let Some(param) = cursor_param {
        return Outcome::Unpaged(format!(
            "declares `{param}` but its response has no next cursor"
        ));
    }
    if let Some(size) = facts.param(SIZE_PARAMS).filter(|s| norm(s) != "limit") {
        return Outcome::Unpaged(format!("declares `{size}` but no page number or cursor"));
    }
    if items.len() == 1 {
        Outcome::Paged(Box::new(Facts::single_page(items, item)))
    } else {
        Outcome::NotAList
    }
}

/// A GET answered with JSON but without the envelope whose `result_info` paged lists read
/// (`body` says what it is): how it pages, reported as not followed; not a list to report
/// when it declares no paging at all.
fn bare_body(facts: &Facts, body: &str, paging_params: &[&str]) -> Outcome {
    let keyset: Vec<&str> = facts
        .query
        .iter()
        .map(String::as_str)
        .filter(|q| KEYSET_PARAMS.contains(&norm(q).as_str()))
        .collect();
    let not_followed = "not followed: paged lists read their paging state from a \
                        `{success, result}` envelope";
    if facts.link_header && !paging_params.is_empty() {
        return Outcome::Unpaged(format!(
            "pages by the `Link` response header (RFC 8288, `rel=\"next\"`) over {body} ({}); \
             {not_followed}",
            listed(paging_params)
        ));
    }
    if !keyset.is_empty() && facts.param(SIZE_PARAMS).is_some() {
        let mut params = keyset.clone();
        params.extend(facts.param(SIZE_PARAMS));
        return Outcome::Unpaged(format!(
            "pages by keys ({}) over {body} that hands out no next key; {not_followed}",
            listed(&params)
        ));
    }
    if paging_params.iter().any(|p| norm(p) != "limit") {
        return Outcome::Unpaged(format!(
            "declares {} over {body}; {not_followed}",
            listed(paging_params)
        ));
    }
    Outcome::NotAList
}

/// The pagination a `[pagination]` setting asks for; an error when the operation cannot
/// have it. Parameters and paths are the detected ones, or the style's defaults; whether
/// page numbers are `page` or `page_array` follows from where the items are.
fn apply_setting(facts: &Facts, setting: PaginationSetting) -> Result<Option<Pagination>, String> {
    let Some(style) = setting.style() else {
        return Ok(None);
    };
    if !facts.envelope {
        return Err("its response is not a `{success, result}` envelope".into());
    }
    let (items, item) = match &facts.items {
        Items::At(items, item) => (items.as_slice(), item),
        Items::Several(arrays) => {
            return Err(format!(
                "its result holds several lists ({}); mark the items with x-stainless-pagination-property",
                arrays.join(", ")
            ))
        }
        Items::Union => return Err("its result is one of several types (oneOf/anyOf)".into()),
        Items::None => return Err("its result holds no list".into()),
    };
    let mut paged = if style.is_page_number() {
        match facts.param(PAGE_PARAMS) {
            Some(param) => facts.page_numbers(param, true, items, item),
            None => facts.page_numbers("page", false, items, item),
        }
    } else if style.is_cursor() {
        let default_param = if style == PageStyle::PageToken {
            "page_token"
        } else {
            "cursor"
        };
        let (param, declared) = match facts.cursor_param() {
            Some(param) => (param, true),
            None => (default_param, false),
        };
        let next = facts.next_cursor(param, false).unwrap_or_else(|| {
            let path: &[&str] = match style {
                PageStyle::CursorAfter => &["result_info", "cursors", "after"],
                PageStyle::PageToken => &["result_info", "next_page_token"],
                _ => &["result_info", "cursor"],
            };
            path.iter().map(|s| s.to_string()).collect()
        });
        let mut paged = facts.cursor(param, declared, next, items, item);
        paged.style = style;
        paged
    } else {
        Facts::single_page(items, item)
    };
    paged.source = PaginationSource::Setting;
    Ok(Some(paged))
}
