//! `replicast serve`: hosts the playground's static files over HTTP (axum +
//! tower-http's `ServeDir`), plus `GET /healthz`. `replicast agent`
//! ([`crate::live`]) serves the same and adds the live agent API.
//!
//! Stops gracefully on Ctrl-C or SIGTERM: in-flight requests finish, then
//! [`run`] returns.

use std::future::Future;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use axum::Router;
use axum::routing::get;
use clap::Args;
use tokio::net::TcpListener;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// Arguments of `replicast serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub addr: IpAddr,
    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Folder of static files to serve (the built playground).
    #[arg(long, default_value = "dist")]
    pub dir: PathBuf,
}

/// Runs `replicast serve` to completion: binds, serves, stops on a signal.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind((args.addr, args.port))
            .await
            .with_context(|| format!("binding {}:{}", args.addr, args.port))?;
        serve(listener, &args.dir, shutdown_signal()).await
    })
}

/// The HTTP routes: `GET /healthz` and the static files under `dir`.
///
/// `dir/index.html` answers `/`; a missing file is a 404. `.wasm` files are
/// served as `application/wasm`, as `WebAssembly.instantiateStreaming` needs.
pub fn router(dir: &Path) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .fallback_service(ServeDir::new(dir))
        .layer(TraceLayer::new_for_http())
}

/// Serves [`router`] on `listener` until `shutdown` completes, then lets
/// in-flight requests finish and returns.
pub async fn serve(
    listener: TcpListener,
    dir: &Path,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let local = listener.local_addr().context("reading the bound address")?;
    if !dir.join("index.html").is_file() {
        tracing::warn!(
            "{} has no index.html: build the playground with `cargo xtask serve`",
            dir.display()
        );
    }
    tracing::info!("serving {} on http://{local}/", dir.display());
    axum::serve(listener, router(dir))
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(())
}

async fn healthz() -> &'static str {
    "ok"
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}
