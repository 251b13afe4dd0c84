//! The Tune tab's messages: the knobs read (and written to `tune.knobs`),
//! the search started, followed and cancelled ([`crate::tune_run`]), a
//! frontier point loaded as the compare variant.

use std::rc::Rc;

use replicast_engine::tune::{self, Overrides};
use serde_json::Value;
use web_sys::MessageEvent;
use yew::prelude::*;

use super::App;
use crate::knob_pick::{Picked, pick};
use crate::msg::{Msg, Tab, View};
use crate::tune_pane::{TuneView, chart_data, knobs_value};
use crate::tune_run::{Finished, TuneRun, Update};
use crate::{key_path, sim, tune_pane};

/// The Tune tab's state.
#[derive(Default)]
pub(super) struct Tuning {
    /// The knobs of the scenario of generation `.0`, or why it cannot be tuned.
    knobs: Option<(u64, Result<Vec<tune::KnobInfo>, String>)>,
    run: Option<TuneRun>,
    done: Option<Rc<Finished>>,
    chart: Option<Rc<crate::frontier_chart::FrontierData>>,
    note: Option<String>,
    /// The value at the editor's caret, as a knob.
    picked: Option<Picked>,
}

impl App {
    /// Reads the knobs the engine would search (the Tune tab shown, the
    /// text changed since).
    pub(super) fn refresh_knobs(&mut self) {
        if self.tab != Tab::Tune
            || self
                .tuning
                .knobs
                .as_ref()
                .is_some_and(|k| k.0 == self.generation)
        {
            return;
        }
        let knobs = tune::prepare(&self.text, None, &Overrides::default())
            .map(|t| t.knob_info())
            .map_err(|e| {
                let p = e.first();
                format!("This scenario cannot be tuned: {}: {}", p.path, p.message)
            });
        self.tuning.knobs = Some((self.generation, knobs));
    }

