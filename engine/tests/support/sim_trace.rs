//! Running a scenario with tracing on (shared by `sim.rs` and `sim_knative.rs`, each including this file by
//! `#[path]`).

use replicast_engine::sim::{self, Options, SimResult, Trace};
use serde_json::Value;

/// One traced reconcile: variant, autoscaler, index, time, case.
pub type Traced = (String, String, usize, f64, Value);

/// Runs a scenario with tracing on and returns every traced case.
pub fn traced(text: &str) -> (SimResult, Vec<Traced>) {
    let s = sim::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let mut cases = Vec::new();
    let mut sink = |t: Trace<'_>| {
        cases.push((
            t.variant.to_string(),
            t.autoscaler.to_string(),
            t.index,
            t.time,
            t.case,
        ))
    };
    let r = sim::run(
        &s,
        &mut Options {
            every: None,
            trace: Some(&mut sink),
        },
    );
    (r, cases)
}
