//! The intermediate representation: a resolved, named model of the API.
//!
//! The IR is what the emitter reads and nothing else. It holds no tokens and no
//! spec syntax: every `$ref` is resolved, every name is final (collision-free,
//! escaped), and every collection is in a deterministic order. Types live in a
//! [`TypeSpace`] arena and refer to each other by [`TypeId`], so recursive
//! schemas are plain data.

mod lower;
mod names;
mod passes;
mod view;

pub use lower::{build, sdk_words, BuildError, BuildOptions, MAX_SCHEMA_DEPTH};
pub use names::{
    is_reserved_type_name, is_rust_keyword, snake_word, RustIdent, BUILDER_METHOD_NAMES,
    CLIENT_METHOD_NAMES,
};

use serde::Serialize;

/// The whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL, used as the default base URL.
    pub base_url: Option<String>,
    /// Security schemes, sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every operation, sorted by resource path, then method name.
    pub operations: Vec<Operation>,
    /// The resource tree the operations hang from.
    pub resources: Vec<Resource>,
    /// Every named type.
    pub types: TypeSpace,
    /// Everything that was generated in a degraded form, and why.
    pub report: Vec<Fallback>,
    /// Deprecated old names of renamed types, kept by the names lock; sorted by module and name.
    pub aliases: Vec<TypeAlias>,
    /// The names lock after this generation: every emitted type's name, and the aliases.
    #[serde(skip)]
    pub lock: crate::lock::NameLock,
    /// Operations that look like lists (paging parameters, or paging fields beside a list)
    /// but fit no pagination style, with the reason; sorted by operation.
    pub unpaged_lists: Vec<UnpagedList>,
    /// `[pagination]` settings that could not be applied (unknown operation, or a style
    /// the operation cannot have). The caller turns these into an error.
    pub pagination_setting_errors: Vec<SettingError>,
}

impl Api {
    /// The SDK name of an operation: its resource path, then its method (`zones.list`).
    pub fn sdk_name(&self, op: &Operation) -> String {
        self.resources[op.resource]
            .path
            .iter()
            .map(|p| p.bare())
            .chain([op.method_name.bare()])
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A deprecated old name of a type (`pub type Old = New;`), kept so code naming it still compiles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TypeAlias {
    /// The module the old name is in.
    pub module: Module,
    /// The old name.
    pub name: String,
    /// The type it names now.
    pub target: TypeId,
}

/// A security scheme from `components.securitySchemes`.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The scheme's key in the spec (`api_token`).
    pub name: String,
    /// Rust identifier for its credential setter (`api_token`).
    pub setter: RustIdent,
    /// How the credential travels.
    pub kind: AuthKind,
    /// Environment variable the client reads the credential from.
    pub env_var: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuthKind {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic <secret>`.
    Basic,
    /// A header named here.
    Header(String),
    /// A query parameter named here.
    Query(String),
    /// A cookie named here.
    Cookie(String),
    /// An OAuth2 or OpenID Connect access token the user obtains (the client does
    /// not run the flow), sent as `Authorization: Bearer <token>`.
    AccessToken {
        /// Where tokens come from: the client-credentials flow's `tokenUrl` when
        /// the scheme has one, else another flow's URL, or the OpenID Connect URL.
        source: Option<String>,
    },
}

/// A node of the SDK resource tree (`zero_trust` → `access` → `users`).
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// Module path from the crate root, e.g. `["zero_trust", "access", "users"]`.
    pub path: Vec<RustIdent>,
    /// Name of the handle type (`UsersResource`).
    pub handle: String,
    /// Operations of this resource, indices into [`Api::operations`].
    pub operations: Vec<usize>,
    /// Child resources: (accessor name, index into [`Api::resources`]).
    pub children: Vec<(RustIdent, usize)>,
    /// Named types that live in this resource's module, sorted by name.
    pub types: Vec<TypeId>,
}

/// One HTTP operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId`, or a derived one.
    pub id: String,
    /// JSON pointer of the operation in the spec.
    pub pointer: String,
    /// Index of the resource in [`Api::resources`].
    pub resource: usize,
    /// Method name on the resource handle (`update`).
    pub method_name: RustIdent,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template relative to the base URL.
    pub path: String,
    /// The positional path parameter (the last one, when there are several).
    pub positional: Option<Param>,
    /// The generated parameters struct, when the operation takes any parameters or body.
    pub params_type: Option<TypeId>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// What a successful call returns.
    pub response: Response,
    /// Declared error responses (status patterns and their bodies).
    pub errors: Vec<ErrorResponse>,
    /// Security alternatives: each inner list names schemes that must all be present.
    /// Empty means no authentication.
    pub security: Vec<Vec<String>>,
    /// How the operation pages, when it returns a list.
    pub pagination: Option<Pagination>,
    /// Documentation.
    pub docs: OperationDocs,
}

/// How a list operation is paged: what the client sends to get the next page, and where
/// it reads the items and the paging state in each response.
///
/// Paths are object keys from the root of the response body (`["result_info", "cursor"]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// The style, as the official SDKs name their page classes.
    pub style: PageStyle,
    /// How the style was chosen.
    pub source: PaginationSource,
    /// Where the items of a page are: `["result"]` (the result is the array) or
    /// `["result", "items"]` (a field of the result).
    pub items: Vec<String>,
    /// The type of one item.
    pub item: Shape,
    /// The query parameter that selects the page (page number, cursor or token); `None`
    /// for a single page.
    pub page_param: Option<PageParam>,
    /// The query parameter that sets the page size (`per_page`, `limit`), when declared.
    pub size_param: Option<String>,
    /// Cursor styles: where the next cursor is read.
    pub next_cursor: Option<Vec<String>>,
    /// Page-number styles: where the page number the server answered with is read.
    pub page: Option<Vec<String>>,
    /// Page-number styles: where the number of pages is read.
    pub total_pages: Option<Vec<String>>,
    /// Page-number styles: where the number of items across all pages is read.
    pub total_count: Option<Vec<String>>,
}

/// The parameter that selects a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageParam {
    /// Its name on the wire.
    pub name: String,
    /// Whether the operation declares it. An undeclared one is sent anyway when the
    /// response declares the paging state it continues (`result_info.page` and a total).
    pub declared: bool,
}

