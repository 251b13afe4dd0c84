//! Tuning (shared spec `tune.md`): the cheapest configuration of a
//! scenario's autoscalers that meets the SLO, under the same load, workload
//! and pipeline.
//!
//! [`prepare`] reads the scenario and its `tune:` section: the tuned variant
//! (the first, or `tune.variant`), its manifests' parsed form, the
//! [knobs](knobs) (from `tune.knobs` or derived from the autoscalers), the
//! objective (`cost` with a `cost:` section, else `replicaHours`), the
//! frontier's axis (`secondsOverSlo`), the constraints (default: no worse
//! than as written on `secondsOverSlo` and `dropped`) and the budget.
//! [`Tuning::run`] then searches ([`search`]): every candidate is the
//! manifests' parsed form with some knobs changed, read again by the
//! scenario reader exactly as a hand-edited scenario would be, and
//! simulated under every seed. A candidate the engine refuses (say
//! `minReplicas` above `maxReplicas`) is skipped and counted. The best is
//! written back into the manifests' text with only the changed values
//! changed ([`text`], feature `yaml`), so simulating the scenario with
//! `best.manifests` reproduces `best.summary` exactly.
//!
//! The search is `no_std`; [`runner::Threads`] (feature `std`) spreads each
//! batch of candidates over the cores without changing the result, and
//! [`replay`] lets a caller that cannot block (the playground's workers)
//! run the candidates elsewhere and feed their outcomes back.

pub mod knobs;
pub mod replay;
pub mod runner;
pub mod search;
pub mod spec;
#[cfg(feature = "yaml")]
pub mod text;

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{Error, ErrorKind, Path};
use crate::sim::output::Summary;
use crate::sim::{self, Scenario};
use crate::time::Duration;

pub use knobs::Knob;
pub use runner::{Runner, Sequential};
pub use search::Progress;
pub use spec::Bound;

/// Settings given beside the scenario (the command line's flags).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--variant NAME`: replaces `tune.variant`.
    pub variant: Option<String>,
    /// `--budget N`: replaces `tune.budget`.
    pub budget: Option<usize>,
}

/// Where the tuned variant's manifests came from.
#[derive(Clone, Debug)]
enum Source {
    /// YAML text (inline, or a file the scenario names).
    #[cfg(feature = "yaml")]
    Text(String),
    /// Objects (JSON): written back as JSON.
    Objects,
}

/// A scenario ready to tune.
pub struct Tuning {
    /// The scenario as read (load, duration, step, seed).
    base: Scenario,
    /// `base` without its variants: each candidate's scenario is this and
    /// the candidate's variant.
    shell: Scenario,
    /// The scenario reduced to the tuned variant, load left out (the base's
    /// is used), manifests to be replaced per candidate.
    skeleton: Value,
    /// Where `manifests` sits in `skeleton`.
    slot: Path,
    /// The tuned variant's manifests, one value per document.
    docs: Vec<Value>,
    source: Source,
    /// The tuned variant's name.
    pub variant: String,
    /// The knobs searched.
    pub knobs: Vec<Knob>,
    /// The objective (a summary field, lower is better).
    pub objective: String,
    /// The frontier's second axis (a summary field).
    pub frontier: String,
    /// Summary fields with bounds; all must hold under every seed.
    pub constraints: Vec<(String, Bound)>,
    /// Whether the constraints are the default ones (no worse than as written).
    pub default_constraints: bool,
    /// Seeds per candidate.
    pub seeds: u32,
    /// Candidates simulated in full, at most.
    pub budget: usize,
}

/// One changed knob.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Change {
    /// `Kind/name`.
    pub object: String,
    /// The field below it.
    pub path: String,
    /// As written (or the API default when absent; `null` when unknown).
    pub from: Value,
    /// The candidate's value.
    pub to: Value,
    /// The objective's change when this knob alone is reverted (best only;
    /// `null` when that candidate is refused or the budget ran out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Option<f64>>,
}

