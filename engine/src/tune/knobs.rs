//! Knobs: the fields a search may change, each with the values it tries.
//!
//! Explicit knobs come from `tune.knobs`; without them every autoscaler in
//! the tuned variant's manifests gives its own, with these default values
//! (the value as written, or the API default when the field is absent, is
//! always one of them):
//!
//! | field | values |
//! | --- | --- |
//! | HPA `spec.minReplicas` (default 1) | 1 … `maxReplicas`, at most 8 levels |
//! | HPA `spec.maxReplicas` | ½×, ¾×, 1×, 1½×, 2× as written |
//! | each metric's target (`averageUtilization`, `averageValue`, `value`) | ½× … 1½× in eighths, two significant digits |
//! | `behavior.scaleUp.stabilizationWindowSeconds` (default 0) | 0, 15, 30, 60, 120, 300 |
//! | `behavior.scaleDown.stabilizationWindowSeconds` (default 300) | 0, 60, 120, 300, 600, 900 |
//! | each written policy's `value` / `periodSeconds` | ½×, 1×, 1½×, 2× / 15, 30, 60, 120 |
//! | ScaledObject `spec.minReplicaCount` (default 0) | 0 … 4 (at most `maxReplicaCount`) |
//! | ScaledObject `spec.maxReplicaCount` (default 100) | ½×, ¾×, 1×, 1½×, 2× |
//! | `spec.pollingInterval` (default 30) | 5, 10, 15, 30, 60 |
//! | `spec.cooldownPeriod` (default 300) | 30, 60, 120, 300, 600 |
//! | each trigger's target (`value`, `threshold`, `queueLength`, `lagThreshold`, `targetValue`) | ½× … 1½× |
//! | each trigger's activation threshold (default 0) | 0, and ⅒, ¼, ½ of its target |
//! | ScaledJob `spec.pollingInterval` (default 30) | 5, 10, 15, 30, 60 |
//! | ScaledJob `spec.maxReplicaCount` (default 100) | ½×, ¾×, 1×, 1½×, 2× |
//! | `scalingStrategy.customScalingQueueLengthDeduction` (written) | 0, ½×, 1×, 2× |
//! | `scalingStrategy.customScalingRunningJobPercentage` (written) | 0.25, 0.5, 0.75, 1 |
//! | each ScaledJob trigger's target and activation | as a ScaledObject's |
//! | Knative Service `autoscaling.knative.dev/target` (written) | ½× … 1½× |
//! | `…/target-utilization-percentage` (default 70) | 50, 60, 70, 80, 90, 100 |
//! | `…/min-scale` (default 0) | 0 … 4 (at most `max-scale`) |
//! | `…/max-scale` (written) | ½×, ¾×, 1×, 1½×, 2× |
//! | `…/panic-window-percentage` (default 10) | 5, 10, 20, 50 |
//! | `…/panic-threshold-percentage` (default 200) | 150, 200, 300, 500 |
//!
//! Defaults are Kubernetes' (`pkg/apis/autoscaling/v2/defaults.go`:
//! `SetDefaults_HorizontalPodAutoscaler`, `GenerateHPAScaleUpRules`,
//! `GenerateHPAScaleDownRules`) and KEDA's (`apis/keda/v1alpha1/scaledobject_types.go`:
//! `defaultPollingInterval`, `defaultCooldownPeriod`, `defaultHPAMaxReplicas`)
//! and Knative's (knative/serving `knative-v1.23.0`
//! `pkg/autoscaler/config/config.go`: `defaultConfig`); a Knative
//! Service's knobs are its template's annotations, written as strings.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorKind, Path, Segment};
use crate::quantity::Quantity;

use super::spec::{MAX_VALUES, RawKnob};

/// How a knob's values are written into the manifests.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    /// A JSON number (`minReplicas: 2`).
    Number,
    /// A quantity string keeping the written suffix (`"10"`, `"500m"`, `"1.5Gi"`).
    Quantity(String),
    /// A decimal string (KEDA's trigger metadata: `value: "5"`).
    Decimal,
}

