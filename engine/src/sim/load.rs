//! The arrival-rate curve: segments that add up, then seeded multiplicative
//! noise. Computed once per scenario, so every variant faces the very same
//! load and the very same noise.

use alloc::vec::Vec;

use super::rng::{QuantileTable, Rng};

/// One load segment (scenario `load[i]`); rates in work items per second,
/// times in seconds from the start.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// `{constant: rate}`.
    Constant(f64),
    /// `{step: {at, rate}}`: adds `rate` from `at` on.
    Step {
        /// When.
        at: f64,
        /// How much.
        rate: f64,
    },
    /// `{ramp: {from, to, rate}}`: adds 0 before `from`, rising linearly to
    /// `rate` at `to`, and `rate` after.
    Ramp {
        /// Start.
        from: f64,
        /// End (after `from`).
        to: f64,
        /// The level reached.
        rate: f64,
    },
    /// `{spike: {at, for, rate}}`: adds `rate` during `[at, at + for)`.
    Spike {
        /// Start.
        at: f64,
        /// Length.
        length: f64,
        /// How much.
        rate: f64,
    },
    /// `{diurnal: {mean, amplitude, period, peakAt}}`:
    /// `mean + amplitude·cos(2π(t − peakAt)/period)`.
    Diurnal {
        /// The mean.
        mean: f64,
        /// The amplitude (at most `mean`).
        amplitude: f64,
        /// The period.
        period: f64,
        /// When the curve peaks.
        peak_at: f64,
    },
    /// `{trace: {csv}}`: points `(t, rate)`, linear between them, the first
    /// and last rates held before and after.
    Trace(Vec<(f64, f64)>),
    /// `{noise: {cv, interval}}`: multiplies the sum by a log-normal factor
    /// of mean 1 and coefficient of variation `cv`, drawn anew every
    /// `interval` seconds (every step when absent).
    Noise {
        /// Coefficient of variation.
        cv: f64,
        /// How long one draw holds.
        interval: Option<f64>,
    },
}

/// A rise in the (noise-free) load: from `from` at `at` up to `to`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rise {
    /// When the load starts rising (seconds).
    pub at: f64,
    /// The level before.
    pub from: f64,
    /// The level reached.
    pub to: f64,
}

/// The load over the whole run, one rate per step.
#[derive(Clone, Debug, Default)]
pub struct Curve {
    /// The arrival rate during step `i` (noise included).
    pub rate: Vec<f64>,
    /// The rises of the noise-free curve.
    pub rises: Vec<Rise>,
}

/// Most rises reported; later ones are dropped.
pub const MAX_RISES: usize = 1000;

/// The base (noise-free) rate at `t`; `cursors` keeps each trace's position
/// (times only grow).
fn base_rate(segments: &[Segment], t: f64, cursors: &mut [usize]) -> f64 {
    let mut sum = 0.0;
    for (seg, cursor) in segments.iter().zip(cursors.iter_mut()) {
        sum += match *seg {
            Segment::Constant(r) => r,
            Segment::Step { at, rate } => {
                if t >= at {
                    rate
                } else {
                    0.0
                }
            }
            Segment::Ramp { from, to, rate } => {
                if t <= from {
                    0.0
                } else if t >= to {
                    rate
                } else {
                    rate * (t - from) / (to - from)
                }
            }
            Segment::Spike { at, length, rate } => {
                if t >= at && t < at + length {
                    rate
                } else {
                    0.0
                }
            }
            Segment::Diurnal {
                mean,
                amplitude,
                period,
                peak_at,
            } => {
                let phase = (t - peak_at) / period;
                let phase = phase - libm::floor(phase);
                (mean + amplitude * libm::cos(core::f64::consts::TAU * phase)).max(0.0)
            }
            Segment::Trace(ref points) => trace_rate(points, t, cursor),
            Segment::Noise { .. } => 0.0,
        };
    }
    sum
}

fn trace_rate(points: &[(f64, f64)], t: f64, cursor: &mut usize) -> f64 {
    let Some(&(t0, r0)) = points.first() else {
        return 0.0;
    };
    if t <= t0 {
        return r0;
    }
    while *cursor + 1 < points.len() && points[*cursor + 1].0 <= t {
        *cursor += 1;
    }
    let (ta, ra) = points[*cursor];
    match points.get(*cursor + 1) {
        None => ra,
        Some(&(tb, rb)) => ra + (rb - ra) * (t - ta) / (tb - ta),
    }
}

struct Noise {
    table: QuantileTable,
    rng: Rng,
    /// Steps one draw holds.
    hold: usize,
    current: f64,
}

/// Computes the curve for `steps` steps of `dt` seconds.
pub fn generate(segments: &[Segment], steps: usize, dt: f64, seed: u64) -> Curve {
    let mut cursors = alloc::vec![0usize; segments.len()];
    let mut noises: Vec<Noise> = segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match *s {
            Segment::Noise { cv, interval } => {
                let sigma2 = libm::log(1.0 + cv * cv);
                let sigma = libm::sqrt(sigma2);
                let hold = interval
                    .map(|iv| libm::round(iv / dt).max(1.0) as usize)
                    .unwrap_or(1);
                Some(Noise {
                    table: QuantileTable::normal_mapped(|z| libm::exp(sigma * z - sigma2 / 2.0)),
                    rng: Rng::new(seed ^ (0xA076_1D64_78BD_642F_u64.wrapping_mul(i as u64 + 1))),
                    hold,
                    current: 1.0,
                })
            }
            _ => None,
        })
        .collect();
    let mut rate = Vec::with_capacity(steps);
    let mut rises = RiseFinder::default();
    let mut peak = 0.0f64;
    for i in 0..steps {
        let t = i as f64 * dt;
        let base = base_rate(segments, t, &mut cursors);
        let mut factor = 1.0;
        for n in &mut noises {
            if i % n.hold == 0 {
                n.current = n.table.draw(&mut n.rng);
            }
            factor *= n.current;
        }
        rate.push(base * factor);
        peak = peak.max(base);
        rises.feed(t, base);
    }
    rises.finish();
    let min_rise = 0.01 * peak;
    let found = rises
        .found
        .into_iter()
        .filter(|r| {
            let delta = r.to - r.from;
            delta > 0.0 && delta >= 0.1 * r.from && delta >= min_rise
        })
        .take(MAX_RISES)
        .collect();
    Curve { rate, rises: found }
}

