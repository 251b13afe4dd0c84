//! The linter: autoscaling mistakes that the API server accepts, found in
//! the manifests before they ship.
//!
//! The manifests are read by the engine's own reader ([`crate::manifest`]):
//! a document the engine refuses is an `RC001 invalid-manifest` finding with
//! the engine's message, and the other documents are still linted. Objects
//! the reader lists as ignored (PodDisruptionBudget, ScaledJob) are read here
//! from the raw documents.
//!
//! Every [`Finding`] names its rule ([`rules::ALL`]), its severity, what
//! happens at runtime and the fix, and its place: a path such as
//! `[1].spec.scaleTargetRef` (document 1 of the stream) and, read from text,
//! the line and column. Suppressions: a `# replicast: ignore RC101` comment
//! on the finding's line or the line above, a `lint.replicast.dev/ignore:
//! "RC101,RC205"` annotation on the object, and [`Options`]'s `select` and
//! `ignore`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Path, Segment};
use crate::manifest::{self, Object};
use crate::notice::{Notice, NoticeKind, Notices};
use crate::spec::validation;

mod conflicts;
mod model;
mod placement;
pub mod rules;
mod scaling;
mod scenario;
mod suppress;

pub use rules::{Rule, Severity};
pub use scenario::Facts;
pub use suppress::{ANNOTATION, by_comment};

/// One finding of one rule at one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's code: `RC101`.
    pub rule: &'static str,
    /// The rule's name: `hpa-and-scaledobject-same-target`.
    pub name: &'static str,
    /// The rule's severity.
    pub severity: Severity,
    /// What happens at runtime and the fix.
    pub message: String,
    /// Where: `[1].spec.scaleTargetRef` (document 1 of the stream).
    pub path: String,
    /// 1-based line in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip)]
    at: Path,
}

impl Finding {
    /// A finding of `rule` at `at`, not yet located.
    pub fn new(rule: &Rule, at: Path, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: message.into(),
            path: at.to_string(),
            line: None,
            column: None,
            at,
        }
    }

    /// The structured path.
    pub fn at(&self) -> &Path {
        &self.at
    }

    /// The document index the finding is in (its path's first segment).
    pub fn document(&self) -> Option<usize> {
        match self.at.0.first() {
            Some(Segment::Index(i)) => Some(*i),
            _ => None,
        }
    }
}

/// Which rules run: ruff's `--select`/`--ignore`. Each entry is a code
/// (`RC101`), a code prefix (`RC1`, `RC`) or a rule name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Only these rules (all when empty).
    pub select: Vec<String>,
    /// Never these rules.
    pub ignore: Vec<String>,
}

