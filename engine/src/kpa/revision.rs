//! A revision's autoscaling settings: its `autoscaling.knative.dev/*`
//! annotations, checked as Knative's admission webhook checks them
//! (knative/serving `pkg/apis/autoscaling/annotation_validation.go`:
//! `ValidateAnnotations`), then resolved against the ConfigMap as the
//! reconciler resolves them (`pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go`
//! getters, `pkg/reconciler/autoscaling/resources/target.go`:
//! `ResolveMetricTarget`, `resources/metric.go`: `StableWindow`,
//! `MakeMetric`, `kpa/resources/decider.go`: `MakeDecider`,
//! `GetInitialScale`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};

use serde_json::Value;

use super::config::{
    Config, HPA_CLASS, KPA_CLASS, TARGET_MIN, WINDOW_MAX, WINDOW_MIN, go_duration,
};
use super::go::{self, SECOND};
use crate::error::{Error, ErrorKind, Path};
use crate::notice::{Notice, NoticeKind, Notices};

const GROUP: &str = "autoscaling.knative.dev/";

/// What the KPA scales on (`autoscaling.knative.dev/metric`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// In-flight requests per pod (the default).
    Concurrency,
    /// Requests per second per pod.
    Rps,
}

/// How the metric collector averages a window
/// (`autoscaling.knative.dev/metric-aggregation-algorithm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// The plain average of the window's buckets (the default).
    Linear,
    /// Exponentially weighted, recent buckets weigh more.
    WeightedExponential,
}

/// The decider's settings for one revision (`scaling.DeciderSpec` and the
/// scaler's bounds), resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The metric.
    pub metric: Metric,
    /// Per-pod target (`TargetValue`): total × target utilization, at least 0.01.
    pub target: f64,
    /// Per-pod capacity (`TotalValue`).
    pub total: f64,
    /// `PanicThreshold`, a fraction (2.0 = 200 %).
    pub panic_threshold: f64,
    /// `TargetBurstCapacity` (-1: the activator always in the path).
    pub target_burst_capacity: f64,
    /// `StableWindow`, ns.
    pub stable_window: i64,
    /// The panic window, ns.
    pub panic_window: i64,
    /// `ScaleDownDelay`, ns.
    pub scale_down_delay: i64,
    /// `ActivationScale` (0 when not set).
    pub activation_scale: i32,
    /// `InitialScale`.
    pub initial_scale: i32,
    /// The scale bounds (`ScaleBounds`; max 0 = unbounded).
    pub min_scale: i32,
    /// See `min_scale`.
    pub max_scale: i32,
    /// The collector's averaging.
    pub aggregation: Aggregation,
    /// `MaxScaleUpRate`.
    pub max_scale_up_rate: f64,
    /// `MaxScaleDownRate`.
    pub max_scale_down_rate: f64,
    /// The last pod's retention on scale to zero, ns (`lastPodRetention`).
    pub pod_retention: i64,
    /// Whether the revision takes traffic (`Reachable`).
    pub reachable: bool,
}

/// A revision as the case gives it: a Knative Service, Configuration or
/// Revision as written (the annotations of `spec.template.metadata` or of
/// the Revision's `metadata`), read into the annotations and
/// `containerConcurrency`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Revision {
    /// The revision's annotations.
    pub annotations: BTreeMap<String, String>,
    /// `spec.containerConcurrency` (0: unlimited).
    pub container_concurrency: i64,
    /// Where the annotations are written.
    pub annotations_at: Path,
}

fn annotation_at(r: &Revision, key: &str) -> Path {
    r.annotations_at.child(key)
}

