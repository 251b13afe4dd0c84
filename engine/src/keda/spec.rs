//! The ScaledObject (`keda.sh/v1alpha1`) as users write it, its defaults and
//! KEDA's admission checks.
//!
//! Types follow `apis/keda/v1alpha1/scaledobject_types.go`; defaults are
//! `GetHPAMinReplicas` / `GetHPAMaxReplicas` and the poll/cooldown defaults of
//! `withtriggers_types.go` and `scale_scaledobjects.go`; validation follows the
//! admission webhook (`scaledobject_webhook.go`: `validateWorkload`,
//! `verifyReplicaCount`, `verifyTriggers`, `verifyScalingModifiers`,
//! `verifyFallback`, `verifyCPUMemoryScalers`) and the CRD schema minimums,
//! with KEDA's messages.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::spec::hpa::{Behavior, ObjectMeta};

/// `defaultPollingInterval`.
pub const DEFAULT_POLLING_INTERVAL: i32 = 30;
/// `defaultCooldownPeriod`.
pub const DEFAULT_COOLDOWN_PERIOD: i32 = 300;
/// `defaultInitialCooldownPeriod`.
pub const DEFAULT_INITIAL_COOLDOWN_PERIOD: i32 = 0;
/// `defaultHPAMaxReplicas`.
pub const DEFAULT_MAX_REPLICA_COUNT: i32 = 100;

/// A whole ScaledObject.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObject {
    /// `apiVersion`.
    #[serde(default)]
    pub api_version: String,
    /// `kind`.
    #[serde(default)]
    pub kind: String,
    /// `metadata` (name, annotations).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: ScaledObjectSpec,
}

/// `ScaledObjectSpec`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaledObjectSpec {
    /// The workload.
    #[serde(default)]
    pub scale_target_ref: Option<ScaleTargetRef>,
    /// Seconds between the operator's polls (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polling_interval: Option<i32>,
    /// Seconds after the last activity before scaling to zero/idle (default 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_period: Option<i32>,
    /// Seconds after creation before the first scale to zero (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_cooldown_period: Option<i32>,
    /// Replicas while idle (only 0 is supported by KEDA's docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_replica_count: Option<i32>,
    /// Minimum replicas (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replica_count: Option<i32>,
    /// Maximum replicas (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replica_count: Option<i32>,
    /// What to do when scalers fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
    /// The HPA config and scaling modifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced: Option<Advanced>,
    /// The triggers.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
}

/// `ScaleTarget`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTargetRef {
    /// The workload's name.
    #[serde(default)]
    pub name: String,
    /// Its kind (default Deployment).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Its apiVersion.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
}

/// `Fallback`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fallback {
    /// Failures tolerated before falling back.
    #[serde(default)]
    pub failure_threshold: i32,
    /// Replicas to fall back to.
    #[serde(default)]
    pub replicas: i32,
    /// `static` (default), `currentReplicas`, `currentReplicasIfHigher`,
    /// `currentReplicasIfLower`, `scalingModifiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<String>,
}

impl Fallback {
    /// The defaulted behavior.
    pub fn behavior(&self) -> &str {
        self.behavior.as_deref().unwrap_or("static")
    }
}

/// `AdvancedConfig`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Advanced {
    /// `horizontalPodAutoscalerConfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_pod_autoscaler_config: Option<HpaConfig>,
    /// `scalingModifiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_modifiers: Option<ScalingModifiers>,
}

/// `HorizontalPodAutoscalerConfig`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HpaConfig {
    /// The HPA's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The HPA's behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<Behavior>,
}

/// `ScalingModifiers`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingModifiers {
    /// An expression over trigger names.
    #[serde(default)]
    pub formula: String,
    /// The composite metric's target.
    #[serde(default, deserialize_with = "lenient_string")]
    pub target: String,
    /// The composite activation target (default 0).
    #[serde(default, deserialize_with = "lenient_string")]
    pub activation_target: String,
    /// `AverageValue` (default) or `Value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<String>,
}

/// `ScaleTriggers`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    /// The scaler: `rabbitmq`, `prometheus`, `aws-sqs-queue`, ...
    #[serde(rename = "type", default)]
    pub type_: String,
    /// The trigger's name (needed by scaling modifiers).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The scaler's parameters (values are strings; numbers are accepted).
    #[serde(default, deserialize_with = "lenient_map")]
    pub metadata: BTreeMap<String, String>,
    /// `AverageValue` (default), `Value`, or `Utilization` (cpu/memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<String>,
    /// Serve the HPA from the operator's last poll.
    #[serde(default)]
    pub use_cached_metrics: bool,
    /// A TriggerAuthentication (or ClusterTriggerAuthentication) whose
    /// parameters the scaler may read; replicast never sees them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_ref: Option<Value>,
}

