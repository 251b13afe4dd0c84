//! Numbers and times as the page shows them.

/// A compact number for axes and tables: `950`, `1.2k`, `3.4M`, `0.25`.
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let (x, unit) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let ax = x.abs();
    let digits = if ax == ax.trunc() || ax >= 100.0 {
        0
    } else if ax >= 10.0 {
        1
    } else if ax >= 0.1 {
        2
    } else {
        3
    };
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    format!("{s}{unit}")
}

/// A time on the axis: `h:mm` for runs of an hour or more, `m:ss` below.
pub fn clock(t: f64, duration: f64) -> String {
    let s = t.max(0.0).round() as i64;
    if duration >= 3600.0 {
        format!("{}:{:02}", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A time of the run in full: `1:05:30`.
pub fn clock_full(t: f64) -> String {
    let s = t.max(0.0).round() as i64;
    format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

/// Seconds in a short unit: `250ms`, `1.5s`, `12m`, `2h`.
pub fn seconds_short(s: f64) -> String {
    if !s.is_finite() {
        return "–".into();
    }
    if s == 0.0 {
        return "0".into();
    }
    if s < 1.0 {
        return format!("{}ms", short(s * 1000.0));
    }
    if s < 120.0 {
        return format!("{}s", short(s));
    }
    if s < 7200.0 {
        return format!("{}m", short(s / 60.0));
    }
    format!("{}h", short(s / 3600.0))
}

/// A span for people: `45s`, `18m 21s`, `2h 5m`.
pub fn span(s: f64) -> String {
    if !s.is_finite() {
        return "–".into();
    }
    if s <= 0.0 {
        return "0s".into();
    }
    if s < 1.0 {
        return seconds_short(s);
    }
    let n = s.round() as i64;
    match n {
        0..=119 => format!("{n}s"),
        120..=3599 => {
            if n % 60 == 0 {
                format!("{}m", n / 60)
            } else {
                format!("{}m {}s", n / 60, n % 60)
            }
        }
        _ => {
            if (n % 3600) / 60 == 0 {
                format!("{}h", n / 3600)
            } else {
                format!("{}h {}m", n / 3600, (n % 3600) / 60)
            }
        }
    }
}

/// Money with two decimals and its currency.
pub fn money(v: f64, currency: &str) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let cur = if currency.is_empty() { "" } else { currency };
    format!("{v:.2} {cur}").trim_end().to_owned()
}

/// A count with thousands separators: `12,345`.
pub fn count(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(short(950.0), "950");
        assert_eq!(short(12_345.0), "12.3k");
        assert_eq!(short(0.25), "0.25");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(clock(5400.0, 21_600.0), "1:30");
        assert_eq!(clock(330.0, 600.0), "5:30");
        assert_eq!(clock_full(3930.0), "1:05:30");
        assert_eq!(seconds_short(0.25), "250ms");
        assert_eq!(seconds_short(1800.0), "30m");
        assert_eq!(span(1101.0), "18m 21s");
        assert_eq!(count(12_345.4), "12,345");
    }
}
