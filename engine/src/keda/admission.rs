//! KEDA's admission checks on a ScaledObject, each problem at its path:
//! the admission webhook (`apis/keda/v1alpha1/scaledobject_webhook.go`:
//! `validateWorkload`, `verifyReplicaCount`, `verifyTriggers`,
//! `verifyScalingModifiers`, `verifyFallback`, `verifyCPUMemoryScalers`),
//! the CRD schema minimums, and the scalers' own constructors (reconcile-time
//! errors in `buildScaler`), with KEDA's messages.
//!
//! This module sits above [`super::spec`] (the types) and
//! [`super::scalers`] (which read a [`Trigger`]), so imports run one way.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::scalers::{self, At};
use super::spec::{ScaledObject, ScaledObjectSpec, Trigger};
use crate::error::{Error, ErrorKind, Path};

/// A problem found: where, and KEDA's words.
type Problems = Vec<(Path, String)>;

/// Reads a ScaledObject (a whole object or its spec) at `at` and runs KEDA's
/// admission checks.
pub fn read_scaled_object(value: &Value, at: &Path) -> Result<ScaledObject, Error> {
    let whole = crate::schema::is_whole(value);
    let spec_path = if whole { at.child("spec") } else { at.clone() };
    if let Some(kind) = value.get("kind").and_then(Value::as_str) {
        if kind != "ScaledObject" {
            let msg = if kind == "ScaledJob" {
                "a ScaledJob runs Jobs rather than scaling a workload: give it as the case's `scaledJob:`".to_string()
            } else {
                format!("expected a ScaledObject, found kind {kind:?}")
            };
            return Err(Error::new(ErrorKind::Unsupported, at.child("kind"), msg));
        }
    }
    if let Some(api) = value.get("apiVersion").and_then(Value::as_str) {
        if api != "keda.sh/v1alpha1" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("apiVersion"),
                format!("unsupported apiVersion {api:?} for a ScaledObject; use keda.sh/v1alpha1"),
            ));
        }
    }
    let so: ScaledObject = if whole {
        crate::spec::deserialize(value, at)?
    } else {
        ScaledObject {
            spec: crate::spec::deserialize(value, at)?,
            ..Default::default()
        }
    };
    validate(&so, at, &spec_path).map(|()| so)
}

/// The webhook's and CRD's checks, each problem at its path.
fn validate(so: &ScaledObject, at: &Path, path: &Path) -> Result<(), Error> {
    let mut problems: Problems = Vec::new();
    replica_counts(so, at, path, &mut problems);
    let s = &so.spec;
    triggers(s, path, &mut problems);
    let min = so.min_replica_count();
    let only_resource = !s.triggers.is_empty() && s.triggers.iter().all(Trigger::is_resource);
    // verifyCPUMemoryScalers
    if only_resource && min == 0 {
        problems.push((
            path.child("minReplicaCount"),
            "scaledobject has only cpu/memory triggers AND minReplica is 0 (scale to zero doesn't work in this case)".into(),
        ));
    }
    fallback(so, path, only_resource, &mut problems);
    modifiers(s, path, &mut problems);
    let scaler_problems = scaler_metadata(so, path);
    joined(
        problems
            .into_iter()
            .map(|(p, m)| (p, m, ErrorKind::Invalid))
            .chain(scaler_problems),
    )
}