impl Trigger {
    /// A cpu or memory trigger: a Resource metric, never an activator.
    pub fn is_resource(&self) -> bool {
        self.type_ == "cpu" || self.type_ == "memory"
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    scalar_text(&v).ok_or_else(|| de::Error::custom("expected a string"))
}

/// Trigger metadata is `map[string]string`; unquoted numbers and booleans
/// in real manifests are read as their text.
fn lenient_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let v = Value::deserialize(d)?;
    let Value::Object(map) = v else {
        return if v.is_null() {
            Ok(BTreeMap::new())
        } else {
            Err(de::Error::custom("expected a mapping of strings"))
        };
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let text = scalar_text(&v)
            .ok_or_else(|| de::Error::custom(format_args!("metadata.{k} must be a string")))?;
        out.insert(k, text);
    }
    Ok(out)
}

impl ScaledObject {
    /// `spec.minReplicaCount`, default 0.
    pub fn min_replica_count(&self) -> i32 {
        self.spec.min_replica_count.unwrap_or(0)
    }

    /// `GetHPAMinReplicas`: `minReplicaCount` when above 0, else 1.
    pub fn hpa_min_replicas(&self) -> i32 {
        match self.spec.min_replica_count {
            Some(m) if m > 0 => m,
            _ => 1,
        }
    }

    /// `GetHPAMaxReplicas`: `maxReplicaCount`, default 100.
    pub fn hpa_max_replicas(&self) -> i32 {
        self.spec
            .max_replica_count
            .unwrap_or(DEFAULT_MAX_REPLICA_COUNT)
    }

    /// `pollingInterval`, default 30 s.
    pub fn polling_interval(&self) -> i32 {
        self.spec
            .polling_interval
            .unwrap_or(DEFAULT_POLLING_INTERVAL)
    }

    /// `cooldownPeriod`, default 300 s.
    pub fn cooldown_period(&self) -> i32 {
        self.spec.cooldown_period.unwrap_or(DEFAULT_COOLDOWN_PERIOD)
    }

    /// The scaling modifiers when a formula is set (`IsUsingModifiers`).
    pub fn modifiers(&self) -> Option<&ScalingModifiers> {
        self.spec
            .advanced
            .as_ref()
            .and_then(|a| a.scaling_modifiers.as_ref())
            .filter(|m| !m.formula.is_empty())
    }

    fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata.annotations.get(key).map(String::as_str)
    }

    /// `autoscaling.keda.sh/paused-replicas`: its mere presence pauses.
    pub fn paused_replicas(&self) -> Option<&str> {
        self.annotation("autoscaling.keda.sh/paused-replicas")
    }

    /// `autoscaling.keda.sh/paused`, parsed as Go's `strconv.ParseBool`; a
    /// value that is not a boolean counts as paused.
    pub fn paused(&self) -> bool {
        match self.annotation("autoscaling.keda.sh/paused") {
            None => false,
            Some(v) => !matches!(v, "0" | "f" | "F" | "false" | "FALSE" | "False"),
        }
    }

    fn annotation_true(&self, key: &str) -> bool {
        matches!(
            self.annotation(key),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True")
        )
    }

    /// `NeedToPauseScaleIn`.
    pub fn pause_scale_in(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/paused-scale-in")
    }

    /// `NeedToPauseScaleOut`.
    pub fn pause_scale_out(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/paused-scale-out")
    }

    /// `NeedToForceActivation`.
    pub fn force_activation(&self) -> bool {
        self.annotation_true("autoscaling.keda.sh/force-activation")
    }
}

/// Reads a ScaledObject (a whole object or its spec) at `at` and runs KEDA's
/// admission checks.
pub fn read_scaled_object(value: &Value, at: &Path) -> Result<ScaledObject, Error> {
    let whole = value.get("spec").is_some() || value.get("apiVersion").is_some();
    let spec_path = if whole { at.child("spec") } else { at.clone() };
    if let Some(kind) = value.get("kind").and_then(Value::as_str) {
        if kind != "ScaledObject" {
            let msg = if kind == "ScaledJob" {
                "a ScaledJob runs Jobs rather than scaling a workload; replicast evaluates ScaledObjects".to_string()
            } else {
                format!("expected a ScaledObject, found kind {kind:?}")
            };
            return Err(Error::new(ErrorKind::Unsupported, at.child("kind"), msg));
        }
    }
    if let Some(api) = value.get("apiVersion").and_then(Value::as_str) {
        if api != "keda.sh/v1alpha1" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                at.child("apiVersion"),
                format!("unsupported apiVersion {api:?} for a ScaledObject; use keda.sh/v1alpha1"),
            ));
        }
    }
    let so: ScaledObject = if whole {
        crate::spec::deserialize(value, at)?
    } else {
        ScaledObject {
            spec: crate::spec::deserialize(value, at)?,
            ..Default::default()
        }
    };
    validate(&so, at, &spec_path).map(|()| so)
}