/// One field the search may change.
#[derive(Clone, Debug)]
pub struct Knob {
    /// `Kind/name` of the object.
    pub object: String,
    /// The object's index among the manifests' documents.
    pub doc: usize,
    /// The field below the object.
    pub path: Path,
    /// The values tried, ascending.
    pub values: Vec<f64>,
    /// The index of the value as written (or defaulted).
    pub baseline: usize,
    /// Whether the field is written (else its default is the baseline).
    pub written: bool,
    /// How a value is written.
    pub format: Format,
}

impl Knob {
    /// The `i`-th value as the manifests hold it.
    pub fn value(&self, i: usize) -> Value {
        render(self.values[i], &self.format)
    }
}

/// `Kind/name` of a manifest document.
pub fn object_name(doc: &Value) -> Option<String> {
    let kind = doc.get("kind")?.as_str()?;
    let name = doc.get("metadata")?.get("name")?.as_str()?;
    Some(format!("{kind}/{name}"))
}

/// The value at `path` below `v`.
pub fn get<'v>(v: &'v Value, path: &Path) -> Option<&'v Value> {
    let mut node = v;
    for seg in &path.0 {
        node = match seg {
            Segment::Key(k) => node.as_object()?.get(k)?,
            Segment::Index(i) => node.as_array()?.get(*i)?,
        };
    }
    Some(node)
}

/// Sets `path` below `v`, creating missing mappings; `false` when the path
/// runs through something that is not a mapping (or a missing list item).
pub fn set(v: &mut Value, path: &Path, value: Value) -> bool {
    let Some((last, parents)) = path.0.split_last() else {
        return false;
    };
    let mut node = v;
    for seg in parents {
        node = match seg {
            Segment::Key(k) => {
                if node.is_null() {
                    *node = Value::Object(Map::new());
                }
                let Some(m) = node.as_object_mut() else {
                    return false;
                };
                m.entry(k.clone()).or_insert(Value::Null)
            }
            Segment::Index(i) => match node.as_array_mut().and_then(|a| a.get_mut(*i)) {
                Some(n) => n,
                None => return false,
            },
        };
    }
    match last {
        Segment::Key(k) => {
            if node.is_null() {
                *node = Value::Object(Map::new());
            }
            match node.as_object_mut() {
                Some(m) => {
                    m.insert(k.clone(), value);
                    true
                }
                None => false,
            }
        }
        Segment::Index(i) => match node.as_array_mut().and_then(|a| a.get_mut(*i)) {
            Some(n) => {
                *n = value;
                true
            }
            None => false,
        },
    }
}

/// A written value as a number and the format to write others in.
fn read_value(v: &Value) -> Option<(f64, Format)> {
    match v {
        Value::Number(n) => Some((n.as_f64()?, Format::Number)),
        Value::String(s) => {
            let t = s.trim();
            if let Ok(x) = t.parse::<f64>() {
                return x.is_finite().then_some((x, Format::Decimal));
            }
            let q = Quantity::parse(t).ok()?;
            let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
            let suffix = t[digits..].to_string();
            Some((q.as_approximate_f64(), Format::Quantity(suffix)))
        }
        _ => None,
    }
}

/// The multiplier of a quantity suffix.
fn suffix_scale(suffix: &str) -> f64 {
    match suffix {
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => 1.0,
    }
}

/// `x` with at most three decimals, no trailing zeros.
fn decimal(x: f64) -> String {
    let r = libm::round(x * 1000.0) / 1000.0;
    if r == libm::trunc(r) && r.abs() < 9.0e15 {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.3}");
        s.trim_end_matches('0').to_string()
    }
}

/// A value as the manifests hold it.
pub fn render(x: f64, format: &Format) -> Value {
    match format {
        Format::Number => {
            if x == libm::trunc(x) && x.abs() < 9.0e15 {
                Value::Number((x as i64).into())
            } else {
                Number::from_f64(x).map_or(Value::Null, Value::Number)
            }
        }
        Format::Decimal => Value::String(decimal(x)),
        Format::Quantity(suffix) => {
            let scaled = x / suffix_scale(suffix);
            Value::String(format!("{}{suffix}", decimal(scaled)))
        }
    }
}

