//! Fixture expectations (`expect:` in a case file), checked the same way
//! natively, through the npm package and in the browser.
//!
//! A fixture passes when every field given matches: objects on the keys
//! given, `conditions` by `type` (others may be present), other lists item
//! by item, numbers and quantities by value (`"1"` equals `"1000m"`).
//! `expect: {error: true}` means the case must be rejected as invalid input;
//! `error: {path: ..., message: ...}` also requires a reported problem at
//! that path whose message contains that text (either may be left out).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::Error;
use crate::quantity::Quantity;

/// Checks a whole fixture (a case with `expect:`): evaluates it and returns
/// every mismatch, or `Ok` when it passes.
pub fn check_fixture(fixture: &Value) -> Result<(), Vec<String>> {
    check_fixture_with(fixture, false)
}

/// [`check_fixture`], and with `strict` a case with notices is refused
/// (`--strict`), as input an `expect: {error: ...}` may name.
pub fn check_fixture_with(fixture: &Value, strict: bool) -> Result<(), Vec<String>> {
    let Some(expect) = fixture.get("expect") else {
        return Err(alloc::vec!["the fixture has no `expect:`".to_string()]);
    };
    let result = super::from_value(fixture).and_then(|case| {
        if strict {
            case.strict_check()?;
        }
        Ok(super::evaluate(&case).to_json())
    });
    check_outcome(result.as_ref(), expect)
}

/// Compares an evaluation result (a decision, or the one problem reported)
/// with an expectation.
pub fn check_result(
    result: Result<&Value, &crate::error::Problem>,
    expect: &Value,
) -> Result<(), Vec<String>> {
    let error = result.map_err(|p| Error {
        problems: alloc::vec![p.clone()],
    });
    check_outcome(error.as_ref().copied(), expect)
}

