//! Paged lists: a [`Paginated`] request yields its first result on `.await`, every
//! page with [`Paginated::pages`], every item across pages with [`Paginated::items`],
//! or all of them, up to a bound, with [`Paginated::collect_all`]. Each page is a
//! request of its own, built from the same parameters (filters included) and sent
//! through the same validation, credentials, retries and timeouts.
//!
//! How an operation pages is static data the generator emits ([`Pagination`]): the
//! query parameter that selects a page, where the items are, and where the paging
//! state is read in each response (paths into the body, as the spec declares them).
//!
//! Stop rules:
//! - every style stops on an empty page (after the first page, which is always
//!   yielded, empty or not);
//! - page numbers stop at `page >= total_pages`, when `total_count` items have been
//!   delivered, or when the server answers with another page than the one asked for or
//!   with the same items as the page before (it ignored the page parameter: its answer
//!   repeats items already delivered, and is not yielded);
//! - cursors stop when the next cursor is absent, `null` or empty; a cursor handed
//!   out a second time ends the stream with [`Error::RepeatedCursor`] instead of
//!   looping;
//! - an error ends the stream where it happens; the items before it were delivered.

use std::collections::HashSet;
use std::fmt;
use std::future::IntoFuture;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::config::RequestOptions;
use super::error::{ApiError, Error};
use super::request::ApiRequest;
use super::response::{decode_error, is_blank, ApiResponse, DecodeFn, Decoded, RawResponse};

/// How an operation's list is paged; the generator emits one per list operation.
#[derive(Debug)]
pub struct Pagination {
    /// The style, as the official SDKs name it (`page_array`, `cursor`, ...); for messages.
    pub style: &'static str,
    /// Where the items of a page are, as object keys from the body's root
    /// (`["result"]`, `["result", "items"]`).
    pub items: &'static [&'static str],
    /// How the next page is asked for.
    pub next: NextPage,
}

/// How the request for the next page differs from the previous one.
#[derive(Debug)]
pub enum NextPage {
    /// There is no next page: the list comes in one response.
    None,
    /// Pages are numbered from 1, and `param` names the one asked for. The paths say
    /// where each response reports the page it is, the number of pages and the number of
    /// items across pages (empty: not reported).
    PageNumber {
        /// The query parameter (`page`).
        param: &'static str,
        /// The page number the server answered with.
        page: &'static [&'static str],
        /// The number of pages.
        total_pages: &'static [&'static str],
        /// The number of items across all pages.
        total_count: &'static [&'static str],
    },
    /// Each response hands out the cursor of the next page at `next`, sent back as `param`.
    Cursor {
        /// The query parameter (`cursor`, `page_token`).
        param: &'static str,
        /// Where the next cursor is read.
        next: &'static [&'static str],
    },
}

/// One page of a list: its items and the envelope's `result_info` (typed as the spec
/// declares it; `serde_json::Value` when it declares none).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<Item, I = Value> {
    /// The items of this page.
    pub items: Vec<Item>,
    /// The envelope's `result_info`, when the response has one.
    pub result_info: Option<I>,
}

/// A request of a paged list. `.await` sends it once and yields the first page's result
/// as the plain method would (`T`); [`pages`](Self::pages), [`items`](Self::items) and
/// [`collect_all`](Self::collect_all) follow the list to its end.
#[must_use = "a request does nothing unless it is awaited or streamed"]
pub struct Paginated<T, Item, I = Value> {
    request: ApiRequest<T, I>,
    paging: &'static Pagination,
    item: PhantomData<fn() -> Item>,
}

impl<T, Item, I> fmt::Debug for Paginated<T, Item, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginated")
            .field("request", &self.request)
            .field("style", &self.paging.style)
            .finish()
    }
}

impl<T, I> ApiRequest<T, I> {
    /// Makes this request the first of a paged list whose pages follow `paging`; `Item`
    /// is the type of one item.
    pub fn paginate<Item>(self, paging: &'static Pagination) -> Paginated<T, Item, I> {
        Paginated {
            request: self,
            paging,
            item: PhantomData,
        }
    }
}

