//! One HPA reconcile: guards, every metric's proposal, the largest one,
//! normalization, the rescale and the status conditions.
//!
//! Mirrors `pkg/controller/podautoscaler/horizontal.go`:
//! `reconcileAutoscaler`, `recordInitialRecommendation`,
//! `computeReplicasForMetrics`, `computeReplicasForMetric`, the
//! `computeStatusFor*Metric` functions, `buildQuantity`,
//! `getUnableComputeReplicaCountCondition` and `tolerancesForHpa`. Error and
//! message texts are upstream's, oddities included (the Object metric error's
//! shuffled arguments, the `external metric` name given to Object
//! AverageValue metrics).

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::behavior::{self, Normalized};
use crate::calculator::{PodMetric, PodMetrics, ReplicaCalculator, Tolerances};
use crate::condition::{ConditionType, Conditions, Reason};
use crate::model::{Controller, History, Pod, Reading, ScaleTarget};
use crate::quantity::{Format, Quantity};
use crate::spec::hpa::{HorizontalPodAutoscaler, MetricSpec, MetricTarget};
use crate::time::{Duration, Instant};

/// Everything one reconcile reads. The HPA is defaulted and validated.
#[derive(Clone, Copy, Debug)]
pub struct Reconcile<'a> {
    /// The instant of the reconcile.
    pub now: Instant,
    /// The HorizontalPodAutoscaler.
    pub hpa: &'a HorizontalPodAutoscaler,
    /// The scale subresource.
    pub target: ScaleTarget,
    /// The pods the selector matches.
    pub pods: &'a [Pod],
    /// One reading per `spec.metrics[i]`.
    pub readings: &'a [Reading],
    /// The controller's memory; `None` on its first sight of this HPA.
    pub history: Option<&'a History>,
    /// The controller's flags.
    pub controller: &'a Controller,
}

/// One metric's outcome (`metrics[i]` of the decision).
#[derive(Clone, Debug, PartialEq)]
pub struct MetricOutcome {
    /// The replica proposal.
    pub replicas: Option<i32>,
    /// The observed value (per-pod average for AverageValue targets).
    pub value: Option<Quantity>,
    /// The utilization percent, for Utilization targets.
    pub utilization: Option<i32>,
    /// Why the metric could not be used.
    pub error: Option<String>,
    /// How upstream names the metric (`cpu resource utilization (percentage of request)`).
    pub description: String,
}

/// How the desired count came about, for the explanation.
#[derive(Clone, Debug, PartialEq)]
pub enum Branch {
    /// `spec.replicas` is 0 with `minReplicas` above 0: scaling is off.
    Disabled,
    /// The current count is outside `[min, max]`: pulled to the bound.
    OutOfRange {
        /// The bound.
        bound: i32,
    },
    /// The metrics failed: no rescale.
    MetricsFailed,
    /// The metrics path ran.
    Metrics {
        /// The largest valid proposal.
        proposal: i32,
        /// Normalization's account.
        normalized: Normalized,
    },
}

/// The reconcile's result.
#[derive(Clone, Debug, PartialEq)]
pub struct HpaOutcome {
    /// The replica count after this reconcile.
    pub desired_replicas: i32,
    /// Whether the scale was updated.
    pub rescaled: bool,
    /// Per metric, in spec order (empty when metrics were not read).
    pub metrics: Vec<MetricOutcome>,
    /// The status conditions.
    pub conditions: Conditions,
    /// The controller's memory after this reconcile.
    pub history: History,
    /// How the count came about.
    pub path: Branch,
}

/// What a reconcile writes besides its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Every metric's description and every condition message, as upstream
    /// words them (what `eval` returns).
    Full,
    /// The numbers, reasons, errors and history only: metric descriptions
    /// and the condition messages that need formatting are left empty. The
    /// simulator reconciles this way and renders the decisions someone reads
    /// with [`Text::Full`] (same inputs, so the same numbers).
    Numbers,
}

impl Text {
    /// Text joined from parts, allocated once; empty for [`Text::Numbers`]
    /// (descriptions and condition messages are built on every reconcile;
    /// `format!` costs several times more).
    fn concat(self, parts: &[&str]) -> String {
        if self == Text::Numbers {
            return String::new();
        }
        let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            out.push_str(p);
        }
        out
    }
}

