//! The HPA KEDA creates and owns for a ScaledObject: kedacore/keda
//! `controllers/keda/hpa.go` (`newHPAForScaledObject`,
//! `getScaledObjectMetricSpecs`).

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::{COMPOSITE_METRIC_NAME, ScaledObject, Scaler};
use crate::calculator::go_i64;
use crate::quantity::{Format, Quantity};
use crate::spec::hpa::{
    Behavior, ContainerResourceMetricSource, CrossVersionObjectReference, ExternalMetricSource,
    HorizontalPodAutoscaler, HpaSpec, MetricIdentifier, MetricSpec, MetricTarget,
    ResourceMetricSource, ScalingRules,
};

/// `newHPAForScaledObject`: the HPA KEDA creates and owns.
pub fn generated_hpa(so: &ScaledObject, scalers: &[Scaler]) -> HorizontalPodAutoscaler {
    let external = metrics(so, scalers);
    let behavior = behavior(so);
    let target_ref = so.spec.scale_target_ref.clone().unwrap_or_default();
    let mut hpa = HorizontalPodAutoscaler {
        api_version: "autoscaling/v2".into(),
        kind: "HorizontalPodAutoscaler".into(),
        metadata: crate::spec::hpa::ObjectMeta {
            name: so
                .spec
                .advanced
                .as_ref()
                .and_then(|a| a.horizontal_pod_autoscaler_config.as_ref())
                .and_then(|c| c.name.clone())
                .unwrap_or_else(|| format!("keda-hpa-{}", so.metadata.name)),
            namespace: so.metadata.namespace.clone(),
            annotations: Default::default(),
        },
        spec: HpaSpec {
            scale_target_ref: CrossVersionObjectReference {
                kind: if target_ref.kind.is_empty() {
                    "Deployment".into()
                } else {
                    target_ref.kind
                },
                name: target_ref.name,
                api_version: if target_ref.api_version.is_empty() {
                    "apps/v1".into()
                } else {
                    target_ref.api_version
                },
            },
            min_replicas: Some(so.hpa_min_replicas()),
            max_replicas: so.hpa_max_replicas(),
            metrics: external,
            behavior,
        },
    };
    crate::spec::defaults::apply(&mut hpa.spec);
    hpa
}

/// `getScaledObjectMetricSpecs`: the composite metric under scaling
/// modifiers (first), else one External metric per trigger, then the
/// cpu/memory triggers' Resource or ContainerResource metrics.
fn metrics(so: &ScaledObject, scalers: &[Scaler]) -> Vec<MetricSpec> {
    let selector =
        serde_json::json!({"matchLabels": {"scaledobject.keda.sh/name": so.metadata.name}});
    let mut external = Vec::new();
    let mut resource = Vec::new();
    for s in scalers.iter().take(so.spec.triggers.len()) {
        if let Some((name, container)) = &s.resource {
            let target = if s.metric_type == "Utilization" {
                MetricTarget {
                    type_: "Utilization".into(),
                    average_utilization: Some(s.target as i32),
                    ..Default::default()
                }
            } else {
                metric_target("AverageValue", s.target)
            };
            resource.push(match container {
                Some(c) => MetricSpec {
                    type_: "ContainerResource".into(),
                    container_resource: Some(ContainerResourceMetricSource {
                        name: name.clone(),
                        container: c.clone(),
                        target,
                    }),
                    ..Default::default()
                },
                None => MetricSpec {
                    type_: "Resource".into(),
                    resource: Some(ResourceMetricSource {
                        name: name.clone(),
                        target,
                    }),
                    ..Default::default()
                },
            });
        } else if so.modifiers().is_none() {
            external.push(external_metric(
                &s.metric_name,
                &selector,
                metric_target(&s.metric_type, s.target),
            ));
        }
    }
    if let Some(m) = so.modifiers() {
        let target: f64 = m.target.trim().parse().unwrap_or(0.0);
        let mt = m.metric_type.as_deref().unwrap_or("AverageValue");
        external.insert(
            0,
            external_metric(COMPOSITE_METRIC_NAME, &selector, metric_target(mt, target)),
        );
    }
    external.extend(resource);
    external
}

/// The ScaledObject's `horizontalPodAutoscalerConfig.behavior`, a paused
/// direction's `selectPolicy` set to `Disabled` (`autoscaling.keda.sh/paused-scale-in`/`-out`).
fn behavior(so: &ScaledObject) -> Option<Behavior> {
    let mut behavior = so
        .spec
        .advanced
        .as_ref()
        .and_then(|a| a.horizontal_pod_autoscaler_config.as_ref())
        .and_then(|c| c.behavior.clone());
    if so.pause_scale_in() || so.pause_scale_out() {
        let b = behavior.get_or_insert_with(Behavior::default);
        let disable = |rules: &mut Option<ScalingRules>| {
            rules
                .get_or_insert_with(ScalingRules::default)
                .select_policy = Some("Disabled".into());
        };
        if so.pause_scale_in() {
            disable(&mut b.scale_down);
        }
        if so.pause_scale_out() {
            disable(&mut b.scale_up);
        }
    }
    behavior
}

/// A trigger's target as KEDA writes it: milli-precision, `Value` or
/// `AverageValue`.
fn metric_target(metric_type: &str, value: f64) -> MetricTarget {
    let q = Quantity::from_milli(go_i64(value * 1000.0), Format::DecimalSi);
    if metric_type == "Value" {
        MetricTarget {
            type_: "Value".into(),
            value: Some(q),
            ..Default::default()
        }
    } else {
        MetricTarget {
            type_: "AverageValue".into(),
            average_value: Some(q),
            ..Default::default()
        }
    }
}

/// An External metric of the generated HPA.
fn external_metric(name: &str, selector: &serde_json::Value, target: MetricTarget) -> MetricSpec {
    MetricSpec {
        type_: "External".into(),
        external: Some(ExternalMetricSource {
            metric: MetricIdentifier {
                name: name.to_string(),
                selector: Some(selector.clone()),
            },
            target,
        }),
        ..Default::default()
    }
}
