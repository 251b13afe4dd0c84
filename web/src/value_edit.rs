//! The scenario text as the forms see it: its YAML tree (with positions)
//! and its JSON value, and edits that change one value in place.
//!
//! An edit replaces the value's own characters when it exists as a scalar
//! (comments, layout and flow style survive); otherwise the top-level block
//! it belongs to is written anew from the JSON value.

use replicast_engine::yaml::{self, Node, NodeValue};
use serde_json::{Map, Value};

use crate::{text_blocks, yaml_write};

/// One step of a path into the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A mapping key.
    Name(String),
    /// A sequence index.
    Index(usize),
}

/// A path into the scenario (`load[2].ramp.rate`).
pub type KeyPath = Vec<Key>;

/// Builds a path from names and indexes.
#[macro_export]
macro_rules! key_path {
    ($($k:expr),* $(,)?) => {{
        let p: $crate::value_edit::KeyPath = ::std::vec::Vec::from([$($crate::value_edit::IntoKey::into_key($k)),*]);
        p
    }};
}

/// Turns `&str` and `usize` into path steps (for [`key_path!`]).
pub trait IntoKey {
    /// The step.
    fn into_key(self) -> Key;
}

impl IntoKey for &str {
    fn into_key(self) -> Key {
        Key::Name(self.to_owned())
    }
}

impl IntoKey for usize {
    fn into_key(self) -> Key {
        Key::Index(self)
    }
}

