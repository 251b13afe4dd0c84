//! The scenario format (shared spec `scenario.md`): reading, defaults,
//! validation, and binding each variant's manifests to the simulated
//! workload and its signals.
//!
//! Everything that can be wrong with a scenario is found here, before a
//! single step runs, and named by its path (`load[2].ramp.to`,
//! `manifests[1].spec.metrics[2].pods.metric.name`) and, read from text, its
//! line: [`super::run`] cannot fail.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::infer::{self, Assumption};
use super::load::Segment;
use crate::error::{Error, ErrorKind, Path, Segment as PathSegment};
use crate::manifest::{self, Manifests, Workload};
use crate::model::Controller;
use crate::notice::{Notice, NoticeKind, Notices};
use crate::quantity::Quantity;
use crate::spec::{self, HorizontalPodAutoscaler, validation};
use crate::time::Duration;
use crate::time::Instant;

/// Most steps one run may take: 30 days at 1 s.
pub const MAX_STEPS: u64 = 30 * 24 * 3600;
/// Most replicas the simulator models (an HPA's `maxReplicas`, a
/// Deployment's `replicas`).
pub const MAX_REPLICAS: i32 = 100_000;
/// Most points of a trace.
pub const MAX_TRACE_POINTS: usize = 1_000_000;
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

const ROOT_KEYS: [&str; 14] = [
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
    "tune", // read by `crate::tune` (shared spec tune.md)
];
const SHARED_KEYS: [&str; 4] = ["load", "duration", "step", "seed"];

/// Reads a scenario from a JSON value (no lines; no files).
pub fn from_value(value: &Value) -> Result<Scenario, Error> {
    read(value, &Ctx::NONE)
}

pub(crate) fn read(value: &Value, ctx: &Ctx<'_>) -> Result<Scenario, Error> {
    let root = Path::root();
    let Some(top) = value.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            root,
            "a scenario is a mapping with `manifests` and `load` (shared spec scenario.md)",
        ));
    };
    for k in top.keys() {
        if !ROOT_KEYS.contains(&k.as_str()) {
            return Err(err(
                ErrorKind::Schema,
                root.child(k),
                format!(
                    "unknown field `{k}`, expected one of {}",
                    ROOT_KEYS
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let duration: Duration = match top.get("duration") {
        Some(v) => de(v, &root.child("duration"))?,
        None => Duration::from_secs(3600),
    };
    let step: Duration = match top.get("step") {
        Some(v) => de(v, &root.child("step"))?,
        None => Duration::from_secs(1),
    };
    let seed: u64 = match top.get("seed") {
        Some(v) => de(v, &root.child("seed"))?,
        None => 0,
    };
    let start = match top.get("start") {
        Some(v) => read_start(v, &root.child("start"))?,
        None => Instant::from_secs_f64(0.0),
    };
    if step.as_secs_f64() <= 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must be greater than 0 (e.g. `step: 1s`)",
        ));
    }
    if step.as_secs_f64() < 0.001 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must be at least 1ms",
        ));
    }
    if duration.as_secs_f64() <= 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("duration"),
            "the duration must be greater than 0 (e.g. `duration: 6h`)",
        ));
    }
    if step > duration {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must not be longer than the duration",
        ));
    }
    let steps = libm::ceil(duration.as_secs_f64() / step.as_secs_f64() - 1e-9);
    if steps > MAX_STEPS as f64 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("duration"),
            format!(
                "{} at a step of {} is {steps} steps; a run takes at most {MAX_STEPS} steps \
                 (30 days at 1 s): shorten the duration or lengthen the step",
                secs_text(duration.as_secs_f64()),
                secs_text(step.as_secs_f64()),
            ),
        ));
    }
    let load = match top.get("load") {
        Some(v) => Some(read_load(v, &root.child("load"), ctx)?),
        None => None,
    };

    let mut variants = Vec::new();
    match top.get("variants") {
        None | Some(Value::Null) => {
            variants.push(read_variant("default", value, None, ctx)?);
        }
        Some(Value::Array(list)) => {
            let at = root.child("variants");
            if list.is_empty() {
                return Err(err(
                    ErrorKind::Invalid,
                    at,
                    "give at least one variant, or leave `variants` out",
                ));
            }
            if list.len() > MAX_VARIANTS {
                return Err(err(
                    ErrorKind::Limit,
                    at,
                    format!("at most {MAX_VARIANTS} variants"),
                ));
            }
            let mut error = None;
            let mut names: Vec<String> = Vec::new();
            for (i, var) in list.iter().enumerate() {
                match merged_variant(top, var, &at.index(i), &names) {
                    Ok((name, merged)) => {
                        names.push(name.clone());
                        match read_variant(&name, &merged, Some((var, &at.index(i))), ctx) {
                            Ok(v) => variants.push(v),
                            Err(e) => error = Some(join(error, e)),
                        }
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            if let Some(e) = error {
                return Err(e);
            }
        }
        Some(_) => {
            return Err(err(
                ErrorKind::Schema,
                root.child("variants"),
                "`variants` is a list of {name, manifests, ...}",
            ));
        }
    }
    let load = match load {
        Some(load) => load,
        None => {
            let (load, assumed) = default_load(&variants, duration);
            for v in &mut variants {
                v.assumptions.insert(0, assumed.clone());
            }
            load
        }
    };
    Ok(Scenario {
        duration,
        step,
        seed,
        start,
        load,
        variants,
    })
}

/// `start:`: an RFC 3339 instant (`2026-12-01T08:00:00Z`, an offset
/// required) or Unix seconds.
fn read_start(v: &Value, at: &Path) -> Result<Instant, Error> {
    let bad = || {
        err(
            ErrorKind::Invalid,
            at.clone(),
            "`start` is an RFC 3339 instant with an offset (2026-12-01T08:00:00Z) or Unix seconds",
        )
    };
    let secs = match v {
        Value::Number(n) => n.as_f64().filter(|s| s.is_finite()).ok_or_else(bad)?,
        Value::String(text) => {
            let ts: jiff::Timestamp = text.trim().parse().map_err(|_| bad())?;
            return Ok(Instant::from_secs_f64(ts.as_second() as f64)
                + Duration::from_secs_f64(f64::from(ts.subsec_nanosecond()) / 1e9));
        }
        _ => return Err(bad()),
    };
    // Within ±200 years of the epoch (nanoseconds in an i64).
    if secs.abs() > 6.3e9 {
        return Err(bad());
    }
    Ok(Instant::from_secs_f64(secs))
}

/// The load of a scenario without `load:`: a quarter of the smallest
/// autoscaler floor's capacity, a ramp (from 10 % to 40 % of the run) to
/// half the largest ceiling's capacity, and a spike (at 60 %, for 10 %) to
/// 90 % of it; capacity is `replicas × workload.capacityPerReplica` of the
/// first variant. Rates are rounded to two significant digits.
fn default_load(variants: &[Variant], duration: Duration) -> (Vec<Segment>, Assumption) {
    let (mut lo, mut hi) = (i32::MAX, 0);
    for v in variants {
        for a in &v.autoscalers {
            let (min, max) = match &a.kind {
                AutoscalerKind::Hpa { hpa, .. } => {
                    (hpa.spec.min_replicas.unwrap_or(1), hpa.spec.max_replicas)
                }
                AutoscalerKind::Keda { so, .. } => (so.hpa_min_replicas(), so.hpa_max_replicas()),
            };
            lo = lo.min(min);
            hi = hi.max(max);
        }
        if v.autoscalers.is_empty() {
            lo = lo.min(v.target.replicas);
            hi = hi.max(v.target.replicas);
        }
    }
    let lo = lo.clamp(1, MAX_REPLICAS);
    let hi = hi.clamp(lo, MAX_REPLICAS);
    let cap = variants
        .first()
        .map_or(10.0, |v| v.workload.capacity_per_replica);
    // Within what a written load may hold (`MAX_RATE`), however large the capacity.
    let sized = |share: f64, replicas: i32| round2(share * f64::from(replicas) * cap).min(MAX_RATE);
    let base = sized(0.25, lo);
    let mid = sized(0.5, hi).max(base);
    let peak = sized(0.9, hi).max(mid);
    let d = duration.as_secs_f64();
    let at = |f: f64| libm::round(d * f);
    let load = alloc::vec![
        Segment::Constant(base),
        Segment::Ramp {
            from: at(0.1),
            to: at(0.4).max(at(0.1) + 1.0),
            rate: mid - base,
        },
        Segment::Spike {
            at: at(0.6),
            length: at(0.1).max(1.0),
            rate: peak - mid,
        },
    ];
    let text = format!(
        "[{{constant: {}}}, {{ramp: {{from: {}, to: {}, rate: {}}}}}, {{spike: {{at: {}, for: {}, rate: {}}}}}]",
        rate_text(base),
        secs_text(at(0.1)),
        secs_text(at(0.4).max(at(0.1) + 1.0)),
        rate_text(mid - base),
        secs_text(at(0.6)),
        secs_text(at(0.1).max(1.0)),
        rate_text(peak - mid),
    );
    let reason = format!(
        "no `load:`: {}/s, rising to {}/s and a spike to {}/s, sized from \
         {lo}–{hi} replicas × capacityPerReplica {cap}",
        rate_text(base),
        rate_text(mid),
        rate_text(peak),
    );
    (
        load,
        Assumption::new(Path::root().child("load"), "", &text, reason),
    )
}

/// `x` to two significant digits (`1234` → `1200`, `0.456` → `0.46`).
fn round2(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 0.0;
    }
    let e = libm::floor(libm::log10(x)) - 1.0;
    if e >= 0.0 {
        let mag = libm::pow(10.0, e);
        libm::round(x / mag) * mag
    } else {
        // Divide by an exact power of ten, so 0.46 prints as 0.46.
        let inv = libm::pow(10.0, -e);
        libm::round(x * inv) / inv
    }
}

/// A rate as the default load's text writes it (no float noise).
fn rate_text(x: f64) -> String {
    format!("{}", libm::round(x * 1e6) / 1e6)
}

/// `1d`, `6h`, `90s`.
pub(crate) fn secs_text(s: f64) -> String {
    let whole = libm::round(s);
    if (s - whole).abs() > 1e-9 {
        return format!("{s}s");
    }
    let n = whole as i64;
    for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] {
        if n != 0 && n % size == 0 {
            return format!("{}{unit}", n / size);
        }
    }
    format!("{n}s")
}

