//! One module per SDK resource: the handle type, its methods, and the types
//! its operations own (parameters, responses, inline schemas).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, sanitize};
use super::shapes::ident;
use super::types::type_item;
use super::Ctx;
use crate::ir::{
    BodyEncoding, Decode, Field, Location, Module, Operation, Pagination, Param, Shape, StringRepr,
    TypeId, TypeKind,
};

/// The module of resource `index`.
pub fn resource_rs(ctx: &Ctx, index: usize) -> TokenStream {
    let head = resource_head(ctx, index);
    let types = resource_types(ctx, &ctx.api.resources[index].types);
    let aliases = super::types::aliases(ctx, &Module::Resource(index));
    quote!(#head #types #aliases)
}

/// What a resource module starts with: its doc, child modules and handle.
pub fn resource_head(ctx: &Ctx, index: usize) -> TokenStream {
    let resource = &ctx.api.resources[index];
    let dotted = resource
        .path
        .iter()
        .map(|p| p.bare())
        .collect::<Vec<_>>()
        .join(".");
    let module_doc = format!(" The `{dotted}` resource.");
    let children = resource.children.iter().map(|(name, index)| {
        let name = ident(name.as_str());
        if ctx.single_file {
            let body = resource_rs(ctx, *index);
            quote!(pub mod #name { #body })
        } else {
            quote!(pub mod #name;)
        }
    });
    let handle = handle(ctx, index);
    quote! {
        #![doc = #module_doc]
        #(#children)*
        #handle
    }
}

/// Types of a resource module (a run of `Resource::types`), with their `Validate` impls.
pub fn resource_types(ctx: &Ctx, ids: &[TypeId]) -> TokenStream {
    let types = ids.iter().map(|id| {
        let item = type_item(ctx, *id);
        let validate = super::validate::validate_impl(ctx, *id, ctx.needs);
        quote!(#item #validate)
    });
    quote!(#(#types)*)
}

/// The handle struct of a resource, with its child accessors and operations.
pub fn handle(ctx: &Ctx, index: usize) -> TokenStream {
    let resource = &ctx.api.resources[index];
    let root = &ctx.root;
    let name = ident(&resource.handle);
    let dotted = resource
        .path
        .iter()
        .map(|p| p.bare())
        .collect::<Vec<_>>()
        .join(".");
    let doc = format!(" Operations of the `{dotted}` resource.");
    let accessors = resource.children.iter().map(|(child, child_index)| {
        let child_ident = ident(child.as_str());
        let child_handle = ident(&ctx.api.resources[*child_index].handle);
        let doc = format!(" The `{dotted}.{}` resource.", child.bare());
        quote! {
            #[doc = #doc]
            pub fn #child_ident(&self) -> #child_ident::#child_handle<'a> {
                #child_ident::#child_handle::new(self.client)
            }
        }
    });
    let methods = resource
        .operations
        .iter()
        .map(|op| method(ctx, &ctx.api.operations[*op]));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a #root::runtime::Client,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a #root::runtime::Client) -> Self {
                Self { client }
            }

            #(#accessors)*
            #(#methods)*
        }
    }
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.docs.summary {
        text.push_str(&sanitize(summary));
    }
    if let Some(description) = &op.docs.description {
        if op.docs.summary.as_deref() != Some(description.as_str()) {
            text.push_str("\n\n");
            text.push_str(&sanitize(description));
        }
    }
    if !op.docs.permissions.is_empty() {
        let list = op
            .docs
            .permissions
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", ");
        text.push_str(&format!("\n\nRequired token permission (any of): {list}."));
    }
    if let Some(paging) = &op.pagination {
        text.push_str("\n\n");
        text.push_str(&pagination_docs(paging));
    }
    text.push_str(&format!(
        "\n\n{} (operation {})",
        code(&format!("{} {}", op.http_method, op.path)),
        code(&op.id)
    ));
    doc_attrs(text.trim())
}