/// `tolerancesForHpa`: the flag both ways, overridden per direction by
/// `behavior.scaleUp/scaleDown.tolerance` when `HPAConfigurableTolerance`
/// is on.
pub fn tolerances(hpa: &HorizontalPodAutoscaler, controller: &Controller) -> Tolerances {
    let mut t = Tolerances {
        scale_down: controller.tolerance,
        scale_up: controller.tolerance,
    };
    let Some(b) = hpa.spec.behavior.as_ref() else {
        return t;
    };
    if !controller.features.hpa_configurable_tolerance {
        return t;
    }
    if let Some(tol) = b.scale_down.as_ref().and_then(|r| r.tolerance.as_ref()) {
        t.scale_down = tol.as_approximate_f64();
    }
    if let Some(tol) = b.scale_up.as_ref().and_then(|r| r.tolerance.as_ref()) {
        t.scale_up = tol.as_approximate_f64();
    }
    t
}

/// `reconcileAutoscaler`, from the point the scale was read.
///
/// One deliberate choice: upstream's newest branch (the `ScaledToZero`
/// condition of the scale-to-zero work) keys scaling from zero on a status
/// condition a case does not carry; replicast follows the released rule:
/// `spec.replicas` 0 with `minReplicas` 0 computes metrics (scale from zero),
/// with `minReplicas` above 0 scaling is disabled.
pub fn reconcile_hpa(r: &Reconcile<'_>) -> HpaOutcome {
    reconcile_with(r, Text::Full)
}

/// [`reconcile`], writing the text `text` asks for; the numbers, reasons
/// and history are the same either way.
pub fn reconcile_with(r: &Reconcile<'_>, text: Text) -> HpaOutcome {
    let spec = &r.hpa.spec;
    let current = r.target.replicas;
    // AbleToScale, ScalingActive, ScalingLimited: allocated once.
    let mut conditions = Conditions(Vec::with_capacity(3));
    conditions.set(
        ConditionType::AbleToScale,
        true,
        Reason::SucceededGetScale,
        "the HPA controller was able to get the target's current scale",
    );
    // recordInitialRecommendation: first sight of the HPA.
    let mut history = match r.history {
        Some(h) => with_room(h),
        None => History {
            recommendations: alloc::vec![crate::model::Recommendation {
                time: r.now,
                replicas: current
            }],
            ..History::default()
        },
    };
    let min = spec.min_replicas.unwrap_or(1);
    let max = spec.max_replicas;

    let (desired, metrics, path) = if current == 0 && min != 0 {
        conditions.set(
            ConditionType::ScalingActive,
            false,
            Reason::ScalingDisabled,
            "scaling is disabled since the replica count of the target is zero",
        );
        (0, Vec::new(), Branch::Disabled)
    } else if current > max {
        (max, Vec::new(), Branch::OutOfRange { bound: max })
    } else if current < min {
        (min, Vec::new(), Branch::OutOfRange { bound: min })
    } else {
        let (proposal, metrics) = compute_replicas_for_metrics(r, &mut conditions, text);
        match proposal {
            None => (current, metrics, Branch::MetricsFailed),
            Some(p) => {
                let p = p.max(0);
                let arg = behavior::NormalizationArg {
                    now: r.now,
                    downscale_window: r.controller.downscale_stabilization,
                    current,
                    proposal: p,
                    min,
                    max,
                };
                let normalized = match &spec.behavior {
                    None => behavior::normalize_legacy(&mut history, &mut conditions, &arg),
                    Some(b) => {
                        behavior::normalize_with_behaviors(&mut history, &mut conditions, b, &arg)
                    }
                };
                (
                    normalized.desired,
                    metrics,
                    Branch::Metrics {
                        proposal: p,
                        normalized,
                    },
                )
            }
        }
    };
    let rescaled = desired != current && !matches!(path, Branch::Disabled | Branch::MetricsFailed);
    if rescaled {
        conditions.set(
            ConditionType::AbleToScale,
            true,
            Reason::SucceededRescale,
            match text {
                Text::Full => {
                    format!("the HPA controller was able to update the target scale to {desired}")
                }
                Text::Numbers => String::new(),
            },
        );
        if let Some(b) = &spec.behavior {
            behavior::store_scale_event(&mut history, b, r.now, current, desired);
        }
    }
    HpaOutcome {
        desired_replicas: if rescaled { desired } else { current },
        rescaled,
        metrics,
        conditions,
        history,
        path,
    }
}