impl Revision {
    /// Reads the object at `at`. Autoscaling annotations on a Service's or
    /// Configuration's own metadata do not reach the revision (only the
    /// template's do): each is a notice.
    pub fn from_value(v: &Value, at: &Path, notices: &mut Notices) -> Result<Revision, Error> {
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or("Revision");
        let (template, t_at) = match kind {
            "Service" | "Configuration" => {
                if let Some(top) = v
                    .pointer("/metadata/annotations")
                    .and_then(Value::as_object)
                {
                    for key in top.keys().filter(|k| k.starts_with(GROUP)) {
                        notices.push(Notice::new(
                            NoticeKind::Ignored,
                            at.child("metadata").child("annotations").child(key),
                            format!("{key} on the {kind}'s own metadata does not reach its revisions: Knative reads autoscaling annotations from spec.template.metadata.annotations"),
                        ));
                    }
                }
                let t = v.pointer("/spec/template").ok_or_else(|| {
                    Error::new(
                        ErrorKind::Schema,
                        at.child("spec"),
                        format!("a {kind} needs spec.template"),
                    )
                })?;
                (t, at.child("spec").child("template"))
            }
            "Revision" => (v, at.clone()),
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    at.child("kind"),
                    format!(
                        "kind {other:?}: give a Knative Service, Configuration or Revision (serving.knative.dev/v1)"
                    ),
                ));
            }
        };
        let annotations_at = t_at.child("metadata").child("annotations");
        let mut annotations = BTreeMap::new();
        if let Some(a) = template.pointer("/metadata/annotations") {
            let Some(map) = a.as_object() else {
                return Err(Error::new(
                    ErrorKind::Schema,
                    annotations_at,
                    "annotations: a mapping of strings",
                ));
            };
            for (k, val) in map {
                let Some(s) = val.as_str() else {
                    return Err(Error::new(
                        ErrorKind::Schema,
                        annotations_at.child(k),
                        format!("annotation values are strings: quote {val}"),
                    ));
                };
                annotations.insert(k.clone(), s.to_string());
            }
        }
        let cc_at = t_at.child("spec").child("containerConcurrency");
        let container_concurrency = match template.pointer("/spec/containerConcurrency") {
            None | Some(Value::Null) => 0,
            Some(c) => match c.as_i64() {
                Some(n) if n >= 0 => n,
                _ => {
                    return Err(Error::new(
                        ErrorKind::Invalid,
                        cc_at,
                        format!("expected 0 <= {c} <= 1000: spec.containerConcurrency"),
                    ));
                }
            },
        };
        if container_concurrency > 1000 {
            return Err(Error::new(
                ErrorKind::Invalid,
                cc_at,
                format!("expected 0 <= {container_concurrency} <= 1000: spec.containerConcurrency"),
            ));
        }
        Ok(Revision {
            annotations,
            container_concurrency,
            annotations_at,
        })
    }

    /// `kmap.KeyPriority.Get`: the first of the keys present.
    fn get<'a>(&'a self, keys: &[&'static str]) -> Option<(&'static str, &'a str)> {
        keys.iter()
            .find_map(|k| self.annotations.get(*k).map(|v| (*k, v.as_str())))
    }
}

const CLASS: &[&str] = &["autoscaling.knative.dev/class"];
const MIN_SCALE: &[&str] = &[
    "autoscaling.knative.dev/min-scale",
    "autoscaling.knative.dev/minScale",
];
const MAX_SCALE: &[&str] = &[
    "autoscaling.knative.dev/max-scale",
    "autoscaling.knative.dev/maxScale",
];
const INITIAL_SCALE: &[&str] = &[
    "autoscaling.knative.dev/initial-scale",
    "autoscaling.knative.dev/initialScale",
];
const ACTIVATION_SCALE: &[&str] = &["autoscaling.knative.dev/activation-scale"];
const METRIC: &[&str] = &["autoscaling.knative.dev/metric"];
const TARGET: &[&str] = &["autoscaling.knative.dev/target"];
const TARGET_UTILIZATION: &[&str] = &[
    "autoscaling.knative.dev/target-utilization-percentage",
    "autoscaling.knative.dev/targetUtilizationPercentage",
];
const TARGET_BURST_CAPACITY: &[&str] = &[
    "autoscaling.knative.dev/target-burst-capacity",
    "autoscaling.knative.dev/targetBurstCapacity",
];
const WINDOW: &[&str] = &["autoscaling.knative.dev/window"];
const PANIC_WINDOW: &[&str] = &[
    "autoscaling.knative.dev/panic-window-percentage",
    "autoscaling.knative.dev/panicWindowPercentage",
];
const PANIC_THRESHOLD: &[&str] = &[
    "autoscaling.knative.dev/panic-threshold-percentage",
    "autoscaling.knative.dev/panicThresholdPercentage",
];
const SCALE_DOWN_DELAY: &[&str] = &[
    "autoscaling.knative.dev/scale-down-delay",
    "autoscaling.knative.dev/scaleDownDelay",
];
const POD_RETENTION: &[&str] = &[
    "autoscaling.knative.dev/scale-to-zero-pod-retention-period",
    "autoscaling.knative.dev/scaleToZeroPodRetentionPeriod",
];
const AGGREGATION: &[&str] = &[
    "autoscaling.knative.dev/metric-aggregation-algorithm",
    "autoscaling.knative.dev/metricAggregationAlgorithm",
];

