//! The agent against a real RabbitMQ and a real Prometheus (Debian's
//! packages), which `cargo xtask test` starts on loopback and passes in:
//!
//! - `REPLICAST_AMQP_URL`, `REPLICAST_RABBITMQ_HTTP`: the broker (AMQP, and
//!   the management API); `REPLICAST_RABBITMQCTL`: its `rabbitmqctl`;
//! - `REPLICAST_PROMETHEUS`: Prometheus, scraping `127.0.0.1:REPLICAST_AGENT_PORT`
//!   every second under the job `ml-inference`.
//!
//! Without them (a plain `cargo test`) each test says it was skipped and
//! passes; with `REPLICAST_REAL=1` (what xtask sets) a missing one fails.
//! Run one at a time (`--test-threads=1`): they share the broker.

mod support;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use lapin::options::{
    BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions, QueuePurgeOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use replicast_engine::case;
use replicast_engine::yaml::{Limits, parse_documents};
use serde_json::{Value, json};
use support::*;
use tokio::net::TcpListener;

struct Env {
    amqp: String,
    http: String,
    ctl: PathBuf,
    prometheus: String,
    agent_port: u16,
}

/// The servers xtask started, or `None` (and a line saying the test was
/// skipped) when there are none.
fn env(test: &str) -> Option<Env> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let got = (|| {
        Some(Env {
            amqp: var("REPLICAST_AMQP_URL")?,
            http: var("REPLICAST_RABBITMQ_HTTP")?,
            ctl: PathBuf::from(var("REPLICAST_RABBITMQCTL")?),
            prometheus: var("REPLICAST_PROMETHEUS")?,
            agent_port: var("REPLICAST_AGENT_PORT")?.parse().ok()?,
        })
    })();
    if got.is_none() {
        assert!(
            var("REPLICAST_REAL").is_none(),
            "REPLICAST_REAL is set but the servers' addresses are not"
        );
        skipped(
            test,
            "no real RabbitMQ/Prometheus here; `cargo xtask test` (or `cargo xtask test-agent`) starts them and runs this test",
        );
    }
    got
}

/// A fresh durable queue holding `n` persistent messages.
async fn queue_with(amqp: &str, queue: &str, n: usize) -> (Connection, Channel) {
    let conn = Connection::connect(amqp, ConnectionProperties::default())
        .await
        .expect("connecting to the test broker");
    let ch = conn.create_channel().await.unwrap();
    ch.queue_declare(
        queue.into(),
        QueueDeclareOptions {
            durable: true,
            ..QueueDeclareOptions::default()
        },
        FieldTable::default(),
    )
    .await
    .unwrap();
    ch.queue_purge(queue.into(), QueuePurgeOptions::default())
        .await
        .unwrap();
    publish(&ch, queue, n).await;
    (conn, ch)
}

async fn publish(ch: &Channel, queue: &str, n: usize) {
    ch.confirm_select(ConfirmSelectOptions::default())
        .await
        .unwrap();
    for i in 0..n {
        ch.basic_publish(
            "".into(),
            queue.into(),
            BasicPublishOptions::default(),
            format!("job {i}").as_bytes(),
            BasicProperties::default().with_delivery_mode(2),
        )
        .await
        .unwrap();
    }
    ch.wait_for_confirms().await.unwrap();
}

