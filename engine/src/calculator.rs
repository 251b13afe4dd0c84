//! The replica calculator: one metric's readings to one replica proposal.
//!
//! Mirrors `pkg/controller/podautoscaler/replica_calculator.go` and
//! `metrics/utilization.go` of kubernetes/kubernetes, function for function.
//! All quantities are milli-values (`int64`), ratios are float64, proposals
//! round up (`math.Ceil`), averages and utilization percents truncate, as
//! upstream does. Errors carry upstream's message text.
//!
//! Pods may come in cohorts: a [`Pod`] with `count: n` stands for `n`
//! identical pods (the simulator lists its pods so; a case's reader expands
//! them). Its one sample stands for all of them, and every count and sum
//! weighs it `n` times, so a cohort is read in one step and the answer is
//! the one the expanded list gives (sums wrap as `n` additions would).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{ConditionStatus, Phase, Pod};
use crate::time::{Duration, Instant};

/// `Tolerances`: the usage ratio band inside which nothing scales.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerances {
    /// Below 1: `1 - scaleDown` is the lower edge.
    pub scale_down: f64,
    /// Above 1: `1 + scaleUp` is the upper edge.
    pub scale_up: f64,
}

impl Tolerances {
    /// `Tolerances.isWithin`: inclusive at both edges.
    pub fn is_within(&self, ratio: f64) -> bool {
        (1.0 - self.scale_down) <= ratio && ratio <= (1.0 + self.scale_up)
    }
}

/// `metricsclient.PodMetric`: one pod's sample, in milli-units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodMetric {
    /// The value (milli).
    pub value: i64,
    /// When it was taken.
    pub timestamp: Instant,
    /// Its window.
    pub window: Duration,
    /// How many identical pods it stands for (a cohort's count, else 1).
    pub count: u32,
}

/// `metricsclient.PodMetricsInfo`: the samples, matched to the pod list by
/// name. `by_pod[i]` is the sample of `pods[i]`; `superfluous` holds samples
/// of pods the lister did not return (upstream keeps them in the same map:
/// they count in averages and in the number of samples, never in
/// utilization, which needs a request).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodMetrics {
    /// One slot per listed pod.
    pub by_pod: Vec<Option<PodMetric>>,
    /// Samples of unlisted pods.
    pub superfluous: Vec<PodMetric>,
}

impl PodMetrics {
    /// `len(metrics)`: every sample, a cohort's as often as its count.
    pub fn len(&self) -> usize {
        self.values().map(|m| m.count as usize).sum()
    }

    /// No samples at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn values(&self) -> impl Iterator<Item = &PodMetric> {
        self.by_pod.iter().flatten().chain(&self.superfluous)
    }
}

/// How many pods a listed pod stands for.
fn weight(pod: &Pod) -> u32 {
    pod.count.unwrap_or(1)
}

/// Go's `int32(f)` on amd64: out of range or NaN gives the minimum.
pub fn go_i32(f: f64) -> i32 {
    if (-2147483648.0..2147483648.0).contains(&f) {
        f as i32
    } else {
        i32::MIN
    }
}

/// Go's `int64(f)` on amd64: out of range or NaN gives the minimum.
pub fn go_i64(f: f64) -> i64 {
    if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

fn ceil(f: f64) -> f64 {
    libm::ceil(f)
}

/// A Resource/ContainerResource Utilization proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtilizationProposal {
    /// The proposed replica count.
    pub replicas: i32,
    /// The utilization percent (truncated) of the ready pods' samples.
    pub utilization: i32,
    /// Their raw average (milli), truncated.
    pub raw_average: i64,
}

/// `ReplicaCalculator`: the pods the HPA's selector matches, the clock and
/// the controller's readiness flags.
#[derive(Clone, Copy, Debug)]
pub struct ReplicaCalculator<'a> {
    /// The pods (the pod lister's answer).
    pub pods: &'a [Pod],
    /// The instant of the reconcile.
    pub now: Instant,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    pub delay_of_initial_readiness_status: Duration,
    /// The `PodLevelResources` feature gate.
    pub pod_level_resources: bool,
}

