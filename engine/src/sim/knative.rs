//! A Knative Service in a scenario: its revision scaled by the KPA
//! ([`crate::kpa`]), and the activator that holds requests while the
//! revision has no serving pod.
//!
//! - [`bind`]: the manifests' `serving.knative.dev/v1` Service (its
//!   `spec.template` is the pod template: requests, readiness probe; its
//!   `spec.template.metadata.annotations` the autoscaling settings) and
//!   the optional `config-autoscaler` ConfigMap, read and checked as the
//!   webhook and `NewConfigFromMap` do.
//! - [`Activator`]: knative/serving `pkg/activator` (`handler`,
//!   `net.Throttler`): with no ready pod, a request waits at the activator
//!   until one is ready or its timeout passes.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::infer::Assumption;
use super::scenario::{AutoscalerKind, AutoscalerPlan};
use crate::error::{Error, ErrorKind, Path};
use crate::kpa::config::Config;
use crate::kpa::revision::{self, Revision, Settings};
use crate::manifest::{self, Manifests, Workload};
use crate::notice::Notices;

/// `serving.knative.dev/v1`.
const SERVING_V1: &str = "serving.knative.dev/v1";

/// The KPA's plan for a variant: what the loop needs.
#[derive(Clone, Debug)]
pub struct KpaPlan {
    /// The revision's resolved settings.
    pub settings: Settings,
    /// `config-autoscaler` (defaults when the manifests hold none).
    pub config: Config,
    /// The Service as written (the `revision:` of a traced case).
    pub raw: Value,
    /// `config-autoscaler` as written, when the manifests hold it.
    pub config_raw: Option<Value>,
    /// Located warnings on the Service and the ConfigMap.
    pub notices: Notices,
}

fn is_service(x: &manifest::Ignored) -> bool {
    x.kind == "Service" && x.api_version == SERVING_V1
}

/// The Knative Service of the manifests, when there is one: the workload
/// its revision runs (replicas: the revision's initial scale) and the KPA's
/// plan. A Knative Service beside an HPA or ScaledObject, or a second one,
/// is refused: a scenario simulates one workload.
pub(crate) fn bind(
    m: &Manifests,
    m_at: &Path,
    assumptions: &mut Vec<Assumption>,
) -> Result<Option<(Workload, AutoscalerPlan)>, Error> {
    let at_of = |d| super::scenario::object_path(m_at, d);
    let mut services = m.ignored().filter(|x| is_service(x));
    let Some(svc) = services.next() else {
        return Ok(None);
    };
    let at = at_of(svc.document);
    if let Some(second) = services.next() {
        return Err(Error::new(
            ErrorKind::Invalid,
            at_of(second.document),
            format!(
                "a scenario simulates one workload: Knative Services {:?} and {:?}",
                svc.name, second.name
            ),
        ));
    }
    if m.hpas().next().is_some() || m.scaled_objects().next().is_some() {
        return Err(Error::new(
            ErrorKind::Invalid,
            at,
            "a scenario simulates one workload: the Knative Service's revision is scaled by the KPA, \
             so an HPA or ScaledObject beside it scales something else",
        ));
    }
    let mut notices = Notices::default();
    let cm = m
        .ignored()
        .find(|x| x.kind == "ConfigMap" && x.name == "config-autoscaler");
    let config = match cm {
        Some(cm) => {
            let (c, n) = Config::from_value(&cm.raw, &at_of(cm.document))?;
            notices.0.extend(n.0);
            c
        }
        None => {
            assumptions.push(Assumption::new(
                at.clone(),
                "config-autoscaler",
                "defaults",
                "the manifests hold no ConfigMap config-autoscaler: Knative's defaults (knative-v1.23.0)",
            ));
            Config::default()
        }
    };
    let rev = Revision::from_value(&svc.raw, &at, &mut notices)?;
    let settings = revision::resolve(&rev, &config, true)?;
    let mut target = manifest::read_workload(&svc.raw, "Service", &at, svc.document)?;
    target.replicas = settings.initial_scale.max(settings.min_scale);
    if target.replicas > super::scenario::MAX_REPLICAS {
        return Err(Error::new(
            ErrorKind::Limit,
            at.child("spec").child("template"),
            format!(
                "the revision starts with {} pods; the simulator models at most {}",
                target.replicas,
                super::scenario::MAX_REPLICAS
            ),
        ));
    }
    let plan = AutoscalerPlan {
        name: svc.name.clone(),
        path: at.to_string(),
        kind: AutoscalerKind::Kpa(alloc::boxed::Box::new(KpaPlan {
            settings,
            config,
            raw: svc.raw.clone(),
            config_raw: cm.map(|c| c.raw.clone()),
            notices,
        })),
    };
    Ok(Some((target, plan)))
}

/// Whether [`bind`] reads `x` (the Service, or `config-autoscaler`).
pub(crate) fn simulated(x: &manifest::Ignored) -> bool {
    is_service(x) || (x.kind == "ConfigMap" && x.name == "config-autoscaler")
}

/// The activator's buffer: requests that arrived while no pod served,
/// oldest first, with their arrival time (knative/serving
/// `pkg/activator/handler/handler.go`: `activationHandler.ServeHTTP` waits
/// on the throttler, `Throttler.Try`, until a pod has capacity or the
/// request's timeout passes).
#[derive(Clone, Debug, Default)]
pub(crate) struct Activator {
    waiting: VecDeque<(f64, f64)>,
    total: f64,
}

impl Activator {
    /// Holds `arrivals` that came at `t`; drops what has waited `timeout`
    /// seconds or more; returns how many dropped.
    pub(crate) fn hold(&mut self, arrivals: f64, t: f64, timeout: f64) -> f64 {
        if arrivals > 0.0 {
            self.waiting.push_back((t, arrivals));
            self.total += arrivals;
        }
        let mut dropped = 0.0;
        while let Some(&(at, n)) = self.waiting.front() {
            if t - at < timeout {
                break;
            }
            dropped += n;
            self.total -= n;
            self.waiting.pop_front();
        }
        if self.waiting.is_empty() {
            self.total = 0.0;
        }
        dropped
    }

    /// Requests waiting now (what the activator reports as the revision's
    /// concurrency while it holds them).
    pub(crate) fn waiting(&self) -> f64 {
        self.total
    }

    /// Hands every waiting request to the pods (one is ready).
    pub(crate) fn release(&mut self) {
        self.waiting.clear();
        self.total = 0.0;
    }
}

/// What the simulator assumes about the KPA, for the variant's warnings.
pub(crate) fn assumptions_text(name: &str) -> String {
    format!(
        "Knative Service {name}: the reconciler runs at each decider tick (every 2 s); upstream also \
         requeues after a grace period's remainder, so scale to zero can land up to 2 s later here. \
         The activator holds requests while no pod serves; the mesh, the queue-proxy's own \
         capacity and the activator's capacity are not modelled"
    )
}

#[cfg(test)]
mod tests {
    use super::Activator;

    #[test]
    fn activator_holds_within_the_timeout_and_releases() {
        let mut a = Activator::default();
        assert_eq!(a.hold(3.0, 0.0, 10.0), 0.0);
        assert_eq!(a.hold(2.0, 5.0, 10.0), 0.0);
        assert_eq!(a.waiting(), 5.0);
        // The first 3 have waited 10 s: they drop.
        assert_eq!(a.hold(0.0, 10.0, 10.0), 3.0);
        assert_eq!(a.waiting(), 2.0);
        a.release();
        assert_eq!(a.waiting(), 0.0);
    }
}
