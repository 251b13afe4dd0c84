//! The known fields of replicast's own evaluation case format (shared spec
//! `eval-case.md`), written by hand: the types in [`crate::model`]
//! are the truth, and a test walks a fully filled case back through this
//! tree so the two cannot drift apart.
//!
//! `hpa` and `scaledObject` are walked against their API's tree instead;
//! `expect` (fixtures only) is free-form.

use super::Node::{self, Any, Array, Map, Object, Scalar};

/// A whole case.
pub static CASE: Node = Object(&[
    ("controller", &CONTROLLER),
    ("expect", &Any),
    ("history", &HISTORY),
    ("hpa", &Any),
    ("jobs", &JOBS),
    ("keda", &KEDA_STATE),
    ("kpa", &KPA),
    ("metrics", &Array(&READING)),
    ("now", &Scalar),
    ("pods", &Array(&POD)),
    ("scaledJob", &Any),
    ("scaledObject", &Any),
    ("target", &TARGET),
    ("triggers", &Array(&READING)),
]);

/// A Knative KPA tick (`tests/cases/README.md`); the revision and the
/// ConfigMap are Knative's objects, not walked.
static KPA: Node = Object(&[
    ("config", &Any),
    ("memory", &KPA_MEMORY),
    (
        "observed",
        &Object(&[("panic", &Scalar), ("stable", &Scalar)]),
    ),
    ("reachable", &Scalar),
    ("readyPods", &Scalar),
    ("revision", &Any),
    ("samples", &Array(&Scalar)),
    ("status", &KPA_STATUS),
]);

static KPA_MEMORY: Node = Object(&[
    (
        "delayWindow",
        &Array(&Object(&[("pods", &Scalar), ("time", &Scalar)])),
    ),
    ("maxPanicPods", &Scalar),
    ("panicSince", &Scalar),
]);

static KPA_STATUS: Node = Object(&[
    ("activatorReady", &Scalar),
    ("active", &Scalar),
    ("activeSince", &Scalar),
    ("progressDeadline", &Scalar),
    ("proxySince", &Scalar),
    ("replicas", &Scalar),
    ("scaleTargetInitialized", &Scalar),
]);

static JOBS: Node = Object(&[("pending", &Scalar), ("running", &Scalar)]);

static TARGET: Node = Object(&[("replicas", &Scalar), ("statusReplicas", &Scalar)]);

static REQUESTS: Node = Map(&Scalar);

static CONTAINER: Node = Object(&[
    ("name", &Scalar),
    ("requests", &REQUESTS),
    ("restartPolicy", &Scalar),
]);

static POD: Node = Object(&[
    ("containers", &Array(&CONTAINER)),
    ("count", &Scalar),
    ("deleting", &Scalar),
    ("initContainers", &Array(&CONTAINER)),
    ("name", &Scalar),
    ("phase", &Scalar),
    ("podRequests", &REQUESTS),
    ("ready", &Scalar),
    ("readySince", &Scalar),
    ("requests", &REQUESTS),
    ("startTime", &Scalar),
]);

/// A pod's sample: a quantity, or `{value, timestamp, window}`.
static POD_SAMPLE: Node = Object(&[
    ("timestamp", &Scalar),
    ("value", &Scalar),
    ("window", &Scalar),
]);

static READING: Node = Object(&[
    ("active", &Scalar),
    ("error", &Scalar),
    ("podValues", &Map(&POD_SAMPLE)),
    ("target", &Scalar),
    ("timestamp", &Scalar),
    ("value", &Scalar),
    ("values", &Array(&Scalar)),
    ("window", &Scalar),
]);

static EVENT: Node = Object(&[("change", &Scalar), ("time", &Scalar)]);

static HISTORY: Node = Object(&[
    ("keda", &KEDA_STATE),
    ("kpa", &KPA),
    (
        "recommendations",
        &Array(&Object(&[("replicas", &Scalar), ("time", &Scalar)])),
    ),
    ("scaleDownEvents", &Array(&EVENT)),
    ("scaleUpEvents", &Array(&EVENT)),
]);

