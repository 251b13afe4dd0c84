//! Will not scale as intended, and the guidance for expensive (GPU) pods
//! and queue consumers.

use alloc::format;
use alloc::vec::Vec;

use serde_json::Value;

use super::model::{Autoscaler, Kind, Model, get, raw_containers, uses_gpu};
use super::{Finding, rules};
use crate::error::Path;
use crate::keda::scalers;
use crate::manifest::Workload;
use crate::quantity::Quantity;

pub(crate) fn check(m: &Model<'_>, out: &mut Vec<Finding>) {
    for a in &m.autoscalers {
        let target = m.target_of(a);
        if let Some((wdoc, w)) = target {
            utilization_without_requests(a, w, out);
            unknown_container(a, w, out);
            utilization_above_limit(a, wdoc, &m.docs[wdoc], out);
            if uses_gpu(w) {
                gpu_guidance(a, w, wdoc, out);
            }
        }
        activation_above_threshold(a, out);
        idle_replicas(m, a, out);
        prometheus_without_aggregation(a, out);
        min_equals_max(a, out);
        scale_down_disabled(a, out);
        zero_without_fallback(m, a, out);
    }
}

/// The containers that must request `resource` for a metric of `container`
/// (all of them, sidecars included, for a pod metric).
fn requesting<'w>(
    w: &'w Workload,
    container: Option<&str>,
) -> impl Iterator<Item = &'w crate::model::Container> {
    let sidecars = w
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    w.containers
        .iter()
        .chain(sidecars)
        .filter(move |c| container.is_none_or(|n| c.name == n))
}

/// `RC301`: a Utilization target on pods where a container (sidecars
/// included) has no request for the resource and no pod-level request is
/// set. The HPA cannot compute a utilization and reports
/// `FailedGetResourceMetric` ("missing request for cpu in container ...");
/// it never scales (kubernetes/kubernetes `replica_calculator.go`:
/// `calculatePodRequests`, `GetResourceReplicas`).
fn utilization_without_requests(a: &Autoscaler<'_>, w: &Workload, out: &mut Vec<Finding>) {
    for r in a.resources.iter().filter(|r| r.utilization.is_some()) {
        if r.container.is_none()
            && w.pod_requests
                .as_ref()
                .is_some_and(|p| p.contains_key(&r.resource))
        {
            continue;
        }
        let missing: Vec<&str> = requesting(w, r.container.as_deref())
            .filter(|c| !c.requests.contains_key(&r.resource))
            .map(|c| c.name.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        out.push(Finding::new(
            &rules::UTILIZATION_WITHOUT_REQUESTS,
            r.at.clone(),
            format!(
                "{} targets {} utilization, but container(s) {} of {}/{} request no {}: the autoscaler reports FailedGetResourceMetric (missing request for {}) and never scales; add resources.requests.{} to every container (or a pod-level request)",
                a.label(),
                r.resource,
                missing.join(", "),
                w.kind,
                w.name,
                r.resource,
                r.resource,
                r.resource
            ),
        ));
    }
}

/// `RC308`: a container metric (HPA `ContainerResource`, KEDA cpu/memory
/// `containerName`) naming a container the pod template does not have. The
/// HPA reports `FailedGetContainerResourceMetric` ("container ... not
/// present in pod") and never scales on it (kubernetes/kubernetes
/// `replica_calculator.go`: `calculatePodRequests`).
fn unknown_container(a: &Autoscaler<'_>, w: &Workload, out: &mut Vec<Finding>) {
    for r in &a.resources {
        let Some(name) = r.container.as_deref() else {
            continue;
        };
        if requesting(w, Some(name)).next().is_some() {
            continue;
        }
        out.push(Finding::new(
            &rules::UNKNOWN_CONTAINER,
            r.at.clone(),
            format!(
                "{} reads container {name:?}, which {}/{} does not have: the metric fails (FailedGetContainerResourceMetric) and never drives scaling; name one of its containers",
                a.label(),
                w.kind,
                w.name
            ),
        ));
    }
}

/// The sum of a resource over `values` in milli-units; `None` when one lacks it.
fn sum_milli<'v>(mut values: impl Iterator<Item = Option<&'v Value>>) -> Option<i64> {
    values.try_fold(0i64, |acc, v| {
        let q = v.and_then(|v| serde_json::from_value::<Quantity>(v.clone()).ok())?;
        Some(acc.saturating_add(q.milli_value()))
    })
}

