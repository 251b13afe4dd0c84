//! Inferring what a metric reads in the simulation when the scenario's
//! `signals:` does not say (shared spec `scenario.md`, `signals:`), from
//! what the manifest itself says: the KEDA trigger's type, the metric's
//! name or the trigger's query, and the target's type.
//!
//! Nothing here is hidden: every inference is an [`Assumption`] in the
//! variant's result (`assumptions: [{path, line, column, metric, signal,
//! reason}]`), shown by the CLI and the playground, and refused under
//! `--strict` ([`Assumption::to_notice`]). A metric nothing can be inferred
//! for stays an error, listing the likeliest signals first ([`likely`]).
//!
//! # The table
//! A KEDA trigger's type decides first: a broker or backlog scaler
//! ([`QUEUE_TRIGGERS`]: rabbitmq in `QueueLength` mode, aws-sqs-queue,
//! kafka's lag, redis lists and streams, azure-servicebus, gcp-pubsub, ...)
//! reads the queue; rabbitmq in `MessageRate` mode reads the arrival rate.
//! Otherwise the metric's name (an HPA metric's `metric.name`; a trigger's
//! `metricName`, `query`, `valueLocation`) is cut into words (at
//! punctuation and camelCase: `vllm:num_requests_waiting` → `vllm`, `num`,
//! `requests`, `waiting`; label matchers `{...}` and ranges `[...]` of a
//! query are left out) and the first row of [`PATTERNS`] with a word in it
//! decides:
//!
//! | signal | words |
//! | --- | --- |
//! | `gpu` | `gpu`, `dcgm`, `nvml` (DCGM's `DCGM_FI_DEV_GPU_UTIL`, NVML exporters, vLLM/Triton/TGI's GPU gauges) |
//! | `latency` | `latency`, `ttft`, `tpot`, `itl`, `duration`, `p50`, `p90`, `p95`, `p99`, `quantile`; a query's `histogram_quantile(` |
//! | `queue` | `queue`, `queued`, `waiting`, `backlog`, `lag`, `pending`, `depth`, `undelivered`, `messages`, `tasks`, `jobs`, `list` |
//! | `inflight` | `running`, `inflight`, `flight`, `concurrency`, `concurrent`, `active`, `ongoing` |
//! | `arrivalRate` | `rps`, `qps`, `throughput`, `per` + `second`; a query's `rate(`, `irate(`, `increase(` |
//!
//! A queue is counted per replica for a Pods metric (each pod reports its
//! share: `queuePerReplica`), and as the total otherwise: an Object or
//! External metric with an `AverageValue` target is a total the HPA divides
//! by the replicas itself, one with a `Value` target a total compared as it
//! is, and a KEDA scaler reports the total for either `metricType`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::Value;

use super::scenario::Signal;
use crate::error::Path;
use crate::notice::{Notice, NoticeKind};

/// A signal (or the default load) the simulator inferred rather than read
/// from the scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumption {
    /// Where the inference comes from (`manifests[0].spec.metrics[0].pods.metric.name`,
    /// `load`).
    pub path: String,
    /// 1-based line in the scenario text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the scenario text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The metric as `signals:` names it (empty for the default load).
    pub metric: String,
    /// The signal assumed (`queuePerReplica`), or for the default load its
    /// segments as scenario YAML (`[{constant: 5}, ...]`).
    pub signal: String,
    /// Why: `assumed from the name (waiting)`.
    pub reason: String,
    #[serde(skip)]
    pub(crate) at: Path,
}

impl Assumption {
    /// An assumption at `at`, not yet located.
    pub fn new(at: Path, metric: &str, signal: &str, reason: impl Into<String>) -> Assumption {
        Assumption {
            path: at.to_string(),
            line: None,
            column: None,
            metric: metric.to_string(),
            signal: signal.to_string(),
            reason: reason.into(),
            at,
        }
    }

    /// The structured path.
    pub fn at(&self) -> &Path {
        &self.at
    }

    /// One line for humans: `gpu_utilization_percent ← gpu · assumed from the name (gpu)`.
    pub fn message(&self) -> String {
        if self.metric.is_empty() {
            format!("{} ← {} · {}", self.path, self.signal, self.reason)
        } else {
            format!("{} ← {} · {}", self.metric, self.signal, self.reason)
        }
    }

    /// The located warning `--strict` refuses (kind `assumption`).
    pub fn to_notice(&self) -> Notice {
        let mut n = Notice::new(NoticeKind::Assumption, self.at.clone(), self.message());
        n.line = self.line;
        n.column = self.column;
        n
    }
}

