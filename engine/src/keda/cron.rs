//! KEDA's `cron` trigger: is `now` inside the window?
//!
//! Mirrors kedacore/keda `pkg/scalers/cron_scaler.go` (`cronMetadata.Validate`,
//! `GetMetricsAndActivity`) and the schedule parser it uses, robfig/cron v3.0.1
//! (`parser.go`: `Parser.Parse` with `Minute | Hour | Dom | Month | Dow`,
//! `getField`, `getRange`; `spec.go`: `SpecSchedule.Next`, `dayMatches`), with
//! Go's `time.Date` normalisation and zone lookup. The crates.io cron parsers
//! need `std`; this one is `no_std`.
//!
//! What KEDA decides, reproduced as it is:
//! - The window test compares the *next* start and end after `now`: inside
//!   when the next start is not before the next end. So a window is
//!   `[start, end)` to the second, spans midnight naturally, and with
//!   schedules that fire at the same instant counts as inside.
//! - A schedule that does not fire within five years (`0 0 30 2 *`) has
//!   `Next` = Go's zero time, which is before every instant: a start that never
//!   fires makes every instant before the next end "inside"; an end that
//!   never fires makes the window never inside.
//! - Civil times that do not exist (a DST gap) or exist twice (a fold) are
//!   resolved as Go's `time.Date` resolves them: the offset in force at the
//!   civil time read as UTC, corrected once.
//! - `timezone` is loaded at every poll (`time.LoadLocation`): an unknown name
//!   is the trigger's error at run time, not a validation error. Names are
//!   case-sensitive, as on Linux.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A parsed schedule (`SpecSchedule`), the seconds field fixed at 0.
#[derive(Clone, Debug)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// `CRON_TZ=`/`TZ=` prefix: the schedule's own zone.
    zone: Option<TimeZone>,
}

/// Set when a field was written `*` or `?` (robfig's `starBit`).
const STAR: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Loads an IANA zone as Go's `time.LoadLocation` does: `UTC` (and the
/// empty name) is UTC, other names are case-sensitive database entries;
/// `Local` (the KEDA operator's own zone) cannot be known here.
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    if name.is_empty() || name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    if name == "Local" {
        return Err(
            "timezone Local is the KEDA operator's own zone, which replicast cannot know".into(),
        );
    }
    match jiff::tz::db().get(name) {
        Ok(tz) if tz.iana_name() == Some(name) => Ok(tz),
        _ => Err(format!("unknown time zone {name}")),
    }
}

/// Go's `strconv.Atoi` (sign allowed) then robfig's non-negative check.
fn parse_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let n: Option<i64> = if ok { expr.parse().ok() } else { None };
    match n {
        None => Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: {}",
            if ok {
                "value out of range"
            } else {
                "invalid syntax"
            }
        )),
        Some(n) if n < 0 => Err(format!("negative number ({n}) not allowed: {expr}")),
        Some(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
    }
}

fn parse_int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    match b.names.iter().find(|(n, _)| *n == lower) {
        Some((_, v)) => Ok(*v),
        None => parse_int(expr),
    }
}

fn bits(min: u32, max: u32, step: u32) -> u64 {
    let mut out = 0u64;
    let mut i = min;
    while i <= max {
        out |= 1 << i;
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    out
}

/// `getRange`: `number | number "-" number [ "/" number ]`, `*`, `?`.
fn range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = b.min;
        end = b.max;
        extra = STAR;
    } else {
        start = parse_int_or_name(low_and_high[0], b)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

/// `getField`: a comma-separated list of ranges (empty items skipped).
fn field(text: &str, b: &Bounds) -> Result<u64, String> {
    let mut out = 0;
    for expr in text.split(',').filter(|s| !s.is_empty()) {
        out |= range(expr, b)?;
    }
    Ok(out)
}

/// `Parser.Parse` with `Minute | Hour | Dom | Month | Dow` (KEDA's options:
/// no seconds field, no descriptors).
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    let mut zone = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let eq = spec.find('=').unwrap_or(0);
        let Some(space) = spec.find(' ') else {
            return Err(format!(
                "provided bad location {}: no schedule after it",
                &spec[eq + 1..]
            ));
        };
        let name = &spec[eq + 1..space];
        zone = Some(load_location(name).map_err(|e| format!("provided bad location {name}: {e}"))?);
        spec = spec[space..].trim();
    }
    if spec.starts_with('@') {
        return Err(format!("parser does not accept descriptors: {spec}"));
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule {
        minute: field(fields[0], &MINUTES)?,
        hour: field(fields[1], &HOURS)?,
        dom: field(fields[2], &DOM)?,
        month: field(fields[3], &MONTHS)?,
        dow: field(fields[4], &DOW)?,
        zone,
    })
}