/// One simulated candidate, as the result reports it.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// What differs from the manifests as written.
    pub changes: Vec<Change>,
    /// The first seed's summary, as `replicast simulate --json` prints it.
    pub summary: Summary,
    /// The objective, the mean over the seeds.
    pub objective: f64,
    /// Whether every constraint holds under every seed.
    pub feasible: bool,
}

/// The as-written configuration.
#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    /// The first seed's summary.
    pub summary: Summary,
    /// Whether it meets the constraints.
    pub feasible: bool,
    /// The objective (mean over the seeds).
    pub objective: f64,
}

/// The best feasible candidate.
#[derive(Clone, Debug, Serialize)]
pub struct Best {
    /// Its changes, each with its `impact`.
    pub changes: Vec<Change>,
    /// The tuned variant's manifests with the changes applied.
    pub manifests: String,
    /// The first seed's summary.
    pub summary: Summary,
    /// The objective (mean over the seeds).
    pub objective: f64,
}

/// A knob as the result lists it.
#[derive(Clone, Debug, Serialize)]
pub struct KnobInfo {
    /// `Kind/name`.
    pub object: String,
    /// The field.
    pub path: String,
    /// The values tried.
    pub values: Vec<Value>,
    /// As written (or defaulted; `null` when absent and unknown).
    pub from: Value,
}

/// The result (shared spec `tune.md`), plus what was tuned.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TuneResult {
    /// The configuration as written.
    pub baseline: Baseline,
    /// The feasible candidate with the lowest objective; `None` when none is.
    pub best: Option<Best>,
    /// Candidates no other beats on both the objective and the frontier axis.
    pub frontier: Vec<Point>,
    /// Candidates simulated in full (the baseline not counted).
    pub evaluated: usize,
    /// Candidates the engine refused.
    pub skipped: usize,
    /// Feasible candidates among those evaluated.
    pub feasible: usize,
    /// Candidates dropped after a short horizon already broke a constraint.
    pub pruned: usize,
    /// Whether the run was stopped before its budget was spent.
    pub cancelled: bool,
    /// The tuned variant.
    pub variant: String,
    /// The objective's field.
    pub objective: String,
    /// The frontier's field.
    pub frontier_field: String,
    /// The knobs searched.
    pub knobs: Vec<KnobInfo>,
}

impl TuneResult {
    /// The result as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What one candidate's run gave.
#[derive(Clone, Debug)]
pub enum CandidateOutcome {
    /// The engine refused the manifests (the first problem's message).
    Refused(String),
    /// A short horizon already broke a constraint.
    Pruned,
    /// Simulated in full under every seed.
    Ran(Box<Figures>),
}

/// A full run's figures.
#[derive(Clone, Debug)]
pub struct Figures {
    /// The first seed's summary.
    pub summary: Summary,
    /// The objective's mean over the seeds.
    pub objective: f64,
    /// The frontier field's mean over the seeds.
    pub axis: f64,
    /// Each constraint's field: the lowest and the highest over the seeds.
    pub ranges: Vec<(f64, f64)>,
}

/// Summary fields that only grow as a run goes on: a short run that already
/// breaks a `max` on one of them cannot be rescued by the rest of the run.
const MONOTONE: [&str; 11] = [
    "replicaHours",
    "cost",
    "secondsOverSlo",
    "dropped",
    "arrived",
    "served",
    "peakQueue",
    "peakReplicas",
    "scaleEvents",
    "nodeHours",
    "reconciles",
];

/// A summary's numeric field by its JSON name.
pub fn field(summary: &Summary, name: &str) -> Option<f64> {
    let v = serde_json::to_value(summary).ok()?;
    v.get(name)?.as_f64()
}

fn numeric_fields(summary: &Summary) -> Vec<String> {
    match serde_json::to_value(summary) {
        Ok(Value::Object(m)) => m
            .into_iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, _)| k)
            .collect(),
        _ => Vec::new(),
    }
}