/// The pagination styles of the official Cloudflare SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PageStyle {
    /// `page`/`per_page` page numbers; the items are a field of the result
    /// (`V4PagePagination`: `result.items`).
    Page,
    /// `page`/`per_page` page numbers; the result is the array (`V4PagePaginationArray`).
    PageArray,
    /// `cursor` + `per_page`, the next cursor in the response (`CursorPagination`).
    Cursor,
    /// `cursor` + `limit` (`CursorLimitPagination`).
    CursorLimit,
    /// `cursor`, the next one in `result_info.cursors.after` (`CursorPaginationAfter`).
    CursorAfter,
    /// `page_token` → `next_page_token` (`PageTokenPagination`).
    PageToken,
    /// A list that is not paged: one request, never a second (`SinglePage`).
    SinglePage,
}

impl PageStyle {
    /// Every style, in report order.
    pub const ALL: [PageStyle; 7] = [
        PageStyle::PageArray,
        PageStyle::Page,
        PageStyle::Cursor,
        PageStyle::CursorLimit,
        PageStyle::CursorAfter,
        PageStyle::PageToken,
        PageStyle::SinglePage,
    ];

    /// The name used in settings and reports (`page_array`).
    pub fn name(self) -> &'static str {
        match self {
            PageStyle::Page => "page",
            PageStyle::PageArray => "page_array",
            PageStyle::Cursor => "cursor",
            PageStyle::CursorLimit => "cursor_limit",
            PageStyle::CursorAfter => "cursor_after",
            PageStyle::PageToken => "page_token",
            PageStyle::SinglePage => "single_page",
        }
    }

    /// Whether pages are selected by number.
    pub fn is_page_number(self) -> bool {
        matches!(self, PageStyle::Page | PageStyle::PageArray)
    }

    /// Whether pages are selected by a cursor or token the server hands out.
    pub fn is_cursor(self) -> bool {
        matches!(
            self,
            PageStyle::Cursor
                | PageStyle::CursorLimit
                | PageStyle::CursorAfter
                | PageStyle::PageToken
        )
    }
}

/// How an operation's pagination style was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PaginationSource {
    /// From its parameters, its envelope and where its items are.
    Detected,
    /// From `x-stainless-pagination-property` marks in the spec.
    SpecExtension,
    /// From the maintainer's `[pagination]` settings.
    Setting,
}

/// A maintainer's setting the IR could not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingError {
    /// The key in its table (`zones.list` in `[pagination]`).
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

/// A list-like operation that fits no pagination style.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnpagedList {
    /// Its SDK name (`radar.datasets.list`).
    pub operation: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Why no style fits.
    pub reason: String,
}

