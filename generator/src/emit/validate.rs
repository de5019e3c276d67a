//! Client-side validation: an `impl Validate` for every type that carries a
//! constraint somewhere inside it, checking each constraint the spec states
//! before a request is sent. Field paths name where a value sits
//! (`body.organizations[2].id`, `path.account_id`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::shapes::ident;
use super::Ctx;
use crate::ir::{Api, Field, Location, Shape, StringRepr, TypeId, TypeKind};

/// Which named types have something to validate (directly or in a nested type). Only types
/// requests carry are validated: nothing checks a response.
pub fn needs_validation(api: &Api, request_side: &[bool]) -> Vec<bool> {
    let defs = &api.types.defs;
    let mut needs: Vec<bool> = defs
        .iter()
        .zip(request_side)
        .map(|(d, sent)| *sent && own_constraints(&d.kind))
        .collect();
    // Propagate through references until nothing changes (types may be recursive).
    loop {
        let mut changed = false;
        for (i, def) in defs.iter().enumerate() {
            if !needs[i]
                && request_side[i]
                && shapes_of(&def.kind).iter().any(|s| shape_needs(s, &needs))
            {
                needs[i] = true;
                changed = true;
            }
        }
        if !changed {
            return needs;
        }
    }
}

fn shapes_of(kind: &TypeKind) -> Vec<&Shape> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.shape).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
        TypeKind::Alias(shape) => vec![shape],
        TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
    }
}

fn own_constraints(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(s) if s.required_alternatives.is_some())
        || shapes_of(kind).iter().any(|s| shape_needs(s, &[]))
}

/// Whether a shape has a constraint to check (`needs` says which named types do).
fn shape_needs(shape: &Shape, needs: &[bool]) -> bool {
    match shape {
        Shape::String(s) => {
            s.repr() == StringRepr::Plain
                && (s.max_length.is_some()
                    || s.min_length.is_some()
                    || s.pattern.is_some()
                    || !s.allowed.is_empty()
                    || (!s.alternatives.is_empty()
                        && s.alternatives
                            .iter()
                            .all(|a| shape_needs(&Shape::String(a.clone()), needs)))
                    || s.format
                        .as_deref()
                        .is_some_and(|f| format_variant(f).is_some()))
        }
        Shape::Integer(n) | Shape::Number(n) => {
            n.minimum.is_some()
                || n.maximum.is_some()
                || n.multiple_of.is_some()
                || !n.allowed.is_empty()
                || (!n.alternatives.is_empty()
                    && n.alternatives
                        .iter()
                        .all(|a| shape_needs(&Shape::Number(a.clone()), needs)))
        }
        Shape::Array(a) => {
            a.min_items.is_some()
                || a.max_items.is_some()
                || a.unique_items
                || shape_needs(&a.items, needs)
        }
        Shape::Map(v) | Shape::Nullable(v) => shape_needs(v, needs),
        Shape::Named(id) => needs.get(id.0).copied().unwrap_or(false),
        Shape::Boolean | Shape::Any | Shape::Bytes | Shape::Null => false,
    }
}

fn format_variant(format: &str) -> Option<TokenStream> {
    Some(match format {
        "email" => quote!(Email),
        "uuid" => quote!(Uuid),
        "date" => quote!(Date),
        "time" => quote!(Time),
        "uri" | "url" => quote!(Uri),
        "hostname" => quote!(Hostname),
        "ipv4" => quote!(Ipv4),
        "ipv6" => quote!(Ipv6),
        _ => return None,
    })
}

