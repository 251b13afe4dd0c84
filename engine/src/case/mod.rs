//! The evaluation case format (shared spec `eval-case.md`): one reconcile
//! as a pure function, `evaluate(case) -> decision`.
//!
//! A case is read from a JSON value (or, with the `yaml` feature, from
//! YAML/JSON text, with every problem located at its line), checked, and
//! evaluated by the very engine the simulator runs.

mod expand;
pub mod expect;
mod json;
mod kpa;
pub mod prepared;
mod scaled_job;

use alloc::borrow::Cow;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::condition::Conditions;
use crate::error::{Error, ErrorKind, Path};
use crate::horizontal::{self, MetricOutcome, Reconcile};
use crate::model::{Controller, History, KedaState, Pod, Reading, ScaleTarget};
use crate::notice::{Notice, NoticeKind, Notices};
use crate::quantity::Quantity;
use crate::spec::{self, HorizontalPodAutoscaler, validation};
use crate::time::Instant;
pub use expand::MAX_PODS;
pub use json::{from_json, parse_value};

/// A parsed, checked evaluation case.
#[derive(Clone, Debug)]
pub struct EvalCase {
    /// The instant of the evaluation.
    pub now: Instant,
    /// The autoscaler, defaulted and validated.
    pub autoscaler: Autoscaler,
    /// The scale subresource.
    pub target: ScaleTarget,
    /// The pods the target's selector matches.
    pub pods: Vec<Pod>,
    /// One reading per metric (HPA) or trigger (KEDA).
    pub readings: Vec<Reading>,
    /// The controller's memory; `None` on first sight.
    pub history: Option<History>,
    /// The controller's flags.
    pub controller: Controller,
    /// Notes on the input (a deprecated API version converted, ...).
    pub warnings: Vec<String>,
    /// Located warnings (unknown fields, ignored readings); each is also
    /// one of `warnings` in the decision. `--strict` refuses them.
    pub notices: Notices,
}

/// The autoscaler a case evaluates.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Autoscaler {
    /// A HorizontalPodAutoscaler.
    Hpa(alloc::boxed::Box<HorizontalPodAutoscaler>),
    /// A KEDA ScaledObject, with the operator's state before the poll.
    ScaledObject(alloc::boxed::Box<crate::keda::ScaledObject>, KedaState),
    /// One tick of Knative's Pod Autoscaler for one revision.
    Kpa(alloc::boxed::Box<crate::kpa::KpaCase>),
    /// A KEDA ScaledJob, with the Jobs it owns and the operator's state.
    ScaledJob(
        alloc::boxed::Box<crate::keda::job::ScaledJob>,
        crate::keda::job::Jobs,
        KedaState,
    ),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCase {
    now: Instant,
    #[serde(default)]
    hpa: Option<Value>,
    #[serde(default)]
    scaled_object: Option<Value>,
    #[serde(default)]
    scaled_job: Option<Value>,
    #[serde(default)]
    kpa: Option<Value>,
    #[serde(default)]
    jobs: Option<crate::keda::job::Jobs>,
    #[serde(default)]
    target: Option<ScaleTarget>,
    #[serde(default)]
    pods: Vec<Pod>,
    #[serde(default)]
    metrics: Vec<Reading>,
    #[serde(default)]
    triggers: Vec<Reading>,
    #[serde(default)]
    keda: Option<KedaState>,
    #[serde(default)]
    history: Option<History>,
    #[serde(default)]
    controller: Controller,
}

/// One metric's (or trigger's) part of a decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MetricDecision {
    /// The replica count this metric proposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The observed value as a canonical Kubernetes quantity (`"800m"`);
    /// for AverageValue targets the per-pod average.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub value: Option<Quantity>,
    /// The utilization in integer percent (Utilization targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<i32>,
    /// Why this metric could not be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The metric as the controller names it in conditions
    /// (`cpu resource utilization (percentage of request)`).
    pub metric: String,
}

impl From<MetricOutcome> for MetricDecision {
    fn from(m: MetricOutcome) -> Self {
        MetricDecision {
            replicas: m.replicas,
            value: m.value,
            utilization: m.utilization,
            error: m.error,
            metric: m.description,
        }
    }
}