/// Rounds to two significant digits (integers from 10 up stay integers).
fn nice(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = libm::pow(10.0, libm::floor(libm::log10(x.abs())) - 1.0);
    let r = libm::round(x / mag) * mag;
    if r.abs() >= 10.0 {
        libm::round(r)
    } else {
        libm::round(r * 1e6) / 1e6
    }
}

/// Sorted, deduplicated, `current` included; returns the values and its index.
fn grid(mut values: Vec<f64>, current: f64) -> (Vec<f64>, usize) {
    values.push(current);
    values.retain(|x| x.is_finite());
    values.sort_by(f64::total_cmp);
    values.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * b.abs().max(1.0));
    let i = values
        .iter()
        .position(|x| (x - current).abs() <= 1e-9 * current.abs().max(1.0))
        .unwrap_or(0);
    (values, i)
}

/// The knobs `tune.knobs` names, at `at`.
pub fn explicit(docs: &[Value], raw: &[RawKnob], at: &Path) -> Result<Vec<Knob>, Error> {
    let mut out = Vec::new();
    for (i, k) in raw.iter().enumerate() {
        let here = at.index(i);
        let bad = |field: &str, message: String| {
            Error::new(ErrorKind::Invalid, here.child(field), message)
        };
        let Some(doc) = docs
            .iter()
            .position(|d| object_name(d).as_deref() == Some(k.object.as_str()))
        else {
            let names: Vec<String> = docs.iter().filter_map(object_name).collect();
            return Err(bad(
                "object",
                format!(
                    "no object {:?} in the tuned variant's manifests (they hold {})",
                    k.object,
                    names.join(", ")
                ),
            ));
        };
        let Some(path) = super::spec::parse_path(&k.path) else {
            return Err(bad(
                "path",
                format!(
                    "{:?} is not a field path (write it as errors print it: `spec.metrics[0].resource.target.averageUtilization`)",
                    k.path
                ),
            ));
        };
        let written = get(&docs[doc], &path).filter(|v| !v.is_null());
        let current = match written {
            Some(v) => Some(read_value(v).ok_or_else(|| {
                bad(
                    "path",
                    format!(
                        "{} is {v}: only numbers and quantities can be tuned",
                        k.path
                    ),
                )
            })?),
            None => None,
        };
        let mut values: Vec<f64> = Vec::new();
        match (&k.range, &k.values) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    here,
                    "a knob gives either `range` (with an optional `step`) or `values`",
                ));
            }
            (Some([lo, hi]), None) => {
                let step = k.step.unwrap_or(1.0);
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(bad("range", "a range is [from, to] with from ≤ to".into()));
                }
                if !(step.is_finite() && step > 0.0) || (hi - lo) / step >= MAX_VALUES as f64 {
                    return Err(bad(
                        "step",
                        format!("the step must be above 0 and give at most {MAX_VALUES} values"),
                    ));
                }
                let n = libm::floor((hi - lo) / step + 1e-9) as usize;
                values.extend((0..=n).map(|j| lo + step * j as f64));
            }
            (None, Some(list)) => {
                if list.is_empty() || list.len() > MAX_VALUES {
                    return Err(bad("values", format!("give 1 to {MAX_VALUES} values")));
                }
                for (j, v) in list.iter().enumerate() {
                    let Some((x, _)) = read_value(v) else {
                        return Err(Error::new(
                            ErrorKind::Invalid,
                            here.child("values").index(j),
                            format!("{v} is not a number or a quantity"),
                        ));
                    };
                    values.push(x);
                }
            }
        }
        let format = match (&current, k.values.as_ref().and_then(|l| l.first())) {
            (Some((_, f)), _) => f.clone(),
            (None, Some(v @ Value::String(_))) => read_value(v).map_or(Format::Decimal, |(_, f)| f),
            _ => Format::Number,
        };
        // An absent field stays absent in the baseline: NaN stands for it.
        let (values, baseline) = match current {
            Some((x, _)) => grid(values, x),
            None => {
                let (mut v, _) = grid(values.clone(), values[0]);
                v.insert(0, f64::NAN);
                (v, 0)
            }
        };
        out.push(Knob {
            object: k.object.clone(),
            doc,
            path,
            values,
            baseline,
            written: current.is_some(),
            format,
        });
    }
    Ok(out)
}

