//! The cost of tuning: candidates of the inference example (one variant,
//! `examples/inference-tune.yaml`) stretched to 24 h at a 1 s step, run on
//! every core. Prints the wall time for the whole budget, candidates per
//! second, and the time of one full run of the scenario for comparison.
//!
//! The target (issue #13): 1 000 candidates in ≤ 2 s natively on 2 cores.
//!
//! Run: `cargo bench -p replicast-engine --bench tune` (`TUNE_BUDGET=100`
//! for a shorter run; `TUNE_JOBS=1` for one thread).

use std::time::Instant;

use replicast_engine::sim;
use replicast_engine::tune::{self, Overrides, runner::Threads};

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/inference-tune.yaml"
    );
    let text = std::fs::read_to_string(path)
        .expect("the tune example")
        .replace("duration: 6h", "duration: 24h");
    let budget: usize = std::env::var("TUNE_BUDGET")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let runner = match std::env::var("TUNE_JOBS").ok().and_then(|s| s.parse().ok()) {
        Some(n) => Threads(n),
        None => Threads::per_core(),
    };

    let scenario = sim::parse(&text).expect("valid");
    let t0 = Instant::now();
    let _ = sim::simulate(&scenario);
    let one = t0.elapsed().as_secs_f64();

    let overrides = Overrides {
        budget: Some(budget),
        ..Overrides::default()
    };
    let mut tuning = tune::prepare(&text, None, &overrides).expect("tunable");
    let t0 = Instant::now();
    let r = tuning.run(&runner, &mut |_| true).expect("runs");
    let wall = t0.elapsed().as_secs_f64();
    let tried = r.evaluated + r.skipped + r.pruned;
    println!(
        "tune 24h@1s, 1 variant, {} threads: {tried} candidates ({} full, {} pruned, {} refused) in {wall:.2} s = {:.1} candidates/s; one full simulate: {:.1} ms; best {:?} vs written {:.2}",
        runner.0,
        r.evaluated,
        r.pruned,
        r.skipped,
        tried as f64 / wall,
        one * 1e3,
        r.best.map(|b| (b.objective * 100.0).round() / 100.0),
        r.baseline.objective,
    );
}
