//! What the rules look at: the workloads and the autoscalers of the
//! manifests, each with its document index, plus raw-document helpers for
//! the fields the typed reader does not keep.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::Path;
use crate::keda::spec::Trigger;
use crate::manifest::{Object, Workload};
use crate::spec::hpa::{Behavior, MetricSpec};

/// Which autoscaler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Hpa,
    ScaledObject,
}

/// A resource metric an autoscaler reads: `cpu`/`memory`, optionally one
/// container's, with its target type and utilization percent.
pub(crate) struct ResourceMetric {
    pub resource: String,
    pub container: Option<String>,
    pub utilization: Option<i64>,
    /// Where the metric is written.
    pub at: Path,
}

/// An HPA or a ScaledObject, the parts the rules compare.
pub(crate) struct Autoscaler<'a> {
    pub kind: Kind,
    pub doc: usize,
    pub name: &'a str,
    pub namespace: &'a str,
    pub target_kind: &'a str,
    pub target_name: &'a str,
    /// The replicas it never goes below (a ScaledObject's `minReplicaCount`, 0 by default).
    pub min: i32,
    pub max: i32,
    pub behavior: Option<&'a Behavior>,
    /// The resource metrics (cpu/memory).
    pub resources: Vec<ResourceMetric>,
    /// Whether every metric is a cpu metric.
    pub cpu_only: bool,
    /// The KEDA triggers (empty for an HPA).
    pub triggers: &'a [Trigger],
}

impl Autoscaler<'_> {
    /// `HorizontalPodAutoscaler/web-hpa`.
    pub fn label(&self) -> String {
        let kind = match self.kind {
            Kind::Hpa => "HorizontalPodAutoscaler",
            Kind::ScaledObject => "ScaledObject",
        };
        alloc::format!("{kind}/{}", self.name)
    }

    /// `[doc].spec.scaleTargetRef`.
    pub fn ref_at(&self) -> Path {
        Path::root()
            .index(self.doc)
            .child("spec")
            .child("scaleTargetRef")
    }

    /// `[doc].spec.maxReplicas` (HPA) or `[doc].spec.maxReplicaCount` (ScaledObject).
    pub fn max_at(&self) -> Path {
        let spec = Path::root().index(self.doc).child("spec");
        match self.kind {
            Kind::Hpa => spec.child("maxReplicas"),
            Kind::ScaledObject => spec.child("maxReplicaCount"),
        }
    }

    /// Whether it scales `w`.
    pub fn targets(&self, w: &Workload) -> bool {
        same_ns(self.namespace, &w.namespace)
            && self.target_kind == w.kind
            && self.target_name == w.name
    }

    /// The scale-down rules' stabilization window, when written.
    pub fn scale_down_window(&self) -> Option<i32> {
        self.behavior?
            .scale_down
            .as_ref()?
            .stabilization_window_seconds
    }

    /// Where the behavior is written.
    pub fn behavior_at(&self) -> Path {
        let spec = Path::root().index(self.doc).child("spec");
        match self.kind {
            Kind::Hpa => spec.child("behavior"),
            Kind::ScaledObject => spec
                .child("advanced")
                .child("horizontalPodAutoscalerConfig")
                .child("behavior"),
        }
    }
}

/// Namespaces compare with `""` read as `default`.
pub(crate) fn same_ns(a: &str, b: &str) -> bool {
    fn d(s: &str) -> &str {
        if s.is_empty() { "default" } else { s }
    }
    d(a) == d(b)
}

