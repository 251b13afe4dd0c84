//! The agent's KEDA external scaler (`replicast::scaler`) called over gRPC
//! by tonic's generated client, each method in turn, on readings held in
//! the agent's own store (recorded as a source's polls would be); then the
//! ScaledObject case (`type: external`) evaluated on what it answered.

use std::collections::HashMap;
use std::time::Duration;

use replicast::live::source::{Poll, Sample};
use replicast::live::state::{Shared, SourceState, Store};
use replicast::live::unix_now;
use replicast::scaler::pb::external_scaler_client::ExternalScalerClient;
use replicast::scaler::pb::{GetMetricsRequest, ScaledObjectRef};
use replicast::scaler::serve_on;
use replicast_engine::case;
use serde_json::json;
use tokio::net::TcpListener;
use tonic::Code;

const READING: &str = "gpu.gpu0.utilization";

fn record(shared: &Shared, result: Result<f64, &str>) {
    let poll = result
        .map(|v| Poll {
            samples: vec![Sample::plain("gpu0.utilization", v)],
            ..Poll::default()
        })
        .map_err(str::to_string);
    shared.store().record_poll(0, unix_now(), 0.001, poll);
}

fn object(metadata: &[(&str, &str)]) -> ScaledObjectRef {
    ScaledObjectRef {
        name: "worker".into(),
        namespace: "default".into(),
        scaler_metadata: metadata
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    }
}

#[tokio::test]
async fn answers_each_call_and_the_case_decides_on_it() {
    let mut store = Store::new(unix_now(), 3600.0, "scaler test");
    store
        .sources
        .push(SourceState::new("gpu".into(), "nvml", 1.0, 1.0));
    let shared = Shared::new(store);
    record(&shared, Ok(70.0));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_on(listener, shared.clone(), async {
        let _ = stopped.await;
    }));
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = ExternalScalerClient::new(channel);

    let metadata = [
        ("scalerAddress", "replicast-agent.replicast:9090"),
        ("reading", READING),
        ("target", "20"),
        ("activationTarget", "10"),
    ];
    let so = object(&metadata);

    let spec = client
        .get_metric_spec(so.clone())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(spec.metric_specs.len(), 1);
    let spec = &spec.metric_specs[0];
    assert_eq!(spec.metric_name, "replicast-gpu-gpu0-utilization");
    assert_eq!((spec.target_size_float, spec.target_size), (20.0, 20));

    let metrics = client
        .get_metrics(GetMetricsRequest {
            scaled_object_ref: Some(so.clone()),
            metric_name: spec.metric_name.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(metrics.metric_values.len(), 1);
    let value = metrics.metric_values[0].metric_value_float;
    assert_eq!((value, metrics.metric_values[0].metric_value), (70.0, 70));

    let active = client
        .is_active(so.clone())
        .await
        .unwrap()
        .into_inner()
        .result;
    assert!(active);

    // StreamIsActive: the answer at once, then each change.
    let mut stream = client
        .stream_is_active(so.clone())
        .await
        .unwrap()
        .into_inner();
    let first = stream.message().await.unwrap().unwrap();
    assert!(first.result);
    record(&shared, Ok(5.0));
    let next = tokio::time::timeout(Duration::from_secs(10), stream.message())
        .await
        .expect("StreamIsActive sent the change within 10s")
        .unwrap()
        .unwrap();
    assert!(!next.result);
    drop(stream);

    // What it cannot answer, it refuses with the reason.
    let e = client
        .is_active(object(&[("target", "20")]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(
        e.message().contains("scalerMetadata.reading: missing"),
        "{e}"
    );
    let e = client
        .get_metric_spec(object(&[("reading", READING), ("target", "-1")]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument, "{e}");
    let e = client
        .is_active(object(&[("reading", "prom.q"), ("target", "1")]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unavailable);
    assert!(e.message().contains("no source named \"prom\""), "{e}");
    let e = client
        .get_metrics(GetMetricsRequest {
            scaled_object_ref: Some(so.clone()),
            metric_name: "other".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound, "{e}");
    let e = client.stream_metric_spec(so.clone()).await.unwrap_err();
    assert_eq!(e.code(), Code::Unimplemented, "{e}");
    record(&shared, Err("NVML: the GPU fell off the bus"));
    let e = client.is_active(so.clone()).await.unwrap_err();
    assert_eq!(e.code(), Code::Unavailable);
    assert!(e.message().contains("fell off the bus"), "{e}");

    let _ = stop.send(());
    server.await.unwrap().unwrap();

    // The ScaledObject KEDA would build on this scaler, evaluated on what
    // the scaler answered: AverageValue 70 / 20 per replica -> ceil(3.5) = 4.
    let metadata: serde_json::Map<_, _> = metadata
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let c = json!({
        "now": 1000,
        "scaledObject": {
            "apiVersion": "keda.sh/v1alpha1",
            "kind": "ScaledObject",
            "metadata": {"name": "worker", "namespace": "default"},
            "spec": {
                "scaleTargetRef": {"name": "worker"},
                "triggers": [{"type": "external", "metadata": metadata}]
            }
        },
        "target": {"replicas": 2},
        "triggers": [{
            "value": value.to_string(),
            "target": spec.target_size_float.to_string(),
            "active": active
        }],
        "keda": {"lastActiveTime": 990}
    });
    let d = case::evaluate(&case::from_value(&c).unwrap_or_else(|e| panic!("{e}: {c}")));
    assert_eq!(d.desired_replicas, 4, "{}", d.explanation);
    assert_eq!(d.active, Some(true));
}
