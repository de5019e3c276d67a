//! Success and error responses: the envelope, the result type, declared errors.

use openapiv3::{ReferenceOr, Schema, StatusCode};

use super::super::view::{SchemaRef, Target, View};
use super::all_of::add_declaration;
use super::operation::{body_encoding, media_rank};
use super::union::Member;
use super::{first_line, Hint, Lowerer, ObjectParts, Prop};
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
            result_info: None,
            meta: None,
            description,
        };
        let Some((status, r)) = chosen else {
            return empty("204".into(), None);
        };
        let r_pointer = format!("{pointer}/responses/{}", pointer_token(&status));
        let (response, declared_at) = match self.resolver.response(r) {
            Target::Found("", r) => (r, r_pointer.clone()),
            // A shared response: pointers name where it is declared.
            Target::Found(component, r) => (
                r,
                format!("#/components/responses/{}", pointer_token(component)),
            ),
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
            pointer: format!(
                "{declared_at}/content/{}/schema",
                pointer_token(content_type)
            ),
        };
        self.report_unread_bodies(op, &status, &r_pointer, &declared_at, &media);
        let mut result_info = None;
        let mut meta = None;
        let (decode, shape, optional) = match (body_encoding(content_type), &media_type.schema) {
            (BodyEncoding::Json, Some(schema)) => {
                let r: SchemaRef<'a> = schema.into();
                let envelope = self.envelope(r, &hint.pointer);
                let result = match envelope {
                    Some(Envelope {
                        result,
                        required,
                        mut rest,
                    }) => {
                        if let Some(info) = rest.props.remove("result_info") {
                            let info_hint = Hint {
                                pointer: info.pointer().to_string(),
                                name: format!("{base}ResultInfo"),
                                ..hint.clone()
                            };
                            result_info = Some(match self.lower_prop(&info, &info_hint) {
                                Shape::Nullable(inner) => *inner,
                                other => other,
                            });
                        }
                        for known in ["success", "errors", "messages"] {
                            rest.props.remove(known);
                        }
                        if !rest.props.is_empty() {
                            // Members beside `result` that the SDKs drop: kept, typed.
                            rest.required.retain(|r| rest.props.contains_key(r));
                            rest.alternatives.clear();
                            rest.non_objects.clear();
                            rest.additional = None;
                            let meta_hint = Hint {
                                name: format!("{base}Meta"),
                                ..hint.clone()
                            };
                            meta = Some(self.lower_parts(
                                rest,
                                &super::all_of::EMPTY_DATA,
                                &meta_hint,
                                None,
                                None,
                            ));
                        }
                        let shape = match result {
                            EnvelopeResult::Prop(result) => {
                                let result_hint = Hint {
                                    pointer: result.pointer().to_string(),
                                    ..hint.clone()
                                };
                                self.lower_prop(&result, &result_hint)
                            }
                            EnvelopeResult::OneOf(members) => {
                                self.lower_members(members, None, false, None, &hint, None)
                            }
                        };
                        Some((shape, required))
                    }
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
            (encoding, schema) => {
                if let Some(schema) = schema {
                    let at = self.resolver.declared_at(schema.into(), &hint.pointer);
                    if !self.property_names(schema.into()).is_empty() {
                        self.fallback(
                            at,
                            format!("an object schema for {content_type}, which is not JSON; the body is returned unparsed"),
                        );
                    }
                }
                match encoding {
                    BodyEncoding::Text => {
                        (Decode::Text, Shape::String(StringShape::default()), false)
                    }
                    _ => (Decode::Bytes, Shape::Bytes, false),
                }
            }
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
            result_info,
            meta,
            description,
        }
    }

    /// Reports the success bodies that are not decoded: other media types of the chosen
    /// response and other 2xx responses, when their schema differs from the decoded one.
    fn report_unread_bodies(
        &mut self,
        op: &'a openapiv3::Operation,
        chosen_status: &str,
        chosen_pointer: &str,
        declared_at: &str,
        media: &[(&String, &'a openapiv3::MediaType)],
    ) {
        let decoded = media.first().and_then(|(_, m)| m.schema.as_ref());
        for (content_type, m) in media.iter().skip(1) {
            if m.schema.is_some() && m.schema.as_ref() != decoded {
                self.fallback(
                    format!("{declared_at}/content/{}", pointer_token(content_type)),
                    "another media type of the success response; not decoded (the client reads the first)",
                );
            }
        }
        let base = chosen_pointer
            .rsplit_once("/responses/")
            .map(|(b, _)| b.to_string())
            .unwrap_or_default();
        for (code, r) in &op.responses.responses {
            let status = code.to_string();
            let success = matches!(code, StatusCode::Code(c) if (200..300).contains(c))
                || matches!(code, StatusCode::Range(2));
            if !success || status == chosen_status {
                continue;
            }
            let Target::Found(_, response) = self.resolver.response(r) else {
                continue;
            };
            let differs = response
                .content
                .values()
                .any(|m| m.schema.is_some() && m.schema.as_ref() != decoded);
            if differs {
                self.fallback(
                    format!("{base}/responses/{}", pointer_token(&status)),
                    format!("another success response with a different body; the client decodes {chosen_status} only"),
                );
            }
        }
    }

    pub(super) fn error_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<ErrorResponse> {
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
            let Target::Found(name, response) = self.resolver.response(r) else {
                continue;
            };
            let base = if name.is_empty() {
                format!("{pointer}/responses/{}", pointer_token(&status))
            } else {
                format!("#/components/responses/{}", pointer_token(name))
            };
            // Where each media type's schema is, for what merging it may report.
            let schemas: Vec<(&'a Schema, String)> = response
                .content
                .iter()
                .filter_map(|(media, m)| {
                    let r: SchemaRef<'a> = m.schema.as_ref()?.into();
                    let here = format!("{base}/content/{}/schema", pointer_token(media));
                    Some((self.resolver.deref(r)?, self.resolver.declared_at(r, &here)))
                })
                .collect();
            let envelope = schemas.into_iter().any(|(s, at)| {
                self.object_parts(&View::of(s), &at)
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

    /// The parts of a `{success, errors, messages, result}` envelope, if the schema is one.
    ///
    /// Envelopes are sometimes listed under `anyOf`: complete envelopes with different
    /// results (the result is one of theirs), or the common envelope and then
    /// `{result: ...}` where `allOf` is meant (merged, and the report says so).
    fn envelope(&mut self, schema: SchemaRef<'a>, here: &str) -> Option<Envelope<'a>> {
        let view = View::of(self.resolver.deref(schema)?);
        let pointer = self.resolver.declared_at(schema, here);
        let mut parts = self.object_parts(&view, &pointer);
        if is_envelope(&parts) {
            let required = parts.required.contains("result");
            let result = parts.props.remove("result")?;
            return Some(Envelope {
                result: EnvelopeResult::Prop(result),
                required,
                rest: parts,
            });
        }
        let [(alternatives, list)] = parts.alternatives.as_slice() else {
            return None;
        };
        let mut envelopes = Vec::new();
        for (i, member) in alternatives.members.iter().enumerate() {
            let member_ref = SchemaRef::from(member);
            let member_pointer = self
                .resolver
                .declared_at(member_ref, &format!("{list}/{i}"));
            let member_view = View::of(self.resolver.deref(member_ref)?);
            envelopes.push(self.object_parts(&member_view, &member_pointer));
        }
        if envelopes.iter().all(is_envelope) {
            let required = envelopes.iter().all(|p| p.required.contains("result"));
            let mut members: Vec<Member<'a>> = Vec::new();
            let mut rest = ObjectParts::default();
            for mut member in envelopes {
                let result = member.props.remove("result")?;
                match self.refined_decls(&result).as_slice() {
                    [] => {}
                    [(decl, at)] => members.push(Member {
                        schema: *decl,
                        pointer: at.clone(),
                        declared_by: None,
                    }),
                    _ => return None,
                }
                merge_props(&mut rest, member);
            }
            return Some(Envelope {
                result: EnvelopeResult::OneOf(members),
                required,
                rest,
            });
        }
        let mut merged = ObjectParts::default();
        for member_parts in envelopes {
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
        let result = merged.props.remove("result")?;
        Some(Envelope {
            result: EnvelopeResult::Prop(result),
            required: parts.required.contains("result"),
            rest: merged,
        })
    }
}

/// A success envelope, taken apart.
struct Envelope<'a> {
    result: EnvelopeResult<'a>,
    /// The envelope requires `result`.
    required: bool,
    /// Its other members (`success`, `errors`, `messages`, `result_info`, and any others).
    rest: ObjectParts<'a>,
}

/// Where an envelope's result comes from.
enum EnvelopeResult<'a> {
    /// The `result` property.
    Prop(Prop<'a>),
    /// Alternative envelopes: the result is one of their results.
    OneOf(Vec<Member<'a>>),
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
        if let Some(merged) = into.props.get_mut(&name) {
            for source in prop.sources {
                if !merged.sources.contains(&source) {
                    merged.sources.push(source);
                }
            }
        }
    }
}