/// Compares an evaluation result (a decision, or every problem reported)
/// with an expectation.
pub fn check_outcome(result: Result<&Value, &Error>, expect: &Value) -> Result<(), Vec<String>> {
    let wants_error = expect.get("error");
    match (result, wants_error) {
        (Err(_), Some(Value::Bool(true))) => Ok(()),
        (Err(error), Some(Value::Object(want))) => {
            let path = want.get("path").and_then(Value::as_str);
            let message = want.get("message").and_then(Value::as_str);
            let found = error.problems.iter().any(|p| {
                path.is_none_or(|path| p.path == path)
                    && message.is_none_or(|m| p.message.contains(m))
            });
            if found {
                return Ok(());
            }
            let got: Vec<String> = error
                .problems
                .iter()
                .map(|p| format!("{:?}: {}", p.path, p.message))
                .collect();
            Err(alloc::vec![format!(
                "error: expected a problem at {} with a message containing {}, got {}",
                path.map_or("any path".to_string(), |p| format!("{p:?}")),
                message.map_or("anything".to_string(), |m| format!("{m:?}")),
                got.join("; ")
            )])
        }
        (Err(error), _) => {
            let problem = error.first();
            Err(alloc::vec![format!(
                "the case was rejected: {}: {}",
                problem.path, problem.message
            )])
        }
        (Ok(decision), Some(Value::Bool(true)) | Some(Value::Object(_))) => {
            Err(alloc::vec![format!(
                "expected the case to be rejected, but it evaluated to desiredReplicas {}",
                decision.get("desiredReplicas").unwrap_or(&Value::Null)
            )])
        }
        (Ok(decision), _) => {
            let mut errs = Vec::new();
            matches(decision, expect, "", &mut errs);
            if errs.is_empty() { Ok(()) } else { Err(errs) }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Does `actual` match `expected` (expected's keys only)?
pub fn matches(actual: &Value, expected: &Value, path: &str, errs: &mut Vec<String>) {
    match expected {
        Value::Object(want) => {
            let Some(have) = actual.as_object() else {
                errs.push(format!("{path}: expected an object, got {actual}"));
                return;
            };
            for (k, v) in want {
                let p = join(path, k);
                match (k.as_str(), have.get(k)) {
                    ("conditions", Some(Value::Array(conds))) if v.is_array() => {
                        for w in v.as_array().into_iter().flatten() {
                            let ty = w.get("type");
                            match conds.iter().find(|c| c.get("type") == ty) {
                                Some(c) => matches(
                                    c,
                                    w,
                                    &format!("{p}[{}]", ty.unwrap_or(&Value::Null)),
                                    errs,
                                ),
                                None => errs.push(format!(
                                    "{p}: no condition of type {}",
                                    ty.unwrap_or(&Value::Null)
                                )),
                            }
                        }
                    }
                    (_, Some(a)) => matches(a, v, &p, errs),
                    (_, None) if v.is_null() => {}
                    (_, None) => errs.push(format!(
                        "{p}: expected {v}, but the decision has no such field"
                    )),
                }
            }
        }
        Value::Array(want) => {
            let Some(have) = actual.as_array() else {
                errs.push(format!("{path}: expected a list, got {actual}"));
                return;
            };
            if have.len() != want.len() {
                errs.push(format!(
                    "{path}: expected {} entries, got {}: {actual}",
                    want.len(),
                    have.len()
                ));
                return;
            }
            for (i, (a, w)) in have.iter().zip(want).enumerate() {
                matches(a, w, &format!("{path}[{i}]"), errs);
            }
        }
        _ => {
            if !scalar_eq(actual, expected) {
                errs.push(format!("{path}: expected {expected}, got {actual}"));
            }
        }
    }
}

fn as_quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::String(s) => Quantity::parse(s).ok(),
        Value::Number(n) => n.as_f64().and_then(|f| Quantity::from_f64(f).ok()),
        _ => None,
    }
}

fn scalar_eq(actual: &Value, expected: &Value) -> bool {
    if actual == expected {
        return true;
    }
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(_), _) | (_, Value::String(_)) => {
            matches!((as_quantity(actual), as_quantity(expected)), (Some(a), Some(b)) if a == b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(actual: Value, expect: Value) -> Result<(), Vec<String>> {
        check_result(Ok(&actual), &expect)
    }

    #[test]
    fn mismatches_are_reported() {
        let decision = json!({"desiredReplicas": 6, "metrics": [{"replicas": 8, "value": "26"}],
            "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededRescale"}]});
        assert!(check(decision.clone(), json!({"desiredReplicas": 6})).is_ok());
        assert!(check(decision.clone(), json!({"desiredReplicas": 7})).is_err());
        assert!(check(decision.clone(), json!({"metrics": [{"replicas": 9}]})).is_err());
        assert!(
            check(decision.clone(), json!({"metrics": []})).is_err(),
            "list lengths must agree"
        );
        assert!(
            check(
                decision.clone(),
                json!({"conditions": [{"type": "ScalingLimited"}]})
            )
            .is_err()
        );
        assert!(
            check(
                decision.clone(),
                json!({"conditions": [{"type": "AbleToScale", "reason": "ReadyForNewScale"}]})
            )
            .is_err()
        );
        assert!(check(decision, json!({"error": true})).is_err());
    }

    #[test]
    fn error_expectations_name_a_path_and_a_message_fragment() {
        let mut rejected = Error::new(
            crate::error::ErrorKind::Invalid,
            crate::error::Path::root().child("target").child("replicas"),
            "must be at least 0",
        );
        rejected = rejected.join(Error::new(
            crate::error::ErrorKind::Invalid,
            crate::error::Path::root().child("now"),
            "a time must lie within ±9e9 seconds",
        ));
        let check = |expect: Value| check_outcome(Err(&rejected), &expect);
        assert!(check(json!({"error": true})).is_ok());
        assert!(check(json!({"error": {"path": "target.replicas"}})).is_ok());
        assert!(check(json!({"error": {"path": "now", "message": "±9e9"}})).is_ok());
        assert!(check(json!({"error": {"message": "at least 0"}})).is_ok());
        assert!(check(json!({"error": {"path": "target"}})).is_err());
        assert!(
            check(json!({"error": {"path": "now", "message": "at least 0"}})).is_err(),
            "path and message must belong to one problem"
        );
        assert!(check(json!({"desiredReplicas": 1})).is_err());
    }

    #[test]
    fn quantities_and_numbers_compare_by_value() {
        let decision = json!({"metrics": [{"value": "1"}], "n": 2});
        assert!(check(decision.clone(), json!({"metrics": [{"value": "1000m"}]})).is_ok());
        assert!(check(decision.clone(), json!({"metrics": [{"value": 1}]})).is_ok());
        assert!(check(decision.clone(), json!({"metrics": [{"value": "1001m"}]})).is_err());
        assert!(check(decision, json!({"n": 2.0})).is_ok());
    }
}
