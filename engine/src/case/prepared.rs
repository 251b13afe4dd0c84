//! A prepared autoscaler: an HPA or ScaledObject read, defaulted and
//! validated once, then evaluated against many sets of readings (a
//! dashboard re-evaluating its autoscalers on every refresh).
//!
//! Each evaluation takes the rest of a case (shared spec `eval-case.md`:
//! `now`, `target`, `pods`, `metrics` or `triggers`, `keda`, `history`,
//! `controller`), checks it exactly as a whole case is checked, and decides
//! exactly as [`super::evaluate`] does on the whole case.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::{Autoscaler, Decision, EvalCase, RawCase, check, keda_readings};
use crate::error::{Error, ErrorKind, Path};
use crate::model::Controller;
use crate::notice::Notices;
use crate::spec::{self, validation};

/// An autoscaler ready to evaluate readings against.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// `None` only while an evaluation borrows it.
    autoscaler: Option<Autoscaler>,
    warnings: Vec<String>,
    /// The autoscaler's unknown fields.
    notices: Notices,
}

impl Prepared {
    /// Reads an HPA (`kind: HorizontalPodAutoscaler`) or a ScaledObject
    /// (`kind: ScaledObject`) as a case's `hpa:` or `scaledObject:` is read;
    /// `controller` holds the flags its validation depends on (the
    /// `HPAScaleToZero` feature gate).
    pub fn from_value(value: &Value, controller: &Controller) -> Result<Prepared, Error> {
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        let mut warnings = Vec::new();
        let notices = match kind {
            "HorizontalPodAutoscaler" => crate::schema::hpa(value, &Path::root()),
            "ScaledObject" => crate::schema::scaled_object(value, &Path::root()),
            _ => Notices::default(),
        };
        let autoscaler = match kind {
            "HorizontalPodAutoscaler" => {
                let opts = validation::Options {
                    min_replicas_lower_bound: if controller.features.hpa_scale_to_zero {
                        0
                    } else {
                        1
                    },
                };
                let read = spec::read_hpa(value, &Path::root(), opts)?;
                warnings.extend(read.warnings);
                Autoscaler::Hpa(Box::new(read.hpa))
            }
            "ScaledObject" => {
                let so = crate::keda::admission::read_scaled_object(value, &Path::root())?;
                Autoscaler::ScaledObject(Box::new(so), Default::default())
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::Schema,
                    Path::root().child("kind"),
                    "prepare takes a HorizontalPodAutoscaler or a ScaledObject",
                ));
            }
        };
        Ok(Prepared {
            autoscaler: Some(autoscaler),
            warnings,
            notices,
        })
    }

    /// Evaluates the rest of a case (`now`, `target`, `pods`, `metrics` or
    /// `triggers`, `keda`, `history`, `controller`) against the prepared
    /// autoscaler: the decision [`super::evaluate`] gives on the whole case.
    pub fn evaluate(&mut self, inputs: &Value) -> Result<Decision, Error> {
        if !inputs.is_object() {
            return Err(Error::new(
                ErrorKind::Schema,
                Path::root(),
                "the inputs are a mapping with `now`, `target`, `pods`, `metrics`, ...",
            ));
        }
        let raw: RawCase = spec::deserialize(inputs, &Path::root())?;
        let mut notices = Notices::default();
        crate::schema::walk(
            inputs,
            &crate::schema::case_format::CASE,
            &Path::root(),
            &mut String::new(),
            &mut notices,
        );
        self.decide(raw, notices)
    }

    /// [`Prepared::evaluate`] on the inputs as JSON text, read straight
    /// into the engine's types (see [`super::from_json`]): the same
    /// decision, notices and errors.
    pub fn evaluate_json(&mut self, inputs: &str) -> Result<Decision, Error> {
        match super::json::read(inputs) {
            Some((raw, notices)) => self.decide(raw, notices),
            None => self.evaluate(&super::json::parse_value(inputs)?),
        }
    }

    /// The decision on the inputs as read, `unknown` their unknown fields.
    fn decide(&mut self, mut raw: RawCase, mut unknown: Notices) -> Result<Decision, Error> {
        for (given, key) in [
            (raw.hpa.is_some(), "hpa"),
            (raw.scaled_object.is_some(), "scaledObject"),
        ] {
            if given {
                return Err(Error::new(
                    ErrorKind::Schema,
                    Path::root().child(key),
                    "the autoscaler was given to prepare: evaluate takes the rest of the case",
                ));
            }
        }
        let Some(mut autoscaler) = self.autoscaler.take() else {
            return Err(Error::new(
                ErrorKind::Schema,
                Path::root(),
                "the prepared autoscaler is in use",
            ));
        };
        if let Autoscaler::ScaledObject(_, state) = &mut autoscaler {
            *state = raw
                .keda
                .clone()
                .or_else(|| raw.history.as_ref().and_then(|h| h.keda.clone()))
                .unwrap_or_default();
        }
        let mut notices = self.notices.clone();
        notices.0.append(&mut unknown.0);
        let checked = match &autoscaler {
            Autoscaler::ScaledObject(so, _) => keda_readings(&mut raw, so, &mut notices),
            Autoscaler::Hpa(_) | Autoscaler::ScaledJob(..) | Autoscaler::Kpa(_) => Ok(()),
        }
        .and_then(|()| check(&raw, &autoscaler));
        if let Err(e) = checked {
            self.autoscaler = Some(autoscaler);
            return Err(e);
        }
        let is_keda = matches!(autoscaler, Autoscaler::ScaledObject(..));
        let case = EvalCase {
            now: raw.now,
            autoscaler,
            target: raw.target.unwrap_or_default(),
            pods: super::expand::expand_pods(raw.pods),
            readings: if is_keda { raw.triggers } else { raw.metrics },
            history: raw.history,
            controller: raw.controller,
            warnings: self.warnings.clone(),
            notices,
        };
        let decision = super::evaluate(&case);
        self.autoscaler = Some(case.autoscaler);
        Ok(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hpa() -> Value {
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "w"},
                "minReplicas": 1, "maxReplicas": 10,
                "metrics": [{"type": "External", "external": {"metric": {"name": "q"},
                    "target": {"type": "AverageValue", "averageValue": "5"}}}]}})
    }

    #[test]
    fn prepared_evaluations_equal_whole_cases() {
        let mut p = Prepared::from_value(&hpa(), &Controller::default()).unwrap();
        for (replicas, value) in [(2, "40"), (3, "3"), (8, "41")] {
            let inputs = json!({"now": 100, "target": {"replicas": replicas},
                "metrics": [{"values": [value]}]});
            let mut whole = inputs.clone();
            whole["hpa"] = hpa();
            let expected = super::super::evaluate(&super::super::from_value(&whole).unwrap());
            assert_eq!(p.evaluate(&inputs).unwrap(), expected);
        }
    }

    #[test]
    fn prepared_scaled_objects_equal_whole_cases() {
        let so = json!({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
            "metadata": {"name": "w"},
            "spec": {"scaleTargetRef": {"name": "w"}, "minReplicaCount": 0, "maxReplicaCount": 9,
                "triggers": [{"type": "prometheus", "metadata": {
                    "serverAddress": "http://p:9090", "query": "q", "threshold": "5"}}]}});
        let mut p = Prepared::from_value(&so, &Controller::default()).unwrap();
        for (replicas, value) in [(0, "12"), (2, "40"), (3, "0")] {
            let inputs = json!({"now": 100, "target": {"replicas": replicas},
                "triggers": [{"value": value}]});
            let mut whole = inputs.clone();
            whole["scaledObject"] = so.clone();
            let expected = super::super::evaluate(&super::super::from_value(&whole).unwrap());
            assert_eq!(p.evaluate(&inputs).unwrap(), expected);
        }
    }

    #[test]
    fn bad_inputs_are_refused_and_the_autoscaler_kept() {
        let mut p = Prepared::from_value(&hpa(), &Controller::default()).unwrap();
        let e = p
            .evaluate(&json!({"now": 1, "target": {"replicas": 1}, "metrics": []}))
            .unwrap_err();
        assert!(e.to_string().contains("metrics"), "{e}");
        let e = p
            .evaluate(&json!({"now": 1, "target": {"replicas": 1}, "hpa": hpa()}))
            .unwrap_err();
        assert!(e.to_string().contains("prepare"), "{e}");
        let ok = json!({"now": 1, "target": {"replicas": 1}, "metrics": [{"values": ["5"]}]});
        assert_eq!(p.evaluate(&ok).unwrap().desired_replicas, 1);
        let e = Prepared::from_value(&json!({"kind": "Deployment"}), &Controller::default())
            .unwrap_err();
        assert!(e.to_string().contains("kind"), "{e}");
    }
}
