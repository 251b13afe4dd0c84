//! The scale subresource of the target.

use serde::{Deserialize, Serialize};

/// The scale subresource of the target.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScaleTarget {
    /// `spec.replicas`: the current replica count.
    pub replicas: i32,
    /// `status.replicas`; defaults to `replicas`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_replicas: Option<i32>,
}

impl ScaleTarget {
    /// `status.replicas`, defaulted.
    pub fn status(&self) -> i32 {
        self.status_replicas.unwrap_or(self.replicas)
    }
}
