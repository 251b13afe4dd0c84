//! The Tune pane's run: the engine's search ([`Replay`]) planned on the
//! page, its candidates split across Web Workers ([`crate::tune_worker`]),
//! their outcomes fed back until the search is done or cancelled. Where
//! workers cannot start, the candidates run on the page.
//!
//! The page decides nothing here: it only carries candidates to workers
//! and outcomes back; the result is exactly `replicast tune`'s.

use std::rc::Rc;

use js_sys::{Object, Reflect};
use replicast_engine::tune::replay::{self, Replay, Step};
use replicast_engine::tune::{
    self, CandidateOutcome, Overrides, Point, Progress, TuneResult, Tuning,
};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::sim::{now, spawn_workers};

/// Candidates, each with its `prune` flag.
type Batch = Vec<(Vec<u16>, bool)>;

struct Slot {
    worker: Worker,
    ready: bool,
    /// The candidates this worker was given and has not answered.
    given: Option<Batch>,
    /// Candidates waiting for this worker to be ready.
    waiting: Option<Batch>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// A finished search.
pub struct Finished {
    /// The result, as `replicast tune --json` gives it.
    pub result: TuneResult,
    /// The tuning it came from (to write any point's manifests).
    pub tuning: Tuning,
    /// Milliseconds from Run to the result.
    pub ms: f64,
}

/// What a worker's message changed.
pub enum Update {
    /// Nothing to show.
    Nothing,
    /// The search moved on.
    Progress,
    /// The search is done: [`TuneRun::finish`] with this.
    Done(Box<TuneResult>),
    /// A worker failed (the message).
    Failed(String),
}

/// A search in progress.
pub struct TuneRun {
    text: Rc<str>,
    tuning: Tuning,
    replay: Replay,
    slots: Vec<Slot>,
    baseline: String,
    round: u64,
    started: f64,
    /// Where the search stands.
    pub progress: Progress,
}

impl TuneRun {
    /// Prepares the search of scenario `text` (its `tune:` section, or
    /// every default) and starts `workers` workers; `on_message(slot, e)`
    /// receives their messages. The error is the engine's first problem.
    pub fn start(
        text: Rc<str>,
        workers: usize,
        on_message: impl Fn(usize, MessageEvent) + Clone + 'static,
    ) -> Result<TuneRun, String> {
        let tuning = tune::prepare(&text, None, &Overrides::default()).map_err(|e| {
            let p = e.first();
            match p.line {
                Some(l) => format!("line {l}: {}: {}", p.path, p.message),
                None => format!("{}: {}", p.path, p.message),
            }
        })?;
        let slots = spawn_workers(workers, on_message)
            .into_iter()
            .map(|(worker, closure)| Slot {
                worker,
                ready: false,
                given: None,
                waiting: None,
                _on_message: closure,
            })
            .collect();
        let progress = Progress {
            done: 0,
            budget: tuning.budget,
            skipped: 0,
            pruned: 0,
            best: None,
        };
        Ok(TuneRun {
            text,
            tuning,
            replay: Replay::new(),
            slots,
            baseline: String::new(),
            round: 0,
            started: now(),
            progress,
        })
    }

    /// Plans the first batch (call once after [`TuneRun::start`]).
    pub fn begin(&mut self) -> Update {
        self.next()
    }

    /// Workers running the candidates.
    pub fn workers(&self) -> usize {
        self.slots.len()
    }

    /// Handles worker `slot`'s message.
    pub fn on_message(&mut self, slot: usize, event: &MessageEvent) -> Update {
        let data = event.data();
        let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        if get("ready").is_truthy() {
            let waiting = self.slots.get_mut(slot).and_then(|s| {
                s.ready = true;
                s.waiting.take()
            });
            if let Some(batch) = waiting {
                self.post(slot, batch);
            }
            return Update::Nothing;
        }
        if let Some(failed) = get("failed").as_string().or(get("error").as_string()) {
            return Update::Failed(failed);
        }
        if get("round").as_f64() != Some(self.round as f64) {
            return Update::Nothing;
        }
        let Some(text) = get("tune").as_string() else {
            return Update::Nothing;
        };
        let Some(batch) = self.slots.get_mut(slot).and_then(|s| s.given.take()) else {
            return Update::Nothing;
        };
        match replay::decode(&text) {
            Ok(outcomes) => self.learn(batch, outcomes),
            Err(e) => return Update::Failed(e),
        }
        if self
            .slots
            .iter()
            .any(|s| s.given.is_some() || s.waiting.is_some())
        {
            return Update::Nothing;
        }
        self.next()
    }

