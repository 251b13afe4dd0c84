//! What the load and workload forms show, read from the scenario's JSON
//! value, and the values they write back (see [`crate::value_edit`]).

use replicast_engine::time::Duration;
use serde_json::Value;

use crate::value_edit::{Doc, Key, KeyPath};
use crate::{key_path, text_blocks, yaml_write};

/// How a number is written and slid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Work items per second.
    Rate,
    /// A time in the run (seconds from the start).
    Time,
    /// A length of time.
    Length,
    /// A fraction (coefficient of variation).
    Fraction,
    /// A plain number (capacity, percent, seed).
    Number,
}

/// One number field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Where it is written.
    pub path: KeyPath,
    /// Its label.
    pub label: &'static str,
    /// Its value, when the scenario gives one.
    pub value: Option<f64>,
    /// How it is written and slid.
    pub unit: Unit,
    /// A hint (the default, or what it means).
    pub hint: &'static str,
}

impl Field {
    /// The value as the scenario writes it.
    pub fn scalar(&self, v: f64) -> String {
        match self.unit {
            Unit::Time | Unit::Length => yaml_write::duration(v),
            _ => yaml_write::number(v),
        }
    }

    /// The JSON value written.
    pub fn json(&self, v: f64) -> Value {
        match self.unit {
            Unit::Time | Unit::Length => Value::String(yaml_write::duration(v)),
            _ => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        }
    }

    /// The value as the input box shows it.
    pub fn shown(&self, v: f64) -> String {
        match self.unit {
            Unit::Time | Unit::Length => yaml_write::duration(v),
            _ => yaml_write::number(v),
        }
    }

    /// Reads what the user typed in the input box.
    pub fn parse(&self, s: &str) -> Option<f64> {
        let s = s.trim();
        let v = match self.unit {
            Unit::Time | Unit::Length => typed_duration(s)?,
            _ => s.parse::<f64>().ok()?,
        };
        (v.is_finite() && v >= 0.0).then_some(v)
    }
}

/// A duration value of the scenario (a number of seconds or `90s`, `5m`,
/// ...), in seconds, read as the engine reads it.
pub fn seconds(v: &Value) -> Option<f64> {
    serde_json::from_value::<Duration>(v.clone())
        .ok()
        .map(Duration::as_secs_f64)
}

/// A duration as a person types it: a number of seconds, one unit
/// (`90s`, `5m`, `2h`, `1d`, `500ms`) or several (`1h30m`, `2m 30s`).
pub fn typed_duration(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    replicast_engine::time::parse_duration(&t)
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The kinds of load segment, as the scenario names them.
pub const SEGMENTS: [(&str, &str); 7] = [
    ("constant", "Constant"),
    ("step", "Step"),
    ("ramp", "Ramp"),
    ("spike", "Spike"),
    ("diurnal", "Diurnal"),
    ("noise", "Noise"),
    ("trace", "CSV trace"),
];

/// One load segment as the form shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Its index in `load`.
    pub index: usize,
    /// `constant`, `ramp`, ...
    pub kind: String,
    /// Its numbers.
    pub fields: Vec<Field>,
    /// A trace's CSV text.
    pub csv: Option<String>,
    /// Why the form cannot edit it (a trace file, an unknown kind).
    pub note: Option<String>,
}

/// The load segments of a scenario.
pub fn segments(doc: &Doc) -> Vec<Segment> {
    let Some(Value::Array(items)) = doc.get(&key_path!["load"]) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| segment(i, item))
        .collect()
}

