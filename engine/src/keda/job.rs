//! KEDA ScaledJobs: one poll of the operator's ScaledJob loop, deciding how
//! many Jobs to create from the triggers' readings and the Jobs that are
//! still running or pending.
//!
//! Mirrors kedacore/keda at 8b4f083:
//! - `pkg/scaling/scale_handler.go` `getScaledJobMetrics` (each trigger's
//!   External metric and activity; a failing scaler sets `isError` and is
//!   left out; cpu/memory triggers give no External metric and are skipped)
//!   and `getScaledJobState`;
//! - `pkg/scaling/scaledjob/metrics.go` `CalculateQueueLengthAndMaxValue`
//!   (queue length over the target, capped) and `IsScaledJobActive` (the
//!   triggers combined by `multipleScalersCalculation`) — in [`strategy`];
//! - `pkg/scaling/executor/scale_jobs.go` `RequestJobScale`,
//!   `getScalingDecision`, `createJobs` and the four `ScalingStrategy`
//!   implementations — in [`strategy`];
//! - `controllers/keda/scaledjob_controller.go` `checkIfPaused`.
//!
//! The running and pending counts are inputs ([`Jobs`]): upstream counts
//! them from the Jobs it owns (`getRunningJobCount`: every unfinished Job;
//! `getPendingJobCount`: those whose pods are neither running nor
//! completed, or with `pendingPodConditions`, lack them). Deleting finished
//! Jobs beyond the history limits (`cleanUp`) changes no count and is not
//! modelled here.

pub mod spec;
pub mod strategy;

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::condition::{Condition, ConditionStatusText, ConditionType, Conditions, Reason};
use crate::model::Reading;
use crate::time::Instant;
pub use spec::{ScaledJob, read_scaled_job};
use strategy::{ScalerMetrics, Strategy};

/// The Jobs the ScaledJob owns at the poll (case key `jobs`).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Jobs {
    /// Every unfinished Job (`getRunningJobCount`; pending ones included).
    pub running: i64,
    /// Those of them still pending (`getPendingJobCount`).
    #[serde(default)]
    pub pending: i64,
}

/// Everything one ScaledJob poll reads.
#[derive(Clone, Copy, Debug)]
pub struct JobPoll<'a> {
    /// The instant of the poll.
    pub now: Instant,
    /// The ScaledJob (read by [`read_scaled_job`]).
    pub sj: &'a ScaledJob,
    /// The Jobs it owns.
    pub jobs: Jobs,
    /// One reading per trigger.
    pub readings: &'a [Reading],
}

/// One trigger's part of the poll.
#[derive(Clone, Debug, PartialEq)]
pub struct JobTrigger {
    /// The External metric's name (`s0-rabbitmq-jobs`).
    pub metric: String,
    /// The queue length: the metric's value (None: failed or not counted).
    pub queue_length: Option<f64>,
    /// `min(queueLength / target, MaxReplicaCount())`.
    pub max_value: Option<f64>,
    /// Whether the trigger is active.
    pub active: bool,
    /// The scaler's error.
    pub error: Option<String>,
}

/// The poll's result.
#[derive(Clone, Debug, PartialEq)]
pub struct JobOutcome {
    /// Jobs created by this poll (`createJobs`).
    pub jobs_to_create: i64,
    /// The scalers' maximum scale: ceil of the combined `maxValue`.
    pub max_scale: i64,
    /// The combined queue length, rounded up (`scaleTo` before the strategy).
    pub queue_length: i64,
    /// The strategy's `effectiveMaxScale` (at least 0).
    pub effective_max_scale: i64,
    /// The strategy's `scaleTo`.
    pub scale_to: i64,
    /// Any trigger active (or `minReplicaCount > 0`).
    pub active: bool,
    /// Some trigger failed.
    pub is_error: bool,
    /// Paused by annotation: the loop does not run.
    pub paused: bool,
    /// The strategy the poll used (`custom` with an unreadable percentage
    /// runs as `default`).
    pub strategy: Strategy,
    /// Per trigger, in spec order.
    pub triggers: Vec<JobTrigger>,
    /// `Ready`, `Active` (or `Paused`) as KEDA sets them.
    pub conditions: Conditions,
    /// `status.lastActiveTime` after the poll.
    pub last_active_time: Option<Instant>,
}

fn condition(
    conditions: &mut Conditions,
    type_: ConditionType,
    status: ConditionStatusText,
    reason: Reason,
    message: &'static str,
) {
    let c = Condition {
        type_,
        status,
        reason,
        message: Cow::Borrowed(message),
    };
    match conditions.0.iter_mut().find(|c| c.type_ == type_) {
        Some(existing) => *existing = c,
        None => conditions.0.push(c),
    }
}

