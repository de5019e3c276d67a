use super::*;

#[test]
fn members_that_only_require_become_a_rule_on_the_struct() {
    let api = lower(
        r#"
Render:
  type: object
  properties: {url: {type: string}, html: {type: string}, timeout: {type: integer}}
  anyOf: [{required: [url]}, {required: [html]}]
"#,
        Some("$ref: '#/components/schemas/Render'"),
        None,
    );
    // The body flattens into the parameters struct, which carries the rule.
    let params = named(&api, "ThingCreateParams");
    let TypeKind::Struct(s) = &params.kind else {
        panic!()
    };
    let rule = s.required_alternatives.as_ref().expect("a rule");
    assert!(!rule.exclusive);
    assert_eq!(
        rule.sets,
        [vec!["url".to_string()], vec!["html".to_string()]]
    );
    assert!(!field(params, "url").required && !field(params, "html").required);
}

#[test]
fn properties_beside_object_members_keep_both_through_a_flattened_union() {
    let api = lower(
        r#"
RecordResponse:
  type: object
  required: [id]
  properties: {id: {type: string}, created_on: {type: string, format: date-time}}
  anyOf: [{$ref: '#/components/schemas/ARecord'}, {$ref: '#/components/schemas/MxRecord'}]
ARecord: {type: object, properties: {name: {type: string}, content: {type: string}}}
MxRecord: {type: object, properties: {name: {type: string}, priority: {type: integer}}}
"#,
        None,
        Some("$ref: '#/components/schemas/RecordResponse'"),
    );
    let record = named(&api, "RecordResponse");
    let names: Vec<&str> = fields(record).iter().map(|f| f.ident.as_str()).collect();
    assert_eq!(names, ["created_on", "id", "variant"]);
    let variant = field(record, "");
    assert!(variant.flatten && variant.required);
    let Shape::Named(union) = &variant.shape else {
        panic!()
    };
    assert_eq!(variants(api.types.get(*union)).variants.len(), 2);
}

#[test]
fn a_property_every_member_declares_lives_in_the_members() {
    let api = lower(
        r#"
WorkerError:
  type: object
  properties: {code: {type: integer}, message: {type: string}, documentation_url: {type: string}}
  anyOf: [{$ref: '#/components/schemas/NameInvalid'}, {$ref: '#/components/schemas/TagInvalid'}]
NameInvalid: {type: object, properties: {code: {type: integer, enum: [10016]}, message: {type: string}}}
TagInvalid: {type: object, properties: {code: {type: integer, enum: [10017]}, message: {type: string}}}
"#,
        None,
        Some("$ref: '#/components/schemas/WorkerError'"),
    );
    let error = named(&api, "WorkerError");
    let names: Vec<&str> = fields(error).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["documentation_url", ""]);
    // The declarations that moved are still accounted for, on the union field.
    let sources = &field(error, "").sources;
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("/WorkerError/properties/code")),
        "{sources:?}"
    );
}

#[test]
fn fields_record_where_they_are_declared() {
    let api = lower(
        "Base: {type: object, properties: {id: {type: string}}}\nThing:\n  allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {id: {type: string}, name: {type: string}}}]",
        None,
        Some("$ref: '#/components/schemas/Thing'"),
    );
    let thing = named(&api, "Thing");
    assert_eq!(
        field(thing, "id").sources,
        [
            "#/components/schemas/Base/properties/id",
            "#/components/schemas/Thing/allOf/1/properties/id"
        ]
    );
}