/// Docs of an operation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OperationDocs {
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Token permissions, any of which grants access (`x-api-token-group`).
    pub permissions: Vec<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    /// Rust identifier.
    pub ident: RustIdent,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub shape: Shape,
    /// Must be given.
    pub required: bool,
    /// Docs.
    pub docs: Option<String>,
    /// The schema's `default`, rendered as JSON: what the server assumes when it is not sent.
    /// Not serialized: it does not change the Rust type, so inline types that differ
    /// only in defaults stay interned as one (the interning key is the serialized type).
    #[serde(skip)]
    pub default: Option<String>,
}

/// Where a field of a parameters struct travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Location {
    /// Substituted into the path.
    Path,
    /// Appended to the query string.
    Query,
    /// Sent as a header.
    Header,
    /// Sent in the `Cookie` header.
    Cookie,
    /// A property of a JSON/form body object.
    Body,
    /// The whole body (for bodies that are not plain objects).
    WholeBody,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// The media type sent.
    pub content_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Whether the body must be present.
    pub required: bool,
}

/// Body encodings the client knows how to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes.
    Bytes,
}

/// What a successful response decodes into.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The status code (or pattern like `2XX`) chosen as the success response.
    pub status: String,
    /// The response's media type, if it has a body.
    pub content_type: Option<String>,
    /// How the body is decoded.
    pub decode: Decode,
    /// The Rust type returned (a named alias in the resource module), if any.
    pub result_type: Option<TypeId>,
    /// The result may be absent or `null`, so the method returns an `Option`.
    pub optional: bool,
    /// The type of the envelope's `result_info` (paging and counts), when it declares one.
    pub result_info: Option<Shape>,
    /// The type of the envelope's other members beside `result` (`meta`, `pagination`, ...),
    /// when it declares any.
    pub meta: Option<Shape>,
    /// The spec's description of the response.
    pub description: Option<String>,
}

/// How a response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decode {
    /// A `{success, errors, messages, result}` envelope; the method returns `result`.
    Envelope,
    /// The whole body is the JSON value.
    Json,
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body expected.
    Empty,
}

/// A declared error response.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    /// `4XX`, `404`, `default`...
    pub status: String,
    /// The spec's description.
    pub description: Option<String>,
    /// Whether the body is a `{success: false, errors, messages}` envelope.
    pub envelope: bool,
}

/// Index of a named type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeId(pub usize);

/// The arena of named types.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TypeSpace {
    /// All named types; a [`TypeId`] indexes this.
    pub defs: Vec<TypeDef>,
}

impl TypeSpace {
    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }
}

/// Which module a named type lives in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Module {
    /// The shared `types` module (component schemas and their inline parts).
    Types,
    /// A resource module, by index into [`Api::resources`].
    Resource(usize),
}

/// A named Rust type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// Rust name, unique in its module.
    pub name: String,
    /// The module it lives in.
    pub module: Module,
    /// Where it comes from in the spec.
    pub pointer: String,
    /// Rustdoc.
    pub docs: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Top-level resources whose operations reach this type (for feature gating).
    pub used_by: Vec<String>,
    /// JSON pointers of property declarations this type carries as a whole rather than as
    /// one of its fields (a property that every `oneOf`/`anyOf` member declares again).
    pub sources: Vec<String>,
    /// Extra derives the maintainer asked for (paths), from the settings.
    pub derives: Vec<String>,
    /// Extra outer attributes the maintainer asked for, from the settings.
    pub attributes: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum; unknown values decode into an `Unknown(String)` variant.
    Enum(StringEnum),
    /// A `oneOf`/`anyOf`.
    Union(Union),
    /// Another name for a shape (`pub type X = ...`).
    Alias(Shape),
    /// A type the maintainer supplies (settings `replace_with`), by its Rust path;
    /// nothing is generated for it.
    External(String),
}

/// A struct.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    /// Fields, sorted by wire name (path/query/header parameters first for params structs).
    pub fields: Vec<Field>,
    /// Type of additional properties kept in a flattened map, if the spec declares them.
    pub additional: Option<Shape>,
    /// This struct gathers an operation's parameters and body fields.
    pub is_params: bool,
    /// Sets of fields of which some must be present (`anyOf: [{required: [a]}, {required: [b]}]`).
    pub required_alternatives: Option<RequiredAlternatives>,
}

