//! The agent's state: every source's health and latest values, the rings of
//! readings and decisions, and the event stream `/api/live` relays.
//!
//! One [`Shared`] lives as long as the server; a config reload replaces its
//! [`Store`] whole, so subscribers of the event stream stay connected.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use replicast_engine::case::MetricDecision;
use replicast_engine::condition::Conditions;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::shadow::{Reconciled, outcome};
use super::source::{Poll, PollResult, Sample};
use super::store::{Ring, Series, capacity_for};

/// Series a source may keep (GPUs × fields, queues × keys, queries).
pub const MAX_SERIES_PER_SOURCE: usize = 1024;
/// Health changes and other notable events kept for `/api/state`.
pub const LOG_CAPACITY: usize = 512;

/// One event of `/api/live`: its SSE event name and JSON data.
#[derive(Clone, Debug)]
pub struct LiveEvent {
    /// `reading`, `decision`, `health`, `config`.
    pub name: &'static str,
    /// The JSON text.
    pub data: String,
}

/// What the server and the agent's tasks share.
#[derive(Debug)]
pub struct Shared {
    store: Mutex<Store>,
    events: broadcast::Sender<Arc<LiveEvent>>,
}

impl Shared {
    /// A shared state holding `store`.
    pub fn new(store: Store) -> Arc<Shared> {
        let (events, _) = broadcast::channel(256);
        Arc::new(Shared {
            store: Mutex::new(store),
            events,
        })
    }

    /// Locks the store (a panicked holder does not poison it for others).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the store (a config reload).
    pub fn replace(&self, store: Store) {
        *self.store() = store;
    }

    /// Sends an event to every `/api/live` subscriber (none: dropped).
    pub fn publish(&self, name: &'static str, data: &impl Serialize) {
        if self.events.receiver_count() == 0 {
            return;
        }
        let data = serde_json::to_string(data)
            .unwrap_or_else(|e| json!({"error": e.to_string()}).to_string());
        let _ = self.events.send(Arc::new(LiveEvent { name, data }));
    }

    /// A receiver of the events sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.events.subscribe()
    }
}

/// Everything the agent knows.
#[derive(Debug)]
pub struct Store {
    /// When the rings' clock starts (Unix seconds).
    pub base: f64,
    /// How far back the rings reach, seconds.
    pub retention: f64,
    /// The configuration file, if any.
    pub config_file: Option<String>,
    /// A sentence on what the agent is doing (`no source is configured ...`).
    pub message: String,
    /// Notes from reading the configuration.
    pub warnings: Vec<String>,
    /// The sources, in configuration order.
    pub sources: Vec<SourceState>,
    /// The variants' autoscalers, in configuration order.
    pub loops: Vec<LoopState>,
    /// Health changes, reloads.
    pub log: Ring<LogEntry>,
}

/// A notable event.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    /// When (Unix seconds).
    pub t: f64,
    /// What happened.
    pub message: String,
}

impl Store {
    /// An empty store: no source configured.
    pub fn new(base: f64, retention: f64, message: impl Into<String>) -> Store {
        Store {
            base,
            retention,
            config_file: None,
            message: message.into(),
            warnings: Vec::new(),
            sources: Vec::new(),
            loops: Vec::new(),
            log: Ring::new(LOG_CAPACITY),
        }
    }

    /// Adds a log entry (and traces it).
    pub fn note(&mut self, t: f64, message: String) {
        self.log.push(LogEntry { t, message });
    }

