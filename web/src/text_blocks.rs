//! Edits to the scenario's YAML text that keep everything else as written.
//!
//! The playground's state is the scenario text itself (shared spec
//! `scenario.md`): the forms do not hold a copy of the scenario, they rewrite
//! one top-level block (`load:`, `workload:`, `duration:`) and leave the
//! manifests, their comments and the user's layout untouched. The editor's
//! manifest views show one literal block scalar (`manifests: |`) without its
//! indentation and splice edits back with it.

/// A top-level `key:` block: its key line and the lines it spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The key.
    pub key: String,
    /// 0-based index of the key's line.
    pub start: usize,
    /// 0-based index one past its last line (trailing blank lines and
    /// column-0 comments belong to the next block).
    pub end: usize,
}

/// The key of a top-level mapping entry on this line, if it starts one.
fn top_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_' || first == '"' || first == '\'') {
        return None;
    }
    let colon = line.find(':')?;
    let key = line[..colon].trim_end();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    let rest = &line[colon + 1..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        .then_some(key)
}

/// The text's lines (without terminators); a final newline adds no line.
pub fn lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

fn is_trailing(line: &str) -> bool {
    line.trim().is_empty() || line.starts_with('#')
}

/// Every top-level block, in order.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines = lines(text);
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| top_key(l).map(|k| (i, k)))
        .collect();
    let mut out = Vec::with_capacity(starts.len());
    for (n, &(start, key)) in starts.iter().enumerate() {
        let mut end = starts.get(n + 1).map_or(lines.len(), |&(next, _)| next);
        while end > start + 1 && is_trailing(lines[end - 1]) {
            end -= 1;
        }
        out.push(Block {
            key: key.to_owned(),
            start,
            end,
        });
    }
    out
}

