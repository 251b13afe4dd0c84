//! Jobs from a queue: a KEDA ScaledJob polled on its own clock against a
//! broker queue, each Job it creates cold-starting like a pod, taking the
//! work items it was created for and running them to completion.
//!
//! The model (replicast's own; the decision is [`crate::keda::job::poll`]):
//! - **Queue**: messages arrive at the load curve's rate and wait in the
//!   broker; a message a Job has taken stays in the queue's count until the
//!   Job finishes it (unacknowledged), as the simulator's queue mode counts
//!   them.
//! - **Jobs**: a created Job's pod is scheduled after `coldStart.schedule`,
//!   running after `pull` and ready after `load`; at that moment it takes up
//!   to `parallelism` waiting messages (one per pod), or finds the queue
//!   empty and completes at once; it completes `job.duration` later.
//! - **Counts**: `running` is every unfinished Job (`getRunningJobCount`);
//!   a Job is pending until its pod runs (`isAnyPodRunningOrCompleted`), or,
//!   with `scalingStrategy.pendingPodConditions`, until every listed
//!   condition holds: `PodScheduled` and `Initialized` once scheduled,
//!   `ContainersReady` and `Ready` once loaded; any other condition never
//!   holds in the model, so such a Job stays pending (as it would when
//!   nothing sets the condition).
//! - **Triggers**: a queue-length trigger (`rabbitmq` in QueueLength mode,
//!   `aws-sqs-queue`, `kafka`) reads the queue at the poll, whole messages;
//!   other triggers are refused.
//! - **Polls**: at 0 and every `pollingInterval`; each poll is one
//!   evaluation case ([`JobTrace`]) that `replicast eval` replays.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::output::DecisionRecord;
use crate::error::{Error, ErrorKind, Path};
use crate::keda::job::{self, Jobs, ScaledJob};
use crate::model::Reading;
use crate::quantity::Quantity;
use crate::time::{Duration, Instant};

/// `workload.job`: how one Job runs once its pod is ready.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobModel {
    /// Seconds a Job works on the items it took.
    pub duration: Duration,
    /// Pods per Job, each taking one item (`jobTargetRef.parallelism`).
    pub parallelism: u32,
}

/// Pod created → scheduled → running → loaded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColdStart {
    /// Created → scheduled.
    pub schedule: Duration,
    /// Scheduled → running (image pull).
    pub pull: Duration,
    /// Running → ready to work (model loaded).
    pub load: Duration,
}

/// One unfinished Job, in steps.
#[derive(Clone, Copy, Debug)]
struct Job {
    scheduled: i64,
    running: i64,
    loaded: i64,
    /// Items taken (once loaded).
    items: Option<u32>,
    done: i64,
}

/// The queue and the Jobs at one step.
#[derive(Clone, Debug, Default)]
struct State {
    waiting: f64,
    in_flight: u64,
    jobs: Vec<Job>,
    completed_items: u64,
}

/// One poll, as an evaluation case with the decision it took.
#[derive(Clone, Debug, PartialEq)]
pub struct JobTrace {
    /// Seconds since the run's start.
    pub t: f64,
    /// The case (shared spec `eval-case.md`, "A KEDA ScaledJob case") with
    /// `expect: {jobsToCreate, maxScale, active}`.
    pub case: Value,
}

/// What a run produced, one row per step.
#[derive(Clone, Debug, Default)]
pub struct JobRun {
    /// Seconds since the start.
    pub t: Vec<f64>,
    /// Messages in the queue (waiting and taken but unfinished).
    pub queue: Vec<f64>,
    /// Unfinished Jobs.
    pub running: Vec<f64>,
    /// Pending Jobs.
    pub pending: Vec<f64>,
    /// Jobs whose pods work (loaded, items taken).
    pub working: Vec<f64>,
    /// Jobs created over the run.
    pub created: u64,
    /// Items finished over the run.
    pub completed_items: u64,
    /// Every poll, when traced.
    pub traces: Vec<JobTrace>,
    /// Polls that created Jobs, for the decision list: `replicas` is the
    /// running Jobs, `desiredReplicas` those plus the Jobs created.
    pub decisions: Vec<DecisionRecord>,
    /// Polls over the run.
    pub polls: usize,
}

