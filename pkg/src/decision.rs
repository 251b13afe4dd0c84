//! What `evaluate` returns: the decision of shared spec `eval-case.md`, as
//! `replicast eval` prints it.
//!
//! These structs mirror [`replicast_engine::case::Decision`] field for field
//! so that tsify can write their TypeScript (the engine's types do not
//! derive `Tsify`). The mirror is the very value that is serialized, and
//! each `From` destructures the engine's struct and matches its enums
//! exhaustively, so a field or a reason added to the engine fails this
//! build instead of drifting from the `.d.ts`. Leaves whose JSON form the
//! engine defines (quantities, instants) keep the engine's type and its
//! `Serialize`, with their TypeScript type named explicitly.

use std::borrow::Cow;

use replicast_engine::case as engine;
use replicast_engine::condition as cond;
use replicast_engine::model;
use replicast_engine::quantity::Quantity;
use replicast_engine::time::Instant;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::notice::Notice;

/// What the controller decides in one reconcile.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// The replica count the controller writes to the scale subresource
    /// after this reconcile (equal to `target.replicas` when it does not
    /// rescale).
    pub desired_replicas: i32,
    /// Per metric (HPA) or trigger (KEDA), in spec order.
    pub metrics: Vec<MetricDecision>,
    /// The status conditions, with Kubernetes' (and KEDA's) type, status
    /// and reason strings.
    pub conditions: Vec<Condition>,
    /// The controller's memory after this reconcile: pass it back as the
    /// next case's `history` (with a later `now`) to chain reconciles.
    pub history: History,
    /// One line for humans: why this count.
    pub explanation: String,
    /// KEDA: whether the ScaledObject is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// ScaledJob: the Jobs this poll creates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub jobs_to_create: Option<i64>,
    /// ScaledJob: the scalers' maximum scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub max_scale: Option<i64>,
    /// Notes on the input (an older API version converted, ...); each
    /// notice is among them as `path: message`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[tsify(optional)]
    pub warnings: Vec<String>,
    /// The warnings that have a place in the input, located (an unknown
    /// field, as kubectl's strict field validation names it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[tsify(optional)]
    pub notices: Vec<Notice>,
}

/// One metric's (or trigger's) part of a decision.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct MetricDecision {
    /// The replica count this metric proposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The observed value as a canonical Kubernetes quantity (`"800m"`);
    /// for AverageValue targets the per-pod average.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "string")]
    pub value: Option<Quantity>,
    /// The utilization in integer percent (Utilization targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<i32>,
    /// Why this metric could not be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The metric as the controller names it in conditions
    /// (`cpu resource utilization (percentage of request)`).
    pub metric: String,
}

/// One status condition.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
pub struct Condition {
    /// The condition type.
    #[serde(rename = "type")]
    pub type_: ConditionType,
    /// `True`, `False` or `Unknown`.
    pub status: ConditionStatus,
    /// The reason, spelled as upstream spells it.
    pub reason: Reason,
    /// The message, worded as upstream words it.
    pub message: Cow<'static, str>,
}

/// A condition type: the HPA's three, and KEDA's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
pub enum ConditionType {
    /// HPA: can the controller read and update the scale?
    AbleToScale,
    /// HPA: is a metric driving scaling?
    ScalingActive,
    /// HPA: was the desired count clamped?
    ScalingLimited,
    /// KEDA: is the ScaledObject active?
    Active,
    /// KEDA: is fallback in force?
    Fallback,
    /// KEDA: is the ScaledObject paused?
    Paused,
    /// KEDA: is the ScaledJob's configuration working?
    Ready,
}

/// A condition's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
pub enum ConditionStatus {
    /// `True`.
    True,
    /// `False`.
    False,
    /// `Unknown`.
    Unknown,
}

macro_rules! reasons {
    ($($name:ident),* $(,)?) => {
        /// A condition reason, named exactly as Kubernetes (or KEDA) spells it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
        #[allow(missing_docs)]
        pub enum Reason { $($name),* }

        impl From<cond::Reason> for Reason {
            fn from(r: cond::Reason) -> Self {
                match r { $(cond::Reason::$name => Reason::$name),* }
            }
        }
    };
}

reasons! {
    SucceededGetScale,
    SucceededRescale,
    ReadyForNewScale,
    ScaleDownStabilized,
    ScaleUpStabilized,
    ScalingDisabled,
    ValidMetricFound,
    FailedGetResourceMetric,
    FailedGetContainerResourceMetric,
    FailedGetPodsMetric,
    FailedGetObjectMetric,
    FailedGetExternalMetric,
    InvalidMetricSourceType,
    DesiredWithinRange,
    TooFewReplicas,
    TooManyReplicas,
    ScaleUpLimit,
    ScaleDownLimit,
    ScalerActive,
    ScalerNotActive,
    ScalerCooldown,
    ScaledObjectPaused,
    FallbackExists,
    NoFallbackFound,
    ScaledJobReady,
    PartialTriggerError,
    TriggerError,
    ScaledJobPaused,
}

