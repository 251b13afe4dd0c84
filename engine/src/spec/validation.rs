//! API validation of the HorizontalPodAutoscaler, with Kubernetes' messages.
//!
//! Mirrors `pkg/apis/autoscaling/validation/validation.go`:
//! `ValidateHorizontalPodAutoscalerSpec`, `ValidateCrossVersionObjectReference`,
//! `validateMetrics`, `validateMetricSpec`, the per-source validators,
//! `validateMetricTarget`, `validateMetricIdentifier`, `validateBehavior`,
//! `validateScalingRules` and `validateScalingPolicy`. Like the API server it
//! runs on the defaulted object and reports every problem, each as
//! `field.Error` words it (`Invalid value: 0: must be greater than 0`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::hpa::{
    Behavior, CrossVersionObjectReference, HpaSpec, MetricIdentifier, MetricSpec, MetricTarget,
    ScalingPolicy, ScalingRules,
};
use crate::error::{Error, ErrorKind, Path};

/// `MaxPeriodSeconds`.
pub const MAX_PERIOD_SECONDS: i32 = 1800;
/// `MaxStabilizationWindowSeconds`.
pub const MAX_STABILIZATION_WINDOW_SECONDS: i32 = 3600;

/// Options the API server derives from feature gates.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `MinReplicasLowerBound`: 0 with the `HPAScaleToZero` gate, else 1.
    pub min_replicas_lower_bound: i32,
}

/// Collects `field.ErrorList` entries.
#[derive(Default)]
pub(crate) struct FieldErrors(Vec<(Path, String)>);

impl FieldErrors {
    pub(crate) fn invalid(&mut self, path: Path, value: impl core::fmt::Display, detail: &str) {
        self.0
            .push((path, format!("Invalid value: {value}: {detail}")));
    }
    pub(crate) fn required(&mut self, path: Path, detail: &str) {
        let msg = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        self.0.push((path, msg));
    }
    pub(crate) fn not_supported(&mut self, path: Path, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        self.0.push((
            path,
            format!(
                "Unsupported value: {value:?}: supported values: {}",
                list.join(", ")
            ),
        ));
    }
    pub(crate) fn forbidden(&mut self, path: Path, detail: &str) {
        self.0.push((path, format!("Forbidden: {detail}")));
    }
    pub(crate) fn into_result(self) -> Result<(), Error> {
        let mut it = self.0.into_iter();
        let Some((path, msg)) = it.next() else {
            return Ok(());
        };
        let mut err = Error::new(ErrorKind::Invalid, path, msg);
        for (path, msg) in it {
            err = err.join(Error::new(ErrorKind::Invalid, path, msg));
        }
        Err(err)
    }
}

/// `ValidateHorizontalPodAutoscalerSpec` on a defaulted spec at `path`.
pub fn validate_spec(spec: &HpaSpec, path: &Path, opts: Options) -> Result<(), Error> {
    let mut errs = FieldErrors::default();
    if let Some(min) = spec.min_replicas {
        if min < opts.min_replicas_lower_bound {
            errs.invalid(
                path.child("minReplicas"),
                min,
                &format!(
                    "must be greater than or equal to {}",
                    opts.min_replicas_lower_bound
                ),
            );
        }
    }
    if spec.max_replicas < 1 {
        errs.invalid(
            path.child("maxReplicas"),
            spec.max_replicas,
            "must be greater than 0",
        );
    }
    if let Some(min) = spec.min_replicas {
        if spec.max_replicas < min {
            errs.invalid(
                path.child("maxReplicas"),
                spec.max_replicas,
                "must be greater than or equal to `minReplicas`",
            );
        }
    }
    validate_reference(
        &spec.scale_target_ref,
        &path.child("scaleTargetRef"),
        &mut errs,
    );
    validate_metrics(
        &spec.metrics,
        &path.child("metrics"),
        spec.min_replicas,
        &mut errs,
    );
    if let Some(b) = &spec.behavior {
        validate_behavior(b, &path.child("behavior"), &mut errs);
    }
    errs.into_result()
}

/// `ValidateCrossVersionObjectReference`.
pub(crate) fn validate_reference(
    r: &CrossVersionObjectReference,
    path: &Path,
    errs: &mut FieldErrors,
) {
    if r.kind.is_empty() {
        errs.required(path.child("kind"), "");
    } else {
        path_segment_name(&r.kind, &path.child("kind"), errs);
    }
    if r.name.is_empty() {
        errs.required(path.child("name"), "");
    } else {
        path_segment_name(&r.name, &path.child("name"), errs);
    }
}

