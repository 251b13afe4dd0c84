//! The scenario's `reference:` and calibration (issue 14): a reference is
//! shown beside every variant with the error figures, and calibration
//! recovers a capacity the reference was generated with.
#![cfg(feature = "yaml")]

use replicast_engine::sim::{self, calibrate::calibrate};

/// A cpu HPA over a day-shaped load; `{cap}` and `{reference}` filled in.
const SCENARIO: &str = r#"
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 2
    template: {spec: {containers: [{name: app, resources: {requests: {cpu: "1"}}}]}}
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {name: web}
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    minReplicas: 2
    maxReplicas: 40
    metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
duration: 2h
step: 1s
load:
  - {constant: 20}
  - {ramp: {from: 10m, to: 40m, rate: 100}}
  - {spike: {at: 70m, for: 15m, rate: 80}}
workload:
  capacityPerReplica: {cap}
  cpu: {idle: 100m, busy: "1"}
  coldStart: {schedule: 2s, pull: 10s, load: 30s}
"#;

fn scenario(cap: f64, reference: Option<&str>) -> String {
    let mut s = SCENARIO.replace("{cap}", &cap.to_string());
    if let Some(csv) = reference {
        s.push_str(&format!("reference:\n  trace: {{csv: {csv:?}}}\n"));
    }
    s
}

/// The replicas of a run at every 15 s, as kube-state-metrics would export
/// them, as `t,replicas` CSV.
fn recorded_replicas(cap: f64) -> String {
    let r = sim::simulate_text(&scenario(cap, None)).unwrap();
    let v = &r.variants[0];
    let (t, replicas) = (
        v.timeline.column("t").unwrap(),
        v.timeline.column("replicas").unwrap(),
    );
    let mut csv = String::from("t,replicas\n");
    for (t, r) in t.iter().zip(replicas).step_by(15) {
        csv.push_str(&format!("{t},{r}\n"));
    }
    csv
}

#[test]
fn the_reference_is_a_column_and_its_error_in_the_summary() {
    let csv = recorded_replicas(10.0);
    let same = sim::simulate_text(&scenario(10.0, Some(&csv))).unwrap();
    let v = &same.variants[0];
    let col = v.timeline.column("reference").expect("a reference column");
    assert_eq!(col.len(), v.timeline.len());
    let e = v.summary.reference.as_ref().expect("the error figures");
    assert_eq!(
        e.mean_absolute_difference, 0.0,
        "the run it was recorded from"
    );
    assert_eq!(e.agreement, 1.0);
    let json = same.to_json();
    assert!(json["variants"][0]["timeline"]["reference"].is_array());
    assert_eq!(json["variants"][0]["summary"]["reference"]["agreement"], 1);

    let off = sim::simulate_text(&scenario(6.0, Some(&csv))).unwrap();
    let e = off.variants[0].summary.reference.clone().unwrap();
    assert!(e.mean_absolute_difference > 1.0, "{e:?}");
    assert!(e.agreement < 0.5, "{e:?}");

    let plain = sim::simulate_text(&scenario(10.0, None)).unwrap();
    assert!(plain.variants[0].timeline.column("reference").is_none());
    assert!(
        plain.to_json()["variants"][0]["summary"]
            .get("reference")
            .is_none()
    );
}

#[test]
fn calibration_recovers_a_known_capacity() {
    let csv = recorded_replicas(10.0);
    for written in [6.0, 16.0] {
        let s = sim::parse(&scenario(written, Some(&csv))).unwrap();
        let c = calibrate(&s).unwrap();
        assert!(
            (c.capacity_per_replica - 10.0).abs() <= 1.0,
            "written {written}: fitted {c:?}"
        );
        assert!(
            c.after.mean_absolute_difference < c.before.mean_absolute_difference / 4.0,
            "{c:?}"
        );
        assert!((c.cold_start_factor - 1.0).abs() < 0.2, "{c:?}");
    }
}

#[test]
fn a_bad_reference_is_refused_at_its_line() {
    let text = scenario(10.0, Some("t,replicas\n0,2\n30,-1\n"));
    let e = sim::parse(&text).unwrap_err();
    assert_eq!(e.first().path, "reference.trace.csv");
    assert!(
        e.first().message.contains("`replicas` cannot be negative"),
        "{e}"
    );
    let s = sim::parse(&scenario(10.0, None)).unwrap();
    let e = calibrate(&s).unwrap_err();
    assert_eq!(e.first().path, "reference");
    let e = sim::parse(&format!(
        "{}reference: {{csv: \"0,1\"}}\n",
        scenario(10.0, None)
    ))
    .unwrap_err();
    assert_eq!(e.first().path, "reference.csv");
}

#[test]
fn the_shipped_example_calibrates_back_to_its_capacity() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/recorded-reference.yaml");
    let s = sim::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let before = sim::simulate(&s).variants[0]
        .summary
        .reference
        .clone()
        .unwrap();
    assert!(before.mean_absolute_difference > 2.0, "{before:?}");
    let c = calibrate(&s).unwrap();
    assert_eq!(c.before, before);
    assert!((c.capacity_per_replica - 25.0).abs() <= 2.5, "{c:?}");
}
