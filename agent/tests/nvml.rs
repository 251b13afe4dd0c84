//! NVML. Where a GPU is present (the NVIDIA device `/dev/nvidiactl` exists,
//! or `REPLICAST_REQUIRE_GPU=1`), the real source must read every GPU and
//! the agent must export `gpu_utilization`; elsewhere that test says plainly
//! that it was skipped, and the agent must run on without GPU readings,
//! reporting why.

mod support;

use std::path::Path;
use std::time::Duration;

use replicast::live::source::Source as _;
use replicast::live::source::nvml::NvmlSource;
use support::*;
use tokio::net::TcpListener;

fn gpu_expected() -> bool {
    Path::new("/dev/nvidiactl").exists()
        || std::env::var("REPLICAST_REQUIRE_GPU").is_ok_and(|v| v == "1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nvml_reads_every_gpu_where_one_is_present() {
    let mut source = NvmlSource::new(None);
    let poll = match source.poll().await {
        Ok(poll) => poll,
        Err(why) if !gpu_expected() => {
            println!(
                "SKIPPED nvml_reads_every_gpu_where_one_is_present: no NVIDIA GPU here ({why})"
            );
            return;
        }
        Err(why) => panic!("a GPU is expected here but NVML failed: {why}"),
    };
    let value = |k: &str| poll.samples.iter().find(|s| s.key == k).map(|s| s.value);
    let count = value("count").expect("a GPU count") as usize;
    assert!(count >= 1);
    for i in 0..count {
        let u = value(&format!("gpu{i}.utilization"));
        let mig = value(&format!("gpu{i}.mig_enabled")) == Some(1.0);
        match u {
            Some(u) => assert!((0.0..=100.0).contains(&u), "gpu{i} utilization {u}"),
            None => assert!(
                mig,
                "gpu{i} has no utilization and is not in MIG mode: {:?}",
                poll.notes
            ),
        }
        let total = value(&format!("gpu{i}.memory_total_bytes")).expect("memory total");
        let used = value(&format!("gpu{i}.memory_used_bytes")).expect("memory used");
        assert!(
            total > 0.0 && used >= 0.0 && used <= total,
            "{used} of {total}"
        );
        let sample = poll
            .samples
            .iter()
            .find(|s| s.key == format!("gpu{i}.memory_total_bytes"))
            .unwrap();
        let labels = &sample.export.as_ref().unwrap().labels;
        assert!(
            labels
                .iter()
                .any(|(k, v)| *k == "uuid" && (v.starts_with("GPU-") || v.starts_with("MIG-"))),
            "{labels:?}"
        );
        println!(
            "gpu{i}: utilization {u:?} %, memory {:.1}/{:.1} GiB, power {:?} W, temperature {:?} °C, SM clock {:?} MHz, MIG {mig}",
            used / (1u64 << 30) as f64,
            total / (1u64 << 30) as f64,
            value(&format!("gpu{i}.power_watts")),
            value(&format!("gpu{i}.temperature_celsius")),
            value(&format!("gpu{i}.sm_clock_mhz")),
        );
    }
    for n in &poll.notes {
        println!("note: {n}");
    }

    // Through the agent: `gpu_utilization` on /metrics, one series per GPU.
    let dir = scratch("nvml");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        "sources:\n  - {name: gpu, type: nvml, period: 500ms}\n",
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
    let m = wait_for(
        "gpu_utilization on /metrics",
        Duration::from_secs(10),
        || async {
            let m = get(addr, "/metrics").await.body;
            m.contains("gpu_memory_total_bytes{gpu=\"0\"").then_some(m)
        },
    )
    .await;
    println!(
        "{}",
        m.lines()
            .filter(|l| l.starts_with("gpu_"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    served.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_gpu_the_source_says_why_and_the_agent_runs_on() {
    if gpu_expected() {
        println!(
            "SKIPPED without_a_gpu_the_source_says_why_and_the_agent_runs_on: this machine has a GPU"
        );
        return;
    }
    let dir = scratch("nogpu");
    let config = dir.join("agent.yaml");
    std::fs::write(
        &config,
        "sources:\n  - {name: gpu, type: nvml, period: 200ms}\n",
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
    let s = wait_for("two failed NVML polls", Duration::from_secs(10), || async {
        let s = state(addr).await;
        (source(&s, "gpu")["consecutiveFailures"].as_u64() >= Some(2)).then_some(s)
    })
    .await;
    let gpu = source(&s, "gpu");
    assert_eq!(gpu["health"], "failing");
    let why = gpu["error"].as_str().unwrap();
    assert!(
        why.starts_with("cannot load libnvidia-ml.so.1: ")
            || why.contains("driver is not loaded")
            || why.contains("reports no GPU"),
        "{why}"
    );
    assert_eq!(get(addr, "/healthz").await.body, "ok");
    let m = get(addr, "/metrics").await.body;
    assert!(
        m.contains("replicast_source_up{source=\"gpu\",kind=\"nvml\"} 0"),
        "{m}"
    );
    assert!(!m.contains("gpu_utilization{"), "{m}");
    served.stop().await;
}
