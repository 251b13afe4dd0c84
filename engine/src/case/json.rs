//! Reading a case, or a prepared autoscaler's inputs, straight from JSON
//! text into the engine's types: one pass of serde over the text, with no
//! [`Value`] in between (only `hpa:` and `scaledObject:` become values,
//! which their readers take). The npm package reads a JavaScript object
//! this way (`JSON.stringify`, then here).
//!
//! The case format's unknown fields are the keys serde skips
//! ([`serde_ignored`]) that the format's known-field tree
//! ([`crate::schema::case_format`]) does not name: the very notices
//! [`crate::schema::walk`] gives on the same input, in its order. When the
//! text cannot be read this way, it is read again through a [`Value`], so a
//! refused input is refused exactly as [`super::from_value`] refuses it.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cmp::Ordering;

use serde_json::Value;

use super::{EvalCase, RawCase};
use crate::error::{Error, ErrorKind, Path, Segment};
use crate::notice::Notices;
use crate::schema::{self, case_format::CASE};

/// Reads a case from JSON text (shared spec `eval-case.md`): the case
/// [`super::from_value`] reads from the same text's value, with the same
/// notices and the same errors.
pub fn from_json(text: &str) -> Result<EvalCase, Error> {
    // serde_json skips an unknown field however deep it nests, while the
    // value reader stops at its recursion limit: deep text takes the value
    // path, so its error (kind `limit`) is the same.
    if nests_deeper_than(text, DEPTH_LIMIT) {
        return super::from_value(&parse_value(text)?);
    }
    match read(text) {
        // ScaledJobs and KPAs are read from the value (their readers take it).
        Some((raw, _)) if raw.scaled_job.is_some() || raw.kpa.is_some() => {
            super::from_value(&parse_value(text)?)
        }
        Some((raw, mut case)) => super::from_raw(raw, |raw| {
            let mut notices = super::autoscaler_unknown_fields(raw);
            notices.0.append(&mut case.0);
            notices
        }),
        None => super::from_value(&parse_value(text)?),
    }
}

/// serde_json's recursion limit when it reads a value.
const DEPTH_LIMIT: usize = 128;

/// Whether JSON text opens more than `limit` arrays and objects inside
/// each other (strings skipped).
fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// JSON text as a value; a syntax error carries its line and column.
pub fn parse_value(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let kind = if message.starts_with("recursion limit exceeded") {
            ErrorKind::Limit
        } else {
            ErrorKind::Syntax
        };
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_string(),
            None => message,
        };
        let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
        let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
        Error::at_position(kind, line, column, message)
    })
}

/// A case's fields from JSON text, with the unknown fields of the case
/// format (not those of `hpa:` or `scaledObject:`); `None` when the text
/// is not a mapping that reads without error.
pub(super) fn read(text: &str) -> Option<(RawCase, Notices)> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let mut skipped: Vec<Path> = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let raw: RawCase = serde_ignored::deserialize(&mut de, |p| {
        let mut path = Path::root();
        steps(&p, &mut path.0);
        skipped.push(path);
    })
    .ok()?;
    de.end().ok()?;
    // `walk`'s order: keys in name order at every level.
    skipped.sort_by(|a, b| order(&a.0, &b.0));
    let mut notices = Notices::default();
    for at in skipped {
        if let Some(n) = schema::unknown_at(&CASE, at) {
            notices.push(n);
        }
    }
    Some((raw, notices))
}

/// `p`'s keys and indices, outermost first.
fn steps(p: &serde_ignored::Path<'_>, out: &mut Vec<Segment>) {
    use serde_ignored::Path as P;
    match p {
        P::Root => {}
        P::Seq { parent, index } => {
            steps(parent, out);
            out.push(Segment::Index(*index));
        }
        P::Map { parent, key } => {
            steps(parent, out);
            out.push(Segment::Key(key.clone()));
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            steps(parent, out);
        }
    }
}

/// Paths in the order a walk of a `Value` (keys sorted) meets them.
fn order(a: &[Segment], b: &[Segment]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (Segment::Key(x), Segment::Key(y)) => String::as_str(x).cmp(y),
            (Segment::Index(x), Segment::Index(y)) => x.cmp(y),
            (Segment::Key(_), Segment::Index(_)) => Ordering::Less,
            (Segment::Index(_), Segment::Key(_)) => Ordering::Greater,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod depth_tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn deep_text_is_refused_by_the_limit_as_the_value_reader_refuses_it() {
        let mut deep = String::from(r#"{"now": 1, "deep": "#);
        deep.push_str(&"[".repeat(500));
        deep.push_str(&"]".repeat(500));
        deep.push('}');
        let e = from_json(&deep).unwrap_err();
        assert_eq!(e.first().kind, ErrorKind::Limit, "{e:?}");
        assert!(!nests_deeper_than(
            r#"{"a": "[[[[", "b": [1, {"c": 2}]}"#,
            3
        ));
        assert!(nests_deeper_than(r#"{"a": [[1]]}"#, 2));
    }
}
