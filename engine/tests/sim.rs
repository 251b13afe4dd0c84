//! The simulator end to end: the shipped examples run, runs are
//! deterministic, variants share their load, every traced reconcile replays
//! through the evaluation-case checker, and bad scenarios are rejected at
//! their path and line.
#![cfg(feature = "yaml")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use replicast_engine::case::expect::check_fixture;
use replicast_engine::sim::{self, Options, SimResult};
use serde_json::Value;

#[path = "support/sim_trace.rs"]
mod sim_trace;
use sim_trace::traced;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn examples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(examples_dir())
        .expect("examples/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 4, "the four example scenarios");
    out
}

fn example(name: &str) -> String {
    std::fs::read_to_string(examples_dir().join(name)).unwrap()
}

fn run(text: &str) -> SimResult {
    let s = sim::parse(text).unwrap_or_else(|e| panic!("{e}"));
    sim::simulate(&s)
}

#[test]
fn every_example_runs() {
    for (name, text) in examples() {
        let s = sim::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let steps = s.steps();
        let r = sim::simulate(&s);
        assert_eq!(r.variants.len(), s.variants.len(), "{name}");
        for v in &r.variants {
            let len = v.timeline.len();
            assert_eq!(len, steps, "{name}/{}: one sample per step", v.name);
            for c in &v.timeline.columns {
                assert_eq!(c.values.len(), len, "{name}/{}: column {}", v.name, c.name);
            }
            assert!(v.summary.reconciles > 0, "{name}/{}", v.name);
            assert!(!v.decisions.is_empty(), "{name}/{}: nothing scaled", v.name);
            assert_eq!(v.summary.scale_events, v.decisions.len());
            for m in &v.metrics {
                assert!(v.timeline.column(&m.column).is_some(), "{}", m.column);
            }
            let json = serde_json::to_value(v).unwrap();
            for key in ["name", "timeline", "decisions", "summary"] {
                assert!(json.get(key).is_some(), "{name}: {key}");
            }
            for key in [
                "replicaHours",
                "cost",
                "secondsOverSlo",
                "dropped",
                "peakQueue",
                "scaleEvents",
                "timeToCapacity",
            ] {
                assert!(json["summary"].get(key).is_some(), "{name}: summary.{key}");
            }
            for key in [
                "t",
                "arrivalRate",
                "desiredReplicas",
                "replicas",
                "readyReplicas",
                "queue",
                "latencyP50",
                "latencyP95",
                "dropped",
                "cpu",
                "gpu",
            ] {
                assert!(
                    json["timeline"].get(key).is_some(),
                    "{name}: timeline.{key}"
                );
            }
        }
    }
}

#[test]
fn same_scenario_same_result_and_the_seed_matters() {
    let text = example("inference-ramp-spike.yaml");
    let a = run(&text).to_json();
    let b = run(&text).to_json();
    assert_eq!(a, b, "a run is a pure function of its scenario");
    let c = run(&text.replace("seed: 42", "seed: 43")).to_json();
    assert_ne!(
        a["variants"][0]["timeline"]["arrivalRate"], c["variants"][0]["timeline"]["arrivalRate"],
        "another seed, other noise"
    );
}

#[test]
fn variants_face_the_identical_load_and_noise() {
    for name in [
        "inference-ramp-spike.yaml",
        "training-sqs-cooldowns.yaml",
        "hybrid-paused.yaml",
    ] {
        let r = run(&example(name));
        assert!(r.variants.len() >= 2);
        let first = r.variants[0].timeline.column("arrivalRate").unwrap();
        for v in &r.variants[1..] {
            assert_eq!(
                v.timeline.column("arrivalRate").unwrap(),
                first,
                "{name}/{}",
                v.name
            );
        }
        assert_eq!(
            r.variants[0].summary.arrived, r.variants[1].summary.arrived,
            "{name}"
        );
    }
}

