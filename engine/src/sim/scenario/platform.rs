//! The platform around the workload: nodes, the metrics pipeline, cost.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Path};
use crate::time::Duration;

use super::{Cost, MAX_REPLICAS, NodesModel, Pipeline, de, err};

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawNodes {
    #[serde(default)]
    pods_per_node: Option<u32>,
    #[serde(default)]
    provision: Option<Duration>,
    #[serde(default)]
    warm: Option<u32>,
    #[serde(default)]
    max: Option<u32>,
}

pub(super) fn read_nodes(raw: RawNodes, at: &Path) -> Result<NodesModel, Error> {
    let n = NodesModel {
        pods_per_node: raw.pods_per_node.unwrap_or(1),
        provision: raw.provision.unwrap_or(Duration::from_secs(180)),
        warm: raw.warm.unwrap_or(0),
        max: raw.max.unwrap_or(1000),
    };
    if n.pods_per_node == 0 {
        return Err(err(
            ErrorKind::Invalid,
            at.child("podsPerNode"),
            "must be at least 1",
        ));
    }
    if n.max == 0 {
        return Err(err(
            ErrorKind::Invalid,
            at.child("max"),
            "must be at least 1",
        ));
    }
    if n.warm > n.max {
        return Err(err(
            ErrorKind::Invalid,
            at.child("warm"),
            "cannot exceed `max`",
        ));
    }
    if u64::from(n.max) * u64::from(n.pods_per_node) > 10 * MAX_REPLICAS as u64 {
        return Err(err(
            ErrorKind::Limit,
            at.child("max"),
            format!("max × podsPerNode may be at most {}", 10 * MAX_REPLICAS),
        ));
    }
    Ok(n)
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawPipeline {
    #[serde(default)]
    hpa_sync: Option<Duration>,
    #[serde(default)]
    metrics_server: Option<RawMetricsServer>,
    #[serde(default)]
    prometheus: Option<RawPrometheus>,
    #[serde(default)]
    scalers: Option<BTreeMap<String, RawScaler>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScaler {
    #[serde(default)]
    lag: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMetricsServer {
    #[serde(default)]
    resolution: Option<Duration>,
    #[serde(default)]
    window: Option<Duration>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrometheus {
    #[serde(default)]
    scrape: Option<Duration>,
    #[serde(default)]
    lag: Option<Duration>,
}

pub(super) fn read_pipeline(raw: RawPipeline, at: &Path) -> Result<Pipeline, Error> {
    let ms = raw.metrics_server.unwrap_or_default();
    let pr = raw.prometheus.unwrap_or_default();
    let p = Pipeline {
        hpa_sync: raw.hpa_sync.unwrap_or(Duration::from_secs(15)),
        metrics_resolution: ms.resolution.unwrap_or(Duration::from_secs(15)),
        metrics_window: ms.window.unwrap_or(Duration::from_secs(30)),
        scrape: pr.scrape.unwrap_or(Duration::from_secs(15)),
        lag: pr.lag.unwrap_or(Duration::from_secs(5)),
        scalers: BTreeMap::new(),
    };
    let day = 86400.0;
    for (v, path) in [
        (p.hpa_sync, at.child("hpaSync")),
        (
            p.metrics_resolution,
            at.child("metricsServer").child("resolution"),
        ),
        (p.metrics_window, at.child("metricsServer").child("window")),
        (p.scrape, at.child("prometheus").child("scrape")),
    ] {
        let s = v.as_secs_f64();
        if s <= 0.0 {
            return Err(err(ErrorKind::Invalid, path, "must be greater than 0"));
        }
        if s > day {
            return Err(err(ErrorKind::Invalid, path, "may be at most 1d"));
        }
    }
    if p.lag.as_secs_f64() > day {
        return Err(err(
            ErrorKind::Invalid,
            at.child("prometheus").child("lag"),
            "may be at most 1d",
        ));
    }
    let mut p = p;
    for (ty, s) in raw.scalers.unwrap_or_default() {
        let here = at.child("scalers").child(&ty);
        if let Some(why) = crate::sim::freshness::not_a_scaler_setting(&ty) {
            return Err(err(ErrorKind::Invalid, here, why));
        }
        let lag = s.lag.unwrap_or(Duration::from_secs(0));
        if lag.as_secs_f64() > day {
            return Err(err(
                ErrorKind::Invalid,
                here.child("lag"),
                "may be at most 1d",
            ));
        }
        p.scalers.insert(ty, lag);
    }
    Ok(p)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawCost {
    #[serde(default)]
    per_replica_hour: Option<f64>,
    #[serde(default)]
    currency: Option<String>,
}

/// `cost:` (absent: no price, in USD).
pub(super) fn read_cost(v: Option<&Value>, at: &Path) -> Result<Cost, Error> {
    let Some(v) = v else {
        return Ok(Cost {
            per_replica_hour: 0.0,
            currency: "USD".to_string(),
        });
    };
    let raw: RawCost = de(v, at)?;
    let per = raw.per_replica_hour.unwrap_or(0.0);
    if !(per.is_finite() && per >= 0.0) {
        return Err(err(
            ErrorKind::Invalid,
            at.child("perReplicaHour"),
            "a price cannot be negative",
        ));
    }
    Ok(Cost {
        per_replica_hour: per,
        currency: raw.currency.unwrap_or_else(|| "USD".to_string()),
    })
}
