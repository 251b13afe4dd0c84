//! The KPA's loop for a Knative Service's revision: the metric collector
//! samples the revision's concurrency (or request rate) every second
//! (knative/serving `pkg/autoscaler/metrics/collector.go`: the scrape
//! ticker, `scrapeTickInterval`), the decider ticks every 2 s
//! (`pkg/autoscaler/scaling/multiscaler.go`: `tickInterval`) and the
//! reconciler applies its count and keeps the PodAutoscaler's `Active`
//! condition (`pkg/reconciler/autoscaling/kpa/kpa.go`: `ReconcileKind`,
//! `computeActiveCondition`, `activeThreshold`).
//!
//! Each tick is [`crate::kpa::evaluate`] on a [`KpaCase`] built from the
//! simulated state: the same decision `eval` gives for a `kpa:` case.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::super::Trace;
use super::super::knative::{Activator, KpaPlan};
use super::super::scenario::{Mode, WorkloadModel};
use super::loops::{Decided, SyncCtx};
use super::work::{Work, flow};
use crate::condition::Conditions;
use crate::kpa::case::{KpaCase, KpaDecision, Metrics};
use crate::kpa::decider::{Memory, TICK_SECONDS};
use crate::kpa::go::SECOND;
use crate::kpa::revision::Metric;
use crate::kpa::scaler::{Active, State};
use crate::model::History;
use crate::notice::Notices;

/// A second in nanoseconds.
const SECOND_NS: i64 = 1_000_000_000;

/// The KPA of one revision.
pub(super) struct KpaLoop<'v> {
    pub(super) name: &'v str,
    pub(super) plan: &'v KpaPlan,
    /// Per-second samples over the stable window, oldest first.
    samples: VecDeque<Option<f64>>,
    /// The next second to sample.
    next_second: i64,
    /// The next decider tick (seconds; ticks fall on even seconds).
    next_tick: i64,
    pub(super) next_ns: i64,
    memory: Option<Memory>,
    state: State,
    pub(super) seen: Vec<f64>,
    pub(super) reconciles: usize,
}

