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
//! The HPA loop is [`crate::horizontal::reconcile_hpa`] itself, fed the
//! simulated pods and readings and the history the previous reconcile
//! returned; [`Options::trace`] hands every reconcile out as an evaluation
//! case with its decision in `expect:`, so `replicast eval` can replay it.
//!
//! No clock, no global state, no unseeded randomness: the same scenario
//! always gives the same result.
//!
//! # The model
//! - **Load**: segments add up; `noise` multiplies the sum by a log-normal
//!   factor of mean 1 (seeded; a table of normal quantiles, ±3.4σ).
//! - **Pods**: created when the replicas rise (the ReplicaSet acts at
//!   once), bound after `coldStart.schedule` (or when a node is free),
//!   running after `pull`, loaded after `load`; Ready at the first readiness
//!   probe (`initialDelaySeconds` after start, every `periodSeconds`,
//!   `successThreshold` passes) at or after loading, or when running if the
//!   Deployment has no probe. A pod does work only when ready and loaded.
//!   Scale-down removes pods in the ReplicaSet's order, immediately
//!   (termination grace is not modelled). Pods are kept as cohorts, so the
//!   per-step work does not grow with the replica count.
//! - **Nodes** (optional): `podsPerNode` slots each; the pool keeps
//!   `warm` empty nodes, asks for more when pods wait, up to `max`, each
//!   ready after `provision`; empty surplus nodes go at once.
//! - **Work**: `http`: requests queue at the pods, ready pods serve
//!   `capacityPerReplica` each, a request that would wait past `timeout` is
//!   dropped, with no ready pod every request fails. `queue`: messages wait in
//!   the broker. Latency: the backlog's wait plus a per-pod M/M/1 sojourn
//!   (utilization capped at 95 %): p50 = wait + ln 2/(μ(1−ρ)), p95 = wait +
//!   ln 20/(μ(1−ρ)). CPU, memory and GPU per serving pod are linear in its
//!   busy fraction; a loading pod uses `cpu.startup` (default `cpu.busy`).
//! - **Metrics**: metrics-server scrapes every `resolution`; a pod has a
//!   sample once it has run one resolution; its CPU is the mean over the
//!   `window` (shorter for a young pod, with that shorter window), stamped
//!   with the scrape time, so the HPA's CPU-initialization rules see
//!   `startTime`, `readySince` and the sample exactly as upstream does.
//!   Prometheus scrapes every `scrape`; a query sees a scrape `lag` later.
//!   In queue mode the `queue` signal is what the broker holds (waiting and
//!   unacknowledged messages).
//! - **Control loops**: an HPA reconciles every `hpaSync` (first at 0). A
//!   ScaledObject's operator polls every `pollingInterval`; the HPA it owns
//!   reconciles every `hpaSync`; when both fall on one step that is one
//!   `keda::reconcile_scaled_object` (the eval case); a poll alone applies only what the
//!   operator writes and its state; a sync alone is the owned HPA's
//!   reconcile on what KEDA's metrics adapter serves. Several autoscalers on
//!   one target all write its replicas (a fight, flagged).
//! - **Signals**: what each metric reads is `signals:`, or cpu/memory for
//!   metrics-server's own, or inferred from the manifest ([`infer`]); an
//!   inference, like the default load of a scenario without `load:`, is an
//!   [`Assumption`] in the variant's result.
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

pub mod calibrate;
mod freshness;
pub mod infer;
pub mod jobs;
pub mod knative;
pub mod load;
pub mod output;
pub mod pods;
pub mod recorded;
pub mod reference;
pub mod rng;
mod run;
pub mod scenario;

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

pub use infer::Assumption;
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
    let mut variants: Vec<VariantResult> = scenario
        .variants
        .iter()
        .map(|v| run::run_variant(scenario, v, &curve, options))
        .collect();
    if let Some(r) = &scenario.reference {
        variants.iter_mut().for_each(|v| reference::apply(r, v));
    }
    SimResult { variants }
}

/// Runs with default options.
pub fn simulate(scenario: &Scenario) -> SimResult {
    run(scenario, &mut Options::default())
}

/// Reads a scenario from YAML or JSON text; every problem carries its path
/// and line. Manifests and traces must be inline. Bare manifests (the YAML
/// `kubectl apply -f` takes) are read as a scenario of those manifests
/// alone: signals inferred, the default load, each listed as an assumption.
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
    let docs = crate::yaml::parse_documents(text, &crate::yaml::Limits::default())?;
    if docs.iter().any(|d| is_manifest(&d.root)) {
        // Bare manifests (a file `kubectl apply -f` takes): the scenario is
        // `{manifests: <the text>}`, every other key defaulted or assumed.
        let value = serde_json::json!({ "manifests": text });
        let origin = |_: &Path, _: &str| Some((1, 0));
        let ctx = scenario::Ctx {
            origin: Some(&origin),
            loader,
        };
        return scenario::read(&value, &ctx);
    }
    let node = crate::yaml::parse_single(text, &crate::yaml::Limits::default())?;
    let value = node.to_json()?;
    let origin = |p: &Path, embedded: &str| embedded_origin(text, &node, p, embedded);
    let ctx = scenario::Ctx {
        origin: Some(&origin),
        loader,
    };
    scenario::read(&value, &ctx).map_err(|e| e.locate(|p| Some(node.locate(p))))
}

/// Whether a document is a Kubernetes object rather than a scenario: a
/// mapping with `apiVersion` or `kind` (a scenario has neither).
#[cfg(feature = "yaml")]
fn is_manifest(root: &crate::yaml::Node) -> bool {
    let crate::yaml::NodeValue::Map(entries) = &root.value else {
        return false;
    };
    fn key(k: &crate::yaml::Node) -> Option<&str> {
        match &k.value {
            crate::yaml::NodeValue::Scalar { text, .. } => Some(text.as_str()),
            _ => None,
        }
    }
    entries
        .iter()
        .any(|(k, _)| matches!(key(k), Some("apiVersion" | "kind")))
        && !entries.iter().any(|(k, _)| key(k) == Some("manifests"))
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
