//! The worker side of the Tune pane: a batch of the search's candidates
//! simulated ([`replicast_engine::tune::Tuning::evaluate`]) and sent back as
//! text. The page's [`crate::tune_run`] plans the search; a worker only
//! runs what it is given.

use std::cell::RefCell;

use replicast_engine::tune::replay::{self, Replay};
use replicast_engine::tune::{self, Overrides, Tuning};
use wasm_bindgen::prelude::*;

thread_local! {
    /// The scenario this worker prepared last, and its tuning.
    static PREPARED: RefCell<Option<(String, Tuning)>> = const { RefCell::new(None) };
}

/// Simulates `candidates` (JSON `[[indices, prune], …]`) of scenario
/// `text`; `baseline`: the baseline's outcome as [`replay::encode`] wrote
/// it (empty before it ran). Returns the outcomes as [`replay::encode`]
/// writes them; throws when the text cannot be tuned.
#[wasm_bindgen]
pub fn tune_candidates(text: &str, candidates: &str, baseline: &str) -> Result<String, JsValue> {
    run_candidates(text, candidates, baseline).map_err(|e| JsValue::from_str(&e))
}

/// [`tune_candidates`] in Rust.
pub fn run_candidates(text: &str, candidates: &str, baseline: &str) -> Result<String, String> {
    let list: Vec<(Vec<u16>, bool)> =
        serde_json::from_str(candidates).map_err(|e| format!("candidates: {e}"))?;
    PREPARED.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(t, _)| t != text) {
            let t = tune::prepare(text, None, &Overrides::default())
                .map_err(|e| e.first().message.clone())?;
            *cell = Some((text.to_owned(), t));
        }
        let Some((_, t)) = cell.as_mut() else {
            return Err("not prepared".into());
        };
        if let Some(b) = replay::decode(baseline)
            .ok()
            .and_then(|v| v.into_iter().next())
        {
            Replay::assume_baseline(t, &b);
        }
        let outcomes: Vec<_> = list.iter().map(|(c, p)| t.evaluate(c, *p)).collect();
        Ok(replay::encode(&outcomes))
    })
}
