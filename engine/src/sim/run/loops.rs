//! The control loops on their own clocks, what one sync reads and writes,
//! and how a reconcile is handed out: traced as an eval case, recorded as a
//! decision.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::super::output::DecisionRecord;
use super::super::scenario::WorkloadModel;
use super::super::{Trace, pods::Pods};
use super::hpa_loop::HpaLoop;
use super::keda_loop::KedaLoop;
use super::kpa_loop::KpaLoop;
use super::pipeline::{LiveSignals, MetricsServer, Prometheus};
use super::readings::{PodList, expanded_readings};
use crate::case::MetricDecision;
use crate::condition::Conditions;
use crate::horizontal::MetricOutcome;
use crate::model::{Controller, History, KedaState, Reading, ScaleTarget};
use crate::time::Instant;

/// A control loop on its own clock. A KEDA loop (the operator every
/// `pollingInterval`, its HPA every `hpaSync`) becomes a variant here.
pub(super) enum Loop<'v> {
    Hpa(alloc::boxed::Box<HpaLoop<'v>>),
    Keda(alloc::boxed::Box<KedaLoop<'v>>),
    Kpa(alloc::boxed::Box<KpaLoop<'v>>),
}

/// What a loop reads and writes at one sync.
pub(super) struct SyncCtx<'a, 'o> {
    pub(super) i: i64,
    pub(super) t_ns: i64,
    pub(super) step_s: f64,
    /// The wall clock at t = 0 (the scenario's `start`).
    pub(super) start: Instant,
    pub(super) pods: &'a Pods,
    pub(super) list: &'a mut PodList,
    pub(super) ms: &'a MetricsServer,
    pub(super) prom: &'a Prometheus,
    pub(super) live: &'a LiveSignals,
    pub(super) w: &'a WorkloadModel,
    pub(super) controller: &'a Controller,
    pub(super) spec_replicas: &'a mut i32,
    pub(super) decisions: &'a mut Vec<DecisionRecord>,
    pub(super) trace: Option<&'a mut (dyn FnMut(Trace<'_>) + 'o)>,
    pub(super) variant: &'a str,
    /// Requests in progress or waiting after the last step (the
    /// revision's concurrency).
    pub(super) inflight: f64,
    /// The arrival rate now (requests per second).
    pub(super) arrivals: f64,
}

impl Loop<'_> {
    pub(super) fn next_ns(&self) -> i64 {
        match self {
            Loop::Hpa(h) => h.next_ns,
            Loop::Keda(k) => k.poll_next_ns.min(k.hpa_next_ns),
            Loop::Kpa(k) => k.next_ns,
        }
    }

    pub(super) fn run(&mut self, cx: &mut SyncCtx<'_, '_>) {
        match self {
            Loop::Hpa(h) => {
                h.sync(cx);
                while h.next_ns <= cx.t_ns {
                    h.next_ns += h.period_ns;
                }
            }
            Loop::Keda(k) => k.sync(cx),
            Loop::Kpa(k) => k.sync(cx),
        }
    }

    pub(super) fn seen(&self) -> &[f64] {
        match self {
            Loop::Hpa(h) => &h.seen,
            Loop::Keda(k) => &k.seen,
            Loop::Kpa(k) => &k.seen,
        }
    }

    pub(super) fn reconciles(&self) -> usize {
        match self {
            Loop::Hpa(h) => h.reconciles,
            Loop::Keda(k) => k.reconciles,
            Loop::Kpa(k) => k.reconciles,
        }
    }
}

/// The inputs of the eval case a reconcile replays as.
pub(super) struct CaseParts<'a> {
    /// The instant of the reconcile.
    pub(super) now: Instant,
    /// `("hpa", manifest)` or `("scaledObject", manifest)`.
    pub(super) autoscaler: (&'static str, &'a Value),
    /// The scale subresource.
    pub(super) target: ScaleTarget,
    /// `("metrics", readings)` or `("triggers", readings)`.
    pub(super) readings: (&'static str, &'a [Reading]),
    /// KEDA's operator state before the poll.
    pub(super) keda: Option<&'a KedaState>,
    /// The controller's memory before the reconcile.
    pub(super) history: Option<&'a History>,
}

/// A decision as the decision list and the trace give it.
pub(super) struct Decided<'a> {
    /// The autoscaler's name.
    pub(super) autoscaler: &'a str,
    /// Its reconcile's index among the loop's reconciles.
    pub(super) index: usize,
    /// The count written.
    pub(super) desired_replicas: i32,
    /// KEDA: whether the ScaledObject is active.
    pub(super) active: Option<bool>,
    /// Per metric.
    pub(super) metrics: Vec<MetricDecision>,
    /// The status conditions.
    pub(super) conditions: &'a Conditions,
    /// The memory after the reconcile.
    pub(super) history: &'a History,
}

/// The metrics of a decision as `eval` gives them.
pub(super) fn metric_decisions(metrics: &[MetricOutcome]) -> Vec<MetricDecision> {
    metrics.iter().cloned().map(MetricDecision::from).collect()
}

impl SyncCtx<'_, '_> {
    /// Hands a reconcile to the trace as an eval case with its decision in
    /// `expect:` (pods' cohorts expanded into their pods' readings, as the
    /// case reader expands them), when a trace is on.
    pub(super) fn trace(&mut self, parts: &CaseParts<'_>, d: &Decided<'_>) {
        let (variant, time, pods) = (self.variant, self.time(), &self.list.pods);
        let Some(trace) = self.trace.as_mut() else {
            return;
        };
        let mut expect = json!({
            "desiredReplicas": d.desired_replicas,
            "metrics": d.metrics,
            "conditions": d.conditions,
            "history": d.history,
        });
        if let Some(active) = d.active {
            expect["active"] = Value::Bool(active);
        }
        let mut case = json!({
            "now": parts.now,
            "target": parts.target,
            "pods": pods,
            "controller": self.controller,
            "expect": expect,
        });
        case[parts.autoscaler.0] = parts.autoscaler.1.clone();
        case[parts.readings.0] =
            serde_json::to_value(expanded_readings(parts.readings.1, pods)).unwrap_or(Value::Null);
        if let Some(k) = parts.keda {
            case["keda"] = serde_json::to_value(k).unwrap_or(Value::Null);
        }
        if let Some(h) = parts.history {
            case["history"] = serde_json::to_value(h).unwrap_or(Value::Null);
        }
        trace(Trace {
            variant,
            autoscaler: d.autoscaler,
            index: d.index,
            time,
            case,
        });
    }

    /// Records a decision that changed the count and writes the count.
    pub(super) fn record(&mut self, d: Decided<'_>, explanation: String) {
        let current = *self.spec_replicas;
        self.decisions.push(DecisionRecord {
            time: self.time(),
            autoscaler: String::from(d.autoscaler),
            replicas: current,
            desired_replicas: d.desired_replicas,
            explanation,
            metrics: d.metrics,
            conditions: d.conditions.clone(),
        });
        *self.spec_replicas = d.desired_replicas;
    }

    /// The step's time in seconds since the start.
    pub(super) fn time(&self) -> f64 {
        self.i as f64 * self.step_s
    }

    /// The scale subresource now: `spec.replicas` and the pods that exist.
    pub(super) fn target(&self) -> ScaleTarget {
        ScaleTarget {
            replicas: *self.spec_replicas,
            status_replicas: Some(self.pods.counts().exists as i32),
        }
    }
}
