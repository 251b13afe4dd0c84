//! Properties of the ScaledJob poll that hold for every input: no panic,
//! never a negative count, and (for the default, accurate and eager
//! strategies) never more unfinished Jobs than `maxReplicaCount` (min +
//! 100 when it is unset) through this poll's creations; the same decision
//! from the case's JSON text.

use proptest::prelude::*;
use replicast_engine::case;
use serde_json::{Value, json};

#[allow(clippy::too_many_arguments)]
fn job_case(
    strategy: &str,
    calculation: &str,
    min: Option<i32>,
    max: Option<i32>,
    running: i64,
    pending: i64,
    queues: &[(i64, i64, bool)],
    custom: (i32, &str),
) -> Value {
    let triggers: Vec<Value> = queues
        .iter()
        .enumerate()
        .map(|(i, (_, target, _))| {
            json!({"type": "rabbitmq", "metadata": {
                "host": "amqp://guest:guest@rabbitmq:5672/", "queueName": format!("q{i}"),
                "mode": "QueueLength", "value": target.to_string()}})
        })
        .collect();
    let mut spec = json!({
        "jobTargetRef": {"template": {"spec": {"containers": [{"name": "w"}]}}},
        "scalingStrategy": {"strategy": strategy, "multipleScalersCalculation": calculation,
            "customScalingQueueLengthDeduction": custom.0,
            "customScalingRunningJobPercentage": custom.1},
        "triggers": triggers,
    });
    if let Some(m) = min {
        spec["minReplicaCount"] = m.into();
    }
    if let Some(m) = max {
        spec["maxReplicaCount"] = m.into();
    }
    let readings: Vec<Value> = queues
        .iter()
        .map(|(q, _, fails)| {
            if *fails {
                json!({"error": "connection refused"})
            } else {
                json!({"value": q.to_string()})
            }
        })
        .collect();
    json!({
        "now": 1000,
        "scaledJob": {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob",
            "metadata": {"name": "batch"}, "spec": spec},
        "jobs": {"running": running, "pending": pending},
        "triggers": readings,
    })
}

fn strategies() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["default", "custom", "accurate", "eager"])
}

fn calculations() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["max", "min", "avg", "sum"])
}

fn percentages() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "0", "0.5", "1", "1.5", "-2", "abc", "1e3"])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn a_poll_stays_within_its_bounds(
        strategy in strategies(),
        calculation in calculations(),
        min in prop::option::of(0i32..8),
        max in prop::option::of(1i32..40),
        running in 0i64..60,
        pending_share in 0i64..=100,
        queues in prop::collection::vec((0i64..500, 1i64..20, any::<bool>()), 1..4),
        deduction in -5i32..5,
        percentage in percentages(),
    ) {
        let pending = running * pending_share / 100;
        let value = job_case(strategy, calculation, min, max, running, pending, &queues, (deduction, percentage));
        let parsed = case::from_value(&value).expect("a valid ScaledJob case");
        let d = case::evaluate(&parsed);
        let created = d.jobs_to_create.expect("a ScaledJob decision");
        prop_assert!(created >= 0);
        prop_assert!(d.max_scale.expect("maxScale") >= 0);
        // The bound is minReplicaCount + MaxReplicaCount(): maxReplicaCount,
        // or (upstream's oddity) min + 100 when maxReplicaCount is unset.
        let min_v = i64::from(min.unwrap_or(0));
        let max_v = max.map_or(min_v + 100, i64::from);
        if strategy != "custom" && min_v <= max_v {
            prop_assert!(
                running + created <= running.max(max_v),
                "{running} running + {created} created > max {max_v}: {value}"
            );
        }
        // The same decision from the case's JSON text (notices read from
        // text carry their line and column).
        let text = serde_json::to_string(&value).unwrap();
        let again = case::evaluate(&case::parse(&text).unwrap());
        let unlocated = |mut v: Value| {
            v.as_object_mut().map(|o| o.remove("notices"));
            v
        };
        prop_assert_eq!(unlocated(d.to_json()), unlocated(again.to_json()));
    }
}
