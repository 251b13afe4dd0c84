//! `replicast-wasm`: the replicast engine for JavaScript, published to npm as
//! [`replicast`](https://www.npmjs.com/package/replicast).
//!
//! Each export is plumbing: read a JavaScript value (an object, or YAML or
//! JSON text), call [`replicast_engine`], hand back a JavaScript value. No
//! decision is taken here. The TypeScript types come from Rust structs
//! through [`tsify`]: what comes out (the decision, its conditions and
//! notices) is the engine's own types, which derive `Tsify` with the
//! engine's feature `ts`; [`input`] declares what goes in; so the
//! package's `.d.ts` is generated, not written.
//!
//! Values cross the boundary as JSON text (`JSON.stringify` in, `JSON.parse`
//! out): one copy each way, which is faster than walking a JavaScript
//! object property by property from WebAssembly.
//!
//! Bad input throws an `Error` named `ReplicastError` with every problem's
//! path, line, column and kind ([`error`]). The engine does not panic; if
//! it ever did, the panic hook keeps the message for [`take_panic`] and the
//! package's JavaScript (`js/core.js`) turns the `unreachable` trap into a
//! `ReplicastError` of kind `internal` and starts a fresh instance.
//!
//! Built by `cargo xtask build` (`wasm-bindgen --target web`) into
//! `pkg/npm/`; the package's entry points (`js/node.js`, `js/web.js`) load
//! it. With the default feature `yaml` strings may be YAML; without it
//! (`replicast/json`) they must be JSON.

pub mod error;
pub mod input;
pub mod lint;
pub mod manifest;
pub mod prepared;
pub mod sim;
pub mod tune;

use std::sync::Mutex;

use replicast_engine::case::{self, expect};
use replicast_engine::{Error, ErrorKind, Path};
use serde_json::Value;
use tsify::Ts;
use wasm_bindgen::prelude::*;

pub use input::{CaseInput, EvaluateOptions};
pub use lint::{LintOptions, LintResult};
pub use manifest::{ManifestInput, ManifestOptions, Manifests};
pub use prepared::{PreparedAutoscaler, prepare};
pub use replicast_engine::case::Decision;
pub use sim::{ScenarioInput, SimResult, SimulateOptions};
pub use tune::{TuneProgress, TuneResult};

/// The last panic's message, kept for the JavaScript side to read after the
/// trap (see [`take_panic`]).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic hook (runs when the module is instantiated).
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
}

/// Evaluates one case (shared spec `eval-case.md`): what the HPA controller,
/// or KEDA and the HPA it owns, decides in one reconcile.
///
/// `input` is a case object, or its YAML or JSON text. Throws a
/// `ReplicastError` when the case cannot be evaluated at all; runtime
/// conditions (a failing metric, a limited scale-up) are part of the
/// decision. Warnings with a place (an unknown field) are in the
/// decision's `notices`; `options.strict` throws them instead (kind
/// `strict`).
#[wasm_bindgen]
pub fn evaluate(
    input: Ts<CaseInput>,
    options: Option<Ts<EvaluateOptions>>,
) -> Result<Ts<Decision>, JsValue> {
    let strict = read_options::<EvaluateOptions>(options.map(JsValue::from))?.strict == Some(true);
    let case = read(&JsValue::from(input))?;
    if strict {
        case.strict_check().map_err(|e| error::to_js(&e))?;
    }
    let decision = case::evaluate(&case);
    to_js(&decision).map(Ts::new_unchecked)
}

/// Simulates a scenario (shared spec `scenario.md`): the manifests under
/// test against a load, reconcile by reconcile, on the same engine as
/// [`evaluate`].
///
/// `input` is a scenario object, or its YAML or JSON text; `options.every`
/// samples the timeline that often instead of every step;
/// `options.strict` throws every warning (an unknown field in the
/// manifests, each variant's `notices`) as a problem of kind `strict`. Runs
/// synchronously (a long scenario at a fine step takes a while: run it in
/// a Worker). Throws a `ReplicastError` when the scenario cannot be run.
#[wasm_bindgen]
pub fn simulate(
    input: Ts<ScenarioInput>,
    options: Option<Ts<SimulateOptions>>,
) -> Result<Ts<SimResult>, JsValue> {
    let options: sim::RawSimulateOptions = read_options(options.map(JsValue::from))?;
    let input = JsValue::from(input);
    let scenario = match input.as_string() {
        #[cfg(feature = "yaml")]
        Some(text) => replicast_engine::sim::parse(&text),
        _ => read_value(&input).and_then(|v| replicast_engine::sim::scenario::from_value(&v)),
    }
    .map_err(|e| error::to_js(&e))?;
    if options.strict == Some(true) {
        scenario.strict_check().map_err(|e| error::to_js(&e))?;
    }
    let mut options = replicast_engine::sim::Options {
        every: options.every,
        ..Default::default()
    };
    to_js(&replicast_engine::sim::run(&scenario, &mut options)).map(Ts::new_unchecked)
}

