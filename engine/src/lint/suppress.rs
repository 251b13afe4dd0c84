//! Suppressions: `# replicast: ignore RC101[, RC205]` on the finding's line
//! or the line above, and `lint.replicast.dev/ignore: "RC101,RC205"` on the
//! object. Each entry is a code, a code prefix or a rule name.

use serde_json::Value;

use super::{Finding, matches_rule};

/// The object annotation that suppresses rules.
pub const ANNOTATION: &str = "lint.replicast.dev/ignore";

/// Whether the finding's object carries an ignore annotation naming its rule.
pub(crate) fn by_annotation(docs: &[Value], f: &Finding) -> bool {
    let Some(doc) = f.document().and_then(|i| docs.get(i)) else {
        return false;
    };
    let list = doc
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(ANNOTATION))
        .and_then(Value::as_str);
    list.is_some_and(|l| names(l, f.rule))
}

/// Whether a `# replicast: ignore ...` comment on the finding's line or the
/// line above names its rule (findings located in `text`).
pub fn by_comment(text: &str, f: &Finding) -> bool {
    let Some(line) = f.line.and_then(|l| usize::try_from(l).ok()) else {
        return false;
    };
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(2))
        .take(if line >= 2 { 2 } else { 1 })
        .any(|(_, l)| comment_names(l, f.rule))
}

fn comment_names(line: &str, code: &str) -> bool {
    let Some(i) = line.find("# replicast: ignore") else {
        return false;
    };
    let rest = &line[i + "# replicast: ignore".len()..];
    // The list ends at the next comment marker.
    names(rest.split('#').next().unwrap_or(""), code)
}

fn names(list: &str, code: &str) -> bool {
    list.split([',', ' ']).any(|s| matches_rule(s, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_name_codes_on_the_line_or_above() {
        assert!(comment_names(
            "  replicas: 3 # replicast: ignore RC202",
            "RC202"
        ));
        assert!(comment_names("# replicast: ignore RC101, RC202", "RC202"));
        assert!(!comment_names("# replicast: ignore RC101", "RC202"));
        assert!(!comment_names("replicas: 3", "RC202"));
        assert!(!comment_names("# replicast: ignore RC201 # RC202", "RC202"));
    }
}
