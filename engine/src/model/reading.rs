//! What the metrics API returned for one metric (or KEDA trigger).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use super::validation::{IS_NEGATIVE, add};
use crate::error::{Error, ErrorKind, Path};
use crate::quantity::Quantity;
use crate::time::{Duration, Instant};

/// One pod's sample: its value and, optionally, its own sample time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PodSample {
    /// The value (for Resource metrics: usage summed over containers).
    pub value: Quantity,
    /// When the sample was taken (default: the reading's timestamp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Instant>,
    /// The sample's window (default: the reading's window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Duration>,
}

impl<'de> Deserialize<'de> for PodSample {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Full {
            value: Quantity,
            #[serde(default)]
            timestamp: Option<Instant>,
            #[serde(default)]
            window: Option<Duration>,
        }
        /// A quantity (text or number), or `{value, timestamp, window}`;
        /// read in place (no `Value` in between), so unknown keys of the
        /// object form reach the reader's unknown-field check.
        struct Sample;
        impl<'de> de::Visitor<'de> for Sample {
            type Value = PodSample;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as 500m, 2, 1.5k or 4Gi, or a mapping with `value`")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<PodSample, A::Error> {
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(PodSample {
                    value: f.value,
                    timestamp: f.timestamp,
                    window: f.window,
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PodSample, E> {
                Quantity::deserialize(de::value::StrDeserializer::new(v)).map(PodSample::of)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PodSample, E> {
                Quantity::deserialize(de::value::I64Deserializer::new(v)).map(PodSample::of)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PodSample, E> {
                Quantity::deserialize(de::value::U64Deserializer::new(v)).map(PodSample::of)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PodSample, E> {
                Quantity::deserialize(de::value::F64Deserializer::new(v)).map(PodSample::of)
            }
        }
        d.deserialize_any(Sample)
    }
}

impl PodSample {
    /// A sample of `value` alone.
    fn of(value: Quantity) -> PodSample {
        PodSample {
            value,
            timestamp: None,
            window: None,
        }
    }
}

/// One reading per metric (or KEDA trigger): what the metrics API returned.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    /// Per-pod values (Resource, ContainerResource, Pods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_values: Option<BTreeMap<String, PodSample>>,
    /// A single value (Object; KEDA scalers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// Every series matched (External; summed by the HPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Quantity>>,
    /// The metrics API failed with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the sample was taken (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Instant>,
    /// The sample window (default 30 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Duration>,
    /// KEDA `external`/`external-push` triggers: the target the external
    /// scaler's `GetMetricSpec` answers (`targetSize`/`targetSizeFloat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Quantity>,
    /// KEDA `external`/`external-push` triggers: the external scaler's
    /// `IsActive` answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl Reading {
    /// Resource usage as the resource metrics API (`metrics.k8s.io`)
    /// reports it is never negative: a negative pod value of a Resource,
    /// ContainerResource, cpu or memory reading is refused at
    /// `at.podValues.<pod>` (`at` is `metrics[i]` or `triggers[i]`).
    pub(crate) fn check_usage(&self, at: &Path, errs: &mut Option<Error>) {
        for (pod, sample) in self.pod_values.iter().flatten() {
            if sample.value.signum() < 0 {
                add(
                    errs,
                    Error::new(
                        ErrorKind::Invalid,
                        at.child("podValues").child(pod),
                        alloc::format!(
                            "Invalid value: \"{}\": {IS_NEGATIVE} (resource usage from the metrics API is never negative)",
                            sample.value
                        ),
                    ),
                );
            }
        }
    }
}
