//! The `config-autoscaler` ConfigMap, read as Knative reads it
//! (knative/serving `pkg/autoscaler/config/config.go`: `defaultConfig`,
//! `NewConfigFromMap`, `validate`), with its error messages verbatim.

use alloc::format;
use alloc::string::{String, ToString};

use serde_json::Value;

use super::go::{self, SECOND};
use crate::error::{Error, ErrorKind, Path};
use crate::notice::{Notice, NoticeKind, Notices};

/// The KPA's class name (`autoscaling.knative.dev/class`).
pub const KPA_CLASS: &str = "kpa.autoscaling.knative.dev";
/// The HPA class, which the KPA does not decide for.
pub const HPA_CLASS: &str = "hpa.autoscaling.knative.dev";
/// `autoscaling.TargetMin`.
pub const TARGET_MIN: f64 = 0.01;
/// `autoscaling.WindowMin`: 6 s.
pub const WINDOW_MIN: i64 = 6 * SECOND;
/// `autoscaling.WindowMax`: 1 h.
pub const WINDOW_MAX: i64 = 3600 * SECOND;

/// `autoscalerconfig.Config`: the cluster-wide autoscaler settings.
/// Durations are nanoseconds, as Go's `time.Duration`.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub struct Config {
    pub pod_autoscaler_class: String,
    pub enable_scale_to_zero: bool,
    pub allow_zero_initial_scale: bool,
    pub max_scale_up_rate: f64,
    pub max_scale_down_rate: f64,
    /// `container-concurrency-target-percentage`, as a fraction.
    pub container_concurrency_target_fraction: f64,
    pub container_concurrency_target_default: f64,
    /// The RPS target utilization: 0.7, with no ConfigMap key (upstream
    /// reads no key for it; only the revision's annotation changes it).
    pub target_utilization: f64,
    pub rps_target_default: f64,
    pub target_burst_capacity: f64,
    pub panic_window_percentage: f64,
    pub activator_capacity: f64,
    pub panic_threshold_percentage: f64,
    pub initial_scale: i32,
    pub min_scale: i32,
    pub max_scale: i32,
    pub max_scale_limit: i32,
    pub stable_window: i64,
    pub scale_down_delay: i64,
    pub scale_to_zero_grace_period: i64,
    pub scale_to_zero_pod_retention_period: i64,
}

impl Default for Config {
    /// `defaultConfig()`.
    fn default() -> Config {
        Config {
            pod_autoscaler_class: KPA_CLASS.to_string(),
            enable_scale_to_zero: true,
            allow_zero_initial_scale: false,
            max_scale_up_rate: 1000.0,
            max_scale_down_rate: 2.0,
            container_concurrency_target_fraction: 0.7,
            container_concurrency_target_default: 100.0,
            target_utilization: 0.7,
            rps_target_default: 200.0,
            target_burst_capacity: 211.0,
            panic_window_percentage: 10.0,
            activator_capacity: 100.0,
            panic_threshold_percentage: 200.0,
            initial_scale: 1,
            min_scale: 0,
            max_scale: 0,
            max_scale_limit: 0,
            stable_window: 60 * SECOND,
            scale_down_delay: 0,
            scale_to_zero_grace_period: 30 * SECOND,
            scale_to_zero_pod_retention_period: 0,
        }
    }
}

/// The keys `NewConfigFromMap` reads.
const KEYS: &[&str] = &[
    "pod-autoscaler-class",
    "enable-scale-to-zero",
    "allow-zero-initial-scale",
    "max-scale-up-rate",
    "max-scale-down-rate",
    "container-concurrency-target-percentage",
    "container-concurrency-target-default",
    "requests-per-second-target-default",
    "target-burst-capacity",
    "panic-window-percentage",
    "activator-capacity",
    "panic-threshold-percentage",
    "initial-scale",
    "min-scale",
    "max-scale",
    "max-scale-limit",
    "stable-window",
    "scale-down-delay",
    "scale-to-zero-grace-period",
    "scale-to-zero-pod-retention-period",
];

