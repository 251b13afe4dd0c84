//! What `simulate` takes and returns: the scenario and the result of shared
//! spec `scenario.md`, for TypeScript.
//!
//! The engine reads a scenario from a JSON value with its own checks and
//! serializes its result itself (numbers rounded to 1/1000, `null` for no
//! data), so `simulate` hands the engine's JSON through unchanged and these
//! structs only declare its TypeScript. `tests/types.rs` keeps them honest:
//! it reads scenarios into [`Scenario`] and reads the engine's results back
//! into [`SimResult`] with `deny_unknown_fields`, so a field the engine adds
//! or renames fails the tests until it is declared here.

use std::collections::BTreeMap;

use serde::Deserialize;
use tsify::Tsify;

use crate::input::{Controller, Quantity, TimeSpan};

/// How to run a simulation.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct SimulateOptions {
    /// Sample the timeline this often (default: every step), e.g. `"30s"`.
    #[serde(default)]
    #[tsify(optional)]
    pub every: Option<TimeSpan>,
    /// Refuse every warning (an unknown field, ...): throw a
    /// `ReplicastError` whose problems are of kind `strict` (default false).
    #[serde(default)]
    #[tsify(optional)]
    pub strict: Option<bool>,
}

/// [`SimulateOptions`] as the engine reads them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulateOptions {
    /// The sampling interval.
    #[serde(default)]
    pub every: Option<replicast_engine::time::Duration>,
    /// Refuse every warning.
    #[serde(default)]
    pub strict: Option<bool>,
}

/// A wall-clock instant: Unix seconds, or RFC 3339 text with an offset
/// (`2026-12-01T08:00:00Z`).
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum WallClock {
    /// Unix seconds.
    Unix(f64),
    /// RFC 3339.
    Text(String),
}

/// What `simulate` takes: a scenario object, or its YAML or JSON text.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ScenarioInput {
    /// YAML or JSON text.
    Text(String),
    /// A scenario object.
    Scenario(Box<Scenario>),
}

/// A what-if run: the manifests under test, the load they face, how the
/// workload behaves and how metrics reach the autoscalers. Every field but
/// `manifests` and `load` has a default.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The Deployment and its HorizontalPodAutoscaler and/or ScaledObject:
    /// multi-document YAML text as `kubectl apply -f` takes it, one object,
    /// or a list of objects and texts. Required here or in every variant.
    #[serde(default)]
    #[tsify(optional)]
    pub manifests: Option<ManifestsInput>,
    /// Several configurations compared on the same load.
    #[serde(default)]
    #[tsify(optional)]
    pub variants: Option<Vec<Variant>>,
    /// How long the run lasts (default 1h).
    #[serde(default)]
    #[tsify(optional)]
    pub duration: Option<TimeSpan>,
    /// The simulation resolution (default 1s).
    #[serde(default)]
    #[tsify(optional)]
    pub step: Option<TimeSpan>,
    /// The noise seed (default 0).
    #[serde(default)]
    #[tsify(optional)]
    pub seed: Option<u64>,
    /// The wall-clock instant of t = 0, read by cron triggers (default
    /// 1970-01-01T00:00:00Z).
    #[serde(default)]
    #[tsify(optional)]
    pub start: Option<WallClock>,
    /// The arrival rate (work items per second): the segments add up.
    /// Without it, a ramp and a spike sized from the autoscalers' min/max
    /// and the capacity, listed in each variant's `assumptions`.
    #[serde(default)]
    #[tsify(optional)]
    pub load: Option<Vec<LoadSegment>>,
    /// What `tune` searches (shared spec `tune.md`); `simulate` ignores it.
    #[serde(default)]
    #[tsify(optional)]
    pub tune: Option<crate::tune::Tune>,
    /// How the workload behaves.
    #[serde(default)]
    #[tsify(optional)]
    pub workload: Option<WorkloadModel>,
    /// Node provisioning, when pods wait for nodes.
    #[serde(default)]
    #[tsify(optional)]
    pub nodes: Option<Nodes>,
    /// What each metric named in the manifests reads in the simulation.
    #[serde(default)]
    #[tsify(optional)]
    pub signals: Option<BTreeMap<String, Signal>>,
    /// How late and how coarse the autoscalers see each signal.
    #[serde(default)]
    #[tsify(optional)]
    pub pipeline: Option<Pipeline>,
    /// Prices.
    #[serde(default)]
    #[tsify(optional)]
    pub cost: Option<Cost>,
    /// kube-controller-manager flags.
    #[serde(default)]
    #[tsify(optional)]
    pub controller: Option<Controller>,
    /// What production actually ran (e.g. recorded by `replicast record
    /// --replicas`): a `reference` timeline column beside every variant and
    /// each variant's `summary.reference`.
    #[serde(default)]
    #[tsify(optional)]
    pub reference: Option<Reference>,
}

