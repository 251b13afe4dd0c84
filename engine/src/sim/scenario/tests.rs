//! The scenario reader's tests.

use super::MAX_RATE;
use super::csv::{RATE, read_csv};
use super::reader::from_value;
use super::signals::trigger_signal_name;
use super::text::{round2, secs_text};
use super::variant::merge;
use crate::error::Path;
use crate::sim::load::Segment;
use crate::time::Duration;
use serde_json::Value;
use serde_json::json;

fn manifests() -> Value {
    json!([
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
         "spec": {"replicas": 2, "template": {"spec": {"containers": [
            {"name": "app", "resources": {"requests": {"cpu": "1"}}}]}}}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
         "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 10,
                  "metrics": [{"type": "Pods", "pods": {"metric": {"name": "q"},
                               "target": {"type": "AverageValue", "averageValue": "5"}}}]}}
    ])
}

fn scenario(extra: Value) -> Value {
    let mut s = json!({"manifests": manifests(), "load": [{"constant": 10}],
                       "signals": {"q": "queuePerReplica"}});
    merge(&mut s, &extra);
    s
}

#[test]
fn defaults_apply() {
    let s = from_value(&scenario(json!({}))).unwrap();
    assert_eq!(s.duration, Duration::from_secs(3600));
    assert_eq!(s.step, Duration::from_secs(1));
    assert_eq!(s.steps(), 3600);
    let v = &s.variants[0];
    assert_eq!(v.name, "default");
    assert_eq!(v.pipeline.hpa_sync, Duration::from_secs(15));
    assert_eq!(v.workload.cpu.busy, 1.0);
    assert_eq!(v.autoscalers.len(), 1);
}

#[test]
fn bad_values_name_their_path() {
    let cases = [
        (json!({"step": 0}), "step"),
        (json!({"duration": "31d"}), "duration"),
        (json!({"load": [{"constant": -1}]}), "load[0].constant"),
        (
            json!({"load": [{"ramp": {"from": "2h", "to": "1h", "rate": 5}}]}),
            "load[0].ramp.to",
        ),
        (
            json!({"load": [{"step": {"at": "1m", "rate": -5}}]}),
            "load[0].step.rate",
        ),
        (json!({"load": [{"bogus": 1}]}), "load[0].bogus"),
        (json!({"signals": {"q": "nope"}}), "signals.q"),
        (
            json!({"workload": {"capacityPerReplica": 0}}),
            "workload.capacityPerReplica",
        ),
        (json!({"pipeline": {"hpaSync": 0}}), "pipeline.hpaSync"),
        (json!({"nodes": {"podsPerNode": 0}}), "nodes.podsPerNode"),
        (json!({"extra": 1}), "extra"),
    ];
    for (extra, path) in cases {
        let e = from_value(&scenario(extra.clone())).unwrap_err();
        assert_eq!(e.first().path, path, "{extra}: {e}");
    }
}

#[test]
fn unmapped_metrics_are_named() {
    let mut s = scenario(json!({}));
    s["signals"] = json!({});
    let e = from_value(&s).unwrap_err();
    assert_eq!(
        e.first().path,
        "manifests[1].spec.metrics[0].pods.metric.name"
    );
    assert!(e.first().message.contains("`q`"), "{e}");
}

#[test]
fn variants_override_and_are_attributed() {
    let s = from_value(&scenario(json!({"variants": [
        {"name": "a"},
        {"name": "b", "workload": {"capacityPerReplica": 20}}
    ]})))
    .unwrap();
    assert_eq!(s.variants.len(), 2);
    assert_eq!(s.variants[1].workload.capacity_per_replica, 20.0);
    assert_eq!(s.variants[0].workload.capacity_per_replica, 10.0);
    let e = from_value(&scenario(json!({"variants": [
        {"name": "a", "workload": {"capacityPerReplica": -2}}
    ]})))
    .unwrap_err();
    assert_eq!(e.first().path, "variants[0].workload.capacityPerReplica");
    let e = from_value(&scenario(json!({"variants": [{"name": "a", "load": []}]}))).unwrap_err();
    assert_eq!(e.first().path, "variants[0].load");
    let e = from_value(&scenario(
        json!({"variants": [{"name": "a"}, {"name": "a"}]}),
    ))
    .unwrap_err();
    assert_eq!(e.first().path, "variants[1].name");
}

#[test]
fn csv_traces_are_read() {
    let p = read_csv(
        "t,rate\n0,10\n1m,12 # comment\n\n120;5\n",
        &Path::root(),
        RATE,
    )
    .unwrap();
    assert_eq!(p, alloc::vec![(0.0, 10.0), (60.0, 12.0), (120.0, 5.0)]);
    let e = read_csv("t,rate\n0,10\n0,12\n", &Path::root(), RATE).unwrap_err();
    assert_eq!(e.first().line, Some(3));
    let e = read_csv("0,10\n5,-1\n", &Path::root(), RATE).unwrap_err();
    assert_eq!(e.first().line, Some(2));
}

#[test]
fn keda_triggers_are_named() {
    let t = json!({"type": "aws-sqs-queue", "metadata": {"queueURL": "https://sqs/1/ml-jobs"}});
    assert_eq!(trigger_signal_name(&t).as_deref(), Some("ml-jobs"));
    let t = json!({"type": "prometheus", "metadata": {"metricName": "gpu_utilization"}});
    assert_eq!(trigger_signal_name(&t).as_deref(), Some("gpu_utilization"));
}

#[test]
fn the_default_load_is_sized_and_bounded() {
    assert_eq!(round2(1234.0), 1200.0);
    assert_eq!(round2(0.456), 0.46);
    assert_eq!(round2(-1.0), 0.0);
    let mut s = scenario(json!({"workload": {"capacityPerReplica": 1e300}}));
    s.as_object_mut().unwrap().remove("load");
    let sc = from_value(&s).unwrap();
    let rates: Vec<f64> = sc
        .load
        .iter()
        .map(|seg| match seg {
            Segment::Constant(r) => *r,
            Segment::Ramp { rate, .. } | Segment::Spike { rate, .. } => *rate,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(rates.len(), 3);
    assert!(
        rates.iter().all(|r| (0.0..=MAX_RATE).contains(r)),
        "{rates:?}"
    );
    assert_eq!(sc.variants[0].assumptions[0].path, "load");
}

#[test]
fn secs_text_uses_units() {
    assert_eq!(secs_text(86400.0 * 31.0), "31d");
    assert_eq!(secs_text(5400.0), "90m");
    assert_eq!(secs_text(1.0), "1s");
}
