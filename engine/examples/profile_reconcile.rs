//! Runs the reconcile bench case many times, for instruction-level
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_reconcile`
//! (as `eval` returns it, explanation included), `... profile_reconcile sim`
//! (as the simulator calls it: `horizontal::reconcile_with`, numbers only)
//! or `... profile_reconcile cohort` (the same, the 10 pods as one cohort).

use replicast_engine::case::{self, Autoscaler};
use replicast_engine::horizontal::{self, Reconcile, Text};

#[path = "../benches/support/cohort.rs"]
mod cohort;

const CASE: &str = include_str!("../benches/reconcile-case.yaml");
const RUNS: i64 = 20_000;

fn main() {
    let parsed = case::parse(CASE).expect("the bench case is valid");
    let mode = std::env::args().nth(1).unwrap_or_default();
    let sim = mode == "sim" || mode == "cohort";
    let Autoscaler::Hpa(hpa) = &parsed.autoscaler else {
        unreachable!("the bench case is an HPA")
    };
    let (pods, readings) = if mode == "cohort" {
        cohort::cohort(&parsed)
    } else {
        (parsed.pods.clone(), parsed.readings.clone())
    };
    let mut total = 0i64;
    for _ in 0..RUNS {
        total += i64::from(if sim {
            horizontal::reconcile_with(
                std::hint::black_box(&Reconcile {
                    now: parsed.now,
                    hpa,
                    target: parsed.target,
                    pods: &pods,
                    readings: &readings,
                    history: parsed.history.as_ref(),
                    controller: &parsed.controller,
                }),
                Text::Numbers,
            )
            .desired_replicas
        } else {
            case::evaluate(std::hint::black_box(&parsed)).desired_replicas
        });
    }
    println!("{total} ({RUNS} reconciles)");
}
