//! `replicast-wasm`: the replicast engine for JavaScript, published to npm as
//! [`replicast`](https://www.npmjs.com/package/replicast).
//!
//! Each export is plumbing: take JavaScript values (camelCase), call
//! [`replicast_engine`], hand back JavaScript values. The TypeScript types
//! come from the same Rust structs through [`tsify`], so `replicast.d.ts`
//! cannot drift from the code. Bad input throws a JavaScript `Error`; it
//! never panics.
//!
//! Built with `wasm-bindgen --target web` by `cargo xtask`; in Node, load it
//! with `initSync({ module: bytes })`, in a browser with `await init()`.
#![no_std]

extern crate alloc;

use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// The inputs of one replica preview: the workload's current size and one
/// utilization metric with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PreviewInput {
    /// Replicas the workload runs now.
    pub current_replicas: i32,
    /// The metric's current average utilization, in percent of the request.
    pub utilization: i32,
    /// The target average utilization, in percent of the request.
    pub target: i32,
}

/// What the autoscaler would do for a [`PreviewInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// The replica count the HPA would propose.
    pub desired_replicas: i32,
}

/// The replica count the HPA would propose for one utilization metric
/// (`previewDesiredReplicas(currentReplicas, utilization, target)` in JS).
#[wasm_bindgen(js_name = previewDesiredReplicas)]
pub fn preview_desired_replicas(current_replicas: i32, utilization: i32, target: i32) -> i32 {
    replicast_engine::preview_desired_replicas(current_replicas, utilization, target)
}

/// [`preview_desired_replicas`] with an object in and an object out
/// (`preview({ currentReplicas, utilization, target })` in JS).
///
/// # Errors
/// Throws when `input` is not a [`PreviewInput`].
#[wasm_bindgen]
pub fn preview(input: Ts<PreviewInput>) -> Result<Ts<Preview>, JsError> {
    let PreviewInput {
        current_replicas,
        utilization,
        target,
    } = input.to_rust()?;
    let desired_replicas =
        replicast_engine::preview_desired_replicas(current_replicas, utilization, target);
    Ok(Preview { desired_replicas }.into_ts()?)
}

/// The version of this package (and of the engine inside it).
#[wasm_bindgen]
pub fn version() -> alloc::string::String {
    alloc::string::String::from(env!("CARGO_PKG_VERSION"))
}
