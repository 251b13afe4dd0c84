//! How the scenario reader writes numbers in messages and assumptions:
//! durations in their largest whole unit, rates rounded.

use alloc::format;
use alloc::string::String;

/// `x` to two significant digits (`1234` → `1200`, `0.456` → `0.46`).
pub(crate) fn round2(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 0.0;
    }
    let e = libm::floor(libm::log10(x)) - 1.0;
    if e >= 0.0 {
        let mag = libm::pow(10.0, e);
        libm::round(x / mag) * mag
    } else {
        // Divide by an exact power of ten, so 0.46 prints as 0.46.
        let inv = libm::pow(10.0, -e);
        libm::round(x * inv) / inv
    }
}

/// A rate as the default load's text writes it (no float noise).
pub(crate) fn rate_text(x: f64) -> String {
    format!("{}", libm::round(x * 1e6) / 1e6)
}

/// `1d`, `6h`, `90s`.
pub(crate) fn secs_text(s: f64) -> String {
    let whole = libm::round(s);
    if (s - whole).abs() > 1e-9 {
        return format!("{s}s");
    }
    let n = whole as i64;
    for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] {
        if n != 0 && n % size == 0 {
            return format!("{}{unit}", n / size);
        }
    }
    format!("{n}s")
}
