//! What one reconcile sees, as the evaluation case format writes it
//! (shared spec `eval-case.md`): the scale target, its pods, the metric
//! readings, the controller's memory and its flags.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::quantity::Quantity;
use crate::time::{Duration, Instant};

/// `validation.IsNegativeErrorMsg` (apimachinery), the API server's words
/// for a negative quantity.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";

/// `ValidateNonnegativeQuantity` (`pkg/apis/core/validation`): a problem at
/// `at.<resource>` for each negative quantity of `list`, added to `errs`.
pub(crate) fn negative_quantities(
    list: &BTreeMap<String, Quantity>,
    at: &Path,
    errs: &mut Option<Error>,
) {
    for (resource, q) in list {
        if q.signum() < 0 {
            add(
                errs,
                Error::new(
                    ErrorKind::Invalid,
                    at.child(resource),
                    alloc::format!("Invalid value: \"{q}\": {IS_NEGATIVE}"),
                ),
            );
        }
    }
}

/// Adds `e`'s problems to `errs`.
pub(crate) fn add(errs: &mut Option<Error>, e: Error) {
    *errs = Some(match errs.take() {
        Some(all) => all.join(e),
        None => e,
    });
}

/// The scale subresource of the target.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTarget {
    /// `spec.replicas`: the current replica count.
    pub replicas: i32,
    /// `status.replicas`; defaults to `replicas`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_replicas: Option<i32>,
}

impl ScaleTarget {
    /// `status.replicas`, defaulted.
    pub fn status(&self) -> i32 {
        self.status_replicas.unwrap_or(self.replicas)
    }
}

/// A pod's `status.phase`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Phase {
    /// `Running` (the default).
    #[default]
    Running,
    /// `Pending`.
    Pending,
    /// `Succeeded`.
    Succeeded,
    /// `Failed`.
    Failed,
    /// `Unknown`.
    Unknown,
}

/// The status of a pod condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ConditionStatus {
    /// `True`.
    True,
    /// `False`.
    False,
    /// `Unknown`.
    Unknown,
}

/// A container's name and requests.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The container's name.
    #[serde(default)]
    pub name: String,
    /// `resources.requests`.
    #[serde(default)]
    pub requests: BTreeMap<String, Quantity>,
    /// `restartPolicy` (init containers: `Always` makes a sidecar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
}

/// A pod the target's selector matches.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// `metadata.name`.
    pub name: String,
    /// `status.phase`.
    #[serde(default)]
    pub phase: Phase,
    /// The Ready condition's status; `None` when the pod has no Ready
    /// condition at all (`ready: null`).
    #[serde(
        default = "ready_true",
        deserialize_with = "de_ready",
        serialize_with = "ser_ready"
    )]
    pub ready: Option<ConditionStatus>,
    /// The Ready condition's `lastTransitionTime`; absent means Go's zero
    /// time, as in the upstream tests (long ago).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_since: Option<Instant>,
    /// `status.startTime`; absent means not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Instant>,
    /// Has a `deletionTimestamp`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleting: bool,
    /// Shorthand: the requests of the pod's single container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<BTreeMap<String, Quantity>>,
    /// The containers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<Container>,
    /// The init containers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// Pod-level `spec.resources.requests`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_requests: Option<BTreeMap<String, Quantity>>,
    /// `count`: this many identical pods, named `<name>-0`, `<name>-1`, ...
    /// (the decision is the same as listing them all); reading a case
    /// expands it, so an evaluated pod never has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// The most pods a case may hold once every `count` is expanded.
pub const MAX_PODS: u64 = 200_000;

/// Expands every pod's `count` into that many pods (`<name>-0`, ...).
pub(crate) fn expand_pods(pods: Vec<Pod>) -> Vec<Pod> {
    if pods.iter().all(|p| p.count.is_none()) {
        return pods;
    }
    let mut out = Vec::with_capacity(pods.len());
    for mut p in pods {
        match p.count.take() {
            None => out.push(p),
            Some(n) => {
                for k in 0..n {
                    let mut q = p.clone();
                    q.name = alloc::format!("{}-{k}", p.name);
                    out.push(q);
                }
            }
        }
    }
    out
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn ready_true() -> Option<ConditionStatus> {
    Some(ConditionStatus::True)
}

fn de_ready<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ConditionStatus>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::Bool(true) => Some(ConditionStatus::True),
        Value::Bool(false) => Some(ConditionStatus::False),
        Value::String(s) if s == "True" || s == "true" => Some(ConditionStatus::True),
        Value::String(s) if s == "False" || s == "false" => Some(ConditionStatus::False),
        Value::String(s) if s == "Unknown" => Some(ConditionStatus::Unknown),
        other => {
            return Err(de::Error::custom(format_args!(
                "ready must be true, false, \"Unknown\" or null, not {other}"
            )));
        }
    })
}

fn ser_ready<S: serde::Serializer>(v: &Option<ConditionStatus>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(ConditionStatus::True) => s.serialize_bool(true),
        Some(ConditionStatus::False) => s.serialize_bool(false),
        Some(ConditionStatus::Unknown) => s.serialize_str("Unknown"),
    }
}

impl Pod {
    /// The Ready condition's transition time (Go's zero time when unset).
    pub fn ready_transition(&self) -> Instant {
        self.ready_since.unwrap_or(Instant::ZERO_TIME)
    }

