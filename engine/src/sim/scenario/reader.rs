//! Reading a scenario's top level: keys, start, defaults, the default load.

use alloc::format;
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::sim::infer::Assumption;
use crate::sim::load::Segment;
use crate::time::Duration;
use crate::time::Instant;

use super::segments::read_load;
use super::text::{rate_text, round2, secs_text};
use super::variant::read_variants;
use super::{
    AutoscalerKind, Ctx, MAX_RATE, MAX_REPLICAS, MAX_STEPS, ROOT_KEYS, Scenario, Variant, de, err,
};
/// Reads a scenario from a JSON value (no lines; no files).
pub fn from_value(value: &Value) -> Result<Scenario, Error> {
    read(value, &Ctx::NONE)
}

pub(crate) fn read(value: &Value, ctx: &Ctx<'_>) -> Result<Scenario, Error> {
    let root = Path::root();
    let Some(top) = value.as_object() else {
        return Err(err(
            ErrorKind::Schema,
            root,
            "a scenario is a mapping with `manifests` and `load` (shared spec scenario.md)",
        ));
    };
    for k in top.keys() {
        if !ROOT_KEYS.contains(&k.as_str()) {
            return Err(err(
                ErrorKind::Schema,
                root.child(k),
                format!(
                    "unknown field `{k}`, expected one of {}",
                    ROOT_KEYS
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let duration: Duration = match top.get("duration") {
        Some(v) => de(v, &root.child("duration"))?,
        None => Duration::from_secs(3600),
    };
    let step: Duration = match top.get("step") {
        Some(v) => de(v, &root.child("step"))?,
        None => Duration::from_secs(1),
    };
    let seed: u64 = match top.get("seed") {
        Some(v) => de(v, &root.child("seed"))?,
        None => 0,
    };
    let start = match top.get("start") {
        Some(v) => read_start(v, &root.child("start"))?,
        None => Instant::from_secs_f64(0.0),
    };
    check_clock(duration, step)?;
    let load = match top.get("load") {
        Some(v) => Some(read_load(v, &root.child("load"), ctx)?),
        None => None,
    };

    let mut variants = read_variants(top, value, ctx)?;
    let load = match load {
        Some(load) => load,
        None => {
            let (load, assumed) = default_load(&variants, duration);
            for v in &mut variants {
                v.assumptions.insert(0, assumed.clone());
            }
            load
        }
    };
    Ok(Scenario {
        duration,
        step,
        seed,
        start,
        load,
        variants,
        reference: match top.get("reference") {
            Some(v) => Some(super::super::reference::read(
                v,
                &root.child("reference"),
                ctx,
            )?),
            None => None,
        },
    })
}

/// The clock's limits: a step of at least 1 ms, no longer than the
/// duration, and at most [`MAX_STEPS`] steps.
fn check_clock(duration: Duration, step: Duration) -> Result<(), Error> {
    let root = Path::root();
    if step.as_secs_f64() <= 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must be greater than 0 (e.g. `step: 1s`)",
        ));
    }
    if step.as_secs_f64() < 0.001 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must be at least 1ms",
        ));
    }
    if duration.as_secs_f64() <= 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("duration"),
            "the duration must be greater than 0 (e.g. `duration: 6h`)",
        ));
    }
    if step > duration {
        return Err(err(
            ErrorKind::Invalid,
            root.child("step"),
            "the step must not be longer than the duration",
        ));
    }
    let steps = libm::ceil(duration.as_secs_f64() / step.as_secs_f64() - 1e-9);
    if steps > MAX_STEPS as f64 {
        return Err(err(
            ErrorKind::Invalid,
            root.child("duration"),
            format!(
                "{} at a step of {} is {steps} steps; a run takes at most {MAX_STEPS} steps \
                 (30 days at 1 s): shorten the duration or lengthen the step",
                secs_text(duration.as_secs_f64()),
                secs_text(step.as_secs_f64()),
            ),
        ));
    }
    Ok(())
}

