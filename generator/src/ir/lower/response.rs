//! Success and error responses: the envelope, the result type, declared errors.

use openapiv3::{ReferenceOr, Schema, StatusCode};

use super::super::view::{SchemaRef, Target, View};
use super::all_of::add_declaration;
use super::operation::{body_encoding, media_rank};
use super::union::Member;
use super::{first_line, schema_pointer, Hint, Lowerer, ObjectParts, Prop};
use crate::error::pointer_token;
use crate::ir::*;

impl<'a> Lowerer<'a> {
    pub(super) fn success_response(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        module: &Module,
        base: &str,
    ) -> Response {
        let mut candidates: Vec<(String, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((c.to_string(), r)),
                StatusCode::Range(2) => Some(("2XX".to_string(), r)),
                _ => None,
            })
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let chosen = candidates.into_iter().next().or_else(|| {
            op.responses
                .default
                .as_ref()
                .map(|r| ("default".to_string(), r))
        });
        let empty = |status: String, description: Option<String>| Response {
            status,
            content_type: None,
            decode: Decode::Empty,
            result_type: None,
            optional: false,
            description,
        };
        let Some((status, r)) = chosen else {
            return empty("204".into(), None);
        };
        let r_pointer = format!("{pointer}/responses/{}", pointer_token(&status));
        let response = match self.resolver.response(r) {
            Target::Found(_, r) => r,
            Target::Missing(reason) => {
                self.fallback(&r_pointer, format!("{reason}; response body ignored"));
                return empty(status, None);
            }
        };
        let description = first_line(&Some(response.description.clone()));
        let mut media: Vec<(&String, &'a openapiv3::MediaType)> = response.content.iter().collect();
        media.sort_by_key(|(m, _)| (media_rank(m), (*m).clone()));
        let Some((content_type, media_type)) = media.first().copied() else {
            return empty(status, description);
        };
        let result_name = format!("{base}Response");
        let hint = Hint {
            module: module.clone(),
            name: result_name.clone(),
            pointer: format!("{r_pointer}/content/{}/schema", pointer_token(content_type)),
        };
        let (decode, shape, optional) = match (body_encoding(content_type), &media_type.schema) {
            (BodyEncoding::Json, Some(schema)) => {
                let r: SchemaRef<'a> = schema.into();
                let envelope = self.envelope_result(r, &hint.pointer);
                let result = match envelope {
                    Some(EnvelopeResult::Prop(result, required)) => {
                        let result_hint = Hint {
                            pointer: result.pointer().to_string(),
                            ..hint.clone()
                        };
                        Some((self.lower_prop(&result, &result_hint), required))
                    }
                    Some(EnvelopeResult::OneOf(members, required)) => Some((
                        self.lower_members(members, None, false, None, &hint, None),
                        required,
                    )),
                    None => None,
                };
                match result {
                    Some((shape, required)) => {
                        let nullable = matches!(shape, Shape::Nullable(_));
                        let optional = nullable || !required;
                        let shape = match shape {
                            Shape::Nullable(inner) => *inner,
                            s => s,
                        };
                        (Decode::Envelope, shape, optional)
                    }
                    None => (Decode::Json, self.lower(r, &hint), false),
                }
            }
            (BodyEncoding::Json, None) => (Decode::Json, Shape::Any, false),
            (BodyEncoding::Text, _) => (Decode::Text, Shape::String(StringShape::default()), false),
            _ => (Decode::Bytes, Shape::Bytes, false),
        };
        let result_type = match shape {
            Shape::Named(id)
                if self.defs[id.0].module == *module && self.defs[id.0].name == result_name =>
            {
                id
            }
            other => {
                let id = self.new_type(&hint);
                self.defs[id.0].kind = TypeKind::Alias(other);
                id
            }
        };
        Response {
            status,
            content_type: Some(content_type.clone()),
            decode,
            result_type: Some(result_type),
            optional,
            description,
        }
    }

