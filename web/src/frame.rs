//! What the charts, the readout and the summary draw from: the engine's
//! result for each variant, as plain columns and records.
//!
//! A [`VariantFrame`] is built from the engine's [`VariantResult`] in the
//! worker that ran it and crosses to the page as one `Float64Array` (the
//! timeline) and one JSON text (the rest); nothing here computes a decision.

use std::rc::Rc;

use replicast_engine::sim::{Scenario, VariantResult};
use serde_json::{Value, json};

/// One reconcile that changed the replica count.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Seconds from the start.
    pub time: f64,
    /// The autoscaler.
    pub autoscaler: String,
    /// `spec.replicas` before.
    pub from: i64,
    /// `spec.replicas` written.
    pub to: i64,
    /// The engine's one-line explanation.
    pub explanation: String,
}

/// A metric column: what the autoscaler saw, and its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The timeline column (`seen.cpu`).
    pub column: String,
    /// The autoscaler.
    pub autoscaler: String,
    /// The metric's short name.
    pub name: String,
    /// `Resource`, `Pods`, `External`, ...
    pub kind: String,
    /// The target, when it has one.
    pub target: Option<f64>,
    /// `%` for utilization targets.
    pub unit: String,
}

/// Time until ready capacity covered a rise in load.
#[derive(Clone, Debug, PartialEq)]
pub struct Rise {
    /// When the load started rising.
    pub at: f64,
    /// The rate before.
    pub from: f64,
    /// The rate reached.
    pub to: f64,
    /// Seconds until covered; `None` when never.
    pub seconds: Option<f64>,
}

/// A run's totals, as the engine reports them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Summary {
    /// Pod-hours.
    pub replica_hours: f64,
    /// Cost.
    pub cost: f64,
    /// Its currency.
    pub currency: String,
    /// Seconds over the latency SLO.
    pub seconds_over_slo: f64,
    /// Work dropped.
    pub dropped: f64,
    /// Work arrived.
    pub arrived: f64,
    /// The largest queue.
    pub peak_queue: f64,
    /// The most pods at once.
    pub peak_replicas: f64,
    /// Reconciles that changed the replica count.
    pub scale_events: f64,
    /// One entry per rise in load.
    pub time_to_capacity: Vec<Rise>,
    /// With a scenario `reference:`, how far the replicas were from it.
    pub reference: Option<crate::reference::ReferenceError>,
}

/// One variant's run, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantFrame {
    /// The variant's name.
    pub name: String,
    /// Work items per second one ready replica completes.
    pub capacity_per_replica: f64,
    /// The latency objective, seconds.
    pub slo_latency: f64,
    /// `http` or `queue`.
    pub mode: String,
    /// The run's length, seconds.
    pub duration: f64,
    /// Column names.
    pub names: Vec<String>,
    /// Columns, `names.len()` × `rows`, column after column.
    pub data: Vec<f64>,
    /// Rows.
    pub rows: usize,
    /// Reconciles that changed the replica count.
    pub decisions: Vec<Decision>,
    /// The metric columns.
    pub metrics: Vec<Metric>,
    /// The totals.
    pub summary: Summary,
    /// The engine's notes on the manifests.
    pub warnings: Vec<String>,
}

