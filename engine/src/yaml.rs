//! Reading YAML (and JSON, its subset) text safely, keeping positions.
//!
//! Real manifests are multi-document and hand-written; they must parse as
//! `kubectl` parses them (YAML 1.2 core scalars, merge keys, duplicate keys
//! rejected as `sigs.k8s.io/yaml` rejects them) and every later problem must
//! point at its line. Untrusted text is bounded before and while it is read:
//! [`Limits`] caps the size, the nesting depth and what aliases may expand to,
//! so an alias bomb or a deeply nested document is refused in microseconds.
//!
//! The parser is `saphyr-parser` (event level, no alias expansion of its
//! own); this module builds a positioned tree, converts it to a
//! `serde_json::Value` for typed deserialization, and maps a [`Path`] back to
//! a line and column.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorKind, Path, Segment};

/// Bounds on untrusted text.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest input in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes a document may hold after aliases are expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 1 << 20,
            max_depth: 64,
            max_nodes: 200_000,
        }
    }
}

/// A node of a parsed document, with its position.
#[derive(Clone, Debug)]
pub struct Node {
    /// The node's content.
    pub value: NodeValue,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Where the node is in the text, in characters from its start: a
    /// scalar's own text (quotes included), a collection from its first
    /// token to the token after it (so a scalar can be replaced in place).
    pub span: (usize, usize),
}

/// A node's content.
#[derive(Clone, Debug)]
pub enum NodeValue {
    /// A scalar: its text, whether it was plain (unquoted), and its tag.
    Scalar {
        /// The text.
        text: String,
        /// Unquoted: subject to YAML 1.2 core-schema resolution.
        plain: bool,
        /// `!!str`, `!!int`, ... when given.
        tag: Option<String>,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
    /// An alias (or the anchored node itself), shared rather than copied:
    /// the node and its size once expanded.
    Alias(Rc<Node>, usize),
}

/// One YAML document of a stream.
#[derive(Clone, Debug)]
pub struct Document {
    /// The root node.
    pub root: Node,
}

impl Node {
    fn size(&self) -> usize {
        match &self.value {
            NodeValue::Alias(_, size) => *size,
            NodeValue::Scalar { .. } => 1,
            NodeValue::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            NodeValue::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
        }
    }

    /// The node an alias stands for (the node itself otherwise).
    pub fn resolved(&self) -> &Node {
        match &self.value {
            NodeValue::Alias(target, _) => target.resolved(),
            _ => self,
        }
    }

