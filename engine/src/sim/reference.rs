//! The scenario's `reference:` (shared spec `scenario.md`): the replicas
//! production actually ran (e.g. kube-state-metrics'
//! `kube_deployment_status_replicas`, recorded by `replicast record
//! --replicas`), shown beside every variant as the timeline's `reference`
//! column, and how far each variant's simulated replicas were from it.
//!
//! The reference is a count of pods that exist, so it is compared with the
//! timeline's `replicas` column (`status.replicas`, what
//! `kube_deployment_status_replicas` exports). Between two recorded points
//! it holds the earlier one (a count changes at instants; a Prometheus
//! sample holds until the next); before its first point and after its last
//! it is unknown (`null`), and those samples are not compared.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

pub use super::output::ReferenceError;
use super::output::{Column, VariantResult};
use super::scenario::{Ctx, ValueColumn, read_points};
use crate::error::{Error, ErrorKind, Path};

/// The timeline column the reference fills.
pub const COLUMN: &str = "reference";

/// `reference:` read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// `(t, replicas)` in time order, at least one.
    pub points: Vec<(f64, f64)>,
}

impl Reference {
    /// The reference at `t` seconds: the last point at or before `t`; NaN
    /// before the first point and after the last.
    pub fn at(&self, t: f64) -> f64 {
        let n = self.points.partition_point(|&(pt, _)| pt <= t);
        match (n, self.points.last()) {
            (0, _) | (_, None) => f64::NAN,
            (_, Some(&(last, _))) if t > last => f64::NAN,
            (n, _) => self.points[n - 1].1,
        }
    }
}

/// Reads `reference: {trace: {csv: "t,replicas\n..."}}` (or `{trace:
/// {file: ...}}`).
pub(crate) fn read(v: &Value, at: &Path, ctx: &Ctx<'_>) -> Result<Reference, Error> {
    let shape = || {
        Error::new(
            ErrorKind::Schema,
            at.clone(),
            "`reference` is `{trace: {csv: \"t,replicas\\n0,2\\n\"}}` or `{trace: {file: replicas.csv}}`",
        )
    };
    let m = v.as_object().ok_or_else(shape)?;
    if let Some(k) = m.keys().find(|k| *k != "trace") {
        return Err(Error::new(
            ErrorKind::Schema,
            at.child(k),
            alloc::format!("unknown field `{k}`, expected `trace`"),
        ));
    }
    let body = m.get("trace").ok_or_else(shape)?;
    let column = ValueColumn {
        name: "replicas",
        signed: false,
    };
    let points = read_points(body, &at.child("trace"), ctx, column)?;
    Ok(Reference { points })
}

/// Compares replicas sampled at `t` with the reference; `None` when no
/// sample falls within the reference's span.
pub fn compare(reference: &Reference, t: &[f64], replicas: &[f64]) -> Option<ReferenceError> {
    let (mut n, mut sum, mut agreed) = (0usize, 0.0, 0usize);
    for (&t, &r) in t.iter().zip(replicas) {
        let want = reference.at(t);
        if want.is_nan() || r.is_nan() {
            continue;
        }
        let d = (r - want).abs();
        n += 1;
        sum += d;
        agreed += usize::from(d < 0.5);
    }
    (n > 0).then(|| ReferenceError {
        mean_absolute_difference: sum / n as f64,
        agreement: agreed as f64 / n as f64,
        samples: n,
    })
}

/// Adds the `reference` column to a variant's timeline and its error to the
/// summary.
pub(crate) fn apply(reference: &Reference, v: &mut VariantResult) {
    let (Some(t), Some(replicas)) = (v.timeline.column("t"), v.timeline.column("replicas")) else {
        return;
    };
    v.summary.reference = compare(reference, t, replicas);
    let values = t.iter().map(|&t| reference.at(t)).collect();
    v.timeline.columns.push(Column {
        name: String::from(COLUMN),
        values,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference {
            points: alloc::vec![(10.0, 2.0), (20.0, 3.0), (30.0, 3.0)],
        }
    }

    #[test]
    fn holds_between_points_unknown_outside() {
        let r = reference();
        assert!(r.at(9.9).is_nan());
        assert_eq!(r.at(10.0), 2.0);
        assert_eq!(r.at(19.9), 2.0);
        assert_eq!(r.at(20.0), 3.0);
        assert_eq!(r.at(30.0), 3.0);
        assert!(r.at(30.1).is_nan());
    }

    #[test]
    fn compares_within_the_span() {
        let r = reference();
        let t = [0.0, 10.0, 15.0, 20.0, 25.0, 40.0];
        let replicas = [9.0, 2.0, 4.0, 3.0, 2.0, 9.0];
        let e = compare(&r, &t, &replicas).unwrap();
        assert_eq!(e.samples, 4);
        assert_eq!(e.mean_absolute_difference, 3.0 / 4.0);
        assert_eq!(e.agreement, 0.5);
        assert_eq!(compare(&r, &[0.0, 50.0], &[1.0, 1.0]), None);
    }
}