/// Whether the triggers are ones the model can read: queue lengths.
pub(crate) fn check_triggers(sj: &ScaledJob, at: &Path) -> Result<(), Error> {
    for (i, t) in sj.spec.triggers.iter().enumerate() {
        let queue = match t.type_.as_str() {
            "rabbitmq" => t.metadata.get("mode").is_none_or(|m| m == "QueueLength"),
            "aws-sqs-queue" | "kafka" => true,
            _ => false,
        };
        if !queue {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("spec").child("triggers").index(i).child("type"),
                format!(
                    "the jobs simulation reads queue lengths (rabbitmq QueueLength, aws-sqs-queue, kafka); a {} trigger is not simulated",
                    t.type_
                ),
            ));
        }
    }
    Ok(())
}

fn steps(d: Duration, step: f64) -> i64 {
    libm::ceil(d.as_secs_f64() / step - 1e-9).max(0.0) as i64
}

/// `pendingPodConditions` as the model sets them: the step at which every
/// listed condition holds, `None` when one never does.
fn condition_step(j: &Job, conditions: &[String]) -> Option<i64> {
    let mut at = j.scheduled;
    for c in conditions {
        at = at.max(match c.as_str() {
            "PodScheduled" | "Initialized" => j.scheduled,
            "ContainersReady" | "Ready" => j.loaded,
            _ => return None,
        });
    }
    Some(at)
}

impl State {
    fn counts(&self, i: i64, conditions: &[String]) -> Jobs {
        let pending = self
            .jobs
            .iter()
            .filter(|j| {
                if conditions.is_empty() {
                    i < j.running
                } else {
                    condition_step(j, conditions).is_none_or(|at| i < at)
                }
            })
            .count();
        Jobs {
            running: self.jobs.len() as i64,
            pending: pending as i64,
        }
    }

    /// Loaded Jobs take their items; finished Jobs leave with theirs.
    fn advance(&mut self, i: i64, model: &JobModel, duration_steps: i64) {
        for j in self.jobs.iter_mut() {
            if j.items.is_none() && i >= j.loaded {
                let take = libm::floor(self.waiting).min(f64::from(model.parallelism)) as u32;
                self.waiting -= f64::from(take);
                self.in_flight += u64::from(take);
                j.items = Some(take);
                j.done = if take == 0 { i } else { i + duration_steps };
            }
        }
        let mut finished = 0u64;
        self.jobs.retain(|j| {
            let done = j.items.is_some() && i >= j.done;
            if done {
                finished += u64::from(j.items.unwrap_or(0));
            }
            !done
        });
        self.in_flight -= finished;
        self.completed_items += finished;
    }
}

/// A ScaledJob and how its Jobs run.
#[derive(Clone, Copy, Debug)]
pub struct JobSim<'a> {
    /// The ScaledJob (read by [`job::read_scaled_job`]).
    pub sj: &'a ScaledJob,
    /// The ScaledJob as written (the traced cases carry it).
    pub raw: &'a Value,
    /// How one Job runs.
    pub model: JobModel,
    /// Its pod's cold start.
    pub cold: ColdStart,
    /// The simulation step.
    pub step: Duration,
    /// The wall clock of t = 0.
    pub start: Instant,
}

