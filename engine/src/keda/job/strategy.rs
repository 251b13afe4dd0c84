//! The ScaledJob's arithmetic: each trigger's queue length and maximum
//! scale, the triggers combined, and the scaling strategies.
//!
//! kedacore/keda at 8b4f083: `pkg/scaling/scaledjob/metrics.go`
//! (`getTargetAverageValue`, `CalculateQueueLengthAndMaxValue`,
//! `IsScaledJobActive`, `getMaxValue`, `ceilToInt64`) and
//! `pkg/scaling/executor/scale_jobs.go` (`getScalingDecision`,
//! `NewScalingStrategy`, and `GetEffectiveMaxScale` of
//! `defaultScalingStrategy`, `customScalingStrategy`,
//! `accurateScalingStrategy`, `eagerScalingStrategy`). Go's `int64`
//! arithmetic wraps; it is reproduced with wrapping operations, and Go's
//! float-to-`int64` conversion with [`crate::calculator::go_i64`] (amd64).

use super::spec::{Percentage, ScaledJob, running_job_percentage};
use crate::calculator::go_i64;

/// One trigger's `ScalerMetrics`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScalerMetrics {
    /// The summed value of the trigger's metric.
    pub queue_length: f64,
    /// `min(queueLength / targetAverageValue, MaxReplicaCount())`, or 0
    /// when the target is 0.
    pub max_value: f64,
    /// Whether the trigger is active.
    pub active: bool,
}

/// The trigger's target as the metric spec carries it: the scaler's
/// `GetMetricTargetMili` quantity (milli, truncated), read back by
/// `AsApproximateFloat64` (`getTargetAverageValue` with one metric spec).
pub fn target_average_value(target: f64) -> f64 {
    go_i64(target * 1000.0) as f64 / 1000.0
}

/// `CalculateQueueLengthAndMaxValue`.
pub fn queue_length_and_max_value(
    queue_length: f64,
    target_average_value: f64,
    max_replica_count: i64,
    active: bool,
) -> ScalerMetrics {
    let max_value = if target_average_value != 0.0 {
        max_value(queue_length / target_average_value, max_replica_count)
    } else {
        0.0
    };
    ScalerMetrics {
        queue_length,
        max_value,
        active,
    }
}

/// `getMaxValue`: Go's `min(x, float64(maxReplicaCount))` (NaN wins).
fn max_value(x: f64, max_replica_count: i64) -> f64 {
    let cap = max_replica_count as f64;
    if x.is_nan() || x < cap { x } else { cap }
}

/// `ceilToInt64`.
fn ceil_to_i64(x: f64) -> i64 {
    go_i64(libm::ceil(x))
}

/// The triggers combined (`IsScaledJobActive`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Combined {
    /// Any counted trigger active, or `minReplicaCount > 0`.
    pub active: bool,
    /// `ceil(queueLength)`: the poll's `scaleTo`.
    pub queue_length: i64,
    /// `ceil(maxValue)`: the poll's `maxScale`.
    pub max_scale: i64,
}

/// `IsScaledJobActive`: only active triggers count. Upstream oddities,
/// reproduced: `max` (the default, and any other value) keeps a trigger
/// only when its queue is *strictly* longer than the best so far, so
/// active triggers with empty queues leave the ScaledJob inactive; `min`
/// takes the first active trigger and then any shorter queue, but treats
/// a kept queue of 0 as "none yet".
pub fn combine(
    metrics: &[ScalerMetrics],
    calculation: &str,
    min_replica_count: i64,
    max_replica_count: i64,
) -> Combined {
    let mut queue_length = 0.0;
    let mut max_value_sum = 0.0;
    let mut active = false;
    match calculation {
        "min" => {
            for m in metrics.iter().filter(|m| m.active) {
                if queue_length == 0.0 || m.queue_length < queue_length {
                    queue_length = m.queue_length;
                    max_value_sum = m.max_value;
                    active = true;
                }
            }
        }
        "avg" | "sum" => {
            let counted: alloc::vec::Vec<&ScalerMetrics> =
                metrics.iter().filter(|m| m.active).collect();
            for m in &counted {
                queue_length += m.queue_length;
                max_value_sum += m.max_value;
                active = true;
            }
            if calculation == "avg" && !counted.is_empty() {
                let n = counted.len() as f64;
                queue_length /= n;
                max_value_sum /= n;
            }
        }
        _ => {
            for m in metrics.iter().filter(|m| m.active) {
                if m.queue_length > queue_length {
                    queue_length = m.queue_length;
                    max_value_sum = m.max_value;
                    active = true;
                }
            }
        }
    }
    if min_replica_count > 0 {
        active = true;
    }
    let max_value = max_value(max_value_sum, max_replica_count);
    Combined {
        active,
        queue_length: ceil_to_i64(queue_length),
        max_scale: ceil_to_i64(max_value),
    }
}

