//! The parse floor: reads a spec (gunzipping `.gz`, as `apigen` does) and deserialises it
//! into `openapiv3::OpenAPI`, and nothing else. `bench/gen_cost.sh` runs it beside
//! `apigen generate` so generation is measured against the least any generator built on
//! `openapiv3` has to do. Same allocator as the `apigen` binary, so the ratio compares work.
//! `cargo run --release -p apigen --example floor -- SPEC`
use std::io::Read;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor SPEC");
        return ExitCode::from(2);
    };
    match load(&path) {
        Ok(spec) => {
            println!("{} paths", spec.paths.paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {path}: {e}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &str) -> Result<openapiv3::OpenAPI, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut out)?;
        out
    } else {
        bytes
    };
    let text = std::str::from_utf8(&bytes)?;
    if text.trim_start().starts_with('{') {
        Ok(serde_json::from_str(text)?)
    } else {
        Ok(serde_yaml::from_str(text)?)
    }
}
