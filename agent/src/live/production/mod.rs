//! The closed loop with production: what the real controller saw, read from
//! kube-state-metrics through Prometheus, and what it decided.
//!
//! A variant with `replicas: {production: {prometheus, namespace,
//! deployment, hpa, podMetrics}}` is evaluated at each reconcile on
//! [`observe`]'s snapshot, every query at one instant (`time=now`):
//!
//! | case field | series (kube-state-metrics) | upstream reads |
//! | --- | --- | --- |
//! | `target.replicas` | `kube_deployment_spec_replicas` | `scale.Spec.Replicas` (`horizontal.go` `reconcileAutoscaler`) |
//! | `target.statusReplicas` | `kube_deployment_status_replicas` | `scale.Status.Replicas` |
//! | `pods` (which) | `kube_replicaset_owner` (the Deployment's ReplicaSets), `kube_pod_owner` (their pods) | the scale's selector through the pod lister (`replica_calculator.go` `GetResourceReplicas`) |
//! | `pods[].phase` | `kube_pod_status_phase == 1` | `pod.Status.Phase` (`groupPods`) |
//! | `pods[].ready` | `kube_pod_status_ready == 1` (its `condition`) | the Ready condition (`groupPods`) |
//! | `pods[].readySince` | `kube_pod_status_ready_time` (ready), `kube_pod_status_unready_time` (not ready) | the condition's `LastTransitionTime` |
//! | `pods[].startTime` | `kube_pod_start_time` | `pod.Status.StartTime` |
//! | `pods[].deleting` | `kube_pod_deletion_timestamp` present | `pod.DeletionTimestamp != nil` |
//! | a metric's `podValues` | the variant's `podMetrics` query, one series per `pod` label | the metrics API's per-pod samples |
//! | production's decision | `kube_horizontalpodautoscaler_status_desired_replicas` | `hpa.Status.DesiredReplicas` |
//!
//! A count above the loop's cap (the autoscaler's maxReplicas, at most
//! `replicaLimit`) is taken at the cap and says so; a pod whose readiness
//! transition time is not exported is passed without one and says so.
//! Containers' requests come from the variant's Deployment manifest.

mod query;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

pub use query::{Series, parse_vector, query};

use super::shadow::Production;
use crate::http::HttpClient;

/// One pod of the workload as kube-state-metrics reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedPod {
    /// `metadata.name`.
    pub name: String,
    /// `Running`, `Pending`, `Succeeded`, `Failed`.
    pub phase: String,
    /// The Ready condition: `true`, `false`, `"Unknown"`, or null (none).
    pub ready: Value,
    /// The Ready condition's last transition (Unix seconds).
    pub ready_since: Option<f64>,
    /// `status.startTime` (Unix seconds).
    pub start_time: Option<f64>,
    /// Has a deletion timestamp.
    pub deleting: bool,
}

impl ObservedPod {
    /// The pod as an evaluation case writes it, with `containers`.
    pub fn to_case(&self, containers: &Value) -> Value {
        let mut p = json!({
            "name": self.name,
            "phase": self.phase,
            "ready": self.ready,
            "containers": containers,
        });
        if let Some(t) = self.ready_since {
            p["readySince"] = json!(t);
        }
        if let Some(t) = self.start_time {
            p["startTime"] = json!(t);
        }
        if self.deleting {
            p["deleting"] = json!(true);
        }
        p
    }
}

/// Production at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// When the queries were evaluated (Unix seconds).
    pub at: f64,
    /// The Deployment's `spec.replicas` (capped).
    pub replicas: i32,
    /// Its `status.replicas` (capped).
    pub status_replicas: i32,
    /// Its pods, by name (at most the cap).
    pub pods: Vec<ObservedPod>,
    /// Per `podMetrics` entry: pod -> value, or why the query failed.
    pub pod_values: BTreeMap<String, Result<BTreeMap<String, f64>, String>>,
    /// Production's HPA's desired replicas, or why it could not be read.
    pub desired: Result<i32, String>,
    /// What was capped or could not be read exactly.
    pub notes: Vec<String>,
}

