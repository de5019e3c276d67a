use super::*;

#[test]
fn nested_plain_unions_flatten_and_variants_take_their_discriminator_values() {
    let api = lower(
        r#"
Post:
  anyOf: [{$ref: '#/components/schemas/WithoutData'}, {$ref: '#/components/schemas/WithData'}]
WithoutData:
  type: object
  discriminator: {propertyName: type}
  anyOf: [{$ref: '#/components/schemas/ARecord'}, {$ref: '#/components/schemas/CnameRecord'}]
WithData:
  type: object
  discriminator: {propertyName: type}
  anyOf: [{$ref: '#/components/schemas/SrvRecord'}]
ARecord: {type: object, properties: {type: {type: string, enum: [A]}, content: {type: string}}}
CnameRecord: {type: object, properties: {type: {type: string, enum: [CNAME]}, content: {type: string}}}
SrvRecord: {type: object, properties: {type: {type: string, enum: [SRV]}, data: {type: object}}}
"#,
        Some("$ref: '#/components/schemas/Post'"),
        None,
    );
    let union = variants(named(&api, "Post"));
    let names: Vec<(&str, &[String])> = union
        .variants
        .iter()
        .map(|v| (v.ident.as_str(), v.tags.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("A", &["A".to_string()][..]),
            ("Cname", &["CNAME".to_string()][..]),
            ("Srv", &["SRV".to_string()][..])
        ]
    );
    assert_eq!(union.discriminator.as_deref(), Some("type"));
}

#[test]
fn alternatives_of_one_number_type_are_one_number_with_alternative_constraints() {
    let api = lower(
        r#"
Ttl:
  type: number
  anyOf: [{type: number, minimum: 30, maximum: 86400}, {type: number, enum: [1]}]
Record: {type: object, properties: {ttl: {$ref: '#/components/schemas/Ttl'}}}
"#,
        None,
        Some("$ref: '#/components/schemas/Record'"),
    );
    let Shape::Number(ttl) = &field(named(&api, "Record"), "ttl").shape else {
        panic!("ttl is a number");
    };
    assert_eq!(ttl.alternatives.len(), 2);
    assert_eq!(ttl.alternatives[0].minimum, Some(30.0));
    assert_eq!(ttl.alternatives[1].allowed, [1.0]);
}

#[test]
fn an_enum_beside_any_string_is_an_open_enum() {
    let api = lower(
        "Mode:\n  anyOf: [{type: string, enum: [auto, manual]}, {type: string}]\nThing: {type: object, properties: {mode: {$ref: '#/components/schemas/Mode'}}}",
        Some("$ref: '#/components/schemas/Thing'"),
        None,
    );
    let TypeKind::Enum(e) = &named(&api, "Mode").kind else {
        panic!("Mode is an enum");
    };
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["auto", "manual"]);
}

#[test]
fn inline_members_are_named_by_what_tells_them_apart_never_by_counting() {
    let api = lower(
        r#"
Column:
  type: object
  anyOf:
    - {type: object, required: [entry_id], properties: {entry_id: {type: string}}}
    - {type: object, required: [entry_name], properties: {entry_name: {type: string}}}
"#,
        Some("$ref: '#/components/schemas/Column'"),
        None,
    );
    let names: Vec<&str> = variants(named(&api, "Column"))
        .variants
        .iter()
        .map(|v| v.ident.as_str())
        .collect();
    assert_eq!(names, ["EntryId", "EntryName"]);
}

#[test]
fn component_members_lose_the_prefix_they_share() {
    let api = lower(
        r#"
Origin:
  oneOf: [{$ref: '#/components/schemas/hyperdrive_internet-origin'}, {$ref: '#/components/schemas/hyperdrive_access-origin'}]
hyperdrive_internet-origin: {type: object, properties: {host: {type: string}}}
hyperdrive_access-origin: {type: object, properties: {client_id: {type: string}}}
"#,
        Some("$ref: '#/components/schemas/Origin'"),
        None,
    );
    let names: Vec<&str> = variants(named(&api, "Origin"))
        .variants
        .iter()
        .map(|v| v.ident.as_str())
        .collect();
    assert_eq!(names, ["InternetOrigin", "AccessOrigin"]);
}

#[test]
fn a_tag_several_variants_claim_selects_none() {
    let api = lower(
        r#"
Export:
  oneOf:
    - {type: object, properties: {kind: {type: string, enum: [durable]}, a: {type: string}}, required: [a]}
    - {type: object, properties: {kind: {type: string, enum: [durable]}, b: {type: string}}, required: [b]}
"#,
        Some("$ref: '#/components/schemas/Export'"),
        None,
    );
    let union = variants(named(&api, "Export"));
    assert!(
        union.variants.iter().all(|v| v.tags.is_empty()),
        "{union:?}"
    );
    assert_eq!(union.discriminator, None);
}
