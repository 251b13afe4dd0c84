//! The ScaledObject (`keda.sh/v1alpha1`) as users write it and its defaults
//! (KEDA's admission checks are [`super::admission`]).
//!
//! Types follow `apis/keda/v1alpha1/scaledobject_types.go`; defaults are
//! `GetHPAMinReplicas` / `GetHPAMaxReplicas` and the poll/cooldown defaults of
//! `withtriggers_types.go` and `scale_scaledobjects.go`.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec::hpa::{Behavior, ObjectMeta};

/// `defaultPollingInterval`.
pub const DEFAULT_POLLING_INTERVAL: i32 = 30;
/// `defaultCooldownPeriod`.
pub const DEFAULT_COOLDOWN_PERIOD: i32 = 300;
/// `defaultInitialCooldownPeriod`.
pub const DEFAULT_INITIAL_COOLDOWN_PERIOD: i32 = 0;
/// `defaultHPAMaxReplicas`.
pub const DEFAULT_MAX_REPLICA_COUNT: i32 = 100;

/// A whole ScaledObject.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObject {
    /// `apiVersion`.
    #[serde(default)]
    pub api_version: String,
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `metadata` (name, annotations).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: ScaledObjectSpec,
}

/// `ScaledObjectSpec`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObjectSpec {
    /// The workload.
    #[serde(default)]
    pub scale_target_ref: Option<ScaleTargetRef>,
    /// Seconds between the operator's polls (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling_interval: Option<i32>,
    /// Seconds after the last activity before scaling to zero/idle (default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_period: Option<i32>,
    /// Seconds after creation before the first scale to zero (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_cooldown_period: Option<i32>,
    /// Replicas while idle (only 0 is supported by KEDA's docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_replica_count: Option<i32>,
    /// Minimum replicas (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replica_count: Option<i32>,
    /// Maximum replicas (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replica_count: Option<i32>,
    /// What to do when scalers fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
    /// The HPA config and scaling modifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced: Option<Advanced>,
    /// The triggers.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

/// `ScaleTarget`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTargetRef {
    /// The workload's name.
    #[serde(default)]
    pub name: String,
    /// Its kind (default Deployment).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Its apiVersion.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
}

/// `Fallback`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fallback {
    /// Failures tolerated before falling back.
    #[serde(default)]
    pub failure_threshold: i32,
    /// Replicas to fall back to.
    #[serde(default)]
    pub replicas: i32,
    /// `static` (default), `currentReplicas`, `currentReplicasIfHigher`,
    /// `currentReplicasIfLower`, `scalingModifiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<String>,
}

impl Fallback {
    /// The defaulted behavior.
    pub fn behavior(&self) -> &str {
        self.behavior.as_deref().unwrap_or("static")
    }
}

/// `AdvancedConfig`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Advanced {
    /// `horizontalPodAutoscalerConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_config: Option<HpaConfig>,
    /// `scalingModifiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_modifiers: Option<ScalingModifiers>,
}

/// `HorizontalPodAutoscalerConfig`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HpaConfig {
    /// The HPA's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The HPA's behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<Behavior>,
}

/// `ScalingModifiers`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingModifiers {
    /// An expression over trigger names.
    #[serde(default)]
    pub formula: String,
    /// The composite metric's target.
    #[serde(default, deserialize_with = "lenient_string")]
    pub target: String,
    /// The composite activation target (default 0).
    #[serde(default, deserialize_with = "lenient_string")]
    pub activation_target: String,
    /// `AverageValue` (default) or `Value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<String>,
}

/// `ScaleTriggers`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    /// The scaler: `rabbitmq`, `prometheus`, `aws-sqs-queue`, ...
    #[serde(rename = "type", default)]
    pub type_: String,
    /// The trigger's name (needed by scaling modifiers).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The scaler's parameters (values are strings; numbers are accepted).
    #[serde(default, deserialize_with = "lenient_map")]
    pub metadata: BTreeMap<String, String>,
    /// `AverageValue` (default), `Value`, or `Utilization` (cpu/memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<String>,
    /// Serve the HPA from the operator's last poll.
    #[serde(default)]
    pub use_cached_metrics: bool,
    /// A TriggerAuthentication (or ClusterTriggerAuthentication) whose
    /// parameters the scaler may read; replicast never sees them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_ref: Option<Value>,
}

