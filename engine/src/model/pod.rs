//! The pods the target's selector matches: phase, readiness, start, requests.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::validation::negative_quantities;
use crate::error::{Error, Path};
use crate::quantity::Quantity;
use crate::time::Instant;

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
