//! From the metrics' proposal to the replica count written: stabilization,
//! rate limits and the min/max range.
//!
//! Mirrors `pkg/controller/podautoscaler/horizontal.go`: the legacy path
//! (`normalizeDesiredReplicas`, `stabilizeRecommendation`,
//! `convertDesiredReplicasWithRules`, `calculateScaleUpLimit`) for an HPA
//! without `spec.behavior`, and the behavior path
//! (`normalizeDesiredReplicasWithBehaviors`,
//! `maybeInitScaleDownStabilizationWindow`,
//! `stabilizeRecommendationWithBehaviors`,
//! `convertDesiredReplicasWithBehaviorRate`,
//! `calculateScaleUpLimitWithScalingRules`,
//! `calculateScaleDownLimitWithBehaviors`, `getReplicasChangePerPeriod`) with
//! the scale-event bookkeeping (`storeScaleEvent`, `markScaleEventsOutdated`,
//! `getLongestPolicyPeriod`).
//!
//! Upstream keeps this memory in controller maps and reads `time.Now()`;
//! here the [`History`] and `now` are arguments and the new history is
//! returned, so reconciles chain and replay exactly.

use alloc::string::{String, ToString};

use crate::condition::{ConditionType, Conditions, Reason};
use crate::model::{History, Recommendation, ScaleEvent};
use crate::spec::hpa::{Behavior, ScalingRules};
use crate::time::{Duration, Instant};

/// `scaleUpLimitFactor`.
pub const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
/// `scaleUpLimitMinimum`.
pub const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;

/// What limited the result, for the explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalized {
    /// The replica count to write.
    pub desired: i32,
    /// The stabilized recommendation (before rate limits and range).
    pub stabilized: i32,
    /// The ScalingLimited reason.
    pub limit_reason: Reason,
    /// The policy that set a behavior rate limit, when one did.
    pub limiting_policy: Option<String>,
}

/// `NormalizationArg`: what normalization works on.
#[derive(Clone, Copy, Debug)]
pub struct NormalizationArg {
    /// The instant of the reconcile.
    pub now: Instant,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    pub downscale_window: Duration,
    /// The current replica count.
    pub current: i32,
    /// The metrics' proposal.
    pub proposal: i32,
    /// `minReplicas`.
    pub min: i32,
    /// `maxReplicas`.
    pub max: i32,
}

/// `normalizeDesiredReplicas`: the legacy path, for an HPA without
/// `spec.behavior`.
pub fn normalize_legacy(
    history: &mut History,
    conditions: &mut Conditions,
    arg: &NormalizationArg,
) -> Normalized {
    let NormalizationArg {
        now,
        downscale_window,
        current,
        proposal,
        min,
        max,
    } = *arg;
    let stabilized = stabilize_legacy(history, now, downscale_window, proposal);
    if stabilized != proposal {
        conditions.set(
            ConditionType::AbleToScale,
            true,
            Reason::ScaleDownStabilized,
            "recent recommendations were higher than current one, applying the highest recent recommendation",
        );
    } else {
        conditions.set(
            ConditionType::AbleToScale,
            true,
            Reason::ReadyForNewScale,
            "recommended size matches current size",
        );
    }
    let (desired, reason, message) = convert_with_rules(current, stabilized, min, max);
    conditions.set(
        ConditionType::ScalingLimited,
        desired != stabilized,
        reason,
        message,
    );
    Normalized {
        desired,
        stabilized,
        limit_reason: reason,
        limiting_policy: None,
    }
}

/// `stabilizeRecommendation`: the maximum of the proposal and every
/// recommendation not older than the window (one exactly at the cutoff
/// counts); the proposal is recorded in the last expired slot, or appended.
fn stabilize_legacy(history: &mut History, now: Instant, window: Duration, proposal: i32) -> i32 {
    let cutoff = now - window;
    let mut max = proposal;
    let mut old_slot = None;
    for (i, rec) in history.recommendations.iter().enumerate() {
        if rec.time.before(cutoff) {
            old_slot = Some(i);
        } else if rec.replicas > max {
            max = rec.replicas;
        }
    }
    record(
        history,
        old_slot,
        Recommendation {
            time: now,
            replicas: proposal,
        },
    );
    max
}

fn record(history: &mut History, slot: Option<usize>, rec: Recommendation) {
    match slot {
        Some(i) => history.recommendations[i] = rec,
        None => history.recommendations.push(rec),
    }
}