fn err(kind: ErrorKind, at: Path, message: impl Into<String>) -> Error {
    Error::new(kind, at, message)
}

/// Reads scenario text with a `tune:` section (or none: every default) and
/// prepares the search; errors carry their path, line and column.
#[cfg(feature = "yaml")]
pub fn prepare(
    text: &str,
    loader: Option<sim::scenario::Loader<'_>>,
    overrides: &Overrides,
) -> Result<Tuning, Error> {
    let node = crate::yaml::parse_single(text, &crate::yaml::Limits::default())?;
    let value = node.to_json()?;
    let base = match loader {
        Some(l) => sim::parse_with(text, l)?,
        None => sim::parse(text)?,
    };
    prepare_value(base, &value, loader, overrides).map_err(|e| e.locate(|p| Some(node.locate(p))))
}

/// Prepares the search from a scenario value already read into `base`.
pub fn prepare_value(
    base: Scenario,
    value: &Value,
    loader: Option<sim::scenario::Loader<'_>>,
    overrides: &Overrides,
) -> Result<Tuning, Error> {
    let at = Path::root().child("tune");
    let raw = spec::read(value.get("tune"), &at)?;
    let variant_name = overrides.variant.clone().or(raw.variant.clone());
    let index = match &variant_name {
        None => 0,
        Some(name) => base
            .variants
            .iter()
            .position(|v| &v.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = base.variants.iter().map(|v| v.name.as_str()).collect();
                err(
                    ErrorKind::Invalid,
                    at.child("variant"),
                    format!(
                        "no variant {name:?} (the scenario has {})",
                        names.join(", ")
                    ),
                )
            })?,
    };
    let variant = base.variants[index].name.clone();

    // The scenario reduced to the tuned variant; load read once, from `base`.
    let mut skeleton = value.clone();
    let Some(top) = skeleton.as_object_mut() else {
        return Err(err(
            ErrorKind::Schema,
            Path::root(),
            "a scenario is a mapping",
        ));
    };
    top.remove("tune");
    top.insert("load".into(), json!([{"constant": 0}]));
    let (slot, manifests) = match top.get_mut("variants").and_then(Value::as_array_mut) {
        Some(list) => {
            let own = list[index].get("manifests").cloned();
            let only = list[index].clone();
            *list = vec![only];
            match own {
                Some(m) => (
                    Path::root().child("variants").index(0).child("manifests"),
                    (
                        Path::root()
                            .child("variants")
                            .index(index)
                            .child("manifests"),
                        m,
                    ),
                ),
                None => (
                    Path::root().child("manifests"),
                    (
                        Path::root().child("manifests"),
                        top.get("manifests").cloned().unwrap_or(Value::Null),
                    ),
                ),
            }
        }
        None => (
            Path::root().child("manifests"),
            (
                Path::root().child("manifests"),
                top.get("manifests").cloned().unwrap_or(Value::Null),
            ),
        ),
    };
    let (m_at, manifests) = manifests;
    let (docs, source) = read_docs(&manifests, &m_at, loader)?;

    let knobs = match &raw.knobs {
        Some(list) => knobs::explicit(&docs, list, &at.child("knobs"))?,
        None => knobs::derive(&docs),
    };
    #[cfg(feature = "yaml")]
    let knobs = rewritable(knobs, &source, raw.knobs.is_some(), &at)?;
    if knobs.is_empty() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!(
                "nothing to tune: variant {variant:?} has no HorizontalPodAutoscaler or ScaledObject with fields to search; list `tune.knobs`"
            ),
        ));
    }

    let has_cost = value.get("cost").is_some()
        || value
            .get("variants")
            .and_then(|v| v.get(index))
            .and_then(|v| v.get("cost"))
            .is_some();
    let objective = raw
        .objective
        .clone()
        .unwrap_or_else(|| String::from(if has_cost { "cost" } else { "replicaHours" }));
    let frontier = raw
        .frontier
        .clone()
        .unwrap_or_else(|| String::from("secondsOverSlo"));
    let default_constraints = raw.constraints.is_none();
    let constraints: Vec<(String, Bound)> = raw
        .constraints
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let shell = Scenario {
        variants: Vec::new(),
        ..base.clone()
    };
    let mut t = Tuning {
        shell,
        base,
        skeleton,
        slot,
        docs,
        source,
        variant,
        knobs,
        objective,
        frontier,
        constraints,
        default_constraints,
        seeds: raw.seeds.unwrap_or(1),
        budget: overrides
            .budget
            .or(raw.budget)
            .unwrap_or(spec::DEFAULT_BUDGET)
            .clamp(1, spec::MAX_BUDGET),
    };
    // Field names are checked against what a summary holds.
    let fields = numeric_fields(&t.base_summary_shape());
    let check = |name: &str, at: Path| {
        if fields.iter().any(|f| f == name) {
            Ok(())
        } else {
            Err(err(
                ErrorKind::Invalid,
                at,
                format!(
                    "{name:?} is not a numeric summary field; one of {}",
                    fields.join(", ")
                ),
            ))
        }
    };
    check(&t.objective, at.child("objective"))?;
    check(&t.frontier, at.child("frontier"))?;
    for (name, _) in &t.constraints {
        check(name, at.child("constraints").child(name))?;
    }
    if t.default_constraints {
        t.constraints = vec![
            (String::from("secondsOverSlo"), Bound::default()),
            (String::from("dropped"), Bound::default()),
        ];
    }
    Ok(t)
}

