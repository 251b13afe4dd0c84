//! The binding under wasm-bindgen-test: in Node by default, in headless
//! Chromium with `WASM_BINDGEN_USE_BROWSER=1` (see `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use replicast_wasm::{Preview, PreviewInput, preview, preview_desired_replicas, version};
use tsify::{Ts, Tsify as _};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scales_up_above_target() {
    // ceil(4 * 90 / 60) = 6
    assert_eq!(preview_desired_replicas(4, 90, 60), 6);
}

#[wasm_bindgen_test]
fn holds_inside_tolerance() {
    assert_eq!(preview_desired_replicas(4, 63, 60), 4);
}

#[wasm_bindgen_test]
fn object_round_trip() {
    let input = PreviewInput {
        current_replicas: 10,
        utilization: 30,
        target: 60,
    };
    let out: Preview = preview(input.into_ts().unwrap())
        .unwrap()
        .to_rust()
        .unwrap();
    assert_eq!(
        out,
        Preview {
            desired_replicas: 5
        }
    );
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    let input: Ts<PreviewInput> = Ts::new_unchecked(JsValue::from_str("not an object"));
    assert!(preview(input).is_err());
}

#[wasm_bindgen_test]
fn reports_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
