//! KEDA's external scaler, served by the agent: a ScaledObject trigger
//! `type: external` with `scalerAddress: replicast-agent.replicast:9090`
//! scales on any reading the agent takes (a node exporter's GPU utilization
//! through Prometheus, a queue's length), named in its metadata
//! ([`query`]).
//!
//! The protocol is `proto/externalscaler.proto`, kept from kedacore/keda at
//! 8b4f083 and compiled by `build.rs` (protox, no `protoc`). KEDA's client
//! side is `pkg/scalers/external_scaler.go`:
//!
//! | call | answer | how KEDA reads it |
//! | --- | --- | --- |
//! | `GetMetricSpec` | one metric, `targetSizeFloat` = `target` (and `targetSize` rounded, for KEDA before 2.13) | `buildMetricSpecs`: the float when > 0, else the integer |
//! | `GetMetrics` | the reading now, `metricValueFloat` (and `metricValue` rounded) | `GetMetricsAndActivity`: the float when > 0, else the integer |
//! | `IsActive` | value > `activationTarget` | `GetMetricsAndActivity`'s activity |
//! | `StreamIsActive` | the same, sent at once and then on every change (checked each second) | `external-push`: `handleIsActiveStream` |
//! | `StreamMetricSpec` | `Unimplemented` | optional: KEDA falls back to `GetMetricSpec` |
//!
//! A reading the agent does not have (no such source, failing, stale) is
//! `Unavailable` with the reason; metadata it cannot read is
//! `InvalidArgument` naming the key. It never answers a plausible value.

pub mod query;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use tokio::net::TcpListener;
use tonic::{Request, Response, Status};

use pb::external_scaler_server::{ExternalScaler as ScalerService, ExternalScalerServer};
use pb::{
    GetMetricSpecResponse, GetMetricsRequest, GetMetricsResponse, IsActiveResponse, MetricSpec,
    MetricValue, ScaledObjectRef,
};
use query::Query;

/// The code tonic generated from `proto/externalscaler.proto`.
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod pb {
    tonic::include_proto!("externalscaler");
}

/// How often `StreamIsActive` checks the reading.
pub const STREAM_PERIOD: Duration = Duration::from_secs(1);

/// Where the scaler's values come from: the agent's readings.
pub trait Signals: Send + Sync + 'static {
    /// The value of the reading `SOURCE.KEY` now, or why there is none.
    fn read(&self, reading: &str) -> Result<f64, String>;
}

impl Signals for crate::live::state::Shared {
    fn read(&self, reading: &str) -> Result<f64, String> {
        let (source, key) = crate::live::source::split_ref(reading)
            .ok_or_else(|| format!("{reading:?} is not SOURCE.KEY"))?;
        self.store()
            .lookup(source, key, crate::live::unix_now())
            .map(|(value, _)| value)
    }
}

/// The gRPC service.
#[derive(Clone)]
pub struct ExternalScaler {
    signals: Arc<dyn Signals>,
}

impl ExternalScaler {
    /// A service answering from `signals`.
    pub fn new(signals: Arc<dyn Signals>) -> ExternalScaler {
        ExternalScaler { signals }
    }

    /// The trigger's question and the reading's value now.
    fn answer(&self, object: &ScaledObjectRef) -> Result<(Query, f64), Status> {
        let query = Query::parse(&object.scaler_metadata).map_err(|e| {
            Status::invalid_argument(format!(
                "ScaledObject {}/{}: {e}",
                object.namespace, object.name
            ))
        })?;
        let value = self
            .signals
            .read(&query.reading)
            .map_err(|e| Status::unavailable(format!("{}: {e}", query.reading)))?;
        if !value.is_finite() {
            return Err(Status::unavailable(format!(
                "{}: the reading is {value}",
                query.reading
            )));
        }
        Ok((query, value))
    }
}

/// The deprecated integer beside a float (`targetSize`, `metricValue`).
fn integer(value: f64) -> i64 {
    // `as` saturates; the value is finite here.
    value.round() as i64
}

type Streamed<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

