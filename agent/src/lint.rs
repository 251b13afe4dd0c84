//! `replicast lint FILE|DIR|-...`: the engine's linter
//! ([`replicast_engine::lint`]) over manifest files, printed as a compiler
//! prints diagnostics (`text`), as JSON, as SARIF 2.1.0 for code-scanning
//! UIs, or as GitHub workflow annotations.
//!
//! Exit status: 0 clean (warnings allowed), 1 when an error-severity finding
//! remains, 2 when an input cannot be read at all (a missing file, text that
//! is not YAML).

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use replicast_engine::lint::{self, Finding, Severity, rules};
use serde_json::{Value, json};

/// Where each rule's documentation lives.
pub const RULES_DOC: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// Arguments of `replicast lint`.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Manifest files, directories (every `*.yaml`/`*.yml` below them), or
    /// `-` for standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only these rules: codes (`RC101`), prefixes (`RC1`) or names; comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never these rules: codes, prefixes or names.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col`, the source line and a caret, like a compiler.
    Text,
    /// `{"findings": [{rule, name, severity, message, file, path, line, column}]}`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

/// One linted input.
#[derive(Debug)]
pub struct Linted {
    /// The file as named on the command line (`-` is `<stdin>`).
    pub file: String,
    /// Its text.
    pub text: String,
    /// What the linter found.
    pub findings: Vec<Finding>,
}

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    /// The inputs that were read, in path order.
    pub linted: Vec<Linted>,
    /// The inputs that could not be read: `(file, why)`.
    pub unreadable: Vec<(String, String)>,
}

impl Report {
    /// 2 when an input could not be read, 1 when an error remains, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.unreadable.is_empty() {
            2
        } else if self.findings().any(|(_, f)| f.severity == Severity::Error) {
            1
        } else {
            0
        }
    }

    /// Every finding with its file.
    pub fn findings(&self) -> impl Iterator<Item = (&Linted, &Finding)> {
        self.linted
            .iter()
            .flat_map(|l| l.findings.iter().map(move |f| (l, f)))
    }
}

/// Runs `replicast lint`.
pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let opts = lint::Options {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    if let Some(s) = args
        .select
        .iter()
        .chain(&args.ignore)
        .find(|s| !names_a_rule(s))
    {
        eprintln!(
            "error: {s:?} names no rule (a code such as RC101, a prefix such as RC1, or a name; see docs/rules.md)"
        );
        return Ok(ExitCode::from(2));
    }
    let report = lint_paths(&args.paths, &opts)?;
    print!("{}", render(&report, args.format));
    for (file, why) in &report.unreadable {
        eprintln!("error: {file}: {why}");
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// Whether a `--select`/`--ignore` entry names at least one rule.
pub fn names_a_rule(selector: &str) -> bool {
    let only = lint::Options {
        select: vec![selector.to_string()],
        ignore: vec![],
    };
    rules::ALL.iter().any(|r| only.enabled(r.code))
}

/// Lints every input: files, directories (recursively, `*.yaml`/`*.yml`,
/// sorted) and `-` (standard input).
pub fn lint_paths(paths: &[PathBuf], opts: &lint::Options) -> anyhow::Result<Report> {
    let mut report = Report::default();
    for p in paths {
        if p.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading standard input")?;
            lint_one("<stdin>".into(), text, opts, &mut report);
            continue;
        }
        let mut files = Vec::new();
        if let Err(e) = collect(p, &mut files) {
            report
                .unreadable
                .push((p.display().to_string(), e.to_string()));
            continue;
        }
        files.sort();
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => lint_one(f.display().to_string(), text, opts, &mut report),
                Err(e) => report
                    .unreadable
                    .push((f.display().to_string(), e.to_string())),
            }
        }
    }
    Ok(report)
}