/// The webhook's and CRD's checks, each problem at its path.
fn validate(so: &ScaledObject, at: &Path, path: &Path) -> Result<(), Error> {
    let mut problems: Vec<(Path, String)> = Vec::new();
    let s = &so.spec;
    let mut min_check = |field: &str, v: Option<i32>, min: i32| {
        if let Some(v) = v {
            if v < min {
                problems.push((path.child(field), format!("Invalid value: {v}: {field} in body should be greater than or equal to {min}")));
            }
        }
    };
    min_check("pollingInterval", s.polling_interval, 1);
    min_check("cooldownPeriod", s.cooldown_period, 0);
    min_check("initialCooldownPeriod", s.initial_cooldown_period, 0);
    min_check("minReplicaCount", s.min_replica_count, 0);
    min_check("idleReplicaCount", s.idle_replica_count, 0);
    min_check("maxReplicaCount", s.max_replica_count, 1);
    if s.scale_target_ref
        .as_ref()
        .is_none_or(|r| r.name.is_empty())
    {
        problems.push((
            path.child("scaleTargetRef").child("name"),
            "Required value".into(),
        ));
    }
    // verifyName: both names are used as label values (63 characters at most).
    let name = &so.metadata.name;
    if name.len() > 63 {
        problems.push((
            at.child("metadata").child("name"),
            format!("scaledobject name {name:?} is {} characters long; must be no more than 63 characters because it is used as the \"scaledobject.keda.sh/name\" label value", name.len()),
        ));
    } else {
        let hpa_name = s
            .advanced
            .as_ref()
            .and_then(|a| a.horizontal_pod_autoscaler_config.as_ref())
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| format!("keda-hpa-{name}"));
        if hpa_name.len() > 63 {
            problems.push((
                at.child("metadata").child("name"),
                format!("HPA name {hpa_name:?} derived from scaledobject is {} characters long; must be no more than 63 characters; set spec.advanced.horizontalPodAutoscalerConfig.name to a shorter name or shorten the scaledobject name", hpa_name.len()),
            ));
        }
    }
    // CheckReplicaCountBoundsAreValid
    let (min, max) = (so.min_replica_count(), so.hpa_max_replicas());
    if s.min_replica_count.is_some() && min > max {
        problems.push((
            path.child("minReplicaCount"),
            format!("MinReplicaCount={min} must be less than MaxReplicaCount={max}"),
        ));
    }
    if let Some(idle) = s.idle_replica_count {
        let hpa_min = so.hpa_min_replicas();
        let compare = if s.min_replica_count.is_none() {
            0
        } else {
            hpa_min
        };
        if idle >= compare {
            problems.push((
                path.child("idleReplicaCount"),
                format!("IdleReplicaCount={idle} must be less than MinReplicaCount={compare}"),
            ));
        }
    }
    // ValidateTriggers
    if s.triggers.is_empty() {
        problems.push((
            path.child("triggers"),
            "no triggers defined in the ScaledObject/ScaledJob".into(),
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, t) in s.triggers.iter().enumerate() {
        let tp = path.child("triggers").index(i);
        if t.type_.is_empty() {
            problems.push((tp.child("type"), "Required value".into()));
        }
        if !t.name.is_empty() {
            if names.contains(&t.name.as_str()) {
                problems.push((
                    tp.child("name"),
                    format!("triggerName {:?} is defined multiple times in the ScaledObject/ScaledJob, but it must be unique", t.name),
                ));
            }
            names.push(&t.name);
        }
        if t.use_cached_metrics && matches!(t.type_.as_str(), "cpu" | "memory" | "cron") {
            problems.push((
                tp.child("useCachedMetrics"),
                format!(
                    "property \"useCachedMetrics\" is not supported for {:?} scaler",
                    t.type_
                ),
            ));
        }
        if let Some(mt) = &t.metric_type {
            if !matches!(mt.as_str(), "AverageValue" | "Value" | "Utilization") {
                problems.push((tp.child("metricType"), format!("Unsupported value: {mt:?}: supported values: \"AverageValue\", \"Value\", \"Utilization\"")));
            } else if mt == "Utilization" && !t.is_resource() {
                problems.push((
                    tp.child("metricType"),
                    "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'".into(),
                ));
            }
        }
    }
    let only_resource = !s.triggers.is_empty() && s.triggers.iter().all(Trigger::is_resource);
    // verifyCPUMemoryScalers
    if only_resource && min == 0 {
        problems.push((
            path.child("minReplicaCount"),
            "scaledobject has only cpu/memory triggers AND minReplica is 0 (scale to zero doesn't work in this case)".into(),
        ));
    }
    // Fallback
    if let Some(f) = &s.fallback {
        let fp = path.child("fallback");
        if f.failure_threshold < 0 || f.replicas < 0 {
            problems.push((
                fp.clone(),
                format!(
                    "FailureThreshold={} & Replicas={} must both be greater than or equal to 0",
                    f.failure_threshold, f.replicas
                ),
            ));
        }
        if !matches!(
            f.behavior(),
            "static"
                | "currentReplicas"
                | "currentReplicasIfHigher"
                | "currentReplicasIfLower"
                | "scalingModifiers"
        ) {
            problems.push((
                fp.child("behavior"),
                format!("Unsupported value: {:?}: supported values: \"static\", \"currentReplicas\", \"currentReplicasIfHigher\", \"currentReplicasIfLower\", \"scalingModifiers\"", f.behavior()),
            ));
        }
        if only_resource && so.modifiers().is_none() {
            problems.push((
                fp.clone(),
                "at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled".into(),
            ));
        }
        if f.behavior() == "scalingModifiers" && so.modifiers().is_none() {
            problems.push((fp.child("behavior"), "scalingModifiers fallback behavior requires scalingModifiers.formula to be defined".into()));
        }
    }
    // verifyScalingModifiers
    if let Some(m) = s
        .advanced
        .as_ref()
        .and_then(|a| a.scaling_modifiers.as_ref())
    {
        let mp = path.child("advanced").child("scalingModifiers");
        if m.formula.is_empty() {
            if !m.target.is_empty() || !m.activation_target.is_empty() || m.metric_type.is_some() {
                problems.push((
                    mp.child("formula"),
                    "error ScalingModifiers.Formula is mandatory".into(),
                ));
            }
        } else {
            if m.target.is_empty() {
                problems.push((mp.child("target"), "error validating formula in ScalingModifiers: formula is given but target is empty".into()));
            } else {
                match m.target.trim().parse::<f64>() {
                    Ok(t) if t > 0.0 => {}
                    _ => problems.push((
                        mp.child("target"),
                        format!("error validating target in ScalingModifiers: error converting target for scalingModifiers (string->float) to valid target: {:?}", m.target),
                    )),
                }
            }
            if let Some(mt) = &m.metric_type {
                if !matches!(mt.as_str(), "AverageValue" | "Value") {
                    problems.push((mp.child("metricType"), format!("Unsupported value: {mt:?}: supported values: \"AverageValue\", \"Value\"")));
                }
            }
            let known: Vec<&str> = s
                .triggers
                .iter()
                .filter(|t| !t.is_resource())
                .map(|t| t.name.as_str())
                .filter(|n| !n.is_empty())
                .collect();
            if let Err(e) = super::formula::check(&m.formula, &known) {
                problems.push((
                    mp.child("formula"),
                    format!("error validating formula in ScalingModifiers: {e}"),
                ));
            }
        }
    }
    // Scaler metadata (reconcile-time errors: `buildScaler` and the
    // scaler's constructor; no HPA would be created).
    let cx = super::scalers::Context {
        as_metric_source: so.modifiers().is_some(),
        namespace: &so.metadata.namespace,
    };
    let mut scaler_problems = Vec::new();
    for (i, t) in s.triggers.iter().enumerate() {
        if t.type_.is_empty() {
            continue;
        }
        if let Err(e) = super::scalers::describe_in(t, i, &cx) {
            let tp = path.child("triggers").index(i);
            let at = match e.at {
                super::scalers::At::Type => tp.child("type"),
                super::scalers::At::Metadata(None) => tp.child("metadata"),
                super::scalers::At::Metadata(Some(k)) => tp.child("metadata").child(&k),
            };
            let kind = if e.unsupported {
                ErrorKind::Unsupported
            } else {
                ErrorKind::Invalid
            };
            scaler_problems.push((at, e.message, kind));
        }
    }
    let mut it = problems
        .into_iter()
        .map(|(p, m)| (p, m, ErrorKind::Invalid))
        .chain(scaler_problems);
    let Some((p, m, k)) = it.next() else {
        return Ok(());
    };
    let mut err = Error::new(k, p, m);
    for (p, m, k) in it {
        err = err.join(Error::new(k, p, m));
    }
    Err(err)
}