/// Runs `sim` against `rates` (messages per second, one per step), every
/// poll traced as an evaluation case when `trace` is set.
pub fn run(sim: &JobSim<'_>, rates: &[f64], trace: bool) -> Result<JobRun, Error> {
    let JobSim {
        sj,
        raw,
        model,
        cold,
        step,
        start,
    } = *sim;
    let model = &model;
    check_triggers(sj, &Path::root().child("scaledJob"))?;
    let dt = step.as_secs_f64();
    if dt.is_nan() || dt <= 0.0 {
        return Err(Error::new(
            ErrorKind::Invalid,
            Path::root().child("step"),
            "must be above 0",
        ));
    }
    let (schedule, pull, load) = (
        steps(cold.schedule, dt),
        steps(cold.pull, dt),
        steps(cold.load, dt),
    );
    let duration_steps = steps(model.duration, dt).max(1);
    let poll_steps = steps(
        Duration::from_secs_f64(f64::from(sj.polling_interval())),
        dt,
    )
    .max(1);
    let conditions = &sj.spec.scaling_strategy.pending_pod_conditions;
    let mut s = State::default();
    let mut out = JobRun::default();
    let mut last_active: Option<Instant> = None;
    for (i, &rate) in rates.iter().enumerate() {
        let i = i as i64;
        s.waiting += rate * dt;
        s.advance(i, model, duration_steps);
        if i % poll_steps == 0 {
            let now = start + Duration::from_secs_f64(i as f64 * dt);
            let jobs = s.counts(i, conditions);
            let queue = libm::floor(s.waiting) as i64 + s.in_flight as i64;
            let readings: Vec<Reading> = sj
                .spec
                .triggers
                .iter()
                .map(|_| Reading {
                    value: Some(Quantity::from_milli(
                        queue.saturating_mul(1000),
                        Default::default(),
                    )),
                    ..Default::default()
                })
                .collect();
            let outcome = job::poll(&job::JobPoll {
                now,
                sj,
                jobs,
                readings: &readings,
            });
            if trace {
                out.traces.push(JobTrace {
                    t: i as f64 * dt,
                    case: traced_case(raw, now, jobs, queue, last_active, &outcome),
                });
            }
            last_active = outcome.last_active_time.or(last_active);
            out.polls += 1;
            if outcome.jobs_to_create > 0 {
                out.decisions
                    .push(decision(sj, i as f64 * dt, jobs, &outcome));
            }
            for _ in 0..outcome.jobs_to_create.max(0) {
                let scheduled = i + schedule;
                let running = scheduled + pull;
                s.jobs.push(Job {
                    scheduled,
                    running,
                    loaded: running + load,
                    items: None,
                    done: i64::MAX,
                });
            }
            out.created += outcome.jobs_to_create.max(0) as u64;
            // A Job whose cold start is instant takes its items at once.
            s.advance(i, model, duration_steps);
        }
        let counts = s.counts(i, conditions);
        out.t.push(i as f64 * dt);
        out.queue.push(libm::floor(s.waiting) + s.in_flight as f64);
        out.running.push(counts.running as f64);
        out.pending.push(counts.pending as f64);
        out.working.push(
            s.jobs
                .iter()
                .filter(|j| j.items.is_some_and(|n| n > 0))
                .count() as f64,
        );
    }
    out.completed_items = s.completed_items;
    Ok(out)
}

/// A poll that created Jobs, as the decision list gives it.
fn decision(sj: &ScaledJob, t: f64, jobs: Jobs, o: &job::JobOutcome) -> DecisionRecord {
    let clamp = |n: i64| n.clamp(0, i64::from(i32::MAX)) as i32;
    DecisionRecord {
        time: t,
        autoscaler: sj.metadata.name.clone(),
        replicas: clamp(jobs.running),
        desired_replicas: clamp(jobs.running.saturating_add(o.jobs_to_create)),
        metrics: Vec::new(),
        conditions: o.conditions.clone(),
        explanation: job::explain(sj, jobs, o),
    }
}