static KEDA_STATE: Node = Object(&[("failures", &Array(&Scalar)), ("lastActiveTime", &Scalar)]);

static CONTROLLER: Node = Object(&[
    ("cpuInitializationPeriod", &Scalar),
    ("downscaleStabilization", &Scalar),
    (
        "features",
        &Object(&[
            ("HPAConfigurableTolerance", &Scalar),
            ("HPAScaleToZero", &Scalar),
            ("PodLevelResources", &Scalar),
        ]),
    ),
    ("initialReadinessDelay", &Scalar),
    ("tolerance", &Scalar),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Path;
    use crate::model::*;
    use crate::notice::Notices;
    use alloc::string::String;
    use serde_json::json;

    fn sorted(node: &Node) {
        match node {
            Object(fields) => {
                assert!(fields.windows(2).all(|w| w[0].0 < w[1].0), "{fields:?}");
                fields.iter().for_each(|(_, n)| sorted(n));
            }
            Map(n) | Array(n) => sorted(n),
            Scalar | Any => {}
        }
    }

    #[test]
    fn every_field_of_the_types_is_known() {
        sorted(&CASE);
        let t = crate::time::Instant::from_secs_f64(1.0);
        let d = crate::time::Duration::from_secs(1);
        let q = crate::quantity::Quantity::parse("1").unwrap();
        let requests: alloc::collections::BTreeMap<String, _> = [("cpu".into(), q)].into();
        let container = Container {
            name: "a".into(),
            requests: requests.clone(),
            restart_policy: Some("Always".into()),
        };
        let pod = Pod {
            name: "p".into(),
            phase: Phase::Running,
            ready: Some(ConditionStatus::True),
            ready_since: Some(t),
            start_time: Some(t),
            deleting: true,
            requests: Some(requests.clone()),
            containers: alloc::vec![container.clone()],
            init_containers: alloc::vec![container],
            pod_requests: Some(requests),
            count: Some(2),
        };
        let sample = PodSample {
            value: q,
            timestamp: Some(t),
            window: Some(d),
        };
        let reading = Reading {
            pod_values: Some([("p".into(), sample)].into()),
            value: Some(q),
            values: Some(alloc::vec![q]),
            error: Some("e".into()),
            timestamp: Some(t),
            window: Some(d),
            target: Some(q),
            active: Some(true),
        };
        let keda = KedaState {
            last_active_time: Some(t),
            failures: alloc::vec![1],
        };
        let history = History {
            recommendations: alloc::vec![Recommendation {
                time: t,
                replicas: 1
            }],
            scale_up_events: alloc::vec![ScaleEvent { time: t, change: 1 }],
            scale_down_events: alloc::vec![ScaleEvent { time: t, change: 1 }],
            keda: Some(keda.clone()),
        };
        let case = json!({
            "now": 1, "hpa": {}, "scaledObject": {}, "expect": {"anything": 1},
            "target": ScaleTarget { replicas: 1, status_replicas: Some(1) },
            "pods": [pod], "metrics": [reading.clone()], "triggers": [reading],
            "keda": keda, "history": history, "controller": Controller::default(),
            "scaledJob": {}, "jobs": crate::keda::job::Jobs { running: 2, pending: 1 },
            "kpa": {
                "revision": {}, "config": {}, "samples": [1, null], "readyPods": 1,
                "observed": {"stable": 1, "panic": 1}, "reachable": true,
                "memory": crate::kpa::decider::Memory {
                    panic_since: Some(1.0),
                    max_panic_pods: 1,
                    delay_window: alloc::vec![crate::kpa::decider::Recorded { time: 1.0, pods: 1 }],
                },
                "status": crate::kpa::scaler::State {
                    active_since: Some(1.0),
                    proxy_since: Some(1.0),
                    ..Default::default()
                },
            },
        });
        let mut out = Notices::default();
        super::super::walk(&case, &CASE, &Path::root(), &mut String::new(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
