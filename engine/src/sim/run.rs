//! One variant's run: the step loop, the work model, the metric pipelines
//! and the control loops.
//!
//! Each step `i` (time `t = i·step`):
//! 1. pods move on (bound, running, loaded, ready) and nodes arrive;
//! 2. metrics-server and Prometheus scrape what is there now;
//! 3. every control loop whose clock is due reconciles, and the ReplicaSet
//!    creates or removes pods at once;
//! 4. work flows for one step: arrivals join the queue, serving pods take
//!    what they can, http requests that would wait past the timeout drop;
//! 5. the timeline records a sample.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::load::{Curve, Rise};
use super::output::{
    Column, DecisionRecord, MetricColumn, Summary, TimeToCapacity, Timeline, VariantResult,
};
use super::pods::{Cohort, ColdStart, NodePool, Pods, materialize, set_state};
use super::scenario::{
    AutoscalerKind, Mode, SIGNALS, Scenario, Signal, Source, Variant, WorkloadModel,
};
use super::{Options, Trace};
use crate::case::MetricDecision;
use crate::horizontal::{self, Reconcile};
use crate::model::{Controller, History, PodSample, Reading, ScaleTarget};
use crate::model::{Phase, Pod};
use crate::quantity::{Format, Quantity};
use crate::spec::HorizontalPodAutoscaler;
use crate::time::{Duration, Instant};

/// Most timeline rows one variant keeps; a longer run is sampled coarser.
pub const MAX_ROWS: usize = 200_000;

const N: usize = SIGNALS.len();

fn ns(d: Duration) -> i64 {
    libm::round(d.as_secs_f64() * 1e9) as i64
}

fn ceil_div(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) == 0 { q } else { q + 1 }
}

fn quantity(v: f64) -> Quantity {
    let m = libm::round(v * 1000.0);
    let m = if m.is_finite() {
        m.clamp(-9.0e18, 9.0e18) as i64
    } else {
        0
    };
    Quantity::from_milli(m, Format::DecimalSi)
}

/// What the pipelines see at one instant: the aggregate of each signal and
/// the per-pod value of a pod in each state.
#[derive(Clone, Copy, Debug)]
struct Snapshot {
    idx: i64,
    agg: [f64; N],
    serving: [f64; N],
    loading: [f64; N],
    idle: [f64; N],
}

impl Snapshot {
    /// A cohort's per-pod value at the snapshot; `None` when it was not
    /// running yet.
    fn per_pod(&self, c: &Cohort, s: Signal) -> Option<f64> {
        let t = &c.t;
        let k = s.index();
        if t.serve <= self.idx {
            Some(self.serving[k])
        } else if t.loaded <= self.idx {
            Some(self.idle[k])
        } else if t.run <= self.idx {
            Some(self.loading[k])
        } else {
            None
        }
    }
}

/// The work model's state after a step.
#[derive(Clone, Copy, Debug, Default)]
struct Work {
    /// Items waiting (at the pods, or in the broker).
    queue: f64,
    /// Busy fraction of the serving pods.
    busy: f64,
    lat50: f64,
    lat95: f64,
    /// Items in progress.
    inflight: f64,
    served: f64,
    dropped: f64,
}

fn flow(w: &WorkloadModel, prev: &Work, lambda: f64, serving: u64, dt: f64) -> Work {
    let mu = w.capacity_per_replica;
    let cap_rate = serving as f64 * mu;
    let arrivals = lambda * dt;
    let mut out = Work {
        queue: prev.queue + arrivals,
        ..Work::default()
    };
    if cap_rate <= 0.0 {
        if w.mode == Mode::Http {
            // No ready endpoint: requests fail at once.
            out.dropped = out.queue;
            out.queue = 0.0;
        }
        out.lat50 = if out.queue > 0.0 || arrivals > 0.0 {
            f64::NAN
        } else {
            0.0
        };
        out.lat95 = out.lat50;
        return out;
    }
    let served = out.queue.min(cap_rate * dt);
    out.queue -= served;
    out.served = served;
    if w.mode == Mode::Http {
        let max_queue = cap_rate * w.timeout.as_secs_f64();
        if out.queue > max_queue {
            out.dropped = out.queue - max_queue;
            out.queue = max_queue;
        }
    }
    out.busy = served / (cap_rate * dt);
    // Per-pod M/M/1 sojourn (rate μ(1-ρ), ρ capped at 0.95) behind the
    // fluid backlog.
    let rho = out.busy.min(0.95);
    let base = 1.0 / (mu * (1.0 - rho));
    let wait = out.queue / cap_rate;
    out.lat50 = wait + core::f64::consts::LN_2 * base;
    out.lat95 = wait + 2.995_732_273_553_991 * base;
    let processing = served / dt / mu;
    out.inflight = processing + if w.mode == Mode::Http { out.queue } else { 0.0 };
    out
}

fn snapshot(
    idx: i64,
    w: &WorkloadModel,
    work: &Work,
    lambda: f64,
    c: &super::pods::Counts,
) -> Snapshot {
    let mut snap = Snapshot {
        idx,
        agg: [0.0; N],
        serving: [0.0; N],
        loading: [0.0; N],
        idle: [0.0; N],
    };
    let ns = c.serving as f64;
    let per = |x: f64| if c.serving > 0 { x / ns } else { 0.0 };
    let latency = if work.lat95.is_finite() {
        work.lat95
    } else {
        w.timeout.as_secs_f64()
    };
    // In queue mode the broker holds waiting and unacknowledged messages.
    let broker = if w.mode == Mode::Queue {
        work.queue + work.inflight
    } else {
        work.queue
    };
    let cpu_s = w.cpu.at(work.busy);
    let mem_s = w.memory.at(work.busy);
    let gpu_s = w.gpu.at(work.busy);
    let set = |a: &mut [f64; N], cpu: f64, mem: f64, gpu: f64, share: bool| {
        a[Signal::Cpu.index()] = cpu;
        a[Signal::Memory.index()] = mem;
        a[Signal::Gpu.index()] = gpu;
        a[Signal::Queue.index()] = if share { per(broker) } else { 0.0 };
        a[Signal::QueuePerReplica.index()] = a[Signal::Queue.index()];
        a[Signal::ArrivalRate.index()] = if share { per(lambda) } else { 0.0 };
        a[Signal::Inflight.index()] = if share { per(work.inflight) } else { 0.0 };
        a[Signal::Latency.index()] = latency;
        a[Signal::Replicas.index()] = c.exists as f64;
        a[Signal::ReadyReplicas.index()] = c.ready as f64;
    };
    set(&mut snap.serving, cpu_s, mem_s, gpu_s, true);
    set(
        &mut snap.loading,
        w.cpu_startup,
        w.memory.idle,
        w.gpu.idle,
        false,
    );
    set(&mut snap.idle, w.cpu.idle, w.memory.idle, w.gpu.idle, false);
    let running = (c.serving + c.loading + c.idle) as f64;
    let mean = |k: usize| {
        if running > 0.0 {
            (snap.serving[k] * c.serving as f64
                + snap.loading[k] * c.loading as f64
                + snap.idle[k] * c.idle as f64)
                / running
        } else {
            0.0
        }
    };
    for s in [Signal::Cpu, Signal::Memory, Signal::Gpu] {
        snap.agg[s.index()] = mean(s.index());
    }
    snap.agg[Signal::Queue.index()] = broker;
    snap.agg[Signal::QueuePerReplica.index()] = broker / (c.serving.max(1) as f64);
    snap.agg[Signal::ArrivalRate.index()] = lambda;
    snap.agg[Signal::Inflight.index()] = work.inflight;
    snap.agg[Signal::Latency.index()] = latency;
    snap.agg[Signal::Replicas.index()] = c.exists as f64;
    snap.agg[Signal::ReadyReplicas.index()] = c.ready as f64;
    snap
}

