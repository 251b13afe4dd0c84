//! replicast-engine: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2)
//! and KEDA ScaledObject decision logic, as a pure `no_std` + `alloc` library.
//!
//! Placeholder for the foundation: the real engine replaces [`preview_desired_replicas`].
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// The replica count the HPA would propose for one utilization metric, with
/// the default 10 % tolerance (a foundation placeholder for the real calculator).
pub fn preview_desired_replicas(current_replicas: i32, utilization: i32, target: i32) -> i32 {
    if target <= 0 || current_replicas <= 0 {
        return current_replicas;
    }
    let ratio = f64::from(utilization) / f64::from(target);
    if (1.0 - 0.1..=1.0 + 0.1).contains(&ratio) {
        return current_replicas;
    }
    libm::ceil(ratio * f64::from(current_replicas)) as i32
}
