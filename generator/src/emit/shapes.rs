//! Shapes → Rust types.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Ctx;
use crate::ir::{Field, Location, Module, Shape, StringRepr, TypeId};

/// An identifier token from a (possibly raw) identifier string.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

impl Ctx<'_> {
    /// The path to a named type, as seen from module `from`.
    pub fn type_path(&self, id: TypeId, from: &Module) -> TokenStream {
        let def = self.api.types.get(id);
        if let crate::ir::TypeKind::External(path) = &def.kind {
            // Checked to be a path when the settings were read.
            return path.parse().unwrap_or_else(|_| quote!(::serde_json::Value));
        }
        let name = ident(&def.name);
        if def.module == *from {
            return quote!(#name);
        }
        let segments = self.module_path(&def.module).into_iter().map(|s| ident(&s));
        let root = &self.root;
        quote!(#root #( :: #segments )* :: #name)
    }

    /// The Rust type of a shape, as seen from module `from`.
    pub fn rust_type(&self, shape: &Shape, from: &Module) -> TokenStream {
        match shape {
            Shape::String(s) => match s.repr() {
                StringRepr::Plain => quote!(String),
                StringRepr::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
            },
            Shape::Integer(n) => match n.format.as_deref() {
                Some("int32") => quote!(i32),
                _ => quote!(i64),
            },
            Shape::Number(_) => quote!(f64),
            Shape::Boolean => quote!(bool),
            Shape::Named(id) => self.type_path(*id, from),
            Shape::Array(a) => {
                let items = self.rust_type(&a.items, from);
                quote!(Vec<#items>)
            }
            Shape::Map(values) => match values.as_ref() {
                Shape::Any => quote!(::serde_json::Map<String, ::serde_json::Value>),
                other => {
                    let v = self.rust_type(other, from);
                    quote!(::std::collections::BTreeMap<String, #v>)
                }
            },
            Shape::Any => quote!(::serde_json::Value),
            // Binary content inside JSON travels as a string.
            Shape::Bytes => quote!(String),
            Shape::Null => quote!(()),
            Shape::Nullable(inner) => {
                let inner = self.rust_type(inner, from);
                quote!(Option<#inner>)
            }
        }
    }

    /// A field's declared type and serde attributes, by required/nullable state:
    /// required → `T`; required nullable → `Option<T>` (sent as `null`);
    /// optional → `Option<T>` (omitted when `None`); optional nullable → `Nullable<T>`
    /// (absent, `null`, or a value).
    pub fn field_type(&self, field: &Field, from: &Module) -> (TokenStream, TokenStream) {
        let (nullable, base) = match &field.shape {
            Shape::Nullable(inner) => (true, inner.as_ref()),
            other => (false, other),
        };
        let mut ty = self.rust_type(base, from);
        if field.boxed {
            ty = quote!(Box<#ty>);
        }
        match (field.required, nullable) {
            (true, false) => (ty, quote!()),
            (true, true) => (quote!(Option<#ty>), quote!(#[serde(default)])),
            (false, false) => (
                quote!(Option<#ty>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            ),
            (false, true) => (
                {
                    let root = &self.root;
                    quote!(#root::runtime::Nullable<#ty>)
                },
                {
                    let skip = format!("{}::runtime::Nullable::is_absent", self.root);
                    quote!(#[serde(default, skip_serializing_if = #skip)])
                },
            ),
        }
    }
}

/// Whether a field lives outside the JSON body (path, query, header, cookie).
pub fn is_out_of_body(field: &Field) -> bool {
    !matches!(field.location, Location::Body | Location::WholeBody)
}