/// metrics-server: per-pod samples at its resolution; CPU averaged over its
/// window from a running prefix sum of the serving pods' usage.
struct MetricsServer {
    used: bool,
    next_ns: i64,
    res_ns: i64,
    res_steps: i64,
    window_steps: i64,
    window: Duration,
    ring: Vec<f64>,
    latest: Option<Snapshot>,
}

impl MetricsServer {
    fn prefix(&self, j: i64) -> f64 {
        self.ring[j.rem_euclid(self.ring.len() as i64) as usize]
    }

    fn set_prefix(&mut self, j: i64, v: f64) {
        let r = self.ring.len() as i64;
        self.ring[j.rem_euclid(r) as usize] = v;
    }

    /// A cohort's mean CPU (cores) over the window ending at scrape `s`,
    /// and the window's length in steps.
    fn cpu(&self, c: &Cohort, s: i64, w: &WorkloadModel) -> (f64, i64) {
        let t = &c.t;
        let start = (s - self.window_steps).max(t.run);
        let len = (s - start).max(1);
        let overlap = |a: i64, b: i64| (b.min(s) - a.max(start)).max(0) as f64;
        let mut sum =
            w.cpu_startup * overlap(t.run, t.loaded) + w.cpu.idle * overlap(t.loaded, t.serve);
        if t.serve < s {
            sum += self.prefix(s) - self.prefix(t.serve.max(start));
        }
        (sum / len as f64, len)
    }
}

/// Prometheus: snapshots at its scrape interval, visible after its lag.
struct Prometheus {
    used: bool,
    next_ns: i64,
    scrape_ns: i64,
    lag_steps: i64,
    pending: VecDeque<(i64, Snapshot)>,
    visible: Option<Snapshot>,
}

impl Prometheus {
    fn settle(&mut self, i: i64) {
        while let Some((avail, _)) = self.pending.front() {
            if *avail > i {
                break;
            }
            self.visible = self.pending.pop_front().map(|(_, s)| s);
        }
    }
}

/// Each step's aggregate signals, kept as far back as the stalest live
/// scaler reads (`pipeline.scalers`, [`super::freshness`]).
struct LiveSignals {
    used: bool,
    ring: Vec<[f64; N]>,
}

impl LiveSignals {
    /// Records step `i`; step 0 also stands for the steady state before it.
    fn record(&mut self, i: i64, agg: &[f64; N]) {
        if i == 0 {
            self.ring.fill(*agg);
        } else {
            let r = self.ring.len() as i64;
            self.ring[i.rem_euclid(r) as usize] = *agg;
        }
    }

    /// The aggregates of step `j` (before the run: step 0's).
    fn at(&self, j: i64) -> &[f64; N] {
        &self.ring[j.max(0).rem_euclid(self.ring.len() as i64) as usize]
    }
}

/// The pod list the HPA's lister returns, one entry per cohort (`count`
/// pods named `<prefix>-<first serial>-<k>` once a case expands them; the
/// calculator reads a cohort in one step). Refreshed only when pods
/// changed, and then in place: cohorts that are gone are dropped,
/// survivors get their state and count updated, new ones are appended
/// (serials only grow), so a refresh allocates only for new cohorts.
struct PodList {
    version: u64,
    pods: Vec<Pod>,
    serials: Vec<u64>,
    template: Pod,
    prefix: String,
}

impl PodList {
    fn refresh(&mut self, pods: &Pods, now: i64, at: &impl Fn(i64) -> Instant) {
        if self.version == pods.version() {
            return;
        }
        self.version = pods.version();
        let cohorts = pods.cohorts();
        let mut ci = 0;
        let mut w = 0;
        for r in 0..self.pods.len() {
            let s = self.serials[r];
            while ci < cohorts.len() && cohorts[ci].first < s {
                ci += 1;
            }
            if ci < cohorts.len() && cohorts[ci].first == s {
                if w != r {
                    self.pods.swap(w, r);
                    self.serials.swap(w, r);
                }
                set_state(&mut self.pods[w], &cohorts[ci], now, at);
                self.pods[w].count = Some(cohorts[ci].count);
                w += 1;
            }
        }
        self.pods.truncate(w);
        self.serials.truncate(w);
        let aligned =
            cohorts.len() >= w && self.serials.iter().zip(cohorts).all(|(s, c)| *s == c.first);
        if !aligned {
            // Not the shape incremental updates assume: rebuild.
            self.pods.clear();
            self.serials.clear();
        }
        for c in &cohorts[self.pods.len()..] {
            let name = format!("{}-{:06}", self.prefix, c.first);
            let mut p = materialize(c, now, at, &self.template, name);
            p.count = Some(c.count);
            self.pods.push(p);
            self.serials.push(c.first);
        }
    }
}

/// Readings as a case states them: a cohort's one sample under each of its
/// pods' names (`<cohort>-0`, `<cohort>-1`, ...), as the case reader
/// expands the cohort.
fn expanded_readings(readings: &[Reading], pods: &[Pod]) -> Vec<Reading> {
    let counts: BTreeMap<&str, u32> = pods
        .iter()
        .filter_map(|p| p.count.map(|n| (p.name.as_str(), n)))
        .collect();
    readings
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if let Some(values) = r.pod_values.take() {
                let mut out = BTreeMap::new();
                for (name, sample) in values {
                    match counts.get(name.as_str()) {
                        Some(&n) => {
                            for k in 0..n {
                                out.insert(format!("{name}-{k}"), sample.clone());
                            }
                        }
                        None => {
                            out.insert(name, sample);
                        }
                    }
                }
                r.pod_values = Some(out);
            }
            r
        })
        .collect()
}

