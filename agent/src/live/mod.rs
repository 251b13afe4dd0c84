//! `replicast agent`: the node agent. It is `replicast serve` (the
//! playground, `/healthz`) plus live sources and shadow evaluation:
//!
//! - [`source`]: NVML (GPUs), RabbitMQ (queue length both ways KEDA reads it,
//!   message rate) and Prometheus (instant queries), each behind the
//!   [`source::Source`] trait, polled on its own period with a timeout;
//! - [`shadow`]: every HorizontalPodAutoscaler and ScaledObject of the
//!   configured variants, reconciled on its own period by the engine, exactly
//!   as `replicast eval` evaluates a case, with the history chained;
//! - [`state`] and [`store`]: health, latest values, bounded rings of
//!   readings and decisions;
//! - [`api`]: `/metrics` ([`metrics`]), `/api/live` (server-sent events),
//!   `/api/state`, `/api/reload`, `/readyz`, with the token rules;
//! - [`config`]: the YAML configuration file.
//!
//! Nothing in a cluster is changed: the decisions are a dry run.

pub mod api;
pub mod config;
pub mod metrics;
pub mod production;
pub mod role;
pub mod scrape;
pub mod shadow;
pub mod source;
pub mod state;
pub mod store;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::serve::ServeArgs;
use config::ConfigError;
use role::Role;
use shadow::{ExternalSource, LoopMemory, LoopPlan, Plan, Replicas, SourcePlan};
use source::Source;
use state::{DecisionRecord, LoopState, Shared, SourceState, Store};

/// The sentence the agent shows when it runs without a configuration.
pub const NO_SOURCE: &str = "no source is configured: serving the playground only (start with `replicast agent --config FILE`)";

/// Arguments of `replicast agent`.
#[derive(Debug, Clone, Args)]
pub struct AgentArgs {
    /// Where to listen and what to serve, as for `replicast serve`.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The configuration (YAML): sources, variants, signals. Without it the
    /// agent serves the playground and reports that no source is configured.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Bearer token for /api/* and /metrics (also $REPLICAST_TOKEN; at least
    /// 16 characters). Needed to listen beyond loopback, and always needed to
    /// reload the configuration.
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the token from this file (a mounted Secret).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Serve /metrics without the token (for scrapers that cannot send one).
    #[arg(long)]
    pub metrics_public: bool,
    /// `node`: this node's GPU exporter (the DaemonSet); `cluster`: the
    /// evaluator (the Deployment). Default: `cluster` when the configuration
    /// has variants.
    #[arg(long, value_enum)]
    pub role: Option<Role>,
    /// Serve KEDA's external scaler gRPC protocol (`externalscaler.proto`)
    /// on this address, e.g. `0.0.0.0:9090` (a ScaledObject's
    /// `scalerAddress`), answering from the agent's readings. Not with
    /// `--role node`.
    #[arg(long, value_name = "ADDR")]
    pub external_scaler: Option<std::net::SocketAddr>,
}

impl AgentArgs {
    /// The token: `--token`, `--token-file`, or `$REPLICAST_TOKEN`.
    pub fn resolve_token(&self) -> anyhow::Result<Option<String>> {
        let token = match (&self.token, &self.token_file) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(f)) => Some(
                std::fs::read_to_string(f)
                    .with_context(|| format!("reading the token from {}", f.display()))?
                    .trim()
                    .to_string(),
            ),
            (None, None) => std::env::var("REPLICAST_TOKEN").ok(),
        };
        match token {
            Some(t) if t.trim().is_empty() => anyhow::bail!("the token is empty"),
            Some(t) if t.len() < 16 => {
                anyhow::bail!("the token is {} characters; use at least 16", t.len())
            }
            other => Ok(other),
        }
    }
}

/// Unix time in seconds, to the millisecond.
pub fn unix_now() -> f64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    (t * 1000.0).round() / 1000.0
}

/// A source built outside the configuration (a test's fake GPU), offered to
/// the variants under its name like a configured one.
pub struct ExtraSource {
    /// Its name (readings are `NAME.KEY`).
    pub name: String,
    /// Seconds between polls.
    pub period: f64,
    /// Seconds a poll may take.
    pub timeout: f64,
    /// Builds it (again at each reload).
    pub make: Box<dyn Fn() -> Box<dyn Source> + Send + Sync>,
}

/// The running agent: configuration, tasks and shared state.
pub struct Agent {
    shared: Arc<Shared>,
    config: Option<PathBuf>,
    extra: Vec<ExtraSource>,
    role: Option<Role>,
    running: tokio::sync::Mutex<Option<Running>>,
}

struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Agent {
    /// An agent for the configuration at `config` (none: no source), with
    /// `extra` sources besides the configured ones. Nothing runs until
    /// [`Agent::start`].
    pub fn new(config: Option<PathBuf>, extra: Vec<ExtraSource>) -> Arc<Agent> {
        Agent::with_role(config, extra, None)
    }

    /// As [`Agent::new`], in `role` ([`Role::resolve`] when `None`).
    pub fn with_role(
        config: Option<PathBuf>,
        extra: Vec<ExtraSource>,
        role: Option<Role>,
    ) -> Arc<Agent> {
        let store = Store::new(unix_now(), shadow::DEFAULT_RETENTION, NO_SOURCE);
        Arc::new(Agent {
            shared: Shared::new(store),
            config,
            extra,
            role,
            running: tokio::sync::Mutex::new(None),
        })
    }

    /// The state the server reads.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Whether a configuration file was given.
    pub fn configured(&self) -> bool {
        self.config.is_some() || !self.extra.is_empty() || self.role == Some(Role::Node)
    }

    fn plan(&self) -> Result<Option<Plan>, ConfigError> {
        let external: Vec<ExternalSource> = self
            .extra
            .iter()
            .map(|e| ExternalSource {
                name: e.name.clone(),
                kind: "external",
            })
            .collect();
        let loaded = match &self.config {
            Some(path) => config::load_file(path)?,
            None if self.role == Some(Role::Node) => role::node_default()?,
            None if self.extra.is_empty() => return Ok(None),
            None => config::parse("", "<none>", PathBuf::from("."))?,
        };
        if let Some(role) = Role::resolve(self.role, Some(&loaded)) {
            role.check(&loaded)?;
        }
        let plan = shadow::compile(&loaded, &external)?;
        // Build every source once now, so that a bad one fails the load.
        for s in &plan.sources {
            build_source(s).map_err(|m| ConfigError {
                file: loaded.file.clone(),
                path: format!("sources.{}", s.spec.name),
                line: None,
                column: None,
                message: m,
            })?;
        }
        Ok(Some(plan))
    }

    /// Reads the configuration and starts polling and reconciling.
    pub async fn start(&self) -> Result<String, ConfigError> {
        let plan = self.plan()?;
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            old.stop().await;
        }
        let (summary, new) = self.launch(plan);
        *running = new;
        Ok(summary)
    }

    /// Reads the configuration again; on success replaces the running plan
    /// (the rings start over), on failure keeps it and says why.
    pub async fn reload(&self) -> Result<String, ConfigError> {
        let plan = self.plan()?;
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            old.stop().await;
        }
        let (summary, new) = self.launch(plan);
        *running = new;
        let now = unix_now();
        self.shared
            .store()
            .note(now, format!("configuration reloaded: {summary}"));
        self.shared
            .publish("config", &json!({"t": now, "message": summary}));
        Ok(summary)
    }

    /// Stops every task (the server keeps serving the last state).
    pub async fn stop(&self) {
        if let Some(old) = self.running.lock().await.take() {
            old.stop().await;
        }
    }

    fn launch(&self, plan: Option<Plan>) -> (String, Option<Running>) {
        let now = unix_now();
        let Some(plan) = plan else {
            self.shared
                .replace(Store::new(now, shadow::DEFAULT_RETENTION, NO_SOURCE));
            tracing::info!("{NO_SOURCE}");
            return (NO_SOURCE.to_string(), None);
        };
        let mut store = Store::new(now, plan.retention, "");
        store.config_file = self.config.as_ref().map(|p| p.display().to_string());
        store.warnings = plan.warnings.clone();
        for s in &plan.sources {
            store.sources.push(SourceState::new(
                s.spec.name.clone(),
                s.kind,
                s.period,
                s.timeout,
            ));
        }
        for e in &self.extra {
            let kind = (e.make)().kind();
            store
                .sources
                .push(SourceState::new(e.name.clone(), kind, e.period, e.timeout));
        }
        for l in &plan.loops {
            store.loops.push(LoopState {
                name: l.name.clone(),
                variant: l.variant.clone(),
                kind: l.kind.as_str(),
                object: l.object.clone(),
                period: l.period,
                replicas: l.replicas.describe(),
                reconciles: 0,
                decisions: store::Ring::new(store::capacity_for(plan.retention, l.period)),
                last_case: None,
            });
        }
        let summary = format!(
            "{} source{} ({}), {} autoscaler{} ({})",
            store.sources.len(),
            if store.sources.len() == 1 { "" } else { "s" },
            store
                .sources
                .iter()
                .map(|s| format!("{} {}", s.kind, s.name))
                .collect::<Vec<_>>()
                .join(", "),
            plan.loops.len(),
            if plan.loops.len() == 1 { "" } else { "s" },
            plan.loops
                .iter()
                .map(|l| format!("{} {}", l.kind.as_str(), l.name))
                .collect::<Vec<_>>()
                .join(", "),
        );
        store.message = if plan.loops.is_empty() {
            format!("reading and exporting: {summary}")
        } else {
            format!("shadow-evaluating: {summary}")
        };
        for w in &plan.warnings {
            tracing::warn!("config: {w}");
        }
        self.shared.replace(store);
        tracing::info!("agent: {summary}");

        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();
        let mut index = 0;
        for s in &plan.sources {
            match build_source(s) {
                Ok(source) => tasks.push(tokio::spawn(poll_loop(
                    Arc::clone(&self.shared),
                    index,
                    source,
                    s.period,
                    s.timeout,
                    stop_rx.clone(),
                ))),
                Err(e) => {
                    // Checked at load; a failure here is reported as the source's health.
                    let event = self.shared.store().record_poll(index, now, 0.0, Err(e));
                    self.shared.publish("reading", &event);
                }
            }
            index += 1;
        }
        for e in &self.extra {
            tasks.push(tokio::spawn(poll_loop(
                Arc::clone(&self.shared),
                index,
                (e.make)(),
                e.period,
                e.timeout,
                stop_rx.clone(),
            )));
            index += 1;
        }
        for (i, l) in plan.loops.iter().enumerate() {
            tasks.push(tokio::spawn(reconcile_loop(
                Arc::clone(&self.shared),
                i,
                l.clone(),
                stop_rx.clone(),
            )));
        }
        (summary, Some(Running { stop, tasks }))
    }
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(true);
        for mut task in self.tasks {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

/// Builds the source a plan describes.
pub fn build_source(s: &SourcePlan) -> Result<Box<dyn Source>, String> {
    let spec = &s.spec;
    Ok(match s.kind {
        "nvml" => Box::new(source::nvml::NvmlSource::new(spec.lib_path.clone())),
        "rabbitmq" => {
            let protocol = match s.protocol {
                Some("http") => source::rabbitmq::Protocol::Http,
                _ => source::rabbitmq::Protocol::Amqp,
            };
            Box::new(source::rabbitmq::RabbitMqSource::new(
                protocol,
                spec.url.as_deref().unwrap_or(""),
                spec.vhost.clone(),
                spec.queues.clone(),
                spec.exclude_unacknowledged,
                s.http_options(),
            )?)
        }
        "prometheus" => Box::new(source::prometheus::PrometheusSource::new(
            spec.url.as_deref().unwrap_or(""),
            spec.queries
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            spec.ignore_null_values.unwrap_or(true),
            s.http_options(),
        )?),
        other => return Err(format!("unknown source type {other:?}")),
    })
}

fn fmt_secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0}ms", s * 1000.0)
    } else {
        format!("{s}s")
    }
}

