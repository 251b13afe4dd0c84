//! Kubernetes resource quantities (`500m`, `4Gi`, `1.5k`, `2e3`).
//!
//! Mirrors `k8s.io/apimachinery/pkg/api/resource/quantity.go`: `ParseQuantity`
//! (the grammar and suffixes), `Quantity.MilliValue` (milli-value rounded
//! up, the integer the HPA controller computes with), `CanonicalizeBytes` /
//! `String` (the canonical text) and `AsApproximateFloat64`.
//!
//! A quantity is held exactly as an integer number of nano-units (10^-9), the
//! finest precision Kubernetes keeps: like `ParseQuantity`, finer input is
//! rounded up to the next nano-unit, and a DecimalSI or BinarySI amount that
//! takes its arbitrary-precision path is capped at `MaxInt64` units. Amounts
//! beyond what an `i128` of nano-units holds (about 10^29 units) are refused.
//! `milli_value` and `value` saturate at the `i64` range where upstream's
//! results depend on its internal representation (ARCHITECTURE.md, "Hostile
//! numbers").

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

const NANO: i128 = 1_000_000_000;

/// How a quantity is written (`resource.Format`): decimal SI suffixes
/// (`k`, `M`, `m`), binary suffixes (`Ki`, `Mi`) or a decimal exponent (`e3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// `DecimalSI`: `n u m "" k M G T P E`.
    #[default]
    DecimalSi,
    /// `BinarySI`: `Ki Mi Gi Ti Pi Ei`.
    BinarySi,
    /// `DecimalExponent`: `1e3`.
    DecimalExponent,
}

/// A Kubernetes quantity, exact to the nano-unit.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quantity {
    nano: i128,
    format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nano == other.nano
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.nano.cmp(&other.nano)
    }
}

/// Why a text is not a quantity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError {
    /// The text that failed.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "quantity {:?} is invalid: {} (quantities look like 500m, 2, 1.5k, 4Gi or 2e3)",
            self.input, self.reason
        )
    }
}

impl core::error::Error for QuantityError {}

impl Quantity {
    /// `resource.NewMilliQuantity(milli, format)`.
    pub fn from_milli(milli: i64, format: Format) -> Self {
        Quantity {
            nano: i128::from(milli) * 1_000_000,
            format,
        }
    }

    /// `resource.NewQuantity(value, DecimalSI)`.
    pub fn from_int(value: i64) -> Self {
        Quantity {
            nano: i128::from(value) * NANO,
            format: Format::DecimalSi,
        }
    }

