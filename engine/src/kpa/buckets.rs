//! The metric collector's windows: one bucket per second
//! (knative/serving `pkg/autoscaler/config/config.go`: `BucketSize`),
//! averaged as `pkg/autoscaler/aggregation/bucketing.go` averages them
//! (`TimedFloat64Buckets.Record`, `WindowAverage`; the weighted variant's
//! `WeightedFloat64Buckets.WindowAverage`, `computeSmoothingCoeff`).
//!
//! Times are whole seconds (the bucket a sample falls in).

use alloc::vec;
use alloc::vec::Vec;

use super::revision::Aggregation;

/// One window of per-second buckets.
#[derive(Clone, Debug)]
pub struct Buckets {
    buckets: Vec<f64>,
    window: i64,
    first_write: Option<i64>,
    /// `None`: Go's zero time (nothing written yet).
    last_write: Option<i64>,
    window_total: f64,
    smoothing: Option<f64>,
}

/// `computeSmoothingCoeff`.
fn smoothing_coeff(nb: f64) -> f64 {
    (1.0 - libm::pow(1.0 - 0.9999, 1.0 / nb)).max(0.2)
}

/// `roundToNDigits(6, f)`.
fn round6(f: f64) -> f64 {
    libm::round(f * 1e6) / 1e6
}

impl Buckets {
    /// A window of `window_s` seconds (at least 1).
    pub fn new(window_s: i64, aggregation: Aggregation) -> Buckets {
        let n = window_s.max(1);
        Buckets {
            buckets: vec![0.0; n as usize],
            window: n,
            first_write: None,
            last_write: None,
            window_total: 0.0,
            smoothing: (aggregation == Aggregation::WeightedExponential)
                .then(|| smoothing_coeff(n as f64)),
        }
    }

    fn idx(&self, i: i64) -> usize {
        i.rem_euclid(self.buckets.len() as i64) as usize
    }

    /// `IsEmpty`: nothing written for more than the window.
    pub fn is_empty(&self, now: i64) -> bool {
        self.last_write.is_none_or(|lw| now - lw > self.window)
    }

    /// `Record`: adds `value` to the bucket of second `now`.
    pub fn record(&mut self, now: i64, value: f64) {
        if self.last_write != Some(now) {
            if self.last_write.is_none_or(|lw| now + self.window > lw) {
                if self.first_write.is_none_or(|fw| fw > now) {
                    self.first_write = Some(now);
                }
                if self.last_write.is_none_or(|lw| now > lw) {
                    match self.last_write {
                        Some(lw) if now - lw < self.window => {
                            for i in lw + 1..=now {
                                let k = self.idx(i);
                                self.window_total -= self.buckets[k];
                                self.buckets[k] = 0.0;
                            }
                        }
                        _ => {
                            self.first_write = Some(now);
                            self.buckets.iter_mut().for_each(|b| *b = 0.0);
                            self.window_total = 0.0;
                        }
                    }
                    self.last_write = Some(now);
                }
            } else {
                return;
            }
        }
        let k = self.idx(now);
        self.buckets[k] += value;
        self.window_total += value;
    }

    /// `WindowAverage` at second `now`.
    pub fn average(&self, now: i64) -> f64 {
        match self.smoothing {
            Some(coeff) => self.weighted(now, coeff),
            None => self.linear(now),
        }
    }

    fn linear(&self, now: i64) -> f64 {
        let (Some(lw), Some(fw)) = (self.last_write, self.first_write) else {
            return 0.0;
        };
        let len = self.buckets.len() as f64;
        let d = now - lw;
        if d <= 0 {
            let nb = ((lw - fw + 1) as f64).min(len);
            round6(self.window_total / nb)
        } else if d < self.window {
            let mut ret = self.window_total;
            for i in lw + 1..=now {
                ret -= self.buckets[self.idx(i)];
            }
            let nb = ((lw - fw + 1) as f64).min(len - d as f64);
            round6(ret / nb)
        } else {
            0.0
        }
    }

    fn weighted(&self, now: i64, coeff: f64) -> f64 {
        if self.is_empty(now) {
            return 0.0;
        }
        let Some(lw) = self.last_write else {
            return 0.0;
        };
        let total = self.buckets.len() as i64;
        let mut nb = total;
        let mut multiplier = coeff;
        if now > lw {
            let nz = now - lw;
            multiplier *= libm::pow(1.0 - coeff, nz as f64);
            nb -= nz;
        }
        let start = lw + total;
        let mut ret = 0.0;
        for i in 0..nb.max(0) {
            ret += self.buckets[self.idx(start - i)] * multiplier;
            multiplier *= 1.0 - coeff;
        }
        ret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_window_averages_over_the_seconds_written() {
        let mut b = Buckets::new(60, Aggregation::Linear);
        for (t, v) in [(100, 10.0), (101, 20.0), (102, 30.0)] {
            b.record(t, v);
        }
        assert_eq!(b.average(102), 20.0);
        // Two seconds with no data: those buckets leave the divisor.
        assert_eq!(b.average(104), 20.0);
        assert_eq!(b.average(200), 0.0);
    }

    #[test]
    fn a_full_window_drops_its_oldest_second() {
        let mut b = Buckets::new(3, Aggregation::Linear);
        for t in 0..5 {
            b.record(t, t as f64);
        }
        assert_eq!(b.average(4), 3.0);
    }

    #[test]
    fn weighted_favours_recent_seconds() {
        let mut b = Buckets::new(4, Aggregation::WeightedExponential);
        for (t, v) in [(10, 10.0), (11, 10.0), (12, 5.0), (13, 5.0)] {
            b.record(t, v);
        }
        let late = b.average(13);
        let mut r = Buckets::new(4, Aggregation::WeightedExponential);
        for (t, v) in [(10, 5.0), (11, 5.0), (12, 10.0), (13, 10.0)] {
            r.record(t, v);
        }
        assert!(late < 7.5 && r.average(13) > 7.5);
    }
}
