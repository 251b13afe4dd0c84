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

criterion_group!(benches, bench);
criterion_main!(benches);
