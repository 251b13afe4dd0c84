//! What `evaluate` takes: the evaluation case of shared spec
//! `eval-case.md`, for TypeScript.
//!
//! The engine reads a case from a JSON value with its own path-aware
//! reader (defaults, validation, older API versions), so these structs are
//! never the reading path: they exist so that tsify can write the
//! TypeScript of the case format from Rust. Their serde attributes say
//! what the engine's reader accepts, and `tests/types.rs` deserializes
//! every valid fixture in `tests/cases/` into [`EvalCase`], so a fixture
//! the types would reject fails the build's tests. Objects from the
//! Kubernetes API (with `status`, `labels`, ...) may carry more fields than
//! are declared here: the engine ignores what it does not read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use replicast_engine::model::{History, KedaState};

/// A Kubernetes quantity, as a string (`"500m"`, `"4Gi"`, `"1.5k"`) or a
/// number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(untagged)]
pub enum Quantity {
    /// `"500m"`.
    Text(String),
    /// `0.5`.
    Number(f64),
}

/// A duration: seconds, or a string with a unit (`"500ms"`, `"15s"`,
/// `"5m"`, `"2h"`, `"1d"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(untagged)]
pub enum TimeSpan {
    /// Seconds.
    Seconds(f64),
    /// With a unit.
    Text(String),
}

/// One evaluation case: everything one autoscaler reconcile sees. Give
/// one of `hpa`, `scaledObject` and `scaledJob`.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct EvalCase {
    /// The instant of the evaluation, in seconds on an arbitrary clock that
    /// every other time in the case shares.
    pub now: f64,
    /// A whole `autoscaling/v2` HorizontalPodAutoscaler (`autoscaling/v1`
    /// and `v2beta2` are converted), or just its `spec`.
    #[serde(default)]
    #[tsify(optional)]
    pub hpa: Option<HpaInput>,
    /// A whole `keda.sh/v1alpha1` ScaledObject, or just its `spec`.
    #[serde(default)]
    #[tsify(optional)]
    pub scaled_object: Option<ScaledObjectInput>,
    /// A whole `keda.sh/v1alpha1` ScaledJob, or just its `spec`.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub scaled_job: Option<serde_json::Value>,
    /// ScaledJob: the Jobs it owns (`running` counts the pending ones).
    #[serde(default)]
    #[tsify(optional)]
    pub jobs: Option<Jobs>,
    /// The scale subresource of the target (HPA and ScaledObject cases).
    #[serde(default)]
    #[tsify(optional)]
    pub target: Option<ScaleTarget>,
    /// The pods the target's selector matches.
    #[serde(default)]
    #[tsify(optional)]
    pub pods: Vec<Pod>,
    /// HPA: one reading per `hpa.spec.metrics[i]`, in the same order.
    #[serde(default)]
    #[tsify(optional)]
    pub metrics: Vec<Reading>,
    /// KEDA: one reading per `scaledObject.spec.triggers[i]`, in order.
    #[serde(default)]
    #[tsify(optional)]
    pub triggers: Vec<Reading>,
    /// KEDA: the operator's state before this poll.
    #[serde(default)]
    #[tsify(optional)]
    pub keda: Option<KedaState>,
    /// The controller's memory; absent when it has just started for this
    /// autoscaler. A decision's `history` fits here.
    #[serde(default)]
    #[tsify(optional)]
    pub history: Option<History>,
    /// kube-controller-manager flags.
    #[serde(default)]
    #[tsify(optional)]
    pub controller: Option<Controller>,
}

/// The Jobs a ScaledJob owns at the poll.
#[derive(Clone, Copy, Debug, Deserialize, Tsify)]
pub struct Jobs {
    /// Every unfinished Job (pending ones included).
    pub running: i64,
    /// Those of them whose pods are not running yet.
    #[serde(default)]
    #[tsify(optional)]
    pub pending: Option<i64>,
}

