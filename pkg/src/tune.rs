//! What `tune` takes and returns (shared spec `tune.md`), for TypeScript:
//! the scenario's `tune:` section and the result. As for `simulate`, the
//! engine reads and writes the JSON itself; these structs declare its
//! TypeScript, and `tests/types.rs` reads the engine's result back into
//! [`TuneResult`] with `deny_unknown_fields`.

use std::collections::BTreeMap;

use serde::Deserialize;
use tsify::Tsify;

use crate::sim::Summary;

/// A scenario's `tune:` section: which variant, what to minimise, the
/// constraints, the knobs (default: derived from the autoscalers).
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tune {
    /// The tuned variant's name (default: the first).
    #[serde(default)]
    #[tsify(optional)]
    pub variant: Option<String>,
    /// A summary field, lower is better (default `cost` with a `cost:`
    /// section, else `replicaHours`).
    #[serde(default)]
    #[tsify(optional)]
    pub objective: Option<String>,
    /// The frontier's second axis (default `secondsOverSlo`).
    #[serde(default)]
    #[tsify(optional)]
    pub frontier: Option<String>,
    /// Summary fields with bounds (default: `secondsOverSlo` and `dropped`
    /// no worse than as written).
    #[serde(default)]
    #[tsify(optional)]
    pub constraints: Option<BTreeMap<String, TuneBound>>,
    /// Noise seeds per candidate (default 1).
    #[serde(default)]
    #[tsify(optional)]
    pub seeds: Option<u32>,
    /// At most this many candidates simulated in full (default 300).
    #[serde(default)]
    #[tsify(optional)]
    pub budget: Option<u32>,
    /// The fields searched (default: derived from the autoscalers).
    #[serde(default)]
    #[tsify(optional)]
    pub knobs: Option<Vec<TuneKnob>>,
}

/// A constraint's bounds (inclusive).
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneBound {
    /// At least.
    #[serde(default)]
    #[tsify(optional)]
    pub min: Option<f64>,
    /// At most.
    #[serde(default)]
    #[tsify(optional)]
    pub max: Option<f64>,
}

/// A number or a quantity such as `"500m"`.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum TuneValue {
    /// A number.
    Number(f64),
    /// A quantity.
    Text(String),
}

/// One field to search.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneKnob {
    /// `Kind/name` of an object in the manifests.
    pub object: String,
    /// A field path as errors print it (`spec.behavior.scaleDown.stabilizationWindowSeconds`).
    pub path: String,
    /// `[from, to]`, inclusive.
    #[serde(default)]
    #[tsify(optional)]
    pub range: Option<[f64; 2]>,
    /// The step through `range` (default 1).
    #[serde(default)]
    #[tsify(optional)]
    pub step: Option<f64>,
    /// Or the values themselves.
    #[serde(default)]
    #[tsify(optional)]
    pub values: Option<Vec<TuneValue>>,
}

/// A value as the manifests hold it: a number, a string, or `null` for a
/// field that is absent.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum FieldValue {
    /// A number.
    Number(f64),
    /// A string (a quantity, KEDA metadata).
    Text(String),
    /// Absent.
    Absent(()),
}

/// One changed field.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneChange {
    /// `Kind/name`.
    pub object: String,
    /// The field.
    pub path: String,
    /// As written (or the API default when absent).
    #[tsify(type = "number | string | null")]
    pub from: FieldValue,
    /// The candidate's value.
    #[tsify(type = "number | string | null")]
    pub to: FieldValue,
    /// The objective's change when this change alone is reverted (the best
    /// only; `null` when that run was refused or not made).
    #[serde(default)]
    #[tsify(optional)]
    pub impact: Option<Option<f64>>,
}

/// One simulated candidate.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TunePoint {
    /// What differs from the manifests as written.
    pub changes: Vec<TuneChange>,
    /// The first seed's summary.
    pub summary: Summary,
    /// The objective (mean over the seeds).
    pub objective: f64,
    /// Whether every constraint holds under every seed.
    pub feasible: bool,
}

/// The configuration as written.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneBaseline {
    /// The first seed's summary.
    pub summary: Summary,
    /// Whether it meets the constraints.
    pub feasible: bool,
    /// The objective.
    pub objective: f64,
}

/// The best feasible candidate.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneBest {
    /// Its changes, each with its impact.
    pub changes: Vec<TuneChange>,
    /// The tuned variant's manifests with only the changed values changed.
    pub manifests: String,
    /// The first seed's summary.
    pub summary: Summary,
    /// The objective.
    pub objective: f64,
}

/// A knob searched.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TuneKnobInfo {
    /// `Kind/name`.
    pub object: String,
    /// The field.
    pub path: String,
    /// The values tried.
    #[tsify(type = "(number | string)[]")]
    pub values: Vec<FieldValue>,
    /// As written (or defaulted; `null` when absent).
    #[tsify(type = "number | string | null")]
    pub from: FieldValue,
}

/// What `tune` returns.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TuneResult {
    /// The configuration as written.
    pub baseline: TuneBaseline,
    /// The feasible candidate with the lowest objective; `null` when none is.
    pub best: Option<TuneBest>,
    /// Candidates no other beats on both the objective and the frontier axis.
    pub frontier: Vec<TunePoint>,
    /// Candidates simulated in full.
    pub evaluated: u32,
    /// Candidates the engine refused.
    pub skipped: u32,
    /// Feasible candidates.
    pub feasible: u32,
    /// Candidates dropped after a short run broke a constraint.
    pub pruned: u32,
    /// Whether the run was stopped before its budget was spent.
    pub cancelled: bool,
    /// The tuned variant.
    pub variant: String,
    /// The objective's field.
    pub objective: String,
    /// The frontier's field.
    pub frontier_field: String,
    /// The knobs searched.
    pub knobs: Vec<TuneKnobInfo>,
}

/// Progress, after each batch of candidates.
#[derive(Clone, Debug, serde::Serialize, Tsify)]
pub struct TuneProgress {
    /// Candidates simulated in full.
    pub done: usize,
    /// The budget.
    pub budget: usize,
    /// Candidates refused.
    pub skipped: usize,
    /// Candidates dropped after a short run.
    pub pruned: usize,
    /// The best feasible objective so far.
    pub best: Option<f64>,
}
