//! Misplaced or ignored settings: written, accepted, and never read.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::model::{Kind, Model, get, same_ns};
use super::{Finding, rules};
use crate::error::Path;

pub(crate) fn check(m: &Model<'_>, out: &mut Vec<Finding>) {
    keda_annotations_misplaced(m, out);
    replicas_beside_autoscaler(m, out);
    scale_target_not_found(m, out);
    deprecated_api(m, out);
    paused_not_boolean(m, out);
    cooldown_without_zero(m, out);
}

/// `RC201`: an `autoscaling.keda.sh/*` annotation (`paused`,
/// `paused-replicas`, `paused-scale-in`, ...) on an object other than a
/// ScaledObject or ScaledJob. KEDA reads these only from its own objects'
/// metadata (kedacore/keda `apis/keda/v1alpha1/scaledobject_types.go`:
/// `PausedAnnotation`, `PausedReplicasAnnotation`, read by `NeedToBePausedByAnnotation`
/// on the ScaledObject; KEDA documentation "Pause autoscaling"), so on a
/// Deployment or an HPA it pauses nothing.
fn keda_annotations_misplaced(m: &Model<'_>, out: &mut Vec<Finding>) {
    for (doc, raw) in m.docs.iter().enumerate() {
        let kind = raw.get("kind").and_then(Value::as_str).unwrap_or("");
        if matches!(kind, "ScaledObject" | "ScaledJob") {
            continue;
        }
        let Some(ann) = get(raw, &["metadata", "annotations"]).and_then(Value::as_object) else {
            continue;
        };
        for key in ann.keys().filter(|k| k.starts_with("autoscaling.keda.sh/")) {
            let name = get(raw, &["metadata", "name"])
                .and_then(Value::as_str)
                .unwrap_or("");
            let so = m.autoscalers.iter().find(|a| {
                a.kind == Kind::ScaledObject && a.target_kind == kind && a.target_name == name
            });
            let who = match so {
                Some(so) => format!("{} keeps scaling", so.label()),
                None => String::from("any ScaledObject of it keeps scaling"),
            };
            out.push(Finding::new(
                &rules::KEDA_ANNOTATION_MISPLACED,
                Path::root().index(doc).child("metadata").child("annotations").child(key),
                format!(
                    "KEDA reads {key:?} only from a ScaledObject or ScaledJob, never from a {kind}: here it does nothing and {who}; move the annotation to the ScaledObject's metadata.annotations"
                ),
            ));
        }
    }
}

/// `RC202`: `spec.replicas` written on a workload that an autoscaler
/// manages. Every `kubectl apply` of the manifest resets the count the
/// autoscaler chose (Kubernetes documentation, "Horizontal Pod Autoscaling:
/// Migrating Deployments and StatefulSets to horizontal autoscaling": remove
/// `spec.replicas` from the manifests).
fn replicas_beside_autoscaler(m: &Model<'_>, out: &mut Vec<Finding>) {
    for &(doc, w) in &m.workloads {
        if get(&m.docs[doc], &["spec", "replicas"]).is_none() {
            continue;
        }
        let Some(a) = m.autoscalers.iter().find(|a| a.targets(w)) else {
            continue;
        };
        out.push(Finding::new(
            &rules::REPLICAS_BESIDE_AUTOSCALER,
            Path::root().index(doc).child("spec").child("replicas"),
            format!(
                "{} manages the replicas of {}/{}: every `kubectl apply` of this file resets them to {} until the next scaling, a sudden scale-down under load; remove spec.replicas",
                a.label(),
                w.kind,
                w.name,
                w.replicas
            ),
        ));
    }
}