/// The variant's settings laid over the top level: mappings merge key by
/// key, anything else (manifests included) replaces.
fn merged_variant(
    top: &Map<String, Value>,
    var: &Value,
    at: &Path,
    taken: &[String],
) -> Result<(String, Value), Error> {
    let Some(obj) = var.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "a variant is a mapping with `name` and what it changes (`manifests`, `workload`, ...)",
        ));
    };
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(_) => {
            return Err(err(
                ErrorKind::Schema,
                at.child("name"),
                "a variant's name is a non-empty string",
            ));
        }
        None => {
            return Err(err(
                ErrorKind::Schema,
                at.clone(),
                "missing field `name` (each variant is named in the output)",
            ));
        }
    };
    if taken.contains(&name) {
        return Err(err(
            ErrorKind::Invalid,
            at.child("name"),
            format!("variant name {name:?} appears twice"),
        ));
    }
    let mut merged = top.clone();
    merged.remove("variants");
    for (k, v) in obj {
        if k == "name" {
            continue;
        }
        if SHARED_KEYS.contains(&k.as_str()) {
            return Err(err(
                ErrorKind::Invalid,
                at.child(k),
                format!(
                    "a variant cannot change `{k}`: variants are compared on the identical load, \
                     duration, step and noise seed"
                ),
            ));
        }
        if !ROOT_KEYS.contains(&k.as_str()) || k == "tune" {
            return Err(err(
                ErrorKind::Schema,
                at.child(k),
                format!(
                    "unknown field `{k}`: a variant may set `name`, `manifests`, `workload`, \
                     `nodes`, `signals`, `pipeline`, `cost`, `controller`"
                ),
            ));
        }
        let entry = merged.entry(k.clone()).or_insert(Value::Null);
        if k == "manifests" {
            *entry = v.clone();
        } else {
            merge(entry, v);
        }
    }
    Ok((name, Value::Object(merged)))
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn has_path(v: &Value, path: &Path) -> bool {
    let mut node = v;
    for seg in &path.0 {
        node = match (seg, node) {
            (PathSegment::Key(k), Value::Object(m)) => match m.get(k) {
                Some(n) => n,
                None => return false,
            },
            (PathSegment::Index(i), Value::Array(a)) => match a.get(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    true
}

/// Moves problems that come from a variant's own settings under
/// `variants[i]`.
fn attribute(e: Error, var: Option<(&Value, &Path)>, merged: &Value) -> Error {
    let Some((var, at)) = var else {
        return e;
    };
    let problems = e
        .problems
        .into_iter()
        .map(|p| {
            let first_in_var =
                p.at.0
                    .first()
                    .is_some_and(|s| has_path(var, &Path(alloc::vec![s.clone()])));
            let mine = has_path(var, &p.at) || (first_in_var && !has_path(merged, &p.at));
            let one = Error {
                problems: alloc::vec![p],
            };
            if mine { one.under(at) } else { one }
        })
        .reduce(Error::join);
    problems.unwrap_or_else(|| err(ErrorKind::Schema, Path::root(), "invalid variant"))
}

fn read_variant(
    name: &str,
    merged: &Value,
    var: Option<(&Value, &Path)>,
    ctx: &Ctx<'_>,
) -> Result<Variant, Error> {
    read_variant_inner(name, merged, var, ctx).map_err(|e| attribute(e, var, merged))
}

/// A manifests path relative to the scenario root, for a variant whose
/// manifests are its own.
fn manifests_path(var: Option<(&Value, &Path)>) -> Path {
    match var {
        Some((v, at)) if v.get("manifests").is_some() => at.child("manifests"),
        _ => Path::root().child("manifests"),
    }
}

fn read_variant_inner(
    name: &str,
    merged: &Value,
    var: Option<(&Value, &Path)>,
    ctx: &Ctx<'_>,
) -> Result<Variant, Error> {
    let root = Path::root();
    let get = |k: &str| merged.get(k).filter(|v| !v.is_null());
    let controller: Controller = match get("controller") {
        Some(v) => de(v, &root.child("controller"))?,
        None => Controller::default(),
    };
    let t = controller.tolerance;
    if !(t.is_finite() && t >= 0.0) {
        return Err(err(
            ErrorKind::Invalid,
            root.child("controller").child("tolerance"),
            "must be a number at least 0",
        ));
    }
    let opts = validation::Options {
        min_replicas_lower_bound: if controller.features.hpa_scale_to_zero {
            0
        } else {
            1
        },
    };
    let m_at = manifests_path(var);
    let manifests = match get("manifests") {
        Some(v) => read_manifests(v, &m_at, opts, ctx)?,
        None => {
            return Err(err(
                ErrorKind::Schema,
                Path::root(),
                format!(
                    "missing field `manifests` (variant {name:?} has none, and there is none at the top level)"
                ),
            ));
        }
    };
    let signals = match get("signals") {
        Some(v) => read_signals(v, &root.child("signals"))?,
        None => BTreeMap::new(),
    };
    let raw_workload: RawWorkloadModel = match get("workload") {
        Some(v) => de(v, &root.child("workload"))?,
        None => RawWorkloadModel::default(),
    };
    let nodes = match get("nodes") {
        Some(v) => Some(read_nodes(
            de(v, &root.child("nodes"))?,
            &root.child("nodes"),
        )?),
        None => None,
    };
    let pipeline = read_pipeline(
        match get("pipeline") {
            Some(v) => de(v, &root.child("pipeline"))?,
            None => RawPipeline::default(),
        },
        &root.child("pipeline"),
    )?;
    let cost = match get("cost") {
        Some(v) => {
            let raw: RawCost = de(v, &root.child("cost"))?;
            let per = raw.per_replica_hour.unwrap_or(0.0);
            if !(per.is_finite() && per >= 0.0) {
                return Err(err(
                    ErrorKind::Invalid,
                    root.child("cost").child("perReplicaHour"),
                    "a price cannot be negative",
                ));
            }
            Cost {
                per_replica_hour: per,
                currency: raw.currency.unwrap_or_else(|| "USD".to_string()),
            }
        }
        None => Cost {
            per_replica_hour: 0.0,
            currency: "USD".to_string(),
        },
    };
    let mut warnings = Vec::new();
    let mut assumptions = Vec::new();
    let (target, autoscalers) = bind(&manifests, &m_at, &signals, &mut warnings, &mut assumptions)
        .map_err(|e| locate_in_manifests(e, get("manifests"), &m_at, ctx))?;
    let mut raw_workload = raw_workload;
    if raw_workload.mode.is_none() {
        if let Some(a) = broker_mode(&autoscalers) {
            raw_workload.mode = Some(a.signal.clone());
            assumptions.push(a);
        }
    }
    locate_assumptions(&mut assumptions, get("manifests"), &m_at, ctx);
    let workload = raw_workload.finish(&target, &root.child("workload"))?;
    let notices = manifests.notices;
    warnings.extend(notices.0.iter().map(Notice::to_warning));
    Ok(Variant {
        notices,
        name: name.to_string(),
        workload,
        nodes,
        pipeline,
        cost,
        controller,
        target,
        autoscalers,
        warnings,
        assumptions,
    })
}

// ---------------------------------------------------------------- manifests

fn looks_like_path(s: &str) -> bool {
    let t = s.trim();
    !t.contains('\n')
        && !t.contains(": ")
        && (t.ends_with(".yaml") || t.ends_with(".yml") || t.ends_with(".json"))
}

fn read_manifests(
    v: &Value,
    at: &Path,
    opts: validation::Options,
    ctx: &Ctx<'_>,
) -> Result<Manifests, Error> {
    match v {
        Value::String(s) => manifest_text(s, at, opts, ctx),
        Value::Object(_) => {
            // One object: its paths are `manifests.spec...`, not `manifests[0]...`.
            let place = |e: Error| strip_first_index(e).under(at);
            let mut m = manifest::from_values(core::slice::from_ref(v), opts)
                .map(|m| place_notices(m, &place))
                .map_err(place)?;
            for o in &mut m.objects {
                set_document(o, SINGLE);
            }
            Ok(m)
        }
        Value::Array(items) => {
            if items.iter().all(Value::is_object) {
                let place = |e: Error| e.under(at);
                return manifest::from_values(items, opts)
                    .map(|m| place_notices(m, &place))
                    .map_err(place);
            }
            let mut all = Manifests::default();
            let mut error = None;
            for (i, item) in items.iter().enumerate() {
                let item_at = at.index(i);
                let read = match item {
                    Value::String(s) => manifest_text(s, &item_at, opts, ctx),
                    Value::Object(_) => {
                        let place = |e: Error| strip_first_index(e).under(&item_at);
                        manifest::from_values(core::slice::from_ref(item), opts)
                            .map(|m| place_notices(m, &place))
                            .map_err(place)
                    }
                    _ => Err(err(
                        ErrorKind::Schema,
                        item_at,
                        "a manifests entry is a path, YAML text or an object",
                    )),
                };
                match read {
                    Ok(m) => {
                        all.notices.0.extend(m.notices.0);
                        // Keep each object's path: remember the list index in `document`.
                        for mut o in m.objects {
                            let d = o.document();
                            set_document(&mut o, list_document(i, d));
                            all.objects.push(o);
                        }
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            match error {
                Some(e) => Err(e),
                None => Ok(all),
            }
        }
        _ => Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`manifests` is multi-document YAML text (or, with the CLI, a path or a list of paths)",
        )),
    }
}

/// Objects from a list of files keep `document = (list index + 1) × 1e6 + doc`.
const LIST_STRIDE: usize = 1_000_000;
/// The one object of a `manifests:` that is a single mapping.
const SINGLE: usize = usize::MAX - 1;

fn list_document(list_index: usize, doc: usize) -> usize {
    (list_index + 1) * LIST_STRIDE + doc
}

fn set_document(o: &mut manifest::Object, d: usize) {
    match o {
        manifest::Object::Workload(w) => w.document = d,
        manifest::Object::Hpa(h) => h.document = d,
        manifest::Object::ScaledObject(s) => s.document = d,
        manifest::Object::Ignored(x) => x.document = d,
    }
}

/// The path of an object's document below `manifests`.
pub(crate) fn object_path(m_at: &Path, document: usize) -> Path {
    if document >= SINGLE {
        m_at.clone()
    } else if document >= LIST_STRIDE {
        let d = document - LIST_STRIDE;
        m_at.index(d / LIST_STRIDE).index(d % LIST_STRIDE)
    } else {
        m_at.index(document)
    }
}

fn strip_first_index(mut e: Error) -> Error {
    for p in &mut e.problems {
        if matches!(p.at.0.first(), Some(PathSegment::Index(_))) {
            p.at.0.remove(0);
            p.path = p.at.to_string();
        }
    }
    e
}

fn manifest_text(
    s: &str,
    at: &Path,
    opts: validation::Options,
    ctx: &Ctx<'_>,
) -> Result<Manifests, Error> {
    if looks_like_path(s) {
        let Some(loader) = ctx.loader else {
            return Err(err(
                ErrorKind::Unsupported,
                at.clone(),
                format!(
                    "{s:?} looks like a file path; only the command line reads manifest files: give the manifests' text here"
                ),
            ));
        };
        let text = loader(s.trim()).map_err(|e| {
            err(
                ErrorKind::Invalid,
                at.clone(),
                format!("cannot read {s:?}: {e}"),
            )
        })?;
        let place = |e: Error| {
            // Lines refer to the file: say so in the message, keep the scenario's line.
            let mut e = e.under(at);
            for p in &mut e.problems {
                if let (Some(l), Some(c)) = (p.line.take(), p.column.take()) {
                    p.message = format!("{}:{l}:{c}: {}", s.trim(), p.message);
                }
            }
            e
        };
        return parse_manifest_text(&text, opts)
            .map(|m| place_notices(m, &place))
            .map_err(place);
    }
    let place = |e: Error| shift_embedded(e.under(at), at, s, ctx);
    parse_manifest_text(s, opts)
        .map(|m| place_notices(m, &place))
        .map_err(place)
}

/// Places the manifests' notices in the scenario exactly as their errors
/// would be placed (`place`: paths under `manifests`, lines shifted into
/// the scenario or named in the file).
fn place_notices(mut m: Manifests, place: &impl Fn(Error) -> Error) -> Manifests {
    m.notices = m.notices.placed(place);
    m
}

#[cfg(feature = "yaml")]
fn parse_manifest_text(text: &str, opts: validation::Options) -> Result<Manifests, Error> {
    manifest::parse(text, opts)
}

#[cfg(not(feature = "yaml"))]
fn parse_manifest_text(_text: &str, _opts: validation::Options) -> Result<Manifests, Error> {
    Err(err(
        ErrorKind::Unsupported,
        Path::root(),
        "reading manifests from YAML text needs replicast-engine's `yaml` feature; give them as objects",
    ))
}

/// Gives problems found after reading (binding) inside inline manifests
/// text the line and column of their place in that text.
fn locate_in_manifests(mut e: Error, v: Option<&Value>, m_at: &Path, ctx: &Ctx<'_>) -> Error {
    in_manifests(v, m_at, ctx, |locate| {
        for p in &mut e.problems {
            if p.line.is_none() {
                if let Some((l, c)) = locate(&p.at) {
                    p.line = Some(l);
                    p.column = Some(c);
                }
            }
        }
    });
    e
}

/// Gives assumptions inside inline manifests text their line and column.
fn locate_assumptions(list: &mut [Assumption], v: Option<&Value>, m_at: &Path, ctx: &Ctx<'_>) {
    in_manifests(v, m_at, ctx, |locate| {
        for a in list.iter_mut() {
            if let Some((l, c)) = locate(&a.at) {
                a.line = Some(l);
                a.column = Some(c);
            }
        }
    });
}

/// Calls `with` with a locator of paths inside inline manifests text (the
/// scenario's line and column of a path below `m_at`), when there is one.
fn in_manifests(
    v: Option<&Value>,
    m_at: &Path,
    ctx: &Ctx<'_>,
    with: impl FnOnce(&dyn Fn(&Path) -> Option<(u32, u32)>),
) {
    #[cfg(feature = "yaml")]
    {
        let Some(Value::String(text)) = v else {
            return;
        };
        if looks_like_path(text) {
            return;
        }
        let Ok(docs) = crate::yaml::parse_documents(text, &crate::yaml::Limits::default()) else {
            return;
        };
        let Some((first, col)) = ctx.origin.and_then(|o| o(m_at, text)) else {
            return;
        };
        with(&|at: &Path| {
            if !at.0.starts_with(&m_at.0) {
                return None;
            }
            let rest = Path(at.0[m_at.0.len()..].to_vec());
            manifest::locate(&docs, &rest).map(|(l, c)| (first + l - 1, c + col))
        });
    }
    #[cfg(not(feature = "yaml"))]
    {
        let _ = (v, m_at, ctx, with);
    }
}

/// Moves line numbers of text embedded at `at` into the scenario's lines.
pub(crate) fn shift_embedded(mut e: Error, at: &Path, text: &str, ctx: &Ctx<'_>) -> Error {
    let origin = ctx.origin.and_then(|o| o(at, text));
    for p in &mut e.problems {
        let Some(l) = p.line else { continue };
        match origin {
            Some((first, col)) => {
                p.line = Some(first + l - 1);
                p.column = p.column.map(|c| c + col);
            }
            None => {
                p.message = format!("{} (line {l} of the text)", p.message);
                p.line = None;
                p.column = None;
            }
        }
    }
    e
}

// ------------------------------------------------------------------ signals

fn read_signals(v: &Value, at: &Path) -> Result<BTreeMap<String, Signal>, Error> {
    let Some(m) = v.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`signals` maps metric names to built-in signals (e.g. `inference_queue_depth: queuePerReplica`)",
        ));
    };
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let s = v.as_str().and_then(Signal::from_name).ok_or_else(|| {
            err(
                ErrorKind::Invalid,
                at.child(k),
                format!(
                    "unknown signal {v}: the built-in signals are {}",
                    builtin_list()
                ),
            )
        })?;
        out.insert(k.clone(), s);
    }
    Ok(out)
}