    /// Starts the search.
    pub(super) fn tune_run(&mut self, ctx: &Context<Self>) -> bool {
        let link = ctx.link().clone();
        let workers = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency())
            .unwrap_or(2.0)
            .clamp(1.0, 8.0) as usize;
        self.tuning.note = None;
        match TuneRun::start(self.text.clone(), workers, move |slot, e| {
            link.send_message(Msg::TuneWorker(slot, e));
        }) {
            Ok(mut run) => {
                let update = run.begin();
                self.tuning.run = Some(run);
                self.tune_update(update);
            }
            Err(e) => self.tuning.note = Some(e),
        }
        true
    }

    /// A tune worker's message.
    pub(super) fn tune_worker(&mut self, slot: usize, e: &MessageEvent) -> bool {
        let Some(run) = self.tuning.run.as_mut() else {
            return false;
        };
        let update = run.on_message(slot, e);
        self.tune_update(update)
    }

    fn tune_update(&mut self, update: Update) -> bool {
        match update {
            Update::Nothing => false,
            Update::Progress => {
                if let Some(run) = &self.tuning.run {
                    self.perf.set("tuneDone", (run.progress.done as f64).into());
                }
                true
            }
            Update::Done(result) => {
                let Some(run) = self.tuning.run.take() else {
                    return false;
                };
                let finished = run.finish(*result);
                self.perf.set("tuneMs", finished.ms.into());
                self.show_result(finished);
                true
            }
            Update::Failed(e) => {
                self.tuning.run = None;
                self.tuning.note = Some(format!("The search failed: {e}"));
                true
            }
        }
    }

    fn show_result(&mut self, finished: Finished) {
        self.tuning.chart = Some(Rc::new(chart_data(&finished.result)));
        self.tuning.done = Some(Rc::new(finished));
    }

    /// Cancels the search: what it found so far is shown.
    pub(super) fn tune_cancel(&mut self) -> bool {
        let Some(run) = self.tuning.run.take() else {
            return false;
        };
        match run.cancel() {
            Some(finished) => {
                self.tuning.note =
                    Some("Cancelled: the result of the candidates run so far.".into());
                self.show_result(finished);
            }
            None => {
                self.tuning.note = Some("Cancelled before the first candidates came back.".into())
            }
        }
        true
    }

    /// Loads the best (`None`) or frontier point `i` as the compare variant.
    pub(super) fn tune_load(&mut self, ctx: &Context<Self>, point: Option<usize>) -> bool {
        let Some(done) = self.tuning.done.clone() else {
            return false;
        };
        let r = &done.result;
        let manifests = match point {
            None => r.best.as_ref().map(|b| b.manifests.clone()),
            Some(i) => r.frontier.get(i).and_then(|p| done.manifests_of(p)),
        };
        let Some(manifests) = manifests else {
            return false;
        };
        self.compare_with(ctx, &r.variant, manifests);
        true
    }

    /// Writes `tune.knobs`: knob `i` with `values` (`None`: removed).
    pub(super) fn tune_knob(
        &mut self,
        ctx: &Context<Self>,
        i: usize,
        values: Option<Vec<Value>>,
    ) -> bool {
        let (Some(doc), Some((_, Ok(list)))) = (self.doc.clone(), &self.tuning.knobs) else {
            return false;
        };
        let knobs = knobs_value(list, i, values);
        let out = doc.set(&key_path!["tune", "knobs"], knobs, "");
        self.set_text(ctx, out, Some(sim::now()), false);
        self.refresh_knobs();
        true
    }

    /// The caret moved in the editor: the value there, offered as a knob.
    pub(super) fn caret(&mut self, at: usize) -> bool {
        let picked = match self.view {
            View::Manifests | View::Variant(_) => pick(&self.editor_text, at),
            View::Scenario => None,
        };
        let changed = picked != self.tuning.picked;
        self.tuning.picked = picked;
        changed
    }

    /// Adds the value at the caret to `tune.knobs` (with the knobs the
    /// engine searches now) and shows the Tune tab.
    pub(super) fn tune_add(&mut self, ctx: &Context<Self>) -> bool {
        let (Some(doc), Some(p)) = (self.doc.clone(), self.tuning.picked.take()) else {
            return false;
        };
        let mut knobs = match tune::prepare(&self.text, None, &Overrides::default()) {
            Ok(t) => t.knob_info(),
            Err(_) => Vec::new(),
        };
        knobs.retain(|k| !(k.object == p.object && k.path == p.path));
        knobs.push(tune::KnobInfo {
            object: p.object,
            path: p.path,
            values: p.values,
            from: Value::Null,
        });
        let list = knobs_value(&knobs, usize::MAX, None);
        let out = doc.set(&key_path!["tune", "knobs"], list, "");
        self.tab = Tab::Tune;
        self.set_text(ctx, out, Some(sim::now()), false);
        self.refresh_knobs();
        true
    }

    /// Under the editor: the value at the caret offered as a knob.
    pub(super) fn picked_knob(&self) -> Html {
        let Some(p) = &self.tuning.picked else {
            return html! {};
        };
        html! {
            <button type="button" id="tune-add" class="chip" onclick={self.link.callback(|_| Msg::TuneAdd)}
                title={format!("{}: search these values: {}", p.object, crate::tune_pane::values_text(&p.values))}>
                { format!("+ tune {}", p.path) }
            </button>
        }
    }

    /// The Tune tab.
    pub(super) fn tune_tab(&self) -> Html {
        let written = self
            .doc
            .as_ref()
            .and_then(|d| d.get(&key_path!["manifests"]))
            .and_then(Value::as_str);
        let view = TuneView {
            knobs: self.tuning.knobs.as_ref().map(|k| &k.1),
            running: self.tuning.run.as_ref().map(|r| (&r.progress, r.workers())),
            done: self.tuning.done.as_ref(),
            chart: self.tuning.chart.as_ref(),
            note: self.tuning.note.as_deref(),
            written,
        };
        tune_pane::tune_pane(&view, &self.link)
    }
}
