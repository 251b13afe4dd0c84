//! `replicast tune` as a user runs it: the spec's JSON, the same result for
//! any `--jobs`, exit 1 when nothing is feasible, exit 2 for a bad `tune:`.

use std::process::Command;

fn tune(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_replicast"))
        .arg("tune")
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn scenario(dir: &std::path::Path, tune: &str) -> String {
    let path = dir.join("scenario.yaml");
    std::fs::write(
        &path,
        format!(
            r#"
manifests: |
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {{name: web}}   # the HPA
  spec:
    scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
    maxReplicas: 8
    metrics:
    - type: Pods
      pods: {{metric: {{name: q}}, target: {{type: AverageValue, averageValue: "10"}}}}
signals: {{q: queuePerReplica}}
duration: 20m
load: [{{constant: 5}}, {{step: {{at: 5m, rate: 30}}}}]
{tune}
"#
        ),
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("replicast-tune-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_is_the_spec_result_and_jobs_do_not_change_it() {
    let dir = temp("jobs");
    let path = scenario(&dir, "tune: {budget: 12}");
    let (code, one) = tune(&[&path, "--json", "--jobs", "1"]);
    assert_eq!(code, 0, "{one}");
    let (_, two) = tune(&[&path, "--json", "--jobs", "2"]);
    assert_eq!(one, two);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    for key in [
        "baseline",
        "best",
        "frontier",
        "evaluated",
        "skipped",
        "feasible",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert!(v["evaluated"].as_u64().unwrap() <= 12);
    assert!(
        v["best"]["manifests"]
            .as_str()
            .unwrap()
            .contains("# the HPA")
    );
    let (code, text) = tune(&[&path, "--budget", "6"]);
    assert_eq!(code, 0);
    assert!(text.contains("baseline") && text.contains("best"), "{text}");
}

#[test]
fn nothing_feasible_exits_1_and_a_bad_tune_section_exits_2() {
    let dir = temp("exit");
    let path = scenario(
        &dir,
        "tune: {budget: 6, constraints: {replicaHours: {max: 0.001}}}",
    );
    let (code, out) = tune(&[&path, "--json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["best"].is_null());
    let path = scenario(&dir, "tune: {objective: nope}");
    let (code, out) = tune(&[&path, "--json"]);
    assert_eq!(code, 2);
    assert!(out.contains("tune.objective"), "{out}");
}
