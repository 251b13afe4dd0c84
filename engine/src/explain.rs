//! One-line human explanations of a decision, built from the same data the
//! decision is ("cpu 142% of 70% → 6; limited to 4 by policy Pods=2 per 30s").

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::condition::Reason;
use crate::horizontal::{MetricOutcome, Outcome, Path};
use crate::spec::hpa::{HpaSpec, MetricSpec};

/// The short name of a metric: the resource or the metric's name.
pub fn metric_name(spec: &MetricSpec) -> String {
    let name = match spec.type_.as_str() {
        "Resource" => spec.resource.as_ref().map(|r| r.name.clone()),
        "ContainerResource" => spec
            .container_resource
            .as_ref()
            .map(|c| format!("{} ({})", c.name, c.container)),
        "Pods" => spec.pods.as_ref().map(|p| p.metric.name.clone()),
        "Object" => spec.object.as_ref().map(|o| o.metric.name.clone()),
        "External" => spec.external.as_ref().map(|e| e.metric.name.clone()),
        _ => None,
    };
    name.unwrap_or_else(|| spec.type_.clone())
}

fn target(spec: &MetricSpec) -> String {
    let t = match spec.type_.as_str() {
        "Resource" => spec.resource.as_ref().map(|r| &r.target),
        "ContainerResource" => spec.container_resource.as_ref().map(|c| &c.target),
        "Pods" => spec.pods.as_ref().map(|p| &p.target),
        "Object" => spec.object.as_ref().map(|o| &o.target),
        "External" => spec.external.as_ref().map(|e| &e.target),
        _ => None,
    };
    t.map(crate::horizontal::target_text).unwrap_or_default()
}

fn metric_summary(spec: &MetricSpec, m: &MetricOutcome) -> String {
    let name = metric_name(spec);
    match (&m.error, m.utilization, &m.value, m.replicas) {
        (Some(e), ..) => format!("{name}: {e}"),
        (None, Some(u), _, Some(r)) => format!("{name} {u}% of {} → {r}", target(spec)),
        (None, None, Some(v), Some(r)) => format!("{name} {v} of {} → {r}", target(spec)),
        _ => name,
    }
}

/// Explains an HPA reconcile.
pub fn hpa(spec: &HpaSpec, current: i32, outcome: &Outcome) -> String {
    let min = spec.min_replicas.unwrap_or(1);
    let metrics: Vec<String> = spec
        .metrics
        .iter()
        .zip(&outcome.metrics)
        .map(|(s, m)| metric_summary(s, m))
        .collect();
    match &outcome.path {
        Path::Disabled => format!(
            "the target has 0 replicas and minReplicas is {min}: scaling is disabled; stays 0"
        ),
        Path::OutOfRange { bound } if current > *bound => {
            format!("{current} replicas is above maxReplicas {bound}: scaled to {bound}")
        }
        Path::OutOfRange { bound } => {
            format!("{current} replicas is below minReplicas {bound}: scaled to {bound}")
        }
        Path::MetricsFailed => format!(
            "{}; no scale-down while a metric is invalid: stays {current}",
            metrics.join(", ")
        ),
        Path::Metrics {
            proposal,
            normalized,
        } => {
            let mut s = if metrics.len() > 1 {
                format!("{}: max {proposal}", metrics.join(", "))
            } else {
                metrics.join(", ")
            };
            if normalized.stabilized != *proposal {
                let dir = if *proposal >= current {
                    "scale-up"
                } else {
                    "scale-down"
                };
                s.push_str(&format!(
                    "; held at {} by the {dir} stabilization window",
                    normalized.stabilized
                ));
            }
            if normalized.desired != normalized.stabilized {
                let by = match (normalized.limit_reason, &normalized.limiting_policy) {
                    (Reason::ScaleUpLimit | Reason::ScaleDownLimit, Some(p))
                        if p.starts_with("select") =>
                    {
                        p.clone()
                    }
                    (Reason::ScaleUpLimit | Reason::ScaleDownLimit, Some(p)) => {
                        format!("policy {p}")
                    }
                    (Reason::ScaleUpLimit, None) => {
                        format!("the scale-up limit max(2×{current}, 4)")
                    }
                    (Reason::TooManyReplicas, _) => format!("maxReplicas {}", spec.max_replicas),
                    (Reason::TooFewReplicas, _) => format!("minReplicas {min}"),
                    (r, _) => String::from(r.as_str()),
                };
                s.push_str(&format!("; limited to {} by {by}", normalized.desired));
            }
            if outcome.desired_replicas == current {
                s.push_str(&format!("; stays {current}"));
            } else {
                s.push_str(&format!("; {current} → {}", outcome.desired_replicas));
            }
            s
        }
    }
}

/// Explains a KEDA poll ("queue 12 > activation 1: active; 0 → 1").
pub fn keda(
    so: &crate::keda::ScaledObject,
    current: i32,
    readings: &[crate::case::input::Reading],
    outcome: &crate::keda::KedaOutcome,
) -> String {
    use crate::keda::OperatorAction;
    let mut parts: Vec<String> = Vec::new();
    for (i, t) in so.spec.triggers.iter().enumerate() {
        if t.is_resource() {
            continue;
        }
        let name = if t.name.is_empty() {
            t.type_.clone()
        } else {
            t.name.clone()
        };
        let Ok(scaler) = crate::keda::scalers::describe(t, i) else {
            continue;
        };
        let part = match readings.get(i) {
            Some(r) if r.error.is_some() => {
                format!("{name} failing ({})", r.error.as_deref().unwrap_or(""))
            }
            Some(r) => {
                let v = r
                    .value
                    .map(|q| q.to_string())
                    .unwrap_or_else(|| String::from("?"));
                let above = r
                    .value
                    .is_some_and(|q| q.milli_value() as f64 / 1000.0 > scaler.activation);
                format!(
                    "{name} {v} {} activation {}",
                    if above { ">" } else { "≤" },
                    scaler.activation
                )
            }
            None => name,
        };
        parts.push(part);
    }
    let state = if outcome.active {
        "active"
    } else {
        "not active"
    };
    let mut s = if parts.is_empty() {
        String::from(state)
    } else {
        format!("{}: {state}", parts.join(", "))
    };
    match &outcome.action {
        OperatorAction::Paused => s = format!("paused by annotation; stays {current}"),
        OperatorAction::Wrote(n) if so.paused_replicas().is_some() => {
            s = format!("paused at {n} replicas by annotation; {current} → {n}")
        }
        OperatorAction::Wrote(n) => s.push_str(&format!("; {current} → {n}")),
        OperatorAction::None => match &outcome.hpa {
            Some(h) if current > 0 => {
                let hpa = self::hpa(&outcome.generated.spec, current, h);
                s.push_str(&format!("; HPA: {hpa}"));
            }
            _ if outcome
                .conditions
                .get(crate::condition::ConditionType::Active)
                .is_some_and(|c| c.reason == crate::condition::Reason::ScalerCooldown) =>
            {
                s.push_str(&format!(
                    "; cooling down ({}s); stays {current}",
                    so.cooldown_period()
                ))
            }
            _ => s.push_str(&format!("; stays {current}")),
        },
    }
    s
}