/// A control loop on its own clock. A KEDA loop (the operator every
/// `pollingInterval`, its HPA every `hpaSync`) becomes a variant here.
enum Loop<'v> {
    Hpa(alloc::boxed::Box<HpaLoop<'v>>),
    Keda(alloc::boxed::Box<KedaLoop<'v>>),
}

struct HpaLoop<'v> {
    name: &'v str,
    hpa: &'v HorizontalPodAutoscaler,
    raw: &'v Value,
    sources: &'v [Source],
    history: Option<History>,
    next_ns: i64,
    period_ns: i64,
    readings: Vec<Reading>,
    keys: Vec<SampleKey>,
    seen: Vec<f64>,
    reconciles: usize,
}

/// What a loop reads and writes at one sync.
struct SyncCtx<'a, 'o> {
    i: i64,
    t_ns: i64,
    step_s: f64,
    /// The wall clock at t = 0 (the scenario's `start`).
    start: Instant,
    pods: &'a Pods,
    list: &'a mut PodList,
    ms: &'a MetricsServer,
    prom: &'a Prometheus,
    live: &'a LiveSignals,
    w: &'a WorkloadModel,
    controller: &'a Controller,
    spec_replicas: &'a mut i32,
    decisions: &'a mut Vec<DecisionRecord>,
    trace: Option<&'a mut (dyn FnMut(Trace<'_>) + 'o)>,
    variant: &'a str,
}

/// Which pods a per-pod reading held the last time, so that the next one can
/// update its values in place instead of rebuilding the map.
#[derive(Clone, Debug, Default, PartialEq)]
struct SampleKey {
    version: u64,
    mask: Vec<bool>,
    /// The samples being read, kept so that a sync allocates nothing.
    scratch: Vec<Option<PodSample>>,
}

/// Serials stay below this, so pod names sort in creation order.
const ORDERED_SERIALS: u64 = 1_000_000;

/// Fills a per-pod reading from one sample per cohort (`None`: no sample),
/// keyed by the cohort's name in the pod list.
fn fill_pod_reading(
    cx: &SyncCtx<'_, '_>,
    prev: &mut Reading,
    key: &mut SampleKey,
    samples: &[Option<PodSample>],
) {
    let cohorts = cx.pods.cohorts();
    let ordered = cohorts.last().is_none_or(|c| c.first < ORDERED_SERIALS);
    let same = ordered
        && key.version == cx.list.version
        && key.mask.len() == samples.len()
        && key.mask.iter().zip(samples).all(|(m, s)| *m == s.is_some());
    match prev.pod_values.as_mut() {
        Some(map) if same => {
            // Names sort in cohort order: the map's values are the samples.
            for (slot, s) in map.values_mut().zip(samples.iter().flatten()) {
                slot.clone_from(s);
            }
        }
        _ => {
            let mut map = BTreeMap::new();
            for (p, s) in cx.list.pods.iter().zip(samples) {
                if let Some(s) = s {
                    map.insert(p.name.clone(), s.clone());
                }
            }
            prev.pod_values = Some(map);
            key.version = cx.list.version;
            key.mask.clear();
            key.mask.extend(samples.iter().map(Option::is_some));
        }
    }
    prev.value = None;
    prev.values = None;
    prev.error = None;
}

/// Step `j`'s instant on the wall clock: `start + j × step`.
fn wall(start: Instant, step_s: f64) -> impl Fn(i64) -> Instant {
    move |j| start + Duration::from_secs_f64(j as f64 * step_s)
}

/// What the metrics APIs answer for one source at this sync, written over
/// the previous reading of that source. `lag`: a KEDA scaler that reads its
/// source live, that many steps late (`None`: through Prometheus).
fn read_source(
    src: &Source,
    lag: Option<i64>,
    cx: &SyncCtx<'_, '_>,
    prev: &mut Reading,
    key: &mut SampleKey,
) {
    let at = wall(cx.start, cx.step_s);
    let fail = |prev: &mut Reading, msg: &str| {
        *prev = Reading {
            error: Some(String::from(msg)),
            ..Reading::default()
        };
    };
    match *src {
        Source::MetricsServer(sig) => {
            let Some(snap) = &cx.ms.latest else {
                return fail(prev, "no metrics returned from resource metrics API");
            };
            let s = snap.idx;
            let mut samples = core::mem::take(&mut key.scratch);
            samples.clear();
            samples.extend(cx.pods.cohorts().iter().map(|c| {
                (c.t.run <= s - cx.ms.res_steps).then(|| {
                    let (v, len) = if sig == Signal::Cpu {
                        cx.ms.cpu(c, s, cx.w)
                    } else {
                        (snap.per_pod(c, sig).unwrap_or(0.0), cx.ms.window_steps)
                    };
                    PodSample {
                        value: quantity(v),
                        timestamp: None,
                        window: (len != cx.ms.window_steps)
                            .then(|| Duration::from_secs_f64(len as f64 * cx.step_s)),
                    }
                })
            }));
            fill_pod_reading(cx, prev, key, &samples);
            key.scratch = samples;
            prev.timestamp = Some(at(s));
            prev.window = Some(cx.ms.window);
        }
        Source::PodsMetric(sig) => {
            let Some(snap) = &cx.prom.visible else {
                return fail(prev, "no metrics returned from custom metrics API");
            };
            let mut samples = core::mem::take(&mut key.scratch);
            samples.clear();
            samples.extend(cx.pods.cohorts().iter().map(|c| {
                snap.per_pod(c, sig).map(|v| PodSample {
                    value: quantity(v),
                    timestamp: None,
                    window: None,
                })
            }));
            fill_pod_reading(cx, prev, key, &samples);
            key.scratch = samples;
            prev.timestamp = Some(at(snap.idx));
            prev.window = None;
        }
        Source::Scaler(sig) if lag.is_some() => {
            let j = (cx.i - lag.unwrap_or(0)).max(0);
            *prev = Reading {
                value: Some(quantity(cx.live.at(j)[sig.index()])),
                timestamp: Some(at(j)),
                ..Reading::default()
            };
        }
        Source::ObjectMetric(sig) | Source::ExternalMetric(sig) | Source::Scaler(sig) => {
            let Some(snap) = &cx.prom.visible else {
                return fail(prev, "no metrics returned from external metrics API");
            };
            let v = quantity(snap.agg[sig.index()]);
            *prev = if matches!(src, Source::ExternalMetric(_)) {
                Reading {
                    values: Some(alloc::vec![v]),
                    timestamp: Some(at(snap.idx)),
                    ..Reading::default()
                }
            } else {
                Reading {
                    value: Some(v),
                    timestamp: Some(at(snap.idx)),
                    ..Reading::default()
                }
            };
        }
    }
}

