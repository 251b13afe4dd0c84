//! What `parseManifests` returns: the objects of a manifest stream as the
//! engine reads them ([`replicast_engine::manifest`]), API defaults
//! applied, plus the problems of the objects it could not read.
//!
//! As in [`crate::decision`], these structs are what is serialized, and each
//! `From` destructures the engine's type, so the `.d.ts` follows the engine.
//! The defaulted HPA and ScaledObject keep the engine's types and
//! `Serialize`; their TypeScript is the input declarations of
//! [`crate::input`] (checked against real output by `tests/types.rs`).

use std::collections::BTreeMap;

use replicast_engine::manifest as engine;
use replicast_engine::model;
use replicast_engine::quantity::Quantity;
use replicast_engine::time::Duration;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::error::Problem;

/// What `parseManifests` takes: multi-document YAML (or JSON) text, one
/// object, or a list of objects.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ManifestInput {
    /// Text, as `kubectl apply -f` reads it.
    Text(String),
    /// A list of objects.
    List(Vec<crate::sim::ManifestDocument>),
    /// One object.
    Object(crate::sim::ManifestDocument),
}

/// How to read manifests.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ManifestOptions {
    /// The `HPAScaleToZero` feature gate: allows `minReplicas: 0`
    /// (default false).
    #[serde(default)]
    #[tsify(optional)]
    pub hpa_scale_to_zero: Option<bool>,
    /// Refuse every warning: an object with an unknown field is not read,
    /// and each unknown field is a problem of kind `strict` (default false).
    #[serde(default)]
    #[tsify(optional)]
    pub strict: Option<bool>,
}

/// What `parseManifests` returns.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct Manifests {
    /// The objects that could be read, in document order.
    pub objects: Vec<ManifestObject>,
    /// The problems of the documents that could not be read (each path
    /// starts with the document's index, `[1].spec.maxReplicas`); empty
    /// when every document was read.
    pub problems: Vec<Problem>,
    /// The fields of the objects read that their API does not know
    /// (kubectl's strict field validation), located.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[tsify(optional)]
    pub notices: Vec<replicast_engine::Notice>,
}

/// One object of a manifest stream.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(tag = "type")]
pub enum ManifestObject {
    /// A Deployment or StatefulSet: what the autoscalers scale.
    Workload(Workload),
    /// A HorizontalPodAutoscaler, API defaults applied and validated.
    HorizontalPodAutoscaler(Box<Hpa>),
    /// A KEDA ScaledObject, admission checks passed.
    ScaledObject(Box<ScaledObject>),
    /// Any other kind (Secret, TriggerAuthentication, ...): not modelled.
    Ignored(Ignored),
}

/// A Deployment or StatefulSet, the parts replicast reads.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// `Deployment` or `StatefulSet`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.annotations`.
    #[tsify(type = "Record<string, string>")]
    pub annotations: BTreeMap<String, String>,
    /// `spec.replicas` (API default 1).
    pub replicas: i32,
    /// The pod template's containers; requests default to limits.
    pub containers: Vec<ContainerRequests>,
    /// The init containers (sidecars have `restartPolicy: Always`).
    pub init_containers: Vec<ContainerRequests>,
    /// Pod-level `spec.resources.requests`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, string>")]
    pub pod_requests: Option<BTreeMap<String, Quantity>>,
    /// The readiness probes of the containers that have one.
    pub readiness: Vec<Probe>,
    /// The document's index in the stream (0-based).
    pub document: usize,
}

/// A container's name and (defaulted) requests.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ContainerRequests {
    /// The container's name.
    pub name: String,
    /// `resources.requests`, defaulted from `limits`, as canonical quantities.
    #[tsify(type = "Record<string, string>")]
    pub requests: BTreeMap<String, Quantity>,
    /// `restartPolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
}

/// A readiness probe's timing.
#[derive(Clone, Copy, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    /// `initialDelaySeconds` (default 0).
    #[tsify(type = "number")]
    pub initial_delay_seconds: Duration,
    /// `periodSeconds` (default 10).
    #[tsify(type = "number")]
    pub period_seconds: Duration,
    /// `successThreshold` (default 1).
    pub success_threshold: u32,
}

