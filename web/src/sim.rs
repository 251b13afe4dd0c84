//! Running the engine off the page's thread: a few Web Workers, each its
//! own instance of this very module, run one variant at a time.
//!
//! Variants run in parallel, results are kept by what they depend on (the
//! scenario's shared settings and the variant's own), so editing variant B
//! reruns B alone, and only the newest text is ever queued: while the user
//! drags a slider, intermediate texts that no worker has started are
//! dropped. Where workers cannot start, the same work runs on the page.

use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Float64Array, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use crate::frame::{Frame, VariantFrame};

/// The worker's script: it imports this module's JS glue and instantiates
/// the page's compiled WebAssembly module, then runs jobs.
const WORKER_JS: &str = r#"
let ready = null;
self.onmessage = async (event) => {
  const m = event.data;
  if (m.init) {
    ready = import(m.init).then(async (glue) => {
      await glue.default(m.module ? { module_or_path: m.module } : undefined);
      return glue;
    });
    ready.then(() => self.postMessage({ ready: true }),
               (e) => self.postMessage({ failed: String(e) }));
    return;
  }
  const glue = await ready;
  if (m.tune) {
    try {
      self.postMessage({ tune: glue.tune_candidates(m.text, m.candidates, m.baseline), round: m.round });
    } catch (e) {
      self.postMessage({ error: String(e), round: m.round });
    }
    return;
  }
  const started = performance.now();
  const out = glue.simulate_variant(m.text, m.variant);
  out.key = m.key;
  out.ms = performance.now() - started;
  out.t0 = performance.timeOrigin + started;
  out.t1 = performance.timeOrigin + performance.now();
  self.postMessage(out, out.data ? [out.data.buffer] : []);
};
"#;

/// Runs variant `variant` of scenario `text` (worker side): `{meta, data}`
/// (see [`VariantFrame::encode`]) or `{error}`.
#[wasm_bindgen]
pub fn simulate_variant(text: &str, variant: usize) -> JsValue {
    let out = Object::new();
    match run_one(text, variant) {
        Ok((meta, data)) => {
            let array = Float64Array::new_with_length(data.len() as u32);
            array.copy_from(&data);
            let _ = Reflect::set(&out, &"meta".into(), &meta.into());
            let _ = Reflect::set(&out, &"data".into(), &array);
        }
        Err(error) => {
            let _ = Reflect::set(&out, &"error".into(), &error.into());
        }
    }
    out.into()
}

/// Parses `text` and runs its variant `variant` alone.
pub fn run_one(text: &str, variant: usize) -> Result<(String, Vec<f64>), String> {
    let mut scenario = replicast_engine::sim::parse(text).map_err(|e| e.first().message.clone())?;
    if variant >= scenario.variants.len() {
        return Err(format!("no variant {variant}"));
    }
    let one = scenario.variants.swap_remove(variant);
    scenario.variants = vec![one];
    let result = replicast_engine::sim::simulate(&scenario);
    let first = result.variants.first().ok_or("no result")?;
    Ok(VariantFrame::encode(first, &scenario, 0))
}

/// A key for what variant `index` of a scenario depends on: its shared
/// settings (everything but `variants`) and its own entry.
pub fn variant_key(value: &Value, index: usize) -> u64 {
    let mut h = Fnv::default();
    if let Value::Object(top) = value {
        for (k, v) in top {
            if k != "variants" {
                h.write(k.as_bytes());
                h.write(v.to_string().as_bytes());
            }
        }
        if let Some(entry) = top.get("variants").and_then(|v| v.get(index)) {
            h.write(b"\0variant");
            h.write(entry.to_string().as_bytes());
        }
    }
    // 52 bits: exact as a JavaScript number.
    h.0 & ((1 << 52) - 1)
}

#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// One variant to run.
#[derive(Clone, Debug)]
struct Job {
    text: Rc<str>,
    variant: usize,
    key: u64,
}

