//! The agent's configuration file (YAML): which sources to poll, which
//! manifests to shadow-evaluate (variants, like a scenario's), how the
//! metrics named in those manifests map to readings (`signals:`, as in a
//! scenario), and where each variant's current replica count comes from.
//!
//! ```yaml
//! sources:
//!   - name: gpu
//!     type: nvml                 # libnvidia-ml.so.1, per GPU
//!     period: 1s
//!   - name: rabbit
//!     type: rabbitmq             # KEDA's two ways: amqp (passive queue declare) or http (management API)
//!     url: amqp://guest:guest@127.0.0.1:5672/%2f
//!     queues: [ml-inference-queue]
//!   - name: prom
//!     type: prometheus           # instant queries over the HTTP API
//!     url: http://127.0.0.1:9090
//!     queries: {gpu: 'avg(gpu_utilization{job="ml-inference"})'}
//! variants:
//!   - name: keda-batch
//!     file: ml-batch-keda.yaml   # or `manifests: |` inline; relative to this file
//!     replicas: {follow: 1}      # a number (fixed), {reading: SOURCE.KEY}, or {follow: N}
//! signals:                       # metric name -> SOURCE.KEY (or {reading, perReplica, scale})
//!   inference_queue_depth: {reading: rabbit.ml-inference-queue.messages, perReplica: true}
//! pipeline: {hpaSync: 15s}
//! retention: 24h
//! ```
//!
//! Every problem is reported with its path and line (`variants[0].replicas
//! (line 12, column 5): ...`); nothing starts until the whole file is valid.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path as FsPath, PathBuf};

use replicast_engine::error::{Path, Segment};
use replicast_engine::yaml::{Limits, parse_single};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A number of seconds, read from a number (`15`, `0.5`) or a string with a
/// unit (`500ms`, `15s`, `5m`, `2h`, `1d`).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
pub struct Secs(pub f64);

impl Secs {
    /// As a [`std::time::Duration`].
    pub fn duration(self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.0.max(0.0))
    }
}

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 1.0 {
            write!(f, "{}ms", (self.0 * 1000.0).round())
        } else {
            write!(f, "{}s", self.0)
        }
    }
}

/// Parses a duration as scenarios write them (`500ms`, `15s`, `5m`,
/// `1h30m`, `1d`, or a bare number of seconds): the engine's one reader,
/// [`replicast_engine::time::parse_duration`].
pub fn parse_secs(text: &str) -> Result<f64, String> {
    match replicast_engine::time::parse_duration(text) {
        Some(secs) if secs >= 0.0 => Ok(secs),
        _ => Err(format!(
            "{text:?} is not a duration (e.g. 500ms, 15s, 5m, 1h30m, 1d)"
        )),
    }
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => {
                let v = n.as_f64().unwrap_or(-1.0);
                if v.is_finite() && v >= 0.0 {
                    Ok(Secs(v))
                } else {
                    Err(de::Error::custom("a duration must be at least 0"))
                }
            }
            Value::String(s) => parse_secs(&s).map(Secs).map_err(de::Error::custom),
            other => Err(de::Error::custom(format_args!(
                "a duration is a number of seconds or a string like 15s, not {other}"
            ))),
        }
    }
}

/// The whole file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// What to poll.
    #[serde(default)]
    pub sources: Vec<SourceSpec>,
    /// The manifests to shadow-evaluate.
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
    /// Metric name -> reading, for every variant (a variant's own win).
    #[serde(default)]
    pub signals: BTreeMap<String, SignalSpec>,
    /// Loop periods.
    #[serde(default)]
    pub pipeline: Pipeline,
    /// kube-controller-manager flags, as an evaluation case's `controller:`.
    #[serde(default)]
    pub controller: Option<Value>,
    /// How far back the ring buffers reach (default 24h).
    #[serde(default)]
    pub retention: Option<Secs>,
    /// The most replicas a count read from a source or from production is
    /// taken at (default 1000); the variant's maxReplicas caps it too.
    #[serde(default)]
    pub replica_limit: Option<i32>,
}

