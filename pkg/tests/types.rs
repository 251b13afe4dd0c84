//! The TypeScript declarations against real inputs and outputs (native:
//! `cargo test -p replicast-wasm`).
//!
//! The input declarations (`EvalCase`, `Scenario`) are not the reading path,
//! and the simulator's result is serialized by the engine, so these tests
//! keep the declared types honest: every valid fixture and scenario must
//! fit them, every engine output must read back into them (unknown fields
//! refused where the declaration says the shape is closed), and the
//! decision the package returns must be byte for byte what the engine
//! serializes for `replicast eval`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use replicast_engine::case;
use replicast_engine::yaml::{Limits, parse_single};
use replicast_wasm::{input, manifest, sim};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
    out.sort();
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    parse_single(&text, &Limits::default())
        .and_then(|n| n.to_json())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixtures() -> Vec<(PathBuf, Value)> {
    let mut paths = Vec::new();
    files(
        &root().join("tests/cases"),
        &["yaml", "yml", "json"],
        &mut paths,
    );
    assert!(!paths.is_empty());
    paths
        .into_iter()
        .map(|p| {
            let v = yaml(&p);
            (p, v)
        })
        .collect()
}

fn scenarios() -> Vec<(PathBuf, Value)> {
    let mut paths = Vec::new();
    files(&root().join("examples"), &["yaml", "yml"], &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let v = yaml(&p);
            (p, v)
        })
        .collect()
}

#[test]
fn every_valid_fixture_fits_the_declared_case_type() {
    let mut checked = 0;
    for (path, value) in fixtures() {
        if value.pointer("/expect/error").is_some() {
            continue;
        }
        let mut case = value.clone();
        case.as_object_mut().unwrap().remove("expect");
        if let Err(e) = serde_json::from_value::<input::EvalCase>(case) {
            panic!("{}: does not fit EvalCase: {e}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn a_decisions_history_is_a_history_a_case_takes() {
    for (path, value) in fixtures() {
        let Ok(parsed) = case::from_value(&value) else {
            continue;
        };
        let decision = serde_json::to_value(case::evaluate(&parsed)).unwrap();
        let history: input::EvalCase = serde_json::from_value(serde_json::json!({
            "now": 0, "target": {"replicas": 1}, "history": decision["history"].clone()
        }))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(history.history.is_some(), "{}", path.display());
    }
}

#[test]
fn scenarios_and_their_results_fit_the_declared_types() {
    let scenarios = scenarios();
    assert!(!scenarios.is_empty(), "no scenarios under examples/");
    for (path, value) in scenarios {
        if let Err(e) = serde_json::from_value::<sim::Scenario>(value.clone()) {
            panic!("{}: does not fit Scenario: {e}", path.display());
        }
        let scenario = replicast_engine::sim::scenario::from_value(&value)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let result = replicast_engine::sim::simulate(&scenario).to_json();
        if let Err(e) = serde_json::from_value::<sim::SimResult>(result.clone()) {
            panic!("{}: the result does not fit SimResult: {e}", path.display());
        }
        for variant in result["variants"].as_array().unwrap() {
            for d in variant["decisions"].as_array().unwrap() {
                for c in d["conditions"].as_array().unwrap() {
                    let _: ConditionCheck = serde_json::from_value(c.clone()).unwrap();
                }
            }
        }
    }
}

/// A condition as `Condition` declares it (the mirror only serializes).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ConditionCheck {
    #[serde(rename = "type")]
    type_: String,
    status: String,
    reason: String,
    message: String,
}

#[test]
fn manifests_read_back_into_the_declared_types() {
    let mut paths = Vec::new();
    files(&root().join("tests/seed"), &["yaml"], &mut paths);
    assert!(!paths.is_empty());
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let opts = replicast_engine::spec::validation::Options {
            min_replicas_lower_bound: 1,
        };
        let read = replicast_engine::manifest::parse(&text, opts)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for object in read.objects {
            let ours = serde_json::to_value(manifest::ManifestObject::from(object)).unwrap();
            match ours["type"].as_str() {
                Some("HorizontalPodAutoscaler") => {
                    serde_json::from_value::<input::HorizontalPodAutoscaler>(ours["hpa"].clone())
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
                Some("ScaledObject") => {
                    serde_json::from_value::<input::ScaledObject>(ours["scaledObject"].clone())
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
                Some("Workload" | "Ignored") => {}
                other => panic!("{}: unknown object type {other:?}", path.display()),
            }
        }
    }
}

#[test]
fn signal_names_are_the_engines() {
    for s in replicast_engine::sim::scenario::SIGNALS {
        let ours: sim::Signal = serde_json::from_value(Value::from(s.name())).unwrap();
        assert_eq!(ours, sim::Signal::from(s), "{}", s.name());
    }
}

#[test]
fn problem_kinds_are_the_engines() {
    use replicast_engine::ErrorKind;
    for kind in [
        ErrorKind::Syntax,
        ErrorKind::Limit,
        ErrorKind::Schema,
        ErrorKind::Invalid,
        ErrorKind::Unsupported,
        ErrorKind::Strict,
    ] {
        let ours = replicast_wasm::error::ProblemKind::from(kind);
        assert_eq!(
            serde_json::to_value(ours).unwrap(),
            serde_json::to_value(kind).unwrap()
        );
    }
}

#[test]
fn assumptions_fit_the_declared_type() {
    // A real-world manifest alone: signals, broker mode and load assumed.
    let text = std::fs::read_to_string(
        root().join("tests/realworld/keda-docs-rabbitmq-http-messagerate-and-queuelength.yaml"),
    )
    .unwrap();
    let scenario = replicast_engine::sim::parse(&text).unwrap();
    let mut options = replicast_engine::sim::Options {
        every: Some(replicast_engine::time::Duration::from_secs(60)),
        ..Default::default()
    };
    let result = replicast_engine::sim::run(&scenario, &mut options).to_json();
    let declared: sim::SimResult = serde_json::from_value(result).unwrap();
    let paths: Vec<&str> = declared.variants[0]
        .assumptions
        .iter()
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert_eq!(paths[0], "load");
    assert!(declared.variants[0].assumptions[1].line.is_some());
}

#[test]
fn tune_results_fit_the_declared_type() {
    let mut tuned = 0;
    for (path, value) in scenarios() {
        if value.get("tune").is_none() {
            continue;
        }
        let scenario = replicast_engine::sim::scenario::from_value(&value).unwrap();
        let overrides = replicast_engine::tune::Overrides {
            budget: Some(6),
            ..Default::default()
        };
        let mut t = replicast_engine::tune::prepare_value(scenario, &value, None, &overrides)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let result = t
            .run(&replicast_engine::tune::Sequential, &mut |_| true)
            .unwrap()
            .to_json();
        if let Err(e) = serde_json::from_value::<replicast_wasm::TuneResult>(result) {
            panic!(
                "{}: the result does not fit TuneResult: {e}",
                path.display()
            );
        }
        tuned += 1;
    }
    assert!(
        tuned > 0,
        "no scenario under examples/ has a `tune:` section"
    );
}