/// `RC204`: an autoscaler's `scaleTargetRef` names no workload of the files
/// while a workload of its namespace is there that no autoscaler targets (a
/// typo in the name or kind). The HPA then reports `FailedGetScale`
/// (kubernetes/kubernetes `horizontal.go`: `reconcileAutoscaler`), KEDA
/// `ScaleTargetNotFound`.
fn scale_target_not_found(m: &Model<'_>, out: &mut Vec<Finding>) {
    for a in &m.autoscalers {
        if m.target_of(a).is_some() {
            continue;
        }
        let orphans: Vec<String> = m
            .workloads
            .iter()
            .filter(|(_, w)| {
                same_ns(&w.namespace, a.namespace) && !m.autoscalers.iter().any(|o| o.targets(w))
            })
            .map(|(_, w)| format!("{}/{}", w.kind, w.name))
            .collect();
        if orphans.is_empty() {
            continue;
        }
        out.push(Finding::new(
            &rules::SCALE_TARGET_NOT_FOUND,
            a.ref_at(),
            format!(
                "{} scales {}/{}, which is not in these files, while {} is and nothing scales it: the autoscaler fails to get its scale target (FailedGetScale) and the workload is never scaled; fix scaleTargetRef's kind and name",
                a.label(),
                a.target_kind,
                a.target_name,
                orphans.join(", ")
            ),
        ));
    }
}

/// `RC205`: an HPA written in an older API version (`autoscaling/v1`,
/// `autoscaling/v2beta2`), which the engine converts as the API server does
/// (kubernetes/kubernetes `pkg/apis/autoscaling/v1/conversion.go`,
/// `v2beta2` removed in Kubernetes 1.26).
fn deprecated_api(m: &Model<'_>, out: &mut Vec<Finding>) {
    for &(doc, warnings) in &m.hpa_warnings {
        for w in warnings {
            out.push(Finding::new(
                &rules::DEPRECATED_API,
                Path::root().index(doc).child("apiVersion"),
                format!("{w}; write it as autoscaling/v2"),
            ));
        }
    }
}

/// `RC206`: `autoscaling.keda.sh/paused` on a ScaledObject with a value Go's
/// `strconv.ParseBool` does not read. KEDA treats it as paused
/// (kedacore/keda `apis/keda/v1alpha1/scaledobject_types.go`:
/// `NeedToBePausedByAnnotation` pauses when the value does not parse), so
/// `"no"` or `"disabled"` pause the object.
fn paused_not_boolean(m: &Model<'_>, out: &mut Vec<Finding>) {
    for a in m
        .autoscalers
        .iter()
        .filter(|a| a.kind == Kind::ScaledObject)
    {
        let key = "autoscaling.keda.sh/paused";
        let Some(v) =
            get(&m.docs[a.doc], &["metadata", "annotations", key]).and_then(Value::as_str)
        else {
            continue;
        };
        if matches!(
            v,
            "1" | "t"
                | "T"
                | "true"
                | "TRUE"
                | "True"
                | "0"
                | "f"
                | "F"
                | "false"
                | "FALSE"
                | "False"
        ) {
            continue;
        }
        out.push(Finding::new(
            &rules::PAUSED_NOT_BOOLEAN,
            Path::root().index(a.doc).child("metadata").child("annotations").child(key),
            format!(
                "{v:?} is not a boolean, and KEDA pauses a ScaledObject whose paused annotation does not parse: {} is paused; write \"true\" or \"false\"",
                a.label()
            ),
        ));
    }
}

/// `RC207`: `cooldownPeriod` on a ScaledObject whose `minReplicaCount` is
/// above 0. The cooldown only delays the scale to zero; between 1 and max
/// the HPA's scale-down stabilization applies (KEDA documentation,
/// ScaledObject specification, `cooldownPeriod`; kedacore/keda
/// `pkg/scaling/executor/scale_scaledobjects.go`: the cooldown is checked
/// only before scaling to 0).
fn cooldown_without_zero(m: &Model<'_>, out: &mut Vec<Finding>) {
    for a in m
        .autoscalers
        .iter()
        .filter(|a| a.kind == Kind::ScaledObject && a.min > 0)
    {
        if get(&m.docs[a.doc], &["spec", "cooldownPeriod"]).is_none() {
            continue;
        }
        out.push(Finding::new(
            &rules::COOLDOWN_WITHOUT_ZERO,
            Path::root().index(a.doc).child("spec").child("cooldownPeriod"),
            format!(
                "{} never scales to zero (minReplicaCount {}), and cooldownPeriod only delays the scale to zero: it has no effect; set advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds to slow scale-down",
                a.label(),
                a.min
            ),
        ));
    }
}
