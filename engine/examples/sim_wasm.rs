//! The simulator's day-long bench scenario as a WebAssembly module, for
//! `engine/benches/native-vs-wasm.mjs`, which times it in Node next to the
//! same run natively (`profile_sim time N`) and prints the ratio. Built by
//! that script:
//! `cargo build --release -p replicast-engine --example sim_wasm --target wasm32-unknown-unknown`,
//! then `wasm-bindgen --target nodejs`. Empty on other targets.
//!
//! `Day::new(hours)` reads the inference example stretched to `hours` once
//! (outside the timing); `day.run()` is one whole simulation with the
//! timeline sampled hourly, as `profile_sim` runs it, and returns the
//! reconciles it made.
#![cfg(target_arch = "wasm32")]

use replicast_engine::sim;
use wasm_bindgen::prelude::wasm_bindgen;

const INFERENCE: &str = include_str!("../../examples/inference-ramp-spike.yaml");

/// A read scenario.
#[wasm_bindgen]
pub struct Day(sim::Scenario);

#[wasm_bindgen]
impl Day {
    /// Reads the inference example stretched to `hours`.
    #[wasm_bindgen(constructor)]
    pub fn new(hours: u32) -> Result<Day, String> {
        let text = INFERENCE.replace("duration: 6h", &format!("duration: {hours}h"));
        sim::parse(&text).map(Day).map_err(|e| e.to_string())
    }

    /// One whole simulation; the reconciles it made.
    pub fn run(&self) -> u32 {
        let mut opts = sim::Options {
            every: Some(replicast_engine::time::Duration::from_secs(3600)),
            trace: None,
        };
        let r = sim::run(std::hint::black_box(&self.0), &mut opts);
        r.variants.iter().map(|v| v.summary.reconciles as u32).sum()
    }
}
