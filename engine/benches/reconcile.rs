//! One HPA reconcile with 10 pods and 3 metrics (cpu utilization, a Pods
//! metric, an External metric), the behavior path with history:
//! - as `eval` returns it (the decision with its explanation);
//! - as the simulator calls it (`horizontal::reconcile_with` with
//!   `Text::Numbers`: the outcome without descriptions, condition messages
//!   or explanation; text is built only for decisions someone reads);
//! - the same with the 10 pods as one cohort (`count: 10`), as the
//!   simulator lists identical pods.
//!
//! Run: `cargo bench -p replicast-engine --bench reconcile`. On a shared
//! machine prefer instruction counts:
//! `valgrind --tool=callgrind target/release/examples/profile_reconcile`.

use criterion::{Criterion, criterion_group, criterion_main};
use replicast_engine::case::{self, Autoscaler};
use replicast_engine::horizontal::{self, Reconcile, Text};
use replicast_engine::model::{Pod, Reading};

#[path = "support/cohort.rs"]
mod cohort;

const CASE: &str = include_str!("reconcile-case.yaml");

fn bench(c: &mut Criterion) {
    let parsed = case::parse(CASE).expect("the bench case is valid");
    c.bench_function("reconcile 10 pods, 3 metrics", |b| {
        b.iter(|| case::evaluate(std::hint::black_box(&parsed)))
    });
    let Autoscaler::Hpa(hpa) = &parsed.autoscaler else {
        unreachable!("the bench case is an HPA")
    };
    let inputs = |pods: &[Pod], readings: &[Reading]| -> horizontal::HpaOutcome {
        horizontal::reconcile_with(
            std::hint::black_box(&Reconcile {
                now: parsed.now,
                hpa,
                target: parsed.target,
                pods,
                readings,
                history: parsed.history.as_ref(),
                controller: &parsed.controller,
            }),
            Text::Numbers,
        )
    };
    c.bench_function(
        "reconcile 10 pods, 3 metrics, as the simulator calls it",
        |b| b.iter(|| inputs(&parsed.pods, &parsed.readings)),
    );
    // One cohort of 10 identical pods, one sample each for the per-pod metrics.
    let (cohorts, readings) = cohort::cohort(&parsed);
    c.bench_function("reconcile 10 pods as one cohort, 3 metrics", |b| {
        b.iter(|| inputs(&cohorts, &readings))
    });
    c.bench_function("parse + reconcile (YAML text)", |b| {
        b.iter(|| case::evaluate_text(std::hint::black_box(CASE)).unwrap())
    });
}

/// Hostile input must be refused fast (target: < 50 ms each).
fn hostile(c: &mut Criterion) {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let nested = "[".repeat(200_000);
    let big = format!("now: 1\nnote: \"{}\"\n", "x".repeat(2 << 20));
    c.bench_function("reject alias bomb (10^12 nodes)", |b| {
        b.iter(|| case::evaluate_text(std::hint::black_box(&bomb)).unwrap_err())
    });
    c.bench_function("reject 200 000 nested [", |b| {
        b.iter(|| case::evaluate_text(std::hint::black_box(&nested)).unwrap_err())
    });
    c.bench_function("reject a 2 MiB input", |b| {
        b.iter(|| case::evaluate_text(std::hint::black_box(&big)).unwrap_err())
    });
}

criterion_group!(benches, bench, hostile);
criterion_main!(benches);
