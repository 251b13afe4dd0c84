//! Shadow evaluation: each variant's autoscalers, run on live readings as a
//! dry run (nothing in a cluster is changed).
//!
//! [`compile`] turns the configuration into a [`Plan`]: the sources (with
//! the queues and queries the variants' triggers need added), and one
//! [`LoopPlan`] per HorizontalPodAutoscaler or ScaledObject in a variant's
//! manifests, each metric or trigger bound to a reading (`signals:`, or by
//! default a rabbitmq trigger's queue and a prometheus trigger's own query).
//!
//! [`reconcile`] runs one loop once: it writes the evaluation case the
//! controller would see now (shared spec `eval-case.md`: the manifest, the
//! readings, the current replica count, synthetic running pods, and the
//! history the previous decision returned) and evaluates it with the engine
//! exactly as `replicast eval` does (`case::from_value`, `case::evaluate`).
//! The decision's `history` (with `history.keda` for a ScaledObject) feeds
//! the next reconcile. A reading that cannot be had is passed as
//! `{error: ...}`, so the decision follows the upstream rules: the HPA's
//! ScalingActive=False and no scale-down on an invalid metric, KEDA's
//! fallback.

use std::collections::BTreeMap;
use std::path::Path as FsPath;

use replicast_engine::case::{self, Decision};
use replicast_engine::error::Path;
use replicast_engine::keda::admission::read_scaled_object;
use replicast_engine::keda::spec::ScaledObject;
use replicast_engine::spec::{self, validation};
use replicast_engine::yaml::{Limits, parse_documents};
use serde_json::{Value, json};

use super::config::{Config, ConfigError, Loaded, ReplicasSpec, SignalSpec, SourceSpec};
use super::source::split_ref;
use super::state::{InputRecord, Outcome, Store};

/// Default `--horizontal-pod-autoscaler-sync-period`.
pub const DEFAULT_HPA_SYNC: f64 = 15.0;
/// Default retention of the rings.
pub const DEFAULT_RETENTION: f64 = 86_400.0;

/// A source the configuration does not build (a test's fake GPU): its name
/// and kind, so variants may map signals to it.
#[derive(Clone, Debug)]
pub struct ExternalSource {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: &'static str,
}

/// What the agent runs.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The configured sources, with what the variants need added.
    pub sources: Vec<SourcePlan>,
    /// One loop per autoscaler.
    pub loops: Vec<LoopPlan>,
    /// Seconds the rings reach back.
    pub retention: f64,
    /// Notes for the user (a metric with no reading, ...).
    pub warnings: Vec<String>,
}

/// A source to build.
#[derive(Clone, Debug)]
pub struct SourcePlan {
    /// Its configuration, queues and queries added.
    pub spec: SourceSpec,
    /// `nvml`, `rabbitmq`, `prometheus`.
    pub kind: &'static str,
    /// Seconds between polls.
    pub period: f64,
    /// Seconds a poll may take.
    pub timeout: f64,
    /// rabbitmq: `amqp` or `http`.
    pub protocol: Option<&'static str>,
}

/// Which autoscaler a loop runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A HorizontalPodAutoscaler.
    Hpa,
    /// A KEDA ScaledObject.
    ScaledObject,
}

impl Kind {
    /// The Kubernetes kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hpa => "HorizontalPodAutoscaler",
            Kind::ScaledObject => "ScaledObject",
        }
    }
}

/// How a reading enters the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `podValues`: the same value for every pod (Resource, ContainerResource, Pods; cpu/memory triggers).
    PodValues,
    /// `value` (Object; KEDA scalers).
    Value,
    /// `values: [v]` (External: one series).
    Values,
}

/// Where a metric's value comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// `SOURCE.KEY`.
    pub reference: String,
    /// The source.
    pub source: String,
    /// The key.
    pub key: String,
    /// Divide by the current replica count.
    pub per_replica: bool,
    /// Multiply by this.
    pub scale: f64,
}

/// One metric or trigger of an autoscaler.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// Its name (resource, metric name, a trigger's queue or metric name).
    pub name: String,
    /// How its reading is written.
    pub shape: Shape,
    /// Its reading, or why it has none.
    pub binding: Result<Binding, String>,
}

/// Where the current replica count comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Replicas {
    /// Always this.
    Fixed(i32),
    /// A reading.
    Reading(Binding),
    /// Starts here, then each decision is taken as applied.
    Follow(i32),
}

impl Replicas {
    /// In words, for `/api/state`.
    pub fn describe(&self) -> String {
        match self {
            Replicas::Fixed(n) => format!("fixed at {n}"),
            Replicas::Reading(b) => format!("read from {}", b.reference),
            Replicas::Follow(n) => format!("follows its own decisions from {n}"),
        }
    }
}