impl<T, Item, I> Paginated<T, Item, I>
where
    T: Send + 'static,
    Item: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    /// Every page, in order, each requested when the previous one has been consumed.
    pub fn pages(self) -> Pages<Item, I> {
        Pages {
            inner: stream::unfold(Walk::new(self.request, self.paging), Walk::step).boxed(),
        }
    }

    /// Every item across all pages, in order. An error is yielded where it happens,
    /// after the items before it, and ends the stream.
    pub fn items(self) -> Items<Item> {
        Items {
            inner: self
                .pages()
                .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten()
                .boxed(),
        }
    }

    /// Every item across all pages, or [`Error::TooManyItems`] as soon as there are more
    /// than `max_items` (no further page is fetched then).
    pub async fn collect_all(self, max_items: usize) -> Result<Vec<Item>, Error> {
        let operation = self.request.operation().id;
        let mut items = self.items();
        let mut all = Vec::new();
        while let Some(item) = items.try_next().await? {
            if all.len() == max_items {
                return Err(Error::TooManyItems {
                    operation,
                    limit: max_items,
                });
            }
            all.push(item);
        }
        Ok(all)
    }
}

impl<T, Item, I> Paginated<T, Item, I> {
    /// Overrides the timeout of each attempt of each page; `None` disables it.
    pub fn timeout(self, timeout: impl Into<Option<Duration>>) -> Self {
        self.map(|r| r.timeout(timeout))
    }

    /// Overrides the number of retries of each page.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.map(|r| r.max_retries(max_retries))
    }

    /// Adds a header to every page's request, replacing one of the same name.
    pub fn extra_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|r| r.extra_header(name, value))
    }

    /// Applies several overrides to every page's request.
    pub fn options(self, options: RequestOptions) -> Self {
        self.map(|r| r.options(options))
    }

    /// Sends the first page's request (same as `.await`).
    pub async fn send(self) -> Result<T, Error>
    where
        T: Send + 'static,
    {
        self.request.send().await
    }

    /// The first page's request, as the plain method would return it.
    pub fn into_request(self) -> ApiRequest<T, I> {
        self.request
    }

    /// The first page's result with its response: status, headers, typed `result_info`.
    pub fn with_response(self) -> ApiRequest<ApiResponse<T, I>, I>
    where
        T: Send + 'static,
        I: DeserializeOwned + Send + 'static,
    {
        self.request.with_response()
    }

    fn map(self, f: impl FnOnce(ApiRequest<T, I>) -> ApiRequest<T, I>) -> Self {
        Paginated {
            request: f(self.request),
            paging: self.paging,
            item: PhantomData,
        }
    }
}

impl<T: Send + 'static, Item, I: 'static> IntoFuture for Paginated<T, Item, I> {
    type Output = Result<T, Error>;
    type IntoFuture = <ApiRequest<T, I> as IntoFuture>::IntoFuture;

    fn into_future(self) -> Self::IntoFuture {
        self.request.into_future()
    }
}

/// The pages of a list ([`Paginated::pages`]): a [`Stream`] of `Result<Page, Error>`.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<Item, I = Value> {
    inner: BoxStream<'static, Result<Page<Item, I>, Error>>,
}

