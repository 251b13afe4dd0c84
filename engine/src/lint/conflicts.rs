//! Conflicts: two controllers writing one thing.
//!
//! - `RC101`-`RC103`: two autoscalers on one target. Each HPA controller
//!   reconcile writes the scale subresource from its own metrics
//!   (kubernetes/kubernetes `pkg/controller/podautoscaler/horizontal.go`:
//!   `reconcileAutoscaler` → `scaleNamespacer.Scales(...).Update`), so two of
//!   them overwrite each other every sync period. KEDA's admission webhook
//!   refuses a second autoscaler only when it can see both in the cluster
//!   (kedacore/keda `apis/keda/v1alpha1/scaledobject_webhook.go`:
//!   `verifyHpas`, `verifyScaledObjects`); the linter sees the files.
//! - `RC104`: a ScaledJob and a ScaledObject reading one queue.
//! - `RC105`: a PodDisruptionBudget whose floor is the autoscaler's floor.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::Value;

use super::model::{Kind, Model, get, same_ns};
use super::{Finding, rules};
use crate::error::Path;

pub(crate) fn check(m: &Model<'_>, out: &mut Vec<Finding>) {
    two_autoscalers(m, out);
    scaledjob_same_queue(m, out);
    pdb_at_min(m, out);
}

/// `RC101`, `RC102`, `RC103`: the later autoscaler of a pair on one target
/// is flagged at its `scaleTargetRef`.
fn two_autoscalers(m: &Model<'_>, out: &mut Vec<Finding>) {
    for (j, b) in m.autoscalers.iter().enumerate() {
        let Some(a) = m.autoscalers[..j].iter().find(|a| {
            same_ns(a.namespace, b.namespace)
                && a.target_kind == b.target_kind
                && a.target_name == b.target_name
        }) else {
            continue;
        };
        let rule = match (a.kind, b.kind) {
            (Kind::Hpa, Kind::Hpa) => &rules::HPAS_SAME_TARGET,
            (Kind::ScaledObject, Kind::ScaledObject) => &rules::SCALEDOBJECTS_SAME_TARGET,
            _ => &rules::HPA_AND_SCALEDOBJECT,
        };
        out.push(Finding::new(
            rule,
            b.ref_at(),
            format!(
                "{} and {} (document {}) both scale {}/{}: each writes the replica count from its own metrics, so the count flips between their proposals every sync; keep one autoscaler (a ScaledObject can carry cpu/memory triggers beside its others)",
                b.label(),
                a.label(),
                a.doc,
                b.target_kind,
                b.target_name
            ),
        ));
    }
}

/// The trigger metadata keys that name what a trigger consumes.
const QUEUE_KEYS: &[&str] = &[
    "queueName",
    "queueURL",
    "topic",
    "listName",
    "stream",
    "subscriptionName",
    "topicName",
    "subject",
];

/// `RC104`: a ScaledJob's trigger and a ScaledObject's trigger of the same
/// type naming the same queue. Both consumers read the same backlog and each
/// scales for all of it (kedacore/keda `pkg/scaling/executor/scale_jobs.go`
/// and `scale_scaledobjects.go` act on the full queue length), so the queue is
/// served twice over and messages race between Jobs and pods.
fn scaledjob_same_queue(m: &Model<'_>, out: &mut Vec<Finding>) {
    for (doc, job) in m.raw_of_kind("ScaledJob") {
        let ns = get(job, &["metadata", "namespace"])
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(jt) = get(job, &["spec", "triggers"]).and_then(Value::as_array) else {
            continue;
        };
        for (k, t) in jt.iter().enumerate() {
            let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
            for a in m.autoscalers.iter().filter(|a| same_ns(a.namespace, ns)) {
                let shared = a.triggers.iter().find_map(|st| {
                    (st.type_ == ty).then_some(())?;
                    QUEUE_KEYS.iter().find_map(|key| {
                        let theirs = st.metadata.get(*key)?;
                        let ours = get(t, &["metadata", key]).and_then(Value::as_str)?;
                        (theirs == ours && !ours.is_empty()).then(|| (*key, ours.to_string()))
                    })
                });
                if let Some((key, name)) = shared {
                    out.push(Finding::new(
                        &rules::SCALEDJOB_SAME_QUEUE,
                        Path::root().index(doc).child("spec").child("triggers").index(k),
                        format!(
                            "this ScaledJob and {} both consume {ty} {key} {name:?}: each scales for the whole backlog, so twice the consumers start and messages race between Jobs and pods; give each its own queue or keep one of them",
                            a.label()
                        ),
                    ));
                }
            }
        }
    }
}

/// `RC105`: a PodDisruptionBudget matching an autoscaled workload's pods
/// whose `minAvailable` is at or above the autoscaler's minimum (or whose
/// `maxUnavailable` is 0). At the floor no pod may be evicted, so
/// `kubectl drain` and node upgrades block (Kubernetes documentation,
/// "Specifying a Disruption Budget for your Application": with
/// `minAvailable` equal to the replicas, no voluntary eviction is allowed).
fn pdb_at_min(m: &Model<'_>, out: &mut Vec<Finding>) {
    for (doc, pdb) in m.raw_of_kind("PodDisruptionBudget") {
        let ns = get(pdb, &["metadata", "namespace"])
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(selector) =
            get(pdb, &["spec", "selector", "matchLabels"]).and_then(Value::as_object)
        else {
            continue;
        };
        let spec = Path::root().index(doc).child("spec");
        for a in &m.autoscalers {
            let Some((wdoc, w)) = m.target_of(a) else {
                continue;
            };
            let labels = get(&m.docs[wdoc], &["spec", "template", "metadata", "labels"]);
            let selects = !selector.is_empty()
                && same_ns(ns, &w.namespace)
                && selector
                    .iter()
                    .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
            if !selects {
                continue;
            }
            let floor = a.min.max(1);
            let (field, blocks) = match (
                get(pdb, &["spec", "minAvailable"]),
                get(pdb, &["spec", "maxUnavailable"]),
            ) {
                (Some(Value::Number(n)), _) => (
                    "minAvailable",
                    n.as_i64().is_some_and(|n| n >= i64::from(floor)),
                ),
                (Some(Value::String(s)), _) => ("minAvailable", s.trim() == "100%"),
                (None, Some(Value::Number(n))) => ("maxUnavailable", n.as_i64() == Some(0)),
                (None, Some(Value::String(s))) => ("maxUnavailable", s.trim() == "0%"),
                _ => continue,
            };
            if blocks {
                out.push(Finding::new(
                    &rules::PDB_AT_MIN_REPLICAS,
                    spec.child(field),
                    format!(
                        "this PodDisruptionBudget keeps every pod of {}/{} at {}'s minimum of {floor}: when the autoscaler is at its floor no pod may be evicted, so node drains and upgrades block; set minAvailable below the minimum (or raise the autoscaler's minimum)",
                        w.kind,
                        w.name,
                        a.label()
                    ),
                ));
            }
        }
    }
}
