//! The KPA in the simulator (`examples/knative-model-server.yaml`): a burst
//! from zero scales up in panic mode, the revision goes back to zero after
//! the stable window and the grace period, every traced tick replays as a
//! `kpa:` case through `eval`'s checker, and runs are deterministic.
#![cfg(feature = "yaml")]

use std::path::Path;

use replicast_engine::sim;

#[path = "support/sim_trace.rs"]
mod sim_trace;
use replicast_engine::case::expect::check_fixture;
use sim_trace::traced;

fn scenario() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/knative-model-server.yaml"),
    )
    .unwrap()
}

#[test]
fn a_burst_panics_up_and_idle_scales_to_zero_after_the_grace_period() {
    let (r, _) = traced(&scenario());
    let v = &r.variants[0];
    // The burst starts at 180 s: the first scale-up from zero enters panic
    // mode (the panic window sees the burst at once).
    let up = v
        .decisions
        .iter()
        .find(|d| d.time >= 180.0 && d.desired_replicas > d.replicas)
        .expect("a scale-up in the burst");
    assert!(
        up.time < 190.0,
        "scale from zero at the next tick: {}",
        up.time
    );
    assert_eq!(up.replicas, 0, "from zero");
    assert!(
        v.decisions.iter().any(|d| d.time >= 180.0
            && d.time < 780.0
            && d.desired_replicas > d.replicas
            && d.explanation.contains("panic")),
        "a scale-up in panic mode"
    );
    // While panicking it never scales down: the first scale-down is the
    // tick that leaves panic mode.
    let first_down = v
        .decisions
        .iter()
        .find(|d| d.time > up.time && d.desired_replicas < d.replicas)
        .expect("a scale-down");
    assert!(
        first_down.explanation.contains("panic mode left"),
        "{}",
        first_down.explanation
    );
    // After the burst (ends at 780 s): the stable window (60 s) empties,
    // the PodAutoscaler goes inactive and the activator enters the path
    // (target-burst-capacity 0: it was out), then zero after the grace
    // period (30 s).
    let zero = v
        .decisions
        .iter()
        .find(|d| d.time >= 780.0 && d.desired_replicas == 0)
        .expect("scale to zero after the burst");
    assert!(
        zero.time >= 780.0 + 60.0 + 30.0,
        "not before the grace period: {}",
        zero.time
    );
    assert!(
        zero.explanation.contains("grace period 30 s"),
        "{}",
        zero.explanation
    );
    assert!(
        zero.explanation.contains("scales to 0"),
        "{}",
        zero.explanation
    );
    let replicas = v.timeline.column("replicas").unwrap();
    assert_eq!(*replicas.last().unwrap(), 0.0);
    // The activator held the burst's first requests: nothing counted
    // twice, the backlog bounded by what arrived.
    let s = &v.summary;
    assert!(s.served > 0.9 * s.arrived, "{s:?}");
    assert!(s.dropped + s.served <= s.arrived + 1e-6, "{s:?}");
    assert!(s.peak_queue < s.arrived, "{s:?}");
}

#[test]
fn every_traced_tick_replays_as_a_kpa_case() {
    let (r, cases) = traced(&scenario());
    assert!(cases.len() > 500, "a tick every 2 s: {}", cases.len());
    for (_, _, _, time, case) in &cases {
        // As a file would carry it: JSON text, read back.
        let text = serde_json::to_string(case).unwrap();
        let back = serde_json::from_str(&text).unwrap();
        if let Err(diffs) = check_fixture(&back) {
            panic!("at {time}: {}", diffs.join("; "));
        }
    }
    for d in &r.variants[0].decisions {
        assert!(
            cases.iter().any(|(_, _, _, t, c)| *t == d.time
                && c["expect"]["desiredReplicas"] == d.desired_replicas),
            "decision at {} has no trace",
            d.time
        );
    }
}

#[test]
fn same_scenario_same_result() {
    let text = scenario();
    let a = serde_json::to_value(sim::simulate(&sim::parse(&text).unwrap())).unwrap();
    let b = serde_json::to_value(sim::simulate(&sim::parse(&text).unwrap())).unwrap();
    assert_eq!(a, b);
}

#[test]
fn lint_reads_a_knative_service_without_failing() {
    use replicast_engine::lint::{self, rules::Severity};
    let findings =
        lint::lint_text(&scenario(), &lint::Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
