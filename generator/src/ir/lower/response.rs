//! Success and error responses: the envelope, the result type, declared errors.

use openapiv3::{ReferenceOr, Schema, StatusCode};

use super::super::view::{SchemaRef, Target, View};
use super::operation::{body_encoding, media_rank};
use super::{first_line, schema_pointer, Hint, Lowerer};
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
                let envelope = self
                    .resolver
                    .deref(r)
                    .map(View::of)
                    .map(|v| self.object_parts(&v, &schema_pointer(r, &hint.pointer)))
                    .filter(|p| p.props.contains_key("result") && p.props.contains_key("success"));
                match envelope {
                    Some(parts) => {
                        let result = parts.props["result"].clone();
                        let result_hint = Hint {
                            pointer: result.pointer.clone(),
                            ..hint.clone()
                        };
                        let shape = self.lower(result.schema, &result_hint);
                        let nullable = result.force_nullable || matches!(shape, Shape::Nullable(_));
                        let optional = nullable || !parts.required.contains("result");
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
                    Some((self.resolver.deref(r)?, schema_pointer(r, &here)))
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
}
