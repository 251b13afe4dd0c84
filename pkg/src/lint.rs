//! What `lint` takes and returns: the engine linter's findings
//! ([`replicast_engine::lint`]) on a manifest stream, as
//! `replicast lint --format json` prints them.
//!
//! As in [`crate::decision`], these structs are what is serialized, and the
//! `From` destructures the engine's type, so the `.d.ts` follows the engine.

use replicast_engine::lint as engine;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Which rules run, as `replicast lint --select/--ignore`: each entry is a
/// code (`RC101`), a code prefix (`RC1`) or a rule name.
#[derive(Clone, Debug, Default, Deserialize, Tsify)]
pub struct LintOptions {
    /// Only these rules (all when absent or empty).
    #[serde(default)]
    #[tsify(optional)]
    pub select: Option<Vec<String>>,
    /// Never these rules.
    #[serde(default)]
    #[tsify(optional)]
    pub ignore: Option<Vec<String>>,
}

impl From<LintOptions> for engine::Options {
    fn from(o: LintOptions) -> Self {
        engine::Options {
            select: o.select.unwrap_or_default(),
            ignore: o.ignore.unwrap_or_default(),
        }
    }
}

/// What `lint` returns.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct LintResult {
    /// The findings, in line order for text.
    pub findings: Vec<Finding>,
}

/// One finding of one rule at one place.
#[derive(Clone, Debug, Serialize, Tsify)]
pub struct Finding {
    /// The rule's code: `RC101`.
    pub rule: String,
    /// The rule's name: `hpa-and-scaledobject-same-target`.
    pub name: String,
    /// `error`, `warning` or `info`.
    #[tsify(type = "\"error\" | \"warning\" | \"info\"")]
    pub severity: String,
    /// What happens at runtime and the fix.
    pub message: String,
    /// Where: `[1].spec.scaleTargetRef` (document 1 of the stream).
    pub path: String,
    /// 1-based line in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub line: Option<u32>,
    /// 1-based column in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub column: Option<u32>,
}

impl From<engine::Finding> for Finding {
    fn from(f: engine::Finding) -> Self {
        let engine::Finding {
            rule,
            name,
            severity,
            message,
            path,
            line,
            column,
            ..
        } = f;
        Finding {
            rule: rule.into(),
            name: name.into(),
            severity: severity.as_str().into(),
            message,
            path,
            line,
            column,
        }
    }
}
