//! The controllers' memory between reconciles: the HPA controller's
//! recommendations and scale events, the KEDA operator's state.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::time::Instant;

/// A recorded recommendation (`timestampedRecommendation`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Recommendation {
    /// When, in seconds on the case's clock.
    #[cfg_attr(feature = "ts", tsify(type = "number"))]
    pub time: Instant,
    /// The unstabilized recommendation.
    pub replicas: i32,
}

/// A recorded scale event (`timestampedScaleEvent`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ScaleEvent {
    /// When, in seconds on the case's clock.
    #[cfg_attr(feature = "ts", tsify(type = "number"))]
    pub time: Instant,
    /// How many replicas were added (or removed).
    pub change: i32,
}

/// The controller's memory of earlier decisions for one autoscaler (input
/// `history`, and the decision's `history`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
    pub keda: Option<KedaState>,
}

/// The KEDA operator's state for one ScaledObject.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct KedaState {
    /// `status.lastActiveTime`, in seconds on the case's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "number"))]
    pub last_active_time: Option<Instant>,
    /// `status.health[trigger i].numberOfFailures`, in trigger order.
    #[serde(default)]
    pub failures: Vec<i32>,
}