/// What the controller decides in one reconcile.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Decision {
    /// The replica count the controller writes to the scale subresource
    /// after this reconcile (equal to `target.replicas` when it does not
    /// rescale).
    pub desired_replicas: i32,
    /// Per metric (HPA) or trigger (KEDA), in spec order.
    pub metrics: Vec<MetricDecision>,
    /// The status conditions, with Kubernetes' (and KEDA's) type, status
    /// and reason strings.
    #[cfg_attr(feature = "ts", tsify(type = "Condition[]"))]
    pub conditions: Conditions,
    /// The controller's memory after this reconcile: pass it back as the
    /// next case's `history` (with a later `now`) to chain reconciles.
    pub history: History,
    /// One line for humans: why this count.
    pub explanation: String,
    /// KEDA: whether the ScaledObject is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// ScaledJob: the Jobs this poll creates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub jobs_to_create: Option<i64>,
    /// ScaledJob: the scalers' maximum scale (ceil of the combined
    /// `min(queue length / target, maxReplicaCount)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_scale: Option<i64>,
    /// Knative KPA: the decider's desired pod count (-1: no data yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub desired_pods: Option<i32>,
    /// Knative KPA: whether the autoscaler panics after this tick.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub panic: Option<bool>,
    /// Knative KPA: the excess burst capacity (negative: the activator
    /// stays in the request path).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub excess_burst_capacity: Option<i32>,
    /// Knative KPA: the scale the reconciler settles on (-1: unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub desired_scale: Option<i32>,
    /// Knative KPA: the windows' averages and the per-pod target.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub observed: Option<crate::kpa::case::Observed>,
    /// Knative KPA: the autoscaler's memory after this tick (feed it back
    /// as `kpa.memory`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub memory: Option<crate::kpa::decider::Memory>,
    /// Notes on the input (an older API version converted, ...); each
    /// notice is among them as `path: message`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub warnings: Vec<String>,
    /// The warnings that have a place in the input, located (an unknown
    /// field, as kubectl's strict field validation names it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub notices: Vec<Notice>,
}

/// Reads a case from a JSON value.
pub fn from_value(value: &Value) -> Result<EvalCase, Error> {
    if !value.is_object() {
        return Err(Error::new(
            ErrorKind::Schema,
            Path::root(),
            "a case is a mapping with `now`, `hpa`, `target`, ...",
        ));
    }
    let raw: RawCase = spec::deserialize(value, &Path::root())?;
    if let Some(sj) = raw.scaled_job.clone() {
        return scaled_job::from_raw(value, raw, &sj);
    }
    if let Some(k) = raw.kpa.clone() {
        return kpa::from_raw(value, raw, &k);
    }
    from_raw(raw, |raw| unknown_fields(value, raw))
}

/// A case from its fields as read; `unknown` gives the unknown fields of
/// the whole case once its autoscaler has been read.
fn from_raw(
    mut raw: RawCase,
    unknown: impl FnOnce(&RawCase) -> Notices,
) -> Result<EvalCase, Error> {
    let mut warnings = Vec::new();
    let features = raw.controller.features;
    let opts = validation::Options {
        min_replicas_lower_bound: if features.hpa_scale_to_zero { 0 } else { 1 },
    };
    let autoscaler = match (&raw.hpa, &raw.scaled_object) {
        (Some(hpa), None) => {
            let read = spec::read_hpa(hpa, &Path::root().child("hpa"), opts)?;
            warnings.extend(read.warnings);
            Autoscaler::Hpa(alloc::boxed::Box::new(read.hpa))
        }
        (None, Some(so)) => {
            let so = crate::keda::admission::read_scaled_object(
                so,
                &Path::root().child("scaledObject"),
            )?;
            let state = raw
                .keda
                .clone()
                .or_else(|| raw.history.as_ref().and_then(|h| h.keda.clone()))
                .unwrap_or_default();
            Autoscaler::ScaledObject(alloc::boxed::Box::new(so), state)
        }
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorKind::Schema,
                Path::root().child("scaledObject"),
                "a case evaluates one autoscaler: give `hpa` or `scaledObject`, not both",
            ));
        }
        (None, None) => {
            return Err(Error::new(
                ErrorKind::Schema,
                Path::root(),
                "missing field `hpa` (or `scaledObject`, `scaledJob`, `kpa`)",
            ));
        }
    };
    let mut notices = unknown(&raw);
    if let Autoscaler::ScaledObject(so, _) = &autoscaler {
        keda_readings(&mut raw, so, &mut notices)?;
    }
    check(&raw, &autoscaler)?;
    Ok(EvalCase {
        notices,
        now: raw.now,
        autoscaler,
        target: raw.target.unwrap_or_default(),
        pods: expand::expand_pods(raw.pods),
        readings: if raw.scaled_object.is_some() {
            raw.triggers
        } else {
            raw.metrics
        },
        history: raw.history,
        controller: raw.controller,
        warnings,
    })
}

