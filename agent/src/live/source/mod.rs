//! Where readings come from. Every source is one [`Source`]: the agent
//! polls it on its own period with a timeout, stamps each poll with its time
//! and health, and keeps a failing source failing visibly (its readings go
//! stale, its error is reported) until a later poll succeeds by itself.
//!
//! | kind | module | what it reads |
//! | --- | --- | --- |
//! | `nvml` | [`nvml`] | per GPU utilization, memory, power, temperature, SM clock (`libnvidia-ml.so.1`) |
//! | `rabbitmq` | [`rabbitmq`] | queue length as KEDA reads it (AMQP passive declare, or the management API) and message rate |
//! | `prometheus` | [`prometheus`] | instant queries over the HTTP API, read as KEDA's prometheus scaler reads them |

pub mod nvml;
pub mod prometheus;
pub mod rabbitmq;

use std::future::Future;
use std::pin::Pin;

use crate::live::metrics::Family;

/// What one poll returns, or why it failed.
pub type PollResult = Result<Poll, String>;

/// The future a poll returns.
pub type PollFuture<'a> = Pin<Box<dyn Future<Output = PollResult> + Send + 'a>>;

/// A source of readings. Implementations keep their connections between
/// polls and reconnect by themselves after a failure.
pub trait Source: Send + 'static {
    /// The kind, as written in the config (`nvml`, `rabbitmq`, ...).
    fn kind(&self) -> &'static str;
    /// Reads every value once. The agent bounds it with the source's
    /// timeout; an `Err` is the exact reason, shown as the source's health.
    fn poll(&mut self) -> PollFuture<'_>;
    /// Called after a poll ran past its timeout (and was dropped): forget
    /// connections that may be stuck, so the next poll starts afresh.
    fn reset(&mut self) {}
}

/// A successful poll: the values read, and what is worth knowing about them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poll {
    /// The values.
    pub samples: Vec<Sample>,
    /// Keys that this poll could not read, with why (a missing queue), while
    /// the source itself answered.
    pub key_errors: Vec<(String, String)>,
    /// Remarks (a GPU in MIG mode, a field the device does not support).
    pub notes: Vec<String>,
}

/// One value: `key` names it within its source (`gpu0.utilization`,
/// `orders.messages`); a reading elsewhere is `SOURCE.KEY`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The key within the source.
    pub key: String,
    /// The value.
    pub value: f64,
    /// How it appears on `/metrics`, if it does.
    pub export: Option<Export>,
}

/// A sample's place on `/metrics`: its family and labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// The metric family.
    pub family: &'static Family,
    /// Its labels (the agent adds `source` where the family has it).
    pub labels: Vec<(&'static str, String)>,
}

impl Sample {
    /// A sample that is not exported.
    pub fn plain(key: impl Into<String>, value: f64) -> Sample {
        Sample {
            key: key.into(),
            value,
            export: None,
        }
    }

    /// A sample exported as `family{labels}`.
    pub fn exported(
        key: impl Into<String>,
        value: f64,
        family: &'static Family,
        labels: Vec<(&'static str, String)>,
    ) -> Sample {
        Sample {
            key: key.into(),
            value,
            export: Some(Export { family, labels }),
        }
    }
}

/// Splits a reading reference `SOURCE.KEY` (source names have no dots; keys
/// may, as queue names do).
pub fn split_ref(reading: &str) -> Option<(&str, &str)> {
    let (source, key) = reading.split_once('.')?;
    (!source.is_empty() && !key.is_empty()).then_some((source, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_refs() {
        assert_eq!(split_ref("gpu.utilization"), Some(("gpu", "utilization")));
        assert_eq!(
            split_ref("rabbit.jobs.v2.messages"),
            Some(("rabbit", "jobs.v2.messages"))
        );
        assert_eq!(split_ref("gpu"), None);
        assert_eq!(split_ref(".x"), None);
    }
}