/// The object of kind `kind` in a YAML manifest, as JSON.
fn object(yaml: &str, kind: &str) -> Value {
    parse_documents(yaml, &Limits::default())
        .unwrap()
        .iter()
        .map(|d| d.root.to_json().unwrap())
        .find(|o| o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
}

/// Checks a variant's last decision against the engine run on a case the
/// test writes itself: the manifest as the test knows it, `readings` (what
/// the test put in the queue or the fake GPU), the replica count and clock
/// of that reconcile, and the history the agent chained into it.
fn decides_as_eval_would(v: &Value, manifest: &Value, readings: Value) {
    let last = &v["last"];
    let agent_case = &v["lastCase"];
    assert_eq!(
        agent_case["now"], last["t"],
        "the case is the last decision's"
    );
    let mut c = json!({
        "now": last["t"],
        "target": {"replicas": last["current"]},
        "pods": agent_case["pods"],
    });
    if manifest["kind"] == "ScaledObject" {
        c["scaledObject"] = manifest.clone();
        c["triggers"] = readings;
    } else {
        c["hpa"] = manifest.clone();
        c["metrics"] = readings;
    }
    if !agent_case["history"].is_null() {
        c["history"] = agent_case["history"].clone();
    }
    let d = case::evaluate(&case::from_value(&c).unwrap_or_else(|e| panic!("{e}: {c}")));
    let got = &last["decision"];
    assert_eq!(
        Value::from(d.desired_replicas),
        got["desiredReplicas"],
        "{v}"
    );
    assert_eq!(
        serde_json::to_value(&d.conditions).unwrap(),
        got["conditions"],
        "{v}"
    );
    assert_eq!(
        serde_json::to_value(&d.metrics).unwrap(),
        got["metrics"],
        "{v}"
    );
    assert_eq!(Value::from(d.explanation.clone()), got["explanation"]);
    assert_eq!(
        d.active.map(Value::from).unwrap_or(Value::Null),
        got.get("active").cloned().unwrap_or(Value::Null)
    );
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

fn keda_manifest(queue: &str, protocol: &str) -> String {
    format!(
        r#"apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {{name: worker-{protocol}}}
spec:
  scaleTargetRef: {{name: worker}}
  minReplicaCount: 0
  maxReplicaCount: 20
  pollingInterval: 1
  cooldownPeriod: 2
  triggers:
  - type: rabbitmq
    metadata: {{protocol: {protocol}, queueName: {queue}, mode: QueueLength, value: "5", activationValue: "1"}}
"#
    )
}

const HPA_QUEUE: &str = r#"apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: queue-hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: External
    external:
      metric: {name: jobs}
      target: {type: AverageValue, averageValue: "5"}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 0}
"#;

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      {l}\n")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_length_read_both_ways_drives_each_variant_as_eval_would() {
    let Some(env) = env("queue_length_read_both_ways_drives_each_variant_as_eval_would") else {
        return;
    };
    let queue = unique("replicast-jobs");
    let (_conn, ch) = queue_with(&env.amqp, &queue, 30).await;
    let dir = scratch("real-queue");
    let config = dir.join("agent.yaml");
    let (keda_amqp, keda_http) = (keda_manifest(&queue, "amqp"), keda_manifest(&queue, "http"));
    std::fs::write(
        &config,
        format!(
            "sources:\n\
             - {{name: amqp, type: rabbitmq, url: '{amqp}', period: 250ms}}\n\
             - {{name: mgmt, type: rabbitmq, url: '{http}', period: 250ms}}\n\
             variants:\n\
             - name: keda-amqp\n  manifests: |\n{a}\
             - name: keda-http\n  manifests: |\n{h}\
             - name: hpa\n  replicas: 2\n  period: 1s\n  signals: {{jobs: 'mgmt.{queue}.messages'}}\n  manifests: |\n{p}",
            amqp = env.amqp,
            http = env.http,
            a = indent(&keda_amqp),
            h = indent(&keda_http),
            p = indent(HPA_QUEUE),
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
    // The queue length, read both ways, reaches every variant.
    let key = format!("{queue}.messages");
    let s = wait_for(
        "30 messages read both ways and decided on",
        Duration::from_secs(20),
        || async {
            let s = state(addr).await;
            let read = |src: &str| source(&s, src)["values"][&key].as_f64();
            let decided = ["keda-amqp", "keda-http", "hpa"]
                .iter()
                .all(|v| variant(&s, v)["last"]["inputs"][0]["value"].as_f64() == Some(30.0));
            (read("amqp") == Some(30.0) && read("mgmt") == Some(30.0) && decided).then_some(s)
        },
    )
    .await;
    for (name, manifest, src) in [
        ("keda-amqp", object(&keda_amqp, "ScaledObject"), "amqp"),
        ("keda-http", object(&keda_http, "ScaledObject"), "mgmt"),
    ] {
        let v = variant(&s, name);
        assert_eq!(v["last"]["inputs"][0]["from"], format!("{src}.{key}"));
        let reading = json!([{"value": "30"}]);
        assert_eq!(v["last"]["decision"]["active"], true);
        decides_as_eval_would(v, &manifest, reading);
    }
    let hpa = variant(&s, "hpa");
    let ts = hpa["lastCase"]["metrics"][0]["timestamp"].clone();
    decides_as_eval_would(
        hpa,
        &object(HPA_QUEUE, "HorizontalPodAutoscaler"),
        json!([{"values": ["30"], "timestamp": ts}]),
    );
    // 30 messages over 2 pods is 15 each against 5: 6 (the default scale-up
    // policies allow +4 pods per 15 s).
    assert_eq!(hpa["last"]["decision"]["desiredReplicas"], 6);
    // Chained: the ScaledObject activates (0 -> 1), then its HPA climbs to 6.
    let s = wait_for(
        "keda-amqp at 6 replicas",
        Duration::from_secs(15),
        || async {
            let s = state(addr).await;
            (variant(&s, "keda-amqp")["last"]["decision"]["desiredReplicas"] == 6).then_some(s)
        },
    )
    .await;
    let desired: Vec<i64> = variant(&s, "keda-amqp")["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["decision"]["desiredReplicas"].as_i64())
        .collect();
    assert_eq!(
        desired.first(),
        Some(&1),
        "activation from zero first: {desired:?}"
    );
    // The Live view, in Chromium, shows it.
    let browser = Browser::start().await;
    let card = r#"const c = document.querySelector('.variant[data-variant="keda-amqp"]');
        return c ? c.querySelector('.replicas').textContent + ' | ' + c.querySelector('.explanation').textContent : null;"#;
    match &browser {
        Some(b) => {
            b.open(&format!("http://{addr}/live")).await;
            b.eval("window.sameDocument = true; return 1;").await;
            let shown = wait_for(
                "the Live view showing keda-amqp at 6",
                Duration::from_secs(20),
                || async {
                    let v = b.eval(card).await;
                    v.as_str()
                        .filter(|t| t.starts_with("6 | "))
                        .map(str::to_string)
                },
            )
            .await;
            assert!(shown.contains("rabbitmq 30"), "{shown}");
        }
        None => skipped(
            "the Live view part",
            "Chromium and ChromeDriver are not installed",
        ),
    }

    // The queue empties: the decisions move down, as eval says.
    ch.queue_purge(queue.as_str().into(), QueuePurgeOptions::default())
        .await
        .unwrap();
    let s = wait_for(
        "scale to zero after the cooldown",
        Duration::from_secs(20),
        || async {
            let s = state(addr).await;
            let v = variant(&s, "keda-amqp");
            (v["last"]["decision"]["desiredReplicas"] == 0
                && variant(&s, "hpa")["last"]["decision"]["desiredReplicas"] == 1)
                .then_some(s)
        },
    )
    .await;
    decides_as_eval_would(
        variant(&s, "keda-amqp"),
        &object(&keda_amqp, "ScaledObject"),
        json!([{"value": "0"}]),
    );
    // The page updated in place from the event stream (the same document: no reload).
    if let Some(b) = &browser {
        let shown = wait_for(
            "the Live view showing keda-amqp at 0",
            Duration::from_secs(20),
            || async {
                let v = b.eval(card).await;
                v.as_str()
                    .filter(|t| t.starts_with("0 | "))
                    .map(str::to_string)
            },
        )
        .await;
        assert!(shown.contains("rabbitmq 0"), "{shown}");
        assert_eq!(b.eval("return window.sameDocument === true;").await, true);
    }
    drop(browser);
    let hpa = variant(&s, "hpa");
    let ts = hpa["lastCase"]["metrics"][0]["timestamp"].clone();
    decides_as_eval_would(
        hpa,
        &object(HPA_QUEUE, "HorizontalPodAutoscaler"),
        json!([{"values": ["0"], "timestamp": ts}]),
    );
    let m = get(addr, "/metrics").await.body;
    assert!(
        m.contains(&format!(
            "replicast_queue_messages{{source=\"amqp\",queue=\"{queue}\"}} 0"
        )),
        "{m}"
    );
    assert!(m.contains("replicast_desired_replicas{variant=\"keda-amqp\",kind=\"ScaledObject\",name=\"worker-amqp\"} 0"));
    served.stop().await;
    let _ = ch
        .queue_delete(queue.as_str().into(), Default::default())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_the_agent_and_the_seed_query_reads_it_back() {
    let Some(env) = env("prometheus_scrapes_the_agent_and_the_seed_query_reads_it_back") else {
        return;
    };
    // The seed's own queue, with 12 messages.
    let (_conn, ch) = queue_with(&env.amqp, "ml-inference-queue", 12).await;
    let dir = scratch("real-prom");
    let seed_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ml-batch-keda.yaml");
    let seed = std::fs::read_to_string(&seed_path).unwrap();
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        format!(
            "sources:\n\
             - {{name: rabbit, type: rabbitmq, url: '{amqp}', period: 250ms}}\n\
             - {{name: prom, type: prometheus, url: '{prom}', period: 250ms}}\n\
             variants:\n\
             - {{name: seed, file: '{seed}', period: 500ms}}\n",
            amqp = env.amqp,
            prom = env.prometheus,
            seed = seed_path.display(),
        ),
    )
    .unwrap();
    let gpu = FakeGpu::new(&[80.0, 60.0]);
    // Prometheus scrapes this port under the job `ml-inference`.
    let listener = TcpListener::bind(("127.0.0.1", env.agent_port))
        .await
        .expect("the port Prometheus scrapes is free");
    let served = Served::start(
        listener,
        Some(config),
        vec![gpu.extra("gpu", 0.25)],
        open(&dir),
    )
    .await;
    let addr = served.addr;
    // The GPU family appears with the fake GPU's first poll, which a loaded
    // machine may not have run yet when the server answers.
    wait_for(
        "the GPU readings on /metrics",
        Duration::from_secs(10),
        || async {
            let m = get(addr, "/metrics").await.body;
            m.contains("# TYPE gpu_utilization gauge").then_some(())
        },
    )
    .await;
    let query = r#"avg(gpu_utilization{job="ml-inference"})"#;
    let s = wait_for(
        "the seed's query reading 70 back through Prometheus",
        Duration::from_secs(30),
        || async {
            let s = state(addr).await;
            let seed = variant(&s, "seed");
            let inputs = &seed["last"]["inputs"];
            (source(&s, "prom")["values"][query].as_f64() == Some(70.0)
                && inputs[1]["value"].as_f64() == Some(70.0)
                && inputs[0]["value"].as_f64() == Some(12.0))
            .then_some(s)
        },
    )
    .await;
    let v = variant(&s, "seed");
    assert_eq!(v["last"]["inputs"][1]["from"], format!("prom.{query}"));
    decides_as_eval_would(
        v,
        &object(&seed, "ScaledObject"),
        json!([{"value": "12"}, {"value": "70"}]),
    );
    // Prometheus itself sees the agent as a healthy target of the job.
    let prom: SocketAddr = env
        .prometheus
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let up = get(prom, "/api/v1/query?query=up%7Bjob%3D%22ml-inference%22%7D")
        .await
        .json();
    assert_eq!(up["data"]["result"][0]["value"][1], "1", "{up}");

    // The GPUs get busier: the reading and the decision move with them.
    gpu.set(&[100.0, 90.0]);
    let s = wait_for("95 through Prometheus", Duration::from_secs(30), || async {
        let s = state(addr).await;
        (variant(&s, "seed")["last"]["inputs"][1]["value"].as_f64() == Some(95.0)).then_some(s)
    })
    .await;
    decides_as_eval_would(
        variant(&s, "seed"),
        &object(&seed, "ScaledObject"),
        json!([{"value": "12"}, {"value": "95"}]),
    );
    served.stop().await;
    if let Err(e) = ch
        .queue_purge("ml-inference-queue".into(), QueuePurgeOptions::default())
        .await
    {
        println!("cleanup: purging ml-inference-queue: {e}");
    }
}

fn rabbitmqctl(env: &Env, command: &str) {
    let out = Command::new(&env.ctl)
        .arg(command)
        .output()
        .expect("running rabbitmqctl");
    assert!(
        out.status.success(),
        "rabbitmqctl {command}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_that_goes_away_is_reported_decisions_follow_the_rules_and_recover() {
    let Some(env) =
        env("a_broker_that_goes_away_is_reported_decisions_follow_the_rules_and_recover")
    else {
        return;
    };
    let queue = unique("replicast-outage");
    let (conn, _ch) = queue_with(&env.amqp, &queue, 20).await;
    let keda = format!(
        r#"apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {{name: worker}}
spec:
  scaleTargetRef: {{name: worker}}
  minReplicaCount: 1
  maxReplicaCount: 10
  pollingInterval: 1
  fallback: {{failureThreshold: 2, replicas: 7}}
  triggers:
  - type: rabbitmq
    metadata: {{queueName: {queue}, mode: QueueLength, value: "5"}}
"#
    );
    let dir = scratch("real-outage");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        format!(
            "sources:\n\
             - {{name: amqp, type: rabbitmq, url: '{amqp}', period: 250ms, timeout: 1s}}\n\
             variants:\n\
             - name: hpa\n  replicas: 2\n  period: 500ms\n  signals: {{jobs: 'amqp.{queue}.messages'}}\n  manifests: |\n{p}\
             - name: keda\n  replicas: 2\n  manifests: |\n{k}",
            amqp = env.amqp,
            p = indent(HPA_QUEUE),
            k = indent(&keda),
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
    let healthy = |s: &Value| {
        // 20 messages over 2 pods is 10 each against 5: 4.
        variant(s, "hpa")["last"]["decision"]["desiredReplicas"] == 4
            && variant(s, "keda")["last"]["inputs"][0]["value"].as_f64() == Some(20.0)
    };
    wait_for(
        "decisions on 20 messages",
        Duration::from_secs(15),
        || async {
            let s = state(addr).await;
            healthy(&s).then_some(())
        },
    )
    .await;
    drop(conn);

    // The broker goes away.
    rabbitmqctl(&env, "stop_app");
    let s = wait_for(
        "the outage reported and decided on",
        Duration::from_secs(20),
        || async {
            let s = state(addr).await;
            let hpa = &variant(&s, "hpa")["last"];
            let keda = &variant(&s, "keda")["last"];
            (source(&s, "amqp")["health"] == "failing"
                && condition(hpa, "ScalingActive").as_deref()
                    == Some("False/FailedGetExternalMetric")
                && condition(keda, "Fallback").as_deref() == Some("True/FallbackExists"))
            .then_some(s)
        },
    )
    .await;
    assert_eq!(get(addr, "/healthz").await.body, "ok", "the agent survives");
    let amqp = source(&s, "amqp");
    assert!(amqp["consecutiveFailures"].as_u64().unwrap() >= 1);
    assert!(!amqp["error"].as_str().unwrap().is_empty());
    let hpa = variant(&s, "hpa");
    // No rescale on an invalid metric: the HPA stays at its current 2.
    assert_eq!(hpa["last"]["decision"]["desiredReplicas"], 2);
    let why = hpa["last"]["inputs"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(why.starts_with("amqp failing for"), "{why}");
    decides_as_eval_would(
        hpa,
        &object(HPA_QUEUE, "HorizontalPodAutoscaler"),
        json!([{"error": why}]),
    );
    // KEDA's fallback: 7 replicas' worth of metric, through its HPA (2 -> 4).
    let k = variant(&s, "keda");
    let kwhy = k["last"]["inputs"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    decides_as_eval_would(k, &object(&keda, "ScaledObject"), json!([{"error": kwhy}]));
    let m = get(addr, "/metrics").await.body;
    assert!(
        m.contains("replicast_source_up{source=\"amqp\",kind=\"rabbitmq\"} 0"),
        "{m}"
    );
    assert!(
        !m.contains("replicast_queue_messages{source=\"amqp\""),
        "a failing source's values are not exported"
    );

    // It comes back: the readings recover by themselves (the queue is durable).
    rabbitmqctl(&env, "start_app");
    let s = wait_for("the readings back", Duration::from_secs(30), || async {
        let s = state(addr).await;
        (source(&s, "amqp")["health"] == "ok"
            && healthy(&s)
            && condition(&variant(&s, "hpa")["last"], "ScalingActive").as_deref()
                == Some("True/ValidMetricFound")
            && condition(&variant(&s, "keda")["last"], "Fallback").as_deref()
                == Some("False/NoFallbackFound"))
        .then_some(s)
    })
    .await;
    assert!(
        s["log"].as_array().unwrap().iter().any(|l| l["message"]
            .as_str()
            .unwrap()
            .starts_with("source amqp recovered")),
        "{}",
        s["log"]
    );
    decides_as_eval_would(
        variant(&s, "keda"),
        &object(&keda, "ScaledObject"),
        json!([{"value": "20"}]),
    );
    served.stop().await;
}