/// One autoscaler's loop.
#[derive(Clone, Debug)]
pub struct LoopPlan {
    /// The `variant` label.
    pub name: String,
    /// The variant.
    pub variant: String,
    /// HPA or ScaledObject.
    pub kind: Kind,
    /// `metadata.name`.
    pub object: String,
    /// The object as written (JSON).
    pub manifest: Value,
    /// Per metric or trigger, in order.
    pub inputs: Vec<Input>,
    /// The containers of the synthetic pods (requests from the Deployment).
    pub containers: Value,
    /// The current replica count.
    pub replicas: Replicas,
    /// Seconds between reconciles.
    pub period: f64,
    /// `controller:` of the case.
    pub controller: Option<Value>,
}

impl LoopPlan {
    /// The sources this loop reads.
    pub fn sources(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .inputs
            .iter()
            .filter_map(|i| i.binding.as_ref().ok().map(|b| b.source.clone()))
            .collect();
        if let Replicas::Reading(b) = &self.replicas {
            out.push(b.source.clone());
        }
        out.sort();
        out.dedup();
        out
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks the configuration and builds the plan. `external` names sources
/// built elsewhere (a test's fake GPU).
pub fn compile(loaded: &Loaded, external: &[ExternalSource]) -> Result<Plan, ConfigError> {
    let config: &Config = &loaded.config;
    let fail = |path: Path, message: String| loaded.locate(ConfigError::at(&path, message), &path);
    let root = Path::root();

    // Sources.
    let mut sources: Vec<SourcePlan> = Vec::new();
    for (i, s) in config.sources.iter().enumerate() {
        let at = root.child("sources").index(i);
        if !valid_name(&s.name) {
            return Err(fail(
                at.child("name"),
                format!(
                    "{:?}: a source name is letters, digits, '-' and '_' (readings are NAME.KEY)",
                    s.name
                ),
            ));
        }
        if sources.iter().any(|o| o.spec.name == s.name)
            || external.iter().any(|e| e.name == s.name)
        {
            return Err(fail(
                at.child("name"),
                format!("source {:?} is named twice", s.name),
            ));
        }
        sources.push(source_plan(s, &at).map_err(|(p, m)| fail(p, m))?);
    }

    // Variants.
    let mut loops: Vec<LoopPlan> = Vec::new();
    let mut warnings = Vec::new();
    let mut names = Vec::new();
    let hpa_sync = config
        .pipeline
        .hpa_sync
        .map(|s| s.0)
        .unwrap_or(DEFAULT_HPA_SYNC);
    if hpa_sync <= 0.0 {
        return Err(fail(
            root.child("pipeline").child("hpaSync"),
            "must be more than 0".into(),
        ));
    }
    for (vi, v) in config.variants.iter().enumerate() {
        let at = root.child("variants").index(vi);
        if !valid_name(&v.name) {
            return Err(fail(
                at.child("name"),
                format!(
                    "{:?}: a variant name is letters, digits, '-' and '_'",
                    v.name
                ),
            ));
        }
        if names.contains(&v.name) {
            return Err(fail(
                at.child("name"),
                format!("variant {:?} is named twice", v.name),
            ));
        }
        names.push(v.name.clone());
        let (text, text_at) = match (&v.manifests, &v.file) {
            (Some(t), None) => (t.clone(), at.child("manifests")),
            (None, Some(f)) => {
                let path = if f.is_absolute() {
                    f.clone()
                } else {
                    loaded.base.join(f)
                };
                let text = read_limited(&path).map_err(|e| fail(at.child("file"), e))?;
                (text, at.child("file"))
            }
            _ => {
                return Err(fail(
                    at.clone(),
                    "give the variant's manifests inline (`manifests: |`) or as `file:`".into(),
                ));
            }
        };
        let docs = parse_documents(&text, &Limits::default()).map_err(|e| {
            let p = e.first();
            let line = p
                .line
                .map(|l| format!(" (line {l} of the manifests)"))
                .unwrap_or_default();
            fail(text_at.clone(), format!("{}{line}: {}", p.path, p.message))
        })?;
        let mut objects = Vec::new();
        for d in &docs {
            if d.root.is_null() {
                continue;
            }
            let value = d.root.to_json().map_err(|e| {
                fail(
                    text_at.clone(),
                    format!(
                        "{} (line {} of the manifests)",
                        e.first().message,
                        d.root.line
                    ),
                )
            })?;
            objects.push((value, d.root.line));
        }
        let autoscalers: Vec<&(Value, u32)> = objects
            .iter()
            .filter(|(o, _)| matches!(kind_of(o), Some("HorizontalPodAutoscaler" | "ScaledObject")))
            .collect();
        if autoscalers.is_empty() {
            return Err(fail(
                text_at.clone(),
                "no HorizontalPodAutoscaler or ScaledObject in these manifests".into(),
            ));
        }
        for (object, line) in autoscalers.iter().map(|x| (&x.0, x.1)) {
            let kind = match kind_of(object) {
                Some("HorizontalPodAutoscaler") => Kind::Hpa,
                _ => Kind::ScaledObject,
            };
            let object_name = object
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let where_ = format!(
                "{} {:?} (line {line} of the manifests)",
                kind.as_str(),
                object_name
            );
            // The engine's own checks, on a case with every reading failing.
            let (inputs, target_name, min_count) = describe(kind, object)
                .map_err(|m| fail(text_at.clone(), format!("{where_}: {m}")))?;
            let probe = probe_case(kind, object, inputs.len(), config.controller.as_ref());
            if let Err(e) = case::from_value(&probe) {
                let p = e.first();
                let path = p
                    .path
                    .trim_start_matches("hpa.")
                    .trim_start_matches("scaledObject.")
                    .to_string();
                let path = if p.path.starts_with("controller") {
                    p.path.clone()
                } else {
                    path
                };
                return Err(fail(
                    if p.path.starts_with("controller") {
                        root.child("controller")
                    } else {
                        text_at.clone()
                    },
                    format!("{where_}: {path}: {}", p.message),
                ));
            }
            let name = if autoscalers.len() == 1 {
                v.name.clone()
            } else {
                format!("{}/{}", v.name, object_name)
            };
            let deployment = objects
                .iter()
                .map(|(o, _)| o)
                .find(|o| {
                    matches!(kind_of(o), Some("Deployment" | "StatefulSet"))
                        && o.pointer("/metadata/name").and_then(Value::as_str)
                            == Some(target_name.as_str())
                })
                .or_else(|| {
                    objects
                        .iter()
                        .map(|(o, _)| o)
                        .find(|o| kind_of(o) == Some("Deployment"))
                });
            let containers = deployment
                .map(pod_containers)
                .unwrap_or_else(|| json!([{"name": "app"}]));
            let mut bound = Vec::new();
            for (ii, (iname, shape, default)) in inputs.into_iter().enumerate() {
                let mapped = v.signals.get(&iname).or_else(|| config.signals.get(&iname));
                let binding = match mapped {
                    Some(sig) => {
                        let sig_at = if v.signals.contains_key(&iname) {
                            at.child("signals").child(&iname)
                        } else {
                            root.child("signals").child(&iname)
                        };
                        Ok(bind(sig, &mut sources, external).map_err(|m| fail(sig_at, m))?)
                    }
                    None => match default {
                        Some(d) => auto_bind(d, &mut sources)
                            .map_err(|m| format!("{m}; or map {iname:?} under `signals:`")),
                        None => Err(format!(
                            "no reading for {iname:?}: map it under `signals:` (SOURCE.KEY)"
                        )),
                    },
                };
                if let Err(why) = &binding {
                    warnings.push(format!(
                        "{name}: {} #{ii} {iname:?}: {why}",
                        if kind == Kind::Hpa {
                            "metric"
                        } else {
                            "trigger"
                        }
                    ));
                }
                bound.push(Input {
                    name: iname,
                    shape,
                    binding,
                });
            }
            let replicas = match &v.replicas {
                None => {
                    let start = deployment
                        .and_then(|d| d.pointer("/spec/replicas"))
                        .and_then(Value::as_i64)
                        .map(|n| n as i32)
                        .unwrap_or(min_count);
                    Replicas::Follow(start.max(0))
                }
                Some(ReplicasSpec::Fixed(n)) if *n >= 0 => Replicas::Fixed(*n),
                Some(ReplicasSpec::Fixed(_)) => {
                    return Err(fail(at.child("replicas"), "must be at least 0".into()));
                }
                Some(ReplicasSpec::From(f)) => match (&f.reading, f.follow) {
                    (Some(r), None) => Replicas::Reading(
                        bind(&SignalSpec::Reading(r.clone()), &mut sources, external)
                            .map_err(|m| fail(at.child("replicas").child("reading"), m))?,
                    ),
                    (None, Some(n)) if n >= 0 => Replicas::Follow(n),
                    (None, Some(_)) => {
                        return Err(fail(
                            at.child("replicas").child("follow"),
                            "must be at least 0".into(),
                        ));
                    }
                    _ => {
                        return Err(fail(
                            at.child("replicas"),
                            "give one of {reading: SOURCE.KEY} or {follow: N}".into(),
                        ));
                    }
                },
            };
            let period = match v.period {
                Some(p) if p.0 > 0.0 => p.0,
                Some(_) => return Err(fail(at.child("period"), "must be more than 0".into())),
                None => match kind {
                    Kind::Hpa => hpa_sync,
                    Kind::ScaledObject => f64::from(
                        read_scaled_object(object, &Path::root())
                            .map(|so| so.polling_interval())
                            .unwrap_or(30)
                            .max(1),
                    ),
                },
            };
            loops.push(LoopPlan {
                name,
                variant: v.name.clone(),
                kind,
                object: object_name,
                manifest: (*object).clone(),
                inputs: bound,
                containers,
                replicas,
                period,
                controller: config.controller.clone(),
            });
        }
    }
    let retention = match config.retention {
        Some(r) if r.0 >= 1.0 => r.0,
        Some(_) => return Err(fail(root.child("retention"), "must be at least 1s".into())),
        None => DEFAULT_RETENTION,
    };
    for (i, s) in sources.iter().enumerate() {
        if s.kind == "rabbitmq" && s.spec.queues.is_empty() {
            warnings.push(format!(
                "source {} (sources[{i}]) reads no queue: list `queues:`",
                s.spec.name
            ));
        }
        if s.kind == "prometheus" && s.spec.queries.is_empty() {
            warnings.push(format!(
                "source {} (sources[{i}]) runs no query: list `queries:`",
                s.spec.name
            ));
        }
    }
    Ok(Plan {
        sources,
        loops,
        retention,
        warnings,
    })
}

fn kind_of(o: &Value) -> Option<&str> {
    o.get("kind").and_then(Value::as_str)
}

fn read_limited(path: &FsPath) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > super::config::MAX_CONFIG_BYTES as u64 {
        return Err(format!(
            "{} is {} bytes; the limit is {}",
            path.display(),
            meta.len(),
            super::config::MAX_CONFIG_BYTES
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn source_plan(s: &SourceSpec, at: &Path) -> Result<SourcePlan, (Path, String)> {
    let kind: &'static str = match s.kind.as_str() {
        "nvml" => "nvml",
        "rabbitmq" => "rabbitmq",
        "prometheus" => "prometheus",
        other => {
            return Err((
                at.child("type"),
                format!("unknown source type {other:?}: nvml, rabbitmq or prometheus"),
            ));
        }
    };
    let not_for = |field: &str, present: bool| -> Result<(), (Path, String)> {
        if present {
            Err((
                at.child(field),
                format!("`{field}` does not apply to a {kind} source"),
            ))
        } else {
            Ok(())
        }
    };
    not_for("url", kind == "nvml" && s.url.is_some())?;
    not_for("libPath", kind != "nvml" && s.lib_path.is_some())?;
    not_for("protocol", kind != "rabbitmq" && s.protocol.is_some())?;
    not_for("vhost", kind != "rabbitmq" && s.vhost.is_some())?;
    not_for("queues", kind != "rabbitmq" && !s.queues.is_empty())?;
    not_for(
        "excludeUnacknowledged",
        kind != "rabbitmq" && s.exclude_unacknowledged,
    )?;
    not_for("queries", kind != "prometheus" && !s.queries.is_empty())?;
    not_for(
        "ignoreNullValues",
        kind != "prometheus" && s.ignore_null_values.is_some(),
    )?;
    let mut protocol = None;
    if kind != "nvml" {
        let url = s
            .url
            .as_deref()
            .ok_or_else(|| (at.clone(), format!("a {kind} source needs `url:`")))?;
        let parsed = super::source::http::Url::parse(url).map_err(|e| (at.child("url"), e))?;
        if kind == "rabbitmq" {
            let p = match s.protocol.as_deref() {
                Some("amqp") => "amqp",
                Some("http") => "http",
                Some("auto") | None => match parsed.scheme.as_str() {
                    "amqp" | "amqps" => "amqp",
                    "http" | "https" => "http",
                    other => {
                        return Err((
                            at.child("url"),
                            format!(
                                "scheme {other:?}: a rabbitmq URL is amqp:// or http:// (management API)"
                            ),
                        ));
                    }
                },
                Some(other) => {
                    return Err((
                        at.child("protocol"),
                        format!("{other:?}: amqp, http or auto"),
                    ));
                }
            };
            protocol = Some(p);
        }
    }
    let default_period = if kind == "prometheus" { 5.0 } else { 1.0 };
    let period = s.period.map(|p| p.0).unwrap_or(default_period);
    if period < 0.05 {
        return Err((at.child("period"), "must be at least 50ms".into()));
    }
    let timeout = s.timeout.map(|p| p.0).unwrap_or(period.clamp(1.0, 5.0));
    if timeout <= 0.0 {
        return Err((at.child("timeout"), "must be more than 0".into()));
    }
    for q in &s.queues {
        if q.is_empty() {
            return Err((at.child("queues"), "a queue name cannot be empty".into()));
        }
    }
    Ok(SourcePlan {
        spec: s.clone(),
        kind,
        period,
        timeout,
        protocol,
    })
}

/// A trigger's default reading.
#[derive(Clone, Debug, PartialEq)]
pub enum AutoReading {
    /// A rabbitmq queue: `(queue, key, wanted protocol)`.
    Queue(String, &'static str, Option<&'static str>),
    /// A Prometheus query.
    Query(String),
}

type Described = (Vec<(String, Shape, Option<AutoReading>)>, String, i32);

/// The autoscaler's inputs (name, shape, default reading), its target's
/// name, and the replica count a fresh target starts from.
fn describe(kind: Kind, object: &Value) -> Result<Described, String> {
    match kind {
        Kind::Hpa => {
            let read = spec::read_hpa(
                object,
                &Path::root(),
                validation::Options {
                    min_replicas_lower_bound: 0,
                },
            )
            .map_err(|e| {
                let p = e.first();
                format!("{}: {}", p.path, p.message)
            })?;
            let s = &read.hpa.spec;
            let inputs = s
                .metrics
                .iter()
                .map(|m| {
                    let (name, shape) = match m.type_.as_str() {
                        "Resource" => (
                            m.resource.as_ref().map(|r| r.name.clone()),
                            Shape::PodValues,
                        ),
                        "ContainerResource" => (
                            m.container_resource.as_ref().map(|r| r.name.clone()),
                            Shape::PodValues,
                        ),
                        "Pods" => (
                            m.pods.as_ref().map(|p| p.metric.name.clone()),
                            Shape::PodValues,
                        ),
                        "Object" => (
                            m.object.as_ref().map(|o| o.metric.name.clone()),
                            Shape::Value,
                        ),
                        _ => (
                            m.external.as_ref().map(|e| e.metric.name.clone()),
                            Shape::Values,
                        ),
                    };
                    (name.unwrap_or_else(|| m.type_.clone()), shape, None)
                })
                .collect();
            Ok((
                inputs,
                s.scale_target_ref.name.clone(),
                s.min_replicas.unwrap_or(1),
            ))
        }
        Kind::ScaledObject => {
            let so: ScaledObject = read_scaled_object(object, &Path::root()).map_err(|e| {
                let p = e.first();
                format!("{}: {}", p.path, p.message)
            })?;
            let inputs = so
                .spec
                .triggers
                .iter()
                .map(|t| {
                    let md = |k: &str| t.metadata.get(k).filter(|v| !v.is_empty()).cloned();
                    match t.type_.as_str() {
                        "cpu" | "memory" => (t.type_.clone(), Shape::PodValues, None),
                        "rabbitmq" => {
                            let queue = md("queueName").unwrap_or_default();
                            let key = if md("mode").as_deref() == Some("MessageRate") {
                                "publish_rate"
                            } else {
                                "messages"
                            };
                            let protocol = match md("protocol").as_deref() {
                                Some("amqp") => Some("amqp"),
                                Some("http") => Some("http"),
                                _ if key == "publish_rate" => Some("http"),
                                _ => None,
                            };
                            (
                                queue.clone(),
                                Shape::Value,
                                Some(AutoReading::Queue(queue, key, protocol)),
                            )
                        }
                        "prometheus" => {
                            let name = md("metricName")
                                .or_else(|| (!t.name.is_empty()).then(|| t.name.clone()))
                                .or_else(|| md("query"))
                                .unwrap_or_else(|| "prometheus".into());
                            (name, Shape::Value, md("query").map(AutoReading::Query))
                        }
                        other => {
                            let name = (!t.name.is_empty())
                                .then(|| t.name.clone())
                                .or_else(|| md("metricName"))
                                .or_else(|| md("queueName"))
                                .or_else(|| {
                                    md("queueURL")
                                        .map(|u| u.rsplit('/').next().unwrap_or("").to_string())
                                })
                                .or_else(|| md("topic"))
                                .unwrap_or_else(|| other.to_string());
                            (name, Shape::Value, None)
                        }
                    }
                })
                .collect();
            let target = so
                .spec
                .scale_target_ref
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_default();
            Ok((inputs, target, so.min_replica_count()))
        }
    }
}

/// A case with every reading failing: the engine's checks of the manifest.
fn probe_case(kind: Kind, object: &Value, inputs: usize, controller: Option<&Value>) -> Value {
    let readings: Vec<Value> = (0..inputs).map(|_| json!({"error": "probe"})).collect();
    let mut c = json!({"now": 0, "target": {"replicas": 1}});
    match kind {
        Kind::Hpa => {
            c["hpa"] = object.clone();
            c["metrics"] = Value::Array(readings);
        }
        Kind::ScaledObject => {
            c["scaledObject"] = object.clone();
            c["triggers"] = Value::Array(readings);
        }
    }
    if let Some(ctl) = controller {
        c["controller"] = ctl.clone();
    }
    c
}

/// The pods' containers: names and requests from the workload's template.
fn pod_containers(workload: &Value) -> Value {
    let spec = workload.pointer("/spec/template/spec");
    let list = |key: &str| {
        spec.and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let containers: Vec<Value> = list("containers")
        .iter()
        .map(|c| {
            json!({
                "name": c.get("name").cloned().unwrap_or(json!("app")),
                "requests": c.pointer("/resources/requests").cloned().unwrap_or(json!({})),
            })
        })
        .collect();
    if containers.is_empty() {
        json!([{"name": "app"}])
    } else {
        Value::Array(containers)
    }
}

fn bind(
    sig: &SignalSpec,
    sources: &mut [SourcePlan],
    external: &[ExternalSource],
) -> Result<Binding, String> {
    let (reference, per_replica, scale) = sig.parts();
    if !scale.is_finite() {
        return Err("scale must be a finite number".into());
    }
    let (source, key) = split_ref(reference)
        .ok_or_else(|| format!("{reference:?}: a reading is SOURCE.KEY (e.g. gpu.utilization)"))?;
    if let Some(s) = sources.iter_mut().find(|s| s.spec.name == source) {
        match s.kind {
            "rabbitmq" => {
                let (queue, field) = key.rsplit_once('.').ok_or_else(|| {
                    format!("{reference:?}: a rabbitmq reading is {source}.QUEUE.FIELD (messages, consumers, ready, unacked, publish_rate)")
                })?;
                let fields: &[&str] = if s.protocol == Some("http") {
                    &["messages", "consumers", "ready", "unacked", "publish_rate"]
                } else {
                    &["messages", "consumers"]
                };
                if !fields.contains(&field) {
                    return Err(format!(
                        "{reference:?}: {source} reads {} over {}",
                        fields.join(", "),
                        s.protocol.unwrap_or("amqp")
                    ));
                }
                if !s.spec.queues.iter().any(|q| q == queue) {
                    s.spec.queues.push(queue.to_string());
                }
            }
            "prometheus" if !s.spec.queries.contains_key(key) => {
                let names: Vec<&String> = s.spec.queries.keys().collect();
                return Err(format!(
                    "{reference:?}: {source} has no query named {key:?} (it has: {names:?})"
                ));
            }
            _ => {}
        }
    } else if !external.iter().any(|e| e.name == source) {
        let mut names: Vec<&str> = sources.iter().map(|s| s.spec.name.as_str()).collect();
        names.extend(external.iter().map(|e| e.name.as_str()));
        return Err(format!(
            "{reference:?}: no source named {source:?} (sources: {names:?})"
        ));
    }
    Ok(Binding {
        reference: reference.to_string(),
        source: source.to_string(),
        key: key.to_string(),
        per_replica,
        scale,
    })
}

fn auto_bind(d: AutoReading, sources: &mut [SourcePlan]) -> Result<Binding, String> {
    match d {
        AutoReading::Queue(queue, field, protocol) => {
            if queue.is_empty() {
                return Err("the rabbitmq trigger has no queueName".into());
            }
            let s = sources
                .iter_mut()
                .filter(|s| s.kind == "rabbitmq")
                .find(|s| protocol.is_none() || s.protocol == protocol)
                .ok_or_else(|| match protocol {
                    Some(p) => format!("no rabbitmq source over {p} to read queue {queue:?}"),
                    None => format!("no rabbitmq source to read queue {queue:?}"),
                })?;
            if !s.spec.queues.contains(&queue) {
                s.spec.queues.push(queue.clone());
            }
            let key = format!("{queue}.{field}");
            Ok(Binding {
                reference: format!("{}.{key}", s.spec.name),
                source: s.spec.name.clone(),
                key,
                per_replica: false,
                scale: 1.0,
            })
        }
        AutoReading::Query(query) => {
            let s = sources
                .iter_mut()
                .find(|s| s.kind == "prometheus")
                .ok_or_else(|| format!("no prometheus source to run {query:?}"))?;
            let key = match s.spec.queries.iter().find(|(_, q)| **q == query) {
                Some((name, _)) => name.clone(),
                None => {
                    s.spec.queries.insert(query.clone(), query.clone());
                    query
                }
            };
            Ok(Binding {
                reference: format!("{}.{key}", s.spec.name),
                source: s.spec.name.clone(),
                key,
                per_replica: false,
                scale: 1.0,
            })
        }
    }
}

/// A loop's memory between reconciles.
#[derive(Clone, Debug, Default)]
pub struct LoopMemory {
    /// The last decision's `history` (with `keda` for a ScaledObject).
    pub history: Option<Value>,
    /// Follow mode: the replica count the last decision wrote.
    pub current: Option<i32>,
}

/// A number as a Kubernetes quantity string (milli precision, as the
/// metrics pipeline and KEDA's `quantityFromFloat64` round).
pub fn quantity(v: f64) -> Option<String> {
    if !v.is_finite() || v.abs() > 9.0e15 {
        return None;
    }
    let milli = (v * 1000.0).round() as i64;
    let (sign, m) = if milli < 0 {
        ("-", -milli)
    } else {
        ("", milli)
    };
    Some(if m % 1000 == 0 {
        format!("{sign}{}", m / 1000)
    } else {
        format!("{sign}{m}m")
    })
}

/// What one reconcile produced.
#[derive(Debug)]
pub struct Reconciled {
    /// The case evaluated (absent when the replica count could not be read).
    pub case: Option<Value>,
    /// The replica count it started from.
    pub current: Option<i32>,
    /// What each input read.
    pub inputs: Vec<InputRecord>,
    /// The decision, or why there is none.
    pub decision: Result<Decision, String>,
}

/// Builds the case this loop's controller sees at `now` from the store.
pub fn build_case(
    plan: &LoopPlan,
    memory: &LoopMemory,
    store: &Store,
    now: f64,
) -> (Result<(Value, i32), String>, Vec<InputRecord>) {
    let current = match &plan.replicas {
        Replicas::Fixed(n) => Ok(*n),
        Replicas::Follow(n) => Ok(memory.current.unwrap_or(*n)),
        Replicas::Reading(b) => store
            .lookup(&b.source, &b.key, now)
            .and_then(|(v, _)| {
                let v = v * b.scale;
                if v.is_finite() && v >= 0.0 && v <= f64::from(i32::MAX) {
                    Ok(v.round() as i32)
                } else {
                    Err(format!("{} read {v}, not a replica count", b.reference))
                }
            })
            .map_err(|e| format!("cannot read the current replica count: {e}")),
    };
    let current = match current {
        Ok(c) => c,
        Err(e) => return (Err(e), Vec::new()),
    };
    let pod_names: Vec<String> = (0..current)
        .map(|i| format!("{}-{i}", plan.variant))
        .collect();
    let mut inputs = Vec::with_capacity(plan.inputs.len());
    let mut readings = Vec::with_capacity(plan.inputs.len());
    for input in &plan.inputs {
        let read = input.binding.clone().and_then(|b| {
            let (v, t) = store.lookup(&b.source, &b.key, now)?;
            let mut v = v * b.scale;
            if b.per_replica {
                v /= f64::from(current.max(1));
            }
            Ok((b.reference, v, t))
        });
        let (record, reading) = match read {
            Ok((from, v, t)) => match quantity(v) {
                Some(q) => {
                    let reading = match input.shape {
                        Shape::Value => json!({"value": q}),
                        Shape::Values => json!({"values": [q], "timestamp": t}),
                        Shape::PodValues => {
                            let pv: serde_json::Map<String, Value> = pod_names
                                .iter()
                                .map(|p| (p.clone(), Value::String(q.clone())))
                                .collect();
                            json!({"podValues": pv, "timestamp": t})
                        }
                    };
                    (
                        InputRecord {
                            name: input.name.clone(),
                            from: Some(from),
                            value: Some(v),
                            error: None,
                        },
                        reading,
                    )
                }
                None => {
                    let e = format!("{from} read {v}, which is not a usable number");
                    (
                        InputRecord {
                            name: input.name.clone(),
                            from: Some(from),
                            value: None,
                            error: Some(e.clone()),
                        },
                        json!({"error": e}),
                    )
                }
            },
            Err(e) => (
                InputRecord {
                    name: input.name.clone(),
                    from: input.binding.as_ref().ok().map(|b| b.reference.clone()),
                    value: None,
                    error: Some(e.clone()),
                },
                json!({"error": e}),
            ),
        };
        inputs.push(record);
        readings.push(reading);
    }
    // Steady pods: running and ready long before now.
    let pods: Vec<Value> = pod_names
        .iter()
        .map(|n| json!({"name": n, "startTime": now - 86_400.0, "containers": plan.containers}))
        .collect();
    let mut c = json!({
        "now": now,
        "target": {"replicas": current},
        "pods": pods,
    });
    match plan.kind {
        Kind::Hpa => {
            c["hpa"] = plan.manifest.clone();
            c["metrics"] = Value::Array(readings);
        }
        Kind::ScaledObject => {
            c["scaledObject"] = plan.manifest.clone();
            c["triggers"] = Value::Array(readings);
        }
    }
    if let Some(h) = &memory.history {
        c["history"] = h.clone();
    }
    if let Some(ctl) = &plan.controller {
        c["controller"] = ctl.clone();
    }
    (Ok((c, current)), inputs)
}

/// Evaluates a case exactly as `replicast eval` does.
pub fn evaluate(case_value: &Value) -> Result<Decision, String> {
    let parsed = case::from_value(case_value).map_err(|e| {
        let p = e.first();
        format!("the engine rejected the case at {}: {}", p.path, p.message)
    })?;
    std::panic::catch_unwind(|| case::evaluate(&parsed))
        .map_err(|_| "internal error: the engine panicked on this case".to_string())
}

/// Runs one reconcile of `plan` at `now`: builds the case from `store`,
/// evaluates it, and advances `memory` (the decision's history; in follow
/// mode, the replica count it wrote).
pub fn reconcile(plan: &LoopPlan, memory: &mut LoopMemory, store: &Store, now: f64) -> Reconciled {
    let (built, inputs) = build_case(plan, memory, store, now);
    let (case_value, current) = match built {
        Ok(x) => x,
        Err(e) => {
            return Reconciled {
                case: None,
                current: None,
                inputs,
                decision: Err(e),
            };
        }
    };
    let decision = evaluate(&case_value);
    if let Ok(d) = &decision {
        memory.history = serde_json::to_value(&d.history).ok();
        if matches!(plan.replicas, Replicas::Follow(_)) {
            memory.current = Some(d.desired_replicas);
        }
    }
    Reconciled {
        case: Some(case_value),
        current: Some(current),
        inputs,
        decision,
    }
}

/// The decision as kept: `eval`'s fields less the history.
pub fn outcome(d: &Decision) -> Outcome {
    Outcome {
        desired_replicas: d.desired_replicas,
        metrics: d.metrics.clone(),
        conditions: d.conditions.clone(),
        explanation: d.explanation.clone(),
        active: d.active,
    }
}

/// The names used in the plan's loops, per source, for messages.
pub fn readings_by_source(plan: &Plan) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in &plan.loops {
        for i in &l.inputs {
            if let Ok(b) = &i.binding {
                out.entry(b.source.clone()).or_default().push(b.key.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::config::parse;

    #[test]
    fn quantities() {
        assert_eq!(quantity(30.0).as_deref(), Some("30"));
        assert_eq!(quantity(0.5).as_deref(), Some("500m"));
        assert_eq!(quantity(-1.25).as_deref(), Some("-1250m"));
        assert_eq!(quantity(70.0004).as_deref(), Some("70"));
        assert_eq!(quantity(f64::NAN), None);
    }

    const SEED: &str = include_str!("../../tests/fixtures/ml-batch-keda.yaml");

    fn loaded(text: &str) -> Loaded {
        parse(
            text,
            "agent.yaml",
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        )
        .unwrap()
    }

    #[test]
    fn the_seed_binds_to_its_queue_and_its_own_query() {
        let l = loaded(
            "sources:\n- {name: rabbit, type: rabbitmq, url: 'amqp://guest:guest@127.0.0.1:5672/%2f'}\n\
             - {name: prom, type: prometheus, url: 'http://127.0.0.1:9090'}\n\
             variants:\n- {name: batch, file: ml-batch-keda.yaml}\n",
        );
        let plan = compile(&l, &[]).unwrap();
        assert_eq!(plan.loops.len(), 1);
        let lp = &plan.loops[0];
        assert_eq!(
            (lp.name.as_str(), lp.kind, lp.period),
            ("batch", Kind::ScaledObject, 15.0)
        );
        assert_eq!(lp.replicas, Replicas::Follow(0));
        assert_eq!(lp.inputs[0].name, "ml-inference-queue");
        assert_eq!(
            lp.inputs[0].binding.as_ref().unwrap().reference,
            "rabbit.ml-inference-queue.messages"
        );
        assert_eq!(lp.inputs[1].name, "gpu_utilization");
        let q = r#"avg(gpu_utilization{job="ml-inference"})"#;
        assert_eq!(lp.inputs[1].binding.as_ref().unwrap().key, q);
        assert_eq!(plan.sources[0].spec.queues, ["ml-inference-queue"]);
        assert_eq!(plan.sources[1].spec.queries[q], q);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert!(SEED.contains("ml-inference-queue"));
    }

    #[test]
    fn problems_name_their_place() {
        let e = compile(
            &loaded("variants:\n- {name: v, manifests: 'kind: Deployment'}\n"),
            &[],
        )
        .unwrap_err();
        assert_eq!(e.path, "variants[0].manifests");
        assert!(
            e.message
                .contains("no HorizontalPodAutoscaler or ScaledObject"),
            "{e}"
        );

        let text = "variants:\n- name: v\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 0\n";
        let e = compile(&loaded(text), &[]).unwrap_err();
        assert!(e.message.contains("HorizontalPodAutoscaler \"h\""), "{e}");
        assert!(e.message.contains("spec.maxReplicas"), "{e}");

        let text = "signals: {cpu: nope.x}\nvariants:\n- name: v\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n";
        let e = compile(&loaded(text), &[]).unwrap_err();
        assert_eq!(e.path, "signals.cpu");
        assert!(e.message.contains("no source named \"nope\""), "{e}");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn an_unmapped_metric_reads_as_an_error_and_is_warned_about() {
        let text = "variants:\n- name: v\n  replicas: 2\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n";
        let plan = compile(&loaded(text), &[]).unwrap();
        assert_eq!(plan.warnings.len(), 1);
        assert!(plan.warnings[0].contains("\"cpu\""), "{:?}", plan.warnings);
        let store = Store::new(0.0, 60.0, "");
        let mut memory = LoopMemory::default();
        let r = reconcile(&plan.loops[0], &mut memory, &store, 1000.0);
        let d = r.decision.unwrap();
        assert_eq!(d.desired_replicas, 2, "no rescale on a failed metric");
        let active = d
            .conditions
            .get(replicast_engine::condition::ConditionType::ScalingActive)
            .unwrap();
        assert_eq!(
            active.status,
            replicast_engine::condition::ConditionStatusText::False
        );
        assert!(
            r.inputs[0]
                .error
                .as_deref()
                .unwrap()
                .contains("map it under `signals:`")
        );
        assert!(memory.history.is_some());
    }
}
