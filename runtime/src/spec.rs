//! The static description of an API that the generator emits: its defaults,
//! security schemes and operations. The runtime reads it, never the spec.

use reqwest::Method;

/// Static description of the API, emitted once by the generator.
#[derive(Debug)]
pub struct ApiSpec {
    /// Base URL used when none is configured, e.g. `https://api.cloudflare.com/client/v4`.
    pub default_base_url: &'static str,
    /// Environment variable read by [`ClientBuilder::from_env`](super::ClientBuilder::from_env)
    /// for the base URL (empty: none).
    pub base_url_env: &'static str,
    /// `User-Agent` sent with every request.
    pub user_agent: &'static str,
    /// Security schemes declared by the API.
    pub security_schemes: &'static [SecurityScheme],
}

impl ApiSpec {
    /// Looks up a security scheme by its name in the specification.
    pub fn scheme(&self, name: &str) -> Option<&'static SecurityScheme> {
        self.security_schemes.iter().find(|s| s.name == name)
    }
}

/// One security scheme of the API (`components.securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the specification, e.g. `api_token`.
    pub name: &'static str,
    /// How the credential is sent.
    pub kind: AuthKind,
    /// Environment variable read by [`ClientBuilder::from_env`](super::ClientBuilder::from_env),
    /// e.g. `CLOUDFLARE_API_TOKEN`.
    pub env_var: Option<&'static str>,
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic <base64(secret)>`; the secret is `username:password`.
    Basic,
    /// The secret is sent as the value of this header, e.g. `X-Auth-Key`.
    Header(&'static str),
    /// The secret is sent as this query parameter.
    Query(&'static str),
    /// The secret is sent as this cookie.
    Cookie(&'static str),
}

/// Static description of one operation, emitted by the generator.
#[derive(Debug)]
pub struct Operation {
    /// The `operationId`, used in tracing and errors.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, e.g. `/accounts/{account_id}/users/{user_id}`.
    pub path: &'static str,
    /// Accepted credential sets: the first alternative whose schemes are all
    /// configured is used. An empty slice means the operation needs no auth.
    pub security: &'static [&'static [&'static str]],
}

#[cfg(test)]
pub(crate) mod tests {
    //! Fixtures shared by the unit tests of other modules.

    use super::*;

    pub static SCHEMES: &[SecurityScheme] = &[
        SecurityScheme {
            name: "api_email",
            kind: AuthKind::Header("X-Auth-Email"),
            env_var: Some("APIGEN_RUNTIME_TEST_EMAIL"),
        },
        SecurityScheme {
            name: "api_key",
            kind: AuthKind::Header("X-Auth-Key"),
            env_var: Some("APIGEN_RUNTIME_TEST_KEY"),
        },
        SecurityScheme {
            name: "api_token",
            kind: AuthKind::Bearer,
            env_var: Some("APIGEN_RUNTIME_TEST_TOKEN"),
        },
        SecurityScheme {
            name: "basic",
            kind: AuthKind::Basic,
            env_var: None,
        },
        SecurityScheme {
            name: "query_key",
            kind: AuthKind::Query("api_key"),
            env_var: None,
        },
        SecurityScheme {
            name: "session",
            kind: AuthKind::Cookie("session"),
            env_var: None,
        },
    ];

    pub static SPEC: ApiSpec = ApiSpec {
        default_base_url: "https://api.example.com/v4",
        base_url_env: "APIGEN_RUNTIME_TEST_BASE_URL",
        user_agent: "example-rust/test",
        security_schemes: SCHEMES,
    };

    /// `GET /accounts/{account_id}/users/{user_id}`: email + key, or a token.
    pub static GET_USER: Operation = Operation {
        id: "users-get",
        method: Method::GET,
        path: "/accounts/{account_id}/users/{user_id}",
        security: &[&["api_email", "api_key"], &["api_token"]],
    };

    /// `POST /search`: a token.
    pub static SEARCH: Operation = Operation {
        id: "search",
        method: Method::POST,
        path: "/search",
        security: &[&["api_token"]],
    };

    /// `GET /ips`: no auth.
    pub static LIST_IPS: Operation = Operation {
        id: "ips-list",
        method: Method::GET,
        path: "/ips",
        security: &[],
    };

    #[test]
    fn schemes_are_found_by_their_spec_name() {
        assert_eq!(
            SPEC.scheme("api_token").map(|s| s.kind),
            Some(AuthKind::Bearer)
        );
        assert_eq!(
            SPEC.scheme("session").map(|s| s.kind),
            Some(AuthKind::Cookie("session"))
        );
        assert!(
            SPEC.scheme("API_TOKEN").is_none(),
            "names are case-sensitive"
        );
        assert!(SPEC.scheme("").is_none());
    }
}
