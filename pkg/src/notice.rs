//! Located warnings as JavaScript sees them: the engine's
//! [`replicast_engine::Notice`] (an unknown field, as kubectl's strict field
//! validation names it), in a decision's and a simulated variant's
//! `notices`. With `{strict: true}` each one is a thrown problem of kind
//! `strict` instead.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// A field the Kubernetes or KEDA API does not know
    /// (`unknown field "spec.maxReplica"`).
    UnknownField,
    /// A reading or setting the engine ignores.
    Ignored,
    /// Something in the manifests the simulator does not model.
    NotSimulated,
    /// Two autoscalers writing one target's replicas.
    Fight,
    /// A value the engine had to assume.
    Assumption,
    /// Anything else worth saying at a place.
    Warning,
}

impl From<replicast_engine::NoticeKind> for NoticeKind {
    fn from(kind: replicast_engine::NoticeKind) -> Self {
        use replicast_engine::NoticeKind as K;
        match kind {
            K::UnknownField => NoticeKind::UnknownField,
            K::Ignored => NoticeKind::Ignored,
            K::NotSimulated => NoticeKind::NotSimulated,
            K::Fight => NoticeKind::Fight,
            K::Assumption => NoticeKind::Assumption,
            // `NoticeKind` is `#[non_exhaustive]`; a kind the binding does
            // not know yet is still a warning.
            _ => NoticeKind::Warning,
        }
    }
}

/// One located warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// What it is about.
    pub kind: NoticeKind,
    /// Where, as Kubernetes writes field paths: `hpa.spec.maxReplica`.
    pub path: String,
    /// 1-based line in the input text, when the input was text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub line: Option<u32>,
    /// 1-based column in the input text, when the input was text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub column: Option<u32>,
    /// What is wrong: `unknown field "spec.maxReplica"; did you mean "maxReplicas"?`.
    pub message: String,
}

impl From<&replicast_engine::Notice> for Notice {
    fn from(n: &replicast_engine::Notice) -> Self {
        Notice {
            kind: n.kind.into(),
            path: n.path.clone(),
            line: n.line,
            column: n.column,
            message: n.message.clone(),
        }
    }
}