/// Reads every source into `readings` (one per source); `lags` as
/// [`read_source`] takes them, one per source (empty: none live).
fn read_all(
    sources: &[Source],
    lags: &[Option<i64>],
    cx: &SyncCtx<'_, '_>,
    readings: &mut Vec<Reading>,
    keys: &mut Vec<SampleKey>,
) {
    readings.resize_with(sources.len(), Reading::default);
    keys.resize_with(sources.len(), SampleKey::default);
    for (k, ((src, r), key)) in sources
        .iter()
        .zip(readings.iter_mut())
        .zip(keys.iter_mut())
        .enumerate()
    {
        read_source(src, lags.get(k).copied().flatten(), cx, r, key);
    }
}

impl HpaLoop<'_> {
    fn sync(&mut self, cx: &mut SyncCtx<'_, '_>) {
        let at = wall(cx.start, cx.step_s);
        cx.list.refresh(cx.pods, cx.i, &at);
        read_all(self.sources, &[], cx, &mut self.readings, &mut self.keys);
        let current = *cx.spec_replicas;
        let target = ScaleTarget {
            replicas: current,
            status_replicas: Some(cx.pods.counts().exists as i32),
        };
        let now = at(cx.i);
        let outcome = horizontal::reconcile(&Reconcile {
            now,
            hpa: self.hpa,
            target,
            pods: &cx.list.pods,
            readings: &self.readings,
            history: self.history.as_ref(),
            controller: cx.controller,
        });
        self.reconciles += 1;
        for (k, seen) in self.seen.iter_mut().enumerate() {
            *seen = match outcome.metrics.get(k) {
                Some(m) => match (m.utilization, &m.value, &m.error) {
                    (_, _, Some(_)) => f64::NAN,
                    (Some(u), _, _) => f64::from(u),
                    (None, Some(v), _) => v.as_approximate_f64(),
                    _ => f64::NAN,
                },
                None => f64::NAN,
            };
        }
        let changed = outcome.desired_replicas != current;
        if changed || cx.trace.is_some() {
            let metrics: Vec<MetricDecision> = outcome
                .metrics
                .iter()
                .cloned()
                .map(MetricDecision::from)
                .collect();
            if let Some(trace) = cx.trace.as_mut() {
                let mut case = json!({
                    "now": now,
                    "hpa": self.raw,
                    "target": target,
                    "pods": cx.list.pods,
                    "metrics": expanded_readings(&self.readings, &cx.list.pods),
                    "controller": cx.controller,
                    "expect": {
                        "desiredReplicas": outcome.desired_replicas,
                        "metrics": metrics,
                        "conditions": outcome.conditions,
                        "history": outcome.history,
                    },
                });
                if let Some(h) = &self.history {
                    case["history"] = serde_json::to_value(h).unwrap_or(Value::Null);
                }
                trace(Trace {
                    variant: cx.variant,
                    autoscaler: self.name,
                    index: self.reconciles - 1,
                    time: cx.i as f64 * cx.step_s,
                    case,
                });
            }
            if changed {
                cx.decisions.push(DecisionRecord {
                    time: cx.i as f64 * cx.step_s,
                    autoscaler: String::from(self.name),
                    replicas: current,
                    desired_replicas: outcome.desired_replicas,
                    explanation: crate::explain::hpa(&self.hpa.spec, current, &outcome),
                    metrics,
                    conditions: outcome.conditions.clone(),
                });
                *cx.spec_replicas = outcome.desired_replicas;
            }
        }
        self.history = Some(outcome.history);
    }
}

/// A ScaledObject: KEDA's operator polls every `pollingInterval`; the HPA it
/// owns syncs every `hpaSync`. When both are due at once the step is one
/// KEDA evaluation (`keda::reconcile`: the poll, then the owned HPA unless
/// the operator wrote the count), exactly the eval case. A poll alone
/// applies only the operator's writes and state; an HPA sync alone is the
/// generated HPA's reconcile on what KEDA's metrics adapter serves.
struct KedaLoop<'v> {
    name: &'v str,
    so: &'v crate::keda::ScaledObject,
    raw: &'v Value,
    sources: &'v [Source],
    scalers: Vec<crate::keda::Scaler>,
    generated: HorizontalPodAutoscaler,
    generated_raw: Value,
    state: crate::model::KedaState,
    history: Option<History>,
    poll_next_ns: i64,
    poll_ns: i64,
    hpa_next_ns: i64,
    hpa_ns: i64,
    readings: Vec<Reading>,
    keys: Vec<SampleKey>,
    /// Per trigger: steps its live scaler reads late (`None`: Prometheus).
    lags: Vec<Option<i64>>,
    /// Per trigger: `useCachedMetrics`.
    cached: Vec<bool>,
    /// The last poll's readings, which cached triggers serve the HPA.
    polled: Vec<Reading>,
    /// Per trigger: the seen column is per replica (an AverageValue
    /// target, compared per replica as the HPA does).
    per_replica: Vec<bool>,
    seen: Vec<f64>,
    reconciles: usize,
}

