//! Reading JSON text straight into the engine's types (`case::from_json`,
//! `Prepared::evaluate_json`, the npm package's path for objects) against
//! reading its `Value` (`case::from_value`, `Prepared::evaluate`): for
//! every fixture, and for inputs with unknown fields at every level, the
//! same decision, notices and errors.
#![cfg(feature = "yaml")]

use std::path::{Path, PathBuf};

use replicast_engine::case::{self, prepared::Prepared};
use replicast_engine::model::Controller;
use replicast_engine::yaml::{Limits, parse_single};
use serde_json::{Value, json};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// What reading and evaluating gives: the decision as JSON, or the error
/// with every problem's path.
fn outcome(read: Result<case::EvalCase, replicast_engine::Error>) -> String {
    match read {
        Ok(c) => serde_json::to_string(&case::evaluate(&c)).unwrap(),
        Err(e) => format!("{e} {:?}", e.problems),
    }
}

#[test]
fn every_fixture_reads_the_same_from_text_and_from_its_value() {
    let mut paths = Vec::new();
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases"),
        &mut paths,
    );
    let mut compared = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(value) = parse_single(&text, &Limits::default()).and_then(|n| n.to_json()) else {
            continue;
        };
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            outcome(case::from_json(&json)),
            outcome(case::from_value(&value)),
            "{}",
            path.display()
        );
        compared += 1;
    }
    assert!(compared > 50, "only {compared} fixtures");
}

fn hpa() -> Value {
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "w"}, "maxReplicas": 10,
            "metrics": [{"type": "Pods", "pods": {"metric": {"name": "q"},
                "target": {"type": "AverageValue", "averageValue": "5"}}}]}})
}

/// Inputs with unknown fields at several levels (given out of name order),
/// and inputs refused for a type, a missing field or their shape.
fn inputs() -> Vec<Value> {
    vec![
        json!({"now": 100, "target": {"replicas": 2, "replicaz": 1}, "zzz": 1, "expect": {"x": 1},
            "pods": [{"name": "a", "phase": "Running", "requets": {"cpu": "1"}}, {"name": "b"}],
            "metrics": [{"podValues": {"a": {"value": "7", "windw": "30s"}, "b": 3}, "valeu": 1}],
            "history": {"recommendations": [{"time": 90, "replicas": 3, "x": 0}], "keda": {"y": 1}},
            "controller": {"tolerance": 0.2, "features": {"HPAScaleToZero": false}, "tolerence": 1}}),
        json!({"now": 100, "target": {"replicas": 2}, "pods": [{"name": "a"}],
            "metrics": [{"podValues": {"a": true}}]}),
        json!({"now": 100, "target": {"replicas": 2}, "pods": [{"name": "a"}],
            "metrics": [{"podValues": {"a": {"timestamp": 1}}}]}),
        json!({"now": "soon", "target": {"replicas": 2}, "metrics": [{"values": ["1"]}]}),
        json!({"target": {"replicas": 2}, "metrics": [{"values": ["1"]}]}),
        json!([1, 2]),
    ]
}

#[test]
fn unknown_fields_and_errors_are_the_same_from_text() {
    for inputs in inputs() {
        let mut whole = inputs.clone();
        if let Some(o) = whole.as_object_mut() {
            o.insert("hpa".into(), hpa());
        }
        let json = serde_json::to_string(&whole).unwrap();
        assert_eq!(
            outcome(case::from_json(&json)),
            outcome(case::from_value(&whole)),
            "{json}"
        );

        let mut p = Prepared::from_value(&hpa(), &Controller::default()).unwrap();
        let from_text = p.evaluate_json(&serde_json::to_string(&inputs).unwrap());
        let from_value = p.evaluate(&inputs);
        assert_eq!(
            from_text.map_err(|e| format!("{e} {:?}", e.problems)),
            from_value.map_err(|e| format!("{e} {:?}", e.problems)),
            "{inputs}"
        );
    }
    // The first input's notices, so that the comparison is not of two empty lists.
    let json = serde_json::to_string(&{
        let mut w = inputs()[0].clone();
        w["hpa"] = hpa();
        w
    })
    .unwrap();
    let case = case::from_json(&json).unwrap();
    let paths: Vec<String> = case.notices.0.iter().map(|n| n.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "controller.tolerence",
            "history.keda.y",
            "history.recommendations[0].x",
            "metrics[0].podValues.a.windw",
            "metrics[0].valeu",
            "pods[0].requets",
            "target.replicaz",
            "zzz",
        ]
    );
}

#[test]
fn syntax_errors_are_located() {
    let e = case::from_json("{\"now\": 1,\n \"target\": }").unwrap_err();
    assert_eq!((e.first().line, e.first().column), (Some(2), Some(12)));
}
