//! Recorded series (issue 14): what `replicast record` and the
//! playground's import turn into a scenario's traces. A Prometheus
//! `query_range` answer read, exactly one series required (else an error
//! naming the query and showing the labels), and a series put on a grid
//! (`from + k × step`) with its gaps interpolated and listed, never filled
//! with zero; written as the `t,value` CSV a trace holds, each gap a `#`
//! comment.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::Value;

/// A stretch of the grid with no sample, interpolated linearly between the
/// samples on either side.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The last sample before it (seconds from `--from`).
    pub after: f64,
    /// The first sample after it.
    pub before: f64,
    /// Grid points filled.
    pub filled: usize,
}

/// A series on the grid: `(t from --from, value)` and what was filled.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The points, on the grid, in time order.
    pub points: Vec<(f64, f64)>,
    /// The gaps interpolated.
    pub gaps: Vec<Gap>,
    /// Grid points before the first sample or after the last: left out (a
    /// load trace holds its first and last value there, a reference is
    /// unknown there).
    pub missing_ends: (usize, usize),
}

/// The grid `from + k × step`, k = 0..=n, with `n = ⌊(to − from)/step⌋`.
pub fn grid_len(from: f64, to: f64, step: f64) -> usize {
    (libm::floor((to - from) / step + 1e-9) as usize) + 1
}

/// Puts `samples` (Unix seconds, value; any order; non-finite values are
/// missing) on the grid. A grid point between two samples at most `reach`
/// seconds apart is interpolated without comment (a Prometheus sample every
/// step, an agent's reading every poll); further apart is a [`Gap`]. `None`
/// when no sample is finite.
pub fn on_grid(
    samples: &[(f64, f64)],
    from: f64,
    step: f64,
    n: usize,
    reach: f64,
) -> Option<Recorded> {
    let mut s: Vec<(f64, f64)> = samples
        .iter()
        .copied()
        .filter(|(t, v)| t.is_finite() && v.is_finite())
        .collect();
    s.sort_by(|a, b| a.0.total_cmp(&b.0));
    s.dedup_by(|b, a| (b.0 - a.0).abs() < 1e-6);
    let (first, last) = (s.first()?.0, s.last()?.0);
    let eps = 1e-6 * step.max(1.0);
    let mut out = Recorded {
        points: Vec::new(),
        gaps: Vec::new(),
        missing_ends: (0, 0),
    };
    let mut j = 0;
    for k in 0..n {
        let g = from + k as f64 * step;
        if g < first - eps {
            out.missing_ends.0 += 1;
            continue;
        }
        if g > last + eps {
            out.missing_ends.1 += 1;
            continue;
        }
        while j + 1 < s.len() && s[j + 1].0 <= g + eps {
            j += 1;
        }
        let (ta, va) = s[j];
        let v = match s.get(j + 1) {
            Some(&(tb, vb)) if (g - ta).abs() > eps => {
                if tb - ta > reach + eps {
                    let (after, before) = (ta - from, tb - from);
                    match out.gaps.last_mut() {
                        Some(gap) if gap.after == after => gap.filled += 1,
                        _ => out.gaps.push(Gap {
                            after,
                            before,
                            filled: 1,
                        }),
                    }
                }
                va + (vb - va) * (g - ta) / (tb - ta)
            }
            _ => va,
        };
        out.points.push((k as f64 * step, v));
    }
    Some(out)
}

/// A number as a trace writes it: up to 6 decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    let r = libm::round(v * 1e6) / 1e6;
    if r == libm::trunc(r) && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

impl Recorded {
    /// The trace CSV: a header `t,<column>`, each gap as a `#` comment
    /// before its points, one row per grid point.
    pub fn csv(&self, column: &str) -> String {
        let mut out = format!("t,{column}\n");
        let mut gaps = self.gaps.iter().peekable();
        for &(t, v) in &self.points {
            if let Some(g) = gaps.peek().filter(|g| t > g.after) {
                let _ = writeln!(
                    out,
                    "# gap: no sample from {} to {}; {} points interpolated",
                    number(g.after),
                    number(g.before),
                    g.filled
                );
                gaps.next();
            }
            let _ = writeln!(out, "{},{}", number(t), number(v));
        }
        out
    }

