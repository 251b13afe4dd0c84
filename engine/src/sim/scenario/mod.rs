//! The scenario format (shared spec `scenario.md`): reading, defaults,
//! validation, and binding each variant's manifests to the simulated
//! workload and its signals.
//!
//! Everything that can be wrong with a scenario is found here, before a
//! single step runs, and named by its path (`load[2].ramp.to`,
//! `manifests[1].spec.metrics[2].pods.metric.name`) and, read from text, its
//! line: [`super::run`] cannot fail.
//!
//! One file a job: this file holds the scenario's types; `reader` the top
//! level (keys, clock, start, default load), `variant` variant merging,
//! `manifests` loading manifests and locating their problems, `signals`
//! the signal names, `bind` binding autoscalers to the workload's signals,
//! `workload` and `platform` (nodes, metrics pipeline, cost) their
//! sections, `segments` the load list and `csv` a trace's points.

mod bind;
mod csv;
mod jobs;
mod manifests;
mod platform;
mod reader;
mod segments;
mod signals;
#[cfg(test)]
mod tests;
mod text;
mod variant;
mod workload;

pub(crate) use csv::ValueColumn;
pub use jobs::JobPlan;
pub(crate) use manifests::object_path;
pub use reader::from_value;
#[cfg(feature = "yaml")]
pub(crate) use reader::read;
pub(crate) use segments::read_points;
pub use signals::trigger_signal_name;
pub(crate) use text::secs_text;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::infer::Assumption;
use super::load::Segment;
use crate::error::{Error, ErrorKind, Path};
use crate::manifest::Workload;
use crate::model::Controller;
use crate::notice::{Notice, NoticeKind, Notices};
use crate::spec::{self, HorizontalPodAutoscaler};
use crate::time::Duration;
use crate::time::Instant;

/// Most steps one run may take: 30 days at 1 s.
pub const MAX_STEPS: u64 = 30 * 24 * 3600;
/// Most replicas the simulator models (an HPA's `maxReplicas`, a
/// Deployment's `replicas`).
pub const MAX_REPLICAS: i32 = 100_000;
/// Most points of a trace.
pub const MAX_TRACE_POINTS: usize = 1_000_000;
/// The highest rate a load segment may give, per second.
const MAX_RATE: f64 = 1e12;
/// Most variants.
pub const MAX_VARIANTS: usize = 16;

/// A read, checked scenario: ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// How long the run lasts.
    pub duration: Duration,
    /// The simulation resolution.
    pub step: Duration,
    /// The noise seed.
    pub seed: u64,
    /// The wall-clock instant of t = 0 (Unix time; default the epoch): cron
    /// triggers read it, and traced cases carry `now = start + t`.
    pub start: Instant,
    /// The load segments.
    pub load: Vec<Segment>,
    /// The configurations compared (one named `default` without `variants`).
    pub variants: Vec<Variant>,
    /// `reference:`, the replicas production ran ([`super::reference`]).
    pub reference: Option<super::reference::Reference>,
}

impl Scenario {
    /// The number of steps: `ceil(duration / step)`.
    pub fn steps(&self) -> usize {
        let d = self.duration.as_secs_f64();
        let s = self.step.as_secs_f64();
        libm::ceil(d / s - 1e-9).max(1.0) as usize
    }

    /// `--strict`: every variant's notices, its assumptions (an inferred
    /// signal, the default load), and its other warnings (at the root: they
    /// have no place), as one input error (kind `strict`), each once; `Ok`
    /// when there are none. The one check every front end calls.
    pub fn strict_check(&self) -> Result<(), Error> {
        let mut all = Notices::default();
        for v in &self.variants {
            let plain = v
                .warnings
                .iter()
                .filter(|w| !v.notices.0.iter().any(|n| n.to_warning() == **w))
                .map(|w| Notice::new(NoticeKind::Warning, Path::root(), w.clone()));
            let assumed = v.assumptions.iter().map(Assumption::to_notice);
            for n in v.notices.0.iter().cloned().chain(assumed).chain(plain) {
                if !all
                    .0
                    .iter()
                    .any(|m| m.path == n.path && m.message == n.message)
                {
                    all.push(n);
                }
            }
        }
        all.into_strict_error()
    }
}

