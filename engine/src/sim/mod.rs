//! The deterministic, time-stepped simulator (shared spec `scenario.md`).
//!
//! A scenario is read and checked once ([`parse`], [`scenario::from_value`]):
//! every problem is named by its path and line, and nothing that can go
//! wrong is left for the run. [`run`] then replays it: the load curve (with
//! its seeded noise) is computed once and shared by every variant; each
//! variant steps its pods (cold start, readiness from the Deployment's probe,
//! the ReplicaSet's removal order, optional nodes), its work (an http queue
//! at the pods or a broker queue), the metric pipelines (metrics-server's
//! resolution and window, Prometheus' scrape and lag) and its control loops,
//! each on its own clock.
//!
//! The HPA loop is [`crate::horizontal::reconcile`] itself, fed the
//! simulated pods and readings and the history the previous reconcile
//! returned; [`Options::trace`] hands every reconcile out as an evaluation
//! case with its decision in `expect:`, so `replicast eval` can replay it.
//!
//! No clock, no global state, no unseeded randomness: the same scenario
//! always gives the same result.
//!
//! ```
//! # #[cfg(feature = "yaml")] {
//! let result = replicast_engine::sim::simulate_text(r#"
//! manifests: |
//!   apiVersion: apps/v1
//!   kind: Deployment
//!   metadata: {name: web}
//!   spec:
//!     replicas: 1
//!     template: {spec: {containers: [{name: app, resources: {requests: {cpu: "1"}}}]}}
//!   ---
//!   apiVersion: autoscaling/v2
//!   kind: HorizontalPodAutoscaler
//!   metadata: {name: web}
//!   spec:
//!     scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
//!     maxReplicas: 10
//!     metrics:
//!     - type: Resource
//!       resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
//! duration: 30m
//! load: [{constant: 5}, {step: {at: 5m, rate: 40}}]
//! "#).unwrap();
//! let v = &result.variants[0];
//! assert!(v.summary.scale_events > 0);
//! assert_eq!(v.timeline.column("t").unwrap().len(), 1800);
//! # }
//! ```

pub mod load;
pub mod output;
pub mod pods;
pub mod rng;
mod run;
pub mod scenario;

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

pub use output::{SimResult, VariantResult};
pub use scenario::{Scenario, Signal, Variant};

use crate::time::Duration;

/// One reconcile handed out while tracing: an evaluation case (shared spec
/// `eval-case.md`) with the decision it took in `expect:`.
#[derive(Debug)]
pub struct Trace<'a> {
    /// The variant.
    pub variant: &'a str,
    /// The autoscaler.
    pub autoscaler: &'a str,
    /// Its reconciles so far (0-based).
    pub index: usize,
    /// When (seconds from the start).
    pub time: f64,
    /// The case, `expect:` included.
    pub case: Value,
}

/// How to run.
#[derive(Default)]
pub struct Options<'a> {
    /// Sample the timeline every this long (default: every step).
    pub every: Option<Duration>,
    /// Called with every reconcile, as an evaluation case.
    pub trace: Option<&'a mut dyn FnMut(Trace<'_>)>,
}

/// Runs every variant of a checked scenario.
pub fn run(scenario: &Scenario, options: &mut Options<'_>) -> SimResult {
    let steps = scenario.steps();
    let curve = load::generate(
        &scenario.load,
        steps,
        scenario.step.as_secs_f64(),
        scenario.seed,
    );
    let variants: Vec<VariantResult> = scenario
        .variants
        .iter()
        .map(|v| run::run_variant(scenario, v, &curve, options))
        .collect();
    SimResult { variants }
}

/// Runs with default options.
pub fn simulate(scenario: &Scenario) -> SimResult {
    run(scenario, &mut Options::default())
}

/// Reads a scenario from YAML or JSON text; every problem carries its path
/// and line. Manifests and traces must be inline.
#[cfg(feature = "yaml")]
pub fn parse(text: &str) -> Result<Scenario, crate::Error> {
    parse_inner(text, None)
}

/// Like [`parse`], with a reader for the files the scenario names
/// (`manifests: path.yaml`, `trace: {file: load.csv}`), relative to it.
#[cfg(feature = "yaml")]
pub fn parse_with(text: &str, loader: scenario::Loader<'_>) -> Result<Scenario, crate::Error> {
    parse_inner(text, Some(loader))
}

/// Reads and runs scenario text with default options.
#[cfg(feature = "yaml")]
pub fn simulate_text(text: &str) -> Result<SimResult, crate::Error> {
    parse(text).map(|s| simulate(&s))
}

#[cfg(feature = "yaml")]
fn parse_inner(text: &str, loader: Option<scenario::Loader<'_>>) -> Result<Scenario, crate::Error> {
    use crate::error::Path;
    let node = crate::yaml::parse_single(text, &crate::yaml::Limits::default())?;
    let value = node.to_json()?;
    let origin = |p: &Path, embedded: &str| embedded_origin(text, &node, p, embedded);
    let ctx = scenario::Ctx {
        origin: Some(&origin),
        loader,
    };
    scenario::read(&value, &ctx).map_err(|e| e.locate(|p| Some(node.locate(p))))
}

/// Where text embedded at `at` (a block scalar) starts in the scenario: the
/// scenario line of the text's line 1, and the indentation added to its
/// columns. `None` when its lines cannot be found verbatim (a quoted string
/// with `\n` escapes).
#[cfg(feature = "yaml")]
fn embedded_origin(
    source: &str,
    node: &crate::yaml::Node,
    at: &crate::error::Path,
    text: &str,
) -> Option<(u32, u32)> {
    let (line, _) = node.locate(at);
    let (k, first) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let want = first.trim();
    let indent = |s: &str| (s.len() - s.trim_start().len()) as u32;
    source
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1) as usize)
        .take(k + 4)
        .find(|(_, l)| l.trim() == want)
        .and_then(|(idx, l)| {
            let first_line = (idx + 1).checked_sub(k)?;
            Some((first_line as u32, indent(l).saturating_sub(indent(first))))
        })
}

/// A short name for a scenario duration (`90s`, `5m`, `1d`).
pub fn duration_text(d: Duration) -> String {
    scenario::secs_text(d.as_secs_f64())
}