#[test]
fn variants_differ_where_their_configuration_does() {
    let r = run(&example("inference-ramp-spike.yaml"));
    let (a, b) = (&r.variants[0], &r.variants[1]);
    assert!(
        b.summary.dropped > a.summary.dropped,
        "waiting for GPU nodes drops more during the spike"
    );
    let r = run(&example("training-sqs-cooldowns.yaml"));
    let (long, short) = (&r.variants[0], &r.variants[1]);
    assert!(
        short.summary.replica_hours < long.summary.replica_hours,
        "a shorter cooldown holds workers for less time: {} vs {}",
        short.summary.replica_hours,
        long.summary.replica_hours
    );
}

#[test]
fn every_traced_reconcile_replays_through_eval() {
    for (name, text) in examples() {
        // The day-long example is cut to 8 h to keep the test quick.
        let text = text.replace("duration: 1d", "duration: 8h");
        let (result, cases) = traced(&text);
        assert!(!cases.is_empty(), "{name}");
        let mut failures = Vec::new();
        for (variant, autoscaler, index, _, case) in &cases {
            // As a file would carry it: JSON text, read back.
            let text = serde_json::to_string(case).unwrap();
            let back: Value = serde_json::from_str(&text).unwrap();
            if let Err(errs) = check_fixture(&back) {
                failures.push(format!(
                    "{variant}/{autoscaler}#{index}: {}",
                    errs.join("; ")
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{name}: {} of {} traced cases do not replay:\n{}",
            failures.len(),
            cases.len(),
            failures[..failures.len().min(5)].join("\n")
        );
        // Every decision in the result is one of the traced reconciles.
        for v in &result.variants {
            for d in &v.decisions {
                let found = cases.iter().any(|(var, a, _, t, c)| {
                    var == &v.name
                        && a == &d.autoscaler
                        && *t == d.time
                        && (c["expect"]["desiredReplicas"] == d.desired_replicas
                            // A ScaledJob poll: running Jobs plus those created.
                            || c["expect"]["jobsToCreate"] == d.desired_replicas - d.replicas)
                });
                assert!(
                    found,
                    "{name}/{}: decision at {} has no trace",
                    v.name, d.time
                );
            }
        }
    }
}

#[test]
fn traced_hpa_histories_chain() {
    let text = example("inference-ramp-spike.yaml");
    let (_, cases) = traced(&text);
    let mut last: BTreeMap<(String, String), Value> = BTreeMap::new();
    let mut chained = 0;
    for (variant, autoscaler, _, _, case) in &cases {
        let key = (variant.clone(), autoscaler.clone());
        match last.get(&key) {
            None => assert!(
                case.get("history").is_none(),
                "the first reconcile has no memory"
            ),
            Some(prev) => {
                assert_eq!(
                    &case["history"], prev,
                    "history is chained as eval hands it back"
                );
                chained += 1;
            }
        }
        last.insert(key, case["expect"]["history"].clone());
    }
    assert!(chained > 100);
}

#[test]
fn keda_scales_to_zero_and_back() {
    let r = run(&example("batch-keda-idle.yaml"));
    let v = &r.variants[0];
    let replicas = v.timeline.column("replicas").unwrap();
    let first_zero = replicas
        .iter()
        .position(|&x| x == 0.0)
        .expect("starts at zero");
    let up = replicas[first_zero..]
        .iter()
        .position(|&x| x > 0.0)
        .expect("activated from zero")
        + first_zero;
    let down_again = replicas[up..].contains(&0.0);
    assert!(down_again, "back to zero after the cooldown");
    let activations = v
        .decisions
        .iter()
        .filter(|d| d.replicas == 0 && d.desired_replicas > 0)
        .count();
    assert!(activations >= 3, "one activation per burst: {activations}");
    assert!(v.decisions.iter().any(|d| d.desired_replicas == 0));
}

#[test]
fn flaws_are_flagged() {
    let r = run(&example("hybrid-paused.yaml").replace("duration: 1d", "duration: 2h"));
    for v in &r.variants {
        assert!(
            v.warnings
                .iter()
                .any(|w| w.contains("autoscaling.keda.sh/paused") && w.contains("no effect")),
            "{}: {:?}",
            v.name,
            v.warnings
        );
    }
    let fight = &r.variants[1];
    assert!(fight.warnings.iter().any(|w| w.contains("fight")));
    let by: std::collections::BTreeSet<&str> = fight
        .decisions
        .iter()
        .map(|d| d.autoscaler.as_str())
        .collect();
    assert!(by.len() >= 2, "both autoscalers write the replicas: {by:?}");
    assert!(
        fight.summary.scale_events > 10 * r.variants[0].summary.scale_events.max(1),
        "the fight shows as flapping"
    );
}

const BASE: &str = r#"manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 2
    template: {spec: {containers: [{name: app, resources: {requests: {cpu: "1"}}}]}}
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {name: web}
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    maxReplicas: 10
    metrics:
    - type: Pods
      pods: {metric: {name: depth}, target: {type: AverageValue, averageValue: "5"}}
duration: 10m
signals: {depth: queuePerReplica}
load:
  - {constant: 10}
  - {step: {at: 1m, rate: 20}}
  - {ramp: {from: 2m, to: 4m, rate: 30}}
"#;

#[test]
fn the_base_scenario_runs() {
    let r = run(BASE);
    assert!(r.variants[0].summary.scale_events > 0);
}

#[test]
fn unmapped_signals_and_a_missing_load_are_assumed_and_located() {
    let text = BASE
        .replacen("signals: {depth: queuePerReplica}\n", "", 1)
        .replacen("load:\n  - {constant: 10}\n  - {step: {at: 1m, rate: 20}}\n  - {ramp: {from: 2m, to: 4m, rate: 30}}\n", "", 1);
    assert!(
        !text.contains("load:") && !text.contains("signals:"),
        "{text}"
    );
    let scenario = sim::parse(&text).unwrap();
    let v = &scenario.variants[0];
    let paths: Vec<&str> = v.assumptions.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        paths,
        ["load", "manifests[1].spec.metrics[0].pods.metric.name"]
    );
    let depth = &v.assumptions[1];
    assert_eq!(
        (depth.metric.as_str(), depth.signal.as_str()),
        ("depth", "queuePerReplica")
    );
    let line = text
        .lines()
        .position(|l| l.contains("name: depth"))
        .unwrap() as u32
        + 1;
    assert_eq!(depth.line, Some(line));
    assert!(depth.reason.contains("`depth`"), "{}", depth.reason);
    // The default load: 1–10 replicas of 10/s each; a ramp and a spike.
    let load = &v.assumptions[0];
    assert_eq!(
        load.signal,
        "[{constant: 2.5}, {ramp: {from: 1m, to: 4m, rate: 47.5}}, {spike: {at: 6m, for: 1m, rate: 40}}]"
    );
    assert_eq!(load.line, None);
    let r = sim::simulate(&scenario);
    assert_eq!(r.variants[0].assumptions, v.assumptions);
    assert!(r.variants[0].summary.scale_events > 0);
    let json = r.to_json();
    assert_eq!(
        json["variants"][0]["assumptions"][1]["signal"],
        "queuePerReplica"
    );
    // A mapping is never an assumption.
    let mapped = sim::parse(BASE).unwrap();
    assert!(mapped.variants[0].assumptions.is_empty());
}

#[test]
fn bad_input_names_the_path_and_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (replace this, with this, path, the text on the line named)
        (
            "{ramp: {from: 2m, to: 4m, rate: 30}}",
            "{ramp: {from: 4m, to: 2m, rate: 30}}",
            "load[2].ramp.to",
            "to: 2m",
        ),
        (
            "{step: {at: 1m, rate: 20}}",
            "{step: {at: 1m, rate: -20}}",
            "load[1].step.rate",
            "rate: -20",
        ),
        (
            "{constant: 10}",
            "{constant: -1}",
            "load[0].constant",
            "constant: -1",
        ),
        (
            "{constant: 10}",
            "{constnat: 10}",
            "load[0].constnat",
            "constnat",
        ),
        ("duration: 10m", "duration: 10m\nstep: 0", "step", "step: 0"),
        (
            "duration: 10m",
            "duration: 31d",
            "duration",
            "duration: 31d",
        ),
        (
            "signals: {depth: queuePerReplica}",
            "signals: {depth: bogus}",
            "signals.depth",
            "depth: bogus",
        ),
        (
            "pods: {metric: {name: depth}",
            "pods: {metric: {name: foo}",
            "manifests[1].spec.metrics[0].pods.metric.name",
            "name: foo",
        ),
        (
            "    maxReplicas: 10",
            "    maxReplicas: 0",
            "manifests[1].spec.maxReplicas",
            "maxReplicas: 0",
        ),
        (
            "    replicas: 2",
            "    replicas: -2",
            "manifests[0].spec.replicas",
            "replicas: -2",
        ),
        (
            "    maxReplicas: 10",
            "    maxReplicas: 1000000",
            "manifests[1].spec.maxReplicas",
            "maxReplicas: 1000000",
        ),
        (
            "duration: 10m",
            "duration: 10m\nworkload: {capacityPerReplica: 0}",
            "workload.capacityPerReplica",
            "capacityPerReplica: 0",
        ),
        (
            "duration: 10m",
            "duration: 10m\nworkload: {mode: batch}",
            "workload.mode",
            "mode: batch",
        ),
        (
            "duration: 10m",
            "duration: 10m\nnodes: {podsPerNode: 0}",
            "nodes.podsPerNode",
            "podsPerNode",
        ),
        (
            "duration: 10m",
            "duration: 10m\npipeline: {hpaSync: -5}",
            "pipeline.hpaSync",
            "hpaSync",
        ),
        (
            "duration: 10m",
            "duration: 10m\ncost: {perReplicaHour: -1}",
            "cost.perReplicaHour",
            "perReplicaHour",
        ),
        (
            "duration: 10m",
            "duration: 10m\nbogus: 1",
            "bogus",
            "bogus: 1",
        ),
        (
            "  - {constant: 10}",
            "  - {constant: 10}\n  - {trace: {csv: \"t,rate\\n0,1\\n0,2\\n\"}}",
            "load[1].trace.csv",
            "trace:",
        ),
        (
            "duration: 10m",
            "duration: 10m\nvariants: [{name: a, workload: {capacityPerReplica: -3}}]",
            "variants[0].workload.capacityPerReplica",
            "capacityPerReplica: -3",
        ),
        (
            "duration: 10m",
            "duration: 10m\nvariants: [{name: a, seed: 3}]",
            "variants[0].seed",
            "seed: 3",
        ),
    ];
    for (from, to, path, marker) in cases {
        assert!(BASE.contains(from), "{from}");
        let text = BASE.replacen(from, to, 1);
        let line = text
            .lines()
            .position(|l| l.contains(marker))
            .map(|i| i as u32 + 1)
            .unwrap_or_else(|| panic!("marker {marker:?}"));
        let e = match sim::parse(&text) {
            Ok(_) => panic!("accepted: {to}"),
            Err(e) => e,
        };
        let p = e.first();
        assert_eq!(p.path, *path, "{to}: {e}");
        assert_eq!(p.line, Some(line), "{to}: {e}");
        assert!(!p.message.is_empty());
    }
}

