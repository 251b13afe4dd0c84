//! `replicast`: the native side of replicast.
//!
//! One binary, `replicast`, with one subcommand per job:
//!
//! - `replicast serve` ([`serve`]) hosts the playground's static files (the
//!   `dist/` folder that `cargo xtask serve` builds) with axum, plus
//!   `/healthz`.
//! - `replicast eval` ([`eval`]) evaluates one case (one reconcile) and
//!   prints the decision, or checks case files against their `expect:`.
//! - `replicast tune` ([`tune`]) searches a scenario's autoscaler settings
//!   for the cheapest configuration that meets its constraints.
//! - `replicast agent` ([`live`]) is `serve` plus the node agent: live GPU
//!   (NVML), RabbitMQ and Prometheus readings, `/metrics`, and the
//!   configured HPA and KEDA manifests shadow-evaluated on them.
//!
//! The command line itself lives in [`cli`]; each subcommand's work lives in
//! its own module, which takes the parsed arguments and runs to completion.

pub mod cli;
pub mod eval;
pub mod http;
pub mod lint;
pub mod live;
pub mod record;
pub mod scaler;
pub mod serve;
pub mod simulate;
pub mod tune;

/// Installs the `tracing` subscriber that writes to stderr.
///
/// The filter comes from `RUST_LOG` (for example `RUST_LOG=debug`) and
/// defaults to `info` (with the AMQP client's own logs off: the agent
/// reports a RabbitMQ source's failures itself, once per change). Calling it
/// twice is harmless.
pub fn init_tracing() {
    use std::io::IsTerminal as _;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,lapin=off"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