/// Finds maximal runs of strict increases.
#[derive(Default)]
struct RiseFinder {
    prev: Option<f64>,
    /// Start time and level of the current run.
    run: Option<(f64, f64)>,
    found: Vec<Rise>,
}

impl RiseFinder {
    fn feed(&mut self, t: f64, b: f64) {
        if let Some(prev) = self.prev {
            let eps = 1e-9 * prev.abs().max(1.0);
            if b > prev + eps {
                if self.run.is_none() {
                    self.run = Some((t, prev));
                }
            } else {
                self.close(prev);
            }
        }
        self.prev = Some(b);
    }

    fn close(&mut self, level: f64) {
        if let Some((at, from)) = self.run.take() {
            if self.found.len() < 4 * MAX_RISES {
                self.found.push(Rise {
                    at,
                    from,
                    to: level,
                });
            }
        }
    }

    fn finish(&mut self) {
        if let Some(prev) = self.prev {
            self.close(prev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(segments: &[Segment], steps: usize, dt: f64) -> Vec<f64> {
        generate(segments, steps, dt, 0).rate
    }

    #[test]
    fn segments_add_up() {
        let r = rates(
            &[
                Segment::Constant(10.0),
                Segment::Step { at: 5.0, rate: 5.0 },
                Segment::Ramp {
                    from: 10.0,
                    to: 20.0,
                    rate: 100.0,
                },
                Segment::Spike {
                    at: 30.0,
                    length: 2.0,
                    rate: 50.0,
                },
            ],
            40,
            1.0,
        );
        assert_eq!(r[0], 10.0);
        assert_eq!(r[5], 15.0);
        assert_eq!(r[15], 65.0);
        assert_eq!(r[25], 115.0);
        assert_eq!(r[30], 165.0);
        assert_eq!(r[31], 165.0);
        assert_eq!(r[32], 115.0);
    }

    #[test]
    fn diurnal_peaks_at_peak_time() {
        let r = rates(
            &[Segment::Diurnal {
                mean: 50.0,
                amplitude: 40.0,
                period: 100.0,
                peak_at: 25.0,
            }],
            100,
            1.0,
        );
        assert!((r[25] - 90.0).abs() < 1e-9);
        assert!((r[75] - 10.0).abs() < 1e-9);
    }

    #[test]
    fn traces_interpolate_and_hold() {
        let r = rates(
            &[Segment::Trace(alloc::vec![(10.0, 10.0), (20.0, 30.0)])],
            30,
            1.0,
        );
        assert_eq!(r[0], 10.0);
        assert_eq!(r[15], 20.0);
        assert_eq!(r[25], 30.0);
    }

    #[test]
    fn noise_is_seeded_and_has_mean_one() {
        let segs = [
            Segment::Constant(100.0),
            Segment::Noise {
                cv: 0.2,
                interval: None,
            },
        ];
        let a = generate(&segs, 50_000, 1.0, 42).rate;
        let b = generate(&segs, 50_000, 1.0, 42).rate;
        let c = generate(&segs, 50_000, 1.0, 43).rate;
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        let var = a.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / a.len() as f64;
        assert!((mean - 100.0).abs() < 0.5, "mean {mean}");
        assert!((libm::sqrt(var) / mean - 0.2).abs() < 0.01, "cv");
        assert!(a.iter().all(|x| *x > 0.0));
    }

    #[test]
    fn noise_interval_holds_draws() {
        let segs = [
            Segment::Constant(100.0),
            Segment::Noise {
                cv: 0.2,
                interval: Some(10.0),
            },
        ];
        let a = generate(&segs, 30, 1.0, 1).rate;
        assert!(a[0..10].iter().all(|x| *x == a[0]));
        assert_ne!(a[9], a[10]);
    }

    #[test]
    fn rises_are_found() {
        let c = generate(
            &[
                Segment::Constant(20.0),
                Segment::Step {
                    at: 100.0,
                    rate: 60.0,
                },
                Segment::Ramp {
                    from: 200.0,
                    to: 300.0,
                    rate: 100.0,
                },
                Segment::Spike {
                    at: 400.0,
                    length: 10.0,
                    rate: 400.0,
                },
            ],
            500,
            1.0,
            0,
        );
        assert_eq!(c.rises.len(), 3, "{:?}", c.rises);
        assert_eq!(
            c.rises[0],
            Rise {
                at: 100.0,
                from: 20.0,
                to: 80.0
            }
        );
        assert_eq!(c.rises[1].at, 201.0);
        assert_eq!(c.rises[1].to, 180.0);
        assert_eq!(c.rises[2].from, 180.0);
        assert_eq!(c.rises[2].to, 580.0);
    }
}
