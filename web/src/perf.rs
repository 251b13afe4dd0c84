//! Timings the page keeps for itself and exposes as `window.__replicast`
//! (the browser tests and the performance report read them).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// Timings the page keeps for itself and exposes as `window.__replicast`
/// (the browser tests read them).
pub struct Perf {
    /// The object itself.
    pub js: Object,
}

impl Perf {
    /// Empty timings, installed as `window.__replicast`.
    pub fn install() -> Perf {
        let js = Object::new();
        for k in [
            "redraw",
            "scrub",
            "runs",
            "check",
            "draw",
            "decode",
            "toWorker",
            "fromWorker",
        ] {
            let _ = Reflect::set(&js, &k.into(), &Array::new());
        }
        if let Some(w) = web_sys::window() {
            let _ = Reflect::set(&w, &"__replicast".into(), &js);
        }
        Perf { js }
    }

    /// Appends a figure to list `key` (the newest 2 000 kept).
    pub fn push(&self, key: &str, ms: f64) {
        if let Ok(a) = Reflect::get(&self.js, &key.into()) {
            let a: Array = a.unchecked_into();
            if a.length() >= 2000 {
                a.shift();
            }
            a.push(&ms.into());
        }
    }

    /// Sets `key`.
    pub fn set(&self, key: &str, v: JsValue) {
        let _ = Reflect::set(&self.js, &key.into(), &v);
    }

    /// Whether `key` is set.
    pub fn has(&self, key: &str) -> bool {
        Reflect::get(&self.js, &key.into()).is_ok_and(|v| !v.is_undefined())
    }
}
