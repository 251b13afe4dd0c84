//! A variant's control loops and the metric columns they fill, built once
//! before the run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::super::freshness::{self, Reads};
use super::super::output::MetricColumn;
use super::super::scenario::{AutoscalerKind, Source, Variant};
use super::hpa_loop::HpaLoop;
use super::keda_loop::KedaLoop;
use super::kpa_loop::KpaLoop;
use super::loops::Loop;
use super::{ceil_div, ns};

/// The loops of a variant and what their sources need.
pub(super) struct Setup<'v> {
    /// One loop per autoscaler, in the variant's order.
    pub(super) loops: Vec<Loop<'v>>,
    /// One `seen.*` column per metric or trigger, in the loops' order.
    pub(super) metric_columns: Vec<MetricColumn>,
    /// A source reads metrics-server.
    pub(super) uses_ms: bool,
    /// A source reads Prometheus.
    pub(super) uses_prom: bool,
    /// A KEDA scaler reads its source live.
    pub(super) uses_live: bool,
    /// The stalest live scaler's lag, in steps.
    pub(super) live_lag: i64,
}

/// Builds the loops and their columns; KEDA triggers' freshness warnings go
/// to `warnings`.
pub(super) fn loops<'v>(v: &'v Variant, step_ns: i64, warnings: &mut Vec<String>) -> Setup<'v> {
    let mut loops: Vec<Loop<'_>> = Vec::new();
    let mut metric_columns = Vec::new();
    let (mut uses_ms, mut uses_prom, mut uses_live) = (false, false, false);
    let mut live_lag = 0i64;
    for a in &v.autoscalers {
        match &a.kind {
            AutoscalerKind::Hpa { hpa, raw, sources } => {
                for (k, (spec, src)) in hpa.spec.metrics.iter().zip(sources).enumerate() {
                    match src {
                        Source::MetricsServer(_) => uses_ms = true,
                        _ => uses_prom = true,
                    }
                    let metric = crate::explain::metric_name(spec);
                    let target = spec
                        .resource
                        .as_ref()
                        .map(|r| &r.target)
                        .or(spec.container_resource.as_ref().map(|r| &r.target))
                        .or(spec.pods.as_ref().map(|r| &r.target))
                        .or(spec.object.as_ref().map(|r| &r.target))
                        .or(spec.external.as_ref().map(|r| &r.target));
                    let (tv, unit) = match target {
                        Some(t) if t.type_ == "Utilization" => {
                            (t.average_utilization.map(f64::from), "%")
                        }
                        Some(t) => (
                            t.average_value.or(t.value).map(|q| q.as_approximate_f64()),
                            "",
                        ),
                        None => (None, ""),
                    };
                    let mut column = format!("seen.{metric}");
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}", a.name);
                    }
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}#{k}", a.name);
                    }
                    metric_columns.push(MetricColumn {
                        column,
                        autoscaler: a.name.clone(),
                        metric,
                        type_: spec.type_.clone(),
                        target: tv,
                        unit: String::from(unit),
                    });
                }
                loops.push(Loop::Hpa(alloc::boxed::Box::new(HpaLoop {
                    name: &a.name,
                    hpa,
                    raw,
                    sources,
                    history: None,
                    next_ns: 0,
                    period_ns: ns(v.pipeline.hpa_sync).max(1),
                    readings: Vec::new(),
                    keys: Vec::new(),
                    seen: alloc::vec![f64::NAN; sources.len()],
                    reconciles: 0,
                })));
            }
            AutoscalerKind::Keda { so, raw, sources } => {
                let timings: Vec<freshness::Timing> = so
                    .spec
                    .triggers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| freshness::timing(t, i, &v.pipeline.scalers, warnings))
                    .collect();
                for (i, ((t, src), timing)) in so
                    .spec
                    .triggers
                    .iter()
                    .zip(sources)
                    .zip(&timings)
                    .enumerate()
                {
                    match (src, timing.reads) {
                        (Source::MetricsServer(_), _) => uses_ms = true,
                        (Source::Scaler(_), Reads::Live(lag)) => {
                            live_lag = live_lag.max(ceil_div(ns(lag), step_ns));
                            uses_live = true;
                        }
                        _ => uses_prom = true,
                    }
                    let scaler = crate::keda::scalers::describe(t, i).ok();
                    let metric = super::super::scenario::trigger_signal_name(
                        raw.get("spec")
                            .and_then(|s| s.get("triggers"))
                            .and_then(|t| t.get(i))
                            .unwrap_or(&Value::Null),
                    )
                    .unwrap_or_else(|| t.type_.clone());
                    let mut column = format!("seen.{metric}");
                    if metric_columns
                        .iter()
                        .any(|m: &MetricColumn| m.column == column)
                    {
                        column = format!("seen.{}.{metric}#{i}", a.name);
                    }
                    let utilization = scaler
                        .as_ref()
                        .is_some_and(|s| s.metric_type == "Utilization");
                    metric_columns.push(MetricColumn {
                        column,
                        autoscaler: a.name.clone(),
                        metric,
                        type_: if t.is_resource() {
                            String::from("Resource")
                        } else {
                            String::from("External")
                        },
                        target: scaler.as_ref().map(|s| s.target),
                        unit: String::from(if utilization { "%" } else { "" }),
                    });
                }
                loops.push(Loop::Keda(alloc::boxed::Box::new(KedaLoop::new(
                    &a.name,
                    so,
                    raw,
                    sources,
                    ns(v.pipeline.hpa_sync).max(1),
                    &timings,
                    step_ns,
                ))));
            }
            AutoscalerKind::Kpa(plan) => {
                let metric = match plan.settings.metric {
                    crate::kpa::revision::Metric::Concurrency => "concurrency",
                    crate::kpa::revision::Metric::Rps => "rps",
                };
                metric_columns.push(MetricColumn {
                    column: format!("seen.{metric}"),
                    autoscaler: a.name.clone(),
                    metric: String::from(metric),
                    type_: String::from("KPA"),
                    target: Some(plan.settings.target),
                    unit: String::new(),
                });
                loops.push(Loop::Kpa(alloc::boxed::Box::new(KpaLoop::new(
                    &a.name,
                    plan,
                    v.target.replicas,
                ))));
            }
        }
    }
    Setup {
        loops,
        metric_columns,
        uses_ms,
        uses_prom,
        uses_live,
        live_lag,
    }
}
