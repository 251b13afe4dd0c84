//! `replicast simulate`: replay autoscalers against a load curve.
//!
//! `replicast simulate SCENARIO` reads a scenario (shared spec
//! `scenario.md`; YAML or JSON; `-` for stdin), runs it with the engine's
//! deterministic simulator and prints a table comparing the variants:
//! replica-hours, cost, seconds over the latency SLO, dropped work, peak
//! queue, scale events and the time until ready capacity covered each rise
//! in load. Manifests and trace CSVs may be paths relative to the scenario.
//!
//! - `--json` prints the result as the spec writes it:
//!   `{"variants": [{name, timeline, decisions, summary, ...}]}`.
//! - `--every 30s` samples the timeline every 30 s instead of every step.
//! - `--svg FILE` draws replicas vs load, each metric vs its target and the
//!   queue, one colour per variant.
//! - `--trace-cases DIR` writes every reconcile as an evaluation case
//!   (`DIR/<variant>/<autoscaler>-<n>.json`) with its decision in `expect:`;
//!   `replicast eval DIR` replays them.
//! - `--fail-if 'summary.secondsOverSlo > 60'` exits 1 when the guard holds
//!   for any variant (`NAME:` in front restricts it to one variant); a
//!   `null` (a rise in load never covered) compares as infinity.
//!
//! - `--strict` refuses every warning (an unknown field in the manifests,
//!   kubectl's strict field validation) as an input error; without it the
//!   table lists each one with its line, and `--json` has them in each
//!   variant's `notices`.
//!
//! A scenario that cannot be simulated exits 2 and names the place:
//! `load[2].ramp.to (line 14, column 21): ...`, or with `--json`,
//! `{"error": {"path", "line", "column", "message", "kind"}}`.

mod reference;

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use clap::Args;
use replicast_engine::sim::{self, Options, SimResult, Trace, VariantResult};
use replicast_engine::time::Duration;
use serde_json::{Value, json};

/// Arguments of `replicast simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The scenario file (YAML or JSON); `-` reads it from stdin.
    pub scenario: PathBuf,
    /// Print the result as JSON (the scenario spec's result format).
    #[arg(long)]
    pub json: bool,
    /// Sample the timeline every this long (`30`, `30s`, `5m`); default every step.
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
    /// Draw the timeline (replicas vs load, metrics vs targets, queue) as SVG.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write every reconcile as an evaluation case into this directory.
    #[arg(long, value_name = "DIR")]
    pub trace_cases: Option<PathBuf>,
    /// Exit 1 when the guard holds, e.g. `summary.secondsOverSlo > 60`
    /// (repeatable; `VARIANT:summary.cost > 100` checks one variant).
    #[arg(long = "fail-if", value_name = "GUARD")]
    pub fail_if: Vec<String>,
    /// Refuse every warning (an unknown field, ...) as an input error (exit 2).
    #[arg(long)]
    pub strict: bool,
}

/// Exit code for a scenario (or guard) that cannot be used.
const INVALID_INPUT: u8 = 2;
/// Largest file a scenario may name.
const MAX_FILE: u64 = 16 << 20;

