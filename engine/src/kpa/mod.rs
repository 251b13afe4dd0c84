//! Knative Serving's Pod Autoscaler (KPA), as knative/serving
//! `knative-v1.23.0` decides (the tag's default implementation,
//! `pkg/autoscaler/scaling/autoscaler.go`; the newer
//! `libkpa_autoscaler.go` on main is not in that release).
//!
//! - [`config`]: the `config-autoscaler` ConfigMap.
//! - [`revision`]: a revision's `autoscaling.knative.dev/*` annotations,
//!   checked as the webhook checks them, resolved into the decider's
//!   settings.
//! - [`buckets`]: the metric collector's per-second windows (stable and
//!   panic).
//! - [`decider`]: one tick of `autoscaler.Scale` (panic mode, rate bounds,
//!   activation scale, scale-down delay, excess burst capacity).
//! - [`scaler`]: what the reconciler writes (bounds, initial scale, scale
//!   to zero).
//! - [`case`]: the `kpa:` evaluation case.

pub mod buckets;
pub mod case;
pub mod config;
pub mod decider;
pub mod go;
pub mod revision;
pub mod scaler;

pub use case::{KpaCase, KpaDecision, evaluate};
