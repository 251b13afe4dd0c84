//! The ScaledJob (`keda.sh/v1alpha1`) as users write it, its defaults and
//! the checks that stop KEDA from running its scale loop.
//!
//! Types follow `apis/keda/v1alpha1/scaledjob_types.go` (kedacore/keda
//! 8b4f083); defaults are `MinReplicaCount` / `MaxReplicaCount` there and
//! `defaultPollingInterval` (`withtriggers_types.go`). Checks: the CRD's
//! schema (`config/crd/bases/keda.sh_scaledjobs.yaml`: minimums, enums,
//! required fields, as the API server words them), the admission webhook
//! (`scaledjob_webhook.go` `verifyTriggers` → `ValidateTriggers`), and the
//! reconciler's refusals (`controllers/keda/scaledjob_controller.go`
//! `reconcileScaledJob`: a trigger with `metricType`, a scaler that cannot
//! be built).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::keda::spec::{DEFAULT_POLLING_INTERVAL, Trigger};
use crate::notice::{Notice, NoticeKind, Notices};
use crate::spec::hpa::ObjectMeta;

/// `defaultScaledJobMaxReplicaCount`.
pub const DEFAULT_MAX_REPLICA_COUNT: i32 = 100;
/// `defaultSuccessfulJobsHistoryLimit` / `defaultFailedJobsHistoryLimit`
/// (`scale_jobs.go`).
pub const DEFAULT_JOBS_HISTORY_LIMIT: i32 = 100;

/// A whole ScaledJob.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledJob {
    /// `apiVersion`.
    #[serde(default)]
    pub api_version: String,
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `metadata` (name, annotations).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: ScaledJobSpec,
}

/// `ScaledJobSpec`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledJobSpec {
    /// The Job each created Job copies (`batchv1.JobSpec`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_target_ref: Option<JobTargetRef>,
    /// Seconds between the operator's polls (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling_interval: Option<i32>,
    /// Completed Jobs kept (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    /// Failed Jobs kept (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
    /// Deprecated: `rollout.strategy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout_strategy: Option<String>,
    /// What happens to running Jobs when the ScaledJob changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// The container whose environment the scalers read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_source_container_name: Option<String>,
    /// Jobs kept running even without work (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replica_count: Option<i32>,
    /// Most Jobs at once (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replica_count: Option<i32>,
    /// How many Jobs a poll creates.
    #[serde(default)]
    pub scaling_strategy: ScalingStrategy,
    /// The triggers.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

/// The parts of `batchv1.JobSpec` the simulator reads; the rest (the pod
/// template) is kept as written.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JobTargetRef {
    /// Pods running at once per Job (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i32>,
    /// Successful pods that complete the Job (default: `parallelism`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<i32>,
    /// Seconds a Job may run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    /// Retries before the Job fails (default 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
    /// The pod template (required).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub template: Value,
}

/// `Rollout`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    /// `gradual` or `immediate` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// `foreground` or `background`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation_policy: Option<String>,
}

/// `ScalingStrategy`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingStrategy {
    /// `default`, `custom`, `accurate` or `eager`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// `custom`: subtracted from the scalers' maximum scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_scaling_queue_length_deduction: Option<i32>,
    /// `custom`: the share of running Jobs subtracted (a float as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_scaling_running_job_percentage: Option<String>,
    /// Pod conditions that make a Job no longer pending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_pod_conditions: Vec<String>,
    /// `max` (default), `min`, `avg` or `sum` over the triggers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_scalers_calculation: Option<String>,
}

impl ScaledJob {
    /// `MinReplicaCount`: `minReplicaCount` (default 0), but never above
    /// `maxReplicaCount`.
    pub fn min_replica_count(&self) -> i64 {
        match (self.spec.min_replica_count, self.spec.max_replica_count) {
            (Some(min), Some(max)) if min > max => i64::from(max),
            (Some(min), _) => i64::from(min),
            (None, _) => 0,
        }
    }

    /// `MaxReplicaCount`: the Jobs a poll may account for *above* the
    /// minimum, `maxReplicaCount − minReplicaCount` (default 100). Upstream
    /// oddity, reproduced: with `minReplicaCount > maxReplicaCount` it is
    /// `maxReplicaCount` itself, and with `maxReplicaCount` unset it is 100
    /// whatever the minimum.
    pub fn max_replica_count(&self) -> i64 {
        match self.spec.max_replica_count {
            Some(max) => match self.spec.min_replica_count {
                Some(min) if min > max => i64::from(max),
                _ => i64::from(max) - self.min_replica_count(),
            },
            None => i64::from(DEFAULT_MAX_REPLICA_COUNT),
        }
    }