/// `RC302`: a Utilization target that the pods' limits never let them
/// reach: target × request above the limit. cpu is throttled at its limit
/// and memory is OOM-killed at it, so the utilization stays below the target
/// and the metric never asks for a scale-up (utilization is usage over
/// request: kubernetes/kubernetes `metrics/utilization.go`:
/// `GetResourceUtilizationRatio`; limits: Kubernetes documentation "Resource
/// Management for Pods and Containers").
fn utilization_above_limit(a: &Autoscaler<'_>, wdoc: usize, raw: &Value, out: &mut Vec<Finding>) {
    let containers = raw_containers(wdoc, raw);
    for r in &a.resources {
        let Some(u) = r.utilization else { continue };
        let chosen: Vec<&Value> = containers
            .iter()
            .filter(|(_, c)| {
                r.container
                    .as_deref()
                    .is_none_or(|n| c.get("name").and_then(Value::as_str) == Some(n))
            })
            .map(|(_, c)| *c)
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let res = r.resource.as_str();
        let limit = sum_milli(chosen.iter().map(|c| get(c, &["resources", "limits", res])));
        let request = sum_milli(chosen.iter().map(|c| {
            get(c, &["resources", "requests", res])
                .or_else(|| get(c, &["resources", "limits", res]))
        }));
        let (Some(limit), Some(request)) = (limit, request) else {
            continue;
        };
        if request <= 0 || i128::from(u) * i128::from(request) <= i128::from(limit) * 100 {
            continue;
        }
        let reach = i128::from(limit) * 100 / i128::from(request);
        out.push(Finding::new(
            &rules::UTILIZATION_ABOVE_LIMIT,
            r.at.clone(),
            format!(
                "{} targets {u}% {res} utilization, but the limits cap usage at {reach}% of the requests ({} is {} at its limit): the metric never exceeds its target and never scales up; lower the target below {reach}% or raise the limits",
                a.label(),
                res,
                if res == "memory" { "OOM-killed" } else { "throttled" }
            ),
        ));
    }
}

/// `RC303`: a KEDA trigger whose activation threshold is above its scaling
/// target. Between the target and the activation the HPA would want more
/// replicas but KEDA keeps the workload inactive (at zero or idle)
/// (kedacore/keda `pkg/scaling/scale_handler.go`: `getScaledObjectState`,
/// activity from `GetMetricsAndActivity` against `activation*`; KEDA
/// documentation "Activating and Scaling thresholds").
fn activation_above_threshold(a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    for (k, t) in a.triggers.iter().enumerate() {
        if t.is_resource() {
            continue;
        }
        let Ok(s) = scalers::describe(t, k) else {
            continue;
        };
        // Only a written activation, compared with a known target (a
        // scaler whose target the table does not know reads as NaN).
        let Some(key) = t.metadata.keys().find(|k| k.starts_with("activation")) else {
            continue;
        };
        if s.activation.partial_cmp(&s.target) != Some(core::cmp::Ordering::Greater) {
            continue;
        }
        out.push(Finding::new(
            &rules::ACTIVATION_ABOVE_THRESHOLD,
            Path::root().index(a.doc).child("spec").child("triggers").index(k).child("metadata").child(key.as_str()),
            format!(
                "trigger {k} ({}) activates only above {} but scales for {} per replica: from {} to {} the workload stays inactive though the load needs replicas; set the activation below the target",
                t.type_, s.activation, s.target, s.target, s.activation
            ),
        ));
    }
}

