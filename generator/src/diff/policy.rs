//! The classification policy: every rule `apigen diff` knows, its stable ID and its level.
//!
//! This is the one place that decides how bad a change is. The comparison
//! ([`super::compare`]) only states facts ("an optional field was added to a type
//! that is sent in requests") by picking a [`Rule`]; the level each rule gets is
//! the [`Rule::level`] table below, so the policy can be audited in one screen.
//!
//! # The generated API this policy assumes
//!
//! * Enums and unions are `#[non_exhaustive]` and keep an `Unknown` catch-all:
//!   an added enum value or union variant is non-breaking; a removed one breaks
//!   code that names it.
//! * Every request-side type (operation parameter structs and the component and
//!   nested types sent in request bodies) is `#[non_exhaustive]`, built with a
//!   constructor taking its required fields plus one setter per optional field:
//!   an added optional field or parameter is a new setter (non-breaking), an added
//!   required one is a new constructor argument (breaking), and a field changing
//!   between required and optional changes the constructor (breaking).
//! * Response structs are `#[non_exhaustive]`: an added response field is
//!   non-breaking. Whether a response type implements `Default` must not depend on
//!   which of its fields are required (else a required response field would break
//!   code that builds one with `Default::default()`).
//! * An added operation is a new method (non-breaking).
//! * Client-side validation checks request values only (never responses) against
//!   the spec's constraints before sending; a tightened request constraint compiles
//!   but can reject a value that used to be sent: behavioural.
//! * Type names are part of the API: a renamed type breaks code that names it,
//!   whether the spec renamed it or our naming did; the two causes have their own
//!   rules so they can be counted apart. With a names lock (`--lock`), a renamed
//!   type whose old name the lock keeps as a `#[deprecated]` alias of the new one
//!   breaks nothing: old code compiles, with a warning.
//! * A paged list method returns a request that still `.await`s to the first page's
//!   result and takes the same options, and adds paging helpers (`.pages()`,
//!   `.items()`, `.collect_all()`) whose item type is the list's: added pagination
//!   is non-breaking, removed pagination breaks code using the helpers, and a change
//!   of style keeps the helpers but requests the pages another way (behavioural; a
//!   change of where the items are changes the result type, a rule of its own).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// How a change affects users of the generated crate, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Existing code compiles and behaves as before.
    NonBreaking,
    /// Existing code compiles, but what it does changes: a request it used to send
    /// may now be rejected by client-side validation, a response it decoded may now
    /// fail to decode, or the server applies another default.
    Behavioural,
    /// Existing code no longer compiles, or fails at run time for usage that was valid.
    Breaking,
}

impl Level {
    /// Every level, most severe first.
    pub const ALL: [Level; 3] = [Level::Breaking, Level::Behavioural, Level::NonBreaking];

    /// The level's stable name (`breaking`, `behavioural`, `non-breaking`).
    pub fn id(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Behavioural => "behavioural",
            Level::NonBreaking => "non-breaking",
        }
    }

    /// A heading for reports.
    pub fn title(self) -> &'static str {
        match self {
            Level::Breaking => "Breaking changes",
            Level::Behavioural => "Behavioural changes",
            Level::NonBreaking => "Non-breaking changes",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Level, String> {
        Level::ALL.into_iter().find(|l| l.id() == s).ok_or_else(|| {
            format!("unknown level {s:?}: expected breaking, behavioural or non-breaking")
        })
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

macro_rules! rules {
    ($( $(#[doc = $doc:literal])* $variant:ident = $id:literal, $level:ident, $addition:literal, $reason:literal; )*) => {
        /// A kind of change, with a stable ID (used in reports and ignore files).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable ID (`request-field-added-optional`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// How severe a change of this kind is: the policy, in one table.
            pub fn level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* }
            }

            /// Whether the change adds API surface (a minor rather than a patch bump).
            pub fn is_addition(self) -> bool {
                match self { $(Rule::$variant => $addition,)* }
            }

            /// Why a change of this kind has its level.
            pub fn reason(self) -> &'static str {
                match self { $(Rule::$variant => $reason,)* }
            }

            /// One line describing the rule.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => concat!($($doc),*).trim_start(),)* }
            }
        }
    };
}

