//! A structured generator of hostile evaluation cases, driven by bytes
//! (`arbitrary::Unstructured`): huge, tiny, negative and malformed
//! quantities, replica counts at and beyond the int32 edges, empty and large
//! pod lists, every metric type with every target type, behaviors with odd
//! policies, histories, controller flags, and KEDA ScaledObjects with each
//! known trigger type, fallback, scaling modifiers and pause annotations.
//!
//! [`check`] runs one input and checks the decision's invariants.
//!
//! Shared by the proptest `engine/tests/hostile.rs` and the cargo-fuzz
//! target `fuzz/fuzz_targets/hostile.rs` (both include this file by
//! `#[path]`), so it stays out of the engine's public API. Most generated
//! values are plausible, so that evaluation itself is reached often; the
//! rest are hostile, so that every refusal path is too.

use std::cell::Cell;

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};

thread_local! {
    /// The percent of values that are hostile in the case being built: one
    /// hostile value usually refuses a whole case, so half the cases have
    /// none and the rest a few.
    static HOSTILITY: Cell<u32> = const { Cell::new(0) };
}

/// Whether the next value is a hostile one.
fn wild(u: &mut Unstructured) -> Result<bool> {
    let percent = HOSTILITY.with(Cell::get);
    Ok(percent > 0 && u.int_in_range(0..=99u32)? < percent)
}

/// One generated case as JSON (the evaluation case format).
pub fn case(u: &mut Unstructured) -> Result<Value> {
    let percent = pick(u, &[0, 0, 2, 10])?;
    HOSTILITY.with(|h| h.set(percent));
    if u.ratio(1, 3)? {
        keda_case(u)
    } else {
        hpa_case(u)
    }
}

/// Picks one of `tame`, or, when the value is a hostile one, of `any`.
fn choose<T: Clone>(u: &mut Unstructured, tame: &[T], any: &[T]) -> Result<T> {
    if wild(u)? {
        pick(u, any)
    } else {
        pick(u, tame)
    }
}

/// A positive count: at least 1 unless hostile.
fn positive(u: &mut Unstructured, small: u32) -> Result<Value> {
    if wild(u)? {
        count(u, small)
    } else {
        Ok(json!(u.int_in_range(1..=small.max(1))?))
    }
}

/// A positive quantity: at least 1m unless hostile.
fn positive_quantity(u: &mut Unstructured) -> Result<Value> {
    if wild(u)? {
        quantity(u)
    } else {
        Ok(json!(format!(
            "{}{}",
            u.int_in_range(1..=5000u32)?,
            pick(u, &["m", "", "k", "Mi"])?
        )))
    }
}

/// Picks one of `items`.
fn pick<T: Clone>(u: &mut Unstructured, items: &[T]) -> Result<T> {
    Ok(u.choose(items)?.clone())
}

/// A quantity: mostly plausible, sometimes extreme, negative or malformed;
/// as a string or a JSON number.
fn quantity(u: &mut Unstructured) -> Result<Value> {
    if !wild(u)? {
        return Ok(json!(format!(
            "{}{}",
            u.int_in_range(0..=5000u32)?,
            pick(u, &["m", "", "k", "Mi", "Gi"])?
        )));
    }
    Ok(match u.int_in_range(0..=9)? {
        0..=3 => json!(format!(
            "{}{}",
            u.int_in_range(0..=5000u32)?,
            pick(u, &["m", "", "k", "Mi", "Gi", "u", "n"])?
        )),
        4 => json!(u.int_in_range(0..=1000u32)?),
        5 => json!(pick(
            u,
            &[
                "-1m",
                "-1",
                "-0",
                "0",
                "1n",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "9223372036854775807m",
                "99999999999999999999999",
                "999999999999999999E",
                "8Ei",
                "1E",
                "1e18",
                "1e40",
                "1e-40",
                "-1e40",
                "0.000000001",
                "1.5",
                "+5",
                ".5",
                "1e",
                "",
                "abc",
                "1.2.3",
                "5x",
            ]
        )?),
        6 => json!(pick(
            u,
            &[
                json!(i64::MIN),
                json!(i64::MAX),
                json!(u64::MAX),
                json!(-1),
                json!(0.5),
                json!(-3.25),
                json!(1e300),
                json!(-1e300),
                json!(1e-300),
            ]
        )?),
        7 => json!(format!("-{}m", u.int_in_range(1..=u32::MAX)?)),
        8 => json!(u.arbitrary::<i64>()?),
        _ => json!(format!(
            "{}{}",
            u.arbitrary::<u64>()?,
            pick(u, &["", "m", "E", "Ei", "e9", "e-9", "P"])?
        )),
    })
}

