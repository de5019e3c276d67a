//! `Client` and `ClientBuilder` of a client that depends on the runtime crate.
//!
//! A vendoring client re-exports the runtime's `Client` and `ClientBuilder`
//! and adds this API's methods to them (resource accessors, credential
//! setters). Types of another crate cannot get inherent methods, so a client
//! that depends on `apigen-runtime` wraps them instead: `Client` dereferences
//! to the runtime's client, and `ClientBuilder` forwards every builder method.
//! The forwarded methods are listed here; a test keeps the list equal to the
//! runtime's own.

use proc_macro2::TokenStream;
use quote::quote;

/// A method of the runtime's `ClientBuilder` that takes and returns the builder.
struct Forwarded {
    name: &'static str,
    /// Name and type of each parameter after `self`.
    params: &'static [(&'static str, &'static str)],
    docs: &'static str,
}

/// The builder methods to forward, in the runtime's order.
const BUILDER_METHODS: &[Forwarded] = &[
    Forwarded {
        name: "credential",
        params: &[("scheme_name", "&str"), ("secret", "impl Into<String>")],
        docs: "Sets the credential of the security scheme named `scheme_name`\n(replacing an earlier one). [`build`](Self::build) fails if the API has\nno such scheme or the secret cannot be sent in a header.",
    },
    Forwarded {
        name: "from_env",
        params: &[],
        docs: "Reads each scheme's environment variable and the base URL's. Values\nalready set on the builder are kept; empty variables are ignored.",
    },
    Forwarded {
        name: "base_url",
        params: &[("url", "impl Into<String>")],
        docs: "Overrides the base URL (`http` or `https`, without query or fragment).",
    },
    Forwarded {
        name: "timeout",
        params: &[("timeout", "impl Into<Option<std::time::Duration>>")],
        docs: "Timeout of each attempt, from connecting to reading the whole body\n(default 60 s); `None` disables it.",
    },
    Forwarded {
        name: "connect_timeout",
        params: &[("timeout", "std::time::Duration")],
        docs: "Connect timeout (default 5 s). Ignored with [`http_client`](Self::http_client).",
    },
    Forwarded {
        name: "max_retries",
        params: &[("max_retries", "u32")],
        docs: "Number of retries after the first attempt (default 2).",
    },
    Forwarded {
        name: "retry_delays",
        params: &[("initial", "std::time::Duration"), ("max", "std::time::Duration")],
        docs: "Delay before retry `n` (from 0) is `min(initial * 2^n, max)`, reduced by\nup to 25 % jitter (defaults 0.5 s and 8 s).",
    },
    Forwarded {
        name: "default_header",
        params: &[("name", "impl Into<String>"), ("value", "impl Into<String>")],
        docs: "Adds a header sent with every request.",
    },
    Forwarded {
        name: "validation",
        params: &[("enabled", "bool")],
        docs: "Turns client-side validation of parameters on (default) or off.",
    },
    Forwarded {
        name: "http_client",
        params: &[("client", "runtime::reqwest::Client")],
        docs: "Uses this `reqwest` client for the transport (its own connect timeout,\nproxy and TLS settings apply).",
    },
];

