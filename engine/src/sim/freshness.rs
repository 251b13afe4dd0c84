//! How fresh each KEDA trigger's reading is when its scaler is called.
//!
//! KEDA calls a trigger's scaler at every operator poll
//! (`pkg/scaling/scale_handler.go`: `checkScalers` → `getScaledObjectState`)
//! and again at every HPA sync, when the HPA asks KEDA's metrics adapter
//! (`GetScaledObjectMetrics` → `GetMetricsAndActivityForScaler`), unless the
//! trigger sets `useCachedMetrics`: then the adapter answers from the record
//! the last poll stored (`scaledObjectsMetricCache.ReadRecord`). What a call
//! returns depends on the scaler's source:
//!
//! | trigger | reads | default lag |
//! | --- | --- | --- |
//! | `prometheus` | a PromQL query: Prometheus' scrape and rule delays (`pipeline.prometheus`) | — |
//! | `rabbitmq`, AMQP | a passive queue declare at call time (`rabbitmq_scaler.go`: `getQueueStatus`, `QueueDeclarePassive`): live | 0 s |
//! | `rabbitmq`, HTTP | the management API's queue object, refreshed every `collect_statistics_interval` (RabbitMQ's default 5000 ms) | 5 s |
//! | `aws-sqs-queue` | `GetQueueAttributes` at call time (`aws_sqs_queue_scaler.go`: `getAwsSqsQueueLength`); the counts are approximate (eventually consistent) | 0 s |
//! | `kafka` | broker and consumer-group offsets at call time (`kafka_scaler.go`: `getTotalLag`) | 0 s |
//! | any other | its source at call time | 0 s (a warning says so) |
//!
//! `pipeline.scalers.<type>.lag` replaces the default for every trigger of
//! that type.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::keda::spec::Trigger;
use crate::time::Duration;

/// Where a trigger's reading comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Reads {
    /// Prometheus: its scrape interval and lag (`pipeline.prometheus`).
    Prometheus,
    /// The source itself, as it was `lag` before the call.
    Live(Duration),
}

/// One trigger's timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Timing {
    /// Where the scaler reads.
    pub reads: Reads,
    /// `useCachedMetrics`: the HPA is served the last poll's reading.
    pub cached: bool,
}

/// Why `pipeline.scalers.<ty>` cannot be set, if it cannot.
pub(crate) fn not_a_scaler_setting(ty: &str) -> Option<&'static str> {
    match ty {
        "prometheus" => Some(
            "a prometheus trigger reads Prometheus: its delays are `pipeline.prometheus` \
             (scrape, lag)",
        ),
        "cpu" | "memory" => Some(
            "cpu and memory triggers read metrics-server: its delays are \
             `pipeline.metricsServer` (resolution, window)",
        ),
        _ => None,
    }
}

/// The RabbitMQ statistics interval (`collect_statistics_interval`, 5000 ms
/// by default): how stale the management API's queue counts can be.
const RABBITMQ_STATISTICS: Duration = Duration::from_secs(5);

/// Which protocol a rabbitmq trigger uses (`rabbitmq_scaler.go`: `protocol`
/// `auto` follows the host URL's scheme: `amqp`/`amqps` or `http`/`https`).
/// `None`: `auto` with the host out of sight (an authentication reference or
/// an environment variable).
fn rabbitmq_http(t: &Trigger) -> Option<bool> {
    match t.metadata.get("protocol").map(String::as_str) {
        Some("http") => Some(true),
        Some("amqp") => Some(false),
        _ => {
            let host = t.metadata.get("host")?;
            let scheme = host.split_once("://")?.0.to_ascii_lowercase();
            match scheme.as_str() {
                "http" | "https" => Some(true),
                "amqp" | "amqps" => Some(false),
                _ => None,
            }
        }
    }
}

/// The timing of trigger `i`; a default that is not certain is said in
/// `warnings`.
pub(crate) fn timing(
    t: &Trigger,
    i: usize,
    scalers: &BTreeMap<String, Duration>,
    warnings: &mut Vec<String>,
) -> Timing {
    let cached = t.use_cached_metrics;
    if t.type_ == "prometheus" {
        return Timing {
            reads: Reads::Prometheus,
            cached,
        };
    }
    let set = scalers.get(&t.type_).copied();
    let lag = match (set, t.type_.as_str()) {
        (Some(lag), _) => lag,
        (None, "rabbitmq") => match rabbitmq_http(t) {
            Some(true) => RABBITMQ_STATISTICS,
            Some(false) => Duration::from_secs(0),
            None => {
                warnings.push(format!(
                    "trigger {i} (rabbitmq): protocol auto with the host out of sight \
                     (an authentication reference or an environment variable): read as AMQP, \
                     live at each call; set `protocol` or `pipeline.scalers.rabbitmq.lag` \
                     (the management API is {}s stale at most)",
                    RABBITMQ_STATISTICS.as_secs_f64()
                ));
                Duration::from_secs(0)
            }
        },
        (None, "aws-sqs-queue" | "kafka" | "cpu" | "memory" | "cron") => Duration::from_secs(0),
        (None, ty) => {
            warnings.push(format!(
                "trigger {i} ({ty}): read live at each call; set `pipeline.scalers.{ty}.lag` \
                 if its source reports late"
            ));
            Duration::from_secs(0)
        }
    };
    Timing {
        reads: Reads::Live(lag),
        cached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn trigger(ty: &str, meta: &[(&str, &str)]) -> Trigger {
        let mut t: Trigger = serde_json::from_value(serde_json::json!({"type": ty})).unwrap();
        for (k, v) in meta {
            t.metadata.insert(k.to_string(), v.to_string());
        }
        t
    }

    fn lag(t: &Trigger, scalers: &BTreeMap<String, Duration>) -> (Reads, usize) {
        let mut w = Vec::new();
        (timing(t, 0, scalers, &mut w).reads, w.len())
    }

    #[test]
    fn each_source_as_late_as_it_is() {
        let none = BTreeMap::new();
        let live = |s| Reads::Live(Duration::from_secs(s));
        assert_eq!(
            lag(&trigger("prometheus", &[]), &none),
            (Reads::Prometheus, 0)
        );
        assert_eq!(
            lag(&trigger("rabbitmq", &[("protocol", "amqp")]), &none),
            (live(0), 0)
        );
        assert_eq!(
            lag(
                &trigger("rabbitmq", &[("host", "https://mq:15672/vh")]),
                &none
            ),
            (live(5), 0)
        );
        assert_eq!(
            lag(&trigger("rabbitmq", &[("host", "amqp://mq:5672")]), &none),
            (live(0), 0)
        );
        // The host behind an authentication reference: said, not guessed silently.
        assert_eq!(lag(&trigger("rabbitmq", &[]), &none), (live(0), 1));
        assert_eq!(lag(&trigger("kafka", &[]), &none), (live(0), 0));
        assert_eq!(lag(&trigger("redis", &[]), &none), (live(0), 1));
        let set = BTreeMap::from([(String::from("rabbitmq"), Duration::from_secs(7))]);
        assert_eq!(lag(&trigger("rabbitmq", &[]), &set), (live(7), 0));
    }

    #[test]
    fn cached_metrics_follow_the_trigger() {
        let mut t = trigger("kafka", &[]);
        t.use_cached_metrics = true;
        assert!(timing(&t, 0, &BTreeMap::new(), &mut Vec::new()).cached);
    }
}
