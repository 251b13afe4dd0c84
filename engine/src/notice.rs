//! Notices: what the engine says about its input without refusing it.
//!
//! A notice is a warning with a place: an unknown field that kubectl's strict
//! field validation would name, a reading given for a trigger that needs
//! none, something the simulator does not model. Every notice also appears as
//! a plain string in `warnings`; the located form is `notices: [{kind, path,
//! line, column, message}]` (shared specs `eval-case.md` and `scenario.md`).
//!
//! Under `--strict` (`{strict: true}` in the npm package) every notice is an
//! input error instead: [`Notices::into_strict_error`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Path};

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum NoticeKind {
    /// A field the Kubernetes or KEDA API does not know (kubectl's strict
    /// field validation: `unknown field "spec.maxReplica"`).
    UnknownField,
    /// A reading or setting the engine ignores (a reading given for a cron
    /// trigger, a pause annotation KEDA never reads).
    Ignored,
    /// Something in the manifests the simulator does not model.
    NotSimulated,
    /// Two autoscalers writing one target's replicas.
    Fight,
    /// A value the engine had to assume (a signal inferred for a metric, a
    /// default load); `--strict` refuses it.
    Assumption,
    /// Anything else worth saying at a place (a deprecated API version).
    Warning,
}

impl NoticeKind {
    /// The kind as serialized: `unknown-field`, `not-simulated`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::UnknownField => "unknown-field",
            NoticeKind::Ignored => "ignored",
            NoticeKind::NotSimulated => "not-simulated",
            NoticeKind::Fight => "fight",
            NoticeKind::Assumption => "assumption",
            NoticeKind::Warning => "warning",
        }
    }
}

/// One located warning.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Notice {
    /// What it is about.
    pub kind: NoticeKind,
    /// Where, as Kubernetes writes field paths: `hpa.spec.maxReplica`.
    pub path: String,
    /// 1-based line in the input text, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the input text, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What is wrong: `unknown field "spec.maxReplica"; did you mean "maxReplicas"?`.
    pub message: String,
    #[serde(skip)]
    pub(crate) at: Path,
}

impl Notice {
    /// A notice at `path`, not yet located.
    pub fn new(kind: NoticeKind, path: Path, message: impl Into<String>) -> Notice {
        Notice {
            kind,
            path: path.to_string(),
            line: None,
            column: None,
            message: message.into(),
            at: path,
        }
    }

    /// The structured path.
    pub fn at(&self) -> &Path {
        &self.at
    }

    /// Puts `prefix` in front of the path.
    pub fn under(mut self, prefix: &Path) -> Notice {
        self.at = self.at.under(prefix);
        self.path = self.at.to_string();
        self
    }

    /// The plain string of `warnings`: `path: message`.
    pub fn to_warning(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            alloc::format!("{}: {}", self.path, self.message)
        }
    }
}

/// The notices of one input, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Notices(pub Vec<Notice>);

impl Notices {
    /// Adds one.
    pub fn push(&mut self, notice: Notice) {
        self.0.push(notice);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fills in line and column from a locator over the source text.
    pub fn locate(&mut self, locate: impl Fn(&Path) -> Option<(u32, u32)>) {
        for n in &mut self.0 {
            if n.line.is_none() {
                if let Some((line, column)) = locate(&n.at) {
                    n.line = Some(line);
                    n.column = Some(column);
                }
            }
        }
    }

    /// Moves every notice as `place` moves an error's problems (paths put
    /// under a prefix, lines shifted into an enclosing text): the notices
    /// of embedded text land where its errors would.
    pub fn placed(mut self, place: impl FnOnce(Error) -> Error) -> Notices {
        let Err(e) = self.clone().into_strict_error() else {
            return self;
        };
        for (n, p) in self.0.iter_mut().zip(place(e).problems) {
            n.at = p.at;
            n.path = p.path;
            n.line = p.line;
            n.column = p.column;
            n.message = p.message;
        }
        self
    }

    /// `--strict`: every notice becomes a problem of one input error (kind
    /// `strict`), or `Ok` when there are none.
    pub fn into_strict_error(self) -> Result<(), Error> {
        let mut problems = self.0.into_iter().map(|n| {
            let mut e = Error::new(ErrorKind::Strict, n.at, n.message);
            e.problems[0].line = n.line;
            e.problems[0].column = n.column;
            e
        });
        match problems.next() {
            None => Ok(()),
            Some(first) => Err(problems.fold(first, Error::join)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_turns_every_notice_into_a_located_problem() {
        let mut ns = Notices::default();
        ns.push(Notice::new(
            NoticeKind::UnknownField,
            Path::root().child("spec").child("maxReplica"),
            "unknown field \"spec.maxReplica\"",
        ));
        ns.push(Notice::new(
            NoticeKind::Assumption,
            Path::root(),
            "load assumed",
        ));
        ns.locate(|p| (!p.0.is_empty()).then_some((7, 3)));
        let err = ns.into_strict_error().unwrap_err();
        assert_eq!(err.problems.len(), 2);
        assert_eq!(err.problems[0].path, "spec.maxReplica");
        assert_eq!(
            (err.problems[0].line, err.problems[0].column),
            (Some(7), Some(3))
        );
        assert_eq!(err.problems[0].kind, ErrorKind::Strict);
        assert_eq!(err.problems[1].line, None);
        assert!(Notices::default().into_strict_error().is_ok());
    }
}