/// Loop periods shared by the variants.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pipeline {
    /// `--horizontal-pod-autoscaler-sync-period` (default 15s).
    #[serde(default)]
    pub hpa_sync: Option<Secs>,
}

/// One source, as written. Which fields apply depends on `type`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceSpec {
    /// Unique name; readings are `NAME.KEY`.
    pub name: String,
    /// `nvml`, `rabbitmq` or `prometheus`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Time between polls (default 1s; prometheus 5s).
    #[serde(default)]
    pub period: Option<Secs>,
    /// A poll that takes longer fails (default: the period, at most 5s, at least 1s).
    #[serde(default)]
    pub timeout: Option<Secs>,
    /// rabbitmq: `amqp://user:pass@host:5672/vhost` or `http://user:pass@host:15672/vhost`;
    /// prometheus: `http://host:9090`.
    #[serde(default)]
    pub url: Option<String>,
    /// rabbitmq: `amqp` or `http` (default: from the URL's scheme).
    #[serde(default)]
    pub protocol: Option<String>,
    /// rabbitmq over http: the vhost (default: the URL's path, else `/`).
    #[serde(default)]
    pub vhost: Option<String>,
    /// rabbitmq: queues to read (the variants' rabbitmq triggers add theirs).
    #[serde(default)]
    pub queues: Vec<String>,
    /// rabbitmq over http: count only ready messages (KEDA's `excludeUnacknowledged`).
    #[serde(default)]
    pub exclude_unacknowledged: bool,
    /// prometheus: name -> PromQL (the variants' prometheus triggers add theirs).
    #[serde(default)]
    pub queries: BTreeMap<String, String>,
    /// prometheus: an empty result reads 0 (KEDA's `ignoreNullValues`, default true).
    #[serde(default)]
    pub ignore_null_values: Option<bool>,
    /// prometheus, rabbitmq: trust only this PEM file's CAs for https/amqps.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// prometheus, rabbitmq over http: send this file's token as `Authorization: Bearer`.
    #[serde(default)]
    pub bearer_token_file: Option<PathBuf>,
    /// prometheus, rabbitmq: basic auth, `user:password` read from this file.
    #[serde(default)]
    pub basic_auth_file: Option<PathBuf>,
    /// nvml: the library to load (default `libnvidia-ml.so.1`).
    #[serde(default)]
    pub lib_path: Option<String>,
}

/// One variant: a set of manifests evaluated side by side with the others.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VariantSpec {
    /// Unique name (the `variant` label).
    pub name: String,
    /// Multi-document YAML, as `kubectl apply -f` takes it.
    #[serde(default)]
    pub manifests: Option<String>,
    /// Or a file holding it (relative to the config file).
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// Where the current replica count comes from.
    #[serde(default)]
    pub replicas: Option<ReplicasSpec>,
    /// Loop period: the HPA sync period, or for a ScaledObject its `pollingInterval`.
    #[serde(default)]
    pub period: Option<Secs>,
    /// This variant's own signal mapping (over the global one).
    #[serde(default)]
    pub signals: BTreeMap<String, SignalSpec>,
}

/// Where a variant's current replica count comes from.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum ReplicasSpec {
    /// A fixed count.
    Fixed(i32),
    /// `{reading: SOURCE.KEY}` or `{follow: N}`.
    From(ReplicasFrom),
}

/// See [`ReplicasSpec`].
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicasFrom {
    /// A reading (e.g. a Prometheus query of `kube_deployment_spec_replicas`).
    #[serde(default)]
    pub reading: Option<String>,
    /// Start at N, then take each decision as applied (the variant's own trajectory).
    #[serde(default)]
    pub follow: Option<i32>,
    /// The real workload, as kube-state-metrics reports it through
    /// Prometheus: its replicas and pods, and production's own decision.
    #[serde(default)]
    pub production: Option<ProductionSpec>,
}

