//! Each scaler's metric: its name, its target, its activation threshold and
//! its defaults, as the scaler's metadata parser reads them.
//!
//! Mirrors kedacore/keda `pkg/scalers/*_scaler.go` (`parse*Metadata`,
//! `GetMetricSpecForScaling`, `GetMetricsAndActivity`) for rabbitmq,
//! prometheus, aws-sqs-queue, kafka, cron, cpu, memory and metrics-api, and
//! `scaler.go: GenerateMetricNameWithIndex` / `util.NormalizeString` for the
//! metric names. Any other scaler type is read generically (a `value` or
//! `threshold`-style target and an `activation*` threshold) so that real
//! manifests still evaluate; its reading is what its scaler would report.

use alloc::format;
use alloc::string::{String, ToString};

use super::spec::Trigger;

/// What a trigger contributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaler {
    /// The HPA metric's name (`s0-rabbitmq-orders`), or the resource for cpu/memory.
    pub metric_name: String,
    /// The target the HPA compares with (per pod for AverageValue).
    pub target: f64,
    /// The value a reading must exceed (strictly) to activate.
    pub activation: f64,
    /// `AverageValue`, `Value` or (cpu/memory) `Utilization`.
    pub metric_type: String,
    /// For cpu/memory: the resource and optional container.
    pub resource: Option<(String, Option<String>)>,
    /// Notes (an unknown scaler read generically).
    pub note: Option<String>,
}

fn missing(name: &str) -> String {
    format!("missing required parameter {name:?} in [triggerMetadata]")
}

fn float(t: &Trigger, key: &str) -> Result<Option<f64>, String> {
    match t.metadata.get(key).map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| format!("error parsing {key}: {v:?} is not a number")),
    }
}

fn required(t: &Trigger, key: &str) -> Result<(), String> {
    match t.metadata.get(key) {
        Some(v) if !v.is_empty() => Ok(()),
        _ => Err(missing(key)),
    }
}

