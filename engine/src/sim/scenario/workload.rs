//! The `workload:` model: cpu, memory, gpu, cold start, SLO.

use alloc::format;
use alloc::string::String;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Path};
use crate::manifest::Workload;
use crate::quantity::Quantity;
use crate::time::Duration;

use super::{Levels, Mode, WorkloadModel, err};

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawWorkloadModel {
    #[serde(default)]
    pub(super) mode: Option<String>,
    #[serde(default)]
    capacity_per_replica: Option<f64>,
    #[serde(default)]
    cpu: Option<RawCpu>,
    #[serde(default)]
    memory: Option<RawMemory>,
    #[serde(default)]
    gpu: Option<RawGpu>,
    #[serde(default)]
    cold_start: Option<RawColdStart>,
    #[serde(default)]
    timeout: Option<Duration>,
    #[serde(default)]
    slo: Option<RawSlo>,
    /// `job`: read with a ScaledJob (`super::jobs`).
    #[serde(default)]
    pub(super) job: Option<super::jobs::RawJob>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCpu {
    #[serde(default)]
    idle: Option<Quantity>,
    #[serde(default)]
    busy: Option<Quantity>,
    #[serde(default)]
    startup: Option<Quantity>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMemory {
    #[serde(default)]
    base: Option<Quantity>,
    #[serde(default)]
    busy: Option<Quantity>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGpu {
    #[serde(default)]
    idle: Option<f64>,
    #[serde(default)]
    busy: Option<f64>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawColdStart {
    #[serde(default)]
    schedule: Option<Duration>,
    #[serde(default)]
    pull: Option<Duration>,
    #[serde(default)]
    load: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlo {
    #[serde(default)]
    latency: Option<Duration>,
}

impl RawWorkloadModel {
    pub(super) fn finish(self, target: &Workload, at: &Path) -> Result<WorkloadModel, Error> {
        let mode = match self.mode.as_deref() {
            None | Some("http") => Mode::Http,
            Some("queue") => Mode::Queue,
            Some(other) => {
                return Err(err(
                    ErrorKind::Invalid,
                    at.child("mode"),
                    format!("unknown mode {other:?}: `http` or `queue`"),
                ));
            }
        };
        let capacity = self.capacity_per_replica.unwrap_or(10.0);
        if !(capacity.is_finite() && capacity > 0.0) {
            return Err(err(
                ErrorKind::Invalid,
                at.child("capacityPerReplica"),
                "must be a number greater than 0 (work items per second one replica completes)",
            ));
        }
        let cores = |q: Option<Quantity>, field: &[&str], default: f64| -> Result<f64, Error> {
            match q {
                None => Ok(default),
                Some(q) if q.signum() < 0 => {
                    let mut p = at.clone();
                    for f in field {
                        p = p.child(f);
                    }
                    Err(err(ErrorKind::Invalid, p, "cannot be negative"))
                }
                Some(q) => Ok(q.as_approximate_f64()),
            }
        };
        let cpu_request = target.request_milli("cpu").map(|m| m as f64 / 1000.0);
        let cpu_raw = self.cpu.unwrap_or_default();
        let busy_default = cpu_request.unwrap_or(1.0);
        let cpu = Levels {
            idle: cores(cpu_raw.idle, &["cpu", "idle"], 0.1 * busy_default)?,
            busy: cores(cpu_raw.busy, &["cpu", "busy"], busy_default)?,
        };
        let cpu_startup = cores(cpu_raw.startup, &["cpu", "startup"], cpu.busy)?;
        let mem_request = target.request_milli("memory").map(|m| m as f64 / 1000.0);
        let mem_raw = self.memory.unwrap_or_default();
        let mem_default = mem_request.unwrap_or(512.0 * 1024.0 * 1024.0);
        let memory = Levels {
            idle: cores(mem_raw.base, &["memory", "base"], 0.5 * mem_default)?,
            busy: cores(mem_raw.busy, &["memory", "busy"], 0.75 * mem_default)?,
        };
        let gpu_raw = self.gpu.unwrap_or_default();
        let gpu = Levels {
            idle: gpu_raw.idle.unwrap_or(0.0),
            busy: gpu_raw.busy.unwrap_or(100.0),
        };
        for (v, f) in [(gpu.idle, "idle"), (gpu.busy, "busy")] {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                return Err(err(
                    ErrorKind::Invalid,
                    at.child("gpu").child(f),
                    "a GPU utilization is a percent between 0 and 100",
                ));
            }
        }
        let cs = self.cold_start.unwrap_or_default();
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        if timeout.as_secs_f64() <= 0.0 {
            return Err(err(
                ErrorKind::Invalid,
                at.child("timeout"),
                "must be greater than 0",
            ));
        }
        let slo = self
            .slo
            .and_then(|s| s.latency)
            .unwrap_or(Duration::from_secs(1));
        if slo.as_secs_f64() <= 0.0 {
            return Err(err(
                ErrorKind::Invalid,
                at.child("slo").child("latency"),
                "must be greater than 0",
            ));
        }
        Ok(WorkloadModel {
            mode,
            capacity_per_replica: capacity,
            cpu,
            cpu_startup,
            memory,
            gpu,
            schedule: cs.schedule.unwrap_or(Duration::from_secs(1)),
            pull: cs.pull.unwrap_or(Duration::from_secs(10)),
            load: cs.load.unwrap_or(Duration::from_secs(0)),
            timeout,
            slo_latency: slo,
        })
    }
}