/// The strategy a poll runs (`NewScalingStrategy`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strategy {
    /// `default` (also `custom` with an unparsable percentage).
    Default,
    /// `custom`: the deduction and the running-Job percentage.
    Custom {
        /// `customScalingQueueLengthDeduction` (default 0).
        deduction: i64,
        /// `customScalingRunningJobPercentage`, parsed.
        percentage: f64,
    },
    /// `accurate`: pending Jobs already take work.
    Accurate,
    /// `eager`: fill up to the maximum at once.
    Eager,
}

impl Strategy {
    /// `NewScalingStrategy`: `custom` whose percentage
    /// `strconv.ParseFloat` rejects (empty included) runs as `default`.
    pub fn of(sj: &ScaledJob) -> Strategy {
        let st = &sj.spec.scaling_strategy;
        match sj.strategy() {
            "custom" => {
                match running_job_percentage(st.custom_scaling_running_job_percentage.as_deref()) {
                    Percentage::Value(percentage) => Strategy::Custom {
                        deduction: st
                            .custom_scaling_queue_length_deduction
                            .map_or(0, i64::from),
                        percentage,
                    },
                    _ => Strategy::Default,
                }
            }
            "accurate" => Strategy::Accurate,
            "eager" => Strategy::Eager,
            _ => Strategy::Default,
        }
    }

    /// The strategy's name as the ScaledJob spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Default => "default",
            Strategy::Custom { .. } => "custom",
            Strategy::Accurate => "accurate",
            Strategy::Eager => "eager",
        }
    }

    /// `GetEffectiveMaxScale`: `(effectiveMaxScale, scaleTo)`.
    /// `running` is the running Jobs above `minReplicaCount`.
    pub fn effective_max_scale(
        self,
        max_scale: i64,
        running: i64,
        pending: i64,
        max_replica_count: i64,
        scale_to: i64,
    ) -> (i64, i64) {
        match self {
            Strategy::Default => (max_scale.wrapping_sub(running), scale_to),
            Strategy::Custom {
                deduction,
                percentage,
            } => {
                let result = max_scale
                    .wrapping_sub(deduction)
                    .wrapping_sub(go_i64(running as f64 * percentage));
                (result.min(max_replica_count), scale_to)
            }
            Strategy::Accurate => {
                if max_scale.wrapping_add(running).wrapping_sub(pending) > max_replica_count {
                    (max_replica_count.wrapping_sub(running), scale_to)
                } else {
                    (max_scale.wrapping_sub(pending), scale_to)
                }
            }
            Strategy::Eager => (
                max_replica_count
                    .wrapping_sub(running)
                    .wrapping_sub(pending)
                    .min(max_scale),
                max_replica_count,
            ),
        }
    }
}

/// `getScalingDecision`: below `minReplicaCount` running Jobs, exactly the
/// missing ones; otherwise the strategy on the running Jobs above the
/// minimum. Returns `(effectiveMaxScale, scaleTo)`.
pub fn scaling_decision(
    sj: &ScaledJob,
    strategy: Strategy,
    running: i64,
    pending: i64,
    scale_to: i64,
    max_scale: i64,
) -> (i64, i64) {
    let min = sj.min_replica_count();
    if running < min {
        let missing = min - running;
        return (missing, missing);
    }
    strategy.effective_max_scale(
        max_scale,
        running - min,
        pending,
        sj.max_replica_count(),
        scale_to,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(queue_length: f64, max_value: f64, active: bool) -> ScalerMetrics {
        ScalerMetrics {
            queue_length,
            max_value,
            active,
        }
    }

    #[test]
    fn max_needs_a_strictly_longer_queue() {
        let c = combine(&[m(0.0, 0.0, true)], "max", 0, 100);
        assert!(!c.active);
        let c = combine(&[m(3.0, 1.0, true), m(9.0, 3.0, false)], "max", 0, 100);
        assert_eq!((c.active, c.queue_length, c.max_scale), (true, 3, 1));
    }

    #[test]
    fn avg_divides_by_the_active_triggers() {
        let c = combine(
            &[m(3.0, 1.5, true), m(4.0, 2.0, true), m(50.0, 50.0, false)],
            "avg",
            0,
            100,
        );
        assert_eq!((c.queue_length, c.max_scale), (4, 2));
    }

    #[test]
    fn strategies_as_upstream_tests_state_them() {
        // maxScale 10, 5 running, 2 pending, maxReplicaCount 20, scaleTo 10.
        let d = Strategy::Default.effective_max_scale(10, 5, 2, 20, 10);
        assert_eq!(d, (5, 10));
        let c = Strategy::Custom {
            deduction: 1,
            percentage: 0.5,
        }
        .effective_max_scale(10, 5, 2, 20, 10);
        assert_eq!(c, (7, 10));
        assert_eq!(
            Strategy::Accurate.effective_max_scale(10, 5, 2, 20, 10),
            (8, 10)
        );
        assert_eq!(
            Strategy::Accurate.effective_max_scale(18, 5, 2, 20, 10),
            (15, 10)
        );
        assert_eq!(
            Strategy::Eager.effective_max_scale(10, 5, 2, 20, 10),
            (10, 20)
        );
        assert_eq!(
            Strategy::Eager.effective_max_scale(20, 5, 2, 20, 10),
            (13, 20)
        );
    }
}