impl<'v> KedaLoop<'v> {
    fn new(
        name: &'v str,
        so: &'v crate::keda::ScaledObject,
        raw: &'v Value,
        sources: &'v [Source],
        hpa_ns: i64,
        timings: &[super::freshness::Timing],
        step_ns: i64,
    ) -> KedaLoop<'v> {
        let lags = timings
            .iter()
            .map(|t| match t.reads {
                super::freshness::Reads::Prometheus => None,
                super::freshness::Reads::Live(lag) => Some(ceil_div(ns(lag), step_ns)),
            })
            .collect();
        let per_replica = so
            .spec
            .triggers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                !t.is_resource()
                    && so.modifiers().is_none()
                    && crate::keda::scalers::describe(t, i)
                        .is_ok_and(|s| s.metric_type == "AverageValue")
            })
            .collect();
        let scalers = crate::keda::scalers_of(so);
        let generated = crate::keda::generated_hpa(so, &scalers);
        let generated_raw = serde_json::to_value(&generated).unwrap_or(Value::Null);
        KedaLoop {
            name,
            so,
            raw,
            sources,
            scalers,
            generated,
            generated_raw,
            state: crate::model::KedaState::default(),
            history: None,
            poll_next_ns: 0,
            poll_ns: i64::from(so.polling_interval().max(1)) * 1_000_000_000,
            hpa_next_ns: 0,
            hpa_ns,
            readings: Vec::new(),
            keys: Vec::new(),
            lags,
            cached: timings.iter().map(|t| t.cached).collect(),
            polled: Vec::new(),
            per_replica,
            seen: alloc::vec![f64::NAN; sources.len()],
            reconciles: 0,
        }
    }

    fn paused(&self) -> bool {
        self.so.paused() || self.so.paused_replicas().is_some()
    }

    fn sync(&mut self, cx: &mut SyncCtx<'_, '_>) {
        let at = wall(cx.start, cx.step_s);
        cx.list.refresh(cx.pods, cx.i, &at);
        let mut readings = core::mem::take(&mut self.readings);
        read_all(self.sources, &self.lags, cx, &mut readings, &mut self.keys);
        // KEDA's metrics adapter answers a cached trigger from the last poll
        // (`GetScaledObjectMetrics`: `scaledObjectsMetricCache.ReadRecord`).
        if cx.t_ns >= self.poll_next_ns {
            self.polled.clone_from(&readings);
        } else {
            for ((r, p), cached) in readings.iter_mut().zip(&self.polled).zip(&self.cached) {
                if *cached {
                    r.clone_from(p);
                }
            }
        }
        self.sync_with(cx, &readings);
        self.readings = readings;
    }

    fn sync_with(&mut self, cx: &mut SyncCtx<'_, '_>, readings: &[Reading]) {
        let poll = cx.t_ns >= self.poll_next_ns;
        let hpa = cx.t_ns >= self.hpa_next_ns;
        while self.poll_next_ns <= cx.t_ns {
            self.poll_next_ns += self.poll_ns;
        }
        while self.hpa_next_ns <= cx.t_ns {
            self.hpa_next_ns += self.hpa_ns;
        }
        let at = wall(cx.start, cx.step_s);
        let current = *cx.spec_replicas;
        let target = ScaleTarget {
            replicas: current,
            status_replicas: Some(cx.pods.counts().exists as i32),
        };
        let now = at(cx.i);
        // As the HPA compares it with the target: an AverageValue per
        // replica that exists (`GetExternalPerPodMetricReplicas` divides by
        // the status replicas; at zero, per the one replica activation makes).
        let per = cx.pods.counts().exists.max(1) as f64;
        for ((seen, r), per_replica) in self.seen.iter_mut().zip(readings).zip(&self.per_replica) {
            if let Some(v) = r
                .value
                .or_else(|| r.values.as_ref().and_then(|v| v.first().copied()))
            {
                let v = v.as_approximate_f64();
                *seen = if *per_replica { v / per } else { v };
            }
        }
        if poll {
            let outcome = crate::keda::reconcile(&crate::keda::KedaReconcile {
                now,
                so: self.so,
                target,
                pods: &cx.list.pods,
                readings,
                state: &self.state,
                history: self.history.as_ref(),
                controller: cx.controller,
            });
            self.reconciles += 1;
            let wrote = matches!(outcome.action, crate::keda::OperatorAction::Wrote(_));
            let hpa_ran = outcome.hpa.is_some();
            // A poll whose HPA half ran off the HPA's clock is the operator alone.
            let applies = wrote || !hpa_ran || hpa;
            if applies {
                self.resource_seen(outcome.hpa.as_ref());
                let metrics: Vec<MetricDecision> = outcome
                    .metrics
                    .iter()
                    .cloned()
                    .map(MetricDecision::from)
                    .collect();
                if let Some(trace) = cx.trace.as_mut() {
                    let mut case = json!({
                        "now": now,
                        "scaledObject": self.raw,
                        "target": target,
                        "pods": cx.list.pods,
                        "triggers": expanded_readings(readings, &cx.list.pods),
                        "keda": self.state,
                        "controller": cx.controller,
                        "expect": {
                            "desiredReplicas": outcome.desired_replicas,
                            "active": outcome.active,
                            "metrics": metrics,
                            "conditions": outcome.conditions,
                            "history": outcome.history,
                        },
                    });
                    if let Some(h) = &self.history {
                        case["history"] = serde_json::to_value(h).unwrap_or(Value::Null);
                    }
                    trace(Trace {
                        variant: cx.variant,
                        autoscaler: self.name,
                        index: self.reconciles - 1,
                        time: cx.i as f64 * cx.step_s,
                        case,
                    });
                }
                if outcome.desired_replicas != current {
                    cx.decisions.push(DecisionRecord {
                        time: cx.i as f64 * cx.step_s,
                        autoscaler: String::from(self.name),
                        replicas: current,
                        desired_replicas: outcome.desired_replicas,
                        explanation: crate::explain::keda(self.so, current, readings, &outcome),
                        metrics,
                        conditions: outcome.conditions.clone(),
                    });
                    *cx.spec_replicas = outcome.desired_replicas;
                }
                if hpa_ran {
                    let mut h = outcome.history.clone();
                    h.keda = None;
                    self.history = Some(h);
                }
            }
            self.state = outcome.history.keda.unwrap_or_default();
            return;
        }
        if !hpa || self.paused() {
            return;
        }
        // What KEDA's metrics adapter serves the owned HPA between polls.
        let adapter = crate::keda::scalers_state(
            &crate::keda::KedaReconcile {
                now,
                so: self.so,
                target,
                pods: &cx.list.pods,
                readings,
                state: &self.state,
                history: self.history.as_ref(),
                controller: cx.controller,
            },
            &self.scalers,
        );
        let hpa_readings = adapter.hpa_readings(readings);
        let outcome = horizontal::reconcile(&Reconcile {
            now,
            hpa: &self.generated,
            target,
            pods: &cx.list.pods,
            readings: &hpa_readings,
            history: self.history.as_ref(),
            controller: cx.controller,
        });
        self.reconciles += 1;
        self.resource_seen(Some(&outcome));
        let changed = outcome.desired_replicas != current;
        if changed || cx.trace.is_some() {
            let metrics: Vec<MetricDecision> = outcome
                .metrics
                .iter()
                .cloned()
                .map(MetricDecision::from)
                .collect();
            if let Some(trace) = cx.trace.as_mut() {
                let mut case = json!({
                    "now": now,
                    "hpa": self.generated_raw,
                    "target": target,
                    "pods": cx.list.pods,
                    "metrics": expanded_readings(&hpa_readings, &cx.list.pods),
                    "controller": cx.controller,
                    "expect": {
                        "desiredReplicas": outcome.desired_replicas,
                        "metrics": metrics,
                        "conditions": outcome.conditions,
                        "history": outcome.history,
                    },
                });
                if let Some(h) = &self.history {
                    case["history"] = serde_json::to_value(h).unwrap_or(Value::Null);
                }
                trace(Trace {
                    variant: cx.variant,
                    autoscaler: &self.generated.metadata.name,
                    index: self.reconciles - 1,
                    time: cx.i as f64 * cx.step_s,
                    case,
                });
            }
            if changed {
                cx.decisions.push(DecisionRecord {
                    time: cx.i as f64 * cx.step_s,
                    autoscaler: self.generated.metadata.name.clone(),
                    replicas: current,
                    desired_replicas: outcome.desired_replicas,
                    explanation: crate::explain::hpa(&self.generated.spec, current, &outcome),
                    metrics,
                    conditions: outcome.conditions.clone(),
                });
                *cx.spec_replicas = outcome.desired_replicas;
            }
        }
        self.history = Some(outcome.history);
    }

    /// cpu/memory triggers show what the owned HPA computed.
    fn resource_seen(&mut self, outcome: Option<&crate::horizontal::Outcome>) {
        let Some(o) = outcome else { return };
        let ts = &self.so.spec.triggers;
        let externals = if self.so.modifiers().is_some() {
            1
        } else {
            ts.iter().filter(|t| !t.is_resource()).count()
        };
        let mut k = externals;
        for (i, t) in ts.iter().enumerate() {
            if t.is_resource() {
                if let Some(m) = o.metrics.get(k) {
                    self.seen[i] = match (m.utilization, &m.value) {
                        (Some(u), _) => f64::from(u),
                        (None, Some(v)) => v.as_approximate_f64(),
                        _ => f64::NAN,
                    };
                }
                k += 1;
            }
        }
    }
}

