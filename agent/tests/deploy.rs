//! `deploy/`: the manifests hold together. The ConfigMap's configuration
//! compiles (sources, variants, signals), the DaemonSet runs the agent on GPU
//! nodes with the NVIDIA runtime and mounts what its arguments name, and the
//! scrape job is the `ml-inference` the seed's KEDA trigger queries.

use std::path::PathBuf;

use replicast::live::{config, shadow};
use replicast_engine::yaml::{Limits, parse_documents};
use serde_json::Value;

fn deploy(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let docs = parse_documents(&text, &Limits::default()).unwrap();
    assert_eq!(docs.len(), 1, "{file}: one object");
    docs[0].root.to_json().unwrap()
}

#[test]
fn the_configmap_holds_a_valid_configuration() {
    let cm = deploy("configmap.yaml");
    let text = cm["data"]["agent.yaml"].as_str().unwrap();
    let loaded = config::parse(text, "configmap agent.yaml", PathBuf::from(".")).unwrap();
    let plan = shadow::compile(&loaded, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    let kinds: Vec<&str> = plan.sources.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, ["nvml", "rabbitmq", "prometheus"]);
    let seed = plan.loops.iter().find(|l| l.name == "keda-batch").unwrap();
    assert_eq!(
        seed.inputs[1].binding.as_ref().unwrap().key,
        r#"avg(gpu_utilization{job="ml-inference"})"#
    );
}

#[test]
fn the_daemonset_runs_on_gpu_nodes_and_mounts_what_it_names() {
    let ds = deploy("daemonset.yaml");
    let pod = &ds["spec"]["template"]["spec"];
    assert_eq!(pod["nodeSelector"]["nvidia.com/gpu.present"], "true");
    assert_eq!(pod["tolerations"][0]["key"], "nvidia.com/gpu");
    assert_eq!(pod["runtimeClassName"], "nvidia");
    let c = &pod["containers"][0];
    let args: Vec<&str> = c["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let arg = |name: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(&format!("--{name}=")))
            .unwrap_or_else(|| panic!("no --{name}"))
    };
    assert_eq!(args[0], "agent");
    assert_eq!(arg("addr"), "0.0.0.0");
    assert!(
        arg("token-file").starts_with("/var/run/replicast/"),
        "beyond loopback: a token"
    );
    let mounts = c["volumeMounts"].as_array().unwrap();
    let mounted = |path: &str| {
        mounts
            .iter()
            .any(|m| path.starts_with(m["mountPath"].as_str().unwrap()))
    };
    assert!(mounted(arg("config")) && mounted(arg("token-file")));
    assert_eq!(arg("port"), c["ports"][0]["containerPort"].to_string());
    assert!(
        c["resources"]
            .get("limits")
            .is_some_and(|l| l.get("nvidia.com/gpu").is_none()),
        "the agent takes no GPU"
    );
    let env: Vec<(&str, &str)> = c["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["value"].as_str().unwrap()))
        .collect();
    assert!(env.contains(&("NVIDIA_DRIVER_CAPABILITIES", "utility")));
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(
        ds["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"],
        "true"
    );
}

#[test]
fn prometheus_scrapes_the_agents_as_job_ml_inference() {
    let svc = deploy("service.yaml");
    let sm = deploy("servicemonitor.yaml");
    let job_label = sm["spec"]["jobLabel"].as_str().unwrap();
    assert_eq!(svc["metadata"]["labels"][job_label], "ml-inference");
    assert_eq!(
        sm["spec"]["endpoints"][0]["port"],
        svc["spec"]["ports"][0]["name"]
    );
    assert_eq!(sm["spec"]["endpoints"][0]["path"], "/metrics");
    for (k, v) in sm["spec"]["selector"]["matchLabels"].as_object().unwrap() {
        assert_eq!(&svc["metadata"]["labels"][k], v);
    }
    let ds = deploy("daemonset.yaml");
    for (k, v) in svc["spec"]["selector"].as_object().unwrap() {
        assert_eq!(&ds["spec"]["template"]["metadata"]["labels"][k], v);
    }
}
