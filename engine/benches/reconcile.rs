//! One HPA reconcile with 10 pods and 3 metrics (cpu utilization, a Pods
//! metric, an External metric), the behavior path with history.
//! Run: `cargo bench -p replicast-engine --bench reconcile`.

use criterion::{Criterion, criterion_group, criterion_main};
use replicast_engine::case;

const CASE: &str = include_str!("reconcile-case.yaml");

fn bench(c: &mut Criterion) {
    let parsed = case::parse(CASE).expect("the bench case is valid");
    c.bench_function("reconcile 10 pods, 3 metrics", |b| {
        b.iter(|| case::evaluate(std::hint::black_box(&parsed)))
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