    /// The API server refuses a pod whose requests are negative
    /// (`ValidateResourceRequirements` and `validatePodResources` in
    /// `pkg/apis/core/validation/validation.go`): every negative request of
    /// the shorthand, the containers, the init containers and the pod-level
    /// resources, each at its path under `at` (`pods[i]`).
    pub(crate) fn check_requests(&self, at: &Path, errs: &mut Option<Error>) {
        if let Some(r) = &self.requests {
            negative_quantities(r, &at.child("requests"), errs);
        }
        for (list, key) in [
            (&self.containers, "containers"),
            (&self.init_containers, "initContainers"),
        ] {
            for (j, c) in list.iter().enumerate() {
                negative_quantities(&c.requests, &at.child(key).index(j).child("requests"), errs);
            }
        }
        if let Some(r) = &self.pod_requests {
            negative_quantities(r, &at.child("podRequests"), errs);
        }
    }
}

/// One pod's sample: its value and, optionally, its own sample time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PodSample {
    /// The value (for Resource metrics: usage summed over containers).
    pub value: Quantity,
    /// When the sample was taken (default: the reading's timestamp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Instant>,
    /// The sample's window (default: the reading's window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Duration>,
}

impl<'de> Deserialize<'de> for PodSample {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Full {
            value: Quantity,
            #[serde(default)]
            timestamp: Option<Instant>,
            #[serde(default)]
            window: Option<Duration>,
        }
        let v = Value::deserialize(d)?;
        if v.is_object() {
            let f: Full = serde_json::from_value(v).map_err(de::Error::custom)?;
            Ok(PodSample {
                value: f.value,
                timestamp: f.timestamp,
                window: f.window,
            })
        } else {
            let value: Quantity = serde_json::from_value(v).map_err(de::Error::custom)?;
            Ok(PodSample {
                value,
                timestamp: None,
                window: None,
            })
        }
    }
}

/// One reading per metric (or KEDA trigger): what the metrics API returned.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    /// Per-pod values (Resource, ContainerResource, Pods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_values: Option<BTreeMap<String, PodSample>>,
    /// A single value (Object; KEDA scalers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// Every series matched (External; summed by the HPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Quantity>>,
    /// The metrics API failed with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the sample was taken (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Instant>,
    /// The sample window (default 30 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Duration>,
    /// KEDA `external`/`external-push` triggers: the target the external
    /// scaler's `GetMetricSpec` answers (`targetSize`/`targetSizeFloat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Quantity>,
    /// KEDA `external`/`external-push` triggers: the external scaler's
    /// `IsActive` answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl Reading {
    /// Resource usage as the resource metrics API (`metrics.k8s.io`)
    /// reports it is never negative: a negative pod value of a Resource,
    /// ContainerResource, cpu or memory reading is refused at
    /// `at.podValues.<pod>` (`at` is `metrics[i]` or `triggers[i]`).
    pub(crate) fn check_usage(&self, at: &Path, errs: &mut Option<Error>) {
        for (pod, sample) in self.pod_values.iter().flatten() {
            if sample.value.signum() < 0 {
                add(
                    errs,
                    Error::new(
                        ErrorKind::Invalid,
                        at.child("podValues").child(pod),
                        alloc::format!(
                            "Invalid value: \"{}\": {IS_NEGATIVE} (resource usage from the metrics API is never negative)",
                            sample.value
                        ),
                    ),
                );
            }
        }
    }
}

/// A recorded recommendation (`timestampedRecommendation`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Recommendation {
    /// When.
    pub time: Instant,
    /// The unstabilized proposal.
    pub replicas: i32,
}

/// A recorded scale event (`timestampedScaleEvent`): a positive change.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct ScaleEvent {
    /// When.
    pub time: Instant,
    /// How many replicas were added (or removed).
    pub change: i32,
}

/// The HPA controller's in-memory state for one HPA.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// `recommendations[key]`.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// `scaleUpEvents[key]`.
    #[serde(default)]
    pub scale_up_events: Vec<ScaleEvent>,
    /// `scaleDownEvents[key]`.
    #[serde(default)]
    pub scale_down_events: Vec<ScaleEvent>,
    /// KEDA: the operator's state after the poll (decisions only; a case may
    /// also pass it back here instead of in `keda`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keda: Option<KedaState>,
}

/// The KEDA operator's state for one ScaledObject (`status.lastActiveTime`,
/// `status.health[*].numberOfFailures`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KedaState {
    /// When a trigger was last active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active_time: Option<Instant>,
    /// Consecutive failures per trigger, in trigger order.
    #[serde(default)]
    pub failures: Vec<i32>,
}

/// Feature gates that change decisions.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
pub struct Features {
    /// `PodLevelResources` (default true).
    pub pod_level_resources: bool,
    /// `HPAScaleToZero` (default false): allows `minReplicas: 0`.
    #[serde(rename = "HPAScaleToZero")]
    pub hpa_scale_to_zero: bool,
    /// `HPAConfigurableTolerance` (default true): honours
    /// `behavior.scaleUp/scaleDown.tolerance`.
    #[serde(rename = "HPAConfigurableTolerance")]
    pub hpa_configurable_tolerance: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            pod_level_resources: true,
            hpa_scale_to_zero: false,
            hpa_configurable_tolerance: true,
        }
    }
}

/// kube-controller-manager flags.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Controller {
    /// `--horizontal-pod-autoscaler-tolerance`.
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    pub initial_readiness_delay: Duration,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    pub downscale_stabilization: Duration,
    /// Feature gates.
    pub features: Features,
}

impl Default for Controller {
    fn default() -> Self {
        Controller {
            tolerance: 0.1,
            cpu_initialization_period: Duration::from_secs(300),
            initial_readiness_delay: Duration::from_secs(30),
            downscale_stabilization: Duration::from_secs(300),
            features: Features::default(),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Running => "Running",
            Phase::Pending => "Pending",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Unknown => "Unknown",
        })
    }
}
