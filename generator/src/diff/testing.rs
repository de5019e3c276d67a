//! Helpers for the diff's unit tests: a small spec, edits of it, and lookups.

use std::path::Path;

use super::{compare, lower, Change, Lowered, Rule};

/// A small API: list/create pets, get one; `Pet` is shared by every response.
pub const BASE: &str = r##"openapi: 3.0.3
info:
  title: Pets API
  version: 1.0.0
paths:
  /pets:
    get:
      operationId: pets-list
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
    post:
      operationId: pets-create
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  maxLength: 60
                tag:
                  type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
  /pets/{pet_id}:
    get:
      operationId: pets-get
      parameters:
        - name: pet_id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: string
        name:
          type: string
        status:
          $ref: '#/components/schemas/Status'
        owner:
          $ref: '#/components/schemas/Owner'
    Status:
      type: string
      enum: [available, sold]
    Owner:
      type: object
      properties:
        email:
          type: string
"##;

/// `BASE` with each `(from, to)` replaced once; panics if `from` is missing.
pub fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "BASE has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// A spec text, parsed and lowered.
pub fn lowered(text: &str) -> Lowered {
    lower(
        &crate::parse::parse_str(text, Path::new("spec.yaml")).expect("the test spec parses"),
        Path::new("spec.yaml"),
    )
    .expect("the test spec lowers")
}

/// The IR of a spec text.
pub fn api(text: &str) -> crate::ir::Api {
    lowered(text).api
}

/// The changes from `old` to `new`.
pub fn diff(old: &str, new: &str) -> Vec<Change> {
    compare(&lowered(old), &lowered(new))
}

/// The rule IDs of `changes`, in order.
pub fn rules(changes: &[Change]) -> Vec<&'static str> {
    changes.iter().map(|c| c.rule.id()).collect()
}

/// The one change of `rule` at `operation` → `location`.
pub fn find<'a>(changes: &'a [Change], rule: Rule, operation: &str, location: &str) -> &'a Change {
    let found: Vec<&Change> = changes
        .iter()
        .filter(|c| c.rule == rule && c.operation == operation && c.location == location)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {rule} at {operation} → {location:?} in {changes:#?}"
    );
    found[0]
}