fn lint_one(file: String, text: String, opts: &lint::Options, report: &mut Report) {
    match lint::lint_text(&text, opts) {
        Ok(findings) => report.linted.push(Linted {
            file,
            text,
            findings,
        }),
        Err(e) => report.unreadable.push((file, e.to_string())),
    }
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !p.is_dir() {
        // A missing file fails here, with the OS's words.
        std::fs::metadata(p)?;
        out.push(p.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(p)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json_findings(report).to_string() + "\n",
        Format::Sarif => sarif(report).to_string() + "\n",
        Format::Github => github(report),
    }
}

fn anchor(code: &str) -> String {
    format!("{RULES_DOC}#{}", code.to_ascii_lowercase())
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 3];
    for (l, f) in report.findings() {
        counts[f.severity as usize] += 1;
        let _ = writeln!(out, "{}[{}]: {}", f.severity.as_str(), f.rule, f.message);
        match (f.line, f.column) {
            (Some(line), Some(col)) => {
                let src = l.text.lines().nth(line as usize - 1).unwrap_or("");
                let width = line.to_string().len();
                let pad = " ".repeat(width);
                let _ = writeln!(out, "{pad}--> {}:{line}:{col} ({})", l.file, f.path);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{line} | {src}");
                let caret = " ".repeat(col.saturating_sub(1) as usize);
                let _ = writeln!(out, "{pad} | {caret}^");
                let _ = writeln!(out, "{pad} = {}: {}\n", f.name, anchor(f.rule));
            }
            _ => {
                let _ = writeln!(out, " --> {} ({})", l.file, f.path);
                let _ = writeln!(out, "  = {}: {}\n", f.name, anchor(f.rule));
            }
        }
    }
    let _ = writeln!(
        out,
        "{} file(s): {} error(s), {} warning(s), {} info",
        report.linted.len(),
        counts[0],
        counts[1],
        counts[2]
    );
    out
}

fn json_findings(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings()
        .map(|(l, f)| {
            json!({
                "rule": f.rule, "name": f.name, "severity": f.severity, "message": f.message,
                "file": l.file, "path": f.path, "line": f.line, "column": f.column,
            })
        })
        .collect();
    json!({ "findings": findings })
}

