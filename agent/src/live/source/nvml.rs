//! GPUs through NVML (`nvml-wrapper`, which loads `libnvidia-ml.so.1` at run
//! time: the binary has no link-time dependency on the driver).
//!
//! Per GPU: utilization (gpu, memory), memory used/total, power, temperature
//! and SM clock, labelled with the GPU's index, UUID and model. A GPU in MIG
//! mode is noted: NVML does not report utilization per MIG instance, so the
//! device-level figures are the whole GPU's (or absent, where the driver
//! refuses them). Keys: `gpuN.utilization`, `gpuN.memory_utilization`,
//! `gpuN.memory_used_bytes`, `gpuN.memory_total_bytes`, `gpuN.power_watts`,
//! `gpuN.temperature_celsius`, `gpuN.sm_clock_mhz`, `gpuN.mig_enabled`; and
//! over all GPUs: `utilization` and `memory_utilization` (mean),
//! `memory_used_bytes`, `memory_total_bytes` and `power_watts` (sum),
//! `temperature_celsius` (max), `sm_clock_mhz` (mean), `count`.
//!
//! No library, no driver, no permission, no GPU: each poll fails with the
//! exact reason (the agent runs on without GPU readings), and the next poll
//! tries again, so a driver that appears later is picked up.

use std::ffi::OsStr;
use std::sync::{Arc, Mutex};

use nvml_wrapper::Nvml;
use nvml_wrapper::enum_wrappers::device::{Clock, TemperatureSensor};
use nvml_wrapper::error::NvmlError;

use super::{Poll, PollFuture, Sample, Source};
use crate::live::metrics::{
    GPU_MEMORY_TOTAL, GPU_MEMORY_USED, GPU_MEMORY_UTILIZATION, GPU_MIG_ENABLED, GPU_POWER,
    GPU_SM_CLOCK, GPU_TEMPERATURE, GPU_UTILIZATION,
};

/// The library NVML is loaded from by default (what the driver installs).
pub const DEFAULT_LIB: &str = "libnvidia-ml.so.1";

/// What one GPU reported; a field the device does not support is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GpuStats {
    /// NVML's index.
    pub index: u32,
    /// `GPU-...`.
    pub uuid: String,
    /// The model (`NVIDIA H100 80GB HBM3`).
    pub model: String,
    /// utilization.gpu, percent.
    pub utilization: Option<f64>,
    /// utilization.memory, percent.
    pub memory_utilization: Option<f64>,
    /// Frame buffer in use, bytes.
    pub memory_used_bytes: Option<f64>,
    /// Frame buffer installed, bytes.
    pub memory_total_bytes: Option<f64>,
    /// Board power, watts.
    pub power_watts: Option<f64>,
    /// Core temperature, °C.
    pub temperature_celsius: Option<f64>,
    /// SM clock, MHz.
    pub sm_clock_mhz: Option<f64>,
    /// MIG mode on (`None`: the GPU has no MIG).
    pub mig_enabled: Option<bool>,
}

/// The samples (keys and exported gauges) for a set of GPUs: what every GPU
/// source reports, whatever read the figures.
pub fn gpu_samples(gpus: &[GpuStats]) -> Vec<Sample> {
    let mut out = Vec::new();
    for g in gpus {
        let labels = vec![
            ("gpu", g.index.to_string()),
            ("uuid", g.uuid.clone()),
            ("model", g.model.clone()),
        ];
        let fields = [
            ("utilization", g.utilization, &GPU_UTILIZATION),
            (
                "memory_utilization",
                g.memory_utilization,
                &GPU_MEMORY_UTILIZATION,
            ),
            ("memory_used_bytes", g.memory_used_bytes, &GPU_MEMORY_USED),
            (
                "memory_total_bytes",
                g.memory_total_bytes,
                &GPU_MEMORY_TOTAL,
            ),
            ("power_watts", g.power_watts, &GPU_POWER),
            (
                "temperature_celsius",
                g.temperature_celsius,
                &GPU_TEMPERATURE,
            ),
            ("sm_clock_mhz", g.sm_clock_mhz, &GPU_SM_CLOCK),
            (
                "mig_enabled",
                g.mig_enabled.map(|m| if m { 1.0 } else { 0.0 }),
                &GPU_MIG_ENABLED,
            ),
        ];
        for (key, value, family) in fields {
            if let Some(v) = value {
                out.push(Sample::exported(
                    format!("gpu{}.{key}", g.index),
                    v,
                    family,
                    labels.clone(),
                ));
            }
        }
    }
    let all = |f: fn(&GpuStats) -> Option<f64>| gpus.iter().filter_map(f).collect::<Vec<_>>();
    let mean = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let sum = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>());
    let max = |v: Vec<f64>| v.into_iter().reduce(f64::max);
    let aggregates = [
        ("utilization", mean(all(|g| g.utilization))),
        ("memory_utilization", mean(all(|g| g.memory_utilization))),
        ("memory_used_bytes", sum(all(|g| g.memory_used_bytes))),
        ("memory_total_bytes", sum(all(|g| g.memory_total_bytes))),
        ("power_watts", sum(all(|g| g.power_watts))),
        ("temperature_celsius", max(all(|g| g.temperature_celsius))),
        ("sm_clock_mhz", mean(all(|g| g.sm_clock_mhz))),
        ("count", Some(gpus.len() as f64)),
    ];
    for (key, value) in aggregates {
        if let Some(v) = value {
            out.push(Sample::plain(key, v));
        }
    }
    out
}

