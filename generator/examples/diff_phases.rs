//! How long each phase of `apigen diff` takes (single-threaded), median of RUNS.
//! `cargo run --release -p apigen --example diff_phases -- OLD NEW [RUNS]`
use std::path::{Path, PathBuf};
use std::time::Instant;

use apigen::diff::{compare, lower, Report, SpecSummary};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (old, new) = (Path::new(&args[1]), Path::new(&args[2]));
    let runs: usize = args
        .get(3)
        .map_or(5, |n| n.parse().expect("RUNS is a number"));
    let mut times: Vec<[f64; 4]> = Vec::new();
    let mut changes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (a, b) = (
            apigen::parse::parse_file(old).expect("OLD parses"),
            apigen::parse::parse_file(new).expect("NEW parses"),
        );
        let parse = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (a, b) = (
            lower(&a, old).expect("OLD lowers"),
            lower(&b, new).expect("NEW lowers"),
        );
        let lowering = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let found = compare(&a, &b);
        let comparing = t.elapsed().as_secs_f64();
        changes = found.len();
        let t = Instant::now();
        let side = |p: &Path| SpecSummary {
            spec: PathBuf::from(p),
            title: String::new(),
            version: String::new(),
            operations: 0,
        };
        let report = Report::new(side(old), side(new), Vec::new(), found);
        let text = report.to_markdown().len() + report.to_json().len();
        let render = t.elapsed().as_secs_f64();
        assert!(text > 0);
        times.push([parse, lowering, comparing, render]);
    }
    println!("{changes} changes; median of {runs} runs:");
    for (i, name) in [
        "parse (both)",
        "lower (both)",
        "compare",
        "render (markdown + json)",
    ]
    .iter()
    .enumerate()
    {
        let mut v: Vec<f64> = times.iter().map(|t| t[i]).collect();
        v.sort_by(f64::total_cmp);
        println!("{name:<26} {:>8.1} ms", v[v.len() / 2] * 1000.0);
    }
}
