//! Unknown fields (kubectl's strict field validation) across the inputs:
//! every real-world manifest of `tests/realworld/` read and its reports
//! pinned (each one read by hand: a typo, or a field of an older API
//! version), scenarios' manifests located at their scenario line, and
//! `--strict` refusing them.

use std::path::Path as FsPath;

use replicast_engine::spec::validation::Options;
use replicast_engine::yaml::{Limits, parse_documents};
use replicast_engine::{ErrorKind, Path, manifest, schema, sim};

/// The unknown fields of the real-world corpus, file by file, each read by
/// hand: every one is a field the API really does not have. Any other
/// report (a field the real API accepts) is a bug in the schema. Files
/// whose objects are refused for other reasons are looked into too.
const REALWORLD: &[(&str, u32, &str)] = &[
    // autoscaling/v2 with the v2beta1 metric fields left in (read_hpa
    // refuses them with what to write instead).
    (
        "k8s-stackdriver-direct-to-sd-v2-with-v2beta1-fields.yaml",
        77,
        "unknown field \"spec.metrics[0].pods.metricName\"",
    ),
    (
        "k8s-stackdriver-direct-to-sd-v2-with-v2beta1-fields.yaml",
        78,
        "unknown field \"spec.metrics[0].pods.targetAverageValue\"",
    ),
    // KEP-1610's draft form: `container` inside a `resource` source
    // (ContainerResource has its own `containerResource` source).
    (
        "kep-1610-container-resource-multi-container-v2beta2.yaml",
        23,
        "unknown field \"spec.metrics[0].resource.container\"",
    ),
    (
        "kep-1610-container-resource-multi-container-v2beta2.yaml",
        30,
        "unknown field \"spec.metrics[1].resource.container\"",
    ),
    (
        "kep-1610-container-resource-multi-container-v2beta2.yaml",
        37,
        "unknown field \"spec.metrics[2].resource.container\"",
    ),
    (
        "kep-1610-container-resource-multi-container-v2beta2.yaml",
        44,
        "unknown field \"spec.metrics[3].resource.container\"",
    ),
    (
        "kep-1610-container-resource-multi-container-v2beta2.yaml",
        51,
        "unknown field \"spec.metrics[4].resource.container\"",
    ),
    (
        "kep-1610-container-resource-plus-podresource-v2beta2.yaml",
        25,
        "unknown field \"spec.metrics[0].resource.container\"",
    ),
];

#[test]
fn realworld_unknown_fields_are_the_genuine_ones() {
    let dir = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../tests/realworld");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 48,
        "the real-world corpus is tests/realworld/"
    );
    let (mut found, mut checked) = (Vec::new(), 0);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let Ok(docs) = parse_documents(&text, &Limits::default()) else {
            continue;
        };
        for (i, doc) in docs.iter().enumerate() {
            let Ok(value) = doc.root.to_json() else {
                continue;
            };
            let mut notices = schema::object(&value, &Path::root().index(i));
            checked += 1;
            notices.locate(|p| manifest::locate(&docs, p));
            for n in notices.0 {
                println!("{name}:{}: {}", n.line.unwrap_or(0), n.message);
                found.push((name.clone(), n.line.unwrap_or(0), n.message));
            }
        }
        // What the reader reports for the files it accepts is the same.
        if let Ok(m) = manifest::parse(
            &text,
            Options {
                min_replicas_lower_bound: 1,
            },
        ) {
            for n in &m.notices.0 {
                assert!(
                    found
                        .iter()
                        .any(|(f, l, msg)| *f == name && Some(*l) == n.line && *msg == n.message),
                    "{name}: {n:?}"
                );
            }
        }
    }
    assert!(checked > 60, "only {checked} documents read");
    let want: Vec<(String, u32, String)> = REALWORLD
        .iter()
        .map(|(f, l, m)| (f.to_string(), *l, m.to_string()))
        .collect();
    assert_eq!(found, want);
}

const SCENARIO: &str = r#"manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, labels: {app: web}}
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
    maxReplica: 20
    metrics:
    - type: Pods
      pods: {metric: {name: depth}, target: {type: AverageValue, averageValue: "5"}}
duration: 2m
signals: {depth: queuePerReplica}
load:
  - {constant: 10}
"#;

#[test]
fn scenario_manifests_notices_are_located_in_the_scenario() {
    let sc = sim::parse(SCENARIO).unwrap();
    let v = &sc.variants[0];
    assert_eq!(v.notices.0.len(), 1, "{:?}", v.notices);
    let n = &v.notices.0[0];
    assert_eq!(n.path, "manifests[1].spec.maxReplica");
    assert_eq!((n.line, n.column), (Some(15), Some(5)));
    assert_eq!(
        n.message,
        "unknown field \"spec.maxReplica\"; did you mean \"maxReplicas\"?"
    );
    let r = sim::run(&sc, &mut sim::Options::default());
    let json = r.to_json();
    assert_eq!(
        json["variants"][0]["notices"][0]["path"],
        "manifests[1].spec.maxReplica"
    );
    assert_eq!(json["variants"][0]["notices"][0]["kind"], "unknown-field");
    assert_eq!(json["variants"][0]["notices"][0]["line"], 15);
    let warnings = json["variants"][0]["warnings"].to_string();
    assert!(warnings.contains("unknown field"), "{warnings}");

    let e = sc.strict_check().unwrap_err();
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.first().kind, ErrorKind::Strict);
    assert_eq!(e.first().line, Some(15));
    let clean = sim::parse(&SCENARIO.replace("    maxReplica: 20\n", "")).unwrap();
    assert!(clean.strict_check().is_ok());
    assert!(clean.variants[0].notices.is_empty());
}
