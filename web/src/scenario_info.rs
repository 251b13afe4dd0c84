//! What the page knows of the engine's reading of the last valid text:
//! each variant's name, probes, workload and cost, and the located warnings
//! shown beside the problems.

use replicast_engine::Notice;
use replicast_engine::sim::Scenario;

/// What the readout and summary know about each variant before a run:
/// from the engine's reading of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantInfo {
    /// The variant's name.
    pub name: String,
    /// Readiness probes of the scale target: (initial delay, period) s.
    pub readiness: Vec<(f64, f64)>,
    /// The scale target's name.
    pub target: String,
    /// The workload model with defaults applied.
    pub workload: replicast_engine::sim::scenario::WorkloadModel,
    /// Cost per replica-hour and currency.
    pub cost: (f64, String),
}

/// The engine's reading of the last valid text.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    /// Run length, seconds.
    pub duration: f64,
    /// Resolution, seconds.
    pub step: f64,
    /// The variants.
    pub variants: Vec<VariantInfo>,
}

impl Info {
    /// What the page shows of a scenario the engine read.
    pub fn from(s: &Scenario) -> Info {
        Info {
            duration: s.duration.as_secs_f64(),
            step: s.step.as_secs_f64(),
            variants: s
                .variants
                .iter()
                .map(|v| VariantInfo {
                    name: v.name.clone(),
                    readiness: v
                        .target
                        .readiness
                        .iter()
                        .map(|p| (p.initial_delay.as_secs_f64(), p.period.as_secs_f64()))
                        .collect(),
                    target: format!("{} {}", v.target.kind, v.target.name),
                    workload: v.workload.clone(),
                    cost: (v.cost.per_replica_hour, v.cost.currency.clone()),
                })
                .collect(),
        }
    }
}

/// Every variant's located warnings, each place once (shared manifests
/// give every variant the same ones).
pub fn scenario_notices(scenario: &Scenario) -> Vec<Notice> {
    let mut all: Vec<Notice> = Vec::new();
    for n in scenario.variants.iter().flat_map(|v| &v.notices.0) {
        if !all
            .iter()
            .any(|m| m.line == n.line && m.column == n.column && m.message == n.message)
        {
            all.push(n.clone());
        }
    }
    all
}
