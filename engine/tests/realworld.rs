//! The 48 real-world manifests of `tests/realworld/` (HPAs of every API
//! version, KEDA ScaledObjects, flaws included): each is read without a
//! crash, every problem names a path and a line, and each file's verdict is
//! pinned in [`VERDICTS`] (accepted with how many objects of each kind, or
//! rejected with exactly these problems), so a changed verdict fails.
//!
//! When a verdict changes on purpose, the failure prints the file's new
//! table row to paste in. Manifest reading applies KEDA's admission checks,
//! not the scaler table (that runs when a case or scenario is evaluated), so
//! no verdict here depends on trigger types today; were manifest reading to
//! build scalers, the files with types beyond the common ones would change
//! first: `keda-docs-azure-servicebus-*`, `keda-docs-external-scaler-simple`,
//! `keda-docs-redis-*` (`keda-docs-external-scaler-tls-duplicate-key` and
//! `keda-docs-github-runner-*` are refused earlier, as YAML).

use std::path::Path;

use replicast_engine::manifest;
use replicast_engine::spec::validation::Options;

/// What became of one file.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Read: HPAs, ScaledObjects, workloads and ignored objects.
    Accepted(usize, usize, usize, usize),
    /// Refused: each problem's path and a fragment of its message, in the
    /// order reported.
    Rejected(&'static [(&'static str, &'static str)]),
}

use Verdict::{Accepted, Rejected};

const V2BETA1_GONE: &str =
    "autoscaling/v2beta1 HorizontalPodAutoscaler is no longer served (removed in Kubernetes 1.25)";
const CPU_MEMORY_MIN_ZERO: &str = "scaledobject has only cpu/memory triggers AND minReplica is 0";
const CONTAINER_RESOURCE_SOURCE: &str =
    "Required value: must populate information for the given metric source";

