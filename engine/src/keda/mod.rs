//! KEDA ScaledObjects: the operator's poll followed by the HPA KEDA owns.
//!
//! Mirrors kedacore/keda (2.21 line): `pkg/scaling/scale_handler.go`
//! (`getScaledObjectState`, `getScalerState`: activity and errors across
//! triggers), `pkg/fallback/fallback.go` (`GetMetricsWithFallback`,
//! `doFallback`, `HasValidFallback`), `pkg/scaling/modifiers/formula.go`
//! (`HandleScalingModifiers`), `pkg/scaling/executor/scale_scaledobjects.go`
//! (`RequestScale`, `scaleFromZeroOrIdle`, `scaleToZeroOrIdle`,
//! `handlePaused`), and `controllers/keda/hpa.go` (`newHPAForScaledObject`,
//! `getScaledObjectMetricSpecs`: the HPA KEDA creates). The HPA half is this
//! crate's own [`crate::horizontal::reconcile_hpa`].
//!
//! One evaluation is one poll at `now`: when the operator writes a replica
//! count (activation from zero, scale to zero or idle, below-min correction,
//! paused replicas) that count is the decision; otherwise the decision is
//! the owned HPA's reconcile on the same readings.

pub mod admission;
pub mod cron;
pub mod formula;
mod hpa;
pub mod job;
pub mod scalers;
pub mod spec;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::calculator::go_i64;
use crate::condition::{ConditionType, Conditions, Reason};
use crate::horizontal::{self, HpaOutcome, MetricOutcome, Reconcile};
use crate::model::{
    ConditionStatus, Controller, History, KedaState, Phase, Pod, Reading, ScaleTarget,
};
use crate::quantity::{Format, Quantity};
use crate::spec::hpa::HorizontalPodAutoscaler;
use crate::time::{Duration, Instant};
pub use hpa::generated_hpa;
pub use scalers::Scaler;
pub use spec::ScaledObject;

/// The external metric that replaces the triggers' metrics under scaling
/// modifiers (`kedav1alpha1.CompositeMetricName`).
pub const COMPOSITE_METRIC_NAME: &str = "composite-metric";

/// Everything one poll reads.
#[derive(Clone, Copy, Debug)]
pub struct KedaReconcile<'a> {
    /// The instant of the poll.
    pub now: Instant,
    /// The ScaledObject (validated).
    pub so: &'a ScaledObject,
    /// The workload's scale.
    pub target: ScaleTarget,
    /// The workload's pods (cpu/memory triggers; ready count for Value fallback).
    pub pods: &'a [Pod],
    /// One reading per trigger.
    pub readings: &'a [Reading],
    /// The operator's state before this poll.
    pub state: &'a KedaState,
    /// The owned HPA's controller memory.
    pub history: Option<&'a History>,
    /// The HPA controller's flags.
    pub controller: &'a Controller,
}

/// What the operator did.
#[derive(Clone, Debug, PartialEq)]
pub enum OperatorAction {
    /// Paused by annotation: nothing runs.
    Paused,
    /// The operator wrote this replica count.
    Wrote(i32),
    /// The operator left the count to the HPA.
    None,
}

/// The poll's result.
#[derive(Clone, Debug, PartialEq)]
pub struct KedaOutcome {
    /// The replica count after this evaluation.
    pub desired_replicas: i32,
    /// Whether the ScaledObject is active.
    pub active: bool,
    /// What the operator did.
    pub action: OperatorAction,
    /// Per trigger (plus the composite metric last, under scaling modifiers).
    pub metrics: Vec<MetricOutcome>,
    /// HPA conditions (when it ran), then `Active`, `Fallback`, `Paused`.
    pub conditions: Conditions,
    /// The owned HPA's memory, with the operator's new state in `keda`.
    pub history: History,
    /// The owned HPA's reconcile, when it ran.
    pub hpa: Option<HpaOutcome>,
    /// The generated HPA.
    pub generated: HorizontalPodAutoscaler,
}