/// What an inference found: the signal and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Inference {
    /// The signal.
    pub signal: Signal,
    /// Why, for the assumption's `reason`.
    pub reason: String,
    /// The field the inference read (below the metric or trigger).
    pub field: &'static [&'static str],
}

/// The kinds of signal the table tells apart (a queue becomes `queue` or
/// `queuePerReplica` by how the metric is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Gpu,
    Latency,
    Queue,
    Inflight,
    ArrivalRate,
}

/// One row of the name table.
struct Pattern {
    class: Class,
    words: &'static [&'static str],
    /// Query functions that decide alone (`histogram_quantile(`).
    calls: &'static [&'static str],
}

/// The name table, first match wins (see the module docs).
const PATTERNS: [Pattern; 5] = [
    Pattern {
        class: Class::Gpu,
        words: &["gpu", "dcgm", "nvml"],
        calls: &[],
    },
    Pattern {
        class: Class::Latency,
        words: &[
            "latency", "ttft", "tpot", "itl", "duration", "p50", "p90", "p95", "p99", "quantile",
        ],
        calls: &["histogram_quantile("],
    },
    Pattern {
        class: Class::Queue,
        words: &[
            "queue",
            "queued",
            "queues",
            "waiting",
            "backlog",
            "lag",
            "pending",
            "depth",
            "undelivered",
            "messages",
            "tasks",
            "jobs",
            "list",
        ],
        calls: &[],
    },
    Pattern {
        class: Class::Inflight,
        words: &[
            "running",
            "inflight",
            "flight",
            "concurrency",
            "concurrent",
            "active",
            "ongoing",
        ],
        calls: &[],
    },
    Pattern {
        class: Class::ArrivalRate,
        words: &["rps", "qps", "throughput"],
        calls: &["rate(", "irate(", "increase("],
    },
];

/// KEDA trigger types whose value is a queue's length (a broker's messages,
/// a consumer group's lag, a list's length, queued jobs).
pub const QUEUE_TRIGGERS: [&str; 27] = [
    "activemq",
    "apache-kafka",
    "artemis-queue",
    "aws-sqs-queue",
    "azure-eventhub",
    "azure-pipelines",
    "azure-queue",
    "azure-servicebus",
    "beanstalkd",
    "gcp-cloudtasks",
    "gcp-pubsub",
    "github-runner",
    "ibmmq",
    "kafka",
    "nats-jetstream",
    "nsq",
    "pulsar",
    "rabbitmq",
    "redis",
    "redis-cluster",
    "redis-cluster-streams",
    "redis-sentinel",
    "redis-sentinel-streams",
    "redis-streams",
    "solace-event-queue",
    "stan",
    "temporal",
];

/// How an autoscaler reads a metric, which decides a queue's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Per pod: an HPA Pods metric.
    PerPod,
    /// One value: an Object or External metric (`target.type` given), or a
    /// KEDA scaler.
    Total(&'static str),
}

impl Class {
    fn signal(self, read: Read) -> Signal {
        match (self, read) {
            (Class::Gpu, _) => Signal::Gpu,
            (Class::Latency, _) => Signal::Latency,
            (Class::Queue, Read::PerPod) => Signal::QueuePerReplica,
            (Class::Queue, Read::Total(_)) => Signal::Queue,
            (Class::Inflight, _) => Signal::Inflight,
            (Class::ArrivalRate, _) => Signal::ArrivalRate,
        }
    }
}

/// Why a queue reads per replica or in total, for the reason's tail.
fn queue_form(read: Read) -> String {
    match read {
        Read::PerPod => "; per replica: a Pods metric is each pod's share".to_string(),
        Read::Total("") => "; the total: a KEDA scaler reports the whole queue".to_string(),
        Read::Total("Value") => "; the total: a Value target compares it as it is".to_string(),
        Read::Total(_) => {
            "; the total: with an AverageValue target the HPA divides it by the replicas"
                .to_string()
        }
    }
}

