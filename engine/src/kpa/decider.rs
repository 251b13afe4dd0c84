//! The KPA's decision at one tick (knative/serving
//! `pkg/autoscaler/scaling/autoscaler.go`: `autoscaler.Scale`, with the
//! state `newAutoscaler` starts from), and the scale-down delay's window of
//! maxima (`pkg/autoscaler/aggregation/max/timewindow.go`: `TimeWindow`,
//! `window.Record`, `Current`; ticks every 2 s, `multiscaler.go`:
//! `tickInterval`).

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::go::SECOND;
use super::revision::Settings;

/// `tickInterval`: the decider runs every 2 s; the delay window's buckets
/// are that wide.
pub const TICK_SECONDS: i64 = 2;

/// One entry of the scale-down delay's window of maxima.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Recorded {
    /// When the desired count was recorded (seconds, the case's clock).
    pub time: f64,
    /// The desired pod count then.
    pub pods: i32,
}

/// The autoscaler's memory between ticks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Memory {
    /// `panicTime`: when the panic mode was last (re)entered or extended;
    /// absent when not panicking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panic_since: Option<f64>,
    /// `maxPanicPods`: the most pods asked for during this panic.
    #[serde(default)]
    pub max_panic_pods: i32,
    /// The scale-down delay's window: the recorded maxima still in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delay_window: Vec<Recorded>,
}

impl Memory {
    /// `newAutoscaler`: a new autoscaler starts panicking when more than
    /// one pod is ready, so that it keeps the current scale until it has
    /// a window of data.
    pub fn fresh(ready_pods: i32, now: f64) -> Memory {
        Memory {
            panic_since: (ready_pods > 1).then_some(now),
            max_panic_pods: ready_pods,
            delay_window: Vec::new(),
        }
    }
}

/// The numbers behind one tick's decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// The decider's desired pod count (`DesiredPodCount`).
    pub desired_pods: i32,
    /// `ExcessBurstCapacity`.
    pub excess_burst_capacity: i32,
    /// Whether the autoscaler is in panic mode after this tick.
    pub panic: bool,
    /// Whether this tick entered panic mode.
    pub panic_started: bool,
    /// Whether this tick left panic mode.
    pub panic_ended: bool,
    /// `ceil(stable / target)`.
    pub stable_pods: f64,
    /// `ceil(panic / target)`.
    pub panic_pods: f64,
    /// The rate bounds: at most this many pods...
    pub max_scale_up: f64,
    /// ...and at least this many.
    pub max_scale_down: f64,
    /// The count before the scale-down delay held it, when it did.
    pub delayed_from: Option<i32>,
}

/// The window of maxima over `size` ticks (`max.window`).
struct MaxWindow {
    size: i64,
    entries: VecDeque<(i64, i32)>,
}

impl MaxWindow {
    /// `window.Record`.
    fn record(&mut self, index: i64, mut v: i32) {
        while self.entries.back().is_some_and(|&(_, last)| v >= last) {
            self.entries.pop_back();
        }
        while self
            .entries
            .front()
            .is_some_and(|&(i, _)| index - i >= self.size)
        {
            self.entries.pop_front();
        }
        if let Some(&(i, last)) = self.entries.back() {
            if i == index {
                v = v.max(last);
                self.entries.pop_back();
            }
        }
        self.entries.push_back((index, v));
    }

    fn current(&self) -> i32 {
        self.entries.front().map_or(0, |&(_, v)| v)
    }
}

fn tick_index(t: f64) -> i64 {
    (libm::floor(t) as i64).div_euclid(TICK_SECONDS)
}

/// `autoscaler.Scale` once metrics are in: `stable` and `panic` are the
/// collector's window averages, `ready` the ready pods
/// (`podCounter.ReadyCount`). Updates `memory`.
pub fn scale(
    s: &Settings,
    stable: f64,
    panic: f64,
    ready: i32,
    memory: &mut Memory,
    now: f64,
) -> Tick {
    // Use 1 if there are zero current pods.
    let ready_f = f64::from(ready.max(1));
    // Grow by at least one pod even when the rate is conservative.
    let max_scale_up = libm::ceil(s.max_scale_up_rate * ready_f);
    let max_scale_down = if s.reachable {
        libm::floor(ready_f / s.max_scale_down_rate)
    } else {
        0.0
    };
    let dspc = libm::ceil(stable / s.target);
    let dppc = libm::ceil(panic / s.target);
    let mut desired_stable = dspc.max(max_scale_down).min(max_scale_up) as i32;
    let mut desired_panic = dppc.max(max_scale_down).min(max_scale_up) as i32;
    if s.activation_scale > 1 {
        if dspc > 0.0 && s.activation_scale > desired_stable {
            desired_stable = s.activation_scale;
        }
        if dppc > 0.0 && s.activation_scale > desired_panic {
            desired_panic = s.activation_scale;
        }
    }
    let over = dppc / ready_f >= s.panic_threshold;
    let stable_window = s.stable_window as f64 / SECOND as f64;
    let (mut started, mut ended) = (false, false);
    match memory.panic_since {
        None if over => {
            memory.panic_since = Some(now);
            started = true;
        }
        Some(_) if over => memory.panic_since = Some(now),
        Some(t) if t + stable_window < now => {
            memory.panic_since = None;
            memory.max_panic_pods = 0;
            ended = true;
        }
        _ => {}
    }
    let mut desired = desired_stable;
    if memory.panic_since.is_some() {
        // Provision for the larger; never scale down while panicking.
        desired = desired.max(desired_panic);
        if desired > memory.max_panic_pods {
            memory.max_panic_pods = desired;
        }
        desired = memory.max_panic_pods;
    }
    let mut delayed_from = None;
    if s.reachable && s.scale_down_delay > 0 {
        let size = (s.scale_down_delay + TICK_SECONDS * SECOND - 1) / (TICK_SECONDS * SECOND);
        let mut w = MaxWindow {
            size: size.max(1),
            entries: memory
                .delay_window
                .iter()
                .map(|r| (tick_index(r.time), r.pods))
                .collect(),
        };
        w.record(tick_index(now), desired);
        let held = w.current();
        if held != desired {
            delayed_from = Some(desired);
            desired = held;
        }
        memory.delay_window = w
            .entries
            .iter()
            .map(|&(i, pods)| Recorded {
                time: (i * TICK_SECONDS) as f64,
                pods,
            })
            .collect();
    }
    // EBC = total capacity - in flight (panic window) - target burst capacity.
    let ebc = if s.target_burst_capacity == 0.0 {
        0.0
    } else if s.target_burst_capacity > 0.0 {
        libm::floor(f64::from(ready) * s.total - s.target_burst_capacity - panic)
    } else {
        -1.0
    };
    Tick {
        desired_pods: desired,
        excess_burst_capacity: ebc as i32,
        panic: memory.panic_since.is_some(),
        panic_started: started,
        panic_ended: ended,
        stable_pods: dspc,
        panic_pods: dppc,
        max_scale_up,
        max_scale_down,
        delayed_from,
    }
}