/// A derived knob: the field's value as written, or `default` when absent.
struct Deriver<'a> {
    docs: &'a [Value],
    out: Vec<Knob>,
}

impl Deriver<'_> {
    fn add(
        &mut self,
        doc: usize,
        path: Path,
        default: Option<(f64, Format)>,
        values: impl Fn(f64) -> Vec<f64>,
    ) {
        let written = get(&self.docs[doc], &path).filter(|v| !v.is_null());
        let (current, format) = match written {
            Some(v) => match read_value(v) {
                Some(c) => c,
                None => return,
            },
            None => match default {
                Some(d) => d,
                None => return,
            },
        };
        let (values, baseline) = grid(values(current), current);
        if values.len() < 2 {
            return;
        }
        self.out.push(Knob {
            object: object_name(&self.docs[doc]).unwrap_or_default(),
            doc,
            path,
            values,
            baseline,
            written: written.is_some(),
            format,
        });
    }
}

fn scaled(factors: &[f64], min: f64) -> impl Fn(f64) -> Vec<f64> + '_ {
    move |c| {
        factors
            .iter()
            .map(|f| nice(c * f).max(min))
            .collect::<Vec<_>>()
    }
}

const TARGET_FACTORS: [f64; 9] = [0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5];
const COUNT_FACTORS: [f64; 5] = [0.5, 0.75, 1.0, 1.5, 2.0];

/// Up to `n` levels spread over `lo..=hi` (integers).
fn spread(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi <= lo {
        return alloc::vec![lo];
    }
    let span = hi - lo;
    (0..n)
        .map(|j| libm::round(lo + span * j as f64 / (n - 1) as f64))
        .collect()
}

/// The trigger metadata key of each scaler's target, and of its activation
/// threshold (kedacore/keda `pkg/scalers/*_scaler.go`, `parse*Metadata`).
fn trigger_keys(kind: &str) -> (&'static [&'static str], Option<&'static str>) {
    match kind {
        "rabbitmq" => (&["value", "queueLength"], Some("activationValue")),
        "prometheus" => (&["threshold"], Some("activationThreshold")),
        "aws-sqs-queue" => (&["queueLength"], Some("activationQueueLength")),
        "kafka" => (&["lagThreshold"], Some("activationLagThreshold")),
        "metrics-api" => (&["targetValue"], Some("activationTargetValue")),
        "cpu" | "memory" => (&["value"], None),
        _ => (&["value", "threshold", "targetValue"], None),
    }
}

