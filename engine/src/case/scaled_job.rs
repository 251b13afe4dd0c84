//! The ScaledJob case (shared spec `eval-case.md`, "A KEDA ScaledJob
//! case"): `scaledJob:`, `jobs: {running, pending}` and one reading per
//! trigger, evaluated as one poll of KEDA's ScaledJob loop
//! ([`crate::keda::job::poll`]).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;

use serde_json::Value;

use super::{Autoscaler, Decision, EvalCase, MetricDecision, RawCase};
use crate::error::{Error, ErrorKind, Path};
use crate::keda::job::{self, Jobs, ScaledJob};
use crate::keda::scalers::Activity;
use crate::model::History;
use crate::model::{KedaState, Reading};
use crate::notice::{Notice, NoticeKind, Notices};
use crate::quantity::{Format, Quantity};

/// The largest reading a ScaledJob case takes: Go's `int64(math.Ceil(x))`
/// of a longer queue differs between amd64 and arm64 (`ceilToInt64`).
const MAX_READING: f64 = 1e18;

/// Reads a case whose autoscaler is `scaledJob:`.
pub(super) fn from_raw(value: &Value, mut raw: RawCase, sj: &Value) -> Result<EvalCase, Error> {
    let root = Path::root();
    for (given, key) in [
        (raw.hpa.is_some(), "hpa"),
        (raw.scaled_object.is_some(), "scaledObject"),
    ] {
        if given {
            return Err(Error::new(
                ErrorKind::Schema,
                root.child(key),
                "a case evaluates one autoscaler: give `hpa`, `scaledObject` or `scaledJob`, not two",
            ));
        }
    }
    let at = root.child("scaledJob");
    let read = job::read_scaled_job(sj, &at)?;
    let Some(jobs) = raw.jobs else {
        return Err(Error::new(
            ErrorKind::Schema,
            root,
            "missing field `jobs` (a ScaledJob case gives `jobs: {running, pending}`)",
        ));
    };
    let mut notices = crate::schema::scaled_job(sj, &at);
    notices.0.extend(read.notices.0);
    crate::schema::walk(
        value,
        &crate::schema::case_format::CASE,
        &root,
        &mut String::new(),
        &mut notices,
    );
    for (given, key, what) in [
        (
            raw.target.is_some(),
            "target",
            "a ScaledJob has no scale target",
        ),
        (
            !raw.pods.is_empty(),
            "pods",
            "a ScaledJob's poll reads no pods",
        ),
        (
            !raw.metrics.is_empty(),
            "metrics",
            "a ScaledJob's readings are `triggers`",
        ),
        (
            raw.history.as_ref().is_some_and(|h| {
                !h.recommendations.is_empty()
                    || !h.scale_up_events.is_empty()
                    || !h.scale_down_events.is_empty()
            }),
            "history",
            "a ScaledJob has no HPA whose memory this is",
        ),
    ] {
        if given {
            notices.push(Notice::new(
                NoticeKind::Ignored,
                root.child(key),
                format!("{what}; `{key}` is ignored"),
            ));
        }
    }
    readings(&mut raw, &read.sj, &mut notices)?;
    let state = raw
        .keda
        .clone()
        .or_else(|| raw.history.as_ref().and_then(|h| h.keda.clone()))
        .unwrap_or_default();
    let autoscaler = Autoscaler::ScaledJob(Box::new(read.sj), jobs, state);
    super::check(&raw, &autoscaler)?;
    Ok(EvalCase {
        notices,
        now: raw.now,
        autoscaler,
        target: Default::default(),
        pods: alloc::vec::Vec::new(),
        readings: raw.triggers,
        history: None,
        controller: raw.controller,
        warnings: alloc::vec::Vec::new(),
    })
}