#[test]
fn block_scalar_csv_errors_point_into_the_scenario() {
    let text = BASE.replacen(
        "  - {constant: 10}",
        "  - {constant: 10}\n  - trace:\n      csv: |\n        t,rate\n        0,5\n        60,-2\n",
        1,
    );
    let e = sim::parse(&text).unwrap_err();
    let p = e.first();
    assert_eq!(p.path, "load[1].trace.csv");
    let bad_line = text.lines().position(|l| l.contains("60,-2")).unwrap() as u32 + 1;
    assert_eq!(p.line, Some(bad_line), "{e}");
}

#[test]
fn manifest_errors_point_into_the_block() {
    let text = BASE.replacen(
        "      pods: {metric: {name: depth}, target: {type: AverageValue, averageValue: \"5\"}}",
        "      pods: {metric: {name: depth}, target: {type: Utilization, averageUtilization: 50}}",
        1,
    );
    let e = sim::parse(&text).unwrap_err();
    let p = e.first();
    assert!(
        p.path
            .starts_with("manifests[1].spec.metrics[0].pods.target"),
        "{e}"
    );
    let line = text
        .lines()
        .position(|l| l.contains("averageUtilization: 50"))
        .unwrap() as u32
        + 1;
    assert_eq!(p.line, Some(line), "{e}");
}