    /// Stops: the workers end, the result is what the search had (`None`
    /// before its first batch came back).
    pub fn cancel(mut self) -> Option<Finished> {
        self.stop();
        match self.replay.step(&mut self.tuning, true) {
            Ok(Some(Step::Done(result))) => Some(self.finish(*result)),
            _ => None,
        }
    }

    fn learn(&mut self, batch: Batch, outcomes: Vec<CandidateOutcome>) {
        for ((c, _), o) in batch.into_iter().zip(outcomes) {
            if self.baseline.is_empty() {
                // The first candidate the search asks for is the baseline.
                self.baseline = replay::encode(std::slice::from_ref(&o));
            }
            self.replay.add(c, o);
        }
    }

    /// Steps the search and sends what it needs.
    fn next(&mut self) -> Update {
        loop {
            let step = match self.replay.step(&mut self.tuning, false) {
                Ok(Some(step)) => step,
                Ok(None) => return Update::Failed("the search stopped".into()),
                Err(e) => return Update::Failed(e.first().message.clone()),
            };
            match step {
                Step::Done(result) => {
                    self.stop();
                    return Update::Done(result);
                }
                Step::Need {
                    candidates,
                    progress,
                } => {
                    self.progress = progress;
                    self.round += 1;
                    if self.slots.is_empty() {
                        // No workers: run them here.
                        let outcomes = candidates
                            .iter()
                            .map(|(c, p)| self.tuning.evaluate(c, *p))
                            .collect();
                        self.learn(candidates, outcomes);
                        continue;
                    }
                    let size = candidates.len().div_ceil(self.slots.len());
                    for (i, chunk) in candidates.chunks(size).enumerate() {
                        self.post(i, chunk.to_vec());
                    }
                    return Update::Progress;
                }
            }
        }
    }

    fn post(&mut self, slot: usize, batch: Batch) {
        let Some(s) = self.slots.get_mut(slot) else {
            return;
        };
        if !s.ready {
            s.waiting = Some(batch);
            return;
        }
        let m = Object::new();
        let list = serde_json::to_string(&batch).unwrap_or_default();
        let _ = Reflect::set(&m, &"tune".into(), &true.into());
        let _ = Reflect::set(&m, &"text".into(), &JsValue::from_str(&self.text));
        let _ = Reflect::set(&m, &"candidates".into(), &list.into());
        let _ = Reflect::set(&m, &"baseline".into(), &self.baseline.as_str().into());
        let _ = Reflect::set(&m, &"round".into(), &(self.round as f64).into());
        if s.worker.post_message(&m).is_ok() {
            s.given = Some(batch);
        }
    }

    fn stop(&mut self) {
        self.slots.clear();
    }

    /// The finished search, with its result.
    pub fn finish(self, result: TuneResult) -> Finished {
        Finished {
            result,
            ms: now() - self.started,
            tuning: self.tuning,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl Finished {
    /// A frontier point's manifests text (only its changed values changed).
    pub fn manifests_of(&self, point: &Point) -> Option<String> {
        let t = &self.tuning;
        let mut candidate: Vec<u16> = t.knobs.iter().map(|k| k.baseline as u16).collect();
        for change in &point.changes {
            let k = t
                .knobs
                .iter()
                .position(|k| k.object == change.object && k.path.to_string() == change.path)?;
            let i = (0..t.knobs[k].values.len()).find(|&i| t.knobs[k].value(i) == change.to)?;
            candidate[k] = i as u16;
        }
        t.manifests_text(&candidate).ok()
    }
}