fn segment(index: usize, item: &Value) -> Segment {
    let (kind, body) = match item.as_object().and_then(|m| m.iter().next()) {
        Some((k, v)) => (k.clone(), v),
        None => {
            return Segment {
                index,
                kind: "?".into(),
                fields: Vec::new(),
                csv: None,
                note: Some("not a segment".into()),
            };
        }
    };
    let base: KeyPath = key_path!["load", index, kind.as_str()];
    let field = |name: &'static str, label: &'static str, unit: Unit, hint: &'static str| {
        let mut p = base.clone();
        p.push(Key::Name(name.into()));
        let v = body.get(name);
        Field {
            path: p,
            label,
            value: v.and_then(|v| match unit {
                Unit::Time | Unit::Length => seconds(v),
                _ => number(v),
            }),
            unit,
            hint,
        }
    };
    let mut csv = None;
    let mut note = None;
    let fields = match kind.as_str() {
        "constant" => {
            if body.is_object() {
                vec![field("rate", "rate", Unit::Rate, "work items per second")]
            } else {
                vec![Field {
                    path: base.clone(),
                    label: "rate",
                    value: number(body),
                    unit: Unit::Rate,
                    hint: "work items per second",
                }]
            }
        }
        "step" => vec![
            field("at", "at", Unit::Time, "when it starts"),
            field("rate", "adds", Unit::Rate, "per second from then on"),
        ],
        "ramp" => vec![
            field("from", "from", Unit::Time, "when it starts rising"),
            field("to", "to", Unit::Time, "when it reaches the rate"),
            field("rate", "adds", Unit::Rate, "per second at the top"),
        ],
        "spike" => vec![
            field("at", "at", Unit::Time, "when it starts"),
            field("for", "for", Unit::Length, "how long"),
            field("rate", "adds", Unit::Rate, "per second while it lasts"),
        ],
        "diurnal" => vec![
            field("mean", "mean", Unit::Rate, "per second"),
            field("amplitude", "amplitude", Unit::Rate, "at most the mean"),
            field("period", "period", Unit::Length, "one cycle"),
            field("peakAt", "peak at", Unit::Time, "when it peaks"),
        ],
        "noise" => vec![
            field("cv", "cv", Unit::Fraction, "coefficient of variation"),
            field(
                "interval",
                "holds",
                Unit::Length,
                "each draw (default: one step)",
            ),
        ],
        "trace" => {
            csv = body.get("csv").and_then(Value::as_str).map(str::to_owned);
            if csv.is_none() {
                note =
                    Some("a trace file is read by the command line only: paste its points".into());
            }
            Vec::new()
        }
        _ => {
            note = Some(format!("unknown segment `{kind}`"));
            Vec::new()
        }
    };
    Segment {
        index,
        kind,
        fields,
        csv,
        note,
    }
}

/// A new segment of `kind` for a run of `duration` seconds, as one flow
/// line (or a block, for a trace).
pub fn new_segment(kind: &str, duration: f64) -> Value {
    let d = |s: f64| Value::String(yaml_write::duration(s));
    let round = |s: f64| (s / 60.0).round().max(1.0) * 60.0;
    match kind {
        "constant" => serde_json::json!({"constant": 10}),
        "step" => serde_json::json!({"step": {"at": d(round(duration / 3.0)), "rate": 20}}),
        "ramp" => serde_json::json!({"ramp": {"from": d(round(duration / 4.0)),
            "to": d(round(duration / 2.0)), "rate": 30}}),
        "spike" => serde_json::json!({"spike": {"at": d(round(duration / 2.0)),
            "for": "5m", "rate": 50}}),
        "diurnal" => serde_json::json!({"diurnal": {"mean": 20, "amplitude": 10,
            "period": "1d", "peakAt": "14h"}}),
        "noise" => serde_json::json!({"noise": {"cv": 0.1}}),
        _ => serde_json::json!({"trace": {"csv": format!(
            "t,rate\n0,10\n{},40\n{},10\n",
            yaml_write::number(round(duration / 3.0)),
            yaml_write::number(round(duration * 2.0 / 3.0)))}}),
    }
}