    pub(super) fn error_responses(&mut self, op: &'a openapiv3::Operation) -> Vec<ErrorResponse> {
        let mut out = Vec::new();
        let declared = op
            .responses
            .responses
            .iter()
            .map(|(c, r)| (c.to_string(), r))
            .filter(|(c, _)| !c.starts_with('2'))
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_string(), r)),
            );
        for (status, r) in declared {
            let Target::Found(_, response) = self.resolver.response(r) else {
                continue;
            };
            let schemas: Vec<&'a Schema> = response
                .content
                .values()
                .filter_map(|m| m.schema.as_ref())
                .filter_map(|s| self.resolver.deref(s.into()))
                .collect();
            let envelope = schemas.into_iter().any(|s| {
                self.object_parts(&View::of(s), "")
                    .props
                    .contains_key("errors")
            });
            out.push(ErrorResponse {
                status,
                description: first_line(&Some(response.description.clone())),
                envelope,
            });
        }
        out.sort_by(|a, b| a.status.cmp(&b.status));
        out
    }

    /// The `result` of a `{success, errors, messages, result}` envelope, if the schema is one.
    ///
    /// Envelopes are sometimes listed under `anyOf`: complete envelopes with different
    /// results (the result is one of theirs), or the common envelope and then
    /// `{result: ...}` where `allOf` is meant (merged, and the report says so).
    fn envelope_result(&mut self, schema: SchemaRef<'a>, here: &str) -> Option<EnvelopeResult<'a>> {
        let view = View::of(self.resolver.deref(schema)?);
        let pointer = schema_pointer(schema, here);
        let parts = self.object_parts(&view, &pointer);
        if is_envelope(&parts) {
            return Some(EnvelopeResult::Prop(
                parts.props["result"].clone(),
                parts.required.contains("result"),
            ));
        }
        let [(alternatives, list)] = parts.alternatives.as_slice() else {
            return None;
        };
        let mut envelopes = Vec::new();
        for (i, member) in alternatives.members.iter().enumerate() {
            let member_ref = SchemaRef::from(member);
            let member_pointer = schema_pointer(member_ref, &format!("{list}/{i}"));
            let member_view = View::of(self.resolver.deref(member_ref)?);
            envelopes.push((
                member_pointer.clone(),
                self.object_parts(&member_view, &member_pointer),
            ));
        }
        if envelopes.iter().all(|(_, p)| is_envelope(p)) {
            let required = envelopes.iter().all(|(_, p)| p.required.contains("result"));
            let mut members: Vec<Member<'a>> = Vec::new();
            for (_, p) in &envelopes {
                let decls = self.refined_decls(&p.props["result"]);
                match decls.as_slice() {
                    [] => {}
                    [(decl, at)] => members.push(Member {
                        schema: *decl,
                        pointer: at.clone(),
                        declared_by: None,
                    }),
                    _ => return None,
                }
            }
            return Some(EnvelopeResult::OneOf(members, required));
        }
        let mut merged = ObjectParts::default();
        for (_, member_parts) in envelopes {
            merge_props(&mut merged, member_parts);
        }
        merge_props(&mut merged, parts.clone_props());
        if !is_envelope(&merged) {
            return None;
        }
        self.fallback(
            pointer,
            "envelope parts listed under oneOf/anyOf; read as allOf",
        );
        Some(EnvelopeResult::Prop(
            merged.props["result"].clone(),
            parts.required.contains("result"),
        ))
    }
}

/// Where an envelope's result comes from.
enum EnvelopeResult<'a> {
    /// The `result` property (and whether the envelope requires it).
    Prop(Prop<'a>, bool),
    /// Alternative envelopes: the result is one of their results.
    OneOf(Vec<Member<'a>>, bool),
}

fn is_envelope(parts: &ObjectParts) -> bool {
    parts.props.contains_key("result") && parts.props.contains_key("success")
}

/// Adds every declaration of `from`'s properties to `into`.
fn merge_props<'a>(into: &mut ObjectParts<'a>, from: ObjectParts<'a>) {
    for (name, prop) in from.props {
        for (decl, pointer) in prop.decls.into_iter().zip(prop.pointers) {
            add_declaration(into, &name, decl, pointer);
        }
    }
}
