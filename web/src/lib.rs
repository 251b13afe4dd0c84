//! `replicast-web`: the replicast playground, a Yew (CSR) page.
//!
//! An engineer pastes the HorizontalPodAutoscaler or KEDA ScaledObject they
//! run, shapes the load they fear, and sees at once what the autoscaler will
//! do and why. The page's state is a scenario (shared spec `scenario.md`):
//! the YAML editor shows it, the forms rewrite parts of it in place, share
//! links carry it, and every change reads and runs it again with
//! [`replicast_engine`] called directly from Rust: the page converts, runs
//! the engine and draws; it decides nothing itself.
//!
//! - [`app`]: the page, its state and what each input does; [`msg`]: its
//!   messages and the [`msg::Link`] the panes send them through;
//!   [`scenario_info`]: what the page shows of the engine's reading;
//!   [`perf`]: the page's own timings; [`dom`]: form controls' values;
//! - edits to the scenario text that keep the rest as written:
//!   [`text_blocks`] (top-level blocks and embedded `manifests: |` blocks,
//!   by lines), [`value_edit`] (one value by its key path, in place, from
//!   the YAML tree), [`yaml_write`] (values written as YAML scalars, flow
//!   and blocks);
//! - [`sim`]: the engine in Web Workers (one variant each, results kept by
//!   what they depend on), or on the page where workers cannot start;
//! - [`frame`], [`charts`], [`chartview`]: the results and the three
//!   plotters charts on canvases sized in device pixels;
//! - [`editor`], [`panes`]: the editor with inline problems, the forms, the
//!   readout at the cursor and the summary;
//! - [`tune_pane`], [`tune_run`], [`tune_worker`], [`frontier_chart`],
//!   [`knob_pick`]: the
//!   Tune tab: the knobs, the engine's search planned on the page
//!   (`tune::replay`) with its candidates split across Web Workers, the
//!   frontier and the best as a diff;
//! - [`assume`]: the run's assumptions as chips, and the signal chooser
//!   that writes `signals:`;
//! - [`share`]: links (deflate + base64url in the URL fragment) and
//!   downloads.
//!
//! `cargo xtask serve` builds it to `dist/` (wasm-bindgen `--target web` +
//! `wasm-opt`) next to the root `index.html`, and `replicast serve` hosts
//! that folder.

pub mod app;
pub mod assume;
pub mod charts;
pub mod chartview;
pub mod dom;
pub mod editor;
pub mod fmt;
pub mod frame;
pub mod frontier_chart;
pub mod knob_pick;
pub mod model;
pub mod msg;
pub mod panes;
pub mod perf;
pub mod presets;
pub mod reference;
pub mod scenario_info;
pub mod share;
pub mod sim;
pub mod text_blocks;
pub mod tune_pane;
pub mod tune_run;
pub mod tune_worker;
pub mod value_edit;
pub mod yaml_write;

use wasm_bindgen::prelude::*;

pub use sim::simulate_variant;
pub use tune_worker::tune_candidates;

/// Mounts the page on `#app` (or `<body>`); wasm-bindgen runs it when the
/// module is initialised. In a worker (no `window`) it does nothing: the
/// worker only calls [`simulate_variant`].
#[wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    match document.get_element_by_id("app") {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
