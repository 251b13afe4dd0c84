//! Prometheus' range queries (`GET /api/v1/query_range`, the standard HTTP
//! API): a long range split into requests of at most [`MAX_POINTS`] points
//! each (Prometheus refuses more: "exceeded maximum resolution of 11,000
//! points per timeseries", `web/api/v1/api.go` `queryRange`), the answers
//! read and joined by `sim::recorded`, exactly one series required.

use replicast_engine::sim::recorded::{number, one_series, parse_matrix};
use serde_json::Value;
use url::Url;

use crate::http::HttpClient;

/// The most points Prometheus returns per series and request.
pub const MAX_POINTS: usize = 11_000;

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
    let step_text = number(step);
    let mut answers = Vec::new();
    for (start, end) in windows(from, step, n) {
        let (start, end) = (number(start), number(end));
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
}
