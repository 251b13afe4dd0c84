//! The `tune:` section of a scenario (shared spec `tune.md`): read strictly,
//! every problem named by its path (`tune.knobs[1].range`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path, Segment};

/// Candidates simulated in full when `tune.budget` is not given.
pub const DEFAULT_BUDGET: usize = 300;
/// The most candidates one run may simulate.
pub const MAX_BUDGET: usize = 100_000;
/// The most seeds per candidate.
pub const MAX_SEEDS: u32 = 64;
/// The most values one knob may take.
pub const MAX_VALUES: usize = 1000;

/// `tune:` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTune {
    /// The tuned variant's name (default: the first).
    pub variant: Option<String>,
    /// A summary field, lower is better.
    pub objective: Option<String>,
    /// The frontier's second axis.
    pub frontier: Option<String>,
    /// Summary fields with bounds.
    pub constraints: Option<BTreeMap<String, Bound>>,
    /// Noise seeds per candidate.
    pub seeds: Option<u32>,
    /// Candidates simulated in full.
    pub budget: Option<usize>,
    /// Explicit knobs (default: derived from the autoscalers).
    pub knobs: Option<Vec<RawKnob>>,
}

/// A constraint's bounds (inclusive).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// The field must be at least this.
    pub min: Option<f64>,
    /// The field must be at most this.
    pub max: Option<f64>,
}

impl Bound {
    /// How far `v` is outside the bounds (0 inside).
    pub fn violation(&self, v: f64) -> f64 {
        let below = self.min.map_or(0.0, |m| (m - v).max(0.0));
        let above = self.max.map_or(0.0, |m| (v - m).max(0.0));
        below + above
    }
}

/// One `tune.knobs[i]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKnob {
    /// `Kind/name` of an object in the manifests.
    pub object: String,
    /// A field path below the object (`spec.minReplicas`).
    pub path: String,
    /// `[from, to]`, inclusive.
    pub range: Option<[f64; 2]>,
    /// The step through `range` (default 1).
    pub step: Option<f64>,
    /// Or the values themselves (numbers or quantities such as `"500m"`).
    pub values: Option<Vec<Value>>,
}

/// Reads `tune:` (at `at`).
pub fn read(v: Option<&Value>, at: &Path) -> Result<RawTune, Error> {
    let raw: RawTune = match v {
        None | Some(Value::Null) => RawTune::default(),
        Some(v) => crate::spec::deserialize(v, at)?,
    };
    if let Some(b) = raw.budget {
        if b == 0 || b > MAX_BUDGET {
            return Err(Error::new(
                ErrorKind::Invalid,
                at.child("budget"),
                format!("the budget is between 1 and {MAX_BUDGET} candidates"),
            ));
        }
    }
    if let Some(s) = raw.seeds {
        if s == 0 || s > MAX_SEEDS {
            return Err(Error::new(
                ErrorKind::Invalid,
                at.child("seeds"),
                format!("seeds is between 1 and {MAX_SEEDS}"),
            ));
        }
    }
    for (name, b) in raw.constraints.iter().flatten() {
        let here = at.child("constraints").child(name);
        if b.min.is_none() && b.max.is_none() {
            return Err(Error::new(
                ErrorKind::Schema,
                here,
                "a constraint needs `min`, `max` or both (e.g. `{max: 60}`)",
            ));
        }
        if b.min.into_iter().chain(b.max).any(|x| !x.is_finite()) {
            return Err(Error::new(ErrorKind::Invalid, here, "bounds are numbers"));
        }
    }
    Ok(raw)
}

/// Reads a field path as errors print it: `spec.metrics[2].pods.target`.
pub fn parse_path(text: &str) -> Option<Path> {
    let mut segs = Vec::new();
    for part in text.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && (segs.is_empty() || rest.is_empty()) {
            return None;
        }
        if !key.is_empty() {
            segs.push(Segment::Key(String::from(key)));
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let n: usize = rest.get(1..close)?.parse().ok()?;
            segs.push(Segment::Index(n));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    (!segs.is_empty()).then_some(Path(segs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_errors_print_them() {
        let p = parse_path("spec.metrics[2].pods.target.averageValue").unwrap();
        assert_eq!(
            alloc::string::ToString::to_string(&p),
            "spec.metrics[2].pods.target.averageValue"
        );
        assert_eq!(parse_path("a[0][1]").unwrap().0.len(), 3);
        for bad in ["", "a..b", "a[x]", "a[1]b", ".a", "a["] {
            assert!(parse_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_and_empty_bounds_are_refused() {
        let at = Path::root().child("tune");
        let e = read(Some(&serde_json::json!({"budgett": 3})), &at).unwrap_err();
        assert!(e.first().message.contains("budgett"), "{e}");
        let e = read(
            Some(&serde_json::json!({"constraints": {"dropped": {}}})),
            &at,
        )
        .unwrap_err();
        assert_eq!(e.first().path, "tune.constraints.dropped");
        assert_eq!(
            Bound {
                min: None,
                max: Some(2.0)
            }
            .violation(5.0),
            3.0
        );
    }
}