rules! {
    // ----- operations -------------------------------------------------------------------
    /// A method appeared.
    OperationAdded = "operation-added", NonBreaking, true, "new API surface; existing code is unaffected";
    /// A method disappeared.
    OperationRemoved = "operation-removed", Breaking, false, "code calling the method no longer compiles";
    /// The same route is reached through another method name because the spec's SDK names (`x-fern-sdk-*`) changed.
    OperationRenamedBySpec = "operation-renamed-by-spec", Breaking, false, "code calling the old name no longer compiles";
    /// The same route is reached through another method name although its SDK name in the spec is unchanged (our naming: a clash resolved differently).
    OperationRenamedByNaming = "operation-renamed-by-naming", Breaking, false, "code calling the old name no longer compiles";
    /// The operationId changed; the Rust method and the request are unchanged.
    OperationIdChanged = "operation-id-changed", NonBreaking, false, "the operationId is not part of the Rust API";
    /// The method now sends another HTTP method or path.
    RouteChanged = "route-changed", Behavioural, false, "calls compile unchanged but send another request";
    /// The method is now `#[deprecated]`.
    OperationDeprecated = "operation-deprecated", NonBreaking, false, "calls still compile, with a deprecation warning";
    /// The method takes a new argument (a positional path parameter or `params`).
    ArgumentAdded = "argument-added", Breaking, false, "every call must pass one more argument";
    /// The method lost an argument.
    ArgumentRemoved = "argument-removed", Breaking, false, "every call passes an argument too many";
    /// The method returns another type.
    ReturnTypeChanged = "return-type-changed", Breaking, false, "code using the result as the old type no longer compiles";
    /// The method's result became, or stopped being, an `Option`.
    ResultOptionalityChanged = "result-optionality-changed", Breaking, false, "code using the result as the old type no longer compiles";
    /// The method gained pagination (paging helpers on its request).
    PaginationAdded = "pagination-added", NonBreaking, true, "new paging helpers; awaiting the request is unchanged";
    /// The method lost its pagination helpers.
    PaginationRemoved = "pagination-removed", Breaking, false, "code using the paging helpers no longer compiles";
    /// The method pages in another style (cursor, page numbers, single page...).
    PaginationChanged = "pagination-changed", Behavioural, false, "the paging helpers stay; the pages are requested another way";

    // ----- parameters (an operation's params struct: constructor plus setters) ----------
    /// An optional parameter appeared: a new setter.
    ParameterAddedOptional = "parameter-added-optional", NonBreaking, true, "a new setter; existing calls compile";
    /// A required parameter appeared: `new(..)` takes one more argument.
    ParameterAddedRequired = "parameter-added-required", Breaking, false, "`new(..)` takes one more argument";
    /// A parameter disappeared.
    ParameterRemoved = "parameter-removed", Breaking, false, "code passing or setting it no longer compiles";
    /// A parameter became required: it moves from a setter into `new(..)`.
    ParameterMadeRequired = "parameter-made-required", Breaking, false, "`new(..)` gains an argument and the setter goes away";
    /// A parameter became optional: it moves from `new(..)` to a setter.
    ParameterMadeOptional = "parameter-made-optional", Breaking, false, "`new(..)` loses the argument, which becomes a setter";
    /// A path parameter at the same place in the route has another name.
    ParameterRenamed = "parameter-renamed", Breaking, false, "the struct field and its setter are renamed; code naming them no longer compiles";
    /// A parameter travels elsewhere (query to header...); the Rust API is unchanged.
    ParameterMoved = "parameter-moved", NonBreaking, false, "the Rust API is unchanged; only the request sent differs";

    // ----- fields of request-side types (constructor plus setters) ----------------------
    /// An optional field appeared in a type sent in requests: a new setter.
    RequestFieldAddedOptional = "request-field-added-optional", NonBreaking, true, "request types are `#[non_exhaustive]` with setters: a new setter, existing code compiles";
    /// A required field appeared in a type sent in requests: its constructor takes one more argument.
    RequestFieldAddedRequired = "request-field-added-required", Breaking, false, "the type's constructor takes one more argument";
    /// A field of a type sent in requests became required: the constructor changes.
    RequestFieldMadeRequired = "request-field-made-required", Breaking, false, "the type's constructor gains an argument and the setter goes away";
    /// A field of a type sent in requests became optional: the constructor changes.
    RequestFieldMadeOptional = "request-field-made-optional", Breaking, false, "the type's constructor loses the argument, which becomes a setter";

    // ----- fields of response types -----------------------------------------------------
    /// An optional field appeared in a response type.
    ResponseFieldAddedOptional = "response-field-added-optional", NonBreaking, true, "response types are `#[non_exhaustive]`: code reading them is unaffected";
    /// A required field appeared in a response type: responses without it no longer decode.
    ResponseFieldAddedRequired = "response-field-added-required", Behavioural, true, "compiles, but a response without the field (an older server, a recorded fixture) no longer decodes";
    /// A response field became required: its type loses the `Option`.
    ResponseFieldMadeRequired = "response-field-made-required", Breaking, false, "the field's type loses its `Option`: code handling `None` no longer compiles";
    /// A response field became optional: its type becomes an `Option`.
    ResponseFieldMadeOptional = "response-field-made-optional", Breaking, false, "the field's type becomes an `Option`: code reading it as a plain value no longer compiles";
    /// A response field's `required` and `nullable` changed together, leaving its Rust type as it was.
    ResponseFieldPresenceChanged = "response-field-presence-changed", NonBreaking, false, "the Rust type is unchanged; only what the server may send differs";

    // ----- any field --------------------------------------------------------------------
    /// A field disappeared.
    FieldRemoved = "field-removed", Breaking, false, "code setting or reading it no longer compiles";
    /// A field now accepts `null`: its Rust type changes.
    FieldMadeNullable = "field-made-nullable", Breaking, false, "the field's Rust type changes";
    /// A field no longer accepts `null`: its Rust type changes.
    FieldMadeNonNullable = "field-made-non-nullable", Breaking, false, "the field's Rust type changes";
    /// A struct gained a flattened map of additional properties.
    AdditionalPropertiesAdded = "additional-properties-added", NonBreaking, true, "a new flattened map field with a setter; existing code is unaffected";
    /// A struct lost its flattened map of additional properties.
    AdditionalPropertiesRemoved = "additional-properties-removed", Breaking, false, "code using the flattened map no longer compiles";

    // ----- types ------------------------------------------------------------------------
    /// A value's Rust type changed because its JSON type changed.
    TypeChanged = "type-changed", Breaking, false, "code using the old type no longer compiles";
    /// A value's Rust type changed although its JSON type did not: a format or width mapped differently (int32 to int64, date-time to string).
    TypeMappingChanged = "type-mapping-changed", Breaking, false, "same JSON on the wire, but code using the old Rust type no longer compiles";
    /// A named type has another name or module because the spec renamed it (a component, or the component or operation it is part of).
    TypeRenamedBySpec = "type-renamed-by-spec", Breaking, false, "code naming the old type no longer compiles";
    /// A named type has another name or module although the spec names it as before (our naming: numbering or position).
    TypeRenamedByNaming = "type-renamed-by-naming", Breaking, false, "code naming the old type no longer compiles";
    /// A named type has another name or module, and the names lock keeps its old name as a deprecated alias of the new one.
    TypeRenamedWithAlias = "type-renamed-with-alias", NonBreaking, true, "the old name is a `#[deprecated]` alias of the new one: code naming it compiles, with a warning";

    // ----- enums and unions (`#[non_exhaustive]`, with an `Unknown` catch-all) ----------
    /// A string enum gained a value.
    EnumValueAdded = "enum-value-added", NonBreaking, true, "enums are `#[non_exhaustive]` with an `Unknown` catch-all: existing matches compile; the value no longer decodes as `Unknown(..)`";
    /// A string enum lost a value.
    EnumValueRemoved = "enum-value-removed", Breaking, false, "code naming the variant no longer compiles";
    /// A string enum value has another Rust variant name.
    EnumVariantRenamed = "enum-variant-renamed", Breaking, false, "code naming the old variant no longer compiles";
    /// A union gained an alternative.
    UnionVariantAdded = "union-variant-added", NonBreaking, true, "unions are `#[non_exhaustive]` with an `Unknown` catch-all: existing matches compile";
    /// A union lost an alternative.
    UnionVariantRemoved = "union-variant-removed", Breaking, false, "code naming the variant no longer compiles";
    /// A union alternative has another Rust variant name.
    UnionVariantRenamed = "union-variant-renamed", Breaking, false, "code naming the old variant no longer compiles";

    // ----- constraints and defaults -----------------------------------------------------
    /// A constraint on a request value got tighter: client-side validation may reject a value it used to send.
    RequestConstraintTightened = "request-constraint-tightened", Behavioural, false, "compiles, but client-side validation may now reject a value that used to be sent";
    /// A constraint on a request value got looser.
    RequestConstraintLoosened = "request-constraint-loosened", NonBreaking, false, "every value that passed validation still passes";
    /// A constraint on a response value changed; responses are not validated.
    ResponseConstraintChanged = "response-constraint-changed", NonBreaking, false, "responses are not validated by the client";
    /// The default of a request value changed: the server assumes another value when it is not sent.
    RequestDefaultChanged = "request-default-changed", Behavioural, false, "compiles, but the server assumes another value when none is sent";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Rule {
    type Err = String;
    fn from_str(s: &str) -> Result<Rule, String> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id() == s)
            .ok_or_else(|| format!("unknown rule ID {s:?}"))
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Of the rules that apply to the sides a type is reached from, the most severe
/// (the request rule on a tie).
pub fn worst(request: Option<Rule>, response: Option<Rule>) -> Option<Rule> {
    match (request, response) {
        (Some(a), Some(b)) if b.level() > a.level() => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = BTreeSet::new();
        for &rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert_eq!(id.parse::<Rule>(), Ok(rule));
            assert!(!rule.description().is_empty(), "{id}");
        }
        assert!("no-such-rule".parse::<Rule>().is_err());
    }

    #[test]
    fn levels_order_and_parse() {
        assert!(Level::Breaking > Level::Behavioural);
        assert!(Level::Behavioural > Level::NonBreaking);
        for level in Level::ALL {
            assert_eq!(level.id().parse::<Level>(), Ok(level));
        }
        assert!("error".parse::<Level>().is_err());
    }

    /// The policy the generated API is moving to (see the module docs).
    #[test]
    fn additive_changes_are_not_breaking() {
        for rule in [
            Rule::OperationAdded,
            Rule::ParameterAddedOptional,
            Rule::RequestFieldAddedOptional,
            Rule::ResponseFieldAddedOptional,
            Rule::EnumValueAdded,
            Rule::UnionVariantAdded,
            Rule::PaginationAdded,
            Rule::TypeRenamedWithAlias,
        ] {
            assert_eq!(rule.level(), Level::NonBreaking, "{rule}");
            assert!(rule.is_addition(), "{rule}");
        }
        for rule in [
            Rule::ParameterAddedRequired,
            Rule::RequestFieldAddedRequired,
            Rule::EnumValueRemoved,
            Rule::UnionVariantRemoved,
            Rule::TypeRenamedBySpec,
            Rule::TypeRenamedByNaming,
        ] {
            assert_eq!(rule.level(), Level::Breaking, "{rule}");
        }
        for rule in [
            Rule::RequestConstraintTightened,
            Rule::ResponseFieldAddedRequired,
            Rule::RequestDefaultChanged,
        ] {
            assert_eq!(rule.level(), Level::Behavioural, "{rule}");
        }
    }

    #[test]
    fn worst_prefers_the_more_severe_side() {
        let req = Some(Rule::RequestFieldAddedOptional);
        let resp = Some(Rule::ResponseFieldAddedRequired);
        assert_eq!(worst(req, resp), resp);
        assert_eq!(
            worst(Some(Rule::RequestFieldAddedRequired), resp),
            Some(Rule::RequestFieldAddedRequired)
        );
        assert_eq!(worst(None, resp), resp);
        assert_eq!(worst(req, None), req);
        assert_eq!(worst(None, None), None);
    }
}
