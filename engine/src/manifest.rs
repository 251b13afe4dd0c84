//! Manifests as `kubectl apply -f` takes them: the objects of a
//! multi-document YAML stream (Deployment, HorizontalPodAutoscaler,
//! ScaledObject, ...), read with API defaults applied.
//!
//! - Deployments and StatefulSets become a [`Workload`]: `spec.replicas`,
//!   the containers' requests (requests default to limits, as the API
//!   server defaults them), pod-level requests, the readiness probes
//!   (`initialDelaySeconds`, `periodSeconds`, `successThreshold`) and the
//!   annotations.
//! - HorizontalPodAutoscalers are read by [`crate::spec::read_hpa`] (any API
//!   version, defaults, validation).
//! - ScaledObjects are read by [`crate::keda::admission::read_scaled_object`]
//!   (KEDA's admission checks) and kept as written too.
//! - Every other kind (Secret, PodDisruptionBudget, TriggerAuthentication,
//!   ...) is listed as ignored.
//!
//! Every problem names its place: `[1].spec.metrics[0].pods.target` is
//! document 1 (0-based) of the stream, and, read from text, its line.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::model::Container;
use crate::notice::Notices;
use crate::quantity::Quantity;
use crate::spec::hpa::ObjectMeta;
use crate::spec::{self, HorizontalPodAutoscaler, validation};
use crate::time::Duration;

/// The objects of a manifest stream, in document order.
#[derive(Clone, Debug, Default)]
pub struct Manifests {
    /// One entry per non-empty document.
    pub objects: Vec<Object>,
    /// The fields of HPAs, ScaledObjects and workloads that their API does
    /// not know (`[1].spec.maxReplica`), as kubectl's strict field
    /// validation names them; located when read from text.
    pub notices: Notices,
}

/// One object of the stream.
#[derive(Clone, Debug)]
pub enum Object {
    /// A Deployment or StatefulSet: something the autoscalers scale.
    Workload(Workload),
    /// A HorizontalPodAutoscaler, defaulted and validated.
    Hpa(alloc::boxed::Box<Hpa>),
    /// A KEDA ScaledObject.
    ScaledObject(alloc::boxed::Box<ScaledObject>),
    /// Any other kind: read, not simulated.
    Ignored(Ignored),
}

impl Object {
    /// The document index of the object in its stream.
    pub fn document(&self) -> usize {
        match self {
            Object::Workload(w) => w.document,
            Object::Hpa(h) => h.document,
            Object::ScaledObject(s) => s.document,
            Object::Ignored(i) => i.document,
        }
    }
}

/// A readiness probe's timing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    /// `initialDelaySeconds` (default 0).
    pub initial_delay: Duration,
    /// `periodSeconds` (default 10).
    pub period: Duration,
    /// `successThreshold` (default 1).
    pub success_threshold: u32,
}

/// A Deployment (or StatefulSet), the parts the simulator reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// `kind`: `Deployment` or `StatefulSet`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.annotations`.
    pub annotations: BTreeMap<String, String>,
    /// `spec.replicas` (API default 1).
    pub replicas: i32,
    /// The pod template's containers with their (defaulted) requests.
    pub containers: Vec<Container>,
    /// The pod template's init containers (sidecars have `restartPolicy: Always`).
    pub init_containers: Vec<Container>,
    /// Pod-level `spec.resources.requests`, when given.
    pub pod_requests: Option<BTreeMap<String, Quantity>>,
    /// The readiness probes of the containers that have one, in container
    /// order (the pod is ready when all of them pass).
    pub readiness: Vec<Probe>,
    /// The document index in the stream.
    pub document: usize,
}

impl Workload {
    /// The pod's request for `resource`, summed over its containers and
    /// sidecars (pod-level requests win), in milli-units; `None` when no
    /// container requests it.
    pub fn request_milli(&self, resource: &str) -> Option<i64> {
        if let Some(q) = self.pod_requests.as_ref().and_then(|r| r.get(resource)) {
            return Some(q.milli_value());
        }
        let sidecars = self
            .init_containers
            .iter()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"));
        let mut found = false;
        let mut sum = 0i64;
        for c in self.containers.iter().chain(sidecars) {
            if let Some(q) = c.requests.get(resource) {
                found = true;
                sum = sum.saturating_add(q.milli_value());
            }
        }
        found.then_some(sum)
    }
}

