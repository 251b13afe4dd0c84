//! Writing values back into the scenario's YAML: scalars that read back as
//! the same value, durations with units, top-level blocks from JSON.

use serde_json::{Map, Value};

/// A number as a person would write it: no `.0`, at most 4 decimals.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// A duration in the scenario's notation: one unit, the largest that
/// divides it (`90s`, `10m`, `90m`, `2h`, `1d`, `500ms`, `2.5s`).
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() || secs <= 0.0 {
        return "0s".into();
    }
    let ms = (secs * 1000.0).round();
    if ms % 1000.0 != 0.0 {
        if secs < 1.0 {
            return format!("{}ms", ms as i64);
        }
        return format!("{}s", number(ms / 1000.0));
    }
    let n = (ms / 1000.0) as i64;
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if n % size == 0 {
            return format!("{}{unit}", n / size);
        }
    }
    format!("{n}s")
}

/// A string as a YAML scalar that reads back as the same string: plain
/// when it is safe, JSON-quoted otherwise.
pub fn string(s: &str) -> String {
    let plain_safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
        && !s.starts_with(['-', '.'])
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "inf" | "nan"
        )
        && !s.starts_with("0x")
        && !s.starts_with("0o");
    if plain_safe {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A JSON value as a one-line (flow) YAML value.
pub fn flow(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), number),
        Value::String(s) => string(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k), flow(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// The entries of `map`, those named in `order` first (in that order).
pub fn ordered<'a>(map: &'a Map<String, Value>, order: &[&str]) -> Vec<(&'a String, &'a Value)> {
    let mut out: Vec<(&String, &Value)> =
        order.iter().filter_map(|k| map.get_key_value(*k)).collect();
    out.extend(map.iter().filter(|(k, _)| !order.contains(&k.as_str())));
    out
}

/// A flow mapping with its keys in `order` first.
pub fn flow_ordered(map: &Map<String, Value>, order: &[&str]) -> String {
    let inner: Vec<String> = ordered(map, order)
        .into_iter()
        .map(|(k, v)| match v {
            Value::Object(m) => format!("{}: {}", string(k), flow_ordered(m, order)),
            _ => format!("{}: {}", string(k), flow(v)),
        })
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// A top-level block `key:` holding a mapping: one entry a line, nested
/// mappings in flow style, keys in `order` first.
pub fn mapping_block(key: &str, map: &Map<String, Value>, order: &[&str]) -> String {
    let mut out = format!("{key}:");
    if map.is_empty() {
        out.push_str(" {}");
        return out;
    }
    for (k, v) in ordered(map, order) {
        let value = match v {
            Value::Object(m) => flow_ordered(m, order),
            Value::String(s) if s.contains('\n') => crate::text_blocks::literal("", s, 4),
            _ => flow(v),
        };
        out.push_str(&format!("\n  {}: {value}", string(k)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(0.125), "0.125");
        assert_eq!(number(1.0 / 3.0), "0.3333");
        assert_eq!(duration(90.0), "90s");
        assert_eq!(duration(600.0), "10m");
        assert_eq!(duration(5400.0), "90m");
        assert_eq!(duration(86_400.0), "1d");
        assert_eq!(duration(0.5), "500ms");
        assert_eq!(duration(2.5), "2.5s");
        assert_eq!(duration(125.0), "125s");
        assert_eq!(duration(7200.0), "2h");
    }

    #[test]
    fn strings_read_back() {
        assert_eq!(string("http"), "http");
        assert_eq!(string("200m"), "200m");
        assert_eq!(string("100"), "\"100\"");
        assert_eq!(string("yes"), "\"yes\"");
        assert_eq!(string("a b"), "\"a b\"");
    }

    #[test]
    fn blocks_keep_the_given_order() {
        let v: Value = serde_json::json!({"timeout": "30s", "mode": "http",
            "coldStart": {"pull": "20s", "schedule": "2s"}});
        let Value::Object(m) = v else { unreachable!() };
        assert_eq!(
            mapping_block("workload", &m, &["mode", "coldStart", "schedule", "pull"]),
            "workload:\n  mode: http\n  coldStart: {schedule: 2s, pull: 20s}\n  timeout: 30s"
        );
    }
}
