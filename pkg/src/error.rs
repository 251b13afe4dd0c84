//! Errors as JavaScript sees them: every problem of an
//! [`replicast_engine::Error`], with its path, line, column and kind.
//!
//! The exports throw a JavaScript `Error` named `ReplicastError` carrying
//! `problems` (and the first problem's fields); the package's JavaScript
//! (`js/core.js`) turns it into an instance of its `ReplicastError` class.

use js_sys::Reflect;
use replicast_engine::{Error, ErrorKind};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::JsValue;

/// What kind of problem the input has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    /// Not well-formed YAML or JSON.
    Syntax,
    /// Over a size, depth or alias limit.
    Limit,
    /// A field of the wrong type, or a missing required field.
    Schema,
    /// Well-formed, but invalid as the API server or admission would judge it.
    Invalid,
    /// An API version or kind that is not supported, with what to change.
    Unsupported,
    /// A warning or an assumption, refused because the input was read with
    /// `{strict: true}`.
    Strict,
    /// A bug in replicast (the engine panicked); please report the input.
    Internal,
}

impl From<ErrorKind> for ProblemKind {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Syntax => ProblemKind::Syntax,
            ErrorKind::Limit => ProblemKind::Limit,
            ErrorKind::Schema => ProblemKind::Schema,
            ErrorKind::Invalid => ProblemKind::Invalid,
            ErrorKind::Unsupported => ProblemKind::Unsupported,
            ErrorKind::Strict => ProblemKind::Strict,
            // `ErrorKind` is `#[non_exhaustive]`; a kind the binding does
            // not know yet is still a problem with the input.
            _ => ProblemKind::Invalid,
        }
    }
}

/// One problem with the input, at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Tsify)]
pub struct Problem {
    /// Where, as Kubernetes writes field paths:
    /// `hpa.spec.metrics[1].resource.target` (empty for a syntax error).
    pub path: String,
    /// 1-based line in the input text, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the input text, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What is wrong, in Kubernetes' words where Kubernetes has words for it.
    pub message: String,
    /// The kind of problem.
    pub kind: ProblemKind,
}

impl From<&replicast_engine::Problem> for Problem {
    fn from(p: &replicast_engine::Problem) -> Self {
        Problem {
            path: p.path.clone(),
            line: p.line,
            column: p.column,
            message: p.message.clone(),
            kind: p.kind.into(),
        }
    }
}

/// The JavaScript error for an engine error: an `Error` named
/// `ReplicastError` whose message lists every problem, with `problems` and
/// the first problem's `path`, `line`, `column` and `kind`.
pub fn to_js(error: &Error) -> JsValue {
    let problems: Vec<Problem> = error.problems.iter().map(Problem::from).collect();
    throwable(&error.to_string(), &problems)
}

/// A `ReplicastError`-named `Error` with these problems.
pub fn throwable(message: &str, problems: &[Problem]) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("ReplicastError");
    let list = serde_json::to_string(problems)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or_else(|| js_sys::Array::new().into());
    // Setting a property on a fresh Error cannot fail.
    let _ = Reflect::set(&js, &"problems".into(), &list);
    if let Some(first) = problems.first() {
        let _ = Reflect::set(&js, &"path".into(), &first.path.as_str().into());
        let _ = Reflect::set(
            &js,
            &"line".into(),
            &first.line.map_or(JsValue::NULL, Into::into),
        );
        let _ = Reflect::set(
            &js,
            &"column".into(),
            &first.column.map_or(JsValue::NULL, Into::into),
        );
        let kind = serde_json::to_value(first.kind)
            .ok()
            .and_then(|v| v.as_str().map(JsValue::from_str))
            .unwrap_or(JsValue::NULL);
        let _ = Reflect::set(&js, &"kind".into(), &kind);
    }
    js.into()
}
