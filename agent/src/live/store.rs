//! Bounded memory: fixed-capacity ring buffers of readings and decisions.
//!
//! The rings are the agent's only growth; each is sized at start from the
//! retention (default 24 h) and its producer's period, so memory is bounded
//! however long the agent runs. A reading point costs 8 bytes (time in
//! tenths of a second since the agent started, and an `f32`): one series
//! polled every second for 24 h is 86 400 points, 675 KiB.

use std::collections::VecDeque;

use serde::ser::SerializeSeq as _;
use serde::{Serialize, Serializer};

/// A first-in, first-out buffer that drops its oldest item when full.
#[derive(Clone, Debug)]
pub struct Ring<T> {
    items: VecDeque<T>,
    capacity: usize,
}

impl<T> Ring<T> {
    /// An empty ring holding at most `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Ring<T> {
        Ring {
            items: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Adds `item`, dropping the oldest when full.
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }

    /// The items, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }

    /// The newest item.
    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The most it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

/// One series' points: times relative to `base` (tenths of a second) and
/// values as `f32`.
#[derive(Clone, Debug)]
pub struct Series {
    base: f64,
    points: Ring<(u32, f32)>,
}

impl Series {
    /// An empty series of at most `capacity` points, times relative to `base`
    /// (Unix seconds).
    pub fn new(base: f64, capacity: usize) -> Series {
        Series {
            base,
            points: Ring::new(capacity),
        }
    }

    /// Adds a point at `t` (Unix seconds).
    pub fn push(&mut self, t: f64, v: f64) {
        let rel = ((t - self.base) * 10.0)
            .round()
            .clamp(0.0, f64::from(u32::MAX));
        self.points.push((rel as u32, v as f32));
    }

    /// The points, oldest first, as `(Unix seconds, value)`.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.points
            .iter()
            .map(|&(t, v)| (self.base + f64::from(t) / 10.0, f64::from(v)))
    }

    /// How many points it holds.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The most it holds.
    pub fn capacity(&self) -> usize {
        self.points.capacity()
    }

    /// The points at or after `since`, as two columns `{t: [...], v: [...]}`.
    pub fn columns(&self, since: f64) -> Columns<'_> {
        Columns {
            series: self,
            since,
        }
    }
}

/// [`Series::columns`]: serializes as `{"t": [...], "v": [...]}`.
pub struct Columns<'a> {
    series: &'a Series,
    since: f64,
}

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        struct Col<'a>(&'a Columns<'a>, bool);
        impl Serialize for Col<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                for (t, v) in self.0.series.points().filter(|(t, _)| *t >= self.0.since) {
                    if self.1 {
                        seq.serialize_element(&((t * 10.0).round() / 10.0))?;
                    } else if v.is_finite() {
                        seq.serialize_element(&v)?;
                    } else {
                        seq.serialize_element(&())?;
                    }
                }
                seq.end()
            }
        }
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("t", &Col(self, true))?;
        map.serialize_entry("v", &Col(self, false))?;
        map.end()
    }
}

/// How many points a producer with `period` needs to cover `retention`
/// (at least 16, at most one per 100 ms).
pub fn capacity_for(retention: f64, period: f64) -> usize {
    let period = period.max(0.1);
    let n = (retention / period).ceil();
    if n.is_finite() {
        (n as usize).saturating_add(1).clamp(16, 10_000_000)
    } else {
        16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_keeps_the_newest() {
        let mut r = Ring::new(3);
        for i in 0..10 {
            r.push(i);
        }
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!((r.len(), r.capacity(), r.last()), (3, 3, Some(&9)));
    }

    #[test]
    fn a_series_is_bounded_and_keeps_times() {
        let mut s = Series::new(1000.0, 4);
        for i in 0..6 {
            s.push(1000.0 + f64::from(i), f64::from(i) * 1.5);
        }
        let pts: Vec<_> = s.points().collect();
        assert_eq!(
            pts,
            [(1002.0, 3.0), (1003.0, 4.5), (1004.0, 6.0), (1005.0, 7.5)]
        );
        let json = serde_json::to_value(s.columns(1004.0)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"t": [1004.0, 1005.0], "v": [6.0, 7.5]})
        );
    }

    #[test]
    fn capacities() {
        assert_eq!(capacity_for(86_400.0, 1.0), 86_401);
        assert_eq!(capacity_for(60.0, 15.0), 16);
        assert_eq!(capacity_for(10.0, 0.0), 101);
    }
}