/// A HorizontalPodAutoscaler.
#[derive(Clone, Debug)]
pub struct Hpa {
    /// The object, API defaults applied and validated.
    pub hpa: HorizontalPodAutoscaler,
    /// The object as written (what an evaluation case's `hpa:` holds).
    pub raw: Value,
    /// Notes (a deprecated API version converted, ...).
    pub warnings: Vec<String>,
    /// The document index in the stream.
    pub document: usize,
}

/// A KEDA ScaledObject, read and checked by [`crate::keda::admission::read_scaled_object`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScaledObject {
    /// The object, as the KEDA engine reads it (admission checks passed).
    pub so: crate::keda::ScaledObject,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.annotations` (where KEDA reads its pause annotations).
    pub annotations: BTreeMap<String, String>,
    /// `spec.scaleTargetRef.kind` (default `Deployment`).
    pub target_kind: String,
    /// `spec.scaleTargetRef.name`.
    pub target_name: String,
    /// The whole object.
    pub raw: Value,
    /// The document index in the stream.
    pub document: usize,
}

/// An object the simulator does not model.
#[derive(Clone, Debug, PartialEq)]
pub struct Ignored {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The object as written (the simulator reads a Knative Service and
    /// its `config-autoscaler`, or a ScaledJob, from it).
    pub raw: Value,
    /// The document index in the stream.
    pub document: usize,
}

impl Manifests {
    /// The workloads.
    pub fn workloads(&self) -> impl Iterator<Item = &Workload> {
        self.objects.iter().filter_map(|o| match o {
            Object::Workload(w) => Some(w),
            _ => None,
        })
    }

    /// The HorizontalPodAutoscalers.
    pub fn hpas(&self) -> impl Iterator<Item = &Hpa> {
        self.objects.iter().filter_map(|o| match o {
            Object::Hpa(h) => Some(&**h),
            _ => None,
        })
    }

    /// The ScaledObjects.
    pub fn scaled_objects(&self) -> impl Iterator<Item = &ScaledObject> {
        self.objects.iter().filter_map(|o| match o {
            Object::ScaledObject(s) => Some(&**s),
            _ => None,
        })
    }

    /// The ignored objects.
    pub fn ignored(&self) -> impl Iterator<Item = &Ignored> {
        self.objects.iter().filter_map(|o| match o {
            Object::Ignored(i) => Some(i),
            _ => None,
        })
    }
}

/// Reads every document (already converted to JSON values). Paths start
/// with the document index: `[1].spec.maxReplicas`. All documents are read
/// and their problems joined.
pub fn from_values(docs: &[Value], opts: validation::Options) -> Result<Manifests, Error> {
    let mut objects = Vec::new();
    let mut notices = Notices::default();
    let mut error: Option<Error> = None;
    for (i, doc) in docs.iter().enumerate() {
        match read_object(doc, i, opts) {
            Ok(o) => {
                notices
                    .0
                    .extend(crate::schema::object(doc, &Path::root().index(i)).0);
                objects.push(o)
            }
            Err(e) => {
                error = Some(match error {
                    Some(prev) => prev.join(e),
                    None => e,
                })
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(Manifests { objects, notices }),
    }
}

/// Reads a multi-document YAML (or JSON) stream; every problem carries its
/// line and column in `text`.
#[cfg(feature = "yaml")]
pub fn parse(text: &str, opts: validation::Options) -> Result<Manifests, Error> {
    let docs = crate::yaml::parse_documents(text, &crate::yaml::Limits::default())?;
    let mut values = Vec::with_capacity(docs.len());
    for d in &docs {
        values.push(d.root.to_json()?);
    }
    let mut m = from_values(&values, opts).map_err(|e| e.locate(|p| locate(&docs, p)))?;
    m.notices.locate(|p| locate(&docs, p));
    Ok(m)
}

/// The line and column of a `[doc].path` in a parsed stream.
#[cfg(feature = "yaml")]
pub fn locate(docs: &[crate::yaml::Document], path: &Path) -> Option<(u32, u32)> {
    let (first, rest) = path.0.split_first()?;
    let crate::error::Segment::Index(i) = first else {
        return None;
    };
    let doc = docs.get(*i)?;
    Some(doc.root.locate(&Path(rest.to_vec())))
}

fn read_object(doc: &Value, i: usize, opts: validation::Options) -> Result<Object, Error> {
    let at = Path::root().index(i);
    if !doc.is_object() {
        return Err(Error::new(
            ErrorKind::Schema,
            at,
            "a manifest is a mapping with `apiVersion`, `kind`, `metadata` and `spec`",
        ));
    }
    let kind = match doc.get("kind") {
        Some(Value::String(k)) => k.as_str(),
        Some(_) => {
            return Err(Error::new(
                ErrorKind::Schema,
                at.child("kind"),
                "`kind` must be a string",
            ));
        }
        None => {
            return Err(Error::new(
                ErrorKind::Schema,
                at,
                "missing field `kind` (every manifest names its kind, e.g. `kind: Deployment`)",
            ));
        }
    };
    let api_version = doc
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match kind {
        "Deployment" | "StatefulSet" => read_workload(doc, kind, &at, i).map(Object::Workload),
        "HorizontalPodAutoscaler" => {
            let read = spec::read_hpa(doc, &at, opts)?;
            Ok(Object::Hpa(alloc::boxed::Box::new(Hpa {
                hpa: read.hpa,
                raw: doc.clone(),
                warnings: read.warnings,
                document: i,
            })))
        }
        "ScaledObject" => read_scaled_object(doc, &at, i)
            .map(alloc::boxed::Box::new)
            .map(Object::ScaledObject),
        _ => {
            let meta: ObjectMeta = doc
                .get("metadata")
                .map(|m| spec::deserialize(m, &at.child("metadata")))
                .transpose()?
                .unwrap_or_default();
            Ok(Object::Ignored(Ignored {
                api_version,
                kind: kind.to_string(),
                name: meta.name,
                raw: doc.clone(),
                document: i,
            }))
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawWorkload {
    #[serde(default)]
    metadata: ObjectMeta,
    #[serde(default)]
    spec: RawWorkloadSpec,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawWorkloadSpec {
    #[serde(default)]
    replicas: Option<i32>,
    #[serde(default)]
    template: RawTemplate,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTemplate {
    #[serde(default)]
    spec: RawPodSpec,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPodSpec {
    #[serde(default)]
    containers: Vec<RawContainer>,
    #[serde(default)]
    init_containers: Vec<RawContainer>,
    #[serde(default)]
    resources: Option<RawResources>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContainer {
    #[serde(default)]
    name: String,
    #[serde(default)]
    resources: RawResources,
    #[serde(default)]
    readiness_probe: Option<RawProbe>,
    #[serde(default)]
    restart_policy: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResources {
    #[serde(default)]
    requests: Option<BTreeMap<String, Quantity>>,
    #[serde(default)]
    limits: Option<BTreeMap<String, Quantity>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProbe {
    #[serde(default)]
    initial_delay_seconds: Option<i64>,
    #[serde(default)]
    period_seconds: Option<i64>,
    #[serde(default)]
    success_threshold: Option<i64>,
}

impl RawResources {
    /// `ValidateResourceRequirements` (`pkg/apis/core/validation/validation.go`)
    /// on the defaulted requirements, problems added to `errs`: no negative
    /// limit or request, whole numbers for extended resources
    /// (`ValidateResourceQuantityValue`), a request at most its limit, and
    /// equal to it (a limit required) for resources that cannot be
    /// overcommitted (`IsOvercommitAllowed`: extended resources, hugepages).
    fn validate(&self, at: &Path, errs: &mut Option<Error>) {
        use crate::model::validation::{add, negative_quantities};
        let (lim_at, req_at) = (at.child("limits"), at.child("requests"));
        let limits = self.limits.clone().unwrap_or_default();
        let requests = self.effective_requests();
        let invalid = |path: Path, q: &Quantity, msg: &str| {
            Error::new(
                ErrorKind::Invalid,
                path,
                format!("Invalid value: \"{q}\": {msg}"),
            )
        };
        for (list, list_at) in [(&limits, &lim_at), (&requests, &req_at)] {
            negative_quantities(list, list_at, errs);
            for (name, q) in list {
                if is_extended_resource(name) && q.milli_value() % 1000 != 0 {
                    add(errs, invalid(list_at.child(name), q, "must be an integer"));
                }
            }
        }
        for (name, q) in &requests {
            let overcommit = is_native_resource(name) && !name.starts_with("hugepages-");
            match limits.get(name) {
                Some(limit) if !overcommit && q != limit => add(
                    errs,
                    invalid(
                        req_at.clone(),
                        q,
                        &format!("must be equal to {name} limit of {limit}"),
                    ),
                ),
                Some(limit) if q > limit => add(
                    errs,
                    invalid(
                        req_at.clone(),
                        q,
                        &format!("must be less than or equal to {name} limit of {limit}"),
                    ),
                ),
                None if !overcommit => add(
                    errs,
                    Error::new(
                        ErrorKind::Invalid,
                        lim_at.clone(),
                        "Required value: Limit must be set for non overcommitable resources",
                    ),
                ),
                _ => {}
            }
        }
    }

    /// Requests, defaulted from limits (`SetDefaults_Container`-style: a
    /// resource with a limit and no request requests its limit).
    fn effective_requests(&self) -> BTreeMap<String, Quantity> {
        let mut r = self.requests.clone().unwrap_or_default();
        for (k, v) in self.limits.iter().flatten() {
            r.entry(k.clone()).or_insert(*v);
        }
        r
    }
}

/// `IsNativeResource` (`pkg/apis/core/helper`): no domain, or a
/// `kubernetes.io/` one.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName` (`pkg/apis/core/helper`): a domain-prefixed name
/// outside `kubernetes.io/` (`nvidia.com/gpu`), whose quantities are whole.
fn is_extended_resource(name: &str) -> bool {
    !is_native_resource(name) && !name.starts_with("requests.")
}

