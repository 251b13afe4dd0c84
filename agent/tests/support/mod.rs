//! Helpers for the agent's integration tests: a minimal HTTP client, the
//! agent served in-process, bounded waits, and a fake GPU source.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use replicast::live::source::nvml::{GpuStats, gpu_samples};
use replicast::live::source::{Poll, PollFuture, Source};
use replicast::live::{Agent, ExtraSource, ServeOptions};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// An HTTP response: status, lower-cased head, body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request (`Connection: close`), bounded to 10 s.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await?;
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).await?;
        s.write_all(body).await?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(raw)
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no answer in 10s"))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let head = head.to_ascii_lowercase();
    // Undo chunked encoding (axum streams some bodies).
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    Response { status, head, body }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub async fn get(addr: SocketAddr, path: &str) -> Response {
    http(addr, "GET", path, &[], b"").await
}

/// `GET /api/state?since=0`.
pub async fn state(addr: SocketAddr) -> Value {
    let r = get(addr, "/api/state?since=0").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Polls `probe` every 100 ms until it gives `Some`, at most `limit`.
pub async fn wait_for<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {}s waiting for {what}",
            limit.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The agent served in-process.
pub struct Served {
    pub addr: SocketAddr,
    pub agent: Arc<Agent>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Served {
    /// Starts the agent on `listener` with `config` and `extra` sources.
    pub async fn start(
        listener: TcpListener,
        config: Option<PathBuf>,
        extra: Vec<ExtraSource>,
        options: ServeOptions,
    ) -> Served {
        let addr = listener.local_addr().unwrap();
        let agent = Agent::new(config, extra);
        agent.start().await.unwrap_or_else(|e| panic!("{e}"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(replicast::live::serve(
            listener,
            Arc::clone(&agent),
            options,
            async {
                let _ = stopped.await;
            },
        ));
        Served {
            addr,
            agent,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and the agent; fails if that takes over 10 s.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), t)
                .await
                .expect("the agent stops within 10s")
                .unwrap()
                .unwrap();
        }
    }
}

/// Options: the playground from `dir`, no token.
pub fn open(dir: &Path) -> ServeOptions {
    ServeOptions {
        dir: dir.to_path_buf(),
        token: None,
        metrics_public: false,
    }
}

/// A scratch folder, fresh for this test and process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("replicast-agent-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    dir
}

/// A FAKE GPU source, for tests only: it reports the utilizations it is
/// given, through the same [`Source`] trait and the same samples
/// (`gpu_samples`) as the NVML source, so `/metrics` exports the same
/// `gpu_utilization` gauges.
#[derive(Clone, Default)]
pub struct FakeGpu {
    pub utilization: Arc<Mutex<Vec<f64>>>,
}

impl FakeGpu {
    pub fn new(utilization: &[f64]) -> FakeGpu {
        FakeGpu {
            utilization: Arc::new(Mutex::new(utilization.to_vec())),
        }
    }

    pub fn set(&self, utilization: &[f64]) {
        *self.utilization.lock().unwrap() = utilization.to_vec();
    }

    /// As an extra source named `name`, polled every `period` seconds.
    pub fn extra(&self, name: &str, period: f64) -> ExtraSource {
        let me = self.clone();
        ExtraSource {
            name: name.to_string(),
            period,
            timeout: 1.0,
            make: Box::new(move || Box::new(me.clone())),
        }
    }
}

impl Source for FakeGpu {
    fn kind(&self) -> &'static str {
        "fake-gpu"
    }

    fn poll(&mut self) -> PollFuture<'_> {
        let gpus: Vec<GpuStats> = self
            .utilization
            .lock()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, u)| GpuStats {
                index: i as u32,
                uuid: format!("GPU-fake-{i}"),
                model: "Fake GPU (tests only)".into(),
                utilization: Some(*u),
                memory_utilization: Some(u / 2.0),
                memory_used_bytes: Some(1e9),
                memory_total_bytes: Some(8e9),
                power_watts: Some(100.0 + u),
                temperature_celsius: Some(40.0 + u / 4.0),
                sm_clock_mhz: Some(1400.0),
                mig_enabled: Some(false),
            })
            .collect();
        Box::pin(async move {
            Ok(Poll {
                samples: gpu_samples(&gpus),
                ..Poll::default()
            })
        })
    }
}

/// Says a test was skipped, past the test harness's output capture (a
/// direct write to stderr), so that it shows in every run's log.
pub fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// The source named `name` in `/api/state`.
pub fn source<'a>(state: &'a Value, name: &str) -> &'a Value {
    state["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == name)
        .unwrap_or_else(|| panic!("no source {name} in {state}"))
}

/// The variant named `name` in `/api/state`.
pub fn variant<'a>(state: &'a Value, name: &str) -> &'a Value {
    state["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["variant"] == name)
        .unwrap_or_else(|| panic!("no variant {name} in {state}"))
}

/// A condition's status in a decision record (`last`).
pub fn condition(record: &Value, type_: &str) -> Option<String> {
    record["decision"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == type_)
        .map(|c| {
            format!(
                "{}/{}",
                c["status"].as_str().unwrap(),
                c["reason"].as_str().unwrap()
            )
        })
}