/// One configuration: manifests, workload behaviour, metrics pipeline.
#[derive(Clone, Debug)]
pub struct Variant {
    /// `variants[i].name`, or `default`.
    pub name: String,
    /// How the workload behaves.
    pub workload: WorkloadModel,
    /// Node provisioning, when modelled.
    pub nodes: Option<NodesModel>,
    /// How the autoscalers see the signals.
    pub pipeline: Pipeline,
    /// Prices.
    pub cost: Cost,
    /// kube-controller-manager flags.
    pub controller: Controller,
    /// The scale target (from the manifests, or a stand-in).
    pub target: Workload,
    /// The control loops, in manifest order.
    pub autoscalers: Vec<AutoscalerPlan>,
    /// Notes on the manifests (flaws flagged, objects not simulated); the
    /// notices are among them as plain strings.
    pub warnings: Vec<String>,
    /// Located warnings on the manifests (unknown fields), paths from the
    /// scenario root (`manifests[1].spec.maxReplica`); `--strict` refuses
    /// them ([`Scenario::strict_check`]).
    pub notices: Notices,
    /// What the run inferred rather than read: each unmapped metric's
    /// signal, the default load ([`super::infer`]).
    pub assumptions: Vec<Assumption>,
    /// The manifests' ScaledJob, run instead of the replica loops.
    pub scaled_job: Option<JobPlan>,
}

/// `workload.mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Requests queue at the pods and are dropped after `timeout`.
    Http,
    /// Messages wait in a broker queue.
    Queue,
}

/// A per-replica level that is linear in the busy fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Levels {
    /// At busy fraction 0.
    pub idle: f64,
    /// At busy fraction 1.
    pub busy: f64,
}

impl Levels {
    /// The level at busy fraction `b`.
    pub fn at(&self, b: f64) -> f64 {
        self.idle + (self.busy - self.idle) * b
    }
}

/// `workload`, defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadModel {
    /// `mode`.
    pub mode: Mode,
    /// Items per second one ready replica completes when fully busy.
    pub capacity_per_replica: f64,
    /// CPU per replica in cores.
    pub cpu: Levels,
    /// CPU of a replica loading its model, in cores (`cpu.startup`;
    /// default `cpu.busy`).
    pub cpu_startup: f64,
    /// Memory per replica in bytes (`idle` is `memory.base`).
    pub memory: Levels,
    /// GPU utilization per replica in percent.
    pub gpu: Levels,
    /// Pod created → scheduled.
    pub schedule: Duration,
    /// Scheduled → running (image pull).
    pub pull: Duration,
    /// Running → model loaded.
    pub load: Duration,
    /// http: requests waiting longer are dropped.
    pub timeout: Duration,
    /// The latency objective (p95).
    pub slo_latency: Duration,
}

/// `nodes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodesModel {
    /// Pods one node holds.
    pub pods_per_node: u32,
    /// A new node's start time.
    pub provision: Duration,
    /// Empty nodes kept ready.
    pub warm: u32,
    /// The most nodes.
    pub max: u32,
}

/// `pipeline`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// `--horizontal-pod-autoscaler-sync-period`.
    pub hpa_sync: Duration,
    /// metrics-server `--metric-resolution`.
    pub metrics_resolution: Duration,
    /// The window a metrics-server sample averages over.
    pub metrics_window: Duration,
    /// Prometheus scrape interval.
    pub scrape: Duration,
    /// Delay from a scrape until a query sees it.
    pub lag: Duration,
    /// `scalers`: per KEDA trigger type, how stale its reading is when the
    /// scaler is called (overrides the per-type default; ARCHITECTURE.md
    /// lists them).
    pub scalers: BTreeMap<String, Duration>,
}

/// `cost`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// Price of one replica for one hour.
    pub per_replica_hour: f64,
    /// Its currency.
    pub currency: String,
}

/// What a metric reads in the simulation (`signals:` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    /// Items in progress (http: queued or being served).
    Inflight,
    /// The p95 latency (seconds).
    Latency,
    /// Pods that exist.
    Replicas,
    /// Pods that are ready.
    ReadyReplicas,
}

/// Every signal, in `Signal` order.
pub const SIGNALS: [Signal; 10] = [
    Signal::Cpu,
    Signal::Memory,
    Signal::Gpu,
    Signal::Queue,
    Signal::QueuePerReplica,
    Signal::ArrivalRate,
    Signal::Inflight,
    Signal::Latency,
    Signal::Replicas,
    Signal::ReadyReplicas,
];