/// A copy of the controller's memory with room for this reconcile's
/// recommendation and scale event (a plain clone is exact and would grow).
fn with_room(h: &History) -> History {
    let copy = |v: &[crate::model::ScaleEvent]| {
        let mut out = Vec::with_capacity(v.len() + 1);
        out.extend_from_slice(v);
        out
    };
    let mut recommendations = Vec::with_capacity(h.recommendations.len() + 1);
    recommendations.extend_from_slice(&h.recommendations);
    History {
        recommendations,
        scale_up_events: copy(&h.scale_up_events),
        scale_down_events: copy(&h.scale_down_events),
        keda: h.keda.clone(),
    }
}

/// The reading of a metric the case gave none for (case checks prevent it).
static NO_READING: Reading = Reading {
    pod_values: None,
    value: None,
    values: None,
    error: None,
    timestamp: None,
    window: None,
    target: None,
    active: None,
};

/// A metric's failure: the ScalingActive condition it would set and the
/// error `computeReplicasForMetric` returns.
struct Failure {
    reason: Reason,
    condition_message: String,
    error: String,
}

/// `computeReplicasForMetrics`: the largest valid proposal, or `None` when
/// every metric failed or one failed and the rest would scale down.
fn compute_replicas_for_metrics<'a>(
    r: &Reconcile<'a>,
    conditions: &mut Conditions,
    text: Text,
) -> (Option<i32>, Vec<MetricOutcome>) {
    let specs = &r.hpa.spec.metrics;
    let mut replicas: i32 = 0;
    let mut winner: Option<usize> = None;
    let mut invalid = 0usize;
    let mut first_failure: Option<(Reason, String)> = None;
    let mut outcomes = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let reading = r.readings.get(i).unwrap_or(&NO_READING);
        match compute_replicas_for_metric(r, spec, reading, text) {
            Ok(outcome) => {
                let proposal = outcome.replicas.unwrap_or(0);
                if replicas == 0 || proposal > replicas {
                    replicas = proposal;
                    winner = Some(outcomes.len());
                }
                outcomes.push(outcome);
            }
            Err((failure, description)) => {
                if invalid == 0 {
                    first_failure = Some((failure.reason, failure.condition_message));
                }
                invalid += 1;
                outcomes.push(MetricOutcome {
                    replicas: None,
                    value: None,
                    utilization: None,
                    error: Some(failure.error),
                    description,
                });
            }
        }
    }
    if invalid >= specs.len() || (invalid > 0 && replicas < r.target.replicas) {
        if let Some((reason, message)) = first_failure {
            conditions.set(ConditionType::ScalingActive, false, reason, message);
        }
        return (None, outcomes);
    }
    conditions.set(
        ConditionType::ScalingActive,
        true,
        Reason::ValidMetricFound,
        text.concat(&[
            "the HPA was able to successfully calculate a replica count from ",
            winner.map_or("", |w| outcomes[w].description.as_str()),
        ]),
    );
    (Some(replicas), outcomes)
}

fn unable(reason: Reason, calc_error: &str, error: String) -> Failure {
    Failure {
        reason,
        condition_message: format!("the HPA was unable to compute the replica count: {calc_error}"),
        error,
    }
}

type MetricResult = Result<MetricOutcome, (Failure, String)>;

