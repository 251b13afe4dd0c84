//! Calibration (issue 14): the workload model that makes the configuration
//! as written reproduce what production ran.
//!
//! With a `reference:` (the replicas production ran), [`calibrate`] fits
//! `workload.capacityPerReplica` and one factor scaling all three
//! `coldStart` phases (`schedule`, `pull`, `load`) so that the first
//! variant's simulated replicas are closest to the reference, by the mean
//! absolute difference of [`super::reference`]. It is a bounded search over
//! full simulations, coordinate by coordinate on a log scale: capacity from
//! ¼× to 4× the written value in steps of 2^¼, then the factor from ¼ to 4
//! in steps of 2^½, then each again around the best in steps four times
//! finer, twice. Where several values give the same error (replicas are
//! whole, so the error is flat over ranges), the middle of that range is
//! taken. Deterministic, like every run.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde::Serialize;

use super::output::ser_f64;
use super::reference::ReferenceError;
use super::scenario::{Scenario, Variant};
use crate::error::{Error, ErrorKind, Path};
use crate::time::Duration;

/// The fitted workload model and the error it leaves.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Calibration {
    /// The variant fitted (the first).
    pub variant: String,
    /// `workload.capacityPerReplica` as written.
    #[serde(serialize_with = "ser_f64")]
    pub written_capacity_per_replica: f64,
    /// `workload.capacityPerReplica` fitted.
    #[serde(serialize_with = "ser_f64")]
    pub capacity_per_replica: f64,
    /// The factor applied to every `coldStart` phase.
    #[serde(serialize_with = "ser_f64")]
    pub cold_start_factor: f64,
    /// `coldStart` fitted, in seconds.
    pub cold_start: ColdStart,
    /// The error with the model as written.
    pub before: ReferenceError,
    /// The error with the fitted model.
    pub after: ReferenceError,
    /// Simulations run.
    pub runs: usize,
}

/// `coldStart`'s phases in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ColdStart {
    /// Pod created → scheduled.
    #[serde(serialize_with = "ser_f64")]
    pub schedule: f64,
    /// Scheduled → running.
    #[serde(serialize_with = "ser_f64")]
    pub pull: f64,
    /// Running → model loaded.
    #[serde(serialize_with = "ser_f64")]
    pub load: f64,
}

/// Fits the first variant's capacity per replica and cold-start factor to
/// the scenario's `reference` (module docs). An error when the scenario has
/// no reference, or when no timeline sample falls within it.
pub fn calibrate(scenario: &Scenario) -> Result<Calibration, Error> {
    let Some(first) = scenario.variants.first() else {
        return Err(Error::new(
            ErrorKind::Invalid,
            Path::root().child("variants"),
            "there is no variant to calibrate",
        ));
    };
    if scenario.reference.is_none() {
        return Err(Error::new(
            ErrorKind::Invalid,
            Path::root().child("reference"),
            "calibration needs a `reference:` (the replicas production ran)",
        ));
    }
    let mut fit = Fit {
        scenario,
        first,
        runs: 0,
    };
    let written = first.workload.capacity_per_replica;
    let before = fit.error(written, 1.0).ok_or_else(|| {
        Error::new(
            ErrorKind::Invalid,
            Path::root().child("reference"),
            "no point of the reference falls within the run (its `t` are seconds from the start, up to `duration`)",
        )
    })?;
    let (mut cap, mut factor) = (written, 1.0);
    for (cap_step, factor_step) in [(0.25, 0.5), (1.0 / 16.0, 0.125), (1.0 / 64.0, 1.0 / 32.0)] {
        let coarse = cap_step == 0.25;
        let span = if coarse { 8 } else { 4 };
        cap = fit.best(cap, cap_step, span, |f, c| f.score(c, factor));
        factor = if coarse {
            fit.best(1.0, factor_step, 4, |f, k| f.score(cap, k))
        } else {
            fit.best(factor, factor_step, 4, |f, k| f.score(cap, k))
        };
    }
    let after = fit.error(cap, factor).unwrap_or_else(|| before.clone());
    let phases = fit.variant(cap, factor).workload;
    Ok(Calibration {
        variant: first.name.clone(),
        written_capacity_per_replica: written,
        capacity_per_replica: cap,
        cold_start_factor: factor,
        cold_start: ColdStart {
            schedule: phases.schedule.as_secs_f64(),
            pull: phases.pull.as_secs_f64(),
            load: phases.load.as_secs_f64(),
        },
        before,
        after,
        runs: fit.runs,
    })
}

struct Fit<'a> {
    scenario: &'a Scenario,
    first: &'a Variant,
    runs: usize,
}

impl Fit<'_> {
    /// The first variant with this capacity and cold-start factor.
    fn variant(&self, cap: f64, factor: f64) -> Variant {
        let mut v = self.first.clone();
        let w = &mut v.workload;
        w.capacity_per_replica = cap;
        for phase in [&mut w.schedule, &mut w.pull, &mut w.load] {
            *phase = Duration::from_secs_f64(phase.as_secs_f64() * factor);
        }
        v
    }

    /// Simulates the model and compares it with the reference.
    fn error(&mut self, cap: f64, factor: f64) -> Option<ReferenceError> {
        self.runs += 1;
        let s = Scenario {
            variants: vec![self.variant(cap, factor)],
            ..self.scenario.clone()
        };
        super::simulate(&s)
            .variants
            .into_iter()
            .next()
            .and_then(|v| v.summary.reference)
    }

    fn score(&mut self, cap: f64, factor: f64) -> f64 {
        self.error(cap, factor)
            .map_or(f64::INFINITY, |e| e.mean_absolute_difference)
    }

    /// The best of `centre × 2^(step·i)` for i in −span..=span: the middle
    /// one of those with the least score.
    fn best(
        &mut self,
        centre: f64,
        step: f64,
        span: i32,
        mut score: impl FnMut(&mut Self, f64) -> f64,
    ) -> f64 {
        let points: Vec<(f64, f64)> = (-span..=span)
            .map(|i| {
                let x = centre * libm::pow(2.0, step * f64::from(i));
                (x, score(self, x))
            })
            .collect();
        let least = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let ties: Vec<f64> = points
            .iter()
            .filter(|p| p.1 <= least + 1e-9)
            .map(|p| p.0)
            .collect();
        ties.get(ties.len() / 2).copied().unwrap_or(centre)
    }
}