/// A closed loop with production (`replicas: {production: ...}`): the
/// variant evaluates the inputs the real controller saw.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductionSpec {
    /// The prometheus source (its name) that scrapes kube-state-metrics.
    pub prometheus: String,
    /// The workload's namespace.
    pub namespace: String,
    /// The Deployment (default: the autoscaler's `scaleTargetRef.name`).
    #[serde(default)]
    pub deployment: Option<String>,
    /// Production's HorizontalPodAutoscaler, whose desired replicas are read
    /// beside the shadow's (default: an HPA variant's own name; a
    /// ScaledObject's `keda-hpa-NAME`, the HPA KEDA creates).
    #[serde(default)]
    pub hpa: Option<String>,
    /// Per-pod metrics: a metric's name -> a PromQL query whose series carry
    /// the `pod` label (one value per pod, as the metrics API serves them).
    #[serde(default)]
    pub pod_metrics: BTreeMap<String, String>,
}

/// What a metric name reads.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum SignalSpec {
    /// `SOURCE.KEY`.
    Reading(String),
    /// With options.
    Full(SignalFull),
}

/// See [`SignalSpec`].
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignalFull {
    /// `SOURCE.KEY`.
    pub reading: String,
    /// Divide by the current replica count (a per-pod value from a total).
    #[serde(default)]
    pub per_replica: bool,
    /// Multiply by this (e.g. 0.01 for a percent as a fraction).
    #[serde(default)]
    pub scale: Option<f64>,
}

impl SignalSpec {
    /// `(reading, per_replica, scale)`.
    pub fn parts(&self) -> (&str, bool, f64) {
        match self {
            SignalSpec::Reading(r) => (r, false, 1.0),
            SignalSpec::Full(f) => (&f.reading, f.per_replica, f.scale.unwrap_or(1.0)),
        }
    }
}

/// A problem with the configuration, located when it came from text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfigError {
    /// The file (or `<config>`).
    pub file: String,
    /// Where: `variants[0].replicas`.
    pub path: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl ConfigError {
    /// An error at `path` (not yet located).
    pub fn at(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: String::new(),
            path: path.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.is_empty() {
            "<config>"
        } else {
            &self.file
        };
        write!(f, "{file}")?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        f.write_str(": ")?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A configuration read from text, with a locator for later checks.
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// The folder relative paths are read from.
    pub base: PathBuf,
    /// The file's name, for messages.
    pub file: String,
    /// The text, to locate problems found after parsing.
    text: String,
}

impl fmt::Debug for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("config", &self.config)
            .field("base", &self.base)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Loaded {
    /// Locates `error` in the file it came from (the text is parsed again:
    /// this only runs on the way to reporting a problem).
    pub fn locate(&self, mut error: ConfigError, path: &Path) -> ConfigError {
        if error.line.is_none() {
            let limits = Limits {
                max_bytes: MAX_CONFIG_BYTES,
                ..Limits::default()
            };
            if let Ok(node) = parse_single(&self.text, &limits) {
                let (l, c) = node.locate(path);
                error.line = Some(l);
                error.column = Some(c);
            }
        }
        if error.file.is_empty() {
            error.file = self.file.clone();
        }
        error
    }
}

/// The largest configuration file read (manifests included).
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// Reads a configuration file.
pub fn load_file(path: &FsPath) -> Result<Loaded, ConfigError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: file.clone(),
        path: String::new(),
        line: None,
        column: None,
        message: format!("cannot read it: {e}"),
    })?;
    let base = path
        .parent()
        .map(FsPath::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(&text, &file, base)
}

