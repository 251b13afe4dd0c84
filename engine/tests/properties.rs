//! Properties of the HPA decision that hold for every input.

use proptest::prelude::*;
use replicast_engine::case::{self, Decision};
use replicast_engine::model::History;
use serde_json::{Value, json};

/// A Pods-metric HPA case: `values` are the pods' samples (milli-units).
fn pods_case(
    min: i32,
    max: i32,
    current: i32,
    values: &[i64],
    target: i64,
    behavior: bool,
    history: Option<&History>,
) -> Value {
    let pods: Vec<Value> = (0..values.len())
        .map(|i| json!({"name": format!("p{i}")}))
        .collect();
    let samples: serde_json::Map<String, Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("p{i}"), json!(format!("{v}m"))))
        .collect();
    let mut spec = json!({
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "w"},
        "minReplicas": min,
        "maxReplicas": max,
        "metrics": [{"type": "Pods", "pods": {"metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": format!("{target}m")}}}],
    });
    if behavior {
        spec["behavior"] = json!({"scaleDown": {"stabilizationWindowSeconds": 60}});
    }
    let mut c = json!({
        "now": 1000,
        "hpa": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": spec},
        "target": {"replicas": current},
        "pods": pods,
        "metrics": [{"podValues": samples}],
    });
    if let Some(h) = history {
        c["history"] = serde_json::to_value(h).unwrap();
    }
    c
}

fn eval(c: &Value) -> Decision {
    case::evaluate(&case::from_value(c).expect("generated cases are valid"))
}

fn bounds() -> impl Strategy<Value = (i32, i32, i32)> {
    (1i32..20, 0i32..40).prop_flat_map(|(min, span)| {
        let max = min + span;
        (Just(min), Just(max), min..=max)
    })
}

proptest! {
    #[test]
    fn desired_stays_within_min_and_max(
        (min, max, current) in bounds(),
        per_pod in 0i64..100_000,
        target in 1i64..50_000,
        behavior in any::<bool>(),
    ) {
        let values = vec![per_pod; current as usize];
        let d = eval(&pods_case(min, max, current, &values, target, behavior, None));
        prop_assert!(d.desired_replicas >= min && d.desired_replicas <= max, "{} not in [{min}, {max}]", d.desired_replicas);
    }

    #[test]
    fn inside_the_tolerance_band_nothing_changes(
        (min, max, current) in bounds(),
        target in 100i64..50_000,
        // usage ratio strictly inside [0.9, 1.1]
        permille in 901i64..1100,
        behavior in any::<bool>(),
    ) {
        let per_pod = (target * permille + 999) / 1000; // ceil: ratio in [0.901, 1.1)
        let values = vec![per_pod; current as usize];
        let d = eval(&pods_case(min, max, current, &values, target, behavior, None));
        prop_assert_eq!(d.metrics[0].replicas, Some(current));
        prop_assert_eq!(d.desired_replicas, current);
    }

    #[test]
    fn proposal_is_monotonic_in_the_metric(
        current in 1i32..30,
        target in 1i64..10_000,
        low in 0i64..100_000,
        extra in 0i64..100_000,
    ) {
        let max = 1000;
        let a = eval(&pods_case(1, max, current, &vec![low; current as usize], target, false, None));
        let b = eval(&pods_case(1, max, current, &vec![low + extra; current as usize], target, false, None));
        prop_assert!(b.metrics[0].replicas >= a.metrics[0].replicas);
    }

    #[test]
    fn chaining_history_through_json_equals_keeping_it(
        steps in proptest::collection::vec((0i64..60_000, 5u32..60), 1..8),
        behavior in any::<bool>(),
    ) {
        // Run reconciles twice: once holding the history in memory, once
        // round-tripping it through the decision's JSON as a caller would.
        let mut current = 3;
        let mut now = 1000.0;
        let mut kept: Option<History> = None;
        let mut via_json: Option<History> = None;
        for (per_pod, dt) in steps {
            now += f64::from(dt);
            let values = vec![per_pod; current as usize];
            let mut a_case = pods_case(1, 50, current, &values, 10_000, behavior, kept.as_ref());
            a_case["now"] = json!(now);
            let a = eval(&a_case);
            let mut b_case = pods_case(1, 50, current, &values, 10_000, behavior, via_json.as_ref());
            b_case["now"] = json!(now);
            let b = eval(&b_case);
            prop_assert_eq!(&a, &b);
            kept = Some(a.history.clone());
            let round: History = serde_json::from_value(b.to_json()["history"].clone()).unwrap();
            via_json = Some(round);
            current = a.desired_replicas;
        }
    }
}