/// An HPA in a case: the whole object or just its `spec`.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum HpaInput {
    /// Just the `spec` (it has `maxReplicas`).
    Spec(HpaSpec),
    /// The whole object.
    Whole(HorizontalPodAutoscaler),
}

/// A ScaledObject in a case: the whole object or just its `spec`.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ScaledObjectInput {
    /// Just the `spec` (it has `triggers`).
    Spec(ScaledObjectSpec),
    /// The whole object.
    Whole(ScaledObject),
}

/// The scale subresource.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTarget {
    /// `spec.replicas`: the current replica count.
    pub replicas: i32,
    /// `status.replicas`; defaults to `replicas`.
    #[serde(default)]
    #[tsify(optional)]
    pub status_replicas: Option<i32>,
}

/// A pod's `status.phase`.
#[derive(Clone, Copy, Debug, Deserialize, Tsify)]
pub enum Phase {
    /// The default.
    Running,
    /// Not started yet.
    Pending,
    /// Finished.
    Succeeded,
    /// Failed.
    Failed,
    /// Unknown.
    Unknown,
}

/// A pod the target's selector matches.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct Pod {
    /// `metadata.name`.
    pub name: String,
    /// `status.phase` (default `Running`).
    #[serde(default)]
    #[tsify(optional)]
    pub phase: Option<Phase>,
    /// The Ready condition: `true` (default), `false`, `"Unknown"`, or
    /// `null` when the pod has no Ready condition at all.
    #[serde(default)]
    #[tsify(optional, type = "boolean | \"True\" | \"False\" | \"Unknown\" | null")]
    pub ready: Option<serde_json::Value>,
    /// The Ready condition's `lastTransitionTime`, in seconds.
    #[serde(default)]
    #[tsify(optional)]
    pub ready_since: Option<f64>,
    /// `status.startTime`, in seconds; absent means not started.
    #[serde(default)]
    #[tsify(optional)]
    pub start_time: Option<f64>,
    /// Has a `deletionTimestamp`.
    #[serde(default)]
    #[tsify(optional)]
    pub deleting: Option<bool>,
    /// Shorthand: the requests of the pod's single container.
    #[serde(default)]
    #[tsify(optional)]
    pub requests: Option<BTreeMap<String, Quantity>>,
    /// The containers.
    #[serde(default)]
    #[tsify(optional)]
    pub containers: Vec<Container>,
    /// The init containers (`restartPolicy: Always` makes a sidecar).
    #[serde(default)]
    #[tsify(optional)]
    pub init_containers: Vec<Container>,
    /// Pod-level `spec.resources.requests`.
    #[serde(default)]
    #[tsify(optional)]
    pub pod_requests: Option<BTreeMap<String, Quantity>>,
    /// This many identical pods, named `<name>-0`, `<name>-1`, ... (the
    /// decision is the same as listing them all).
    #[serde(default)]
    #[tsify(optional)]
    pub count: Option<u32>,
}

/// A container's name and requests.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct Container {
    /// The container's name.
    #[serde(default)]
    #[tsify(optional)]
    pub name: Option<String>,
    /// `resources.requests`.
    #[serde(default)]
    #[tsify(optional)]
    pub requests: Option<BTreeMap<String, Quantity>>,
    /// `restartPolicy` (init containers: `Always` makes a sidecar).
    #[serde(default)]
    #[tsify(optional)]
    pub restart_policy: Option<String>,
}

/// One pod's sample with its own time.
#[derive(Clone, Debug, Deserialize, Tsify)]
pub struct PodSample {
    /// The value.
    pub value: Quantity,
    /// When the sample was taken, in seconds.
    #[serde(default)]
    #[tsify(optional)]
    pub timestamp: Option<f64>,
    /// The sample's window.
    #[serde(default)]
    #[tsify(optional)]
    pub window: Option<TimeSpan>,
}

/// A pod's value in a reading: a quantity, or a sample with its own time.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum PodValue {
    /// Just the value.
    Value(Quantity),
    /// The value with its sample time.
    Sample(PodSample),
}

