//! Running a scenario with tracing on, and replaying a traced `kpa:` case
//! (shared by `sim.rs` and `sim_knative.rs`, each including this file by
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

/// Replays a traced `kpa:` case: every key of its `expect:` as decided.
pub fn check_kpa(case: &Value) -> Result<(), Vec<String>> {
    let now = case["now"]
        .as_f64()
        .ok_or_else(|| vec!["now".to_string()])?;
    let read = replicast_engine::kpa::KpaCase::from_value(
        now,
        &case["kpa"],
        &replicast_engine::error::Path::root().child("kpa"),
    )
    .map_err(|e| vec![e.to_string()])?;
    let d = serde_json::to_value(replicast_engine::kpa::evaluate(&read)).unwrap();
    let diffs: Vec<String> = case["expect"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, want)| &d[k.as_str()] != *want)
        .map(|(k, want)| format!("{k}: got {}, want {want}", d[k.as_str()]))
        .collect();
    if diffs.is_empty() { Ok(()) } else { Err(diffs) }
}
