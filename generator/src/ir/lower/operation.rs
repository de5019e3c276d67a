//! Operations: parameters, request bodies, the parameters struct, security and docs.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ReferenceOr};
use serde_json::Value;

use super::super::names::{
    assign_unique, escape_value_ident, pascal, singular, snake, Namespace, RustIdent,
};
use super::super::view::{SchemaRef, Target, View};
use super::pagination::ListOperation;
use super::resources::sdk_name;
use super::{first_line, Hint, Lowerer, ObjectParts, OpSeed};
use crate::error::pointer_token;
use crate::ir::*;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operation_of<'a>(
    item: &'a openapiv3::PathItem,
    method: &str,
) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    // ----- operations ----------------------------------------------------------------------

    pub(super) fn collect_operations(&mut self) -> Vec<OpSeed<'a>> {
        let spec = self.spec;
        let mut paths: Vec<(&'a String, &'a ReferenceOr<openapiv3::PathItem>)> =
            spec.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut seeds = Vec::new();
        for (path, item) in paths {
            let item_pointer = format!("#/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.fallback(item_pointer, format!("path item $ref {reference:?} is not supported; its operations are missing"));
                    continue;
                }
            };
            for method in METHODS {
                let Some(op) = operation_of(item, method) else {
                    continue;
                };
                let (group, wanted_method) = sdk_name(op, path, method);
                seeds.push(OpSeed {
                    pointer: format!("{item_pointer}/{method}"),
                    path: path.clone(),
                    http_method: method,
                    op,
                    path_item_params: &item.parameters,
                    group,
                    wanted_method,
                });
            }
        }
        seeds
    }

    pub(super) fn operation(
        &mut self,
        seed: OpSeed<'a>,
        resource: usize,
        method_name: RustIdent,
        resources: &[Resource],
    ) -> Operation {
        let op = seed.op;
        let module = Module::Resource(resource);
        let noun = resources[resource]
            .path
            .last()
            .map(|i| pascal(&singular(i.bare()), false))
            .unwrap_or_default();
        let base = format!("{noun}{}", pascal(method_name.bare(), false));
        let pointer = seed.pointer.clone();

        // Parameters: path item's, overridden by the operation's (same name and location).
        let mut params: BTreeMap<(Location, String), Param> = BTreeMap::new();
        let sources = seed
            .path_item_params
            .iter()
            .map(|p| (p, "parameters".to_string(), true))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("parameters/{i}"), false)),
            );
        for (p, rel, from_item) in sources {
            let p_pointer = if from_item {
                format!("#/paths/{}/parameters", pointer_token(&seed.path))
            } else {
                format!("{pointer}/{rel}")
            };
            let param = match self.resolver.parameter(p) {
                Target::Found(_, param) => param,
                Target::Missing(reason) => {
                    self.fallback(p_pointer, format!("{reason}; parameter omitted"));
                    continue;
                }
            };
            let (location, data) = match param {
                Parameter::Path { parameter_data, .. } => (Location::Path, parameter_data),
                Parameter::Query { parameter_data, .. } => (Location::Query, parameter_data),
                Parameter::Header { parameter_data, .. } => (Location::Header, parameter_data),
                Parameter::Cookie { parameter_data, .. } => (Location::Cookie, parameter_data),
            };
            let hint = Hint {
                module: module.clone(),
                name: format!("{base}{}", pascal(&data.name, false)),
                pointer: format!("{p_pointer}/schema"),
            };
            let shape = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.lower(s.into(), &hint),
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.fallback(
                        &p_pointer,
                        "parameter with `content` is sent as a JSON string",
                    );
                    Shape::String(StringShape::default())
                }
            };
            let docs = first_line(&data.description).or_else(|| match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self
                    .resolver
                    .deref(s.into())
                    .and_then(|s| first_line(&s.schema_data.description)),
                _ => None,
            });
            let default = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self
                    .resolver
                    .deref(s.into())
                    .and_then(|s| s.schema_data.default.as_ref())
                    .map(|d| d.to_string()),
                _ => None,
            };
            // `null` means nothing in a path, query or header: only "absent" or a value.
            let shape = match shape {
                Shape::Nullable(inner) => *inner,
                other => other,
            };
            params.insert(
                (location, data.name.clone()),
                Param {
                    name: data.name.clone(),
                    ident: RustIdent(String::new()),
                    location,
                    shape,
                    required: data.required || location == Location::Path,
                    docs,
                    default,
                },
            );
        }
        // Path parameters in template order, then the rest sorted by location and name.
        let template_names = path_template_names(&seed.path);
        let mut path_params: Vec<Param> = Vec::new();
        for name in &template_names {
            match params.remove(&(Location::Path, name.clone())) {
                Some(p) => path_params.push(p),
                None => {
                    self.fallback(
                        &pointer,
                        format!(
                            "path parameter {name:?} is not declared; generated a string parameter"
                        ),
                    );
                    path_params.push(Param {
                        name: name.clone(),
                        ident: RustIdent(String::new()),
                        location: Location::Path,
                        shape: Shape::String(StringShape::default()),
                        required: true,
                        docs: None,
                        default: None,
                    });
                }
            }
        }
        for ((location, name), _) in params.iter().filter(|((l, _), _)| *l == Location::Path) {
            self.fallback(
                &pointer,
                format!("{location:?} parameter {name:?} is not in the path template; ignored"),
            );
        }
        params.retain(|(l, _), _| *l != Location::Path);
        let positional = if path_params.len() >= 2 {
            path_params.pop()
        } else {
            None
        };

        // Body.
        let mut body = None;
        let mut body_parts: Option<ObjectParts<'a>> = None;
        let mut body_required: Option<RequiredAlternatives> = None;
        let mut whole_body: Option<Shape> = None;
        if let Some(rb) = &op.request_body {
            let mut rb_pointer = format!("{pointer}/requestBody");
            match self.resolver.request_body(rb) {
                Target::Missing(reason) => {
                    self.fallback(&rb_pointer, format!("{reason}; body omitted"))
                }
                Target::Found(component, rb) => {
                    if !component.is_empty() {
                        // A shared request body: pointers name where it is declared.
                        rb_pointer =
                            format!("#/components/requestBodies/{}", pointer_token(component));
                    }
                    let mut media: Vec<(&String, &openapiv3::MediaType)> =
                        rb.content.iter().collect();
                    media.sort_by_key(|(m, _)| (media_rank(m), (*m).clone()));
                    if let Some((content_type, media_type)) = media.first() {
                        let encoding = body_encoding(content_type);
                        let mt_pointer = format!(
                            "{rb_pointer}/content/{}/schema",
                            pointer_token(content_type)
                        );
                        match (&media_type.schema, encoding) {
                            (
                                Some(schema),
                                BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart,
                            ) => {
                                let r: SchemaRef<'a> = schema.into();
                                let flat = self.resolver.deref(r).map(View::of).filter(|v| {
                                    (v.properties.is_some_and(|p| !p.is_empty())
                                        || !v.all_of.is_empty())
                                        && !v.data.nullable
                                });
                                let parts = flat
                                    .map(|v| {
                                        self.object_parts(
                                            &v,
                                            &self.resolver.declared_at(r, &mt_pointer),
                                        )
                                    })
                                    .filter(|p| p.non_objects.is_empty() && !p.props.is_empty());
                                // A body object flattens into the parameters struct when its
                                // alternatives, if any, only say which fields are required.
                                let parts = parts.and_then(|p| match p.alternatives.as_slice() {
                                    [] => Some((p, None)),
                                    [(alternatives, list)] => {
                                        let (alternatives, list) = (*alternatives, list.clone());
                                        self.requirement_alternatives(&p, alternatives, &list)
                                            .map(|required| (p, required))
                                    }
                                    _ => None,
                                });
                                match parts {
                                    Some((parts, required)) => {
                                        body_parts = Some(parts);
                                        body_required = required;
                                    }
                                    None => {
                                        let hint = Hint {
                                            module: module.clone(),
                                            name: format!("{base}Body"),
                                            pointer: mt_pointer.clone(),
                                        };
                                        whole_body = Some(self.lower(r, &hint));
                                    }
                                }
                            }
                            (_, BodyEncoding::Text) => {
                                whole_body = Some(Shape::String(StringShape::default()))
                            }
                            (_, _) => whole_body = Some(Shape::Bytes),
                        }
                        if media.len() > 1 {
                            self.fallback(
                                &rb_pointer,
                                format!(
                                    "several request media types; generated {content_type} only"
                                ),
                            );
                        }
                        body = Some(RequestBody {
                            content_type: (*content_type).clone(),
                            encoding,
                            required: rb.required,
                        });
                    }
                }
            }
        }

        // The parameters struct.
        let mut fields: Vec<Field> = Vec::new();
        let mut ns = Namespace::with_reserved(&["new"]);
        let positional = positional.map(|mut p| {
            p.ident = escape_value_ident(ns.claim(&snake(&p.name, false)));
            p
        });
        let flat_params: Vec<Param> = path_params
            .into_iter()
            .chain(params.into_values())
            .collect();
        let param_names: Vec<&str> = flat_params.iter().map(|p| p.name.as_str()).collect();
        let idents = assign_unique(&param_names, &mut ns, snake);
        for (p, ident) in flat_params.into_iter().zip(idents) {
            fields.push(Field {
                name: p.name,
                ident: escape_value_ident(ident),
                shape: p.shape,
                required: p.required,
                location: p.location,
                boxed: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                docs: p.docs,
                example: None,
                default: p.default,
                flatten: false,
                sources: Vec::new(),
            });
        }
        let params_name = format!("{base}Params");
        if let Some(parts) = &body_parts {
            let hint = Hint {
                module: module.clone(),
                name: params_name.clone(),
                pointer: format!("{pointer}/requestBody"),
            };
            fields.extend(self.fields_of(parts, &hint, Location::Body, &mut ns));
        }
        if let Some(shape) = whole_body {
            // A `null` body is not a thing a client sends: absent or a value.
            let shape = match shape {
                Shape::Nullable(inner) => *inner,
                other => other,
            };
            let ident = escape_value_ident(ns.claim("body"));
            let required = body.as_ref().is_some_and(|b| b.required);
            fields.push(Field {
                name: "body".into(),
                ident,
                shape,
                required,
                location: Location::WholeBody,
                boxed: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                docs: Some("The request body.".into()),
                example: None,
                default: None,
                flatten: false,
                sources: Vec::new(),
            });
        }
        let params_type = if fields.is_empty() {
            None
        } else {
            let hint = Hint {
                module: module.clone(),
                name: params_name,
                pointer: pointer.clone(),
            };
            let id = self.new_type(&hint);
            let def = &mut self.defs[id.0];
            def.docs = Some(format!(
                "Parameters of [`{}::{}`].",
                resources[resource].handle,
                method_name.bare()
            ));
            def.kind = TypeKind::Struct(Struct {
                fields,
                additional: None,
                is_params: true,
                required_alternatives: body_required,
            });
            Some(id)
        };

        let response = self.success_response(op, &pointer, &module, &base);
        let errors = self.error_responses(op, &pointer);
        let security = op
            .security
            .as_ref()
            .or(self.spec.security.as_ref())
            .map(|reqs| {
                reqs.iter()
                    .map(|r| {
                        let mut names: Vec<String> = r.keys().cloned().collect();
                        names.sort();
                        names
                    })
                    .collect()
            })
            .unwrap_or_default();
        let permissions = match op.extensions.get("x-api-token-group") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        // As `Api::sdk_name`, which needs the finished `Api`.
        let sdk_name = resources[resource]
            .path
            .iter()
            .map(|p| p.bare())
            .chain([method_name.bare()])
            .collect::<Vec<_>>()
            .join(".");
        let pagination = self.pagination(&ListOperation {
            op,
            path_item_params: seed.path_item_params,
            method: seed.http_method,
            pointer: &pointer,
            sdk_name: &sdk_name,
            params_type,
            response: &response,
        });
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{}-{}", seed.http_method, seed.path));
        Operation {
            id,
            pointer,
            resource,
            method_name,
            http_method: seed.http_method.to_ascii_uppercase(),
            path: seed.path,
            positional,
            params_type,
            body,
            response,
            errors,
            security,
            pagination,
            docs: OperationDocs {
                summary: first_line(&op.summary),
                description: first_line(&op.description),
                permissions,
                deprecated: op.deprecated,
            },
        }
    }
}

pub(super) fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    names
}

pub(super) fn media_rank(media: &str) -> u8 {
    match body_encoding(media) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Bytes => 4,
    }
}

pub(super) fn body_encoding(media: &str) -> BodyEncoding {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if is_json_media(&m) {
        BodyEncoding::Json
    } else if m == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if m == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if m.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Bytes
    }
}

pub(super) fn is_json_media(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m.ends_with("/json") || m == "*/*"
}