/// What the metrics API (or a KEDA scaler) returned for one metric.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct Reading {
    /// Per-pod values by pod name (Resource, ContainerResource, Pods;
    /// KEDA cpu/memory triggers).
    #[serde(default)]
    #[tsify(optional)]
    pub pod_values: Option<BTreeMap<String, PodValue>>,
    /// One value (Object metrics; what a KEDA scaler reports).
    #[serde(default)]
    #[tsify(optional)]
    pub value: Option<Quantity>,
    /// Every series matched (External metrics; the HPA sums them).
    #[serde(default)]
    #[tsify(optional)]
    pub values: Option<Vec<Quantity>>,
    /// The metrics API failed with this message.
    #[serde(default)]
    #[tsify(optional)]
    pub error: Option<String>,
    /// When the sample was taken, in seconds (default: `now`).
    #[serde(default)]
    #[tsify(optional)]
    pub timestamp: Option<f64>,
    /// The sample's window (default 30 s).
    #[serde(default)]
    #[tsify(optional)]
    pub window: Option<TimeSpan>,
    /// KEDA external scalers: the target their `GetMetricSpec` answers.
    #[serde(default)]
    #[tsify(optional)]
    pub target: Option<Quantity>,
    /// KEDA external scalers: their `IsActive` answer.
    #[serde(default)]
    #[tsify(optional)]
    pub active: Option<bool>,
}

/// kube-controller-manager flags; every one optional.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Controller {
    /// `--horizontal-pod-autoscaler-tolerance` (default 0.1).
    #[serde(default)]
    #[tsify(optional)]
    pub tolerance: Option<f64>,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5m).
    #[serde(default)]
    #[tsify(optional)]
    pub cpu_initialization_period: Option<TimeSpan>,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30s).
    #[serde(default)]
    #[tsify(optional)]
    pub initial_readiness_delay: Option<TimeSpan>,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (default 5m).
    #[serde(default)]
    #[tsify(optional)]
    pub downscale_stabilization: Option<TimeSpan>,
    /// Feature gates.
    #[serde(default)]
    #[tsify(optional)]
    pub features: Option<Features>,
}

/// Feature gates that change decisions.
#[derive(Clone, Debug, Deserialize, Tsify)]
pub struct Features {
    /// `PodLevelResources` (default true).
    #[serde(rename = "PodLevelResources", default)]
    #[tsify(optional)]
    pub pod_level_resources: Option<bool>,
    /// `HPAScaleToZero` (default false): allows `minReplicas: 0`.
    #[serde(rename = "HPAScaleToZero", default)]
    #[tsify(optional)]
    pub hpa_scale_to_zero: Option<bool>,
    /// `HPAConfigurableTolerance` (default true).
    #[serde(rename = "HPAConfigurableTolerance", default)]
    #[tsify(optional)]
    pub hpa_configurable_tolerance: Option<bool>,
}

/// `metav1.ObjectMeta`, the parts a manifest usually has.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct ObjectMeta {
    /// `name`.
    #[serde(default)]
    #[tsify(optional)]
    pub name: Option<String>,
    /// `namespace`.
    #[serde(default)]
    #[tsify(optional)]
    pub namespace: Option<String>,
    /// `labels`.
    #[serde(default)]
    #[tsify(optional)]
    pub labels: Option<BTreeMap<String, String>>,
    /// `annotations` (KEDA reads `autoscaling.keda.sh/paused-replicas`).
    #[serde(default)]
    #[tsify(optional)]
    pub annotations: Option<BTreeMap<String, String>>,
}

