//! The reconcile bench case's 10 pods as one cohort, shared by
//! `benches/reconcile.rs` and `examples/profile_reconcile.rs`.

use replicast_engine::case::EvalCase;
use replicast_engine::model::{Pod, Reading};

/// The case's 10 pods as one cohort (`count: 10`) with one sample each for
/// the per-pod metrics, as the simulator lists identical pods.
pub fn cohort(parsed: &EvalCase) -> (Vec<Pod>, Vec<Reading>) {
    let mut pod = parsed.pods[0].clone();
    pod.name = "p".into();
    pod.count = Some(10);
    let mut readings = parsed.readings.clone();
    for r in readings.iter_mut() {
        if let Some(values) = r.pod_values.as_mut() {
            let first = values.values().next().cloned().expect("a sample");
            values.clear();
            values.insert("p".into(), first);
        }
    }
    (vec![pod], readings)
}