/// Collects the webhook's complaints (`apis.FieldError.Also`).
struct Complaints<'r> {
    rev: &'r Revision,
    err: Option<Error>,
}

impl Complaints<'_> {
    fn add(&mut self, key: &str, message: String) {
        self.add_raw(key, format!("{message}: {key}"));
    }

    /// A complaint whose field path upstream writes differently.
    fn add_raw(&mut self, key: &str, message: String) {
        let e = Error::new(ErrorKind::Invalid, annotation_at(self.rev, key), message);
        self.err = Some(match self.err.take() {
            Some(prev) => prev.join(e),
            None => e,
        });
    }

    /// `apis.ErrInvalidValue`.
    fn invalid(&mut self, key: &str, v: &str) {
        self.add(key, format!("invalid value: {v}"));
    }

    /// `apis.ErrOutOfBoundsValue`.
    fn bounds(&mut self, key: &str, v: &str, lo: &str, hi: &str) {
        self.add(key, format!("expected {lo} <= {v} <= {hi}"));
    }
}

/// `getIntGE0`.
fn int_ge0(c: &mut Complaints<'_>, keys: &[&'static str]) -> i32 {
    let Some((k, v)) = c.rev.get(keys) else {
        return 0;
    };
    match v.parse::<i64>() {
        Ok(i) if i > i64::from(i32::MAX) || i < 0 => {
            c.bounds(k, v, "0", "2147483647");
            0
        }
        Ok(i) => i as i32,
        Err(_)
            if v.trim_start_matches(['+', '-'])
                .bytes()
                .all(|b| b.is_ascii_digit())
                && !v.is_empty() =>
        {
            c.bounds(k, v, "0", "2147483647");
            0
        }
        Err(_) => {
            c.invalid(k, v);
            0
        }
    }
}

