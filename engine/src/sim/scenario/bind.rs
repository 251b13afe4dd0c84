//! Binding each autoscaler's metrics and triggers to the simulated workload's signals.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::manifest::{self, Manifests, Workload};
use crate::sim::infer::{self, Assumption};

use super::manifests::object_path;
use super::signals::{trigger_signal_name, unmapped};
use super::{AutoscalerKind, AutoscalerPlan, MAX_REPLICAS, Signal, Source, err, join};

/// Binds the manifests to the simulation: the one workload they scale and
/// a plan per autoscaler, with warnings on what is simulated as written
/// but would not run so in a cluster.
pub(super) fn bind(
    m: &Manifests,
    m_at: &Path,
    signals: &BTreeMap<String, Signal>,
    warnings: &mut Vec<String>,
    assumptions: &mut Vec<Assumption>,
) -> Result<(Workload, Vec<AutoscalerPlan>), Error> {
    if let Some((target, plan)) = crate::sim::knative::bind(m, m_at, assumptions)? {
        warnings.push(crate::sim::knative::assumptions_text(&plan.name));
        warn_on_target(m, &target, warnings);
        return Ok((target, alloc::vec![plan]));
    }
    let target = target_workload(m, m_at, warnings)?;
    warn_on_target(m, &target, warnings);
    let plans = plans(m, m_at, signals, warnings, assumptions)?;
    Ok((target, plans))
}

