//! The `kpa:` object of an evaluation case (`tests/cases/README.md`, "A
//! Knative KPA case"): one tick of the KPA for one revision, read, checked
//! and decided.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::buckets::Buckets;
use super::config::Config;
use super::decider::{self, Memory};
use super::go::SECOND;
use super::revision::{self, Metric, Revision, Settings};
use super::scaler::{self, State};
use crate::error::{Error, ErrorKind, Path};
use crate::notice::Notices;

/// A checked KPA case.
#[derive(Clone, Debug)]
pub struct KpaCase {
    /// The instant of the tick (seconds).
    pub now: f64,
    /// The revision's resolved settings.
    pub settings: Settings,
    /// The ConfigMap's values.
    pub config: Config,
    /// What the metric collector reports.
    pub metrics: Metrics,
    /// The ready pods (`ReadyCount`).
    pub ready_pods: i32,
    /// The autoscaler's memory (`None`: created at this tick).
    pub memory: Option<Memory>,
    /// The reconciler's view.
    pub state: State,
    /// Located warnings.
    pub notices: Notices,
}

/// What the decider reads from the metric collector.
#[derive(Clone, Debug, PartialEq)]
pub enum Metrics {
    /// Per-second samples of the revision's total (concurrency or request
    /// rate), oldest first, the last in the second of `now`; `None`: no
    /// sample in that second. The windows are averaged from them.
    Samples(Vec<Option<f64>>),
    /// The collector's answer itself (`StableAndPanicConcurrency` /
    /// `StableAndPanicRPS`), as upstream's unit tests give it.
    Observed {
        /// The stable window's average.
        stable: f64,
        /// The panic window's average.
        panic: f64,
    },
}

#[derive(Deserialize)]
struct RawObserved {
    stable: f64,
    panic: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    revision: Value,
    #[serde(default)]
    config: Option<Value>,
    #[serde(default)]
    samples: Option<Vec<Option<f64>>>,
    #[serde(default)]
    observed: Option<RawObserved>,
    ready_pods: i32,
    #[serde(default = "yes")]
    reachable: bool,
    #[serde(default)]
    memory: Option<Memory>,
    #[serde(default)]
    status: Option<State>,
}

fn yes() -> bool {
    true
}

/// What one KPA tick decides.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KpaDecision {
    /// The decider's desired pod count (`DesiredPodCount`; -1 when there
    /// is no data yet).
    pub desired_pods: i32,
    /// Whether the autoscaler is in panic mode after this tick.
    pub panic: bool,
    /// `ExcessBurstCapacity` (negative: the activator stays in the path).
    pub excess_burst_capacity: i32,
    /// The scale the reconciler settles on (`status.desiredScale`; -1:
    /// unknown).
    pub desired_scale: i32,
    /// The Deployment's `spec.replicas` after this tick (a case's
    /// decision gives it as `desiredReplicas`).
    #[serde(skip)]
    pub replicas: i32,
    /// The windows' averages and the per-pod target.
    pub observed: Observed,
    /// The memory after this tick: feed it back to chain ticks.
    pub memory: Memory,
    /// One line for humans (a case's decision gives it as its
    /// `explanation`).
    #[serde(skip)]
    pub explanation: String,
}

/// The windows the decider read.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Observed {
    /// `concurrency` or `rps`.
    pub metric: &'static str,
    /// The stable window's average (revision total).
    pub stable: f64,
    /// The panic window's average.
    pub panic: f64,
    /// Per-pod target (`TargetValue`).
    pub target: f64,
    /// The windows, seconds.
    pub stable_window: f64,
    /// See `stable_window`.
    pub panic_window: f64,
}

impl KpaCase {
    /// Reads the `kpa:` object at `at`; `now` is the case's.
    pub fn from_value(now: f64, v: &Value, at: &Path) -> Result<KpaCase, Error> {
        let raw: Raw = crate::spec::deserialize(v, at)?;
        let mut notices = Notices::default();
        let config = match &raw.config {
            Some(c) => {
                let (c, n) = Config::from_value(c, &at.child("config"))?;
                notices.0.extend(n.0);
                c
            }
            None => Config::default(),
        };
        let rev = Revision::from_value(&raw.revision, &at.child("revision"), &mut notices)?;
        let settings = revision::resolve(&rev, &config, raw.reachable)?;
        if raw.ready_pods < 0 {
            return Err(Error::new(
                ErrorKind::Invalid,
                at.child("readyPods"),
                "readyPods: 0 or more",
            ));
        }
        let bad = |x: f64| !x.is_finite() || x < 0.0;
        let what = "a concurrency or request rate: a finite number, 0 or more";
        let metrics = match (raw.samples, raw.observed) {
            (Some(s), None) => {
                if let Some(i) = s.iter().position(|v| v.is_some_and(bad)) {
                    return Err(Error::new(
                        ErrorKind::Invalid,
                        at.child("samples").index(i),
                        what,
                    ));
                }
                Metrics::Samples(s)
            }
            (None, Some(o)) => {
                for (k, v) in [("stable", o.stable), ("panic", o.panic)] {
                    if bad(v) {
                        return Err(Error::new(
                            ErrorKind::Invalid,
                            at.child("observed").child(k),
                            what,
                        ));
                    }
                }
                Metrics::Observed {
                    stable: o.stable,
                    panic: o.panic,
                }
            }
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    at.child("observed"),
                    "give `samples` (per-second values the windows are averaged from) or `observed` (the windows' averages), not both",
                ));
            }
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    at.clone(),
                    "missing field `samples` (or `observed`)",
                ));
            }
        };
        if !now.is_finite() {
            return Err(Error::new(
                ErrorKind::Invalid,
                Path::root().child("now"),
                "now: a finite number of seconds",
            ));
        }
        Ok(KpaCase {
            now,
            settings,
            config,
            metrics,
            ready_pods: raw.ready_pods,
            memory: raw.memory,
            state: raw.status.unwrap_or_default(),
            notices,
        })
    }
}

