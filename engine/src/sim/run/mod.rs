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

mod hpa_loop;
mod job_loop;
mod keda_loop;
mod kpa_loop;
mod loops;
mod pipeline;
mod readings;
mod setup;
mod work;

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Options;
use super::load::{Curve, Rise};
use super::output::{Column, Summary, TimeToCapacity, Timeline, VariantResult};
use super::pods::{ColdStart, NodePool, Pods};
use super::scenario::{SIGNALS, Scenario, Variant};
use crate::model::{Phase, Pod};
use crate::quantity::{Format, Quantity};
use crate::time::Duration;
use loops::{Loop, SyncCtx};
use pipeline::{LiveSignals, MetricsServer, Prometheus, snapshot};
use readings::PodList;
use work::{Work, flow};

/// Most timeline rows one variant keeps; a longer run is sampled coarser.
pub const MAX_ROWS: usize = 200_000;

/// The number of signals.
const N: usize = SIGNALS.len();

/// A duration in nanoseconds.
fn ns(d: Duration) -> i64 {
    libm::round(d.as_secs_f64() * 1e9) as i64
}

/// `a / b` rounded up.
fn ceil_div(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) == 0 { q } else { q + 1 }
}

/// A simulated value as a quantity (milli-units, rounded).
fn quantity(v: f64) -> Quantity {
    let m = libm::round(v * 1000.0);
    let m = if m.is_finite() {
        m.clamp(-9.0e18, 9.0e18) as i64
    } else {
        0
    };
    Quantity::from_milli(m, Format::DecimalSi)
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

impl<'a> Rises<'a> {
    fn new(curve: &'a Curve) -> Self {
        Rises {
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
        }
    }

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

/// Steps per timeline row: `--every`, coarser (with a warning) past
/// [`MAX_ROWS`].
fn sample_every(opts: &Options<'_>, dt: f64, steps: usize, warnings: &mut Vec<String>) -> usize {
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
    every
}

/// Named columns as a timeline.
fn timeline(names: Vec<String>, cols: Vec<Vec<f64>>) -> Timeline {
    Timeline {
        columns: names
            .into_iter()
            .zip(cols)
            .map(|(name, values)| Column { name, values })
            .collect(),
    }
}

/// Runs one variant over the shared load curve.
pub(crate) fn run_variant(
    sc: &Scenario,
    v: &Variant,
    curve: &Curve,
    opts: &mut Options<'_>,
) -> VariantResult {
    if let Some(plan) = &v.scaled_job {
        return job_loop::run_jobs(sc, v, plan, curve, opts);
    }
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
    // A Knative revision's requests wait at the activator while no pod serves.
    let mut activator = v
        .autoscalers
        .iter()
        .any(|a| matches!(a.kind, super::scenario::AutoscalerKind::Kpa(_)))
        .then(super::knative::Activator::default);

    // The loops and what they read.
    let setup::Setup {
        mut loops,
        metric_columns,
        uses_ms,
        uses_prom,
        uses_live,
        live_lag,
    } = setup::loops(v, step_ns, &mut warnings);

    // Sampling.
    let every = sample_every(opts, dt, steps, &mut warnings);
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
    let mut rises = Rises::new(curve);
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
                    inflight: work.inflight,
                    arrivals: lambda,
                };
                l.run(&mut cx);
                if spec_replicas != before {
                    pods.scale_to(spec_replicas.max(0) as u32, ii);
                }
            }
        }

        let c = pods.counts();
        work = match activator.as_mut() {
            Some(a) => kpa_loop::activated_flow(a, w, &work, lambda, c.serving, ii as f64 * dt, dt),
            None => flow(w, &work, lambda, c.serving, dt),
        };
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
        timeline: timeline(names, cols),
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
            reference: None,
        },
        decisions,
        metrics: metric_columns,
        warnings,
        notices: v.notices.0.clone(),
        assumptions: v.assumptions.clone(),
    }
}
