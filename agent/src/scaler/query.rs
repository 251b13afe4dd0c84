//! What a ScaledObject's `external` trigger asks the agent for: its
//! `metadata`, which KEDA passes whole as `ScaledObjectRef.scalerMetadata`
//! (kedacore/keda `pkg/scalers/external_scaler.go`, `NewExternalScaler`:
//! `scaledObjectRef.ScalerMetadata = config.TriggerMetadata`), so keys of
//! KEDA's own (`scalerAddress`, `caCert`, ...) are present and ignored here.
//!
//! | key | meaning |
//! | --- | --- |
//! | `reading` | the agent's reading, `SOURCE.KEY` (`gpu.utilization`, `rabbit.jobs.messages`) — required |
//! | `target` | the metric's target, a positive number (GetMetricSpec's `targetSizeFloat`) — required |
//! | `activationTarget` | active (IsActive) when the value is above it; default 0 |
//! | `metricName` | the metric's name (default `replicast-` and the reading, `.` → `-`) |

use std::collections::HashMap;

use crate::live::source::split_ref;

/// A trigger's question, read from its metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// `SOURCE.KEY`.
    pub reading: String,
    /// The target, > 0.
    pub target: f64,
    /// Active when the value is above this.
    pub activation_target: f64,
    /// The metric's name in GetMetricSpec and GetMetrics.
    pub metric_name: String,
}

impl Query {
    /// Reads `metadata`; an error names the key (`scalerMetadata.target:
    /// ...`).
    pub fn parse(metadata: &HashMap<String, String>) -> Result<Query, String> {
        let at = |key: &str| format!("scalerMetadata.{key}");
        let reading = metadata
            .get("reading")
            .map(|r| r.trim().to_string())
            .ok_or_else(|| {
                format!(
                    "{}: missing: name the agent's reading, SOURCE.KEY (e.g. gpu.utilization)",
                    at("reading")
                )
            })?;
        if split_ref(&reading).is_none() {
            return Err(format!(
                "{}: {reading:?} is not SOURCE.KEY (e.g. gpu.utilization)",
                at("reading")
            ));
        }
        let number = |key: &str| -> Result<Option<f64>, String> {
            match metadata.get(key) {
                None => Ok(None),
                Some(text) => match text.trim().parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(Some(v)),
                    _ => Err(format!("{}: {text:?} is not a number", at(key))),
                },
            }
        };
        let target = number("target")?
            .ok_or_else(|| format!("{}: missing: the metric's target", at("target")))?;
        if target <= 0.0 {
            // The HPA KEDA would create refuses it
            // (spec.metrics[].external.target: must be positive).
            return Err(format!("{}: {target} must be more than 0", at("target")));
        }
        let activation_target = number("activationTarget")?.unwrap_or(0.0);
        let metric_name = match metadata.get("metricName") {
            Some(name) if !name.trim().is_empty() => name.trim().to_string(),
            Some(_) => return Err(format!("{}: empty", at("metricName"))),
            None => format!("replicast-{}", reading.replace(['.', '_', ' '], "-")),
        };
        Ok(Query {
            reading,
            target,
            activation_target,
            metric_name,
        })
    }

    /// IsActive's answer for `value`.
    pub fn active(&self, value: f64) -> bool {
        value > self.activation_target
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_metadata() {
        let q = Query::parse(&meta(&[
            ("scalerAddress", "replicast-agent.replicast:9090"),
            ("reading", "gpu.gpu0.utilization"),
            ("target", "60"),
        ]))
        .unwrap();
        assert_eq!(q.reading, "gpu.gpu0.utilization");
        assert_eq!((q.target, q.activation_target), (60.0, 0.0));
        assert_eq!(q.metric_name, "replicast-gpu-gpu0-utilization");
        assert!(q.active(0.5) && !q.active(0.0));
        let q = Query::parse(&meta(&[
            ("reading", "rabbit.jobs.messages"),
            ("target", "5"),
            ("activationTarget", "2"),
            ("metricName", "jobs"),
        ]))
        .unwrap();
        assert_eq!((q.metric_name.as_str(), q.active(2.0)), ("jobs", false));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let err = |pairs: &[(&str, &str)]| Query::parse(&meta(pairs)).unwrap_err();
        assert!(err(&[("target", "1")]).starts_with("scalerMetadata.reading: missing"));
        assert!(err(&[("reading", "gpu"), ("target", "1")]).contains("not SOURCE.KEY"));
        assert!(err(&[("reading", "g.u")]).starts_with("scalerMetadata.target: missing"));
        assert!(err(&[("reading", "g.u"), ("target", "0")]).contains("more than 0"));
        assert!(err(&[("reading", "g.u"), ("target", "ten")]).contains("not a number"));
        assert!(
            err(&[
                ("reading", "g.u"),
                ("target", "1"),
                ("activationTarget", "NaN")
            ])
            .starts_with("scalerMetadata.activationTarget")
        );
    }
}