/// The CRD minimums, `scaleTargetRef.name`, `verifyName` and
/// `CheckReplicaCountBoundsAreValid`.
fn replica_counts(so: &ScaledObject, at: &Path, path: &Path, problems: &mut Problems) {
    let s = &so.spec;
    let mut min_check = |field: &str, v: Option<i32>, min: i32| {
        if let Some(v) = v {
            if v < min {
                problems.push((path.child(field), format!("Invalid value: {v}: {field} in body should be greater than or equal to {min}")));
            }
        }
    };
    min_check("pollingInterval", s.polling_interval, 1);
    min_check("cooldownPeriod", s.cooldown_period, 0);
    min_check("initialCooldownPeriod", s.initial_cooldown_period, 0);
    min_check("minReplicaCount", s.min_replica_count, 0);
    min_check("idleReplicaCount", s.idle_replica_count, 0);
    min_check("maxReplicaCount", s.max_replica_count, 1);
    if s.scale_target_ref
        .as_ref()
        .is_none_or(|r| r.name.is_empty())
    {
        problems.push((
            path.child("scaleTargetRef").child("name"),
            "Required value".into(),
        ));
    }
    // verifyName: both names are used as label values (63 characters at most).
    let name = &so.metadata.name;
    if name.len() > 63 {
        problems.push((
            at.child("metadata").child("name"),
            format!("scaledobject name {name:?} is {} characters long; must be no more than 63 characters because it is used as the \"scaledobject.keda.sh/name\" label value", name.len()),
        ));
    } else {
        let hpa_name = s
            .advanced
            .as_ref()
            .and_then(|a| a.horizontal_pod_autoscaler_config.as_ref())
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| format!("keda-hpa-{name}"));
        if hpa_name.len() > 63 {
            problems.push((
                at.child("metadata").child("name"),
                format!("HPA name {hpa_name:?} derived from scaledobject is {} characters long; must be no more than 63 characters; set spec.advanced.horizontalPodAutoscalerConfig.name to a shorter name or shorten the scaledobject name", hpa_name.len()),
            ));
        }
    }
    // CheckReplicaCountBoundsAreValid
    let (min, max) = (so.min_replica_count(), so.hpa_max_replicas());
    if s.min_replica_count.is_some() && min > max {
        problems.push((
            path.child("minReplicaCount"),
            format!("MinReplicaCount={min} must be less than MaxReplicaCount={max}"),
        ));
    }
    if let Some(idle) = s.idle_replica_count {
        let hpa_min = so.hpa_min_replicas();
        let compare = if s.min_replica_count.is_none() {
            0
        } else {
            hpa_min
        };
        if idle >= compare {
            problems.push((
                path.child("idleReplicaCount"),
                format!("IdleReplicaCount={idle} must be less than MinReplicaCount={compare}"),
            ));
        }
    }
}