#[tonic::async_trait]
impl ScalerService for ExternalScaler {
    async fn is_active(
        &self,
        request: Request<ScaledObjectRef>,
    ) -> Result<Response<IsActiveResponse>, Status> {
        let (query, value) = self.answer(request.get_ref())?;
        Ok(Response::new(IsActiveResponse {
            result: query.active(value),
        }))
    }

    type StreamIsActiveStream = Streamed<IsActiveResponse>;

    async fn stream_is_active(
        &self,
        request: Request<ScaledObjectRef>,
    ) -> Result<Response<Self::StreamIsActiveStream>, Status> {
        let object = request.into_inner();
        // Refuse a bad trigger at once rather than in the stream.
        self.answer(&object)?;
        let scaler = self.clone();
        let state = (scaler, object, None::<bool>, false);
        let stream =
            futures_util::stream::unfold(state, |(scaler, object, last, done)| async move {
                if done {
                    return None;
                }
                let mut ticks = tokio::time::interval(STREAM_PERIOD);
                loop {
                    ticks.tick().await;
                    match scaler.answer(&object) {
                        Ok((query, value)) => {
                            let active = query.active(value);
                            if last != Some(active) {
                                let item = Ok(IsActiveResponse { result: active });
                                return Some((item, (scaler, object, Some(active), false)));
                            }
                        }
                        // The error ends the stream; KEDA opens another.
                        Err(status) => return Some((Err(status), (scaler, object, last, true))),
                    }
                }
            });
        Ok(Response::new(Box::pin(stream)))
    }

    async fn get_metric_spec(
        &self,
        request: Request<ScaledObjectRef>,
    ) -> Result<Response<GetMetricSpecResponse>, Status> {
        let object = request.get_ref();
        let query = Query::parse(&object.scaler_metadata).map_err(|e| {
            Status::invalid_argument(format!(
                "ScaledObject {}/{}: {e}",
                object.namespace, object.name
            ))
        })?;
        Ok(Response::new(GetMetricSpecResponse {
            metric_specs: vec![MetricSpec {
                metric_name: query.metric_name,
                target_size: integer(query.target),
                target_size_float: query.target,
            }],
        }))
    }

    async fn get_metrics(
        &self,
        request: Request<GetMetricsRequest>,
    ) -> Result<Response<GetMetricsResponse>, Status> {
        let request = request.into_inner();
        let object = request.scaled_object_ref.unwrap_or_default();
        let (query, value) = self.answer(&object)?;
        if request.metric_name != query.metric_name {
            return Err(Status::not_found(format!(
                "metric {:?}: this trigger's metric is {:?}",
                request.metric_name, query.metric_name
            )));
        }
        Ok(Response::new(GetMetricsResponse {
            metric_values: vec![MetricValue {
                metric_name: query.metric_name,
                metric_value: integer(value),
                metric_value_float: value,
            }],
        }))
    }

    type StreamMetricSpecStream = Streamed<GetMetricSpecResponse>;

    async fn stream_metric_spec(
        &self,
        _request: Request<ScaledObjectRef>,
    ) -> Result<Response<Self::StreamMetricSpecStream>, Status> {
        // Optional upstream: KEDA falls back to GetMetricSpec; the target
        // here only changes with the ScaledObject's own metadata.
        Err(Status::unimplemented(
            "StreamMetricSpec: the target is the trigger's metadata; use GetMetricSpec",
        ))
    }
}

/// Serves the external scaler on `addr` until the process ends (the
/// cluster role's entry: `replicast agent --role cluster`).
pub async fn serve(addr: SocketAddr, signals: Arc<dyn Signals>) -> Result<(), String> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("the external scaler cannot listen on {addr}: {e}"))?;
    serve_on(listener, signals, std::future::pending()).await
}

/// Serves the external scaler on a bound `listener` until `shutdown`
/// completes.
pub async fn serve_on(
    listener: TcpListener,
    signals: Arc<dyn Signals>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), String> {
    let addr = listener
        .local_addr()
        .map_err(|e| format!("the external scaler's address: {e}"))?;
    tracing::info!("KEDA external scaler (gRPC) on {addr}");
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    tonic::transport::Server::builder()
        .add_service(ExternalScalerServer::new(ExternalScaler::new(signals)))
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
        .map_err(|e| format!("the external scaler on {addr}: {e}"))
}