/// One poll written as an evaluation case with its decision in `expect:`.
fn traced_case(
    raw: &Value,
    now: Instant,
    jobs: Jobs,
    queue: i64,
    last_active: Option<Instant>,
    o: &job::JobOutcome,
) -> Value {
    let triggers: Vec<Value> = raw
        .pointer("/spec/triggers")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .map(|_| json!({"value": queue.to_string()}))
                .collect()
        })
        .unwrap_or_default();
    let mut case = json!({
        "now": now.as_secs_f64(),
        "scaledJob": raw,
        "jobs": {"running": jobs.running, "pending": jobs.pending},
        "triggers": triggers,
        "expect": {"jobsToCreate": o.jobs_to_create, "maxScale": o.max_scale, "active": o.active},
    });
    if let Some(t) = last_active {
        case["keda"] = json!({"lastActiveTime": t.as_secs_f64()});
    }
    case
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled_job(extra: Value) -> (ScaledJob, Value) {
        let mut raw = json!({
            "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob",
            "metadata": {"name": "batch"},
            "spec": {
                "jobTargetRef": {"template": {"spec": {"containers": [{"name": "w"}]}}},
                "pollingInterval": 10, "maxReplicaCount": 20,
                "triggers": [{"type": "rabbitmq", "metadata": {
                    "host": "amqp://guest:guest@rabbitmq:5672/", "queueName": "jobs",
                    "mode": "QueueLength", "value": "1"}}],
            },
        });
        for (k, v) in extra.as_object().into_iter().flatten() {
            raw["spec"][k] = v.clone();
        }
        let sj = job::read_scaled_job(&raw, &Path::root()).unwrap().sj;
        (sj, raw)
    }

    fn sim<'a>(sj: &'a ScaledJob, raw: &'a Value, duration: i64, parallelism: u32) -> JobSim<'a> {
        JobSim {
            sj,
            raw,
            model: JobModel {
                duration: Duration::from_secs(duration),
                parallelism,
            },
            cold: cold(),
            step: Duration::from_secs(1),
            start: Instant::from_secs_f64(1000.0),
        }
    }

    fn cold() -> ColdStart {
        ColdStart {
            schedule: Duration::from_secs(2),
            pull: Duration::from_secs(8),
            load: Duration::from_secs(10),
        }
    }

    #[test]
    fn a_burst_is_worked_off_and_every_item_completes() {
        let (sj, raw) = scaled_job(json!({}));
        let model = (30, 1);
        // 40 messages in the first second, then nothing for 10 minutes.
        let mut rates = alloc::vec![0.0; 600];
        rates[0] = 40.0;
        let r = run(&sim(&sj, &raw, model.0, model.1), &rates, false).unwrap();
        assert_eq!(r.completed_items, 40);
        assert_eq!(*r.queue.last().unwrap(), 0.0);
        assert_eq!(*r.running.last().unwrap(), 0.0);
        // At most maxReplicaCount Jobs at once.
        assert!(r.running.iter().all(|&n| n <= 20.0));
        assert!(r.running.contains(&20.0));
    }

    #[test]
    fn jobs_are_pending_through_their_cold_start() {
        let (sj, raw) = scaled_job(json!({}));
        let model = (60, 1);
        let mut rates = alloc::vec![0.0; 30];
        rates[0] = 3.0;
        let r = run(&sim(&sj, &raw, model.0, model.1), &rates, false).unwrap();
        // Created at 0, running (pod) from 10 s.
        assert_eq!((r.running[0], r.pending[0]), (3.0, 3.0));
        assert_eq!((r.running[9], r.pending[9]), (3.0, 3.0));
        assert_eq!((r.running[10], r.pending[10]), (3.0, 0.0));
        // Working once loaded (20 s).
        assert_eq!((r.working[19], r.working[20]), (0.0, 3.0));
    }

    #[test]
    fn traced_polls_replay_through_eval() {
        let (sj, raw) = scaled_job(json!({"scalingStrategy": {"strategy": "accurate"}}));
        let model = (45, 2);
        let rates: Vec<f64> = (0..900).map(|i| if i < 300 { 0.5 } else { 0.05 }).collect();
        let r = run(&sim(&sj, &raw, model.0, model.1), &rates, true).unwrap();
        assert_eq!(r.traces.len(), 90);
        assert!(
            r.traces
                .iter()
                .any(|t| t.case["expect"]["jobsToCreate"].as_i64() > Some(0))
        );
        for t in &r.traces {
            crate::case::expect::check_fixture(&t.case)
                .unwrap_or_else(|e| panic!("t = {}: {e:?}\n{}", t.t, t.case));
        }
    }

    #[test]
    fn other_triggers_are_refused_at_their_type() {
        let (mut sj, raw) = scaled_job(json!({}));
        sj.spec.triggers[0].type_ = "prometheus".into();
        let e = run(&sim(&sj, &raw, 1, 1), &[0.0], false).unwrap_err();
        assert_eq!(e.first().path, "scaledJob.spec.triggers[0].type");
    }
}