/// NVML, loaded on the first poll and again after it fails.
pub struct NvmlSource {
    lib: String,
    nvml: Arc<Mutex<Option<Nvml>>>,
}

impl NvmlSource {
    /// A source reading through the library at `lib` (default [`DEFAULT_LIB`]).
    pub fn new(lib: Option<String>) -> NvmlSource {
        NvmlSource {
            lib: lib.unwrap_or_else(|| DEFAULT_LIB.to_string()),
            nvml: Arc::new(Mutex::new(None)),
        }
    }
}

impl Source for NvmlSource {
    fn kind(&self) -> &'static str {
        "nvml"
    }

    fn poll(&mut self) -> PollFuture<'_> {
        let lib = self.lib.clone();
        let nvml = Arc::clone(&self.nvml);
        Box::pin(async move {
            // NVML calls block: run them off the async workers.
            tokio::task::spawn_blocking(move || read(&lib, &nvml))
                .await
                .map_err(|e| format!("the NVML reader stopped: {e}"))?
        })
    }
}

/// Why NVML could not start, in words an operator can act on.
pub fn init_error(lib: &str, e: &NvmlError) -> String {
    match e {
        NvmlError::LibloadingError(le) => format!(
            "cannot load {lib}: {le} (no NVIDIA driver on this machine, or the container \
             lacks the NVIDIA runtime)"
        ),
        NvmlError::DriverNotLoaded => {
            format!(
                "{lib} loaded, but the NVIDIA kernel driver is not loaded (NVML: DriverNotLoaded)"
            )
        }
        NvmlError::NoPermission => {
            format!(
                "{lib} loaded, but NVML has no permission to talk to the driver (NVML: NoPermission)"
            )
        }
        NvmlError::FailedToLoadSymbol(s) => {
            format!("{lib} is too old for this agent: symbol missing: {s}")
        }
        other => format!("NVML initialization failed: {other}"),
    }
}

fn read(lib: &str, slot: &Mutex<Option<Nvml>>) -> Result<Poll, String> {
    let mut guard = slot
        .try_lock()
        .map_err(|_| "the previous NVML call is still running".to_string())?;
    if guard.is_none() {
        let mut builder = Nvml::builder();
        builder.lib_path(OsStr::new(lib));
        *guard = Some(builder.init().map_err(|e| init_error(lib, &e))?);
    }
    let Some(nvml) = guard.as_ref() else {
        return Err("NVML is not initialized".into());
    };
    match read_devices(nvml) {
        Ok(poll) => Ok(poll),
        Err(e) => {
            // Start over next time (a GPU lost, a driver reloaded).
            *guard = None;
            Err(e)
        }
    }
}