/// An int32-typed field: mostly small, sometimes at or past the edges.
fn count(u: &mut Unstructured, small: u32) -> Result<Value> {
    if !wild(u)? {
        return Ok(json!(u.int_in_range(0..=small)?));
    }
    Ok(match u.int_in_range(0..=7)? {
        0..=4 => json!(u.int_in_range(0..=small)?),
        5 => json!(pick(
            u,
            &[
                json!(i32::MAX),
                json!(i32::MIN),
                json!(-1),
                json!(2_147_483_648i64),
                json!(i64::MAX),
                json!(1.5),
                json!("3"),
            ]
        )?),
        _ => json!(u.arbitrary::<i32>()?),
    })
}

/// A time in seconds: mostly near 1000, sometimes extreme or fractional.
fn time(u: &mut Unstructured) -> Result<Value> {
    if !wild(u)? {
        return Ok(json!(u.int_in_range(0..=2000u32)?));
    }
    Ok(match u.int_in_range(0..=5)? {
        0..=3 => json!(u.int_in_range(0..=2000u32)?),
        4 => json!(f64::from(u.int_in_range(0..=20000u32)?) / 7.0),
        _ => json!(pick(
            u,
            &[
                json!(-1),
                json!(9e9),
                json!(-9e9),
                json!(1e10),
                json!(1e300),
                json!(i64::MIN),
                json!("15s"),
            ]
        )?),
    })
}

/// A maximum replica count for `min`: at least 1 and `min`, up to 50 more
/// (any count when hostile).
fn max_for(u: &mut Unstructured, min: &Value) -> Result<Value> {
    if wild(u)? {
        return count(u, 60);
    }
    let floor = min.as_i64().unwrap_or(0).max(1);
    Ok(json!(
        floor.saturating_add(i64::from(u.int_in_range(0..=50u32)?))
    ))
}

/// `n` items from `f`, where `n` is mostly small.
fn list<F>(u: &mut Unstructured, max: u32, mut f: F) -> Result<Vec<Value>>
where
    F: FnMut(&mut Unstructured, usize) -> Result<Value>,
{
    let n = u.int_in_range(0..=max)?;
    (0..n as usize).map(|i| f(u, i)).collect()
}

fn requests(u: &mut Unstructured) -> Result<Value> {
    let mut m = Map::new();
    for _ in 0..u.int_in_range(0..=2)? {
        m.insert(
            pick(u, &["cpu", "memory", "nvidia.com/gpu"])?.into(),
            quantity(u)?,
        );
    }
    Ok(Value::Object(m))
}

fn pod(u: &mut Unstructured, i: usize) -> Result<Value> {
    let mut p = Map::new();
    p.insert("name".into(), json!(format!("p{i}")));
    if u.ratio(1, 4)? {
        p.insert(
            "phase".into(),
            json!(pick(
                u,
                &["Running", "Pending", "Succeeded", "Failed", "Unknown"]
            )?),
        );
    }
    if u.ratio(1, 4)? {
        p.insert(
            "ready".into(),
            pick(u, &[json!(false), json!("Unknown"), Value::Null])?,
        );
    }
    if u.ratio(1, 2)? {
        p.insert("startTime".into(), time(u)?);
    }
    if u.ratio(1, 3)? {
        p.insert("readySince".into(), time(u)?);
    }
    if u.ratio(1, 10)? {
        p.insert("deleting".into(), json!(true));
    }
    if u.ratio(1, 10)? {
        // A cohort: this many identical pods.
        p.insert("count".into(), count(u, 50)?);
    }
    match u.int_in_range(0..=5)? {
        0..=2 => {
            p.insert(
                "requests".into(),
                json!({"cpu": quantity(u)?, "memory": quantity(u)?}),
            );
        }
        3 => {
            let containers = list(u, 3, |u, j| {
                Ok(json!({"name": format!("c{j}"), "requests": requests(u)?}))
            })?;
            p.insert("containers".into(), json!(containers));
            let init = list(u, 2, |u, j| {
                let mut c = json!({"name": format!("i{j}"), "requests": requests(u)?});
                if u.arbitrary()? {
                    c["restartPolicy"] = json!("Always");
                }
                Ok(c)
            })?;
            p.insert("initContainers".into(), json!(init));
        }
        4 => {
            p.insert("podRequests".into(), requests(u)?);
            p.insert("requests".into(), requests(u)?);
        }
        _ => {}
    }
    Ok(Value::Object(p))
}