    /// `pollingInterval`, default 30 s.
    pub fn polling_interval(&self) -> i32 {
        self.spec
            .polling_interval
            .unwrap_or(DEFAULT_POLLING_INTERVAL)
    }

    /// `NeedToBePausedByAnnotation`: `autoscaling.keda.sh/paused` read by
    /// Go's `strconv.ParseBool`; a value that is not a boolean pauses.
    pub fn paused(&self) -> bool {
        crate::keda::spec::paused_annotation(&self.metadata)
    }

    /// `scalingStrategy.strategy`, defaulted.
    pub fn strategy(&self) -> &str {
        self.spec
            .scaling_strategy
            .strategy
            .as_deref()
            .unwrap_or("default")
    }

    /// `scalingStrategy.multipleScalersCalculation`, defaulted.
    pub fn multiple_scalers_calculation(&self) -> &str {
        self.spec
            .scaling_strategy
            .multiple_scalers_calculation
            .as_deref()
            .unwrap_or("max")
    }
}

/// A ScaledJob read, with the warnings that do not stop KEDA.
#[derive(Clone, Debug)]
pub struct ReadScaledJob {
    /// The ScaledJob.
    pub sj: ScaledJob,
    /// Located warnings (scaler notes, ignored settings).
    pub notices: Notices,
}

/// Reads a ScaledJob (a whole object or its spec) at `at` and runs the
/// CRD's, the webhook's and the reconciler's checks.
pub fn read_scaled_job(value: &Value, at: &Path) -> Result<ReadScaledJob, Error> {
    let whole = crate::schema::is_whole(value);
    let spec_path = if whole { at.child("spec") } else { at.clone() };
    if let Some(kind) = value.get("kind").and_then(Value::as_str) {
        if kind != "ScaledJob" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("kind"),
                format!("expected a ScaledJob, found kind {kind:?}"),
            ));
        }
    }
    if let Some(api) = value.get("apiVersion").and_then(Value::as_str) {
        if api != "keda.sh/v1alpha1" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("apiVersion"),
                format!("unsupported apiVersion {api:?} for a ScaledJob; use keda.sh/v1alpha1"),
            ));
        }
    }
    let sj: ScaledJob = if whole {
        crate::spec::deserialize(value, at)?
    } else {
        ScaledJob {
            spec: crate::spec::deserialize(value, at)?,
            ..Default::default()
        }
    };
    let mut notices = Notices::default();
    validate(&sj, &spec_path, &mut notices)?;
    Ok(ReadScaledJob { sj, notices })
}

fn enum_check(
    problems: &mut Vec<(Path, String, ErrorKind)>,
    at: Path,
    v: Option<&str>,
    allowed: &[&str],
) {
    if let Some(v) = v {
        if !allowed.contains(&v) {
            let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
            problems.push((
                at,
                format!(
                    "Unsupported value: {v:?}: supported values: {}",
                    list.join(", ")
                ),
                ErrorKind::Invalid,
            ));
        }
    }
}