struct Slot {
    worker: Worker,
    ready: bool,
    busy: Option<u64>,
    /// When the running job was posted (ms since the epoch).
    posted: f64,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// What the newest text needs.
struct Want {
    generation: u64,
    text: Rc<str>,
    keys: Vec<u64>,
}

/// What a worker's message meant.
pub enum Outcome {
    /// Every variant of the newest text is ready.
    Frame(Frame),
    /// A run failed (the message).
    Failed(String),
    /// Nothing to show yet.
    Pending,
}

/// The workers, the queue and the results kept.
pub struct Pool {
    slots: Vec<Slot>,
    queue: VecDeque<Job>,
    cache: VecDeque<(u64, Rc<VariantFrame>)>,
    want: Option<Want>,
    /// Milliseconds each worker run took (newest last, at most 256).
    pub run_ms: VecDeque<f64>,
    /// The last result's trip: milliseconds from posting the job to the
    /// worker starting it, and from the worker's end to the page receiving it.
    pub trip: Option<(f64, f64)>,
}

/// Results kept (a variant's timeline of a day at 1 s is ~10 MB).
const CACHE: usize = 8;

impl Pool {
    /// Starts up to `count` workers; `on_message(slot, event)` receives
    /// their messages. No workers (the page runs the engine itself) when
    /// they cannot start.
    pub fn new(count: usize, on_message: impl Fn(usize, MessageEvent) + Clone + 'static) -> Pool {
        let slots = spawn_workers(count, on_message)
            .into_iter()
            .map(|(worker, closure)| Slot {
                worker,
                ready: false,
                busy: None,
                posted: 0.0,
                _on_message: closure,
            })
            .collect();
        Pool {
            slots,
            queue: VecDeque::new(),
            cache: VecDeque::new(),
            want: None,
            run_ms: VecDeque::new(),
            trip: None,
        }
    }

    /// Whether the engine runs in workers.
    pub fn threaded(&self) -> bool {
        !self.slots.is_empty()
    }

    /// Asks for every variant of `text` (whose JSON value is `value`, with
    /// `variants` variants). Returns the frame at once when every variant
    /// is known (or when the engine runs on the page).
    pub fn submit(
        &mut self,
        generation: u64,
        text: Rc<str>,
        value: &Value,
        variants: usize,
    ) -> Outcome {
        let keys: Vec<u64> = (0..variants).map(|i| variant_key(value, i)).collect();
        self.want = Some(Want {
            generation,
            text: text.clone(),
            keys: keys.clone(),
        });
        self.queue.clear();
        for (variant, &key) in keys.iter().enumerate() {
            let known = self.cached(key).is_some()
                || self.slots.iter().any(|s| s.busy == Some(key))
                || self.queue.iter().any(|j| j.key == key);
            if !known {
                self.queue.push_back(Job {
                    text: text.clone(),
                    variant,
                    key,
                });
            }
        }
        if !self.threaded() {
            while let Some(job) = self.queue.pop_front() {
                let started = now();
                match run_one(&job.text, job.variant)
                    .and_then(|(meta, data)| VariantFrame::decode(&meta, data))
                {
                    Ok(frame) => {
                        self.note_ms(now() - started);
                        self.keep(job.key, Rc::new(frame));
                    }
                    Err(e) => return Outcome::Failed(e),
                }
            }
        }
        self.dispatch();
        self.complete()
    }

    /// Handles a worker's message.
    pub fn on_message(&mut self, slot: usize, event: &MessageEvent) -> Outcome {
        let data = event.data();
        let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        if get("ready").is_truthy() {
            if let Some(s) = self.slots.get_mut(slot) {
                s.ready = true;
            }
            self.dispatch();
            return Outcome::Pending;
        }
        if let Some(failed) = get("failed").as_string() {
            // Workers cannot run here: fall back to the page.
            for s in self.slots.drain(..) {
                s.worker.terminate();
            }
            web_sys::console::warn_1(
                &format!("replicast: workers unavailable ({failed}); running on the page").into(),
            );
            return self.resubmit();
        }
        let key = get("key").as_f64().map(|k| k as u64);
        if let (Some(s), Some(t0), Some(t1)) =
            (self.slots.get(slot), get("t0").as_f64(), get("t1").as_f64())
        {
            self.trip = Some((t0 - s.posted, epoch_now() - t1));
        }
        if let Some(s) = self.slots.get_mut(slot) {
            s.busy = None;
        }
        if let Some(ms) = get("ms").as_f64() {
            self.note_ms(ms);
        }
        let outcome = if let Some(error) = get("error").as_string() {
            Some(Outcome::Failed(error))
        } else {
            let meta = get("meta").as_string().unwrap_or_default();
            let data = get("data")
                .dyn_into::<Float64Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default();
            match (key, VariantFrame::decode(&meta, data)) {
                (Some(key), Ok(frame)) => {
                    self.keep(key, Rc::new(frame));
                    None
                }
                (_, Err(e)) => Some(Outcome::Failed(e)),
                (None, Ok(_)) => None,
            }
        };
        self.dispatch();
        outcome.unwrap_or_else(|| self.complete())
    }

