//! The controllers' memory between reconciles: the HPA controller's
//! recommendations and scale events, the KEDA operator's state.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::time::Instant;

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