/// The fields of a case that neither its API nor the case format knows:
/// in `hpa`/`scaledObject` (kubectl's strict field validation), then in
/// the case's own keys (not inside `expect`).
fn unknown_fields(value: &Value, raw: &RawCase) -> Notices {
    let root = Path::root();
    let mut notices = autoscaler_unknown_fields(raw);
    crate::schema::walk(
        value,
        &crate::schema::case_format::CASE,
        &root,
        &mut String::new(),
        &mut notices,
    );
    notices
}

/// The unknown fields of a case's `hpa` or `scaledObject`.
fn autoscaler_unknown_fields(raw: &RawCase) -> Notices {
    let root = Path::root();
    match (&raw.hpa, &raw.scaled_object) {
        (Some(hpa), _) => crate::schema::hpa(hpa, &root.child("hpa")),
        (_, Some(so)) => crate::schema::scaled_object(so, &root.child("scaledObject")),
        (None, None) => Notices::default(),
    }
}

/// KEDA readings beyond their count: a cron trigger needs none (one given
/// is ignored, with a notice; `triggers` may be left out when every trigger
/// is cron); an external trigger's reading carries its scaler's
/// `GetMetricSpec` target and `IsActive` answer. The scalers' own notes
/// (`scalers::Scaler::notes`) become notices at their metadata keys.
fn keda_readings(
    raw: &mut RawCase,
    so: &crate::keda::ScaledObject,
    notices: &mut Notices,
) -> Result<(), Error> {
    use crate::keda::scalers::Activity;
    let triggers = &so.spec.triggers;
    let scalers = crate::keda::scalers_of(so);
    let is_cron = |s: &crate::keda::Scaler| matches!(s.activity, Activity::Window(_));
    if raw.triggers.is_empty() && !scalers.is_empty() && scalers.iter().all(is_cron) {
        raw.triggers = alloc::vec![Reading::default(); triggers.len()];
    }
    let whole = raw
        .scaled_object
        .as_ref()
        .is_some_and(|v| v.get("spec").is_some() || v.get("apiVersion").is_some());
    let mut spec_path = Path::root().child("scaledObject");
    if whole {
        spec_path = spec_path.child("spec");
    }
    for (i, (scaler, reading)) in scalers.iter().zip(&raw.triggers).enumerate() {
        let at = Path::root().child("triggers").index(i);
        let trigger_path = spec_path.child("triggers").index(i);
        for (key, message) in &scaler.notes {
            notices.push(Notice::new(
                NoticeKind::Warning,
                trigger_path.child("metadata").child(key),
                message.clone(),
            ));
        }
        let given = reading.value.is_some()
            || reading.values.is_some()
            || reading.error.is_some()
            || reading.pod_values.is_some();
        if is_cron(scaler) && given {
            notices.push(Notice::new(
                NoticeKind::Ignored,
                at.clone(),
                format!("scaledObject.spec.triggers[{i}] is a cron trigger: its schedule is evaluated at `now` (Unix time) in its timezone, so this reading is ignored"),
            ));
        }
        external_reading(
            "scaledObject",
            i,
            &triggers[i].type_,
            scaler.target_from_reading,
            reading,
            notices,
        )?;
    }
    // A cron trigger's reading may be left empty.
    for (scaler, reading) in scalers.iter().zip(raw.triggers.iter_mut()) {
        if is_cron(scaler) {
            *reading = Reading::default();
        }
    }
    Ok(())
}