#[wasm_bindgen(typescript_custom_section)]
const TUNE_OPTIONS: &str = r#"
/** Options of `tune`. */
export interface TuneOptions {
  /** At most this many candidates simulated in full (replaces `tune.budget`). */
  budget?: number;
  /** The variant to tune (replaces `tune.variant`). */
  variant?: string;
  /** Called after every batch of candidates; returning `false` stops the search. */
  onProgress?: (progress: TuneProgress) => boolean | void;
  /** Stops the search at the next batch once aborted (an `AbortSignal`). */
  signal?: { readonly aborted: boolean };
}
"#;

#[wasm_bindgen]
extern "C" {
    /// Options of [`tune()`]: `budget`, `variant`, `onProgress`, `signal`.
    #[wasm_bindgen(typescript_type = "TuneOptions")]
    pub type TuneOptions;
}

/// Searches a scenario's autoscaler settings for the cheapest configuration
/// that meets its constraints (shared spec `tune.md`): the scenario's
/// `tune:` section says what to tune; the result has the baseline, the best
/// (its manifests with only the changed values changed) and the frontier.
///
/// `input` is a scenario object, or its YAML or JSON text. Runs
/// synchronously on this thread (in a Worker for a page); `onProgress` is
/// called after every batch and may return `false` to stop, and an aborted
/// `signal` stops the search at the next batch (`cancelled: true` in the
/// result, with what was found so far). Throws a `ReplicastError` when the
/// scenario cannot be tuned.
#[wasm_bindgen]
pub fn tune(
    input: Ts<ScenarioInput>,
    options: Option<TuneOptions>,
) -> Result<Ts<TuneResult>, JsValue> {
    use js_sys::Reflect;
    use replicast_engine::tune as engine;
    let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let get = |key: &str| {
        if options.is_object() {
            Reflect::get(&options, &key.into())
                .ok()
                .filter(|v| !v.is_undefined() && !v.is_null())
        } else {
            None
        }
    };
    let overrides = engine::Overrides {
        variant: get("variant").and_then(|v| v.as_string()),
        budget: get("budget")
            .and_then(|v| v.as_f64())
            .filter(|b| b.is_finite() && *b >= 1.0)
            .map(|b| b as usize),
    };
    let on_progress = get("onProgress").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let signal = get("signal");
    let input = JsValue::from(input);
    let mut tuning = match input.as_string() {
        #[cfg(feature = "yaml")]
        Some(text) => engine::prepare(&text, None, &overrides),
        _ => read_value(&input).and_then(|v| {
            let scenario = replicast_engine::sim::scenario::from_value(&v)?;
            engine::prepare_value(scenario, &v, None, &overrides)
        }),
    }
    .map_err(|e| error::to_js(&e))?;
    let mut thrown = None;
    let result = {
        let mut progress = |p: &engine::Progress| {
            let aborted = signal.as_ref().is_some_and(|s| {
                Reflect::get(s, &"aborted".into())
                    .ok()
                    .and_then(|v| v.as_bool())
                    == Some(true)
            });
            if aborted {
                return false;
            }
            let Some(f) = &on_progress else {
                return true;
            };
            let report = TuneProgress {
                done: p.done,
                budget: p.budget,
                skipped: p.skipped,
                pruned: p.pruned,
                best: p.best,
            };
            match to_js(&report).and_then(|v| f.call1(&JsValue::NULL, &v)) {
                Ok(r) => r != JsValue::FALSE,
                Err(e) => {
                    thrown = Some(e);
                    false
                }
            }
        };
        tuning.run(&engine::Sequential, &mut progress)
    };
    if let Some(e) = thrown {
        return Err(e);
    }
    let result = result.map_err(|e| error::to_js(&e))?;
    to_js(&result).map(Ts::new_unchecked)
}

/// Reads an options object (none: the defaults); a problem is placed
/// under `options`.
pub(crate) fn read_options<T: serde::de::DeserializeOwned + Default>(
    options: Option<JsValue>,
) -> Result<T, JsValue> {
    let Some(o) = options else {
        return Ok(T::default());
    };
    let value = read_value(&o).map_err(|e| error::to_js(&e))?;
    serde_json::from_value(value).map_err(|e| {
        let at = Path::root().child("options");
        error::to_js(&Error::new(ErrorKind::Schema, at, e.to_string()))
    })
}

