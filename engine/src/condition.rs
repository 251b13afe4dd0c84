//! Status conditions, with Kubernetes' and KEDA's exact strings.
//!
//! The HPA's condition types and reasons are those `horizontal.go` sets
//! (`setCondition` calls in `reconcileAutoscaler`, `computeReplicasForMetrics`,
//! `normalizeDesiredReplicas*`, `convertDesiredReplicasWith*`); the list keeps
//! `setConditionInList`'s order: a type is updated in place or appended.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use serde::Serialize;

/// A condition type: the HPA's three, and KEDA's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    /// KEDA: is the ScaledJob's configuration working (`ConditionReady`)?
    Ready,
}

macro_rules! reasons {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// A condition reason, named exactly as Kubernetes (or KEDA) spells it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        pub enum Reason { $($(#[$doc])* $name),* }
        impl Reason {
            /// The reason string.
            pub fn as_str(self) -> &'static str {
                match self { $(Reason::$name => stringify!($name)),* }
            }
        }
    };
}

reasons! {
    /// The scale subresource was read.
    SucceededGetScale,
    /// The scale was updated.
    SucceededRescale,
    /// Normalization ran and stabilization changed nothing.
    ReadyForNewScale,
    /// Recent higher recommendations held a scale-down.
    ScaleDownStabilized,
    /// Recent lower recommendations held a scale-up.
    ScaleUpStabilized,
    /// The target is at zero replicas with `minReplicas` above zero.
    ScalingDisabled,
    /// A metric gave a proposal.
    ValidMetricFound,
    /// A Resource metric failed.
    FailedGetResourceMetric,
    /// A ContainerResource metric failed.
    FailedGetContainerResourceMetric,
    /// A Pods metric failed.
    FailedGetPodsMetric,
    /// An Object metric failed.
    FailedGetObjectMetric,
    /// An External metric failed.
    FailedGetExternalMetric,
    /// An unknown metric source type.
    InvalidMetricSourceType,
    /// Not clamped.
    DesiredWithinRange,
    /// Clamped to `minReplicas`.
    TooFewReplicas,
    /// Clamped to `maxReplicas`.
    TooManyReplicas,
    /// Clamped by the scale-up rate.
    ScaleUpLimit,
    /// Clamped by the scale-down rate.
    ScaleDownLimit,
    /// KEDA: a trigger is active.
    ScalerActive,
    /// KEDA: no trigger is active.
    ScalerNotActive,
    /// KEDA: inactive, waiting for the cooldown period.
    ScalerCooldown,
    /// KEDA: the ScaledObject is paused.
    ScaledObjectPaused,
    /// KEDA: fallback is in force.
    FallbackExists,
    /// KEDA: no fallback is in force.
    NoFallbackFound,
    /// KEDA ScaledJob: ready for scaling.
    ScaledJobReady,
    /// KEDA ScaledJob: some triggers failed, one is active.
    PartialTriggerError,
    /// KEDA ScaledJob: triggers failed, none is active.
    TriggerError,
    /// KEDA ScaledJob: paused by annotation.
    ScaledJobPaused,
}

impl Serialize for ConditionStatusText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            ConditionStatusText::True => "True",
            ConditionStatusText::False => "False",
            ConditionStatusText::Unknown => "Unknown",
        })
    }
}

/// A condition's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(rename = "ConditionStatus")
)]
pub enum ConditionStatusText {
    /// `True`.
    True,
    /// `False`.
    False,
    /// `Unknown`.
    Unknown,
}

/// One status condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Condition {
    /// The condition type.
    #[serde(rename = "type")]
    pub type_: ConditionType,
    /// `True`, `False` or `Unknown`.
    #[cfg_attr(feature = "ts", tsify(type = "ConditionStatus"))]
    pub status: ConditionStatusText,
    /// The reason, spelled as upstream spells it.
    #[serde(serialize_with = "ser_reason")]
    pub reason: Reason,
    /// The message, worded as upstream words it.
    pub message: Cow<'static, str>,
}

fn ser_reason<S: serde::Serializer>(r: &Reason, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

/// An ordered condition list (`setConditionInList`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Conditions(pub Vec<Condition>);

impl Conditions {
    /// Sets a condition: updates the entry of that type or appends one.
    pub fn set(
        &mut self,
        type_: ConditionType,
        status: bool,
        reason: Reason,
        message: impl Into<Cow<'static, str>>,
    ) {
        let message = message.into();
        let status = if status {
            ConditionStatusText::True
        } else {
            ConditionStatusText::False
        };
        let c = Condition {
            type_,
            status,
            reason,
            message,
        };
        match self.0.iter_mut().find(|c| c.type_ == type_) {
            Some(existing) => *existing = c,
            None => self.0.push(c),
        }
    }

    /// The condition of a type, if set.
    pub fn get(&self, type_: ConditionType) -> Option<&Condition> {
        self.0.iter().find(|c| c.type_ == type_)
    }
}
