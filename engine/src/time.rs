//! Instants and durations on the case's own clock, exact to the nanosecond
//! like Go's `time.Time`: the engine never reads a clock, `now` is an input.

use core::ops::{Add, Sub};

/// An instant: nanoseconds on the case's arbitrary clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(i64);

/// A span of time in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(i64);

const NANOS_PER_SECOND: f64 = 1e9;

/// Reads a duration in seconds: a bare number (`90`, `0.5`), or numbers with
/// units, compound ones too, as Go's `time.ParseDuration` writes them
/// (`500ms`, `15s`, `5m`, `1h30m`, `2m30s`, `1.5h`) plus `d` for days.
/// Units: `ms`, `s`, `m`, `h`, `d`. `None` for anything else (no sign, no
/// spaces inside, no unit without a number). The one duration reader of the
/// engine, the agent's configuration and the playground's inputs.
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return t.parse::<f64>().ok().filter(|n| n.is_finite());
    }
    let mut total = 0.0;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(digits);
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let n: f64 = number.parse().ok()?;
        total += n * match unit {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            _ => return None,
        };
        rest = next;
    }
    total.is_finite().then_some(total)
}

impl Instant {
    /// Go's zero `time.Time`: long before any instant a case names. A pod's
    /// Ready condition without `readySince` transitioned then, as in the
    /// upstream tests.
    pub const ZERO_TIME: Instant = Instant(i64::MIN / 4);

    /// From seconds (fractions allowed), rounded to the nanosecond.
    pub fn from_secs_f64(secs: f64) -> Instant {
        Instant(to_nanos(secs))
    }

    /// Nanoseconds on the case's clock (Unix time where a rule reads the
    /// wall clock).
    pub fn as_nanos(self) -> i64 {
        self.0
    }

    /// Back to seconds.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SECOND
    }

    /// Go's `t.Before(u)`.
    pub fn before(self, other: Instant) -> bool {
        self < other
    }

    /// Go's `t.After(u)`.
    pub fn after(self, other: Instant) -> bool {
        self > other
    }
}

impl Duration {
    /// From whole seconds.
    pub const fn from_secs(secs: i64) -> Duration {
        Duration(secs.saturating_mul(1_000_000_000))
    }

    /// From seconds (fractions allowed), rounded to the nanosecond.
    pub fn from_secs_f64(secs: f64) -> Duration {
        Duration(to_nanos(secs))
    }

    /// In seconds.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SECOND
    }

    /// Whole seconds, truncated (Go's `int32(d.Seconds())`).
    pub fn whole_secs(self) -> i64 {
        self.0 / 1_000_000_000
    }
}

fn to_nanos(secs: f64) -> i64 {
    let nanos = libm::round(secs * NANOS_PER_SECOND);
    // `as` saturates: times beyond ±292 years clamp instead of wrapping.
    nanos as i64
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(d.0))
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, d: Duration) -> Instant {
        Instant(self.0.saturating_sub(d.0))
    }
}

mod serde_impls {
    use super::{Duration, Instant};
    use core::fmt;
    use serde::de::{self, Deserializer, Visitor};
    use serde::{Deserialize, Serialize, Serializer};

    impl Serialize for Instant {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_secs(self.0, s)
        }
    }

    impl Serialize for Duration {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_secs(self.0, s)
        }
    }

    /// Whole seconds print as integers (`1000`, not `1000.0`).
    fn serialize_secs<S: Serializer>(nanos: i64, s: S) -> Result<S::Ok, S::Error> {
        if nanos % 1_000_000_000 == 0 {
            s.serialize_i64(nanos / 1_000_000_000)
        } else {
            s.serialize_f64(nanos as f64 / 1e9)
        }
    }

    struct Seconds {
        units: bool,
    }

    impl Visitor<'_> for Seconds {
        type Value = f64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            if self.units {
                f.write_str(
                    "a duration: seconds, or numbers with units (500ms, 15s, 5m, 1h30m, 1d)",
                )
            } else {
                f.write_str("a time in seconds")
            }
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            if v.is_finite() {
                Ok(v)
            } else {
                Err(E::custom("a time must be a finite number"))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            if !self.units {
                return Err(E::invalid_type(de::Unexpected::Str(v), &self));
            }
            super::parse_duration(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    const LIMIT_SECS: f64 = 9.0e9;

    impl<'de> Deserialize<'de> for Instant {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let secs = d.deserialize_any(Seconds { units: false })?;
            if secs.abs() > LIMIT_SECS {
                return Err(de::Error::custom("a time must lie within ±9e9 seconds"));
            }
            Ok(Instant::from_secs_f64(secs))
        }
    }

    impl<'de> Deserialize<'de> for Duration {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let secs = d.deserialize_any(Seconds { units: true })?;
            if !(0.0..=LIMIT_SECS).contains(&secs) {
                return Err(de::Error::custom(
                    "a duration must be between 0 and 9e9 seconds",
                ));
            }
            Ok(Duration::from_secs_f64(secs))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_simple_and_compound() {
        assert_eq!(parse_duration("90"), Some(90.0));
        assert_eq!(parse_duration("0.5"), Some(0.5));
        assert_eq!(parse_duration("500ms"), Some(0.5));
        assert_eq!(parse_duration("15s"), Some(15.0));
        assert_eq!(parse_duration("5m"), Some(300.0));
        assert_eq!(parse_duration("1h30m"), Some(5400.0));
        assert_eq!(parse_duration("2m30s"), Some(150.0));
        assert_eq!(parse_duration("1.5h"), Some(5400.0));
        assert_eq!(parse_duration("1d2h"), Some(93_600.0));
        assert_eq!(parse_duration(" 1m "), Some(60.0));
        for bad in ["", "m", "1x", "1h 30m", "-1s", "1e3", "inf", "1..5s", "h1"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }
}
