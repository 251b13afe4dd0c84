//! The workers' results, the drawn frames' timings and the cursor.

use std::rc::Rc;

use js_sys::{Array, Reflect};
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;
use yew::prelude::*;

use super::App;
use crate::sim::{self, Outcome};

impl App {
    /// A worker's message.
    pub(super) fn worker(&mut self, slot: usize, e: &MessageEvent) -> bool {
        let started = sim::now();
        let outcome = self.pool.on_message(slot, e);
        self.perf.push("decode", sim::now() - started);
        if let Some((to, from)) = self.pool.trip.take() {
            self.perf.push("toWorker", to);
            self.perf.push("fromWorker", from);
        }
        self.perf_runs();
        self.take(outcome)
    }

    /// A frame was drawn (its generation, milliseconds drawing took).
    pub(super) fn drawn(&mut self, generation: u64, ms: f64) -> bool {
        self.perf.push("draw", ms);
        let t = sim::now();
        if !self.perf.has("firstChart") {
            self.perf.set("firstChart", t.into());
        }
        if let Some((g, stamp)) = self.pending {
            if generation >= g {
                self.perf.push("redraw", t - stamp);
                self.pending = None;
            }
        }
        self.perf.set("drawn", (generation as f64).into());
        if let Some(main) = self.main.cast::<web_sys::Element>() {
            let _ = main.set_attribute("data-drawn", &generation.to_string());
        }
        false
    }

    /// Moves the cursor.
    pub(super) fn move_cursor(&mut self, ctx: &Context<Self>, t: f64, stamp: f64) -> bool {
        let d = self.duration();
        self.cursor = t.clamp(0.0, d);
        self.scrub = Some(stamp);
        self.schedule_url(ctx);
        true
    }

    /// Jumps to the previous (-1) or next (+1) decision.
    pub(super) fn jump(&mut self, ctx: &Context<Self>, dir: i32) -> bool {
        if let Some(t) = self.decision_near(dir) {
            self.cursor = t;
            self.schedule_url(ctx);
            return true;
        }
        false
    }

    pub(super) fn take(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Frame(frame) => {
                if self
                    .frame
                    .as_ref()
                    .is_some_and(|f| f.generation > frame.generation)
                {
                    return false;
                }
                self.cursor = self.cursor.clamp(0.0, frame.duration);
                self.frame = Some(Rc::new(frame));
                self.sim_error = None;
                true
            }
            Outcome::Failed(e) => {
                // A text with problems fails in the workers too: the
                // problems already say why.
                if self.problems.is_empty() {
                    self.sim_error = Some(e);
                }
                true
            }
            Outcome::Pending => false,
        }
    }

    pub(super) fn perf_runs(&self) {
        if let Some(ms) = self.pool.run_ms.back() {
            let count = Reflect::get(&self.perf.js, &"runs".into())
                .map(|a| a.unchecked_into::<Array>().length())
                .unwrap_or(0) as usize;
            if count < self.pool.run_ms.len() {
                self.perf.push("runs", *ms);
            }
        }
    }
    fn decision_near(&self, dir: i32) -> Option<f64> {
        let frame = self.frame.as_ref()?;
        let mut times: Vec<f64> = frame
            .variants
            .iter()
            .flat_map(|v| v.decisions.iter().map(|d| d.time))
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        if dir < 0 {
            times.into_iter().rev().find(|t| *t < self.cursor - 0.5)
        } else {
            times.into_iter().find(|t| *t > self.cursor + 0.5)
        }
    }
}
