//! Times `apigen::Builder`'s single file for a spec, laid out by prettyplease and not
//! (`Builder::formatted(false)`), alternating, and prints each run and the medians.
//! `cargo run --release -p apigen --example single_file -- SPEC [RUNS]`
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), apigen::Error> {
    let mut args = std::env::args().skip(1);
    let spec = args.next().expect("usage: single_file SPEC [RUNS]");
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
    let mut times = [Vec::new(), Vec::new()];
    for run in 1..=runs {
        for (slot, formatted) in [(0, true), (1, false)] {
            let t = Instant::now();
            let text = apigen::Builder::new()
                .spec(&spec)
                .formatted(formatted)
                .generate_to_string("crate::api")?;
            let seconds = t.elapsed().as_secs_f64();
            println!(
                "run {run} formatted={formatted}: {seconds:.3} s, {} bytes",
                text.len()
            );
            times[slot].push(seconds);
        }
    }
    for (slot, label) in [(0, "formatted"), (1, "unformatted")] {
        times[slot].sort_by(f64::total_cmp);
        println!("{label:<12} median {:.3} s", times[slot][runs / 2]);
    }
    Ok(())
}
