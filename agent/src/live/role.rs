//! The agent's two roles, one binary (`replicast agent --role node|cluster`):
//!
//! | role | runs as | what it does |
//! | --- | --- | --- |
//! | `node` | the DaemonSet, one pod per GPU node | the NVML exporter only: `/metrics` with per-GPU series; no evaluator, no broker or Prometheus polling |
//! | `cluster` | a single-replica Deployment | the evaluator: every variant shadow-evaluated on Prometheus (which scrapes the node exporters), RabbitMQ and the rest |
//!
//! Without `--role`, a configuration with variants runs as `cluster`, one
//! without variants runs its sources as they are written (a monitor), and
//! no configuration serves the playground only. A node's GPU utilization
//! reaches a variant only through Prometheus (`avg(gpu_utilization{...})`):
//! an `nvml` source in the cluster role is refused, so one node's GPUs are
//! never taken for every pod's metric.

use std::path::PathBuf;

use replicast_engine::error::Path;

use super::config::{ConfigError, Loaded};

/// Which role the agent runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// The NVML exporter of one node (the DaemonSet).
    Node,
    /// The evaluator (a single-replica Deployment).
    Cluster,
}

impl Role {
    /// The role `explicit` or, without it, the one the configuration implies
    /// (`cluster` when it has variants; none otherwise).
    pub fn resolve(explicit: Option<Role>, loaded: Option<&Loaded>) -> Option<Role> {
        explicit.or_else(|| {
            loaded
                .filter(|l| !l.config.variants.is_empty())
                .map(|_| Role::Cluster)
        })
    }

    /// As written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Node => "node",
            Role::Cluster => "cluster",
        }
    }

    /// Refuses what the configuration asks that this role does not do,
    /// located in the file.
    pub fn check(self, loaded: &Loaded) -> Result<(), ConfigError> {
        let fail =
            |path: Path, message: String| loaded.locate(ConfigError::at(&path, message), &path);
        let config = &loaded.config;
        match self {
            Role::Node => {
                if !config.variants.is_empty() {
                    return Err(fail(
                        Path::root().child("variants"),
                        "the node role exports this node's GPUs only: run the variants in `--role cluster` (the Deployment)".into(),
                    ));
                }
                for (i, s) in config.sources.iter().enumerate() {
                    if s.kind != "nvml" {
                        return Err(fail(
                            Path::root().child("sources").index(i).child("type"),
                            format!(
                                "a {} source runs in `--role cluster`; the node role reads NVML only",
                                s.kind
                            ),
                        ));
                    }
                }
            }
            Role::Cluster => {
                for (i, s) in config.sources.iter().enumerate() {
                    if s.kind == "nvml" {
                        return Err(fail(
                            Path::root().child("sources").index(i).child("type"),
                            "an nvml source reads the GPUs of the machine the agent runs on: run it in `--role node` (the DaemonSet) and read the GPUs through Prometheus, e.g. avg(gpu_utilization{job=\"ml-inference\"})".into(),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The configuration of a node agent started without one: this node's GPUs
/// through NVML, polled every second.
pub fn node_default() -> Result<Loaded, ConfigError> {
    super::config::parse(
        "sources:\n- {name: gpu, type: nvml, period: 1s}\n",
        "<--role node>",
        PathBuf::from("."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::config::parse;

    fn loaded(text: &str) -> Loaded {
        parse(text, "agent.yaml", PathBuf::from(".")).unwrap()
    }

    const HPA: &str = "variants:\n- name: v\n  replicas: 2\n  manifests: |\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: h}\n    spec:\n      scaleTargetRef: {kind: Deployment, name: d}\n      maxReplicas: 3\n";

    #[test]
    fn variants_make_a_cluster_agent_and_nothing_else_does() {
        assert_eq!(Role::resolve(None, Some(&loaded(HPA))), Some(Role::Cluster));
        let gpu = loaded("sources:\n- {name: gpu, type: nvml}\n");
        assert_eq!(Role::resolve(None, Some(&gpu)), None);
        assert_eq!(Role::resolve(None, None), None);
        assert_eq!(
            Role::resolve(Some(Role::Node), Some(&gpu)),
            Some(Role::Node)
        );
    }

    #[test]
    fn the_cluster_refuses_nvml_and_the_node_everything_else() {
        let text = format!("sources:\n- {{name: gpu, type: nvml}}\n{HPA}");
        let e = Role::Cluster.check(&loaded(&text)).unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("sources[0].type", Some(2)));
        assert!(e.message.contains("--role node"), "{e}");
        let e = Role::Node.check(&loaded(&text)).unwrap_err();
        assert_eq!(e.path, "variants");
        let prom = "sources:\n- {name: gpu, type: nvml}\n- {name: p, type: prometheus, url: 'http://x:9090'}\n";
        let e = Role::Node.check(&loaded(prom)).unwrap_err();
        assert_eq!(e.path, "sources[1].type");
        assert!(Role::Node.check(&node_default().unwrap()).is_ok());
        assert!(Role::Cluster.check(&loaded(HPA)).is_ok());
    }
}