/// `reference:`: the replicas production ran, as a trace.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The points: `t,replicas` CSV lines (`t` in seconds from the start or
    /// with a unit); each holds until the next, unknown outside them.
    pub trace: ReferenceTrace,
}

/// The reference's points.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ReferenceTrace {
    /// `t,replicas` CSV text. `file:` is for the command line only.
    pub csv: String,
}

/// Manifests in a scenario: YAML text, one object, or a list of objects
/// and texts.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ManifestsInput {
    /// Multi-document YAML (or JSON) text.
    Text(String),
    /// A list of objects and texts.
    List(Vec<ManifestEntry>),
    /// One object.
    Object(ManifestDocument),
}

/// One entry of a manifests list.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ManifestEntry {
    /// YAML text.
    Text(String),
    /// An object.
    Object(ManifestDocument),
}

/// A Kubernetes object (a Deployment, HorizontalPodAutoscaler,
/// ScaledObject, ...) as `kubectl apply` takes it.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(
    type = "{ apiVersion?: string; kind: string; metadata?: ObjectMeta; spec?: unknown; [field: string]: unknown }"
)]
pub struct ManifestDocument {
    /// The kind.
    pub kind: String,
}

/// One variant: a name and what it changes (it cannot change the load,
/// duration, step or seed).
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variant {
    /// The variant's name in the result.
    pub name: String,
    /// Replaces the scenario's `manifests`.
    #[serde(default)]
    #[tsify(optional)]
    pub manifests: Option<ManifestsInput>,
    /// Merged over the scenario's `workload`.
    #[serde(default)]
    #[tsify(optional)]
    pub workload: Option<WorkloadModel>,
    /// Merged over the scenario's `nodes`.
    #[serde(default)]
    #[tsify(optional)]
    pub nodes: Option<Nodes>,
    /// Merged over the scenario's `signals`.
    #[serde(default)]
    #[tsify(optional)]
    pub signals: Option<BTreeMap<String, Signal>>,
    /// Merged over the scenario's `pipeline`.
    #[serde(default)]
    #[tsify(optional)]
    pub pipeline: Option<Pipeline>,
    /// Merged over the scenario's `cost`.
    #[serde(default)]
    #[tsify(optional)]
    pub cost: Option<Cost>,
    /// Merged over the scenario's `controller`.
    #[serde(default)]
    #[tsify(optional)]
    pub controller: Option<Controller>,
}

/// One load segment (a mapping with one key); the segments add up.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum LoadSegment {
    /// A constant rate from the start.
    Constant(ConstantRate),
    /// From `at` on, `rate` more.
    Step {
        /// When.
        at: TimeSpan,
        /// The added rate.
        rate: f64,
    },
    /// Rising linearly from 0 at `from` to `rate` at `to`, then holding.
    Ramp {
        /// Start.
        from: TimeSpan,
        /// End.
        to: TimeSpan,
        /// The added rate reached.
        rate: f64,
    },
    /// `rate` more during `for`, from `at`.
    Spike {
        /// When.
        at: TimeSpan,
        /// How long.
        #[serde(rename = "for")]
        length: TimeSpan,
        /// The added rate.
        rate: f64,
    },
    /// A daily (or `period`) sine around `mean`.
    Diurnal {
        /// The mean rate.
        mean: f64,
        /// The swing around it (≤ mean; default 0).
        #[serde(default)]
        #[tsify(optional)]
        amplitude: Option<f64>,
        /// The period (default 1d).
        #[serde(default)]
        #[tsify(optional)]
        period: Option<TimeSpan>,
        /// When in the period the peak is (default 0).
        #[serde(default)]
        #[tsify(optional)]
        peak_at: Option<TimeSpan>,
    },
    /// Measured points (`t,rate` CSV), linear between them.
    Trace {
        /// The points as CSV text (`t,rate` lines; `t` in seconds or with a
        /// unit). `file:` is for the command line only.
        csv: String,
    },
    /// Multiplicative, seeded noise.
    Noise {
        /// The coefficient of variation (0 to 10).
        cv: f64,
        /// How long one noise value holds (default: every step).
        #[serde(default)]
        #[tsify(optional)]
        interval: Option<TimeSpan>,
    },
}

/// A constant rate: a number, or `{rate}`.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum ConstantRate {
    /// The rate.
    Rate(f64),
    /// `{rate: 20}`.
    Object {
        /// The rate.
        rate: f64,
    },
}

