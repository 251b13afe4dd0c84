//! The `load:` list: steps, ramps, spikes, diurnal waves, traces, noise.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::sim::load::Segment;
use crate::time::Duration;

use super::csv::{RATE, ValueColumn, read_csv};
use super::manifests::shift_embedded;
use super::text::secs_text;
use super::{Ctx, MAX_RATE, de, err};

pub(super) const SEGMENT_KINDS: [&str; 7] = [
    "constant", "step", "ramp", "spike", "diurnal", "trace", "noise",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    at: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRamp {
    from: Duration,
    to: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpike {
    at: Duration,
    #[serde(rename = "for")]
    length: Duration,
    rate: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawDiurnal {
    mean: f64,
    #[serde(default)]
    amplitude: f64,
    #[serde(default)]
    period: Option<Duration>,
    #[serde(default)]
    peak_at: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrace {
    #[serde(default)]
    csv: Option<String>,
    #[serde(default)]
    file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoise {
    cv: f64,
    #[serde(default)]
    interval: Option<Duration>,
}

pub(super) fn rate(r: f64, at: &Path) -> Result<f64, Error> {
    if !r.is_finite() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            "must be a finite number",
        ));
    }
    if r < 0.0 {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!("a rate cannot be negative ({r}): load segments add arrivals per second"),
        ));
    }
    if r > MAX_RATE {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!("a rate may be at most {MAX_RATE:e} per second"),
        ));
    }
    Ok(r)
}

pub(super) fn read_load(v: &Value, at: &Path, ctx: &Ctx<'_>) -> Result<Vec<Segment>, Error> {
    let Some(items) = v.as_array() else {
        return Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`load` is a list of segments (e.g. `[{constant: 20}, {step: {at: 30m, rate: 60}}]`)",
        ));
    };
    if items.is_empty() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            "give at least one load segment",
        ));
    }
    if items.len() > 10_000 {
        return Err(err(
            ErrorKind::Limit,
            at.clone(),
            "at most 10000 load segments",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = at.index(i);
        let Some(obj) = item.as_object().filter(|o| o.len() == 1) else {
            return Err(err(
                ErrorKind::Schema,
                at,
                format!(
                    "a load segment is a mapping with one key: {}",
                    SEGMENT_KINDS.join(", ")
                ),
            ));
        };
        let (kind, body) = obj.iter().next().expect("one entry");
        out.push(read_segment(kind, body, &at, ctx)?);
    }
    Ok(out)
}

/// One load segment, `kind: body`, at `at`.
fn read_segment(kind: &str, body: &Value, at: &Path, ctx: &Ctx<'_>) -> Result<Segment, Error> {
    let b = at.child(kind);
    Ok(match kind {
        "constant" => {
            let r: f64 = match body {
                Value::Object(m) if m.contains_key("rate") => de(&m["rate"], &b.child("rate"))?,
                _ => de(body, &b)?,
            };
            Segment::Constant(rate(r, &b)?)
        }
        "step" => {
            let s: RawStep = de(body, &b)?;
            Segment::Step {
                at: s.at.as_secs_f64(),
                rate: rate(s.rate, &b.child("rate"))?,
            }
        }
        "ramp" => {
            let s: RawRamp = de(body, &b)?;
            if s.to <= s.from {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("to"),
                    format!(
                        "a ramp ends after it starts: `to` ({}) must be later than `from` ({})",
                        secs_text(s.to.as_secs_f64()),
                        secs_text(s.from.as_secs_f64())
                    ),
                ));
            }
            Segment::Ramp {
                from: s.from.as_secs_f64(),
                to: s.to.as_secs_f64(),
                rate: rate(s.rate, &b.child("rate"))?,
            }
        }
        "spike" => {
            let s: RawSpike = de(body, &b)?;
            if s.length.as_secs_f64() <= 0.0 {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("for"),
                    "a spike lasts longer than 0",
                ));
            }
            Segment::Spike {
                at: s.at.as_secs_f64(),
                length: s.length.as_secs_f64(),
                rate: rate(s.rate, &b.child("rate"))?,
            }
        }
        "diurnal" => {
            let s: RawDiurnal = de(body, &b)?;
            let mean = rate(s.mean, &b.child("mean"))?;
            let amplitude = rate(s.amplitude, &b.child("amplitude"))?;
            if amplitude > mean {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("amplitude"),
                    format!(
                        "an amplitude of {amplitude} around a mean of {mean} makes the rate negative: \
                         keep amplitude ≤ mean"
                    ),
                ));
            }
            let period = s.period.unwrap_or(Duration::from_secs(86400)).as_secs_f64();
            if period <= 0.0 {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("period"),
                    "must be greater than 0",
                ));
            }
            Segment::Diurnal {
                mean,
                amplitude,
                period,
                peak_at: s.peak_at.map(|d| d.as_secs_f64()).unwrap_or(0.0),
            }
        }
        "trace" => read_trace(body, &b, ctx)?,
        "noise" => {
            let s: RawNoise = de(body, &b)?;
            if !(s.cv.is_finite() && (0.0..=10.0).contains(&s.cv)) {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("cv"),
                    "a coefficient of variation is a number between 0 and 10",
                ));
            }
            if s.interval.is_some_and(|d| d.as_secs_f64() <= 0.0) {
                return Err(err(
                    ErrorKind::Invalid,
                    b.child("interval"),
                    "must be greater than 0",
                ));
            }
            Segment::Noise {
                cv: s.cv,
                interval: s.interval.map(|d| d.as_secs_f64()),
            }
        }
        other => {
            return Err(err(
                ErrorKind::Schema,
                at.child(other),
                format!(
                    "unknown load segment `{other}`: one of {}",
                    SEGMENT_KINDS.join(", ")
                ),
            ));
        }
    })
}

/// `trace:`, its points inline (`csv:`) or in a file the command line reads
/// (`file:`).
fn read_trace(body: &Value, b: &Path, ctx: &Ctx<'_>) -> Result<Segment, Error> {
    read_points(body, b, ctx, RATE).map(Segment::Trace)
}

/// The points of a `trace:` body (`{csv: ...}` or `{file: ...}`) at `b`: a
/// load trace, the `reference:`; lines of inline text moved into the
/// scenario's, a file's named `file:line`.
pub(crate) fn read_points(
    body: &Value,
    b: &Path,
    ctx: &Ctx<'_>,
    column: ValueColumn,
) -> Result<Vec<(f64, f64)>, Error> {
    let s: RawTrace = de(body, b)?;
    match (s.csv, s.file) {
        (Some(text), None) => {
            let p = b.child("csv");
            read_csv(&text, &p, column).map_err(|e| shift_embedded(e, &p, &text, ctx))
        }
        (None, Some(file)) => {
            let p = b.child("file");
            let Some(loader) = ctx.loader else {
                return Err(err(
                    ErrorKind::Unsupported,
                    p,
                    "only the command line reads trace files: give the points inline with `csv:`",
                ));
            };
            let text = loader(&file).map_err(|e| {
                err(
                    ErrorKind::Invalid,
                    p.clone(),
                    format!("cannot read {file:?}: {e}"),
                )
            })?;
            read_csv(&text, &p, column).map_err(|mut e| {
                for pr in &mut e.problems {
                    if let Some(l) = pr.line.take() {
                        pr.column = None;
                        pr.message = format!("{file}:{l}: {}", pr.message);
                    }
                }
                e
            })
        }
        _ => Err(err(
            ErrorKind::Schema,
            b.clone(),
            "a trace has `csv:` (the points as text) or `file:` (a CSV path), not both",
        )),
    }
}