/// The words of a name or query: cut at punctuation and camelCase,
/// lowercase; a query's label matchers `{...}` and ranges `[...]` left out.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut prev_lower = false;
    for c in text.chars() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(core::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(core::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The first row of the table that a text matches, and the word or call
/// that matched.
fn classify(text: &str) -> Option<(Class, String)> {
    let ws = words(text);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.to_ascii_lowercase();
    for p in &PATTERNS {
        if let Some(call) = p.calls.iter().find(|c| compact.contains(*c)) {
            return Some((p.class, (*call).to_string()));
        }
        if let Some(w) = ws.iter().find(|w| p.words.contains(&w.as_str())) {
            return Some((p.class, w.clone()));
        }
        if p.class == Class::ArrivalRate
            && ws.iter().any(|w| w == "per")
            && ws.iter().any(|w| w == "second" || w == "sec")
        {
            return Some((p.class, "per second".to_string()));
        }
    }
    None
}

/// An HPA Pods, Object or External metric's signal, from its name and its
/// target's type (`Value`, `AverageValue`).
pub fn hpa_metric(metric_type: &str, name: &str, target_type: &str) -> Option<Inference> {
    let read = match metric_type {
        "Pods" => Read::PerPod,
        _ if target_type == "Value" => Read::Total("Value"),
        _ => Read::Total("AverageValue"),
    };
    let (class, word) = classify(name)?;
    let mut reason = format!("assumed from the name (`{word}`)");
    if class == Class::Queue {
        reason.push_str(&queue_form(read));
    }
    Some(Inference {
        signal: class.signal(read),
        reason,
        field: &["metric", "name"],
    })
}

/// A KEDA trigger's signal: from its type, else from its `metricName`,
/// `query` or `valueLocation` (an `external` scaler's metadata keys too).
pub fn trigger(t: &Value) -> Option<Inference> {
    let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
    let md = |k: &str| {
        t.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    if ty == "rabbitmq" && md("mode") == Some("MessageRate") {
        return Some(Inference {
            signal: Signal::ArrivalRate,
            reason: "assumed from the trigger (rabbitmq, mode MessageRate: the publish rate)"
                .to_string(),
            field: &["metadata", "mode"],
        });
    }
    if QUEUE_TRIGGERS.contains(&ty) {
        return Some(Inference {
            signal: Signal::Queue,
            reason: format!(
                "assumed from the trigger type ({ty}: the queue's length){}",
                queue_form(Read::Total(""))
            ),
            field: &["type"],
        });
    }
    const NAMED: [(&str, &[&str]); 4] = [
        ("metricName", &["metadata", "metricName"]),
        ("query", &["metadata", "query"]),
        ("valueLocation", &["metadata", "valueLocation"]),
        ("name", &["name"]),
    ];
    for (key, field) in NAMED {
        let text = if key == "name" {
            t.get("name").and_then(Value::as_str)
        } else {
            md(key)
        };
        let Some(text) = text else { continue };
        if let Some((class, word)) = classify(text) {
            let from = if key == "query" { "query" } else { "name" };
            let mut reason = format!("assumed from the {from} (`{word}`)");
            if class == Class::Queue {
                reason.push_str(&queue_form(Read::Total("")));
            }
            return Some(Inference {
                signal: class.signal(Read::Total("")),
                reason,
                field,
            });
        }
    }
    if matches!(ty, "external" | "external-push") {
        let keys: Vec<&str> = t
            .get("metadata")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for k in keys {
            if let Some((Class::Queue, word)) = classify(k) {
                return Some(Inference {
                    signal: Signal::Queue,
                    reason: format!(
                        "assumed from the external scaler's `{k}` (`{word}`){}",
                        queue_form(Read::Total(""))
                    ),
                    field: &["metadata"],
                });
            }
        }
    }
    None
}

/// The signals a metric most likely reads when nothing could be inferred,
/// likeliest first: per-pod readings for a Pods metric, totals otherwise.
pub fn likely(per_pod: bool) -> [Signal; 10] {
    use Signal::*;
    if per_pod {
        [
            QueuePerReplica,
            Inflight,
            Latency,
            Gpu,
            ArrivalRate,
            Cpu,
            Memory,
            Queue,
            Replicas,
            ReadyReplicas,
        ]
    } else {
        [
            Queue,
            ArrivalRate,
            Latency,
            Inflight,
            Gpu,
            QueuePerReplica,
            Cpu,
            Memory,
            Replicas,
            ReadyReplicas,
        ]
    }
}

/// The error text for a metric nothing names and nothing can be inferred
/// for: `{what} `{name}` reads no signal ...`, likeliest signals first.
pub fn unmapped(what: &str, name: &str, per_pod: bool) -> String {
    let list = likely(per_pod);
    format!(
        "{what} `{name}` reads no signal, and nothing in its name tells which: map it in \
         `signals:` to one of {} (likeliest first; e.g. `signals: {{{name}: {}}}`)",
        list.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "),
        list[0].name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hpa(kind: &str, name: &str, target: &str) -> Option<Signal> {
        hpa_metric(kind, name, target).map(|i| i.signal)
    }

    #[test]
    fn names_are_cut_into_words() {
        assert_eq!(
            words("prometheus.googleapis.com|vllm:num_requests_waiting|gauge"),
            [
                "prometheus",
                "googleapis",
                "com",
                "vllm",
                "num",
                "requests",
                "waiting",
                "gauge"
            ]
        );
        assert_eq!(words("queueLength"), ["queue", "length"]);
        assert_eq!(
            words(r#"sum(rate(http_requests_total{deployment="gpu-app"}[2m]))"#),
            ["sum", "rate", "http", "requests", "total"]
        );
    }

    #[test]
    fn the_table_decides_by_name() {
        assert_eq!(
            hpa("Pods", "DCGM_FI_DEV_GPU_UTIL", "AverageValue"),
            Some(Signal::Gpu)
        );
        assert_eq!(
            hpa("Pods", "gpu_utilization_percent", "AverageValue"),
            Some(Signal::Gpu)
        );
        assert_eq!(
            hpa("External", "nv_gpu_utilization", "Value"),
            Some(Signal::Gpu)
        );
        assert_eq!(
            hpa("Pods", "vllm:num_requests_waiting", "AverageValue"),
            Some(Signal::QueuePerReplica)
        );
        assert_eq!(
            hpa("Object", "vllm_num_requests_waiting", "Value"),
            Some(Signal::Queue)
        );
        assert_eq!(
            hpa("External", "dynamo_queued_requests", "AverageValue"),
            Some(Signal::Queue)
        );
        assert_eq!(
            hpa("Pods", "vllm_num_requests_running", "AverageValue"),
            Some(Signal::Inflight)
        );
        assert_eq!(
            hpa("External", "dynamo_ttft_p95_seconds", "Value"),
            Some(Signal::Latency)
        );
        assert_eq!(
            hpa("Pods", "requests_per_second", "AverageValue"),
            Some(Signal::ArrivalRate)
        );
        assert_eq!(
            hpa("Pods", "http_rps", "AverageValue"),
            Some(Signal::ArrivalRate)
        );
        assert_eq!(hpa("Pods", "foo", "AverageValue"), None);
        // A word, not a substring: `flag` is not `lag`.
        assert_eq!(hpa("External", "feature_flags", "Value"), None);
    }

    #[test]
    fn queries_decide_by_their_calls_and_names() {
        let t = json!({"type": "prometheus", "metadata": {
            "query": "histogram_quantile(0.95, sum(rate(ttft_bucket[5m])) by (le))"}});
        assert_eq!(trigger(&t).unwrap().signal, Signal::Latency);
        let t = json!({"type": "prometheus", "metadata": {
            "query": "sum(rate(http_requests_total{deployment=\"my-gpu\"}[2m]))"}});
        let i = trigger(&t).unwrap();
        assert_eq!(i.signal, Signal::ArrivalRate);
        assert_eq!(i.field, ["metadata", "query"]);
        assert!(i.reason.contains("query"), "{}", i.reason);
    }

    #[test]
    fn trigger_types_decide_first() {
        for ty in [
            "rabbitmq",
            "aws-sqs-queue",
            "kafka",
            "redis",
            "redis-streams",
            "gcp-pubsub",
        ] {
            let i = trigger(&json!({"type": ty, "metadata": {"metricName": "gpu"}})).unwrap();
            assert_eq!(i.signal, Signal::Queue, "{ty}");
            assert!(i.reason.contains(ty), "{}", i.reason);
        }
        let t = json!({"type": "rabbitmq", "metadata": {"mode": "MessageRate"}});
        assert_eq!(trigger(&t).unwrap().signal, Signal::ArrivalRate);
        let t = json!({"type": "external", "metadata": {"scalerAddress": "x:1", "listName": "l"}});
        assert_eq!(trigger(&t).unwrap().signal, Signal::Queue);
        assert_eq!(
            trigger(&json!({"type": "external", "metadata": {"a": "b"}})),
            None
        );
    }

    #[test]
    fn unmapped_lists_the_likeliest_first() {
        let m = unmapped("pods metric", "foo", true);
        assert!(m.contains("one of queuePerReplica, inflight"), "{m}");
        let m = unmapped("external metric", "foo", false);
        assert!(m.contains("one of queue, arrivalRate"), "{m}");
    }

    #[test]
    fn assumptions_become_assumption_notices() {
        let mut a = Assumption::new(
            Path::root().child("manifests").index(0),
            "q",
            "queue",
            "assumed from the name (queue)",
        );
        a.line = Some(3);
        let n = a.to_notice();
        assert_eq!(n.kind, NoticeKind::Assumption);
        assert_eq!(n.path, "manifests[0]");
        assert_eq!(n.line, Some(3));
        assert_eq!(n.message, "q ← queue · assumed from the name (queue)");
    }
}
