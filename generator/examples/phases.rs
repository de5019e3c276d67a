//! Prints how long each pipeline phase takes on a spec (single-threaded), the process's
//! peak RSS after each phase (Linux), and the files that take longest to emit + format.
//! `cargo run --release -p apigen --example phases -- SPEC`
use std::time::Instant;

// The allocator of the `apigen` binary, so times and memory match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `VmHWM` (peak resident set) from `/proc/self/status`, or `?` where there is none.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases SPEC");
    let t = Instant::now();
    let spec = apigen::parse::parse_file(path.as_ref()).expect("spec parses");
    println!("parse      {:>8.1?}  peak {}", t.elapsed(), peak_rss());
    let t = Instant::now();
    let api =
        apigen::ir::build(&spec, &apigen::ir::BuildOptions::with_prefix("X")).expect("spec lowers");
    println!("ir         {:>8.1?}  peak {}", t.elapsed(), peak_rss());
    drop(spec);
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
    let mut per_file = Vec::new();
    for (path, kind) in apigen::emit::plan_crate(&api, &options.runtime, false) {
        let t = Instant::now();
        let file = apigen::emit::emit_file(&api, &analysis, &options, path.clone(), &kind);
        let e = t.elapsed().as_secs_f64();
        emit += e;
        if let apigen::emit::FileContent::Rust(tokens) = file.content {
            let t = Instant::now();
            let parsed: syn::File = syn::parse2(tokens).expect("parses");
            let p = t.elapsed().as_secs_f64();
            parse += p;
            let t = Instant::now();
            let _ = prettyplease::unparse(&parsed);
            let u = t.elapsed().as_secs_f64();
            print += u;
            per_file.push((e + p + u, path));
        }
    }
    println!("emit       {emit:>8.3}s\nsyn parse  {parse:>8.3}s\nunparse    {print:>8.3}s");
    println!("peak RSS   {}", peak_rss());
    per_file.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (seconds, path) in per_file.iter().take(5) {
        println!("  {seconds:>7.3}s  {}", path.display());
    }
}
