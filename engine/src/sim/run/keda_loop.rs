//! A ScaledObject's loops: KEDA's operator and the HPA it owns.

use alloc::vec::Vec;

use serde_json::Value;

use super::super::freshness::{Reads, Timing};
use super::super::scenario::Source;
use super::hpa_loop::reconcile_hpa;
use super::loops::{CaseParts, Decided, SyncCtx, metric_decisions};
use super::readings::{SampleKey, read_all, wall};
use super::{ceil_div, ns};
use crate::model::{History, KedaState, Reading};
use crate::spec::HorizontalPodAutoscaler;

/// A ScaledObject: KEDA's operator polls every `pollingInterval`; the HPA it
/// owns syncs every `hpaSync`. When both are due at once the step is one
/// KEDA evaluation (`keda::reconcile_scaled_object`: the poll, then the owned HPA unless
/// the operator wrote the count), exactly the eval case. A poll alone
/// applies only the operator's writes and state; an HPA sync alone is the
/// generated HPA's reconcile on what KEDA's metrics adapter serves.
pub(super) struct KedaLoop<'v> {
    pub(super) name: &'v str,
    pub(super) so: &'v crate::keda::ScaledObject,
    pub(super) raw: &'v Value,
    pub(super) sources: &'v [Source],
    pub(super) scalers: Vec<crate::keda::Scaler>,
    pub(super) generated: HorizontalPodAutoscaler,
    pub(super) generated_raw: Value,
    pub(super) state: KedaState,
    pub(super) history: Option<History>,
    pub(super) poll_next_ns: i64,
    pub(super) poll_ns: i64,
    pub(super) hpa_next_ns: i64,
    pub(super) hpa_ns: i64,
    pub(super) readings: Vec<Reading>,
    pub(super) keys: Vec<SampleKey>,
    /// Per trigger: steps its live scaler reads late (`None`: Prometheus).
    pub(super) lags: Vec<Option<i64>>,
    /// Per trigger: `useCachedMetrics`.
    pub(super) cached: Vec<bool>,
    /// The last poll's readings, which cached triggers serve the HPA.
    pub(super) polled: Vec<Reading>,
    /// Per trigger: the seen column is per replica (an AverageValue
    /// target, compared per replica as the HPA does).
    pub(super) per_replica: Vec<bool>,
    pub(super) seen: Vec<f64>,
    pub(super) reconciles: usize,
}

impl<'v> KedaLoop<'v> {
    pub(super) fn new(
        name: &'v str,
        so: &'v crate::keda::ScaledObject,
        raw: &'v Value,
        sources: &'v [Source],
        hpa_ns: i64,
        timings: &[Timing],
        step_ns: i64,
    ) -> KedaLoop<'v> {
        let lags = timings
            .iter()
            .map(|t| match t.reads {
                Reads::Prometheus => None,
                Reads::Live(lag) => Some(ceil_div(ns(lag), step_ns)),
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
            state: KedaState::default(),
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

    pub(super) fn paused(&self) -> bool {
        self.so.paused() || self.so.paused_replicas().is_some()
    }

    pub(super) fn sync(&mut self, cx: &mut SyncCtx<'_, '_>) {
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

    pub(super) fn sync_with(&mut self, cx: &mut SyncCtx<'_, '_>, readings: &[Reading]) {
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
        let target = cx.target();
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
        let keda = crate::keda::KedaReconcile {
            now,
            so: self.so,
            target,
            pods: &cx.list.pods,
            readings,
            state: &self.state,
            history: self.history.as_ref(),
            controller: cx.controller,
        };
        if poll {
            let outcome = crate::keda::reconcile_scaled_object(&keda);
            self.reconciles += 1;
            let wrote = matches!(outcome.action, crate::keda::OperatorAction::Wrote(_));
            let hpa_ran = outcome.hpa.is_some();
            // A poll whose HPA half ran off the HPA's clock is the operator alone.
            let applies = wrote || !hpa_ran || hpa;
            if applies {
                self.resource_seen(outcome.hpa.as_ref());
                let changed = outcome.desired_replicas != current;
                if changed || cx.trace.is_some() {
                    let d = Decided {
                        autoscaler: self.name,
                        index: self.reconciles - 1,
                        desired_replicas: outcome.desired_replicas,
                        active: Some(outcome.active),
                        metrics: metric_decisions(&outcome.metrics),
                        conditions: &outcome.conditions,
                        history: &outcome.history,
                    };
                    let parts = CaseParts {
                        now,
                        autoscaler: ("scaledObject", self.raw),
                        target,
                        readings: ("triggers", readings),
                        keda: Some(&self.state),
                        history: self.history.as_ref(),
                    };
                    cx.trace(&parts, &d);
                    if changed {
                        let explanation =
                            crate::explain::keda(self.so, current, readings, &outcome);
                        cx.record(d, explanation);
                    }
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
        let adapter = crate::keda::scalers_state(&keda, &self.scalers);
        let hpa_readings = adapter.hpa_readings(readings);
        let outcome = reconcile_hpa(
            cx,
            &self.generated.metadata.name,
            (&self.generated, &self.generated_raw),
            &hpa_readings,
            &mut self.history,
            self.reconciles,
        );
        self.reconciles += 1;
        self.resource_seen(Some(&outcome));
    }

    /// cpu/memory triggers show what the owned HPA computed.
    pub(super) fn resource_seen(&mut self, outcome: Option<&crate::horizontal::HpaOutcome>) {
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
