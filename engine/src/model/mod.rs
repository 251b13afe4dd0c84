//! The domain types a reconcile reads: the scale target, its pods, the
//! metric readings, the controllers' memory and flags.
//!
//! This is the engine's bottom layer next to [`crate::quantity`],
//! [`crate::time`] and [`crate::error`]: every decision module imports its
//! inputs from here, and nothing here imports a decision module or a
//! format. The serde attributes are the evaluation case format's
//! (shared spec `eval-case.md`), which is these types' serialization.

mod controller;
mod history;
mod pod;
mod reading;
mod target;
pub(crate) mod validation;

pub use controller::{Controller, Features};
pub use history::{History, KedaState, Recommendation, ScaleEvent};
pub use pod::{ConditionStatus, Container, Phase, Pod};
pub use reading::{PodSample, Reading};
pub use target::ScaleTarget;
pub use validation::IS_NEGATIVE;