    /// `Quantity.MilliValue()`: the value times 1000, rounded up; saturates at
    /// the `i64` range (upstream gives 0 or wrapped bits there).
    pub fn milli_value(&self) -> i64 {
        let milli = ceil_div(self.nano, 1_000_000);
        milli.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `Quantity.Value()`: the value rounded up to an integer.
    pub fn value(&self) -> i64 {
        ceil_div(self.nano, NANO).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// The sign: -1, 0 or 1 (`Quantity.Sign()`).
    pub fn signum(&self) -> i32 {
        self.nano.signum() as i32
    }

    /// The format the quantity was written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// `Quantity.AsApproximateFloat64()`: mantissa times a power of ten, in
    /// float64, as Kubernetes computes it.
    pub fn as_approximate_f64(&self) -> f64 {
        let (mantissa, tens) = strip_tens(self.nano);
        let exponent = tens - 9;
        let base = mantissa as f64;
        if exponent == 0 {
            base
        } else {
            base * go_pow10(exponent)
        }
    }

    /// Parses a quantity (`resource.ParseQuantity`).
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        parse(text).map_err(|reason| QuantityError {
            input: text.to_string(),
            reason,
        })
    }

    /// Reads a number written in YAML/JSON without quotes (`10`, `0.5`).
    pub fn from_f64(value: f64) -> Result<Self, QuantityError> {
        if !value.is_finite() {
            return Err(QuantityError {
                input: format!("{value}"),
                reason: "not a finite number",
            });
        }
        Quantity::parse(&format!("{value}"))
    }
}

/// `math.Pow10` as Go computes it for the exponents a quantity can have.
fn go_pow10(exponent: i32) -> f64 {
    let mut p = 1.0f64;
    for _ in 0..exponent.unsigned_abs() {
        p *= 10.0;
    }
    if exponent < 0 { 1.0 / p } else { p }
}

/// Removes factors of ten: `(mantissa, exponent)` with `m × 10^e = n`.
/// Works in 64 bits when it can (128-bit division is a slow libcall).
fn strip_tens(n: i128) -> (i128, i32) {
    let mut e = 0;
    if let Ok(mut s) = i64::try_from(n) {
        while s != 0 && s % 10 == 0 {
            s /= 10;
            e += 1;
        }
        return (i128::from(s), e);
    }
    let mut m = n;
    while m != 0 && m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    (m, e)
}

fn ceil_div(a: i128, b: i128) -> i128 {
    if let (Ok(a), Ok(b)) = (i64::try_from(a), i64::try_from(b)) {
        let q = a / b;
        return i128::from(if a % b != 0 && (a > 0) == (b > 0) {
            q + 1
        } else {
            q
        });
    }
    let q = a / b;
    if a % b != 0 && (a > 0) == (b > 0) {
        q + 1
    } else {
        q
    }
}

fn parse(text: &str) -> Result<Quantity, &'static str> {
    if text.is_empty() {
        return Err("it is empty");
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes[0] {
        b'-' => {
            i = 1;
            true
        }
        b'+' => {
            i = 1;
            false
        }
        _ => false,
    };
    let digits_start = i;
    let mut seen_dot = false;
    let mut digits = 0usize;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
        if bytes[i] == b'.' {
            if seen_dot {
                return Err("it has more than one decimal point");
            }
            seen_dot = true;
        } else {
            digits += 1;
        }
        i += 1;
    }
    if digits == 0 {
        return Err("it has no digits");
    }
    let number = &text[digits_start..i];
    let suffix = &text[i..];
    let (exp10, exp2, format) = parse_suffix(suffix)?;
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    let capped = format != Format::DecimalExponent && slow_path(int_part, frac_part, exp10, exp2);
    let nano = match magnitude(int_part, frac_part, exp10, exp2) {
        Some(n) if capped => n.min(MAX_INT64_NANO),
        Some(n) => n,
        None if capped => MAX_INT64_NANO,
        None => return Err("it is too large"),
    };
    // ParseQuantity rounds the magnitude up (away from zero), then restores
    // the sign.
    Ok(Quantity {
        nano: if negative { -nano } else { nano },
        format,
    })
}

/// `math.MaxInt64` whole units, in nano-units: where `ParseQuantity` caps
/// a DecimalSI or BinarySI amount that took its arbitrary-precision path.
const MAX_INT64_NANO: i128 = i64::MAX as i128 * NANO;

/// Whether `ParseQuantity` leaves its int64 fast path for the
/// arbitrary-precision one (`inf.Dec`), which caps DecimalSI and BinarySI
/// amounts at `MaxInt64` units: a decimal amount with more than 18
/// significant digits (leading zeros of the integer part stripped) or finer
/// than a nano-unit; a binary one with a fraction or with more digits than
/// its suffix leaves room for (`15 - len(num) - exponent*3/10 - 1 < 0`).
fn slow_path(int_part: &str, frac_part: &str, exp10: i32, exp2: u32) -> bool {
    let num = int_part.trim_start_matches('0').len() as i64;
    let denom = frac_part.len() as i64;
    if exp2 > 0 {
        !frac_part.is_empty() || 15 - num - i64::from(exp2) * 3 / 10 - 1 < 0
    } else {
        num + denom > 18 || i64::from(exp10) - denom < -9
    }
}