    /// Whether every source has finished its first poll.
    pub fn ready(&self) -> Result<(), String> {
        let waiting: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.polls == 0)
            .map(|s| s.name.as_str())
            .collect();
        if waiting.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "waiting for the first poll of: {}",
                waiting.join(", ")
            ))
        }
    }

    /// The source named `name`.
    pub fn source(&self, name: &str) -> Option<&SourceState> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The value of `SOURCE.KEY` now, or why there is none: the source
    /// failing, never polled, silent on that key, or stale.
    pub fn lookup(&self, source: &str, key: &str, now: f64) -> Result<(f64, f64), String> {
        let s = self
            .source(source)
            .ok_or_else(|| format!("no source named {source:?}"))?;
        s.lookup(key, now)
    }

    /// Records a poll's outcome for source `index` and returns the event to publish.
    pub fn record_poll(&mut self, index: usize, t: f64, took: f64, result: PollResult) -> Value {
        let base = self.base;
        let retention = self.retention;
        let Some(s) = self.sources.get_mut(index) else {
            return Value::Null;
        };
        let was_healthy = s.polls == 0 || s.healthy();
        s.polls += 1;
        s.last_poll = Some(t);
        s.last_took = took;
        let note = match result {
            Ok(poll) => {
                let note = (!was_healthy).then(|| {
                    format!(
                        "source {} recovered after {} failed poll{}",
                        s.name,
                        s.consecutive_failures,
                        if s.consecutive_failures == 1 { "" } else { "s" }
                    )
                });
                s.consecutive_failures = 0;
                s.error = None;
                s.last_success = Some(t);
                s.latest_time = Some(t);
                let capacity = capacity_for(retention, s.period);
                for sample in &poll.samples {
                    if !s.series.contains_key(&sample.key)
                        && s.series.len() >= MAX_SERIES_PER_SOURCE
                    {
                        continue;
                    }
                    s.series
                        .entry(sample.key.clone())
                        .or_insert_with(|| Series::new(base, capacity))
                        .push(t, sample.value);
                }
                let Poll {
                    samples,
                    key_errors,
                    notes,
                } = poll;
                s.latest = samples;
                s.key_errors = key_errors;
                if s.notes != notes {
                    for n in notes.iter().filter(|n| !s.notes.contains(n)) {
                        tracing::warn!("source {}: {n}", s.name);
                    }
                    s.notes = notes;
                }
                note
            }
            Err(e) => {
                s.consecutive_failures = s.consecutive_failures.saturating_add(1);
                s.failures_total += 1;
                let changed = s.error.as_deref() != Some(e.as_str());
                if s.consecutive_failures == 1 {
                    s.failing_since = Some(t);
                }
                s.error = Some(e.clone());
                changed.then(|| format!("source {} failing: {e}", s.name))
            }
        };
        let event = s.event();
        if let Some(message) = note {
            tracing::warn!("{message}");
            self.note(t, message);
        }
        event
    }
}

/// One source's health and values.
#[derive(Debug)]
pub struct SourceState {
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: &'static str,
    /// Seconds between polls.
    pub period: f64,
    /// Seconds a poll may take.
    pub timeout: f64,
    /// Polls so far.
    pub polls: u64,
    /// Failed polls so far.
    pub failures_total: u64,
    /// Failed polls since the last good one.
    pub consecutive_failures: u32,
    /// The last poll's end.
    pub last_poll: Option<f64>,
    /// How long the last poll took, seconds.
    pub last_took: f64,
    /// The last good poll.
    pub last_success: Option<f64>,
    /// The first failure of the current run of failures.
    pub failing_since: Option<f64>,
    /// Why the last poll failed.
    pub error: Option<String>,
    /// The last good poll's values.
    pub latest: Vec<Sample>,
    /// When `latest` was read.
    pub latest_time: Option<f64>,
    /// Keys the last good poll could not read.
    pub key_errors: Vec<(String, String)>,
    /// Remarks from the last good poll.
    pub notes: Vec<String>,
    /// Every key's ring of points.
    pub series: BTreeMap<String, Series>,
}

impl SourceState {
    /// A source not yet polled.
    pub fn new(name: String, kind: &'static str, period: f64, timeout: f64) -> SourceState {
        SourceState {
            name,
            kind,
            period,
            timeout,
            polls: 0,
            failures_total: 0,
            consecutive_failures: 0,
            last_poll: None,
            last_took: 0.0,
            last_success: None,
            failing_since: None,
            error: None,
            latest: Vec::new(),
            latest_time: None,
            key_errors: Vec::new(),
            notes: Vec::new(),
            series: BTreeMap::new(),
        }
    }

    /// Whether the last poll succeeded.
    pub fn healthy(&self) -> bool {
        self.polls > 0 && self.error.is_none()
    }