/// Alternative sets of required fields, from a `oneOf`/`anyOf` whose members only list `required`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequiredAlternatives {
    /// `oneOf`: exactly one set must be satisfied; `anyOf`: at least one.
    pub exclusive: bool,
    /// Each set lists wire names that must all be present.
    pub sets: Vec<Vec<String>>,
}

/// A struct field.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    /// Rust identifier.
    pub ident: RustIdent,
    /// Type (may be [`Shape::Nullable`]).
    pub shape: Shape,
    /// Listed in `required`.
    pub required: bool,
    /// Where it travels (always `Body` outside params structs).
    pub location: Location,
    /// Boxed to break a reference cycle.
    pub boxed: bool,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Rustdoc.
    pub docs: Option<String>,
    /// An example value, rendered as JSON.
    pub example: Option<String>,
    /// The field holds a union whose members' properties sit beside the other fields
    /// (`#[serde(flatten)]`): an object schema with both `properties` and `oneOf`/`anyOf`.
    pub flatten: bool,
    /// JSON pointers of every declaration merged into this field (several under `allOf`).
    pub sources: Vec<String>,
    /// The schema's `default`, rendered as JSON: what the server assumes when it is not sent.
    /// Not serialized: it does not change the Rust type, so inline types that differ
    /// only in defaults stay interned as one (the interning key is the serialized type).
    #[serde(skip)]
    pub default: Option<String>,
}

/// A string enum.
#[derive(Debug, Clone, Serialize)]
pub struct StringEnum {
    /// Variants in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One enum value.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// The value on the wire.
    pub value: String,
    /// Rust variant name.
    pub ident: String,
}

/// A union of alternatives, decoded in order (first match wins).
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    /// Variants in spec order.
    pub variants: Vec<UnionVariant>,
    /// `discriminator.propertyName`, when the spec declares one.
    pub discriminator: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// Rust variant name.
    pub ident: String,
    /// Its type.
    pub shape: Shape,
    /// Boxed to break a reference cycle.
    pub boxed: bool,
    /// Discriminator values selecting this variant.
    pub tags: Vec<String>,
    /// Rustdoc (the member's title or description).
    pub docs: Option<String>,
}

/// The type of a value, as used in a field, parameter, array item or alias.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Shape {
    /// A string, with its format and constraints.
    String(StringShape),
    /// An integer.
    Integer(NumberShape),
    /// A floating-point number.
    Number(NumberShape),
    /// `true`/`false`.
    Boolean,
    /// A named type.
    Named(TypeId),
    /// An array.
    Array(Box<ArrayShape>),
    /// A string-keyed map.
    Map(Box<Shape>),
    /// Any JSON value.
    Any,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Only `null` is allowed.
    Null,
    /// The inner shape, or `null`.
    Nullable(Box<Shape>),
}

/// String format and constraints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StringShape {
    /// `format`, as written in the spec.
    pub format: Option<String>,
    /// `maxLength`, in Unicode code points.
    pub max_length: Option<u64>,
    /// `minLength`, in Unicode code points.
    pub min_length: Option<u64>,
    /// `pattern` (ECMA 262 regular expression).
    pub pattern: Option<String>,
    /// Allowed values, when an enum was not turned into a Rust enum.
    pub allowed: Vec<String>,
    /// The value must also satisfy at least one of these (`anyOf`/`oneOf` of strings);
    /// empty when there is no such choice.
    pub alternatives: Vec<StringShape>,
}

impl StringShape {
    /// The Rust representation of this string.
    pub fn repr(&self) -> StringRepr {
        match self.format.as_deref() {
            Some("date-time") => StringRepr::DateTime,
            _ => StringRepr::Plain,
        }
    }
}

/// How a string shape is represented in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringRepr {
    /// `String`.
    Plain,
    /// `chrono::DateTime<Utc>`.
    DateTime,
}

/// Numeric format and constraints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NumberShape {
    /// `format`, as written in the spec.
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// Allowed values (numeric enums).
    pub allowed: Vec<f64>,
    /// The value must also satisfy at least one of these (`anyOf`/`oneOf` of numbers);
    /// empty when there is no such choice.
    pub alternatives: Vec<NumberShape>,
}

/// Array item type and constraints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrayShape {
    /// The items.
    pub items: Shape,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
}

/// Something generated in a degraded form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Fallback {
    /// JSON pointer into the spec.
    pub pointer: String,
    /// What was generated instead, and why.
    pub reason: String,
}