/// The knobs of every autoscaler in the manifests.
pub fn derive(docs: &[Value]) -> Vec<Knob> {
    let mut d = Deriver {
        docs,
        out: Vec::new(),
    };
    let num = |x: f64| Some((x, Format::Number));
    for (i, doc) in docs.iter().enumerate() {
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
        let spec = Path::root().child("spec");
        match kind {
            "HorizontalPodAutoscaler" => {
                let max = get(doc, &spec.child("maxReplicas"))
                    .and_then(Value::as_f64)
                    .unwrap_or(1.0);
                d.add(i, spec.child("minReplicas"), num(1.0), |_| {
                    spread(1.0, max, 8)
                });
                d.add(
                    i,
                    spec.child("maxReplicas"),
                    None,
                    scaled(&COUNT_FACTORS, 1.0),
                );
                let metrics = get(doc, &spec.child("metrics"))
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                for m in 0..metrics {
                    let at = spec.child("metrics").index(m);
                    for source in [
                        "resource",
                        "containerResource",
                        "pods",
                        "object",
                        "external",
                    ] {
                        for field in ["averageUtilization", "averageValue", "value"] {
                            let p = at.child(source).child("target").child(field);
                            if get(doc, &p).is_some() {
                                d.add(i, p, None, scaled(&TARGET_FACTORS, 0.0));
                            }
                        }
                    }
                }
                behavior_knobs(&mut d, i, &spec.child("behavior"), true);
            }
            "ScaledObject" => {
                let max = get(doc, &spec.child("maxReplicaCount"))
                    .and_then(Value::as_f64)
                    .unwrap_or(100.0);
                d.add(i, spec.child("minReplicaCount"), num(0.0), |_| {
                    spread(0.0, max.min(4.0), 5)
                });
                d.add(
                    i,
                    spec.child("maxReplicaCount"),
                    num(100.0),
                    scaled(&COUNT_FACTORS, 1.0),
                );
                d.add(i, spec.child("pollingInterval"), num(30.0), |_| {
                    alloc::vec![5.0, 10.0, 15.0, 30.0, 60.0]
                });
                d.add(i, spec.child("cooldownPeriod"), num(300.0), |_| {
                    alloc::vec![30.0, 60.0, 120.0, 300.0, 600.0]
                });
                trigger_knobs(&mut d, i);
                let hpa_behavior = spec
                    .child("advanced")
                    .child("horizontalPodAutoscalerConfig")
                    .child("behavior");
                if get(doc, &hpa_behavior).is_some() {
                    behavior_knobs(&mut d, i, &hpa_behavior, false);
                }
            }
            "ScaledJob" => scaled_job_knobs(&mut d, i),
            "Service"
                if doc
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.starts_with("serving.knative.dev/")) =>
            {
                kpa_knobs(&mut d, i)
            }
            _ => {}
        }
    }
    d.out
}

/// A ScaledJob's knobs: `pollingInterval` and `maxReplicaCount` (KEDA's
/// defaults, `apis/keda/v1alpha1/scaledjob_types.go`: 30 s and 100), the
/// custom strategy's parameters where written
/// (`customScalingQueueLengthDeduction`, `customScalingRunningJobPercentage`,
/// read by `pkg/scaling/executor/scale_jobs.go`), each trigger's target.
fn scaled_job_knobs(d: &mut Deriver<'_>, i: usize) {
    let spec = Path::root().child("spec");
    let num = |x: f64| Some((x, Format::Number));
    d.add(i, spec.child("pollingInterval"), num(30.0), |_| {
        alloc::vec![5.0, 10.0, 15.0, 30.0, 60.0]
    });
    d.add(
        i,
        spec.child("maxReplicaCount"),
        num(100.0),
        scaled(&COUNT_FACTORS, 1.0),
    );
    let strategy = spec.child("scalingStrategy");
    d.add(
        i,
        strategy.child("customScalingQueueLengthDeduction"),
        None,
        |c| alloc::vec![0.0, nice(c * 0.5), c, nice(c * 2.0).max(1.0)],
    );
    d.add(
        i,
        strategy.child("customScalingRunningJobPercentage"),
        None,
        |_| alloc::vec![0.25, 0.5, 0.75, 1.0],
    );
    trigger_knobs(d, i);
}

