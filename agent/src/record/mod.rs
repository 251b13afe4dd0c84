//! `replicast record`: production's history as a scenario (issue 14).
//!
//! ```text
//! replicast record --prometheus URL --load QUERY --from TIME [--to TIME]
//!                  [--step 15s] [--replicas QUERY] [--manifests FILE]
//!                  [--output FILE] [--calibrate]
//!                  [--ca-file F] [--bearer-token-file F | --basic-auth-file F] [--timeout D]
//! replicast record --agent URL --load SOURCE.KEY ...
//! ```
//!
//! Runs Prometheus range queries ([`prometheus`]: long ranges split within
//! its 11 000-points limit; exactly one series per query) or reads a
//! running agent's retained readings ([`from_agent`]), puts each series on
//! the grid `--from + k × --step` ([`series`]: gaps interpolated and
//! reported on stderr and as `#` comments in the trace, never zero), and
//! writes a scenario (shared spec `scenario.md`): `start:` the instant of
//! `--from`, `duration` the range, `load` the `--load` series as a trace,
//! `reference` the `--replicas` series (what production ran), the
//! `--manifests` file inline. `--calibrate` fits the workload's capacity
//! per replica and cold start to the reference (`sim::calibrate`), prints
//! the fit and the error before and after, and writes the fitted
//! `workload:`.

pub mod from_agent;
pub mod prometheus;
pub mod when;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use clap::Args;
use replicast_engine::sim;
use url::Url;

use crate::http::{HttpClient, HttpOptions};
use replicast_engine::sim::recorded::{self as series, Recorded, number};

/// Arguments of `replicast record`.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// Prometheus' base URL (`http://prometheus:9090`).
    #[arg(
        long,
        value_name = "URL",
        required_unless_present = "agent",
        conflicts_with = "agent"
    )]
    pub prometheus: Option<String>,
    /// A running `replicast agent`'s base URL: its retained readings
    /// (`/api/state`), each series named `SOURCE.KEY`.
    #[arg(long, value_name = "URL")]
    pub agent: Option<String>,
    /// The arrival rate (requests or messages per second): a PromQL query
    /// returning one series (or `SOURCE.KEY` with `--agent`).
    #[arg(long, value_name = "QUERY")]
    pub load: String,
    /// Start: RFC 3339, Unix seconds, `now` or relative (`-24h`).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: String,
    /// End (same forms; default `now`).
    #[arg(
        long,
        value_name = "TIME",
        default_value = "now",
        allow_hyphen_values = true
    )]
    pub to: String,
    /// The resolution of the recorded traces.
    #[arg(long, value_name = "DURATION", default_value = "15s")]
    pub step: String,
    /// The replicas production ran (e.g. `kube_deployment_status_replicas{deployment="web"}`),
    /// written as the scenario's `reference`.
    #[arg(long, value_name = "QUERY")]
    pub replicas: Option<String>,
    /// The manifests (Deployment and its HPA/ScaledObject), written inline.
    #[arg(long, value_name = "FILE")]
    pub manifests: Option<PathBuf>,
    /// Write the scenario here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fit `workload.capacityPerReplica` and a cold-start factor to the
    /// reference (needs `--replicas` and `--manifests`).
    #[arg(long)]
    pub calibrate: bool,
    /// How to reach Prometheus or the agent.
    #[command(flatten)]
    pub http: HttpOptions,
}

/// What was recorded, ready to be written.
#[derive(Debug)]
pub struct Recording {
    /// Where from, for the header comment (no credentials).
    pub source: String,
    /// `--from`, Unix seconds.
    pub from: f64,
    /// `--to`, Unix seconds.
    pub to: f64,
    /// `--step`, seconds.
    pub step: f64,
    /// The `--load` query and its series.
    pub load: (String, Recorded),
    /// The `--replicas` query and its series.
    pub reference: Option<(String, Recorded)>,
    /// The manifests' text.
    pub manifests: Option<String>,
    /// The fitted workload, with `--calibrate`.
    pub workload: Option<sim::calibrate::Calibration>,
}

