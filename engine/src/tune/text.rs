//! Writing changed values back into manifest text, in place: only the
//! changed scalars differ, so comments, layout, key order and quoting stay
//! as the user wrote them and the result can be pasted back into a
//! repository.
//!
//! A value that is written is replaced within its own span (keeping its
//! quotes: `"10"` becomes `"8"`, `10` becomes `8`); a value that is absent
//! is added to the nearest mapping that exists, in that mapping's style:
//! block mappings get new lines after their last line at their keys'
//! indentation (nested keys two spaces deeper), flow mappings get
//! `, key: value` before their `}`. A value reached through an alias is not
//! rewritten (that would change every place the anchor is used): refused.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path, Segment};
use crate::yaml::{self, Node, NodeValue};

/// One change: the document's index, the field below it, the new value.
pub type Edit = (usize, Path, Value);

/// Keys still to add below an existing mapping.
#[derive(Debug)]
enum Tree {
    Leaf(Value),
    Branch(Vec<(String, Tree)>),
}

fn insert(into: &mut Vec<(String, Tree)>, keys: &[String], value: Value) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if rest.is_empty() {
        into.push((first.clone(), Tree::Leaf(value)));
        return;
    }
    match into.iter_mut().find(|(k, _)| k == first) {
        Some((_, Tree::Branch(children))) => insert(children, rest, value),
        _ => {
            let mut children = Vec::new();
            insert(&mut children, rest, value);
            into.push((first.clone(), Tree::Branch(children)));
        }
    }
}

/// A scalar as YAML text: plain when it reads back as the same value,
/// otherwise double-quoted (`quote` forces the quote character written).
fn scalar_text(v: &Value, quote: Option<char>) -> String {
    let plain = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (quote, v) {
        (Some('\''), Value::String(s)) => format!("'{}'", s.replace('\'', "''")),
        (Some('"'), Value::String(s)) => Value::String(s.clone()).to_string(),
        (_, Value::String(s)) if yaml::resolve_scalar(s, true, None) != *v => {
            Value::String(s.clone()).to_string()
        }
        _ => plain,
    }
}

fn render_block(tree: &[(String, Tree)], indent: usize, out: &mut String) {
    for (k, t) in tree {
        out.push_str(&" ".repeat(indent));
        out.push_str(k);
        out.push(':');
        match t {
            Tree::Leaf(v) => {
                out.push(' ');
                out.push_str(&scalar_text(v, None));
                out.push('\n');
            }
            Tree::Branch(children) => {
                out.push('\n');
                render_block(children, indent + 2, out);
            }
        }
    }
}

fn render_flow(tree: &[(String, Tree)]) -> String {
    let parts: Vec<String> = tree
        .iter()
        .map(|(k, t)| match t {
            Tree::Leaf(v) => format!("{k}: {}", scalar_text(v, None)),
            Tree::Branch(children) => format!("{k}: {{{}}}", render_flow(children)),
        })
        .collect();
    parts.join(", ")
}

/// The end (in characters) of the last scalar below a node.
fn last_scalar_end(n: &Node) -> usize {
    match &n.value {
        NodeValue::Scalar { .. } | NodeValue::Alias(..) => n.span.1,
        NodeValue::Seq(items) => items.last().map_or(n.span.0, last_scalar_end),
        NodeValue::Map(entries) => entries.last().map_or(n.span.0, |(k, v)| {
            last_scalar_end(k).max(last_scalar_end(v))
        }),
    }
}

fn refuse(path: &Path, message: &str) -> Error {
    Error::new(ErrorKind::Unsupported, path.clone(), message)
}