/// Reads production at `now` (every query evaluated at that instant).
pub async fn observe(
    client: &HttpClient,
    p: &Production,
    cap: i32,
    now: f64,
) -> Result<Observed, String> {
    let url = crate::http::parse_url(&p.url)?;
    let ns = &p.namespace;
    let run = |promql: String| {
        let url = &url;
        async move { query(client, url, &promql, now).await }
    };
    let deployment = format!("namespace=\"{ns}\",deployment=\"{}\"", p.deployment);
    let mut notes = Vec::new();
    let mut count = |metric: &str, series: Series| -> Result<i32, String> {
        let v = one(&series, metric, &deployment)?;
        Ok(capped(v, cap, metric, &mut notes))
    };
    let replicas = count(
        "kube_deployment_spec_replicas",
        run(format!("kube_deployment_spec_replicas{{{deployment}}}")).await?,
    )?;
    let status_replicas = count(
        "kube_deployment_status_replicas",
        run(format!("kube_deployment_status_replicas{{{deployment}}}")).await?,
    )?;
    let sets: BTreeSet<String> = label_values(
        &run(format!(
            "kube_replicaset_owner{{namespace=\"{ns}\",owner_kind=\"Deployment\",owner_name=\"{}\"}}",
            p.deployment
        ))
        .await?,
        "replicaset",
    );
    let names: BTreeSet<String> = run(format!(
        "kube_pod_owner{{namespace=\"{ns}\",owner_kind=\"ReplicaSet\"}}"
    ))
    .await?
    .into_iter()
    .filter(|(l, _)| l.get("owner_name").is_some_and(|o| sets.contains(o)))
    .filter_map(|(mut l, _)| l.remove("pod"))
    .collect();
    let by_pod = |series: Series, label: Option<&str>| -> BTreeMap<String, (String, f64)> {
        series
            .into_iter()
            .filter_map(|(mut l, v)| {
                let pod = l.remove("pod")?;
                let tag = label.and_then(|k| l.remove(k)).unwrap_or_default();
                Some((pod, (tag, v)))
            })
            .collect()
    };
    let sel = format!("namespace=\"{ns}\"");
    let phase = by_pod(
        run(format!("kube_pod_status_phase{{{sel}}} == 1")).await?,
        Some("phase"),
    );
    let ready = by_pod(
        run(format!("kube_pod_status_ready{{{sel}}} == 1")).await?,
        Some("condition"),
    );
    let ready_time = by_pod(
        run(format!("kube_pod_status_ready_time{{{sel}}}")).await?,
        None,
    );
    let unready_time = by_pod(
        run(format!("kube_pod_status_unready_time{{{sel}}}")).await?,
        None,
    );
    let start = by_pod(run(format!("kube_pod_start_time{{{sel}}}")).await?, None);
    let deleting = by_pod(
        run(format!("kube_pod_deletion_timestamp{{{sel}}}")).await?,
        None,
    );
    let mut pods = Vec::new();
    for name in &names {
        let ready_value = match ready.get(name).map(|(c, _)| c.as_str()) {
            Some("true") => json!(true),
            Some("false") => json!(false),
            Some("unknown") => json!("Unknown"),
            _ => Value::Null,
        };
        let since = if ready_value == json!(true) {
            ready_time.get(name)
        } else {
            unready_time.get(name)
        };
        if since.is_none() && !ready_value.is_null() {
            notes.push(format!(
                "pod {name}: the Ready condition's transition time is not exported (kube_pod_status_{}ready_time): passed without one",
                if ready_value == json!(true) { "" } else { "un" }
            ));
        }
        let phase = match phase.get(name).map(|(p, _)| p.as_str()) {
            Some(p @ ("Pending" | "Running" | "Succeeded" | "Failed")) => p.to_string(),
            other => {
                // groupPods singles out only Pending and Failed (and deleted) pods.
                notes.push(format!(
                    "pod {name}: phase {} read as Running (upstream treats it as neither Pending nor Failed)",
                    other.unwrap_or("not exported")
                ));
                "Running".to_string()
            }
        };
        pods.push(ObservedPod {
            name: name.clone(),
            phase,
            ready: ready_value,
            ready_since: since.map(|(_, t)| *t),
            start_time: start.get(name).map(|(_, t)| *t),
            deleting: deleting.contains_key(name),
        });
    }
    if pods.len() > cap as usize {
        notes.push(format!(
            "{} pods read; the first {cap} by name kept (the cap)",
            pods.len()
        ));
        pods.truncate(cap as usize);
    }
    let mut pod_values = BTreeMap::new();
    for (metric, promql) in &p.pod_metrics {
        // The metrics API is asked for the pods the selector matches only.
        let values = run(promql.clone()).await.map(|series| {
            by_pod(series, None)
                .into_iter()
                .filter(|(pod, _)| pods.iter().any(|p| &p.name == pod))
                .map(|(pod, (_, v))| (pod, v))
                .collect()
        });
        pod_values.insert(metric.clone(), values);
    }
    let desired_sel = format!("namespace=\"{ns}\",horizontalpodautoscaler=\"{}\"", p.hpa);
    let desired = run(format!(
        "kube_horizontalpodautoscaler_status_desired_replicas{{{desired_sel}}}"
    ))
    .await
    .and_then(|s| {
        one(
            &s,
            "kube_horizontalpodautoscaler_status_desired_replicas",
            &desired_sel,
        )
    })
    .map(|v| v as i32);
    Ok(Observed {
        at: now,
        replicas,
        status_replicas,
        pods,
        pod_values,
        desired,
        notes,
    })
}

/// The value of the one series a query must return.
fn one(series: &Series, metric: &str, selector: &str) -> Result<f64, String> {
    match series.as_slice() {
        [(_, v)] if v.is_finite() && *v >= 0.0 && *v <= f64::from(i32::MAX) => Ok(v.round()),
        [(_, v)] => Err(format!(
            "{metric}{{{selector}}} is {v}, not a replica count"
        )),
        [] => Err(format!(
            "no series {metric}{{{selector}}}: does Prometheus scrape kube-state-metrics?"
        )),
        more => Err(format!(
            "{} series {metric}{{{selector}}}: expected one",
            more.len()
        )),
    }
}

/// `v` as a replica count at most `cap`, noting a cap.
fn capped(v: f64, cap: i32, metric: &str, notes: &mut Vec<String>) -> i32 {
    if v > f64::from(cap) {
        notes.push(format!("{metric} read {v}; capped at {cap}"));
        cap
    } else {
        v as i32
    }
}

fn label_values(series: &Series, label: &str) -> BTreeSet<String> {
    series
        .iter()
        .filter_map(|(l, _)| l.get(label).cloned())
        .collect()
}