/// Every trigger read at `now`: `getScaledJobMetrics` with
/// `CalculateQueueLengthAndMaxValue` for each External metric.
fn read_triggers(p: &JobPoll<'_>) -> (Vec<JobTrigger>, Vec<ScalerMetrics>, bool) {
    let sj = p.sj;
    let cx = crate::keda::scalers::Context {
        as_metric_source: false,
        namespace: &sj.metadata.namespace,
    };
    let max_replica_count = sj.max_replica_count();
    let mut out = Vec::with_capacity(sj.spec.triggers.len());
    let mut metrics = Vec::new();
    let mut is_error = false;
    for (i, t) in sj.spec.triggers.iter().enumerate() {
        let reading = p.readings.get(i);
        let mut scaler = match crate::keda::scalers::describe_in(t, i, &cx) {
            Ok(s) => s,
            Err(e) => {
                is_error = true;
                out.push(JobTrigger {
                    metric: format!("s{i}-{}", t.type_),
                    queue_length: None,
                    max_value: None,
                    active: false,
                    error: Some(e.message),
                });
                continue;
            }
        };
        if scaler.target_from_reading {
            if let Some(target) = reading.and_then(|r| r.target) {
                scaler.target = target.milli_value() as f64 / 1000.0;
            }
        }
        let mut trigger = JobTrigger {
            metric: scaler.metric_name.clone(),
            queue_length: None,
            max_value: None,
            active: false,
            error: None,
        };
        if t.is_resource() {
            // `spec.External == nil`: skipped, no error.
            out.push(trigger);
            continue;
        }
        match crate::keda::read_trigger(&scaler, reading, p.now) {
            Err(e) => {
                is_error = true;
                trigger.error = Some(e);
            }
            Ok((queue_length, active)) => {
                let m = strategy::queue_length_and_max_value(
                    queue_length,
                    strategy::target_average_value(scaler.target),
                    max_replica_count,
                    active,
                );
                trigger.queue_length = Some(m.queue_length);
                trigger.max_value = Some(m.max_value);
                trigger.active = active;
                metrics.push(m);
            }
        }
        out.push(trigger);
    }
    (out, metrics, is_error)
}

/// One poll of the ScaledJob loop at `p.now` (`checkScalers` →
/// `getScaledJobState` → `RequestJobScale`).
pub fn poll(p: &JobPoll<'_>) -> JobOutcome {
    let sj = p.sj;
    let strategy = Strategy::of(sj);
    if sj.paused() {
        // checkIfPaused: the Paused condition is set and the loop stopped.
        let mut conditions = Conditions::default();
        condition(
            &mut conditions,
            ConditionType::Paused,
            ConditionStatusText::True,
            Reason::ScaledJobPaused,
            "ScaledJob is paused",
        );
        return JobOutcome {
            jobs_to_create: 0,
            max_scale: 0,
            queue_length: 0,
            effective_max_scale: 0,
            scale_to: 0,
            active: false,
            is_error: false,
            paused: true,
            strategy,
            triggers: Vec::new(),
            conditions,
            last_active_time: None,
        };
    }
    let (triggers, metrics, is_error) = read_triggers(p);
    let combined = strategy::combine(
        &metrics,
        sj.multiple_scalers_calculation(),
        sj.min_replica_count(),
        sj.max_replica_count(),
    );
    let running = p.jobs.running;
    let pending = p.jobs.pending;
    let (effective, scale_to) = strategy::scaling_decision(
        sj,
        strategy,
        running,
        pending,
        combined.queue_length,
        combined.max_scale,
    );
    let effective = effective.max(0);
    let active = combined.active;
    // createJobs: nothing when the effective maximum is not positive.
    let jobs_to_create = if active && effective > 0 {
        scale_to.min(effective)
    } else {
        0
    };
    let mut conditions = Conditions::default();
    let (status, reason, message) = match (is_error, active) {
        (false, _) => (
            ConditionStatusText::True,
            Reason::ScaledJobReady,
            "ScaledJob is defined correctly and is ready for scaling",
        ),
        (true, true) => (
            ConditionStatusText::Unknown,
            Reason::PartialTriggerError,
            "Some triggers defined in ScaledJob are not working correctly",
        ),
        (true, false) => (
            ConditionStatusText::False,
            Reason::TriggerError,
            "Triggers defined in ScaledJob are not working correctly",
        ),
    };
    condition(
        &mut conditions,
        ConditionType::Ready,
        status,
        reason,
        message,
    );
    if active {
        condition(
            &mut conditions,
            ConditionType::Active,
            ConditionStatusText::True,
            Reason::ScalerActive,
            "Scaling is performed because triggers are active",
        );
    } else {
        condition(
            &mut conditions,
            ConditionType::Active,
            ConditionStatusText::False,
            Reason::ScalerNotActive,
            "Scaling is not performed because triggers are not active",
        );
    }
    JobOutcome {
        jobs_to_create,
        max_scale: combined.max_scale,
        queue_length: combined.queue_length,
        effective_max_scale: effective,
        scale_to,
        active,
        is_error,
        paused: false,
        strategy,
        triggers,
        conditions,
        last_active_time: active.then_some(p.now),
    }
}

/// One line for humans, from the outcome's own numbers.
pub fn explain(sj: &ScaledJob, jobs: Jobs, o: &JobOutcome) -> String {
    if o.paused {
        return "paused by autoscaling.keda.sh/paused: the ScaledJob loop does not run, no Jobs are created".into();
    }
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    let head = format!(
        "{} Job{} created: queue {} → max scale {} (of {}), {} running ({} pending), {} strategy",
        o.jobs_to_create,
        plural(o.jobs_to_create),
        o.queue_length,
        o.max_scale,
        sj.max_replica_count(),
        jobs.running,
        jobs.pending,
        o.strategy.as_str(),
    );
    if !o.active {
        return format!("{head}; no trigger is active, so nothing is created");
    }
    if o.effective_max_scale == 0 {
        return format!("{head}; room for no more Jobs");
    }
    format!(
        "{head}: room for {}, {} asked",
        o.effective_max_scale, o.scale_to
    )
}
