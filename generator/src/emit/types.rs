//! Named types → Rust items.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, sanitize};
use super::shapes::{ident, is_out_of_body};
use super::Ctx;
use crate::ir::{Field, Module, Shape, StringEnum, Struct, TypeDef, TypeId, TypeKind, Union};

/// `types.rs`: every component type some operation reaches, each gated by the
/// features of the resources that use it.
pub fn types_rs(ctx: &Ctx) -> TokenStream {
    let mut ids: Vec<TypeId> = (0..ctx.api.types.defs.len())
        .map(TypeId)
        .filter(|id| {
            let def = ctx.api.types.get(*id);
            def.module == Module::Types && !def.used_by.is_empty()
        })
        .collect();
    ids.sort_by(|a, b| ctx.api.types.get(*a).name.cmp(&ctx.api.types.get(*b).name));
    let items = ids.iter().map(|id| {
        let def = ctx.api.types.get(*id);
        let features: Vec<&str> = def.used_by.iter().map(String::as_str).collect();
        let cfg = match features.as_slice() {
            _ if ctx.single_file => quote!(),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        };
        // A type is several items (the type, its impls): each gets the gate.
        let mut items = split_items(type_item(ctx, *id));
        items.extend(split_items(super::validate::validate_impl(
            ctx, *id, ctx.needs,
        )));
        quote!(#(#cfg #items)*)
    });
    quote! {
        //! Types shared by the API's operations (the spec's component schemas).
        #(#items)*
    }
}

/// Which types requests carry: parameters structs and everything they reach.
pub fn request_side(api: &crate::ir::Api) -> Vec<bool> {
    let defs = &api.types.defs;
    let mut sent = vec![false; defs.len()];
    let mut todo: Vec<usize> = defs
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(&d.kind, TypeKind::Struct(s) if s.is_params))
        .map(|(i, _)| i)
        .collect();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut sent[i], true) {
            continue;
        }
        let mut shapes: Vec<&Shape> = match &defs[i].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.shape)
                .chain(&s.additional)
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
            TypeKind::Alias(shape) => vec![shape],
            TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
        };
        while let Some(shape) = shapes.pop() {
            match shape {
                Shape::Named(id) => todo.push(id.0),
                Shape::Array(a) => shapes.push(&a.items),
                Shape::Map(v) | Shape::Nullable(v) => shapes.push(v),
                _ => {}
            }
        }
    }
    sent
}

/// Splits a token stream of items at item boundaries: a top-level `{...}` group
/// or `;` ends an item (outer attributes and docs stay with the item they precede).
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current = Vec::new();
    let mut after_pound = false;
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        // `#[...]` is an attribute, not the end of an item.
        let is_attr_body = after_pound
            && matches!(&tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket);
        after_pound = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '#');
        current.push(tree);
        if ends && !is_attr_body {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// One named type as Rust items.
pub fn type_item(ctx: &Ctx, id: TypeId) -> TokenStream {
    let def = ctx.api.types.get(id);
    let name = ident(&def.name);
    let docs = doc_attrs(&sanitize(def.docs.as_deref().unwrap_or("")));
    match &def.kind {
        TypeKind::Struct(s) if s.is_params => params_struct(ctx, def, s),
        TypeKind::Struct(s) => data_struct(ctx, id, s, docs),
        TypeKind::Enum(e) => string_enum(def, e, docs),
        TypeKind::Union(u) => union(ctx, def, u, docs),
        TypeKind::Alias(shape) => {
            let ty = ctx.rust_type(shape, &def.module);
            quote! { #docs pub type #name = #ty; }
        }
        // The maintainer's own type: nothing to generate.
        TypeKind::External(_) => TokenStream::new(),
    }
}

/// The derives and attributes the maintainer added to a type (settings `[types]`). They were
/// checked when the settings were read, so they parse.
fn maintainer_attributes(def: &TypeDef) -> TokenStream {
    let derives: Vec<TokenStream> = def.derives.iter().filter_map(|d| d.parse().ok()).collect();
    let derive = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
    let attributes = def
        .attributes
        .iter()
        .filter_map(|a| a.parse::<TokenStream>().ok());
    quote!(#derive #(#attributes)*)
}

/// Rustdoc for a field: its description, then its constraints and example.
pub fn field_docs(field: &Field) -> TokenStream {
    let mut text = sanitize(field.docs.as_deref().unwrap_or(""));
    let rules = constraint_notes(&field.shape);
    if !rules.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&rules.join(", "));
        text.push('.');
    }
    if let Some(example) = &field.example {
        if example.len() <= 120 {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!("Example: {}", code(example)));
        }
    }
    if field.read_only {
        text.push_str(if text.is_empty() {
            "Read-only."
        } else {
            "\n\nRead-only."
        });
    }
    doc_attrs(&text)
}