/// The pods: none, a few, or (rarely) thousands.
fn pods(u: &mut Unstructured) -> Result<Vec<Value>> {
    let n = match u.int_in_range(0..=19)? {
        0 => 0,
        1 => u.int_in_range(100..=3000)?,
        _ => u.int_in_range(1..=12)?,
    };
    // Large lists repeat one pod shape, so the bytes go further.
    let mut shapes = Vec::new();
    (0..n as usize)
        .map(|i| {
            if shapes.len() < 8 {
                let p = pod(u, i)?;
                shapes.push(p.clone());
                Ok(p)
            } else {
                let mut p = shapes[i % shapes.len()].clone();
                p["name"] = json!(format!("p{i}"));
                Ok(p)
            }
        })
        .collect()
}

/// A target of one of the types `tame` (any type, or a malformed target,
/// when hostile).
fn target(u: &mut Unstructured, tame: &[&str]) -> Result<Value> {
    let ty = choose(u, tame, &["Utilization", "AverageValue", "Value", "Mixed"])?;
    Ok(match ty {
        "Utilization" => json!({"type": ty, "averageUtilization": positive(u, 200)?}),
        "AverageValue" => json!({"type": ty, "averageValue": positive_quantity(u)?}),
        "Value" => json!({"type": ty, "value": positive_quantity(u)?}),
        _ => json!({"type": pick(u, &["Utilization", "AverageValue", "Value", "Bogus"])?,
            "averageUtilization": count(u, 200)?, "averageValue": quantity(u)?, "value": quantity(u)?}),
    })
}

/// One HPA metric and a reading for it (usually of the matching shape).
fn metric(u: &mut Unstructured, pods: &[Value]) -> Result<(Value, Value)> {
    let name = pick(u, &["cpu", "memory", "queue"])?;
    let kind = u.int_in_range(0..=4)?;
    let t = target(
        u,
        match kind {
            0 | 1 => &["Utilization", "AverageValue"],
            2 => &["AverageValue"],
            _ => &["Value", "AverageValue"],
        },
    )?;
    let spec = match kind {
        0 => json!({"type": "Resource", "resource": {"name": name, "target": t}}),
        1 => json!({"type": "ContainerResource", "containerResource":
            {"name": name, "container": pick(u, &["c0", "c1", "app"])?, "target": t}}),
        2 => json!({"type": "Pods", "pods": {"metric": {"name": name}, "target": t}}),
        3 => json!({"type": "Object", "object": {"metric": {"name": name},
            "describedObject": {"kind": "Service", "name": "s", "apiVersion": "v1"}, "target": t}}),
        _ => json!({"type": "External", "external": {"metric": {"name": name,
            "selector": {"matchLabels": {"q": "a"}}}, "target": t}}),
    };
    let mut reading = match u.int_in_range(0..=9)? {
        0 => json!({"error": "the metrics API failed"}),
        1 if wild(u)? => json!({"value": quantity(u)?, "values": list(u, 3, |u, _| quantity(u))?}),
        _ if kind <= 2 => json!({"podValues": pod_values(u, pods)?}),
        _ if kind == 3 => json!({"value": quantity(u)?}),
        _ => json!({"values": list(u, 4, |u, _| quantity(u))?}),
    };
    if u.ratio(1, 4)? {
        reading["timestamp"] = time(u)?;
    }
    if u.ratio(1, 6)? {
        reading["window"] = time(u)?;
    }
    Ok((spec, reading))
}

