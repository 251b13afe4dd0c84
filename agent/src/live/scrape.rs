//! `/metrics`: the Prometheus text format (OpenMetrics), encoded by the
//! `prometheus-client` crate from the agent's latest state at each scrape
//! (the families and their table are in [`super::metrics`]).

use std::fmt::Write as _;
use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric as _};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;
use replicast_engine::condition::{ConditionStatusText, ConditionType};

use super::metrics::SAMPLE_FAMILIES;
use super::state::{Shared, Store};

/// The registry: one collector that reads the shared state at each scrape.
pub fn registry(shared: Arc<Shared>) -> Registry {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(StateCollector(shared)));
    registry
}

/// Encodes `registry` as the text format.
pub fn encode(registry: &Registry) -> String {
    let mut out = String::with_capacity(4096);
    if let Err(e) = prometheus_client::encoding::text::encode(&mut out, registry) {
        let _ = writeln!(out, "# encoding failed: {e}");
    }
    out
}

/// The content type of [`encode`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug)]
struct StateCollector(Arc<Shared>);

type Labels = Vec<(&'static str, String)>;

fn gauges(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    rows: &[(Labels, f64)],
) -> Result<(), std::fmt::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut family = enc.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, v) in rows {
        let m = family.encode_family(labels)?;
        ConstGauge::new(*v).encode(m)?;
    }
    Ok(())
}

fn counters(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    rows: &[(Labels, u64)],
) -> Result<(), std::fmt::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut family = enc.encode_descriptor(name, help, None, MetricType::Counter)?;
    for (labels, v) in rows {
        let m = family.encode_family(labels)?;
        ConstCounter::new(*v).encode(m)?;
    }
    Ok(())
}

/// The gauges of each variant's loop, in the order `/metrics` lists them.
const LOOP_GAUGES: [(&str, &str); 6] = [
    (
        "replicast_desired_replicas",
        "The replica count the variant's autoscaler decided at its last reconcile (shadow: nothing is changed).",
    ),
    (
        "replicast_current_replicas",
        "The replica count the variant's last reconcile started from.",
    ),
    (
        "replicast_variant_active",
        "KEDA: 1 when the ScaledObject was active at its last poll.",
    ),
    (
        "replicast_variant_scaling_active",
        "1 when the autoscaler's ScalingActive condition was True at its last reconcile.",
    ),
    (
        "replicast_production_desired_replicas",
        "A closed loop: the desired replicas of production's HPA (kube_horizontalpodautoscaler_status_desired_replicas) at the variant's last reconcile.",
    ),
    (
        "replicast_divergence_replicas",
        "A closed loop: the variant's desired replicas minus production's, at its last reconcile.",
    ),
];

/// One row list per [`LOOP_GAUGES`] family.
type LoopRows = [Vec<(Labels, f64)>; 6];

/// Each loop's last decision as [`LOOP_GAUGES`] rows, and its reconciles.
fn loop_rows(store: &Store) -> (LoopRows, Vec<(Labels, u64)>) {
    let mut rows: LoopRows = Default::default();
    let mut reconciles = Vec::new();
    for l in &store.loops {
        let labels: Labels = vec![
            ("variant", l.name.clone()),
            ("kind", l.kind.to_string()),
            ("name", l.object.clone()),
        ];
        reconciles.push((labels.clone(), l.reconciles));
        let Some(last) = l.decisions.last() else {
            continue;
        };
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let d = last.decision.as_ref();
        let values = [
            d.map(|d| f64::from(d.desired_replicas)),
            last.current.map(f64::from),
            d.and_then(|d| d.active).map(flag),
            d.and_then(|d| d.conditions.get(ConditionType::ScalingActive))
                .map(|c| flag(c.status == ConditionStatusText::True)),
            last.production.map(f64::from),
            last.divergence.map(f64::from),
        ];
        for (row, v) in rows.iter_mut().zip(values) {
            if let Some(v) = v {
                row.push((labels.clone(), v));
            }
        }
    }
    (rows, reconciles)
}

impl Collector for StateCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        // Copy out under the lock, encode after it.
        let mut samples: Vec<Vec<(Labels, f64)>> = vec![Vec::new(); SAMPLE_FAMILIES.len()];
        let mut up = Vec::new();
        let mut last_ok = Vec::new();
        let mut failing = Vec::new();
        let mut polls = Vec::new();
        let mut failures = Vec::new();
        let (loops, reconciles) = {
            let store = self.0.store();
            for s in &store.sources {
                let labels: Labels = vec![("source", s.name.clone()), ("kind", s.kind.to_string())];
                up.push((labels.clone(), if s.healthy() { 1.0 } else { 0.0 }));
                if let Some(t) = s.last_success {
                    last_ok.push((labels.clone(), t));
                }
                failing.push((labels.clone(), f64::from(s.consecutive_failures)));
                polls.push((labels.clone(), s.polls));
                failures.push((labels, s.failures_total));
                if !s.healthy() {
                    // A failing source's values are not exported as current.
                    continue;
                }
                for sample in &s.latest {
                    let Some(export) = &sample.export else {
                        continue;
                    };
                    let Some(i) = SAMPLE_FAMILIES
                        .iter()
                        .position(|f| std::ptr::eq(*f, export.family))
                    else {
                        continue;
                    };
                    let mut labels = export.labels.clone();
                    if export.family.source_label {
                        labels.insert(0, ("source", s.name.clone()));
                    }
                    samples[i].push((labels, sample.value));
                }
            }
            loop_rows(&store)
        };
        for (family, rows) in SAMPLE_FAMILIES.iter().zip(&samples) {
            gauges(&mut enc, family.name, family.help, rows)?;
        }
        gauges(
            &mut enc,
            "replicast_source_up",
            "1 when the source's last poll succeeded, 0 when it failed.",
            &up,
        )?;
        gauges(
            &mut enc,
            "replicast_source_last_success_timestamp_seconds",
            "Unix time of the source's last successful poll.",
            &last_ok,
        )?;
        gauges(
            &mut enc,
            "replicast_source_consecutive_failures",
            "Polls that failed since the source's last successful one.",
            &failing,
        )?;
        counters(
            &mut enc,
            "replicast_source_polls",
            "Polls of the source.",
            &polls,
        )?;
        counters(
            &mut enc,
            "replicast_source_failures",
            "Polls of the source that failed.",
            &failures,
        )?;
        for ((name, help), rows) in LOOP_GAUGES.iter().zip(&loops) {
            gauges(&mut enc, name, help, rows)?;
        }
        counters(
            &mut enc,
            "replicast_reconciles",
            "Reconciles the variant's autoscaler ran.",
            &reconciles,
        )?;
        Ok(())
    }
}