/// The workload every autoscaler scales (one per scenario), or the only
/// Deployment when there is no autoscaler.
fn target_workload(
    m: &Manifests,
    m_at: &Path,
    warnings: &mut Vec<String>,
) -> Result<Workload, Error> {
    // Which workload do the autoscalers scale?
    let mut targets: Vec<(String, String, Path)> = Vec::new();
    for h in m.hpas() {
        let r = &h.hpa.spec.scale_target_ref;
        let p = object_path(m_at, h.document)
            .child("spec")
            .child("scaleTargetRef")
            .child("name");
        targets.push((
            format!("HorizontalPodAutoscaler {}", h.hpa.metadata.name),
            r.name.clone(),
            p,
        ));
    }
    for s in m.scaled_objects() {
        let p = object_path(m_at, s.document)
            .child("spec")
            .child("scaleTargetRef")
            .child("name");
        targets.push((format!("ScaledObject {}", s.name), s.target_name.clone(), p));
    }
    if let Some((first_who, first, _)) = targets.first() {
        if let Some((who, other, p)) = targets.iter().find(|(_, n, _)| n != first) {
            return Err(err(
                ErrorKind::Invalid,
                p.clone(),
                format!(
                    "a scenario simulates one workload: {first_who} scales {first:?}, but {who} scales {other:?}"
                ),
            ));
        }
    }
    let workloads: Vec<&Workload> = m.workloads().collect();
    let target = match targets.first() {
        Some((who, name, p)) => match workloads.iter().find(|w| &w.name == name) {
            Some(w) => (*w).clone(),
            None if workloads.is_empty() => {
                warnings.push(format!(
                    "the manifests hold no Deployment {name:?} (which {who} scales): simulated with 1 replica, \
                     no resource requests and no readiness probe; add the Deployment for its requests and probe"
                ));
                stand_in(name)
            }
            None => {
                return Err(err(
                    ErrorKind::Invalid,
                    p.clone(),
                    format!(
                        "{who} scales {name:?}, which the manifests do not hold (they hold {})",
                        workloads
                            .iter()
                            .map(|w| format!("{} {:?}", w.kind, w.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        },
        None => match workloads.as_slice() {
            [w] => {
                warnings.push(format!(
                    "no autoscaler in the manifests: {} {} stays at {} replicas",
                    w.kind, w.name, w.replicas
                ));
                (*w).clone()
            }
            // A ScaledJob's Jobs are its workload (`super::jobs`).
            [] if m.ignored().any(|x| x.kind == "ScaledJob") => Workload {
                replicas: 0,
                ..stand_in("jobs")
            },
            [] => {
                return Err(err(
                    ErrorKind::Invalid,
                    m_at.clone(),
                    "the manifests hold no Deployment and no autoscaler: nothing to simulate",
                ));
            }
            [_, second, ..] => {
                return Err(err(
                    ErrorKind::Invalid,
                    object_path(m_at, second.document),
                    "several Deployments and no autoscaler: a scenario simulates one workload",
                ));
            }
        },
    };
    if target.replicas > MAX_REPLICAS {
        return Err(err(
            ErrorKind::Limit,
            object_path(m_at, target.document)
                .child("spec")
                .child("replicas"),
            format!("the simulator models at most {MAX_REPLICAS} replicas"),
        ));
    }
    Ok(target)
}

/// The Deployment an autoscaler names when the manifests hold none: one
/// replica, no requests, no readiness probe.
fn stand_in(name: &str) -> Workload {
    Workload {
        kind: "Deployment".to_string(),
        name: name.to_string(),
        namespace: String::new(),
        annotations: BTreeMap::new(),
        replicas: 1,
        containers: alloc::vec![crate::model::Container {
            name: "app".to_string(),
            ..Default::default()
        }],
        init_containers: Vec::new(),
        pod_requests: None,
        readiness: Vec::new(),
        document: usize::MAX,
    }
}

/// Pause annotations on the workload, an HPA and a ScaledObject on one
/// workload, several HPAs, objects not simulated.
fn warn_on_target(m: &Manifests, target: &Workload, warnings: &mut Vec<String>) {
    for key in [
        "autoscaling.keda.sh/paused",
        "autoscaling.keda.sh/paused-replicas",
        "autoscaling.keda.sh/paused-scale-in",
        "autoscaling.keda.sh/paused-scale-out",
    ] {
        if let Some(v) = target.annotations.get(key) {
            warnings.push(format!(
                "{} {} carries `{key}: {v:?}`, which has no effect: KEDA reads its pause annotations \
                 only on the ScaledObject, so nothing is paused here",
                target.kind, target.name
            ));
        }
    }
    let hpas: Vec<&manifest::Hpa> = m.hpas().collect();
    let sos: Vec<&manifest::ScaledObject> = m.scaled_objects().collect();
    if !hpas.is_empty() && !sos.is_empty() {
        warnings.push(format!(
            "HorizontalPodAutoscaler {} and ScaledObject {} both scale {} {}: KEDA's admission webhook \
             would reject the ScaledObject (\"the workload is already managed by the hpa\"); simulated as the fight it is",
            hpas[0].hpa.metadata.name, sos[0].name, target.kind, target.name
        ));
    }
    if hpas.len() > 1 {
        warnings.push(format!(
            "{} HorizontalPodAutoscalers scale {} {}: the controller runs each, and they overwrite each other's replicas",
            hpas.len(),
            target.kind,
            target.name
        ));
    }
    // A ScaledJob (`super::jobs`) and a Knative Service (`sim::knative`)
    // are simulated on loops of their own.
    for x in m
        .ignored()
        .filter(|x| !crate::sim::knative::simulated(x) && x.kind != "ScaledJob")
    {
        warnings.push(format!("{} {} is not simulated", x.kind, x.name));
    }
}

/// A plan per autoscaler, in document order; every autoscaler's problems
/// joined.
fn plans(
    m: &Manifests,
    m_at: &Path,
    signals: &BTreeMap<String, Signal>,
    warnings: &mut Vec<String>,
    assumptions: &mut Vec<Assumption>,
) -> Result<Vec<AutoscalerPlan>, Error> {
    let mut plans = Vec::new();
    let mut error: Option<Error> = None;
    for o in &m.objects {
        match o {
            manifest::Object::Hpa(h) => match bind_hpa(h, m_at, signals, assumptions) {
                Ok(p) => {
                    warnings.extend(h.warnings.iter().cloned());
                    plans.push(p)
                }
                Err(e) => error = Some(join(error, e)),
            },
            manifest::Object::ScaledObject(s) => {
                let at = object_path(m_at, s.document);
                if s.so.hpa_max_replicas() > MAX_REPLICAS {
                    error = Some(join(
                        error,
                        err(
                            ErrorKind::Limit,
                            at.child("spec").child("maxReplicaCount"),
                            format!(
                                "maxReplicaCount {} is beyond what the simulator models ({MAX_REPLICAS} replicas)",
                                s.so.hpa_max_replicas()
                            ),
                        ),
                    ));
                    continue;
                }
                match bind_triggers(s, &at, signals, assumptions) {
                    Ok(sources) => {
                        if s.so.paused() || s.so.paused_replicas().is_some() {
                            warnings.push(format!(
                                "ScaledObject {} is paused by its annotations: KEDA stops its loop and deletes its HPA",
                                s.name
                            ));
                        }
                        plans.push(AutoscalerPlan {
                            name: s.name.clone(),
                            path: at.to_string(),
                            kind: AutoscalerKind::Keda {
                                so: alloc::boxed::Box::new(s.so.clone()),
                                raw: s.raw.clone(),
                                sources,
                            },
                        });
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            _ => {}
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(plans),
    }
}

pub(super) fn bind_hpa(
    h: &manifest::Hpa,
    m_at: &Path,
    signals: &BTreeMap<String, Signal>,
    assumptions: &mut Vec<Assumption>,
) -> Result<AutoscalerPlan, Error> {
    let at = object_path(m_at, h.document);
    let spec_at = at.child("spec");
    if h.hpa.spec.max_replicas > MAX_REPLICAS {
        return Err(err(
            ErrorKind::Limit,
            spec_at.child("maxReplicas"),
            format!(
                "maxReplicas {} is beyond what the simulator models ({MAX_REPLICAS} replicas)",
                h.hpa.spec.max_replicas
            ),
        ));
    }
    let mut sources = Vec::new();
    let mut error = None;
    for (i, ms) in h.hpa.spec.metrics.iter().enumerate() {
        let m_path = spec_at.child("metrics").index(i);
        let bound = match ms.type_.as_str() {
            "Resource" | "ContainerResource" => {
                let (name, field) = match (&ms.resource, &ms.container_resource) {
                    (Some(r), _) => (r.name.as_str(), "resource"),
                    (None, Some(c)) => (c.name.as_str(), "containerResource"),
                    _ => ("", "resource"),
                };
                match signals.get(name).copied().or(match name {
                    "cpu" => Some(Signal::Cpu),
                    "memory" => Some(Signal::Memory),
                    _ => None,
                }) {
                    Some(s) => Ok(Source::MetricsServer(s)),
                    None => Err(err(
                        ErrorKind::Invalid,
                        m_path.child(field).child("name"),
                        format!(
                            "{}; metrics-server itself serves only cpu and memory",
                            unmapped("resource metric", name)
                        ),
                    )),
                }
            }
            "Pods" | "Object" | "External" => {
                let (metric, field) = match ms.type_.as_str() {
                    "Pods" => (ms.pods.as_ref().map(|p| (&p.metric, &p.target)), "pods"),
                    "Object" => (ms.object.as_ref().map(|p| (&p.metric, &p.target)), "object"),
                    _ => (
                        ms.external.as_ref().map(|p| (&p.metric, &p.target)),
                        "external",
                    ),
                };
                let name = metric.map_or("", |(m, _)| m.name.as_str());
                let target_type = metric.map_or("", |(_, t)| t.type_.as_str());
                let at = m_path.child(field);
                let signal = match signals.get(name) {
                    Some(&s) => Ok(s),
                    None => match infer::hpa_metric(&ms.type_, name, target_type) {
                        Some(i) => {
                            assumptions.push(Assumption::new(
                                at.child("metric").child("name"),
                                name,
                                i.signal.name(),
                                i.reason,
                            ));
                            Ok(i.signal)
                        }
                        None => Err(err(
                            ErrorKind::Invalid,
                            at.child("metric").child("name"),
                            infer::unmapped(&format!("{field} metric"), name, field == "pods"),
                        )),
                    },
                };
                signal.map(|s| match ms.type_.as_str() {
                    "Pods" => Source::PodsMetric(s),
                    "Object" => Source::ObjectMetric(s),
                    _ => Source::ExternalMetric(s),
                })
            }
            other => Err(err(
                ErrorKind::Unsupported,
                m_path.child("type"),
                format!("metric type {other:?} is not simulated"),
            )),
        };
        match bound {
            Ok(s) => sources.push(s),
            Err(e) => error = Some(join(error, e)),
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    Ok(AutoscalerPlan {
        name: h.hpa.metadata.name.clone(),
        path: at.to_string(),
        kind: AutoscalerKind::Hpa {
            hpa: alloc::boxed::Box::new(h.hpa.clone()),
            raw: h.raw.clone(),
            sources,
        },
    })
}

/// Binds every trigger of a ScaledObject to a signal: mapped in
/// `signals:`, cpu/memory read by metrics-server, or inferred
/// ([`infer::trigger`]) and listed as an assumption.
pub(super) fn bind_triggers(
    s: &manifest::ScaledObject,
    at: &Path,
    signals: &BTreeMap<String, Signal>,
    assumptions: &mut Vec<Assumption>,
) -> Result<Vec<Source>, Error> {
    let triggers = s
        .raw
        .get("spec")
        .and_then(|sp| sp.get("triggers"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut out = Vec::new();
    let mut error = None;
    for (i, t) in triggers.iter().enumerate() {
        let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
        let name = trigger_signal_name(t).unwrap_or_else(|| ty.to_string());
        let t_at = at.child("spec").child("triggers").index(i);
        let source = match (signals.get(&name).copied(), ty) {
            (Some(sig), "cpu" | "memory") => Some(Source::MetricsServer(sig)),
            (Some(sig), _) => Some(Source::Scaler(sig)),
            // cron reads the scenario's wall clock (`start` + t); its reading
            // is ignored, so any built-in will do.
            (None, "cron") => Some(Source::Scaler(Signal::Replicas)),
            (None, "cpu") => Some(Source::MetricsServer(Signal::Cpu)),
            (None, "memory") => Some(Source::MetricsServer(Signal::Memory)),
            (None, _) => infer::trigger(t).map(|inf| {
                let mut p = t_at.clone();
                for f in inf.field {
                    p = p.child(f);
                }
                assumptions.push(Assumption::new(p, &name, inf.signal.name(), inf.reason));
                Source::Scaler(inf.signal)
            }),
        };
        match source {
            Some(src) => out.push(src),
            None => {
                error = Some(join(
                    error,
                    err(
                        ErrorKind::Invalid,
                        t_at,
                        infer::unmapped(&format!("trigger {i} ({ty})"), &name, false),
                    ),
                ));
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Without `workload.mode`, ScaledObjects that read only brokers' queues
/// (and cpu/memory) simulate a workload whose messages wait in the broker:
/// `mode: queue`, assumed.
pub(super) fn broker_mode(plans: &[AutoscalerPlan]) -> Option<Assumption> {
    let mut first = None;
    for p in plans {
        let AutoscalerKind::Keda { raw, .. } = &p.kind else {
            return None;
        };
        let triggers = raw
            .get("spec")
            .and_then(|s| s.get("triggers"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (i, t) in triggers.iter().enumerate() {
            let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
            if infer::QUEUE_TRIGGERS.contains(&ty) {
                first.get_or_insert((alloc::format!("{}.spec.triggers[{i}]", p.path), ty));
            } else if !matches!(ty, "cpu" | "memory" | "cron") {
                return None;
            }
        }
    }
    let (path, ty) = first?;
    Some(Assumption::new(
        Path::root().child("workload").child("mode"),
        "",
        "queue",
        format!(
            "assumed from the {ty} trigger ({path}): messages wait in the broker, not at the pods"
        ),
    ))
}
