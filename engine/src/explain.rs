//! One-line human explanations of a decision, built from the same data the
//! decision is ("cpu 142% of 70% → 6; limited to 4 by policy Pods=2 per 30s").

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use crate::condition::Reason;
use crate::horizontal::{Branch, HpaOutcome, MetricOutcome};
use crate::spec::hpa::{HpaSpec, MetricSpec};

/// The short name of a metric: the resource or the metric's name.
pub fn metric_name(spec: &MetricSpec) -> String {
    let mut s = String::new();
    write_name(&mut s, spec);
    s
}

fn write_name(out: &mut String, spec: &MetricSpec) {
    let name = match spec.type_.as_str() {
        "Resource" => spec.resource.as_ref().map(|r| r.name.as_str()),
        "ContainerResource" => {
            if let Some(c) = &spec.container_resource {
                let _ = write!(out, "{} ({})", c.name, c.container);
                return;
            }
            None
        }
        "Pods" => spec.pods.as_ref().map(|p| p.metric.name.as_str()),
        "Object" => spec.object.as_ref().map(|o| o.metric.name.as_str()),
        "External" => spec.external.as_ref().map(|e| e.metric.name.as_str()),
        _ => None,
    };
    out.push_str(name.unwrap_or(&spec.type_));
}

fn write_target(out: &mut String, spec: &MetricSpec) {
    let t = match spec.type_.as_str() {
        "Resource" => spec.resource.as_ref().map(|r| &r.target),
        "ContainerResource" => spec.container_resource.as_ref().map(|c| &c.target),
        "Pods" => spec.pods.as_ref().map(|p| &p.target),
        "Object" => spec.object.as_ref().map(|o| &o.target),
        "External" => spec.external.as_ref().map(|e| &e.target),
        _ => None,
    };
    let Some(t) = t else { return };
    let _ = match (&t.average_value, t.average_utilization, &t.value) {
        (Some(v), ..) => write!(out, "{v}"),
        (None, Some(u), _) => write!(out, "{u}%"),
        (None, None, Some(v)) => write!(out, "{v}"),
        _ => Ok(()),
    };
}

fn write_summary(out: &mut String, spec: &MetricSpec, m: &MetricOutcome) {
    write_name(out, spec);
    let _ = match (&m.error, m.utilization, &m.value, m.replicas) {
        (Some(e), ..) => write!(out, ": {e}"),
        (None, Some(u), _, Some(r)) => {
            let _ = write!(out, " {u}% of ");
            write_target(out, spec);
            write!(out, " → {r}")
        }
        (None, None, Some(v), Some(r)) => {
            let _ = write!(out, " {v} of ");
            write_target(out, spec);
            write!(out, " → {r}")
        }
        _ => Ok(()),
    };
}

fn write_metrics(out: &mut String, spec: &HpaSpec, outcome: &HpaOutcome) {
    for (i, (s, m)) in spec.metrics.iter().zip(&outcome.metrics).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_summary(out, s, m);
    }
}

/// Explains an HPA reconcile.
pub fn hpa(spec: &HpaSpec, current: i32, outcome: &HpaOutcome) -> String {
    let min = spec.min_replicas.unwrap_or(1);
    let mut s = String::with_capacity(160);
    let _ = match &outcome.path {
        Branch::Disabled => write!(
            s,
            "the target has 0 replicas and minReplicas is {min}: scaling is disabled; stays 0"
        ),
        Branch::OutOfRange { bound } if current > *bound => {
            write!(
                s,
                "{current} replicas is above maxReplicas {bound}: scaled to {bound}"
            )
        }
        Branch::OutOfRange { bound } => {
            write!(
                s,
                "{current} replicas is below minReplicas {bound}: scaled to {bound}"
            )
        }
        Branch::MetricsFailed => {
            write_metrics(&mut s, spec, outcome);
            write!(
                s,
                "; no scale-down while a metric is invalid: stays {current}"
            )
        }
        Branch::Metrics {
            proposal,
            normalized,
        } => {
            write_metrics(&mut s, spec, outcome);
            if outcome.metrics.len() > 1 {
                let _ = write!(s, ": max {proposal}");
            }
            if normalized.stabilized != *proposal {
                let dir = if *proposal >= current {
                    "scale-up"
                } else {
                    "scale-down"
                };
                let _ = write!(
                    s,
                    "; held at {} by the {dir} stabilization window",
                    normalized.stabilized
                );
            }
            if normalized.desired != normalized.stabilized {
                let _ = write!(s, "; limited to {} by ", normalized.desired);
                let _ = match (normalized.limit_reason, &normalized.limiting_policy) {
                    (Reason::ScaleUpLimit | Reason::ScaleDownLimit, Some(p))
                        if p.starts_with("select") =>
                    {
                        write!(s, "{p}")
                    }
                    (Reason::ScaleUpLimit | Reason::ScaleDownLimit, Some(p)) => {
                        write!(s, "policy {p}")
                    }
                    (Reason::ScaleUpLimit, None) => {
                        write!(s, "the scale-up limit max(2×{current}, 4)")
                    }
                    (Reason::TooManyReplicas, _) => write!(s, "maxReplicas {}", spec.max_replicas),
                    (Reason::TooFewReplicas, _) => write!(s, "minReplicas {min}"),
                    (r, _) => write!(s, "{}", r.as_str()),
                };
            }
            if outcome.desired_replicas == current {
                write!(s, "; stays {current}")
            } else {
                write!(s, "; {current} → {}", outcome.desired_replicas)
            }
        }
    };
    s
}

/// Explains a KEDA poll ("queue 12 > activation 1: active; 0 → 1").
pub fn keda(
    so: &crate::keda::ScaledObject,
    current: i32,
    readings: &[crate::model::Reading],
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
        if let crate::keda::scalers::Activity::Window(w) = &scaler.activity {
            // cron reads the clock, not a reading: its metric says where it is.
            let m = outcome.metrics.get(i);
            parts.push(match m.and_then(|m| m.error.as_deref()) {
                Some(e) => format!("{name} failing ({e})"),
                None if m.and_then(|m| m.value).is_some_and(|v| v.milli_value() > 0) => {
                    format!(
                        "{name} inside its window (desiredReplicas {})",
                        w.desired_replicas
                    )
                }
                None => format!("{name} outside its window"),
            });
            continue;
        }
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
