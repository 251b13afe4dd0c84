//! The closed loop against a real Prometheus (Debian's package, which
//! `cargo xtask test` starts and passes in as for `live_real.rs`):
//! recorded kube-state-metrics series (`fixtures/kube-state-metrics.prom`)
//! are served on the port Prometheus scrapes; a variant follows that
//! workload through Prometheus and is evaluated beside production's HPA.
//! Its decision must be what the engine (`replicast eval`) decides on a
//! case this test writes itself from the fixture; the Live state and
//! `/metrics` must show shadow and production desired replicas and the
//! divergence.
//!
//! Without `REPLICAST_PROMETHEUS` and `REPLICAST_AGENT_PORT` the test says
//! it was skipped; with `REPLICAST_REAL=1` a missing one fails.

mod support;

use std::time::Duration;

use axum::Router;
use axum::routing::get as route;
use replicast_engine::case;
use serde_json::{Value, json};
use support::*;
use tokio::net::TcpListener;

const KSM: &str = include_str!("fixtures/kube-state-metrics.prom");

const CANDIDATE: &str = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ml-inference-hpa, namespace: ml-workloads}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ml-inference-service}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Pods
    pods:
      metric: {name: inference_queue_depth}
      target: {type: AverageValue, averageValue: '10'}
";

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// The pods the fixture describes, as an evaluation case writes them.
fn fixture_pods() -> Value {
    let c = json!([{"name": "app"}]);
    json!([
        {"name": "ml-inference-service-7c9f-a", "phase": "Running", "ready": true,
         "readySince": 1764800030.0, "startTime": 1764800000.0, "containers": c},
        {"name": "ml-inference-service-7c9f-b", "phase": "Running", "ready": true,
         "readySince": 1764800040.0, "startTime": 1764800010.0, "containers": c},
        {"name": "ml-inference-service-7c9f-c", "phase": "Running", "ready": false,
         "readySince": 1764800100.0, "startTime": 1764800020.0, "containers": c},
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_follows_production_through_kube_state_metrics_as_eval_would() {
    let test = "a_variant_follows_production_through_kube_state_metrics_as_eval_would";
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (Some(prom), Some(port)) = (var("REPLICAST_PROMETHEUS"), var("REPLICAST_AGENT_PORT"))
    else {
        assert!(
            var("REPLICAST_REAL").is_none(),
            "REPLICAST_REAL is set but the servers' addresses are not"
        );
        skipped(
            test,
            "no real Prometheus here; `cargo xtask test` starts one",
        );
        return;
    };
    // kube-state-metrics, recorded: served where Prometheus scrapes.
    let ksm = TcpListener::bind(("127.0.0.1", port.parse::<u16>().unwrap()))
        .await
        .expect("the port Prometheus scrapes is free");
    let exporter = tokio::spawn(async move {
        let app = Router::new().route("/metrics", route(|| async { KSM }));
        let _ = axum::serve(ksm, app).await;
    });

    let dir = scratch("closed-loop");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        format!(
            "sources:\n\
             - {{name: prom, type: prometheus, url: '{prom}', period: 500ms}}\n\
             variants:\n\
             - name: candidate\n\
             \x20 period: 500ms\n\
             \x20 replicas:\n\
             \x20   production:\n\
             \x20     prometheus: prom\n\
             \x20     namespace: ml-workloads\n\
             \x20     podMetrics:\n\
             \x20       inference_queue_depth: 'inference_queue_depth{{namespace=\"ml-workloads\"}}'\n\
             \x20 manifests: |\n{}",
            indent(CANDIDATE)
        ),
    )
    .unwrap();
    let served = Served::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Some(config),
        Vec::new(),
        open(&dir),
    )
    .await;
    let addr = served.addr;
    let s = wait_for(
        "a decision beside production's",
        Duration::from_secs(30),
        || async {
            let s = state(addr).await;
            let v = variant(&s, "candidate");
            (v["last"]["production"].is_i64() && v["last"]["decision"].is_object()).then_some(s)
        },
    )
    .await;
    let v = variant(&s, "candidate");
    let last = &v["last"];
    // The inputs the real controller saw: spec and status replicas, the
    // Deployment's own pods (not the other Deployment's), their readiness.
    let agent_case = &v["lastCase"];
    assert_eq!(
        agent_case["target"],
        json!({"replicas": 3, "statusReplicas": 3})
    );
    assert_eq!(agent_case["pods"], fixture_pods(), "{agent_case}");
    assert_eq!(
        agent_case["metrics"][0]["podValues"],
        json!({"ml-inference-service-7c9f-a": "30", "ml-inference-service-7c9f-b": "20",
               "ml-inference-service-7c9f-c": "10"})
    );
    // The engine on a case written here from the fixture decides the same.
    let mut c = json!({
        "now": last["t"],
        "hpa": parse_yaml(CANDIDATE),
        "target": {"replicas": 3, "statusReplicas": 3},
        "pods": fixture_pods(),
        "metrics": [{"podValues": {"ml-inference-service-7c9f-a": "30",
            "ml-inference-service-7c9f-b": "20", "ml-inference-service-7c9f-c": "10"},
            "timestamp": last["t"]}],
    });
    if !agent_case["history"].is_null() {
        c["history"] = agent_case["history"].clone();
    }
    let d = case::evaluate(&case::from_value(&c).unwrap_or_else(|e| panic!("{e}")));
    // (30 + 20 + 10) / 3 = 20 per pod against 10: 6 replicas; production said 4.
    assert_eq!(d.desired_replicas, 6);
    assert_eq!(last["decision"]["desiredReplicas"], 6, "{v}");
    assert_eq!(
        serde_json::to_value(&d.conditions).unwrap(),
        last["decision"]["conditions"]
    );
    assert_eq!(last["production"], 4);
    assert_eq!(last["divergence"], 2);
    let why = last["difference"].as_str().unwrap();
    assert!(why.starts_with("shadow 6 vs production 4 (+2): "), "{why}");

    let m = get(addr, "/metrics").await.body;
    let labels = r#"{variant="candidate",kind="HorizontalPodAutoscaler",name="ml-inference-hpa"}"#;
    for (family, value) in [
        ("replicast_desired_replicas", 6.0),
        ("replicast_production_desired_replicas", 4.0),
        ("replicast_divergence_replicas", 2.0),
        ("replicast_current_replicas", 3.0),
    ] {
        let series = format!("{family}{labels} ");
        let read = m
            .lines()
            .find_map(|l| l.strip_prefix(series.as_str()))
            .and_then(|v| v.parse::<f64>().ok());
        assert_eq!(read, Some(value), "{series} in\n{m}");
    }
    assert!(
        m.contains(r#"replicast_source_up{source="prom",kind="prometheus"} 1"#),
        "production's source is healthy: {m}"
    );
    served.stop().await;
    exporter.abort();
}

fn parse_yaml(text: &str) -> Value {
    let docs =
        replicast_engine::yaml::parse_documents(text, &replicast_engine::yaml::Limits::default())
            .unwrap();
    docs[0].root.to_json().unwrap()
}