/// One trigger's state after the poll (`scalerState`).
#[derive(Clone, Debug)]
struct TriggerState {
    scaler: Scaler,
    /// The value the HPA sees (None: an error reaches the HPA).
    value: Option<f64>,
    error: Option<String>,
    active: bool,
    fallback: bool,
}

/// `HasValidFallback` (with `isFallbackEnabled`).
fn valid_fallback(so: &ScaledObject) -> bool {
    let Some(f) = &so.spec.fallback else {
        return false;
    };
    let modifiers_ok = match so.modifiers() {
        Some(m) => m.target.trim().parse::<i64>().is_ok_and(|t| t > 0),
        None => true,
    };
    f.failure_threshold >= 0 && f.replicas >= 0 && modifiers_ok
}

fn ready_pods(pods: &[Pod]) -> i32 {
    pods.iter()
        .filter(|p| p.phase == Phase::Running && p.ready == Some(ConditionStatus::True))
        .map(|p| i64::from(p.count.unwrap_or(1)))
        .sum::<i64>()
        .min(i64::from(i32::MAX)) as i32
}

/// `doFallback`: the synthetic metric that makes the HPA land on the
/// fallback count (`target × replicas`, divided by the ready pods for a
/// Value target).
fn fallback_value(r: &KedaReconcile<'_>, scaler: &Scaler) -> Result<f64, String> {
    let Some(f) = &r.so.spec.fallback else {
        return Err("no fallback".into());
    };
    let current = r.target.replicas;
    let mut replicas = f64::from(match f.behavior() {
        "currentReplicas" => current,
        "currentReplicasIfHigher" => current.max(f.replicas),
        "currentReplicasIfLower" => current.min(f.replicas),
        _ => f.replicas,
    });
    let (metric_type, target) = match r.so.modifiers() {
        Some(m) => (
            m.metric_type.as_deref().unwrap_or("AverageValue"),
            m.target.trim().parse::<f64>().unwrap_or(0.0),
        ),
        None => (scaler.metric_type.as_str(), scaler.target),
    };
    if metric_type == "Value" {
        let ready = ready_pods(r.pods);
        if ready == 0 {
            return Err("error performing fallback".into());
        }
        replicas /= f64::from(ready);
    }
    Ok(go_i64(target * 1000.0 * replicas) as f64 / 1000.0)
}

/// Every trigger's scaler read once, with fallback and scaling modifiers
/// applied: what both the operator's poll and KEDA's metrics adapter see.
///
/// `getScaledObjectState` / `getScalerState` (scale_handler.go),
/// `GetMetricsWithFallback` (fallback.go: each fetch counts a failure or
/// resets the count) and `HandleScalingModifiers` (formula.go).
#[derive(Clone, Debug)]
pub struct ScalersState {
    triggers: Vec<TriggerState>,
    /// Any trigger (or the composite metric) active.
    pub is_active: bool,
    /// Any trigger failed (and is not in fallback).
    pub is_error: bool,
    /// The composite metric, under scaling modifiers.
    composite: Option<Result<f64, String>>,
    /// The operator's state with this fetch's failure counts.
    pub state: KedaState,
}

/// The scalers of every trigger (`scalers::describe_in`), in trigger order.
/// A trigger whose scaler cannot be read (the ScaledObject was not
/// validated) gets no target: every evaluation of it fails with the reason.
pub fn scalers_of(so: &ScaledObject) -> Vec<Scaler> {
    let cx = scalers::Context {
        as_metric_source: so.modifiers().is_some(),
        namespace: &so.metadata.namespace,
    };
    so.spec
        .triggers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            scalers::describe_in(t, i, &cx).unwrap_or_else(|e| Scaler {
                metric_name: format!("s{i}-{}", t.type_),
                target: f64::NAN,
                activation: 0.0,
                activity: scalers::Activity::Never,
                metric_type: "AverageValue".into(),
                resource: None,
                target_from_reading: false,
                notes: alloc::vec![(String::new(), e.message)],
            })
        })
        .collect()
}

