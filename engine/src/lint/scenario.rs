//! Rules that need a scenario's facts (shared spec `scenario.md`): when a
//! scenario file is linted, its `manifests:` are linted with the
//! workload's cold start and the nodes' capacity known.

use alloc::format;
use alloc::vec::Vec;

use serde_json::Value;

use super::model::{Model, get};
use super::{Finding, rules};
use crate::time::parse_duration;

/// What a scenario says about the manifests' world.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Facts {
    /// `workload.coldStart`: schedule + pull + load, in seconds, when written.
    pub cold_start: Option<f64>,
    /// `nodes.max × nodes.podsPerNode`, when `nodes:` is written.
    pub pod_capacity: Option<u64>,
}

fn seconds(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_duration(s),
        _ => None,
    }
}

impl Facts {
    /// The facts of a scenario document.
    pub fn of(scenario: &Value) -> Facts {
        let cold_start = get(scenario, &["workload", "coldStart"]).map(|cs| {
            ["schedule", "pull", "load"]
                .iter()
                .filter_map(|k| seconds(cs.get(*k)))
                .sum()
        });
        let pod_capacity = scenario.get("nodes").filter(|n| n.is_object()).map(|n| {
            let n_of = |k: &str, d: u64| n.get(k).and_then(Value::as_u64).unwrap_or(d);
            n_of("max", 1000).saturating_mul(n_of("podsPerNode", 1))
        });
        Facts {
            cold_start,
            pod_capacity,
        }
    }
}

/// `RC310`: a scale-down stabilization window (default 300 s) shorter than
/// the workload's cold start. A pod removed in a dip takes longer to come
/// back than the autoscaler waited before removing it, so a load that
/// oscillates makes the replicas flap (kubernetes `horizontal.go`:
/// `stabilizeRecommendationWithBehaviors`; Kubernetes documentation
/// "Stabilization window").
///
/// `RC311`: a maximum beyond the pods the scenario's nodes can hold
/// (`nodes.max × nodes.podsPerNode`): the replicas above it stay Pending,
/// and on GPU nodes they are GPUs that cannot be provisioned.
pub(crate) fn check(m: &Model<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    for a in &m.autoscalers {
        if let Some(cold) = facts.cold_start {
            let window = a.scale_down_window().unwrap_or(300);
            if f64::from(window) < cold {
                out.push(Finding::new(
                    &rules::WINDOW_SHORTER_THAN_COLD_START,
                    a.behavior_at().child("scaleDown").child("stabilizationWindowSeconds"),
                    format!(
                        "{} waits {window} s before scaling down, but a new pod takes {cold} s to start (workload.coldStart): a dip removes pods that the next rise needs back later than the window; set scaleDown.stabilizationWindowSeconds to at least {}",
                        a.label(),
                        libm::ceil(cold)
                    ),
                ));
            }
        }
        if let Some(cap) = facts.pod_capacity {
            if u64::try_from(a.max).is_ok_and(|max| max > cap) {
                out.push(Finding::new(
                    &rules::MAX_BEYOND_NODES,
                    a.max_at(),
                    format!(
                        "{} may scale to {} replicas, but the nodes hold {cap} pods (nodes.max × podsPerNode): the replicas above {cap} stay Pending; lower the maximum or allow more nodes",
                        a.label(),
                        a.max
                    ),
                ));
            }
        }
    }
}
