//! Known fields: what kubectl's strict field validation would call an
//! unknown field.
//!
//! `kubectl apply` (strict field validation, its default since Kubernetes
//! 1.27) refuses `maxReplica: 20` beside `maxReplicas: 10` with
//! `unknown field "spec.maxReplica"`; serde, reading only the fields the
//! engine needs, would drop the line silently. Here every object is walked
//! against a tree of the fields its API knows ([`generated`], derived from
//! the published schemas by `tools/schema-gen`) and every other field
//! becomes a [`Notice`] of kind `unknown-field`, with kubectl's wording (the
//! path relative to the object, `[i]` for list items) and, when a known
//! field is one edit away, `did you mean "maxReplicas"?`.
//!
//! Upstream: apimachinery's strict decoding (`sigs.k8s.io/json`,
//! `UnmarshalStrict`: `unknown field "spec.x"`) for built-in kinds, and
//! structural-schema pruning (`apiextensions-apiserver`
//! `pkg/apiserver/schema/pruning`) for KEDA's CRD.

pub mod case_format;
pub mod generated;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write;

use serde_json::Value;

use crate::error::{Path, Segment};
use crate::notice::{Notice, NoticeKind, Notices};

/// One node of a known-field tree.
#[derive(Debug)]
pub enum Node {
    /// A scalar (string, number, boolean, quantity): nothing inside to check.
    Scalar,
    /// Free-form: any keys at any depth (`x-kubernetes-preserve-unknown-fields`,
    /// `managedFields[].fieldsV1`).
    Any,
    /// An object with exactly these fields, sorted by name.
    Object(&'static [(&'static str, &'static Node)]),
    /// An object with any keys, each value of one kind (labels,
    /// annotations, `additionalProperties`).
    Map(&'static Node),
    /// A list, each item of one kind.
    Array(&'static Node),
}

impl Node {
    /// The node of a field of an object node.
    pub fn field(&self, name: &str) -> Option<&'static Node> {
        match self {
            Node::Object(fields) => fields
                .binary_search_by(|(k, _)| (*k).cmp(name))
                .ok()
                .map(|i| fields[i].1),
            _ => None,
        }
    }
}

/// The objects the engine reads, by API version and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// `autoscaling/v2` HorizontalPodAutoscaler (also when no apiVersion is given).
    HpaV2,
    /// `autoscaling/v2beta2` HorizontalPodAutoscaler.
    HpaV2beta2,
    /// `autoscaling/v1` HorizontalPodAutoscaler.
    HpaV1,
    /// `apps/v1` Deployment.
    Deployment,
    /// `apps/v1` StatefulSet.
    StatefulSet,
    /// `keda.sh/v1alpha1` ScaledObject.
    ScaledObject,
    /// `keda.sh/v1alpha1` ScaledJob.
    ScaledJob,
}

impl Kind {
    /// The kind of a HorizontalPodAutoscaler of that `apiVersion`; `None`
    /// for versions the engine refuses anyway (`v2beta1`, unknown ones).
    pub fn hpa(api_version: &str) -> Option<Kind> {
        match api_version {
            "" | "autoscaling/v2" => Some(Kind::HpaV2),
            "autoscaling/v2beta2" => Some(Kind::HpaV2beta2),
            "autoscaling/v1" => Some(Kind::HpaV1),
            _ => None,
        }
    }

    /// The whole object's tree.
    pub fn root(self) -> &'static Node {
        match self {
            Kind::HpaV2 => &generated::HPA_AUTOSCALING_V2,
            Kind::HpaV2beta2 => &generated::HPA_AUTOSCALING_V2BETA2,
            Kind::HpaV1 => &generated::HPA_AUTOSCALING_V1,
            Kind::Deployment => &generated::DEPLOYMENT_APPS_V1,
            Kind::StatefulSet => &generated::STATEFUL_SET_APPS_V1,
            Kind::ScaledObject => &generated::SCALED_OBJECT_KEDA_V1ALPHA1,
            Kind::ScaledJob => &generated::SCALED_JOB_KEDA_V1ALPHA1,
        }
    }
}

/// The unknown fields of an object of `kind` given at `at`: a whole object,
/// or (`whole == false`) just its `spec`, as a case's `hpa:` may be.
pub fn unknown_fields(value: &Value, kind: Kind, whole: bool, at: &Path) -> Notices {
    let mut out = Notices::default();
    let root = kind.root();
    match (whole, root.field("spec")) {
        (false, Some(spec)) => walk(value, spec, at, &mut String::from("spec"), &mut out),
        _ => walk(value, root, at, &mut String::new(), &mut out),
    }
    out
}