/// [`scalers_of`] with each external scaler's target taken from its
/// reading (`GetMetricSpec`, the reading's `target`).
pub fn scalers_with_readings(so: &ScaledObject, readings: &[Reading]) -> Vec<Scaler> {
    let mut scalers = scalers_of(so);
    for (s, r) in scalers.iter_mut().zip(readings) {
        if s.target_from_reading {
            if let Some(t) = r.target {
                s.target = t.milli_value() as f64 / 1000.0;
            }
        }
    }
    scalers
}

/// Why a scaler has no usable target, if it has none.
fn unusable(scaler: &Scaler) -> Option<String> {
    if !scaler.target.is_nan() {
        return None;
    }
    Some(if scaler.target_from_reading {
        "the external scaler's GetMetricSpec target is not known (give it as the reading's `target`)".into()
    } else {
        scaler
            .notes
            .first()
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| "the scaler cannot be read".into())
    })
}

/// One trigger's scaler called at `now` (`GetMetricsAndActivity`): the
/// value its metric carries and whether the trigger is active, or the
/// scaler's error. The value is what `scalers.GenerateMetricInMili` sends
/// (`quantityFromFloat64`: negative values become 0); activity is judged
/// on the raw value. Shared by ScaledObjects and ScaledJobs.
pub(crate) fn read_trigger(
    scaler: &Scaler,
    reading: Option<&Reading>,
    now: Instant,
) -> Result<(f64, bool), String> {
    let raw: Result<f64, String> = if let Some(e) = unusable(scaler) {
        Err(e)
    } else if let scalers::Activity::Window(w) = &scaler.activity {
        // cron: GetMetricsAndActivity evaluates the schedule at `now`.
        w.inside(i128::from(now.as_nanos())).map(|inside| {
            if inside {
                w.desired_replicas as f64
            } else {
                0.0
            }
        })
    } else {
        match reading {
            Some(Reading { error: Some(e), .. }) => Err(e.clone()),
            Some(Reading { value: Some(v), .. }) => Ok(v.milli_value() as f64 / 1000.0),
            Some(Reading {
                values: Some(vs), ..
            }) if !vs.is_empty() => Ok(vs.iter().map(|v| v.milli_value() as f64 / 1000.0).sum()),
            _ => Err("no reading".into()),
        }
    };
    let v = raw?;
    let active = match &scaler.activity {
        scalers::Activity::Above => v > scaler.activation,
        scalers::Activity::AtLeastTarget => v >= scaler.target,
        // Inside the window: the metric is desiredReplicas (not 0).
        scalers::Activity::Window(_) => v != 0.0,
        scalers::Activity::Reported => reading.and_then(|r| r.active) == Some(true),
        scalers::Activity::Never => false,
    };
    Ok((if v < 0.0 { 0.0 } else { v }, active))
}