impl Options {
    /// Whether the rule with `code` runs.
    pub fn enabled(&self, code: &str) -> bool {
        let matches = |sel: &String| matches_rule(sel, code);
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Whether a selector (code, code prefix or name) names the rule `code`.
pub(crate) fn matches_rule(selector: &str, code: &str) -> bool {
    let s = selector.trim();
    if s.is_empty() {
        return false;
    }
    if code.len() >= s.len() && code[..s.len()].eq_ignore_ascii_case(s) {
        return true;
    }
    rules::find(s).is_some_and(|r| r.code == code)
}

/// The validation the linter reads with: the API server's defaults (the
/// `HPAScaleToZero` gate off).
pub const VALIDATION: validation::Options = validation::Options {
    min_replicas_lower_bound: 1,
};

/// Lints documents already converted to JSON values. Findings carry paths
/// but no lines; annotations suppress, `opts` selects.
pub fn lint_values(docs: &[Value], opts: &Options) -> Vec<Finding> {
    lint_values_in(docs, opts, None)
}

/// [`lint_values`] for the manifests of a scenario, whose facts (cold
/// start, node capacity) some rules need.
pub fn lint_values_in(docs: &[Value], opts: &Options, facts: Option<&Facts>) -> Vec<Finding> {
    let mut findings = run_rules(docs, facts);
    findings.retain(|f| opts.enabled(f.rule) && !suppress::by_annotation(docs, f));
    findings
}

/// Lints a multi-document YAML (or JSON) stream: findings located in
/// `text`, in line order, with comment and annotation suppressions applied.
/// `Err` only when the text is not YAML at all.
#[cfg(feature = "yaml")]
pub fn lint_text(text: &str, opts: &Options) -> Result<Vec<Finding>, crate::error::Error> {
    lint_text_in(text, opts, None)
}

#[cfg(feature = "yaml")]
fn lint_text_in(
    text: &str,
    opts: &Options,
    facts: Option<&Facts>,
) -> Result<Vec<Finding>, crate::error::Error> {
    let docs = crate::yaml::parse_documents(text, &crate::yaml::Limits::default())?;
    let mut values = Vec::with_capacity(docs.len());
    for d in &docs {
        values.push(d.root.to_json()?);
    }
    if let ([doc], [scenario]) = (docs.as_slice(), values.as_slice()) {
        if let Some(found) = lint_scenario(text, doc, scenario, opts) {
            return found;
        }
    }
    let mut findings = lint_values_in(&values, opts, facts);
    for f in &mut findings {
        if let Some((line, column)) = manifest::locate(&docs, &f.at) {
            f.line = Some(line);
            f.column = Some(column);
        }
    }
    findings.retain(|f| !suppress::by_comment(text, f));
    findings.sort_by_key(|f| (f.line, f.column, f.rule));
    Ok(findings)
}

/// A scenario (a mapping with `manifests:` text and no `kind`): its
/// manifests linted with its facts, each finding placed in the scenario's
/// text when the manifests are a literal block (`manifests: |`).
#[cfg(feature = "yaml")]
fn lint_scenario(
    text: &str,
    doc: &crate::yaml::Document,
    scenario: &Value,
    opts: &Options,
) -> Option<Result<Vec<Finding>, crate::error::Error>> {
    let inner = scenario.get("manifests")?.as_str()?;
    if scenario.get("kind").is_some() {
        return None;
    }
    let key = Path::root().child("manifests");
    let facts = Facts::of(scenario);
    let mut findings = match lint_text_in(inner, opts, Some(&facts)) {
        Ok(f) => f,
        Err(e) => return Some(Err(e.under(&key))),
    };
    let (line, _) = doc.root.locate(&key);
    let block = text
        .lines()
        .nth(line as usize - 1)
        .is_some_and(|l| l.trim_end().ends_with('|') || l.trim_end().ends_with("|-"));
    let indent = text
        .lines()
        .skip(line as usize)
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len());
    for f in &mut findings {
        f.at = f.at.under(&key);
        f.path = f.at.to_string();
        match (block, indent, f.line) {
            (true, Some(indent), Some(l)) => {
                f.line = Some(l + line);
                f.column = f.column.map(|c| c + indent as u32);
            }
            _ => {
                f.line = Some(line);
                f.column = None;
            }
        }
    }
    Some(Ok(findings))
}

/// Every rule over the documents.
fn run_rules(docs: &[Value], facts: Option<&Facts>) -> Vec<Finding> {
    let mut out = Vec::new();
    let (objects, notices) = read_objects(docs, &mut out);
    let m = model::Model::new(docs, &objects);
    unknown_fields(&notices, &mut out);
    conflicts::check(&m, &mut out);
    placement::check(&m, &mut out);
    scaling::check(&m, &mut out);
    if let Some(facts) = facts {
        scenario::check(&m, facts, &mut out);
    }
    out
}

/// `[0].rest` (a path of a document read on its own) as `[doc].rest`.
fn renumber(at: &Path, doc: usize) -> Path {
    Path(at.0.iter().skip(1).cloned().collect()).under(&Path::root().index(doc))
}

/// Reads each document on its own (so one refused document hides no
/// finding of the others); the refused ones become `RC001` findings. Also
/// returns the reader's notices.
fn read_objects(docs: &[Value], out: &mut Vec<Finding>) -> (Vec<Option<Object>>, Notices) {
    let mut notices = Notices::default();
    let mut objects = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        match manifest::from_values(core::slice::from_ref(doc), VALIDATION) {
            Ok(m) => {
                for n in m.notices.0 {
                    notices.push(Notice::new(n.kind, renumber(n.at(), i), n.message));
                }
                scaled_job(doc, i, &mut notices, out);
                objects.push(m.objects.into_iter().next());
            }
            Err(e) => {
                out.extend(e.problems.into_iter().map(|p| {
                    Finding::new(&rules::INVALID_MANIFEST, renumber(&p.at, i), p.message)
                }));
                objects.push(None);
            }
        }
    }
    (objects, notices)
}