impl Loop<'_> {
    fn next_ns(&self) -> i64 {
        match self {
            Loop::Hpa(h) => h.next_ns,
            Loop::Keda(k) => k.poll_next_ns.min(k.hpa_next_ns),
        }
    }

    fn run(&mut self, cx: &mut SyncCtx<'_, '_>) {
        match self {
            Loop::Hpa(h) => {
                h.sync(cx);
                while h.next_ns <= cx.t_ns {
                    h.next_ns += h.period_ns;
                }
            }
            Loop::Keda(k) => k.sync(cx),
        }
    }

    fn seen(&self) -> &[f64] {
        match self {
            Loop::Hpa(h) => &h.seen,
            Loop::Keda(k) => &k.seen,
        }
    }

    fn reconciles(&self) -> usize {
        match self {
            Loop::Hpa(h) => h.reconciles,
            Loop::Keda(k) => k.reconciles,
        }
    }
}

/// Columns every timeline has, in order.
const BASE_COLUMNS: [&str; 11] = [
    "t",
    "arrivalRate",
    "desiredReplicas",
    "replicas",
    "readyReplicas",
    "queue",
    "latencyP50",
    "latencyP95",
    "dropped",
    "cpu",
    "gpu",
];

struct Rises<'a> {
    all: &'a [Rise],
    next: usize,
    active: Vec<usize>,
    min_to: f64,
    out: Vec<TimeToCapacity>,
}

impl Rises<'_> {
    fn step(&mut self, t: f64, capacity: f64) {
        while self.next < self.all.len() && self.all[self.next].at <= t {
            let r = self.next;
            self.next += 1;
            self.active.push(r);
            self.min_to = self.min_to.min(self.all[r].to);
        }
        if capacity + 1e-9 < self.min_to {
            return;
        }
        let (all, out) = (self.all, &mut self.out);
        self.active.retain(|&r| {
            if capacity + 1e-9 >= all[r].to {
                out[r].seconds = Some(t - all[r].at);
                false
            } else {
                true
            }
        });
        self.min_to = self
            .active
            .iter()
            .map(|&r| all[r].to)
            .fold(f64::INFINITY, f64::min);
    }
}

