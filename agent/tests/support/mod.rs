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
    http_within(addr, method, path, headers, body, Duration::from_secs(10)).await
}

/// [`http`] with its own time limit.
pub async fn http_within(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    limit: Duration,
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
        // Read the head, then the body by its Content-Length when given
        // (some servers keep the connection open despite `close`).
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = s.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
            let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length = head.lines().find_map(|l| {
                l.strip_prefix("content-length:")
                    .and_then(|v| v.trim().parse::<usize>().ok())
            });
            if let Some(len) = length {
                if raw.len() >= end + 4 + len {
                    raw.truncate(end + 4 + len);
                    break;
                }
            }
        }
        Ok::<_, std::io::Error>(raw)
    };
    let raw = tokio::time::timeout(limit, exchange)
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no answer in {}s", limit.as_secs()))
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

/// Headless Chromium driven over WebDriver (Debian's `chromium` and
/// `chromium-driver`, which `cargo xtask test` installs for the browser
/// tests): `None` when they are not installed.
pub struct Browser {
    driver: std::process::Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    pub async fn start() -> Option<Browser> {
        let (chromium, driver) = ("/usr/bin/chromium", "/usr/bin/chromedriver");
        if !Path::new(chromium).is_file() || !Path::new(driver).is_file() {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Its own process group: the browsers it starts go with it on drop.
        let child = {
            use std::os::unix::process::CommandExt as _;
            std::process::Command::new(driver)
                .arg(format!("--port={port}"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .process_group(0)
                .spawn()
                .ok()?
        };
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut browser = Browser {
            driver: child,
            addr,
            session: String::new(),
        };
        wait_for("chromedriver", Duration::from_secs(20), || async move {
            TcpStream::connect(addr).await.ok().map(|_| ())
        })
        .await;
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run"]}
        }}});
        // Chromium can take a while to start on a busy machine.
        let r = http_within(
            addr,
            "POST",
            "/session",
            &[("Content-Type", "application/json")],
            caps.to_string().as_bytes(),
            Duration::from_secs(90),
        )
        .await;
        let v = r.json();
        browser.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {}", r.body))
            .to_string();
        Some(browser)
    }

    async fn command(&self, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let r = http_within(
            self.addr,
            "POST",
            &path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
            Duration::from_secs(60),
        )
        .await;
        assert_eq!(r.status, 200, "WebDriver {path}: {}", r.body);
        r.json()["value"].clone()
    }

    pub async fn open(&self, url: &str) {
        self.command("/url", serde_json::json!({"url": url})).await;
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub async fn eval(&self, script: &str) -> Value {
        self.command(
            "/execute/sync",
            serde_json::json!({"script": script, "args": []}),
        )
        .await
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closes the session's Chromium, then ends the driver we started.
        if let Ok(mut s) = std::net::TcpStream::connect(self.addr) {
            use std::io::{Read as _, Write as _};
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.session, self.addr
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(std::process::Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
