//! Unknown fields from the command line: `replicast eval` and `replicast
//! simulate` print each with its line by default and refuse it with exit 2
//! under `--strict`.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// Runs the binary with `text` on stdin: exit code, stdout, stderr.
fn run(args: &[&str], text: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_replicast"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const TYPO: &str = "now: 1000
hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {name: web, labels: {app: web}}
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    maxReplicas: 10
    maxReplica: 20
    metrics:
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: \"10\"}}
target: {replicas: 2}
pods: [{name: a}, {name: b}]
metrics:
- podValues: {a: \"30\", b: \"30\"}
";

const MESSAGE: &str = "unknown field \"spec.maxReplica\"; did you mean \"maxReplicas\"?";

#[test]
fn eval_warns_with_the_line_and_strict_exits_2() {
    let (code, out, err) = run(&["eval", "-"], TYPO);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["desiredReplicas"], 4,
        "evaluated as if the line were not there"
    );
    let n = &v["notices"][0];
    assert_eq!(n["kind"], "unknown-field");
    assert_eq!(n["path"], "hpa.spec.maxReplica");
    assert_eq!(
        (n["line"].as_u64(), n["column"].as_u64()),
        (Some(9), Some(5))
    );
    assert_eq!(n["message"], MESSAGE);
    assert_eq!(v["warnings"][0], format!("hpa.spec.maxReplica: {MESSAGE}"));
    assert!(
        err.contains(&format!(
            "warning: hpa.spec.maxReplica (line 9, column 5): {MESSAGE}"
        )),
        "{err}"
    );

    let (code, out, _) = run(&["eval", "--strict", "-"], TYPO);
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "strict");
    assert_eq!(v["error"]["path"], "hpa.spec.maxReplica");
    assert_eq!(v["error"]["line"], 9);
    assert_eq!(v["error"]["message"], MESSAGE);

    let clean = TYPO.replace("    maxReplica: 20\n", "");
    let (code, out, err) = run(&["eval", "--strict", "-"], &clean);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("notices") && !err.contains("warning"),
        "{out}{err}"
    );
}

#[test]
fn eval_check_strict_refuses_cases_with_notices() {
    // The typo fixture passes as written, and is refused under --strict.
    let file = "tests/cases/hpa/unknown-field-typo-warns.yaml";
    let (code, out, _) = run(&["eval", "--check", file], "");
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(&["eval", "--check", "--strict", file], "");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the case was rejected: hpa.spec.maxReplica"),
        "{out}"
    );
}

const SCENARIO: &str = "manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 2
    template: {spec: {containers: [{name: app, resources: {requests: {cpu: \"1\"}}}]}}
  ---
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {name: web}
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    maxReplicas: 10
    maxReplica: 20
    metrics:
    - type: Pods
      pods: {metric: {name: depth}, target: {type: AverageValue, averageValue: \"5\"}}
duration: 2m
signals: {depth: queuePerReplica}
load:
  - {constant: 10}
";

#[test]
fn simulate_warns_with_the_line_and_strict_exits_2() {
    let (code, out, err) = run(&["simulate", "-"], SCENARIO);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "! manifests[1].spec.maxReplica (line 15, column 5): {MESSAGE}"
        )),
        "{out}"
    );
    let (code, out, _) = run(&["simulate", "--json", "-"], SCENARIO);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let n = &v["variants"][0]["notices"][0];
    assert_eq!(n["path"], "manifests[1].spec.maxReplica");
    assert_eq!(n["line"], 15);

    let (code, out, err) = run(&["simulate", "--strict", "-"], SCENARIO);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains(&format!(
            "manifests[1].spec.maxReplica (line 15, column 5): {MESSAGE}"
        )),
        "{err}"
    );
    let (code, out, _) = run(&["simulate", "--strict", "--json", "-"], SCENARIO);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "strict");
    assert_eq!(v["error"]["line"], 15);

    let clean = SCENARIO.replace("    maxReplica: 20\n", "");
    let (code, out, err) = run(&["simulate", "--strict", "-"], &clean);
    assert_eq!(code, 0, "{out}{err}");
}