/// `start:`: an RFC 3339 instant (`2026-12-01T08:00:00Z`, an offset
/// required) or Unix seconds.
pub(super) fn read_start(v: &Value, at: &Path) -> Result<Instant, Error> {
    let bad = || {
        err(
            ErrorKind::Invalid,
            at.clone(),
            "`start` is an RFC 3339 instant with an offset (2026-12-01T08:00:00Z) or Unix seconds",
        )
    };
    let secs = match v {
        Value::Number(n) => n.as_f64().filter(|s| s.is_finite()).ok_or_else(bad)?,
        Value::String(text) => {
            let ts: jiff::Timestamp = text.trim().parse().map_err(|_| bad())?;
            return Ok(Instant::from_secs_f64(ts.as_second() as f64)
                + Duration::from_secs_f64(f64::from(ts.subsec_nanosecond()) / 1e9));
        }
        _ => return Err(bad()),
    };
    // Within ±200 years of the epoch (nanoseconds in an i64).
    if secs.abs() > 6.3e9 {
        return Err(bad());
    }
    Ok(Instant::from_secs_f64(secs))
}

/// The load of a scenario without `load:`: a quarter of the smallest
/// autoscaler floor's capacity, a ramp (from 10 % to 40 % of the run) to
/// half the largest ceiling's capacity, and a spike (at 60 %, for 10 %) to
/// 90 % of it; capacity is `replicas × workload.capacityPerReplica` of the
/// first variant. Rates are rounded to two significant digits.
pub(super) fn default_load(variants: &[Variant], duration: Duration) -> (Vec<Segment>, Assumption) {
    let (mut lo, mut hi) = (i32::MAX, 0);
    for v in variants {
        for a in &v.autoscalers {
            let (min, max) = match &a.kind {
                AutoscalerKind::Hpa { hpa, .. } => {
                    (hpa.spec.min_replicas.unwrap_or(1), hpa.spec.max_replicas)
                }
                AutoscalerKind::Keda { so, .. } => (so.hpa_min_replicas(), so.hpa_max_replicas()),
                AutoscalerKind::Kpa(k) => (
                    k.settings.min_scale.max(1),
                    if k.settings.max_scale == 0 {
                        10
                    } else {
                        k.settings.max_scale
                    },
                ),
            };
            lo = lo.min(min);
            hi = hi.max(max);
        }
        if v.autoscalers.is_empty() {
            lo = lo.min(v.target.replicas);
            hi = hi.max(v.target.replicas);
        }
    }
    let lo = lo.clamp(1, MAX_REPLICAS);
    let hi = hi.clamp(lo, MAX_REPLICAS);
    let cap = variants
        .first()
        .map_or(10.0, |v| v.workload.capacity_per_replica);
    // Within what a written load may hold (`MAX_RATE`), however large the capacity.
    let sized = |share: f64, replicas: i32| round2(share * f64::from(replicas) * cap).min(MAX_RATE);
    let base = sized(0.25, lo);
    let mid = sized(0.5, hi).max(base);
    let peak = sized(0.9, hi).max(mid);
    let d = duration.as_secs_f64();
    let at = |f: f64| libm::round(d * f);
    let load = alloc::vec![
        Segment::Constant(base),
        Segment::Ramp {
            from: at(0.1),
            to: at(0.4).max(at(0.1) + 1.0),
            rate: mid - base,
        },
        Segment::Spike {
            at: at(0.6),
            length: at(0.1).max(1.0),
            rate: peak - mid,
        },
    ];
    let text = format!(
        "[{{constant: {}}}, {{ramp: {{from: {}, to: {}, rate: {}}}}}, {{spike: {{at: {}, for: {}, rate: {}}}}}]",
        rate_text(base),
        secs_text(at(0.1)),
        secs_text(at(0.4).max(at(0.1) + 1.0)),
        rate_text(mid - base),
        secs_text(at(0.6)),
        secs_text(at(0.1).max(1.0)),
        rate_text(peak - mid),
    );
    let reason = format!(
        "no `load:`: {}/s, rising to {}/s and a spike to {}/s, sized from \
         {lo}–{hi} replicas × capacityPerReplica {cap}",
        rate_text(base),
        rate_text(mid),
        rate_text(peak),
    );
    (
        load,
        Assumption::new(Path::root().child("load"), "", &text, reason),
    )
}