/// Go's `time.Duration.String()` (`1m0s`, `6s`, `500ms`, `1h0m0s`).
pub fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".to_string();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let u = ns.unsigned_abs();
    let frac = |v: u64, unit: u64| -> String {
        let whole = v / unit;
        let rest = v % unit;
        if rest == 0 {
            return whole.to_string();
        }
        let width = unit.ilog10() as usize;
        let digits = format!("{rest:0width$}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    };
    if u < 1_000 {
        return format!("{sign}{u}ns");
    }
    if u < 1_000_000 {
        return format!("{sign}{}µs", frac(u, 1_000));
    }
    if u < 1_000_000_000 {
        return format!("{sign}{}ms", frac(u, 1_000_000));
    }
    let secs = u % 60_000_000_000;
    let mins = u / 60_000_000_000;
    let s = format!("{}s", frac(secs, 1_000_000_000));
    if mins == 0 {
        return format!("{sign}{s}");
    }
    let (h, m) = (mins / 60, mins % 60);
    if h == 0 {
        format!("{sign}{m}m{s}")
    } else {
        format!("{sign}{h}h{m}m{s}")
    }
}

impl Config {
    /// `NewConfigFromMap`: the ConfigMap's `data` (or the whole ConfigMap)
    /// at `at`. Every value is a string, as a ConfigMap's data is; a value
    /// Go cannot parse, or one `validate` refuses, is an error with
    /// Knative's message. Keys Knative does not read are ignored by it:
    /// each is a notice here.
    pub fn from_value(value: &Value, at: &Path) -> Result<(Config, Notices), Error> {
        let (data, at) = match value.get("data") {
            Some(d) if value.get("kind").is_some() || value.get("apiVersion").is_some() => {
                (d, at.child("data"))
            }
            _ => (value, at.clone()),
        };
        let Some(map) = data.as_object() else {
            return Err(Error::new(
                ErrorKind::Schema,
                at,
                "the config-autoscaler ConfigMap's data: a mapping of keys to strings",
            ));
        };
        let mut c = Config::default();
        let mut notices = Notices::default();
        for (key, v) in map {
            let here = at.child(key);
            let Some(s) = v.as_str() else {
                return Err(Error::new(
                    ErrorKind::Schema,
                    here,
                    format!("a ConfigMap's data values are strings: quote {v}"),
                ));
            };
            if !KEYS.contains(&key.as_str()) {
                notices.push(Notice::new(
                    NoticeKind::Ignored,
                    here,
                    format!("config-autoscaler has no key {key:?}: Knative ignores it"),
                ));
                continue;
            }
            c.set(key, s).map_err(|m| {
                Error::new(
                    ErrorKind::Invalid,
                    here.clone(),
                    format!("failed to parse data: {m}"),
                )
            })?;
        }
        // Adjust % ⇒ fractions: values in (0, 1] are read as fractions
        // (upstream keeps this for legacy configurations).
        if c.container_concurrency_target_fraction > 1.0 {
            c.container_concurrency_target_fraction /= 100.0;
        }
        c.validate()
            .map_err(|(key, m)| Error::new(ErrorKind::Invalid, at.child(key), m))?;
        Ok((c, notices))
    }

    fn set(&mut self, key: &str, s: &str) -> Result<(), String> {
        let float = |s: &str| {
            go::parse_float(s)
                .ok_or_else(|| format!("strconv.ParseFloat: parsing {s:?}: invalid syntax"))
        };
        let int = |s: &str| {
            go::parse_int32(s)
                .ok_or_else(|| format!("strconv.ParseInt: parsing {s:?}: invalid syntax"))
        };
        let boolean = |s: &str| {
            go::parse_bool(s)
                .ok_or_else(|| format!("strconv.ParseBool: parsing {s:?}: invalid syntax"))
        };
        let duration =
            |s: &str| go::parse_duration(s).ok_or_else(|| format!("time: invalid duration {s:?}"));
        match key {
            "pod-autoscaler-class" => self.pod_autoscaler_class = s.to_string(),
            "enable-scale-to-zero" => self.enable_scale_to_zero = boolean(s)?,
            "allow-zero-initial-scale" => self.allow_zero_initial_scale = boolean(s)?,
            "max-scale-up-rate" => self.max_scale_up_rate = float(s)?,
            "max-scale-down-rate" => self.max_scale_down_rate = float(s)?,
            "container-concurrency-target-percentage" => {
                self.container_concurrency_target_fraction = float(s)?;
            }
            "container-concurrency-target-default" => {
                self.container_concurrency_target_default = float(s)?;
            }
            "requests-per-second-target-default" => self.rps_target_default = float(s)?,
            "target-burst-capacity" => self.target_burst_capacity = float(s)?,
            "panic-window-percentage" => self.panic_window_percentage = float(s)?,
            "activator-capacity" => self.activator_capacity = float(s)?,
            "panic-threshold-percentage" => self.panic_threshold_percentage = float(s)?,
            "initial-scale" => self.initial_scale = int(s)?,
            "min-scale" => self.min_scale = int(s)?,
            "max-scale" => self.max_scale = int(s)?,
            "max-scale-limit" => self.max_scale_limit = int(s)?,
            "stable-window" => self.stable_window = duration(s)?,
            "scale-down-delay" => self.scale_down_delay = duration(s)?,
            "scale-to-zero-grace-period" => self.scale_to_zero_grace_period = duration(s)?,
            "scale-to-zero-pod-retention-period" => {
                self.scale_to_zero_pod_retention_period = duration(s)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `validate`: the first rule broken, with the key it is about and
    /// Knative's message.
    fn validate(&self) -> Result<(), (&'static str, String)> {
        let d = go_duration;
        if self.scale_to_zero_grace_period <= 0 {
            return Err((
                "scale-to-zero-grace-period",
                format!(
                    "scale-to-zero-grace-period must be positive, was: {}",
                    d(self.scale_to_zero_grace_period)
                ),
            ));
        }
        if self.scale_down_delay < 0 {
            return Err((
                "scale-down-delay",
                format!(
                    "scale-down-delay cannot be negative, was: {}",
                    d(self.scale_down_delay)
                ),
            ));
        }
        if self.scale_down_delay % SECOND != 0 {
            return Err((
                "scale-down-delay",
                format!(
                    "scale-down-delay = {}, must be specified with at most second precision",
                    d(self.scale_down_delay)
                ),
            ));
        }
        if self.scale_to_zero_pod_retention_period < 0 {
            return Err((
                "scale-to-zero-pod-retention-period",
                format!(
                    "scale-to-zero-pod-retention-period cannot be negative, was: {}",
                    d(self.scale_to_zero_pod_retention_period)
                ),
            ));
        }
        if self.target_burst_capacity < 0.0 && self.target_burst_capacity != -1.0 {
            return Err((
                "target-burst-capacity",
                format!(
                    "target-burst-capacity must be either non-negative or -1 (for unlimited), was: {:.6}",
                    self.target_burst_capacity
                ),
            ));
        }
        let f = self.container_concurrency_target_fraction;
        if f <= 0.0 || f > 1.0 {
            return Err((
                "container-concurrency-target-percentage",
                format!(
                    "container-concurrency-target-percentage = {f:.6} is outside of valid range of (0, 100]"
                ),
            ));
        }
        let x = f * self.container_concurrency_target_default;
        if x < TARGET_MIN {
            return Err((
                "container-concurrency-target-default",
                format!(
                    "container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of {x}, can't be less than {TARGET_MIN}"
                ),
            ));
        }
        if self.rps_target_default < TARGET_MIN {
            return Err((
                "requests-per-second-target-default",
                format!(
                    "requests-per-second-target-default must be at least {TARGET_MIN}, was: {}",
                    self.rps_target_default
                ),
            ));
        }
        if self.activator_capacity < 1.0 {
            return Err((
                "activator-capacity",
                format!(
                    "activator-capacity = {}, must be at least 1",
                    self.activator_capacity
                ),
            ));
        }
        if self.max_scale_up_rate <= 1.0 {
            return Err((
                "max-scale-up-rate",
                format!(
                    "max-scale-up-rate = {}, must be greater than 1.0",
                    self.max_scale_up_rate
                ),
            ));
        }
        if self.max_scale_down_rate <= 1.0 {
            return Err((
                "max-scale-down-rate",
                format!(
                    "max-scale-down-rate = {}, must be greater than 1.0",
                    self.max_scale_down_rate
                ),
            ));
        }
        if self.stable_window < WINDOW_MIN || self.stable_window > WINDOW_MAX {
            return Err((
                "stable-window",
                format!(
                    "stable-window = {}, must be in [{}; {}] range",
                    d(self.stable_window),
                    d(WINDOW_MIN),
                    d(WINDOW_MAX)
                ),
            ));
        }
        if self.stable_window % SECOND != 0 {
            return Err((
                "stable-window",
                format!(
                    "stable-window = {}, must be specified with at most second precision",
                    d(self.stable_window)
                ),
            ));
        }
        let p = self.panic_window_percentage;
        if !(1.0..=100.0).contains(&p) {
            return Err((
                "panic-window-percentage",
                format!("panic-window-percentage = {p}, must be in [1, 100] interval"),
            ));
        }
        if self.initial_scale < 0 || (self.initial_scale == 0 && !self.allow_zero_initial_scale) {
            return Err((
                "initial-scale",
                format!(
                    "initial-scale = {}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)",
                    self.initial_scale
                ),
            ));
        }
        if self.min_scale < 0 {
            return Err((
                "min-scale",
                format!("min-scale = {}, must be at least 0", self.min_scale),
            ));
        }
        let min_max_scale = i32::from(self.max_scale_limit > 0);
        if self.max_scale < min_max_scale
            || (self.max_scale_limit > 0 && self.max_scale > self.max_scale_limit)
        {
            return Err((
                "max-scale",
                format!(
                    "max-scale = {}, must be in [{min_max_scale}, max-scale-limit({})] range",
                    self.max_scale, self.max_scale_limit
                ),
            ));
        }
        if self.max_scale_limit < 0 {
            return Err((
                "max-scale-limit",
                format!(
                    "max-scale-limit = {}, must be at least 0",
                    self.max_scale_limit
                ),
            ));
        }
        if self.min_scale > self.max_scale && self.max_scale > 0 {
            return Err((
                "min-scale",
                format!(
                    "min-scale ({}) must be less than max-scale ({})",
                    self.min_scale, self.max_scale
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_duration_strings() {
        assert_eq!(go_duration(60 * SECOND), "1m0s");
        assert_eq!(go_duration(6 * SECOND), "6s");
        assert_eq!(go_duration(3600 * SECOND), "1h0m0s");
        assert_eq!(go_duration(SECOND / 2), "500ms");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(-2 * SECOND), "-2s");
    }

    #[test]
    fn percentages_above_one_are_read_as_percent() {
        let v = serde_json::json!({"container-concurrency-target-percentage": "80"});
        let (c, _) = Config::from_value(&v, &Path::root()).unwrap();
        assert!((c.container_concurrency_target_fraction - 0.8).abs() < 1e-12);
        let v = serde_json::json!({"container-concurrency-target-percentage": "0.5"});
        let (c, _) = Config::from_value(&v, &Path::root()).unwrap();
        assert!((c.container_concurrency_target_fraction - 0.5).abs() < 1e-12);
    }

    #[test]
    fn invalid_values_are_refused_with_knatives_words() {
        let v = serde_json::json!({"stable-window": "5s"});
        let e = Config::from_value(&v, &Path::root().child("config")).unwrap_err();
        assert_eq!(e.first().path, "config.stable-window");
        assert_eq!(
            e.first().message,
            "stable-window = 5s, must be in [6s; 1h0m0s] range"
        );
        let v = serde_json::json!({"max-scale-up-rate": 10});
        assert!(Config::from_value(&v, &Path::root()).is_err());
        let v = serde_json::json!({"stable-windw": "60s"});
        let (_, n) = Config::from_value(&v, &Path::root()).unwrap();
        assert_eq!(n.0.len(), 1);
    }
}