/// A HorizontalPodAutoscaler as `kubectl` takes it (`autoscaling/v2`;
/// `autoscaling/v1` and `v2beta2` are converted as the API server does).
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscaler {
    /// `autoscaling/v2`.
    #[serde(default)]
    #[tsify(optional)]
    pub api_version: Option<String>,
    /// `HorizontalPodAutoscaler`.
    #[serde(default)]
    #[tsify(optional)]
    pub kind: Option<String>,
    /// `metadata`.
    #[serde(default)]
    #[tsify(optional)]
    pub metadata: Option<ObjectMeta>,
    /// `spec`.
    #[serde(default)]
    #[tsify(optional)]
    pub spec: Option<HpaSpec>,
}

/// `HorizontalPodAutoscalerSpec`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct HpaSpec {
    /// The scale target.
    pub scale_target_ref: CrossVersionObjectReference,
    /// Lower bound (API default 1).
    #[serde(default)]
    #[tsify(optional)]
    pub min_replicas: Option<i32>,
    /// Upper bound (required).
    pub max_replicas: i32,
    /// The metrics (API default: CPU at 80 % utilization).
    #[serde(default)]
    #[tsify(optional)]
    pub metrics: Vec<MetricSpec>,
    /// Scaling behavior (absent: the legacy normalization).
    #[serde(default)]
    #[tsify(optional)]
    pub behavior: Option<Behavior>,
    /// `autoscaling/v1` only: the CPU utilization target in percent.
    #[serde(rename = "targetCPUUtilizationPercentage", default)]
    #[tsify(optional)]
    pub target_cpu_utilization_percentage: Option<i32>,
}

/// `CrossVersionObjectReference`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CrossVersionObjectReference {
    /// `kind`.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `apiVersion`.
    #[serde(default)]
    #[tsify(optional)]
    pub api_version: Option<String>,
}

/// `MetricSpec`: one metric source.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct MetricSpec {
    /// The source type.
    #[serde(rename = "type")]
    #[tsify(type = "\"Resource\" | \"ContainerResource\" | \"Pods\" | \"Object\" | \"External\"")]
    pub type_: String,
    /// `type: Resource`.
    #[serde(default)]
    #[tsify(optional)]
    pub resource: Option<ResourceMetricSource>,
    /// `type: ContainerResource`.
    #[serde(default)]
    #[tsify(optional)]
    pub container_resource: Option<ContainerResourceMetricSource>,
    /// `type: Pods`.
    #[serde(default)]
    #[tsify(optional)]
    pub pods: Option<PodsMetricSource>,
    /// `type: Object`.
    #[serde(default)]
    #[tsify(optional)]
    pub object: Option<ObjectMetricSource>,
    /// `type: External`.
    #[serde(default)]
    #[tsify(optional)]
    pub external: Option<ExternalMetricSource>,
}

/// `MetricTarget`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct MetricTarget {
    /// The target type.
    #[serde(rename = "type")]
    #[tsify(type = "\"Utilization\" | \"Value\" | \"AverageValue\"")]
    pub type_: String,
    /// `type: Value`.
    #[serde(default)]
    #[tsify(optional)]
    pub value: Option<Quantity>,
    /// `type: AverageValue`.
    #[serde(default)]
    #[tsify(optional)]
    pub average_value: Option<Quantity>,
    /// `type: Utilization`: percent of the pods' requests.
    #[serde(default)]
    #[tsify(optional)]
    pub average_utilization: Option<i32>,
}

/// `MetricIdentifier`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct MetricIdentifier {
    /// The metric's name.
    pub name: String,
    /// A label selector (kept as written).
    #[serde(default)]
    #[tsify(optional, type = "unknown")]
    pub selector: Option<serde_json::Value>,
}

/// `ResourceMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetricSource {
    /// `cpu`, `memory`, ...
    pub name: String,
    /// The target.
    pub target: MetricTarget,
}

/// `ContainerResourceMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ContainerResourceMetricSource {
    /// `cpu`, `memory`, ...
    pub name: String,
    /// The container whose usage and request count.
    pub container: String,
    /// The target.
    pub target: MetricTarget,
}

/// `PodsMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PodsMetricSource {
    /// The metric.
    pub metric: MetricIdentifier,
    /// The target.
    pub target: MetricTarget,
}