/// One tick: the collector's windows over the samples, the decider, and
/// the reconciler's write.
pub fn evaluate(c: &KpaCase) -> KpaDecision {
    let s = &c.settings;
    let now_s = libm::floor(c.now) as i64;
    let secs = |ns: i64| ns / SECOND;
    let mut memory = c
        .memory
        .clone()
        .unwrap_or_else(|| Memory::fresh(c.ready_pods, c.now));
    let (stable, panic, no_data) = match &c.metrics {
        Metrics::Observed { stable, panic } => (*stable, *panic, false),
        Metrics::Samples(samples) => {
            let mut stable_b = Buckets::new(secs(s.stable_window), s.aggregation);
            let mut panic_b = Buckets::new(secs(s.panic_window), s.aggregation);
            let n = samples.len() as i64;
            for (i, v) in samples.iter().enumerate() {
                if let Some(v) = v {
                    let t = now_s - (n - 1 - i as i64);
                    stable_b.record(t, *v);
                    panic_b.record(t, *v);
                }
            }
            (
                stable_b.average(now_s),
                panic_b.average(now_s),
                stable_b.is_empty(now_s),
            )
        }
    };
    let observed = Observed {
        metric: match s.metric {
            Metric::Concurrency => "concurrency",
            Metric::Rps => "rps",
        },
        stable,
        panic,
        target: s.target,
        stable_window: secs(s.stable_window) as f64,
        panic_window: secs(s.panic_window) as f64,
    };
    // `StableAndPanic*`: no sample within the stable window is ErrNoData,
    // and `Scale` returns an invalid result (-1).
    let (desired, ebc, mut explanation) = if no_data {
        (
            -1,
            -1,
            format!(
                "no {} sample in the last {} s: no data to scale on yet (the decider keeps -1)",
                observed.metric, observed.stable_window
            ),
        )
    } else {
        let tick = decider::scale(
            s,
            observed.stable,
            observed.panic,
            c.ready_pods,
            &mut memory,
            c.now,
        );
        (
            tick.desired_pods,
            tick.excess_burst_capacity,
            explain(&observed, &tick, c.ready_pods),
        )
    };
    let applied = scaler::apply(s, &c.config, &c.state, desired, c.now);
    if !applied.why.is_empty() {
        explanation.push_str("; ");
        explanation.push_str(&applied.why);
    }
    KpaDecision {
        desired_pods: desired,
        panic: memory.panic_since.is_some(),
        excess_burst_capacity: ebc,
        desired_scale: applied.want,
        replicas: applied.write.unwrap_or(c.state.replicas),
        observed,
        memory,
        explanation,
    }
}

/// One line for humans; `x + 0.0` shows a tiny negative average (the
/// collector's running total, less what left the window) as 0, not -0.
fn explain(o: &Observed, t: &decider::Tick, ready: i32) -> String {
    let mut e = format!(
        "{} {:.3} over {} s and {:.3} over {} s against {:.3} per pod: {} pods stable, {} panic (bounds {}..{} from {ready} ready)",
        o.metric,
        o.stable + 0.0,
        o.stable_window,
        o.panic + 0.0,
        o.panic_window,
        o.target,
        t.stable_pods + 0.0,
        t.panic_pods + 0.0,
        t.max_scale_down,
        t.max_scale_up
    );
    if t.panic_started {
        e.push_str("; panic mode entered");
    } else if t.panic_ended {
        e.push_str("; panic mode left");
    } else if t.panic {
        e.push_str("; panicking: never below the panic's maximum");
    }
    if let Some(from) = t.delayed_from {
        e.push_str(&format!(
            "; scale-down delay holds {} instead of {from}",
            t.desired_pods
        ));
    }
    e.push_str(&format!(" → {} pods", t.desired_pods));
    e
}
