//! The maintainer's choices that are not in the spec, read from a TOML file
//! (`apigen.toml`) by the CLI (`--config`, or the file beside the spec) and by
//! [`crate::Builder::config`], so both generate the same client from the same spec.
//!
//! ```toml
//! # apigen.toml
//! [auth.env]                      # the environment variable each security scheme is read from
//! api_email = "CLOUDFLARE_EMAIL"
//! user_service_key = "CLOUDFLARE_API_USER_SERVICE_KEY"
//!
//! [pagination]                    # the pagination style of an operation, where detection is wrong
//! "zero_trust.gateway.lists.items.list" = "page_array"   # by SDK name
//! "radar-get-annotations" = "none"                        # or by operationId
//!
//! [types.zones_zone]              # per component schema, by its name in the spec
//! derives = ["Eq", "Hash"]        # more derives on the generated type
//! attributes = ["#[serde(deny_unknown_fields)]"]
//!
//! [types.dns-records_ttl]
//! replace_with = "crate::Ttl"     # use your own type instead of generating one
//!
//! [names]
//! lock = true                     # keep type names in OUT/apigen.lock (the default)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The name a settings file has when the CLI finds it beside the spec.
pub const FILE_NAME: &str = "apigen.toml";

/// Everything a maintainer can set besides the spec. Unknown keys are errors, so a
/// misspelled setting does not silently do nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The file the settings were read from, for error messages.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// Credentials.
    #[serde(default)]
    pub auth: AuthSettings,
    /// Hooks on the types generated from component schemas, by component name.
    #[serde(default)]
    pub types: BTreeMap<String, TypeSettings>,
    /// Type names.
    #[serde(default)]
    pub names: NamesSettings,
    /// The pagination style of operations, by SDK name (`zones.list`) or operationId;
    /// overrides what the generator detects.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationSetting>,
}

/// A value of `[pagination]`: one of the styles (see `ir::PageStyle`), or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaginationSetting {
    /// Page numbers, the items a field of the result.
    Page,
    /// Page numbers, the result is the array.
    PageArray,
    /// `cursor` + `per_page`.
    Cursor,
    /// `cursor` + `limit`.
    CursorLimit,
    /// `cursor`, the next one in `result_info.cursors.after`.
    CursorAfter,
    /// `page_token` → `next_page_token`.
    PageToken,
    /// A list fetched with one request.
    SinglePage,
    /// Not a list: no paging methods.
    None,
}

impl PaginationSetting {
    /// The style it asks for; `None` for `none`.
    pub fn style(self) -> Option<crate::ir::PageStyle> {
        use crate::ir::PageStyle;
        Some(match self {
            PaginationSetting::Page => PageStyle::Page,
            PaginationSetting::PageArray => PageStyle::PageArray,
            PaginationSetting::Cursor => PageStyle::Cursor,
            PaginationSetting::CursorLimit => PageStyle::CursorLimit,
            PaginationSetting::CursorAfter => PageStyle::CursorAfter,
            PaginationSetting::PageToken => PageStyle::PageToken,
            PaginationSetting::SinglePage => PageStyle::SinglePage,
            PaginationSetting::None => return None,
        })
    }
}

/// `[types.<component>]`: what to add to, or use instead of, the type a component schema
/// becomes (as prost-build's `type_attribute` and `extern_path` do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSettings {
    /// Extra derives (paths: `Eq`, `schemars::JsonSchema`).
    #[serde(default)]
    pub derives: Vec<String>,
    /// Extra outer attributes, written out (`#[serde(deny_unknown_fields)]`).
    #[serde(default)]
    pub attributes: Vec<String>,
    /// A Rust type path used wherever the schema appears; nothing is generated for it.
    /// The type must (de)serialize as the schema does, and implement `Clone`, `Debug`,
    /// `PartialEq` and `Default` as generated types do.
    pub replace_with: Option<String>,
}

/// `[names]`: how type names are kept between generations.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamesSettings {
    /// Read and write the names lock, `apigen.lock` in the output directory (see
    /// [`crate::lock`]). On by default; `false` names every type afresh each time.
    #[serde(default = "yes")]
    pub lock: bool,
}

fn yes() -> bool {
    true
}

impl Default for NamesSettings {
    fn default() -> Self {
        NamesSettings { lock: true }
    }
}

/// `[auth]`: how the generated client finds credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// The environment variable `Client::from_env()` reads for each security scheme, by the
    /// scheme's name in the spec. Schemes not listed read `<CRATE>_<SCHEME>`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

