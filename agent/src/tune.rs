//! `replicast tune`: the cheapest configuration that meets the SLO.
//!
//! `replicast tune SCENARIO` reads a scenario with a `tune:` section
//! (shared spec `tune.md`; without one every default applies), searches
//! the tuned variant's knobs with the engine's deterministic search on every
//! core, and prints a table of the baseline, the best and the frontier, each
//! change with its impact, and the changes as a unified diff of the
//! manifests. On a terminal a progress line on stderr shows the candidates
//! done and the best so far.
//!
//! - `--json` prints the spec's result.
//! - `--budget N` and `--variant NAME` replace `tune.budget` and
//!   `tune.variant`; `--jobs N` sets the threads (default: one per core;
//!   the result is the same for any number).
//!
//! Exit codes: 0 with a feasible best, 1 when no candidate is feasible, 2
//! for a scenario that cannot be tuned (its place named as `simulate` names
//! it).

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use replicast_engine::tune::{self, Overrides, Point, Progress, TuneResult, runner::Threads};
use serde_json::Value;

/// Arguments of `replicast tune`.
#[derive(Debug, Clone, Args)]
pub struct TuneArgs {
    /// The scenario file (YAML or JSON); `-` reads it from stdin.
    pub scenario: PathBuf,
    /// Print the result as JSON (the tune spec's result format).
    #[arg(long)]
    pub json: bool,
    /// At most this many candidates simulated in full (replaces `tune.budget`).
    #[arg(long, value_name = "N")]
    pub budget: Option<usize>,
    /// Threads (default: one per core); the result does not depend on it.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// The variant to tune (replaces `tune.variant`; default: the first).
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

/// Exit code for a scenario that cannot be tuned.
const INVALID_INPUT: u8 = 2;

/// Runs `replicast tune`.
pub fn run(args: TuneArgs) -> anyhow::Result<ExitCode> {
    let (text, base) = crate::simulate::read_scenario(&args.scenario)?;
    let loader = |p: &str| crate::simulate::read_relative(&base, p);
    let overrides = Overrides {
        variant: args.variant.clone(),
        budget: args.budget,
    };
    let mut tuning = match tune::prepare(&text, Some(&loader), &overrides) {
        Ok(t) => t,
        Err(e) => {
            if args.json {
                println!("{}", crate::simulate::error_json(&e));
            } else {
                eprintln!("{}: {e}", args.scenario.display());
            }
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    let runner = match args.jobs {
        Some(n) => Threads(n.max(1)),
        None => Threads::per_core(),
    };
    let terminal = std::io::stderr().is_terminal();
    let mut show = |p: &Progress| {
        if terminal {
            let best = p.best.map_or("-".to_string(), number);
            eprint!(
                "\r\x1b[2Kreplicast tune: {}/{} candidates, best {best} ({} skipped, {} pruned)",
                p.done, p.budget, p.skipped, p.pruned
            );
        }
        true
    };
    let result = match tuning.run(&runner, &mut show) {
        Ok(r) => r,
        Err(e) => {
            if terminal {
                eprintln!();
            }
            if args.json {
                println!("{}", crate::simulate::error_json(&e));
            } else {
                eprintln!("{}: {e}", args.scenario.display());
            }
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    if terminal {
        eprintln!();
    }
    if args.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        serde_json::to_writer(&mut out, &result).context("writing the result")?;
        writeln!(out)?;
        out.flush()?;
    } else {
        let original = tuning.manifests_text(&baseline_of(&tuning))?;
        print!("{}", report(&args, &tuning, &result, &original));
    }
    Ok(if result.best.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn baseline_of(t: &tune::Tuning) -> Vec<u16> {
    t.knobs.iter().map(|k| k.baseline as u16).collect()
}

/// `simulate`'s figures, with `-` where there is none (an infinite bound).
fn number(x: f64) -> String {
    if x.is_finite() {
        crate::simulate::number(x)
    } else {
        "-".into()
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(absent)".into(),
        other => other.to_string(),
    }
}

/// The table, the changes and the diff.
fn report(args: &TuneArgs, t: &tune::Tuning, r: &TuneResult, original: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: variant {:?}, {} knobs, objective {}, frontier {}",
        args.scenario.display(),
        r.variant,
        r.knobs.len(),
        r.objective,
        r.frontier_field
    );
    let bounds: Vec<String> = t
        .constraints
        .iter()
        .map(|(n, b)| match (b.min, b.max) {
            (Some(lo), Some(hi)) => format!("{} ≤ {n} ≤ {}", number(lo), number(hi)),
            (Some(lo), None) => format!("{n} ≥ {}", number(lo)),
            (None, Some(hi)) => format!("{n} ≤ {}", number(hi)),
            (None, None) => n.clone(),
        })
        .collect();
    let _ = writeln!(
        out,
        "constraints{}: {}",
        if t.default_constraints {
            " (default: no worse than as written)"
        } else {
            ""
        },
        bounds.join(", ")
    );
    let mut columns: Vec<String> = vec![r.objective.clone()];
    for name in [
        r.frontier_field.as_str(),
        "replicaHours",
        "dropped",
        "scaleEvents",
    ]
    .into_iter()
    .map(String::from)
    .chain(t.constraints.iter().map(|(n, _)| n.clone()))
    {
        if !columns.contains(&name) {
            columns.push(name);
        }
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let row = |name: String, s: &replicast_engine::sim::output::Summary, obj: f64, ok: bool| {
        let mut cells = vec![name, if ok { "yes" } else { "no" }.to_string()];
        for (i, c) in columns.iter().enumerate() {
            let v = if i == 0 { Some(obj) } else { tune::field(s, c) };
            cells.push(v.map_or("-".into(), number));
        }
        cells
    };
    rows.push(row(
        "baseline".into(),
        &r.baseline.summary,
        r.baseline.objective,
        r.baseline.feasible,
    ));
    if let Some(b) = &r.best {
        rows.push(row("best".into(), &b.summary, b.objective, true));
    }
    for (i, p) in r.frontier.iter().enumerate() {
        let Point {
            summary,
            objective,
            feasible,
            changes,
        } = p;
        rows.push(row(
            format!(
                "frontier {} ({} change{})",
                i + 1,
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            ),
            summary,
            *objective,
            *feasible,
        ));
    }
    let mut header = vec!["".to_string(), "feasible".to_string()];
    header.extend(columns.iter().cloned());
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i == 0 {
                let _ = write!(l, "{c:<w$}", w = widths[0]);
            } else {
                let _ = write!(l, "  {c:>w$}", w = widths[i]);
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "\n{}", line(&header));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    let _ = writeln!(
        out,
        "\n{} candidates simulated, {} feasible, {} skipped (refused), {} pruned{}",
        r.evaluated,
        r.feasible,
        r.skipped,
        r.pruned,
        if r.cancelled { ", stopped early" } else { "" }
    );
    match &r.best {
        None => {
            let _ = writeln!(out, "\nno candidate meets the constraints");
        }
        Some(b) if b.changes.is_empty() => {
            let _ = writeln!(out, "\nthe configuration as written is the best found");
        }
        Some(b) => {
            let _ = writeln!(
                out,
                "\nchanges (impact: how much {} rises when that change alone is reverted):",
                r.objective
            );
            for c in &b.changes {
                let impact = match c.impact {
                    Some(Some(x)) => format!("{}{}", if x >= 0.0 { "+" } else { "" }, number(x)),
                    _ => "-".into(),
                };
                let _ = writeln!(
                    out,
                    "  {} {}: {} → {}   impact {impact}",
                    c.object,
                    c.path,
                    value_text(&c.from),
                    value_text(&c.to)
                );
            }
            let diff = similar::TextDiff::from_lines(original, b.manifests.as_str());
            let _ = writeln!(
                out,
                "\n{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header("manifests (as written)", "manifests (tuned)")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    #[test]
    fn flags_parse() {
        let cli = crate::cli::Cli::try_parse_from([
            "replicast",
            "tune",
            "s.yaml",
            "--json",
            "--budget",
            "40",
            "--jobs",
            "2",
            "--variant",
            "v",
        ])
        .unwrap();
        let crate::cli::Command::Tune(a) = cli.command else {
            panic!("not tune")
        };
        assert!(a.json);
        assert_eq!((a.budget, a.jobs), (Some(40), Some(2)));
        assert_eq!(a.variant.as_deref(), Some("v"));
    }
}