fn constraint_notes(shape: &Shape) -> Vec<String> {
    let mut notes = Vec::new();
    match shape {
        Shape::Nullable(inner) => return constraint_notes(inner),
        Shape::String(s) => {
            if let Some(f) = &s.format {
                notes.push(format!("Format: {}", code(f)));
            }
            match (s.min_length, s.max_length) {
                (Some(a), Some(b)) if a == b => notes.push(format!("exactly {a} characters")),
                (min, max) => {
                    if let Some(a) = min {
                        notes.push(format!("at least {a} characters"));
                    }
                    if let Some(b) = max {
                        notes.push(format!("at most {b} characters"));
                    }
                }
            }
            if let Some(p) = &s.pattern {
                notes.push(format!("pattern {}", code(p)));
            }
        }
        Shape::Integer(n) | Shape::Number(n) => {
            if let Some(m) = n.minimum {
                notes.push(format!(
                    "minimum {m}{}",
                    if n.exclusive_minimum {
                        " (exclusive)"
                    } else {
                        ""
                    }
                ));
            }
            if let Some(m) = n.maximum {
                notes.push(format!(
                    "maximum {m}{}",
                    if n.exclusive_maximum {
                        " (exclusive)"
                    } else {
                        ""
                    }
                ));
            }
        }
        Shape::Array(a) => {
            if let Some(n) = a.min_items {
                notes.push(format!("at least {n} items"));
            }
            if let Some(n) = a.max_items {
                notes.push(format!("at most {n} items"));
            }
        }
        _ => {}
    }
    if let Some(first) = notes.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().collect::<String>() + chars.as_str();
        }
    }
    notes
}

fn all_optional(s: &Struct) -> bool {
    s.fields.iter().all(|f| !f.required)
}