/// The text with `segment` added at the end of `load` (comments kept when
/// the list is written one item a line).
pub fn add_segment(doc: &Doc, segment: Value) -> String {
    let items = match doc.get(&key_path!["load"]) {
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    let line = crate::value_edit::top_block("load", &Value::Array(vec![segment.clone()]));
    let new_item = line.strip_prefix("load:\n").unwrap_or(&line).to_owned();
    if let Some(spans) = item_spans(doc, items) {
        let all = text_blocks::lines(&doc.text);
        let end = spans.last().map_or(0, |s| s.1);
        let first = all[spans[0].0];
        let dash = first.find('-').unwrap_or(2);
        let indented: Vec<String> = new_item
            .split('\n')
            .map(|l| {
                let own = l.len() - l.trim_start().len();
                format!(
                    "{}{}",
                    " ".repeat((own + dash).saturating_sub(2)),
                    l.trim_start()
                )
            })
            .collect();
        let mut out: Vec<String> = all[..end].iter().map(|s| (*s).to_owned()).collect();
        out.extend(indented);
        out.extend(all[end..].iter().map(|s| (*s).to_owned()));
        return out.join("\n") + "\n";
    }
    let mut value = doc.value.clone();
    match value.get_mut("load") {
        Some(Value::Array(a)) => a.push(segment),
        _ => crate::value_edit::set_value(
            &mut value,
            &key_path!["load"],
            Value::Array(vec![segment]),
        ),
    }
    let block = crate::value_edit::top_block("load", &value["load"]);
    text_blocks::set_block(
        &doc.text,
        "load",
        Some(&block),
        &["seed", "step", "duration"],
    )
}

/// The text without load segment `index`.
pub fn remove_segment(doc: &Doc, index: usize) -> String {
    let items = match doc.get(&key_path!["load"]) {
        Some(Value::Array(items)) => items.len(),
        _ => return doc.text.clone(),
    };
    if let Some(&(start, end)) = item_spans(doc, items).as_ref().and_then(|s| s.get(index)) {
        let all = text_blocks::lines(&doc.text);
        let mut out: Vec<&str> = all[..start].to_vec();
        out.extend_from_slice(&all[end..]);
        if items == 1 {
            // An empty list reads as null: leave an explicit one.
            let at = out.iter().position(|l| l.starts_with("load:")).unwrap_or(0);
            let owned: Vec<String> = out
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if i == at {
                        "load: []".to_owned()
                    } else {
                        (*l).to_owned()
                    }
                })
                .collect();
            return owned.join("\n") + "\n";
        }
        return out.join("\n") + "\n";
    }
    let mut value = doc.value.clone();
    if let Some(Value::Array(a)) = value.get_mut("load") {
        if index < a.len() {
            a.remove(index);
        }
    }
    let block = crate::value_edit::top_block("load", &value["load"]);
    text_blocks::set_block(&doc.text, "load", Some(&block), &[])
}

/// Each load item's line span `[start, end)` when the list is a block
/// sequence with one item starting per line.
fn item_spans(doc: &Doc, items: usize) -> Option<Vec<(usize, usize)>> {
    if items == 0 {
        return None;
    }
    let block = text_blocks::blocks(&doc.text)
        .into_iter()
        .find(|b| b.key == "load")?;
    let mut starts = Vec::with_capacity(items);
    for i in 0..items {
        let line = doc.key_line(&key_path!["load", i])?;
        let l = text_blocks::lines(&doc.text).get(line).copied()?;
        if line <= block.start || !l.trim_start().starts_with('-') {
            return None;
        }
        if starts.last().is_some_and(|&s| s >= line) {
            return None;
        }
        starts.push(line);
    }
    let mut spans = Vec::with_capacity(items);
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(block.end);
        spans.push((s, e));
    }
    Some(spans)
}

/// The workload form's fields (`workload.*` and `cost.perReplicaHour`).
pub fn workload_fields(doc: &Doc) -> Vec<Field> {
    let f = |p: KeyPath, label: &'static str, unit: Unit, hint: &'static str| {
        let value = doc.get(&p).and_then(|v| match unit {
            Unit::Time | Unit::Length => seconds(v),
            _ => number(v),
        });
        Field {
            path: p,
            label,
            value,
            unit,
            hint,
        }
    };
    vec![
        f(
            key_path!["workload", "capacityPerReplica"],
            "capacity",
            Unit::Rate,
            "work items per second one ready replica completes",
        ),
        f(
            key_path!["workload", "coldStart", "schedule"],
            "schedule",
            Unit::Length,
            "pod created → scheduled",
        ),
        f(
            key_path!["workload", "coldStart", "pull"],
            "image pull",
            Unit::Length,
            "scheduled → running",
        ),
        f(
            key_path!["workload", "coldStart", "load"],
            "model load",
            Unit::Length,
            "running → model loaded",
        ),
        f(
            key_path!["workload", "timeout"],
            "timeout",
            Unit::Length,
            "http: requests waiting longer are dropped",
        ),
        f(
            key_path!["workload", "slo", "latency"],
            "latency SLO",
            Unit::Length,
            "p95 objective for the summary",
        ),
        f(
            key_path!["workload", "gpu", "busy"],
            "GPU % busy",
            Unit::Number,
            "per replica utilization",
        ),
        f(
            key_path!["cost", "perReplicaHour"],
            "per replica-hour",
            Unit::Number,
            "in the scenario's currency",
        ),
    ]
}