/// The class `groupPods` sorts a pod into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Ready,
    Unready,
    Missing,
    Ignored,
}

/// `groupPods`' result: one class per pod, and the counts.
struct Groups {
    class: Vec<Class>,
    ready: usize,
    unready: usize,
    missing: usize,
}

impl Groups {
    /// `removeMetricsForPods` for the ignored and unready pods.
    fn remove_ignored_and_unready(&self, metrics: &mut PodMetrics) {
        for (slot, class) in metrics.by_pod.iter_mut().zip(&self.class) {
            if matches!(class, Class::Ignored | Class::Unready) {
                *slot = None;
            }
        }
    }

    /// Gives every pod of `class` the sample `value(i)`.
    fn fill(
        &self,
        metrics: &mut PodMetrics,
        pods: &[Pod],
        class: Class,
        value: impl Fn(usize) -> i64,
    ) {
        for (i, (c, pod)) in self.class.iter().zip(pods).enumerate() {
            if *c == class {
                metrics.by_pod[i] = Some(zero_sample(value(i), weight(pod)));
            }
        }
    }
}

impl ReplicaCalculator<'_> {
    /// The selector matched no pod (cohorts of none included).
    fn no_pods(&self) -> bool {
        self.pods.iter().all(|p| weight(p) == 0)
    }

    /// `GetResourceReplicas`: a Utilization target over pod samples of
    /// `resource` (`container` for ContainerResource).
    pub fn resource_replicas(
        &self,
        current: i32,
        target_utilization: i32,
        resource: &str,
        tolerances: Tolerances,
        container: Option<&str>,
        metrics: Result<PodMetrics, String>,
    ) -> Result<UtilizationProposal, String> {
        let mut metrics =
            metrics.map_err(|e| format!("unable to get metrics for resource {resource}: {e}"))?;
        if self.no_pods() {
            return Err("no pods returned by selector while calculating replica count".into());
        }
        let groups = self.group_pods(&metrics, resource);
        groups.remove_ignored_and_unready(&mut metrics);
        if metrics.is_empty() {
            return Err("did not receive metrics for targeted pods (pods might be unready)".into());
        }
        let requests = self.requests(container, resource)?;
        let (ratio, utilization, raw_average) =
            resource_utilization_ratio(&metrics, &requests, target_utilization)?;
        let proposal = |replicas| UtilizationProposal {
            replicas,
            utilization,
            raw_average,
        };

        let scale_up_with_unready = groups.unready > 0 && ratio > 1.0;
        if !scale_up_with_unready && groups.missing == 0 {
            if tolerances.is_within(ratio) {
                return Ok(proposal(current));
            }
            return Ok(proposal(go_i32(ceil(ratio * groups.ready as f64))));
        }
        if groups.missing > 0 {
            if ratio < 1.0 {
                // On a scale-down, missing pods use 100 % of their request, or
                // the target when the target is above 100 %.
                let fallback = i64::from(target_utilization.max(100));
                // Go's int64 `requests[pod] * fallbackUtilization / 100` wraps.
                groups.fill(&mut metrics, self.pods, Class::Missing, |i| {
                    requests[i].wrapping_mul(fallback) / 100
                });
            } else if ratio > 1.0 {
                groups.fill(&mut metrics, self.pods, Class::Missing, |_| 0);
            }
        }
        if scale_up_with_unready {
            groups.fill(&mut metrics, self.pods, Class::Unready, |_| 0);
        }
        let (new_ratio, _, _) =
            resource_utilization_ratio(&metrics, &requests, target_utilization)?;
        if tolerances.is_within(new_ratio)
            || (ratio < 1.0 && new_ratio > 1.0)
            || (ratio > 1.0 && new_ratio < 1.0)
        {
            return Ok(proposal(current));
        }
        let new_replicas = go_i32(ceil(new_ratio * metrics.len() as f64));
        if (new_ratio < 1.0 && new_replicas > current)
            || (new_ratio > 1.0 && new_replicas < current)
        {
            return Ok(proposal(current));
        }
        Ok(proposal(new_replicas))
    }

    /// `GetRawResourceReplicas`: an AverageValue target over pod samples of
    /// `resource`; returns the proposal and the average (milli).
    pub fn raw_resource_replicas(
        &self,
        current: i32,
        target_usage: i64,
        resource: &str,
        tolerances: Tolerances,
        metrics: Result<PodMetrics, String>,
    ) -> Result<(i32, i64), String> {
        let metrics =
            metrics.map_err(|e| format!("unable to get metrics for resource {resource}: {e}"))?;
        self.plain_metric_replicas(metrics, current, target_usage, tolerances, resource)
    }

    /// `GetMetricReplicas`: a Pods metric with an AverageValue target.
    pub fn metric_replicas(
        &self,
        current: i32,
        target_usage: i64,
        metric_name: &str,
        tolerances: Tolerances,
        metrics: Result<PodMetrics, String>,
    ) -> Result<(i32, i64), String> {
        let metrics = metrics.map_err(|e| format!("unable to get metric {metric_name}: {e}"))?;
        self.plain_metric_replicas(metrics, current, target_usage, tolerances, "")
    }

    /// `calcPlainMetricReplicas`: like the utilization algorithm, on the
    /// average of the samples; missing pods count as the target on a
    /// scale-down. `resource` is empty for Pods metrics (no CPU rules).
    fn plain_metric_replicas(
        &self,
        mut metrics: PodMetrics,
        current: i32,
        target_usage: i64,
        tolerances: Tolerances,
        resource: &str,
    ) -> Result<(i32, i64), String> {
        if self.no_pods() {
            return Err("no pods returned by selector while calculating replica count".into());
        }
        let groups = self.group_pods(&metrics, resource);
        groups.remove_ignored_and_unready(&mut metrics);
        if metrics.is_empty() {
            return Err("did not receive metrics for targeted pods (pods might be unready)".into());
        }
        let (ratio, usage) = metric_usage_ratio(&metrics, target_usage);
        let scale_up_with_unready = groups.unready > 0 && ratio > 1.0;
        if !scale_up_with_unready && groups.missing == 0 {
            if tolerances.is_within(ratio) {
                return Ok((current, usage));
            }
            return Ok((go_i32(ceil(ratio * groups.ready as f64)), usage));
        }
        if groups.missing > 0 {
            if ratio < 1.0 {
                // On a scale-down, missing pods use exactly the target.
                groups.fill(&mut metrics, self.pods, Class::Missing, |_| target_usage);
            } else if ratio > 1.0 {
                groups.fill(&mut metrics, self.pods, Class::Missing, |_| 0);
            }
        }
        if scale_up_with_unready {
            groups.fill(&mut metrics, self.pods, Class::Unready, |_| 0);
        }
        let (new_ratio, _) = metric_usage_ratio(&metrics, target_usage);
        if tolerances.is_within(new_ratio)
            || (ratio < 1.0 && new_ratio > 1.0)
            || (ratio > 1.0 && new_ratio < 1.0)
        {
            return Ok((current, usage));
        }
        let new_replicas = go_i32(ceil(new_ratio * metrics.len() as f64));
        if (new_ratio < 1.0 && new_replicas > current)
            || (new_ratio > 1.0 && new_replicas < current)
        {
            return Ok((current, usage));
        }
        Ok((new_replicas, usage))
    }

    /// `GetObjectMetricReplicas`: an Object metric with a Value target.
    /// `describe` names the object for the (upstream, oddly ordered) error.
    pub fn object_replicas(
        &self,
        current: i32,
        target_usage: i64,
        tolerances: Tolerances,
        usage: Result<i64, String>,
        describe: impl FnOnce(&str) -> String,
    ) -> Result<(i32, i64), String> {
        let usage = usage.map_err(|e| describe(&e))?;
        let ratio = usage as f64 / target_usage as f64;
        let replicas = self.usage_ratio_replica_count(current, ratio, tolerances)?;
        Ok((replicas, usage))
    }

    /// `getUsageRatioReplicaCount`: the ready pods times the ratio; from
    /// zero replicas, `ceil(ratio)` without tolerance.
    fn usage_ratio_replica_count(
        &self,
        current: i32,
        ratio: f64,
        tolerances: Tolerances,
    ) -> Result<i32, String> {
        if current == 0 {
            return Ok(go_i32(ceil(ratio)));
        }
        if tolerances.is_within(ratio) {
            return Ok(current);
        }
        let ready = self
            .ready_pods_count()
            .map_err(|e| format!("unable to calculate ready pods: {e}"))?;
        let replicas = ratio * ready as f64;
        Ok(if replicas > f64::from(i32::MAX) {
            i32::MAX
        } else {
            go_i32(ceil(replicas))
        })
    }

    /// `GetObjectPerPodMetricReplicas`: an Object metric with an
    /// AverageValue target, against `status.replicas`.
    pub fn object_per_pod_replicas(
        &self,
        status_replicas: i32,
        target_average: i64,
        tolerances: Tolerances,
        usage: Result<i64, String>,
        describe: impl FnOnce(&str) -> String,
    ) -> Result<(i32, i64), String> {
        let usage = usage.map_err(|e| describe(&e))?;
        let mut replicas = status_replicas;
        let ratio = usage as f64 / (target_average as f64 * f64::from(replicas));
        if !tolerances.is_within(ratio) {
            replicas = go_i32(ceil(usage as f64 / target_average as f64));
        }
        let average = go_i64(ceil(usage as f64 / f64::from(status_replicas)));
        Ok((replicas, average))
    }

    /// `getReadyPodsCount`: Running pods whose Ready condition is True.
    fn ready_pods_count(&self) -> Result<i64, String> {
        if self.no_pods() {
            return Err("no pods returned by selector while calculating replica count".into());
        }
        Ok(self
            .pods
            .iter()
            .filter(|p| p.phase == Phase::Running && p.ready == Some(ConditionStatus::True))
            .count() as i64)
    }

    /// `GetExternalMetricReplicas`: an External metric with a Value target;
    /// the series are summed (saturating at MaxInt64).
    pub fn external_replicas(
        &self,
        current: i32,
        target_usage: i64,
        tolerances: Tolerances,
        values: Result<&[i64], String>,
        describe: impl FnOnce(&str) -> String,
    ) -> Result<(i32, i64), String> {
        let values = values.map_err(|e| describe(&e))?;
        let mut usage: i64 = 0;
        for &v in values {
            if v > 0 && usage > i64::MAX - v {
                usage = i64::MAX;
                break;
            }
            usage = usage.wrapping_add(v);
        }
        let ratio = usage as f64 / target_usage as f64;
        let replicas = self.usage_ratio_replica_count(current, ratio, tolerances)?;
        Ok((replicas, usage))
    }

    /// `GetExternalPerPodMetricReplicas`: an External metric with an
    /// AverageValue target, against `status.replicas`.
    pub fn external_per_pod_replicas(
        &self,
        status_replicas: i32,
        target_per_pod: i64,
        tolerances: Tolerances,
        values: Result<&[i64], String>,
        describe: impl FnOnce(&str) -> String,
    ) -> Result<(i32, i64), String> {
        let values = values.map_err(|e| describe(&e))?;
        let mut usage: i64 = 0;
        for &v in values {
            usage = usage.wrapping_add(v);
            if usage < 0 {
                // Only an int64 overflow gets here (upstream's comment).
                usage = i64::MAX;
                break;
            }
        }
        let mut replicas = status_replicas;
        let ratio = usage as f64 / (target_per_pod as f64 * f64::from(replicas));
        if !tolerances.is_within(ratio) {
            let result = ceil(usage as f64 / target_per_pod as f64);
            replicas = if result > f64::from(i32::MAX) {
                i32::MAX
            } else {
                go_i32(result)
            };
        }
        let average = if usage as f64 >= i64::MAX as f64 {
            i64::MAX
        } else {
            go_i64(ceil(usage as f64 / f64::from(status_replicas)))
        };
        Ok((replicas, average))
    }

    /// `groupPods`: ignored (deleting or Failed), unready (Pending; for
    /// `cpu` also the initialization rules), missing (no sample), ready.
    fn group_pods(&self, metrics: &PodMetrics, resource: &str) -> Groups {
        let mut g = Groups {
            class: Vec::with_capacity(self.pods.len()),
            ready: 0,
            unready: 0,
            missing: 0,
        };
        for (i, pod) in self.pods.iter().enumerate() {
            let class = if pod.deleting || pod.phase == Phase::Failed {
                Class::Ignored
            } else if pod.phase == Phase::Pending {
                Class::Unready
            } else {
                match metrics.by_pod.get(i).copied().flatten() {
                    None => Class::Missing,
                    Some(metric) if resource == "cpu" && self.cpu_unready(pod, &metric) => {
                        Class::Unready
                    }
                    Some(_) => Class::Ready,
                }
            };
            let n = weight(pod) as usize;
            match class {
                Class::Ready => g.ready += n,
                Class::Unready => g.unready += n,
                Class::Missing => g.missing += n,
                Class::Ignored => {}
            }
            g.class.push(class);
        }
        g
    }

    /// The CPU-only readiness rules of `groupPods`.
    fn cpu_unready(&self, pod: &Pod, metric: &PodMetric) -> bool {
        match (pod.ready, pod.start_time) {
            (None, _) | (_, None) => true,
            (Some(status), Some(start)) => {
                let transition = pod.ready_transition();
                if (start + self.cpu_initialization_period).after(self.now) {
                    // Still initializing: ignore the sample unless the pod is
                    // ready and a full window passed since it became ready.
                    status == ConditionStatus::False
                        || metric.timestamp.before(transition + metric.window)
                } else {
                    // Ignore it only if the pod never became ready.
                    status == ConditionStatus::False
                        && (start + self.delay_of_initial_readiness_status).after(transition)
                }
            }
        }
    }

    /// `calculateRequests`: every listed pod's request for `resource`, in
    /// pod order.
    fn requests(&self, container: Option<&str>, resource: &str) -> Result<Vec<i64>, String> {
        self.pods
            .iter()
            .map(|pod| {
                let pod_level = self.pod_level_resources
                    && container.is_none()
                    && pod.pod_requests.as_ref().is_some_and(|r| !r.is_empty());
                if pod_level {
                    pod_level_request(pod, resource)
                } else {
                    container_requests(pod, container, resource)
                }
            })
            .collect()
    }
}