async fn poll_loop(
    shared: Arc<Shared>,
    index: usize,
    mut source: Box<dyn Source>,
    period: f64,
    timeout: f64,
    mut stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(period));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        let started = std::time::Instant::now();
        let result = tokio::select! {
            r = tokio::time::timeout(Duration::from_secs_f64(timeout), source.poll()) => r,
            _ = stop.changed() => break,
        };
        let result = result.unwrap_or_else(|_| {
            source.reset();
            Err(format!("timed out after {}", fmt_secs(timeout)))
        });
        let took = started.elapsed().as_secs_f64();
        let event = shared.store().record_poll(index, unix_now(), took, result);
        shared.publish("reading", &event);
    }
}

async fn reconcile_loop(
    shared: Arc<Shared>,
    index: usize,
    plan: LoopPlan,
    mut stop: watch::Receiver<bool>,
) {
    // First reconcile once the loop's sources have polled (at most 5 s).
    let wanted = plan.sources();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let polled = {
            let store = shared.store();
            wanted
                .iter()
                .all(|w| store.source(w).is_none_or(|s| s.polls > 0))
        };
        if polled || tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            _ = stop.changed() => return,
        }
    }
    let mut memory = LoopMemory::default();
    // Production's Prometheus, with its source's CA and credentials.
    let options = match &plan.replicas {
        Replicas::Production(p) => p.http.clone(),
        _ => crate::http::HttpOptions::default(),
    };
    let client = match crate::http::HttpClient::new(&options) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("loop {}: {e}", plan.name);
            return;
        }
    };
    let mut tick = tokio::time::interval(Duration::from_secs_f64(plan.period));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        let now = unix_now();
        let observed = match &plan.replicas {
            Replicas::Production(p) => {
                let read = tokio::time::timeout(
                    Duration::from_secs_f64(plan.period.clamp(1.0, 10.0)),
                    production::observe(&client, p, plan.cap, now),
                );
                Some(read.await.unwrap_or_else(|_| Err("timed out".into())))
            }
            _ => None,
        };
        let record = {
            let mut store = shared.store();
            let mut done = shadow::reconcile(&plan, &mut memory, &store, now, observed.as_ref());
            let case = done.case.take();
            let record = DecisionRecord::new(&plan.name, now, done);
            let Some(l) = store.loops.get_mut(index) else {
                break;
            };
            let previous = l
                .decisions
                .last()
                .and_then(|d| d.decision.as_ref().map(|o| o.desired_replicas));
            l.reconciles += 1;
            if case.is_some() {
                l.last_case = case;
            }
            l.decisions.push(record.clone());
            match (&record.decision, &record.error) {
                (Some(o), _) if previous != Some(o.desired_replicas) => {
                    tracing::info!(
                        "{} {}: {} -> {}: {}",
                        plan.kind.as_str(),
                        plan.name,
                        record.current.unwrap_or_default(),
                        o.desired_replicas,
                        o.explanation
                    );
                }
                (_, Some(e)) => tracing::warn!("{} {}: {e}", plan.kind.as_str(), plan.name),
                _ => {}
            }
            record
        };
        shared.publish("decision", &record);
    }
}