fn unmapped(kind: &str, name: &str) -> String {
    format!(
        "{kind} `{name}` reads no signal: map it in `signals:` to one of {} \
         (e.g. `signals: {{{name}: queuePerReplica}}`)",
        builtin_list()
    )
}

/// How a KEDA trigger is named in `signals:`: its queue or metric name.
pub fn trigger_signal_name(t: &Value) -> Option<String> {
    let md = |k: &str| {
        t.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
    let name = match ty {
        "rabbitmq" => md("queueName"),
        "aws-sqs-queue" => {
            md("queueURL").map(|u| u.trim_end_matches('/').rsplit('/').next().unwrap_or(u))
        }
        "kafka" | "apache-kafka" => md("topic").or(md("consumerGroup")),
        "redis" | "redis-cluster" | "redis-sentinel" => md("listName"),
        "redis-streams" | "redis-cluster-streams" | "redis-sentinel-streams" => md("stream"),
        "azure-servicebus" => md("queueName").or(md("topicName")),
        "gcp-pubsub" => md("subscriptionName").or(md("topicName")),
        "cpu" | "memory" => Some(ty),
        _ => md("metricName").or(md("queueName")),
    };
    name.or_else(|| t.get("name").and_then(Value::as_str))
        .map(ToOwned::to_owned)
}

// --------------------------------------------------------------- binding

fn bind(
    m: &Manifests,
    m_at: &Path,
    signals: &BTreeMap<String, Signal>,
    warnings: &mut Vec<String>,
    assumptions: &mut Vec<Assumption>,
) -> Result<(Workload, Vec<AutoscalerPlan>), Error> {
    // Which workload do the autoscalers scale?
    let mut targets: Vec<(String, String, Path)> = Vec::new();
    for h in m.hpas() {
        let r = &h.hpa.spec.scale_target_ref;
        let p = object_path(m_at, h.document)
            .child("spec")
            .child("scaleTargetRef")
            .child("name");
        targets.push((
            format!("HorizontalPodAutoscaler {}", h.hpa.metadata.name),
            r.name.clone(),
            p,
        ));
    }
    for s in m.scaled_objects() {
        let p = object_path(m_at, s.document)
            .child("spec")
            .child("scaleTargetRef")
            .child("name");
        targets.push((format!("ScaledObject {}", s.name), s.target_name.clone(), p));
    }
    if let Some((first_who, first, _)) = targets.first() {
        if let Some((who, other, p)) = targets.iter().find(|(_, n, _)| n != first) {
            return Err(err(
                ErrorKind::Invalid,
                p.clone(),
                format!(
                    "a scenario simulates one workload: {first_who} scales {first:?}, but {who} scales {other:?}"
                ),
            ));
        }
    }
    let workloads: Vec<&Workload> = m.workloads().collect();
    let target = match targets.first() {
        Some((who, name, p)) => match workloads.iter().find(|w| &w.name == name) {
            Some(w) => (*w).clone(),
            None if workloads.is_empty() => {
                warnings.push(format!(
                    "the manifests hold no Deployment {name:?} (which {who} scales): simulated with 1 replica, \
                     no resource requests and no readiness probe; add the Deployment for its requests and probe"
                ));
                Workload {
                    kind: "Deployment".to_string(),
                    name: name.clone(),
                    namespace: String::new(),
                    annotations: BTreeMap::new(),
                    replicas: 1,
                    containers: alloc::vec![crate::model::Container {
                        name: "app".to_string(),
                        ..Default::default()
                    }],
                    init_containers: Vec::new(),
                    pod_requests: None,
                    readiness: Vec::new(),
                    document: usize::MAX,
                }
            }
            None => {
                return Err(err(
                    ErrorKind::Invalid,
                    p.clone(),
                    format!(
                        "{who} scales {name:?}, which the manifests do not hold (they hold {})",
                        workloads
                            .iter()
                            .map(|w| format!("{} {:?}", w.kind, w.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        },
        None => match workloads.as_slice() {
            [w] => {
                warnings.push(format!(
                    "no autoscaler in the manifests: {} {} stays at {} replicas",
                    w.kind, w.name, w.replicas
                ));
                (*w).clone()
            }
            [] => {
                return Err(err(
                    ErrorKind::Invalid,
                    m_at.clone(),
                    "the manifests hold no Deployment and no autoscaler: nothing to simulate",
                ));
            }
            [_, second, ..] => {
                return Err(err(
                    ErrorKind::Invalid,
                    object_path(m_at, second.document),
                    "several Deployments and no autoscaler: a scenario simulates one workload",
                ));
            }
        },
    };
    if target.replicas > MAX_REPLICAS {
        return Err(err(
            ErrorKind::Limit,
            object_path(m_at, target.document)
                .child("spec")
                .child("replicas"),
            format!("the simulator models at most {MAX_REPLICAS} replicas"),
        ));
    }
    for key in [
        "autoscaling.keda.sh/paused",
        "autoscaling.keda.sh/paused-replicas",
        "autoscaling.keda.sh/paused-scale-in",
        "autoscaling.keda.sh/paused-scale-out",
    ] {
        if let Some(v) = target.annotations.get(key) {
            warnings.push(format!(
                "{} {} carries `{key}: {v:?}`, which has no effect: KEDA reads its pause annotations \
                 only on the ScaledObject, so nothing is paused here",
                target.kind, target.name
            ));
        }
    }
    let hpas: Vec<&manifest::Hpa> = m.hpas().collect();
    let sos: Vec<&manifest::ScaledObject> = m.scaled_objects().collect();
    if !hpas.is_empty() && !sos.is_empty() {
        warnings.push(format!(
            "HorizontalPodAutoscaler {} and ScaledObject {} both scale {} {}: KEDA's admission webhook \
             would reject the ScaledObject (\"the workload is already managed by the hpa\"); simulated as the fight it is",
            hpas[0].hpa.metadata.name, sos[0].name, target.kind, target.name
        ));
    }
    if hpas.len() > 1 {
        warnings.push(format!(
            "{} HorizontalPodAutoscalers scale {} {}: the controller runs each, and they overwrite each other's replicas",
            hpas.len(),
            target.kind,
            target.name
        ));
    }
    for x in m.ignored() {
        warnings.push(format!("{} {} is not simulated", x.kind, x.name));
    }
    let mut plans = Vec::new();
    let mut error: Option<Error> = None;
    for o in &m.objects {
        match o {
            manifest::Object::Hpa(h) => match bind_hpa(h, m_at, signals, assumptions) {
                Ok(p) => {
                    warnings.extend(h.warnings.iter().cloned());
                    plans.push(p)
                }
                Err(e) => error = Some(join(error, e)),
            },
            manifest::Object::ScaledObject(s) => {
                let at = object_path(m_at, s.document);
                if s.so.hpa_max_replicas() > MAX_REPLICAS {
                    error = Some(join(
                        error,
                        err(
                            ErrorKind::Limit,
                            at.child("spec").child("maxReplicaCount"),
                            format!(
                                "maxReplicaCount {} is beyond what the simulator models ({MAX_REPLICAS} replicas)",
                                s.so.hpa_max_replicas()
                            ),
                        ),
                    ));
                    continue;
                }
                match bind_triggers(s, &at, signals, assumptions) {
                    Ok(sources) => {
                        if s.so.paused() || s.so.paused_replicas().is_some() {
                            warnings.push(format!(
                                "ScaledObject {} is paused by its annotations: KEDA stops its loop and deletes its HPA",
                                s.name
                            ));
                        }
                        plans.push(AutoscalerPlan {
                            name: s.name.clone(),
                            path: at.to_string(),
                            kind: AutoscalerKind::Keda {
                                so: alloc::boxed::Box::new(s.so.clone()),
                                raw: s.raw.clone(),
                                sources,
                            },
                        });
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            _ => {}
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    Ok((target, plans))
}

fn bind_hpa(
    h: &manifest::Hpa,
    m_at: &Path,
    signals: &BTreeMap<String, Signal>,
    assumptions: &mut Vec<Assumption>,
) -> Result<AutoscalerPlan, Error> {
    let at = object_path(m_at, h.document);
    let spec_at = at.child("spec");
    if h.hpa.spec.max_replicas > MAX_REPLICAS {
        return Err(err(
            ErrorKind::Limit,
            spec_at.child("maxReplicas"),
            format!(
                "maxReplicas {} is beyond what the simulator models ({MAX_REPLICAS} replicas)",
                h.hpa.spec.max_replicas
            ),
        ));
    }
    let mut sources = Vec::new();
    let mut error = None;
    for (i, ms) in h.hpa.spec.metrics.iter().enumerate() {
        let m_path = spec_at.child("metrics").index(i);
        let bound = match ms.type_.as_str() {
            "Resource" | "ContainerResource" => {
                let (name, field) = match (&ms.resource, &ms.container_resource) {
                    (Some(r), _) => (r.name.as_str(), "resource"),
                    (None, Some(c)) => (c.name.as_str(), "containerResource"),
                    _ => ("", "resource"),
                };
                match signals.get(name).copied().or(match name {
                    "cpu" => Some(Signal::Cpu),
                    "memory" => Some(Signal::Memory),
                    _ => None,
                }) {
                    Some(s) => Ok(Source::MetricsServer(s)),
                    None => Err(err(
                        ErrorKind::Invalid,
                        m_path.child(field).child("name"),
                        format!(
                            "{}; metrics-server itself serves only cpu and memory",
                            unmapped("resource metric", name)
                        ),
                    )),
                }
            }
            "Pods" | "Object" | "External" => {
                let (metric, field) = match ms.type_.as_str() {
                    "Pods" => (ms.pods.as_ref().map(|p| (&p.metric, &p.target)), "pods"),
                    "Object" => (ms.object.as_ref().map(|p| (&p.metric, &p.target)), "object"),
                    _ => (
                        ms.external.as_ref().map(|p| (&p.metric, &p.target)),
                        "external",
                    ),
                };
                let name = metric.map_or("", |(m, _)| m.name.as_str());
                let target_type = metric.map_or("", |(_, t)| t.type_.as_str());
                let at = m_path.child(field);
                let signal = match signals.get(name) {
                    Some(&s) => Ok(s),
                    None => match infer::hpa_metric(&ms.type_, name, target_type) {
                        Some(i) => {
                            assumptions.push(Assumption::new(
                                at.child("metric").child("name"),
                                name,
                                i.signal.name(),
                                i.reason,
                            ));
                            Ok(i.signal)
                        }
                        None => Err(err(
                            ErrorKind::Invalid,
                            at.child("metric").child("name"),
                            infer::unmapped(&format!("{field} metric"), name, field == "pods"),
                        )),
                    },
                };
                signal.map(|s| match ms.type_.as_str() {
                    "Pods" => Source::PodsMetric(s),
                    "Object" => Source::ObjectMetric(s),
                    _ => Source::ExternalMetric(s),
                })
            }
            other => Err(err(
                ErrorKind::Unsupported,
                m_path.child("type"),
                format!("metric type {other:?} is not simulated"),
            )),
        };
        match bound {
            Ok(s) => sources.push(s),
            Err(e) => error = Some(join(error, e)),
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    Ok(AutoscalerPlan {
        name: h.hpa.metadata.name.clone(),
        path: at.to_string(),
        kind: AutoscalerKind::Hpa {
            hpa: alloc::boxed::Box::new(h.hpa.clone()),
            raw: h.raw.clone(),
            sources,
        },
    })
}

/// Binds every trigger of a ScaledObject to a signal: mapped in
/// `signals:`, cpu/memory read by metrics-server, or inferred
/// ([`infer::trigger`]) and listed as an assumption.
fn bind_triggers(
    s: &manifest::ScaledObject,
    at: &Path,
    signals: &BTreeMap<String, Signal>,
    assumptions: &mut Vec<Assumption>,
) -> Result<Vec<Source>, Error> {
    let triggers = s
        .raw
        .get("spec")
        .and_then(|sp| sp.get("triggers"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut out = Vec::new();
    let mut error = None;
    for (i, t) in triggers.iter().enumerate() {
        let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
        let name = trigger_signal_name(t).unwrap_or_else(|| ty.to_string());
        let t_at = at.child("spec").child("triggers").index(i);
        let source = match (signals.get(&name).copied(), ty) {
            (Some(sig), "cpu" | "memory") => Some(Source::MetricsServer(sig)),
            (Some(sig), _) => Some(Source::Scaler(sig)),
            // cron reads the scenario's wall clock (`start` + t); its reading
            // is ignored, so any built-in will do.
            (None, "cron") => Some(Source::Scaler(Signal::Replicas)),
            (None, "cpu") => Some(Source::MetricsServer(Signal::Cpu)),
            (None, "memory") => Some(Source::MetricsServer(Signal::Memory)),
            (None, _) => infer::trigger(t).map(|inf| {
                let mut p = t_at.clone();
                for f in inf.field {
                    p = p.child(f);
                }
                assumptions.push(Assumption::new(p, &name, inf.signal.name(), inf.reason));
                Source::Scaler(inf.signal)
            }),
        };
        match source {
            Some(src) => out.push(src),
            None => {
                error = Some(join(
                    error,
                    err(
                        ErrorKind::Invalid,
                        t_at,
                        infer::unmapped(&format!("trigger {i} ({ty})"), &name, false),
                    ),
                ));
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Without `workload.mode`, ScaledObjects that read only brokers' queues
/// (and cpu/memory) simulate a workload whose messages wait in the broker:
/// `mode: queue`, assumed.
fn broker_mode(plans: &[AutoscalerPlan]) -> Option<Assumption> {
    let mut first = None;
    for p in plans {
        let AutoscalerKind::Keda { raw, .. } = &p.kind else {
            return None;
        };
        let triggers = raw
            .get("spec")
            .and_then(|s| s.get("triggers"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for (i, t) in triggers.iter().enumerate() {
            let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
            if infer::QUEUE_TRIGGERS.contains(&ty) {
                first.get_or_insert((alloc::format!("{}.spec.triggers[{i}]", p.path), ty));
            } else if !matches!(ty, "cpu" | "memory" | "cron") {
                return None;
            }
        }
    }
    let (path, ty) = first?;
    Some(Assumption::new(
        Path::root().child("workload").child("mode"),
        "",
        "queue",
        format!(
            "assumed from the {ty} trigger ({path}): messages wait in the broker, not at the pods"
        ),
    ))
}

// ---------------------------------------------------------------- workload

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawWorkloadModel {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    capacity_per_replica: Option<f64>,
    #[serde(default)]
    cpu: Option<RawCpu>,
    #[serde(default)]
    memory: Option<RawMemory>,
    #[serde(default)]
    gpu: Option<RawGpu>,
    #[serde(default)]
    cold_start: Option<RawColdStart>,
    #[serde(default)]
    timeout: Option<Duration>,
    #[serde(default)]
    slo: Option<RawSlo>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCpu {
    #[serde(default)]
    idle: Option<Quantity>,
    #[serde(default)]
    busy: Option<Quantity>,
    #[serde(default)]
    startup: Option<Quantity>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMemory {
    #[serde(default)]
    base: Option<Quantity>,
    #[serde(default)]
    busy: Option<Quantity>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGpu {
    #[serde(default)]
    idle: Option<f64>,
    #[serde(default)]
    busy: Option<f64>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColdStart {
    #[serde(default)]
    schedule: Option<Duration>,
    #[serde(default)]
    pull: Option<Duration>,
    #[serde(default)]
    load: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlo {
    #[serde(default)]
    latency: Option<Duration>,
}

impl RawWorkloadModel {
    fn finish(self, target: &Workload, at: &Path) -> Result<WorkloadModel, Error> {
        let mode = match self.mode.as_deref() {
            None | Some("http") => Mode::Http,
            Some("queue") => Mode::Queue,
            Some(other) => {
                return Err(err(
                    ErrorKind::Invalid,
                    at.child("mode"),
                    format!("unknown mode {other:?}: `http` or `queue`"),
                ));
            }
        };
        let capacity = self.capacity_per_replica.unwrap_or(10.0);
        if !(capacity.is_finite() && capacity > 0.0) {
            return Err(err(
                ErrorKind::Invalid,
                at.child("capacityPerReplica"),
                "must be a number greater than 0 (work items per second one replica completes)",
            ));
        }
        let cores = |q: Option<Quantity>, field: &[&str], default: f64| -> Result<f64, Error> {
            match q {
                None => Ok(default),
                Some(q) if q.signum() < 0 => {
                    let mut p = at.clone();
                    for f in field {
                        p = p.child(f);
                    }
                    Err(err(ErrorKind::Invalid, p, "cannot be negative"))
                }
                Some(q) => Ok(q.as_approximate_f64()),
            }
        };
        let cpu_request = target.request_milli("cpu").map(|m| m as f64 / 1000.0);
        let cpu_raw = self.cpu.unwrap_or_default();
        let busy_default = cpu_request.unwrap_or(1.0);
        let cpu = Levels {
            idle: cores(cpu_raw.idle, &["cpu", "idle"], 0.1 * busy_default)?,
            busy: cores(cpu_raw.busy, &["cpu", "busy"], busy_default)?,
        };
        let cpu_startup = cores(cpu_raw.startup, &["cpu", "startup"], cpu.busy)?;
        let mem_request = target.request_milli("memory").map(|m| m as f64 / 1000.0);
        let mem_raw = self.memory.unwrap_or_default();
        let mem_default = mem_request.unwrap_or(512.0 * 1024.0 * 1024.0);
        let memory = Levels {
            idle: cores(mem_raw.base, &["memory", "base"], 0.5 * mem_default)?,
            busy: cores(mem_raw.busy, &["memory", "busy"], 0.75 * mem_default)?,
        };
        let gpu_raw = self.gpu.unwrap_or_default();
        let gpu = Levels {
            idle: gpu_raw.idle.unwrap_or(0.0),
            busy: gpu_raw.busy.unwrap_or(100.0),
        };
        for (v, f) in [(gpu.idle, "idle"), (gpu.busy, "busy")] {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                return Err(err(
                    ErrorKind::Invalid,
                    at.child("gpu").child(f),
                    "a GPU utilization is a percent between 0 and 100",
                ));
            }
        }
        let cs = self.cold_start.unwrap_or_default();
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        if timeout.as_secs_f64() <= 0.0 {
            return Err(err(
                ErrorKind::Invalid,
                at.child("timeout"),
                "must be greater than 0",
            ));
        }
        let slo = self
            .slo
            .and_then(|s| s.latency)
            .unwrap_or(Duration::from_secs(1));
        if slo.as_secs_f64() <= 0.0 {
            return Err(err(
                ErrorKind::Invalid,
                at.child("slo").child("latency"),
                "must be greater than 0",
            ));
        }
        Ok(WorkloadModel {
            mode,
            capacity_per_replica: capacity,
            cpu,
            cpu_startup,
            memory,
            gpu,
            schedule: cs.schedule.unwrap_or(Duration::from_secs(1)),
            pull: cs.pull.unwrap_or(Duration::from_secs(10)),
            load: cs.load.unwrap_or(Duration::from_secs(0)),
            timeout,
            slo_latency: slo,
        })
    }
}

// ------------------------------------------------------ nodes, pipeline, cost

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawNodes {
    #[serde(default)]
    pods_per_node: Option<u32>,
    #[serde(default)]
    provision: Option<Duration>,
    #[serde(default)]
    warm: Option<u32>,
    #[serde(default)]
    max: Option<u32>,
}

fn read_nodes(raw: RawNodes, at: &Path) -> Result<NodesModel, Error> {
    let n = NodesModel {
        pods_per_node: raw.pods_per_node.unwrap_or(1),
        provision: raw.provision.unwrap_or(Duration::from_secs(180)),
        warm: raw.warm.unwrap_or(0),
        max: raw.max.unwrap_or(1000),
    };
    if n.pods_per_node == 0 {
        return Err(err(
            ErrorKind::Invalid,
            at.child("podsPerNode"),
            "must be at least 1",
        ));
    }
    if n.max == 0 {
        return Err(err(
            ErrorKind::Invalid,
            at.child("max"),
            "must be at least 1",
        ));
    }
    if n.warm > n.max {
        return Err(err(
            ErrorKind::Invalid,
            at.child("warm"),
            "cannot exceed `max`",
        ));
    }
    if u64::from(n.max) * u64::from(n.pods_per_node) > 10 * MAX_REPLICAS as u64 {
        return Err(err(
            ErrorKind::Limit,
            at.child("max"),
            format!("max × podsPerNode may be at most {}", 10 * MAX_REPLICAS),
        ));
    }
    Ok(n)
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPipeline {
    #[serde(default)]
    hpa_sync: Option<Duration>,
    #[serde(default)]
    metrics_server: Option<RawMetricsServer>,
    #[serde(default)]
    prometheus: Option<RawPrometheus>,
    #[serde(default)]
    scalers: Option<BTreeMap<String, RawScaler>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScaler {
    #[serde(default)]
    lag: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetricsServer {
    #[serde(default)]
    resolution: Option<Duration>,
    #[serde(default)]
    window: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrometheus {
    #[serde(default)]
    scrape: Option<Duration>,
    #[serde(default)]
    lag: Option<Duration>,
}

fn read_pipeline(raw: RawPipeline, at: &Path) -> Result<Pipeline, Error> {
    let ms = raw.metrics_server.unwrap_or_default();
    let pr = raw.prometheus.unwrap_or_default();
    let p = Pipeline {
        hpa_sync: raw.hpa_sync.unwrap_or(Duration::from_secs(15)),
        metrics_resolution: ms.resolution.unwrap_or(Duration::from_secs(15)),
        metrics_window: ms.window.unwrap_or(Duration::from_secs(30)),
        scrape: pr.scrape.unwrap_or(Duration::from_secs(15)),
        lag: pr.lag.unwrap_or(Duration::from_secs(5)),
        scalers: BTreeMap::new(),
    };
    let day = 86400.0;
    for (v, path) in [
        (p.hpa_sync, at.child("hpaSync")),
        (
            p.metrics_resolution,
            at.child("metricsServer").child("resolution"),
        ),
        (p.metrics_window, at.child("metricsServer").child("window")),
        (p.scrape, at.child("prometheus").child("scrape")),
    ] {
        let s = v.as_secs_f64();
        if s <= 0.0 {
            return Err(err(ErrorKind::Invalid, path, "must be greater than 0"));
        }
        if s > day {
            return Err(err(ErrorKind::Invalid, path, "may be at most 1d"));
        }
    }
    if p.lag.as_secs_f64() > day {
        return Err(err(
            ErrorKind::Invalid,
            at.child("prometheus").child("lag"),
            "may be at most 1d",
        ));
    }
    let mut p = p;
    for (ty, s) in raw.scalers.unwrap_or_default() {
        let here = at.child("scalers").child(&ty);
        if let Some(why) = super::freshness::not_a_scaler_setting(&ty) {
            return Err(err(ErrorKind::Invalid, here, why));
        }
        let lag = s.lag.unwrap_or(Duration::from_secs(0));
        if lag.as_secs_f64() > day {
            return Err(err(
                ErrorKind::Invalid,
                here.child("lag"),
                "may be at most 1d",
            ));
        }
        p.scalers.insert(ty, lag);
    }
    Ok(p)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCost {
    #[serde(default)]
    per_replica_hour: Option<f64>,
    #[serde(default)]
    currency: Option<String>,
}

// --------------------------------------------------------------------- load

const SEGMENT_KINDS: [&str; 7] = [
    "constant", "step", "ramp", "spike", "diurnal", "trace", "noise",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    at: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRamp {
    from: Duration,
    to: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpike {
    at: Duration,
    #[serde(rename = "for")]
    length: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawDiurnal {
    mean: f64,
    #[serde(default)]
    amplitude: f64,
    #[serde(default)]
    period: Option<Duration>,
    #[serde(default)]
    peak_at: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrace {
    #[serde(default)]
    csv: Option<String>,
    #[serde(default)]
    file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNoise {
    cv: f64,
    #[serde(default)]
    interval: Option<Duration>,
}

const MAX_RATE: f64 = 1e12;

fn rate(r: f64, at: &Path) -> Result<f64, Error> {
    if !r.is_finite() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            "must be a finite number",
        ));
    }
    if r < 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!("a rate cannot be negative ({r}): load segments add arrivals per second"),
        ));
    }
    if r > MAX_RATE {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!("a rate may be at most {MAX_RATE:e} per second"),
        ));
    }
    Ok(r)
}

fn read_load(v: &Value, at: &Path, ctx: &Ctx<'_>) -> Result<Vec<Segment>, Error> {
    let Some(items) = v.as_array() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`load` is a list of segments (e.g. `[{constant: 20}, {step: {at: 30m, rate: 60}}]`)",
        ));
    };
    if items.is_empty() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            "give at least one load segment",
        ));
    }
    if items.len() > 10_000 {
        return Err(err(
            ErrorKind::Limit,
            at.clone(),
            "at most 10000 load segments",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = at.index(i);
        let Some(obj) = item.as_object().filter(|o| o.len() == 1) else {
            return Err(err(
                ErrorKind::Schema,
                at,
                format!(
                    "a load segment is a mapping with one key: {}",
                    SEGMENT_KINDS.join(", ")
                ),
            ));
        };
        let (kind, body) = obj.iter().next().expect("one entry");
        let b = at.child(kind);
        let seg = match kind.as_str() {
            "constant" => {
                let r: f64 = match body {
                    Value::Object(m) if m.contains_key("rate") => de(&m["rate"], &b.child("rate"))?,
                    _ => de(body, &b)?,
                };
                Segment::Constant(rate(r, &b)?)
            }
            "step" => {
                let s: RawStep = de(body, &b)?;
                Segment::Step {
                    at: s.at.as_secs_f64(),
                    rate: rate(s.rate, &b.child("rate"))?,
                }
            }
            "ramp" => {
                let s: RawRamp = de(body, &b)?;
                if s.to <= s.from {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("to"),
                        format!(
                            "a ramp ends after it starts: `to` ({}) must be later than `from` ({})",
                            secs_text(s.to.as_secs_f64()),
                            secs_text(s.from.as_secs_f64())
                        ),
                    ));
                }
                Segment::Ramp {
                    from: s.from.as_secs_f64(),
                    to: s.to.as_secs_f64(),
                    rate: rate(s.rate, &b.child("rate"))?,
                }
            }
            "spike" => {
                let s: RawSpike = de(body, &b)?;
                if s.length.as_secs_f64() <= 0.0 {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("for"),
                        "a spike lasts longer than 0",
                    ));
                }
                Segment::Spike {
                    at: s.at.as_secs_f64(),
                    length: s.length.as_secs_f64(),
                    rate: rate(s.rate, &b.child("rate"))?,
                }
            }
            "diurnal" => {
                let s: RawDiurnal = de(body, &b)?;
                let mean = rate(s.mean, &b.child("mean"))?;
                let amplitude = rate(s.amplitude, &b.child("amplitude"))?;
                if amplitude > mean {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("amplitude"),
                        format!(
                            "an amplitude of {amplitude} around a mean of {mean} makes the rate negative: \
                             keep amplitude ≤ mean"
                        ),
                    ));
                }
                let period = s.period.unwrap_or(Duration::from_secs(86400)).as_secs_f64();
                if period <= 0.0 {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("period"),
                        "must be greater than 0",
                    ));
                }
                Segment::Diurnal {
                    mean,
                    amplitude,
                    period,
                    peak_at: s.peak_at.map(|d| d.as_secs_f64()).unwrap_or(0.0),
                }
            }
            "trace" => {
                let s: RawTrace = de(body, &b)?;
                match (s.csv, s.file) {
                    (Some(text), None) => {
                        let p = b.child("csv");
                        Segment::Trace(
                            read_csv(&text, &p).map_err(|e| shift_embedded(e, &p, &text, ctx))?,
                        )
                    }
                    (None, Some(file)) => {
                        let p = b.child("file");
                        let Some(loader) = ctx.loader else {
                            return Err(err(
                                ErrorKind::Unsupported,
                                p,
                                "only the command line reads trace files: give the points inline with `csv:`",
                            ));
                        };
                        let text = loader(&file).map_err(|e| {
                            err(
                                ErrorKind::Invalid,
                                p.clone(),
                                format!("cannot read {file:?}: {e}"),
                            )
                        })?;
                        Segment::Trace(read_csv(&text, &p).map_err(|mut e| {
                            for pr in &mut e.problems {
                                if let Some(l) = pr.line.take() {
                                    pr.column = None;
                                    pr.message = format!("{file}:{l}: {}", pr.message);
                                }
                            }
                            e
                        })?)
                    }
                    _ => {
                        return Err(err(
                            ErrorKind::Schema,
                            b,
                            "a trace has `csv:` (the points as text) or `file:` (a CSV path), not both",
                        ));
                    }
                }
            }
            "noise" => {
                let s: RawNoise = de(body, &b)?;
                if !(s.cv.is_finite() && (0.0..=10.0).contains(&s.cv)) {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("cv"),
                        "a coefficient of variation is a number between 0 and 10",
                    ));
                }
                if s.interval.is_some_and(|d| d.as_secs_f64() <= 0.0) {
                    return Err(err(
                        ErrorKind::Invalid,
                        b.child("interval"),
                        "must be greater than 0",
                    ));
                }
                Segment::Noise {
                    cv: s.cv,
                    interval: s.interval.map(|d| d.as_secs_f64()),
                }
            }
            other => {
                return Err(err(
                    ErrorKind::Schema,
                    at.child(other),
                    format!(
                        "unknown load segment `{other}`: one of {}",
                        SEGMENT_KINDS.join(", ")
                    ),
                ));
            }
        };
        out.push(seg);
    }
    Ok(out)
}

/// Reads `t,rate` points (a header line is optional; `#` starts a comment;
/// `t` in seconds or with a unit). Errors carry the line in `text`.
fn read_csv(text: &str, at: &Path) -> Result<Vec<(f64, f64)>, Error> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    let line_err = |l: usize, msg: String| {
        let mut e = err(ErrorKind::Invalid, at.clone(), msg);
        e.problems[0].line = Some(l as u32);
        e.problems[0].column = Some(1);
        e
    };
    for (n, raw) in text.lines().enumerate() {
        let l = n + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut cols = line.split([',', ';', '\t']).map(str::trim);
        let (Some(a), Some(b)) = (cols.next(), cols.next()) else {
            return Err(line_err(
                l,
                format!("row {line:?}: expected two columns, `t,rate`"),
            ));
        };
        let t = a.parse::<f64>().ok().or_else(|| {
            serde_json::from_value::<Duration>(Value::String(a.to_string()))
                .ok()
                .map(Duration::as_secs_f64)
        });
        let r = b.parse::<f64>().ok();
        let (t, r) = match (t, r) {
            (Some(t), Some(r)) => (t, r),
            _ if points.is_empty() && l == first_content_line(text) => continue, // header
            _ => {
                return Err(line_err(
                    l,
                    format!("row {line:?}: `t` is seconds (or 5m, 1h) and `rate` a number"),
                ));
            }
        };
        if !t.is_finite() || t < 0.0 {
            return Err(line_err(l, format!("row {line:?}: `t` cannot be negative")));
        }
        if !r.is_finite() || r < 0.0 {
            return Err(line_err(
                l,
                format!("row {line:?}: a rate cannot be negative"),
            ));
        }
        if r > MAX_RATE {
            return Err(line_err(l, format!("row {line:?}: the rate is too large")));
        }
        if let Some(&(prev, _)) = points.last() {
            if t <= prev {
                return Err(line_err(
                    l,
                    format!("row {line:?}: times must increase (the previous row is at {prev})"),
                ));
            }
        }
        if points.len() >= MAX_TRACE_POINTS {
            return Err(line_err(
                l,
                format!("a trace holds at most {MAX_TRACE_POINTS} points"),
            ));
        }
        points.push((t, r));
    }
    if points.is_empty() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            "the trace has no points (`t,rate` rows)",
        ));
    }
    Ok(points)
}

fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
        .map(|p| p + 1)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifests() -> Value {
        json!([
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
             "spec": {"replicas": 2, "template": {"spec": {"containers": [
                {"name": "app", "resources": {"requests": {"cpu": "1"}}}]}}}},
            {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
             "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 10,
                      "metrics": [{"type": "Pods", "pods": {"metric": {"name": "q"},
                                   "target": {"type": "AverageValue", "averageValue": "5"}}}]}}
        ])
    }

    fn scenario(extra: Value) -> Value {
        let mut s = json!({"manifests": manifests(), "load": [{"constant": 10}],
                           "signals": {"q": "queuePerReplica"}});
        merge(&mut s, &extra);
        s
    }

    #[test]
    fn defaults_apply() {
        let s = from_value(&scenario(json!({}))).unwrap();
        assert_eq!(s.duration, Duration::from_secs(3600));
        assert_eq!(s.step, Duration::from_secs(1));
        assert_eq!(s.steps(), 3600);
        let v = &s.variants[0];
        assert_eq!(v.name, "default");
        assert_eq!(v.pipeline.hpa_sync, Duration::from_secs(15));
        assert_eq!(v.workload.cpu.busy, 1.0);
        assert_eq!(v.autoscalers.len(), 1);
    }

    #[test]
    fn bad_values_name_their_path() {
        let cases = [
            (json!({"step": 0}), "step"),
            (json!({"duration": "31d"}), "duration"),
            (json!({"load": [{"constant": -1}]}), "load[0].constant"),
            (
                json!({"load": [{"ramp": {"from": "2h", "to": "1h", "rate": 5}}]}),
                "load[0].ramp.to",
            ),
            (
                json!({"load": [{"step": {"at": "1m", "rate": -5}}]}),
                "load[0].step.rate",
            ),
            (json!({"load": [{"bogus": 1}]}), "load[0].bogus"),
            (json!({"signals": {"q": "nope"}}), "signals.q"),
            (
                json!({"workload": {"capacityPerReplica": 0}}),
                "workload.capacityPerReplica",
            ),
            (json!({"pipeline": {"hpaSync": 0}}), "pipeline.hpaSync"),
            (json!({"nodes": {"podsPerNode": 0}}), "nodes.podsPerNode"),
            (json!({"extra": 1}), "extra"),
        ];
        for (extra, path) in cases {
            let e = from_value(&scenario(extra.clone())).unwrap_err();
            assert_eq!(e.first().path, path, "{extra}: {e}");
        }
    }

    #[test]
    fn unmapped_metrics_are_named() {
        let mut s = scenario(json!({}));
        s["signals"] = json!({});
        let e = from_value(&s).unwrap_err();
        assert_eq!(
            e.first().path,
            "manifests[1].spec.metrics[0].pods.metric.name"
        );
        assert!(e.first().message.contains("`q`"), "{e}");
    }

    #[test]
    fn variants_override_and_are_attributed() {
        let s = from_value(&scenario(json!({"variants": [
            {"name": "a"},
            {"name": "b", "workload": {"capacityPerReplica": 20}}
        ]})))
        .unwrap();
        assert_eq!(s.variants.len(), 2);
        assert_eq!(s.variants[1].workload.capacity_per_replica, 20.0);
        assert_eq!(s.variants[0].workload.capacity_per_replica, 10.0);
        let e = from_value(&scenario(json!({"variants": [
            {"name": "a", "workload": {"capacityPerReplica": -2}}
        ]})))
        .unwrap_err();
        assert_eq!(e.first().path, "variants[0].workload.capacityPerReplica");
        let e =
            from_value(&scenario(json!({"variants": [{"name": "a", "load": []}]}))).unwrap_err();
        assert_eq!(e.first().path, "variants[0].load");
        let e = from_value(&scenario(
            json!({"variants": [{"name": "a"}, {"name": "a"}]}),
        ))
        .unwrap_err();
        assert_eq!(e.first().path, "variants[1].name");
    }

    #[test]
    fn csv_traces_are_read() {
        let p = read_csv("t,rate\n0,10\n1m,12 # comment\n\n120;5\n", &Path::root()).unwrap();
        assert_eq!(p, alloc::vec![(0.0, 10.0), (60.0, 12.0), (120.0, 5.0)]);
        let e = read_csv("t,rate\n0,10\n0,12\n", &Path::root()).unwrap_err();
        assert_eq!(e.first().line, Some(3));
        let e = read_csv("0,10\n5,-1\n", &Path::root()).unwrap_err();
        assert_eq!(e.first().line, Some(2));
    }

    #[test]
    fn keda_triggers_are_named() {
        let t = json!({"type": "aws-sqs-queue", "metadata": {"queueURL": "https://sqs/1/ml-jobs"}});
        assert_eq!(trigger_signal_name(&t).as_deref(), Some("ml-jobs"));
        let t = json!({"type": "prometheus", "metadata": {"metricName": "gpu_utilization"}});
        assert_eq!(trigger_signal_name(&t).as_deref(), Some("gpu_utilization"));
    }

    #[test]
    fn the_default_load_is_sized_and_bounded() {
        assert_eq!(round2(1234.0), 1200.0);
        assert_eq!(round2(0.456), 0.46);
        assert_eq!(round2(-1.0), 0.0);
        let mut s = scenario(json!({"workload": {"capacityPerReplica": 1e300}}));
        s.as_object_mut().unwrap().remove("load");
        let sc = from_value(&s).unwrap();
        let rates: Vec<f64> = sc
            .load
            .iter()
            .map(|seg| match seg {
                Segment::Constant(r) => *r,
                Segment::Ramp { rate, .. } | Segment::Spike { rate, .. } => *rate,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rates.len(), 3);
        assert!(
            rates.iter().all(|r| (0.0..=MAX_RATE).contains(r)),
            "{rates:?}"
        );
        assert_eq!(sc.variants[0].assumptions[0].path, "load");
    }

    #[test]
    fn secs_text_uses_units() {
        assert_eq!(secs_text(86400.0 * 31.0), "31d");
        assert_eq!(secs_text(5400.0), "90m");
        assert_eq!(secs_text(1.0), "1s");
    }
}
