//! Tuning (shared spec `tune.md`): the inference example gets cheaper, the
//! best reproduces when its manifests are simulated as text, the text keeps
//! its layout, threads do not change the result, refused candidates are
//! counted, an impossible constraint leaves no best.

use replicast_engine::sim;
use replicast_engine::tune::{self, Overrides, Sequential, TuneResult, runner::Threads};
use serde_json::Value;

fn example() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/inference-tune.yaml"
    );
    std::fs::read_to_string(path).expect("the tune example")
}

fn tune_text(text: &str, budget: usize, threads: usize) -> TuneResult {
    let overrides = Overrides {
        budget: Some(budget),
        ..Overrides::default()
    };
    let mut t = tune::prepare(text, None, &overrides).expect("tunable");
    t.run(&Threads(threads), &mut |_| true).expect("runs")
}

/// A 30-minute scenario: a cpu HPA against a step in load.
fn small(tune: &str) -> String {
    format!(
        r#"
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {{name: web}}
  spec:
    replicas: 1
    template: {{spec: {{containers: [{{name: app, resources: {{requests: {{cpu: "1"}}}}}}]}}}}
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {{name: web}}
  spec:
    scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
    minReplicas: 2
    maxReplicas: 10
    metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
duration: 30m
load: [{{constant: 5}}, {{step: {{at: 5m, rate: 40}}}}]
workload: {{capacityPerReplica: 10, coldStart: {{schedule: 1s, pull: 5s, load: 10s}}}}
cost: {{perReplicaHour: 1}}
{tune}
"#
    )
}

#[test]
fn the_inference_example_gets_cheaper_and_reproduces() {
    let text = example();
    let r = tune_text(&text, 60, 2);
    assert!(
        r.baseline.feasible,
        "the example's constraints hold as written"
    );
    let best = r.best.as_ref().expect("a feasible candidate");
    assert!(
        best.objective < r.baseline.objective,
        "best {} vs written {}",
        best.objective,
        r.baseline.objective
    );
    assert!(!best.changes.is_empty());
    assert!(r.feasible >= 1 && r.evaluated <= 60);

    // The scenario with `manifests` replaced by best.manifests.
    let node = replicast_engine::yaml::parse_single(&text, &Default::default()).unwrap();
    let mut v = node.to_json().unwrap();
    v["manifests"] = Value::String(best.manifests.clone());
    let again = sim::simulate(&sim::scenario::from_value(&v).expect("the tuned manifests read"));
    assert_eq!(
        serde_json::to_value(&again.variants[0].summary).unwrap(),
        serde_json::to_value(&best.summary).unwrap()
    );

    // Only the changed scalars differ: same lines, comments included.
    let written = v_manifests(&text);
    let (a, b): (Vec<&str>, Vec<&str>) =
        (written.lines().collect(), best.manifests.lines().collect());
    assert_eq!(a.len(), b.len(), "no line added or removed");
    let differing: Vec<(&str, &str)> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x, *y))
        .collect();
    assert_eq!(differing.len(), best.changes.len());
    for (x, y) in differing {
        let key = |l: &str| l.split(':').next().unwrap_or("").to_string();
        assert_eq!(key(x), key(y), "{x:?} → {y:?}");
    }
}

fn v_manifests(text: &str) -> String {
    let node = replicast_engine::yaml::parse_single(text, &Default::default()).unwrap();
    node.to_json().unwrap()["manifests"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn threads_do_not_change_the_result() {
    let text = small("tune: {budget: 30}");
    let one = tune_text(&text, 30, 1).to_json();
    let three = tune_text(&text, 30, 3).to_json();
    assert_eq!(one, three);
    let mut t = tune::prepare(&text, None, &Overrides::default()).unwrap();
    let seq = t.run(&Sequential, &mut |_| true).unwrap().to_json();
    assert_eq!(one, seq);
}

#[test]
fn refused_candidates_are_skipped_and_counted() {
    // minReplicas 12 is above maxReplicas 10: the API server refuses it.
    let text = small(
        "tune:\n  knobs:\n  - {object: HorizontalPodAutoscaler/web, path: spec.minReplicas, values: [1, 3, 12]}",
    );
    let r = tune_text(&text, 10, 2);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.evaluated, 2);
    assert!(r.best.is_some());
}

#[test]
fn an_impossible_constraint_leaves_no_best() {
    let text = small("tune:\n  constraints: {replicaHours: {max: 0.01}}");
    let r = tune_text(&text, 12, 2);
    assert!(r.best.is_none());
    assert_eq!(r.feasible, 0);
    assert!(!r.frontier.is_empty());
}

#[test]
fn tune_section_errors_are_located() {
    let text = small(
        "tune:\n  knobs:\n  - {object: HorizontalPodAutoscaler/nope, path: spec.minReplicas, range: [1, 3]}",
    );
    let e = tune::prepare(&text, None, &Overrides::default())
        .err()
        .expect("refused");
    let p = e.first();
    assert_eq!(p.path, "tune.knobs[0].object");
    assert!(p.line.is_some(), "{p:?}");
    let bad = small("tune: {}").replace(
        "duration: 30m",
        "duration: 30m\nvariants: [{name: a, tune: {}}]",
    );
    let e = sim::parse(&bad).expect_err("tune inside a variant is refused");
    assert!(e.first().message.contains("unknown field `tune`"), "{e}");
}