/// Checks what types alone cannot: counts, names, ranges, and that each
/// reading fits its metric.
fn check(raw: &RawCase, autoscaler: &Autoscaler) -> Result<(), Error> {
    let root = Path::root();
    if let Autoscaler::ScaledJob(sj, jobs, _) = autoscaler {
        return scaled_job::check(raw, sj, *jobs);
    }
    let Some(target) = raw.target else {
        return Err(Error::new(
            ErrorKind::Schema,
            root,
            "missing field `target`",
        ));
    };
    if target.replicas < 0 {
        return Err(Error::new(
            ErrorKind::Invalid,
            root.child("target").child("replicas"),
            "must be at least 0",
        ));
    }
    if target.status_replicas.is_some_and(|r| r < 0) {
        return Err(Error::new(
            ErrorKind::Invalid,
            root.child("target").child("statusReplicas"),
            "must be at least 0",
        ));
    }
    let t = raw.controller.tolerance;
    if !(t.is_finite() && t >= 0.0) {
        return Err(Error::new(
            ErrorKind::Invalid,
            root.child("controller").child("tolerance"),
            "must be a number at least 0",
        ));
    }
    let total: u64 = raw
        .pods
        .iter()
        .map(|p| u64::from(p.count.unwrap_or(1)))
        .sum();
    if total > MAX_PODS {
        let i = raw.pods.iter().position(|p| p.count.is_some()).unwrap_or(0);
        return Err(Error::new(
            ErrorKind::Invalid,
            root.child("pods").index(i).child("count"),
            format!(
                "the case holds {total} pods with every count expanded; at most {} are read",
                MAX_PODS
            ),
        ));
    }
    let mut negative = None;
    for (i, pod) in raw.pods.iter().enumerate() {
        pod.check_requests(&root.child("pods").index(i), &mut negative);
    }
    if let Some(e) = negative {
        return Err(e);
    }
    let mut names = BTreeSet::new();
    for (i, pod) in raw.pods.iter().enumerate() {
        let duplicate = match pod.count {
            None => !names.insert(Cow::Borrowed(pod.name.as_str())),
            Some(n) => (0..n).any(|k| !names.insert(Cow::Owned(format!("{}-{k}", pod.name)))),
        };
        if duplicate {
            return Err(Error::new(
                ErrorKind::Invalid,
                root.child("pods").index(i).child("name"),
                match pod.count {
                    None => format!("pod name {:?} appears twice", pod.name),
                    Some(_) => format!(
                        "pod name {:?} with its count names a pod that appears twice",
                        pod.name
                    ),
                },
            ));
        }
    }
    match autoscaler {
        Autoscaler::Hpa(hpa) => check_hpa_readings(raw, hpa),
        Autoscaler::ScaledObject(so, state) => check_trigger_readings(raw, so, state),
        Autoscaler::ScaledJob(..) | Autoscaler::Kpa(_) => Ok(()),
    }
}

fn check_hpa_readings(raw: &RawCase, hpa: &HorizontalPodAutoscaler) -> Result<(), Error> {
    let root = Path::root();
    let specs = &hpa.spec.metrics;
    if raw.metrics.len() != specs.len() {
        return Err(Error::new(
            ErrorKind::Schema,
            root.child("metrics"),
            format!(
                "hpa.spec.metrics has {} entr{} (after API defaults) but `metrics` has {} reading{}: give one reading per metric, in order",
                specs.len(),
                if specs.len() == 1 { "y" } else { "ies" },
                raw.metrics.len(),
                if raw.metrics.len() == 1 { "" } else { "s" },
            ),
        ));
    }
    let mut negative = None;
    for (i, (spec, reading)) in specs.iter().zip(&raw.metrics).enumerate() {
        if matches!(spec.type_.as_str(), "Resource" | "ContainerResource") {
            reading.check_usage(&root.child("metrics").index(i), &mut negative);
        }
    }
    if let Some(e) = negative {
        return Err(e);
    }
    for (i, (spec, reading)) in specs.iter().zip(&raw.metrics).enumerate() {
        let at = root.child("metrics").index(i);
        if reading.error.is_some() {
            continue;
        }
        let fits = match spec.type_.as_str() {
            "Resource" | "ContainerResource" | "Pods" => reading.pod_values.is_some(),
            "Object" => {
                reading.value.is_some() || reading.values.as_ref().is_some_and(|v| v.len() == 1)
            }
            "External" => reading.value.is_some() || reading.values.is_some(),
            _ => true,
        };
        if !fits {
            let wants = match spec.type_.as_str() {
                "Object" => "`value` (the object's metric)",
                "External" => "`values` (every series matched) or `value`",
                _ => "`podValues` (one value per pod)",
            };
            return Err(Error::new(
                ErrorKind::Schema,
                at,
                format!(
                    "hpa.spec.metrics[{i}] is a {} metric: its reading needs {wants}, or `error`",
                    spec.type_
                ),
            ));
        }
    }
    Ok(())
}

