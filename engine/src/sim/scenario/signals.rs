//! The `signals:` mapping: which simulated quantity feeds which metric name.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};

use super::{Signal, builtin_list, err};

pub(super) fn read_signals(v: &Value, at: &Path) -> Result<BTreeMap<String, Signal>, Error> {
    let Some(m) = v.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`signals` maps metric names to built-in signals (e.g. `inference_queue_depth: queuePerReplica`)",
        ));
    };
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let s = v.as_str().and_then(Signal::from_name).ok_or_else(|| {
            err(
                ErrorKind::Invalid,
                at.child(k),
                format!(
                    "unknown signal {v}: the built-in signals are {}",
                    builtin_list()
                ),
            )
        })?;
        out.insert(k.clone(), s);
    }
    Ok(out)
}

pub(super) fn unmapped(kind: &str, name: &str) -> String {
    format!(
        "{kind} `{name}` reads no signal: map it in `signals:` to one of {} \
         (e.g. `signals: {{{name}: queuePerReplica}}`)",
        builtin_list()
    )
}

/// How a KEDA trigger is named in `signals:`: its queue or metric name.
pub fn trigger_signal_name(t: &Value) -> Option<String> {
    let md = |k: &str| {
        t.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
    let name = match ty {
        "rabbitmq" => md("queueName"),
        "aws-sqs-queue" => {
            md("queueURL").map(|u| u.trim_end_matches('/').rsplit('/').next().unwrap_or(u))
        }
        "kafka" | "apache-kafka" => md("topic").or(md("consumerGroup")),
        "redis" | "redis-cluster" | "redis-sentinel" => md("listName"),
        "redis-streams" | "redis-cluster-streams" | "redis-sentinel-streams" => md("stream"),
        "azure-servicebus" => md("queueName").or(md("topicName")),
        "gcp-pubsub" => md("subscriptionName").or(md("topicName")),
        "cpu" | "memory" => Some(ty),
        _ => md("metricName").or(md("queueName")),
    };
    name.or_else(|| t.get("name").and_then(Value::as_str))
        .map(ToOwned::to_owned)
}
