//! Prometheus' range queries (`GET /api/v1/query_range`, the standard HTTP
//! API): a long range split into requests of at most [`MAX_POINTS`] points
//! each (Prometheus refuses more: "exceeded maximum resolution of 11,000
//! points per timeseries", `web/api/v1/api.go` `queryRange`), the answers
//! joined, and exactly one series required.

use std::collections::BTreeMap;

use serde_json::Value;
use url::Url;

use crate::http::HttpClient;

/// The most points Prometheus returns per series and request.
pub const MAX_POINTS: usize = 11_000;

/// A series' labels.
pub type Labels = BTreeMap<String, String>;

/// One series of an answer: its labels and `(Unix seconds, value)`.
pub type Series = (Labels, Vec<(f64, f64)>);

/// The requests covering the grid `from + k × step`, k = 0..n: `(start,
/// end)` of each, at most [`MAX_POINTS`] grid points apiece, none shared.
pub fn windows(from: f64, step: f64, n: usize) -> Vec<(f64, f64)> {
    (0..n)
        .step_by(MAX_POINTS)
        .map(|k| {
            let last = (k + MAX_POINTS).min(n) - 1;
            (from + k as f64 * step, from + last as f64 * step)
        })
        .collect()
}

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

/// `GET /api/v1/query_range` for every window; the one series' samples.
pub async fn query_range(
    client: &HttpClient,
    base: &Url,
    query: &str,
    from: f64,
    step: f64,
    n: usize,
) -> Result<Vec<(f64, f64)>, String> {
    let url = base
        .join("api/v1/query_range")
        .map_err(|e| format!("{}: {e}", crate::http::redacted(base)))?;
    let step_text = super::series::number(step);
    let mut answers = Vec::new();
    for (start, end) in windows(from, step, n) {
        let (start, end) = (super::series::number(start), super::series::number(end));
        let resp = client
            .get(
                &url,
                &[
                    ("query", query),
                    ("start", &start),
                    ("end", &end),
                    ("step", &step_text),
                ],
            )
            .await?;
        // Prometheus answers a refused query with 4xx/5xx and a JSON body
        // that says why; anything else is shown as it came.
        let body: Value = serde_json::from_slice(&resp.body).map_err(|_| {
            format!(
                "GET {}: HTTP {}: {}",
                crate::http::redacted(&url),
                resp.status,
                resp.excerpt()
            )
        })?;
        answers.push(parse_matrix(&body).map_err(|e| format!("{query:?}: {e}"))?);
    }
    one_series(query, answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_ranges_are_split_within_the_limit() {
        assert_eq!(windows(0.0, 15.0, 5), vec![(0.0, 60.0)]);
        let w = windows(100.0, 1.0, 25_000);
        assert_eq!(
            w,
            vec![
                (100.0, 11_099.0),
                (11_100.0, 22_099.0),
                (22_100.0, 25_099.0)
            ]
        );
        assert!(w.iter().all(|(a, b)| ((b - a) as usize) < MAX_POINTS));
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
}