/// Every container's (and the pod's) resource requirements, validated as
/// the API server validates a pod template.
fn validate_resources(pod: &RawPodSpec, at: &Path) -> Result<(), Error> {
    let mut errs = None;
    for (list, key) in [
        (&pod.containers, "containers"),
        (&pod.init_containers, "initContainers"),
    ] {
        for (ci, c) in list.iter().enumerate() {
            c.resources
                .validate(&at.child(key).index(ci).child("resources"), &mut errs);
        }
    }
    if let Some(r) = &pod.resources {
        r.validate(&at.child("resources"), &mut errs);
    }
    errs.map_or(Ok(()), Err)
}

pub(crate) fn read_workload(
    doc: &Value,
    kind: &str,
    at: &Path,
    i: usize,
) -> Result<Workload, Error> {
    let raw: RawWorkload = spec::deserialize(doc, at)?;
    let spec_at = at.child("spec");
    let replicas = raw.spec.replicas.unwrap_or(1);
    if replicas < 0 {
        return Err(Error::new(
            ErrorKind::Invalid,
            spec_at.child("replicas"),
            format!("Invalid value: {replicas}: must be greater than or equal to 0"),
        ));
    }
    let pod_at = spec_at.child("template").child("spec");
    validate_resources(&raw.spec.template.spec, &pod_at)?;
    let mut readiness = Vec::new();
    let mut containers = Vec::with_capacity(raw.spec.template.spec.containers.len());
    for (ci, c) in raw.spec.template.spec.containers.iter().enumerate() {
        if let Some(p) = &c.readiness_probe {
            readiness.push(read_probe(
                p,
                &pod_at.child("containers").index(ci).child("readinessProbe"),
            )?);
        }
        containers.push(Container {
            name: c.name.clone(),
            requests: c.resources.effective_requests(),
            restart_policy: c.restart_policy.clone(),
        });
    }
    let init_containers = raw
        .spec
        .template
        .spec
        .init_containers
        .iter()
        .map(|c| Container {
            name: c.name.clone(),
            requests: c.resources.effective_requests(),
            restart_policy: c.restart_policy.clone(),
        })
        .collect();
    let pod_requests = raw
        .spec
        .template
        .spec
        .resources
        .as_ref()
        .map(RawResources::effective_requests)
        .filter(|r| !r.is_empty());
    Ok(Workload {
        kind: kind.to_string(),
        name: raw.metadata.name,
        namespace: raw.metadata.namespace,
        annotations: raw.metadata.annotations,
        replicas,
        containers,
        init_containers,
        pod_requests,
        readiness,
        document: i,
    })
}