/// `util.NormalizeString`.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '/' | '.' | ':' | '%' | '(' | ')' | '"' | ' ') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// `url.QueryEscape` for the characters queue names carry.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads trigger `index`'s scaler.
pub fn describe(t: &Trigger, index: usize) -> Result<Scaler, String> {
    let metric_type = t
        .metric_type
        .clone()
        .unwrap_or_else(|| "AverageValue".to_string());
    let name = |part: &str| normalize(&format!("s{index}-{part}"));
    let scaler = |metric_name: String, target: f64, activation: f64| Scaler {
        metric_name,
        target,
        activation,
        metric_type: metric_type.clone(),
        resource: None,
        note: None,
    };
    match t.type_.as_str() {
        "rabbitmq" => {
            let queue = t.metadata.get("queueName").cloned().unwrap_or_default();
            if queue.is_empty() {
                return Err(missing("queueName"));
            }
            let mode = t.metadata.get("mode").map(String::as_str).unwrap_or("");
            let value = float(t, "value")?;
            let legacy = float(t, "queueLength")?;
            let target = match (mode, value, legacy) {
                ("" | "Unknown", None, None) => 20.0,
                ("" | "Unknown", None, Some(q)) => q,
                (_, Some(v), _) => v,
                ("QueueLength" | "MessageRate", None, _) => {
                    return Err("value must be specified".into());
                }
                (other, ..) => {
                    return Err(format!(
                        "trigger mode {other} must be one of QueueLength, MessageRate"
                    ));
                }
            };
            if target <= 0.0 {
                return Err("value must be greater than 0".into());
            }
            let activation = float(t, "activationValue")?.unwrap_or(0.0);
            Ok(scaler(
                name(&format!("rabbitmq-{}", query_escape(&queue))),
                target,
                activation,
            ))
        }
        "prometheus" => {
            required(t, "serverAddress")?;
            required(t, "query")?;
            let threshold = float(t, "threshold")?.ok_or_else(|| missing("threshold"))?;
            let activation = float(t, "activationThreshold")?.unwrap_or(0.0);
            Ok(scaler(name("prometheus"), threshold, activation))
        }
        "aws-sqs-queue" => {
            let url = t.metadata.get("queueURL").cloned().unwrap_or_default();
            if url.is_empty() {
                return Err(missing("queueURL"));
            }
            let queue = url.rsplit('/').next().unwrap_or(&url).to_string();
            let target = float(t, "queueLength")?.unwrap_or(5.0);
            let activation = float(t, "activationQueueLength")?.unwrap_or(0.0);
            Ok(scaler(
                name(&format!("aws-sqs-{queue}")),
                libm::trunc(target),
                libm::trunc(activation),
            ))
        }
        "kafka" | "apache-kafka" => {
            let lag = float(t, "lagThreshold")?.unwrap_or(10.0);
            if lag <= 0.0 {
                return Err("\"lagThreshold\" must be positive number".into());
            }
            let activation = float(t, "activationLagThreshold")?.unwrap_or(0.0);
            if activation < 0.0 {
                return Err("\"activationLagThreshold\" must be positive number".into());
            }
            let part = match t.metadata.get("topic").filter(|s| !s.is_empty()) {
                Some(topic) => format!("kafka-{topic}"),
                None => format!(
                    "kafka-{}-topics",
                    t.metadata
                        .get("consumerGroup")
                        .map(String::as_str)
                        .unwrap_or("")
                ),
            };
            Ok(scaler(
                name(&part),
                libm::trunc(lag),
                libm::trunc(activation),
            ))
        }
        "cron" => {
            for key in ["timezone", "start", "end", "desiredReplicas"] {
                required(t, key)?;
            }
            if t.metadata.get("start") == t.metadata.get("end") {
                return Err("start and end can not have exactly same time input".into());
            }
            let part = format!(
                "cron-{}-{}-{}",
                t.metadata["timezone"], t.metadata["start"], t.metadata["end"]
            )
            .replace(' ', "")
            .replace('*', "x")
            .replace('/', "Sl")
            .replace('?', "Qm")
            .replace(',', "Cm");
            Ok(scaler(name(&part), 1.0, 0.0))
        }
        "cpu" | "memory" => {
            if t.metadata.contains_key("type") {
                return Err(format!(
                    "scaler {} info: The 'type' setting is DEPRECATED and is removed in v2.18 - Use 'metricType' instead.",
                    t.type_
                ));
            }
            let mt = t.metric_type.clone().unwrap_or_default();
            if mt != "Utilization" && mt != "AverageValue" {
                return Err(format!(
                    "unknown metric type: {mt}, allowed values are 'Utilization' or 'AverageValue'"
                ));
            }
            let value = t.metadata.get("value").cloned().unwrap_or_default();
            if value.is_empty() {
                return Err(missing("value"));
            }
            let target = if mt == "Utilization" {
                value
                    .trim()
                    .parse::<i32>()
                    .map(f64::from)
                    .map_err(|_| format!("error parsing value: {value:?} is not an integer"))?
            } else {
                crate::quantity::Quantity::parse(value.trim())
                    .map_err(|e| e.to_string())?
                    .milli_value() as f64
                    / 1000.0
            };
            let container = t
                .metadata
                .get("containerName")
                .filter(|c| !c.is_empty())
                .cloned();
            Ok(Scaler {
                metric_name: t.type_.clone(),
                target,
                activation: 0.0,
                metric_type: mt,
                resource: Some((t.type_.clone(), container)),
                note: None,
            })
        }
        "metrics-api" => {
            let target = float(t, "targetValue")?.ok_or_else(|| missing("targetValue"))?;
            let activation = float(t, "activationTargetValue")?.unwrap_or(0.0);
            let location = t.metadata.get("valueLocation").cloned().unwrap_or_default();
            Ok(scaler(
                name(&format!("metric-api-{location}")),
                target,
                activation,
            ))
        }
        other => {
            let target_keys = [
                "value",
                "threshold",
                "targetValue",
                "queueLength",
                "lagThreshold",
                "listLength",
                "targetSize",
                "messageCount",
                "desiredReplicas",
            ];
            let target = target_keys.iter().find_map(|k| float(t, k).ok().flatten());
            let activation = t
                .metadata
                .iter()
                .filter(|(k, _)| k.starts_with("activation"))
                .find_map(|(_, v)| v.trim().parse::<f64>().ok())
                .unwrap_or(0.0);
            let mut s = scaler(name(other), target.unwrap_or(1.0), activation);
            s.note = Some(match target {
                Some(_) => format!("{other}: read generically (target from its metadata)"),
                None => format!("{other}: no target in its metadata; replicast assumes 1"),
            });
            Ok(s)
        }
    }
}