/// The manifests as the rules see them.
pub(crate) struct Model<'a> {
    pub docs: &'a [Value],
    pub workloads: Vec<(usize, &'a Workload)>,
    pub autoscalers: Vec<Autoscaler<'a>>,
    /// `(doc, hpa warnings)` of HPAs read from an older API version.
    pub hpa_warnings: Vec<(usize, &'a [String])>,
}

impl<'a> Model<'a> {
    pub fn new(docs: &'a [Value], objects: &'a [Option<Object>]) -> Model<'a> {
        let mut m = Model {
            docs,
            workloads: Vec::new(),
            autoscalers: Vec::new(),
            hpa_warnings: Vec::new(),
        };
        for (doc, o) in objects.iter().enumerate() {
            match o {
                Some(Object::Workload(w)) => m.workloads.push((doc, w)),
                Some(Object::Hpa(h)) => {
                    let spec = &h.hpa.spec;
                    let metrics_at = Path::root().index(doc).child("spec").child("metrics");
                    let resources = spec
                        .metrics
                        .iter()
                        .enumerate()
                        .filter_map(|(k, ms)| hpa_resource(ms, &metrics_at, k, doc))
                        .collect::<Vec<_>>();
                    let cpu_only = !spec.metrics.is_empty()
                        && resources.len() == spec.metrics.len()
                        && resources.iter().all(|r| r.resource == "cpu");
                    m.hpa_warnings.push((doc, &h.warnings));
                    m.autoscalers.push(Autoscaler {
                        kind: Kind::Hpa,
                        doc,
                        name: &h.hpa.metadata.name,
                        namespace: &h.hpa.metadata.namespace,
                        target_kind: &spec.scale_target_ref.kind,
                        target_name: &spec.scale_target_ref.name,
                        min: spec.min_replicas.unwrap_or(1),
                        max: spec.max_replicas,
                        behavior: spec.behavior.as_ref(),
                        resources,
                        cpu_only,
                        triggers: &[],
                    });
                }
                Some(Object::ScaledObject(s)) => {
                    let triggers = &s.so.spec.triggers;
                    let at = Path::root().index(doc).child("spec").child("triggers");
                    let resources = triggers
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| t.is_resource())
                        .map(|(k, t)| keda_resource(t, &at.index(k)))
                        .collect::<Vec<_>>();
                    m.autoscalers.push(Autoscaler {
                        kind: Kind::ScaledObject,
                        doc,
                        name: &s.name,
                        namespace: &s.namespace,
                        target_kind: &s.target_kind,
                        target_name: &s.target_name,
                        min: s.so.min_replica_count(),
                        max: s.so.hpa_max_replicas(),
                        behavior: s
                            .so
                            .spec
                            .advanced
                            .as_ref()
                            .and_then(|a| a.horizontal_pod_autoscaler_config.as_ref())
                            .and_then(|c| c.behavior.as_ref()),
                        cpu_only: !triggers.is_empty() && triggers.iter().all(|t| t.type_ == "cpu"),
                        resources,
                        triggers,
                    });
                }
                _ => {}
            }
        }
        m
    }

    /// The workload an autoscaler scales, when it is in the files.
    pub fn target_of(&self, a: &Autoscaler<'_>) -> Option<(usize, &'a Workload)> {
        self.workloads.iter().copied().find(|(_, w)| a.targets(w))
    }

    /// The documents of one kind (`PodDisruptionBudget`, `ScaledJob`).
    pub fn raw_of_kind(&self, kind: &'a str) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
        self.docs
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.get("kind").and_then(Value::as_str) == Some(kind))
    }
}

fn hpa_resource(
    ms: &MetricSpec,
    metrics_at: &Path,
    k: usize,
    doc: usize,
) -> Option<ResourceMetric> {
    let _ = doc;
    let at = metrics_at.index(k);
    let (resource, container, target, at) = if let Some(r) = &ms.resource {
        (
            r.name.clone(),
            None,
            &r.target,
            at.child("resource").child("target"),
        )
    } else if let Some(c) = &ms.container_resource {
        (
            c.name.clone(),
            Some(c.container.clone()),
            &c.target,
            at.child("containerResource").child("target"),
        )
    } else {
        return None;
    };
    let utilization = (target.type_ == "Utilization")
        .then(|| target.average_utilization.map(i64::from))
        .flatten();
    Some(ResourceMetric {
        resource,
        container,
        utilization,
        at,
    })
}

fn keda_resource(t: &Trigger, at: &Path) -> ResourceMetric {
    // `metricType` on the trigger, or the deprecated `metadata.type`.
    let ty = t
        .metric_type
        .clone()
        .or_else(|| t.metadata.get("type").cloned())
        .unwrap_or_default();
    let utilization = (ty == "Utilization")
        .then(|| {
            t.metadata
                .get("value")
                .and_then(|v| v.trim().parse::<i64>().ok())
        })
        .flatten();
    ResourceMetric {
        resource: t.type_.clone(),
        container: t
            .metadata
            .get("containerName")
            .filter(|c| !c.is_empty())
            .cloned(),
        utilization,
        at: at.clone(),
    }
}

/// `value[key1][key2]...` of a raw document.
pub(crate) fn get<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(value, |v, k| v.get(*k))
}

/// The pod template's containers and sidecars (init containers with
/// `restartPolicy: Always`) of a raw workload document, with their paths.
pub(crate) fn raw_containers(doc: usize, raw: &Value) -> Vec<(Path, &Value)> {
    let pod = Path::root()
        .index(doc)
        .child("spec")
        .child("template")
        .child("spec");
    let mut out = Vec::new();
    for (field, sidecars_only) in [("containers", false), ("initContainers", true)] {
        let Some(list) = get(raw, &["spec", "template", "spec", field]).and_then(Value::as_array)
        else {
            continue;
        };
        for (i, c) in list.iter().enumerate() {
            if sidecars_only && c.get("restartPolicy").and_then(Value::as_str) != Some("Always") {
                continue;
            }
            out.push((pod.child(field).index(i), c));
        }
    }
    out
}

/// Whether a workload asks for a GPU (`nvidia.com/gpu`, `amd.com/gpu`, ...).
pub(crate) fn uses_gpu(w: &Workload) -> bool {
    let gpu = |c: &crate::model::Container| c.requests.keys().any(|k| k.ends_with("/gpu"));
    w.containers.iter().any(gpu)
        || w.pod_requests
            .as_ref()
            .is_some_and(|r| r.keys().any(|k| k.ends_with("/gpu")))
}
