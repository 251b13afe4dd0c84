//! The agent's HTTP API (axum), next to the playground's static files:
//!
//! | route | what | token |
//! | --- | --- | --- |
//! | `GET /healthz` | `ok` while the process serves | never |
//! | `GET /readyz` | 200 once every source has finished its first poll, else 503 and who is awaited | never |
//! | `GET /metrics` | Prometheus text format ([`super::metrics`]) | when one is set, unless `--metrics-public` |
//! | `GET /api/state` | sources (health, values, rings), variants (decisions, last case), log; `?since=UNIX` (default: the last hour; `0`: everything kept) | when one is set |
//! | `GET /api/live` | server-sent events: `hello`, then `reading`, `decision`, `config` as they happen | when one is set |
//! | `POST /api/reload` | re-reads the configuration file; a bad file is refused and the running one kept | always |
//! | `GET /live` | the Live view: a page drawing `/api/state` and `/api/live` (readings, each variant's decisions and explanations, updating in place); pass `?token=` when one is set | never (the page holds no data) |
//!
//! The token goes in `Authorization: Bearer TOKEN` (or, for `EventSource`,
//! which cannot set headers, `?token=TOKEN`). Request bodies are limited to
//! [`MAX_BODY`] bytes.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, Stream, StreamExt as _};
use prometheus_client::registry::Registry;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use super::{Agent, ServeOptions, scrape, unix_now};

/// The Live view's page (self-contained HTML and script).
pub const LIVE_PAGE: &str = include_str!("live.html");

/// The largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    agent: Arc<Agent>,
    registry: Arc<Registry>,
    token: Option<Arc<str>>,
    metrics_public: bool,
    stopping: watch::Receiver<bool>,
}

impl App {
    /// The handlers' state; `stopping` turns true when the server shuts down
    /// (event streams then end).
    pub fn new(agent: Arc<Agent>, options: &ServeOptions, stopping: watch::Receiver<bool>) -> App {
        App {
            registry: Arc::new(scrape::registry(Arc::clone(agent.shared()))),
            agent,
            token: options.token.as_deref().map(Arc::from),
            metrics_public: options.metrics_public,
            stopping,
        }
    }
}

/// The routes, the playground's files under `dir` as the fallback.
pub fn router(app: App, dir: &Path) -> Router {
    let guarded = Router::new()
        .route("/metrics", get(metrics_text))
        .route("/api/state", get(state))
        .route("/api/live", get(live))
        .route("/api/reload", post(reload))
        .route_layer(middleware::from_fn_with_state(app.clone(), auth));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/live", get(|| async { Html(LIVE_PAGE) }))
        .merge(guarded)
        .fallback_service(ServeDir::new(dir))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// Compares without an early exit on the first differing byte.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn presented(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .map(|t| {
            percent_encoding::percent_decode_str(t)
                .decode_utf8_lossy()
                .into_owned()
        })
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut r = (status, axum::Json(json!({"error": message}))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"replicast\""),
        );
    }
    r
}

async fn auth(State(app): State<App>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let changes_state = req.method() != axum::http::Method::GET;
    let Some(token) = &app.token else {
        if changes_state {
            return refuse(
                StatusCode::FORBIDDEN,
                "this endpoint changes the agent's state: start the agent with --token-file (or --token) and send it",
            );
        }
        return next.run(req).await;
    };
    if path == "/metrics" && app.metrics_public && !changes_state {
        return next.run(req).await;
    }
    match presented(req.headers(), req.uri().query()) {
        Some(t) if same(t.as_bytes(), token.as_bytes()) => next.run(req).await,
        Some(_) => refuse(StatusCode::UNAUTHORIZED, "wrong token"),
        None => refuse(
            StatusCode::UNAUTHORIZED,
            "send the token: Authorization: Bearer TOKEN",
        ),
    }
}

async fn readyz(State(app): State<App>) -> Response {
    match app.agent.shared().store().ready() {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
    }
}