/// `ValidateAnnotations`, then the getters: the revision's settings, or
/// every complaint the webhook would make.
pub fn resolve(rev: &Revision, config: &Config, reachable: bool) -> Result<Settings, Error> {
    let mut c = Complaints { rev, err: None };
    // validateClass
    let class = match rev.get(CLASS) {
        Some((k, v)) => {
            if v.ends_with(".knative.dev") && v != KPA_CLASS && v != HPA_CLASS {
                c.invalid(k, v);
            }
            v.to_string()
        }
        None => config.pod_autoscaler_class.clone(),
    };
    // validateMinMaxScale
    let min = int_ge0(&mut c, MIN_SCALE);
    let max = int_ge0(&mut c, MAX_SCALE);
    if max != 0 && max < min {
        c.add(
            MAX_SCALE[0],
            format!("max-scale={max} is less than min-scale={min}"),
        );
    }
    if let Some((k, _)) = rev.get(MAX_SCALE) {
        if config.max_scale_limit != 0 {
            if max > config.max_scale_limit {
                c.bounds(
                    k,
                    &max.to_string(),
                    "1",
                    &config.max_scale_limit.to_string(),
                );
            }
            if max == 0 {
                c.add(
                    k,
                    format!(
                        "max-scale=0 (unlimited), must be less than {}",
                        config.max_scale_limit
                    ),
                );
            }
        }
    }
    if let Some((k, v)) = rev.get(ACTIVATION_SCALE) {
        match go::parse_int32(v) {
            None => c.invalid(k, v),
            Some(n) if min > n => c.add(
                k,
                format!("min-scale={min} is greater than activation-scale={n}"),
            ),
            Some(n) if max < n && max != 0 => c.add(
                k,
                format!("max-scale={max} is less than activation-scale={n}"),
            ),
            Some(n) if n < 2 => c.add(k, format!("activation-scale={n} must be greater than 1")),
            Some(_) => {}
        }
    }
    // validateFloats
    let float = |c: &mut Complaints<'_>, keys: &[&'static str], lo: f64, hi: f64| {
        if let Some((k, v)) = rev.get(keys) {
            match go::parse_float(v) {
                None => c.invalid(k, v),
                Some(f) if f < lo || f > hi => c.bounds(k, v, &format!("{lo}"), &format!("{hi}")),
                Some(_) => {}
            }
        }
    };
    float(&mut c, PANIC_WINDOW, 1.0, 100.0);
    float(&mut c, PANIC_THRESHOLD, 110.0, 1000.0);
    if let Some((k, v)) = rev.get(TARGET) {
        match go::parse_float(v) {
            None => c.invalid(k, v),
            Some(f) if f < TARGET_MIN => {
                c.add(k, format!("target {v} should be at least {TARGET_MIN}"))
            }
            Some(_) => {}
        }
    }
    float(&mut c, TARGET_UTILIZATION, 1.0, 100.0);
    if let Some((k, v)) = rev.get(TARGET_BURST_CAPACITY) {
        if go::parse_float(v).is_none_or(|f| f < 0.0 && f != -1.0) {
            c.invalid(k, v);
        }
    }
    // validateWindow
    if let Some((k, v)) = rev.get(WINDOW) {
        match go::parse_duration(v) {
            None => c.invalid(k, v),
            Some(d) if !(WINDOW_MIN..=WINDOW_MAX).contains(&d) => {
                c.bounds(k, v, &go_duration(WINDOW_MIN), &go_duration(WINDOW_MAX))
            }
            Some(d) if d % SECOND != 0 => c.add(
                k,
                "must be specified with at most second precision".to_string(),
            ),
            Some(_) => {}
        }
    }
    // validateLastPodRetention
    if let Some((k, v)) = rev.get(POD_RETENTION) {
        match go::parse_duration(v) {
            None => c.invalid(k, v),
            Some(d) if !(0..=WINDOW_MAX).contains(&d) => {
                c.bounds(k, v, "0s", &go_duration(WINDOW_MAX))
            }
            Some(_) => {}
        }
    }
    // validateScaleDownDelay
    if let Some((k, v)) = rev.get(SCALE_DOWN_DELAY) {
        match go::parse_duration(v) {
            None => c.invalid(k, v),
            Some(d) if !(0..=WINDOW_MAX).contains(&d) => {
                c.bounds(k, v, "0s", &go_duration(WINDOW_MAX))
            }
            Some(d) if d % SECOND != 0 => c.add(
                k,
                "must be specified with at most second precision".to_string(),
            ),
            Some(_) => {}
        }
    }
    // validateMetric (KPA class: concurrency or rps)
    let metric_text = rev.get(METRIC).map(|(_, v)| v);
    if class == KPA_CLASS {
        if let Some(m) = metric_text {
            if m != "concurrency" && m != "rps" {
                c.invalid(METRIC[0], m);
            }
        }
    }
    // validateAlgorithm (only under an explicit KPA class annotation, as upstream)
    let mut aggregation = Aggregation::Linear;
    if let Some((k, v)) = rev.get(AGGREGATION) {
        match v {
            "weighted-exponential" | "weightedExponential" => {
                aggregation = Aggregation::WeightedExponential
            }
            "linear" | "" => {}
            _ if rev.get(CLASS).map(|(_, c)| c) == Some(KPA_CLASS) => c.invalid(k, v),
            _ => {}
        }
    }
    // validateInitialScale
    if let Some((k, v)) = rev.get(INITIAL_SCALE) {
        match v.parse::<i64>() {
            Err(_) => c.invalid(k, v),
            Ok(i) if i < 0 => {
                c.add_raw(k, format!("invalid value: {v}: {k} must be greater than 0"))
            }
            Ok(0) if !config.allow_zero_initial_scale => c.add_raw(
                k,
                format!("invalid value: {v}: {k}=0 not allowed by cluster"),
            ),
            Ok(_) => {}
        }
    }
    if let Some(e) = c.err {
        return Err(e);
    }
    if class != KPA_CLASS {
        return Err(Error::new(
            ErrorKind::Unsupported,
            annotation_at(rev, CLASS[0]),
            format!(
                "autoscaling class {class:?}: Knative's KPA decides only for {KPA_CLASS}; with {HPA_CLASS} Knative creates a HorizontalPodAutoscaler (evaluate that as an `hpa` case)"
            ),
        ));
    }
    let f = |keys: &[&'static str]| rev.get(keys).and_then(|(_, v)| go::parse_float(v));
    let d = |keys: &[&'static str]| rev.get(keys).and_then(|(_, v)| go::parse_duration(v));
    let i = |keys: &[&'static str]| rev.get(keys).and_then(|(_, v)| go::parse_int32(v));
    let metric = match metric_text {
        Some("rps") => Metric::Rps,
        _ => Metric::Concurrency,
    };
    // ResolveMetricTarget
    let (mut total, mut tu) = match metric {
        Metric::Rps => (config.rps_target_default, config.target_utilization),
        Metric::Concurrency => {
            let t = if rev.container_concurrency == 0 {
                config.container_concurrency_target_default
            } else {
                rev.container_concurrency as f64
            };
            (t, config.container_concurrency_target_fraction)
        }
    };
    if let Some(t) = f(TARGET) {
        total = t;
        if metric == Metric::Concurrency && rev.container_concurrency != 0 {
            total = t.min(rev.container_concurrency as f64);
        }
    }
    if let Some(u) = f(TARGET_UTILIZATION) {
        tu = u / 100.0;
    }
    let target = (total * tu).max(TARGET_MIN);
    // StableWindow, MakeMetric
    let stable_window = d(WINDOW).unwrap_or(config.stable_window);
    let pct = f(PANIC_WINDOW).unwrap_or(config.panic_window_percentage);
    let panic_window = round_to_second(stable_window as f64 * pct / 100.0).max(SECOND);
    // ScaleBounds
    let min_scale = if reachable {
        i(MIN_SCALE).unwrap_or(config.min_scale)
    } else {
        0
    };
    let max_scale = i(MAX_SCALE).unwrap_or(config.max_scale);
    // GetInitialScale
    let initial_scale = match i(INITIAL_SCALE) {
        Some(0) if !config.allow_zero_initial_scale => config.initial_scale,
        Some(s) => s,
        None => config.initial_scale,
    };
    // lastPodRetention
    let pod_retention = if reachable {
        d(POD_RETENTION).unwrap_or(config.scale_to_zero_pod_retention_period)
    } else {
        0
    };
    Ok(Settings {
        metric,
        target,
        total,
        panic_threshold: f(PANIC_THRESHOLD).unwrap_or(config.panic_threshold_percentage) / 100.0,
        target_burst_capacity: f(TARGET_BURST_CAPACITY).unwrap_or(config.target_burst_capacity),
        stable_window,
        panic_window,
        scale_down_delay: d(SCALE_DOWN_DELAY).unwrap_or(config.scale_down_delay),
        activation_scale: i(ACTIVATION_SCALE).unwrap_or(0),
        initial_scale,
        min_scale,
        max_scale,
        aggregation,
        max_scale_up_rate: config.max_scale_up_rate,
        max_scale_down_rate: config.max_scale_down_rate,
        pod_retention,
        reachable,
    })
}

/// Go's `time.Duration(x).Round(time.Second)`: half away from zero.
fn round_to_second(ns: f64) -> i64 {
    let ns = ns as i64;
    let r = ns % SECOND;
    if r + r < SECOND {
        ns - r
    } else {
        ns + SECOND - r
    }
}