impl<Item, I> Stream for Pages<Item, I> {
    type Item = Result<Page<Item, I>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<Item, I> fmt::Debug for Pages<Item, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

/// The items of a list across its pages ([`Paginated::items`]): a [`Stream`] of
/// `Result<Item, Error>`.
#[must_use = "streams do nothing unless polled"]
pub struct Items<Item> {
    inner: BoxStream<'static, Result<Item, Error>>,
}

impl<Item> Stream for Items<Item> {
    type Item = Result<Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<Item> fmt::Debug for Items<Item> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// A decoded page, with the paging state its response reports.
struct RawPage<Item, I> {
    page: Page<Item, I>,
    state: PageState,
}

/// What a response says about the pages after it.
#[derive(Debug, Default, PartialEq)]
struct PageState {
    /// The page number the server answered with.
    page: Option<u64>,
    total_pages: Option<u64>,
    total_count: Option<u64>,
    /// The next cursor, when present and not empty.
    next_cursor: Option<String>,
    /// Page numbers: a digest of the page's items, to recognize a page served twice.
    items_digest: Option<u64>,
}

/// The value at `path` in `body`, if every step is an object key.
fn at<'v>(body: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(body, |v, key| v.get(*key))
}

/// A count: a non-negative integer, or a number or string holding one.
fn count(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A cursor: a non-empty string, or a number; absent, `null` and `""` are none.
fn cursor(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl PageState {
    fn read(body: &Value, next: &NextPage) -> PageState {
        match next {
            NextPage::None => PageState::default(),
            NextPage::PageNumber {
                page,
                total_pages,
                total_count,
                ..
            } => {
                let read = |path: &[&str]| {
                    if path.is_empty() {
                        None
                    } else {
                        count(at(body, path))
                    }
                };
                PageState {
                    page: read(page),
                    total_pages: read(total_pages),
                    total_count: read(total_count),
                    next_cursor: None,
                    items_digest: None,
                }
            }
            NextPage::Cursor { next, .. } => PageState {
                next_cursor: cursor(at(body, next)),
                ..PageState::default()
            },
        }
    }
}

/// Decodes one page: the items at `paging.items` (absent or `null`: none), `result_info`
/// as `I`, and the paging state; a `success: false` envelope is the API's error.
fn decode_page<Item, I>(
    raw: &RawResponse,
    paging: &'static Pagination,
) -> Result<Decoded<RawPage<Item, I>>, Error>
where
    Item: DeserializeOwned,
    I: DeserializeOwned,
{
    if is_blank(&raw.body) {
        return Err(decode_error(raw, "the page has no body".to_owned()));
    }
    let mut body: Value =
        serde_json::from_slice(&raw.body).map_err(|e| decode_error(raw, e.to_string()))?;
    if body.get("success") == Some(&Value::Bool(false)) {
        return Err(Error::Unsuccessful(Box::new(ApiError::new(
            raw.op,
            raw.status,
            raw.headers.clone(),
            raw.body.clone(),
        ))));
    }
    let mut state = PageState::read(&body, &paging.next);
    let result_info = match body.get_mut("result_info").map(Value::take) {
        None | Some(Value::Null) => None,
        Some(info) => {
            Some(I::deserialize(info).map_err(|e| decode_error(raw, format!("result_info: {e}")))?)
        }
    };
    let items = paging
        .items
        .iter()
        .try_fold(&mut body, |v, key| v.get_mut(*key))
        .map(Value::take);
    if let (NextPage::PageNumber { .. }, Some(items)) = (&paging.next, &items) {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        items.to_string().hash(&mut hasher);
        state.items_digest = Some(hasher.finish());
    }
    let items = match items {
        None | Some(Value::Null) => Vec::new(),
        Some(items) => Vec::<Item>::deserialize(items).map_err(|e| {
            decode_error(
                raw,
                format!("the items at `{}`: {e}", paging.items.join(".")),
            )
        })?,
    };
    Ok(Decoded::bare(RawPage {
        page: Page { items, result_info },
        state,
    }))
}

/// The walk through a list's pages: the request every page is built from, and what the
/// pages so far said.
struct Walk<T, Item, I> {
    template: ApiRequest<T, I>,
    paging: &'static Pagination,
    /// The value of the paging parameter for the next request; `None` when done.
    next: Option<Option<String>>,
    /// The template's own problem, reported by the first request.
    error: Option<Error>,
    /// An error to yield after the page just yielded.
    pending: Option<Error>,
    /// Page numbers: the number of the page the next request asks for.
    page_number: u64,
    /// Page numbers: the digest of the previous page's items.
    previous_digest: Option<u64>,
    /// Items delivered so far.
    delivered: u64,
    /// Cursors sent so far.
    sent: HashSet<String>,
    /// Requests made so far.
    requests: u64,
    item: PhantomData<fn() -> Item>,
}

impl<T, Item, I> Walk<T, Item, I>
where
    Item: DeserializeOwned + Send + 'static,
    I: DeserializeOwned + Send + 'static,
{
    fn new(mut template: ApiRequest<T, I>, paging: &'static Pagination) -> Self {
        let mut page_number = 1;
        let mut sent = HashSet::new();
        match &paging.next {
            NextPage::PageNumber { param, .. } => {
                if let Some(n) = template.query_value(param).and_then(|v| v.parse().ok()) {
                    page_number = n;
                }
            }
            NextPage::Cursor { param, .. } => {
                if let Some(c) = template.query_value(param) {
                    sent.insert(c.to_owned());
                }
            }
            NextPage::None => {}
        }
        let error = template.take_error();
        Walk {
            template,
            paging,
            next: Some(None),
            error,
            pending: None,
            page_number,
            previous_digest: None,
            delivered: 0,
            sent,
            requests: 0,
            item: PhantomData,
        }
    }

    /// Fetches the next page; `None` when the list has ended.
    async fn step(mut self) -> Option<(Result<Page<Item, I>, Error>, Self)> {
        if let Some(error) = self.pending.take() {
            return Some((Err(error), self));
        }
        let value = self.next.take()?;
        let paging = self.paging;
        let set = match (&paging.next, value) {
            (NextPage::PageNumber { param, .. } | NextPage::Cursor { param, .. }, Some(v)) => {
                Some((*param, v))
            }
            _ => None,
        };
        let decoder: DecodeFn<RawPage<Item, I>> =
            Box::new(move |raw: &RawResponse| decode_page(raw, paging));
        let request = self.template.page_request(set, decoder, self.error.take());
        let first = self.requests == 0;
        self.requests += 1;
        let RawPage { page, state } = match request.send().await {
            Ok(raw) => raw,
            Err(error) => return Some((Err(error), self)),
        };
        if !first && page.items.is_empty() {
            return None;
        }
        match &paging.next {
            NextPage::None => {}
            NextPage::PageNumber { .. } => {
                let repeated = state.page.is_some_and(|p| p != self.page_number)
                    || (state.items_digest.is_some() && state.items_digest == self.previous_digest);
                if !first && repeated {
                    // The server ignored the page parameter: this page repeats another.
                    return None;
                }
                self.previous_digest = state.items_digest;
                self.delivered += page.items.len() as u64;
                let last = page.items.is_empty()
                    || state.total_pages.is_some_and(|t| self.page_number >= t)
                    || state.total_count.is_some_and(|t| self.delivered >= t);
                if !last {
                    self.page_number += 1;
                    self.next = Some(Some(self.page_number.to_string()));
                }
            }
            NextPage::Cursor { .. } => match state.next_cursor {
                Some(_) if page.items.is_empty() => {}
                Some(cursor) if self.sent.contains(&cursor) => {
                    self.pending = Some(Error::RepeatedCursor {
                        operation: self.template.operation().id,
                        cursor,
                    });
                }
                Some(cursor) => {
                    self.sent.insert(cursor.clone());
                    self.next = Some(Some(cursor));
                }
                None => {}
            },
        }
        Some((Ok(page), self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::tests::{LIST_IPS, SPEC};
    use crate::test_server::{MockServer, Reply};
    use crate::{Client, ClientBuilder};
    use bytes::Bytes;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use serde_json::json;

    static PAGES: Pagination = Pagination {
        style: "page",
        items: &["result", "items"],
        next: NextPage::PageNumber {
            param: "page",
            page: &["result_info", "page"],
            total_pages: &["result_info", "total_pages"],
            total_count: &[],
        },
    };

    static CURSORS: Pagination = Pagination {
        style: "cursor_limit",
        items: &["result"],
        next: NextPage::Cursor {
            param: "cursor",
            next: &["meta", "cursors", "next"],
        },
    };

    static ONE: Pagination = Pagination {
        style: "single_page",
        items: &["result"],
        next: NextPage::None,
    };

    fn raw(body: Value) -> RawResponse {
        RawResponse {
            op: &LIST_IPS,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(serde_json::to_vec(&body).unwrap()),
        }
    }

    fn decode<I: DeserializeOwned>(
        paging: &'static Pagination,
        body: Value,
    ) -> Result<RawPage<u32, I>, Error> {
        decode_page(&raw(body), paging).map(|d| d.value)
    }

    #[test]
    fn counts_and_cursors_are_read_leniently() {
        assert_eq!(count(Some(&json!(3))), Some(3));
        assert_eq!(count(Some(&json!(3.0))), Some(3), "`type: number` counts");
        assert_eq!(count(Some(&json!("7"))), Some(7));
        assert_eq!(count(Some(&json!(2.5))), None);
        assert_eq!(count(Some(&json!(-1))), None);
        assert_eq!(count(Some(&Value::Null)), None);
        assert_eq!(count(None), None);
        assert_eq!(cursor(Some(&json!("c1"))), Some("c1".into()));
        assert_eq!(cursor(Some(&json!(42))), Some("42".into()));
        for end in [json!(""), Value::Null, json!({}), json!(false)] {
            assert_eq!(cursor(Some(&end)), None, "{end}");
        }
        assert_eq!(cursor(None), None);
    }

    #[test]
    fn a_page_has_its_items_typed_result_info_and_paging_state() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Info {
            page: u32,
        }
        let page: RawPage<u32, Info> = decode(
            &PAGES,
            json!({"success": true, "result": {"items": [1, 2], "other": 0},
                   "result_info": {"page": 2, "total_pages": 3.0}}),
        )
        .unwrap();
        assert_eq!(page.page.items, [1, 2]);
        assert_eq!(page.page.result_info, Some(Info { page: 2 }));
        assert_eq!(
            (
                page.state.page,
                page.state.total_pages,
                page.state.total_count
            ),
            (Some(2), Some(3), None)
        );
        assert!(page.state.next_cursor.is_none() && page.state.items_digest.is_some());
        let page: RawPage<u32, Value> = decode(
            &CURSORS,
            json!({"result": [7], "meta": {"cursors": {"next": "n2"}}}),
        )
        .unwrap();
        assert_eq!(
            (
                page.page.items,
                page.page.result_info,
                page.state.next_cursor
            ),
            (vec![7], None, Some("n2".into()))
        );
        let page: RawPage<u32, Value> =
            decode(&PAGES, json!({"success": true, "result": {"items": null}})).unwrap();
        assert!(page.page.items.is_empty(), "null items are no items");
        let page: RawPage<u32, Value> = decode(&ONE, json!({"success": true})).unwrap();
        assert!(page.page.items.is_empty(), "absent items are no items");
    }

    #[test]
    fn bad_pages_are_errors_that_say_where() {
        let unsuccessful = decode::<Value>(
            &ONE,
            json!({"success": false, "errors": [{"code": 7003, "message": "no route"}]}),
        );
        assert!(
            matches!(&unsuccessful, Err(Error::Unsuccessful(e)) if e.has_code(7003)),
            "{:?}",
            unsuccessful.err()
        );
        let Err(Error::Decode { message, .. }) =
            decode::<Value>(&PAGES, json!({"result": {"items": ["x"]}}))
        else {
            panic!("a wrong item is a decode error");
        };
        assert!(
            message.starts_with("the items at `result.items`: "),
            "{message}"
        );
        let Err(Error::Decode { message, .. }) =
            decode::<u32>(&ONE, json!({"result": [], "result_info": {"a": 1}}))
        else {
            panic!("a wrong result_info is a decode error");
        };
        assert!(message.starts_with("result_info: "), "{message}");
        let blank = RawResponse {
            body: Bytes::from_static(b"  "),
            ..raw(Value::Null)
        };
        assert!(matches!(
            decode_page::<u32, Value>(&blank, &ONE),
            Err(Error::Decode { .. })
        ));
    }

    fn client(server: &MockServer) -> Client {
        ClientBuilder::new(&SPEC)
            .base_url(server.url())
            .retry_delays(std::time::Duration::ZERO, std::time::Duration::ZERO)
            .build()
            .unwrap()
    }

    fn list(client: &Client, paging: &'static Pagination) -> Paginated<Vec<u32>, u32> {
        ApiRequest::new(client, &LIST_IPS)
            .query("filter", "x")
            .envelope()
            .paginate(paging)
    }

    fn queries(server: &MockServer) -> Vec<String> {
        server
            .requests()
            .iter()
            .map(|r| r.query().unwrap_or("").to_owned())
            .collect()
    }

    #[tokio::test]
    async fn page_numbers_start_at_the_page_asked_for_and_stop_at_the_last() {
        let server = MockServer::start().await;
        for page in 3..=4 {
            server.enqueue(Reply::json(
                200,
                json!({"success": true, "result": {"items": [page]},
                       "result_info": {"page": page, "total_pages": 4}}),
            ));
        }
        let client = client(&server);
        let paged = ApiRequest::<Vec<u32>>::new(&client, &LIST_IPS)
            .query("page", 3)
            .query("filter", "x")
            .envelope()
            .paginate::<u32>(&PAGES);
        let items: Vec<u32> = paged.items().try_collect().await.unwrap();
        assert_eq!(items, [3, 4]);
        assert_eq!(queries(&server), ["page=3&filter=x", "filter=x&page=4"]);
    }

    #[tokio::test]
    async fn a_page_served_twice_ends_the_list_without_duplicates() {
        // A server that ignores `page` and reports neither the page nor any total.
        let server = MockServer::start().await;
        server.set_fallback(Reply::ok(json!({"items": [1, 2]})));
        let client = client(&server);
        let items: Vec<u32> = list(&client, &PAGES).items().try_collect().await.unwrap();
        assert_eq!(items, [1, 2]);
        assert_eq!(queries(&server), ["filter=x", "filter=x&page=2"]);
    }

    #[tokio::test]
    async fn the_first_page_is_yielded_even_when_empty_later_empty_pages_end() {
        let server = MockServer::start().await;
        server.enqueue(Reply::ok(json!([])));
        let pages: Vec<_> = list(&client(&server), &CURSORS)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].items.is_empty());
        assert_eq!(server.request_count(), 1);

        let server = MockServer::start().await;
        let with_next = |items: Value, next: &str| {
            Reply::json(
                200,
                json!({"result": items, "meta": {"cursors": {"next": next}}}),
            )
        };
        server.enqueue(with_next(json!([1]), "a"));
        server.enqueue(with_next(json!([]), "b"));
        server.set_fallback(with_next(json!([9]), "c"));
        let pages: Vec<_> = list(&client(&server), &CURSORS)
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 1, "an empty page ends the list, cursor or not");
        assert_eq!(queries(&server), ["filter=x", "filter=x&cursor=a"]);
    }

    #[tokio::test]
    async fn a_cursor_the_caller_sent_counts_as_seen() {
        let server = MockServer::start().await;
        server.enqueue(Reply::json(
            200,
            json!({"result": [1], "meta": {"cursors": {"next": "start"}}}),
        ));
        let client = client(&server);
        let mut items = ApiRequest::<Vec<u32>>::new(&client, &LIST_IPS)
            .query("cursor", "start")
            .envelope()
            .paginate::<u32>(&CURSORS)
            .items();
        assert_eq!(items.try_next().await.unwrap(), Some(1));
        let error = items.try_next().await.unwrap_err();
        assert!(
            matches!(&error, Error::RepeatedCursor { operation: "ips-list", cursor } if cursor == "start"),
            "{error:?}"
        );
        assert_eq!(items.try_next().await.unwrap(), None);
    }

    #[tokio::test]
    async fn problems_found_while_preparing_are_the_first_item() {
        let server = MockServer::start().await;
        let client = client(&server);
        let mut pages = ApiRequest::<Vec<u32>>::new(&client, &LIST_IPS)
            .header("X-Bad", "a\nb")
            .envelope()
            .paginate::<u32>(&ONE)
            .pages();
        assert!(matches!(
            pages.try_next().await,
            Err(Error::InvalidRequest { .. })
        ));
        assert!(pages.try_next().await.unwrap().is_none());
        assert_eq!(server.request_count(), 0);
    }

    #[tokio::test]
    async fn awaiting_sends_one_request_for_the_first_result() {
        let server = MockServer::start().await;
        server.set_fallback(Reply::ok(json!([1, 2])));
        let client = client(&server);
        assert_eq!(list(&client, &PAGES).await.unwrap(), [1, 2]);
        assert_eq!(list(&client, &PAGES).send().await.unwrap(), [1, 2]);
        let first = list(&client, &PAGES).into_request().await.unwrap();
        assert_eq!(first, [1, 2]);
        assert_eq!(server.request_count(), 3);
        let text = format!("{:?}", list(&client, &PAGES));
        assert!(text.contains("ips-list") && text.contains("page"), "{text}");
    }

    #[test]
    fn streams_are_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Pages<u32, Value>>();
        assert_send::<Items<u32>>();
        assert_send::<Paginated<Vec<u32>, u32>>();
    }
}
