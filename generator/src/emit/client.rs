//! `lib.rs`: module tree, the static API description, and the `Client`
//! constructors, credential setters and resource accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, inline, inner_doc_attrs, sanitize};
use super::shapes::ident;
use super::{Analysis, Ctx, EmitOptions};
use crate::ir::AuthKind;

pub fn lib_rs(ctx: &Ctx, options: &EmitOptions, analysis: &Analysis) -> TokenStream {
    let api = ctx.api;
    let root = &ctx.root;
    let mut crate_doc = format!(
        "Rust client for the {} (version {}).",
        inline(&api.title),
        inline(&api.version)
    );
    if let Some(description) = &api.description {
        crate_doc.push_str("\n\n");
        crate_doc.push_str(&sanitize(description));
    }
    let top = &api.resources[0];
    let modules = top.children.iter().map(|(name, index)| {
        let feature = name.bare();
        let name = ident(name.as_str());
        if ctx.single_file {
            let body = super::resources::resource_rs(ctx, *index);
            quote!(pub mod #name { #body })
        } else {
            quote! {
                #[cfg(feature = #feature)]
                pub mod #name;
            }
        }
    });
    let gate = |feature: &str| (!ctx.single_file).then(|| quote!(#[cfg(feature = #feature)]));
    let accessors = top.children.iter().map(|(name, index)| {
        let feature = name.bare();
        let handle = ident(&api.resources[*index].handle);
        let doc = format!(" The `{feature}` resource.");
        let name = ident(name.as_str());
        let gate = gate(feature);
        quote! {
            #[doc = #doc]
            #gate
            pub fn #name(&self) -> #name::#handle<'_> {
                #name::#handle::new(self)
            }
        }
    });
    let base_url = api.base_url.clone().unwrap_or_default();
    let prefix = options.crate_name.to_uppercase().replace('-', "_");
    let base_url_env = format!("{prefix}_BASE_URL");
    let from_env_doc = format!(" `{base_url_env}`.");
    let user_agent = format!("{}-rust/{}", options.crate_name, options.crate_version);
    let schemes = api.security_schemes.iter().map(|s| {
        let name = &s.name;
        let env = &s.env_var;
        let kind = match &s.kind {
            AuthKind::Bearer | AuthKind::AccessToken { .. } => quote!(Bearer),
            AuthKind::Basic => quote!(Basic),
            AuthKind::Header(h) => quote!(Header(#h)),
            AuthKind::Query(q) => quote!(Query(#q)),
            AuthKind::Cookie(c) => quote!(Cookie(#c)),
        };
        quote! {
            #root::runtime::SecurityScheme { name: #name, kind: #root::runtime::AuthKind::#kind, env_var: Some(#env) }
        }
    });
    let setters = api.security_schemes.iter().map(|s| {
        let setter = ident(s.setter.as_str());
        let name = &s.name;
        let how = match &s.kind {
            AuthKind::Bearer => "Sent as `Authorization: Bearer <value>`.".to_string(),
            AuthKind::Basic => {
                "Give `user:password`; sent base64-encoded as `Authorization: Basic ...`."
                    .to_string()
            }
            AuthKind::AccessToken { source } => {
                let from = source
                    .as_ref()
                    .map(|s| format!(" (from {})", code(s)))
                    .unwrap_or_default();
                format!("Give an access token you obtained{from}: the client does not run the OAuth flow. Sent as `Authorization: Bearer <value>`.")
            }
            AuthKind::Header(h) => format!("Sent in the {} header.", code(h)),
            AuthKind::Query(q) => format!("Sent as the {} query parameter.", code(q)),
            AuthKind::Cookie(c) => format!("Sent as the {} cookie.", code(c)),
        };
        let mut text = format!(
            "Sets the {} credential. {how} Read from {} by [`ClientBuilder::from_env`].",
            code(name),
            code(&s.env_var)
        );
        if let Some(d) = &s.description {
            text = format!("{}\n\n{text}", sanitize(d));
        }
        let docs = doc_attrs(&text);
        quote! {
            #docs
            pub fn #setter(self, value: impl Into<String>) -> Self {
                self.credential(#name, value)
            }
        }
    });
    // `include!` accepts no inner attributes, and a vendored runtime is spliced in as text.
    let crate_docs = (!ctx.single_file).then(|| inner_doc_attrs(&crate_doc));
    // Deeply nested types need more than rustc's default (see `limits`). An included
    // file cannot set it: the including crate does.
    let recursion_limit = analysis
        .recursion_limit
        .filter(|_| !ctx.single_file)
        .map(|n| {
            let n = n.to_string();
            quote!(#![recursion_limit = #n])
        });
    let runtime_mod = if !options.runtime.is_vendored() {
        Some(quote!(
            pub use ::apigen_runtime as runtime;
        ))
    } else {
        (!ctx.single_file).then(|| {
            quote!(
                pub mod runtime;
            )
        })
    };
    // A client depending on the runtime crate wraps its `Client` and
    // `ClientBuilder` (they get inherent methods below); a vendoring one re-exports them.
    let (client_types, reexports) = if options.runtime.is_vendored() {
        (
            None,
            quote!(
                ApiRequest,
                ApiResponse,
                Client,
                ClientBuilder,
                Error,
                Nullable,
                RequestOptions
            ),
        )
    } else {
        (
            Some(super::newtypes::client_types()),
            quote!(ApiRequest, ApiResponse, Error, Nullable, RequestOptions),
        )
    };
    let types_mod = if ctx.single_file {
        let body = super::types::types_rs(ctx);
        quote!(pub mod types { #body })
    } else {
        quote!(
            pub mod types;
        )
    };
    quote! {
        #crate_docs
        #recursion_limit
        #runtime_mod
        #types_mod
        #(#modules)*

        pub use runtime::{#reexports};

        #client_types

        /// What the runtime needs to know about this API.
        static API_SPEC: runtime::ApiSpec = runtime::ApiSpec {
            default_base_url: #base_url,
            base_url_env: #base_url_env,
            user_agent: #user_agent,
            security_schemes: &[#(#schemes),*],
        };

        impl Client {
            /// A builder with this API's defaults (base URL, timeouts, retries).
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(&API_SPEC)
            }

            /// A client configured from the environment: credentials from their
            /// variables (see the [`ClientBuilder`] setters) and the base URL from
            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Client, Error> {
                Self::builder().from_env().build()
            }

            #(#accessors)*
        }

        impl ClientBuilder {
            #(#setters)*
        }
    }
}
