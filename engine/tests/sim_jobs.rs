//! A ScaledJob in a scenario: its Jobs drain the queue, its polls are the
//! decisions and replay through `eval`, and its inputs are read exactly.
#![cfg(feature = "yaml")]

use replicast_engine::case::expect::check_fixture;
use replicast_engine::sim::{self, Options, Trace};
use serde_json::Value;

fn example() -> String {
    let p =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/batch-scaledjob.yaml");
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn jobs_drain_the_queue_and_every_poll_replays() {
    let s = sim::parse(&example()).unwrap_or_else(|e| panic!("{e}"));
    let mut cases: Vec<(f64, Value)> = Vec::new();
    let mut sink = |t: Trace<'_>| cases.push((t.time, t.case));
    let r = sim::run(
        &s,
        &mut Options {
            every: None,
            trace: Some(&mut sink),
        },
    );
    let v = &r.variants[0];
    let col = |n: &str| v.timeline.column(n).unwrap();
    // Every message that arrived was finished and the Jobs left.
    assert!(v.summary.arrived > 100.0, "{}", v.summary.arrived);
    assert_eq!(*col("queue").last().unwrap(), 0.0);
    assert_eq!(*col("replicas").last().unwrap(), 0.0);
    assert!(v.summary.served >= v.summary.arrived.floor() - 1.0);
    // A queue built up and at most maxReplicaCount Jobs ran at once.
    assert!(v.summary.peak_queue > 20.0, "{}", v.summary.peak_queue);
    assert_eq!(v.summary.peak_replicas, 20);
    assert!(col("jobsPending").iter().any(|&p| p > 0.0));
    // One poll each 10 s, each traced; the polls that created Jobs are the
    // decisions, explained.
    assert_eq!(v.summary.reconciles, 720);
    assert_eq!(cases.len(), 720);
    assert!(!v.decisions.is_empty());
    for d in &v.decisions {
        assert!(d.desired_replicas > d.replicas);
        assert!(!d.explanation.is_empty());
        let (_, c) = cases.iter().find(|(t, _)| *t == d.time).unwrap();
        assert_eq!(c["expect"]["jobsToCreate"], d.desired_replicas - d.replicas);
    }
    for (t, c) in &cases {
        let back: Value = serde_json::from_str(&serde_json::to_string(c).unwrap()).unwrap();
        check_fixture(&back).unwrap_or_else(|e| panic!("t = {t}: {e:?}"));
    }
}

fn error(text: &str) -> replicast_engine::error::Error {
    sim::parse(text).expect_err("refused")
}

#[test]
fn a_job_duration_is_required_and_other_triggers_refused() {
    let text = example();
    let e = error(&text.replace(
        "  job: {duration: 2m, parallelism: 1}",
        "  job: {parallelism: 1}",
    ));
    assert_eq!(e.first().path, "workload.job", "{e}");
    let e = error(&text.replace(
        "type: rabbitmq\n        metadata:\n",
        "type: prometheus\n        metadata:\n          serverAddress: http://prometheus:9090\n          query: up\n          threshold: \"1\"\n",
    ));
    assert!(e.first().path.ends_with("triggers[0].type"), "{e}");
    assert!(e.first().line.is_some(), "{e}");
}

#[test]
fn a_scaled_job_beside_an_hpa_is_refused_at_the_scaled_job() {
    let text = example().replace(
        "  ---\n  apiVersion: keda.sh/v1alpha1\n  kind: TriggerAuthentication",
        "  ---\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec: {replicas: 1}\n  ---\n  apiVersion: autoscaling/v2\n  kind: HorizontalPodAutoscaler\n  metadata: {name: web}\n  spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]}\n  ---\n  apiVersion: keda.sh/v1alpha1\n  kind: TriggerAuthentication",
    );
    let e = error(&text);
    assert_eq!(e.first().path, "manifests[0]", "{e}");
}
