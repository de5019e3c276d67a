use super::*;

const ENVELOPE: &str = r#"
Common:
  type: object
  required: [success, errors, messages]
  properties:
    success: {type: boolean}
    errors: {type: array, items: {type: object}}
    messages: {type: array, items: {type: object}}
    result: {anyOf: [{type: object}, {type: string}]}
"#;

#[test]
fn the_envelope_gives_the_result_result_info_and_other_members() {
    let schemas = format!(
        "{ENVELOPE}\nZone: {{type: object, properties: {{id: {{type: string}}}}}}\nInfo: {{type: object, properties: {{page: {{type: number}}, total_pages: {{type: number}}}}}}"
    );
    let api = lower(
        &schemas,
        None,
        Some(
            "allOf:\n  - $ref: '#/components/schemas/Common'\n  - type: object\n    properties:\n      result: {type: array, items: {$ref: '#/components/schemas/Zone'}}\n      result_info: {$ref: '#/components/schemas/Info'}\n      pagination: {type: object, properties: {cursor: {type: string}}}",
        ),
    );
    let response = &api.operations[0].response;
    assert_eq!(response.decode, Decode::Envelope);
    assert!(matches!(result(&api), Shape::Array(a) if matches!(a.items, Shape::Named(_))));
    assert!(matches!(response.result_info, Some(Shape::Named(_))));
    let Some(Shape::Named(meta)) = &response.meta else {
        panic!("the envelope's other member is typed");
    };
    assert_eq!(fields(api.types.get(*meta))[0].name, "pagination");
}

#[test]
fn alternative_envelopes_give_a_union_of_their_results() {
    let schemas = format!(
        "{ENVELOPE}\nA: {{allOf: [{{$ref: '#/components/schemas/Common'}}, {{type: object, properties: {{result: {{$ref: '#/components/schemas/Plain'}}}}}}]}}\nB: {{allOf: [{{$ref: '#/components/schemas/Common'}}, {{type: object, properties: {{result: {{$ref: '#/components/schemas/WithPolicies'}}}}}}]}}\nPlain: {{type: object, properties: {{id: {{type: string}}}}}}\nWithPolicies: {{type: object, properties: {{policies: {{type: array, items: {{type: string}}}}}}}}"
    );
    let api = lower(
        &schemas,
        None,
        Some("anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]"),
    );
    assert_eq!(api.operations[0].response.decode, Decode::Envelope);
    let Shape::Named(union) = result(&api) else {
        panic!("the result is a union");
    };
    assert_eq!(variants(api.types.get(union)).variants.len(), 2);
}

#[test]
fn other_success_bodies_are_reported() {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /scan:
    get:
      responses:
        '200':
          description: done
          content:
            application/json: {schema: {type: object, properties: {id: {type: string}}}}
            image/png: {schema: {type: string, format: binary}}
        '202':
          description: pending
          content:
            application/json: {schema: {type: object, properties: {eta: {type: integer}}}}
"#;
    let parsed = crate::parse::parse_str(spec, std::path::Path::new("t.yaml")).unwrap();
    let api = build(&parsed, &BuildOptions::with_prefix("T")).expect("lowers");
    let pointers: Vec<&str> = api.report.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1scan/get/responses/200/content/image~1png",
            "#/paths/~1scan/get/responses/202"
        ]
    );
}
