//! The metric families a source's samples are exported under on `/metrics`
//! (names, help, type), and the table of everything `/metrics` shows; the
//! encoding itself is [`super::scrape`]'s. A leaf: the sources name their
//! families here without reaching the agent's state.
//!
//! GPU gauges carry the names a GPU exporter would use, so the seed's KEDA
//! trigger `avg(gpu_utilization{job="ml-inference"})` works when Prometheus
//! scrapes the agent under the job `ml-inference`. Everything else is
//! prefixed `replicast_`.
//!
//! | metric | labels | what |
//! | --- | --- | --- |
//! | `gpu_utilization` | `gpu`, `uuid`, `model` | percent of time a kernel ran (NVML utilization.gpu) |
//! | `gpu_memory_utilization` | same | percent of time memory was read or written |
//! | `gpu_memory_used_bytes`, `gpu_memory_total_bytes` | same | frame buffer |
//! | `gpu_power_watts` | same | board power draw |
//! | `gpu_temperature_celsius` | same | GPU core temperature |
//! | `gpu_sm_clock_mhz` | same | SM clock |
//! | `gpu_mig_enabled` | same | 1 when MIG mode is on (utilization then covers the whole GPU) |
//! | `replicast_queue_messages` | `source`, `queue` | queue length as KEDA's QueueLength reads it over that protocol |
//! | `replicast_queue_messages_ready`, `replicast_queue_messages_unacknowledged` | same | management API only |
//! | `replicast_queue_consumers` | same | consumers |
//! | `replicast_queue_publish_rate` | same | messages/s published (KEDA's MessageRate; management API only) |
//! | `replicast_query_value` | `source`, `query` | a Prometheus instant query's value |
//! | `replicast_source_up` | `source`, `kind` | 1 when the last poll succeeded |
//! | `replicast_source_last_success_timestamp_seconds` | same | time of the last good poll |
//! | `replicast_source_consecutive_failures` | same | failed polls since the last good one |
//! | `replicast_source_polls_total`, `replicast_source_failures_total` | same | counters |
//! | `replicast_desired_replicas` | `variant`, `kind`, `name` | what the variant's autoscaler decided last |
//! | `replicast_current_replicas` | same | the replica count that decision started from |
//! | `replicast_variant_active` | same | KEDA: 1 when the ScaledObject is active |
//! | `replicast_variant_scaling_active` | same | 1 when the HPA's ScalingActive condition is True |
//! | `replicast_production_desired_replicas` | same | closed loop: production's HPA's desired replicas (kube-state-metrics) |
//! | `replicast_divergence_replicas` | same | closed loop: the variant's desired replicas minus production's |
//! | `replicast_reconciles_total` | same | reconciles run |

/// A metric family: its name, help text and type.
#[derive(Debug, PartialEq, Eq)]
pub struct Family {
    /// The name as exported (counters without `_total`; the encoder adds it).
    pub name: &'static str,
    /// The help text.
    pub help: &'static str,
    /// Gauge or counter.
    pub counter: bool,
    /// Whether the agent adds a `source` label.
    pub source_label: bool,
}

macro_rules! gauge {
    ($id:ident, $name:literal, $help:literal, $source:literal) => {
        #[doc = concat!("`", $name, "`: ", $help)]
        pub static $id: Family = Family {
            name: $name,
            help: $help,
            counter: false,
            source_label: $source,
        };
    };
}

gauge!(
    GPU_UTILIZATION,
    "gpu_utilization",
    "Percent of time over the past sample period during which one or more kernels ran on the GPU (NVML).",
    false
);
gauge!(
    GPU_MEMORY_UTILIZATION,
    "gpu_memory_utilization",
    "Percent of time over the past sample period during which GPU memory was read or written (NVML).",
    false
);
gauge!(
    GPU_MEMORY_USED,
    "gpu_memory_used_bytes",
    "GPU frame buffer memory in use, in bytes (NVML).",
    false
);
gauge!(
    GPU_MEMORY_TOTAL,
    "gpu_memory_total_bytes",
    "GPU frame buffer memory installed, in bytes (NVML).",
    false
);
gauge!(
    GPU_POWER,
    "gpu_power_watts",
    "GPU board power draw, in watts (NVML).",
    false
);
gauge!(
    GPU_TEMPERATURE,
    "gpu_temperature_celsius",
    "GPU core temperature, in degrees Celsius (NVML).",
    false
);
gauge!(
    GPU_SM_CLOCK,
    "gpu_sm_clock_mhz",
    "GPU streaming multiprocessor clock, in MHz (NVML).",
    false
);
gauge!(
    GPU_MIG_ENABLED,
    "gpu_mig_enabled",
    "1 when the GPU is in MIG mode: NVML does not report utilization per MIG instance.",
    false
);
gauge!(
    QUEUE_MESSAGES,
    "replicast_queue_messages",
    "Queue length as KEDA's rabbitmq scaler reads it in QueueLength mode over this source's protocol.",
    true
);
gauge!(
    QUEUE_READY,
    "replicast_queue_messages_ready",
    "Messages ready for delivery (RabbitMQ management API).",
    true
);
gauge!(
    QUEUE_UNACKED,
    "replicast_queue_messages_unacknowledged",
    "Messages delivered but not yet acknowledged (RabbitMQ management API).",
    true
);
gauge!(
    QUEUE_CONSUMERS,
    "replicast_queue_consumers",
    "Consumers of the queue.",
    true
);
gauge!(
    QUEUE_PUBLISH_RATE,
    "replicast_queue_publish_rate",
    "Messages published per second, as KEDA's MessageRate mode reads it (RabbitMQ management API).",
    true
);
gauge!(
    QUERY_VALUE,
    "replicast_query_value",
    "The value of a Prometheus instant query, read as KEDA's prometheus scaler reads it.",
    true
);

/// Every sample family, in the order `/metrics` lists them.
pub static SAMPLE_FAMILIES: [&Family; 14] = [
    &GPU_UTILIZATION,
    &GPU_MEMORY_UTILIZATION,
    &GPU_MEMORY_USED,
    &GPU_MEMORY_TOTAL,
    &GPU_POWER,
    &GPU_TEMPERATURE,
    &GPU_SM_CLOCK,
    &GPU_MIG_ENABLED,
    &QUEUE_MESSAGES,
    &QUEUE_READY,
    &QUEUE_UNACKED,
    &QUEUE_CONSUMERS,
    &QUEUE_PUBLISH_RATE,
    &QUERY_VALUE,
];