impl Signal {
    /// The name in `signals:`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Cpu => "cpu",
            Signal::Memory => "memory",
            Signal::Gpu => "gpu",
            Signal::Queue => "queue",
            Signal::QueuePerReplica => "queuePerReplica",
            Signal::ArrivalRate => "arrivalRate",
            Signal::Inflight => "inflight",
            Signal::Latency => "latency",
            Signal::Replicas => "replicas",
            Signal::ReadyReplicas => "readyReplicas",
        }
    }

    /// One line on what the signal is in the simulation (the playground's
    /// chooser shows it).
    pub fn summary(self) -> &'static str {
        match self {
            Signal::Cpu => "CPU use per pod (cores), linear in how busy it is",
            Signal::Memory => "memory use per pod (bytes), linear in how busy it is",
            Signal::Gpu => "GPU utilization per pod (percent), linear in how busy it is",
            Signal::Queue => "work waiting, in total (at the pods, or in the broker in queue mode)",
            Signal::QueuePerReplica => "work waiting per ready replica",
            Signal::ArrivalRate => "work arriving per second (the load)",
            Signal::Inflight => "work in progress: queued or being served",
            Signal::Latency => "the p95 latency (seconds)",
            Signal::Replicas => "pods that exist",
            Signal::ReadyReplicas => "pods that are ready",
        }
    }

    /// Reads a name.
    pub fn from_name(name: &str) -> Option<Signal> {
        SIGNALS.iter().copied().find(|s| s.name() == name)
    }

    /// Index into per-signal arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

fn builtin_list() -> String {
    SIGNALS
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where an HPA metric's readings come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// metrics-server (Resource, ContainerResource): per-pod samples at its
    /// resolution, averaged over its window.
    MetricsServer(Signal),
    /// Prometheus through the custom metrics API, one value per pod (Pods).
    PodsMetric(Signal),
    /// Prometheus, one value (Object).
    ObjectMetric(Signal),
    /// Prometheus, one series (External).
    ExternalMetric(Signal),
    /// A KEDA scaler's value (Prometheus' scrape and lag apply).
    Scaler(Signal),
}

/// A control loop to run.
#[derive(Clone, Debug)]
pub struct AutoscalerPlan {
    /// The object's name.
    pub name: String,
    /// Where in the scenario the object is (`manifests[1]`).
    pub path: String,
    /// What it is.
    pub kind: AutoscalerKind,
}

/// The kinds of control loop.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum AutoscalerKind {
    /// A HorizontalPodAutoscaler: one source per `spec.metrics[i]`.
    Hpa {
        /// Defaulted and validated.
        hpa: alloc::boxed::Box<HorizontalPodAutoscaler>,
        /// As written (the `hpa:` of a traced case).
        raw: Value,
        /// One per metric.
        sources: Vec<Source>,
    },
    /// A KEDA ScaledObject: the operator every `pollingInterval`, the HPA it
    /// owns every `hpaSync`.
    Keda {
        /// Read and checked by the KEDA engine.
        so: alloc::boxed::Box<crate::keda::ScaledObject>,
        /// As written (the `scaledObject:` of a traced case).
        raw: Value,
        /// One per trigger.
        sources: Vec<Source>,
    },
    /// A Knative Service's revision, scaled by the KPA every 2 s
    /// ([`super::knative`]).
    Kpa(alloc::boxed::Box<super::knative::KpaPlan>),
}

/// Reads a file the scenario names (a manifest or a trace CSV), relative to
/// the scenario; only the CLI has one.
pub type Loader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Where text embedded at a path starts in the scenario (see [`Ctx`]).
pub(crate) type Origin<'a> = &'a dyn Fn(&Path, &str) -> Option<(u32, u32)>;

/// Positions in the scenario text, when it came from text.
pub(crate) struct Ctx<'a> {
    /// Where text embedded at a path starts: the scenario line of the
    /// text's line 1 and the column offset of its lines.
    pub origin: Option<Origin<'a>>,
    /// Reads files (CLI).
    pub loader: Option<Loader<'a>>,
}

impl Ctx<'_> {
    /// No text, no files.
    pub const NONE: Ctx<'static> = Ctx {
        origin: None,
        loader: None,
    };
}

fn err(kind: ErrorKind, at: Path, message: impl Into<String>) -> Error {
    Error::new(kind, at, message)
}

fn join(a: Option<Error>, b: Error) -> Error {
    match a {
        Some(a) => a.join(b),
        None => b,
    }
}

fn de<T: DeserializeOwned>(v: &Value, at: &Path) -> Result<T, Error> {
    spec::deserialize(v, at)
}

/// The keys a scenario's top level may hold.
const ROOT_KEYS: [&str; 15] = [
    "manifests",
    "variants",
    "duration",
    "step",
    "seed",
    "start",
    "load",
    "workload",
    "nodes",
    "signals",
    "pipeline",
    "cost",
    "controller",
    "reference",
    "tune", // read by `crate::tune` (shared spec tune.md)
];

/// The keys a variant may not set (they are the whole run's).
const SHARED_KEYS: [&str; 4] = ["load", "duration", "step", "seed"];