/// Runs `replicast simulate`.
pub fn run(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    let guards = match args
        .fail_if
        .iter()
        .map(|g| Guard::parse(g))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(g) => g,
        Err(e) => {
            eprintln!("replicast simulate: --fail-if: {e}");
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    let every = match args.every.as_deref().map(parse_duration).transpose() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("replicast simulate: --every: {e}");
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    let (text, base) = read_scenario(&args.scenario)?;
    let loader = |p: &str| read_relative(&base, p);
    let read = sim::parse_with(&text, &loader);
    let read = match read {
        Ok(s) if args.strict => s.strict_check().map(|()| s),
        other => other,
    };
    let scenario = match read {
        Ok(s) => s,
        Err(e) => {
            if args.json {
                println!("{}", error_json(&e));
            } else {
                eprintln!("{}: {e}", args.scenario.display());
            }
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };

    let mut writer = args
        .trace_cases
        .as_deref()
        .map(TraceWriter::new)
        .transpose()?;
    let result = {
        let mut sink = |t: Trace<'_>| {
            if let Some(w) = writer.as_mut() {
                w.write(&t);
            }
        };
        let mut options = Options {
            every,
            trace: if args.trace_cases.is_some() {
                Some(&mut sink)
            } else {
                None
            },
        };
        sim::run(&scenario, &mut options)
    };
    if let Some(w) = writer {
        let n = w.finish()?;
        eprintln!(
            "replicast simulate: wrote {n} cases to {} (replay: replicast eval {})",
            args.trace_cases
                .as_deref()
                .unwrap_or(Path::new("."))
                .display(),
            args.trace_cases
                .as_deref()
                .unwrap_or(Path::new("."))
                .display()
        );
    }

    if args.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        serde_json::to_writer(&mut out, &result).context("writing the result")?;
        writeln!(out)?;
        out.flush()?;
    } else {
        print!("{}", table(&args.scenario, &scenario, &result));
    }
    if let Some(svg) = &args.svg {
        draw_svg(svg, &result).with_context(|| format!("drawing {}", svg.display()))?;
        if !args.json {
            println!("timeline drawn to {}", svg.display());
        }
    }

    let variants: Vec<(String, Value)> = result
        .variants
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                serde_json::to_value(v).unwrap_or(Value::Null),
            )
        })
        .collect();
    let mut failed = false;
    for g in &guards {
        match g.check(&variants) {
            Ok(hits) if hits.is_empty() => {}
            Ok(hits) => {
                failed = true;
                for (variant, value) in hits {
                    eprintln!(
                        "replicast simulate: guard `{}` holds for variant {variant} ({} = {value})",
                        g.text, g.path
                    );
                }
            }
            Err(e) => {
                eprintln!("replicast simulate: --fail-if `{}`: {e}", g.text);
                return Ok(ExitCode::from(INVALID_INPUT));
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn read_scenario(path: &Path) -> anyhow::Result<(String, PathBuf)> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading stdin")?;
        return Ok((s, PathBuf::from(".")));
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((text, base))
}

/// Reads a file the scenario names, relative to the scenario's folder.
pub(crate) fn read_relative(base: &Path, name: &str) -> Result<String, String> {
    let p = Path::new(name);
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let meta = std::fs::metadata(&full).map_err(|e| format!("{}: {e}", full.display()))?;
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{} is {} bytes; the limit is {MAX_FILE}",
            full.display(),
            meta.len()
        ));
    }
    std::fs::read_to_string(&full).map_err(|e| format!("{}: {e}", full.display()))
}

/// `30`, `30s`, `500ms`, `5m`, `2h`, `1d`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let v = match s.trim().parse::<f64>() {
        Ok(n) => json!(n),
        Err(_) => json!(s.trim()),
    };
    let d: Duration = serde_json::from_value(v).map_err(|e| e.to_string())?;
    if d.as_secs_f64() <= 0.0 {
        return Err("must be greater than 0".into());
    }
    Ok(d)
}

/// The error object printed for a scenario that cannot be simulated (the
/// same shape `replicast eval` prints).
pub fn error_json(e: &replicast_engine::Error) -> Value {
    let mut out = json!({ "error": e.first() });
    if e.problems.len() > 1 {
        out["errors"] = json!(e.problems);
    }
    out
}

// ------------------------------------------------------------------ traces

/// Writes traced cases as `DIR/<variant>/<autoscaler>-<n>.json`; the first
/// I/O error stops the writing and is reported at the end.
struct TraceWriter {
    dir: PathBuf,
    written: usize,
    error: Option<anyhow::Error>,
}

fn file_safe(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("_{s}")
    } else {
        s
    }
}