/// How the workload behaves.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadModel {
    /// `http`: requests queue at the pods (default); `queue`: messages wait
    /// in a broker queue.
    #[serde(default)]
    #[tsify(optional, type = "\"http\" | \"queue\"")]
    pub mode: Option<String>,
    /// Work items per second one ready replica completes when fully busy.
    #[serde(default)]
    #[tsify(optional)]
    pub capacity_per_replica: Option<f64>,
    /// CPU per replica, linear in its busy fraction.
    #[serde(default)]
    #[tsify(optional)]
    pub cpu: Option<CpuModel>,
    /// Memory per replica.
    #[serde(default)]
    #[tsify(optional)]
    pub memory: Option<MemoryModel>,
    /// GPU utilization percent per replica.
    #[serde(default)]
    #[tsify(optional)]
    pub gpu: Option<GpuModel>,
    /// Pod created → running → model loaded.
    #[serde(default)]
    #[tsify(optional)]
    pub cold_start: Option<ColdStart>,
    /// http: requests waiting longer are dropped.
    #[serde(default)]
    #[tsify(optional)]
    pub timeout: Option<TimeSpan>,
    /// The latency objective of the summary.
    #[serde(default)]
    #[tsify(optional)]
    pub slo: Option<Slo>,
    /// With a KEDA ScaledJob: how one Job runs.
    #[serde(default)]
    #[tsify(optional)]
    pub job: Option<JobModel>,
}

/// `workload.job`: one Job's work time and pods (with a ScaledJob).
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobModel {
    /// How long one Job works on what it took (required with a ScaledJob).
    #[serde(default)]
    #[tsify(optional)]
    pub duration: Option<TimeSpan>,
    /// Pods per Job, each taking one message (default: the ScaledJob's
    /// `jobTargetRef.parallelism`, else 1).
    #[serde(default)]
    #[tsify(optional)]
    pub parallelism: Option<u32>,
}

/// CPU per replica.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CpuModel {
    /// When idle.
    #[serde(default)]
    #[tsify(optional)]
    pub idle: Option<Quantity>,
    /// When fully busy.
    #[serde(default)]
    #[tsify(optional)]
    pub busy: Option<Quantity>,
    /// While starting.
    #[serde(default)]
    #[tsify(optional)]
    pub startup: Option<Quantity>,
}

/// Memory per replica.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct MemoryModel {
    /// At rest.
    #[serde(default)]
    #[tsify(optional)]
    pub base: Option<Quantity>,
    /// When fully busy.
    #[serde(default)]
    #[tsify(optional)]
    pub busy: Option<Quantity>,
}

/// GPU utilization per replica, in percent.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GpuModel {
    /// When idle.
    #[serde(default)]
    #[tsify(optional)]
    pub idle: Option<f64>,
    /// When fully busy.
    #[serde(default)]
    #[tsify(optional)]
    pub busy: Option<f64>,
}

/// A pod's start: scheduled, image pulled, model loaded.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ColdStart {
    /// Created → scheduled.
    #[serde(default)]
    #[tsify(optional)]
    pub schedule: Option<TimeSpan>,
    /// Scheduled → running.
    #[serde(default)]
    #[tsify(optional)]
    pub pull: Option<TimeSpan>,
    /// Running → able to serve.
    #[serde(default)]
    #[tsify(optional)]
    pub load: Option<TimeSpan>,
}

/// The latency objective.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// The p95 latency to stay under.
    #[serde(default)]
    #[tsify(optional)]
    pub latency: Option<TimeSpan>,
}

/// Capacity that itself must be provisioned.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Nodes {
    /// Pods per node (default 1).
    #[serde(default)]
    #[tsify(optional)]
    pub pods_per_node: Option<u32>,
    /// A new node's start time (default 3m).
    #[serde(default)]
    #[tsify(optional)]
    pub provision: Option<TimeSpan>,
    /// Nodes kept ready (default 0).
    #[serde(default)]
    #[tsify(optional)]
    pub warm: Option<u32>,
    /// At most this many nodes (default 1000).
    #[serde(default)]
    #[tsify(optional)]
    pub max: Option<u32>,
}