impl<'v> KpaLoop<'v> {
    /// A new revision's autoscaler: `Active` since the start, its scale
    /// target not yet initialized, `replicas` pods asked for.
    pub(super) fn new(name: &'v str, plan: &'v KpaPlan, replicas: i32) -> KpaLoop<'v> {
        KpaLoop {
            name,
            plan,
            samples: VecDeque::new(),
            next_second: 0,
            next_tick: 0,
            next_ns: 0,
            memory: None,
            state: State {
                active: Active::Unknown,
                active_since: Some(0.0),
                scale_target_initialized: false,
                replicas,
                ..State::default()
            },
            seen: alloc::vec![f64::NAN],
            reconciles: 0,
        }
    }

    /// The stable window in whole seconds.
    fn window(&self) -> usize {
        (self.plan.settings.stable_window / SECOND).max(1) as usize
    }

    /// Samples every second up to now; on a decider tick, decides.
    pub(super) fn sync(&mut self, cx: &mut SyncCtx<'_, '_>) {
        let now_s = cx.t_ns.div_euclid(SECOND_NS);
        let value = match self.plan.settings.metric {
            Metric::Concurrency => cx.inflight,
            Metric::Rps => cx.arrivals,
        };
        while self.next_second <= now_s {
            self.samples.push_back(Some(value));
            self.next_second += 1;
        }
        let window = self.window();
        while self.samples.len() > window {
            self.samples.pop_front();
        }
        // Per ready pod, beside the per-pod target (the decider compares
        // the total with target × pods).
        let ready = cx.pods.counts().ready.max(1) as f64;
        self.seen[0] = value / ready;
        // A step longer than the tick runs one tick per step.
        if now_s >= self.next_tick {
            self.tick(cx, now_s as f64);
            self.next_tick = (now_s.div_euclid(TICK_SECONDS) + 1) * TICK_SECONDS;
        }
        self.next_ns = self.next_second.saturating_mul(SECOND_NS);
    }

    /// `activeThreshold`: the ready pods that make the revision active.
    fn active_threshold(&self) -> i32 {
        let s = &self.plan.settings;
        if self.state.scale_target_initialized {
            s.min_scale.max(1)
        } else {
            s.min_scale.max(s.initial_scale)
        }
    }

    fn tick(&mut self, cx: &mut SyncCtx<'_, '_>, now: f64) {
        let ready = cx.pods.counts().ready.min(i32::MAX as u64) as i32;
        let current = *cx.spec_replicas;
        self.state.replicas = current;
        let case = KpaCase {
            now,
            settings: self.plan.settings.clone(),
            config: self.plan.config.clone(),
            metrics: Metrics::Samples(self.samples.iter().copied().collect()),
            ready_pods: ready,
            memory: self.memory.take(),
            state: self.state.clone(),
            notices: Notices::default(),
        };
        let d = crate::kpa::evaluate(&case);
        self.trace(cx, &case, &d);
        self.reconciles += 1;
        self.memory = Some(d.memory);
        if d.replicas != current {
            let conditions = Conditions::default();
            let history = History::default();
            cx.record(
                Decided {
                    autoscaler: self.name,
                    index: self.reconciles - 1,
                    desired_replicas: d.replicas,
                    active: Some(self.state.active == Active::True),
                    metrics: Vec::new(),
                    conditions: &conditions,
                    history: &history,
                },
                d.explanation,
            );
        }
        self.update_active(d.desired_scale, ready, d.excess_burst_capacity, now);
    }

    /// Hands the tick to the trace as a `kpa:` evaluation case with its
    /// decision in `expect:`, when a trace is on.
    fn trace(&self, cx: &mut SyncCtx<'_, '_>, case: &KpaCase, d: &KpaDecision) {
        let (variant, time) = (cx.variant, cx.time());
        let Some(trace) = cx.trace.as_mut() else {
            return;
        };
        let mut kpa = json!({
            "revision": self.plan.raw,
            "samples": match &case.metrics {
                Metrics::Samples(s) => serde_json::to_value(s).unwrap_or(Value::Null),
                Metrics::Observed { .. } => Value::Null,
            },
            "readyPods": case.ready_pods,
            "status": serde_json::to_value(&case.state).unwrap_or(Value::Null),
        });
        if let Some(c) = &self.plan.config_raw {
            kpa["config"] = c.clone();
        }
        if let Some(m) = &case.memory {
            kpa["memory"] = serde_json::to_value(m).unwrap_or(Value::Null);
        }
        trace(Trace {
            variant,
            autoscaler: self.name,
            index: self.reconciles,
            time,
            case: json!({
                "now": case.now,
                "kpa": kpa,
                "expect": {
                    "desiredReplicas": d.replicas,
                    "desiredPods": d.desired_pods,
                    "panic": d.panic,
                    "desiredScale": d.desired_scale,
                    "memory": d.memory,
                },
            }),
        });
    }

    /// `computeActiveCondition` with the reconciler's `want`, and the
    /// ServerlessService's mode (`ReconcileKind`: proxy when `want` is 0,
    /// the excess burst capacity is negative, or `want` is -1 while
    /// inactive).
    fn update_active(&mut self, want: i32, ready: i32, ebc: i32, now: f64) {
        let min_ready = self.active_threshold();
        if ready >= min_ready {
            self.state.scale_target_initialized = true;
        }
        let st = &mut self.state;
        let next = if want == 0 || min_ready == 0 {
            Active::False
        } else if ready < min_ready {
            if want > 0 || st.active != Active::False {
                Active::Unknown
            } else {
                Active::False
            }
        } else if want > 0 || st.active != Active::False {
            Active::True
        } else {
            st.active
        };
        if next != st.active {
            st.active = next;
            st.active_since = Some(now);
        }
        let proxy = want == 0 || ebc < 0 || (want == -1 && st.active == Active::False);
        match (proxy, st.proxy_since) {
            (true, None) => st.proxy_since = Some(now),
            (false, Some(_)) => st.proxy_since = None,
            _ => {}
        }
    }
}

/// One step of work with the activator in the path: while no pod serves,
/// http requests wait at the activator (and count as the revision's
/// concurrency: the activator reports them); once one does, they go to the
/// pods ([`flow`]).
pub(super) fn activated_flow(
    a: &mut Activator,
    w: &WorkloadModel,
    prev: &Work,
    lambda: f64,
    serving: u64,
    t: f64,
    dt: f64,
) -> Work {
    if serving > 0 || w.mode != Mode::Http {
        // The held requests are the last step's queue: the pods take them.
        a.release();
        return flow(w, prev, lambda, serving, dt);
    }
    // What waited at the pods when the last one stopped serving joins the
    // activator's buffer (its own waiting requests are already there).
    let from_pods = (prev.queue - a.waiting()).max(0.0);
    let dropped = a.hold(lambda * dt + from_pods, t, w.timeout.as_secs_f64());
    let waiting = a.waiting();
    let lat = if waiting > 0.0 || lambda > 0.0 {
        f64::NAN
    } else {
        0.0
    };
    Work {
        queue: waiting,
        inflight: waiting,
        dropped,
        lat50: lat,
        lat95: lat,
        ..Work::default()
    }
}