/// Reads every trigger at `r.now` from `r.readings`.
pub fn scalers_state(r: &KedaReconcile<'_>, scalers: &[Scaler]) -> ScalersState {
    let so = r.so;
    let mut state = r.state.clone();
    state.failures.resize(so.spec.triggers.len(), 0);
    let fallback_on = valid_fallback(so);
    let threshold = so
        .spec
        .fallback
        .as_ref()
        .map(|f| f.failure_threshold)
        .unwrap_or(0);
    let modifiers_fallback = so
        .spec
        .fallback
        .as_ref()
        .is_some_and(|f| f.behavior() == "scalingModifiers");
    let mut triggers: Vec<TriggerState> = Vec::with_capacity(scalers.len());
    for (i, (t, scaler)) in so.spec.triggers.iter().zip(scalers).enumerate() {
        let mut st = TriggerState {
            scaler: scaler.clone(),
            value: None,
            error: None,
            active: false,
            fallback: false,
        };
        if t.is_resource() {
            // cpu/memory: a Resource metric the HPA reads from pods; never an activator.
            triggers.push(st);
            continue;
        }
        match read_trigger(scaler, r.readings.get(i), r.now) {
            Ok((value, active)) => {
                if fallback_on {
                    state.failures[i] = 0;
                }
                st.active = active;
                st.value = Some(value);
            }
            Err(e) if fallback_on => {
                state.failures[i] = state.failures[i].saturating_add(1);
                if state.failures[i] > threshold {
                    if modifiers_fallback {
                        // The formula sees `nil` for this trigger.
                        st.fallback = true;
                        st.active = true;
                    } else {
                        match fallback_value(r, scaler) {
                            Ok(v) => {
                                st.fallback = true;
                                st.active = true;
                                st.value = Some(v);
                            }
                            Err(fe) => st.error = Some(fe),
                        }
                    }
                } else {
                    st.error = Some(e);
                }
            }
            Err(e) => st.error = Some(e),
        }
        triggers.push(st);
    }
    let is_error = triggers.iter().any(|t| t.error.is_some());
    let fallback_active = triggers.iter().any(|t| t.fallback);
    let mut is_active = triggers.iter().any(|t| t.active);

    // HandleScalingModifiers and the composite's activation.
    let mut composite: Option<Result<f64, String>> = None;
    if let Some(m) = so.modifiers() {
        let target: f64 = m.target.trim().parse().unwrap_or(0.0);
        let value = if fallback_active && !modifiers_fallback {
            let f = so.spec.fallback.as_ref().map(|f| f.replicas).unwrap_or(0);
            Ok(target * f64::from(f))
        } else {
            run_formula(so, &triggers, target)
        };
        is_active = false;
        if !is_error {
            let activation: f64 = m.activation_target.trim().parse().unwrap_or(0.0);
            if let Ok(v) = &value {
                is_active = *v > activation;
            }
        }
        composite = Some(value);
    }
    // Only cpu/memory triggers: always active (they cannot activate from zero).
    if so.spec.triggers.iter().all(|t| t.is_resource()) && !is_error {
        is_active = true;
    }
    ScalersState {
        triggers,
        is_active,
        is_error,
        composite,
        state,
    }
}

impl ScalersState {
    /// What KEDA's metrics adapter serves the owned HPA
    /// (`GetScaledObjectMetrics`), in the generated HPA's metric order: each
    /// External metric's value (or error), the composite metric under
    /// scaling modifiers, then the cpu/memory readings as they are.
    pub fn hpa_readings(&self, raw: &[Reading]) -> Vec<Reading> {
        hpa_readings(&self.triggers, raw, self.composite.as_ref())
    }

    /// The `Fallback` condition (only with a valid fallback).
    fn fallback_condition(&self, so: &ScaledObject, conditions: &mut Conditions) {
        if !valid_fallback(so) {
            return;
        }
        let threshold = so
            .spec
            .fallback
            .as_ref()
            .map(|f| f.failure_threshold)
            .unwrap_or(0);
        if self.state.failures.iter().any(|f| *f > threshold) {
            conditions.set(
                ConditionType::Fallback,
                true,
                Reason::FallbackExists,
                "At least one trigger is falling back on this scaled object",
            );
        } else {
            conditions.set(
                ConditionType::Fallback,
                false,
                Reason::NoFallbackFound,
                "No fallbacks are active on this scaled object",
            );
        }
    }
}

/// What the operator's poll did.
#[derive(Clone, Debug, PartialEq)]
pub struct Poll {
    /// The operator's action.
    pub action: OperatorAction,
    /// Active (triggers, or forced by annotation).
    pub active: bool,
    /// `Active` (and `Paused`) conditions.
    pub conditions: Conditions,
    /// The operator's state after the poll (`lastActiveTime`, failures).
    pub state: KedaState,
}