/// `RC304` and `RC305`: `idleReplicaCount`. With only cpu/memory triggers a
/// ScaledObject is never inactive (resource metrics are not activators:
/// kedacore/keda `pkg/scaling/scale_handler.go`), so the idle count is never
/// used; and KEDA documents 0 as the only supported value ("Due to
/// limitations in HPA controller the only supported value for this property
/// is 0"; ScaledObject specification, `idleReplicaCount`).
fn idle_replicas(m: &Model<'_>, a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    if a.kind != Kind::ScaledObject {
        return;
    }
    let Some(idle) = get(&m.docs[a.doc], &["spec", "idleReplicaCount"]).and_then(Value::as_i64)
    else {
        return;
    };
    let at = Path::root()
        .index(a.doc)
        .child("spec")
        .child("idleReplicaCount");
    if !a.triggers.is_empty() && a.triggers.iter().all(|t| t.is_resource()) {
        out.push(Finding::new(
            &rules::IDLE_WITH_RESOURCE_TRIGGERS,
            at.clone(),
            format!(
                "{} has only cpu/memory triggers, which never make it inactive: idleReplicaCount is never used; remove it, or add an event trigger that can be inactive",
                a.label()
            ),
        ));
    }
    if idle != 0 {
        out.push(Finding::new(
            &rules::IDLE_NOT_ZERO,
            at,
            format!(
                "idleReplicaCount {idle}: KEDA supports only 0 here (the HPA it creates cannot hold a count between idle and min), so scaling from idle misbehaves; use 0 or drop it"
            ),
        ));
    }
}

/// PromQL aggregation operators and functions that return one series.
const AGGREGATIONS: &[&str] = &[
    "sum",
    "avg",
    "min",
    "max",
    "count",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "quantile",
    "count_values",
    "scalar",
    "vector",
    "limitk",
    "limit_ratio",
];

