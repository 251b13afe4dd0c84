//! The simulator's cost.
//!
//! - `inference 24h@1s, 2 variants`: the inference example
//!   (`examples/inference-ramp-spike.yaml`) stretched to a day: the load
//!   curve, both variants, 5 760 HPA reconciles each.
//! - `… model only`: the same without the HPA (its reconciles are the
//!   engine's own cost; the difference is what they take).
//! - `replicas/{10,10000}`: one variant that reaches 10 or 10 000 replicas,
//!   with an External-metric HPA (its reconcile reads no pod) and with a
//!   cpu-utilization HPA (the engine's replica calculator reads every pod,
//!   as upstream's does).
//!
//! Run: `cargo bench -p replicast-engine --bench sim`.

use criterion::{Criterion, criterion_group, criterion_main};
use replicast_engine::sim;

fn inference(hours: u32) -> sim::Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/inference-ramp-spike.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the inference example");
    let text = text.replace("duration: 6h", &format!("duration: {hours}h"));
    sim::parse(&text).expect("the inference example is valid")
}

/// One variant that starts at r/10 replicas and ramps to about r.
pub fn scaled(r: u32, cpu: bool, hours: u32) -> sim::Scenario {
    let metric = if cpu {
        "- type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}"
    } else {
        "- type: External\n      external: {metric: {name: rps}, target: {type: AverageValue, averageValue: \"7\"}}"
    };
    let text = format!(
        r#"
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {{name: web}}
  spec:
    replicas: {r0}
    template: {{spec: {{containers: [{{name: app, resources: {{requests: {{cpu: "1"}}}}}}]}}}}
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {{name: web}}
  spec:
    scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
    minReplicas: 1
    maxReplicas: {max}
    metrics:
    {metric}
duration: {hours}h
seed: 1
signals: {{rps: arrivalRate}}
load:
  - {{constant: {base}}}
  - {{ramp: {{from: 1h, to: 2h, rate: {up}}}}}
  - {{noise: {{cv: 0.05}}}}
"#,
        r0 = (r / 10).max(1),
        max = r * 2,
        base = f64::from(r) * 0.7,
        up = f64::from(r) * 6.3,
    );
    sim::parse(&text).expect("valid")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sim");
    g.sample_size(10);
    let day = inference(24);
    g.bench_function("inference 24h@1s, 2 variants", |b| {
        b.iter(|| sim::simulate(std::hint::black_box(&day)))
    });
    let mut model = day.clone();
    for v in &mut model.variants {
        v.autoscalers.clear();
    }
    g.bench_function("inference 24h@1s, 2 variants, model only", |b| {
        b.iter(|| sim::simulate(std::hint::black_box(&model)))
    });
    let mut opts = sim::Options {
        every: Some(replicast_engine::time::Duration::from_secs(60)),
        trace: None,
    };
    g.bench_function("inference 24h@1s, 2 variants, timeline every 60s", |b| {
        b.iter(|| sim::run(std::hint::black_box(&day), &mut opts))
    });
    g.bench_function(
        "inference 24h@1s, 2 variants, model only, timeline every 60s",
        |b| b.iter(|| sim::run(std::hint::black_box(&model), &mut opts)),
    );
    let six = inference(6);
    g.bench_function("inference 6h@1s, 2 variants", |b| {
        b.iter(|| sim::simulate(std::hint::black_box(&six)))
    });
    for r in [10, 10_000] {
        let s = scaled(r, false, 24);
        g.bench_function(format!("replicas/{r} external 24h"), |b| {
            b.iter(|| sim::simulate(std::hint::black_box(&s)))
        });
    }
    for r in [10, 10_000] {
        let s = scaled(r, true, 3);
        g.bench_function(format!("replicas/{r} cpu 3h"), |b| {
            b.iter(|| sim::simulate(std::hint::black_box(&s)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
