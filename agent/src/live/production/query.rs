//! Prometheus instant queries returning every series with its labels
//! (`GET /api/v1/query?query=...&time=...`), for the closed loop; a
//! source's single-value queries are [`crate::live::source::prometheus`]'s.

use std::collections::BTreeMap;

use serde_json::Value;

use url::Url;

use crate::http::HttpClient;

/// An instant vector: each series' labels and value.
pub type Series = Vec<(BTreeMap<String, String>, f64)>;

/// Runs `promql` at `time` (Unix seconds).
pub async fn query(
    client: &HttpClient,
    url: &Url,
    promql: &str,
    time: f64,
) -> Result<Series, String> {
    let mut target = url.clone();
    let path = format!("{}/api/v1/query", url.path().trim_end_matches('/'));
    target.set_path(&path);
    let time = format!("{time:.3}");
    let resp = client
        .get(&target, &[("query", promql), ("time", &time)])
        .await?;
    let status = resp.status;
    parse_vector(&resp.body)
        .map_err(|e| format!("prometheus query {promql}: {e}"))
        .and_then(|s| {
            if status == 200 {
                Ok(s)
            } else {
                Err(format!("prometheus query {promql}: HTTP {status}"))
            }
        })
}

/// The series of an instant query's response; anything but a vector (or a
/// failed query) is an error.
pub fn parse_vector(body: &[u8]) -> Result<Series, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the response is not JSON: {e}"))?;
    if v.get("status").and_then(Value::as_str) != Some("success") {
        let error = v
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no error given");
        return Err(format!("failed: {error}"));
    }
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    if data.get("resultType").and_then(Value::as_str) != Some("vector") {
        return Err("the result is not an instant vector".into());
    }
    let mut out = Vec::new();
    for s in data
        .get("result")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let labels: BTreeMap<String, String> = s
            .get("metric")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        let text = s.pointer("/value/1").and_then(Value::as_str).unwrap_or("");
        let value: f64 = match text {
            "+Inf" | "Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            t => t.parse().map_err(|_| format!("{t:?} is not a number"))?,
        };
        out.push((labels, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_with_labels() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"pod":"a","namespace":"n"},"value":[1.5,"3"]},
            {"metric":{"pod":"b"},"value":[1.5,"+Inf"]}]}}"#;
        let s = parse_vector(body).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].0["pod"].as_str(), s[0].1), ("a", 3.0));
        assert!(s[1].1.is_infinite());
        let bad = br#"{"status":"error","error":"parse error"}"#;
        assert!(parse_vector(bad).unwrap_err().contains("parse error"));
        let scalar = br#"{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}"#;
        assert!(parse_vector(scalar).is_err());
    }
}
