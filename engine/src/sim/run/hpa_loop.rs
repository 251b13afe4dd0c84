//! An HPA's loop, and the one HPA reconcile every loop runs (a plain HPA's
//! and the HPA a ScaledObject owns).

use alloc::vec::Vec;

use serde_json::Value;

use super::super::scenario::Source;
use super::loops::{CaseParts, Decided, SyncCtx, metric_decisions};
use super::readings::{SampleKey, read_all, wall};
use crate::horizontal::{self, HpaOutcome, Reconcile, Text};
use crate::model::{History, Reading};
use crate::spec::HorizontalPodAutoscaler;

/// A HorizontalPodAutoscaler, reconciling every `hpaSync`.
pub(super) struct HpaLoop<'v> {
    pub(super) name: &'v str,
    pub(super) hpa: &'v HorizontalPodAutoscaler,
    pub(super) raw: &'v Value,
    pub(super) sources: &'v [Source],
    pub(super) history: Option<History>,
    pub(super) next_ns: i64,
    pub(super) period_ns: i64,
    pub(super) readings: Vec<Reading>,
    pub(super) keys: Vec<SampleKey>,
    pub(super) seen: Vec<f64>,
    pub(super) reconciles: usize,
}

impl HpaLoop<'_> {
    pub(super) fn sync(&mut self, cx: &mut SyncCtx<'_, '_>) {
        cx.list.refresh(cx.pods, cx.i, &wall(cx.start, cx.step_s));
        read_all(self.sources, &[], cx, &mut self.readings, &mut self.keys);
        let outcome = reconcile_hpa(
            cx,
            self.name,
            (self.hpa, self.raw),
            &self.readings,
            &mut self.history,
            self.reconciles,
        );
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
    }
}

/// One HPA reconcile at this sync, chained on `history` (which it replaces; the
/// outcome's own `history` is left empty):
/// numbers only ([`Text::Numbers`]) unless someone reads it. A reconcile
/// that changes the count, or any reconcile while a trace is on, is
/// reconciled again with its text ([`Text::Full`]: same inputs, so the same
/// numbers), recorded with its explanation and traced as its eval case.
pub(super) fn reconcile_hpa(
    cx: &mut SyncCtx<'_, '_>,
    name: &str,
    (hpa, raw): (&HorizontalPodAutoscaler, &Value),
    readings: &[Reading],
    history: &mut Option<History>,
    index: usize,
) -> HpaOutcome {
    let current = *cx.spec_replicas;
    let target = cx.target();
    let now = wall(cx.start, cx.step_s)(cx.i);
    let r = Reconcile {
        now,
        hpa,
        target,
        pods: &cx.list.pods,
        readings,
        history: history.as_ref(),
        controller: cx.controller,
    };
    let mut outcome = horizontal::reconcile_with(&r, Text::Numbers);
    let changed = outcome.desired_replicas != current;
    if changed || cx.trace.is_some() {
        outcome = horizontal::reconcile_hpa(&r);
        let d = Decided {
            autoscaler: name,
            index,
            desired_replicas: outcome.desired_replicas,
            active: None,
            metrics: metric_decisions(&outcome.metrics),
            conditions: &outcome.conditions,
            history: &outcome.history,
        };
        let parts = CaseParts {
            now,
            autoscaler: ("hpa", raw),
            target,
            readings: ("metrics", readings),
            keda: None,
            history: history.as_ref(),
        };
        cx.trace(&parts, &d);
        if changed {
            cx.record(d, crate::explain::hpa(&hpa.spec, current, &outcome));
        }
    }
    *history = Some(core::mem::take(&mut outcome.history));
    outcome
}