fn read_devices(nvml: &Nvml) -> Result<Poll, String> {
    let count = nvml
        .device_count()
        .map_err(|e| format!("NVML could not count GPUs: {e}"))?;
    if count == 0 {
        let driver = nvml.sys_driver_version().unwrap_or_default();
        return Err(format!(
            "NVML is loaded (driver {driver}) but reports no GPU"
        ));
    }
    let mut notes = Vec::new();
    let mut gpus = Vec::with_capacity(count as usize);
    for i in 0..count {
        let d = nvml
            .device_by_index(i)
            .map_err(|e| format!("GPU {i}: {e}"))?;
        let mut unsupported: Vec<String> = Vec::new();
        // A lost GPU or NVML gone means start over; anything else (most often
        // NotSupported) leaves that one field out, noted.
        let mut field = |what: &str, r: Result<Vec<f64>, NvmlError>| match r {
            Ok(v) => Ok(v.into_iter().map(Some).collect::<Vec<_>>()),
            Err(e @ (NvmlError::GpuLost | NvmlError::Uninitialized)) => {
                Err(format!("GPU {i}: {what}: {e}"))
            }
            Err(NvmlError::NotSupported) => {
                unsupported.push(what.to_string());
                Ok(vec![None, None])
            }
            Err(e) => {
                unsupported.push(format!("{what} ({e})"));
                Ok(vec![None, None])
            }
        };
        let util = field(
            "utilization",
            d.utilization_rates()
                .map(|u| vec![f64::from(u.gpu), f64::from(u.memory)]),
        )?;
        let memory = field(
            "memory",
            d.memory_info().map(|m| vec![m.used as f64, m.total as f64]),
        )?;
        let power = field(
            "power",
            d.power_usage().map(|mw| vec![f64::from(mw) / 1000.0]),
        )?;
        let temperature = field(
            "temperature",
            d.temperature(TemperatureSensor::Gpu)
                .map(|t| vec![f64::from(t)]),
        )?;
        let clock = field(
            "SM clock",
            d.clock_info(Clock::SM).map(|c| vec![f64::from(c)]),
        )?;
        let mig_enabled = d.mig_mode().ok().map(|m| m.current == 1);
        let stats = GpuStats {
            index: d.index().unwrap_or(i),
            uuid: d.uuid().unwrap_or_default(),
            model: d.name().unwrap_or_default(),
            utilization: util[0],
            memory_utilization: util[1],
            memory_used_bytes: memory[0],
            memory_total_bytes: memory[1],
            power_watts: power[0],
            temperature_celsius: temperature[0],
            sm_clock_mhz: clock[0],
            mig_enabled,
        };
        if mig_enabled == Some(true) {
            notes.push(format!(
                "GPU {i} ({}) is in MIG mode: NVML does not report utilization per MIG \
                 instance; the device figures cover the whole GPU{}",
                stats.model,
                if stats.utilization.is_none() {
                    " and utilization is not available"
                } else {
                    ""
                }
            ));
        }
        if !unsupported.is_empty() {
            notes.push(format!(
                "GPU {i} ({}): not available from this device or driver: {}",
                stats.model,
                unsupported.join(", ")
            ));
        }
        gpus.push(stats);
    }
    Ok(Poll {
        samples: gpu_samples(&gpus),
        key_errors: Vec::new(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_per_gpu_and_over_all() {
        let gpus = [
            GpuStats {
                index: 0,
                uuid: "GPU-a".into(),
                model: "T".into(),
                utilization: Some(80.0),
                memory_used_bytes: Some(1e9),
                temperature_celsius: Some(60.0),
                mig_enabled: Some(false),
                ..Default::default()
            },
            GpuStats {
                index: 1,
                uuid: "GPU-b".into(),
                model: "T".into(),
                utilization: Some(60.0),
                memory_used_bytes: Some(2e9),
                temperature_celsius: Some(70.0),
                ..Default::default()
            },
        ];
        let s = gpu_samples(&gpus);
        let get = |k: &str| s.iter().find(|x| x.key == k).map(|x| x.value);
        assert_eq!(get("gpu0.utilization"), Some(80.0));
        assert_eq!(get("gpu1.utilization"), Some(60.0));
        assert_eq!(get("utilization"), Some(70.0));
        assert_eq!(get("memory_used_bytes"), Some(3e9));
        assert_eq!(get("temperature_celsius"), Some(70.0));
        assert_eq!(get("count"), Some(2.0));
        assert_eq!(get("gpu0.mig_enabled"), Some(0.0));
        assert_eq!(get("gpu1.mig_enabled"), None);
        assert_eq!(get("power_watts"), None);
        let e = s.iter().find(|x| x.key == "gpu0.utilization").unwrap();
        let export = e.export.as_ref().unwrap();
        assert_eq!(export.family.name, "gpu_utilization");
        assert_eq!(export.labels[1], ("uuid", "GPU-a".to_string()));
    }

    #[test]
    fn a_missing_library_is_reported_exactly() {
        let mut source = NvmlSource::new(Some("libnvidia-ml-not-here.so.1".into()));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = rt.block_on(source.poll()).unwrap_err();
        assert!(
            e.starts_with("cannot load libnvidia-ml-not-here.so.1: "),
            "{e}"
        );
        assert!(e.contains("no NVIDIA driver"), "{e}");
    }
}