/// `RequestScale` (scale_scaledobjects.go) after `handlePaused`: the
/// operator's own moves (0 ↔ N, idle ↔ min, below-min correction, paused
/// replicas), given the scalers' state.
pub fn request_scale(r: &KedaReconcile<'_>, scalers: &ScalersState) -> Poll {
    let so = r.so;
    let mut conditions = Conditions::default();
    let mut state = scalers.state.clone();
    let current = r.target.replicas;
    if so.paused_replicas().is_some() || so.paused() {
        // The scale loop is stopped and the HPA deleted; paused-replicas pins the count.
        conditions.set(
            ConditionType::Paused,
            true,
            Reason::ScaledObjectPaused,
            "ScaledObject is paused",
        );
        let pinned = so
            .paused_replicas()
            .and_then(|v| v.trim().parse::<i32>().ok());
        // A negative count is written too (no bounds check upstream), but
        // the API server refuses the scale update (`spec.replicas: Invalid
        // value: must be greater than or equal to 0`, apps validation), so
        // the target keeps its replicas, as with a value that does not parse.
        let action = match pinned {
            Some(n) if n >= 0 && n != current => OperatorAction::Wrote(n),
            _ => OperatorAction::Paused,
        };
        return Poll {
            action,
            active: false,
            conditions,
            state: r.state.clone(),
        };
    }
    let (is_active, is_error) = (scalers.is_active, scalers.is_error);
    let min = so.min_replica_count();
    let mut action = OperatorAction::None;
    if is_active || so.force_activation() {
        let message = if so.force_activation() && !is_active {
            "Scaling is performed because activation is being forced by annotation"
        } else {
            "Scaling is performed because triggers are active"
        };
        conditions.set(ConditionType::Active, true, Reason::ScalerActive, message);
        if (so.spec.idle_replica_count.is_some() && current < min) || current == 0 {
            // scaleFromZeroOrIdle
            if !so.pause_scale_out() {
                action = OperatorAction::Wrote(so.hpa_min_replicas());
                state.last_active_time = Some(r.now);
            }
        } else if !is_error {
            state.last_active_time = Some(r.now);
        }
    } else {
        conditions.set(
            ConditionType::Active,
            false,
            Reason::ScalerNotActive,
            "Scaling is not performed because triggers are not active",
        );
        let fallback = so.spec.fallback.as_ref();
        if is_error && fallback.is_some_and(|f| f.replicas != 0) {
            // Left to the HPA, so that it can apply the fallback.
        } else if is_error && fallback.is_none() {
            // A broken scaler never scales to zero.
        } else if so
            .spec
            .idle_replica_count
            .is_some_and(|idle| current > idle)
            || (current > 0 && min == 0)
        {
            // scaleToZeroOrIdle
            if !so.pause_scale_in() {
                let cooldown = Duration::from_secs(i64::from(so.cooldown_period()));
                let initial =
                    Duration::from_secs(i64::from(so.spec.initial_cooldown_period.unwrap_or(0)));
                let cooled = match state.last_active_time {
                    Some(t) => (t + cooldown).before(r.now),
                    // No lastActiveTime: creation + initialCooldownPeriod, creation long ago.
                    None => (Instant::ZERO_TIME + initial).before(r.now),
                };
                if cooled {
                    action = OperatorAction::Wrote(so.spec.idle_replica_count.unwrap_or(min));
                } else {
                    conditions.set(
                        ConditionType::Active,
                        false,
                        Reason::ScalerCooldown,
                        "Scaler cooling down because triggers are not active",
                    );
                }
            }
        } else if so.spec.idle_replica_count.is_none() && current < min {
            action = OperatorAction::Wrote(min);
        }
    }
    if action == OperatorAction::Wrote(current) {
        action = OperatorAction::None;
    }
    Poll {
        action,
        active: is_active || so.force_activation(),
        conditions,
        state,
    }
}

