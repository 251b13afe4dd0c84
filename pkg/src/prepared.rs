//! `prepare(autoscaler)`: an HPA or ScaledObject read and validated once,
//! then evaluated against many readings (`evaluate({now, target, pods,
//! metrics, history})`), for dashboards that re-evaluate their autoscalers
//! on every refresh. Plumbing over `replicast_engine::case::prepared`.

use replicast_engine::case::prepared::Prepared;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::input::{CaseInput, Controller};
use crate::{error, read_value, stringify, to_js};
use replicast_engine::case::Decision;

/// An autoscaler ready to evaluate readings against (from [`prepare`]).
#[wasm_bindgen]
pub struct PreparedAutoscaler {
    inner: Prepared,
}

#[wasm_bindgen]
impl PreparedAutoscaler {
    /// Evaluates the rest of a case (`now`, `target`, `pods`, `metrics` or
    /// `triggers`, `keda`, `history`, `controller`; no `hpa` or
    /// `scaledObject`): the decision `evaluate` gives on the whole case.
    /// Throws a `ReplicastError` when the inputs cannot be evaluated.
    pub fn evaluate(&mut self, inputs: Ts<CaseInput>) -> Result<Ts<Decision>, JsValue> {
        let inputs = JsValue::from(inputs);
        let decision = match inputs.as_string() {
            Some(_) => read_value(&inputs).and_then(|v| self.inner.evaluate(&v)),
            None => stringify(&inputs).and_then(|json| self.inner.evaluate_json(&json)),
        }
        .map_err(|e| error::to_js(&e))?;
        to_js(&decision).map(Ts::new_unchecked)
    }
}

/// Reads, defaults and validates an HPA (`kind: HorizontalPodAutoscaler`)
/// or a ScaledObject (`kind: ScaledObject`) once, as an object or YAML or
/// JSON text; `controller` holds the flags validation depends on (the
/// `HPAScaleToZero` feature gate). Throws a `ReplicastError` when it cannot
/// be evaluated.
#[wasm_bindgen]
pub fn prepare(
    autoscaler: JsValue,
    controller: Option<Ts<Controller>>,
) -> Result<PreparedAutoscaler, JsValue> {
    let value = read_value(&autoscaler).map_err(|e| error::to_js(&e))?;
    let controller = crate::read_options(controller.map(JsValue::from))?;
    let inner = Prepared::from_value(&value, &controller).map_err(|e| error::to_js(&e))?;
    Ok(PreparedAutoscaler { inner })
}
