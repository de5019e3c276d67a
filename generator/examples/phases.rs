//! Prints how long each pipeline phase takes on a spec (single-threaded).
//! `cargo run --release -p apigen --example phases -- SPEC`
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases SPEC");
    let t = Instant::now();
    let spec = apigen::parse::parse_file(path.as_ref()).expect("spec parses");
    println!("parse      {:>8.1?}", t.elapsed());
    let t = Instant::now();
    let api =
        apigen::ir::build(&spec, &apigen::ir::BuildOptions::with_prefix("X")).expect("spec lowers");
    println!("ir         {:>8.1?}", t.elapsed());
    let options = apigen::emit::EmitOptions {
        crate_name: "x".into(),
        crate_version: "0.1.0".into(),
        command: "x".into(),
        runtime: apigen::Runtime::Vendored,
    };
    let (mut emit, mut parse, mut print) = (0.0, 0.0, 0.0);
    let t = Instant::now();
    let analysis = apigen::emit::Analysis::new(&api);
    println!("analysis   {:>8.1?}", t.elapsed());
    for (path, kind) in apigen::emit::plan_crate(&api, &options.runtime) {
        let t = Instant::now();
        let file = apigen::emit::emit_file(&api, &analysis, &options, path, &kind);
        emit += t.elapsed().as_secs_f64();
        if let apigen::emit::FileContent::Rust(tokens) = file.content {
            let t = Instant::now();
            let parsed: syn::File = syn::parse2(tokens).expect("parses");
            parse += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let _ = prettyplease::unparse(&parsed);
            print += t.elapsed().as_secs_f64();
        }
    }
    println!("emit       {emit:>8.3}s\nsyn parse  {parse:>8.3}s\nunparse    {print:>8.3}s");
}
