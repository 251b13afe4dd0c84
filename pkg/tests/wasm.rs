//! The binding under wasm-bindgen-test: in Node by default, in headless
//! Chromium with `WASM_BINDGEN_USE_BROWSER=1` (see `cargo xtask test`).
//! The exports are called with JavaScript values, as the package calls
//! them, and their results read back as JavaScript values.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Reflect};
use replicast_wasm::{
    CaseInput, ManifestInput, ScenarioInput, SimulateOptions, check_fixture, evaluate,
    parse_manifests, simulate, version,
};
use tsify::Ts;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const CASE_JSON: &str = r#"{
  "now": 1000,
  "hpa": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
      "maxReplicas": 10,
      "metrics": [{"type": "Pods", "pods": {"metric": {"name": "queue"},
        "target": {"type": "AverageValue", "averageValue": "10"}}}]}},
  "target": {"replicas": 2},
  "pods": [{"name": "a"}, {"name": "b"}],
  "metrics": [{"podValues": {"a": "30", "b": "30"}}]
}"#;

const CASE_YAML: &str = "now: 1000
hpa:
  spec:
    scaleTargetRef: {kind: Deployment, name: web}
    maxReplicas: 10
    metrics:
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: \"10\"}}
target: {replicas: 2}
pods: [{name: a}, {name: b}]
metrics: [{podValues: {a: \"30\", b: \"30\"}}]
";

const MANIFESTS: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template: {spec: {containers: [{name: app, resources: {requests: {cpu: \"1\"}}}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 0
";

fn object(json: &str) -> JsValue {
    JSON::parse(json).expect("valid JSON")
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        if let Ok(i) = key.parse::<u32>() {
            Array::from(&v).get(i)
        } else {
            Reflect::get(&v, &JsValue::from_str(key)).expect("an object")
        }
    })
}

fn case(value: JsValue) -> Ts<CaseInput> {
    Ts::new_unchecked(value)
}

#[wasm_bindgen_test]
fn evaluates_an_object() {
    let decision = JsValue::from(evaluate(case(object(CASE_JSON)), None).expect("a decision"));
    // 30 per pod against 10: ×3 proposes 6, capped at max(2 × 2, 4) on a scale-up.
    assert_eq!(get(&decision, &["desiredReplicas"]).as_f64(), Some(4.0));
    assert_eq!(
        get(&decision, &["metrics", "0", "replicas"]).as_f64(),
        Some(6.0)
    );
    assert_eq!(
        get(&decision, &["conditions", "2", "reason"])
            .as_string()
            .as_deref(),
        Some("ScaleUpLimit")
    );
}

#[wasm_bindgen_test]
fn text_and_object_give_one_decision() {
    let from_object = evaluate(case(object(CASE_JSON)), None).expect("a decision");
    let from_yaml = evaluate(case(CASE_YAML.into()), None).expect("a decision");
    let from_json = evaluate(case(CASE_JSON.into()), None).expect("a decision");
    let text = |v: Ts<replicast_wasm::Decision>| JSON::stringify(&v.into()).unwrap().as_string();
    let expected = text(from_object);
    assert_eq!(text(from_yaml), expected);
    assert_eq!(text(from_json), expected);
}

#[wasm_bindgen_test]
fn errors_carry_every_problem_with_its_place() {
    let bad = CASE_YAML.replace("maxReplicas: 10", "maxReplicas: ten");
    let error = evaluate(case(bad.as_str().into()), None).expect_err("rejected");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&error, &["name"]).as_string().as_deref(),
        Some("ReplicastError")
    );
    assert_eq!(
        get(&error, &["path"]).as_string().as_deref(),
        Some("hpa.spec.maxReplicas")
    );
    assert_eq!(get(&error, &["line"]).as_f64(), Some(5.0));
    assert_eq!(
        get(&error, &["kind"]).as_string().as_deref(),
        Some("schema")
    );
    assert_eq!(Array::from(&get(&error, &["problems"])).length(), 1);
}

#[wasm_bindgen_test]
fn unknown_fields_are_notices_and_strict_throws_them() {
    let typo = CASE_YAML.replace("maxReplicas: 10", "maxReplicas: 10\n    maxReplica: 20");
    let decision = JsValue::from(evaluate(case(typo.as_str().into()), None).expect("a decision"));
    assert_eq!(
        get(&decision, &["notices", "0", "path"])
            .as_string()
            .as_deref(),
        Some("hpa.spec.maxReplica")
    );
    assert_eq!(
        get(&decision, &["notices", "0", "line"]).as_f64(),
        Some(6.0)
    );
    let strict = Ts::new_unchecked(object(r#"{"strict": true}"#));
    let error = evaluate(case(typo.as_str().into()), Some(strict)).expect_err("refused");
    assert_eq!(
        get(&error, &["kind"]).as_string().as_deref(),
        Some("strict")
    );
    assert_eq!(get(&error, &["line"]).as_f64(), Some(6.0));
}

#[wasm_bindgen_test]
fn values_that_are_not_cases_are_errors_not_panics() {
    for input in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(1.0),
        Array::new().into(),
        JsValue::from_str("now: ["),
    ] {
        let error = evaluate(case(input), None).expect_err("rejected");
        assert_eq!(
            get(&error, &["name"]).as_string().as_deref(),
            Some("ReplicastError")
        );
    }
}

#[wasm_bindgen_test]
fn fixtures_are_checked_by_the_engines_rules() {
    let decision: JsValue = evaluate(case(object(CASE_JSON)), None).unwrap().into();
    let pass = object(r#"{"expect": {"desiredReplicas": 4, "metrics": [{"value": "30000m"}]}}"#);
    assert!(check_fixture(pass, decision.clone()).unwrap().is_empty());
    let fail = object(r#"{"expect": {"desiredReplicas": 5}}"#);
    assert_eq!(check_fixture(fail, decision).unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn reads_manifests_and_reports_the_invalid_ones() {
    let out: JsValue = parse_manifests(Ts::<ManifestInput>::new_unchecked(MANIFESTS.into()), None)
        .expect("documents")
        .into();
    let objects = Array::from(&get(&out, &["objects"]));
    assert_eq!(objects.length(), 1);
    assert_eq!(
        get(&out, &["objects", "0", "type"]).as_string().as_deref(),
        Some("Workload")
    );
    assert_eq!(
        get(&out, &["objects", "0", "replicas"]).as_f64(),
        Some(1.0),
        "API default"
    );
    assert_eq!(
        get(&out, &["problems", "0", "path"]).as_string().as_deref(),
        Some("[1].spec.maxReplicas")
    );
    assert_eq!(get(&out, &["problems", "0", "line"]).as_f64(), Some(12.0));
}

#[wasm_bindgen_test]
fn simulates_a_scenario() {
    let manifests = MANIFESTS.replace("maxReplicas: 0", "maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}");
    let scenario = js_sys::Object::new();
    Reflect::set(&scenario, &"manifests".into(), &manifests.as_str().into()).unwrap();
    Reflect::set(&scenario, &"duration".into(), &"10m".into()).unwrap();
    Reflect::set(&scenario, &"load".into(), &object(r#"[{"constant": 30}]"#)).unwrap();
    let input = || Ts::<ScenarioInput>::new_unchecked(scenario.clone().into());
    let result: JsValue = simulate(input(), None).expect("a run").into();
    assert_eq!(
        get(&result, &["variants", "0", "name"])
            .as_string()
            .as_deref(),
        Some("default")
    );
    assert_eq!(
        Array::from(&get(&result, &["variants", "0", "timeline", "t"])).length(),
        600
    );
    let every = Ts::<SimulateOptions>::new_unchecked(object(r#"{"every": "1m"}"#));
    let coarse: JsValue = simulate(input(), Some(every)).expect("a run").into();
    assert_eq!(
        Array::from(&get(&coarse, &["variants", "0", "timeline", "t"])).length(),
        10
    );
    let bad = simulate(
        Ts::<ScenarioInput>::new_unchecked(object(r#"{"load": []}"#)),
        None,
    )
    .expect_err("no manifests");
    assert_eq!(
        get(&bad, &["name"]).as_string().as_deref(),
        Some("ReplicastError")
    );
}

#[wasm_bindgen_test]
fn reports_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