/// The knobs whose field can be rewritten in the text (not behind a YAML
/// alias): one that cannot is refused when named, left out when derived.
#[cfg(feature = "yaml")]
fn rewritable(
    knobs: Vec<Knob>,
    source: &Source,
    named: bool,
    at: &Path,
) -> Result<Vec<Knob>, Error> {
    let Source::Text(text) = source else {
        return Ok(knobs);
    };
    let mut kept = Vec::new();
    for (i, k) in knobs.into_iter().enumerate() {
        let other = (0..k.values.len()).find(|&j| j != k.baseline && !k.values[j].is_nan());
        let edit = other.map(|j| (k.doc, k.path.clone(), k.value(j)));
        match edit.map(|e| text::rewrite(text, &[e])) {
            Some(Err(e)) if named => {
                return Err(err(
                    ErrorKind::Unsupported,
                    at.child("knobs").index(i).child("path"),
                    e.first().message.clone(),
                ));
            }
            Some(Err(_)) => {}
            _ => kept.push(k),
        }
    }
    Ok(kept)
}

/// The tuned variant's manifests, one value per document.
fn read_docs(
    manifests: &Value,
    at: &Path,
    loader: Option<sim::scenario::Loader<'_>>,
) -> Result<(Vec<Value>, Source), Error> {
    match manifests {
        Value::String(s) => {
            #[cfg(feature = "yaml")]
            {
                let t = s.trim();
                let text = if !t.contains('\n')
                    && (t.ends_with(".yaml") || t.ends_with(".yml") || t.ends_with(".json"))
                {
                    let Some(load) = loader else {
                        return Err(err(
                            ErrorKind::Unsupported,
                            at.clone(),
                            "only the command line reads manifest files",
                        ));
                    };
                    load(t).map_err(|e| err(ErrorKind::Invalid, at.clone(), e))?
                } else {
                    s.clone()
                };
                let docs = crate::yaml::parse_documents(&text, &crate::yaml::Limits::default())
                    .map_err(|e| e.under(at))?;
                let values = docs
                    .iter()
                    .map(|d| d.root.to_json())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.under(at))?;
                Ok((values, Source::Text(text)))
            }
            #[cfg(not(feature = "yaml"))]
            {
                let _ = (s, loader);
                Err(err(
                    ErrorKind::Unsupported,
                    at.clone(),
                    "tuning manifests given as YAML text needs replicast-engine's `yaml` feature",
                ))
            }
        }
        Value::Object(_) => Ok((vec![manifests.clone()], Source::Objects)),
        Value::Array(items) if items.iter().all(Value::is_object) => {
            Ok((items.clone(), Source::Objects))
        }
        _ => Err(err(
            ErrorKind::Unsupported,
            at.clone(),
            "tuning needs the tuned variant's manifests as one text (or as objects), not a list of files",
        )),
    }
}