    /// `ok`, `failing` or `pending`.
    pub fn health(&self) -> &'static str {
        if self.polls == 0 {
            "pending"
        } else if self.error.is_none() {
            "ok"
        } else {
            "failing"
        }
    }

    /// The value of `key` and when it was read, or why there is none.
    pub fn lookup(&self, key: &str, now: f64) -> Result<(f64, f64), String> {
        let name = &self.name;
        if self.polls == 0 {
            return Err(format!("no reading from {name} yet"));
        }
        if let Some(e) = &self.error {
            let since = self.failing_since.unwrap_or(now);
            let last = match self.last_success {
                Some(t) => format!("last good reading {:.0}s ago", (now - t).max(0.0)),
                None => "no good reading yet".to_string(),
            };
            return Err(format!(
                "{name} failing for {:.0}s ({last}): {e}",
                (now - since).max(0.0)
            ));
        }
        if let Some((_, e)) = self.key_errors.iter().find(|(k, _)| k == key) {
            return Err(format!("{name}: {e}"));
        }
        let t = self.latest_time.unwrap_or(now);
        let stale_after = 3.0 * self.period + self.timeout + 1.0;
        if now - t > stale_after {
            return Err(format!(
                "{name}.{key} is stale: read {:.0}s ago (polled every {}s)",
                now - t,
                self.period
            ));
        }
        match self.latest.iter().find(|s| s.key == key) {
            Some(s) => Ok((s.value, t)),
            None => {
                let mut keys: Vec<&str> = self.latest.iter().map(|s| s.key.as_str()).collect();
                keys.truncate(12);
                Err(format!(
                    "{name} has no {key:?} (it reads: {})",
                    if keys.is_empty() {
                        "nothing".to_string()
                    } else {
                        keys.join(", ")
                    }
                ))
            }
        }
    }

    /// The state as `/api/live`'s `reading` event and `/api/state` show it.
    pub fn event(&self) -> Value {
        let values: serde_json::Map<String, Value> = self
            .latest
            .iter()
            .map(|s| (s.key.clone(), finite(s.value)))
            .collect();
        let key_errors: serde_json::Map<String, Value> = self
            .key_errors
            .iter()
            .map(|(k, e)| (k.clone(), Value::String(e.clone())))
            .collect();
        json!({
            "source": self.name,
            "kind": self.kind,
            "health": self.health(),
            "error": self.error,
            "t": self.last_poll,
            "took": (self.last_took * 1000.0).round() / 1000.0,
            "lastSuccess": self.last_success,
            "failingSince": if self.error.is_some() { self.failing_since } else { None },
            "consecutiveFailures": self.consecutive_failures,
            "polls": self.polls,
            "failures": self.failures_total,
            "period": self.period,
            "timeout": self.timeout,
            "stale": self.error.is_some(),
            "values": values,
            "valuesAt": self.latest_time,
            "keyErrors": key_errors,
            "notes": self.notes,
        })
    }
}