/// The unknown fields of a HorizontalPodAutoscaler as
/// [`crate::spec::read_hpa`] reads it (a whole object, or just its `spec`;
/// any served API version). The `v2beta1` fields inside a `v2` object are
/// not repeated here: `read_hpa` refuses them with what to write instead.
pub fn hpa(value: &Value, at: &Path) -> Notices {
    let whole = value.get("spec").is_some()
        || value.get("apiVersion").is_some()
        || value.get("kind").is_some();
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    match Kind::hpa(api_version) {
        Some(kind) => unknown_fields(value, kind, whole, at),
        None => Notices::default(),
    }
}

/// The unknown fields of a ScaledObject as
/// [`crate::keda::admission::read_scaled_object`] reads it (a whole object, or
/// just its `spec`).
pub fn scaled_object(value: &Value, at: &Path) -> Notices {
    unknown_fields(value, Kind::ScaledObject, is_whole(value), at)
}

/// The unknown fields of a ScaledJob as
/// [`crate::keda::job::read_scaled_job`] reads it (a whole object, or just
/// its `spec`).
pub fn scaled_job(value: &Value, at: &Path) -> Notices {
    unknown_fields(value, Kind::ScaledJob, is_whole(value), at)
}

/// A whole KEDA object (it has a `spec` or an `apiVersion`), not just its
/// `spec`, as KEDA's readers tell them apart.
pub fn is_whole(value: &Value) -> bool {
    value.get("spec").is_some() || value.get("apiVersion").is_some()
}

/// The unknown fields of a whole manifest object of a kind the engine
/// reads (HorizontalPodAutoscaler, ScaledObject, Deployment, StatefulSet),
/// by its `kind` and `apiVersion`; other kinds are not looked into.
pub fn object(value: &Value, at: &Path) -> Notices {
    match value.get("kind").and_then(Value::as_str) {
        Some("HorizontalPodAutoscaler") => hpa(value, at),
        Some("ScaledObject") => scaled_object(value, at),
        Some("ScaledJob") => scaled_job(value, at),
        Some("Deployment") => unknown_fields(value, Kind::Deployment, true, at),
        Some("StatefulSet") => unknown_fields(value, Kind::StatefulSet, true, at),
        _ => Notices::default(),
    }
}

/// Walks `value` against `node`: `at` is the notice's path, `rel` the
/// path kubectl would print (relative to the object).
pub fn walk(value: &Value, node: &Node, at: &Path, rel: &mut String, out: &mut Notices) {
    walk_steps(value, node, &mut Vec::new(), at, rel, out);
}

/// One step below the walk's start, borrowed from the value: a path is
/// built only for a notice.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn walk_steps<'a>(
    value: &'a Value,
    node: &Node,
    steps: &mut Vec<Step<'a>>,
    at: &Path,
    rel: &mut String,
    out: &mut Notices,
) {
    let len = rel.len();
    match (node, value) {
        (Node::Object(fields), Value::Object(map)) => {
            for (key, v) in map {
                push_key(rel, key);
                match node.field(key) {
                    Some(child) => {
                        steps.push(Step::Key(key));
                        walk_steps(v, child, steps, at, rel, out);
                        steps.pop();
                    }
                    None => {
                        let mut path = at.clone();
                        path.0.extend(steps.iter().map(|s| match s {
                            Step::Key(k) => Segment::Key((*k).into()),
                            Step::Index(i) => Segment::Index(*i),
                        }));
                        path.0.push(Segment::Key(key.clone()));
                        out.push(unknown_field(key, fields, rel, path));
                    }
                }
                rel.truncate(len);
            }
        }
        (Node::Map(item), Value::Object(map)) => {
            for (key, v) in map {
                push_key(rel, key);
                steps.push(Step::Key(key));
                walk_steps(v, item, steps, at, rel, out);
                steps.pop();
                rel.truncate(len);
            }
        }
        (Node::Array(item), Value::Array(list)) => {
            for (i, v) in list.iter().enumerate() {
                // Writing to a `String` cannot fail.
                let _ = write!(rel, "[{i}]");
                steps.push(Step::Index(i));
                walk_steps(v, item, steps, at, rel, out);
                steps.pop();
                rel.truncate(len);
            }
        }
        // Scalars and free-form objects have no fields to check; a value of
        // the wrong type is the readers' error, not an unknown field.
        _ => {}
    }
}