impl Settings {
    /// Reads a settings file.
    pub fn from_file(path: &Path) -> Result<Settings> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Settings::from_toml(&text, path)
    }

    /// Parses settings; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Settings> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((0, 0));
            Error::Syntax {
                file: origin.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        settings.check(origin)?;
        let mut settings = settings;
        settings.source = Some(origin.to_path_buf());
        Ok(settings)
    }

    /// The settings file that belongs to a spec: `apigen.toml` in the spec's directory.
    pub fn beside(spec: &Path) -> Option<PathBuf> {
        let candidate = spec.parent().unwrap_or(Path::new("")).join(FILE_NAME);
        candidate.is_file().then_some(candidate)
    }

    /// Checks that every `[types.X]` names a component schema of the spec.
    pub fn check_components<'a>(
        &self,
        mut components: impl Iterator<Item = &'a String>,
    ) -> Result<()> {
        let origin = self.source.as_deref().unwrap_or(Path::new(FILE_NAME));
        let known: std::collections::BTreeSet<&String> = components.by_ref().collect();
        match self.types.keys().find(|name| !known.contains(name)) {
            Some(name) => Err(Error::Spec {
                file: origin.to_path_buf(),
                pointer: format!("types.{name}"),
                message: format!("the spec has no component schema named {name:?}"),
            }),
            None => Ok(()),
        }
    }

    /// The first `[pagination]` entry the IR could not apply, as an error naming the file
    /// and the entry.
    pub fn check_pagination(&self, errors: &[crate::ir::SettingError]) -> Result<()> {
        match errors.first() {
            Some(error) => Err(Error::Spec {
                file: self
                    .source
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(FILE_NAME)),
                pointer: format!("pagination.{:?}", error.key),
                message: error.message.clone(),
            }),
            None => Ok(()),
        }
    }

    fn check(&self, origin: &Path) -> Result<()> {
        let bad = |key: String, message: String| Error::Spec {
            file: origin.to_path_buf(),
            pointer: key,
            message,
        };
        for (name, hooks) in &self.types {
            for derive in &hooks.derives {
                if syn::parse_str::<syn::Path>(derive).is_err() {
                    return Err(bad(
                        format!("types.{name}.derives"),
                        format!("{derive:?} is not a path"),
                    ));
                }
            }
            for attribute in &hooks.attributes {
                let parsed = syn::parse_str::<proc_macro2::TokenStream>(attribute)
                    .ok()
                    .and_then(|t| syn::parse::Parser::parse2(syn::Attribute::parse_outer, t).ok());
                if !matches!(parsed, Some(a) if a.len() == 1) {
                    return Err(bad(
                        format!("types.{name}.attributes"),
                        format!("{attribute:?} is not one outer attribute (`#[...]`)"),
                    ));
                }
            }
            if let Some(path) = &hooks.replace_with {
                if syn::parse_str::<syn::Path>(path).is_err() {
                    return Err(bad(
                        format!("types.{name}.replace_with"),
                        format!("{path:?} is not a type path"),
                    ));
                }
            }
        }
        for (scheme, var) in &self.auth.env {
            let valid = !var.is_empty()
                && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !var.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return Err(Error::Spec {
                    file: origin.to_path_buf(),
                    pointer: format!("auth.env.{scheme}"),
                    message: format!(
                        "{var:?} is not an environment variable name (letters, digits and _)"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_env_names_per_scheme() {
        let s = Settings::from_toml(
            "[auth.env]\napi_email = \"CLOUDFLARE_EMAIL\"\n",
            Path::new("apigen.toml"),
        )
        .unwrap();
        assert_eq!(s.auth.env["api_email"], "CLOUDFLARE_EMAIL");
    }

    #[test]
    fn the_names_lock_is_on_unless_turned_off() {
        let on = Settings::from_toml("", Path::new("apigen.toml")).unwrap();
        assert!(on.names.lock);
        let off = Settings::from_toml("[names]\nlock = false\n", Path::new("apigen.toml")).unwrap();
        assert!(!off.names.lock);
    }

    #[test]
    fn reads_pagination_styles_and_rejects_unknown_ones_with_a_place() {
        let s = Settings::from_toml(
            "[pagination]\n\"zones.list\" = \"page_array\"\nradar-get = \"none\"\n",
            Path::new("apigen.toml"),
        )
        .unwrap();
        assert_eq!(s.pagination["zones.list"], PaginationSetting::PageArray);
        assert_eq!(
            s.pagination["zones.list"].style(),
            Some(crate::ir::PageStyle::PageArray)
        );
        assert_eq!(s.pagination["radar-get"].style(), None);
        let e =
            Settings::from_toml("[pagination]\nx = \"pages\"\n", Path::new("a.toml")).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("a.toml:2:5: syntax error"), "{text}");
        assert!(
            text.contains("page_array"),
            "the message lists the styles: {text}"
        );
    }

    #[test]
    fn empty_file_is_defaults() {
        let settings = Settings::from_toml("", Path::new("apigen.toml")).unwrap();
        assert_eq!(settings.auth, AuthSettings::default());
        assert!(settings.types.is_empty());
        assert_eq!(settings.names, NamesSettings::default());
        assert!(settings.pagination.is_empty());
    }

    #[test]
    fn type_hooks_are_checked() {
        let s = Settings::from_toml(
            "[types.zone]\nderives = [\"Eq\", \"schemars::JsonSchema\"]\nattributes = [\"#[serde(deny_unknown_fields)]\"]\n[types.ttl]\nreplace_with = \"crate::Ttl\"\n",
            Path::new("a.toml"),
        )
        .unwrap();
        assert_eq!(s.types["zone"].derives, ["Eq", "schemars::JsonSchema"]);
        assert_eq!(s.types["ttl"].replace_with.as_deref(), Some("crate::Ttl"));
        for bad in [
            "[types.x]\nderives = [\"not a path\"]",
            "[types.x]\nattributes = [\"serde(x)\"]",
            "[types.x]\nreplace_with = \"a b\"",
        ] {
            let e = Settings::from_toml(bad, Path::new("a.toml")).unwrap_err();
            assert!(e.to_string().contains("types.x."), "{e}");
        }
        let components = ["zone".to_string()];
        let e = s.check_components(components.iter()).unwrap_err();
        assert!(e.to_string().contains("types.ttl"), "{e}");
    }

    #[test]
    fn unknown_keys_and_bad_names_are_errors_with_a_place() {
        let e = Settings::from_toml("[auth]\nenvs = {}\n", Path::new("a.toml")).unwrap_err();
        assert!(e.to_string().starts_with("a.toml:2:1: syntax error"), "{e}");
        let e = Settings::from_toml("[auth.env]\nx = \"A B\"\n", Path::new("a.toml")).unwrap_err();
        assert!(e.to_string().contains("auth.env.x"), "{e}");
    }
}