/// An external trigger's reading carries its scaler's `GetMetricSpec`
/// target and `IsActive` answer; any other trigger's `target` and `active`
/// are ignored, with a notice. `kind` names the autoscaler in messages.
fn external_reading(
    kind: &str,
    i: usize,
    type_: &str,
    external: bool,
    reading: &Reading,
    notices: &mut Notices,
) -> Result<(), Error> {
    let at = Path::root().child("triggers").index(i);
    if external {
        if reading.target.is_none() {
            return Err(Error::new(
                ErrorKind::Schema,
                at.child("target"),
                format!(
                    "{kind}.spec.triggers[{i}] is an {type_} trigger: its target comes from the external scaler's GetMetricSpec; give it as `target`"
                ),
            ));
        }
        if reading.error.is_none() && reading.active.is_none() {
            return Err(Error::new(
                ErrorKind::Schema,
                at.child("active"),
                format!(
                    "{kind}.spec.triggers[{i}] is an {type_} trigger: its activity is the external scaler's IsActive answer; give it as `active` (true or false)"
                ),
            ));
        }
    } else if reading.target.is_some() || reading.active.is_some() {
        notices.push(Notice::new(
            NoticeKind::Ignored,
            at,
            format!("`target` and `active` are read only for external scalers; {kind}.spec.triggers[{i}] is a {type_} trigger"),
        ));
    }
    Ok(())
}

/// One reading per trigger, in order: `kind.spec.triggers` has `triggers`
/// entries, the case `readings`.
fn trigger_count(kind: &str, triggers: usize, readings: usize) -> Result<(), Error> {
    if readings == triggers {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Schema,
        Path::root().child("triggers"),
        format!(
            "{kind}.spec.triggers has {triggers} entr{} but `triggers` has {readings} reading{}: give one reading per trigger, in order",
            if triggers == 1 { "y" } else { "ies" },
            if readings == 1 { "" } else { "s" },
        ),
    ))
}

fn check_trigger_readings(
    raw: &RawCase,
    so: &crate::keda::ScaledObject,
    state: &KedaState,
) -> Result<(), Error> {
    let root = Path::root();
    let triggers = &so.spec.triggers;
    trigger_count("scaledObject", triggers.len(), raw.triggers.len())?;
    if !state.failures.is_empty() && state.failures.len() != triggers.len() {
        return Err(Error::new(
            ErrorKind::Schema,
            root.child("keda").child("failures"),
            format!(
                "give one failure count per trigger ({}), in order",
                triggers.len()
            ),
        ));
    }
    let mut negative = None;
    for (i, (t, reading)) in triggers.iter().zip(&raw.triggers).enumerate() {
        if t.is_resource() {
            reading.check_usage(&root.child("triggers").index(i), &mut negative);
        }
    }
    if let Some(e) = negative {
        return Err(e);
    }
    for (i, (t, reading)) in triggers.iter().zip(&raw.triggers).enumerate() {
        if reading.error.is_some() {
            continue;
        }
        if t.type_ == "cron" {
            continue;
        }
        let (fits, wants) = if t.is_resource() {
            (
                reading.pod_values.is_some(),
                "`podValues` (one value per pod)",
            )
        } else {
            (
                reading.value.is_some() || reading.values.is_some(),
                "`value` (what the scaler reports)",
            )
        };
        if !fits {
            return Err(Error::new(
                ErrorKind::Schema,
                root.child("triggers").index(i),
                format!(
                    "scaledObject.spec.triggers[{i}] is a {} trigger: its reading needs {wants}, or `error`",
                    t.type_
                ),
            ));
        }
    }
    if let Some(v) = so.paused_replicas() {
        if v.trim().parse::<i32>().is_err() {
            return Err(Error::new(
                ErrorKind::Invalid,
                root.child("scaledObject")
                    .child("metadata")
                    .child("annotations")
                    .child("autoscaling.keda.sh/paused-replicas"),
                format!("paused-replicas must be an integer, not {v:?}"),
            ));
        }
    }
    Ok(())
}

