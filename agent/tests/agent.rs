//! `replicast agent` without external servers: no configuration, a source
//! that fails (a closed loopback port) and the decisions that follow, token
//! rules, body limits, reload, the event stream, and the binary (refusals,
//! located config errors, SIGTERM with a client connected).
//! The tests against a real RabbitMQ and Prometheus are in `live_real.rs`.

mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use replicast::live::ServeOptions;
use replicast_engine::case;
use serde_json::Value;
use support::*;
use tokio::net::TcpListener;

const TOKEN: &str = "0123456789abcdef-test";

/// A loopback port nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A config whose Prometheus is a closed port: an HPA on it (fixed at 3
/// replicas) and a ScaledObject with a fallback of 7 after 2 failures
/// (following its own decisions from 2: the HPA's scale-up limit takes it
/// 2 → 4 → 7).
fn failing_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let path = dir.join("agent.yaml");
    std::fs::write(
        &path,
        format!(
            r#"sources:
  - name: prom
    type: prometheus
    url: http://127.0.0.1:{port}
    period: 200ms
    timeout: 500ms
    queries: {{load: 'sum(rate(requests_total[1m]))'}}
signals:
  requests: prom.load
variants:
  - name: hpa
    replicas: 3
    period: 200ms
    manifests: |
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {{name: web}}
      spec:
        scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
        minReplicas: 1
        maxReplicas: 10
        metrics:
        - type: External
          external:
            metric: {{name: requests}}
            target: {{type: AverageValue, averageValue: "100"}}
  - name: keda
    replicas: {{follow: 2}}
    period: 200ms
    manifests: |
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: {{name: worker}}
      spec:
        scaleTargetRef: {{name: worker}}
        minReplicaCount: 1
        maxReplicaCount: 10
        fallback: {{failureThreshold: 2, replicas: 7}}
        triggers:
        - type: prometheus
          metadata:
            serverAddress: http://prometheus.monitoring:9090
            metricName: requests
            threshold: "100"
            query: sum(rate(requests_total[1m]))
"#
        ),
    )
    .unwrap();
    path
}

