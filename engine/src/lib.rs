//! replicast-engine: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2)
//! and KEDA ScaledObject decision logic as a pure `no_std` + `alloc` library.
//!
//! The modules follow the upstream controller's own split
//! (kubernetes/kubernetes `pkg/controller/podautoscaler`):
//!
//! | module | job | upstream |
//! | --- | --- | --- |
//! | [`model`] | what a reconcile reads: target, pods, readings, the controllers' memory and flags (the bottom layer, with `quantity`, `time`, `error`) | `pkg/apis/core` (Pod), `timestampedRecommendation`, kube-controller-manager flags |
//! | [`quantity`] | `500m`, `4Gi`: parse, milli-values, canonical text | apimachinery `resource/quantity.go` |
//! | [`spec`] | the HPA as written: types, API defaults, validation, old API versions | `pkg/apis/autoscaling/v2/defaults.go`, `pkg/apis/autoscaling/validation/validation.go` |
//! | [`calculator`] | one metric's readings to a replica proposal | `replica_calculator.go`, `metrics/utilization.go` |
//! | [`horizontal`] | one reconcile: guards, metrics, conditions | `horizontal.go` (`reconcileAutoscaler`, `computeReplicasForMetrics`) |
//! | [`behavior`] | stabilization, rate limits, min/max | `horizontal.go` (`normalizeDesiredReplicas*`) |
//! | [`keda`] | ScaledObjects: scalers, activation, fallback, formulas, the operator's poll, the owned HPA | kedacore/keda `pkg/scaling`, `pkg/fallback`, `controllers/keda/hpa.go` |
//! | [`schema`] | the fields each API knows (generated); unknown fields as kubectl's strict validation names them | apimachinery strict decoding, CRD structural pruning |
//! | [`case`] | the evaluation case format and its decision | shared spec `eval-case.md` |
//! | [`yaml`] | bounded YAML reading with positions (feature `yaml`) | `sigs.k8s.io/yaml` behaviour |
//!
//! The engine never reads a clock and holds no state: `now` and the
//! controller's memory (the [`model::History`]) are inputs, and the new
//! memory is part of the decision, so reconciles chain.
//!
//! ```
//! # #[cfg(feature = "yaml")] {
//! let decision = replicast_engine::case::evaluate_text(r#"
//! now: 1000
//! hpa:
//!   apiVersion: autoscaling/v2
//!   kind: HorizontalPodAutoscaler
//!   spec:
//!     scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
//!     maxReplicas: 10
//!     metrics:
//!     - type: Pods
//!       pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: "10"}}
//! target: {replicas: 2}
//! pods: [{name: a}, {name: b}]
//! metrics:
//! - podValues: {a: "30", b: "30"}
//! "#).unwrap();
//! assert_eq!(decision.desired_replicas, 4); // 30/10 × 2 = 6, capped at max(2×2, 4)
//! # }
//! ```
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod behavior;
pub mod calculator;
pub mod case;
pub mod condition;
pub mod error;
pub mod explain;
pub mod horizontal;
pub mod keda;
pub mod kpa;
pub mod lint;
pub mod manifest;
pub mod model;
pub mod notice;
pub mod quantity;
pub mod schema;
pub mod sim;
pub mod spec;
pub mod time;
pub mod tune;
#[cfg(feature = "yaml")]
pub mod yaml;

pub use case::{Decision, EvalCase, evaluate};
pub use error::{Error, ErrorKind, Path, Problem};
pub use notice::{Notice, NoticeKind, Notices};
pub use quantity::Quantity;

/// The replica count the HPA would propose for one utilization metric, with
/// the default 10 % tolerance (a foundation placeholder for the playground).
pub fn preview_desired_replicas(current_replicas: i32, utilization: i32, target: i32) -> i32 {
    if target <= 0 || current_replicas <= 0 {
        return current_replicas;
    }
    let tol = calculator::Tolerances {
        scale_down: 0.1,
        scale_up: 0.1,
    };
    let ratio = f64::from(utilization) / f64::from(target);
    if tol.is_within(ratio) {
        return current_replicas;
    }
    calculator::go_i32(libm::ceil(ratio * f64::from(current_replicas)))
}