/// Whether a PromQL query aggregates: an aggregation operator followed by
/// `(`, `by` or `without`.
fn aggregates(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':')
            {
                i += 1;
            }
            let word = &query[start..i];
            let rest = query[i..].trim_start();
            if AGGREGATIONS.contains(&word)
                && (rest.starts_with('(') || rest.starts_with("by") || rest.starts_with("without"))
            {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// `RC306`: a `prometheus` trigger whose query has no aggregation. When it
/// returns several series KEDA's scaler errors ("prometheus query ...
/// returned multiple elements": kedacore/keda
/// `pkg/scalers/prometheus_scaler.go`: `ExecutePromQuery`), the metric fails,
/// and the fallback or the last count holds.
fn prometheus_without_aggregation(a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    for (k, t) in a.triggers.iter().enumerate() {
        let Some(q) = t.metadata.get("query").filter(|_| t.type_ == "prometheus") else {
            continue;
        };
        if aggregates(q) {
            continue;
        }
        out.push(Finding::new(
            &rules::PROMETHEUS_NO_AGGREGATION,
            Path::root().index(a.doc).child("spec").child("triggers").index(k).child("metadata").child("query"),
            format!(
                "the query {q:?} has no aggregation: as soon as it matches more than one series (a second pod, a label added) KEDA errors \"returned multiple elements\" and the trigger stops scaling; wrap it in sum(...) or another aggregation"
            ),
        ));
    }
}

/// `RC307`: minimum equal to maximum: the autoscaler can only hold the
/// count (kubernetes/kubernetes `horizontal.go`: `normalizeDesiredReplicas`
/// clamps every proposal to [min, max]).
fn min_equals_max(a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    if a.min != a.max {
        return;
    }
    out.push(Finding::new(
        &rules::MIN_EQUALS_MAX,
        a.max_at(),
        format!(
            "{}'s minimum and maximum are both {}: it never scales; raise the maximum, or drop the autoscaler and set the replicas",
            a.label(),
            a.max
        ),
    ));
}

/// `RC309`: `behavior.scaleDown.selectPolicy: Disabled`: the autoscaler
/// never scales down (kubernetes/kubernetes `horizontal.go`:
/// `calculateScaleDownLimitWithBehaviors`, `DisabledPolicySelect`).
fn scale_down_disabled(a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    let disabled = a
        .behavior
        .and_then(|b| b.scale_down.as_ref())
        .and_then(|r| r.select_policy.as_deref())
        == Some("Disabled");
    if disabled {
        out.push(Finding::new(
            &rules::SCALE_DOWN_DISABLED,
            a.behavior_at().child("scaleDown").child("selectPolicy"),
            format!(
                "{} never scales down: the replicas stay at the highest count reached until changed by hand; remove selectPolicy: Disabled if that is not intended",
                a.label()
            ),
        ));
    }
}

/// `RC401`, `RC402`, `RC404`: GPU pods (a `*/gpu` request). cpu says little
/// about a GPU-bound server's load (the HPA documentation's "scaling on
/// custom metrics"; NVIDIA's and vLLM's autoscaling guides scale on queue
/// depth or GPU metrics); scaling them down with no stabilization window
/// (`scaleDown.stabilizationWindowSeconds: 0`, default 300: Kubernetes
/// documentation "Stabilization window") drops pods that take minutes to
/// load; without a readiness probe a pod counts as ready before its model is
/// loaded (`replica_calculator.go`: `groupPods` reads the Ready condition).
fn gpu_guidance(a: &Autoscaler<'_>, w: &Workload, wdoc: usize, out: &mut Vec<Finding>) {
    if a.cpu_only {
        out.push(Finding::new(
            &rules::GPU_ON_CPU_ONLY,
            a.ref_at(),
            format!(
                "{}/{} asks for GPUs but {} scales it on cpu alone: a GPU-bound server's cpu stays low under load, so it does not scale up when the GPUs are saturated; scale on queue depth, requests in flight or GPU utilization",
                w.kind,
                w.name,
                a.label()
            ),
        ));
    }
    if a.scale_down_window() == Some(0) {
        out.push(Finding::new(
            &rules::GPU_NO_STABILIZATION,
            a.behavior_at().child("scaleDown").child("stabilizationWindowSeconds"),
            format!(
                "{} scales GPU pods down with no stabilization window: a dip of one sync removes pods that take minutes to come back; keep a window (the default is 300 s)",
                a.label()
            ),
        ));
    }
    if w.readiness.is_empty() {
        out.push(Finding::new(
            &rules::GPU_NO_READINESS,
            Path::root().index(wdoc).child("spec").child("template").child("spec").child("containers"),
            format!(
                "{}/{} has no readiness probe: its pods count as ready (and take traffic and count in the autoscaler's average) before the model is loaded; add a readinessProbe on the serving endpoint",
                w.kind,
                w.name
            ),
        ));
    }
}

/// Trigger types that consume a queue or stream.
fn is_queue(ty: &str) -> bool {
    [
        "queue",
        "rabbitmq",
        "kafka",
        "servicebus",
        "redis",
        "pubsub",
        "nats",
        "sqs",
        "stream",
        "activemq",
        "pulsar",
    ]
    .iter()
    .any(|q| ty.contains(q))
}

/// `RC403`: a queue consumer that scales to zero (minReplicaCount 0, the
/// default) without `fallback`. When its scaler fails (the broker is
/// unreachable, credentials rotated) KEDA cannot see the backlog and, with
/// no fallback, the workload stays at zero (kedacore/keda
/// `pkg/fallback/fallback.go`: fallback replicas apply only when set).
fn zero_without_fallback(m: &Model<'_>, a: &Autoscaler<'_>, out: &mut Vec<Finding>) {
    if a.kind != Kind::ScaledObject
        || a.min != 0
        || get(&m.docs[a.doc], &["spec", "fallback"]).is_some()
    {
        return;
    }
    let Some(t) = a.triggers.iter().find(|t| is_queue(&t.type_)) else {
        return;
    };
    out.push(Finding::new(
        &rules::ZERO_WITHOUT_FALLBACK,
        Path::root().index(a.doc).child("spec"),
        format!(
            "{} scales a {} consumer to zero with no fallback: when the scaler cannot read the queue the consumer stays at zero while messages pile up; add spec.fallback {{failureThreshold, replicas}}",
            a.label(),
            t.type_
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::aggregates;

    #[test]
    fn promql_aggregation_is_recognised() {
        assert!(aggregates("sum(rate(http_requests_total[2m]))"));
        assert!(aggregates("max by (pod) (x) "));
        assert!(aggregates("sum without(instance)(x)"));
        assert!(!aggregates("rate(http_requests_total{app=\"a\"}[2m])"));
        assert!(!aggregates("vllm:num_requests_waiting{model=\"sum\"}"));
        assert!(!aggregates("summary_total"));
    }
}
