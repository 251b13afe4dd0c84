//! The Knative KPA case (`tests/cases/README.md`, "Knative KPA cases"):
//! `kpa:` holds the revision, the ConfigMap, the collector's samples, the
//! ready pods and the autoscaler's memory; evaluated as one tick of the
//! KPA ([`crate::kpa::evaluate`]).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::{Autoscaler, Decision, EvalCase, RawCase};
use crate::condition::Conditions;
use crate::error::{Error, ErrorKind, Path};
use crate::kpa::KpaCase;
use crate::model::{History, ScaleTarget};
use crate::notice::{Notice, NoticeKind};

/// Reads a case whose autoscaler is `kpa:`.
pub(super) fn from_raw(value: &Value, raw: RawCase, kpa: &Value) -> Result<EvalCase, Error> {
    let root = Path::root();
    for (given, key) in [
        (raw.hpa.is_some(), "hpa"),
        (raw.scaled_object.is_some(), "scaledObject"),
        (raw.scaled_job.is_some(), "scaledJob"),
    ] {
        if given {
            return Err(Error::new(
                ErrorKind::Schema,
                root.child(key),
                "a case evaluates one autoscaler: give `hpa`, `scaledObject`, `scaledJob` or `kpa`, not two",
            ));
        }
    }
    let case = KpaCase::from_value(raw.now.as_secs_f64(), kpa, &root.child("kpa"))?;
    let mut notices = case.notices.clone();
    crate::schema::walk(
        value,
        &crate::schema::case_format::CASE,
        &root,
        &mut String::new(),
        &mut notices,
    );
    for (given, key) in [
        (raw.target.is_some(), "target"),
        (!raw.pods.is_empty(), "pods"),
        (!raw.metrics.is_empty(), "metrics"),
        (!raw.triggers.is_empty(), "triggers"),
        (raw.history.is_some(), "history"),
        (raw.keda.is_some(), "keda"),
        (raw.jobs.is_some(), "jobs"),
    ] {
        if given {
            notices.push(Notice::new(
                NoticeKind::Ignored,
                root.child(key),
                format!("a KPA case reads `kpa:` only (its replicas are kpa.status.replicas); `{key}` is ignored"),
            ));
        }
    }
    Ok(EvalCase {
        now: raw.now,
        target: ScaleTarget {
            replicas: case.state.replicas,
            status_replicas: None,
        },
        autoscaler: Autoscaler::Kpa(Box::new(case)),
        pods: Vec::new(),
        readings: Vec::new(),
        history: None,
        controller: raw.controller,
        warnings: Vec::new(),
        notices,
    })
}

/// One KPA tick as a decision: `desiredReplicas` is the Deployment's
/// `spec.replicas` after the tick; the KPA's own numbers stand beside it.
pub(super) fn evaluate(case: &EvalCase, k: &KpaCase) -> Decision {
    let d = crate::kpa::evaluate(k);
    Decision {
        desired_replicas: d.replicas,
        metrics: Vec::new(),
        conditions: Conditions::default(),
        history: History::default(),
        explanation: d.explanation,
        active: None,
        jobs_to_create: None,
        max_scale: None,
        desired_pods: Some(d.desired_pods),
        panic: Some(d.panic),
        excess_burst_capacity: Some(d.excess_burst_capacity),
        desired_scale: Some(d.desired_scale),
        observed: Some(d.observed),
        memory: Some(d.memory),
        warnings: case.all_warnings(),
        notices: case.notices.0.clone(),
    }
}
