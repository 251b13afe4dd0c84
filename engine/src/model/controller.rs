//! kube-controller-manager's flags and feature gates.

use serde::{Deserialize, Serialize};

use crate::time::Duration;

/// Feature gates that change decisions.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
pub struct Features {
    /// `PodLevelResources` (default true).
    pub pod_level_resources: bool,
    /// `HPAScaleToZero` (default false): allows `minReplicas: 0`.
    #[serde(rename = "HPAScaleToZero")]
    pub hpa_scale_to_zero: bool,
    /// `HPAConfigurableTolerance` (default true): honours
    /// `behavior.scaleUp/scaleDown.tolerance`.
    #[serde(rename = "HPAConfigurableTolerance")]
    pub hpa_configurable_tolerance: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            pod_level_resources: true,
            hpa_scale_to_zero: false,
            hpa_configurable_tolerance: true,
        }
    }
}

/// kube-controller-manager flags.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Controller {
    /// `--horizontal-pod-autoscaler-tolerance`.
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    pub initial_readiness_delay: Duration,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    pub downscale_stabilization: Duration,
    /// Feature gates.
    pub features: Features,
}

impl Default for Controller {
    fn default() -> Self {
        Controller {
            tolerance: 0.1,
            cpu_initialization_period: Duration::from_secs(300),
            initial_readiness_delay: Duration::from_secs(30),
            downscale_stabilization: Duration::from_secs(300),
            features: Features::default(),
        }
    }
}
