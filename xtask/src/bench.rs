//! `cargo xtask bench-agent [SECONDS]`: the agent's performance figures,
//! printed (a bench, not a timed test).
//!
//! Builds the release binary, starts a real RabbitMQ and Prometheus (as the
//! tests do), runs `replicast agent` with every source polled once a second
//! (NVML, RabbitMQ over AMQP and over the management API, a Prometheus
//! query) and two variants (the seed's ScaledObject and a queue HPA), while
//! Prometheus scrapes it every second. Then:
//!
//! 1. idle: after 10 s of warm-up, RSS (`VmRSS`, and the peak `VmHWM`) and
//!    CPU (user + system ticks over SECONDS, default 60) from `/proc`;
//! 2. `/metrics` under `wrk` on loopback, 2 threads, 32 connections, 10 s:
//!    requests per second and the 99th percentile latency.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::build::{self, Agent};
use crate::ctx::{Ctx, output};
use crate::services::{self, Services};

fn proc_status(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// utime + stime, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Runs the bench.
pub fn agent(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    let seconds: u64 = match args.first() {
        Some(s) => s
            .parse()
            .map_err(|_| format!("{s:?}: the idle sample's length in seconds"))?,
        None => 60,
    };
    services::packages(ctx, true)?;
    let bin = build::binary(ctx, Agent::Release)?;
    let work = ctx.target.join("agent-bench");
    let services = Services::start(&work.join("services"))?;
    let fixtures = ctx.root.join("agent/tests/fixtures");
    let config = work.join("agent.yaml");
    std::fs::write(
        &config,
        format!(
            "sources:\n\
             - {{name: gpu, type: nvml, period: 1s}}\n\
             - {{name: rabbit, type: rabbitmq, url: '{amqp}', period: 1s}}\n\
             - {{name: mgmt, type: rabbitmq, url: '{http}', period: 1s}}\n\
             - {{name: prom, type: prometheus, url: '{prom}', period: 1s}}\n\
             variants:\n\
             - {{name: seed-keda, file: '{seed}', period: 1s}}\n\
             - name: queue-hpa\n\
             \x20 period: 1s\n\
             \x20 replicas: 2\n\
             \x20 signals: {{queue: mgmt.ml-inference-queue.messages}}\n\
             \x20 manifests: |\n\
             \x20   apiVersion: autoscaling/v2\n\
             \x20   kind: HorizontalPodAutoscaler\n\
             \x20   metadata: {{name: queue-hpa}}\n\
             \x20   spec:\n\
             \x20     scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: worker}}\n\
             \x20     maxReplicas: 10\n\
             \x20     metrics:\n\
             \x20     - type: External\n\
             \x20       external: {{metric: {{name: queue}}, target: {{type: AverageValue, averageValue: '5'}}}}\n",
            amqp = services.rabbitmq.amqp_url(),
            http = services.rabbitmq.http_url(),
            prom = services.prometheus.url(),
            seed = fixtures.join("ml-batch-keda.yaml").display(),
        ),
    )
    .map_err(|e| format!("writing {}: {e}", config.display()))?;
    let port = services.agent_port;
    let mut agent = Command::new(&bin)
        .args(["agent", "--port", &port.to_string(), "--config"])
        .arg(&config)
        .arg("--dir")
        .arg(ctx.root.join("dist"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let pid = agent.id();
    let result = measure(pid, port, seconds);
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = agent.wait();
    drop(services);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn measure(pid: u32, port: u16, seconds: u64) -> Result<(), String> {
    println!(
        "xtask: bench: warming up 10s (every source polled at 1 Hz, Prometheus scraping /metrics at 1 Hz)"
    );
    std::thread::sleep(Duration::from_secs(10));
    let hz: f64 = output(Command::new("getconf").arg("CLK_TCK"))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    let t0 = Instant::now();
    let c0 = cpu_ticks(pid).ok_or("the agent exited during the warm-up")?;
    let mut rss_max = 0;
    while t0.elapsed() < Duration::from_secs(seconds) {
        rss_max = rss_max.max(proc_status(pid, "VmRSS:").unwrap_or(0));
        std::thread::sleep(Duration::from_millis(500));
    }
    let c1 = cpu_ticks(pid).ok_or("the agent exited during the sample")?;
    let cpu = (c1 - c0) as f64 / hz / t0.elapsed().as_secs_f64() * 100.0;
    let rss = proc_status(pid, "VmRSS:").unwrap_or(0);
    let hwm = proc_status(pid, "VmHWM:").unwrap_or(0);
    println!(
        "bench: idle at 1 Hz polling over {seconds}s: RSS {:.1} MB now, {:.1} MB highest sampled, {:.1} MB peak (VmHWM); CPU {cpu:.2} % of one core",
        rss as f64 / 1024.0,
        rss_max as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    if !Path::new("/usr/bin/wrk").is_file() {
        return Err("wrk is missing (apt-get install wrk)".into());
    }
    let url = format!("http://127.0.0.1:{port}/metrics");
    let out = Command::new("wrk")
        .args(["-t2", "-c32", "-d10s", "--timeout", "5s", "--latency", &url])
        .output()
        .map_err(|e| format!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("?");
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("?");
    let p50 = text
        .lines()
        .find(|l| l.trim_start().starts_with("50%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("?");
    let errors = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .unwrap_or("no errors");
    let body = text
        .lines()
        .find(|l| l.contains("requests in"))
        .unwrap_or("")
        .trim();
    let after = proc_status(pid, "VmRSS:").unwrap_or(0);
    println!(
        "bench: /metrics under wrk (loopback, 2 threads, 32 connections, 10s): {rps} requests/s, p50 {p50}, p99 {p99}; {body}; {errors}; RSS after {:.1} MB",
        after as f64 / 1024.0
    );
    Ok(())
}