    /// Whether this is a null scalar (an empty document, `~`, `null`).
    pub fn is_null(&self) -> bool {
        matches!(&self.resolved().value, NodeValue::Scalar { text, plain: true, tag: None }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The value under `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.resolved().value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, NodeValue::Scalar { text, .. } if text == key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The position of `path` below this node: the key's position for a
    /// mapping entry, the item's for a sequence index; the deepest existing
    /// ancestor when the path goes further than the document.
    pub fn locate(&self, path: &Path) -> (u32, u32) {
        let mut node = self;
        let mut at = (self.line, self.column);
        for seg in &path.0 {
            match (seg, &node.resolved().value) {
                (Segment::Key(k), NodeValue::Map(_)) => match node.entry(k) {
                    Some((key, value)) => {
                        at = (key.line, key.column);
                        node = value;
                    }
                    None => return at,
                },
                (Segment::Index(i), NodeValue::Seq(items)) => match items.get(*i) {
                    Some(item) => {
                        at = (item.line, item.column);
                        node = item;
                    }
                    None => return at,
                },
                _ => return at,
            }
        }
        at
    }

    /// Converts to JSON as `sigs.k8s.io/yaml` does: YAML 1.2 core scalars,
    /// keys as strings, merge keys (`<<`) applied.
    pub fn to_json(&self) -> Result<Value, Error> {
        self.to_json_at(&Path::root())
    }

    fn to_json_at(&self, path: &Path) -> Result<Value, Error> {
        Ok(match &self.value {
            NodeValue::Alias(target, _) => target.to_json_at(path)?,
            NodeValue::Scalar { text, plain, tag } => resolve_scalar(text, *plain, tag.as_deref()),
            NodeValue::Seq(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| n.to_json_at(&path.index(i)))
                    .collect::<Result<_, _>>()?,
            ),
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                let mut merges = Vec::new();
                let mut first_line: Vec<(String, u32)> = Vec::new();
                for (k, v) in entries {
                    let key = match &k.resolved().value {
                        NodeValue::Scalar { text, plain, .. } => {
                            if *plain && text == "<<" {
                                merges.push(v);
                                continue;
                            }
                            text.clone()
                        }
                        _ => {
                            return Err(Error::at_position(
                                ErrorKind::Syntax,
                                k.line,
                                k.column,
                                "a mapping or sequence cannot be a key (found unhashable key; \
                                 is a `{{ }}` template placeholder left in?)",
                            ));
                        }
                    };
                    if let Some((_, line)) = first_line.iter().find(|(name, _)| *name == key) {
                        return Err(Error::at_position(
                            ErrorKind::Syntax,
                            k.line,
                            k.column,
                            format!("key {key:?} already set in map (first at line {line})"),
                        ));
                    }
                    first_line.push((key.clone(), k.line));
                    let child = v.to_json_at(&path.child(&key))?;
                    map.insert(key, child);
                }
                for merge in merges {
                    let sources: Vec<&Node> = match &merge.resolved().value {
                        NodeValue::Seq(items) => items.iter().collect(),
                        _ => alloc::vec![merge],
                    };
                    for source in sources {
                        match source.to_json_at(path)? {
                            Value::Object(extra) => {
                                for (k, v) in extra {
                                    map.entry(k).or_insert(v);
                                }
                            }
                            _ => {
                                return Err(Error::at_position(
                                    ErrorKind::Syntax,
                                    source.line,
                                    source.column,
                                    "a merge key (<<) needs a mapping or a list of mappings",
                                ));
                            }
                        }
                    }
                }
                Value::Object(map)
            }
        })
    }
}

/// YAML 1.2 core-schema resolution of a scalar.
pub(crate) fn resolve_scalar(text: &str, plain: bool, tag: Option<&str>) -> Value {
    let as_string = || Value::String(text.to_owned());
    match tag {
        Some("tag:yaml.org,2002:str") | Some("!!str") => return as_string(),
        Some(_) => {}
        None if !plain => return as_string(),
        None => {}
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return n;
    }
    if is_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            if let Some(n) = Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    as_string()
}

fn parse_int(text: &str) -> Option<Value> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok();
    Some(match (neg, magnitude) {
        (false, Some(m)) => Value::Number(m.into()),
        (true, Some(m)) if m <= i64::MAX as u64 + 1 => {
            Value::Number(((m as i128).wrapping_neg() as i64).into())
        }
        // Larger than 64 bits: keep precision as far as a float can.
        _ => Number::from_f64(text.parse::<f64>().ok()?).map(Value::Number)?,
    })
}

fn is_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => digits(int) && digits(f) && !(int.is_empty() && f.is_empty()),
        None => !int.is_empty() && digits(int),
    };
    let exponent_ok = match exponent {
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
        None => true,
    };
    mantissa_ok && exponent_ok
}

enum Frame {
    Seq {
        start: (u32, u32),
        from: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: (u32, u32),
        from: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// Parses every document of a YAML stream, within `limits`.
pub fn parse_documents(text: &str, limits: &Limits) -> Result<Vec<Document>, Error> {
    if text.len() > limits.max_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            Path::root(),
            format!(
                "the input is {} bytes; the limit is {} bytes",
                text.len(),
                limits.max_bytes
            ),
        ));
    }
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Rc<Node>, usize)> = Vec::new();
    let mut nodes = 0usize;
    let mut finished: Option<Node> = None;

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            let (line, column) = (m.line() as u32, m.col() as u32 + 1);
            if e.info() == "recursion limit exceeded" {
                Error::at_position(
                    ErrorKind::Limit,
                    line,
                    column,
                    format!("nesting is deeper than {} levels", limits.max_depth),
                )
            } else {
                Error::at_position(ErrorKind::Syntax, line, column, e.info().to_string())
            }
        })?;
        let pos = (span.start.line() as u32, span.start.col() as u32 + 1);
        let complete: Option<(Node, usize)> = match event {
            Event::DocumentStart(_) => {
                anchors.clear();
                nodes = 0;
                None
            }
            Event::DocumentEnd => {
                // Empty documents (`---` with nothing after it) are skipped, as kubectl does.
                if let Some(root) = finished.take().filter(|r| !r.is_null()) {
                    docs.push(Document { root });
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                let node = Node {
                    value: NodeValue::Scalar {
                        text: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                        tag: tag.map(|t| {
                            if t.starts_with("!!") {
                                t
                            } else {
                                t.replace("tag:yaml.org,2002:", "!!")
                            }
                        }),
                    },
                    line: pos.0,
                    column: pos.1,
                    span: (span.start.index(), span.end.index()),
                };
                Some((node, anchor))
            }
            Event::Alias(id) => {
                let Some((_, anchored, size)) = anchors.iter().rev().find(|(a, _, _)| *a == id)
                else {
                    return Err(Error::at_position(
                        ErrorKind::Syntax,
                        pos.0,
                        pos.1,
                        "unknown anchor",
                    ));
                };
                nodes = nodes.saturating_add(*size);
                if nodes > limits.max_nodes {
                    return Err(Error::at_position(
                        ErrorKind::Limit,
                        pos.0,
                        pos.1,
                        format!(
                            "aliases expand this document beyond {} nodes (an alias bomb?)",
                            limits.max_nodes
                        ),
                    ));
                }
                let node = Node {
                    value: NodeValue::Alias(Rc::clone(anchored), *size),
                    line: pos.0,
                    column: pos.1,
                    span: (span.start.index(), span.end.index()),
                };
                Some((node, 0))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    return Err(Error::at_position(
                        ErrorKind::Limit,
                        pos.0,
                        pos.1,
                        format!("nesting is deeper than {} levels", limits.max_depth),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: pos,
                        from: span.start.index(),
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start: pos,
                        from: span.start.index(),
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    from,
                    anchor,
                    items,
                }) => Some((
                    Node {
                        value: NodeValue::Seq(items),
                        line: start.0,
                        column: start.1,
                        span: (from, span.end.index()),
                    },
                    anchor,
                )),
                Some(Frame::Map {
                    start,
                    from,
                    anchor,
                    entries,
                    ..
                }) => Some((
                    Node {
                        value: NodeValue::Map(entries),
                        line: start.0,
                        column: start.1,
                        span: (from, span.end.index()),
                    },
                    anchor,
                )),
                None => None,
            },
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
        };
        if let Some((mut node, anchor)) = complete {
            nodes = nodes.saturating_add(1);
            if nodes > limits.max_nodes {
                return Err(Error::at_position(
                    ErrorKind::Limit,
                    node.line,
                    node.column,
                    format!("the document has more than {} nodes", limits.max_nodes),
                ));
            }
            if anchor != 0 {
                // The anchored node is shared with its aliases, not copied.
                let size = node.size();
                let (line, column, span) = (node.line, node.column, node.span);
                let shared = Rc::new(node);
                anchors.push((anchor, Rc::clone(&shared), size));
                node = Node {
                    value: NodeValue::Alias(shared, size),
                    line,
                    column,
                    span,
                };
            }
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    Some(k) => entries.push((k, node)),
                    None => *key = Some(node),
                },
                None => finished = Some(node),
            }
        }
    }
    if let Some(root) = finished.take().filter(|r| !r.is_null()) {
        docs.push(Document { root });
    }
    Ok(docs)
}

/// Parses text that must hold exactly one document (an empty text is an
/// empty mapping's absence: an error).
pub fn parse_single(text: &str, limits: &Limits) -> Result<Node, Error> {
    let mut docs = parse_documents(text, limits)?;
    match docs.len() {
        0 => Err(Error::new(
            ErrorKind::Schema,
            Path::root(),
            "the input is empty",
        )),
        1 => Ok(docs.remove(0).root),
        n => Err(Error::at_position(
            ErrorKind::Schema,
            docs[1].root.line,
            docs[1].root.column,
            format!("expected one YAML document, found {n}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        parse_single(text, &Limits::default())
            .unwrap()
            .to_json()
            .unwrap()
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let v = json("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: 2000m\ng: 0x10\nh: -3\ni: 1e3\n");
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"], 1.5);
        assert_eq!(v["c"], true);
        assert!(v["d"].is_null());
        assert_eq!(v["e"], "1");
        assert_eq!(v["f"], "2000m");
        assert_eq!(v["g"], 16);
        assert_eq!(v["h"], -3);
        assert_eq!(v["i"], 1000.0);
    }

    #[test]
    fn reads_multi_document_streams() {
        let docs = parse_documents("a: 1\n---\nb: 2\n---\n", &Limits::default()).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].root.line, 3);
    }

    #[test]
    fn locates_paths() {
        let node = parse_single(
            "spec:\n  metrics:\n  - type: Pods\n    pods:\n      target: {}\n",
            &Limits::default(),
        )
        .unwrap();
        let p = Path::root()
            .child("spec")
            .child("metrics")
            .index(0)
            .child("pods")
            .child("target");
        assert_eq!(node.locate(&p), (5, 7));
        let missing = p.child("averageValue");
        assert_eq!(node.locate(&missing), (5, 7));
    }

    #[test]
    fn rejects_duplicate_keys_with_both_lines() {
        let e = parse_single("a: 1\nb: 2\na: 3\n", &Limits::default())
            .unwrap()
            .to_json()
            .unwrap_err();
        assert_eq!(e.first().line, Some(3));
        assert!(e.first().message.contains("first at line 1"), "{}", e);
    }

    #[test]
    fn applies_merge_keys() {
        let v = json("base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  y: 3\n");
        assert_eq!(v["mine"]["x"], 1);
        assert_eq!(v["mine"]["y"], 3);
    }

    #[test]
    fn refuses_alias_bombs_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = parse_documents(&text, &Limits::default()).unwrap_err();
        assert_eq!(e.first().kind, ErrorKind::Limit);
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = "[".repeat(100_000);
        let e = parse_documents(&text, &Limits::default()).unwrap_err();
        assert_eq!(e.first().kind, ErrorKind::Limit);
    }

    #[test]
    fn refuses_oversized_input() {
        let text = "a".repeat((1 << 20) + 1);
        assert_eq!(
            parse_documents(&text, &Limits::default())
                .unwrap_err()
                .first()
                .kind,
            ErrorKind::Limit
        );
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse_documents("a: [1, 2\nb: 3\n", &Limits::default()).unwrap_err();
        assert_eq!(e.first().kind, ErrorKind::Syntax);
        assert!(e.first().line.is_some());
    }
}

#[cfg(test)]
mod span_tests {
    use super::*;

    #[test]
    fn scalars_carry_their_span() {
        let text = "a: 10 # c\nb: \"x\"\nc: {d: 'y'}\ne:\n  f: 2\n";
        let node = parse_single(text, &Limits::default()).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let at = |n: &Node| chars[n.span.0..n.span.1].iter().collect::<String>();
        assert_eq!(at(node.get("a").unwrap()), "10");
        assert_eq!(at(node.get("b").unwrap()), "\"x\"");
        assert_eq!(at(node.get("c").unwrap().get("d").unwrap()), "'y'");
        let c = node.get("c").unwrap();
        assert_eq!(chars[c.span.0], '{');
        assert_eq!(chars[c.span.1 - 1], '}');
        let e = node.get("e").unwrap();
        assert!(at(e).starts_with("f: 2"), "{:?}", at(e));
    }
}