impl TraceWriter {
    fn new(dir: &Path) -> anyhow::Result<TraceWriter> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(TraceWriter {
            dir: dir.to_path_buf(),
            written: 0,
            error: None,
        })
    }

    fn write(&mut self, t: &Trace<'_>) {
        if self.error.is_some() {
            return;
        }
        let dir = self.dir.join(file_safe(t.variant));
        let file = dir.join(format!("{}-{:06}.json", file_safe(t.autoscaler), t.index));
        let result = std::fs::create_dir_all(&dir)
            .and_then(|()| {
                let text = serde_json::to_string_pretty(&t.case).map_err(std::io::Error::other)?;
                std::fs::write(&file, text)
            })
            .with_context(|| format!("writing {}", file.display()));
        match result {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(e),
        }
    }

    fn finish(self) -> anyhow::Result<usize> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.written),
        }
    }
}

// ------------------------------------------------------------------ guards

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

/// `[VARIANT:]PATH OP NUMBER`.
#[derive(Clone, Debug)]
struct Guard {
    text: String,
    variant: Option<String>,
    path: String,
    op: Op,
    value: f64,
}

impl Guard {
    fn parse(text: &str) -> Result<Guard, String> {
        let ops = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
        ];
        let (at, sym, op) = ops
            .iter()
            .filter_map(|(s, op)| text.find(s).map(|i| (i, *s, *op)))
            .min_by_key(|(i, s, _)| (*i, std::cmp::Reverse(s.len())))
            .ok_or_else(|| {
                format!(
                    "{text:?} has no comparison; write e.g. `summary.secondsOverSlo > 60` (>, >=, <, <=, ==, !=)"
                )
            })?;
        let left = text[..at].trim();
        let right = text[at + sym.len()..].trim();
        let value: f64 = right
            .parse()
            .map_err(|_| format!("{right:?} is not a number"))?;
        let (variant, path) = match left.split_once(':') {
            Some((v, p)) => (Some(v.trim().to_string()), p.trim()),
            None => (None, left),
        };
        if path.is_empty() {
            return Err(format!("{text:?} compares nothing"));
        }
        Ok(Guard {
            text: text.to_string(),
            variant,
            path: path.to_string(),
            op,
            value,
        })
    }

    /// The variants for which the guard holds, with the value compared.
    fn check(&self, variants: &[(String, Value)]) -> Result<Vec<(String, String)>, String> {
        let mut hits = Vec::new();
        let mut seen = false;
        for (name, v) in variants {
            if self.variant.as_ref().is_some_and(|w| w != name) {
                continue;
            }
            let Some(x) = lookup(v, &self.path)? else {
                continue;
            };
            seen = true;
            let n = match x {
                Value::Null => f64::INFINITY,
                Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                Value::Bool(b) => f64::from(u8::from(*b)),
                other => return Err(format!("{} is {other}, not a number", self.path)),
            };
            let holds = match self.op {
                Op::Gt => n > self.value,
                Op::Ge => n >= self.value,
                Op::Lt => n < self.value,
                Op::Le => n <= self.value,
                Op::Eq => n == self.value,
                Op::Ne => n != self.value,
            };
            if holds {
                hits.push((name.clone(), x.to_string()));
            }
        }
        let unknown = self
            .variant
            .as_ref()
            .filter(|w| !variants.iter().any(|(n, _)| n == *w));
        if let Some(w) = unknown {
            return Err(format!(
                "no variant named {w:?} (the variants are {})",
                variants
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !seen && self.path.split('.').next() != Some("summary") {
            return Err(format!("{} names nothing in the result", self.path));
        }
        if !seen {
            return Err(format!(
                "{} names nothing in the result (the summary has replicaHours, cost, secondsOverSlo, dropped, arrived, served, peakQueue, peakReplicas, scaleEvents, reconciles, timeToCapacity[i].seconds)",
                self.path
            ));
        }
        Ok(hits)
    }
}

/// `summary.timeToCapacity[0].seconds` in a variant's JSON; `Ok(None)` when
/// an index is past the end (a rise that did not happen).
fn lookup<'v>(v: &'v Value, path: &str) -> Result<Option<&'v Value>, String> {
    let mut node = v;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = match node.get(key) {
                Some(n) => n,
                None => return Err(format!("{path}: no field {key:?}")),
            };
        }
        let mut rest = indices;
        while let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| format!("{path}: unclosed ["))?;
            let i: usize = r[..close]
                .parse()
                .map_err(|_| format!("{path}: {:?} is not an index", &r[..close]))?;
            node = match node.get(i) {
                Some(n) => n,
                None => return Ok(None),
            };
            rest = &r[close + 1..];
        }
    }
    Ok(Some(node))
}

