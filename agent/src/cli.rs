//! The command line of the `replicast` binary (clap, derive).
//!
//! Each subcommand is one variant of [`Command`] whose arguments are a struct
//! owned by the module that does the job, so adding a subcommand is adding a
//! variant here and a `match` arm in `main.rs`.

use clap::{Parser, Subcommand};

use crate::serve::ServeArgs;

/// replicast: Kubernetes HPA and KEDA scaling decisions, explained.
#[derive(Debug, Parser)]
#[command(name = "replicast", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `replicast`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the playground (static files) and the agent API over HTTP.
    Serve(ServeArgs),
    /// Evaluate a case (one reconcile) and print the decision, or check case files' `expect:`.
    Eval(crate::eval::EvalArgs),
    /// Replay a scenario: the autoscalers against a load curve, variants compared.
    Simulate(crate::simulate::SimulateArgs),
    /// Search the autoscalers' settings for the cheapest that meets the SLO (`tune:`).
    Tune(crate::tune::TuneArgs),
    /// The node agent: `serve` plus live GPU, queue and Prometheus readings and
    /// shadow evaluation of HPA and KEDA manifests on them (`--config FILE`).
    Agent(crate::live::AgentArgs),
    /// Lint manifests: autoscaling mistakes the API server accepts (rules in docs/rules.md).
    Lint(crate::lint::LintArgs),
    /// Record production's history (Prometheus or the agent) as a scenario: load, reference replicas.
    Record(crate::record::RecordArgs),
}

#[cfg(test)]
// `let … else` stays correct once `Command` has more variants.
#[allow(irrefutable_let_patterns)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn serve_defaults() {
        let cli = Cli::try_parse_from(["replicast", "serve"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(args.addr.to_string(), "127.0.0.1");
        assert_eq!(args.port, 8080);
        assert_eq!(args.dir, PathBuf::from("dist"));
    }

    #[test]
    fn serve_flags() {
        let cli = Cli::try_parse_from([
            "replicast",
            "serve",
            "--addr",
            "0.0.0.0",
            "--port",
            "9000",
            "--dir",
            "site",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(args.addr.to_string(), "0.0.0.0");
        assert_eq!(args.port, 9000);
        assert_eq!(args.dir, PathBuf::from("site"));
    }

    #[test]
    fn agent_flags() {
        let cli = Cli::try_parse_from([
            "replicast",
            "agent",
            "--config",
            "agent.yaml",
            "--port",
            "9100",
            "--token-file",
            "/run/token",
            "--metrics-public",
        ])
        .unwrap();
        let Command::Agent(args) = cli.command else {
            panic!("not agent")
        };
        assert_eq!(args.config, Some(PathBuf::from("agent.yaml")));
        assert_eq!(args.serve.port, 9100);
        assert_eq!(args.serve.addr.to_string(), "127.0.0.1");
        assert_eq!(args.token_file, Some(PathBuf::from("/run/token")));
        assert!(args.metrics_public && args.token.is_none());
        let cli = Cli::try_parse_from(["replicast", "agent"]).unwrap();
        let Command::Agent(args) = cli.command else {
            panic!("not agent")
        };
        assert_eq!(args.config, None);
        assert_eq!(args.role, None);
        let cli = Cli::try_parse_from(["replicast", "agent", "--role", "node"]).unwrap();
        let Command::Agent(args) = cli.command else {
            panic!("not agent")
        };
        assert_eq!(args.role, Some(crate::live::role::Role::Node));
        assert!(Cli::try_parse_from(["replicast", "agent", "--role", "edge"]).is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