/// `convertDesiredReplicasWithRules`: clamp to `[min, min(max, scale-up
/// limit)]`; a tie between `max` and the limit reports `TooManyReplicas`.
pub fn convert_with_rules(
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
) -> (i32, Reason, &'static str) {
    let scale_up_limit = calculate_scale_up_limit(current);
    let (maximum, reason, message) = if max > scale_up_limit {
        (
            scale_up_limit,
            Reason::ScaleUpLimit,
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            Reason::TooManyReplicas,
            "the desired replica count is more than the maximum replica count",
        )
    };
    if desired < min {
        return (
            min,
            Reason::TooFewReplicas,
            "the desired replica count is less than the minimum replica count",
        );
    }
    if desired > maximum {
        return (maximum, reason, message);
    }
    (
        desired,
        Reason::DesiredWithinRange,
        "the desired count is within the acceptable range",
    )
}

/// `calculateScaleUpLimit`: `max(2 × current, 4)`, truncated.
pub fn calculate_scale_up_limit(current: i32) -> i32 {
    crate::calculator::go_i32(f64::max(
        SCALE_UP_LIMIT_FACTOR * f64::from(current),
        SCALE_UP_LIMIT_MINIMUM,
    ))
}

/// `normalizeDesiredReplicasWithBehaviors`: stabilization windows per
/// direction, then the policies' rate limits and the range. `behavior` is
/// the defaulted one; an unset scale-down window takes `downscale_window`
/// (`maybeInitScaleDownStabilizationWindow`).
pub fn normalize_with_behaviors(
    history: &mut History,
    conditions: &mut Conditions,
    behavior: &Behavior,
    arg: &NormalizationArg,
) -> Normalized {
    let NormalizationArg {
        now,
        downscale_window,
        current,
        proposal,
        min,
        max,
    } = *arg;
    // Borrowed, not cloned: a reconcile allocates no rules.
    let none = ScalingRules::default();
    let up = behavior.scale_up.as_ref().unwrap_or(&none);
    let down = behavior.scale_down.as_ref().unwrap_or(&none);
    let down_window = match down.stabilization_window_seconds {
        Some(_) => window(down),
        // `int32(a.downscaleStabilisationWindow.Seconds())`.
        None => Duration::from_secs(i64::from(crate::calculator::go_i32(
            downscale_window.as_secs_f64(),
        ))),
    };
    let (stabilized, reason, message) =
        stabilize_with_behaviors(history, now, window(up), down_window, current, proposal);
    if stabilized != proposal {
        conditions.set(ConditionType::AbleToScale, true, reason, message);
    } else {
        conditions.set(
            ConditionType::AbleToScale,
            true,
            Reason::ReadyForNewScale,
            "recommended size matches current size",
        );
    }
    let (desired, reason, message, policy) =
        convert_with_behavior_rate(history, now, up, down, current, stabilized, min, max);
    conditions.set(
        ConditionType::ScalingLimited,
        desired != stabilized,
        reason,
        message,
    );
    Normalized {
        desired,
        stabilized,
        limit_reason: reason,
        limiting_policy: policy,
    }
}

fn window(rules: &ScalingRules) -> Duration {
    Duration::from_secs(i64::from(rules.stabilization_window_seconds.unwrap_or(0)))
}

/// `stabilizeRecommendationWithBehaviors`: the current count, raised to the
/// minimum and lowered to the maximum of the recommendations strictly
/// inside each direction's window (the proposal included).
fn stabilize_with_behaviors(
    history: &mut History,
    now: Instant,
    up_window: Duration,
    down_window: Duration,
    current: i32,
    proposal: i32,
) -> (i32, Reason, &'static str) {
    let up_cutoff = now - up_window;
    let down_cutoff = now - down_window;
    let mut up_rec = proposal;
    let mut down_rec = proposal;
    let mut old_slot = None;
    for (i, rec) in history.recommendations.iter().enumerate() {
        if rec.time.after(up_cutoff) {
            up_rec = up_rec.min(rec.replicas);
        }
        if rec.time.after(down_cutoff) {
            down_rec = down_rec.max(rec.replicas);
        }
        if rec.time.before(up_cutoff) && rec.time.before(down_cutoff) {
            old_slot = Some(i);
        }
    }
    let mut recommendation = current;
    if recommendation < up_rec {
        recommendation = up_rec;
    }
    if recommendation > down_rec {
        recommendation = down_rec;
    }
    record(
        history,
        old_slot,
        Recommendation {
            time: now,
            replicas: proposal,
        },
    );
    if proposal >= current {
        (
            recommendation,
            Reason::ScaleUpStabilized,
            "recent recommendations were lower than current one, applying the lowest recent recommendation",
        )
    } else {
        (
            recommendation,
            Reason::ScaleDownStabilized,
            "recent recommendations were higher than current one, applying the highest recent recommendation",
        )
    }
}