/// A cron trigger needs no reading (one given is ignored; `triggers` may
/// be left out when every trigger is cron or cpu/memory); an external
/// trigger's reading carries its `GetMetricSpec` target and `IsActive`.
fn readings(raw: &mut RawCase, sj: &ScaledJob, notices: &mut Notices) -> Result<(), Error> {
    let cx = crate::keda::scalers::Context {
        as_metric_source: false,
        namespace: &sj.metadata.namespace,
    };
    let triggers = &sj.spec.triggers;
    let scalers: alloc::vec::Vec<_> = triggers
        .iter()
        .enumerate()
        .map(|(i, t)| crate::keda::scalers::describe_in(t, i, &cx).ok())
        .collect();
    let needs_none = |i: usize| {
        triggers[i].is_resource()
            || scalers[i]
                .as_ref()
                .is_some_and(|s| matches!(s.activity, Activity::Window(_)))
    };
    if raw.triggers.is_empty() && (0..triggers.len()).all(needs_none) {
        raw.triggers = alloc::vec![Reading::default(); triggers.len()];
    }
    for (i, reading) in raw.triggers.iter_mut().enumerate().take(triggers.len()) {
        let at = Path::root().child("triggers").index(i);
        let given = reading.value.is_some()
            || reading.values.is_some()
            || reading.error.is_some()
            || reading.pod_values.is_some();
        if needs_none(i) {
            if given {
                notices.push(Notice::new(
                    NoticeKind::Ignored,
                    at,
                    format!("scaledJob.spec.triggers[{i}] is a {} trigger: KEDA's ScaledJob loop takes no reading from it here, so this one is ignored", triggers[i].type_),
                ));
            }
            *reading = Reading::default();
            continue;
        }
        super::external_reading(
            "scaledJob",
            i,
            &triggers[i].type_,
            scalers[i].as_ref().is_some_and(|s| s.target_from_reading),
            reading,
            notices,
        )?;
    }
    Ok(())
}

/// The counts, and one reading per trigger that fits it.
pub(super) fn check(raw: &RawCase, sj: &ScaledJob, jobs: Jobs) -> Result<(), Error> {
    let root = Path::root();
    let jp = root.child("jobs");
    if jobs.running < 0 {
        return Err(Error::new(
            ErrorKind::Invalid,
            jp.child("running"),
            "must be at least 0",
        ));
    }
    if jobs.pending < 0 || jobs.pending > jobs.running {
        return Err(Error::new(
            ErrorKind::Invalid,
            jp.child("pending"),
            format!(
                "must be between 0 and `running` ({}): pending Jobs are unfinished Jobs, counted in `running` as KEDA counts them",
                jobs.running
            ),
        ));
    }
    let triggers = &sj.spec.triggers;
    super::trigger_count("scaledJob", triggers.len(), raw.triggers.len())?;
    for (i, (t, r)) in triggers.iter().zip(&raw.triggers).enumerate() {
        let at = root.child("triggers").index(i);
        if r.error.is_some() || t.is_resource() || t.type_ == "cron" {
            continue;
        }
        let values = r.value.iter().chain(r.values.iter().flatten());
        let mut any = false;
        for q in values {
            any = true;
            if (q.milli_value() as f64 / 1000.0).abs() >= MAX_READING {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    at.clone(),
                    format!(
                        "a queue of {q}: Go's int64 of its ceiling differs between amd64 and arm64 (ceilToInt64); replicast reads queues below 1e18"
                    ),
                ));
            }
        }
        if !any {
            return Err(Error::new(
                ErrorKind::Schema,
                at,
                format!(
                    "scaledJob.spec.triggers[{i}] is a {} trigger: its reading needs `value` (what the scaler reports), or `error`",
                    t.type_
                ),
            ));
        }
    }
    Ok(())
}

/// One poll, as a decision: `desiredReplicas` is the unfinished Jobs after
/// the poll (`running + jobsToCreate`).
pub(super) fn evaluate(case: &EvalCase, sj: &ScaledJob, jobs: Jobs, state: &KedaState) -> Decision {
    let outcome = job::poll(&job::JobPoll {
        now: case.now,
        sj,
        jobs,
        readings: &case.readings,
    });
    let explanation = job::explain(sj, jobs, &outcome);
    let metrics = outcome
        .triggers
        .iter()
        .map(|t| MetricDecision {
            replicas: t.max_value.map(|m| {
                crate::calculator::go_i64(libm::ceil(m)).clamp(0, i64::from(i32::MAX)) as i32
            }),
            value: t.queue_length.map(|q| {
                Quantity::from_milli(crate::calculator::go_i64(q * 1000.0), Format::DecimalSi)
            }),
            utilization: None,
            error: t.error.clone(),
            metric: t.metric.clone(),
        })
        .collect();
    let desired = jobs.running.saturating_add(outcome.jobs_to_create);
    Decision {
        desired_replicas: desired.clamp(0, i64::from(i32::MAX)) as i32,
        metrics,
        conditions: outcome.conditions,
        history: History {
            keda: Some(KedaState {
                last_active_time: outcome.last_active_time.or(state.last_active_time),
                failures: alloc::vec::Vec::new(),
            }),
            ..Default::default()
        },
        explanation,
        active: Some(outcome.active),
        jobs_to_create: Some(outcome.jobs_to_create),
        max_scale: Some(outcome.max_scale),
        desired_pods: None,
        panic: None,
        excess_burst_capacity: None,
        desired_scale: None,
        observed: None,
        memory: None,
        warnings: case.all_warnings(),
        notices: case.notices.0.clone(),
    }
}