/// The two wrapper types, their `Deref`, and the forwarding methods, for the
/// root module (where `runtime` is in scope).
pub fn client_types() -> TokenStream {
    let forwarders = BUILDER_METHODS.iter().map(|method| {
        let name = super::shapes::ident(method.name);
        let docs = super::docs::doc_attrs(method.docs);
        let names: Vec<_> = method
            .params
            .iter()
            .map(|(n, _)| super::shapes::ident(n))
            .collect();
        let types = method
            .params
            .iter()
            .map(|(_, t)| t.parse::<TokenStream>().unwrap_or_default());
        quote! {
            #docs
            pub fn #name(self, #(#names: #types),*) -> Self {
                ClientBuilder(self.0.#name(#(#names),*))
            }
        }
    });
    quote! {
        /// A configured client of this API: the runtime's [`runtime::Client`]
        /// (which it dereferences to) with this API's resources. Cheap to
        /// clone; clones share connections.
        #[derive(Clone, Debug)]
        pub struct Client(runtime::Client);

        impl std::ops::Deref for Client {
            type Target = runtime::Client;

            fn deref(&self) -> &runtime::Client {
                &self.0
            }
        }

        impl From<Client> for runtime::Client {
            fn from(client: Client) -> runtime::Client {
                client.0
            }
        }

        impl Client {
            /// A copy of this client whose requests use these overrides (merged over
            /// the overrides this client already has). Connections are shared.
            pub fn with_options(&self, options: RequestOptions) -> Client {
                Client(self.0.with_options(options))
            }
        }

        /// Configures and builds a [`Client`]: the runtime's
        /// [`runtime::ClientBuilder`] with this API's credential setters.
        #[derive(Debug)]
        pub struct ClientBuilder(runtime::ClientBuilder);

        impl ClientBuilder {
            /// A builder with the defaults of the API described by `spec`.
            pub fn new(spec: &'static runtime::ApiSpec) -> Self {
                ClientBuilder(runtime::ClientBuilder::new(spec))
            }

            #(#forwarders)*

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, Error> {
                self.0.build().map(Client)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the `pub fn`s in `impl <type_name>` blocks of a runtime module.
    fn runtime_methods(module: &str, type_name: &str) -> Vec<(String, String)> {
        let source = super::super::runtime::MODULES
            .iter()
            .find(|m| m.name == module)
            .expect("the module exists")
            .source;
        let file = syn::parse_file(source).expect("the runtime parses");
        let mut methods = Vec::new();
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if block.trait_.is_some() {
                continue;
            }
            let syn::Type::Path(self_ty) = &*block.self_ty else {
                continue;
            };
            if !self_ty.path.is_ident(type_name) {
                continue;
            }
            for item in block.items {
                if let syn::ImplItem::Fn(f) = item {
                    if matches!(f.vis, syn::Visibility::Public(_)) {
                        let output = match &f.sig.output {
                            syn::ReturnType::Default => String::new(),
                            syn::ReturnType::Type(_, ty) => quote!(#ty).to_string(),
                        };
                        methods.push((f.sig.ident.to_string(), output));
                    }
                }
            }
        }
        methods
    }

    #[test]
    fn every_builder_method_of_the_runtime_is_forwarded() {
        let runtime: Vec<String> = runtime_methods("config", "ClientBuilder")
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name != "new" && name != "build")
            .collect();
        let forwarded: Vec<&str> = BUILDER_METHODS.iter().map(|m| m.name).collect();
        assert_eq!(
            runtime, forwarded,
            "keep BUILDER_METHODS equal to the runtime's builder"
        );
        for method in BUILDER_METHODS {
            for (_, ty) in method.params {
                let parsed: syn::Type = syn::parse_str(ty).expect("a parameter type parses");
                assert!(!quote!(#parsed).is_empty());
            }
        }
    }

    #[test]
    fn client_methods_returning_a_client_are_wrapped() {
        // Everything else is reached through `Deref`.
        let returning_client: Vec<String> = runtime_methods("client", "Client")
            .into_iter()
            .filter(|(_, output)| output == "Client")
            .map(|(name, _)| name)
            .collect();
        assert_eq!(returning_client, ["with_options"]);
    }

    #[test]
    fn names_the_ir_keeps_free_include_every_runtime_method() {
        // A resource accessor or credential setter named like a runtime method would
        // shadow it (or fail to compile): the IR reserves these names.
        for (module, type_name, reserved) in [
            ("client", "Client", crate::ir::CLIENT_METHOD_NAMES),
            ("config", "ClientBuilder", crate::ir::BUILDER_METHOD_NAMES),
        ] {
            let methods = runtime_methods(module, type_name);
            assert!(!methods.is_empty(), "{type_name} has methods");
            for (name, _) in methods {
                assert!(
                    reserved.contains(&name.as_str()),
                    "{type_name}::{name} is missing from the IR's reserved names"
                );
            }
        }
    }
}
