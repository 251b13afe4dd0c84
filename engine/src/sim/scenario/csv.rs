//! The CSV reader of recorded series (`t,value` points, errors at their
//! line): a load trace (`t,rate`), the reference (`t,replicas`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::time::Duration;

use super::{MAX_RATE, MAX_TRACE_POINTS, err};

/// What a series' second column holds: its name in messages (`rate`,
/// `replicas`) and whether it may be negative.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ValueColumn {
    /// The column's name in messages.
    pub name: &'static str,
    /// Whether values below zero are taken.
    pub signed: bool,
}

/// A load trace's column.
pub(crate) const RATE: ValueColumn = ValueColumn {
    name: "rate",
    signed: false,
};

/// Reads `t,value` points (a header line is optional; `#` starts a comment;
/// `t` in seconds or with a unit). Errors carry the line in `text`.
pub(super) fn read_csv(
    text: &str,
    at: &Path,
    column: ValueColumn,
) -> Result<Vec<(f64, f64)>, Error> {
    let name = column.name;
    let mut points: Vec<(f64, f64)> = Vec::new();
    let line_err = |l: usize, msg: String| {
        let mut e = err(ErrorKind::Invalid, at.clone(), msg);
        e.problems[0].line = Some(l as u32);
        e.problems[0].column = Some(1);
        e
    };
    for (n, raw) in text.lines().enumerate() {
        let l = n + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut cols = line.split([',', ';', '\t']).map(str::trim);
        let (Some(a), Some(b)) = (cols.next(), cols.next()) else {
            return Err(line_err(
                l,
                format!("row {line:?}: expected two columns, `t,{name}`"),
            ));
        };
        let t = a.parse::<f64>().ok().or_else(|| {
            serde_json::from_value::<Duration>(Value::String(a.to_string()))
                .ok()
                .map(Duration::as_secs_f64)
        });
        let r = b.parse::<f64>().ok();
        let (t, r) = match (t, r) {
            (Some(t), Some(r)) => (t, r),
            _ if points.is_empty() && l == first_content_line(text) => continue, // header
            _ => {
                return Err(line_err(
                    l,
                    format!("row {line:?}: `t` is seconds (or 5m, 1h) and `{name}` a number"),
                ));
            }
        };
        if !t.is_finite() || t < 0.0 {
            return Err(line_err(l, format!("row {line:?}: `t` cannot be negative")));
        }
        if !r.is_finite() || (r < 0.0 && !column.signed) {
            return Err(line_err(
                l,
                format!("row {line:?}: `{name}` cannot be negative"),
            ));
        }
        if r.abs() > MAX_RATE {
            return Err(line_err(l, format!("row {line:?}: `{name}` is too large")));
        }
        if let Some(&(prev, _)) = points.last() {
            if t <= prev {
                return Err(line_err(
                    l,
                    format!("row {line:?}: times must increase (the previous row is at {prev})"),
                ));
            }
        }
        if points.len() >= MAX_TRACE_POINTS {
            return Err(line_err(
                l,
                format!("a trace holds at most {MAX_TRACE_POINTS} points"),
            ));
        }
        points.push((t, r));
    }
    if points.is_empty() {
        return Err(err(
            ErrorKind::Invalid,
            at.clone(),
            format!("the trace has no points (`t,{name}` rows)"),
        ));
    }
    Ok(points)
}

pub(super) fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
        .map(|p| p + 1)
        .unwrap_or(0)
}
