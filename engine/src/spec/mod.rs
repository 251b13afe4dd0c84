//! The autoscaler objects users write: types, API defaults, validation, and
//! reading them from documents of any API version Kubernetes ever served.

pub mod defaults;
pub mod hpa;
pub mod validation;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path, Segment};
pub use hpa::{HorizontalPodAutoscaler, HpaSpec};

/// Deserializes `value` as `T`, naming the exact path of a wrong or missing
/// field (relative to `at`).
pub(crate) fn deserialize<T: DeserializeOwned>(value: &Value, at: &Path) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = at.clone();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path.0.push(Segment::Index(*index)),
                serde_path_to_error::Segment::Map { key } => path.0.push(Segment::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => {
                    path.0.push(Segment::Key(variant.clone()))
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        Error::new(ErrorKind::Schema, path, e.into_inner().to_string())
    })
}

/// An HPA read from a document, defaulted and validated, with notes on
/// what was converted (an older API version).
#[derive(Clone, Debug)]
pub struct ReadHpa {
    /// The object, API defaults applied.
    pub hpa: HorizontalPodAutoscaler,
    /// Notes for the user (deprecated API version, ...).
    pub warnings: Vec<String>,
}

/// Reads a HorizontalPodAutoscaler from `value` (a whole object or just its
/// `spec`) at `at`: converts `autoscaling/v1` and `v2beta2` as the API
/// server does, refuses the removed `v2beta1`/`v2alpha1` with what to
/// change, applies the API defaults and validates.
pub fn read_hpa(value: &Value, at: &Path, opts: validation::Options) -> Result<ReadHpa, Error> {
    let whole = value.get("spec").is_some()
        || value.get("apiVersion").is_some()
        || value.get("kind").is_some();
    let spec_path = if whole { at.child("spec") } else { at.clone() };
    let mut warnings = Vec::new();
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(kind) = value.get("kind").and_then(Value::as_str) {
        if kind != "HorizontalPodAutoscaler" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("kind"),
                format!("expected a HorizontalPodAutoscaler, found kind {kind:?}"),
            ));
        }
    }
    let mut hpa: HorizontalPodAutoscaler = match api_version {
        "" | "autoscaling/v2" => read_v2(value, whole, at)?,
        "autoscaling/v2beta2" => {
            warnings.push(
                "autoscaling/v2beta2 HorizontalPodAutoscaler is no longer served since Kubernetes 1.26; \
                 change apiVersion to autoscaling/v2 (the fields are the same)"
                    .to_string(),
            );
            read_v2(value, whole, at)?
        }
        "autoscaling/v1" => read_v1(value, at)?,
        "autoscaling/v2beta1" | "autoscaling/v2alpha1" => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("apiVersion"),
                format!(
                    "{api_version} HorizontalPodAutoscaler is no longer served (removed in Kubernetes {}); \
                     change apiVersion to autoscaling/v2 and rewrite each metric: \
                     `metricName: X` becomes `metric: {{name: X}}`, \
                     `targetAverageUtilization: N` becomes `target: {{type: Utilization, averageUtilization: N}}`, \
                     `targetAverageValue: Q` becomes `target: {{type: AverageValue, averageValue: Q}}`, \
                     `targetValue: Q` becomes `target: {{type: Value, value: Q}}`",
                    if api_version == "autoscaling/v2beta1" {
                        "1.25"
                    } else {
                        "1.9"
                    }
                ),
            ));
        }
        other => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("apiVersion"),
                format!(
                    "unsupported apiVersion {other:?} for a HorizontalPodAutoscaler; use autoscaling/v2"
                ),
            ));
        }
    };
    let legacy = legacy_metric_fields(value, whole, &spec_path);
    defaults::apply(&mut hpa.spec);
    let valid = validation::validate_spec(&hpa.spec, &spec_path, opts);
    match (valid, legacy) {
        (Ok(()), None) => Ok(ReadHpa { hpa, warnings }),
        (Ok(()), Some(e)) => Err(e),
        (Err(e), None) => Err(e),
        (Err(e), Some(l)) => Err(l.join(e)),
    }
}

fn read_v2(value: &Value, whole: bool, at: &Path) -> Result<HorizontalPodAutoscaler, Error> {
    if whole {
        deserialize(value, at)
    } else {
        Ok(HorizontalPodAutoscaler {
            spec: deserialize(value, at)?,
            ..Default::default()
        })
    }
}

/// `autoscaling/v1`: `targetCPUUtilizationPercentage` becomes a CPU
/// Utilization metric, as the API server converts it.
fn read_v1(value: &Value, at: &Path) -> Result<HorizontalPodAutoscaler, Error> {
    let mut hpa: HorizontalPodAutoscaler = deserialize(value, at)?;
    let spec_path = at.child("spec");
    let spec = value.get("spec").cloned().unwrap_or(Value::Null);
    if let Some(t) = spec.get("targetCPUUtilizationPercentage") {
        let pct: i32 = deserialize(t, &spec_path.child("targetCPUUtilizationPercentage"))?;
        hpa.spec.metrics = alloc::vec![hpa::MetricSpec {
            type_: "Resource".to_string(),
            resource: Some(hpa::ResourceMetricSource {
                name: "cpu".to_string(),
                target: hpa::MetricTarget {
                    type_: "Utilization".to_string(),
                    average_utilization: Some(pct),
                    ..Default::default()
                },
            }),
            ..Default::default()
        }];
    }
    Ok(hpa)
}

/// v2beta1-only field names inside a v2 object (an apiVersion bumped without
/// migrating the body): each is named with the v2 field to write instead.
fn legacy_metric_fields(value: &Value, whole: bool, spec_path: &Path) -> Option<Error> {
    let spec = if whole { value.get("spec")? } else { value };
    let metrics = spec.get("metrics")?.as_array()?;
    let mut err: Option<Error> = None;
    for (i, m) in metrics.iter().enumerate() {
        for source in [
            "resource",
            "pods",
            "object",
            "external",
            "containerResource",
        ] {
            let Some(src) = m.get(source) else { continue };
            for (field, instead) in [
                ("metricName", "metric: {name: ...}"),
                ("metricSelector", "metric: {selector: ...}"),
                (
                    "targetAverageUtilization",
                    "target: {type: Utilization, averageUtilization: ...}",
                ),
                (
                    "targetAverageValue",
                    "target: {type: AverageValue, averageValue: ...}",
                ),
                ("targetValue", "target: {type: Value, value: ...}"),
            ] {
                if src.get(field).is_some() {
                    let e = Error::new(
                        ErrorKind::Unsupported,
                        spec_path
                            .child("metrics")
                            .index(i)
                            .child(source)
                            .child(field),
                        format!(
                            "`{field}` is an autoscaling/v2beta1 field, which autoscaling/v2 does not have; \
                             write `{instead}` instead"
                        ),
                    );
                    err = Some(match err {
                        Some(prev) => prev.join(e),
                        None => e,
                    });
                }
            }
        }
    }
    err
}