/// `path.IsValidPathSegmentName`.
fn path_segment_name(name: &str, path: &Path, errs: &mut FieldErrors) {
    if name == "." || name == ".." {
        errs.invalid(
            path.clone(),
            format!("{name:?}"),
            &format!("may not be '{name}'"),
        );
    }
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.invalid(
                path.clone(),
                format!("{name:?}"),
                &format!("may not contain '{bad}'"),
            );
        }
    }
}

const METRIC_SOURCE_TYPES: [&str; 5] = [
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];

/// `validateMetrics`.
fn validate_metrics(metrics: &[MetricSpec], path: &Path, min: Option<i32>, errs: &mut FieldErrors) {
    let mut object_or_external = false;
    for (i, m) in metrics.iter().enumerate() {
        validate_metric_spec(m, &path.index(i), errs);
        object_or_external |= m.type_ == "Object" || m.type_ == "External";
    }
    if min == Some(0) && !object_or_external {
        errs.forbidden(
            path.clone(),
            "must specify at least one Object or External metric to support scaling to zero replicas",
        );
    }
}

/// `validateMetricSpec`.
fn validate_metric_spec(m: &MetricSpec, path: &Path, errs: &mut FieldErrors) {
    if m.type_.is_empty() {
        errs.required(path.child("type"), "must specify a metric source type");
    }
    let mut present: Vec<&str> = Vec::new();
    if let Some(o) = &m.object {
        present.push("object");
        if present.len() == 1 {
            let p = path.child("object");
            validate_reference(&o.described_object, &p.child("describedObject"), errs);
            validate_identifier(&o.metric, &p.child("metric"), errs);
            validate_target(&o.target, &p.child("target"), errs);
            if o.target.value.is_none() && o.target.average_value.is_none() {
                errs.required(
                    p.child("target").child("averageValue"),
                    "must set either a target value or averageValue",
                );
            }
        }
    }
    if let Some(e) = &m.external {
        present.push("external");
        if present.len() == 1 {
            let p = path.child("external");
            validate_identifier(&e.metric, &p.child("metric"), errs);
            validate_target(&e.target, &p.child("target"), errs);
            if e.target.value.is_none() && e.target.average_value.is_none() {
                errs.required(
                    p.child("target").child("averageValue"),
                    "must set either a target value for metric or a per-pod target",
                );
            }
            if e.target.value.is_some() && e.target.average_value.is_some() {
                errs.forbidden(
                    p.child("target").child("value"),
                    "may not set both a target value for metric and a per-pod target",
                );
            }
        }
    }
    if let Some(pods) = &m.pods {
        present.push("pods");
        if present.len() == 1 {
            let p = path.child("pods");
            validate_identifier(&pods.metric, &p.child("metric"), errs);
            validate_target(&pods.target, &p.child("target"), errs);
            if pods.target.average_value.is_none() {
                errs.required(
                    p.child("target").child("averageValue"),
                    "must specify a positive target averageValue",
                );
            }
        }
    }
    if let Some(r) = &m.resource {
        present.push("resource");
        if present.len() == 1 {
            let p = path.child("resource");
            if r.name.is_empty() {
                errs.required(p.child("name"), "must specify a resource name");
            }
            validate_resource_target(&r.target, &p.child("target"), errs);
        }
    }
    if let Some(c) = &m.container_resource {
        present.push("containerResource");
        if present.len() == 1 {
            let p = path.child("containerResource");
            if c.name.is_empty() {
                errs.required(p.child("name"), "must specify a resource name");
            }
            if c.container.is_empty() {
                errs.required(p.child("container"), "must specify a container");
            } else if !is_dns1123_label(&c.container) {
                errs.invalid(
                    p.child("container"),
                    format!("{:?}", c.container),
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric \
                     characters or '-', and must start and end with an alphanumeric character",
                );
            }
            validate_resource_target(&c.target, &p.child("target"), errs);
        }
    }
    let expected = match m.type_.as_str() {
        "Object" => Some(("object", m.object.is_some())),
        "Pods" => Some(("pods", m.pods.is_some())),
        "Resource" => Some(("resource", m.resource.is_some())),
        "External" => Some(("external", m.external.is_some())),
        "ContainerResource" => Some(("containerResource", m.container_resource.is_some())),
        _ => None,
    };
    match expected {
        Some((field, false)) => {
            // Kubernetes' words, then what was found instead when that is telling.
            let detail = match present.as_slice() {
                [other] => format!(
                    "must populate information for the given metric source (found `{other}:`; a {} metric's source goes under `{field}:`)",
                    m.type_
                ),
                _ => "must populate information for the given metric source".to_string(),
            };
            errs.required(path.child(field), &detail);
        }
        Some(_) => {}
        None => errs.not_supported(path.child("type"), &m.type_, &METRIC_SOURCE_TYPES),
    }
    if present.len() != 1 {
        if let Some((field, _)) = expected {
            present.retain(|p| *p != field);
        }
        for field in present {
            errs.forbidden(
                path.child(field),
                "must populate the given metric source only",
            );
        }
    }
}