fn pod_values(u: &mut Unstructured, pods: &[Value]) -> Result<Value> {
    let mut m = Map::new();
    // Large pod lists share one value, so the bytes go further.
    let shared = quantity(u)?;
    for (i, p) in pods.iter().enumerate() {
        if i >= 16 {
            m.insert(
                p["name"].as_str().unwrap_or("x").to_string(),
                shared.clone(),
            );
        } else if !u.ratio(1, 8)? {
            let v = if u.ratio(1, 8)? {
                json!({"value": quantity(u)?, "timestamp": time(u)?, "window": time(u)?})
            } else {
                quantity(u)?
            };
            m.insert(p["name"].as_str().unwrap_or("x").to_string(), v);
        }
    }
    if u.ratio(1, 6)? {
        m.insert("unlisted".into(), quantity(u)?);
    }
    Ok(Value::Object(m))
}

fn rules(u: &mut Unstructured) -> Result<Value> {
    let mut r = Map::new();
    if u.arbitrary()? {
        r.insert("stabilizationWindowSeconds".into(), count(u, 3600)?);
    }
    if u.arbitrary()? {
        r.insert(
            "selectPolicy".into(),
            json!(choose(u, &["Max", "Min", "Disabled"], &["Sideways"])?),
        );
    }
    if u.ratio(1, 5)? {
        let tolerance = if wild(u)? {
            quantity(u)?
        } else {
            json!(format!("{}m", u.int_in_range(0..=500u32)?))
        };
        r.insert("tolerance".into(), tolerance);
    }
    if u.ratio(3, 4)? {
        let at_least = u32::from(!wild(u)?);
        let n = u.int_in_range(at_least..=3)?;
        let policies = (0..n)
            .map(|_| {
                Ok(json!({"type": choose(u, &["Pods", "Percent"], &["Bogus"])?,
                "value": positive(u, 1000)?, "periodSeconds": positive(u, 1800)?}))
            })
            .collect::<Result<Vec<_>>>()?;
        r.insert("policies".into(), json!(policies));
    }
    Ok(Value::Object(r))
}

fn behavior(u: &mut Unstructured) -> Result<Value> {
    let mut b = Map::new();
    if u.arbitrary()? {
        b.insert("scaleUp".into(), rules(u)?);
    }
    if u.arbitrary()? {
        b.insert("scaleDown".into(), rules(u)?);
    }
    Ok(Value::Object(b))
}

fn history(u: &mut Unstructured) -> Result<Value> {
    let event = |u: &mut Unstructured, _| Ok(json!({"time": time(u)?, "change": count(u, 20)?}));
    Ok(json!({
        "recommendations": list(u, 5, |u, _| Ok(json!({"time": time(u)?, "replicas": count(u, 40)?})))?,
        "scaleUpEvents": list(u, 4, event)?,
        "scaleDownEvents": list(u, 4, event)?,
    }))
}

fn controller(u: &mut Unstructured) -> Result<Value> {
    let mut c = Map::new();
    if u.ratio(1, 4)? {
        c.insert(
            "tolerance".into(),
            choose(
                u,
                &[json!(0), json!(0.1), json!(2)],
                &[json!(-0.5), json!(1e308)],
            )?,
        );
    }
    for key in [
        "cpuInitializationPeriod",
        "initialReadinessDelay",
        "downscaleStabilization",
    ] {
        if u.ratio(1, 6)? {
            c.insert(key.into(), time(u)?);
        }
    }
    if u.ratio(1, 4)? {
        c.insert(
            "features".into(),
            json!({"HPAScaleToZero": u.arbitrary::<bool>()?,
                "PodLevelResources": u.arbitrary::<bool>()?,
                "HPAConfigurableTolerance": u.arbitrary::<bool>()?}),
        );
    }
    Ok(Value::Object(c))
}

fn target_replicas(u: &mut Unstructured) -> Result<Value> {
    let mut t = json!({"replicas": count(u, 40)?});
    if u.ratio(1, 4)? {
        t["statusReplicas"] = count(u, 40)?;
    }
    Ok(t)
}