    /// One line per gap and missing end, for stderr; empty when complete.
    pub fn report(&self, what: &str, step: f64) -> Vec<String> {
        let mut out: Vec<String> = self
            .gaps
            .iter()
            .map(|g| {
                format!(
                    "{what}: no sample from t={}s to t={}s: {} points interpolated",
                    number(g.after),
                    number(g.before),
                    g.filled
                )
            })
            .collect();
        let (head, tail) = self.missing_ends;
        if head > 0 {
            out.push(format!(
                "{what}: no sample in the first {}s: the series starts at t={}s",
                number(head as f64 * step),
                number(head as f64 * step)
            ));
        }
        if tail > 0 {
            out.push(format!(
                "{what}: no sample in the last {}s",
                number(tail as f64 * step)
            ));
        }
        out
    }
}

/// A series' labels.
pub type Labels = BTreeMap<String, String>;

/// One series of an answer: its labels and `(Unix seconds, value)`.
pub type Series = (Labels, Vec<(f64, f64)>);

/// A `query_range` answer's series: labels and `(Unix seconds, value)`
/// (`NaN`, `+Inf` as Prometheus writes them, read as such). An `error`
/// answer becomes its message.
pub fn parse_matrix(body: &Value) -> Result<Vec<Series>, String> {
    if body["status"] != "success" {
        return Err(format!(
            "Prometheus refused the query: {}: {}",
            body["errorType"].as_str().unwrap_or("error"),
            body["error"].as_str().unwrap_or("(no message)")
        ));
    }
    let data = &body["data"];
    if data["resultType"] != "matrix" {
        return Err(format!(
            "expected a range query's matrix, got {}",
            data["resultType"]
        ));
    }
    let bad = || "the answer's `data.result` is not a list of series".to_string();
    let mut out = Vec::new();
    for s in data["result"].as_array().ok_or_else(bad)? {
        let labels: Labels = s["metric"]
            .as_object()
            .ok_or_else(bad)?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let mut points = Vec::new();
        for p in s["values"].as_array().ok_or_else(bad)? {
            let t = p[0].as_f64().ok_or_else(bad)?;
            let v = match p[1].as_str().ok_or_else(bad)? {
                "NaN" => f64::NAN,
                text => text.parse::<f64>().map_err(|_| bad())?,
            };
            points.push((t, v));
        }
        out.push((labels, points));
    }
    Ok(out)
}