#[test]
fn nothing_panics_on_odd_input() {
    for text in [
        "",
        "[]",
        "load: []",
        "manifests: 3\nload: [{constant: 1}]",
        "manifests: ''\nload: [{constant: 1}]",
        "manifests: 'kind: Deployment'\nload: [{constant: 1}]",
        "manifests: 'kind: Deployment'\nload: [{constant: 1}]\nduration: 1s\nstep: 2s",
        "manifests: 'kind: Deployment'\nload: [{noise: {cv: 100}}]",
        "manifests: 'kind: Deployment'\nload: [{diurnal: {mean: 1, amplitude: 2}}]",
        "manifests: 'kind: Deployment'\nload: [{spike: {at: 1m, for: 0, rate: 3}}]",
        "manifests: 'kind: Deployment'\nload: [{trace: {file: x.csv}}]",
        "manifests: x.yaml\nload: [{constant: 1}]",
        "manifests: 'kind: Deployment'\nload: [{constant: 1}]\nvariants: []",
        "manifests: 'kind: Deployment'\nload: [{constant: 1}]\nvariants: [{}]",
        "manifests: 'kind: Deployment'\nload: [{constant: 1e300}]",
    ] {
        if let Ok(s) = sim::parse(text) {
            let _ = sim::simulate(&s);
        }
    }
    // A Deployment alone is a valid scenario: no autoscaler, fixed replicas.
    let r = run("manifests: 'kind: Deployment'\nload: [{constant: 1}]\nduration: 1m");
    assert!(
        r.variants[0]
            .warnings
            .iter()
            .any(|w| w.contains("no autoscaler"))
    );
}