/// The operator's poll and the owned HPA's reconcile: one KEDA evaluation.
pub fn reconcile_scaled_object(r: &KedaReconcile<'_>) -> KedaOutcome {
    let so = r.so;
    let scalers = scalers_with_readings(so, r.readings);
    let generated = generated_hpa(so, &scalers);
    let read = scalers_state(r, &scalers);
    let poll = request_scale(r, &read);
    let mut conditions = poll.conditions.clone();
    let mut metrics: Vec<MetricOutcome> = Vec::new();
    let mut hpa_outcome = None;
    let paused = poll.conditions.get(ConditionType::Paused).is_some();
    let mut history = r.history.cloned().unwrap_or_default();
    let desired = match poll.action {
        OperatorAction::Paused => r.target.replicas,
        OperatorAction::Wrote(n) => {
            if !paused {
                metrics = read
                    .triggers
                    .iter()
                    .map(|t| trigger_outcome(t, None))
                    .collect();
            }
            n
        }
        OperatorAction::None => {
            let readings = read.hpa_readings(r.readings);
            let outcome = horizontal::reconcile_hpa(&Reconcile {
                now: r.now,
                hpa: &generated,
                target: r.target,
                pods: r.pods,
                readings: &readings,
                history: r.history,
                controller: r.controller,
            });
            metrics = trigger_metrics(so, &read.triggers, &outcome);
            // The HPA's conditions first, then the ScaledObject's.
            let mut merged = outcome.conditions.clone();
            merged.0.append(&mut conditions.0);
            conditions = merged;
            history = outcome.history.clone();
            let d = outcome.desired_replicas;
            hpa_outcome = Some(outcome);
            d
        }
    };
    if !paused {
        read.fallback_condition(so, &mut conditions);
    }
    history.keda = Some(poll.state);
    KedaOutcome {
        desired_replicas: desired,
        active: poll.active,
        action: poll.action,
        metrics,
        conditions,
        history,
        hpa: hpa_outcome,
        generated,
    }
}

/// Maps the owned HPA's metrics (External first, then Resource) back to
/// the triggers; under scaling modifiers the composite metric comes last.
fn trigger_metrics(
    so: &ScaledObject,
    triggers: &[TriggerState],
    outcome: &HpaOutcome,
) -> Vec<MetricOutcome> {
    let modifiers = so.modifiers().is_some();
    let externals = if modifiers {
        1
    } else {
        triggers
            .iter()
            .filter(|t| t.scaler.resource.is_none())
            .count()
    };
    let (mut ext, mut res) = (0usize, externals);
    let mut metrics = Vec::with_capacity(triggers.len() + 1);
    for t in triggers {
        let hpa_metric = if t.scaler.resource.is_some() {
            res += 1;
            outcome.metrics.get(res - 1)
        } else if !modifiers {
            ext += 1;
            outcome.metrics.get(ext - 1)
        } else {
            None
        };
        metrics.push(trigger_outcome(t, hpa_metric));
    }
    if modifiers {
        if let Some(m) = outcome.metrics.first() {
            metrics.push(m.clone());
        }
    }
    metrics
}