/// A ScaledJob (listed as ignored by the reader) read as KEDA reads it
/// ([`crate::keda::job::read_scaled_job`]): what KEDA refuses is an
/// `RC001` finding, its warnings are notices of document `i`.
fn scaled_job(doc: &Value, i: usize, notices: &mut Notices, out: &mut Vec<Finding>) {
    if doc.get("kind").and_then(Value::as_str) != Some("ScaledJob") {
        return;
    }
    let at = Path::root().index(i);
    match crate::keda::job::read_scaled_job(doc, &at) {
        Ok(read) => notices.0.extend(read.notices.0),
        Err(e) => out.extend(
            e.problems
                .into_iter()
                .map(|p| Finding::new(&rules::INVALID_MANIFEST, p.at, p.message)),
        ),
    }
}

/// `RC203 unknown-field`: the one place where the reader's `unknown-field`
/// notices ([`crate::manifest::Manifests::notices`]) become findings.
fn unknown_fields(notices: &Notices, out: &mut Vec<Finding>) {
    for n in notices
        .0
        .iter()
        .filter(|n| n.kind == NoticeKind::UnknownField)
    {
        out.push(Finding::new(
            &rules::UNKNOWN_FIELD,
            n.at().clone(),
            alloc::format!(
                "{}: the API server drops it (or refuses the object under kubectl's strict field validation), so the setting does nothing; fix its spelling or remove it",
                n.message
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_fields_of_the_reader_are_found_in_their_document() {
        let docs = [
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}),
            serde_json::json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "h"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "w"},
                "maxReplicas": 3, "maxReplica": 4}}),
        ];
        let f = run_rules(&docs, None);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].rule, f[0].path.as_str()),
            ("RC203", "[1].spec.maxReplica")
        );
    }

    use super::*;

    #[test]
    fn a_scaled_job_keda_refuses_is_rc001_at_its_path() {
        let job = |metric_type: Option<&str>| {
            let mut t = serde_json::json!({"type": "rabbitmq", "metadata": {
                "host": "amqp://guest:guest@rabbitmq:5672/", "queueName": "jobs",
                "mode": "QueueLength", "value": "5"}});
            if let Some(m) = metric_type {
                t["metricType"] = m.into();
            }
            serde_json::json!({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob",
                "metadata": {"name": "batch"}, "spec": {
                "jobTargetRef": {"template": {"spec": {"containers": [{"name": "w"}]}}},
                "triggers": [t]}})
        };
        let cm =
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
        assert_eq!(run_rules(&[cm.clone(), job(None)], None), Vec::new());
        let f = run_rules(&[cm, job(Some("Value"))], None);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].rule, f[0].path.as_str(), f[0].message.as_str()),
            (
                "RC001",
                "[1].spec.triggers[0].metricType",
                "Cannot set metricType in ScaledJob triggers"
            )
        );
    }

    #[test]
    fn selectors_take_codes_prefixes_and_names() {
        assert!(matches_rule("RC101", "RC101"));
        assert!(matches_rule("rc1", "RC101"));
        assert!(matches_rule("hpa-and-scaledobject-same-target", "RC101"));
        assert!(!matches_rule("RC2", "RC101"));
        assert!(!matches_rule("", "RC101"));
        let opts = Options {
            select: alloc::vec!["RC1".into()],
            ignore: alloc::vec!["RC102".into()],
        };
        assert!(opts.enabled("RC101"));
        assert!(!opts.enabled("RC102"));
        assert!(!opts.enabled("RC201"));
    }

    #[test]
    fn unknown_field_notices_become_rc203() {
        let mut ns = Notices::default();
        ns.push(Notice::new(
            NoticeKind::UnknownField,
            Path::root().index(0).child("spec").child("maxReplica"),
            "unknown field \"spec.maxReplica\"",
        ));
        ns.push(Notice::new(NoticeKind::Assumption, Path::root(), "x"));
        let mut f = Vec::new();
        unknown_fields(&ns, &mut f);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].rule, f[0].path.as_str()),
            ("RC203", "[0].spec.maxReplica")
        );
    }

    #[test]
    fn codes_are_unique_and_named_in_kebab_case() {
        for (i, r) in rules::ALL.iter().enumerate() {
            assert!(
                rules::ALL[i + 1..]
                    .iter()
                    .all(|o| o.code != r.code && o.name != r.name),
                "{r:?}"
            );
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
    }
}
