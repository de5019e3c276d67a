//! Snapshots of what the generator emits for `spec/`: one per module, so a
//! change shows up as a reviewable diff of the file it touches, plus the IR.

mod common;

#[test]
fn emitted_modules() {
    let generated = common::generate_default();
    for file in &generated.files {
        if file.path.ends_with("runtime.rs") {
            // Copied verbatim from generator/runtime/runtime.rs; no snapshot needed.
            continue;
        }
        let name = file.path.to_string_lossy().replace(['/', '\\'], "__");
        insta::assert_snapshot!(name, &file.text);
    }
}

#[test]
fn ir_of_the_fragment() {
    let config = common::default_job();
    let spec = apigen::parse::parse_file(&config.spec).expect("spec parses");
    let api = apigen::ir::build(
        &spec,
        &apigen::ir::BuildOptions {
            env_prefix: "CLOUDFLARE".into(),
        },
    )
    .expect("the fragment lowers");
    insta::assert_json_snapshot!("ir", api);
}
