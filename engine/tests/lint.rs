//! Runs every fixture in `tests/lint/` through the linter: one test per
//! file. A fixture's expected findings are `# expect: RC101` comments on the
//! lines they point at; the findings must be exactly those (a file without
//! markers must give none). `RCxxx-fail.yaml` and `RCxxx-pass.yaml` exist
//! for every rule. A `# pending:` line marks a fixture whose rule waits on
//! another part's work: it is run and reported as ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use replicast_engine::lint::{self, rules};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint")
}

/// `(code, line)` pairs the fixture's `# expect:` markers name.
fn expected(text: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("# expect:") {
            for code in line[at + 9..].split([',', ' ']).filter(|s| !s.is_empty()) {
                out.insert((code.to_string(), i as u32 + 1));
            }
        }
    }
    out
}

fn run(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let findings =
        lint::lint_text(&text, &lint::Options::default()).map_err(|e| format!("not YAML: {e}"))?;
    let got: BTreeSet<(String, u32)> = findings
        .iter()
        .map(|f| (f.rule.to_string(), f.line.unwrap_or(0)))
        .collect();
    let want = expected(&text);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if let Some(code) = stem.strip_suffix("-fail") {
        if !want.iter().any(|(c, _)| c == code) {
            return Err(format!("a failing fixture of {code} expects no {code} finding").into());
        }
    }
    if got != want {
        let list: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{}:{} {} {}",
                    f.rule,
                    f.line.unwrap_or(0),
                    f.path,
                    f.message
                )
            })
            .collect();
        return Err(format!("expected {want:?}\nfound:\n{}", list.join("\n")).into());
    }
    Ok(())
}

/// The seed's hybrid example puts KEDA's pause annotation on the Deployment.
fn hybrid_seed() -> Result<(), Failed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/seed/hybrid-ml.yaml");
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let findings = lint::lint_text(&text, &lint::Options::default()).map_err(|e| e.to_string())?;
    let pause = findings.iter().find(|f| f.rule == "RC201");
    match pause {
        Some(f)
            if f.line == Some(10)
                && f.path == "[0].metadata.annotations.autoscaling.keda.sh/paused" =>
        {
            Ok(())
        }
        _ => Err(format!("expected RC201 at line 10, found {findings:?}").into()),
    }
}

/// Every rule has a failing and a passing fixture and a section in
/// `docs/rules.md`.
fn every_rule_has_fixtures_and_docs() -> Result<(), Failed> {
    let docs =
        std::fs::read_to_string(root().join("../../docs/rules.md")).map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    for r in rules::ALL {
        for f in [
            format!("{}-fail.yaml", r.code),
            format!("{}-pass.yaml", r.code),
        ] {
            if !root().join(&f).is_file() {
                missing.push(f);
            }
        }
        let lower = r.code.to_ascii_lowercase();
        let heading = format!("<a id=\"{lower}\"></a>\n## {} `{}`", r.code, r.name);
        if !docs.contains(&heading) {
            missing.push(format!("docs/rules.md section {}", r.code));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing: {missing:?}").into())
    }
}

fn main() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/lint")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures under {}", root().display());
    let mut trials: Vec<Trial> = files
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let pending = std::fs::read_to_string(&path).is_ok_and(|t| t.contains("# pending:"));
            Trial::test(name, move || run(&path)).with_ignored_flag(pending)
        })
        .collect();
    trials.push(Trial::test("seed-hybrid-ml-pause-annotation", hybrid_seed));
    trials.push(Trial::test(
        "every-rule-has-fixtures-and-docs",
        every_rule_has_fixtures_and_docs,
    ));
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