/// A text field of the workload form (quantities, currency, mode).
#[derive(Clone, Debug, PartialEq)]
pub struct TextField {
    /// Where it is written.
    pub path: KeyPath,
    /// Its label.
    pub label: &'static str,
    /// Its value, when given.
    pub value: Option<String>,
    /// A hint.
    pub hint: &'static str,
}

/// The workload form's text fields.
pub fn workload_text_fields(doc: &Doc) -> Vec<TextField> {
    let f = |p: KeyPath, label: &'static str, hint: &'static str| TextField {
        value: doc.get(&p).map(|v| match v {
            Value::String(s) => s.clone(),
            other => yaml_write::flow(other),
        }),
        path: p,
        label,
        hint,
    };
    vec![
        f(
            key_path!["workload", "cpu", "idle"],
            "CPU idle",
            "per replica, e.g. 200m",
        ),
        f(
            key_path!["workload", "cpu", "busy"],
            "CPU busy",
            "per replica, e.g. 1800m",
        ),
        f(
            key_path!["workload", "memory", "base"],
            "memory base",
            "e.g. 2560Mi",
        ),
        f(
            key_path!["workload", "memory", "busy"],
            "memory busy",
            "e.g. 3Gi",
        ),
        f(key_path!["cost", "currency"], "currency", "e.g. USD"),
    ]
}

/// `duration`, `step` and `seed`.
pub fn run_fields(doc: &Doc) -> Vec<Field> {
    let f = |name: &'static str, label: &'static str, unit: Unit, hint: &'static str| Field {
        value: doc.get(&key_path![name]).and_then(|v| match unit {
            Unit::Number => number(v),
            _ => seconds(v),
        }),
        path: key_path![name],
        label,
        unit,
        hint,
    };
    vec![
        f("duration", "duration", Unit::Length, "default 1h"),
        f("step", "step", Unit::Length, "resolution, default 1s"),
        f("seed", "noise seed", Unit::Number, "default 0"),
    ]
}

/// A number field's unit as the slider shows it.
pub fn unit_suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Rate => "/s",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
duration: 6h
load:                       # per second
  - {constant: 20}
  - {ramp: {from: 1h, to: 2h, rate: 50}}     # a ramp
  - {noise: {cv: 0.1}}

workload:
  mode: http
";

    #[test]
    fn reads_segments() {
        let doc = Doc::read(TEXT).unwrap();
        let s = segments(&doc);
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].kind, "ramp");
        assert_eq!(s[1].fields[1].value, Some(7200.0));
        assert_eq!(s[0].fields[0].path, key_path!["load", 0, "constant"]);
        assert_eq!(s[2].fields[1].value, None);
    }

    #[test]
    fn adds_and_removes_keeping_comments() {
        let doc = Doc::read(TEXT).unwrap();
        let out = add_segment(&doc, new_segment("spike", 21_600.0));
        assert!(
            out.contains(
                "  - {noise: {cv: 0.1}}\n  - {spike: {at: 3h, for: 5m, rate: 50}}\n\nworkload:"
            ),
            "{out}"
        );
        let out = add_segment(&doc, new_segment("trace", 3600.0));
        let back = Doc::read(&out).unwrap();
        assert_eq!(
            segments(&back)[3].csv.as_deref(),
            Some("t,rate\n0,10\n1200,40\n2400,10\n")
        );
        let out = remove_segment(&doc, 1);
        assert!(out.contains("  - {constant: 20}\n  - {noise: {cv: 0.1}}\n"));
        assert!(out.contains("load:                       # per second\n"));
    }

    #[test]
    fn fields_read_units() {
        let f = Field {
            path: key_path!["x"],
            label: "x",
            value: None,
            unit: Unit::Time,
            hint: "",
        };
        assert_eq!(f.parse("1h30m"), Some(5400.0));
        assert_eq!(f.parse("90"), Some(90.0));
        assert_eq!(f.parse("soon"), None);
        assert_eq!(f.parse("2m 30s"), Some(150.0));
        assert_eq!(f.parse("500ms"), Some(0.5));
    }
}