/// Runs one variant over the shared load curve.
pub(crate) fn run_variant(
    sc: &Scenario,
    v: &Variant,
    curve: &Curve,
    opts: &mut Options<'_>,
) -> VariantResult {
    let step_ns = ns(sc.step).max(1);
    let dt = sc.step.as_secs_f64();
    let steps = curve.rate.len();
    let w = &v.workload;
    let mut warnings = v.warnings.clone();

    let cold = ColdStart {
        step_ns,
        schedule_ns: ns(w.schedule),
        pull_ns: ns(w.pull),
        load_ns: ns(w.load),
        probes: v.target.readiness.clone(),
    };
    let initial = v.target.replicas.max(0) as u32;
    let pool = v.nodes.map(|n| {
        NodePool::new(
            n.pods_per_node,
            ceil_div(ns(n.provision), step_ns),
            n.warm,
            n.max,
            u64::from(initial),
        )
    });
    let mut pods = Pods::new(initial, cold, pool);
    let mut spec_replicas = v.target.replicas;

    // The loops and what they read.
    let mut loops: Vec<Loop<'_>> = Vec::new();
    let mut metric_columns = Vec::new();
    let (mut uses_ms, mut uses_prom, mut uses_live) = (false, false, false);
    let mut live_lag = 0i64;
    for a in &v.autoscalers {
        match &a.kind {
            AutoscalerKind::Hpa { hpa, raw, sources } => {
                for (k, (spec, src)) in hpa.spec.metrics.iter().zip(sources).enumerate() {
                    match src {
                        Source::MetricsServer(_) => uses_ms = true,
                        _ => uses_prom = true,
                    }
                    let metric = crate::explain::metric_name(spec);
                    let target = spec
                        .resource
                        .as_ref()
                        .map(|r| &r.target)
                        .or(spec.container_resource.as_ref().map(|r| &r.target))
                        .or(spec.pods.as_ref().map(|r| &r.target))
                        .or(spec.object.as_ref().map(|r| &r.target))
                        .or(spec.external.as_ref().map(|r| &r.target));
                    let (tv, unit) = match target {
                        Some(t) if t.type_ == "Utilization" => {
                            (t.average_utilization.map(f64::from), "%")
                        }
                        Some(t) => (
                            t.average_value.or(t.value).map(|q| q.as_approximate_f64()),
                            "",
                        ),
                        None => (None, ""),
                    };
                    let mut column = format!("seen.{metric}");
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}", a.name);
                    }
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}#{k}", a.name);
                    }
                    metric_columns.push(MetricColumn {
                        column,
                        autoscaler: a.name.clone(),
                        metric,
                        type_: spec.type_.clone(),
                        target: tv,
                        unit: String::from(unit),
                    });
                }
                loops.push(Loop::Hpa(alloc::boxed::Box::new(HpaLoop {
                    name: &a.name,
                    hpa,
                    raw,
                    sources,
                    history: None,
                    next_ns: 0,
                    period_ns: ns(v.pipeline.hpa_sync).max(1),
                    readings: Vec::new(),
                    keys: Vec::new(),
                    seen: alloc::vec![f64::NAN; sources.len()],
                    reconciles: 0,
                })));
            }
            AutoscalerKind::Keda { so, raw, sources } => {
                let timings: Vec<super::freshness::Timing> = so
                    .spec
                    .triggers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        super::freshness::timing(t, i, &v.pipeline.scalers, &mut warnings)
                    })
                    .collect();
                for (i, ((t, src), timing)) in so
                    .spec
                    .triggers
                    .iter()
                    .zip(sources)
                    .zip(&timings)
                    .enumerate()
                {
                    match (src, timing.reads) {
                        (Source::MetricsServer(_), _) => uses_ms = true,
                        (Source::Scaler(_), super::freshness::Reads::Live(lag)) => {
                            live_lag = live_lag.max(ceil_div(ns(lag), step_ns));
                            uses_live = true;
                        }
                        _ => uses_prom = true,
                    }
                    let scaler = crate::keda::scalers::describe(t, i).ok();
                    let metric = super::scenario::trigger_signal_name(
                        raw.get("spec")
                            .and_then(|s| s.get("triggers"))
                            .and_then(|t| t.get(i))
                            .unwrap_or(&Value::Null),
                    )
                    .unwrap_or_else(|| t.type_.clone());
                    let mut column = format!("seen.{metric}");
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}#{i}", a.name);
                    }
                    let utilization = scaler
                        .as_ref()
                        .is_some_and(|s| s.metric_type == "Utilization");
                    metric_columns.push(MetricColumn {
                        column,
                        autoscaler: a.name.clone(),
                        metric,
                        type_: if t.is_resource() {
                            String::from("Resource")
                        } else {
                            String::from("External")
                        },
                        target: scaler.as_ref().map(|s| s.target),
                        unit: String::from(if utilization { "%" } else { "" }),
                    });
                }
                loops.push(Loop::Keda(alloc::boxed::Box::new(KedaLoop::new(
                    &a.name,
                    so,
                    raw,
                    sources,
                    ns(v.pipeline.hpa_sync).max(1),
                    &timings,
                    step_ns,
                ))));
            }
        }
    }

    // Sampling.
    let mut every = opts
        .every
        .map(|e| libm::round(e.as_secs_f64() / dt).max(1.0) as usize)
        .unwrap_or(1);
    if steps.div_ceil(every) > MAX_ROWS {
        every = steps.div_ceil(MAX_ROWS);
        warnings.push(format!(
            "the timeline is sampled every {} (at most {MAX_ROWS} rows)",
            super::scenario::secs_text(every as f64 * dt)
        ));
    }
    let rows = steps.div_ceil(every);
    let mut names: Vec<String> = BASE_COLUMNS.iter().map(|s| String::from(*s)).collect();
    let has_nodes = v.nodes.is_some();
    if has_nodes {
        names.push(String::from("nodes"));
    }
    let seen_base = names.len();
    names.extend(metric_columns.iter().map(|m| m.column.clone()));
    let mut cols: Vec<Vec<f64>> = names.iter().map(|_| Vec::with_capacity(rows)).collect();

    // Pipelines.
    let res_ns = ns(v.pipeline.metrics_resolution).max(1);
    let res_steps = ceil_div(res_ns, step_ns).max(1);
    let window_steps = libm::round(v.pipeline.metrics_window.as_secs_f64() / dt).max(1.0) as i64;
    let mut ms = MetricsServer {
        used: uses_ms,
        next_ns: 0,
        res_ns,
        res_steps,
        window_steps,
        window: Duration::from_secs_f64(window_steps as f64 * dt),
        ring: alloc::vec![0.0; if uses_ms { (window_steps + res_steps + 4) as usize } else { 1 }],
        latest: None,
    };
    let mut live = LiveSignals {
        used: uses_live,
        ring: alloc::vec![[0.0; N]; if uses_live { (live_lag + 1) as usize } else { 1 }],
    };
    let mut prom = Prometheus {
        used: uses_prom,
        next_ns: 0,
        scrape_ns: ns(v.pipeline.scrape).max(1),
        lag_steps: ceil_div(ns(v.pipeline.lag), step_ns),
        pending: VecDeque::new(),
        visible: None,
    };

    // The steady state before step 0: the initial pods serve the initial load.
    let lambda0 = curve.rate.first().copied().unwrap_or(0.0);
    let mut work = flow(w, &Work::default(), lambda0, pods.counts().serving, dt);
    work.queue = 0.0;
    work.dropped = 0.0;
    if ms.used {
        let u0 = w.cpu.at(work.busy);
        let r = ms.ring.len() as i64;
        for j in (1 - r)..=0 {
            ms.set_prefix(j, j as f64 * u0);
        }
    }

    let template = Pod {
        name: String::new(),
        phase: Phase::Running,
        ready: None,
        ready_since: None,
        start_time: None,
        deleting: false,
        requests: None,
        containers: v.target.containers.clone(),
        init_containers: v.target.init_containers.clone(),
        pod_requests: v.target.pod_requests.clone(),
        count: None,
    };
    let mut list = PodList {
        version: u64::MAX,
        pods: Vec::new(),
        serials: Vec::new(),
        template,
        prefix: if v.target.name.is_empty() {
            String::from("pod")
        } else {
            v.target.name.clone()
        },
    };

    let cpu_request = v.target.request_milli("cpu").map(|m| m as f64 / 1000.0);
    let slo = w.slo_latency.as_secs_f64();
    let mu = w.capacity_per_replica;
    let mut decisions = Vec::new();
    let mut rises = Rises {
        all: &curve.rises,
        next: 0,
        active: Vec::new(),
        min_to: f64::INFINITY,
        out: curve
            .rises
            .iter()
            .map(|r| TimeToCapacity {
                at: r.at,
                from: r.from,
                to: r.to,
                seconds: None,
            })
            .collect(),
    };
    let mut replica_seconds = 0.0;
    let mut node_seconds = 0.0;
    let mut over_slo = 0.0;
    let (mut dropped, mut arrived, mut served, mut peak_queue) = (0.0, 0.0, 0.0, 0.0f64);
    let mut peak_replicas = 0u64;
    let mut dropped_since_sample = 0.0;
    // Countdown to the next sample; the ring slot of step i + 1 and the
    // running prefix of serving CPU (no division per step).
    let mut until_sample = 0usize;
    let ring_len = ms.ring.len();
    let mut ring_next = 1 % ring_len;
    let mut cpu_prefix = 0.0f64;

    for (i, &lambda) in curve.rate.iter().enumerate() {
        let ii = i as i64;
        let t_ns = ii.saturating_mul(step_ns);
        pods.advance(ii);

        if ms.used && t_ns >= ms.next_ns {
            ms.latest = Some(snapshot(ii, w, &work, lambda, &pods.counts()));
            while ms.next_ns <= t_ns {
                ms.next_ns += ms.res_ns;
            }
        }
        if prom.used && t_ns >= prom.next_ns {
            let snap = snapshot(ii, w, &work, lambda, &pods.counts());
            // The first scrape stands for the steady state before the run.
            let avail = if ii == 0 { 0 } else { ii + prom.lag_steps };
            prom.pending.push_back((avail, snap));
            while prom.next_ns <= t_ns {
                prom.next_ns += prom.scrape_ns;
            }
        }
        if prom.used {
            prom.settle(ii);
        }
        if live.used {
            live.record(ii, &snapshot(ii, w, &work, lambda, &pods.counts()).agg);
        }

        for l in loops.iter_mut() {
            if t_ns >= l.next_ns() {
                let before = spec_replicas;
                let mut cx = SyncCtx {
                    i: ii,
                    t_ns,
                    step_s: dt,
                    start: sc.start,
                    pods: &pods,
                    list: &mut list,
                    ms: &ms,
                    prom: &prom,
                    live: &live,
                    w,
                    controller: &v.controller,
                    spec_replicas: &mut spec_replicas,
                    decisions: &mut decisions,
                    trace: opts.trace.as_deref_mut(),
                    variant: &v.name,
                };
                l.run(&mut cx);
                if spec_replicas != before {
                    pods.scale_to(spec_replicas.max(0) as u32, ii);
                }
            }
        }

        let c = pods.counts();
        work = flow(w, &work, lambda, c.serving, dt);
        if ms.used {
            cpu_prefix += w.cpu.at(work.busy);
            ms.ring[ring_next] = cpu_prefix;
            ring_next += 1;
            if ring_next == ring_len {
                ring_next = 0;
            }
        }

        replica_seconds += c.exists as f64 * dt;
        if has_nodes {
            node_seconds += pods.nodes_billed().unwrap_or(0) as f64 * dt;
        }
        arrived += lambda * dt;
        served += work.served;
        dropped += work.dropped;
        dropped_since_sample += work.dropped;
        peak_queue = peak_queue.max(work.queue);
        peak_replicas = peak_replicas.max(c.exists);
        if (lambda > 0.0 || work.queue > 0.0)
            && (work.lat95.is_nan() || work.lat95 > slo || work.dropped > 0.0)
        {
            over_slo += dt;
        }
        rises.step(ii as f64 * dt, c.serving as f64 * mu);

        if until_sample == 0 {
            until_sample = every;
            let running = (c.serving + c.loading + c.idle) as f64;
            let mean = |serving: f64, loading: f64, idle: f64| {
                if running > 0.0 {
                    (serving * c.serving as f64 + loading * c.loading as f64 + idle * c.idle as f64)
                        / running
                } else {
                    f64::NAN
                }
            };
            let cpu = mean(w.cpu.at(work.busy), w.cpu_startup, w.cpu.idle);
            let cpu = match cpu_request {
                Some(r) if r > 0.0 => cpu * 100.0 / r,
                _ => cpu,
            };
            let gpu = mean(w.gpu.at(work.busy), w.gpu.idle, w.gpu.idle);
            let row = [
                ii as f64 * dt,
                lambda,
                f64::from(spec_replicas),
                c.exists as f64,
                c.ready as f64,
                work.queue,
                work.lat50,
                work.lat95,
                dropped_since_sample,
                cpu,
                gpu,
            ];
            for (col, v) in cols.iter_mut().zip(row) {
                col.push(v);
            }
            dropped_since_sample = 0.0;
            let mut k = BASE_COLUMNS.len();
            if has_nodes {
                cols[k].push(pods.nodes_ready().unwrap_or(0) as f64);
                k += 1;
            }
            debug_assert_eq!(k, seen_base);
            for l in &loops {
                for &s in l.seen() {
                    cols[k].push(s);
                    k += 1;
                }
            }
        }
        until_sample -= 1;
    }

    let replica_hours = replica_seconds / 3600.0;
    VariantResult {
        name: v.name.clone(),
        timeline: Timeline {
            columns: names
                .into_iter()
                .zip(cols)
                .map(|(name, values)| Column { name, values })
                .collect(),
        },
        summary: Summary {
            replica_hours,
            cost: replica_hours * v.cost.per_replica_hour,
            currency: v.cost.currency.clone(),
            seconds_over_slo: over_slo,
            dropped,
            arrived,
            served,
            peak_queue,
            peak_replicas,
            scale_events: decisions.len(),
            node_hours: has_nodes.then_some(node_seconds / 3600.0),
            reconciles: loops.iter().map(Loop::reconciles).sum(),
            time_to_capacity: rises.out,
        },
        decisions,
        metrics: metric_columns,
        warnings,
        notices: v.notices.0.clone(),
        assumptions: v.assumptions.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Levels;

    fn model(mode: Mode) -> WorkloadModel {
        WorkloadModel {
            mode,
            capacity_per_replica: 10.0,
            cpu: Levels {
                idle: 0.2,
                busy: 1.8,
            },
            cpu_startup: 1.8,
            memory: Levels {
                idle: 1.0,
                busy: 2.0,
            },
            gpu: Levels {
                idle: 0.0,
                busy: 100.0,
            },
            schedule: Duration::from_secs(1),
            pull: Duration::from_secs(1),
            load: Duration::from_secs(0),
            timeout: Duration::from_secs(30),
            slo_latency: Duration::from_secs(1),
        }
    }

    #[test]
    fn http_flow_serves_queues_and_drops() {
        let w = model(Mode::Http);
        let a = flow(&w, &Work::default(), 15.0, 2, 1.0);
        assert_eq!(a.served, 15.0);
        assert_eq!(a.queue, 0.0);
        assert!((a.busy - 0.75).abs() < 1e-12);
        assert!(a.lat95 > a.lat50);
        // Overload: 40/s against 20/s; the queue grows until 20 × 30 s, then drops.
        let mut s = Work::default();
        for _ in 0..100 {
            s = flow(&w, &s, 40.0, 2, 1.0);
        }
        assert_eq!(s.queue, 600.0);
        assert_eq!(s.dropped, 20.0);
        assert!(s.lat95 > 30.0);
        // Nobody ready: everything drops, latency has no value.
        let z = flow(&w, &Work::default(), 5.0, 0, 1.0);
        assert_eq!(z.dropped, 5.0);
        assert!(z.lat95.is_nan());
    }

    #[test]
    fn queue_flow_keeps_messages() {
        let w = model(Mode::Queue);
        let z = flow(&w, &Work::default(), 5.0, 0, 1.0);
        assert_eq!((z.queue, z.dropped), (5.0, 0.0));
        let a = flow(&w, &z, 5.0, 1, 1.0);
        assert_eq!(a.queue, 0.0);
        assert_eq!(a.served, 10.0);
    }
}
