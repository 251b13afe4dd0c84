//! The plan: what the agent runs, as [`super::compile`] builds it from the
//! configuration: sources, one loop per autoscaler, each input's binding.

use serde_json::Value;

use crate::live::config::SourceSpec;

/// Default `--horizontal-pod-autoscaler-sync-period`.
pub const DEFAULT_HPA_SYNC: f64 = 15.0;
/// Default `replicaLimit`: the most replicas a count read is taken at.
pub const DEFAULT_REPLICA_LIMIT: i32 = 1000;
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

impl SourcePlan {
    /// Its HTTP options: its files, relative to the configuration's folder
    /// as resolved when loaded, and a request timeout a second past the
    /// source's: the agent bounds each poll (and each closed-loop read) and
    /// drops the request at that bound, so a hung server reads `timed out
    /// after …` every time instead of racing the client's own timer.
    pub fn http_options(&self) -> crate::http::HttpOptions {
        crate::http::HttpOptions {
            ca_file: self.spec.ca_file.clone(),
            bearer_token_file: self.spec.bearer_token_file.clone(),
            basic_auth_file: self.spec.basic_auth_file.clone(),
            timeout: Some(std::time::Duration::from_secs_f64(self.timeout + 1.0)),
        }
    }
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
    /// The real workload through kube-state-metrics (closed loop).
    Production(Production),
}

/// Where a closed loop reads production (see [`crate::live::production`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Production {
    /// The prometheus source's name.
    pub source: String,
    /// Its URL.
    pub url: String,
    /// The workload's namespace.
    pub namespace: String,
    /// The Deployment.
    pub deployment: String,
    /// Production's HorizontalPodAutoscaler.
    pub hpa: String,
    /// Metric name -> PromQL with one series per `pod`.
    pub pod_metrics: std::collections::BTreeMap<String, String>,
    /// The source's HTTP options (CA, credentials, timeout).
    pub http: crate::http::HttpOptions,
}

impl Replicas {
    /// In words, for `/api/state`.
    pub fn describe(&self) -> String {
        match self {
            Replicas::Fixed(n) => format!("fixed at {n}"),
            Replicas::Reading(b) => format!("read from {}", b.reference),
            Replicas::Follow(n) => format!("follows its own decisions from {n}"),
            Replicas::Production(p) => format!(
                "production: Deployment {}/{} through kube-state-metrics on {}, beside HPA {}",
                p.namespace, p.deployment, p.source, p.hpa
            ),
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
    /// The most replicas a count read (a reading, production) is taken at:
    /// the autoscaler's maximum, at most the configured `replicaLimit`.
    pub cap: i32,
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
        match &self.replicas {
            Replicas::Reading(b) => out.push(b.source.clone()),
            Replicas::Production(p) => out.push(p.source.clone()),
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }
}