/// The controller's memory of earlier decisions for one autoscaler (input
/// `history`, and the decision's `history`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// Recent recommendations (`recommendations[key]` upstream).
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// Recent scale-ups (`scaleUpEvents[key]`).
    #[serde(default)]
    pub scale_up_events: Vec<ScaleEvent>,
    /// Recent scale-downs (`scaleDownEvents[key]`).
    #[serde(default)]
    pub scale_down_events: Vec<ScaleEvent>,
    /// KEDA: the operator's state after the poll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub keda: Option<KedaState>,
}

/// A recorded recommendation (`timestampedRecommendation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Recommendation {
    /// When, in seconds on the case's clock.
    #[tsify(type = "number")]
    pub time: Instant,
    /// The unstabilized recommendation.
    pub replicas: i32,
}

/// A recorded scale event (`timestampedScaleEvent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ScaleEvent {
    /// When, in seconds on the case's clock.
    #[tsify(type = "number")]
    pub time: Instant,
    /// How many replicas were added (or removed).
    pub change: i32,
}

/// The KEDA operator's state for one ScaledObject.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct KedaState {
    /// `status.lastActiveTime`, in seconds on the case's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "number", optional)]
    pub last_active_time: Option<Instant>,
    /// `status.health[trigger i].numberOfFailures`, in trigger order.
    #[serde(default)]
    pub failures: Vec<i32>,
}

impl From<engine::Decision> for Decision {
    fn from(d: engine::Decision) -> Self {
        let engine::Decision {
            desired_replicas,
            metrics,
            conditions,
            history,
            explanation,
            active,
            jobs_to_create,
            max_scale,
            kpa: _,
            warnings,
            notices,
        } = d;
        Decision {
            desired_replicas,
            metrics: metrics.into_iter().map(MetricDecision::from).collect(),
            conditions: conditions.0.into_iter().map(Condition::from).collect(),
            history: history.into(),
            explanation,
            active,
            jobs_to_create,
            max_scale,
            warnings,
            notices: notices.iter().map(Notice::from).collect(),
        }
    }
}

impl From<engine::MetricDecision> for MetricDecision {
    fn from(m: engine::MetricDecision) -> Self {
        let engine::MetricDecision {
            replicas,
            value,
            utilization,
            error,
            metric,
        } = m;
        MetricDecision {
            replicas,
            value,
            utilization,
            error,
            metric,
        }
    }
}

impl From<cond::Condition> for Condition {
    fn from(c: cond::Condition) -> Self {
        let cond::Condition {
            type_,
            status,
            reason,
            message,
        } = c;
        Condition {
            type_: match type_ {
                cond::ConditionType::AbleToScale => ConditionType::AbleToScale,
                cond::ConditionType::ScalingActive => ConditionType::ScalingActive,
                cond::ConditionType::ScalingLimited => ConditionType::ScalingLimited,
                cond::ConditionType::Active => ConditionType::Active,
                cond::ConditionType::Fallback => ConditionType::Fallback,
                cond::ConditionType::Paused => ConditionType::Paused,
                cond::ConditionType::Ready => ConditionType::Ready,
            },
            status: match status {
                cond::ConditionStatusText::True => ConditionStatus::True,
                cond::ConditionStatusText::False => ConditionStatus::False,
                cond::ConditionStatusText::Unknown => ConditionStatus::Unknown,
            },
            reason: reason.into(),
            message,
        }
    }
}

impl From<model::History> for History {
    fn from(h: model::History) -> Self {
        let model::History {
            recommendations,
            scale_up_events,
            scale_down_events,
            keda,
        } = h;
        let event = |e: model::ScaleEvent| {
            let model::ScaleEvent { time, change } = e;
            ScaleEvent { time, change }
        };
        History {
            recommendations: recommendations
                .into_iter()
                .map(|r| {
                    let model::Recommendation { time, replicas } = r;
                    Recommendation { time, replicas }
                })
                .collect(),
            scale_up_events: scale_up_events.into_iter().map(event).collect(),
            scale_down_events: scale_down_events.into_iter().map(event).collect(),
            keda: keda.map(|k| {
                let model::KedaState {
                    last_active_time,
                    failures,
                } = k;
                KedaState {
                    last_active_time,
                    failures,
                }
            }),
        }
    }
}