/// `text` with the top-level block `key` replaced by `block` (its lines,
/// key line included, without a final newline), or `block` appended (after
/// the block named in `after`, when there is one) when `key` is absent.
/// `None` for `block` removes the key.
pub fn set_block(text: &str, key: &str, block: Option<&str>, after: &[&str]) -> String {
    let all = lines(text);
    let found = blocks(text);
    let mut out: Vec<&str> = Vec::with_capacity(all.len() + 8);
    let new_lines: Vec<&str> = block.map(|b| b.split('\n').collect()).unwrap_or_default();
    if let Some(b) = found.iter().find(|b| b.key == key) {
        out.extend_from_slice(&all[..b.start]);
        out.extend_from_slice(&new_lines);
        out.extend_from_slice(&all[b.end..]);
    } else if block.is_some() {
        let anchor = after
            .iter()
            .find_map(|k| found.iter().find(|b| b.key == *k))
            .map_or(all.len(), |b| b.end);
        out.extend_from_slice(&all[..anchor]);
        out.extend_from_slice(&new_lines);
        out.extend_from_slice(&all[anchor..]);
    } else {
        return text.to_owned();
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// Where a literal block scalar's content sits in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embedded {
    /// 0-based index of the line holding `key: |`.
    pub key_line: usize,
    /// 0-based index of the first content line.
    pub first: usize,
    /// 0-based index one past the last content line (trailing blank lines
    /// excluded).
    pub end: usize,
    /// The indentation removed from every content line.
    pub indent: usize,
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether the line (from `from`, a byte offset) is `key: |` with an
/// optional chomping/indentation indicator and comment.
fn is_literal_key(line: &str, key: &str) -> Option<usize> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    let col = line.len() - body.len();
    let rest = body.strip_prefix(key)?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('|')?;
    let rest = rest.trim_start_matches(['-', '+', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    let rest = rest.trim_start();
    (rest.is_empty() || rest.starts_with('#')).then_some(col)
}

/// The literal block scalar under the key `key` whose key sits on line
/// `key_line` (0-based), e.g. from the engine's `Node::locate`.
pub fn embedded_at(text: &str, key_line: usize, key: &str) -> Option<Embedded> {
    let all = lines(text);
    let line = all.get(key_line)?;
    let key_col = is_literal_key(line, key)?;
    let mut first = None;
    let mut indent = 0;
    let mut end = key_line + 1;
    for (i, l) in all.iter().enumerate().skip(key_line + 1) {
        if l.trim().is_empty() {
            continue;
        }
        let ind = indentation(l);
        match first {
            None if ind > key_col => {
                first = Some(i);
                indent = ind;
                end = i + 1;
            }
            None => break,
            Some(_) if ind >= indent => end = i + 1,
            Some(_) => break,
        }
    }
    let first = first.unwrap_or(key_line + 1);
    Some(Embedded {
        key_line,
        first,
        end: end.max(first),
        indent: if indent == 0 { key_col + 2 } else { indent },
    })
}

/// The content of an embedded block, without its indentation.
pub fn embedded_text(text: &str, at: &Embedded) -> String {
    let all = lines(text);
    let mut out = String::new();
    for l in &all[at.first.min(all.len())..at.end.min(all.len())] {
        out.push_str(l.get(at.indent..).unwrap_or_else(|| l.trim_start()));
        out.push('\n');
    }
    out
}

/// `text` with an embedded block's content replaced by `content`, indented.
pub fn set_embedded(text: &str, at: &Embedded, content: &str) -> String {
    let all = lines(text);
    let pad = " ".repeat(at.indent);
    let mut out = String::with_capacity(text.len() + content.len());
    for l in &all[..at.first.min(all.len())] {
        out.push_str(l);
        out.push('\n');
    }
    for l in lines(content.trim_end_matches('\n')) {
        if !l.trim().is_empty() {
            out.push_str(&pad);
            out.push_str(l);
        }
        out.push('\n');
    }
    for l in &all[at.end.min(all.len())..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// `content` as a literal block scalar under `key` at `indent` spaces.
pub fn literal(key_prefix: &str, content: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = format!("{key_prefix}|");
    for l in lines(content.trim_end_matches('\n')) {
        out.push('\n');
        if !l.trim().is_empty() {
            out.push_str(&pad);
            out.push_str(l);
        }
    }
    out
}

/// Whether the text looks like Kubernetes manifests rather than a scenario:
/// a top-level `apiVersion` or `kind` and no `manifests`.
pub fn looks_like_manifests(text: &str) -> bool {
    let found = blocks(text);
    found
        .iter()
        .any(|b| b.key == "apiVersion" || b.key == "kind")
        && !found
            .iter()
            .any(|b| b.key == "manifests" || b.key == "load")
}

/// 1-based line and column to a byte offset (columns count characters).
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let col = (column.max(1) - 1) as usize;
            return offset + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len() + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "\
# header
manifests: |
  apiVersion: v1
  kind: X

  # inner
  spec: {a: 1}
duration: 6h
# about the load
load:
  - {constant: 20}   # base

workload:
  mode: http
variants:
  - name: A
  - name: B
    manifests: |
      kind: Y
      spec: 2
cost: {perReplicaHour: 2}
";

    #[test]
    fn finds_top_level_blocks() {
        let b = blocks(SCENARIO);
        let keys: Vec<&str> = b.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "manifests",
                "duration",
                "load",
                "workload",
                "variants",
                "cost"
            ]
        );
        let load = &b[2];
        assert_eq!((load.start, load.end), (9, 11));
    }

    #[test]
    fn replaces_a_block_and_keeps_the_rest() {
        let out = set_block(SCENARIO, "load", Some("load:\n  - {constant: 5}"), &[]);
        assert!(out.contains("# about the load\nload:\n  - {constant: 5}\n\nworkload:"));
        assert!(out.contains("  # inner\n"));
        let added = set_block(SCENARIO, "seed", Some("seed: 3"), &["duration"]);
        assert!(added.contains("duration: 6h\nseed: 3\n# about the load"));
        let removed = set_block(SCENARIO, "cost", None, &[]);
        assert!(!removed.contains("cost"));
    }

    #[test]
    fn embedded_blocks_round_trip() {
        let at = embedded_at(SCENARIO, 1, "manifests").unwrap();
        assert_eq!((at.first, at.end, at.indent), (2, 7, 2));
        let inner = embedded_text(SCENARIO, &at);
        assert_eq!(inner, "apiVersion: v1\nkind: X\n\n# inner\nspec: {a: 1}\n");
        assert_eq!(set_embedded(SCENARIO, &at, &inner), SCENARIO);
        let b = embedded_at(SCENARIO, 17, "manifests").unwrap();
        assert_eq!(embedded_text(SCENARIO, &b), "kind: Y\nspec: 2\n");
        let edited = set_embedded(SCENARIO, &b, "kind: Z\n\nspec: 3\nmore: 4\n");
        assert!(
            edited
                .contains("    manifests: |\n      kind: Z\n\n      spec: 3\n      more: 4\ncost:")
        );
    }

    #[test]
    fn recognises_bare_manifests() {
        assert!(looks_like_manifests("apiVersion: v1\nkind: Deployment\n"));
        assert!(!looks_like_manifests(SCENARIO));
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(offset_of("ab\ncé d\n", 2, 4), 3 + 4);
        assert_eq!(offset_of("ab\n", 9, 1), 3);
    }
}