/// `convertDesiredReplicasWithBehaviorRate`.
#[allow(clippy::too_many_arguments)]
fn convert_with_behavior_rate(
    history: &History,
    now: Instant,
    up: &ScalingRules,
    down: &ScalingRules,
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
) -> (i32, Reason, &'static str, Option<String>) {
    if desired > current {
        let (limit, policy) = rate_limit(history, now, up, current, true);
        let limit = limit.max(current);
        if max > limit {
            if desired > limit {
                return (
                    limit,
                    Reason::ScaleUpLimit,
                    "the desired replica count is increasing faster than the maximum scale rate",
                    policy,
                );
            }
        } else if desired > max {
            return (
                max,
                Reason::TooManyReplicas,
                "the desired replica count is more than the maximum replica count",
                None,
            );
        }
    } else if desired < current {
        let (limit, policy) = rate_limit(history, now, down, current, false);
        let limit = limit.min(current);
        if min < limit {
            if desired < limit {
                return (
                    limit,
                    Reason::ScaleDownLimit,
                    "the desired replica count is decreasing faster than the maximum scale rate",
                    policy,
                );
            }
        } else if desired < min {
            return (
                min,
                Reason::TooFewReplicas,
                "the desired replica count is less than the minimum replica count",
                None,
            );
        }
    }
    (
        desired,
        Reason::DesiredWithinRange,
        "the desired count is within the acceptable range",
        None,
    )
}

/// `getReplicasChangePerPeriod`: the changes stamped strictly after
/// `now - period`.
fn change_in_period(period_seconds: i32, events: &[ScaleEvent], now: Instant) -> i32 {
    let cutoff = now - Duration::from_secs(i64::from(period_seconds));
    events
        .iter()
        .filter(|e| e.time.after(cutoff))
        .fold(0i32, |acc, e| acc.wrapping_add(e.change))
}

fn policy_label(rules: &ScalingRules, i: usize) -> String {
    let p = &rules.policy_list()[i];
    let unit = if p.type_ == "Percent" { "%" } else { "" };
    alloc::format!("{}={}{unit} per {}s", p.type_, p.value, p.period_seconds)
}

/// `calculateScaleUpLimitWithScalingRules` (`up`) and
/// `calculateScaleDownLimitWithBehaviors`: per policy, the replicas at the
/// period's start (current − added + removed within the period) plus the
/// allowed growth, or minus the allowed shrink (Percent rounds up when
/// growing and truncates toward zero when shrinking). `Max` takes the policy
/// allowing the biggest change, `Min` the smallest, `Disabled` none. Returns
/// the limit and the label of the policy that set it.
fn rate_limit(
    history: &History,
    now: Instant,
    rules: &ScalingRules,
    current: i32,
    up: bool,
) -> (i32, Option<String>) {
    let select = rules.select();
    if select == "Disabled" {
        return (current, Some("selectPolicy Disabled".to_string()));
    }
    // The biggest change is the largest limit going up, the smallest going down.
    let want_larger = (select == "Min") != up;
    let mut result = if want_larger { i32::MIN } else { i32::MAX };
    let mut chosen = None;
    for (i, p) in rules.policy_list().iter().enumerate() {
        let added = change_in_period(p.period_seconds, &history.scale_up_events, now);
        let removed = change_in_period(p.period_seconds, &history.scale_down_events, now);
        let start = current.wrapping_sub(added).wrapping_add(removed);
        let fraction = f64::from(p.value) / 100.0;
        let proposed = match (p.type_.as_str(), up) {
            ("Pods", true) => start.wrapping_add(p.value),
            ("Pods", false) => start.wrapping_sub(p.value),
            ("Percent", true) => {
                crate::calculator::go_i32(libm::ceil(f64::from(start) * (1.0 + fraction)))
            }
            ("Percent", false) => crate::calculator::go_i32(f64::from(start) * (1.0 - fraction)),
            _ => continue,
        };
        if (want_larger && proposed > result) || (!want_larger && proposed < result) {
            result = proposed;
            chosen = Some(i);
        }
    }
    (result, chosen.map(|i| policy_label(rules, i)))
}

/// `storeScaleEvent`: after a rescale, and only with `spec.behavior`, the
/// change is stored in its direction's list, reusing the last slot older
/// than that direction's longest policy period (`markScaleEventsOutdated`).
pub fn store_scale_event(
    history: &mut History,
    behavior: &Behavior,
    now: Instant,
    previous: i32,
    new: i32,
) {
    let (events, rules, change) = if new > previous {
        (
            &mut history.scale_up_events,
            behavior.scale_up.as_ref(),
            new.wrapping_sub(previous),
        )
    } else {
        (
            &mut history.scale_down_events,
            behavior.scale_down.as_ref(),
            previous.wrapping_sub(new),
        )
    };
    let longest = rules
        .map(|r| {
            r.policy_list()
                .iter()
                .map(|p| p.period_seconds)
                .max()
                .unwrap_or(0)
                .max(0)
        })
        .unwrap_or(0);
    let cutoff = now - Duration::from_secs(i64::from(longest));
    let slot = events.iter().rposition(|e| e.time.before(cutoff));
    let event = ScaleEvent { time: now, change };
    match slot {
        Some(i) => events[i] = event,
        None => events.push(event),
    }
}