/// `ObjectMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMetricSource {
    /// The object the metric describes.
    pub described_object: CrossVersionObjectReference,
    /// The metric.
    pub metric: MetricIdentifier,
    /// The target.
    pub target: MetricTarget,
}

/// `ExternalMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExternalMetricSource {
    /// The metric.
    pub metric: MetricIdentifier,
    /// The target.
    pub target: MetricTarget,
}

/// `HorizontalPodAutoscalerBehavior`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Behavior {
    /// Rules for scaling up.
    #[serde(default)]
    #[tsify(optional)]
    pub scale_up: Option<ScalingRules>,
    /// Rules for scaling down.
    #[serde(default)]
    #[tsify(optional)]
    pub scale_down: Option<ScalingRules>,
}

/// `HPAScalingRules`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScalingRules {
    /// Seconds of past recommendations to consider.
    #[serde(default)]
    #[tsify(optional)]
    pub stabilization_window_seconds: Option<i32>,
    /// How to combine the policies.
    #[serde(default)]
    #[tsify(optional, type = "\"Max\" | \"Min\" | \"Disabled\"")]
    pub select_policy: Option<String>,
    /// The rate limits.
    #[serde(default)]
    #[tsify(optional)]
    pub policies: Option<Vec<ScalingPolicy>>,
    /// This direction's tolerance (KEP-4951), e.g. `"0.05"`.
    #[serde(default)]
    #[tsify(optional)]
    pub tolerance: Option<Quantity>,
}

/// `HPAScalingPolicy`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScalingPolicy {
    /// Pods, or percent of the replicas at the period's start.
    #[serde(rename = "type")]
    #[tsify(type = "\"Pods\" | \"Percent\"")]
    pub type_: String,
    /// How many pods, or what percent.
    pub value: i32,
    /// The period the policy looks back over, in seconds.
    pub period_seconds: i32,
}

/// A KEDA ScaledObject (`keda.sh/v1alpha1`).
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObject {
    /// `keda.sh/v1alpha1`.
    #[serde(default)]
    #[tsify(optional)]
    pub api_version: Option<String>,
    /// `ScaledObject`.
    #[serde(default)]
    #[tsify(optional)]
    pub kind: Option<String>,
    /// `metadata` (annotations such as `autoscaling.keda.sh/paused-replicas`).
    #[serde(default)]
    #[tsify(optional)]
    pub metadata: Option<ObjectMeta>,
    /// `spec`.
    #[serde(default)]
    #[tsify(optional)]
    pub spec: Option<ScaledObjectSpec>,
}

/// `ScaledObjectSpec`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObjectSpec {
    /// The workload.
    #[serde(default)]
    #[tsify(optional)]
    pub scale_target_ref: Option<ScaleTargetRef>,
    /// Seconds between the operator's polls (default 30).
    #[serde(default)]
    #[tsify(optional)]
    pub polling_interval: Option<i32>,
    /// Seconds after the last activity before scaling to zero (default 300).
    #[serde(default)]
    #[tsify(optional)]
    pub cooldown_period: Option<i32>,
    /// Seconds after creation before the first scale to zero (default 0).
    #[serde(default)]
    #[tsify(optional)]
    pub initial_cooldown_period: Option<i32>,
    /// Replicas while idle.
    #[serde(default)]
    #[tsify(optional)]
    pub idle_replica_count: Option<i32>,
    /// Minimum replicas (default 0).
    #[serde(default)]
    #[tsify(optional)]
    pub min_replica_count: Option<i32>,
    /// Maximum replicas (default 100).
    #[serde(default)]
    #[tsify(optional)]
    pub max_replica_count: Option<i32>,
    /// What to do when scalers fail.
    #[serde(default)]
    #[tsify(optional)]
    pub fallback: Option<Fallback>,
    /// The owned HPA's config and the scaling modifiers.
    #[serde(default)]
    #[tsify(optional)]
    pub advanced: Option<Advanced>,
    /// The triggers.
    pub triggers: Vec<Trigger>,
}

