use super::*;

#[test]
fn constraints_of_every_declaration_hold_at_once() {
    let api = lower(
        r#"
Thing:
  allOf:
    - {type: object, properties: {name: {type: string, maxLength: 60, minLength: 1}, n: {type: integer, minimum: 0}}}
    - {type: object, properties: {name: {type: string, maxLength: 40}, n: {type: integer, minimum: 5, maximum: 9}}}
"#,
        Some("$ref: '#/components/schemas/Thing'"),
        None,
    );
    let params = named(&api, "ThingCreateParams");
    let Shape::String(name) = &field(params, "name").shape else {
        panic!()
    };
    assert_eq!((name.min_length, name.max_length), (Some(1), Some(40)));
    let Shape::Integer(n) = &field(params, "n").shape else {
        panic!()
    };
    assert_eq!((n.minimum, n.maximum), (Some(5.0), Some(9.0)));
}

#[test]
fn null_is_allowed_only_when_every_declaration_allows_it() {
    let api = lower(
        r#"
Thing:
  allOf:
    - {type: object, properties: {a: {type: string, nullable: true}, b: {type: string, nullable: true}}}
    - {type: object, properties: {a: {type: string}, b: {type: string, nullable: true}}}
"#,
        None,
        Some("$ref: '#/components/schemas/Thing'"),
    );
    let thing = named(&api, "Thing");
    assert!(matches!(field(thing, "a").shape, Shape::String(_)));
    assert!(matches!(field(thing, "b").shape, Shape::Nullable(_)));
}

#[test]
fn two_object_declarations_of_a_property_merge() {
    let api = lower(
        r#"
Thing:
  allOf:
    - {type: object, properties: {meta: {type: object, properties: {a: {type: string}}}}}
    - {type: object, properties: {meta: {type: object, properties: {b: {type: string}}}}}
"#,
        None,
        Some("$ref: '#/components/schemas/Thing'"),
    );
    let Shape::Named(meta) = &field(named(&api, "Thing"), "meta").shape else {
        panic!()
    };
    let names: Vec<&str> = fields(api.types.get(*meta))
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn arrays_declared_twice_merge_their_items() {
    let api = lower(
        r#"
Report:
  allOf:
    - {type: object, properties: {data: {type: array, items: {type: object, properties: {dimensions: {type: array, items: {type: string}}}}}}}
    - {type: object, properties: {data: {items: {type: object, properties: {metrics: {type: array, items: {type: number}}}}}}}
"#,
        None,
        Some("$ref: '#/components/schemas/Report'"),
    );
    let Shape::Array(data) = &field(named(&api, "Report"), "data").shape else {
        panic!()
    };
    let Shape::Named(item) = &data.items else {
        panic!()
    };
    let names: Vec<&str> = fields(api.types.get(*item))
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["dimensions", "metrics"]);
}

#[test]
fn the_null_only_trap_is_nullable_and_reported() {
    let api = lower(
        r#"
Failure:
  allOf:
    - {type: object, properties: {success: {type: boolean}, result: {type: object, properties: {id: {type: string}}}}}
    - {type: object, properties: {result: {type: object, nullable: true, enum: [null]}}}
"#,
        None,
        Some("$ref: '#/components/schemas/Failure'"),
    );
    assert!(api.report.iter().any(
        |f| f.pointer.ends_with("/allOf/1/properties/result") && f.reason.contains("only null")
    ));
}