fn push_key(rel: &mut String, key: &str) {
    if !rel.is_empty() {
        rel.push('.');
    }
    rel.push_str(key);
}

/// The notice for `key`, a field none of `fields` names, at `at`: kubectl's
/// words with `rel` (the field's path relative to the object), and the
/// known field one edit away, if any.
pub(crate) fn unknown_field(
    key: &str,
    fields: &[(&'static str, &'static Node)],
    rel: &str,
    at: Path,
) -> Notice {
    let mut message = format!("unknown field \"{rel}\"");
    if let Some(near) = nearest(key, fields) {
        message.push_str(&format!("; did you mean \"{near}\"?"));
    }
    Notice::new(NoticeKind::UnknownField, at, message)
}

/// The notice [`walk`] gives from `root` for the field at `at`, a key
/// that a reader skipped: `None` when `root`'s tree knows the field (or
/// lets anything be there).
pub(crate) fn unknown_at(root: &'static Node, at: Path) -> Option<Notice> {
    let (last, parents) = at.0.split_last()?;
    let mut node = root;
    for seg in parents {
        node = match (node, seg) {
            (Node::Object(_), Segment::Key(k)) => node.field(k)?,
            (Node::Map(item), Segment::Key(_)) | (Node::Array(item), Segment::Index(_)) => item,
            _ => return None,
        };
    }
    match (node, last) {
        (Node::Object(fields), Segment::Key(key)) if node.field(key).is_none() => {
            let rel = at.to_string();
            Some(unknown_field(key, fields, &rel, at.clone()))
        }
        _ => None,
    }
}