/// The CRD's schema, `ValidateTriggers` and `reconcileScaledJob`, each
/// problem at its path; warnings go to `notices`.
fn validate(sj: &ScaledJob, path: &Path, notices: &mut Notices) -> Result<(), Error> {
    let mut problems: Vec<(Path, String, ErrorKind)> = Vec::new();
    let s = &sj.spec;
    let mut min_check = |field: &str, v: Option<i32>, min: i32| {
        if let Some(v) = v.filter(|v| *v < min) {
            problems.push((
                path.child(field),
                format!(
                    "Invalid value: {v}: {field} in body should be greater than or equal to {min}"
                ),
                ErrorKind::Invalid,
            ));
        }
    };
    min_check("pollingInterval", s.polling_interval, 1);
    min_check(
        "successfulJobsHistoryLimit",
        s.successful_jobs_history_limit,
        0,
    );
    min_check("failedJobsHistoryLimit", s.failed_jobs_history_limit, 0);
    min_check("minReplicaCount", s.min_replica_count, 0);
    min_check("maxReplicaCount", s.max_replica_count, 1);
    // CRD `required: [jobTargetRef, triggers]`, jobTargetRef `required: [template]`.
    match &s.job_target_ref {
        None => problems.push((
            path.child("jobTargetRef"),
            "Required value".into(),
            ErrorKind::Schema,
        )),
        Some(j) if j.template.is_null() => problems.push((
            path.child("jobTargetRef").child("template"),
            "Required value".into(),
            ErrorKind::Schema,
        )),
        Some(_) => {}
    }
    let st = &s.scaling_strategy;
    let sp = path.child("scalingStrategy");
    enum_check(
        &mut problems,
        sp.child("strategy"),
        st.strategy.as_deref(),
        &["default", "custom", "accurate", "eager"],
    );
    enum_check(
        &mut problems,
        sp.child("multipleScalersCalculation"),
        st.multiple_scalers_calculation.as_deref(),
        &["min", "avg", "sum", "max"],
    );
    enum_check(
        &mut problems,
        path.child("rolloutStrategy"),
        s.rollout_strategy.as_deref(),
        &["gradual", "immediate"],
    );
    if let Some(r) = &s.rollout {
        let rp = path.child("rollout");
        enum_check(
            &mut problems,
            rp.child("strategy"),
            r.strategy.as_deref(),
            &["gradual", "immediate"],
        );
        enum_check(
            &mut problems,
            rp.child("propagationPolicy"),
            r.propagation_policy.as_deref(),
            &["foreground", "background"],
        );
    }
    strategy_parameters(sj, &sp, &mut problems, notices);
    triggers(sj, path, &mut problems, notices);
    crate::keda::admission::joined(problems)
}

/// `NewScalingStrategy` (`scale_jobs.go`): `custom` parses
/// `customScalingRunningJobPercentage` with Go's `strconv.ParseFloat` and
/// silently falls back to `default` when it fails (an empty or missing
/// percentage included): reproduced, with a warning saying so. A
/// percentage whose product with the running Jobs Go converts to `int64`
/// differently on amd64 and arm64 (NaN, ±Inf) is refused.
fn strategy_parameters(
    sj: &ScaledJob,
    sp: &Path,
    problems: &mut Vec<(Path, String, ErrorKind)>,
    notices: &mut Notices,
) {
    let st = &sj.spec.scaling_strategy;
    let at = sp.child("customScalingRunningJobPercentage");
    if sj.strategy() != "custom" {
        for (given, key) in [
            (
                st.custom_scaling_queue_length_deduction.is_some(),
                "customScalingQueueLengthDeduction",
            ),
            (
                st.custom_scaling_running_job_percentage.is_some(),
                "customScalingRunningJobPercentage",
            ),
        ] {
            if given {
                notices.push(Notice::new(
                    NoticeKind::Ignored,
                    sp.child(key),
                    format!(
                        "{key} is read only by the custom strategy; this ScaledJob's strategy is {:?}",
                        sj.strategy()
                    ),
                ));
            }
        }
        return;
    }
    match running_job_percentage(st.custom_scaling_running_job_percentage.as_deref()) {
        Percentage::Value(p) if !p.is_finite() => problems.push((
            at,
            format!("{p} running-Job percentage: Go's int64 conversion of the product differs between amd64 and arm64; replicast does not guess which"),
            ErrorKind::Unsupported,
        )),
        Percentage::Value(_) => {}
        Percentage::Unread(text) => problems.push((
            at,
            format!("{text:?}: replicast does not read Go's hexadecimal or underscored float syntax; write the number in decimal"),
            ErrorKind::Unsupported,
        )),
        Percentage::Invalid => notices.push(Notice::new(
            NoticeKind::Warning,
            at,
            "KEDA cannot parse customScalingRunningJobPercentage as a float (strconv.ParseFloat), so it uses the default strategy instead of custom (NewScalingStrategy)",
        )),
    }
}

/// How `strconv.ParseFloat(text, 64)` reads a percentage.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Percentage {
    /// Parsed.
    Value(f64),
    /// ParseFloat fails (empty, not a number, out of range).
    Invalid,
    /// Go syntax replicast does not read (hex floats, underscores).
    Unread(String),
}