/// Civil fields of an instant in a zone.
#[derive(Clone, Copy, Debug)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: u32,
}

fn offset(tz: &TimeZone, secs: i64) -> i64 {
    match Timestamp::from_second(secs) {
        Ok(ts) => i64::from(tz.to_offset(ts).seconds()),
        Err(_) => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(tz: &TimeZone, secs: i64) -> Civil {
    let local = secs + offset(tz, secs);
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
        // 1970-01-01 was a Thursday (4).
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// Go's `time.Date(year, month, day, hour, min, sec, 0, loc)`: out-of-range
/// months and days roll over; the offset is the one in force at the civil
/// time read as UTC, looked up once more at the instant that gives.
fn go_date(tz: &TimeZone, year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> i64 {
    let m0 = month - 1;
    let year = year + m0.div_euclid(12);
    let month = (m0.rem_euclid(12) + 1) as u32;
    let days = days_from_civil(year, month, 1) + day - 1;
    let unix = days * 86_400 + hour * 3600 + min * 60 + sec;
    let first = offset(tz, unix);
    unix - offset(tz, unix - first)
}

/// Go's `t.AddDate(0, months, days)`: civil arithmetic in `t`'s zone.
fn add_date(tz: &TimeZone, secs: i64, months: i64, days: i64) -> i64 {
    let c = civil(tz, secs);
    go_date(
        tz,
        c.year,
        i64::from(c.month) + months,
        i64::from(c.day) + days,
        i64::from(c.hour),
        i64::from(c.minute),
        i64::from(c.second),
    )
}

impl Schedule {
    fn day_matches(&self, c: &Civil) -> bool {
        let dom = self.dom & (1 << c.day) != 0;
        let dow = self.dow & (1 << c.weekday) != 0;
        if self.dom & STAR != 0 || self.dow & STAR != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// `SpecSchedule.Next`: the first whole second strictly after `now_ns`
    /// (Unix nanoseconds) that the schedule matches, in `loc` (or the
    /// schedule's own zone); `None` for Go's zero time (nothing within five
    /// years).
    pub fn next(&self, now_ns: i128, loc: &TimeZone) -> Option<i64> {
        let tz = self.zone.as_ref().unwrap_or(loc);
        // The upcoming second.
        let secs = i64::try_from(now_ns.div_euclid(1_000_000_000)).ok()?;
        let mut t = secs.checked_add(1)?;
        let mut added = false;
        let year_limit = civil(tz, t).year + 5;
        'wrap: loop {
            if civil(tz, t).year > year_limit {
                return None;
            }
            while self.month & (1 << civil(tz, t).month) == 0 {
                if !added {
                    added = true;
                    let c = civil(tz, t);
                    t = go_date(tz, c.year, i64::from(c.month), 1, 0, 0, 0);
                }
                t = add_date(tz, t, 1, 0);
                if civil(tz, t).month == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&civil(tz, t)) {
                if !added {
                    added = true;
                    let c = civil(tz, t);
                    t = go_date(tz, c.year, i64::from(c.month), i64::from(c.day), 0, 0, 0);
                }
                t = add_date(tz, t, 0, 1);
                // Midnight moved by DST: back to it.
                let h = i64::from(civil(tz, t).hour);
                if h != 0 {
                    t += if h > 12 { (24 - h) * 3600 } else { -h * 3600 };
                }
                if civil(tz, t).day == 1 {
                    continue 'wrap;
                }
            }
            while self.hour & (1 << civil(tz, t).hour) == 0 {
                if !added {
                    added = true;
                    let c = civil(tz, t);
                    t = go_date(
                        tz,
                        c.year,
                        i64::from(c.month),
                        i64::from(c.day),
                        i64::from(c.hour),
                        0,
                        0,
                    );
                }
                t += 3600;
                if civil(tz, t).hour == 0 {
                    continue 'wrap;
                }
            }
            while self.minute & (1 << civil(tz, t).minute) == 0 {
                if !added {
                    added = true;
                    t = t.div_euclid(60) * 60;
                }
                t += 60;
                if civil(tz, t).minute == 0 {
                    continue 'wrap;
                }
            }
            // Seconds: the field is 0.
            while civil(tz, t).second != 0 {
                if !added {
                    added = true;
                }
                t += 1;
                if civil(tz, t).second == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }
}

/// A cron trigger's schedule, read as `cronMetadata.Validate` reads it.
#[derive(Clone, Debug)]
pub struct Window {
    /// `start`.
    pub start: Schedule,
    /// `end`.
    pub end: Schedule,
    /// `timezone`, as written (loaded at each evaluation, as KEDA does).
    pub timezone: String,
    /// `desiredReplicas`.
    pub desired_replicas: i64,
}

impl PartialEq for Window {
    fn eq(&self, other: &Self) -> bool {
        self.timezone == other.timezone && self.desired_replicas == other.desired_replicas
    }
}

impl Window {
    /// `cronMetadata.Validate`: both schedules parse, differ, and
    /// `desiredReplicas` is not 0.
    pub fn new(start: &str, end: &str, timezone: &str, desired: i64) -> Result<Window, String> {
        let s = parse(start).map_err(|e| format!("error parsing start schedule: {e}"))?;
        let e = parse(end).map_err(|e| format!("error parsing end schedule: {e}"))?;
        if start == end {
            return Err("start and end can not have exactly same time input".into());
        }
        if desired == 0 {
            return Err("no desiredReplicas specified".into());
        }
        Ok(Window {
            start: s,
            end: e,
            timezone: timezone.to_string(),
            desired_replicas: desired,
        })
    }

    /// `GetMetricsAndActivity` at `now_ns` (Unix nanoseconds): whether the
    /// instant is inside the window, or the timezone's load error.
    pub fn inside(&self, now_ns: i128) -> Result<bool, String> {
        let tz =
            load_location(&self.timezone).map_err(|e| format!("unable to load timezone: {e}"))?;
        let now_s = now_ns.div_euclid(1_000_000_000);
        let now_frac = now_ns.rem_euclid(1_000_000_000);
        // `a.Before(b)` with Go's zero time (None) before everything.
        let before = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (None, Some(_)) => true,
            (Some(a), Some(b)) => a < b,
            _ => false,
        };
        // now.After(t) / now.Before(t), `t` a whole second.
        let now_after = |t: Option<i64>| match t {
            None => true,
            Some(t) => now_s > i128::from(t) || (now_s == i128::from(t) && now_frac > 0),
        };
        let now_before = |t: Option<i64>| t.is_some_and(|t| now_s < i128::from(t));
        let next_start = self.start.next(now_ns, &tz);
        let next_end = self.end.next(now_ns, &tz);
        Ok(if before(next_start, next_end) {
            now_after(next_start) && now_before(next_end)
        } else {
            now_after(next_start) || now_before(next_end)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(text: &str) -> i128 {
        let ts: Timestamp = text.parse().unwrap();
        i128::from(ts.as_second()) * 1_000_000_000
    }

    fn next(spec: &str, tz: &str, at: &str) -> Option<String> {
        let tz = load_location(tz).unwrap();
        parse(spec)
            .unwrap()
            .next(unix(at), &tz)
            .map(|s| Timestamp::from_second(s).unwrap().to_string())
    }

    #[test]
    fn fields_ranges_steps_lists_and_names() {
        let s = parse("*/15 8-18/2 1,15 JAN-mar mon-FRI").unwrap();
        assert_eq!(s.minute, bits(0, 59, 15));
        assert_eq!(s.hour, bits(8, 18, 2));
        assert_eq!(s.dom, (1 << 1) | (1 << 15));
        assert_eq!(s.month, bits(1, 3, 1));
        assert_eq!(s.dow, bits(1, 5, 1));
        assert_eq!(parse("* * ? * *").unwrap().dom, bits(1, 31, 1) | STAR);
        assert_eq!(parse("5/20 * * * *").unwrap().minute, bits(5, 59, 20));
    }

    #[test]
    fn robfig_refusals() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(err("@daily"), "parser does not accept descriptors: @daily");
        assert_eq!(
            err("0 8 * *"),
            "expected exactly 5 fields, found 4: [0 8 * *]"
        );
        assert_eq!(
            err("60 * * * *"),
            "end of range (60) above maximum (59): 60"
        );
        assert_eq!(
            err("* * 0 * *"),
            "beginning of range (0) below minimum (1): 0"
        );
        assert_eq!(
            err("* 5-2 * * *"),
            "beginning of range (5) beyond end of range (2): 5-2"
        );
        assert_eq!(
            err("*/0 * * * *"),
            "step of range should be a positive number: */0"
        );
        assert_eq!(err("1-2-3 * * * *"), "too many hyphens: 1-2-3");
        assert_eq!(err("* * * * 7"), "end of range (7) above maximum (6): 7");
        assert!(err("x * * * *").starts_with("failed to parse int from x"));
    }

    #[test]
    fn next_is_strictly_after_and_whole_seconds() {
        assert_eq!(
            next("0 8 * * *", "UTC", "2026-12-01T08:00:00Z").as_deref(),
            Some("2026-12-02T08:00:00Z")
        );
        assert_eq!(
            next("0 8 * * *", "UTC", "2026-12-01T07:59:59.5Z").as_deref(),
            Some("2026-12-01T08:00:00Z")
        );
    }

    #[test]
    fn day_of_month_or_day_of_week() {
        // Neither starred: either matches (the 13th, or a Friday).
        // 2026-02-01 is a Sunday; the first Friday is 2026-02-06.
        assert_eq!(
            next("0 0 13 * 5", "UTC", "2026-02-01T00:00:00Z").as_deref(),
            Some("2026-02-06T00:00:00Z")
        );
        // One starred: both must match.
        assert_eq!(
            next("0 0 * * 5", "UTC", "2026-02-01T00:00:00Z").as_deref(),
            Some("2026-02-06T00:00:00Z")
        );
        assert_eq!(
            next("0 0 13 * *", "UTC", "2026-02-01T00:00:00Z").as_deref(),
            Some("2026-02-13T00:00:00Z")
        );
    }

    #[test]
    fn never_fires_is_go_zero_time() {
        assert_eq!(next("0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z"), None);
    }

    #[test]
    fn dst_gap_and_fold_in_berlin() {
        // 2026-03-29: 02:00 CET -> 03:00 CEST; 02:30 does not exist. The
        // hour loop steps by absolute hours, 01:00 CET to 03:00 CEST, and
        // meets 2 o'clock only the next day.
        assert_eq!(
            next("30 2 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z").as_deref(),
            Some("2026-03-30T00:30:00Z")
        );
        // 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens twice; the hour
        // loop steps by absolute hours and meets the first (00:30Z).
        assert_eq!(
            next("30 2 * * *", "Europe/Berlin", "2026-10-25T00:00:00Z").as_deref(),
            Some("2026-10-25T00:30:00Z")
        );
        // 08:00 Berlin is 07:00Z in winter, 06:00Z in summer.
        assert_eq!(
            next("0 8 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z").as_deref(),
            Some("2026-03-29T06:00:00Z")
        );
    }

    #[test]
    fn window_inside_outside_and_across_midnight() {
        let w = Window::new("0 8 * * *", "0 18 * * *", "UTC", 4).unwrap();
        assert!(w.inside(unix("2026-12-01T08:00:00Z")).unwrap());
        assert!(w.inside(unix("2026-12-01T17:59:59Z")).unwrap());
        assert!(!w.inside(unix("2026-12-01T18:00:00Z")).unwrap());
        assert!(!w.inside(unix("2026-12-01T07:59:59Z")).unwrap());
        let night = Window::new("0 22 * * *", "0 6 * * *", "UTC", 2).unwrap();
        assert!(night.inside(unix("2026-12-01T23:00:00Z")).unwrap());
        assert!(night.inside(unix("2026-12-02T05:00:00Z")).unwrap());
        assert!(!night.inside(unix("2026-12-02T12:00:00Z")).unwrap());
        // A start that never fires: inside until the next end, always.
        let never = Window::new("0 0 30 2 *", "0 6 * * *", "UTC", 2).unwrap();
        assert!(never.inside(unix("2026-12-02T12:00:00Z")).unwrap());
        // An end that never fires: never inside.
        let stuck = Window::new("0 6 * * *", "0 0 30 2 *", "UTC", 2).unwrap();
        assert!(!stuck.inside(unix("2026-12-02T12:00:00Z")).unwrap());
    }

    #[test]
    fn validation_and_zones() {
        assert_eq!(
            Window::new("0 8 * * *", "0 8 * * *", "UTC", 1).unwrap_err(),
            "start and end can not have exactly same time input"
        );
        assert_eq!(
            Window::new("0 8 * * *", "0 9 * * *", "UTC", 0).unwrap_err(),
            "no desiredReplicas specified"
        );
        let w = Window::new("0 8 * * *", "0 9 * * *", "europe/berlin", 1).unwrap();
        assert_eq!(
            w.inside(0).unwrap_err(),
            "unable to load timezone: unknown time zone europe/berlin"
        );
    }
}