fn sarif(report: &Report) -> Value {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code, "name": r.name,
                "shortDescription": {"text": r.summary},
                "helpUri": anchor(r.code),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|(l, f)| {
            let mut physical = json!({"artifactLocation": {"uri": l.file.replace('\\', "/")}});
            if let (Some(line), Some(col)) = (f.line, f.column) {
                physical["region"] = json!({"startLine": line, "startColumn": col});
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": rules::ALL.iter().position(|r| r.code == f.rule),
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": f.path}],
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "replicast",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": RULES_DOC,
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// GitHub's workflow-command escaping: data escapes `%`, CR and LF;
/// properties also `:` and `,`.
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(report: &Report) -> String {
    let mut out = String::new();
    for (l, f) in report.findings() {
        let cmd = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape(&l.file, true));
        if let (Some(line), Some(col)) = (f.line, f.column) {
            let _ = write!(props, ",line={line},col={col}");
        }
        let title = escape(&format!("{} {}", f.rule, f.name), true);
        let _ = writeln!(
            out,
            "::{cmd} {props},title={title}::{}",
            escape(&f.message, false)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIGHT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, resources: {requests: {cpu: 500m}}}]\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {name: web}\n  minReplicaCount: 2\n  triggers: [{type: cpu, metricType: Utilization, metadata: {value: '60'}}]\n";

    fn report(text: &str) -> Report {
        let mut r = Report::default();
        lint_one(
            "m.yaml".into(),
            text.into(),
            &lint::Options::default(),
            &mut r,
        );
        r
    }

    #[test]
    fn text_points_at_the_line_with_a_caret() {
        let out = render(&report(FIGHT), Format::Text);
        assert!(
            out.starts_with("error[RC101]: ScaledObject/web and HorizontalPodAutoscaler/web"),
            "{out}"
        );
        assert!(
            out.contains(" --> m.yaml:21:3 ([2].spec.scaleTargetRef)\n"),
            "{out}"
        );
        assert!(
            out.contains("21 |   scaleTargetRef: {name: web}\n   |   ^\n"),
            "{out}"
        );
        assert!(
            out.ends_with("1 file(s): 1 error(s), 0 warning(s), 0 info\n"),
            "{out}"
        );
    }

    #[test]
    fn json_lists_findings_with_their_file() {
        let v: Value = serde_json::from_str(&render(&report(FIGHT), Format::Json)).unwrap();
        assert_eq!(
            v["findings"][0],
            json!({"rule": "RC101", "name": "hpa-and-scaledobject-same-target", "severity": "error",
                   "message": v["findings"][0]["message"], "file": "m.yaml",
                   "path": "[2].spec.scaleTargetRef", "line": 21, "column": 3})
        );
        assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn github_annotations_escape_their_properties() {
        let out = render(&report(FIGHT), Format::Github);
        assert!(
            out.starts_with("::error file=m.yaml,line=21,col=3,title=RC101 hpa-and-scaledobject-same-target::ScaledObject/web"),
            "{out}"
        );
        assert_eq!(escape("a:b,c%\n", true), "a%3Ab%2Cc%25%0A");
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn sarif_names_rules_and_regions() {
        let v = sarif(&report(FIGHT));
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "RC101");
        assert_eq!(result["level"], "error");
        let idx = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "RC101");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 21, "startColumn": 3})
        );
    }

    /// The SARIF output read back through `serde-sarif`'s types (generated
    /// from the SARIF 2.1.0 JSON schema) is the same JSON: every field is
    /// one the schema names, with the schema's type.
    #[test]
    fn sarif_round_trips_through_the_schema_types() {
        let mut r = report(FIGHT);
        lint_one(
            "seed.yaml".into(),
            include_str!("../../tests/seed/hybrid-ml.yaml").into(),
            &lint::Options::default(),
            &mut r,
        );
        let v = sarif(&r);
        assert_eq!(v["runs"][0]["results"].as_array().map(Vec::len), Some(4));
        let typed: serde_sarif::sarif::Sarif = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), v);
    }

    /// The SARIF output is valid against the SARIF 2.1.0 JSON Schema
    /// (OASIS; the copy in `tests/schemas/sarif-2.1.0.json` is the one the
    /// `serde-sarif` crate ships), checked by a JSON Schema validator.
    #[test]
    fn sarif_is_valid_against_the_2_1_0_schema() {
        let mut r = report(FIGHT);
        lint_one(
            "seed.yaml".into(),
            include_str!("../../tests/seed/hybrid-ml.yaml").into(),
            &lint::Options::default(),
            &mut r,
        );
        let v = sarif(&r);
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/schemas/sarif-2.1.0.json")).unwrap();
        let url = "file:///schemas/sarif-2.1.0.json";
        let mut compiler = boon::Compiler::new();
        let mut schemas = boon::Schemas::new();
        compiler.add_resource(url, schema).unwrap();
        let index = compiler.compile(url, &mut schemas).unwrap();
        if let Err(e) = schemas.validate(&v, index) {
            panic!("{e:#}");
        }
        // A document that breaks the schema is caught (the check can fail).
        let mut broken = v.clone();
        broken["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(schemas.validate(&broken, index).is_err());
    }

    #[test]
    fn directories_are_read_recursively_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
        let r = lint_paths(&[dir], &lint::Options::default()).unwrap();
        let files: Vec<&str> = r.linted.iter().map(|l| l.file.as_str()).collect();
        assert!(
            files
                .iter()
                .any(|f| f.ends_with("tests/lint/RC101-fail.yaml")),
            "{files:?}"
        );
        assert!(
            files
                .iter()
                .any(|f| f.ends_with("tests/seed/hybrid-ml.yaml")),
            "{files:?}"
        );
        assert!(files.windows(2).all(|w| w[0] < w[1]), "sorted");
        let only = lint::Options {
            select: vec!["RC201".into()],
            ignore: vec![],
        };
        let r = lint_paths(
            &[Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/seed")],
            &only,
        )
        .unwrap();
        assert_eq!(
            r.findings().map(|(_, f)| f.rule).collect::<Vec<_>>(),
            ["RC201"]
        );
    }

    #[test]
    fn selectors_must_name_a_rule() {
        assert!(names_a_rule("RC1"));
        assert!(names_a_rule("keda-annotation-on-workload"));
        assert!(!names_a_rule("RC9"));
        assert!(!names_a_rule("cpu"));
    }

    #[test]
    fn exit_codes_follow_the_worst_finding() {
        assert_eq!(report(FIGHT).exit_code(), 1);
        assert_eq!(
            report("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n").exit_code(),
            0
        );
        assert_eq!(report("a: [1,\n").exit_code(), 2, "not YAML");
        let missing = lint_paths(
            &[PathBuf::from("/nonexistent/x.yaml")],
            &lint::Options::default(),
        )
        .unwrap();
        assert_eq!(missing.exit_code(), 2);
    }
}