/// `strconv.ParseFloat(text, 64)` for the decimal syntax both Go and Rust
/// read; out-of-range values fail as Go's `ErrRange` does.
pub(crate) fn running_job_percentage(text: Option<&str>) -> Percentage {
    let Some(text) = text else {
        return Percentage::Invalid;
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains('_') || lower.contains("0x") {
        return Percentage::Unread(text.to_string());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_infinite() && !lower.trim_start_matches(['+', '-']).starts_with("inf") => {
            Percentage::Invalid
        }
        Ok(v) => Percentage::Value(v),
        Err(_) => Percentage::Invalid,
    }
}

/// `ValidateTriggers` (`scaletriggers_types.go`), `reconcileScaledJob`'s
/// trigger checks, and each scaler as `GetScalersCache` builds it.
fn triggers(
    sj: &ScaledJob,
    path: &Path,
    problems: &mut Vec<(Path, String, ErrorKind)>,
    notices: &mut Notices,
) {
    let s = &sj.spec;
    if s.triggers.is_empty() {
        problems.push((
            path.child("triggers"),
            "no triggers defined in the ScaledObject/ScaledJob".into(),
            ErrorKind::Invalid,
        ));
    }
    let cx = crate::keda::scalers::Context {
        as_metric_source: false,
        namespace: &sj.metadata.namespace,
    };
    let mut names: Vec<&str> = Vec::new();
    for (i, t) in s.triggers.iter().enumerate() {
        let tp = path.child("triggers").index(i);
        if t.type_.is_empty() {
            problems.push((tp.child("type"), "Required value".into(), ErrorKind::Schema));
            continue;
        }
        if !t.name.is_empty() {
            if names.contains(&t.name.as_str()) {
                problems.push((
                    tp.child("name"),
                    format!("triggerName {:?} is defined multiple times in the ScaledObject/ScaledJob, but it must be unique", t.name),
                    ErrorKind::Invalid,
                ));
            }
            names.push(&t.name);
        }
        if t.use_cached_metrics {
            if matches!(t.type_.as_str(), "cpu" | "memory" | "cron") {
                problems.push((
                    tp.child("useCachedMetrics"),
                    format!(
                        "property \"useCachedMetrics\" is not supported for {:?} scaler",
                        t.type_
                    ),
                    ErrorKind::Invalid,
                ));
            } else {
                notices.push(Notice::new(
                    NoticeKind::Ignored,
                    tp.child("useCachedMetrics"),
                    "Warning: property useCachedMetrics is not supported for ScaledJobs.",
                ));
            }
        }
        if t.metric_type.as_deref().is_some_and(|m| !m.is_empty()) {
            problems.push((
                tp.child("metricType"),
                "Cannot set metricType in ScaledJob triggers".into(),
                ErrorKind::Invalid,
            ));
        }
        if t.is_resource() {
            notices.push(Notice::new(
                NoticeKind::Ignored,
                tp.child("type"),
                format!("a {} trigger gives no External metric, and KEDA's ScaledJob loop reads only External metrics (getScaledJobMetrics): it never counts", t.type_),
            ));
        }
        match crate::keda::scalers::describe_in(t, i, &cx) {
            Ok(scaler) => {
                for (key, message) in scaler.notes {
                    notices.push(Notice::new(
                        NoticeKind::Warning,
                        tp.child("metadata").child(&key),
                        message,
                    ));
                }
            }
            Err(e) => problems.push(crate::keda::admission::refusal_problem(e, &tp)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentage_reads_as_parse_float() {
        assert_eq!(running_job_percentage(Some("0.5")), Percentage::Value(0.5));
        assert_eq!(running_job_percentage(Some("1e-1")), Percentage::Value(0.1));
        assert_eq!(running_job_percentage(Some("")), Percentage::Invalid);
        assert_eq!(running_job_percentage(None), Percentage::Invalid);
        assert_eq!(running_job_percentage(Some("50%")), Percentage::Invalid);
        assert_eq!(running_job_percentage(Some("1e400")), Percentage::Invalid);
        assert!(matches!(
            running_job_percentage(Some("0x1p-1")),
            Percentage::Unread(_)
        ));
        assert!(matches!(
            running_job_percentage(Some("Inf")),
            Percentage::Value(v) if v.is_infinite()
        ));
    }

    #[test]
    fn max_replica_count_is_above_the_minimum() {
        let mut sj = ScaledJob::default();
        assert_eq!((sj.min_replica_count(), sj.max_replica_count()), (0, 100));
        sj.spec.min_replica_count = Some(2);
        assert_eq!((sj.min_replica_count(), sj.max_replica_count()), (2, 100));
        sj.spec.max_replica_count = Some(10);
        assert_eq!((sj.min_replica_count(), sj.max_replica_count()), (2, 8));
        sj.spec.min_replica_count = Some(12);
        assert_eq!((sj.min_replica_count(), sj.max_replica_count()), (10, 10));
    }
}