fn method(ctx: &Ctx, op: &Operation) -> TokenStream {
    let root = &ctx.root;
    let module = Module::Resource(op.resource);
    let name = ident(op.method_name.as_str());
    let docs = method_docs(op);
    let deprecated = if op.docs.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };

    let mut args = Vec::new();
    let mut steps = Vec::new();
    let params_def = op.params_type.map(|id| ctx.api.types.get(id));
    let params_struct = params_def.and_then(|d| match &d.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    });
    // Path parameters in template order: those in the params struct, then the positional one.
    let path_fields: Vec<&Field> = params_struct
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| f.location == Location::Path)
                .collect()
        })
        .unwrap_or_default();
    for f in &path_fields {
        let wire = &f.name;
        let field = ident(f.ident.as_str());
        let value = match &f.shape {
            Shape::String(s) if s.repr() == StringRepr::Plain => quote!(params.#field),
            other => string_expr(other, quote!(params.#field)),
        };
        steps.push(quote!(request = request.path_param(#wire, &#value);));
    }
    if let Some(p) = &op.positional {
        let (arg, step) = positional(ctx, p, &module);
        args.push(arg);
        steps.push(step);
    }
    if let Some(def) = params_def {
        let ty = ident(&def.name);
        args.push(quote!(params: #ty));
    }
    if let Some(check) = validation(ctx, op) {
        steps.insert(0, check);
    }
    if let Some(s) = params_struct {
        for f in s.fields.iter().filter(|f| {
            matches!(
                f.location,
                Location::Query | Location::Header | Location::Cookie
            )
        }) {
            steps.push(send_param(f));
        }
    }
    if let (Some(body), Some(s)) = (&op.body, params_struct) {
        let content_type = &body.content_type;
        let whole = s.fields.iter().find(|f| f.location == Location::WholeBody);
        match (body.encoding, whole) {
            (BodyEncoding::Json, None) => steps.push(quote!(request = request.json(&params);)),
            (BodyEncoding::Form, None) => steps.push(quote!(request = request.form(&params);)),
            (BodyEncoding::Multipart, None) => steps.push(multipart(ctx, s)),
            (encoding, Some(f)) => {
                let field = ident(f.ident.as_str());
                let send = match encoding {
                    BodyEncoding::Json | BodyEncoding::Multipart => quote!(request.json(&body)),
                    BodyEncoding::Form => quote!(request.form(&body)),
                    BodyEncoding::Text => quote!(request.text(body, #content_type)),
                    BodyEncoding::Bytes => quote!(request.bytes(body.into_bytes(), #content_type)),
                };
                if f.required && !matches!(f.shape, Shape::Nullable(_)) {
                    steps.push(quote! { let body = params.#field; request = #send; });
                } else {
                    steps.push(quote! { if let Some(body) = params.#field { request = #send; } });
                }
            }
            (BodyEncoding::Text | BodyEncoding::Bytes, None) => {}
        }
    }

    let (result_ty, decode) = result(ctx, op, &module);
    let info_ty = result_info_type(ctx, op, &module);
    let table = op
        .pagination
        .as_ref()
        .map(|paging| pagination_table(ctx, paging));
    // `result_info` is decoded as the type the spec declares, where it declares one.
    let typed_info = info_ty.as_ref().map(|_| quote!(.typed_result_info()));
    let (return_ty, finish) = match &op.pagination {
        Some(paging) => {
            let item = ctx.rust_type(&paging.item, &module);
            let info = info_ty.unwrap_or_else(|| quote!(serde_json::Value));
            (
                quote!(#root::runtime::Paginated<#result_ty, #item, #info>),
                quote!(request.#decode() #typed_info .paginate(&PAGINATION)),
            )
        }
        None => {
            let generics = match info_ty {
                Some(info) => quote!(<#result_ty, #info>),
                None => quote!(<#result_ty>),
            };
            (
                quote!(#root::runtime::ApiRequest #generics),
                quote!(request.#decode() #typed_info),
            )
        }
    };
    let id = &op.id;
    let method_tokens = ident(&op.http_method);
    let path = &op.path;
    let security = op.security.iter().map(|alt| quote!(&[#(#alt),*]));
    let needs_mut = !steps.is_empty();
    let binding = if needs_mut {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> #return_ty {
            static OPERATION: #root::runtime::Operation = #root::runtime::Operation {
                id: #id,
                method: #root::runtime::Method::#method_tokens,
                path: #path,
                security: &[#(#security),*],
            };
            #table
            #binding = #root::runtime::ApiRequest::new(self.client, &OPERATION);
            #(#steps)*
            #finish
        }
    }
}

/// The type of the envelope's `result_info`, when the spec declares one.
fn result_info_type(ctx: &Ctx, op: &Operation, module: &Module) -> Option<TokenStream> {
    match (&op.response.decode, &op.response.result_info) {
        (Decode::Envelope, Some(shape)) => Some(ctx.rust_type(shape, module)),
        _ => None,
    }
}

/// The `static PAGINATION` a paged method hands the runtime.
fn pagination_table(ctx: &Ctx, paging: &Pagination) -> TokenStream {
    let root = &ctx.root;
    let path = |p: &Option<Vec<String>>| {
        let keys = p.iter().flatten();
        quote!(&[#(#keys),*])
    };
    let style = paging.style.name();
    let items = &paging.items;
    let next = match (&paging.page_param, paging.style) {
        (Some(param), style) if style.is_page_number() => {
            let param = &param.name;
            let (page, total_pages, total_count) = (
                path(&paging.page),
                path(&paging.total_pages),
                path(&paging.total_count),
            );
            quote!(#root::runtime::NextPage::PageNumber {
                param: #param,
                page: #page,
                total_pages: #total_pages,
                total_count: #total_count,
            })
        }
        (Some(param), _) => {
            let param = &param.name;
            let next = path(&paging.next_cursor);
            quote!(#root::runtime::NextPage::Cursor { param: #param, next: #next })
        }
        (None, _) => quote!(#root::runtime::NextPage::None),
    };
    quote! {
        static PAGINATION: #root::runtime::Pagination = #root::runtime::Pagination {
            style: #style,
            items: &[#(#items),*],
            next: #next,
        };
    }
}

/// How a paged method pages, for its docs.
fn pagination_docs(paging: &Pagination) -> String {
    let items = code(&paging.items.join("."));
    let how = match (&paging.page_param, &paging.next_cursor) {
        (None, _) => format!("one request, items in {items}"),
        (Some(param), next) => {
            let param_name = code(&param.name);
            let undeclared = if param.declared {
                ""
            } else {
                " (not declared in the spec; the response pages by it)"
            };
            match next {
                Some(next) => format!(
                    "the next cursor from {} sent as {param_name}{undeclared}, items in {items}",
                    code(&next.join("."))
                ),
                None => format!("page numbers in {param_name}{undeclared}, items in {items}"),
            }
        }
    };
    let helpers = if paging.page_param.is_none() {
        "`.items()` streams its items, `.pages()` yields the one page with its `result_info`,\n\
         `.collect_all(max)` gathers the items; `.await` returns the result."
    } else {
        "`.items()` streams every item across pages, `.pages()` every page with its\n\
         `result_info`, `.collect_all(max)` gathers them; `.await` returns the first page."
    };
    format!(
        "Paged list ({}): {how}.\n{helpers}",
        code(paging.style.name())
    )
}

fn positional(ctx: &Ctx, p: &Param, module: &Module) -> (TokenStream, TokenStream) {
    let arg = ident(p.ident.as_str());
    let wire = &p.name;
    match &p.shape {
        Shape::String(s) if s.repr() == StringRepr::Plain => (
            quote!(#arg: &str),
            quote!(request = request.path_param(#wire, #arg);),
        ),
        other => {
            let ty = ctx.rust_type(other, module);
            let value = string_expr(other, quote!(#arg));
            (
                quote!(#arg: #ty),
                quote!(request = request.path_param(#wire, &#value);),
            )
        }
    }
}

/// An expression turning a value of this shape into the `String` sent in a path, query or header.
fn string_expr(shape: &Shape, value: TokenStream) -> TokenStream {
    match shape {
        Shape::String(s) if s.repr() == StringRepr::DateTime => {
            quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true))
        }
        Shape::String(_) | Shape::Bytes => quote!(#value.to_string()),
        Shape::Integer(_) | Shape::Number(_) | Shape::Boolean => quote!(#value.to_string()),
        _ => {
            quote!(::serde_json::to_value(&#value).map(|v| match v { ::serde_json::Value::String(s) => s, other => other.to_string() }).unwrap_or_default())
        }
    }
}

fn send_param(f: &Field) -> TokenStream {
    let field = ident(f.ident.as_str());
    let wire = &f.name;
    let (optional, base) = match (&f.shape, f.required) {
        (Shape::Nullable(inner), _) => (true, inner.as_ref()),
        (other, required) => (!required, other),
    };
    let call = |value: TokenStream| match f.location {
        Location::Query => quote!(request = request.query(#wire, #value);),
        Location::Header => quote!(request = request.header(#wire, #value);),
        _ => {
            let cookie = quote!(format!("{}={}", #wire, #value));
            quote!(request = request.header("Cookie", #cookie);)
        }
    };
    let each = match base {
        Shape::Array(a) if f.location == Location::Query => {
            let item = string_expr(&a.items, quote!(item));
            let send = call(item);
            quote!(for item in value { #send })
        }
        other => call(string_expr(other, quote!(value))),
    };
    if optional {
        quote!(if let Some(value) = &params.#field { #each })
    } else {
        quote!({ let value = &params.#field; #each })
    }
}

fn multipart(ctx: &Ctx, s: &crate::ir::Struct) -> TokenStream {
    let root = &ctx.root;
    let parts = s.fields.iter().filter(|f| f.location == Location::Body).map(|f| {
        let field = ident(f.ident.as_str());
        let wire = &f.name;
        // A form part cannot be `null`: a null or absent field sends no part.
        // (Optional nullable fields are `Nullable<T>`, required nullable ones `Option<T>`.)
        let (present, base) = match (&f.shape, f.required) {
            (Shape::Nullable(inner), false) => (
                Some(quote!(#root::runtime::Nullable::Value(value))),
                inner.as_ref(),
            ),
            (Shape::Nullable(inner), true) => (Some(quote!(Some(value))), inner.as_ref()),
            (other, false) => (Some(quote!(Some(value))), other),
            (other, true) => (None, other),
        };
        let add = match base {
            Shape::Bytes => quote!(form = form.file(#wire, #wire, "application/octet-stream", value.clone().into_bytes());),
            Shape::String(_) => quote!(form = form.text(#wire, value.to_string());),
            _ => quote!(form = form.json(#wire, value);),
        };
        match present {
            Some(pattern) => quote!(if let #pattern = &params.#field { #add }),
            None => quote!({ let value = &params.#field; #add }),
        }
    });
    quote! {
        let mut form = #root::runtime::Multipart::new();
        #(#parts)*
        request = request.multipart(form);
    }
}

fn result(ctx: &Ctx, op: &Operation, module: &Module) -> (TokenStream, TokenStream) {
    let response = &op.response;
    let typed = |ctx: &Ctx| {
        let id = response
            .result_type
            .expect("JSON responses have a result type");
        let ty = ctx.type_path(id, module);
        if response.optional {
            quote!(Option<#ty>)
        } else {
            ty
        }
    };
    match response.decode {
        Decode::Envelope => (typed(ctx), quote!(envelope)),
        Decode::Json => (typed(ctx), quote!(plain_json)),
        Decode::Text => (quote!(String), quote!(raw_text)),
        Decode::Bytes => (quote!(Vec<u8>), quote!(raw_bytes)),
        Decode::Empty => (quote!(()), quote!(no_content)),
    }
}

/// Collects the violations of the parameters (and the positional parameter) up
/// front; the runtime refuses to send a request that has any.
fn validation(ctx: &Ctx, op: &Operation) -> Option<TokenStream> {
    let root = &ctx.root;
    let params = op
        .params_type
        .filter(|id| ctx.needs[id.0])
        .map(|_| quote!(#root::runtime::Validate::validate_into(&params, "", out);));
    let positional = op.positional.as_ref().map(|p| {
        let arg = ident(p.ident.as_str());
        let field = format!("path.{}", p.name);
        let checks = super::validate::shape_checks(ctx, &p.shape, &quote!(#field), ctx.needs);
        let value = match &p.shape {
            Shape::String(s) if s.repr() == StringRepr::Plain => quote!(#arg),
            _ => quote!(&#arg),
        };
        (!checks.is_empty()).then(|| quote!({ let value = #value; #checks }))
    });
    let positional = positional.flatten();
    if params.is_none() && positional.is_none() {
        return None;
    }
    Some(quote! {
        let mut violations = Vec::new();
        {
            let out = &mut violations;
            #params
            #positional
        }
        request = request.validate(violations);
    })
}