/// Lints Kubernetes manifests as `replicast lint` does: the findings of
/// the engine's rules (`docs/rules.md`), located in the text when `input`
/// is text, with comment and annotation suppressions applied.
///
/// `input` is multi-document YAML (or JSON) text, one object, or a list of
/// objects (as `parseManifests` takes them). Throws a `ReplicastError` only
/// when the input cannot be read as documents at all.
#[wasm_bindgen(js_name = lint)]
pub fn lint(
    input: Ts<ManifestInput>,
    options: Option<Ts<LintOptions>>,
) -> Result<Ts<LintResult>, JsValue> {
    use replicast_engine::lint as engine;
    let opts: engine::Options = read_options::<LintOptions>(options.map(JsValue::from))?.into();
    let input = JsValue::from(input);
    #[cfg(feature = "yaml")]
    let found = match input.as_string() {
        Some(text) => engine::lint_text(&text, &opts),
        None => read_documents(&input).map(|(values, _)| engine::lint_values(&values, &opts)),
    };
    #[cfg(not(feature = "yaml"))]
    let found = read_documents(&input).map(|(values, _)| engine::lint_values(&values, &opts));
    let findings = found.map_err(|e| error::to_js(&e))?;
    to_js(&LintResult {
        findings: findings.into_iter().map(Into::into).collect(),
    })
    .map(Ts::new_unchecked)
}

/// Reads Kubernetes manifests as `kubectl apply -f` takes them: the
/// Deployments, HorizontalPodAutoscalers and ScaledObjects found (API
/// defaults applied, validated as the API server or KEDA's admission
/// would), and the problems of the documents that could not be read.
///
/// `input` is multi-document YAML (or JSON) text, one object, or a list of
/// objects. Throws a `ReplicastError` only when the text cannot be read as
/// documents at all.
#[wasm_bindgen(js_name = parseManifests)]
pub fn parse_manifests(
    input: Ts<ManifestInput>,
    options: Option<Ts<ManifestOptions>>,
) -> Result<Ts<Manifests>, JsValue> {
    use replicast_engine::manifest as engine;
    let options: ManifestOptions = read_options(options.map(JsValue::from))?;
    let opts = replicast_engine::spec::validation::Options {
        min_replicas_lower_bound: if options.hpa_scale_to_zero == Some(true) {
            0
        } else {
            1
        },
    };
    let (values, locate) = read_documents(&JsValue::from(input)).map_err(|e| error::to_js(&e))?;
    let (mut objects, mut problems) = match engine::from_values(&values, opts) {
        Ok(m) => (m.objects, Vec::new()),
        Err(e) => {
            let e = locate(e);
            // Every document that reads on its own, with its index.
            let objects = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let mut m = engine::from_values(std::slice::from_ref(v), opts).ok()?;
                    m.objects
                        .iter_mut()
                        .for_each(|o| manifest::set_document(o, i));
                    Some(m.objects)
                })
                .flatten()
                .collect();
            (
                objects,
                e.problems.iter().map(error::Problem::from).collect(),
            )
        }
    };
    // The unknown fields of every object read, placed as its errors are.
    let notices = values
        .iter()
        .enumerate()
        .filter(|(i, _)| objects.iter().any(|o| o.document() == *i))
        .flat_map(|(i, v)| replicast_engine::schema::object(v, &Path::root().index(i)).0);
    let mut notices = replicast_engine::Notices(notices.collect()).placed(locate);
    if options.strict == Some(true) {
        objects.retain(|o| {
            let at = Path::root().index(o.document());
            !notices.0.iter().any(|n| n.at().0.starts_with(&at.0))
        });
        if let Err(e) = std::mem::take(&mut notices).into_strict_error() {
            problems.extend(e.problems.iter().map(error::Problem::from));
        }
    }
    let out = Manifests {
        objects: objects.into_iter().map(Into::into).collect(),
        problems,
        notices: notices.0,
    };
    to_js(&out).map(Ts::new_unchecked)
}

/// The version of this package (and of the engine inside it).
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

/// Whether this build reads YAML text (`replicast`) or only JSON
/// (`replicast/json`).
#[wasm_bindgen(js_name = readsYaml)]
pub fn reads_yaml() -> bool {
    cfg!(feature = "yaml")
}