/// The amount's magnitude in nano-units, rounded up to the next nano-unit
/// as `ParseQuantity` rounds (`inf.RoundUp`); `None` beyond what an `i128`
/// holds (more than about 10^29 units). Fraction digits too fine to reach
/// a nano-unit, even times the binary suffix, only round up.
fn magnitude(int_part: &str, frac_part: &str, exp10: i32, exp2: u32) -> Option<i128> {
    // 10 digits past a nano-unit, plus the binary suffix's decimal digits.
    let keep = 10 + i64::from(exp10) + (i64::from(exp2) * 31 + 99) / 100;
    let keep = usize::try_from(keep).unwrap_or(0).min(frac_part.len());
    let (kept, finer) = frac_part.split_at(keep);
    let mut mantissa: i128 = 0;
    for c in int_part.bytes().chain(kept.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(c - b'0'))?;
    }
    if finer.bytes().any(|c| c != b'0') {
        mantissa = mantissa.checked_add(1)?;
    }
    if mantissa == 0 {
        return Some(0);
    }
    let value = mantissa.checked_mul(1i128 << exp2)?;
    // value × 10^scale nano-units.
    let scale = i64::from(exp10) - keep as i64 + 9;
    let power = |n: i64| u32::try_from(n).ok().and_then(|n| 10i128.checked_pow(n));
    if scale >= 0 {
        value.checked_mul(power(scale)?)
    } else {
        // Below 10^-38 of the value, all of it is below one nano-unit.
        Some(power(-scale).map_or(1, |d| ceil_div(value, d)))
    }
}

/// The suffix: `(power of ten, power of two, format)`.
fn parse_suffix(suffix: &str) -> Result<(i32, u32, Format), &'static str> {
    Ok(match suffix {
        "" => (0, 0, Format::DecimalSi),
        "n" => (-9, 0, Format::DecimalSi),
        "u" => (-6, 0, Format::DecimalSi),
        "m" => (-3, 0, Format::DecimalSi),
        "k" => (3, 0, Format::DecimalSi),
        "M" => (6, 0, Format::DecimalSi),
        "G" => (9, 0, Format::DecimalSi),
        "T" => (12, 0, Format::DecimalSi),
        "P" => (15, 0, Format::DecimalSi),
        "E" => (18, 0, Format::DecimalSi),
        "Ki" => (0, 10, Format::BinarySi),
        "Mi" => (0, 20, Format::BinarySi),
        "Gi" => (0, 30, Format::BinarySi),
        "Ti" => (0, 40, Format::BinarySi),
        "Pi" => (0, 50, Format::BinarySi),
        "Ei" => (0, 60, Format::BinarySi),
        s if s.starts_with(['e', 'E']) => {
            let exp: i32 = s[1..]
                .parse()
                .map_err(|_| "its suffix is not one Kubernetes knows")?;
            (exp, 0, Format::DecimalExponent)
        }
        _ => return Err("its suffix is not one Kubernetes knows"),
    })
}

impl fmt::Display for Quantity {
    /// The canonical form (`Quantity.String()`): `1500m`, `2k`, `4Gi`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nano == 0 {
            return f.write_str("0");
        }
        let mut format = self.format;
        if format == Format::BinarySi && (self.nano.abs() < 1024 * NANO || self.nano % NANO != 0) {
            // Small or fractional binary amounts print as DecimalSI.
            format = Format::DecimalSi;
        }
        if format == Format::BinarySi {
            let mut mantissa = self.nano / NANO;
            let mut exp = 0usize;
            while exp < 6 && mantissa % 1024 == 0 {
                mantissa /= 1024;
                exp += 1;
            }
            const SUFFIX: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            return write!(f, "{}{}", Int(mantissa), SUFFIX[exp]);
        }
        // Remove factors of ten, then bring the exponent down to a multiple of 3.
        let (mut mantissa, tens) = strip_tens(self.nano);
        let mut exp: i32 = tens - 9;
        let adjust = exp.rem_euclid(3);
        for _ in 0..adjust {
            mantissa *= 10;
        }
        exp -= adjust;
        if format == Format::DecimalExponent {
            return if exp == 0 {
                write!(f, "{}", Int(mantissa))
            } else {
                write!(f, "{}e{exp}", Int(mantissa))
            };
        }
        let suffix = match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return write!(f, "{}e{exp}", Int(mantissa)),
        };
        write!(f, "{}{suffix}", Int(mantissa))
    }
}