fn validate_resource_target(t: &MetricTarget, path: &Path, errs: &mut FieldErrors) {
    validate_target(t, path, errs);
    if t.average_utilization.is_none() && t.average_value.is_none() {
        errs.required(
            path.child("averageUtilization"),
            "must set either a target raw value or a target utilization",
        );
    }
    if t.average_utilization.is_some() && t.average_value.is_some() {
        errs.forbidden(
            path.child("averageValue"),
            "may not set both a target raw value and a target utilization",
        );
    }
}

/// `validateMetricTarget`.
fn validate_target(t: &MetricTarget, path: &Path, errs: &mut FieldErrors) {
    if t.type_.is_empty() {
        errs.required(path.child("type"), "must specify a metric target type");
    }
    if !matches!(t.type_.as_str(), "Utilization" | "Value" | "AverageValue") {
        errs.invalid(
            path.child("type"),
            format!("{:?}", t.type_),
            "must be either Utilization, Value, or AverageValue",
        );
    }
    if let Some(v) = &t.value {
        if v.signum() != 1 {
            errs.invalid(path.child("value"), format!("\"{v}\""), "must be positive");
        }
    }
    if let Some(v) = &t.average_value {
        if v.signum() != 1 {
            errs.invalid(
                path.child("averageValue"),
                format!("\"{v}\""),
                "must be positive",
            );
        }
    }
    if let Some(u) = t.average_utilization {
        if u < 1 {
            errs.invalid(
                path.child("averageUtilization"),
                u,
                "must be greater than 0",
            );
        }
    }
}

/// `validateMetricIdentifier`.
fn validate_identifier(id: &MetricIdentifier, path: &Path, errs: &mut FieldErrors) {
    if id.name.is_empty() {
        errs.required(path.child("name"), "must specify a metric name");
    } else {
        path_segment_name(&id.name, &path.child("name"), errs);
    }
}

const SELECT_POLICIES: [&str; 3] = ["Disabled", "Max", "Min"];
const POLICY_TYPES: [&str; 2] = ["Percent", "Pods"];

/// `validateBehavior`.
fn validate_behavior(b: &Behavior, path: &Path, errs: &mut FieldErrors) {
    if let Some(r) = &b.scale_up {
        validate_rules(r, &path.child("scaleUp"), errs);
    }
    if let Some(r) = &b.scale_down {
        validate_rules(r, &path.child("scaleDown"), errs);
    }
}

/// `validateScalingRules`.
fn validate_rules(r: &ScalingRules, path: &Path, errs: &mut FieldErrors) {
    if let Some(w) = r.stabilization_window_seconds {
        if w < 0 {
            errs.invalid(
                path.child("stabilizationWindowSeconds"),
                w,
                "must be greater than or equal to zero",
            );
        }
        if w > MAX_STABILIZATION_WINDOW_SECONDS {
            errs.invalid(
                path.child("stabilizationWindowSeconds"),
                w,
                &format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"),
            );
        }
    }
    if let Some(s) = &r.select_policy {
        if !SELECT_POLICIES.contains(&s.as_str()) {
            errs.not_supported(path.child("selectPolicy"), s, &SELECT_POLICIES);
        }
    }
    let policies = path.child("policies");
    if r.policy_list().is_empty() {
        errs.required(policies.clone(), "must specify at least one Policy");
    }
    for (i, p) in r.policy_list().iter().enumerate() {
        validate_policy(p, &policies.index(i), errs);
    }
    if let Some(t) = &r.tolerance {
        if t.signum() < 0 {
            errs.invalid(
                path.child("tolerance"),
                format!("\"{t}\""),
                "must be greater than or equal to zero",
            );
        }
    }
}

/// `validateScalingPolicy`.
fn validate_policy(p: &ScalingPolicy, path: &Path, errs: &mut FieldErrors) {
    if !POLICY_TYPES.contains(&p.type_.as_str()) {
        errs.not_supported(path.child("type"), &p.type_, &POLICY_TYPES);
    }
    if p.value <= 0 {
        errs.invalid(path.child("value"), p.value, "must be greater than zero");
    }
    if p.period_seconds <= 0 {
        errs.invalid(
            path.child("periodSeconds"),
            p.period_seconds,
            "must be greater than zero",
        );
    }
    if p.period_seconds > MAX_PERIOD_SECONDS {
        errs.invalid(
            path.child("periodSeconds"),
            p.period_seconds,
            &format!("must be less than or equal to {MAX_PERIOD_SECONDS}"),
        );
    }
}

/// `validation.IsDNS1123Label`.
fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}
