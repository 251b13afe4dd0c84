//! "Paste the YAML you run and see what it does": every real-world
//! manifest of `tests/realworld/` that the engine accepts simulates when
//! pasted alone (`{manifests: <the file>}`, no other key), with each signal
//! and the load it had to infer listed as an assumption; the files the
//! engine refuses are still refused, with the same located messages.
//!
//! Which file needs which assumption is pinned below, so a change to the
//! inference table (`engine/src/sim/infer.rs`) shows here file by file.

use std::collections::BTreeMap;
use std::path::Path;

use replicast_engine::manifest;
use replicast_engine::sim;
use replicast_engine::spec::validation::Options;
use serde_json::json;

/// Per accepted file: the assumptions besides the default load, as
/// `metric ← signal` (`workload.mode ← queue` for the assumed broker mode).
const PINNED: &[(&str, &[&str])] = &[
    (
        "gke-samples-lws-vllm-num-requests-waiting-hpa.yaml",
        &["prometheus.googleapis.com|vllm:num_requests_waiting|gauge ← queuePerReplica"],
    ),
    (
        "k8s-examples-vllm-gpu-util-hpa.yaml",
        &["gpu_utilization_percent ← gpu"],
    ),
    (
        "k8s-examples-vllm-requests-running-hpa.yaml",
        &["vllm_num_requests_running ← inflight"],
    ),
    (
        "keda-docs-apache-kafka-aws-msk-iam.yaml",
        &["test-topic ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-aws-sqs-credentials-v2.5.yaml",
        &["myQueue ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-azure-servicebus-workload-identity.yaml",
        &["functions-sbqueue ← queue", "workload.mode ← queue"],
    ),
    // cron runs on the wall clock (`start:`) and reads no signal.
    ("keda-docs-cron-scale-to-zero.yaml", &[]),
    (
        "keda-docs-external-scaler-simple.yaml",
        &["external ← queue"],
    ),
    (
        "keda-docs-kafka-no-auth.yaml",
        &["test-topic ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-kafka-sasl-tls-in-scaledobject.yaml",
        &["test-topic ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-metrics-api-apikey.yaml",
        &["metrics-api ← queue"],
    ),
    (
        "keda-docs-prometheus-azure-managed-workload-identity.yaml",
        &["prometheus ← arrivalRate"],
    ),
    (
        "keda-docs-prometheus-bearer-auth.yaml",
        &["prometheus ← arrivalRate"],
    ),
    (
        "keda-docs-prometheus-tls-and-basic-auth.yaml",
        &["prometheus ← arrivalRate"],
    ),
    (
        "keda-docs-rabbitmq-amqp-triggerauth.yaml",
        &["testqueue ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-rabbitmq-azure-workload-identity.yaml",
        &["testqueue ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-rabbitmq-http-messagerate-and-queuelength.yaml",
        &[
            "testqueue ← queue",
            "testqueue ← arrivalRate",
            "workload.mode ← queue",
        ],
    ),
    (
        "keda-docs-rabbitmq-http-regex-max.yaml",
        &["^.*incoming$ ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-redis-key-value.yaml",
        &["redis ← queue", "workload.mode ← queue"],
    ),
    (
        "keda-docs-redis-list-triggerauth.yaml",
        &["mylist ← queue", "workload.mode ← queue"],
    ),
    ("msdocs-learn-aks-hpa-scaledown-disabled.yaml", &[]),
    ("msdocs-learn-aks-hpa-scaleup-policies.yaml", &[]),
    ("nvidia-dynamo-hpa-cpu-dgdsa.yaml", &[]),
    (
        "nvidia-dynamo-hpa-external-queue-depth.yaml",
        &["dynamo_queued_requests ← queue"],
    ),
    (
        "nvidia-dynamo-hpa-external-ttft-p95.yaml",
        &["dynamo_ttft_p95_seconds ← latency"],
    ),
    (
        "nvidia-dynamo-keda-prometheus-queue-depth.yaml",
        &["dynamo_queued_requests ← queue"],
    ),
    (
        "nvidia-dynamo-keda-prometheus-ttft-p95.yaml",
        &["dynamo_ttft_p95 ← latency"],
    ),
    ("podinfo-kustomize-hpa-v2beta2.yaml", &[]),
    (
        "vllm-production-stack-keda-prometheus-queue.yaml",
        &["vllm:num_requests_waiting ← queue"],
    ),
    (
        "vllm-production-stack-keda-scale-to-zero-dual-trigger.yaml",
        &[
            "vllm:num_requests_waiting ← queue",
            "vllm:incoming_keepalive ← arrivalRate",
        ],
    ),
    (
        "vllm-production-stack-object-metric-hpa.yaml",
        &["vllm_num_requests_waiting ← queue"],
    ),
];

/// Accepted files whose metric's name says nothing the table can read: they
/// stay an error naming the metric and the likeliest signals, and run once
/// `signals:` maps it. (`foo` is a demo exporter's gauge; `wva_desired_replicas`
/// is another controller's output, which the simulator does not model.)
const NOTHING_TO_INFER: &[(&str, &str, &str)] = &[
    (
        "k8s-stackdriver-prometheus-to-sd-deployment-and-pods-hpa.yaml",
        "foo",
        "manifests[1].spec.metrics[0].pods.metric.name",
    ),
    (
        "llm-d-wva-decode-external-wva-desired-replicas-hpa.yaml",
        "wva_desired_replicas",
        "manifests[0].spec.metrics[0].external.metric.name",
    ),
];

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/realworld");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 48,
        "the 48 real-world files: {}",
        files.len()
    );
    files
        .iter()
        .map(|f| {
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(f).unwrap(),
            )
        })
        .collect()
}

/// The file as a scenario with nothing but its manifests, as text (so
/// assumptions and errors get lines).
fn pasted(text: &str) -> String {
    let mut out = String::from("manifests: |\n");
    for l in text.lines() {
        if !l.trim().is_empty() {
            out.push_str("  ");
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_accepted_realworld_manifest_simulates_when_pasted_alone() {
    let pinned: BTreeMap<&str, &[&str]> = PINNED.iter().copied().collect();
    let (mut ran, mut refused) = (0, 0);
    for (name, text) in corpus() {
        let verdict = manifest::parse(
            &text,
            Options {
                min_replicas_lower_bound: 1,
            },
        );
        let scenario = sim::parse(&pasted(&text));
        let Ok(_) = verdict else {
            // Refused by the engine: refused here too, with the same messages.
            let want = verdict.unwrap_err();
            let got = scenario.expect_err(&name);
            assert_eq!(got.problems.len(), want.problems.len(), "{name}: {got}");
            for (g, w) in got.problems.iter().zip(&want.problems) {
                assert!(g.message.starts_with(&w.message), "{name}: {g:?} vs {w:?}");
                assert!(g.line.is_some(), "{name}: {g:?}");
            }
            refused += 1;
            continue;
        };
        if let Some((_, metric, path)) = NOTHING_TO_INFER.iter().find(|(f, ..)| *f == name) {
            let e = scenario.expect_err(&name);
            let p = e.first();
            assert_eq!(p.path, *path, "{name}");
            assert!(p.line.is_some(), "{name}: {p:?}");
            assert!(
                p.message.contains(&format!("`{metric}` reads no signal")),
                "{name}: {}",
                p.message
            );
            // Mapped, it runs.
            let mapped = format!("{}signals: {{{metric:?}: queue}}\n", pasted(&text));
            let s = sim::parse(&mapped).unwrap_or_else(|e| panic!("{name} mapped: {e}"));
            assert_eq!(s.variants[0].assumptions.len(), 1, "{name}: only the load");
            continue;
        }
        let scenario = scenario.unwrap_or_else(|e| panic!("{name} pasted alone: {e}"));
        let v = &scenario.variants[0];
        let load = &v.assumptions[0];
        assert_eq!(load.path, "load", "{name}: the default load comes first");
        assert!(load.reason.contains("replicas"), "{name}: {}", load.reason);
        let got: Vec<String> = v.assumptions[1..]
            .iter()
            .map(|a| {
                let who = if a.metric.is_empty() {
                    &a.path
                } else {
                    &a.metric
                };
                format!("{who} ← {}", a.signal)
            })
            .collect();
        let want = pinned
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name} is not pinned: it assumes {got:?}"));
        assert_eq!(got, *want, "{name}");
        for a in &v.assumptions[1..] {
            assert!(!a.reason.is_empty(), "{name}: {a:?}");
            if a.path.starts_with("manifests") {
                assert!(
                    a.line.is_some(),
                    "{name}: an assumption without a line: {a:?}"
                );
            }
        }
        let mut options = sim::Options {
            every: Some(replicast_engine::time::Duration::from_secs(60)),
            ..Default::default()
        };
        let r = sim::run(&scenario, &mut options);
        assert_eq!(r.variants[0].assumptions, v.assumptions, "{name}");
        assert!(
            r.variants[0].summary.arrived > 0.0,
            "{name}: the default load arrives"
        );
        ran += 1;
    }
    println!("{ran} simulated, {refused} refused");
    assert_eq!(ran, PINNED.len(), "every pinned file ran");
    assert!(refused >= 15, "the refused files stay refused: {refused}");
}

#[test]
fn a_mapping_replaces_the_assumption() {
    let corpus = corpus();
    let (_, text) = corpus
        .iter()
        .find(|(n, _)| n == "k8s-examples-vllm-gpu-util-hpa.yaml")
        .unwrap();
    let alone = sim::parse(&pasted(text)).unwrap();
    let mapped = sim::parse(&format!(
        "{}signals: {{gpu_utilization_percent: latency}}\nload: [{{constant: 5}}]\n",
        pasted(text)
    ))
    .unwrap();
    assert_eq!(alone.variants[0].assumptions.len(), 2);
    assert!(mapped.variants[0].assumptions.is_empty());
    // `--strict` refuses assumptions, located (besides the file's own
    // warning: it holds no Deployment); a mapping and a load are not refused.
    let refused = |s: &sim::Scenario| -> Vec<(String, Option<u32>, String)> {
        s.strict_check()
            .unwrap_err()
            .problems
            .into_iter()
            .filter(|p| p.message.contains(" ← "))
            .map(|p| (p.path, p.line, p.message))
            .collect()
    };
    let strict = refused(&alone);
    assert_eq!(strict.len(), 2, "{strict:?}");
    assert_eq!((strict[0].0.as_str(), strict[0].1), ("load", None));
    assert_eq!(strict[1].0, "manifests[0].spec.metrics[0].pods.metric.name");
    assert!(strict[1].1.is_some());
    assert!(
        strict[1].2.contains("gpu_utilization_percent ← gpu"),
        "{strict:?}"
    );
    assert_eq!(refused(&mapped), []);
    let a = sim::simulate(&alone);
    let json = serde_json::to_value(&a.variants[0].assumptions).unwrap();
    assert_eq!(json[1]["metric"], json!("gpu_utilization_percent"));
    assert_eq!(json[1]["signal"], json!("gpu"));
    assert!(json[1]["line"].is_number());
}

#[test]
fn a_bare_manifest_file_is_a_scenario_of_itself() {
    // What `replicast simulate FILE` and a paste into the playground get:
    // the file's own lines.
    for (name, text) in corpus() {
        let Some((_, want)) = PINNED.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let bare = sim::parse(&text).unwrap_or_else(|e| panic!("{name} bare: {e}"));
        let wrapped = sim::parse(&pasted(&text)).unwrap();
        let (b, w) = (
            &bare.variants[0].assumptions,
            &wrapped.variants[0].assumptions,
        );
        assert_eq!(b.len(), want.len() + 1, "{name}");
        for (b, w) in b.iter().zip(w) {
            assert_eq!((&b.path, &b.signal), (&w.path, &w.signal), "{name}");
            // `pasted` puts one line (`manifests: |`) above the file.
            assert_eq!(b.line.map(|l| l + 1), w.line, "{name}: {}", b.path);
        }
    }
}