/// How late and how coarse the autoscalers see each signal.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pipeline {
    /// `--horizontal-pod-autoscaler-sync-period` (default 15s).
    #[serde(default)]
    #[tsify(optional)]
    pub hpa_sync: Option<TimeSpan>,
    /// metrics-server (Resource metrics).
    #[serde(default)]
    #[tsify(optional)]
    pub metrics_server: Option<MetricsServer>,
    /// Prometheus (custom and external metrics, `prometheus` triggers).
    #[serde(default)]
    #[tsify(optional)]
    pub prometheus: Option<Prometheus>,
    /// Per KEDA trigger type (`rabbitmq`, `aws-sqs-queue`, ...): how stale
    /// its reading is when the scaler is called (defaults per type: live,
    /// rabbitmq over its management API 5s).
    #[serde(default)]
    #[tsify(optional)]
    pub scalers: Option<BTreeMap<String, ScalerTiming>>,
}

/// One KEDA scaler type's timing.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ScalerTiming {
    /// How old the value a call returns is (default per type).
    #[serde(default)]
    #[tsify(optional)]
    pub lag: Option<TimeSpan>,
}

/// metrics-server's timing.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct MetricsServer {
    /// Scrape resolution (default 15s).
    #[serde(default)]
    #[tsify(optional)]
    pub resolution: Option<TimeSpan>,
    /// The averaging window (default 30s).
    #[serde(default)]
    #[tsify(optional)]
    pub window: Option<TimeSpan>,
}

/// Prometheus' timing.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Prometheus {
    /// Scrape interval (default 15s).
    #[serde(default)]
    #[tsify(optional)]
    pub scrape: Option<TimeSpan>,
    /// Extra delay (default 5s).
    #[serde(default)]
    #[tsify(optional)]
    pub lag: Option<TimeSpan>,
}

/// Prices.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cost {
    /// Per replica and hour (default 0).
    #[serde(default)]
    #[tsify(optional)]
    pub per_replica_hour: Option<f64>,
    /// The currency's name in the summary (default USD).
    #[serde(default)]
    #[tsify(optional)]
    pub currency: Option<String>,
}

/// A built-in signal a metric can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub enum Signal {
    /// CPU usage (cores).
    Cpu,
    /// Memory usage (bytes).
    Memory,
    /// GPU utilization (percent).
    Gpu,
    /// Items waiting (at the pods in http mode, in the broker in queue mode).
    Queue,
    /// Items waiting per ready replica.
    QueuePerReplica,
    /// Arrivals per second.
    ArrivalRate,
    /// Items in progress.
    Inflight,
    /// The p95 latency (seconds).
    Latency,
    /// Pods that exist.
    Replicas,
    /// Pods that are ready.
    ReadyReplicas,
}

impl From<replicast_engine::sim::Signal> for Signal {
    fn from(s: replicast_engine::sim::Signal) -> Self {
        use replicast_engine::sim::Signal as S;
        match s {
            S::Cpu => Signal::Cpu,
            S::Memory => Signal::Memory,
            S::Gpu => Signal::Gpu,
            S::Queue => Signal::Queue,
            S::QueuePerReplica => Signal::QueuePerReplica,
            S::ArrivalRate => Signal::ArrivalRate,
            S::Inflight => Signal::Inflight,
            S::Latency => Signal::Latency,
            S::Replicas => Signal::Replicas,
            S::ReadyReplicas => Signal::ReadyReplicas,
        }
    }
}

/// What `simulate` returns: one result per variant.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct SimResult {
    /// In scenario order (one named `default` without `variants`).
    pub variants: Vec<VariantResult>,
}

/// One variant's run.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VariantResult {
    /// The variant's name (`default` without `variants`).
    pub name: String,
    /// Equal-length columns, sampled every step: `t`, `arrivalRate`,
    /// `desiredReplicas`, `replicas`, `readyReplicas`, `queue`,
    /// `latencyP50`, `latencyP95`, `dropped`, `cpu`, `gpu`, and a `seen.*`
    /// column per metric (see `metrics`); `null` where there is no data.
    #[tsify(type = "Record<string, (number | null)[]>")]
    pub timeline: BTreeMap<String, Vec<Option<f64>>>,
    /// Every reconcile that changed the replica count.
    pub decisions: Vec<DecisionRecord>,
    /// The totals.
    pub summary: Summary,
    /// What each `seen.*` timeline column holds.
    pub metrics: Vec<MetricColumn>,
    /// Notes: flaws in the manifests, objects not simulated; each notice
    /// is among them as `path: message`.
    #[serde(default)]
    #[tsify(optional)]
    pub warnings: Vec<String>,
    /// The warnings that have a place in the scenario (unknown fields in
    /// the manifests), located.
    /// (The engine's `Notice`, declared by the engine: not read back here.)
    #[serde(default)]
    #[tsify(optional, type = "Notice[]")]
    pub notices: Vec<serde_json::Value>,
    /// Every signal (or default) the run inferred rather than read from the
    /// scenario.
    pub assumptions: Vec<Assumption>,
}