/// Turns a reading into per-pod samples (the resource or custom metrics
/// client): an API error or an empty answer is an error.
fn pod_samples(
    pods: &[Pod],
    reading: &Reading,
    now: Instant,
    api: &str,
) -> Result<PodMetrics, String> {
    if let Some(e) = &reading.error {
        return Err(e.clone());
    }
    let empty = || format!("no metrics returned from {api} metrics API");
    let values = reading.pod_values.as_ref().ok_or_else(empty)?;
    if values.is_empty() {
        return Err(empty());
    }
    let timestamp = reading.timestamp.unwrap_or(now);
    let window = reading.window.unwrap_or(Duration::from_secs(30));
    let sample = |s: &crate::model::PodSample| PodMetric {
        value: s.value.milli_value(),
        timestamp: s.timestamp.unwrap_or(timestamp),
        window: s.window.unwrap_or(window),
        count: 1,
    };
    // Samples usually come in the pods' order: match position by position and
    // look names up only from the first difference on.
    let mut in_order = values.iter();
    let mut aligned = true;
    let by_pod: Vec<Option<PodMetric>> = pods
        .iter()
        .map(|p| {
            if aligned {
                match in_order.next() {
                    Some((name, s)) if *name == p.name => {
                        return Some(PodMetric {
                            count: p.count.unwrap_or(1),
                            ..sample(s)
                        });
                    }
                    _ => aligned = false,
                }
            }
            values.get(&p.name).map(|s| PodMetric {
                count: p.count.unwrap_or(1),
                ..sample(s)
            })
        })
        .collect();
    let matched = by_pod.iter().filter(|m| m.is_some()).count();
    let superfluous = if matched < values.len() {
        values
            .iter()
            .filter(|(name, _)| !pods.iter().any(|p| p.name == **name))
            .map(|(_, s)| sample(s))
            .collect()
    } else {
        Vec::new()
    };
    Ok(PodMetrics {
        by_pod,
        superfluous,
    })
}

/// An Object metric's single value.
fn object_value(reading: &Reading) -> Result<i64, String> {
    if let Some(e) = &reading.error {
        return Err(e.clone());
    }
    match (&reading.value, &reading.values) {
        (Some(v), _) => Ok(v.milli_value()),
        (None, Some(vs)) if vs.len() == 1 => Ok(vs[0].milli_value()),
        _ => Err("no metrics returned from custom metrics API".into()),
    }
}

/// An External metric's series.
fn external_values(reading: &Reading) -> Result<Vec<i64>, String> {
    if let Some(e) = &reading.error {
        return Err(e.clone());
    }
    let values: Vec<i64> = match (&reading.values, &reading.value) {
        (Some(vs), _) => vs.iter().map(Quantity::milli_value).collect(),
        (None, Some(v)) => alloc::vec![v.milli_value()],
        (None, None) => Vec::new(),
    };
    if values.is_empty() {
        return Err("no metrics returned from external metrics API".into());
    }
    Ok(values)
}

/// A metric target as explanations write it (`70%`, `10`).
pub fn target_text(t: &MetricTarget) -> String {
    if let Some(v) = &t.average_value {
        return v.to_string();
    }
    if let Some(u) = t.average_utilization {
        return format!("{u}%");
    }
    t.value.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

/// `fmt.Sprintf("%+v", *metav1.LabelSelector)`: `nil`, or the generated
/// `String()` of the selector.
pub(crate) fn go_selector(selector: Option<&serde_json::Value>) -> Cow<'static, str> {
    let Some(sel) = selector.filter(|s| !s.is_null()) else {
        return Cow::Borrowed("nil");
    };
    let mut out = String::from("&LabelSelector{MatchLabels:map[string]string{");
    if let Some(labels) = sel.get("matchLabels").and_then(|m| m.as_object()) {
        let mut keys: Vec<&String> = labels.keys().collect();
        keys.sort();
        for k in keys {
            let v = labels[k.as_str()]
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| labels[k.as_str()].to_string());
            out.push_str(&format!("{k}: {v},"));
        }
    }
    out.push_str("},MatchExpressions:[]LabelSelectorRequirement{");
    if let Some(exprs) = sel.get("matchExpressions").and_then(|m| m.as_array()) {
        for e in exprs {
            let s = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let values: Vec<String> = e
                .get("values")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                s("key"),
                s("operator"),
                values.join(" ")
            ));
        }
    }
    out.push_str("},}");
    Cow::Owned(out)
}