fn hpa_case(u: &mut Unstructured) -> Result<Value> {
    let pods = pods(u)?;
    let (mut metrics, mut readings) = (Vec::new(), Vec::new());
    for _ in 0..u.int_in_range(0..=4)? {
        let (m, r) = metric(u, &pods)?;
        metrics.push(m);
        readings.push(r);
    }
    let min = positive(u, 10)?;
    let max = max_for(u, &min)?;
    let mut spec = json!({
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "w"},
        "maxReplicas": max,
    });
    if u.ratio(3, 4)? {
        spec["minReplicas"] = min;
    }
    if !metrics.is_empty() {
        spec["metrics"] = json!(metrics);
    } else {
        // The API default: one CPU metric at 80 %.
        readings.push(json!({"podValues": pod_values(u, &pods)?}));
    }
    if u.ratio(1, 2)? {
        spec["behavior"] = behavior(u)?;
    }
    let mut c = json!({
        "now": time(u)?,
        "hpa": {"apiVersion": pick(u, &["autoscaling/v2", "autoscaling/v2", "autoscaling/v1"])?,
            "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"}, "spec": spec},
        "target": target_replicas(u)?,
        "pods": pods,
        "metrics": readings,
    });
    if u.ratio(1, 2)? {
        c["history"] = history(u)?;
    }
    if u.ratio(1, 3)? {
        c["controller"] = controller(u)?;
    }
    Ok(c)
}

/// A number as KEDA metadata holds it: a string.
fn meta_number(u: &mut Unstructured) -> Result<Value> {
    Ok(match quantity(u)? {
        Value::String(s) => json!(s),
        other => json!(other.to_string()),
    })
}

/// A positive number as KEDA metadata holds it (any text when hostile).
fn meta_positive(u: &mut Unstructured) -> Result<Value> {
    if wild(u)? {
        meta_number(u)
    } else {
        Ok(json!(u.int_in_range(1..=500u32)?.to_string()))
    }
}

/// One KEDA trigger of a known (or unknown) type and its reading.
fn trigger(u: &mut Unstructured, pods: &[Value]) -> Result<(Value, Value)> {
    let ty = pick(
        u,
        &[
            "rabbitmq",
            "prometheus",
            "aws-sqs-queue",
            "kafka",
            "apache-kafka",
            "cron",
            "cpu",
            "memory",
            "metrics-api",
            "redis",
            "external",
            "no-such-scaler",
        ],
    )?;
    let n = |u: &mut Unstructured| meta_positive(u);
    let metadata = match ty {
        "rabbitmq" => {
            json!({"queueName": "q", "mode": choose(u, &["QueueLength", "MessageRate"], &["", "Bogus"])?,
            "value": n(u)?, "activationValue": n(u)?})
        }
        "prometheus" => json!({"serverAddress": "http://p:9090", "query": "sum(q)",
            "threshold": n(u)?, "activationThreshold": n(u)?}),
        "aws-sqs-queue" => json!({"queueURL": "https://sqs/1/q", "queueLength": n(u)?,
            "activationQueueLength": n(u)?}),
        "kafka" | "apache-kafka" => json!({"bootstrapServers": "k:9092", "consumerGroup": "g",
            "topic": "t", "lagThreshold": n(u)?, "activationLagThreshold": n(u)?,
            "allowIdleConsumers": pick(u, &["true", "false"])?}),
        "cron" => json!({"timezone": choose(u, &["Etc/UTC", "Europe/Berlin"], &["Nowhere/Else"])?,
            "start": choose(u, &["0 8 * * *", "*/5 * * * *", "0 22 * * 1-5"], &["61 * * * *", ""])?,
            "end": choose(u, &["0 18 * * *", "0 6 * * *"], &["bogus", "0 8 * * *"])?,
            "desiredReplicas": n(u)?}),
        "cpu" | "memory" => json!({"value": n(u)?}),
        "metrics-api" => json!({"url": "http://m", "valueLocation": "v", "targetValue": n(u)?,
            "activationTargetValue": n(u)?}),
        "redis" => json!({"address": "r:6379", "listName": "l", "listLength": n(u)?}),
        _ => json!({"value": n(u)?}),
    };
    let mut t = json!({"type": ty, "metadata": metadata});
    if ty == "cpu" || ty == "memory" {
        t["metricType"] = json!(choose(u, &["Utilization", "AverageValue"], &["Value"])?);
    } else if u.ratio(1, 4)? {
        t["metricType"] = json!(choose(u, &["AverageValue", "Value"], &["Utilization"])?);
    }
    let reading = match u.int_in_range(0..=7)? {
        0 => json!({"error": "connection refused"}),
        _ if ty == "cpu" || ty == "memory" => json!({"podValues": pod_values(u, pods)?}),
        1 => json!({"values": list(u, 3, |u, _| quantity(u))?}),
        _ => json!({"value": quantity(u)?}),
    };
    Ok((t, reading))
}

