//! The HorizontalPodAutoscaler (autoscaling/v2) as users write it.
//!
//! Field for field `k8s.io/api/autoscaling/v2/types.go`; unknown fields are
//! ignored so that whole manifests (with `metadata`, `status`, ...) paste in
//! unchanged. Enumerations (`type`, `selectPolicy`) stay strings here so that
//! validation can reject a wrong value with Kubernetes' own message.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::quantity::Quantity;

/// `metav1.ObjectMeta`, the parts replicast reads.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// `metadata.name`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `metadata.namespace`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `metadata.annotations`.
    #[serde(
        default,
        skip_serializing_if = "alloc::collections::BTreeMap::is_empty"
    )]
    pub annotations: alloc::collections::BTreeMap<String, String>,
}

/// A whole HorizontalPodAutoscaler object.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscaler {
    /// `apiVersion`, e.g. `autoscaling/v2`.
    #[serde(default)]
    pub api_version: String,
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: HpaSpec,
}

/// `HorizontalPodAutoscalerSpec`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HpaSpec {
    /// The scale target.
    #[serde(default)]
    pub scale_target_ref: CrossVersionObjectReference,
    /// Lower bound; API default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i32>,
    /// Upper bound (required).
    #[serde(default)]
    pub max_replicas: i32,
    /// The metrics; API default: CPU utilization 80 %.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricSpec>,
    /// Scaling behavior; absent selects the legacy normalization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<Behavior>,
}

/// `CrossVersionObjectReference`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CrossVersionObjectReference {
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `apiVersion`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
}

/// `MetricSpec`: one metric source.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetricSpec {
    /// `Resource`, `ContainerResource`, `Pods`, `Object` or `External`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `object`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectMetricSource>,
    /// `pods`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<PodsMetricSource>,
    /// `resource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricSource>,
    /// `containerResource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<ContainerResourceMetricSource>,
    /// `external`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalMetricSource>,
}

/// `MetricTarget`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetricTarget {
    /// `Utilization`, `Value` or `AverageValue`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// `averageValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    /// `averageUtilization` (percent of request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}

/// `MetricIdentifier`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetricIdentifier {
    /// The metric's name.
    #[serde(default)]
    pub name: String,
    /// A label selector (kept as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<Value>,
}

/// `ResourceMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetricSource {
    /// The resource: `cpu`, `memory`, ...
    #[serde(default)]
    pub name: String,
    /// The target.
    #[serde(default)]
    pub target: MetricTarget,
}

/// `ContainerResourceMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerResourceMetricSource {
    /// The resource.
    #[serde(default)]
    pub name: String,
    /// The container whose usage and request count.
    #[serde(default)]
    pub container: String,
    /// The target.
    #[serde(default)]
    pub target: MetricTarget,
}

/// `PodsMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodsMetricSource {
    /// The metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// The target.
    #[serde(default)]
    pub target: MetricTarget,
}

/// `ObjectMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMetricSource {
    /// The object the metric describes.
    #[serde(default)]
    pub described_object: CrossVersionObjectReference,
    /// The metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// The target.
    #[serde(default)]
    pub target: MetricTarget,
}

/// `ExternalMetricSource`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExternalMetricSource {
    /// The metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// The target.
    #[serde(default)]
    pub target: MetricTarget,
}

/// `HorizontalPodAutoscalerBehavior`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Behavior {
    /// Rules for scaling up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<ScalingRules>,
    /// Rules for scaling down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<ScalingRules>,
}

/// `HPAScalingRules`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingRules {
    /// Seconds of past recommendations to consider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
    /// `Max`, `Min` or `Disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<String>,
    /// The policies; `None` means not written (defaulting fills it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<ScalingPolicy>>,
    /// Per-direction tolerance (KEP-4951).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Quantity>,
}

/// `HPAScalingPolicy`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingPolicy {
    /// `Pods` or `Percent`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// Pods, or percent of the replicas at the period's start.
    #[serde(default)]
    pub value: i32,
    /// The period the policy looks back over.
    #[serde(default)]
    pub period_seconds: i32,
}

impl ScalingRules {
    /// The defaulted select policy.
    pub fn select(&self) -> &str {
        self.select_policy.as_deref().unwrap_or("Max")
    }

    /// The defaulted policies.
    pub fn policy_list(&self) -> &[ScalingPolicy] {
        self.policies.as_deref().unwrap_or(&[])
    }
}