impl Trigger {
    /// A cpu or memory trigger: a Resource metric, never an activator.
    pub fn is_resource(&self) -> bool {
        self.type_ == "cpu" || self.type_ == "memory"
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    scalar_text(&v).ok_or_else(|| de::Error::custom("expected a string"))
}

/// Trigger metadata is `map[string]string`; unquoted numbers and booleans
/// in real manifests are read as their text.
fn lenient_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let v = Value::deserialize(d)?;
    let Value::Object(map) = v else {
        return if v.is_null() {
            Ok(BTreeMap::new())
        } else {
            Err(de::Error::custom("expected a mapping of strings"))
        };
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let text = scalar_text(&v)
            .ok_or_else(|| de::Error::custom(format_args!("metadata.{k} must be a string")))?;
        out.insert(k, text);
    }
    Ok(out)
}

impl ScaledObject {
    /// `spec.minReplicaCount`, default 0.
    pub fn min_replica_count(&self) -> i32 {
        self.spec.min_replica_count.unwrap_or(0)
    }

    /// `GetHPAMinReplicas`: `minReplicaCount` when above 0, else 1.
    pub fn hpa_min_replicas(&self) -> i32 {
        match self.spec.min_replica_count {
            Some(m) if m > 0 => m,
            _ => 1,
        }
    }

    /// `GetHPAMaxReplicas`: `maxReplicaCount`, default 100.
    pub fn hpa_max_replicas(&self) -> i32 {
        self.spec
            .max_replica_count
            .unwrap_or(DEFAULT_MAX_REPLICA_COUNT)
    }

    /// `pollingInterval`, default 30 s.
    pub fn polling_interval(&self) -> i32 {
        self.spec
            .polling_interval
            .unwrap_or(DEFAULT_POLLING_INTERVAL)
    }

    /// `cooldownPeriod`, default 300 s.
    pub fn cooldown_period(&self) -> i32 {
        self.spec.cooldown_period.unwrap_or(DEFAULT_COOLDOWN_PERIOD)
    }

    /// The scaling modifiers when a formula is set (`IsUsingModifiers`).
    pub fn modifiers(&self) -> Option<&ScalingModifiers> {
        self.spec
            .advanced
            .as_ref()
            .and_then(|a| a.scaling_modifiers.as_ref())
            .filter(|m| !m.formula.is_empty())
    }

    fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata.annotations.get(key).map(String::as_str)
    }

    /// `autoscaling.keda.sh/paused-replicas`: its mere presence pauses.
    pub fn paused_replicas(&self) -> Option<&str> {
        self.annotation("autoscaling.keda.sh/paused-replicas")
    }

    /// `autoscaling.keda.sh/paused`, parsed as Go's `strconv.ParseBool`; a
    /// value that is not a boolean counts as paused.
    pub fn paused(&self) -> bool {
        paused_annotation(&self.metadata)
    }

    fn annotation_true(&self, key: &str) -> bool {
        matches!(
            self.annotation(key),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True")
        )
    }

    /// `NeedToPauseScaleIn`.
    pub fn pause_scale_in(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/paused-scale-in")
    }

    /// `NeedToPauseScaleOut`.
    pub fn pause_scale_out(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/paused-scale-out")
    }

    /// `NeedToForceActivation`.
    pub fn force_activation(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/force-activation")
    }
}

/// `NeedToBePausedByAnnotation` (ScaledObject and ScaledJob):
/// `autoscaling.keda.sh/paused` read by Go's `strconv.ParseBool`; a value
/// that is not a boolean pauses.
pub(crate) fn paused_annotation(meta: &ObjectMeta) -> bool {
    match meta
        .annotations
        .get("autoscaling.keda.sh/paused")
        .map(String::as_str)
    {
        None => false,
        Some(v) => !matches!(v, "0" | "f" | "F" | "false" | "FALSE" | "False"),
    }
}
