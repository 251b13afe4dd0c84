//! API defaulting of the HorizontalPodAutoscaler.
//!
//! Mirrors `pkg/apis/autoscaling/v2/defaults.go`:
//! `SetDefaults_HorizontalPodAutoscaler`,
//! `SetDefaults_HorizontalPodAutoscalerBehavior`, `GenerateHPAScaleUpRules`,
//! `GenerateHPAScaleDownRules` and `copyHPAScalingRules`.

use alloc::string::ToString;
use alloc::vec;

use super::hpa::{
    Behavior, HpaSpec, MetricSpec, MetricTarget, ResourceMetricSource, ScalingPolicy, ScalingRules,
};

/// `autoscaling.DefaultCPUUtilization`.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// `SetDefaults_HorizontalPodAutoscaler`: `minReplicas` 1, CPU at 80 % when
/// no metric is given, and the behavior defaults when `behavior` is present
/// (an empty `behavior: {}` counts as present).
pub fn apply(spec: &mut HpaSpec) {
    if spec.min_replicas.is_none() {
        spec.min_replicas = Some(1);
    }
    if spec.metrics.is_empty() {
        spec.metrics = vec![MetricSpec {
            type_: "Resource".to_string(),
            resource: Some(ResourceMetricSource {
                name: "cpu".to_string(),
                target: MetricTarget {
                    type_: "Utilization".to_string(),
                    average_utilization: Some(DEFAULT_CPU_UTILIZATION),
                    ..MetricTarget::default()
                },
            }),
            ..MetricSpec::default()
        }];
    }
    if let Some(behavior) = spec.behavior.as_mut() {
        apply_behavior(behavior);
    }
}

/// `SetDefaults_HorizontalPodAutoscalerBehavior`.
pub fn apply_behavior(behavior: &mut Behavior) {
    behavior.scale_up = Some(scale_up_rules(behavior.scale_up.take()));
    behavior.scale_down = Some(scale_down_rules(behavior.scale_down.take()));
}

fn policy(type_: &str, value: i32, period_seconds: i32) -> ScalingPolicy {
    ScalingPolicy {
        type_: type_.to_string(),
        value,
        period_seconds,
    }
}

/// `GenerateHPAScaleUpRules`: window 0, Max of 4 pods or 100 % per 15 s.
pub fn scale_up_rules(user: Option<ScalingRules>) -> ScalingRules {
    copy_rules(
        user,
        ScalingRules {
            stabilization_window_seconds: Some(0),
            select_policy: Some("Max".to_string()),
            policies: Some(vec![policy("Pods", 4, 15), policy("Percent", 100, 15)]),
            tolerance: None,
        },
    )
}

/// `GenerateHPAScaleDownRules`: window unset (the controller fills in its
/// `--horizontal-pod-autoscaler-downscale-stabilization`), 100 % per 15 s.
pub fn scale_down_rules(user: Option<ScalingRules>) -> ScalingRules {
    copy_rules(
        user,
        ScalingRules {
            stabilization_window_seconds: None,
            select_policy: Some("Max".to_string()),
            policies: Some(vec![policy("Percent", 100, 15)]),
            tolerance: None,
        },
    )
}

/// `copyHPAScalingRules`: every field the user set wins; `policies` is
/// replaced as a whole list, never merged.
fn copy_rules(user: Option<ScalingRules>, mut defaults: ScalingRules) -> ScalingRules {
    let Some(user) = user else { return defaults };
    if user.select_policy.is_some() {
        defaults.select_policy = user.select_policy;
    }
    if user.stabilization_window_seconds.is_some() {
        defaults.stabilization_window_seconds = user.stabilization_window_seconds;
    }
    if user.policies.is_some() {
        defaults.policies = user.policies;
    }
    if user.tolerance.is_some() {
        defaults.tolerance = user.tolerance;
    }
    defaults
}
