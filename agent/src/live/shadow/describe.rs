//! What an autoscaler reads: its inputs (one per metric or trigger, with
//! the shape its reading takes in a case and its default reading), its
//! target, and the engine's own checks of the manifest (a probe case).

use replicast_engine::error::Path;
use replicast_engine::keda::admission::read_scaled_object;
use replicast_engine::keda::spec::ScaledObject;
use replicast_engine::spec::{self, validation};
use serde_json::{Value, json};

use super::plan::{Kind, Shape};

/// A trigger's default reading.
#[derive(Clone, Debug, PartialEq)]
pub enum AutoReading {
    /// A rabbitmq queue: `(queue, key, wanted protocol)`.
    Queue(String, &'static str, Option<&'static str>),
    /// A Prometheus query.
    Query(String),
}

type Described = (Vec<(String, Shape, Option<AutoReading>)>, String, i32, i32);

/// The autoscaler's inputs (name, shape, default reading), its target's
/// name, the replica count a fresh target starts from, and its maximum
/// (`maxReplicas`; KEDA's `GetHPAMaxReplicas`).
pub(super) fn describe(kind: Kind, object: &Value) -> Result<Described, String> {
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
                s.max_replicas,
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
            Ok((
                inputs,
                target,
                so.min_replica_count(),
                so.hpa_max_replicas(),
            ))
        }
    }
}

/// A case with every reading failing: the engine's checks of the manifest.
pub(super) fn probe_case(
    kind: Kind,
    object: &Value,
    inputs: usize,
    controller: Option<&Value>,
) -> Value {
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
pub(super) fn pod_containers(workload: &Value) -> Value {
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