/// `calculatePodLevelRequests` via `resourcehelpers.PodRequests`: the
/// pod-level request, else the containers' aggregate for that resource.
fn pod_level_request(pod: &Pod, resource: &str) -> Result<i64, String> {
    if let Some(q) = pod.pod_requests.as_ref().and_then(|r| r.get(resource)) {
        return Ok(q.milli_value());
    }
    aggregate_container_request(pod, resource).ok_or_else(|| {
        format!(
            "missing pod-level request for {resource} in Pod {}",
            pod.name
        )
    })
}

/// `AggregateContainerRequests` for one resource: regular containers plus
/// sidecars, or an init container (with the sidecars started before it)
/// when that is larger.
fn aggregate_container_request(pod: &Pod, resource: &str) -> Option<i64> {
    let mut found = false;
    let mut sum = 0i64;
    for req in shorthand(pod).chain(pod.containers.iter().map(|c| &c.requests)) {
        if let Some(q) = req.get(resource) {
            found = true;
            // Upstream adds Quantities (arbitrary precision): saturate.
            sum = sum.saturating_add(q.milli_value());
        }
    }
    let mut sidecars = 0i64;
    let mut init_max = 0i64;
    for c in &pod.init_containers {
        let r = c.requests.get(resource).map(|q| q.milli_value());
        found |= r.is_some();
        if c.restart_policy.as_deref() == Some("Always") {
            sidecars = sidecars.saturating_add(r.unwrap_or(0));
        } else {
            init_max = init_max.max(r.unwrap_or(0).saturating_add(sidecars));
        }
    }
    found.then_some(sum.saturating_add(sidecars).max(init_max))
}