/// Checks of one value: `value` is bound to a reference, `field` evaluates to the `&str` path.
pub fn shape_checks(ctx: &Ctx, shape: &Shape, field: &TokenStream, needs: &[bool]) -> TokenStream {
    let rt = {
        let root = &ctx.root;
        quote!(#root::runtime)
    };
    match shape {
        Shape::String(s) if s.repr() == StringRepr::Plain => {
            let mut checks = Vec::new();
            if let Some(n) = s.min_length {
                checks.push(quote!(#rt::check_min_length(out, #field, value, #n);));
            }
            if let Some(n) = s.max_length {
                checks.push(quote!(#rt::check_max_length(out, #field, value, #n);));
            }
            if let Some(p) = &s.pattern {
                checks.push(quote! {{
                    static PATTERN: #rt::Pattern = #rt::Pattern::new(#p);
                    #rt::check_pattern(out, #field, value, &PATTERN);
                }});
            }
            if let Some(f) = s.format.as_deref().and_then(format_variant) {
                checks.push(quote!(#rt::check_format(out, #field, value, #rt::Format::#f);));
            }
            if !s.allowed.is_empty() {
                let allowed = &s.allowed;
                checks.push(quote!(#rt::check_enum(out, #field, value, &[#(#allowed),*]);));
            }
            if !s.alternatives.is_empty() {
                let each: Vec<TokenStream> = s
                    .alternatives
                    .iter()
                    .map(|a| shape_checks(ctx, &Shape::String(a.clone()), field, needs))
                    .collect();
                let rule = one_of_rule(
                    s.alternatives
                        .iter()
                        .map(|a| describe(&Shape::String(a.clone()))),
                );
                checks.push(any_of_check(
                    ctx,
                    field,
                    &each,
                    &rule,
                    quote!(value.to_string()),
                ));
            }
            quote!(#(#checks)*)
        }
        Shape::Integer(n) | Shape::Number(n) => {
            let number = if matches!(shape, Shape::Integer(_)) {
                quote!(*value as f64)
            } else {
                quote!(*value)
            };
            let mut checks = Vec::new();
            if let Some(m) = n.minimum {
                let m = Literal::f64_suffixed(m);
                let check = if n.exclusive_minimum {
                    quote!(check_exclusive_minimum)
                } else {
                    quote!(check_minimum)
                };
                checks.push(quote!(#rt::#check(out, #field, #number, #m);));
            }
            if let Some(m) = n.maximum {
                let m = Literal::f64_suffixed(m);
                let check = if n.exclusive_maximum {
                    quote!(check_exclusive_maximum)
                } else {
                    quote!(check_maximum)
                };
                checks.push(quote!(#rt::#check(out, #field, #number, #m);));
            }
            if !n.allowed.is_empty() {
                // Numeric enums: compared in their canonical text form (`1`, `2.5`).
                let allowed: Vec<String> = n.allowed.iter().map(|v| v.to_string()).collect();
                checks.push(
                    quote!(#rt::check_enum(out, #field, &value.to_string(), &[#(#allowed),*]);),
                );
            }
            if let Some(m) = n.multiple_of {
                let m = Literal::f64_suffixed(m);
                checks.push(quote!(#rt::check_multiple_of(out, #field, #number, #m);));
            }
            if !n.alternatives.is_empty() {
                let wrap = |a: &crate::ir::NumberShape| match shape {
                    Shape::Integer(_) => Shape::Integer(a.clone()),
                    _ => Shape::Number(a.clone()),
                };
                let each: Vec<TokenStream> = n
                    .alternatives
                    .iter()
                    .map(|a| shape_checks(ctx, &wrap(a), field, needs))
                    .collect();
                let rule = one_of_rule(n.alternatives.iter().map(|a| describe(&wrap(a))));
                checks.push(any_of_check(
                    ctx,
                    field,
                    &each,
                    &rule,
                    quote!(value.to_string()),
                ));
            }
            quote!(#(#checks)*)
        }
        Shape::Array(a) => {
            let mut checks = Vec::new();
            if let Some(n) = a.min_items {
                checks.push(quote!(#rt::check_min_items(out, #field, value.len(), #n);));
            }
            if let Some(n) = a.max_items {
                checks.push(quote!(#rt::check_max_items(out, #field, value.len(), #n);));
            }
            if a.unique_items {
                checks.push(quote!(#rt::check_unique_items(out, #field, value);));
            }
            let inner_field = quote!(&field);
            let items = shape_checks(ctx, &a.items, &inner_field, needs);
            if !items.is_empty() {
                checks.push(quote! {
                    for (index, value) in value.iter().enumerate() {
                        let field = #rt::index_path(#field, index);
                        #items
                    }
                });
            }
            quote!(#(#checks)*)
        }
        Shape::Map(v) => {
            let inner_field = quote!(&field);
            let values = shape_checks(ctx, v, &inner_field, needs);
            if values.is_empty() {
                return values;
            }
            quote! {
                for (key, value) in value.iter() {
                    let field = #rt::field_path(#field, key);
                    #values
                }
            }
        }
        Shape::Nullable(inner) => {
            let checks = shape_checks(ctx, inner, field, needs);
            if checks.is_empty() {
                return checks;
            }
            quote!(if let Some(value) = value { #checks })
        }
        Shape::Named(TypeId(id)) if needs[*id] => {
            quote!(#rt::Validate::validate_into(value, #field, out);)
        }
        _ => TokenStream::new(),
    }
}

/// The checks of one struct field, binding `value` according to its presence rules.
pub fn field_checks(
    ctx: &Ctx,
    f: &Field,
    field: TokenStream,
    needs: &[bool],
    setup: TokenStream,
) -> TokenStream {
    let root = &ctx.root;
    let name = ident(f.ident.as_str());
    let (nullable, base) = match &f.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    let checks = shape_checks(ctx, base, &field, needs);
    if checks.is_empty() {
        return checks;
    }
    match (f.required, nullable) {
        (true, false) => quote!({ let value = &self.#name; #setup #checks }),
        (false, true) => {
            quote!(if let #root::runtime::Nullable::Value(value) = &self.#name { #setup #checks })
        }
        _ => quote!(if let Some(value) = &self.#name { #setup #checks }),
    }
}

/// `impl Validate` for a struct or union that needs it.
pub fn validate_impl(ctx: &Ctx, id: TypeId, needs: &[bool]) -> TokenStream {
    if !needs[id.0] {
        return TokenStream::new();
    }
    let root = &ctx.root;
    let def = ctx.api.types.get(id);
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(s) if s.is_params => {
            let required = required_alternatives_check(ctx, s, quote!("body"));
            let checks = s.fields.iter().map(|f| {
                let path = format!("{}.{}", location_prefix(f.location), f.name);
                let path = if f.location == Location::WholeBody {
                    "body".to_string()
                } else {
                    path
                };
                field_checks(ctx, f, quote!(#path), needs, quote!())
            });
            quote!(#(#checks)* #required)
        }
        TypeKind::Struct(s) => {
            let required = required_alternatives_check(ctx, s, quote!(path));
            let checks = s.fields.iter().map(|f| {
                let wire = &f.name;
                if f.flatten {
                    // The union's fields sit beside this struct's: same path.
                    return field_checks(ctx, f, quote!(path), needs, quote!());
                }
                field_checks(
                    ctx,
                    f,
                    quote!(&field),
                    needs,
                    quote!(let field = #root::runtime::field_path(path, #wire);),
                )
            });
            quote!(#(#checks)* #required)
        }
        TypeKind::Union(u) => {
            let arms: Vec<TokenStream> = u
                .variants
                .iter()
                .filter_map(|v| {
                    let checks = shape_checks(ctx, &v.shape, &quote!(path), needs);
                    let variant = ident(&v.ident);
                    (!checks.is_empty()).then(|| quote!(#name::#variant(value) => { #checks }))
                })
                .collect();
            // `Unknown` (and variants without constraints) have nothing to check.
            let rest = quote!(_ => {});
            quote! {
                match self {
                    #(#arms)*
                    #rest
                }
            }
        }
        TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::External(_) => {
            return TokenStream::new()
        }
    };
    // Parameters structs name their fields from the top (`body.x`), so they ignore `path`.
    let path = if matches!(&def.kind, TypeKind::Struct(s) if s.is_params) {
        quote!(_path)
    } else {
        quote!(path)
    };
    quote! {
        impl #root::runtime::Validate for #name {
            fn validate_into(&self, #path: &str, out: &mut Vec<#root::runtime::Violation>) {
                #body
            }
        }
    }
}

pub fn location_prefix(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body | Location::WholeBody => "body",
    }
}

/// Checks that a value satisfies at least one of several sets of checks (`each`, one
/// token stream of checks per alternative, all appending to `out`).
fn any_of_check(
    ctx: &Ctx,
    field: &TokenStream,
    each: &[TokenStream],
    rule: &str,
    shown: TokenStream,
) -> TokenStream {
    let rt = {
        let root = &ctx.root;
        quote!(#root::runtime)
    };
    // An alternative with nothing to check accepts every value: so does the choice.
    if each.iter().any(TokenStream::is_empty) {
        return TokenStream::new();
    }
    let blocks = each.iter().map(|checks| {
        if checks.is_empty() {
            // An alternative with no checks is always satisfied.
            return quote!({
                let alternative: Vec<#rt::Violation> = Vec::new();
                alternative.is_empty()
            });
        }
        quote! {{
            let mut alternative: Vec<#rt::Violation> = Vec::new();
            {
                let out = &mut alternative;
                #checks
            }
            alternative.is_empty()
        }}
    });
    quote! {
        if !(#(#blocks)||*) {
            out.push(#rt::Violation::new(#field, #rt::Rule::Custom(#rule.to_string()), Some(#shown)));
        }
    }
}

/// "must satisfy one of: at least 30 and at most 86400; one of 1".
fn one_of_rule(alternatives: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = alternatives.collect();
    format!("must satisfy one of: {}", parts.join("; "))
}

/// The constraints of a primitive shape, in words.
fn describe(shape: &Shape) -> String {
    let mut words: Vec<String> = Vec::new();
    match shape {
        Shape::String(s) => {
            if let Some(f) = &s.format {
                words.push(format!("format {f}"));
            }
            if let Some(n) = s.min_length {
                words.push(format!("at least {n} characters"));
            }
            if let Some(n) = s.max_length {
                words.push(format!("at most {n} characters"));
            }
            if let Some(p) = &s.pattern {
                words.push(format!("pattern {p}"));
            }
            if !s.allowed.is_empty() {
                words.push(format!("one of {}", s.allowed.join(", ")));
            }
        }
        Shape::Integer(n) | Shape::Number(n) => {
            if let Some(m) = n.minimum {
                words.push(format!(
                    "{} {m}",
                    if n.exclusive_minimum { ">" } else { ">=" }
                ));
            }
            if let Some(m) = n.maximum {
                words.push(format!(
                    "{} {m}",
                    if n.exclusive_maximum { "<" } else { "<=" }
                ));
            }
            if let Some(m) = n.multiple_of {
                words.push(format!("a multiple of {m}"));
            }
            if !n.allowed.is_empty() {
                let values: Vec<String> = n.allowed.iter().map(f64::to_string).collect();
                words.push(format!("one of {}", values.join(", ")));
            }
        }
        _ => {}
    }
    if words.is_empty() {
        "any value".into()
    } else {
        words.join(" and ")
    }
}

/// The struct-level rule of [`crate::ir::RequiredAlternatives`]: which sets of fields are all
/// present, and whether enough (one for `anyOf`, exactly one for `oneOf`) are.
fn required_alternatives_check(ctx: &Ctx, s: &crate::ir::Struct, path: TokenStream) -> TokenStream {
    let Some(required) = &s.required_alternatives else {
        return TokenStream::new();
    };
    let root = &ctx.root;
    let present = |wire: &str| -> TokenStream {
        let Some(f) = s.fields.iter().find(|f| f.name == wire && !f.flatten) else {
            return quote!(false);
        };
        let name = ident(f.ident.as_str());
        match (&f.shape, f.required) {
            (Shape::Nullable(_), false) => quote!(!self.#name.is_absent()),
            (_, true) => quote!(true),
            (_, false) => quote!(self.#name.is_some()),
        }
    };
    let sets = required.sets.iter().map(|set| {
        let checks = set.iter().map(|wire| present(wire));
        quote!((#(#checks)&&*))
    });
    let described: Vec<String> = required
        .sets
        .iter()
        .map(|set| {
            set.iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    let (test, rule) = if required.exclusive {
        (
            quote!(satisfied != 1),
            format!("must set exactly one of: {}", described.join("; ")),
        )
    } else {
        (
            quote!(satisfied == 0),
            format!("must set at least one of: {}", described.join("; ")),
        )
    };
    quote! {
        {
            let satisfied = [#(#sets),*].iter().filter(|set| **set).count();
            if #test {
                out.push(#root::runtime::Violation::new(#path, #root::runtime::Rule::Custom(#rule.to_string()), None));
            }
        }
    }
}