/// The path as text, for keys of maps and element ids (`load.2.ramp.rate`).
pub fn path_id(path: &[Key]) -> String {
    path.iter()
        .map(|k| match k {
            Key::Name(n) => n.clone(),
            Key::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A YAML-valid scenario text, read.
pub struct Doc {
    /// The text.
    pub text: String,
    /// Its tree, with positions.
    pub node: Node,
    /// Its JSON value.
    pub value: Value,
}

impl Doc {
    /// Reads `text`; `None` when it is not valid YAML (the engine's own
    /// parse reports where).
    pub fn read(text: &str) -> Option<Doc> {
        let node = yaml::parse_single(text, &yaml::Limits::default()).ok()?;
        let value = node.to_json().ok()?;
        Some(Doc {
            text: text.to_owned(),
            node,
            value,
        })
    }

    /// The JSON value at `path`.
    pub fn get(&self, path: &[Key]) -> Option<&Value> {
        let mut v = &self.value;
        for k in path {
            v = match (k, v) {
                (Key::Name(n), Value::Object(m)) => m.get(n)?,
                (Key::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// The tree node at `path`.
    pub fn node(&self, path: &[Key]) -> Option<&Node> {
        let mut n = &self.node;
        for k in path {
            n = match (k, &n.resolved().value) {
                (Key::Name(name), NodeValue::Map(_)) => n.get(name)?,
                (Key::Index(i), NodeValue::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(n)
    }

    /// The 0-based line of the key at `path` (or of the item, for an index).
    pub fn key_line(&self, path: &[Key]) -> Option<usize> {
        let mut p = replicast_engine::Path::root();
        for k in path {
            p = match k {
                Key::Name(n) => p.child(n),
                Key::Index(i) => p.index(*i),
            };
        }
        self.node(path)?;
        let (line, _) = self.node.locate(&p);
        Some(line.saturating_sub(1) as usize)
    }

    /// The text with the value at `path` set to `value` (written as `scalar`
    /// when it can replace an existing scalar in place).
    pub fn set(&self, path: &[Key], value: Value, scalar: &str) -> String {
        let span = self.node(path).and_then(|node| match &node.value {
            NodeValue::Scalar { text: current, .. } => scalar_span(&self.text, node, current),
            _ => None,
        });
        if let Some((start, end)) = span {
            let mut out = String::with_capacity(self.text.len() + scalar.len());
            out.push_str(&self.text[..start]);
            out.push_str(scalar);
            out.push_str(&self.text[end..]);
            return out;
        }
        let mut whole = self.value.clone();
        set_value(&mut whole, path, value);
        let Some(Key::Name(top)) = path.first() else {
            return self.text.clone();
        };
        let block = whole
            .get(top.as_str())
            .map(|v| top_block(top, v))
            .unwrap_or_default();
        text_blocks::set_block(&self.text, top, Some(&block), AFTER.get(top).unwrap_or(&[]))
    }
}

/// Where a new top-level block goes when it is added.
struct After;

impl After {
    fn get(&self, key: &str) -> Option<&'static [&'static str]> {
        Some(match key {
            "workload" => &["load", "seed", "step", "duration"],
            "cost" => &["pipeline", "signals", "workload", "load"],
            "duration" | "step" | "seed" => &["variants", "manifests"],
            _ => &[],
        })
    }
}

const AFTER: After = After;

/// The preferred key order of the blocks the forms write.
pub const ORDER: &[&str] = &[
    "mode",
    "capacityPerReplica",
    "cpu",
    "memory",
    "gpu",
    "coldStart",
    "timeout",
    "slo",
    "idle",
    "base",
    "busy",
    "startup",
    "schedule",
    "pull",
    "load",
    "latency",
    "perReplicaHour",
    "currency",
    "at",
    "from",
    "to",
    "for",
    "rate",
    "mean",
    "amplitude",
    "period",
    "peakAt",
    "cv",
    "interval",
];

/// A top-level block written from its JSON value.
pub fn top_block(key: &str, v: &Value) -> String {
    match v {
        Value::Object(m) => yaml_write::mapping_block(key, m, ORDER),
        Value::Array(items) => {
            let mut out = format!("{key}:");
            for item in items {
                out.push_str("\n  - ");
                out.push_str(&list_item(item));
            }
            out
        }
        _ => format!("{key}: {}", yaml_write::flow(v)),
    }
}

/// One `load` item: flow style, a trace's CSV as a literal block.
fn list_item(item: &Value) -> String {
    if let Some(csv) = item
        .get("trace")
        .and_then(|t| t.get("csv"))
        .and_then(Value::as_str)
    {
        return format!("trace:\n      {}", text_blocks::literal("csv: ", csv, 8));
    }
    match item {
        Value::Object(m) => yaml_write::flow_ordered(m, ORDER),
        _ => yaml_write::flow(item),
    }
}

/// Sets `path` in a JSON value, creating mappings on the way.
pub fn set_value(root: &mut Value, path: &[Key], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *root = value;
        return;
    };
    let mut v = root;
    for k in parents {
        v = match k {
            Key::Name(n) => {
                if !v.is_object() {
                    *v = Value::Object(Map::new());
                }
                v.as_object_mut()
                    .expect("object")
                    .entry(n.clone())
                    .or_insert(Value::Null)
            }
            Key::Index(i) => match v.as_array_mut().and_then(|a| a.get_mut(*i)) {
                Some(item) => item,
                None => return,
            },
        };
    }
    match last {
        Key::Name(n) => {
            if !v.is_object() {
                *v = Value::Object(Map::new());
            }
            v.as_object_mut().expect("object").insert(n.clone(), value);
        }
        Key::Index(i) => {
            if let Some(item) = v.as_array_mut().and_then(|a| a.get_mut(*i)) {
                *item = value;
            }
        }
    }
}

/// The byte span of a scalar node's source text, checked against its
/// value (`None` for block scalars or anything unexpected).
fn scalar_span(source: &str, node: &Node, value: &str) -> Option<(usize, usize)> {
    let start = text_blocks::offset_of(source, node.line, node.column);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let rest = &source[start..line_end];
    let first = rest.chars().next()?;
    let len = match first {
        '"' => {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => {}
                }
            }
            end?
        }
        '\'' => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            loop {
                if i >= bytes.len() {
                    return None;
                }
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break i + 1;
                }
                i += 1;
            }
        }
        '|' | '>' | '&' | '*' | '!' => return None,
        _ => {
            let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
            let before = &source[line_start..start];
            let depth: i32 = before
                .chars()
                .map(|c| match c {
                    '{' | '[' => 1,
                    '}' | ']' => -1,
                    _ => 0,
                })
                .sum();
            let mut end = rest.len();
            let mut prev_space = false;
            for (i, c) in rest.char_indices() {
                if c == '#' && prev_space {
                    end = i;
                    break;
                }
                if depth > 0 && matches!(c, ',' | '}' | ']') {
                    end = i;
                    break;
                }
                prev_space = c == ' ' || c == '\t';
            }
            let plain = rest[..end].trim_end();
            if plain != value {
                return None;
            }
            plain.len()
        }
    };
    Some((start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
load:                       # per second
  - {constant: 20}
  - {ramp: {from: 1h, to: 2h, rate: 50}}     # a ramp
workload:
  mode: http
  capacityPerReplica: 10    # one replica
  coldStart: {schedule: 2s, pull: \"20s\", load: 60s}
";

    #[test]
    fn edits_scalars_in_place() {
        let doc = Doc::read(TEXT).unwrap();
        let out = doc.set(&key_path!["load", 1, "ramp", "rate"], Value::from(55), "55");
        assert!(out.contains("  - {ramp: {from: 1h, to: 2h, rate: 55}}     # a ramp\n"));
        let out = doc.set(
            &key_path!["workload", "capacityPerReplica"],
            Value::from(12),
            "12",
        );
        assert!(out.contains("  capacityPerReplica: 12    # one replica\n"));
        let out = doc.set(
            &key_path!["workload", "coldStart", "pull"],
            "30s".into(),
            "30s",
        );
        assert!(out.contains("{schedule: 2s, pull: 30s, load: 60s}"));
        let out = doc.set(&key_path!["load", 0, "constant"], Value::from(5), "5");
        assert!(out.contains("  - {constant: 5}\n"));
    }

    #[test]
    fn writes_the_block_when_the_key_is_new() {
        let doc = Doc::read(TEXT).unwrap();
        let out = doc.set(&key_path!["workload", "timeout"], "10s".into(), "10s");
        assert!(out.contains("workload:\n  mode: http\n  capacityPerReplica: 10\n"));
        assert!(out.contains("  timeout: 10s\n"));
        assert!(Doc::read(&out).is_some());
        let out = doc.set(&key_path!["cost", "perReplicaHour"], Value::from(3), "3");
        assert!(out.ends_with("cost:\n  perReplicaHour: 3\n"), "{out}");
    }

    #[test]
    fn key_lines_come_from_the_tree() {
        let doc = Doc::read(TEXT).unwrap();
        assert_eq!(doc.key_line(&key_path!["workload"]), Some(3));
        assert_eq!(doc.key_line(&key_path!["load", 1]), Some(2));
    }
}