fn shorthand(pod: &Pod) -> impl Iterator<Item = &BTreeMap<String, crate::quantity::Quantity>> {
    pod.requests.iter()
}

/// `calculatePodRequestsFromContainers`: regular containers and sidecar
/// init containers (`restartPolicy: Always`); one named container for
/// ContainerResource metrics. The case format's `requests` shorthand is the
/// pod's one container, whatever its name.
fn container_requests(pod: &Pod, container: Option<&str>, resource: &str) -> Result<i64, String> {
    if pod.requests.is_none() && pod.containers.is_empty() && pod.init_containers.is_empty() {
        return Err(format!(
            "missing request for {resource} in Pod {} (the case lists no containers or requests for it)",
            pod.name
        ));
    }
    let mut request = 0i64;
    if let Some(req) = &pod.requests {
        let name = container.unwrap_or("");
        let q = req.get(resource).ok_or_else(|| {
            format!(
                "missing request for {resource} in container {name} of Pod {}",
                pod.name
            )
        })?;
        request = request.wrapping_add(q.milli_value());
        if container.is_some() {
            return Ok(request);
        }
    }
    let sidecars = pod
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    for c in pod.containers.iter().chain(sidecars) {
        if container.is_none() || container == Some(c.name.as_str()) {
            let q = c.requests.get(resource).ok_or_else(|| {
                format!(
                    "missing request for {resource} in container {} of Pod {}",
                    c.name, pod.name
                )
            })?;
            // Go's int64 `+=` wraps.
            request = request.wrapping_add(q.milli_value());
        }
        if container == Some(c.name.as_str()) {
            return Ok(request);
        }
    }
    if let Some(name) = container {
        return Err(format!("container {name} not found in Pod {}", pod.name));
    }
    Ok(request)
}