#[test]
fn cold_start_and_probe_delay_readiness() {
    let text = BASE.replacen(
        "    template: {spec: {containers: [{name: app, resources: {requests: {cpu: \"1\"}}}]}}",
        "    template: {spec: {containers: [{name: app, resources: {requests: {cpu: \"1\"}}, readinessProbe: {initialDelaySeconds: 45, periodSeconds: 10}}]}}",
        1,
    ) + "workload: {coldStart: {schedule: 2s, pull: 10s, load: 30s}}\n";
    let r = run(&text);
    let v = &r.variants[0];
    let first = &v.decisions[0];
    let t0 = first.time as usize;
    let ready = v.timeline.column("readyReplicas").unwrap();
    let replicas = v.timeline.column("replicas").unwrap();
    assert_eq!(replicas[t0], f64::from(first.desired_replicas));
    // Bound at +2 s, running at +12 s, loaded at +42 s, first probe at +57 s.
    assert_eq!(ready[t0 + 56], 2.0, "not ready before the probe passes");
    assert!(
        ready[t0 + 57] > 2.0,
        "ready at the first probe after loading"
    );
}

#[test]
fn ten_thousand_replicas_run() {
    let text = BASE
        .replace("maxReplicas: 10", "maxReplicas: 20000")
        .replace("{constant: 10}", "{constant: 50000}")
        .replace("duration: 10m", "duration: 15m");
    let r = run(&text);
    assert!(
        r.variants[0].summary.peak_replicas >= 10_000,
        "{}",
        r.variants[0].summary.peak_replicas
    );
}

