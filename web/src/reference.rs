//! Recorded data in the playground. The scenario's `reference:` (what
//! production ran), as the engine reports it (the timeline's `reference`
//! column, each variant's `summary.reference`): the chart draws the column
//! as a dashed line ([`crate::charts`]); the summary table gets two rows
//! from here. And a Prometheus `query_range` answer, dropped on the page or
//! pasted into a trace's CSV, becomes that trace's points
//! (`sim::recorded::prometheus_csv`: one series, gaps interpolated and
//! commented).

use yew::prelude::*;

use crate::fmt;
use crate::frame::{Frame, VariantFrame};

/// The timeline column the engine fills with the reference.
pub const COLUMN: &str = "reference";

/// How far a variant's replicas were from the reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReferenceError {
    /// The mean of |replicas − reference|.
    pub mean_absolute_difference: f64,
    /// The share (0 to 1) of samples where they agreed.
    pub agreement: f64,
}

impl ReferenceError {
    /// `summary.reference` of the engine's result; `None` without one.
    pub fn from_json(v: &serde_json::Value) -> Option<ReferenceError> {
        Some(ReferenceError {
            mean_absolute_difference: v.get("meanAbsoluteDifference")?.as_f64()?,
            agreement: v.get("agreement")?.as_f64()?,
        })
    }
}

/// Whether `text` looks like a Prometheus API answer (a JSON object with
/// `status`), not CSV or YAML.
pub fn is_prometheus_answer(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{') && t.contains("\"status\"")
}

/// A trace's text as the user gave it: a Prometheus `query_range` answer
/// becomes `t,rate` CSV (from its first sample on); one that cannot (no
/// series, several, an error answer) becomes a `#` comment saying why, which
/// the engine then refuses as a trace without points, at its line. Anything
/// else is returned as it is.
pub fn import_csv(text: String) -> String {
    if !is_prometheus_answer(&text) {
        return text;
    }
    match replicast_engine::sim::recorded::prometheus_csv(&text, "rate") {
        Ok(csv) => csv,
        Err(e) => format!("# {}\n", e.replace('\n', " ")),
    }
}

fn error(v: &VariantFrame) -> Option<ReferenceError> {
    v.summary.reference
}

/// The summary table's rows for the reference (none without one).
pub fn rows(frame: &Frame) -> Html {
    if !frame.variants.iter().any(|v| error(v).is_some()) {
        return html! {};
    }
    let cell = |key: &'static str, i: usize, text: String| {
        html! { <td data-metric={key} data-variant={i.to_string()}>{ text }</td> }
    };
    let mad = frame.variants.iter().enumerate().map(|(i, v)| {
        let text = error(v).map_or("-".into(), |e| fmt::short(e.mean_absolute_difference));
        cell("referenceMeanAbsoluteDifference", i, text)
    });
    let agreed = frame.variants.iter().enumerate().map(|(i, v)| {
        let text = error(v).map_or("-".into(), |e| format!("{:.0} %", e.agreement * 100.0));
        cell("referenceAgreement", i, text)
    });
    html! {
        <>
            <tr><th scope="row" title="mean |replicas − reference| over the reference's span">{ "off the reference" }</th>{ for mad }</tr>
            <tr><th scope="row" title="share of the time the replicas were the reference's">{ "agreed with reference" }</th>{ for agreed }</tr>
        </>
    }
}
