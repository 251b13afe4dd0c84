//! Prometheus instant queries over the HTTP API (`GET /api/v1/query`), read
//! as KEDA's prometheus scaler reads them (kedacore/keda
//! `pkg/scalers/prometheus_scaler.go`, `ExecutePromQuery`): an empty result
//! is 0 when `ignoreNullValues` is on (the default) and an error otherwise;
//! more than one series is an error; `+Inf`/`-Inf` follow `ignoreNullValues`
//! too. A scalar result is accepted as its value.
//!
//! Keys: each query's name (for the variants' prometheus triggers, the
//! query text itself). A query that fails is an error for its key only; a
//! server that cannot be reached fails the whole poll.

use serde_json::Value;
use url::Url;

use super::{Poll, PollFuture, Sample, Source};
use crate::http::{HttpClient, HttpOptions, parse_url, redacted};
use crate::live::metrics::QUERY_VALUE;

/// A Prometheus source.
pub struct PrometheusSource {
    /// `URL/api/v1/query`.
    query_url: Url,
    queries: Vec<(String, String)>,
    ignore_null_values: bool,
    options: HttpOptions,
    client: HttpClient,
}

impl PrometheusSource {
    /// A source running `queries` (name, PromQL) against the server at `url`
    /// (`http://` or `https://`, with a path prefix if the server has one).
    pub fn new(
        url: &str,
        queries: Vec<(String, String)>,
        ignore_null_values: bool,
        options: HttpOptions,
    ) -> Result<PrometheusSource, String> {
        let mut query_url = parse_url(url)?;
        if !matches!(query_url.scheme(), "http" | "https") {
            return Err(format!(
                "{}: a prometheus URL is http:// or https://",
                redacted(&query_url)
            ));
        }
        let path = format!("{}/api/v1/query", query_url.path().trim_end_matches('/'));
        query_url.set_path(&path);
        Ok(PrometheusSource {
            query_url,
            queries,
            ignore_null_values,
            client: HttpClient::new(&options)?,
            options,
        })
    }
}

/// The value of an instant query's response, as KEDA reads it.
pub fn query_value(body: &[u8], query: &str, ignore_null_values: bool) -> Result<f64, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the response is not JSON: {e}"))?;
    if v.get("status").and_then(Value::as_str) != Some("success") {
        let error = v
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no error given");
        return Err(format!("prometheus query {query} failed: {error}"));
    }
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    let sample = match data.get("resultType").and_then(Value::as_str) {
        Some("scalar") => data.get("result").cloned().unwrap_or(Value::Null),
        Some("vector") => {
            let result = data
                .get("result")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            match result.len() {
                0 if ignore_null_values => return Ok(0.0),
                0 => {
                    return Err(
                        "prometheus metrics 'prometheus' target may be lost, the result is empty"
                            .into(),
                    );
                }
                1 => result[0].get("value").cloned().unwrap_or(Value::Null),
                _ => {
                    return Err(format!(
                        "prometheus query {query} returned multiple elements"
                    ));
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "prometheus query {query} returned a {other}, not an instant vector"
            ));
        }
        None => return Err("the response has no data.resultType".into()),
    };
    let pair = sample.as_array().cloned().unwrap_or_default();
    match pair.len() {
        0 if ignore_null_values => return Ok(0.0),
        0 => {
            return Err(format!(
                "prometheus metrics {query} target may be lost, the value list is empty"
            ));
        }
        1 => {
            return Err(format!(
                "prometheus query {query} didn't return enough values"
            ));
        }
        _ => {}
    }
    let text = pair[1].as_str().unwrap_or("");
    let value: f64 = match text {
        "+Inf" | "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        t => t
            .parse()
            .map_err(|_| format!("prometheus query {query}: {t:?} is not a number"))?,
    };
    if value.is_infinite() {
        if ignore_null_values {
            return Ok(0.0);
        }
        return Err(format!("promtheus query returns {value}"));
    }
    Ok(value)
}

impl Source for PrometheusSource {
    fn kind(&self) -> &'static str {
        "prometheus"
    }

    fn reset(&mut self) {
        if let Ok(client) = HttpClient::new(&self.options) {
            self.client = client;
        }
    }

    fn poll(&mut self) -> PollFuture<'_> {
        Box::pin(async move {
            if self.queries.is_empty() {
                return Err(
                    "no query to run: list `queries:` or map a prometheus trigger to this source"
                        .into(),
                );
            }
            let mut poll = Poll::default();
            for (name, query) in &self.queries {
                let resp = self
                    .client
                    .get(&self.query_url, &[("query", query)])
                    .await?;
                let status = resp.status;
                if status >= 500 || status == 401 || status == 403 || status == 404 {
                    // The server, not the query: the whole source is failing.
                    return Err(format!(
                        "{}: HTTP {status}: {}",
                        redacted(&self.query_url),
                        resp.excerpt()
                    ));
                }
                match query_value(&resp.body, query, self.ignore_null_values) {
                    Ok(v) => poll.samples.push(Sample::exported(
                        name.clone(),
                        v,
                        &QUERY_VALUE,
                        vec![("query", name.clone())],
                    )),
                    Err(e) => poll.key_errors.push((name.clone(), e)),
                }
            }
            if poll.samples.is_empty() {
                if let Some((_, why)) = poll.key_errors.first() {
                    return Err(why.clone());
                }
            }
            Ok(poll)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(values: &[&str]) -> Vec<u8> {
        let result: Vec<Value> = values
            .iter()
            .map(|v| serde_json::json!({"metric": {}, "value": [1.0, v]}))
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "status": "success",
            "data": {"resultType": "vector", "result": result}
        }))
        .unwrap()
    }

    #[test]
    fn reads_as_keda_does() {
        assert_eq!(query_value(&vector(&["70"]), "q", true), Ok(70.0));
        assert_eq!(query_value(&vector(&[]), "q", true), Ok(0.0));
        assert!(
            query_value(&vector(&[]), "q", false)
                .unwrap_err()
                .contains("result is empty")
        );
        assert!(
            query_value(&vector(&["1", "2"]), "q", true)
                .unwrap_err()
                .contains("returned multiple elements")
        );
        assert_eq!(query_value(&vector(&["+Inf"]), "q", true), Ok(0.0));
        assert!(query_value(&vector(&["+Inf"]), "q", false).is_err());
        let scalar = br#"{"status":"success","data":{"resultType":"scalar","result":[1,"3.5"]}}"#;
        assert_eq!(query_value(scalar, "q", true), Ok(3.5));
        let bad = br#"{"status":"error","errorType":"bad_data","error":"parse error"}"#;
        assert!(
            query_value(bad, "q", true)
                .unwrap_err()
                .contains("parse error")
        );
    }
}