#[test]
fn manifests_and_traces_may_be_files_with_a_loader() {
    let files: BTreeMap<&str, &str> = BTreeMap::from([
        (
            "app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template: {spec: {containers: [{name: app, resources: {requests: {cpu: '1'}}}]}}\n",
        ),
        (
            "hpa.yaml",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 8\n",
        ),
        ("bad.yaml", "kind: Deployment\nspec:\n  replicas: -1\n"),
        ("load.csv", "t,rate\n0,5\n5m,30\n"),
    ]);
    let loader = |p: &str| {
        files
            .get(p)
            .map(|s| s.to_string())
            .ok_or_else(|| format!("{p}: no such file"))
    };
    let s = sim::parse_with(
        "manifests: [app.yaml, hpa.yaml]\nduration: 20m\nload: [{trace: {file: load.csv}}]\n",
        &loader,
    )
    .unwrap();
    let r = sim::simulate(&s);
    assert!(r.variants[0].summary.scale_events > 0);
    let e = sim::parse_with(
        "manifests: [app.yaml, bad.yaml]\nload: [{constant: 1}]\n",
        &loader,
    )
    .unwrap_err();
    assert_eq!(e.first().path, "manifests[1][0].spec.replicas");
    assert!(e.first().message.starts_with("bad.yaml:3:"), "{e}");
    assert_eq!(e.first().line, Some(1), "the scenario's line of the entry");
    let e = sim::parse_with(
        "manifests: [app.yaml, nope.yaml]\nload: [{constant: 1}]\n",
        &loader,
    )
    .unwrap_err();
    assert!(e.first().message.contains("nope.yaml"), "{e}");
    // Without a loader (the npm package, the playground) paths are refused.
    let e = sim::parse("manifests: app.yaml\nload: [{constant: 1}]\n").unwrap_err();
    assert_eq!(e.first().path, "manifests");
}

#[test]
fn the_timeline_can_be_sampled_coarser() {
    let s = sim::parse(BASE).unwrap();
    let fine = sim::simulate(&s);
    let coarse = sim::run(
        &s,
        &mut Options {
            every: Some(replicast_engine::time::Duration::from_secs(60)),
            trace: None,
        },
    );
    let (f, c) = (&fine.variants[0], &coarse.variants[0]);
    assert_eq!(c.timeline.len(), 10);
    assert_eq!(c.timeline.column("t").unwrap()[1], 60.0);
    assert_eq!(
        f.summary.replica_hours, c.summary.replica_hours,
        "summaries do not depend on sampling"
    );
    let dropped: f64 = f.timeline.column("dropped").unwrap().iter().sum();
    let dropped_c: f64 = c.timeline.column("dropped").unwrap().iter().sum();
    assert!(
        (dropped - dropped_c).abs() < 1e-6,
        "dropped sums over each interval"
    );
}

#[test]
fn readings_carry_pipeline_timestamps_and_windows() {
    // cpu (metrics-server) and a Pods metric (Prometheus, lag 5 s).
    let text = BASE
        .replacen(
            "    - type: Pods",
            "    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n    - type: Pods",
            1,
        )
        + "workload: {coldStart: {schedule: 1s, pull: 5s, load: 10s}}\n";
    let (_, cases) = traced(&text);
    let mut young = 0;
    for (_, _, _, now, case) in &cases {
        let cpu = &case["metrics"][0];
        let pods = &case["metrics"][1];
        let cpu_ts = cpu["timestamp"].as_f64().unwrap();
        assert!(
            cpu_ts <= *now && *now - cpu_ts < 15.0,
            "the latest metrics-server scrape"
        );
        assert_eq!(cpu["window"], 30);
        if *now > 0.0 {
            let ts = pods["timestamp"].as_f64().unwrap();
            assert!(
                *now - ts >= 5.0 && *now - ts < 20.0,
                "Prometheus' scrape and lag: {now} vs {ts}"
            );
        }
        // A pod running for less than the window reports over what it had.
        for (pod, sample) in cpu["podValues"].as_object().unwrap() {
            if let Some(w) = sample.get("window") {
                young += 1;
                let w = w.as_f64().unwrap();
                assert!((15.0..30.0).contains(&w), "{pod}: window {w}");
            }
        }
    }
    assert!(
        young > 0,
        "new pods' first samples cover less than the window"
    );
}