// ------------------------------------------------------------------- table

fn hms(secs: f64) -> String {
    if secs.is_nan() {
        // Not modelled (a ScaledJob's Jobs have no latency model).
        return "-".into();
    }
    if !secs.is_finite() {
        return "never".into();
    }
    let s = secs.round() as i64;
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// A figure for the tables: whole numbers and anything from 100 up without
/// decimals, the rest with two (also `replicast tune`'s tables).
pub(crate) fn number(x: f64) -> String {
    if x.abs() >= 100.0 || x == x.trunc() {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn table(path: &Path, scenario: &sim::Scenario, r: &SimResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} at {}, {} variant{}",
        path.display(),
        sim::duration_text(scenario.duration),
        sim::duration_text(scenario.step),
        r.variants.len(),
        if r.variants.len() == 1 { "" } else { "s" }
    );
    let currency = r
        .variants
        .first()
        .map(|v| v.summary.currency.clone())
        .unwrap_or_default();
    let header = [
        "variant".to_string(),
        "replica-h".into(),
        format!("cost {currency}"),
        "over SLO".into(),
        "dropped".into(),
        "peak queue".into(),
        "peak pods".into(),
        "scale events".into(),
        "time to capacity".into(),
    ];
    let rows: Vec<[String; 9]> = r
        .variants
        .iter()
        .map(|v| {
            let s = &v.summary;
            let ttc = if s.time_to_capacity.is_empty() {
                "-".to_string()
            } else {
                s.time_to_capacity
                    .iter()
                    .map(|t| hms(t.seconds.unwrap_or(f64::INFINITY)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            [
                v.name.clone(),
                format!("{:.2}", s.replica_hours),
                format!("{:.2}", s.cost),
                hms(s.seconds_over_slo),
                number(s.dropped),
                number(s.peak_queue),
                s.peak_replicas.to_string(),
                s.scale_events.to_string(),
                ttc,
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String; 9]| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - c.chars().count();
            if i == 0 || i == 8 {
                s.push_str(c);
                if i == 0 {
                    s.push_str(&" ".repeat(pad));
                }
            } else {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            }
            if i < 8 {
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", line(&header));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }
    if let Some(first) = r.variants.first() {
        let rises = &first.summary.time_to_capacity;
        if !rises.is_empty() {
            let _ = writeln!(
                out,
                "\nrises in load: {}",
                rises
                    .iter()
                    .map(|t| format!("{} at {}/s → {}/s", hms(t.at), number(t.from), number(t.to)))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    out.push_str(&reference::lines(r));
    for v in &r.variants {
        if v.warnings.is_empty() && v.decisions.is_empty() && v.assumptions.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}:", v.name);
        for w in &v.warnings {
            // A warning with a place is printed with its line.
            match v.notices.iter().find(|n| n.to_warning() == *w) {
                Some(n) => {
                    let _ = writeln!(out, "  ! {}", crate::eval::describe(n));
                }
                None => {
                    let _ = writeln!(out, "  ! {w}");
                }
            }
        }
        for a in &v.assumptions {
            let _ = writeln!(out, "  ~ {}", assumption_line(a));
        }
        if !v.assumptions.is_empty() {
            let _ = writeln!(
                out,
                "    (assumed, not read: map a metric in `signals:`, give a `load:`, to choose instead)"
            );
        }
        let shown = 5;
        for d in v.decisions.iter().take(shown) {
            let _ = writeln!(
                out,
                "  {:>8}  {}: {}",
                hms(d.time),
                d.autoscaler,
                d.explanation
            );
        }
        if v.decisions.len() > shown {
            let _ = writeln!(
                out,
                "  … {} more scale events (--json lists them all)",
                v.decisions.len() - shown
            );
        }
    }
    out
}

/// `line 32: gpu_utilization_percent ← gpu · assumed from the name (`gpu`)`.
fn assumption_line(a: &sim::Assumption) -> String {
    match a.line {
        Some(l) => format!("line {l}: {}", a.message()),
        None => a.message(),
    }
}

// --------------------------------------------------------------------- svg

const COLORS: [(u8, u8, u8); 6] = [
    (31, 119, 180),
    (214, 39, 40),
    (44, 160, 44),
    (148, 103, 189),
    (255, 127, 14),
    (23, 190, 207),
];

/// At most ~1500 points per line: each bucket keeps its largest value, so
/// spikes survive.
fn thin(t: &[f64], y: &[f64], scale: f64) -> Vec<(f64, f64)> {
    let n = t.len().min(y.len());
    let k = n.div_ceil(1500).max(1);
    (0..n)
        .step_by(k)
        .filter_map(|i| {
            let end = (i + k).min(n);
            let m = y[i..end]
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(f64::NAN, f64::max);
            m.is_finite().then(|| (t[i] / scale, m))
        })
        .collect()
}

fn column<'a>(v: &'a VariantResult, name: &str) -> &'a [f64] {
    v.timeline.column(name).unwrap_or(&[])
}

fn draw_svg(path: &Path, r: &SimResult) -> anyhow::Result<()> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Display| anyhow!("{e}");
    let Some(first) = r.variants.first() else {
        bail!("no variants to draw");
    };
    let t = column(first, "t");
    let end = t.last().copied().unwrap_or(0.0).max(1.0);
    let (scale, unit) = if end > 3.0 * 3600.0 {
        (3600.0, "hours")
    } else {
        (60.0, "minutes")
    };
    let x_max = end / scale;
    let max_of = |name: &str| {
        r.variants
            .iter()
            .flat_map(|v| column(v, name).iter().copied())
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max)
    };
    let color = |i: usize| {
        let (r, g, b) = COLORS[i % COLORS.len()];
        RGBColor(r, g, b)
    };

    let root = SVGBackend::new(path, (1200, 1000)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let panels = root.split_evenly((3, 1));

    // 1. Replicas (ready solid, desired thin) and the load on the right axis.
    let replicas_max = max_of("desiredReplicas")
        .max(max_of("replicas"))
        .max(reference::max(r))
        .max(1.0)
        * 1.1;
    let load_max = max_of("arrivalRate").max(1.0) * 1.1;
    let mut chart = ChartBuilder::on(&panels[0])
        .caption("Replicas and load", ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .right_y_label_area_size(60)
        .build_cartesian_2d(0f64..x_max, 0f64..replicas_max)
        .map_err(|e| err(&e))?
        .set_secondary_coord(0f64..x_max, 0f64..load_max);
    chart
        .configure_mesh()
        .x_desc(unit)
        .y_desc("replicas")
        .draw()
        .map_err(|e| err(&e))?;
    chart
        .configure_secondary_axes()
        .y_desc("arrivals per second")
        .draw()
        .map_err(|e| err(&e))?;
    let grey = RGBColor(160, 160, 160);
    chart
        .draw_secondary_series(LineSeries::new(
            thin(t, column(first, "arrivalRate"), scale),
            grey,
        ))
        .map_err(|e| err(&e))?
        .label("load (right axis)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey));
    for (i, v) in r.variants.iter().enumerate() {
        let c = color(i);
        let tv = column(v, "t");
        chart
            .draw_series(LineSeries::new(
                thin(tv, column(v, "desiredReplicas"), scale),
                c.mix(0.45),
            ))
            .map_err(|e| err(&e))?
            .label(format!("{}: desired", v.name))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.mix(0.45)));
        chart
            .draw_series(LineSeries::new(
                thin(tv, column(v, "readyReplicas"), scale),
                c.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(format!("{}: ready", v.name))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
    }
    reference::draw(&mut chart, r, scale).map_err(|e| err(&e))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;

    // 2. Each metric as the autoscaler saw it, in percent of its target.
    let mut lines = Vec::new();
    for (i, v) in r.variants.iter().enumerate() {
        for m in &v.metrics {
            let Some(target) = m.target.filter(|t| *t > 0.0) else {
                continue;
            };
            let pct: Vec<f64> = column(v, &m.column)
                .iter()
                .map(|x| x / target * 100.0)
                .collect();
            lines.push((
                i,
                format!("{}: {}", v.name, m.metric),
                thin(column(v, "t"), &pct, scale),
            ));
        }
    }
    let pct_max = lines
        .iter()
        .flat_map(|(_, _, p)| p.iter().map(|(_, y)| *y))
        .fold(150.0f64, f64::max)
        .min(1000.0)
        * 1.05;
    let mut chart = ChartBuilder::on(&panels[1])
        .caption(
            "Metrics as the autoscalers saw them (percent of target)",
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .right_y_label_area_size(60)
        .build_cartesian_2d(0f64..x_max, 0f64..pct_max)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(unit)
        .y_desc("% of target")
        .draw()
        .map_err(|e| err(&e))?;
    chart
        .draw_series(LineSeries::new(vec![(0.0, 100.0), (x_max, 100.0)], BLACK))
        .map_err(|e| err(&e))?
        .label("target")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    for (k, (i, label, points)) in lines.into_iter().enumerate() {
        let shade = [1.0, 0.7, 0.5, 0.35][k % 4];
        let c = color(i).mix(shade);
        let points: Vec<(f64, f64)> = points
            .into_iter()
            .map(|(x, y)| (x, y.min(pct_max)))
            .collect();
        chart
            .draw_series(LineSeries::new(points, c))
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;

    // 3. The queue.
    let queue_max = max_of("queue").max(1.0) * 1.1;
    let mut chart = ChartBuilder::on(&panels[2])
        .caption("Queue (work items waiting)", ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .right_y_label_area_size(60)
        .build_cartesian_2d(0f64..x_max, 0f64..queue_max)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(unit)
        .y_desc("items")
        .draw()
        .map_err(|e| err(&e))?;
    for (i, v) in r.variants.iter().enumerate() {
        let c = color(i);
        chart
            .draw_series(LineSeries::new(
                thin(column(v, "t"), column(v, "queue"), scale),
                c.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(v.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: SimulateArgs,
    }

    #[test]
    fn flags_parse() {
        let c = Cli::try_parse_from([
            "simulate",
            "s.yaml",
            "--json",
            "--every",
            "30s",
            "--svg",
            "out.svg",
            "--trace-cases",
            "traces",
            "--fail-if",
            "summary.secondsOverSlo > 60",
            "--fail-if",
            "b:summary.cost >= 10",
        ])
        .unwrap();
        assert!(c.args.json);
        assert_eq!(c.args.every.as_deref(), Some("30s"));
        assert_eq!(c.args.fail_if.len(), 2);
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn guards_compare_summary_values() {
        let vs = vec![
            (
                "a".to_string(),
                json!({"summary": {"secondsOverSlo": 90, "timeToCapacity": [{"seconds": null}]}}),
            ),
            (
                "b".to_string(),
                json!({"summary": {"secondsOverSlo": 10, "timeToCapacity": [{"seconds": 30}]}}),
            ),
        ];
        let g = Guard::parse("summary.secondsOverSlo > 60").unwrap();
        assert_eq!(g.check(&vs).unwrap().len(), 1);
        let g = Guard::parse("b:summary.secondsOverSlo > 60").unwrap();
        assert!(g.check(&vs).unwrap().is_empty());
        let g = Guard::parse("summary.timeToCapacity[0].seconds >= 300").unwrap();
        assert_eq!(
            g.check(&vs).unwrap()[0].0,
            "a",
            "never covered counts as infinity"
        );
        let g = Guard::parse("summary.timeToCapacity[3].seconds > 1").unwrap();
        assert!(g.check(&vs).is_err(), "names nothing in any variant");
        assert!(Guard::parse("summary.cost").is_err());
        assert!(Guard::parse("summary.cost > lots").is_err());
        assert!(
            Guard::parse("summary.nope > 1")
                .unwrap()
                .check(&vs)
                .is_err()
        );
        assert!(
            Guard::parse("c:summary.cost > 1")
                .unwrap()
                .check(&vs)
                .is_err()
        );
    }

    #[test]
    fn a_bare_manifest_runs_and_its_assumptions_print_under_the_table() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/realworld/k8s-examples-vllm-gpu-util-hpa.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        let scenario = sim::parse(&text).unwrap();
        let mut options = Options {
            every: Some(Duration::from_secs(60)),
            trace: None,
        };
        let result = sim::run(&scenario, &mut options);
        let out = table(&file, &scenario, &result);
        let line = text
            .lines()
            .position(|l| l.contains("name: gpu_utilization_percent"))
            .unwrap()
            + 1;
        assert!(
            out.contains(&format!(
                "  ~ line {line}: gpu_utilization_percent ← gpu · assumed from the name (`gpu`)"
            )),
            "{out}"
        );
        assert!(out.contains("  ~ load ← [{constant: 2.5}, "), "{out}");
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["variants"][0]["assumptions"][1]["line"], json!(line));
    }

    #[test]
    fn runs_a_scenario_end_to_end() {
        let dir = std::env::temp_dir().join(format!("replicast-simulate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("app.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  template: {spec: {containers: [{name: app, resources: {requests: {cpu: '1'}}}]}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n",
        )
        .unwrap();
        std::fs::write(dir.join("load.csv"), "t,rate\n0,5\n300,30\n").unwrap();
        let scenario = dir.join("s.yaml");
        std::fs::write(
            &scenario,
            "manifests: app.yaml\nduration: 20m\nload: [{trace: {file: load.csv}}]\n",
        )
        .unwrap();
        let args = |extra: &[&str]| {
            let mut v = vec!["simulate".to_string(), scenario.display().to_string()];
            v.extend(extra.iter().map(|s| s.to_string()));
            Cli::try_parse_from(v).unwrap().args
        };
        let traces = dir.join("traces");
        let svg = dir.join("t.svg");
        let code = run(args(&[
            "--trace-cases",
            traces.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
            "--every",
            "10s",
        ]))
        .unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
        let svg_text = std::fs::read_to_string(&svg).unwrap();
        assert!(svg_text.contains("<svg") && svg_text.contains("Replicas and load"));
        let mut n = 0;
        for e in std::fs::read_dir(traces.join("default")).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let case: Value = serde_json::from_str(&text).unwrap();
            replicast_engine::case::expect::check_fixture(&case).unwrap();
            n += 1;
        }
        assert_eq!(n, 80, "one case per 15 s sync over 20 minutes");
        assert_eq!(
            run(args(&["--fail-if", "summary.peakReplicas >= 2"])).unwrap(),
            ExitCode::FAILURE
        );
        assert_eq!(
            run(args(&["--fail-if", "summary.peakReplicas > 100"])).unwrap(),
            ExitCode::SUCCESS
        );
        assert_eq!(
            run(args(&["--fail-if", "summary.peakReplicas"])).unwrap(),
            ExitCode::from(INVALID_INPUT)
        );
        std::fs::write(&scenario, "manifests: app.yaml\nload: [{constant: -1}]\n").unwrap();
        assert_eq!(
            run(args(&["--json"])).unwrap(),
            ExitCode::from(INVALID_INPUT)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