/// `computeReplicasForMetric` with the `computeStatusFor*Metric` functions.
fn compute_replicas_for_metric<'a>(
    r: &Reconcile<'a>,
    spec: &MetricSpec,
    reading: &'a Reading,
    text: Text,
) -> MetricResult {
    let calc = ReplicaCalculator {
        pods: r.pods,
        now: r.now,
        cpu_initialization_period: r.controller.cpu_initialization_period,
        delay_of_initial_readiness_status: r.controller.initial_readiness_delay,
        pod_level_resources: r.controller.features.pod_level_resources,
    };
    let tol = tolerances(r.hpa, r.controller);
    let spec_replicas = r.target.replicas;
    let status_replicas = r.target.status();
    let namespace = if r.hpa.metadata.namespace.is_empty() {
        "default"
    } else {
        &r.hpa.metadata.namespace
    };
    let ok = |replicas, value, utilization, description: String| MetricOutcome {
        replicas: Some(replicas),
        value: Some(value),
        utilization,
        error: None,
        description,
    };
    match spec.type_.as_str() {
        "Resource" | "ContainerResource" => {
            let is_container = spec.type_ == "ContainerResource";
            let (name, container, target, reason) =
                match (is_container, &spec.resource, &spec.container_resource) {
                    (false, Some(res), _) => (
                        res.name.as_str(),
                        None,
                        &res.target,
                        Reason::FailedGetResourceMetric,
                    ),
                    (true, _, Some(c)) => (
                        c.name.as_str(),
                        Some(c.container.as_str()),
                        &c.target,
                        Reason::FailedGetContainerResourceMetric,
                    ),
                    _ => return missing_source(spec),
                };
            let wrap = |e: String| {
                if is_container {
                    format!(
                        "failed to get {} container metric value: {e}",
                        container.unwrap_or("")
                    )
                } else {
                    format!("failed to get {name} resource metric value: {e}")
                }
            };
            let samples = pod_samples(r.pods, reading, r.now, "resource");
            let format = if name == "memory" {
                Format::BinarySi
            } else {
                Format::DecimalSi
            };
            if let Some(avg) = &target.average_value {
                return match calc.raw_resource_replicas(
                    spec_replicas,
                    avg.milli_value(),
                    name,
                    tol,
                    samples,
                ) {
                    Ok((replicas, raw)) => Ok(ok(
                        replicas,
                        Quantity::from_milli(raw, format),
                        None,
                        text.concat(&[name, " resource"]),
                    )),
                    Err(e) => {
                        let e = format!("failed to get {name} usage: {e}");
                        Err((
                            unable(reason, &e, wrap(e.clone())),
                            format!("{name} resource"),
                        ))
                    }
                };
            }
            let description = if is_container {
                text.concat(&[
                    name,
                    " container resource utilization (percentage of request)",
                ])
            } else {
                text.concat(&[name, " resource utilization (percentage of request)"])
            };
            let Some(util) = target.average_utilization else {
                let e = "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".to_string();
                return Err((unable(reason, &e, wrap(e.clone())), description));
            };
            match calc.resource_replicas(spec_replicas, util, name, tol, container, samples) {
                Ok(p) => Ok(ok(
                    p.replicas,
                    Quantity::from_milli(p.raw_average, format),
                    Some(p.utilization),
                    description,
                )),
                Err(e) => {
                    let e = format!("failed to get {name} utilization: {e}");
                    Err((unable(reason, &e, wrap(e.clone())), description))
                }
            }
        }
        "Pods" => {
            let Some(pods) = &spec.pods else {
                return missing_source(spec);
            };
            let name = &pods.metric.name;
            let target = pods
                .target
                .average_value
                .map(|q| q.milli_value())
                .unwrap_or(0);
            let samples = pod_samples(r.pods, reading, r.now, "custom");
            settle(
                calc.metric_replicas(spec_replicas, target, name, tol, samples),
                Reason::FailedGetPodsMetric,
                text.concat(&["pods metric ", name]),
                |e| format!("failed to get pods metric value: {e}"),
            )
        }
        "Object" => {
            let Some(obj) = &spec.object else {
                return missing_source(spec);
            };
            let name = &obj.metric.name;
            let describe = |e: &str| {
                // Upstream's format string shuffles its arguments; reproduced as is.
                format!(
                    "unable to get metric {name}: {} on {namespace} {}/{e}",
                    obj.described_object.kind, obj.described_object.name
                )
            };
            let outer = |e: &str| format!("failed to get object metric value: {e}");
            let t = &obj.target;
            match (t.type_.as_str(), &t.value, &t.average_value) {
                ("Value", Some(v), _) => settle(
                    calc.object_replicas(
                        spec_replicas,
                        v.milli_value(),
                        tol,
                        object_value(reading),
                        describe,
                    ),
                    Reason::FailedGetObjectMetric,
                    text.concat(&[&obj.described_object.kind, " metric ", name]),
                    outer,
                ),
                // Upstream names this an "external metric"; kept verbatim.
                ("AverageValue", _, Some(v)) => settle(
                    calc.object_per_pod_replicas(
                        status_replicas,
                        v.milli_value(),
                        tol,
                        object_value(reading),
                        describe,
                    ),
                    Reason::FailedGetObjectMetric,
                    text.concat(&[
                        "external metric ",
                        name,
                        "(",
                        &go_selector(obj.metric.selector.as_ref()),
                        ")",
                    ]),
                    |e| outer(&format!("failed to get {name} object metric: {e}")),
                ),
                _ => {
                    let e = "invalid object metric source: neither a value target nor an average value target was set";
                    Err((
                        unable(Reason::FailedGetObjectMetric, e, outer(e)),
                        format!("object metric {name}"),
                    ))
                }
            }
        }
        "External" => {
            let Some(ext) = &spec.external else {
                return missing_source(spec);
            };
            let name = &ext.metric.name;
            let selector = go_selector(ext.metric.selector.as_ref());
            let description = text.concat(&["external metric ", name, "(", &selector, ")"]);
            let describe = |e: &str| {
                format!("unable to get external metric {namespace}/{name}/{selector}: {e}")
            };
            let values = external_values(reading);
            let values = values.as_deref().map_err(Clone::clone);
            let outer = |e: &str| format!("failed to get {name} external metric value: {e}");
            // AverageValue is checked first, whatever the target's type says.
            if let Some(avg) = &ext.target.average_value {
                return settle(
                    calc.external_per_pod_replicas(
                        status_replicas,
                        avg.milli_value(),
                        tol,
                        values,
                        describe,
                    ),
                    Reason::FailedGetExternalMetric,
                    description,
                    |e| outer(&format!("failed to get {name} external metric: {e}")),
                );
            }
            if let Some(v) = &ext.target.value {
                return settle(
                    calc.external_replicas(spec_replicas, v.milli_value(), tol, values, describe),
                    Reason::FailedGetExternalMetric,
                    description,
                    |e| outer(&format!("failed to get external metric {name}: {e}")),
                );
            }
            let e = "invalid external metric source: neither a value target nor an average value target was set";
            Err((
                unable(Reason::FailedGetExternalMetric, e, outer(e)),
                description,
            ))
        }
        other => {
            let e = format!("unknown metric source type {other:?}");
            Err((
                unable(Reason::InvalidMetricSourceType, &e, e.clone()),
                String::from(other),
            ))
        }
    }
}

/// A calculator's answer as a metric outcome, or as a failure whose
/// condition quotes the calculator's error and whose error wraps it as
/// `computeStatusFor*Metric` and `computeReplicasForMetric` do.
fn settle(
    result: Result<(i32, i64), String>,
    reason: Reason,
    description: String,
    wrap: impl FnOnce(&str) -> String,
) -> MetricResult {
    match result {
        Ok((replicas, usage)) => Ok(MetricOutcome {
            replicas: Some(replicas),
            value: Some(Quantity::from_milli(usage, Format::DecimalSi)),
            utilization: None,
            error: None,
            description,
        }),
        Err(e) => Err((unable(reason, &e, wrap(&e)), description)),
    }
}

/// A metric whose `type` names a source it lacks (validation rejects it;
/// kept as a metric failure rather than a panic).
fn missing_source(spec: &MetricSpec) -> MetricResult {
    let e = format!("the {} metric source is missing", spec.type_);
    Err((
        unable(Reason::InvalidMetricSourceType, &e, e.clone()),
        spec.type_.clone(),
    ))
}