/// The workload a ScaledObject scales.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTargetRef {
    /// The workload's name.
    pub name: String,
    /// Its kind (default Deployment).
    #[serde(default)]
    #[tsify(optional)]
    pub kind: Option<String>,
    /// Its apiVersion.
    #[serde(default)]
    #[tsify(optional)]
    pub api_version: Option<String>,
}

/// `Fallback`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Fallback {
    /// Failures tolerated before falling back.
    pub failure_threshold: i32,
    /// Replicas to fall back to.
    pub replicas: i32,
    /// `static` (default), `currentReplicas`, `currentReplicasIfHigher`,
    /// `currentReplicasIfLower` or `scalingModifiers`.
    #[serde(default)]
    #[tsify(optional)]
    pub behavior: Option<String>,
}

/// `AdvancedConfig`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Advanced {
    /// The owned HPA's name and behavior.
    #[serde(default)]
    #[tsify(optional)]
    pub horizontal_pod_autoscaler_config: Option<HpaConfig>,
    /// A formula over the triggers.
    #[serde(default)]
    #[tsify(optional)]
    pub scaling_modifiers: Option<ScalingModifiers>,
}

/// `HorizontalPodAutoscalerConfig`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct HpaConfig {
    /// The HPA's name.
    #[serde(default)]
    #[tsify(optional)]
    pub name: Option<String>,
    /// The HPA's behavior.
    #[serde(default)]
    #[tsify(optional)]
    pub behavior: Option<Behavior>,
}

/// `ScalingModifiers`.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScalingModifiers {
    /// An expression over trigger names.
    pub formula: String,
    /// The composite metric's target.
    #[tsify(type = "string | number")]
    pub target: serde_json::Value,
    /// The composite activation target (default 0).
    #[serde(default)]
    #[tsify(optional, type = "string | number")]
    pub activation_target: Option<serde_json::Value>,
    /// `AverageValue` (default) or `Value`.
    #[serde(default)]
    #[tsify(optional)]
    pub metric_type: Option<String>,
}

/// One KEDA trigger (`ScaleTriggers`).
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(hashmap_as_object)]
pub struct Trigger {
    /// The scaler: `rabbitmq`, `prometheus`, `aws-sqs-queue`, `kafka`,
    /// `cron`, `cpu`, `memory`, ...
    #[serde(rename = "type")]
    pub type_: String,
    /// The trigger's name (scaling modifiers refer to it).
    #[serde(default)]
    #[tsify(optional)]
    pub name: Option<String>,
    /// The scaler's parameters (strings; numbers and booleans are accepted).
    #[serde(default)]
    #[tsify(optional, type = "Record<string, string | number | boolean>")]
    pub metadata: Option<serde_json::Value>,
    /// `AverageValue` (default), `Value`, or `Utilization` (cpu/memory).
    #[serde(default)]
    #[tsify(optional)]
    pub metric_type: Option<String>,
    /// Serve the HPA from the operator's last poll.
    #[serde(default)]
    #[tsify(optional)]
    pub use_cached_metrics: Option<bool>,
    /// A TriggerAuthentication (not read by replicast).
    #[serde(default)]
    #[tsify(optional, type = "{ name: string; kind?: string }")]
    pub authentication_ref: Option<serde_json::Value>,
}

/// How to evaluate a case.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct EvaluateOptions {
    /// Refuse every warning (an unknown field, a converted API version):
    /// throw a `ReplicastError` whose problems are of kind `strict`
    /// (default false), as `replicast eval --strict` exits 2.
    #[serde(default)]
    #[tsify(optional)]
    pub strict: Option<bool>,
}

/// What `evaluate` takes: a case object, or its YAML or JSON text.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum CaseInput {
    /// YAML or JSON text.
    Text(String),
    /// A case object.
    Case(Box<EvalCase>),
}