    fn resubmit(&mut self) -> Outcome {
        let Some(want) = self.want.take() else {
            return Outcome::Pending;
        };
        self.queue.clear();
        for (variant, &key) in want.keys.iter().enumerate() {
            if self.cached(key).is_none() {
                self.queue.push_back(Job {
                    text: want.text.clone(),
                    variant,
                    key,
                });
            }
        }
        self.want = Some(want);
        while let Some(job) = self.queue.pop_front() {
            match run_one(&job.text, job.variant)
                .and_then(|(meta, data)| VariantFrame::decode(&meta, data))
            {
                Ok(frame) => self.keep(job.key, Rc::new(frame)),
                Err(e) => return Outcome::Failed(e),
            }
        }
        self.complete()
    }

    fn note_ms(&mut self, ms: f64) {
        if self.run_ms.len() == 256 {
            self.run_ms.pop_front();
        }
        self.run_ms.push_back(ms);
    }

    fn cached(&self, key: u64) -> Option<Rc<VariantFrame>> {
        self.cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    }

    fn keep(&mut self, key: u64, frame: Rc<VariantFrame>) {
        self.cache.retain(|(k, _)| *k != key);
        if self.cache.len() == CACHE {
            // Drop the oldest entry the newest text does not need.
            let needed = |k: &u64| self.want.as_ref().is_some_and(|w| w.keys.contains(k));
            if let Some(i) = self.cache.iter().position(|(k, _)| !needed(k)) {
                self.cache.remove(i);
            } else {
                self.cache.pop_front();
            }
        }
        self.cache.push_back((key, frame));
    }

    fn dispatch(&mut self) {
        for slot in self
            .slots
            .iter_mut()
            .filter(|s| s.ready && s.busy.is_none())
        {
            let Some(job) = self.queue.pop_front() else {
                break;
            };
            let message = Object::new();
            let _ = Reflect::set(&message, &"text".into(), &JsValue::from_str(&job.text));
            let _ = Reflect::set(&message, &"variant".into(), &(job.variant as f64).into());
            let _ = Reflect::set(&message, &"key".into(), &(job.key as f64).into());
            if slot.worker.post_message(&message).is_ok() {
                slot.busy = Some(job.key);
                slot.posted = epoch_now();
            } else {
                self.queue.push_front(job);
                break;
            }
        }
    }

    fn complete(&self) -> Outcome {
        let Some(want) = &self.want else {
            return Outcome::Pending;
        };
        let mut variants = Vec::with_capacity(want.keys.len());
        for &key in &want.keys {
            match self.cached(key) {
                Some(f) => variants.push(f),
                None => return Outcome::Pending,
            }
        }
        Outcome::Frame(Frame {
            generation: want.generation,
            duration: variants.first().map_or(3600.0, |v| v.duration),
            variants,
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for s in &self.slots {
            s.worker.terminate();
        }
    }
}

/// Starts up to `count` workers (fewer where they cannot start);
/// `on_message(i, event)` receives worker `i`'s messages.
pub fn spawn_workers(
    count: usize,
    on_message: impl Fn(usize, MessageEvent) + Clone + 'static,
) -> Vec<(Worker, OnMessage)> {
    (0..count)
        .map_while(|i| {
            let on = on_message.clone();
            spawn_worker(move |e| on(i, e))
        })
        .collect()
}

/// A worker's message handler (kept alive as long as the worker).
pub type OnMessage = Closure<dyn FnMut(MessageEvent)>;

/// Starts a worker running [`WORKER_JS`] on this module (it answers
/// `{ready: true}` once loaded); `None` where workers cannot start.
pub fn spawn_worker(on_message: impl FnMut(MessageEvent) + 'static) -> Option<(Worker, OnMessage)> {
    let url = worker_url()?;
    let glue = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base("replicast_web.js", &base).ok())
        .map(|u| u.href());
    let module = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"__replicastModule".into()).ok())
        .unwrap_or(JsValue::UNDEFINED);
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = Worker::new_with_options(&url, &options).ok()?;
    let closure = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    worker.set_onmessage(Some(closure.as_ref().unchecked_ref()));
    let init = Object::new();
    let _ = Reflect::set(&init, &"init".into(), &glue.unwrap_or_default().into());
    let _ = Reflect::set(&init, &"module".into(), &module);
    if worker.post_message(&init).is_err() {
        worker.terminate();
        return None;
    }
    Some((worker, closure))
}

/// A blob URL holding [`WORKER_JS`].
fn worker_url() -> Option<String> {
    let parts = Array::of1(&JsValue::from_str(WORKER_JS));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Milliseconds since the epoch, comparable across the page and its workers.
fn epoch_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.time_origin() + p.now())
}

/// `performance.now()`, milliseconds.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