/// `calculateScalingModifiersFormula`: the formula over trigger names; a
/// `nil` result falls back to `fallback.replicas × target`.
fn run_formula(so: &ScaledObject, triggers: &[TriggerState], target: f64) -> Result<f64, String> {
    let Some(m) = so.modifiers() else {
        return Err("no formula".into());
    };
    if let Some(t) = triggers.iter().find(|t| t.error.is_some()) {
        return Err(t.error.clone().unwrap_or_default());
    }
    let names: Vec<&str> = so
        .spec
        .triggers
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    let f = formula::compile(&m.formula, &names)?;
    let lookup = |name: &str| {
        so.spec
            .triggers
            .iter()
            .position(|t| t.name == name)
            .and_then(|i| triggers[i].value)
            .map(formula::Val::Num)
            .unwrap_or(formula::Val::Nil)
    };
    match f
        .eval(&lookup)
        .map_err(|e| format!("error trying to run custom formula: {e}"))?
    {
        formula::Val::Num(v) => Ok(go_i64(v * 1000.0) as f64 / 1000.0),
        formula::Val::Nil => match &so.spec.fallback {
            Some(fb) => Ok(f64::from(fb.replicas) * target),
            None => Err(
                "scalingModifiers formula evaluated to nil but no fallback is configured".into(),
            ),
        },
        formula::Val::Bool(b) => Err(format!("formula returned non-float result bool ({b})")),
    }
}

fn milli(v: f64) -> Quantity {
    Quantity::from_milli(go_i64(v * 1000.0), Format::DecimalSi)
}

/// The readings the owned HPA sees, in its metric order.
fn hpa_readings(
    triggers: &[TriggerState],
    raw: &[Reading],
    composite: Option<&Result<f64, String>>,
) -> Vec<Reading> {
    let external = |value: Option<f64>, error: Option<&String>| match (value, error) {
        (_, Some(e)) => Reading {
            error: Some(e.clone()),
            ..Reading::default()
        },
        (Some(v), None) => Reading {
            values: Some(alloc::vec![milli(v)]),
            ..Reading::default()
        },
        (None, None) => Reading {
            error: Some("no value".into()),
            ..Reading::default()
        },
    };
    let mut out = Vec::new();
    match composite {
        Some(Ok(v)) => out.push(external(Some(*v), None)),
        Some(Err(e)) => out.push(external(None, Some(e))),
        None => {
            for t in triggers.iter().filter(|t| t.scaler.resource.is_none()) {
                out.push(external(t.value, t.error.as_ref()));
            }
        }
    }
    for (i, t) in triggers.iter().enumerate() {
        if t.scaler.resource.is_some() {
            out.push(raw.get(i).cloned().unwrap_or_default());
        }
    }
    out
}

/// A trigger's entry in the decision: the HPA's proposal for its metric,
/// or its own value when the HPA did not run.
fn trigger_outcome(t: &TriggerState, hpa: Option<&MetricOutcome>) -> MetricOutcome {
    if let Some(m) = hpa {
        return m.clone();
    }
    MetricOutcome {
        replicas: None,
        value: t.value.map(milli),
        utilization: None,
        error: t.error.clone(),
        description: t.scaler.metric_name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_hpa_follows_keda() {
        let so: ScaledObject = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "batch"},
            "spec": {"scaleTargetRef": {"name": "w"}, "minReplicaCount": 0, "maxReplicaCount": 20,
                "triggers": [
                    {"type": "cpu", "metricType": "Utilization", "metadata": {"value": "60"}},
                    {"type": "rabbitmq", "metadata": {"queueName": "q", "mode": "QueueLength", "value": "5"}},
                ]}
        }))
        .unwrap();
        let scalers: Vec<Scaler> = so
            .spec
            .triggers
            .iter()
            .enumerate()
            .map(|(i, t)| scalers::describe(t, i).unwrap())
            .collect();
        let hpa = generated_hpa(&so, &scalers);
        assert_eq!(hpa.metadata.name, "keda-hpa-batch");
        assert_eq!(hpa.spec.min_replicas, Some(1));
        assert_eq!(hpa.spec.max_replicas, 20);
        assert_eq!(
            hpa.spec.metrics[0].type_, "External",
            "External metrics come first"
        );
        assert_eq!(
            hpa.spec.metrics[0].external.as_ref().unwrap().metric.name,
            "s1-rabbitmq-q"
        );
        assert_eq!(hpa.spec.metrics[1].type_, "Resource");
        assert!(hpa.spec.behavior.is_none());
    }
}
