//! Per-request cost of the client-side work the generated `cloudflare` crate does
//! before any I/O, for the two seed operations: building the parameters,
//! validating them against the spec's constraints, and serializing the JSON body.
//!
//! `cargo bench -p integration-tests --bench validation` (figures in BENCHMARKS.md).

use std::hint::black_box;
use std::time::Duration;

use cloudflare::runtime::Validate;
use cloudflare::user::UserEditParams;
use cloudflare::zero_trust::access::users::UserUpdateParams;
use criterion::{criterion_group, criterion_main, Criterion};

const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn access_user_update(account_id: &str, email: &str, name: &str) -> UserUpdateParams {
    UserUpdateParams::new(account_id, email, name)
}

fn user_edit(first_name: &str) -> UserEditParams {
    UserEditParams::new()
        .first_name(first_name)
        .last_name("Appleseed")
        .country("US")
        .zipcode("12345")
        .clear_telephone()
}

/// Builds, validates and (when valid, as the client would) serializes; returns
/// the body length or the number of violations so nothing is optimized away.
fn per_request<P: Validate + serde::Serialize>(params: P) -> usize {
    let violations = params.violations_at("");
    if violations.is_empty() {
        serde_json::to_vec(&params).expect("serializes").len()
    } else {
        violations.len()
    }
}

fn sanity_checks() {
    assert!(
        access_user_update(ACCOUNT_ID, "jdoe@example.com", "Jane Doe")
            .violations_at("")
            .is_empty()
    );
    assert!(user_edit("John").violations_at("").is_empty());
    let body = serde_json::to_value(user_edit("John")).expect("serializes");
    assert_eq!(body["telephone"], serde_json::Value::Null);
    assert_eq!(
        access_user_update(&"a".repeat(33), "not an email", "Jane Doe")
            .violations_at("")
            .len(),
        2
    );
    assert_eq!(user_edit(&"é".repeat(61)).violations_at("").len(), 1);
}

fn benches(c: &mut Criterion) {
    sanity_checks();
    let long_id = "a".repeat(33);
    let long_name = "é".repeat(61);

    let mut group = c.benchmark_group("zero_trust.access.users.update");
    group.bench_function("build+validate+serialize", |b| {
        b.iter(|| {
            per_request(access_user_update(
                black_box(ACCOUNT_ID),
                black_box("jdoe@example.com"),
                black_box("Jane Doe"),
            ))
        })
    });
    let params = access_user_update(ACCOUNT_ID, "jdoe@example.com", "Jane Doe");
    group.bench_function("validate", |b| {
        b.iter(|| black_box(&params).violations_at(""))
    });
    group.bench_function("serialize", |b| {
        b.iter(|| serde_json::to_vec(black_box(&params)).expect("serializes"))
    });
    group.bench_function("build+validate (invalid: 2 violations)", |b| {
        b.iter(|| {
            per_request(access_user_update(
                black_box(&long_id),
                black_box("not an email"),
                black_box("Jane Doe"),
            ))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("user.edit");
    group.bench_function("build+validate+serialize", |b| {
        b.iter(|| per_request(user_edit(black_box("John"))))
    });
    let params = user_edit("John");
    group.bench_function("validate", |b| {
        b.iter(|| black_box(&params).violations_at(""))
    });
    group.bench_function("serialize", |b| {
        b.iter(|| serde_json::to_vec(black_box(&params)).expect("serializes"))
    });
    group.bench_function("build+validate (invalid: 1 violation)", |b| {
        b.iter(|| per_request(user_edit(black_box(&long_name))))
    });
    group.finish();
}

criterion_group! {
    name = validation;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = benches
}
criterion_main!(validation);