/// Every file's verdict, by file name.
#[rustfmt::skip]
const VERDICTS: &[(&str, Verdict)] = &[
    ("gke-samples-lws-vllm-num-requests-waiting-hpa.yaml", Accepted(1, 0, 0, 0)),
    ("k8s-cloudwatch-adapter-sqs-external-hpa-v2beta1.yaml", Rejected(&[("[0].apiVersion", V2BETA1_GONE)])),
    ("k8s-examples-vllm-gpu-util-hpa.yaml", Accepted(1, 0, 0, 0)),
    ("k8s-examples-vllm-requests-running-hpa.yaml", Accepted(1, 0, 0, 0)),
    ("k8s-stackdriver-cross-project-pubsub-external-v2beta1.yaml", Rejected(&[("[0].apiVersion", V2BETA1_GONE)])),
    ("k8s-stackdriver-direct-to-sd-v2-with-v2beta1-fields.yaml", Rejected(&[("[1].spec.metrics[0].pods.metricName", "`metricName` is an autoscaling/v2beta1 field"), ("[1].spec.metrics[0].pods.targetAverageValue", "`targetAverageValue` is an autoscaling/v2beta1 field"), ("[1].spec.metrics[0].pods.metric.name", "Required value: must specify a metric name"), ("[1].spec.metrics[0].pods.target.type", "Required value: must specify a metric target type"), ("[1].spec.metrics[0].pods.target.type", "Invalid value: \"\": must be either Utilization, Value, or AverageValue"), ("[1].spec.metrics[0].pods.target.averageValue", "Required value: must specify a positive target averageValue")])),
    ("k8s-stackdriver-prometheus-to-sd-deployment-and-pods-hpa.yaml", Accepted(1, 0, 1, 0)),
    ("keda-docs-apache-kafka-aws-msk-iam.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-aws-sqs-credentials-v2.5.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-azure-servicebus-workload-identity.yaml", Accepted(0, 1, 0, 1)),
    ("keda-docs-cpu-container-utilization.yaml", Rejected(&[("[0].spec.minReplicaCount", CPU_MEMORY_MIN_ZERO)])),
    ("keda-docs-cpu-pod-utilization.yaml", Rejected(&[("[0].spec.minReplicaCount", CPU_MEMORY_MIN_ZERO)])),
    ("keda-docs-cron-scale-to-zero.yaml", Accepted(0, 1, 0, 0)),
    ("keda-docs-external-scaler-simple.yaml", Accepted(0, 1, 0, 0)),
    ("keda-docs-external-scaler-tls-duplicate-key.yaml", Rejected(&[("", "key \"scalerAddress\" already set in map (first at line 45)")])),
    ("keda-docs-github-runner-scaledjob-go-template-leftover.yaml", Rejected(&[("", "a mapping or sequence cannot be a key")])),
    ("keda-docs-kafka-no-auth.yaml", Accepted(0, 1, 0, 0)),
    ("keda-docs-kafka-sasl-tls-in-scaledobject.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-memory-utilization.yaml", Rejected(&[("[0].spec.minReplicaCount", CPU_MEMORY_MIN_ZERO)])),
    ("keda-docs-metrics-api-apikey.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-prometheus-azure-managed-workload-identity.yaml", Accepted(0, 1, 0, 1)),
    ("keda-docs-prometheus-bearer-auth.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-prometheus-tls-and-basic-auth.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-rabbitmq-amqp-triggerauth.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-rabbitmq-azure-workload-identity.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-rabbitmq-http-messagerate-and-queuelength.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-rabbitmq-http-regex-max.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-redis-key-value.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-redis-list-triggerauth.yaml", Accepted(0, 1, 0, 2)),
    ("keda-docs-scaledjob-spec-reference.yaml", Rejected(&[("[0].metadata.annotations.autoscaling.keda.sh/paused", "invalid type: boolean `true`, expected a string")])),
    ("keda-docs-scaledobject-spec-reference.yaml", Rejected(&[("[0].metadata.name", "invalid type: map, expected a string")])),
    ("kep-1610-container-resource-multi-container-v2beta2.yaml", Rejected(&[("[0].spec.metrics[0].containerResource", CONTAINER_RESOURCE_SOURCE), ("[0].spec.metrics[1].containerResource", CONTAINER_RESOURCE_SOURCE), ("[0].spec.metrics[2].containerResource", CONTAINER_RESOURCE_SOURCE), ("[0].spec.metrics[3].containerResource", CONTAINER_RESOURCE_SOURCE), ("[0].spec.metrics[4].containerResource", CONTAINER_RESOURCE_SOURCE)])),
    ("kep-1610-container-resource-plus-podresource-v2beta2.yaml", Rejected(&[("[0].spec.metrics[0].containerResource", CONTAINER_RESOURCE_SOURCE), ("[0].spec.metrics[1].type", "Unsupported value: \"PodResource\"")])),
    ("llm-d-wva-ci-hpa-with-substitution-tokens.yaml", Rejected(&[("[0].spec.behavior.scaleDown.stabilizationWindowSeconds", "invalid type: string \"__HPA_STABILIZATION_SECONDS__\", expected i32")])),
    ("llm-d-wva-decode-external-wva-desired-replicas-hpa.yaml", Accepted(1, 0, 0, 0)),
    ("msdocs-learn-aks-hpa-scaledown-disabled.yaml", Accepted(1, 0, 0, 0)),
    ("msdocs-learn-aks-hpa-scaleup-policies.yaml", Accepted(1, 0, 0, 0)),
    ("nvidia-dynamo-hpa-cpu-dgdsa.yaml", Accepted(1, 0, 0, 0)),
    ("nvidia-dynamo-hpa-external-queue-depth.yaml", Accepted(1, 0, 0, 0)),
    ("nvidia-dynamo-hpa-external-ttft-p95.yaml", Accepted(1, 0, 0, 0)),
    ("nvidia-dynamo-keda-prometheus-queue-depth.yaml", Accepted(0, 1, 0, 0)),
    ("nvidia-dynamo-keda-prometheus-ttft-p95.yaml", Accepted(0, 1, 0, 0)),
    ("podinfo-kustomize-hpa-v2beta2.yaml", Accepted(1, 0, 0, 0)),
    ("prometheus-adapter-walkthrough-hpa-v2alpha1.yaml", Rejected(&[("[0].apiVersion", "autoscaling/v2alpha1 HorizontalPodAutoscaler is no longer served (removed in Kubernetes 1.9)")])),
    ("prometheus-operator-sample-app-servicemonitor-deploy-hpa-v2beta1.yaml", Rejected(&[("[3].apiVersion", V2BETA1_GONE)])),
    ("vllm-production-stack-keda-prometheus-queue.yaml", Accepted(0, 1, 0, 0)),
    ("vllm-production-stack-keda-scale-to-zero-dual-trigger.yaml", Accepted(0, 1, 0, 0)),
    ("vllm-production-stack-object-metric-hpa.yaml", Accepted(1, 0, 0, 0)),
];

