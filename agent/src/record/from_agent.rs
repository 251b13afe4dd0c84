//! `--agent URL`: the series a running `replicast agent` retains (`GET
//! /api/state?since=FROM`: each source's readings as `{t: [...], v:
//! [...]}` under `sources[i].series[KEY]`), named `SOURCE.KEY` where
//! Prometheus would take a query.

use serde_json::Value;
use url::Url;

use crate::http::HttpClient;

/// The readings of `name` (`SOURCE.KEY`) in a `/api/state` answer, as
/// `(Unix seconds, value)`, and the source's poll period (seconds); an
/// error naming what the agent has when it has no such series.
pub fn series(state: &Value, name: &str) -> Result<(Vec<(f64, f64)>, f64), String> {
    let sources = state["sources"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let known = || {
        let mut names: Vec<String> = sources
            .iter()
            .flat_map(|s| {
                let src = s["source"].as_str().unwrap_or("?").to_string();
                s["series"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .map(move |k| format!("{src}.{k}"))
            })
            .collect();
        names.truncate(20);
        if names.is_empty() {
            "it retains no series".to_string()
        } else {
            format!("it retains {}", names.join(", "))
        }
    };
    let found = sources.iter().find_map(|s| {
        let src = s["source"].as_str()?;
        let key = name.strip_prefix(src)?.strip_prefix('.')?;
        Some((s, s["series"].get(key)?))
    });
    let Some((source, cols)) = found else {
        return Err(format!(
            "the agent has no series {name:?} (SOURCE.KEY): {}",
            known()
        ));
    };
    let col = |k: &str| -> Vec<f64> {
        cols[k]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect())
            .unwrap_or_default()
    };
    let points: Vec<(f64, f64)> = col("t").into_iter().zip(col("v")).collect();
    let period = source["period"]
        .as_f64()
        .filter(|p| *p > 0.0)
        .unwrap_or(0.0);
    Ok((points, period))
}

/// `GET /api/state?since=FROM` of the agent at `base`.
pub async fn state(client: &HttpClient, base: &Url, from: f64) -> Result<Value, String> {
    let url = base
        .join("api/state")
        .map_err(|e| format!("{}: {e}", crate::http::redacted(base)))?;
    client
        .get_json(
            &url,
            &[("since", &replicast_engine::sim::recorded::number(from))],
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn series_are_named_source_dot_key() {
        let state = json!({"sources": [
            {"source": "prom", "period": 15, "series": {"rps": {"t": [10.0, 25.0], "v": [1.5, null]}}},
            {"source": "rabbit", "period": 5, "series": {"queue.ready": {"t": [11.0], "v": [3]}}}
        ]});
        let (p, period) = series(&state, "prom.rps").unwrap();
        assert_eq!(p[0], (10.0, 1.5));
        assert!(p[1].1.is_nan());
        assert_eq!(period, 15.0);
        assert_eq!(
            series(&state, "rabbit.queue.ready").unwrap().0,
            vec![(11.0, 3.0)]
        );
        let e = series(&state, "prom.nope").unwrap_err();
        assert!(e.contains("prom.rps, rabbit.queue.ready"), "{e}");
    }
}
