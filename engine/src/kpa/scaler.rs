//! What the KPA reconciler writes to the Deployment from the decider's
//! count (knative/serving `pkg/reconciler/autoscaling/kpa/scaler.go`:
//! `scaler.scale`, `applyBounds`, `handleScaleToZero`, `lastPodRetention`).

use alloc::format;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::config::Config;
use super::go::SECOND;
use super::revision::Settings;

/// `activationTimeoutBuffer`.
const ACTIVATION_TIMEOUT_BUFFER: f64 = 30.0;

/// The PodAutoscaler's `Active` condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Active {
    /// `True`.
    #[default]
    True,
    /// `False`: inactive, scaled to zero or on its way there.
    False,
    /// `Unknown`: activating.
    Unknown,
}

/// What the reconciler knows besides the decider's count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// The PodAutoscaler's `Active` condition (default `True`).
    #[serde(default, with = "active_serde")]
    pub active: Active,
    /// Its `lastTransitionTime` (default: long ago).
    #[serde(default)]
    pub active_since: Option<f64>,
    /// `ScaleTargetInitialized` (default true).
    #[serde(default = "yes")]
    pub scale_target_initialized: bool,
    /// When the ServerlessService went to proxy mode (the activator in the
    /// path); absent when it is not in proxy mode.
    #[serde(default)]
    pub proxy_since: Option<f64>,
    /// Whether the activator answers the revision's probe (asked before
    /// scaling to zero unless target-burst-capacity is -1; default true).
    #[serde(default = "yes")]
    pub activator_ready: bool,
    /// The Deployment's `spec.replicas` (default 1, as upstream reads an
    /// unset count).
    #[serde(default = "one")]
    pub replicas: i32,
    /// The revision's progress deadline in seconds
    /// (`serving.knative.dev/progress-deadline`, else config-deployment's
    /// `progress-deadline`, 600 s by default).
    #[serde(default = "progress_deadline")]
    pub progress_deadline: f64,
}

fn yes() -> bool {
    true
}
fn one() -> i32 {
    1
}
fn progress_deadline() -> f64 {
    600.0
}

impl Default for State {
    fn default() -> State {
        State {
            active: Active::True,
            active_since: None,
            scale_target_initialized: true,
            proxy_since: None,
            activator_ready: true,
            replicas: 1,
            progress_deadline: progress_deadline(),
        }
    }
}

mod active_serde {
    use super::Active;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(a: &Active, s: S) -> Result<S::Ok, S::Error> {
        match a {
            Active::True => s.serialize_bool(true),
            Active::False => s.serialize_bool(false),
            Active::Unknown => s.serialize_str("Unknown"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Active, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Bool(true) => Ok(Active::True),
            serde_json::Value::Bool(false) => Ok(Active::False),
            serde_json::Value::String(s) if s == "Unknown" => Ok(Active::Unknown),
            other => Err(D::Error::custom(alloc::format!(
                "active: true, false or \"Unknown\", not {other}"
            ))),
        }
    }
}

/// The reconciler's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The scale it settles on (`want`; -1: unknown).
    pub want: i32,
    /// The `spec.replicas` it writes, when it writes one.
    pub write: Option<i32>,
    /// Why, in a few words.
    pub why: String,
}

/// `applyBounds` (max 0: no maximum).
fn apply_bounds(min: i32, max: i32, x: i32) -> i32 {
    if x < min {
        min
    } else if max != 0 && x > max {
        max
    } else {
        x
    }
}

/// `scaler.scale` with the decider's `desired` (-1 when it has no data).
pub fn apply(s: &Settings, config: &Config, st: &State, desired: i32, now: f64) -> Applied {
    let since = |t: Option<f64>| t.map_or(f64::INFINITY, |t| now - t);
    if desired < 0 && st.active != Active::Unknown {
        return Applied {
            want: desired,
            write: None,
            why: "metrics are not yet being collected: nothing is written".into(),
        };
    }
    let mut min = s.min_scale;
    if s.initial_scale > 1 && !st.scale_target_initialized && s.reachable {
        min = min.max(s.initial_scale);
    }
    let bounded = apply_bounds(min, s.max_scale, desired);
    let mut why = if bounded != desired {
        format!(
            "bounded to [{min}, {}]: {desired} → {bounded}",
            if s.max_scale == 0 {
                String::from("∞")
            } else {
                format!("{}", s.max_scale)
            }
        )
    } else {
        String::new()
    };
    let (want, apply) = if bounded != 0 {
        (bounded, true)
    } else if !config.enable_scale_to_zero {
        why = "scale to zero is disabled (enable-scale-to-zero: false): keeps 1".into();
        (1, true)
    } else {
        let stable = s.stable_window as f64 / SECOND as f64;
        match st.active {
            Active::Unknown => {
                let timeout = st.progress_deadline + ACTIVATION_TIMEOUT_BUFFER;
                if since(st.active_since) > timeout {
                    why = format!("activation timed out after {timeout} s: scales to 0");
                    (bounded, true)
                } else {
                    why = "activating: waits for the activation to finish".into();
                    (-1, false)
                }
            }
            Active::True => {
                let af = since(st.active_since);
                if af >= stable {
                    why = format!(
                        "active for {af} s ≥ the stable window ({stable} s): the revision can go inactive (the activator takes its traffic first), nothing written yet"
                    );
                    (bounded, false)
                } else {
                    why = format!(
                        "active for {af} s < the stable window ({stable} s): keeps 1 pod until then"
                    );
                    (1, true)
                }
            }
            Active::False => {
                let probed = s.target_burst_capacity != -1.0;
                if probed && !st.activator_ready {
                    why =
                        "the activator does not answer the revision's probe yet: cannot scale to 0"
                            .into();
                    (bounded, false)
                } else {
                    let inactive = since(st.active_since);
                    let grace = config.scale_to_zero_grace_period as f64 / SECOND as f64;
                    let retention = s.pod_retention as f64 / SECOND as f64;
                    if inactive >= grace.max(retention) {
                        why = format!(
                            "inactive for {inactive} s ≥ max(grace period {grace} s, last-pod retention {retention} s): scales to 0"
                        );
                        (bounded, true)
                    } else if retention > 0.0 && inactive < retention {
                        why = format!(
                            "inactive for {inactive} s < the last pod's retention ({retention} s): keeps it"
                        );
                        (bounded, false)
                    } else {
                        let pf = st.proxy_since.map_or(0.0, |t| now - t);
                        if grace - pf <= 0.0 {
                            why = format!(
                                "in proxy mode for {pf} s ≥ the grace period ({grace} s): scales to 0"
                            );
                            (bounded, true)
                        } else {
                            why = format!(
                                "in proxy mode for {pf} s < the grace period ({grace} s): waits"
                            );
                            (bounded, false)
                        }
                    }
                }
            }
        }
    };
    let write = (apply && want != st.replicas).then_some(want);
    Applied { want, write, why }
}