async fn metrics_text(State(app): State<App>) -> Response {
    let body = scrape::encode(&app.registry);
    ([(header::CONTENT_TYPE, scrape::CONTENT_TYPE)], body).into_response()
}

#[derive(Deserialize)]
struct StateQuery {
    since: Option<f64>,
}

/// `/api/state` as a JSON value.
pub fn state_json(agent: &Agent, since: Option<f64>) -> Value {
    let now = unix_now();
    let since = since.unwrap_or(now - 3600.0);
    let store = agent.shared().store();
    let sources: Vec<Value> = store
        .sources
        .iter()
        .map(|s| {
            let mut v = s.event();
            let series: serde_json::Map<String, Value> = s
                .series
                .iter()
                .map(|(k, ser)| {
                    (
                        k.clone(),
                        serde_json::to_value(ser.columns(since)).unwrap_or(Value::Null),
                    )
                })
                .collect();
            v["series"] = Value::Object(series);
            v
        })
        .collect();
    let variants: Vec<Value> = store
        .loops
        .iter()
        .map(|l| {
            let decisions: Vec<&super::state::DecisionRecord> =
                l.decisions.iter().filter(|d| d.t >= since).collect();
            json!({
                "variant": l.name,
                "group": l.variant,
                "kind": l.kind,
                "name": l.object,
                "period": l.period,
                "replicas": l.replicas,
                "reconciles": l.reconciles,
                "last": l.decisions.last(),
                "decisions": decisions,
                "lastCase": l.last_case,
            })
        })
        .collect();
    let log: Vec<&super::state::LogEntry> = store.log.iter().collect();
    json!({
        "configured": agent.configured(),
        "message": store.message,
        "configFile": store.config_file,
        "now": now,
        "since": since,
        "retention": store.retention,
        "ready": store.ready().is_ok(),
        "warnings": store.warnings,
        "sources": sources,
        "variants": variants,
        "log": log,
    })
}

async fn state(State(app): State<App>, Query(q): Query<StateQuery>) -> Response {
    axum::Json(state_json(&app.agent, q.since)).into_response()
}

async fn reload(State(app): State<App>) -> Response {
    if !app.agent.configured() {
        return refuse(
            StatusCode::CONFLICT,
            "the agent runs without --config: there is nothing to reload",
        );
    }
    match app.agent.reload().await {
        Ok(summary) => axum::Json(json!({"reloaded": true, "message": summary})).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"reloaded": false, "error": e, "message": e.to_string()})),
        )
            .into_response(),
    }
}

async fn live(
    State(app): State<App>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + Send + 'static> {
    let rx = app.agent.shared().subscribe();
    let hello = {
        let store = app.agent.shared().store();
        json!({
            "configured": app.agent.configured(),
            "message": store.message,
            "sources": store.sources.iter().map(|s| s.event()).collect::<Vec<_>>(),
            "variants": store.loops.iter().map(|l| json!({
                "variant": l.name, "kind": l.kind, "name": l.object, "period": l.period,
                "last": l.decisions.last(),
            })).collect::<Vec<_>>(),
        })
    };
    let first =
        stream::once(async move { Ok(Event::default().event("hello").data(hello.to_string())) });
    let rest = stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(ev) => Event::default().event(ev.name).data(&ev.data),
            Err(broadcast::error::RecvError::Lagged(n)) => Event::default()
                .event("lagged")
                .data(json!({"missed": n}).to_string()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    let mut stopping = app.stopping.clone();
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    Sse::new(first.chain(rest).take_until(stop)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert_eq!(presented(&h, None).as_deref(), Some("s3cret"));
        assert_eq!(
            presented(&HeaderMap::new(), Some("a=1&token=x%2Fy")).as_deref(),
            Some("x/y")
        );
        assert_eq!(presented(&HeaderMap::new(), Some("a=1")), None);
    }
}