/// The decision `replicast eval` gives on the loop's last case equals the
/// one the agent recorded.
fn replays(variant: &Value) {
    let c = case::from_value(&variant["lastCase"]).expect("the last case is a valid case");
    let d = case::evaluate(&c);
    let last = &variant["last"]["decision"];
    assert_eq!(
        Value::from(d.desired_replicas),
        last["desiredReplicas"],
        "{variant}"
    );
    assert_eq!(
        serde_json::to_value(&d.conditions).unwrap(),
        last["conditions"]
    );
    assert_eq!(Value::from(d.explanation), last["explanation"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_config_it_serves_the_playground_and_says_no_source_is_configured() {
    let dir = scratch("noconfig");
    let served = Served::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        None,
        Vec::new(),
        open(&dir),
    )
    .await;
    let addr = served.addr;
    let s = state(addr).await;
    assert_eq!(s["configured"], false);
    assert!(
        s["message"]
            .as_str()
            .unwrap()
            .starts_with("no source is configured"),
        "{s}"
    );
    assert_eq!(s["sources"], Value::Array(vec![]));
    assert_eq!(get(addr, "/healthz").await.body, "ok");
    let ready = get(addr, "/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));
    let index = get(addr, "/").await;
    assert!(index.body.contains("<title>t</title>"));
    let metrics = get(addr, "/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.body.ends_with("# EOF\n"), "{}", metrics.body);
    let reload = http(addr, "POST", "/api/reload", &[], b"").await;
    assert_eq!(
        reload.status, 403,
        "changing state needs a token: {}",
        reload.body
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_is_reported_and_decisions_follow_the_upstream_rules() {
    let dir = scratch("failing");
    let config = failing_config(&dir, closed_port());
    let served = Served::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Some(config),
        Vec::new(),
        open(&dir),
    )
    .await;
    let addr = served.addr;
    // The HPA: ScalingActive=False, no rescale (3 stays 3).
    let s = wait_for(
        "an HPA decision on the failing metric",
        Duration::from_secs(10),
        || async {
            let s = state(addr).await;
            let ok = variant(&s, "hpa")["last"]["decision"].is_object()
                && variant(&s, "keda")["last"]["decision"]["desiredReplicas"] == 7;
            ok.then_some(s)
        },
    )
    .await;
    let prom = source(&s, "prom");
    assert_eq!(prom["health"], "failing");
    assert!(
        prom["error"]
            .as_str()
            .unwrap()
            .contains("Connection refused"),
        "{prom}"
    );
    let hpa = variant(&s, "hpa");
    let last = &hpa["last"];
    assert_eq!(last["current"], 3);
    assert_eq!(last["decision"]["desiredReplicas"], 3);
    assert_eq!(
        condition(last, "ScalingActive").as_deref(),
        Some("False/FailedGetExternalMetric")
    );
    let input_error = last["inputs"][0]["error"].as_str().unwrap();
    assert!(input_error.contains("prom failing for"), "{input_error}");
    replays(hpa);
    // KEDA: fallback to 7 after 2 failures.
    let keda = variant(&s, "keda");
    assert_eq!(
        condition(&keda["last"], "Fallback").as_deref(),
        Some("True/FallbackExists")
    );
    replays(keda);
    // Visible on /metrics, and the agent is ready (the source did poll).
    let m = get(addr, "/metrics").await.body;
    assert!(
        m.contains("replicast_source_up{source=\"prom\",kind=\"prometheus\"} 0"),
        "{m}"
    );
    assert!(
        m.contains(
            "replicast_desired_replicas{variant=\"keda\",kind=\"ScaledObject\",name=\"worker\"} 7"
        ),
        "{m}"
    );
    assert_eq!(get(addr, "/readyz").await.status, 200);
    assert!(
        s["log"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("source prom failing"),
        "{}",
        s["log"]
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_guard_the_api_and_reload_and_bodies_are_limited() {
    let dir = scratch("token");
    let config = failing_config(&dir, closed_port());
    let options = ServeOptions {
        dir: dir.clone(),
        token: Some(TOKEN.into()),
        metrics_public: true,
    };
    let served = Served::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Some(config.clone()),
        Vec::new(),
        options,
    )
    .await;
    let addr = served.addr;
    let bearer = format!("Bearer {TOKEN}");
    let auth: &[(&str, &str)] = &[("Authorization", bearer.as_str())];
    assert_eq!(get(addr, "/api/state").await.status, 401);
    assert_eq!(
        http(
            addr,
            "GET",
            "/api/state",
            &[("Authorization", "Bearer nope")],
            b""
        )
        .await
        .status,
        401
    );
    assert_eq!(http(addr, "GET", "/api/state", auth, b"").await.status, 200);
    let by_query = get(addr, &format!("/api/state?since=0&token={TOKEN}")).await;
    assert_eq!(by_query.status, 200);
    assert_eq!(get(addr, "/metrics").await.status, 200, "--metrics-public");
    assert_eq!(get(addr, "/healthz").await.status, 200);
    // Reload: always the token.
    assert_eq!(
        http(addr, "POST", "/api/reload", &[], b"").await.status,
        401
    );
    let big = vec![b'x'; 70 * 1024];
    let r = http(addr, "POST", "/api/reload", auth, &big).await;
    assert_eq!(r.status, 413, "{}", r.body);
    // A broken file is refused, with its place; the running plan stays.
    std::fs::write(
        &config,
        "sources:\n  - name: prom\n    type: prometheus\n    period: soon\n",
    )
    .unwrap();
    let r = http(addr, "POST", "/api/reload", auth, b"").await;
    assert_eq!(r.status, 400, "{}", r.body);
    let e = r.json();
    assert_eq!(e["error"]["path"], "sources[0].period");
    assert_eq!(e["error"]["line"], 4);
    let s = http(addr, "GET", "/api/state", auth, b"").await.json();
    assert_eq!(s["variants"].as_array().unwrap().len(), 2);
    // A good one replaces it.
    failing_config(&dir, closed_port());
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace("  - name: keda\n", "  - name: keda2\n");
    std::fs::write(&config, text).unwrap();
    let r = http(addr, "POST", "/api/reload", auth, b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = http(addr, "GET", "/api/state?since=0", auth, b"")
        .await
        .json();
    variant(&s, "keda2");
    assert!(
        s["log"].as_array().unwrap().iter().any(|l| l["message"]
            .as_str()
            .unwrap()
            .starts_with("configuration reloaded")),
        "{}",
        s["log"]
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_stream_sends_readings_and_decisions() {
    let dir = scratch("sse");
    let config = failing_config(&dir, closed_port());
    let served = Served::start(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        Some(config),
        Vec::new(),
        open(&dir),
    )
    .await;
    let addr = served.addr;
    let seen =
        tokio::task::spawn_blocking(move || read_events(addr, &["hello", "reading", "decision"]))
            .await
            .unwrap();
    assert!(seen.contains("\"source\":\"prom\""), "{seen}");
    assert!(seen.contains("\"variant\":\"hpa\""), "{seen}");
    served.stop().await;
}

/// Reads `/api/live` until every event name in `wanted` has arrived (10 s).
fn read_events(addr: SocketAddr, wanted: &[&str]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /api/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut text = String::new();
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < Duration::from_secs(10) {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        text.push_str(&line);
        if wanted
            .iter()
            .all(|w| text.contains(&format!("event: {w}\n")))
        {
            return text;
        }
    }
    panic!("missing events {wanted:?} in:\n{text}");
}

fn spawn_agent(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_replicast"))
        .arg("agent")
        .args(args)
        .env("RUST_LOG", "info")
        .env_remove("REPLICAST_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "replicast did not exit in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn beyond_loopback_the_binary_needs_a_token() {
    let mut child = spawn_agent(&["--addr", "0.0.0.0", "--port", "0"]);
    let status = wait_exit(&mut child, Duration::from_secs(10));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success());
    assert!(err.contains("beyond loopback) needs a token"), "{err}");
}

#[test]
fn the_binary_reports_config_errors_with_their_line() {
    let dir = scratch("badconfig");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        "sources:\n  - name: gpu\n    type: nvml\n    perod: 1s\n",
    )
    .unwrap();
    let mut child = spawn_agent(&["--port", "0", "--config", config.to_str().unwrap()]);
    let status = wait_exit(&mut child, Duration::from_secs(10));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success());
    assert!(
        err.contains("agent.yaml:4:5: sources[0].perod: unknown field `perod`"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn the_binary_stops_cleanly_on_sigterm_with_a_live_client() {
    let dir = scratch("sigterm");
    let config = failing_config(&dir, closed_port());
    let mut child = spawn_agent(&[
        "--port",
        "0",
        "--dir",
        dir.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let addr: SocketAddr = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "replicast exited before listening"
        );
        if line.contains("serving ") {
            let rest = line.split("http://").nth(1).unwrap();
            break rest.trim_end().trim_end_matches('/').parse().unwrap();
        }
    };
    let events = std::thread::spawn(move || read_events(addr, &["hello", "decision"]));
    let seen = events.join().unwrap();
    assert!(seen.contains("event: decision"));
    // A client stays connected to the stream while SIGTERM arrives.
    let mut client = TcpStream::connect(addr).unwrap();
    write!(client, "GET /api/live HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    let mut rest = String::new();
    let _ = stderr.read_to_string(&mut rest);
    assert!(
        rest.contains("SIGTERM: shutting down") && rest.contains("stopped"),
        "{rest}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_hangs_times_out_visibly() {
    // A "Prometheus" that accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
            if held.len() > 64 {
                held.remove(0);
            }
        }
    });
    let dir = scratch("hang");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        format!(
            "sources:\n  - {{name: prom, type: prometheus, url: 'http://127.0.0.1:{port}', period: 200ms, timeout: 300ms, queries: {{q: up}}}}\n"
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
    let s = wait_for("two timed-out polls", Duration::from_secs(10), || async {
        let s = state(addr).await;
        (source(&s, "prom")["consecutiveFailures"].as_u64() >= Some(2)).then_some(s)
    })
    .await;
    assert_eq!(source(&s, "prom")["error"], "timed out after 300ms");
    assert_eq!(get(addr, "/healthz").await.body, "ok");
    served.stop().await;
    hold.abort();
}