/// Applies `edits` to multi-document YAML `text`.
pub fn rewrite(text: &str, edits: &[Edit]) -> Result<String, Error> {
    let docs = yaml::parse_documents(text, &yaml::Limits::default())?;
    let chars: Vec<char> = text.chars().collect();
    let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bytes.push(text.len());
    let byte = |c: usize| bytes.get(c).copied().unwrap_or(text.len());

    // (start char, end char, replacement); insertions have start == end.
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    // Insertions grouped by the mapping they go into (its span start).
    let mut pending: Vec<(&Node, Vec<(String, Tree)>)> = Vec::new();
    for (doc, path, value) in edits {
        let Some(d) = docs.get(*doc) else {
            return Err(refuse(path, "no such document"));
        };
        let mut node = &d.root;
        let mut missing: Option<usize> = None;
        for (i, seg) in path.0.iter().enumerate() {
            if matches!(node.value, NodeValue::Alias(..)) {
                return Err(refuse(
                    path,
                    "the value is reached through a YAML alias; rewriting it would change every use of the anchor",
                ));
            }
            let next = match (seg, &node.value) {
                (Segment::Key(k), NodeValue::Map(_)) => node.get(k),
                (Segment::Index(j), NodeValue::Seq(items)) => items.get(*j),
                _ => return Err(refuse(path, "the path runs through a scalar")),
            };
            match next {
                Some(n) => node = n,
                None => {
                    missing = Some(i);
                    break;
                }
            }
        }
        match missing {
            None => {
                let NodeValue::Scalar { .. } = node.value else {
                    return Err(refuse(path, "only scalar values can be rewritten"));
                };
                let quote = chars
                    .get(node.span.0)
                    .copied()
                    .filter(|c| *c == '"' || *c == '\'');
                splices.push((node.span.0, node.span.1, scalar_text(value, quote)));
            }
            Some(i) => {
                let keys: Option<Vec<String>> = path.0[i..]
                    .iter()
                    .map(|s| match s {
                        Segment::Key(k) => Some(k.clone()),
                        Segment::Index(_) => None,
                    })
                    .collect();
                let Some(keys) = keys else {
                    return Err(refuse(path, "a missing list item cannot be added"));
                };
                match pending.iter_mut().find(|(n, _)| n.span == node.span) {
                    Some((_, tree)) => insert(tree, &keys, value.clone()),
                    None => {
                        let mut tree = Vec::new();
                        insert(&mut tree, &keys, value.clone());
                        pending.push((node, tree));
                    }
                }
            }
        }
    }
    for (node, tree) in &pending {
        let NodeValue::Map(entries) = &node.value else {
            continue;
        };
        if chars.get(node.span.0) == Some(&'{') {
            let close = (node.span.0..node.span.1)
                .rev()
                .find(|&c| chars[c] == '}')
                .unwrap_or(node.span.1);
            let sep = if entries.is_empty() { "" } else { ", " };
            splices.push((close, close, format!("{sep}{}", render_flow(tree))));
        } else {
            let indent = entries
                .first()
                .map_or(0, |(k, _)| k.column.saturating_sub(1) as usize);
            let end = last_scalar_end(node);
            let at = (end..chars.len())
                .find(|&c| chars[c] == '\n')
                .map_or(chars.len(), |c| c + 1);
            let mut block = String::new();
            if at == chars.len() && !text.ends_with('\n') {
                block.push('\n');
            }
            render_block(tree, indent, &mut block);
            splices.push((at, at, block));
        }
    }
    splices.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = String::from(text);
    for (start, end, with) in splices {
        out.replace_range(byte(start)..byte(end), &with);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> Path {
        super::super::spec::parse_path(s).unwrap()
    }

    #[test]
    fn replaces_scalars_in_place_keeping_quotes_and_comments() {
        let text = "# top\nspec:\n  min: 2   # floor\n  q: \"10\"\n  s: '5'\n---\nkind: X\n";
        let out = rewrite(
            text,
            &[
                (0, p("spec.min"), json!(3)),
                (0, p("spec.q"), json!("8")),
                (0, p("spec.s"), json!("6")),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "# top\nspec:\n  min: 3   # floor\n  q: \"8\"\n  s: '6'\n---\nkind: X\n"
        );
    }

    #[test]
    fn adds_missing_keys_in_the_mappings_style() {
        let text = "spec:\n  max: 4 # cap\n  metrics:\n  - a: 1\nother: {x: 1}\n";
        let out = rewrite(
            text,
            &[
                (0, p("spec.behavior.scaleUp.window"), json!(30)),
                (0, p("spec.behavior.scaleDown.window"), json!(60)),
                (0, p("other.y.z"), json!("1")),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "spec:\n  max: 4 # cap\n  metrics:\n  - a: 1\n  behavior:\n    scaleUp:\n      window: 30\n    scaleDown:\n      window: 60\nother: {x: 1, y: {z: \"1\"}}\n"
        );
        let back = yaml::parse_single(&out, &yaml::Limits::default())
            .unwrap()
            .to_json()
            .unwrap();
        assert_eq!(back["spec"]["behavior"]["scaleDown"]["window"], 60);
        assert_eq!(back["other"]["y"]["z"], "1");
    }

    #[test]
    fn plain_strings_that_would_read_as_numbers_are_quoted() {
        let out = rewrite("a: 500m\n", &[(0, p("a"), json!("2"))]).unwrap();
        assert_eq!(out, "a: \"2\"\n");
    }

    #[test]
    fn values_behind_aliases_are_refused() {
        let e = rewrite("a: &x {b: 1}\nc: *x\n", &[(0, p("c.b"), json!(2))]).unwrap_err();
        assert_eq!(e.first().kind, ErrorKind::Unsupported);
    }
}
