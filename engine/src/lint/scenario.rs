//! Rules that need a scenario's facts (shared spec `scenario.md`): when a
//! scenario file is linted, its `manifests:` are linted with the
//! workload's cold start and the nodes' capacity known.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::model::{Model, get, raw_containers};
use super::{Finding, rules};
use crate::time::parse_duration;

/// What a scenario says about the manifests' world.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Facts {
    /// `workload.coldStart`: schedule + pull + load, in seconds, when written.
    pub cold_start: Option<f64>,
    /// `workload.coldStart.load`: running → model loaded, in seconds, when written.
    pub load: Option<f64>,
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
        let load = get(scenario, &["workload", "coldStart", "load"]).and_then(|v| seconds(Some(v)));
        Facts {
            cold_start,
            load,
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
        if let Some(load) = facts.load {
            ready_before_loaded(m, a, load, out);
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

/// `RC312`: a container's readiness probe that starts checking
/// (`initialDelaySeconds` after the container starts) before the model is
/// loaded (`workload.coldStart.load` after it starts), with no
/// `startupProbe` holding it back (Kubernetes documentation, "Configure
/// Liveness, Readiness and Startup Probes": while a startup probe is
/// configured, the other probes wait for it to succeed).
///
/// Whether such a probe passes early depends on what it checks, which the
/// manifests cannot say: the simulator assumes it fails until the model is
/// loaded (the pod turns Ready at the first probe at or after loading). A
/// `tcpSocket` probe, or a health endpoint that answers while the server
/// loads, passes at once: the pod then takes traffic it cannot serve, and
/// the HPA counts it as ready, with its loading cpu, in the average
/// (kubernetes `replica_calculator.go`: `groupPods` treats a pod Ready past
/// the CPU initialization period as ready).
fn ready_before_loaded(
    m: &Model<'_>,
    a: &super::model::Autoscaler<'_>,
    load: f64,
    out: &mut Vec<Finding>,
) {
    let Some((doc, _)) = m.target_of(a) else {
        return;
    };
    let Some(raw) = m.docs.get(doc) else {
        return;
    };
    let counted = if a.resources.iter().any(|r| r.resource == "cpu") {
        format!(
            ", and {} counts it as ready, with its loading cpu, in its average",
            a.label()
        )
    } else {
        String::new()
    };
    for (at, c) in raw_containers(doc, raw) {
        let Some(probe) = c.get("readinessProbe").filter(|p| p.is_object()) else {
            continue;
        };
        if c.get("startupProbe").is_some_and(Value::is_object) {
            continue;
        }
        let written = probe.get("initialDelaySeconds");
        let delay = match written {
            None => 0.0,
            Some(v) => match v.as_f64() {
                Some(d) => d,
                None => continue,
            },
        };
        if delay >= load {
            continue;
        }
        let name = c.get("name").and_then(Value::as_str).unwrap_or("?");
        let probe_at = at.child("readinessProbe");
        let at = if written.is_some() {
            probe_at.child("initialDelaySeconds")
        } else {
            probe_at
        };
        out.push(Finding::new(
            &rules::READY_BEFORE_LOADED,
            at,
            format!(
                "container {name}'s readiness probe starts {delay} s after the container starts, but the model takes {load} s to load (workload.coldStart.load): unless the probe answers only once the model is loaded (the simulation assumes so), the pod turns Ready before it can serve and takes traffic{}; probe an endpoint that is ready only when the model is, or add a startupProbe, or set initialDelaySeconds to at least {}",
                counted,
                libm::ceil(load)
            ),
        ));
    }
}