/// Runs `replicast record`.
pub fn run(args: RecordArgs) -> anyhow::Result<ExitCode> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let from = when::parse_time(&args.from, now).map_err(|e| anyhow!("--from: {e}"))?;
    let to = when::parse_time(&args.to, now).map_err(|e| anyhow!("--to: {e}"))?;
    let step = crate::live::config::parse_secs(&args.step).map_err(|e| anyhow!("--step: {e}"))?;
    if step <= 0.0 {
        bail!("--step: must be more than 0");
    }
    if to <= from {
        bail!(
            "--to ({}) must be after --from ({})",
            when::rfc3339(to),
            when::rfc3339(from)
        );
    }
    if args.calibrate && (args.replicas.is_none() || args.manifests.is_none()) {
        bail!(
            "--calibrate fits the manifests' workload to the reference: give --replicas and --manifests"
        );
    }
    let manifests = match &args.manifests {
        Some(p) => Some(
            std::fs::read_to_string(p).with_context(|| format!("--manifests {}", p.display()))?,
        ),
        None => None,
    };
    let client = HttpClient::new(&args.http).map_err(|e| anyhow!(e))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let n = series::grid_len(from, to, step);
    let mut rec = runtime.block_on(fetch(&args, &client, from, step, n))?;
    rec.to = to;
    rec.manifests = manifests;
    for (what, (_, r)) in [("load", &rec.load)]
        .into_iter()
        .chain(rec.reference.iter().map(|r| ("reference", r)))
    {
        for line in r.report(what, step) {
            eprintln!("replicast record: {line}");
        }
    }
    if args.calibrate {
        let scenario =
            sim::parse(&scenario_text(&rec)).map_err(|e| anyhow!("the recorded scenario: {e}"))?;
        let c = sim::calibrate::calibrate(&scenario).map_err(|e| anyhow!("{e}"))?;
        eprint!("{}", calibration_text(&c));
        rec.workload = Some(c);
    }
    let text = scenario_text(&rec);
    match &args.output {
        Some(p) => std::fs::write(p, &text).with_context(|| format!("--output {}", p.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A base URL whose path ends in `/`, so that `api/...` joins under it.
fn base_url(text: &str) -> anyhow::Result<Url> {
    let mut url = crate::http::parse_url(text).map_err(|e| anyhow!(e))?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

async fn fetch(
    args: &RecordArgs,
    client: &HttpClient,
    from: f64,
    step: f64,
    n: usize,
) -> anyhow::Result<Recording> {
    let queries: Vec<(&str, &str)> = [("--load", args.load.as_str())]
        .into_iter()
        .chain(args.replicas.as_deref().map(|q| ("--replicas", q)))
        .collect();
    let mut got = Vec::new();
    let source;
    if let Some(agent) = &args.agent {
        let base = base_url(agent)?;
        source = format!("the agent at {}", crate::http::redacted(&base));
        let state = from_agent::state(client, &base, from)
            .await
            .map_err(|e| anyhow!(e))?;
        for (flag, name) in &queries {
            let (points, period) =
                from_agent::series(&state, name).map_err(|e| anyhow!("{flag}: {e}"))?;
            got.push((flag, name, points, 1.5 * step.max(period)));
        }
    } else {
        let base = base_url(args.prometheus.as_deref().unwrap_or_default())?;
        source = format!("Prometheus at {}", crate::http::redacted(&base));
        for (flag, query) in &queries {
            let points = prometheus::query_range(client, &base, query, from, step, n)
                .await
                .map_err(|e| anyhow!("{flag}: {e}"))?;
            got.push((flag, query, points, step));
        }
    }
    let mut recorded = got.into_iter().map(|(flag, query, points, reach)| {
        series::on_grid(&points, from, step, n, reach)
            .map(|r| (query.to_string(), r))
            .ok_or_else(|| anyhow!("{flag}: {query:?} has no sample (a number) in the range"))
    });
    let load = recorded.next().ok_or_else(|| anyhow!("no --load"))??;
    let reference = recorded.next().transpose()?;
    Ok(Recording {
        source,
        from,
        to: from + (n.saturating_sub(1)) as f64 * step,
        step,
        load,
        reference,
        manifests: None,
        workload: None,
    })
}

/// A block scalar's lines, indented by `indent` spaces.
fn block(out: &mut String, text: &str, indent: usize) {
    let pad = " ".repeat(indent);
    for line in text.replace("\r\n", "\n").lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
}

/// The scenario, as YAML text (shared spec `scenario.md`).
pub fn scenario_text(rec: &Recording) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Recorded by `replicast record` from {}: {} to {}, every {}s.",
        rec.source,
        when::rfc3339(rec.from),
        when::rfc3339(rec.to),
        number(rec.step)
    );
    let _ = writeln!(out, "start: {}", when::rfc3339(rec.from));
    let _ = writeln!(out, "duration: {}", number(rec.to - rec.from));
    match &rec.manifests {
        Some(m) => {
            out.push_str("manifests: |2\n");
            block(&mut out, m, 2);
        }
        None => out.push_str(
            "# manifests: the Deployment and its HPA or ScaledObject (--manifests FILE)\n",
        ),
    }
    let _ = writeln!(out, "# load: {}", rec.load.0.replace('\n', " "));
    out.push_str("load:\n  - trace:\n      csv: |\n");
    block(&mut out, &rec.load.1.csv("rate"), 8);
    if let Some((query, r)) = &rec.reference {
        let _ = writeln!(out, "# reference: {}", query.replace('\n', " "));
        out.push_str("reference:\n  trace:\n    csv: |\n");
        block(&mut out, &r.csv("replicas"), 6);
    }
    if let Some(c) = &rec.workload {
        let _ = writeln!(
            out,
            "# workload: fitted to the reference (mean |replicas − reference| {:.2} → {:.2})",
            c.before.mean_absolute_difference, c.after.mean_absolute_difference
        );
        let _ = writeln!(
            out,
            "workload:\n  capacityPerReplica: {}\n  coldStart: {{schedule: {}s, pull: {}s, load: {}s}}",
            number(c.capacity_per_replica),
            number(c.cold_start.schedule),
            number(c.cold_start.pull),
            number(c.cold_start.load)
        );
    }
    out
}

/// What `--calibrate` prints.
pub fn calibration_text(c: &sim::calibrate::Calibration) -> String {
    format!(
        "calibrated {} in {} runs:\n  capacityPerReplica {} → {}\n  coldStart × {} (schedule {}s, pull {}s, load {}s)\n  mean |replicas − reference| {:.3} → {:.3}; agreed {:.1} % → {:.1} %\n",
        c.variant,
        c.runs,
        number(c.written_capacity_per_replica),
        number(c.capacity_per_replica),
        number(c.cold_start_factor),
        number(c.cold_start.schedule),
        number(c.cold_start.pull),
        number(c.cold_start.load),
        c.before.mean_absolute_difference,
        c.after.mean_absolute_difference,
        c.before.agreement * 100.0,
        c.after.agreement * 100.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_reads_back_with_its_points() {
        let grid = |v: &[f64]| {
            let s: Vec<(f64, f64)> = v
                .iter()
                .enumerate()
                .map(|(k, &v)| (1e9 + 15.0 * k as f64, v))
                .collect();
            series::on_grid(&s, 1e9, 15.0, v.len(), 15.0).unwrap()
        };
        let rec = Recording {
            source: "Prometheus at http://p:9090/".into(),
            from: 1e9,
            to: 1e9 + 45.0,
            step: 15.0,
            load: ("sum(rate(http_requests_total[1m]))".into(), grid(&[10.0, 12.5, 30.0, 7.0])),
            reference: Some(("kube_deployment_status_replicas".into(), grid(&[1.0, 2.0, 2.0, 3.0]))),
            manifests: Some("  # indented first line\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n".into()),
            workload: None,
        };
        let text = scenario_text(&rec);
        let s = sim::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(s.start.as_secs_f64(), 1e9);
        assert_eq!(s.duration.as_secs_f64(), 45.0);
        assert_eq!(
            s.reference.unwrap().points,
            vec![(0.0, 1.0), (15.0, 2.0), (30.0, 2.0), (45.0, 3.0)]
        );
        let sim::load::Segment::Trace(points) = &s.load[0] else {
            panic!("{:?}", s.load)
        };
        assert_eq!(
            points,
            &vec![(0.0, 10.0), (15.0, 12.5), (30.0, 30.0), (45.0, 7.0)]
        );
    }
}