/// Reads a configuration from YAML (or JSON) text.
pub fn parse(text: &str, file: &str, base: PathBuf) -> Result<Loaded, ConfigError> {
    let limits = Limits {
        max_bytes: MAX_CONFIG_BYTES,
        ..Limits::default()
    };
    let engine_error = |e: replicast_engine::Error| {
        let p = e.first();
        ConfigError {
            file: file.to_string(),
            path: p.path.clone(),
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        }
    };
    let text = if text.trim().is_empty() { "{}" } else { text };
    let node = parse_single(text, &limits).map_err(engine_error)?;
    let value = if node.is_null() {
        Value::Object(Default::default())
    } else {
        node.to_json().map_err(engine_error)?
    };
    let config: Config = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = engine_path(e.path());
        let (line, column) = node.locate(&path);
        ConfigError {
            file: file.to_string(),
            path: path.to_string(),
            line: Some(line),
            column: Some(column),
            message: untagged_hint(&path, e.into_inner().to_string()),
        }
    })?;
    Ok(Loaded {
        config,
        base,
        file: file.to_string(),
        text: text.to_string(),
    })
}

/// serde's message for an untagged enum says nothing useful: say what fits.
fn untagged_hint(path: &Path, message: String) -> String {
    if !message.starts_with("data did not match any variant") {
        return message;
    }
    let last = path.0.iter().rev().find_map(|s| match s {
        Segment::Key(k) => Some(k.as_str()),
        Segment::Index(_) => None,
    });
    match (path.0.first(), last) {
        (_, Some("replicas")) => {
            "replicas is a number (fixed), {reading: SOURCE.KEY} or {follow: N}".into()
        }
        (Some(Segment::Key(k)), _) if k == "signals" => {
            "a signal is SOURCE.KEY or {reading: SOURCE.KEY, perReplica: true|false, scale: N}"
                .into()
        }
        _ if path
            .0
            .iter()
            .any(|s| matches!(s, Segment::Key(k) if k == "signals")) =>
        {
            "a signal is SOURCE.KEY or {reading: SOURCE.KEY, perReplica: true|false, scale: N}"
                .into()
        }
        _ => message,
    }
}

fn engine_path(p: &serde_path_to_error::Path) -> Path {
    let mut out = Path::root();
    for seg in p.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => out.0.push(Segment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => out.0.push(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { variant } => {
                out.0.push(Segment::Key(variant.clone()))
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_secs("500ms").unwrap(), 0.5);
        assert_eq!(parse_secs("15s").unwrap(), 15.0);
        assert_eq!(parse_secs("5m").unwrap(), 300.0);
        assert_eq!(parse_secs("2h").unwrap(), 7200.0);
        assert_eq!(parse_secs("1d").unwrap(), 86400.0);
        assert_eq!(parse_secs("3").unwrap(), 3.0);
        assert_eq!(parse_secs("1h30m").unwrap(), 5400.0);
        assert!(parse_secs("3 weeks").is_err());
        assert!(parse_secs("-1s").is_err());
    }

    #[test]
    fn errors_are_located() {
        let text = "sources:\n  - name: a\n    type: nvml\n    period: soon\n";
        let e = parse(text, "agent.yaml", ".".into()).unwrap_err();
        assert_eq!(e.path, "sources[0].period");
        assert_eq!((e.line, e.column), (Some(4), Some(5)));
        assert!(
            e.to_string()
                .starts_with("agent.yaml:4:5: sources[0].period: ")
        );

        let e = parse("sourcs: []\n", "a.yaml", ".".into()).unwrap_err();
        assert!(e.message.contains("unknown field `sourcs`"), "{e}");

        let text = "variants:\n  - name: v\n    replicas: {sometimes: 2}\n";
        let e = parse(text, "a.yaml", ".".into()).unwrap_err();
        assert_eq!(e.path, "variants[0].replicas");
        assert!(e.message.contains("{follow: N}"), "{e}");
    }

    #[test]
    fn an_empty_file_is_an_empty_config() {
        let loaded = parse("", "a.yaml", ".".into()).unwrap();
        assert!(loaded.config.sources.is_empty() && loaded.config.variants.is_empty());
    }
}
