//! `replicast eval` as a user runs it: decisions on stdout, located errors
//! with exit 2, and directory checks with a summary line.

use std::io::Write as _;
use std::process::{Command, Stdio};

fn eval(args: &[&str], stdin: Option<&str>) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_replicast"))
        .arg("eval")
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const CASE: &str = "now: 1000
hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  spec:
    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    maxReplicas: 10
    metrics:
    - type: Pods
      pods: {metric: {name: queue}, target: {type: AverageValue, averageValue: \"10\"}}
target: {replicas: 2}
pods: [{name: a}, {name: b}]
metrics:
- podValues: {a: \"30\", b: \"30\"}
";

#[test]
fn prints_the_decision() {
    let (code, out) = eval(&["-"], Some(CASE));
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["desiredReplicas"], 4);
    assert_eq!(v["conditions"][2]["reason"], "ScaleUpLimit");
    assert!(
        out.trim_start().starts_with("{\n  \"desiredReplicas\""),
        "fields in the spec's order"
    );
}

#[test]
fn invalid_input_names_path_and_line_and_exits_2() {
    let bad = CASE.replace("averageValue: \"10\"", "averageValue: \"ten\"");
    let (code, out) = eval(&["-"], Some(&bad));
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["error"]["path"],
        "hpa.spec.metrics[0].pods.target.averageValue"
    );
    assert_eq!(v["error"]["line"], 10);
    assert!(v["error"]["message"].as_str().unwrap().contains("\"ten\""));

    let invalid = CASE.replace("maxReplicas: 10", "maxReplicas: 0");
    let (code, out) = eval(&["-"], Some(&invalid));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["path"], "hpa.spec.maxReplicas");
    assert_eq!(
        v["error"]["message"],
        "Invalid value: 0: must be greater than 0"
    );
    assert_eq!(v["error"]["line"], 7);
}

#[test]
fn malformed_text_and_bombs_are_errors_not_crashes() {
    for text in [
        "now: [1, 2",
        "{{.SecretName}}: x",
        "",
        "a: &a [*a]",
        "- - - - -",
        "\u{0}",
    ] {
        let (code, out) = eval(&["-"], Some(text));
        assert_eq!(code, 2, "{text:?}: {out}");
        assert!(out.contains("\"error\""), "{text:?}: {out}");
    }
    let bomb = "[".repeat(100_000);
    let (code, _) = eval(&["-"], Some(&bomb));
    assert_eq!(code, 2);
}

#[test]
fn checks_directories_of_cases() {
    let (code, out) = eval(&["tests/cases"], None);
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("eval: ") && last.ends_with(" passed, 0 failed"),
        "{last}"
    );

    let dir = std::env::temp_dir().join(format!("replicast-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("wrong.yaml"),
        format!("{CASE}expect: {{desiredReplicas: 5}}\n"),
    )
    .unwrap();
    let (code, out) = eval(&[dir.to_str().unwrap()], None);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("desiredReplicas: expected 5, got 4"), "{out}");
    assert!(out.contains("eval: 0 passed, 1 failed"));
}