/// Compares an outcome of [`evaluate`] (a decision, or the `ReplicastError`
/// it threw) with a test fixture's `expect:` as `replicast eval` does
/// (shared spec eval-case.md, "Expectations"); returns the mismatches, none
/// when the fixture passes. `fixture` is the fixture (object or text) with
/// its `expect:`.
#[wasm_bindgen(js_name = checkFixture)]
pub fn check_fixture(
    #[wasm_bindgen(unchecked_param_type = "unknown")] fixture: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decision | Error")] outcome: JsValue,
) -> Result<Vec<String>, JsValue> {
    let fixture = read_value(&fixture).map_err(|e| error::to_js(&e))?;
    let Some(expect) = fixture.get("expect") else {
        return Ok(vec!["the fixture has no `expect:`".into()]);
    };
    let problems = js_sys::Reflect::get(&outcome, &"problems".into()).ok();
    let result = match problems.filter(js_sys::Array::is_array) {
        Some(problems) => {
            let first = js_sys::Array::from(&problems).get(0);
            let text = |key: &str| {
                js_sys::Reflect::get(&first, &key.into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            let mut rejected = Error::new(ErrorKind::Invalid, Path::root(), text("message"));
            rejected.problems[0].path = text("path");
            Err(rejected)
        }
        None => Ok(read_value(&outcome).map_err(|e| error::to_js(&e))?),
    };
    let result = result.as_ref().map_err(Error::first);
    Ok(expect::check_result(result, expect)
        .err()
        .unwrap_or_default())
}

/// The message of the last panic, once (for `js/core.js`, after a trap).
#[doc(hidden)]
#[wasm_bindgen(js_name = __takePanic)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}

/// Panics, to test that a panic reaches callers as a `ReplicastError`.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests(message: &str) {
    panic!("{message}");
}

/// Reads a case from a JavaScript value: text is parsed (YAML with the
/// `yaml` feature, else JSON); an object goes through `JSON.stringify` and
/// is read from that text straight into the engine's types.
fn read(input: &JsValue) -> Result<case::EvalCase, JsValue> {
    match input.as_string() {
        #[cfg(feature = "yaml")]
        Some(text) => case::parse(&text),
        #[cfg(not(feature = "yaml"))]
        Some(_) => read_value(input).and_then(|v| case::from_value(&v)),
        None => stringify(input).and_then(|json| case::from_json(&json)),
    }
    .map_err(|e| error::to_js(&e))
}

/// A JavaScript value as a JSON value: text is parsed (YAML with the `yaml`
/// feature, else JSON), anything else goes through `JSON.stringify`.
pub(crate) fn read_value(input: &JsValue) -> Result<Value, Error> {
    match input.as_string() {
        Some(text) => parse_text(&text),
        None => case::parse_value(&stringify(input)?),
    }
}

/// A JavaScript value (not text) as JSON text, by `JSON.stringify`.
pub(crate) fn stringify(input: &JsValue) -> Result<String, Error> {
    let json = match js_sys::JSON::stringify(input) {
        Ok(json) => json.as_string(),
        Err(thrown) => {
            let why = js_sys::Error::from(thrown).message();
            return Err(Error::new(
                ErrorKind::Schema,
                Path::root(),
                format!("the input cannot be written as JSON: {why}"),
            ));
        }
    };
    json.ok_or_else(|| {
        Error::new(
            ErrorKind::Schema,
            Path::root(),
            "expected an object or YAML/JSON text, got undefined or a function",
        )
    })
}

/// How a problem's path maps to a line in the input text.
type Locate = Box<dyn Fn(Error) -> Error>;

/// The documents of a manifest input: YAML (or JSON) text, an array of
/// objects, or one object.
fn read_documents(input: &JsValue) -> Result<(Vec<Value>, Locate), Error> {
    #[cfg(feature = "yaml")]
    if let Some(text) = input.as_string() {
        use replicast_engine::yaml;
        let docs = yaml::parse_documents(&text, &yaml::Limits::default())?;
        let values = docs
            .iter()
            .map(|d| d.root.to_json())
            .collect::<Result<Vec<_>, _>>()?;
        let locate: Locate =
            Box::new(move |e: Error| e.locate(|p| replicast_engine::manifest::locate(&docs, p)));
        return Ok((values, locate));
    }
    let values = match read_value(input)? {
        Value::Array(items) => items,
        one => vec![one],
    };
    Ok((values, Box::new(|e| e)))
}

#[cfg(feature = "yaml")]
fn parse_text(text: &str) -> Result<Value, Error> {
    use replicast_engine::yaml;
    yaml::parse_single(text, &yaml::Limits::default())?.to_json()
}

#[cfg(not(feature = "yaml"))]
fn parse_text(text: &str) -> Result<Value, Error> {
    case::parse_value(text).map_err(|mut e| {
        for p in &mut e.problems {
            p.message = format!(
                "not JSON ({}); `replicast/json` reads JSON text only, `replicast` reads YAML too",
                p.message
            );
        }
        e
    })
}

/// A Rust value as a JavaScript value, through JSON text.
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}
