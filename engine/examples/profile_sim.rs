//! Runs the simulator's day-long bench scenario once, for instruction-level
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_sim`
//! (instruction counts stay stable on a loaded machine; wall times do not).
//! `profile_sim model` runs it without the HPAs; `profile_sim cpu N` /
//! `profile_sim external N` run 3 h of one HPA at about N replicas.
//! `profile_sim time N` runs the day N times and prints each run's wall time
//! in ms, one a line (`engine/benches/native-vs-wasm.mjs` reads them).

use replicast_engine::sim;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/inference-ramp-spike.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the inference example");
    let mut s = match args.first().map(String::as_str) {
        Some(kind @ ("cpu" | "external")) => {
            let r: u32 = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(10);
            sim::parse(&scaled(r, kind == "cpu")).expect("valid")
        }
        _ => sim::parse(&text.replace("duration: 6h", "duration: 24h")).expect("valid"),
    };
    if args.first().is_some_and(|a| a == "model") {
        for v in &mut s.variants {
            v.autoscalers.clear();
        }
    }
    let mut opts = sim::Options {
        every: Some(replicast_engine::time::Duration::from_secs(3600)),
        trace: None,
    };
    if args.first().is_some_and(|a| a == "time") {
        let runs: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
        for _ in 0..runs {
            let t = std::time::Instant::now();
            sim::run(std::hint::black_box(&s), &mut opts);
            println!("{:.3}", t.elapsed().as_secs_f64() * 1e3);
        }
        return;
    }
    let r = sim::run(std::hint::black_box(&s), &mut opts);
    let reconciles: usize = r.variants.iter().map(|v| v.summary.reconciles).sum();
    println!("{reconciles} reconciles");
}

/// One variant from r/10 replicas ramping to about r (as `benches/sim.rs`).
fn scaled(r: u32, cpu: bool) -> String {
    let metric = if cpu {
        "- type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}"
    } else {
        "- type: External\n      external: {metric: {name: rps}, target: {type: AverageValue, averageValue: \"7\"}}"
    };
    format!(
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
duration: 3h
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
    )
}
