//! The metric pipelines: what metrics-server, Prometheus and the live
//! scalers see of the pods and the work.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::super::pods::{Cohort, Counts};
use super::super::scenario::{Mode, Signal, WorkloadModel};
use super::N;
use super::work::Work;
use crate::time::Duration;

/// What the pipelines see at one instant: the aggregate of each signal and
/// the per-pod value of a pod in each state.
#[derive(Clone, Copy, Debug)]
pub(super) struct Snapshot {
    pub(super) idx: i64,
    pub(super) agg: [f64; N],
    pub(super) serving: [f64; N],
    pub(super) loading: [f64; N],
    pub(super) idle: [f64; N],
}

impl Snapshot {
    /// A cohort's per-pod value at the snapshot; `None` when it was not
    /// running yet.
    pub(super) fn per_pod(&self, c: &Cohort, s: Signal) -> Option<f64> {
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

pub(super) fn snapshot(
    idx: i64,
    w: &WorkloadModel,
    work: &Work,
    lambda: f64,
    c: &Counts,
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
pub(super) struct MetricsServer {
    pub(super) used: bool,
    pub(super) next_ns: i64,
    pub(super) res_ns: i64,
    pub(super) res_steps: i64,
    pub(super) window_steps: i64,
    pub(super) window: Duration,
    pub(super) ring: Vec<f64>,
    pub(super) latest: Option<Snapshot>,
}

impl MetricsServer {
    pub(super) fn prefix(&self, j: i64) -> f64 {
        self.ring[j.rem_euclid(self.ring.len() as i64) as usize]
    }

    pub(super) fn set_prefix(&mut self, j: i64, v: f64) {
        let r = self.ring.len() as i64;
        self.ring[j.rem_euclid(r) as usize] = v;
    }

    /// A cohort's mean CPU (cores) over the window ending at scrape `s`,
    /// and the window's length in steps.
    pub(super) fn cpu(&self, c: &Cohort, s: i64, w: &WorkloadModel) -> (f64, i64) {
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
pub(super) struct Prometheus {
    pub(super) used: bool,
    pub(super) next_ns: i64,
    pub(super) scrape_ns: i64,
    pub(super) lag_steps: i64,
    pub(super) pending: VecDeque<(i64, Snapshot)>,
    pub(super) visible: Option<Snapshot>,
}

impl Prometheus {
    pub(super) fn settle(&mut self, i: i64) {
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
pub(super) struct LiveSignals {
    pub(super) used: bool,
    pub(super) ring: Vec<[f64; N]>,
}

impl LiveSignals {
    /// Records step `i`; step 0 also stands for the steady state before it.
    pub(super) fn record(&mut self, i: i64, agg: &[f64; N]) {
        if i == 0 {
            self.ring.fill(*agg);
        } else {
            let r = self.ring.len() as i64;
            self.ring[i.rem_euclid(r) as usize] = *agg;
        }
    }

    /// The aggregates of step `j` (before the run: step 0's).
    pub(super) fn at(&self, j: i64) -> &[f64; N] {
        &self.ring[j.max(0).rem_euclid(self.ring.len() as i64) as usize]
    }
}