impl VariantFrame {
    /// The column of that name.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        let i = self.names.iter().position(|n| n == name)?;
        self.data.get(i * self.rows..(i + 1) * self.rows)
    }

    /// The row at `t` seconds (the last sample at or before it).
    pub fn row_at(&self, t: f64) -> usize {
        let Some(ts) = self.column("t") else {
            return 0;
        };
        match ts.binary_search_by(|x| x.total_cmp(&t)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// The last decision at or before `t`.
    pub fn last_decision(&self, t: f64) -> Option<&Decision> {
        let n = self.decisions.partition_point(|d| d.time <= t);
        n.checked_sub(1).map(|i| &self.decisions[i])
    }

    /// The meta part as JSON text, and the columns (worker side).
    pub fn encode(result: &VariantResult, scenario: &Scenario, index: usize) -> (String, Vec<f64>) {
        let v = &scenario.variants[index];
        let rows = result.timeline.len();
        let mut data = Vec::with_capacity(rows * result.timeline.columns.len());
        for c in &result.timeline.columns {
            data.extend_from_slice(&c.values);
        }
        let decisions: Vec<Value> = result
            .decisions
            .iter()
            .map(|d| {
                json!([
                    d.time,
                    d.autoscaler,
                    d.replicas,
                    d.desired_replicas,
                    d.explanation
                ])
            })
            .collect();
        let meta = json!({
            "name": result.name,
            "capacity": v.workload.capacity_per_replica,
            "slo": v.workload.slo_latency.as_secs_f64(),
            "mode": match v.workload.mode {
                replicast_engine::sim::scenario::Mode::Http => "http",
                replicast_engine::sim::scenario::Mode::Queue => "queue",
            },
            "duration": scenario.duration.as_secs_f64(),
            "names": result.timeline.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "rows": rows,
            "decisions": decisions,
            "metrics": result.metrics,
            "summary": result.summary,
            "warnings": result.warnings,
        });
        (meta.to_string(), data)
    }

    /// Reads what [`VariantFrame::encode`] wrote (page side).
    pub fn decode(meta: &str, data: Vec<f64>) -> Result<VariantFrame, String> {
        let m: Value = serde_json::from_str(meta).map_err(|e| e.to_string())?;
        let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let names: Vec<String> = m["names"]
            .as_array()
            .map(|a| a.iter().map(s).collect())
            .unwrap_or_default();
        let rows = m["rows"].as_u64().unwrap_or(0) as usize;
        if names.len() * rows != data.len() {
            return Err(format!(
                "{} columns of {rows} rows, {} values",
                names.len(),
                data.len()
            ));
        }
        let decisions = m["decisions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| Decision {
                        time: f(&d[0]),
                        autoscaler: s(&d[1]),
                        from: d[2].as_i64().unwrap_or(0),
                        to: d[3].as_i64().unwrap_or(0),
                        explanation: s(&d[4]),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let metrics = m["metrics"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| Metric {
                        column: s(&x["column"]),
                        autoscaler: s(&x["autoscaler"]),
                        name: s(&x["metric"]),
                        kind: s(&x["type"]),
                        target: x["target"].as_f64(),
                        unit: s(&x["unit"]),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let sm = &m["summary"];
        let summary = Summary {
            replica_hours: f(&sm["replicaHours"]),
            cost: f(&sm["cost"]),
            currency: s(&sm["currency"]),
            seconds_over_slo: f(&sm["secondsOverSlo"]),
            dropped: f(&sm["dropped"]),
            arrived: f(&sm["arrived"]),
            peak_queue: f(&sm["peakQueue"]),
            peak_replicas: f(&sm["peakReplicas"]),
            scale_events: f(&sm["scaleEvents"]),
            time_to_capacity: sm["timeToCapacity"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|r| Rise {
                            at: f(&r["at"]),
                            from: f(&r["from"]),
                            to: f(&r["to"]),
                            seconds: r["seconds"].as_f64(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            reference: crate::reference::ReferenceError::from_json(&sm["reference"]),
        };
        let warnings = m["warnings"]
            .as_array()
            .map(|a| a.iter().map(s).collect())
            .unwrap_or_default();
        Ok(VariantFrame {
            name: s(&m["name"]),
            capacity_per_replica: f(&m["capacity"]),
            slo_latency: f(&m["slo"]),
            mode: s(&m["mode"]),
            duration: f(&m["duration"]),
            names,
            data,
            rows,
            decisions,
            metrics,
            summary,
            warnings,
        })
    }
}

/// Every variant of one scenario text, run.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Which text (edits count up).
    pub generation: u64,
    /// The run's length, seconds.
    pub duration: f64,
    /// The variants, in scenario order.
    pub variants: Vec<Rc<VariantFrame>>,
}

/// Frames are equal when they hold the very same results: comparing the
/// timelines value by value (what `Rc`'s own equality would do for `f64`
/// data) would cost more than drawing them.
impl PartialEq for Frame {
    fn eq(&self, other: &Frame) -> bool {
        self.generation == other.generation
            && self.duration == other.duration
            && self.variants.len() == other.variants.len()
            && self
                .variants
                .iter()
                .zip(&other.variants)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}