/// A cpu-utilization case over cohorts `(count, milli-cpu, ready, started)`:
/// with `count` fields, or with every pod listed.
fn cohort_case(cohorts: &[(u32, i64, bool, i64)], current: i32, counted: bool) -> Value {
    let mut pods = Vec::new();
    let mut samples = serde_json::Map::new();
    for (c, &(n, milli, ready, started)) in cohorts.iter().enumerate() {
        let pod = |name: String| {
            json!({"name": name, "requests": {"cpu": "1"}, "ready": ready,
                   "startTime": started, "readySince": started + 30})
        };
        if counted {
            let mut p = pod(format!("c{c}"));
            p["count"] = json!(n);
            pods.push(p);
        } else {
            pods.extend((0..n).map(|k| pod(format!("c{c}-{k}"))));
        }
        for k in 0..n {
            samples.insert(format!("c{c}-{k}"), json!(format!("{milli}m")));
        }
    }
    json!({
        "now": 1000,
        "hpa": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "w"},
            "minReplicas": 1, "maxReplicas": 500,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
        "target": {"replicas": current},
        "pods": pods,
        "metrics": [{"podValues": samples, "timestamp": 990}],
    })
}

/// The calculator's cohort path: one pod with `count: n` and one sample
/// keyed by its own name, against the same pods expanded (as a case reads
/// them). Cohorts with `milli < 0` have no sample (missing pods).
fn cohort_reconcile_matches(cohorts: &[(u32, i64, bool, i64)], current: i32, pods_metric: bool) {
    use replicast_engine::case::Autoscaler;
    use replicast_engine::horizontal::{Reconcile, reconcile_hpa};
    use replicast_engine::model::{Pod, Reading};
    let mut expanded = cohort_case(cohorts, current, false);
    // Missing samples.
    for (c, &(n, milli, _, _)) in cohorts.iter().enumerate() {
        if milli < 0 {
            for k in 0..n {
                expanded["metrics"][0]["podValues"]
                    .as_object_mut()
                    .unwrap()
                    .remove(&format!("c{c}-{k}"));
            }
        }
    }
    if pods_metric {
        expanded["hpa"]["spec"]["metrics"][0] = json!({"type": "Pods", "pods": {
            "metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": "500m"}}});
    }
    let Ok(case) = case::from_value(&expanded) else {
        return; // no sample at all: the case reader refuses it
    };
    let Autoscaler::Hpa(hpa) = &case.autoscaler else {
        unreachable!()
    };
    let mut pods: Vec<Pod> = Vec::new();
    let mut samples = serde_json::Map::new();
    for (c, &(n, milli, ready, started)) in cohorts.iter().enumerate() {
        pods.push(
            serde_json::from_value(json!({"name": format!("c{c}"), "count": n,
                "requests": {"cpu": "1"}, "ready": ready,
                "startTime": started, "readySince": started + 30}))
            .unwrap(),
        );
        if milli >= 0 {
            samples.insert(format!("c{c}"), json!(format!("{milli}m")));
        }
    }
    let readings: Vec<Reading> =
        vec![serde_json::from_value(json!({"podValues": samples, "timestamp": 990})).unwrap()];
    let run = |pods: &[Pod], readings: &[Reading]| {
        reconcile_hpa(&Reconcile {
            now: case.now,
            hpa,
            target: case.target,
            pods,
            readings,
            history: None,
            controller: &case.controller,
        })
    };
    let cohort = run(&pods, &readings);
    let listed = run(&case.pods, &case.readings);
    assert_eq!(cohort, listed);
}

proptest! {
    #[test]
    fn the_cohort_path_decides_as_the_pods_expanded(
        cohorts in prop::collection::vec((1u32..40, -500i64..3000, any::<bool>(), 0i64..1000), 1..5),
        current in 1i32..100,
        pods_metric in any::<bool>(),
    ) {
        cohort_reconcile_matches(&cohorts, current, pods_metric);
    }

    #[test]
    fn counted_pods_decide_as_listed_pods(
        cohorts in prop::collection::vec((1u32..40, 0i64..3000, any::<bool>(), 0i64..1000), 1..5),
        current in 1i32..100,
    ) {
        let a = serde_json::to_value(eval(&cohort_case(&cohorts, current, true))).unwrap();
        let b = serde_json::to_value(eval(&cohort_case(&cohorts, current, false))).unwrap();
        prop_assert_eq!(a, b);
    }
}
