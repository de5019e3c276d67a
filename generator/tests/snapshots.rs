//! Snapshots of what the generator emits for `spec/`: one per module, so a
//! change shows up as a reviewable diff of the file it touches, plus the IR.

mod common;

#[test]
fn emitted_modules() {
    let generated = common::generate_default();
    for file in &generated.files {
        if file.path.starts_with("src/runtime") {
            // Copied from the apigen-runtime crate (runtime/src/) minus its tests, which
            // generator/src/emit/runtime.rs checks; no snapshot needed.
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
    let mut options = apigen::ir::BuildOptions::with_prefix("CLOUDFLARE");
    options.env_vars = config.settings.auth.env.clone();
    let api = apigen::ir::build(&spec, &options).expect("the fragment lowers");
    insta::assert_json_snapshot!("ir", api);
}