/// A HorizontalPodAutoscaler.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Hpa {
    /// The object, converted to `autoscaling/v2`, API defaults applied.
    #[tsify(type = "HorizontalPodAutoscaler")]
    pub hpa: replicast_engine::spec::HorizontalPodAutoscaler,
    /// Notes (an older API version converted, ...).
    pub warnings: Vec<String>,
    /// The document's index in the stream (0-based).
    pub document: usize,
}

/// A KEDA ScaledObject.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObject {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.annotations` (KEDA's pause annotations live here).
    #[tsify(type = "Record<string, string>")]
    pub annotations: BTreeMap<String, String>,
    /// `spec.scaleTargetRef.kind` (default `Deployment`).
    pub target_kind: String,
    /// `spec.scaleTargetRef.name`.
    pub target_name: String,
    /// The object as KEDA reads it.
    #[tsify(type = "ScaledObject")]
    pub scaled_object: replicast_engine::keda::ScaledObject,
    /// The document's index in the stream (0-based).
    pub document: usize,
}

/// An object replicast does not model.
#[derive(Clone, Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Ignored {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The document's index in the stream (0-based).
    pub document: usize,
}

impl From<engine::Object> for ManifestObject {
    fn from(o: engine::Object) -> Self {
        match o {
            engine::Object::Workload(w) => ManifestObject::Workload(w.into()),
            engine::Object::Hpa(h) => {
                let engine::Hpa {
                    hpa,
                    raw: _,
                    warnings,
                    document,
                } = *h;
                ManifestObject::HorizontalPodAutoscaler(Box::new(Hpa {
                    hpa,
                    warnings,
                    document,
                }))
            }
            engine::Object::ScaledObject(s) => {
                let engine::ScaledObject {
                    so,
                    name,
                    namespace,
                    annotations,
                    target_kind,
                    target_name,
                    raw: _,
                    document,
                } = *s;
                ManifestObject::ScaledObject(Box::new(ScaledObject {
                    name,
                    namespace,
                    annotations,
                    target_kind,
                    target_name,
                    scaled_object: so,
                    document,
                }))
            }
            engine::Object::Ignored(i) => {
                let engine::Ignored {
                    api_version,
                    kind,
                    name,
                    document,
                    raw: _,
                } = i;
                ManifestObject::Ignored(Ignored {
                    api_version,
                    kind,
                    name,
                    document,
                })
            }
        }
    }
}

impl From<engine::Workload> for Workload {
    fn from(w: engine::Workload) -> Self {
        let engine::Workload {
            kind,
            name,
            namespace,
            annotations,
            replicas,
            containers,
            init_containers,
            pod_requests,
            readiness,
            document,
        } = w;
        Workload {
            kind,
            name,
            namespace,
            annotations,
            replicas,
            containers: containers.into_iter().map(Into::into).collect(),
            init_containers: init_containers.into_iter().map(Into::into).collect(),
            pod_requests,
            readiness: readiness.into_iter().map(Into::into).collect(),
            document,
        }
    }
}

impl From<model::Container> for ContainerRequests {
    fn from(c: model::Container) -> Self {
        let model::Container {
            name,
            requests,
            restart_policy,
        } = c;
        ContainerRequests {
            name,
            requests,
            restart_policy,
        }
    }
}

impl From<engine::Probe> for Probe {
    fn from(p: engine::Probe) -> Self {
        let engine::Probe {
            initial_delay,
            period,
            success_threshold,
        } = p;
        Probe {
            initial_delay_seconds: initial_delay,
            period_seconds: period,
            success_threshold,
        }
    }
}

/// Sets the document index of an engine object (an object read alone is
/// document 0 of its own one-document stream).
pub fn set_document(o: &mut engine::Object, index: usize) {
    match o {
        engine::Object::Workload(w) => w.document = index,
        engine::Object::Hpa(h) => h.document = index,
        engine::Object::ScaledObject(s) => s.document = index,
        engine::Object::Ignored(i) => i.document = index,
    }
}
