//! Go's readers of the strings Knative parses: `strconv.ParseFloat`,
//! `strconv.ParseInt(s, 10, 32)`, `strconv.ParseBool` and
//! `time.ParseDuration`, as knative.dev/pkg `configmap` (`AsFloat64`,
//! `AsInt32`, `AsBool`, `AsDuration`) and the revision's annotation getters
//! (`pa_lifecycle.go`: `annotationFloat64`, `annotationInt32`,
//! `annotationDuration`) call them. Where Go accepts a spelling these
//! readers do not (hexadecimal floats), the caller refuses the value with
//! its place: never a different number.

/// Nanoseconds per second.
pub const SECOND: i64 = 1_000_000_000;

/// `strconv.ParseFloat(s, 64)`: decimal and exponent forms, `Inf`,
/// `Infinity`, `NaN` (any case, optional sign). `None` for anything else,
/// hexadecimal floats included (Go reads them; they are refused here).
pub fn parse_float(s: &str) -> Option<f64> {
    if s.is_empty() || s.contains('_') || s.contains(['x', 'X']) {
        return None;
    }
    s.parse::<f64>().ok()
}

/// `strconv.ParseInt(s, 10, 32)`: an optional sign and decimal digits,
/// within `int32`.
pub fn parse_int32(s: &str) -> Option<i32> {
    s.parse::<i32>().ok()
}

/// `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `time.ParseDuration`, in nanoseconds: an optional sign, then one or
/// more decimal numbers with a unit (`ns`, `us`, `µs`, `μs`, `ms`, `s`,
/// `m`, `h`), or `0`. Fractions are truncated to the nanosecond as Go does.
pub fn parse_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let int_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int_part, after) = rest.split_at(int_end);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(f) => {
                let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
                f.split_at(end)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        let scale: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let mut v: u64 = 0;
        for d in int_part.bytes() {
            v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        v = v.checked_mul(scale)?;
        if !frac_part.is_empty() {
            // Go keeps the fraction's leading digits exactly, then scales.
            let mut f: u64 = 0;
            let mut div: f64 = 1.0;
            for d in frac_part.bytes() {
                if f > (u64::MAX - 9) / 10 {
                    break;
                }
                f = f * 10 + u64::from(d - b'0');
                div *= 10.0;
            }
            v = v.checked_add((f as f64 * (scale as f64 / div)) as u64)?;
        }
        total = total.checked_add(v)?;
        rest = next;
    }
    let total = i64::try_from(total).ok()?;
    Some(if neg { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_reads_them() {
        assert_eq!(parse_duration("60s"), Some(60 * SECOND));
        assert_eq!(parse_duration("1m30s"), Some(90 * SECOND));
        assert_eq!(parse_duration("1.5h"), Some(5400 * SECOND));
        assert_eq!(parse_duration("500ms"), Some(SECOND / 2));
        assert_eq!(parse_duration("-2s"), Some(-2 * SECOND));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("60"), None);
        assert_eq!(parse_duration("1d"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("s"), None);
        assert_eq!(parse_duration("9999999999h"), None);
    }

    #[test]
    fn numbers_and_bools() {
        assert_eq!(parse_float("0.7"), Some(0.7));
        assert_eq!(parse_float("1e2"), Some(100.0));
        assert_eq!(parse_float("0x10"), None);
        assert_eq!(parse_int32("+5"), Some(5));
        assert_eq!(parse_int32("2147483648"), None);
        assert_eq!(parse_int32("1.0"), None);
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("yes"), None);
    }
}