/// `ValidateTriggers`: types, unique names, cached metrics, metric types.
fn triggers(s: &ScaledObjectSpec, path: &Path, problems: &mut Problems) {
    // ValidateTriggers
    if s.triggers.is_empty() {
        problems.push((
            path.child("triggers"),
            "no triggers defined in the ScaledObject/ScaledJob".into(),
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, t) in s.triggers.iter().enumerate() {
        let tp = path.child("triggers").index(i);
        if t.type_.is_empty() {
            problems.push((tp.child("type"), "Required value".into()));
        }
        if !t.name.is_empty() {
            if names.contains(&t.name.as_str()) {
                problems.push((
                    tp.child("name"),
                    format!("triggerName {:?} is defined multiple times in the ScaledObject/ScaledJob, but it must be unique", t.name),
                ));
            }
            names.push(&t.name);
        }
        if t.use_cached_metrics && matches!(t.type_.as_str(), "cpu" | "memory" | "cron") {
            problems.push((
                tp.child("useCachedMetrics"),
                format!(
                    "property \"useCachedMetrics\" is not supported for {:?} scaler",
                    t.type_
                ),
            ));
        }
        if let Some(mt) = &t.metric_type {
            if !matches!(mt.as_str(), "AverageValue" | "Value" | "Utilization") {
                problems.push((tp.child("metricType"), format!("Unsupported value: {mt:?}: supported values: \"AverageValue\", \"Value\", \"Utilization\"")));
            } else if mt == "Utilization" && !t.is_resource() {
                problems.push((
                    tp.child("metricType"),
                    "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'".into(),
                ));
            }
        }
    }
}

/// `verifyFallback`.
fn fallback(so: &ScaledObject, path: &Path, only_resource: bool, problems: &mut Problems) {
    let s = &so.spec;
    // Fallback
    if let Some(f) = &s.fallback {
        let fp = path.child("fallback");
        if f.failure_threshold < 0 || f.replicas < 0 {
            problems.push((
                fp.clone(),
                format!(
                    "FailureThreshold={} & Replicas={} must both be greater than or equal to 0",
                    f.failure_threshold, f.replicas
                ),
            ));
        }
        if !matches!(
            f.behavior(),
            "static"
                | "currentReplicas"
                | "currentReplicasIfHigher"
                | "currentReplicasIfLower"
                | "scalingModifiers"
        ) {
            problems.push((
                fp.child("behavior"),
                format!("Unsupported value: {:?}: supported values: \"static\", \"currentReplicas\", \"currentReplicasIfHigher\", \"currentReplicasIfLower\", \"scalingModifiers\"", f.behavior()),
            ));
        }
        if only_resource && so.modifiers().is_none() {
            problems.push((
                fp.clone(),
                "at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled".into(),
            ));
        }
        if f.behavior() == "scalingModifiers" && so.modifiers().is_none() {
            problems.push((fp.child("behavior"), "scalingModifiers fallback behavior requires scalingModifiers.formula to be defined".into()));
        }
    }
}

/// `verifyScalingModifiers`.
fn modifiers(s: &ScaledObjectSpec, path: &Path, problems: &mut Problems) {
    // verifyScalingModifiers
    if let Some(m) = s
        .advanced
        .as_ref()
        .and_then(|a| a.scaling_modifiers.as_ref())
    {
        let mp = path.child("advanced").child("scalingModifiers");
        if m.formula.is_empty() {
            if !m.target.is_empty() || !m.activation_target.is_empty() || m.metric_type.is_some() {
                problems.push((
                    mp.child("formula"),
                    "error ScalingModifiers.Formula is mandatory".into(),
                ));
            }
        } else {
            if m.target.is_empty() {
                problems.push((mp.child("target"), "error validating formula in ScalingModifiers: formula is given but target is empty".into()));
            } else {
                match m.target.trim().parse::<f64>() {
                    Ok(t) if t > 0.0 => {}
                    _ => problems.push((
                        mp.child("target"),
                        format!("error validating target in ScalingModifiers: error converting target for scalingModifiers (string->float) to valid target: {:?}", m.target),
                    )),
                }
            }
            if let Some(mt) = &m.metric_type {
                if !matches!(mt.as_str(), "AverageValue" | "Value") {
                    problems.push((mp.child("metricType"), format!("Unsupported value: {mt:?}: supported values: \"AverageValue\", \"Value\"")));
                }
            }
            let known: Vec<&str> = s
                .triggers
                .iter()
                .filter(|t| !t.is_resource())
                .map(|t| t.name.as_str())
                .filter(|n| !n.is_empty())
                .collect();
            if let Err(e) = super::formula::check(&m.formula, &known) {
                problems.push((
                    mp.child("formula"),
                    format!("error validating formula in ScalingModifiers: {e}"),
                ));
            }
        }
    }
}

/// Each trigger's scaler constructor, as a located problem with its kind.
fn scaler_metadata(so: &ScaledObject, path: &Path) -> Vec<(Path, String, ErrorKind)> {
    let s = &so.spec;
    // Scaler metadata (reconcile-time errors: `buildScaler` and the
    // scaler's constructor; no HPA would be created).
    let cx = scalers::Context {
        as_metric_source: so.modifiers().is_some(),
        namespace: &so.metadata.namespace,
    };
    let mut scaler_problems = Vec::new();
    for (i, t) in s.triggers.iter().enumerate() {
        if t.type_.is_empty() {
            continue;
        }
        if let Err(e) = scalers::describe_in(t, i, &cx) {
            scaler_problems.push(refusal_problem(e, &path.child("triggers").index(i)));
        }
    }
    scaler_problems
}

/// A scaler's refusal as a problem at its place in the trigger at `tp`.
pub(crate) fn refusal_problem(e: scalers::Refusal, tp: &Path) -> (Path, String, ErrorKind) {
    let at = match e.at {
        At::Type => tp.child("type"),
        At::Metadata(None) => tp.child("metadata"),
        At::Metadata(Some(k)) => tp.child("metadata").child(&k),
    };
    let kind = if e.unsupported {
        ErrorKind::Unsupported
    } else {
        ErrorKind::Invalid
    };
    (at, e.message, kind)
}

/// Every problem as one error (`Ok` when there are none).
pub(crate) fn joined(
    problems: impl IntoIterator<Item = (Path, String, ErrorKind)>,
) -> Result<(), Error> {
    let mut it = problems.into_iter();
    let Some((p, m, k)) = it.next() else {
        return Ok(());
    };
    let mut err = Error::new(k, p, m);
    for (p, m, k) in it {
        err = err.join(Error::new(k, p, m));
    }
    Err(err)
}