/// How the server runs: what it serves and the token rules.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The playground's static files.
    pub dir: PathBuf,
    /// The bearer token, if any.
    pub token: Option<String>,
    /// `/metrics` without the token.
    pub metrics_public: bool,
}

/// Runs `replicast agent` to completion: binds, starts the agent, serves,
/// stops on SIGTERM or Ctrl-C.
pub fn run(args: AgentArgs) -> anyhow::Result<()> {
    let token = args.resolve_token()?;
    let addr = args.serve.addr;
    if args.external_scaler.is_some() && args.role == Some(Role::Node) {
        anyhow::bail!("--external-scaler serves the cluster role's readings: not with --role node");
    }
    if !addr.is_loopback() && token.is_none() {
        anyhow::bail!(
            "listening on {addr} (beyond loopback) needs a token: pass --token-file FILE \
             (or --token, or $REPLICAST_TOKEN); clients then send `Authorization: Bearer TOKEN`"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(8)
        .enable_all()
        .build()
        .context("starting the tokio runtime")?;
    let result = runtime.block_on(async {
        let listener = TcpListener::bind((addr, args.serve.port))
            .await
            .with_context(|| format!("binding {addr}:{}", args.serve.port))?;
        let agent = Agent::with_role(args.config.clone(), Vec::new(), args.role);
        agent.start().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(at) = args.external_scaler {
            let signals: Arc<dyn crate::scaler::Signals> = Arc::clone(agent.shared()) as _;
            tokio::spawn(async move {
                if let Err(e) = crate::scaler::serve(at, signals).await {
                    tracing::error!("{e}");
                }
            });
            tracing::info!("KEDA external scaler on {at}");
        }
        let options = ServeOptions {
            dir: args.serve.dir.clone(),
            token,
            metrics_public: args.metrics_public,
        };
        serve(listener, agent, options, crate::serve::shutdown_signal()).await
    });
    // A blocking call still in the driver (NVML) does not hold the exit.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// Serves the agent on `listener` until `shutdown` completes: event streams
/// end, in-flight requests finish, sources and loops stop.
pub async fn serve(
    listener: TcpListener,
    agent: Arc<Agent>,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let local = listener.local_addr().context("reading the bound address")?;
    warn_without_index(&options.dir);
    let (stop, stopped) = watch::channel(false);
    let router = api::router(
        api::App::new(Arc::clone(&agent), &options, stopped),
        &options.dir,
    );
    tracing::info!("serving {} on http://{local}/", options.dir.display());
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await
        .context("serving HTTP")?;
    agent.stop().await;
    tracing::info!("stopped");
    Ok(())
}

fn warn_without_index(dir: &Path) {
    if !dir.join("index.html").is_file() {
        tracing::warn!(
            "{} has no index.html: build the playground with `cargo xtask serve`",
            dir.display()
        );
    }
}