/// Reads one file; every problem must have a line and a message.
fn read(name: &str, text: &str) -> Result<manifest::Manifests, Vec<(String, String)>> {
    let opts = Options {
        min_replicas_lower_bound: 1,
    };
    manifest::parse(text, opts).map_err(|e| {
        e.problems
            .iter()
            .map(|p| {
                assert!(
                    p.line.is_some(),
                    "{name}: a problem without a line: {} {}",
                    p.path,
                    p.message
                );
                assert!(
                    !p.message.trim().is_empty(),
                    "{name}: a problem without a message at {}",
                    p.path
                );
                (p.path.clone(), p.message.clone())
            })
            .collect()
    })
}

/// The file's table row as it is now, to paste into [`VERDICTS`].
fn row(name: &str, outcome: &Result<manifest::Manifests, Vec<(String, String)>>) -> String {
    match outcome {
        Ok(m) => format!(
            "(\"{name}\", Accepted({}, {}, {}, {})),",
            m.hpas().count(),
            m.scaled_objects().count(),
            m.workloads().count(),
            m.ignored().count()
        ),
        Err(problems) => {
            let list: Vec<String> = problems
                .iter()
                .map(|(path, message)| format!("({path:?}, {message:?})"))
                .collect();
            format!("(\"{name}\", Rejected(&[{}])),", list.join(", "))
        }
    }
}

fn matches(want: &Verdict, outcome: &Result<manifest::Manifests, Vec<(String, String)>>) -> bool {
    match (want, outcome) {
        (Accepted(h, s, w, i), Ok(m)) => {
            (
                m.hpas().count(),
                m.scaled_objects().count(),
                m.workloads().count(),
                m.ignored().count(),
            ) == (*h, *s, *w, *i)
        }
        (Rejected(want), Err(got)) => {
            want.len() == got.len()
                && want
                    .iter()
                    .zip(got)
                    .all(|((path, fragment), (p, m))| path == p && m.contains(fragment))
        }
        _ => false,
    }
}

#[test]
fn every_realworld_manifest_keeps_its_pinned_verdict() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/realworld");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the real-world corpus is tests/realworld/)",
                dir.display()
            )
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let pinned: Vec<&str> = VERDICTS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names, pinned,
        "the table must list every file of tests/realworld/, in order"
    );
    let mut changed = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (file, (name, want)) in files.iter().zip(VERDICTS) {
        let text = std::fs::read_to_string(file).unwrap();
        let outcome = read(name, &text);
        match &outcome {
            Ok(_) => accepted += 1,
            Err(_) => rejected += 1,
        }
        println!("{}", row(name, &outcome));
        if !matches(want, &outcome) {
            changed.push(format!(
                "{name}: pinned {want:?}, now:\n    {}",
                row(name, &outcome)
            ));
        }
    }
    println!("{accepted} accepted, {rejected} rejected");
    assert!(
        changed.is_empty(),
        "changed verdicts:\n{}",
        changed.join("\n")
    );
}