/// The known field one edit away from `key` (Damerau–Levenshtein 1), or
/// differing only in case; the first in name order.
fn nearest(key: &str, fields: &[(&'static str, &'static Node)]) -> Option<&'static str> {
    fields
        .iter()
        .map(|(k, _)| *k)
        .find(|k| k.eq_ignore_ascii_case(key) || one_edit(key, k))
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution or swap
/// of adjacent characters. (strsim, the usual crate, needs `std`.)
fn one_edit(a: &str, b: &str) -> bool {
    let a: alloc::vec::Vec<char> = a.chars().collect();
    let b: alloc::vec::Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    match long.len() - short.len() {
        // Insertion or deletion: the rest lines up one further on.
        1 => short[prefix..] == long[prefix + 1..],
        0 if prefix == short.len() => false,
        // Substitution, or a swap of two neighbours.
        0 => {
            short[prefix + 1..] == long[prefix + 1..]
                || (prefix + 1 < short.len()
                    && short[prefix] == long[prefix + 1]
                    && short[prefix + 1] == long[prefix]
                    && short[prefix + 2..] == long[prefix + 2..])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(n: &Notices) -> alloc::vec::Vec<(String, String)> {
        n.0.iter()
            .map(|n| (n.path.clone(), n.message.clone()))
            .collect()
    }

    #[test]
    fn one_edit_is_damerau_levenshtein_one() {
        for (a, b) in [
            ("maxReplica", "maxReplicas"),
            ("pollingIntervall", "pollingInterval"),
            ("metdata", "metadata"),
            ("mniReplicas", "minReplicas"),
            ("maxReplicaz", "maxReplicas"),
        ] {
            assert!(one_edit(a, b), "{a} {b}");
            assert!(one_edit(b, a), "{b} {a}");
        }
        for (a, b) in [
            ("maxReplicas", "maxReplicas"),
            ("max", "maxReplicas"),
            ("mxaReplica", "maxReplicas"),
            ("abcd", "badc"),
        ] {
            assert!(!one_edit(a, b), "{a} {b}");
        }
    }

    #[test]
    fn a_typo_is_named_as_kubectl_names_it() {
        let hpa = json!({
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "labels": {"any": "x"}, "annotations": {"a/b": "c"},
                         "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {"f:x": {}}}}]},
            "spec": {
                "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                "maxReplicas": 10, "maxReplica": 20, "MinReplicas": 1,
                "metrics": [{"type": "Pods", "pods": {"metric": {"name": "q"},
                             "target": {"type": "AverageValue", "averageValue": "1", "averagevalue": "2"}}}],
                "zzz": 1
            },
            "status": {"currentReplicas": 2, "conditions": [{"type": "AbleToScale", "status": "True"}]}
        });
        let n = unknown_fields(&hpa, Kind::HpaV2, true, &Path::root().child("hpa"));
        assert_eq!(
            messages(&n),
            [
                (
                    "hpa.spec.MinReplicas".into(),
                    "unknown field \"spec.MinReplicas\"; did you mean \"minReplicas\"?".into()
                ),
                (
                    "hpa.spec.maxReplica".into(),
                    "unknown field \"spec.maxReplica\"; did you mean \"maxReplicas\"?".into()
                ),
                (
                    "hpa.spec.metrics[0].pods.target.averagevalue".into(),
                    "unknown field \"spec.metrics[0].pods.target.averagevalue\"; did you mean \"averageValue\"?".into()
                ),
                ("hpa.spec.zzz".into(), "unknown field \"spec.zzz\"".into()),
            ]
        );
        assert_eq!(n.0[0].kind, NoticeKind::UnknownField);
    }

    #[test]
    fn a_bare_spec_is_walked_as_the_spec() {
        let n = unknown_fields(
            &json!({"maxReplicas": 3, "maxReplica": 2}),
            Kind::HpaV2,
            false,
            &Path::root().child("hpa"),
        );
        assert_eq!(
            messages(&n),
            [(
                "hpa.maxReplica".into(),
                "unknown field \"spec.maxReplica\"; did you mean \"maxReplicas\"?".into()
            )]
        );
    }

    #[test]
    fn versions_differ_where_the_api_does() {
        let v1 = json!({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "spec": {"maxReplicas": 3, "targetCPUUtilizationPercentage": 50}});
        assert!(unknown_fields(&v1, Kind::HpaV1, true, &Path::root()).is_empty());
        let n = unknown_fields(&v1, Kind::HpaV2, true, &Path::root());
        assert_eq!(n.0.len(), 1);
        let tolerance =
            json!({"spec": {"maxReplicas": 3, "behavior": {"scaleUp": {"tolerance": "0.05"}}}});
        assert!(unknown_fields(&tolerance, Kind::HpaV2, true, &Path::root()).is_empty());
        assert_eq!(
            unknown_fields(&tolerance, Kind::HpaV2beta2, true, &Path::root())
                .0
                .len(),
            1,
            "tolerance came after v2beta2 was removed"
        );
    }

    #[test]
    fn scaled_objects_know_their_crd() {
        let so = json!({
            "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
            "metadata": {"name": "w", "annotations": {"autoscaling.keda.sh/paused": "true"}},
            "spec": {"scaleTargetRef": {"name": "w"}, "pollingIntervall": 5,
                     "advanced": {"horizontalPodAutoscalerConfig": {"behavior": {"scaleDown": {"stabilizationWindowSeconds": 1}}}},
                     "triggers": [{"type": "rabbitmq", "metadata": {"anything": "goes"}, "metdata": {}}]},
            "status": {"health": {"t0": {"numberOfFailures": 1, "status": "Happy"}}}
        });
        let n = unknown_fields(&so, Kind::ScaledObject, true, &Path::root());
        assert_eq!(
            messages(&n),
            [
                (
                    "spec.pollingIntervall".into(),
                    "unknown field \"spec.pollingIntervall\"; did you mean \"pollingInterval\"?"
                        .into()
                ),
                (
                    "spec.triggers[0].metdata".into(),
                    "unknown field \"spec.triggers[0].metdata\"; did you mean \"metadata\"?".into()
                ),
            ]
        );
    }

    #[test]
    fn deployments_know_the_whole_pod_template() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "w"}},
                "template": {"metadata": {"labels": {"app": "w"}}, "spec": {
                    "nodeSelector": {"nvidia.com/gpu.present": "true"},
                    "volumes": [{"name": "v", "emptyDir": {"medium": "Memory"}}],
                    "containers": [{"name": "a", "image": "x", "resources": {"limits": {"nvidia.com/gpu": 1}},
                        "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5},
                        "imagePullPolicyy": "Always"}]}}},
            "status": {"replicas": 2}});
        let n = unknown_fields(&d, Kind::Deployment, true, &Path::root());
        assert_eq!(
            messages(&n),
            [(
                "spec.template.spec.containers[0].imagePullPolicyy".into(),
                "unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"; did you mean \"imagePullPolicy\"?".into()
            )]
        );
    }
}
