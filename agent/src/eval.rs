//! `replicast eval`: one reconcile as a pure function, from the command line.
//!
//! `replicast eval CASE` reads an evaluation case (shared spec
//! `eval-case.md`; YAML or JSON; `-` for stdin) and prints the decision as
//! JSON. Input that cannot be evaluated exits 2 and prints
//! `{"error": {"path", "line", "column", "message", "kind"}}` naming the
//! exact place. Given directories (or `--check`), it checks every case
//! file's `expect:` instead, prints each mismatch and a summary line, and
//! exits 1 when any case fails: this is how simulator traces
//! (`replicast simulate --trace-cases DIR`) are replayed.
//!
//! Warnings with a place (an unknown field, as kubectl's strict field
//! validation names it) are in the decision's `notices` and printed to
//! stderr with their line; `--strict` refuses them instead: exit 2 with
//! each one a problem of kind `strict`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use replicast_engine::case::{self, Decision, expect};
use replicast_engine::notice::Notice;
use replicast_engine::yaml::{Limits, parse_single};
use serde_json::{Value, json};

/// Arguments of `replicast eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Case files or directories of case files; `-` reads one case from stdin.
    #[arg(required = true)]
    pub cases: Vec<PathBuf>,
    /// Check each case's `expect:` instead of printing decisions.
    #[arg(long)]
    pub check: bool,
    /// Print compact JSON (one line).
    #[arg(long)]
    pub compact: bool,
    /// Refuse every warning (an unknown field, ...) as an input error (exit 2).
    #[arg(long)]
    pub strict: bool,
}

/// Exit code for input that cannot be evaluated.
const INVALID_INPUT: u8 = 2;

/// Runs `replicast eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let check = args.check || args.cases.len() > 1 || args.cases.iter().any(|p| p.is_dir());
    if !check {
        let text = read(&args.cases[0])?;
        return Ok(print_decision(&text, args.compact, args.strict));
    }
    let mut files = Vec::new();
    for p in &args.cases {
        collect(p, &mut files)?;
    }
    files.sort();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let text = read(file)?;
        match check_text(&text, args.strict) {
            Ok(()) => passed += 1,
            Err(problems) => {
                failed += 1;
                println!("FAIL {}", file.display());
                for p in problems {
                    println!("  {p}");
                }
            }
        }
    }
    println!("eval: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn read(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading stdin")?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        for entry in
            std::fs::read_dir(path).with_context(|| format!("listing {}", path.display()))?
        {
            collect(&entry?.path(), out)?;
        }
    } else if path.is_file()
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        )
    {
        out.push(path.to_path_buf());
    } else if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    Ok(())
}

/// The error object `eval` prints for input it cannot evaluate.
pub fn error_json(e: &replicast_engine::Error) -> Value {
    let mut out = json!({ "error": e.first() });
    if e.problems.len() > 1 {
        out["errors"] = json!(e.problems);
    }
    out
}

/// A notice as one line: `hpa.spec.maxReplica (line 9, column 5): unknown field ...`.
pub fn describe(n: &Notice) -> String {
    match (n.line, n.column) {
        (Some(l), Some(c)) => format!("{} (line {l}, column {c}): {}", n.path, n.message),
        _ => n.to_warning(),
    }
}

/// Reads and evaluates case text; `strict` refuses every notice.
fn evaluate(text: &str, strict: bool) -> Result<Decision, replicast_engine::Error> {
    let c = case::parse(text)?;
    if strict {
        c.strict_check()?;
    }
    Ok(case::evaluate(&c))
}

fn print_decision(text: &str, compact: bool, strict: bool) -> ExitCode {
    let result = std::panic::catch_unwind(|| evaluate(text, strict));
    let (value, code) = match result {
        Ok(Ok(decision)) => {
            for n in &decision.notices {
                eprintln!("warning: {}", describe(n));
            }
            // Serialized straight from the struct: fields in the spec's order.
            let out = if compact {
                serde_json::to_string(&decision)
            } else {
                serde_json::to_string_pretty(&decision)
            };
            println!("{}", out.unwrap_or_default());
            return ExitCode::SUCCESS;
        }
        Ok(Err(e)) => (error_json(&e), ExitCode::from(INVALID_INPUT)),
        Err(_) => (
            json!({"error": {"path": "", "message": "internal error: the engine panicked on this input; please report it", "kind": "internal"}}),
            ExitCode::from(3),
        ),
    };
    let out = if compact {
        value.to_string()
    } else {
        serde_json::to_string_pretty(&value).unwrap_or_default()
    };
    println!("{out}");
    code
}

/// Evaluates a fixture's text and compares it with its `expect:`;
/// `strict` refuses a case with notices (as input an `expect: {error:
/// ...}` may name).
pub fn check_text(text: &str, strict: bool) -> Result<(), Vec<String>> {
    let node = parse_single(text, &Limits::default()).map_err(|e| vec![e.to_string()])?;
    let value = node.to_json().map_err(|e| vec![e.to_string()])?;
    expect::check_fixture_with(&value, strict)
}
