//! The search driven from outside (`tune::replay`, the playground's
//! workers): candidates evaluated on other `Tuning`s, their outcomes sent
//! as text, give the very result of `Tuning::run`; a cancel stops where a
//! cancelled run stops.

use replicast_engine::tune::replay::{self, Replay, Step};
use replicast_engine::tune::{self, CandidateOutcome, Overrides, Sequential, Tuning};
use serde_json::Value;

/// A cpu HPA against a step in load, two hours at 1 s.
const SCENARIO: &str = include_str!("support/tune-step.yaml");

fn prepared() -> Tuning {
    tune::prepare(SCENARIO, None, &Overrides::default()).expect("tunable")
}

/// Steps the replay, each needed batch split over two "workers" (their
/// own `Tuning`s) and sent through `encode`/`decode`; `cancel_after`: the
/// number of batches answered before cancelling.
fn drive(cancel_after: Option<usize>) -> (Value, usize) {
    let mut page = prepared();
    let mut workers = [prepared(), prepared()];
    let mut replay = Replay::new();
    let mut baseline: Option<CandidateOutcome> = None;
    let mut rounds = 0;
    loop {
        let cancel = cancel_after.is_some_and(|n| rounds >= n);
        let step = replay.step(&mut page, cancel).expect("steps");
        let candidates = match step {
            Some(Step::Done(result)) => return (result.to_json(), rounds),
            None => return (Value::Null, rounds),
            Some(Step::Need { candidates, .. }) => candidates,
        };
        rounds += 1;
        let half = candidates.len().div_ceil(2);
        for (part, worker) in candidates.chunks(half).zip(&mut workers) {
            if let Some(b) = &baseline {
                Replay::assume_baseline(worker, b);
            }
            let outcomes: Vec<CandidateOutcome> =
                part.iter().map(|(c, p)| worker.evaluate(c, *p)).collect();
            let back = replay::decode(&replay::encode(&outcomes)).expect("decodes");
            for ((c, _), o) in part.iter().zip(back) {
                baseline.get_or_insert_with(|| o.clone());
                replay.add(c.clone(), o);
            }
        }
    }
}

#[test]
fn replayed_search_equals_the_run() {
    let native = prepared()
        .run(&Sequential, &mut |_| true)
        .expect("runs")
        .to_json();
    let (replayed, rounds) = drive(None);
    assert!(rounds > 2, "several batches: {rounds}");
    // Short runs pruned some: the prune flag travels with each candidate.
    assert!(native["pruned"].as_u64().is_some_and(|n| n > 0));
    assert_eq!(native, replayed);
    assert!(native["best"].is_object());
}

#[test]
fn a_cancel_stops_where_a_cancelled_run_stops() {
    // Round 1 is the baseline; rounds 2 and 3 are the first two batches.
    let (replayed, _) = drive(Some(3));
    let mut ticks = 0;
    let native = prepared()
        .run(&Sequential, &mut |_| {
            ticks += 1;
            ticks < 2
        })
        .expect("runs")
        .to_json();
    assert_eq!(replayed["cancelled"], Value::Bool(true));
    assert_eq!(native, replayed);
    // Cancelled before any batch came back: nothing to show.
    assert_eq!(drive(Some(1)).0, Value::Null);
}