/// Prints an `i128` through `i64` when it fits (128-bit formatting divides
/// with a slow libcall).
struct Int(i128);

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match i64::try_from(self.0) {
            Ok(v) => fmt::Display::fmt(&v, f),
            Err(_) => fmt::Display::fmt(&self.0, f),
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;
        impl Visitor<'_> for QuantityVisitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as 500m, 2, 1.5k or 4Gi")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity::from_int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity {
                    nano: i128::from(v) * NANO,
                    format: Format::DecimalSi,
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                Quantity::from_f64(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn parses_suffixes_to_milli_values() {
        assert_eq!(q("500m").milli_value(), 500);
        assert_eq!(q("2").milli_value(), 2000);
        assert_eq!(q("1.5k").milli_value(), 1_500_000);
        assert_eq!(q("4Gi").milli_value(), 4 * 1024 * 1024 * 1024 * 1000);
        assert_eq!(q("2e3").milli_value(), 2_000_000);
        assert_eq!(q("2E3").milli_value(), 2_000_000);
        assert_eq!(q("1E").milli_value(), i64::MAX, "10^21 milli saturates");
        assert_eq!(q("-1.5").milli_value(), -1500);
        assert_eq!(q(".5").milli_value(), 500);
    }

    #[test]
    fn milli_value_rounds_up() {
        assert_eq!(q("1n").milli_value(), 1);
        assert_eq!(q("1500u").milli_value(), 2);
        assert_eq!(q("0.0001").milli_value(), 1);
        assert_eq!(q("-1500u").milli_value(), -1);
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in ["", "m", "1.2.3", "1 m", "1x", "1Kii", "abc", "1e", "--1"] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn parse_caps_like_the_arbitrary_precision_path() {
        let canon = |s: &str| q(s).to_string();
        // More than 18 digits: ParseQuantity's inf.Dec path caps DecimalSI and
        // BinarySI amounts at MaxInt64 units.
        assert_eq!(canon("99999999999999999999"), "9223372036854775807");
        assert_eq!(canon("-99999999999999999999"), "-9223372036854775807");
        assert_eq!(
            canon("123456789012345678901234567890123456789012345"),
            "9223372036854775807"
        );
        assert_eq!(
            canon("8Ei"),
            "9223372036854775807",
            "2^63 units is one too many"
        );
        assert_eq!(canon("7Ei"), "7Ei");
        // The int64 fast path and DecimalExponent are not capped.
        assert_eq!(canon("10E"), "10E");
        assert_eq!(canon("1e19"), "10e18");
        assert_eq!(canon("0e2147483647"), "0");
        assert!(
            Quantity::parse("1e400").is_err(),
            "beyond what the engine holds"
        );
        // Finer than a nano-unit rounds up, however many digits.
        assert_eq!(
            canon("1.0000000000000000000000000000000000000000001"),
            "1000000001n"
        );
        assert_eq!(
            canon("0.000000000000000000000000000000000000000000001"),
            "1n"
        );
        assert_eq!(canon("1e-2147483648"), "1e-9");
        assert_eq!(canon("1.5e-9"), "2e-9");
    }

    #[test]
    fn formats_canonically() {
        let canon = |s: &str| q(s).to_string();
        assert_eq!(canon("1500m"), "1500m");
        assert_eq!(canon("1.5"), "1500m");
        assert_eq!(canon("1000m"), "1");
        assert_eq!(canon("1200"), "1200");
        assert_eq!(canon("2000"), "2k");
        assert_eq!(canon("10m"), "10m");
        assert_eq!(canon("4Gi"), "4Gi");
        assert_eq!(canon("1536Mi"), "1536Mi");
        assert_eq!(canon("512Ki"), "512Ki");
        assert_eq!(canon("100Ki"), "100Ki");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("2e3"), "2e3");
        assert_eq!(
            Quantity::from_milli(800, Format::DecimalSi).to_string(),
            "800m"
        );
        assert_eq!(
            Quantity::from_milli(4 * 1024 * 1024 * 1024 * 1000, Format::BinarySi).to_string(),
            "4Gi"
        );
        assert_eq!(
            Quantity::from_milli(1500, Format::BinarySi).to_string(),
            "1500m"
        );
    }

    #[test]
    fn equality_is_by_value() {
        assert_eq!(q("1"), q("1000m"));
        assert_eq!(q("1Ki"), q("1024"));
        assert!(q("1.1") > q("1"));
    }

    #[test]
    fn approximate_float_matches_go() {
        assert_eq!(q("0.1").as_approximate_f64(), 0.1);
        assert_eq!(q("0.05").as_approximate_f64(), 5.0 * (1.0 / 100.0));
        assert_eq!(q("2").as_approximate_f64(), 2.0);
    }
}