fn data_struct(ctx: &Ctx, id: TypeId, s: &Struct, docs: TokenStream) -> TokenStream {
    let def = ctx.api.types.get(id);
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| {
        let (ty, attrs) = ctx.field_type(f, &def.module);
        let field_ident = ident(f.ident.as_str());
        let docs = field_docs(f);
        if f.flatten {
            return quote! { #docs #[serde(flatten)] pub #field_ident: #ty, };
        }
        let wire = &f.name;
        let rename = if f.ident.bare() != wire {
            quote!(#[serde(rename = #wire)])
        } else {
            quote!()
        };
        quote! { #docs #rename #attrs pub #field_ident: #ty, }
    });
    let extra = s.additional.as_ref().map(|shape| {
        let ty = match shape {
            crate::ir::Shape::Any => quote!(::serde_json::Map<String, ::serde_json::Value>),
            other => {
                let v = ctx.rust_type(other, &def.module);
                quote!(::std::collections::BTreeMap<String, #v>)
            }
        };
        quote! {
            /// Properties not declared by the schema.
            #[serde(flatten)]
            pub additional_properties: #ty,
        }
    });
    // Requests build values with `new` and setters; everything else starts from `Default`.
    let builder = ctx.request_side[id.0].then(|| {
        let methods = builder_methods(
            ctx,
            def,
            s,
            "A value with every required field; optional ones are set with the builder methods.",
        );
        quote! { impl #name { #methods } }
    });
    let hooks = maintainer_attributes(def);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        #hooks
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #builder
    }
}

fn string_enum(def: &TypeDef, e: &StringEnum, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let hooks = maintainer_attributes(def);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = &v.value;
        let doc = doc_attrs(&code(value));
        quote! { #doc #[serde(rename = #value)] #variant, }
    });
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = &v.value;
        quote! { #name::#variant => #value, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #hooks
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet.
            #[serde(untagged)]
            Unknown(String),
        }

        impl Default for #name {
            /// No value: `Unknown("")` (what a response that left the field out decodes to).
            fn default() -> Self {
                #name::Unknown(String::new())
            }
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    #name::Unknown(other) => other,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn union(ctx: &Ctx, def: &TypeDef, u: &Union, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let hooks = maintainer_attributes(def);
    let variant_types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let ty = ctx.rust_type(&v.shape, &def.module);
            if v.boxed {
                quote!(Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let variants = u.variants.iter().zip(&variant_types).map(|(v, ty)| {
        let variant = ident(&v.ident);
        let mut text = sanitize(v.docs.as_deref().unwrap_or(""));
        if !v.tags.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!(
                "Selected by `{}`: {}.",
                u.discriminator
                    .clone()
                    .unwrap_or_default()
                    .replace('`', "'"),
                v.tags
                    .iter()
                    .map(|t| code(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let doc = doc_attrs(&text);
        quote! { #doc #variant(#ty), }
    });
    let conversions = union_conversions(ctx, def, u);
    let tagged = u.discriminator.is_some() && u.variants.iter().any(|v| !v.tags.is_empty());
    let unknown = quote! {
        /// A value that matches no variant this client knows (the API may have added one).
        Unknown(::serde_json::Value),
    };
    let default = quote! {
        impl Default for #name {
            /// No value: `Unknown(null)` (what a response that left the field out decodes to).
            fn default() -> Self {
                #name::Unknown(::serde_json::Value::Null)
            }
        }
    };
    if !tagged {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #hooks
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #unknown
            }
            #default
            #conversions
        };
    }
    // Tagged: the discriminator picks the variant; an unknown tag falls back to
    // trying each variant in order (the API adds variants over time).
    let property = u.discriminator.clone().unwrap_or_default();
    // A tag selects the first variant that claims it (two members may be the same
    // component, so claim the same tag; a second arm would be unreachable).
    let mut claimed = std::collections::BTreeSet::new();
    let variant_tags: Vec<Vec<&String>> = u
        .variants
        .iter()
        .map(|v| {
            v.tags
                .iter()
                .filter(|t| claimed.insert(t.as_str()))
                .collect()
        })
        .collect();
    let arms = u.variants.iter().zip(&variant_types).zip(&variant_tags).filter(|(_, tags)| !tags.is_empty()).map(|((v, ty), tags)| {
        let variant = ident(&v.ident);
        quote! {
            #(Some(#tags))|* => ::serde_json::from_value::<#ty>(value).map(#name::#variant).map_err(::serde::de::Error::custom),
        }
    });
    let fallbacks = u.variants.iter().zip(&variant_types).map(|(v, ty)| {
        let variant = ident(&v.ident);
        quote! {
            if let Ok(inner) = ::serde_json::from_value::<#ty>(value.clone()) {
                return Ok(#name::#variant(inner));
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #hooks
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }

        #default

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#property).and_then(::serde_json::Value::as_str) {
                    #(#arms)*
                    _ => {
                        #(#fallbacks)*
                        Ok(#name::Unknown(value))
                    }
                }
            }
        }

        #conversions
    }
}

/// `From` each variant's type, so a function taking `impl Into<Union>` accepts a variant's
/// value directly. Variants sharing a type (ambiguous) get none.
fn union_conversions(ctx: &Ctx, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| ctx.rust_type(&v.shape, &def.module))
        .collect();
    let spelled: Vec<String> = types.iter().map(ToString::to_string).collect();
    let impls = u
        .variants
        .iter()
        .zip(&types)
        .enumerate()
        .filter_map(|(i, (v, ty))| {
            if spelled.iter().filter(|s| **s == spelled[i]).count() > 1 {
                return None;
            }
            let variant = ident(&v.ident);
            let doc = format!(" Wraps a value in [`{}::{}`].", def.name, v.ident);
            let value = if v.boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            Some(quote! {
                impl From<#ty> for #name {
                    #[doc = #doc]
                    fn from(value: #ty) -> Self {
                        #name::#variant(#value)
                    }
                }
            })
        });
    quote!(#(#impls)*)
}

/// An operation's parameters struct: path, query and header parameters are
/// skipped by serde; body fields serialize as the JSON body.
fn params_struct(ctx: &Ctx, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    // Written by the generator (with an intra-doc link), so not sanitized.
    let docs = doc_attrs(def.docs.as_deref().unwrap_or(""));
    let default = if all_optional(s) {
        quote!(Default,)
    } else {
        quote!()
    };
    let fields = s.fields.iter().map(|f| {
        let (ty, attrs) = ctx.field_type(f, &def.module);
        let field_ident = ident(f.ident.as_str());
        let wire = &f.name;
        let serde_attrs = if is_out_of_body(f) || f.location == crate::ir::Location::WholeBody {
            quote!(#[serde(skip)])
        } else if f.ident.bare() != wire {
            quote!(#[serde(rename = #wire)] #attrs)
        } else {
            attrs
        };
        let docs = field_docs(f);
        quote! { #docs #serde_attrs pub #field_ident: #ty, }
    });
    let methods = builder_methods(
        ctx,
        def,
        s,
        "Parameters with every required value; optional ones are set with the builder methods.",
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #methods
        }
    }
}

/// `new` (every required field that is not a constant, as `impl Into<T>`) and one setter per
/// optional field (plus `clear_*` for nullable ones). An optional field added later is one
/// more setter, so it breaks no caller.
fn builder_methods(ctx: &Ctx, def: &TypeDef, s: &Struct, doc: &str) -> TokenStream {
    let constants: Vec<Option<TokenStream>> = s
        .fields
        .iter()
        .map(|f| f.required.then(|| constant(ctx, def, f)).flatten())
        .collect();
    let args: Vec<&Field> = s
        .fields
        .iter()
        .zip(&constants)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| f)
        .collect();
    let params = args.iter().map(|f| {
        let field_ident = ident(f.ident.as_str());
        let ty = arg_type(ctx, def, f);
        quote!(#field_ident: impl Into<#ty>)
    });
    let inits = s.fields.iter().zip(&constants).map(|(f, constant)| {
        let field_ident = ident(f.ident.as_str());
        match (f.required, constant) {
            (false, _) => quote!(#field_ident: Default::default(),),
            (true, Some(value)) => quote!(#field_ident: #value,),
            (true, None) if f.boxed => quote!(#field_ident: Box::new(#field_ident.into()),),
            (true, None) => quote!(#field_ident: #field_ident.into(),),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: Default::default(),));
    let many_args = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let clear_names = clear_names(s);
    let setters = s
        .fields
        .iter()
        .zip(&clear_names)
        .filter(|(f, _)| !f.required)
        .map(|(f, clear)| setter(ctx, def, f, clear.as_deref()));
    let doc = format!(" {doc}");
    quote! {
        #[doc = #doc]
        #many_args
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* #additional }
        }

        #(#setters)*
    }
}

/// The declared type of a required field, without the `Box` that breaks a cycle.
fn arg_type(ctx: &Ctx, def: &TypeDef, f: &Field) -> TokenStream {
    let (nullable, base) = match &f.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let ty = ctx.rust_type(base, &def.module);
    if nullable {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The value of a required field that can only have one (a single-value enum, such as a
/// record's `type: A`): the constructor fills it in.
fn constant(ctx: &Ctx, def: &TypeDef, f: &Field) -> Option<TokenStream> {
    let Shape::Named(id) = &f.shape else {
        return None;
    };
    let TypeKind::Enum(e) = &ctx.api.types.get(*id).kind else {
        return None;
    };
    let [only] = e.variants.as_slice() else {
        return None;
    };
    let ty = ctx.type_path(*id, &def.module);
    let variant = ident(&only.ident);
    let value = quote!(#ty::#variant);
    Some(if f.boxed {
        quote!(Box::new(#value))
    } else {
        value
    })
}

/// Per field, the name of its `clear_*` method (optional nullable fields only): `clear_`
/// and the field's name, numbered when a setter already has that name (a field named
/// `clear_foo` next to a nullable `foo`).
fn clear_names(s: &Struct) -> Vec<Option<String>> {
    let mut taken: std::collections::BTreeSet<String> = s
        .fields
        .iter()
        .map(|f| f.ident.as_str().to_string())
        .collect();
    taken.insert("new".into());
    s.fields
        .iter()
        .map(|f| {
            if f.required || !matches!(f.shape, Shape::Nullable(_)) {
                return None;
            }
            let wanted = format!("clear_{}", f.ident.bare());
            let name = std::iter::once(wanted.clone())
                .chain((2..).map(|n| format!("{wanted}{n}")))
                .find(|candidate| !taken.contains(candidate))
                .expect("an unbounded range always yields a free name");
            taken.insert(name.clone());
            Some(name)
        })
        .collect()
}

fn setter(ctx: &Ctx, def: &TypeDef, f: &Field, clear_name: Option<&str>) -> TokenStream {
    let field_ident = ident(f.ident.as_str());
    let (nullable, base) = match &f.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let mut ty = ctx.rust_type(base, &def.module);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let doc = doc_attrs(&format!("Sets {}.", code(&f.name)));
    let root = &ctx.root;
    let wrap = if nullable {
        quote!(#root::runtime::Nullable::Value(value.into()))
    } else {
        quote!(Some(value.into()))
    };
    let clear = clear_name.map(|clear_name| {
        let clear_ident = ident(clear_name);
        let doc = doc_attrs(&format!(
            "Sends {} as `null`, which clears it.",
            code(&f.name)
        ));
        quote! {
            #doc
            pub fn #clear_ident(mut self) -> Self {
                self.#field_ident = #root::runtime::Nullable::Null;
                self
            }
        }
    });
    quote! {
        #doc
        pub fn #field_ident(mut self, value: impl Into<#ty>) -> Self {
            self.#field_ident = #wrap;
            self
        }
        #clear
    }
}