fn zero_sample(value: i64, count: u32) -> PodMetric {
    PodMetric {
        value,
        timestamp: Instant::default(),
        window: Duration::default(),
        count,
    }
}

/// `GetResourceUtilizationRatio` (metrics/utilization.go): utilization as an
/// integer percent of the summed requests of the pods that have samples;
/// returns `(ratio, utilization percent, raw average)`.
pub fn resource_utilization_ratio(
    metrics: &PodMetrics,
    requests: &[i64],
    target_utilization: i32,
) -> Result<(f64, i32, i64), String> {
    let mut metrics_total: i64 = 0;
    let mut requests_total: i64 = 0;
    let mut entries: i64 = 0;
    // Superfluous samples have no request entry and are skipped.
    for (metric, request) in metrics.by_pod.iter().zip(requests) {
        let Some(metric) = metric else { continue };
        let n = i64::from(metric.count);
        metrics_total = metrics_total.wrapping_add(metric.value.wrapping_mul(n));
        requests_total = requests_total.wrapping_add(request.wrapping_mul(n));
        entries += n;
    }
    if requests_total == 0 {
        return Err("no metrics returned matched known pods".into());
    }
    // Go's int64 arithmetic wraps, and `MinInt64 / -1` is `MinInt64`.
    let utilization = metrics_total.wrapping_mul(100).wrapping_div(requests_total) as i32;
    Ok((
        f64::from(utilization) / f64::from(target_utilization),
        utilization,
        metrics_total / entries,
    ))
}

/// `GetMetricUsageRatio` (metrics/utilization.go): the truncated average of
/// all samples against the target; returns `(ratio, average)`.
pub fn metric_usage_ratio(metrics: &PodMetrics, target_usage: i64) -> (f64, i64) {
    let total: i64 = metrics.values().fold(0i64, |acc, m| {
        acc.wrapping_add(m.value.wrapping_mul(i64::from(m.count)))
    });
    // Callers never pass an empty set (upstream would divide by zero).
    let average = total / (metrics.len() as i64).max(1);
    (average as f64 / target_usage as f64, average)
}