impl Tuning {
    fn base_summary_shape(&self) -> Summary {
        Summary {
            replica_hours: 0.0,
            cost: 0.0,
            currency: String::new(),
            seconds_over_slo: 0.0,
            dropped: 0.0,
            arrived: 0.0,
            served: 0.0,
            peak_queue: 0.0,
            peak_replicas: 0,
            scale_events: 0,
            node_hours: self
                .base
                .variants
                .iter()
                .any(|v| v.nodes.is_some())
                .then_some(0.0),
            reconciles: 0,
            time_to_capacity: Vec::new(),
            reference: None,
        }
    }

    /// The scenario's duration.
    pub fn duration(&self) -> Duration {
        self.base.duration
    }

    /// The manifests' documents with a candidate's values.
    pub fn docs_for(&self, candidate: &[u16]) -> Vec<Value> {
        let mut docs = self.docs.clone();
        for (k, &i) in self.knobs.iter().zip(candidate) {
            if usize::from(i) != k.baseline {
                knobs::set(&mut docs[k.doc], &k.path, k.value(usize::from(i)));
            }
        }
        docs
    }

    /// The changes a candidate makes.
    pub fn changes(&self, candidate: &[u16]) -> Vec<Change> {
        self.knobs
            .iter()
            .zip(candidate)
            .filter(|(k, i)| usize::from(**i) != k.baseline)
            .map(|(k, &i)| Change {
                object: k.object.clone(),
                path: k.path.to_string(),
                from: k.value(k.baseline),
                to: k.value(usize::from(i)),
                impact: None,
            })
            .collect()
    }

    /// The candidate's manifests as text: the written text with only the
    /// changed values changed (JSON for manifests given as objects).
    pub fn manifests_text(&self, candidate: &[u16]) -> Result<String, Error> {
        match &self.source {
            #[cfg(feature = "yaml")]
            Source::Text(t) => {
                let edits: Vec<text::Edit> = self
                    .knobs
                    .iter()
                    .zip(candidate)
                    .filter(|(k, i)| usize::from(**i) != k.baseline)
                    .map(|(k, &i)| (k.doc, k.path.clone(), k.value(usize::from(i))))
                    .collect();
                text::rewrite(t, &edits)
            }
            Source::Objects => {
                let docs = self.docs_for(candidate);
                let v = if docs.len() == 1 {
                    docs.into_iter().next().unwrap_or(Value::Null)
                } else {
                    Value::Array(docs)
                };
                serde_json::to_string_pretty(&v)
                    .map_err(|e| err(ErrorKind::Invalid, Path::root(), e.to_string()))
            }
        }
    }

    /// The scenario for a candidate (the tuned variant only), or the
    /// engine's refusal.
    pub fn scenario_for(&self, candidate: &[u16]) -> Result<Scenario, Error> {
        let mut v = self.skeleton.clone();
        knobs::set(&mut v, &self.slot, Value::Array(self.docs_for(candidate)));
        let read = sim::scenario::from_value(&v)?;
        let variant = read
            .variants
            .into_iter()
            .next()
            .ok_or_else(|| err(ErrorKind::Invalid, Path::root(), "the variant disappeared"))?;
        Ok(Scenario {
            variants: vec![variant],
            ..self.shell.clone()
        })
    }

