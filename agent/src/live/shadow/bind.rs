//! Binding a metric or trigger to a reading (`SOURCE.KEY`): a mapped signal
//! checked against its source, or a trigger's default reading (its queue,
//! its own query) added to the first source that can read it.

use super::describe::AutoReading;
use super::plan::{Binding, ExternalSource, SourcePlan};
use crate::live::config::SignalSpec;
use crate::live::source::split_ref;

pub(super) fn bind(
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

pub(super) fn auto_bind(d: AutoReading, sources: &mut [SourcePlan]) -> Result<Binding, String> {
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