/// A signal the simulator inferred for a metric no `signals:` entry names,
/// or the default load (`path: "load"`), or the broker mode
/// (`path: "workload.mode"`).
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Where it comes from: `manifests[0].spec.metrics[0].pods.metric.name`.
    pub path: String,
    /// 1-based line in the scenario text, when it came from text.
    #[serde(default)]
    #[tsify(optional)]
    pub line: Option<u32>,
    /// 1-based column in the scenario text, when it came from text.
    #[serde(default)]
    #[tsify(optional)]
    pub column: Option<u32>,
    /// The metric as `signals:` names it (empty for the load and the mode).
    pub metric: String,
    /// The signal assumed (`gpu`), the mode (`queue`), or the default load's
    /// segments as scenario YAML.
    pub signal: String,
    /// Why: `assumed from the name (`gpu`)`.
    pub reason: String,
}

/// One reconcile that changed the scale target's replicas.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionRecord {
    /// When (seconds from the start).
    pub time: f64,
    /// The autoscaler's name.
    pub autoscaler: String,
    /// `spec.replicas` before.
    pub replicas: i32,
    /// `spec.replicas` written.
    pub desired_replicas: i32,
    /// Per metric, as `evaluate` reports them.
    #[tsify(type = "MetricDecision[]")]
    pub metrics: Vec<serde_json::Value>,
    /// The status conditions, as `evaluate` reports them.
    #[tsify(type = "Condition[]")]
    pub conditions: Vec<serde_json::Value>,
    /// One line for humans.
    pub explanation: String,
}

/// A run's totals.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Summary {
    /// Pods that existed × time, in hours.
    pub replica_hours: f64,
    /// `replicaHours × cost.perReplicaHour`.
    pub cost: f64,
    /// `cost.currency`.
    pub currency: String,
    /// Seconds during which the p95 latency was over the SLO, work was
    /// dropped, or nothing could serve it; `null` where latency is not
    /// modelled (a ScaledJob's Jobs).
    pub seconds_over_slo: Option<f64>,
    /// Work items dropped.
    pub dropped: f64,
    /// Work items that arrived.
    pub arrived: f64,
    /// Work items completed.
    pub served: f64,
    /// The largest queue.
    pub peak_queue: f64,
    /// The most pods at once.
    pub peak_replicas: f64,
    /// Reconciles that changed the replica count.
    pub scale_events: f64,
    /// Nodes ready or being provisioned × time, in hours (with `nodes`).
    #[serde(default)]
    #[tsify(optional)]
    pub node_hours: Option<f64>,
    /// Reconciles run, all autoscalers together.
    pub reconciles: f64,
    /// One entry per rise in load.
    pub time_to_capacity: Vec<TimeToCapacity>,
    /// With a scenario `reference`: how far the replicas were from it.
    #[serde(default)]
    #[tsify(optional)]
    pub reference: Option<ReferenceError>,
}

/// How far a variant's replicas were from the scenario's reference, over the
/// timeline samples within the reference's span.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceError {
    /// The mean of |replicas − reference|.
    pub mean_absolute_difference: f64,
    /// The share (0 to 1) of samples where they agreed (within 0.5).
    pub agreement: f64,
    /// The samples compared.
    pub samples: f64,
}

/// How long ready capacity took to cover one rise in load.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct TimeToCapacity {
    /// When the load started rising (seconds).
    pub at: f64,
    /// The rate before.
    pub from: f64,
    /// The rate reached.
    pub to: f64,
    /// Seconds until ready replicas × capacityPerReplica first reached
    /// `to`; `null` when it never did during the run.
    pub seconds: Option<f64>,
}

/// What a `seen.*` timeline column holds.
///
/// The column holds the metric as the autoscaler compares it with `target`:
/// utilization in percent, a Value as read, an AverageValue per replica
/// (KEDA triggers included: their raw total divided by the replicas that
/// exist, at least 1), so a column over its target is a wish to scale up.
#[derive(Clone, Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct MetricColumn {
    /// The column's name.
    pub column: String,
    /// The autoscaler.
    pub autoscaler: String,
    /// The metric's short name (`cpu`, `inference_queue_depth`).
    pub metric: String,
    /// `Resource`, `Pods`, `Object`, `External`, ...
    #[serde(rename = "type")]
    pub type_: String,
    /// The target the autoscaler compares with (percent for Utilization).
    pub target: Option<f64>,
    /// `%` for Utilization targets, else empty.
    pub unit: String,
}
