//! The presets: the repository's `examples/` scenarios (built on the seed
//! manifests of the shared examples), each with what it teaches.

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Its file name without `.yaml` (also its id in links: `#p=...`).
    pub id: &'static str,
    /// The button's label.
    pub label: &'static str,
    /// What the autoscaler is.
    pub kind: &'static str,
    /// What it teaches, in a few sentences.
    pub note: &'static str,
    /// Where to look.
    pub look: &'static str,
    /// Where the cursor starts (seconds): a moment worth reading.
    pub at: f64,
    /// The scenario.
    pub text: &'static str,
}

/// Every preset, the default first.
pub const PRESETS: [Preset; 6] = [
    Preset {
        id: "inference-ramp-spike",
        label: "GPU inference",
        kind: "HPA · cpu, memory, queue depth",
        note: "CPU alone lags for GPU inference; queue depth leads. The HPA watches cpu 70 %, \
               memory 80 % and requests waiting per pod (target 10) through a ramp and a \
               burst. A new replica loads its model for a minute and passes its readiness \
               probe only after 90 s, so capacity arrives well after the decision: the gap \
               between desired (dashed) and ready (solid). After the burst, the 300 s \
               scale-down window holds replicas (replica-hours paid, cold starts saved if the \
               load returns), and memory, which barely falls with load, keeps more replicas \
               than before. Variant gpu-nodes also waits 4 minutes for each GPU node.",
        look: "In the metrics chart, queue depth shoots far past its target while cpu hovers \
               near 1×. Scrub into the burst at 4:00 and read each decision; compare dropped \
               work between the variants.",
        at: 4.0 * 3600.0 + 120.0,
        text: include_str!("../../examples/inference-ramp-spike.yaml"),
    },
    Preset {
        id: "batch-keda-idle",
        label: "Batch from zero",
        kind: "KEDA · RabbitMQ + Prometheus",
        note: "KEDA scales a GPU batch processor from zero on RabbitMQ queue length (5 per \
               replica, activation 1) and GPU utilization (70). Each burst of jobs wakes it: \
               KEDA activates the first replica, then the HPA it owns scales out, at most \
               doubling (or adding 4) each reconcile while the queue grows. When the queue is \
               empty, the cooldown (300 s) holds the replicas before KEDA returns to zero.",
        look: "Scrub past the end of a burst: the queue is gone but replicas stay until the \
               cooldown ends. Compare time over the SLO with the cold start (75 s).",
        at: 3600.0 + 20.0 * 60.0,
        text: include_str!("../../examples/batch-keda-idle.yaml"),
    },
    Preset {
        id: "training-sqs-cooldowns",
        label: "Training cooldown",
        kind: "KEDA · AWS SQS, to zero",
        note: "What cooldown does on the way to zero. Training workers scale 0..5 on an SQS \
               queue (2 jobs per worker, activation 1, polled every 30 s). The same bursts of \
               jobs meet a 600 s cooldown (as written) and a 120 s one. The shorter cooldown \
               returns to zero sooner after each burst and pays for fewer idle workers; a \
               burst that comes back within the cooldown would find warm workers instead of \
               a two-minute cold start.",
        look: "Compare replica-hours, cost and time over the SLO in the summary; scrub past \
               a burst to see each variant's last worker go.",
        at: 15.0 * 60.0 + 300.0,
        text: include_str!("../../examples/training-sqs-cooldowns.yaml"),
    },
    Preset {
        id: "hybrid-paused",
        label: "Misplaced pause",
        kind: "HPA + KEDA · pause annotation",
        note: "The KEDA pause annotation sits on the Deployment, where KEDA never reads it: \
               nothing is paused (the engine flags it). As written, the HPA on \
               requests_per_second (100 per replica) follows a daily cycle. The second variant \
               adds the ScaledObject the annotation was meant to pause: the HPA and KEDA's own \
               HPA now fight over one Deployment, rewriting its replicas every reconcile.",
        look: "Compare the scale events and replica-hours of the two variants: the row of \
               ticks under the first chart is the fight, one tick per rewrite.",
        at: 9.0 * 3600.0 + 600.0,
        text: include_str!("../../examples/hybrid-paused.yaml"),
    },
    Preset {
        id: "knative-model-server",
        label: "Model server on Knative",
        kind: "Knative KPA · concurrency, to zero",
        note: "Knative's own autoscaler (KPA) scales a model server, one request at a time per \
               pod at 70 % target, on the concurrency it sees every second. Idle, the revision \
               goes to zero. A burst's first requests wait at the activator while pods cold-start; \
               the 6 s panic window sees the burst at once and the KPA scales up in panic mode, \
               never down while it panics. After the burst the 60 s stable window empties, the \
               revision goes inactive and scales to zero after the 30 s grace period.",
        look: "Scrub to 3:02 for the panic scale-up from zero, and past 14:00 for the way back to \
               zero; read each decision's windows and bounds.",
        at: 182.0,
        text: include_str!("../../examples/knative-model-server.yaml"),
    },
    Preset {
        id: "batch-scaledjob",
        label: "Batch jobs from a queue",
        kind: "KEDA ScaledJob · RabbitMQ",
        note: "A KEDA ScaledJob runs one Kubernetes Job per RabbitMQ message, no Deployment \
               and no HPA: every 10 s it polls the queue and creates Jobs for the messages no \
               Job holds yet (strategy accurate), at most 20 at once. Each Job's pod \
               cold-starts (52 s) before it takes its message, then works on it for 2 minutes \
               and finishes. Replicas here are running Jobs; ready ones are working.",
        look: "Scrub into the second burst at 40:00: the queue outgrows the 20 Jobs, pending \
               Jobs wait out their cold start, and the backlog drains only as Jobs finish.",
        at: 40.0 * 60.0 + 120.0,
        text: include_str!("../../examples/batch-scaledjob.yaml"),
    },
];

/// The preset with this id.
pub fn by_id(id: &str) -> Option<usize> {
    PRESETS.iter().position(|p| p.id == id)
}

/// A starting scenario around pasted manifests: a GPU inference service's
/// load and workload (the guide's advice: models take 30–120 s to load,
/// queue depth is the signal to watch).
pub fn wrap_manifests(manifests: &str, rest: &str) -> String {
    let mut out = crate::text_blocks::literal("manifests: ", manifests, 2);
    out.push('\n');
    if rest.trim().is_empty() {
        out.push_str(GPU_DEFAULTS);
    } else {
        out.push_str(rest);
    }
    out
}

/// The load and workload given to pasted manifests when there is none.
pub const GPU_DEFAULTS: &str = "\
duration: 4h
step: 1s
load:                                        # requests per second
  - {constant: 20}
  - {ramp: {from: 1h, to: 2h, rate: 40}}
  - {spike: {at: 3h, for: 10m, rate: 60}}
  - {noise: {cv: 0.1}}
workload:
  mode: http
  capacityPerReplica: 10                     # one GPU replica serves 10 req/s
  gpu: {idle: 0, busy: 100}
  coldStart: {schedule: 2s, pull: 20s, load: 60s}
  timeout: 30s
  slo: {latency: 1s}
cost: {perReplicaHour: 2.5, currency: USD}
";
