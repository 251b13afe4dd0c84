//! The scenario's `reference:` in the playground: what production ran, as
//! the engine reports it (the timeline's `reference` column, each
//! variant's `summary.reference`). The chart draws the column as a dashed
//! line ([`crate::charts`]); the summary table gets two rows from here.

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