#[test]
fn keda_reads_each_scaler_as_late_as_it_is() {
    // Queue work starts at 600 s; KEDA polls every 15 s and reads RabbitMQ
    // live (AMQP), so it activates at the first poll that sees messages.
    let text = example("batch-keda-idle.yaml").replace("duration: 4h", "duration: 20m");
    let first_activation = |text: &str| {
        let r = run(text);
        let v = &r.variants[0];
        v.decisions
            .iter()
            .find(|d| d.replicas == 0 && d.desired_replicas > 0)
            .map(|d| d.time)
            .expect("activated")
    };
    let live = first_activation(&text);
    assert!(
        (600.0..=615.0).contains(&live),
        "activated at {live}, within one poll of the first work"
    );
    // The management API's statistics, set 40 s stale, hold it back.
    let stale = first_activation(&text.replace(
        "cost:",
        "pipeline: {scalers: {rabbitmq: {lag: 40s}}}\ncost:",
    ));
    assert!(stale >= live + 30.0, "{stale} vs {live}");
}

#[test]
fn pipeline_scalers_are_checked() {
    let text = example("batch-keda-idle.yaml");
    for (setting, path) in [
        ("{prometheus: {lag: 5s}}", "pipeline.scalers.prometheus"),
        ("{rabbitmq: {delay: 5s}}", "pipeline.scalers"),
        ("{rabbitmq: {lag: 2d}}", "pipeline.scalers.rabbitmq.lag"),
    ] {
        let bad = text.replace("cost:", &format!("pipeline: {{scalers: {setting}}}\ncost:"));
        let e = sim::parse(&bad).expect_err(setting).to_string();
        assert!(e.contains(path), "{setting}: {e}");
    }
}

#[test]
fn keda_average_value_columns_are_per_replica() {
    // The HPA compares an AverageValue target per replica; so does the column.
    let r = run(&example("batch-keda-idle.yaml").replace("duration: 4h", "duration: 90m"));
    let v = &r.variants[0];
    let seen = v.timeline.column("seen.ml-inference-queue").unwrap();
    let queue = v.timeline.column("queue").unwrap();
    let replicas = v.timeline.column("replicas").unwrap();
    let ratios: Vec<f64> = (0..seen.len())
        .filter(|&k| replicas[k] >= 4.0 && queue[k] > 20.0 && seen[k].is_finite())
        .map(|k| seen[k] * replicas[k] / queue[k])
        .collect();
    assert!(ratios.len() > 30, "{} busy rows", ratios.len());
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    assert!(
        (0.5..2.0).contains(&mean),
        "seen × replicas / queue = {mean}"
    );
}

#[test]
fn cron_prewarms_at_eight_in_berlin() {
    // start 06:00Z = 07:00 CET: the window (08:00-18:00 Europe/Berlin)
    // opens at t = 3600 s.
    let r = run(&example("cron-prewarm-berlin.yaml"));
    let v = &r.variants[0];
    let desired = v.timeline.column("desiredReplicas").unwrap();
    assert!(
        desired[..3600].iter().all(|&x| x == 0.0),
        "nothing before 08:00 Berlin time"
    );
    assert!(
        desired[3600 + 15] >= 1.0,
        "activated within one poll of 08:00"
    );
    assert_eq!(desired[3600 + 300], 6.0, "six replicas before the load");
    let first = v.decisions.first().expect("a decision");
    assert!((3600.0..3616.0).contains(&first.time), "{}", first.time);
}

#[test]
fn start_must_be_an_instant() {
    let base = example("cron-prewarm-berlin.yaml");
    for bad in [
        "start: tomorrow",
        "start: 2026-12-01T08:00:00",
        "start: [1]",
    ] {
        let text = base.replace("start: 2026-12-01T06:00:00Z", bad);
        let e = sim::parse(&text).unwrap_err();
        assert_eq!(e.first().path, "start", "{bad}");
    }
    let unix = base.replace("start: 2026-12-01T06:00:00Z", "start: 1796104800");
    assert_eq!(
        sim::parse(&unix).unwrap().start,
        sim::parse(&base).unwrap().start
    );
}