/// A Knative Service's KPA knobs: its template's `autoscaling.knative.dev/*`
/// annotations (strings), with the ConfigMap's defaults where absent
/// (`defaultConfig`: 70 % target utilization, 10 % panic window, 200 %
/// panic threshold, min-scale 0). Values stay inside the webhook's bounds
/// (`annotation_validation.go`).
fn kpa_knobs(d: &mut Deriver<'_>, i: usize) {
    let at = Path::root()
        .child("spec")
        .child("template")
        .child("metadata")
        .child("annotations");
    let key = |k: &str| at.child(&format!("autoscaling.knative.dev/{k}"));
    let dec = |x: f64| Some((x, Format::Decimal));
    let max = get(&d.docs[i], &key("max-scale"))
        .and_then(read_value)
        .map(|(m, _)| m);
    d.add(i, key("target"), None, scaled(&TARGET_FACTORS, 0.01));
    d.add(i, key("target-utilization-percentage"), dec(70.0), |_| {
        alloc::vec![50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    });
    d.add(i, key("min-scale"), dec(0.0), |_| {
        spread(0.0, max.unwrap_or(4.0).min(4.0), 5)
    });
    d.add(i, key("max-scale"), None, scaled(&COUNT_FACTORS, 1.0));
    d.add(i, key("panic-window-percentage"), dec(10.0), |_| {
        alloc::vec![5.0, 10.0, 20.0, 50.0]
    });
    d.add(i, key("panic-threshold-percentage"), dec(200.0), |_| {
        alloc::vec![150.0, 200.0, 300.0, 500.0]
    });
}

/// Each trigger's target and activation threshold (ScaledObject and
/// ScaledJob triggers are alike).
fn trigger_knobs(d: &mut Deriver<'_>, i: usize) {
    let doc = &d.docs[i];
    let spec = Path::root().child("spec");
    let triggers = get(doc, &spec.child("triggers"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (t, trig) in triggers.iter().enumerate() {
        let ty = trig.get("type").and_then(Value::as_str).unwrap_or("");
        let md = Path::root()
            .child("spec")
            .child("triggers")
            .index(t)
            .child("metadata");
        let (targets, activation) = trigger_keys(ty);
        let mut target = None;
        for key in targets {
            if let Some(v) = get(doc, &md.child(key)).and_then(read_value) {
                target = Some(v.0);
                d.add(i, md.child(key), None, scaled(&TARGET_FACTORS, 0.0));
            }
        }
        if let (Some(key), Some(target)) = (activation, target) {
            d.add(i, md.child(key), Some((0.0, Format::Decimal)), |_| {
                alloc::vec![
                    0.0,
                    nice(target * 0.1),
                    nice(target * 0.25),
                    nice(target * 0.5)
                ]
            });
        }
    }
}

/// Both directions' stabilization windows (defaulted when `defaults`) and
/// each written policy's value and period.
fn behavior_knobs(d: &mut Deriver<'_>, i: usize, behavior: &Path, defaults: bool) {
    for (dir, default, windows) in [
        ("scaleUp", 0.0, [0.0, 15.0, 30.0, 60.0, 120.0, 300.0]),
        ("scaleDown", 300.0, [0.0, 60.0, 120.0, 300.0, 600.0, 900.0]),
    ] {
        let at = behavior.child(dir);
        let def = defaults.then_some((default, Format::Number));
        d.add(i, at.child("stabilizationWindowSeconds"), def, |_| {
            windows.to_vec()
        });
        let policies = get(&d.docs[i], &at.child("policies"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for p in 0..policies {
            let pp = at.child("policies").index(p);
            d.add(
                i,
                pp.child("value"),
                None,
                scaled(&[0.5, 1.0, 1.5, 2.0], 1.0),
            );
            d.add(i, pp.child("periodSeconds"), None, |_| {
                alloc::vec![15.0, 30.0, 60.0, 120.0]
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_keep_their_written_form() {
        assert_eq!(read_value(&json!("10")).unwrap(), (10.0, Format::Decimal));
        let (x, f) = read_value(&json!("500m")).unwrap();
        assert_eq!((x, &f), (0.5, &Format::Quantity("m".into())));
        assert_eq!(render(0.75, &f), json!("750m"));
        let (x, f) = read_value(&json!("2Gi")).unwrap();
        assert_eq!(render(x * 0.75, &f), json!("1.5Gi"));
        assert_eq!(render(4.0, &Format::Number), json!(4));
        assert_eq!(render(12.5, &Format::Decimal), json!("12.5"));
        assert_eq!(nice(6.25), 6.3);
        assert_eq!(nice(87.5), 88.0);
    }

    #[test]
    fn set_creates_missing_mappings_only() {
        let mut v = json!({"spec": {"metrics": [{"a": 1}]}});
        let p = Path::root()
            .child("spec")
            .child("behavior")
            .child("scaleUp");
        assert!(set(&mut v, &p, json!(3)));
        assert_eq!(v["spec"]["behavior"]["scaleUp"], 3);
        let p = Path::root()
            .child("spec")
            .child("metrics")
            .index(4)
            .child("a");
        assert!(!set(&mut v, &p, json!(3)));
    }

    #[test]
    fn derives_hpa_knobs_with_defaults() {
        let docs = alloc::vec![json!({
            "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
            "spec": {"maxReplicas": 10, "metrics": [{"type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}
        })];
        let knobs = derive(&docs);
        let paths: Vec<String> = knobs.iter().map(|k| k.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "spec.minReplicas",
                "spec.maxReplicas",
                "spec.metrics[0].resource.target.averageUtilization",
                "spec.behavior.scaleUp.stabilizationWindowSeconds",
                "spec.behavior.scaleDown.stabilizationWindowSeconds"
            ]
        );
        let down = &knobs[4];
        assert!(!down.written);
        assert_eq!(down.values[down.baseline], 300.0);
        let target = &knobs[2];
        assert_eq!(target.values[target.baseline], 70.0);
        assert_eq!(target.values.first(), Some(&35.0));
    }

    #[test]
    fn derives_knative_knobs_from_the_template_annotations() {
        let docs = [json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "m"},
            "spec": {"template": {"metadata": {"annotations": {
                "autoscaling.knative.dev/target": "10",
                "autoscaling.knative.dev/max-scale": "3"
            }}}}
        })];
        let knobs = derive(&docs);
        let names: Vec<String> = knobs.iter().map(|k| k.path.to_string()).collect();
        let target = "spec.template.metadata.annotations.autoscaling.knative.dev/target";
        assert!(names.iter().any(|n| n == target), "{names:?}");
        let k = knobs.iter().find(|k| k.path.to_string() == target).unwrap();
        assert_eq!(k.object, "Service/m");
        assert_eq!(k.value(k.baseline), json!("10"));
        let min = knobs
            .iter()
            .find(|k| k.path.to_string().ends_with("/min-scale"))
            .unwrap();
        assert_eq!(min.values, [0.0, 1.0, 2.0, 3.0]);
        assert!(!min.written);
        // A Service that is not Knative's has none.
        let plain = [json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}})];
        assert!(derive(&plain).is_empty());
    }

    #[test]
    fn derives_scaled_job_knobs() {
        let docs = alloc::vec![json!({
            "kind": "ScaledJob", "metadata": {"name": "j"},
            "spec": {"maxReplicaCount": 20,
                "scalingStrategy": {"strategy": "custom", "customScalingQueueLengthDeduction": 2,
                    "customScalingRunningJobPercentage": "0.5"},
                "triggers": [{"type": "rabbitmq", "metadata": {"queueName": "q", "mode": "QueueLength", "value": "4"}}]}
        })];
        let knobs = derive(&docs);
        let paths: Vec<String> = knobs.iter().map(|k| k.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "spec.pollingInterval",
                "spec.maxReplicaCount",
                "spec.scalingStrategy.customScalingQueueLengthDeduction",
                "spec.scalingStrategy.customScalingRunningJobPercentage",
                "spec.triggers[0].metadata.value",
                "spec.triggers[0].metadata.activationValue"
            ]
        );
        assert_eq!(knobs[0].object, "ScaledJob/j");
        let poll = &knobs[0];
        assert!(!poll.written);
        assert_eq!(poll.values[poll.baseline], 30.0);
        assert_eq!(knobs[1].values, [10.0, 15.0, 20.0, 30.0, 40.0]);
        let pct = &knobs[3];
        assert_eq!(pct.values[pct.baseline], 0.5);
        assert_eq!(pct.value(0), json!("0.25"));
    }
}
