//! What a run gives back (shared spec `scenario.md`, "The result"):
//! `{"variants": [{name, timeline, decisions, summary}]}`, plus optional
//! extras (`metrics`, `warnings`) the spec allows as added fields.

use alloc::string::String;
use alloc::vec::Vec;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::case::MetricDecision;
use crate::condition::Conditions;

/// The result of simulating a scenario.
#[derive(Clone, Debug, Serialize)]
pub struct SimResult {
    /// One per variant, in scenario order.
    pub variants: Vec<VariantResult>,
}

impl SimResult {
    /// The result as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The variant of that name.
    pub fn variant(&self, name: &str) -> Option<&VariantResult> {
        self.variants.iter().find(|v| v.name == name)
    }
}

/// One variant's run.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantResult {
    /// The variant's name (`default` without `variants`).
    pub name: String,
    /// The columns, sampled every step (or every `every`).
    pub timeline: Timeline,
    /// Every reconcile that changed the replica count.
    pub decisions: Vec<DecisionRecord>,
    /// The totals.
    pub summary: Summary,
    /// What each `seen.*` timeline column holds.
    pub metrics: Vec<MetricColumn>,
    /// Notes: flaws in the manifests, objects not simulated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The warnings that have a place in the scenario (unknown fields in
    /// the manifests), located: `[{kind, path, line, column, message}]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<crate::notice::Notice>,
    /// Every signal (or default) the run inferred rather than read from the
    /// scenario (`assumptions: [{path, line, column, metric, signal, reason}]`).
    pub assumptions: Vec<super::Assumption>,
}

/// Equal-length columns, serialized as an object of arrays in column order.
/// Values are rounded to 1/1000; not-a-number (no data) is `null`.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// The columns, `t` first.
    pub columns: Vec<Column>,
}

/// One timeline column.
#[derive(Clone, Debug)]
pub struct Column {
    /// Its name (`t`, `arrivalRate`, `seen.cpu`, ...).
    pub name: String,
    /// One value per sample.
    pub values: Vec<f64>,
}

impl Timeline {
    /// The column of that name.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.values.as_slice())
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct Values<'a>(&'a [f64]);

/// A number as the output writes it: 3 decimals, integers without a
/// fraction, `null` for NaN.
pub fn round3(v: f64) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    Some(libm::round(v * 1000.0) / 1000.0)
}

fn ser_number<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    match round3(v) {
        None => s.serialize_none(),
        Some(r) if r == libm::trunc(r) && r.abs() < 9.0e15 => s.serialize_i64(r as i64),
        Some(r) => s.serialize_f64(r),
    }
}

struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_number(self.0, s)
    }
}

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(&Num(*v))?;
        }
        seq.end()
    }
}

impl Serialize for Timeline {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for c in &self.columns {
            map.serialize_entry(&c.name, &Values(&c.values))?;
        }
        map.end()
    }
}

pub(crate) fn ser_f64<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    ser_number(*v, s)
}

/// A number as [`ser_number`] wrote it; `null` (a value that was not
/// finite) reads as NaN.
pub(crate) fn de_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

fn ser_opt_f64<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_number(*v, s),
        None => s.serialize_none(),
    }
}

/// One reconcile that changed the scale target's replicas.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRecord {
    /// When (seconds from the start).
    #[serde(serialize_with = "ser_f64")]
    pub time: f64,
    /// The autoscaler's name.
    pub autoscaler: String,
    /// `spec.replicas` before.
    pub replicas: i32,
    /// `spec.replicas` written.
    pub desired_replicas: i32,
    /// Per metric, as `eval` reports them.
    pub metrics: Vec<MetricDecision>,
    /// The status conditions, as `eval` reports them.
    pub conditions: Conditions,
    /// One line for humans.
    pub explanation: String,
}

/// Time until ready capacity covered a rise in load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeToCapacity {
    /// When the (noise-free) load started rising (seconds).
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub at: f64,
    /// The rate before.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub from: f64,
    /// The rate reached.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub to: f64,
    /// Seconds from `at` until ready replicas × capacityPerReplica first
    /// reached `to`; `null` when it never did during the run.
    #[serde(serialize_with = "ser_opt_f64")]
    pub seconds: Option<f64>,
}

/// A run's totals.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Σ pods that exist × time, in hours.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub replica_hours: f64,
    /// `replicaHours × cost.perReplicaHour`.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub cost: f64,
    /// `cost.currency`.
    pub currency: String,
    /// Seconds during which work arrived or waited and the p95 latency was
    /// above `slo.latency`, or work was dropped, or nothing could serve it.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub seconds_over_slo: f64,
    /// Work items dropped (http: waited longer than `timeout`, or no ready
    /// pod to take them).
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub dropped: f64,
    /// Work items that arrived.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub arrived: f64,
    /// Work items completed.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub served: f64,
    /// The largest queue.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub peak_queue: f64,
    /// The most pods at once.
    pub peak_replicas: u64,
    /// Reconciles that changed the replica count.
    pub scale_events: usize,
    /// Σ nodes ready or being provisioned × time, in hours (with `nodes:`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_f64",
        default
    )]
    pub node_hours: Option<f64>,
    /// Reconciles run, all autoscalers together.
    pub reconciles: usize,
    /// One entry per rise in load.
    pub time_to_capacity: Vec<TimeToCapacity>,
    /// With a scenario `reference:`, how far the replicas were from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceError>,
}

/// What a `seen.*` timeline column is.
///
/// The column holds the metric as the autoscaler compares it with `target`:
/// utilization in percent, a Value as read, an AverageValue per replica
/// (KEDA triggers included: their raw total divided by the replicas that
/// exist, at least 1), so a column over its target is a wish to scale up.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricColumn {
    /// The column's name.
    pub column: String,
    /// The autoscaler.
    pub autoscaler: String,
    /// The metric's short name (`cpu`, `inference_queue_depth`).
    pub metric: String,
    /// `Resource`, `Pods`, `Object`, `External`, ...
    #[serde(rename = "type")]
    pub type_: String,
    /// The target the autoscaler compares with (percent for Utilization).
    #[serde(serialize_with = "ser_opt_f64")]
    pub target: Option<f64>,
    /// `%` for Utilization targets, else empty.
    pub unit: String,
}

/// How far a variant's replicas were from the reference (the variant's
/// `summary.reference`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceError {
    /// The mean over the compared samples of |replicas − reference|.
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub mean_absolute_difference: f64,
    /// The share (0 to 1) of compared samples where the replicas were the
    /// reference's (|replicas − reference| < 0.5).
    #[serde(serialize_with = "ser_f64", deserialize_with = "de_f64")]
    pub agreement: f64,
    /// The timeline samples compared (those within the reference's span).
    pub samples: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timelines_serialize_in_order_rounded() {
        let t = Timeline {
            columns: alloc::vec![
                Column {
                    name: "t".into(),
                    values: alloc::vec![0.0, 1.0]
                },
                Column {
                    name: "a".into(),
                    values: alloc::vec![1.23456, f64::NAN]
                },
            ],
        };
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"t":[0,1],"a":[1.235,null]}"#);
    }
}
