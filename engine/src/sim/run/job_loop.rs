//! A variant with a ScaledJob: [`crate::sim::jobs::run`] over the load
//! curve, its steps as the timeline the charts read (Jobs as replicas), its
//! polls that created Jobs as decisions, every poll handed to the trace.
//!
//! Columns: `desiredReplicas` and `replicas` are the unfinished Jobs,
//! `readyReplicas` the Jobs whose pods work, `queue` the broker's messages
//! (waiting and taken), `jobsPending` the pending Jobs. Latency, CPU and
//! GPU are not modelled for Jobs: those columns are NaN (`null` in JSON),
//! and so is `secondsOverSlo`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::super::Options;
use super::super::jobs::{self, ColdStart, JobSim};
use super::super::load::Curve;
use super::super::output::{Summary, VariantResult};
use super::super::scenario::{JobPlan, Scenario, Variant};
use super::{BASE_COLUMNS, Rises, sample_every, timeline};
use crate::sim::Trace;

/// Runs `v`'s ScaledJob over the load curve.
pub(super) fn run_jobs(
    sc: &Scenario,
    v: &Variant,
    plan: &JobPlan,
    curve: &Curve,
    opts: &mut Options<'_>,
) -> VariantResult {
    let dt = sc.step.as_secs_f64();
    let w = &v.workload;
    let mut warnings = v.warnings.clone();
    let sim = JobSim {
        sj: &plan.sj,
        raw: &plan.raw,
        model: plan.model,
        cold: ColdStart {
            schedule: w.schedule,
            pull: w.pull,
            load: w.load,
        },
        step: sc.step,
        start: sc.start,
    };
    let r = match jobs::run(&sim, &curve.rate, opts.trace.is_some()) {
        Ok(r) => r,
        Err(e) => {
            // The scenario reader checked the triggers and the step.
            warnings.push(format!("the ScaledJob was not simulated: {e}"));
            jobs::JobRun::default()
        }
    };
    if let Some(trace) = opts.trace.as_deref_mut() {
        for (index, t) in r.traces.iter().enumerate() {
            trace(Trace {
                variant: &v.name,
                autoscaler: &plan.sj.metadata.name,
                index,
                time: t.t,
                case: t.case.clone(),
            });
        }
    }

    let steps = r.t.len();
    let every = sample_every(opts, dt, steps, &mut warnings);
    let per_job = f64::from(plan.model.parallelism) / plan.model.duration.as_secs_f64();
    let mut rises = Rises::new(curve);
    let mut names: Vec<String> = BASE_COLUMNS.iter().map(|s| String::from(*s)).collect();
    names.push(String::from("jobsPending"));
    let mut cols: Vec<Vec<f64>> = names.iter().map(|_| Vec::new()).collect();
    let (mut job_seconds, mut arrived) = (0.0, 0.0);
    for i in 0..steps {
        let rate = curve.rate[i];
        job_seconds += r.running[i] * dt;
        arrived += rate * dt;
        rises.step(r.t[i], r.working[i] * per_job);
        if i % every == 0 {
            let row = [
                r.t[i],
                rate,
                r.running[i],
                r.running[i],
                r.working[i],
                r.queue[i],
                f64::NAN,
                f64::NAN,
                0.0,
                f64::NAN,
                f64::NAN,
                r.pending[i],
            ];
            for (col, x) in cols.iter_mut().zip(row) {
                col.push(x);
            }
        }
    }
    let replica_hours = job_seconds / 3600.0;
    VariantResult {
        name: v.name.clone(),
        timeline: timeline(names, cols),
        summary: Summary {
            replica_hours,
            cost: replica_hours * v.cost.per_replica_hour,
            currency: v.cost.currency.clone(),
            seconds_over_slo: f64::NAN,
            dropped: 0.0,
            arrived,
            served: r.completed_items as f64,
            peak_queue: r.queue.iter().copied().fold(0.0, f64::max),
            peak_replicas: r.running.iter().copied().fold(0.0, f64::max) as u64,
            scale_events: r.decisions.len(),
            node_hours: None,
            reconciles: r.polls,
            time_to_capacity: rises.out,
            reference: None,
        },
        decisions: r.decisions,
        metrics: Vec::new(),
        warnings,
        notices: v.notices.0.clone(),
        assumptions: v.assumptions.clone(),
    }
}
