//! `--from`/`--to`: an instant as RFC 3339 (`2026-12-01T08:00:00Z`, an
//! offset required), Unix seconds (`1764576000`), or relative to now
//! (`now`, `-24h`, `now-90m`), as Prometheus' own `start`/`end` take the
//! first two.

/// The instant `text` names, in Unix seconds; `now` is the current time.
pub fn parse_time(text: &str, now: f64) -> Result<f64, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "{text:?} is not a time: RFC 3339 (2026-12-01T08:00:00Z), Unix seconds, `now` or `-24h`"
        )
    };
    if t == "now" {
        return Ok(now);
    }
    if let Some(ago) = t.strip_prefix("now-").or_else(|| t.strip_prefix('-')) {
        return match replicast_engine::time::parse_duration(ago) {
            Some(secs) if secs >= 0.0 => Ok(now - secs),
            _ => Err(bad()),
        };
    }
    if let Ok(secs) = t.parse::<f64>() {
        return if secs.is_finite() && secs.abs() < 6.3e9 {
            Ok(secs)
        } else {
            Err(bad())
        };
    }
    let ts: jiff::Timestamp = t.parse().map_err(|_| bad())?;
    Ok(ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9)
}

/// An instant as RFC 3339 in UTC, whole seconds when it has no fraction.
pub fn rfc3339(secs: f64) -> String {
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round() as i32;
    match jiff::Timestamp::new(whole as i64, nanos.clamp(0, 999_999_999)) {
        Ok(ts) => ts.to_string(),
        Err(_) => format!("{secs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_read() {
        let now = 1_764_576_000.0;
        assert_eq!(parse_time("now", now), Ok(now));
        assert_eq!(parse_time("-24h", now), Ok(now - 86_400.0));
        assert_eq!(parse_time("now-1h30m", now), Ok(now - 5_400.0));
        assert_eq!(parse_time("1764489600", now), Ok(1_764_489_600.0));
        assert_eq!(parse_time("1764489600.5", now), Ok(1_764_489_600.5));
        assert_eq!(parse_time("2025-12-01T08:00:00Z", now), Ok(1_764_576_000.0));
        assert_eq!(
            parse_time("2025-12-01T09:00:00+01:00", now),
            Ok(1_764_576_000.0)
        );
        for bad in ["yesterday", "2025-12-01T08:00:00", "-x", "1e99", ""] {
            let e = parse_time(bad, now).unwrap_err();
            assert!(e.contains("is not a time"), "{bad}: {e}");
        }
    }

    #[test]
    fn instants_print_as_rfc3339() {
        assert_eq!(rfc3339(1_764_576_000.0), "2025-12-01T08:00:00Z");
        assert_eq!(rfc3339(1_764_576_000.5), "2025-12-01T08:00:00.5Z");
    }
}
