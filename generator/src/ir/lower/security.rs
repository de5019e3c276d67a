//! `components.securitySchemes` → [`SecurityScheme`]s.

use openapiv3::ReferenceOr;

use super::super::names::{escape_value_ident, snake, Namespace};
use super::{first_line, BuildOptions, Lowerer};
use crate::error::pointer_token;
use crate::ir::*;

impl<'a> Lowerer<'a> {
    // ----- security ------------------------------------------------------------------------

    pub(super) fn security_schemes(&mut self, options: &BuildOptions) -> Vec<SecurityScheme> {
        let Some(components) = self.spec.components.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut names: Vec<&String> = components.security_schemes.keys().collect();
        names.sort();
        let mut setters = Namespace::with_reserved(&[
            "build",
            "new",
            "credential",
            "from_env",
            "base_url",
            "timeout",
            "connect_timeout",
            "max_retries",
            "retry_delays",
            "default_header",
            "validation",
            "http_client",
        ]);
        for name in names {
            let pointer = format!("#/components/securitySchemes/{}", pointer_token(name));
            let scheme = match &components.security_schemes[name] {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.fallback(
                        pointer,
                        "referenced security scheme is not supported; ignored",
                    );
                    continue;
                }
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, description) = match scheme {
                S::HTTP {
                    scheme,
                    description,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (AuthKind::Bearer, description),
                    "basic" => (AuthKind::Basic, description),
                    other => {
                        self.fallback(
                            pointer,
                            format!("http scheme {other:?} is not supported; ignored"),
                        );
                        continue;
                    }
                },
                S::APIKey {
                    location,
                    name: key,
                    description,
                    ..
                } => {
                    let kind = match location {
                        APIKeyLocation::Header => AuthKind::Header(key.clone()),
                        APIKeyLocation::Query => AuthKind::Query(key.clone()),
                        APIKeyLocation::Cookie => AuthKind::Cookie(key.clone()),
                    };
                    (kind, description)
                }
                S::OAuth2 {
                    flows, description, ..
                } => {
                    // The token obtained by the flow is sent as a bearer token.
                    let source = flows
                        .client_credentials
                        .as_ref()
                        .map(|f| f.token_url.clone())
                        .or_else(|| {
                            flows
                                .authorization_code
                                .as_ref()
                                .map(|f| f.token_url.clone())
                        })
                        .or_else(|| flows.password.as_ref().map(|f| f.token_url.clone()))
                        .or_else(|| flows.implicit.as_ref().map(|f| f.authorization_url.clone()));
                    (AuthKind::AccessToken { source }, description)
                }
                S::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    AuthKind::AccessToken {
                        source: Some(open_id_connect_url.clone()),
                    },
                    description,
                ),
            };
            let env_var = options
                .env_vars
                .get(name.as_str())
                .cloned()
                .unwrap_or_else(|| {
                    format!(
                        "{}_{}",
                        options.env_prefix,
                        snake(name, false).to_ascii_uppercase()
                    )
                });
            out.push(SecurityScheme {
                name: name.clone(),
                setter: escape_value_ident(setters.claim(&snake(name, false))),
                kind,
                env_var,
                description: first_line(description),
            });
        }
        out
    }
}
