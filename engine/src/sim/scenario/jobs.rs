//! A variant's ScaledJob: the object from the manifests and
//! `workload.job: {duration, parallelism}`, run by [`crate::sim::jobs`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::keda::job::{self, ScaledJob};
use crate::manifest::Manifests;
use crate::notice::Notices;
use crate::sim::jobs::JobModel;
use crate::time::Duration;

use super::manifests::object_path;
use super::{AutoscalerPlan, err};

/// `workload.job`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJob {
    #[serde(default)]
    duration: Option<Duration>,
    #[serde(default)]
    parallelism: Option<u32>,
}

/// A ScaledJob to simulate: its Jobs take messages from the load curve's
/// queue instead of replicas serving it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobPlan {
    /// The ScaledJob, read.
    pub sj: ScaledJob,
    /// The ScaledJob as written (the traced cases carry it).
    pub raw: Value,
    /// How one Job runs.
    pub model: JobModel,
}

/// The manifests' ScaledJob with `workload.job`, or `None` without one.
/// One ScaledJob per variant, alone: beside an HPA or a ScaledObject it is
/// refused (the two loops do not share a queue in the model).
pub(super) fn read_job_plan(
    m: &Manifests,
    m_at: &Path,
    raw: Option<RawJob>,
    autoscalers: &[AutoscalerPlan],
    notices: &mut Notices,
    warnings: &mut Vec<String>,
) -> Result<Option<JobPlan>, Error> {
    let job_at = Path::root().child("workload").child("job");
    let mut found = m.ignored().filter(|x| x.kind == "ScaledJob");
    let Some(x) = found.next() else {
        if raw.is_some() {
            warnings.push(String::from(
                "`workload.job` is read only with a ScaledJob in the manifests; it has no effect here",
            ));
        }
        return Ok(None);
    };
    let at = object_path(m_at, x.document);
    if let Some(second) = found.next() {
        return Err(err(
            ErrorKind::Unsupported,
            object_path(m_at, second.document),
            format!(
                "a variant simulates one ScaledJob ({} is the first); put each in its own variant",
                x.name
            ),
        ));
    }
    if !autoscalers.is_empty() {
        return Err(err(
            ErrorKind::Unsupported,
            at,
            "a ScaledJob is simulated alone: remove the HorizontalPodAutoscalers and ScaledObjects \
             from this variant's manifests, or simulate them in another variant",
        ));
    }
    let read = job::read_scaled_job(&x.raw, &at)?;
    crate::sim::jobs::check_triggers(&read.sj, &at)?;
    notices.0.extend(read.notices.0);
    let raw = raw.unwrap_or_default();
    let Some(duration) = raw.duration else {
        return Err(err(
            ErrorKind::Schema,
            job_at,
            format!(
                "missing field `duration`: how long one Job of ScaledJob {} works on its messages",
                x.name
            ),
        ));
    };
    if duration.as_secs_f64() <= 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            job_at.child("duration"),
            "must be greater than 0",
        ));
    }
    // batchv1.JobSpec.parallelism defaults to 1 (the API server's default).
    let written = read
        .sj
        .spec
        .job_target_ref
        .as_ref()
        .and_then(|j| j.parallelism);
    let parallelism = match (raw.parallelism, written) {
        (Some(0), _) => {
            return Err(err(
                ErrorKind::Invalid,
                job_at.child("parallelism"),
                "must be at least 1",
            ));
        }
        (Some(p), _) => p,
        (None, Some(p)) if p >= 1 => p as u32,
        (None, Some(_)) => {
            return Err(err(
                ErrorKind::Unsupported,
                at.child("spec").child("jobTargetRef").child("parallelism"),
                "a Job with parallelism 0 runs no pod; the simulator needs at least 1",
            ));
        }
        (None, None) => 1,
    };
    Ok(Some(JobPlan {
        sj: read.sj,
        raw: x.raw.clone(),
        model: JobModel {
            duration,
            parallelism,
        },
    }))
}
