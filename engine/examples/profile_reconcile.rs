//! Runs the reconcile bench case many times, for instruction-level
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_reconcile`
//! (as `eval` returns it, explanation included) or `... profile_reconcile sim`
//! (`horizontal::reconcile` alone, as the simulator calls it).

use replicast_engine::case::{self, Autoscaler};
use replicast_engine::horizontal::{self, Reconcile};

const CASE: &str = include_str!("../benches/reconcile-case.yaml");
const RUNS: i64 = 20_000;

fn main() {
    let parsed = case::parse(CASE).expect("the bench case is valid");
    let sim = std::env::args().nth(1).is_some_and(|a| a == "sim");
    let Autoscaler::Hpa(hpa) = &parsed.autoscaler else {
        unreachable!("the bench case is an HPA")
    };
    let mut total = 0i64;
    for _ in 0..RUNS {
        total += i64::from(if sim {
            horizontal::reconcile(std::hint::black_box(&Reconcile {
                now: parsed.now,
                hpa,
                target: parsed.target,
                pods: &parsed.pods,
                readings: &parsed.readings,
                history: parsed.history.as_ref(),
                controller: &parsed.controller,
            }))
            .desired_replicas
        } else {
            case::evaluate(std::hint::black_box(&parsed)).desired_replicas
        });
    }
    println!("{total} ({RUNS} reconciles)");
}