fn finite(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// One variant autoscaler's loop.
#[derive(Debug)]
pub struct LoopState {
    /// The `variant` label: the variant's name, or `variant/object` when the
    /// variant holds several autoscalers.
    pub name: String,
    /// The variant.
    pub variant: String,
    /// `HorizontalPodAutoscaler` or `ScaledObject`.
    pub kind: &'static str,
    /// The object's `metadata.name`.
    pub object: String,
    /// Seconds between reconciles.
    pub period: f64,
    /// Where the current replica count comes from, in words.
    pub replicas: String,
    /// Reconciles so far.
    pub reconciles: u64,
    /// The decisions, oldest first.
    pub decisions: Ring<DecisionRecord>,
    /// The last reconcile's evaluation case (shared spec `eval-case.md`):
    /// `replicast eval` on it gives the same decision.
    pub last_case: Option<Value>,
}

/// One reconcile as kept and streamed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRecord {
    /// The loop.
    pub variant: String,
    /// When (Unix seconds; the case's `now`).
    pub t: f64,
    /// The replica count it started from.
    pub current: Option<i32>,
    /// What each metric or trigger read.
    pub inputs: Vec<InputRecord>,
    /// The decision, as `eval` prints it (without the history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Outcome>,
    /// Why no decision could be made (the replica count could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A closed loop: production's desired replicas at the same instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production: Option<i32>,
    /// A closed loop: why production's decision could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub production_error: Option<String>,
    /// Shadow minus production desired replicas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divergence: Option<i32>,
    /// Where the two differ, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// What was capped or could not be read exactly.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl DecisionRecord {
    /// The record of one reconcile of loop `variant` at `t`.
    pub fn new(variant: &str, t: f64, done: Reconciled) -> DecisionRecord {
        let decision = done.decision.as_ref().ok().map(outcome);
        let (production, production_error) = match done.production {
            Some(Ok(n)) => (Some(n), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        let divergence = decision
            .as_ref()
            .zip(production)
            .map(|(d, p)| d.desired_replicas - p);
        let difference = match (&decision, production, divergence) {
            (Some(d), Some(p), Some(n)) if n != 0 => Some(format!(
                "shadow {} vs production {p} ({n:+}): the shadow {}",
                d.desired_replicas,
                lowercase_first(&d.explanation)
            )),
            _ => None,
        };
        DecisionRecord {
            variant: variant.to_string(),
            t,
            current: done.current,
            inputs: done.inputs,
            decision,
            error: done.decision.err(),
            production,
            production_error,
            divergence,
            difference,
            notes: done.notes,
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A decision's fields as `eval` prints them, less the history.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The replica count after this reconcile.
    pub desired_replicas: i32,
    /// Per metric or trigger.
    pub metrics: Vec<MetricDecision>,
    /// The status conditions.
    pub conditions: Conditions,
    /// One line for humans.
    pub explanation: String,
    /// KEDA: whether the ScaledObject is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// What one metric or trigger read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputRecord {
    /// The metric's name in the manifest (a trigger's queue or metric name).
    pub name: String,
    /// The reading it maps to (`SOURCE.KEY`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value passed to the engine (after `scale` and `perReplica`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why the reading is an error for the engine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::source::Sample;

    fn store_with_source() -> Store {
        let mut store = Store::new(1000.0, 3600.0, "test");
        store
            .sources
            .push(SourceState::new("q".into(), "rabbitmq", 1.0, 1.0));
        store
    }

    #[test]
    fn failing_sources_read_as_errors_and_recover() {
        let mut store = store_with_source();
        assert!(
            store
                .lookup("q", "jobs.messages", 1000.0)
                .unwrap_err()
                .contains("no reading")
        );
        assert!(store.ready().is_err());
        let good = Poll {
            samples: vec![Sample::plain("jobs.messages", 7.0)],
            ..Poll::default()
        };
        store.record_poll(0, 1001.0, 0.01, Ok(good.clone()));
        assert!(store.ready().is_ok());
        assert_eq!(
            store.lookup("q", "jobs.messages", 1001.5),
            Ok((7.0, 1001.0))
        );
        assert!(
            store
                .lookup("q", "other", 1001.5)
                .unwrap_err()
                .contains("has no \"other\"")
        );

        store.record_poll(0, 1002.0, 1.0, Err("connection refused".into()));
        store.record_poll(0, 1003.0, 1.0, Err("connection refused".into()));
        let e = store.lookup("q", "jobs.messages", 1003.0).unwrap_err();
        assert!(e.contains("failing for 1s"), "{e}");
        assert!(e.contains("last good reading 2s ago"), "{e}");
        assert!(e.ends_with("connection refused"), "{e}");
        assert_eq!(store.sources[0].consecutive_failures, 2);
        assert_eq!(store.log.len(), 1, "one note per change, not per poll");

        store.record_poll(0, 1004.0, 0.01, Ok(good));
        assert_eq!(
            store.lookup("q", "jobs.messages", 1004.0),
            Ok((7.0, 1004.0))
        );
        assert_eq!(store.log.len(), 2);
        assert!(
            store
                .log
                .last()
                .unwrap()
                .message
                .contains("recovered after 2 failed polls")
        );
        // Stale: no poll for far longer than the period.
        assert!(
            store
                .lookup("q", "jobs.messages", 1100.0)
                .unwrap_err()
                .contains("stale")
        );
        assert_eq!(store.sources[0].series["jobs.messages"].len(), 2);
    }
}