fn read_probe(p: &RawProbe, at: &Path) -> Result<Probe, Error> {
    let check = |v: Option<i64>, field: &str, min: i64, default: i64| -> Result<i64, Error> {
        let v = v.unwrap_or(default);
        if v < min {
            return Err(Error::new(
                ErrorKind::Invalid,
                at.child(field),
                format!("Invalid value: {v}: must be greater than or equal to {min}"),
            ));
        }
        Ok(v.min(1 << 31))
    };
    let delay = check(p.initial_delay_seconds, "initialDelaySeconds", 0, 0)?;
    let period = check(p.period_seconds, "periodSeconds", 1, 10)?;
    let success = check(p.success_threshold, "successThreshold", 1, 1)?;
    Ok(Probe {
        initial_delay: Duration::from_secs(delay),
        period: Duration::from_secs(period),
        success_threshold: success as u32,
    })
}

fn read_scaled_object(doc: &Value, at: &Path, i: usize) -> Result<ScaledObject, Error> {
    let so = crate::keda::admission::read_scaled_object(doc, at)?;
    let target = so.spec.scale_target_ref.clone().unwrap_or_default();
    Ok(ScaledObject {
        name: so.metadata.name.clone(),
        namespace: so.metadata.namespace.clone(),
        annotations: so.metadata.annotations.clone(),
        target_kind: if target.kind.is_empty() {
            "Deployment".to_string()
        } else {
            target.kind
        },
        target_name: target.name,
        so,
        raw: doc.clone(),
        document: i,
    })
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;

    const OPTS: validation::Options = validation::Options {
        min_replicas_lower_bound: 1,
    };

    const INFERENCE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {autoscaling.keda.sh/paused: "true"}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: {cpu: "2000m", memory: 4Gi}
            limits: {cpu: "4", nvidia.com/gpu: "1"}
          readinessProbe: {initialDelaySeconds: 90, periodSeconds: 10}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec: {minAvailable: 2}
"#;

    #[test]
    fn reads_workloads_hpas_and_ignores_the_rest() {
        let m = parse(INFERENCE, OPTS).unwrap();
        assert_eq!(m.objects.len(), 3);
        let w = m.workloads().next().unwrap();
        assert_eq!(w.name, "web");
        assert_eq!(w.replicas, 2);
        assert_eq!(w.request_milli("cpu"), Some(2000));
        assert_eq!(
            w.request_milli("memory"),
            Some(4 * 1024 * 1024 * 1024 * 1000)
        );
        assert_eq!(
            w.request_milli("nvidia.com/gpu"),
            Some(1000),
            "requests default to limits"
        );
        assert_eq!(
            w.readiness,
            alloc::vec![Probe {
                initial_delay: Duration::from_secs(90),
                period: Duration::from_secs(10),
                success_threshold: 1
            }]
        );
        assert_eq!(w.annotations["autoscaling.keda.sh/paused"], "true");
        let h = m.hpas().next().unwrap();
        assert_eq!(h.hpa.spec.max_replicas, 10);
        assert_eq!(h.hpa.spec.metrics.len(), 1, "the API default cpu metric");
        assert_eq!(m.ignored().next().unwrap().kind, "PodDisruptionBudget");
    }

    #[test]
    fn problems_name_document_path_and_line() {
        let text = "kind: Deployment\nspec: {replicas: -1}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 0\n";
        let e = parse(text, OPTS).unwrap_err();
        assert_eq!(e.problems[0].path, "[0].spec.replicas");
        assert_eq!(e.problems[0].line, Some(2));
        let p = e.problems.iter().find(|p| p.path == "[1].spec.maxReplicas");
        assert_eq!(p.map(|p| p.line), Some(Some(8)), "{e}");
    }

    #[test]
    fn scaled_objects_are_kept_raw() {
        let text = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: so}\nspec:\n  scaleTargetRef: {name: worker}\n  triggers: [{type: rabbitmq, metadata: {queueName: q, mode: QueueLength, value: '5'}}]\n";
        let m = parse(text, OPTS).unwrap();
        let so = m.scaled_objects().next().unwrap();
        assert_eq!(so.target_name, "worker");
        assert_eq!(so.target_kind, "Deployment");
        assert!(so.raw.get("spec").is_some());
        let e = parse(
            "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec: {triggers: []}\n",
            OPTS,
        )
        .unwrap_err();
        assert!(
            e.problems
                .iter()
                .any(|p| p.path == "[0].spec.scaleTargetRef.name"),
            "{e}"
        );
    }

    #[test]
    fn unknown_fields_are_noticed_at_their_line() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {a: b}}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: a\n        imagee: x\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3\n  maxReplica: 20\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {anything: 1}\n";
        let m = parse(text, OPTS).unwrap();
        let got: Vec<_> = m
            .notices
            .0
            .iter()
            .map(|n| (n.path.as_str(), n.line, n.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "[0].spec.template.spec.containers[0].imagee",
                    Some(10),
                    "unknown field \"spec.template.spec.containers[0].imagee\"; did you mean \"image\"?"
                ),
                (
                    "[1].spec.maxReplica",
                    Some(18),
                    "unknown field \"spec.maxReplica\"; did you mean \"maxReplicas\"?"
                ),
            ]
        );
    }

    #[test]
    fn documents_without_kind_are_rejected() {
        let e = parse("apiVersion: v1\nmetadata: {name: x}\n", OPTS).unwrap_err();
        assert_eq!(e.first().path, "[0]");
        assert!(e.first().message.contains("kind"));
        let e = parse("- 1\n- 2\n", OPTS).unwrap_err();
        assert_eq!(e.first().path, "[0]");
    }

    #[test]
    fn probe_values_are_checked() {
        let text = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        readinessProbe: {periodSeconds: 0}\n";
        let e = parse(text, OPTS).unwrap_err();
        assert_eq!(
            e.first().path,
            "[0].spec.template.spec.containers[0].readinessProbe.periodSeconds"
        );
        assert_eq!(e.first().line, Some(7));
    }

    #[test]
    fn resource_requirements_are_validated_as_the_api_server_does() {
        let deployment = |resources: &str| {
            format!(
                "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        resources: {resources}\n"
            )
        };
        let problems = |resources: &str| -> Vec<(String, String)> {
            match parse(&deployment(resources), OPTS) {
                Ok(_) => Vec::new(),
                Err(e) => e
                    .problems
                    .into_iter()
                    .map(|p| (p.path, p.message))
                    .collect(),
            }
        };
        let at = "[0].spec.template.spec.containers[0].resources";
        assert_eq!(
            problems("{requests: {cpu: -1m}}"),
            [(
                format!("{at}.requests.cpu"),
                "Invalid value: \"-1m\": must be greater than or equal to 0".to_string()
            )]
        );
        // A negative limit is also the defaulted request: both are reported.
        let p = problems("{limits: {memory: -1Gi}}");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].0, format!("{at}.limits.memory"));
        assert_eq!(
            problems("{requests: {cpu: '2'}, limits: {cpu: '1'}}"),
            [(
                format!("{at}.requests"),
                "Invalid value: \"2\": must be less than or equal to cpu limit of 1".to_string()
            )]
        );
        assert_eq!(
            problems("{requests: {nvidia.com/gpu: '1'}, limits: {nvidia.com/gpu: '2'}}"),
            [(
                format!("{at}.requests"),
                "Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2".to_string()
            )]
        );
        assert_eq!(
            problems("{requests: {nvidia.com/gpu: '1'}}"),
            [(
                format!("{at}.limits"),
                "Required value: Limit must be set for non overcommitable resources".to_string()
            )]
        );
        assert!(
            problems("{limits: {nvidia.com/gpu: 500m}}")
                .iter()
                .any(|(_, m)| m.ends_with("must be an integer")),
        );
        assert!(
            problems(
                "{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: '1', nvidia.com/gpu: '1'}}"
            )
            .is_empty()
        );
        let e = parse(&deployment("{requests: {cpu: -1m}}"), OPTS).unwrap_err();
        assert_eq!(e.first().line, Some(7), "{e}");
    }
}