/// `{job="api", instance="a:9100"}`, as Prometheus prints a series.
pub fn show_labels(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// The one series of every window's answers together: an error naming the
/// query when there is none, or when there are several (each one's labels
/// shown).
pub fn one_series(query: &str, answers: Vec<Vec<Series>>) -> Result<Vec<(f64, f64)>, String> {
    let mut by_labels: BTreeMap<Labels, Vec<(f64, f64)>> = BTreeMap::new();
    for (labels, points) in answers.into_iter().flatten() {
        by_labels.entry(labels).or_default().extend(points);
    }
    match by_labels.len() {
        0 => Err(format!(
            "the query {query:?} returned no series in the range: check its metric name and labels (an instant query in Prometheus' UI shows what it matches)"
        )),
        1 => Ok(by_labels.into_values().next().unwrap_or_default()),
        n => {
            let shown: Vec<String> = by_labels.keys().take(10).map(show_labels).collect();
            Err(format!(
                "the query {query:?} returned {n} series; it must return one (aggregate it, e.g. sum(...), or select by label):\n  {}{}",
                shown.join("\n  "),
                if n > 10 {
                    format!("\n  … and {} more", n - 10)
                } else {
                    String::new()
                }
            ))
        }
    }
}

/// A Prometheus `query_range` answer (as text) as a load trace's CSV: its
/// one series from its first sample on, at the answer's own step (the
/// smallest distance between samples), gaps interpolated and commented.
pub fn prometheus_csv(text: &str, column: &str) -> Result<String, String> {
    let body: Value = serde_json::from_str(text)
        .map_err(|e| format!("not a Prometheus query_range answer (JSON): {e}"))?;
    let points = one_series("the pasted answer", alloc::vec![parse_matrix(&body)?])?;
    let mut times: Vec<f64> = points.iter().map(|p| p.0).collect();
    times.sort_by(f64::total_cmp);
    let step = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 1e-6)
        .fold(f64::INFINITY, f64::min);
    let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
        return Err("the series has no samples".into());
    };
    let step = if step.is_finite() { step } else { 1.0 };
    let n = grid_len(first, last, step);
    on_grid(&points, first, step, n, step)
        .map(|r| r.csv(column))
        .ok_or_else(|| "the series has no sample that is a number".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use serde_json::json;

    #[test]
    fn a_complete_series_is_kept_as_it_is() {
        let s: Vec<(f64, f64)> = (0..5)
            .map(|k| (1000.0 + 15.0 * k as f64, k as f64 * 1.5))
            .collect();
        let r = on_grid(&s, 1000.0, 15.0, 5, 15.0).unwrap();
        assert_eq!(
            r.points,
            vec![
                (0.0, 0.0),
                (15.0, 1.5),
                (30.0, 3.0),
                (45.0, 4.5),
                (60.0, 6.0)
            ]
        );
        assert!(r.gaps.is_empty() && r.missing_ends == (0, 0));
        assert_eq!(r.csv("rate"), "t,rate\n0,0\n15,1.5\n30,3\n45,4.5\n60,6\n");
    }

    #[test]
    fn gaps_are_interpolated_and_reported() {
        // Samples at 0, 15, (30 and 45 missing), 60, NaN at 75, 90; none at 105.
        let s = [
            (0.0, 1.0),
            (15.0, 2.0),
            (60.0, 5.0),
            (75.0, f64::NAN),
            (90.0, 8.0),
        ];
        let r = on_grid(&s, 0.0, 15.0, 8, 15.0).unwrap();
        let v: Vec<f64> = r.points.iter().map(|p| p.1).collect();
        assert_eq!(v, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.5, 8.0]);
        assert_eq!(
            r.gaps,
            vec![
                Gap {
                    after: 15.0,
                    before: 60.0,
                    filled: 2
                },
                Gap {
                    after: 60.0,
                    before: 90.0,
                    filled: 1
                }
            ]
        );
        assert_eq!(r.missing_ends, (0, 1));
        assert!(
            r.csv("rate")
                .contains("15,2\n# gap: no sample from 15 to 60; 2 points interpolated\n30,3\n")
        );
        let report = r.report("load", 15.0);
        assert_eq!(report.len(), 3, "{report:?}");
        assert_eq!(
            report[0],
            "load: no sample from t=15s to t=60s: 2 points interpolated"
        );
        assert_eq!(report[2], "load: no sample in the last 15s");
    }

    #[test]
    fn readings_off_the_grid_are_interpolated_within_reach() {
        let s = [(3.0, 10.0), (13.0, 20.0), (23.0, 30.0)];
        let r = on_grid(&s, 0.0, 5.0, 5, 10.0).unwrap();
        assert_eq!(
            r.points,
            vec![(5.0, 12.0), (10.0, 17.0), (15.0, 22.0), (20.0, 27.0)]
        );
        assert!(r.gaps.is_empty());
        assert_eq!(r.missing_ends, (1, 0));
        assert_eq!(on_grid(&[(0.0, f64::NAN)], 0.0, 1.0, 3, 1.0), None);
        assert_eq!(grid_len(0.0, 60.0, 15.0), 5);
        assert_eq!(grid_len(0.0, 59.0, 15.0), 4);
    }

    #[test]
    fn answers_are_read_and_must_hold_one_series() {
        let body = json!({"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": {"job": "api"}, "values": [[1000, "1.5"], [1015, "NaN"]]}
        ]}});
        let m = parse_matrix(&body).unwrap();
        assert_eq!(m[0].0.get("job").map(String::as_str), Some("api"));
        assert_eq!(m[0].1[0], (1000.0, 1.5));
        assert!(m[0].1[1].1.is_nan());
        let later = json!({"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": {"job": "api"}, "values": [[1030, "2"]]}
        ]}});
        let s = one_series("q", vec![m.clone(), parse_matrix(&later).unwrap()]).unwrap();
        assert_eq!(s.len(), 3);

        let e = one_series("up{job=\"x\"}", vec![vec![]]).unwrap_err();
        assert!(e.contains("returned no series"), "{e}");
        let two = json!({"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": {"job": "api", "instance": "a"}, "values": [[1000, "1"]]},
            {"metric": {"job": "api", "instance": "b"}, "values": [[1000, "1"]]}
        ]}});
        let e = one_series("up", vec![parse_matrix(&two).unwrap()]).unwrap_err();
        assert!(e.contains("returned 2 series"), "{e}");
        assert!(e.contains(r#"{instance="a", job="api"}"#), "{e}");

        let refused = json!({"status": "error", "errorType": "bad_data", "error": "parse error"});
        assert_eq!(
            parse_matrix(&refused).unwrap_err(),
            "Prometheus refused the query: bad_data: parse error"
        );
    }

    #[test]
    fn a_pasted_answer_becomes_a_trace() {
        let text = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"job":"api"},"values":[[1000,"1"],[1015,"2"],[1045,"4"]]}]}}"#;
        assert_eq!(
            prometheus_csv(text, "rate").unwrap(),
            "t,rate\n0,1\n15,2\n# gap: no sample from 15 to 45; 1 points interpolated\n30,3\n45,4\n"
        );
        assert!(prometheus_csv("t,rate\n0,1\n", "rate").is_err());
    }
}