/// Reads a case from YAML or JSON text; every problem carries its line.
#[cfg(feature = "yaml")]
pub fn parse(text: &str) -> Result<EvalCase, Error> {
    let node = crate::yaml::parse_single(text, &crate::yaml::Limits::default())?;
    let value = node.to_json()?;
    let mut case = from_value(&value).map_err(|e| e.locate(|p| Some(node.locate(p))))?;
    case.notices.locate(|p| Some(node.locate(p)));
    Ok(case)
}

/// Evaluates a case.
pub fn evaluate(case: &EvalCase) -> Decision {
    match &case.autoscaler {
        Autoscaler::Hpa(hpa) => {
            let outcome = horizontal::reconcile_hpa(&Reconcile {
                now: case.now,
                hpa,
                target: case.target,
                pods: &case.pods,
                readings: &case.readings,
                history: case.history.as_ref(),
                controller: &case.controller,
            });
            let explanation = crate::explain::hpa(&hpa.spec, case.target.replicas, &outcome);
            Decision {
                desired_replicas: outcome.desired_replicas,
                metrics: outcome
                    .metrics
                    .into_iter()
                    .map(MetricDecision::from)
                    .collect(),
                conditions: outcome.conditions,
                history: outcome.history,
                explanation,
                active: None,
                jobs_to_create: None,
                max_scale: None,
                desired_pods: None,
                panic: None,
                excess_burst_capacity: None,
                desired_scale: None,
                observed: None,
                memory: None,
                warnings: case.all_warnings(),
                notices: case.notices.0.clone(),
            }
        }
        Autoscaler::ScaledObject(so, state) => {
            let history = case.history.as_ref().map(|h| History {
                keda: None,
                ..h.clone()
            });
            let outcome = crate::keda::reconcile_scaled_object(&crate::keda::KedaReconcile {
                now: case.now,
                so,
                target: case.target,
                pods: &case.pods,
                readings: &case.readings,
                state,
                history: history.as_ref(),
                controller: &case.controller,
            });
            let explanation =
                crate::explain::keda(so, case.target.replicas, &case.readings, &outcome);
            Decision {
                desired_replicas: outcome.desired_replicas,
                metrics: outcome
                    .metrics
                    .into_iter()
                    .map(MetricDecision::from)
                    .collect(),
                conditions: outcome.conditions,
                history: outcome.history,
                explanation,
                active: Some(outcome.active),
                jobs_to_create: None,
                max_scale: None,
                desired_pods: None,
                panic: None,
                excess_burst_capacity: None,
                desired_scale: None,
                observed: None,
                memory: None,
                warnings: case.all_warnings(),
                notices: case.notices.0.clone(),
            }
        }
        Autoscaler::ScaledJob(sj, jobs, state) => scaled_job::evaluate(case, sj, *jobs, state),
        Autoscaler::Kpa(k) => kpa::evaluate(case, k),
    }
}

/// Reads and evaluates case text.
#[cfg(feature = "yaml")]
pub fn evaluate_text(text: &str) -> Result<Decision, Error> {
    parse(text).map(|c| evaluate(&c))
}

impl EvalCase {
    /// `--strict`: every notice, and every other warning (at the root:
    /// it has no place), as one input error (kind `strict`); `Ok` when
    /// there are none. The one check every front end calls.
    pub fn strict_check(&self) -> Result<(), Error> {
        let mut all = self.notices.clone();
        for w in &self.warnings {
            all.push(Notice::new(NoticeKind::Warning, Path::root(), w.clone()));
        }
        all.into_strict_error()
    }

    /// `warnings` followed by every notice as a plain string.
    pub fn all_warnings(&self) -> Vec<String> {
        let mut all = self.warnings.clone();
        all.extend(self.notices.0.iter().map(Notice::to_warning));
        all
    }
}

impl Decision {
    /// The decision as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|e| Value::String(e.to_string()))
    }
}