fn keda_case(u: &mut Unstructured) -> Result<Value> {
    let pods = pods(u)?;
    let (mut triggers, mut readings) = (Vec::new(), Vec::new());
    let n = if wild(u)? { 0 } else { u.int_in_range(1..=3)? };
    for _ in 0..n {
        let (t, r) = trigger(u, &pods)?;
        triggers.push(t);
        readings.push(r);
    }
    let mut spec = json!({"scaleTargetRef": {"name": "w"}, "triggers": triggers});
    let min = count(u, 5)?;
    let max = max_for(u, &min)?;
    let set_min = u.ratio(1, 2)?;
    if set_min {
        spec["minReplicaCount"] = min.clone();
    }
    if u.ratio(1, 2)? {
        spec["maxReplicaCount"] = max;
    }
    if u.ratio(1, 6)? {
        let idle = if wild(u)? { count(u, 3)? } else { json!(0) };
        if wild(u)? || (set_min && min.as_i64().is_some_and(|m| m > 0)) {
            spec["idleReplicaCount"] = idle;
        }
    }
    for (key, small) in [
        ("pollingInterval", 60),
        ("cooldownPeriod", 600),
        ("initialCooldownPeriod", 600),
    ] {
        if u.ratio(1, 3)? {
            spec[key] = positive(u, small)?;
        }
    }
    if u.ratio(1, 3)? {
        spec["fallback"] = json!({"failureThreshold": count(u, 5)?, "replicas": count(u, 20)?});
        if u.arbitrary()? {
            spec["fallback"]["behavior"] = json!(choose(
                u,
                &[
                    "static",
                    "currentReplicas",
                    "currentReplicasIfHigher",
                    "currentReplicasIfLower"
                ],
                &["odd"]
            )?);
        }
    }
    let mut advanced = Map::new();
    if u.ratio(1, 3)? {
        advanced.insert(
            "horizontalPodAutoscalerConfig".into(),
            json!({"behavior": behavior(u)?}),
        );
    }
    if u.ratio(1, 4)? {
        // Scaling modifiers need named triggers.
        let names = ["a", "b", "queue"];
        for (i, t) in spec["triggers"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .enumerate()
        {
            t["name"] = json!(names[i % 3]);
        }
        advanced.insert(
            "scalingModifiers".into(),
            json!({"formula": choose(u, &["a", "a * 2", "a / 0", "a > 5 ? a : 0"],
                    &["a + b", "a / b", "queue * 2", "a ?? 0", "1 / 0", "(", "max(a, b)"])?,
                "target": meta_positive(u)?, "activationTarget": meta_number(u)?,
                "metricType": pick(u, &["AverageValue", "Value"])?}),
        );
    }
    if !advanced.is_empty() {
        spec["advanced"] = Value::Object(advanced);
    }
    let mut annotations = Map::new();
    if u.ratio(1, 8)? {
        annotations.insert(
            "autoscaling.keda.sh/paused-replicas".into(),
            meta_number(u)?,
        );
    }
    for key in [
        "autoscaling.keda.sh/paused",
        "autoscaling.keda.sh/paused-scale-in",
        "autoscaling.keda.sh/paused-scale-out",
        "autoscaling.keda.sh/force-activation",
    ] {
        if u.ratio(1, 12)? {
            annotations.insert(key.into(), json!(pick(u, &["true", "false", "maybe"])?));
        }
    }
    let mut c = json!({
        "now": time(u)?,
        "scaledObject": {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
            "metadata": {"name": "so", "annotations": annotations}, "spec": spec},
        "target": target_replicas(u)?,
        "pods": pods,
        "triggers": readings,
    });
    if u.ratio(1, 2)? {
        let n = triggers_len(&c);
        let mut keda =
            json!({"failures": (0..n).map(|_| count(u, 5)).collect::<Result<Vec<_>>>()?});
        if u.arbitrary()? {
            keda["lastActiveTime"] = time(u)?;
        }
        c["keda"] = keda;
    }
    if u.ratio(1, 3)? {
        c["history"] = history(u)?;
    }
    if u.ratio(1, 4)? {
        c["controller"] = controller(u)?;
    }
    Ok(c)
}

fn triggers_len(c: &Value) -> usize {
    c["scaledObject"]["spec"]["triggers"]
        .as_array()
        .map_or(0, Vec::len)
}

/// What became of one input.
pub enum Verdict {
    /// Evaluated, every invariant kept.
    Accepted,
    /// Refused as input, with a message.
    Refused,
    /// The bytes ran out before a case was built.
    Short,
}

/// Fails with `message` unless `ok`.
fn ensure(ok: bool, message: impl FnOnce() -> String) -> std::result::Result<(), String> {
    if ok { Ok(()) } else { Err(message()) }
}

/// Builds a case from `bytes`, reads it from its JSON value and from its
/// text, evaluates it and checks the decision's invariants: both readings
/// agree and decide alike; a refusal has a message; a rescale lands within
/// `[minReplicas, maxReplicas]` (HPA) or at most `maxReplicaCount` (KEDA,
/// unless paused at a count); the history survives a JSON round trip and
/// chains into the next reconcile. Panics are the caller's to catch.
pub fn check(bytes: &[u8]) -> std::result::Result<Verdict, String> {
    use replicast_engine::case::{Autoscaler, evaluate, from_value, parse};
    use replicast_engine::model::History;
    let Ok(value) = case(&mut Unstructured::new(bytes)) else {
        return Ok(Verdict::Short);
    };
    let text = value.to_string();
    let (c, reread) = match (from_value(&value), parse(&text)) {
        (Err(e), Err(_)) => {
            ensure(
                e.problems.iter().all(|p| !p.message.trim().is_empty()),
                || format!("a refusal without a message: {e}"),
            )?;
            return Ok(Verdict::Refused);
        }
        (Ok(c), Ok(reread)) => (c, reread),
        (a, b) => {
            return Err(format!(
                "the value and its JSON text disagree: {:?} vs {:?}\n{text}",
                a.err(),
                b.err()
            ));
        }
    };
    let d = evaluate(&c);
    // Read from text, notices also carry their line and column.
    let unlocated = |mut decision: Value| {
        for n in decision["notices"].as_array_mut().into_iter().flatten() {
            if let Some(n) = n.as_object_mut() {
                n.remove("line");
                n.remove("column");
            }
        }
        decision
    };
    let (json, json_from_text) = (
        unlocated(d.to_json()),
        unlocated(evaluate(&reread).to_json()),
    );
    ensure(json_from_text == json, || {
        format!(
            "the case read back from its text decides differently: {json} vs {json_from_text}\n{text}"
        )
    })?;
    let (current, desired) = (c.target.replicas, d.desired_replicas);
    ensure(desired >= 0, || format!("desired {desired} < 0\n{text}"))?;
    match &c.autoscaler {
        Autoscaler::Hpa(hpa) => {
            let (min, max) = (hpa.spec.min_replicas.unwrap_or(1), hpa.spec.max_replicas);
            ensure(
                desired == current || (min <= desired && desired <= max),
                || format!("a rescale {current} → {desired} outside [{min}, {max}]\n{text}"),
            )?;
        }
        Autoscaler::ScaledObject(so, _) => {
            let max = so.hpa_max_replicas();
            let paused = so.paused_replicas().is_some();
            ensure(desired == current || desired <= max || paused, || {
                format!("a rescale {current} → {desired} above maxReplicaCount {max}\n{text}")
            })?;
        }
        _ => {}
    }
    let history = serde_json::to_value(&d.history).map_err(|e| e.to_string())?;
    let back: History = serde_json::from_value(history.clone())
        .map_err(|e| format!("the history does not read back: {e}"))?;
    ensure(back == d.history, || {
        "the history changes in a JSON round trip".to_string()
    })?;
    let mut next = value;
    next["history"] = history;
    next["target"]["replicas"] = desired.into();
    if let Some(keda) = d.history.keda.as_ref() {
        next["keda"] = serde_json::to_value(keda).map_err(|e| e.to_string())?;
    }
    from_value(&next)
        .map(|_| Verdict::Accepted)
        .map_err(|e| format!("the decision's history does not chain: {e}\n{next}"))
}