    /// Simulates a candidate: first a quarter of the run when `prune` (a
    /// broken `max` on a field that only grows stops it there), then the
    /// whole run under every seed.
    pub fn evaluate(&self, candidate: &[u16], prune: bool) -> CandidateOutcome {
        let mut scenario = match self.scenario_for(candidate) {
            Ok(s) => s,
            Err(e) => return CandidateOutcome::Refused(e.first().message.clone()),
        };
        let full = scenario.duration;
        let steps = scenario.steps();
        let run = |s: &Scenario| -> Summary {
            let mut options = sim::Options {
                every: Some(s.duration),
                trace: None,
            };
            let mut r = sim::run(s, &mut options);
            r.variants.swap_remove(0).summary
        };
        if prune && steps >= 4000 {
            scenario.duration = Duration::from_secs_f64(full.as_secs_f64() / 4.0);
            let short = run(&scenario);
            let broken = self.constraints.iter().any(|(name, b)| {
                MONOTONE.contains(&name.as_str())
                    && b.max
                        .is_some_and(|m| field(&short, name).is_some_and(|v| v > m))
            });
            if broken {
                return CandidateOutcome::Pruned;
            }
            scenario.duration = full;
        }
        let mut first = None;
        let (mut objective, mut axis) = (0.0, 0.0);
        let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); self.constraints.len()];
        for s in 0..self.seeds {
            scenario.seed = self.base.seed.wrapping_add(u64::from(s));
            let summary = run(&scenario);
            objective += field(&summary, &self.objective).unwrap_or(f64::INFINITY);
            axis += field(&summary, &self.frontier).unwrap_or(f64::INFINITY);
            for ((name, _), r) in self.constraints.iter().zip(&mut ranges) {
                let x = field(&summary, name).unwrap_or(f64::INFINITY);
                *r = (r.0.min(x), r.1.max(x));
            }
            first.get_or_insert(summary);
        }
        let n = f64::from(self.seeds);
        match first {
            Some(summary) => CandidateOutcome::Ran(Box::new(Figures {
                summary,
                objective: objective / n,
                axis: axis / n,
                ranges,
            })),
            None => CandidateOutcome::Refused("no seed ran".to_string()),
        }
    }

    /// The knobs as the result lists them.
    pub fn knob_info(&self) -> Vec<KnobInfo> {
        self.knobs
            .iter()
            .map(|k| KnobInfo {
                object: k.object.clone(),
                path: k.path.to_string(),
                values: (0..k.values.len())
                    .filter(|&i| !k.values[i].is_nan())
                    .map(|i| k.value(i))
                    .collect(),
                from: k.value(k.baseline),
            })
            .collect()
    }

    /// Runs the search on `runner`; `progress` is told after every batch and
    /// stops the search by returning `false`.
    pub fn run<R: Runner>(
        &mut self,
        runner: &R,
        progress: &mut dyn FnMut(&Progress) -> bool,
    ) -> Result<TuneResult, Error> {
        search::run(self, runner, progress)
    }

    /// How far a run is outside the constraints, each relative to its
    /// bound (0: feasible).
    pub fn violation(&self, f: &Figures) -> f64 {
        self.constraints
            .iter()
            .zip(&f.ranges)
            .map(|((_, b), &(lo, hi))| {
                let scale = b.max.or(b.min).map_or(1.0, |m| m.abs().max(1.0));
                let below = Bound { max: None, ..*b }.violation(lo);
                let above = Bound { min: None, ..*b }.violation(hi);
                (below + above) / scale
            })
            .sum()
    }

    /// Default constraints: no worse than the baseline under any seed.
    pub(crate) fn fix_default_constraints(&mut self, baseline: &Figures) {
        if self.default_constraints {
            for ((_, b), &(_, hi)) in self.constraints.iter_mut().zip(&baseline.ranges) {
                b.max = Some(hi);
            }
        }
    }
}
