//! One HPA reconcile with 10 pods and 3 metrics (cpu utilization, a Pods
//! metric, an External metric), the behavior path with history.
//! Run: `cargo bench -p replicast-engine --bench reconcile`.

use criterion::{Criterion, criterion_group, criterion_main};
use replicast_engine::case;

const CASE: &str = r#"
now: 1000
hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    minReplicas: 2
    maxReplicas: 50
    metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "10"}}
    - type: External
      external: {metric: {name: rps}, target: {type: AverageValue, averageValue: "100"}}
    behavior:
      scaleUp: {stabilizationWindowSeconds: 60, policies: [{type: Pods, value: 2, periodSeconds: 30}]}
target: {replicas: 10}
pods:
  - {name: p0, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p1, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p2, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p3, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p4, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p5, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p6, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p7, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p8, requests: {cpu: "1"}, startTime: 0, readySince: 60}
  - {name: p9, requests: {cpu: "1"}, startTime: 900, readySince: 960}
metrics:
  - podValues: {p0: 900m, p1: 950m, p2: 800m, p3: 1, p4: 700m, p5: 900m, p6: 1100m, p7: 850m, p8: 990m, p9: 400m}
  - podValues: {p0: "12", p1: "14", p2: "9", p3: "11", p4: "13", p5: "12", p6: "10", p7: "15", p8: "12", p9: "8"}
  - values: ["1500", "400"]
history:
  recommendations: [{time: 950, replicas: 10}, {time: 980, replicas: 11}]
  scaleUpEvents: [{time: 985, change: 1}]
"#;

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
